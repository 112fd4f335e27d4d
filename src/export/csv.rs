//! Tidy CSV tables (RFC 4180 via the csv crate): snake_case headers, `true`/`false`, empty
//! cells for missing values, code-point offsets. Columns are documented in
//! docs/data-dictionary.md.

use crate::aggregate::{ComparisonRow, DocStats, SummaryRow};
use crate::doc::{Document, Span};
use crate::extract::{Extraction, SourceType};
use crate::score::{Claim, COMPONENTS, PATTERNS};
use crate::text::CharIndex;
use std::borrow::Cow;
use std::io::Write;

/// A CSV table; with `spreadsheet_safe`, text cells starting with = + - @ get a leading `'`
/// so that spreadsheet programs do not run them as formulas.
pub struct Table<W: Write> {
    w: csv::Writer<W>,
    spreadsheet_safe: bool,
}

/// A cell: text (subject to the spreadsheet guard) or a value written as is.
pub enum Cell<'a> {
    Text(&'a str),
    Value(String),
}

fn b(x: bool) -> Cell<'static> {
    Cell::Value(if x { "true" } else { "false" }.to_string())
}
fn n(x: impl std::fmt::Display) -> Cell<'static> {
    Cell::Value(x.to_string())
}
fn opt<T: std::fmt::Display>(x: Option<T>) -> Cell<'static> {
    Cell::Value(x.map(|v| v.to_string()).unwrap_or_default())
}
/// `format!("{:.1}", v)`, the same bytes, without the exact-decimal machinery where the
/// rounding cannot be in doubt (the tenths are not within 1e-6 of a tie): writing the 8
/// one-decimal columns of every claim was the costliest part of claims.csv.
pub fn one_decimal(v: f64) -> String {
    let t = v.abs() * 10.0;
    let frac = t - t.floor();
    if !(t.is_finite() && t < 1e15 && (frac - 0.5).abs() > 1e-6) {
        return format!("{v:.1}");
    }
    let d = t.round() as u64;
    let sign = if v.is_sign_negative() { "-" } else { "" };
    format!("{sign}{}.{}", d / 10, d % 10)
}

fn t(s: &str) -> Cell<'_> {
    Cell::Text(s)
}

/// Guard a text cell for spreadsheets when asked.
pub fn guard(s: &str, spreadsheet_safe: bool) -> Cow<'_, str> {
    if spreadsheet_safe && s.starts_with(['=', '+', '-', '@']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

impl<W: Write> Table<W> {
    pub fn new(out: W, header: &[String], spreadsheet_safe: bool) -> csv::Result<Table<W>> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        w.write_record(header)?;
        Ok(Table {
            w,
            spreadsheet_safe,
        })
    }

    pub fn row(&mut self, cells: &[Cell]) -> csv::Result<()> {
        let safe = self.spreadsheet_safe;
        let rec: Vec<Cow<str>> = cells
            .iter()
            .map(|c| match c {
                Cell::Text(s) => guard(s, safe),
                Cell::Value(s) => Cow::Borrowed(s.as_str()),
            })
            .collect();
        self.w.write_record(rec.iter().map(|c| c.as_bytes()))
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }

    pub fn into_inner(self) -> anyhow::Result<W> {
        self.w
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing CSV: {}", e.error()))
    }
}

fn hdr(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|s| s.to_string()).collect()
}

pub fn claims_header() -> Vec<String> {
    let mut h = hdr(&[
        "doc",
        "group",
        "claim",
        "start",
        "end",
        "text",
        "attribution",
        "inherited",
        "source_type",
        "source_text",
        "cue_text",
        "uncertain",
        "score",
    ]);
    h.extend(COMPONENTS.iter().map(|c| format!("component_{c}")));
    h
}

fn joined(text: &str, spans: &[Span]) -> String {
    spans
        .iter()
        .filter_map(|s| text.get(s.start..s.end))
        .collect::<Vec<_>>()
        .join(" … ")
}

/// Free text built here (joined spans), guarded like any text cell.
fn guarded(s: String, safe: bool) -> Cell<'static> {
    Cell::Value(guard(&s, safe).into_owned())
}

/// One row per claim.
pub fn write_claims<W: Write>(
    table: &mut Table<W>,
    doc: &Document,
    group: &str,
    ci: &CharIndex,
    ext: &Extraction,
    claims: &[Claim],
) -> csv::Result<()> {
    let text = doc.text.as_str();
    let safe = table.spreadsheet_safe;
    for (k, c) in claims.iter().enumerate() {
        let a = c.attribution.and_then(|i| ext.attributions.get(i));
        let [s, e] = ci.span(c.span);
        let mut row = vec![
            t(&doc.id),
            t(group),
            n(k),
            n(s),
            n(e),
            t(text.get(c.span.start..c.span.end).unwrap_or("")),
            opt(c.attribution),
            b(c.inherited),
            n(c.source_type(ext)),
            guarded(a.map(|a| joined(text, &a.source)).unwrap_or_default(), safe),
            guarded(a.map(|a| joined(text, &a.cue)).unwrap_or_default(), safe),
            b(c.uncertain),
            Cell::Value(one_decimal(c.score)),
        ];
        row.extend(
            c.components
                .values()
                .iter()
                .map(|&v| Cell::Value(one_decimal(v))),
        );
        table.row(&row)?;
    }
    Ok(())
}

