//! Chengnuo's client: a Leptos app rendered in the browser (WebAssembly), which
//! keeps people's work in browser storage and syncs with the server when online.
//! The rules it shows come from `chengnuo-domain`, the same code the server runs.

mod api;
mod app;
mod components;
mod device_store;
mod evidence_files;
mod i18n;
mod idb;
mod json;
mod labels;
mod notices;
mod on_demand;
mod page;
mod pages;
mod reminders;
mod router;
mod state;
mod sync;
mod time;

pub use app::App;
pub use state::boot;
