//! The year as the campaign office types it (年度设置): every date of the
//! calendar as text and the settings, checked field by field so that the
//! screen can say which date is wrong and why. Starts from the plan's
//! template (`Cycle::from_template`), every date editable.

use crate::cycle::{Calendar, Cycle, CycleSettings, DateWindow};
use crate::messages::{Message, ValidationErrors};
use crate::validation::{parse_date, required_text};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A window as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct WindowDraft {
    pub start: String,
    pub end: String,
}

impl From<DateWindow> for WindowDraft {
    fn from(window: DateWindow) -> Self {
        WindowDraft {
            start: window.start.to_string(),
            end: window.end.to_string(),
        }
    }
}

/// A year's calendar and settings as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CycleDraft {
    pub name: String,
    pub draft: WindowDraft,
    pub review: WindowDraft,
    pub sign: WindowDraft,
    pub publish: WindowDraft,
    pub report_deadline: String,
    pub fulfilment_until: String,
    pub quarterly_rounds: Vec<WindowDraft>,
    pub annual_round: WindowDraft,
    pub settings: CycleSettings,
}

/// A year as checked: its calendar, name and settings (the year is the one
/// drafting starts in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleSetup {
    pub year: i32,
    pub name: String,
    pub calendar: Calendar,
    pub settings: CycleSettings,
}

/// The most quarterly rounds a year holds.
pub const MAX_QUARTERLY_ROUNDS: usize = 4;
const MAX_NAME: usize = 60;

impl CycleDraft {
    /// The form filled from a cycle (the template's, or one to edit).
    pub fn of(cycle: &Cycle) -> CycleDraft {
        let c = &cycle.calendar;
        CycleDraft {
            name: cycle.name.clone(),
            draft: c.draft.into(),
            review: c.review.into(),
            sign: c.sign.into(),
            publish: c.publish.into(),
            report_deadline: c.report_deadline.to_string(),
            fulfilment_until: c.fulfilment_until.to_string(),
            quarterly_rounds: c.quarterly_rounds.iter().map(|&w| w.into()).collect(),
            annual_round: c.annual_round.into(),
            settings: cycle.settings.clone(),
        }
    }

    /// Every date a date, every window in order, the phases one after the
    /// other (drafting, review, signing, publication, the report, the
    /// rounds inside fulfilment), weights summing to 100, thresholds
    /// descending, and the other settings within sense.
    pub fn parse(&self) -> Result<CycleSetup, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = required_text(&mut errors, "name", &self.name, MAX_NAME);
        let day = |errors: &mut ValidationErrors, field: &str, text: &str| -> Option<NaiveDate> {
            let parsed = parse_date(text);
            if parsed.is_none() {
                errors.push(field, Message::InvalidDate);
            }
            parsed
        };
        let window =
            |errors: &mut ValidationErrors, field: &str, w: &WindowDraft| -> Option<DateWindow> {
                let start = day(errors, &format!("{field}.start"), &w.start);
                let end = day(errors, &format!("{field}.end"), &w.end);
                let (start, end) = (start?, end?);
                if end < start {
                    errors.push(format!("{field}.end"), Message::EndsBeforeStart);
                    return None;
                }
                Some(DateWindow::new(start, end))
            };
        let draft = window(&mut errors, "draft", &self.draft);
        let review = window(&mut errors, "review", &self.review);
        let sign = window(&mut errors, "sign", &self.sign);
        let publish = window(&mut errors, "publish", &self.publish);
        let report_deadline = day(&mut errors, "report_deadline", &self.report_deadline);
        let fulfilment_until = day(&mut errors, "fulfilment_until", &self.fulfilment_until);
        if self.quarterly_rounds.len() > MAX_QUARTERLY_ROUNDS {
            errors.push(
                "quarterly_rounds",
                Message::TooManyItems {
                    max: MAX_QUARTERLY_ROUNDS,
                },
            );
        }
        let rounds: Vec<Option<DateWindow>> = self
            .quarterly_rounds
            .iter()
            .enumerate()
            .map(|(n, w)| window(&mut errors, &format!("quarterly_rounds[{n}]"), w))
            .collect();
        let annual_round = window(&mut errors, "annual_round", &self.annual_round);

