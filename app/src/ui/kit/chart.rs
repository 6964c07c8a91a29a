//! Charts drawn as SVG in the page's own markup, so they show in the server's HTML before any
//! wasm, with their values in a table beside them for screen readers and copying.
//!
//! Written here rather than taken from a chart crate: plotters' SVG backend lays text out by
//! measuring glyphs (its `ttf`/`ab_glyph` features and a font file with the Chinese glyphs our
//! labels need), and charts-rs embeds its own fonts; both would be large for two chart shapes
//! (lines over days or hours, horizontal bars) whose labels the browser can lay out itself.

use leptos::prelude::*;

use crate::domain::dashboard::{short_yuan, Unit};

/// The width a chart is drawn at when it takes half a console's row (about its size on screen at
/// 1280 px, so labels read at their CSS size); a full-row chart passes twice this.
pub const HALF_ROW: f64 = 480.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
/// Gridlines above zero.
const TICKS: i64 = 4;

/// One line of a [`LineChart`]: a value per x label, None where there is none yet.
#[derive(Clone)]
pub struct Series {
    pub name: String,
    /// `a` (the main colour), `b` (the comparison colour) or `c` (a third line): `.chart-a` …
    pub tone: &'static str,
    pub values: Vec<Option<i64>>,
}

/// The top of the value axis for `max`: 1, 2 or 5 × 10ⁿ per gridline, [`TICKS`] gridlines.
pub fn axis_top(max: i64) -> i64 {
    let per = (max.max(1) + TICKS - 1) / TICKS;
    let mut unit = 1i64;
    loop {
        for m in [1, 2, 5] {
            if unit * m >= per {
                return unit * m * TICKS;
            }
        }
        unit *= 10;
    }
}

/// Which of `n` x labels to print so that at most `room` show, evenly.
pub fn label_every(n: usize, room: usize) -> usize {
    n.div_ceil(room.max(1)).max(1)
}

/// An SVG coordinate, to a tenth of a unit.
fn px(v: f64) -> String {
    format!("{v:.1}")
}

fn axis_text(unit: Unit, v: i64) -> String {
    match unit {
        Unit::Fen => short_yuan(v),
        Unit::Stars => (v / 100).to_string(),
        _ => unit.text(v),
    }
}

/// A line chart over `labels` (days or hours), with a legend, gridlines labelled in `unit`, and
/// the values as a table under a disclosure.
#[component]
pub fn LineChart(
    #[prop(into)] title: String,
    labels: Vec<String>,
    series: Vec<Series>,
    unit: Unit,
    /// `data-test` of the figure.
    test: &'static str,
    /// viewBox width and height
    #[prop(default = HALF_ROW)]
    width: f64,
    #[prop(default = 220.0)] height: f64,
) -> impl IntoView {
    let (w, h) = (width, height);
    let n = labels.len().max(1);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .copied()
        .max()
        .unwrap_or(0);
    // stars always read on their own scale, one gridline per star
    let (top, ticks) = match unit {
        Unit::Stars => (500, 5),
        _ => (axis_top(max), TICKS),
    };
    let top = top as f64;
    let plot_w = w - LEFT - RIGHT;
    let plot_h = h - TOP - BOTTOM;
    let x = move |i: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = move |v: i64| TOP + plot_h * (1.0 - v as f64 / top);
    let grid = (0..=ticks)
        .map(|t| {
            let v = (top as i64) * t / ticks;
            let gy = px(y(v));
            view! {
                <line x1=px(LEFT) x2=px(w - RIGHT) y1=gy.clone() y2=gy.clone() class="chart-grid" />
                <text x=px(LEFT - 6.0) y=gy text-anchor="end" dominant-baseline="middle" class="chart-axis">{axis_text(unit, v)}</text>
            }
        })
        .collect_view();
    let every = label_every(n, 8);
    let x_labels = labels
        .iter()
        .enumerate()
        // counted back from the last (today, or the latest hour), which always has its label
        .filter(|(i, _)| (n - 1 - i).is_multiple_of(every))
        .map(|(i, l)| {
            view! { <text x=format!("{:.1}", x(i)) y=px(h - 8.0) text-anchor="middle" class="chart-axis">{l.clone()}</text> }
        })
        .collect_view();
    let dots = n <= 31;
    let lines = series
        .iter()
        .map(|s| {
            let mut d = String::new();
            let mut pen_down = false;
            for (i, v) in s.values.iter().enumerate() {
                match v {
                    Some(v) => {
                        d.push_str(&format!(
                            "{}{:.1} {:.1} ",
                            if pen_down { "L" } else { "M" },
                            x(i),
                            y(*v)
                        ));
                        pen_down = true;
                    }
                    None => pen_down = false,
                }
            }
            let marks = dots.then(|| {
                s.values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|v| (i, v)))
                    .map(|(i, v)| {
                        let tip = format!("{} {}：{}", labels.get(i).cloned().unwrap_or_default(), s.name, unit.text(v));
                        view! { <circle cx=format!("{:.1}", x(i)) cy=format!("{:.1}", y(v)) r="2.5" class=format!("chart-dot chart-{}", s.tone)><title>{tip}</title></circle> }
                    })
                    .collect_view()
            });
            view! {
                <path d=d class=format!("chart-line chart-{}", s.tone) />
                {marks}
            }
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|s| view! { <span class="mr-4 inline-flex items-center gap-1"><i class=format!("chart-key chart-{}", s.tone)></i>{s.name.clone()}</span> })
        .collect_view();
    let head = series
        .iter()
        .map(|s| view! { <th>{s.name.clone()}</th> })
        .collect_view();
    let rows = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let cells = series
                .iter()
                .map(|s| view! { <td>{s.values.get(i).copied().flatten().map(|v| unit.text(v)).unwrap_or_else(|| "—".into())}</td> })
                .collect_view();
            view! { <tr><td>{l.clone()}</td>{cells}</tr> }
        })
        .collect_view();
    view! {
        <figure class="chart" data-test=test>
            <figcaption class="flex flex-wrap items-center justify-between gap-2 text-sm">
                <span class="font-medium">{title.clone()}</span>
                <span class="text-xs text-gray-500">{legend}</span>
            </figcaption>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=title class="mt-2 w-full">
                {grid}
                {x_labels}
                {lines}
            </svg>
            <details class="mt-1 text-xs text-gray-500">
                <summary>"查看数据表"</summary>
                <table class="data-table mt-2">
                    <thead><tr><th>""</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

/// One bar of a [`BarChart`].
#[derive(Clone)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    /// Shown after the value, e.g. the share: "32.5%".
    pub note: String,
}

