//! Failed sign-ins, limited within a window and kept in the database so a
//! restart does not reset them.
//!
//! - Per address (the client's, see `client_address`): at most
//!   `PER_ADDRESS` failures, then refused until the window has passed.
//! - Per account: after `PER_ACCOUNT` failures, an address that failed for
//!   this account is refused; any other address is slowed down (a delay that
//!   doubles with every further failure, up to `MAX_DELAY_SECONDS`) but not
//!   refused, so nobody can lock a person out by failing on purpose.
//!
//! Checking and counting an attempt are one step: an attempt takes its place
//! (rows counted as failures) in one write transaction before the password
//! is checked, and gives it back if the password was right. Attempts sent in
//! parallel cannot all slip through before the first one is counted.

use crate::db;
use crate::db::DbPool;
use crate::error::ApiError;
use crate::store::sign_in_failures as failures;
use chrono::{DateTime, Duration, Utc};

pub const WINDOW_MINUTES: i64 = 15;
pub const PER_ACCOUNT: i64 = 5;
pub const PER_ADDRESS: i64 = 20;
pub const MAX_DELAY_SECONDS: i64 = 30;

fn account_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

fn pair_key(login: &str, address: &str) -> String {
    format!("pair:{}|{address}", login.trim().to_lowercase())
}

/// An attempt's place among the counted failures, and how long it waits.
pub struct Attempt {
    rows: Vec<i64>,
    account: String,
    /// The wait before the password is checked (an account under attack).
    pub delay: std::time::Duration,
}

fn refused(oldest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> ApiError {
    let oldest = oldest.unwrap_or(now);
    let free_at = oldest + Duration::minutes(WINDOW_MINUTES);
    let minutes = ((free_at - now).num_seconds() + 59) / 60;
    ApiError::TooManyAttempts {
        retry_after_minutes: minutes.max(1),
    }
}

/// Takes a place for one attempt to sign in as `login` from `address`, or
/// refuses (429) when the limits say so.
pub async fn attempt(
    pool: &DbPool,
    login: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Attempt, ApiError> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let keys = [
        account_key(login),
        address_key(address),
        pair_key(login, address),
    ];
    db::write(pool, async |tx| {
        let (from_address, oldest) = failures::count(&mut *tx, &keys[1], since).await?;
        if from_address >= PER_ADDRESS {
            return Err(refused(oldest, now));
        }
        let (for_account, _) = failures::count(&mut *tx, &keys[0], since).await?;
        let (pair, oldest) = failures::count(&mut *tx, &keys[2], since).await?;
        let mut delay = std::time::Duration::ZERO;
        if for_account >= PER_ACCOUNT {
            if pair > 0 {
                return Err(refused(oldest, now));
            }
            let doublings = (for_account - PER_ACCOUNT).min(5) as u32;
            delay =
                std::time::Duration::from_secs((1u64 << doublings).min(MAX_DELAY_SECONDS as u64));
        }
        let mut rows = Vec::new();
        for key in &keys {
            rows.push(failures::record(&mut *tx, key, now).await?);
        }
        failures::forget_before(&mut *tx, since).await?;
        Ok(Attempt {
            rows,
            account: keys[0].clone(),
            delay,
        })
    })
    .await
}

/// The password was right: the attempt's place is given back, and the
/// account's failures are forgotten.
pub async fn succeeded(pool: &DbPool, attempt: Attempt) -> Result<(), ApiError> {
    db::write(pool, async |tx| {
        for row in &attempt.rows {
            failures::remove(&mut *tx, *row).await?;
        }
        failures::forget(&mut *tx, &attempt.account).await?;
        Ok(())
    })
    .await
}
