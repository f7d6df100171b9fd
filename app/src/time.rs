//! Times as the app shows them, in the device's time zone, and the school's
//! day. Written out by hand: chrono's `format` would bring its whole pattern
//! interpreter into the wasm for four patterns.
//!
//! Two clocks: the wall clock corrected by the server's (`server_clock`,
//! as the server last said it: the school's today on a phone whose clock
//! is wrong, offline too), and the monotonic one for timers (`tick`,
//! `performance.now()`: setting the phone's clock never moves a retry).

use chengnuo_domain::cycle::{school_day, CycleSettings};
use chengnuo_domain::sync::device::Workspace;
use chengnuo_domain::sync::engine::Tick;
use chrono::{DateTime, Datelike, Local, NaiveDate, Timelike, Utc};
use std::cell::Cell;

thread_local! {
    /// The school's offset from UTC, from the cycle this device holds.
    static SCHOOL_OFFSET: Cell<i32> = Cell::new(CycleSettings::default().utc_offset_minutes);
    /// The server's clock minus this device's, in milliseconds.
    static SERVER_CLOCK: Cell<i64> = const { Cell::new(0) };
}

/// Follows the school's time zone and the server's clock as `workspace`
/// knows them (call when it is read, or they change).
pub fn follow(workspace: Option<&Workspace>) {
    if let Some(w) = workspace {
        if let Some(cycle) = &w.cycle {
            SCHOOL_OFFSET.with(|o| o.set(cycle.settings.utc_offset_minutes));
        }
        SERVER_CLOCK.with(|c| c.set(w.server_clock.unwrap_or(0)));
    }
}

/// The monotonic clock, for the sync engine's timers.
pub fn tick() -> Tick {
    let now = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    Tick(now as i64)
}

/// Waits `millis` milliseconds.
pub async fn sleep(millis: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, millis);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Today at the school: the day the server checks dates against, whatever
/// zone the phone is set to, and whatever its clock says (a ledger entry
/// dated today is never "in the future" for the server, nor a day early).
pub fn today() -> NaiveDate {
    day_at(Utc::now())
}

/// The school's day at `at` on this device's clock (corrected by the server's).
pub fn day_at(at: DateTime<Utc>) -> NaiveDate {
    let corrected = at + chrono::Duration::milliseconds(SERVER_CLOCK.with(Cell::get));
    school_day(corrected, SCHOOL_OFFSET.with(Cell::get))
}

/// `2026-11-27 09:05`
pub fn minute(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// `11-27 09:05`, for the status bar.
pub fn short(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    format!(
        "{:02}-{:02} {:02}:{:02}",
        local.month(),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// `20261127-0905`, for file names.
pub fn stamp(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Local);
    format!(
        "{:04}{:02}{:02}-{:02}{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute()
    )
}
