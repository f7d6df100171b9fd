//! The JSON API under `/api`, one module per resource. Each module's `router()`
//! carries its routes and their OpenAPI description together.

mod administration;
mod audit;
mod auth;
mod ballots;
mod board;
mod bulletins;
mod circulars;
mod commitments;
mod cycles;
mod evaluation;
mod evidence;
mod feedback;
mod health;
mod ledger;
mod organization;
mod reports;
mod suggestions;
mod supervision;
pub mod sync;
mod todo;

use crate::context::ApiContext;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::openapi::ApiDoc;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Router;
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A commitment the actor may do `action` to: 404 when it does not exist or
/// is out of the actor's sight, 403/409 as the permission table says.
async fn commitment_for(
    db: &mut DbConnection,
    id: chengnuo_domain::ids::CommitmentId,
    actor: &chengnuo_domain::permission::Actor,
    action: chengnuo_domain::permission::Action,
) -> Result<crate::store::commitments::Stored, ApiError> {
    let stored = crate::store::commitments::load(db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    stored.dossier.check(actor, action)?;
    Ok(stored)
}

/// A workbook (.xlsx) as an answer, to be saved as `file`.
fn workbook_answer(bytes: Vec<u8>, file: &str) -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                crate::export::workbook::CONTENT_TYPE.to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
}

/// Where the API is mounted; the document's paths include it.
pub const PREFIX: &str = "/api";

/// The routes and their document, before the state is given.
pub fn documented() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(auth::router())
        .merge(organization::router())
        .merge(cycles::router())
        .merge(todo::router())
        .merge(commitments::router())
        .merge(board::router())
        .merge(feedback::router())
        .merge(ledger::router())
        .merge(evidence::router())
        .merge(evaluation::router())
        .merge(ballots::router())
        .merge(reports::router())
        .merge(supervision::router())
        .merge(circulars::router())
        .merge(bulletins::router())
        .merge(suggestions::router())
        .merge(sync::router())
        .merge(audit::router())
        .merge(administration::router())
        .routes(routes!(openapi_json))
}

/// The document as served: the paths as a client calls them, under `/api`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = documented().split_for_parts();
    doc.paths.paths = std::mem::take(&mut doc.paths.paths)
        .into_iter()
        .map(|(path, item)| (format!("{PREFIX}{path}"), item))
        .collect();
    doc
}

/// This document (OpenAPI 3.1).
#[utoipa::path(get, path = "/openapi.json", tag = "health",
    responses((status = 200, description = "The OpenAPI document of this API", body = Object)))]
async fn openapi_json() -> impl IntoResponse {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    let body = DOCUMENT
        .get_or_init(|| serde_json::to_string(&openapi()).unwrap_or_else(|_| String::from("{}")));
    ([(header::CONTENT_TYPE, "application/json")], body.as_str())
}

pub fn api() -> Router<ApiContext> {
    let (router, _) = documented().split_for_parts();
    router.fallback(|| async { ApiError::NotFound })
}
