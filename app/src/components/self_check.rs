//! 逐项对照检查 on the committer's phone: while a round of the year is open,
//! each item's standing (已完成 / 按计划推进 / 滞后 / 未开始) and, unless done,
//! why; checked by the domain, queued like any work (offline too), sent
//! again it replaces the first. What the server keeps is shown and fills
//! the form; what it refused stays here with the reason.

use crate::components::field_errors::FieldErrors;
use crate::i18n::{use_i18n, Text};
use crate::state::use_state;
use chengnuo_domain::evaluation::{
    parse_self_check, Round, SelfCheckDraft, SelfCheckRecord, SelfCheckStatus,
};
use chengnuo_domain::ids::{CommitmentId, ItemId, PersonId};
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::permission::Action;
use chengnuo_domain::sync::Change;
use leptos::prelude::*;

const STATUSES: [(SelfCheckStatus, Words); 4] = [
    (SelfCheckStatus::Fulfilled, Words::CheckFulfilled),
    (SelfCheckStatus::OnTrack, Words::CheckOnTrack),
    (SelfCheckStatus::Behind, Words::CheckBehind),
    (SelfCheckStatus::NotStarted, Words::CheckNotStarted),
];

fn status_key(status: SelfCheckStatus) -> &'static str {
    match status {
        SelfCheckStatus::Fulfilled => "Fulfilled",
        SelfCheckStatus::OnTrack => "OnTrack",
        SelfCheckStatus::Behind => "Behind",
        SelfCheckStatus::NotStarted => "NotStarted",
    }
}

fn status_of(key: &str) -> SelfCheckStatus {
    STATUSES
        .iter()
        .map(|(s, _)| *s)
        .find(|s| status_key(*s) == key)
        .unwrap_or(SelfCheckStatus::OnTrack)
}

// The self-checks the server keeps, in browser storage of their own (like
// the rounds, `round_cache`), read when the section shows, fetched while
// online.
fn checks_key(person: PersonId, id: CommitmentId) -> String {
    format!("chengnuo.self-checks.{person}.{id}")
}

#[component]
pub fn SelfCheckSection(id: CommitmentId) -> impl IntoView {
    let state = use_state();
    let i18n = use_i18n();
    let cache = crate::components::round_cache::RoundCache::of(id);
    let person = cache.person;
    Effect::new(move |_| {
        if state.online.get() {
            leptos::task::spawn_local(cache.refresh(i18n.locale_untracked().tag()));
        }
    });
    // The round asking now, if the person checks this commitment.
    let round = Memo::new(move |_| {
        let may = state
            .workspace
            .with(|w| w.as_ref().is_some_and(|w| w.may(Action::SelfCheck, id)));
        cache.open_today().filter(|_| may)
    });
    move || {
        round
            .get()
            .zip(person)
            .map(|(round, person)| view! { <SelfCheckForm id=id round=round person=person/> })
    }
}

