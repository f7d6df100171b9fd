//! Charts as plain SVG, drawn from numbers the page already has (no chart
//! library: four small shapes, and nothing a member's phone downloads — they
//! live in the dashboard's on-demand part). Each chart is a `<figure>` whose
//! SVG has a title and a description listing every value, for a screen
//! reader; the page's table (or the chart's own) says the same in text.

use leptos::prelude::*;

/// The width of every chart's drawing, in its own units (it scales to the
/// screen's width).
const WIDTH: f64 = 320.0;
const LABEL: f64 = 118.0;
const ROW: f64 = 22.0;

/// Colours of the series: the app's red, gold, green, and greys.
pub const COLOURS: [&str; 6] = [
    "#9e9e9e", "#ffb300", "#6d4c41", "#1565c0", "#b71c1c", "#2e7d32",
];

/// A label as the drawing holds it: long names are cut (the full name is in
/// the bar's own title).
fn short(label: &str) -> String {
    if label.chars().count() <= 9 {
        return label.to_owned();
    }
    let mut cut: String = label.chars().take(8).collect();
    cut.push('…');
    cut
}

/// One bar: its label, its length from 0 to 1, and the value written beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub share: f64,
    pub shown: String,
}

/// Horizontal bars, one per line (completion by unit, grades).
#[component]
pub fn BarChart(
    caption: String,
    bars: Vec<Bar>,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let description = bars
        .iter()
        .map(|b| format!("{} {}", b.label, b.shown))
        .collect::<Vec<_>>()
        .join("；");
    let span = WIDTH - LABEL - 44.0;
    view! {
        <figure class="chart" data-testid=testid>
            <figcaption>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=format!("{caption}：{description}") width="100%">
                {bars.into_iter().enumerate().map(|(i, bar)| {
                    let y = 4.0 + ROW * i as f64;
                    let length = (bar.share.clamp(0.0, 1.0) * span).max(if bar.share > 0.0 { 1.5 } else { 0.0 });
                    view! {
                        <g>
                            <title>{format!("{} {}", bar.label, bar.shown)}</title>
                            <text x=LABEL - 6.0 y=y + 14.0 text-anchor="end" font-size="11" fill="#1f1a17">{short(&bar.label)}</text>
                            <rect x=LABEL y=y + 3.0 width=span height=ROW - 8.0 fill="#f1e8df"></rect>
                            <rect x=LABEL y=y + 3.0 width=length height=ROW - 8.0 fill="#b71c1c" data-share=format!("{:.3}", bar.share)></rect>
                            <text x=LABEL + span + 4.0 y=y + 14.0 font-size="11" fill="#1f1a17">{bar.shown}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// One line of a stacked chart: its label and its parts (in the order of the legend).
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    pub label: String,
    pub parts: Vec<u32>,
}

/// Horizontal stacked bars, each line as long as its own total (states by unit).
#[component]
pub fn StackedChart(caption: String, legend: Vec<String>, stacks: Vec<Stack>) -> impl IntoView {
    let most = stacks
        .iter()
        .map(|s| s.parts.iter().sum::<u32>())
        .max()
        .unwrap_or(0)
        .max(1);
    let legend_rows = legend.len().div_ceil(3);
    let top = 16.0 * legend_rows as f64 + 4.0;
    let height = top + ROW * stacks.len().max(1) as f64 + 8.0;
    let span = WIDTH - LABEL - 30.0;
    let description = stacks
        .iter()
        .map(|s| {
            let parts = legend
                .iter()
                .zip(&s.parts)
                .filter(|(_, n)| **n > 0)
                .map(|(name, n)| format!("{name} {n}"))
                .collect::<Vec<_>>()
                .join("、");
            format!(
                "{}：{}",
                s.label,
                if parts.is_empty() {
                    "0".to_owned()
                } else {
                    parts
                }
            )
        })
        .collect::<Vec<_>>()
        .join("；");
    view! {
        <figure class="chart">
            <figcaption>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=format!("{caption}：{description}") width="100%">
                {legend.iter().enumerate().map(|(i, name)| {
                    let x = 4.0 + 106.0 * (i % 3) as f64;
                    let y = 4.0 + 16.0 * (i / 3) as f64;
                    view! {
                        <rect x=x y=y width="10" height="10" fill=COLOURS[i % COLOURS.len()]></rect>
                        <text x=x + 14.0 y=y + 9.0 font-size="10" fill="#1f1a17">{name.clone()}</text>
                    }
                }).collect_view()}
                {stacks.into_iter().enumerate().map(|(i, stack)| {
                    let y = top + ROW * i as f64;
                    let total: u32 = stack.parts.iter().sum();
                    let mut x = LABEL;
                    let segments = stack.parts.iter().enumerate().filter(|(_, n)| **n > 0).map(|(j, n)| {
                        let width = f64::from(*n) / f64::from(most) * span;
                        let at = x;
                        x += width;
                        view! { <rect x=at y=y + 3.0 width=width height=ROW - 8.0 fill=COLOURS[j % COLOURS.len()]></rect> }
                    }).collect_view();
                    view! {
                        <g>
                            <title>{format!("{} {}", stack.label, total)}</title>
                            <text x=LABEL - 6.0 y=y + 14.0 text-anchor="end" font-size="11" fill="#1f1a17">{short(&stack.label)}</text>
                            {segments}
                            <text x=LABEL + f64::from(total) / f64::from(most) * span + 4.0 y=y + 14.0 font-size="11" fill="#1f1a17">{total}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// A point of a line chart: its label on the x axis and one value per series
/// (none: not yet).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    pub values: Vec<Option<u32>>,
}

/// Lines over time (the year's progress), with the same numbers as a table.
#[component]
pub fn LineChart(
    caption: String,
    series: Vec<String>,
    points: Vec<Point>,
    table_label: String,
) -> impl IntoView {
    let height = 170.0;
    let (left, right, top, bottom) = (34.0, 8.0, 24.0, 24.0);
    let most = points
        .iter()
        .flat_map(|p| p.values.iter().flatten())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let steps = points.len().saturating_sub(1).max(1) as f64;
    let x_of = move |i: usize| left + (WIDTH - left - right) * i as f64 / steps;
    let y_of = move |v: u32| top + (height - top - bottom) * (1.0 - f64::from(v) / f64::from(most));
    let lines = series.iter().enumerate().map(|(s, name)| {
        let path = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.values.get(s).copied().flatten().map(|v| format!("{:.1},{:.1}", x_of(i), y_of(v))))
            .collect::<Vec<_>>()
            .join(" ");
        let colour = if s == 0 { "#6b605a" } else { "#b71c1c" };
        let x = 4.0 + 120.0 * s as f64;
        view! {
            <polyline points=path fill="none" stroke=colour stroke-width="2" stroke-dasharray=if s == 0 { "4 3" } else { "" }></polyline>
            <rect x=x y="4" width="10" height="10" fill=colour></rect>
            <text x=x + 14.0 y="13" font-size="10" fill="#1f1a17">{name.clone()}</text>
        }
    }).collect_view();
    let description = points
        .iter()
        .map(|p| {
            let values = series
                .iter()
                .zip(&p.values)
                .filter_map(|(name, v)| v.map(|v| format!("{name} {v}")))
                .collect::<Vec<_>>()
                .join("、");
            format!("{} {}", p.label, values)
        })
        .collect::<Vec<_>>()
        .join("；");
    let ticks = points.iter().enumerate().filter(|(i, _)| i % 2 == 0 || points.len() <= 7).map(|(i, p)| view! {
        <text x=x_of(i) y=height - 6.0 text-anchor="middle" font-size="10" fill="#6b605a">{p.label.clone()}</text>
    }).collect_view();
    let rows = points.clone();
    let heads = series.clone();
    view! {
        <figure class="chart">
            <figcaption>{caption.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=format!("{caption}：{description}") width="100%">
                <line x1=left y1=top x2=left y2=height - bottom stroke="#e4d9cf"></line>
                <line x1=left y1=height - bottom x2=WIDTH - right y2=height - bottom stroke="#e4d9cf"></line>
                <text x=left - 4.0 y=top + 4.0 text-anchor="end" font-size="10" fill="#6b605a">{most}</text>
                <text x=left - 4.0 y=height - bottom text-anchor="end" font-size="10" fill="#6b605a">"0"</text>
                {lines}
                {ticks}
            </svg>
            <details>
                <summary>{table_label}</summary>
                <table class="checklist">
                    <thead><tr><th scope="col"></th>{heads.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {rows.into_iter().map(|p| view! {
                            <tr>
                                <th scope="row">{p.label}</th>
                                {p.values.into_iter().map(|v| view! { <td>{v.map(|v| v.to_string()).unwrap_or_else(|| "—".to_owned())}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}
