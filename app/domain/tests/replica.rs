//! The device's replica and outbox: what a person typed stays until the
//! server has it, an operation leaves the outbox only when acknowledged, and
//! a conflict keeps both versions.

use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::ids::{CommitmentId, CycleId, OperationId, PersonId};
use chengnuo_domain::org::{Ancestry, MemberCategory};
use chengnuo_domain::replica::{Replica, SyncStatus};
use chengnuo_domain::sync::{Change, Cursor, OperationResult, Outcome, Revision, Snapshot};
use chengnuo_domain::workflow::CommitmentState;
use proptest::prelude::*;

fn kind() -> CommitterKind {
    CommitterKind::Member {
        category: MemberCategory::Teacher,
        cadre_rank: None,
        is_activist: false,
    }
}

fn text(summary: &str) -> CommitmentDraft {
    CommitmentDraft {
        needs_summary: summary.into(),
        items: vec![ItemDraft::default()],
        standards: vec![],
    }
}

fn new_replica() -> (Replica, CommitmentId) {
    let mut replica = Replica::default();
    let id = CommitmentId::new();
    replica.create(
        id,
        OperationId::new(),
        CycleId::new(),
        Committer::Person(PersonId::new()),
        kind(),
        "王立新".into(),
        Ancestry(vec![]),
        text("起"),
    );
    (replica, id)
}

fn snapshot(
    replica: &Replica,
    id: CommitmentId,
    revision: u64,
    draft: CommitmentDraft,
    state: CommitmentState,
) -> Snapshot {
    let local = replica.get(id).unwrap();
    Snapshot {
        id,
        cycle: local.cycle,
        committer: local.committer,
        kind: local.kind,
        committer_name: local.committer_name.clone(),
        ancestry: local.ancestry.clone(),
        state,
        revision: Revision(revision),
        draft,
        number: None,
        reviews: vec![],
        updated_at: "2026-11-27T08:00:00Z".parse().unwrap(),
    }
}

#[test]
fn edits_before_the_first_push_fold_into_the_creation() {
    let (mut replica, id) = new_replica();
    for word in ["一", "一二", "一二三"] {
        replica.edit(id, text(word), OperationId::new(), &[]);
    }
    assert_eq!(replica.outbox.len(), 1);
    assert!(
        matches!(&replica.outbox[0].change, Change::Create { draft, .. } if draft.needs_summary == "一二三")
    );
    assert_eq!(replica.status(id), SyncStatus::Waiting);
}

#[test]
fn an_operation_on_its_way_is_never_changed() {
    let (mut replica, id) = new_replica();
    let sending = vec![replica.outbox[0].id];
    replica.edit(id, text("后来"), OperationId::new(), &sending);
    assert_eq!(replica.outbox.len(), 2);
    assert!(
        matches!(&replica.outbox[0].change, Change::Create { draft, .. } if draft.needs_summary == "起")
    );
    assert_eq!(replica.outbox[1].base_revision, Some(Revision(1)));
}

#[test]
fn acknowledged_operations_leave_the_outbox_and_failed_ones_stay() {
    let (mut replica, id) = new_replica();
    let create = replica.outbox[0].id;
    replica.acknowledge(&[OperationResult {
        id: create,
        outcome: Outcome::Failed,
    }]);
    assert_eq!(replica.outbox.len(), 1);
    let applied = snapshot(&replica, id, 1, text("起"), CommitmentState::Draft);
    replica.acknowledge(&[OperationResult {
        id: create,
        outcome: Outcome::Applied {
            snapshot: Box::new(applied),
        },
    }]);
    assert!(replica.outbox.is_empty());
    assert_eq!(replica.status(id), SyncStatus::Synced);
    assert_eq!(
        replica.get(id).unwrap().expected_revision,
        Some(Revision(1))
    );
}

