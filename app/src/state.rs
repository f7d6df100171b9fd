//! What the app knows, kept in browser storage per account so that it opens
//! offline with the last known data and never loses what was typed: the
//! signed-in person, the org tree, the cycle, and the replica of commitments
//! with its outbox (see `chengnuo_domain::sync::replica`). The sync engine's
//! state for this tab sits beside it (`chengnuo_domain::sync::engine`).

use crate::i18n::I18n;
use chengnuo_domain::account::Me;
use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::ids::{CommitmentId, OperationId, OrgUnitId};
use chengnuo_domain::org::Ancestry;
use chengnuo_domain::org::OrgUnitKind;
use chengnuo_domain::org::Unit;
use chengnuo_domain::permission::{can, Action, Actor, CommitmentTarget, Target};
use chengnuo_domain::sync::engine::{Engine, Status};
use chengnuo_domain::sync::replica::Replica;
use chengnuo_domain::sync::Change;
use chengnuo_domain::workflow::CommitmentState;
use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::time::Duration;

const CURRENT_ACCOUNT: &str = "chengnuo.current";

fn workspace_key(person: &str) -> String {
    format!("chengnuo.workspace.{person}")
}

/// Everything kept on this device for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub me: Me,
    #[serde(default)]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub cycle: Option<Cycle>,
    #[serde(default)]
    pub replica: Replica,
    #[serde(default, deserialize_with = "chengnuo_domain::day::de_instant_option")]
    pub last_sync: Option<DateTime<Utc>>,
    /// Per commitment, how many of its reviews the person has seen (the inbox's unread).
    #[serde(default)]
    pub seen_reviews: std::collections::HashMap<CommitmentId, usize>,
    /// What is typed into a ledger's forms and not yet recorded, by
    /// "item:field": kept like drafts, so a reload or a sync loses none of it.
    #[serde(default)]
    pub typing: std::collections::BTreeMap<String, String>,
    /// The keys of the to-dos the person was reminded of (`todo::reminders`).
    #[serde(default)]
    pub reminded: std::collections::BTreeSet<String>,
    /// The ledger entries the server gave, per commitment, kept for offline.
    #[serde(default)]
    pub ledgers:
        std::collections::HashMap<CommitmentId, Vec<chengnuo_domain::ledger::ProgressLine>>,
}

/// The suffix of the `typing` key that holds the files chosen in an item's
/// ledger form (JSON, `Vec<Evidence>`), not yet recorded.
pub const CHOSEN_FILES: &str = "progress-evidence";

impl Workspace {
    /// The files chosen in ledger forms and not yet recorded: kept on the
    /// device like the text typed beside them.
    pub fn files_in_forms(&self) -> Vec<String> {
        self.typing
            .iter()
            .filter(|(key, _)| key.ends_with(CHOSEN_FILES))
            .filter_map(|(_, json)| {
                crate::json::from_str::<Vec<chengnuo_domain::evidence::Evidence>>(json).ok()
            })
            .flatten()
            .map(|f| f.hash)
            .collect()
    }

