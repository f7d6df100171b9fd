//! 年度设置, for the campaign office: the school's years, a new one set up
//! from the plan's template with every date editable, a year changed, the
//! one in force chosen. Every field is checked by the domain as it would be
//! by the server, and the message stands beside the field.

use crate::components::field_errors::FieldErrors;
use crate::i18n::{use_i18n, Text};
use chengnuo_domain::cycle::{Cycle, CycleView};
use chengnuo_domain::cycle_draft::{CycleDraft, WindowDraft};
use chengnuo_domain::ids::CycleId;
use chengnuo_domain::messages::ValidationErrors;
use leptos::prelude::*;

/// A field's label: from the shared catalogue or this screen's own.
#[derive(Clone, Copy)]
enum Label {
    Shared(Text),
    Own(Words),
}

impl From<Text> for Label {
    fn from(text: Text) -> Self {
        Label::Shared(text)
    }
}

impl From<Words> for Label {
    fn from(words: Words) -> Self {
        Label::Own(words)
    }
}

impl crate::i18n::Catalogue for Label {
    fn in_locale(self, locale: chengnuo_domain::Locale) -> &'static str {
        match self {
            Label::Shared(text) => text.in_locale(locale),
            Label::Own(words) => words.in_locale(locale),
        }
    }
}

/// The form open: a new year (`None`) or one being changed.
type Open = Option<(Option<CycleId>, CycleDraft)>;

