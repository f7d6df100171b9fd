use crate::api::{self, ApiError};
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::router::use_navigate;
use crate::state::use_state;
use leptos::prelude::*;

#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Text::SignInHeading).to_owned());
    let state = use_state();
    let navigate = use_navigate();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let navigate = navigate.clone();
        busy.set(true);
        error.set(None);
        let credentials = chengnuo_domain::account::Credentials {
            login: login.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        // The server's own limits, before anything is sent.
        if let Err(refused) = credentials.check() {
            let locale = i18n.locale_untracked();
            let text: Vec<String> = refused.0.iter().map(|e| e.message.text(locale)).collect();
            error.set(Some(text.join(" ")));
            busy.set(false);
            return;
        }
        leptos::task::spawn_local(async move {
            let language = i18n.locale_untracked().tag();
            match api::login(&credentials, language).await {
                Ok(me) => {
                    // A password the office made is replaced first.
                    let next = if me.must_change_password {
                        Page::Account
                    } else {
                        Page::Home
                    };
                    state.adopt(me).await;
                    password.set(String::new());
                    crate::sync::sync_and_wait(state).await;
                    navigate(&next.path());
                }
                Err(ApiError::Offline) => {
                    error.set(Some(i18n.text(Text::SignInOffline).to_owned()))
                }
                Err(ApiError::Refused { message, .. }) => error.set(Some(message)),
                Err(ApiError::SignedOut) => {
                    error.set(Some(i18n.text(Text::SignInAgain).to_owned()))
                }
            }
            busy.set(false);
        });
    };
    view! {
        <section class="sign-in">
            <h1>{move || i18n.text(Text::SignInHeading)}</h1>
            <form class="form" on:submit=submit>
                <label for="login">{move || i18n.text(Text::Login)}</label>
                <input id="login" name="login" autocomplete="username" required=true
                    prop:value=login on:input=move |e| login.set(event_target_value(&e))/>
                <label for="password">{move || i18n.text(Text::Password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required=true
                    prop:value=password on:input=move |e| password.set(event_target_value(&e))/>
                {move || error.get().map(|message| view! { <p class="field-error" role="alert">{message}</p> })}
                <button type="submit" class="button primary" disabled=busy>
                    {move || if busy.get() { i18n.text(Text::SigningIn) } else { i18n.text(Text::SignInButton) }}
                </button>
                <p class="hint">{move || i18n.text(Text::SignInHint)}</p>
            </form>
        </section>
    }
}
