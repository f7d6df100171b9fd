//! Evaluation rounds, their results per commitment, and rectification orders.

use crate::db::{DbConnection, DbRow};
use crate::store::StoreError;
use crate::store::{enum_from_text, parse_day, parse_id};
use chengnuo_domain::evaluation::{
    Assessment, AssessmentRecord, Assessor, OverdueRectification, Rectification,
    RectificationOrder, Round, RoundResult, Score,
};
use chengnuo_domain::ids::{CommitmentId, CycleId, PersonId, RectificationId, RoundId};
use chrono::NaiveDate;
use sqlx::Row;
use std::collections::HashMap;

/// A round's full result (what the server keeps; callers get a
/// `VisibleOutcome` cut to what they may see).
#[derive(Debug, Clone)]
pub struct RoundOutcome {
    pub round: Round,
    pub result: RoundResult,
}

const ROUND_COLUMNS: &str =
    "r.id, r.cycle_id, r.kind, r.opens_on, r.closes_on, r.is_closed, r.closed_on";

fn round_from_row(row: &DbRow) -> Result<Round, StoreError> {
    Ok(Round {
        id: parse_id(row.get::<&str, _>("id"))?,
        cycle: parse_id(row.get::<&str, _>("cycle_id"))?,
        kind: enum_from_text(row.get::<&str, _>("kind"))?,
        opens_on: parse_day(row.get::<&str, _>("opens_on"))?,
        closes_on: parse_day(row.get::<&str, _>("closes_on"))?,
        is_closed: row.get::<i64, _>("is_closed") != 0,
        closed_on: row
            .get::<Option<&str>, _>("closed_on")
            .map(parse_day)
            .transpose()?,
    })
}

pub async fn rounds(db: &mut DbConnection, cycle: CycleId) -> Result<Vec<Round>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds r WHERE r.cycle_id = $1 ORDER BY r.closes_on"
    ))
    .bind(cycle.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(round_from_row).collect()
}

pub async fn results(
    db: &mut DbConnection,
    commitment: CommitmentId,
) -> Result<Vec<RoundOutcome>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {ROUND_COLUMNS}, x.result FROM round_results x JOIN rounds r ON r.id = x.round_id \
         WHERE x.commitment_id = $1 ORDER BY r.closes_on"
    ))
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(RoundOutcome {
                round: round_from_row(row)?,
                result: serde_json::from_str(row.get::<&str, _>("result"))?,
            })
        })
        .collect()
}

const RECTIFICATION_COLUMNS: &str =
    "id, commitment_id, item_id, ordered_on, deadline, state, closed_on, entries";

fn rectification_from_row(row: &DbRow) -> Result<Rectification, StoreError> {
    Ok(Rectification {
        id: parse_id(row.get::<&str, _>("id"))?,
        item: row
            .get::<Option<&str>, _>("item_id")
            .map(parse_id)
            .transpose()?,
        ordered_on: parse_day(row.get::<&str, _>("ordered_on"))?,
        deadline: parse_day(row.get::<&str, _>("deadline"))?,
        state: enum_from_text(row.get::<&str, _>("state"))?,
        closed_on: row
            .get::<Option<&str>, _>("closed_on")
            .map(parse_day)
            .transpose()?,
        entries: serde_json::from_str(row.get::<&str, _>("entries"))?,
    })
}

pub async fn rectifications(
    db: &mut DbConnection,
    commitment: CommitmentId,
) -> Result<Vec<Rectification>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {RECTIFICATION_COLUMNS} FROM rectification_orders \
         WHERE commitment_id = $1 ORDER BY deadline, item_id"
    ))
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(rectification_from_row).collect()
}

/// One order and the commitment it belongs to.
pub async fn rectification(
    db: &mut DbConnection,
    id: RectificationId,
) -> Result<Option<(CommitmentId, Rectification)>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {RECTIFICATION_COLUMNS} FROM rectification_orders WHERE id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *db)
    .await?;
    row.as_ref().map(order_with_commitment).transpose()
}

/// Keeps an order's state and steps.
pub async fn save_rectification(
    db: &mut DbConnection,
    order: &Rectification,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE rectification_orders SET state = $1, closed_on = $2, entries = $3 WHERE id = $4",
    )
    .bind(crate::store::enum_text(&order.state))
    .bind(order.closed_on.map(|d| d.to_string()))
    .bind(serde_json::to_string(&order.entries)?)
    .bind(order.id.to_string())
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Orders not closed whose deadline has passed, school-wide (the office's
/// flag), with their commitment and its committer's name, in one query;
/// oldest deadline first.
pub async fn overdue_rectifications(
    db: &mut DbConnection,
    today: NaiveDate,
) -> Result<Vec<OverdueRectification>, StoreError> {
    let rows = sqlx::query(
        "SELECT r.id, r.commitment_id, r.item_id, r.ordered_on, r.deadline, r.state, r.closed_on, \
         r.entries, COALESCE(p.name, u.name, '') AS committer_name \
         FROM rectification_orders r JOIN commitments c ON c.id = r.commitment_id \
         LEFT JOIN persons p ON c.committer_type = 'person' AND p.id = c.committer_id \
         LEFT JOIN org_units u ON c.committer_type = 'unit' AND u.id = c.committer_id \
         WHERE r.state != 'Closed' AND r.deadline < $1 ORDER BY r.deadline",
    )
    .bind(today.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            let (commitment, order) = order_with_commitment(row)?;
            Ok(OverdueRectification {
                commitment,
                committer_name: row.get("committer_name"),
                order,
            })
        })
        .collect()
}

