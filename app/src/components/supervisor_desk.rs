//! The part of the dashboard for those who supervise a unit (secretaries,
//! leaders, the office): the unit's own commitment, what waits for their
//! review, and the commitments they follow. A part of its own
//! (`on_demand::SupervisorDeskPart`): a member never downloads it; a
//! secretary's app fetches it while online.

use crate::components::commitment_card::CommitmentCard;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::router::use_navigate;
use crate::state::{use_state, Workspace};
use chengnuo_domain::commitment::Committer;
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::permission::Action;
use leptos::prelude::*;

/// What awaits this reviewer, grouped by the committer's unit, oldest first.
fn review_queue(workspace: &Workspace) -> Vec<(String, Vec<CommitmentId>)> {
    let mut waiting: Vec<(String, chrono::DateTime<chrono::Utc>, CommitmentId)> = workspace
        .replica
        .commitments
        .iter()
        .filter(|c| workspace.may(Action::Review, c.id))
        .map(|local| {
            let unit = local
                .ancestry
                .0
                .first()
                .and_then(|u| workspace.unit_name(*u))
                .unwrap_or_default();
            let since = local
                .server
                .as_ref()
                .map(|s| s.updated_at)
                .unwrap_or_default();
            (unit, since, local.id)
        })
        .collect();
    waiting.sort();
    let mut groups: Vec<(String, Vec<CommitmentId>)> = Vec::new();
    for (unit, _, id) in waiting {
        match groups.last_mut() {
            Some((name, ids)) if *name == unit => ids.push(id),
            _ => groups.push((unit, vec![id])),
        }
    }
    groups
}

/// This cycle's commitments the person supervises (not their own), by name:
/// where a secretary follows them after review, to publish them.
fn supervised(workspace: &Workspace) -> Vec<CommitmentId> {
    let cycle = workspace.cycle.as_ref().map(|c| c.id);
    let mut found: Vec<(String, CommitmentId)> = workspace
        .replica
        .commitments
        .iter()
        .filter(|c| Some(c.cycle) == cycle && !workspace.is_author(c.committer))
        .map(|c| (c.committer_name.clone(), c.id))
        .collect();
    found.sort();
    found.into_iter().map(|(_, id)| id).collect()
}

#[component]
pub fn SupervisorDesk() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let navigate = use_navigate();
    let workspace = move || state.workspace.get();
    let unit = move || workspace().and_then(|w| w.led_unit());
    let unit_commitment = move || {
        workspace().and_then(|w| {
            w.led_unit()
                .and_then(|(id, _, _)| w.commitment_of(Committer::Unit(id)))
        })
    };
    let queue = move || workspace().map(|w| review_queue(&w)).unwrap_or_default();
    let review_by = move || workspace().and_then(|w| w.cycle.map(|c| c.calendar.review.end));
    let start = move |unit| {
        let navigate = navigate.clone();
        move |_| {
            if let Some(id) = state.start_commitment(Committer::Unit(unit)) {
                navigate(&Page::Commitment(id).path());
            }
        }
    };
    view! {
        {move || unit().map(|(unit_id, name, _)| {
            let start = start.clone();
            view! {
                <div class="card">
                    <h2>{move || i18n.text(Words::UnitCommitment)}" · "{name.clone()}</h2>
                    {move || match unit_commitment() {
                        Some(id) => view! { <CommitmentCard id=id/> }.into_any(),
                        None => view! {
                            <button type="button" class="button" on:click=start.clone()(unit_id)>
                                {move || i18n.text(Text::StartCommitment)}
                            </button>
                        }.into_any(),
                    }}
                </div>
            }
        })}
        <div class="card">
            <h2>{move || i18n.text(Words::ReviewQueue)}</h2>
            {move || review_by().map(|end| {
                let late = crate::time::today() > end;
                view! {
                    <p class="calendar">{i18n.text(Words::ReviewBy)}": "{end.to_string()}
                        {late.then(|| view! { " "<span class="badge conflict">{i18n.text(Text::Late)}</span> })}
                    </p>
                }
            })}
            {move || {
                let groups = queue();
                if groups.is_empty() {
                    view! { <p class="hint">{i18n.text(Words::NothingToReview)}</p> }.into_any()
                } else {
                    groups.into_iter().map(|(unit, ids)| view! {
                        <h3 class="queue-unit">{unit}</h3>
                        <ul class="queue">
                            {ids.into_iter().map(|id| view! { <li><CommitmentCard id=id review=true/></li> }).collect_view()}
                        </ul>
                    }).collect_view().into_any()
                }
            }}
        </div>
        {move || {
            let ids = workspace().map(|w| supervised(&w)).unwrap_or_default();
            (!ids.is_empty()).then(|| view! {
                <details class="card">
                    <summary><h2>{i18n.text(Words::Supervised)}</h2></summary>
                    <ul class="queue">
                        {ids.into_iter().map(|id| view! { <li><CommitmentCard id=id/></li> }).collect_view()}
                    </ul>
                </details>
            })
        }}
    }
}

crate::i18n::texts! {
    Words;
    UnitCommitment => "本单位的公开承诺书", "My unit's public commitment";
    ReviewQueue => "待我审核", "Awaiting my review";
    NothingToReview => "目前没有待审核的承诺书。", "Nothing awaits your review.";
    ReviewBy => "审核截止", "Review by";
    Supervised => "所辖承诺书", "Commitments under you";
}
