//! 征求意见: anyone leaves a unit a suggestion from its page on the board
//! until drafting ends (no sign-in, five per sender in ten minutes); the
//! unit's secretary or the office reads them all, answers each and hides
//! abuse; once the unit's commitment is published the public sees them with
//! the answers.

use crate::auth::session::SignedIn;
use crate::client_address::ClientAddress;
use crate::context::ApiContext;
use crate::db;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::store::{audit, cycles, feedback, suggestions};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::consultation::{self, Suggestion, SuggestionAnswer, SuggestionDraft};
use chengnuo_domain::feedback::ModerationDraft;
use chengnuo_domain::ids::{OrgUnitId, SuggestionId};
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::{can, Action, Actor, Target};
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(public_list, leave))
        .routes(routes!(unit_list))
        .routes(routes!(answer))
        .routes(routes!(hide))
}

async fn unit_target(
    context: &ApiContext,
    db: &mut DbConnection,
    unit: OrgUnitId,
) -> Result<Target, ApiError> {
    let directory = context.directories.get(db).await?;
    let found = directory.unit(unit).ok_or(ApiError::NotFound)?;
    Ok(Target::Unit {
        kind: found.unit.kind,
        ancestry: directory.ancestry(unit),
    })
}

/// A unit's suggestions with the answers, once its commitment is published
/// (before that, none are shown).
#[utoipa::path(get, path = "/board/units/{unit}/suggestions", tag = "board",
    params(("unit" = OrgUnitId, Path)), responses((status = 200, body = Vec<Suggestion>), Refusals))]
async fn public_list(
    State(context): State<ApiContext>,
    Path(unit): Path<OrgUnitId>,
) -> Result<Json<Vec<Suggestion>>, ApiError> {
    let mut db = context.db.acquire().await?;
    unit_target(&context, &mut db, unit).await?;
    let Some(cycle) = cycles::current(&mut db).await? else {
        return Ok(Json(Vec::new()));
    };
    if !suggestions::unit_published(&mut db, unit, cycle.id).await? {
        return Ok(Json(Vec::new()));
    }
    Ok(Json(
        suggestions::for_unit(&mut db, unit, cycle.id, false).await?,
    ))
}

/// Leaves a unit a suggestion (text, optional name) until its drafting
/// ends; no sign-in; at most five per sender in ten minutes.
#[utoipa::path(post, path = "/board/units/{unit}/suggestions", tag = "board",
    params(("unit" = OrgUnitId, Path)), request_body = SuggestionDraft,
    responses((status = 201, body = Suggestion), Refusals))]
async fn leave(
    State(context): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    Path(unit): Path<OrgUnitId>,
    ApiJson(draft): ApiJson<SuggestionDraft>,
) -> Result<(StatusCode, Json<Suggestion>), ApiError> {
    let now = Utc::now();
    let left = db::write(&context.db, async |tx| {
        unit_target(&context, &mut *tx, unit).await?;
        let cycle = cycles::current(&mut *tx).await?.ok_or(ApiError::NotFound)?;
        let today = cycle.today(now);
        if !consultation::open(&cycle.calendar, today) {
            let mut closed = ValidationErrors::default();
            closed.push("text", Message::SuggestionsClosed);
            return Err(ApiError::NotNow(closed));
        }
        let (name, text) = draft.parse()?;
        let sender = feedback::sender_key(&address.to_string());
        let window = chrono::Duration::minutes(chengnuo_domain::feedback::SENDER_WINDOW_MINUTES);
        let (sent, oldest) = feedback::sent_since(
            &mut *tx,
            feedback::Written::Suggestion,
            &sender,
            now - window,
        )
        .await?;
        chengnuo_domain::feedback::sender_limit(sent, oldest, now).map_err(|minutes| {
            ApiError::TooManyAttempts {
                retry_after_minutes: minutes,
            }
        })?;
        Ok(suggestions::insert(
            &mut *tx,
            unit,
            cycle.id,
            name.as_deref(),
            &text,
            &sender,
            today,
            now,
        )
        .await?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(left)))
}

/// Every suggestion left for the unit this cycle, hidden ones included: for
/// its secretary and the office.
#[utoipa::path(get, path = "/units/{unit}/suggestions", tag = "board", security(("session" = [])),
    params(("unit" = OrgUnitId, Path)), responses((status = 200, body = Vec<Suggestion>), Refusals))]
