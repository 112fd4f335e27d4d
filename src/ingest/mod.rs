//! Ingest: read articles from folders of .txt, JSONL(.gz), CSV(.gz) or stdin, streamed.
//!
//! `Corpus::open(inputs, &IngestOptions)?` then iterate `Item`s: a `Document` or a `Problem`
//! that names the file and record, never a panic, so nothing is lost silently. Only one
//! document's text is in memory at a time; the `--meta` table and the set of ids seen (for
//! duplicate detection, about 30 to 60 bytes a document: see `SeenIds`) are the only
//! things that grow with the corpus.
//!
//! Inputs, read in the order given:
//! - a directory: every `*.txt` below it (extension case-sensitive, so the BBC corpus'
//!   `README.TXT` is skipped and counted in [`IngestStats::files_skipped`]), walked
//!   recursively in sorted path order. `id` = file name without extension; `corpus` = the
//!   first folder below the root (`bbc/sport/001.txt` -> `sport`). Files directly in the root
//!   get `--corpus NAME`, or else the root folder's own name.
//! - a single `.txt` file: `corpus` = `--corpus NAME`, or else its folder's name.
//! - `.jsonl`/`.ndjson` and `.csv`/`.tsv`, each optionally `.gz`: one record per line / row;
//!   fields named by `id_field`, `text_field`, `corpus_field`. A record without a corpus gets
//!   `--corpus NAME`, or else the file name without extensions. Other scalar fields go into
//!   `Document.meta` as text (numbers and booleans as their JSON text, `null` as empty;
//!   arrays and objects are left out). Numeric JSON ids are accepted as their decimal text.
//! - `-`: JSONL from standard input (origin file `-`).
//!
//! Decisions: a document with empty text is still a document (counted in
//! [`IngestStats::empty_texts`]; it segments to zero sentences). A repeated (corpus, id) keeps
//! both documents and is counted and listed in the stats. A leading UTF-8 BOM is removed;
//! CRLF is kept, since offsets refer to the text as given. Invalid UTF-8 is decoded lossily
//! (U+FFFD) and the document flagged. `--meta` joins on (corpus, id) when its table has a
//! `corpus` column, else on the id, and stops reading ([`Corpus::refusal`]) when an id-only
//! row would join documents of two corpora; its columns but the join columns go into
//! `Document.meta`, overriding record fields of the same name.

// The fuzz targets' entry points: built for fuzz/ (which turns the feature on) and for the
// unit tests that keep them working, never part of the normal API.
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;
mod jsonrecord;
mod jsonscan;
mod meta;
mod read;
mod source;
#[cfg(test)]
mod tests;

use crate::doc::{Document, Origin};
use anyhow::bail;
use meta::MetaTable;
pub use meta::META_CORPUS_COLUMN;
use read::ReadBytes;
use source::{CsvSource, DirSource, JsonlSource, Kind};
use std::collections::{HashMap, VecDeque};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// How many examples each list in [`IngestStats`] keeps: enough to find the cause, bounded
/// so a bad corpus cannot make the stats grow without limit.
pub const MAX_LISTED: usize = 10;

/// Default for [`IngestOptions::max_doc_bytes`]: far above any news article (the longest
/// BBC article is under 30 KB), low enough that one stray file cannot exhaust memory.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 50 * 1024 * 1024;

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
    /// Skip documents that are not valid UTF-8 instead of decoding them lossily.
    pub strict_utf8: bool,
    /// Documents (a `.txt` file, a JSONL line, a CSV record) larger than this are skipped
    /// with a reason; bounds the memory and time one input can take.
    pub max_doc_bytes: u64,
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
            strict_utf8: false,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
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

