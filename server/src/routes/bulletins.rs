//! 简报 / 经验交流: a secretary nominates a published commitment's practice,
//! its committer agrees or not, the office composes a numbered bulletin from
//! what was agreed to and publishes it on the board (and so in everyone's
//! messages). The rules are the domain's (`bulletin`); this is the wiring.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::db;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::store::{audit, bulletins, cycles, ledger};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::bulletin::{
    Bulletin, BulletinDraft, Committed, Consent, ConsentAnswer, Nomination, NominationDraft,
};
use chengnuo_domain::ids::{BulletinId, CommitmentId, NominationId};
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::permission::{can, Action, Target};
use chengnuo_domain::Locale;
use chrono::Utc;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(of_commitment, nominate))
        .routes(routes!(consent))
        .routes(routes!(desk))
        .routes(routes!(draft))
        .routes(routes!(publish))
        .routes(routes!(board))
        .routes(routes!(one))
}

/// Refused fields the schema already excludes are 422; the rest (an item
/// not crossed off, a practice nominated already, one not agreed to) depend
/// on the data, not the form: 409 with the reason by field.
fn refused(errors: ValidationErrors, form_fields: &[&str]) -> ApiError {
    if errors
        .0
        .iter()
        .any(|e| form_fields.contains(&e.field.as_str()))
    {
        ApiError::Invalid(errors)
    } else {
        ApiError::NotNow(errors)
    }
}

/// A commitment's nominations, for its committer and the chain above it.
#[utoipa::path(get, path = "/commitments/{id}/nominations", tag = "bulletins", security(("session" = [])),
    params(("id" = CommitmentId, Path)), responses((status = 200, body = Vec<Nomination>), Refusals))]
async fn of_commitment(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Vec<Nomination>>, ApiError> {
    let mut db = context.db.acquire().await?;
    super::commitment_for(&mut db, id, &signed_in.actor, Action::ViewLedger).await?;
    Ok(Json(bulletins::for_commitment(&mut db, id).await?))
}

/// A secretary over a published commitment nominates one of its crossed-off
/// items, or one entry of an item's ledger, as good practice.
#[utoipa::path(post, path = "/commitments/{id}/nominations", tag = "bulletins", security(("session" = [])),
    params(("id" = CommitmentId, Path)), request_body = NominationDraft,
    responses((status = 201, body = Nomination), Refusals))]
async fn nominate(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(draft): ApiJson<NominationDraft>,
) -> Result<(StatusCode, Json<Nomination>), ApiError> {
    let now = Utc::now();
    let nomination = db::write(&context.db, async |tx| {
        let stored =
            super::commitment_for(&mut *tx, id, &signed_in.actor, Action::NominatePractice).await?;
        let directory = context.directories.get(&mut *tx).await?;
        let unit_name = stored
            .dossier
            .ancestry
            .unit()
            .and_then(|u| directory.unit(u))
            .map(|u| u.unit.name.clone())
            .unwrap_or_default();
        let entries = ledger::for_commitment(&mut *tx, id).await?;
        let already = bulletins::nominated(&mut *tx, id).await?;
        let who = Committed {
            committer: &stored.committer_name,
            unit_name: &unit_name,
        };
        let practice = draft
            .practice(&stored.dossier, &entries, who, &already)
            .map_err(|errors| refused(errors, &["reason"]))?;
        let by = signed_in.person.person.id;
        let today = cycles::school_today(&mut *tx, now).await?;
        let nominated = bulletins::nominate(
            &mut *tx,
            &practice,
            draft.entry,
            &draft.reason,
            by,
            today,
            now,
        )
        .await?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: Some(by),
                action: AuditAction::NominatePractice,
                subject_type: "commitment",
                subject_id: id.to_string(),
                from_state: None,
                to_state: None,
                comment: Some(draft.reason.trim().to_owned()),
            },
        )
        .await?;
        let (_, nomination) = bulletins::get(&mut *tx, nominated)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(nomination)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(nomination)))
}

/// The committer agrees to a nominated practice being published, or not
/// (and may change their mind until it is printed).
#[utoipa::path(post, path = "/nominations/{id}/consent", tag = "bulletins", security(("session" = [])),
    params(("id" = NominationId, Path)), request_body = ConsentAnswer,
    responses((status = 200, body = Nomination), Refusals))]
