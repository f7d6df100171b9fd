//! The printable 公开承诺书 of a signed commitment, from this device's copy
//! (so it prints offline too).

use crate::components::printable_form::{FormText, PrintableForm};
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::router::use_params_map;
use crate::state::use_state;
use chengnuo_domain::ids::CommitmentId;
use leptos::prelude::*;

#[component]
pub fn PrintPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<CommitmentId>().ok()));
    let form = move || {
        let id = id()?;
        state
            .workspace
            .with(|w| w.as_ref().and_then(|w| FormText::of_workspace(w, id)))
    };
    crate::i18n::screen_title(move |i18n| {
        let name = form().map(|f| f.committer_name).unwrap_or_default();
        format!("{} · {name}", i18n.text(Text::Print))
    });
    view! {
        <div class="no-print actions">
            {move || id().map(|id| view! { <a href=Page::Commitment(id).path() class="back">{move || i18n.text(Text::Back)}</a> })}
            <button type="button" class="button primary" on:click=|_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.print();
                }
            }>{move || i18n.text(Text::PrintNow)}</button>
        </div>
        {move || match form() {
            Some(form) => view! { <PrintableForm form=form/> }.into_any(),
            None => view! { <crate::pages::not_found::NotFound/> }.into_any(),
        }}
    }
}
