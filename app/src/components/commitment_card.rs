use crate::i18n::{use_i18n, Text};
use crate::labels;
use crate::page::Page;
use crate::state::use_state;
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::sync::replica::SyncStatus;
use leptos::prelude::*;

/// One line for a commitment: who, its state, whether this device has synced it.
#[component]
pub fn CommitmentCard(id: CommitmentId, #[prop(optional)] review: bool) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let local = move || {
        state
            .workspace
            .with(|w| w.as_ref().and_then(|w| w.replica.get(id).cloned()))
    };
    let status = move || {
        state.workspace.with(|w| {
            w.as_ref()
                .map_or(SyncStatus::Synced, |w| w.replica.status(id))
        })
    };
    // An item past its deadline and not done (逾期), as this device predicts it.
    let overdue = move || {
        let today = crate::time::today();
        state.workspace.with(|w| {
            w.as_ref().is_some_and(|w| {
                w.replica.predicted_fulfilment(id).iter().any(|f| {
                    f.state.status_on(f.deadline, today)
                        == chengnuo_domain::workflow::ItemStatus::Overdue
                })
            })
        })
    };
    let href = if review {
        Page::Review(id).path()
    } else {
        Page::Commitment(id).path()
    };
    view! {
        {move || local().map(|c| {
            let items = c.draft.items.len();
            let name = c.committer_name.clone();
            view! {
                <div class="commitment-card" data-testid="commitment-card">
                    <div>
                        <strong lang=crate::i18n::user_lang(&name)>{name.clone()}</strong>
                        <span class="state">" · "{i18n.text(labels::state(c.state()))}</span>
                        <span class="items">" · "{items}" "{i18n.text(Text::Items)}</span>
                    </div>
                    <div>
                        {move || overdue().then(|| view! {
                            <span class="badge conflict" data-testid="overdue-badge">{i18n.text(Text::TodoOverdue)}</span>
                        })}
                        <span class=move || match status() { SyncStatus::Synced => "badge ok", SyncStatus::Waiting => "badge waiting", SyncStatus::Conflict | SyncStatus::Refused => "badge conflict" }
                            data-testid="sync-badge">
                            {move || i18n.text(match status() {
                                SyncStatus::Synced => Text::StatusSynced,
                                SyncStatus::Waiting => Text::StatusWaiting,
                                SyncStatus::Conflict => Text::StatusConflict,
                                SyncStatus::Refused => Text::StatusRefused,
                            })}
                        </span>
                        " "
                        <a href=href.clone() class="button small">
                            {move || i18n.text(if review { Text::Reviews } else { Text::Open })}
                            <span class="visually-hidden" lang=crate::i18n::user_lang(&name)>" "{name.clone()}</span>
                        </a>
                    </div>
                </div>
            }
        })}
    }
}
