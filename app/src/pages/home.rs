use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use leptos::prelude::*;
use leptos_router::components::A;

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
        </section>
    }
}