        // One phase after the other: each must start after the one before
        // has ended (`after`), or on its last day (`from`).
        let after = |errors: &mut ValidationErrors,
                     field: &str,
                     earlier: Option<NaiveDate>,
                     later: Option<NaiveDate>,
                     may_touch: bool| {
            if let (Some(earlier), Some(later)) = (earlier, later) {
                let fine = if may_touch {
                    later >= earlier
                } else {
                    later > earlier
                };
                if !fine {
                    let message = if may_touch {
                        Message::NotBefore { date: earlier }
                    } else {
                        Message::MustComeAfter { date: earlier }
                    };
                    errors.push(field, message);
                }
            }
        };
        let end = |w: Option<DateWindow>| w.map(|w| w.end);
        let start = |w: Option<DateWindow>| w.map(|w| w.start);
        after(
            &mut errors,
            "review.start",
            end(draft),
            start(review),
            false,
        );
        after(&mut errors, "sign.start", end(review), start(sign), false);
        after(
            &mut errors,
            "publish.start",
            end(sign),
            start(publish),
            false,
        );
        after(
            &mut errors,
            "report_deadline",
            end(publish),
            report_deadline,
            true,
        );
        after(
            &mut errors,
            "fulfilment_until",
            report_deadline,
            fulfilment_until,
            false,
        );
        let mut previous = report_deadline;
        for (n, round) in rounds.iter().enumerate() {
            after(
                &mut errors,
                &format!("quarterly_rounds[{n}].start"),
                previous,
                start(*round),
                false,
            );
            after(
                &mut errors,
                &format!("quarterly_rounds[{n}].end"),
                end(*round),
                fulfilment_until,
                true,
            );
            previous = end(*round).or(previous);
        }
        after(
            &mut errors,
            "annual_round.start",
            previous,
            start(annual_round),
            false,
        );
        after(
            &mut errors,
            "annual_round.end",
            end(annual_round),
            fulfilment_until,
            true,
        );

