//! 待办 the server decides (`chengnuo_domain::todo_feed`): the round the
//! office opened, scores not yet given, rectification orders, a report
//! package that is late, a round to open. The app fetches it when online
//! and keeps it, so the to-do list is whole offline.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::{commitments, cycles, evaluation, reports};
use axum::extract::State;
use axum::Json;
use chengnuo_domain::permission::Role;
use chengnuo_domain::todo_feed::{decide, FeedInputs, InForce, OpenOrder, ServerTodo};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new().routes(routes!(todo))
}

fn in_force(stored: commitments::Stored) -> InForce {
    InForce {
        id: stored.dossier.id,
        target: stored.dossier.commitment_target(),
        committer_name: stored.committer_name,
    }
}

/// The caller's to-do lines that depend on records their device does not
/// hold, for the current cycle (none without one).
#[utoipa::path(get, path = "/todo", tag = "evaluation", security(("session" = [])),
    responses((status = 200, body = Vec<ServerTodo>), Refusals))]
async fn todo(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
) -> Result<Json<Vec<ServerTodo>>, ApiError> {
    let mut db = crate::db::begin_read(&context.db).await?;
    let Some(cycle) = cycles::current(&mut db).await? else {
        return Ok(Json(Vec::new()));
    };
    let today = cycle.today(chrono::Utc::now());
    let actor = &signed_in.actor;
    let directory = context.directories.get(&mut db).await?;
    let scope = commitments::Scope::of(actor, &directory);
    let rounds = evaluation::rounds(&mut db, cycle.id).await?;
    let open = rounds.iter().find(|r| r.takes_input_on(today));
    let (assessed, scored) = match open {
        Some(round) => (
            commitments::in_force_to_assess(&mut db, &scope, cycle.id)
                .await?
                .into_iter()
                .map(in_force)
                .collect(),
            evaluation::scored_by(&mut db, round.id, signed_in.person.person.id).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let orders: Vec<OpenOrder> = commitments::open_orders(&mut db, &scope, cycle.id)
        .await?
        .into_iter()
        .map(|(stored, deadline, state)| OpenOrder {
            commitment: in_force(stored),
            deadline,
            state,
        })
        .collect();
    let sends_report_for: Vec<_> = actor
        .grants
        .iter()
        .filter(|g| g.role == Role::CommitteeSecretary)
        .map(|g| g.unit)
        .collect();
    let reports_sent = if sends_report_for.is_empty() {
        Vec::new()
    } else {
        reports::sent(&mut db, cycle.id).await?
    };
    db.commit().await?;
    Ok(Json(decide(&FeedInputs {
        actor,
        cycle: &cycle,
        today,
        rounds: &rounds,
        in_force: &assessed,
        scored: &scored,
        orders: &orders,
        reports_sent: &reports_sent,
        sends_report_for: &sends_report_for,
    })))
}
