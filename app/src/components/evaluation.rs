//! 考核评议 on a commitment's page: while a round is open, the leader's score
//! (领导点评) and the parent unit's (组织考核), each with its written comment,
//! typed offline and queued like any work; once a round closes, the grade
//! and what it is made of (as far as the person may see); and the
//! rectification orders (限期整改), worked off by the committer and closed
//! or returned by the parent unit, offline too. What the server keeps is
//! stored on the device for the next time offline.

use crate::components::field_errors::FieldErrors;
use crate::i18n::{use_i18n, Text};
use crate::state::use_state;
use chengnuo_domain::evaluation::{
    AssessmentDraft, Assessor, Cap, Evaluation, Grade, MassScore, Rectification,
    RectificationState, RectificationStep, Round, RoundKind, VisibleOutcome,
};
use chengnuo_domain::ids::{CommitmentId, PersonId};
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::sync::Change;
use leptos::prelude::*;

fn evaluation_key(person: PersonId, id: CommitmentId) -> String {
    format!("chengnuo.evaluation.{person}.{id}")
}

/// The words of a grade.
pub fn grade_word(grade: Grade) -> Words {
    match grade {
        Grade::Excellent => Words::GradeExcellent,
        Grade::Competent => Words::GradeCompetent,
        Grade::BasicallyCompetent => Words::GradeBasicallyCompetent,
        Grade::NotCompetent => Words::GradeNotCompetent,
    }
}

pub fn round_word(kind: RoundKind) -> Text {
    match kind {
        RoundKind::Quarterly => Text::PhaseQuarterlyRound,
        RoundKind::Annual => Text::PhaseAnnualRound,
    }
}

#[component]
pub fn EvaluationSection(id: CommitmentId) -> impl IntoView {
    let state = use_state();
    let i18n = use_i18n();
    let cache = crate::components::round_cache::RoundCache::of(id);
    let person = cache.person;
    let evaluation: RwSignal<Option<Evaluation>> =
        RwSignal::new(person.and_then(|p| crate::json::stored(evaluation_key(p, id))));
    // A memo: the workspace changes at every sync tick, the count seldom.
    let pending = Memo::new(move |_| {
        state
            .workspace
            .with(|w| w.as_ref().map_or(0, |w| w.replica.pending(id)))
    });
    // Fetched while online, and again once this commitment's queued work
    // has gone through; set only when changed (a new value redraws the
    // forms below).
    Effect::new(move |_| {
        let Some(person) = person else {
            return;
        };
        if !state.online.get() || pending.get() > 0 {
            return;
        }
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            cache.refresh(language).await;
            if let Ok(fresh) = crate::api::evaluation(id, language).await {
                // The screen may be gone meanwhile: kept, shown if still there.
                let changed = evaluation
                    .try_with_untracked(|e| e.as_ref() != Some(&fresh))
                    .unwrap_or(true);
                if changed {
                    let _ = crate::json::store(evaluation_key(person, id), &fresh);
                    let _ = evaluation.try_set(Some(fresh));
                }
            }
        });
    });
    let open_round = Memo::new(move |_| cache.open_today());
    // Who the person scores as: a memo, so that the forms are drawn again
    // only when that changes, not at every change of the workspace (a
    // keystroke kept, a sync's answer), which replaced a form under the
    // person's hands and its message with it.
    let scores_as = Memo::new(move |_| {
        [Assessor::Leader, Assessor::Organization]
            .into_iter()
            .filter(|by| {
                state
                    .workspace
                    .with(|w| w.as_ref().is_some_and(|w| w.may(by.action(), id)))
            })
            .collect::<Vec<_>>()
    });
    let scorers = move || {
        let Some(round) = open_round.get() else {
            return Vec::new();
        };
        scores_as
            .get()
            .into_iter()
            .map(|by| view! { <AssessmentForm id=id round=round.clone() by=by evaluation=evaluation/> })
            .collect_view()
    };
    let results =
        move || evaluation.with(|e| e.as_ref().map(|e| e.results.clone()).unwrap_or_default());
    let orders = move || {
        evaluation.with(|e| {
            e.as_ref()
                .map(|e| e.rectification_orders.clone())
                .unwrap_or_default()
        })
    };
    view! {
        {scorers}
        {move || {
            let results = results();
            (!results.is_empty()).then(|| view! {
                <section class="card results" data-testid="round-results">
                    <h2>{move || i18n.text(Words::ResultsHeading)}</h2>
                    <ul class="plain">
                        {results.into_iter().map(|outcome| view! { <ResultLine outcome=outcome/> }).collect_view()}
                    </ul>
                </section>
            })
        }}
        {move || {
            let orders = orders();
            (!orders.is_empty()).then(|| view! {
                <section class="card rectification" data-testid="rectification">
                    <h2>{move || i18n.text(Words::RectificationHeading)}</h2>
                    <ol>
                        {orders.into_iter().map(|order| view! { <RectificationOrder id=id order=order/> }).collect_view()}
                    </ol>
                </section>
            })
        }}
    }
}

