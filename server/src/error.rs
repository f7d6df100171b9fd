//! One error type for the whole API, turned into a response in one place:
//! `{"error": {"code", "message", "fields": [{"field", "code", "message"}]}}`,
//! the message in the caller's language, never a stack trace or SQL text.
//!
//! A handler returns `Result<_, ApiError>`. The error becomes a response that
//! carries the error itself; the `localize` middleware, which sees the request's
//! `Accept-Language`, writes the body. So no handler has to know the language.

use crate::store::StoreError;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chengnuo_domain::dossier::Refusal;
use chengnuo_domain::messages::{ErrorBody, ErrorResponse, FieldBody, ValidationErrors};
use chengnuo_domain::permission::Denied;
use chengnuo_domain::report::SubmissionRefused;
use chengnuo_domain::Locale;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed JSON, a wrong type, a missing field: the body could not be read.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("not signed in")]
    Unauthorized,
    #[error("wrong login or password")]
    BadCredentials,
    #[error("forbidden")]
    Forbidden,
    /// Signed in with a one-time password: nothing is answered until the
    /// person sets their own (403).
    #[error("the one-time password must be changed first")]
    PasswordChangeRequired,
    #[error("not found")]
    NotFound,
    /// Not possible in the current state (e.g. editing a signed commitment).
    #[error("wrong state")]
    WrongState,
    /// Someone changed it since the caller's revision; nothing was overwritten.
    #[error("conflict")]
    Conflict,
    /// The form's fields were refused; nothing changed.
    #[error("invalid fields")]
    Invalid(ValidationErrors),
    /// Well-formed, but not possible now (feedback outside the display
    /// window): 409 with the reason by field.
    #[error("not now")]
    NotNow(ValidationErrors),
    #[error("too many attempts; retry in {retry_after_minutes} min")]
    TooManyAttempts { retry_after_minutes: i64 },
    #[error("body too large")]
    PayloadTooLarge,
    /// A body that is not JSON where JSON is expected.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The method does not apply to this address.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The database stayed busy longer than a writer waits: nothing was
    /// changed; the client retries (503 with Retry-After).
    #[error("the database is busy")]
    Busy,
    /// Lines of an uploaded roster were refused; nothing was imported (422,
    /// one entry per line in `fields`).
    #[error("the roster has errors")]
    Roster(Vec<chengnuo_domain::administration::RosterError>),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::NotVisible => ApiError::NotFound,
            Denied::NotAllowed | Denied::WrongTarget => ApiError::Forbidden,
            Denied::WrongState(_) => ApiError::WrongState,
        }
    }
}

/// The one conversion of a domain refusal into an HTTP answer.
impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Denied(denied) => denied.into(),
            Refusal::Invalid(errors) => errors.into(),
            Refusal::Item(_) => ApiError::WrongState,
            Refusal::UnknownItem => ApiError::NotFound,
        }
    }
}

