//! The CSV tables of `score` and `merge`: snake_case headers, `true`/`false`, empty cells
//! for missing values, code-point offsets. Each table's columns are declared once, as
//! (name, value) pairs, so that its header line and its rows cannot disagree; the test
//! below holds docs/data-dictionary.md to the same declarations.

use super::writer::{Cell, Record, Table};
use crate::aggregate::{ComparisonRow, DocStats, PeriodRow, SummaryRow, TrendRow};
use crate::doc::{Document, Span};
use crate::extract::{Attribution, Extraction};
use crate::ingest::Problem;
use crate::pipeline::{DocCounts, Firsts};
use crate::score::{Claim, Pattern, SourcingIndex, COMPONENTS};
use crate::text::CharIndex;
use std::borrow::Cow;
use std::io::Write;

/// A column of a table, or a run of columns, with how a row of type `R` fills it.
enum Column<R> {
    /// One column: its name and its value.
    One(&'static str, for<'r> fn(&'r R) -> Cell<'r>),
    /// A column per key, named `<prefix><key>`, valued by the key's index.
    Each(
        &'static str,
        &'static [&'static str],
        for<'r> fn(&'r R, usize) -> Cell<'r>,
    ),
}

/// The header names of `columns`, in order.
fn names<R>(columns: &[Column<R>]) -> Vec<String> {
    let mut v = Vec::new();
    for c in columns {
        match c {
            Column::One(name, _) => v.push(name.to_string()),
            Column::Each(prefix, keys, _) => v.extend(keys.iter().map(|k| format!("{prefix}{k}"))),
        }
    }
    v
}

/// The cells of `row`, in the order of `columns`.
fn cells<'r, R>(columns: &[Column<R>], row: &'r R) -> Vec<Cell<'r>> {
    let mut v = Vec::new();
    for c in columns {
        match c {
            Column::One(_, value) => v.push(value(row)),
            Column::Each(_, keys, value) => v.extend((0..keys.len()).map(|i| value(row, i))),
        }
    }
    v
}

/// Writes the cells of `row` into a record begun by the caller.
#[inline(always)]
fn put<R, W: Write>(record: &mut Record<'_, W>, columns: &[Column<R>], row: &R) {
    for c in columns {
        match c {
            Column::One(_, value) => {
                record.cell(value(row));
            }
            Column::Each(_, keys, value) => {
                for i in 0..keys.len() {
                    record.cell(value(row, i));
                }
            }
        }
    }
}

/// One record per row of `rows`.
fn write_rows<R, W: Write>(
    table: &mut Table<W>,
    columns: &[Column<R>],
    rows: &[R],
) -> csv::Result<()> {
    rows.iter().try_for_each(|r| write_row(table, columns, r))
}

/// One record of `row`.
fn write_row<R, W: Write>(table: &mut Table<W>, columns: &[Column<R>], row: &R) -> csv::Result<()> {
    let mut record = table.record();
    put(&mut record, columns, row);
    record.end()
}

fn b(x: bool) -> Cell<'static> {
    Cell::Bool(x)
}
fn n(x: impl std::fmt::Display) -> Cell<'static> {
    Cell::Value(x.to_string())
}
fn int(x: usize) -> Cell<'static> {
    Cell::Int(x as u64)
}
fn opt_int(x: Option<usize>) -> Cell<'static> {
    x.map_or(Cell::Empty, int)
}
fn opt<T: std::fmt::Display>(x: Option<T>) -> Cell<'static> {
    Cell::Value(x.map(|v| v.to_string()).unwrap_or_default())
}
fn opt_bool(x: Option<bool>) -> Cell<'static> {
    x.map_or(Cell::Empty, b)
}
fn t(s: &str) -> Cell<'_> {
    Cell::Text(s)
}

/// The columns that open the rows of claims.csv and attributions.csv: the same on every
/// row of a document, so formatted once per document.
struct DocLead<'a> {
    id: &'a str,
    group: &'a str,
    corpus: &'a str,
}

