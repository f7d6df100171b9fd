//! The database behind the domain: each module reads and writes one kind of
//! record and converts between rows and the domain's types.
use crate::db::{DbConnection, DbPool};

pub mod accounts;
pub mod administration;
pub mod audit;
pub mod ballots;
pub mod board;
pub mod bulletins;
pub mod circulars;
pub mod commitments;
pub mod cycles;
pub mod directory;
mod error;
pub mod evaluation;
pub mod evidence;
pub mod feedback;
pub mod idempotency;
pub mod ledger;
pub mod reports;
pub mod sign_in_failures;
pub mod suggestions;
pub mod supervision;

pub use error::StoreError;

/// Answers when the database does (the health check).
pub async fn ping(db: &DbPool) -> Result<(), StoreError> {
    sqlx::query("SELECT 1").execute(db).await?;
    Ok(())
}

/// A consistent copy of the whole database into a new file (`VACUUM INTO`),
/// while the server keeps running.
pub async fn backup(db: &DbPool, path: &std::path::Path) -> Result<(), StoreError> {
    sqlx::query("VACUUM INTO $1")
        .bind(path.to_string_lossy().into_owned())
        .execute(db)
        .await?;
    Ok(())
}

/// Notes a fact about the installation (`app_meta`), e.g. when the demo was loaded.
pub async fn set_meta(db: &mut DbConnection, key: &str, value: &str) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(key)
        .bind(value)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// An enum stored as its serde name (`"Committee"`, `"Teaching"`...).
pub fn enum_text<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        other => panic!("not a unit enum: {other:?}"),
    }
}

/// The enum back from its serde name.
pub fn enum_from_text<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| StoreError::Corrupt(format!("stored value {text:?}: {e}")))
}

pub fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("stored id {text:?} is not a UUID")))
}

/// A day stored as `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<chrono::NaiveDate, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("stored day {text:?} is not a date")))
}

/// A committer as stored: `("unit" | "person", id)`.
pub fn committer_columns(
    committer: chengnuo_domain::commitment::Committer,
) -> (&'static str, String) {
    match committer {
        chengnuo_domain::commitment::Committer::Unit(unit) => ("unit", unit.to_string()),
        chengnuo_domain::commitment::Committer::Person(person) => ("person", person.to_string()),
    }
}
