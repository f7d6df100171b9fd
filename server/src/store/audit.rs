//! The audit trail: who did what, when, from which state to which. Written in
//! the same transaction as the change it records; never updated or deleted
//! (the database refuses it).

use crate::store::StoreError;
use chengnuo_domain::audit::AuditEntry;
use chengnuo_domain::ids::PersonId;
use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

pub struct Record<'a> {
    pub at: DateTime<Utc>,
    pub actor: Option<PersonId>,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub comment: Option<String>,
}

pub async fn record(db: &mut SqliteConnection, record: Record<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, from_state, to_state, comment) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(record.at.to_rfc3339())
    .bind(record.actor.map(|p| p.to_string()))
    .bind(record.action)
    .bind(record.subject_type)
    .bind(record.subject_id)
    .bind(record.from_state)
    .bind(record.to_state)
    .bind(record.comment)
    .execute(&mut *db)
    .await?;
    Ok(())
}

const COLUMNS: &str =
    "a.id, a.at, a.actor_id, p.name AS actor_name, a.action, a.subject_type, a.subject_id, \
     a.from_state, a.to_state, a.comment FROM audit_log a LEFT JOIN persons p ON p.id = a.actor_id";

fn entry(row: &sqlx::sqlite::SqliteRow) -> AuditEntry {
    AuditEntry {
        id: row.get("id"),
        at: row.get("at"),
        actor: row.get("actor_id"),
        actor_name: row.get("actor_name"),
        action: row.get("action"),
        subject_type: row.get("subject_type"),
        subject_id: row.get("subject_id"),
        from_state: row.get("from_state"),
        to_state: row.get("to_state"),
        comment: row.get("comment"),
    }
}

pub async fn for_subject(
    db: &mut SqliteConnection,
    subject_type: &str,
    subject_id: &str,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} WHERE a.subject_type = ? AND a.subject_id = ? ORDER BY a.id"
    ))
    .bind(subject_type)
    .bind(subject_id)
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.iter().map(entry).collect())
}

/// The newest entries first, a page at a time (`before` an entry's id).
pub async fn recent(
    db: &mut SqliteConnection,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} WHERE a.id < ? ORDER BY a.id DESC LIMIT ?"
    ))
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.iter().map(entry).collect())
}
