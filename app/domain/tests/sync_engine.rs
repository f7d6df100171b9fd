//! The sync engine and the device's replica, driven natively against a
//! small model of the server (the same decision rules, in memory): what a
//! person typed stays until the server has it; an operation never changes
//! once queued and leaves the outbox only when acknowledged; a lost answer
//! loses nothing; one-sided changes merge by themselves and only a field
//! both sides changed asks the person. The real server under faults is
//! the storm test's (`tests/tests/sync_storm.rs`).

use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::dossier::Refusal;
use chengnuo_domain::ids::{CommitmentId, CycleId, OperationId, PersonId};
use chengnuo_domain::org::{Ancestry, MemberCategory};
use chengnuo_domain::permission::Denied;
use chengnuo_domain::sync::decision::{decide, Decision, Predecessor};
use chengnuo_domain::sync::engine::Tick;
use chengnuo_domain::sync::engine::{Connection, Engine, Failure, Request};
use chengnuo_domain::sync::merge::{merge, Choice, ItemField, Spot};
use chengnuo_domain::sync::replica::{Replica, Step, SyncStatus};
use chengnuo_domain::sync::{
    Change, Cursor, Operation, OperationResult, Outcome, PullResponse, PushRequest, PushResponse,
    Revision, Snapshot,
};
use chengnuo_domain::workflow::{next_state, CommitmentState, Transition};
use chrono::{DateTime, Utc};
use proptest::prelude::*;
use std::collections::HashMap;

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
        items: vec![],
        standards: vec![],
    }
}

/// The first moment on the phone's monotonic clock.
fn tick0() -> Tick {
    Tick(1_000)
}

fn start() -> DateTime<Utc> {
    "2026-11-27T08:00:00Z".parse().unwrap()
}

/// The server's rules in memory: `decide`, the workflow, replays answered
/// from the recorded outcome, a change feed.
#[derive(Default)]
struct Server {
    commitments: Vec<Snapshot>,
    changed_at: HashMap<CommitmentId, u64>,
    applied: HashMap<OperationId, Outcome>,
    seq: u64,
    /// Every applied operation, in order.
    log: Vec<OperationId>,
}

impl Server {
    fn get(&self, id: CommitmentId) -> Option<&Snapshot> {
        self.commitments.iter().find(|c| c.id == id)
    }

    fn push(&mut self, request: &PushRequest) -> PushResponse {
        let results = request
            .operations
            .iter()
            .map(|op| OperationResult {
                id: op.id,
                outcome: self.apply(op, request.compact),
            })
            .collect();
        PushResponse { results }
    }

    fn apply(&mut self, op: &Operation, compact: bool) -> Outcome {
        if let Some(recorded) = self.applied.get(&op.id) {
            return match recorded {
                Outcome::Applied { snapshot } => Outcome::AlreadyApplied {
                    revision: snapshot.revision,
                },
                Outcome::Saved { revision } => Outcome::AlreadyApplied {
                    revision: *revision,
                },
                other => other.clone(),
            };
        }
        let index = match &op.change {
            Change::Create { committer, .. } => self
                .commitments
                .iter()
                .position(|c| c.id == op.commitment || c.committer == *committer),
            _ => self.commitments.iter().position(|c| c.id == op.commitment),
        };
        let current = index.map(|i| self.commitments[i].clone());
        let predecessor = match op.after {
            None => Predecessor::None,
            Some(after) => match self.applied.get(&after) {
                Some(
                    Outcome::Applied { .. }
                    | Outcome::Saved { .. }
                    | Outcome::AlreadyApplied { .. },
                ) => Predecessor::Applied,
                _ => Predecessor::NotApplied,
            },
        };
        let decision = decide(
            op,
            current.as_ref().map(|c| c.revision),
            predecessor,
            current.as_ref().map(|c| &c.draft),
        );
        let outcome = match (decision, current) {
            (Decision::AlreadyApplied, Some(c)) => Outcome::AlreadyApplied {
                revision: c.revision,
            },
            (Decision::Conflict | Decision::Duplicate, Some(c)) => Outcome::Conflict {
                server: Box::new(c),
            },
            (Decision::Stale, Some(c)) => Outcome::Stale {
                server: Box::new(c),
            },
            (Decision::Apply, None) => {
                let Change::Create {
                    cycle,
                    committer,
                    draft,
                } = &op.change
                else {
                    unreachable!()
                };
                let snapshot = Snapshot {
                    id: op.commitment,
                    cycle: *cycle,
                    committer: *committer,
                    kind: kind(),
                    committer_name: "王立新".into(),
                    ancestry: Ancestry(vec![]),
                    state: CommitmentState::Draft,
                    revision: Revision(1),
                    draft: draft.clone(),
                    number: None,
                    reviews: vec![],
                    updated_at: start(),
                    fulfilment: vec![],
                };
                self.commitments.push(snapshot.clone());
                self.changed(op, snapshot)
            }
            (Decision::Apply, Some(mut c)) => {
                let transition = match &op.change {
                    Change::SaveDraft { draft, .. } => {
                        if !c.state.is_editable() {
                            return self.refuse(op, c.state);
                        }
                        c.draft = draft.clone();
                        None
                    }
                    Change::Submit => Some(Transition::Submit),
                    Change::Withdraw => Some(Transition::Withdraw),
                    _ => None,
                };
                if let Some(transition) = transition {
                    match next_state(c.state, transition) {
                        Ok(next) => c.state = next,
                        Err(_) => return self.refuse(op, c.state),
                    }
                }
                c.revision = c.revision.next();
                let i = self.commitments.iter().position(|x| x.id == c.id).unwrap();
                self.commitments[i] = c.clone();
                match (&op.change, compact) {
                    (Change::SaveDraft { .. }, true) => {
                        self.changed(op, c.clone());
                        Outcome::Saved {
                            revision: c.revision,
                        }
                    }
                    _ => self.changed(op, c),
                }
            }
            _ => Outcome::Refused {
                refusal: Refusal::Denied(Denied::NotVisible),
            },
        };
        self.applied.insert(op.id, outcome.clone());
        outcome
    }

