//! Where sync conflicts are decided. Nothing typed is ever overwritten: an
//! operation based on an older revision than the server's is a conflict (or,
//! for a review, stale), and both versions go back to the person, who merges
//! them field by field.

use crate::commitment::{CommitmentDraft, ItemDraft};
use crate::ids::ItemId;
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

/// Decides an operation against the server's current revision of its
/// commitment (`None`: no such commitment) and whether its id was seen before.
pub fn decide(
    operation: &Operation,
    current: Option<Revision>,
    seen_before: bool,
    server_draft: Option<&CommitmentDraft>,
) -> Decision {
    if seen_before {
        return Decision::AlreadyApplied;
    }
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
        (change, Some(current)) => {
            let fresh = operation.base_revision == Some(current);
            match change {
                _ if fresh => Decision::Apply,
                Change::Review { .. } => Decision::Stale,
                // Saving the very text the server already has is no conflict.
                Change::SaveDraft { draft } if server_draft == Some(draft) => Decision::Apply,
                _ => Decision::Conflict,
            }
        }
    }
}

/// A field where the two versions differ, for the side-by-side merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Difference {
    NeedsSummary,
    Standards,
    /// An item present in both with different content (listing which fields).
    Item {
        id: ItemId,
        fields: Vec<ItemField>,
    },
    /// An item only in the local version.
    OnlyLocal {
        id: ItemId,
    },
    /// An item only in the server's version.
    OnlyServer {
        id: ItemId,
    },
    /// The same items in another order.
    Order,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ItemField {
    Area,
    Content,
    Measures,
    Deadline,
    Target,
    PracticalDeed,
}

fn item_fields(local: &ItemDraft, server: &ItemDraft) -> Vec<ItemField> {
    let mut fields = Vec::new();
    let pairs = [
        (ItemField::Area, local.area != server.area),
        (ItemField::Content, local.content != server.content),
        (ItemField::Measures, local.measures != server.measures),
        (ItemField::Deadline, local.deadline != server.deadline),
        (ItemField::Target, local.target != server.target),
        (
            ItemField::PracticalDeed,
            local.practical_deed != server.practical_deed,
        ),
    ];
    for (field, differs) in pairs {
        if differs {
            fields.push(field);
        }
    }
    fields
}

/// Every difference between a local draft and the server's.
pub fn differences(local: &CommitmentDraft, server: &CommitmentDraft) -> Vec<Difference> {
    let mut out = Vec::new();
    if local.needs_summary != server.needs_summary {
        out.push(Difference::NeedsSummary);
    }
    if local.standards != server.standards {
        out.push(Difference::Standards);
    }
    for item in &local.items {
        match server.items.iter().find(|s| s.id == item.id) {
            Some(theirs) => {
                let fields = item_fields(item, theirs);
                if !fields.is_empty() {
                    out.push(Difference::Item {
                        id: item.id,
                        fields,
                    });
                }
            }
            None => out.push(Difference::OnlyLocal { id: item.id }),
        }
    }
    for item in &server.items {
        if !local.items.iter().any(|l| l.id == item.id) {
            out.push(Difference::OnlyServer { id: item.id });
        }
    }
    let common = |a: &CommitmentDraft, b: &CommitmentDraft| -> Vec<ItemId> {
        a.items
            .iter()
            .map(|i| i.id)
            .filter(|id| b.items.iter().any(|j| j.id == *id))
            .collect()
    };
    if common(local, server) != common(server, local) {
        out.push(Difference::Order);
    }
    out
}

/// The starting point of a merge that loses nothing: the server's version with
/// every item only the local version has appended, so the person then chooses
/// field by field where both have a value.
pub fn merge_keeping_both(local: &CommitmentDraft, server: &CommitmentDraft) -> CommitmentDraft {
    let mut merged = server.clone();
    for item in &local.items {
        if !merged.items.iter().any(|m| m.id == item.id) {
            merged.items.push(item.clone());
        }
    }
    if merged.needs_summary.trim().is_empty() {
        merged.needs_summary = local.needs_summary.clone();
    }
    for code in &local.standards {
        if !merged.standards.contains(code) {
            merged.standards.push(code.clone());
        }
    }
    merged
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
    fn a_replayed_operation_is_applied_once() {
        let op = operation(Change::Submit, Some(3));
        assert_eq!(
            decide(&op, Some(Revision(4)), true, None),
            Decision::AlreadyApplied
        );
    }

    #[test]
    fn an_edit_on_the_current_revision_applies_and_on_an_older_one_conflicts() {
        let op = operation(Change::SaveDraft { draft: draft("a") }, Some(3));
        assert_eq!(
            decide(&op, Some(Revision(3)), false, Some(&draft("b"))),
            Decision::Apply
        );
        assert_eq!(
            decide(&op, Some(Revision(4)), false, Some(&draft("b"))),
            Decision::Conflict
        );
        assert_eq!(
            decide(&op, Some(Revision(4)), false, Some(&draft("a"))),
            Decision::Apply
        );
        let submit = operation(Change::Submit, Some(3));
        assert_eq!(
            decide(&submit, Some(Revision(4)), false, None),
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
        assert_eq!(decide(&op, Some(Revision(3)), false, None), Decision::Stale);
        assert_eq!(decide(&op, Some(Revision(2)), false, None), Decision::Apply);
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
        assert_eq!(decide(&create, None, false, None), Decision::Apply);
        assert_eq!(
            decide(&create, Some(Revision(1)), false, Some(&draft("a"))),
            Decision::AlreadyApplied
        );
        assert_eq!(
            decide(&create, Some(Revision(1)), false, Some(&draft("b"))),
            Decision::Duplicate
        );
        assert_eq!(
            decide(&operation(Change::Sign, Some(1)), None, false, None),
            Decision::Missing
        );
    }

    #[test]
    fn differences_name_fields_and_merging_keeps_every_item() {
        let shared = ItemDraft {
            content: "开设实验课".into(),
            ..Default::default()
        };
        let mine = ItemDraft {
            content: "组织读书会".into(),
            ..Default::default()
        };
        let theirs = ItemDraft {
            content: "走访宿舍".into(),
            ..Default::default()
        };
        let mut local_shared = shared.clone();
        local_shared.measures = "每周一次".into();
        let local = CommitmentDraft {
            needs_summary: "本地".into(),
            items: vec![local_shared, mine.clone()],
            standards: vec!["L1".into()],
        };
        let server = CommitmentDraft {
            needs_summary: "服务器".into(),
            items: vec![shared.clone(), theirs.clone()],
            standards: vec!["G1".into()],
        };
        let diff = differences(&local, &server);
        assert!(diff.contains(&Difference::NeedsSummary));
        assert!(diff.contains(&Difference::Standards));
        assert!(diff.contains(&Difference::Item {
            id: shared.id,
            fields: vec![ItemField::Measures]
        }));
        assert!(diff.contains(&Difference::OnlyLocal { id: mine.id }));
        assert!(diff.contains(&Difference::OnlyServer { id: theirs.id }));
        assert!(differences(&local, &local).is_empty());

        let merged = merge_keeping_both(&local, &server);
        let ids: Vec<ItemId> = merged.items.iter().map(|i| i.id).collect();
        assert_eq!(ids, [shared.id, theirs.id, mine.id]);
        assert_eq!(merged.standards, ["G1", "L1"]);
    }
}
