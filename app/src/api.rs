//! The one typed door to the server's JSON API. Every call is same-origin with
//! the session cookie; failures say whether the network or the server refused.

use chengnuo_domain::account::Me;
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::feedback::{FeedbackDraft, FeedbackEntry, ModerationDraft};
use chengnuo_domain::ids::{CommitmentId, CycleId, FeedbackId, OrgUnitId};
use chengnuo_domain::org::Unit;
use chengnuo_domain::publication::{BoardPage, Published};
use chengnuo_domain::report::Package;
use chengnuo_domain::sync::{PullRequest, PullResponse, PushRequest, PushResponse, Snapshot};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a call did not give an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No network, no answer, or the server failed: try again later.
    Offline,
    /// The session ended: sign in again (nothing local is lost).
    SignedOut,
    /// The server refused, with its message in the person's language.
    Refused {
        status: u16,
        code: String,
        message: String,
        /// The refused fields, each with its message.
        fields: Vec<chengnuo_domain::messages::FieldBody>,
    },
}

impl ApiError {
    /// What the person is told: the server's own words, or why no answer
    /// came (no network at all, or a server that cannot be reached now).
    pub fn text(&self, i18n: crate::i18n::I18n) -> String {
        use crate::i18n::Text;
        match self {
            ApiError::Refused { message, .. } => message.clone(),
            ApiError::SignedOut => i18n.text(Text::SignInAgain).to_owned(),
            ApiError::Offline => {
                let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
                i18n.text(if online {
                    Text::ServerUnreachable
                } else {
                    Text::NeedsConnection
                })
                .to_owned()
            }
        }
    }
}

async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<String>,
    language: &str,
) -> Result<T, ApiError> {
    let body = body.map(|b| (wasm_bindgen::JsValue::from_str(&b), "application/json"));
    call_with(method, path, body, language).await
}

async fn call_with<T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<(wasm_bindgen::JsValue, &str)>,
    language: &str,
) -> Result<T, ApiError> {
    let (status, text) = exchange(method, path, body, language).await?;
    if (200..300).contains(&status) {
        let text = if text.is_empty() { "null" } else { &text };
        return crate::json::from_str(text).map_err(|e| ApiError::Refused {
            status,
            code: "unreadable".into(),
            message: e.to_string(),
            fields: Vec::new(),
        });
    }
    Err(refusal(status, &text, path))
}

/// An answer's status and text, on its way.
type Answer<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(u16, String), ApiError>> + 'a>>;

/// Sends a request, answers its status and text. Boxed and not generic: one
/// copy of it in the wasm, not one inlined into every caller's future
/// (BENCHMARKS.md, "First load").
fn exchange<'a>(
    method: &'a str,
    path: &'a str,
    body: Option<(wasm_bindgen::JsValue, &'a str)>,
    language: &'a str,
) -> Answer<'a> {
    Box::pin(async move {
        let window = web_sys::window().ok_or(ApiError::Offline)?;
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        init.set_credentials(web_sys::RequestCredentials::SameOrigin);
        let headers = web_sys::Headers::new().map_err(|_| ApiError::Offline)?;
        let _ = headers.set("Accept", "application/json");
        let _ = headers.set("Accept-Language", language);
        if let Some((body, content_type)) = &body {
            let _ = headers.set("Content-Type", content_type);
            init.set_body(body);
        }
        init.set_headers(&headers);
        let request =
            web_sys::Request::new_with_str_and_init(path, &init).map_err(|_| ApiError::Offline)?;
        let response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| ApiError::Offline)?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| ApiError::Offline)?;
        note_server_clock(&response);
        let text = match response.text() {
            Ok(promise) => JsFuture::from(promise)
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        Ok((response.status(), text))
    })
}

thread_local! {
    /// The server's clock minus this device's (ms), from the last answer's `Date`.
    static SERVER_CLOCK: std::cell::Cell<Option<i64>> = const { std::cell::Cell::new(None) };
}

