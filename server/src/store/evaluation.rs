//! Evaluation rounds, their results per commitment, and rectification orders.

use crate::store::StoreError;
use crate::store::{enum_from_text, parse_day, parse_id};
use chengnuo_domain::evaluation::{Rectification, Round, RoundResult};
use chengnuo_domain::ids::{CommitmentId, CycleId, ItemId, RectificationId, RoundId};
use chrono::NaiveDate;
use sqlx::{Row, SqliteConnection};

/// A round's full result (what the server keeps; callers get a
/// `VisibleOutcome` cut to what they may see).
#[derive(Debug, Clone)]
pub struct RoundOutcome {
    pub round: Round,
    pub result: RoundResult,
}

const ROUND_COLUMNS: &str = "r.id, r.cycle_id, r.kind, r.opens_on, r.closes_on, r.is_closed";

fn round_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Round, StoreError> {
    Ok(Round {
        id: parse_id(row.get::<&str, _>("id"))?,
        cycle: parse_id(row.get::<&str, _>("cycle_id"))?,
        kind: enum_from_text(row.get::<&str, _>("kind"))?,
        opens_on: parse_day(row.get::<&str, _>("opens_on"))?,
        closes_on: parse_day(row.get::<&str, _>("closes_on"))?,
        is_closed: row.get::<i64, _>("is_closed") != 0,
    })
}

pub async fn rounds(db: &mut SqliteConnection, cycle: CycleId) -> Result<Vec<Round>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds r WHERE r.cycle_id = ? ORDER BY r.closes_on"
    ))
    .bind(cycle.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(round_from_row).collect()
}

pub async fn results(
    db: &mut SqliteConnection,
    commitment: CommitmentId,
) -> Result<Vec<RoundOutcome>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ROUND_COLUMNS}, x.result FROM round_results x JOIN rounds r ON r.id = x.round_id \
         WHERE x.commitment_id = ? ORDER BY r.closes_on"
    ))
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RoundOutcome {
                round: round_from_row(row)?,
                result: serde_json::from_str(row.get::<&str, _>("result"))?,
            })
        })
        .collect()
}

pub async fn rectifications(
    db: &mut SqliteConnection,
    commitment: CommitmentId,
) -> Result<Vec<Rectification>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, item_id, ordered_on, deadline, state, closed_on FROM rectification_orders \
         WHERE commitment_id = ? ORDER BY deadline",
    )
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Rectification {
                id: parse_id(row.get::<&str, _>("id"))?,
                item: parse_id(row.get::<&str, _>("item_id"))?,
                ordered_on: parse_day(row.get::<&str, _>("ordered_on"))?,
                deadline: parse_day(row.get::<&str, _>("deadline"))?,
                state: row.get("state"),
                closed_on: row
                    .get::<Option<&str>, _>("closed_on")
                    .map(parse_day)
                    .transpose()?,
            })
        })
        .collect()
}

pub async fn insert_round(db: &mut SqliteConnection, round: &Round) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO rounds (id, cycle_id, kind, opens_on, closes_on, is_closed) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(round.id.to_string())
    .bind(round.cycle.to_string())
    .bind(crate::store::enum_text(&round.kind))
    .bind(round.opens_on.to_string())
    .bind(round.closes_on.to_string())
    .bind(round.is_closed)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// A commitment's result in a round, with what it was computed from.
pub async fn insert_result(
    db: &mut SqliteConnection,
    round: RoundId,
    commitment: CommitmentId,
    inputs: &chengnuo_domain::evaluation::RoundInputs,
    result: &RoundResult,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO round_results (round_id, commitment_id, inputs, result, grade) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(round.to_string())
    .bind(commitment.to_string())
    .bind(serde_json::to_string(inputs)?)
    .bind(serde_json::to_string(result)?)
    .bind(result.grade.map(|g| crate::store::enum_text(&g)))
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// An open rectification order for an item left undone.
pub async fn insert_rectification(
    db: &mut SqliteConnection,
    commitment: CommitmentId,
    item: ItemId,
    ordered_on: NaiveDate,
    deadline: NaiveDate,
) -> Result<RectificationId, StoreError> {
    let id = RectificationId::new();
    sqlx::query(
        "INSERT INTO rectification_orders (id, commitment_id, item_id, ordered_on, deadline, state) VALUES (?, ?, ?, ?, ?, 'Open')",
    )
    .bind(id.to_string())
    .bind(commitment.to_string())
    .bind(item.to_string())
    .bind(ordered_on.to_string())
    .bind(deadline.to_string())
    .execute(&mut *db)
    .await?;
    Ok(id)
}

pub async fn round(db: &mut SqliteConnection, id: RoundId) -> Result<Option<Round>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds r WHERE r.id = ?"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *db)
    .await?;
    row.as_ref().map(round_from_row).transpose()
}

/// Closes a round (final: nothing reopens it).
pub async fn close_round(db: &mut SqliteConnection, id: RoundId) -> Result<(), StoreError> {
    sqlx::query("UPDATE rounds SET is_closed = 1 WHERE id = ?")
        .bind(id.to_string())
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Keeps a committer's self-check of a round (replacing an earlier one).
pub async fn keep_self_check(
    db: &mut SqliteConnection,
    round: RoundId,
    commitment: CommitmentId,
    checks: &[chengnuo_domain::evaluation::SelfCheck],
    by: chengnuo_domain::ids::PersonId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    for check in checks {
        sqlx::query(
            "INSERT INTO self_checks (round_id, commitment_id, item_id, status, explanation, checked_by, checked_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (round_id, commitment_id, item_id) DO UPDATE SET status = excluded.status, \
             explanation = excluded.explanation, checked_by = excluded.checked_by, checked_at = excluded.checked_at",
        )
        .bind(round.to_string())
        .bind(commitment.to_string())
        .bind(check.item.to_string())
        .bind(crate::store::enum_text(&check.status))
        .bind(&check.explanation)
        .bind(by.to_string())
        .bind(now.to_rfc3339())
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

/// A commitment's self-checks, round by round.
pub async fn self_checks(
    db: &mut SqliteConnection,
    commitment: CommitmentId,
) -> Result<Vec<chengnuo_domain::evaluation::SelfCheckRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT round_id, item_id, status, explanation, checked_at FROM self_checks \
         WHERE commitment_id = ? ORDER BY checked_at, item_id",
    )
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(chengnuo_domain::evaluation::SelfCheckRecord {
                round: parse_id(row.get::<&str, _>("round_id"))?,
                item: parse_id(row.get::<&str, _>("item_id"))?,
                status: enum_from_text(row.get::<&str, _>("status"))?,
                explanation: row.get("explanation"),
                checked_at: row.get("checked_at"),
            })
        })
        .collect()
}
