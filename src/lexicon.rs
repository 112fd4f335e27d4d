//! Lexicons: word lists in data/lexicons/, embedded in the binary and parsed once at start-up.
//!
//! Format of every lexicon file: `#` starts a comment line; each other non-empty line is
//! `phrase` or `phrase<TAB>tag`, the phrase lowercase with single spaces between tokens.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::segment::Token;

/// The Fx hash (as in rustc): lexicon lookups hash every token of every document several
/// times, and SipHash's flooding resistance buys nothing for keys fixed at build time.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_K: u64 = 0xf135_7aea_2e62_a9c5;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(FX_K);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // A final multiply-rotate spreads the high bits hashbrown uses for its control bytes.
        self.hash.rotate_left(26)
    }
}

/// A hash map with [`FxHasher`] (same behaviour as `HashMap`, faster on short keys).
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
/// A hash set with [`FxHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// Word id of a token that no embedded lexicon holds (no start bits, no table row).
pub const NO_WORD: u32 = NUMBER_MASK;

/// The top byte of a word id says which embedded lexicons have a phrase starting with the
/// word (bit `k`: the `k`-th of [`FILES`]), so a lexicon pass turns most tokens away on the
/// id it already holds, without a table read; the low bits number the word.
const START_SHIFT: u32 = 24;
const NUMBER_MASK: u32 = (1 << START_SHIFT) - 1;
const _: () = assert!(FILES.len() <= 8, "one start bit per embedded lexicon");

/// The first of `ids` at or after `from` with one of the start bits `bits` (see
/// [`Lexicon::start_bit`]), or `ids.len()`: lexicon passes leap over the words that start
/// none of their phrases, eight ids to a step.
#[inline]
pub fn next_start(ids: &[u32], from: usize, bits: u8) -> usize {
    // A lexicon without an id index (see [`Lexicon::start_bit`]) may start anywhere.
    if bits == 0xff {
        return from.min(ids.len());
    }
    let mask = u32::from(bits) << START_SHIFT;
    let mut i = from;
    while let Some(chunk) = ids.get(i..i + 8) {
        if chunk.iter().fold(0, |m, &x| m | x) & mask != 0 {
            break;
        }
        i += 8;
    }
    while i < ids.len() && ids[i] & mask == 0 {
        i += 1;
    }
    i.min(ids.len())
}

/// The index of a word id in tables by word (its number without the start bits).
#[inline(always)]
pub fn id_index(id: u32) -> usize {
    (id & NUMBER_MASK) as usize
}

/// Every word of the embedded lexicons, numbered: a document's tokens are looked up once
/// ([`Vocab::id`]) and then matched against every lexicon by id, without hashing again.
///
/// Words of up to 16 bytes (nearly all tokens) sit in an open-addressing table keyed by
/// their bytes as two integers, so a lookup is a multiply and a compare or two.
#[derive(Debug, Default)]
pub struct Vocab {
    ids: FastMap<String, u32>,
    /// (packed word, length, id); length 0 marks an empty slot. Power-of-two size.
    short: Vec<Slot>,
    /// How far past slot `h` the words whose first slot is `h` were placed (linear probing).
    /// Nearly always 0: then a lookup compares one slot and picks the answer without a branch
    /// (whether a token is a lexicon word is a coin toss no branch predictor guesses).
    displaced: Vec<u8>,
    shift: u32,
    /// Ids of one-byte words (punctuation, "a", "i"): a third of all tokens.
    single: Vec<u32>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    key: (u64, u64),
    len: u32,
    id: u32,
}

/// Longest word kept in the table; longer ones go through the hash map.
const SHORT_MAX: usize = 16;

/// A word of 2 to 16 bytes as two integers, with overlapping loads instead of a copy: with
/// the length known, every byte is covered once or twice, so two words of one length get the
/// same key only when they are equal.
#[inline(always)]
fn pack(w: &[u8]) -> (u64, u64) {
    let n = w.len();
    let u32_at = |i: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&w[i..i + 4]);
        u32::from_le_bytes(b)
    };
    let u64_at = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&w[i..i + 8]);
        u64::from_le_bytes(b)
    };
    if n > 8 {
        (u64_at(0), u64_at(n - 8))
    } else if n >= 4 {
        (u64::from(u32_at(0)) | (u64::from(u32_at(n - 4)) << 32), 0)
    } else if n > 0 {
        (
            u64::from(w[0]) | (u64::from(w[n / 2]) << 8) | (u64::from(w[n - 1]) << 16),
            0,
        )
    } else {
        (0, 0)
    }
}

