//! What the supervision dashboard reads: the facts of the commitments under a
//! unit (through the scope indexes of `commitments`), the committees' report
//! days, a round's grades, and who made the commitments shown one by one.

use crate::db::DbConnection;
use crate::store::StoreError;
use crate::store::{parse_day, parse_id};
use chengnuo_domain::evaluation::Grade;
use chengnuo_domain::ids::{CommitmentId, CycleId, OrgUnitId, RoundId};
use chengnuo_domain::org::OrgUnitKind;
use chengnuo_domain::supervision::CommitmentFacts;
use chrono::NaiveDate;
use sqlx::Row;
use std::collections::HashMap;

/// The facts of every commitment of `cycle` under `unit` (of `kind`): the
/// whole cycle for the school, a committee's column, a branch's own.
pub async fn facts_under(
    db: &mut DbConnection,
    cycle: CycleId,
    unit: OrgUnitId,
    kind: OrgUnitKind,
) -> Result<Vec<CommitmentFacts>, StoreError> {
    let filter = match kind {
        OrgUnitKind::School => "",
        OrgUnitKind::Committee => " AND committee_id = $2",
        OrgUnitKind::Branch(_) => " AND unit_id = $2",
    };
    let sql = format!("SELECT dossier FROM commitments WHERE cycle_id = $1{filter}");
    let mut query = sqlx::query(&sql).bind(cycle.to_string());
    if kind != OrgUnitKind::School {
        query = query.bind(unit.to_string());
    }
    let rows = query.fetch_all(&mut *db).await?;
    rows.iter()
        .map(|row| Ok(serde_json::from_str(row.get::<&str, _>(0))?))
        .collect()
}

/// Each committee's day of submission of its report package in `cycle`.
pub async fn report_days(
    db: &mut DbConnection,
    cycle: CycleId,
) -> Result<HashMap<OrgUnitId, NaiveDate>, StoreError> {
    let rows =
        sqlx::query("SELECT committee_id, submitted_on FROM report_packages WHERE cycle_id = $1")
            .bind(cycle.to_string())
            .fetch_all(&mut *db)
            .await?;
    rows.iter()
        .map(|row| {
            Ok((
                parse_id(row.get::<&str, _>(0))?,
                parse_day(row.get::<&str, _>(1))?,
            ))
        })
        .collect()
}

/// The grades a closed round gave.
pub async fn grades(
    db: &mut DbConnection,
    round: RoundId,
) -> Result<HashMap<CommitmentId, Grade>, StoreError> {
    let rows = sqlx::query(
        "SELECT commitment_id, grade FROM round_results WHERE round_id = $1 AND grade IS NOT NULL",
    )
    .bind(round.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                parse_id(row.get::<&str, _>(0))?,
                crate::store::enum_from_text(row.get::<&str, _>(1))?,
            ))
        })
        .collect()
}

/// Who made each commitment of `cycle` made at `unit` itself (the unit's
/// own, its members'), and its number once signed.
pub async fn committers_at(
    db: &mut DbConnection,
    cycle: CycleId,
    unit: OrgUnitId,
) -> Result<HashMap<CommitmentId, (String, Option<String>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT c.id, COALESCE(p.name, u.name, ''), c.number FROM commitments c \
         LEFT JOIN persons p ON c.committer_type = 'person' AND p.id = c.committer_id \
         LEFT JOIN org_units u ON c.committer_type = 'unit' AND u.id = c.committer_id \
         WHERE c.cycle_id = $1 AND c.unit_id = $2",
    )
    .bind(cycle.to_string())
    .bind(unit.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| Ok((parse_id(row.get::<&str, _>(0))?, (row.get(1), row.get(2)))))
        .collect()
}
