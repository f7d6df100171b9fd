//! Times as the app shows them, in the device's time zone, and the school's
//! day. Written out by hand: chrono's `format` would bring its whole pattern
//! interpreter into the wasm for four patterns.

use chengnuo_domain::cycle::{school_day, Cycle, CycleSettings};
use chrono::{DateTime, Datelike, Local, NaiveDate, Timelike, Utc};
use std::cell::Cell;

thread_local! {
    /// The school's offset from UTC, from the cycle this device holds.
    static SCHOOL_OFFSET: Cell<i32> = Cell::new(CycleSettings::default().utc_offset_minutes);
}

/// Follows the school's time zone of `cycle` (call when the cycle is read).
pub fn follow(cycle: Option<&Cycle>) {
    if let Some(cycle) = cycle {
        SCHOOL_OFFSET.with(|o| o.set(cycle.settings.utc_offset_minutes));
    }
}

/// Today at the school: the day the server checks dates against, whatever
/// zone the phone is set to (a ledger entry dated today is never "in the
/// future" for the server).
pub fn today() -> NaiveDate {
    day_at(Utc::now())
}

/// The school's day at `at`.
pub fn day_at(at: DateTime<Utc>) -> NaiveDate {
    school_day(at, SCHOOL_OFFSET.with(Cell::get))
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
