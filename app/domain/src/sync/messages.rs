//! The messages the client and the server exchange to sync (DOMAIN.md
//! section 6): a client queues [`Operation`]s, each with a client-generated id
//! and the revision it was based on, pushes them in batches, and pulls what
//! changed since its cursor.

use crate::commitment::{CommitmentDraft, Committer, CommitterKind};
use crate::dossier::Refusal;
use crate::ids::{CommitmentId, CycleId, OperationId};
use crate::org::Ancestry;
use crate::publication::DisplayDraft;
use crate::review::{Review, ReviewDraft};
use crate::workflow::CommitmentState;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The largest count the API takes (a revision, a cursor): the largest
/// integer a browser's numbers hold exactly (2^53 − 1).
pub const MAX_COUNT: u64 = (1 << 53) - 1;

/// Reads a count: a whole number from 0 to `MAX_COUNT`, written as an
/// integer or as a float with nothing after the point (`2.0`).
pub fn count<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct Count;
    impl serde::de::Visitor<'_> for Count {
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a whole number from 0 to {MAX_COUNT}")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            if v <= MAX_COUNT {
                Ok(v)
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
                .and_then(|v| self.visit_u64(v))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
            if v.fract() == 0.0 && (0.0..=MAX_COUNT as f64).contains(&v) {
                Ok(v as u64)
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
            }
        }
    }
    deserializer.deserialize_any(Count)
}

/// A commitment's revision on the server: 1 when created, +1 on every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = u64, minimum = 0, maximum = 9007199254740991_f64))]
#[serde(transparent)]
pub struct Revision(pub u64);

impl<'de> Deserialize<'de> for Revision {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        count(deserializer).map(Revision)
    }
}

impl Revision {
    pub fn next(self) -> Revision {
        Revision(self.0 + 1)
    }
}

/// Where a client is in the server's stream of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = u64, minimum = 0, maximum = 9007199254740991_f64))]
#[serde(transparent)]
pub struct Cursor(pub u64);

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        count(deserializer).map(Cursor)
    }
}

/// One change a person made, queued on their device until the server acknowledges it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Operation {
    /// Made by the client; the server applies an id at most once.
    pub id: OperationId,
    pub commitment: CommitmentId,
    /// The server revision the person saw when making the change; none for a new commitment.
    pub base_revision: Option<Revision>,
    /// The operation on the same commitment queued just before this one on
    /// the device, whose result `base_revision` predicts: if the server did
    /// not apply that one, this one does not apply either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<OperationId>,
    pub change: Change,
}

/// What the operation does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", try_from = "wire::RawChange")]
pub enum Change {
    /// Creates the commitment (on the first save of a new draft).
    Create {
        cycle: CycleId,
        committer: Committer,
        draft: CommitmentDraft,
    },
    /// Replaces the text of a draft or a returned commitment.
    SaveDraft {
        draft: CommitmentDraft,
        /// Versions the person chose not to keep while merging, kept in the
        /// commitment's history so that they can still be read.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        set_aside: Vec<CommitmentDraft>,
    },
    Submit,
    /// Takes back a submission nobody has reviewed yet, to edit it again.
    Withdraw,
    Review {
        review: ReviewDraft,
    },
    Sign,
    Publish {
        display: DisplayDraft,
    },
    /// 兑现销号 on one item: the author claims it done (with a summary), the
    /// parent unit crosses it off or sends the claim back (with a reason).
    /// Decided on the item's state, not on the revision: a ledger entry or
    /// another item's step in between does not make it a conflict.
    StepItem {
        item: crate::ids::ItemId,
        step: crate::workflow::ItemStep,
        #[serde(default)]
        reason: String,
    },
    /// 实施计划: steps added to and taken from one item's plan (an edit is
    /// both); decided on the item's state, and another phone's steps stay.
    EditPlan {
        item: crate::ids::ItemId,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        add: Vec<crate::ledger::PlanStepDraft>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        remove: Vec<crate::ledger::PlanStep>,
    },
    /// 台账: a dated progress entry on one item (the text is the entry's;
    /// the commitment itself does not change).
    RecordProgress {
        entry: crate::ledger::ProgressDraft,
    },
    /// 逐项对照检查: the committer's check of every item in an open round
    /// (sent again, it replaces the earlier one of that round).
    SelfCheck {
        round: crate::ids::RoundId,
        checks: Vec<crate::evaluation::SelfCheckDraft>,
    },
    /// 领导点评 / 组织考核: a leader's or the parent unit's score and comment
    /// in an open round (sent again, it replaces the scorer's earlier one).
    Assess {
        round: crate::ids::RoundId,
        by: crate::evaluation::Assessor,
        assessment: crate::evaluation::AssessmentDraft,
    },
    /// 限期整改: a step on a rectification order of this commitment, with
    /// its evidence files (a report or a claim, like a ledger entry's).
    Rectify {
        order: crate::ids::RectificationId,
        rectify: crate::evaluation::RectificationStep,
        #[serde(default)]
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        evidence: Vec<crate::evidence::Evidence>,
    },
}

