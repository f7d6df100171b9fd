//! Public feedback on the board (no sign-in) and its moderation by the unit.

use crate::auth::session::SignedIn;
use crate::client_address::ClientAddress;
use crate::context::ApiContext;
use crate::db;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::store::audit;
use crate::store::feedback;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::feedback::FeedbackEntry;
use chengnuo_domain::feedback::{FeedbackDraft, ModerationDraft};
use chengnuo_domain::ids::{CommitmentId, FeedbackId};
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::{Action, Actor};
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(public_list, leave))
        .routes(routes!(moderation_list))
        .routes(routes!(hide))
}

/// The visible feedback on a published commitment, oldest first.
#[utoipa::path(get, path = "/board/{id}/feedback", tag = "feedback",
    params(("id" = CommitmentId, Path)),
    responses((status = 200, body = Vec<FeedbackEntry>), Refusals))]
async fn public_list(
    State(context): State<ApiContext>,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Vec<FeedbackEntry>>, ApiError> {
    let mut db = context.db.acquire().await?;
    super::commitment_for(&mut db, id, &Actor::public(), Action::View).await?;
    Ok(Json(feedback::for_commitment(&mut db, id, false).await?))
}

/// Leaves feedback (text, optional name) while the commitment is on display;
/// no sign-in; at most five per sender in ten minutes.
#[utoipa::path(post, path = "/board/{id}/feedback", tag = "feedback",
    params(("id" = CommitmentId, Path)), request_body = FeedbackDraft,
    responses((status = 201, body = FeedbackEntry), Refusals))]
async fn leave(
    State(context): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    Path(id): Path<CommitmentId>,
    ApiJson(draft): ApiJson<FeedbackDraft>,
) -> Result<(StatusCode, Json<FeedbackEntry>), ApiError> {
    let now = Utc::now();
    let result = db::write(&context.db, async |tx| {
        let stored =
            super::commitment_for(&mut *tx, id, &Actor::public(), Action::Feedback).await?;
        let display = stored.dossier.display.as_ref();
        let today = crate::store::cycles::get(&mut *tx, stored.dossier.cycle)
            .await?
            .ok_or(ApiError::NotFound)?
            .today(now);
        if !FeedbackDraft::open(display, today) {
            let mut closed = ValidationErrors::default();
            closed.push("text", Message::FeedbackClosed);
            return Err(ApiError::NotNow(closed));
        }
        let accepted = draft.parse(display, today)?;
        let sender = feedback::sender_key(&address.to_string());
        let window = chrono::Duration::minutes(chengnuo_domain::feedback::SENDER_WINDOW_MINUTES);
        let (sent, oldest) =
            feedback::sent_since(&mut *tx, feedback::Written::Feedback, &sender, now - window)
                .await?;
        chengnuo_domain::feedback::sender_limit(sent, oldest, now).map_err(|minutes| {
            ApiError::TooManyAttempts {
                retry_after_minutes: minutes,
            }
        })?;
        Ok(feedback::insert(&mut *tx, id, &accepted, &sender, now).await?)
    })
    .await;
    let entry = result?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// All feedback on a commitment, hidden entries included, for those who moderate it.
#[utoipa::path(get, path = "/commitments/{id}/feedback", tag = "feedback", security(("session" = [])),
    params(("id" = CommitmentId, Path)),
    responses((status = 200, body = Vec<FeedbackEntry>), Refusals))]
async fn moderation_list(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Vec<FeedbackEntry>>, ApiError> {
    let mut db = context.db.acquire().await?;
    super::commitment_for(&mut db, id, &signed_in.actor, Action::ModerateFeedback).await?;
    Ok(Json(feedback::for_commitment(&mut db, id, true).await?))
}

/// Hides an entry from the board, with a reason kept in the audit trail.
#[utoipa::path(post, path = "/feedback/{id}/hide", tag = "feedback", security(("session" = [])),
    params(("id" = FeedbackId, Path)), request_body = ModerationDraft,
    responses((status = 200, body = Vec<FeedbackEntry>), Refusals))]
async fn hide(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<FeedbackId>,
    ApiJson(draft): ApiJson<ModerationDraft>,
) -> Result<Json<Vec<FeedbackEntry>>, ApiError> {
    let now = Utc::now();
    let result = db::write(&context.db, async |tx| {
        let (commitment, hidden) = feedback::owner(&mut *tx, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let actor = &signed_in.actor;
        super::commitment_for(&mut *tx, commitment, actor, Action::ModerateFeedback).await?;
        if hidden {
            return Err(ApiError::WrongState);
        }
        let reason = draft.parse()?;
        feedback::hide(&mut *tx, id, actor.person, &reason, now).await?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: actor.person,
                action: AuditAction::HideFeedback,
                subject_type: "commitment",
                subject_id: commitment.to_string(),
                from_state: None,
                to_state: None,
                comment: Some(format!("{id}: {reason}")),
            },
        )
        .await?;
        Ok(feedback::for_commitment(&mut *tx, commitment, true).await?)
    })
    .await;
    Ok(Json(result?))
}