impl From<SubmissionRefused> for ApiError {
    fn from(refused: SubmissionRefused) -> Self {
        match refused {
            SubmissionRefused::AlreadySubmitted => ApiError::WrongState,
            SubmissionRefused::Incomplete(errors) => errors.into(),
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        ApiError::Invalid(errors)
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(error: serde_json::Error) -> Self {
        ApiError::Internal(format!("stored JSON: {error}"))
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Busy => ApiError::Busy,
            StoreError::Exists => ApiError::Conflict,
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Corrupt(detail) => ApiError::Internal(format!("stored data: {detail}")),
            StoreError::Database(error) => ApiError::Internal(error.to_string()),
        }
    }
}

/// One reading of the database's errors, the store's ([`StoreError`]'s
/// `From<sqlx::Error>`): busy on either database (SQLite's busy and locked,
/// PostgreSQL's lock timeout, deadlock and serialization failure) is 503
/// with Retry-After, a lost race to create is 409.
impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::from(StoreError::from(error))
    }
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::WrongState | ApiError::Conflict | ApiError::NotNow(_) => StatusCode::CONFLICT,
            ApiError::Invalid(_) | ApiError::Roster(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized => "unauthorized",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::Forbidden => "forbidden",
            ApiError::PasswordChangeRequired => "password_change_required",
            ApiError::NotFound => "not_found",
            ApiError::WrongState => "wrong_state",
            ApiError::Conflict => "conflict",
            ApiError::Invalid(_) => "invalid",
            ApiError::Roster(_) => "roster_invalid",
            ApiError::NotNow(_) => "not_now",
            ApiError::TooManyAttempts { .. } => "too_many_attempts",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Busy => "busy",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message(&self, locale: Locale) -> String {
        use Locale::{En, Zh};
        match (self, locale) {
            (ApiError::BadRequest(_), Zh) => "请求内容无法读取（格式不正确）。".into(),
            (ApiError::BadRequest(_), En) => "The request could not be read (malformed content).".into(),
            (ApiError::Unauthorized, Zh) => "请先登录。".into(),
            (ApiError::Unauthorized, En) => "Please sign in first.".into(),
            (ApiError::BadCredentials, Zh) => "账号或密码不正确。".into(),
            (ApiError::BadCredentials, En) => "Wrong account or password.".into(),
            (ApiError::Forbidden, Zh) => "您没有权限进行此操作。".into(),
            (ApiError::Forbidden, En) => "You are not allowed to do this.".into(),
            (ApiError::PasswordChangeRequired, Zh) => "请先把一次性密码改为您自己的密码。".into(),
            (ApiError::PasswordChangeRequired, En) => "Set your own password in place of the one-time password first.".into(),
            (ApiError::NotFound, Zh) => "请求的内容不存在。".into(),
            (ApiError::NotFound, En) => "Nothing was found at this address.".into(),
            (ApiError::WrongState, Zh) => "承诺书当前的状态不允许此操作。".into(),
            (ApiError::WrongState, En) => "The commitment's current state does not allow this.".into(),
            (ApiError::Conflict, Zh) => "内容已被他人或其他设备修改，您的版本已保留，请对照合并。".into(),
            (ApiError::Conflict, En) => {
                "It was changed elsewhere meanwhile; your version is kept: compare and merge.".into()
            }
            (ApiError::NotNow(_), Zh) => "现在不能这样做，请查看提示。".into(),
            (ApiError::NotNow(_), En) => "This is not possible now; see the message.".into(),
            (ApiError::Invalid(_), Zh) => "有些内容需要修改，请查看各项提示。".into(),
            (ApiError::Invalid(_), En) => "Some fields need changes; see the message beside each.".into(),
            (ApiError::Roster(lines), Zh) => {
                format!("名册有 {} 行需要修改，未导入任何内容。", lines.len())
            }
            (ApiError::Roster(lines), En) => {
                format!("{} lines of the roster need changes; nothing was imported.", lines.len())
            }
            (ApiError::TooManyAttempts { retry_after_minutes }, Zh) => {
                format!("登录失败次数过多，请 {retry_after_minutes} 分钟后再试。")
            }
            (ApiError::TooManyAttempts { retry_after_minutes }, En) => {
                format!("Too many failed sign-ins. Try again in {retry_after_minutes} minutes.")
            }
            (ApiError::UnsupportedMediaType, Zh) => "请求内容须为 JSON。".into(),
            (ApiError::UnsupportedMediaType, En) => "The request's body must be JSON.".into(),
            (ApiError::MethodNotAllowed, Zh) => "此地址不支持这种请求方法。".into(),
            (ApiError::MethodNotAllowed, En) => "This address does not take this method.".into(),
            (ApiError::PayloadTooLarge, Zh) => "提交的内容太大。".into(),
            (ApiError::PayloadTooLarge, En) => "What was sent is too large.".into(),
            (ApiError::Busy, Zh) => "服务器正忙，请稍后重试；什么都没有改变。".into(),
            (ApiError::Busy, En) => "The server is busy; try again in a moment. Nothing was changed.".into(),
            (ApiError::Internal(_), Zh) => "服务器出错了，请稍后再试；您的数据没有丢失。".into(),
            (ApiError::Internal(_), En) => {
                "The server ran into a problem. Please try again later; nothing you entered was lost.".into()
            }
        }
    }

    fn render(&self, locale: Locale) -> Response {
        let fields = match self {
            ApiError::Invalid(errors) | ApiError::NotNow(errors) => errors.bodies(locale),
            ApiError::Roster(lines) => lines
                .iter()
                .map(|e| FieldBody {
                    field: format!("line {}", e.line),
                    code: e.problem.code().to_owned(),
                    message: e.text(locale),
                })
                .collect(),
            _ => Vec::new(),
        };
        let body = ErrorResponse {
            error: ErrorBody {
                code: self.code().to_owned(),
                message: self.message(locale),
                fields,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        // A refusal is about this request: never kept by a cache.
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        if let Ok(value) = locale.tag().parse() {
            response
                .headers_mut()
                .insert(header::CONTENT_LANGUAGE, value);
        }
        let retry_after = match self {
            ApiError::TooManyAttempts {
                retry_after_minutes,
            } => Some(retry_after_minutes * 60),
            ApiError::Busy => Some(1),
            _ => None,
        };
        if let Some(seconds) = retry_after.and_then(|s| s.to_string().parse().ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, seconds);
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
    locale_of(request.headers())
}

/// The language of these headers' `Accept-Language` (Chinese by default),
/// for a handler that answers in words (the audit trail's actions).
pub fn locale_of(headers: &axum::http::HeaderMap) -> Locale {
    let header = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Locale::from_accept_language(header)
}

/// Renders every error of the API in the caller's language, and turns the
/// ones axum and the layers make (a path or query that does not parse, a
/// method an address does not take, a body too large) into the same JSON
/// shape: under `/api` no error is plain text or empty.
pub async fn localize(request: Request, next: Next) -> Response {
    let locale = request_locale(&request);
    let api = request.uri().path().starts_with("/api");
    let response = next.run(request).await;
    if let Some(Pending(error)) = response.extensions().get::<Pending>() {
        return error.render(locale);
    }
    let status = response.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::PayloadTooLarge.render(locale);
    }
    if api && (status.is_client_error() || status.is_server_error()) {
        let error = match status {
            StatusCode::BAD_REQUEST => ApiError::BadRequest(String::new()),
            StatusCode::UNAUTHORIZED => ApiError::Unauthorized,
            StatusCode::FORBIDDEN => ApiError::Forbidden,
            StatusCode::NOT_FOUND => ApiError::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
            StatusCode::UNPROCESSABLE_ENTITY => ApiError::BadRequest(String::new()),
            StatusCode::SERVICE_UNAVAILABLE => ApiError::Busy,
            _ => ApiError::Internal(format!("a {status} without a body")),
        };
        let mut rendered = error.render(locale);
        if let Some(allow) = response.headers().get(header::ALLOW) {
            rendered.headers_mut().insert(header::ALLOW, allow.clone());
        }
        return rendered;
    }
    response
}

/// `Json<T>` whose refusals are this API's errors, not axum's plain-text
/// ones: malformed JSON is 400, a value of the wrong kind or out of range is
/// 422 naming the field (`since`, `operations[3].base_revision`), a body too
/// large 413, a body that is not JSON 415; U+0000 in a text is dropped.
pub struct ApiJson<T>(pub T);

/// The body without U+0000 in its strings and keys, when it holds any. No
/// text a person types holds it and PostgreSQL cannot store it, so it is
/// dropped on either database (a request is not refused for it).
fn without_nul(body: &[u8]) -> Option<Vec<u8>> {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) => text.retain(|c| c != '\0'),
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            serde_json::Value::Object(fields) => {
                let old = std::mem::take(fields);
                for (mut key, mut value) in old {
                    key.retain(|c| c != '\0');
                    strip(&mut value);
                    fields.insert(key, value);
                }
            }
            _ => {}
        }
    }
    // Only an escape can put it in JSON text: look closer only then.
    if !body.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return None;
    }
    let mut value: serde_json::Value = serde_json::from_slice(body).ok()?;
    strip(&mut value);
    serde_json::to_vec(&value).ok()
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|kind| {
                let kind = kind.trim();
                kind == "application/json"
                    || (kind.starts_with("application/") && kind.ends_with("+json"))
            });
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = match axum::body::Bytes::from_request(request, state).await {
            Ok(bytes) => bytes,
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::PayloadTooLarge)
            }
            Err(rejection) => return Err(ApiError::BadRequest(rejection.body_text())),
        };
        let bytes = match without_nul(&bytes) {
            Some(clean) => axum::body::Bytes::from(clean),
            None => bytes,
        };
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value =
            serde_path_to_error::deserialize::<_, T>(&mut deserializer).map_err(|error| {
                let path = error.path().to_string();
                let inner = error.into_inner();
                match inner.classify() {
                    serde_json::error::Category::Data => {
                        let mut errors = ValidationErrors::default();
                        let field = if path == "." { "body".to_owned() } else { path };
                        errors.push(field, chengnuo_domain::messages::Message::InvalidValue);
                        ApiError::Invalid(errors)
                    }
                    _ => ApiError::BadRequest(inner.to_string()),
                }
            })?;
        // Nothing but white space after the JSON value.
        deserializer
            .end()
            .map_err(|e| ApiError::BadRequest(e.to_string()))?;
        Ok(ApiJson(value))
    }
}
