//! The review screen: the commitment, the plan's guidance for its category,
//! the five criteria, the "neither too high nor too low" reminder, guidance;
//! approve or return. Decisions queue offline like any other change.

use crate::components::field_errors::FieldErrors;
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::pages::commitment::CommitmentText;
use crate::router::use_params_map;
use crate::state::use_state;
use chengnuo_domain::ids::{CommitmentId, PersonId};
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::permission::Action;
use chengnuo_domain::review::{Criteria, ReviewDecision, ReviewDraft};
use chengnuo_domain::sync::Change;
use leptos::prelude::*;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<CommitmentId>().ok()));
    let local = move || {
        id().and_then(|id| {
            state
                .workspace
                .with(|w| w.as_ref().and_then(|w| w.replica.get(id).cloned()))
        })
    };
    let may_review = move || {
        id().is_some_and(|id| {
            state
                .workspace
                .with(|w| w.as_ref().is_some_and(|w| w.may(Action::Review, id)))
        })
    };
    crate::i18n::screen_title(move |i18n| {
        let name = local().map(|l| l.committer_name).unwrap_or_default();
        format!("{} · {name}", i18n.text(Words::ReviewHeading))
    });
    let criteria = RwSignal::new(Criteria::default());
    let (guidance, set_guidance) = signal(String::new());
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (queued, set_queued) = signal(false);
    let decide = move |decision: ReviewDecision| {
        let Some(id) = id() else { return };
        let draft = ReviewDraft {
            criteria: criteria.get_untracked(),
            decision,
            guidance: guidance.get_untracked(),
        };
        // The same rule the server applies; the reviewer and time are the server's.
        match draft.parse(PersonId::new(), chrono::Utc::now()) {
            Ok(_) => {
                set_errors.set(ValidationErrors::default());
                state.queue(id, Change::Review { review: draft });
                set_queued.set(true);
            }
            Err(refused) => set_errors.set(refused),
        }
    };
    let criterion = move |key: &'static str,
                          text: Words,
                          get: fn(&Criteria) -> bool,
                          set: fn(&mut Criteria, bool)| {
        let dom = format!("criterion-{key}");
        let label_for = dom.clone();
        view! {
            <label class="check" for=label_for>
                <input id=dom type="checkbox" prop:checked=move || criteria.with(get)
                    on:change=move |e| { let v = event_target_checked(&e); criteria.update(|c| set(c, v)) }/>
                {move || i18n.text(text)}
            </label>
        }
    };
    view! {
        <a href=Page::Home.path() class="back">{move || i18n.text(Text::Back)}</a>
        <h1>{move || i18n.text(Words::ReviewHeading)}</h1>
        {move || local().and_then(|l| l.stale_review.map(|_| view! { <p class="problem" role="alert" data-testid="stale">{i18n.text(Words::StaleReview)}</p> }))}
        {move || id().map(|id| view! { <CommitmentText id=id for_review=true/> })}
        <Show when=may_review>
            <form class="form wide review" on:submit=|e| e.prevent_default()>
                <fieldset>
                    <legend>{move || i18n.text(Words::CriteriaLegend)}</legend>
                    {criterion("vanguard", Words::CriterionVanguard, |c| c.vanguard, |c, v| c.vanguard = v)}
                    {criterion("centred", Words::CriterionCentred, |c| c.centred_on_work, |c, v| c.centred_on_work = v)}
                    {criterion("post", Words::CriterionPost, |c| c.fits_post, |c, v| c.fits_post = v)}
                    {criterion("wishes", Words::CriterionWishes, |c| c.matches_wishes, |c, v| c.matches_wishes = v)}
                    {criterion("feasible", Words::CriterionFeasible, |c| c.feasible, |c, v| c.feasible = v)}
                    <FieldErrors errors=errors field="criteria".to_owned()/>
                </fieldset>
                <p class="hint">{move || i18n.text(Words::Balance)}</p>
                <label for="guidance">{move || i18n.text(Words::GuidanceLabel)}</label>
                <textarea id="guidance" rows="3" prop:value=guidance on:input=move |e| set_guidance.set(event_target_value(&e))></textarea>
                <FieldErrors errors=errors field="guidance".to_owned()/>
                <div class="actions">
                    <button type="button" class="button primary" on:click=move |_| decide(ReviewDecision::Approve)>{move || i18n.text(Text::Approve)}</button>
                    <button type="button" class="button" on:click=move |_| decide(ReviewDecision::Return)>{move || i18n.text(Text::Return)}</button>
                </div>
            </form>
        </Show>
        {move || queued.get().then(|| view! { <p class="hint" role="status">{i18n.text(Words::ReviewQueued)}</p> })}
    }
}

crate::i18n::texts! {
    Words;
    ReviewHeading => "审核公开承诺书", "Review a public commitment";
    CriteriaLegend => "审核要点（五项全部符合才能通过）", "Criteria (all five needed to approve)";
    CriterionVanguard => "体现先进性要求", "Reflects the vanguard standard";
    CriterionCentred => "以正在干的事情为中心", "Centred on the work in hand";
    CriterionPost => "体现岗位、职责特点", "Fits the post and its duties";
    CriterionWishes => "符合师生意愿", "Matches teachers' and students' wishes";
    CriterionFeasible => "切实可行", "Feasible";
    Balance => "既防止承诺标准过高过泛、难以兑现，又防止标准过低、等同一般性要求。", "Neither so high it cannot be kept, nor so low it is ordinary duty.";
    GuidanceLabel => "指导意见（退回时必填）", "Guidance (required to return)";
    ReviewQueued => "审核意见已记录；联网后送达。", "Decision recorded; it reaches the server when online.";
    StaleReview => "您审核时，这份承诺书已被修改，您的审核未被采用。请查看最新内容后重新审核。", "The commitment changed while you reviewed it; your decision was not applied. Look at the latest text and review again.";
}