/// Reads the server's clock off an answer (`Date`, whole seconds: half a
/// second is added to what it says).
fn note_server_clock(response: &web_sys::Response) {
    if response.status() == 0 {
        return;
    }
    if let Ok(Some(date)) = response.headers().get("date") {
        let server = js_sys::Date::parse(&date);
        if server.is_finite() {
            let offset = (server + 500.0 - js_sys::Date::now()) as i64;
            SERVER_CLOCK.with(|c| c.set(Some(offset)));
        }
    }
}

/// The server's clock minus this device's, in milliseconds, as the last
/// answer said.
pub fn server_clock() -> Option<i64> {
    SERVER_CLOCK.with(std::cell::Cell::get)
}

/// What an answer that is not a success means for the caller.
#[inline(never)]
fn refusal(status: u16, text: &str, path: &str) -> ApiError {
    // A service worker or a proxy answering for an unreachable server, or a
    // server that failed: try again later.
    if status == 0 || status >= 500 {
        return ApiError::Offline;
    }
    if status == 401 && path != "/api/auth/login" {
        return ApiError::SignedOut;
    }
    match crate::json::from_str::<chengnuo_domain::messages::ErrorResponse>(text) {
        Ok(body) => {
            // A refusal by field says what is wrong in the fields' own messages.
            let message = if body.error.fields.is_empty() {
                body.error.message
            } else {
                let fields: Vec<&str> = body
                    .error
                    .fields
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect();
                fields.join(" ")
            };
            ApiError::Refused {
                status,
                code: body.error.code,
                message,
                fields: body.error.fields,
            }
        }
        Err(_) => ApiError::Offline,
    }
}

/// The address of a ledger file on the server.
pub fn evidence_url(commitment: CommitmentId, hash: &str) -> String {
    format!("/api/commitments/{commitment}/evidence/{hash}")
}

/// Whether the server holds this file for the commitment already (a
/// dropped upload that did arrive is not sent again).
pub async fn has_evidence(commitment: CommitmentId, hash: &str) -> Result<bool, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Offline)?;
    let init = web_sys::RequestInit::new();
    init.set_method("HEAD");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let request = web_sys::Request::new_with_str_and_init(&evidence_url(commitment, hash), &init)
        .map_err(|_| ApiError::Offline)?;
    let response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| ApiError::Offline)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| ApiError::Offline)?;
    match response.status() {
        200 => Ok(true),
        401 => Err(ApiError::SignedOut),
        400..=499 => Ok(false),
        _ => Err(ApiError::Offline),
    }
}

/// Sends a file's bytes under its hash.
pub async fn upload_evidence(
    commitment: CommitmentId,
    hash: &str,
    file: &js_sys::Uint8Array,
    language: &str,
) -> Result<(), ApiError> {
    call_with::<serde::de::IgnoredAny>(
        "PUT",
        &evidence_url(commitment, hash),
        Some((file.into(), "application/octet-stream")),
        language,
    )
    .await
    .map(|_| ())
}

fn json<T: Serialize>(value: &T) -> Option<String> {
    crate::json::to_string(value).ok()
}

pub async fn login(
    credentials: &chengnuo_domain::account::Credentials,
    language: &str,
) -> Result<Me, ApiError> {
    call("POST", "/api/auth/login", json(credentials), language).await
}

pub async fn change_password(
    change: &chengnuo_domain::account::PasswordChange,
    language: &str,
) -> Result<(), ApiError> {
    call::<serde::de::IgnoredAny>("POST", "/api/auth/password", json(change), language)
        .await
        .map(|_| ())
}

pub async fn logout(language: &str) -> Result<(), ApiError> {
    call::<serde::de::IgnoredAny>("POST", "/api/auth/logout", None, language)
        .await
        .map(|_| ())
}

pub async fn me(language: &str) -> Result<Me, ApiError> {
    call("GET", "/api/me", None, language).await
}

pub async fn organization(language: &str) -> Result<Vec<Unit>, ApiError> {
    call("GET", "/api/org", None, language).await
}

