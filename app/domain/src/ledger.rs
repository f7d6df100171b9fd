//! The ledger (台帐, plan 4.2): dated progress entries per item, the claim that
//! an item is done and its confirmation by the parent unit (兑现销号).

use crate::evidence::Evidence;
use crate::ids::{CommitmentId, ItemId, PersonId, ProgressId};
use crate::messages::{Message, ValidationErrors};
use crate::validation::{parse_date, required_text, MAX_REMARK};
use crate::workflow::{ItemState, ItemStatus, ItemStep};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The fulfilment of one signed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemFulfilment {
    pub item: ItemId,
    #[serde(deserialize_with = "crate::day::de")]
    pub deadline: NaiveDate,
    pub state: ItemState,
    /// Why the last claim was sent back (until the item is claimed again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned: Option<String>,
    /// When the item was crossed off (销号).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::day::de_option")]
    pub crossed_off_on: Option<NaiveDate>,
    /// 实施计划: dated steps, editable by the committer until the item is claimed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<PlanStep>,
}

/// The most steps an item's implementation plan (实施计划) holds.
pub const MAX_PLAN_STEPS: usize = 10;

/// One dated step of an item's implementation plan (实施计划).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanStep {
    #[serde(deserialize_with = "crate::day::de")]
    pub date: NaiveDate,
    pub text: String,
}

/// A plan step as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PlanStepDraft {
    pub date: String,
    pub text: String,
}

impl PlanStepDraft {
    /// A step dated within `window` (the cycle's fulfilment), with a text.
    pub fn parse(
        &self,
        field: &str,
        window: crate::cycle::DateWindow,
    ) -> Result<PlanStep, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let date = match parse_date(&self.date) {
            Some(date) if window.contains(date) => Some(date),
            Some(_) => {
                errors.push(
                    format!("{field}.date"),
                    Message::DateOutside {
                        start: window.start,
                        end: window.end,
                    },
                );
                None
            }
            None => {
                errors.push(format!("{field}.date"), Message::InvalidDate);
                None
            }
        };
        let text = required_text(
            &mut errors,
            &format!("{field}.text"),
            &self.text,
            MAX_REMARK,
        );
        match date {
            Some(date) if errors.is_empty() => Ok(PlanStep { date, text }),
            _ => Err(errors),
        }
    }
}

/// An item's plan after an edit: the steps in `remove` taken out, those in
/// `add` put in (a step already there is not doubled), in date order; at
/// most [`MAX_PLAN_STEPS`]. Edits from two phones both apply: what one
/// added is kept whatever the other removed.
pub fn edit_plan(
    plan: &[PlanStep],
    add: &[PlanStep],
    remove: &[PlanStep],
) -> Result<Vec<PlanStep>, ValidationErrors> {
    let mut next: Vec<PlanStep> = plan
        .iter()
        .filter(|s| !remove.contains(s))
        .cloned()
        .collect();
    for step in add {
        if !next.contains(step) {
            next.push(step.clone());
        }
    }
    crate::sorting::sort(&mut next);
    if next.len() > MAX_PLAN_STEPS {
        let mut errors = ValidationErrors::default();
        errors.push(
            "plan",
            Message::TooManyPlanSteps {
                max: MAX_PLAN_STEPS,
            },
        );
        return Err(errors);
    }
    Ok(next)
}

/// A progress entry as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProgressDraft {
    pub item: Option<ItemId>,
    pub date: String,
    pub text: String,
    /// Photos and PDFs (uploaded before the entry is sent).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    /// Shown on the public board (公示栏) with its photos.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub public: bool,
}

/// One dated line of the ledger for an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressEntry {
    pub item: ItemId,
    #[serde(deserialize_with = "crate::day::de")]
    pub date: NaiveDate,
    pub text: String,
    pub by: PersonId,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub public: bool,
}

impl ProgressDraft {
    /// An entry for an item of the commitment, dated within the cycle
    /// (`cycle`: from its start to the end of fulfilment) and no later than today.
    pub fn parse(
        &self,
        items: &[ItemId],
        by: PersonId,
        today: NaiveDate,
        cycle: crate::cycle::DateWindow,
    ) -> Result<ProgressEntry, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let item = match self.item {
            Some(item) if items.contains(&item) => Some(item),
            _ => {
                errors.push("item", Message::Required);
                None
            }
        };
        let date = match parse_date(&self.date) {
            Some(date) if date > today => {
                errors.push("date", Message::DateAfterToday { today });
                None
            }
            Some(date) if !cycle.contains(date) => {
                errors.push(
                    "date",
                    Message::DateOutside {
                        start: cycle.start,
                        end: cycle.end,
                    },
                );
                None
            }
            Some(date) => Some(date),
            None => {
                errors.push("date", Message::InvalidDate);
                None
            }
        };
        let text = required_text(&mut errors, "text", &self.text, MAX_REMARK);
        if let Err(files) = crate::evidence::check_attached(&self.evidence) {
            errors.0.extend(files.0);
        }
        match (item, date) {
            (Some(item), Some(date)) if errors.is_empty() => Ok(ProgressEntry {
                item,
                date,
                text,
                by,
                evidence: self.evidence.clone(),
                public: self.public,
            }),
            _ => Err(errors),
        }
    }
}

