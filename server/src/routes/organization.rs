//! The organization tree and the people in the caller's scope.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::directory::{self};
use axum::extract::State;
use axum::Json;
use chengnuo_domain::ids::OrgUnitId;
use chengnuo_domain::org::{PersonRecord, Unit};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(tree))
        .routes(routes!(people))
}

/// Every unit of the university, by name.
#[utoipa::path(get, path = "/org", tag = "organization", security(("session" = [])),
    responses((status = 200, body = Vec<Unit>), Refusals))]
/// Every unit (names and structure are public knowledge inside the university).
async fn tree(
    State(context): State<ApiContext>,
    _signed_in: SignedIn,
) -> Result<Json<Vec<Unit>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let mut units: Vec<Unit> = directory.units.values().cloned().collect();
    units.sort_by(|a, b| a.unit.name.cmp(&b.unit.name));
    Ok(Json(units))
}

/// The people inside the caller's scope: their own branch for a member, the
/// subtree of each role for secretaries, leaders and the office.
/// The people in the units the caller holds a role in.
#[utoipa::path(get, path = "/people", tag = "organization", security(("session" = [])),
    responses((status = 200, body = Vec<PersonRecord>), Refusals))]
async fn people(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
) -> Result<Json<Vec<PersonRecord>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let scope: Vec<OrgUnitId> = signed_in.actor.grants.iter().map(|g| g.unit).collect();
    Ok(Json(
        directory::people_in(&mut db, &directory, &scope).await?,
    ))
}
