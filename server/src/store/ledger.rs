//! The ledger's progress entries.

use crate::db::DbConnection;
use crate::store::StoreError;
use crate::store::{parse_day, parse_id};
use chengnuo_domain::ids::{CommitmentId, ProgressId};
use chengnuo_domain::ledger::{ProgressEntry, ProgressLine};
use chrono::{DateTime, Utc};
use sqlx::Row;

pub async fn insert(
    db: &mut DbConnection,
    commitment: CommitmentId,
    entry: &ProgressEntry,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO progress_entries (id, commitment_id, item_id, day, text, person_id, created_at, evidence, public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(ProgressId::new().to_string())
    .bind(commitment.to_string())
    .bind(entry.item.to_string())
    .bind(entry.date.to_string())
    .bind(&entry.text)
    .bind(entry.by.to_string())
    .bind(now.to_rfc3339())
    .bind(serde_json::to_string(&entry.evidence)?)
    .bind(i64::from(entry.public))
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// A commitment's entries by date.
pub async fn for_commitment(
    db: &mut DbConnection,
    commitment: CommitmentId,
) -> Result<Vec<ProgressLine>, StoreError> {
    let rows = sqlx::query(
        "SELECT e.id, e.item_id, e.day, e.text, e.created_at, e.evidence, e.public, p.name AS by_name \
         FROM progress_entries e LEFT JOIN persons p ON p.id = e.person_id \
         WHERE e.commitment_id = $1 ORDER BY e.day, e.created_at",
    )
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ProgressLine {
                id: parse_id(row.get::<&str, _>("id"))?,
                item: parse_id(row.get::<&str, _>("item_id"))?,
                date: parse_day(row.get::<&str, _>("day"))?,
                text: row.get("text"),
                by_name: row.get("by_name"),
                recorded_at: row.get("created_at"),
                evidence: serde_json::from_str(row.get::<&str, _>("evidence"))?,
                public: row.get::<i64, _>("public") != 0,
            })
        })
        .collect()
}
