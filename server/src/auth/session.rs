//! Sessions: a 256-bit token from the operating system's CSPRNG, sent once in
//! a cookie and stored only as its SHA-256. A session ends after an idle
//! timeout, after an absolute lifetime, or at sign-out.

use crate::context::{ApiContext, SessionPolicy};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::store::{accounts, directory};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use chengnuo_domain::ids::PersonId;
use chengnuo_domain::org::PersonRecord;
use chengnuo_domain::permission::Actor;
use chrono::{DateTime, Duration, Utc};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "chengnuo_session";

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session; returns the `Set-Cookie` value.
pub async fn start(
    db: &mut DbConnection,
    policy: &SessionPolicy,
    person: PersonId,
    now: DateTime<Utc>,
) -> Result<HeaderValue, ApiError> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    accounts::start_session(db, &token_hash(&token), person, now).await?;
    cookie(policy, &token, policy.absolute.num_seconds())
}

/// A cookie that ends the session in the browser.
pub fn cleared_cookie(policy: &SessionPolicy) -> Result<HeaderValue, ApiError> {
    cookie(policy, "", 0)
}

fn cookie(policy: &SessionPolicy, token: &str, max_age: i64) -> Result<HeaderValue, ApiError> {
    let secure = if policy.secure_cookie { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .map_err(|e| ApiError::Internal(e.to_string()))
}

fn token_from(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// Ends every session of `person` but the one of `token` (a new password).
pub async fn end_others(
    db: &mut DbConnection,
    person: PersonId,
    token: &str,
) -> Result<(), ApiError> {
    Ok(accounts::end_sessions_of(db, person, Some(&token_hash(token))).await?)
}

pub async fn end(db: &mut DbConnection, token: &str) -> Result<(), ApiError> {
    Ok(accounts::end_session(db, &token_hash(token)).await?)
}

/// The signed-in person: a handler that takes it answers 401 to anyone else.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub person: PersonRecord,
    pub actor: Actor,
    pub token: String,
}

impl FromRequestParts<ApiContext> for SignedIn {
    type Rejection = ApiError;

    /// A person still holding a password the server made (a new account, a
    /// reset) is answered 403 `password_change_required` everywhere but
    /// where they change it, read who they are, or sign out
    /// ([`ChangingPassword`]).
    async fn from_request_parts(
        parts: &mut Parts,
        context: &ApiContext,
    ) -> Result<Self, Self::Rejection> {
        let (signed_in, must_change) = signed_in(parts, context).await?;
        if must_change {
            return Err(ApiError::PasswordChangeRequired);
        }
        Ok(signed_in)
    }
}

/// The signed-in person, whether or not they must still replace a one-time
/// password: only for `/auth/password`, `/me` and `/auth/logout`.
pub struct ChangingPassword(pub SignedIn);

impl FromRequestParts<ApiContext> for ChangingPassword {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        context: &ApiContext,
    ) -> Result<Self, Self::Rejection> {
        Ok(ChangingPassword(signed_in(parts, context).await?.0))
    }
}

/// The session's person, and whether their password is a one-time one.
async fn signed_in(parts: &Parts, context: &ApiContext) -> Result<(SignedIn, bool), ApiError> {
    let token = token_from(parts).ok_or(ApiError::Unauthorized)?;
    let now = Utc::now();
    let mut db = context.db.acquire().await?;
    let hash = token_hash(&token);
    let session = accounts::session(&mut db, &hash)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let policy = &context.sessions;
    if now - session.last_seen_at > policy.idle || now - session.created_at > policy.absolute {
        accounts::end_session(&mut db, &hash).await?;
        return Err(ApiError::Unauthorized);
    }
    // One write a minute at most keeps the idle clock right without a write per request.
    if now - session.last_seen_at > Duration::minutes(1) {
        accounts::touch_session(&mut db, &hash, now).await?;
    }
    let person_id = session.person;
    let person = directory::person(&mut db, person_id)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let actor = directory::actor(&mut db, person_id).await?;
    Ok((
        SignedIn {
            person,
            actor,
            token,
        },
        session.must_change_password,
    ))
}

/// The signed-in person if there is one; the public otherwise.
pub struct MaybeSignedIn(pub Option<SignedIn>);

impl MaybeSignedIn {
    pub fn actor(&self) -> Actor {
        self.0
            .as_ref()
            .map(|s| s.actor.clone())
            .unwrap_or_else(Actor::public)
    }
}

impl FromRequestParts<ApiContext> for MaybeSignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        context: &ApiContext,
    ) -> Result<Self, Self::Rejection> {
        match SignedIn::from_request_parts(parts, context).await {
            Ok(signed_in) => Ok(MaybeSignedIn(Some(signed_in))),
            // A one-time password still to change opens what is open to
            // everyone, as the public.
            Err(ApiError::Unauthorized | ApiError::PasswordChangeRequired) => {
                Ok(MaybeSignedIn(None))
            }
            Err(other) => Err(other),
        }
    }
}