    /// 待办 on `today`, from what this device holds (the domain decides).
    pub fn todo(&self, today: chrono::NaiveDate) -> Vec<chengnuo_domain::todo::Todo> {
        let cycle = self.cycle.as_ref();
        let commitments = chengnuo_domain::todo::on_device(&self.replica, cycle);
        let sends_report = self.may_for_some_committee(Action::SubmitReport);
        chengnuo_domain::todo::todo_list(&self.actor(), cycle, &commitments, today, sends_report)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            person: Some(self.me.id()),
            grants: self.me.roles.clone(),
        }
    }

    pub fn ancestry(&self, unit: OrgUnitId) -> Ancestry {
        Ancestry::of(unit, |u| {
            self.units
                .iter()
                .find(|x| x.unit.id == u)
                .and_then(|x| x.unit.parent)
        })
    }

    /// Whether this person may take `action` on a commitment this device
    /// knows (in the state its queued steps will bring it to).
    pub fn may(&self, action: Action, id: CommitmentId) -> bool {
        self.replica
            .target(id)
            .is_some_and(|target| can(&self.actor(), action, &target).is_ok())
    }

    /// The unit whose own commitment this person drafts (as its secretary):
    /// a branch or committee of theirs whose commitment the permission table
    /// lets them edit. (The school's commitment has no reviewer above it and
    /// is not written in the app.)
    pub fn led_unit(&self) -> Option<(OrgUnitId, String, CommitterKind)> {
        let actor = self.actor();
        self.me.roles.iter().find_map(|grant| {
            let unit = self.units.iter().find(|u| u.unit.id == grant.unit)?;
            let kind = CommitterKind::of_unit(unit.unit.kind);
            let draft = Target::Commitment(CommitmentTarget {
                committer: Committer::Unit(unit.unit.id),
                kind,
                ancestry: self.ancestry(unit.unit.id),
                state: CommitmentState::Draft,
            });
            let drafts = kind != CommitterKind::School && can(&actor, Action::Edit, &draft).is_ok();
            drafts.then(|| (unit.unit.id, unit.unit.name.clone(), kind))
        })
    }

    /// A unit as the permission table sees it (a committee's report package).
    fn unit_target(&self, unit: OrgUnitId) -> Option<Target> {
        let found = self.units.iter().find(|u| u.unit.id == unit)?;
        Some(Target::Unit {
            kind: found.unit.kind,
            ancestry: self.ancestry(unit),
        })
    }

    /// Whether this person may take `action` on a unit (`SubmitReport`,
    /// `ViewReports`).
    pub fn may_for_unit(&self, action: Action, unit: OrgUnitId) -> bool {
        self.unit_target(unit)
            .is_some_and(|target| can(&self.actor(), action, &target).is_ok())
    }

    /// Whether this person may take `action` on some committee (the reports
    /// screen and its link).
    pub fn may_for_some_committee(&self, action: Action) -> bool {
        self.units
            .iter()
            .filter(|u| u.unit.kind == OrgUnitKind::Committee)
            .any(|u| self.may_for_unit(action, u.unit.id))
    }

    pub fn unit_name(&self, id: OrgUnitId) -> Option<String> {
        self.units
            .iter()
            .find(|u| u.unit.id == id)
            .map(|u| u.unit.name.clone())
    }

    /// Whether the person writes this commitment (their own, or their unit's).
    pub fn is_author(&self, committer: Committer) -> bool {
        match committer {
            Committer::Person(person) => person == self.me.id(),
            Committer::Unit(unit) => self.led_unit().is_some_and(|(id, _, _)| id == unit),
        }
    }

    /// The commitment of a committer in the current cycle, if this device knows it.
    pub fn commitment_of(&self, committer: Committer) -> Option<CommitmentId> {
        let cycle = self.cycle.as_ref()?.id;
        self.replica
            .commitments
            .iter()
            .find(|c| c.cycle == cycle && c.committer == committer)
            .map(|c| c.id)
    }
}

/// Things that went wrong and that the person must see.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Browser storage refused (quota, disabled): shown, never swallowed.
    Storage(String),
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub i18n: I18n,
    pub workspace: RwSignal<Option<Workspace>>,
    /// What the browser says of its network (`navigator.onLine`).
    pub online: RwSignal<bool>,
    /// This tab's sync: what is in flight, failures, the next retry.
    pub engine: RwSignal<Engine>,
    /// The time, renewed every second (countdowns in the status).
    pub now: RwSignal<DateTime<Utc>>,
    pub problem: RwSignal<Option<Problem>>,
    /// Notified when there is something to send now.
    pub wanted: Trigger,
    save_timer: StoredValue<Option<TimeoutHandle>>,
    /// What this tab last read from or wrote to storage: the base against
    /// which it knows which commitments it changed itself.
    last_saved: StoredValue<Option<Workspace>>,
    /// 待办, decided again only when what it depends on moves (a pull, an
    /// answer, a queued change, the cycle, the day), not at every keystroke.
    pub todo: Memo<Vec<chengnuo_domain::todo::Todo>>,
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

