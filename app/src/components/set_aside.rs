//! The versions of a commitment set aside while merging (合并时未采用的版本),
//! shown under its text once the commitment page has read that there are some.

use crate::i18n::{use_i18n, Text};
use chengnuo_domain::sync::SetAside;
use leptos::prelude::*;

/// The versions, each with when and by whom, its needs and its items.
#[component]
pub fn SetAsideVersions(versions: Vec<SetAside>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="card" data-testid="set-aside">
            <summary>{i18n.text(Text::SetAsideHeading)}" ("{versions.len()}")"</summary>
            {versions.into_iter().map(|v| view! {
                <div class="set-aside">
                    <p class="hint">{crate::time::minute(v.at)}{v.by.map(|by| format!(" · {by}"))}</p>
                    <p lang="zh" class="user-text">{v.draft.needs_summary.clone()}</p>
                    <ol lang="zh" class="user-text">
                        {v.draft.items.iter().map(|item| view! {
                            <li>{chengnuo_domain::sync::merge::item_text(item)}</li>
                        }).collect_view()}
                    </ol>
                </div>
            }).collect_view()}
        </details>
    }
}