fn order_with_commitment(row: &DbRow) -> Result<(CommitmentId, Rectification), StoreError> {
    Ok((
        parse_id(row.get::<&str, _>("commitment_id"))?,
        rectification_from_row(row)?,
    ))
}

pub async fn insert_round(db: &mut DbConnection, round: &Round) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO rounds (id, cycle_id, kind, opens_on, closes_on, is_closed, closed_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(round.id.to_string())
    .bind(round.cycle.to_string())
    .bind(crate::store::enum_text(&round.kind))
    .bind(round.opens_on.to_string())
    .bind(round.closes_on.to_string())
    .bind(i64::from(round.is_closed))
    .bind(round.closed_on.map(|d| d.to_string()))
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// A commitment's result in a round, with what it was computed from.
pub async fn insert_result(
    db: &mut DbConnection,
    round: RoundId,
    commitment: CommitmentId,
    inputs: &chengnuo_domain::evaluation::RoundInputs,
    result: &RoundResult,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO round_results (round_id, commitment_id, inputs, result, grade) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(round.to_string())
    .bind(commitment.to_string())
    .bind(serde_json::to_string(inputs)?)
    .bind(serde_json::to_string(result)?)
    .bind(result.grade.map(|g| crate::store::enum_text(&g)))
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// An open rectification order (for an item, or the whole commitment).
pub async fn insert_rectification(
    db: &mut DbConnection,
    commitment: CommitmentId,
    round: Option<RoundId>,
    order: &RectificationOrder,
) -> Result<RectificationId, StoreError> {
    let id = RectificationId::new();
    sqlx::query(
        "INSERT INTO rectification_orders (id, commitment_id, round_id, item_id, ordered_on, deadline, state) \
         VALUES ($1, $2, $3, $4, $5, $6, 'Open')",
    )
    .bind(id.to_string())
    .bind(commitment.to_string())
    .bind(round.map(|r| r.to_string()))
    .bind(order.item.map(|i| i.to_string()))
    .bind(order.ordered_on.to_string())
    .bind(order.deadline.to_string())
    .execute(&mut *db)
    .await?;
    Ok(id)
}

/// Keeps a score and its comment (the scorer's earlier one in the round is
/// replaced; an organization score replaces whoever gave the earlier one).
#[allow(clippy::too_many_arguments)]
pub async fn keep_assessment(
    db: &mut DbConnection,
    round: RoundId,
    commitment: CommitmentId,
    by: Assessor,
    scorer: PersonId,
    assessment: &Assessment,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    if by == Assessor::Organization {
        sqlx::query(
            "DELETE FROM assessments WHERE round_id = $1 AND commitment_id = $2 AND assessor = 'Organization'",
        )
        .bind(round.to_string())
        .bind(commitment.to_string())
        .execute(&mut *db)
        .await?;
    }
    sqlx::query(
        "INSERT INTO assessments (round_id, commitment_id, assessor, scorer_id, score, comment, scored_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (round_id, commitment_id, assessor, scorer_id) DO UPDATE SET \
         score = excluded.score, comment = excluded.comment, scored_at = excluded.scored_at",
    )
    .bind(round.to_string())
    .bind(commitment.to_string())
    .bind(crate::store::enum_text(&by))
    .bind(scorer.to_string())
    .bind(i64::from(assessment.score.points()))
    .bind(&assessment.comment)
    .bind(now.to_rfc3339())
    .execute(&mut *db)
    .await?;
    Ok(())
}

fn assessment_from_row(row: &DbRow) -> Result<AssessmentRecord, StoreError> {
    let points: i64 = row.get("score");
    Ok(AssessmentRecord {
        round: parse_id(row.get::<&str, _>("round_id"))?,
        by: enum_from_text(row.get::<&str, _>("assessor"))?,
        scorer: parse_id(row.get::<&str, _>("scorer_id"))?,
        scorer_name: row.get("scorer_name"),
        score: u8::try_from(points)
            .ok()
            .and_then(Score::new)
            .ok_or_else(|| StoreError::Corrupt(format!("score {points}")))?,
        comment: row.get("comment"),
        at: row.get("scored_at"),
    })
}

/// A commitment's scores, round by round.
pub async fn assessments(
    db: &mut DbConnection,
    commitment: CommitmentId,
) -> Result<Vec<AssessmentRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.round_id, a.assessor, a.scorer_id, COALESCE(p.name, '') AS scorer_name, a.score, \
         a.comment, a.scored_at FROM assessments a LEFT JOIN persons p ON p.id = a.scorer_id \
         WHERE a.commitment_id = $1 ORDER BY a.scored_at",
    )
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter().map(assessment_from_row).collect()
}

