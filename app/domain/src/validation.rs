//! Where commitments are validated (DOMAIN.md section 3): a draft parses into a
//! [`Commitment`] or into every field-level refusal at once. The browser runs
//! this as the person types; the server runs it again before accepting.

use crate::commitment::{
    Area, Commitment, CommitmentDraft, CommitmentItem, CommitterKind, ItemDraft, Standard,
};
use crate::cycle::{Cycle, DateWindow};
use crate::messages::{Message, ValidationErrors};
use chrono::NaiveDate;

/// Bounds on text, in characters (not bytes: Chinese is three bytes a character).
pub const MAX_NEEDS_SUMMARY: usize = 2000;
pub const MAX_CONTENT: usize = 300;
pub const MAX_MEASURES: usize = 1000;
pub const MAX_TARGET: usize = 300;
pub const MAX_ITEMS: usize = 60;
/// Guidance of a review, a reason of a moderation, an explanation of a self-check.
pub const MAX_REMARK: usize = 2000;

/// What a draft is checked against: the committer's kind and the cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentRules {
    pub kind: CommitterKind,
    pub fulfilment: DateWindow,
    pub min_items: usize,
}

impl CommitmentRules {
    pub fn new(kind: CommitterKind, cycle: &Cycle) -> CommitmentRules {
        let min_items = match kind {
            CommitterKind::Member {
                cadre_rank: Some(_),
                ..
            } => cycle.settings.cadre_min_items,
            CommitterKind::Member { .. } => cycle.settings.member_min_items,
            _ => 1,
        };
        CommitmentRules {
            kind,
            fulfilment: cycle.calendar.fulfilment(),
            min_items: min_items.max(1),
        }
    }
}

/// A required text: trimmed, not empty, at most `max` characters.
pub fn required_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    max: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.push(field, Message::Required);
    } else if value.chars().count() > max {
        errors.push(field, Message::TooLong { max });
    }
    value.to_owned()
}

/// An optional text: trimmed, at most `max` characters; empty is `None`.
pub fn optional_text(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    max: usize,
) -> Option<String> {
    let value = value.trim();
    if value.chars().count() > max {
        errors.push(field, Message::TooLong { max });
    }
    (!value.is_empty()).then(|| value.to_owned())
}

