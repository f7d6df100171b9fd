//! A commitment: the form while the committer may edit it (saved on this
//! device at every keystroke, validated as typed with the server's rules),
//! its merge when two versions met, its text once submitted.

use crate::components::field_errors::FieldErrors;
use crate::components::item_fields::ItemFields;
use crate::i18n::{use_i18n, Text};
use crate::labels;
use crate::on_demand::ConflictMergePart;
use crate::page::Page;
use crate::router::use_params_map;
use crate::state::use_state;
use chengnuo_domain::commitment::{CommitmentDraft, CommitterKind, ItemDraft, Standard};
use chengnuo_domain::dossier::Refusal;
use chengnuo_domain::ids::{CommitmentId, ItemId};
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::Action;
use chengnuo_domain::sync::replica::Step;
use chengnuo_domain::sync::Change;
use chengnuo_domain::validation::CommitmentRules;
use leptos::prelude::*;

#[component]
pub fn CommitmentPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<CommitmentId>().ok()));
    let local = Memo::new(move |_| {
        let id = id()?;
        state
            .workspace
            .with(|w| w.as_ref().and_then(|w| w.replica.get(id).cloned()))
    });
    // Opening one's own commitment reads what its reviewers said (the inbox's
    // unread); a review arriving while it is open stays unread until it is opened again.
    Effect::new(move |_| {
        let Some(local) = id().and_then(|_| local.get_untracked()) else {
            return;
        };
        let reviews = local.server.as_ref().map_or(0, |s| s.reviews.len());
        let unseen = state.workspace.with_untracked(|w| {
            w.as_ref().is_some_and(|w| {
                w.is_author(local.committer)
                    && w.seen_reviews.get(&local.id).copied().unwrap_or(0) < reviews
            })
        });
        if unseen {
            state.update(|w| {
                w.seen_reviews.insert(local.id, reviews);
            });
        }
    });
    // A memo, so that a pull refreshing the commitment re-renders the page
    // only when what it shows changes: a merge in progress keeps its choices.
    let mode = Memo::new(move |_| {
        let local = local.get()?;
        let editable = state
            .workspace
            .with(|w| w.as_ref().is_some_and(|w| w.may(Action::Edit, local.id)));
        Some((local.id, local.conflict.is_some(), editable))
    });
    crate::i18n::screen_title(move |i18n| {
        let name = local.with(|l| l.as_ref().map(|l| l.committer_name.clone()));
        let what = match mode.get() {
            Some((_, true, _)) => Text::ConflictHeading,
            _ => Text::PrintTitle,
        };
        match name {
            Some(name) => format!("{name} · {}", i18n.text(what)),
            None => i18n.text(Text::NotFoundHeading).to_owned(),
        }
    });
    view! {
        <a href=Page::Home.path() class="back">{move || i18n.text(Text::Back)}</a>
        {move || mode.get().map(|(id, _, _)| view! { <Notices id=id/> })}
        {move || match mode.get() {
            None => view! { <crate::pages::not_found::NotFound/> }.into_any(),
            Some((id, true, _)) => view! { <ConflictMergePart id=id/> }.into_any(),
            Some((id, false, true)) => view! { <CommitmentForm id=id/> }.into_any(),
            Some((id, false, false)) => view! { <CommitmentText id=id/> }.into_any(),
        }}
        // 征求意见, for the unit's secretary, whatever the state: a suggestion
        // left after the draft was submitted is answered here too.
        {move || {
            let (id, conflict, _) = mode.get()?;
            let unit = local.with_untracked(|l| l.as_ref().and_then(|l| consulted(state, l.committer)))?;
            (!conflict).then(|| view! { <crate::on_demand::SuggestionsPart id=id unit=unit/> })
        }}
    }
}

/// Guidance from the plan for this kind of committer.
#[component]
pub fn Guidance(kind: CommitterKind) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <aside class="guidance">
            {move || match kind {
                CommitterKind::Branch { kind } => labels::branch_focus(kind, i18n.locale()).to_owned(),
                CommitterKind::Member { category, .. } => labels::member_guidance(category, i18n.locale()).to_owned(),
                _ => String::new(),
            }}
            {kind.is_cadre().then(|| view! { <strong class="higher-standard">{move || i18n.text(Text::HigherStandard)}</strong> })}
        </aside>
    }
}

