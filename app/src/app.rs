use crate::components::app_bar::AppBar;
use crate::components::sync_status::SyncStatus;
use crate::i18n::{provide_i18n, Text};
use crate::page::{COMMITMENTS, REVIEW, SIGN_IN};
use crate::pages::{
    commitment::CommitmentPage, home::Home, not_found::NotFound, review::ReviewPage,
    sign_in::SignIn,
};
use crate::state::provide_state;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    let state = provide_state(i18n);
    crate::sync::start(state);
    request_persistent_storage();
    view! {
        <Router>
            <AppBar/>
            <crate::components::pwa_banner::PwaBanner/>
            <SyncStatus/>
            <main class="page" aria-label=move || i18n.text(Text::MainContent)>
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=Home/>
                    <Route path=StaticSegment(SIGN_IN) view=SignIn/>
                    <Route path=(StaticSegment(COMMITMENTS), ParamSegment("id")) view=CommitmentPage/>
                    <Route path=(StaticSegment(REVIEW), ParamSegment("id")) view=ReviewPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// Asks the browser not to evict this app's storage under pressure: drafts
/// live there until the server has them.
fn request_persistent_storage() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().storage().persist();
    }
}
