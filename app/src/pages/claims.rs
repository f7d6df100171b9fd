//! 销号申请: every item claimed done that waits for this person's unit to
//! cross it off or return it, oldest commitment first, each with its ledger
//! and the decision beside it. Decided from what the device holds (offline
//! too); decisions are queued like every other change.

use crate::components::fulfilment::{fetch_ledger, FulfilmentItem};
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::state::use_state;
use chengnuo_domain::dossier::ItemFulfilment;
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::permission::Action;
use chengnuo_domain::workflow::ItemState;
use leptos::prelude::*;

#[derive(Clone, PartialEq)]
struct Group {
    id: CommitmentId,
    name: String,
    claimed: Vec<ItemFulfilment>,
}

#[component]
pub fn ClaimsPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    crate::i18n::screen_title(|i18n| i18n.text(Words::ClaimsHeading).to_owned());
    let groups = Memo::new(move |_| {
        state.workspace.with(|w| {
            let Some(w) = w.as_ref() else {
                return Vec::new();
            };
            let current = w.cycle.as_ref().map(|c| c.id);
            let mut groups: Vec<(chrono::DateTime<chrono::Utc>, Group)> = w
                .replica
                .commitments
                .iter()
                .filter(|c| Some(c.cycle) == current && w.may(Action::CrossOff, c.id))
                .filter_map(|c| {
                    let claimed: Vec<ItemFulfilment> = w
                        .replica
                        .predicted_fulfilment(c.id)
                        .into_iter()
                        .filter(|f| f.state == ItemState::ClaimedDone)
                        .collect();
                    (!claimed.is_empty()).then(|| {
                        let since = c.server.as_ref().map(|s| s.updated_at).unwrap_or_default();
                        let group = Group {
                            id: c.id,
                            name: c.committer_name.clone(),
                            claimed,
                        };
                        (since, group)
                    })
                })
                .collect();
            // Oldest first: the commitment that changed longest ago waits longest.
            groups.sort_by_key(|(since, _)| *since);
            groups.into_iter().map(|(_, g)| g).collect::<Vec<_>>()
        })
    });
    // The ledgers, fetched once per commitment while online.
    Effect::new(move |fetched: Option<Vec<CommitmentId>>| {
        let mut fetched = fetched.unwrap_or_default();
        if state.online.get() {
            for group in groups.get() {
                if !fetched.contains(&group.id) {
                    fetch_ledger(group.id);
                    fetched.push(group.id);
                }
            }
        }
        fetched
    });
    view! {
        <section class="claims">
            <h1>{move || i18n.text(Words::ClaimsHeading)}</h1>
            {move || {
                let groups = groups.get();
                if groups.is_empty() {
                    return view! { <p class="hint" data-testid="no-claims">{i18n.text(Words::ClaimsNone)}</p> }.into_any();
                }
                groups.into_iter().map(|group| {
                    let name = group.name.clone();
                    view! {
                        <div class="card" data-testid="claim-group">
                            <h2 lang=crate::i18n::user_lang(&name)>{name.clone()}</h2>
                            <a href=Page::Commitment(group.id).path() class="button small">
                                {i18n.text(Text::Open)}
                                <span class="visually-hidden" lang=crate::i18n::user_lang(&name)>" "{name.clone()}</span>
                            </a>
                            <ol class="fulfilment-items">
                                {group.claimed.into_iter().map(|fulfilment| view! {
                                    <FulfilmentItem id=group.id fulfilment=fulfilment/>
                                }).collect_view()}
                            </ol>
                        </div>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}

crate::i18n::texts! {
    Words;
    ClaimsHeading => "销号申请", "Claims of done";
    ClaimsNone => "没有待确认的销号申请。", "No claim is waiting for you.";
}
