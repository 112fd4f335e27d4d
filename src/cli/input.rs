//! Options shared by the commands that read corpora.

use super::AtomicFile;
use crate::export::tables;
use crate::export::writer::Table;
use crate::extract::ModelKind;
use crate::ingest::{Corpus, IngestOptions, Problem, DEFAULT_MAX_DOC_BYTES};
use anyhow::{bail, Context, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// What a run does with a record or file it cannot read (docs/errors.md).
#[derive(clap::ValueEnum, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnError {
    /// Report it, count it, list it in the errors file and go on (exit code 3 at the end).
    #[default]
    Skip,
    /// Stop at the first one (exit code 1); no output file is written.
    Fail,
}

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
    /// A CSV or TSV file of document metadata, joined on (corpus, id) when it has a `corpus`
    /// column, else on the id alone (refused when an id is in two corpora); its columns can
    /// group the corpus (--by publisher) and go to documents.csv.
    #[arg(long)]
    pub meta: Option<PathBuf>,
    /// Column of --meta that holds the document id.
    #[arg(long, default_value = "id")]
    pub meta_id: String,
    /// Extractor: `tagger` (the learned sequence tagger, most accurate) or `rules` (lexicon
    /// and pattern rules, about four to five times faster).
    #[arg(long, default_value = "tagger")]
    pub model: ModelKind,
    /// Folder of lexicon files overriding the embedded lists of the same names
    /// (data/lexicons/); lists not in the folder stay embedded.
    #[arg(long, value_name = "DIR")]
    pub lexicons: Option<PathBuf>,
    /// Worker threads (default: all cores; at most 4 per core). Output is the same at any
    /// count.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress or summary on standard error (problems are still reported).
    #[arg(long, short)]
    pub quiet: bool,
    /// A record or file that cannot be read: `skip` it (reported, counted, listed in the
    /// errors file; exit code 3) or `fail` at the first (exit code 1, no output written).
    #[arg(long, value_enum, default_value = "skip", value_name = "ACTION")]
    pub on_error: OnError,
    /// Skip documents that are not valid UTF-8 (by default they are decoded lossily, with
    /// U+FFFD for each bad sequence, and counted).
    #[arg(long)]
    pub strict_utf8: bool,
    /// Skip documents (a .txt file, a JSONL line, a CSV record) larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_DOC_BYTES)]
    pub max_doc_bytes: u64,
}

impl InputArgs {
    pub fn open(&self) -> Result<Corpus> {
        if let Some(asked) = self.threads {
            let n = capped_threads(asked);
            if n < asked {
                super::diag!(
                    "onrecord: note: --threads {asked} is more than {THREADS_PER_CORE} per core \
                     ({} cores); using {n} (more threads only cost memory and time)",
                    n / THREADS_PER_CORE
                );
            }
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
            strict_utf8: self.strict_utf8,
            max_doc_bytes: self.max_doc_bytes,
        };
        Corpus::open(&self.inputs, &opts)
    }

    /// A fresh accounting that follows `--on-error`.
    pub fn accounting(&self) -> Accounting {
        Accounting {
            on_error: self.on_error,
            ..Accounting::default()
        }
    }

    /// Refuses an output path that is one of the inputs, or (for an output folder) that
    /// holds an input file the run would overwrite: nothing is written over what is read.
    pub fn check_output(&self, out: &Path, names: &[&str]) -> Result<()> {
        let targets: Vec<PathBuf> = if names.is_empty() {
            vec![out.to_path_buf()]
        } else {
            names.iter().map(|n| out.join(n)).collect()
        };
        let mut reads: Vec<&Path> = self.inputs.iter().map(PathBuf::as_path).collect();
        reads.extend(self.meta.as_deref());
        for t in &targets {
            if let Some(i) = reads.iter().find(|i| same_file(i, t)) {
                bail!(
                    "refusing to write {} over the input {}; choose another output",
                    t.display(),
                    i.display()
                );
            }
        }
        Ok(())
    }
}

/// At most this many worker threads per core: past one a core the pipeline gains nothing,
/// and each thread costs a stack and a heap of its own (`--threads 10000` took 57 s and
/// 350 MB for 5 documents).
pub const THREADS_PER_CORE: usize = 4;