/// Counts kept while iterating; read them at any time, complete once the iterator is done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestStats {
    /// Documents yielded (including those with empty text).
    pub documents: u64,
    /// Problems yielded (records or files skipped).
    pub problems: u64,
    /// Bytes of document text yielded.
    pub text_bytes: u64,
    /// Documents whose input was not valid UTF-8 (decoded lossily).
    pub lossy_utf8: u64,
    /// Documents with empty text.
    pub empty_texts: u64,
    /// Files in input directories that are not `.txt`, so not read.
    pub files_skipped: u64,
    /// Documents whose (corpus, id) was seen before; both are kept.
    pub duplicate_ids: u64,
    /// The first few duplicates: "corpus/id at ORIGIN (first at ORIGIN)".
    pub duplicates: Vec<String>,
    /// Rows in the `--meta` file (0 without one).
    pub meta_rows: u64,
    /// Meta rows whose key repeats an earlier row (ignored for the join).
    pub meta_duplicate_keys: u64,
    /// Meta rows (distinct keys) no document has matched yet: final once iteration ends.
    pub meta_rows_unmatched: u64,
    /// The first few unmatched meta keys, in file order; filled when iteration ends.
    pub meta_unmatched_ids: Vec<String>,
    /// Documents that found no meta row (0 without `--meta`).
    pub docs_without_meta: u64,
    /// The first few of those ids.
    pub docs_without_meta_ids: Vec<String>,
    /// Iteration has ended.
    pub finished: bool,
}

impl std::fmt::Display for IngestStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} documents, {} problems, {} lossy UTF-8, {} empty, {} duplicate ids, {} files skipped",
            self.documents,
            self.problems,
            self.lossy_utf8,
            self.empty_texts,
            self.duplicate_ids,
            self.files_skipped
        )?;
        if self.meta_rows > 0 {
            write!(
                f,
                "; meta: {} rows, {} unmatched, {} documents without a row",
                self.meta_rows, self.meta_rows_unmatched, self.docs_without_meta
            )?;
        }
        Ok(())
    }
}

enum Source {
    Dir(DirSource),
    Jsonl(JsonlSource),
    Csv(CsvSource),
}

/// A streamed sequence of documents from several inputs.
pub struct Corpus {
    opts: IngestOptions,
    inputs: VecDeque<(PathBuf, Kind)>,
    current: Option<Source>,
    meta: Option<MetaTable>,
    /// Every (corpus, id) seen, compactly, to report duplicates.
    seen: SeenIds,
    stats: IngestStats,
    /// See [`Corpus::refusal`].
    refusal: Option<String>,
    /// Bytes read from the input files, for the progress line.
    read: ReadBytes,
}

impl Corpus {
    /// Checks every input (exists, known kind) and loads `--meta`; reading starts on iteration.
    pub fn open(inputs: &[PathBuf], opts: &IngestOptions) -> anyhow::Result<Corpus> {
        let mut queue = VecDeque::new();
        let mut stdin_seen = false;
        for path in inputs {
            if path.as_os_str() == "-" {
                if stdin_seen {
                    bail!("standard input (-) is given more than once");
                }
                stdin_seen = true;
            } else if !path.exists() {
                bail!("input {} does not exist", path.display());
            }
            let Some(kind) = source::kind_of(path) else {
                bail!(
                    "input {}: unsupported kind; expected a directory, a .txt file, \
                     .jsonl[.gz], .csv[.gz], .tsv[.gz] or - for JSONL on standard input",
                    path.display()
                );
            };
            queue.push_back((path.clone(), kind));
        }
        Corpus::build(queue, opts)
    }

    /// Reads JSONL from any reader (what `-` does with standard input); `label` names it in
    /// origins.
    pub fn from_jsonl_reader(
        label: impl Into<PathBuf>,
        reader: Box<dyn std::io::BufRead + Send>,
        opts: &IngestOptions,
    ) -> anyhow::Result<Corpus> {
        let label = label.into();
        let corpus = opts
            .corpus
            .clone()
            .unwrap_or_else(|| source::folder_name(&label));
        let mut c = Corpus::build(VecDeque::new(), opts)?;
        c.current = Some(Source::Jsonl(JsonlSource::new(label, reader, corpus)));
        Ok(c)
    }

    fn build(inputs: VecDeque<(PathBuf, Kind)>, opts: &IngestOptions) -> anyhow::Result<Corpus> {
        let meta = match &opts.meta {
            Some(p) => Some(MetaTable::load(p, &opts.meta_id)?),
            None => None,
        };
        let mut stats = IngestStats::default();
        if let Some(m) = &meta {
            stats.meta_rows = m.rows.len() as u64;
            stats.meta_duplicate_keys = m.duplicate_keys.len() as u64;
            stats.meta_rows_unmatched = m.joinable_rows();
        }
        Ok(Corpus {
            opts: opts.clone(),
            inputs,
            current: None,
            meta,
            seen: SeenIds::default(),
            stats,
            refusal: None,
            read: ReadBytes::default(),
        })
    }

