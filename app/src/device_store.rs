//! The device's store: one IndexedDB database per account
//! (`chengnuo.account.<person>`), with a record per commitment, per queued
//! operation, per typed field, per ledger and per piece of the rest, and the
//! account's evidence files; plus one small database for the device
//! (`chengnuo.device`: whose account is open). What to write is decided by
//! the domain (`chengnuo_domain::sync::device`); this module performs it.
//!
//! A save is one `strict` transaction: it reads the store's version first;
//! if another tab wrote since this one last read or wrote, it reads every
//! record and merges them into this tab's workspace before writing; then it
//! writes only what differs and the next version. The caller's base moves
//! only when the transaction completed: a write refused (storage full)
//! keeps everything, in memory and in the store, and is tried again.
//!
//! Workspaces kept in localStorage by earlier versions (one JSON value per
//! account) and their files (`chengnuo-evidence`) are moved here once.

use crate::idb::{self, StorageRefused};
use chengnuo_domain::ids::{CommitmentId, OperationId, PersonId};
use chengnuo_domain::ledger::ProgressLine;
use chengnuo_domain::sync::device::{Meta, Workspace};
use chengnuo_domain::sync::replica::LocalCommitment;
use chengnuo_domain::sync::Operation;
use std::cell::RefCell;
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbDatabase;

const DEVICE: &str = "chengnuo.device";
const CURRENT: &str = "current";

const META: &str = "meta";
const COMMITMENTS: &str = "commitments";
const OUTBOX: &str = "outbox";
const TYPING: &str = "typing";
const LEDGERS: &str = "ledgers";
/// The account's evidence files, by content hash (see `evidence_files`).
pub const FILES: &str = "files";
const RECORDS: [&str; 5] = [META, COMMITMENTS, OUTBOX, TYPING, LEDGERS];
/// The store's version, in `META`: one more at every write.
const VERSION: &str = "version";

fn upgrade_device(database: &IdbDatabase) {
    if !database.object_store_names().contains(DEVICE) {
        let _ = database.create_object_store(DEVICE);
    }
}

fn upgrade_account(database: &IdbDatabase) {
    let names = database.object_store_names();
    for name in [META, COMMITMENTS, TYPING, LEDGERS, FILES] {
        if !names.contains(name) {
            let _ = database.create_object_store(name);
        }
    }
    if !names.contains(OUTBOX) {
        // Keys the browser numbers in order, across tabs: the outbox's order.
        let options = web_sys::IdbObjectStoreParameters::new();
        options.set_auto_increment(true);
        let _ = database.create_object_store_with_optional_parameters(OUTBOX, &options);
    }
}

thread_local! {
    /// The databases opened, kept open for the tab's life.
    static OPEN: RefCell<Vec<(String, IdbDatabase)>> = const { RefCell::new(Vec::new()) };
    /// The save under way's transaction, and whether a page going away
    /// aborted it (see `save_leaving`).
    static IN_FLIGHT: RefCell<(Option<web_sys::IdbTransaction>, bool)> = const { RefCell::new((None, false)) };
}

async fn opened(name: String, upgrade: fn(&IdbDatabase)) -> Result<IdbDatabase, StorageRefused> {
    if let Some(found) = OPEN.with(|o| {
        o.borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| d.clone())
    }) {
        return Ok(found);
    }
    let database = idb::open(&name, 1, upgrade).await?;
    OPEN.with(|o| o.borrow_mut().push((name, database.clone())));
    Ok(database)
}

/// The database of `person`'s account on this device.
pub async fn account(person: PersonId) -> Result<IdbDatabase, StorageRefused> {
    opened(format!("chengnuo.account.{person}"), upgrade_account).await
}

/// Whose account is open on this device (signed in, or signed out with no
/// one after).
pub async fn current() -> Option<PersonId> {
    let database = opened(DEVICE.into(), upgrade_device).await.ok()?;
    let transaction = idb::transaction(&database, &[DEVICE], false).ok()?;
    let request = idb::store(&transaction, DEVICE)
        .ok()?
        .get(&CURRENT.into())
        .ok()?;
    idb::finished(&request)
        .await
        .ok()?
        .as_string()?
        .parse()
        .ok()
}

/// Opens `person`'s account on this device (none: signed out).
pub async fn set_current(person: Option<PersonId>) -> Result<(), StorageRefused> {
    let database = opened(DEVICE.into(), upgrade_device).await?;
    let transaction = idb::transaction(&database, &[DEVICE], true)?;
    let store = idb::store(&transaction, DEVICE)?;
    match person {
        Some(person) => store.put_with_key(&person.to_string().into(), &CURRENT.into()),
        None => store.delete(&CURRENT.into()),
    }
    .map_err(idb::refused)?;
    idb::committed(&transaction).await
}

