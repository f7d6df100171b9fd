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
//!
//! For an address, an attempt under way is counted apart from a failure
//! (`pending:` rows, made failures when the password was wrong). Once its
//! failures and its attempts under way reach `PER_ADDRESS`, a further
//! attempt waits for those under way to end (then is refused if they
//! failed): a classroom behind one address signing in together takes
//! turns and is not refused, and still no more than `PER_ADDRESS` wrong
//! passwords from one address are ever checked in a window.

use crate::db;
use crate::db::DbPool;
use crate::error::ApiError;
use crate::store::sign_in_failures as failures;
use chrono::{DateTime, Duration, Utc};

pub const WINDOW_MINUTES: i64 = 15;
pub const PER_ACCOUNT: i64 = 5;
pub const PER_ADDRESS: i64 = 20;
pub const MAX_DELAY_SECONDS: i64 = 30;
/// How often an attempt waiting its turn looks again.
const TURN: std::time::Duration = std::time::Duration::from_millis(50);

fn account_key(login: &str) -> String {
    format!("login:{}", login.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

fn pending_key(address: &str) -> String {
    format!("pending:{address}")
}

fn pair_key(login: &str, address: &str) -> String {
    format!("pair:{}|{address}", login.trim().to_lowercase())
}

/// An attempt's place among the counted failures, and how long it waits.
pub struct Attempt {
    rows: Vec<i64>,
    /// The address's row of this attempt under way.
    pending: i64,
    address: String,
    at: DateTime<Utc>,
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

/// Takes a place for one attempt to sign in as `login` from `address`
/// (waiting, if need be, for the address's attempts under way), or refuses
/// (429) when the limits say so; 503 if the turn does not come within the
/// database's patience.
pub async fn attempt(
    pool: &DbPool,
    login: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Attempt, ApiError> {
    let give_up = tokio::time::Instant::now() + db::BUSY_WAIT;
    loop {
        if let Some(attempt) = try_attempt(pool, login, address, now).await? {
            return Ok(attempt);
        }
        if tokio::time::Instant::now() >= give_up {
            return Err(ApiError::Busy);
        }
        tokio::time::sleep(TURN).await;
    }
}

/// One look: a place, a refusal, or none yet (attempts under way first).
async fn try_attempt(
    pool: &DbPool,
    login: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Option<Attempt>, ApiError> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let keys = [
        account_key(login),
        address_key(address),
        pair_key(login, address),
    ];
    db::write(pool, async |tx| {
        let (from_address, oldest) = failures::count(&mut *tx, &keys[1], since).await?;
        // An attempt under way for more than a minute was abandoned (its
        // client went away): it holds nobody's turn.
        let abandoned = now - Duration::minutes(1);
        let (under_way, _) = failures::count(&mut *tx, &pending_key(address), abandoned).await?;
        if from_address >= PER_ADDRESS {
            return Err(refused(oldest, now));
        }
        if from_address + under_way >= PER_ADDRESS {
            return Ok(None);
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
        for key in [&keys[0], &keys[2]] {
            rows.push(failures::record(&mut *tx, key, now).await?);
        }
        let pending = failures::record(&mut *tx, &pending_key(address), now).await?;
        failures::forget_before(&mut *tx, since).await?;
        Ok(Some(Attempt {
            rows,
            pending,
            address: keys[1].clone(),
            at: now,
            account: keys[0].clone(),
            delay,
        }))
    })
    .await
}

/// The password was wrong: the address's attempt under way becomes one of
/// its failures (the account's and the pair's already are).
pub async fn failed(pool: &DbPool, attempt: Attempt) -> Result<(), ApiError> {
    db::write(pool, async |tx| {
        failures::remove(&mut *tx, attempt.pending).await?;
        failures::record(&mut *tx, &attempt.address, attempt.at).await?;
        Ok(())
    })
    .await
}

/// The password was right: the attempt's place is given back, and the
/// account's failures are forgotten.
pub async fn succeeded(pool: &DbPool, attempt: Attempt) -> Result<(), ApiError> {
    db::write(pool, async |tx| {
        for row in attempt.rows.iter().chain([&attempt.pending]) {
            failures::remove(&mut *tx, *row).await?;
        }
        failures::forget(&mut *tx, &attempt.account).await?;
        Ok(())
    })
    .await
}
