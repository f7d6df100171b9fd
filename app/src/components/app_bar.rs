use crate::components::language_switch::LanguageSwitch;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::router::use_navigate;
use crate::state::use_state;
use chengnuo_domain::permission::Action;
use leptos::prelude::*;

/// The bar at the top of every page: the app's name, navigation, language,
/// and signing out (which warns while changes wait to sync).
#[component]
pub fn AppBar() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let navigate = use_navigate();
    let warning = RwSignal::new(false);
    let sign_out = move |force: bool| {
        let navigate = navigate.clone();
        move |_| {
            if state.pending() > 0 && !force {
                warning.set(true);
                return;
            }
            warning.set(false);
            let language = i18n.locale_untracked().tag();
            // The server forgets the session when reachable; the device forgets it now.
            leptos::task::spawn_local(async move {
                let _ = crate::api::logout(language).await;
            });
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                state.forget_current().await;
                navigate(&Page::Home.path());
            });
        }
    };
    let sign_out_checked = sign_out.clone();
    view! {
        <header class="app-bar">
            <a href=Page::Home.path() class="app-name">{move || i18n.text(Text::AppName)}</a>
            <nav aria-label=move || i18n.text(Text::Navigation)>
                <a href=Page::Board.path()>{move || i18n.text(Text::NavBoard)}</a>
                <Show when=move || state.workspace.with(Option::is_some)>
                    <a href=Page::Inbox.path() data-testid="inbox-link">
                        {move || i18n.text(Text::NavInbox)}
                        {move || {
                            let unread = state.workspace.with(|w| w.as_ref().map_or(0, crate::notices::unread));
                            (unread > 0).then(|| view! {
                                <span class="badge conflict" data-testid="unread-badge" title=i18n.text(Text::UnreadCount)>{unread}</span>
                            })
                        }}
                    </a>
                </Show>
                {move || {
                    let todo = state.todo.with(Vec::len);
                    (todo > 0).then(|| view! {
                        <a href=Page::Home.path() data-testid="todo-link">
                            {move || i18n.text(Text::TodoHeading)}
                            <span class="badge waiting" data-testid="todo-badge">{todo}</span>
                        </a>
                    })
                }}
                <Show when=move || state.workspace.with(|w| w.as_ref().is_some_and(|w| w.actor().supervises_some_unit()))>
                    <a href=Page::Dashboard(None).path()>{move || i18n.text(Text::NavDashboard)}</a>
                </Show>
                <Show when=move || state.workspace.with(|w| w.as_ref().is_some_and(|w| w.may_for_some_committee(Action::ViewReports)))>
                    <a href=Page::Reports.path()>{move || i18n.text(Text::NavReports)}</a>
                </Show>
                <Show when=move || state.workspace.with(|w| w.as_ref().is_some_and(|w| {
                    chengnuo_domain::permission::can(&w.actor(), Action::ConfigureCycle, &chengnuo_domain::permission::Target::Campaign).is_ok()
                }))>
                    <a href=Page::Admin.path()>{move || i18n.text(Text::NavAdmin)}</a>
                </Show>
                <Show when=move || state.workspace.with(|w| w.as_ref().is_some_and(|w| {
                    w.me.roles.iter().any(|g| w.may_for_unit(Action::IssueBallotCodes, g.unit))
                }))>
                    <a href=Page::BallotCodes.path()>{move || i18n.text(Text::NavBallotCodes)}</a>
                </Show>
                <Show when=move || state.workspace.with(Option::is_some)
                    fallback=move || view! { <a href=Page::SignIn.path()>{move || i18n.text(Text::SignIn)}</a> }>
                    <a href=Page::Account.path() class="who">{move || state.workspace.with(|w| w.as_ref().map(|w| w.me.person.person.name.clone()))}</a>
                    <button type="button" class="link" on:click=sign_out_checked.clone()(false)>{move || i18n.text(Text::SignOut)}</button>
                </Show>
            </nav>
            <LanguageSwitch/>
        </header>
        <Show when=move || warning.get()>
            <div class="problem" role="alertdialog" aria-labelledby="sign-out-warning">
                <p id="sign-out-warning">{move || i18n.text(Text::SignOutWarning)}</p>
                <button type="button" class="button small" on:click=move |_| {
                    warning.set(false);
                    crate::sync::sync_now(state);
                }>{move || i18n.text(Text::SyncNow)}</button>
                <crate::components::device_transfer::ExportButton/>
                <button type="button" class="button small danger" on:click=sign_out.clone()(true)>{move || i18n.text(Text::SignOutAnyway)}</button>
                <button type="button" class="button small" on:click=move |_| warning.set(false)>{move || i18n.text(Text::Cancel)}</button>
            </div>
        </Show>
    }
}
