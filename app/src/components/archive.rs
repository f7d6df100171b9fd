//! The committee's archive: ordinary members' commitments are not reported
//! upward (plan 4.1.4) but kept here, searchable by name and item text.

use crate::api;
use crate::i18n::{use_i18n, Text};
use crate::labels;
use chengnuo_domain::commitment::CommitterKind;
use chengnuo_domain::sync::Snapshot;
use leptos::prelude::*;

fn ordinary(snapshot: &Snapshot) -> bool {
    matches!(
        snapshot.kind,
        CommitterKind::Member {
            cadre_rank: None,
            ..
        }
    )
}

fn matches(snapshot: &Snapshot, words: &[String]) -> bool {
    let mut text = snapshot.committer_name.to_lowercase();
    for item in &snapshot.draft.items {
        text.push(' ');
        text.push_str(&item.content.to_lowercase());
    }
    words.iter().all(|w| text.contains(w))
}

#[component]
pub fn Archive() -> impl IntoView {
    let i18n = use_i18n();
    let all = LocalResource::new(move || api::commitments(i18n.locale_untracked().tag()));
    let query = RwSignal::new(String::new());
    let shown = move || {
        let words: Vec<String> = query
            .get()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let mut found: Vec<Snapshot> = all
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|s| ordinary(s) && matches(s, &words))
            .collect();
        found.sort_by(|a, b| a.committer_name.cmp(&b.committer_name));
        found
    };
    view! {
        <section class="card archive">
            <h2>{move || i18n.text(Text::ArchiveHeading)}</h2>
            <form class="form" on:submit=|e| e.prevent_default()>
                <label for="archive-search">{move || i18n.text(Text::SearchLabel)}</label>
                <input id="archive-search" type="search" prop:value=query on:input=move |e| query.set(event_target_value(&e))/>
            </form>
            <ul class="queue">
                {move || shown().into_iter().map(|s| view! {
                    <li data-testid="archive-entry">
                        <details>
                            <summary>
                                <strong>{s.committer_name.clone()}</strong>" "
                                <span class="state">{i18n.text(labels::state(s.state))}</span>" "
                                <span class="number">{s.number.clone().unwrap_or_default()}</span>
                            </summary>
                            <ol class="items">
                                {s.draft.items.iter().map(|item| view! {
                                    <li>{item.content.clone()}" · "{item.measures.clone()}" · "{item.deadline.clone()}</li>
                                }).collect_view()}
                            </ol>
                        </details>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
