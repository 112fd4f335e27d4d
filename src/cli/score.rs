//! `onrecord score`: claims, their scores and corpus statistics as tidy CSV tables, and
//! `onrecord merge`: corpus statistics from the summaries of several runs.

use super::input::InputArgs;
use super::AtomicFile;
use crate::aggregate::{ComparisonRow, DocStats, PeriodUnit, Periods, Summary, INFERENCE};
use crate::export::tables;
use crate::export::writer::Table;
use crate::pipeline::{self, Resources};
use crate::runner::{self, Outcome};
use crate::score::Pattern;
use crate::text::CharIndex;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Score every claim of a corpus (a transparent model of how well each claim is sourced,
/// not a verdict on its truth) and write claims.csv, attributions.csv, documents.csv,
/// corpora.csv, comparisons.csv, errors.csv and summary.json to --out; print a report.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Group documents by this column (from --meta or the input's extra fields), or
    /// `corpus`. Documents without it go to group "(missing)".
    #[arg(long, default_value = "corpus", value_name = "COLUMN")]
    pub by: String,
    /// Weights file replacing the embedded data/weights.toml (every key required).
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// Output folder (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Prefix a ' to text cells starting with = + - @ (safe to open in spreadsheets).
    #[arg(long)]
    pub spreadsheet_safe: bool,
    /// Also write the mergeable summary (JSON) to FILE (it is always in DIR/summary.json).
    #[arg(long, value_name = "FILE")]
    pub summary_out: Option<PathBuf>,
    /// Split each group by the day, week (ISO 8601), month or year of --date-field and
    /// write periods.csv (figures per period) and trends.csv (a trend test per group).
    #[arg(long, value_name = "UNIT")]
    pub period: Option<PeriodUnit>,
    /// The column holding each document's date, for --period (from --meta or the input's
    /// extra fields).
    #[arg(long, default_value = "date", value_name = "COLUMN")]
    pub date_field: String,
}

/// Merge the summary.json files of several `score` runs (disjoint documents) and write
/// corpora.csv and comparisons.csv for the whole, as one run over all inputs would.
#[derive(clap::Args)]
pub struct MergeArgs {
    /// summary.json files written by `onrecord score`.
    #[arg(required = true, value_name = "SUMMARY")]
    pub summaries: Vec<PathBuf>,
    /// Output folder (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Prefix a ' to text cells starting with = + - @.
    #[arg(long)]
    pub spreadsheet_safe: bool,
    /// No report on standard output.
    #[arg(long, short)]
    pub quiet: bool,
}

#[path = "score_periods.rs"]
mod periods;

/// The files `score` writes into --out (checked against the inputs before anything is written).
const OUTPUT_NAMES: &[&str] = &[
    "claims.csv",
    "attributions.csv",
    "documents.csv",
    "errors.csv",
    "corpora.csv",
    "corpora_long.csv",
    "comparisons.csv",
    "summary.json",
    "periods.csv",
    "trends.csv",
];

/// Group name for documents that lack the --by column.
pub const MISSING_GROUP: &str = "(missing)";

struct Out {
    file: AtomicFile,
    table: Table<BufWriter<File>>,
}

impl Out {
    fn create(dir: &Path, name: &str, header: &[String], safe: bool) -> Result<Out> {
        let file = AtomicFile::create(&dir.join(name))?;
        let table = Table::new(BufWriter::new(file.file()?), header, safe)
            .with_context(|| format!("writing {name}"))?;
        Ok(Out { file, table })
    }
    fn commit(self) -> Result<()> {
        let mut w = self.table.into_inner()?;
        w.flush().context("writing the output")?;
        drop(w);
        self.file.commit()
    }
}

/// One document, scored and formatted on a worker thread: the writer thread only appends
/// the rows and adds the statistics, so it does not hold back the workers.
struct Scored {
    stats: DocStats,
    /// The document has no `--by` column and went to [`MISSING_GROUP`].
    missing: bool,
    claims: Vec<u8>,
    attributions: Vec<u8>,
    document: Vec<u8>,
}

