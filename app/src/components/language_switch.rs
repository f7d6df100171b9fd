use crate::i18n::{use_i18n, Text};
use chengnuo_domain::Locale;
use leptos::prelude::*;

/// Lets the person switch between Chinese and English; the choice is remembered.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |event: leptos::ev::Event| {
        let locale = if event_target_value(&event) == "en" {
            Locale::En
        } else {
            Locale::Zh
        };
        i18n.choose(locale);
    };
    view! {
        <label class="language-switch">
            <span>{move || i18n.text(Text::Language)}</span>
            <select id="language" on:change=on_change prop:value=move || i18n.locale().tag()>
                <option value="zh-CN">"中文"</option>
                <option value="en">"English"</option>
            </select>
        </label>
    }
}
