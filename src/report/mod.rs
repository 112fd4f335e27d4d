//! report.html, written into every `score --out DIR`, and the explain page of one article
//! (`explain --html`): self-contained HTML with inline SVG (no script, nothing fetched),
//! drawn from the figures score already computed, so that every figure equals its CSV's.
//!
//! html.rs: escaping, the page and its stylesheet, the data dictionary's Markdown;
//! svg.rs: the charts; examples.rs: `--examples` (examples.csv); article.rs: explain's view;
//! pages.rs: the example articles' explain pages beside the report (`articles/`).

pub mod article;
pub mod examples;
pub mod html;
pub mod pages;
pub mod svg;

use crate::aggregate::cluster::Bounded;
use crate::aggregate::{Comparisons, GroupSummary, Period, Periods, Summary, TrendRow};
use crate::score::Pattern;
use examples::Examples;
use html::{escape, markdown, shell_word};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use svg::{ForestRow, Panel, Series, Whisker};

/// The charts show at most this many groups (those with the most claims); the tables list
/// every group.
pub const MAX_CHART_GROUPS: usize = 30;
/// A forest plot shows at most this many differences (significant first, then the largest).
pub const MAX_FOREST_ROWS: usize = 30;
/// Examples are shown for at most this many groups per pattern; examples.csv has them all.
pub const MAX_EXAMPLE_GROUPS: usize = 12;

/// The data dictionary, embedded at build time.
const DATA_DICTIONARY: &str = include_str!("../../docs/data-dictionary.md");

/// The patterns of the charts and the examples: the fixed ones, without the source types.
const PATTERNS: [Pattern; 9] = Pattern::FIXED;
/// The patterns compared in forest plots and drawn over time (with the mean score).
const KEY_PATTERNS: [Pattern; 4] = [
    Pattern::Anonymous,
    Pattern::ConfirmedNamedOfficial,
    Pattern::Uncertain,
    Pattern::Unattributed,
];

/// What the report is made of: the run's figures, and how to reach an example's article.
pub struct Inputs<'a> {
    pub summary: &'a Summary,
    pub comparisons: &'a Comparisons,
    /// `--period`: the figures per period and the trends.
    pub periods: Option<(&'a Periods, &'a [TrendRow])>,
    pub examples: &'a Examples,
    /// The `--by` column.
    pub by: &'a str,
    /// The explain command for the run's inputs, before `--id` (shell words): shown for an
    /// example whose article has no page.
    pub explain: &'a str,
    /// The example articles' pages in `articles/`, linked from their examples.
    pub pages: &'a pages::Pages,
}

/// The report as one HTML page.
pub fn render(r: &Inputs) -> String {
    let groups: Vec<&GroupSummary> = r.summary.groups().collect();
    // The charts' groups: most claims first, then by name (groups() is in name order).
    let mut charted = groups.clone();
    charted.sort_by_key(|g| std::cmp::Reverse(g.n_claims()));
    charted.truncate(MAX_CHART_GROUPS);
    let n_docs: u64 = groups.iter().map(|g| g.n_documents()).sum();
    let n_claims: u64 = groups.iter().map(|g| g.n_claims()).sum();
    let limited = if groups.len() > MAX_CHART_GROUPS {
        format!(
            "<p class=\"note\">{} groups: the charts show the {MAX_CHART_GROUPS} with the most \
             claims; the tables list every group (all figures are in corpora.csv).</p>\n",
            groups.len()
        )
    } else {
        String::new()
    };
    let mut sections = vec![
        ("groups", "Groups: rates and their intervals".to_string()),
        ("scores", "Score distributions".to_string()),
        ("comparisons", "Comparisons".to_string()),
    ];
    if r.periods.is_some() {
        sections.push(("time", "Over time".to_string()));
    }
    sections.push(("examples", "Example claims".to_string()));
    sections.push(("dictionary", "Data dictionary".to_string()));
    let mut out = format!(
        "<h1>onrecord report</h1>\n<p>{} groups by <code>{}</code>, {n_docs} documents, \
         {n_claims} claims. Scores rate how well each claim is sourced: a transparent model of \
         sourcing, not a verdict on truth. Every interval is a 95% interval clustered by \
         document (docs/statistics.md); the figures are those of corpora.csv, comparisons.csv \
         and periods.csv.</p>\n<nav aria-label=\"contents\"><ul>{}</ul></nav>\n{limited}",
        groups.len(),
        escape(r.by),
        sections
            .iter()
            .map(|(id, t)| format!("<li><a href=\"#{id}\">{}</a></li>", escape(t)))
            .collect::<String>()
    );
    rates(&mut out, &groups, &charted);
    scores(&mut out, &charted);
    comparisons(&mut out, r.comparisons);
    if let Some((p, t)) = r.periods {
        time(&mut out, p, t, &charted);
    }
    example_tables(&mut out, r, &charted);
    let _ = write!(
        out,
        "<h2 id=\"dictionary\">Data dictionary</h2>\n<details><summary>The columns of every \
         file in the output folder (docs/data-dictionary.md)</summary>\n{}</details>\n",
        markdown(DATA_DICTIONARY, 2)
    );
    html::page("onrecord report", &out)
}

