//! The `--meta` table: a small CSV/TSV joined to documents on (corpus, id) when it has a
//! `corpus` column, else on the id alone.
//!
//! It is held in memory (one row per article, far smaller than the texts), so the join is a
//! hash look-up per document; rows are tracked so unmatched ones can be reported at the end,
//! and, without a corpus column, so that a row that would join documents of two corpora (the
//! BBC's `001` in each of five folders) stops the run instead of joining them all.

use super::read::{csv_error_text, open_maybe_gz, strip_bom, DynBufRead};
use anyhow::{bail, Context};
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

/// The column of a `--meta` table that, when present, names each row's corpus.
pub const META_CORPUS_COLUMN: &str = "corpus";

/// A row's join key: (corpus, id), the corpus empty when the table has no corpus column.
pub(crate) type MetaKey = (String, String);

pub(crate) struct MetaTable {
    pub columns: Vec<String>,
    /// Row values in file order, aligned with `columns`.
    pub rows: Vec<Vec<String>>,
    /// The id column and the corpus column (when there is one): the join, not carried.
    pub key_column: usize,
    pub corpus_column: Option<usize>,
    /// Key -> first row with that key.
    pub index: HashMap<MetaKey, usize>,
    /// The corpus of the first document each row joined (`None`: not joined yet).
    pub joined: Vec<Option<String>>,
    /// Keys that appeared on more than one row (later rows ignored), as [`MetaTable::show`]s.
    pub duplicate_keys: Vec<(String, u64)>,
}

impl MetaTable {
    pub fn load(path: &Path, key: &str) -> anyhow::Result<MetaTable> {
        if !path.exists() {
            bail!("meta file {} does not exist", path.display());
        }
        let reader = open_maybe_gz(path)
            .with_context(|| format!("cannot open meta file {}", path.display()))?;
        MetaTable::from_reader(path, reader, key)
    }

    /// Reads the table from any reader; `path` names it in messages and decides TSV by name.
    pub fn from_reader(
        path: &Path,
        mut reader: DynBufRead,
        key: &str,
    ) -> anyhow::Result<MetaTable> {
        let tab = is_tsv_name(path) || first_line_has_tab(&mut reader, path)?;
        let mut builder = csv::ReaderBuilder::new();
        builder.has_headers(true).flexible(false);
        if tab {
            // TSV has no quoting convention; titles with a stray `"` must not swallow rows.
            builder.delimiter(b'\t').quoting(false);
        }
        let mut rdr = builder.from_reader(reader);
        let columns: Vec<String> = rdr
            .byte_headers()
            .with_context(|| format!("cannot read the header row of meta file {}", path.display()))?
            .iter()
            .map(|h| strip_bom(&String::from_utf8_lossy(h)).trim().to_string())
            .collect();
        let Some(key_column) = columns.iter().position(|c| c == key) else {
            bail!(
                "meta file {} has no column {:?} to join on (columns: {}); choose one with --meta-id",
                path.display(),
                key,
                columns.join(", ")
            );
        };
        let corpus_column = columns.iter().position(|c| c == META_CORPUS_COLUMN);
        let mut rows = Vec::new();
        let mut index = HashMap::new();
        let mut duplicate_keys = Vec::new();
        let mut rec = csv::ByteRecord::new();
        let mut n: u64 = 0;
        loop {
            n += 1;
            match rdr.read_byte_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => bail!(
                    "meta file {} record {}{}: {}; fix the file (every row needs {} fields)",
                    path.display(),
                    n,
                    e.position()
                        .map(|p| format!(" (line {}, byte {})", p.line(), p.byte()))
                        .unwrap_or_default(),
                    csv_error_text(&e),
                    columns.len()
                ),
            }
            let row: Vec<String> = rec
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).cloned().unwrap_or_default();
            let k = (cell(corpus_column), cell(Some(key_column)));
            match index.entry(k) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    duplicate_keys.push((show(e.key()), n))
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(rows.len());
                }
            }
            rows.push(row);
        }
        let joined = vec![None; rows.len()];
        Ok(MetaTable {
            columns,
            rows,
            key_column,
            corpus_column,
            index,
            joined,
            duplicate_keys,
        })
    }

    /// The key a document of `corpus` with `id` joins on.
    pub fn key(&self, corpus: &str, id: &str) -> MetaKey {
        let corpus = if self.corpus_column.is_some() {
            corpus
        } else {
            ""
        };
        (corpus.to_string(), id.to_string())
    }

    /// The row's columns other than the join columns, with their values.
    pub fn fields(&self, row: usize) -> impl Iterator<Item = (&String, &String)> {
        let join = [Some(self.key_column), self.corpus_column];
        self.columns
            .iter()
            .zip(&self.rows[row])
            .enumerate()
            .filter(move |(i, _)| !join.contains(&Some(*i)))
            .map(|(_, cv)| cv)
    }

    /// Number of distinct keys (the rows a document can match).
    pub fn joinable_rows(&self) -> u64 {
        self.index.len() as u64
    }
}

/// A key as messages show it: `corpus/id`, or the id alone without a corpus column.
pub(crate) fn show((corpus, id): &MetaKey) -> String {
    if corpus.is_empty() {
        id.clone()
    } else {
        format!("{corpus}/{id}")
    }
}

fn is_tsv_name(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".tsv") || name.ends_with(".tsv.gz")
}

fn first_line_has_tab(reader: &mut dyn BufRead, path: &Path) -> anyhow::Result<bool> {
    let buf = reader
        .fill_buf()
        .with_context(|| format!("cannot read meta file {}", path.display()))?;
    let line = buf.split(|&b| b == b'\n').next().unwrap_or(&[]);
    Ok(line.contains(&b'\t'))
}
