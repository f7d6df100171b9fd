//! Moving unsynced work between devices by file: export writes this account's
//! workspace (drafts and outbox) to a JSON file; import takes one back in,
//! adding what this device lacks and never dropping what it has.

use crate::i18n::{use_i18n, Text};
use crate::state::{use_state, Workspace};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn ExportButton() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let export = move |_| {
        let Some(workspace) = state.workspace.get_untracked() else {
            return;
        };
        let Ok(json) = serde_json::to_string(&workspace) else {
            return;
        };
        let name = format!(
            "chengnuo-{}-{}.json",
            workspace.me.login,
            crate::time::stamp(chrono::Utc::now())
        );
        download(&name, &json);
    };
    view! {
        <button type="button" class="button small" on:click=export>{move || i18n.text(Text::Export)}</button>
    }
}

fn download(name: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(anchor) = document.create_element("a") {
        if let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>() {
            anchor.set_href(&url);
            anchor.set_download(name);
            anchor.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[component]
pub fn ImportButton() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let (result, set_result) = signal(None::<Text>);
    let on_file = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string());
            let imported = text.and_then(|t| serde_json::from_str::<Workspace>(&t).ok());
            match imported {
                Some(imported) => {
                    state.update(|w| merge(w, imported));
                    state.save_now();
                    state.sync_soon();
                    set_result.set(Some(Text::ImportDone));
                }
                None => set_result.set(Some(Text::ImportFailed)),
            }
        });
    };
    view! {
        <label class="button small" for="import-file">{move || i18n.text(Text::Import)}</label>
        <input id="import-file" class="visually-hidden" type="file" accept="application/json,.json" on:change=on_file/>
        {move || result.get().map(|t| view! { <span role="status">{i18n.text(t)}</span> })}
    }
}

/// Adds the imported unsynced work (see `Replica::import`).
fn merge(into: &mut Workspace, imported: Workspace) {
    if imported.me.id() != into.me.id() {
        return;
    }
    into.replica.import(&imported.replica);
}
