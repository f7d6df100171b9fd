//! The address bar and the screen it names ([`crate::page::Route`]): links
//! inside the app change the screen without a page load, back and forward
//! work, and a screen reads its address's id and query from here. (Leptos's
//! router did this before; its route tables cost about a tenth of the first
//! load, which this small module does not.)

use crate::page::Route;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The id segment of an address (`id`) or its query's pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value.clone())
    }

    fn of_query(query: &str) -> Params {
        Params(
            query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (form_decoded(key), form_decoded(value))
                })
                .collect(),
        )
    }
}

/// A query's key or value: `+` is a space there (form encoding).
fn form_decoded(text: &str) -> String {
    decoded(&text.replace('+', " "))
}

/// A path segment: `%XX` decoded, `+` kept as it is.
fn decoded(text: &str) -> String {
    js_sys::decode_uri_component(text)
        .ok()
        .and_then(|t| t.as_string())
        .unwrap_or_else(|| text.to_owned())
}

/// Where the app is: the address's path and its query (without `?`), in
/// one signal, so that no screen ever sees a new path with the old query.
#[derive(Clone, Copy)]
struct Location {
    address: RwSignal<(String, String)>,
}

impl Location {
    fn read_address_bar(self) {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let path = location.pathname().unwrap_or_default();
        let query = location.search().unwrap_or_default();
        self.address
            .set((path, query.trim_start_matches('?').to_owned()));
    }

    fn go(self, to: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Ok(history) = window.history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to));
        }
        self.read_address_bar();
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Follows the address bar from now on: called once, by the app.
pub fn provide_router() {
    let location = Location {
        address: RwSignal::new((String::new(), String::new())),
    };
    location.read_address_bar();
    provide_context(location);
    // Back and forward.
    let _ = window_event_listener(ev::popstate, move |_| location.read_address_bar());
    // A link to a screen of the app changes the screen in place.
    let _ = window_event_listener(ev::click, move |event| {
        if let Some(to) = followed_in_place(&event) {
            event.prevent_default();
            location.go(&to);
        }
    });
}

/// The address a click on a link leads to, when the app shows it itself:
/// a plain left click on a link to one of its screens, not opened elsewhere,
/// not a download, not already handled.
fn followed_in_place(event: &web_sys::MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let anchor = event
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    if !anchor.target().is_empty() || anchor.has_attribute("download") {
        return None;
    }
    let here = web_sys::window()?.location().origin().ok()?;
    let path = anchor.pathname();
    if anchor.origin() != here || Route::of(&path).0 == Route::NotFound {
        return None;
    }
    Some(format!("{path}{}{}", anchor.search(), anchor.hash()))
}

fn location() -> Location {
    expect_context::<Location>()
}

/// The screen the address names.
pub fn use_route() -> Memo<Route> {
    let location = location();
    Memo::new(move |_| location.address.with(|(path, _)| Route::of(path).0))
}

/// The address's path, e.g. `/commitments/…`.
pub fn use_path() -> Memo<String> {
    let location = location();
    Memo::new(move |_| location.address.with(|(path, _)| path.clone()))
}

/// The address's id segment, as `id`.
pub fn use_params_map() -> Memo<Params> {
    let location = location();
    Memo::new(move |_| {
        location.address.with(|(path, _)| {
            Params(
                Route::of(path)
                    .1
                    .map(|id| vec![("id".to_owned(), decoded(id))])
                    .unwrap_or_default(),
            )
        })
    })
}

/// The address's query, e.g. `unit` of `/dashboard?unit=…`.
pub fn use_query_map() -> Memo<Params> {
    let location = location();
    Memo::new(move |_| location.address.with(|(_, query)| Params::of_query(query)))
}

/// Goes to another address of the app (as a link would).
pub fn use_navigate() -> impl Fn(&str) + Clone + 'static {
    let location = location();
    move |to: &str| location.go(to)
}
