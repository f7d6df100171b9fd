//! One published commitment on the board, its feedback (plain text, never
//! markup) and, for those who moderate it, hiding an entry with a reason.

use crate::api;
use crate::components::field_errors::FieldErrors;
use crate::i18n::{use_i18n, Text};
use crate::labels;
use crate::page::Page;
use crate::router::use_params_map;
use chengnuo_domain::feedback::FeedbackEntry;
use chengnuo_domain::feedback::{FeedbackDraft, ModerationDraft};
use chengnuo_domain::ids::{CommitmentId, FeedbackId};
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::publication::Published;
use chengnuo_domain::workflow::ItemStatus;
use leptos::prelude::*;

/// An entry from the server, kept in browser storage so that it opens
/// offline once seen.
async fn entry(id: CommitmentId, language: &'static str) -> Option<Published> {
    let key = format!("chengnuo.board.entry.{id}");
    match api::board_entry(id, language).await {
        Ok(found) => {
            let _ = crate::json::store(&key, &found);
            Some(found)
        }
        Err(_) => crate::json::stored(&key),
    }
}

/// The feedback, all of it when the person moderates this commitment (`true`).
/// A visitor who is not signed in is not asked about moderation at all.
async fn feedback(
    id: CommitmentId,
    signed_in: bool,
    language: &'static str,
) -> (Vec<FeedbackEntry>, bool) {
    if signed_in {
        if let Ok(all) = api::moderation(id, language).await {
            return (all, true);
        }
    }
    (api::feedback(id, language).await.unwrap_or_default(), false)
}

#[component]
pub fn BoardEntryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<CommitmentId>().ok()));
    let published = LocalResource::new(move || {
        let id = id();
        let language = i18n.locale_untracked().tag();
        async move {
            match id {
                Some(id) => entry(id, language).await,
                None => None,
            }
        }
    });
    crate::i18n::screen_title(move |i18n| {
        let name = published
            .get()
            .flatten()
            .map(|p| p.committer_name)
            .unwrap_or_default();
        format!("{name} · {}", i18n.text(Text::BoardHeading))
    });
    view! {
        <a href=Page::Board.path() class="back">{move || i18n.text(Text::Back)}</a>
        {move || match published.get() {
            None => ().into_any(),
            Some(None) => view! { <crate::pages::not_found::NotFound/> }.into_any(),
            Some(Some(p)) => view! {
                <PublishedText published=p.clone()/>
                <crate::pages::board::PublishedResults year=None commitment=p.id/>
                <Feedback published=p/>
            }.into_any(),
        }}
    }
}