impl Vocab {
    /// Id of a lowercase word, [`NO_WORD`] when no embedded lexicon has it.
    #[inline(always)]
    pub fn id(&self, lower: &str) -> u32 {
        let w = lower.as_bytes();
        if let [b] = w {
            if let Some(&id) = self.single.get(usize::from(*b)) {
                return id;
            }
        }
        if w.len() > SHORT_MAX || w.is_empty() || self.short.is_empty() {
            return self.id_slow(lower);
        }
        let key = pack(w);
        let h = self.slot(key);
        let s = self.short[h];
        let hit = (s.key.0 == key.0) & (s.key.1 == key.1) & (s.len as usize == w.len());
        if self.displaced[h] == 0 {
            return if hit { s.id } else { NO_WORD };
        }
        self.probe(lower, key, h)
    }
    /// [`Vocab::id`] where words of slot `h` were placed further on.
    #[inline(never)]
    fn probe(&self, lower: &str, key: (u64, u64), h: usize) -> u32 {
        if self.displaced[h] == u8::MAX {
            return self.id_slow(lower);
        }
        let (mask, len) = (self.short.len() - 1, lower.len());
        (0..=usize::from(self.displaced[h]))
            .map(|d| self.short[(h + d) & mask])
            .find(|s| s.key == key && s.len as usize == len)
            .map_or(NO_WORD, |s| s.id)
    }
    #[inline(never)]
    fn id_slow(&self, lower: &str) -> u32 {
        self.ids.get(lower).copied().unwrap_or(NO_WORD)
    }
    /// The first slot of a key.
    #[inline(always)]
    fn slot(&self, key: (u64, u64)) -> usize {
        let h = (key.0 ^ key.1.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> self.shift) as usize
    }
    fn intern(&mut self, w: &str) -> u32 {
        let n = self.ids.len() as u32;
        *self.ids.entry(w.to_string()).or_insert(n)
    }
    /// Build the short-word table once every word is interned.
    fn seal(&mut self) {
        // At most a quarter full: probes stay short.
        let size = (self.ids.len() * 4).next_power_of_two().max(64);
        self.shift = 64 - size.trailing_zeros();
        let mut short = vec![Slot::default(); size];
        let mut displaced = vec![0u8; size];
        let mask = size - 1;
        let mut words: Vec<(&String, &u32)> = self.ids.iter().collect();
        words.sort();
        let mut single = vec![NO_WORD; 256];
        for &(w, &id) in &words {
            let b = w.as_bytes();
            if let [c] = b {
                single[usize::from(*c)] = id;
            }
            if b.is_empty() || b.len() > SHORT_MAX {
                continue;
            }
            let key = pack(b);
            let h = self.slot(key);
            let mut i = h;
            while short[i].len != 0 {
                i = (i + 1) & mask;
            }
            // At most a quarter full, runs are short; words of a slot with one placed 255 or
            // more slots on are looked up in the hash map instead.
            let d = u8::try_from((i + size - h) & mask).unwrap_or(u8::MAX);
            displaced[h] = displaced[h].max(d);
            short[i] = Slot {
                key,
                len: b.len() as u32,
                id,
            };
        }
        self.short = short;
        self.displaced = displaced;
        self.single = single;
    }
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    /// Give every id its start bits (`starts[number]`), once the lexicons are indexed.
    fn mark_starts(&mut self, starts: &[u8]) {
        let mark = |id: &mut u32| {
            if let Some(&b) = starts.get(id_index(*id)) {
                *id = (*id & NUMBER_MASK) | (u32::from(b) << START_SHIFT);
            }
        };
        self.ids.values_mut().for_each(mark);
        self.short.iter_mut().for_each(|s| mark(&mut s.id));
        self.single.iter_mut().for_each(mark);
    }
}

/// Byte offsets of the chars of `text` that lowercasing changes (all non-ASCII: ASCII is
/// lowercased with the text as a whole), in order. ASCII runs are skipped 8 bytes at a time.
fn case_changing_chars(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            if u64::from_le_bytes(b) & 0x8080_8080_8080_8080 == 0 {
                i += 8;
                continue;
            }
        }
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        // `i` is a lead byte: continuation bytes are stepped over with their char.
        let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
            i += 1;
            continue;
        };
        let mut lower = c.to_lowercase();
        if !(lower.next() == Some(c) && lower.next().is_none()) {
            out.push(i);
        }
        i += c.len_utf8();
    }
    out
}

