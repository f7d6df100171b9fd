use crate::components::app_bar::AppBar;
use crate::i18n::{provide_i18n, Text};
use crate::page::Page;
use crate::pages::{home::Home, not_found::NotFound, sign_in::SignIn};
use crate::service_worker;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::StaticSegment;

#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    service_worker::register();
    view! {
        <Router>
            <AppBar/>
            <main class="page" aria-label=move || i18n.text(Text::MainContent)>
                <Routes fallback=NotFound>
                    <Route path=StaticSegment(Page::Home.segment()) view=Home/>
                    <Route path=StaticSegment(Page::SignIn.segment()) view=SignIn/>
                </Routes>
            </main>
        </Router>
    }
}
