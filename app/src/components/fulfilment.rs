//! 兑现情况 on a published commitment, item by item: its state (or overdue,
//! or returned with the reason), its ledger (台账) newest first, and what the
//! person may do: the committer records progress and claims the item done
//! (申请销号); the unit that approved it crosses it off (销号) or returns the
//! claim with a reason. Everything is queued in the outbox like drafts, so it
//! works offline; the ledger the server gave is kept on the device.

use crate::components::evidence::EvidenceList;
use crate::components::field_errors::FieldErrors;
use crate::components::typed::Typed;
use crate::i18n::{use_i18n, Text};
use crate::state::use_state;
use chengnuo_domain::dossier::ItemFulfilment;
use chengnuo_domain::evidence::Evidence;
use chengnuo_domain::ids::{CommitmentId, ItemId, OperationId};
use chengnuo_domain::ledger::{PlanStepDraft, ProgressDraft};
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::permission::Action;
use chengnuo_domain::sync::Change;
use chengnuo_domain::workflow::{ItemState, ItemStatus, ItemStep};
use leptos::prelude::*;

#[component]
pub fn Fulfilment(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    // The server's ledger, fetched when online and again when this
    // commitment's queued work has gone through; kept for offline.
    // A memo: the fetch below changes the workspace, which must not fetch again.
    let waiting = Memo::new(move |_| {
        state
            .workspace
            .with(|w| w.as_ref().map_or(0, |w| w.replica.pending(id)))
    });
    Effect::new(move |_| {
        if state.online.get() && waiting.get() == 0 {
            fetch_ledger(id);
        }
    });
    let items = Memo::new(move |_| {
        state.workspace.with(|w| {
            w.as_ref()
                .map(|w| w.replica.predicted_fulfilment(id))
                .unwrap_or_default()
        })
    });
    view! {
        <crate::components::self_check::SelfCheckSection id=id/>
        <crate::components::evaluation::EvaluationSection id=id/>
        <section class="fulfilment" data-testid="fulfilment">
            <h2>{move || i18n.text(Words::FulfilmentHeading)}</h2>
            <ol class="fulfilment-items">
                <For each=move || items.get() key=|f| (f.item, f.state, f.returned.clone(), f.plan.clone()) let:fulfilment>
                    <FulfilmentItem id=id fulfilment=fulfilment/>
                </For>
            </ol>
        </section>
        <crate::components::practices::Practices id=id/>
        <History id=id/>
    }
}