/// `asked` threads, capped at [`THREADS_PER_CORE`] per core of this machine.
pub fn capped_threads(asked: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    asked.min(cores.saturating_mul(THREADS_PER_CORE))
}

/// Both paths exist and are the same file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The errors file: one row per skipped input (file, record, message), written atomically.
pub struct ErrorsFile {
    file: AtomicFile,
    table: Table<BufWriter<std::fs::File>>,
}

impl ErrorsFile {
    pub fn create(path: &Path) -> Result<ErrorsFile> {
        let file = AtomicFile::create(path)?;
        let table = Table::new(
            BufWriter::new(file.file()?),
            &tables::errors_header(),
            false,
        )
        .with_context(|| format!("writing {}", path.display()))?;
        Ok(ErrorsFile { file, table })
    }

    pub fn commit(self) -> Result<()> {
        let mut w = self.table.into_inner()?;
        w.flush().context("writing the errors file")?;
        drop(w);
        self.file.commit()
    }
}

/// Counts for the closing accounting line: nothing is lost silently.
#[derive(Default)]
pub struct Accounting {
    pub processed: u64,
    pub skipped: u64,
    pub lossy: u64,
    pub on_error: OnError,
    /// Where skipped inputs are listed (extract's errors file; score writes its own).
    pub errors: Option<ErrorsFile>,
}

impl Accounting {
    /// Counts and reports one skipped input, lists it in the errors file, and under
    /// `--on-error fail` returns the error that stops the run.
    pub fn skip(&mut self, p: &Problem) -> Result<()> {
        self.skipped += 1;
        if self.on_error == OnError::Fail {
            bail!(
                "{p}\nstopped at the first problem (--on-error fail); no output was written. \
                 Fix the input, or run with --on-error skip to go past it"
            );
        }
        super::diag!("onrecord: skipped: {p}");
        if let Some(e) = &mut self.errors {
            tables::write_error(&mut e.table, p).context("writing the errors file")?;
        }
        Ok(())
    }

    /// Commits the errors file, if any.
    pub fn finish_errors(&mut self) -> Result<()> {
        match self.errors.take() {
            Some(e) => e.commit(),
            None => Ok(()),
        }
    }

    pub fn report(&self, corpus: &Corpus, quiet: bool) -> u8 {
        let st = corpus.stats();
        if !quiet || self.skipped > 0 {
            super::diag!(
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
            if !st.duplicates.is_empty() {
                super::diag!(
                    "onrecord: warning: {} documents repeat an earlier (corpus, id); both are kept: {}",
                    st.duplicate_ids,
                    st.duplicates.join("; ")
                );
            }
        }
        // Join problems are warnings even under --quiet: a wrong --meta-id silently empties
        // every --by group otherwise.
        if st.meta_rows > 0 {
            let joinable = st.meta_rows.saturating_sub(st.meta_duplicate_keys);
            let matched = joinable.saturating_sub(st.meta_rows_unmatched);
            if matched == 0 && st.documents > 0 {
                super::diag!(
                    "onrecord: warning: the --meta file matches no document ({} rows, {} documents); \
                     check --meta-id and that its ids are the documents' ids (first meta ids: {}; first document ids: {})",
                    st.meta_rows,
                    st.documents,
                    st.meta_unmatched_ids.join(", "),
                    st.docs_without_meta_ids.join(", ")
                );
            } else {
                if st.docs_without_meta > 0 {
                    super::diag!(
                        "onrecord: warning: {} of {} documents have no --meta row (first: {})",
                        st.docs_without_meta,
                        st.documents,
                        st.docs_without_meta_ids.join(", ")
                    );
                }
                if st.meta_rows_unmatched > 0 && !quiet {
                    super::diag!(
                        "onrecord: note: {} --meta rows match no document (first: {})",
                        st.meta_rows_unmatched,
                        st.meta_unmatched_ids.join(", ")
                    );
                }
            }
        }
        if self.skipped > 0 {
            super::EXIT_SKIPPED
        } else {
            super::EXIT_OK
        }
    }
}