    fn refuse(&mut self, op: &Operation, state: CommitmentState) -> Outcome {
        let outcome = Outcome::Refused {
            refusal: Refusal::Denied(Denied::WrongState(state)),
        };
        self.applied.insert(op.id, outcome.clone());
        outcome
    }

    fn changed(&mut self, op: &Operation, snapshot: Snapshot) -> Outcome {
        self.seq += 1;
        self.changed_at.insert(snapshot.id, self.seq);
        self.log.push(op.id);
        Outcome::Applied {
            snapshot: Box::new(snapshot),
        }
    }

    fn pull(&self, since: Cursor) -> PullResponse {
        let mut changes: Vec<(u64, Snapshot)> = self
            .commitments
            .iter()
            .filter_map(|c| {
                let at = self.changed_at[&c.id];
                (at > since.0).then(|| (at, c.clone()))
            })
            .collect();
        changes.sort_by_key(|(at, _)| *at);
        PullResponse {
            changes: changes.into_iter().map(|(_, c)| c).collect(),
            cursor: Cursor(self.seq.max(since.0)),
            more: false,
        }
    }
}

/// What happens to a request on the way.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Delivered,
    /// Never reached the server.
    Dropped,
    /// Applied by the server; the answer never came back.
    AnswerLost,
}

/// One phone: its replica (what storage keeps) and its engine.
struct Device {
    replica: Replica,
    engine: Engine,
    now: Tick,
}

impl Device {
    fn new() -> Device {
        Device {
            replica: Replica::default(),
            engine: Engine::new(None),
            now: tick0(),
        }
    }

    fn edit(&mut self, id: CommitmentId, draft: CommitmentDraft) {
        self.replica.edit(id, draft);
        self.engine.edited(self.now);
    }

    /// Lets time pass so that typing settles and retries are due.
    fn wait(&mut self, seconds: i64) {
        self.now = Tick(self.now.0 + seconds * 1_000);
    }

    /// One request, with the given fate. Returns whether there was one.
    fn step(&mut self, server: &mut Server, fate: Fate) -> bool {
        let Some(request) = self
            .engine
            .next(&mut self.replica, self.now, &mut OperationId::new)
        else {
            return false;
        };
        match (request, fate) {
            (_, Fate::Dropped) => self.engine.failed(Failure::Unreachable, self.now),
            (Request::Push(push), Fate::AnswerLost) => {
                server.push(&push);
                self.engine.failed(Failure::Unreachable, self.now);
            }
            (Request::Pull(_), Fate::AnswerLost) => {
                self.engine.failed(Failure::Unreachable, self.now)
            }
            (Request::Push(push), Fate::Delivered) => {
                let response = server.push(&push);
                self.engine.pushed(&mut self.replica, &response, self.now);
            }
            (Request::Pull(pull), Fate::Delivered) => {
                let response = server.pull(pull.since);
                self.engine
                    .pulled(&mut self.replica, response, self.now, start());
            }
            // The model server holds every file it is offered.
            (Request::Upload { .. }, Fate::AnswerLost) => {
                self.engine.failed(Failure::Unreachable, self.now)
            }
            (Request::Upload { file, .. }, Fate::Delivered) => {
                self.engine.uploaded(&mut self.replica, &file.hash)
            }
        }
        true
    }

    /// Syncs until there is nothing left to do, every request delivered.
    fn sync(&mut self, server: &mut Server) {
        self.engine.wake(true);
        self.wait(2);
        for _ in 0..50 {
            if !self.step(server, Fate::Delivered) {
                return;
            }
        }
        panic!("the engine never became quiet");
    }
}

fn commitment_on(device: &mut Device, draft: CommitmentDraft) -> CommitmentId {
    let id = CommitmentId::new();
    device.replica.create(
        id,
        CycleId::new(),
        Committer::Person(PersonId::new()),
        kind(),
        "王立新".into(),
        Ancestry(vec![]),
        draft,
    );
    id
}

/// The same person's commitment on a second phone (after a sync there).
fn second_phone(server: &mut Server) -> Device {
    let mut phone = Device::new();
    phone.sync(server);
    phone
}

#[test]
fn typing_during_a_push_whose_answer_is_lost_reaches_the_server() {
    // The deterministic case: one push is applied but its answer is
    // lost; the member types more; the retry is answered `already_applied`.
    let mut server = Server::default();
    let mut phone = Device::new();
    let id = commitment_on(&mut phone, text("起"));
    phone.sync(&mut server);

    phone.edit(id, text("起草第一段"));
    phone.wait(2);
    assert!(phone.step(&mut server, Fate::AnswerLost));
    assert_eq!(server.get(id).unwrap().draft.needs_summary, "起草第一段");
    // 16 more characters while the answer is lost.
    phone.edit(id, text("起草第一段，再写十六个字的第二段内容啊"));
    assert_eq!(
        phone
            .engine
            .status(&phone.replica, phone.now, true)
            .connection,
        Connection::Unreachable {
            retry_in_seconds: 2
        }
    );
    phone.sync(&mut server);

    let expected = "起草第一段，再写十六个字的第二段内容啊";
    assert_eq!(server.get(id).unwrap().draft.needs_summary, expected);
    assert_eq!(phone.replica.get(id).unwrap().draft.needs_summary, expected);
    assert_eq!(phone.replica.status(id), SyncStatus::Synced);
    assert_eq!(
        server.log.len(),
        3,
        "create, the first text, the second: each once"
    );
}