#[component]
fn ResultLine(outcome: VisibleOutcome) -> impl IntoView {
    let i18n = use_i18n();
    let VisibleOutcome { round, result } = outcome;
    let grade = result.grade.map(grade_word);
    let composite = result.composite.map(|c| c.to_string());
    let breakdown = result.breakdown.map(|b| {
        let mass = match b.mass {
            MassScore::Present(m) => view! { <span>{move || i18n.text(Words::MassScore)}" "{m.to_string()}</span> }.into_any(),
            MassScore::BelowQuorum { ballots, quorum } => view! {
                <span data-testid="below-quorum">{move || i18n.text(Words::MassBelowQuorum)}" "{ballots}" / "{quorum}</span>
            }.into_any(),
        };
        let caps = b.caps.iter().map(|cap| {
            let words = match cap {
                Cap::DueItemsNotCrossedOff => Words::CapDue,
                Cap::OverdueAtAnnualRound => Words::CapOverdue,
            };
            view! { <li>{move || i18n.text(words)}</li> }
        }).collect_view();
        view! {
            <p class="hint breakdown" data-testid="breakdown">
                <span>{move || i18n.text(Words::LeaderScore)}" "{b.leader.map_or("—".to_owned(), |l| l.to_string())}</span>" · "
                {mass}" · "
                <span>{move || i18n.text(Words::OrganizationScore)}" "{b.organization.map_or("—".to_owned(), |o| o.to_string())}</span>
            </p>
            <ul class="hint">{caps}</ul>
        }
    });
    view! {
        <li data-testid="round-result">
            <strong>{move || i18n.text(round_word(round.kind))}</strong>" "
            <span class="hint">{move || i18n.text(Words::AssessedOn)}" "{round.assessed_on().to_string()}</span>" "
            {move || grade.map(|g| view! { <span class="badge ok" data-testid="grade">{i18n.text(g)}</span> })}" "
            {composite.map(|c| view! { <span data-testid="composite">{c}</span> })}
            {breakdown}
        </li>
    }
}

/// A typed field of a form, kept with the workspace (offline, on reload).
fn typed_key(id: CommitmentId, what: &str) -> String {
    format!("{id}:{what}")
}

