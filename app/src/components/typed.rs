//! What a person types into a form of a commitment's page (a ledger entry,
//! a claim, a plan step, a nomination's reason), kept in the workspace and
//! stored with it like drafts, so that neither a sync redrawing the form nor
//! a reload loses it.

use crate::state::{use_state, AppState};
use chengnuo_domain::ids::ItemId;
use leptos::prelude::*;

/// A text typed into one of an item's forms, kept in the workspace (stored
/// with it, like drafts), so that neither a sync redrawing the item nor a
/// reload loses it.
#[derive(Clone)]
pub struct Typed {
    state: AppState,
    key: String,
    default: String,
}

impl Typed {
    /// A field of an item's form.
    pub fn new(item: ItemId, field: &str, default: String) -> Typed {
        Typed::keyed(format!("{item}:{field}"), default)
    }

    /// A field of another form on a commitment's page (its own key).
    pub fn keyed(key: String, default: String) -> Typed {
        Typed {
            state: use_state(),
            key,
            default,
        }
    }

    /// What was typed, if anything (tracked).
    pub fn kept(&self) -> Option<String> {
        self.state
            .workspace
            .with(|w| w.as_ref().and_then(|w| w.typing.get(&self.key).cloned()))
    }

    pub fn get(&self) -> String {
        self.state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.typing.get(&self.key).cloned())
                .unwrap_or_else(|| self.default.clone())
        })
    }

    pub fn get_untracked(&self) -> String {
        self.state.workspace.with_untracked(|w| {
            w.as_ref()
                .and_then(|w| w.typing.get(&self.key).cloned())
                .unwrap_or_else(|| self.default.clone())
        })
    }

    pub fn set(&self, value: String) {
        let key = self.key.clone();
        self.state.update(move |w| {
            w.typing.insert(key, value);
        });
    }

    pub fn key(&self) -> String {
        self.key.clone()
    }

    pub fn clear(&self) {
        let key = self.key.clone();
        self.state.update(move |w| {
            w.typing.remove(&key);
        });
    }

    /// The value, for `prop:value`.
    pub fn value(&self) -> impl Fn() -> String + Send + Sync + 'static {
        let this = self.clone();
        move || this.get()
    }

    /// Keeps what is typed, for `on:input`.
    pub fn input(&self) -> impl Fn(leptos::ev::Event) + 'static {
        let this = self.clone();
        move |e| this.set(event_target_value(&e))
    }
}

/// A text the app suggests (a notice or a bulletin generated from the data)
/// that the person edits: what they type is kept like any typing, so a
/// reload keeps it; until they type, the latest suggestion shows.
#[derive(Clone)]
pub struct Suggested {
    typed: Typed,
    suggestion: RwSignal<String>,
}

impl Suggested {
    pub fn new(key: String) -> Suggested {
        Suggested {
            typed: Typed::keyed(key, String::new()),
            suggestion: RwSignal::new(String::new()),
        }
    }

    pub fn suggest(&self, text: String) {
        self.suggestion.set(text);
    }

    pub fn get_untracked(&self) -> String {
        let typed = self.typed.state.workspace.with_untracked(|w| {
            w.as_ref()
                .and_then(|w| w.typing.get(&self.typed.key).cloned())
        });
        typed.unwrap_or_else(|| self.suggestion.get_untracked())
    }

    /// The value, for `prop:value`.
    pub fn value(&self) -> impl Fn() -> String + Send + Sync + 'static {
        let this = self.clone();
        move || this.typed.kept().unwrap_or_else(|| this.suggestion.get())
    }

    /// Keeps what is typed, for `on:input`.
    pub fn input(&self) -> impl Fn(leptos::ev::Event) + 'static {
        self.typed.input()
    }

    /// Forgets what was typed (once it is published).
    pub fn clear(&self) {
        self.typed.clear();
    }
}
