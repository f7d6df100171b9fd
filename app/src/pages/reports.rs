//! Report packages (报送): a committee secretary's checklist from the shared
//! rule and the submit button; the office's view of every committee, who sent
//! theirs and who is late. Online only: the package is the server's to judge.

use crate::api;
use crate::i18n::{use_i18n, Text};
use crate::labels;
use crate::page::Page;
use crate::state::use_state;
use chengnuo_domain::permission::Action;
use chengnuo_domain::report::Package;
use chengnuo_domain::report::Required;
use leptos::prelude::*;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::ReportsHeading).to_owned());
    let state = use_state();
    let (version, set_version) = signal(0u32);
    let packages = LocalResource::new(move || {
        version.track();
        api::reports(i18n.locale_untracked().tag())
    });
    view! {
        <a href=Page::Home.path() class="back">{move || i18n.text(Text::Back)}</a>
        <h1>{move || i18n.text(Words::ReportsHeading)}</h1>
        {move || packages.get().map(|result| match result {
            Ok(list) => list.into_iter().map(|package| view! {
                <PackageCard package=package on_sent=move || set_version.update(|v| *v += 1)/>
            }).collect_view().into_any(),
            Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
        })}
        <Show when=move || state.workspace.with(|w| w.as_ref().is_some_and(|w| w.may_for_some_committee(Action::SubmitReport)))>
            <crate::components::archive::Archive/>
        </Show>
    }
}

#[component]
fn PackageCard(
    package: Package,
    on_sent: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let committee = package.committee;
    let may_submit = state.workspace.with_untracked(|w| {
        w.as_ref()
            .is_some_and(|w| w.may_for_unit(Action::SubmitReport, committee))
    });
    let (problem, set_problem) = signal(None::<String>);
    let (sent, set_sent) = signal(false);
    let submit = move |_| {
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match api::submit_report(committee, language).await {
                Ok(_) => {
                    set_problem.set(None);
                    set_sent.set(true);
                    on_sent();
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    let status = package.status.clone();
    view! {
        <section class="card package" data-testid="package">
            <h2>{package.committee_name.clone()}</h2>
            <p class="calendar">
                {i18n.text(Text::ReportDeadline)}": "{status.deadline.to_string()}" · "
                {match status.submitted_on {
                    Some(day) => format!("{} {}{}", i18n.text(Words::SubmittedOn), day, package.submitted_by.clone().map(|n| format!(" · {n}")).unwrap_or_default()),
                    None => i18n.text(Words::NotSubmitted).to_owned(),
                }}
                {status.late.then(|| view! { " "<span class="badge conflict" data-testid="late">{i18n.text(Text::Late)}</span> })}
            </p>
            <table class="checklist">
                <tbody>
                    {package.lines.iter().map(|line| {
                        let kind = match line.required {
                            Required::Own(_) => Words::OwnCommitment,
                            Required::Branch(_) => Words::BranchCommitment,
                            Required::Cadre(_) => Words::CadreCommitment,
                        };
                        let state_text = line.state.map(|s| i18n.text(labels::state(s)).to_owned()).unwrap_or_else(|| "—".to_owned());
                        view! {
                            <tr class=if line.present { "present" } else { "missing" }>
                                <td>{i18n.text(kind)}</td>
                                <td>{line.committer_name.clone()}</td>
                                <td>{state_text}</td>
                                <td>{i18n.text(if line.present { Words::PresentLabel } else { Words::MissingLabel })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="actions">
                {(may_submit && status.submitted_on.is_none()).then(|| view! {
                    <button type="button" class="button primary" on:click=submit>{i18n.text(Words::SubmitPackage)}</button>
                })}
                <a class="button" href=api::workbook_url(committee, package.cycle) download="">{i18n.text(Words::Workbook)}</a>
                <a href=Page::PackageForms(committee).path() class="button">{i18n.text(Words::PrintForms)}</a>
            </div>
            {move || sent.get().then(|| view! { <p class="hint" role="status">{i18n.text(Words::PackageSent)}</p> })}
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
        </section>
    }
}

crate::i18n::texts! {
    Words;
    ReportsHeading => "报送材料", "Report packages";
    SubmittedOn => "已报送", "Submitted";
    NotSubmitted => "未报送", "Not submitted";
    MissingLabel => "尚缺", "Missing";
    PresentLabel => "已审核通过", "Approved";
    SubmitPackage => "报送", "Submit the package";
    Workbook => "下载电子表格", "Download the workbook";
    PrintForms => "打印全部承诺书", "Print all forms";
    PackageSent => "已报送。", "The package was sent.";
    OwnCommitment => "本单位承诺", "Own commitment";
    BranchCommitment => "党支部承诺", "Branch commitment";
    CadreCommitment => "领导干部承诺", "Cadre's commitment";
}
