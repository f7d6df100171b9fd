//! Administration commands of the server binary: backup, accounts, roles, the
//! roster import and the commitments export. Each runs against the configured
//! database and prints what it did; a refusal says why, line by line.

use crate::auth::password;
use crate::error::ApiError;
use crate::store::directory::{self, Directory};
use crate::store::{accounts, commitments, cycles, enum_from_text, enum_text, StoreError};
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::org::{
    BranchKind, CadreRank, MemberCategory, OrgUnit, OrgUnitKind, Person, PersonRecord, Unit,
};
use chengnuo_domain::permission::Role;
use rand_core::{OsRng, RngCore};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;
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
pub async fn backup(db: &SqlitePool, path: &Path) -> Result<String, AdminError> {
    if path.exists() {
        return Err(AdminError::Refused(format!(
            "{} already exists; choose a new file",
            path.display()
        )));
    }
    crate::store::backup(db, path).await?;
    Ok(format!("backed up to {}", path.display()))
}

fn generated_password() -> String {
    let mut bytes = [0u8; 9];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

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

async fn insert_person(
    db: &mut SqliteConnection,
    name: &str,
    branch: OrgUnitId,
    category: MemberCategory,
    cadre: Option<CadreRank>,
    activist: bool,
    title: &str,
) -> Result<PersonId, AdminError> {
    let id = PersonId::new();
    let record = PersonRecord {
        person: Person {
            id,
            name: name.trim().to_owned(),
            branch,
            category,
            cadre_rank: cadre,
            is_activist: activist,
        },
        title: title.trim().to_owned(),
    };
    directory::insert_person(db, &record).await?;
    Ok(id)
}

async fn insert_account(
    db: &mut SqliteConnection,
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

async fn account_person(db: &mut SqliteConnection, login: &str) -> Result<PersonId, AdminError> {
    accounts::person_of(db, login)
        .await?
        .ok_or_else(|| AdminError::Refused(format!("no account has the login {login:?}")))
}

#[allow(clippy::too_many_arguments)]
pub async fn create_account(
    db: &SqlitePool,
    login: &str,
    name: &str,
    branch: &str,
    category: &str,
    cadre_rank: Option<&str>,
    title: &str,
    secret: Option<String>,
) -> Result<String, AdminError> {
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
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
    let person = insert_person(&mut tx, name, branch, category, cadre, false, title).await?;
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
    db: &SqlitePool,
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
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let person = account_person(&mut tx, login).await?;
    accounts::set_password(&mut tx, person, &password::hash(&secret)).await?;
    accounts::end_sessions_of(&mut tx, person, None).await?;
    tx.commit().await?;
    Ok(format!("password of {login} reset{shown}"))
}

pub async fn grant(
    db: &SqlitePool,
    login: &str,
    role: &str,
    unit: &str,
) -> Result<String, AdminError> {
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
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

/// One line of the roster file.
#[derive(Debug, serde::Deserialize)]
struct RosterLine {
    #[serde(rename = "type")]
    record: String,
    name: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    cadre_rank: String,
    #[serde(default)]
    activist: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    role: String,
}

/// Imports units and people in file order, in one transaction: every line is
/// checked, every error reported with its line number, and nothing is kept
/// unless all lines are right.
pub async fn import_roster(db: &SqlitePool, path: &Path) -> Result<String, AdminError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)?;
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let directory = Directory::load(&mut tx).await?;
    let mut units: HashMap<String, (OrgUnitId, OrgUnitKind)> = directory
        .units
        .values()
        .map(|u| (u.unit.name.clone(), (u.unit.id, u.unit.kind)))
        .collect();
    let mut errors = Vec::new();
    let mut passwords = Vec::new();
    let (mut unit_count, mut person_count) = (0, 0);
    for (index, line) in reader.deserialize::<RosterLine>().enumerate() {
        let number = index + 2; // the header is line 1
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                errors.push(format!("line {number}: {error}"));
                continue;
            }
        };
        let result = import_line(&mut tx, &mut units, &line).await;
        match result {
            Ok(Some(secret)) => {
                passwords.push(format!("{}\t{}", line.login, secret));
                person_count += 1;
            }
            Ok(None) if line.record == "unit" => unit_count += 1,
            Ok(None) => person_count += 1,
            Err(message) => errors.push(format!("line {number}: {message}")),
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Err(AdminError::Lines(errors.join("\n")));
    }
    tx.commit().await?;
    let mut report = format!("imported {unit_count} units and {person_count} people");
    if !passwords.is_empty() {
        report.push_str("\ninitial passwords (login, password):\n");
        report.push_str(&passwords.join("\n"));
    }
    Ok(report)
}

