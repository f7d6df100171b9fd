//! The author's inbox: every review of their own commitments, newest first,
//! the guidance of a return at the top; unread until they open the commitment.

use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::state::{use_state, Workspace};
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::review::{Review, ReviewDecision};
use leptos::prelude::*;
use leptos_router::components::A;

/// One review of one of the person's commitments.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub commitment: CommitmentId,
    pub committer_name: String,
    pub review: Review,
    pub unread: bool,
}

/// The person's notices about this cycle's commitments, newest first.
pub fn notices(workspace: &Workspace) -> Vec<Notice> {
    let cycle = workspace.cycle.as_ref().map(|c| c.id);
    let mut out = Vec::new();
    for local in &workspace.replica.commitments {
        if !workspace.is_author(local.committer) || cycle.is_some_and(|c| c != local.cycle) {
            continue;
        }
        let Some(server) = &local.server else {
            continue;
        };
        let seen = workspace.seen_reviews.get(&local.id).copied().unwrap_or(0);
        for (index, review) in server.reviews.iter().enumerate() {
            out.push(Notice {
                commitment: local.id,
                committer_name: local.committer_name.clone(),
                review: review.clone(),
                unread: index >= seen,
            });
        }
    }
    out.sort_by_key(|n| std::cmp::Reverse(n.review.at));
    out
}

pub fn unread(workspace: &Workspace) -> usize {
    notices(workspace).iter().filter(|n| n.unread).count()
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Text::InboxHeading).to_owned());
    let state = use_state();
    let all = move || {
        state
            .workspace
            .with(|w| w.as_ref().map(notices).unwrap_or_default())
    };
    view! {
        <A href=Page::Home.path() attr:class="back">{move || i18n.text(Text::Back)}</A>
        <h1>{move || i18n.text(Text::InboxHeading)}</h1>
        {move || {
            let all = all();
            if all.is_empty() {
                return view! { <p class="hint">{i18n.text(Text::InboxEmpty)}</p> }.into_any();
            }
            view! {
                <ul class="inbox">
                    {all.into_iter().map(|notice| {
                        let returned = notice.review.decision == ReviewDecision::Return;
                        view! {
                            <li class=if notice.unread { "notice unread" } else { "notice" } data-testid="notice">
                                <p>
                                    {notice.unread.then(|| view! { <span class="badge waiting">{i18n.text(Text::Unread)}</span> })}
                                    <strong>{i18n.text(if returned { Text::ReturnedNotice } else { Text::ApprovedNotice })}</strong>
                                    " · "{notice.committer_name.clone()}
                                </p>
                                {notice.review.guidance.clone().map(|g| view! {
                                    <p class="guidance"><strong>{i18n.text(Text::Guidance)}": "</strong>{g}</p>
                                })}
                                <p class="hint">{crate::time::minute(notice.review.at)}</p>
                                <A href=Page::Commitment(notice.commitment).path() attr:class="button small">
                                    {i18n.text(Text::Open)}
                                    <span class="visually-hidden" lang=crate::i18n::user_lang(&notice.committer_name)>" "{notice.committer_name.clone()}</span>
                                </A>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
