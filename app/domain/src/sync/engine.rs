//! When a device syncs and what it sends: the sync protocol as a state
//! machine that performs no I/O (the sans-IO style of quinn-proto). The
//! browser asks [`Engine::next`] for the request to make, performs it, and
//! feeds the answer back ([`Engine::pushed`], [`Engine::pulled`]) or says it
//! failed ([`Engine::failed`]); the storm tests drive the very same code
//! against a real server under every schedule of faults.
//!
//! A round pushes the outbox in batches, then pulls what changed since the
//! cursor until nothing more waits. One request is in flight at a time. A
//! failed request is retried with a growing delay (2 s, 4 s, ... 5 min); an
//! edit, the network coming back or "sync now" wakes the engine. With
//! nothing to send, it pulls once a minute.
//!
//! Its timers run on the device's monotonic clock ([`Tick`]), never on the
//! wall clock: a phone whose clock is corrected by days retries as soon as
//! it would have.

use crate::dossier::Refusal;
use crate::evidence::Evidence;
use crate::ids::{CommitmentId, OperationId};
use crate::sync::replica::Replica;
use crate::sync::{PullRequest, PullResponse, PushRequest, PushResponse};
use chrono::{DateTime, Utc};

/// A moment on the device's monotonic clock, in milliseconds (the
/// browser's `performance.now()`): it never jumps when the phone's clock is
/// set, and only differences between two ticks mean anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tick(pub i64);

impl Tick {
    /// The earliest moment: due at once.
    pub const EARLIEST: Tick = Tick(i64::MIN);

    fn after_millis(self, millis: i64) -> Tick {
        Tick(self.0.saturating_add(millis))
    }
}

/// The most operations sent in one push.
pub const BATCH: usize = 100;
/// How often a device with nothing to send asks what changed.
pub const PULL_EVERY_SECONDS: i64 = 60;
/// Typing is sent once it pauses this long (or with the next push).
pub const SETTLE_MILLIS: i64 = 1_500;
const FIRST_RETRY_SECONDS: i64 = 2;
const LAST_RETRY_SECONDS: i64 = 300;

/// What the device should ask the server now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Push(PushRequest),
    Pull(PullRequest),
    /// One file of a queued ledger entry, before the entry goes: the device
    /// asks whether the server holds it, and sends it if not.
    Upload {
        commitment: CommitmentId,
        file: Evidence,
    },
}

/// Why a request brought no answer to feed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No answer, or the server failed (5xx): the request may or may not have
    /// been applied; the same operations are sent again later.
    Unreachable,
    /// The session ended: nothing is sent until the person signs in again.
    SignedOut,
}

/// Where the device stands with the server, for the status bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// The browser says it has no network.
    Offline,
    /// This device has never finished a sync for this account.
    NotYetSynced,
    /// The last request was answered.
    Reached,
    /// Requests fail although the browser is online; the next try is in this many seconds.
    Unreachable { retry_in_seconds: i64 },
    /// The session ended; local work is kept until the person signs in again.
    SignedOut,
}

/// Everything the status bar says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    pub connection: Connection,
    /// A request is on its way.
    pub syncing: bool,
    /// Changes not yet on the server (operations and texts typed since).
    pub waiting: usize,
    /// Merges waiting for the person.
    pub conflicts: usize,
    /// Changes the server refused, or steps not taken: the person decides.
    pub refused: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Flight {
    Push(Vec<OperationId>),
    Pull,
    Upload,
}

/// One device's sync, for one account. Its state is what a tab holds while
/// it runs; what must survive a reload is in the [`Replica`].
#[derive(Debug, Clone, Default)]
pub struct Engine {
    flight: Option<Flight>,
    failures: u32,
    retry_at: Option<Tick>,
    pull_at: Option<Tick>,
    /// The round's pull has not finished (changes were pushed, or more wait).
    pull_due: bool,
    /// Typing goes out once it pauses: not before this.
    settle_at: Option<Tick>,
    signed_out: bool,
    last_sync: Option<DateTime<Utc>>,
}

impl Engine {
    /// An engine for a device whose last finished sync was at `last_sync`.
    pub fn new(last_sync: Option<DateTime<Utc>>) -> Engine {
        Engine {
            last_sync,
            pull_due: true,
            ..Engine::default()
        }
    }

    /// When this device last finished a sync round.
    pub fn last_sync(&self) -> Option<DateTime<Utc>> {
        self.last_sync
    }

    /// Whether a request is on its way.
    pub fn in_flight(&self) -> bool {
        self.flight.is_some()
    }

    /// Something happened that deserves a sync: an edit (`urgent` false:
    /// the retry delay still holds), or the network coming back, the app
    /// starting, the person asking (`urgent`: try now).
    pub fn wake(&mut self, urgent: bool) {
        self.pull_due = true;
        if urgent {
            self.retry_at = None;
            self.signed_out = false;
        }
    }

    /// The person typed: the text goes out once typing pauses.
    pub fn edited(&mut self, now: Tick) {
        self.settle_at = Some(now.after_millis(SETTLE_MILLIS));
    }

    /// The person signed in again.
    pub fn signed_in(&mut self) {
        self.signed_out = false;
        self.retry_at = None;
        self.pull_due = true;
    }

