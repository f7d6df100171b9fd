//! Running the school from the browser (the campaign office only:
//! `Action::ManageAccounts`): the roster uploaded as the command line
//! imports it, the tree with its counts, the people of a unit and their
//! accounts — created, disabled, given a new one-time password — and their
//! roles granted and revoked. Every change is in the audit trail.

use crate::auth::password;
use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::db;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::roster::{self, ImportFailed};
use crate::store::administration;
use crate::store::{accounts, audit, StoreError};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chengnuo_domain::administration::{
    AccountLine, GrantChange, NewAccount, OneTimePassword, RosterImported, UnitCount,
};
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::org::OrgUnitKind;
use chengnuo_domain::permission::{can, Action, Target};
use chrono::Utc;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(import_roster))
        .routes(routes!(units))
        .routes(routes!(people))
        .routes(routes!(create_account))
        .routes(routes!(reset_password))
        .routes(routes!(disable))
        .routes(routes!(enable))
        .routes(routes!(grant))
        .routes(routes!(revoke))
}

fn office(signed_in: &SignedIn) -> Result<(), ApiError> {
    Ok(can(
        &signed_in.actor,
        Action::ManageAccounts,
        &Target::Campaign,
    )?)
}

async fn audited(
    db: &mut DbConnection,
    by: &SignedIn,
    action: AuditAction,
    subject_type: &str,
    subject_id: String,
    comment: Option<String>,
) -> Result<(), ApiError> {
    audit::record(
        db,
        audit::Record {
            at: Utc::now(),
            actor: Some(by.person.person.id),
            action,
            subject_type,
            subject_id,
            from_state: None,
            to_state: None,
            comment,
        },
    )
    .await?;
    Ok(())
}

/// The roster as a CSV file (UTF-8, the columns of `administration`):
/// imported whole, or not at all with every refused line named.
#[utoipa::path(post, path = "/admin/roster", tag = "administration", security(("session" = [])),
    request_body(content = String, content_type = "text/csv",
        description = "type,name,parent,kind,short_name,category,cadre_rank,activist,title,login,role"),
    responses((status = 201, body = RosterImported), Refusals))]
async fn import_roster(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    file: Bytes,
) -> Result<(StatusCode, Json<RosterImported>), ApiError> {
    office(&signed_in)?;
    let imported = db::write(&context.db, async |tx| {
        let imported = match roster::import(&mut *tx, &file).await {
            Ok(imported) => imported,
            Err(ImportFailed::Lines(lines)) => return Err(ApiError::Roster(lines)),
            Err(ImportFailed::Store(error)) => return Err(error.into()),
        };
        let summary = format!("{} units, {} people", imported.units, imported.people);
        audited(
            &mut *tx,
            &signed_in,
            AuditAction::ImportRoster,
            "roster",
            String::new(),
            Some(summary),
        )
        .await?;
        Ok(imported)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(imported)))
}

/// Every unit of the tree with its people and accounts counted.
#[utoipa::path(get, path = "/admin/units", tag = "administration", security(("session" = [])),
    responses((status = 200, body = Vec<UnitCount>), Refusals))]
async fn units(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
) -> Result<Json<Vec<UnitCount>>, ApiError> {
    office(&signed_in)?;
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    let counts = administration::unit_counts(&mut db).await?;
    let mut all: Vec<UnitCount> = directory
        .units
        .values()
        .map(|unit| {
            let (people, accounts) = counts.get(&unit.unit.id).copied().unwrap_or((0, 0));
            UnitCount {
                unit: unit.clone(),
                people,
                accounts,
            }
        })
        .collect();
    all.sort_by(|a, b| a.unit.unit.name.cmp(&b.unit.unit.name));
    Ok(Json(all))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    /// The unit whose people are listed.
    unit: OrgUnitId,
}

/// The people of a unit (its members, and whoever holds a role over it),
/// with their accounts and roles.
#[utoipa::path(get, path = "/admin/people", tag = "administration", security(("session" = [])),
    params(UnitQuery), responses((status = 200, body = Vec<AccountLine>), Refusals))]