#[component]
fn AssessmentForm(
    id: CommitmentId,
    round: Round,
    by: Assessor,
    evaluation: RwSignal<Option<Evaluation>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let me = state
        .workspace
        .with_untracked(|w| w.as_ref().map(|w| w.me.id()));
    let round_id = round.id;
    let tag = match by {
        Assessor::Leader => "leader",
        Assessor::Organization => "organization",
    };
    let score_key = typed_key(id, &format!("assess-{round_id}-{tag}-score"));
    let comment_key = typed_key(id, &format!("assess-{round_id}-{tag}-comment"));
    let kept = Memo::new(move |_| {
        evaluation.with(|e| {
            e.as_ref().and_then(|e| {
                e.assessments
                    .iter()
                    .find(|a| a.round == round_id && a.by == by && Some(a.scorer) == me)
                    .cloned()
            })
        })
    });
    let typed = move |key: &String| {
        state
            .workspace
            .with(|w| w.as_ref().and_then(|w| w.typing.get(key).cloned()))
    };
    let score = {
        let key = score_key.clone();
        move || {
            typed(&key)
                .or_else(|| kept.get().map(|k| k.score.points().to_string()))
                .unwrap_or_default()
        }
    };
    let comment = {
        let key = comment_key.clone();
        move || {
            typed(&key)
                .or_else(|| kept.get().map(|k| k.comment))
                .unwrap_or_default()
        }
    };
    let set = move |key: String, value: String| {
        state.update(move |w| {
            w.typing.insert(key, value);
        })
    };
    let waiting = Memo::new(move |_| {
        state.workspace.with(|w| {
            w.as_ref().is_some_and(|w| {
                w.replica.outbox.iter().any(|o| {
                    o.commitment == id
                        && matches!(&o.change, Change::Assess { round, by: b, .. } if *round == round_id && *b == by)
                })
            })
        })
    });
    let refused = Memo::new(move |_| {
        state
            .refused_where(
                id,
                |r| matches!(&r.change, Change::Assess { by: b, .. } if *b == by),
            )
            .into_iter()
            .map(|r| (r.operation, r.refusal.text(i18n.locale_untracked())))
            .collect::<Vec<_>>()
    });
    let (errors, set_errors) = signal(ValidationErrors::default());
    let send = {
        let (score, comment) = (score.clone(), comment.clone());
        move |_| {
            let draft = AssessmentDraft {
                score: score(),
                comment: comment(),
            };
            if let Err(refused) = draft.parse() {
                set_errors.set(refused);
                return;
            }
            set_errors.set(ValidationErrors::default());
            state.queue_fulfilment(
                id,
                Change::Assess {
                    round: round_id,
                    by,
                    assessment: draft,
                },
            );
        }
    };
    let (heading, hint) = match by {
        Assessor::Leader => (Words::LeaderHeading, Words::LeaderHint),
        Assessor::Organization => (Words::OrganizationHeading, Words::OrganizationHint),
    };
    let score_id = format!("score-{tag}-{id}");
    let comment_id = format!("comment-{tag}-{id}");
    view! {
        <section class="card assessment" data-testid=format!("assess-{tag}")>
            <h2>{move || i18n.text(heading)}" · "{move || i18n.text(round_word(round.kind))}</h2>
            <p class="hint">{move || i18n.text(hint)}</p>
            {move || refused.get().into_iter().map(|(operation, reason)| view! {
                <div class="problem" role="alert" data-testid="refused-assessment">
                    <p>{i18n.text(Words::AssessmentRefused)}" "{reason}</p>
                    <button type="button" class="button small" on:click=move |_| state.change_replica(|r| { r.take_refused(id, operation); })>{i18n.text(Text::RefusedDismiss)}</button>
                </div>
            }).collect_view()}
            <label for=score_id.clone()>{move || i18n.text(Words::ScoreLabel)}</label>
            <input id=score_id type="number" inputmode="numeric" min="0" max="100" step="1" prop:value=score
                on:input={let key = score_key.clone(); move |e| set(key.clone(), event_target_value(&e))}/>
            <FieldErrors errors=errors field="score".to_owned()/>
            <label for=comment_id.clone()>{move || i18n.text(Words::CommentLabel)}</label>
            <textarea id=comment_id rows="3" prop:value=comment
                on:input={let key = comment_key.clone(); move |e| set(key.clone(), event_target_value(&e))}></textarea>
            <FieldErrors errors=errors field="comment".to_owned()/>
            <p>
                {move || waiting.get().then(|| view! { <span class="badge waiting">{i18n.text(Text::StatusWaiting)}</span>" " })}
                {move || (!waiting.get()).then(|| kept.get().map(|k| view! {
                    <span class="badge ok" data-testid="assessment-sent">{i18n.text(Words::AssessmentSent)}" "{k.score.points()}</span>
                }))}
            </p>
            <button type="button" class="button primary" on:click=send>{move || i18n.text(Words::AssessmentSend)}</button>
        </section>
    }
}

fn state_word(state: RectificationState) -> Words {
    match state {
        RectificationState::Open => Words::RectOpen,
        RectificationState::Claimed => Words::RectClaimed,
        RectificationState::Closed => Words::RectClosed,
    }
}

fn step_word(step: RectificationStep) -> Words {
    match step {
        RectificationStep::Report => Words::RectReport,
        RectificationStep::Claim => Words::RectClaim,
        RectificationStep::Close => Words::RectClose,
        RectificationStep::Return => Words::RectReturn,
    }
}

