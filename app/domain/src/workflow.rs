//! The workflow of a commitment (DOMAIN.md section 4) and of its items and
//! rectification orders: which state follows which step. Who may take a step
//! is decided in `permission`.
//!
//! `Draft` → `Submitted` → (`Returned` → `Submitted`)* → `Approved` → `Signed` → `Published`;
//! a submission nobody has reviewed yet can be withdrawn (`Submitted` → `Draft`).

use serde::{Deserialize, Serialize};

/// Where a commitment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum CommitmentState {
    /// 起草: written on the device, saved on every edit.
    Draft,
    /// 已提交: waiting for the parent unit's review.
    Submitted,
    /// 退回修改: returned with guidance; the committer revises and resubmits.
    Returned,
    /// 审核通过
    Approved,
    /// 已签署: the text is final, numbered and immutable.
    Signed,
    /// 已公示: on the public board; fulfilment and evaluation follow.
    Published,
}

read_by_name!(CommitmentState {
    Draft,
    Submitted,
    Returned,
    Approved,
    Signed,
    Published
});

impl CommitmentState {
    pub const ALL: [CommitmentState; 6] = [
        CommitmentState::Draft,
        CommitmentState::Submitted,
        CommitmentState::Returned,
        CommitmentState::Approved,
        CommitmentState::Signed,
        CommitmentState::Published,
    ];

    /// Whether the committer may still change the text.
    pub fn is_editable(self) -> bool {
        matches!(self, CommitmentState::Draft | CommitmentState::Returned)
    }

    /// Whether the parent unit has approved it (it then counts in a report package).
    pub fn is_approved(self) -> bool {
        matches!(
            self,
            CommitmentState::Approved | CommitmentState::Signed | CommitmentState::Published
        )
    }

    /// Whether its text is final (signed), so fulfilment can be recorded.
    pub fn is_signed(self) -> bool {
        matches!(self, CommitmentState::Signed | CommitmentState::Published)
    }
}

/// A step that changes a commitment's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Transition {
    Submit,
    /// The committer takes back a submission nobody has reviewed yet.
    Withdraw,
    Approve,
    Return,
    Sign,
    Publish,
}

impl Transition {
    pub const ALL: [Transition; 6] = [
        Transition::Submit,
        Transition::Withdraw,
        Transition::Approve,
        Transition::Return,
        Transition::Sign,
        Transition::Publish,
    ];
}

/// A step that the commitment's state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{transition:?} is not possible from {from:?}")]
pub struct WrongState {
    pub from: CommitmentState,
    pub transition: Transition,
}

/// The transition table. Every pair not listed is refused.
pub fn next_state(
    from: CommitmentState,
    transition: Transition,
) -> Result<CommitmentState, WrongState> {
    use CommitmentState::*;
    use Transition::*;
    match (from, transition) {
        (Draft | Returned, Submit) => Ok(Submitted),
        (Submitted, Withdraw) => Ok(Draft),
        (Submitted, Approve) => Ok(Approved),
        (Submitted, Return) => Ok(Returned),
        (Approved, Sign) => Ok(Signed),
        (Signed, Publish) => Ok(Published),
        _ => Err(WrongState { from, transition }),
    }
}

/// The fulfilment of one item (兑现销号), as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum ItemState {
    /// Being worked on.
    #[default]
    Open,
    /// The committer says it is done; the parent unit has to confirm.
    ClaimedDone,
    /// 销号: the parent unit confirmed it is done.
    CrossedOff,
}

read_by_name!(ItemState {
    Open,
    ClaimedDone,
    CrossedOff
});

/// What is shown for an item on a given day: its state, or overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ItemStatus {
    Open,
    ClaimedDone,
    CrossedOff,
    /// Open after its deadline (逾期).
    Overdue,
}

/// A step in an item's fulfilment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub enum ItemStep {
    /// The committer claims it done.
    Claim,
    /// The parent unit crosses it off.
    CrossOff,
    /// The parent unit does not accept the claim (with a reason).
    RejectClaim,
}