async fn people(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Query(query): Query<UnitQuery>,
) -> Result<Json<Vec<AccountLine>>, ApiError> {
    office(&signed_in)?;
    let mut db = context.db.acquire().await?;
    let directory = context.directories.get(&mut db).await?;
    directory.unit(query.unit).ok_or(ApiError::NotFound)?;
    Ok(Json(
        administration::account_lines(&mut db, query.unit).await?,
    ))
}

/// A new person of a branch with an account; the password is made here,
/// shown once, and replaced by its owner at the first sign-in.
#[utoipa::path(post, path = "/admin/accounts", tag = "administration", security(("session" = [])),
    request_body = NewAccount, responses((status = 201, body = OneTimePassword), Refusals))]
async fn create_account(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    ApiJson(account): ApiJson<NewAccount>,
) -> Result<(StatusCode, Json<OneTimePassword>), ApiError> {
    office(&signed_in)?;
    account.check()?;
    let created = db::write(&context.db, async |tx| {
        let directory = context.directories.get(&mut *tx).await?;
        let unit = directory.unit(account.branch).ok_or(ApiError::NotFound)?;
        if !matches!(unit.unit.kind, OrgUnitKind::Branch(_)) {
            let mut errors = ValidationErrors::default();
            errors.push("branch", Message::BranchRequired);
            return Err(ApiError::NotNow(errors));
        }
        let person = roster::insert_person(
            &mut *tx,
            &account.name,
            account.branch,
            account.category,
            account.cadre_rank,
            false,
            &account.title,
        )
        .await?;
        let login = account.login.trim().to_owned();
        let secret =
            match roster::insert_account_with_one_time_password(&mut *tx, person, &login).await {
                Ok(secret) => secret,
                Err(StoreError::Exists) => {
                    let mut errors = ValidationErrors::default();
                    errors.push("login", Message::LoginTaken);
                    return Err(ApiError::NotNow(errors));
                }
                Err(error) => return Err(error.into()),
            };
        audited(
            &mut *tx,
            &signed_in,
            AuditAction::CreateAccount,
            "account",
            person.to_string(),
            Some(login.clone()),
        )
        .await?;
        Ok(OneTimePassword {
            login,
            password: secret,
        })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A new password made by the server, shown once; the person's sessions
/// end and they set their own at the next sign-in.
#[utoipa::path(post, path = "/admin/accounts/{person}/password", tag = "administration",
    security(("session" = [])), params(("person" = PersonId, Path)),
    responses((status = 200, body = OneTimePassword), Refusals))]
async fn reset_password(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(person): Path<PersonId>,
) -> Result<Json<OneTimePassword>, ApiError> {
    office(&signed_in)?;
    let secret = roster::generated_password();
    let hashed = secret.clone();
    let hash = tokio::task::spawn_blocking(move || password::hash_generated(&hashed))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let login = db::write(&context.db, async |tx| {
        let login = accounts::login_of(&mut *tx, person).await?;
        accounts::set_one_time_password(&mut *tx, person, &hash).await?;
        accounts::end_sessions_of(&mut *tx, person, None).await?;
        audited(
            &mut *tx,
            &signed_in,
            AuditAction::ResetPassword,
            "account",
            person.to_string(),
            None,
        )
        .await?;
        Ok(login)
    })
    .await?;
    Ok(Json(OneTimePassword {
        login,
        password: secret,
    }))
}

/// The school keeps a working office account: revoking its last Office
/// role, or disabling its last account holding one, is refused (409, said
/// at the role) — only the command line could repair it.
async fn keeps_an_office(
    db: &mut crate::db::DbConnection,
    person: PersonId,
    unit: Option<chengnuo_domain::ids::OrgUnitId>,
) -> Result<(), ApiError> {
    let holds = administration::other_working_offices(&mut *db, person, unit).await?;
    if holds == 0 {
        let mut errors = ValidationErrors::default();
        errors.push("role", Message::LastOffice);
        return Err(ApiError::NotNow(errors));
    }
    Ok(())
}

async fn set_disabled(
    context: &ApiContext,
    signed_in: &SignedIn,
    person: PersonId,
    disabled: bool,
) -> Result<StatusCode, ApiError> {
    office(signed_in)?;
    if !chengnuo_domain::administration::may_set_disabled(
        signed_in.person.person.id,
        person,
        disabled,
    ) {
        return Err(ApiError::Forbidden);
    }
    db::write(&context.db, async |tx| {
        let now = Utc::now();
        if disabled {
            keeps_an_office(&mut *tx, person, None).await?;
        }
        accounts::set_disabled(&mut *tx, person, disabled.then_some(now)).await?;
        if disabled {
            accounts::end_sessions_of(&mut *tx, person, None).await?;
        }
        let action = if disabled {
            AuditAction::DisableAccount
        } else {
            AuditAction::EnableAccount
        };
        audited(
            &mut *tx,
            signed_in,
            action,
            "account",
            person.to_string(),
            None,
        )
        .await
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disables an account: its sessions end and it cannot sign in.
#[utoipa::path(post, path = "/admin/accounts/{person}/disable", tag = "administration",
    security(("session" = [])), params(("person" = PersonId, Path)),
    responses((status = 204, description = "Disabled"), Refusals))]
async fn disable(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(person): Path<PersonId>,
) -> Result<StatusCode, ApiError> {
    set_disabled(&context, &signed_in, person, true).await
}

/// Enables a disabled account again.
#[utoipa::path(post, path = "/admin/accounts/{person}/enable", tag = "administration",
    security(("session" = [])), params(("person" = PersonId, Path)),
    responses((status = 204, description = "Enabled"), Refusals))]
