//! The device's copy of the commitments a person may see (a replica) and its
//! outbox of operations. Pure rules, no browser: the app keeps a `Replica` in
//! browser storage, the [`engine`](super::engine) decides when to send what,
//! and the tests drive both natively.
//!
//! The promises kept here:
//! - what a person typed stays in `draft` until the server has it;
//! - an operation in the outbox is never changed: typing marks the
//!   commitment `dirty`, and the text is made into a new operation only when
//!   it is about to be sent ([`Replica::capture`]), based on the revision the
//!   operations before it will reach;
//! - an operation leaves the outbox only when the server acknowledged it;
//! - a conflict is merged three ways against the version both sides started
//!   from (`base`): what one side changed is taken, and only what both
//!   changed differently waits for the person, with both versions kept.

use crate::commitment::{CommitmentDraft, Committer, CommitterKind};
use crate::dossier::{ItemFulfilment, Refusal};
use crate::evidence::Evidence;
use crate::ids::{CommitmentId, CycleId, OperationId};
use crate::org::Ancestry;
use crate::permission::{CommitmentTarget, Target};
use crate::review::ReviewDecision;
use crate::sync::merge::{merge, Choice};
use crate::sync::{Change, Cursor, Operation, OperationResult, Outcome, Revision, Snapshot};
use crate::workflow::{next_state, CommitmentState, Transition};
use serde::{Deserialize, Serialize};

/// A step of the workflow a device queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Step {
    Submit,
    Withdraw,
    Review,
    Sign,
    Publish,
}

impl Change {
    /// The step this change takes, if it is one (not a text).
    pub fn step(&self) -> Option<Step> {
        match self {
            Change::Create { .. } | Change::SaveDraft { .. } => None,
            Change::Submit => Some(Step::Submit),
            Change::Withdraw => Some(Step::Withdraw),
            Change::Review { .. } => Some(Step::Review),
            Change::Sign => Some(Step::Sign),
            Change::Publish { .. } => Some(Step::Publish),
            Change::StepItem { .. }
            | Change::RecordProgress { .. }
            | Change::EditPlan { .. }
            | Change::SelfCheck { .. }
            | Change::Assess { .. }
            | Change::Rectify { .. } => None,
        }
    }

    /// Whether this is fulfilment work (a ledger entry, an item's step, a
    /// self-check): queued outside the chain of revisions the text and the
    /// workflow use.
    pub fn is_fulfilment(&self) -> bool {
        matches!(
            self,
            Change::StepItem { .. }
                | Change::RecordProgress { .. }
                | Change::EditPlan { .. }
                | Change::SelfCheck { .. }
                | Change::Assess { .. }
                | Change::Rectify { .. }
        )
    }

    /// The text this change sends, if it sends one.
    pub fn text(&self) -> Option<&CommitmentDraft> {
        match self {
            Change::Create { draft, .. } | Change::SaveDraft { draft, .. } => Some(draft),
            _ => None,
        }
    }
}

/// Fulfilment work (a ledger entry, a plan edit, an item's step) the server
/// refused. It is not in the text's chain of revisions, so nothing else
/// holds it: it stays on the device, beside its item, with the reason, until
/// the person sends it again changed or lets it go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefusedWork {
    pub operation: OperationId,
    pub change: Change,
    pub refusal: Refusal,
    /// The file the server would not take, when that was the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl RefusedWork {
    /// The item it was about.
    pub fn item(&self) -> Option<crate::ids::ItemId> {
        match &self.change {
            Change::RecordProgress { entry } => entry.item,
            Change::StepItem { item, .. } | Change::EditPlan { item, .. } => Some(*item),
            _ => None,
        }
    }
}

/// One commitment as this device knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalCommitment {
    pub id: CommitmentId,
    pub cycle: CycleId,
    pub committer: Committer,
    pub kind: CommitterKind,
    pub committer_name: String,
    pub ancestry: Ancestry,
    /// The last version the server confirmed.
    pub server: Option<Snapshot>,
    /// What the person sees and edits; the server has it once the outbox is through.
    pub draft: CommitmentDraft,
    /// The server's text this device's unsent changes started from: the
    /// common version of a three-way merge. `None` while nothing is unsent.
    #[serde(default)]
    pub base: Option<CommitmentDraft>,
    /// Typed since the text was last made into an operation.
    #[serde(default)]
    pub dirty: bool,
    /// The revision the server will be at once this commitment's queued
    /// operations apply (none: never sent).
    pub expected_revision: Option<Revision>,
    /// The other version, while a merge waits for the person.
    pub conflict: Option<Snapshot>,
    /// The conflict's other side is another tab's text on this device, not the server's.
    #[serde(default)]
    pub conflict_from_other_tab: bool,
    /// A review this device sent about a version that had changed meanwhile.
    pub stale_review: Option<Snapshot>,
    /// Why the server refused this device's last change to it.
    #[serde(default)]
    pub refused: Option<Refusal>,
    /// Steps this device queued that were not taken because the commitment
    /// changed elsewhere first (the person decides again).
    #[serde(default)]
    pub not_taken: Vec<Step>,
    /// Fulfilment work the server refused, kept until the person decides.
    #[serde(default)]
    pub refused_work: Vec<RefusedWork>,
}

