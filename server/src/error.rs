//! One error type for the whole API, turned into a response in one place:
//! `{"error": {"code", "message", "fields": [{"field", "code", "message"}]}}`,
//! the message in the caller's language, never a stack trace or SQL text.
//!
//! A handler returns `Result<_, ApiError>`. The error becomes a response that
//! carries the error itself; the `localize` middleware, which sees the request's
//! `Accept-Language`, writes the body. So no handler has to know the language.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chengnuo_domain::Locale;
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not found")]
    NotFound,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

#[derive(Serialize)]
struct Body {
    error: ErrorBody,
}

#[derive(Serialize)]
struct ErrorBody {
    code: &'static str,
    message: &'static str,
    fields: Vec<FieldBody>,
}

#[derive(Serialize)]
struct FieldBody {
    field: String,
    code: String,
    message: String,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message(&self, locale: Locale) -> &'static str {
        match (self, locale) {
            (ApiError::NotFound, Locale::Zh) => "请求的内容不存在。",
            (ApiError::NotFound, Locale::En) => "Nothing was found at this address.",
            (ApiError::Internal(_), Locale::Zh) => "服务器出错了，请稍后再试；您的数据没有丢失。",
            (ApiError::Internal(_), Locale::En) => {
                "The server ran into a problem. Please try again later; nothing you entered was lost."
            }
        }
    }

    fn render(&self, locale: Locale) -> Response {
        let body = Body {
            error: ErrorBody {
                code: self.code(),
                message: self.message(locale),
                fields: Vec::new(),
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Ok(value) = locale.tag().parse() {
            response
                .headers_mut()
                .insert(header::CONTENT_LANGUAGE, value);
        }
        response
    }
}

/// The error travelling in a response's extensions to the `localize` middleware.
#[derive(Clone)]
struct Pending(Arc<ApiError>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            // Details go to the log only, never to the client.
            tracing::error!(%detail, "request failed");
        }
        // Rendered in Chinese here; `localize` re-renders it in the caller's language.
        let mut response = self.render(Locale::Zh);
        response.extensions_mut().insert(Pending(Arc::new(self)));
        response
    }
}

/// The caller's language, from `Accept-Language` (Chinese by default).
pub fn request_locale(request: &Request) -> Locale {
    let header = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Locale::from_accept_language(header)
}

pub async fn localize(request: Request, next: Next) -> Response {
    let locale = request_locale(&request);
    let response = next.run(request).await;
    match response.extensions().get::<Pending>() {
        Some(Pending(error)) => error.render(locale),
        None => response,
    }
}
