//! 情况通报 on the phone and the desk: the notices addressed to the person
//! (their last list kept for offline), one notice as a printable A4 page
//! (public when it is on the board), and the secretary's draft — generated
//! from the unit's dashboard, edited, published to the unit's scope.

use crate::components::field_errors::FieldErrors;
use crate::components::typed::Suggested;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::router::{use_navigate, use_params_map, use_query_map};
use chengnuo_domain::circular::{Circular, CircularDraft};
use chengnuo_domain::ids::{CircularId, OrgUnitId};
use chengnuo_domain::messages::ValidationErrors;
use leptos::prelude::*;

/// Where the person's last list is kept (under their name, like their
/// workspace: a shared device shows no one else's notices).
fn kept_key() -> String {
    let person = crate::state::use_state()
        .workspace
        .with_untracked(|w| w.as_ref().map(|w| w.me.id().to_string()))
        .unwrap_or_default();
    format!("chengnuo.circulars.{person}")
}

/// The notices addressed to the signed-in person, newest first.
#[component]
pub fn CircularsPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::ListHeading).to_owned());
    let key = kept_key();
    let list = LocalResource::new(move || {
        let language = i18n.locale_untracked().tag();
        let key = key.clone();
        async move {
            match crate::api::circulars(language).await {
                Ok(list) => {
                    let _ = crate::json::store(&key, &list);
                    Ok((list, false))
                }
                Err(crate::api::ApiError::Offline) => crate::json::stored::<Vec<Circular>>(&key)
                    .map(|kept| (kept, true))
                    .ok_or(crate::api::ApiError::Offline),
                Err(error) => Err(error),
            }
        }
    });
    view! {
        <a href=Page::Inbox.path() class="back">{move || i18n.text(Text::Back)}</a>
        <h1>{move || i18n.text(Words::ListHeading)}</h1>
        {move || list.get().map(|result| match result {
            Ok((list, kept)) => view! {
                {kept.then(|| view! { <p class="hint" role="status">{i18n.text(Words::KeptList)}</p> })}
                {list.is_empty().then(|| view! { <p class="hint">{i18n.text(Words::NoneYet)}</p> })}
                <ul class="inbox">
                    {list.into_iter().map(|c| view! {
                        <li class="notice" data-testid="circular">
                            <p><a href=Page::Circular(c.id).path()>{c.title.clone()}</a></p>
                            <p class="hint">{format!("{} · {} · {}", c.unit_name, c.published_on, c.published_by)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
            Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
        })}
        <crate::pages::bulletins::BulletinList/>
    }
}

/// Whether the address is a bulletin's (`?bulletin`): they share these screens.
fn is_bulletin() -> bool {
    use_query_map().with_untracked(|q| q.get("bulletin").is_some())
}

/// One notice, as printed (or a bulletin).
#[component]
pub fn CircularPage() -> impl IntoView {
    if is_bulletin() {
        return view! { <crate::pages::bulletins::BulletinPage/> }.into_any();
    }
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::ListHeading).to_owned());
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<CircularId>().ok()));
    let circular = LocalResource::new(move || {
        let id = id();
        let language = i18n.locale_untracked().tag();
        async move {
            match id {
                Some(id) => crate::api::circular(id, language).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <PrintBar back=Page::Circulars/>
        {move || circular.get().map(|result| match result {
            Ok(Some(c)) => view! {
                <article class="printable-form circular" data-testid="circular-text">
                    <p class="form-title">{c.unit_name.clone()}</p>
                    <h1>{c.title.clone()}</h1>
                    <p class="calendar">{format!("{} {} · {}", i18n.text(Words::Number), c.number, c.published_on)}</p>
                    {c.body.split('\n').map(|line| view! { <p>{line.to_owned()}</p> }).collect_view()}
                    <p class="signature">{format!("{} · {}", c.unit_name, c.published_on)}</p>
                </article>
            }.into_any(),
            Ok(None) => view! { <h1>{i18n.text(Words::ListHeading)}</h1><p class="problem" role="alert">{i18n.text(Words::NotFound)}</p> }.into_any(),
            Err(error) => view! { <h1>{i18n.text(Words::ListHeading)}</h1><p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
        })}
    }
    .into_any()
}

/// Back, and print (to paper or PDF): above a printable notice or bulletin.
#[component]
pub fn PrintBar(back: Page) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="no-print actions">
            <a href=back.path() class="back">{move || i18n.text(Text::Back)}</a>
            <button type="button" class="button primary" on:click=|_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.print();
                }
            }>{move || i18n.text(Text::PrintNow)}</button>
        </div>
    }
}

