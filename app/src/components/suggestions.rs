//! 征求意见 in the app: the suggestion box on a unit's page of the board
//! (anyone, no account; the answers shown once the unit's commitment is
//! published), and, on the unit's own draft, the suggestions for its
//! secretary to answer, hide, and take into 调研情况. Online only: the
//! suggestions are on the server.

use crate::i18n::use_i18n;
use crate::state::use_state;
use chengnuo_domain::consultation::{
    with_adopted, AnswerStatus, Suggestion, SuggestionAnswer, SuggestionDraft, SuggestionStatus,
};
use chengnuo_domain::feedback::ModerationDraft;
use chengnuo_domain::ids::{CommitmentId, OrgUnitId};
use chengnuo_domain::messages::FieldBody;
use chengnuo_domain::Locale;
use leptos::prelude::*;

fn status_word(status: SuggestionStatus, locale: Locale) -> &'static str {
    let (zh, en) = match status {
        SuggestionStatus::Open => ("待答复", "Not answered yet"),
        SuggestionStatus::Adopted => ("已采纳", "Adopted"),
        SuggestionStatus::Answered => ("已答复", "Answered"),
        SuggestionStatus::NotAdopted => ("未采纳", "Not adopted"),
    };
    match locale {
        Locale::Zh => zh,
        Locale::En => en,
    }
}

/// One suggestion as read: the text, who (if named), when, the answer.
fn shown(s: &Suggestion, locale: Locale) -> impl IntoView {
    view! {
        <p lang=crate::i18n::user_lang(&s.text) class="user-text">{s.text.clone()}</p>
        <p class="hint">
            {format!("{} · {}", s.name.clone().unwrap_or_else(|| "—".into()), s.left_on)}" "
            <span class="badge">{status_word(s.status, locale)}</span>
            {s.hidden.then(|| view! { " "<span class="badge conflict">{if locale == Locale::Zh { "已隐藏" } else { "Hidden" }}</span> })}
        </p>
        {s.reply.clone().map(|reply| view! { <p class="reply">{reply}</p> })}
    }
}

/// The box on a unit's page of the board.
#[component]
pub fn SuggestionBox(unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let (fields, set_fields) = signal(Vec::<FieldBody>::new());
    let (outcome, set_outcome) = signal(None::<Result<(), String>>);
    let published = LocalResource::new(move || {
        let language = i18n.locale_untracked().tag();
        async move { crate::api::board_suggestions(unit, language).await }
    });
    let send = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let draft = SuggestionDraft {
            name: name.get_untracked(),
            text: text.get_untracked(),
        };
        let locale = i18n.locale_untracked();
        if let Err(errors) = draft.parse() {
            set_fields.set(errors.bodies(locale));
            return;
        }
        leptos::task::spawn_local(async move {
            match crate::api::leave_suggestion(unit, &draft, locale.tag()).await {
                Ok(_) => {
                    set_fields.set(Vec::new());
                    text.set(String::new());
                    set_outcome.set(Some(Ok(())));
                }
                Err(crate::api::ApiError::Refused { fields, .. }) if !fields.is_empty() => {
                    set_fields.set(fields)
                }
                Err(error) => set_outcome.set(Some(Err(error.text(i18n)))),
            }
        });
    };
    let field_error = move |field: &'static str| {
        move || {
            fields
                .get()
                .into_iter()
                .filter(|f| f.field == field)
                .map(|f| view! { <p class="field-error" role="alert">{f.message}</p> })
                .collect_view()
        }
    };
    view! {
        <section class="card" aria-labelledby="suggest-heading" data-testid="suggestion-box">
            <h2 id="suggest-heading">{move || i18n.text(Words::BoxHeading)}</h2>
            <p class="hint">{move || i18n.text(Words::BoxHint)}</p>
            <form class="form" on:submit=send>
                <label for="suggest-name">{move || i18n.text(Words::NameLabel)}</label>
                <input id="suggest-name" prop:value=name on:input=move |e| name.set(event_target_value(&e))/>
                {field_error("name")}
                <label for="suggest-text">{move || i18n.text(Words::TextLabel)}</label>
                <textarea id="suggest-text" rows="3" prop:value=text on:input=move |e| text.set(event_target_value(&e))></textarea>
                {field_error("text")}
                <button type="submit" class="button primary">{move || i18n.text(Words::Send)}</button>
                {move || outcome.get().map(|o| match o {
                    Ok(()) => view! { <p class="hint" role="status">{i18n.text(Words::Thanks)}</p> }.into_any(),
                    Err(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                })}
            </form>
            {move || published.get().and_then(Result::ok).filter(|l| !l.is_empty()).map(|list| {
                let locale = i18n.locale_untracked();
                view! {
                    <h3>{i18n.text(Words::Answered)}</h3>
                    <ul class="inbox" data-testid="published-suggestions">
                        {list.into_iter().map(|s| view! { <li class="notice">{shown(&s, locale)}</li> }).collect_view()}
                    </ul>
                }
            })}
        </section>
    }
}

