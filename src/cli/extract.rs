//! `onrecord extract`: attributions, source types and hedges, one JSON object per document.

use super::input::{Accounting, InputArgs};
use crate::export::jsonl;
use crate::runner::{self, Outcome};
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::PathBuf;

/// Extract attributions (source, cue, content with code-point offsets), source types,
/// anonymity and confirmation details, and hedged sentences. Writes one JSON object per
/// document (schema onrecord.extract/1, docs/schema.md) in input order.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, default_value = "jsonl", value_parser = ["jsonl"])]
    pub format: String,
    /// Write to FILE (atomically: a temporary file renamed at the end) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<u8> {
    let mut corpus = args.input.open()?;
    let model = args.input.model;
    let mut acct = Accounting::default();
    let (mut out, tmp): (Box<dyn Write>, Option<super::AtomicFile>) = match &args.output {
        Some(p) => {
            if args.input.inputs.iter().any(|i| same_file(i, p)) {
                bail!(
                    "refusing to write {} over an input file; choose another -o",
                    p.display()
                );
            }
            let f = super::AtomicFile::create(p)?;
            (Box::new(std::io::BufWriter::new(f.file()?)), Some(f))
        }
        None => (
            Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            None,
        ),
    };
    let progress = runner::Progress::new(args.input.quiet);
    runner::run_with_progress(
        &mut corpus,
        &progress,
        |doc| {
            let seg = crate::segment::segment(&doc.text);
            let ext = crate::extract::extract(&doc.text, &seg, model);
            (seg, ext)
        },
        |outcome| {
            match outcome {
                Outcome::Done(doc, (seg, ext)) => {
                    acct.processed += 1;
                    acct.lossy += doc.lossy_utf8 as u64;
                    jsonl::write_record(&mut out, &doc, &seg, &ext)?;
                }
                Outcome::Skipped(p) => {
                    acct.skipped += 1;
                    progress.println(format!("onrecord: skipped: {p}"));
                }
            }
            Ok(())
        },
    )?;
    out.flush().context("writing the output")?;
    drop(out);
    if let Some(t) = tmp {
        t.commit()?;
    }
    Ok(acct.report(&corpus, args.input.quiet))
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