#[test]
fn a_conflict_keeps_both_versions_until_merged() {
    let (mut replica, id) = new_replica();
    let create = replica.outbox[0].id;
    replica.acknowledge(&[OperationResult {
        id: create,
        outcome: Outcome::Applied {
            snapshot: Box::new(snapshot(
                &replica,
                id,
                1,
                text("起"),
                CommitmentState::Draft,
            )),
        },
    }]);
    replica.edit(id, text("本机写的"), OperationId::new(), &[]);
    let save = replica.outbox[0].id;
    let theirs = snapshot(
        &replica,
        id,
        2,
        text("另一台设备写的"),
        CommitmentState::Draft,
    );
    replica.acknowledge(&[OperationResult {
        id: save,
        outcome: Outcome::Conflict {
            server: Box::new(theirs),
        },
    }]);
    let local = replica.get(id).unwrap();
    assert_eq!(
        local.draft.needs_summary, "本机写的",
        "the local text is kept"
    );
    assert_eq!(
        local.conflict.as_ref().unwrap().draft.needs_summary,
        "另一台设备写的"
    );
    assert_eq!(replica.status(id), SyncStatus::Conflict);
    // A pull meanwhile does not overwrite the local text either.
    replica.absorb(
        vec![snapshot(
            &replica,
            id,
            2,
            text("另一台设备写的"),
            CommitmentState::Draft,
        )],
        Cursor(9),
    );
    assert_eq!(replica.get(id).unwrap().draft.needs_summary, "本机写的");
    // Editing during the conflict keeps the text locally and queues nothing.
    replica.edit(id, text("本机又改了"), OperationId::new(), &[]);
    assert!(replica.outbox.is_empty());

    replica.resolve(id, text("合并后的"), OperationId::new());
    assert_eq!(replica.outbox.len(), 1);
    assert_eq!(replica.outbox[0].base_revision, Some(Revision(2)));
    assert!(
        matches!(&replica.outbox[0].change, Change::SaveDraft { draft } if draft.needs_summary == "合并后的")
    );
    assert_eq!(replica.status(id), SyncStatus::Waiting);
}

#[test]
fn steps_queue_on_the_revision_the_server_will_have_reached() {
    let (mut replica, id) = new_replica();
    replica.queue(id, Change::Submit, OperationId::new());
    assert_eq!(replica.outbox[1].base_revision, Some(Revision(1)));
    replica.edit(id, text("改"), OperationId::new(), &[]);
    assert_eq!(replica.outbox[2].base_revision, Some(Revision(2)));
}

#[test]
fn a_stale_review_is_shown_and_the_latest_text_taken() {
    let mut replica = Replica::default();
    let id = CommitmentId::new();
    let mut first = Snapshot {
        id,
        cycle: CycleId::new(),
        committer: Committer::Person(PersonId::new()),
        kind: kind(),
        committer_name: "赵建国".into(),
        ancestry: Ancestry(vec![]),
        state: CommitmentState::Submitted,
        revision: Revision(3),
        draft: text("第一版"),
        number: None,
        reviews: vec![],
        updated_at: "2026-11-27T08:00:00Z".parse().unwrap(),
    };
    replica.absorb(vec![first.clone()], Cursor(3));
    replica.queue(id, Change::Submit, OperationId::new());
    let op = replica.outbox[0].id;
    first.revision = Revision(4);
    first.state = CommitmentState::Returned;
    first.draft = text("第二版");
    replica.acknowledge(&[OperationResult {
        id: op,
        outcome: Outcome::Stale {
            server: Box::new(first),
        },
    }]);
    let local = replica.get(id).unwrap();
    assert!(local.stale_review.is_some());
    assert_eq!(local.state(), CommitmentState::Returned);
    assert_eq!(local.draft.needs_summary, "第二版");
}

#[derive(Debug, Clone)]
enum Step {
    Edit(String),
    Push,
    Answer { applied: bool },
    Pull,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        "[a-z]{1,6}".prop_map(Step::Edit),
        Just(Step::Push),
        any::<bool>().prop_map(|applied| Step::Answer { applied }),
        Just(Step::Pull),
    ]
}