/// The columns that tell a document apart, in the order of documents.csv: ids repeat
/// across corpora (the BBC's `001` in each folder), so `corpus` is on every row.
fn lead_columns<'a>() -> [Column<DocLead<'a>>; 3] {
    [
        Column::One("doc", |r| t(r.id)),
        Column::One("group", |r| t(r.group)),
        Column::One("corpus", |r| t(r.corpus)),
    ]
}

/// A row of claims.csv, with what several columns share worked out once.
struct ClaimRow<'a> {
    k: usize,
    /// Added to the claim's attribution index, which is its piece's (see [`Firsts`]).
    first_attribution: usize,
    claim: &'a Claim,
    text: &'a str,
    /// Code-point offsets of the claim.
    span: [usize; 2],
    source_type: &'a str,
    source: &'a [Span],
    cue: &'a [Span],
    components: [f64; 7],
}

fn claim_columns<'a>() -> [Column<ClaimRow<'a>>; 12] {
    [
        Column::One("claim", |r| int(r.k)),
        Column::One("start", |r| int(r.span[0])),
        Column::One("end", |r| int(r.span[1])),
        Column::One("text", |r| {
            t(r.text
                .get(r.claim.span.start..r.claim.span.end)
                .unwrap_or(""))
        }),
        Column::One("attribution", |r| {
            opt_int(r.claim.attribution.map(|i| r.first_attribution + i))
        }),
        Column::One("inherited", |r| b(r.claim.inherited)),
        Column::One("source_type", |r| Cell::Str(r.source_type)),
        Column::One("source_text", |r| Cell::Joined(r.text, r.source)),
        Column::One("cue_text", |r| Cell::Joined(r.text, r.cue)),
        Column::One("uncertain", |r| b(r.claim.uncertain)),
        Column::One("score", |r| Cell::Dec1(r.claim.score)),
        Column::Each("component_", &COMPONENTS, |r, i| {
            Cell::Dec1(r.components[i])
        }),
    ]
}

pub fn claims_header() -> Vec<String> {
    let mut h = names(&lead_columns());
    h.extend(names(&claim_columns()));
    h
}

/// The document's lead cells, formatted.
fn lead<W: Write>(table: &mut Table<W>, doc: &Document, group: &str) -> (Vec<u8>, usize) {
    let lead = DocLead {
        id: &doc.id,
        group,
        corpus: &doc.corpus,
    };
    let cells = cells(&lead_columns(), &lead);
    (table.format_cells(&cells), cells.len())
}

/// One row per claim.
#[inline(never)]
pub fn write_claims<W: Write>(
    table: &mut Table<W>,
    doc: &Document,
    group: &str,
    ci: &CharIndex,
    ext: &Extraction,
    claims: &[Claim],
    first: Firsts,
) -> csv::Result<()> {
    let text = doc.text.as_str();
    let (lead, n_lead) = lead(table, doc, group);
    let columns = claim_columns();
    for (k, c) in claims.iter().enumerate() {
        let a = c.attribution.and_then(|i| ext.attributions.get(i));
        let row = ClaimRow {
            k: first.claim + k,
            first_attribution: first.attribution,
            claim: c,
            text,
            span: ci.span(c.span),
            source_type: c.source_type(ext),
            source: a.map_or(&[], |a| &a.source),
            cue: a.map_or(&[], |a| &a.cue),
            components: c.components.values(),
        };
        let mut r = table.record();
        r.formatted(&lead, n_lead);
        put(&mut r, &columns, &row);
        r.end()?;
    }
    Ok(())
}

/// A row of attributions.csv: code-point offsets of the first span of each role.
struct AttributionRow<'a> {
    id: usize,
    a: &'a Attribution,
    text: &'a str,
    cue: Option<[usize; 2]>,
    source: Option<[usize; 2]>,
    content: Option<[usize; 2]>,
    /// Descriptors joined with ";" (one needs no joining).
    descriptors: Cow<'a, str>,
}

