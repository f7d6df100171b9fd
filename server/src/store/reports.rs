//! Report packages (报送): what a committee must send, from the shared
//! `report` rule, and whether it did.

use crate::db::DbConnection;
use crate::store::committer_columns;
use crate::store::directory::{self, Directory};
use crate::store::StoreError;
use crate::store::{enum_from_text, parse_day, parse_id};
use chengnuo_domain::commitment::{Committer, CommitterKind};
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::ids::{CommitmentId, CycleId, OrgUnitId, PersonId};
use chengnuo_domain::org::OrgUnitKind;
use chengnuo_domain::org::Unit;
use chengnuo_domain::report::{self};
use chengnuo_domain::report::{Package, PackageLine};
use chengnuo_domain::workflow::CommitmentState;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use std::collections::HashMap;

/// Every committee of the university, by name.
pub fn committees(directory: &Directory) -> Vec<&Unit> {
    let mut all: Vec<&Unit> = directory
        .units
        .values()
        .filter(|u| u.unit.kind == OrgUnitKind::Committee)
        .collect();
    all.sort_by(|a, b| a.unit.name.cmp(&b.unit.name));
    all
}

struct Found {
    id: CommitmentId,
    state: CommitmentState,
    number: Option<String>,
}

pub async fn package(
    db: &mut DbConnection,
    directory: &Directory,
    committee: &Unit,
    cycle: &Cycle,
    today: NaiveDate,
) -> Result<Package, StoreError> {
    let id = committee.unit.id;
    let branches: Vec<OrgUnitId> = directory
        .children(id)
        .into_iter()
        .filter(|u| matches!(u.unit.kind, OrgUnitKind::Branch(_)))
        .map(|u| u.unit.id)
        .collect();
    let cadres: Vec<PersonId> = directory::people_in(db, directory, &[id])
        .await?
        .into_iter()
        .filter(|p| CommitterKind::of_person(&p.person).is_cadre())
        .map(|p| p.person.id)
        .collect();
    let required = report::required(id, &branches, &cadres);
    let rows = sqlx::query(
        "SELECT id, committer_type, committer_id, state, number FROM commitments WHERE cycle_id = $1",
    )
    .bind(cycle.id.to_string())
    .fetch_all(&mut *db)
    .await?;
    let mut found: HashMap<(String, String), Found> = HashMap::new();
    for row in &rows {
        found.insert(
            (row.get("committer_type"), row.get("committer_id")),
            Found {
                id: parse_id(row.get::<&str, _>("id"))?,
                state: enum_from_text(row.get::<&str, _>("state"))?,
                number: row.get("number"),
            },
        );
    }
    let lookup = |committer: Committer| {
        let (kind, id) = committer_columns(committer);
        found.get(&(kind.to_owned(), id))
    };
    let submitted = sqlx::query(
        "SELECT r.submitted_on, p.name FROM report_packages r LEFT JOIN persons p ON p.id = r.submitted_by \
         WHERE r.committee_id = $1 AND r.cycle_id = $2",
    )
    .bind(id.to_string())
    .bind(cycle.id.to_string())
    .fetch_optional(&mut *db)
    .await?;
    let submitted_on: Option<NaiveDate> = submitted
        .as_ref()
        .map(|row| parse_day(row.get::<&str, _>("submitted_on")))
        .transpose()?;
    let status = report::status(
        &required,
        |committer| lookup(committer).map(|f| f.state),
        cycle.calendar.report_deadline,
        submitted_on,
        today,
    );
    let mut lines = Vec::with_capacity(status.entries.len());
    for entry in &status.entries {
        let committer = entry.required.committer();
        let found = lookup(committer);
        lines.push(PackageLine {
            required: entry.required,
            committer_name: directory::committer_name(db, directory, committer).await?,
            state: entry.state,
            commitment: found.map(|f| f.id),
            number: found.and_then(|f| f.number.clone()),
            present: entry.is_present(),
        });
    }
    Ok(Package {
        committee: id,
        committee_name: committee.unit.name.clone(),
        cycle: cycle.id,
        status,
        lines,
        submitted_by: submitted.and_then(|row| row.get("name")),
    })
}

pub async fn submit(
    db: &mut DbConnection,
    committee: OrgUnitId,
    cycle: CycleId,
    by: PersonId,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO report_packages (committee_id, cycle_id, submitted_on, submitted_at, submitted_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(committee.to_string())
    .bind(cycle.to_string())
    .bind(today.to_string())
    .bind(now.to_rfc3339())
    .bind(by.to_string())
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// The committees whose report package of `cycle` is sent.
pub async fn sent(
    db: &mut DbConnection,
    cycle: chengnuo_domain::ids::CycleId,
) -> Result<Vec<chengnuo_domain::ids::OrgUnitId>, StoreError> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT committee_id FROM report_packages WHERE cycle_id = $1")
            .bind(cycle.to_string())
            .fetch_all(&mut *db)
            .await?;
    ids.iter().map(|id| crate::store::parse_id(id)).collect()
}