/// What a tab knows of its account's store: the version it last read or
/// wrote, the workspace then (the base of its next merge and write), and
/// the key of each stored operation.
#[derive(Clone, Default)]
pub struct Known {
    pub version: f64,
    pub base: Option<Workspace>,
    keys: Vec<(OperationId, f64)>,
}

impl Known {
    /// The keys of `operation`'s records (two when a page going away wrote
    /// it again beside a save under way).
    fn keys_of(&self, operation: OperationId) -> impl Iterator<Item = f64> + '_ {
        self.keys
            .iter()
            .filter(move |(id, _)| *id == operation)
            .map(|(_, k)| *k)
    }
}

/// Reads every record of an account (one transaction).
pub async fn load(person: PersonId) -> Result<Known, StorageRefused> {
    let database = account(person).await?;
    let transaction = idb::transaction(&database, &RECORDS, false)?;
    read_all(&transaction).await
}

async fn read_all(transaction: &web_sys::IdbTransaction) -> Result<Known, StorageRefused> {
    let mut requests = Vec::new();
    for name in RECORDS {
        requests.push(idb::all(&idb::store(transaction, name)?)?);
    }
    let mut answers = Vec::new();
    for request in &requests {
        answers.push(idb::all_answered(request).await?);
    }
    Ok(from_records(answers))
}

fn text(value: &JsValue) -> String {
    value.as_string().unwrap_or_default()
}

/// The workspace the records hold (none without its person). A record
/// that does not read (written by a later version) is left out here and
/// left alone in the store.
fn from_records(mut answers: Vec<Vec<(JsValue, JsValue)>>) -> Known {
    let ledgers = answers.pop().unwrap_or_default();
    let typing = answers.pop().unwrap_or_default();
    let outbox = answers.pop().unwrap_or_default();
    let commitments = answers.pop().unwrap_or_default();
    let meta = answers.pop().unwrap_or_default();
    let mut version = 0.0;
    let mut me = None;
    let mut rest = Vec::new();
    for (key, value) in &meta {
        let key = text(key);
        if key == VERSION {
            version = value.as_f64().unwrap_or(0.0);
        } else if let Some(field) = Meta::of_key(&key) {
            if field == Meta::Me {
                me = crate::json::from_str(&text(value)).ok();
            } else {
                rest.push((field, text(value)));
            }
        }
    }
    let Some(me) = me else {
        return Known {
            version,
            base: None,
            keys: Vec::new(),
        };
    };
    let mut workspace = Workspace::new(me);
    for (field, json) in rest {
        read_meta(&mut workspace, field, &json);
    }
    let mut keys = Vec::new();
    let mut operations = Vec::new();
    for (key, value) in &outbox {
        if let Ok(operation) = crate::json::from_str::<Operation>(&text(value)) {
            keys.push((operation.id, key.as_f64().unwrap_or(0.0)));
            if !operations.iter().any(|o: &Operation| o.id == operation.id) {
                operations.push(operation);
            }
        }
    }
    let commitments: Vec<LocalCommitment> = commitments
        .iter()
        .filter_map(|(_, v)| crate::json::from_str(&text(v)).ok())
        .collect();
    // Inserted one by one: `collect` into a map sorts a vector first (a
    // sort per key type in the first load); the keys come sorted anyway.
    let mut typed = BTreeMap::new();
    for (key, value) in &typing {
        typed.insert(text(key), text(value));
    }
    let mut kept: BTreeMap<CommitmentId, Vec<ProgressLine>> = BTreeMap::new();
    for (key, value) in &ledgers {
        if let (Ok(id), Ok(lines)) = (text(key).parse(), crate::json::from_str(&text(value))) {
            kept.insert(id, lines);
        }
    }
    Known {
        version,
        base: Some(workspace.from_records(commitments, operations, typed, kept)),
        keys,
    }
}

fn read_meta(w: &mut Workspace, field: Meta, json: &str) {
    use crate::json::from_str;
    let _ = match field {
        Meta::Me => from_str(json).map(|v| w.me = v),
        Meta::Units => from_str(json).map(|v| w.units = v),
        Meta::Cycle => from_str(json).map(|v| w.cycle = v),
        Meta::Cursor => from_str(json).map(|v| w.replica.cursor = v),
        Meta::Uploaded => from_str(json).map(|v| w.replica.uploaded = v),
        Meta::LastSync => from_str::<Option<String>>(json)
            .map(|v| w.last_sync = v.and_then(|t| chengnuo_domain::day::parse_instant(&t))),
        Meta::SeenReviews => from_str(json).map(|v| w.seen_reviews = v),
        Meta::Reminded => from_str(json).map(|v| w.reminded = v),
        Meta::ServerClock => from_str(json).map(|v| w.server_clock = v),
    };
}