#[component]
fn SelfCheckForm(id: CommitmentId, round: Round, person: PersonId) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let round_id = round.id;
    let stored: Vec<SelfCheckRecord> =
        crate::json::stored(checks_key(person, id)).unwrap_or_default();
    let server = RwSignal::new(stored);
    // The items, with their text.
    let items: Vec<(ItemId, String)> = state.workspace.with_untracked(|w| {
        let Some(w) = w.as_ref() else {
            return Vec::new();
        };
        let texts = w
            .replica
            .get(id)
            .map(|c| c.draft.items.clone())
            .unwrap_or_default();
        w.replica
            .predicted_fulfilment(id)
            .iter()
            .map(|f| {
                let text = texts
                    .iter()
                    .find(|i| i.id == f.item)
                    .map(|i| i.content.clone())
                    .unwrap_or_default();
                (f.item, text)
            })
            .collect()
    });
    let key = move |item: ItemId, field: &str| format!("{item}:selfcheck-{round_id}-{field}");
    // Typed, else what the server keeps, else "on track".
    let kept = move |item: ItemId| {
        server.with(|all| {
            all.iter()
                .find(|c| c.round == round_id && c.item == item)
                .cloned()
        })
    };
    let typed = move |item: ItemId, field: &'static str| {
        state.workspace.with(|w| {
            w.as_ref()
                .and_then(|w| w.typing.get(&key(item, field)).cloned())
        })
    };
    let status = move |item: ItemId| {
        typed(item, "status")
            .map(|k| status_of(&k))
            .or_else(|| kept(item).map(|c| c.status))
            .unwrap_or(SelfCheckStatus::OnTrack)
    };
    let explanation = move |item: ItemId| {
        typed(item, "text")
            .or_else(|| kept(item).and_then(|c| c.explanation))
            .unwrap_or_default()
    };
    let set = move |item: ItemId, field: &'static str, value: String| {
        let k = key(item, field);
        state.update(move |w| {
            w.typing.insert(k, value);
        });
    };
    let waiting = Memo::new(move |_| {
        state.workspace.with(|w| {
            w.as_ref().is_some_and(|w| {
                w.replica.outbox.iter().any(|o| {
                    o.commitment == id && matches!(&o.change, Change::SelfCheck { round, .. } if *round == round_id)
                })
            })
        })
    });
    // What the server keeps, fetched when online and again once the check
    // queued here has gone through.
    Effect::new(move |_| {
        if state.online.get() && !waiting.get() {
            let language = i18n.locale_untracked().tag();
            leptos::task::spawn_local(async move {
                if let Ok(checks) = crate::api::self_checks(id, language).await {
                    let _ = crate::json::store(checks_key(person, id), &checks);
                    // The screen may be gone meanwhile.
                    let _ = server.try_set(checks);
                }
            });
        }
    });
    let sent_at = Memo::new(move |_| {
        server.with(|all| {
            all.iter()
                .filter(|c| c.round == round_id)
                .map(|c| c.checked_at.clone())
                .max()
        })
    });
    let refused = Memo::new(move |_| {
        state
            .refused_where(id, |r| matches!(r.change, Change::SelfCheck { .. }))
            .into_iter()
            .map(|r| (r.operation, r.refusal.text(i18n.locale_untracked())))
            .collect::<Vec<_>>()
    });
    let (errors, set_errors) = signal(ValidationErrors::default());
    let item_ids: Vec<ItemId> = items.iter().map(|(i, _)| *i).collect();
    let send = move |_| {
        let checks: Vec<SelfCheckDraft> = item_ids
            .iter()
            .map(|item| SelfCheckDraft {
                item: *item,
                status: status(*item),
                explanation: explanation(*item),
            })
            .collect();
        if let Err(refused) = parse_self_check(&checks, &item_ids) {
            set_errors.set(refused);
            return;
        }
        set_errors.set(ValidationErrors::default());
        state.queue_fulfilment(
            id,
            Change::SelfCheck {
                round: round_id,
                checks,
            },
        );
    };
    let heading = match round.kind {
        chengnuo_domain::evaluation::RoundKind::Quarterly => Text::PhaseQuarterlyRound,
        chengnuo_domain::evaluation::RoundKind::Annual => Text::PhaseAnnualRound,
    };
    view! {
        <section class="card self-check" data-testid="self-check">
            <h2>{move || i18n.text(Words::SelfCheckHeading)}" · "{move || i18n.text(heading)}</h2>
            <p class="hint">{round.opens_on.to_string()}" – "{round.closes_on.to_string()}</p>
            {move || refused.get().into_iter().map(|(operation, reason)| view! {
                <div class="problem" role="alert" data-testid="refused-self-check">
                    <p>{i18n.text(Words::SelfCheckRefused)}" "{reason}</p>
                    <button type="button" class="button small" on:click=move |_| state.change_replica(|r| { r.take_refused(id, operation); })>{i18n.text(Text::RefusedDismiss)}</button>
                </div>
            }).collect_view()}
            <ol>
                {items.into_iter().enumerate().map(|(n, (item, text))| {
                    let select = format!("check-{item}");
                    let area = format!("check-text-{item}");
                    view! {
                        <li data-testid="self-check-item">
                            <p><strong lang=crate::i18n::user_lang(&text)>{text.clone()}</strong></p>
                            <label for=select.clone()>{move || i18n.text(Words::SelfCheckStanding)}</label>
                            <select id=select on:change=move |e| set(item, "status", event_target_value(&e))>
                                {STATUSES.iter().map(|(s, label)| {
                                    let s = *s;
                                    let label = *label;
                                    view! { <option value=status_key(s) selected=move || status(item) == s>{move || i18n.text(label)}</option> }
                                }).collect_view()}
                            </select>
                            <label for=area.clone()>{move || i18n.text(Words::SelfCheckWhy)}</label>
                            <textarea id=area rows="2" prop:value=move || explanation(item)
                                on:input=move |e| set(item, "text", event_target_value(&e))></textarea>
                            <FieldErrors errors=errors field=format!("checks[{n}].explanation")/>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <FieldErrors errors=errors field="checks".to_owned()/>
            <p>
                {move || waiting.get().then(|| view! { <span class="badge waiting">{i18n.text(Text::StatusWaiting)}</span>" " })}
                {move || (!waiting.get()).then(|| sent_at.get().map(|at| view! {
                    <span class="badge ok" data-testid="self-check-sent">{i18n.text(Words::SelfCheckSent)}" "{at.chars().take(10).collect::<String>()}</span>" "
                }))}
            </p>
            <button type="button" class="button primary" on:click=send>{move || i18n.text(Words::SelfCheckSend)}</button>
        </section>
    }
}

crate::i18n::texts! {
    Words;
    SelfCheckHeading => "逐项对照检查", "Item-by-item self-check";
    SelfCheckStanding => "完成情况", "Standing";
    SelfCheckWhy => "说明（未完成的须写明原因和措施）", "Explanation (required unless fulfilled)";
    SelfCheckSend => "提交自查", "Send the self-check";
    SelfCheckSent => "已提交", "Sent";
    SelfCheckRefused => "自查未被接受：", "The self-check was not accepted:";
    CheckFulfilled => "已完成", "Fulfilled";
    CheckOnTrack => "按计划推进", "On track";
    CheckBehind => "滞后", "Behind";
    CheckNotStarted => "未开始", "Not started";
}
