//! What one device keeps for one account (its [`Workspace`]) and how it is
//! kept: as records — one per commitment, per queued operation, per typed
//! field, per ledger, and one per piece of the rest ([`Meta`]) — so that a
//! save writes only what changed ([`Workspace::writes_over`]), in one
//! transaction, and two tabs of the same account never overwrite each
//! other's work ([`Workspace::merge_stored`]). Pure: the browser performs the
//! reads and writes (`app/src/device_store.rs`), the tests drive it natively.
//!
//! The promises kept here:
//! - a save writes every record that differs from what is stored, and only
//!   those: an operation is added once and deleted once acknowledged;
//! - what another tab stored meanwhile is merged in before writing, against
//!   what this tab last read or wrote (its base): what only the other tab
//!   changed is taken, what only this tab changed is kept, and a text both
//!   changed is merged three ways (a field both changed differently waits
//!   for the person, both versions kept);
//! - the base moves only when a write succeeded (the caller's part): a
//!   failed write is never mistaken for another tab's change.

use crate::account::Me;
use crate::commitment::{Committer, CommitterKind};
use crate::cycle::Cycle;
use crate::ids::{CommitmentId, OperationId, OrgUnitId};
use crate::ledger::ProgressLine;
use crate::org::{Ancestry, OrgUnitKind, Unit};
use crate::permission::{can, Action, Actor, CommitmentTarget, Target};
use crate::sync::replica::{LocalCommitment, Replica};
use crate::sync::Operation;
use crate::workflow::CommitmentState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Everything kept on a device for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub me: Me,
    #[serde(default)]
    pub units: Vec<Unit>,
    #[serde(default)]
    pub cycle: Option<Cycle>,
    #[serde(default)]
    pub replica: Replica,
    #[serde(default, deserialize_with = "crate::day::de_instant_option")]
    pub last_sync: Option<DateTime<Utc>>,
    /// Per commitment, how many of its reviews the person has seen (the inbox's unread).
    #[serde(default)]
    pub seen_reviews: BTreeMap<CommitmentId, usize>,
    /// What is typed into a ledger's forms and not yet recorded, by
    /// "item:field": kept like drafts, so a reload or a sync loses none of it.
    #[serde(default)]
    pub typing: BTreeMap<String, String>,
    /// The keys of the to-dos the person was reminded of (`todo::reminders`).
    #[serde(default)]
    pub reminded: BTreeSet<String>,
    /// The ledger entries the server gave, per commitment, kept for offline.
    #[serde(default)]
    pub ledgers: BTreeMap<CommitmentId, Vec<ProgressLine>>,
    /// The server's clock minus this device's, in milliseconds, as the
    /// server last said it: the school's today when the phone's clock is
    /// wrong (and offline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_clock: Option<i64>,
}

/// The records of a workspace that are neither a commitment, an
/// operation, a typed field nor a ledger: one each, under its [`Meta::key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meta {
    Me,
    Units,
    Cycle,
    Cursor,
    Uploaded,
    LastSync,
    SeenReviews,
    Reminded,
    ServerClock,
}

impl Meta {
    pub const ALL: [Meta; 9] = [
        Meta::Me,
        Meta::Units,
        Meta::Cycle,
        Meta::Cursor,
        Meta::Uploaded,
        Meta::LastSync,
        Meta::SeenReviews,
        Meta::Reminded,
        Meta::ServerClock,
    ];

    /// The record's key in the store.
    pub fn key(self) -> &'static str {
        match self {
            Meta::Me => "me",
            Meta::Units => "units",
            Meta::Cycle => "cycle",
            Meta::Cursor => "cursor",
            Meta::Uploaded => "uploaded",
            Meta::LastSync => "last_sync",
            Meta::SeenReviews => "seen_reviews",
            Meta::Reminded => "reminded",
            Meta::ServerClock => "server_clock",
        }
    }

    pub fn of_key(key: &str) -> Option<Meta> {
        Meta::ALL.into_iter().find(|m| m.key() == key)
    }

    fn differs(self, a: &Workspace, b: &Workspace) -> bool {
        match self {
            Meta::Me => a.me != b.me,
            Meta::Units => a.units != b.units,
            Meta::Cycle => a.cycle != b.cycle,
            Meta::Cursor => a.replica.cursor != b.replica.cursor,
            Meta::Uploaded => a.replica.uploaded != b.replica.uploaded,
            Meta::LastSync => a.last_sync != b.last_sync,
            Meta::SeenReviews => a.seen_reviews != b.seen_reviews,
            Meta::Reminded => a.reminded != b.reminded,
            Meta::ServerClock => a.server_clock != b.server_clock,
        }
    }
}

