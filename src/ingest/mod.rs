//! Ingest: read articles from folders of .txt, JSONL(.gz), CSV(.gz) or stdin, streamed.
//!
//! INTERFACE (implemented by the ingest module):
//! `Corpus::open(inputs, &IngestOptions)?` then iterate `Item`s: a `Document` or a `Problem`
//! that names the file and record, never a panic, so nothing is lost silently.

use crate::doc::{Document, Origin};
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub id_field: String,
    pub text_field: String,
    pub corpus_field: String,
    /// Corpus name for documents whose input gives none.
    pub corpus: Option<String>,
    /// CSV or TSV joined to documents on `meta_id`.
    pub meta: Option<PathBuf>,
    pub meta_id: String,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            id_field: "id".into(),
            text_field: "text".into(),
            corpus_field: "corpus".into(),
            corpus: None,
            meta: None,
            meta_id: "id".into(),
        }
    }
}

/// A record or file that could not become a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub origin: Origin,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

pub type Item = Result<Document, Problem>;
