//! The idempotency log: the outcome of every operation the server applied,
//! under the operation's id, so that a replay (an answer lost in flight, a
//! retried sync) answers the same and changes nothing.

use crate::db::DbConnection;
use crate::store::StoreError;
use chengnuo_domain::ids::{OperationId, PersonId};
use chengnuo_domain::sync::{Operation, Outcome};
use chrono::{DateTime, Utc};

/// What the log holds for an operation id.
pub enum Recorded {
    Unseen,
    /// This person's operation, and its outcome.
    Mine(Outcome),
    /// Someone else's id: its outcome is theirs, never shown to this caller.
    Foreign,
}

/// The outcome recorded for an operation id, looked up for its author only.
pub async fn recorded(
    db: &mut DbConnection,
    operation: OperationId,
    author: Option<PersonId>,
) -> Result<Recorded, StoreError> {
    let recorded: Option<(String, String)> =
        sqlx::query_as("SELECT outcome, person_id FROM applied_operations WHERE operation_id = $1")
            .bind(operation.to_string())
            .fetch_optional(&mut *db)
            .await?;
    let author = author.map(|p| p.to_string()).unwrap_or_default();
    Ok(match recorded {
        None => Recorded::Unseen,
        Some((_, person)) if person != author => Recorded::Foreign,
        Some((text, _)) => Recorded::Mine(serde_json::from_str::<Outcome>(&text)?),
    })
}

/// Records the outcome of an operation, in the transaction that applied it.
/// An applied operation is kept as its revision only (a replay is answered
/// `AlreadyApplied`, and the next pull brings the rest): the log does not
/// hold a copy of every commitment at every save.
pub async fn record(
    db: &mut DbConnection,
    operation: &Operation,
    author: Option<PersonId>,
    outcome: &Outcome,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO applied_operations (operation_id, person_id, commitment_id, outcome, applied_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(operation.id.to_string())
    .bind(author.map(|p| p.to_string()).unwrap_or_default())
    .bind(operation.commitment.to_string())
    .bind(serde_json::to_string(&compact(outcome))?)
    .bind(at.to_rfc3339())
    .execute(&mut *db)
    .await?;
    Ok(())
}

fn compact(outcome: &Outcome) -> std::borrow::Cow<'_, Outcome> {
    use std::borrow::Cow;
    match outcome {
        Outcome::Applied { snapshot } => Cow::Owned(Outcome::AlreadyApplied {
            revision: snapshot.revision,
        }),
        Outcome::Saved { revision } => Cow::Owned(Outcome::AlreadyApplied {
            revision: *revision,
        }),
        other => Cow::Borrowed(other),
    }
}
