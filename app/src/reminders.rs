//! System notifications of the to-do list (待办), where the person allowed
//! them: when the app starts and when a sync brings something new. Which
//! to-dos are new is the domain's rule (`todo::reminders`); the keys of those
//! already reminded of are kept with the account's workspace.
//!
//! The Notification API is reached through `js_sys::Reflect` (no web-sys
//! features for it), and notifications are shown by the service worker's
//! registration: phones do not allow `new Notification()` from a page.

use crate::i18n::Text;
use crate::state::AppState;
use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What the browser says: "granted", "denied", "default"; `None` without
/// notifications at all.
pub fn permission() -> Option<String> {
    let window = web_sys::window()?;
    let api = Reflect::get(&window, &"Notification".into()).ok()?;
    if api.is_undefined() {
        return None;
    }
    Reflect::get(&api, &"permission".into()).ok()?.as_string()
}

/// Asks the person (the browser shows its own question).
pub async fn ask() -> Option<String> {
    let window = web_sys::window()?;
    let api = Reflect::get(&window, &"Notification".into()).ok()?;
    let request: Function = Reflect::get(&api, &"requestPermission".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let promise: Promise = request.call0(&api).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()?.as_string()
}

async fn show(title: &str, body: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let workers = Reflect::get(&window.navigator(), &"serviceWorker".into())?;
    let ready: Promise = Reflect::get(&workers, &"ready".into())?.dyn_into()?;
    let registration = JsFuture::from(ready).await?;
    let options = Object::new();
    Reflect::set(&options, &"body".into(), &body.into())?;
    Reflect::set(&options, &"tag".into(), &"chengnuo-todo".into())?;
    Reflect::set(&options, &"icon".into(), &"/icons/icon-192.png".into())?;
    let show: Function = Reflect::get(&registration, &"showNotification".into())?.dyn_into()?;
    let shown: Promise = show
        .call2(&registration, &title.into(), &options)?
        .dyn_into()?;
    JsFuture::from(shown).await.map(|_| ())
}

/// Reminds the person of what is new on their to-do list, if they allowed
/// notifications. What the list holds now is remembered once the reminder
/// is shown (a reminder that could not be shown is tried at the next sync),
/// or at once when there is nothing to show or no permission.
pub fn remind(state: AppState) {
    let today = crate::time::today();
    let granted = permission().as_deref() == Some("granted");
    let Some((fresh, keep, changed)) = state.workspace.with_untracked(|w| {
        let w = w.as_ref()?;
        let list = w.todo(today);
        let (new, keep) = chengnuo_domain::todo::reminders(&list, &w.reminded);
        let changed = keep != w.reminded;
        Some((new.len(), keep, changed))
    }) else {
        return;
    };
    if !granted || fresh == 0 {
        if changed {
            state.update(|w| w.reminded = keep);
        }
        return;
    }
    let i18n = state.i18n;
    let title = i18n.text(Text::TodoHeading).to_owned();
    let body = format!("{}{fresh}", i18n.text(Text::RemindersNew));
    leptos::task::spawn_local(async move {
        if show(&title, &body).await.is_ok() {
            state.update(|w| w.reminded = keep);
            state.save_now();
        }
    });
}