/// The caller's to-do lines the server decides (`todo_feed`), as the
/// server wrote them (kept as text: the first load reads only whether it
/// is `[]`).
pub async fn todo_text(language: &str) -> Result<String, ApiError> {
    let (status, text) = exchange("GET", "/api/todo", None, language).await?;
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(refusal(status, &text, "/api/todo"))
    }
}

pub async fn rounds(
    cycle: CycleId,
    language: &str,
) -> Result<Vec<chengnuo_domain::evaluation::Round>, ApiError> {
    call(
        "GET",
        &format!("/api/cycles/{cycle}/rounds"),
        None,
        language,
    )
    .await
}

pub async fn open_round(
    cycle: CycleId,
    draft: &chengnuo_domain::evaluation::RoundDraft,
    language: &str,
) -> Result<chengnuo_domain::evaluation::Round, ApiError> {
    call(
        "POST",
        &format!("/api/cycles/{cycle}/rounds"),
        json(draft),
        language,
    )
    .await
}

pub async fn close_round(
    round: chengnuo_domain::ids::RoundId,
    language: &str,
) -> Result<chengnuo_domain::evaluation::Round, ApiError> {
    call(
        "POST",
        &format!("/api/rounds/{round}/close"),
        None,
        language,
    )
    .await
}

pub async fn cycles(language: &str) -> Result<Vec<chengnuo_domain::cycle::CycleView>, ApiError> {
    call("GET", "/api/cycles", None, language).await
}

/// Sets up a year (`id` none) or changes one.
pub async fn save_cycle(
    id: Option<CycleId>,
    draft: &chengnuo_domain::cycle_draft::CycleDraft,
    language: &str,
) -> Result<chengnuo_domain::cycle::CycleView, ApiError> {
    match id {
        None => call("POST", "/api/cycles", json(draft), language).await,
        Some(id) => call("PUT", &format!("/api/cycles/{id}"), json(draft), language).await,
    }
}

pub async fn make_cycle_current(
    id: CycleId,
    language: &str,
) -> Result<chengnuo_domain::cycle::CycleView, ApiError> {
    call("POST", &format!("/api/cycles/{id}/current"), None, language).await
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

/// What the board is asked for (`GET /api/board`'s query).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BoardQuestion {
    pub year: Option<i32>,
    pub committee: Option<OrgUnitId>,
    pub branch: Option<OrgUnitId>,
    pub q: String,
    pub offset: u32,
}

impl BoardQuestion {
    fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(year) = self.year {
            parts.push(format!("year={year}"));
        }
        if let Some(committee) = self.committee {
            parts.push(format!("committee={committee}"));
        }
        if let Some(branch) = self.branch {
            parts.push(format!("branch={branch}"));
        }
        if !self.q.trim().is_empty() {
            parts.push(format!(
                "q={}",
                String::from(js_sys::encode_uri_component(self.q.trim()))
            ));
        }
        if self.offset > 0 {
            parts.push(format!("offset={}", self.offset));
        }
        parts.join("&")
    }
}

pub async fn board(question: &BoardQuestion, language: &str) -> Result<BoardPage, ApiError> {
    call(
        "GET",
        &format!("/api/board?{}", question.query()),
        None,
        language,
    )
    .await
}

/// The ledger entries a committer made public (no sign-in needed).
pub async fn board_ledger(
    id: CommitmentId,
    language: &str,
) -> Result<Vec<chengnuo_domain::ledger::ProgressLine>, ApiError> {
    call("GET", &format!("/api/board/{id}/ledger"), None, language).await
}

pub async fn board_entry(id: CommitmentId, language: &str) -> Result<Published, ApiError> {
    call("GET", &format!("/api/board/{id}"), None, language).await
}

pub async fn feedback(id: CommitmentId, language: &str) -> Result<Vec<FeedbackEntry>, ApiError> {
    call("GET", &format!("/api/board/{id}/feedback"), None, language).await
}