impl Change {
    /// The evidence files this change carries (uploaded before it is sent).
    pub fn evidence(&self) -> &[crate::evidence::Evidence] {
        match self {
            Change::RecordProgress { entry } => &entry.evidence,
            Change::Rectify { evidence, .. } => evidence,
            _ => &[],
        }
    }
}

/// A batch of operations, in the order they were made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub operations: Vec<Operation>,
    /// The client reads `Outcome::Saved`: a saved text is answered with its
    /// new revision only, not the whole commitment (earlier clients, which
    /// do not send this, get `Applied` with the snapshot).
    #[serde(default)]
    pub compact: bool,
}

/// The server's answer, one result per operation, in the same order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<OperationResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperationResult {
    pub id: OperationId,
    pub outcome: Outcome,
}

/// What became of an operation. Every outcome but `Failed` acknowledges it:
/// the client may drop it from its outbox (keeping what it needs to show).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case", try_from = "wire::RawOutcome")]
pub enum Outcome {
    /// Applied now; the commitment is at this revision.
    Applied { snapshot: Box<Snapshot> },
    /// A text (`SaveDraft`) applied now: the server holds exactly the text
    /// sent, at this revision, and everything else as before. (Asked for
    /// with `PushRequest::compact`.)
    Saved { revision: Revision },
    /// Applied before (a replayed batch): nothing changed now.
    AlreadyApplied { revision: Revision },
    /// The server's copy changed since the base revision: nothing was
    /// overwritten; here is the server's version, to merge with the local one.
    Conflict { server: Box<Snapshot> },
    /// A review of a commitment that changed since the reviewer saw it.
    Stale { server: Box<Snapshot> },
    /// Refused (not allowed to this person, not possible in the
    /// commitment's state, or fields the rules refuse); nothing changed.
    Refused { refusal: Refusal },
    /// Not processed (the server failed): keep it and retry.
    Failed,
}

impl Outcome {
    /// Whether the operation may leave the outbox.
    pub fn is_acknowledged(&self) -> bool {
        !matches!(self, Outcome::Failed)
    }
}

/// A commitment as the server holds it, for a client to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Snapshot {
    pub id: CommitmentId,
    pub cycle: CycleId,
    pub committer: Committer,
    pub kind: CommitterKind,
    /// The committer's name, for lists.
    pub committer_name: String,
    /// Where the committer sits in the tree (a person's branch first), so the
    /// client can ask the same permission questions as the server.
    pub ancestry: Ancestry,
    pub state: CommitmentState,
    pub revision: Revision,
    pub draft: CommitmentDraft,
    /// The number given at signing (e.g. `2026-经管-007`).
    pub number: Option<String>,
    pub reviews: Vec<Review>,
    #[serde(deserialize_with = "crate::day::de_instant")]
    pub updated_at: DateTime<Utc>,
    /// Each signed item's deadline and state (兑现销号), once signed: the
    /// to-do list and the overdue flags are decided on the device from it.
    #[serde(default)]
    pub fulfilment: Vec<crate::dossier::ItemFulfilment>,
}

/// A version of a commitment's text that a person chose not to keep while
/// merging, kept in its history so that it can still be read and copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetAside {
    #[serde(deserialize_with = "crate::day::de_instant")]
    pub at: DateTime<Utc>,
    /// Who merged (their name).
    pub by: Option<String>,
    pub draft: CommitmentDraft,
}

/// Changes since a cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullRequest {
    pub since: Cursor,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub changes: Vec<Snapshot>,
    pub cursor: Cursor,
    /// More changes wait: pull again from `cursor`.
    pub more: bool,
}

/// Reading the two tagged enums of the sync messages. Serde's derive for an
/// internally tagged enum first buffers the whole object and then reads each
/// variant's fields again from the buffer: in the browser that is a second
/// deserializer for `Snapshot` and `CommitmentDraft`. These flat forms read
/// the same JSON once.
mod wire {
    use super::{Change, Outcome, Revision, Snapshot};
    use crate::commitment::{CommitmentDraft, Committer};
    use crate::dossier::Refusal;
    use crate::ids::CycleId;
    use crate::publication::DisplayDraft;
    use crate::review::ReviewDraft;
    use serde::Deserialize;

    fn missing(field: &str) -> String {
        format!("missing field `{field}`")
    }

    #[derive(Deserialize)]
    pub struct RawChange {
        #[serde(rename = "type")]
        kind: String,
        cycle: Option<CycleId>,
        committer: Option<Committer>,
        draft: Option<CommitmentDraft>,
        #[serde(default)]
        set_aside: Vec<CommitmentDraft>,
        review: Option<ReviewDraft>,
        display: Option<DisplayDraft>,
        item: Option<crate::ids::ItemId>,
        step: Option<crate::workflow::ItemStep>,
        #[serde(default)]
        reason: String,
        entry: Option<crate::ledger::ProgressDraft>,
        #[serde(default)]
        add: Vec<crate::ledger::PlanStepDraft>,
        #[serde(default)]
        remove: Vec<crate::ledger::PlanStep>,
        round: Option<crate::ids::RoundId>,
        checks: Option<Vec<crate::evaluation::SelfCheckDraft>>,
        by: Option<crate::evaluation::Assessor>,
        assessment: Option<crate::evaluation::AssessmentDraft>,
        order: Option<crate::ids::RectificationId>,
        rectify: Option<crate::evaluation::RectificationStep>,
        #[serde(default)]
        text: String,
        #[serde(default)]
        evidence: Vec<crate::evidence::Evidence>,
    }

