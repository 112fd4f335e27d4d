//! Options shared by the commands that read corpora.

use crate::extract::ModelKind;
use crate::ingest::{Corpus, IngestOptions};
use anyhow::Result;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Inputs: folders of .txt files (read recursively), .txt, .jsonl[.gz], .csv[.gz] files,
    /// or - for JSONL on standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// JSONL/CSV field holding the document id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSONL/CSV field holding the article text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSONL/CSV field holding the corpus name.
    #[arg(long, default_value = "corpus")]
    pub corpus_field: String,
    /// Corpus name for documents whose input gives none (for folders: files directly in the
    /// root; sub-folders name their corpus).
    #[arg(long)]
    pub corpus: Option<String>,
    /// A CSV or TSV file of document metadata, joined on --meta-id; its columns can group the
    /// corpus (--by publisher).
    #[arg(long)]
    pub meta: Option<PathBuf>,
    /// Column of --meta that holds the document id.
    #[arg(long, default_value = "id")]
    pub meta_id: String,
    /// Extractor: `rules` (fast lexicon and pattern rules).
    #[arg(long, default_value = "rules")]
    pub model: ModelKind,
    /// Worker threads (default: all cores). Output is the same at any count.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress or summary on standard error (problems are still reported).
    #[arg(long, short)]
    pub quiet: bool,
}

impl InputArgs {
    pub fn open(&self) -> Result<Corpus> {
        if let Some(n) = self.threads {
            // A second call in one process (tests) keeps the first pool: harmless.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global();
        }
        let opts = IngestOptions {
            id_field: self.id_field.clone(),
            text_field: self.text_field.clone(),
            corpus_field: self.corpus_field.clone(),
            corpus: self.corpus.clone(),
            meta: self.meta.clone(),
            meta_id: self.meta_id.clone(),
        };
        Corpus::open(&self.inputs, &opts)
    }
}

/// Counts for the closing accounting line: nothing is lost silently.
#[derive(Debug, Default)]
pub struct Accounting {
    pub processed: u64,
    pub skipped: u64,
    pub lossy: u64,
}

impl Accounting {
    pub fn report(&self, corpus: &Corpus, quiet: bool) -> u8 {
        let st = corpus.stats();
        if !quiet || self.skipped > 0 {
            eprintln!(
                "onrecord: {} documents read, {} processed, {} skipped; {} decoded lossily (not valid UTF-8){}",
                self.processed + self.skipped,
                self.processed,
                self.skipped,
                self.lossy,
                if st.duplicate_ids > 0 {
                    format!("; {} duplicate ids", st.duplicate_ids)
                } else {
                    String::new()
                }
            );
            if st.meta_rows > 0 && st.docs_without_meta > 0 {
                eprintln!(
                    "onrecord: warning: {} documents have no --meta row (first: {})",
                    st.docs_without_meta,
                    st.docs_without_meta_ids.join(", ")
                );
            }
        }
        if self.skipped > 0 {
            super::EXIT_SKIPPED
        } else {
            super::EXIT_OK
        }
    }
}
