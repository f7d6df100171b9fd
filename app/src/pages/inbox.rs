//! The author's inbox: every review of their own commitments, newest first,
//! the guidance of a return at the top; unread until they open the commitment.

use crate::i18n::{use_i18n, Text};
use crate::notices::notices;
use crate::page::Page;
use crate::state::use_state;
use chengnuo_domain::review::ReviewDecision;
use leptos::prelude::*;

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
        <a href=Page::Home.path() class="back">{move || i18n.text(Text::Back)}</a>
        <h1>{move || i18n.text(Text::InboxHeading)}</h1>
        <p><a href=Page::Circulars.path() class="button">{move || i18n.text(Text::CircularsLink)}</a></p>
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
                                <a href=Page::Commitment(notice.commitment).path() class="button small">
                                    {i18n.text(Text::Open)}
                                    <span class="visually-hidden" lang=crate::i18n::user_lang(&notice.committer_name)>" "{notice.committer_name.clone()}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}
