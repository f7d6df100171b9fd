//! The sync's input and output in the browser, and nothing else: the domain's
//! engine (`chengnuo_domain::sync::engine`) decides when to send what and
//! what each answer means; this module performs the requests, stores the
//! workspace before every request and after every answer, and feeds the
//! engine the browser's events (online, offline, another tab's save, time).

use crate::api::{self, ApiError};
use crate::state::AppState;
use chengnuo_domain::dossier::Refusal;
use chengnuo_domain::ids::{CommitmentId, OperationId, PersonId};
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::Denied;
use chengnuo_domain::sync::engine::{Failure, Request};
use chrono::Utc;
use leptos::prelude::*;
use std::cell::Cell;
use std::time::Duration;

/// Starts the background work: online/offline events, other tabs' saves, the
/// tick that runs the engine when it is due, and a first sync.
pub fn start(state: AppState) {
    let online = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        sync_now(state);
    });
    let offline = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    let leaving = window_event_listener(leptos::ev::pagehide, move |_| {
        LEAVING.with(|l| l.set(true));
        state.save_leaving();
        release_lock(TAB.with(|t| *t));
    });
    let back = window_event_listener(leptos::ev::pageshow, move |_| {
        LEAVING.with(|l| l.set(false))
    });
    // Coming back to the app (another app was in front): look for news now.
    let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        let shown = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| !d.hidden());
        if shown {
            sync_now(state);
        }
    });
    // Keeps the listeners for the app's lifetime.
    std::mem::forget((online, offline, leaving, back, visible));
    // Whatever the person did that should reach the server (a step, a new
    // commitment, a merge): send it now.
    Effect::new(move |first: Option<()>| {
        state.wanted.track();
        if first.is_some() {
            leptos::task::spawn_local(drive(state));
        }
    });

    set_interval(
        move || {
            state.now.set(Utc::now());
            if DRIVING.with(Cell::get) {
                renew_lock();
                return;
            }
            let now = crate::time::tick();
            let due = state.engine.with_untracked(|e| {
                state.workspace.with_untracked(|w| {
                    w.as_ref()
                        .and_then(|w| e.next_due(&w.replica))
                        .is_some_and(|at| at <= now)
                })
            });
            if due {
                leptos::task::spawn_local(drive(state));
            }
        },
        Duration::from_secs(1),
    );
    // The app starting: what is new on the to-do list since last time (offline too).
    crate::reminders::remind(state);
    sync_now(state);
}

/// "Sync now", the network coming back, the app starting: try at once.
pub fn sync_now(state: AppState) {
    BASICS_FRESH.with(|b| b.set(false));
    state.engine.update(|e| e.wake(true));
    leptos::task::spawn_local(drive(state));
}

/// As `sync_now`, finishing before it returns (after signing in: the
/// dashboard then opens with the cycle and the person's commitments).
pub async fn sync_and_wait(state: AppState) {
    // A sync of the account signed in before may still be finishing.
    for _ in 0..100 {
        if !DRIVING.with(Cell::get) {
            break;
        }
        crate::time::sleep(100).await;
    }
    BASICS_FRESH.with(|b| b.set(false));
    state.engine.update(|e| e.wake(true));
    drive(state).await;
}

fn account(state: AppState) -> Option<chengnuo_domain::ids::PersonId> {
    state
        .workspace
        .with_untracked(|w| w.as_ref().map(|w| w.me.id()))
}

/// Sync's trace in the browser's console (debug level), for a person
/// helping someone whose changes do not arrive.
fn debug(message: &str) {
    web_sys::console::debug_1(&message.into());
}

const LOCK: &str = "chengnuo.sync-lock";
/// A lock not renewed for this long belongs to a tab that is gone (the tab
/// syncing renews it every second; a tab that is closed or reloaded gives it
/// back on `pagehide`).
const LOCK_MS: u64 = 4_000;

/// One tab syncs at a time: the others see its results when it writes the
/// store (`device_store::follow`). (The server would apply a twice-sent
/// operation once anyway.)
/// The lock is `[tab, milliseconds]`, whole numbers: writing a float would
/// bring a float writer into the first load for this alone.
fn take_lock(tab: u64) -> bool {
    let now = js_sys::Date::now() as u64;
    let held: Option<(u64, u64)> = crate::json::stored(LOCK);
    if let Some((owner, since)) = held {
        // Held if renewed within the last 4 s (a lock "renewed" in the
        // future, after the phone's clock was set back, is not).
        let age = now as i64 - since as i64;
        if owner != tab && (0..LOCK_MS as i64).contains(&age) {
            return false;
        }
    }
    crate::json::store(LOCK, &(tab, now)).is_ok()
}

fn release_lock(tab: u64) {
    use gloo_storage::Storage;
    let held: Option<(u64, u64)> = crate::json::stored(LOCK);
    if held.is_some_and(|(owner, _)| owner == tab) {
        gloo_storage::LocalStorage::delete(LOCK);
    }
}