    /// The total size of the inputs in bytes (`.gz` files compressed, a folder's `.txt`
    /// files), asked before reading; `None` when not known in advance (standard input, a
    /// FIFO). A folder is walked to sum its files.
    pub fn input_size(&self) -> Option<u64> {
        if self.current.is_some() {
            return None; // a reader given from outside (standard input)
        }
        self.inputs
            .iter()
            .map(|(path, kind)| source::input_size(path, *kind))
            .sum()
    }

    /// Bytes of the input files read so far, to measure against [`Corpus::input_size`].
    pub fn input_read(&self) -> u64 {
        self.read.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn stats(&self) -> &IngestStats {
        &self.stats
    }

    /// Meta rows whose key repeats an earlier row: (key, record number), for reporting.
    pub fn meta_duplicate_keys(&self) -> &[(String, u64)] {
        self.meta.as_ref().map_or(&[], |m| &m.duplicate_keys)
    }

    /// The next raw item, with the checks every kind shares (`--strict-utf8`, size).
    fn next_checked(&mut self) -> Option<Item> {
        let item = self.next_raw()?;
        Some(item.and_then(|doc| {
            if doc.lossy_utf8 && self.opts.strict_utf8 {
                return Err(Problem {
                    origin: doc.origin,
                    message: "not valid UTF-8; skipped because of --strict-utf8 (convert the \
                              file to UTF-8, or drop --strict-utf8 to decode it lossily)"
                        .into(),
                });
            }
            if doc.text.len() as u64 > self.opts.max_doc_bytes {
                return Err(Problem {
                    origin: doc.origin,
                    message: source::too_large(
                        "document text",
                        doc.text.len() as u64,
                        self.opts.max_doc_bytes,
                    ),
                });
            }
            Ok(doc)
        }))
    }

    /// The next raw item from the inputs, before the join and duplicate checks.
    fn next_raw(&mut self) -> Option<Item> {
        loop {
            if let Some(src) = &mut self.current {
                let item = match src {
                    Source::Dir(d) => d.next_item(&mut self.stats.files_skipped),
                    Source::Jsonl(j) => j.next_item(&self.opts),
                    Source::Csv(c) => c.next_item(&self.opts),
                };
                match item {
                    Some(i) => return Some(i),
                    None => self.current = None,
                }
            }
            let (path, kind) = self.inputs.pop_front()?;
            match kind {
                Kind::Dir => {
                    let dir = DirSource::new(&path, &self.opts, &self.read);
                    self.current = Some(Source::Dir(dir));
                }
                Kind::Txt => {
                    let corpus = match &self.opts.corpus {
                        Some(c) => c.clone(),
                        None => path.parent().map_or_else(
                            || "corpus".to_string(),
                            |p| {
                                source::folder_name(if p.as_os_str().is_empty() {
                                    Path::new(".")
                                } else {
                                    p
                                })
                            },
                        ),
                    };
                    return Some(source::read_txt(
                        &path,
                        source::file_id(&path),
                        corpus,
                        self.opts.max_doc_bytes,
                        &self.read,
                    ));
                }
                Kind::Jsonl => match JsonlSource::open(&path, &self.opts, &self.read) {
                    Ok(j) => self.current = Some(Source::Jsonl(j)),
                    Err(p) => return Some(Err(p)),
                },
                Kind::Csv { tab } => match CsvSource::open(&path, tab, &self.opts, &self.read) {
                    Ok(c) => self.current = Some(Source::Csv(c)),
                    Err(p) => return Some(Err(p)),
                },
                Kind::Stdin => {
                    let corpus = self.opts.corpus.clone().unwrap_or_else(|| "stdin".into());
                    let reader = Box::new(std::io::BufReader::new(std::io::stdin()));
                    self.current = Some(Source::Jsonl(JsonlSource::new(path, reader, corpus)));
                }
            }
        }
    }

    fn finish(&mut self) {
        if self.stats.finished {
            return;
        }
        self.stats.finished = true;
        if let Some(m) = &self.meta {
            self.stats.meta_unmatched_ids = m
                .index
                .iter()
                .filter(|(_, &row)| m.joined[row].is_none())
                .map(|(k, &row)| (row, meta::show(k)))
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_values()
                .take(MAX_LISTED)
                .collect();
        }
    }

    /// Counts the document and joins its `--meta` row; `None` when the join is refused
    /// ([`Corpus::refusal`]).
    fn accept(&mut self, mut doc: Document) -> Option<Document> {
        let s = &mut self.stats;
        s.documents += 1;
        s.text_bytes += doc.text.len() as u64;
        s.lossy_utf8 += u64::from(doc.lossy_utf8);
        s.empty_texts += u64::from(doc.text.is_empty());
        if let Some(m) = &mut self.meta {
            match m.index.get(&m.key(&doc.corpus, &doc.id)) {
                Some(&row) => {
                    match &m.joined[row] {
                        None => {
                            m.joined[row] = Some(doc.corpus.clone());
                            s.meta_rows_unmatched -= 1;
                        }
                        Some(first) if *first != doc.corpus => {
                            self.refusal =
                                Some(ambiguous_join(self.opts.meta.as_deref(), &doc, first));
                            return None;
                        }
                        Some(_) => {}
                    }
                    for (col, val) in m.fields(row) {
                        doc.meta.insert(col.clone(), val.clone());
                    }
                }
                None => {
                    s.docs_without_meta += 1;
                    if s.docs_without_meta_ids.len() < MAX_LISTED {
                        let key = m.key(&doc.corpus, &doc.id);
                        s.docs_without_meta_ids.push(meta::show(&key));
                    }
                }
            }
        }
        if let Some(first) = self.seen.first_or_insert(&doc.corpus, &doc.id, &doc.origin) {
            s.duplicate_ids += 1;
            if s.duplicates.len() < MAX_LISTED {
                s.duplicates.push(format!(
                    "{}/{} at {} (first at {first})",
                    doc.corpus, doc.id, doc.origin
                ));
            }
        }
        Some(doc)
    }

    /// Why reading stopped before the end of the inputs, when it did: a `--meta` table
    /// without a corpus column whose row would join documents of two corpora. The run must
    /// fail with it, as the documents it read so far are only part of the input.
    pub fn refusal(&self) -> Option<&str> {
        self.refusal.as_deref()
    }
}

/// The message refusing a `--meta` row that would join `doc` and a document of `first`.
fn ambiguous_join(meta: Option<&Path>, doc: &Document, first: &str) -> String {
    let file = meta.map_or_else(String::new, |p| p.display().to_string());
    format!(
        "--meta {file} has no {META_CORPUS_COLUMN:?} column, so it joins on the id alone, but \
         id {:?} is in more than one corpus of this run ({first:?} and {:?}, at {}): its row \
         would be joined to both. Add a {META_CORPUS_COLUMN:?} column to {file} naming each \
         row's corpus (the first folder below the input root, or the records' corpus field), \
         so that rows join on (corpus, id)",
        doc.id, doc.corpus, doc.origin
    )
}

/// The (corpus, id) pairs seen so far and where each was first seen, in a few tens of bytes
/// per document instead of two strings and a path: the key is a 128-bit hash of the pair
/// (two distinct pairs collide with probability about n^2 / 2^129, i.e. never in practice),
/// the value a packed origin. File paths are stored once each; a one-file document
/// (`DIR/ID.txt`) stores only its folder, since its id gives back the file name.
#[derive(Default)]
pub(crate) struct SeenIds {
    first: HashMap<[u64; 2], u64>,
    /// Paths referred to by packed origins, each once.
    paths: Vec<PathBuf>,
    /// Keyed by the path's bytes, so that a path is given back exactly as it was spelled.
    path_index: HashMap<OsString, u32>,
    /// Origins that do not fit the packing (more than 2^23 paths, records past 2^40).
    unpacked: HashMap<[u64; 2], Origin>,
}

/// Packed origin: bit 63 = the file is `path/ID.txt`; bits 40..63 = path index; bits
/// 0..40 = record + 1 (0 when the origin has no record). `UNPACKED` = in `unpacked`.
const BY_ID: u64 = 1 << 63;
const PATH_BITS: u32 = 23;
const RECORD_BITS: u32 = 40;
const UNPACKED: u64 = u64::MAX;

impl SeenIds {
    fn key(corpus: &str, id: &str) -> [u64; 2] {
        use std::hash::{DefaultHasher, Hash, Hasher};
        // DefaultHasher::new() has fixed keys: the same pair always gets the same hash.
        let half = |salt: u8| {
            let mut h = DefaultHasher::new();
            (salt, corpus, id).hash(&mut h);
            h.finish()
        };
        [half(0), half(1)]
    }

