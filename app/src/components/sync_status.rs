use crate::i18n::{use_i18n, Text};
use crate::state::{use_state, Problem};
use leptos::prelude::*;

/// Always visible when signed in: online or not, what waits, the last sync,
/// and a "sync now" button; storage and session problems in plain words.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let pending = move || state.pending();
    let last = move || {
        state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.last_sync)
                .map(crate::time::short)
                .unwrap_or_else(|| i18n.text(Text::Never).to_owned())
        })
    };
    let sync_now = move |_| {
        leptos::task::spawn_local(async move {
            crate::sync::sync_now(state).await;
        });
    };
    view! {
        <Show when=move || state.workspace.with(Option::is_some)>
            <div class="sync-status" role="status" aria-live="polite">
                <span class=move || if state.online.get() { "dot online" } else { "dot offline" }></span>
                <span data-testid="network">{move || if state.online.get() { i18n.text(Text::Online) } else { i18n.text(Text::Offline) }}</span>
                <span data-testid="pending">
                    {move || if pending() == 0 { i18n.text(Text::AllSynced).to_owned() } else { format!("{} {}", pending(), i18n.text(Text::Waiting)) }}
                </span>
                <span class="last-sync">{move || i18n.text(Text::LastSync)}": "{last}</span>
                <button type="button" class="button small" on:click=sync_now disabled=move || state.syncing.get()>
                    {move || if state.syncing.get() { i18n.text(Text::Syncing) } else { i18n.text(Text::SyncNow) }}
                </button>
            </div>
            {move || state.problem.get().map(|problem| {
                let message = match problem {
                    Problem::Storage(detail) => format!("{}{detail}", i18n.text(Text::StorageFailed)),
                    Problem::SignedOut => i18n.text(Text::SignInAgain).to_owned(),
                };
                view! { <p class="problem" role="alert">{message}</p> }
            })}
        </Show>
    }
}
