//! When and how this device syncs: at start-up, when the network comes back,
//! a moment after edits, on "sync now", and by a periodic retry that backs off
//! while the server cannot be reached. The outbox is pushed in batches, then
//! changes since the cursor are pulled. An operation leaves the outbox only on
//! the server's acknowledgement (`Replica::acknowledge`).

use crate::api::{self, ApiError};
use crate::state::{AppState, Problem};
use chengnuo_domain::sync::{PullRequest, PushRequest};
use chrono::Utc;
use leptos::prelude::*;
use std::time::Duration;

const BATCH: usize = 100;

/// Starts the background work: online/offline events, other tabs' saves, and the retry timer.
pub fn start(state: AppState) {
    let online = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        leptos::task::spawn_local(async move {
            sync_now(state).await;
        });
    });
    let offline = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    let storage = window_event_listener(leptos::ev::storage, move |_| state.reload_from_storage());
    let leaving = window_event_listener(leptos::ev::pagehide, move |_| {
        LEAVING.with(|l| l.set(true));
        state.save_now();
        release_lock(TAB.with(|t| *t));
    });
    let back = window_event_listener(leptos::ev::pageshow, move |_| {
        LEAVING.with(|l| l.set(false))
    });
    // Keeps the listeners for the app's lifetime.
    std::mem::forget((online, offline, storage, leaving, back));

    // Waiting changes are retried at every tick, backing off while the server
    // cannot be reached; with nothing waiting, changes are pulled every minute.
    let failures = StoredValue::new(0u32);
    let retry_at = StoredValue::new(0f64);
    let pull_at = StoredValue::new(0f64);
    set_interval(
        move || {
            let now = js_sys::Date::now();
            let browser_online = web_sys::window().is_none_or(|w| w.navigator().on_line());
            let due = if state.pending() > 0 {
                now >= retry_at.get_value()
            } else {
                now >= pull_at.get_value().max(retry_at.get_value())
            };
            if !browser_online || !due {
                return;
            }
            leptos::task::spawn_local(async move {
                let Some(reached) = attempt(state).await else {
                    // Busy here or in another tab: look again at the next tick.
                    return;
                };
                if reached {
                    failures.set_value(0);
                    retry_at.set_value(0.0);
                    pull_at.set_value(now + 60_000.0);
                } else {
                    let n = failures.get_value().saturating_add(1);
                    failures.set_value(n);
                    // 2 s, 4 s, 8 s ... up to 5 minutes.
                    let delay = (2_000.0 * 2f64.powi(n.min(8) as i32 - 1)).min(300_000.0);
                    retry_at.set_value(now + delay);
                }
            });
        },
        Duration::from_secs(1),
    );
    leptos::task::spawn_local(async move {
        sync_now(state).await;
    });
}

/// Sync's trace in the browser's console (debug level), for a person
/// helping someone whose changes do not arrive.
fn debug(message: &str) {
    web_sys::console::debug_1(&message.into());
}

const LOCK: &str = "chengnuo.sync-lock";
/// A lock not renewed for this long belongs to a tab that is gone (a sync
/// renews it before every request; a tab that is closed or reloaded gives it
/// back on `pagehide`, but a sync may start in the instant after).
const LOCK_MS: f64 = 4_000.0;

/// One tab syncs at a time: the others see its results through storage
/// events. (The server would apply a twice-sent operation once anyway.)
fn take_lock(tab: f64) -> bool {
    use gloo_storage::Storage;
    let now = js_sys::Date::now();
    let held: Option<(f64, f64)> = gloo_storage::LocalStorage::get(LOCK).ok();
    if let Some((owner, since)) = held {
        if owner != tab && now - since < LOCK_MS {
            return false;
        }
    }
    gloo_storage::LocalStorage::set(LOCK, (tab, now)).is_ok()
}

fn release_lock(tab: f64) {
    use gloo_storage::Storage;
    let held: Option<(f64, f64)> = gloo_storage::LocalStorage::get(LOCK).ok();
    if held.is_some_and(|(owner, _)| owner == tab) {
        gloo_storage::LocalStorage::delete(LOCK);
    }
}