fn renew_lock() {
    take_lock(TAB.with(|t| *t));
}

thread_local! {
    /// This tab's number in the lock (random, below 2^53: exact in JSON).
    static TAB: u64 = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
    /// Set on `pagehide`: no sync starts in a page that is going away.
    static LEAVING: Cell<bool> = const { Cell::new(false) };
    /// This tab is running the engine.
    static DRIVING: Cell<bool> = const { Cell::new(false) };
    /// The person, the org tree and the cycle were fetched since the app started.
    static BASICS_FRESH: Cell<bool> = const { Cell::new(false) };
}

/// Runs the engine until it has nothing to do now: each request it asks
/// for is made, its answer fed back, the workspace stored before and after.
pub async fn drive(state: AppState) {
    let browser_online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if DRIVING.with(Cell::get)
        || LEAVING.with(Cell::get)
        || state.closing()
        || !browser_online
        || state.workspace.with_untracked(Option::is_none)
    {
        return;
    }
    let tab = TAB.with(|t| *t);
    if !take_lock(tab) {
        debug("sync: another tab holds the lock");
        return;
    }
    DRIVING.with(|d| d.set(true));
    let language = state.i18n.locale_untracked().tag();
    // An answer that arrives after the person signed out (or another account
    // signed in on this device) belongs to nobody here: it is dropped.
    let owner = account(state);
    let mut stop = false;
    if !BASICS_FRESH.with(Cell::get) {
        match refresh_basics(state, language, owner).await {
            Basics::Fresh => BASICS_FRESH.with(|b| b.set(true)),
            Basics::Partial => {}
            Basics::NotThisAccount => stop = true,
        }
    }
    loop {
        if stop || LEAVING.with(Cell::get) || state.closing() {
            break;
        }
        let now = crate::time::tick();
        let mut request = None;
        state.engine.update(|engine| {
            state.workspace.update(|w| {
                if let Some(w) = w {
                    request = engine.next(&mut w.replica, now, &mut OperationId::new);
                }
            })
        });
        let Some(request) = request else { break };
        // What is about to be sent is stored first: a text made into an
        // operation here must never be made again after a reload.
        state.saved_now().await;
        match request {
            Request::Push(push) => {
                debug(&format!("sync: push {}", push.operations.len()));
                let answer = api::push(&push, language).await;
                if account(state) != owner {
                    break;
                }
                match answer {
                    Ok(response) => state.engine.update(|engine| {
                        state.workspace.update(|w| {
                            if let Some(w) = w {
                                engine.pushed(&mut w.replica, &response, crate::time::tick());
                            }
                        })
                    }),
                    Err(error) => failed(state, error),
                }
            }
            Request::Upload { commitment, file } => {
                debug(&format!("sync: upload {}", file.hash));
                // The sending is in the fulfilment part, where the file was
                // attached (so this device holds it); fetched again if the
                // browser lost it, tried again later if that fails.
                let Some(person) = owner else { break };
                let answer =
                    match upload_file(person, commitment, file.hash.clone(), language).await {
                        Ok(upload) => upload.await,
                        Err(_) => Err(Uploaded::Failed(ApiError::Offline)),
                    };
                if account(state) != owner {
                    break;
                }
                match answer {
                    Ok(()) => state.engine.update(|engine| {
                        state.workspace.update(|w| {
                            if let Some(w) = w {
                                engine.uploaded(&mut w.replica, &file.hash);
                            }
                        })
                    }),
                    Err(Uploaded::Refused(refusal)) => state.engine.update(|engine| {
                        state.workspace.update(|w| {
                            if let Some(w) = w {
                                engine.upload_refused(&mut w.replica, &file.hash, refusal);
                            }
                        })
                    }),
                    Err(Uploaded::Failed(error)) => failed(state, error),
                }
            }
            Request::Pull(pull) => {
                debug(&format!("sync: pull since {}", pull.since.0));
                let answer = api::pull(&pull, language).await;
                if account(state) != owner {
                    break;
                }
                match answer {
                    Ok(response) => state.engine.update(|engine| {
                        state.workspace.update(|w| {
                            if let Some(w) = w {
                                let (now, wall) = (crate::time::tick(), Utc::now());
                                if engine.pulled(&mut w.replica, response, now, wall) {
                                    w.last_sync = engine.last_sync();
                                }
                            }
                        })
                    }),
                    Err(error) => failed(state, error),
                }
            }
        }
        state.note_server_clock();
        state.save_now();
    }
    forget_sent_files(state).await;
    // What the sync brought that is new on the to-do list, as a notification.
    crate::reminders::remind(state);
    state.save_now();
    DRIVING.with(|d| d.set(false));
    release_lock(tab);
}

/// Sending one file, under way (see [`upload`]).
type Upload = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Uploaded>>>>;

