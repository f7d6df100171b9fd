//! Every approved form of a committee's package as one document to print
//! (or save as PDF), one A4 page per commitment.

use crate::api;
use crate::components::printable_form::{FormText, PrintableForm};
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::router::use_params_map;
use crate::state::use_state;
use chengnuo_domain::ids::OrgUnitId;
use leptos::prelude::*;

async fn forms(
    committee: OrgUnitId,
    language: &'static str,
) -> Option<Vec<chengnuo_domain::sync::Snapshot>> {
    let package = api::report(committee, language).await.ok()?;
    let mut out = Vec::new();
    for line in package.lines.iter().filter(|l| l.present) {
        if let Some(id) = line.commitment {
            out.push(api::commitment(id, language).await.ok()?);
        }
    }
    Some(out)
}

#[component]
pub fn PackageFormsPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let params = use_params_map();
    let committee =
        move || params.with(|p| p.get("id").and_then(|id| id.parse::<OrgUnitId>().ok()));
    let snapshots = LocalResource::new(move || {
        let committee = committee();
        let language = i18n.locale_untracked().tag();
        async move {
            match committee {
                Some(c) => forms(c, language).await,
                None => None,
            }
        }
    });
    crate::i18n::screen_title(|i18n| i18n.text(Words::PackageFormsHeading).to_owned());
    view! {
        <h1 class="no-print">{move || i18n.text(Words::PackageFormsHeading)}</h1>
        <div class="no-print actions">
            <a href=Page::Reports.path() class="back">{move || i18n.text(Text::Back)}</a>
            <button type="button" class="button primary" on:click=|_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.print();
                }
            }>{move || i18n.text(Text::PrintNow)}</button>
        </div>
        {move || snapshots.get().map(|found| match found {
            None => view! { <p class="problem" role="alert">{crate::api::ApiError::Offline.text(i18n)}</p> }.into_any(),
            Some(list) => list.into_iter().map(|snapshot| {
                let form = state.workspace.with_untracked(|w| {
                    FormText::of(&snapshot, |at| {
                        let unit = snapshot.ancestry.0.get(at)?;
                        w.as_ref().and_then(|w| w.unit_name(*unit))
                    })
                });
                view! { <PrintableForm form=form in_package=true/> }
            }).collect_view().into_any(),
        })}
    }
}

crate::i18n::texts! {
    Words;
    PackageFormsHeading => "报送材料：全部承诺书", "Report package: every form";
}
