//! The audit trail: who did what, when, from which state to which. Written in
//! the same transaction as the change it records; never updated or deleted
//! (the database refuses it).

use crate::db::{DbConnection, DbRow};
use crate::store::StoreError;
use chengnuo_domain::audit::{AuditAction, AuditEntry};
use chengnuo_domain::ids::PersonId;
use chrono::{DateTime, Utc};
use sqlx::Row;

pub struct Record<'a> {
    pub at: DateTime<Utc>,
    pub actor: Option<PersonId>,
    pub action: AuditAction,
    pub subject_type: &'a str,
    pub subject_id: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub comment: Option<String>,
}

pub async fn record(db: &mut DbConnection, record: Record<'_>) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, from_state, to_state, comment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(record.at.to_rfc3339())
    .bind(record.actor.map(|p| p.to_string()))
    .bind(record.action.as_str())
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

fn entry(row: &DbRow) -> AuditEntry {
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
        words: String::new(),
    }
}

pub async fn for_subject(
    db: &mut DbConnection,
    subject_type: &str,
    subject_id: &str,
) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} WHERE a.subject_type = $1 AND a.subject_id = $2 ORDER BY a.id"
    ))
    .bind(subject_type)
    .bind(subject_id)
    .fetch_all(&mut *db)
    .await?;
    Ok(rows.iter().map(entry).collect())
}

/// Which entries to list: each given part narrows the list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Older than this entry (the next page).
    pub before: Option<i64>,
    /// Done by this person.
    pub actor: Option<PersonId>,
    /// This action.
    pub action: Option<AuditAction>,
    /// About this unit, a commitment under it, or a person of it.
    pub unit: Option<chengnuo_domain::ids::OrgUnitId>,
    /// On or after this day (UTC).
    pub from: Option<chrono::NaiveDate>,
    /// On or before this day (UTC).
    pub to: Option<chrono::NaiveDate>,
}

/// The newest entries first, a page at a time, narrowed by `filter`.
pub async fn search(
    db: &mut DbConnection,
    filter: &Filter,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut sql = format!("SELECT {COLUMNS} WHERE a.id < ?");
    if filter.actor.is_some() {
        sql.push_str(" AND a.actor_id = ?");
    }
    if filter.action.is_some() {
        sql.push_str(" AND a.action = ?");
    }
    if filter.unit.is_some() {
        sql.push_str(
            " AND (a.subject_id = ? \
             OR a.subject_id IN (SELECT id FROM commitments WHERE unit_id = ? OR committee_id = ?) \
             OR a.subject_id IN (SELECT id FROM persons WHERE branch_id = ?) \
             OR a.subject_id LIKE ? || '/%')",
        );
    }
    if filter.from.is_some() {
        sql.push_str(" AND a.at >= ?");
    }
    if filter.to.is_some() {
        sql.push_str(" AND a.at < ?");
    }
    sql.push_str(" ORDER BY a.id DESC LIMIT ?");
    // One placeholder per use: the unit is bound five times.
    let sql = crate::db::numbered(&sql);
    let mut query = sqlx::query(&sql).bind(filter.before.unwrap_or(i64::MAX));
    if let Some(actor) = filter.actor {
        query = query.bind(actor.to_string());
    }
    if let Some(action) = &filter.action {
        query = query.bind(action.as_str());
    }
    if let Some(unit) = filter.unit {
        for _ in 0..5 {
            query = query.bind(unit.to_string());
        }
    }
    if let Some(from) = filter.from {
        query = query.bind(from.to_string());
    }
    if let Some(to) = filter.to {
        query = query.bind((to + chrono::Days::new(1)).to_string());
    }
    let rows = query.bind(limit).fetch_all(&mut *db).await?;
    Ok(rows.iter().map(entry).collect())
}
