//! `score --examples N`: per group and pattern, N example claims (examples.csv and the
//! report). The sample is the N claims with the smallest hash of (group, document id,
//! sentence start): a fixed function of each claim, so it does not depend on the thread
//! count, the order of the inputs or how the corpus was split.

use crate::doc::Document;
use crate::export::writer::{Cell, Table};
use crate::score::{Claim, Pattern};
use crate::text::CharIndex;
use anyhow::Context;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// examples.csv's columns (docs/data-dictionary.md).
pub const COLUMNS: [&str; 10] = [
    "group",
    "corpus",
    "pattern",
    "doc",
    "sentence",
    "start",
    "end",
    "text",
    "score",
    "sample_key",
];

pub fn header() -> Vec<String> {
    COLUMNS.iter().map(|c| c.to_string()).collect()
}

/// One example claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The `--by` group (the `group` column of claims.csv).
    pub group: String,
    pub pattern: Pattern,
    pub doc: String,
    /// The document's corpus (its input's), which `explain --corpus` takes.
    pub doc_corpus: String,
    /// Index of the sentence in the document.
    pub sentence: usize,
    /// Code-point offsets of the claim, end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub score: f64,
    /// The sample's order: smallest first.
    pub sample_key: u64,
}

impl Example {
    /// The order of the sample; ties of the hash (never seen, but possible, and documents
    /// that repeat a (corpus, id)) fall back to the claim's own fields, so the order is
    /// total and does not depend on the input order.
    fn order(&self) -> (u64, &str, usize, &str, &str) {
        (
            self.sample_key,
            &self.doc,
            self.start,
            &self.doc_corpus,
            &self.text,
        )
    }
}

