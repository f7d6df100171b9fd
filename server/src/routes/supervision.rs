//! The supervision dashboard (督查): the counts of a unit's subtree in the
//! current cycle, one row per unit under it and per commitment made at it,
//! for the office, committee and branch secretaries and leaders over it
//! (`Action::Supervise`); and the same table as a workbook.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::dashboard::build;
use crate::error::ApiError;
use crate::export::dashboard as xlsx;
use crate::openapi::Refusals;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::Json;
use chengnuo_domain::ids::OrgUnitId;
use chengnuo_domain::supervision::Dashboard;
use chengnuo_domain::Locale;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(dashboard))
        .routes(routes!(workbook))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitChoice {
    /// The unit; the highest the caller supervises when absent.
    unit: Option<OrgUnitId>,
    /// The workbook's language (`zh` or `en`; Chinese when absent).
    lang: Option<String>,
}

/// A unit's supervision dashboard in the current cycle: the counts of its
/// subtree, a row per unit under it and per commitment made at it, and the
/// year's progress month by month.
#[utoipa::path(get, path = "/dashboard", tag = "supervision", security(("session" = [])),
    params(UnitChoice), responses((status = 200, body = Dashboard), Refusals))]
async fn dashboard(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Query(choice): Query<UnitChoice>,
) -> Result<Json<Dashboard>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    Ok(Json(
        build(&mut db, &directory, &signed_in.actor, choice.unit).await?,
    ))
}

/// The dashboard's table as an Excel workbook.
#[utoipa::path(get, path = "/dashboard/workbook", tag = "supervision", security(("session" = [])),
    params(UnitChoice),
    responses((status = 200, description = "The table (.xlsx)",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = inline(String)),
        Refusals))]
async fn workbook(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Query(choice): Query<UnitChoice>,
) -> Result<impl IntoResponse, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let dashboard = build(&mut db, &directory, &signed_in.actor, choice.unit).await?;
    let locale = choice
        .lang
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or(Locale::Zh);
    let bytes = xlsx::build(&dashboard, locale)?;
    Ok(super::workbook_answer(
        bytes,
        &format!("dashboard-{}.xlsx", dashboard.as_of),
    ))
}