async fn enable(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(person): Path<PersonId>,
) -> Result<StatusCode, ApiError> {
    set_disabled(&context, &signed_in, person, false).await
}

async fn change_grant(
    context: &ApiContext,
    signed_in: &SignedIn,
    change: GrantChange,
    granted: bool,
) -> Result<StatusCode, ApiError> {
    office(signed_in)?;
    db::write(&context.db, async |tx| {
        let directory = context.directories.get(&mut *tx).await?;
        let unit = directory.unit(change.unit).ok_or(ApiError::NotFound)?;
        crate::store::directory::person(&mut *tx, change.person)
            .await?
            .ok_or(ApiError::NotFound)?;
        if !GrantChange::fits(change.role, unit.unit.kind) {
            let mut errors = ValidationErrors::default();
            errors.push("unit", Message::RoleNotForUnit);
            return Err(ApiError::NotNow(errors));
        }
        let role = crate::store::enum_text(&change.role);
        if !granted && change.role == chengnuo_domain::permission::Role::Office {
            keeps_an_office(&mut *tx, change.person, Some(change.unit)).await?;
        }
        if granted {
            crate::store::directory::grant(&mut *tx, change.person, change.role, change.unit)
                .await?;
        } else {
            administration::revoke(&mut *tx, change.person, change.role, change.unit).await?;
        }
        let action = if granted {
            AuditAction::GrantRole
        } else {
            AuditAction::RevokeRole
        };
        audited(
            &mut *tx,
            signed_in,
            action,
            "person",
            change.person.to_string(),
            Some(format!("{role} {}", unit.unit.name)),
        )
        .await
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives a person a role over a unit (a secretary over their kind of unit,
/// a leader over a committee, the office over the school).
#[utoipa::path(post, path = "/admin/grants", tag = "administration", security(("session" = [])),
    request_body = GrantChange, responses((status = 204, description = "Granted"), Refusals))]
async fn grant(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    ApiJson(change): ApiJson<GrantChange>,
) -> Result<StatusCode, ApiError> {
    change_grant(&context, &signed_in, change, true).await
}

/// Takes a role away (404 when it was not held).
#[utoipa::path(post, path = "/admin/grants/revoke", tag = "administration", security(("session" = [])),
    request_body = GrantChange, responses((status = 204, description = "Revoked"), Refusals))]
async fn revoke(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    ApiJson(change): ApiJson<GrantChange>,
) -> Result<StatusCode, ApiError> {
    change_grant(&context, &signed_in, change, false).await
}