#[component]
fn RectificationOrder(id: CommitmentId, order: Rectification) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let order_id = order.id;
    let item_text = order.item.and_then(|item| {
        state.workspace.with_untracked(|w| {
            w.as_ref().and_then(|w| {
                w.replica.get(id).and_then(|c| {
                    c.draft
                        .items
                        .iter()
                        .find(|i| i.id == item)
                        .map(|i| i.content.clone())
                })
            })
        })
    });
    let overdue = order.is_overdue(crate::time::today());
    let key = typed_key(id, &format!("rectify-{order_id}"));
    let text = {
        let key = key.clone();
        move || {
            state
                .workspace
                .with(|w| w.as_ref().and_then(|w| w.typing.get(&key).cloned()))
                .unwrap_or_default()
        }
    };
    let queued = Memo::new(move |_| {
        state.workspace.with(|w| {
            w.as_ref()
                .map(|w| {
                    w.replica
                        .outbox
                        .iter()
                        .filter_map(|o| match &o.change {
                            Change::Rectify {
                                order,
                                rectify,
                                text,
                                ..
                            } if *order == order_id && o.commitment == id => {
                                Some((*rectify, text.clone()))
                            }
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let refused = Memo::new(move |_| {
        state
            .refused_where(
                id,
                |r| matches!(&r.change, Change::Rectify { order, .. } if *order == order_id),
            )
            .into_iter()
            .map(|r| (r.operation, r.refusal.text(i18n.locale_untracked())))
            .collect::<Vec<_>>()
    });
    let (errors, set_errors) = signal(ValidationErrors::default());
    let may = move |step: RectificationStep| {
        state
            .workspace
            .with(|w| w.as_ref().is_some_and(|w| w.may(step.action(), id)))
    };
    // The state the queued steps lead to, so the right buttons show offline.
    let (deadline, entries) = (order.deadline, order.entries.clone());
    let for_check = order.clone();
    let predicted = Memo::new(move |_| {
        let mut predicted = order.clone();
        for (step, text) in queued.get() {
            let _ = predicted.take(step, &text, Vec::new(), crate::time::today());
        }
        predicted.state
    });
    // The files of a report or a claim, kept with the typed text.
    let files_key = format!("{order_id}:{}", crate::state::CHOSEN_FILES);
    let take = {
        let (key, text, files_key) = (key.clone(), text.clone(), files_key.clone());
        move |step: RectificationStep| {
            let typed = text();
            let files = if matches!(step, RectificationStep::Report | RectificationStep::Claim) {
                state.workspace.with_untracked(|w| {
                    crate::components::evidence::chosen_files(
                        &w.as_ref()
                            .and_then(|w| w.typing.get(&files_key).cloned())
                            .unwrap_or_default(),
                    )
                })
            } else {
                Vec::new()
            };
            let mut check = for_check.clone();
            check.state = predicted.get_untracked();
            if let Err(refused) = check.take(step, &typed, files.clone(), crate::time::today()) {
                set_errors.set(refused);
                return;
            }
            set_errors.set(ValidationErrors::default());
            let (key, files_key) = (key.clone(), files_key.clone());
            state.update(move |w| {
                w.typing.remove(&key);
                w.typing.remove(&files_key);
            });
            state.queue_fulfilment(
                id,
                Change::Rectify {
                    order: order_id,
                    rectify: step,
                    text: typed,
                    evidence: files,
                },
            );
        }
    };
    let may_attach =
        move || predicted.get() == RectificationState::Open && may(RectificationStep::Report);
    let area = format!("rectify-{order_id}");
    let buttons = move || {
        let now = predicted.get();
        let steps: Vec<RectificationStep> = match now {
            RectificationState::Open => vec![RectificationStep::Report, RectificationStep::Claim],
            RectificationState::Claimed => {
                vec![RectificationStep::Close, RectificationStep::Return]
            }
            RectificationState::Closed => Vec::new(),
        };
        steps
            .into_iter()
            .filter(|s| may(*s))
            .map(|step| {
                let take = take.clone();
                view! {
                    <button type="button" class="button small" data-testid=format!("rectify-{step:?}")
                        on:click=move |_| take(step)>{move || i18n.text(step_word(step))}</button>" "
                }
            })
            .collect_view()
    };
    let can_act = move || {
        let now = predicted.get();
        now != RectificationState::Closed
            && [RectificationStep::Report, RectificationStep::Close]
                .into_iter()
                .any(may)
    };
    view! {
        <li data-testid="rectification-order">
            <p>
                <strong lang=item_text.as_deref().and_then(crate::i18n::user_lang)>
                    {item_text.clone().unwrap_or_else(|| i18n.text(Words::RectWhole).to_owned())}
                </strong>
            </p>
            <p class="hint">
                {move || i18n.text(Words::RectDeadline)}" "{deadline.to_string()}" "
                <span class="badge" data-testid="rectification-state">{move || i18n.text(state_word(predicted.get()))}</span>
                {overdue.then(|| view! { " "<span class="badge conflict">{i18n.text(Words::RectOverdue)}</span> })}
                {move || (!queued.get().is_empty()).then(|| view! { " "<span class="badge waiting">{i18n.text(Text::StatusWaiting)}</span> })}
            </p>
            <ul class="plain hint">
                {entries.iter().map(|e| {
                    let (step, day, text, files) = (e.step, e.day.to_string(), e.text.clone(), e.evidence.clone());
                    view! {
                        <li>
                            {day}" "{move || i18n.text(step_word(step))}" "<span lang=crate::i18n::user_lang(&text)>{text.clone()}</span>
                            <crate::components::evidence::EvidenceList commitment=id files=files on_device=false/>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || refused.get().into_iter().map(|(operation, reason)| view! {
                <div class="problem" role="alert" data-testid="refused-rectification">
                    <p>{reason}</p>
                    <button type="button" class="button small" on:click=move |_| state.change_replica(|r| { r.take_refused(id, operation); })>{i18n.text(Text::RefusedDismiss)}</button>
                </div>
            }).collect_view()}
            <Show when=can_act>
                <label for=area.clone()>{move || i18n.text(Words::RectText)}</label>
                <textarea id=area.clone() rows="2" prop:value=text.clone()
                    on:input={let key = key.clone(); move |e| {
                        let (key, value) = (key.clone(), event_target_value(&e));
                        state.update(move |w| { w.typing.insert(key, value); });
                    }}></textarea>
                <FieldErrors errors=errors field="text".to_owned()/>
                <FieldErrors errors=errors field="step".to_owned()/>
            </Show>
            <Show when=may_attach>
                <crate::components::evidence::EvidencePicker commitment=id key=files_key.clone()
                    input_id=format!("rectify-files-{order_id}") errors=errors set_errors=set_errors/>
            </Show>
            <p>{buttons}</p>
        </li>
    }
}

crate::i18n::texts! {
    Words;
    AssessedOn => "评定于", "assessed on";
    LeaderHeading => "领导点评", "Leader's comment";
    LeaderHint => "按 0–100 分打分，并写明点评意见。离线也可填写，联网后自动提交。", "Score from 0 to 100 with a written comment; works offline and is sent when online.";
    OrganizationHeading => "组织考核", "Organization's score";
    OrganizationHint => "上级党组织按 0–100 分打分，并写明考核意见。", "The parent unit scores from 0 to 100 with a comment.";
    ScoreLabel => "分数（0–100）", "Score (0–100)";
    CommentLabel => "意见", "Comment";
    AssessmentSend => "提交评分", "Send the score";
    AssessmentSent => "已提交", "Sent";
    AssessmentRefused => "评分未被接受：", "The score was not accepted:";
    ResultsHeading => "考核结果", "Results";
    LeaderScore => "领导点评", "Leaders";
    MassScore => "群众评议", "Masses";
    MassBelowQuorum => "群众评议票数不足，不计入：", "Too few ballots, not counted:";
    OrganizationScore => "组织考核", "Organization";
    CapDue => "到期事项未全部销号，不能评为优秀", "Due items not all crossed off: not Excellent";
    CapOverdue => "年度考核时有逾期事项，最高评为基本合格", "Overdue at the annual round: at most Basically competent";
    GradeExcellent => "优秀", "Excellent";
    GradeCompetent => "合格", "Competent";
    GradeBasicallyCompetent => "基本合格", "Basically competent";
    GradeNotCompetent => "不合格", "Not competent";
    RectificationHeading => "限期整改", "Rectification";
    RectWhole => "承诺整体整改（考核不合格）", "The commitment as a whole (graded Not competent)";
    RectDeadline => "整改期限", "Deadline";
    RectOpen => "整改中", "Open";
    RectClaimed => "待验收", "Claimed done";
    RectClosed => "已销号", "Closed";
    RectOverdue => "已逾期", "Overdue";
    RectText => "整改情况 / 意见", "What was done / remarks";
    RectReport => "记录进展", "Record progress";
    RectClaim => "申请销号", "Claim done";
    RectClose => "验收通过", "Close";
    RectReturn => "退回", "Return";
}
