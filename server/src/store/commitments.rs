//! Commitments: the domain's `Dossier` stored as JSON, with the columns that
//! queries filter on, and every change numbered in the stream clients pull.

use crate::db::Sql;
use crate::db::{DbConnection, DbRow};
use crate::store::directory::Directory;
use crate::store::StoreError;
use crate::store::{committer_columns, enum_text, parse_id};
use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind};
use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::ids::{CommitmentId, CycleId, PersonId};
use chengnuo_domain::permission::{can, Action, Actor, CommitmentTarget, Role, Target};
use chengnuo_domain::sync::{Cursor, SetAside, Snapshot};
use chengnuo_domain::workflow::CommitmentState;
use chrono::{DateTime, Utc};
use sqlx::Row;

#[derive(Clone)]
pub struct Stored {
    pub dossier: Dossier,
    pub updated_at: DateTime<Utc>,
    pub change_seq: i64,
    /// The person's or the unit's name.
    pub committer_name: String,
}

/// The columns `stored_from_row` reads, from `commitments c` with its
/// committer's name joined.
const STORED: &str = "c.dossier, c.updated_at, c.change_seq, \
    COALESCE(p.name, u.name, '') AS committer_name \
    FROM commitments c \
    LEFT JOIN persons p ON c.committer_type = 'person' AND p.id = c.committer_id \
    LEFT JOIN org_units u ON c.committer_type = 'unit' AND u.id = c.committer_id";

fn stored_from_row(row: &DbRow) -> Result<Stored, StoreError> {
    Ok(Stored {
        dossier: serde_json::from_str(row.get::<&str, _>("dossier"))?,
        updated_at: row
            .get::<&str, _>("updated_at")
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("updated_at: {e}")))?,
        change_seq: row.get("change_seq"),
        committer_name: row.get("committer_name"),
    })
}

