//! Sign-in, sign-out, and who am I.

use crate::auth::session::{self, MaybeSignedIn, SignedIn};
use crate::auth::{password, rate_limit};
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::startup::ApiContext;
use crate::store::directory::{self, PersonRecord, Unit};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::permission::RoleGrant;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    login: String,
    password: String,
}

/// The signed-in person, their unit, roles and scope.
/// The signed-in person, their units, roles and scope.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    person: PersonRecord,
    login: String,
    branch: Option<Unit>,
    committee: Option<Unit>,
    roles: Vec<RoleGrant>,
    /// The units whose subtrees the roles reach.
    scope: Vec<OrgUnitId>,
}

async fn me_of(context: &ApiContext, person: PersonId) -> Result<Me, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = directory::Directory::load(&mut db).await?;
    let record = directory::person(&mut db, person)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let roles = directory::grants(&mut db, person).await?;
    let login: String = sqlx::query_scalar("SELECT login FROM accounts WHERE person_id = ?")
        .bind(person.to_string())
        .fetch_one(&mut *db)
        .await?;
    let mut scope: Vec<OrgUnitId> = roles.iter().map(|g| g.unit).collect();
    scope.dedup();
    Ok(Me {
        branch: directory.unit(record.person.branch).cloned(),
        committee: directory.committee_of(record.person.branch).cloned(),
        person: record,
        login,
        roles,
        scope,
    })
}

/// Signs in: sets the session cookie and answers who signed in. Failed
/// attempts are limited per account and per address.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = Credentials,
    responses((status = 200, body = Me, headers(("set-cookie" = String, description = "The session cookie"))), Refusals))]
async fn login(
    State(context): State<ApiContext>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<Response, ApiError> {
    let now = Utc::now();
    let keys = [
        (
            rate_limit::account_key(&credentials.login),
            rate_limit::PER_ACCOUNT,
        ),
        (
            rate_limit::address_key(&address.ip().to_string()),
            rate_limit::PER_ADDRESS,
        ),
    ];
    let mut db = context.db.acquire().await?;
    rate_limit::check(&mut db, &keys, now).await?;
    let account: Option<(String, String)> =
        sqlx::query_as("SELECT person_id, password_hash FROM accounts WHERE login = ?")
            .bind(credentials.login.trim())
            .fetch_optional(&mut *db)
            .await?;
    let password = credentials.password;
    let verified = match account {
        Some((person, stored)) => {
            let ok = tokio::task::spawn_blocking(move || password::verify(&password, &stored))
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            ok.then_some(person)
        }
        None => {
            tokio::task::spawn_blocking(move || password::verify_nothing(&password))
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            None
        }
    };
    let Some(person) = verified else {
        rate_limit::record_failure(&mut db, &keys, now).await?;
        return Err(ApiError::BadCredentials);
    };
    rate_limit::forget(&mut db, &keys[0].0).await?;
    let person: PersonId = crate::store::parse_id(&person)?;
    let cookie = session::start(&mut db, &context.sessions, person, now).await?;
    drop(db);
    let me = me_of(&context, person).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// Ends the session on the server and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out"), Refusals))]
async fn logout(
    State(context): State<ApiContext>,
    MaybeSignedIn(signed_in): MaybeSignedIn,
) -> Result<Response, ApiError> {
    if let Some(signed_in) = signed_in {
        let mut db = context.db.acquire().await?;
        session::end(&mut db, &signed_in.token).await?;
    }
    let cookie = session::cleared_cookie(&context.sessions)?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// The signed-in person.
#[utoipa::path(get, path = "/me", tag = "auth", security(("session" = [])),
    responses((status = 200, body = Me), Refusals))]
async fn me(State(context): State<ApiContext>, signed_in: SignedIn) -> Result<Json<Me>, ApiError> {
    Ok(Json(me_of(&context, signed_in.person.person.id).await?))
}
