//! The public board (公开栏) as its own table, kept as commitments are
//! published: listed, filtered, searched (FTS5, trigrams: Chinese has no
//! spaces between words) and paged in SQL; an entry is read as stored.

use crate::db::Sql;
use crate::db::{Backend, DbConnection};
use crate::store::directory::Directory;
use crate::store::parse_id;
use crate::store::StoreError;
use chengnuo_domain::commitment::CommitterKind;
use chengnuo_domain::dossier::Dossier;
use chengnuo_domain::evaluation::{GradeLine, RoundResult};
use chengnuo_domain::ids::{CommitmentId, CycleId, OrgUnitId, RoundId};
use chengnuo_domain::mass_evaluation::PromisedItem;
use chengnuo_domain::org::OrgUnitKind;
use chengnuo_domain::publication::{
    BoardItem, BoardPage, BoardUnit, Published, UnitProgress, BOARD_PAGE,
};
use chengnuo_domain::workflow::CommitmentState;
use sqlx::Row;

/// Puts a published commitment on the board, and keeps its progress (the
/// items' states) up to date there; the signed text and the display window
/// do not change after publication.
pub async fn keep(db: &mut DbConnection, dossier: &Dossier) -> Result<(), StoreError> {
    if dossier.state != CommitmentState::Published {
        return Ok(());
    }
    let unit = dossier.ancestry.unit().map(|u| u.to_string());
    let committee = dossier
        .kind
        .committee_in(&dossier.ancestry)
        .map(|u| u.to_string());
    let committer = crate::store::committer_columns(dossier.committer).1;
    let row = sqlx::query(
        "SELECT (SELECT year FROM cycles WHERE id = $1) AS year, \
         (SELECT name FROM org_units WHERE id = $2) AS committee_name, \
         (SELECT name FROM org_units WHERE id = $3 AND kind = 'Branch') AS branch_name, \
         COALESCE((SELECT name FROM persons WHERE id = $4), (SELECT name FROM org_units WHERE id = $4), '') AS committer_name, \
         (SELECT COUNT(*) FROM board_entries WHERE commitment_id = $5) AS present",
    )
    .bind(dossier.cycle.to_string())
    .bind(&committee)
    .bind(&unit)
    .bind(&committer)
    .bind(dossier.id.to_string())
    .fetch_one(&mut *db)
    .await?;
    let present = row.get::<i64, _>("present") > 0;
    let year: i32 = row
        .get::<Option<i32>, _>("year")
        .ok_or_else(|| StoreError::Corrupt(format!("cycle {} is missing", dossier.cycle)))?;
    let committee_name: Option<String> = row.get("committee_name");
    let branch_name: Option<String> = row.get("branch_name");
    let committer_name: String = row.get("committer_name");
    let branch_id = branch_name.as_ref().and(unit.clone());
    let item = BoardItem {
        id: dossier.id,
        year,
        number: dossier.number.clone(),
        kind: dossier.kind,
        committer_name: committer_name.clone(),
        branch: branch_name.clone(),
        committee: committee_name.clone(),
        display: dossier.display,
        fulfilment: dossier.fulfilment.clone(),
    };
    let entry = Published {
        id: dossier.id,
        cycle: dossier.cycle,
        number: dossier.number.clone(),
        committer: dossier.committer,
        kind: dossier.kind,
        committer_name: committer_name.clone(),
        branch: branch_name.clone(),
        committee: committee_name.clone(),
        committee_id: dossier.kind.committee_in(&dossier.ancestry),
        display: dossier.display,
        commitment: dossier.signed.clone(),
        fulfilment: dossier.fulfilment.clone(),
    };
    if present {
        // Only when the progress moved (the board's version moves with it).
        let item = serde_json::to_string(&item)?;
        let entry = serde_json::to_string(&entry)?;
        sqlx::query(
            "UPDATE board_entries SET item = $1, entry = $2 \
             WHERE commitment_id = $3 AND (item IS DISTINCT FROM $1 OR entry IS DISTINCT FROM $2)",
        )
        .bind(item)
        .bind(entry)
        .bind(dossier.id.to_string())
        .execute(&mut *db)
        .await?;
        return Ok(());
    }
    let rowid = sqlx::query_scalar::<_, i64>(
        "INSERT INTO board_entries (commitment_id, cycle_id, year, committee_id, committee_name, \
         branch_id, branch_name, number, committer_name, item, entry) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING rowid",
    )
    .bind(dossier.id.to_string())
    .bind(dossier.cycle.to_string())
    .bind(year)
    .bind(&committee)
    .bind(&committee_name)
    .bind(&branch_id)
    .bind(&branch_name)
    .bind(&dossier.number)
    .bind(&committer_name)
    .bind(serde_json::to_string(&item)?)
    .bind(serde_json::to_string(&entry)?)
    .fetch_one(&mut *db)
    .await?;
    let mut text = committer_name;
    if let Some(signed) = &dossier.signed {
        for item in signed.items() {
            text.push('\n');
            text.push_str(item.content());
        }
    }
    sqlx::query("INSERT INTO board_search (rowid, commitment_id, text) VALUES ($1, $2, $3)")
        .bind(rowid)
        .bind(dossier.id.to_string())
        .bind(text)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Puts every published commitment missing from the board on it (a
/// database from before the board had its table), and the progress on
/// entries kept before the board showed it.
pub async fn fill(db: &mut DbConnection) -> Result<usize, StoreError> {
    let has_progress = match Backend::of(db) {
        Backend::Sqlite => "json_type(b.item, '$.fulfilment') IS NOT NULL",
        Backend::Postgres => "b.item::jsonb ? 'fulfilment'",
    };
    let rows = sqlx::query(&format!(
        "SELECT c.dossier FROM commitments c \
         WHERE c.state = 'Published' \
         AND NOT EXISTS (SELECT 1 FROM board_entries b WHERE b.commitment_id = c.id \
             AND {has_progress})"
    ))
    .fetch_all(&mut *db)
    .await?;
    for row in &rows {
        let dossier: Dossier = serde_json::from_str(row.get::<&str, _>(0))?;
        keep(db, &dossier).await?;
    }
    Ok(rows.len())
}

/// What the board is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filter {
    pub year: Option<i32>,
    pub committee: Option<OrgUnitId>,
    pub branch: Option<OrgUnitId>,
    /// Words (separated by spaces), all of which the name or an item contains.
    pub words: Vec<String>,
    pub offset: u32,
    /// The school's day, for a unit's progress (part of the question: a
    /// page kept in memory is not served the next day).
    pub today: chrono::NaiveDate,
}

/// Bumped by every change of the board.
pub async fn version(db: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar(
            "SELECT CAST(value AS BIGINT) FROM app_meta WHERE key = 'board_version'",
        )
        .fetch_one(&mut *db)
        .await?,
    )
}