/// Horizontal bars, largest first as given, each labelled with its value in `unit`.
#[component]
pub fn BarChart(
    #[prop(into)] title: String,
    bars: Vec<Bar>,
    unit: Unit,
    test: &'static str,
    #[prop(optional, into)] empty: Option<String>,
) -> impl IntoView {
    if bars.is_empty() {
        let empty = empty.unwrap_or_else(|| "所选时间内没有数据".into());
        return view! {
            <figure class="chart" data-test=test>
                <figcaption class="text-sm font-medium">{title}</figcaption>
                <p class="py-8 text-center text-sm text-gray-400">{empty}</p>
            </figure>
        }
        .into_any();
    }
    const W: f64 = HALF_ROW;
    const ROW: f64 = 28.0;
    const LABEL: f64 = 112.0;
    const VALUE: f64 = 130.0;
    let height = ROW * bars.len() as f64 + 4.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let room = W - LABEL - VALUE;
    let rows = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let y = ROW * i as f64 + 4.0;
            let w = (room * b.value.max(0) as f64 / max).max(1.0);
            let label: String = if b.label.chars().count() > 9 {
                b.label.chars().take(8).chain(['…']).collect()
            } else {
                b.label.clone()
            };
            view! {
                <text x=px(LABEL - 8.0) y=px(y + 14.0) text-anchor="end" dominant-baseline="middle" class="chart-label"><title>{b.label.clone()}</title>{label}</text>
                <rect x=px(LABEL) y=px(y + 5.0) width=px(w) height="18" rx="3" class="chart-bar" />
                <text x=px(LABEL + w + 6.0) y=px(y + 14.0) dominant-baseline="middle" class="chart-axis">{format!("{} {}", unit.text(b.value), b.note)}</text>
            }
        })
        .collect_view();
    let table = bars
        .iter()
        .map(|b| view! { <tr><td>{b.label.clone()}</td><td>{unit.text(b.value)}</td><td>{b.note.clone()}</td></tr> })
        .collect_view();
    view! {
        <figure class="chart" data-test=test>
            <figcaption class="text-sm font-medium">{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {W} {height}") role="img" aria-label=title class="mt-2 w-full">{rows}</svg>
            <details class="mt-1 text-xs text-gray-500">
                <summary>"查看数据表"</summary>
                <table class="data-table mt-2"><tbody>{table}</tbody></table>
            </details>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_and_cover_the_maximum() {
        assert_eq!(axis_top(0), 4);
        assert_eq!(axis_top(7), 8);
        assert_eq!(axis_top(9), 20);
        assert_eq!(axis_top(380), 400);
        assert_eq!(axis_top(401), 800);
        assert_eq!(axis_top(123_456), 200_000);
        for max in [1, 3, 17, 99, 1_000, 45_678] {
            let top = axis_top(max);
            assert!(top >= max && top < max * 3 + 8, "{max} → {top}");
        }
    }

    #[test]
    fn labels_thin_out_to_the_room() {
        assert_eq!(label_every(7, 8), 1);
        assert_eq!(label_every(30, 8), 4);
        assert_eq!(label_every(90, 8), 12);
    }
}
