use crate::components::commitment_card::CommitmentCard;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::state::{use_state, Workspace};
use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::ids::{CommitmentId, OperationId};
use chengnuo_domain::permission::{can, Action, CommitmentTarget, Target};
use chengnuo_domain::workflow::CommitmentState;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

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
    view! {
        <section class="hero">
            <h1>{move || i18n.text(Text::HomeHeading)}</h1>
            <p>{move || i18n.text(Text::HomeIntro)}</p>
            <A href=Page::SignIn.path() attr:class="button primary">{move || i18n.text(Text::SignIn)}</A>
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

/// A blank form with one empty item, for a new commitment.
fn blank() -> CommitmentDraft {
    CommitmentDraft {
        items: vec![ItemDraft::default()],
        ..Default::default()
    }
}

fn reviewable(workspace: &Workspace) -> Vec<CommitmentId> {
    let actor = workspace.actor();
    workspace
        .replica
        .commitments
        .iter()
        .filter(|c| c.state() == CommitmentState::Submitted)
        .filter(|c| {
            let target = Target::Commitment(CommitmentTarget {
                committer: c.committer,
                kind: c.kind,
                ancestry: c.ancestry.clone(),
                state: c.state(),
            });
            can(&actor, Action::Review, &target).is_ok()
        })
        .map(|c| c.id)
        .collect()
}

#[component]
fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let navigate = use_navigate();
    let workspace = move || state.workspace.get();
    let cycle_name = move || workspace().and_then(|w| w.cycle.map(|c| c.name));
    let my_committer = move || workspace().map(|w| Committer::Person(w.me.id()));
    let mine = move || workspace().and_then(|w| w.commitment_of(Committer::Person(w.me.id())));
    let unit = move || workspace().and_then(|w| w.led_unit());
    let unit_commitment = move || {
        workspace().and_then(|w| {
            w.led_unit()
                .and_then(|(id, _, _)| w.commitment_of(Committer::Unit(id)))
        })
    };
    let queue = move || workspace().map(|w| reviewable(&w)).unwrap_or_default();

    let start = move |committer: Committer| {
        let navigate = navigate.clone();
        move |_| {
            let Some(w) = state.workspace.get_untracked() else {
                return;
            };
            let Some(cycle) = w.cycle.clone() else { return };
            let (kind, name, unit) = match committer {
                Committer::Person(_) => {
                    let person = &w.me.person.person;
                    (
                        CommitterKind::of_person(person),
                        person.name.clone(),
                        person.branch,
                    )
                }
                Committer::Unit(unit) => match w.led_unit() {
                    Some((id, name, kind)) if id == unit => (kind, name, id),
                    _ => return,
                },
            };
            let id = CommitmentId::new();
            let ancestry = w.ancestry(unit);
            state.update(|w| {
                w.replica.create(
                    id,
                    OperationId::new(),
                    cycle.id,
                    committer,
                    kind,
                    name,
                    ancestry,
                    blank(),
                )
            });
            state.save_now();
            state.push_soon();
            navigate(&Page::Commitment(id).path(), Default::default());
        }
    };
    let start_mine = start.clone();
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
                None => view! { <p class="hint">{i18n.text(Text::NoCycle)}</p> }.into_any(),
            }}
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
            {move || unit().map(|(unit_id, name, _)| {
                let start = start.clone();
                view! {
                    <div class="card">
                        <h2>{move || i18n.text(Text::UnitCommitment)}" · "{name.clone()}</h2>
                        {move || match unit_commitment() {
                            Some(id) => view! { <CommitmentCard id=id/> }.into_any(),
                            None => view! {
                                <button type="button" class="button" on:click=start.clone()(Committer::Unit(unit_id))>
                                    {move || i18n.text(Text::StartCommitment)}
                                </button>
                            }.into_any(),
                        }}
                    </div>
                }
            })}
            <Show when=move || workspace().is_some_and(|w| w.me.roles.iter().any(|g| !matches!(g.role, chengnuo_domain::permission::Role::Member)))>
                <div class="card">
                    <h2>{move || i18n.text(Text::ReviewQueue)}</h2>
                    {move || {
                        let ids = queue();
                        if ids.is_empty() {
                            view! { <p class="hint">{i18n.text(Text::NothingToReview)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="queue">
                                    {ids.into_iter().map(|id| view! { <li><CommitmentCard id=id review=true/></li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </div>
            </Show>
            <div class="card device">
                <crate::components::device_transfer::ExportButton/>
                <crate::components::device_transfer::ImportButton/>
            </div>
        </section>
    }
}