fn attribution_columns<'a>() -> [Column<AttributionRow<'a>>; 17] {
    [
        Column::One("id", |r| int(r.id)),
        Column::One("cue_start", |r| opt_int(r.cue.map(|x| x[0]))),
        Column::One("cue_end", |r| opt_int(r.cue.map(|x| x[1]))),
        Column::One("cue_text", |r| Cell::Joined(r.text, &r.a.cue)),
        Column::One("source_start", |r| opt_int(r.source.map(|x| x[0]))),
        Column::One("source_end", |r| opt_int(r.source.map(|x| x[1]))),
        Column::One("source_text", |r| Cell::Joined(r.text, &r.a.source)),
        Column::One("content_start", |r| opt_int(r.content.map(|x| x[0]))),
        Column::One("content_end", |r| opt_int(r.content.map(|x| x[1]))),
        Column::One("content_text", |r| Cell::Joined(r.text, &r.a.content)),
        Column::One("source_type", |r| Cell::Str(r.a.source_type.as_str())),
        Column::One("source_entity", |r| {
            t(r.a.source_entity.as_deref().unwrap_or(""))
        }),
        Column::One("anonymous_reason", |r| {
            opt_bool(r.a.anonymity.as_ref().map(|an| an.reason.is_some()))
        }),
        Column::One("anonymous_knowledge", |r| {
            opt_bool(r.a.anonymity.as_ref().map(|an| an.knowledge.is_some()))
        }),
        Column::One("anonymous_count", |r| {
            opt_int(
                r.a.anonymity
                    .as_ref()
                    .and_then(|an| an.count)
                    .map(|c| c as usize),
            )
        }),
        Column::One("descriptors", |r| t(&r.descriptors)),
        Column::One("confirmation", |r| b(r.a.confirmation)),
    ]
}

pub fn attributions_header() -> Vec<String> {
    let mut h = names(&lead_columns());
    h.extend(names(&attribution_columns()));
    h
}

/// One row per attribution.
#[inline(never)]
pub fn write_attributions<W: Write>(
    table: &mut Table<W>,
    doc: &Document,
    group: &str,
    ci: &CharIndex,
    ext: &Extraction,
    first: Firsts,
) -> csv::Result<()> {
    let text = doc.text.as_str();
    let (lead, n_lead) = lead(table, doc, group);
    let columns = attribution_columns();
    for (id, a) in ext.attributions.iter().enumerate() {
        let first_span = |v: &[Span]| v.first().map(|s| ci.span(*s));
        let descriptors = match a.anonymity.as_ref().map(|an| an.descriptors.as_slice()) {
            None | Some([]) => Cow::Borrowed(""),
            Some([d]) => Cow::Borrowed(d.as_str()),
            Some(ds) => Cow::Owned(ds.join(";")),
        };
        let row = AttributionRow {
            id: first.attribution + id,
            a,
            text,
            cue: first_span(&a.cue),
            source: first_span(&a.source),
            content: first_span(&a.content),
            descriptors,
        };
        let mut r = table.record();
        r.formatted(&lead, n_lead);
        put(&mut r, &columns, &row);
        r.end()?;
    }
    Ok(())
}

/// The count keys of the patterns, in the order of [`Pattern::ALL`].
const PATTERN_KEYS: [&str; Pattern::ALL.len()] = {
    let mut keys = [""; Pattern::ALL.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = Pattern::ALL[i].as_str();
        i += 1;
    }
    keys
};

/// A row of documents.csv.
struct DocumentRow<'a> {
    doc: &'a Document,
    stats: &'a DocStats,
    counts: &'a DocCounts,
    index: &'a SourcingIndex,
    mean: Option<f64>,
    median: Option<f64>,
}

/// A share to four decimals.
fn share(x: Option<f64>) -> Cell<'static> {
    opt(x.map(|v| (v * 10_000.0).round() / 10_000.0))
}

