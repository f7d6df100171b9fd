//! The yearly cycles and their calendars.

use crate::error::ApiError;
use crate::startup::ApiContext;
use crate::store::cycles;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chengnuo_domain::cycle::Cycle;
use serde::Serialize;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/cycles", get(list))
        .route("/cycles/current", get(current))
}

#[derive(Serialize)]
pub struct CycleView {
    #[serde(flatten)]
    cycle: Cycle,
    is_current: bool,
}

/// Public: the calendar is published to everyone.
async fn list(State(context): State<ApiContext>) -> Result<Json<Vec<CycleView>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let all = cycles::all(&mut db).await?;
    Ok(Json(
        all.into_iter()
            .map(|(cycle, is_current)| CycleView { cycle, is_current })
            .collect(),
    ))
}

async fn current(State(context): State<ApiContext>) -> Result<Json<Cycle>, ApiError> {
    let mut db = context.db.acquire().await?;
    cycles::current(&mut db)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
