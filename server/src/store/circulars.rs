//! Progress notices (情况通报) as published: numbered per unit.

use crate::db::{DbConnection, DbRow};
use crate::store::StoreError;
use crate::store::{parse_day, parse_id};
use chengnuo_domain::circular::{Circular, CircularDraft};
use chengnuo_domain::ids::{CircularId, OrgUnitId, PersonId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

const COLUMNS: &str =
    "c.id, c.unit_id, u.name AS unit_name, c.number, c.title, c.body, c.on_board, \
     c.published_on, p.name AS published_by FROM circulars c \
     JOIN org_units u ON u.id = c.unit_id JOIN persons p ON p.id = c.published_by";

fn circular(row: &DbRow) -> Result<Circular, StoreError> {
    Ok(Circular {
        id: parse_id(row.get::<&str, _>("id"))?,
        unit: parse_id(row.get::<&str, _>("unit_id"))?,
        unit_name: row.get("unit_name"),
        number: u32::try_from(row.get::<i64, _>("number")).unwrap_or(0),
        title: row.get("title"),
        body: row.get("body"),
        on_board: row.get::<i64, _>("on_board") != 0,
        published_on: parse_day(row.get::<&str, _>("published_on"))?,
        published_by: row.get("published_by"),
    })
}

/// The number the unit's next notice gets (第 N 期).
pub async fn next_number(db: &mut DbConnection, unit: OrgUnitId) -> Result<u32, StoreError> {
    let last: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) FROM circulars WHERE unit_id = $1")
            .bind(unit.to_string())
            .fetch_one(&mut *db)
            .await?;
    Ok(u32::try_from(last).unwrap_or(0) + 1)
}

/// Publishes a notice with the unit's next number (inside the caller's
/// write transaction, so two at once get two numbers).
pub async fn publish(
    db: &mut DbConnection,
    draft: &CircularDraft,
    by: PersonId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CircularId, StoreError> {
    let id = CircularId::new();
    let number = next_number(db, draft.unit).await?;
    sqlx::query(
        "INSERT INTO circulars (id, unit_id, number, title, body, on_board, published_on, published_at, published_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(draft.unit.to_string())
    .bind(i64::from(number))
    .bind(draft.title.trim())
    .bind(draft.body.trim_end())
    .bind(i64::from(draft.on_board))
    .bind(today.to_string())
    .bind(now.to_rfc3339())
    .bind(by.to_string())
    .execute(&mut *db)
    .await?;
    Ok(id)
}

pub async fn get(db: &mut DbConnection, id: CircularId) -> Result<Option<Circular>, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} WHERE c.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *db)
        .await?;
    row.as_ref().map(circular).transpose()
}

/// The newest notices addressed to any of `units` (at most 50).
pub async fn for_units(
    db: &mut DbConnection,
    units: &[OrgUnitId],
) -> Result<Vec<Circular>, StoreError> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; units.len()].join(", ");
    let sql = crate::db::numbered(&format!(
        "SELECT {COLUMNS} WHERE c.unit_id IN ({marks}) ORDER BY c.published_at DESC LIMIT 50"
    ));
    let mut query = sqlx::query(&sql);
    for unit in units {
        query = query.bind(unit.to_string());
    }
    let rows = query.fetch_all(&mut *db).await?;
    rows.iter().map(circular).collect()
}

/// The newest notices on the public board (at most 50).
pub async fn on_board(db: &mut DbConnection) -> Result<Vec<Circular>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} WHERE c.on_board = 1 ORDER BY c.published_at DESC LIMIT 50"
    ))
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(circular).collect()
}