#[component]
fn PublishedText(published: Published) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale_untracked();
    let today = crate::time::today();
    let id = published.id;
    let language = locale.tag();
    let ledger = LocalResource::new(move || async move {
        api::board_ledger(id, language).await.unwrap_or_default()
    });
    let items = published
        .commitment
        .as_ref()
        .map(|c| c.items().to_vec())
        .unwrap_or_default();
    view! {
        <section class="commitment-text">
            <h1 lang=crate::i18n::user_lang(&published.committer_name)>{published.committer_name.clone()}</h1>
            <p>
                <span class="state">{labels::kind(published.kind, locale)}</span>
                " "<span class="number">{published.number.clone().unwrap_or_default()}</span>
            </p>
            <p class="hint">{[published.committee.clone(), published.branch.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</p>
            {published.display.map(|d| view! {
                <p class="calendar">{i18n.text(Words::OnDisplay)}": "{d.start.to_string()}" – "{d.end.to_string()}</p>
            })}
            {published.commitment.as_ref().filter(|c| !c.needs_summary().is_empty()).map(|c| view! {
                <h2>{i18n.text(Text::NeedsSummary)}</h2>
                <p>{c.needs_summary().to_owned()}</p>
            })}
            <h2>{i18n.text(Text::Items)}</h2>
            <crate::components::progress_bar::ProgressBar fulfilment=published.fulfilment.clone()/>
            <ol class="items">
                {items.into_iter().map(|item| {
                    let fulfilment = published.fulfilment.iter().find(|f| f.item == item.id());
                    let status = fulfilment.map(|f| f.state.status_on(f.deadline, today));
                    let crossed_off_on = fulfilment.and_then(|f| f.crossed_off_on);
                    view! {
                        <li>
                            <p><strong>{item.content().to_owned()}</strong></p>
                            <p class="hint">{labels::area(item.area(), locale)}</p>
                            <p>{i18n.text(Text::Measures)}": "{item.measures().to_owned()}</p>
                            <p>{i18n.text(Text::Deadline)}": "{item.deadline().to_string()}
                                {status.map(|status| view! {
                                    " "<span class="badge" class:ok=status == ItemStatus::CrossedOff class:conflict=status == ItemStatus::Overdue
                                        data-testid="board-item-status">{crate::components::fulfilment::status_text(status, i18n)}</span>
                                })}
                                {crossed_off_on.map(|on| view! {
                                    " "<span class="hint" data-testid="crossed-off-on">{i18n.text(Text::CrossedOffOn)}" "{on.to_string()}</span>
                                })}
                            </p>
                            {
                                let item = item.id();
                                move || {
                                    let lines: Vec<_> = ledger.get().unwrap_or_default().into_iter().filter(|l| l.item == item).collect();
                                    (!lines.is_empty()).then(|| view! {
                                        <h3>{i18n.text(Words::PublicLedger)}</h3>
                                        <ul class="ledger">
                                            {lines.into_iter().map(|line| view! {
                                                <li data-testid="public-ledger-entry">
                                                    <span class="day">{line.date.to_string()}</span>" "
                                                    <span lang=crate::i18n::user_lang(&line.text)>{line.text.clone()}</span>
                                                    <crate::components::evidence::EvidenceList commitment=id files=line.evidence.clone() on_device=false/>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    })
                                }
                            }
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Feedback(published: Published) -> impl IntoView {
    let i18n = use_i18n();
    let id = published.id;
    let display = published.display;
    let (version, set_version) = signal(0u32);
    let state = crate::state::use_state();
    let entries = LocalResource::new(move || {
        version.track();
        let signed_in = state.workspace.with_untracked(Option::is_some);
        feedback(id, signed_in, i18n.locale_untracked().tag())
    });
    let (name, set_name) = signal(String::new());
    let (text, set_text) = signal(String::new());
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (outcome, set_outcome) = signal(None::<Result<(), String>>);
    // Feedback is offered only while the commitment is on display (the server's rule too).
    let today = crate::time::today();
    let open_now = display.is_some_and(|d| d.start <= today && today <= d.end);
    let send = move |_| {
        let draft = FeedbackDraft {
            name: name.get_untracked(),
            text: text.get_untracked(),
        };
        let today = crate::time::today();
        // The server's own rule first: empty, too long, or outside the display window.
        if let Err(refused) = draft.parse(display.as_ref(), today) {
            set_errors.set(refused);
            return;
        }
        set_errors.set(ValidationErrors::default());
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match api::leave_feedback(id, &draft, language).await {
                Ok(_) => {
                    set_text.set(String::new());
                    set_outcome.set(Some(Ok(())));
                    set_version.update(|v| *v += 1);
                }
                Err(error) => set_outcome.set(Some(Err(error.text(i18n)))),
            }
        });
    };
    view! {
        <section class="feedback">
            <h2>{move || i18n.text(Words::FeedbackHeading)}</h2>
            {move || entries.get().map(|(list, moderator)| {
                if list.is_empty() {
                    return view! { <p class="hint">{i18n.text(Words::NoFeedback)}</p> }.into_any();
                }
                view! {
                    <ul class="feedback-list">
                        {list.into_iter().map(|entry| view! {
                            <FeedbackLine entry=entry moderator=moderator on_hidden=move || set_version.update(|v| *v += 1)/>
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            {(!open_now).then(|| view! { <p class="hint">{i18n.text(Words::FeedbackNotOpen)}</p> })}
            <form class="form" on:submit=|e| e.prevent_default() hidden=!open_now>
                <label for="feedback-name">{move || i18n.text(Words::FeedbackName)}</label>
                <input id="feedback-name" type="text" prop:value=name on:input=move |e| set_name.set(event_target_value(&e))/>
                <FieldErrors errors=errors field="name".to_owned()/>
                <label for="feedback-text">{move || i18n.text(Words::FeedbackBody)}</label>
                <textarea id="feedback-text" rows="3" prop:value=text on:input=move |e| set_text.set(event_target_value(&e))></textarea>
                <FieldErrors errors=errors field="text".to_owned()/>
                <button type="button" class="button primary" on:click=send>{move || i18n.text(Words::SendFeedback)}</button>
                {move || outcome.get().map(|o| match o {
                    Ok(()) => view! { <p class="hint" role="status">{i18n.text(Words::FeedbackSent)}</p> }.into_any(),
                    Err(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                })}
            </form>
        </section>
    }
}

#[component]
fn FeedbackLine(
    entry: FeedbackEntry,
    moderator: bool,
    on_hidden: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id: FeedbackId = entry.id;
    let (reason, set_reason) = signal(String::new());
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (problem, set_problem) = signal(None::<String>);
    let hide = move |_| {
        let draft = ModerationDraft {
            reason: reason.get_untracked(),
        };
        if let Err(refused) = draft.parse() {
            set_errors.set(refused);
            return;
        }
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match api::hide_feedback(id, &draft, language).await {
                Ok(_) => on_hidden(),
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    let reason_id = format!("hide-reason-{id}");
    let hidden = entry.hidden.clone();
    view! {
        <li class="feedback-entry" data-testid="feedback-entry">
            // Shown as text: whatever was typed, markup included, is never interpreted.
            <p class="feedback-text">{entry.text.clone()}</p>
            <p class="hint">{entry.name.clone().unwrap_or_else(|| i18n.text(Words::Anonymous).to_owned())}" · "{entry.created_at.get(..10).unwrap_or_default().to_owned()}</p>
            {hidden.clone().map(|h| view! { <p class="hint">{i18n.text(Words::HiddenNote)}": "{h.reason}</p> })}
            {(moderator && hidden.is_none()).then(|| {
                let label_for = reason_id.clone();
                view! {
                    <div class="moderation">
                        <label for=label_for>{i18n.text(Words::HideReason)}</label>
                        <input id=reason_id.clone() type="text" prop:value=reason on:input=move |e| set_reason.set(event_target_value(&e))/>
                        <FieldErrors errors=errors field="reason".to_owned()/>
                        <button type="button" class="button small" on:click=hide>{i18n.text(Words::Hide)}</button>
                        {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
                    </div>
                }
            })}
        </li>
    }
}

crate::i18n::texts! {
    Words;
    PublicLedger => "公开的台账记录", "Ledger entries made public";
    OnDisplay => "公示期", "On display";
    FeedbackHeading => "群众意见", "Feedback";
    FeedbackName => "署名（可不填）", "Your name (optional)";
    FeedbackBody => "意见或建议", "Your feedback";
    SendFeedback => "提交意见", "Send feedback";
    FeedbackSent => "谢谢，您的意见已提交。", "Thank you: your feedback was sent.";
    NoFeedback => "暂无意见。", "No feedback yet.";
    Anonymous => "匿名", "Anonymous";
    Hide => "隐藏", "Hide";
    HideReason => "隐藏理由", "Reason for hiding";
    HiddenNote => "已隐藏", "Hidden";
    FeedbackNotOpen => "公示期内可以提出意见。", "Feedback can be left while the commitment is on display.";
}