proptest! {
    /// Whatever the order of edits, pushes, answers (lost or not) and pulls,
    /// the device shows the last text typed, and an operation leaves the
    /// outbox only through an acknowledgement.
    #[test]
    fn nothing_typed_is_lost(steps in prop::collection::vec(step(), 1..40)) {
        let (mut replica, id) = new_replica();
        let mut typed = "起".to_owned();
        let mut sending: Vec<OperationId> = Vec::new();
        let mut server_revision = 0u64;
        for step in steps {
            match step {
                Step::Edit(word) => {
                    typed = word.clone();
                    replica.edit(id, text(&word), OperationId::new(), &sending);
                }
                Step::Push => sending = replica.batch(10).iter().map(|o| o.id).collect(),
                Step::Answer { applied } => {
                    let before: Vec<OperationId> = replica.outbox.iter().map(|o| o.id).collect();
                    let results: Vec<OperationResult> = sending
                        .iter()
                        .map(|op| {
                            let draft = replica.outbox.iter().find(|o| o.id == *op).and_then(|o| match &o.change {
                                Change::Create { draft, .. } | Change::SaveDraft { draft } => Some(draft.clone()),
                                _ => None,
                            });
                            server_revision += 1;
                            let outcome = if applied {
                                Outcome::Applied { snapshot: Box::new(snapshot(&replica, id, server_revision, draft.unwrap_or_default(), CommitmentState::Draft)) }
                            } else {
                                Outcome::Failed
                            };
                            OperationResult { id: *op, outcome }
                        })
                        .collect();
                    replica.acknowledge(&results);
                    for op in &before {
                        let gone = !replica.outbox.iter().any(|o| o.id == *op);
                        prop_assert_eq!(gone, applied && sending.contains(op), "only acknowledged operations leave");
                    }
                    sending.clear();
                }
                Step::Pull => {
                    if let Some(server) = replica.get(id).and_then(|l| l.server.clone()) {
                        replica.absorb(vec![server], Cursor(server_revision));
                    }
                }
            }
            prop_assert_eq!(&replica.get(id).unwrap().draft.needs_summary, &typed);
        }
    }
}

#[test]
fn two_tabs_keep_each_others_edits() {
    let (mut first, x) = new_replica();
    let base = first.clone();
    let mut second = first.clone();
    let y = CommitmentId::new();
    second.create(
        y,
        OperationId::new(),
        CycleId::new(),
        Committer::Person(PersonId::new()),
        kind(),
        "党支部".into(),
        Ancestry(vec![]),
        text("支部的"),
    );
    first.edit(x, text("第一个标签页写的"), OperationId::new(), &[]);
    // The second tab saved first; the first tab now saves on top of it.
    first.merge_stored(&second, Some(&base));
    assert_eq!(
        first.get(x).unwrap().draft.needs_summary,
        "第一个标签页写的"
    );
    assert!(first.get(x).unwrap().conflict.is_none());
    assert_eq!(first.get(y).unwrap().draft.needs_summary, "支部的");
    assert_eq!(first.outbox.len(), 2);
    // And the second tab, whose base is what it saved, takes the first tab's edit of x.
    second.merge_stored(&first, Some(&second.clone()));
    assert_eq!(
        second.get(x).unwrap().draft.needs_summary,
        "第一个标签页写的"
    );
    let queued: Vec<_> = second.outbox.iter().filter(|o| o.commitment == x).collect();
    assert_eq!(queued.len(), 1);
    assert!(
        matches!(&queued[0].change, Change::Create { draft, .. } if draft.needs_summary == "第一个标签页写的")
    );
}

#[test]
fn two_tabs_typing_the_same_commitment_at_once_keep_both_texts() {
    let (mut first, x) = new_replica();
    let base = first.clone();
    let mut second = first.clone();
    first.edit(x, text("第一个标签页写的"), OperationId::new(), &[]);
    second.edit(x, text("第二个标签页写的"), OperationId::new(), &[]);
    // The second tab stored its text; the first merges before it stores its own.
    first.merge_stored(&second, Some(&base));
    let local = first.get(x).unwrap();
    assert_eq!(local.draft.needs_summary, "第一个标签页写的");
    let other = local
        .conflict
        .as_ref()
        .expect("the other tab's text is kept");
    assert_eq!(other.draft.needs_summary, "第二个标签页写的");
    assert!(
        local.conflict_from_other_tab,
        "shown as the other tab's, not the server's"
    );
    assert_eq!(first.status(x), SyncStatus::Conflict);
    // The second tab, merging what the first stored, sees the conflict and
    // keeps its own text as well: whichever tab closes, both texts survive.
    let stored_by_first = first.clone();
    second.merge_stored(&stored_by_first, Some(&base));
    let theirs = second.get(x).unwrap();
    assert_eq!(theirs.draft.needs_summary, "第二个标签页写的");
    assert_eq!(
        theirs.conflict.as_ref().unwrap().draft.needs_summary,
        "第一个标签页写的"
    );
    // The person merges in the first tab; the merged text queues after its own edit.
    let mut merged = text("第一个标签页写的；第二个标签页写的");
    merged.standards = vec![];
    first.resolve(x, merged.clone(), OperationId::new());
    assert_eq!(first.status(x), SyncStatus::Waiting);
    assert!(!first.get(x).unwrap().conflict_from_other_tab);
    let last = first.outbox.last().unwrap();
    assert!(matches!(&last.change, Change::SaveDraft { draft } if *draft == merged));
}
