//! What the app knows, kept on this device per account so that it opens
//! offline with the last known data and never loses what was typed: the
//! signed-in person, the org tree, the cycle, and the replica of commitments
//! with its outbox (`chengnuo_domain::sync::device::Workspace`), stored by
//! `device_store` in IndexedDB. The sync engine's state for this tab sits
//! beside it (`chengnuo_domain::sync::engine`).
//!
//! Every change is written within 200 ms of the first unsaved one (not
//! postponed while typing goes on); the form says 已保存在本机 only once it
//! is written, and a write the browser refuses is said, kept in memory and
//! tried again.

use crate::device_store::{self, Known};
use crate::i18n::I18n;
use crate::idb::StorageRefused;
use chengnuo_domain::account::Me;
use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::ids::{CommitmentId, OperationId, PersonId};
use chengnuo_domain::sync::engine::{Engine, Status};
use chengnuo_domain::sync::replica::Replica;
use chengnuo_domain::sync::Change;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use std::cell::RefCell;
use std::time::Duration;

pub use chengnuo_domain::sync::device::Workspace;

/// The suffix of the `typing` key that holds the files chosen in an item's
/// ledger form (JSON, `Vec<Evidence>`), not yet recorded.
pub const CHOSEN_FILES: &str = "progress-evidence";

/// Things that went wrong and that the person must see.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The browser would not keep the latest changes (storage full, or
    /// refused): they stay on screen and in this tab, are sent when online,
    /// and the write is tried again.
    Storage(StorageRefused),
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
    /// How many changes the workspace had, and how many of them are
    /// written to the device's store.
    changes: RwSignal<u64>,
    saved: RwSignal<u64>,
    /// 待办, decided again only when what it depends on moves (a pull, an
    /// answer, a queued change, the cycle, the day), not at every keystroke.
    pub todo: Memo<Vec<chengnuo_domain::todo::Todo>>,
}

/// The tab's saving: what it knows of the store, whether a save runs or
/// waits, and the tab following other tabs of the account.
#[derive(Default)]
struct Saving {
    known: Known,
    running: bool,
    again: bool,
    timer: Option<TimeoutHandle>,
    others: Option<web_sys::BroadcastChannel>,
    closing: bool,
}

thread_local! {
    static SAVING: RefCell<Saving> = RefCell::new(Saving::default());
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

/// What the device holds when the app starts: the open account's store
/// (after moving an earlier version's localStorage workspaces into it).
pub struct Booted(Option<Known>);

pub async fn boot() -> Booted {
    let migrated = device_store::migrate().await;
    let mut current = device_store::current().await;
    if current.is_none() {
        if let Some(person) = migrated {
            current = device_store::set_current(Some(person))
                .await
                .ok()
                .map(|_| person);
        }
    }
    let mut known = None;
    if let Some(person) = current {
        known = device_store::load(person).await.ok();
    }
    Booted(known)
}

pub fn provide_state(i18n: I18n, booted: Booted) -> AppState {
    let online = web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true);
    let known = booted.0.unwrap_or_default();
    let workspace = known.base.clone();
    crate::time::follow(workspace.as_ref());
    let engine = Engine::new(workspace.as_ref().and_then(|w| w.last_sync));
    let person = workspace.as_ref().map(|w| w.me.id());
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
        changes: RwSignal::new(0),
        saved: RwSignal::new(0),
        todo,
    };
    SAVING.with(|s| s.borrow_mut().known = known);
    if let Some(person) = person {
        state.follow_other_tabs(person);
    }
    // Another tab of this device signed in or out: this one follows.
    std::mem::forget(device_store::follow_device(move || {
        leptos::task::spawn_local(state.follow_device())
    }));
    provide_context(state);
    state
}

impl AppState {
    fn person(&self) -> Option<PersonId> {
        self.workspace
            .with_untracked(|w| w.as_ref().map(|w| w.me.id()))
    }

    /// Another tab of this account wrote the store: its changes are taken
    /// in (by a save, which reads and merges them first).
    fn follow_other_tabs(&self, person: PersonId) {
        let state = *self;
        let channel = device_store::follow(person, move || state.save_now());
        SAVING.with(|s| {
            let mut saving = s.borrow_mut();
            if let Some(old) = saving.others.take() {
                old.close();
            }
            saving.others = channel;
        });
    }

