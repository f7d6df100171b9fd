//! 督查: the supervision dashboard of a unit (the office: the school; a
//! committee secretary or a leader: the committee; a branch secretary: the
//! branch). The totals, four charts (completion by unit, states, grades, the
//! year's progress) and the table behind them, sortable by any column; a
//! unit's name opens its own dashboard, a commitment's its page. The last
//! answer for each unit is kept on the device, so the dashboard opens
//! offline with the day it was counted on.

use crate::components::charts::{Bar, BarChart, LineChart, Point, Stack, StackedChart};
use crate::i18n::{use_i18n, Text};
use crate::page::Page;
use crate::router::use_query_map;
use chengnuo_domain::ids::OrgUnitId;
use chengnuo_domain::supervision::{Column, Counts, Dashboard, Subject};
use chengnuo_domain::Locale;
use chrono::Datelike;
use leptos::prelude::*;

/// Where the last answer for a unit (or for "my highest unit") is kept:
/// under the signed-in person, like their workspace (a shared device shows
/// no one else's counts).
fn kept_key(unit: Option<OrgUnitId>) -> String {
    let person = crate::state::use_state()
        .workspace
        .with_untracked(|w| w.as_ref().map(|w| w.me.id().to_string()))
        .unwrap_or_default();
    match unit {
        Some(unit) => format!("chengnuo.dashboard.{person}.{unit}"),
        None => format!("chengnuo.dashboard.{person}.mine"),
    }
}

/// What the table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name,
    Completion,
    By(Column),
}

