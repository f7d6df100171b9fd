//! Public feedback rows, and what a sender wrote lately (the limit is the
//! domain's, `feedback::sender_limit`).

use crate::db::DbConnection;
use crate::store::parse_id;
use crate::store::StoreError;
use chengnuo_domain::feedback::{Feedback, FeedbackEntry, Hidden};
use chengnuo_domain::ids::{CommitmentId, FeedbackId, PersonId};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The address is kept only as a hash, and only to limit the rate.
pub fn sender_key(address: &str) -> String {
    hex::encode(Sha256::digest(address.as_bytes()))
}

/// What anyone may write on the board without an account, each limited
/// per sender: feedback on a commitment, suggestions to a unit.
#[derive(Debug, Clone, Copy)]
pub enum Written {
    Feedback,
    Suggestion,
}

/// How many entries of a kind `sender` wrote since `since`, and when the
/// oldest of them.
pub async fn sent_since(
    db: &mut DbConnection,
    written: Written,
    sender: &str,
    since: DateTime<Utc>,
) -> Result<(u32, Option<DateTime<Utc>>), StoreError> {
    let table = match written {
        Written::Feedback => "feedback",
        Written::Suggestion => "suggestions",
    };
    let (count, oldest): (i64, Option<String>) = sqlx::query_as(&format!(
        "SELECT COUNT(*), MIN(created_at) FROM {table} WHERE sender_key = $1 AND created_at > $2"
    ))
    .bind(sender)
    .bind(since.to_rfc3339())
    .fetch_one(&mut *db)
    .await?;
    Ok((
        u32::try_from(count).unwrap_or(u32::MAX),
        oldest.and_then(|o| o.parse().ok()),
    ))
}

pub async fn insert(
    db: &mut DbConnection,
    commitment: CommitmentId,
    feedback: &Feedback,
    sender: &str,
    now: DateTime<Utc>,
) -> Result<FeedbackEntry, StoreError> {
    let id = FeedbackId::new();
    sqlx::query(
        "INSERT INTO feedback (id, commitment_id, name, text, created_at, sender_key) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(commitment.to_string())
    .bind(&feedback.name)
    .bind(&feedback.text)
    .bind(now.to_rfc3339())
    .bind(sender)
    .execute(&mut *db)
    .await?;
    Ok(FeedbackEntry {
        id,
        name: feedback.name.clone(),
        text: feedback.text.clone(),
        created_at: now.to_rfc3339(),
        hidden: None,
    })
}

/// A commitment's feedback, oldest first; hidden entries only when asked.
pub async fn for_commitment(
    db: &mut DbConnection,
    commitment: CommitmentId,
    with_hidden: bool,
) -> Result<Vec<FeedbackEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT f.id, f.name, f.text, f.created_at, f.hidden_at, f.hidden_reason, p.name AS hidden_by_name \
         FROM feedback f LEFT JOIN persons p ON p.id = f.hidden_by \
         WHERE f.commitment_id = $1 AND ($2 OR f.hidden_at IS NULL) ORDER BY f.created_at, f.id",
    )
    .bind(commitment.to_string())
    .bind(with_hidden)
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            let hidden_at: Option<String> = row.get("hidden_at");
            Ok(FeedbackEntry {
                id: parse_id(row.get::<&str, _>("id"))?,
                name: row.get("name"),
                text: row.get("text"),
                created_at: row.get("created_at"),
                hidden: hidden_at.map(|at| Hidden {
                    at,
                    by_name: row.get("hidden_by_name"),
                    reason: row
                        .get::<Option<String>, _>("hidden_reason")
                        .unwrap_or_default(),
                }),
            })
        })
        .collect()
}

/// The commitment an entry belongs to, and whether it is hidden already.
pub async fn owner(
    db: &mut DbConnection,
    id: FeedbackId,
) -> Result<Option<(CommitmentId, bool)>, StoreError> {
    let row = sqlx::query("SELECT commitment_id, hidden_at FROM feedback WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *db)
        .await?;
    row.map(|row| {
        Ok((
            parse_id(row.get::<&str, _>("commitment_id"))?,
            row.get::<Option<String>, _>("hidden_at").is_some(),
        ))
    })
    .transpose()
}

pub async fn hide(
    db: &mut DbConnection,
    id: FeedbackId,
    by: Option<PersonId>,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE feedback SET hidden_at = $1, hidden_by = $2, hidden_reason = $3 WHERE id = $4",
    )
    .bind(now.to_rfc3339())
    .bind(by.map(|p| p.to_string()))
    .bind(reason)
    .bind(id.to_string())
    .execute(&mut *db)
    .await?;
    Ok(())
}
