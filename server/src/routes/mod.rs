//! The JSON API under `/api`, one module per resource.

mod health;

use crate::error::ApiError;
use crate::startup::ApiContext;
use axum::Router;

pub fn api() -> Router<ApiContext> {
    Router::new()
        .merge(health::router())
        .fallback(|| async { ApiError::NotFound })
}
