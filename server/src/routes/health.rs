//! `GET /api/health`: is the server up, which version, can it reach its database.

use crate::context::ApiContext;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new().routes(routes!(health))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/health", tag = "health",
    responses((status = 200, description = "Up (status `ok`, or `degraded` without its database)", body = Health)))]
async fn health(State(context): State<ApiContext>) -> Json<Health> {
    let database = match crate::store::ping(&context.db).await {
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
