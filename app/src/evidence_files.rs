//! Evidence files kept on this device until the server has them, in the
//! account's own database (`device_store::FILES`), keyed by their content
//! hash: another person signing in on the same phone never sees, sends or
//! deletes them.
//!
//! A `put` returns only once its transaction has completed: a file the
//! browser could not keep (storage full, private mode) is reported, never
//! assumed kept. Files are kept as bytes (a `Uint8Array`), not as `Blob`s:
//! a Blob read back from IndexedDB could not be read again in headless
//! Chromium here, and older Safari loses them.

use crate::device_store::{self, FILES};
use crate::idb::{self, StorageRefused};
use chengnuo_domain::ids::PersonId;
use chengnuo_domain::sync::device::Workspace;
use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// Where an earlier version kept every account's files together.
pub const OLD_DATABASE: &str = "chengnuo-evidence";

/// Keeps a file of `person`'s under its hash; returns once it is written.
pub async fn put(person: PersonId, hash: &str, bytes: &[u8]) -> Result<(), StorageRefused> {
    let database = device_store::account(person).await?;
    let transaction = idb::transaction(&database, &[FILES], true)?;
    idb::store(&transaction, FILES)?
        .put_with_key(&js_sys::Uint8Array::from(bytes), &JsValue::from_str(hash))
        .map_err(idb::refused)?;
    idb::committed(&transaction).await
}

/// The bytes of `person`'s file `hash`, if this device has them.
pub async fn get(
    person: PersonId,
    hash: &str,
) -> Result<Option<js_sys::Uint8Array>, StorageRefused> {
    let database = device_store::account(person).await?;
    let transaction = idb::transaction(&database, &[FILES], false)?;
    let request = idb::store(&transaction, FILES)?
        .get(&JsValue::from_str(hash))
        .map_err(idb::refused)?;
    Ok(idb::finished(&request).await?.dyn_into().ok())
}

/// The file kept under `hash` as a Blob of `content_type` (to show it).
pub async fn blob(person: PersonId, hash: &str, content_type: &str) -> Option<Blob> {
    let bytes = get(person, hash).await.ok()??;
    let parts = Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// Forgets `person`'s files not in `keep` (sent and acknowledged, or let go).
pub async fn forget_all_but(person: PersonId, keep: &[String]) -> Result<(), StorageRefused> {
    let database = device_store::account(person).await?;
    let transaction = idb::transaction(&database, &[FILES], true)?;
    let store = idb::store(&transaction, FILES)?;
    let keys = idb::finished(&store.get_all_keys().map_err(idb::refused)?).await?;
    let keys: Array = keys.dyn_into().map_err(idb::refused)?;
    for key in keys.iter() {
        if !key.as_string().is_some_and(|h| keep.contains(&h)) {
            store.delete(&key).map_err(idb::refused)?;
        }
    }
    idb::committed(&transaction).await
}

/// A file's bytes.
pub async fn bytes(file: &Blob) -> Result<Vec<u8>, StorageRefused> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(idb::refused)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The files chosen in a workspace's ledger forms and not yet recorded:
/// kept on the device like the text typed beside them.
pub fn in_forms(workspace: &Workspace) -> Vec<String> {
    workspace
        .typing
        .iter()
        .filter(|(key, _)| key.ends_with(crate::state::CHOSEN_FILES))
        .filter_map(|(_, json)| {
            crate::json::from_str::<Vec<chengnuo_domain::evidence::Evidence>>(json).ok()
        })
        .flatten()
        .map(|f| f.hash)
        .collect()
}

/// A file an earlier version kept (to move it into its account's database).
pub async fn old_file(hash: &str) -> Result<Option<js_sys::Uint8Array>, StorageRefused> {
    let database = idb::open(OLD_DATABASE, 1, |database| {
        if !database.object_store_names().contains("files") {
            let _ = database.create_object_store("files");
        }
    })
    .await?;
    let transaction = idb::transaction(&database, &["files"], false)?;
    let request = idb::store(&transaction, "files")?
        .get(&JsValue::from_str(hash))
        .map_err(idb::refused)?;
    let value = idb::finished(&request).await;
    database.close();
    Ok(value?.dyn_into().ok())
}