    /// When the engine next wants to run, if nothing wakes it before.
    pub fn next_due(&self, replica: &Replica) -> Option<Tick> {
        if self.flight.is_some() || self.signed_out {
            return None;
        }
        if let Some(at) = self.retry_at {
            return Some(at);
        }
        if !replica.outbox.is_empty() {
            return Some(Tick::EARLIEST);
        }
        if replica.waiting() > 0 {
            return Some(self.settle_at.unwrap_or(Tick::EARLIEST));
        }
        if self.pull_due {
            return Some(Tick::EARLIEST);
        }
        self.pull_at
    }

    /// The request to make now, if any. Texts typed since the last push
    /// become operations here, just before they are sent, so an operation
    /// is never changed once it may have reached the server.
    pub fn next(
        &mut self,
        replica: &mut Replica,
        now: Tick,
        new_id: &mut dyn FnMut() -> OperationId,
    ) -> Option<Request> {
        if self.flight.is_some() || self.signed_out {
            return None;
        }
        if self.retry_at.is_some_and(|at| now < at) {
            return None;
        }
        if self.settle_at.is_none_or(|at| now >= at) {
            self.settle_at = None;
            replica.capture(new_id);
        }
        if let Some((commitment, file)) = replica.pending_uploads().into_iter().next() {
            // One file at a time, before the entries that carry it.
            self.flight = Some(Flight::Upload);
            return Some(Request::Upload { commitment, file });
        }
        let batch = replica.batch(BATCH);
        if !batch.is_empty() {
            self.flight = Some(Flight::Push(batch.iter().map(|o| o.id).collect()));
            return Some(Request::Push(PushRequest {
                operations: batch,
                compact: true,
            }));
        }
        let pull_time = self.pull_at.is_none_or(|at| now >= at);
        if self.pull_due || pull_time {
            self.flight = Some(Flight::Pull);
            return Some(Request::Pull(PullRequest {
                since: replica.cursor,
            }));
        }
        None
    }

    fn reached(&mut self) {
        self.flight = None;
        self.failures = 0;
        self.retry_at = None;
        self.signed_out = false;
    }

    /// The answer to a push.
    pub fn pushed(&mut self, replica: &mut Replica, response: &PushResponse, now: Tick) {
        let failed = response
            .results
            .iter()
            .any(|r| !r.outcome.is_acknowledged());
        replica.acknowledge(&response.results);
        self.reached();
        // What others changed meanwhile is pulled before the round ends.
        self.pull_due = true;
        if failed {
            // The server could not apply some: they stay and are sent again later.
            self.back_off(now);
        }
    }

    /// The server holds the file (it had it, or took it now).
    pub fn uploaded(&mut self, replica: &mut Replica, hash: &str) {
        replica.uploaded(hash);
        self.reached();
    }

    /// The server refused the file for good (not a kind taken, too large,
    /// the commitment full, not this person's): its entries wait for the
    /// person, with the reason.
    pub fn upload_refused(&mut self, replica: &mut Replica, hash: &str, refusal: Refusal) {
        replica.upload_refused(hash, refusal);
        self.reached();
    }

    /// The answer to a pull, arrived at `now` (`wall`: the device's clock
    /// then, shown as the last sync). Returns whether the round is complete.
    pub fn pulled(
        &mut self,
        replica: &mut Replica,
        response: PullResponse,
        now: Tick,
        wall: DateTime<Utc>,
    ) -> bool {
        replica.absorb(response.changes, response.cursor);
        self.reached();
        if response.more {
            self.pull_due = true;
            return false;
        }
        self.pull_due = false;
        self.pull_at = Some(now.after_millis(PULL_EVERY_SECONDS * 1_000));
        self.last_sync = Some(wall);
        true
    }

    /// The request brought no answer.
    pub fn failed(&mut self, failure: Failure, now: Tick) {
        self.flight = None;
        match failure {
            Failure::Unreachable => self.back_off(now),
            Failure::SignedOut => self.signed_out = true,
        }
    }

    fn back_off(&mut self, now: Tick) {
        self.failures = self.failures.saturating_add(1);
        let doubled = FIRST_RETRY_SECONDS << (self.failures - 1).min(16);
        self.retry_at = Some(now.after_millis(doubled.min(LAST_RETRY_SECONDS) * 1_000));
    }

    /// What the status bar says now.
    pub fn status(&self, replica: &Replica, now: Tick, browser_online: bool) -> Status {
        let connection = if self.signed_out {
            Connection::SignedOut
        } else if !browser_online {
            Connection::Offline
        } else if let Some(at) = self.retry_at.filter(|_| self.failures > 0) {
            Connection::Unreachable {
                // Rounded up: "in 2 s" until it is due.
                retry_in_seconds: (at.0.saturating_sub(now.0).max(0) + 999) / 1_000,
            }
        } else if self.last_sync.is_none() {
            Connection::NotYetSynced
        } else {
            Connection::Reached
        };
        let conflicts = replica
            .commitments
            .iter()
            .filter(|c| c.conflict.is_some())
            .count();
        let refused = replica
            .commitments
            .iter()
            .filter(|c| c.needs_attention())
            .count();
        Status {
            connection,
            syncing: self.flight.is_some(),
            waiting: replica.waiting(),
            conflicts,
            refused,
        }
    }
}
