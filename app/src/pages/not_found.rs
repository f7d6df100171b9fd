use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Text::NotFoundHeading).to_owned());
    view! {
        <section class="not-found">
            <h1>{move || i18n.text(Text::NotFoundHeading)}</h1>
            <p>{move || i18n.text(Text::NotFoundBody)}</p>
            <a href=Page::Home.path() class="button">{move || i18n.text(Text::BackHome)}</a>
        </section>
    }
}