/// Bytes of a claims or attributions row besides its text, document id and group (numbers,
/// flags, separators), a little over what they take, for the buffers' first size.
const ROW_BYTES: usize = 96;

/// The rows of one document in the three per-document tables.
fn score_doc(
    doc: &crate::doc::Document,
    res: &Resources,
    by: &str,
    headers: &[Vec<String>; 3],
    safe: bool,
) -> csv::Result<Scored> {
    let analysis = pipeline::analyze(&doc.text, res);
    let (ext, claims) = (&analysis.extraction, &analysis.claims);
    let ci = CharIndex::new(&doc.text);
    let (group, missing) = if by == "corpus" {
        (doc.corpus.clone(), false)
    } else {
        match doc.meta.get(by) {
            Some(g) => (g.clone(), false),
            None => (MISSING_GROUP.to_string(), true),
        }
    };
    let mut stats = DocStats::new(doc.id.clone(), group);
    for c in claims {
        stats.push_claim(c.score, c.patterns.iter().copied());
    }
    for a in &ext.attributions {
        stats.push_attribution(a.source_type.as_str());
    }
    let [ch, ah, dh] = headers;
    // Room for the rows up front (claims.csv holds about twice the text, attributions.csv
    // about 0.7 times), so that the buffers do not grow and copy themselves row by row.
    let (n_text, n_claims, n_attr) = (doc.text.len(), claims.len(), ext.attributions.len());
    let per_row = doc.id.len() + stats.group.len() + ROW_BYTES;
    let cap = n_text + n_text / 4 + n_claims * per_row;
    let mut t = Table::body_with_capacity(Vec::new(), ch, safe, cap);
    tables::write_claims(&mut t, doc, &stats.group, &ci, ext, claims)?;
    let claims_rows = t.into_bytes();
    let cap = (n_text * 3 / 4).min(n_attr * 4096) + n_attr * per_row;
    let mut t = Table::body_with_capacity(Vec::new(), ah, safe, cap);
    tables::write_attributions(&mut t, doc, &stats.group, &ci, ext)?;
    let attribution_rows = t.into_bytes();
    let mut t = Table::body_with_capacity(Vec::new(), dh, safe, 256 + doc.id.len());
    tables::write_document(&mut t, doc, &stats)?;
    let document_rows = t.into_bytes();
    Ok(Scored {
        stats,
        missing,
        claims: claims_rows,
        attributions: attribution_rows,
        document: document_rows,
    })
}

