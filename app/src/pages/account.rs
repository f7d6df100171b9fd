//! The signed-in person's account: changing their own password (the current
//! one, the new one twice; at least 10 characters). Their other sessions end.

use crate::components::field_errors::FieldErrors;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::state::use_state;
use chengnuo_domain::account::PasswordChange;
use chengnuo_domain::messages::ValidationErrors;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    crate::i18n::screen_title(|i18n| i18n.text(Words::AccountHeading).to_owned());
    let (current, set_current) = signal(String::new());
    let (new, set_new) = signal(String::new());
    let (repeat, set_repeat) = signal(String::new());
    let (errors, set_errors) = signal(ValidationErrors::default());
    // Refusals only the server can make (a wrong current password), by field.
    let (server_fields, set_server_fields) =
        signal(Vec::<chengnuo_domain::messages::FieldBody>::new());
    let (outcome, set_outcome) = signal(None::<Result<(), String>>);
    let (busy, set_busy) = signal(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let change = PasswordChange {
            current: current.get_untracked(),
            new: new.get_untracked(),
            repeat: repeat.get_untracked(),
        };
        if let Err(refused) = change.parse() {
            set_errors.set(refused);
            return;
        }
        set_errors.set(ValidationErrors::default());
        set_server_fields.set(Vec::new());
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            let language = i18n.locale_untracked().tag();
            match crate::api::change_password(&change, language).await {
                Ok(()) => {
                    state.workspace.update(|w| {
                        if let Some(w) = w {
                            w.me.must_change_password = false;
                        }
                    });
                    // What waited for the person's own password is sent now.
                    state.sync_soon();
                    set_current.set(String::new());
                    set_new.set(String::new());
                    set_repeat.set(String::new());
                    set_outcome.set(Some(Ok(())));
                }
                Err(crate::api::ApiError::Refused { fields, .. }) if !fields.is_empty() => {
                    set_server_fields.set(fields);
                    set_outcome.set(None);
                }
                Err(error) => set_outcome.set(Some(Err(error.text(i18n)))),
            }
            set_busy.set(false);
        });
    };
    let name = move || {
        state.workspace.with(|w| {
            w.as_ref()
                .map(|w| (w.me.person.person.name.clone(), w.me.login.clone()))
        })
    };
    view! {
        <a href=Page::Home.path() class="back">{move || i18n.text(Text::Back)}</a>
        <h1>{move || i18n.text(Words::AccountHeading)}</h1>
        {move || name().map(|(name, login)| view! {
            <p><span lang=crate::i18n::user_lang(&name)>{name.clone()}</span>" · "{i18n.text(Text::Login)}": "{login}</p>
        })}
        <Show when=move || state.workspace.with(|w| w.as_ref().is_some_and(|w| w.me.must_change_password))>
            <p class="problem" role="alert" data-testid="must-change-password">{move || i18n.text(Words::SetYourOwn)}</p>
        </Show>
        <form class="form" on:submit=submit>
            <h2>{move || i18n.text(Words::ChangePassword)}</h2>
            <label for="current-password">{move || i18n.text(Words::CurrentPassword)}</label>
            <input id="current-password" type="password" autocomplete="current-password"
                prop:value=current on:input=move |e| set_current.set(event_target_value(&e))/>
            <FieldErrors errors=errors field="current".to_owned()/>
            {move || server_fields.get().into_iter().filter(|f| f.field == "current").map(|f| view! {
                <p class="field-error" role="alert">{f.message}</p>
            }).collect_view()}
            <label for="new-password">{move || i18n.text(Words::NewPassword)}</label>
            <input id="new-password" type="password" autocomplete="new-password"
                prop:value=new on:input=move |e| set_new.set(event_target_value(&e))/>
            <FieldErrors errors=errors field="new".to_owned()/>
            <label for="repeat-password">{move || i18n.text(Words::RepeatPassword)}</label>
            <input id="repeat-password" type="password" autocomplete="new-password"
                prop:value=repeat on:input=move |e| set_repeat.set(event_target_value(&e))/>
            <FieldErrors errors=errors field="repeat".to_owned()/>
            <p class="hint">{move || i18n.text(Words::PasswordHint)}</p>
            <button type="submit" class="button primary" disabled=busy>{move || i18n.text(Words::ChangePassword)}</button>
            {move || outcome.get().map(|o| match o {
                Ok(()) => view! { <p class="hint" role="status">{i18n.text(Words::PasswordChanged)}</p> }.into_any(),
                Err(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
            })}
        </form>
    }
}

crate::i18n::texts! {
    Words;
    AccountHeading => "我的账号", "My account";
    ChangePassword => "修改密码", "Change the password";
    CurrentPassword => "当前密码", "Current password";
    NewPassword => "新密码", "New password";
    RepeatPassword => "再输入一次新密码", "The new password again";
    PasswordHint => "至少 10 个字符。修改后，您在其他设备上的登录将失效。", "At least 10 characters. Your sign-ins on other devices end once it is changed.";
    SetYourOwn => "您正在使用管理员设置的一次性密码，请先设置您自己的密码。", "You signed in with a one-time password from the office: set your own password first.";
    PasswordChanged => "密码已修改；其他设备上的登录已失效。", "The password was changed; sign-ins on other devices ended.";
}
