//! The client's side of sync: the device's copy of the commitments a person
//! may see (a replica) and its outbox of operations. Pure rules, no browser:
//! the app keeps a `Replica` in browser storage and calls these methods; the
//! tests drive them natively.
//!
//! The promise kept here: what a person typed stays in `draft` until the
//! server has it; an operation leaves the outbox only when the server
//! acknowledged it; a conflict keeps both versions.

use crate::commitment::{CommitmentDraft, Committer, CommitterKind};
use crate::ids::{CommitmentId, CycleId, OperationId};
use crate::messages::FieldError;
use crate::org::Ancestry;
use crate::sync::{Change, Cursor, Operation, OperationResult, Outcome, Revision, Snapshot};
use crate::workflow::CommitmentState;
use serde::{Deserialize, Serialize};

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
    /// The revision the server will be at once this commitment's queued operations apply.
    pub expected_revision: Option<Revision>,
    /// The server's version that conflicted with the local edits, until merged.
    pub conflict: Option<Snapshot>,
    /// The conflict's other side is another tab's text on this device, not the server's.
    #[serde(default)]
    pub conflict_from_other_tab: bool,
    /// A review this device sent about a version that had changed meanwhile.
    pub stale_review: Option<Snapshot>,
    /// Why the server refused the last step (a submission with field errors...).
    pub refusal: Vec<FieldError>,
    /// A refusal without fields (not allowed, not possible in this state).
    pub denied: Option<String>,
}

impl LocalCommitment {
    pub fn state(&self) -> CommitmentState {
        self.server
            .as_ref()
            .map_or(CommitmentState::Draft, |s| s.state)
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
        }
    }
}

/// Per commitment, what the person is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SyncStatus {
    /// The server has exactly this.
    Synced,
    /// Changes wait in the outbox.
    Waiting,
    /// Two versions to merge.
    Conflict,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Replica {
    pub commitments: Vec<LocalCommitment>,
    pub outbox: Vec<Operation>,
    pub cursor: Cursor,
}

impl Replica {
    pub fn get(&self, id: CommitmentId) -> Option<&LocalCommitment> {
        self.commitments.iter().find(|c| c.id == id)
    }

    fn get_mut(&mut self, id: CommitmentId) -> Option<&mut LocalCommitment> {
        self.commitments.iter_mut().find(|c| c.id == id)
    }

    pub fn pending(&self, id: CommitmentId) -> usize {
        self.outbox.iter().filter(|o| o.commitment == id).count()
    }

    pub fn status(&self, id: CommitmentId) -> SyncStatus {
        match self.get(id) {
            Some(c) if c.conflict.is_some() => SyncStatus::Conflict,
            _ if self.pending(id) > 0 => SyncStatus::Waiting,
            _ => SyncStatus::Synced,
        }
    }