pub async fn leave_feedback(
    id: CommitmentId,
    draft: &FeedbackDraft,
    language: &str,
) -> Result<FeedbackEntry, ApiError> {
    let path = format!("/api/board/{id}/feedback");
    call("POST", &path, json(draft), language).await
}

/// Every entry, hidden ones included, for those who moderate this commitment.
pub async fn moderation(id: CommitmentId, language: &str) -> Result<Vec<FeedbackEntry>, ApiError> {
    call(
        "GET",
        &format!("/api/commitments/{id}/feedback"),
        None,
        language,
    )
    .await
}

pub async fn hide_feedback(
    id: FeedbackId,
    draft: &ModerationDraft,
    language: &str,
) -> Result<Vec<FeedbackEntry>, ApiError> {
    let path = format!("/api/feedback/{id}/hide");
    call("POST", &path, json(draft), language).await
}

pub async fn set_aside(
    id: CommitmentId,
    language: &str,
) -> Result<Vec<chengnuo_domain::sync::SetAside>, ApiError> {
    call(
        "GET",
        &format!("/api/commitments/{id}/set-aside"),
        None,
        language,
    )
    .await
}

/// A commitment's self-checks, read from its evaluation (only that part:
/// the rest of the answer is not read, so its code is not in the app).
pub async fn self_checks(
    id: CommitmentId,
    language: &str,
) -> Result<Vec<chengnuo_domain::evaluation::SelfCheckRecord>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Only {
        #[serde(default)]
        self_checks: Vec<chengnuo_domain::evaluation::SelfCheckRecord>,
    }
    call::<Only>(
        "GET",
        &format!("/api/commitments/{id}/evaluation"),
        None,
        language,
    )
    .await
    .map(|only| only.self_checks)
}

pub async fn ledger(
    id: CommitmentId,
    language: &str,
) -> Result<chengnuo_domain::ledger::Ledger, ApiError> {
    call(
        "GET",
        &format!("/api/commitments/{id}/ledger"),
        None,
        language,
    )
    .await
}

pub async fn commitment(id: CommitmentId, language: &str) -> Result<Snapshot, ApiError> {
    call("GET", &format!("/api/commitments/{id}"), None, language).await
}

pub async fn reports(language: &str) -> Result<Vec<Package>, ApiError> {
    call("GET", "/api/reports", None, language).await
}

pub async fn report(committee: OrgUnitId, language: &str) -> Result<Package, ApiError> {
    call("GET", &format!("/api/reports/{committee}"), None, language).await
}

pub async fn submit_report(committee: OrgUnitId, language: &str) -> Result<Package, ApiError> {
    let path = format!("/api/reports/{committee}/submit");
    call("POST", &path, Some("{}".to_owned()), language).await
}

/// Where the package's workbook downloads from (a plain link: the browser saves it).
pub fn workbook_url(committee: OrgUnitId, cycle: CycleId) -> String {
    format!("/api/reports/{committee}/workbook?cycle={cycle}")
}

/// 管理 (the office): every unit with its people and accounts counted.
pub async fn admin_units(
    language: &str,
) -> Result<Vec<chengnuo_domain::administration::UnitCount>, ApiError> {
    call("GET", "/api/admin/units", None, language).await
}

/// The people of a unit with their accounts and roles.
pub async fn admin_people(
    unit: OrgUnitId,
    language: &str,
) -> Result<Vec<chengnuo_domain::administration::AccountLine>, ApiError> {
    call(
        "GET",
        &format!("/api/admin/people?unit={unit}"),
        None,
        language,
    )
    .await
}

/// Uploads a roster file (CSV) as it was chosen.
pub async fn import_roster(
    file: web_sys::File,
    language: &str,
) -> Result<chengnuo_domain::administration::RosterImported, ApiError> {
    let body = Some((wasm_bindgen::JsValue::from(file), "text/csv"));
    call_with("POST", "/api/admin/roster", body, language).await
}

