//! 待办 on the dashboard: the domain's `todo_list` over what this device
//! holds, so it is there offline too.

use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::state::use_state;
use chengnuo_domain::cycle::Phase;
use chengnuo_domain::todo::Todo;
use leptos::prelude::*;

fn phase_text(phase: Phase) -> Text {
    match phase {
        Phase::Review => Text::PhaseReview,
        Phase::Sign => Text::PhaseSign,
        Phase::Publish => Text::PhasePublish,
        Phase::Report => Text::PhaseReport,
        Phase::Fulfil => Text::PhaseQuarterlyRound,
        Phase::Annual => Text::PhaseAnnualRound,
        Phase::Draft | Phase::Closed => Text::PhaseDraft,
    }
}

/// One line of the list: what it is about (a committer and an item's
/// content) and what is asked.
struct Line {
    todo: Todo,
    about: String,
    item: Option<String>,
}

#[component]
pub fn TodoList() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let lines = move || {
        let list = state.todo.get();
        state.workspace.with_untracked(|w| {
            let Some(w) = w.as_ref() else {
                return Vec::new();
            };
            list.into_iter()
                .map(|todo| {
                    let local = todo.commitment().and_then(|id| w.replica.get(id));
                    let item = match todo {
                        Todo::Overdue { item, .. }
                        | Todo::DueSoon { item, .. }
                        | Todo::ClaimWaiting { item, .. } => local.and_then(|c| {
                            c.draft
                                .items
                                .iter()
                                .find(|i| i.id == item)
                                .map(|i| i.content.clone())
                        }),
                        _ => None,
                    };
                    Line {
                        todo,
                        about: local.map(|c| c.committer_name.clone()).unwrap_or_default(),
                        item,
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    // The lines the server decides (`todo_feed`), in a part of their own:
    // for whoever may have some (an office, a secretary or a leader; a
    // member once their commitment is published), or has some kept.
    let person = state
        .workspace
        .with_untracked(|w| w.as_ref().map(|w| w.me.id()));
    let feed_text = RwSignal::new(person.and_then(crate::components::todo_feed::kept));
    let has_feed = move || feed_text.with(|t| t.as_deref().is_some_and(|t| t != "[]"));
    let wants_feed = move || {
        has_feed()
            || state
                .workspace
                .with(|w| w.as_ref().is_some_and(|w| w.may_have_server_todos()))
    };
    // How many lines it shows (said by the part; until it is loaded, one
    // or more if the kept text is a list).
    let feed = RwSignal::new(usize::from(has_feed()));
    // Reminders: offered where the browser has them and the person has not answered yet.
    let asked = RwSignal::new(crate::reminders::permission());
    let turn_on = move |_| {
        leptos::task::spawn_local(async move {
            let answer = crate::reminders::ask()
                .await
                .or_else(crate::reminders::permission);
            let granted = answer.as_deref() == Some("granted");
            // (The list may be gone by the time the person answers.)
            asked.set(answer);
            if granted {
                crate::reminders::remind(state);
            }
        });
    };
    view! {
        <div class="card todo" data-testid="todo">
            <h2>{move || i18n.text(Text::TodoHeading)}
                {move || match lines().len() + if has_feed() { feed.get() } else { 0 } {
                    0 => ().into_any(),
                    n => view! { <span class="badge waiting" data-testid="todo-count">{n}</span> }.into_any(),
                }}
            </h2>
            {move || {
                let lines = lines();
                if lines.is_empty() {
                    return (!has_feed() || feed.get() == 0)
                        .then(|| view! { <p class="hint">{i18n.text(Text::TodoNothing)}</p> })
                        .into_any();
                }
                let claims = lines.iter().any(|l| matches!(l.todo, Todo::ClaimWaiting { .. }));
                view! {
                    {claims.then(|| view! {
                        <p><a href=Page::Claims.path() class="button" data-testid="all-claims">{i18n.text(Text::ClaimsAll)}</a></p>
                    })}
                    <ul class="todo-list">
                        {lines.into_iter().map(|line| {
                            let (what, when, overdue) = match line.todo {
                                Todo::Overdue { deadline, .. } => (Text::TodoOverdue, Some(deadline), true),
                                Todo::DueSoon { deadline, .. } => (Text::TodoDueSoon, Some(deadline), false),
                                Todo::ClaimWaiting { .. } => (Text::TodoClaimWaiting, None, false),
                                Todo::ReviewWaiting { .. } => (Text::TodoReviewWaiting, None, false),
                                Todo::WindowClosing { phase, closes_on } => (phase_text(phase), Some(closes_on), false),
                                Todo::DraftLate { drafting_ended, .. } => (Text::TodoDraftLate, Some(drafting_ended), true),
                            };
                            let closing = matches!(line.todo, Todo::WindowClosing { .. } | Todo::DraftLate { .. });
                            let href = match line.todo {
                                Todo::ReviewWaiting { commitment } => Some(Page::Review(commitment).path()),
                                other => other.commitment().map(|id| Page::Commitment(id).path()),
                            };
                            let about = line.about.clone();
                            let item = line.item.clone();
                            let text = move || {
                                let mut text = i18n.text(what).to_owned();
                                if let Some(day) = when {
                                    text.push_str(" · ");
                                    text.push_str(i18n.text(if closing { Text::TodoWindowCloses } else { Text::TodoDeadline }));
                                    text.push(' ');
                                    text.push_str(&day.to_string());
                                }
                                text
                            };
                            view! {
                                <li class:overdue=overdue data-testid="todo-line">
                                    <span class="what">{text}</span>
                                    {(!about.is_empty()).then(|| view! {
                                        <span class="about" lang=crate::i18n::user_lang(&about)>{about.clone()}</span>
                                    })}
                                    {item.map(|item| view! {
                                        <span class="item" lang=crate::i18n::user_lang(&item)>{item.clone()}</span>
                                    })}
                                    {href.map(|href| {
                                        let named = format!(" {} {}", line.about, line.item.clone().unwrap_or_default());
                                        view! {
                                            <a href=href class="button small">
                                                {move || i18n.text(Text::Open)}
                                                <span class="visually-hidden" lang=crate::i18n::user_lang(&named)>{named.clone()}</span>
                                            </a>
                                        }
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {move || wants_feed().then(|| view! { <crate::on_demand::TodoFeedPart text=feed_text count=feed/> })}
            {move || match asked.get().as_deref() {
                Some("default") => view! {
                    <button type="button" class="button" data-testid="reminders" on:click=turn_on>{i18n.text(Text::RemindersTurnOn)}</button>
                }.into_any(),
                Some("granted") => view! { <p class="hint" data-testid="reminders-on">{i18n.text(Text::RemindersOn)}</p> }.into_any(),
                _ => ().into_any(),
            }}
        </div>
    }
}
