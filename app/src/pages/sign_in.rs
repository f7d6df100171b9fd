use crate::i18n::{use_i18n, Text};
use leptos::prelude::*;

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="sign-in">
            <h1>{move || i18n.text(Text::SignInHeading)}</h1>
            <form class="form" on:submit=|event| event.prevent_default()>
                <label for="login">{move || i18n.text(Text::Login)}</label>
                <input id="login" name="login" autocomplete="username" required=true/>
                <label for="password">{move || i18n.text(Text::Password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required=true/>
                <button type="submit" class="button primary">{move || i18n.text(Text::SignInButton)}</button>
                <p class="hint">{move || i18n.text(Text::SignInHint)}</p>
            </form>
        </section>
    }
}
