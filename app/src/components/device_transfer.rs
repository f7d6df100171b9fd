//! Moving unsynced work between devices by file: export writes this account's
//! workspace (drafts and outbox) to a JSON file, with the files of unsynced
//! ledger entries (base64); import takes one back in, adding what this device
//! lacks and never dropping what it has.

use crate::i18n::{use_i18n, Text};
use crate::state::{use_state, AppState, Workspace};
use base64::Engine as _;
use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

/// The file's content: the workspace, and the evidence files its unsynced
/// work needs. A file written before files travelled is a bare workspace,
/// and still reads. (Not `#[serde(flatten)]`: that would build a second
/// deserializer for the whole workspace, 45 KB more in the first load.)
#[derive(Serialize, Deserialize)]
struct Transfer {
    workspace: Workspace,
    /// Content hash → the file's bytes in base64. Not checked here: the
    /// server checks every file against its hash when it arrives.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    files: BTreeMap<String, String>,
}

#[component]
pub fn ExportButton() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let export = move |_| {
        let Some(workspace) = state.workspace.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let mut needed = workspace.replica.files_in_use();
            needed.extend(crate::evidence_files::in_forms(&workspace));
            let person = workspace.me.id();
            let mut files = BTreeMap::new();
            for hash in needed {
                if let Ok(Some(bytes)) = crate::evidence_files::get(person, &hash).await {
                    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes.to_vec());
                    files.insert(hash, encoded);
                }
            }
            let name = format!(
                "chengnuo-{}-{}.json",
                workspace.me.login,
                crate::time::stamp(chrono::Utc::now())
            );
            let Ok(json) = crate::json::to_string(&Transfer { workspace, files }) else {
                return;
            };
            download(&name, &json);
        });
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
    let result = RwSignal::new(None::<Text>);
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
        // The reading and merging is a part of its own (`import_file`): a
        // member who never imports never downloads it.
        leptos::task::spawn_local(async move {
            if import_file(file, state, result).await.is_err() {
                result.set(Some(Text::ImportNotLoaded));
            }
        });
    };
    view! {
        <label class="button small" for="import-file">{move || i18n.text(Text::Import)}</label>
        <input id="import-file" class="visually-hidden" type="file" accept="application/json,.json" on:change=on_file/>
        {move || result.get().map(|t| view! { <span role="status">{i18n.text(t)}</span> })}
    }
}

/// Importing unsynced work from a file: a part of its own, fetched the
/// first time it is used.
#[wasm_split(device_import, wasm_split_path = ::leptos::wasm_split, fallible)]
fn import_file(
    file: web_sys::File,
    state: AppState,
    done: RwSignal<Option<Text>>,
) -> Result<(), SplitLoaderError> {
    leptos::task::spawn_local(import(file, state, done));
    Ok(())
}

/// Reads an exported file and takes in its unsynced work and files; says
/// how it went in `done`.
async fn import(file: web_sys::File, state: AppState, done: RwSignal<Option<Text>>) {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string());
    let imported = text.and_then(|t| {
        crate::json::from_str::<Transfer>(&t).ok().or_else(|| {
            let workspace = crate::json::from_str::<Workspace>(&t).ok()?;
            Some(Transfer {
                workspace,
                files: BTreeMap::new(),
            })
        })
    });
    let Some(Transfer { workspace, files }) = imported else {
        done.set(Some(Text::ImportFailed));
        return;
    };
    let Some(person) = state
        .workspace
        .with_untracked(|w| w.as_ref().map(|w| w.me.id()))
    else {
        done.set(Some(Text::ImportFailed));
        return;
    };
    // The files first: an entry then never waits for a file that
    // is not here (one that could not be kept is refused with the
    // reason when its upload is due, and its text stays).
    let mut all_kept = true;
    for (hash, encoded) in files {
        let kept = match base64::engine::general_purpose::STANDARD.decode(encoded) {
            Ok(bytes) => crate::evidence_files::put(person, &hash, &bytes)
                .await
                .is_ok(),
            Err(_) => false,
        };
        all_kept &= kept;
    }
    state.update(|w| merge(w, workspace));
    state.save_now();
    state.sync_soon();
    done.set(Some(if all_kept {
        Text::ImportDone
    } else {
        Text::ImportFilesNotKept
    }));
}

/// Adds the imported unsynced work (see `Replica::import`).
fn merge(into: &mut Workspace, imported: Workspace) {
    if imported.me.id() != into.me.id() {
        return;
    }
    into.replica.import(&imported.replica);
}
