//! Lexicons: word lists in data/lexicons/, embedded in the binary and parsed once at start-up.
//!
//! Format of every lexicon file: `#` starts a comment line; each other non-empty line is
//! `phrase` or `phrase<TAB>tag`, the phrase lowercase with single spaces between tokens.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

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

/// A phrase lexicon matched token by token (lowercased tokens).
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    /// First token -> list of (remaining tokens, tag), longest first.
    entries: FastMap<String, Vec<(Vec<String>, String)>>,
    len: usize,
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

    pub fn contains(&self, lower: &str) -> bool {
        self.word(lower).is_some()
    }
}

macro_rules! lexicon {
    ($fn:ident, $file:literal) => {
        pub fn $fn() -> &'static Lexicon {
            static L: OnceLock<Lexicon> = OnceLock::new();
            L.get_or_init(|| {
                // The file is part of the binary: a parse error is a build defect, caught by tests.
                Lexicon::parse($file, include_str!(concat!("../data/lexicons/", $file)))
                    .unwrap_or_else(|e| panic!("embedded lexicon is malformed: {e}"))
            })
        }
    };
}

lexicon!(cues, "cues.txt");
lexicon!(cue_phrases, "cue-phrases.txt");

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
}

lexicon!(source_types, "source-types.txt");
lexicon!(roles, "roles.txt");
lexicon!(anonymity, "anonymity.txt");
lexicon!(hedges, "hedges.txt");
