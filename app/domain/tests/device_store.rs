//! What a device keeps per account, as records (`sync::device`), against a
//! model of the browser's store: whatever a person does, the records a save
//! writes rebuild exactly the workspace; a write the browser refused loses
//! nothing once a later one succeeds (its base did not move); two tabs
//! saving in turn keep each other's work; and a text another tab sent and
//! had acknowledged becomes the common version of what this tab typed since.

use chengnuo_domain::account::Me;
use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind};
use chengnuo_domain::ids::{CommitmentId, CycleId, OperationId, OrgUnitId, PersonId};
use chengnuo_domain::ledger::ProgressLine;
use chengnuo_domain::org::{Ancestry, MemberCategory, Person, PersonRecord};
use chengnuo_domain::sync::device::{Meta, Workspace, Writes};
use chengnuo_domain::sync::merge::merge;
use chengnuo_domain::sync::replica::LocalCommitment;
use chengnuo_domain::sync::{
    Change, Cursor, Operation, OperationResult, Outcome, Revision, Snapshot,
};
use chengnuo_domain::workflow::CommitmentState;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn me() -> Me {
    Me {
        person: PersonRecord {
            person: Person {
                id: PersonId::new(),
                name: "王立新".into(),
                branch: OrgUnitId::new(),
                category: MemberCategory::Teacher,
                cadre_rank: None,
                is_activist: false,
            },
            title: String::new(),
        },
        login: "member".into(),
        branch: None,
        committee: None,
        roles: vec![],
        scope: vec![],
        must_change_password: false,
    }
}

fn text(summary: &str) -> CommitmentDraft {
    CommitmentDraft {
        needs_summary: summary.into(),
        items: vec![],
        standards: vec![],
    }
}

fn kind() -> CommitterKind {
    CommitterKind::Member {
        category: MemberCategory::Teacher,
        cadre_rank: None,
        is_activist: false,
    }
}

/// The browser's store, as the records `device_store` keeps.
#[derive(Clone, Default)]
struct Store {
    meta: Option<Workspace>,
    commitments: BTreeMap<CommitmentId, LocalCommitment>,
    /// By the key the browser numbered it with: the outbox's order.
    outbox: BTreeMap<u64, Operation>,
    next_key: u64,
    typing: BTreeMap<String, String>,
    ledgers: BTreeMap<CommitmentId, Vec<ProgressLine>>,
}

impl Store {
    /// What a (successful) save does with the writes.
    fn apply(&mut self, workspace: &Workspace, writes: &Writes<'_>) {
        let meta = self
            .meta
            .get_or_insert_with(|| Workspace::new(workspace.me.clone()));
        for field in &writes.meta {
            match field {
                Meta::Me => meta.me = workspace.me.clone(),
                Meta::Units => meta.units = workspace.units.clone(),
                Meta::Cycle => meta.cycle = workspace.cycle.clone(),
                Meta::Cursor => meta.replica.cursor = workspace.replica.cursor,
                Meta::Uploaded => meta.replica.uploaded = workspace.replica.uploaded.clone(),
                Meta::LastSync => meta.last_sync = workspace.last_sync,
                Meta::SeenReviews => meta.seen_reviews = workspace.seen_reviews.clone(),
                Meta::Reminded => meta.reminded = workspace.reminded.clone(),
                Meta::ServerClock => meta.server_clock = workspace.server_clock,
            }
        }
        for local in &writes.commitments {
            self.commitments.insert(local.id, (*local).clone());
        }
        for id in &writes.gone_commitments {
            self.commitments.remove(id);
        }
        for operation in &writes.operations {
            self.next_key += 1;
            self.outbox.insert(self.next_key, (*operation).clone());
        }
        self.outbox
            .retain(|_, o| !writes.gone_operations.contains(&o.id));
        for (key, value) in &writes.typing {
            self.typing.insert((*key).to_owned(), (*value).to_owned());
        }
        for key in &writes.gone_typing {
            self.typing.remove(key);
        }
        for (id, lines) in &writes.ledgers {
            self.ledgers.insert(*id, lines.to_vec());
        }
        for id in &writes.gone_ledgers {
            self.ledgers.remove(id);
        }
    }

    /// What a load reads back.
    fn read(&self) -> Option<Workspace> {
        let meta = self.meta.clone()?;
        Some(meta.from_records(
            self.commitments.values().cloned().collect(),
            self.outbox.values().cloned().collect(),
            self.typing.clone(),
            self.ledgers.clone(),
        ))
    }
}

/// One tab of the app: its workspace and its base (what it last read or wrote).
struct Tab {
    workspace: Workspace,
    base: Option<Workspace>,
}

impl Tab {
    /// A save, as `device_store::save` does it: another tab's records are
    /// merged in first, then what differs is written; the base moves only
    /// if the write succeeds.
    fn save(&mut self, store: &mut Store, succeeds: bool) {
        let stored = store.read();
        if stored != self.base {
            if let Some(stored) = &stored {
                self.workspace.merge_stored(stored, self.base.as_ref());
            }
            self.base = stored;
        }
        if succeeds {
            let writes = self.workspace.writes_over(self.base.as_ref());
            store.apply(&self.workspace, &writes);
            self.base = Some(self.workspace.clone());
        }
    }
}