async fn import_line(
    db: &mut SqliteConnection,
    units: &mut HashMap<String, (OrgUnitId, OrgUnitKind)>,
    line: &RosterLine,
) -> Result<Option<String>, String> {
    if line.name.trim().is_empty() {
        return Err("the name is empty".into());
    }
    match line.record.as_str() {
        "unit" => {
            if units.contains_key(line.name.trim()) {
                return Err(format!("a unit named {:?} exists already", line.name));
            }
            let kind = match line.kind.as_str() {
                "School" => OrgUnitKind::School,
                "Committee" => OrgUnitKind::Committee,
                other => OrgUnitKind::Branch(parse_enum::<BranchKind>(
                    "kind",
                    other,
                    "School, Committee, Teaching, AdminService, Student, Retired",
                )?),
            };
            let parent = match line.parent.trim() {
                "" => None,
                parent => Some((
                    parent,
                    *units.get(parent).ok_or_else(|| {
                        format!("no unit named {parent:?} above it (list parents first)")
                    })?,
                )),
            };
            if !kind.may_be_under(parent.map(|(_, (_, parent_kind))| parent_kind)) {
                return Err(match (kind, parent) {
                    (OrgUnitKind::School, Some(_)) => "the school has no parent".into(),
                    (_, None) => "the parent is missing".into(),
                    (_, Some((parent, _))) => {
                        format!("a {} cannot be under {parent:?}", line.kind)
                    }
                });
            }
            let parent = parent.map(|(_, (id, _))| id);
            let short = if line.short_name.trim().is_empty() {
                line.name.trim()
            } else {
                line.short_name.trim()
            };
            let id = OrgUnitId::new();
            let unit = Unit {
                unit: OrgUnit {
                    id,
                    name: line.name.trim().to_owned(),
                    kind,
                    parent,
                },
                short_name: short.to_owned(),
            };
            directory::insert_unit(db, &unit)
                .await
                .map_err(|e| e.to_string())?;
            units.insert(line.name.trim().to_owned(), (id, kind));
            Ok(None)
        }
        "person" => {
            let (branch, kind) = *units
                .get(line.parent.trim())
                .ok_or_else(|| format!("no branch named {:?}", line.parent))?;
            if !matches!(kind, OrgUnitKind::Branch(_)) {
                return Err(format!("{:?} is not a branch", line.parent));
            }
            let category = parse_enum::<MemberCategory>(
                "category",
                &line.category,
                "Teacher, Staff, Retired, Student",
            )?;
            let cadre = match line.cadre_rank.trim() {
                "" => None,
                rank => Some(parse_enum::<CadreRank>(
                    "cadre rank",
                    rank,
                    "Section, Division, Bureau",
                )?),
            };
            let activist = matches!(line.activist.trim(), "yes" | "true" | "1" | "是");
            let person = insert_person(
                db,
                &line.name,
                branch,
                category,
                cadre,
                activist,
                &line.title,
            )
            .await
            .map_err(|e| e.to_string())?;
            let role = match line.role.trim() {
                "" => None,
                role => Some(parse_enum::<Role>(
                    "role",
                    role,
                    "BranchSecretary, CommitteeSecretary, Leader, Office",
                )?),
            };
            if let Some(role) = role {
                let unit = match role {
                    Role::CommitteeSecretary | Role::Leader => directory::parent_of(db, branch)
                        .await
                        .map_err(|e| e.to_string())?
                        .unwrap_or(branch),
                    Role::Office => units
                        .values()
                        .find(|(_, k)| *k == OrgUnitKind::School)
                        .map(|(id, _)| *id)
                        .unwrap_or(branch),
                    _ => branch,
                };
                directory::grant(db, person, role, unit)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            if line.login.trim().is_empty() {
                return Ok(None);
            }
            let secret = generated_password();
            insert_account(db, person, &line.login, &secret)
                .await
                .map_err(|e| e.to_string())?;
            Ok(Some(secret))
        }
        other => Err(format!("type {other:?} is neither unit nor person")),
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
pub async fn export_commitments(
    db: &SqlitePool,
    year: i32,
    path: &Path,
) -> Result<String, AdminError> {
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
pub async fn seed(db: &SqlitePool, members: usize, years: usize) -> Result<String, AdminError> {
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