async fn unit_list(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(unit): Path<OrgUnitId>,
) -> Result<Json<Vec<Suggestion>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let target = unit_target(&context, &mut db, unit).await?;
    can(&signed_in.actor, Action::AnswerSuggestions, &target)?;
    let Some(cycle) = cycles::current(&mut db).await? else {
        return Ok(Json(Vec::new()));
    };
    Ok(Json(
        suggestions::for_unit(&mut db, unit, cycle.id, true).await?,
    ))
}

/// A suggestion the actor may answer (404 otherwise).
async fn answerable(
    context: &ApiContext,
    db: &mut DbConnection,
    actor: &Actor,
    id: SuggestionId,
) -> Result<Suggestion, ApiError> {
    let found = suggestions::get(db, id).await?.ok_or(ApiError::NotFound)?;
    let target = unit_target(context, db, found.unit).await?;
    can(actor, Action::AnswerSuggestions, &target)?;
    Ok(found)
}

/// Marks a suggestion adopted, answered or not adopted, with a reply.
#[utoipa::path(post, path = "/suggestions/{id}/answer", tag = "board", security(("session" = [])),
    params(("id" = SuggestionId, Path)), request_body = SuggestionAnswer,
    responses((status = 200, body = Suggestion), Refusals))]
async fn answer(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<SuggestionId>,
    ApiJson(given): ApiJson<SuggestionAnswer>,
) -> Result<Json<Suggestion>, ApiError> {
    let answered = db::write(&context.db, async |tx| {
        let found = answerable(&context, &mut *tx, &signed_in.actor, id).await?;
        let (status, reply) = given.parse()?;
        let by = signed_in.actor.person;
        suggestions::answer(&mut *tx, id, status, &reply, by).await?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: Utc::now(),
                actor: by,
                action: AuditAction::AnswerSuggestion,
                subject_type: "suggestion",
                subject_id: found.unit.to_string(),
                from_state: Some(crate::store::enum_text(&found.status)),
                to_state: Some(crate::store::enum_text(&status)),
                comment: Some(reply),
            },
        )
        .await?;
        suggestions::get(&mut *tx, id)
            .await?
            .ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(Json(answered))
}

/// Hides a suggestion from the public, with a reason kept in the audit trail.
#[utoipa::path(post, path = "/suggestions/{id}/hide", tag = "board", security(("session" = [])),
    params(("id" = SuggestionId, Path)), request_body = ModerationDraft,
    responses((status = 200, body = Suggestion), Refusals))]
async fn hide(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<SuggestionId>,
    ApiJson(draft): ApiJson<ModerationDraft>,
) -> Result<Json<Suggestion>, ApiError> {
    let now = Utc::now();
    let hidden = db::write(&context.db, async |tx| {
        let found = answerable(&context, &mut *tx, &signed_in.actor, id).await?;
        if found.hidden {
            return Err(ApiError::WrongState);
        }
        let reason = draft.parse()?;
        let by = signed_in.actor.person;
        suggestions::hide(&mut *tx, id, by, &reason, now).await?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: by,
                action: AuditAction::HideSuggestion,
                subject_type: "suggestion",
                subject_id: found.unit.to_string(),
                from_state: None,
                to_state: None,
                comment: Some(reason),
            },
        )
        .await?;
        suggestions::get(&mut *tx, id)
            .await?
            .ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(Json(hidden))
}