#[component]
fn CommitmentForm(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let local = move || {
        state
            .workspace
            .with(|w| w.as_ref().and_then(|w| w.replica.get(id).cloned()))
    };
    let initial = local();
    let kind = initial
        .as_ref()
        .map(|l| l.kind)
        .unwrap_or(CommitterKind::Committee);
    let name = initial
        .as_ref()
        .map(|l| l.committer_name.clone())
        .unwrap_or_default();
    // Memos, read by every field of every item: a keystroke clones the text
    // once and validates it once, and only what changed is drawn again.
    let draft = Memo::new(move |_| {
        state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.replica.get(id))
                .map(|l| l.draft.clone())
                .unwrap_or_default()
        })
    });
    let needs = Memo::new(move |_| draft.with(|d| d.needs_summary.clone()));
    // A unit's own draft: its secretary answers the suggestions left for it.
    let cycle = move || {
        state
            .workspace
            .with(|w| w.as_ref().and_then(|w| w.cycle.clone()))
    };
    let fulfilment = cycle().map(|c| c.calendar.fulfilment());
    let attempted = RwSignal::new(false);
    let queued = RwSignal::new(false);
    let errors = Memo::new(move |_| {
        let Some(cycle) = cycle() else {
            return ValidationErrors::default();
        };
        let rules = CommitmentRules::new(kind, &cycle);
        let today = crate::time::today();
        let mut errors = draft.with(|d| {
            d.parse_for_submission(&rules, today)
                .err()
                .unwrap_or_default()
        });
        if !attempted.get() {
            // Before a submission is tried, an empty field is not yet an error.
            errors
                .0
                .retain(|e| e.message != Message::Required && e.message != Message::NoItems);
        }
        let refused = state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.replica.get(id))
                .and_then(|l| l.refused.clone())
        });
        let server = match refused {
            Some(Refusal::Invalid(refused)) => refused.0,
            _ => Vec::new(),
        };
        let new: Vec<_> = server
            .into_iter()
            .filter(|e| !errors.0.contains(e))
            .collect();
        errors.0.extend(new);
        errors
    });
    let save = move |next: CommitmentDraft| state.edit(id, next);
    let on_change = Callback::new(move |(item, value): (ItemId, ItemDraft)| {
        let mut next = draft.get_untracked();
        if let Some(slot) = next.items.iter_mut().find(|i| i.id == item) {
            *slot = value;
        }
        save(next);
    });
    let on_move = Callback::new(move |(item, by): (ItemId, i32)| {
        let mut next = draft.get_untracked();
        if let Some(from) = next.items.iter().position(|i| i.id == item) {
            let to = from as i32 + by;
            if to >= 0 && (to as usize) < next.items.len() {
                next.items.swap(from, to as usize);
                save(next);
                // The focus stays on the button pressed (or its pair at the end of the list).
                let (same, other) = if by < 0 {
                    ("up", "down")
                } else {
                    ("down", "up")
                };
                focus_later(vec![
                    format!("item-{item}-{same}"),
                    format!("item-{item}-{other}"),
                ]);
            }
        }
    });
    let on_remove = Callback::new(move |item: ItemId| {
        let mut next = draft.get_untracked();
        let at = next.items.iter().position(|i| i.id == item).unwrap_or(0);
        next.items.retain(|i| i.id != item);
        // The focus goes to the item that took its place, else the one before, else "add".
        let mut targets: Vec<String> = next
            .items
            .get(at)
            .or_else(|| at.checked_sub(1).and_then(|b| next.items.get(b)))
            .map(|i| format!("item-{}-area", i.id))
            .into_iter()
            .collect();
        targets.push("add-item".to_owned());
        save(next);
        focus_later(targets);
    });
    let add_item = move |_| {
        let mut next = draft.get_untracked();
        let item = ItemDraft::default();
        let focus = format!("item-{}-area", item.id);
        next.items.push(item);
        save(next);
        focus_later(vec![focus]);
    };
    let standards: Vec<Standard> = match kind {
        CommitterKind::Member { .. } => Standard::ALL[5..].to_vec(),
        _ => Standard::ALL[..5].to_vec(),
    };
    let submit = move |_| {
        attempted.set(true);
        let Some(cycle) = cycle() else { return };
        let rules = CommitmentRules::new(kind, &cycle);
        let today = crate::time::today();
        if draft.with_untracked(|d| d.parse_for_submission(&rules, today).is_ok()) {
            state.queue(id, Change::Submit);
            queued.set(true);
        }
    };
    let returned_guidance = move || {
        local().and_then(|l| l.server).and_then(|s| {
            (s.state == chengnuo_domain::workflow::CommitmentState::Returned)
                .then(|| s.reviews.last().and_then(|r| r.guidance.clone()))
                .flatten()
        })
    };
    view! {
        <section class="commitment-form">
            <h1 lang=crate::i18n::user_lang(&name)>{name.clone()}</h1>
            {move || returned_guidance().map(|g| view! {
                <div class="returned" role="alert">
                    <strong>{i18n.text(Text::Guidance)}": "</strong>{g}
                </div>
            })}
            <Guidance kind=kind/>
            <p class="saved hint" data-testid="saved">{move || {
                let text = if state.all_saved() {
                    Text::SavedLocally
                } else if state.problem.with(Option::is_some) {
                    Text::NotSavedYet
                } else {
                    Text::Saving
                };
                i18n.text(text)
            }}</p>
            <form class="form wide" on:submit=|e| e.prevent_default()>
                <label for="needs-summary">{move || i18n.text(Text::NeedsSummary)}</label>
                <p class="hint">{move || i18n.text(Text::NeedsSummaryHint)}</p>
                <textarea id="needs-summary" rows="3" prop:value=needs
                    on:input=move |e| {
                        let mut next = draft.get_untracked();
                        next.needs_summary = event_target_value(&e);
                        save(next);
                    }></textarea>
                <FieldErrors errors=errors field="needs_summary".to_owned()/>
                <h2>{move || i18n.text(Text::Items)}</h2>
                <FieldErrors errors=errors field="items".to_owned()/>
                <For each=move || draft.with(|d| d.items.iter().map(|i| i.id).collect::<Vec<_>>()) key=|id| *id let:item>
                    <ItemFields id=item draft=draft errors=errors kind=kind fulfilment=fulfilment
                        on_change=on_change on_move=on_move on_remove=on_remove/>
                </For>
                <button type="button" id="add-item" class="button" on:click=add_item>{move || i18n.text(Text::AddItem)}</button>
                <fieldset class="standards">
                    <legend>{move || i18n.text(Text::Standards)}</legend>
                    {standards.into_iter().map(|standard| {
                        let code = standard.code();
                        let dom = format!("standard-{code}");
                        let label_for = dom.clone();
                        let checked = {
                            let code = code.clone();
                            move || draft.with(|d| d.standards.contains(&code))
                        };
                        view! {
                            <label class="check" for=label_for>
                                <input id=dom type="checkbox" prop:checked=checked on:change=move |e| {
                                    let mut next = draft.get_untracked();
                                    next.standards.retain(|c| *c != code);
                                    if event_target_checked(&e) {
                                        next.standards.push(code.clone());
                                    }
                                    save(next);
                                }/>
                                {move || labels::standard(standard, i18n.locale())}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="button" class="button primary" on:click=submit>{move || i18n.text(Text::Submit)}</button>
                {move || queued.get().then(|| view! { <p class="hint" role="status">{i18n.text(Text::SubmitQueued)}</p> })}
            </form>
        </section>
    }
}

/// The text of a commitment that can no longer be edited here (or that is
/// being reviewed: `for_review`).
/// The unit whose suggestions (征求意见) the reader answers, when this is
/// that unit's own commitment.
fn consulted(
    state: crate::state::AppState,
    committer: chengnuo_domain::commitment::Committer,
) -> Option<chengnuo_domain::ids::OrgUnitId> {
    match committer {
        chengnuo_domain::commitment::Committer::Unit(unit) => state
            .workspace
            .with_untracked(|w| {
                w.as_ref().is_some_and(|w| {
                    w.may_for_unit(chengnuo_domain::permission::Action::AnswerSuggestions, unit)
                })
            })
            .then_some(unit),
        chengnuo_domain::commitment::Committer::Person(_) => None,
    }
}

#[component]
pub fn CommitmentText(id: CommitmentId, #[prop(optional)] for_review: bool) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    // A memo: a sync that changes something else does not redraw the text.
    let local = Memo::new(move |_| {
        state
            .workspace
            .with(|w| w.as_ref().and_then(|w| w.replica.get(id).cloned()))
    });
    view! {
        {move || local.get().map(|l| {
            let predicted = state.workspace.with_untracked(|w| w.as_ref().map_or(l.state(), |w| w.replica.predicted_state(id)));
            let state_text = i18n.text(labels::state(predicted));
            let number = l.server.as_ref().and_then(|s| s.number.clone());
            let reviews = l.server.as_ref().map(|s| s.reviews.clone()).unwrap_or_default();
            view! {
                <section class="commitment-text">
                    {if for_review {
                        view! { <h2 lang=crate::i18n::user_lang(&l.committer_name)>{l.committer_name.clone()}</h2> }.into_any()
                    } else {
                        view! { <h1 lang=crate::i18n::user_lang(&l.committer_name)>{l.committer_name.clone()}</h1> }.into_any()
                    }}
                    <p><span class="state">{state_text}</span>{number.map(|n| view! { <span class="number">" "{n}</span> })}</p>
                    <p class="category" data-testid="category">{labels::kind(l.kind, i18n.locale())}</p>
                    {(!for_review).then(|| view! { <p class="hint">{i18n.text(Text::ReadOnly)}</p> })}
                    {for_review.then(|| view! { <Guidance kind=l.kind/> })}
                    {(!l.draft.needs_summary.is_empty()).then(|| view! {
                        <h2>{i18n.text(Text::NeedsSummary)}</h2>
                        <p lang=crate::i18n::user_lang(&l.draft.needs_summary)>{l.draft.needs_summary.clone()}</p>
                    })}
                    <h2>{i18n.text(Text::Items)}</h2>
                    <ol class="items">
                        {l.draft.items.iter().map(|item| view! {
                            <li>
                                <p><strong lang=crate::i18n::user_lang(&item.content)>{item.content.clone()}</strong></p>
                                <p>{i18n.text(Text::Measures)}": "<span lang=crate::i18n::user_lang(&item.measures)>{item.measures.clone()}</span></p>
                                <p>{i18n.text(Text::Deadline)}": "{item.deadline.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                    {(!reviews.is_empty()).then(|| view! {
                        <h2>{i18n.text(Text::Reviews)}</h2>
                        <ul class="history">
                            {reviews.into_iter().map(|r| view! {
                                <li>{crate::time::minute(r.at)}" · "
                                    {i18n.text(match r.decision { chengnuo_domain::review::ReviewDecision::Approve => Text::Approve, _ => Text::Return })}
                                    {r.guidance.map(|g| format!(" · {g}"))}
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                </section>
            }
        })}
        // Outside the text, so a sync redraws neither: the ledger's forms keep what is typed.
        {(!for_review).then(|| {
            let published = move || state.workspace.with(|w| {
                w.as_ref().is_some_and(|w| w.replica.predicted_state(id) == chengnuo_domain::workflow::CommitmentState::Published)
            });
            view! {
                <Show when=published>
                    <crate::on_demand::FulfilmentPart id=id/>
                </Show>
            }
        })}
        // Outside the text: the dates typed into the publication form stay while syncs come and go.
        {(!for_review).then(|| view! {
            <Withdraw id=id/>
            <Show when=move || state.workspace.with(|w| w.as_ref().is_some_and(|w| crate::components::sign_and_publish::due(w, id)))>
                <crate::on_demand::PublicationPart id=id/>
            </Show>
        })}
        {move || state.workspace.with(|w| w.as_ref().is_some_and(|w| w.replica.pending(id) > 0)).then(|| view! {
            <p class="hint" role="status">{i18n.text(Text::StepQueued)}</p>
        })}
        <SetAsideHistory id=id/>
    }
}

/// What the person must know about this device's changes to it: a change
/// the server refused (why, in words), steps not taken because the
/// commitment changed elsewhere first.
#[component]
fn Notices(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let notices = move || {
        state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.replica.get(id))
                .map(|l| (l.refused.clone(), l.not_taken.clone()))
        })
    };
    let too_long = move || {
        state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.replica.get(id))
                .is_some_and(|l| l.dirty && l.draft.check_limits().is_err())
        })
    };
    view! {
        {move || too_long().then(|| view! {
            <p class="problem" role="alert" data-testid="too-long">{i18n.text(Text::TooLongToSync)}</p>
        })}
        {move || notices().map(|(refused, not_taken)| {
            let refused = refused.filter(|r| !matches!(r, Refusal::Invalid(_)));
            let shown = refused.is_some() || !not_taken.is_empty();
            shown.then(|| view! {
                <div class="problem" role="alert" data-testid="notice">
                    {refused.map(|r| view! { <p>{i18n.text(Text::Refused)}{r.text(i18n.locale())}</p> })}
                    {not_taken.into_iter().map(|step| view! {
                        <p>{i18n.text(Text::StepNotTaken).replace("{step}", i18n.text(step_text(step)))}</p>
                    }).collect_view()}
                    <button type="button" class="button small" on:click=move |_| state.change_replica(|r| r.dismiss(id))>
                        {i18n.text(Text::Understood)}
                    </button>
                </div>
            })
        })}
    }
}

fn step_text(step: Step) -> Text {
    match step {
        Step::Submit => Text::Submit,
        Step::Withdraw => Text::Withdraw,
        Step::Review => Text::Reviews,
        Step::Sign => Text::Sign,
        Step::Publish => Text::Publish,
    }
}

/// Takes back a submission nobody has reviewed yet (offline too), to edit it again.
#[component]
fn Withdraw(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let allowed = move || {
        state
            .workspace
            .with(|w| w.as_ref().is_some_and(|w| w.may(Action::Withdraw, id)))
    };
    view! {
        <Show when=allowed>
            <div class="card step">
                <p class="hint">{move || i18n.text(Text::WithdrawHint)}</p>
                <button type="button" class="button" on:click=move |_| state.queue(id, Change::Withdraw)>
                    {move || i18n.text(Text::Withdraw)}
                </button>
            </div>
        </Show>
    }
}

/// The versions set aside while merging, read from the server when online.
#[component]
fn SetAsideHistory(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    // Read once, by a task rather than a `LocalResource` (whose machinery,
    // compiled for this one type, was 7 KB of the first load); a screen left
    // meanwhile takes nothing.
    let versions = RwSignal::new(Vec::new());
    let language = i18n.locale_untracked().tag();
    leptos::task::spawn_local(async move {
        if let Ok(found) = crate::api::set_aside(id, language).await {
            let _ = versions.try_set(found);
        }
    });
    move || {
        let versions = versions.get();
        (!versions.is_empty()).then(|| {
            view! { <crate::components::set_aside::SetAsideVersions versions=versions/> }
        })
    }
}

/// Once the screen is redrawn, focuses the first of these elements that
/// exists and is enabled (after moving, removing or adding an item).
fn focus_later(ids: Vec<String>) {
    set_timeout(
        move || {
            use wasm_bindgen::JsCast;
            let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            for id in &ids {
                let element = document
                    .get_element_by_id(id)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(element) = element {
                    if !element.has_attribute("disabled") {
                        let _ = element.focus();
                        return;
                    }
                }
            }
        },
        std::time::Duration::from_millis(30),
    );
}