/// The commitment's own history (who did what, when), for those who may see
/// it: fetched when opened, online only.
#[component]
fn History(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let may = state
        .workspace
        .with_untracked(|w| w.as_ref().is_some_and(|w| w.may(Action::ViewAudit, id)));
    let opened = RwSignal::new(false);
    let entries = LocalResource::new(move || {
        let open = opened.get();
        let language = i18n.locale_untracked().tag();
        async move {
            if open {
                crate::api::commitment_history(id, language).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    may.then(|| {
        view! {
            <details class="history" data-testid="history" on:toggle=move |_| opened.set(true)>
                <summary>{move || i18n.text(Words::HistoryHeading)}</summary>
                {move || entries.get().map(|result| match result {
                    Ok(Some(list)) => view! {
                        <ol>
                            {list.into_iter().map(|e| view! {
                                <li data-testid="history-entry">
                                    {format!("{} · {} · {}", e.at.chars().take(10).collect::<String>(), e.actor_name.unwrap_or_default(),
                                        if e.words.is_empty() { e.action } else { e.words })}
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
                })}
            </details>
        }
    })
}

/// Fetches a commitment's ledger from the server and keeps it on the device.
pub fn fetch_ledger(id: CommitmentId) {
    let state = use_state();
    let language = use_i18n().locale_untracked().tag();
    leptos::task::spawn_local(async move {
        if let Ok(ledger) = crate::api::ledger(id, language).await {
            let known = state.workspace.with_untracked(|w| {
                w.as_ref()
                    .is_some_and(|w| w.ledgers.get(&id) == Some(&ledger.entries))
            });
            if !known {
                state.update(|w| {
                    w.ledgers.insert(id, ledger.entries);
                });
            }
        }
    });
}

pub fn status_text(status: ItemStatus, i18n: crate::i18n::I18n) -> &'static str {
    match status {
        ItemStatus::Open => i18n.text(Words::ItemInProgress),
        ItemStatus::ClaimedDone => i18n.text(Words::ItemClaimed),
        ItemStatus::CrossedOff => i18n.text(Words::ItemCrossedOff),
        ItemStatus::Overdue => i18n.text(Text::TodoOverdue),
    }
}

/// A ledger entry as listed: waiting on this device, or kept by the server.
#[derive(Clone, PartialEq)]
struct Line {
    day: String,
    text: String,
    files: Vec<Evidence>,
    public: bool,
    waiting: bool,
}

/// The files chosen in a form (kept as JSON beside the typed text).
fn files_of(json: &str) -> Vec<Evidence> {
    crate::json::from_str(json).unwrap_or_default()
}

/// One item: its state, its ledger, and what the person may do with it.
#[component]
pub fn FulfilmentItem(id: CommitmentId, fulfilment: ItemFulfilment) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let item = fulfilment.item;
    let today = crate::time::today();
    let status = fulfilment.state.status_on(fulfilment.deadline, today);
    let content = state.workspace.with_untracked(|w| {
        w.as_ref()
            .and_then(|w| w.replica.get(id))
            .and_then(|c| c.draft.items.iter().find(|i| i.id == item))
            .map(|i| i.content.clone())
            .unwrap_or_default()
    });
    let may = move |action: Action| {
        state
            .workspace
            .with(|w| w.as_ref().is_some_and(|w| w.may(action, id)))
    };
    let step_waiting = move || {
        state.workspace.with(|w| {
            w.as_ref().is_some_and(|w| {
                w.replica.outbox.iter().any(|o| {
                    o.commitment == id
                        && matches!(o.change, Change::StepItem { item: i, .. } if i == item)
                })
            })
        })
    };
    // Newest first: what waits on this device, then what the server keeps.
    // A memo: the list (and its thumbnails) is drawn again only when it
    // changes, not at every change of the workspace.
    let entries = Memo::new(move |_| {
        state.workspace.with(|w| {
            let Some(w) = w.as_ref() else {
                return Vec::new();
            };
            let mut lines: Vec<Line> = w
                .replica
                .waiting_progress(id)
                .into_iter()
                .filter(|e| e.item == Some(item))
                .map(|e| Line {
                    day: e.date.clone(),
                    text: e.text.clone(),
                    files: e.evidence.clone(),
                    public: e.public,
                    waiting: true,
                })
                .collect();
            lines.reverse();
            let mut kept: Vec<Line> = w
                .ledgers
                .get(&id)
                .map(|list| {
                    list.iter()
                        .filter(|l| l.item == item)
                        .map(|l| Line {
                            day: l.date.to_string(),
                            text: l.text.clone(),
                            files: l.evidence.clone(),
                            public: l.public,
                            waiting: false,
                        })
                        .collect()
                })
                .unwrap_or_default();
            kept.sort_by(|a, b| b.day.cmp(&a.day));
            lines.extend(kept);
            lines
        })
    });
    let known = move || {
        state
            .workspace
            .with(|w| w.as_ref().is_some_and(|w| w.ledgers.contains_key(&id)))
    };
    let field = |name: &str| format!("{name}-{item}");
    let date_id = field("progress-date");
    let text_id = field("progress-text");
    let files_id = field("progress-files");
    let summary_id = field("claim-summary");
    let reason_id = field("return-reason");
    let date = Typed::new(item, "progress-date", today.to_string());
    let text = Typed::new(item, "progress-text", String::new());
    let chosen = Typed::new(item, crate::state::CHOSEN_FILES, String::new());
    let public = Typed::new(item, "progress-public", String::new());
    let summary = Typed::new(item, "claim-summary", String::new());
    let reason = Typed::new(item, "return-reason", String::new());
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (record_date, record_text) = (date.clone(), text.clone());
    let (record_chosen, record_public) = (chosen.clone(), public.clone());
    let record = move |_| {
        let (date, text) = (&record_date, &record_text);
        let draft = ProgressDraft {
            item: Some(item),
            date: date.get_untracked(),
            text: text.get_untracked(),
            evidence: files_of(&record_chosen.get_untracked()),
            public: !record_public.get_untracked().is_empty(),
        };
        // The server's rule first: a date within the cycle and not ahead, a text.
        let checked = state.workspace.with_untracked(|w| {
            let w = w.as_ref()?;
            let window = w.cycle.as_ref()?.calendar.fulfilment();
            let items: Vec<ItemId> = w
                .replica
                .predicted_fulfilment(id)
                .iter()
                .map(|f| f.item)
                .collect();
            Some(draft.parse(&items, w.me.id(), crate::time::today(), window))
        });
        if let Some(Err(refused)) = checked {
            set_errors.set(refused);
            return;
        }
        set_errors.set(ValidationErrors::default());
        state.queue_fulfilment(id, Change::RecordProgress { entry: draft });
        text.clear();
        date.clear();
        record_chosen.clear();
        record_public.clear();
    };
    let (step_summary, step_reason) = (summary.clone(), reason.clone());
    let step = move |step: ItemStep| {
        let (summary, reason) = (&step_summary, &step_reason);
        let why = match step {
            ItemStep::Claim => summary.get_untracked(),
            ItemStep::RejectClaim => reason.get_untracked(),
            ItemStep::CrossOff => String::new(),
        };
        if step == ItemStep::RejectClaim && why.trim().is_empty() {
            let mut refused = ValidationErrors::default();
            refused.push("reason", chengnuo_domain::messages::Message::ReasonRequired);
            set_errors.set(refused);
            return;
        }
        set_errors.set(ValidationErrors::default());
        state.queue_fulfilment(
            id,
            Change::StepItem {
                item,
                step,
                reason: why,
            },
        );
    };
    // Memos: a form is drawn again only when the person's right to it
    // changes, not at every change of the workspace (typing is one: a form
    // drawn again at each keystroke would lose the cursor).
    let open = fulfilment.state == ItemState::Open;
    let claimed = fulfilment.state == ItemState::ClaimedDone;
    let may_record = Memo::new(move |_| open && may(Action::RecordProgress));
    let may_claim = Memo::new(move |_| open && may(Action::ClaimDone));
    let may_decide = Memo::new(move |_| claimed && may(Action::CrossOff));
    let heading = content.clone();
    let (step_claim, step_decide) = (step.clone(), step);
    view! {
        <li class="fulfilment-item" class:overdue=status == ItemStatus::Overdue data-testid="fulfilment-item">
            <p><strong lang=crate::i18n::user_lang(&heading)>{heading.clone()}</strong></p>
            <p>
                <span class="badge" class:ok=status == ItemStatus::CrossedOff class:waiting=status == ItemStatus::ClaimedDone
                    class:conflict=status == ItemStatus::Overdue data-testid="item-status">
                    {move || status_text(status, i18n)}
                </span>
                {move || step_waiting().then(|| view! { <span class="badge waiting">{i18n.text(Text::StatusWaiting)}</span> })}
                {move || i18n.text(Text::Deadline)}": "{fulfilment.deadline.to_string()}
                {fulfilment.crossed_off_on.map(|on| view! {
                    " · "{move || i18n.text(Text::CrossedOffOn)}" "{on.to_string()}
                })}
            </p>
            {fulfilment.returned.clone().map(|why| view! {
                <p class="problem" data-testid="item-returned">{move || i18n.text(Words::ItemReturned)}<span lang=crate::i18n::user_lang(&why)>{why.clone()}</span></p>
            })}
            <RefusedWork id=id item=item/>
            <Plan id=id fulfilment=fulfilment.clone()/>
            <h3>{move || i18n.text(Words::LedgerHeading)}</h3>
            {move || {
                let lines = entries.get();
                if lines.is_empty() {
                    return view! { <p class="hint">{i18n.text(if known() { Words::LedgerEmpty } else { Words::LedgerNeedsConnection })}</p> }.into_any();
                }
                view! {
                    <ul class="ledger">
                        {lines.into_iter().map(|line| view! {
                            <li data-testid="ledger-entry">
                                <span class="day">{line.day.clone()}</span>" "
                                <span lang=crate::i18n::user_lang(&line.text)>{line.text.clone()}</span>
                                {line.public.then(|| view! { " "<span class="badge ok">{i18n.text(Words::EntryPublic)}</span> })}
                                {line.waiting.then(|| view! { " "<span class="badge waiting">{i18n.text(Text::StatusWaiting)}</span> })}
                                <EvidenceList commitment=id files=line.files.clone() on_device=line.waiting/>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {move || may_record.get().then(|| {
                let (date_id, text_id, files_id) = (date_id.clone(), text_id.clone(), files_id.clone());
                let record = record.clone();
                let (chosen_files, public_box) = (chosen.clone(), public.clone());
                view! {
                    <div class="record-progress">
                        <label for=date_id.clone()>{i18n.text(Words::ProgressDate)}</label>
                        <input id=date_id.clone() type="date" prop:value=date.value() on:input=date.input()/>
                        <FieldErrors errors=errors field="date".to_owned()/>
                        <label for=text_id.clone()>{i18n.text(Words::ProgressWhat)}</label>
                        <textarea id=text_id.clone() rows="2" prop:value=text.value() on:input=text.input()></textarea>
                        <FieldErrors errors=errors field="text".to_owned()/>
                        <crate::components::evidence::EvidencePicker commitment=id key=chosen_files.key() input_id=files_id.clone() errors=errors set_errors=set_errors/>
                        <label class="checkbox">
                            <input type="checkbox" prop:checked={let p = public_box.clone(); move || !p.get().is_empty()}
                                on:change={let p = public_box.clone(); move |e| p.set(if event_target_checked(&e) { "1".into() } else { String::new() })}/>
                            {i18n.text(Words::EntryMakePublic)}
                        </label>
                        <button type="button" class="button" on:click=record>{i18n.text(Words::RecordProgress)}</button>
                    </div>
                }
            })}
            {move || may_claim.get().then(|| {
                let summary_id = summary_id.clone();
                let step = step_claim.clone();
                view! {
                    <div class="claim">
                        <label for=summary_id.clone()>{i18n.text(Words::ClaimSummary)}</label>
                        <input id=summary_id.clone() type="text" prop:value=summary.value() on:input=summary.input()/>
                        <button type="button" class="button primary" on:click=move |_| step(ItemStep::Claim)>{i18n.text(Words::ClaimDone)}</button>
                    </div>
                }
            })}
            {move || may_decide.get().then(|| {
                let reason_id = reason_id.clone();
                let (cross, give_back) = (step_decide.clone(), step_decide.clone());
                view! {
                    <div class="decide-claim">
                        <button type="button" class="button primary" on:click=move |_| cross(ItemStep::CrossOff)>{i18n.text(Words::CrossOffItem)}</button>
                        <label for=reason_id.clone()>{i18n.text(Words::ReturnReason)}</label>
                        <textarea id=reason_id.clone() rows="2" prop:value=reason.value() on:input=reason.input()></textarea>
                        <FieldErrors errors=errors field="reason".to_owned()/>
                        <button type="button" class="button" on:click=move |_| give_back(ItemStep::RejectClaim)>{i18n.text(Words::ReturnClaim)}</button>
                    </div>
                }
            })}
        </li>
    }
}

/// Work on this item the server refused (a ledger entry dated after the
/// school's today, a decision on a claim that had changed): kept on the
/// device with the reason, nothing of it lost. An entry or a plan step is
/// put back into its form to be fixed and sent again; a step is dismissed
/// once read (the buttons above take it again).
#[component]
fn RefusedWork(id: CommitmentId, item: ItemId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let refused = Memo::new(move |_| state.refused_where(id, |r| r.item() == Some(item)));
    // Into the form: appended to what is already typed there, never over it.
    let put_back = move |operation: OperationId| {
        state.update(|w| {
            let Some(work) = w.replica.take_refused(id, operation) else {
                return;
            };
            let mut fill = |field: &str, value: String, join: bool| {
                let slot = w.typing.entry(format!("{item}:{field}")).or_default();
                if slot.trim().is_empty() || !join {
                    *slot = value;
                } else if !value.trim().is_empty() {
                    slot.push('\n');
                    slot.push_str(&value);
                }
            };
            match work.change {
                Change::RecordProgress { entry } => {
                    fill("progress-date", entry.date, false);
                    fill("progress-text", entry.text, true);
                    // Its files, except one refused for what it is.
                    let key = format!("{item}:{}", crate::state::CHOSEN_FILES);
                    let mut files = files_of(w.typing.get(&key).map_or("", |s| s.as_str()));
                    for file in entry.evidence {
                        let refused = work.file.as_ref() == Some(&file.hash);
                        if !refused && !files.iter().any(|f| f.hash == file.hash) {
                            files.push(file);
                        }
                    }
                    if entry.public {
                        w.typing
                            .insert(format!("{item}:progress-public"), "1".into());
                    }
                    w.typing
                        .insert(key, crate::json::to_string(&files).unwrap_or_default());
                }
                Change::EditPlan { add, .. } => {
                    if let Some(step) = add.into_iter().next() {
                        fill("plan-date", step.date, false);
                        fill("plan-text", step.text, true);
                    }
                }
                _ => {}
            }
        });
        state.save_now();
    };
    view! {
        {move || refused.get().into_iter().map(|work| {
            let operation = work.operation;
            let reason = work.refusal.text(i18n.locale());
            let (what, text, fixable) = match &work.change {
                Change::RecordProgress { entry } => (Words::RefusedEntry, format!("{} {}", entry.date, entry.text), true),
                Change::EditPlan { add, remove, .. } => {
                    let steps: Vec<String> = add.iter().map(|s| format!("{} {}", s.date, s.text))
                        .chain(remove.iter().map(|s| format!("− {} {}", s.date, s.text))).collect();
                    (Words::RefusedPlan, steps.join("；"), !add.is_empty())
                }
                Change::StepItem { step, reason, .. } => (match step {
                    ItemStep::Claim => Words::RefusedClaim,
                    ItemStep::CrossOff | ItemStep::RejectClaim => Words::RefusedDecision,
                }, reason.clone(), false),
                _ => (Words::RefusedDecision, String::new(), false),
            };
            let kept = text.clone();
            view! {
                <div class="problem refused-work" role="alert" data-testid="refused-work">
                    <p><strong>{i18n.text(what)}</strong>" "{reason}</p>
                    {(!kept.is_empty()).then(|| view! { <p class="kept-text" lang=crate::i18n::user_lang(&kept)>{kept.clone()}</p> })}
                    {if fixable {
                        view! {
                            <button type="button" class="button" on:click=move |_| put_back(operation)>{i18n.text(Words::RefusedEditAgain)}</button>
                            " "
                            <button type="button" class="link" on:click=move |_| {
                                let confirmed = web_sys::window()
                                    .and_then(|w| w.confirm_with_message(i18n.text(Words::RefusedDiscardConfirm)).ok())
                                    .unwrap_or(false);
                                if confirmed {
                                    state.change_replica(|r| { r.take_refused(id, operation); });
                                }
                            }>{i18n.text(Words::RefusedDiscard)}</button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="button" on:click=move |_| state.change_replica(|r| { r.take_refused(id, operation); })>{i18n.text(Text::RefusedDismiss)}</button>
                        }.into_any()
                    }}
                </div>
            }
        }).collect_view()}
    }
}

/// 实施计划 of one item: its dated steps, and while the item is open the
/// committer adds and removes steps (queued like every change).
#[component]
fn Plan(id: CommitmentId, fulfilment: ItemFulfilment) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let item = fulfilment.item;
    let editable = Memo::new(move |_| {
        fulfilment.state == ItemState::Open
            && state.workspace.with(|w| {
                w.as_ref()
                    .is_some_and(|w| w.may(Action::RecordProgress, id))
            })
    });
    let date_id = format!("plan-date-{item}");
    let text_id = format!("plan-text-{item}");
    let date = Typed::new(item, "plan-date", String::new());
    let text = Typed::new(item, "plan-text", String::new());
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (add_date, add_text) = (date.clone(), text.clone());
    let add = move |_| {
        let (date, text) = (&add_date, &add_text);
        let draft = PlanStepDraft {
            date: date.get_untracked(),
            text: text.get_untracked(),
        };
        let window = state.workspace.with_untracked(|w| {
            w.as_ref()
                .and_then(|w| w.cycle.as_ref().map(|c| c.calendar.fulfilment()))
        });
        if let Some(window) = window {
            if let Err(refused) = draft.parse("add[0]", window) {
                set_errors.set(refused);
                return;
            }
        }
        set_errors.set(ValidationErrors::default());
        state.queue_fulfilment(
            id,
            Change::EditPlan {
                item,
                add: vec![draft],
                remove: Vec::new(),
            },
        );
        text.clear();
        date.clear();
    };
    let steps = fulfilment.plan.clone();
    view! {
        <h3>{move || i18n.text(Words::PlanHeading)}</h3>
        {if steps.is_empty() {
            view! { <p class="hint">{move || i18n.text(Words::PlanEmpty)}</p> }.into_any()
        } else {
            view! {
                <ul class="plan" data-testid="plan">
                    {steps.into_iter().map(|step| {
                        let removed = step.clone();
                        let named = format!(" {} {}", step.date, step.text);
                        view! {
                            <li data-testid="plan-step">
                                <span class="day">{step.date.to_string()}</span>" "
                                <span lang=crate::i18n::user_lang(&step.text)>{step.text.clone()}</span>
                                {move || editable.get().then(|| {
                                    let removed = removed.clone();
                                    let named = named.clone();
                                    view! {
                                        " "<button type="button" class="link" on:click=move |_| state.queue_fulfilment(id, Change::EditPlan {
                                            item,
                                            add: Vec::new(),
                                            remove: vec![removed.clone()],
                                        })>
                                            {i18n.text(Words::PlanRemove)}
                                            <span class="visually-hidden" lang=crate::i18n::user_lang(&named)>{named.clone()}</span>
                                        </button>
                                    }
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        {move || editable.get().then(|| {
            let (date_id, text_id) = (date_id.clone(), text_id.clone());
            let add = add.clone();
            view! {
                <div class="record-progress plan-step-form">
                    <label for=date_id.clone()>{i18n.text(Words::PlanDate)}</label>
                    <input id=date_id.clone() type="date" prop:value=date.value() on:input=date.input()/>
                    <FieldErrors errors=errors field="add[0].date".to_owned()/>
                    <label for=text_id.clone()>{i18n.text(Words::PlanWhat)}</label>
                    <input id=text_id.clone() type="text" prop:value=text.value() on:input=text.input()/>
                    <FieldErrors errors=errors field="add[0].text".to_owned()/>
                    <button type="button" class="button" on:click=add>{i18n.text(Words::PlanAdd)}</button>
                </div>
            }
        })}
    }
}

crate::i18n::texts! {
    Words;
    FulfilmentHeading => "兑现情况", "Fulfilment";
    HistoryHeading => "历史记录（谁在何时做了什么）", "History (who did what, when)";
    ItemInProgress => "进行中", "In progress";
    ItemClaimed => "已申请销号，待确认", "Claimed done, waiting for confirmation";
    ItemCrossedOff => "已销号", "Crossed off";
    ItemReturned => "销号申请被退回：", "The claim was returned: ";
    LedgerHeading => "台账", "Ledger";
    PlanHeading => "实施计划", "Implementation plan";
    PlanEmpty => "还没有计划步骤。", "No step planned yet.";
    PlanDate => "计划日期", "Planned date";
    PlanWhat => "计划做什么", "What is planned";
    PlanAdd => "添加步骤", "Add the step";
    PlanRemove => "删除", "Remove";
    LedgerEmpty => "还没有记录。", "Nothing recorded yet.";
    EntryPublic => "已公开", "Public";
    EntryMakePublic => "在公示栏公开这条记录及其材料", "Show this entry and its files on the public board";
    RefusedEntry => "这条台账记录服务器未接受：", "The server did not accept this ledger entry:";
    RefusedPlan => "这次计划修改服务器未接受：", "The server did not accept this plan change:";
    RefusedClaim => "销号申请未被接受：", "The claim was not accepted:";
    RefusedDecision => "这项销号审核未被接受：", "This decision on the claim was not accepted:";
    RefusedEditAgain => "放回表单修改后重新提交", "Put back in the form to fix and send again";
    RefusedDiscard => "放弃这条", "Discard it";
    RefusedDiscardConfirm => "确定放弃？这段文字将从本设备删除。", "Discard it? This text will be removed from this device.";
    LedgerNeedsConnection => "其他记录联网后显示。", "Earlier entries show once online.";
    ProgressDate => "日期", "Date";
    ProgressWhat => "做了什么", "What was done";
    RecordProgress => "记录进展", "Record progress";
    ClaimSummary => "完成情况说明（可选）", "Summary (optional)";
    ClaimDone => "申请销号", "Claim done";
    CrossOffItem => "确认销号", "Cross off";
    ReturnReason => "退回理由", "Reason for returning";
    ReturnClaim => "退回", "Return";
}
