//! Accounts (a login and a password hash for a person) and their sessions
//! (stored only as the hash of the token the browser holds).

use crate::db::DbConnection;
use crate::store::{parse_id, StoreError};
use chengnuo_domain::ids::PersonId;
use chrono::{DateTime, Utc};

/// The person and password hash of a login that may sign in (none: no such
/// account, or it is disabled).
pub async fn credentials(
    db: &mut DbConnection,
    login: &str,
) -> Result<Option<(PersonId, String)>, StoreError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT person_id, password_hash FROM accounts WHERE login = $1 AND disabled_at IS NULL",
    )
    .bind(login.trim())
    .fetch_optional(&mut *db)
    .await?;
    row.map(|(person, hash)| Ok((parse_id(&person)?, hash)))
        .transpose()
}

/// The person with this login (disabled or not).
pub async fn person_of(db: &mut DbConnection, login: &str) -> Result<Option<PersonId>, StoreError> {
    let person: Option<String> =
        sqlx::query_scalar("SELECT person_id FROM accounts WHERE login = $1")
            .bind(login.trim())
            .fetch_optional(&mut *db)
            .await?;
    person.map(|p| parse_id(&p)).transpose()
}

/// Whether the person signed in with a password the server made.
pub async fn must_change_password(
    db: &mut DbConnection,
    person: PersonId,
) -> Result<bool, StoreError> {
    let flag: Option<i64> =
        sqlx::query_scalar("SELECT must_change_password FROM accounts WHERE person_id = $1")
            .bind(person.to_string())
            .fetch_optional(&mut *db)
            .await?;
    Ok(flag.unwrap_or(0) != 0)
}

/// A password the server made (the office's reset, a new account): the
/// person is asked to set their own at the next sign-in.
pub async fn set_one_time_password(
    db: &mut DbConnection,
    person: PersonId,
    password_hash: &str,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE accounts SET password_hash = $1, must_change_password = 1 WHERE person_id = $2",
    )
    .bind(password_hash)
    .bind(person.to_string())
    .execute(&mut *db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Disables (`Some(when)`) or enables (`None`) an account.
pub async fn set_disabled(
    db: &mut DbConnection,
    person: PersonId,
    at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE person_id = $2")
        .bind(at.map(|t| t.to_rfc3339()))
        .bind(person.to_string())
        .execute(&mut *db)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The login of a person's account.
pub async fn login_of(db: &mut DbConnection, person: PersonId) -> Result<String, StoreError> {
    sqlx::query_scalar("SELECT login FROM accounts WHERE person_id = $1")
        .bind(person.to_string())
        .fetch_optional(&mut *db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Opens an account; `StoreError::Exists` when the login is taken.
pub async fn create(
    db: &mut DbConnection,
    person: PersonId,
    login: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    // A taken login changes nothing and says so, without a failed statement
    // (PostgreSQL would abort the transaction, and a roster import goes on
    // to name every line's problem).
    let done = sqlx::query(
        "INSERT INTO accounts (person_id, login, password_hash, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(person.to_string())
    .bind(login.trim())
    .bind(password_hash)
    .bind(now.to_rfc3339())
    .execute(&mut *db)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Exists);
    }
    Ok(())
}

pub async fn set_password(
    db: &mut DbConnection,
    person: PersonId,
    password_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE accounts SET password_hash = $1, must_change_password = 0 WHERE person_id = $2",
    )
    .bind(password_hash)
    .bind(person.to_string())
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// A session as stored.
pub struct Session {
    pub person: PersonId,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// Signed in with a password the server made, not yet changed.
    pub must_change_password: bool,
}

pub async fn start_session(
    db: &mut DbConnection,
    token_hash: &str,
    person: PersonId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, person_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(person.to_string())
    .bind(now.to_rfc3339())
    .bind(now.to_rfc3339())
    .execute(&mut *db)
    .await?;
    Ok(())
}

pub async fn session(
    db: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<Session>, StoreError> {
    let row: Option<(String, String, String, Option<i64>)> = sqlx::query_as(
        "SELECT s.person_id, s.created_at, s.last_seen_at, a.must_change_password \
         FROM sessions s LEFT JOIN accounts a ON a.person_id = s.person_id \
         WHERE s.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *db)
    .await?;
    let time = |t: &str| {
        t.parse::<DateTime<Utc>>()
            .map_err(|e| StoreError::Corrupt(format!("session time {t:?}: {e}")))
    };
    row.map(|(person, created_at, last_seen_at, must_change)| {
        Ok(Session {
            person: parse_id(&person)?,
            created_at: time(&created_at)?,
            last_seen_at: time(&last_seen_at)?,
            must_change_password: must_change.unwrap_or(0) != 0,
        })
    })
    .transpose()
}

pub async fn touch_session(
    db: &mut DbConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now.to_rfc3339())
        .bind(token_hash)
        .execute(&mut *db)
        .await?;
    Ok(())
}

pub async fn end_session(db: &mut DbConnection, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Ends every session of `person`, but the one of `keep` when given.
pub async fn end_sessions_of(
    db: &mut DbConnection,
    person: PersonId,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND token_hash <> $2")
        .bind(person.to_string())
        .bind(keep.unwrap_or(""))
        .execute(&mut *db)
        .await?;
    Ok(())
}