    /// Opens `person`'s account in this tab, as the device stores it.
    fn open(&self, known: Known, workspace: Option<Workspace>) {
        if let Some(handle) = SAVING.with(|s| s.borrow_mut().timer.take()) {
            handle.clear();
        }
        SAVING.with(|s| s.borrow_mut().known = known);
        crate::time::follow(workspace.as_ref());
        self.engine
            .set(Engine::new(workspace.as_ref().and_then(|w| w.last_sync)));
        match workspace.as_ref().map(|w| w.me.id()) {
            Some(person) => self.follow_other_tabs(person),
            None => {
                if let Some(old) = SAVING.with(|s| s.borrow_mut().others.take()) {
                    old.close();
                }
            }
        }
        self.workspace.set(workspace);
        self.saved.set(self.changes.get_untracked());
        SAVING.with(|s| s.borrow_mut().closing = false);
    }

    /// The account is being closed on this device (signing out): no sync.
    pub fn closing(&self) -> bool {
        SAVING.with(|s| s.borrow().closing)
    }

    /// Signs in on this device: keeps what this account had here before
    /// (another account's work stays in its own store, untouched).
    pub async fn adopt(&self, me: Me) {
        self.problem.set(None);
        let person = me.id();
        let known = match device_store::load(person).await {
            Ok(known) => known,
            Err(why) => {
                self.problem.set(Some(Problem::Storage(why)));
                Known::default()
            }
        };
        let mut workspace = known
            .base
            .clone()
            .unwrap_or_else(|| Workspace::new(me.clone()));
        workspace.me = me;
        self.open(known, Some(workspace));
        if let Err(why) = device_store::set_current(Some(person)).await {
            self.problem.set(Some(Problem::Storage(why)));
        }
        device_store::announce_device();
        self.changed();
        self.save_now();
    }

    /// Signs out on this device; the account's work stays stored under its
    /// name (and is not synced meanwhile: nothing of it is sent until its
    /// owner signs in again).
    pub async fn forget_current(&self) {
        SAVING.with(|s| s.borrow_mut().closing = true);
        // The device forgets whose account is open first: a page loaded
        // meanwhile (the person goes on at once) must not open it again and
        // sync it with a session the server may not have ended (offline).
        // The account's work is saved after (or on `pagehide`).
        let _ = device_store::set_current(None).await;
        self.saved_now().await;
        device_store::announce_device();
        self.open(Known::default(), None);
    }

    /// Another tab of this device signed in or out: this tab shows the
    /// account open now (its own work is saved first).
    async fn follow_device(self) {
        let now = device_store::current().await;
        if now == self.person() {
            return;
        }
        self.saved_now().await;
        let known = match now {
            Some(person) => device_store::load(person).await.unwrap_or_default(),
            None => Known::default(),
        };
        let workspace = known.base.clone();
        self.open(known, workspace);
    }

    /// Changes on this device the server does not have yet.
    pub fn pending(&self) -> usize {
        self.workspace
            .with(|w| w.as_ref().map_or(0, |w| w.replica.waiting()))
    }

    /// Whether every change is written to the device's store.
    pub fn all_saved(&self) -> bool {
        self.saved.get() >= self.changes.get()
    }

    /// What the status bar says.
    pub fn status(&self) -> Status {
        self.now.track();
        let now = crate::time::tick();
        let online = self.online.get();
        self.engine.with(|engine| {
            self.workspace.with(|w| match w {
                Some(w) => engine.status(&w.replica, now, online),
                None => engine.status(&Replica::default(), now, online),
            })
        })
    }

    fn changed(&self) {
        self.changes.update(|c| *c += 1);
    }

    /// Changes the workspace and saves it soon.
    pub fn update(&self, change: impl FnOnce(&mut Workspace)) {
        self.workspace.update(|w| {
            if let Some(w) = w {
                change(w);
            }
        });
        self.changed();
        self.save_soon();
    }

    /// Saves within 200 ms: not later while changes keep coming (a burst
    /// of typing is written as it goes, not only once it stops).
    fn save_soon(&self) {
        let state = *self;
        SAVING.with(|s| {
            let mut saving = s.borrow_mut();
            if saving.timer.is_none() {
                saving.timer =
                    set_timeout_with_handle(move || state.save_now(), Duration::from_millis(200))
                        .ok();
            }
        });
    }