/// The suggestions for a unit's own draft, for its secretary.
#[component]
pub fn SuggestionsForDraft(id: CommitmentId, unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        let language = i18n.locale_untracked().tag();
        async move { crate::api::unit_suggestions(unit, language).await }
    });
    let (problem, set_problem) = signal(None::<String>);
    // Adopted suggestions go into the needs summary while the draft is the unit's to edit.
    let editable = move || {
        state.workspace.with(|w| {
            w.as_ref()
                .is_some_and(|w| w.may(chengnuo_domain::permission::Action::Edit, id))
        })
    };
    let take_in = move |_| {
        let Some(Ok(all)) = list.get_untracked() else {
            return;
        };
        let locale = i18n.locale_untracked();
        let current = state.workspace.with_untracked(|w| {
            w.as_ref()
                .and_then(|w| w.replica.get(id).map(|l| l.draft.clone()))
        });
        if let Some(mut draft) = current {
            draft.needs_summary = with_adopted(&draft.needs_summary, &all, locale);
            state.edit(id, draft);
        }
    };
    view! {
        <section class="card" aria-labelledby="suggestions-heading" data-testid="draft-suggestions">
            <h2 id="suggestions-heading">{move || i18n.text(Words::ForDraftHeading)}</h2>
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
            {move || list.get().map(|result| match result {
                Ok(all) if all.is_empty() => view! { <p class="hint">{i18n.text(Words::NoneYet)}</p> }.into_any(),
                Ok(all) => {
                    let adopted = all.iter().any(|s| s.status == SuggestionStatus::Adopted);
                    view! {
                        <ul class="inbox">
                            {all.into_iter().map(|s| view! {
                                <Answerable suggestion=s set_problem=set_problem on_done=move || reload.update(|n| *n += 1)/>
                            }).collect_view()}
                        </ul>
                        {(adopted && editable()).then(|| view! {
                            <button type="button" class="button" on:click=take_in>{i18n.text(Words::TakeIn)}</button>
                        })}
                    }.into_any()
                }
                Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn Answerable(
    suggestion: Suggestion,
    set_problem: WriteSignal<Option<String>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale_untracked();
    let id = suggestion.id;
    let reply = RwSignal::new(String::new());
    let status = RwSignal::new(AnswerStatus::Adopted);
    let answer = move |_| {
        let given = SuggestionAnswer {
            status: status.get_untracked(),
            reply: reply.get_untracked(),
        };
        if let Err(errors) = given.parse() {
            set_problem.set(errors.0.first().map(|e| e.message.text(locale)));
            return;
        }
        leptos::task::spawn_local(async move {
            match crate::api::answer_suggestion(id, &given, locale.tag()).await {
                Ok(_) => {
                    set_problem.set(None);
                    on_done();
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    let hide = move |_| {
        let draft = ModerationDraft {
            reason: reply.get_untracked(),
        };
        if let Err(errors) = draft.parse() {
            set_problem.set(errors.0.first().map(|e| e.message.text(locale)));
            return;
        }
        leptos::task::spawn_local(async move {
            match crate::api::hide_suggestion(id, &draft, locale.tag()).await {
                Ok(_) => on_done(),
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    let open = suggestion.status == SuggestionStatus::Open && !suggestion.hidden;
    let select_id = format!("answer-{id}");
    let reply_id = format!("reply-{id}");
    view! {
        <li class="notice" data-testid="suggestion">
            {shown(&suggestion, locale)}
            {open.then(|| view! {
                <div class="form">
                    <label for=select_id.clone()>{i18n.text(Words::AnswerLabel)}</label>
                    <select id=select_id.clone() on:change=move |e| status.set(match event_target_value(&e).as_str() {
                        "Answered" => AnswerStatus::Answered,
                        "NotAdopted" => AnswerStatus::NotAdopted,
                        _ => AnswerStatus::Adopted,
                    })>
                        <option value="Adopted">{status_word(SuggestionStatus::Adopted, locale)}</option>
                        <option value="Answered">{status_word(SuggestionStatus::Answered, locale)}</option>
                        <option value="NotAdopted">{status_word(SuggestionStatus::NotAdopted, locale)}</option>
                    </select>
                    <label for=reply_id.clone()>{i18n.text(Words::ReplyLabel)}</label>
                    <input id=reply_id.clone() prop:value=reply on:input=move |e| reply.set(event_target_value(&e))/>
                    <div class="actions">
                        <button type="button" class="button small primary" on:click=answer>{i18n.text(Words::Reply)}</button>
                        <button type="button" class="button small" on:click=hide>{i18n.text(Words::Hide)}</button>
                    </div>
                </div>
            })}
        </li>
    }
}

crate::i18n::texts! {
    Words;
    BoxHeading => "征求意见", "Suggestions";
    BoxHint => "欢迎师生群众对本单位的公开承诺提出意见建议（可不署名），单位会逐条答复；承诺公示后，答复显示在这里。", "Teachers, students and anyone may suggest what this unit should promise (your name is optional); the unit answers each one, and the answers appear here once its commitment is published.";
    NameLabel => "署名（可不填）", "Your name (optional)";
    TextLabel => "意见建议", "Your suggestion";
    Send => "提交意见", "Send the suggestion";
    Thanks => "已收到，谢谢！", "Received, thank you!";
    Answered => "意见与答复", "Suggestions and answers";
    ForDraftHeading => "收到的意见建议", "Suggestions received";
    NoneYet => "还没有收到意见建议。", "No suggestion yet.";
    AnswerLabel => "处理", "Answer";
    ReplyLabel => "答复（隐藏时填写理由）", "Reply (or the reason for hiding)";
    Reply => "答复", "Reply";
    Hide => "隐藏", "Hide";
    TakeIn => "将已采纳的意见写入调研情况", "Add the adopted suggestions to the needs summary";
}
