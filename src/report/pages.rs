//! The explain pages of the example articles: `score --out DIR` writes the page of every
//! article of examples.csv (the page `explain --html` writes) into `DIR/articles/`, and
//! report.html links each example to its sentence there. `merge` copies the pages of the
//! merged examples from its shard folders. At most `--examples N` articles per group and
//! pattern, so the folder is bounded whatever the corpus's size.

use super::examples::Examples;
use crate::doc::Document;
use crate::pipeline::{self, Resources};
use anyhow::{Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The pages' folder, inside the output folder.
pub const FOLDER: &str = "articles";

/// Longest article (bytes of text) given a page: its page would be about twice its size, and
/// news articles are far shorter. A longer one keeps the explain command in the report.
pub const MAX_ARTICLE_BYTES: usize = 1 << 20;

/// Longest readable part of a file name taken from a corpus or an id, in bytes.
const NAME_PART: usize = 40;

/// The file name of the page of document `id` of `corpus`: the two made readable (ASCII
/// letters, digits, `-` and `_` kept, anything else `_`, each cut to [`NAME_PART`]), then
/// the FNV-1a hash of the exact pair (the corpus's length in 8 bytes, little-endian, the
/// corpus, the id), so that two documents never share a name (ids that
/// differ only in case or in the characters replaced, the same id in two corpora). No `/`,
/// `\`, `.` or `..` can come from the input.
pub fn file_name(corpus: &str, id: &str) -> String {
    let readable = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(NAME_PART)
            .collect()
    };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    // The corpus's length first: each pair has its own byte string.
    let len = (corpus.len() as u64).to_le_bytes();
    for b in len.into_iter().chain(corpus.bytes()).chain(id.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{}--{}--{h:016x}.html", readable(corpus), readable(id))
}

/// The pages an output folder holds: (corpus, document id) -> file name in [`FOLDER`].
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pages(BTreeMap<(String, String), String>);

impl Pages {
    /// The link from report.html to the page of a document, if it has one.
    pub fn href(&self, corpus: &str, doc: &str) -> Option<String> {
        self.0
            .get(&(corpus.to_string(), doc.to_string()))
            .map(|name| format!("{FOLDER}/{name}"))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The articles of the examples: corpus -> ids.
fn wanted(examples: &Examples) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in examples.iter() {
        out.entry(e.doc_corpus.clone())
            .or_default()
            .insert(e.doc.clone());
    }
    out
}

/// `score`'s pages, written as the inputs are read a second time (the sample is known only
/// once every document is scored): the caller runs [`Writer::page`] over the documents in
/// parallel and gives each result to [`Writer::write`] in input order.
pub struct Writer {
    wanted: BTreeMap<String, BTreeSet<String>>,
    folder: PathBuf,
}

impl Writer {
    pub fn new(dir: &Path, examples: &Examples) -> Writer {
        Writer {
            wanted: wanted(examples),
            folder: dir.join(FOLDER),
        }
    }

    /// Whether any article has a page to write: else the second read is not needed.
    pub fn has_work(&self) -> bool {
        !self.wanted.is_empty()
    }

    /// The page of `doc` if it is an example's article (and not over
    /// [`MAX_ARTICLE_BYTES`]): only those are analysed again.
    pub fn page(&self, doc: &Document, res: &Resources) -> Option<String> {
        let wanted = self
            .wanted
            .get(&doc.corpus)
            .is_some_and(|ids| ids.contains(&doc.id));
        (wanted && doc.text.len() <= MAX_ARTICLE_BYTES).then(|| {
            let analysis = pipeline::analyze(&doc.text, res);
            super::article::html(&doc.id, &doc.corpus, &doc.text, &analysis, res)
        })
    }

    /// Writes a page made by [`Writer::page`] and adds it to `pages`. Where a (corpus, id)
    /// repeats, the first document of it in input order has the page.
    pub fn write(&self, pages: &mut Pages, doc: &Document, html: &str) -> Result<()> {
        let key = (doc.corpus.clone(), doc.id.clone());
        if pages.0.contains_key(&key) {
            return Ok(());
        }
        if pages.is_empty() {
            std::fs::create_dir(&self.folder)
                .with_context(|| format!("creating {}", self.folder.display()))?;
        }
        let name = file_name(&doc.corpus, &doc.id);
        let path = self.folder.join(&name);
        std::fs::write(&path, html).with_context(|| format!("writing {}", path.display()))?;
        pages.0.insert(key, name);
        Ok(())
    }
}

/// `merge`: copies into `dir/articles/` the page of each example article from the first
/// shard folder (in the order given) that has it. A merged sample is drawn from the
/// shards' samples, so each shard that holds an example holds its page too; an example
/// whose shard has none (a shard of an older version, an article over
/// [`MAX_ARTICLE_BYTES`]) keeps the explain command.
pub fn copy(dir: &Path, examples: &Examples, shards: &[&Path]) -> Result<Pages> {
    let mut pages = Pages::default();
    let folder = dir.join(FOLDER);
    for (corpus, ids) in wanted(examples) {
        for id in ids {
            let name = file_name(&corpus, &id);
            let Some(from) = shards
                .iter()
                .map(|s| s.join(FOLDER).join(&name))
                .find(|p| p.is_file())
            else {
                continue;
            };
            if pages.is_empty() {
                std::fs::create_dir(&folder)
                    .with_context(|| format!("creating {}", folder.display()))?;
            }
            let to = folder.join(&name);
            std::fs::copy(&from, &to)
                .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
            pages.0.insert((corpus.clone(), id), name);
        }
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_are_safe_and_distinct() {
        // The hash: 64-bit FNV-1a of (3).to_bytes(8, "little") + b"bbc001", computed
        // independently in Python (`h=0xcbf29ce484222325; for b in data:
        // h=((h^b)*0x100000001b3) % 2**64`).
        assert_eq!(file_name("bbc", "001"), "bbc--001--a1190d2e695865f6.html");
        let names = [
            file_name("business", "001"),
            file_name("sport", "001"),
            file_name("a", "b\0c"),
            file_name("a\0b", "c"),
            file_name("x", "Doc"),
            file_name("x", "doc"),
            file_name("x", "a/b"),
            file_name("x", "a_b"),
        ];
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{names:?}");
        for evil in [
            "../../etc/passwd",
            "..",
            ".",
            "a\\b",
            "/abs",
            "C:\\x",
            "é\u{0}",
        ] {
            let n = file_name(evil, evil);
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
                "{n}"
            );
            // The only dot is the extension's.
            assert_eq!(n.matches('.').count(), 1, "{n}");
        }
        // Long ids are cut: a name stays far under the 255 bytes file systems allow.
        assert!(file_name(&"c".repeat(300), &"i".repeat(300)).len() < 120);
    }
}
