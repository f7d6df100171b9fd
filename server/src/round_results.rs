//! A round's results, computed when the office closes it: every commitment
//! in force in the round's cycle is assessed by the domain
//! (`evaluation::assess`, the same code the phone runs) from the leaders'
//! and the organization's scores and the mass counts; the annual round's
//! close orders rectification (`evaluation::rectification_orders`).

use crate::db::DbConnection;
use crate::store::{ballots, commitments, evaluation, StoreError};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::evaluation::{assess, rectification_orders, Round, RoundInputs, RoundKind};
use chrono::NaiveDate;

/// What a close computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Closed {
    pub results: usize,
    pub rectification_orders: usize,
}

/// Computes and keeps every result of `round`, assessed on `on` (the day it
/// closes), and the rectification orders of an annual round.
pub async fn compute(
    db: &mut DbConnection,
    round: &Round,
    cycle: &Cycle,
    on: NaiveDate,
) -> Result<Closed, StoreError> {
    let mut scores = evaluation::round_scores(db, round.id).await?;
    let tallies = ballots::tallies(db, round.id).await?;
    let mut closed = Closed::default();
    for stored in commitments::in_force(db, cycle.id).await? {
        let dossier = stored.dossier;
        let (leader_scores, organization) = scores.remove(&dossier.id).unwrap_or_default();
        let inputs = RoundInputs {
            kind: round.kind,
            on,
            leader_scores,
            ballots: tallies
                .get(&dossier.id)
                .map(|t| t.ballots())
                .unwrap_or_default(),
            organization,
            items: dossier.standings(),
        };
        let result = assess(&inputs, &cycle.settings);
        evaluation::insert_result(db, round.id, dossier.id, &inputs, &result).await?;
        closed.results += 1;
        if round.kind == RoundKind::Annual {
            for order in rectification_orders(&result, on, &cycle.settings) {
                evaluation::insert_rectification(db, dossier.id, Some(round.id), &order).await?;
                closed.rectification_orders += 1;
            }
        }
    }
    Ok(closed)
}
