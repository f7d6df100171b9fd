//! 简报 / 经验交流 in the browser: one bulletin as a printable A4 page
//! (public), the list among a person's notices (kept for offline), and the
//! office's desk where the next issue is composed from the practices their
//! committers agreed to. They live in the notices' parts of the app (the
//! addresses are the notices' with `?bulletin`): nobody downloads them with
//! the first load.

use crate::components::field_errors::FieldErrors;
use crate::components::typed::Suggested;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::router::{use_navigate, use_params_map};
use chengnuo_domain::bulletin::{Bulletin, BulletinDraft, Consent, Nomination};
use chengnuo_domain::ids::{BulletinId, NominationId};
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::permission::{can, Action, Target};
use leptos::prelude::*;

/// The bulletins, newest first, under the person's notices; the last list
/// is kept for offline. The office gets the link to compose the next one.
#[component]
pub fn BulletinList() -> impl IntoView {
    let i18n = use_i18n();
    let state = crate::state::use_state();
    let office = state.workspace.with_untracked(|w| {
        w.as_ref()
            .is_some_and(|w| can(&w.actor(), Action::ComposeBulletin, &Target::Campaign).is_ok())
    });
    let key = "chengnuo.bulletins";
    let list = LocalResource::new(move || {
        let language = i18n.locale_untracked().tag();
        async move {
            match crate::api::bulletins(language).await {
                Ok(list) => {
                    let _ = crate::json::store(key, &list);
                    Ok(list)
                }
                Err(crate::api::ApiError::Offline) => {
                    crate::json::stored::<Vec<Bulletin>>(key).ok_or(crate::api::ApiError::Offline)
                }
                Err(error) => Err(error),
            }
        }
    });
    view! {
        <h2>{move || i18n.text(Words::ListHeading)}</h2>
        {office.then(|| view! {
            <p><a href=Page::BulletinDraft.path() class="button">{move || i18n.text(Words::Compose)}</a></p>
        })}
        {move || list.get().map(|result| match result {
            Ok(list) => view! {
                {list.is_empty().then(|| view! { <p class="hint">{i18n.text(Words::NoneYet)}</p> })}
                <ul class="inbox">
                    {list.into_iter().map(|b| view! {
                        <li class="notice" data-testid="bulletin">
                            <p><a href=Page::Bulletin(b.id).path()>{b.title.clone()}</a></p>
                            <p class="hint">{format!("{} · {}", b.published_on, b.published_by)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
            Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
        })}
    }
}

/// One bulletin, as printed.
#[component]
pub fn BulletinPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::ListHeading).to_owned());
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<BulletinId>().ok()));
    let bulletin = LocalResource::new(move || {
        let id = id();
        let language = i18n.locale_untracked().tag();
        async move {
            match id {
                Some(id) => crate::api::bulletin(id, language).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let signed_in = crate::state::use_state()
        .workspace
        .with_untracked(|w| w.is_some());
    let back = if signed_in {
        Page::Circulars
    } else {
        Page::Board
    };
    view! {
        <crate::pages::circulars::PrintBar back=back/>
        {move || bulletin.get().map(|result| match result {
            Ok(Some(b)) => view! { <Printed bulletin=b/> }.into_any(),
            Ok(None) => view! { <h1>{i18n.text(Words::ListHeading)}</h1><p class="problem" role="alert">{i18n.text(Words::NotFound)}</p> }.into_any(),
            Err(error) => view! { <h1>{i18n.text(Words::ListHeading)}</h1><p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
        })}
    }
}

#[component]
fn Printed(bulletin: Bulletin) -> impl IntoView {
    let i18n = use_i18n();
    let b = bulletin;
    view! {
        <article class="printable-form circular bulletin" data-testid="bulletin-text">
            <p class="form-title">{move || i18n.text(Words::Masthead)}</p>
            <h1>{b.title.clone()}</h1>
            <p class="calendar">{format!("{} {} · {}", i18n.text(Words::Number), b.number, b.published_on)}</p>
            {b.intro.split('\n').filter(|l| !l.trim().is_empty()).map(|line| view! { <p>{line.to_owned()}</p> }).collect_view()}
            {b.practices.into_iter().enumerate().map(|(n, f)| {
                let p = f.practice;
                let heading = match &p.number {
                    Some(number) => format!("{}、{}（{}，{}）", n + 1, p.committer, p.unit_name, number),
                    None => format!("{}、{}（{}）", n + 1, p.committer, p.unit_name),
                };
                view! {
                    <section class="practice" data-testid="practice">
                        <h2>{heading}</h2>
                        <p><strong>{i18n.text(Words::Content)}</strong>{p.content}</p>
                        <p><strong>{i18n.text(Words::Measures)}</strong>{p.measures}</p>
                        {(!p.done.is_empty()).then(|| view! {
                            <p><strong>{i18n.text(Words::Done)}</strong></p>
                            <ul>
                                {p.done.into_iter().map(|d| view! { <li>{format!("{} {}", d.date, d.text)}</li> }).collect_view()}
                            </ul>
                        })}
                        {p.crossed_off_on.map(|day| view! { <p>{format!("{}{day}", i18n.text(Words::CrossedOffOn))}</p> })}
                        <p><strong>{i18n.text(Words::Reason)}</strong>{format!("{}（{}）", f.reason, f.nominated_by)}</p>
                    </section>
                }
            }).collect_view()}
            <p class="signature">{format!("{} · {}", b.published_by, b.published_on)}</p>
        </article>
    }
}

/// What a nomination's consent is, in words.
fn consent_words(n: &Nomination, i18n: crate::i18n::I18n) -> &'static str {
    match n.consent {
        Consent::Waiting => i18n.text(Words::ConsentWaiting),
        Consent::Given => i18n.text(Words::ConsentGiven),
        Consent::Declined => i18n.text(Words::ConsentDeclined),
    }
}

/// The office composes the next issue: the suggested title and intro, every
/// nomination with its consent, those agreed to ticked; published on the
/// board and so in everyone's messages.
#[component]
pub fn BulletinDraftPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::Compose).to_owned());
    // What the office edits is kept like any typing (a reload keeps it).
    let title = Suggested::new("bulletin:title".to_owned());
    let intro = Suggested::new("bulletin:intro".to_owned());
    let (title_field, intro_field) = (title.clone(), intro.clone());
    let chosen = RwSignal::new(Vec::<NominationId>::new());
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (problem, set_problem) = signal(None::<String>);
    let desk = LocalResource::new(move || {
        let language = i18n.locale_untracked().tag();
        async move {
            let draft = crate::api::bulletin_draft(language).await?;
            let desk = crate::api::nomination_desk(language).await?;
            Ok::<_, crate::api::ApiError>((draft, desk))
        }
    });
    Effect::new({
        let (title, intro) = (title.clone(), intro.clone());
        move |_| {
            if let Some(Ok((draft, _))) = desk.get() {
                title.suggest(draft.title);
                intro.suggest(draft.intro);
                chosen.set(draft.nominations);
            }
        }
    });
    let navigate = use_navigate();
    let publish = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let known = match desk.get_untracked() {
            Some(Ok((_, known))) => known,
            _ => return,
        };
        // In the desk's order, as listed.
        let picked = chosen.get_untracked();
        let draft = BulletinDraft {
            title: title.get_untracked(),
            intro: intro.get_untracked(),
            nominations: known
                .iter()
                .map(|n| n.id)
                .filter(|id| picked.contains(id))
                .collect(),
        };
        if let Err(refused) = draft.check(&known) {
            set_errors.set(refused);
            return;
        }
        set_errors.set(ValidationErrors::default());
        let language = i18n.locale_untracked().tag();
        let navigate = navigate.clone();
        let (title, intro) = (title.clone(), intro.clone());
        leptos::task::spawn_local(async move {
            match crate::api::publish_bulletin(&draft, language).await {
                Ok(published) => {
                    title.clear();
                    intro.clear();
                    navigate(&Page::Bulletin(published.id).path())
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    view! {
        <a href=Page::Circulars.path() class="back">{move || i18n.text(Text::Back)}</a>
        <h1>{move || i18n.text(Words::Compose)}</h1>
        <p class="hint">{move || i18n.text(Words::ComposeHint)}</p>
        {move || desk.get().and_then(|r| r.err()).map(|error| view! { <p class="problem" role="alert">{error.text(i18n)}</p> })}
        <form class="form" on:submit=publish data-testid="bulletin-form">
            <label for="bulletin-title">{move || i18n.text(Words::TitleLabel)}</label>
            <input id="bulletin-title" prop:value=title_field.value() on:input=title_field.input()/>
            <FieldErrors errors=errors field="title".to_owned()/>
            <label for="bulletin-intro">{move || i18n.text(Words::IntroLabel)}</label>
            <textarea id="bulletin-intro" rows="4" prop:value=intro_field.value() on:input=intro_field.input()></textarea>
            <FieldErrors errors=errors field="intro".to_owned()/>
            <fieldset>
                <legend>{move || i18n.text(Words::Practices)}</legend>
                {move || desk.get().and_then(Result::ok).map(|(_, list)| view! {
                    {list.is_empty().then(|| view! { <p class="hint">{i18n.text(Words::NoNominations)}</p> })}
                    {list.into_iter().map(|n| {
                        let id = n.id;
                        let field = format!("nomination-{id}");
                        let available = n.available();
                        view! {
                            <div class="choice practice-choice" data-testid="nomination">
                                <input id=field.clone() type="checkbox" disabled=!available
                                    prop:checked=move || chosen.with(|c| c.contains(&id))
                                    on:change=move |_| chosen.update(|c| {
                                        if let Some(at) = c.iter().position(|x| *x == id) {
                                            c.remove(at);
                                        } else {
                                            c.push(id);
                                        }
                                    })/>
                                <label for=field>
                                    {format!("{}（{}）：{}", n.practice.committer, n.practice.unit_name, n.practice.content)}
                                    <span class="hint">{format!(" · {} · {}", consent_words(&n, i18n), n.reason)}</span>
                                </label>
                            </div>
                        }
                    }).collect_view()}
                })}
                <FieldErrors errors=errors field="nominations".to_owned()/>
            </fieldset>
            <button type="submit" class="button primary">{move || i18n.text(Words::Publish)}</button>
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
        </form>
    }
}

crate::i18n::texts! {
    Words;
    ListHeading => "经验交流简报", "Bulletins of good practice";
    Masthead => "公开承诺践诺活动简报", "Public commitments: bulletin";
    NoneYet => "还没有简报。", "No bulletin yet.";
    NotFound => "没有这期简报。", "There is no such bulletin.";
    Number => "第几期", "No.";
    Content => "承诺事项：", "Commitment: ";
    Measures => "具体措施：", "Measures: ";
    Done => "践诺情况：", "What was done:";
    CrossedOffOn => "销号日期：", "Crossed off on ";
    Reason => "推荐理由：", "Why it is worth copying: ";
    Compose => "编辑一期简报", "Compose a bulletin";
    ComposeHint => "勾选承诺人已同意刊登的好做法，修改标题和编者按后发布；发布后在公开栏展示，并送达每个人的消息。", "Tick the practices their committers agreed to publish, edit the title and the introduction, then publish: it goes on the public board and to everyone's messages.";
    TitleLabel => "标题", "Title";
    IntroLabel => "编者按", "Introduction";
    Practices => "推荐的好做法", "Nominated practices";
    NoNominations => "还没有推荐的好做法。", "No practice nominated yet.";
    ConsentWaiting => "待承诺人同意", "waiting for the committer's consent";
    ConsentGiven => "承诺人已同意", "the committer agreed";
    ConsentDeclined => "承诺人不同意刊登", "the committer declined";
    Publish => "发布简报", "Publish the bulletin";
}