pub async fn create_account(
    account: &chengnuo_domain::administration::NewAccount,
    language: &str,
) -> Result<chengnuo_domain::administration::OneTimePassword, ApiError> {
    call("POST", "/api/admin/accounts", json(account), language).await
}

/// A one-time password for `person`, made by the server.
pub async fn reset_password(
    person: chengnuo_domain::ids::PersonId,
    language: &str,
) -> Result<chengnuo_domain::administration::OneTimePassword, ApiError> {
    let path = format!("/api/admin/accounts/{person}/password");
    call("POST", &path, Some("{}".to_owned()), language).await
}

/// `what` is `disable` or `enable`.
pub async fn set_account(
    person: chengnuo_domain::ids::PersonId,
    what: &str,
    language: &str,
) -> Result<(), ApiError> {
    let path = format!("/api/admin/accounts/{person}/{what}");
    call::<serde::de::IgnoredAny>("POST", &path, Some("{}".to_owned()), language)
        .await
        .map(|_| ())
}

/// Grants (`revoke` false) or revokes a role.
pub async fn change_grant(
    change: &chengnuo_domain::administration::GrantChange,
    revoke: bool,
    language: &str,
) -> Result<(), ApiError> {
    let path = if revoke {
        "/api/admin/grants/revoke"
    } else {
        "/api/admin/grants"
    };
    call::<serde::de::IgnoredAny>("POST", path, json(change), language)
        .await
        .map(|_| ())
}

/// The audit trail, newest first, narrowed by the query (`person=…&action=…`).
pub async fn audit(
    query: &str,
    language: &str,
) -> Result<Vec<chengnuo_domain::audit::AuditEntry>, ApiError> {
    call("GET", &format!("/api/audit?{query}"), None, language).await
}

/// What the audit trail's actions are called, for the office's filter.
pub async fn audit_actions(
    language: &str,
) -> Result<Vec<chengnuo_domain::audit::AuditActionName>, ApiError> {
    call("GET", "/api/audit/actions", None, language).await
}

/// The suggestions of a unit shown on the board (once its commitment is published).
pub async fn board_suggestions(
    unit: OrgUnitId,
    language: &str,
) -> Result<Vec<chengnuo_domain::consultation::Suggestion>, ApiError> {
    let path = format!("/api/board/units/{unit}/suggestions");
    call("GET", &path, None, language).await
}

pub async fn leave_suggestion(
    unit: OrgUnitId,
    draft: &chengnuo_domain::consultation::SuggestionDraft,
    language: &str,
) -> Result<chengnuo_domain::consultation::Suggestion, ApiError> {
    let path = format!("/api/board/units/{unit}/suggestions");
    call("POST", &path, json(draft), language).await
}

/// Every suggestion left for the unit (its secretary, the office).
pub async fn unit_suggestions(
    unit: OrgUnitId,
    language: &str,
) -> Result<Vec<chengnuo_domain::consultation::Suggestion>, ApiError> {
    call(
        "GET",
        &format!("/api/units/{unit}/suggestions"),
        None,
        language,
    )
    .await
}

pub async fn answer_suggestion(
    id: chengnuo_domain::ids::SuggestionId,
    answer: &chengnuo_domain::consultation::SuggestionAnswer,
    language: &str,
) -> Result<chengnuo_domain::consultation::Suggestion, ApiError> {
    let path = format!("/api/suggestions/{id}/answer");
    call("POST", &path, json(answer), language).await
}

pub async fn hide_suggestion(
    id: chengnuo_domain::ids::SuggestionId,
    draft: &chengnuo_domain::feedback::ModerationDraft,
    language: &str,
) -> Result<chengnuo_domain::consultation::Suggestion, ApiError> {
    let path = format!("/api/suggestions/{id}/hide");
    call("POST", &path, json(draft), language).await
}

/// 情况通报 addressed to the signed-in person.
pub async fn circulars(
    language: &str,
) -> Result<Vec<chengnuo_domain::circular::Circular>, ApiError> {
    call("GET", "/api/circulars", None, language).await
}

