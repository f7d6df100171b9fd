//! 待办 the server decides (`chengnuo_domain::todo_feed`), below the
//! device's own lines: the round the office opened, scores to give,
//! rectification orders, a late report package, a round to open. Fetched
//! whenever the app is online (again after every sync), its text kept per
//! account so that it shows offline; a line whose day has passed is left
//! out. Loaded on demand, only for whoever may have such lines (its code
//! and words stay out of the first load; a member still drafting never
//! downloads it).

use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::state::use_state;
use chengnuo_domain::evaluation::{Assessor, RoundKind};
use chengnuo_domain::ids::PersonId;
use chengnuo_domain::todo_feed::ServerTodo;
use leptos::prelude::*;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn key(person: PersonId) -> String {
    format!("chengnuo.todo.{person}")
}

/// The server's last answer kept for `person`, as text.
pub fn kept(person: PersonId) -> Option<String> {
    storage()?.get_item(&key(person)).ok().flatten()
}

fn round_text(kind: RoundKind) -> Text {
    match kind {
        RoundKind::Quarterly => Text::PhaseQuarterlyRound,
        RoundKind::Annual => Text::PhaseAnnualRound,
    }
}

#[component]
pub fn TodoFeed(text: RwSignal<Option<String>>, count: RwSignal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let list = Memo::new(move |_| {
        text.with(|t| {
            t.as_deref()
                .and_then(|t| crate::json::from_str::<Vec<ServerTodo>>(t).ok())
                .unwrap_or_default()
        })
    });
    let today = move || crate::time::day_at(state.now.get());
    let shown = Memo::new(move |_| {
        let today = today();
        list.with(|l| {
            l.iter()
                .filter(|t| t.stands_on(today))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    Effect::new(move |_| count.set(shown.with(Vec::len)));
    // Fetched now and after every sync that reached the server.
    let person = state
        .workspace
        .with_untracked(|w| w.as_ref().map(|w| w.me.id()));
    let synced = Memo::new(move |_| state.engine.with(|e| e.last_sync()));
    Effect::new(move |_| {
        synced.track();
        let (Some(person), true) = (person, state.online.get()) else {
            return;
        };
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = crate::api::todo_text(language).await {
                // The list may be gone meanwhile (another screen): kept anyway.
                let changed = text
                    .try_with_untracked(|t| t.as_deref() != Some(fresh.as_str()))
                    .unwrap_or(true);
                if changed {
                    if let Some(storage) = storage() {
                        let _ = storage.set_item(&key(person), &fresh);
                    }
                    let _ = text.try_set(Some(fresh));
                }
            }
        });
    });
    move || {
        let lines = shown.get();
        (!lines.is_empty()).then(|| {
            let today = today();
            view! {
                <ul class="todo-list" data-testid="todo-feed">
                    {lines.into_iter().map(|todo| {
                        let (what, about, when, late) = match &todo {
                            ServerTodo::RoundOpen { kind, closes_on } => (i18n.text(round_text(*kind)).to_owned(), String::new(), Some((Text::TodoWindowCloses, *closes_on)), false),
                            ServerTodo::RoundToOpen { kind, closes_on } => (format!("{} · {}", i18n.text(Words::RoundToOpen), i18n.text(round_text(*kind))), String::new(), Some((Text::TodoWindowCloses, *closes_on)), false),
                            ServerTodo::ScoreWaiting { committer_name, by, .. } => (i18n.text(match by {
                                Assessor::Leader => Words::LeaderScoreWaiting,
                                Assessor::Organization => Words::OrganizationScoreWaiting,
                            }).to_owned(), committer_name.clone(), None, false),
                            ServerTodo::Rectify { deadline, claimed: true, .. } => (i18n.text(Words::RectificationClaimed).to_owned(), String::new(), Some((Text::TodoDeadline, *deadline)), false),
                            ServerTodo::Rectify { deadline, .. } => {
                                let late = *deadline < today;
                                (i18n.text(if late { Words::RectificationLate } else { Words::Rectify }).to_owned(), String::new(), Some((Text::TodoDeadline, *deadline)), late)
                            }
                            ServerTodo::RectificationClaimed { committer_name, .. } => (i18n.text(Words::RectificationToClose).to_owned(), committer_name.clone(), None, false),
                            ServerTodo::ReportLate { deadline, .. } => (i18n.text(Words::ReportLate).to_owned(), String::new(), Some((Text::TodoDeadline, *deadline)), true),
                        };
                        let href = match &todo {
                            ServerTodo::RoundToOpen { .. } => Some(Page::Years.path()),
                            ServerTodo::ReportLate { .. } => Some(Page::Reports.path()),
                            other => other.commitment().map(|id| Page::Commitment(id).path()),
                        };
                        let text = match when {
                            Some((word, day)) => format!("{what} · {} {day}", i18n.text(word)),
                            None => what,
                        };
                        let named = format!(" {about}");
                        view! {
                            <li class:overdue=late data-testid="todo-line">
                                <span class="what">{text}</span>
                                {(!about.is_empty()).then(|| view! {
                                    <span class="about" lang=crate::i18n::user_lang(&about)>{about.clone()}</span>
                                })}
                                {href.map(|href| view! {
                                    <a href=href class="button small">
                                        {i18n.text(Text::Open)}
                                        <span class="visually-hidden" lang=crate::i18n::user_lang(&named)>{named.clone()}</span>
                                    </a>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
    }
}

crate::i18n::texts! {
    Words;
    RoundToOpen => "待开启考核评议", "A round to open";
    LeaderScoreWaiting => "待领导点评评分", "Waiting for your leader's score";
    OrganizationScoreWaiting => "待组织考核评分", "Waiting for the organization's score";
    Rectify => "待整改", "To rectify";
    RectificationLate => "整改已逾期", "Rectification overdue";
    RectificationClaimed => "整改已申请销号，待验收", "Rectification claimed done, waiting for acceptance";
    RectificationToClose => "整改待验收", "Rectification to accept";
    ReportLate => "报送已逾期，尚未报送", "Report package overdue, not sent";
}