pub fn attributions_header() -> Vec<String> {
    hdr(&[
        "doc",
        "group",
        "id",
        "cue_start",
        "cue_end",
        "cue_text",
        "source_start",
        "source_end",
        "source_text",
        "content_start",
        "content_end",
        "content_text",
        "source_type",
        "source_entity",
        "anonymous_reason",
        "anonymous_knowledge",
        "anonymous_count",
        "descriptors",
        "confirmation",
    ])
}

/// One row per attribution; offsets are those of the first span of each role.
pub fn write_attributions<W: Write>(
    table: &mut Table<W>,
    doc: &Document,
    group: &str,
    ci: &CharIndex,
    ext: &Extraction,
) -> csv::Result<()> {
    let text = doc.text.as_str();
    let safe = table.spreadsheet_safe;
    for (id, a) in ext.attributions.iter().enumerate() {
        let first = |v: &[Span]| v.first().map(|s| ci.span(*s));
        let (cs, ss, ks) = (first(&a.cue), first(&a.source), first(&a.content));
        let an = a.anonymity.as_ref();
        let row = vec![
            t(&doc.id),
            t(group),
            n(id),
            opt(cs.map(|x| x[0])),
            opt(cs.map(|x| x[1])),
            guarded(joined(text, &a.cue), safe),
            opt(ss.map(|x| x[0])),
            opt(ss.map(|x| x[1])),
            guarded(joined(text, &a.source), safe),
            opt(ks.map(|x| x[0])),
            opt(ks.map(|x| x[1])),
            guarded(joined(text, &a.content), safe),
            n(a.source_type.as_str()),
            t(a.source_entity.as_deref().unwrap_or("")),
            match an {
                Some(an) => b(an.reason.is_some()),
                None => n(""),
            },
            match an {
                Some(an) => b(an.knowledge.is_some()),
                None => n(""),
            },
            opt(an.and_then(|an| an.count)),
            guarded(
                an.map(|an| an.descriptors.join(";")).unwrap_or_default(),
                safe,
            ),
            b(a.confirmation),
        ];
        table.row(&row)?;
    }
    Ok(())
}

/// Pattern columns of documents.csv: the fixed patterns, then claims by source type.
pub fn document_pattern_columns() -> Vec<String> {
    let mut v: Vec<String> = PATTERNS.iter().map(|p| p.to_string()).collect();
    v.extend(
        SourceType::ALL
            .iter()
            .map(|t| format!("source_{}", t.as_str())),
    );
    v
}

pub fn documents_header() -> Vec<String> {
    let mut h = hdr(&[
        "doc",
        "group",
        "corpus",
        "n_claims",
        "n_attributions",
        "mean_score",
        "median_score",
    ]);
    h.extend(
        document_pattern_columns()
            .into_iter()
            .map(|p| format!("n_{p}")),
    );
    h.push("lossy_utf8".into());
    h
}

fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    Some(if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    })
}

/// One row per document, also for documents with no claims.
pub fn write_document<W: Write>(
    table: &mut Table<W>,
    doc: &Document,
    stats: &DocStats,
) -> csv::Result<()> {
    let mean = (stats.n_claims > 0).then(|| stats.score_sum() / stats.n_claims as f64);
    let mut row = vec![
        t(&doc.id),
        t(&stats.group),
        t(&doc.corpus),
        n(stats.n_claims),
        n(stats.n_attributions),
        opt(mean.map(|m| (m * 1000.0).round() / 1000.0)),
        opt(median(&stats.scores)),
    ];
    for p in document_pattern_columns() {
        row.push(n(stats.patterns.get(&p).copied().unwrap_or(0)));
    }
    row.push(b(doc.lossy_utf8));
    table.row(&row)
}

pub fn summary_header() -> Vec<String> {
    hdr(&[
        "group", "metric", "key", "level", "n", "count", "estimate", "sd", "ci_low", "ci_high",
        "interval",
    ])
}

/// corpora_long.csv: [`crate::aggregate::Summary::rows`] in long format, one row per figure.
pub fn write_summary_rows<W: Write>(table: &mut Table<W>, rows: &[SummaryRow]) -> csv::Result<()> {
    for r in rows {
        table.row(&[
            t(&r.group),
            n(&r.metric),
            n(&r.key),
            n(&r.level),
            n(r.n),
            opt(r.count),
            opt(r.estimate),
            opt(r.sd),
            opt(r.ci_low),
            opt(r.ci_high),
            n(&r.interval),
        ])?;
    }
    Ok(())
}

