//! Offline sync: a client pushes its outbox in batches and pulls what changed
//! since its cursor. A push is one transaction; each operation is applied at
//! most once (see `operations`).

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::db;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::operations::{self, Context};
use crate::store::{commitments, cycles};
use axum::extract::State;
use axum::Json;
use chengnuo_domain::sync::{
    OperationResult, PullRequest, PullResponse, PushRequest, PushResponse,
};
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The most operations one push may carry, and the most changes one pull returns.
pub const MAX_BATCH: usize = 500;
pub const PULL_PAGE: i64 = 500;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(push))
        .routes(routes!(pull))
}

/// Applies an outbox batch (at most 500 operations) in one transaction; each
/// operation once, whatever the number of replays.
#[utoipa::path(post, path = "/sync/push", tag = "sync", security(("session" = [])),
    request_body = PushRequest, responses((status = 200, body = PushResponse), Refusals))]
async fn push(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if request.operations.len() > MAX_BATCH {
        return Err(ApiError::PayloadTooLarge);
    }
    // One transaction; acknowledged only once committed (durable): the
    // client drops its copy on this answer.
    let results = db::write(&context.db, async |tx| {
        let directory = context.directories.get(&mut *tx).await?;
        let ctx = Context {
            directory: &directory,
            actor: &signed_in.actor,
            now: Utc::now(),
            compact: request.compact,
        };
        let mut results = Vec::with_capacity(request.operations.len());
        let mut unsaved = operations::Unsaved::default();
        for operation in &request.operations {
            let outcome = operations::apply(&mut *tx, &ctx, operation, &mut unsaved).await?;
            results.push(OperationResult {
                id: operation.id,
                outcome,
            });
        }
        unsaved.flush(&mut *tx, ctx.now).await?;
        Ok(results)
    })
    .await?;
    Ok(Json(PushResponse { results }))
}

/// What changed in the caller's scope since their cursor, a page at a time.
#[utoipa::path(post, path = "/sync/pull", tag = "sync", security(("session" = [])),
    request_body = PullRequest, responses((status = 200, body = PullResponse), Refusals))]
async fn pull(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    ApiJson(request): ApiJson<PullRequest>,
) -> Result<Json<PullResponse>, ApiError> {
    let mut db = crate::db::begin_read(&context.db).await?;
    let directory = context.directories.get(&mut db).await?;
    let scope = commitments::Scope::of(&signed_in.actor, &directory);
    let current = cycles::current(&mut db).await?.map(|c| c.id);
    let (stored, cursor, more) =
        commitments::changes_since(&mut db, &scope, current, request.since, PULL_PAGE).await?;
    db.commit().await?;
    Ok(Json(PullResponse {
        changes: stored.iter().map(commitments::snapshot).collect(),
        cursor,
        more,
    }))
}
