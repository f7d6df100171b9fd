//! The yearly campaign (`Cycle`, 年度公开承诺与考核评议) and its calendar: the
//! phase windows of the plan's section 4 and the numbers each cycle may change.

use crate::ids::CycleId;
use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A closed range of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateWindow {
    #[serde(deserialize_with = "crate::day::de")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "crate::day::de")]
    pub end: NaiveDate,
}

impl DateWindow {
    pub fn new(start: NaiveDate, end: NaiveDate) -> DateWindow {
        DateWindow { start, end }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// The number of days shown, both ends counted: 10-27..11-02 is 7 days.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    fn shifted(self, days: i64) -> DateWindow {
        DateWindow {
            start: shift(self.start, days),
            end: shift(self.end, days),
        }
    }
}

fn shift(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day.checked_add_days(Days::new(days as u64))
            .unwrap_or(NaiveDate::MAX)
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(NaiveDate::MIN)
    }
}

/// The steps of the process in time (plan section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Phase {
    /// 调研提出承诺: consult the masses and draft.
    Draft,
    /// 组织审核承诺: the parent unit reviews.
    Review,
    /// 书面确定承诺: the committer signs the approved text.
    Sign,
    /// 公开展示承诺: publication starts (display at least 7 days).
    Publish,
    /// 报送: committees report their package upward.
    Report,
    /// 践行承诺: fulfilment, with quarterly rounds.
    Fulfil,
    /// The comprehensive annual round 全面考核评议.
    Annual,
    /// After the cycle.
    Closed,
}

/// The windows of one cycle. Phases are soft limits: late actions are allowed but flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Calendar {
    pub draft: DateWindow,
    pub review: DateWindow,
    pub sign: DateWindow,
    /// When publication should start; each display lasts at least `min_display_days`.
    pub publish: DateWindow,
    /// 报送截止: the report package is due by this day.
    #[serde(deserialize_with = "crate::day::de")]
    pub report_deadline: NaiveDate,
    /// 践诺: from the start of drafting until this day; item deadlines fall inside.
    #[serde(deserialize_with = "crate::day::de")]
    pub fulfilment_until: NaiveDate,
    /// 季度考核评议: the quarterly rounds.
    pub quarterly_rounds: Vec<DateWindow>,
    /// 年度集中考核评议: the annual round (May in the plan).
    pub annual_round: DateWindow,
}

impl Calendar {
    /// When a display may start: from the cycle's start (a commitment signed
    /// early is published early) to `grace_days` after the publication phase.
    pub fn display_starts(&self, grace_days: i64) -> DateWindow {
        DateWindow::new(
            self.draft.start,
            self.publish.end + chrono::Duration::days(grace_days.max(0)),
        )
    }

    /// The period in which item deadlines must fall.
    pub fn fulfilment(&self) -> DateWindow {
        DateWindow::new(self.draft.start, self.fulfilment_until)
    }

    /// The phase a day falls in (the latest one that has started).
    pub fn phase_on(&self, day: NaiveDate) -> Phase {
        if day > self.annual_round.end.max(self.fulfilment_until) {
            Phase::Closed
        } else if day >= self.annual_round.start {
            Phase::Annual
        } else if day > self.report_deadline {
            Phase::Fulfil
        } else if day > self.publish.end {
            Phase::Report
        } else if day >= self.publish.start {
            Phase::Publish
        } else if day >= self.sign.start {
            Phase::Sign
        } else if day >= self.review.start {
            Phase::Review
        } else {
            Phase::Draft
        }
    }

    fn shifted(&self, days: i64) -> Calendar {
        Calendar {
            draft: self.draft.shifted(days),
            review: self.review.shifted(days),
            sign: self.sign.shifted(days),
            publish: self.publish.shifted(days),
            report_deadline: shift(self.report_deadline, days),
            fulfilment_until: shift(self.fulfilment_until, days),
            quarterly_rounds: self
                .quarterly_rounds
                .iter()
                .map(|w| w.shifted(days))
                .collect(),
            annual_round: self.annual_round.shifted(days),
        }
    }
}

/// Weights of the three assessments in the composite, in percent (sum 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weights {
    /// 领导点评
    pub leader: u8,
    /// 群众评议
    pub mass: u8,
    /// 组织考核
    pub organization: u8,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            leader: 30,
            mass: 30,
            organization: 40,
        }
    }
}

/// Lowest composite, in tenths of a point, for each grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GradeThresholds {
    /// 优秀, default 90.0
    pub excellent: u16,
    /// 合格, default 75.0
    pub competent: u16,
    /// 基本合格, default 60.0
    pub basically_competent: u16,
}