/// What a save writes so that the stored records hold a workspace.
#[derive(Debug, Default, PartialEq)]
pub struct Writes<'a> {
    pub meta: Vec<Meta>,
    pub commitments: Vec<&'a LocalCommitment>,
    pub gone_commitments: Vec<CommitmentId>,
    /// Operations to add, in the outbox's order (after every stored one).
    pub operations: Vec<&'a Operation>,
    /// Operations acknowledged (or dropped) since they were stored.
    pub gone_operations: Vec<OperationId>,
    pub typing: Vec<(&'a str, &'a str)>,
    pub gone_typing: Vec<String>,
    pub ledgers: Vec<(CommitmentId, &'a [ProgressLine])>,
    pub gone_ledgers: Vec<CommitmentId>,
}

impl Writes<'_> {
    pub fn is_empty(&self) -> bool {
        *self == Writes::default()
    }
}

/// Three ways for a map: a key only `theirs` changed since `base` comes
/// from theirs (a removal too), one this side changed stays as it is.
fn merge_map<K: Ord + Clone, V: PartialEq + Clone>(
    mine: &mut BTreeMap<K, V>,
    theirs: &BTreeMap<K, V>,
    base: &BTreeMap<K, V>,
) {
    // Each key once, without collecting into a set (that sorts a vector:
    // a sort per key type in the client's first load).
    let keys = theirs
        .keys()
        .chain(base.keys().filter(|k| !theirs.contains_key(*k)))
        .cloned()
        .collect::<Vec<K>>();
    for key in keys {
        let (t, b) = (theirs.get(&key), base.get(&key));
        if t == b || mine.get(&key) != b {
            continue;
        }
        match t {
            Some(value) => mine.insert(key, value.clone()),
            None => mine.remove(&key),
        };
    }
}

impl Workspace {
    /// A device's first workspace for a person signing in.
    pub fn new(me: Me) -> Workspace {
        Workspace {
            me,
            units: Vec::new(),
            cycle: None,
            replica: Replica::default(),
            last_sync: None,
            seen_reviews: BTreeMap::new(),
            typing: BTreeMap::new(),
            reminded: BTreeSet::new(),
            ledgers: BTreeMap::new(),
            server_clock: None,
        }
    }