pub fn run(args: Args) -> Result<u8> {
    let res = Resources::load(
        args.input.model,
        args.weights.as_deref(),
        args.input.lexicons.as_deref(),
    )?;
    args.input.check_output(&args.out, OUTPUT_NAMES)?;
    if let Some(s) = &args.summary_out {
        args.input.check_output(s, &[])?;
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating the output folder {}", args.out.display()))?;
    let mut corpus = args.input.open()?;
    let safe = args.spreadsheet_safe;
    let dir = args.out.as_path();
    let headers = [
        tables::claims_header(),
        tables::attributions_header(),
        tables::documents_header(),
    ];
    let mut claims_out = Out::create(dir, "claims.csv", &headers[0], safe)?;
    let mut attr_out = Out::create(dir, "attributions.csv", &headers[1], safe)?;
    let mut docs_out = Out::create(dir, "documents.csv", &headers[2], safe)?;
    let mut errors_out = Out::create(dir, "errors.csv", &tables::errors_header(), safe)?;
    let mut acct = args.input.accounting();
    let mut summary = Summary::new();
    let mut missing = 0u64;
    let mut first_missing: Option<String> = None;
    let by = args.by.as_str();
    let mut periods = args.period.map(Periods::new);
    let date_field = args.date_field.as_str();
    let progress = runner::Progress::new(args.input.quiet);
    runner::run_with_progress(
        &mut corpus,
        &progress,
        |doc| score_doc(doc, &res, by, &headers, safe),
        |outcome| {
            match outcome {
                Outcome::Done(doc, s) => {
                    let s = s.with_context(|| format!("{}: formatting its rows", doc.origin))?;
                    acct.processed += 1;
                    acct.lossy += doc.lossy_utf8 as u64;
                    if s.missing {
                        missing += 1;
                        first_missing.get_or_insert_with(|| doc.id.clone());
                    }
                    claims_out
                        .table
                        .append_owned(s.claims)
                        .context("writing claims.csv")?;
                    attr_out
                        .table
                        .append_owned(s.attributions)
                        .context("writing attributions.csv")?;
                    docs_out
                        .table
                        .append_owned(s.document)
                        .context("writing documents.csv")?;
                    summary
                        .add_doc(&s.stats)
                        .with_context(|| format!("{}: aggregating", doc.origin))?;
                    if let Some(p) = periods.as_mut() {
                        let date = doc.meta.get(date_field).map(String::as_str);
                        p.add_doc(&doc.id, date, &s.stats)
                            .with_context(|| format!("{}: --period", doc.origin))?;
                    }
                }
                Outcome::Skipped(p) => {
                    acct.skip(&p)?;
                    tables::write_error(&mut errors_out.table, &p).context("writing errors.csv")?;
                }
            }
            Ok(())
        },
    )?;
    claims_out.commit()?;
    attr_out.commit()?;
    docs_out.commit()?;
    errors_out.commit()?;
    if missing > 0 {
        eprintln!(
            "onrecord: warning: {missing} documents have no column {:?} (first: {}); they are in group {MISSING_GROUP:?}. Check --by, --meta and --meta-id.",
            args.by,
            first_missing.unwrap_or_default()
        );
    }
    write_summary_json(&dir.join("summary.json"), &summary)?;
    if let Some(p) = &args.summary_out {
        write_summary_json(p, &summary)?;
    }
    let comparisons = write_stats(dir, &summary, safe)?;
    report(&summary, &comparisons, &args.by)?;
    if let Some(p) = &periods {
        periods::finish(dir, p, date_field, safe)?;
    }
    Ok(acct.report(&corpus, args.input.quiet))
}

fn write_summary_json(path: &Path, summary: &Summary) -> Result<()> {
    let f = AtomicFile::create(path)?;
    let mut w = BufWriter::new(f.file()?);
    serde_json::to_writer(&mut w, summary).context("writing the summary")?;
    w.write_all(b"\n")?;
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    drop(w);
    f.commit()
}

/// corpora.csv and comparisons.csv; returns the comparisons for the report.
fn write_stats(dir: &Path, summary: &Summary, safe: bool) -> Result<Vec<ComparisonRow>> {
    let rows = summary.rows();
    let (header, body) = tables::corpora_wide(&rows);
    let mut o = Out::create(dir, "corpora.csv", &header, safe)?;
    tables::write_corpora_wide(&mut o.table, &body).context("writing corpora.csv")?;
    o.commit()?;
    let mut o = Out::create(dir, "corpora_long.csv", &tables::summary_header(), safe)?;
    tables::write_summary_rows(&mut o.table, &rows).context("writing corpora_long.csv")?;
    o.commit()?;
    let comparisons = summary.compare();
    let mut o = Out::create(dir, "comparisons.csv", &tables::comparisons_header(), safe)?;
    tables::write_comparisons(&mut o.table, &comparisons).context("writing comparisons.csv")?;
    o.commit()?;
    Ok(comparisons)
}

pub fn merge(args: MergeArgs) -> Result<u8> {
    let mut summary = Summary::new();
    for p in &args.summaries {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        let s: Summary = serde_json::from_str(&text).with_context(|| {
            format!(
                "{}: not a summary.json written by `onrecord score`",
                p.display()
            )
        })?;
        summary
            .merge(s)
            .with_context(|| format!("merging {}", p.display()))?;
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating the output folder {}", args.out.display()))?;
    write_summary_json(&args.out.join("summary.json"), &summary)?;
    let comparisons = write_stats(&args.out, &summary, args.spreadsheet_safe)?;
    if !args.quiet {
        report(&summary, &comparisons, "group")?;
    }
    Ok(super::EXIT_OK)
}

fn fmt_opt(x: Option<f64>, digits: usize) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.digits$}"))
}