fn whisker(b: Bounded) -> Option<Whisker> {
    b.estimate.map(|estimate| Whisker {
        estimate,
        low: b.ci.map(|c| c.low),
        high: b.ci.map(|c| c.high),
    })
}

/// "0.123 [0.100, 0.150]", or "-" when there is no figure.
fn cell(b: Bounded, digits: usize) -> String {
    match (b.estimate, b.ci) {
        (Some(e), Some(c)) => format!("{e:.digits$} [{:.digits$}, {:.digits$}]", c.low, c.high),
        (Some(e), None) => format!("{e:.digits$}"),
        _ => "-".into(),
    }
}

/// The dot and whisker panels of the charted groups, and a table of every group.
fn rates(out: &mut String, groups: &[&GroupSummary], charted: &[&GroupSummary]) {
    let names: Vec<String> = charted.iter().map(|g| g.group.clone()).collect();
    let mut panels = vec![Panel {
        title: "mean score".into(),
        percent: false,
        points: charted
            .iter()
            .map(|g| whisker(g.score_mean_clustered()))
            .collect(),
    }];
    for p in [
        Pattern::Anonymous,
        Pattern::AnonymousWithoutReason,
        Pattern::ConfirmedNamedOfficial,
        Pattern::Uncertain,
        Pattern::Vague,
        Pattern::Unattributed,
    ] {
        panels.push(Panel {
            title: p.label().to_string(),
            percent: true,
            points: charted
                .iter()
                .map(|g| whisker(g.pattern_rate_clustered(p.as_str())))
                .collect(),
        });
    }
    let _ = write!(
        out,
        "<h2 id=\"groups\">Groups: rates and their intervals</h2>\n<figure>{}<figcaption>Each \
         group's mean claim score and the share of its claims with each pattern: a dot at the \
         figure, a whisker over its 95% interval (corpora.csv).</figcaption></figure>\n",
        svg::dot_whisker(
            "chart-rates",
            "Mean score and pattern rates by group",
            &format!(
                "Dot and whisker panels for {} groups: mean claim score (0 to 100) and the \
                 shares of claims that are anonymous, anonymous with no reason, confirmed by a \
                 named official, uncertain, vague and unattributed, each with its 95% interval.",
                names.len()
            ),
            &names,
            &panels
        )
    );
    out.push_str(
        "<table><caption>Every group: documents, claims, mean score and pattern rates with \
         their 95% intervals</caption>\n<thead><tr><th scope=\"col\">group</th>\
         <th scope=\"col\">documents</th><th scope=\"col\">claims</th>\
         <th scope=\"col\">mean score</th>",
    );
    for p in KEY_PATTERNS {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(p.label()));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for g in groups {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td>",
            escape(&g.group),
            g.n_documents(),
            g.n_claims(),
            cell(g.score_mean_clustered(), 1)
        );
        for p in KEY_PATTERNS {
            let _ = write!(
                out,
                "<td class=\"n\">{}</td>",
                cell(g.pattern_rate_clustered(p.as_str()), 3)
            );
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// Bins of the score histograms: 5 points wide, 100 in the last.
const BINS: usize = 20;

fn scores(out: &mut String, charted: &[&GroupSummary]) {
    let names: Vec<String> = charted.iter().map(|g| g.group.clone()).collect();
    let bins: Vec<Vec<u64>> = charted
        .iter()
        .map(|g| {
            let mut b = vec![0u64; BINS];
            for (score, n) in g.score_counts() {
                let k = ((score / 100.0 * BINS as f64) as usize).min(BINS - 1);
                b[k] += n;
            }
            b
        })
        .collect();
    let _ = write!(
        out,
        "<h2 id=\"scores\">Score distributions</h2>\n<figure>{}<figcaption>How each group's \
         claim scores spread over 0 to 100, in bins of 5 points (each histogram scaled to its \
         own largest bin).</figcaption></figure>\n",
        svg::histograms(
            "chart-scores",
            "Claim score distribution by group",
            &format!(
                "Histograms of claim scores for {} groups, 20 bins of 5 points from 0 to 100.",
                names.len()
            ),
            &names,
            &bins
        )
    );
}

fn comparisons(out: &mut String, c: &Comparisons) {
    let _ = write!(
        out,
        "<h2 id=\"comparisons\">Comparisons</h2>\n<p>{} groups with at least {} documents with \
         claims tested{}. Each difference with its 95% interval; a filled square and a star \
         mark Holm-adjusted p &lt; 0.05 (within each figure's family); hollow squares are not \
         significant (comparisons.csv).</p>\n",
        c.tested,
        c.options.min_group_docs,
        if c.too_small.is_empty() {
            String::new()
        } else {
            format!("; {} smaller groups not tested", c.too_small.len())
        }
    );
    let figures = std::iter::once(("score_mean", "", "mean score", false)).chain(
        KEY_PATTERNS
            .iter()
            .map(|p| ("pattern_rate", p.as_str(), p.label(), true)),
    );
    for (k, (metric, key, label, percent)) in figures.enumerate() {
        let mut rows: Vec<ForestRow> = c
            .rows
            .iter()
            .filter(|r| r.metric == metric && r.key == key)
            .filter_map(|r| {
                Some(ForestRow {
                    label: format!("{} − {}", r.group_a, r.group_b),
                    diff: r.diff?,
                    low: r.diff_ci_low?,
                    high: r.diff_ci_high?,
                    significant: r.p_holm.is_some_and(|p| p < 0.05),
                })
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let all = rows.len();
        rows.sort_by(|a, b| {
            b.significant
                .cmp(&a.significant)
                .then(b.diff.abs().total_cmp(&a.diff.abs()))
        });
        rows.truncate(MAX_FOREST_ROWS);
        let shown = if all > rows.len() {
            format!(
                " The {} shown of {all}: significant first, then the largest.",
                rows.len()
            )
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "<h3>{}</h3>\n<figure>{}<figcaption>Differences in {} ({}).{shown}</figcaption>\
             </figure>\n",
            escape(label),
            svg::forest(
                &format!("chart-forest-{k}"),
                &format!("Differences in {label} between groups"),
                &format!(
                    "Forest plot of {} differences in {label}, each with its 95% interval; \
                     a star marks a significant difference.",
                    rows.len()
                ),
                &rows,
                percent
            ),
            escape(label),
            if percent {
                "percentage points"
            } else {
                "score points"
            }
        );
    }
}

fn time(out: &mut String, periods: &Periods, trends: &[TrendRow], charted: &[&GroupSummary]) {
    let unit = periods.unit();
    let dated: BTreeSet<Period> = periods
        .cells()
        .map(|(_, p, _)| p)
        .filter(|&p| p != Period::Undated)
        .collect();
    let labels: Vec<String> = dated.iter().map(|&p| unit.label(p)).collect();
    let cells: BTreeMap<(&str, Period), &GroupSummary> =
        periods.cells().map(|(g, p, s)| ((g, p), s)).collect();
    let lined: Vec<&GroupSummary> = charted
        .iter()
        .copied()
        .filter(|g| {
            cells
                .keys()
                .any(|(n, p)| *n == g.group && *p != Period::Undated)
        })
        .take(svg::MAX_SERIES)
        .collect();
    let _ = write!(
        out,
        "<h2 id=\"time\">Over time</h2>\n<p>Each {} of the documents' dates (periods.csv): the \
         {} groups with the most claims, one line each (colour and dash).</p>\n",
        unit.as_str(),
        lined.len()
    );
    let figures = std::iter::once((None, "mean score", false))
        .chain(KEY_PATTERNS.iter().map(|&p| (Some(p), p.label(), true)));
    for (k, (pattern, label, percent)) in figures.enumerate() {
        let series: Vec<Series> = lined
            .iter()
            .map(|g| Series {
                label: g.group.clone(),
                points: dated
                    .iter()
                    .map(|&p| {
                        let s = cells.get(&(g.group.as_str(), p))?;
                        match pattern {
                            None => s.score_mean_clustered().estimate,
                            Some(p) => s.pattern_rate_clustered(p.as_str()).estimate,
                        }
                    })
                    .collect(),
            })
            .collect();
        let _ = write!(
            out,
            "<h3>{}</h3>\n<figure>{}</figure>\n",
            escape(label),
            svg::lines(
                &format!("chart-time-{k}"),
                &format!("{label} by {}", unit.as_str()),
                &format!(
                    "Lines of {label} per {} for {} groups over {} periods.",
                    unit.as_str(),
                    series.len(),
                    labels.len()
                ),
                &labels,
                &series,
                percent
            )
        );
    }
    let significant: Vec<&TrendRow> = trends
        .iter()
        .filter(|t| t.p_holm.is_some_and(|p| p < 0.05))
        .collect();
    let _ = write!(
        out,
        "<table><caption>Significant trends (Holm-adjusted p &lt; 0.05; every trend is in \
         trends.csv): {} of {}</caption>\n<thead><tr><th scope=\"col\">group</th>\
         <th scope=\"col\">figure</th><th scope=\"col\">slope per {}</th>\
         <th scope=\"col\">95% interval</th><th scope=\"col\">Holm p</th></tr></thead>\n<tbody>\n",
        significant.len(),
        trends.len(),
        unit.as_str()
    );
    for t in significant {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">[{}, {}]</td><td class=\"n\">{}</td></tr>",
            escape(&t.group),
            escape(&format!("{} {}", t.metric, t.key)),
            t.slope.map_or("-".into(), |v| format!("{v:.4}")),
            t.ci_low.map_or("-".into(), |v| format!("{v:.4}")),
            t.ci_high.map_or("-".into(), |v| format!("{v:.4}")),
            t.p_holm.map_or("-".into(), |v| format!("{v:.3}"))
        );
    }
    out.push_str("</tbody></table>\n");
}

fn example_tables(out: &mut String, r: &Inputs, charted: &[&GroupSummary]) {
    let _ = write!(
        out,
        "<h2 id=\"examples\">Example claims</h2>\n<p>Per pattern, up to {MAX_EXAMPLE_GROUPS} \
         groups (most claims first), each group's examples: a fixed sample, the claims with the \
         smallest hash of (group, document, start), the same at any thread count \
         (examples.csv has every group). Each links to its article's explain page in \
         <code>articles/</code> (beside this file), its sentence marked, with the article's \
         sources, cues, contents and hedges; where there is no page (input read from standard \
         input, an article over 1 MiB, a merge of summary.json files), the command beside it \
         writes one.</p>\n"
    );
    for p in PATTERNS {
        let rows: Vec<&examples::Example> = charted
            .iter()
            .take(MAX_EXAMPLE_GROUPS)
            .flat_map(|g| r.examples.of(&g.group, p))
            .collect();
        let _ = writeln!(
            out,
            "<h3 id=\"ex-{}\">{}</h3>",
            p.as_str(),
            escape(p.label())
        );
        if rows.is_empty() {
            out.push_str(
                "<p class=\"note\">No examples (none of the claims, or --examples 0).</p>\n",
            );
            continue;
        }
        let _ = write!(
            out,
            "<table><caption>Examples of {}: {}</caption>\n<thead><tr><th scope=\"col\">group\
             </th><th scope=\"col\">score</th><th scope=\"col\">claim</th><th \
             scope=\"col\">article</th></tr></thead>\n<tbody>\n",
            escape(p.label()),
            escape(p.description())
        );
        for e in rows {
            if let Some(href) = r.pages.href(&e.doc_corpus, &e.doc) {
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\">{}</th><td class=\"n\">{:.1}</td><td>{}</td><td><a \
                     href=\"{}#s{}\">{} (sentence {})</a></td></tr>",
                    escape(&e.group),
                    e.score,
                    escape(&e.text),
                    escape(&href),
                    e.sentence,
                    escape(&e.doc),
                    e.sentence
                );
                continue;
            }
            let page = format!("{}.html", e.doc);
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{:.1}</td><td>{}</td><td>{} \
                 (sentence {})<br><code>{} --id {} --corpus {} --html {}</code></td></tr>",
                escape(&e.group),
                e.score,
                escape(&e.text),
                escape(&e.doc),
                e.sentence,
                escape(r.explain),
                escape(&shell_word(&e.doc)),
                escape(&shell_word(&e.doc_corpus)),
                escape(&shell_word(&page))
            );
        }
        out.push_str("</tbody></table>\n");
    }
}