    /// Records (corpus, id) at `origin`; if it was seen before, returns where first.
    pub(crate) fn first_or_insert(
        &mut self,
        corpus: &str,
        id: &str,
        origin: &Origin,
    ) -> Option<Origin> {
        let key = SeenIds::key(corpus, id);
        if let Some(&packed) = self.first.get(&key) {
            return Some(self.unpack(&key, packed, id));
        }
        let packed = self.pack(origin, id);
        if packed == UNPACKED {
            self.unpacked.insert(key, origin.clone());
        }
        self.first.insert(key, packed);
        None
    }

    fn path_id(&mut self, path: &Path) -> Option<u64> {
        // Consecutive documents mostly share a path (a JSONL file, a folder).
        if let Some(last) = self.paths.last() {
            if last.as_os_str() == path.as_os_str() {
                return Some(self.paths.len() as u64 - 1);
            }
        }
        if let Some(&i) = self.path_index.get(path.as_os_str()) {
            return Some(u64::from(i));
        }
        let i = self.paths.len();
        if i >= 1 << PATH_BITS {
            return None;
        }
        self.paths.push(path.to_path_buf());
        self.path_index
            .insert(path.as_os_str().to_owned(), i as u32);
        Some(i as u64)
    }

    fn pack(&mut self, origin: &Origin, id: &str) -> u64 {
        let record = match origin.record {
            None => 0,
            Some(r) if r < (1 << RECORD_BITS) - 1 => r + 1,
            Some(_) => return UNPACKED,
        };
        let folder = origin.file.parent().filter(|p| {
            origin.record.is_none()
                && p.join(format!("{id}.txt")).as_os_str() == origin.file.as_os_str()
        });
        let (path, flag) = match folder {
            Some(folder) => (folder, BY_ID),
            None => (origin.file.as_path(), 0),
        };
        match self.path_id(path) {
            Some(i) => flag | (i << RECORD_BITS) | record,
            None => UNPACKED,
        }
    }

