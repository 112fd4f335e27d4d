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
///
/// The bytes are those of the csv crate's default writer (RFC 4180: a field is quoted when
/// it holds `,` `"` CR or LF, quotes doubled; a record of one empty field is written `""`;
/// LF ends a record), written straight into one buffer: numbers and flags are formatted
/// there without an allocation per cell, which made half the cost of a `score` run.
pub struct Table<W: Write> {
    out: W,
    buf: Vec<u8>,
    /// Joined spans are assembled here before they are written as one field.
    scratch: String,
    /// Number of fields of the first record; every record must have as many.
    fields: Option<usize>,
    spreadsheet_safe: bool,
}

/// A cell: text (subject to the spreadsheet guard) or a value written as is.
pub enum Cell<'a> {
    Text(&'a str),
    Value(String),
    /// A value written as is, borrowed.
    Str(&'a str),
    Int(u64),
    Bool(bool),
    /// `format!("{:.1}", v)`.
    Dec1(f64),
    /// Empty cell.
    Empty,
    /// Text spans of `text` joined with " … " (missing spans left out), guarded like text.
    Joined(&'a str, &'a [Span]),
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

/// Bytes after which flushing the buffer to the writer.
const FLUSH_AT: usize = 1 << 16;

/// `format!("{:.1}", v)`, the same bytes, without the exact-decimal machinery where the
/// rounding cannot be in doubt (the tenths are not within 1e-6 of a tie): writing the 8
/// one-decimal columns of every claim was the costliest part of claims.csv.
pub fn one_decimal(v: f64) -> String {
    let mut out = Vec::new();
    push_one_decimal(&mut out, v);
    String::from_utf8(out).unwrap_or_default()
}

fn push_one_decimal(out: &mut Vec<u8>, v: f64) {
    // Whole numbers first (most components are 0 or a whole weight): digits and ".0".
    let i = v as i64;
    if i as f64 == v && i.unsigned_abs() < 1_000_000_000_000_000 {
        if v.is_sign_negative() {
            out.push(b'-');
        }
        push_u64(out, i.unsigned_abs());
        out.extend_from_slice(b".0");
        return;
    }
    let t = v.abs() * 10.0;
    // Truncation is the floor for 0 <= t < 1e15 (and NaN goes to the fallback below).
    let whole = t as u64;
    let frac = t - whole as f64;
    if !(t.is_finite() && t < 1e15 && (frac - 0.5).abs() > 1e-6) {
        out.extend_from_slice(format!("{v:.1}").as_bytes());
        return;
    }
    // Not near a tie: rounding half away from zero is rounding to nearest.
    let d = whole + u64::from(frac > 0.5);
    if v.is_sign_negative() {
        out.push(b'-');
    }
    push_u64(out, d / 10);
    out.push(b'.');
    out.push(b'0' + (d % 10) as u8);
}

/// Decimal digits of `x` (as `x.to_string()`), written in place (no copy call per number).
fn push_u64(out: &mut Vec<u8>, mut x: u64) {
    let mut n = 1;
    let mut p = 10u64;
    while n < 20 && x >= p {
        n += 1;
        p = p.saturating_mul(10);
    }
    let start = out.len();
    out.resize(start + n, b'0');
    for d in out[start..].iter_mut().rev() {
        *d = b'0' + (x % 10) as u8;
        x /= 10;
    }
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

/// The field needs quotes (the csv crate's `QuoteStyle::Necessary`).
#[inline]
fn needs_quotes(s: &[u8]) -> bool {
    if s.len() < 32 {
        // Short cells (ids, names, numbers): a plain loop beats the set-up of a vector search.
        return s.iter().any(|&c| matches!(c, b',' | b'"' | b'\r' | b'\n'));
    }
    memchr::memchr3(b',', b'"', b'\n', s).is_some() || memchr::memchr(b'\r', s).is_some()
}

/// Append one field: unquoted, or quoted with inner quotes doubled.
fn push_field(buf: &mut Vec<u8>, prefix: &[u8], s: &[u8]) {
    if needs_quotes(s) || needs_quotes(prefix) {
        buf.push(b'"');
        for part in [prefix, s] {
            let mut rest = part;
            while let Some(q) = memchr::memchr(b'"', rest) {
                buf.extend_from_slice(&rest[..=q]);
                buf.push(b'"');
                rest = &rest[q + 1..];
            }
            buf.extend_from_slice(rest);
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(prefix);
        buf.extend_from_slice(s);
    }
}

fn io_err(e: std::io::Error) -> csv::Error {
    csv::Error::from(e)
}

impl<W: Write> Table<W> {
    pub fn new(out: W, header: &[String], spreadsheet_safe: bool) -> csv::Result<Table<W>> {
        let mut t = Table {
            out,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            scratch: String::new(),
            fields: None,
            spreadsheet_safe,
        };
        let cells: Vec<Cell> = header.iter().map(|h| Cell::Str(h)).collect();
        t.row(&cells)?;
        Ok(t)
    }

    /// A table without a header line, for rows formatted apart (on a worker thread) and
    /// appended to the real table with [`Table::append`]; `header` gives the field count.
    pub fn body(out: W, header: &[String], spreadsheet_safe: bool) -> Table<W> {
        Table {
            out,
            buf: Vec::new(),
            scratch: String::new(),
            fields: Some(header.len()),
            spreadsheet_safe,
        }
    }

    /// Append whole rows written by a [`Table::body`] of the same header.
    pub fn append(&mut self, rows: &[u8]) -> csv::Result<()> {
        if self.buf.len() + rows.len() >= FLUSH_AT {
            self.out.write_all(&self.buf).map_err(io_err)?;
            self.buf.clear();
            if rows.len() >= FLUSH_AT {
                return self.out.write_all(rows).map_err(io_err);
            }
        }
        self.buf.extend_from_slice(rows);
        Ok(())
    }

    /// A text field, guarded for spreadsheets when asked.
    fn text_field(&mut self, s: &str) {
        let guarded = self.spreadsheet_safe && s.starts_with(['=', '+', '-', '@']);
        let prefix: &[u8] = if guarded { b"'" } else { b"" };
        push_field(&mut self.buf, prefix, s.as_bytes());
    }

    pub fn row(&mut self, cells: &[Cell]) -> csv::Result<()> {
        let start = self.buf.len();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            match c {
                Cell::Text(s) => self.text_field(s),
                Cell::Value(s) => push_field(&mut self.buf, b"", s.as_bytes()),
                Cell::Str(s) => push_field(&mut self.buf, b"", s.as_bytes()),
                Cell::Int(x) => push_u64(&mut self.buf, *x),
                Cell::Bool(x) => self
                    .buf
                    .extend_from_slice(if *x { b"true" } else { b"false" }),
                Cell::Dec1(v) => {
                    let at = self.buf.len();
                    push_one_decimal(&mut self.buf, *v);
                    // NaN and infinities are words; none holds a special byte.
                    debug_assert!(!needs_quotes(&self.buf[at..]));
                }
                Cell::Empty => {}
                Cell::Joined(text, spans) => {
                    let mut j = std::mem::take(&mut self.scratch);
                    j.clear();
                    let mut first = true;
                    for s in spans.iter().filter_map(|s| text.get(s.start..s.end)) {
                        if !first {
                            j.push_str(" … ");
                        }
                        first = false;
                        j.push_str(s);
                    }
                    self.text_field(&j);
                    self.scratch = j;
                }
            }
        }
        // A record with no bytes (one empty field) is written as `""`, as the csv crate does.
        if self.buf.len() == start {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        match self.fields {
            None => self.fields = Some(cells.len()),
            Some(n) if n != cells.len() => {
                self.buf.truncate(start);
                return Err(io_err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "a CSV record has {} fields where the first had {n} (a defect: please report it)",
                        cells.len()
                    ),
                )));
            }
            Some(_) => {}
        }
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf).map_err(io_err)?;
            self.buf.clear();
        }
        Ok(())
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }

    pub fn into_inner(mut self) -> anyhow::Result<W> {
        self.flush()
            .map_err(|e| anyhow::anyhow!("writing CSV: {e}"))?;
        Ok(self.out)
    }
}