#[derive(Debug, Clone)]
enum Action {
    Type(char),
    Wait(i64),
    Request(Fate),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => proptest::char::range('一', '龥').prop_map(Action::Type),
        2 => (1i64..5).prop_map(Action::Wait),
        1 => Just(Action::Request(Fate::Delivered)),
        1 => Just(Action::Request(Fate::Dropped)),
        1 => Just(Action::Request(Fate::AnswerLost)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever is lost on the way, the text on the screen is always what
    /// was typed last, an operation never changes once queued, and once the
    /// network is good the server has exactly that text, every operation
    /// applied once.
    #[test]
    fn nothing_typed_is_lost_whatever_is_lost_on_the_way(actions in prop::collection::vec(action(), 1..80)) {
        let mut server = Server::default();
        let mut phone = Device::new();
        let id = commitment_on(&mut phone, text(""));
        let mut typed = String::new();
        let mut seen: HashMap<OperationId, Operation> = HashMap::new();
        for action in actions {
            match action {
                Action::Type(c) => {
                    typed.push(c);
                    phone.edit(id, text(&typed));
                }
                Action::Wait(seconds) => phone.wait(seconds),
                Action::Request(fate) => {
                    phone.step(&mut server, fate);
                }
            }
            prop_assert_eq!(&phone.replica.get(id).unwrap().draft.needs_summary, &typed);
            for op in &phone.replica.outbox {
                let first = seen.entry(op.id).or_insert_with(|| op.clone());
                prop_assert_eq!(&*first, op, "an operation changed after it was queued");
            }
        }
        phone.sync(&mut server);
        prop_assert_eq!(&server.get(id).unwrap().draft.needs_summary, &typed);
        prop_assert_eq!(&phone.replica.get(id).unwrap().draft.needs_summary, &typed);
        prop_assert!(phone.replica.outbox.is_empty());
        let mut applied = server.log.clone();
        applied.sort();
        applied.dedup();
        prop_assert_eq!(applied.len(), server.log.len(), "an operation applied twice");
    }
}

fn three_items() -> CommitmentDraft {
    let item = |content: &str| ItemDraft {
        content: content.into(),
        measures: "原措施".into(),
        ..Default::default()
    };
    CommitmentDraft {
        needs_summary: String::new(),
        items: vec![item("一"), item("二"), item("三")],
        standards: vec![],
    }
}

#[test]
fn two_phones_merge_what_each_changed_and_ask_only_about_the_same_field() {
    // The second case: phone 1 appends to item 1, phone 2 to item
    // 2, both rewrite item 3's measures.
    let mut server = Server::default();
    let mut phone1 = Device::new();
    let id = commitment_on(&mut phone1, three_items());
    phone1.sync(&mut server);
    let mut phone2 = second_phone(&mut server);

    let mut one = phone1.replica.get(id).unwrap().draft.clone();
    one.items[0].content.push_str("（手机1补充）");
    one.items[2].measures = "手机1的措施".into();
    phone1.edit(id, one);
    let mut two = phone2.replica.get(id).unwrap().draft.clone();
    two.items[1].content.push_str("（手机2补充）");
    two.items[2].measures = "手机2的措施".into();
    phone2.edit(id, two);

    phone1.sync(&mut server);
    phone2.sync(&mut server);
    let local = phone2.replica.get(id).unwrap();
    assert_eq!(phone2.replica.status(id), SyncStatus::Conflict);
    let other = local.conflict.as_ref().unwrap();
    let asked = merge(&local.ancestor(), &local.draft, &other.draft, &|_| None);
    let item3 = local.draft.items[2].id;
    assert_eq!(asked.questions.len(), 1, "{:?}", asked.questions);
    assert_eq!(
        asked.questions[0].spot,
        Spot::Item {
            id: item3,
            field: ItemField::Measures
        }
    );
    // Accepting what is offered keeps everyone's text.
    phone2
        .replica
        .resolve(id, asked.draft, asked.set_aside, OperationId::new());
    phone2.sync(&mut server);
    phone1.sync(&mut server);
    for draft in [
        &server.get(id).unwrap().draft,
        &phone1.replica.get(id).unwrap().draft,
        &phone2.replica.get(id).unwrap().draft,
    ] {
        assert_eq!(draft.items[0].content, "一（手机1补充）");
        assert_eq!(draft.items[1].content, "二（手机2补充）");
        assert_eq!(draft.items[2].measures, "手机2的措施\n手机1的措施");
    }
    assert_eq!(phone1.replica.status(id), SyncStatus::Synced);
}

#[test]
fn choosing_one_version_sends_the_other_to_the_history() {
    let mut server = Server::default();
    let mut phone1 = Device::new();
    let id = commitment_on(&mut phone1, text("原来的"));
    phone1.sync(&mut server);
    let mut phone2 = second_phone(&mut server);
    phone1.edit(id, text("手机1的"));
    phone2.edit(id, text("手机2的"));
    phone1.sync(&mut server);
    phone2.sync(&mut server);
    let local = phone2.replica.get(id).unwrap();
    let chosen = merge(
        &local.ancestor(),
        &local.draft,
        &local.conflict.as_ref().unwrap().draft,
        &|_| Some(Choice::Theirs),
    );
    assert_eq!(chosen.draft.needs_summary, "手机1的");
    phone2
        .replica
        .resolve(id, chosen.draft, chosen.set_aside, OperationId::new());
    let queued = &phone2.replica.outbox[0];
    assert!(matches!(&queued.change,
        Change::SaveDraft { set_aside, .. } if set_aside.len() == 1 && set_aside[0].needs_summary == "手机2的"));
    phone2.sync(&mut server);
    assert_eq!(server.get(id).unwrap().draft.needs_summary, "手机1的");
}

#[test]
fn a_conflict_waiting_for_the_person_is_not_overwritten_by_pulls() {
    let mut server = Server::default();
    let mut phone1 = Device::new();
    let id = commitment_on(&mut phone1, text("原来的"));
    phone1.sync(&mut server);
    let mut phone2 = second_phone(&mut server);
    phone1.edit(id, text("手机1的"));
    phone2.edit(id, text("手机2的"));
    phone1.sync(&mut server);
    phone2.sync(&mut server);
    assert_eq!(phone2.replica.status(id), SyncStatus::Conflict);
    // More changes arrive while the person has not merged yet.
    phone1.edit(id, text("手机1又改了"));
    phone1.sync(&mut server);
    phone2.sync(&mut server);
    let local = phone2.replica.get(id).unwrap();
    assert_eq!(local.draft.needs_summary, "手机2的");
    assert_eq!(
        local.conflict.as_ref().unwrap().draft.needs_summary,
        "手机1的",
        "the version on screen stays the one compared with"
    );
    // The merge goes on top of that version and meets the newer one: asked again.
    let merged = merge(
        &local.ancestor(),
        &local.draft,
        &local.conflict.as_ref().unwrap().draft,
        &|_| None,
    );
    phone2
        .replica
        .resolve(id, merged.draft, merged.set_aside, OperationId::new());
    phone2.sync(&mut server);
    let local = phone2.replica.get(id).unwrap();
    assert_eq!(
        local.conflict.as_ref().unwrap().draft.needs_summary,
        "手机1又改了"
    );
    assert_eq!(local.draft.needs_summary, "手机2的\n手机1的");
}

#[test]
fn two_phones_starting_the_same_commitment_offline_keep_both_texts() {
    let mut server = Server::default();
    let person = Committer::Person(PersonId::new());
    let cycle = CycleId::new();
    let mut phones = [Device::new(), Device::new()];
    let ids: Vec<CommitmentId> = phones
        .iter_mut()
        .zip(["手机1写的", "手机2写的"])
        .map(|(phone, words)| {
            let id = CommitmentId::new();
            phone.replica.create(
                id,
                cycle,
                person,
                kind(),
                "王立新".into(),
                Ancestry(vec![]),
                text(words),
            );
            id
        })
        .collect();
    let [first, second] = &mut phones;
    first.sync(&mut server);
    second.sync(&mut server);
    // The second phone's text joins the first's commitment: both texts
    // wait for the person, "keep both" offered.
    assert!(second.replica.get(ids[1]).is_none());
    let local = second.replica.get(ids[0]).unwrap();
    let other = local.conflict.as_ref().expect("asked");
    let offered = merge(&local.ancestor(), &local.draft, &other.draft, &|_| None);
    second
        .replica
        .resolve(ids[0], offered.draft, offered.set_aside, OperationId::new());
    second.sync(&mut server);
    assert_eq!(
        server.get(ids[0]).unwrap().draft.needs_summary,
        "手机2写的\n手机1写的"
    );
    first.sync(&mut server);
    assert_eq!(
        first.replica.get(ids[0]).unwrap().draft.needs_summary,
        "手机2写的\n手机1写的"
    );
}

#[test]
fn a_submission_withdrawn_offline_can_be_edited_again() {
    let mut server = Server::default();
    let mut phone = Device::new();
    let id = commitment_on(&mut phone, text("提交的"));
    phone.sync(&mut server);
    phone
        .replica
        .queue(id, Change::Submit, &mut OperationId::new);
    assert_eq!(
        phone.replica.predicted_state(id),
        CommitmentState::Submitted
    );
    phone
        .replica
        .queue(id, Change::Withdraw, &mut OperationId::new);
    assert_eq!(phone.replica.predicted_state(id), CommitmentState::Draft);
    phone.edit(id, text("撤回后又改了"));
    phone.sync(&mut server);
    let on_server = server.get(id).unwrap();
    assert_eq!(on_server.state, CommitmentState::Draft);
    assert_eq!(on_server.draft.needs_summary, "撤回后又改了");
}

#[test]
fn a_step_queued_on_a_version_changed_elsewhere_is_not_taken_and_says_so() {
    let mut server = Server::default();
    let mut phone1 = Device::new();
    let id = commitment_on(&mut phone1, text("原来的"));
    phone1.sync(&mut server);
    let mut phone2 = second_phone(&mut server);
    phone1.edit(id, text("手机1改的"));
    phone1.sync(&mut server);
    phone2
        .replica
        .queue(id, Change::Submit, &mut OperationId::new);
    phone2.sync(&mut server);
    let local = phone2.replica.get(id).unwrap();
    assert_eq!(local.not_taken, [Step::Submit]);
    assert_eq!(phone2.replica.status(id), SyncStatus::Refused);
    assert_eq!(server.get(id).unwrap().state, CommitmentState::Draft);
    assert_eq!(
        local.draft.needs_summary, "手机1改的",
        "nothing of its own to keep"
    );
    phone2.replica.dismiss(id);
    assert_eq!(phone2.replica.status(id), SyncStatus::Synced);
}

#[test]
fn an_edit_the_server_refuses_stays_on_the_device_with_the_reason() {
    let mut server = Server::default();
    let mut phone1 = Device::new();
    let id = commitment_on(&mut phone1, text("原来的"));
    phone1.sync(&mut server);
    let mut phone2 = second_phone(&mut server);
    phone1
        .replica
        .queue(id, Change::Submit, &mut OperationId::new);
    phone1.sync(&mut server);
    // The other phone had not seen the submission and types on.
    phone2.edit(id, text("提交之后在另一台手机上改的"));
    phone2.sync(&mut server);
    let local = phone2.replica.get(id).unwrap();
    assert_eq!(local.draft.needs_summary, "提交之后在另一台手机上改的");
    assert_eq!(
        local.refused,
        Some(Refusal::Denied(Denied::WrongState(
            CommitmentState::Submitted
        )))
    );
    // A later pull does not replace the refused text.
    phone2.sync(&mut server);
    assert_eq!(
        phone2.replica.get(id).unwrap().draft.needs_summary,
        "提交之后在另一台手机上改的"
    );
    // Withdrawn, the text goes through.
    phone2
        .replica
        .queue(id, Change::Withdraw, &mut OperationId::new);
    phone2.edit(id, text("提交之后在另一台手机上改的"));
    phone2.sync(&mut server);
    assert_eq!(
        server.get(id).unwrap().draft.needs_summary,
        "提交之后在另一台手机上改的"
    );
}

#[test]
fn the_engine_backs_off_tells_the_truth_and_settles_typing() {
    let mut server = Server::default();
    let mut phone = Device::new();
    assert_eq!(
        phone
            .engine
            .status(&phone.replica, phone.now, true)
            .connection,
        Connection::NotYetSynced
    );
    assert_eq!(
        phone
            .engine
            .status(&phone.replica, phone.now, false)
            .connection,
        Connection::Offline
    );
    let id = commitment_on(&mut phone, text("起"));
    // Each failure doubles the wait: 2, 4, 8 s.
    for wait in [2, 4, 8] {
        assert!(phone.step(&mut server, Fate::Dropped));
        let status = phone.engine.status(&phone.replica, phone.now, true);
        assert_eq!(
            status.connection,
            Connection::Unreachable {
                retry_in_seconds: wait
            }
        );
        assert_eq!(status.waiting, 1);
        assert!(
            !phone.step(&mut server, Fate::Delivered),
            "not before the retry"
        );
        phone.wait(wait);
    }
    phone.sync(&mut server);
    assert_eq!(
        phone
            .engine
            .status(&phone.replica, phone.now, true)
            .connection,
        Connection::Reached
    );
    // Typing goes out once it pauses.
    phone.edit(id, text("起草"));
    assert!(!phone.step(&mut server, Fate::Delivered));
    phone.wait(2);
    assert!(phone.step(&mut server, Fate::Delivered));
    assert_eq!(server.get(id).unwrap().draft.needs_summary, "起草");
    // A session that ended stops the engine until the person signs in.
    phone.edit(id, text("起草中"));
    phone.wait(2);
    phone
        .engine
        .next(&mut phone.replica, phone.now, &mut OperationId::new);
    phone.engine.failed(Failure::SignedOut, phone.now);
    assert_eq!(
        phone
            .engine
            .status(&phone.replica, phone.now, true)
            .connection,
        Connection::SignedOut
    );
    assert!(!phone.step(&mut server, Fate::Delivered));
    phone.engine.signed_in();
    phone.sync(&mut server);
    assert_eq!(server.get(id).unwrap().draft.needs_summary, "起草中");
}

#[test]
fn a_replica_stored_by_the_previous_version_still_loads() {
    // A workspace stored before the sync engine (an edit folded into its
    // creation, refusals in the old fields): its text must survive.
    let id = CommitmentId::new();
    let cycle = CycleId::new();
    let person = PersonId::new();
    let stored = serde_json::json!({
        "commitments": [{
            "id": id, "cycle": cycle, "committer": {"type": "person", "id": person},
            "kind": {"type": "member", "category": "Teacher", "cadre_rank": null, "is_activist": false},
            "committer_name": "王立新", "ancestry": [], "server": null,
            "draft": {"needs_summary": "离线写的", "items": [], "standards": []},
            "expected_revision": 1, "conflict": null, "stale_review": null,
            "refusal": [], "denied": null
        }],
        "outbox": [{
            "id": OperationId::new(), "commitment": id, "base_revision": null,
            "change": {"type": "create", "cycle": cycle, "committer": {"type": "person", "id": person},
                       "draft": {"needs_summary": "离线写的", "items": [], "standards": []}}
        }],
        "cursor": 0
    });
    let mut replica: Replica = serde_json::from_value(stored).unwrap();
    assert_eq!(replica.get(id).unwrap().draft.needs_summary, "离线写的");
    let mut server = Server::default();
    let mut engine = Engine::new(None);
    let now = tick0();
    while let Some(request) = engine.next(&mut replica, now, &mut OperationId::new) {
        match request {
            Request::Push(push) => {
                let response = server.push(&push);
                engine.pushed(&mut replica, &response, now);
            }
            Request::Pull(pull) => {
                engine.pulled(&mut replica, server.pull(pull.since), now, start());
            }
            Request::Upload { file, .. } => engine.uploaded(&mut replica, &file.hash),
        }
    }
    assert_eq!(server.get(id).unwrap().draft.needs_summary, "离线写的");
}

#[test]
fn two_tabs_keep_each_others_edits() {
    let mut first = Replica::default();
    let x = CommitmentId::new();
    first.create(
        x,
        CycleId::new(),
        Committer::Person(PersonId::new()),
        kind(),
        "王立新".into(),
        Ancestry(vec![]),
        text("起"),
    );
    let base = first.clone();
    let mut second = first.clone();
    let y = CommitmentId::new();
    second.create(
        y,
        CycleId::new(),
        Committer::Person(PersonId::new()),
        kind(),
        "党支部".into(),
        Ancestry(vec![]),
        text("支部的"),
    );
    second.queue(y, Change::Submit, &mut OperationId::new);
    first.edit(x, text("第一个标签页写的"));
    // The second tab saved first; the first tab now saves on top of it.
    first.merge_stored(&second, Some(&base));
    assert_eq!(
        first.get(x).unwrap().draft.needs_summary,
        "第一个标签页写的"
    );
    assert!(first.get(x).unwrap().conflict.is_none());
    assert_eq!(first.get(y).unwrap().draft.needs_summary, "支部的");
    assert_eq!(first.pending(y), 2, "the other tab's operations come along");
    // And the second tab, whose base is what it saved, takes the first tab's edit of x.
    second.merge_stored(&first, Some(&second.clone()));
    assert_eq!(
        second.get(x).unwrap().draft.needs_summary,
        "第一个标签页写的"
    );
    assert!(second.get(x).unwrap().dirty);
}

#[test]
fn two_tabs_typing_the_same_field_at_once_keep_both_texts() {
    let mut first = Replica::default();
    let x = CommitmentId::new();
    first.create(
        x,
        CycleId::new(),
        Committer::Person(PersonId::new()),
        kind(),
        "王立新".into(),
        Ancestry(vec![]),
        text("起"),
    );
    let base = first.clone();
    let mut second = first.clone();
    first.edit(x, text("第一个标签页写的"));
    second.edit(x, text("第二个标签页写的"));
    first.merge_stored(&second, Some(&base));
    let local = first.get(x).unwrap();
    assert_eq!(local.draft.needs_summary, "第一个标签页写的");
    let other = local
        .conflict
        .as_ref()
        .expect("the other tab's text is kept");
    assert_eq!(other.draft.needs_summary, "第二个标签页写的");
    assert!(local.conflict_from_other_tab);
    assert_eq!(first.status(x), SyncStatus::Conflict);
    // Different fields typed in two tabs merge by themselves.
    let mut third = base.clone();
    let mut fourth = base.clone();
    let mut with_item = text("起");
    with_item.items.push(ItemDraft {
        content: "第四个标签页加的".into(),
        ..Default::default()
    });
    third.edit(x, text("第三个标签页改的"));
    fourth.edit(x, with_item);
    third.merge_stored(&fourth, Some(&base));
    let local = third.get(x).unwrap();
    assert!(local.conflict.is_none());
    assert_eq!(local.draft.needs_summary, "第三个标签页改的");
    assert_eq!(local.draft.items[0].content, "第四个标签页加的");
}

#[test]
fn unsynced_work_imported_from_a_file_joins_what_the_device_has() {
    let mut server = Server::default();
    let mut phone1 = Device::new();
    let id = commitment_on(&mut phone1, three_items());
    phone1.sync(&mut server);
    let mut phone2 = second_phone(&mut server);
    let mut typed = phone1.replica.get(id).unwrap().draft.clone();
    typed.items[0].measures = "离线手机上写的措施".into();
    phone1.edit(id, typed);
    // Exported (the stored replica) and imported on the other phone.
    let file = serde_json::to_string(&phone1.replica).unwrap();
    phone2.replica.import(&serde_json::from_str(&file).unwrap());
    phone2.sync(&mut server);
    assert_eq!(
        server.get(id).unwrap().draft.items[0].measures,
        "离线手机上写的措施"
    );
}

#[test]
fn a_text_past_the_forms_limits_waits_on_the_device_until_shortened() {
    let mut server = Server::default();
    let mut phone = Device::new();
    let id = commitment_on(&mut phone, text("起"));
    phone.sync(&mut server);
    let long = "长".repeat(chengnuo_domain::validation::MAX_NEEDS_SUMMARY + 1);
    phone.edit(id, text(&long));
    phone.sync(&mut server);
    assert_eq!(
        server.get(id).unwrap().draft.needs_summary,
        "起",
        "not sent"
    );
    assert_eq!(phone.replica.status(id), SyncStatus::Waiting);
    assert_eq!(
        phone.replica.get(id).unwrap().draft.needs_summary,
        long,
        "kept"
    );
    phone.edit(id, text("缩短了"));
    phone.sync(&mut server);
    assert_eq!(server.get(id).unwrap().draft.needs_summary, "缩短了");
}

/// Fulfilment work (a ledger entry, a claim) waits in the outbox outside
/// the text's chain of revisions: the device shows the claim at once, the
/// entry as waiting, and the server's answer settles both; a refused step
/// leaves the item as the server has it, with the reason.
#[test]
fn claims_and_ledger_entries_made_offline_show_at_once_and_settle_with_the_answer() {
    use chengnuo_domain::dossier::ItemFulfilment;
    use chengnuo_domain::ids::ItemId;
    use chengnuo_domain::ledger::ProgressDraft;
    use chengnuo_domain::workflow::{ItemState, ItemStep};
    let items = [ItemId::new(), ItemId::new()];
    let published = Snapshot {
        id: CommitmentId::new(),
        cycle: CycleId::new(),
        committer: Committer::Person(PersonId::new()),
        kind: kind(),
        committer_name: "赵建国".into(),
        ancestry: Ancestry(vec![]),
        state: CommitmentState::Published,
        revision: Revision(5),
        draft: text("已公开"),
        number: Some("2026-计算机-001".into()),
        reviews: vec![],
        updated_at: start(),
        fulfilment: items
            .iter()
            .map(|item| ItemFulfilment {
                item: *item,
                deadline: "2027-03-31".parse().unwrap(),
                state: ItemState::Open,
                returned: None,
                crossed_off_on: None,
                plan: Vec::new(),
            })
            .collect(),
    };
    let id = published.id;
    let mut replica = Replica::default();
    replica.absorb(vec![published.clone()], Cursor(1));
    let entry = ProgressDraft {
        item: Some(items[0]),
        date: "2026-12-01".into(),
        text: "完成第一次辅导".into(),
        ..Default::default()
    };
    let (record, claim, cross) = (OperationId::new(), OperationId::new(), OperationId::new());
    replica.queue_fulfilment(
        id,
        Change::RecordProgress {
            entry: entry.clone(),
        },
        record,
    );
    replica.queue_fulfilment(
        id,
        Change::StepItem {
            item: items[0],
            step: ItemStep::Claim,
            reason: String::new(),
        },
        claim,
    );
    // Not the person's to decide, but queued all the same: the server says no.
    replica.queue_fulfilment(
        id,
        Change::StepItem {
            item: items[1],
            step: ItemStep::CrossOff,
            reason: String::new(),
        },
        cross,
    );
    // A text change is not fulfilment work and is not queued this way.
    replica.queue_fulfilment(id, Change::Submit, OperationId::new());
    assert_eq!(replica.outbox.len(), 3);
    assert!(replica
        .outbox
        .iter()
        .all(|o| o.base_revision.is_none() && o.after.is_none()));
    assert_eq!(replica.waiting_progress(id), vec![&entry]);
    let states = |r: &Replica| {
        r.predicted_fulfilment(id)
            .iter()
            .map(|f| f.state)
            .collect::<Vec<_>>()
    };
    assert_eq!(states(&replica), [ItemState::ClaimedDone, ItemState::Open]);

    let mut claimed = published.clone();
    claimed.revision = Revision(6);
    claimed.fulfilment[0].state = ItemState::ClaimedDone;
    replica.acknowledge(&[
        OperationResult {
            id: record,
            outcome: Outcome::Applied {
                snapshot: Box::new(published.clone()),
            },
        },
        OperationResult {
            id: claim,
            outcome: Outcome::Applied {
                snapshot: Box::new(claimed),
            },
        },
        OperationResult {
            id: cross,
            outcome: Outcome::Refused {
                refusal: Refusal::Denied(Denied::NotAllowed),
            },
        },
    ]);
    assert!(replica.outbox.is_empty());
    assert!(replica.waiting_progress(id).is_empty());

    // Work brought by file from a phone that holds the same commitment: its
    // queued entry comes along, once however often the file is imported.
    let mut other = Replica::default();
    other.absorb(vec![published.clone()], Cursor(1));
    other.queue_fulfilment(
        id,
        Change::RecordProgress {
            entry: entry.clone(),
        },
        OperationId::new(),
    );
    replica.import(&other);
    replica.import(&other);
    assert_eq!(replica.waiting_progress(id), vec![&entry]);
    assert_eq!(states(&replica), [ItemState::ClaimedDone, ItemState::Open]);
    // The refused step is kept beside its item with the reason; the text's
    // own refusal is untouched.
    let local = replica.get(id).unwrap();
    assert_eq!(local.refused, None);
    assert_eq!(local.refused_work.len(), 1);
    assert_eq!(local.refused_work[0].operation, cross);
    assert_eq!(local.refused_work[0].item(), Some(items[1]));
    assert_eq!(
        local.refused_work[0].refusal,
        Refusal::Denied(Denied::NotAllowed)
    );
}

/// A ledger entry the server refuses (dated after the school's today, say)
/// is the only copy of what the person wrote: it stays on the device with
/// the reason, through another tab's save and a transfer by file, counts as
/// needing the person, and leaves only when the person takes it back.
#[test]
fn a_refused_ledger_entry_stays_on_the_device_with_its_reason_until_the_person_takes_it() {
    use chengnuo_domain::dossier::ItemFulfilment;
    use chengnuo_domain::ids::ItemId;
    use chengnuo_domain::ledger::ProgressDraft;
    use chengnuo_domain::messages::{Message, ValidationErrors};
    use chengnuo_domain::sync::replica::SyncStatus;
    use chengnuo_domain::workflow::ItemState;
    let item = ItemId::new();
    let published = Snapshot {
        id: CommitmentId::new(),
        cycle: CycleId::new(),
        committer: Committer::Person(PersonId::new()),
        kind: kind(),
        committer_name: "赵建国".into(),
        ancestry: Ancestry(vec![]),
        state: CommitmentState::Published,
        revision: Revision(5),
        draft: text("已公开"),
        number: Some("2026-计算机-001".into()),
        reviews: vec![],
        updated_at: start(),
        fulfilment: vec![ItemFulfilment {
            item,
            deadline: "2027-03-31".parse().unwrap(),
            state: ItemState::Open,
            returned: None,
            crossed_off_on: None,
            plan: Vec::new(),
        }],
    };
    let id = published.id;
    let mut phone = Replica::default();
    phone.absorb(vec![published], Cursor(1));
    let written = ProgressDraft {
        item: Some(item),
        date: "2026-11-28".into(),
        text: "早上七点半写的：走访了三个宿舍".into(),
        ..Default::default()
    };
    let operation = OperationId::new();
    phone.queue_fulfilment(
        id,
        Change::RecordProgress {
            entry: written.clone(),
        },
        operation,
    );
    let before_answer = phone.clone();
    let mut future = ValidationErrors::default();
    future.push(
        "date",
        Message::DateAfterToday {
            today: "2026-11-27".parse().unwrap(),
        },
    );
    phone.acknowledge(&[OperationResult {
        id: operation,
        outcome: Outcome::Refused {
            refusal: Refusal::Invalid(future.clone()),
        },
    }]);
    assert!(phone.outbox.is_empty(), "not sent again as it is");
    let kept = phone.refused_work(id);
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0].change,
        Change::RecordProgress {
            entry: written.clone()
        }
    );
    assert_eq!(kept[0].refusal, Refusal::Invalid(future));
    assert_eq!(phone.status(id), SyncStatus::Refused);
    assert!(phone.get(id).unwrap().needs_attention());

    // Another tab saved meanwhile (it had typed in the same commitment):
    // its save does not drop the refused entry, and this tab's save does
    // not drop theirs.
    let mut other_tab = before_answer.clone();
    other_tab.edit(id, text("另一个标签页"));
    let mut merged = phone.clone();
    merged.edit(id, text("这个标签页"));
    merged.merge_stored(&other_tab, Some(&before_answer));
    assert_eq!(merged.refused_work(id).len(), 1);
    let mut theirs = other_tab.clone();
    theirs.merge_stored(&merged, Some(&before_answer));
    assert_eq!(theirs.refused_work(id).len(), 1);

    // Carried by file to a second phone, once however often imported.
    let mut second = before_answer.clone();
    second.outbox.clear();
    second.import(&phone);
    second.import(&phone);
    assert_eq!(second.refused_work(id).len(), 1);

    // The person takes it back (into the form, to fix the date): gone from
    // the list, and a tab that still had it does not bring it back.
    let base = phone.clone();
    let taken = phone.take_refused(id, operation).unwrap();
    assert_eq!(taken.change, Change::RecordProgress { entry: written });
    assert!(phone.refused_work(id).is_empty());
    assert_eq!(phone.take_refused(id, operation), None);
    let mut stale_tab = base.clone();
    stale_tab.edit(id, text("旧标签页"));
    phone.edit(id, text("新的"));
    phone.merge_stored(&stale_tab, Some(&base));
    assert!(phone.refused_work(id).is_empty());
    // (The two tabs' texts differ: that is a merge for the person, not a refusal.)
    assert_eq!(phone.status(id), SyncStatus::Conflict);
}

