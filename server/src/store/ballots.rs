//! Mass evaluation (群众评议): one-time codes, kept as hashes and numbered per
//! unit and round, and the counts the ballots add to. No ballot row exists,
//! so nothing stored links a ballot to its code or to a time.

use crate::db::DbConnection;
use crate::store::StoreError;
use crate::store::{enum_from_text, parse_id};
use chengnuo_domain::evaluation::Ballot;
use chengnuo_domain::ids::{CommitmentId, OrgUnitId, RoundId};
use chengnuo_domain::mass_evaluation::{CodeCounts, CodeState, Tally};
use sqlx::Row;
use std::collections::HashMap;

/// Keeps new codes (their hashes) for a unit in a round; returns their
/// numbers, following those already issued.
pub async fn issue(
    db: &mut DbConnection,
    round: RoundId,
    unit: OrgUnitId,
    hashes: &[String],
) -> Result<Vec<u32>, StoreError> {
    let last: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) FROM ballot_codes WHERE round_id = $1 AND unit_id = $2",
    )
    .bind(round.to_string())
    .bind(unit.to_string())
    .fetch_one(&mut *db)
    .await?;
    let mut numbers = Vec::with_capacity(hashes.len());
    for (n, hash) in hashes.iter().enumerate() {
        let number = last + 1 + n as i64;
        sqlx::query(
            "INSERT INTO ballot_codes (round_id, unit_id, number, code_hash, state) VALUES ($1, $2, $3, $4, 'Unused')",
        )
        .bind(round.to_string())
        .bind(unit.to_string())
        .bind(number)
        .bind(hash)
        .execute(&mut *db)
        .await?;
        numbers.push(u32::try_from(number).unwrap_or(u32::MAX));
    }
    Ok(numbers)
}

/// The round and unit of a code, and its state; none for an unknown code.
pub async fn find(
    db: &mut DbConnection,
    hash: &str,
) -> Result<Option<(RoundId, OrgUnitId, CodeState)>, StoreError> {
    let row = sqlx::query("SELECT round_id, unit_id, state FROM ballot_codes WHERE code_hash = $1")
        .bind(hash)
        .fetch_optional(&mut *db)
        .await?;
    row.map(|row| {
        Ok((
            parse_id(row.get::<&str, _>("round_id"))?,
            parse_id(row.get::<&str, _>("unit_id"))?,
            enum_from_text(row.get::<&str, _>("state"))?,
        ))
    })
    .transpose()
}

/// Marks an unused code used; false when it was not unused any more (the
/// other of two phones casting with the same code at once).
pub async fn use_code(db: &mut DbConnection, hash: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE ballot_codes SET state = 'Used' WHERE code_hash = $1 AND state = 'Unused'",
    )
    .bind(hash)
    .execute(&mut *db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds one ballot's choice to a commitment's count in a round.
pub async fn count(
    db: &mut DbConnection,
    round: RoundId,
    commitment: CommitmentId,
    ballot: Ballot,
) -> Result<(), StoreError> {
    let column = match ballot {
        Ballot::Satisfied => "satisfied",
        Ballot::FairlySatisfied => "fairly_satisfied",
        Ballot::Dissatisfied => "dissatisfied",
    };
    sqlx::query(&format!(
        "INSERT INTO mass_tallies (round_id, commitment_id, {column}) VALUES ($1, $2, 1) \
         ON CONFLICT (round_id, commitment_id) DO UPDATE SET {column} = mass_tallies.{column} + 1"
    ))
    .bind(round.to_string())
    .bind(commitment.to_string())
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Voids unused codes of a unit in a round by their numbers; returns how
/// many were voided (a used code stays used).
pub async fn void(
    db: &mut DbConnection,
    round: RoundId,
    unit: OrgUnitId,
    numbers: &[u64],
) -> Result<u64, StoreError> {
    let mut voided = 0;
    for number in numbers {
        voided += sqlx::query(
            "UPDATE ballot_codes SET state = 'Void' WHERE round_id = $1 AND unit_id = $2 AND number = $3 AND state = 'Unused'",
        )
        .bind(round.to_string())
        .bind(unit.to_string())
        .bind(i64::try_from(*number).unwrap_or(i64::MAX))
        .execute(&mut *db)
        .await?
        .rows_affected();
    }
    Ok(voided)
}

/// A unit's codes in a round, counted, and the numbers not used yet.
pub async fn counts(
    db: &mut DbConnection,
    round: RoundId,
    unit: OrgUnitId,
) -> Result<(CodeCounts, Vec<u32>), StoreError> {
    let rows = sqlx::query(
        "SELECT number, state FROM ballot_codes WHERE round_id = $1 AND unit_id = $2 ORDER BY number",
    )
    .bind(round.to_string())
    .bind(unit.to_string())
    .fetch_all(&mut *db)
    .await?;
    let mut counts = CodeCounts::default();
    let mut unused = Vec::new();
    for row in rows {
        counts.issued += 1;
        match enum_from_text::<CodeState>(row.get::<&str, _>("state"))? {
            CodeState::Unused => {
                counts.unused += 1;
                unused.push(u32::try_from(row.get::<i64, _>("number")).unwrap_or(u32::MAX));
            }
            CodeState::Used => counts.used += 1,
            CodeState::Void => counts.void += 1,
        }
    }
    Ok((counts, unused))
}

/// Every commitment's count in a round.
pub async fn tallies(
    db: &mut DbConnection,
    round: RoundId,
) -> Result<HashMap<CommitmentId, Tally>, StoreError> {
    let rows = sqlx::query(
        "SELECT commitment_id, satisfied, fairly_satisfied, dissatisfied FROM mass_tallies WHERE round_id = $1",
    )
    .bind(round.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            let n = |c: &str| u32::try_from(row.get::<i64, _>(c)).unwrap_or(0);
            Ok((
                parse_id(row.get::<&str, _>("commitment_id"))?,
                Tally {
                    satisfied: n("satisfied"),
                    fairly_satisfied: n("fairly_satisfied"),
                    dissatisfied: n("dissatisfied"),
                },
            ))
        })
        .collect()
}
