//! The public board (公开栏): published commitments, no sign-in needed,
//! browsed by committee and branch and searched. The last list seen is kept in
//! browser storage, so the board opens offline once visited.

use crate::api::{self, ApiError};
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use chengnuo_domain::publication::Published;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use leptos_router::components::A;

const CACHE: &str = "chengnuo.board";

/// The board from the server, or the copy kept from the last visit (`true`).
pub async fn load_board(language: &str) -> Result<(Vec<Published>, bool), ApiError> {
    match api::board(language).await {
        Ok(list) => {
            // A board that cannot be kept still shows; storage problems are the drafts' to report.
            let _ = LocalStorage::set(CACHE, &list);
            Ok((list, false))
        }
        Err(ApiError::Offline) => LocalStorage::get::<Vec<Published>>(CACHE)
            .map(|list| (list, true))
            .map_err(|_| ApiError::Offline),
        Err(other) => Err(other),
    }
}

fn matches(published: &Published, words: &[String]) -> bool {
    let mut text = published.committer_name.to_lowercase();
    if let Some(c) = &published.commitment {
        for item in c.items() {
            text.push(' ');
            text.push_str(&item.content().to_lowercase());
        }
    }
    words.iter().all(|w| text.contains(w))
}

#[component]
pub fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Text::BoardHeading).to_owned());
    let board = LocalResource::new(move || load_board(i18n.locale_untracked().tag()));
    let (committee, set_committee) = signal(String::new());
    let (branch, set_branch) = signal(String::new());
    let (query, set_query) = signal(String::new());
    let list = move || {
        board
            .get()
            .and_then(|r| r.ok())
            .map(|(list, _)| list)
            .unwrap_or_default()
    };
    let committees = move || {
        let mut names: Vec<String> = list().into_iter().filter_map(|p| p.committee).collect();
        names.sort();
        names.dedup();
        names
    };
    let branches = move || {
        let chosen = committee.get();
        let mut names: Vec<String> = list()
            .into_iter()
            .filter(|p| chosen.is_empty() || p.committee.as_deref() == Some(chosen.as_str()))
            .filter_map(|p| p.branch)
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let shown = move || {
        let (c, b) = (committee.get(), branch.get());
        let words: Vec<String> = query
            .get()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let mut shown = list()
            .into_iter()
            .filter(|p| c.is_empty() || p.committee.as_deref() == Some(c.as_str()))
            .filter(|p| b.is_empty() || p.branch.as_deref() == Some(b.as_str()))
            .filter(|p| matches(p, &words))
            .collect::<Vec<_>>();
        // This year's first: numbers begin with the cycle's year.
        shown.sort_by(|a, b| {
            b.number
                .cmp(&a.number)
                .then(a.committer_name.cmp(&b.committer_name))
        });
        shown
    };
    view! {
        <section class="board">
            <h1>{move || i18n.text(Text::BoardHeading)}</h1>
            <p class="hint">{move || i18n.text(Text::BoardIntro)}</p>
            {move || board.get().and_then(|r| r.ok()).filter(|(_, cached)| *cached).map(|_| view! {
                <p class="problem" role="status">{i18n.text(Text::BoardOffline)}</p>
            })}
            {move || board.get().and_then(|r| r.err()).map(|error| {
                view! { <p class="problem" role="alert">{error.text(i18n)}</p> }
            })}
            <form class="form filters" on:submit=|e| e.prevent_default()>
                <label for="board-committee">{move || i18n.text(Text::CommitteeLabel)}</label>
                <select id="board-committee" on:change=move |e| { set_committee.set(event_target_value(&e)); set_branch.set(String::new()); }>
                    <option value="">{move || i18n.text(Text::AllCommittees)}</option>
                    {move || committees().into_iter().map(|name| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                </select>
                <label for="board-branch">{move || i18n.text(Text::BranchLabel)}</label>
                <select id="board-branch" prop:value=branch on:change=move |e| set_branch.set(event_target_value(&e))>
                    <option value="">{move || i18n.text(Text::AllBranches)}</option>
                    {move || branches().into_iter().map(|name| view! { <option value=name.clone()>{name.clone()}</option> }).collect_view()}
                </select>
                <label for="board-search">{move || i18n.text(Text::SearchLabel)}</label>
                <input id="board-search" type="search" prop:value=query on:input=move |e| set_query.set(event_target_value(&e))/>
            </form>
            {move || {
                let shown = shown();
                if board.get().is_some() && shown.is_empty() {
                    return view! { <p class="hint">{i18n.text(Text::BoardEmpty)}</p> }.into_any();
                }
                view! {
                    <ul class="queue">
                        {shown.into_iter().map(|p| view! {
                            <li class="commitment-card" data-testid="board-entry">
                                <div>
                                    <strong lang=crate::i18n::user_lang(&p.committer_name)>{p.committer_name.clone()}</strong>
                                    <span class="state" lang="zh-CN">" · "{p.branch.clone().or(p.committee.clone()).unwrap_or_default()}</span>
                                    <span class="number">" · "{p.number.clone().unwrap_or_default()}</span>
                                </div>
                                <A href=Page::BoardEntry(p.id).path() attr:class="button small">
                                    {i18n.text(Text::Open)}
                                    <span class="visually-hidden" lang=crate::i18n::user_lang(&p.committer_name)>" "{p.committer_name.clone()}</span>
                                </A>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
