use crate::components::commitment_card::CommitmentCard;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::router::use_navigate;
use crate::state::use_state;
use chengnuo_domain::commitment::Committer;
use leptos::prelude::*;

const STEPS: [Text; 8] = [
    Text::StepDraft,
    Text::StepReview,
    Text::StepSign,
    Text::StepPublish,
    Text::StepReport,
    Text::StepFulfil,
    Text::StepEvaluate,
    Text::StepRectify,
];

#[component]
pub fn Home() -> impl IntoView {
    let state = use_state();
    view! {
        <Show when=move || state.workspace.with(Option::is_some) fallback=Welcome>
            <Dashboard/>
        </Show>
    }
}

#[component]
fn Welcome() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Text::HomeHeading).to_owned());
    view! {
        <section class="hero">
            <h1>{move || i18n.text(Text::HomeHeading)}</h1>
            <p>{move || i18n.text(Text::HomeIntro)}</p>
            <a href=Page::SignIn.path() class="button primary">{move || i18n.text(Text::SignIn)}</a>
        </section>
        <section class="steps">
            <h2>{move || i18n.text(Text::StepsHeading)}</h2>
            <ol>
                {STEPS.iter().map(|step| {
                    let step = *step;
                    view! { <li>{move || i18n.text(step)}</li> }
                }).collect_view()}
            </ol>
            <div class="card device">
                <crate::components::device_transfer::ExportButton/>
                <crate::components::device_transfer::ImportButton/>
            </div>
        </section>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Text::Dashboard).to_owned());
    let state = use_state();
    let navigate = use_navigate();
    let workspace = move || state.workspace.get();
    let cycle_name = move || {
        workspace().and_then(|w| {
            w.cycle
                .map(|c| crate::labels::cycle_name(&c, i18n.locale()))
        })
    };
    let never_synced = move || workspace().is_some_and(|w| w.last_sync.is_none());
    let my_committer = move || workspace().map(|w| Committer::Person(w.me.id()));
    let mine = move || workspace().and_then(|w| w.commitment_of(Committer::Person(w.me.id())));
    let start_mine = move |committer: Committer| {
        let navigate = navigate.clone();
        move |_| {
            if let Some(id) = state.start_commitment(committer) {
                navigate(&Page::Commitment(id).path());
            }
        }
    };
    view! {
        <section class="dashboard">
            {move || match workspace().and_then(|w| w.cycle) {
                Some(cycle) => view! {
                    <h1>{cycle_name()}</h1>
                    <p class="calendar">
                        {i18n.text(Text::DraftWindow)}": "{cycle.calendar.draft.start.to_string()}" – "{cycle.calendar.draft.end.to_string()}
                        " · "{i18n.text(Text::ReviewWindow)}": "{cycle.calendar.review.start.to_string()}" – "{cycle.calendar.review.end.to_string()}
                    </p>
                }.into_any(),
                None => view! {
                    <h1>{i18n.text(Text::Dashboard)}</h1>
                    {if never_synced() {
                        view! { <p class="hint" data-testid="not-synced">{i18n.text(Text::NotSyncedYetLong)}</p> }.into_any()
                    } else {
                        view! { <p class="hint">{i18n.text(Text::NoCycle)}</p> }.into_any()
                    }}
                }.into_any(),
            }}
            <crate::components::todo_list::TodoList/>
            <div class="card">
                <h2>{move || i18n.text(Text::MyCommitment)}</h2>
                {move || match (mine(), my_committer()) {
                    (Some(id), _) => view! { <CommitmentCard id=id/> }.into_any(),
                    (None, Some(committer)) => view! {
                        <button type="button" class="button primary" on:click=start_mine.clone()(committer)
                            disabled=move || state.workspace.with(|w| w.as_ref().is_none_or(|w| w.cycle.is_none()))>
                            {move || i18n.text(Text::StartCommitment)}
                        </button>
                    }.into_any(),
                    _ => ().into_any(),
                }}
            </div>
            <Show when=move || workspace().is_some_and(|w| w.actor().supervises_some_unit())>
                <crate::on_demand::SupervisorDeskPart/>
            </Show>
            <div class="card device">
                <crate::components::device_transfer::ExportButton/>
                <crate::components::device_transfer::ImportButton/>
            </div>
        </section>
    }
}