/// The lowercased words of a document's tokens, for lexicon matching. The text is
/// ASCII-lowercased once as a whole, so an ASCII token is a slice of it at its own offsets;
/// only tokens with other chars are lowercased one by one, into an arena.
pub struct LowerTokens {
    ascii: String,
    arena: String,
    /// (token index, start, end in `arena`) of the tokens with non-ASCII chars, in order.
    odd: Vec<(usize, usize, usize)>,
}

impl LowerTokens {
    /// Every token of `text` lowercased, without an allocation per token; pass
    /// `.words(tokens)` to the lexicon passes (the rules and the patterns).
    pub fn new(text: &str, tokens: &[Token]) -> LowerTokens {
        let mut arena = String::new();
        let mut odd = Vec::new();
        // Only a char that lowercasing changes makes a token differ from the ASCII-lowercased
        // text; curly quotes and dashes do not, so most documents have none to look for.
        let changed = case_changing_chars(text);
        let mut next = changed.iter().copied().peekable();
        for (i, t) in tokens.iter().enumerate() {
            while next.next_if(|&c| c < t.span.start).is_some() {}
            let Some(&c) = next.peek() else { break };
            if c < t.span.end {
                let w = text.get(t.span.start..t.span.end).unwrap_or("");
                if !w.is_ascii() {
                    let a = arena.len();
                    arena.push_str(&w.to_lowercase());
                    odd.push((i, a, arena.len()));
                }
            }
        }
        LowerTokens {
            ascii: text.to_ascii_lowercase(),
            arena,
            odd,
        }
    }

    /// One lowercase word per token with its [`vocab`] id ([`NO_WORD`] when no lexicon has it).
    pub fn words(&self, tokens: &[Token]) -> Lowered<'_> {
        let vocab = vocab();
        // Slices of the ASCII-lowercased text, then the few tokens lowercased apart put in.
        let mut words: Vec<&str> = tokens
            .iter()
            .map(|t| self.ascii.get(t.span.start..t.span.end).unwrap_or(""))
            .collect();
        for &(i, a, b) in &self.odd {
            if let Some(w) = words.get_mut(i) {
                *w = self.arena.get(a..b).unwrap_or("");
            }
        }
        let ids = words.iter().map(|w| vocab.id(w)).collect();
        Lowered { words, ids }
    }
}

/// A document's tokens lowercased and numbered once, for every lexicon pass over it (the
/// rules and the patterns): `words[i]` and `ids[i]` belong to token `i`.
#[derive(Debug, Clone, Default)]
pub struct Lowered<'a> {
    pub words: Vec<&'a str>,
    pub ids: Vec<u32>,
}

/// A lexicon's phrases by word id, in the order of [`Lexicon::match_at`]'s candidates.
#[derive(Debug, Default, Clone)]
struct IdIndex {
    /// Phrases whose first word has id `k` are `phrases[first[k]..first[k + 1]]`: two bytes
    /// a word keeps the tables of all lexicons small enough for the L1 cache.
    first: Vec<u16>,
    /// (ids of the remaining words, tag).
    phrases: Vec<(Box<[u32]>, String)>,
}

impl IdIndex {
    /// The range of `phrases` that start with word `id` (None for [`NO_WORD`]).
    #[inline(always)]
    fn range(&self, id: u32) -> Option<(usize, usize)> {
        let id = id_index(id);
        let a = *self.first.get(id)?;
        let b = *self.first.get(id + 1)?;
        Some((usize::from(a), usize::from(b)))
    }
    /// The first of `cands` whose remaining words follow `ids[i]`.
    fn match_from(
        &self,
        ids: &[u32],
        i: usize,
        cands: std::ops::Range<usize>,
    ) -> Option<(usize, &str)> {
        for (rest, tag) in self.phrases.get(cands)? {
            if ids.len() >= i + 1 + rest.len() && ids[i + 1..i + 1 + rest.len()] == **rest {
                return Some((1 + rest.len(), tag.as_str()));
            }
        }
        None
    }
}

