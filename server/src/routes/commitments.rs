//! Commitments and their transitions (submit, review, sign, publish) for
//! signed-in people, each applied through `operations::apply`, like a sync.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::db;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::operations::{self, Context};
use crate::store::audit;
use crate::store::commitments;
use axum::extract::{Path, Query, State};
use axum::Json;
use chengnuo_domain::audit::AuditEntry;
use chengnuo_domain::commitment::{CommitmentDraft, Committer};
use chengnuo_domain::ids::{CommitmentId, CycleId, OperationId};
use chengnuo_domain::permission::Action;
use chengnuo_domain::publication::DisplayDraft;
use chengnuo_domain::review::ReviewDraft;
use chengnuo_domain::sync::{Change, Operation, Outcome, Revision, SetAside, Snapshot};
use chengnuo_domain::workflow::CommitmentState;
use chrono::Utc;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one))
        .routes(routes!(save_draft))
        .routes(routes!(submit))
        .routes(routes!(withdraw))
        .routes(routes!(review))
        .routes(routes!(sign))
        .routes(routes!(publish))
        .routes(routes!(audit_trail))
        .routes(routes!(set_aside))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// Only this cycle's.
    cycle: Option<CycleId>,
    /// Only those in this state.
    #[param(value_type = Option<CommitmentState>)]
    state: Option<CommitmentState>,
}

/// The commitments the caller may see.
#[utoipa::path(get, path = "/commitments", tag = "commitments", security(("session" = [])),
    params(Filter), responses((status = 200, body = Vec<Snapshot>), Refusals))]
async fn list(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Result<Json<Vec<Snapshot>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let scope = commitments::Scope::of(&signed_in.actor, &directory);
    let stored = commitments::visible(&mut db, &scope, filter.cycle).await?;
    Ok(Json(
        stored
            .iter()
            .filter(|s| filter.state.is_none_or(|state| s.dossier.state == state))
            .map(commitments::snapshot)
            .collect(),
    ))
}

/// One commitment (404 when outside the caller's scope).
#[utoipa::path(get, path = "/commitments/{id}", tag = "commitments", security(("session" = [])),
    params(("id" = CommitmentId, Path)), responses((status = 200, body = Snapshot), Refusals))]
async fn one(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Snapshot>, ApiError> {
    let mut db = context.db.acquire().await?;
    let stored = super::commitment_for(&mut db, id, &signed_in.actor, Action::View).await?;
    Ok(Json(commitments::snapshot(&stored)))
}

/// Who did what to a commitment, oldest first.
#[utoipa::path(get, path = "/commitments/{id}/audit", tag = "commitments", security(("session" = [])),
    params(("id" = CommitmentId, Path)), responses((status = 200, body = Vec<AuditEntry>), Refusals))]
async fn audit_trail(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    headers: axum::http::HeaderMap,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let mut db = context.db.acquire().await?;
    super::commitment_for(&mut db, id, &signed_in.actor, Action::ViewAudit).await?;
    let locale = crate::error::locale_of(&headers);
    let entries = audit::for_subject(&mut db, "commitment", &id.to_string()).await?;
    Ok(Json(
        entries.into_iter().map(|e| e.worded(locale)).collect(),
    ))
}

/// The versions set aside while merging (what the person chose not to keep), newest first.
#[utoipa::path(get, path = "/commitments/{id}/set-aside", tag = "commitments", security(("session" = [])),
    params(("id" = CommitmentId, Path)), responses((status = 200, body = Vec<SetAside>), Refusals))]
async fn set_aside(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Vec<SetAside>>, ApiError> {
    let mut db = context.db.acquire().await?;
    super::commitment_for(&mut db, id, &signed_in.actor, Action::ViewAudit).await?;
    Ok(Json(commitments::set_aside_versions(&mut db, id).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewCommitment {
    /// Made by the client (offline drafts have their id before the server sees them).
    id: Option<CommitmentId>,
    cycle: CycleId,
    committer: Committer,
    #[serde(default)]
    draft: CommitmentDraft,
}

/// Starts a commitment for a committer: the person themself, or a unit by its secretary.
#[utoipa::path(post, path = "/commitments", tag = "commitments", security(("session" = [])),
    request_body = NewCommitment, responses((status = 200, body = Snapshot), Refusals))]
async fn create(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    ApiJson(body): ApiJson<NewCommitment>,
) -> Result<Json<Snapshot>, ApiError> {
    let operation = Operation {
        id: OperationId::new(),
        commitment: body.id.unwrap_or_default(),
        base_revision: None,
        after: None,
        change: Change::Create {
            cycle: body.cycle,
            committer: body.committer,
            draft: body.draft,
        },
    };
    run(&context, &signed_in, operation).await
}

/// Every transition names the revision it was based on (409 when it moved on).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct BaseRevision {
    base_revision: Revision,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct DraftStep {
    base_revision: Revision,
    draft: CommitmentDraft,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewStep {
    base_revision: Revision,
    review: ReviewDraft,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PublishStep {
    base_revision: Revision,
    display: DisplayDraft,
}

/// A transition of an existing commitment, applied like a synced operation.
async fn step(
    context: &ApiContext,
    signed_in: &SignedIn,
    id: CommitmentId,
    base_revision: Revision,
    change: Change,
) -> Result<Json<Snapshot>, ApiError> {
    let operation = Operation {
        id: OperationId::new(),
        commitment: id,
        base_revision: Some(base_revision),
        after: None,
        change,
    };
    run(context, signed_in, operation).await
}

/// Saves the author's draft (Draft or Returned).
#[utoipa::path(put, path = "/commitments/{id}/draft", tag = "commitments", security(("session" = [])),
    params(("id" = CommitmentId, Path)), request_body = DraftStep,
    responses((status = 200, body = Snapshot), Refusals))]
async fn save_draft(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(body): ApiJson<DraftStep>,
) -> Result<Json<Snapshot>, ApiError> {
    let change = Change::SaveDraft {
        draft: body.draft,
        set_aside: Vec::new(),
    };
    step(&context, &signed_in, id, body.base_revision, change).await
}

/// Submits for review; the draft must pass every submission rule (422 otherwise).
#[utoipa::path(post, path = "/commitments/{id}/submit", tag = "commitments", security(("session" = [])),
    params(("id" = CommitmentId, Path)), request_body = BaseRevision,
    responses((status = 200, body = Snapshot), Refusals))]