impl Default for GradeThresholds {
    fn default() -> Self {
        GradeThresholds {
            excellent: 900,
            competent: 750,
            basically_competent: 600,
        }
    }
}

/// The numbers a cycle may change (DOMAIN.md: "configurable").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CycleSettings {
    /// Fewest items in a cadre's commitment (higher standard), default 3.
    pub cadre_min_items: usize,
    /// Fewest items in an ordinary member's commitment, default 2.
    pub member_min_items: usize,
    /// Ballots needed before the mass score counts, default 5.
    pub mass_quorum: usize,
    pub weights: Weights,
    pub thresholds: GradeThresholds,
    /// Shortest publication (公示不少于7天), default 7.
    pub min_display_days: i64,
    /// Days given to rectify after the annual round, default 30.
    pub rectification_days: u64,
    /// How many days after the publication phase a display may still start
    /// (phases are soft limits: late is allowed, within this), default 60.
    #[serde(default = "default_publication_grace_days")]
    pub publication_grace_days: i64,
    /// The school's time zone, as minutes east of UTC (default 480: Beijing
    /// time). Every "today" (a ledger entry's latest date, a deadline passed,
    /// a window open) is the school's day, on the server and on every phone,
    /// whatever zone the machine or the phone is set to.
    #[serde(default = "default_utc_offset_minutes")]
    pub utc_offset_minutes: i32,
}

fn default_utc_offset_minutes() -> i32 {
    8 * 60
}

/// The school's day at the instant `now`, for a school `offset_minutes`
/// east of UTC (an offset outside ±14 h is taken as UTC+8).
pub fn school_day(now: DateTime<Utc>, offset_minutes: i32) -> NaiveDate {
    let offset = FixedOffset::east_opt(offset_minutes * 60)
        .or_else(|| FixedOffset::east_opt(default_utc_offset_minutes() * 60))
        .expect("UTC+8 is a valid offset");
    now.with_timezone(&offset).date_naive()
}

fn default_publication_grace_days() -> i64 {
    60
}

impl Default for CycleSettings {
    fn default() -> Self {
        CycleSettings {
            cadre_min_items: 3,
            member_min_items: 2,
            mass_quorum: 5,
            weights: Weights::default(),
            thresholds: GradeThresholds::default(),
            min_display_days: 7,
            rectification_days: 30,
            publication_grace_days: default_publication_grace_days(),
            utc_offset_minutes: default_utc_offset_minutes(),
        }
    }
}

/// One yearly campaign of public commitments and their assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cycle {
    pub id: CycleId,
    /// The year drafting starts in: the 2010 cycle runs 2010-10-19 .. 2011-05-31.
    pub year: i32,
    pub name: String,
    pub calendar: Calendar,
    pub settings: CycleSettings,
}

impl Cycle {
    /// The school's day at `now` (see `CycleSettings::utc_offset_minutes`).
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        school_day(now, self.settings.utc_offset_minutes)
    }

    /// The plan's own calendar, for any year: drafting 10-19..10-22, review
    /// 10-23..10-24, signing 10-25..10-26, publication 10-27..10-29, report by
    /// 11-05, fulfilment until the end of May of the next year, a quarterly
    /// round at the end of December and of March, the annual round in May.
    pub fn from_template(year: i32) -> Cycle {
        let day = |y: i32, m: u32, d: u32| {
            NaiveDate::from_ymd_opt(y, m, d).expect("the template's dates exist in every year")
        };
        let next = year + 1;
        Cycle {
            id: CycleId::new(),
            year,
            name: format!("{year}—{next}年度公开承诺"),
            calendar: Calendar {
                draft: DateWindow::new(day(year, 10, 19), day(year, 10, 22)),
                review: DateWindow::new(day(year, 10, 23), day(year, 10, 24)),
                sign: DateWindow::new(day(year, 10, 25), day(year, 10, 26)),
                publish: DateWindow::new(day(year, 10, 27), day(year, 10, 29)),
                report_deadline: day(year, 11, 5),
                fulfilment_until: day(next, 5, 31),
                quarterly_rounds: vec![
                    DateWindow::new(day(year, 12, 20), day(year, 12, 31)),
                    DateWindow::new(day(next, 3, 20), day(next, 3, 31)),
                ],
                annual_round: DateWindow::new(day(next, 5, 1), day(next, 5, 31)),
            },
            settings: CycleSettings::default(),
        }
    }

    /// The template's calendar moved so that drafting starts on `draft_start`
    /// (every window keeps its length and its distance from the start).
    pub fn starting_on(draft_start: NaiveDate) -> Cycle {
        let template = Cycle::from_template(draft_start.year());
        let days = (draft_start - template.calendar.draft.start).num_days();
        Cycle {
            calendar: template.calendar.shifted(days),
            ..template
        }
    }
}

