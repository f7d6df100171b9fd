//! Commitments: the domain's `Dossier` stored as JSON, with the columns that
//! queries filter on, and every change numbered in the stream clients pull.

use crate::store::directory::{self, Directory};
use crate::store::StoreError;
use crate::store::{enum_text, parse_id};
use chengnuo_domain::commitment::{CommitmentDraft, Committer};
use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::ids::{CommitmentId, CycleId, PersonId};
use chengnuo_domain::permission::{can, Action, Actor};
use chengnuo_domain::sync::{Cursor, SetAside, Snapshot};
use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

pub fn committer_columns(committer: Committer) -> (&'static str, String) {
    match committer {
        Committer::Unit(unit) => ("unit", unit.to_string()),
        Committer::Person(person) => ("person", person.to_string()),
    }
}

/// Where the committer sits in the tree now (people move between branches).
pub async fn refresh_ancestry(
    db: &mut SqliteConnection,
    directory: &Directory,
    dossier: &mut Dossier,
) -> Result<(), StoreError> {
    let unit = match dossier.committer {
        Committer::Unit(unit) => unit,
        Committer::Person(person) => match directory::person(db, person).await? {
            Some(record) => record.person.branch,
            None => {
                return Err(StoreError::Corrupt(format!(
                    "committer {person} is missing"
                )))
            }
        },
    };
    dossier.ancestry = directory.ancestry(unit);
    Ok(())
}

pub struct Stored {
    pub dossier: Dossier,
    pub updated_at: DateTime<Utc>,
    pub change_seq: i64,
}

fn stored_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Stored, StoreError> {
    Ok(Stored {
        dossier: serde_json::from_str(row.get::<&str, _>("dossier"))?,
        updated_at: row
            .get::<&str, _>("updated_at")
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("updated_at: {e}")))?,
        change_seq: row.get("change_seq"),
    })
}

pub async fn load(
    db: &mut SqliteConnection,
    directory: &Directory,
    id: CommitmentId,
) -> Result<Option<Stored>, StoreError> {
    let row = sqlx::query("SELECT dossier, updated_at, change_seq FROM commitments WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&mut *db)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut stored = stored_from_row(&row)?;
    refresh_ancestry(db, directory, &mut stored.dossier).await?;
    Ok(Some(stored))
}

/// How many commitments of the cycle have a number starting with `stem`.
pub async fn count_numbered(
    db: &mut SqliteConnection,
    cycle: CycleId,
    stem: &str,
) -> Result<u32, StoreError> {
    let taken: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM commitments WHERE cycle_id = ?1 AND substr(number, 1, length(?2)) = ?2",
    )
    .bind(cycle.to_string())
    .bind(stem)
    .fetch_one(&mut *db)
    .await?;
    Ok(u32::try_from(taken).unwrap_or(u32::MAX))
}

/// The commitment of a committer in a cycle (there is at most one).
pub async fn find_for_committer(
    db: &mut SqliteConnection,
    cycle: CycleId,
    committer: Committer,
) -> Result<Option<CommitmentId>, StoreError> {
    let (kind, id) = committer_columns(committer);
    let row = sqlx::query(
        "SELECT id FROM commitments WHERE cycle_id = ? AND committer_type = ? AND committer_id = ?",
    )
    .bind(cycle.to_string())
    .bind(kind)
    .bind(id)
    .fetch_optional(&mut *db)
    .await?;
    row.map(|row| parse_id(row.get::<&str, _>("id")))
        .transpose()
}

