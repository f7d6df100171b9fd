//! The ballot page (群众评议) on any phone, with no account and no install:
//! the code comes from the slip's QR code (in the address's fragment, which
//! no server sees) or is typed; the page shows the unit's published
//! commitments with their progress and asks 满意 / 基本满意 / 不满意 for
//! each; one ballot per code.

use crate::components::evaluation::round_word;
use crate::components::progress_bar::ProgressBar;
use crate::i18n::{use_i18n, Text};
use chengnuo_domain::evaluation::Ballot;
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::mass_evaluation::{parse_choices, BallotChoice, BallotPaper, CastBallot};
use leptos::prelude::*;

const CHOICES: [(Ballot, Words); 3] = [
    (Ballot::Satisfied, Words::Satisfied),
    (Ballot::FairlySatisfied, Words::FairlySatisfied),
    (Ballot::Dissatisfied, Words::Dissatisfied),
];

fn code_in_address() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

#[component]
pub fn BallotPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::BallotHeading).to_owned());
    let (code, set_code) = signal(code_in_address());
    let paper = RwSignal::new(None::<BallotPaper>);
    let (problem, set_problem) = signal(None::<String>);
    let (done, set_done) = signal(false);
    let open = move || {
        let typed = code.get_untracked();
        if typed.trim().is_empty() {
            return;
        }
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::ballot_paper(&typed, language).await {
                Ok(found) => {
                    paper.set(Some(found));
                    set_problem.set(None);
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    // A scanned slip opens its paper at once.
    Effect::new(move |_| open());
    let submit_code = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        open();
    };
    view! {
        <section class="ballot">
            <h1>{move || i18n.text(Words::BallotHeading)}</h1>
            {move || problem.get().map(|p| view! { <p class="problem" role="alert" data-testid="ballot-problem">{p}</p> })}
            <Show when=move || done.get()>
                <p class="notice" role="status" data-testid="ballot-done">{move || i18n.text(Words::Thanks)}</p>
            </Show>
            <Show when=move || paper.with(Option::is_none) && !done.get()>
                <form class="form" on:submit=submit_code>
                    <label for="ballot-code">{move || i18n.text(Words::CodeLabel)}</label>
                    <input id="ballot-code" type="text" autocomplete="off" autocapitalize="characters"
                        prop:value=code on:input=move |e| set_code.set(event_target_value(&e))/>
                    <button type="submit" class="button primary">{move || i18n.text(Words::Open)}</button>
                </form>
            </Show>
            {move || paper.get().filter(|_| !done.get()).map(|paper| view! {
                <Paper paper=paper code=code.get_untracked() on_done=Callback::new(move |_| {
                    set_done.set(true);
                    // The code is spent: forget it in the address too.
                    if let Some(w) = web_sys::window() {
                        let _ = w.history().and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&crate::page::Page::Ballot.path())));
                    }
                }) on_problem=Callback::new(move |p| set_problem.set(Some(p)))/>
            })}
        </section>
    }
}

#[component]
fn Paper(
    paper: BallotPaper,
    code: String,
    on_done: Callback<()>,
    on_problem: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let subjects: Vec<CommitmentId> = paper.subjects.iter().map(|s| s.id).collect();
    let choices = RwSignal::new(
        subjects
            .iter()
            .map(|s| BallotChoice {
                commitment: *s,
                ballot: None,
            })
            .collect::<Vec<_>>(),
    );
    let (errors, set_errors) = signal(chengnuo_domain::messages::ValidationErrors::default());
    let (busy, set_busy) = signal(false);
    let cast = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let chosen = choices.get_untracked();
        if let Err(refused) = parse_choices(&chosen, &subjects) {
            set_errors.set(refused);
            return;
        }
        set_errors.set(Default::default());
        set_busy.set(true);
        let ballot = CastBallot {
            code: code.clone(),
            choices: chosen,
        };
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            let answer = crate::api::cast_ballot(&ballot, language).await;
            set_busy.set(false);
            match answer {
                Ok(()) => on_done.run(()),
                Err(error) => on_problem.run(error.text(i18n)),
            }
        });
    };
    let round = round_word(paper.round.kind);
    view! {
        <p><strong data-testid="ballot-unit">{paper.unit_name.clone()}</strong>" · "{move || i18n.text(round)}</p>
        <p class="hint">{move || i18n.text(Words::Anonymous)}</p>
        <form on:submit=cast>
            {paper.subjects.into_iter().enumerate().map(|(n, subject)| {
                let id = subject.id;
                let name = subject.committer_name.clone();
                let promised = paper.promised.get(n).cloned().unwrap_or_default();
                view! {
                    <fieldset class="card" data-testid="ballot-subject">
                        <legend lang=crate::i18n::user_lang(&name)>{name.clone()}</legend>
                        <ol class="items" data-testid="ballot-items">
                            {promised.into_iter().map(|item| view! {
                                <li>
                                    <strong lang=crate::i18n::user_lang(&item.content)>{item.content.clone()}</strong>
                                    <p class="hint">{move || i18n.text(Text::Measures)}": "{item.measures.clone()}</p>
                                </li>
                            }).collect_view()}
                        </ol>
                        <ProgressBar fulfilment=subject.fulfilment.clone()/>
                        <p>
                            <a href=crate::page::Page::BoardEntry(id).path() target="_blank" rel="noopener">
                                {move || i18n.text(Words::ReadCommitment)}<span class="visually-hidden">" "{name.clone()}</span>
                            </a>
                        </p>
                        {CHOICES.iter().map(|(ballot, words)| {
                            let (ballot, words) = (*ballot, *words);
                            let input = format!("choice-{n}-{ballot:?}");
                            let label_for = input.clone();
                            view! {
                                <label for=label_for class="choice">
                                    <input id=input type="radio" name=format!("choice-{n}")
                                        on:change=move |_| choices.update(|all| {
                                            if let Some(c) = all.iter_mut().find(|c| c.commitment == id) {
                                                c.ballot = Some(ballot);
                                            }
                                        })/>
                                    " "{move || i18n.text(words)}
                                </label>
                            }
                        }).collect_view()}
                        <crate::components::field_errors::FieldErrors errors=errors field=format!("choices[{n}]")/>
                    </fieldset>
                }
            }).collect_view()}
            <button type="submit" class="button primary" disabled=busy>{move || i18n.text(Words::Cast)}</button>
        </form>
    }
}

crate::i18n::texts! {
    Words;
    BallotHeading => "群众评议", "Mass evaluation";
    CodeLabel => "评议码（纸条上的 10 位字母数字）", "Ballot code (the 10 letters and digits on your slip)";
    Open => "开始评议", "Open the ballot";
    Anonymous => "评议不记名：您的选择与评议码、评议时间均不关联。", "Anonymous: your choices are linked neither to the code nor to the time.";
    Satisfied => "满意", "Satisfied";
    FairlySatisfied => "基本满意", "Fairly satisfied";
    Dissatisfied => "不满意", "Dissatisfied";
    Cast => "提交评议", "Cast the ballot";
    ReadCommitment => "查看承诺书（新窗口）", "Read the commitment (new window)";
    Thanks => "评议已提交，谢谢您的参与！", "Your ballot was cast. Thank you!";
}