/// A phrase lexicon matched token by token (lowercased tokens).
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    /// First token -> list of (remaining tokens, tag), longest first.
    entries: FastMap<String, Vec<(Vec<String>, String)>>,
    len: usize,
    /// Present for the embedded lexicons (numbered by [`vocab`]).
    index: Option<IdIndex>,
    /// This lexicon's start bit in word ids (see [`id_index`]); 0 when it has no index.
    start_bit: u8,
}

impl Lexicon {
    /// Parse a lexicon file. `name` names it in errors.
    pub fn parse(name: &str, content: &str) -> Result<Lexicon, String> {
        let mut lex = Lexicon::default();
        for (i, raw) in content.lines().enumerate() {
            let line = raw.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (phrase, tag) = match line.split_once('\t') {
                Some((p, t)) => (p.trim(), t.trim()),
                None => (line.trim(), ""),
            };
            let mut toks = phrase
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase);
            let Some(first) = toks.next() else {
                return Err(format!("{name}:{}: empty phrase", i + 1));
            };
            lex.entries
                .entry(first)
                .or_default()
                .push((toks.collect(), tag.to_string()));
            lex.len += 1;
        }
        for v in lex.entries.values_mut() {
            v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        Ok(lex)
    }

    /// Number every word in `vocab` (first pass over all lexicons).
    fn intern_words(&self, vocab: &mut Vocab) {
        let mut keys: Vec<&String> = self.entries.keys().collect();
        keys.sort();
        for k in keys {
            vocab.intern(k);
            for (rest, _) in &self.entries[k] {
                for w in rest {
                    vocab.intern(w);
                }
            }
        }
    }

    /// Build the id index once `vocab` holds every word of this lexicon.
    fn build_index(&mut self, vocab: &Vocab, start_bit: u8) {
        // Offsets are two bytes: a lexicon too large for them keeps matching by string.
        if self.len > usize::from(u16::MAX) {
            return;
        }
        self.start_bit = start_bit;
        let mut idx = IdIndex {
            first: vec![0; vocab.len() + 1],
            phrases: Vec::with_capacity(self.len),
        };
        // Phrases in the order of their first word's id.
        let mut keys: Vec<(u32, &String)> = self.entries.keys().map(|k| (vocab.id(k), k)).collect();
        keys.sort();
        let mut next_id = 0;
        for (id, k) in keys {
            let id = id as usize;
            if id >= vocab.len() {
                continue;
            }
            while next_id <= id {
                idx.first[next_id] = idx.phrases.len() as u16;
                next_id += 1;
            }
            for (rest, tag) in &self.entries[k] {
                let ids = rest.iter().map(|w| vocab.id(w)).collect();
                idx.phrases.push((ids, tag.clone()));
            }
        }
        while next_id <= vocab.len() {
            idx.first[next_id] = idx.phrases.len() as u16;
            next_id += 1;
        }
        self.index = Some(idx);
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Tag of a single word (lowercase), if the lexicon holds it as a one-token phrase.
    pub fn word(&self, lower: &str) -> Option<&str> {
        self.entries
            .get(lower)?
            .iter()
            .find(|(rest, _)| rest.is_empty())
            .map(|(_, t)| t.as_str())
    }

    /// [`Lexicon::word`] for a word whose [`vocab`] id is `id`.
    #[inline]
    pub fn word_id(&self, lower: &str, id: u32) -> Option<&str> {
        let Some(idx) = &self.index else {
            return self.word(lower);
        };
        if (id >> START_SHIFT) as u8 & self.start_bit == 0 {
            return None;
        }
        let (a, b) = idx.range(id)?;
        idx.phrases[a..b]
            .iter()
            .find(|(rest, _)| rest.is_empty())
            .map(|(_, t)| t.as_str())
    }

    /// Longest phrase starting at `words[i]` (words lowercase): (number of tokens, tag).
    pub fn match_at<S: AsRef<str>>(&self, words: &[S], i: usize) -> Option<(usize, &str)> {
        let cands = self.entries.get(words.get(i)?.as_ref())?;
        for (rest, tag) in cands {
            if words.len() >= i + 1 + rest.len()
                && rest
                    .iter()
                    .zip(&words[i + 1..])
                    .all(|(a, b)| a == b.as_ref())
            {
                return Some((1 + rest.len(), tag.as_str()));
            }
        }
        None
    }

    /// [`Lexicon::match_at`] by word ids: `ids[k]` is the [`vocab`] id of `words[k]`, and
    /// both slices have the same length. No hashing for the embedded lexicons, and a word
    /// that starts no phrase (most) is turned away by one table read.
    #[inline(always)]
    pub fn match_ids<S: AsRef<str>>(
        &self,
        words: &[S],
        ids: &[u32],
        i: usize,
    ) -> Option<(usize, &str)> {
        let Some(idx) = &self.index else {
            return self.match_at(words, i);
        };
        let id = *ids.get(i)?;
        if (id >> START_SHIFT) as u8 & self.start_bit == 0 {
            return None;
        }
        let (a, b) = idx.range(id)?;
        if a == b {
            return None;
        }
        idx.match_from(ids, i, a..b)
    }

    /// The word (lowercase) is a one-word entry with tag `tag` (a word may have several).
    pub fn has_tag(&self, lower: &str, tag: &str) -> bool {
        self.entries
            .get(lower)
            .is_some_and(|v| v.iter().any(|(rest, t)| rest.is_empty() && t == tag))
    }

    /// For each [`vocab`] id, bit `k` set when the word has tag `classes[k]` (as in
    /// [`Lexicon::has_tag`]): one table read answers every class of a token. Empty for a
    /// lexicon parsed at run time (it has no ids).
    pub fn class_bits(&self, classes: &[&str]) -> Vec<u8> {
        let Some(idx) = &self.index else {
            return Vec::new();
        };
        let n = idx.first.len().saturating_sub(1);
        (0..n)
            .map(|id| {
                let (a, b) = idx.range(id as u32).unwrap_or((0, 0));
                idx.phrases[a..b]
                    .iter()
                    .filter(|(rest, _)| rest.is_empty())
                    .filter_map(|(_, t)| classes.iter().position(|c| c == t))
                    .fold(0u8, |m, k| m | 1u8.checked_shl(k as u32).unwrap_or(0))
            })
            .collect()
    }

    pub fn contains(&self, lower: &str) -> bool {
        self.word(lower).is_some()
    }

    /// This lexicon's start bit for [`next_start`]; 0xff (every token a candidate) for a
    /// lexicon with no id index.
    pub fn start_bit(&self) -> u8 {
        if self.index.is_some() {
            self.start_bit
        } else {
            0xff
        }
    }

    /// The tokens of `ids` from `from` on where a phrase of this lexicon may start, in order.
    pub fn candidates<'i>(&self, ids: &'i [u32], from: usize) -> Candidates<'i> {
        Candidates {
            ids,
            at: from,
            bits: self.start_bit(),
        }
    }

    /// [`Lexicon::contains`] by [`vocab`] id.
    #[inline]
    pub fn contains_id(&self, lower: &str, id: u32) -> bool {
        self.word_id(lower, id).is_some()
    }
}

