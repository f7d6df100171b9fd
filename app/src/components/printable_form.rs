//! The printable 公开承诺书: an A4 page laid out as the official form (the
//! print stylesheet in style/print.css hides everything else).

use crate::i18n::{use_i18n, Text};
use crate::labels;
use crate::state::Workspace;
use chengnuo_domain::commitment::{Area, CommitmentDraft, CommitterKind};
use chengnuo_domain::ids::CommitmentId;
use chengnuo_domain::review::{Review, ReviewDecision};
use chengnuo_domain::sync::Snapshot;
use chrono::NaiveDate;
use leptos::prelude::*;

/// What the form shows.
#[derive(Debug, Clone, PartialEq)]
pub struct FormText {
    pub committer_name: String,
    pub kind: CommitterKind,
    pub unit: Option<String>,
    pub number: Option<String>,
    pub draft: CommitmentDraft,
    pub reviewer: Option<String>,
    pub approved_on: Option<NaiveDate>,
}

impl FormText {
    /// The form of a commitment the server has, with the names this device
    /// knows.
    pub fn of_workspace(workspace: &Workspace, id: CommitmentId) -> Option<FormText> {
        let server = workspace.replica.get(id)?.server.as_ref()?;
        Some(FormText::of(server, |at| {
            server
                .ancestry
                .0
                .get(at)
                .and_then(|u| workspace.unit_name(*u))
        }))
    }

    /// From the server's version; `unit_name` names the units of the ancestry.
    pub fn of(snapshot: &Snapshot, unit_name: impl Fn(usize) -> Option<String>) -> FormText {
        // A member's own unit is their branch; a unit's reviewer is the unit above it.
        let reviewer_at = match snapshot.kind {
            CommitterKind::Member { .. } => 0,
            _ => 1,
        };
        FormText {
            committer_name: snapshot.committer_name.clone(),
            kind: snapshot.kind,
            unit: match snapshot.kind {
                CommitterKind::Member { .. } => unit_name(0),
                _ => unit_name(1),
            },
            number: snapshot.number.clone(),
            draft: snapshot.draft.clone(),
            reviewer: unit_name(reviewer_at),
            approved_on: approved_on(&snapshot.reviews),
        }
    }
}

fn approved_on(reviews: &[Review]) -> Option<NaiveDate> {
    reviews
        .iter()
        .rev()
        .find(|r| r.decision == ReviewDecision::Approve)
        .map(|r| r.at.date_naive())
}

#[component]
pub fn PrintableForm(
    form: FormText,
    /// One of several forms on a page (its title is then a second-level heading).
    #[prop(optional)]
    in_package: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale_untracked();
    let blank = "\u{3000}".repeat(8);
    view! {
        <article class="printable-form" data-testid="printable-form">
            {if in_package {
                view! { <h2 class="form-title">{i18n.text(Text::PrintTitle)}</h2> }.into_any()
            } else {
                view! { <h1 class="form-title">{i18n.text(Text::PrintTitle)}</h1> }.into_any()
            }}
            <table class="form-head">
                <tbody>
                    <tr><th>{i18n.text(Text::FormNumber)}</th><td data-testid="form-number">{form.number.clone().unwrap_or_default()}</td></tr>
                    <tr><th>{i18n.text(Text::FormCommitter)}</th><td>{form.committer_name.clone()}</td></tr>
                    <tr><th>{i18n.text(Text::FormCategory)}</th><td>{labels::kind(form.kind, locale)}</td></tr>
                    <tr><th>{i18n.text(Text::FormUnit)}</th><td>{form.unit.clone().unwrap_or_default()}</td></tr>
                </tbody>
            </table>
            {(!form.draft.needs_summary.is_empty()).then(|| view! {
                <h2>{i18n.text(Text::NeedsSummary)}</h2>
                <p class="form-summary">{form.draft.needs_summary.clone()}</p>
            })}
            <table class="form-items">
                <thead>
                    <tr>
                        <th>{i18n.text(Text::FormNumberColumn)}</th>
                        <th>{i18n.text(Text::Area)}</th>
                        <th>{i18n.text(Text::Content)}</th>
                        <th>{i18n.text(Text::Measures)}</th>
                        <th>{i18n.text(Text::Deadline)}</th>
                    </tr>
                </thead>
                <tbody>
                    {form.draft.items.iter().enumerate().map(|(index, item)| {
                        let area = Area::from_code(&item.area)
                            .map(|a| labels::area(a, locale).to_owned())
                            .unwrap_or_else(|| item.area.clone());
                        view! {
                            <tr>
                                <td>{index + 1}</td>
                                <td>{area}</td>
                                <td>{item.content.clone()}</td>
                                <td>{item.measures.clone()}</td>
                                <td class="nowrap">{item.deadline.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="form-review">
                <p>{i18n.text(Text::FormReviewer)}": "{form.reviewer.clone().unwrap_or_default()}</p>
                <p>{i18n.text(Text::FormReviewOpinion)}</p>
                <p>{i18n.text(Text::FormApprovedOn)}": "{form.approved_on.map(|d| d.to_string()).unwrap_or_default()}</p>
            </div>
            <div class="form-signatures">
                <p>{i18n.text(Text::FormSignature)}": "<span class="line">{blank.clone()}</span>
                    " "{i18n.text(Text::FormDate)}": "<span class="line">{blank.clone()}</span></p>
                <p>{i18n.text(Text::FormSeal)}": "<span class="line">{blank.clone()}</span>
                    " "{i18n.text(Text::FormDate)}": "<span class="line">{blank}</span></p>
            </div>
        </article>
    }
}