read_by_name!(ItemStep {
    Claim,
    CrossOff,
    RejectClaim
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{step:?} is not possible from {from:?}")]
pub struct WrongItemState {
    pub from: ItemState,
    pub step: ItemStep,
}

impl ItemState {
    pub fn after(self, step: ItemStep) -> Result<ItemState, WrongItemState> {
        match (self, step) {
            (ItemState::Open, ItemStep::Claim) => Ok(ItemState::ClaimedDone),
            (ItemState::ClaimedDone, ItemStep::CrossOff) => Ok(ItemState::CrossedOff),
            (ItemState::ClaimedDone, ItemStep::RejectClaim) => Ok(ItemState::Open),
            (from, step) => Err(WrongItemState { from, step }),
        }
    }

    /// An open item past its deadline is overdue; a claimed one waits on the
    /// parent unit, not the committer, so it is not.
    pub fn status_on(self, deadline: chrono::NaiveDate, today: chrono::NaiveDate) -> ItemStatus {
        match self {
            ItemState::CrossedOff => ItemStatus::CrossedOff,
            ItemState::ClaimedDone => ItemStatus::ClaimedDone,
            ItemState::Open if today > deadline => ItemStatus::Overdue,
            ItemState::Open => ItemStatus::Open,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CommitmentState::*;
    use Transition::*;

    #[test]
    fn the_happy_path() {
        let mut state = Draft;
        for (step, expected) in [
            (Submit, Submitted),
            (Approve, Approved),
            (Sign, Signed),
            (Publish, Published),
        ] {
            state = next_state(state, step).unwrap();
            assert_eq!(state, expected);
        }
    }

    #[test]
    fn returned_commitments_are_revised_and_resubmitted() {
        let returned = next_state(Submitted, Return).unwrap();
        assert_eq!(returned, Returned);
        assert!(returned.is_editable());
        assert_eq!(next_state(returned, Submit), Ok(Submitted));
    }

    #[test]
    fn a_submission_nobody_reviewed_can_be_withdrawn() {
        assert_eq!(next_state(Submitted, Withdraw), Ok(Draft));
        for reviewed in [Approved, Returned, Signed, Published] {
            assert!(next_state(reviewed, Withdraw).is_err());
        }
    }

    #[test]
    fn every_other_step_is_refused() {
        let allowed = [
            (Draft, Submit),
            (Returned, Submit),
            (Submitted, Withdraw),
            (Submitted, Approve),
            (Submitted, Return),
            (Approved, Sign),
            (Signed, Publish),
        ];
        for from in CommitmentState::ALL {
            for transition in Transition::ALL {
                let result = next_state(from, transition);
                assert_eq!(
                    result.is_ok(),
                    allowed.contains(&(from, transition)),
                    "{from:?} {transition:?}"
                );
                if let Err(error) = result {
                    assert_eq!(error, WrongState { from, transition });
                }
            }
        }
    }

    #[test]
    fn only_drafts_and_returned_commitments_are_editable() {
        let editable: Vec<_> = CommitmentState::ALL
            .into_iter()
            .filter(|s| s.is_editable())
            .collect();
        assert_eq!(editable, [Draft, Returned]);
        let approved: Vec<_> = CommitmentState::ALL
            .into_iter()
            .filter(|s| s.is_approved())
            .collect();
        assert_eq!(approved, [Approved, Signed, Published]);
    }

    #[test]
    fn items_are_claimed_then_crossed_off_or_sent_back() {
        assert_eq!(
            ItemState::Open.after(ItemStep::Claim),
            Ok(ItemState::ClaimedDone)
        );
        assert_eq!(
            ItemState::ClaimedDone.after(ItemStep::CrossOff),
            Ok(ItemState::CrossedOff)
        );
        assert_eq!(
            ItemState::ClaimedDone.after(ItemStep::RejectClaim),
            Ok(ItemState::Open)
        );
        assert!(ItemState::Open.after(ItemStep::CrossOff).is_err());
        assert!(ItemState::CrossedOff.after(ItemStep::Claim).is_err());
        assert!(ItemState::CrossedOff.after(ItemStep::RejectClaim).is_err());
        assert!(ItemState::ClaimedDone.after(ItemStep::Claim).is_err());
    }

    #[test]
    fn overdue_is_computed_from_the_deadline_and_today() {
        let deadline = "2011-03-01".parse().unwrap();
        let before = "2011-03-01".parse().unwrap();
        let after = "2011-03-02".parse().unwrap();
        assert_eq!(
            ItemState::Open.status_on(deadline, before),
            ItemStatus::Open
        );
        assert_eq!(
            ItemState::Open.status_on(deadline, after),
            ItemStatus::Overdue
        );
        assert_eq!(
            ItemState::ClaimedDone.status_on(deadline, after),
            ItemStatus::ClaimedDone
        );
        assert_eq!(
            ItemState::CrossedOff.status_on(deadline, after),
            ItemStatus::CrossedOff
        );
    }
}