fn like_pattern(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The board's items of `year`, of the filter's committee and branch.
fn of_year_and_unit(filter: &Filter, year: i32) -> Sql<'static> {
    let mut query = Sql::new("SELECT b.item FROM board_entries b WHERE b.year = ");
    query.push_bind(year);
    if let Some(committee) = filter.committee {
        query
            .push(" AND b.committee_id = ")
            .push_bind(committee.to_string());
    }
    if let Some(branch) = filter.branch {
        query
            .push(" AND b.branch_id = ")
            .push_bind(branch.to_string());
    }
    query
}

/// A page of the board, newest numbers first, with the years and units to
/// filter by (the units from the directory: the whole tree is public).
pub async fn page(
    db: &mut DbConnection,
    directory: &Directory,
    filter: &Filter,
) -> Result<BoardPage, StoreError> {
    let years: Vec<i32> =
        sqlx::query_scalar("SELECT DISTINCT year FROM board_entries ORDER BY year DESC")
            .fetch_all(&mut *db)
            .await?;
    let year = filter.year.or_else(|| years.first().copied());
    let mut query = of_year_and_unit(filter, year.unwrap_or_default());
    // Words of three characters or more through the trigram index; shorter
    // ones (a two-character name, 答疑) compared on the rows already chosen.
    // (PostgreSQL compares every word on the rows: no trigram index is assumed.)
    let trigrams = Backend::of(db) == Backend::Sqlite;
    let (long, short): (Vec<&String>, Vec<&String>) = filter
        .words
        .iter()
        .partition(|w| trigrams && w.chars().count() >= 3);
    if !long.is_empty() {
        let phrases: Vec<String> = long
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        query
            .push(" AND b.rowid IN (SELECT rowid FROM board_search WHERE board_search MATCH ")
            .push_bind(phrases.join(" "))
            .push(")");
    }
    for word in short {
        query
            .push(" AND EXISTS (SELECT 1 FROM board_search s WHERE s.rowid = b.rowid AND s.text LIKE ")
            .push_bind(like_pattern(word))
            .push(" ESCAPE '\\')");
    }
    query
        .push(" ORDER BY b.number DESC, b.committer_name LIMIT ")
        .push_bind(i64::from(BOARD_PAGE) + 1)
        .push(" OFFSET ")
        .push_bind(i64::from(filter.offset));
    let rows = query.build().fetch_all(&mut *db).await?;
    let more = rows.len() > BOARD_PAGE as usize;
    let items = rows
        .iter()
        .take(BOARD_PAGE as usize)
        .map(|row| Ok(serde_json::from_str(row.get::<&str, _>(0))?))
        .collect::<Result<Vec<BoardItem>, StoreError>>()?;
    let units = |kind: fn(&OrgUnitKind) -> bool| {
        let mut units: Vec<BoardUnit> = directory
            .units
            .values()
            .filter(|u| kind(&u.unit.kind))
            .map(|u| BoardUnit {
                id: u.unit.id,
                name: u.unit.name.clone(),
                committee: directory
                    .committee_of(u.unit.id)
                    .map(|c| c.unit.id)
                    .filter(|c| *c != u.unit.id),
            })
            .collect();
        units.sort_by(|a, b| a.name.cmp(&b.name));
        units
    };
    let unit = if filter.committee.is_some() || filter.branch.is_some() {
        Some(unit_progress(db, filter, year.unwrap_or_default()).await?)
    } else {
        None
    };
    Ok(BoardPage {
        items,
        next: more.then_some(filter.offset + BOARD_PAGE),
        year,
        years,
        committees: units(|k| *k == OrgUnitKind::Committee),
        branches: units(|k| matches!(k, OrgUnitKind::Branch(_))),
        unit,
    })
}

