//! The public board (公开栏): published commitments, no sign-in needed.

use crate::context::ApiContext;
use crate::error::ApiError;
use crate::openapi::Refusals;
use crate::store::commitments::{self, Stored};
use crate::store::directory::Directory;
use axum::extract::{Path, Query, State};
use axum::Json;
use chengnuo_domain::ids::{CommitmentId, OrgUnitId};
use chengnuo_domain::permission::Actor;
use chengnuo_domain::publication::Published;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(one))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    committee: Option<OrgUnitId>,
    /// Words to find in the committer's name or the items.
    q: Option<String>,
}

async fn published(context: &ApiContext) -> Result<(Directory, Vec<Published>), ApiError> {
    let mut db = context.db.acquire().await?;
    let directory = Directory::load(&mut db).await?;
    let stored: Vec<Stored> =
        commitments::visible(&mut db, &directory, &Actor::public(), None).await?;
    let mut out = Vec::new();
    for stored in stored {
        let dossier = stored.dossier;
        let unit = dossier.ancestry.unit();
        let committee = unit.and_then(|u| directory.committee_of(u));
        let branch = unit
            .and_then(|u| directory.unit(u))
            .filter(|u| matches!(u.unit.kind, chengnuo_domain::org::OrgUnitKind::Branch(_)));
        out.push(Published {
            id: dossier.id,
            cycle: dossier.cycle,
            number: dossier.number.clone(),
            committer: dossier.committer,
            kind: dossier.kind,
            committer_name: commitments::committer_name(&mut db, &directory, dossier.committer)
                .await?,
            branch: branch.map(|b| b.unit.name.clone()),
            committee: committee.map(|c| c.unit.name.clone()),
            committee_id: committee.map(|c| c.unit.id),
            display: dossier.display,
            commitment: dossier.signed,
        });
    }
    Ok((directory, out))
}

/// Published commitments, by committee and words; no sign-in needed.
#[utoipa::path(get, path = "/board", tag = "board", params(Filter),
    responses((status = 200, body = Vec<Published>), Refusals))]
async fn list(
    State(context): State<ApiContext>,
    Query(filter): Query<Filter>,
) -> Result<Json<Vec<Published>>, ApiError> {
    let (_, all) = published(&context).await?;
    let words: Vec<String> = filter
        .q
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let matches = |p: &Published| {
        let mut text = p.committer_name.to_lowercase();
        if let Some(c) = &p.commitment {
            for item in c.items() {
                text.push(' ');
                text.push_str(&item.content().to_lowercase());
            }
        }
        words.iter().all(|w| text.contains(w))
    };
    Ok(Json(
        all.into_iter()
            .filter(|p| filter.committee.is_none_or(|c| p.committee_id == Some(c)))
            .filter(matches)
            .collect(),
    ))
}

/// One published commitment.
#[utoipa::path(get, path = "/board/{id}", tag = "board", params(("id" = CommitmentId, Path)),
    responses((status = 200, body = Published), Refusals))]
async fn one(
    State(context): State<ApiContext>,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Published>, ApiError> {
    let (_, all) = published(&context).await?;
    all.into_iter()
        .find(|p| p.id == id)
        .map(Json)
        .ok_or(ApiError::NotFound)
}
