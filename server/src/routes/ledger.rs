//! The ledger (台帐) of a signed commitment: its items with their fulfilment,
//! dated progress entries, the author's claims and the parent unit's crossing off.

use crate::auth::session::SignedIn;
use crate::context::ApiContext;
use crate::db;
use crate::db::DbConnection;
use crate::error::{ApiError, ApiJson};
use crate::openapi::Refusals;
use crate::store::commitments::{self, Stored};
use crate::store::ledger;
use crate::store::{audit, enum_text};
use axum::extract::{Path, State};
use axum::Json;
use chengnuo_domain::audit::AuditAction;
use chengnuo_domain::cycle::Cycle;
use chengnuo_domain::ids::{CommitmentId, ItemId};
use chengnuo_domain::ledger::ProgressDraft;
use chengnuo_domain::ledger::{Ledger, LedgerItem, StepRequest};
use chengnuo_domain::permission::Action;
use chengnuo_domain::workflow::ItemStep;
use chrono::Utc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<ApiContext> {
    OpenApiRouter::new()
        .routes(routes!(show, record))
        .routes(routes!(step))
}

async fn ledger_of(db: &mut DbConnection, stored: &Stored) -> Result<Ledger, ApiError> {
    let today = cycle_of(db, stored).await?.today(Utc::now());
    let dossier = &stored.dossier;
    let texts = dossier.signed.as_ref().map(|c| c.items()).unwrap_or(&[]);
    let items = dossier
        .fulfilment
        .iter()
        .map(|f| {
            let text = texts.iter().find(|i| i.id() == f.item);
            LedgerItem {
                item: f.item,
                content: text.map(|t| t.content().to_owned()).unwrap_or_default(),
                measures: text.map(|t| t.measures().to_owned()).unwrap_or_default(),
                deadline: f.deadline,
                state: f.state,
                status: f.state.status_on(f.deadline, today),
            }
        })
        .collect();
    Ok(Ledger {
        commitment: dossier.id,
        items,
        entries: ledger::for_commitment(db, dossier.id).await?,
    })
}

async fn cycle_of(db: &mut DbConnection, stored: &Stored) -> Result<Cycle, ApiError> {
    crate::store::cycles::get(db, stored.dossier.cycle)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The ledger of a commitment the caller may see.
#[utoipa::path(get, path = "/commitments/{id}/ledger", tag = "ledger", security(("session" = [])),
    params(("id" = CommitmentId, Path)), responses((status = 200, body = Ledger), Refusals))]
async fn show(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
) -> Result<Json<Ledger>, ApiError> {
    let mut db = context.db.acquire().await?;
    let stored = super::commitment_for(&mut db, id, &signed_in.actor, Action::View).await?;
    let mut ledger = ledger_of(&mut db, &stored).await?;
    if stored
        .dossier
        .check(&signed_in.actor, Action::ViewLedger)
        .is_err()
    {
        // Outside the chain: the entries the committer made public.
        ledger.entries.retain(|e| e.public);
    }
    Ok(Json(ledger))
}

/// The author records dated progress on an item (not in the future).
#[utoipa::path(post, path = "/commitments/{id}/ledger", tag = "ledger", security(("session" = [])),
    params(("id" = CommitmentId, Path)), request_body = ProgressDraft,
    responses((status = 200, body = Ledger), Refusals))]
async fn record(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path(id): Path<CommitmentId>,
    ApiJson(draft): ApiJson<ProgressDraft>,
) -> Result<Json<Ledger>, ApiError> {
    let now = Utc::now();
    let result = db::write(&context.db, async |tx| {
        let stored =
            super::commitment_for(&mut *tx, id, &signed_in.actor, Action::RecordProgress).await?;
        let items: Vec<ItemId> = stored.dossier.fulfilment.iter().map(|f| f.item).collect();
        let by = signed_in.person.person.id;
        let cycle = cycle_of(&mut *tx, &stored).await?;
        let mut entry = draft.parse(&items, by, cycle.today(now), cycle.calendar.fulfilment())?;
        crate::operations::attach_files(&mut *tx, id, &mut entry).await??;
        ledger::insert(&mut *tx, id, &entry, now).await?;
        ledger_of(&mut *tx, &stored).await
    })
    .await;
    Ok(Json(result?))
}

/// The author claims an item done; the parent unit crosses it off (销号) or
/// sends the claim back with a reason.
#[utoipa::path(post, path = "/commitments/{id}/items/{item}/steps", tag = "ledger", security(("session" = [])),
    params(("id" = CommitmentId, Path), ("item" = ItemId, Path)), request_body = StepRequest,
    responses((status = 200, body = Ledger), Refusals))]
async fn step(
    State(context): State<ApiContext>,
    signed_in: SignedIn,
    Path((id, item)): Path<(CommitmentId, ItemId)>,
    ApiJson(body): ApiJson<StepRequest>,
) -> Result<Json<Ledger>, ApiError> {
    let now = Utc::now();
    let result = db::write(&context.db, async |tx| {
        let mut stored =
            super::commitment_for(&mut *tx, id, &signed_in.actor, Action::View).await?;
        let before = stored.dossier.clone();
        let today = cycle_of(&mut *tx, &stored).await?.today(now);
        stored
            .dossier
            .step_item(&signed_in.actor, item, body.step, &body.reason, today)
            .map_err(ApiError::from)?;
        let state_of = |dossier: &chengnuo_domain::dossier::Dossier| {
            dossier
                .fulfilment
                .iter()
                .find(|f| f.item == item)
                .map(|f| enum_text(&f.state))
        };
        commitments::save(&mut *tx, &stored.dossier, now).await?;
        audit::record(
            &mut *tx,
            audit::Record {
                at: now,
                actor: signed_in.actor.person,
                action: match body.step {
                    ItemStep::Claim => AuditAction::ClaimItem,
                    ItemStep::CrossOff => AuditAction::CrossOffItem,
                    ItemStep::RejectClaim => AuditAction::RejectClaim,
                },
                subject_type: "commitment",
                subject_id: id.to_string(),
                from_state: state_of(&before),
                to_state: state_of(&stored.dossier),
                comment: Some(format!("{item}: {}", body.reason.trim()))
                    .filter(|_| !body.reason.trim().is_empty()),
            },
        )
        .await?;
        ledger_of(&mut *tx, &stored).await
    })
    .await;
    Ok(Json(result?))
}
