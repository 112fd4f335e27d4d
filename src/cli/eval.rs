//! `onrecord eval`: measure the extractor against brat standoff gold.

use crate::doc::{Document, Origin};
use crate::eval::brat;
use crate::extract::{self, ModelKind};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;

/// Measure attribution extraction against gold annotations in brat standoff format
/// (a folder with text/<doc>.txt and attributions/<doc>_<annotator>.ann, as PolNeAR).
/// Prints the same metrics as ../shared/eval/score_attributions.py.
#[derive(clap::Args)]
pub struct Args {
    /// Gold folder holding text/ and attributions/.
    #[arg(long)]
    pub gold: PathBuf,
    /// Extractor: rules.
    #[arg(long, default_value = "rules")]
    pub model: ModelKind,
    /// Also write the predictions as extract JSONL to this file.
    #[arg(long)]
    pub pred_out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<u8> {
    let mut warnings = Vec::new();
    let gold = brat::read_split(&args.gold, &mut warnings)?;
    let mut out: Box<dyn Write> = match &args.pred_out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => Box::new(std::io::sink()),
    };
    for g in &gold {
        let doc = Document {
            id: g.doc.clone(),
            corpus: String::new(),
            text: g.text.clone(),
            origin: Origin {
                file: args.gold.join("text").join(format!("{}.txt", g.doc)),
                record: None,
            },
            ..Default::default()
        };
        let seg = crate::segment::segment(&doc.text);
        let ext = extract::extract(&doc.text, &seg, args.model);
        crate::export::jsonl::write_record(&mut out, &doc, &seg, &ext)?;
    }
    out.flush()?;
    for w in &warnings {
        eprintln!("onrecord: warning: {w}");
    }
    Ok(0)
}
