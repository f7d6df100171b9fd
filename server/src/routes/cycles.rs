//! The yearly cycles and their calendars.

use crate::context::ApiContext;
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::cycles;
use axum::extract::State;
use axum::Json;
use chengnuo_domain::cycle::{Cycle, CycleView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(current))
}

/// Every cycle with its calendar. Public: the calendar is published to everyone.
#[utoipa::path(get, path = "/cycles", tag = "cycles",
    responses((status = 200, body = Vec<CycleView>), Refusals))]
async fn list(State(context): State<ApiContext>) -> Result<Json<Vec<CycleView>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let all = cycles::all(&mut db).await?;
    Ok(Json(
        all.into_iter()
            .map(|(cycle, is_current)| CycleView { cycle, is_current })
            .collect(),
    ))
}

/// The cycle in force today.
#[utoipa::path(get, path = "/cycles/current", tag = "cycles",
    responses((status = 200, body = Cycle), Refusals))]
async fn current(State(context): State<ApiContext>) -> Result<Json<Cycle>, ApiError> {
    let mut db = context.db.acquire().await?;
    cycles::current(&mut db)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
