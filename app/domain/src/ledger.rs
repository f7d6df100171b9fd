//! The ledger (台帐, plan 4.2): dated progress entries per item, the claim that
//! an item is done and its confirmation by the parent unit (兑现销号).

use crate::ids::{CommitmentId, ItemId, PersonId, ProgressId};
use crate::messages::{Message, ValidationErrors};
use crate::validation::{parse_date, required_text, MAX_REMARK};
use crate::workflow::{ItemState, ItemStatus, ItemStep};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A progress entry as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProgressDraft {
    pub item: Option<ItemId>,
    pub date: String,
    pub text: String,
}

/// One dated line of the ledger for an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressEntry {
    pub item: ItemId,
    pub date: NaiveDate,
    pub text: String,
    pub by: PersonId,
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
                errors.push("date", Message::InvalidDate);
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
        match (item, date) {
            (Some(item), Some(date)) if errors.is_empty() => Ok(ProgressEntry {
                item,
                date,
                text,
                by,
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
    pub date: NaiveDate,
    pub text: String,
    pub by_name: Option<String>,
    pub recorded_at: String,
}

/// A signed item and how it stands today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerItem {
    pub item: ItemId,
    pub content: String,
    pub measures: String,
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
