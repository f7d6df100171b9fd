//! Evaluation (考核评议): a cycle's rounds, opened and closed by the office
//! (the close computes every result, `round_results`), a commitment's
//! results, scores and rectification orders as the caller may see them, the
//! board's published grades, and the office's list of overdue orders. Scores,
//! self-checks and rectification steps arrive through the sync
//! (`operations.rs`); ballots through `ballots.rs`.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::cycles;
use crate::store::evaluation;
use axum::extract::{Path, Query, State};
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::evaluation::{
    Evaluation, OverdueRectification, Round, RoundDraft, RoundGrades, VisibleOutcome,
};
use chengnuo_domain::ids::{CommitmentId, CycleId, RoundId};
use chengnuo_domain::permission::{can, Action, Role, Target};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(rounds, open_round))
        .routes(routes!(close_round))
        .routes(routes!(of_commitment))
        .routes(routes!(published_results))
        .routes(routes!(overdue_rectifications))
}

async fn audited(
    db: &mut DbConnection,
    signed_in: &SignedIn,
    action: AuditAction,
    round: &Round,
    outcome: Option<String>,
) -> Result<(), ApiError> {
    crate::store::audit::record(
        db,
        crate::store::audit::Record {
            at: chrono::Utc::now(),
            actor: Some(signed_in.person.person.id),
            action,
            subject_type: "round",
            subject_id: round.id.to_string(),
            from_state: None,
            to_state: Some(if round.is_closed { "Closed" } else { "Open" }.to_owned()),
            comment: Some(format!(
                "{:?} {} – {}{}",
                round.kind,
                round.opens_on,
                round.closes_on,
                outcome.map(|o| format!(": {o}")).unwrap_or_default()
            )),
        },
    )
    .await?;
    Ok(())
}

/// The campaign office opens a round of the year (季度 / 年度考核评议): one
/// at a time, dated within fulfilment; the annual round once.
#[utoipa::path(post, path = "/cycles/{id}/rounds", tag = "evaluation", security(("session" = [])),
    params(("id" = CycleId, Path)), request_body = RoundDraft,
    responses((status = 201, body = Round), Refusals))]
async fn open_round(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CycleId>,
    body: Result<crate::error::ApiJson<RoundDraft>, ApiError>,
) -> Result<(axum::http::StatusCode, Json<Round>), ApiError> {
    can(&signed_in.actor, Action::ConfigureCycle, &Target::Campaign)?;
    let crate::error::ApiJson(draft) = body?;
    let round = crate::db::write(&context.db, async |tx| {
        let cycle = cycles::get(&mut *tx, id).await?.ok_or(ApiError::NotFound)?;
        let held = evaluation::rounds(&mut *tx, id).await?;
        let (opens_on, closes_on) = draft.parse(&cycle, &held)?;
        let round = Round {
            id: RoundId::new(),
            cycle: id,
            kind: draft.kind,
            opens_on,
            closes_on,
            is_closed: false,
            closed_on: None,
        };
        evaluation::insert_round(&mut *tx, &round).await?;
        audited(&mut *tx, &signed_in, AuditAction::OpenRound, &round, None).await?;
        Ok(round)
    })
    .await?;
    Ok((axum::http::StatusCode::CREATED, Json(round)))
}

/// Closes a round, for good: nothing more is taken in it. Every commitment
/// in force gets its result, computed by the domain; the results are
/// published (the board shows the grades); an annual round orders
/// rectification for what is left undone.
#[utoipa::path(post, path = "/rounds/{id}/close", tag = "evaluation", security(("session" = [])),
    params(("id" = RoundId, Path)), responses((status = 200, body = Round), Refusals))]
