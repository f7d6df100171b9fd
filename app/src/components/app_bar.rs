use crate::components::language_switch::LanguageSwitch;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use leptos::prelude::*;
use leptos_router::components::A;

/// The bar at the top of every page: the app's name, navigation and language.
#[component]
pub fn AppBar() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="app-bar">
            <A href=Page::Home.path() attr:class="app-name">{move || i18n.text(Text::AppName)}</A>
            <nav aria-label=move || i18n.text(Text::Navigation)>
                <A href=Page::SignIn.path()>{move || i18n.text(Text::SignIn)}</A>
            </nav>
            <LanguageSwitch/>
        </header>
    }
}