/// A date typed as `YYYY-MM-DD` (month and day may have one digit). Parsed by
/// hand: chrono's pattern parser would weigh on the browser's download.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let mut parts = value.trim().splitn(3, '-');
    let mut number = |min_digits: usize, max_digits: usize| -> Option<u32> {
        let part = parts.next()?;
        let digits = (min_digits..=max_digits).contains(&part.len());
        (digits && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(4, 4)?, number(1, 2)?, number(1, 2)?);
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

impl ItemDraft {
    fn parse(
        &self,
        field: &str,
        rules: &CommitmentRules,
        errors: &mut ValidationErrors,
    ) -> Option<CommitmentItem> {
        let before = errors.0.len();
        let area = match self.area.trim() {
            "" => {
                errors.push(format!("{field}.area"), Message::Required);
                None
            }
            code => match Area::from_code(code) {
                Some(area) if rules.kind.areas().contains(&area) => Some(area),
                _ => {
                    errors.push(format!("{field}.area"), Message::AreaNotForCommitter);
                    None
                }
            },
        };
        let content = required_text(
            errors,
            &format!("{field}.content"),
            &self.content,
            MAX_CONTENT,
        );
        let measures = required_text(
            errors,
            &format!("{field}.measures"),
            &self.measures,
            MAX_MEASURES,
        );
        let deadline = if self.deadline.trim().is_empty() {
            errors.push(format!("{field}.deadline"), Message::Required);
            None
        } else {
            match parse_date(&self.deadline) {
                None => {
                    errors.push(format!("{field}.deadline"), Message::InvalidDate);
                    None
                }
                Some(day) if !rules.fulfilment.contains(day) => {
                    errors.push(
                        format!("{field}.deadline"),
                        Message::DeadlineOutsideFulfilment {
                            start: rules.fulfilment.start,
                            end: rules.fulfilment.end,
                        },
                    );
                    None
                }
                Some(day) => Some(day),
            }
        };
        let target = optional_text(errors, &format!("{field}.target"), &self.target, MAX_TARGET);
        if errors.0.len() > before {
            return None;
        }
        Some(CommitmentItem::from_parts(
            self.id,
            area?,
            content,
            measures,
            deadline?,
            target,
            // A B2 item is a practical deed by definition.
            self.practical_deed
                || area == Some(Area::Branch(crate::commitment::BranchArea::PracticalDeeds)),
        ))
    }
}

/// The longest code or date text a draft's short fields may hold (an area
/// code, a standard code, a date being typed).
pub const MAX_CODE: usize = 32;
/// The most standards a draft may tick (there are ten).
pub const MAX_STANDARDS: usize = 10;

impl CommitmentDraft {
    /// The limits every saved draft keeps, however unfinished: no text longer
    /// than the form allows, no more items than a commitment may have. A
    /// draft past them is not stored (the person sees where, offline too).
    pub fn check_limits(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut limit = |field: String, value: &str, max: usize| {
            if value.chars().count() > max {
                errors.push(field, Message::TooLong { max });
            }
        };
        limit(
            "needs_summary".into(),
            &self.needs_summary,
            MAX_NEEDS_SUMMARY,
        );
        for (index, item) in self.items.iter().enumerate() {
            let field = |name: &str| format!("items[{index}].{name}");
            limit(field("area"), &item.area, MAX_CODE);
            limit(field("content"), &item.content, MAX_CONTENT);
            limit(field("measures"), &item.measures, MAX_MEASURES);
            limit(field("deadline"), &item.deadline, MAX_CODE);
            limit(field("target"), &item.target, MAX_TARGET);
        }
        for (index, code) in self.standards.iter().enumerate() {
            limit(format!("standards[{index}]"), code, MAX_CODE);
        }
        if self.items.len() > MAX_ITEMS {
            errors.push("items", Message::TooManyItems { max: MAX_ITEMS });
        }
        if self.standards.len() > MAX_STANDARDS {
            errors.push("standards", Message::TooManyItems { max: MAX_STANDARDS });
        }
        errors.into_result(|| ())
    }

    /// Parses the form into a valid commitment, or every refusal at once.
    pub fn parse(&self, rules: &CommitmentRules) -> Result<Commitment, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let needs_summary = optional_text(
            &mut errors,
            "needs_summary",
            &self.needs_summary,
            MAX_NEEDS_SUMMARY,
        )
        .unwrap_or_default();
        if self.items.is_empty() {
            errors.push("items", Message::NoItems);
        } else if self.items.len() < rules.min_items {
            errors.push(
                "items",
                Message::TooFewItems {
                    min: rules.min_items,
                },
            );
        } else if self.items.len() > MAX_ITEMS {
            errors.push("items", Message::TooManyItems { max: MAX_ITEMS });
        }
        let items: Vec<CommitmentItem> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| item.parse(&format!("items[{index}]"), rules, &mut errors))
            .collect();
        if matches!(rules.kind, CommitterKind::Branch { .. })
            && !self.items.iter().any(|item| {
                Area::from_code(&item.area)
                    == Some(Area::Branch(crate::commitment::BranchArea::PracticalDeeds))
            })
        {
            errors.push("items", Message::BranchNeedsPracticalDeed);
        }
        let mut standards = Vec::new();
        for (index, code) in self.standards.iter().enumerate() {
            match Standard::from_code(code) {
                Some(standard) if !standards.contains(&standard) => standards.push(standard),
                Some(_) => {}
                None => errors.push(format!("standards[{index}]"), Message::UnknownStandard),
            }
        }
        crate::sorting::sort(&mut standards);
        errors.into_result(|| Commitment::from_parts(needs_summary, items, standards))
    }

    /// Parses for submission: as [`parse`](Self::parse), and no deadline may
    /// already have passed on `today`.
    pub fn parse_for_submission(
        &self,
        rules: &CommitmentRules,
        today: NaiveDate,
    ) -> Result<Commitment, ValidationErrors> {
        let mut errors = match self.parse(rules) {
            Ok(commitment) => {
                let mut errors = ValidationErrors::default();
                for (index, item) in commitment.items().iter().enumerate() {
                    if item.deadline() < today {
                        errors.push(
                            format!("items[{index}].deadline"),
                            Message::DeadlineInPast { today },
                        );
                    }
                }
                return errors.into_result(|| commitment);
            }
            Err(errors) => errors,
        };
        for (index, item) in self.items.iter().enumerate() {
            let field = format!("items[{index}].deadline");
            if errors.for_field(&field).next().is_none() {
                if let Some(day) = parse_date(&item.deadline) {
                    if day < today {
                        errors.push(field, Message::DeadlineInPast { today });
                    }
                }
            }
        }
        Err(errors)
    }

    /// Every refusal of the draft as it stands (empty when it parses).
    pub fn validate(&self, rules: &CommitmentRules) -> ValidationErrors {
        self.parse(rules).err().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_year_month_day() {
        let day = |s: &str| parse_date(s).map(|d| d.to_string());
        assert_eq!(day(" 2026-11-27 ").as_deref(), Some("2026-11-27"));
        assert_eq!(day("2026-2-5").as_deref(), Some("2026-02-05"));
        for refused in [
            "",
            "2026-02-30",
            "26-11-27",
            "2026/11/27",
            "2026-11",
            "2026-11-27x",
            "+2026-11-27",
            "2026-011-27",
        ] {
            assert_eq!(day(refused), None, "{refused:?}");
        }
    }

    use super::*;
    use crate::ids::ItemId;
    use crate::org::{BranchKind, CadreRank, MemberCategory};

    fn cycle() -> Cycle {
        Cycle::from_template(2010)
    }

    fn member(cadre: bool) -> CommitterKind {
        CommitterKind::Member {
            category: MemberCategory::Teacher,
            cadre_rank: cadre.then_some(CadreRank::Section),
            is_activist: false,
        }
    }

    fn item(area: &str, deadline: &str) -> ItemDraft {
        ItemDraft {
            id: ItemId::new(),
            area: area.into(),
            content: "每学期为本科生开设一门新的实验课".into(),
            measures: "寒假完成讲义，春季学期开课，期末收集学生意见".into(),
            deadline: deadline.into(),
            target: String::new(),
            practical_deed: false,
        }
    }

    fn draft(items: Vec<ItemDraft>) -> CommitmentDraft {
        CommitmentDraft {
            needs_summary: "学生希望增加动手实践的机会".into(),
            items,
            standards: vec!["L2".into(), "L1".into(), "L2".into()],
        }
    }

    fn codes(errors: &ValidationErrors) -> Vec<(String, &'static str)> {
        errors
            .0
            .iter()
            .map(|e| (e.field.clone(), e.message.code()))
            .collect()
    }

    #[test]
    fn a_complete_member_commitment_parses_trimmed_and_sorted() {
        let rules = CommitmentRules::new(member(false), &cycle());
        let mut first = item("M1", "2011-01-15");
        first.content = "  开设实验课  ".into();
        let commitment = draft(vec![first, item("M3", "2011-05-31")])
            .parse(&rules)
            .unwrap();
        assert_eq!(commitment.items().len(), 2);
        assert_eq!(commitment.items()[0].content(), "开设实验课");
        assert_eq!(
            commitment.standards(),
            [Standard::LeadInLearning, Standard::LeadInResults]
        );
        assert_eq!(commitment.to_draft().parse(&rules).unwrap(), commitment);
    }

    #[test]
    fn at_least_one_item() {
        let rules = CommitmentRules::new(CommitterKind::Committee, &cycle());
        let errors = draft(vec![]).validate(&rules);
        assert_eq!(codes(&errors), [("items".to_owned(), "no_items")]);
    }

    #[test]
    fn cadres_need_more_items_than_ordinary_members() {
        let two = draft(vec![item("M1", "2011-01-15"), item("M2", "2011-02-15")]);
        assert!(two
            .parse(&CommitmentRules::new(member(false), &cycle()))
            .is_ok());
        let errors = two.validate(&CommitmentRules::new(member(true), &cycle()));
        assert_eq!(errors.0[0].message, Message::TooFewItems { min: 3 });
        let one = draft(vec![item("M1", "2011-01-15")]);
        let errors = one.validate(&CommitmentRules::new(member(false), &cycle()));
        assert_eq!(errors.0[0].message, Message::TooFewItems { min: 2 });
    }

    #[test]
    fn the_minimum_is_the_cycles() {
        let mut cycle = cycle();
        cycle.settings.member_min_items = 4;
        let rules = CommitmentRules::new(member(false), &cycle);
        assert_eq!(rules.min_items, 4);
    }

    #[test]
    fn every_item_needs_content_measures_and_a_deadline() {
        let rules = CommitmentRules::new(CommitterKind::Committee, &cycle());
        let mut bad = item("", "");
        bad.content = "   ".into();
        bad.measures = String::new();
        let errors = draft(vec![bad]).validate(&rules);
        assert_eq!(
            codes(&errors),
            [
                ("items[0].area".to_owned(), "required"),
                ("items[0].content".to_owned(), "required"),
                ("items[0].measures".to_owned(), "required"),
                ("items[0].deadline".to_owned(), "required"),
            ]
        );
    }

    #[test]
    fn deadlines_are_dates_inside_the_fulfilment_period() {
        let rules = CommitmentRules::new(CommitterKind::Committee, &cycle());
        let errors = draft(vec![
            item("C1", "2011-13-01"),
            item("C2", "2011-06-01"),
            item("C3", "2010-10-18"),
        ])
        .validate(&rules);
        assert_eq!(errors.0[0].message, Message::InvalidDate);
        assert_eq!(errors.0[1].field, "items[1].deadline");
        assert!(matches!(
            errors.0[1].message,
            Message::DeadlineOutsideFulfilment { .. }
        ));
        assert!(matches!(
            errors.0[2].message,
            Message::DeadlineOutsideFulfilment { .. }
        ));
        assert!(
            draft(vec![item("C1", "2010-10-19"), item("C2", "2011-05-31")])
                .parse(&rules)
                .is_ok()
        );
    }

    #[test]
    fn areas_must_be_the_committers() {
        let rules = CommitmentRules::new(member(false), &cycle());
        let errors =
            draft(vec![item("C1", "2011-01-15"), item("Z9", "2011-01-15")]).validate(&rules);
        assert_eq!(
            codes(&errors),
            [
                ("items[0].area".to_owned(), "area_not_for_committer"),
                ("items[1].area".to_owned(), "area_not_for_committer"),
            ]
        );
    }

    #[test]
    fn a_branch_commitment_needs_a_practical_deed() {
        let rules = CommitmentRules::new(
            CommitterKind::Branch {
                kind: BranchKind::Teaching,
            },
            &cycle(),
        );
        let errors =
            draft(vec![item("B1", "2011-01-15"), item("B3", "2011-01-15")]).validate(&rules);
        assert_eq!(
            codes(&errors),
            [("items".to_owned(), "branch_needs_practical_deed")]
        );
        let commitment = draft(vec![item("B1", "2011-01-15"), item("B2", "2011-03-01")])
            .parse(&rules)
            .unwrap();
        assert!(commitment.items()[1].practical_deed());
    }

    #[test]
    fn text_lengths_are_bounded_in_characters() {
        let rules = CommitmentRules::new(CommitterKind::Committee, &cycle());
        let mut long = item("C1", "2011-01-15");
        long.content = "承".repeat(MAX_CONTENT);
        assert!(draft(vec![long.clone()]).parse(&rules).is_ok());
        long.content.push('诺');
        long.target = "x".repeat(MAX_TARGET + 1);
        let errors = draft(vec![long]).validate(&rules);
        assert_eq!(
            codes(&errors),
            [
                ("items[0].content".to_owned(), "too_long"),
                ("items[0].target".to_owned(), "too_long")
            ]
        );
        let many = draft((0..=MAX_ITEMS).map(|_| item("C1", "2011-01-15")).collect());
        assert_eq!(
            codes(&many.validate(&rules)),
            [("items".to_owned(), "too_many_items")]
        );
    }

    #[test]
    fn unknown_standards_are_refused() {
        let rules = CommitmentRules::new(CommitterKind::Committee, &cycle());
        let mut d = draft(vec![item("C1", "2011-01-15")]);
        d.standards = vec!["G1".into(), "五个好".into()];
        assert_eq!(
            codes(&d.validate(&rules)),
            [("standards[1]".to_owned(), "unknown_standard")]
        );
    }

    #[test]
    fn no_deadline_in_the_past_at_submission() {
        let rules = CommitmentRules::new(member(false), &cycle());
        let d = draft(vec![item("M1", "2010-10-20"), item("M2", "2011-01-15")]);
        let today = "2010-10-21".parse().unwrap();
        assert!(
            d.parse(&rules).is_ok(),
            "a draft may be saved with any deadline in the period"
        );
        let errors = d.parse_for_submission(&rules, today).unwrap_err();
        assert_eq!(
            codes(&errors),
            [("items[0].deadline".to_owned(), "deadline_in_past")]
        );
        // Reported together with the other refusals.
        let mut worse = d.clone();
        worse.items[1].content.clear();
        let errors = worse.parse_for_submission(&rules, today).unwrap_err();
        assert_eq!(
            codes(&errors),
            [
                ("items[1].content".to_owned(), "required"),
                ("items[0].deadline".to_owned(), "deadline_in_past")
            ]
        );
        assert!(d
            .parse_for_submission(&rules, "2010-10-20".parse().unwrap())
            .is_ok());
    }
}