/// Token indices whose ids carry one of some start bits (see [`Lexicon::candidates`]).
pub struct Candidates<'i> {
    ids: &'i [u32],
    at: usize,
    bits: u8,
}

impl Candidates<'_> {
    /// Also stop at the tokens where a phrase of `other` may start.
    pub fn or(mut self, other: &Lexicon) -> Self {
        self.bits |= other.start_bit();
        self
    }
}

impl Iterator for Candidates<'_> {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.at >= self.ids.len() {
            return None;
        }
        let i = next_start(self.ids, self.at, self.bits);
        self.at = i + 1;
        (i < self.ids.len()).then_some(i)
    }
}

/// The embedded lexicons, parsed once and numbered by one shared vocabulary.
struct Embedded {
    vocab: Vocab,
    lexicons: Vec<Lexicon>,
}

const FILES: [(&str, &str); 8] = [
    ("cues.txt", include_str!("../data/lexicons/cues.txt")),
    (
        "cue-phrases.txt",
        include_str!("../data/lexicons/cue-phrases.txt"),
    ),
    (
        "source-types.txt",
        include_str!("../data/lexicons/source-types.txt"),
    ),
    ("roles.txt", include_str!("../data/lexicons/roles.txt")),
    (
        "anonymity.txt",
        include_str!("../data/lexicons/anonymity.txt"),
    ),
    ("hedges.txt", include_str!("../data/lexicons/hedges.txt")),
    (
        "hedge-context.txt",
        include_str!("../data/lexicons/hedge-context.txt"),
    ),
    (
        "rule-words.txt",
        include_str!("../data/lexicons/rule-words.txt"),
    ),
];

