//! `GET /api/health`: is the server up, which version, can it reach its database.

use crate::startup::ApiContext;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/health", get(health))
}

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

async fn health(State(context): State<ApiContext>) -> Json<Health> {
    let database = match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&context.db)
        .await
    {
        Ok(_) => "ok",
        Err(error) => {
            tracing::warn!(%error, "health check: database unreachable");
            "unavailable"
        }
    };
    Json(Health {
        status: if database == "ok" { "ok" } else { "degraded" },
        version: env!("CARGO_PKG_VERSION"),
        database,
    })
}
