//! `onrecord explain`: one article (chosen by `--id`) with its sources, cues, contents and
//! hedges marked, then each sentence: a claim with its score and the components that make it
//! up, or why it is not a claim; in the terminal or as an HTML page (`--html`).

use super::input::InputArgs;
use crate::doc::Document;
use crate::extract::Extraction;
use crate::extract::ModelKind;
use crate::ingest::{Corpus, IngestOptions};
use crate::pipeline::{self, Resources};
use crate::report::{self, html::shell_word};
use anyhow::{bail, Result};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Show how one article is read and scored: [S: source], [C: cue], «content», {hedge},
/// then every claim with its score and components; or the same as an HTML page (--html).
#[derive(clap::Args)]
pub struct Args {
    /// A .txt file, a folder of them, or a .jsonl[.gz] or .csv[.gz] file (several may be
    /// given); the document is chosen with --id, else the first is explained.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// The id of the document to explain (a .txt file's name without extension, or the
    /// --id-field of a JSONL or CSV record).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// The corpus of the document, where several corpora hold its id (a folder input's
    /// sub-folder, or the --corpus-field of a record); also the corpus of documents whose
    /// input gives none, as score's --corpus.
    #[arg(long, value_name = "NAME")]
    pub corpus: Option<String>,
    /// Write the article as a self-contained HTML page to FILE (sources, cues, contents,
    /// hedges and claim scores marked) instead of the terminal view.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Extractor: `tagger` (the learned sequence tagger, most accurate) or `rules` (lexicon
    /// and pattern rules), as in score and extract.
    #[arg(long, default_value = "tagger")]
    pub model: ModelKind,
    /// JSONL/CSV field holding the document id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSONL/CSV field holding the article text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSONL/CSV field holding the corpus name.
    #[arg(long, default_value = "corpus")]
    pub corpus_field: String,
    /// A CSV or TSV file of document metadata, joined on --meta-id (as in score).
    #[arg(long)]
    pub meta: Option<PathBuf>,
    /// Column of --meta that holds the document id.
    #[arg(long, default_value = "id")]
    pub meta_id: String,
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
        args.model,
        args.weights.as_deref(),
        args.lexicons.as_deref(),
    )?;
    if let Some(h) = &args.html {
        for i in &args.inputs {
            if super::input::same_file(i, h) {
                bail!(
                    "refusing to write {} over the input {}; choose another output",
                    h.display(),
                    i.display()
                );
            }
        }
    }
    let opts = IngestOptions {
        id_field: args.id_field.clone(),
        text_field: args.text_field.clone(),
        corpus_field: args.corpus_field.clone(),
        meta: args.meta.clone(),
        meta_id: args.meta_id.clone(),
        // As score names them, so that --corpus also finds a document whose input gives none.
        corpus: args.corpus.clone(),
        ..IngestOptions::default()
    };
    let doc = find(&mut Corpus::open(&args.inputs, &opts)?, &args)?;
    let text = doc.text.as_str();
    let analysis = pipeline::analyze(text, &res);
    if let Some(path) = &args.html {
        let page = report::article::html(&doc.id, &doc.corpus, text, &analysis, &res);
        super::score::write_file(path, page.as_bytes())?;
        return Ok(super::EXIT_OK);
    }
    let ext = &analysis.extraction;
    let colour = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{} ({})\n", doc.id, doc.corpus)?;
    writeln!(out, "{}\n", mark_up(text, ext, colour))?;
    writeln!(
        out,
        "{} sentences, {} claims (factual sentences; score = sum of components, clamped to \
         0..100), {} attributions",
        analysis.segmented.sentences.len(),
        analysis.claims.len(),
        ext.attributions.len()
    )?;
    for v in report::article::verdicts(text, &analysis, &res) {
        writeln!(out, "\n[{}] {}: {}", v.index, v.headline, v.sentence)?;
        if v.claim.is_some() {
            writeln!(out, "   source: {}", v.source)?;
            writeln!(out, "   components: {}", v.components)?;
        }
    }
    out.flush()?;
    Ok(super::EXIT_OK)
}