    /// A new commitment made on this device (offline or not).
    #[allow(clippy::too_many_arguments)]
    pub fn create(
        &mut self,
        id: CommitmentId,
        operation: OperationId,
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
            draft: draft.clone(),
            expected_revision: Some(Revision(1)),
            conflict: None,
            conflict_from_other_tab: false,
            stale_review: None,
            refusal: Vec::new(),
            denied: None,
        });
        self.outbox.push(Operation {
            id: operation,
            commitment: id,
            base_revision: None,
            change: Change::Create {
                cycle,
                committer,
                draft,
            },
        });
    }

    /// An edit: kept at once; queued as one `SaveDraft`, folded into the last
    /// queued one unless that is already on its way (`sending`).
    pub fn edit(
        &mut self,
        id: CommitmentId,
        draft: CommitmentDraft,
        new_operation: OperationId,
        sending: &[OperationId],
    ) {
        let Some(local) = self.get_mut(id) else {
            return;
        };
        local.draft = draft.clone();
        local.refusal.clear();
        if local.conflict.is_some() {
            // Kept locally; it goes to the server with the merge.
            return;
        }
        let last = self.outbox.iter_mut().rev().find(|o| o.commitment == id);
        match last {
            Some(Operation {
                id: queued,
                change:
                    Change::SaveDraft {
                        draft: queued_draft,
                    },
                ..
            }) if !sending.contains(queued) => *queued_draft = draft,
            Some(Operation {
                id: queued,
                change:
                    Change::Create {
                        draft: queued_draft,
                        ..
                    },
                ..
            }) if !sending.contains(queued) => *queued_draft = draft,
            _ => self.queue(id, Change::SaveDraft { draft }, new_operation),
        }
    }

    /// Queues a step (submit, review, sign, publish, or a save) on the
    /// revision the server will have reached.
    pub fn queue(&mut self, id: CommitmentId, change: Change, operation: OperationId) {
        let Some(local) = self.get_mut(id) else {
            return;
        };
        let base = local
            .expected_revision
            .or_else(|| local.server.as_ref().map(|s| s.revision));
        local.expected_revision = base.map(Revision::next);
        local.refusal.clear();
        local.denied = None;
        if matches!(change, Change::Review { .. }) {
            local.stale_review = None;
        }
        self.outbox.push(Operation {
            id: operation,
            commitment: id,
            base_revision: base,
            change,
        });
    }

    /// The next batch to push, oldest first.
    pub fn batch(&self, max: usize) -> Vec<Operation> {
        self.outbox.iter().take(max).cloned().collect()
    }

    /// The server's answers: every acknowledged operation leaves the outbox.
    pub fn acknowledge(&mut self, results: &[OperationResult]) {
        for result in results {
            let Some(position) = self.outbox.iter().position(|o| o.id == result.id) else {
                continue;
            };
            if !result.outcome.is_acknowledged() {
                continue;
            }
            let operation = self.outbox.remove(position);
            let still_pending = self.pending(operation.commitment);
            let Some(local) = self.get_mut(operation.commitment) else {
                continue;
            };
            match &result.outcome {
                Outcome::Applied { snapshot } => {
                    if still_pending == 0 && local.conflict.is_none() {
                        local.draft = snapshot.draft.clone();
                        local.expected_revision = Some(snapshot.revision);
                    }
                    local.server = Some((**snapshot).clone());
                }
                Outcome::AlreadyApplied { .. } | Outcome::Failed => {}
                Outcome::Conflict { server } => {
                    local.server = Some((**server).clone());
                    local.conflict = Some((**server).clone());
                    local.conflict_from_other_tab = false;
                    local.expected_revision = None;
                }
                Outcome::Stale { server } => {
                    local.server = Some((**server).clone());
                    local.stale_review = Some((**server).clone());
                    if still_pending == 0 {
                        local.draft = server.draft.clone();
                        local.expected_revision = Some(server.revision);
                    }
                }
                Outcome::Rejected { errors } => {
                    local.refusal = errors.clone();
                    local.expected_revision = local.server.as_ref().map(|s| s.revision);
                }
                Outcome::Denied { reason } => {
                    local.denied = Some(reason.clone());
                    local.expected_revision = local.server.as_ref().map(|s| s.revision);
                }
            }
            // Queued steps after a conflict were based on the old revision: the
            // merge will queue the text again; what was typed stays in `draft`.
            if matches!(result.outcome, Outcome::Conflict { .. }) {
                let id = operation.commitment;
                self.outbox.retain(|o| o.commitment != id);
            }
        }
    }

    /// Takes in what the server says changed.
    pub fn absorb(&mut self, changes: Vec<Snapshot>, cursor: Cursor) {
        for snapshot in changes {
            let pending = self.pending(snapshot.id);
            match self.get_mut(snapshot.id) {
                Some(local) => {
                    if local
                        .server
                        .as_ref()
                        .is_some_and(|s| s.revision > snapshot.revision)
                    {
                        continue;
                    }
                    if pending == 0 && local.conflict.is_none() {
                        local.draft = snapshot.draft.clone();
                        local.expected_revision = Some(snapshot.revision);
                    }
                    local.ancestry = snapshot.ancestry.clone();
                    local.committer_name = snapshot.committer_name.clone();
                    local.server = Some(snapshot);
                }
                None => self.commitments.push(LocalCommitment {
                    id: snapshot.id,
                    cycle: snapshot.cycle,
                    committer: snapshot.committer,
                    kind: snapshot.kind,
                    committer_name: snapshot.committer_name.clone(),
                    ancestry: snapshot.ancestry.clone(),
                    draft: snapshot.draft.clone(),
                    expected_revision: Some(snapshot.revision),
                    server: Some(snapshot),
                    conflict: None,
                    conflict_from_other_tab: false,
                    stale_review: None,
                    refusal: Vec::new(),
                    denied: None,
                }),
            }
        }
        self.cursor = self.cursor.max(cursor);
    }

    /// The commitments whose copy or queued operations differ from `base`
    /// (what this tab last saved): the ones it changed since.
    pub fn changed_since(&self, base: &Replica) -> Vec<CommitmentId> {
        let queued = |replica: &Replica, id: CommitmentId| -> Vec<Operation> {
            replica
                .outbox
                .iter()
                .filter(|o| o.commitment == id)
                .cloned()
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
    /// A commitment only one side changed since `base` comes from that side,
    /// with its queued operations. One both changed, to different texts (the
    /// same person typing in two tabs at once), keeps this tab's text and
    /// queue and holds the other tab's text as a conflict, so the person
    /// chooses field by field and nothing either tab typed is lost. The cursor
    /// is the later of the two.
    pub fn merge_stored(&mut self, stored: &Replica, base: Option<&Replica>) {
        let everything = Replica::default();
        let base = base.unwrap_or(&everything);
        let mine_changed = self.changed_since(base);
        let theirs_changed = stored.changed_since(base);
        for theirs in &stored.commitments {
            let mine = self.commitments.iter().position(|c| c.id == theirs.id);
            if !mine_changed.contains(&theirs.id) {
                match mine {
                    Some(index) => self.commitments[index] = theirs.clone(),
                    None => self.commitments.push(theirs.clone()),
                }
                self.outbox.retain(|o| o.commitment != theirs.id);
                self.outbox.extend(
                    stored
                        .outbox
                        .iter()
                        .filter(|o| o.commitment == theirs.id)
                        .cloned(),
                );
                continue;
            }
            let Some(index) = mine else { continue };
            let mine = &mut self.commitments[index];
            let both_typed = theirs_changed.contains(&theirs.id)
                && theirs.draft != mine.draft
                && mine.conflict.is_none();
            if both_typed {
                mine.conflict = Some(theirs.as_other_version(mine));
                mine.conflict_from_other_tab = true;
            }
        }
        self.cursor = self.cursor.max(stored.cursor);
    }

    /// The person merged a conflict: the merged text goes on top of the
    /// server's version it was compared with.
    pub fn resolve(&mut self, id: CommitmentId, merged: CommitmentDraft, operation: OperationId) {
        let Some(local) = self.get_mut(id) else {
            return;
        };
        let Some(server) = local.conflict.take() else {
            return;
        };
        local.conflict_from_other_tab = false;
        local.draft = merged.clone();
        local.expected_revision = Some(server.revision);
        self.queue(id, Change::SaveDraft { draft: merged }, operation);
    }
}