impl LocalCommitment {
    fn from_server(snapshot: Snapshot) -> LocalCommitment {
        LocalCommitment {
            id: snapshot.id,
            cycle: snapshot.cycle,
            committer: snapshot.committer,
            kind: snapshot.kind,
            committer_name: snapshot.committer_name.clone(),
            ancestry: snapshot.ancestry.clone(),
            draft: snapshot.draft.clone(),
            base: None,
            dirty: false,
            expected_revision: Some(snapshot.revision),
            server: Some(snapshot),
            conflict: None,
            conflict_from_other_tab: false,
            stale_review: None,
            refused: None,
            not_taken: Vec::new(),
            refused_work: Vec::new(),
        }
    }

    /// A refusal, a step not taken or refused fulfilment work waits for the person.
    pub fn needs_attention(&self) -> bool {
        self.refused.is_some() || !self.not_taken.is_empty() || !self.refused_work.is_empty()
    }

    pub fn state(&self) -> CommitmentState {
        self.server
            .as_ref()
            .map_or(CommitmentState::Draft, |s| s.state)
    }

    /// The version this device's changes started from.
    pub fn ancestor(&self) -> CommitmentDraft {
        self.base
            .clone()
            .or_else(|| self.server.as_ref().map(|s| s.draft.clone()))
            .unwrap_or_default()
    }

    /// Fixes the common version before the first unsent change.
    fn freeze_base(&mut self) {
        if self.base.is_none() {
            self.base = Some(self.ancestor());
        }
    }

    /// Takes a newer server version as the last confirmed one.
    fn adopt_server(&mut self, snapshot: &Snapshot) {
        let newer = self
            .server
            .as_ref()
            .is_none_or(|s| s.revision <= snapshot.revision);
        if newer {
            self.ancestry = snapshot.ancestry.clone();
            self.committer_name = snapshot.committer_name.clone();
            self.server = Some(snapshot.clone());
        }
    }

    /// This text as the other side of a merge with `mine`: based on the
    /// revision `mine` will have reached, so the merged text queues after it.
    fn as_other_version(&self, mine: &LocalCommitment) -> Snapshot {
        let known = mine.server.as_ref().or(self.server.as_ref());
        Snapshot {
            id: self.id,
            cycle: self.cycle,
            committer: self.committer,
            kind: self.kind,
            committer_name: self.committer_name.clone(),
            ancestry: self.ancestry.clone(),
            state: mine.state(),
            revision: mine
                .expected_revision
                .or(known.map(|s| s.revision))
                .unwrap_or_default(),
            draft: self.draft.clone(),
            number: known.and_then(|s| s.number.clone()),
            reviews: known.map(|s| s.reviews.clone()).unwrap_or_default(),
            updated_at: known.map(|s| s.updated_at).unwrap_or_default(),
            fulfilment: known.map(|s| s.fulfilment.clone()).unwrap_or_default(),
        }
    }
}

/// Per commitment, what the person is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SyncStatus {
    /// The server has exactly this.
    Synced,
    /// Changes wait to be sent.
    Waiting,
    /// Two versions to merge.
    Conflict,
    /// The server refused a change, or a step was not taken: the person decides.
    Refused,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Replica {
    pub commitments: Vec<LocalCommitment>,
    pub outbox: Vec<Operation>,
    pub cursor: Cursor,
    /// Files of queued ledger entries the server has confirmed it holds
    /// (by content hash): an entry is sent only once all its files are here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uploaded: Vec<String>,
}

impl Replica {
    pub fn get(&self, id: CommitmentId) -> Option<&LocalCommitment> {
        self.commitments.iter().find(|c| c.id == id)
    }

    fn get_mut(&mut self, id: CommitmentId) -> Option<&mut LocalCommitment> {
        self.commitments.iter_mut().find(|c| c.id == id)
    }