fn document_columns<'a>() -> [Column<DocumentRow<'a>>; 20] {
    [
        Column::One("doc", |r| t(&r.doc.id)),
        Column::One("group", |r| t(&r.stats.group)),
        Column::One("corpus", |r| t(&r.doc.corpus)),
        Column::One("n_sentences", |r| int(r.counts.sentences)),
        Column::One("n_opinion", |r| int(r.counts.opinion_sentences)),
        Column::One("n_other", |r| int(r.counts.other_sentences)),
        Column::One("n_claims", |r| n(r.stats.n_claims)),
        Column::One("n_attributions", |r| n(r.stats.n_attributions)),
        Column::One("mean_score", |r| opt(r.mean)),
        Column::One("median_score", |r| opt(r.median)),
        Column::One("sourcing_index", |r| opt(r.index.index)),
        Column::One("index_identified_share", |r| {
            share(r.index.identified_share)
        }),
        Column::One("index_source_mix", |r| share(r.index.source_mix)),
        Column::One("index_distinct_sources", |r| int(r.index.distinct_sources)),
        Column::One("index_reporting_share", |r| share(r.index.reporting_share)),
        Column::One("index_confirmed_share", |r| share(r.index.confirmed_share)),
        Column::One("index_anonymous_without_reason_share", |r| {
            share(r.index.anonymous_without_reason_share)
        }),
        Column::One("index_uncertain_share", |r| share(r.index.uncertain_share)),
        Column::Each("n_", &PATTERN_KEYS, |r, i| {
            Cell::Int(r.stats.patterns.get(PATTERN_KEYS[i]).copied().unwrap_or(0))
        }),
        Column::One("lossy_utf8", |r| b(r.doc.lossy_utf8)),
    ]
}

pub fn documents_header() -> Vec<String> {
    names(&document_columns())
}

fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    // The middle one or two in the order of a sort, without sorting the rest.
    let mut s = v.to_vec();
    let m = s.len() / 2;
    let (below, mid, _) = s.select_nth_unstable_by(m, f64::total_cmp);
    let mid = *mid;
    Some(if v.len() % 2 == 1 {
        mid
    } else {
        let low = below.iter().copied().max_by(f64::total_cmp).unwrap_or(mid);
        (low + mid) / 2.0
    })
}

/// One row per document, also for documents with no claims.
pub fn write_document<W: Write>(
    table: &mut Table<W>,
    doc: &Document,
    stats: &DocStats,
    counts: &DocCounts,
    index: &SourcingIndex,
) -> csv::Result<()> {
    let mean = (stats.n_claims > 0).then(|| stats.score_sum() / stats.n_claims as f64);
    let row = DocumentRow {
        doc,
        stats,
        counts,
        index,
        mean: mean.map(|m| (m * 1000.0).round() / 1000.0),
        median: median(&stats.scores),
    };
    write_row(table, &document_columns(), &row)
}

const SUMMARY_COLUMNS: [Column<SummaryRow>; 11] = [
    Column::One("group", |r| t(&r.group)),
    Column::One("metric", |r| Cell::Str(&r.metric)),
    Column::One("key", |r| Cell::Str(&r.key)),
    Column::One("level", |r| Cell::Str(&r.level)),
    Column::One("n", |r| n(r.n)),
    Column::One("count", |r| opt(r.count)),
    Column::One("estimate", |r| opt(r.estimate)),
    Column::One("sd", |r| opt(r.sd)),
    Column::One("ci_low", |r| opt(r.ci_low)),
    Column::One("ci_high", |r| opt(r.ci_high)),
    Column::One("interval", |r| Cell::Str(&r.interval)),
];

pub fn summary_header() -> Vec<String> {
    names(&SUMMARY_COLUMNS)
}

/// corpora_long.csv: [`crate::aggregate::Summary::rows`] in long format, one row per figure.
pub fn write_summary_rows<W: Write>(table: &mut Table<W>, rows: &[SummaryRow]) -> csv::Result<()> {
    write_rows(table, &SUMMARY_COLUMNS, rows)
}