/// The explain command for the inputs of a score run, up to `--id`: its inputs and the
/// flags that find their documents (those not at their defaults).
pub fn command(input: &InputArgs, weights: Option<&std::path::Path>) -> String {
    let mut words = vec!["onrecord".to_string(), "explain".to_string()];
    words.extend(
        input
            .inputs
            .iter()
            .map(|p| shell_word(&p.to_string_lossy())),
    );
    let defaults = IngestOptions::default();
    let flags = [
        ("--id-field", &input.id_field, &defaults.id_field),
        ("--text-field", &input.text_field, &defaults.text_field),
        (
            "--corpus-field",
            &input.corpus_field,
            &defaults.corpus_field,
        ),
        ("--meta-id", &input.meta_id, &defaults.meta_id),
    ];
    for (flag, value, default) in flags {
        if value != default {
            words.extend([flag.to_string(), shell_word(value)]);
        }
    }
    for (flag, path) in [("--meta", &input.meta), ("--lexicons", &input.lexicons)] {
        if let Some(p) = path {
            words.extend([flag.to_string(), shell_word(&p.to_string_lossy())]);
        }
    }
    if let Some(w) = weights {
        words.extend(["--weights".to_string(), shell_word(&w.to_string_lossy())]);
    }
    if input.model != ModelKind::default() {
        words.extend(["--model".to_string(), "rules".to_string()]);
    }
    words.join(" ")
}

/// Where a document was found: its corpus and file (and line or record).
fn place(d: &Document) -> String {
    format!("corpus {:?} at {}", d.corpus, d.origin)
}

/// The document to explain: the one with `--id` (in `--corpus`), or the first one. Several
/// documents with the id in different corpora are refused, listing them.
fn find(corpus: &mut Corpus, args: &Args) -> Result<Document> {
    let inputs = args
        .inputs
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let mut docs = std::iter::from_fn(|| corpus.next()).filter_map(|item| match item {
        Ok(d) => Some(d),
        Err(p) => {
            super::diag!("onrecord: skipped: {p}");
            None
        }
    });
    let Some(id) = &args.id else {
        let Some(first) = docs.next() else {
            bail!(
                "{inputs}: no readable document; give a .txt file, a folder or a .jsonl/.csv input"
            );
        };
        if let Some(second) = docs.next() {
            super::diag!(
                "onrecord: note: {inputs} holds more than one document; explaining the first, \
                 {:?} ({}); choose another with --id (the next is {:?})",
                first.id,
                place(&first),
                second.id
            );
        }
        return Ok(first);
    };
    let (mut chosen, mut others, mut seen) = (None::<Document>, Vec::new(), 0u64);
    let mut elsewhere: Vec<String> = Vec::new();
    for d in docs {
        seen += 1;
        if d.id != *id {
            continue;
        }
        if args.corpus.as_ref().is_some_and(|c| *c != d.corpus) {
            elsewhere.push(place(&d));
        } else if chosen.is_none() {
            chosen = Some(d);
        } else {
            others.push(d);
        }
    }
    let Some(doc) = chosen else {
        if !elsewhere.is_empty() {
            bail!(
                "{inputs}: no document {id:?} in corpus {:?}; it is in: {}",
                args.corpus.as_deref().unwrap_or_default(),
                elsewhere.join("; ")
            );
        }
        bail!(
            "{inputs}: no document with id {id:?} among {seen} documents (ids are file names \
             without extension for .txt, the --id-field column for JSONL and CSV)"
        );
    };
    if others.iter().any(|d| d.corpus != doc.corpus) {
        let all: Vec<String> = std::iter::once(&doc).chain(&others).map(place).collect();
        bail!(
            "{inputs}: {} documents have the id {id:?}: {}; choose one with --corpus NAME",
            all.len(),
            all.join("; ")
        );
    }
    if !others.is_empty() {
        super::diag!(
            "onrecord: warning: {} documents repeat the id {id:?} in corpus {:?} ({}); \
             explaining the first",
            others.len() + 1,
            doc.corpus,
            std::iter::once(&doc)
                .chain(&others)
                .map(|d| d.origin.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    Ok(doc)
}
