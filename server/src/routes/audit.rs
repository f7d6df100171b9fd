//! The whole audit trail, for the campaign office.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::error::{locale_of, ApiError};
use crate::openapi::Refusals;
use crate::store::audit;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use chengnuo_domain::audit::{AuditAction, AuditActionName, AuditEntry};
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::{can, Action, Target};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const PAGE: i64 = 200;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(recent))
        .routes(routes!(actions))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Entries older than this entry id (the next page); the newest when absent.
    before: Option<i64>,
    /// Done by this person.
    person: Option<PersonId>,
    /// This action, one of the names of `AuditAction` (e.g. `approve`,
    /// `return`, `grant_role`, `import_roster`); another is refused (422).
    action: Option<String>,
    /// About this unit, a commitment under it or a person of it.
    unit: Option<OrgUnitId>,
    /// From this day (UTC).
    #[param(value_type = Option<String>, format = Date)]
    from: Option<NaiveDate>,
    /// Until this day, included (UTC).
    #[param(value_type = Option<String>, format = Date)]
    to: Option<NaiveDate>,
    /// How many entries (at most 200, the default).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<u8>,
}

/// Every state change, newest first, 200 at a time, filtered by person,
/// unit, action and days: for the office only.
#[utoipa::path(get, path = "/audit", tag = "commitments", security(("session" = [])),
    params(Page), responses((status = 200, body = Vec<AuditEntry>), Refusals))]
async fn recent(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Query(page): Query<Page>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    can(&signed_in.actor, Action::ManageAccounts, &Target::Campaign)?;
    let action = match page.action.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(AuditAction::parse(name).ok_or_else(|| {
            let mut errors = ValidationErrors::default();
            errors.push("action", Message::InvalidValue);
            ApiError::from(errors)
        })?),
    };
    let mut db = context.db.acquire().await?;
    let filter = audit::Filter {
        before: page.before,
        actor: page.person,
        action,
        unit: page.unit,
        from: page.from,
        to: page.to,
    };
    let limit = page.limit.map_or(PAGE, |l| i64::from(l).clamp(1, PAGE));
    let locale = locale_of(&headers);
    let entries = audit::search(&mut db, &filter, limit).await?;
    Ok(Json(
        entries.into_iter().map(|e| e.worded(locale)).collect(),
    ))
}

/// What the trail's actions are called in the caller's language, for the
/// office's filter: every action any record may carry, and no other.
#[utoipa::path(get, path = "/audit/actions", tag = "commitments", security(("session" = [])),
    responses((status = 200, body = Vec<AuditActionName>), Refusals))]
async fn actions(
    signed_in: SignedIn,
    headers: HeaderMap,
) -> Result<Json<Vec<AuditActionName>>, ApiError> {
    can(&signed_in.actor, Action::ManageAccounts, &Target::Campaign)?;
    Ok(Json(AuditAction::names_in(locale_of(&headers))))
}
