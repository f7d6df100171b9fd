//! Evidence files, once per content hash, and which commitment each was
//! given to.

use crate::db::{Backend, DbConnection};
use crate::store::{enum_from_text, enum_text, StoreError};
use chengnuo_domain::evidence::EvidenceKind;
use chengnuo_domain::ids::{CommitmentId, PersonId};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// Whether `commitment` holds the file `hash` (it was uploaded for it).
pub async fn held(
    db: &mut DbConnection,
    commitment: CommitmentId,
    hash: &str,
) -> Result<Option<(EvidenceKind, u64)>, StoreError> {
    let row = sqlx::query(
        "SELECT f.kind, f.size FROM commitment_evidence c JOIN evidence_files f ON f.hash = c.hash \
         WHERE c.commitment_id = $1 AND c.hash = $2",
    )
    .bind(commitment.to_string())
    .bind(hash)
    .fetch_optional(&mut *db)
    .await?;
    row.map(|row| {
        Ok((
            enum_from_text(row.get::<&str, _>("kind"))?,
            row.get::<i64, _>("size") as u64,
        ))
    })
    .transpose()
}

/// The bytes of all files given to `commitment` together.
pub async fn total(db: &mut DbConnection, commitment: CommitmentId) -> Result<u64, StoreError> {
    let total: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(f.size), 0) AS BIGINT) FROM commitment_evidence c JOIN evidence_files f ON f.hash = c.hash \
         WHERE c.commitment_id = $1",
    )
    .bind(commitment.to_string())
    .fetch_one(&mut *db)
    .await?;
    Ok(total as u64)
}

/// Keeps a file for `commitment`: its bytes once whoever sent them first,
/// its link to the commitment once however often it is sent.
pub async fn keep(
    db: &mut DbConnection,
    commitment: CommitmentId,
    hash: &str,
    kind: EvidenceKind,
    bytes: &[u8],
    by: PersonId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO evidence_files (hash, kind, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (hash) DO NOTHING",
    )
    .bind(hash)
    .bind(enum_text(&kind))
    .bind(bytes.len() as i64)
    .bind(bytes)
    .bind(now.to_rfc3339())
    .execute(&mut *db)
    .await?;
    sqlx::query(
        "INSERT INTO commitment_evidence (commitment_id, hash, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (commitment_id, hash) DO NOTHING",
    )
    .bind(commitment.to_string())
    .bind(hash)
    .bind(by.to_string())
    .bind(now.to_rfc3339())
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// A file of `commitment`: its kind and bytes.
pub async fn read(
    db: &mut DbConnection,
    commitment: CommitmentId,
    hash: &str,
) -> Result<Option<(EvidenceKind, Vec<u8>)>, StoreError> {
    let row = sqlx::query(
        "SELECT f.kind, f.bytes FROM commitment_evidence c JOIN evidence_files f ON f.hash = c.hash \
         WHERE c.commitment_id = $1 AND c.hash = $2",
    )
    .bind(commitment.to_string())
    .bind(hash)
    .fetch_optional(&mut *db)
    .await?;
    row.map(|row| {
        Ok((
            enum_from_text(row.get::<&str, _>("kind"))?,
            row.get::<Vec<u8>, _>("bytes"),
        ))
    })
    .transpose()
}

/// Whether a ledger entry of `commitment` shown on the public board carries `hash`.
pub async fn is_public(
    db: &mut DbConnection,
    commitment: CommitmentId,
    hash: &str,
) -> Result<bool, StoreError> {
    let sql = match Backend::of(db) {
        Backend::Sqlite => {
            "SELECT 1 FROM progress_entries e, json_each(e.evidence) j \
             WHERE e.commitment_id = $1 AND e.public = 1 AND json_extract(j.value, '$.hash') = $2 LIMIT 1"
        }
        Backend::Postgres => {
            "SELECT 1 FROM progress_entries e, jsonb_array_elements(e.evidence::jsonb) j \
             WHERE e.commitment_id = $1 AND e.public = 1 AND j->>'hash' = $2 LIMIT 1"
        }
    };
    let found: Option<i64> = sqlx::query_scalar(sql)
        .bind(commitment.to_string())
        .bind(hash)
        .fetch_optional(&mut *db)
        .await?;
    Ok(found.is_some())
}