/// A unit's published commitments of `year` and their progress together
/// (whatever words the page searches for).
async fn unit_progress(
    db: &mut DbConnection,
    filter: &Filter,
    year: i32,
) -> Result<UnitProgress, StoreError> {
    let mut query = of_year_and_unit(filter, year);
    let rows = query.build().fetch_all(&mut *db).await?;
    let items = rows
        .iter()
        .map(|row| Ok(serde_json::from_str(row.get::<&str, _>(0))?))
        .collect::<Result<Vec<BoardItem>, StoreError>>()?;
    Ok(UnitProgress::of(
        items.iter().map(|i| i.fulfilment.as_slice()),
        filter.today,
    ))
}

/// The year of a commitment on the board.
pub async fn year_of(db: &mut DbConnection, id: CommitmentId) -> Result<Option<i32>, StoreError> {
    let year: Option<i64> =
        sqlx::query_scalar("SELECT year FROM board_entries WHERE commitment_id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *db)
            .await?;
    Ok(year.map(|y| y as i32))
}

/// One entry, as stored (the JSON of `Published`).
pub async fn entry(db: &mut DbConnection, id: CommitmentId) -> Result<Option<String>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT entry FROM board_entries WHERE commitment_id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *db)
            .await?,
    )
}

/// What a ballot of `unit` rates in a cycle (群众评议): the published
/// commitments of a branch (its own and its members') or of a committee
/// (its own and its branches'), the unit's own first.
pub async fn ballot_subjects(
    db: &mut DbConnection,
    cycle: CycleId,
    unit: OrgUnitId,
    kind: OrgUnitKind,
) -> Result<Vec<(BoardItem, Vec<PromisedItem>)>, StoreError> {
    let column = if kind == OrgUnitKind::Committee {
        "committee_id"
    } else {
        "branch_id"
    };
    let rows = sqlx::query(&format!(
        "SELECT item, entry FROM board_entries WHERE cycle_id = $1 AND {column} = $2 ORDER BY committer_name"
    ))
    .bind(cycle.to_string())
    .bind(unit.to_string())
    .fetch_all(&mut *db)
    .await?;
    let mut subjects = rows
        .iter()
        .map(|row| {
            let item: BoardItem = serde_json::from_str(row.get::<&str, _>("item"))?;
            let entry: Published = serde_json::from_str(row.get::<&str, _>("entry"))?;
            let promised = entry
                .commitment
                .map(|c| {
                    c.items()
                        .iter()
                        .map(|i| PromisedItem {
                            content: i.content().to_owned(),
                            measures: i.measures().to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok((item, promised))
        })
        .collect::<Result<Vec<(BoardItem, Vec<PromisedItem>)>, StoreError>>()?;
    if kind == OrgUnitKind::Committee {
        subjects.retain(|(i, _)| !matches!(i.kind, CommitterKind::Member { .. }));
    }
    subjects.sort_by_key(|(i, _)| matches!(i.kind, CommitterKind::Member { .. }));
    Ok(subjects)
}

/// The grades of a year's closed rounds, for the board (published
/// commitments only: `ViewGrade`), by round, best first.
/// Only `commitment`'s, when given (its page on the board).
pub async fn results(
    db: &mut DbConnection,
    year: i32,
    commitment: Option<CommitmentId>,
) -> Result<Vec<(RoundId, GradeLine)>, StoreError> {
    let rows = sqlx::query(
        "SELECT x.round_id, x.result, b.item FROM round_results x \
         JOIN rounds r ON r.id = x.round_id AND r.is_closed = 1 \
         JOIN board_entries b ON b.commitment_id = x.commitment_id \
         WHERE b.year = $1 AND x.grade IS NOT NULL \
         AND (CAST($2 AS TEXT) IS NULL OR x.commitment_id = CAST($2 AS TEXT))",
    )
    .bind(year)
    .bind(commitment.map(|c| c.to_string()))
    .fetch_all(&mut *db)
    .await?;
    let mut lines = rows
        .iter()
        .map(|row| {
            let result: RoundResult = serde_json::from_str(row.get::<&str, _>("result"))?;
            let item: BoardItem = serde_json::from_str(row.get::<&str, _>("item"))?;
            Ok((
                parse_id(row.get::<&str, _>("round_id"))?,
                GradeLine {
                    commitment: item.id,
                    number: item.number,
                    kind: item.kind,
                    committer_name: item.committer_name,
                    branch: item.branch,
                    committee: item.committee,
                    composite: result.composite,
                    grade: result.grade,
                },
            ))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    lines.sort_by_key(|l| std::cmp::Reverse(l.1.composite));
    Ok(lines)
}