    /// The state the commitment will be in once the steps queued here
    /// apply: what the person sees and may do next (a submission queued
    /// offline is shown as submitted, a withdrawal as a draft again).
    pub fn predicted_state(&self, id: CommitmentId) -> CommitmentState {
        let mut state = self.get(id).map_or(CommitmentState::Draft, |c| c.state());
        for operation in self.outbox.iter().filter(|o| o.commitment == id) {
            let transition = match &operation.change {
                Change::Submit => Transition::Submit,
                Change::Withdraw => Transition::Withdraw,
                Change::Review { review } => match review.decision {
                    ReviewDecision::Approve => Transition::Approve,
                    ReviewDecision::Return => Transition::Return,
                },
                Change::Sign => Transition::Sign,
                Change::Publish { .. } => Transition::Publish,
                Change::Create { .. }
                | Change::SaveDraft { .. }
                | Change::StepItem { .. }
                | Change::EditPlan { .. }
                | Change::RecordProgress { .. }
                | Change::SelfCheck { .. }
                | Change::Assess { .. }
                | Change::Rectify { .. } => continue,
            };
            if let Ok(next) = next_state(state, transition) {
                state = next;
            }
        }
        state
    }

    /// Each signed item's state once the steps queued here apply (a claim
    /// made offline shows as claimed).
    pub fn predicted_fulfilment(&self, id: CommitmentId) -> Vec<ItemFulfilment> {
        let mut items = self
            .get(id)
            .and_then(|c| c.server.as_ref())
            .map(|s| s.fulfilment.clone())
            .unwrap_or_default();
        for operation in self.outbox.iter().filter(|o| o.commitment == id) {
            match &operation.change {
                Change::StepItem { item, step, .. } => {
                    if let Some(found) = items.iter_mut().find(|f| f.item == *item) {
                        if let Ok(next) = found.state.after(*step) {
                            found.state = next;
                        }
                    }
                }
                Change::EditPlan { item, add, remove } => {
                    if let Some(found) = items.iter_mut().find(|f| f.item == *item) {
                        let add: Vec<crate::ledger::PlanStep> = add
                            .iter()
                            .filter_map(|s| {
                                Some(crate::ledger::PlanStep {
                                    date: crate::validation::parse_date(&s.date)?,
                                    text: s.text.trim().to_owned(),
                                })
                            })
                            .collect();
                        if let Ok(plan) = crate::ledger::edit_plan(&found.plan, &add, remove) {
                            found.plan = plan;
                        }
                    }
                }
                _ => {}
            }
        }
        items
    }

    /// Ledger entries of this commitment waiting for the server.
    pub fn waiting_progress(&self, id: CommitmentId) -> Vec<&crate::ledger::ProgressDraft> {
        self.outbox
            .iter()
            .filter(|o| o.commitment == id)
            .filter_map(|o| match &o.change {
                Change::RecordProgress { entry } => Some(entry),
                _ => None,
            })
            .collect()
    }

    /// Refused fulfilment work of this commitment, oldest first.
    pub fn refused_work(&self, id: CommitmentId) -> &[RefusedWork] {
        self.get(id).map_or(&[], |c| c.refused_work.as_slice())
    }

    /// Takes refused work back from the device (the person sends it again
    /// changed, from the form it is put back into, or lets it go).
    pub fn take_refused(
        &mut self,
        id: CommitmentId,
        operation: OperationId,
    ) -> Option<RefusedWork> {
        let local = self.get_mut(id)?;
        let position = local
            .refused_work
            .iter()
            .position(|w| w.operation == operation)?;
        Some(local.refused_work.remove(position))
    }

    /// Queues fulfilment work (a ledger entry, an item's step). It is not
    /// part of the text's chain of revisions: it does not wait for the text,
    /// and the text does not wait for it.
    pub fn queue_fulfilment(&mut self, id: CommitmentId, change: Change, operation: OperationId) {
        if !change.is_fulfilment() || self.get(id).is_none() {
            return;
        }
        if let Some(local) = self.get_mut(id) {
            local.refused = None;
        }
        self.outbox.push(Operation {
            id: operation,
            commitment: id,
            base_revision: None,
            after: None,
            change,
        });
    }

    /// The commitment as the permission table sees it, in its predicted state.
    pub fn target(&self, id: CommitmentId) -> Option<Target> {
        let local = self.get(id)?;
        Some(Target::Commitment(CommitmentTarget {
            committer: local.committer,
            kind: local.kind,
            ancestry: local.ancestry.clone(),
            state: self.predicted_state(id),
        }))
    }

    /// Operations of this commitment waiting for the server.
    pub fn pending(&self, id: CommitmentId) -> usize {
        self.outbox.iter().filter(|o| o.commitment == id).count()
    }

    /// Changes waiting to reach the server: queued operations and texts typed since.
    pub fn waiting(&self) -> usize {
        self.outbox.len()
            + self
                .commitments
                .iter()
                .filter(|c| c.dirty && c.conflict.is_none())
                .count()
    }

