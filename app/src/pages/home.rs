use crate::components::commitment_card::CommitmentCard;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::state::{use_state, Workspace};
use chengnuo_domain::commitment::{CommitmentDraft, Committer, CommitterKind, ItemDraft};
use chengnuo_domain::ids::CommitmentId;
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
    crate::i18n::screen_title(|i18n| i18n.text(Text::HomeHeading).to_owned());
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

/// What awaits this reviewer, grouped by the committer's unit, oldest first.
fn review_queue(workspace: &Workspace) -> Vec<(String, Vec<CommitmentId>)> {
    let mut waiting: Vec<(String, chrono::DateTime<chrono::Utc>, CommitmentId)> =
        reviewable(workspace)
            .into_iter()
            .filter_map(|id| {
                let local = workspace.replica.get(id)?;
                let unit = local
                    .ancestry
                    .0
                    .first()
                    .and_then(|u| workspace.unit_name(*u))
                    .unwrap_or_default();
                let since = local
                    .server
                    .as_ref()
                    .map(|s| s.updated_at)
                    .unwrap_or_default();
                Some((unit, since, id))
            })
            .collect();
    waiting.sort();
    let mut groups: Vec<(String, Vec<CommitmentId>)> = Vec::new();
    for (unit, _, id) in waiting {
        match groups.last_mut() {
            Some((name, ids)) if *name == unit => ids.push(id),
            _ => groups.push((unit, vec![id])),
        }
    }
    groups
}

/// This cycle's commitments the person supervises (not their own), by name:
/// where a secretary follows them after review, to publish them.
fn supervised(workspace: &Workspace) -> Vec<CommitmentId> {
    let cycle = workspace.cycle.as_ref().map(|c| c.id);
    let mut found: Vec<(String, CommitmentId)> = workspace
        .replica
        .commitments
        .iter()
        .filter(|c| Some(c.cycle) == cycle && !workspace.is_author(c.committer))
        .map(|c| (c.committer_name.clone(), c.id))
        .collect();
    found.sort();
    found.into_iter().map(|(_, id)| id).collect()
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
    let unit = move || workspace().and_then(|w| w.led_unit());
    let unit_commitment = move || {
        workspace().and_then(|w| {
            w.led_unit()
                .and_then(|(id, _, _)| w.commitment_of(Committer::Unit(id)))
        })
    };
    let queue = move || workspace().map(|w| review_queue(&w)).unwrap_or_default();
    let review_by = move || workspace().and_then(|w| w.cycle.map(|c| c.calendar.review.end));

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
            state.change_replica(|replica| {
                replica.create(id, cycle.id, committer, kind, name, ancestry, blank())
            });
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
                None => view! {
                    <h1>{i18n.text(Text::Dashboard)}</h1>
                    {if never_synced() {
                        view! { <p class="hint" data-testid="not-synced">{i18n.text(Text::NotSyncedYetLong)}</p> }.into_any()
                    } else {
                        view! { <p class="hint">{i18n.text(Text::NoCycle)}</p> }.into_any()
                    }}
                }.into_any(),
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
            <Show when=move || workspace().is_some_and(|w| w.actor().supervises_some_unit())>
                <div class="card">
                    <h2>{move || i18n.text(Text::ReviewQueue)}</h2>
                    {move || review_by().map(|end| {
                        let late = chrono::Local::now().date_naive() > end;
                        view! {
                            <p class="calendar">{i18n.text(Text::ReviewBy)}": "{end.to_string()}
                                {late.then(|| view! { " "<span class="badge conflict">{i18n.text(Text::Late)}</span> })}
                            </p>
                        }
                    })}
                    {move || {
                        let groups = queue();
                        if groups.is_empty() {
                            view! { <p class="hint">{i18n.text(Text::NothingToReview)}</p> }.into_any()
                        } else {
                            groups.into_iter().map(|(unit, ids)| view! {
                                <h3 class="queue-unit">{unit}</h3>
                                <ul class="queue">
                                    {ids.into_iter().map(|id| view! { <li><CommitmentCard id=id review=true/></li> }).collect_view()}
                                </ul>
                            }).collect_view().into_any()
                        }
                    }}
                </div>
            </Show>
            {move || {
                let ids = workspace().map(|w| supervised(&w)).unwrap_or_default();
                (!ids.is_empty()).then(|| view! {
                    <details class="card">
                        <summary><h2>{i18n.text(Text::Supervised)}</h2></summary>
                        <ul class="queue">
                            {ids.into_iter().map(|id| view! { <li><CommitmentCard id=id/></li> }).collect_view()}
                        </ul>
                    </details>
                })
            }}
            {move || {
                let ids = workspace().map(|w| supervised(&w)).unwrap_or_default();
                (!ids.is_empty()).then(|| view! {
                    <details class="card">
                        <summary><h2>{i18n.text(Text::Supervised)}</h2></summary>
                        <ul class="queue">
                            {ids.into_iter().map(|id| view! { <li><CommitmentCard id=id/></li> }).collect_view()}
                        </ul>
                    </details>
                })
            }}
            <div class="card device">
                <crate::components::device_transfer::ExportButton/>
                <crate::components::device_transfer::ImportButton/>
            </div>
        </section>
    }
}
