//! The learned source-type decision: a multinomial logistic regression over features of the
//! source phrase and its document (words, head, case, determiners, numbers, role words for the
//! same name anywhere in the article, appositives, context words after the phrase, the cue,
//! the lexicon tags and the rules' own verdict). Trained by `onrecord train-patterns` on the
//! team's labels (data/labels/) into data/models/source-types.tsv.

use super::words;
use super::words::Words;
use super::SourceType;
use crate::lexicon::FastMap;
use std::ops::Range;

/// The eight RUBRIC types the classifier chooses among, in the model file's column order.
pub const CLASSES: [SourceType; 8] = {
    // Every type but `None` (an attribution without a source is not classified).
    let a = SourceType::ALL;
    [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]]
};
pub const NC: usize = CLASSES.len();

const DEFAULT_MODEL: &str = include_str!("../../data/models/source-types.tsv");

/// A stable 64-bit hash of a feature name. A name is its parts joined by spaces ("w= trump",
/// "head|det= spokesman | indef"; no part holds a space); the hot path hashes the parts as
/// they come, without joining them.
pub fn feature_hash(name: &str) -> u64 {
    parts_hash(name.split(' '))
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// One part, eight bytes a step (little-endian, so the same on every machine).
#[inline]
pub(crate) fn part_hash(p: &[u8]) -> u64 {
    let mut h = p.len() as u64;
    let mut chunks = p.chunks_exact(8);
    for c in &mut chunks {
        let mut x = [0u8; 8];
        x.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(x)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut x = [0u8; 8];
        x[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(x)).wrapping_mul(K);
    }
    h
}

#[inline]
fn parts_hash<'a>(parts: impl Iterator<Item = &'a str>) -> u64 {
    fold_parts(parts.map(|p| part_hash(p.as_bytes())))
}

/// The feature hash of parts given by their [`part_hash`]es.
#[inline]
fn fold_parts(part_hashes: impl Iterator<Item = u64>) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for p in part_hashes {
        h = (h.rotate_left(23) ^ p).wrapping_mul(K);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^ (h >> 32)
}

/// A learned model shipped in the binary as `file`, parsed; its errors name the file.
pub(super) fn parse_embedded<M>(
    file: &str,
    parse: impl FnOnce() -> Result<M, String>,
) -> anyhow::Result<M> {
    parse().map_err(|e| anyhow::anyhow!("{file}: {e}"))
}

/// The lines of a TSV model file that hold data, with their numbers (from 1, for errors):
/// blank lines and `#` comments left out.
pub(super) fn model_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}

/// The features of one source, as hashes and (when training) as names.
#[derive(Default)]
pub struct Features {
    pub hashes: Vec<u64>,
    /// Kept only when training: the model file is written by name.
    pub names: Option<Vec<String>>,
}

impl Features {
    pub fn with_names() -> Features {
        Features {
            names: Some(Vec::new()),
            ..Features::default()
        }
    }
    pub fn clear(&mut self) {
        self.hashes.clear();
        if let Some(n) = &mut self.names {
            n.clear();
        }
    }
    pub(crate) fn add(&mut self, parts: &[&str]) {
        self.hashes.push(parts_hash(parts.iter().copied()));
        if let Some(n) = &mut self.names {
            n.push(parts.join(" "));
        }
    }

    /// [`Features::add`] with the parts' [`part_hash`]es already known (a word's, hashed
    /// once for its unigram and both its bigrams): the same feature hash.
    #[inline]
    pub(crate) fn add_hashed(&mut self, part_hashes: &[u64], parts: &[&str]) {
        self.hashes.push(fold_parts(part_hashes.iter().copied()));
        if let Some(n) = &mut self.names {
            n.push(parts.join(" "));
        }
    }
}

/// Weights of hashed features, one row of `N` per feature, in an open-addressing table of
/// (hash, weights) so that a lookup reads one cache line (most features are not in the
/// model, and each miss costs as much as a hit).
pub(crate) struct WeightTable<const N: usize> {
    slots: Vec<(u64, [f32; N])>,
    shift: u32,
    len: usize,
}

