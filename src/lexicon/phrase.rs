//! Phrase lexicons: lists of lowercase phrases with tags, matched token by token, by string
//! or (for the lists numbered by the vocabulary) by word id.

use super::load::{self, Entry, LexiconError};
use super::vocab::{self, id_index, next_start, Vocab, START_SHIFT};
use super::FastMap;

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
    /// Present for the lists of a [`super::Lexicons`] (numbered by its vocabulary).
    index: Option<IdIndex>,
    /// This lexicon's start bit in word ids (see [`id_index`]); 0 when it has no index.
    start_bit: u8,
}

impl Lexicon {
    /// Parse a phrase lexicon file: `phrase` or `phrase<TAB>tag` a line. `file` names it
    /// in errors.
    pub fn parse(file: &str, text: &str) -> Result<Lexicon, LexiconError> {
        Lexicon::from_entries(&load::entries(file, text, &[])?)
    }

    fn from_entries(entries: &[Entry]) -> Result<Lexicon, LexiconError> {
        let mut lex = Lexicon::default();
        for e in entries {
            let mut toks = e
                .key
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase);
            let Some(first) = toks.next() else {
                return Err(e.error("empty phrase; write `phrase` or `phrase<TAB>tag`"));
            };
            lex.entries
                .entry(first)
                .or_default()
                .push((toks.collect(), e.value.to_string()));
            lex.len += 1;
        }
        for v in lex.entries.values_mut() {
            v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        Ok(lex)
    }

    /// Number every word in `vocab` (first pass over all lexicons).
    pub(super) fn intern_words(&self, vocab: &mut Vocab) {
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
    pub(super) fn build_index(&mut self, vocab: &Vocab, start_bit: u8) {
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

    /// Set bit `bit` of `starts[number]` for every word that starts a phrase of this
    /// lexicon.
    pub(super) fn mark_start_words(&self, starts: &mut [u8], bit: u8) {
        if let Some(idx) = &self.index {
            for (n, s) in starts.iter_mut().enumerate() {
                if idx.range(n as u32).is_some_and(|(a, b)| a < b) {
                    *s |= bit;
                }
            }
        }
    }

    /// Give the ids stored in the phrases their start bits, to compare equal to the ids
    /// [`Vocab::id`] gives once it has them.
    pub(super) fn mark_phrase_ids(&mut self, starts: &[u8]) {
        if let Some(idx) = &mut self.index {
            for (rest, _) in &mut idx.phrases {
                rest.iter_mut().for_each(|id| vocab::mark(id, starts));
            }
        }
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

    /// [`Lexicon::word`] for a word whose [`super::vocab`] id is `id`.
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

    /// [`Lexicon::match_at`] by word ids: `ids[k]` is the id of `words[k]` in the vocabulary
    /// of this list's [`super::Lexicons`], and both slices have the same length. No hashing,
    /// and a word that starts no phrase (most) is turned away by one table read.
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

    /// For each [`super::vocab`] id, bit `k` set when the word has tag `classes[k]` (as in
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

    /// [`Lexicon::contains`] by [`super::vocab`] id.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::NO_WORD;

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
        let e = Lexicon::parse("bad.txt", "said\n\tz\n").unwrap_err();
        assert!(e.to_string().starts_with("bad.txt:2: empty phrase"), "{e}");
    }

    #[test]
    fn a_lexicon_parsed_alone_matches_by_string() {
        // No vocabulary numbers it: every token is a candidate, ids fall back to the words.
        let l = Lexicon::parse("t", "said\tspeech\n").unwrap();
        assert_eq!(l.candidates(&[NO_WORD, NO_WORD], 0).count(), 2);
        assert_eq!(l.match_ids(&["said"], &[NO_WORD], 0), Some((1, "speech")));
    }
}