    fn unpack(&self, key: &[u64; 2], packed: u64, id: &str) -> Origin {
        if packed == UNPACKED {
            return self.unpacked.get(key).cloned().unwrap_or_default();
        }
        let i = ((packed & !BY_ID) >> RECORD_BITS) as usize;
        let path = self.paths.get(i).cloned().unwrap_or_default();
        let record = packed & ((1 << RECORD_BITS) - 1);
        Origin {
            file: if packed & BY_ID != 0 {
                path.join(format!("{id}.txt"))
            } else {
                path
            },
            record: record.checked_sub(1),
        }
    }
}

impl Iterator for Corpus {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        if self.refusal.is_some() {
            return None;
        }
        match self.next_checked() {
            Some(Ok(doc)) => match self.accept(doc) {
                Some(doc) => Some(Ok(doc)),
                None => {
                    self.finish();
                    None
                }
            },
            Some(Err(p)) => {
                self.stats.problems += 1;
                Some(Err(p))
            }
            None => {
                self.finish();
                None
            }
        }
    }
}

#[cfg(test)]
mod seen_tests {
    use super::*;

    fn at(file: &str, record: Option<u64>) -> Origin {
        Origin {
            file: PathBuf::from(file),
            record,
        }
    }

    #[test]
    fn first_origins_come_back_exactly() {
        let mut seen = SeenIds::default();
        let cases = [
            ("c", "a", at("in/x.jsonl", Some(7))),
            ("c", "b", at("in/dir/sport/b.txt", None)),
            // The file name is not ID.txt: the whole path is kept.
            ("c", "odd", at("in/dir/odd file.txt", None)),
            ("c", "far", at("in/x.jsonl", Some(1 << 41))),
            ("d", "a", at("in/y.csv", Some(2))),
            ("c", "rec0", at("in/./x.jsonl", Some(0))),
        ];
        for (corpus, id, origin) in &cases {
            assert_eq!(seen.first_or_insert(corpus, id, origin), None, "{id}");
        }
        let again = at("in/z.jsonl", Some(9));
        for (corpus, id, origin) in &cases {
            assert_eq!(
                seen.first_or_insert(corpus, id, &again).as_ref(),
                Some(origin),
                "{corpus}/{id}"
            );
        }
        // Paths are stored once each (the by-id document stores its folder).
        assert_eq!(seen.paths.len(), 5);
        assert_eq!(seen.unpacked.len(), 1);
    }
}
