//! `onrecord score`: claims, their scores and corpus statistics as tidy CSV tables, and
//! `onrecord merge`: corpus statistics from the summaries of several runs.

use super::input::InputArgs;
use super::score_rows::score_doc;
use super::AtomicFile;
use crate::aggregate::{
    CompareOptions, ComparisonRow, Comparisons, PeriodUnit, Periods, Scope, Summary, INFERENCE,
    MIN_GROUP_DOCS, MISSING_GROUP,
};
use crate::export::fields::DocumentRows;
use crate::export::tables;
use crate::export::writer::Table;
use crate::pipeline::{Resources, PIECE_BYTES};
use crate::report::{self, examples::Examples};
use crate::runner::{self, Outcome};
use crate::score::Pattern;
use anyhow::{bail, Context, Result};
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
    /// Output folder: written whole at the end of the run, or not at all if it fails (the
    /// files of an existing folder are replaced then; others in it are left alone).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub compare: CompareArgs,
    /// Prefix a ' to text cells starting with = + - @ TAB or CR (safe to open in spreadsheets).
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
    /// Score one shard of a corpus into --out for `onrecord merge`: its row tables,
    /// summary.json and shard.json, without the corpus statistics or the report
    /// (docs/spark.md).
    #[arg(long, conflicts_with = "period")]
    pub partial: bool,
    /// Example claims per group and pattern in examples.csv and report.html (a fixed
    /// sample: the same at any thread count); 0 for none.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub examples: usize,
}

/// Merge the summary.json files or the folders of several `score` runs (disjoint
/// documents, such as the shards of `score --partial`) and write corpora.csv and
/// comparisons.csv for the whole, as one run over all inputs would; given folders, also
/// their row tables, concatenated in the order given.
#[derive(clap::Args)]
pub struct MergeArgs {
    /// summary.json files written by `onrecord score`, or the folders holding them.
    #[arg(required = true, value_name = "SHARD")]
    pub summaries: Vec<PathBuf>,
    /// Output folder: written whole at the end, or not at all if the merge fails.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub compare: CompareArgs,
    /// Prefix a ' to text cells starting with = + - @ TAB or CR.
    #[arg(long)]
    pub spreadsheet_safe: bool,
    /// No report on standard output.
    #[arg(long, short)]
    pub quiet: bool,
    /// Example claims per group and pattern in examples.csv and report.html, from the
    /// shards' examples.csv (score them with at least as many); 0 for none.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub examples: usize,
}

/// Which groups comparisons.csv compares (docs/statistics.md).
#[derive(clap::Args, Debug, Clone)]
pub struct CompareArgs {
    /// Compare each group with all others pooled (`rest`), or every pair of groups
    /// (`pairs`, at most 100 groups). With two groups, their one pair either way.
    #[arg(
        long = "compare",
        value_enum,
        default_value = "rest",
        value_name = "WHAT"
    )]
    pub scope: Scope,
    /// The minimum documents with claims of every test: a group is compared, and a period
    /// enters its group's trend (--period), only with at least N; smaller ones get their
    /// figures (corpora.csv, periods.csv) but no test.
    #[arg(long, value_name = "N", default_value_t = MIN_GROUP_DOCS,
          value_parser = clap::value_parser!(u64).range(2..))]
    pub min_group_docs: u64,
}

impl CompareArgs {
    fn options(&self) -> CompareOptions {
        CompareOptions {
            scope: self.scope,
            min_group_docs: self.min_group_docs,
        }
    }
}

#[path = "score_periods.rs"]
mod periods;

#[path = "partial.rs"]
mod partial;

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
    "shard.json",
    "examples.csv",
    "report.html",
    report::pages::FOLDER,
];

/// The output folder, written as a temporary folder beside it (`.DIR.onrecord-tmp-PID`)
/// and put in place when complete; a run that fails (or is refused) removes it, so DIR is
/// complete or absent. An existing DIR gets the new files moved in at the end, replacing
/// the old ones of the same names and leaving other files alone.
struct OutputDir {
    dest: PathBuf,
    tmp: PathBuf,
    done: bool,
}