/// The empty slot's key; a feature whose hash is 0 is stored as 1.
const EMPTY: u64 = 0;

impl<const N: usize> WeightTable<N> {
    /// The rows; a later row of the same hash replaces an earlier one.
    pub(crate) fn from_rows(rows: Vec<(u64, [f32; N])>) -> WeightTable<N> {
        let cap = (rows.len() * 2).next_power_of_two().max(16);
        let mut m = WeightTable {
            slots: vec![(EMPTY, [0.0; N]); cap],
            shift: 64 - cap.trailing_zeros(),
            len: 0,
        };
        for (h, row) in rows {
            let h = h.max(1);
            let mut i = m.slot(h);
            while m.slots[i].0 != EMPTY && m.slots[i].0 != h {
                i = (i + 1) & (cap - 1);
            }
            if m.slots[i].0 == EMPTY {
                m.len += 1;
            }
            m.slots[i] = (h, row);
        }
        m
    }
    #[inline]
    fn slot(&self, h: u64) -> usize {
        (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }
    #[inline]
    pub(crate) fn get(&self, h: u64) -> Option<&[f32; N]> {
        let h = h.max(1);
        let mask = self.slots.len() - 1;
        let mut i = self.slot(h);
        loop {
            let (k, row) = &self.slots[i];
            if *k == h {
                return Some(row);
            }
            if *k == EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Source-type weights, one row of NC per feature.
pub struct TypeModel {
    table: WeightTable<NC>,
}

impl TypeModel {
    /// The model shipped in data/models/source-types.tsv.
    pub fn embedded() -> anyhow::Result<TypeModel> {
        parse_embedded("data/models/source-types.tsv", || {
            TypeModel::parse(DEFAULT_MODEL)
        })
    }

    /// Parse the TSV model: `#` comments, a `classes` line, then `feature<TAB>w1..w8`.
    pub fn parse(text: &str) -> Result<TypeModel, String> {
        let mut rows = Vec::new();
        let mut saw_classes = false;
        for (n, line) in model_lines(text) {
            let mut cols = line.split('\t');
            let name = cols.next().unwrap_or_default();
            let rest: Vec<&str> = cols.collect();
            if rest.len() != NC {
                return Err(format!(
                    "line {n}: {} columns after the name, want {NC}",
                    rest.len()
                ));
            }
            if name == "classes" {
                for (c, r) in CLASSES.iter().zip(&rest) {
                    if c.as_str() != *r {
                        return Err(format!("line {n}: class {r:?}, want {:?}", c.as_str()));
                    }
                }
                saw_classes = true;
                continue;
            }
            let mut row = [0f32; NC];
            for (k, r) in rest.iter().enumerate() {
                row[k] = r
                    .parse()
                    .map_err(|_| format!("line {n}: {r:?} is not a number"))?;
            }
            rows.push((feature_hash(name), row));
        }
        if !saw_classes {
            return Err("no `classes` line".into());
        }
        Ok(TypeModel {
            table: WeightTable::from_rows(rows),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The highest-scoring type; ties go to the earlier class, so the output is deterministic.
    pub fn predict(&self, f: &Features) -> SourceType {
        let mut s = [0f32; NC];
        for &h in &f.hashes {
            if let Some(row) = self.table.get(h) {
                for (a, b) in s.iter_mut().zip(row) {
                    *a += b;
                }
            }
        }
        let mut best = 0;
        for k in 1..NC {
            if s[k] > s[best] {
                best = k;
            }
        }
        CLASSES[best]
    }
}

/// What the rules found for a source before the learned decision.
pub struct RuleView<'e> {
    pub rule: SourceType,
    /// The type of the earlier entity a pronoun or short name was resolved to.
    pub antecedent: Option<SourceType>,
    /// That entity's name ("she" -> "Giorgia Meloni").
    pub entity: Option<&'e str>,
}

fn alnum(w: &str) -> bool {
    w.chars().any(char::is_alphanumeric)
}

/// What one document's other mentions of a name say, computed once per name and document
/// (an article quotes one person many times).
#[derive(Default)]
pub struct MentionCache {
    by_key: FastMap<u64, Vec<u64>>,
    /// (hash of the lowercase form, position) of every capitalised word, sorted; made on
    /// first use, so a name's mentions are found without scanning the document again.
    positions: Option<Vec<(u64, u32)>>,
}

impl MentionCache {
    /// The positions of the capitalised mentions of the word with hash `key`, in order.
    fn mentions(&mut self, w: &Words, key: u64) -> &[(u64, u32)] {
        let all = self.positions.get_or_insert_with(|| {
            let mut v: Vec<(u64, u32)> = w
                .tokens
                .iter()
                .enumerate()
                .filter(|(k, t)| {
                    let b = t
                        .span
                        .slice(w.text)
                        .as_bytes()
                        .first()
                        .copied()
                        .unwrap_or(0);
                    // ASCII capitals at once; other letters through `is_cap`.
                    b.is_ascii_uppercase() || (b >= 0x80 && w.is_cap(*k))
                })
                .map(|(k, _)| (feature_hash(w.lower[k]), k as u32))
                .collect();
            v.sort_unstable();
            v
        });
        let from = all.partition_point(|(h, _)| *h < key);
        let to = from + all[from..].partition_point(|(h, _)| *h == key);
        &all[from..to]
    }
}

/// The features of the source in token `range`, with the cue's first token at `cue`.
pub(super) fn source_features(
    w: &Words,
    range: Range<usize>,
    cue: Option<usize>,
    view: &RuleView,
    roles: &crate::lexicon::FastSet<String>,
    cache: &mut MentionCache,
    out: &mut Features,
) {
    out.clear();
    out.add(&["bias"]);
    out.add(&["rule=", view.rule.as_str()]);
    if let Some(t) = view.antecedent {
        out.add(&["antecedent=", t.as_str()]);
    }
    let toks = &w.lower[range.clone()];
    let ids = &w.ids[range.clone()];
    let n_alnum = toks.iter().filter(|t| alnum(t)).count();
    out.add(&[
        "len=",
        match n_alnum {
            0 => "0",
            1 => "1",
            2 => "2",
            3 | 4 => "3-4",
            _ => "5+",
        },
    ]);
    for t in toks.iter().take(16).filter(|t| alnum(t)) {
        out.add(&["w=", t]);
    }
    let first = toks.first().copied().unwrap_or("");
    out.add(&["first=", first]);
    let cut = toks
        .iter()
        .position(|t| words::is_cut(t))
        .unwrap_or(toks.len());
    let head_pos = toks[..cut].iter().rposition(|t| alnum(t));
    if let Some(h) = head_pos {
        let head = toks[h];
        out.add(&["head=", head]);
        let raw = w.tokens[range.start + h].span.slice(w.text);
        out.add(&["head_shape=", shape(raw)]);
        if head.len() > 3 && head.ends_with('s') && !head.ends_with("ss") {
            out.add(&["head_plural"]);
        }
        if h > 0 {
            out.add(&["pre_head=", toks[h - 1]]);
            // "a Microsoft spokeswoman" against "a senior official": a name before the head.
            let pre = w.tokens[range.start + h - 1].span.slice(w.text);
            out.add(&["pre_head_shape=", shape(pre)]);
            out.add(&["head|pre_shape=", head, "|", shape(pre)]);
        }
    }
    if cut < toks.len() {
        out.add(&["cut=", toks[cut]]);
        // The words of a modifier ("a spokesman for the firm", "familiar with the talks").
        for t in toks[cut..].iter().filter(|t| alnum(t)).take(8) {
            out.add(&["mod=", t]);
        }
    }
    let det = match first {
        "a" | "an" => "indef",
        "the" => "the",
        "one" | "another" => "one",
        "some" | "many" | "several" | "most" | "few" | "other" | "others" | "all" => "quant",
        "his" | "her" | "their" | "its" | "our" | "my" => "poss",
        t if t.bytes().all(|b| b.is_ascii_digit()) => "num",
        "two" | "three" | "four" | "five" | "six" | "seven" | "eight" | "nine" | "ten"
        | "dozens" | "hundreds" | "thousands" => "num",
        _ => "none",
    };
    out.add(&["det=", det]);
    if let Some(h) = head_pos {
        out.add(&["head|det=", toks[h], "|", det]);
        if cut < toks.len() {
            out.add(&["head|cut=", toks[h], "|", toks[cut]]);
        }
    }
    // Case is a feature of its own; the words above are lowercased.
    let caps = range.clone().filter(|&k| w.is_cap(k)).count();
    out.add(&[
        "caps=",
        match (caps, n_alnum) {
            (0, _) => "none",
            (c, n) if c == n => "all",
            _ => "some",
        },
    ]);
    if range.clone().any(|k| {
        let t = w.tokens[k].span.slice(w.text);
        t.len() >= 2 && t.chars().all(|c| c.is_ascii_uppercase() || c == '.')
    }) {
        out.add(&["acronym"]);
    }
    let lex = w.lex.source_types();
    let role_lex = w.lex.roles();
    let ev = words::TypeEvidence::get();
    if let Some(h) = head_pos {
        // "Acme Corp", "Rio Tinto plc": a company's name.
        if ev.class(toks[h]) == Some("org_suffix") && w.is_cap(range.start + h) {
            out.add(&["org_suffix"]);
        }
        if let Some(s) = words::speaks_for(w, range.clone(), range.start + h) {
            out.add(&["speaks_for=", s]);
            out.add(&["speaks_for|det=", s, "|", det]);
        }
    }
    // A capital that only starts the sentence says nothing of a name ("Traders said").
    let initial_cap = caps == 1 && w.is_cap(range.start) && words::sentence_initial(w, range.start);
    if initial_cap {
        out.add(&["cap_initial_only"]);
    }
    // "Busted have confirmed", "Acme has said": the verb's number after the source.
    let agree = w
        .lower
        .get(range.end)
        .and_then(|t| ev.class(t))
        .filter(|c| c.starts_with("agree_"));
    if let Some(a) = agree {
        out.add(&["agree=", a]);
    }
    for f in words::private_evidence(w, range.clone()) {
        out.add(&[f]);
    }
    if let Some(tag) = words::head_tag(lex, toks, ids) {
        out.add(&["head_tag=", tag]);
    }
    for k in 0..toks.len() {
        if let Some((_, tag)) = lex.match_ids(toks, ids, k) {
            out.add(&["tag=", tag]);
        }
        if role_lex.match_ids(toks, ids, k).is_some() {
            out.add(&["role_in_phrase"]);
            if Some(k) == head_pos {
                out.add(&["role_head"]);
            }
        }
    }
    // The name's words (lowercased, as in [`words::proper_name`]), borrowed.
    let name: Option<Vec<&str>> = words::proper_name_span(w, range.clone())
        .map(|(s, e)| w.lower[s..e].iter().copied().filter(|p| alnum(p)).collect());
    // The name's last word, or that of the entity a pronoun refers to: every mention of it in
    // the document tells what it is ("Mr", "chief executive", "shares", "a voter", ", 54,").
    let key = match (&name, view.entity) {
        (Some(parts), _) => parts.last().map(|p| p.to_string()),
        (None, Some(e)) => e.split_whitespace().last().map(|x| {
            x.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        }),
        _ => None,
    };
    if let Some(key) = key.filter(|k| k.len() > 1) {
        // Training keeps the names, so it computes them each time.
        let key_hash = feature_hash(&key);
        if out.names.is_some() {
            let at = cache.mentions(w, key_hash).to_vec();
            mention_context(w, &key, range.start, &at, out);
        } else if let Some(h) = cache.by_key.get(&key_hash) {
            out.hashes.extend_from_slice(h);
        } else {
            let from = out.hashes.len();
            let at = cache.mentions(w, key_hash);
            mention_context(w, &key, range.start, at, out);
            cache.by_key.insert(key_hash, out.hashes[from..].to_vec());
        }
    }
    if let Some(parts) = name {
        out.add(&["proper_name"]);
        if parts.len() >= 2 {
            out.add(&["proper_name_multi"]);
        }
        let last = parts.last().copied().unwrap_or("");
        if roles.contains(last) {
            out.add(&["role_for_name_in_doc"]);
        }
        // A name that starts with a given name is a person's ("Grace Okafor"), not a body's.
        if parts.len() >= 2 && ev.is_given_name(parts[0]) {
            out.add(&["given_name"]);
        }
        if head_pos.is_some_and(|h| toks[h] == last) {
            out.add(&["name_is_head"]);
            // A lone capitalised word not resolved to an earlier person ("Arsenal said",
            // "Labour said") is as often a body as a person.
            if parts.len() == 1 && view.antecedent.is_none() {
                out.add(&["lone_name"]);
                out.add(&["lone_name|det=", det]);
                if let Some(a) = agree {
                    out.add(&["lone_name|agree=", a]);
                }
                if initial_cap {
                    out.add(&["lone_name|initial"]);
                }
            }
        }
    }
    if words::private_person(w, range.clone()) {
        out.add(&["private_marker"]);
    }
    // Left context: "according to", "by", a sentence start.
    if range.start > 0 {
        out.add(&["l1=", w.lower[range.start - 1]]);
    } else {
        out.add(&["l1=<s>"]);
    }
    // Right context: an appositive or relative clause about the source ("who spoke on
    // condition of anonymity", ", a spokesman for", ", 54,").
    let n = w.tokens.len();
    let r_end = (range.end + 6).min(n);
    if range.end < n {
        out.add(&["r1=", w.lower[range.end]]);
    }
    for t in w.lower[range.end..r_end].iter().filter(|t| alnum(t)) {
        out.add(&["r=", t]);
    }
    if let Some(c) = cue {
        if c < n {
            out.add(&["cue=", w.lower[c]]);
            out.add(&["cue_side=", if c >= range.end { "after" } else { "before" }]);
        }
    }
    if n_alnum == 1 {
        out.add(&[
            "single=",
            toks.iter().find(|t| alnum(t)).copied().unwrap_or(""),
        ]);
    }
    out.add(&["rule_det=", view.rule.as_str(), "|", det]);
}

/// Words around every mention of `key` in the document (three before, three after), and how
/// often it is mentioned.
/// How far (tokens) from the source [`mention_context`] looks for other mentions.
const MENTION_WINDOW: usize = 4000;
/// How many mentions [`mention_context`] reads the context of.
const MENTIONS_READ: usize = 3;

fn mention_context(w: &Words, key: &str, at: usize, positions: &[(u64, u32)], out: &mut Features) {
    let n = w.lower.len();
    let mut before: Vec<&str> = Vec::new();
    let mut after: Vec<&str> = Vec::new();
    let mut flags: Vec<&str> = Vec::new();
    let mut pp: Vec<&str> = Vec::new();
    let mut mentions = 0;
    // Mentions within a window around the source: every mention in an ordinary article, and
    // linear work in a huge one.
    let (lo, hi) = (
        at.saturating_sub(MENTION_WINDOW),
        (at + MENTION_WINDOW).min(n),
    );
    for &(_, k) in positions {
        let k = k as usize;
        // A capitalised mention of the name in the window (the word compared to rule out a
        // hash collision).
        if k < lo || k >= hi || w.lower[k] != key {
            continue;
        }
        mentions += 1;
        if mentions > MENTIONS_READ {
            // Counted on; the context of the first mentions says what the name is.
            continue;
        }
        before.extend(w.lower[k.saturating_sub(3)..k].iter().copied());
        after.extend(w.lower[k + 1..(k + 4).min(n)].iter().copied());
        if k > 0 {
            let prev = w.tokens[k - 1].span.slice(w.text);
            flags.push(match shape(prev) {
                "Xx" => "prev_shape=Xx",
                "X" => "prev_shape=X",
                "x" => "prev_shape=x",
                _ => "prev_shape=other",
            });
        }
        // The pronoun that takes the name up tells a person from an organisation.
        for t in &w.lower[k + 1..(k + 9).min(n)] {
            match *t {
                "he" | "him" | "his" | "she" | "her" | "hers" => {
                    flags.push("person_pronoun_after");
                    break;
                }
                "it" | "its" => {
                    flags.push("it_pronoun_after");
                    break;
                }
                _ => {}
            }
        }
        // A role next to any mention is `role_for_name_in_doc` (the rules' role scan); an
        // age or a private-person noun is read at the first two mentions.
        if mentions <= 2 && words::private_person(w, k..k + 1) {
            flags.push("private_near_mention");
        }
        if mentions <= 2 {
            pp.extend(words::private_evidence(w, k..k + 1));
        }
        // "Grace Okafor" earlier makes a later "Okafor" a person.
        if k > 0 && w.is_cap(k - 1) && words::TypeEvidence::get().is_given_name(w.lower[k - 1]) {
            flags.push("given_name_before_mention");
        }
    }
    out.add(&[
        "mentions=",
        match mentions {
            0 | 1 => "1",
            2 | 3 => "2-3",
            _ => "4+",
        },
    ]);
    flags.sort_unstable();
    flags.dedup();
    for f in flags {
        out.add(&[f]);
    }
    pp.sort_unstable();
    pp.dedup();
    for f in pp {
        out.add(&["mention|", f]);
    }
    for (tag, v) in [("mb=", &mut before), ("ma=", &mut after)] {
        v.sort_unstable();
        v.dedup();
        for t in v.iter().filter(|t| alnum(t) || **t == ",") {
            out.add(&[tag, t]);
        }
    }
}

/// A word's shape: "Xx", "X", "x", "X." or "d" (digits), enough to tell names, acronyms,
/// common nouns and numbers apart.
fn shape(s: &str) -> &'static str {
    let mut chars = s.chars();
    let Some(c0) = chars.next() else { return "" };
    if c0.is_ascii_digit() {
        return "d";
    }
    if s.chars().all(|c| c.is_uppercase() || c == '.' || c == '&') {
        return "X";
    }
    if c0.is_uppercase() {
        return "Xx";
    }
    "x"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_hashes_as_its_parts() {
        // The model file stores "w= trump"; the hot path hashes ["w=", "trump"].
        let mut f = Features::with_names();
        f.add(&["w=", "trump"]);
        f.add(&["head|det=", "spokesman", "|", "indef"]);
        let names = f.names.clone().unwrap();
        assert_eq!(names, ["w= trump", "head|det= spokesman | indef"]);
        for (h, n) in f.hashes.iter().zip(&names) {
            assert_eq!(*h, feature_hash(n));
        }
        assert_ne!(feature_hash("w= trump"), feature_hash("w=trump"));
    }

    #[test]
    fn the_model_file_is_checked() {
        let ok = "classes\tnamed_official\tnamed_person\torganization\tmedia\tdocument\tanonymous\tvague\tother\nbias\t1\t0\t0\t0\t0\t0\t0\t0\nw= fbi\t0\t0\t3\t0\t0\t0\t0\t0\n";
        let m = TypeModel::parse(ok).unwrap();
        let mut f = Features::default();
        f.add(&["bias"]);
        assert_eq!(m.predict(&f), SourceType::NamedOfficial);
        f.add(&["w=", "fbi"]);
        assert_eq!(m.predict(&f), SourceType::Organization);
        assert_eq!(
            TypeModel::parse("# a comment\n\nbias\t1\t0\n").err(),
            Some("line 3: 2 columns after the name, want 8".to_string())
        );
        assert!(TypeModel::parse(&ok.replace("\t3\t", "\tx\t")).is_err());
        assert!(TypeModel::parse("bias\t1\t0\t0\t0\t0\t0\t0\t0\n").is_err());
    }

    #[test]
    fn the_embedded_model_parses() {
        assert!(!TypeModel::embedded().unwrap().is_empty());
    }
}