/// A cycle as the API lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CycleView {
    #[serde(flatten)]
    pub cycle: Cycle,
    pub is_current: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn today_is_the_schools_day_not_the_machines() {
        let cycle = Cycle::from_template(2026);
        // 07:30 in Beijing on the 28th is 23:30 UTC on the 27th.
        let early_morning: DateTime<Utc> = "2026-11-27T23:30:00Z".parse().unwrap();
        assert_eq!(cycle.today(early_morning), date("2026-11-28"));
        let late_evening: DateTime<Utc> = "2026-11-28T15:59:59Z".parse().unwrap();
        assert_eq!(cycle.today(late_evening), date("2026-11-28"));
        let midnight: DateTime<Utc> = "2026-11-28T16:00:00Z".parse().unwrap();
        assert_eq!(cycle.today(midnight), date("2026-11-29"));
        // A school elsewhere sets its own offset.
        let mut utc = cycle.clone();
        utc.settings.utc_offset_minutes = 0;
        assert_eq!(utc.today(early_morning), date("2026-11-27"));
        // Settings stored before the offset existed read as Beijing time.
        let mut old = serde_json::to_value(&cycle.settings).unwrap();
        old.as_object_mut().unwrap().remove("utc_offset_minutes");
        let read: CycleSettings = serde_json::from_value(old).unwrap();
        assert_eq!(read.utc_offset_minutes, 480);
        // Nonsense offsets fall back to Beijing time rather than panic.
        assert_eq!(school_day(early_morning, 100_000), date("2026-11-28"));
    }

    #[test]
    fn the_plans_own_dates_come_out_for_2010() {
        let cycle = Cycle::from_template(2010);
        let c = &cycle.calendar;
        assert_eq!(
            c.draft,
            DateWindow::new(date("2010-10-19"), date("2010-10-22"))
        );
        assert_eq!(
            c.review,
            DateWindow::new(date("2010-10-23"), date("2010-10-24"))
        );
        assert_eq!(
            c.sign,
            DateWindow::new(date("2010-10-25"), date("2010-10-26"))
        );
        assert_eq!(
            c.publish,
            DateWindow::new(date("2010-10-27"), date("2010-10-29"))
        );
        assert_eq!(c.report_deadline, date("2010-11-05"));
        assert_eq!(c.fulfilment_until, date("2011-05-31"));
        assert_eq!(c.annual_round.start, date("2011-05-01"));
        assert_eq!(c.quarterly_rounds.len(), 2);
        assert_eq!(cycle.settings.min_display_days, 7);
        assert_eq!(cycle.settings.cadre_min_items, 3);
        assert_eq!(cycle.settings.member_min_items, 2);
    }

    #[test]
    fn phases_follow_the_calendar() {
        let c = Cycle::from_template(2010).calendar;
        assert_eq!(c.phase_on(date("2010-10-19")), Phase::Draft);
        assert_eq!(c.phase_on(date("2010-10-23")), Phase::Review);
        assert_eq!(c.phase_on(date("2010-10-26")), Phase::Sign);
        assert_eq!(c.phase_on(date("2010-10-28")), Phase::Publish);
        assert_eq!(c.phase_on(date("2010-11-05")), Phase::Report);
        assert_eq!(c.phase_on(date("2011-01-10")), Phase::Fulfil);
        assert_eq!(c.phase_on(date("2011-05-15")), Phase::Annual);
        assert_eq!(c.phase_on(date("2011-06-01")), Phase::Closed);
    }

    #[test]
    fn a_cycle_can_start_on_any_day_and_keeps_the_templates_shape() {
        let cycle = Cycle::starting_on(date("2026-11-26"));
        let c = &cycle.calendar;
        assert_eq!(c.draft.start, date("2026-11-26"));
        assert_eq!(c.draft.days(), 4);
        assert_eq!(c.review.start, date("2026-11-30"));
        assert_eq!((c.report_deadline - c.draft.start).num_days(), 17);
        assert_eq!(c.phase_on(date("2026-11-27")), Phase::Draft);
        assert!(c.fulfilment().contains(date("2027-05-01")));
    }

    #[test]
    fn display_days_count_both_ends() {
        assert_eq!(
            DateWindow::new(date("2010-10-27"), date("2010-11-02")).days(),
            7
        );
    }
}