impl OutputDir {
    fn create(dest: &Path) -> Result<OutputDir> {
        let Some(name) = dest.file_name() else {
            bail!(
                "--out {} names no folder; give a folder name",
                dest.display()
            );
        };
        if dest.exists() && !dest.is_dir() {
            bail!(
                "--out {} exists and is not a folder; choose another output",
                dest.display()
            );
        }
        let parent = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the folder {}", parent.display()))?;
        let name = name.to_string_lossy();
        super::remove_stale_tmp(dest, &name);
        let tmp = parent.join(format!(".{name}{}{}", super::TMP_MARK, std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        super::interrupt::register_temporary(&tmp);
        std::fs::create_dir(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(OutputDir {
            dest: dest.to_path_buf(),
            tmp,
            done: false,
        })
    }

    /// Where the run writes its files until [`OutputDir::commit`].
    fn path(&self) -> &Path {
        &self.tmp
    }

    fn commit(mut self) -> Result<()> {
        let moved = |from: &Path, to: &Path| {
            std::fs::rename(from, to)
                .with_context(|| format!("moving {} to {}", from.display(), to.display()))
        };
        if !self.dest.exists() {
            moved(&self.tmp, &self.dest)?;
        } else {
            let entries = std::fs::read_dir(&self.tmp)
                .with_context(|| format!("reading {}", self.tmp.display()))?;
            for e in entries {
                let e = e.with_context(|| format!("reading {}", self.tmp.display()))?;
                let to = self.dest.join(e.file_name());
                // The old file goes first, as in `AtomicFile::commit`: ext4 writes a file
                // renamed over another to disk before the rename returns.
                if to.is_file() {
                    std::fs::remove_file(&to)
                        .with_context(|| format!("replacing {}", to.display()))?;
                } else if to.is_dir() {
                    // articles/: the old run's pages go with it.
                    std::fs::remove_dir_all(&to)
                        .with_context(|| format!("replacing {}", to.display()))?;
                }
                moved(&e.path(), &to)?;
            }
            std::fs::remove_dir(&self.tmp)
                .with_context(|| format!("removing {}", self.tmp.display()))?;
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
        super::interrupt::release_temporary(&self.tmp);
    }
}

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
    let out = OutputDir::create(&args.out)?;
    let mut corpus = args.input.open()?;
    let safe = args.spreadsheet_safe;
    let dir = out.path();
    let headers = [
        tables::claims_header(),
        tables::attributions_header(),
        tables::documents_header(),
    ];
    let mut claims_out = Out::create(dir, "claims.csv", &headers[0], safe)?;
    let mut attr_out = Out::create(dir, "attributions.csv", &headers[1], safe)?;
    let mut docs_out = DocumentRows::create(&dir.join(".documents.spill"))?;
    let mut errors_out = Out::create(dir, "errors.csv", &tables::errors_header(), safe)?;
    let mut acct = args.input.accounting();
    let mut summary = Summary::new();
    let mut missing = 0u64;
    let mut first_missing: Option<String> = None;
    let by = args.by.as_str();
    let mut periods = args.period.map(Periods::new);
    let mut examples = Examples::new(args.examples);
    let date_field = args.date_field.as_str();
    let progress = runner::Progress::new(args.input.quiet);
    runner::run_with_progress(
        &mut corpus,
        &progress,
        |doc| {
            score_doc(
                doc,
                &res,
                by,
                &headers,
                safe,
                args.examples,
                dir,
                PIECE_BYTES,
            )
        },
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
                    s.claims
                        .append_to(&mut claims_out.table)
                        .context("writing claims.csv")?;
                    s.attributions
                        .append_to(&mut attr_out.table)
                        .context("writing attributions.csv")?;
                    docs_out.push(&s.document, &doc.meta)?;
                    examples.add(s.examples);
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
    let file = AtomicFile::create(&dir.join("documents.csv"))?;
    let mut w = docs_out.finish(BufWriter::new(file.file()?), safe)?;
    w.flush().context("writing documents.csv")?;
    drop(w);
    file.commit()?;
    errors_out.commit()?;
    if missing > 0 {
        super::diag!(
            "onrecord: warning: {missing} documents have no column {:?} (first: {}); they are in group {MISSING_GROUP:?}. Check --by, --meta and --meta-id.",
            args.by,
            first_missing.unwrap_or_default()
        );
    }
    write_summary_json(&dir.join("summary.json"), &summary)?;
    // A shard's examples too: the sample is fixed per claim, so merge takes it from them.
    let mut o = Out::create(dir, "examples.csv", &report::examples::header(), safe)?;
    examples
        .write(&mut o.table)
        .context("writing examples.csv")?;
    o.commit()?;
    let pages = write_pages(&args, dir, &examples, &res)?;
    if args.partial {
        return finish_shard(&args, out, &summary, &acct, &corpus);
    }
    let comparisons = write_stats(dir, &summary, safe, args.compare.options())?;
    let trends = match &periods {
        Some(p) => Some(periods::write(
            dir,
            p,
            date_field,
            args.compare.min_group_docs,
            safe,
        )?),
        None => None,
    };
    let html = report::render(&report::Inputs {
        summary: &summary,
        comparisons: &comparisons,
        periods: periods.as_ref().zip(trends.as_deref()),
        examples: &examples,
        by: &args.by,
        explain: &super::explain::command(&args.input, args.weights.as_deref()),
        pages: &pages,
    });
    write_file(&dir.join("report.html"), html.as_bytes())?;
    out.commit()?;
    if let Some(p) = &args.summary_out {
        write_summary_json(p, &summary)?;
    }
    report(&summary, &comparisons, &args.by)?;
    if let (Some(p), Some(t)) = (&periods, &trends) {
        periods::report(p, t, date_field, args.compare.min_group_docs)?;
    }
    Ok(acct.report(&corpus, args.input.quiet))
}

/// A file written whole (complete or absent).
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let f = AtomicFile::create(path)?;
    let mut w = BufWriter::new(f.file()?);
    w.write_all(bytes)
        .and_then(|()| w.flush())
        .with_context(|| format!("writing {}", path.display()))?;
    drop(w);
    f.commit()
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
fn write_stats(
    dir: &Path,
    summary: &Summary,
    safe: bool,
    options: CompareOptions,
) -> Result<Comparisons> {
    // Refused (too many groups for all pairs) before anything is written.
    let comparisons = summary.compare(options)?;
    let rows = summary.rows();
    let (header, body) = tables::corpora_wide(&rows);
    let mut o = Out::create(dir, "corpora.csv", &header, safe)?;
    tables::write_corpora_wide(&mut o.table, &body).context("writing corpora.csv")?;
    o.commit()?;
    let mut o = Out::create(dir, "corpora_long.csv", &tables::summary_header(), safe)?;
    tables::write_summary_rows(&mut o.table, &rows).context("writing corpora_long.csv")?;
    o.commit()?;
    let mut o = Out::create(dir, "comparisons.csv", &tables::comparisons_header(), safe)?;
    tables::write_comparisons(&mut o.table, &comparisons.rows)
        .context("writing comparisons.csv")?;
    o.commit()?;
    Ok(comparisons)
}

/// The example articles' explain pages in `dir/articles/`: a second read of the inputs,
/// where only the examples' articles are analysed again (standard input cannot be read
/// twice: its examples keep the explain command).
fn write_pages(
    args: &Args,
    dir: &Path,
    examples: &Examples,
    res: &Resources,
) -> Result<report::pages::Pages> {
    let writer = report::pages::Writer::new(dir, examples);
    let mut pages = report::pages::Pages::default();
    if !writer.has_work() || args.input.inputs.iter().any(|p| p.as_os_str() == "-") {
        return Ok(pages);
    }
    runner::run(
        &mut args.input.open()?,
        |doc| writer.page(doc, res),
        |outcome| match outcome {
            Outcome::Done(doc, Some(html)) => writer.write(&mut pages, &doc, &html),
            _ => Ok(()),
        },
    )?;
    Ok(pages)
}

/// `score --partial`: shard.json beside the row tables and summary.json, then the folder
/// put in place; the corpus statistics and the report wait for `merge`.
fn finish_shard(
    args: &Args,
    out: OutputDir,
    summary: &Summary,
    acct: &super::input::Accounting,
    corpus: &crate::ingest::Corpus,
) -> Result<u8> {
    partial::ShardInfo::new(&args.by, args.input.model, acct.processed, acct.skipped)
        .write(out.path())?;
    out.commit()?;
    if let Some(p) = &args.summary_out {
        write_summary_json(p, summary)?;
    }
    Ok(acct.report(corpus, args.input.quiet))
}

pub fn merge(args: MergeArgs) -> Result<u8> {
    let mut summary = Summary::new();
    let mut seen = partial::RunsSeen::default();
    let mut shards = Vec::with_capacity(args.summaries.len());
    for p in &args.summaries {
        let (shard, s) = partial::Shard::read(p)?;
        seen.add(&shard, &s)?;
        summary
            .merge(s)
            .with_context(|| format!("merging {}", p.display()))?;
        shards.push(shard);
    }
    partial::check_output(&shards, &args.out)?;
    let by = partial::check_settings(&shards)?;
    let rows = partial::merges_rows(&shards)?;
    let out = OutputDir::create(&args.out)?;
    if rows {
        partial::concatenate_rows(&shards, out.path())?;
    }
    write_summary_json(&out.path().join("summary.json"), &summary)?;
    let comparisons = write_stats(
        out.path(),
        &summary,
        args.spreadsheet_safe,
        args.compare.options(),
    )?;
    // The shards' examples (folders written by this version have them), merged into the
    // whole run's sample; then the report, as `score` writes it.
    let mut examples = Examples::new(args.examples);
    let example_files: Vec<PathBuf> = shards
        .iter()
        .filter_map(|s| s.dir.as_deref().map(|d| d.join("examples.csv")))
        .filter(|p| p.is_file())
        .collect();
    let mut pages = report::pages::Pages::default();
    if rows && example_files.len() == shards.len() {
        for p in &example_files {
            examples.add_csv(p)?;
        }
        let mut o = Out::create(
            out.path(),
            "examples.csv",
            &report::examples::header(),
            args.spreadsheet_safe,
        )?;
        examples
            .write(&mut o.table)
            .context("writing examples.csv")?;
        o.commit()?;
        let dirs: Vec<&Path> = shards.iter().filter_map(|s| s.dir.as_deref()).collect();
        pages = report::pages::copy(out.path(), &examples, &dirs)?;
    }
    let html = report::render(&report::Inputs {
        summary: &summary,
        comparisons: &comparisons,
        periods: None,
        examples: &examples,
        by: by.as_deref().unwrap_or("group"),
        explain: "onrecord explain INPUT",
        pages: &pages,
    });
    write_file(&out.path().join("report.html"), html.as_bytes())?;
    out.commit()?;
    if !args.quiet {
        report(&summary, &comparisons, by.as_deref().unwrap_or("group"))?;
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
fn report(summary: &Summary, comparisons: &Comparisons, by: &str) -> Result<()> {
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
    for g in summary.groups().take(REPORT_MAX_GROUPS) {
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
    let n_groups = summary.groups().count();
    if n_groups > REPORT_MAX_GROUPS {
        writeln!(
            out,
            "... and {} more groups in corpora.csv",
            n_groups - REPORT_MAX_GROUPS
        )?;
    }
    writeln!(
        out,
        "95% intervals clustered by document, within bounds; none for a group of one \
         document (the interval column of corpora_long.csv; docs/statistics.md)."
    )?;
    report_comparisons(&mut out, comparisons)?;
    out.flush()?;
    Ok(())
}

/// What was compared and how, then the significant comparisons, score differences first.
fn report_comparisons(out: &mut impl Write, c: &Comparisons) -> Result<()> {
    let min = c.options.min_group_docs;
    let what = match c.options.scope {
        _ if c.rows.iter().all(|r| r.comparison == "pair") && c.tested == 2 => "the two groups",
        Scope::Rest => "each group against all others pooled",
        Scope::Pairs => "every pair of groups",
    };
    writeln!(
        out,
        "\nComparisons ({what}): {} groups with at least {min} documents with claims tested{}",
        c.tested,
        if c.too_small.is_empty() {
            ".".to_string()
        } else {
            format!(
                "; {} smaller groups not tested (--min-group-docs).",
                c.too_small.len()
            )
        }
    )?;
    let tested = c.rows.iter().filter(|r| r.p_holm.is_some()).count();
    if tested == 0 {
        return Ok(());
    }
    let mut significant: Vec<&ComparisonRow> = c
        .rows
        .iter()
        .filter(|r| r.p_holm.is_some_and(|p| p < 0.05))
        .collect();
    significant.sort_by_key(|r| r.metric != "score_mean");
    writeln!(
        out,
        "{} of {tested} tests significant at Holm-adjusted p < 0.05, Holm within each \
         metric's family (holm_family: one figure over all its comparisons; {INFERENCE}, \
         documents as clusters); each difference with its 95% interval{}",
        significant.len(),
        if significant.is_empty() { "." } else { ":" }
    )?;
    for r in significant.iter().take(REPORT_MAX_COMPARISONS) {
        let (Some(d), Some(p), Some(lo), Some(hi)) =
            (r.diff, r.p_holm, r.diff_ci_low, r.diff_ci_high)
        else {
            continue;
        };
        let sentence = if r.metric == "score_mean" {
            format!(
                "{} claims score {:.1} points {} than {} [{lo:.1}, {hi:.1}]",
                r.group_a,
                d.abs(),
                if d >= 0.0 { "higher" } else { "lower" },
                r.group_b
            )
        } else {
            format!(
                "{} has {:.1} percentage points {} {} claims than {} [{:.1}, {:.1}]",
                r.group_a,
                100.0 * d.abs(),
                if d >= 0.0 { "more" } else { "fewer" },
                r.key,
                r.group_b,
                100.0 * lo,
                100.0 * hi
            )
        };
        writeln!(out, "  {sentence} (Holm {}, m = {})", fmt_p(p), r.holm_m)?;
    }
    if significant.len() > REPORT_MAX_COMPARISONS {
        writeln!(
            out,
            "  ... and {} more in comparisons.csv",
            significant.len() - REPORT_MAX_COMPARISONS
        )?;
    }
    Ok(())
}

/// The report lists at most this many comparisons; comparisons.csv has them all.
const REPORT_MAX_COMPARISONS: usize = 20;
/// The report's table shows at most this many groups; corpora.csv has them all.
const REPORT_MAX_GROUPS: usize = 50;