/// Sends one file of a queued ledger entry: in the fulfilment part, where
/// the file was attached.
#[leptos::wasm_split::wasm_split(fulfilment, wasm_split_path = ::leptos::wasm_split, fallible)]
fn upload_file(
    person: PersonId,
    commitment: CommitmentId,
    hash: String,
    language: &'static str,
) -> Result<Upload, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move {
        upload(person, commitment, &hash, language).await
    }))
}

enum Uploaded {
    /// The server will not take the file: its entries wait for the person.
    Refused(Refusal),
    /// No answer: tried again later.
    Failed(ApiError),
}

/// One file of a queued entry, from this device's IndexedDB to the server:
/// not sent again if the server has it already (an answer lost after the
/// bytes arrived).
async fn upload(
    person: PersonId,
    commitment: CommitmentId,
    hash: &str,
    language: &str,
) -> Result<(), Uploaded> {
    let Ok(Some(file)) = crate::evidence_files::get(person, hash).await else {
        // Gone from this device (storage cleared): the entry is kept with
        // the reason, for the person to attach the file again.
        let mut errors = ValidationErrors::default();
        errors.push("file", Message::FileDamaged);
        return Err(Uploaded::Refused(Refusal::Invalid(errors)));
    };
    match api::has_evidence(commitment, hash).await {
        Ok(true) => return Ok(()),
        Ok(false) => {}
        Err(error) => return Err(Uploaded::Failed(error)),
    }
    match api::upload_evidence(commitment, hash, &file, language).await {
        Ok(()) => Ok(()),
        Err(ApiError::Refused { status, fields, .. }) if status != 429 => {
            let mut errors = ValidationErrors::default();
            for field in fields {
                if let Some(message) = chengnuo_domain::evidence::refusal_message(&field.code) {
                    errors.push(field.field, message);
                }
            }
            let refusal = if errors.is_empty() {
                Refusal::Denied(Denied::NotAllowed)
            } else {
                Refusal::Invalid(errors)
            };
            Err(Uploaded::Refused(refusal))
        }
        Err(error) => Err(Uploaded::Failed(error)),
    }
}

/// Deletes the account's files nothing needs any more: not a queued or
/// refused entry's, not one chosen in a form and not yet recorded. (Only
/// this account's: another person's on this phone wait for them.)
async fn forget_sent_files(state: AppState) {
    let keep = state.workspace.with_untracked(|w| {
        w.as_ref().map(|w| {
            let mut keep = w.replica.files_in_use();
            keep.extend(crate::evidence_files::in_forms(w));
            (w.me.id(), keep)
        })
    });
    if let Some((person, keep)) = keep {
        if let Err(refused) = crate::evidence_files::forget_all_but(person, &keep).await {
            debug(&format!("sync: files not forgotten: {refused:?}"));
        }
    }
}

enum Basics {
    Fresh,
    /// Something did not arrive; asked again at the next sync.
    Partial,
    /// The session, or the device, is another person's now, or its password
    /// is still a one-time one: nothing is synced.
    NotThisAccount,
}

/// The person (roles may have changed), the org tree and the cycle.
async fn refresh_basics(
    state: AppState,
    language: &'static str,
    owner: Option<chengnuo_domain::ids::PersonId>,
) -> Basics {
    let me = api::me(language).await;
    if account(state) != owner {
        return Basics::NotThisAccount;
    }
    match me {
        // A one-time password opens nothing on the server until the person
        // sets their own: nothing is sent (their work waits on the device).
        Ok(me) if Some(me.id()) == owner && me.must_change_password => {
            state.update(|w| w.me = me);
            return Basics::NotThisAccount;
        }
        Ok(me) if Some(me.id()) == owner => state.update(|w| w.me = me),
        // Signed in as someone else in another tab of this browser.
        Ok(_) => return Basics::NotThisAccount,
        Err(error) => {
            failed(state, error);
            return Basics::Partial;
        }
    }
    let (units, cycle) = (
        api::organization(language).await,
        api::current_cycle(language).await,
    );
    if account(state) != owner {
        return Basics::NotThisAccount;
    }
    let complete =
        units.is_ok() && matches!(cycle, Ok(_) | Err(ApiError::Refused { status: 404, .. }));
    state.update(|w| {
        if let Ok(units) = units {
            w.units = units;
        }
        match cycle {
            Ok(cycle) => {
                w.cycle = Some(cycle);
                crate::time::follow(Some(w));
            }
            // No cycle is under way (the server says so).
            Err(ApiError::Refused { status: 404, .. }) => w.cycle = None,
            Err(_) => {}
        }
    });
    if complete {
        Basics::Fresh
    } else {
        Basics::Partial
    }
}

fn failed(state: AppState, error: ApiError) {
    let failure = match error {
        ApiError::Offline => Failure::Unreachable,
        ApiError::SignedOut => Failure::SignedOut,
        // A refusal of the whole request: the same backoff as a failure.
        ApiError::Refused { .. } => Failure::Unreachable,
    };
    debug(&format!("sync: {failure:?}"));
    state
        .engine
        .update(|e| e.failed(failure, crate::time::tick()));
}
