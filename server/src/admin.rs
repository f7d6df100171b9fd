//! Administration commands of the server binary: backup, accounts, roles, the
//! roster import and the commitments export. Each runs against the configured
//! database and prints what it did; a refusal says why, line by line.

use crate::auth::password;
use crate::db::{DbConnection, DbPool};
use crate::error::ApiError;
use crate::store::directory::{self, Directory};
use crate::store::{accounts, commitments, cycles, enum_from_text, enum_text, StoreError};
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::org::{CadreRank, MemberCategory, OrgUnitKind};
use chengnuo_domain::permission::Role;
use std::path::Path;

/// A refusal of an administration command, for a person at a terminal.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    Refused(String),
    #[error("the CSV file has errors; nothing was imported:\n{0}")]
    Lines(String),
    #[error("{0}")]
    Api(#[from] ApiError),
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Csv(#[from] csv::Error),
}

/// `VACUUM INTO`: a consistent copy while the server keeps running.
pub async fn backup(db: &DbPool, path: &Path) -> Result<String, AdminError> {
    if path.exists() {
        return Err(AdminError::Refused(format!(
            "{} already exists; choose a new file",
            path.display()
        )));
    }
    if crate::db::Backend::of_pool(db) == crate::db::Backend::Postgres {
        return Err(AdminError::Refused(
            "a PostgreSQL database is backed up with pg_dump (or the provider's snapshots), \
             not by the server: see README"
                .to_owned(),
        ));
    }
    crate::store::backup(db, path).await?;
    Ok(format!("backed up to {}", path.display()))
}

use crate::roster::generated_password;

fn unit_by_name(directory: &Directory, name: &str) -> Result<OrgUnitId, AdminError> {
    directory
        .units
        .values()
        .find(|u| u.unit.name == name.trim())
        .map(|u| u.unit.id)
        .ok_or_else(|| AdminError::Refused(format!("no unit is named {name:?}")))
}

fn parse_enum<T: serde::de::DeserializeOwned>(
    what: &str,
    value: &str,
    allowed: &str,
) -> Result<T, String> {
    enum_from_text::<T>(value.trim())
        .map_err(|_| format!("{what} {value:?} is not one of {allowed}"))
}

async fn insert_account(
    db: &mut DbConnection,
    person: PersonId,
    login: &str,
    secret: &str,
) -> Result<(), AdminError> {
    match accounts::create(
        db,
        person,
        login,
        &password::hash(secret),
        chrono::Utc::now(),
    )
    .await
    {
        Err(StoreError::Exists) => {
            Err(AdminError::Refused(format!("the login {login:?} is taken")))
        }
        other => Ok(other?),
    }
}

async fn account_person(db: &mut DbConnection, login: &str) -> Result<PersonId, AdminError> {
    accounts::person_of(db, login)
        .await?
        .ok_or_else(|| AdminError::Refused(format!("no account has the login {login:?}")))
}

#[allow(clippy::too_many_arguments)]
pub async fn create_account(
    db: &DbPool,
    login: &str,
    name: &str,
    branch: &str,
    category: &str,
    cadre_rank: Option<&str>,
    title: &str,
    secret: Option<String>,
) -> Result<String, AdminError> {
    let mut tx = crate::db::begin_write(db).await?;
    let directory = Directory::load(&mut tx).await?;
    let branch = unit_by_name(&directory, branch)?;
    if !matches!(
        directory.unit(branch).map(|u| u.unit.kind),
        Some(OrgUnitKind::Branch(_))
    ) {
        return Err(AdminError::Refused(
            "people belong to a branch (党支部)".into(),
        ));
    }
    let category: MemberCategory =
        parse_enum("category", category, "Teacher, Staff, Retired, Student")
            .map_err(AdminError::Refused)?;
    let cadre: Option<CadreRank> = cadre_rank
        .map(|c| parse_enum("cadre rank", c, "Section, Division, Bureau"))
        .transpose()
        .map_err(AdminError::Refused)?;
    let person =
        crate::roster::insert_person(&mut tx, name, branch, category, cadre, false, title).await?;
    let (secret, shown) = match secret {
        Some(secret) => (checked(secret)?, String::new()),
        None => {
            let secret = generated_password();
            (secret.clone(), format!(", initial password {secret}"))
        }
    };
    insert_account(&mut tx, person, login, &secret).await?;
    tx.commit().await?;
    Ok(format!("created {name} ({login}){shown}"))
}

/// A password given on the command line meets the same rule as one chosen in the app.
fn checked(secret: String) -> Result<String, AdminError> {
    chengnuo_domain::account::NewPassword::parse(&secret, "password")
        .map(|_| secret)
        .map_err(|errors| {
            AdminError::Refused(
                errors
                    .0
                    .iter()
                    .map(|e| e.message.text(chengnuo_domain::Locale::En))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
}

pub async fn reset_password(
    db: &DbPool,
    login: &str,
    secret: Option<String>,
) -> Result<String, AdminError> {
    let (secret, shown) = match secret {
        Some(secret) => (checked(secret)?, String::new()),
        None => {
            let secret = generated_password();
            (secret.clone(), format!(": new password {secret}"))
        }
    };
    let mut tx = crate::db::begin_write(db).await?;
    let person = account_person(&mut tx, login).await?;
    accounts::set_password(&mut tx, person, &password::hash(&secret)).await?;
    accounts::end_sessions_of(&mut tx, person, None).await?;
    tx.commit().await?;
    Ok(format!("password of {login} reset{shown}"))
}

pub async fn grant(db: &DbPool, login: &str, role: &str, unit: &str) -> Result<String, AdminError> {
    let mut tx = crate::db::begin_write(db).await?;
    let directory = Directory::load(&mut tx).await?;
    let unit_id = unit_by_name(&directory, unit)?;
    let role: Role = parse_enum(
        "role",
        role,
        "Member, BranchSecretary, CommitteeSecretary, Leader, Office",
    )
    .map_err(AdminError::Refused)?;
    let person = account_person(&mut tx, login).await?;
    directory::grant(&mut tx, person, role, unit_id).await?;
    tx.commit().await?;
    Ok(format!("{login} is now {} of {unit}", enum_text(&role)))
}

/// Imports units and people in file order, in one transaction: every line is
/// checked, every error reported with its line number, and nothing is kept
/// unless all lines are right (`crate::roster`).
pub async fn import_roster(db: &DbPool, path: &Path) -> Result<String, AdminError> {
    let file = std::fs::read(path)?;
    let mut tx = crate::db::begin_write(db).await?;
    match crate::roster::import(&mut tx, &file).await {
        Ok(imported) => {
            tx.commit().await?;
            let mut report = format!(
                "imported {} units and {} people",
                imported.units, imported.people
            );
            if !imported.passwords.is_empty() {
                report.push_str(
                    "\ninitial passwords (login, password; each is replaced at the first sign-in):\n",
                );
                let lines: Vec<String> = imported
                    .passwords
                    .iter()
                    .map(|p| format!("{}\t{}", p.login, p.password))
                    .collect();
                report.push_str(&lines.join("\n"));
            }
            Ok(report)
        }
        Err(crate::roster::ImportFailed::Lines(errors)) => {
            tx.rollback().await?;
            let lines: Vec<String> = errors
                .iter()
                .map(|e| e.text(chengnuo_domain::Locale::En))
                .collect();
            Err(AdminError::Lines(lines.join("\n")))
        }
        Err(crate::roster::ImportFailed::Store(error)) => Err(error.into()),
    }
}

/// A cell a spreadsheet will not take for a formula (OWASP, CSV injection):
/// text beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading apostrophe; everything else is written as it is.
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// One row per item of every commitment of the cycle.
pub async fn export_commitments(db: &DbPool, year: i32, path: &Path) -> Result<String, AdminError> {
    let mut conn = db.acquire().await?;
    let cycle = cycles::all(&mut conn)
        .await?
        .into_iter()
        .map(|(c, _)| c)
        .find(|c| c.year == year)
        .ok_or_else(|| AdminError::Refused(format!("no cycle starts in {year}")))?;
    let directory = Directory::load(&mut conn).await?;
    let school = directory
        .units
        .values()
        .find(|u| u.unit.kind == OrgUnitKind::School)
        .ok_or_else(|| AdminError::Refused("there is no school unit yet".into()))?;
    let office = chengnuo_domain::permission::Actor::office_of(school.unit.id);
    let stored = commitments::visible(
        &mut conn,
        &commitments::Scope::of(&office, &directory),
        Some(cycle.id),
    )
    .await?;
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record([
        "number",
        "committer",
        "committee",
        "state",
        "item",
        "area",
        "content",
        "measures",
        "deadline",
        "target",
        "practical_deed",
    ])?;
    let mut rows = 0;
    for stored in &stored {
        let dossier = &stored.dossier;
        let name = directory::committer_name(&mut conn, &directory, dossier.committer).await?;
        let committee = dossier
            .ancestry
            .unit()
            .and_then(|u| directory.committee_of(u))
            .map(|c| c.unit.name.clone())
            .unwrap_or_default();
        for (index, item) in dossier.draft.items.iter().enumerate() {
            let record = [
                dossier.number.clone().unwrap_or_default(),
                name.clone(),
                committee.clone(),
                enum_text(&dossier.state),
                (index + 1).to_string(),
                item.area.clone(),
                item.content.clone(),
                item.measures.clone(),
                item.deadline.clone(),
                item.target.clone(),
                if item.practical_deed {
                    "yes".into()
                } else {
                    String::new()
                },
            ];
            writer.write_record(
                record
                    .iter()
                    .map(|cell| spreadsheet_safe(cell).into_owned()),
            )?;
            rows += 1;
        }
    }
    writer.flush()?;
    Ok(format!(
        "exported {} commitments ({rows} items) of {} to {}",
        stored.len(),
        cycle.name,
        path.display()
    ))
}

/// Fills an empty database with a school of `members` people and `years`
/// cycles (the current one included).
pub async fn seed(db: &DbPool, members: usize, years: usize) -> Result<String, AdminError> {
    let size = crate::demo::school::SchoolSize {
        members,
        years,
        units: None,
    };
    let started = std::time::Instant::now();
    let seeded = crate::demo::school::seed(db, size, chrono::Utc::now())
        .await
        .map_err(|e| AdminError::Refused(e.to_string()))?;
    Ok(format!("seeded in {:.1?}: {seeded}", started.elapsed()))
}