    impl TryFrom<RawChange> for Change {
        type Error = String;
        fn try_from(raw: RawChange) -> Result<Change, String> {
            Ok(match raw.kind.as_str() {
                "create" => Change::Create {
                    cycle: raw.cycle.ok_or_else(|| missing("cycle"))?,
                    committer: raw.committer.ok_or_else(|| missing("committer"))?,
                    draft: raw.draft.ok_or_else(|| missing("draft"))?,
                },
                "save_draft" => Change::SaveDraft {
                    draft: raw.draft.ok_or_else(|| missing("draft"))?,
                    set_aside: raw.set_aside,
                },
                "submit" => Change::Submit,
                "withdraw" => Change::Withdraw,
                "review" => Change::Review {
                    review: raw.review.ok_or_else(|| missing("review"))?,
                },
                "sign" => Change::Sign,
                "publish" => Change::Publish {
                    display: raw.display.ok_or_else(|| missing("display"))?,
                },
                "step_item" => Change::StepItem {
                    item: raw.item.ok_or_else(|| missing("item"))?,
                    step: raw.step.ok_or_else(|| missing("step"))?,
                    reason: raw.reason,
                },
                "edit_plan" => Change::EditPlan {
                    item: raw.item.ok_or_else(|| missing("item"))?,
                    add: raw.add,
                    remove: raw.remove,
                },
                "record_progress" => Change::RecordProgress {
                    entry: raw.entry.ok_or_else(|| missing("entry"))?,
                },
                "self_check" => Change::SelfCheck {
                    round: raw.round.ok_or_else(|| missing("round"))?,
                    checks: raw.checks.ok_or_else(|| missing("checks"))?,
                },
                "assess" => Change::Assess {
                    round: raw.round.ok_or_else(|| missing("round"))?,
                    by: raw.by.ok_or_else(|| missing("by"))?,
                    assessment: raw.assessment.ok_or_else(|| missing("assessment"))?,
                },
                "rectify" => Change::Rectify {
                    order: raw.order.ok_or_else(|| missing("order"))?,
                    rectify: raw.rectify.ok_or_else(|| missing("rectify"))?,
                    text: raw.text,
                    evidence: raw.evidence,
                },
                other => return Err(format!("unknown variant `{other}`")),
            })
        }
    }

    #[derive(Deserialize)]
    pub struct RawOutcome {
        #[serde(rename = "type")]
        kind: String,
        snapshot: Option<Box<Snapshot>>,
        revision: Option<Revision>,
        server: Option<Box<Snapshot>>,
        refusal: Option<Refusal>,
        /// Read from outcomes recorded by earlier versions.
        errors: Option<Vec<crate::messages::FieldError>>,
        reason: Option<String>,
    }

    impl TryFrom<RawOutcome> for Outcome {
        type Error = String;
        fn try_from(raw: RawOutcome) -> Result<Outcome, String> {
            Ok(match raw.kind.as_str() {
                "applied" => Outcome::Applied {
                    snapshot: raw.snapshot.ok_or_else(|| missing("snapshot"))?,
                },
                "saved" => Outcome::Saved {
                    revision: raw.revision.ok_or_else(|| missing("revision"))?,
                },
                "already_applied" => Outcome::AlreadyApplied {
                    revision: raw.revision.ok_or_else(|| missing("revision"))?,
                },
                "conflict" => Outcome::Conflict {
                    server: raw.server.ok_or_else(|| missing("server"))?,
                },
                "stale" => Outcome::Stale {
                    server: raw.server.ok_or_else(|| missing("server"))?,
                },
                "refused" => Outcome::Refused {
                    refusal: raw.refusal.ok_or_else(|| missing("refusal"))?,
                },
                // Earlier versions recorded refusals as these two.
                "rejected" => Outcome::Refused {
                    refusal: Refusal::Invalid(crate::messages::ValidationErrors(
                        raw.errors.ok_or_else(|| missing("errors"))?,
                    )),
                },
                "denied" => Outcome::Refused {
                    refusal: Refusal::Denied(match raw.reason.as_deref() {
                        Some("not_found") => crate::permission::Denied::NotVisible,
                        Some(_) => crate::permission::Denied::NotAllowed,
                        None => return Err(missing("reason")),
                    }),
                },
                "failed" => Outcome::Failed,
                other => return Err(format!("unknown variant `{other}`")),
            })
        }
    }
}
