//! `onrecord explain`: one article with its sources, cues, contents and hedges marked, then
//! each sentence: a claim with its score and the components that make it up, or why it is
//! not a claim.

use crate::extract::Extraction;
use crate::extract::ModelKind;
use crate::ingest::{Corpus, IngestOptions};
use crate::pipeline::{self, Resources};
use crate::score::{self, NotClaim, COMPONENTS};
use anyhow::{bail, Result};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Show how one article is read and scored: [S: source], [C: cue], «content», {hedge},
/// then every claim with its score and components.
#[derive(clap::Args)]
pub struct Args {
    /// A .txt file, or an input whose first document is explained (.jsonl, .csv, folder).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Weights file replacing the embedded data/weights.toml.
    #[arg(long, value_name = "FILE")]
    pub weights: Option<PathBuf>,
    /// Folder of lexicon files overriding the embedded lists of the same names
    /// (data/lexicons/); lists not in the folder stay embedded.
    #[arg(long, value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
}

/// The marked-up text: markers inserted at span boundaries (closers before openers at the
/// same offset, so adjacent spans do not interleave).
pub fn mark_up(text: &str, ext: &Extraction, colour: bool) -> String {
    // (offset, order, marker): order 0 closes, 1 opens.
    let mut marks: Vec<(usize, u8, String)> = Vec::new();
    let paint = |code: &str, s: &str| -> String {
        if colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    for a in &ext.attributions {
        for s in &a.source {
            marks.push((s.start, 1, paint("1;34", "[S: ")));
            marks.push((s.end, 0, paint("1;34", "]")));
        }
        for s in &a.cue {
            marks.push((s.start, 1, paint("1;33", "[C: ")));
            marks.push((s.end, 0, paint("1;33", "]")));
        }
        for s in &a.content {
            marks.push((s.start, 1, paint("32", "«")));
            marks.push((s.end, 0, paint("32", "»")));
        }
    }
    for f in &ext.sentences {
        for h in &f.hedges {
            marks.push((h.start, 1, paint("35", "{")));
            marks.push((h.end, 0, paint("35", "}")));
        }
    }
    marks.sort_by_key(|m| (m.0, m.1));
    let mut out = String::with_capacity(text.len() + marks.len() * 4);
    let mut at = 0;
    for (pos, _, m) in marks {
        if pos < at || pos > text.len() || !text.is_char_boundary(pos) {
            continue;
        }
        out.push_str(&text[at..pos]);
        out.push_str(&m);
        at = pos;
    }
    out.push_str(&text[at..]);
    out
}

pub fn run(args: Args) -> Result<u8> {
    let res = Resources::load(
        ModelKind::default(),
        args.weights.as_deref(),
        args.lexicons.as_deref(),
    )?;
    let mut corpus = Corpus::open(std::slice::from_ref(&args.file), &IngestOptions::default())?;
    let doc = loop {
        match corpus.next() {
            Some(Ok(d)) => break d,
            Some(Err(p)) => super::diag!("onrecord: skipped: {p}"),
            None => bail!(
                "{}: no readable document; give a .txt file or a .jsonl/.csv input",
                args.file.display()
            ),
        }
    };
    let text = doc.text.as_str();
    let analysis = pipeline::analyze(text, &res);
    let (ext, claims) = (&analysis.extraction, &analysis.claims);
    let colour = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{} ({})\n", doc.id, doc.corpus)?;
    writeln!(out, "{}\n", mark_up(text, ext, colour))?;
    writeln!(
        out,
        "{} sentences, {} claims (factual sentences; score = sum of components, clamped to \
         0..100), {} attributions",
        analysis.segmented.sentences.len(),
        claims.len(),
        ext.attributions.len()
    )?;
    let mut claim_of = vec![None; analysis.segmented.sentences.len()];
    for (k, c) in claims.iter().enumerate() {
        if let Some(x) = claim_of.get_mut(c.sentence) {
            *x = Some(k);
        }
    }
    for (i, s) in analysis.segmented.sentences.iter().enumerate() {
        let sentence = s.span.slice(text).trim();
        let Some(c) = claim_of[i].map(|k| &claims[k]) else {
            // Why it is not scored: its layout, or the kind the claim model read.
            let why = score::claim_status(text, &analysis.segmented, ext, i, &res.weights);
            let kind = ext.sentences.get(i);
            writeln!(
                out,
                "\n[{i}] not a claim: {}{}: {sentence}",
                why.map_or("-", |w| w.as_str()),
                match (why, kind) {
                    (Some(NotClaim::Opinion | NotClaim::Other), Some(f)) =>
                        format!(" (claim model, p {:.2})", f.kind_probability),
                    _ => String::new(),
                }
            )?;
            continue;
        };
        let a = c.attribution.and_then(|i| ext.attributions.get(i));
        let source = a
            .map(|a| {
                a.source
                    .iter()
                    .filter_map(|s| text.get(s.start..s.end))
                    .collect::<Vec<_>>()
                    .join(" … ")
            })
            .unwrap_or_default();
        let p = ext.sentences.get(i).map_or(1.0, |f| f.kind_probability);
        writeln!(
            out,
            "\n[{i}] claim (factual, p {p:.2}), score {:.1}: {sentence}",
            c.score
        )?;
        writeln!(
            out,
            "   source: {}{}{}{}",
            c.source_type(ext),
            if source.is_empty() {
                String::new()
            } else {
                format!(" \"{source}\"")
            },
            if c.inherited { " (inherited)" } else { "" },
            if c.uncertain { "; uncertain" } else { "" }
        )?;
        let parts: Vec<String> = COMPONENTS
            .iter()
            .zip(c.components.values())
            .filter(|(_, v)| *v != 0.0)
            .map(|(n, v)| format!("{n} {v:+.1}"))
            .collect();
        writeln!(out, "   components: {}", parts.join(", "))?;
    }
    out.flush()?;
    Ok(super::EXIT_OK)
}
