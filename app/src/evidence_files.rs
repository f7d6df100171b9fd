//! Evidence files kept on this device until the server has them, in
//! IndexedDB (localStorage holds the workspace's text; it has no room for
//! photos), keyed by their content hash. A few calls over web-sys: the whole
//! of what the app asks of IndexedDB (put, get, delete, list) is smaller
//! than a wrapper crate in the first load.
//!
//! A `put` returns only once its transaction has completed: a file the
//! browser could not keep (storage full, private mode) is reported, never
//! assumed kept. Files are kept as bytes (a `Uint8Array`), not as `Blob`s:
//! a Blob read back from IndexedDB could not be read again in headless
//! Chromium here, and older Safari loses them.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

const DATABASE: &str = "chengnuo-evidence";
const FILES: &str = "files";

/// Why a file could not be kept or read here.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageRefused(pub String);

fn refused(error: JsValue) -> StorageRefused {
    let name = error
        .dyn_ref::<web_sys::DomException>()
        .map(|e| format!("{}: {}", e.name(), e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "IndexedDB".into());
    StorageRefused(name)
}

/// Waits for a request: its result, or its error.
async fn finished(request: &IdbRequest) -> Result<JsValue, StorageRefused> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(failed.unchecked_ref()));
    });
    match JsFuture::from(promise).await {
        Ok(_) => request.result().map_err(refused),
        Err(_) => Err(request
            .error()
            .ok()
            .flatten()
            .map(|e| refused(e.into()))
            .unwrap_or_else(|| StorageRefused("IndexedDB".into()))),
    }
}

/// Waits for a transaction to be written (or to fail: quota, abort).
async fn committed(transaction: &IdbTransaction) -> Result<(), StorageRefused> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let reject_abort = reject.clone();
        let aborted = Closure::once_into_js(move || {
            let _ = reject_abort.call0(&JsValue::NULL);
        });
        let failed = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        transaction.set_oncomplete(Some(ok.unchecked_ref()));
        transaction.set_onabort(Some(aborted.unchecked_ref()));
        transaction.set_onerror(Some(failed.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| {
        transaction
            .error()
            .map(|e| refused(e.into()))
            .unwrap_or_else(|| StorageRefused("IndexedDB transaction".into()))
    })
}

async fn open() -> Result<IdbDatabase, StorageRefused> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| StorageRefused("IndexedDB is not available".into()))?;
    let request = factory.open_with_u32(DATABASE, 1).map_err(refused)?;
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let database = event
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(database) = database {
            if !database.object_store_names().contains(FILES) {
                let _ = database.create_object_store(FILES);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let database = finished(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    database?.dyn_into::<IdbDatabase>().map_err(refused)
}

fn transaction(
    database: &IdbDatabase,
    mode: IdbTransactionMode,
) -> Result<(IdbTransaction, web_sys::IdbObjectStore), StorageRefused> {
    let transaction = database
        .transaction_with_str_and_mode(FILES, mode)
        .map_err(refused)?;
    let store = transaction.object_store(FILES).map_err(refused)?;
    Ok((transaction, store))
}

/// Keeps a file under its hash; returns once it is written.
pub async fn put(hash: &str, bytes: &[u8]) -> Result<(), StorageRefused> {
    let database = open().await?;
    let (transaction, store) = transaction(&database, IdbTransactionMode::Readwrite)?;
    store
        .put_with_key(&js_sys::Uint8Array::from(bytes), &JsValue::from_str(hash))
        .map_err(refused)?;
    let written = committed(&transaction).await;
    database.close();
    written
}

/// The bytes kept under `hash`, if this device has them.
pub async fn get(hash: &str) -> Result<Option<js_sys::Uint8Array>, StorageRefused> {
    let database = open().await?;
    let (_, store) = transaction(&database, IdbTransactionMode::Readonly)?;
    let request = store.get(&JsValue::from_str(hash)).map_err(refused)?;
    let value = finished(&request).await;
    database.close();
    Ok(value?.dyn_into::<js_sys::Uint8Array>().ok())
}

/// The file kept under `hash` as a Blob of `content_type` (to show it).
pub async fn blob(hash: &str, content_type: &str) -> Option<Blob> {
    let bytes = get(hash).await.ok()??;
    let parts = Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// Every hash kept here.
pub async fn hashes() -> Result<Vec<String>, StorageRefused> {
    let database = open().await?;
    let (_, store) = transaction(&database, IdbTransactionMode::Readonly)?;
    let request = store.get_all_keys().map_err(refused)?;
    let value = finished(&request).await;
    database.close();
    Ok(value?
        .dyn_into::<Array>()
        .map(|keys| keys.iter().filter_map(|k| k.as_string()).collect())
        .unwrap_or_default())
}

/// Forgets the files not in `keep` (sent and acknowledged, or let go).
pub async fn forget_all_but(keep: &[String]) -> Result<(), StorageRefused> {
    let unused: Vec<String> = hashes()
        .await?
        .into_iter()
        .filter(|h| !keep.contains(h))
        .collect();
    if unused.is_empty() {
        return Ok(());
    }
    let database = open().await?;
    let (transaction, store) = transaction(&database, IdbTransactionMode::Readwrite)?;
    for hash in &unused {
        store.delete(&JsValue::from_str(hash)).map_err(refused)?;
    }
    let written = committed(&transaction).await;
    database.close();
    written
}

/// A file's bytes.
pub async fn bytes(file: &Blob) -> Result<Vec<u8>, StorageRefused> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(refused)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