fn name_of(subject: &Subject) -> String {
    match subject {
        Subject::Unit { name, .. } => name.clone(),
        Subject::Commitment {
            committer, number, ..
        } => match number {
            Some(n) => format!("{committer}（{n}）"),
            None => committer.clone(),
        },
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    crate::on_demand::screens_style();
    let i18n = use_i18n();
    crate::i18n::screen_title(|i18n| i18n.text(Words::Heading).to_owned());
    let query = use_query_map();
    let unit =
        Memo::new(move |_| query.with(|q| q.get("unit").and_then(|u| u.parse::<OrgUnitId>().ok())));
    let answer = LocalResource::new(move || {
        let unit = unit.get();
        let key = kept_key(unit);
        let language = i18n.locale_untracked().tag();
        async move {
            match crate::api::dashboard(unit, language).await {
                Ok(dashboard) => {
                    let _ = crate::json::store(&key, &dashboard);
                    Ok((dashboard, false))
                }
                Err(crate::api::ApiError::Offline) => {
                    match crate::json::stored::<Dashboard>(&key) {
                        Some(kept) => Ok((kept, true)),
                        None => Err(crate::api::ApiError::Offline),
                    }
                }
                Err(error) => Err(error),
            }
        }
    });
    view! {
        <a href=Page::Home.path() class="back">{move || i18n.text(Text::Back)}</a>
        <h1>{move || i18n.text(Words::Heading)}</h1>
        {move || answer.get().map(|result| match result {
            Ok((dashboard, kept)) => view! { <Shown dashboard=dashboard kept=kept/> }.into_any(),
            Err(error) => view! { <p class="problem" role="alert">{error.text(i18n)}</p> }.into_any(),
        })}
    }
}

#[component]
fn Shown(dashboard: Dashboard, kept: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale_untracked();
    let sort = RwSignal::new((Sort::Name, false));
    let total = dashboard.total;
    let unit_id = dashboard.unit.id;
    let mine = (dashboard.mine.len() > 1).then(|| {
        view! {
            <nav class="chips" aria-label=i18n.text(Words::MyUnits)>
                {dashboard.mine.clone().into_iter().map(|u| view! {
                    <a href=Page::Dashboard(Some(u.id)).path() class="button small">{u.name.clone()}</a>
                }).collect_view()}
            </nav>
        }
    });
    let path = view! {
        <nav class="breadcrumb" aria-label=i18n.text(Words::WayDown)>
            {dashboard.path.clone().into_iter().map(|u| view! {
                <a href=Page::Dashboard(Some(u.id)).path()>{u.name.clone()}</a>" › "
            }).collect_view()}
            <strong aria-current="page" data-testid="dashboard-unit">{dashboard.unit.name.clone()}</strong>
        </nav>
    };
    let as_of = format!(
        "{} · {} {}",
        dashboard.cycle_name,
        i18n.text(Words::AsOf),
        dashboard.as_of
    );
    let tiles = [
        (
            Words::TileCommitments,
            total.commitments.to_string(),
            "commitments",
        ),
        (
            Words::TilePublished,
            total.published.to_string(),
            "published",
        ),
        (Words::TileCompletion, completion_text(&total), "completion"),
        (Words::TileOverdue, total.overdue.to_string(), "overdue"),
        (
            Words::TileClaims,
            total.claims_waiting.to_string(),
            "claims",
        ),
        (
            Words::TileReports,
            format!(
                "{} / {} / {}",
                total.reports_on_time, total.reports_late, total.reports_missing
            ),
            "reports",
        ),
    ];
    let rounds = {
        let ballots = dashboard.ballot_round.as_ref().map(|_| {
            format!(
                "{} {} · {} {}/{} ({} {})",
                i18n.text(Words::Ballots),
                total.ballots,
                i18n.text(Words::QuorumReached),
                total.quorum_reached,
                total.in_force,
                i18n.text(Words::QuorumIs),
                dashboard.quorum
            )
        });
        ballots.map(|text| view! { <p class="calendar" data-testid="ballots-line">{text}</p> })
    };
    let unit_rows: Vec<(String, Counts)> = dashboard
        .rows
        .iter()
        .map(|r| (name_of(&r.subject), r.counts))
        .collect();
    let completion_bars: Vec<Bar> = unit_rows
        .iter()
        .map(|(name, c)| Bar {
            label: name.clone(),
            share: if c.due == 0 {
                0.0
            } else {
                f64::from(c.due_crossed_off) / f64::from(c.due)
            },
            shown: completion_text(c),
        })
        .collect();
    let states = [
        Column::Draft,
        Column::Submitted,
        Column::Returned,
        Column::Approved,
        Column::Signed,
        Column::Published,
    ];
    let stacks: Vec<Stack> = unit_rows
        .iter()
        .map(|(name, c)| Stack {
            label: name.clone(),
            parts: states.iter().map(|s| c.get(*s)).collect(),
        })
        .collect();
    let grades = [
        Column::Excellent,
        Column::Competent,
        Column::BasicallyCompetent,
        Column::NotCompetent,
    ];
    let graded: u32 = grades.iter().map(|g| total.get(*g)).sum();
    let grade_bars: Vec<Bar> = grades
        .iter()
        .map(|g| Bar {
            label: g.heading(locale).to_owned(),
            share: if graded == 0 {
                0.0
            } else {
                f64::from(total.get(*g)) / f64::from(graded)
            },
            shown: total.get(*g).to_string(),
        })
        .collect();
    let points: Vec<Point> = dashboard
        .progress
        .iter()
        .map(|p| Point {
            label: match locale {
                Locale::Zh => format!("{}月", p.month.month()),
                Locale::En => p.month.format("%b").to_string(),
            },
            values: vec![Some(p.due), p.crossed_off],
        })
        .collect();
    let graded_caption = match &dashboard.graded_round {
        Some(round) => format!(
            "{} ({} {})",
            i18n.text(Words::GradesChart),
            i18n.text(crate::components::evaluation::Words::AssessedOn),
            round.assessed_on()
        ),
        None => i18n.text(Words::GradesChart).to_owned(),
    };
    let rows = dashboard.rows.clone();
    let sorted = move || {
        let (by, descending) = sort.get();
        let mut rows = rows.clone();
        match by {
            Sort::Name if !descending => {}
            Sort::Name => rows.reverse(),
            Sort::Completion => {
                rows.sort_by_key(|r| r.counts.completion().map_or(-1, i64::from));
                if descending {
                    rows.reverse();
                }
            }
            Sort::By(column) => {
                rows.sort_by_key(|r| r.counts.get(column));
                if descending {
                    rows.reverse();
                }
            }
        }
        rows
    };
    let header = move |key: Sort, label: String| {
        let aria = move || match sort.get() {
            (by, false) if by == key => "ascending",
            (by, true) if by == key => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="link" on:click=move |_| sort.update(|(by, descending)| {
                    if *by == key {
                        *descending = !*descending;
                    } else {
                        *by = key;
                        *descending = key != Sort::Name;
                    }
                })>{label}</button>
            </th>
        }
    };
    let workbook = crate::api::dashboard_workbook_url(unit_id, locale.tag());
    let state = crate::state::use_state();
    let may_circulate = state.workspace.with_untracked(|w| {
        w.as_ref().is_some_and(|w| {
            w.may_for_unit(
                chengnuo_domain::permission::Action::PublishCircular,
                unit_id,
            )
        })
    });
    view! {
        {mine}
        {path}
        <p class="calendar">{as_of}</p>
        {kept.then(|| view! { <p class="hint" role="status" data-testid="kept-dashboard">{i18n.text(Words::KeptCopy)}</p> })}
        <ul class="tiles">
            {tiles.into_iter().map(|(label, value, id)| view! {
                <li data-testid=format!("tile-{id}")><span class="tile-value">{value}</span><span>{i18n.text(label)}</span></li>
            }).collect_view()}
        </ul>
        {rounds}
        <div class="charts">
            <BarChart caption=i18n.text(Words::CompletionChart).to_owned() bars=completion_bars testid="completion-chart"/>
            <StackedChart caption=i18n.text(Words::StatesChart).to_owned()
                legend=states.iter().map(|s| s.heading(locale).to_owned()).collect()
                stacks=stacks/>
            <BarChart caption=graded_caption bars=grade_bars testid="grades-chart"/>
            <LineChart caption=i18n.text(Words::ProgressChart).to_owned()
                series=vec![i18n.text(Words::DueSeries).to_owned(), i18n.text(Words::CrossedOffSeries).to_owned()]
                points=points
                table_label=i18n.text(Words::ProgressTable).to_owned()/>
        </div>
        <h2 id="dashboard-table">{i18n.text(Words::TableHeading)}</h2>
        <p class="actions">
            <a class="button" href=workbook download="" data-testid="dashboard-workbook">{i18n.text(Words::Workbook)}</a>
            {may_circulate.then(|| view! {
                <a href=Page::CircularDraft(unit_id).path() class="button">{i18n.text(Words::WriteCircular)}</a>
            })}
        </p>
        <div class="table-scroll" role="region" aria-labelledby="dashboard-table" tabindex="0">
            <table class="checklist dashboard" data-testid="dashboard-table">
                <thead>
                    <tr>
                        {header(Sort::Name, i18n.text(Words::NameColumn).to_owned())}
                        {header(Sort::Completion, i18n.text(Words::CompletionColumn).to_owned())}
                        {Column::ALL.iter().map(|c| header(Sort::By(*c), c.heading(locale).to_owned())).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || sorted().into_iter().map(|row| {
                        let name = name_of(&row.subject);
                        let link = match &row.subject {
                            Subject::Unit { id, .. } => Page::Dashboard(Some(*id)).path(),
                            Subject::Commitment { id, .. } => Page::Commitment(*id).path(),
                        };
                        view! {
                            <tr data-testid="dashboard-row">
                                <th scope="row"><a href=link>{name}</a></th>
                                <td>{completion_text(&row.counts)}</td>
                                {row.counts.fields().into_iter().map(|n| view! { <td>{n}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr data-testid="dashboard-total">
                        <th scope="row">{i18n.text(Words::Total)}</th>
                        <td>{completion_text(&total)}</td>
                        {total.fields().into_iter().map(|n| view! { <td>{n}</td> }).collect_view()}
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}

fn completion_text(counts: &Counts) -> String {
    counts
        .completion()
        .map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

crate::i18n::texts! {
    Words;
    Heading => "督查", "Supervision";
    MyUnits => "我督查的单位", "Units I supervise";
    WayDown => "所在层级", "Where this is";
    AsOf => "统计至", "as of";
    KeptCopy => "当前离线：显示的是上次联网时的统计。", "Offline: these are the figures from the last time you were online.";
    TileCommitments => "承诺", "Commitments";
    TilePublished => "已公示", "Published";
    TileCompletion => "到期事项完成率", "Due items crossed off";
    TileOverdue => "逾期事项", "Overdue items";
    TileClaims => "待销号审核", "Claims waiting";
    TileReports => "报送：按时 / 逾期 / 未报", "Reports: on time / late / missing";
    Ballots => "群众评议票数", "Ballots";
    QuorumReached => "达到法定票数", "quorum reached";
    QuorumIs => "法定票数", "quorum";
    CompletionChart => "各单位到期事项完成率", "Due items crossed off, by unit";
    StatesChart => "各单位承诺状态", "Commitments by state, by unit";
    GradesChart => "考核等次分布", "Grades";
    ProgressChart => "全年进度：到期与已销号事项（累计）", "The year: items due and crossed off (cumulative)";
    DueSeries => "到期", "Due";
    CrossedOffSeries => "已销号", "Crossed off";
    ProgressTable => "以表格查看", "As a table";
    TableHeading => "明细", "Details";
    Workbook => "导出电子表格", "Export as a workbook";
    WriteCircular => "编写情况通报", "Write a progress notice";
    NameColumn => "单位 / 承诺主体", "Unit / committer";
    CompletionColumn => "完成率", "Completion";
    Total => "合计", "Total";
}
