//! The report's charts as inline SVG: dot and whisker panels, histograms, a forest plot and
//! lines over time. Each chart is an `<svg role="img">` named by its `<title>` and `<desc>`,
//! with its marks in class `mark` and a marker colour of its own kind (so that a test can see,
//! in a screenshot, that every kind of chart drew).

use super::html::escape;
use std::fmt::Write;

/// The marker colour of each kind of chart.
pub const DOT: &str = "#1f5fbf";
pub const BAR: &str = "#d9822b";
pub const FOREST: &str = "#1e8c45";
pub const LINE: &str = "#8e44ad";
/// Line colours after the first, each with its own dash pattern as well.
const SERIES: [(&str, &str); 6] = [
    (LINE, ""),
    ("#c0392b", "6 3"),
    ("#16a085", "2 3"),
    ("#7f6000", "8 3 2 3"),
    ("#34495e", "1 2"),
    ("#d35400", "10 4"),
];
/// The most series a line chart draws.
pub const MAX_SERIES: usize = SERIES.len();

const WIDTH: f64 = 1060.0;
const LABEL: f64 = 210.0;
const ROW: f64 = 18.0;
const TOP: f64 = 56.0;
const GREY: &str = "#888";

/// A figure with its 95% interval (none for a group of one document).
#[derive(Debug, Clone, Copy)]
pub struct Whisker {
    pub estimate: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// One panel of a dot and whisker chart: a figure for every row.
pub struct Panel {
    pub title: String,
    /// Shares are shown as percentages, means as they are.
    pub percent: bool,
    pub points: Vec<Option<Whisker>>,
}

/// A label shortened to `max` characters (the whole one stays in the row's `<title>`).
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// `text` in at most two lines of about `width` characters, broken between words.
fn two_lines(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for w in text.split(' ') {
        let full = lines.len() == 2;
        let last = lines.last_mut().expect("one line");
        if !full && !last.is_empty() && last.chars().count() + 1 + w.chars().count() > width {
            lines.push(w.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(w);
        }
    }
    lines
}

/// An axis maximum above `x`: 1, 2, 2.5 or 5 times a power of ten.
pub fn nice_max(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&m| m >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// Gridlines for an axis of `0..hi` (a [`nice_max`]): whole or half tenths of it.
fn steps_for(hi: f64) -> usize {
    let mantissa = hi / 10f64.powf(hi.log10().floor());
    if (mantissa - 2.5).abs() < 1e-9 || (mantissa - 5.0).abs() < 1e-9 {
        5
    } else {
        4
    }
}

fn fmt_tick(v: f64, percent: bool) -> String {
    if percent {
        format!("{}%", trim(100.0 * v))
    } else {
        trim(v)
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The opening tag, title and description of a chart.
fn open(out: &mut String, id: &str, kind: &str, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"chart\" \
         data-chart=\"{kind}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" \
         font-family=\"system-ui,sans-serif\" font-size=\"12\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(title),
        escape(desc)
    );
}

/// Row labels down the left side, from `y0`.
fn labels(out: &mut String, labels: &[String], y0: f64) {
    for (i, l) in labels.iter().enumerate() {
        let y = y0 + ROW * i as f64 + ROW / 2.0 + 4.0;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{y}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            LABEL - 8.0,
            escape(l),
            escape(&short(l, 30))
        );
    }
}

/// Where a horizontal axis goes: `x0..x1` mapping `lo..hi` in `steps` gridlines, from `y0`
/// down to `y1`.
struct Axis {
    x0: f64,
    x1: f64,
    lo: f64,
    hi: f64,
    y0: f64,
    y1: f64,
    steps: usize,
}

/// A horizontal axis with its gridlines and tick labels.
fn axis(out: &mut String, a: Axis, percent: bool) {
    let Axis {
        x0,
        x1,
        lo,
        hi,
        y0,
        y1,
        steps,
    } = a;
    for k in 0..=steps {
        let v = lo + (hi - lo) * k as f64 / steps as f64;
        let x = x0 + (x1 - x0) * k as f64 / steps as f64;
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{y0}\" y2=\"{y1}\" stroke=\"#e4e4e4\"/>\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
            y0 - 4.0,
            fmt_tick(v, percent)
        );
    }
}

/// Small multiples: one panel per figure, one row per group, a dot at the estimate and a
/// whisker over its interval.
pub fn dot_whisker(id: &str, title: &str, desc: &str, rows: &[String], panels: &[Panel]) -> String {
    let height = TOP + ROW * rows.len() as f64 + 10.0;
    let mut out = String::new();
    open(&mut out, id, "dot-whisker", height, title, desc);
    labels(&mut out, rows, TOP);
    let w = (WIDTH - LABEL) / panels.len().max(1) as f64;
    for (k, p) in panels.iter().enumerate() {
        // Room between panels for the tick labels at both ends.
        let x0 = LABEL + w * k as f64 + 16.0;
        let x1 = x0 + w - 36.0;
        let top = p
            .points
            .iter()
            .flatten()
            .map(|m| m.high.unwrap_or(m.estimate))
            .fold(0.0, f64::max);
        let hi = if p.percent {
            nice_max(top).min(1.0)
        } else {
            100.0
        };
        // The title on up to two lines: the panels are narrow.
        for (line, words) in two_lines(&p.title, 14).iter().enumerate() {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"600\" \
                 font-size=\"11\">{}</text>",
                (x0 + x1) / 2.0,
                13.0 + 14.0 * line as f64,
                escape(words)
            );
        }
        let a = Axis {
            x0,
            x1,
            lo: 0.0,
            hi,
            y0: TOP - 12.0,
            y1: height - 8.0,
            steps: 2,
        };
        axis(&mut out, a, p.percent);
        let sx = |v: f64| x0 + (x1 - x0) * (v / hi).clamp(0.0, 1.0);
        for (i, m) in p.points.iter().enumerate() {
            let Some(m) = m else { continue };
            let y = TOP + ROW * i as f64 + ROW / 2.0;
            let what = match (m.low, m.high) {
                (Some(l), Some(h)) => format!(
                    "{}: {} [{}, {}]",
                    rows[i],
                    fmt_tick(m.estimate, p.percent),
                    fmt_tick(l, p.percent),
                    fmt_tick(h, p.percent)
                ),
                _ => format!("{}: {}", rows[i], fmt_tick(m.estimate, p.percent)),
            };
            let _ = write!(out, "<g class=\"mark\"><title>{}</title>", escape(&what));
            if let (Some(l), Some(h)) = (m.low, m.high) {
                let _ = write!(
                    out,
                    "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{GREY}\" \
                     stroke-width=\"2\"/>",
                    sx(l),
                    sx(h)
                );
            }
            let _ = write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{y}\" r=\"4.5\" fill=\"{DOT}\"/></g>",
                sx(m.estimate)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// One histogram per row: the share of the row's claims in each bin of `0..=100`.
pub fn histograms(id: &str, title: &str, desc: &str, rows: &[String], bins: &[Vec<u64>]) -> String {
    let row = 2.0 * ROW;
    let height = TOP + row * rows.len() as f64 + 10.0;
    let mut out = String::new();
    open(&mut out, id, "histogram", height, title, desc);
    let (x0, x1) = (LABEL, WIDTH - 20.0);
    let a = Axis {
        x0,
        x1,
        lo: 0.0,
        hi: 100.0,
        y0: TOP - 12.0,
        y1: height - 8.0,
        steps: 4,
    };
    axis(&mut out, a, false);
    for (i, (label, counts)) in rows.iter().zip(bins).enumerate() {
        let y0 = TOP + row * i as f64;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>",
            LABEL - 8.0,
            y0 + row / 2.0 + 4.0,
            escape(label),
            escape(&short(label, 30))
        );
        let total: u64 = counts.iter().sum();
        let peak = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
        let bw = (x1 - x0) / counts.len().max(1) as f64;
        let _ = write!(
            out,
            "<line x1=\"{x0}\" x2=\"{x1}\" y1=\"{}\" y2=\"{}\" stroke=\"#bbb\"/>",
            y0 + row - 2.0,
            y0 + row - 2.0
        );
        for (b, &c) in counts.iter().enumerate() {
            if c == 0 {
                continue;
            }
            let h = (row - 4.0) * c as f64 / peak;
            let lo = 100.0 * b as f64 / counts.len() as f64;
            let hi = 100.0 * (b + 1) as f64 / counts.len() as f64;
            let _ = write!(
                out,
                "<rect class=\"mark\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" \
                 fill=\"{BAR}\"><title>{}: {c} of {total} claims score {}–{}{}</title></rect>",
                x0 + bw * b as f64 + 0.5,
                y0 + row - 2.0 - h,
                bw - 1.0,
                escape(label),
                trim(lo),
                trim(hi),
                if b + 1 == counts.len() {
                    " (100 included)"
                } else {
                    ""
                }
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// One difference with its interval.
pub struct ForestRow {
    pub label: String,
    pub diff: f64,
    pub low: f64,
    pub high: f64,
    /// Holm-adjusted p < 0.05: drawn filled and its label starred.
    pub significant: bool,
}

/// A forest plot: a row per difference, its interval, a line at zero. Significant ones are
/// filled squares with a star; the others hollow.
pub fn forest(id: &str, title: &str, desc: &str, rows: &[ForestRow], percent: bool) -> String {
    let height = TOP + ROW * rows.len() as f64 + 10.0;
    let mut out = String::new();
    open(&mut out, id, "forest", height, title, desc);
    let names: Vec<String> = rows
        .iter()
        .map(|r| format!("{}{}", r.label, if r.significant { " *" } else { "" }))
        .collect();
    labels(&mut out, &names, TOP);
    let reach = rows
        .iter()
        .flat_map(|r| [r.low.abs(), r.high.abs(), r.diff.abs()])
        .fold(0.0, f64::max);
    let m = nice_max(reach);
    let (x0, x1) = (LABEL + 10.0, WIDTH - 30.0);
    let a = Axis {
        x0,
        x1,
        lo: -m,
        hi: m,
        y0: TOP - 12.0,
        y1: height - 8.0,
        steps: 4,
    };
    axis(&mut out, a, percent);
    let sx = |v: f64| x0 + (x1 - x0) * ((v + m) / (2.0 * m)).clamp(0.0, 1.0);
    let _ = write!(
        out,
        "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"#333\"/>",
        sx(0.0),
        sx(0.0),
        TOP - 12.0,
        height - 8.0
    );
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + ROW * i as f64 + ROW / 2.0;
        let fill = if r.significant { FOREST } else { "#fff" };
        let _ = write!(
            out,
            "<g class=\"mark\"><title>{}: {} [{}, {}]{}</title>\
             <line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{FOREST}\" stroke-width=\"2\"/>\
             <rect x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\" fill=\"{fill}\" stroke=\"{FOREST}\" stroke-width=\"2\"/></g>",
            escape(&r.label),
            fmt_tick(r.diff, percent),
            fmt_tick(r.low, percent),
            fmt_tick(r.high, percent),
            if r.significant { ", significant (Holm p < 0.05)" } else { "" },
            sx(r.low),
            sx(r.high),
            sx(r.diff) - 4.5,
            y - 4.5
        );
    }
    out.push_str("</svg>");
    out
}

/// One line over the periods.
pub struct Series {
    pub label: String,
    pub points: Vec<Option<f64>>,
}

/// Lines over time: the periods along the bottom, one line per series (colour and dash),
/// a dot at each period with a figure, and the series named at the right.
pub fn lines(
    id: &str,
    title: &str,
    desc: &str,
    periods: &[String],
    series: &[Series],
    percent: bool,
) -> String {
    let height = 260.0;
    let (x0, x1, y0, y1) = (60.0, WIDTH - LABEL, 24.0, height - 40.0);
    let mut out = String::new();
    open(&mut out, id, "lines", height, title, desc);
    let top = series
        .iter()
        .flat_map(|s| s.points.iter().flatten())
        .fold(0.0, |a: f64, &b| a.max(b));
    let hi = if percent {
        nice_max(top).min(1.0)
    } else {
        100.0
    };
    let n = periods.len().max(1);
    let sx = |k: usize| {
        if n == 1 {
            (x0 + x1) / 2.0
        } else {
            x0 + (x1 - x0) * k as f64 / (n - 1) as f64
        }
    };
    let sy = |v: f64| y1 - (y1 - y0) * (v / hi).clamp(0.0, 1.0);
    let steps = steps_for(hi);
    for k in 0..=steps {
        let v = hi * k as f64 / steps as f64;
        let _ = write!(
            out,
            "<line x1=\"{x0}\" x2=\"{x1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#e4e4e4\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#555\">{}</text>",
            sy(v),
            sy(v),
            x0 - 6.0,
            sy(v) + 4.0,
            fmt_tick(v, percent)
        );
    }
    // At most about 12 period labels, evenly spaced.
    let step = n.div_ceil(12);
    for (k, p) in periods.iter().enumerate().step_by(step) {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
            sx(k),
            y1 + 18.0,
            escape(p)
        );
    }
    for (s, (colour, dash)) in series.iter().zip(SERIES) {
        let pts: Vec<String> = s
            .points
            .iter()
            .enumerate()
            .filter_map(|(k, v)| v.map(|v| format!("{:.1},{:.1}", sx(k), sy(v))))
            .collect();
        let _ = write!(
            out,
            "<g class=\"mark\"><title>{}</title><polyline points=\"{}\" fill=\"none\" \
             stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>",
            escape(&s.label),
            pts.join(" ")
        );
        for (k, v) in s.points.iter().enumerate() {
            if let Some(v) = v {
                let _ = write!(
                    out,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{colour}\"><title>{}, {}: {}</title></circle>",
                    sx(k),
                    sy(*v),
                    escape(&s.label),
                    escape(&periods[k]),
                    fmt_tick(*v, percent)
                );
            }
        }
        out.push_str("</g>");
    }
    for (i, (s, (colour, dash))) in series.iter().zip(SERIES).enumerate() {
        let y = y0 + 18.0 * i as f64;
        let _ = write!(
            out,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"2\" \
             stroke-dasharray=\"{dash}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            x1 + 20.0,
            x1 + 50.0,
            x1 + 56.0,
            y + 4.0,
            escape(&short(&s.label, 22))
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_max_rounds_up_to_1_2_2_5_or_5() {
        assert_eq!(nice_max(0.07), 0.1);
        assert_eq!(nice_max(0.13), 0.2);
        assert_eq!(nice_max(0.21), 0.25);
        assert_eq!(nice_max(0.3), 0.5);
        assert_eq!(nice_max(0.5), 0.5);
        assert_eq!(nice_max(12.0), 20.0);
        assert_eq!(nice_max(0.0), 1.0);
        // Ticks of 5%, 10%, 25 and 5%: round numbers.
        assert_eq!(steps_for(0.25), 5);
        assert_eq!(steps_for(0.5), 5);
        assert_eq!(steps_for(100.0), 4);
        assert_eq!(steps_for(0.2), 4);
    }

    #[test]
    fn labels_are_escaped_and_shortened() {
        let s = dot_whisker(
            "x",
            "a <b>",
            "d",
            &["<script>".to_string(), "a".repeat(40)],
            &[Panel {
                title: "rate".into(),
                percent: true,
                points: vec![
                    Some(Whisker {
                        estimate: 0.2,
                        low: Some(0.1),
                        high: Some(0.3),
                    }),
                    None,
                ],
            }],
        );
        assert!(!s.contains("<script>"), "{s}");
        assert!(s.contains("&lt;script&gt;"));
        assert!(s.contains(&format!("{}…", "a".repeat(29))));
        assert_eq!(s.matches("class=\"mark\"").count(), 1);
        assert!(s.contains("20% [10%, 30%]"), "{s}");
    }
}