/// periods.csv: the columns of corpora_long.csv with the period after the group.
pub fn periods_header() -> Vec<String> {
    let mut header = names(&SUMMARY_COLUMNS[..1]);
    header.push("period".to_string());
    header.extend(names(&SUMMARY_COLUMNS[1..]));
    header
}

/// periods.csv: [`crate::aggregate::Periods::rows`], one row per figure of a (group, period).
pub fn write_period_rows<W: Write>(
    table: &mut Table<W>,
    rows: impl IntoIterator<Item = PeriodRow>,
) -> csv::Result<()> {
    for r in rows {
        let mut record = table.record();
        put(&mut record, &SUMMARY_COLUMNS[..1], &r.row);
        record.cell(Cell::Str(&r.period));
        put(&mut record, &SUMMARY_COLUMNS[1..], &r.row);
        record.end()?;
    }
    Ok(())
}

const TREND_COLUMNS: [Column<TrendRow>; 16] = [
    Column::One("group", |r| t(&r.group)),
    Column::One("metric", |r| Cell::Str(r.metric)),
    Column::One("key", |r| Cell::Str(&r.key)),
    Column::One("step", |r| Cell::Str(r.step)),
    Column::One("periods", |r| n(r.periods)),
    Column::One("documents", |r| n(r.documents)),
    Column::One("claims", |r| n(r.claims)),
    Column::One("slope", |r| opt(r.slope)),
    Column::One("ci_low", |r| opt(r.ci_low)),
    Column::One("ci_high", |r| opt(r.ci_high)),
    Column::One("t", |r| opt(r.t)),
    Column::One("df", |r| opt(r.df)),
    Column::One("p", |r| opt(r.p)),
    Column::One("p_holm", |r| opt(r.p_holm)),
    Column::One("method", |r| Cell::Str(r.method)),
    Column::One("note", |r| Cell::Str(&r.note)),
];

pub fn trends_header() -> Vec<String> {
    names(&TREND_COLUMNS)
}

/// trends.csv: [`crate::aggregate::trends`].
pub fn write_trends<W: Write>(table: &mut Table<W>, rows: &[TrendRow]) -> csv::Result<()> {
    write_rows(table, &TREND_COLUMNS, rows)
}

const COMPARISON_COLUMNS: [Column<ComparisonRow>; 19] = [
    Column::One("comparison", |r| Cell::Str(&r.comparison)),
    Column::One("group_a", |r| t(&r.group_a)),
    Column::One("group_b", |r| t(&r.group_b)),
    Column::One("metric", |r| Cell::Str(&r.metric)),
    Column::One("key", |r| Cell::Str(&r.key)),
    Column::One("n_a", |r| n(r.n_a)),
    Column::One("n_b", |r| n(r.n_b)),
    Column::One("estimate_a", |r| opt(r.estimate_a)),
    Column::One("estimate_b", |r| opt(r.estimate_b)),
    Column::One("diff", |r| opt(r.diff)),
    Column::One("diff_ci_low", |r| opt(r.diff_ci_low)),
    Column::One("diff_ci_high", |r| opt(r.diff_ci_high)),
    Column::One("statistic", |r| opt(r.statistic)),
    Column::One("df", |r| opt(r.df)),
    Column::One("p", |r| opt(r.p)),
    Column::One("p_holm", |r| opt(r.p_holm)),
    Column::One("holm_family", |r| Cell::Str(&r.holm_family)),
    Column::One("holm_m", |r| n(r.holm_m)),
    Column::One("inference", |r| Cell::Str(&r.inference)),
];

pub fn comparisons_header() -> Vec<String> {
    names(&COMPARISON_COLUMNS)
}

