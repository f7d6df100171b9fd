//! Failed sign-ins are limited per account and per address within a window;
//! kept in the database so a restart does not reset them.

use crate::error::ApiError;
use chrono::{DateTime, Duration, Utc};
use sqlx::SqliteConnection;

pub const WINDOW_MINUTES: i64 = 15;
pub const PER_ACCOUNT: i64 = 5;
pub const PER_ADDRESS: i64 = 20;

pub fn account_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// Refuses when either key has had too many failures in the window.
pub async fn check(
    db: &mut SqliteConnection,
    keys: &[(String, i64)],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let since = (now - Duration::minutes(WINDOW_MINUTES)).to_rfc3339();
    for (key, limit) in keys {
        let (count, oldest): (i64, Option<String>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM sign_in_failures WHERE key = ? AND at > ?",
        )
        .bind(key)
        .bind(&since)
        .fetch_one(&mut *db)
        .await?;
        if count >= *limit {
            let oldest: DateTime<Utc> = oldest.and_then(|t| t.parse().ok()).unwrap_or(now);
            let free_at = oldest + Duration::minutes(WINDOW_MINUTES);
            let minutes = ((free_at - now).num_seconds() + 59) / 60;
            return Err(ApiError::TooManyAttempts {
                retry_after_minutes: minutes.max(1),
            });
        }
    }
    Ok(())
}

pub async fn record_failure(
    db: &mut SqliteConnection,
    keys: &[(String, i64)],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    for (key, _) in keys {
        sqlx::query("INSERT INTO sign_in_failures (key, at) VALUES (?, ?)")
            .bind(key)
            .bind(now.to_rfc3339())
            .execute(&mut *db)
            .await?;
    }
    sqlx::query("DELETE FROM sign_in_failures WHERE at < ?")
        .bind((now - Duration::minutes(WINDOW_MINUTES)).to_rfc3339())
        .execute(&mut *db)
        .await?;
    Ok(())
}

pub async fn forget(db: &mut SqliteConnection, key: &str) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = ?")
        .bind(key)
        .execute(&mut *db)
        .await?;
    Ok(())
}