/// A progress entry as the API gives it, with who wrote it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressLine {
    pub id: ProgressId,
    pub item: ItemId,
    #[serde(deserialize_with = "crate::day::de")]
    pub date: NaiveDate,
    pub text: String,
    pub by_name: Option<String>,
    pub recorded_at: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
    #[serde(default)]
    pub public: bool,
}

/// A signed item and how it stands today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerItem {
    pub item: ItemId,
    pub content: String,
    pub measures: String,
    #[serde(deserialize_with = "crate::day::de")]
    pub deadline: NaiveDate,
    pub state: ItemState,
    /// The state, or overdue when the deadline passed while still open.
    pub status: ItemStatus,
}

/// A commitment's ledger (台账): its signed items and the progress recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ledger {
    pub commitment: CommitmentId,
    pub items: Vec<LedgerItem>,
    pub entries: Vec<ProgressLine>,
}

/// A step of an item (`POST /api/commitments/{id}/items/{item}/step`): the
/// author claims it done; the parent unit crosses it off or sends the claim
/// back with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepRequest {
    pub step: ItemStep,
    /// Required when a claim is sent back.
    #[serde(default)]
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    fn step(day: u32, text: u8) -> PlanStep {
        PlanStep {
            date: chrono::NaiveDate::from_ymd_opt(2027, 1, 1 + day % 28).unwrap(),
            text: format!("步骤{text}"),
        }
    }

    proptest! {
        /// An edit keeps the plan in date order, never over the limit; what
        /// it adds is there, what it removes is gone unless added again.
        #[test]
        fn a_plan_edit_keeps_what_was_added_and_order(
            plan in prop::collection::vec((0u32..28, 0u8..4), 0..8),
            add in prop::collection::vec((0u32..28, 0u8..4), 0..5),
            remove in prop::collection::vec((0u32..28, 0u8..4), 0..5),
        ) {
            let mut plan: Vec<PlanStep> = plan.into_iter().map(|(d, t)| step(d, t)).collect();
            plan.sort();
            plan.dedup();
            let add: Vec<PlanStep> = add.into_iter().map(|(d, t)| step(d, t)).collect();
            let remove: Vec<PlanStep> = remove.into_iter().map(|(d, t)| step(d, t)).collect();
            match edit_plan(&plan, &add, &remove) {
                Ok(next) => {
                    prop_assert!(next.len() <= MAX_PLAN_STEPS);
                    prop_assert!(next.windows(2).all(|w| w[0] < w[1]), "sorted, no step twice");
                    for s in &add {
                        prop_assert!(next.contains(s));
                    }
                    for s in &remove {
                        prop_assert!(!next.contains(s) || add.contains(s));
                    }
                    for s in &plan {
                        prop_assert!(next.contains(s) || remove.contains(s));
                    }
                }
                Err(errors) => prop_assert_eq!(errors.0[0].field.as_str(), "plan"),
            }
        }
    }

    use super::*;

    #[test]
    fn entries_belong_to_an_item_and_are_not_in_the_future() {
        let item = ItemId::new();
        let today = "2011-01-10".parse().unwrap();
        let cycle = crate::cycle::Cycle::from_template(2010)
            .calendar
            .fulfilment();
        let draft = ProgressDraft {
            item: Some(item),
            date: "2011-01-10".into(),
            text: "第一次实验课已开设，32名学生参加".into(),
            ..Default::default()
        };
        let entry = draft.parse(&[item], PersonId::new(), today, cycle).unwrap();
        assert_eq!(entry.item, item);

        let mut future = draft.clone();
        future.date = "2011-01-11".into();
        assert_eq!(
            future
                .parse(&[item], PersonId::new(), today, cycle)
                .unwrap_err()
                .0[0]
                .field,
            "date"
        );

        let stranger = ProgressDraft {
            item: Some(ItemId::new()),
            ..draft.clone()
        };
        assert_eq!(
            stranger
                .parse(&[item], PersonId::new(), today, cycle)
                .unwrap_err()
                .0[0]
                .field,
            "item"
        );

        // Before the cycle (a date such as 0001-01-01): refused.
        let mut ancient = draft.clone();
        ancient.date = "0001-01-01".into();
        assert!(matches!(
            ancient
                .parse(&[item], PersonId::new(), today, cycle)
                .unwrap_err()
                .0[0]
                .message,
            Message::DateOutside { .. }
        ));

        let empty = ProgressDraft {
            text: " ".into(),
            ..draft
        };
        assert_eq!(
            empty
                .parse(&[item], PersonId::new(), today, cycle)
                .unwrap_err()
                .0[0]
                .field,
            "text"
        );
    }
}