/// The draft of the next notice of a unit: generated, edited, published.
#[component]
pub fn CircularDraftPage() -> impl IntoView {
    if is_bulletin() {
        return view! { <crate::pages::bulletins::BulletinDraftPage/> }.into_any();
    }
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::DraftHeading).to_owned());
    let query = use_query_map();
    let unit = move || query.with(|q| q.get("unit").and_then(|u| u.parse::<OrgUnitId>().ok()));
    // What the office edits is kept per unit, like any typing (a reload keeps it).
    let kept = query.with_untracked(|q| q.get("unit").unwrap_or_default());
    let title = Suggested::new(format!("circular:{kept}:title"));
    let body = Suggested::new(format!("circular:{kept}:body"));
    let on_board = RwSignal::new(false);
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (problem, set_problem) = signal(None::<String>);
    let generated = LocalResource::new(move || {
        let unit = unit();
        let language = i18n.locale_untracked().tag();
        async move {
            let unit = unit.ok_or(crate::api::ApiError::Offline)?;
            crate::api::circular_draft(unit, language).await
        }
    });
    let (title_field, body_field) = (title.clone(), body.clone());
    Effect::new({
        let (title, body) = (title.clone(), body.clone());
        move |_| {
            if let Some(Ok(draft)) = generated.get() {
                title.suggest(draft.title);
                body.suggest(draft.body);
            }
        }
    });
    let navigate = use_navigate();
    let publish = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(unit) = unit() else {
            return;
        };
        let draft = CircularDraft {
            unit,
            title: title.get_untracked(),
            body: body.get_untracked(),
            on_board: on_board.get_untracked(),
        };
        if let Err(refused) = draft.check() {
            set_errors.set(refused);
            return;
        }
        set_errors.set(ValidationErrors::default());
        let language = i18n.locale_untracked().tag();
        let navigate = navigate.clone();
        let (title, body) = (title.clone(), body.clone());
        leptos::task::spawn_local(async move {
            match crate::api::publish_circular(&draft, language).await {
                Ok(published) => {
                    title.clear();
                    body.clear();
                    navigate(&Page::Circular(published.id).path())
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    view! {
        <a href=Page::Dashboard(unit()).path() class="back">{move || i18n.text(Text::Back)}</a>
        <h1>{move || i18n.text(Words::DraftHeading)}</h1>
        <p class="hint">{move || i18n.text(Words::DraftHint)}</p>
        {move || generated.get().and_then(|r| r.err()).map(|error| view! { <p class="problem" role="alert">{error.text(i18n)}</p> })}
        <form class="form" on:submit=publish data-testid="circular-form">
            <label for="circular-title">{move || i18n.text(Words::TitleLabel)}</label>
            <input id="circular-title" prop:value=title_field.value() on:input=title_field.input()/>
            <FieldErrors errors=errors field="title".to_owned()/>
            <label for="circular-body">{move || i18n.text(Words::BodyLabel)}</label>
            <textarea id="circular-body" rows="18" prop:value=body_field.value() on:input=body_field.input()></textarea>
            <FieldErrors errors=errors field="body".to_owned()/>
            <label class="choice" for="circular-board">
                <input id="circular-board" type="checkbox" prop:checked=on_board
                    on:change=move |_| on_board.update(|b| *b = !*b)/>
                {move || i18n.text(Words::OnBoard)}
            </label>
            <button type="submit" class="button primary">{move || i18n.text(Words::Publish)}</button>
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
        </form>
    }
    .into_any()
}

crate::i18n::texts! {
    Words;
    ListHeading => "情况通报", "Progress notices";
    KeptList => "当前离线：这是上次联网时收到的通报。", "Offline: these are the notices received when you were last online.";
    NoneYet => "还没有收到情况通报。", "No progress notice yet.";
    Number => "第几期", "No.";
    NotFound => "没有这份通报。", "There is no such notice.";
    DraftHeading => "编写情况通报", "Write a progress notice";
    DraftHint => "下面是根据当前督查数据生成的通报，可修改后发布；发布后送达本单位范围内每个人的消息。", "Below is the notice the current figures suggest; edit it, then publish it to everyone in the unit's scope.";
    TitleLabel => "标题", "Title";
    BodyLabel => "正文", "Text";
    OnBoard => "同时在公开栏发布", "Also on the public board";
    Publish => "发布通报", "Publish the notice";
}
