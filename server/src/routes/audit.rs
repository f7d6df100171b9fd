//! The whole audit trail, for the campaign office.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::audit;
use axum::extract::{Query, State};
use axum::Json;
use chengnuo_domain::audit::AuditEntry;
use chengnuo_domain::permission::{can, Action, Target};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const PAGE: i64 = 200;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new().routes(routes!(recent))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Entries older than this entry id (the next page); the newest when absent.
    before: Option<i64>,
}

/// Every state change, newest first, 200 at a time: for the office only.
#[utoipa::path(get, path = "/audit", tag = "commitments", security(("session" = [])),
    params(Page), responses((status = 200, body = Vec<AuditEntry>), Refusals))]
async fn recent(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Query(page): Query<Page>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    can(&signed_in.actor, Action::ManageAccounts, &Target::Campaign)?;
    let mut db = context.db.acquire().await?;
    Ok(Json(audit::recent(&mut db, page.before, PAGE).await?))
}