/// Inserts or updates, and appends the change to the stream clients pull.
pub async fn save(
    db: &mut SqliteConnection,
    dossier: &Dossier,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let seq: i64 =
        sqlx::query_scalar("INSERT INTO changes (commitment_id) VALUES (?) RETURNING seq")
            .bind(dossier.id.to_string())
            .fetch_one(&mut *db)
            .await?;
    let (committer_type, committer_id) = committer_columns(dossier.committer);
    sqlx::query(
        "INSERT INTO commitments (id, cycle_id, committer_type, committer_id, state, revision, number, dossier, change_seq, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, revision = excluded.revision, number = excluded.number, \
         dossier = excluded.dossier, change_seq = excluded.change_seq, updated_at = excluded.updated_at",
    )
    .bind(dossier.id.to_string())
    .bind(dossier.cycle.to_string())
    .bind(committer_type)
    .bind(committer_id)
    .bind(enum_text(&dossier.state))
    .bind(dossier.revision.0 as i64)
    .bind(&dossier.number)
    .bind(serde_json::to_string(dossier)?)
    .bind(seq)
    .bind(now.to_rfc3339())
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// The committer's display name.
pub async fn committer_name(
    db: &mut SqliteConnection,
    directory: &Directory,
    committer: Committer,
) -> Result<String, StoreError> {
    Ok(match committer {
        Committer::Unit(unit) => directory
            .unit(unit)
            .map(|u| u.unit.name.clone())
            .unwrap_or_default(),
        Committer::Person(person) => directory::person(db, person)
            .await?
            .map(|p| p.person.name)
            .unwrap_or_default(),
    })
}

pub async fn snapshot(
    db: &mut SqliteConnection,
    directory: &Directory,
    stored: &Stored,
) -> Result<Snapshot, StoreError> {
    let dossier = &stored.dossier;
    Ok(Snapshot {
        id: dossier.id,
        cycle: dossier.cycle,
        committer: dossier.committer,
        kind: dossier.kind,
        committer_name: committer_name(db, directory, dossier.committer).await?,
        ancestry: dossier.ancestry.clone(),
        state: dossier.state,
        revision: dossier.revision,
        draft: dossier.draft.clone(),
        number: dossier.number.clone(),
        reviews: dossier.reviews.clone(),
        updated_at: stored.updated_at,
    })
}

/// Every commitment of a cycle that `actor` may see, oldest change first.
pub async fn visible(
    db: &mut SqliteConnection,
    directory: &Directory,
    actor: &Actor,
    cycle: Option<CycleId>,
) -> Result<Vec<Stored>, StoreError> {
    let rows = match cycle {
        Some(cycle) => {
            sqlx::query("SELECT dossier, updated_at, change_seq FROM commitments WHERE cycle_id = ? ORDER BY change_seq")
                .bind(cycle.to_string())
                .fetch_all(&mut *db)
                .await?
        }
        None => {
            sqlx::query("SELECT dossier, updated_at, change_seq FROM commitments ORDER BY change_seq")
                .fetch_all(&mut *db)
                .await?
        }
    };
    let mut out = Vec::new();
    for row in &rows {
        let mut stored = stored_from_row(row)?;
        refresh_ancestry(db, directory, &mut stored.dossier).await?;
        if can(actor, Action::View, &stored.dossier.target()).is_ok() {
            out.push(stored);
        }
    }
    Ok(out)
}

/// Changes after `since` in the actor's sync scope, at most `limit` rows scanned.
pub async fn changes_since(
    db: &mut SqliteConnection,
    directory: &Directory,
    actor: &Actor,
    since: Cursor,
    limit: i64,
) -> Result<(Vec<Stored>, Cursor, bool), StoreError> {
    let current = crate::store::cycles::current(db).await?.map(|c| c.id);
    let rows = sqlx::query("SELECT dossier, updated_at, change_seq FROM commitments WHERE change_seq > ? ORDER BY change_seq LIMIT ?")
        .bind(since.0 as i64)
        .bind(limit)
        .fetch_all(&mut *db)
        .await?;
    let more = rows.len() as i64 == limit;
    let mut cursor = since;
    let mut out = Vec::new();
    for row in &rows {
        let mut stored = stored_from_row(row)?;
        cursor = Cursor(stored.change_seq as u64);
        refresh_ancestry(db, directory, &mut stored.dossier).await?;
        if stored.dossier.on_device(actor, current) {
            out.push(stored);
        }
    }
    Ok((out, cursor, more))
}

/// Keeps a version a person chose not to keep while merging.
pub async fn set_aside(
    db: &mut SqliteConnection,
    commitment: CommitmentId,
    person: Option<PersonId>,
    draft: &CommitmentDraft,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO set_aside_versions (commitment_id, person_id, set_aside_at, draft) VALUES (?, ?, ?, ?)",
    )
    .bind(commitment.to_string())
    .bind(person.map(|p| p.to_string()))
    .bind(now.to_rfc3339())
    .bind(serde_json::to_string(draft)?)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// The versions set aside while merging this commitment, newest first.
pub async fn set_aside_versions(
    db: &mut SqliteConnection,
    commitment: CommitmentId,
) -> Result<Vec<SetAside>, StoreError> {
    let rows = sqlx::query(
        "SELECT v.set_aside_at, p.name, v.draft FROM set_aside_versions v \
         LEFT JOIN persons p ON p.id = v.person_id \
         WHERE v.commitment_id = ? ORDER BY v.id DESC",
    )
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            let at: String = row.get(0);
            Ok(SetAside {
                at: DateTime::parse_from_rfc3339(&at)
                    .map_err(|e| StoreError::Corrupt(format!("stored time: {e}")))?
                    .with_timezone(&Utc),
                by: row.get(1),
                draft: serde_json::from_str(row.get::<&str, _>(2))?,
            })
        })
        .collect()
}