fn renew_lock() {
    take_lock(TAB.with(|t| *t));
}

thread_local! {
    static TAB: f64 = js_sys::Math::random();
    /// Set on `pagehide`: no sync starts in a page that is going away.
    static LEAVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One round of sync. Returns whether the server was reached (or there was
/// nothing to do here).
pub async fn sync_now(state: AppState) -> bool {
    attempt(state).await.unwrap_or(true)
}

/// A sync soon after an edit; if one is running, another try a moment later.
pub async fn sync_after_edit(state: AppState) {
    if attempt(state).await.is_none() && state.workspace.with_untracked(Option::is_some) {
        state.push_soon();
    }
}

/// One round of sync: `None` when it did not run (this tab is already
/// syncing, another tab holds the lock, or nobody is signed in), otherwise
/// whether the server was reached.
async fn attempt(state: AppState) -> Option<bool> {
    if state.syncing.get_untracked()
        || state.workspace.with_untracked(Option::is_none)
        || LEAVING.with(|l| l.get())
    {
        debug("sync: busy");
        return None;
    }
    let tab = TAB.with(|t| *t);
    if !take_lock(tab) {
        debug("sync: another tab holds the lock");
        return None;
    }
    state.syncing.set(true);
    let reached = run(state).await;
    state.syncing.set(false);
    release_lock(tab);
    debug(if reached {
        "sync: done"
    } else {
        "sync: server not reached"
    });
    if reached {
        state.online.set(true);
    }
    Some(reached)
}

async fn run(state: AppState) -> bool {
    let language = state.i18n.locale_untracked().tag();
    // Roles may have changed since the last visit.
    renew_lock();
    match api::me(language).await {
        Ok(me) => state.update(|w| w.me = me),
        Err(error) => return handle(state, error),
    }
    // The org tree and the cycle, for a device that has not seen them yet.
    let needs_basics = state.workspace.with_untracked(|w| {
        w.as_ref()
            .is_some_and(|w| w.units.is_empty() || w.cycle.is_none())
    });
    if needs_basics {
        match (
            api::organization(language).await,
            api::current_cycle(language).await,
        ) {
            (Ok(units), cycle) => state.update(|w| {
                w.units = units;
                if let Ok(cycle) = cycle {
                    w.cycle = Some(cycle);
                }
            }),
            (Err(error), _) => return handle(state, error),
        }
    }
    loop {
        let batch = state.workspace.with_untracked(|w| {
            w.as_ref()
                .map(|w| w.replica.batch(BATCH))
                .unwrap_or_default()
        });
        if batch.is_empty() {
            break;
        }
        renew_lock();
        state
            .sending
            .set_value(batch.iter().map(|o| o.id).collect());
        let answer = api::push(&PushRequest { operations: batch }, language).await;
        state.sending.set_value(Vec::new());
        match answer {
            Ok(response) => {
                state.update(|w| w.replica.acknowledge(&response.results));
                state.save_now();
            }
            Err(error) => return handle(state, error),
        }
    }
    loop {
        renew_lock();
        let since = state
            .workspace
            .with_untracked(|w| w.as_ref().map(|w| w.replica.cursor).unwrap_or_default());
        match api::pull(&PullRequest { since }, language).await {
            Ok(page) => {
                let more = page.more;
                state.update(|w| w.replica.absorb(page.changes, page.cursor));
                if !more {
                    break;
                }
            }
            Err(error) => return handle(state, error),
        }
    }
    state.update(|w| w.last_sync = Some(Utc::now()));
    state.save_now();
    if state.problem.get_untracked() == Some(Problem::SignedOut) {
        state.problem.set(None);
    }
    true
}

fn handle(state: AppState, error: ApiError) -> bool {
    match error {
        ApiError::Offline => {
            state.online.set(false);
            false
        }
        ApiError::SignedOut => {
            state.problem.set(Some(Problem::SignedOut));
            true
        }
        ApiError::Refused { .. } => true,
    }
}