/// comparisons.csv: [`crate::aggregate::Summary::compare`].
pub fn write_comparisons<W: Write>(
    table: &mut Table<W>,
    rows: &[ComparisonRow],
) -> csv::Result<()> {
    write_rows(table, &COMPARISON_COLUMNS, rows)
}

/// A row of errors.csv.
struct ErrorRow<'a> {
    file: String,
    problem: &'a Problem,
}

fn error_columns<'a>() -> [Column<ErrorRow<'a>>; 3] {
    [
        Column::One("file", |r| t(&r.file)),
        Column::One("record", |r| opt(r.problem.origin.record)),
        Column::One("message", |r| t(&r.problem.message)),
    ]
}

pub fn errors_header() -> Vec<String> {
    names(&error_columns())
}

/// errors.csv: one row per skipped input.
pub fn write_error<W: Write>(table: &mut Table<W>, p: &Problem) -> csv::Result<()> {
    let row = ErrorRow {
        file: p.origin.file.display().to_string(),
        problem: p,
    };
    write_row(table, &error_columns(), &row)
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
    fn median_is_that_of_the_sorted_values() {
        let sorted_median = |v: &[f64]| {
            let mut s = v.to_vec();
            s.sort_by(f64::total_cmp);
            let m = s.len() / 2;
            if s.len() % 2 == 1 {
                s[m]
            } else {
                (s[m - 1] + s[m]) / 2.0
            }
        };
        assert_eq!(super::median(&[]), None);
        let mut x = 12345u64;
        for len in 1..60 {
            for _ in 0..20 {
                let v: Vec<f64> = (0..len)
                    .map(|_| {
                        x = x
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        ((x >> 33) % 23) as f64 * 2.5 - 10.0
                    })
                    .collect();
                let m = super::median(&v).unwrap();
                assert_eq!(m.to_bits(), sorted_median(&v).to_bits(), "{v:?}");
            }
        }
    }

    use super::*;

    /// The (column, meaning) rows of the table of `file` in docs/data-dictionary.md; a
    /// row may name several columns, separated by ", ".
    fn dictionary_rows<'a>(dictionary: &'a str, file: &str) -> Vec<(&'a str, &'a str)> {
        let heading = format!("## {file} ");
        let section = dictionary
            .lines()
            .skip_while(|l| !l.starts_with(&heading))
            .skip(1)
            .take_while(|l| !l.starts_with("## "));
        let cells = |l: &'a str| -> Vec<&'a str> {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect()
        };
        // The table's own header and separator lines come first.
        section
            .filter(|l| l.starts_with('|'))
            .skip(2)
            .map(|l| {
                let c = cells(l);
                (c[0], c[c.len() - 1])
            })
            .collect()
    }

    const DICTIONARY: &str = include_str!("../../docs/data-dictionary.md");

    #[test]
    fn the_data_dictionary_lists_every_column_in_order() {
        let tables = [
            ("claims.csv", claims_header()),
            ("attributions.csv", attributions_header()),
            ("documents.csv", documents_header()),
            ("corpora_long.csv", summary_header()),
            ("comparisons.csv", comparisons_header()),
            ("periods.csv", periods_header()),
            ("trends.csv", trends_header()),
            ("errors.csv", errors_header()),
        ];
        for (file, header) in tables {
            let listed: Vec<&str> = dictionary_rows(DICTIONARY, file)
                .iter()
                .flat_map(|(columns, _)| columns.split(", "))
                .map(|c| c.trim_matches('`'))
                .collect();
            assert_eq!(
                listed, header,
                "columns of {file} in docs/data-dictionary.md"
            );
        }
    }

    #[test]
    fn the_data_dictionary_describes_each_pattern_as_declared() {
        let rows = dictionary_rows(DICTIONARY, "documents.csv");
        for p in Pattern::ALL {
            let column = format!("n_{}", p.as_str());
            let meaning = rows.iter().find(|(c, _)| *c == column).map(|(_, m)| *m);
            assert_eq!(meaning, Some(p.description()), "{column}");
        }
    }
}