async fn close_round(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<RoundId>,
) -> Result<Json<Round>, ApiError> {
    can(&signed_in.actor, Action::ConfigureCycle, &Target::Campaign)?;
    let round = crate::db::write(&context.db, async |tx| {
        let mut round = evaluation::round(&mut *tx, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        if round.is_closed {
            let mut errors = chengnuo_domain::messages::ValidationErrors::default();
            errors.push("round", chengnuo_domain::messages::Message::RoundNotOpen);
            return Err(ApiError::NotNow(errors));
        }
        let cycle = cycles::get(&mut *tx, round.cycle)
            .await?
            .ok_or(ApiError::NotFound)?;
        let today = cycle.today(chrono::Utc::now());
        evaluation::close_round(&mut *tx, id, today).await?;
        round.is_closed = true;
        round.closed_on = Some(today);
        let closed = crate::round_results::compute(&mut *tx, &round, &cycle, today).await?;
        audited(
            &mut *tx,
            &signed_in,
            AuditAction::CloseRound,
            &round,
            Some(format!(
                "{} results, {} rectification orders",
                closed.results, closed.rectification_orders
            )),
        )
        .await?;
        Ok(round)
    })
    .await?;
    Ok(Json(round))
}

/// The grades of a year's closed rounds, on the public board: every
/// published commitment's grade and the commendation list (the Excellent).
#[utoipa::path(get, path = "/board/results", tag = "board",
    params(("year" = Option<i32>, Query), ("commitment" = Option<CommitmentId>, Query)),
    responses((status = 200, body = Vec<RoundGrades>), Refusals))]
async fn published_results(
    State(context): State<ApiContext>,
    Query(question): Query<YearQuestion>,
) -> Result<Json<Vec<RoundGrades>>, ApiError> {
    let mut db = context.db.acquire().await?;
    let year = match question.commitment {
        Some(id) => Some(
            crate::store::board::year_of(&mut db, id)
                .await?
                .ok_or(ApiError::NotFound)?,
        ),
        None => question.year,
    };
    let cycle = match year {
        Some(year) => match cycles::of_year(&mut db, year, None).await? {
            Some(id) => cycles::get(&mut db, id).await?,
            None => None,
        },
        None => cycles::current(&mut db).await?,
    };
    let Some(cycle) = cycle else {
        return Ok(Json(Vec::new()));
    };
    let mut lines = crate::store::board::results(&mut db, cycle.year, question.commitment).await?;
    let rounds = evaluation::rounds(&mut db, cycle.id).await?;
    Ok(Json(
        rounds
            .into_iter()
            .filter(|r| r.is_closed)
            .rev()
            .map(|round| {
                let (of_round, rest) = lines.drain(..).partition(|(r, _)| *r == round.id);
                lines = rest;
                RoundGrades::of(round, of_round.into_iter().map(|(_, l)| l).collect())
            })
            .collect(),
    ))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct YearQuestion {
    year: Option<i32>,
    /// Only this published commitment's grades (its page on the board).
    commitment: Option<CommitmentId>,
}

/// Rectification orders past their deadline and not closed, school-wide:
/// the office's flag.
#[utoipa::path(get, path = "/rectifications/overdue", tag = "evaluation", security(("session" = [])),
    responses((status = 200, body = Vec<OverdueRectification>), Refusals))]
async fn overdue_rectifications(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
) -> Result<Json<Vec<OverdueRectification>>, ApiError> {
    can(&signed_in.actor, Action::ConfigureCycle, &Target::Campaign)?;
    let mut db = context.db.acquire().await?;
    let today = match cycles::current(&mut db).await? {
        Some(cycle) => cycle.today(chrono::Utc::now()),
        None => return Ok(Json(Vec::new())),
    };
    Ok(Json(
        evaluation::overdue_rectifications(&mut db, today).await?,
    ))
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
    let self_checks = if may(Action::ViewLedger) {
        evaluation::self_checks(&mut db, id).await?
    } else {
        Vec::new()
    };
    let closed: Vec<RoundId> = evaluation::rounds(&mut db, stored.dossier.cycle)
        .await?
        .into_iter()
        .filter(|r| r.is_closed)
        .map(|r| r.id)
        .collect();
    let assessments = evaluation::assessments(&mut db, id)
        .await?
        .into_iter()
        .filter(|a| {
            if closed.contains(&a.round) {
                scores
            } else {
                actor.person == Some(a.scorer)
            }
        })
        .collect();
    Ok(Json(Evaluation {
        commitment: id,
        results,
        rectification_orders,
        self_checks,
        assessments,
    }))
}