impl Table<Vec<u8>> {
    /// The bytes written so far (see [`Table::body`]).
    pub fn into_bytes(mut self) -> Vec<u8> {
        if self.out.is_empty() {
            return self.buf;
        }
        self.out.append(&mut self.buf);
        self.out
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
    for (k, c) in claims.iter().enumerate() {
        let a = c.attribution.and_then(|i| ext.attributions.get(i));
        let [s, e] = ci.span(c.span);
        let src: &[Span] = a.map_or(&[], |a| &a.source);
        let cue: &[Span] = a.map_or(&[], |a| &a.cue);
        let v = c.components.values();
        let row = [
            t(&doc.id),
            t(group),
            int(k),
            int(s),
            int(e),
            t(text.get(c.span.start..c.span.end).unwrap_or("")),
            opt_int(c.attribution),
            b(c.inherited),
            Cell::Str(c.source_type(ext)),
            Cell::Joined(text, src),
            Cell::Joined(text, cue),
            b(c.uncertain),
            Cell::Dec1(c.score),
            Cell::Dec1(v[0]),
            Cell::Dec1(v[1]),
            Cell::Dec1(v[2]),
            Cell::Dec1(v[3]),
            Cell::Dec1(v[4]),
            Cell::Dec1(v[5]),
            Cell::Dec1(v[6]),
        ];
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
        let row = [
            t(&doc.id),
            t(group),
            int(id),
            opt_int(cs.map(|x| x[0])),
            opt_int(cs.map(|x| x[1])),
            Cell::Joined(text, &a.cue),
            opt_int(ss.map(|x| x[0])),
            opt_int(ss.map(|x| x[1])),
            Cell::Joined(text, &a.source),
            opt_int(ks.map(|x| x[0])),
            opt_int(ks.map(|x| x[1])),
            Cell::Joined(text, &a.content),
            Cell::Str(a.source_type.as_str()),
            t(a.source_entity.as_deref().unwrap_or("")),
            match an {
                Some(an) => b(an.reason.is_some()),
                None => Cell::Empty,
            },
            match an {
                Some(an) => b(an.knowledge.is_some()),
                None => Cell::Empty,
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
    // The column names are built once, not for every document.
    static COLUMNS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    for p in COLUMNS.get_or_init(document_pattern_columns) {
        row.push(Cell::Int(stats.patterns.get(p).copied().unwrap_or(0)));
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
    fn rows_formatted_apart_and_appended_are_the_same_bytes() {
        use super::{Cell, Table};
        let header: Vec<String> = ["doc", "text", "n"].iter().map(|s| s.to_string()).collect();
        let long = "long ".repeat(20_000);
        let rows: Vec<[&str; 3]> = vec![
            ["a", "plain", "1"],
            ["b", "with, comma and \"quotes\"", "2"],
            ["c", "=formula", ""],
            ["d", &long, "3"],
        ];
        for safe in [false, true] {
            let mut direct = Table::new(Vec::new(), &header, safe).unwrap();
            let mut joined = Table::new(Vec::new(), &header, safe).unwrap();
            for r in &rows {
                let row = [Cell::Text(r[0]), Cell::Text(r[1]), Cell::Str(r[2])];
                direct.row(&row).unwrap();
                let mut part = Table::body(Vec::new(), &header, safe);
                part.row(&row).unwrap();
                joined.append(&part.into_bytes()).unwrap();
            }
            assert_eq!(direct.into_inner().unwrap(), joined.into_inner().unwrap());
        }
        // A body table still checks the field count of its header.
        let mut part = Table::body(Vec::new(), &header, false);
        assert!(part.row(&[Cell::Text("x")]).is_err());
    }

    #[test]
    fn integers_match_to_string() {
        let mut vals: Vec<u64> = vec![0, 9, 10, 99, 100, u64::MAX, u64::MAX / 10, 10u64.pow(19)];
        vals.extend((0..20).map(|k| 10u64.pow(k) - 1));
        vals.extend((0..20).map(|k| 10u64.pow(k)));
        for v in vals {
            let mut out = Vec::new();
            super::push_u64(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), v.to_string());
        }
    }

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
            999_999_999_999_999.0,
            1_000_000_000_000_001.0,
            -1e18,
            1e19,
            9.95,
            -0.55,
            25.0,
            -10.0,
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