/// Words the vocabulary must hold without being a lexicon of their own (no start bit): the
/// uncertainty model's candidate words, looked up by id ([`crate::extract::hedging`]).
const VOCAB_ONLY: (&str, &str) = (
    "hedge-candidates.txt",
    include_str!("../data/lexicons/hedge-candidates.txt"),
);

fn embedded() -> &'static Embedded {
    static E: OnceLock<Embedded> = OnceLock::new();
    E.get_or_init(|| {
        let mut lexicons: Vec<Lexicon> = FILES
            .iter()
            .map(|(name, text)| {
                // The file is part of the binary: a parse error is a build defect, caught by tests.
                Lexicon::parse(name, text)
                    .unwrap_or_else(|e| panic!("embedded lexicon is malformed: {e}"))
            })
            .collect();
        let mut vocab = Vocab::default();
        for l in &lexicons {
            l.intern_words(&mut vocab);
        }
        Lexicon::parse(VOCAB_ONLY.0, VOCAB_ONLY.1)
            .unwrap_or_else(|e| panic!("embedded lexicon is malformed: {e}"))
            .intern_words(&mut vocab);
        vocab.seal();
        let mut starts = vec![0u8; vocab.len()];
        for (k, l) in lexicons.iter_mut().enumerate() {
            let bit = 1u8 << k;
            l.build_index(&vocab, bit);
            if let Some(idx) = &l.index {
                for (n, s) in starts.iter_mut().enumerate() {
                    if idx.range(n as u32).is_some_and(|(a, b)| a < b) {
                        *s |= bit;
                    }
                }
            }
        }
        // Ids get their start bits; so do the ids stored in the phrases, to compare equal.
        vocab.mark_starts(&starts);
        for l in &mut lexicons {
            if let Some(idx) = &mut l.index {
                for (rest, _) in &mut idx.phrases {
                    for id in rest.iter_mut() {
                        if let Some(&b) = starts.get(id_index(*id)) {
                            *id |= u32::from(b) << START_SHIFT;
                        }
                    }
                }
            }
        }
        Embedded { vocab, lexicons }
    })
}

/// The vocabulary of the embedded lexicons, for [`Lexicon::match_ids`].
pub fn vocab() -> &'static Vocab {
    &embedded().vocab
}

macro_rules! lexicon {
    ($fn:ident, $i:literal) => {
        pub fn $fn() -> &'static Lexicon {
            &embedded().lexicons[$i]
        }
    };
}