pub fn provide_state(i18n: I18n) -> AppState {
    let online = web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true);
    let workspace = load_current();
    crate::time::follow(workspace.as_ref().and_then(|w| w.cycle.as_ref()));
    let engine = Engine::new(workspace.as_ref().and_then(|w| w.last_sync));
    let workspace = RwSignal::new(workspace);
    let now = RwSignal::new(Utc::now());
    let todo_inputs = Memo::new(move |_| {
        let today = crate::time::day_at(now.get());
        let moved = workspace.with(|w| {
            w.as_ref().map(|w| {
                (
                    w.me.id(),
                    w.cycle.as_ref().map(|c| c.id),
                    w.replica.cursor,
                    w.replica.commitments.len(),
                    w.replica.outbox.len(),
                    w.replica.outbox.last().map(|o| o.id),
                )
            })
        });
        (today, moved)
    });
    let todo = Memo::new(move |_| {
        let (today, _) = todo_inputs.get();
        workspace.with_untracked(|w| w.as_ref().map(|w| w.todo(today)).unwrap_or_default())
    });
    let state = AppState {
        i18n,
        workspace,
        online: RwSignal::new(online),
        engine: RwSignal::new(engine),
        now,
        problem: RwSignal::new(None),
        wanted: Trigger::new(),
        save_timer: StoredValue::new(None),
        last_saved: StoredValue::new(None),
        todo,
    };
    state.last_saved.set_value(state.workspace.get_untracked());
    provide_context(state);
    state
}

fn load_current() -> Option<Workspace> {
    let person: String = crate::json::stored(CURRENT_ACCOUNT)?;
    crate::json::stored(workspace_key(&person))
}

impl AppState {
    /// Signs in on this device: keeps what this account had here before.
    pub fn adopt(&self, me: Me) {
        let person = me.id().to_string();
        let existing: Option<Workspace> = crate::json::stored(workspace_key(&person));
        self.last_saved.set_value(existing.clone());
        let workspace = match existing {
            Some(mut workspace) => {
                crate::time::follow(workspace.cycle.as_ref());
                workspace.me = me;
                workspace
            }
            None => Workspace {
                me,
                units: Vec::new(),
                cycle: None,
                replica: Replica::default(),
                last_sync: None,
                seen_reviews: Default::default(),
                ledgers: Default::default(),

                reminded: Default::default(),
                typing: Default::default(),
            },
        };
        self.problem.set(None);
        if let Err(error) = crate::json::store(CURRENT_ACCOUNT, &person) {
            self.problem.set(Some(Problem::Storage(error.to_string())));
        }
        self.engine.set(Engine::new(workspace.last_sync));
        self.workspace.set(Some(workspace));
        self.save_now();
    }

    /// Signs out on this device; the account's work stays stored under its name.
    pub fn forget_current(&self) {
        self.save_now();
        LocalStorage::delete(CURRENT_ACCOUNT);
        self.workspace.set(None);
    }

    /// Changes on this device the server does not have yet.
    pub fn pending(&self) -> usize {
        self.workspace
            .with(|w| w.as_ref().map_or(0, |w| w.replica.waiting()))
    }

    /// What the status bar says.
    pub fn status(&self) -> Status {
        let now = self.now.get();
        let online = self.online.get();
        self.engine.with(|engine| {
            self.workspace.with(|w| match w {
                Some(w) => engine.status(&w.replica, now, online),
                None => engine.status(&Replica::default(), now, online),
            })
        })
    }

    /// Changes the workspace and saves it soon (debounced).
    pub fn update(&self, change: impl FnOnce(&mut Workspace)) {
        self.workspace.update(|w| {
            if let Some(w) = w {
                change(w);
            }
        });
        self.save_soon();
    }

    fn save_soon(&self) {
        if let Some(handle) = self.save_timer.get_value() {
            handle.clear();
        }
        let state = *self;
        let handle =
            set_timeout_with_handle(move || state.save_now(), Duration::from_millis(200)).ok();
        self.save_timer.set_value(handle);
    }

    /// Takes in what other tabs of this account stored since this tab last
    /// read or wrote storage, keeping every commitment this tab changed itself.
    fn merge_stored(&self) {
        let Some(ours) = self.workspace.get_untracked() else {
            return;
        };
        let Some(stored) =
            crate::json::stored::<Workspace>(workspace_key(&ours.me.id().to_string()))
        else {
            return;
        };
        let base = self.last_saved.get_value();
        let mut merged = ours.clone();
        merged
            .replica
            .merge_stored(&stored.replica, base.as_ref().map(|b| &b.replica));
        merged.last_sync = merged.last_sync.max(stored.last_sync);
        for (id, entries) in stored.ledgers {
            merged.ledgers.entry(id).or_insert(entries);
        }
        for (id, seen) in stored.seen_reviews {
            let mine = merged.seen_reviews.entry(id).or_default();
            *mine = (*mine).max(seen);
        }
        if merged != ours {
            self.workspace.set(Some(merged));
        }
    }