    /// The records to write so that a store holding `stored` (none: an
    /// empty store) holds this workspace.
    pub fn writes_over<'a>(&'a self, stored: Option<&Workspace>) -> Writes<'a> {
        let mut writes = Writes::default();
        let Some(stored) = stored else {
            writes.meta = Meta::ALL.to_vec();
            writes.commitments = self.replica.commitments.iter().collect();
            writes.operations = self.replica.outbox.iter().collect();
            writes.typing = self
                .typing
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            writes.ledgers = self
                .ledgers
                .iter()
                .map(|(id, lines)| (*id, lines.as_slice()))
                .collect();
            return writes;
        };
        writes.meta = Meta::ALL
            .into_iter()
            .filter(|m| m.differs(self, stored))
            .collect();
        writes.commitments = self
            .replica
            .commitments
            .iter()
            .filter(|c| stored.replica.get(c.id) != Some(*c))
            .collect();
        writes.gone_commitments = stored
            .replica
            .commitments
            .iter()
            .filter(|c| self.replica.get(c.id).is_none())
            .map(|c| c.id)
            .collect();
        let held = |replica: &Replica, id: OperationId| replica.outbox.iter().any(|o| o.id == id);
        writes.operations = self
            .replica
            .outbox
            .iter()
            .filter(|o| !held(&stored.replica, o.id))
            .collect();
        writes.gone_operations = stored
            .replica
            .outbox
            .iter()
            .filter(|o| !held(&self.replica, o.id))
            .map(|o| o.id)
            .collect();
        writes.typing = self
            .typing
            .iter()
            .filter(|(k, v)| stored.typing.get(*k) != Some(*v))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        writes.gone_typing = stored
            .typing
            .keys()
            .filter(|k| !self.typing.contains_key(*k))
            .cloned()
            .collect();
        writes.ledgers = self
            .ledgers
            .iter()
            .filter(|(id, lines)| stored.ledgers.get(*id) != Some(*lines))
            .map(|(id, lines)| (*id, lines.as_slice()))
            .collect();
        writes.gone_ledgers = stored
            .ledgers
            .keys()
            .filter(|id| !self.ledgers.contains_key(*id))
            .copied()
            .collect();
        writes
    }

    /// Takes in what another tab of this account stored since `base` (what
    /// this tab last read from or wrote to the store; none: it never did),
    /// keeping everything this tab changed since (see
    /// [`Replica::merge_stored`] for the commitments and the outbox).
    pub fn merge_stored(&mut self, stored: &Workspace, base: Option<&Workspace>) {
        let empty = Workspace::new(self.me.clone());
        let common = base.unwrap_or(&empty);
        self.replica
            .merge_stored(&stored.replica, base.map(|b| &b.replica));
        // What the server said last: the other tab's, unless this one moved it.
        if self.me == common.me {
            self.me = stored.me.clone();
        }
        if self.units == common.units {
            self.units = stored.units.clone();
        }
        if self.cycle == common.cycle {
            self.cycle = stored.cycle.clone();
        }
        if self.server_clock == common.server_clock {
            self.server_clock = stored.server_clock;
        }
        if self.reminded == common.reminded {
            self.reminded = stored.reminded.clone();
        }
        self.last_sync = self.last_sync.max(stored.last_sync);
        for (id, seen) in &stored.seen_reviews {
            let mine = self.seen_reviews.entry(*id).or_default();
            *mine = (*mine).max(*seen);
        }
        merge_map(&mut self.typing, &stored.typing, &common.typing);
        merge_map(&mut self.ledgers, &stored.ledgers, &common.ledgers);
    }

    /// Rebuilds a workspace from its records (the outbox in the order stored).
    pub fn from_records(
        mut self,
        commitments: Vec<LocalCommitment>,
        outbox: Vec<Operation>,
        typing: BTreeMap<String, String>,
        ledgers: BTreeMap<CommitmentId, Vec<ProgressLine>>,
    ) -> Workspace {
        self.replica.commitments = commitments;
        self.replica.outbox = outbox;
        self.typing = typing;
        self.ledgers = ledgers;
        self
    }

    /// 待办 on `today`, from what this device holds (see `todo`).
    pub fn todo(&self, today: chrono::NaiveDate) -> Vec<crate::todo::Todo> {
        let cycle = self.cycle.as_ref();
        let commitments = crate::todo::on_device(&self.replica, cycle);
        let sends_report = self.may_for_some_committee(Action::SubmitReport);
        crate::todo::todo_list(&self.actor(), cycle, &commitments, today, sends_report)
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

    /// Whether the device holds a commitment of the current cycle in one of
    /// `states`.
    pub fn holds_this_year(&self, states: &[CommitmentState]) -> bool {
        let current = self.cycle.as_ref().map(|c| c.id);
        self.replica
            .commitments
            .iter()
            .any(|c| Some(c.cycle) == current && states.contains(&c.state()))
    }

    /// Whether the server may have to-do lines for this person
    /// (`todo_feed`): rounds, scores and orders come to whoever holds a role
    /// beyond member, or a commitment published this year; a member still
    /// drafting has none.
    pub fn may_have_server_todos(&self) -> bool {
        self.me
            .roles
            .iter()
            .any(|g| g.role != crate::permission::Role::Member)
            || self.holds_this_year(&[CommitmentState::Published])
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