lexicon!(cues, 0);
lexicon!(cue_phrases, 1);
lexicon!(source_types, 2);
lexicon!(roles, 3);
lexicon!(anonymity, 4);
lexicon!(hedges, 5);
lexicon!(hedge_context, 6);
lexicon!(rule_words, 7);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_matches_longest_phrase() {
        let l = Lexicon::parse(
            "t",
            "# c\naccording to\tprep\nsaid\tspeech\nin a\tx\nin a statement\ty\n",
        )
        .unwrap();
        assert_eq!(l.len(), 4);
        assert_eq!(l.word("said"), Some("speech"));
        let w = ["he", "said", "in", "a", "statement"];
        assert_eq!(l.match_at(&w, 2), Some((3, "y")));
        assert_eq!(l.match_at(&w, 0), None);
        assert!(Lexicon::parse("bad", "\tz\n").is_err());
    }

    #[test]
    fn embedded_lexicons_load() {
        assert!(cues().word("said").is_some());
        assert_eq!(
            cue_phrases().match_at(&["according", "to"], 0),
            Some((2, "prep_source"))
        );
    }

    #[test]
    fn ids_are_those_a_fresh_lookup_gives() {
        // Non-ASCII tokens are lowercased apart from the rest; each id is its word's.
        let text = "ΟΔΟΣ said, according to Officials, that the ΛΟΓΟΣ may be late.";
        let seg = crate::segment::segment(text);
        let lt = LowerTokens::new(text, &seg.tokens);
        let lw = lt.words(&seg.tokens);
        assert_eq!(lw.words.len(), seg.tokens.len());
        assert!(lw.words.contains(&"officials") && lw.words[0].chars().all(char::is_lowercase));
        let fresh: Vec<u32> = lw.words.iter().map(|w| vocab().id(w)).collect();
        assert_eq!(lw.ids, fresh);
        assert!(lw.ids.contains(&vocab().id("said")) && vocab().id("said") != NO_WORD);
    }

    #[test]
    fn start_scan_finds_what_a_token_by_token_scan_finds() {
        let words = "he said , according to some officials , that it may be , or not ? \
                     the minister told reporters it was widely believed many critics argue"
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>();
        let v = vocab();
        let ids: Vec<u32> = words.iter().map(|w| v.id(w)).collect();
        for lex in [cues(), cue_phrases(), roles(), hedges(), hedge_context()] {
            let bit = lex.start_bit();
            for from in 0..=ids.len() + 1 {
                let slow = (from..ids.len())
                    .find(|&i| lex.match_ids(&words, &ids, i).is_some())
                    .unwrap_or(ids.len());
                let fast = next_start(&ids, from, bit);
                // The scan may stop early (a start word whose phrase does not follow), never late.
                assert!(
                    fast <= slow && fast >= from.min(ids.len()),
                    "{from}: {fast} {slow}"
                );
                if fast < ids.len() {
                    assert!(ids[fast] >> START_SHIFT & u32::from(bit) != 0);
                }
            }
            let all: Vec<usize> = lex.candidates(&ids, 0).collect();
            let slow: Vec<usize> = (0..ids.len())
                .filter(|&i| ids[i] >> START_SHIFT & u32::from(bit) != 0)
                .collect();
            assert_eq!(all, slow);
        }
        // A word outside every lexicon has no start bits; "?" starts a hedge.
        assert_eq!(v.id("zzz") >> START_SHIFT, 0);
        assert_eq!(
            hedges().match_ids(&["?"], &[v.id("?")], 0),
            Some((1, "question"))
        );
        // A lexicon parsed at run time has no ids: every token is a candidate.
        let l = Lexicon::parse("t", "said\tspeech\n").unwrap();
        assert_eq!(l.candidates(&[NO_WORD, NO_WORD], 0).count(), 2);
    }

    #[test]
    fn every_token_is_its_own_lowercase() {
        // The skip over unchanged chars must give each token exactly `str::to_lowercase`.
        let texts = [
            "ÉCOLE “Quoted” — said Σίσυφος ΟΔΟΣ, straße İstanbul ǅemal. Plain ASCII only here!",
            "“Already lowercase” – café naïve résumé… then an Ärger at the very end: Ω",
            "no non-ASCII at all, SAID The Minister",
            "",
            "x É",
        ];
        for text in texts {
            let seg = crate::segment::segment(text);
            let lt = LowerTokens::new(text, &seg.tokens);
            let lw = lt.words(&seg.tokens);
            for (t, w) in seg.tokens.iter().zip(&lw.words) {
                assert_eq!(*w, t.span.slice(text).to_lowercase(), "in {text:?}");
            }
        }
    }
    #[test]
    fn id_matching_agrees_with_string_matching() {
        let words = [
            "he",
            "said",
            "according",
            "to",
            "officials",
            "on",
            "condition",
            "of",
            "anonymity",
            "zzz",
            "may",
            "be",
            "senior",
            "administration",
            "officials",
        ];
        let v = vocab();
        let ids: Vec<u32> = words.iter().map(|w| v.id(w)).collect();
        assert_eq!(v.id("zzz"), NO_WORD);
        assert_eq!(v.id(""), NO_WORD);
        assert_eq!(v.id("sai"), NO_WORD);
        assert_eq!(v.id("saidx"), NO_WORD);
        assert_ne!(v.id("administration"), NO_WORD);
        assert_ne!(v.id("said"), v.id("says"));
        // Every word of every lexicon round-trips, whatever its length.
        for (w, &id) in &v.ids {
            assert_eq!(v.id(w), id, "{w}");
            let longer = format!("{w}x");
            assert_ne!(v.id(&longer), id, "{longer}");
        }
        for lex in [
            cues(),
            cue_phrases(),
            source_types(),
            roles(),
            anonymity(),
            hedges(),
            hedge_context(),
        ] {
            for i in 0..=words.len() {
                assert_eq!(lex.match_ids(&words, &ids, i), lex.match_at(&words, i));
                if let Some(w) = words.get(i) {
                    assert_eq!(lex.word_id(w, ids[i]), lex.word(w));
                }
            }
        }
        assert!(cue_phrases().match_ids(&words, &ids, 2).is_some());
        // A lexicon parsed at run time has no ids: it falls back to the words.
        let l = Lexicon::parse("t", "said\tspeech\n").unwrap();
        assert_eq!(l.match_ids(&["said"], &[NO_WORD], 0), Some((1, "speech")));
    }
}
