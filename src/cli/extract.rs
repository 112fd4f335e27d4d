//! `onrecord extract`: attributions, source types and hedges, one JSON object per document.

use super::input::InputArgs;
use crate::export::jsonl;
use crate::pipeline::{Resources, PIECE_BYTES};
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
    /// Write to FILE (atomically: a temporary file renamed at the end; a FIFO or device is
    /// written directly, a symbolic link through to its target) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// List skipped inputs (file, record, message) in this CSV file; default with -o FILE:
    /// FILE.errors.csv beside it; without -o (or with -o a FIFO or device), only standard
    /// error.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<u8> {
    let res = Resources::load(args.input.model, None, args.input.lexicons.as_deref())?;
    let mut corpus = args.input.open()?;
    let mut acct = args.input.accounting();
    // A special file as output (a FIFO, /dev/stdout) has no folder to hold its errors file.
    let errors_path = args.errors.clone().or_else(|| {
        args.output
            .as_ref()
            .filter(|p| !super::is_special_file(p))
            .map(|p| {
                let mut s = p.clone().into_os_string();
                s.push(".errors.csv");
                PathBuf::from(s)
            })
    });
    if let (Some(o), Some(e)) = (&args.output, &errors_path) {
        // Two writers of one file would leave one of the two (or garble a device's stream).
        if (o == e || super::input::same_file(o, e)) && !super::is_special_file(o) {
            bail!(
                "-o and --errors both name {}; give the errors file another name",
                o.display()
            );
        }
    }
    if let Some(e) = &errors_path {
        args.input.check_output(e, &[])?;
        acct.errors = Some(super::input::ErrorsFile::create(e)?);
    }
    let (mut out, tmp): (Box<dyn Write + Send>, Option<super::AtomicFile>) = match &args.output {
        Some(p) => {
            args.input.check_output(p, &[])?;
            let f = super::AtomicFile::create(p)?;
            (Box::new(std::io::BufWriter::new(f.file()?)), Some(f))
        }
        None => (Box::new(std::io::BufWriter::new(std::io::stdout())), None),
    };
    let progress = runner::Progress::new(args.input.quiet);
    runner::run_with_progress(
        &mut corpus,
        &progress,
        // A long document spills its record's elements to the temporary folder.
        |doc| jsonl::record_in_pieces(doc, &res, PIECE_BYTES, &std::env::temp_dir()),
        |outcome| {
            match outcome {
                Outcome::Done(doc, record) => {
                    let (parts, text_chars) =
                        record.with_context(|| format!("{}: spilling its record", doc.origin))?;
                    acct.processed += 1;
                    acct.lossy += doc.lossy_utf8 as u64;
                    parts.write(&mut out, &doc, text_chars)?;
                }
                Outcome::Skipped(p) => acct.skip(&p)?,
            }
            Ok(())
        },
    )?;
    out.flush().context("writing the output")?;
    drop(out);
    if let Some(t) = tmp {
        t.commit()?;
    }
    acct.finish_errors()?;
    Ok(acct.report(&corpus, args.input.quiet))
}
