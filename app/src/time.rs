//! Times as the app shows them, in the device's time zone. Written out by
//! hand: chrono's `format` would bring its whole pattern interpreter into the
//! wasm for four patterns.

use chrono::{DateTime, Datelike, Local, Timelike, Utc};

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
