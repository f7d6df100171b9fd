use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::state::{use_state, Problem};
use chengnuo_domain::sync::engine::Connection;
use leptos::prelude::*;

/// Always visible while signed in (it sticks to the top of long forms):
/// whether the server is reached, what waits, merges and refusals to look
/// at, the last sync, and "sync now"; storage problems in plain words.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let status = Memo::new(move |_| state.status());
    let last = move || {
        state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.last_sync)
                .map(crate::time::short)
                .unwrap_or_else(|| i18n.text(Text::Never).to_owned())
        })
    };
    let connection = move || {
        let status = status.get();
        match status.connection {
            Connection::Offline => i18n.text(Text::Offline).to_owned(),
            Connection::NotYetSynced if status.syncing => i18n.text(Text::Syncing).to_owned(),
            Connection::NotYetSynced => i18n.text(Text::NotSyncedYet).to_owned(),
            Connection::Reached => i18n.text(Text::Online).to_owned(),
            Connection::Unreachable { retry_in_seconds } => i18n
                .text(Text::Unreachable)
                .replace("{n}", &retry_in_seconds.to_string()),
            Connection::SignedOut => i18n.text(Text::SessionEnded).to_owned(),
        }
    };
    let dot = move || match status.get().connection {
        Connection::Reached => "dot online",
        Connection::NotYetSynced => "dot waiting",
        _ => "dot offline",
    };
    let pending = move || {
        let status = status.get();
        if status.waiting > 0 {
            format!("{} {}", status.waiting, i18n.text(Text::Waiting))
        } else if !state.all_saved() {
            // Never "everything is synced" while something is not even saved here.
            let text = if state.problem.with(Option::is_some) {
                Text::NotSavedYet
            } else {
                Text::Saving
            };
            i18n.text(text).to_owned()
        } else if status.conflicts > 0 || status.refused > 0 {
            String::new()
        } else if status.connection == Connection::NotYetSynced {
            i18n.text(Text::Never).to_owned()
        } else {
            i18n.text(Text::AllSynced).to_owned()
        }
    };
    // The first commitment that waits for the person, to go to it from the bar.
    let first_to_look_at = move || {
        state.workspace.with(|w| {
            w.as_ref().and_then(|w| {
                w.replica
                    .commitments
                    .iter()
                    .find(|c| c.conflict.is_some())
                    .or_else(|| {
                        w.replica
                            .commitments
                            .iter()
                            .find(|c| c.refused.is_some() || !c.not_taken.is_empty())
                    })
                    .map(|c| Page::Commitment(c.id).path())
            })
        })
    };
    let sync_now = move |_| crate::sync::sync_now(state);
    view! {
        <Show when=move || state.workspace.with(Option::is_some)>
            <div class="sync-status" role="status" aria-live="polite">
                <span class=dot aria-hidden="true"></span>
                <span data-testid="network">{connection}</span>
                <span data-testid="pending">{pending}</span>
                {move || {
                    let status = status.get();
                    let conflicts = (status.conflicts > 0).then(|| format!("{} {}", status.conflicts, i18n.text(Text::ConflictsWaiting)));
                    let refused = (status.refused > 0).then(|| format!("{} {}", status.refused, i18n.text(Text::RefusedWaiting)));
                    let text = [conflicts, refused].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                    (!text.is_empty()).then(|| view! {
                        <a href=first_to_look_at().unwrap_or_default() class="badge conflict" data-testid="attention">{text}</a>
                    })
                }}
                <span class="last-sync">{move || i18n.text(Text::LastSync)}" "{last}</span>
                <button type="button" class="button small" on:click=sync_now disabled=move || status.get().syncing>
                    {move || if status.get().syncing { i18n.text(Text::Syncing) } else { i18n.text(Text::SyncNow) }}
                </button>
            </div>
            {move || (status.get().connection == Connection::SignedOut).then(|| view! {
                <p class="problem" role="alert">
                    {i18n.text(Text::SignInAgain)}" "
                    <a href=Page::SignIn.path()>{i18n.text(Text::SignIn)}</a>
                </p>
            })}
            {move || state.problem.get().map(|problem| {
                let message = match problem {
                    Problem::Storage(refused) if refused.is_full() => i18n.text(Text::StorageFull),
                    Problem::Storage(_) => i18n.text(Text::StorageFailed),
                };
                view! {
                    <div class="problem" role="alert" data-testid="storage-problem">
                        <p>{message}</p>
                        <crate::components::device_transfer::ExportButton/>
                    </div>
                }
            })}
            <ClockNotice/>
        </Show>
    }
}

/// Minutes between the phone's clock and the server's beyond which the
/// person is told (once for each difference).
const CLOCK_MINUTES: i64 = 5;
const CLOCK_SAID: &str = "chengnuo.clock-said";

/// The phone's clock disagrees with the server's: said once (until the
/// difference changes), and dates follow the server's clock meanwhile.
#[component]
fn ClockNotice() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let said = RwSignal::new(crate::json::stored::<i64>(CLOCK_SAID));
    let minutes = Memo::new(move |_| {
        state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.server_clock)
                .map(|ms| (ms as f64 / 60_000.0).round() as i64)
                .filter(|m| m.abs() >= CLOCK_MINUTES)
        })
    });
    let shown = move || minutes.get().filter(|m| said.get() != Some(*m));
    view! {
        {move || shown().map(|m| view! {
            <div class="problem" role="status" data-testid="clock-notice">
                <p>{i18n.text(Text::ClockDiffers).replace("{n}", &m.abs().to_string())}</p>
                <button type="button" class="button small" on:click=move |_| {
                    let _ = crate::json::store(CLOCK_SAID, &m);
                    said.set(Some(m));
                }>{i18n.text(Text::Understood)}</button>
            </div>
        })}
    }
}