fn fmt_p(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    }
}

/// The per-group table and the significant comparisons in words, on standard output.
fn report(summary: &Summary, comparisons: &[ComparisonRow], by: &str) -> Result<()> {
    let mut rows: Vec<[String; 8]> = vec![[
        by.to_string(),
        "documents".into(),
        "claims".into(),
        "mean score [95% CI]".into(),
        "median".into(),
        format!("{} [95% CI]", Pattern::Anonymous.label()),
        Pattern::Unattributed.label().into(),
        Pattern::Uncertain.label().into(),
    ]];
    for g in summary.groups() {
        let n = g.n_claims();
        // The intervals of corpora_long.csv: clustered by document, within bounds.
        let mean = g.score_mean_clustered();
        let ci = mean.ci;
        let count = |p: Pattern| g.pattern_count(p.as_str());
        let rate = |p: Pattern| (n > 0).then(|| count(p) as f64 / n as f64);
        let anon_ci = g.pattern_rate_clustered(Pattern::Anonymous.as_str()).ci;
        rows.push([
            g.group.clone(),
            g.n_documents().to_string(),
            n.to_string(),
            format!(
                "{} [{}, {}]",
                fmt_opt(mean.estimate, 1),
                fmt_opt(ci.map(|c| c.low), 1),
                fmt_opt(ci.map(|c| c.high), 1)
            ),
            fmt_opt(g.median_score(), 1),
            format!(
                "{} [{}, {}]",
                fmt_opt(rate(Pattern::Anonymous), 3),
                fmt_opt(anon_ci.map(|c| c.low), 3),
                fmt_opt(anon_ci.map(|c| c.high), 3)
            ),
            fmt_opt(rate(Pattern::Unattributed), 3),
            fmt_opt(rate(Pattern::Uncertain), 3),
        ]);
    }
    let widths: Vec<usize> = (0..8)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = std::io::stdout().lock();
    for r in &rows {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(
        out,
        "95% intervals clustered by document, within bounds; none for a group of one \
         document (the interval column of corpora_long.csv; docs/statistics.md)."
    )?;
    // Score differences first, then pattern rates, each in the order of comparisons.csv.
    let mut significant: Vec<&ComparisonRow> = comparisons
        .iter()
        .filter(|c| c.p_holm.is_some_and(|p| p < 0.05))
        .collect();
    significant.sort_by_key(|c| c.metric != "doc_score_mean");
    writeln!(
        out,
        "\n{} of {} comparisons significant at Holm-adjusted p < 0.05{}",
        significant.len(),
        comparisons.iter().filter(|c| c.p_holm.is_some()).count(),
        if significant.is_empty() { "." } else { ":" }
    )?;
    for c in significant.iter().take(REPORT_MAX_COMPARISONS) {
        let (Some(d), Some(p)) = (c.diff, c.p_holm) else {
            continue;
        };
        let sentence = if c.metric == "doc_score_mean" {
            format!(
                "{} claims score {:.1} points {} than {}",
                c.group_a,
                d.abs(),
                if d >= 0.0 { "higher" } else { "lower" },
                c.group_b
            )
        } else {
            format!(
                "{} has {:.1} percentage points {} {} claims than {}",
                c.group_a,
                100.0 * d.abs(),
                if d >= 0.0 { "more" } else { "fewer" },
                c.key,
                c.group_b
            )
        };
        writeln!(out, "  {sentence} ({INFERENCE}, Holm {})", fmt_p(p))?;
    }
    if significant.len() > REPORT_MAX_COMPARISONS {
        writeln!(
            out,
            "  ... and {} more in comparisons.csv",
            significant.len() - REPORT_MAX_COMPARISONS
        )?;
    }
    out.flush()?;
    Ok(())
}

/// The report lists at most this many comparisons; comparisons.csv has them all.
const REPORT_MAX_COMPARISONS: usize = 20;
