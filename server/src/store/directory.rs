//! The organization tree and its people: who someone is, which roles they
//! hold, and where a unit sits (its ancestry), for every permission check.

use crate::db::{DbConnection, DbRow};
use crate::store::StoreError;
use crate::store::{enum_from_text, enum_text, parse_id};
use chengnuo_domain::commitment::Numbering;
use chengnuo_domain::ids::{OrgUnitId, PersonId};
use chengnuo_domain::org::{
    Ancestry, BranchKind, OrgUnit, OrgUnitKind, Person, PersonRecord, Unit,
};
use chengnuo_domain::permission::{Actor, Role, RoleGrant};
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The directory kept in memory between requests: reloaded only when the
/// database's `directory_version` moved (every change of units, people or
/// roles bumps it, from this process or an administration command).
#[derive(Clone, Default)]
pub struct DirectoryCache(Arc<Mutex<Option<Versioned>>>);

/// The directory and the `directory_version` it was read at.
type Versioned = (i64, Arc<Directory>);

impl DirectoryCache {
    pub async fn get(&self, db: &mut DbConnection) -> Result<Arc<Directory>, StoreError> {
        let version: i64 = sqlx::query_scalar(
            "SELECT CAST(value AS BIGINT) FROM app_meta WHERE key = 'directory_version'",
        )
        .fetch_one(&mut *db)
        .await?;
        if let Some((cached, directory)) = &*self.0.lock().expect("not poisoned") {
            if *cached == version {
                return Ok(directory.clone());
            }
        }
        let directory = Arc::new(Directory::load(db).await?);
        *self.0.lock().expect("not poisoned") = Some((version, directory.clone()));
        Ok(directory)
    }
}

/// The whole tree, read at once (a university has a few dozen units).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    pub units: HashMap<OrgUnitId, Unit>,
}

impl Directory {
    pub async fn load(db: &mut DbConnection) -> Result<Directory, StoreError> {
        let rows =
            sqlx::query("SELECT id, name, short_name, kind, branch_kind, parent_id FROM org_units")
                .fetch_all(&mut *db)
                .await?;
        let mut units = HashMap::new();
        for row in rows {
            let id: OrgUnitId = parse_id(row.get::<&str, _>("id"))?;
            let kind = match (
                row.get::<&str, _>("kind"),
                row.get::<Option<&str>, _>("branch_kind"),
            ) {
                ("School", _) => OrgUnitKind::School,
                ("Committee", _) => OrgUnitKind::Committee,
                (_, Some(branch)) => OrgUnitKind::Branch(enum_from_text::<BranchKind>(branch)?),
                (other, None) => return Err(StoreError::Corrupt(format!("unit kind {other}"))),
            };
            let parent = row
                .get::<Option<&str>, _>("parent_id")
                .map(parse_id)
                .transpose()?;
            units.insert(
                id,
                Unit {
                    unit: OrgUnit {
                        id,
                        name: row.get("name"),
                        kind,
                        parent,
                    },
                    short_name: row.get("short_name"),
                },
            );
        }
        Ok(Directory { units })
    }

    pub fn unit(&self, id: OrgUnitId) -> Option<&Unit> {
        self.units.get(&id)
    }

    pub fn ancestry(&self, unit: OrgUnitId) -> Ancestry {
        Ancestry::of(unit, |u| self.units.get(&u).and_then(|u| u.unit.parent))
    }

    /// The committee a unit belongs to (itself if it is one).
    pub fn committee_of(&self, unit: OrgUnitId) -> Option<&Unit> {
        self.ancestry(unit)
            .0
            .into_iter()
            .filter_map(|u| self.units.get(&u))
            .find(|u| u.unit.kind == OrgUnitKind::Committee)
    }

    /// How the commitments of a unit are numbered in a cycle: by the short
    /// name of its committee, or of the unit itself above committees.
    pub fn numbering(&self, unit: Option<OrgUnitId>, year: i32) -> Numbering {
        let short = unit
            .and_then(|u| self.committee_of(u).or_else(|| self.unit(u)))
            .map(|u| u.short_name.as_str());
        Numbering::new(year, short)
    }

    /// The units directly under `parent`, by name.
    pub fn children(&self, parent: OrgUnitId) -> Vec<&Unit> {
        let mut children: Vec<&Unit> = self
            .units
            .values()
            .filter(|u| u.unit.parent == Some(parent))
            .collect();
        children.sort_by(|a, b| a.unit.name.cmp(&b.unit.name));
        children
    }
}

fn unit_kind_columns(kind: OrgUnitKind) -> (&'static str, Option<String>) {
    match kind {
        OrgUnitKind::School => ("School", None),
        OrgUnitKind::Committee => ("Committee", None),
        OrgUnitKind::Branch(branch) => ("Branch", Some(enum_text(&branch))),
    }
}