async fn submit(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(body): ApiJson<BaseRevision>,
) -> Result<Json<Snapshot>, ApiError> {
    step(&context, &signed_in, id, body.base_revision, Change::Submit).await
}

/// The author takes back a submission nobody has reviewed yet (a draft again).
#[utoipa::path(post, path = "/commitments/{id}/withdraw", tag = "commitments", security(("session" = [])),
    params(("id" = CommitmentId, Path)), request_body = BaseRevision,
    responses((status = 200, body = Snapshot), Refusals))]
async fn withdraw(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(body): ApiJson<BaseRevision>,
) -> Result<Json<Snapshot>, ApiError> {
    step(
        &context,
        &signed_in,
        id,
        body.base_revision,
        Change::Withdraw,
    )
    .await
}

/// The reviewer approves (all five criteria) or returns it (guidance required).
#[utoipa::path(post, path = "/commitments/{id}/review", tag = "commitments", security(("session" = [])),
    params(("id" = CommitmentId, Path)), request_body = ReviewStep,
    responses((status = 200, body = Snapshot), Refusals))]
async fn review(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(body): ApiJson<ReviewStep>,
) -> Result<Json<Snapshot>, ApiError> {
    let change = Change::Review {
        review: body.review,
    };
    step(&context, &signed_in, id, body.base_revision, change).await
}

/// The author confirms the approved text; it gets its number and becomes read-only.
#[utoipa::path(post, path = "/commitments/{id}/sign", tag = "commitments", security(("session" = [])),
    params(("id" = CommitmentId, Path)), request_body = BaseRevision,
    responses((status = 200, body = Snapshot), Refusals))]
async fn sign(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(body): ApiJson<BaseRevision>,
) -> Result<Json<Snapshot>, ApiError> {
    step(&context, &signed_in, id, body.base_revision, Change::Sign).await
}

/// A secretary above the committer publishes the signed text on the board for
/// a display window of at least the cycle's minimum days.
#[utoipa::path(post, path = "/commitments/{id}/publish", tag = "commitments", security(("session" = [])),
    params(("id" = CommitmentId, Path)), request_body = PublishStep,
    responses((status = 200, body = Snapshot), Refusals))]
async fn publish(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(body): ApiJson<PublishStep>,
) -> Result<Json<Snapshot>, ApiError> {
    let change = Change::Publish {
        display: body.display,
    };
    step(&context, &signed_in, id, body.base_revision, change).await
}

/// One operation in its own transaction, its outcome as an HTTP answer.
async fn run(
    context: &ApiContext,
    signed_in: &SignedIn,
    operation: Operation,
) -> Result<Json<Snapshot>, ApiError> {
    let snapshot = db::write(&context.db, async |tx| {
        let directory = context.directories.get(&mut *tx).await?;
        let ctx = Context {
            directory: &directory,
            actor: &signed_in.actor,
            now: Utc::now(),
            // The REST answer is the commitment itself.
            compact: false,
        };
        let mut unsaved = operations::Unsaved::default();
        let outcome = operations::apply(&mut *tx, &ctx, &operation, &mut unsaved).await?;
        unsaved.flush(&mut *tx, ctx.now).await?;
        match outcome {
            Outcome::Applied { snapshot } => Ok(*snapshot),
            Outcome::Saved { .. } | Outcome::AlreadyApplied { .. } => {
                let stored = commitments::load(&mut *tx, operation.commitment)
                    .await?
                    .ok_or(ApiError::NotFound)?;
                Ok(commitments::snapshot(&stored))
            }
            Outcome::Conflict { .. } | Outcome::Stale { .. } => Err(ApiError::Conflict),
            Outcome::Refused { refusal } => Err(refusal.into()),
            Outcome::Failed => Err(ApiError::Internal("operation failed".into())),
        }
    })
    .await?;
    Ok(Json(snapshot))
}
