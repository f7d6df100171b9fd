//! Sign-in, sign-out, and who am I.

use crate::auth::session::{self, ChangingPassword};
use crate::auth::{password, rate_limit};
use crate::client_address::ClientAddress;
use crate::context::ApiContext;
use crate::db;
use crate::db::DbPool;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::store::{accounts, audit, directory};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chengnuo_domain::account::Me;
use chengnuo_domain::account::{Credentials, PasswordChange};
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::messages::{Message, ValidationErrors};
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(change_password))
        .routes(routes!(logout))
        .routes(routes!(me))
}

async fn me_of(context: &ApiContext, person: PersonId) -> Result<Me, ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let record = directory::person(&mut db, person)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let roles = directory::grants(&mut db, person).await?;
    let login = accounts::login_of(&mut db, person).await?;
    let mut scope: Vec<OrgUnitId> = roles.iter().map(|g| g.unit).collect();
    scope.dedup();
    Ok(Me {
        branch: directory.unit(record.person.branch).cloned(),
        committee: directory.committee_of(record.person.branch).cloned(),
        person: record,
        login,
        roles,
        scope,
        must_change_password: accounts::must_change_password(&mut db, person).await?,
    })
}

/// The password stored for a login (none: no such account), checked off the
/// async threads (argon2 is slow on purpose); an unknown login costs the same.
async fn verify(db: &DbPool, login: &str, password: String) -> Result<Option<PersonId>, ApiError> {
    let account = accounts::credentials(&mut *db.acquire().await?, login).await?;
    let verified = match account {
        Some((person, stored)) => password::checked(move || password::verify(&password, &stored))
            .await?
            .then_some(person),
        None => {
            password::checked(move || password::verify_nothing(&password)).await?;
            None
        }
    };
    Ok(verified)
}

/// Signs in: sets the session cookie and answers who signed in. Failed
/// attempts are limited per address, and slowed down per account.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = Credentials,
    responses((status = 200, body = Me, headers(("set-cookie" = String, description = "The session cookie"))), Refusals))]
async fn login(
    State(context): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    ApiJson(credentials): ApiJson<Credentials>,
) -> Result<Response, ApiError> {
    // Nothing longer than anyone's login or password is stored or hashed.
    credentials.check()?;
    let now = Utc::now();
    let attempt = rate_limit::attempt(
        &context.db,
        &credentials.login,
        &ClientAddress(address).counted_as(),
        now,
    )
    .await?;
    if !attempt.delay.is_zero() {
        tokio::time::sleep(attempt.delay).await;
    }
    let Some(person) = verify(&context.db, &credentials.login, credentials.password).await? else {
        // The attempt stays counted, as a failure.
        rate_limit::failed(&context.db, attempt).await?;
        return Err(ApiError::BadCredentials);
    };
    rate_limit::succeeded(&context.db, attempt).await?;
    let cookie = db::write(&context.db, async |tx| {
        session::start(&mut *tx, &context.sessions, person, now).await
    })
    .await?;
    let me = me_of(&context, person).await?;
    Ok(([(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// Changes the signed-in person's password: the current one, and the new one
/// (at least 10 characters) twice. Every other session of theirs ends.
#[utoipa::path(post, path = "/auth/password", tag = "auth", security(("session" = [])),
    request_body = PasswordChange,
    responses((status = 204, description = "Changed; other sessions ended"), Refusals))]
async fn change_password(
    State(context): State<ApiContext>,
    ClientAddress(address): ClientAddress,
    ChangingPassword(signed_in): ChangingPassword,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let new = change.parse()?;
    let person = signed_in.person.person.id;
    let login = accounts::login_of(&mut *context.db.acquire().await?, person).await?;
    let now = Utc::now();
    // Guessing the current password is limited like signing in.
    let attempt = rate_limit::attempt(
        &context.db,
        &login,
        &ClientAddress(address).counted_as(),
        now,
    )
    .await?;
    if !attempt.delay.is_zero() {
        tokio::time::sleep(attempt.delay).await;
    }
    if verify(&context.db, &login, change.current).await? != Some(person) {
        rate_limit::failed(&context.db, attempt).await?;
        let mut errors = ValidationErrors::default();
        errors.push("current", Message::WrongPassword);
        return Err(errors.into());
    }
    rate_limit::succeeded(&context.db, attempt).await?;
    let secret = new.as_str().to_owned();
    let hash = password::checked(move || password::hash(&secret)).await?;
    db::write(&context.db, async |tx| {
        accounts::set_password(&mut *tx, person, &hash).await?;
        session::end_others(&mut *tx, person, &signed_in.token).await?;
        Ok(audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: Some(person),
                action: AuditAction::ChangePassword,
                subject_type: "account",
                subject_id: person.to_string(),
                from_state: None,
                to_state: None,
                comment: None,
            },
        )
        .await?)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends the session on the server and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out"), Refusals))]
async fn logout(
    State(context): State<ApiContext>,
    signed_in: Result<ChangingPassword, ApiError>,
) -> Result<Response, ApiError> {
    // Anyone may sign out: with an ended session, or a password still to change.
    if let Ok(ChangingPassword(signed_in)) = signed_in {
        let mut db = context.db.acquire().await?;
        session::end(&mut db, &signed_in.token).await?;
    }
    let cookie = session::cleared_cookie(&context.sessions)?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// The signed-in person.
#[utoipa::path(get, path = "/me", tag = "auth", security(("session" = [])),
    responses((status = 200, body = Me), Refusals))]
async fn me(
    State(context): State<ApiContext>,
    ChangingPassword(signed_in): ChangingPassword,
) -> Result<Json<Me>, ApiError> {
    Ok(Json(me_of(&context, signed_in.person.person.id).await?))
}
