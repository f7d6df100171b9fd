//! "Update available: reload" when a new version's service worker waits, and
//! the app's own "install" button when the browser offers installation. The
//! loader (app/loader.js) talks to the service worker and keeps the browser's
//! prompt; this asks it through two functions it leaves on `window`.

use crate::i18n::{use_i18n, Text};
use leptos::prelude::*;

fn window_function(name: &str) -> Option<js_sys::Function> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &name.into())
        .ok()
        .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok())
}

fn call(name: &str) {
    if let (Some(function), Some(window)) = (window_function(name), web_sys::window()) {
        let _ = function.call0(&window);
    }
}

#[component]
pub fn PwaBanner() -> impl IntoView {
    let i18n = use_i18n();
    // The events may have fired before the app started: look first.
    let update = RwSignal::new(window_function("chengnuoApplyUpdate").is_some());
    let installable = RwSignal::new(window_function("chengnuoInstall").is_some());
    let listeners = (
        window_event_listener_untyped("chengnuo:update-ready", move |_| update.set(true)),
        window_event_listener_untyped("chengnuo:installable", move |_| installable.set(true)),
        window_event_listener_untyped("chengnuo:installed", move |_| installable.set(false)),
    );
    on_cleanup(move || {
        listeners.0.remove();
        listeners.1.remove();
        listeners.2.remove();
    });
    view! {
        <Show when=move || update.get()>
            <div class="update-banner" role="status" data-testid="update-banner">
                <span>{move || i18n.text(Text::UpdateReady)}</span>
                <button type="button" class="button small" on:click=move |_| call("chengnuoApplyUpdate")>
                    {move || i18n.text(Text::Reload)}
                </button>
            </div>
        </Show>
        <Show when=move || installable.get()>
            <div class="install-banner">
                <button type="button" class="button small" on:click=move |_| call("chengnuoInstall")>
                    {move || i18n.text(Text::Install)}
                </button>
            </div>
        </Show>
    }
}
