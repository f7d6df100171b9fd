//! 群众评议 for a unit's secretary (or the office): in the open round, issue
//! one-time codes and print them as an A4 sheet of cut-out slips (a QR code
//! and the code to type, the unit and the round on each); see how many are
//! used and unused, never who voted what; void lost slips by their numbers.

use crate::components::evaluation::round_word;
use crate::components::field_errors::FieldErrors;
use crate::i18n::use_i18n;
use crate::state::use_state;
use chengnuo_domain::evaluation::Round;
use chengnuo_domain::ids::OrgUnitId;
use chengnuo_domain::mass_evaluation::{parse_code_count, CodeSheet, UnitCodes, VoidRequest};
use chengnuo_domain::messages::ValidationErrors;
use chengnuo_domain::org::OrgUnitKind;
use chengnuo_domain::permission::Action;
use leptos::prelude::*;

#[component]
pub fn BallotCodesPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    crate::i18n::screen_title(|i18n| i18n.text(Words::CodesHeading).to_owned());
    // The units whose codes this person issues: branches and committees.
    let units = Memo::new(move |_| {
        state.workspace.with(|w| {
            w.as_ref()
                .map(|w| {
                    let mut units: Vec<(OrgUnitId, String)> = w
                        .units
                        .iter()
                        .filter(|u| u.unit.kind != OrgUnitKind::School)
                        .filter(|u| w.may_for_unit(Action::IssueBallotCodes, u.unit.id))
                        .map(|u| (u.unit.id, u.unit.name.clone()))
                        .collect();
                    units.sort_by(|a, b| a.1.cmp(&b.1));
                    units
                })
                .unwrap_or_default()
        })
    });
    let round = LocalResource::new(move || {
        let language = i18n.locale_untracked().tag();
        async move {
            let cycle = crate::api::current_cycle(language).await?;
            let today = cycle.today(chrono::Utc::now());
            let rounds = crate::api::rounds(cycle.id, language).await?;
            Ok::<_, crate::api::ApiError>(rounds.into_iter().find(|r| r.takes_input_on(today)))
        }
    });
    let chosen = RwSignal::new(None::<OrgUnitId>);
    Effect::new(move |_| {
        if chosen.get_untracked().is_none() {
            chosen.set(units.with(|u| u.first().map(|(id, _)| *id)));
        }
    });
    view! {
        <section class="ballot-codes">
            <h1 class="no-print">{move || i18n.text(Words::CodesHeading)}</h1>
            <p class="hint no-print">{move || i18n.text(Words::CodesHint)}</p>
            {move || round.get().map(|answer| match answer {
                Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
                Ok(None) => view! { <p class="hint" data-testid="no-open-round">{i18n.text(Words::NoOpenRound)}</p> }.into_any(),
                Ok(Some(round)) => view! {
                    <div class="form no-print">
                        <label for="codes-unit">{move || i18n.text(Words::UnitLabel)}</label>
                        <select id="codes-unit" on:change=move |e| chosen.set(event_target_value(&e).parse().ok())>
                            {move || units.get().into_iter().map(|(id, name)| view! {
                                <option value=id.to_string() selected=move || chosen.get() == Some(id)>{name}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    {move || chosen.get().map(|unit| view! { <UnitCodesPanel round=round.clone() unit=unit/> })}
                }.into_any(),
            })}
        </section>
    }
}

#[component]
fn UnitCodesPanel(round: Round, unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let round_id = round.id;
    let (reload, set_reload) = signal(0u32);
    let counts = LocalResource::new(move || {
        reload.track();
        let language = i18n.locale_untracked().tag();
        async move { crate::api::unit_codes(round_id, unit, language).await }
    });
    let (count, set_count) = signal(String::new());
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (problem, set_problem) = signal(None::<String>);
    let sheet = RwSignal::new(None::<CodeSheet>);
    let issue = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let count = match parse_code_count(&count.get_untracked()) {
            Ok(count) => count,
            Err(refused) => {
                set_errors.set(refused);
                return;
            }
        };
        set_errors.set(ValidationErrors::default());
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::issue_codes(round_id, unit, count, language).await {
                Ok(issued) => {
                    sheet.set(Some(issued));
                    set_problem.set(None);
                    set_reload.update(|n| *n += 1);
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    let (void, set_void) = signal(String::new());
    let void_lost = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let numbers: Vec<u64> = void
            .get_untracked()
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        if numbers.is_empty() {
            return;
        }
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::void_codes(round_id, &VoidRequest { unit, numbers }, language).await {
                Ok(_) => {
                    set_void.set(String::new());
                    set_reload.update(|n| *n += 1);
                }
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    view! {
        <div class="no-print">
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
            {move || counts.get().map(|answer| match answer {
                Ok(UnitCodes { counts, unused_numbers, quorum, .. }) => view! {
                    <p data-testid="code-counts">
                        {i18n.text(Words::Issued)}" "{counts.issued}" · "
                        {i18n.text(Words::Used)}" "<strong data-testid="codes-used">{counts.used}</strong>" · "
                        {i18n.text(Words::Unused)}" "{counts.unused}" · "
                        {i18n.text(Words::Void)}" "{counts.void}
                    </p>
                    <p class="hint">{i18n.text(Words::Quorum)}" "{quorum}
                        {(!unused_numbers.is_empty()).then(|| view! {
                            " · "{i18n.text(Words::UnusedNumbers)}" "{unused_numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")}
                        })}
                    </p>
                }.into_any(),
                Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
            })}
            <form class="form" on:submit=issue>
                <label for="codes-count">{move || i18n.text(Words::CountLabel)}</label>
                <input id="codes-count" type="number" inputmode="numeric" min="1" max="500"
                    prop:value=count on:input=move |e| set_count.set(event_target_value(&e))/>
                <FieldErrors errors=errors field="count".to_owned()/>
                <button type="submit" class="button primary">{move || i18n.text(Words::Issue)}</button>
            </form>
            <form class="form" on:submit=void_lost>
                <label for="codes-void">{move || i18n.text(Words::VoidLabel)}</label>
                <input id="codes-void" type="text" inputmode="numeric" prop:value=void
                    on:input=move |e| set_void.set(event_target_value(&e))/>
                <button type="submit" class="button">{move || i18n.text(Words::VoidButton)}</button>
            </form>
        </div>
        {move || sheet.get().map(|sheet| view! { <Sheet sheet=sheet/> })}
    }
}

/// The A4 sheet of slips, printed from the browser.
#[component]
fn Sheet(sheet: CodeSheet) -> impl IntoView {
    let i18n = use_i18n();
    let round = round_word(sheet.round.kind);
    let dates = format!("{} – {}", sheet.round.opens_on, sheet.round.closes_on);
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <p class="hint no-print">{move || i18n.text(Words::ShownOnce)}</p>
        <button type="button" class="button no-print" on:click=print>{move || i18n.text(Words::Print)}</button>
        <div class="code-sheet" data-testid="code-sheet">
            {sheet.codes.into_iter().map(|code| {
                let (unit, dates) = (sheet.unit_name.clone(), dates.clone());
                view! {
                    <div class="slip" data-testid="slip">
                        <div class="qr" inner_html=code.qr_svg></div>
                        <div>
                            <p><strong>{unit}</strong></p>
                            <p>{move || i18n.text(round)}" "{dates}</p>
                            <p class="slip-code" data-testid="slip-code">{code.code}</p>
                            <p class="hint">{move || i18n.text(Words::SlipHow)}" · No. "{code.number}</p>
                        </div>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

crate::i18n::texts! {
    Words;
    CodesHeading => "群众评议码", "Ballot codes";
    CodesHint => "为本单位的群众评议发放一次性评议码：每张纸条一个码，扫码或输入即可评议，无需账号；谁投了什么票任何人都无法查到。", "Issue one-time codes for your unit's mass evaluation: one code per slip, scanned or typed, no account needed; nobody can see who voted what.";
    NoOpenRound => "目前没有进行中的考核评议。", "No evaluation round is open.";
    UnitLabel => "党组织", "Unit";
    Issued => "已发放", "Issued";
    Used => "已使用", "Used";
    Unused => "未使用", "Unused";
    Void => "已作废", "Void";
    Quorum => "计分所需最少票数", "Ballots needed for a mass score";
    UnusedNumbers => "未使用的编号", "Unused slips";
    CountLabel => "发放数量", "Number of codes";
    Issue => "生成评议码", "Issue codes";
    VoidLabel => "作废遗失纸条的编号（如 3, 7）", "Void lost slips by number (e.g. 3, 7)";
    VoidButton => "作废", "Void";
    ShownOnce => "评议码只显示这一次（服务器只保存其摘要）：请现在打印，沿虚线剪开分发。", "The codes are shown this once (the server keeps only their hashes): print now and cut along the lines.";
    Print => "打印", "Print";
    SlipHow => "扫码或打开本系统“群众评议”输入评议码", "Scan, or open the ballot page and type the code";
}
