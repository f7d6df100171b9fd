//! The one typed door to the server's JSON API. Every call is same-origin with
//! the session cookie; failures say whether the network or the server refused.

use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::org::{OrgUnit, Person};
use chengnuo_domain::permission::RoleGrant;
use chengnuo_domain::sync::{PullRequest, PullResponse, PushRequest, PushResponse};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a call did not give an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No network, or the server could not be reached: try again later.
    Offline,
    /// The session ended: sign in again (nothing local is lost).
    SignedOut,
    /// The server refused, with its message in the person's language.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    #[serde(flatten)]
    pub unit: OrgUnit,
    pub short_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRecord {
    #[serde(flatten)]
    pub person: Person,
    pub title: String,
}

/// `GET /api/me`: who is signed in, where, with which roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub person: PersonRecord,
    pub login: String,
    pub branch: Option<Unit>,
    pub committee: Option<Unit>,
    pub roles: Vec<RoleGrant>,
    pub scope: Vec<OrgUnitId>,
}

impl Me {
    pub fn id(&self) -> PersonId {
        self.person.person.id
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    language: &str,
) -> Result<T, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Offline)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ApiError::Offline)?;
    let _ = headers.set("Accept", "application/json");
    let _ = headers.set("Accept-Language", language);
    if let Some(body) = &body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(path, &init).map_err(|_| ApiError::Offline)?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiError::Offline)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| ApiError::Offline)?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    let status = response.status();
    if (200..300).contains(&status) {
        let text = if text.is_empty() { "null" } else { &text };
        return serde_json::from_str(text).map_err(|e| ApiError::Refused {
            status,
            code: "unreadable".into(),
            message: e.to_string(),
        });
    }
    // A service worker or a proxy answering for an unreachable server.
    if status == 0 || status == 502 || status == 503 || status == 504 {
        return Err(ApiError::Offline);
    }
    if status == 401 && path != "/api/auth/login" {
        return Err(ApiError::SignedOut);
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => Err(ApiError::Refused {
            status,
            code: body.error.code,
            message: body.error.message,
        }),
        Err(_) => Err(ApiError::Offline),
    }
}

fn json<T: Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

pub async fn login(login: &str, password: &str, language: &str) -> Result<Me, ApiError> {
    #[derive(Serialize)]
    struct Credentials<'a> {
        login: &'a str,
        password: &'a str,
    }
    call(
        "POST",
        "/api/auth/login",
        json(&Credentials { login, password }),
        language,
    )
    .await
}

pub async fn logout(language: &str) -> Result<(), ApiError> {
    call::<serde_json::Value>("POST", "/api/auth/logout", None, language)
        .await
        .map(|_| ())
}

pub async fn me(language: &str) -> Result<Me, ApiError> {
    call("GET", "/api/me", None, language).await
}

pub async fn organization(language: &str) -> Result<Vec<Unit>, ApiError> {
    call("GET", "/api/org", None, language).await
}

pub async fn current_cycle(language: &str) -> Result<Cycle, ApiError> {
    call("GET", "/api/cycles/current", None, language).await
}

pub async fn push(request: &PushRequest, language: &str) -> Result<PushResponse, ApiError> {
    call("POST", "/api/sync/push", json(request), language).await
}

pub async fn pull(request: &PullRequest, language: &str) -> Result<PullResponse, ApiError> {
    call("POST", "/api/sync/pull", json(request), language).await
}