pub async fn load(db: &mut DbConnection, id: CommitmentId) -> Result<Option<Stored>, StoreError> {
    let row = sqlx::query(&format!("SELECT {STORED} WHERE c.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *db)
        .await?;
    row.as_ref().map(stored_from_row).transpose()
}

/// How many commitments of the cycle have a number starting with `stem`.
pub async fn count_numbered(
    db: &mut DbConnection,
    cycle: CycleId,
    stem: &str,
) -> Result<u32, StoreError> {
    let taken: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM commitments WHERE cycle_id = $1 AND substr(number, 1, length($2)) = $2",
    )
    .bind(cycle.to_string())
    .bind(stem)
    .fetch_one(&mut *db)
    .await?;
    Ok(u32::try_from(taken).unwrap_or(u32::MAX))
}

/// The commitment of a committer in a cycle (there is at most one).
pub async fn find_for_committer(
    db: &mut DbConnection,
    cycle: CycleId,
    committer: Committer,
) -> Result<Option<CommitmentId>, StoreError> {
    let (kind, id) = committer_columns(committer);
    let row = sqlx::query(
        "SELECT id FROM commitments WHERE cycle_id = $1 AND committer_type = $2 AND committer_id = $3",
    )
    .bind(cycle.to_string())
    .bind(kind)
    .bind(id)
    .fetch_optional(&mut *db)
    .await?;
    row.map(|row| parse_id(row.get::<&str, _>("id")))
        .transpose()
}

/// Inserts or updates, at the next place of the stream clients pull.
pub async fn save(
    db: &mut DbConnection,
    dossier: &Dossier,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let seq: i64 = sqlx::query_scalar(
        "UPDATE app_meta SET value = CAST(value AS BIGINT) + 1 WHERE key = 'change_seq' \
         RETURNING CAST(value AS BIGINT)",
    )
    .fetch_one(&mut *db)
    .await?;
    let (committer_type, committer_id) = committer_columns(dossier.committer);
    sqlx::query(
        "INSERT INTO commitments (id, cycle_id, committer_type, committer_id, state, revision, number, \
         dossier, change_seq, updated_at, unit_id, committee_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, revision = excluded.revision, \
         number = excluded.number, dossier = excluded.dossier, change_seq = excluded.change_seq, \
         updated_at = excluded.updated_at, unit_id = excluded.unit_id, committee_id = excluded.committee_id",
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
    .bind(dossier.ancestry.unit().map(|u| u.to_string()))
    .bind(
        dossier
            .kind
            .committee_in(&dossier.ancestry)
            .map(|u| u.to_string()),
    )
    .execute(&mut *db)
    .await?;
    crate::store::board::keep(db, dossier).await
}

/// The last place of the stream clients pull.
pub async fn last_change(db: &mut DbConnection) -> Result<Cursor, StoreError> {
    let seq: i64 =
        sqlx::query_scalar("SELECT CAST(value AS BIGINT) FROM app_meta WHERE key = 'change_seq'")
            .fetch_one(&mut *db)
            .await?;
    Ok(Cursor(u64::try_from(seq).unwrap_or(0)))
}

pub fn snapshot(stored: &Stored) -> Snapshot {
    let dossier = &stored.dossier;
    Snapshot {
        id: dossier.id,
        cycle: dossier.cycle,
        committer: dossier.committer,
        kind: dossier.kind,
        committer_name: stored.committer_name.clone(),
        ancestry: dossier.ancestry.clone(),
        state: dossier.state,
        revision: dossier.revision,
        draft: dossier.draft.clone(),
        number: dossier.number.clone(),
        reviews: dossier.reviews.clone(),
        updated_at: stored.updated_at,
        fulfilment: dossier.fulfilment.clone(),
    }
}

/// Who an actor is, as the queries below filter: the committers whose
/// commitments are theirs, the units they supervise, and whether they are
/// the office. Decided with the permission table for each grant;
/// `tests/tests/scopes.rs` checks the SQL against `can` and `on_device`
/// for every account of the demo.
pub struct Scope {
    /// Themself and the units whose own commitment they write.
    own: Vec<String>,
    /// Units (branches, committees) under which they supervise.
    supervised: Vec<String>,
    office: bool,
}

impl Scope {
    pub fn of(actor: &Actor, directory: &Directory) -> Scope {
        let mut own: Vec<String> = actor.person.iter().map(|p| p.to_string()).collect();
        let mut supervised = Vec::new();
        let mut office = false;
        for grant in &actor.grants {
            if let Some(unit) = directory.unit(grant.unit) {
                let draft = Target::Commitment(CommitmentTarget {
                    committer: Committer::Unit(grant.unit),
                    kind: CommitterKind::of_unit(unit.unit.kind),
                    ancestry: directory.ancestry(grant.unit),
                    state: CommitmentState::Draft,
                });
                if can(actor, Action::Edit, &draft).is_ok() {
                    own.push(grant.unit.to_string());
                }
            }
            match grant.role {
                Role::Office => office = true,
                Role::BranchSecretary | Role::CommitteeSecretary | Role::Leader => {
                    supervised.push(grant.unit.to_string())
                }
                Role::Member => {}
            }
        }
        own.sort();
        own.dedup();
        supervised.sort();
        supervised.dedup();
        Scope {
            own,
            supervised,
            office,
        }
    }

    /// Own or supervised: `(c.committer_id IN own OR c.unit_id IN supervised
    /// OR c.committee_id IN supervised)`, everything for the office.
    fn push_sees(&self, query: &mut Sql<'_>) {
        if self.office {
            query.push("TRUE");
            return;
        }
        query.push("(");
        push_in(query, "c.committer_id", &self.own);
        query.push(" OR ");
        push_in(query, "c.unit_id", &self.supervised);
        query.push(" OR ");
        push_in(query, "c.committee_id", &self.supervised);
        query.push(")");
    }
}

/// `column IN (…)`, or false for an empty list.
fn push_in(query: &mut Sql<'_>, column: &str, values: &[String]) {
    if values.is_empty() {
        query.push("FALSE");
        return;
    }
    query.push(column).push(" IN ");
    query.push_list(values.iter().cloned());
}

/// Every commitment of a cycle (or of every cycle) the actor may see:
/// published, their own, or under a unit they supervise; oldest change first.
pub async fn visible(
    db: &mut DbConnection,
    scope: &Scope,
    cycle: Option<CycleId>,
) -> Result<Vec<Stored>, StoreError> {
    let mut query = Sql::new(format!("SELECT {STORED} WHERE "));
    if let Some(cycle) = cycle {
        query
            .push("c.cycle_id = ")
            .push_bind(cycle.to_string())
            .push(" AND ");
    }
    query.push("(c.state = 'Published' OR ");
    scope.push_sees(&mut query);
    query.push(") ORDER BY c.change_seq");
    let rows = query.build().fetch_all(&mut *db).await?;
    rows.iter().map(stored_from_row).collect()
}

/// What sync sends to the actor's device after `since`, at most `limit`, in
/// change order: their own commitments of every cycle, and those of the
/// current cycle they supervise (`permission::on_device`). Each part of the
/// union reads an index; rows the actor may not have are never read. The
/// cursor is the last change returned, or the end of the stream when nothing
/// more waits, so a fresh phone gets its records in one round trip. Call it
/// inside a transaction, so that the end of the stream and the records agree.
pub async fn changes_since(
    db: &mut DbConnection,
    scope: &Scope,
    current: Option<CycleId>,
    since: Cursor,
    limit: i64,
) -> Result<(Vec<Stored>, Cursor, bool), StoreError> {
    let since_seq = i64::try_from(since.0).unwrap_or(i64::MAX);
    // Each part of the union reads its first `limit + 1` changes in order
    // (the change index, walked from the cursor), not every change of the
    // scope: a page costs the same whether the scope holds a hundred
    // commitments or the whole school.
    // (PostgreSQL 15 wants every subquery in FROM named.)
    let mut parts = 0;
    let mut part = |query: &mut Sql<'_>| {
        parts += 1;
        query
            .push(" AND change_seq > ")
            .push_bind(since_seq)
            .push(" ORDER BY change_seq LIMIT ")
            .push_bind(limit + 1)
            .push(&format!(") AS part{parts}"));
    };
    let mut query = Sql::new(
        "WITH picked(id, seq) AS (SELECT id, change_seq FROM \
         (SELECT id, change_seq FROM commitments WHERE ",
    );
    push_in(&mut query, "committer_id", &scope.own);
    part(&mut query);
    if let Some(current) = current {
        let current = current.to_string();
        let union = " UNION SELECT id, change_seq FROM \
             (SELECT id, change_seq FROM commitments WHERE cycle_id = ";
        if scope.office {
            query.push(union).push_bind(current);
            part(&mut query);
        } else if !scope.supervised.is_empty() {
            for column in ["unit_id", "committee_id"] {
                query.push(union).push_bind(current.clone()).push(" AND ");
                push_in(&mut query, column, &scope.supervised);
                part(&mut query);
            }
        }
    }
    query.push(") SELECT ");
    query.push(STORED);
    query.push(" JOIN picked ON picked.id = c.id ORDER BY picked.seq LIMIT ");
    query.push_bind(limit + 1);
    let rows = query.build().fetch_all(&mut *db).await?;
    let more = rows.len() as i64 > limit;
    let out = rows
        .iter()
        .take(usize::try_from(limit).unwrap_or(0))
        .map(stored_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let cursor = match (more, out.last()) {
        (true, Some(last)) => Cursor(u64::try_from(last.change_seq).unwrap_or(0)),
        _ => last_change(db).await?.max(since),
    };
    Ok((out, cursor, more))
}

/// Keeps a version a person chose not to keep while merging.
pub async fn set_aside(
    db: &mut DbConnection,
    commitment: CommitmentId,
    person: Option<PersonId>,
    draft: &CommitmentDraft,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO set_aside_versions (commitment_id, person_id, set_aside_at, draft) VALUES ($1, $2, $3, $4)",
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
    db: &mut DbConnection,
    commitment: CommitmentId,
) -> Result<Vec<SetAside>, StoreError> {
    let rows = sqlx::query(
        "SELECT v.set_aside_at, p.name, v.draft FROM set_aside_versions v \
         LEFT JOIN persons p ON p.id = v.person_id \
         WHERE v.commitment_id = $1 ORDER BY v.id DESC",
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

/// The commitments of a cycle in force (signed or published): what a
/// round assesses.
pub async fn in_force(db: &mut DbConnection, cycle: CycleId) -> Result<Vec<Stored>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {STORED} WHERE c.cycle_id = $1 AND c.state IN ('Signed', 'Published') ORDER BY c.id"
    ))
    .bind(cycle.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(stored_from_row).collect()
}

/// A cycle's commitments in force the actor may assess or self-check, with
/// their committer's name (the to-do list's round lines): own or under a
/// unit they supervise; for the office, whose organization score is the
/// committees', the units' own commitments and theirs (not every member's).
pub async fn in_force_to_assess(
    db: &mut DbConnection,
    scope: &Scope,
    cycle: CycleId,
) -> Result<Vec<Stored>, StoreError> {
    let mut query = Sql::new(format!("SELECT {STORED} WHERE c.cycle_id = "));
    query
        .push_bind(cycle.to_string())
        .push(" AND c.state IN ('Signed', 'Published') AND ");
    if scope.office {
        query.push("(c.committer_type = 'unit' OR ");
        push_in(&mut query, "c.committer_id", &scope.own);
        query.push(")");
    } else {
        scope.push_sees(&mut query);
    }
    let rows = query.build().fetch_all(&mut *db).await?;
    rows.iter().map(stored_from_row).collect()
}

/// The cycle's rectification orders not closed, on commitments the actor
/// sees: each order's deadline and state, with its commitment.
pub async fn open_orders(
    db: &mut DbConnection,
    scope: &Scope,
    cycle: CycleId,
) -> Result<
    Vec<(
        Stored,
        chrono::NaiveDate,
        chengnuo_domain::evaluation::RectificationState,
    )>,
    StoreError,
> {
    let mut query = Sql::new(format!(
        "SELECT r.deadline, r.state, {STORED} \
         JOIN rectification_orders r ON r.commitment_id = c.id \
         WHERE r.state != 'Closed' AND c.cycle_id = "
    ));
    query.push_bind(cycle.to_string()).push(" AND ");
    scope.push_sees(&mut query);
    query.push(" ORDER BY r.deadline");
    let rows = query.build().fetch_all(&mut *db).await?;
    rows.iter()
        .map(|row| {
            Ok((
                stored_from_row(row)?,
                crate::store::parse_day(row.get::<&str, _>("deadline"))?,
                crate::store::enum_from_text(row.get::<&str, _>("state"))?,
            ))
        })
        .collect()
}