    /// Writes the workspace to browser storage now, on top of what other tabs
    /// of this account stored meanwhile.
    pub fn save_now(&self) {
        if let Some(handle) = self.save_timer.get_value() {
            handle.clear();
            self.save_timer.set_value(None);
        }
        self.merge_stored();
        let result = self.workspace.with_untracked(|w| match w {
            Some(w) => crate::json::store(workspace_key(&w.me.id().to_string()), w),
            None => Ok(()),
        });
        self.last_saved.set_value(self.workspace.get_untracked());
        match result {
            Ok(()) => {
                if matches!(self.problem.get_untracked(), Some(Problem::Storage(_))) {
                    self.problem.set(None);
                }
            }
            Err(error) => self.problem.set(Some(Problem::Storage(error.to_string()))),
        }
    }

    /// Another tab saved (a storage event): take its changes, keeping every
    /// commitment this tab changed and has not saved yet.
    pub fn reload_from_storage(&self) {
        let here = self
            .workspace
            .with_untracked(|w| w.as_ref().map(|w| w.me.id().to_string()));
        let current: Option<String> = crate::json::stored(CURRENT_ACCOUNT);
        if here.is_some() && here == current {
            self.merge_stored();
            // The stored copy is the new base; what this tab changed still differs from it.
            self.last_saved.set_value(load_current());
        } else {
            // Signed out there, or another account signed in there: follow it,
            // after keeping this account's work under its own name.
            self.save_now();
            let current = load_current();
            self.last_saved.set_value(current.clone());
            self.workspace.set(current);
        }
    }

    /// An edit of a commitment's text: stored at once, sent once typing pauses.
    pub fn edit(&self, id: CommitmentId, draft: CommitmentDraft) {
        self.update(|w| w.replica.edit(id, draft));
        self.engine.update(|e| e.edited(Utc::now()));
    }

    /// A step: submit, withdraw, review, sign, publish. Stored now, sent soon.
    pub fn queue(&self, id: CommitmentId, change: Change) {
        self.update(|w| w.replica.queue(id, change, &mut OperationId::new));
        self.save_now();
        self.sync_soon();
    }

    /// The work on commitment `id` the server refused that `which` picks
    /// (tracked: for a memo beside the form the work came from).
    pub fn refused_where(
        &self,
        id: CommitmentId,
        which: impl Fn(&chengnuo_domain::sync::replica::RefusedWork) -> bool,
    ) -> Vec<chengnuo_domain::sync::replica::RefusedWork> {
        self.workspace.with(|w| {
            w.as_ref()
                .map(|w| {
                    w.replica
                        .refused_work(id)
                        .iter()
                        .filter(|r| which(r))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// Fulfilment work (a ledger entry, an item's step): stored now, sent soon.
    pub fn queue_fulfilment(&self, id: CommitmentId, change: Change) {
        self.update(|w| w.replica.queue_fulfilment(id, change, OperationId::new()));
        self.save_now();
        self.sync_soon();
    }

    /// Changes something in the replica as the person asked (a new
    /// commitment, a merge), stores it and syncs soon.
    pub fn change_replica(&self, change: impl FnOnce(&mut Replica)) {
        self.update(|w| change(&mut w.replica));
        self.save_now();
        self.sync_soon();
    }

    /// Starts this cycle's commitment of `committer` (the person, or the
    /// unit they lead) on this device, with one empty item; `None` when there
    /// is no cycle or the person does not draft for that committer.
    pub fn start_commitment(&self, committer: Committer) -> Option<CommitmentId> {
        let w = self.workspace.get_untracked()?;
        let cycle = w.cycle.clone()?;
        let (kind, name, unit) = match committer {
            Committer::Person(_) => {
                let person = &w.me.person.person;
                (
                    CommitterKind::of_person(person),
                    person.name.clone(),
                    person.branch,
                )
            }
            Committer::Unit(unit) => match w.led_unit() {
                Some((id, name, kind)) if id == unit => (kind, name, id),
                _ => return None,
            },
        };
        let id = CommitmentId::new();
        let ancestry = w.ancestry(unit);
        let blank = CommitmentDraft {
            items: vec![ItemDraft::default()],
            ..Default::default()
        };
        self.change_replica(|replica| {
            replica.create(id, cycle.id, committer, kind, name, ancestry, blank)
        });
        Some(id)
    }

    /// Asks the engine to sync as soon as it may (the sync, started by
    /// `sync::start`, follows `wanted`).
    pub fn sync_soon(&self) {
        self.engine.update(|e| e.wake(false));
        self.wanted.notify();
    }
}