/// A person from a row holding `PERSON_COLUMNS` under their names.
pub fn person_from_row(row: &DbRow) -> Result<PersonRecord, StoreError> {
    Ok(PersonRecord {
        person: Person {
            id: parse_id(row.get::<&str, _>("id"))?,
            name: row.get("name"),
            branch: parse_id(row.get::<&str, _>("branch_id"))?,
            category: enum_from_text(row.get::<&str, _>("category"))?,
            cadre_rank: row
                .get::<Option<&str>, _>("cadre_rank")
                .map(enum_from_text)
                .transpose()?,
            is_activist: row.get::<i64, _>("is_activist") != 0,
        },
        title: row.get("title"),
    })
}

const PERSON_COLUMNS: &str = "id, name, branch_id, category, cadre_rank, is_activist, title";

pub async fn person(
    db: &mut DbConnection,
    id: PersonId,
) -> Result<Option<PersonRecord>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM persons WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *db)
    .await?;
    row.as_ref().map(person_from_row).transpose()
}

/// Everyone whose branch is inside `units`.
pub async fn people_in(
    db: &mut DbConnection,
    directory: &Directory,
    scope: &[OrgUnitId],
) -> Result<Vec<PersonRecord>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM persons ORDER BY name"
    ))
    .fetch_all(&mut *db)
    .await?;
    let mut people = Vec::new();
    for row in &rows {
        let record = person_from_row(row)?;
        let ancestry = directory.ancestry(record.person.branch);
        if scope.iter().any(|unit| ancestry.contains(*unit)) {
            people.push(record);
        }
    }
    Ok(people)
}

pub async fn grants(db: &mut DbConnection, person: PersonId) -> Result<Vec<RoleGrant>, StoreError> {
    let rows = sqlx::query(
        "SELECT role, unit_id FROM role_grants WHERE person_id = $1 ORDER BY role, unit_id",
    )
    .bind(person.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RoleGrant {
                role: enum_from_text::<Role>(row.get::<&str, _>("role"))?,
                unit: parse_id(row.get::<&str, _>("unit_id"))?,
            })
        })
        .collect()
}

pub async fn actor(db: &mut DbConnection, person: PersonId) -> Result<Actor, StoreError> {
    Ok(Actor {
        person: Some(person),
        grants: grants(db, person).await?,
    })
}

/// Adds a unit to the tree (its parent stored before it).
pub async fn insert_unit(db: &mut DbConnection, unit: &Unit) -> Result<(), StoreError> {
    let (kind, branch_kind) = unit_kind_columns(unit.unit.kind);
    sqlx::query(
        "INSERT INTO org_units (id, name, short_name, kind, branch_kind, parent_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(unit.unit.id.to_string())
    .bind(&unit.unit.name)
    .bind(&unit.short_name)
    .bind(kind)
    .bind(branch_kind)
    .bind(unit.unit.parent.map(|p| p.to_string()))
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// The unit above `unit`.
pub async fn parent_of(
    db: &mut DbConnection,
    unit: OrgUnitId,
) -> Result<Option<OrgUnitId>, StoreError> {
    let parent: Option<Option<String>> =
        sqlx::query_scalar("SELECT parent_id FROM org_units WHERE id = $1")
            .bind(unit.to_string())
            .fetch_optional(&mut *db)
            .await?;
    parent.flatten().map(|p| parse_id(&p)).transpose()
}

/// Adds a person (with the Member role in their branch unless an activist,
/// who is not yet a member).
pub async fn insert_person(db: &mut DbConnection, record: &PersonRecord) -> Result<(), StoreError> {
    let person = &record.person;
    sqlx::query(&format!(
        "INSERT INTO persons ({PERSON_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(person.id.to_string())
    .bind(person.name.trim())
    .bind(person.branch.to_string())
    .bind(enum_text(&person.category))
    .bind(person.cadre_rank.map(|c| enum_text(&c)))
    .bind(i64::from(person.is_activist))
    .bind(record.title.trim())
    .execute(&mut *db)
    .await?;
    if !person.is_activist {
        grant(db, person.id, Role::Member, person.branch).await?;
    }
    Ok(())
}

/// Gives a person a role over a unit (nothing when they hold it already).
pub async fn grant(
    db: &mut DbConnection,
    person: PersonId,
    role: Role,
    unit: OrgUnitId,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO role_grants (person_id, role, unit_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(person.to_string())
        .bind(enum_text(&role))
        .bind(unit.to_string())
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// How many people the database holds (none: a new installation).
pub async fn count_people(db: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM persons")
        .fetch_one(&mut *db)
        .await?)
}

/// A committer's name: the unit's, or the person's.
pub async fn committer_name(
    db: &mut DbConnection,
    directory: &Directory,
    committer: chengnuo_domain::commitment::Committer,
) -> Result<String, StoreError> {
    use chengnuo_domain::commitment::Committer;
    Ok(match committer {
        Committer::Unit(unit) => directory
            .unit(unit)
            .map(|u| u.unit.name.clone())
            .unwrap_or_default(),
        Committer::Person(person) => person_name(db, person).await?.unwrap_or_default(),
    })
}

async fn person_name(
    db: &mut DbConnection,
    person: PersonId,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT name FROM persons WHERE id = $1")
        .bind(person.to_string())
        .fetch_optional(&mut *db)
        .await?)
}
