//! What can go wrong in the store, in the store's terms. The routes turn it
//! into an HTTP answer (`error.rs`); the store knows nothing of HTTP.

/// A failed read or write.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another writer held the database longer than we waited (retry).
    #[error("the database is busy")]
    Busy,
    /// Two writers raced to create the same record; the other one won.
    #[error("it exists already")]
    Exists,
    /// What was asked for is not stored.
    #[error("not found")]
    NotFound,
    /// A stored value does not read back (a bug or a damaged database).
    #[error("stored data: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            // SQLITE_BUSY and SQLITE_LOCKED (and their extended codes);
            // PostgreSQL's serialization failure, deadlock, lock timeout.
            sqlx::Error::Database(db)
                if matches!(
                    db.code().as_deref(),
                    Some("5" | "6" | "261" | "262" | "517" | "40001" | "40P01" | "55P03")
                ) =>
            {
                StoreError::Busy
            }
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Exists,
            sqlx::Error::PoolTimedOut => StoreError::Busy,
            _ => StoreError::Database(error),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(error: serde_json::Error) -> Self {
        StoreError::Corrupt(error.to_string())
    }
}
