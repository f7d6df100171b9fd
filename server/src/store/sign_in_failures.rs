//! Failed sign-ins, counted by key (an account, an address, or both) within
//! a window; the limits themselves are `auth::rate_limit`'s.

use crate::db::DbConnection;
use crate::store::StoreError;
use chrono::{DateTime, Utc};

/// How many failures `key` has since `since`, and when the oldest of them was.
pub async fn count(
    db: &mut DbConnection,
    key: &str,
    since: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
    let (count, oldest): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(since.to_rfc3339())
            .fetch_one(&mut *db)
            .await?;
    Ok((count, oldest.and_then(|t| t.parse().ok())))
}

/// Counts one failure of `key`; returns its row, to give it back.
pub async fn record(
    db: &mut DbConnection,
    key: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar(
            "INSERT INTO sign_in_failures (key, at) VALUES ($1, $2) RETURNING rowid",
        )
        .bind(key)
        .bind(at.to_rfc3339())
        .fetch_one(&mut *db)
        .await?,
    )
}

/// Gives back one counted failure.
pub async fn remove(db: &mut DbConnection, row: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE rowid = $1")
        .bind(row)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Forgets every failure of `key`.
pub async fn forget(db: &mut DbConnection, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
        .bind(key)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Forgets failures older than the window.
pub async fn forget_before(db: &mut DbConnection, since: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
        .bind(since.to_rfc3339())
        .execute(&mut *db)
        .await?;
    Ok(())
}