/// Commitments compared by id (the store keeps them by key, not in the
/// order a tab created them).
fn sorted(mut w: Workspace) -> Workspace {
    w.replica.commitments.sort_by_key(|c| c.id);
    w
}

#[derive(Debug, Clone)]
enum Act {
    Create,
    Type(usize, char),
    Submit(usize),
    Acknowledge,
    Field(u8, Option<char>),
    Ledger(usize),
    Pull(u64),
    Save { succeeds: bool },
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        1 => Just(Act::Create),
        4 => (0usize..3, proptest::char::range('一', '龥')).prop_map(|(c, ch)| Act::Type(c, ch)),
        1 => (0usize..3).prop_map(Act::Submit),
        1 => Just(Act::Acknowledge),
        2 => (0u8..3, proptest::option::of(proptest::char::range('a', 'z'))).prop_map(|(k, v)| Act::Field(k, v)),
        1 => (0usize..3).prop_map(Act::Ledger),
        1 => (1u64..50).prop_map(Act::Pull),
        3 => any::<bool>().prop_map(|succeeds| Act::Save { succeeds }),
    ]
}

fn perform(w: &mut Workspace, act: &Act) {
    let ids: Vec<CommitmentId> = w.replica.commitments.iter().map(|c| c.id).collect();
    let pick = |n: usize| ids.get(n % ids.len().max(1)).copied();
    match act {
        Act::Create => {
            let id = CommitmentId::new();
            w.replica.create(
                id,
                CycleId::new(),
                Committer::Person(w.me.id()),
                kind(),
                "王立新".into(),
                Ancestry(vec![]),
                text(""),
            );
        }
        Act::Type(n, ch) => {
            if let Some(id) = pick(*n) {
                let mut draft = w.replica.get(id).unwrap().draft.clone();
                draft.needs_summary.push(*ch);
                w.replica.edit(id, draft);
            }
        }
        Act::Submit(n) => {
            if let Some(id) = pick(*n) {
                w.replica.queue(id, Change::Submit, &mut OperationId::new);
            }
        }
        Act::Acknowledge => {
            if !w.replica.outbox.is_empty() {
                w.replica.outbox.remove(0);
            }
        }
        Act::Field(key, value) => {
            let key = format!("item-{key}:progress-text");
            match value {
                Some(c) => {
                    w.typing.entry(key).or_default().push(*c);
                }
                None => {
                    w.typing.remove(&key);
                }
            }
        }
        Act::Ledger(n) => {
            if let Some(id) = pick(*n) {
                w.ledgers.insert(id, Vec::new());
            }
        }
        Act::Pull(cursor) => {
            w.replica.cursor = w.replica.cursor.max(Cursor(*cursor));
            w.seen_reviews.insert(CommitmentId::new(), 1);
        }
        Act::Save { .. } => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the person does, and whichever writes the browser refuses,
    /// the next successful save leaves records that read back as exactly
    /// the workspace: no operation, text or typed field lost or doubled.
    #[test]
    fn the_records_always_rebuild_the_workspace(acts in prop::collection::vec(act(), 1..60)) {
        let mut store = Store::default();
        let mut tab = Tab { workspace: Workspace::new(me()), base: None };
        for act in &acts {
            perform(&mut tab.workspace, act);
            if let Act::Save { succeeds } = act {
                tab.save(&mut store, *succeeds);
                if *succeeds {
                    prop_assert_eq!(
                        sorted(store.read().unwrap()),
                        sorted(tab.workspace.clone())
                    );
                }
            }
        }
        tab.save(&mut store, true);
        prop_assert_eq!(sorted(store.read().unwrap()), sorted(tab.workspace.clone()));
    }

    /// Two tabs of one account doing things in any order and saving in
    /// turn (some writes refused) end with every operation either queued
    /// in both or acknowledged, and the typed fields each wrote.
    #[test]
    fn two_tabs_saving_in_turn_keep_each_others_operations(
        acts in prop::collection::vec((any::<bool>(), act()), 1..60)
    ) {
        let mut store = Store::default();
        let first = Workspace::new(me());
        let mut tabs = [
            Tab { workspace: first.clone(), base: None },
            Tab { workspace: first, base: None },
        ];
        let mut queued: Vec<OperationId> = Vec::new();
        let mut acknowledged: Vec<OperationId> = Vec::new();
        for (which, act) in &acts {
            let tab = &mut tabs[usize::from(*which)];
            let before: Vec<OperationId> = tab.workspace.replica.outbox.iter().map(|o| o.id).collect();
            perform(&mut tab.workspace, act);
            let after: Vec<OperationId> = tab.workspace.replica.outbox.iter().map(|o| o.id).collect();
            queued.extend(after.iter().filter(|id| !before.contains(id)));
            acknowledged.extend(before.iter().filter(|id| !after.contains(id)));
            if let Act::Save { succeeds } = act {
                tab.save(&mut store, *succeeds);
            }
        }
        for _ in 0..2 {
            for tab in &mut tabs {
                tab.save(&mut store, true);
            }
        }
        let stored = store.read().unwrap();
        for id in &queued {
            let kept = stored.replica.outbox.iter().any(|o| o.id == *id);
            prop_assert!(kept || acknowledged.contains(id), "operation {} lost", id);
        }
        for tab in &tabs {
            prop_assert_eq!(sorted(tab.workspace.clone()), sorted(stored.clone()));
        }
    }
}

#[test]
fn a_write_refused_for_lack_of_space_drops_nothing_already_queued() {
    // The case: storage full, a ledger entry queued offline; the
    // write fails, and the next save (with nothing else changed) must not
    // take the stored copy's lack of it for an acknowledgement.
    let mut store = Store::default();
    let mut tab = Tab {
        workspace: Workspace::new(me()),
        base: None,
    };
    perform(&mut tab.workspace, &Act::Create);
    tab.save(&mut store, true);
    let id = tab.workspace.replica.commitments[0].id;
    tab.workspace
        .replica
        .queue(id, Change::Submit, &mut OperationId::new);
    let queued = tab.workspace.replica.outbox.len();
    tab.save(&mut store, false);
    tab.save(&mut store, false);
    assert_eq!(tab.workspace.replica.outbox.len(), queued);
    tab.workspace
        .typing
        .insert("x:progress-text".into(), "走访".into());
    tab.save(&mut store, false);
    assert_eq!(tab.workspace.replica.outbox.len(), queued);
    assert!(
        tab.workspace.replica.get(id).unwrap().conflict.is_none(),
        "a failed write is not another tab's change"
    );
    tab.save(&mut store, true);
    let stored = store.read().unwrap();
    assert_eq!(stored.replica.outbox.len(), queued);
    assert_eq!(stored.typing["x:progress-text"], "走访");
}

#[test]
fn what_another_tab_sent_and_had_acknowledged_is_the_common_version_of_what_was_typed_since() {
    // Two tabs online: the person types in the second, the first (the one
    // syncing) sends it and has it acknowledged, the person types on. The
    // server then holds a version the second tab's text starts with: it must
    // merge as an extension, not as two versions of the same field (which
    // asked the person, and "keep both" wrote the first part twice).
    let mut store = Store::default();
    let mut syncing = Tab {
        workspace: Workspace::new(me()),
        base: None,
    };
    perform(&mut syncing.workspace, &Act::Create);
    let local = syncing.workspace.replica.commitments[0].clone();
    let id = local.id;
    let snapshot = |revision: u64, summary: &str| Snapshot {
        id,
        cycle: local.cycle,
        committer: local.committer,
        kind: local.kind,
        committer_name: local.committer_name.clone(),
        ancestry: local.ancestry.clone(),
        state: CommitmentState::Draft,
        revision: Revision(revision),
        draft: text(summary),
        number: None,
        reviews: vec![],
        updated_at: "2026-12-05T08:00:00Z".parse().unwrap(),
        fulfilment: vec![],
    };
    // Created on the server.
    syncing.workspace.replica.capture(&mut OperationId::new);
    let create = syncing.workspace.replica.outbox[0].id;
    syncing.workspace.replica.acknowledge(&[OperationResult {
        id: create,
        outcome: Outcome::Applied {
            snapshot: Box::new(snapshot(1, "")),
        },
    }]);
    syncing.save(&mut store, true);
    let mut typing = Tab {
        workspace: store.read().unwrap(),
        base: store.read(),
    };
    typing.workspace.replica.edit(id, text("第一段"));
    typing.save(&mut store, true);
    // The syncing tab takes it in and sends it...
    syncing.save(&mut store, true);
    syncing.workspace.replica.capture(&mut OperationId::new);
    let sent = syncing.workspace.replica.outbox[0].id;
    syncing.save(&mut store, true);
    typing.save(&mut store, true);
    assert!(typing.workspace.replica.outbox.iter().any(|o| o.id == sent));
    // ...the server acknowledges it, while the person types on.
    syncing.workspace.replica.acknowledge(&[OperationResult {
        id: sent,
        outcome: Outcome::Saved {
            revision: Revision(2),
        },
    }]);
    syncing.save(&mut store, true);
    typing.workspace.replica.edit(id, text("第一段，第二段"));
    typing.save(&mut store, true);

    let mine = typing.workspace.replica.get(id).unwrap();
    assert_eq!(mine.draft.needs_summary, "第一段，第二段");
    assert!(typing.workspace.replica.outbox.is_empty());
    assert_eq!(
        mine.ancestor().needs_summary,
        "第一段",
        "what the server acknowledged is the common version"
    );
    // Merged with the server's version (as after a conflict): clean.
    let merged = merge(&mine.ancestor(), &mine.draft, &text("第一段"), &|_| None);
    assert!(merged.is_clean());
    assert_eq!(merged.draft.needs_summary, "第一段，第二段");
}
