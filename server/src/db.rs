//! The database: SQLite by default (WAL, and `synchronous=FULL` because the
//! client drops its copy of a change once the server acknowledged it).

use crate::error::ApiError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqliteConnection, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub async fn connect(url: &str) -> Result<SqlitePool, ConnectError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(BUSY_WAIT);
    if let Some(folder) = options.get_filename().parent() {
        if !folder.as_os_str().is_empty() {
            std::fs::create_dir_all(folder)?;
        }
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // Waiting for a connection is waiting for the database: the same patience.
        .acquire_timeout(BUSY_WAIT * 2)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// How long a write waits for another to finish before the database is
/// called busy (SQLite's busy timeout; BEGIN IMMEDIATE waits this long).
pub const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Runs `work` in one write transaction and commits it when `work` succeeds,
/// rolls it back at once when it fails. The transaction takes SQLite's write
/// lock when it begins (`BEGIN IMMEDIATE`): a transaction that reads and
/// then writes never has to upgrade its lock while another writer holds it,
/// which SQLite refuses at once whatever the busy timeout. A writer that
/// waited `BUSY_WAIT` in vain gets `ApiError::Busy` (503, retry); a
/// transaction dropped unfinished would hold the lock until its connection
/// is used again, so it is always finished here. Every route that writes
/// goes through this.
pub async fn write<T>(
    pool: &SqlitePool,
    work: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let result = work(&mut tx).await;
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
