//! 简报: nominated practices, their committers' consent, and the numbered
//! bulletins printed from them.

use crate::db::{DbConnection, DbRow};
use crate::store::StoreError;
use crate::store::{parse_day, parse_id};
use chengnuo_domain::bulletin::{Bulletin, Consent, Featured, Nomination, Practice};
use chengnuo_domain::ids::{BulletinId, CommitmentId, ItemId, NominationId, PersonId, ProgressId};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

const NOMINATION: &str = "n.id, n.entry_id, n.practice, n.reason, n.nominated_on, n.consent, \
     n.bulletin_id, p.name AS nominated_by FROM nominations n JOIN persons p ON p.id = n.nominated_by";

fn nomination(row: &DbRow) -> Result<Nomination, StoreError> {
    let consent: &str = row.get("consent");
    Ok(Nomination {
        id: parse_id(row.get::<&str, _>("id"))?,
        practice: serde_json::from_str(row.get::<&str, _>("practice"))?,
        entry: row
            .get::<Option<&str>, _>("entry_id")
            .map(parse_id)
            .transpose()?,
        reason: row.get("reason"),
        nominated_by: row.get("nominated_by"),
        nominated_on: parse_day(row.get::<&str, _>("nominated_on"))?,
        consent: Consent::parse(consent)
            .ok_or_else(|| StoreError::Corrupt(format!("consent {consent}")))?,
        bulletin: row
            .get::<Option<&str>, _>("bulletin_id")
            .map(parse_id)
            .transpose()?,
    })
}

/// A new nomination, waiting for the committer's consent.
#[allow(clippy::too_many_arguments)]
pub async fn nominate(
    db: &mut DbConnection,
    practice: &Practice,
    entry: Option<ProgressId>,
    reason: &str,
    by: PersonId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<NominationId, StoreError> {
    let id = NominationId::new();
    sqlx::query(
        "INSERT INTO nominations (id, commitment_id, item_id, entry_id, practice, reason, nominated_by, nominated_on, nominated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(practice.commitment.to_string())
    .bind(practice.item.to_string())
    .bind(entry.map(|e| e.to_string()))
    .bind(serde_json::to_string(practice)?)
    .bind(reason.trim())
    .bind(by.to_string())
    .bind(today.to_string())
    .bind(now.to_rfc3339())
    .execute(&mut *db)
    .await?;
    Ok(id)
}

/// What of a commitment was nominated already: (item, entry) pairs.
pub async fn nominated(
    db: &mut DbConnection,
    commitment: CommitmentId,
) -> Result<Vec<(ItemId, Option<ProgressId>)>, StoreError> {
    let rows = sqlx::query("SELECT item_id, entry_id FROM nominations WHERE commitment_id = $1")
        .bind(commitment.to_string())
        .fetch_all(&mut *db)
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                parse_id(row.get::<&str, _>("item_id"))?,
                row.get::<Option<&str>, _>("entry_id")
                    .map(parse_id)
                    .transpose()?,
            ))
        })
        .collect()
}

pub async fn get(
    db: &mut DbConnection,
    id: NominationId,
) -> Result<Option<(CommitmentId, Nomination)>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT n.commitment_id, {NOMINATION} WHERE n.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *db)
    .await?;
    row.map(|row| {
        Ok((
            parse_id(row.get::<&str, _>("commitment_id"))?,
            nomination(&row)?,
        ))
    })
    .transpose()
}

/// A commitment's nominations, oldest first.
pub async fn for_commitment(
    db: &mut DbConnection,
    commitment: CommitmentId,
) -> Result<Vec<Nomination>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {NOMINATION} WHERE n.commitment_id = $1 ORDER BY n.nominated_at"
    ))
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(nomination).collect()
}

/// Every nomination not yet printed, oldest first (the office's desk).
pub async fn unprinted(db: &mut DbConnection) -> Result<Vec<Nomination>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {NOMINATION} WHERE n.bulletin_id IS NULL ORDER BY n.nominated_at LIMIT 500"
    ))
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(nomination).collect()
}

/// The nominations with these ids (those that exist).
pub async fn several(
    db: &mut DbConnection,
    ids: &[NominationId],
) -> Result<Vec<Nomination>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = crate::db::numbered(&format!("SELECT {NOMINATION} WHERE n.id IN ({marks})"));
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id.to_string());
    }
    let rows = query.fetch_all(&mut *db).await?;
    rows.iter().map(nomination).collect()
}

pub async fn set_consent(
    db: &mut DbConnection,
    id: NominationId,
    consent: Consent,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE nominations SET consent = $1, consent_at = $2 WHERE id = $3")
        .bind(consent.as_str())
        .bind(now.to_rfc3339())
        .bind(id.to_string())
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// The number the next bulletin gets (第 N 期).
pub async fn next_number(db: &mut DbConnection) -> Result<u32, StoreError> {
    let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) FROM bulletins")
        .fetch_one(&mut *db)
        .await?;
    Ok(u32::try_from(last).unwrap_or(0) + 1)
}

/// Publishes an issue with the next number and marks its nominations
/// printed (inside the caller's write transaction).
pub async fn publish(
    db: &mut DbConnection,
    title: &str,
    intro: &str,
    practices: &[Featured],
    by: PersonId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<BulletinId, StoreError> {
    let id = BulletinId::new();
    let number = next_number(db).await?;
    sqlx::query(
        "INSERT INTO bulletins (id, number, title, intro, practices, published_on, published_at, published_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(i64::from(number))
    .bind(title.trim())
    .bind(intro.trim_end())
    .bind(serde_json::to_string(practices)?)
    .bind(today.to_string())
    .bind(now.to_rfc3339())
    .bind(by.to_string())
    .execute(&mut *db)
    .await?;
    for featured in practices {
        sqlx::query("UPDATE nominations SET bulletin_id = $1 WHERE id = $2")
            .bind(id.to_string())
            .bind(featured.nomination.to_string())
            .execute(&mut *db)
            .await?;
    }
    Ok(id)
}

const BULLETIN: &str = "b.id, b.number, b.title, b.intro, b.practices, b.published_on, \
     p.name AS published_by FROM bulletins b JOIN persons p ON p.id = b.published_by";

fn bulletin(row: &DbRow) -> Result<Bulletin, StoreError> {
    Ok(Bulletin {
        id: parse_id(row.get::<&str, _>("id"))?,
        number: u32::try_from(row.get::<i64, _>("number")).unwrap_or(0),
        title: row.get("title"),
        intro: row.get("intro"),
        practices: serde_json::from_str(row.get::<&str, _>("practices"))?,
        published_on: parse_day(row.get::<&str, _>("published_on"))?,
        published_by: row.get("published_by"),
    })
}

pub async fn bulletin_by_id(
    db: &mut DbConnection,
    id: BulletinId,
) -> Result<Option<Bulletin>, StoreError> {
    let row = sqlx::query(&format!("SELECT {BULLETIN} WHERE b.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *db)
        .await?;
    row.as_ref().map(bulletin).transpose()
}

/// The newest bulletins (at most 50).
pub async fn newest(db: &mut DbConnection) -> Result<Vec<Bulletin>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {BULLETIN} ORDER BY b.published_at DESC LIMIT 50"
    ))
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(bulletin).collect()
}