fn write_meta(w: &Workspace, field: Meta) -> Result<String, crate::json::Error> {
    use crate::json::to_string;
    match field {
        Meta::Me => to_string(&w.me),
        Meta::Units => to_string(&w.units),
        Meta::Cycle => to_string(&w.cycle),
        Meta::Cursor => to_string(&w.replica.cursor),
        Meta::Uploaded => to_string(&w.replica.uploaded),
        Meta::LastSync => to_string(&w.last_sync),
        Meta::SeenReviews => to_string(&w.seen_reviews),
        Meta::Reminded => to_string(&w.reminded),
        Meta::ServerClock => to_string(&w.server_clock),
    }
}

/// A save that did not happen, and what the tab knows now (another tab's
/// records may have been read, and merged, before the write failed).
pub struct NotSaved {
    pub known: Known,
    pub why: StorageRefused,
}

/// Saves `person`'s workspace. `merge` is given what another tab stored
/// since `known` (if any did) and the base, takes it into the tab's live
/// workspace, and answers the workspace to write (none: nothing to save).
/// Answers what the tab knows once it is written.
pub async fn save(
    person: PersonId,
    known: Known,
    merge: impl FnOnce(Option<&Workspace>, Option<&Workspace>) -> Option<Workspace>,
) -> Result<Known, NotSaved> {
    let not_saved = |known: &Known, why| NotSaved {
        known: known.clone(),
        why,
    };
    let database = account(person)
        .await
        .map_err(|why| not_saved(&known, why))?;
    let transaction =
        idb::transaction(&database, &RECORDS, true).map_err(|why| not_saved(&known, why))?;
    IN_FLIGHT.with(|f| *f.borrow_mut() = (Some(transaction.clone()), false));
    let result = save_in(&transaction, person, known.clone(), merge).await;
    let aborted_for_leaving = IN_FLIGHT.with(|f| std::mem::take(&mut *f.borrow_mut()).1);
    match result {
        // Written again by `save_leaving` meanwhile (blindly): the next
        // save reads the store again, its version having moved.
        Err(_) if aborted_for_leaving => Ok(known),
        result => result,
    }
}

async fn save_in(
    transaction: &web_sys::IdbTransaction,
    person: PersonId,
    known: Known,
    merge: impl FnOnce(Option<&Workspace>, Option<&Workspace>) -> Option<Workspace>,
) -> Result<Known, NotSaved> {
    let not_saved = |known: &Known, why| NotSaved {
        known: known.clone(),
        why,
    };
    let transaction = transaction.clone();
    let previous_base = known.base.clone();
    let mut known = known;
    let version = match read_version(&transaction).await {
        Ok(version) => version,
        Err(why) => return Err(not_saved(&known, why)),
    };
    let mut theirs = None;
    if version != known.version {
        // Another tab wrote: its records are the base now.
        match read_all(&transaction).await {
            Ok(stored) => {
                theirs = stored.base.clone();
                known = stored;
            }
            Err(why) => return Err(not_saved(&known, why)),
        }
    }
    // From here to the writes, nothing waits: the tab's workspace cannot
    // change in between.
    let Some(workspace) = merge(theirs.as_ref(), previous_base.as_ref()) else {
        return Ok(known);
    };
    let written = write(&transaction, &workspace, &known, version);
    let added = match written {
        Ok(added) => added,
        Err(why) => {
            transaction.abort().ok();
            return Err(not_saved(&known, why));
        }
    };
    let Some(added) = added else {
        // Nothing differs from the store.
        return Ok(known);
    };
    if let Err(why) = idb::committed(&transaction).await {
        return Err(not_saved(&known, why));
    }
    // The operations still queued, each by its first key (a copy was deleted).
    let mut keys: Vec<(OperationId, f64)> = Vec::new();
    for (id, key) in known.keys {
        if workspace.replica.outbox.iter().any(|o| o.id == id)
            && !keys.iter().any(|(kept, _)| *kept == id)
        {
            keys.push((id, key));
        }
    }
    for (id, request) in added {
        if let Some(key) = request.result().ok().and_then(|k| k.as_f64()) {
            keys.push((id, key));
        }
    }
    announce(person);
    Ok(Known {
        version: version + 1.0,
        base: Some(workspace),
        keys,
    })
}

