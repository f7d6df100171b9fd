use crate::components::app_bar::AppBar;
use crate::components::sync_status::SyncStatus;
use crate::i18n::{provide_i18n, Text};
use crate::page::{BOARD, COMMITMENTS, FORMS, INBOX, PRINT, REPORTS, REVIEW, SIGN_IN};
use crate::pages::{
    board::BoardPage, board_entry::BoardEntryPage, commitment::CommitmentPage, home::Home,
    inbox::InboxPage, not_found::NotFound, package_forms::PackageFormsPage, print::PrintPage,
    reports::ReportsPage, review::ReviewPage, sign_in::SignIn,
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
                    <Route path=(StaticSegment(COMMITMENTS), ParamSegment("id"), StaticSegment(PRINT)) view=PrintPage/>
                    <Route path=(StaticSegment(REVIEW), ParamSegment("id")) view=ReviewPage/>
                    <Route path=StaticSegment(INBOX) view=InboxPage/>
                    <Route path=StaticSegment(BOARD) view=BoardPage/>
                    <Route path=(StaticSegment(BOARD), ParamSegment("id")) view=BoardEntryPage/>
                    <Route path=StaticSegment(REPORTS) view=ReportsPage/>
                    <Route path=(StaticSegment(REPORTS), ParamSegment("id"), StaticSegment(FORMS)) view=PackageFormsPage/>
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