pub fn comparisons_header() -> Vec<String> {
    hdr(&[
        "comparison",
        "group_a",
        "group_b",
        "metric",
        "key",
        "n_a",
        "n_b",
        "mean_a",
        "mean_b",
        "diff",
        "ci_low",
        "ci_high",
        "t",
        "df",
        "p",
        "p_holm",
        "hedges_g",
        "inference",
        "holm_family",
        "holm_m",
    ])
}

/// comparisons.csv: [`crate::aggregate::Summary::compare`].
pub fn write_comparisons<W: Write>(
    table: &mut Table<W>,
    rows: &[ComparisonRow],
) -> csv::Result<()> {
    for r in rows {
        table.row(&[
            n(&r.comparison),
            t(&r.group_a),
            t(&r.group_b),
            n(&r.metric),
            n(&r.key),
            n(r.n_a),
            n(r.n_b),
            opt(r.mean_a),
            opt(r.mean_b),
            opt(r.diff),
            opt(r.ci_low),
            opt(r.ci_high),
            opt(r.t),
            opt(r.df),
            opt(r.p),
            opt(r.p_holm),
            opt(r.hedges_g),
            n(&r.inference),
            n(&r.holm_family),
            n(r.holm_m),
        ])?;
    }
    Ok(())
}

pub fn errors_header() -> Vec<String> {
    hdr(&["file", "record", "message"])
}

/// errors.csv: one row per skipped input.
pub fn write_error<W: Write>(table: &mut Table<W>, p: &crate::ingest::Problem) -> csv::Result<()> {
    let file = p.origin.file.display().to_string();
    table.row(&[t(&file), opt(p.origin.record), t(&p.message)])
}

/// The wide corpora.csv: one row per group. Each figure of the long format becomes columns
/// named `<metric>[_<key>]` (the estimate, or the unit count where a figure has no estimate),
/// with `_count`, `_ci_low` and `_ci_high` beside it where the figure has them.
pub fn corpora_wide(rows: &[SummaryRow]) -> (Vec<String>, Vec<Vec<String>>) {
    // Columns in the order of the first group's figures; every group has the same figures.
    let name = |r: &SummaryRow| {
        if r.key.is_empty() {
            r.metric.clone()
        } else {
            format!("{}_{}", r.metric, r.key)
        }
    };
    let mut header = vec!["corpus".to_string()];
    let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for r in rows {
        if groups.last().is_none_or(|g| g.0 != r.group) {
            groups.push((r.group.clone(), Vec::new()));
        }
        let base = name(r);
        let fmt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        let mut cols = vec![(
            base.clone(),
            r.estimate
                .map(|v| v.to_string())
                .unwrap_or_else(|| r.n.to_string()),
        )];
        if let Some(c) = r.count {
            cols.push((format!("{base}_count"), c.to_string()));
        }
        if r.ci_low.is_some() || r.ci_high.is_some() {
            cols.push((format!("{base}_ci_low"), fmt(r.ci_low)));
            cols.push((format!("{base}_ci_high"), fmt(r.ci_high)));
        }
        if let Some(g) = groups.last_mut() {
            g.1.extend(cols);
        }
    }
    if let Some((_, cols)) = groups.first() {
        header.extend(cols.iter().map(|(k, _)| k.clone()));
    }
    let body = groups
        .into_iter()
        .map(|(g, cols)| {
            let mut row = vec![String::new(); header.len()];
            row[0] = g;
            for (k, v) in cols {
                if let Some(i) = header.iter().position(|h| *h == k) {
                    row[i] = v;
                }
            }
            row
        })
        .collect();
    (header, body)
}

pub fn write_corpora_wide<W: Write>(table: &mut Table<W>, body: &[Vec<String>]) -> csv::Result<()> {
    for row in body {
        let cells: Vec<Cell> = row.iter().map(|v| t(v)).collect();
        table.row(&cells)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_decimal_matches_format() {
        let mut vals = vec![
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            -0.05,
            -0.01,
            0.04999,
            99.95,
            100.0,
            -12.35,
            1e14,
            1e15,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
        ];
        // Thousandths and hundredths (ties and near-ties), and sums of tenths.
        vals.extend((-20_000..20_000).map(|i| i as f64 / 1000.0));
        vals.extend((-2_000..2_000).map(|i| i as f64 * 0.01));
        vals.extend((0..1000).map(|i| (0..i % 7).map(|_| 0.1).sum::<f64>() * i as f64));
        for v in vals {
            assert_eq!(super::one_decimal(v), format!("{v:.1}"), "value {v:e}");
        }
    }
}
