//! 情况通报: a unit's secretary or the office asks for the notice its
//! dashboard suggests, edits it and publishes it (numbered 第 N 期 per
//! unit); everyone in the unit's scope finds it in their inbox, the public
//! on the board when chosen.

use crate::auth::session::{MaybeSignedIn, SignedIn};
use crate::context::ApiContext;
use crate::db;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::store::directory::Directory;
use crate::store::{audit, circulars, cycles};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::circular::{self, Circular, CircularDraft};
use chengnuo_domain::ids::{CircularId, OrgUnitId};
use chengnuo_domain::permission::{can, Action, Actor, Target};
use chengnuo_domain::Locale;
use chrono::Utc;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(draft))
        .routes(routes!(publish, mine))
        .routes(routes!(one))
        .routes(routes!(board))
}

fn unit_target(directory: &Directory, unit: OrgUnitId) -> Result<Target, ApiError> {
    let found = directory.unit(unit).ok_or(ApiError::NotFound)?;
    Ok(Target::Unit {
        kind: found.unit.kind,
        ancestry: directory.ancestry(unit),
    })
}

/// The units whose notices reach the actor (the domain's `reaching`).
fn addressed_to(directory: &Directory, actor: &Actor, branch: Option<OrgUnitId>) -> Vec<OrgUnitId> {
    let units = directory
        .units
        .keys()
        .filter_map(|id| unit_target(directory, *id).ok().map(|target| (*id, target)));
    circular::reaching(actor, branch, |u| directory.ancestry(u), units)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DraftQuery {
    /// The unit whose scope the notice addresses.
    unit: OrgUnitId,
    /// The language of the generated text (`zh` or `en`; Chinese when absent).
    lang: Option<String>,
}

/// The notice the unit's dashboard suggests today, with the next number:
/// edit it, then publish it.
#[utoipa::path(get, path = "/circulars/draft", tag = "supervision", security(("session" = [])),
    params(DraftQuery), responses((status = 200, body = CircularDraft), Refusals))]
async fn draft(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Query(query): Query<DraftQuery>,
) -> Result<Json<CircularDraft>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    can(
        &signed_in.actor,
        Action::PublishCircular,
        &unit_target(&directory, query.unit)?,
    )?;
    let dashboard =
        crate::dashboard::build(&mut db, &directory, &signed_in.actor, Some(query.unit)).await?;
    let number = circulars::next_number(&mut db, query.unit).await?;
    let locale = query
        .lang
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or(Locale::Zh);
    Ok(Json(CircularDraft::generate(&dashboard, number, locale)))
}

/// Publishes a notice to everyone in the unit's scope (and on the board if
/// `on_board`); its number is the unit's next.
#[utoipa::path(post, path = "/circulars", tag = "supervision", security(("session" = [])),
    request_body = CircularDraft, responses((status = 201, body = Circular), Refusals))]
async fn publish(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    ApiJson(draft): ApiJson<CircularDraft>,
) -> Result<(StatusCode, Json<Circular>), ApiError> {
    draft.check()?;
    let now = Utc::now();
    let published = db::write(&context.db, async |tx| {
        let directory = context.directories.get(&mut *tx).await?;
        can(
            &signed_in.actor,
            Action::PublishCircular,
            &unit_target(&directory, draft.unit)?,
        )?;
        let today = cycles::school_today(&mut *tx, now).await?;
        let by = signed_in.person.person.id;
        let id = circulars::publish(&mut *tx, &draft, by, today, now).await?;
        let circular = circulars::get(&mut *tx, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: Some(by),
                action: AuditAction::PublishCircular,
                subject_type: "circular",
                subject_id: draft.unit.to_string(),
                from_state: None,
                to_state: None,
                comment: Some(circular.title.clone()),
            },
        )
        .await?;
        Ok(circular)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(published)))
}

/// The notices addressed to the signed-in person, newest first (at most 50).
#[utoipa::path(get, path = "/circulars", tag = "supervision", security(("session" = [])),
    responses((status = 200, body = Vec<Circular>), Refusals))]
async fn mine(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
) -> Result<Json<Vec<Circular>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let units = addressed_to(
        &directory,
        &signed_in.actor,
        Some(signed_in.person.person.branch),
    );
    Ok(Json(circulars::for_units(&mut db, &units).await?))
}

/// One notice: for those it is addressed to, or anyone when it is on the board.
#[utoipa::path(get, path = "/circulars/{id}", tag = "supervision",
    params(("id" = CircularId, Path)), responses((status = 200, body = Circular), Refusals))]
async fn one(
    State(context): State<ApiContext>,
    signed_in: MaybeSignedIn,
    Path(id): Path<CircularId>,
) -> Result<Json<Circular>, ApiError> {
    let mut db = context.db.acquire().await?;
    let circular = circulars::get(&mut db, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if circular.on_board {
        return Ok(Json(circular));
    }
    let Some(person) = &signed_in.0 else {
        return Err(ApiError::NotFound);
    };
    let directory = context.directories.get(&mut db).await?;
    let units = addressed_to(&directory, &person.actor, Some(person.person.person.branch));
    if units.contains(&circular.unit) {
        Ok(Json(circular))
    } else {
        Err(ApiError::NotFound)
    }
}

/// The notices on the public board, newest first (at most 50).
#[utoipa::path(get, path = "/board/circulars", tag = "board",
    responses((status = 200, body = Vec<Circular>), Refusals))]
async fn board(State(context): State<ApiContext>) -> Result<Json<Vec<Circular>>, ApiError> {
    let mut db = context.db.acquire().await?;
    Ok(Json(circulars::on_board(&mut db).await?))
}
