//! `onrecord eval`: measure the extractor against brat standoff gold.

use crate::doc::{Document, Origin};
use crate::eval::{self, brat, PredAttribution};
use crate::extract::ModelKind;
use crate::pipeline::{self, Analysis, Resources};
use crate::text::CharIndex;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Measure attribution extraction against gold annotations in brat standoff format
/// (a folder with text/<doc>.txt and attributions/<doc>_<annotator>.ann, as PolNeAR).
/// Prints the same metrics, in the same layout, as ../shared/eval/score_attributions.py.
#[derive(clap::Args)]
pub struct Args {
    /// Gold folder holding text/ and attributions/.
    #[arg(long)]
    pub gold: PathBuf,
    /// Extractor to measure: tagger or rules.
    #[arg(long, default_value = "tagger")]
    pub model: ModelKind,
    /// Folder of lexicon files overriding the embedded lists of the same names
    /// (data/lexicons/); lists not in the folder stay embedded.
    #[arg(long, value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
    /// Print the metrics as JSON (the scorer's --json figures).
    #[arg(long)]
    pub json: bool,
    /// Also write the predictions as extract JSONL to this file.
    #[arg(long)]
    pub pred_out: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<u8> {
    let mut warnings = Vec::new();
    let gold = brat::read_split(&args.gold, &mut warnings)?;
    let docs: Vec<Document> = gold
        .iter()
        .map(|g| Document {
            id: g.doc.clone(),
            text: g.text.clone(),
            origin: Origin {
                file: args.gold.join("text").join(format!("{}.txt", g.doc)),
                record: None,
            },
            ..Default::default()
        })
        .collect();
    let res = Resources::load(args.model, None, args.lexicons.as_deref())?;
    let results: Vec<Analysis> = docs
        .par_iter()
        .map(|d| pipeline::analyze(&d.text, &res))
        .collect();
    if let Some(p) = &args.pred_out {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        );
        for (d, a) in docs.iter().zip(&results) {
            crate::export::jsonl::write_record(&mut out, d, a)?;
        }
        out.flush()?;
    }
    let mut preds: BTreeMap<String, Vec<PredAttribution>> = BTreeMap::new();
    for (d, a) in docs.iter().zip(&results) {
        let ext = &a.extraction;
        let ci = CharIndex::new(&d.text);
        let conv = |v: &[crate::doc::Span]| {
            v.iter()
                .map(|s| (ci.char_of(s.start), ci.char_of(s.end)))
                .filter(|(a, b)| a < b)
                .collect::<Vec<_>>()
        };
        preds.insert(
            d.id.clone(),
            ext.attributions
                .iter()
                .map(|a| PredAttribution {
                    cue: conv(&a.cue),
                    source: conv(&a.source),
                    content: conv(&a.content),
                    source_type: Some(a.source_type.as_str().to_string()),
                })
                .collect(),
        );
    }
    let report = eval::score(&gold, &preds);
    let mut stdout = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut stdout, &report.to_json())?;
        writeln!(stdout)?;
    } else {
        writeln!(stdout, "{}", report.table())?;
    }
    for w in &warnings {
        super::diag!("onrecord: warning: {w}");
    }
    Ok(super::EXIT_OK)
}
