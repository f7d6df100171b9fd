//! The yearly cycles and their calendars.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::db;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::store::{audit, cycles};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::cycle::{Cycle, CycleView};
use chengnuo_domain::cycle_draft::{CycleDraft, CycleSetup};
use chengnuo_domain::ids::CycleId;
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::{can, Action, Target};
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(current))
        .routes(routes!(change))
        .routes(routes!(make_current))
}

/// The draft checked, and its year free (but for the cycle being changed).
async fn checked(
    db: &mut DbConnection,
    draft: &CycleDraft,
    except: Option<CycleId>,
) -> Result<CycleSetup, ApiError> {
    let setup = draft.parse()?;
    if cycles::of_year(db, setup.year, except).await?.is_some() {
        let mut errors = ValidationErrors::default();
        errors.push("draft.start", Message::YearTaken { year: setup.year });
        return Err(errors.into());
    }
    Ok(setup)
}

async fn audited(
    db: &mut DbConnection,
    signed_in: &SignedIn,
    action: AuditAction,
    cycle: &Cycle,
) -> Result<(), ApiError> {
    audit::record(
        db,
        audit::Record {
            at: Utc::now(),
            actor: Some(signed_in.person.person.id),
            action,
            subject_type: "cycle",
            subject_id: cycle.id.to_string(),
            from_state: None,
            to_state: None,
            comment: Some(cycle.name.clone()),
        },
    )
    .await?;
    Ok(())
}

/// The campaign office sets up a year (年度设置): its calendar, every date
/// editable (the form starts from the plan's template), and its settings.
/// The first year of a school becomes the one in force.
#[utoipa::path(post, path = "/cycles", tag = "cycles", security(("session" = [])),
    request_body = CycleDraft, responses((status = 201, body = CycleView), Refusals))]
async fn create(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    body: Result<ApiJson<CycleDraft>, ApiError>,
) -> Result<(StatusCode, Json<CycleView>), ApiError> {
    // Who may, before what they sent: a member learns nothing from the body.
    can(&signed_in.actor, Action::ConfigureCycle, &Target::Campaign)?;
    let ApiJson(draft) = body?;
    let view = db::write(&context.db, async |tx| {
        let setup = checked(&mut *tx, &draft, None).await?;
        let first = cycles::current(&mut *tx).await?.is_none();
        let cycle = Cycle {
            id: CycleId::new(),
            year: setup.year,
            name: setup.name,
            calendar: setup.calendar,
            settings: setup.settings,
        };
        cycles::insert(&mut *tx, &cycle, first).await?;
        audited(&mut *tx, &signed_in, AuditAction::CreateCycle, &cycle).await?;
        Ok(CycleView {
            cycle,
            is_current: first,
        })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Changes a year's calendar and settings (phones follow at their next sync).
#[utoipa::path(put, path = "/cycles/{id}", tag = "cycles", security(("session" = [])),
    params(("id" = CycleId, Path)), request_body = CycleDraft,
    responses((status = 200, body = CycleView), Refusals))]
async fn change(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CycleId>,
    body: Result<ApiJson<CycleDraft>, ApiError>,
) -> Result<Json<CycleView>, ApiError> {
    can(&signed_in.actor, Action::ConfigureCycle, &Target::Campaign)?;
    let ApiJson(draft) = body?;
    let view = db::write(&context.db, async |tx| {
        cycles::get(&mut *tx, id).await?.ok_or(ApiError::NotFound)?;
        let setup = checked(&mut *tx, &draft, Some(id)).await?;
        setup.keeps(&cycles::held(&mut *tx, id).await?)?;
        let cycle = Cycle {
            id,
            year: setup.year,
            name: setup.name,
            calendar: setup.calendar,
            settings: setup.settings,
        };
        cycles::update(&mut *tx, &cycle).await?;
        audited(&mut *tx, &signed_in, AuditAction::ChangeCycle, &cycle).await?;
        let is_current = cycles::current(&mut *tx).await?.is_some_and(|c| c.id == id);
        Ok(CycleView { cycle, is_current })
    })
    .await?;
    Ok(Json(view))
}

/// Makes a year the one in force: phones draft, review and fulfil in it.
#[utoipa::path(post, path = "/cycles/{id}/current", tag = "cycles", security(("session" = [])),
    params(("id" = CycleId, Path)), responses((status = 200, body = CycleView), Refusals))]
async fn make_current(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CycleId>,
) -> Result<Json<CycleView>, ApiError> {
    can(&signed_in.actor, Action::ConfigureCycle, &Target::Campaign)?;
    let view = db::write(&context.db, async |tx| {
        let cycle = cycles::get(&mut *tx, id).await?.ok_or(ApiError::NotFound)?;
        cycles::make_current(&mut *tx, id).await?;
        audited(&mut *tx, &signed_in, AuditAction::MakeCycleCurrent, &cycle).await?;
        Ok(CycleView {
            cycle,
            is_current: true,
        })
    })
    .await?;
    Ok(Json(view))
}

/// Every cycle with its calendar. Public: the calendar is published to everyone.
#[utoipa::path(get, path = "/cycles", tag = "cycles",
    responses((status = 200, body = Vec<CycleView>), Refusals))]
async fn list(State(context): State<ApiContext>) -> Result<Json<Vec<CycleView>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let all = cycles::all(&mut db).await?;
    Ok(Json(
        all.into_iter()
            .map(|(cycle, is_current)| CycleView { cycle, is_current })
            .collect(),
    ))
}

/// The cycle in force today.
#[utoipa::path(get, path = "/cycles/current", tag = "cycles",
    responses((status = 200, body = Cycle), Refusals))]
async fn current(State(context): State<ApiContext>) -> Result<Json<Cycle>, ApiError> {
    let mut db = context.db.acquire().await?;
    cycles::current(&mut db)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