    /// Writes the workspace to the device's store now (or as soon as the
    /// save under way ends), on top of what other tabs of this account
    /// stored meanwhile.
    pub fn save_now(&self) {
        let start = SAVING.with(|s| {
            let mut saving = s.borrow_mut();
            if let Some(handle) = saving.timer.take() {
                handle.clear();
            }
            if saving.running {
                saving.again = true;
                false
            } else {
                saving.running = true;
                true
            }
        });
        if start {
            leptos::task::spawn_local(self.run_saves());
        }
    }

    /// Writes what changed now, as the page goes away (see
    /// `device_store::save_leaving`): a reload right after typing keeps it.
    pub fn save_leaving(&self) {
        let Some(person) = self.person() else {
            return;
        };
        let known = SAVING.with(|s| s.borrow().known.clone());
        self.workspace.with_untracked(|w| {
            if let Some(w) = w.as_ref().filter(|w| w.me.id() == person) {
                device_store::save_leaving(person, &known, w);
            }
        });
    }

    /// Writes now and returns once written, or once the write failed
    /// (what the sync is about to send is stored first).
    pub async fn saved_now(&self) {
        let target = self.changes.get_untracked();
        self.save_now();
        for _ in 0..500 {
            let running = SAVING.with(|s| s.borrow().running);
            if !running
                && (self.saved.get_untracked() >= target || self.problem.get_untracked().is_some())
            {
                return;
            }
            crate::time::sleep(10).await;
        }
    }

    async fn run_saves(self) {
        loop {
            SAVING.with(|s| s.borrow_mut().again = false);
            self.save_once().await;
            let again = SAVING.with(|s| {
                let mut saving = s.borrow_mut();
                saving.running = saving.again;
                saving.again
            });
            if !again {
                break;
            }
        }
    }

    async fn save_once(&self) {
        let Some(person) = self.person() else {
            return;
        };
        let known = SAVING.with(|s| s.borrow().known.clone());
        let state = *self;
        let mut generation = 0;
        let result = device_store::save(person, known, |theirs, base| {
            generation = state.changes.get_untracked();
            let mut current = state.workspace.get_untracked()?;
            if current.me.id() != person {
                return None;
            }
            if let Some(theirs) = theirs {
                let before = current.clone();
                current.merge_stored(theirs, base);
                if current != before {
                    crate::time::follow(Some(&current));
                    state.workspace.set(Some(current.clone()));
                }
            }
            Some(current)
        })
        .await;
        if self.person() != Some(person) {
            return;
        }
        match result {
            Ok(known) => {
                SAVING.with(|s| s.borrow_mut().known = known);
                if self.saved.get_untracked() < generation {
                    self.saved.set(generation);
                }
                if self.problem.get_untracked().is_some() {
                    self.problem.set(None);
                }
            }
            Err(not_saved) => {
                SAVING.with(|s| s.borrow_mut().known = not_saved.known);
                self.problem.set(Some(Problem::Storage(not_saved.why)));
                // Tried again in a while (space may be freed meanwhile).
                let state = *self;
                set_timeout(move || state.save_soon(), Duration::from_secs(5));
            }
        }
    }

    /// An edit of a commitment's text: stored at once, sent once typing pauses.
    pub fn edit(&self, id: CommitmentId, draft: CommitmentDraft) {
        self.update(|w| w.replica.edit(id, draft));
        self.engine.update(|e| e.edited(crate::time::tick()));
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

    /// Keeps the server's clock as the last answer said it (when it moved
    /// by more than 5 s: the `Date` it is read from is in whole seconds).
    pub fn note_server_clock(&self) {
        let Some(offset) = crate::api::server_clock() else {
            return;
        };
        let known = self
            .workspace
            .with_untracked(|w| w.as_ref().map(|w| w.server_clock));
        if known.is_some_and(|k| k.is_none_or(|k| (k - offset).abs() > 5_000)) {
            self.update(|w| {
                w.server_clock = Some(offset);
                crate::time::follow(Some(w));
            });
        }
    }

    /// Asks the engine to sync as soon as it may (the sync, started by
    /// `sync::start`, follows `wanted`).
    pub fn sync_soon(&self) {
        self.engine.update(|e| e.wake(false));
        self.wanted.notify();
    }
}
