//! The JSON API under `/api`, one module per resource.

mod auth;
mod board;
mod commitments;
mod cycles;
mod health;
mod organization;
mod sync;

use crate::error::ApiError;
use crate::startup::ApiContext;
use axum::Router;

pub fn api() -> Router<ApiContext> {
    Router::new()
        .merge(health::router())
        .merge(auth::router())
        .merge(organization::router())
        .merge(cycles::router())
        .merge(commitments::router())
        .merge(board::router())
        .merge(sync::router())
        .fallback(|| async { ApiError::NotFound })
}