/// 64-bit FNV-1a of (group, document id, start), fields separated by a 0 byte: stable
/// across platforms and releases, unlike the standard library's hasher.
pub fn sample_key(group: &str, doc: &str, start: usize) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = group
        .bytes()
        .chain([0])
        .chain(doc.bytes())
        .chain([0])
        .chain((start as u64).to_le_bytes());
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The patterns sampled: every pattern of [`Pattern::ALL`] but the aliases (the same claims
/// as another pattern).
pub fn sampled_patterns() -> impl Iterator<Item = Pattern> {
    Pattern::ALL.into_iter().filter(|p| p.alias_of().is_none())
}

/// Up to `n` candidate examples of each pattern in one document, or one piece of it whose
/// first sentence is the document's `first_sentence` (on a worker thread): the group's
/// sample is among the candidates.
pub fn candidates(
    n: usize,
    doc: &Document,
    group: &str,
    ci: &CharIndex,
    claims: &[Claim],
    first_sentence: usize,
) -> Vec<Example> {
    if n == 0 {
        return Vec::new();
    }
    // (pattern, key, start, claim): chosen before any text is copied. Within one document
    // the claims' starts differ, so (key, start) orders them as `Example::order` would.
    let mut picks: Vec<(usize, u64, usize, usize)> = Vec::new();
    for (k, c) in claims.iter().enumerate() {
        let start = ci.char_of(c.span.start);
        let key = sample_key(group, &doc.id, start);
        for &p in c.patterns.iter().filter(|p| p.alias_of().is_none()) {
            picks.push((rank(p), key, start, k));
        }
    }
    picks.sort_unstable();
    let mut out = Vec::new();
    for (i, &(rank, key, start, k)) in picks.iter().enumerate() {
        // Only the first n of each pattern.
        if i >= n && picks[i - n].0 == rank {
            continue;
        }
        let c = &claims[k];
        out.push(Example {
            group: group.to_string(),
            pattern: Pattern::ALL[rank],
            doc: doc.id.clone(),
            doc_corpus: doc.corpus.clone(),
            sentence: first_sentence + c.sentence,
            start,
            end: ci.char_of(c.span.end),
            text: c.span.slice(&doc.text).to_string(),
            score: c.score,
            sample_key: key,
        });
    }
    out
}

/// The sample of every (group, pattern), at most `n` each, smallest keys first.
#[derive(Debug, Clone)]
pub struct Examples {
    n: usize,
    cells: BTreeMap<(String, usize), Vec<Example>>,
}

/// Position of a pattern in [`Pattern::ALL`], the order of the table's rows within a group.
fn rank(p: Pattern) -> usize {
    Pattern::ALL
        .iter()
        .position(|&q| q == p)
        .unwrap_or(usize::MAX)
}

impl Examples {
    pub fn new(n: usize) -> Examples {
        Examples {
            n,
            cells: BTreeMap::new(),
        }
    }

    /// Adds candidates, keeping the `n` smallest keys of each (group, pattern).
    pub fn add(&mut self, examples: Vec<Example>) {
        for e in examples {
            let cell = self
                .cells
                .entry((e.group.clone(), rank(e.pattern)))
                .or_default();
            let at = cell.partition_point(|x| x.order() < e.order());
            if at < self.n {
                cell.insert(at, e);
                cell.truncate(self.n);
            }
        }
    }

    /// Every example: by group, pattern (in the order of [`Pattern::ALL`]), then sample key.
    pub fn iter(&self) -> impl Iterator<Item = &Example> {
        self.cells.values().flatten()
    }

    /// The examples of one group and pattern.
    pub fn of(&self, group: &str, pattern: Pattern) -> &[Example] {
        self.cells
            .get(&(group.to_string(), rank(pattern)))
            .map_or(&[], Vec::as_slice)
    }

    /// Adds the examples of an examples.csv (a shard's, for `merge`): the sample of the
    /// shards together is the sample of the whole, as the keys are fixed per claim.
    pub fn add_csv(&mut self, path: &Path) -> anyhow::Result<()> {
        let what = || format!("reading {}", path.display());
        let mut r = csv::Reader::from_path(path).with_context(what)?;
        if r.headers().with_context(what)?.iter().ne(COLUMNS) {
            anyhow::bail!(
                "{}: not the columns of examples.csv ({COLUMNS:?})",
                path.display()
            );
        }
        for (i, rec) in r.records().enumerate() {
            let rec = rec.with_context(what)?;
            let bad = || format!("{}: row {} is not an example row", path.display(), i + 1);
            let field = |k: usize| rec.get(k).unwrap_or("");
            let number = |k: usize| field(k).parse::<usize>().ok();
            let e = Example {
                group: field(0).to_string(),
                doc_corpus: field(1).to_string(),
                pattern: Pattern::from_key(field(2)).with_context(bad)?,
                doc: field(3).to_string(),
                sentence: number(4).with_context(bad)?,
                start: number(5).with_context(bad)?,
                end: number(6).with_context(bad)?,
                text: field(7).to_string(),
                score: field(8).parse().ok().with_context(bad)?,
                sample_key: u64::from_str_radix(field(9), 16).ok().with_context(bad)?,
            };
            self.add(vec![e]);
        }
        Ok(())
    }

    /// examples.csv.
    pub fn write<W: Write>(&self, table: &mut Table<W>) -> csv::Result<()> {
        for e in self.iter() {
            table.row(&[
                Cell::Text(&e.group),
                Cell::Text(&e.doc_corpus),
                Cell::Str(e.pattern.as_str()),
                Cell::Text(&e.doc),
                Cell::Int(e.sentence as u64),
                Cell::Int(e.start as u64),
                Cell::Int(e.end as u64),
                Cell::Text(&e.text),
                Cell::Dec1(e.score),
                Cell::Value(format!("{:016x}", e.sample_key)),
            ])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values of 64-bit FNV-1a, computed independently in Python:
    /// `h=0xcbf29ce484222325; for b in data: h=((h^b)*0x100000001b3) % 2**64`.
    #[test]
    fn sample_key_is_fnv1a_of_the_fields() {
        // b"a\0b\0" + (7).to_bytes(8, "little")
        assert_eq!(sample_key("a", "b", 7), 0x600c_9ecd_adf0_3891);
        assert_eq!(sample_key("", "", 0), 0x69d3_07cc_20f6_ef8d);
    }

    #[test]
    fn the_data_dictionary_lists_every_column_in_order() {
        let dictionary = include_str!("../../docs/data-dictionary.md");
        // The first cell of each row of the section's table, after its header and rule.
        let listed: Vec<&str> = dictionary
            .lines()
            .skip_while(|l| !l.starts_with("## examples.csv "))
            .skip(1)
            .take_while(|l| !l.starts_with("## "))
            .filter(|l| l.starts_with('|'))
            .skip(2)
            .flat_map(|l| {
                l.trim_matches('|')
                    .split('|')
                    .next()
                    .unwrap_or("")
                    .split(", ")
            })
            .map(str::trim)
            .collect();
        assert_eq!(listed, COLUMNS);
    }

    fn example(group: &str, doc: &str, key: u64) -> Example {
        Example {
            group: group.into(),
            pattern: Pattern::Anonymous,
            doc: doc.into(),
            doc_corpus: group.into(),
            sentence: 0,
            start: 0,
            end: 1,
            text: "x".into(),
            score: 50.0,
            sample_key: key,
        }
    }

    #[test]
    fn keeps_the_n_smallest_keys_in_any_order() {
        let all: Vec<Example> = [9, 3, 7, 1, 5, 3]
            .iter()
            .enumerate()
            .map(|(i, &k)| example("g", &format!("d{i}"), k))
            .collect();
        let mut forward = Examples::new(3);
        forward.add(all.clone());
        let mut backward = Examples::new(3);
        for e in all.into_iter().rev() {
            backward.add(vec![e]);
        }
        let keys: Vec<(u64, &str)> = forward
            .iter()
            .map(|e| (e.sample_key, e.doc.as_str()))
            .collect();
        // Key 3 twice: the tie goes to the document id.
        assert_eq!(keys, [(1, "d3"), (3, "d1"), (3, "d5")]);
        assert_eq!(
            forward.iter().collect::<Vec<_>>(),
            backward.iter().collect::<Vec<_>>()
        );
        assert!(Examples::new(0).of("g", Pattern::Anonymous).is_empty());
    }
}
