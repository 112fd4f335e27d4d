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

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(items: &[Item]) -> Vec<Result<String, String>> {
        items
            .iter()
            .map(|i| match i {
                Ok(d) => Ok(format!("{}/{}: {}", d.corpus, d.id, d.text)),
                Err(p) => Err(p.to_string()),
            })
            .collect()
    }

    #[test]
    fn each_reader_reads_bytes_as_its_file() {
        let jsonl_items = jsonl(b"{\"id\": \"a\", \"text\": \"A.\"}\n[1]\n");
        let got = summary(&jsonl_items);
        assert_eq!(got[0], Ok("fuzz.jsonl/a: A.".to_string()));
        assert_eq!(
            got[1],
            Err("fuzz.jsonl:2: expected a JSON object per line, found an array".to_string())
        );
        let csv_items = csv(b"id,text\nb,\"B, too\"\n", false);
        assert_eq!(summary(&csv_items), [Ok("fuzz/b: B, too".to_string())]);
        let tsv_items = csv(b"id\ttext\nc\t\"C\n", true);
        assert_eq!(summary(&tsv_items), [Ok("fuzz/c: \"C".to_string())]);
        assert_eq!(meta(b"id,publisher\na,nyt\nb,wp\n"), Ok(2));
        let err = meta(b"name\nx\n").expect_err("no id column");
        assert!(err.contains("no column \"id\""), "{err}");
    }

    #[test]
    fn the_small_size_limit_applies() {
        let long = format!("{{\"id\": \"a\", \"text\": \"{}\"}}\n", "x".repeat(5000));
        let got = summary(&jsonl(long.as_bytes()));
        assert!(
            matches!(&got[..], [Err(m)] if m.contains("over the limit of 4096")),
            "{got:?}"
        );
    }
}
