//! The database: SQLite by default (WAL, and `synchronous=FULL` because the
//! client drops its copy of a change once the server acknowledged it).

use crate::startup::StartupError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::str::FromStr;
use std::time::Duration;

pub async fn connect(url: &str) -> Result<SqlitePool, StartupError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    if let Some(folder) = options.get_filename().parent() {
        if !folder.as_os_str().is_empty() {
            std::fs::create_dir_all(folder)?;
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// Ends a transaction by its result: committed on success, rolled back at once
/// on a refusal (a transaction left to roll back on drop would hold SQLite's
/// write lock until its connection is used again).
pub async fn finish<T>(
    tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    result: Result<T, crate::error::ApiError>,
) -> Result<T, crate::error::ApiError> {
    match result {
        Ok(value) => {
            tx.commit().await?;
            Ok(value)
        }
        Err(error) => {
            tx.rollback().await?;
            Err(error)
        }
    }
}
