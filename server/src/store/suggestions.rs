//! Suggestions left for a unit (征求意见) and the unit's answers.

use crate::db::{DbConnection, DbRow};
use crate::store::StoreError;
use crate::store::{enum_from_text, enum_text, parse_day, parse_id};
use chengnuo_domain::consultation::{Suggestion, SuggestionStatus};
use chengnuo_domain::ids::{CycleId, OrgUnitId, PersonId, SuggestionId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

const COLUMNS: &str = "id, unit_id, name, text, left_on, status, reply, hidden_at FROM suggestions";

fn suggestion(row: &DbRow) -> Result<Suggestion, StoreError> {
    Ok(Suggestion {
        id: parse_id(row.get::<&str, _>("id"))?,
        unit: parse_id(row.get::<&str, _>("unit_id"))?,
        name: row.get("name"),
        text: row.get("text"),
        left_on: parse_day(row.get::<&str, _>("left_on"))?,
        status: enum_from_text(row.get::<&str, _>("status"))?,
        reply: row.get("reply"),
        hidden: row.get::<Option<&str>, _>("hidden_at").is_some(),
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    db: &mut DbConnection,
    unit: OrgUnitId,
    cycle: CycleId,
    name: Option<&str>,
    text: &str,
    sender: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Suggestion, StoreError> {
    let id = SuggestionId::new();
    sqlx::query(
        "INSERT INTO suggestions (id, unit_id, cycle_id, name, text, left_on, created_at, sender_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(unit.to_string())
    .bind(cycle.to_string())
    .bind(name)
    .bind(text)
    .bind(today.to_string())
    .bind(now.to_rfc3339())
    .bind(sender)
    .execute(&mut *db)
    .await?;
    get(db, id).await?.ok_or(StoreError::NotFound)
}

pub async fn get(
    db: &mut DbConnection,
    id: SuggestionId,
) -> Result<Option<Suggestion>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *db)
        .await?;
    row.as_ref().map(suggestion).transpose()
}

/// A unit's suggestions in a cycle, oldest first (hidden ones only when asked).
pub async fn for_unit(
    db: &mut DbConnection,
    unit: OrgUnitId,
    cycle: CycleId,
    with_hidden: bool,
) -> Result<Vec<Suggestion>, StoreError> {
    let hidden = if with_hidden {
        ""
    } else {
        " AND hidden_at IS NULL"
    };
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} WHERE unit_id = $1 AND cycle_id = $2{hidden} ORDER BY created_at"
    ))
    .bind(unit.to_string())
    .bind(cycle.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(suggestion).collect()
}

pub async fn answer(
    db: &mut DbConnection,
    id: SuggestionId,
    status: SuggestionStatus,
    reply: &str,
    by: Option<PersonId>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE suggestions SET status = $1, reply = $2, replied_by = $3 WHERE id = $4")
        .bind(enum_text(&status))
        .bind(reply)
        .bind(by.map(|p| p.to_string()))
        .bind(id.to_string())
        .execute(&mut *db)
        .await?;
    Ok(())
}

pub async fn hide(
    db: &mut DbConnection,
    id: SuggestionId,
    by: Option<PersonId>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE suggestions SET hidden_at = $1, hidden_by = $2, hidden_reason = $3 WHERE id = $4",
    )
    .bind(now.to_rfc3339())
    .bind(by.map(|p| p.to_string()))
    .bind(reason)
    .bind(id.to_string())
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Whether the unit's own commitment of the cycle is published (its
/// suggestions and answers are public from then on).
pub async fn unit_published(
    db: &mut DbConnection,
    unit: OrgUnitId,
    cycle: CycleId,
) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM commitments WHERE cycle_id = $1 AND committer_type = 'unit' AND committer_id = $2 \
         AND state = 'Published'",
    )
    .bind(cycle.to_string())
    .bind(unit.to_string())
    .fetch_optional(&mut *db)
    .await?;
    Ok(found.is_some())
}