/// Saves `person`'s workspace as a page goes away (`pagehide`): every write
/// is issued now and committed, nothing awaited, since a page being left
/// runs no more callbacks (a save that first reads, as `save` does, would
/// never write). What another tab stored meanwhile is not read: this tab's
/// changed records are written over it, and the version is one no tab counts
/// to, so every other tab reads all again before its next save.
pub fn save_leaving(person: PersonId, known: &Known, workspace: &Workspace) {
    let name = format!("chengnuo.account.{person}");
    let Some(database) = OPEN.with(|o| {
        o.borrow()
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| d.clone())
    }) else {
        return;
    };
    // The save under way waits for callbacks a page going away no longer
    // runs, and would hold this write back until the page is gone (both
    // then lost): it is aborted, and all it would have written is written
    // here. One already committing cannot be aborted and finishes first.
    IN_FLIGHT.with(|f| {
        let mut f = f.borrow_mut();
        if let Some(under_way) = f.0.take() {
            f.1 = under_way.abort().is_ok();
        }
    });
    let Ok(transaction) = idb::transaction(&database, &RECORDS, true) else {
        return;
    };
    match write(&transaction, workspace, known, known.version + 0.5) {
        Ok(Some(_)) => {
            // Standard `IDBTransaction.commit()` (web-sys marks it deprecated
            // by mistake of its WebIDL source): written without waiting for
            // this task to end.
            #[allow(deprecated)]
            transaction.commit().ok();
            announce(person);
        }
        _ => {
            transaction.abort().ok();
        }
    }
}

async fn read_version(transaction: &web_sys::IdbTransaction) -> Result<f64, StorageRefused> {
    let request = idb::store(transaction, META)?
        .get(&VERSION.into())
        .map_err(idb::refused)?;
    Ok(idb::finished(&request).await?.as_f64().unwrap_or(0.0))
}

/// The operations added (to read their keys once written).
type Added = Vec<(OperationId, web_sys::IdbRequest)>;

/// Puts what differs between `workspace` and the store (`known.base`);
/// none when nothing does.
fn write(
    transaction: &web_sys::IdbTransaction,
    workspace: &Workspace,
    known: &Known,
    version: f64,
) -> Result<Option<Added>, StorageRefused> {
    let writes = workspace.writes_over(known.base.as_ref());
    if writes.is_empty() {
        return Ok(None);
    }
    let json = |r: Result<String, crate::json::Error>| -> Result<JsValue, StorageRefused> {
        r.map(|t| JsValue::from_str(&t))
            .map_err(|e| StorageRefused {
                name: "DataError".into(),
                message: e.to_string(),
            })
    };
    let id = |id: &dyn std::fmt::Display| JsValue::from_str(&id.to_string());
    let put = |store: &web_sys::IdbObjectStore, key: &JsValue, value: &JsValue| {
        store
            .put_with_key(value, key)
            .map(|_| ())
            .map_err(idb::refused)
    };
    let delete = |store: &web_sys::IdbObjectStore, key: &JsValue| {
        store.delete(key).map(|_| ()).map_err(idb::refused)
    };

    let meta = idb::store(transaction, META)?;
    for field in &writes.meta {
        put(
            &meta,
            &field.key().into(),
            &json(write_meta(workspace, *field))?,
        )?;
    }
    put(&meta, &VERSION.into(), &JsValue::from_f64(version + 1.0))?;

    let commitments = idb::store(transaction, COMMITMENTS)?;
    for local in &writes.commitments {
        put(
            &commitments,
            &id(&local.id),
            &json(crate::json::to_string(local))?,
        )?;
    }
    for gone in &writes.gone_commitments {
        delete(&commitments, &id(gone))?;
    }

    let outbox = idb::store(transaction, OUTBOX)?;
    let mut added = Vec::new();
    for operation in &writes.operations {
        let request = outbox
            .add(&json(crate::json::to_string(operation))?)
            .map_err(idb::refused)?;
        added.push((operation.id, request));
    }
    for gone in &writes.gone_operations {
        for key in known.keys_of(*gone) {
            delete(&outbox, &JsValue::from_f64(key))?;
        }
    }
    // An operation a page going away wrote a second time: the copy goes.
    for (n, (id, key)) in known.keys.iter().enumerate() {
        if known.keys[..n].iter().any(|(earlier, _)| earlier == id) {
            delete(&outbox, &JsValue::from_f64(*key))?;
        }
    }

    let typing = idb::store(transaction, TYPING)?;
    for (key, value) in &writes.typing {
        put(&typing, &(*key).into(), &(*value).into())?;
    }
    for gone in &writes.gone_typing {
        delete(&typing, &gone.as_str().into())?;
    }

    let ledgers = idb::store(transaction, LEDGERS)?;
    for (commitment, lines) in &writes.ledgers {
        put(
            &ledgers,
            &id(commitment),
            &json(crate::json::to_string(lines))?,
        )?;
    }
    for gone in &writes.gone_ledgers {
        delete(&ledgers, &id(gone))?;
    }
    Ok(Some(added))
}

