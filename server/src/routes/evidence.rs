//! Evidence files (佐证材料) of a commitment's ledger: put by their content
//! hash (a retried upload is stored once), read by those who may see the
//! ledger, and by anyone where the entry carrying them is public.

use crate::auth::session::{MaybeSignedIn, SignedIn};
use crate::context::ApiContext;
use crate::db;
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::{audit, evidence};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::evidence::{self as rules, Evidence, EvidenceKind, MAX_FILE_BYTES};
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::Action;
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(put_file, get_file))
        // A file may be larger than the API's other bodies; beyond this the
        // answer is the field message below, not a cut connection.
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES as usize + 1024 * 1024))
}

fn too_large() -> ApiError {
    let mut errors = ValidationErrors::default();
    errors.push(
        "file",
        Message::FileTooLarge {
            max: (MAX_FILE_BYTES / (1024 * 1024)) as usize,
        },
    );
    ApiError::Invalid(errors)
}

/// Gives a file to a commitment's ledger (its author only, while the
/// commitment is in force). The path names the SHA-256 of the bytes; the
/// bytes must be a JPEG, PNG, WebP or PDF of at most 5 MB, and fit the
/// commitment's 100 MB. Sending a file the commitment holds already
/// changes nothing (200); a new one is kept (201).
#[utoipa::path(put, path = "/commitments/{id}/evidence/{hash}", tag = "ledger", security(("session" = [])),
    params(("id" = CommitmentId, Path), ("hash" = String, Path, description = "lowercase hex SHA-256 of the bytes")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Evidence), (status = 200, body = Evidence), Refusals))]
async fn put_file(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path((id, hash)): Path<(CommitmentId, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    if !rules::is_content_hash(&hash) {
        return Err(ApiError::NotFound);
    }
    let now = Utc::now();
    let result = db::write(&context.db, async |tx| {
        super::commitment_for(&mut *tx, id, &signed_in.actor, Action::RecordProgress).await?;
        let bytes = body.map_err(|_| too_large())?;
        if let Some((kind, size)) = evidence::held(&mut *tx, id, &hash).await? {
            return Ok((StatusCode::OK, answer(&hash, kind, size)));
        }
        let kind = rules::check_file(&hash, &bytes)?;
        let held = evidence::total(&mut *tx, id).await?;
        rules::fits_commitment(held, bytes.len() as u64)?;
        let by = signed_in.person.person.id;
        evidence::keep(&mut *tx, id, &hash, kind, &bytes, by, now).await?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: Some(by),
                action: AuditAction::UploadEvidence,
                subject_type: "commitment",
                subject_id: id.to_string(),
                from_state: None,
                to_state: None,
                comment: Some(format!("{hash} {} {}", kind.content_type(), bytes.len())),
            },
        )
        .await?;
        Ok((StatusCode::CREATED, answer(&hash, kind, bytes.len() as u64)))
    })
    .await?;
    Ok((result.0, Json(result.1)))
}

fn answer(hash: &str, kind: EvidenceKind, size: u64) -> Evidence {
    Evidence {
        hash: hash.to_owned(),
        kind,
        size,
        name: String::new(),
    }
}

/// A file of a commitment's ledger, to whoever may see the ledger; to
/// anyone if a public entry carries it. `HEAD` tells a phone whether the
/// server has it already (a dropped upload is not sent twice).
#[utoipa::path(get, path = "/commitments/{id}/evidence/{hash}", tag = "ledger",
    params(("id" = CommitmentId, Path), ("hash" = String, Path)),
    responses((status = 200, description = "The file, with its type by content", content_type = "application/octet-stream", body = Vec<u8>), Refusals))]
async fn get_file(
    State(context): State<ApiContext>,
    who: MaybeSignedIn,
    Path((id, hash)): Path<(CommitmentId, String)>,
) -> Result<Response, ApiError> {
    if !rules::is_content_hash(&hash) {
        return Err(ApiError::NotFound);
    }
    let mut db = context.db.acquire().await?;
    let in_scope = super::commitment_for(&mut db, id, &who.actor(), Action::ViewLedger)
        .await
        .is_ok();
    if !in_scope && !evidence::is_public(&mut db, id, &hash).await? {
        // Not told apart from a file that does not exist.
        return Err(ApiError::NotFound);
    }
    let (kind, bytes) = evidence::read(&mut db, id, &hash)
        .await?
        .ok_or(ApiError::NotFound)?;
    let disposition = format!(
        "{}; filename=\"evidence-{}.{}\"",
        if kind.is_image() {
            "inline"
        } else {
            "attachment"
        },
        &hash[..12],
        kind.extension()
    );
    let cache = if in_scope {
        "private, max-age=31536000, immutable"
    } else {
        "public, max-age=86400"
    };
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static(kind.content_type()),
        ),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).map_err(|_| ApiError::NotFound)?,
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
    ];
    Ok((headers, bytes).into_response())
}
