//! The public board (公开栏): published commitments, no sign-in needed. A
//! page of the list, filtered and searched in SQL; an entry read as stored.
//! Both answer with an ETag (the board's version and the question): a
//! browser that has the page asks again with `If-None-Match` and gets 304.
//! Pages are also kept in memory until the board changes, so a school's
//! whole faculty opening the same page costs one query.

use crate::context::{ApiContext, KeptAnswer};
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::board::{self, Filter};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chengnuo_domain::ids::{CommitmentId, OrgUnitId};
use chengnuo_domain::ledger::ProgressLine;
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::publication::{BoardPage, Published};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(one))
        .routes(routes!(public_ledger))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Question {
    /// The cycle's year; the latest with published commitments when absent.
    year: Option<i32>,
    committee: Option<OrgUnitId>,
    branch: Option<OrgUnitId>,
    /// Words to find in the committer's name or the items (all of them).
    q: Option<String>,
    /// Where the page starts (`next` of the previous page).
    #[param(minimum = 0, maximum = 1000000)]
    offset: Option<u32>,
}

/// The furthest a page may start.
const MAX_OFFSET: u32 = 1_000_000;

impl Question {
    fn filter(self, today: chrono::NaiveDate) -> Result<Filter, ApiError> {
        let offset = self.offset.unwrap_or(0);
        if offset > MAX_OFFSET {
            let mut errors = ValidationErrors::default();
            errors.push("offset", Message::InvalidValue);
            return Err(errors.into());
        }
        Ok(Filter {
            year: self.year,
            committee: self.committee,
            branch: self.branch,
            words: self
                .q
                .unwrap_or_default()
                .split_whitespace()
                .take(8)
                .map(|w| w.chars().take(40).collect())
                .collect(),
            offset,
            today,
        })
    }
}

const KEPT: usize = 512;

/// `Cache-Control` of board answers: public (the same for everyone), and
/// revalidated after a minute.
const PUBLIC: &str = "public, max-age=60";

/// Whether the request's `Accept-Encoding` takes brotli.
fn takes_brotli(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|coding| {
                let mut parts = coding.split(';');
                let name = parts.next().unwrap_or_default().trim();
                let refused = parts.any(|p| p.trim().replace(' ', "") == "q=0");
                name.eq_ignore_ascii_case("br") && !refused
            })
        })
}

/// `kept`: the answer is kept for others (compressed here, once); else
/// the compression layer compresses it as any answer.
fn answer(body: Arc<KeptAnswer>, etag: String, headers: &HeaderMap, kept: bool) -> Response {
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else if kept && takes_brotli(headers) {
        // Compressed once and kept: the compression layer leaves an
        // answer that says its encoding as it is.
        (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CONTENT_ENCODING, "br"),
            ],
            body.brotli().to_vec(),
        )
            .into_response()
    } else {
        (
            [(header::CONTENT_TYPE, "application/json")],
            body.json.clone(),
        )
            .into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC));
    response
}

fn etag_of(version: i64, what: &impl std::hash::Hash) -> String {
    use std::hash::{DefaultHasher, Hasher};
    let mut hasher = DefaultHasher::new();
    what.hash(&mut hasher);
    format!("\"b{version}-{:x}\"", hasher.finish())
}

/// Published commitments, a page at a time: by year, committee, branch and
/// words; no sign-in needed.
#[utoipa::path(get, path = "/board", tag = "board", params(Question),
    responses((status = 200, body = BoardPage), (status = 304, description = "Not modified (If-None-Match)"), Refusals))]
async fn list(
    State(context): State<ApiContext>,
    Query(question): Query<Question>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut db = context.db.acquire().await?;
    let filter =
        question.filter(crate::store::cycles::school_today(&mut db, chrono::Utc::now()).await?)?;
    let version = board::version(&mut db).await?;
    let etag = etag_of(version, &filter);
    let cached = {
        let kept = context.board_pages.0.lock().expect("not poisoned");
        (kept.0 == version)
            .then(|| kept.1.get(&filter).cloned())
            .flatten()
    };
    let body = match cached {
        Some(body) => body,
        None => {
            let directory = context.directories.get(&mut db).await?;
            let page = board::page(&mut db, &directory, &filter).await?;
            let body = Arc::new(KeptAnswer::new(serde_json::to_string(&page)?));
            let mut kept = context.board_pages.0.lock().expect("not poisoned");
            if kept.0 != version || kept.1.len() >= KEPT {
                *kept = (version, HashMap::new());
            }
            kept.1.insert(filter, body.clone());
            body
        }
    };
    Ok(answer(body, etag, &headers, true))
}

/// One published commitment.
#[utoipa::path(get, path = "/board/{id}", tag = "board", params(("id" = CommitmentId, Path)),
    responses((status = 200, body = Published), (status = 304, description = "Not modified (If-None-Match)"), Refusals))]
async fn one(
    State(context): State<ApiContext>,
    Path(id): Path<CommitmentId>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let mut db = context.db.acquire().await?;
    let entry = board::entry(&mut db, id).await?.ok_or(ApiError::NotFound)?;
    // Its text never changes once on the board, its progress does: the
    // tag follows the board's version.
    let version = board::version(&mut db).await?;
    let etag = etag_of(version, &id.to_string());
    Ok(answer(
        Arc::new(KeptAnswer::new(entry)),
        etag,
        &headers,
        false,
    ))
}

/// The ledger entries the committer made public, newest first, with their
/// files (served to anyone: `GET /api/commitments/{id}/evidence/{hash}`).
#[utoipa::path(get, path = "/board/{id}/ledger", tag = "board", params(("id" = CommitmentId, Path)),
    responses((status = 200, body = Vec<ProgressLine>), Refusals))]
async fn public_ledger(
    State(context): State<ApiContext>,
    Path(id): Path<CommitmentId>,
) -> Result<axum::Json<Vec<ProgressLine>>, ApiError> {
    let mut db = context.db.acquire().await?;
    board::entry(&mut db, id).await?.ok_or(ApiError::NotFound)?;
    let mut entries: Vec<ProgressLine> = crate::store::ledger::for_commitment(&mut db, id)
        .await?
        .into_iter()
        .filter(|e| e.public)
        .collect();
    entries.reverse();
    Ok(axum::Json(entries))
}