pub async fn circular(
    id: chengnuo_domain::ids::CircularId,
    language: &str,
) -> Result<chengnuo_domain::circular::Circular, ApiError> {
    call("GET", &format!("/api/circulars/{id}"), None, language).await
}

/// The notices on the public board.
pub async fn board_circulars(
    language: &str,
) -> Result<Vec<chengnuo_domain::circular::Circular>, ApiError> {
    call("GET", "/api/board/circulars", None, language).await
}

/// The notice a unit's dashboard suggests (in the person's language).
pub async fn circular_draft(
    unit: OrgUnitId,
    language: &str,
) -> Result<chengnuo_domain::circular::CircularDraft, ApiError> {
    let path = format!("/api/circulars/draft?unit={unit}&lang={language}");
    call("GET", &path, None, language).await
}

pub async fn publish_circular(
    draft: &chengnuo_domain::circular::CircularDraft,
    language: &str,
) -> Result<chengnuo_domain::circular::Circular, ApiError> {
    call("POST", "/api/circulars", json(draft), language).await
}

/// 简报: a commitment's nominated practices (its committer and the chain).
pub async fn nominations(
    id: CommitmentId,
    language: &str,
) -> Result<Vec<chengnuo_domain::bulletin::Nomination>, ApiError> {
    let path = format!("/api/commitments/{id}/nominations");
    call("GET", &path, None, language).await
}

pub async fn nominate(
    id: CommitmentId,
    draft: &chengnuo_domain::bulletin::NominationDraft,
    language: &str,
) -> Result<chengnuo_domain::bulletin::Nomination, ApiError> {
    let path = format!("/api/commitments/{id}/nominations");
    call("POST", &path, json(draft), language).await
}

pub async fn consent(
    id: chengnuo_domain::ids::NominationId,
    answer: chengnuo_domain::bulletin::ConsentAnswer,
    language: &str,
) -> Result<chengnuo_domain::bulletin::Nomination, ApiError> {
    let path = format!("/api/nominations/{id}/consent");
    call("POST", &path, json(&answer), language).await
}

/// The office's desk: every nomination not printed yet.
pub async fn nomination_desk(
    language: &str,
) -> Result<Vec<chengnuo_domain::bulletin::Nomination>, ApiError> {
    call("GET", "/api/nominations", None, language).await
}

pub async fn bulletin_draft(
    language: &str,
) -> Result<chengnuo_domain::bulletin::BulletinDraft, ApiError> {
    let path = format!("/api/bulletins/draft?lang={language}");
    call("GET", &path, None, language).await
}

pub async fn publish_bulletin(
    draft: &chengnuo_domain::bulletin::BulletinDraft,
    language: &str,
) -> Result<chengnuo_domain::bulletin::Bulletin, ApiError> {
    call("POST", "/api/bulletins", json(draft), language).await
}

/// The bulletins published (public).
pub async fn bulletins(
    language: &str,
) -> Result<Vec<chengnuo_domain::bulletin::Bulletin>, ApiError> {
    call("GET", "/api/board/bulletins", None, language).await
}

pub async fn bulletin(
    id: chengnuo_domain::ids::BulletinId,
    language: &str,
) -> Result<chengnuo_domain::bulletin::Bulletin, ApiError> {
    call("GET", &format!("/api/board/bulletins/{id}"), None, language).await
}

/// Who did what to a commitment, oldest first.
pub async fn commitment_history(
    id: CommitmentId,
    language: &str,
) -> Result<Vec<chengnuo_domain::audit::AuditEntry>, ApiError> {
    call(
        "GET",
        &format!("/api/commitments/{id}/audit"),
        None,
        language,
    )
    .await
}

