//! Entry points for the fuzz targets (fuzz/fuzz_targets/): each input reader run over bytes
//! in memory, the way a file of those bytes would be read. Not part of the stable API.

use super::meta::MetaTable;
use super::read::DynBufRead;
use super::source::CsvSource;
use super::{Corpus, IngestOptions, Item};
use std::path::Path;

/// Limits small enough that the fuzzer exercises the size checks too.
fn opts() -> IngestOptions {
    IngestOptions {
        max_doc_bytes: 4096,
        ..IngestOptions::default()
    }
}

fn reader(bytes: &[u8]) -> DynBufRead {
    Box::new(std::io::Cursor::new(bytes.to_vec()))
}

/// Every item of `bytes` read as JSON Lines.
pub fn jsonl(bytes: &[u8]) -> Vec<Item> {
    match Corpus::from_jsonl_reader("fuzz.jsonl", reader(bytes), &opts()) {
        Ok(c) => c.collect(),
        Err(_) => Vec::new(),
    }
}

/// Every item of `bytes` read as CSV (or TSV with `tab`).
pub fn csv(bytes: &[u8], tab: bool) -> Vec<Item> {
    let opts = opts();
    let mut src = match CsvSource::from_reader(Path::new("fuzz.csv"), reader(bytes), tab, &opts) {
        Ok(s) => s,
        Err(p) => return vec![Err(p)],
    };
    let mut out = Vec::new();
    while let Some(item) = src.next_item(&opts) {
        out.push(item);
    }
    out
}

/// `bytes` read as a `--meta` table joined on `id`: the number of rows, or the error text.
pub fn meta(bytes: &[u8]) -> Result<usize, String> {
    MetaTable::from_reader(Path::new("fuzz.csv"), reader(bytes), "id")
        .map(|m| m.rows.len())
        .map_err(|e| format!("{e:#}"))
}
