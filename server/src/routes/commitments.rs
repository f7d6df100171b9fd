//! Commitments and their transitions (submit, review, sign, publish) for
//! signed-in people, each applied through `operations::apply`, like a sync.

use crate::auth::session::SignedIn;
use crate::error::{ApiError, ApiJson};
use crate::operations::{self, Context};
use crate::startup::ApiContext;
use crate::store::audit::{self, AuditEntry};
use crate::store::commitments;
use crate::store::directory::Directory;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chengnuo_domain::commitment::{CommitmentDraft, Committer};
use chengnuo_domain::ids::{CommitmentId, CycleId, OperationId};
use chengnuo_domain::permission::Action;
use chengnuo_domain::publication::DisplayDraft;
use chengnuo_domain::review::ReviewDraft;
use chengnuo_domain::sync::{Change, Operation, Outcome, Revision, Snapshot};
use chengnuo_domain::workflow::CommitmentState;
use chrono::Utc;
use serde::Deserialize;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/commitments", get(list).post(create))
        .route("/commitments/{id}", get(one))
        .route("/commitments/{id}/draft", put(save_draft))
        .route("/commitments/{id}/submit", post(submit))
        .route("/commitments/{id}/review", post(review))
        .route("/commitments/{id}/sign", post(sign))
        .route("/commitments/{id}/publish", post(publish))
        .route("/commitments/{id}/audit", get(audit_trail))
}

#[derive(Deserialize)]
pub struct Filter {
    cycle: Option<CycleId>,
    state: Option<CommitmentState>,
}

async fn list(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Json<Vec<Snapshot>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = Directory::load(&mut db).await?;
    let stored = commitments::visible(&mut db, &directory, &signed_in.actor, filter.cycle).await?;
    let mut out = Vec::new();
    for stored in stored
        .iter()
        .filter(|s| filter.state.is_none_or(|state| s.dossier.state == state))
    {
        out.push(commitments::snapshot(&mut db, &directory, stored).await?);
    }
    Ok(Json(out))
}

async fn one(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Snapshot>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = Directory::load(&mut db).await?;
    let stored = commitments::load(&mut db, &directory, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    stored.dossier.check(&signed_in.actor, Action::View)?;
    Ok(Json(
        commitments::snapshot(&mut db, &directory, &stored).await?,
    ))
}

async fn audit_trail(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = Directory::load(&mut db).await?;
    let stored = commitments::load(&mut db, &directory, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    stored.dossier.check(&signed_in.actor, Action::ViewAudit)?;
    Ok(Json(
        audit::for_subject(&mut db, "commitment", &id.to_string()).await?,
    ))
}

#[derive(Deserialize)]
pub struct NewCommitment {
    /// Made by the client (offline drafts have their id before the server sees them).
    id: Option<CommitmentId>,
    cycle: CycleId,
    committer: Committer,
    #[serde(default)]
    draft: CommitmentDraft,
}

async fn create(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    ApiJson(body): ApiJson<NewCommitment>,
) -> Result<Json<Snapshot>, ApiError> {
    let operation = Operation {
        id: OperationId::new(),
        commitment: body.id.unwrap_or_default(),
        base_revision: None,
        change: Change::Create {
            cycle: body.cycle,
            committer: body.committer,
            draft: body.draft,
        },
    };
    run(&context, &signed_in, operation).await
}

#[derive(Deserialize)]
pub struct Step<T> {
    base_revision: Revision,
    #[serde(flatten)]
    body: T,
}

#[derive(Deserialize)]
pub struct DraftBody {
    draft: CommitmentDraft,
}

#[derive(Deserialize)]
pub struct Nothing {}

#[derive(Deserialize)]
pub struct ReviewBody {
    review: ReviewDraft,
}

#[derive(Deserialize)]
pub struct PublishBody {
    display: DisplayDraft,
}

fn operation(id: CommitmentId, base_revision: Revision, change: Change) -> Operation {
    Operation {
        id: OperationId::new(),
        commitment: id,
        base_revision: Some(base_revision),
        change,
    }
}

async fn save_draft(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(step): ApiJson<Step<DraftBody>>,
) -> Result<Json<Snapshot>, ApiError> {
    let change = Change::SaveDraft {
        draft: step.body.draft,
    };
    run(
        &context,
        &signed_in,
        operation(id, step.base_revision, change),
    )
    .await
}

async fn submit(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(step): ApiJson<Step<Nothing>>,
) -> Result<Json<Snapshot>, ApiError> {
    run(
        &context,
        &signed_in,
        operation(id, step.base_revision, Change::Submit),
    )
    .await
}

async fn review(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(step): ApiJson<Step<ReviewBody>>,
) -> Result<Json<Snapshot>, ApiError> {
    let change = Change::Review {
        review: step.body.review,
    };
    run(
        &context,
        &signed_in,
        operation(id, step.base_revision, change),
    )
    .await
}

async fn sign(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(step): ApiJson<Step<Nothing>>,
) -> Result<Json<Snapshot>, ApiError> {
    run(
        &context,
        &signed_in,
        operation(id, step.base_revision, Change::Sign),
    )
    .await
}

async fn publish(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(step): ApiJson<Step<PublishBody>>,
) -> Result<Json<Snapshot>, ApiError> {
    let change = Change::Publish {
        display: step.body.display,
    };
    run(
        &context,
        &signed_in,
        operation(id, step.base_revision, change),
    )
    .await
}

/// One operation in its own transaction, its outcome as an HTTP answer.
async fn run(
    context: &ApiContext,
    signed_in: &SignedIn,
    operation: Operation,
) -> Result<Json<Snapshot>, ApiError> {
    let mut tx = context.db.begin().await?;
    let directory = Directory::load(&mut tx).await?;
    let ctx = Context {
        directory: &directory,
        actor: &signed_in.actor,
        now: Utc::now(),
    };
    let outcome = operations::apply(&mut tx, &ctx, &operation).await?;
    let refusal = match outcome {
        Outcome::Applied { snapshot } => Ok(*snapshot),
        Outcome::AlreadyApplied { .. } => {
            let stored = commitments::load(&mut tx, &directory, operation.commitment)
                .await?
                .ok_or(ApiError::NotFound)?;
            Ok(commitments::snapshot(&mut tx, &directory, &stored).await?)
        }
        Outcome::Conflict { .. } | Outcome::Stale { .. } => Err(ApiError::Conflict),
        Outcome::Rejected { errors } => Err(ApiError::Invalid(
            chengnuo_domain::messages::ValidationErrors(errors),
        )),
        Outcome::Denied { reason } => Err(match reason.as_str() {
            "not_found" => ApiError::NotFound,
            "wrong_state" => ApiError::WrongState,
            _ => ApiError::Forbidden,
        }),
        Outcome::Failed => Err(ApiError::Internal("operation failed".into())),
    };
    let snapshot = match refusal {
        Ok(snapshot) => snapshot,
        Err(error) => {
            // Roll back now: a transaction left to roll back on drop would hold
            // the database's write lock until its connection is used again.
            tx.rollback().await?;
            return Err(error);
        }
    };
    tx.commit().await?;
    Ok(Json(snapshot))
}
