use crate::components::app_bar::AppBar;
use crate::components::sync_status::SyncStatus;
use crate::i18n::{provide_i18n, Text};
use crate::on_demand::{
    AccountScreen, AdminScreen, BallotCodesScreen, BallotScreen, BoardEntryScreen, BoardScreen,
    CircularDraftScreen, CircularScreen, CircularsScreen, ClaimsScreen, DashboardScreen,
    PackageFormsScreen, PrintScreen, ReportsScreen, ReviewScreen, YearsScreen,
};
use crate::page::Route;
use crate::pages::{
    commitment::CommitmentPage, home::Home, inbox::InboxPage, not_found::NotFound, sign_in::SignIn,
};
use crate::state::{provide_state, Booted, Workspace};
use chengnuo_domain::workflow::CommitmentState;
use leptos::prelude::*;

#[component]
pub fn App(booted: Booted) -> impl IntoView {
    let i18n = provide_i18n();
    let state = provide_state(i18n, booted);
    crate::sync::start(state);
    request_persistent_storage();
    // A person who supervises some unit: their screens (see
    // `on_demand::fetch_supervisors_screens`).
    fetch_when_online(
        state,
        |w| w.actor().supervises_some_unit(),
        crate::on_demand::fetch_supervisors_screens,
    );
    // An approved commitment this year: signing it (and printing it).
    fetch_when_online(
        state,
        |w| w.holds_this_year(&[CommitmentState::Approved, CommitmentState::Signed]),
        crate::on_demand::fetch_publication,
    );
    // A published one: its ledger (last year's ledgers are history, read online).
    fetch_when_online(
        state,
        |w| w.holds_this_year(&[CommitmentState::Published]),
        crate::on_demand::fetch_fulfilment,
    );
    crate::router::provide_router();
    let route = crate::router::use_route();
    view! {
        <a class="skip-link" href="#main" on:click=|e| {
            e.prevent_default();
            focus_main(focused());
        }>{move || i18n.text(Text::SkipToContent)}</a>
        <FocusOnNavigate/>
        <AppBar/>
        <crate::components::pwa_banner::PwaBanner/>
        <SyncStatus/>
        <main id="main" tabindex="-1" class="page" aria-label=move || i18n.text(Text::MainContent)>
            {move || screen(route.get())}
        </main>
    }
}

/// The screen of a route: the member's in the first load, the others loaded
/// on demand (`crate::on_demand`).
fn screen(route: Route) -> AnyView {
    match route {
        Route::Home => view! { <Home/> }.into_any(),
        Route::SignIn => view! { <SignIn/> }.into_any(),
        Route::Commitment => view! { <CommitmentPage/> }.into_any(),
        Route::Inbox => view! { <InboxPage/> }.into_any(),
        Route::Print => view! { <PrintScreen/> }.into_any(),
        Route::Review => view! { <ReviewScreen/> }.into_any(),
        Route::Account => view! { <AccountScreen/> }.into_any(),
        Route::Claims => view! { <ClaimsScreen/> }.into_any(),
        Route::Board => view! { <BoardScreen/> }.into_any(),
        Route::BoardEntry => view! { <BoardEntryScreen/> }.into_any(),
        Route::Reports => view! { <ReportsScreen/> }.into_any(),
        Route::PackageForms => view! { <PackageFormsScreen/> }.into_any(),
        Route::Years => view! { <YearsScreen/> }.into_any(),
        Route::BallotCodes => view! { <BallotCodesScreen/> }.into_any(),
        Route::Ballot => view! { <BallotScreen/> }.into_any(),
        Route::Dashboard => view! { <DashboardScreen/> }.into_any(),
        Route::Admin => view! { <AdminScreen/> }.into_any(),
        Route::Circulars => view! { <CircularsScreen/> }.into_any(),
        Route::Circular => view! { <CircularScreen/> }.into_any(),
        Route::CircularDraft => view! { <CircularDraftScreen/> }.into_any(),
        Route::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// The element holding the keyboard's focus (none: the page's body).
fn focused() -> Option<web_sys::Element> {
    let document = web_sys::window().and_then(|w| w.document())?;
    let active = document.active_element()?;
    let body: Option<web_sys::Element> = document.body().map(Into::into);
    (Some(&active) != body.as_ref()).then_some(active)
}

/// Puts the keyboard's focus on the screen's heading (else on the main
/// content), so that a screen reader starts reading the new screen; unless
/// the person already put it somewhere else since `before` (a field tapped
/// as the screen appeared keeps it, and what is typed goes there).
fn focus_main(before: Option<web_sys::Element>) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(now) = focused() {
        if Some(&now) != before.as_ref() && now.is_connected() {
            return;
        }
    }
    let target = document
        .query_selector("main h1")
        .ok()
        .flatten()
        .or_else(|| document.get_element_by_id("main"));
    if let Some(element) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        if !element.has_attribute("tabindex") {
            let _ = element.set_attribute("tabindex", "-1");
        }
        let _ = element.focus();
    }
}

/// After every change of screen (not the first one), the focus goes to the
/// new screen's heading instead of staying on a link that is gone.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let path = crate::router::use_path();
    Effect::new(move |previous: Option<String>| {
        let path = path.get();
        if previous.is_some_and(|p| p != path) {
            // Once the new screen is drawn.
            let before = focused();
            set_timeout(
                move || focus_main(before),
                std::time::Duration::from_millis(50),
            );
        }
        path
    });
}

/// Asks the browser not to evict this app's storage under pressure: drafts
/// live there until the server has them.
fn request_persistent_storage() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().storage().persist();
    }
}

/// Fetches a part of the app while online once the device's workspace says
/// it will be `needed`, so that it opens offline later (a member still
/// drafting downloads nothing more). Once per start of the app, tried again
/// each time the network comes back until it succeeds.
fn fetch_when_online<F>(
    state: crate::state::AppState,
    needed: impl Fn(&Workspace) -> bool + Send + Sync + 'static,
    fetch: fn() -> F,
) where
    F: std::future::Future<Output = Result<(), crate::on_demand::NotLoaded>> + 'static,
{
    let fetched = StoredValue::new(false);
    Effect::new(move |_| {
        let needed = state.workspace.with(|w| w.as_ref().is_some_and(&needed));
        if !needed || !state.online.get() || fetched.get_value() {
            return;
        }
        leptos::task::spawn_local(async move {
            if fetch().await.is_ok() {
                fetched.set_value(true);
            }
        });
    });
}