/// Every score of a round, by commitment: the leaders' and the organization's.
pub async fn round_scores(
    db: &mut DbConnection,
    round: RoundId,
) -> Result<HashMap<CommitmentId, (Vec<Score>, Option<Score>)>, StoreError> {
    let rows = sqlx::query(
        "SELECT commitment_id, assessor, score FROM assessments WHERE round_id = $1 ORDER BY scorer_id",
    )
    .bind(round.to_string())
    .fetch_all(&mut *db)
    .await?;
    let mut scores: HashMap<CommitmentId, (Vec<Score>, Option<Score>)> = HashMap::new();
    for row in rows {
        let commitment = parse_id(row.get::<&str, _>("commitment_id"))?;
        let points: i64 = row.get("score");
        let score = u8::try_from(points)
            .ok()
            .and_then(Score::new)
            .ok_or_else(|| StoreError::Corrupt(format!("score {points}")))?;
        let entry = scores.entry(commitment).or_default();
        match enum_from_text::<Assessor>(row.get::<&str, _>("assessor"))? {
            Assessor::Leader => entry.0.push(score),
            Assessor::Organization => entry.1 = Some(score),
        }
    }
    Ok(scores)
}

pub async fn round(db: &mut DbConnection, id: RoundId) -> Result<Option<Round>, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {ROUND_COLUMNS} FROM rounds r WHERE r.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut *db)
    .await?;
    row.as_ref().map(round_from_row).transpose()
}

/// Closes a round on `today` (final: nothing reopens it).
pub async fn close_round(
    db: &mut DbConnection,
    id: RoundId,
    today: NaiveDate,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE rounds SET is_closed = 1, closed_on = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(today.to_string())
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Keeps a committer's self-check of a round (replacing an earlier one).
pub async fn keep_self_check(
    db: &mut DbConnection,
    round: RoundId,
    commitment: CommitmentId,
    checks: &[chengnuo_domain::evaluation::SelfCheck],
    by: chengnuo_domain::ids::PersonId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    for check in checks {
        sqlx::query(
            "INSERT INTO self_checks (round_id, commitment_id, item_id, status, explanation, checked_by, checked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (round_id, commitment_id, item_id) DO UPDATE SET status = excluded.status, \
             explanation = excluded.explanation, checked_by = excluded.checked_by, checked_at = excluded.checked_at",
        )
        .bind(round.to_string())
        .bind(commitment.to_string())
        .bind(check.item.to_string())
        .bind(crate::store::enum_text(&check.status))
        .bind(&check.explanation)
        .bind(by.to_string())
        .bind(now.to_rfc3339())
        .execute(&mut *db)
        .await?;
    }
    Ok(())
}

/// A commitment's self-checks, round by round.
pub async fn self_checks(
    db: &mut DbConnection,
    commitment: CommitmentId,
) -> Result<Vec<chengnuo_domain::evaluation::SelfCheckRecord>, StoreError> {
    let rows = sqlx::query(
        "SELECT round_id, item_id, status, explanation, checked_at FROM self_checks \
         WHERE commitment_id = $1 ORDER BY checked_at, item_id",
    )
    .bind(commitment.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(chengnuo_domain::evaluation::SelfCheckRecord {
                round: parse_id(row.get::<&str, _>("round_id"))?,
                item: parse_id(row.get::<&str, _>("item_id"))?,
                status: enum_from_text(row.get::<&str, _>("status"))?,
                explanation: row.get("explanation"),
                checked_at: row.get("checked_at"),
            })
        })
        .collect()
}

/// The scores `scorer` gave in `round`: which commitment, as whom.
pub async fn scored_by(
    db: &mut DbConnection,
    round: RoundId,
    scorer: PersonId,
) -> Result<Vec<(CommitmentId, Assessor)>, StoreError> {
    let rows = sqlx::query(
        "SELECT commitment_id, assessor FROM assessments WHERE round_id = $1 AND scorer_id = $2",
    )
    .bind(round.to_string())
    .bind(scorer.to_string())
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                parse_id(row.get::<&str, _>("commitment_id"))?,
                enum_from_text(row.get::<&str, _>("assessor"))?,
            ))
        })
        .collect()
}
