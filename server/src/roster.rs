//! The roster import (名册导入), for the office's screen and the command line:
//! the CSV read line by line in file order inside the caller's transaction,
//! each line checked against the tree's shape and the domain's names, every
//! refused line named with its number (`administration::RosterError`).
//! Nothing is kept unless every line is right: the caller commits only on
//! `Ok`. New accounts get a password made here, to be replaced by their
//! owner at the first sign-in.

use crate::auth::password;
use crate::db::DbConnection;
use crate::store::directory::{self, Directory};
use crate::store::{accounts, enum_from_text, StoreError};
use chengnuo_domain::administration::{
    OneTimePassword, RosterError, RosterImported, RosterProblem,
};
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::org::{
    BranchKind, CadreRank, MemberCategory, OrgUnit, OrgUnitKind, Person, PersonRecord, Unit,
};
use chengnuo_domain::permission::Role;
use rand_core::{OsRng, RngCore};
use std::collections::HashMap;

/// Why an import did not happen.
#[derive(Debug)]
pub enum ImportFailed {
    /// Lines of the file were refused; nothing was kept.
    Lines(Vec<RosterError>),
    Store(StoreError),
}

impl From<StoreError> for ImportFailed {
    fn from(error: StoreError) -> Self {
        ImportFailed::Store(error)
    }
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

/// A password the server makes: 18 hexadecimal digits (72 bits).
pub fn generated_password() -> String {
    let mut bytes = [0u8; 9];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A person of a branch (a member too, unless an activist).
pub async fn insert_person(
    db: &mut DbConnection,
    name: &str,
    branch: OrgUnitId,
    category: MemberCategory,
    cadre: Option<CadreRank>,
    activist: bool,
    title: &str,
) -> Result<PersonId, StoreError> {
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

/// An account with a password the server made, to be replaced at the first
/// sign-in; `StoreError::Exists` when the login is taken.
pub async fn insert_account_with_one_time_password(
    db: &mut DbConnection,
    person: PersonId,
    login: &str,
) -> Result<String, StoreError> {
    let secret = generated_password();
    let hash = password::hash_generated(&secret);
    accounts::create(db, person, login, &hash, chrono::Utc::now()).await?;
    accounts::set_one_time_password(db, person, &hash).await?;
    Ok(secret)
}

fn parse<T: serde::de::DeserializeOwned>(
    value: &str,
    problem: fn(String) -> RosterProblem,
) -> Result<T, RosterProblem> {
    enum_from_text::<T>(value.trim()).map_err(|_| problem(value.trim().to_owned()))
}

/// Reads the whole file and imports it in `db` (a transaction the caller
/// commits on `Ok` and rolls back otherwise).
pub async fn import(db: &mut DbConnection, file: &[u8]) -> Result<RosterImported, ImportFailed> {
    // A spreadsheet's "CSV UTF-8" starts with a byte-order mark.
    let file = file.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(file);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(file);
    let directory = Directory::load(db).await?;
    let mut units: HashMap<String, (OrgUnitId, OrgUnitKind)> = directory
        .units
        .values()
        .map(|u| (u.unit.name.clone(), (u.unit.id, u.unit.kind)))
        .collect();
    let mut errors = Vec::new();
    let mut imported = RosterImported {
        units: 0,
        people: 0,
        passwords: Vec::new(),
    };
    let mut lines = 0;
    for (index, line) in reader.deserialize::<RosterLine>().enumerate() {
        lines += 1;
        let number = index + 2; // the header is line 1
        let line = match line {
            Ok(line) => line,
            Err(error) => {
                let why = match error.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
                    _ => error.to_string(),
                };
                errors.push(RosterError {
                    line: number,
                    problem: RosterProblem::Unreadable(why),
                });
                continue;
            }
        };
        match import_line(db, &mut units, &line).await {
            Ok(Some(password)) => {
                imported.people += 1;
                imported.passwords.push(OneTimePassword {
                    login: line.login.trim().to_owned(),
                    password,
                });
            }
            Ok(None) if line.record.trim() == "unit" => imported.units += 1,
            Ok(None) => imported.people += 1,
            Err(Refused::Line(problem)) => errors.push(RosterError {
                line: number,
                problem,
            }),
            Err(Refused::Store(error)) => return Err(error.into()),
        }
    }
    if lines == 0 {
        errors.push(RosterError {
            line: 2,
            problem: RosterProblem::Empty,
        });
    }
    if errors.is_empty() {
        Ok(imported)
    } else {
        Err(ImportFailed::Lines(errors))
    }
}

enum Refused {
    Line(RosterProblem),
    Store(StoreError),
}

impl From<RosterProblem> for Refused {
    fn from(problem: RosterProblem) -> Self {
        Refused::Line(problem)
    }
}

impl From<StoreError> for Refused {
    fn from(error: StoreError) -> Self {
        Refused::Store(error)
    }
}

async fn import_line(
    db: &mut DbConnection,
    units: &mut HashMap<String, (OrgUnitId, OrgUnitKind)>,
    line: &RosterLine,
) -> Result<Option<String>, Refused> {
    let name = line.name.trim();
    if name.is_empty() {
        return Err(RosterProblem::EmptyName.into());
    }
    // The same bound as the office's form: nothing longer reaches the
    // database (a page, a workbook, a printed form).
    let max = chengnuo_domain::administration::NAME_MAX;
    if [&line.name, &line.short_name, &line.title, &line.login]
        .iter()
        .any(|text| text.trim().chars().count() > max)
    {
        return Err(RosterProblem::NameTooLong { max }.into());
    }
    match line.record.trim() {
        "unit" => {
            if units.contains_key(name) {
                return Err(RosterProblem::UnitExists(name.to_owned()).into());
            }
            let kind = match line.kind.trim() {
                "School" => OrgUnitKind::School,
                "Committee" => OrgUnitKind::Committee,
                other => {
                    OrgUnitKind::Branch(parse::<BranchKind>(other, RosterProblem::UnknownKind)?)
                }
            };
            let parent = match line.parent.trim() {
                "" => None,
                parent => Some((
                    parent,
                    *units
                        .get(parent)
                        .ok_or_else(|| RosterProblem::UnknownParent(parent.to_owned()))?,
                )),
            };
            if !kind.may_be_under(parent.map(|(_, (_, parent_kind))| parent_kind)) {
                return Err(match (kind, parent) {
                    (OrgUnitKind::School, Some(_)) => RosterProblem::SchoolHasParent,
                    (_, None) => RosterProblem::ParentMissing,
                    (_, Some((parent, _))) => RosterProblem::WrongParent {
                        kind: line.kind.trim().to_owned(),
                        parent: parent.to_owned(),
                    },
                }
                .into());
            }
            let short = match line.short_name.trim() {
                "" => name,
                short => short,
            };
            let id = OrgUnitId::new();
            let unit = Unit {
                unit: OrgUnit {
                    id,
                    name: name.to_owned(),
                    kind,
                    parent: parent.map(|(_, (id, _))| id),
                },
                short_name: short.to_owned(),
            };
            directory::insert_unit(db, &unit).await?;
            units.insert(name.to_owned(), (id, kind));
            Ok(None)
        }
        "person" => {
            let parent = line.parent.trim();
            let (branch, kind) = *units
                .get(parent)
                .ok_or_else(|| RosterProblem::UnknownBranch(parent.to_owned()))?;
            if !matches!(kind, OrgUnitKind::Branch(_)) {
                return Err(RosterProblem::NotABranch(parent.to_owned()).into());
            }
            let category: MemberCategory = parse(&line.category, RosterProblem::UnknownCategory)?;
            let cadre = match line.cadre_rank.trim() {
                "" => None,
                rank => Some(parse::<CadreRank>(rank, RosterProblem::UnknownRank)?),
            };
            let role = match line.role.trim() {
                "" => None,
                role => Some(parse::<Role>(role, RosterProblem::UnknownRole)?),
            };
            let activist = matches!(line.activist.trim(), "yes" | "true" | "1" | "是");
            let person =
                insert_person(db, name, branch, category, cadre, activist, &line.title).await?;
            if let Some(role) = role {
                let unit = match role {
                    Role::CommitteeSecretary | Role::Leader => {
                        directory::parent_of(db, branch).await?.unwrap_or(branch)
                    }
                    Role::Office => units
                        .values()
                        .find(|(_, k)| *k == OrgUnitKind::School)
                        .map(|(id, _)| *id)
                        .unwrap_or(branch),
                    _ => branch,
                };
                directory::grant(db, person, role, unit).await?;
            }
            let login = line.login.trim();
            if login.is_empty() {
                return Ok(None);
            }
            match insert_account_with_one_time_password(db, person, login).await {
                Ok(secret) => Ok(Some(secret)),
                Err(StoreError::Exists) => Err(RosterProblem::LoginTaken(login.to_owned()).into()),
                Err(error) => Err(error.into()),
            }
        }
        other => Err(RosterProblem::UnknownType(other.to_owned()).into()),
    }
}