/// A unit's supervision dashboard (the person's highest unit when none).
pub async fn dashboard(
    unit: Option<OrgUnitId>,
    language: &str,
) -> Result<chengnuo_domain::supervision::Dashboard, ApiError> {
    let path = match unit {
        Some(unit) => format!("/api/dashboard?unit={unit}"),
        None => "/api/dashboard".to_owned(),
    };
    call("GET", &path, None, language).await
}

pub fn dashboard_workbook_url(unit: OrgUnitId, language: &str) -> String {
    format!("/api/dashboard/workbook?unit={unit}&lang={language}")
}

/// The commitments the person may see (a secretary: everything in their subtree).
pub async fn commitments(language: &str) -> Result<Vec<Snapshot>, ApiError> {
    call("GET", "/api/commitments", None, language).await
}

/// A commitment's evaluation as the caller may see it: results of closed
/// rounds, the scores, the rectification orders.
pub async fn evaluation(
    id: CommitmentId,
    language: &str,
) -> Result<chengnuo_domain::evaluation::Evaluation, ApiError> {
    call(
        "GET",
        &format!("/api/commitments/{id}/evaluation"),
        None,
        language,
    )
    .await
}

/// Issues `count` ballot codes for a unit in a round (answered once, to print).
pub async fn issue_codes(
    round: chengnuo_domain::ids::RoundId,
    unit: OrgUnitId,
    count: usize,
    language: &str,
) -> Result<chengnuo_domain::mass_evaluation::CodeSheet, ApiError> {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let request = chengnuo_domain::mass_evaluation::CodeRequest {
        unit,
        count,
        origin,
    };
    call(
        "POST",
        &format!("/api/rounds/{round}/codes"),
        json(&request),
        language,
    )
    .await
}

pub async fn unit_codes(
    round: chengnuo_domain::ids::RoundId,
    unit: OrgUnitId,
    language: &str,
) -> Result<chengnuo_domain::mass_evaluation::UnitCodes, ApiError> {
    call(
        "GET",
        &format!("/api/rounds/{round}/codes/{unit}"),
        None,
        language,
    )
    .await
}

pub async fn void_codes(
    round: chengnuo_domain::ids::RoundId,
    request: &chengnuo_domain::mass_evaluation::VoidRequest,
    language: &str,
) -> Result<chengnuo_domain::mass_evaluation::UnitCodes, ApiError> {
    call(
        "POST",
        &format!("/api/rounds/{round}/codes/void"),
        json(request),
        language,
    )
    .await
}

/// The ballot paper a code opens (no sign-in).
pub async fn ballot_paper(
    code: &str,
    language: &str,
) -> Result<chengnuo_domain::mass_evaluation::BallotPaper, ApiError> {
    let question = chengnuo_domain::mass_evaluation::CodeQuestion {
        code: code.to_owned(),
    };
    call("POST", "/api/ballots/paper", json(&question), language).await
}

pub async fn cast_ballot(
    ballot: &chengnuo_domain::mass_evaluation::CastBallot,
    language: &str,
) -> Result<(), ApiError> {
    call::<chengnuo_domain::mass_evaluation::Counted>(
        "POST",
        "/api/ballots",
        json(ballot),
        language,
    )
    .await
    .map(|_| ())
}

/// The grades of a year's closed rounds, as the board publishes them.
pub async fn published_results(
    year: Option<i32>,
    commitment: Option<CommitmentId>,
    language: &str,
) -> Result<Vec<chengnuo_domain::evaluation::RoundGrades>, ApiError> {
    // One published commitment's grades (its page), else a year's.
    let path = match (commitment, year) {
        (Some(id), _) => format!("/api/board/results?commitment={id}"),
        (None, Some(year)) => format!("/api/board/results?year={year}"),
        (None, None) => "/api/board/results".to_owned(),
    };
    call("GET", &path, None, language).await
}

/// Rectification orders past their deadline, school-wide (the office).
pub async fn overdue_rectifications(
    language: &str,
) -> Result<Vec<chengnuo_domain::evaluation::OverdueRectification>, ApiError> {
    call("GET", "/api/rectifications/overdue", None, language).await
}
