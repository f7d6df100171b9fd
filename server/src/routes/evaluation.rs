//! Evaluation (考核评议): a cycle's rounds, a commitment's results and its
//! rectification orders. Read-only here: rounds are held and scored by the
//! evaluation workflow, which writes through the shared `evaluation::assess`.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::cycles;
use crate::store::evaluation;
use axum::extract::{Path, State};
use axum::Json;
use chengnuo_domain::evaluation::{Evaluation, Round, VisibleOutcome};
use chengnuo_domain::ids::{CommitmentId, CycleId};
use chengnuo_domain::permission::{Action, Role};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(rounds))
        .routes(routes!(of_commitment))
}

/// A cycle's rounds (quarterly and annual), by closing day.
#[utoipa::path(get, path = "/cycles/{id}/rounds", tag = "evaluation", security(("session" = [])),
    params(("id" = CycleId, Path)), responses((status = 200, body = Vec<Round>), Refusals))]
async fn rounds(
    State(context): State<ApiContext>,
    _signed_in: SignedIn,
    Path(id): Path<CycleId>,
) -> Result<Json<Vec<Round>>, ApiError> {
    let mut db = context.db.acquire().await?;
    cycles::get(&mut db, id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(evaluation::rounds(&mut db, id).await?))
}

/// A commitment's results and rectification orders, as the permission table
/// lets the caller see them: results of closed rounds only (the office sees
/// open ones too); the grade of a published commitment for anyone signed in,
/// the breakdown (scores, ballots, caps) and the rectification orders for
/// the committer and the chain above.
#[utoipa::path(get, path = "/commitments/{id}/evaluation", tag = "evaluation", security(("session" = [])),
    params(("id" = CommitmentId, Path)), responses((status = 200, body = Evaluation), Refusals))]
async fn of_commitment(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Evaluation>, ApiError> {
    let mut db = context.db.acquire().await?;
    let stored = super::commitment_for(&mut db, id, &signed_in.actor, Action::View).await?;
    let actor = &signed_in.actor;
    let may = |action| stored.dossier.check(actor, action).is_ok();
    let (grade, scores, orders) = (
        may(Action::ViewGrade) || may(Action::ViewScores),
        may(Action::ViewScores),
        may(Action::ViewRectification),
    );
    let office = actor.grants.iter().any(|g| g.role == Role::Office);
    let results = if grade {
        evaluation::results(&mut db, id)
            .await?
            .into_iter()
            .filter(|o| o.round.is_closed || office)
            .map(|o| VisibleOutcome {
                result: o.result.visible(scores),
                round: o.round,
            })
            .collect()
    } else {
        Vec::new()
    };
    let rectification_orders = if orders {
        evaluation::rectifications(&mut db, id).await?
    } else {
        Vec::new()
    };
    Ok(Json(Evaluation {
        commitment: id,
        results,
        rectification_orders,
    }))
}
