//! Report packages (报送): a committee secretary sees the checklist and
//! submits it by the report deadline once every commitment in it is
//! approved; the office sees every committee's package and who is late.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::db;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiJson};
use crate::export::workbook as xlsx;
use crate::openapi::Refusals;
use crate::store::commitments;
use crate::store::directory::Directory;
use crate::store::reports;
use crate::store::{audit, cycles};
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::ids::{CycleId, OrgUnitId};
use chengnuo_domain::org::Unit;
use chengnuo_domain::permission::{can, Action, Actor, Target};
use chengnuo_domain::report::Package;
use chrono::Utc;
use serde::Deserialize;
use std::collections::HashMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(one))
        .routes(routes!(submit))
        .routes(routes!(workbook))
}

#[derive(Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
#[into_params(parameter_in = Query)]
pub struct CycleChoice {
    /// The cycle; the current one when absent.
    cycle: Option<CycleId>,
}

fn target(directory: &Directory, unit: &Unit) -> Target {
    Target::Unit {
        kind: unit.unit.kind,
        ancestry: directory.ancestry(unit.unit.id),
    }
}

async fn cycle_of(db: &mut DbConnection, choice: Option<CycleId>) -> Result<Cycle, ApiError> {
    match choice {
        Some(id) => cycles::get(db, id).await?,
        None => cycles::current(db).await?,
    }
    .ok_or(ApiError::NotFound)
}

/// Whether the actor sees the committee's package (the permission table's
/// `ViewReports`, which includes the secretary who answers for it).
fn sees(directory: &Directory, unit: &Unit, actor: &Actor) -> bool {
    can(actor, Action::ViewReports, &target(directory, unit)).is_ok()
}

/// A committee whose package the actor sees (404 when it is not a committee or
/// not in the actor's view).
fn committee<'a>(
    directory: &'a Directory,
    id: OrgUnitId,
    actor: &Actor,
) -> Result<&'a Unit, ApiError> {
    reports::committees(directory)
        .into_iter()
        .find(|u| u.unit.id == id && sees(directory, u, actor))
        .ok_or(ApiError::NotFound)
}

/// The packages of the committees the caller supervises or answers for.
#[utoipa::path(get, path = "/reports", tag = "reports", security(("session" = [])),
    params(CycleChoice), responses((status = 200, body = Vec<Package>), Refusals))]
async fn list(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Query(choice): Query<CycleChoice>,
) -> Result<Json<Vec<Package>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let cycle = cycle_of(&mut db, choice.cycle).await?;
    let today = cycle.today(Utc::now());
    let mut out = Vec::new();
    for unit in reports::committees(&directory) {
        if sees(&directory, unit, &signed_in.actor) {
            out.push(reports::package(&mut db, &directory, unit, &cycle, today).await?);
        }
    }
    Ok(Json(out))
}

/// One committee's package: its checklist, what is missing, the deadline.
#[utoipa::path(get, path = "/reports/{committee}", tag = "reports", security(("session" = [])),
    params(("committee" = OrgUnitId, Path), CycleChoice),
    responses((status = 200, body = Package), Refusals))]
async fn one(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<OrgUnitId>,
    Query(choice): Query<CycleChoice>,
) -> Result<Json<Package>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let unit = committee(&directory, id, &signed_in.actor)?;
    let cycle = cycle_of(&mut db, choice.cycle).await?;
    let today = cycle.today(Utc::now());
    Ok(Json(
        reports::package(&mut db, &directory, unit, &cycle, today).await?,
    ))
}

/// Sends the package to the office; refused while anything in it is not approved.
#[utoipa::path(post, path = "/reports/{committee}/submit", tag = "reports", security(("session" = [])),
    params(("committee" = OrgUnitId, Path)), request_body = CycleChoice,
    responses((status = 200, body = Package), Refusals))]
async fn submit(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<OrgUnitId>,
    ApiJson(choice): ApiJson<CycleChoice>,
) -> Result<Json<Package>, ApiError> {
    let now = Utc::now();
    let result = db::write(&context.db, async |tx| {
        let directory = context.directories.get(&mut *tx).await?;
        let unit = committee(&directory, id, &signed_in.actor)?;
        can(
            &signed_in.actor,
            Action::SubmitReport,
            &target(&directory, unit),
        )?;
        let cycle = cycle_of(&mut *tx, choice.cycle).await?;
        let today = cycle.today(now);
        let before = reports::package(&mut *tx, &directory, unit, &cycle, today).await?;
        before.status.check_submission()?;
        let by = signed_in.person.person.id;
        reports::submit(&mut *tx, id, cycle.id, by, now, today).await?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: Some(by),
                action: AuditAction::SubmitReport,
                subject_type: "report_package",
                subject_id: format!("{id}/{}", cycle.id),
                from_state: None,
                to_state: Some("Submitted".into()),
                comment: before.status.late.then(|| "late".to_owned()),
            },
        )
        .await?;
        Ok(reports::package(&mut *tx, &directory, unit, &cycle, today).await?)
    })
    .await;
    Ok(Json(result?))
}

/// The package's electronic copy: an Excel workbook, one sheet per kind
/// (the committee's own, its branches', its cadres'), one row per item.
#[utoipa::path(get, path = "/reports/{committee}/workbook", tag = "reports", security(("session" = [])),
    params(("committee" = OrgUnitId, Path), CycleChoice),
    responses((status = 200, description = "The workbook (.xlsx)",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = inline(String)),
        Refusals))]
async fn workbook(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<OrgUnitId>,
    Query(choice): Query<CycleChoice>,
) -> Result<impl IntoResponse, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let unit = committee(&directory, id, &signed_in.actor)?;
    let cycle = cycle_of(&mut db, choice.cycle).await?;
    let package =
        reports::package(&mut db, &directory, unit, &cycle, cycle.today(Utc::now())).await?;
    let mut texts = HashMap::new();
    for commitment in package.lines.iter().filter_map(|l| l.commitment) {
        if let Some(stored) = commitments::load(&mut db, commitment).await? {
            let text = match &stored.dossier.signed {
                Some(signed) => signed.to_draft(),
                None => stored.dossier.draft.clone(),
            };
            texts.insert(commitment, text);
        }
    }
    let bytes = xlsx::build(&package, &texts)?;
    Ok(super::workbook_answer(
        bytes,
        &format!("package-{}.xlsx", cycle.year),
    ))
}