        check_settings(&mut errors, &self.settings);
        match (
            draft,
            review,
            sign,
            publish,
            report_deadline,
            fulfilment_until,
            annual_round,
        ) {
            (
                Some(draft),
                Some(review),
                Some(sign),
                Some(publish),
                Some(report_deadline),
                Some(fulfilment_until),
                Some(annual_round),
            ) if errors.is_empty() => Ok(CycleSetup {
                year: draft.start.year(),
                name,
                calendar: Calendar {
                    draft,
                    review,
                    sign,
                    publish,
                    report_deadline,
                    fulfilment_until,
                    quarterly_rounds: rounds.into_iter().flatten().collect(),
                    annual_round,
                },
                settings: self.settings.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// What a year already holds that an edit of its calendar must keep: the
/// last day of a round already opened, and the latest deadline of an item
/// submitted or signed this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YearHeld {
    pub last_round_day: Option<NaiveDate>,
    pub latest_deadline: Option<NaiveDate>,
}

impl CycleSetup {
    /// An edit of a year that is under way: fulfilment cannot end before a
    /// round already opened ends, nor before an item already promised is
    /// due (at the field, with the date it cannot precede).
    pub fn keeps(&self, held: &YearHeld) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let latest = held.last_round_day.max(held.latest_deadline);
        if let Some(date) = latest.filter(|d| *d > self.calendar.fulfilment_until) {
            errors.push("fulfilment_until", Message::NotBefore { date });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

fn check_settings(errors: &mut ValidationErrors, s: &CycleSettings) {
    let w = &s.weights;
    if u16::from(w.leader) + u16::from(w.mass) + u16::from(w.organization) != 100 {
        errors.push("settings.weights", Message::WeightsMustSumTo100);
    }
    let t = &s.thresholds;
    if !(t.excellent <= 1000 && t.excellent > t.competent && t.competent > t.basically_competent) {
        errors.push("settings.thresholds", Message::ThresholdsOutOfOrder);
    }
    if s.mass_quorum == 0 {
        errors.push("settings.mass_quorum", Message::InvalidValue);
    }
    if s.min_display_days < 7 {
        errors.push(
            "settings.min_display_days",
            Message::DisplayTooShort { min: 7 },
        );
    }
    // Items: a member at least one, a cadre (higher standard) at least as
    // many, none beyond what a commitment may hold.
    let items = 1..=crate::validation::MAX_ITEMS;
    if !items.contains(&s.member_min_items) {
        errors.push("settings.member_min_items", Message::InvalidValue);
    }
    if !items.contains(&s.cadre_min_items) || s.cadre_min_items < s.member_min_items {
        errors.push("settings.cadre_min_items", Message::InvalidValue);
    }
    if !(1..=365).contains(&s.rectification_days) {
        errors.push("settings.rectification_days", Message::InvalidValue);
    }
    if !(0..=365).contains(&s.publication_grace_days) {
        errors.push("settings.publication_grace_days", Message::InvalidValue);
    }
    if !(-12 * 60..=14 * 60).contains(&s.utc_offset_minutes) {
        errors.push("settings.utc_offset_minutes", Message::InvalidValue);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn codes(draft: &CycleDraft) -> Vec<(String, &'static str)> {
        draft
            .parse()
            .unwrap_err()
            .0
            .iter()
            .map(|e| (e.field.clone(), e.message.code()))
            .collect()
    }

    proptest! {
        /// The plan's template is a valid year, any year, and reads back as itself.
        #[test]
        fn the_template_is_a_valid_year(year in 2000i32..2100) {
            let template = Cycle::from_template(year);
            let setup = CycleDraft::of(&template).parse().unwrap();
            prop_assert_eq!(setup.year, year);
            prop_assert_eq!(setup.calendar, template.calendar);
            prop_assert_eq!(setup.settings, template.settings);
        }
    }

    #[test]
    fn each_wrong_date_is_named_with_the_reason() {
        let mut draft = CycleDraft::of(&Cycle::from_template(2026));
        draft.review.start = "2026-10-22".into(); // drafting still runs that day
        draft.sign.end = "2026-10-24".into(); // before its own start
        draft.report_deadline = "2026-13-01".into();
        draft.quarterly_rounds[1].start = "2026-12-25".into(); // inside the first round
        draft.name = " ".into();
        assert_eq!(
            codes(&draft),
            [
                ("name".to_owned(), "required"),
                ("sign.end".to_owned(), "ends_before_start"),
                ("report_deadline".to_owned(), "invalid_date"),
                ("review.start".to_owned(), "must_come_after"),
                ("quarterly_rounds[1].start".to_owned(), "must_come_after"),
            ]
        );
    }

    #[test]
    fn the_rounds_fall_inside_fulfilment_and_the_settings_make_sense() {
        let mut draft = CycleDraft::of(&Cycle::from_template(2026));
        draft.annual_round.end = "2027-06-05".into();
        draft.settings.weights.mass = 31;
        draft.settings.thresholds.competent = 950;
        draft.settings.min_display_days = 6;
        draft.settings.utc_offset_minutes = 15 * 60;
        draft.settings.member_min_items = 4; // more than a cadre's 3
        draft.settings.rectification_days = 0;
        draft.settings.publication_grace_days = -1;
        assert_eq!(
            codes(&draft),
            [
                ("annual_round.end".to_owned(), "not_before"),
                ("settings.weights".to_owned(), "weights_must_sum_to_100"),
                ("settings.thresholds".to_owned(), "thresholds_out_of_order"),
                ("settings.min_display_days".to_owned(), "display_too_short"),
                ("settings.cadre_min_items".to_owned(), "invalid_value"),
                ("settings.rectification_days".to_owned(), "invalid_value"),
                (
                    "settings.publication_grace_days".to_owned(),
                    "invalid_value"
                ),
                ("settings.utc_offset_minutes".to_owned(), "invalid_value"),
            ]
        );
        let mut none = CycleDraft::of(&Cycle::from_template(2026));
        none.settings.member_min_items = 0;
        none.settings.cadre_min_items = 61;
        assert_eq!(
            codes(&none),
            [
                ("settings.member_min_items".to_owned(), "invalid_value"),
                ("settings.cadre_min_items".to_owned(), "invalid_value"),
            ]
        );
        // A year under way: fulfilment cannot end before what it holds.
        let year = CycleDraft::of(&Cycle::from_template(2026)).parse().unwrap();
        let end = year.calendar.fulfilment_until;
        let day = |n: i64| end + chrono::Duration::days(n);
        assert!(year.keeps(&YearHeld::default()).is_ok());
        let inside = YearHeld {
            last_round_day: Some(day(0)),
            latest_deadline: Some(day(-30)),
        };
        assert!(year.keeps(&inside).is_ok());
        let held = |round: i64, deadline: i64| YearHeld {
            last_round_day: Some(day(round)),
            latest_deadline: Some(day(deadline)),
        };
        for (held, date) in [
            (held(5, -1), day(5)),
            (held(-1, 9), day(9)),
            (held(3, 7), day(7)),
        ] {
            let refused = year.keeps(&held).unwrap_err().0;
            assert_eq!(refused.len(), 1);
            assert_eq!(refused[0].field, "fulfilment_until");
            assert_eq!(refused[0].message, Message::NotBefore { date });
        }
        // A year with a single quarterly round, or none, is a year too.
        let mut fewer = CycleDraft::of(&Cycle::from_template(2026));
        fewer.quarterly_rounds.truncate(1);
        assert_eq!(fewer.parse().unwrap().calendar.quarterly_rounds.len(), 1);
        fewer.quarterly_rounds.clear();
        assert!(fewer.parse().is_ok());
    }
}
