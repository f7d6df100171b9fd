use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Text::NotFoundHeading).to_owned());
    view! {
        <section class="not-found">
            <h1>{move || i18n.text(Text::NotFoundHeading)}</h1>
            <p>{move || i18n.text(Text::NotFoundBody)}</p>
            <A href=Page::Home.path() attr:class="button">{move || i18n.text(Text::BackHome)}</A>
        </section>
    }
}
