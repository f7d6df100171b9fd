//! Cycles: the yearly campaigns and their calendars.

use crate::db::{DbConnection, DbRow};
use crate::store::parse_id;
use crate::store::StoreError;
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::ids::CycleId;
use sqlx::Row;

fn from_row(row: &DbRow) -> Result<Cycle, StoreError> {
    Ok(Cycle {
        id: parse_id(row.get::<&str, _>("id"))?,
        year: row.get::<i64, _>("year") as i32,
        name: row.get("name"),
        calendar: serde_json::from_str(row.get::<&str, _>("calendar"))?,
        settings: serde_json::from_str(row.get::<&str, _>("settings"))?,
    })
}

pub async fn all(db: &mut DbConnection) -> Result<Vec<(Cycle, bool)>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, year, name, calendar, settings, is_current FROM cycles ORDER BY year DESC",
    )
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| Ok((from_row(row)?, row.get::<i64, _>("is_current") != 0)))
        .collect()
}

pub async fn get(db: &mut DbConnection, id: CycleId) -> Result<Option<Cycle>, StoreError> {
    let row = sqlx::query("SELECT id, year, name, calendar, settings FROM cycles WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *db)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn current(db: &mut DbConnection) -> Result<Option<Cycle>, StoreError> {
    let row = sqlx::query(
        "SELECT id, year, name, calendar, settings FROM cycles WHERE is_current = 1 LIMIT 1",
    )
    .fetch_optional(&mut *db)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Today at the school: in the current cycle's time zone (the default
/// one, Beijing time, when no cycle is current yet).
pub async fn school_today(
    db: &mut DbConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<chrono::NaiveDate, StoreError> {
    Ok(match current(db).await? {
        Some(cycle) => cycle.today(now),
        None => chengnuo_domain::cycle::school_day(
            now,
            chengnuo_domain::cycle::CycleSettings::default().utc_offset_minutes,
        ),
    })
}

pub async fn insert(
    db: &mut DbConnection,
    cycle: &Cycle,
    is_current: bool,
) -> Result<(), StoreError> {
    if is_current {
        sqlx::query("UPDATE cycles SET is_current = 0")
            .execute(&mut *db)
            .await?;
    }
    sqlx::query("INSERT INTO cycles (id, year, name, calendar, settings, is_current) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(cycle.id.to_string())
        .bind(i64::from(cycle.year))
        .bind(&cycle.name)
        .bind(serde_json::to_string(&cycle.calendar)?)
        .bind(serde_json::to_string(&cycle.settings)?)
        .bind(i64::from(is_current))
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// A cycle's name, calendar and settings, changed (its year follows its drafting).
pub async fn update(db: &mut DbConnection, cycle: &Cycle) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE cycles SET year = $1, name = $2, calendar = $3, settings = $4 WHERE id = $5",
    )
    .bind(i64::from(cycle.year))
    .bind(&cycle.name)
    .bind(serde_json::to_string(&cycle.calendar)?)
    .bind(serde_json::to_string(&cycle.settings)?)
    .bind(cycle.id.to_string())
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Makes `id` the cycle in force (the one phones draft in), and no other.
pub async fn make_current(db: &mut DbConnection, id: CycleId) -> Result<(), StoreError> {
    sqlx::query("UPDATE cycles SET is_current = CASE WHEN id = $1 THEN 1 ELSE 0 END")
        .bind(id.to_string())
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// The cycle of `year` other than `except`, if there is one.
pub async fn of_year(
    db: &mut DbConnection,
    year: i32,
    except: Option<CycleId>,
) -> Result<Option<CycleId>, StoreError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM cycles WHERE year = $1 AND id != $2")
            .bind(i64::from(year))
            .bind(except.map(|id| id.to_string()).unwrap_or_default())
            .fetch_optional(&mut *db)
            .await?;
    found.map(|id| parse_id(&id)).transpose()
}

/// What year `id` already holds that its calendar must keep (see
/// `CycleSetup::keeps`): the last day of its rounds, and the latest
/// deadline of an item submitted, approved, signed or published.
pub async fn held(
    db: &mut DbConnection,
    id: CycleId,
) -> Result<chengnuo_domain::cycle_draft::YearHeld, StoreError> {
    let last_round: Option<String> =
        sqlx::query_scalar("SELECT MAX(closes_on) FROM rounds WHERE cycle_id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *db)
            .await?;
    let rows = sqlx::query(
        "SELECT dossier FROM commitments WHERE cycle_id = $1 \
         AND state IN ('Submitted', 'Approved', 'Signed', 'Published')",
    )
    .bind(id.to_string())
    .fetch_all(&mut *db)
    .await?;
    let mut latest_deadline = None;
    for row in &rows {
        let dossier: chengnuo_domain::dossier::Dossier =
            serde_json::from_str(sqlx::Row::get::<&str, _>(row, 0))?;
        let deadlines = dossier.fulfilment.iter().map(|f| Some(f.deadline)).chain(
            dossier
                .draft
                .items
                .iter()
                .map(|i| chengnuo_domain::validation::parse_date(&i.deadline)),
        );
        latest_deadline = deadlines.fold(latest_deadline, Option::max);
    }
    Ok(chengnuo_domain::cycle_draft::YearHeld {
        last_round_day: last_round
            .as_deref()
            .map(crate::store::parse_day)
            .transpose()?,
        latest_deadline,
    })
}