async fn consent(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<NominationId>,
    ApiJson(answer): ApiJson<ConsentAnswer>,
) -> Result<Json<Nomination>, ApiError> {
    let now = Utc::now();
    let nomination = db::write(&context.db, async |tx| {
        let (commitment, mut nomination) = bulletins::get(&mut *tx, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        super::commitment_for(
            &mut *tx,
            commitment,
            &signed_in.actor,
            Action::ConsentToPublication,
        )
        .await?;
        nomination.answer(answer).map_err(ApiError::NotNow)?;
        bulletins::set_consent(&mut *tx, id, nomination.consent, now).await?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: Some(signed_in.person.person.id),
                action: if nomination.consent == Consent::Given {
                    AuditAction::ConsentPractice
                } else {
                    AuditAction::DeclinePractice
                },
                subject_type: "commitment",
                subject_id: commitment.to_string(),
                from_state: None,
                to_state: Some(nomination.consent.as_str().to_owned()),
                comment: None,
            },
        )
        .await?;
        Ok(nomination)
    })
    .await?;
    Ok(Json(nomination))
}

/// The office's desk: every nomination not printed yet, with its consent.
#[utoipa::path(get, path = "/nominations", tag = "bulletins", security(("session" = [])),
    responses((status = 200, body = Vec<Nomination>), Refusals))]
async fn desk(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
) -> Result<Json<Vec<Nomination>>, ApiError> {
    can(&signed_in.actor, Action::ComposeBulletin, &Target::Campaign)?;
    let mut db = context.db.acquire().await?;
    Ok(Json(bulletins::unprinted(&mut db).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DraftQuery {
    /// The language of the suggested title (`zh` or `en`; Chinese when absent).
    lang: Option<String>,
}

/// The next issue as suggested: numbered, with every practice agreed to.
#[utoipa::path(get, path = "/bulletins/draft", tag = "bulletins", security(("session" = [])),
    params(DraftQuery), responses((status = 200, body = BulletinDraft), Refusals))]
async fn draft(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Query(query): Query<DraftQuery>,
) -> Result<Json<BulletinDraft>, ApiError> {
    can(&signed_in.actor, Action::ComposeBulletin, &Target::Campaign)?;
    let mut db = context.db.acquire().await?;
    let available = bulletins::unprinted(&mut db).await?;
    let number = bulletins::next_number(&mut db).await?;
    let locale = query
        .lang
        .as_deref()
        .and_then(Locale::from_tag)
        .unwrap_or(Locale::Zh);
    Ok(Json(BulletinDraft::suggest(number, &available, locale)))
}

/// The office publishes an issue: on the board and in everyone's messages.
#[utoipa::path(post, path = "/bulletins", tag = "bulletins", security(("session" = [])),
    request_body = BulletinDraft, responses((status = 201, body = Bulletin), Refusals))]
async fn publish(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    ApiJson(draft): ApiJson<BulletinDraft>,
) -> Result<(StatusCode, Json<Bulletin>), ApiError> {
    can(&signed_in.actor, Action::ComposeBulletin, &Target::Campaign)?;
    let now = Utc::now();
    let bulletin = db::write(&context.db, async |tx| {
        let known = bulletins::several(&mut *tx, &draft.nominations).await?;
        let featured = draft
            .check(&known)
            .map_err(|errors| refused(errors, &["title", "intro"]))?;
        let by = signed_in.person.person.id;
        let today = cycles::school_today(&mut *tx, now).await?;
        let id = bulletins::publish(
            &mut *tx,
            &draft.title,
            &draft.intro,
            &featured,
            by,
            today,
            now,
        )
        .await?;
        let bulletin = bulletins::bulletin_by_id(&mut *tx, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: Some(by),
                action: AuditAction::PublishBulletin,
                subject_type: "bulletin",
                subject_id: id.to_string(),
                from_state: None,
                to_state: None,
                comment: Some(bulletin.title.clone()),
            },
        )
        .await?;
        Ok(bulletin)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(bulletin)))
}

/// The bulletins published, newest first (at most 50): public.
#[utoipa::path(get, path = "/board/bulletins", tag = "board",
    responses((status = 200, body = Vec<Bulletin>), Refusals))]
async fn board(State(context): State<ApiContext>) -> Result<Json<Vec<Bulletin>>, ApiError> {
    let mut db = context.db.acquire().await?;
    Ok(Json(bulletins::newest(&mut db).await?))
}

/// One bulletin: public.
#[utoipa::path(get, path = "/board/bulletins/{id}", tag = "board",
    params(("id" = BulletinId, Path)), responses((status = 200, body = Bulletin), Refusals))]
async fn one(
    State(context): State<ApiContext>,
    Path(id): Path<BulletinId>,
) -> Result<Json<Bulletin>, ApiError> {
    let mut db = context.db.acquire().await?;
    Ok(Json(
        bulletins::bulletin_by_id(&mut db, id)
            .await?
            .ok_or(ApiError::NotFound)?,
    ))
}
