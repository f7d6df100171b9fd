//! The few IndexedDB calls the app makes, as futures over web-sys: open a
//! database, wait for a request, wait for a transaction to be written. A
//! wrapper crate (`idb`, `rexie`, `indexed_db_futures`) would bring more than
//! this into the first load, and web-sys does not yet expose a transaction's
//! durability (`{durability: "strict"}`) without unstable flags: it is bound
//! here directly.
//!
//! Futures resolve in microtasks, so a transaction stays active across the
//! awaits between its requests (as with the `idb` JavaScript library).

use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction};

/// Why the browser would not keep or read something.
#[derive(Debug, Clone, PartialEq)]
pub struct StorageRefused {
    /// The browser's name for it (`QuotaExceededError`, `UnknownError`, ...).
    pub name: String,
    pub message: String,
}

impl StorageRefused {
    fn new(name: &str) -> StorageRefused {
        StorageRefused {
            name: name.to_owned(),
            message: String::new(),
        }
    }

    /// The device has no room left (or the browser's quota is reached).
    pub fn is_full(&self) -> bool {
        self.name == "QuotaExceededError"
    }
}

pub fn refused(error: JsValue) -> StorageRefused {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(e) => StorageRefused {
            name: e.name(),
            message: e.message(),
        },
        None => StorageRefused::new("UnknownError"),
    }
}

/// A transaction over `stores`. A writing one is `strict`: it completes only
/// once the browser has it on disk (a phone's browser killed right after
/// still has it).
pub fn transaction(
    database: &IdbDatabase,
    stores: &[&str],
    write: bool,
) -> Result<IdbTransaction, StorageRefused> {
    let names = js_sys::Array::new();
    for store in stores {
        names.push(&JsValue::from_str(store));
    }
    let options = js_sys::Object::new();
    if write {
        let _ = js_sys::Reflect::set(&options, &"durability".into(), &"strict".into());
    }
    let mode = if write { "readwrite" } else { "readonly" };
    // `database.transaction(stores, mode, options)`, called as JavaScript:
    // web-sys has the options only behind `web_sys_unstable_apis`.
    let open: Function = js_sys::Reflect::get(database, &"transaction".into())
        .and_then(|f| f.dyn_into())
        .map_err(refused)?;
    open.call3(database, &names, &mode.into(), &options)
        .and_then(|t| t.dyn_into())
        .map_err(refused)
}

/// The store named `name` of a transaction.
pub fn store(
    transaction: &IdbTransaction,
    name: &str,
) -> Result<web_sys::IdbObjectStore, StorageRefused> {
    transaction.object_store(name).map_err(refused)
}

/// Waits for a request: its result, or its error.
pub async fn finished(request: &IdbRequest) -> Result<JsValue, StorageRefused> {
    // Already answered (its event came before anyone waited): read it now.
    if request.ready_state() == web_sys::IdbRequestReadyState::Done {
        return match request.error() {
            Ok(Some(error)) => Err(refused(error.into())),
            _ => request.result().map_err(refused),
        };
    }
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
            .unwrap_or_else(|| StorageRefused::new("UnknownError"))),
    }
}

/// Waits for a transaction to be written (or to fail: quota, abort).
/// Every request is issued when this is called: the transaction is asked to
/// commit at once (`IDBTransaction.commit()`), not once the page has run its
/// requests' callbacks, which a page being left never does.
pub async fn committed(transaction: &IdbTransaction) -> Result<(), StorageRefused> {
    // Standard; web-sys marks it deprecated by mistake of its WebIDL source.
    #[allow(deprecated)]
    let _ = transaction.commit();
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
            .unwrap_or_else(|| StorageRefused::new("AbortError"))
    })
}

/// Opens (creating or upgrading with `upgrade`) the database `name` at `version`.
pub async fn open(
    name: &str,
    version: u32,
    upgrade: fn(&IdbDatabase),
) -> Result<IdbDatabase, StorageRefused> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| StorageRefused::new("NotSupportedError"))?;
    let request = factory.open_with_u32(name, version).map_err(refused)?;
    let on_upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let database = event
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
        if let Some(database) = database {
            upgrade(&database);
        }
    });
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let database = finished(&request).await;
    request.set_onupgradeneeded(None);
    drop(on_upgrade);
    database?.dyn_into::<IdbDatabase>().map_err(refused)
}

/// Every key and value of a store, in key order (two requests of one transaction).
pub fn all(store: &web_sys::IdbObjectStore) -> Result<(IdbRequest, IdbRequest), StorageRefused> {
    let keys = store.get_all_keys().map_err(refused)?;
    let values = store.get_all().map_err(refused)?;
    Ok((keys, values))
}

/// The answers of [`all`]: keys and values, side by side.
pub async fn all_answered(
    (keys, values): &(IdbRequest, IdbRequest),
) -> Result<Vec<(JsValue, JsValue)>, StorageRefused> {
    let keys = finished(keys).await?;
    let values = finished(values).await?;
    let keys: js_sys::Array = keys.dyn_into().map_err(refused)?;
    let values: js_sys::Array = values.dyn_into().map_err(refused)?;
    Ok(keys.iter().zip(values.iter()).collect())
}