/// A ledger entry with a photo: the photo goes first, one file at a time,
/// and the entry only once the server holds it; a dropped upload is asked
/// again (the server keeps files by content hash, so nothing is doubled);
/// a file the server will not take sends the entry back to the person.
#[test]
fn an_entrys_files_go_before_it_one_at_a_time_and_a_refused_file_keeps_the_entry_on_the_device() {
    use chengnuo_domain::dossier::ItemFulfilment;
    use chengnuo_domain::evidence::{content_hash, Evidence, EvidenceKind};
    use chengnuo_domain::ids::ItemId;
    use chengnuo_domain::ledger::ProgressDraft;
    use chengnuo_domain::messages::{Message, ValidationErrors};
    use chengnuo_domain::workflow::ItemState;
    let item = ItemId::new();
    let published = Snapshot {
        id: CommitmentId::new(),
        cycle: CycleId::new(),
        committer: Committer::Person(PersonId::new()),
        kind: kind(),
        committer_name: "赵建国".into(),
        ancestry: Ancestry(vec![]),
        state: CommitmentState::Published,
        revision: Revision(5),
        draft: text("已公开"),
        number: None,
        reviews: vec![],
        updated_at: start(),
        fulfilment: vec![ItemFulfilment {
            item,
            deadline: "2027-03-31".parse().unwrap(),
            state: ItemState::Open,
            returned: None,
            crossed_off_on: None,
            plan: Vec::new(),
        }],
    };
    let id = published.id;
    let mut replica = Replica::default();
    replica.absorb(vec![published], Cursor(1));
    let photo = |n: u8| Evidence {
        hash: content_hash(&[0xFF, 0xD8, 0xFF, n]),
        kind: EvidenceKind::Jpeg,
        size: 310_000,
        name: format!("IMG_{n}.jpg"),
    };
    let entry = |files: Vec<Evidence>, text: &str| Change::RecordProgress {
        entry: ProgressDraft {
            item: Some(item),
            date: "2026-11-20".into(),
            text: text.into(),
            evidence: files,
            public: true,
        },
    };
    // Two entries sharing one photo, then a claim.
    let (first, second) = (OperationId::new(), OperationId::new());
    replica.queue_fulfilment(id, entry(vec![photo(1), photo(2)], "第一次"), first);
    replica.queue_fulfilment(id, entry(vec![photo(2)], "第二次"), second);
    assert_eq!(replica.pending_uploads().len(), 2, "each file once");
    let mut engine = Engine::new(None);
    let mut ids = OperationId::new;
    let now = tick0();
    let Some(Request::Upload { file, commitment }) = engine.next(&mut replica, now, &mut ids)
    else {
        panic!("the files go first");
    };
    assert_eq!((commitment, &file), (id, &photo(1)));
    assert_eq!(
        engine.next(&mut replica, now, &mut ids),
        None,
        "one at a time"
    );
    // The connection dropped: asked again later, not lost.
    engine.failed(Failure::Unreachable, now);
    let later = Tick(now.0 + 600_000);
    let Some(Request::Upload { file, .. }) = engine.next(&mut replica, later, &mut ids) else {
        panic!("the same file again");
    };
    assert_eq!(file, photo(1));
    engine.uploaded(&mut replica, &file.hash);
    let Some(Request::Upload { file, .. }) = engine.next(&mut replica, later, &mut ids) else {
        panic!("then the second file");
    };
    assert_eq!(file, photo(2));
    assert!(
        replica.batch(100).is_empty(),
        "no entry goes before its files"
    );
    engine.uploaded(&mut replica, &file.hash);
    let Some(Request::Push(push)) = engine.next(&mut replica, later, &mut ids) else {
        panic!("now the entries");
    };
    assert_eq!(push.operations.len(), 2);
    let mut held = replica.files_in_use();
    held.sort();
    let mut both = vec![photo(1).hash, photo(2).hash];
    both.sort();
    assert_eq!(held, both);
    engine.pushed(
        &mut replica,
        &PushResponse {
            results: [first, second]
                .into_iter()
                .map(|id| OperationResult {
                    id,
                    outcome: Outcome::AlreadyApplied {
                        revision: Revision(5),
                    },
                })
                .collect(),
        },
        later,
    );
    assert!(
        replica.uploaded.is_empty(),
        "forgotten once nothing waits for them"
    );
    assert!(
        replica.files_in_use().is_empty(),
        "the device may delete them"
    );

    // A file the server will not take: the entry stays, with the reason.
    let refused = OperationId::new();
    let fake = Evidence {
        kind: EvidenceKind::Png,
        ..photo(9)
    };
    replica.queue_fulfilment(id, entry(vec![fake.clone()], "附上截图"), refused);
    let Some(Request::Upload { file, .. }) = engine.next(&mut replica, later, &mut ids) else {
        panic!("the file first");
    };
    let mut not_taken = ValidationErrors::default();
    not_taken.push("file", Message::FileKindNotTaken);
    engine.upload_refused(
        &mut replica,
        &file.hash,
        Refusal::Invalid(not_taken.clone()),
    );
    assert!(replica.outbox.is_empty());
    let kept = replica.refused_work(id);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].operation, refused);
    assert_eq!(kept[0].refusal, Refusal::Invalid(not_taken));
    assert_eq!(
        replica.files_in_use(),
        vec![fake.hash],
        "kept while the person decides"
    );
}
