//! Where the server decides what to do with an operation. Nothing typed is
//! ever overwritten: an operation based on an older revision than the
//! server's is a conflict (or, for a review, stale), and the server's version
//! goes back to the device, which merges it with its own (`merge`).

use crate::commitment::CommitmentDraft;
use crate::sync::{Change, Operation, Revision};
use serde::{Deserialize, Serialize};

/// What the server does with an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Decision {
    /// Its id was applied before: acknowledge, change nothing.
    AlreadyApplied,
    /// Apply it.
    Apply,
    /// Keep the server's version and send it back to be merged.
    Conflict,
    /// A review of something that changed: refuse, show the reviewer.
    Stale,
    /// The commitment does not exist (and this is not its creation).
    Missing,
    /// A creation of a commitment that already exists with other content.
    Duplicate,
}

/// What became of the operation a device made this one after (its
/// `after`): the revision this one is based on is that one's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predecessor {
    /// Made on a version the device saw (no predecessor queued with it).
    None,
    /// The server applied the predecessor.
    Applied,
    /// The server did not apply it (a conflict, a refusal) or never saw it:
    /// the revision this one expects is someone else's version.
    NotApplied,
}

/// Decides an operation against the server's current revision of its
/// commitment (`None`: no such commitment) and what became of its predecessor.
pub fn decide(
    operation: &Operation,
    current: Option<Revision>,
    predecessor: Predecessor,
    server_draft: Option<&CommitmentDraft>,
) -> Decision {
    match (&operation.change, current) {
        (Change::Create { draft, .. }, Some(_)) => {
            // The same creation arriving under another id (two tabs) is harmless.
            if server_draft == Some(draft) {
                Decision::AlreadyApplied
            } else {
                Decision::Duplicate
            }
        }
        (Change::Create { .. }, None) => Decision::Apply,
        (_, None) => Decision::Missing,
        // Fulfilment work is decided on the item's state by the dossier.
        (
            Change::StepItem { .. }
            | Change::RecordProgress { .. }
            | Change::EditPlan { .. }
            | Change::SelfCheck { .. }
            | Change::Assess { .. }
            | Change::Rectify { .. },
            Some(_),
        ) => Decision::Apply,
        (change, Some(current)) => {
            // Revisions a device predicts after its own queued operation can
            // coincide with another device's: they count only if that
            // operation applied.
            let fresh =
                operation.base_revision == Some(current) && predecessor != Predecessor::NotApplied;
            match change {
                _ if fresh => Decision::Apply,
                Change::Review { .. } => Decision::Stale,
                // Saving the very text the server already has is no conflict.
                Change::SaveDraft { draft, .. }
                    if server_draft == Some(draft) && predecessor != Predecessor::NotApplied =>
                {
                    Decision::Apply
                }
                _ => Decision::Conflict,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commitment::Committer;
    use crate::ids::{CommitmentId, CycleId, OperationId, PersonId};
    use crate::review::{Criteria, ReviewDecision, ReviewDraft};

    fn operation(change: Change, base: Option<u64>) -> Operation {
        Operation {
            id: OperationId::new(),
            commitment: CommitmentId::new(),
            base_revision: base.map(Revision),
            after: None,
            change,
        }
    }

    fn draft(summary: &str) -> CommitmentDraft {
        CommitmentDraft {
            needs_summary: summary.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_revision_predicted_after_an_operation_that_did_not_apply_is_not_trusted() {
        // Another device's change took revision 4; this device's submit expected
        // its own edit (which conflicted) to make revision 4.
        let submit = operation(Change::Submit, Some(4));
        assert_eq!(
            decide(&submit, Some(Revision(4)), Predecessor::NotApplied, None),
            Decision::Conflict
        );
        assert_eq!(
            decide(&submit, Some(Revision(4)), Predecessor::Applied, None),
            Decision::Apply
        );
        let save = operation(
            Change::SaveDraft {
                draft: draft("a"),
                set_aside: vec![],
            },
            Some(4),
        );
        assert_eq!(
            decide(
                &save,
                Some(Revision(4)),
                Predecessor::NotApplied,
                Some(&draft("a"))
            ),
            Decision::Conflict
        );
    }

    #[test]
    fn an_edit_on_the_current_revision_applies_and_on_an_older_one_conflicts() {
        let op = operation(
            Change::SaveDraft {
                draft: draft("a"),
                set_aside: vec![],
            },
            Some(3),
        );
        assert_eq!(
            decide(&op, Some(Revision(3)), Predecessor::None, Some(&draft("b"))),
            Decision::Apply
        );
        assert_eq!(
            decide(&op, Some(Revision(4)), Predecessor::None, Some(&draft("b"))),
            Decision::Conflict
        );
        assert_eq!(
            decide(&op, Some(Revision(4)), Predecessor::None, Some(&draft("a"))),
            Decision::Apply
        );
        let submit = operation(Change::Submit, Some(3));
        assert_eq!(
            decide(&submit, Some(Revision(4)), Predecessor::None, None),
            Decision::Conflict
        );
    }

    #[test]
    fn a_review_of_a_changed_commitment_is_stale() {
        let review = ReviewDraft {
            criteria: Criteria::all(),
            decision: ReviewDecision::Approve,
            guidance: String::new(),
        };
        let op = operation(Change::Review { review }, Some(2));
        assert_eq!(
            decide(&op, Some(Revision(3)), Predecessor::None, None),
            Decision::Stale
        );
        assert_eq!(
            decide(&op, Some(Revision(2)), Predecessor::None, None),
            Decision::Apply
        );
    }

    #[test]
    fn creation_applies_once_and_never_overwrites() {
        let create = operation(
            Change::Create {
                cycle: CycleId::new(),
                committer: Committer::Person(PersonId::new()),
                draft: draft("a"),
            },
            None,
        );
        assert_eq!(
            decide(&create, None, Predecessor::None, None),
            Decision::Apply
        );
        assert_eq!(
            decide(
                &create,
                Some(Revision(1)),
                Predecessor::None,
                Some(&draft("a"))
            ),
            Decision::AlreadyApplied
        );
        assert_eq!(
            decide(
                &create,
                Some(Revision(1)),
                Predecessor::None,
                Some(&draft("b"))
            ),
            Decision::Duplicate
        );
        assert_eq!(
            decide(
                &operation(Change::Sign, Some(1)),
                None,
                Predecessor::None,
                None
            ),
            Decision::Missing
        );
    }
}
