//! 简报 on a published commitment's page: a secretary over it nominates a
//! crossed-off item, or an entry of its ledger, as good practice with the
//! reason; the committer sees each nomination and agrees to its publication
//! or declines (until the office prints it). Online only: a nomination and
//! an answer are sent at once, and the list is fetched when the part opens.

use crate::components::field_errors::FieldErrors;
use crate::components::typed::Typed;
use crate::i18n::use_i18n;
use crate::state::use_state;
use chengnuo_domain::bulletin::{Consent, ConsentAnswer, Nomination, NominationDraft};
use chengnuo_domain::ids::{CommitmentId, ItemId, ProgressId};
use chengnuo_domain::messages::{Message, ValidationErrors};
use chengnuo_domain::permission::Action;
use chengnuo_domain::workflow::ItemState;
use leptos::prelude::*;

/// What may be nominated: an item crossed off, or one entry of the ledger.
#[derive(Clone, PartialEq)]
struct Choice {
    item: ItemId,
    entry: Option<ProgressId>,
    label: String,
}

impl Choice {
    fn key(&self) -> String {
        match self.entry {
            Some(entry) => format!("{}:{entry}", self.item),
            None => self.item.to_string(),
        }
    }
}

#[component]
pub fn Practices(id: CommitmentId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let (may_nominate, may_consent) = state.workspace.with_untracked(|w| {
        w.as_ref().map_or((false, false), |w| {
            (
                w.may(Action::NominatePractice, id),
                w.may(Action::ConsentToPublication, id),
            )
        })
    });
    let list = RwSignal::new(None::<Result<Vec<Nomination>, String>>);
    let fetch = move || {
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            let answer = crate::api::nominations(id, language).await;
            list.set(Some(answer.map_err(|e| e.text(i18n))));
        });
    };
    if may_nominate || may_consent {
        fetch();
    }
    let choices = Memo::new(move |_| {
        state.workspace.with(|w| {
            let Some(w) = w.as_ref() else {
                return Vec::new();
            };
            let content = |item: ItemId| {
                w.replica
                    .get(id)
                    .and_then(|c| c.draft.items.iter().find(|i| i.id == item))
                    .map(|i| i.content.clone())
                    .unwrap_or_default()
            };
            let fulfilment = w.replica.predicted_fulfilment(id);
            let mut choices: Vec<Choice> = fulfilment
                .iter()
                .filter(|f| f.state == ItemState::CrossedOff)
                .map(|f| Choice {
                    item: f.item,
                    entry: None,
                    label: format!("{}{}", i18n.text(Words::ItemChoice), content(f.item)),
                })
                .collect();
            if let Some(entries) = w.ledgers.get(&id) {
                choices.extend(entries.iter().map(|e| Choice {
                    item: e.item,
                    entry: Some(e.id),
                    label: format!("{}{} {}", i18n.text(Words::EntryChoice), e.date, e.text),
                }));
            }
            choices
        })
    });
    let picked = RwSignal::new(String::new());
    // Kept in the workspace like the ledger's forms: a reload keeps it.
    let reason = StoredValue::new(Typed::keyed(
        format!("{id}:nomination-reason"),
        String::new(),
    ));
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (problem, set_problem) = signal(None::<String>);
    let nominate = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let key = picked.get_untracked();
        let choice = choices.with_untracked(|c| {
            c.iter()
                .find(|c| c.key() == key)
                .or_else(|| c.first())
                .cloned()
        });
        let mut refused = ValidationErrors::default();
        if choice.is_none() {
            refused.push("item", Message::Required);
        }
        if reason.with_value(|r| r.get_untracked()).trim().is_empty() {
            refused.push("reason", Message::Required);
        }
        let Some(choice) = choice.filter(|_| refused.is_empty()) else {
            set_errors.set(refused);
            return;
        };
        set_errors.set(ValidationErrors::default());
        let draft = NominationDraft {
            item: choice.item,
            entry: choice.entry,
            reason: reason.with_value(|r| r.get_untracked()),
        };
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::nominate(id, &draft, language).await {
                Ok(_) => {
                    reason.with_value(|r| r.clear());
                    set_problem.set(None);
                    fetch();
                }
                // The server's refusal by field (not crossed off, nominated
                // already): its sentences, in the person's language.
                Err(crate::api::ApiError::Refused { fields, .. }) if !fields.is_empty() => {
                    let sentences: Vec<String> = fields.into_iter().map(|f| f.message).collect();
                    set_problem.set(Some(sentences.join(" ")))
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    let answer = move |nomination: Nomination, give: bool| {
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::consent(nomination.id, ConsentAnswer { give }, language).await {
                Ok(_) => fetch(),
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    // The committer sees the section once something of theirs is nominated.
    let shown = move || {
        may_nominate || (may_consent && list.with(|l| matches!(l, Some(Ok(l)) if !l.is_empty())))
    };
    view! { <Show when=shown>
        <section class="practices" data-testid="practices">
            <h2>{move || i18n.text(Words::Heading)}</h2>
            {move || list.get().map(|result| match result {
                Ok(list) => view! {
                    {list.is_empty().then(|| view! { <p class="hint">{i18n.text(Words::NoneYet)}</p> })}
                    <ul class="inbox">
                        {list.into_iter().map(|n| {
                            let status = match n.consent {
                                Consent::Waiting => i18n.text(Words::Waiting),
                                Consent::Given => i18n.text(Words::Given),
                                Consent::Declined => i18n.text(Words::Declined),
                            };
                            let printed = n.bulletin.is_some();
                            let (yes, no) = (n.clone(), n.clone());
                            view! {
                                <li class="notice" data-testid="nomination">
                                    <p>{n.practice.content.clone()}</p>
                                    <p class="hint">{format!("{}{}（{}）", i18n.text(Words::ReasonShown), n.reason, n.nominated_by)}</p>
                                    <p data-testid="consent">{if printed { i18n.text(Words::Printed) } else { status }}</p>
                                    {(may_consent && !printed).then(|| view! {
                                        <div class="actions">
                                            {(n.consent != Consent::Given).then(|| view! {
                                                <button type="button" class="button primary" on:click=move |_| answer(yes.clone(), true)>{i18n.text(Words::Agree)}</button>
                                            })}
                                            {(n.consent != Consent::Declined).then(|| view! {
                                                <button type="button" class="button" on:click=move |_| answer(no.clone(), false)>{i18n.text(Words::Decline)}</button>
                                            })}
                                        </div>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(text) => view! { <p class="problem" role="alert">{text}</p> }.into_any(),
            })}
            {may_nominate.then(|| view! {
                <form class="form" on:submit=nominate data-testid="nominate-form">
                    <label for="practice-what">{move || i18n.text(Words::What)}</label>
                    <select id="practice-what" on:change=move |e| picked.set(event_target_value(&e))>
                        {move || choices.get().into_iter().map(|c| {
                            let key = c.key();
                            view! { <option value=key>{c.label}</option> }
                        }).collect_view()}
                    </select>
                    <FieldErrors errors=errors field="item".to_owned()/>
                    <FieldErrors errors=errors field="entry".to_owned()/>
                    <label for="practice-reason">{move || i18n.text(Words::Reason)}</label>
                    <textarea id="practice-reason" rows="3" prop:value=move || reason.with_value(|r| r.get())
                        on:input=move |e| reason.with_value(|r| r.set(event_target_value(&e)))></textarea>
                    <FieldErrors errors=errors field="reason".to_owned()/>
                    <button type="submit" class="button">{move || i18n.text(Words::Nominate)}</button>
                </form>
            })}
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
        </section>
    </Show> }
}

crate::i18n::texts! {
    Words;
    Heading => "好做法推荐（简报）", "Good practice (bulletins)";
    NoneYet => "还没有推荐。", "Nothing nominated yet.";
    ItemChoice => "已销号事项：", "Crossed-off item: ";
    EntryChoice => "台账记录：", "Ledger entry: ";
    What => "推荐哪一项", "What to nominate";
    Reason => "推荐理由", "Why others should learn from it";
    ReasonShown => "推荐理由：", "Why: ";
    Nominate => "推荐为好做法", "Nominate as good practice";
    Waiting => "等待承诺人同意刊登", "Waiting for the committer's consent";
    Given => "承诺人已同意刊登", "The committer agreed to publication";
    Declined => "承诺人不同意刊登", "The committer declined publication";
    Printed => "已编入简报", "Printed in a bulletin";
    Agree => "同意刊登", "Agree to publication";
    Decline => "不同意", "Decline";
}