    /// Whether this device holds something of this commitment the server
    /// does not have: then a newer server version must not replace the draft.
    pub fn has_unsent(&self, id: CommitmentId) -> bool {
        self.pending(id) > 0
            || self.get(id).is_some_and(|c| {
                c.dirty
                    || c.conflict.is_some()
                    || (c.refused.is_some() && c.server.as_ref().is_none_or(|s| s.draft != c.draft))
            })
    }

    pub fn status(&self, id: CommitmentId) -> SyncStatus {
        match self.get(id) {
            Some(c) if c.conflict.is_some() => SyncStatus::Conflict,
            _ if self.pending(id) > 0 || self.get(id).is_some_and(|c| c.dirty) => {
                SyncStatus::Waiting
            }
            Some(c) if c.needs_attention() => SyncStatus::Refused,
            _ => SyncStatus::Synced,
        }
    }

    /// A new commitment made on this device (offline or not). It is sent
    /// as a `Create` with whatever it holds by then.
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        &mut self,
        id: CommitmentId,
        cycle: CycleId,
        committer: Committer,
        kind: CommitterKind,
        committer_name: String,
        ancestry: Ancestry,
        draft: CommitmentDraft,
    ) {
        self.commitments.push(LocalCommitment {
            id,
            cycle,
            committer,
            kind,
            committer_name,
            ancestry,
            server: None,
            draft,
            base: Some(CommitmentDraft::default()),
            dirty: true,
            expected_revision: None,
            conflict: None,
            conflict_from_other_tab: false,
            stale_review: None,
            refused: None,
            not_taken: Vec::new(),
            refused_work: Vec::new(),
        });
    }

    /// An edit: kept at once, sent with the next push.
    pub fn edit(&mut self, id: CommitmentId, draft: CommitmentDraft) {
        let Some(local) = self.get_mut(id) else {
            return;
        };
        local.freeze_base();
        local.draft = draft;
        local.refused = None;
        local.not_taken.clear();
        local.dirty = true;
    }

    /// Makes every text typed since the last operation into an operation
    /// (on the revision the queued ones will reach), just before a push.
    /// A text waiting for a merge stays until the person merged it.
    pub fn capture(&mut self, new_id: &mut dyn FnMut() -> OperationId) {
        let ids: Vec<CommitmentId> = self
            .commitments
            .iter()
            .filter(|c| c.dirty && c.conflict.is_none())
            .map(|c| c.id)
            .collect();
        for id in ids {
            self.capture_one(id, new_id);
        }
    }

    fn capture_one(&mut self, id: CommitmentId, new_id: &mut dyn FnMut() -> OperationId) {
        let Some(local) = self.get_mut(id) else {
            return;
        };
        // A text past the form's limits waits here until shortened (the
        // form shows where); the server would refuse it.
        if !local.dirty || local.conflict.is_some() || local.draft.check_limits().is_err() {
            return;
        }
        local.dirty = false;
        let change = if local.expected_revision.is_none() && local.server.is_none() {
            local.expected_revision = Some(Revision(1));
            Change::Create {
                cycle: local.cycle,
                committer: local.committer,
                draft: local.draft.clone(),
            }
        } else {
            Change::SaveDraft {
                draft: local.draft.clone(),
                set_aside: Vec::new(),
            }
        };
        match change {
            Change::Create { .. } => self.outbox.push(Operation {
                id: new_id(),
                commitment: id,
                base_revision: None,
                after: None,
                change,
            }),
            change => self.push_operation(id, change, new_id()),
        }
    }

    /// Queues a step (submit, withdraw, review, sign, publish) after the
    /// text typed so far, on the revision the server will have reached. A
    /// text the server refused goes again with it: before a submission (the
    /// person submits what they see), after a withdrawal (which is what
    /// makes it editable again).
    pub fn queue(
        &mut self,
        id: CommitmentId,
        change: Change,
        new_id: &mut dyn FnMut() -> OperationId,
    ) {
        let Some(local) = self.get_mut(id) else {
            return;
        };
        let parked =
            local.refused.is_some() && local.server.as_ref().is_none_or(|s| s.draft != local.draft);
        local.freeze_base();
        local.refused = None;
        local.not_taken.clear();
        if matches!(change, Change::Review { .. }) {
            local.stale_review = None;
        }
        let withdrawal = matches!(change, Change::Withdraw);
        if parked && !withdrawal {
            local.dirty = true;
        }
        self.capture_one(id, new_id);
        self.push_operation(id, change, new_id());
        if parked && withdrawal {
            if let Some(local) = self.get_mut(id) {
                local.dirty = true;
            }
        }
    }

    fn push_operation(&mut self, id: CommitmentId, change: Change, operation: OperationId) {
        let Some(local) = self.get_mut(id) else {
            return;
        };
        let base = local
            .expected_revision
            .or_else(|| local.server.as_ref().map(|s| s.revision));
        local.expected_revision = base.map(Revision::next);
        let after = self
            .outbox
            .iter()
            .rev()
            .find(|o| o.commitment == id)
            .map(|o| o.id);
        self.outbox.push(Operation {
            id: operation,
            commitment: id,
            base_revision: base,
            after,
            change,
        });
    }

    /// The next batch to push, oldest first.
    /// The next operations to send, in order, stopping before the first
    /// ledger entry whose files have not all reached the server.
    pub fn batch(&self, max: usize) -> Vec<Operation> {
        self.outbox
            .iter()
            .take(max)
            .take_while(|o| self.files_waiting(o).next().is_none())
            .cloned()
            .collect()
    }

    fn files_waiting<'a>(&'a self, operation: &'a Operation) -> impl Iterator<Item = &'a Evidence> {
        operation
            .change
            .evidence()
            .iter()
            .filter(|f| !self.uploaded.contains(&f.hash))
    }

    /// Files to upload before the outbox can go on, in its order, each once.
    pub fn pending_uploads(&self) -> Vec<(CommitmentId, Evidence)> {
        let mut out: Vec<(CommitmentId, Evidence)> = Vec::new();
        for operation in &self.outbox {
            for file in self.files_waiting(operation) {
                if !out.iter().any(|(_, f)| f.hash == file.hash) {
                    out.push((operation.commitment, file.clone()));
                }
            }
        }
        out
    }

    /// The server holds this file now.
    pub fn uploaded(&mut self, hash: &str) {
        if !self.uploaded.iter().any(|h| h == hash) {
            self.uploaded.push(hash.to_owned());
        }
    }

    /// The server will not take this file (its kind, its size, the
    /// commitment's total): the entries carrying it are not sent; they stay
    /// on the device with the reason, like any refused work.
    pub fn upload_refused(&mut self, hash: &str, refusal: Refusal) {
        let carries = |o: &Operation| o.change.evidence().iter().any(|f| f.hash == hash);
        let (refused, kept): (Vec<Operation>, Vec<Operation>) = std::mem::take(&mut self.outbox)
            .into_iter()
            .partition(carries);
        self.outbox = kept;
        for operation in refused {
            if let Some(local) = self.get_mut(operation.commitment) {
                local.refused_work.push(RefusedWork {
                    operation: operation.id,
                    change: operation.change,
                    refusal: refusal.clone(),
                    file: Some(hash.to_owned()),
                });
            }
        }
    }

    /// Every file this device still needs: of queued entries and of refused
    /// ones (the person may send them again). The others may be deleted.
    pub fn files_in_use(&self) -> Vec<String> {
        let entries = self.outbox.iter().map(|o| &o.change).chain(
            self.commitments
                .iter()
                .flat_map(|c| c.refused_work.iter().map(|w| &w.change)),
        );
        let mut hashes: Vec<String> = entries
            .flat_map(|change| change.evidence().iter().map(|f| f.hash.clone()))
            .collect();
        crate::sorting::sort(&mut hashes);
        hashes.dedup();
        hashes
    }

    /// The server's answers: every acknowledged operation leaves the outbox.
    pub fn acknowledge(&mut self, results: &[OperationResult]) {
        self.answered(results);
        // Files no queued entry needs any more are not remembered.
        let queued: Vec<String> = self
            .outbox
            .iter()
            .flat_map(|o| o.change.evidence().iter().map(|f| f.hash.clone()))
            .collect();
        self.uploaded.retain(|h| queued.contains(h));
    }

    fn answered(&mut self, results: &[OperationResult]) {
        for result in results {
            let Some(position) = self.outbox.iter().position(|o| o.id == result.id) else {
                continue;
            };
            if !result.outcome.is_acknowledged() {
                continue;
            }
            let operation = self.outbox.remove(position);
            let id = operation.commitment;
            if let Outcome::Conflict { server } = &result.outcome {
                self.conflicted(&operation, server);
                continue;
            }
            let more = self.pending(id) > 0;
            let Some(local) = self.get_mut(id) else {
                continue;
            };
            if let (Outcome::Refused { refusal }, true) =
                (&result.outcome, operation.change.is_fulfilment())
            {
                // Kept with its reason: the ledger text the person typed is
                // nowhere else.
                local.refused_work.push(RefusedWork {
                    operation: operation.id,
                    change: operation.change,
                    refusal: refusal.clone(),
                    file: None,
                });
                continue;
            }
            let unsent = more || local.dirty || local.conflict.is_some();
            match &result.outcome {
                Outcome::Applied { snapshot } => {
                    local.adopt_server(snapshot);
                    if unsent {
                        // What is still unsent started from this text.
                        local.base = Some(snapshot.draft.clone());
                    } else {
                        local.draft = snapshot.draft.clone();
                        local.base = None;
                        local.expected_revision = Some(snapshot.revision);
                    }
                }
                Outcome::Saved { revision } => {
                    // The server holds exactly this operation's text now.
                    let Some(text) = operation.change.text() else {
                        continue;
                    };
                    if let Some(server) = local.server.as_mut() {
                        if server.revision < *revision {
                            server.draft = text.clone();
                            server.revision = *revision;
                        }
                    }
                    if unsent {
                        local.base = Some(text.clone());
                    } else {
                        local.draft = text.clone();
                        local.base = None;
                        local.expected_revision = Some(*revision);
                    }
                }
                Outcome::AlreadyApplied { revision } => {
                    // Applied when its answer was lost: the server has this
                    // operation's text; the next pull brings the rest.
                    if let Some(text) = operation.change.text() {
                        if unsent {
                            local.base = Some(text.clone());
                        }
                    }
                    if !more {
                        local.expected_revision = Some(*revision);
                    }
                    if !unsent {
                        local.base = None;
                    }
                }
                Outcome::Stale { server } => {
                    local.adopt_server(server);
                    local.stale_review = Some((**server).clone());
                    if !unsent {
                        local.draft = server.draft.clone();
                        local.base = None;
                        local.expected_revision = Some(server.revision);
                    }
                }
                Outcome::Refused { refusal } => {
                    // Nothing changed on the server; the text stays here,
                    // with the reason (a creation is sent again as one).
                    local.refused = Some(refusal.clone());
                    local.expected_revision = local.server.as_ref().map(|s| s.revision);
                }
                Outcome::Conflict { .. } | Outcome::Failed => {}
            }
        }
    }

    /// The server had changed since `operation` was made: the server's
    /// version is merged with this device's against their common version;
    /// what merges cleanly is sent again, the rest waits for the person.
    /// Steps queued on the old version are not taken (the person is told).
    fn conflicted(&mut self, operation: &Operation, server: &Snapshot) {
        let from = operation.commitment;
        let mut not_taken: Vec<Step> = operation.change.step().into_iter().collect();
        self.outbox.retain(|o| {
            if o.commitment != from {
                return true;
            }
            not_taken.extend(o.change.step());
            false
        });
        if server.id != from {
            // Another device created this committer's commitment first: this
            // device's text joins that one.
            if !self.rekey(from, server.id) {
                return;
            }
        }
        let Some(local) = self.get_mut(server.id) else {
            return;
        };
        local.adopt_server(server);
        local.not_taken.extend(not_taken);
        if local.conflict.is_some() {
            // Already waiting for the person, who compares with the version
            // on screen; the merged text will meet this newer one next.
            return;
        }
        let ancestor = local.ancestor();
        local.expected_revision = Some(server.revision);
        let merged = merge(&ancestor, &local.draft, &server.draft, &|_| None);
        if merged.is_clean() {
            local.dirty = merged.draft != server.draft;
            local.draft = merged.draft;
            local.base = Some(server.draft.clone());
        } else {
            local.base = Some(ancestor);
            local.conflict = Some(server.clone());
            local.conflict_from_other_tab = false;
            local.dirty = true;
        }
    }

    /// Moves the local commitment `from` onto the server's `to` (the same
    /// committer's commitment created elsewhere). Returns whether the moved
    /// text is now `to`'s draft, to be merged with the server's; if this
    /// device already held `to`, both texts are kept in it and sent again.
    fn rekey(&mut self, from: CommitmentId, to: CommitmentId) -> bool {
        let Some(position) = self.commitments.iter().position(|c| c.id == from) else {
            return false;
        };
        let mut moved = self.commitments.remove(position);
        match self.get_mut(to) {
            Some(existing) => {
                // The two texts share nothing but the empty form: both kept.
                let both = merge(
                    &CommitmentDraft::default(),
                    &existing.draft,
                    &moved.draft,
                    &|_| Some(Choice::Both),
                );
                existing.freeze_base();
                existing.draft = both.draft;
                existing.dirty = true;
                existing.not_taken.extend(moved.not_taken);
                false
            }
            None => {
                moved.id = to;
                moved.server = None;
                moved.expected_revision = None;
                // Nothing in common with the other device's text but the empty form.
                moved.base = Some(CommitmentDraft::default());
                self.commitments.push(moved);
                true
            }
        }
    }

    /// Takes in what the server says changed.
    pub fn absorb(&mut self, changes: Vec<Snapshot>, cursor: Cursor) {
        for snapshot in changes {
            let unsent = self.has_unsent(snapshot.id);
            match self.get_mut(snapshot.id) {
                Some(local) => {
                    if local
                        .server
                        .as_ref()
                        .is_some_and(|s| s.revision > snapshot.revision)
                    {
                        continue;
                    }
                    if !unsent {
                        local.draft = snapshot.draft.clone();
                        local.base = None;
                        local.expected_revision = Some(snapshot.revision);
                    }
                    local.adopt_server(&snapshot);
                }
                None => self
                    .commitments
                    .push(LocalCommitment::from_server(snapshot)),
            }
        }
        self.cursor = self.cursor.max(cursor);
    }

    /// The commitments whose copy or queued operations differ from `base`
    /// (what this tab last saved): the ones it changed since.
    pub fn changed_since(&self, base: &Replica) -> Vec<CommitmentId> {
        let queued = |replica: &Replica, id: CommitmentId| -> Vec<OperationId> {
            replica
                .outbox
                .iter()
                .filter(|o| o.commitment == id)
                .map(|o| o.id)
                .collect()
        };
        self.commitments
            .iter()
            .filter(|c| base.get(c.id) != Some(*c) || queued(self, c.id) != queued(base, c.id))
            .map(|c| c.id)
            .collect()
    }

    /// Takes in what another tab of this account stored. `base` is what this
    /// tab last read from or wrote to storage (none: it never did).
    ///
    /// The outbox is merged by operation (operations never change): one the
    /// other tab added is added, one it acknowledged is dropped. A commitment
    /// only one side changed comes from that side. One both changed (the same
    /// person typing in two tabs at once) is merged three ways; what both
    /// changed differently is held as a conflict with the other tab's text,
    /// so nothing either tab typed is lost. The cursor is the later of the two.
    pub fn merge_stored(&mut self, stored: &Replica, base: Option<&Replica>) {
        let everything = Replica::default();
        let base = base.unwrap_or(&everything);
        let mine_changed = self.changed_since(base);
        let theirs_changed = stored.changed_since(base);

        let in_base = |id: OperationId| base.outbox.iter().any(|o| o.id == id);
        let in_theirs = |id: OperationId| stored.outbox.iter().any(|o| o.id == id);
        // Texts the other tab sent and the server acknowledged: what the
        // server holds now, the common version of what was typed since.
        let acknowledged: Vec<(CommitmentId, CommitmentDraft)> = self
            .outbox
            .iter()
            .filter(|o| in_base(o.id) && !in_theirs(o.id))
            .filter_map(|o| Some((o.commitment, o.change.text()?.clone())))
            .collect();
        let in_mine = |id: OperationId| self.outbox.iter().any(|o| o.id == id);
        // In the stored order (less what this tab saw acknowledged), then
        // what this tab queued since: the order the store will hold once
        // this tab writes it.
        let mut outbox: Vec<Operation> = stored
            .outbox
            .iter()
            .filter(|o| in_mine(o.id) || !in_base(o.id))
            .cloned()
            .collect();
        for operation in &self.outbox {
            if !in_base(operation.id) && !in_theirs(operation.id) {
                outbox.push(operation.clone());
            }
        }
        self.outbox = outbox;

        for theirs in &stored.commitments {
            let mine = self.commitments.iter().position(|c| c.id == theirs.id);
            let index = match mine {
                // Moved away by this tab (joined to another id): stays gone.
                None if base.get(theirs.id).is_some() => continue,
                None => {
                    self.commitments.push(theirs.clone());
                    continue;
                }
                Some(index) => index,
            };
            if !theirs_changed.contains(&theirs.id) {
                continue;
            }
            if !mine_changed.contains(&theirs.id) {
                self.commitments[index] = theirs.clone();
                continue;
            }
            let mine = &mut self.commitments[index];
            let common = base
                .get(theirs.id)
                .map(|b| b.draft.clone())
                .unwrap_or_else(|| mine.ancestor());
            if let Some(server) = &theirs.server {
                mine.adopt_server(server);
            }
            mine.expected_revision = mine.expected_revision.max(theirs.expected_revision);
            mine.dirty |= theirs.dirty;
            // Refused work, like the outbox: what either tab added stays,
            // what either let go is gone.
            let was = |w: &RefusedWork| {
                base.get(theirs.id)
                    .is_some_and(|b| b.refused_work.iter().any(|x| x.operation == w.operation))
            };
            let in_theirs = |w: &RefusedWork| {
                theirs
                    .refused_work
                    .iter()
                    .any(|x| x.operation == w.operation)
            };
            mine.refused_work.retain(|w| in_theirs(w) || !was(w));
            for work in &theirs.refused_work {
                let known = mine
                    .refused_work
                    .iter()
                    .any(|x| x.operation == work.operation);
                if !known && !was(work) {
                    mine.refused_work.push(work.clone());
                }
            }
            if mine.conflict.is_none() && theirs.conflict.is_some() {
                mine.conflict = theirs.conflict.clone();
                mine.conflict_from_other_tab = theirs.conflict_from_other_tab;
            }
            if mine.draft == theirs.draft {
                continue;
            }
            let merged = merge(&common, &mine.draft, &theirs.draft, &|_| None);
            if merged.is_clean() {
                mine.freeze_base();
                mine.draft = merged.draft;
                mine.dirty = true;
            } else if mine.conflict.is_none() {
                mine.freeze_base();
                mine.conflict = Some(theirs.as_other_version(mine));
                mine.conflict_from_other_tab = true;
            }
        }
        // What this tab typed since stands on the text the other tab had
        // acknowledged (as `acknowledge` does for a tab's own), not on the
        // older one it started from: else a later merge against the server
        // sees the acknowledged part as changed on both sides.
        for (id, text) in acknowledged {
            if let Some(mine) = self.commitments.iter_mut().find(|c| c.id == id) {
                if mine_changed.contains(&id) && mine.base.is_some() {
                    mine.base = Some(text);
                }
            }
        }
        for hash in &stored.uploaded {
            self.uploaded(hash);
        }
        self.cursor = self.cursor.max(stored.cursor);
    }

    /// Takes in another device's unsynced work, brought by file: commitments
    /// this device lacks come whole, with their queued operations; for one it
    /// has, the other device's text is merged into this one's (both kept
    /// where both changed) and sent from here, with its queued steps.
    pub fn import(&mut self, other: &Replica) {
        for theirs in &other.commitments {
            let unsent = other.has_unsent(theirs.id);
            let steps = other.outbox.iter().filter(|o| {
                o.commitment == theirs.id && (o.change.step().is_some() || o.change.is_fulfilment())
            });
            match self.get_mut(theirs.id) {
                None => {
                    self.commitments.push(theirs.clone());
                    let queued: Vec<Operation> = other
                        .outbox
                        .iter()
                        .filter(|o| o.commitment == theirs.id)
                        .cloned()
                        .collect();
                    self.outbox.extend(queued);
                }
                Some(mine) if unsent => {
                    let both = merge(&theirs.ancestor(), &mine.draft, &theirs.draft, &|_| {
                        Some(Choice::Both)
                    });
                    if both.draft != mine.draft {
                        mine.freeze_base();
                        mine.draft = both.draft;
                        mine.dirty = true;
                    }
                    let steps: Vec<Operation> = steps
                        .filter(|o| !self.outbox.iter().any(|m| m.id == o.id))
                        .cloned()
                        .collect();
                    self.outbox.extend(steps);
                }
                Some(_) => {}
            }
            // Refused work the other device kept travels too.
            if let Some(mine) = self.get_mut(theirs.id) {
                for work in &theirs.refused_work {
                    if !mine
                        .refused_work
                        .iter()
                        .any(|x| x.operation == work.operation)
                    {
                        mine.refused_work.push(work.clone());
                    }
                }
            }
        }
    }

    /// The person merged a conflict: the merged text goes on top of the
    /// other version it was compared with, carrying what the person chose
    /// not to keep so that it stays in the commitment's history.
    pub fn resolve(
        &mut self,
        id: CommitmentId,
        merged: CommitmentDraft,
        set_aside: Vec<CommitmentDraft>,
        operation: OperationId,
    ) {
        let Some(local) = self.get_mut(id) else {
            return;
        };
        let Some(other) = local.conflict.take() else {
            return;
        };
        let from_other_tab = std::mem::take(&mut local.conflict_from_other_tab);
        local.draft = merged.clone();
        local.dirty = false;
        if !from_other_tab {
            local.base = Some(other.draft.clone());
            local.expected_revision = Some(other.revision);
        }
        self.push_operation(
            id,
            Change::SaveDraft {
                draft: merged,
                set_aside,
            },
            operation,
        );
    }

    /// The person read a refusal or a step not taken: it is no longer shown.
    pub fn dismiss(&mut self, id: CommitmentId) {
        if let Some(local) = self.get_mut(id) {
            local.not_taken.clear();
            if local
                .server
                .as_ref()
                .is_some_and(|s| s.draft == local.draft)
            {
                local.refused = None;
            }
        }
    }
}
