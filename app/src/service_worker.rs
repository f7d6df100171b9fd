//! Registers `/sw.js`, which precaches the app shell so that after one online
//! visit the app opens with no network at all.

pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // A browser without service workers (or a private window that forbids
    // them) still runs the app online; there is nothing to tell the person.
    let _ = container.register("/sw.js");
}
