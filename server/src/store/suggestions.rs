//! Suggestions left for a unit (征求意见) and the unit's answers.

use crate::store::StoreError;
use crate::store::{enum_from_text, enum_text, parse_day, parse_id};
use chengnuo_domain::consultation::{Suggestion, SuggestionStatus};
use chengnuo_domain::ids::{CycleId, OrgUnitId, PersonId, SuggestionId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Row, SqliteConnection};

const COLUMNS: &str =
    "id, unit_id, name, text, left_on, status, reply, hidden_at IS NOT NULL AS hidden FROM suggestions";

fn suggestion(row: &sqlx::sqlite::SqliteRow) -> Result<Suggestion, StoreError> {
    Ok(Suggestion {
        id: parse_id(row.get::<&str, _>("id"))?,
        unit: parse_id(row.get::<&str, _>("unit_id"))?,
        name: row.get("name"),
        text: row.get("text"),
        left_on: parse_day(row.get::<&str, _>("left_on"))?,
        status: enum_from_text(row.get::<&str, _>("status"))?,
        reply: row.get("reply"),
        hidden: row.get::<bool, _>("hidden"),
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    db: &mut SqliteConnection,
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
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
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
    db: &mut SqliteConnection,
    id: SuggestionId,
) -> Result<Option<Suggestion>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE id = ?"))
        .bind(id.to_string())
        .fetch_optional(&mut *db)
        .await?;
    row.as_ref().map(suggestion).transpose()
}

/// A unit's suggestions in a cycle, oldest first (hidden ones only when asked).
pub async fn for_unit(
    db: &mut SqliteConnection,
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
        "SELECT {COLUMNS} WHERE unit_id = ? AND cycle_id = ?{hidden} ORDER BY created_at"
    ))
    .bind(unit.to_string())
    .bind(cycle.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(suggestion).collect()
}

pub async fn answer(
    db: &mut SqliteConnection,
    id: SuggestionId,
    status: SuggestionStatus,
    reply: &str,
    by: Option<PersonId>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE suggestions SET status = ?, reply = ?, replied_by = ? WHERE id = ?")
        .bind(enum_text(&status))
        .bind(reply)
        .bind(by.map(|p| p.to_string()))
        .bind(id.to_string())
        .execute(&mut *db)
        .await?;
    Ok(())
}

pub async fn hide(
    db: &mut SqliteConnection,
    id: SuggestionId,
    by: Option<PersonId>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE suggestions SET hidden_at = ?, hidden_by = ?, hidden_reason = ? WHERE id = ?",
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
    db: &mut SqliteConnection,
    unit: OrgUnitId,
    cycle: CycleId,
) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM commitments WHERE cycle_id = ? AND committer_type = 'unit' AND committer_id = ? \
         AND state = 'Published'",
    )
    .bind(cycle.to_string())
    .bind(unit.to_string())
    .fetch_optional(&mut *db)
    .await?;
    Ok(found.is_some())
}
