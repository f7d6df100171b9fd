//! The whole audit trail, for the campaign office.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::audit;
use axum::extract::{Query, State};
use axum::Json;
use chengnuo_domain::audit::AuditEntry;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::permission::{can, Action, Target};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const PAGE: i64 = 200;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new().routes(routes!(recent))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Entries older than this entry id (the next page); the newest when absent.
    before: Option<i64>,
    /// Done by this person.
    person: Option<PersonId>,
    /// This action, e.g. `review`, `grant_role`, `import_roster`.
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
    Query(page): Query<Page>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    can(&signed_in.actor, Action::ManageAccounts, &Target::Campaign)?;
    let mut db = context.db.acquire().await?;
    let filter = audit::Filter {
        before: page.before,
        actor: page.person,
        action: page.action.filter(|a| !a.trim().is_empty()),
        unit: page.unit,
        from: page.from,
        to: page.to,
    };
    let limit = page.limit.map_or(PAGE, |l| i64::from(l).clamp(1, PAGE));
    Ok(Json(audit::search(&mut db, &filter, limit).await?))
}
