//! The steps after approval, on the commitment's page: the author signs (the
//! text becomes final and gets its number); a secretary above publishes it for
//! a display window of at least the cycle's minimum. Both queue offline.
//! A part of its own (`on_demand::PublicationPart`), fetched while online by
//! a device that holds an approved commitment or may publish one.

use crate::components::field_errors::FieldErrors;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::state::{use_state, AppState};
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::permission::Action;
use chengnuo_domain::publication::DisplayDraft;
use chengnuo_domain::sync::Change;
use leptos::prelude::*;

fn allowed(state: AppState, id: CommitmentId, action: Action) -> bool {
    state
        .workspace
        .with(|w| w.as_ref().is_some_and(|w| w.may(action, id)))
}

fn waiting(state: AppState, id: CommitmentId) -> bool {
    state
        .workspace
        .with(|w| w.as_ref().is_some_and(|w| w.replica.pending(id) > 0))
}

/// Whether the commitment's page has something of this part to show: a
/// signature or a publication this person may give, or the printable text.
pub fn due(workspace: &crate::state::Workspace, id: CommitmentId) -> bool {
    workspace.may(Action::Sign, id)
        || workspace.may(Action::Publish, id)
        || workspace
            .replica
            .get(id)
            .and_then(|l| l.server.as_ref())
            .is_some_and(|s| s.number.is_some())
}

#[component]
pub fn SignAndPublish(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let numbered = move || {
        state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.replica.get(id))
                .and_then(|l| l.server.as_ref())
                .is_some_and(|s| s.number.is_some())
        })
    };
    view! {
        <Show when=move || allowed(state, id, Action::Sign)>
            <div class="card step">
                <p class="hint">{move || i18n.text(Text::SignHint)}</p>
                {move || if waiting(state, id) {
                    view! { <p class="hint" role="status">{i18n.text(Text::SignQueued)}</p> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button primary" on:click=move |_| state.queue(id, Change::Sign)>
                            {i18n.text(Text::Sign)}
                        </button>
                    }.into_any()
                }}
            </div>
        </Show>
        <Show when=numbered>
            <a href=Page::Print(id).path() class="button">{move || i18n.text(Text::Print)}</a>
        </Show>
        <Show when=move || allowed(state, id, Action::Publish)>
            <PublishForm id=id/>
        </Show>
    }
}

#[component]
fn PublishForm(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let today = crate::time::today();
    let (start, set_start) = signal(today.to_string());
    let (end, set_end) = signal((today + chrono::Duration::days(6)).to_string());
    let (errors, set_errors) = signal(ValidationErrors::default());
    let publish = move |_| {
        let draft = DisplayDraft {
            start: start.get_untracked(),
            end: end.get_untracked(),
        };
        let Some(cycle) = state
            .workspace
            .with_untracked(|w| w.as_ref().and_then(|w| w.cycle.clone()))
        else {
            return;
        };
        // The rule the server applies: from today, within the cycle, at
        // least the minimum days (both ends counted).
        match draft.parse(&cycle, crate::time::today()) {
            Ok(_) => {
                set_errors.set(ValidationErrors::default());
                state.queue(id, Change::Publish { display: draft });
            }
            Err(refused) => set_errors.set(refused),
        }
    };
    view! {
        <form class="form card step" on:submit=|e| e.prevent_default()>
            <h2>{move || i18n.text(Text::PublishHeading)}</h2>
            <label for="display-start">{move || i18n.text(Text::DisplayStart)}</label>
            <input id="display-start" type="date" prop:value=start on:input=move |e| set_start.set(event_target_value(&e))/>
            <FieldErrors errors=errors field="start".to_owned()/>
            <label for="display-end">{move || i18n.text(Text::DisplayEnd)}</label>
            <input id="display-end" type="date" prop:value=end on:input=move |e| set_end.set(event_target_value(&e))/>
            <FieldErrors errors=errors field="end".to_owned()/>
            {move || if waiting(state, id) {
                view! { <p class="hint" role="status">{i18n.text(Text::PublishQueued)}</p> }.into_any()
            } else {
                view! { <button type="button" class="button primary" on:click=publish>{i18n.text(Text::Publish)}</button> }.into_any()
            }}
        </form>
    }
}