#[component]
pub fn YearsPage() -> impl IntoView {
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::YearsHeading).to_owned());
    let (reload, set_reload) = signal(0u32);
    let years = LocalResource::new(move || {
        reload.track();
        let language = i18n.locale_untracked().tag();
        async move { crate::api::cycles(language).await }
    });
    let form = RwSignal::new(None as Open);
    let (problem, set_problem) = signal(None::<String>);
    let (next_year, set_next_year) = signal(String::new());
    let start_new = move |_| {
        let latest = years
            .get()
            .and_then(|r| r.ok())
            .and_then(|all| all.iter().map(|c| c.cycle.year).max());
        let year = next_year
            .get_untracked()
            .trim()
            .parse()
            .ok()
            .or(latest.map(|y| y + 1))
            .unwrap_or(2026);
        form.set(Some((None, CycleDraft::of(&Cycle::from_template(year)))));
    };
    let make_current = move |id: CycleId| {
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::make_cycle_current(id, language).await {
                Ok(_) => set_reload.update(|n| *n += 1),
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    view! {
        <section class="years">
            <h1>{move || i18n.text(Words::YearsHeading)}</h1>
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
            {move || years.get().map(|answer| match answer {
                Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
                Ok(all) => view! {
                    <ul class="queue">
                        {all.into_iter().map(|CycleView { cycle, is_current }| {
                            let id = cycle.id;
                            let edit = CycleDraft::of(&cycle);
                            view! {
                                <li class="commitment-card" data-testid="year">
                                    <div>
                                        <strong>{cycle.name.clone()}</strong>
                                        {is_current.then(|| view! { " "<span class="badge ok">{i18n.text(Words::YearInForce)}</span> })}
                                        <p class="hint">{cycle.calendar.draft.start.to_string()}" – "{cycle.calendar.fulfilment_until.to_string()}</p>
                                    </div>
                                    <button type="button" class="button small" on:click=move |_| form.set(Some((Some(id), edit.clone())))>
                                        {i18n.text(Words::YearChange)}<span class="visually-hidden">" "{cycle.name.clone()}</span>
                                    </button>
                                    {(!is_current).then(|| view! {
                                        <button type="button" class="button small" on:click=move |_| make_current(id)>
                                            {i18n.text(Words::YearMakeCurrent)}<span class="visually-hidden">" "{cycle.name.clone()}</span>
                                        </button>
                                    })}
                                </li>
                                {is_current.then(|| view! { <Rounds cycle=cycle.clone()/> })}
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
            <div class="form">
                <label for="new-year">{move || i18n.text(Words::YearNewLabel)}</label>
                <input id="new-year" type="number" inputmode="numeric" min="2000" max="2100"
                    prop:value=next_year on:input=move |e| set_next_year.set(event_target_value(&e))/>
                <button type="button" class="button" on:click=start_new>{move || i18n.text(Words::YearNew)}</button>
            </div>
            <OverdueRectifications/>
            {move || form.get().map(|(id, draft)| view! {
                <YearForm id=id draft=draft on_saved=Callback::new(move |_| {
                    form.set(None);
                    set_reload.update(|n| *n += 1);
                })/>
            })}
        </section>
    }
}

#[component]
fn YearForm(id: Option<CycleId>, draft: CycleDraft, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(draft);
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (server, set_server) = signal(None::<String>);
    let (busy, set_busy) = signal(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = draft.get_untracked();
        if let Err(refused) = typed.parse() {
            set_errors.set(refused);
            return;
        }
        set_errors.set(ValidationErrors::default());
        set_server.set(None);
        set_busy.set(true);
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            let answer = crate::api::save_cycle(id, &typed, language).await;
            set_busy.set(false);
            match answer {
                Ok(_) => on_saved.run(()),
                Err(error) => set_server.set(Some(error.text(i18n))),
            }
        });
    };
    let date = move |label: Label,
                     field: &'static str,
                     get: fn(&CycleDraft) -> &String,
                     set: fn(&mut CycleDraft) -> &mut String| {
        let input = format!("year-{}", field.replace(['.', '[', ']'], "-"));
        view! {
            <label for=input.clone()>{move || i18n.text(label)}</label>
            <input id=input type="date" prop:value=move || draft.with(|d| get(d).clone())
                on:input=move |e| draft.update(|d| *set(d) = event_target_value(&e))/>
            <FieldErrors errors=errors field=field.to_owned()/>
        }
    };
    let window = move |label: Label,
                       field: &'static str,
                       get: fn(&CycleDraft) -> &WindowDraft,
                       set: fn(&mut CycleDraft) -> &mut WindowDraft| {
        let start = format!("year-{field}-start");
        let end = format!("year-{field}-end");
        view! {
            <fieldset>
                <legend>{move || i18n.text(label)}</legend>
                <label for=start.clone()>{move || i18n.text(Words::WindowStart)}</label>
                <input id=start type="date" prop:value=move || draft.with(|d| get(d).start.clone())
                    on:input=move |e| draft.update(|d| set(d).start = event_target_value(&e))/>
                <FieldErrors errors=errors field=format!("{field}.start")/>
                <label for=end.clone()>{move || i18n.text(Words::WindowEnd)}</label>
                <input id=end type="date" prop:value=move || draft.with(|d| get(d).end.clone())
                    on:input=move |e| draft.update(|d| set(d).end = event_target_value(&e))/>
                <FieldErrors errors=errors field=format!("{field}.end")/>
            </fieldset>
        }
    };
    let number = move |label: Label,
                       field: &'static str,
                       get: fn(&CycleDraft) -> i64,
                       set: fn(&mut CycleDraft, i64)| {
        let input = format!("year-{}", field.replace('.', "-"));
        view! {
            <label for=input.clone()>{move || i18n.text(label)}</label>
            <input id=input type="number" inputmode="numeric" prop:value=move || draft.with(|d| get(d).to_string())
                on:input=move |e| {
                    if let Ok(value) = event_target_value(&e).trim().parse() {
                        draft.update(|d| set(d, value));
                    }
                }/>
            <FieldErrors errors=errors field=field.to_owned()/>
        }
    };
    let rounds = move || draft.with(|d| d.quarterly_rounds.len());
    view! {
        <form class="form year-form" on:submit=save data-testid="year-form">
            <h2>{move || i18n.text(if id.is_some() { Words::YearChange } else { Words::YearNew })}</h2>
            <label for="year-name">{move || i18n.text(Words::YearName)}</label>
            <input id="year-name" type="text" prop:value=move || draft.with(|d| d.name.clone())
                on:input=move |e| draft.update(|d| d.name = event_target_value(&e))/>
            <FieldErrors errors=errors field="name".to_owned()/>
            {window(Label::from(Text::PhaseDraft), "draft", |d| &d.draft, |d| &mut d.draft)}
            {window(Label::from(Text::PhaseReview), "review", |d| &d.review, |d| &mut d.review)}
            {window(Label::from(Text::PhaseSign), "sign", |d| &d.sign, |d| &mut d.sign)}
            {window(Label::from(Text::PhasePublish), "publish", |d| &d.publish, |d| &mut d.publish)}
            {date(Label::from(Text::ReportDeadline), "report_deadline", |d| &d.report_deadline, |d| &mut d.report_deadline)}
            {date(Label::from(Words::FulfilmentUntil), "fulfilment_until", |d| &d.fulfilment_until, |d| &mut d.fulfilment_until)}
            {move || (0..rounds()).map(|n| {
                let field = format!("quarterly_rounds[{n}]");
                let (start, end) = (format!("year-round-{n}-start"), format!("year-round-{n}-end"));
                let label = format!("{} {}", i18n.text(Text::PhaseQuarterlyRound), n + 1);
                view! {
                    <fieldset>
                        <legend>{label}</legend>
                        <label for=start.clone()>{i18n.text(Words::WindowStart)}</label>
                        <input id=start type="date" prop:value=move || draft.with(|d| d.quarterly_rounds.get(n).map(|w| w.start.clone()).unwrap_or_default())
                            on:input=move |e| draft.update(|d| if let Some(w) = d.quarterly_rounds.get_mut(n) { w.start = event_target_value(&e) })/>
                        <FieldErrors errors=errors field=format!("{field}.start")/>
                        <label for=end.clone()>{i18n.text(Words::WindowEnd)}</label>
                        <input id=end type="date" prop:value=move || draft.with(|d| d.quarterly_rounds.get(n).map(|w| w.end.clone()).unwrap_or_default())
                            on:input=move |e| draft.update(|d| if let Some(w) = d.quarterly_rounds.get_mut(n) { w.end = event_target_value(&e) })/>
                        <FieldErrors errors=errors field=format!("{field}.end")/>
                    </fieldset>
                }
            }).collect_view()}
            {window(Label::from(Text::PhaseAnnualRound), "annual_round", |d| &d.annual_round, |d| &mut d.annual_round)}
            <fieldset>
                <legend>{move || i18n.text(Words::YearSettings)}</legend>
                {number(Label::from(Words::WeightLeader), "settings.weights.leader", |d| d.settings.weights.leader.into(), |d, v| d.settings.weights.leader = v.clamp(0, 100) as u8)}
                {number(Label::from(Words::WeightMass), "settings.weights.mass", |d| d.settings.weights.mass.into(), |d, v| d.settings.weights.mass = v.clamp(0, 100) as u8)}
                {number(Label::from(Words::WeightOrganization), "settings.weights.organization", |d| d.settings.weights.organization.into(), |d, v| d.settings.weights.organization = v.clamp(0, 100) as u8)}
                <FieldErrors errors=errors field="settings.weights".to_owned()/>
                {number(Label::from(Words::ThresholdExcellent), "settings.thresholds.excellent", |d| (d.settings.thresholds.excellent / 10).into(), |d, v| d.settings.thresholds.excellent = (v.clamp(0, 100) * 10) as u16)}
                {number(Label::from(Words::ThresholdCompetent), "settings.thresholds.competent", |d| (d.settings.thresholds.competent / 10).into(), |d, v| d.settings.thresholds.competent = (v.clamp(0, 100) * 10) as u16)}
                {number(Label::from(Words::ThresholdBasic), "settings.thresholds.basically_competent", |d| (d.settings.thresholds.basically_competent / 10).into(), |d, v| d.settings.thresholds.basically_competent = (v.clamp(0, 100) * 10) as u16)}
                <FieldErrors errors=errors field="settings.thresholds".to_owned()/>
                {number(Label::from(Words::MassQuorum), "settings.mass_quorum", |d| d.settings.mass_quorum as i64, |d, v| d.settings.mass_quorum = v.max(0) as usize)}
                {number(Label::from(Words::MinDisplayDays), "settings.min_display_days", |d| d.settings.min_display_days, |d, v| d.settings.min_display_days = v)}
                {number(Label::from(Words::PublicationGraceDays), "settings.publication_grace_days", |d| d.settings.publication_grace_days, |d, v| d.settings.publication_grace_days = v)}
                {number(Label::from(Words::MemberMinItems), "settings.member_min_items", |d| d.settings.member_min_items as i64, |d, v| d.settings.member_min_items = v.max(0) as usize)}
                {number(Label::from(Words::CadreMinItems), "settings.cadre_min_items", |d| d.settings.cadre_min_items as i64, |d, v| d.settings.cadre_min_items = v.max(0) as usize)}
                {number(Label::from(Words::RectificationDays), "settings.rectification_days", |d| d.settings.rectification_days as i64, |d, v| d.settings.rectification_days = v.max(0) as u64)}
                {number(Label::from(Words::UtcOffsetHours), "settings.utc_offset_minutes", |d| i64::from(d.settings.utc_offset_minutes / 60), |d, v| d.settings.utc_offset_minutes = (v.clamp(-99, 99) * 60) as i32)}
            </fieldset>
            {move || server.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
            <button type="submit" class="button primary" disabled=busy>{move || i18n.text(Words::YearSave)}</button>
        </form>
    }
}

/// The rounds of the year in force: held, open, and the next to open
/// (its window from the calendar, editable); the open one closed, for good.
#[component]
fn Rounds(cycle: Cycle) -> impl IntoView {
    use chengnuo_domain::evaluation::{RoundDraft, RoundKind};
    let i18n = use_i18n();
    let id = cycle.id;
    let (changed, set_changed) = signal(0u32);
    let rounds = LocalResource::new(move || {
        changed.track();
        let language = i18n.locale_untracked().tag();
        async move { crate::api::rounds(id, language).await.unwrap_or_default() }
    });
    let (kind, set_kind) = signal(RoundKind::Quarterly);
    let draft = RwSignal::new(RoundDraft::from_calendar(&cycle, RoundKind::Quarterly, &[]));
    let calendar_cycle = cycle.clone();
    Effect::new(move |_| {
        let held = rounds.get().unwrap_or_default();
        draft.set(RoundDraft::from_calendar(
            &calendar_cycle,
            kind.get(),
            &held,
        ));
    });
    let (errors, set_errors) = signal(ValidationErrors::default());
    let (problem, set_problem) = signal(None::<String>);
    let check_cycle = cycle.clone();
    let open = move |_| {
        let typed = draft.get_untracked();
        let held = rounds.get_untracked().unwrap_or_default();
        if let Err(refused) = typed.parse(&check_cycle, &held) {
            set_errors.set(refused);
            return;
        }
        set_errors.set(ValidationErrors::default());
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::open_round(id, &typed, language).await {
                Ok(_) => set_changed.update(|n| *n += 1),
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    let close = move |round: chengnuo_domain::ids::RoundId| {
        let confirmed = web_sys::window()
            .and_then(|w| {
                w.confirm_with_message(i18n.text(Words::RoundCloseConfirm))
                    .ok()
            })
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let language = i18n.locale_untracked().tag();
        leptos::task::spawn_local(async move {
            match crate::api::close_round(round, language).await {
                Ok(_) => set_changed.update(|n| *n += 1),
                Err(error) => set_problem.set(Some(error.text(i18n))),
            }
        });
    };
    let kind_text = move |kind: RoundKind| {
        i18n.text(match kind {
            RoundKind::Quarterly => Text::PhaseQuarterlyRound,
            RoundKind::Annual => Text::PhaseAnnualRound,
        })
    };
    view! {
        <li class="card rounds" data-testid="rounds">
            <h2>{move || i18n.text(Words::RoundsHeading)}</h2>
            {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
            <ul>
                {move || rounds.get().unwrap_or_default().into_iter().map(|round| view! {
                    <li data-testid="round">
                        {kind_text(round.kind)}" "{round.opens_on.to_string()}" – "{round.closes_on.to_string()}" "
                        {if round.is_closed {
                            view! { <span class="badge">{i18n.text(Words::RoundClosed)}</span> }.into_any()
                        } else {
                            view! {
                                <span class="badge waiting">{i18n.text(Words::RoundOpen)}</span>" "
                                <button type="button" class="button small" on:click=move |_| close(round.id)>{i18n.text(Words::RoundClose)}</button>
                            }.into_any()
                        }}
                    </li>
                }).collect_view()}
            </ul>
            <div class="form">
                <label for="round-kind">{move || i18n.text(Words::RoundKindLabel)}</label>
                <select id="round-kind" on:change=move |e| set_kind.set(if event_target_value(&e) == "Annual" { RoundKind::Annual } else { RoundKind::Quarterly })>
                    <option value="Quarterly">{move || kind_text(RoundKind::Quarterly)}</option>
                    <option value="Annual">{move || kind_text(RoundKind::Annual)}</option>
                </select>
                <FieldErrors errors=errors field="kind".to_owned()/>
                <label for="round-opens">{move || i18n.text(Words::WindowStart)}</label>
                <input id="round-opens" type="date" prop:value=move || draft.with(|d| d.opens_on.clone())
                    on:input=move |e| draft.update(|d| d.opens_on = event_target_value(&e))/>
                <FieldErrors errors=errors field="opens_on".to_owned()/>
                <label for="round-closes">{move || i18n.text(Words::WindowEnd)}</label>
                <input id="round-closes" type="date" prop:value=move || draft.with(|d| d.closes_on.clone())
                    on:input=move |e| draft.update(|d| d.closes_on = event_target_value(&e))/>
                <FieldErrors errors=errors field="closes_on".to_owned()/>
                <button type="button" class="button" on:click=open>{move || i18n.text(Words::RoundOpenButton)}</button>
            </div>
        </li>
    }
}

/// 逾期未整改: rectification orders past their deadline, school-wide.
#[component]
fn OverdueRectifications() -> impl IntoView {
    let i18n = use_i18n();
    let overdue = LocalResource::new(move || {
        let language = i18n.locale_untracked().tag();
        async move { crate::api::overdue_rectifications(language).await }
    });
    move || {
        overdue.get().and_then(|r| r.ok()).filter(|o| !o.is_empty()).map(|orders| view! {
            <section class="card" data-testid="overdue-rectifications">
                <h2>{move || i18n.text(Words::OverdueHeading)}" ("{orders.len()}")"</h2>
                <ul>
                    {orders.into_iter().map(|o| view! {
                        <li>
                            <a href=crate::page::Page::Commitment(o.commitment).path()>{o.committer_name.clone()}</a>
                            " · "{i18n.text(Words::OverdueSince)}" "{o.order.deadline.to_string()}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}

crate::i18n::texts! {
    Words;
    OverdueHeading => "逾期未完成的整改", "Rectification orders overdue";
    OverdueSince => "整改期限", "Deadline";
    YearsHeading => "年度设置", "The school's years";
    YearInForce => "当前年度", "In force";
    YearChange => "修改年度设置", "Change the year";
    YearMakeCurrent => "设为当前年度", "Make it the year in force";
    YearNewLabel => "新年度（起草开始的年份）", "New year (the year drafting starts)";
    YearNew => "按方案模板新建年度", "Set up a year from the plan's template";
    YearName => "年度名称", "Name of the year";
    WindowStart => "开始日期", "Starts";
    WindowEnd => "结束日期", "Ends";
    FulfilmentUntil => "践诺截止", "Fulfilment until";
    YearSettings => "考核设置", "Assessment settings";
    WeightLeader => "领导点评权重（%）", "Leaders' weight (%)";
    WeightMass => "群众评议权重（%）", "Mass evaluation weight (%)";
    WeightOrganization => "组织考核权重（%）", "Organization's weight (%)";
    ThresholdExcellent => "优秀分数线", "Excellent from (points)";
    ThresholdCompetent => "合格分数线", "Competent from (points)";
    ThresholdBasic => "基本合格分数线", "Basically competent from (points)";
    MassQuorum => "群众评议最少有效票数", "Fewest ballots for the mass score";
    MinDisplayDays => "公示最少天数", "Shortest display (days)";
    PublicationGraceDays => "公示阶段结束后仍可开始公示的天数", "Days after the publication phase a display may still start";
    MemberMinItems => "普通党员承诺最少事项数", "Fewest items in a member's commitment";
    CadreMinItems => "党员干部承诺最少事项数（高标准）", "Fewest items in a cadre's commitment (higher standard)";
    RectificationDays => "整改期限（年度考核后天数）", "Days to rectify after the annual round";
    UtcOffsetHours => "学校所在时区（与 UTC 相差小时数）", "The school's time zone (hours from UTC)";
    RoundsHeading => "考核评议轮次", "Assessment rounds";
    RoundClosed => "已结束", "Closed";
    RoundOpen => "进行中", "Open";
    RoundClose => "结束这一轮", "Close this round";
    RoundCloseConfirm => "结束后不能再自查、评分和投票；系统将按考核办法计算每份承诺的等次并在公开栏公布，年度考核还将对未完成事项下达整改通知。确定结束吗？", "Once closed, nothing more is taken: every commitment's grade is computed and published on the board, and the annual round orders rectification of what is undone. Close it?";
    RoundKindLabel => "轮次", "Round";
    RoundOpenButton => "开启考核评议", "Open the round";
    YearSave => "保存年度设置", "Save the year";
}