/// Tells this account's other tabs that the store changed
/// (a `BroadcastChannel` per account; see [`follow`]).
fn announce(person: PersonId) {
    if let Ok(channel) = web_sys::BroadcastChannel::new(&channel_name(person)) {
        let _ = channel.post_message(&JsValue::TRUE);
        channel.close();
    }
}

fn channel_name(person: PersonId) -> String {
    format!("chengnuo.account.{person}")
}

/// Calls `changed` each time another tab of `person`'s account wrote its
/// store (until the returned channel is closed).
pub fn follow(person: PersonId, changed: impl Fn() + 'static) -> Option<web_sys::BroadcastChannel> {
    let channel = web_sys::BroadcastChannel::new(&channel_name(person)).ok()?;
    let on_message = wasm_bindgen::closure::Closure::<dyn Fn()>::new(changed).into_js_value();
    channel.set_onmessage(Some(on_message.unchecked_ref()));
    Some(channel)
}

/// Tells the other tabs of this device that the open account changed (a
/// sign-in or a sign-out), and calls `changed` when another tab says so.
pub fn follow_device(changed: impl Fn() + 'static) -> Option<web_sys::BroadcastChannel> {
    let channel = web_sys::BroadcastChannel::new(DEVICE).ok()?;
    let on_message = wasm_bindgen::closure::Closure::<dyn Fn()>::new(changed).into_js_value();
    channel.set_onmessage(Some(on_message.unchecked_ref()));
    Some(channel)
}

pub fn announce_device() {
    if let Ok(channel) = web_sys::BroadcastChannel::new(DEVICE) {
        let _ = channel.post_message(&JsValue::TRUE);
        channel.close();
    }
}

/// The localStorage keys of workspaces an earlier version kept (one JSON
/// value per account), still to move here.
fn old_workspaces() -> Vec<String> {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return Vec::new();
    };
    (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with("chengnuo.workspace."))
        .collect()
}

/// Moves the workspaces an earlier version kept in localStorage (and their
/// evidence files) into their accounts' databases, once: a workspace's key
/// is removed only after its records and files are written. Answers the
/// account that was open then, if any. The moving is a part of its own,
/// fetched only on a device that has something to move (if it cannot be
/// fetched, nothing is moved or removed: it is tried at the next start).
pub async fn migrate() -> Option<PersonId> {
    let keys = old_workspaces();
    if keys.is_empty() {
        return None;
    }
    let open: Option<PersonId> =
        crate::json::stored::<String>("chengnuo.current").and_then(|p| p.parse().ok());
    move_old(keys).await.ok()?.await;
    open
}

type Moving = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

#[leptos::wasm_split::wasm_split(device_migration, wasm_split_path = ::leptos::wasm_split, fallible)]
fn move_old(keys: Vec<String>) -> Result<Moving, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move {
        let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
            return;
        };
        let mut all_moved = true;
        for key in keys {
            let Some(old) = crate::json::stored::<Workspace>(&key) else {
                continue;
            };
            all_moved &= move_one(old).await.is_ok() && storage.remove_item(&key).is_ok();
        }
        if all_moved {
            let _ = storage.remove_item("chengnuo.current");
            if let Some(factory) = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()) {
                let _ = factory.delete_database(crate::evidence_files::OLD_DATABASE);
            }
        }
    }))
}

async fn move_one(old: Workspace) -> Result<(), StorageRefused> {
    let person = old.me.id();
    let mut needed = old.replica.files_in_use();
    needed.extend(crate::evidence_files::in_forms(&old));
    for hash in needed {
        if let Ok(Some(bytes)) = crate::evidence_files::old_file(&hash).await {
            crate::evidence_files::put(person, &hash, &bytes.to_vec()).await?;
        }
    }
    let known = load(person).await?;
    // Whatever this account has here already (a tab of the new version
    // came first) is kept: the old workspace comes in as another tab's.
    save(person, known, |stored, base| {
        let mut merged = old.clone();
        if let Some(stored) = stored.or(base) {
            merged.merge_stored(stored, None);
        }
        Some(merged)
    })
    .await
    .map(|_| ())
    .map_err(|e| e.why)
}
