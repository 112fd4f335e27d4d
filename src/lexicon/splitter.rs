//! The sentence splitter's word lists: abbreviations (abbreviations.txt), common sentence
//! starters (segment-starters.txt) and speech verbs (segment-speech-verbs.txt). Unlike the
//! phrase lexicons these are single words matched case-sensitively, as written in the text.

use super::load::{self, LexiconError};
use super::{FastMap, FastSet};

/// When a full stop after an abbreviation may end a sentence (see abbreviations.txt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevClass {
    Title,
    Numeric,
    Ambiguous,
    Never,
}

/// The sections of abbreviations.txt, in the order of [`ABBREV_CLASSES`].
const ABBREV_SECTIONS: [&str; 4] = ["title", "numeric", "ambiguous", "never"];
const ABBREV_CLASSES: [AbbrevClass; 4] = [
    AbbrevClass::Title,
    AbbrevClass::Numeric,
    AbbrevClass::Ambiguous,
    AbbrevClass::Never,
];

#[derive(Debug)]
pub struct SplitterWords {
    /// Keyed without the final full stop: "Mr", "U.S", "p.m".
    abbrevs: FastMap<Box<str>, AbbrevClass>,
    /// Bit `b` of row `n` set when a key of `n` bytes (`n` < [`KEY_LENS`]) starts with byte
    /// `b`; longer keys set every bit of the last row. A cheap test before the hash lookup:
    /// most words before a full stop are no abbreviation.
    abbrev_heads: [[u64; 4]; KEY_LENS],
    starters: FastSet<Box<str>>,
    speech_verbs: FastSet<Box<str>>,
}

impl SplitterWords {
    pub fn abbrev(&self, word: &str) -> Option<AbbrevClass> {
        if !self.may_be_abbrev(word.as_bytes()) {
            return None;
        }
        self.abbrevs.get(word).copied()
    }
    /// Could `word` be a listed abbreviation (without its full stop)? `false` for most
    /// words, from its length and first byte alone.
    #[inline]
    pub fn may_be_abbrev(&self, word: &[u8]) -> bool {
        let row = &self.abbrev_heads[word.len().min(KEY_LENS - 1)];
        word.first()
            .is_some_and(|&b| row[b as usize / 64] >> (b % 64) & 1 != 0)
    }
    pub fn is_starter(&self, word: &str) -> bool {
        self.starters.contains(word)
    }
    pub fn is_speech_verb(&self, word: &str) -> bool {
        self.speech_verbs.contains(word)
    }

    /// Parse the three lists; each `(file, text)` names its file in errors.
    pub(super) fn parse(
        abbrevs: (&str, &str),
        starters: (&str, &str),
        speech: (&str, &str),
    ) -> Result<SplitterWords, LexiconError> {
        let mut map = FastMap::default();
        for e in load::entries(abbrevs.0, abbrevs.1, &ABBREV_SECTIONS)? {
            let line = e.key;
            match line.strip_suffix('.') {
                Some(key) if !key.is_empty() && !key.contains(char::is_whitespace) => {
                    if !e.value.is_empty() {
                        return Err(e.error(format!(
                            "`{line}` takes nothing after a tab; write the abbreviation alone"
                        )));
                    }
                    if map.insert(key.into(), ABBREV_CLASSES[e.section]).is_some() {
                        return Err(e.error(format!("`{line}` is listed twice; keep one entry")));
                    }
                }
                _ => {
                    return Err(e.error(format!(
                        "`{line}` must be one word ending in a full stop, like `Mr.`"
                    )))
                }
            }
        }
        Ok(SplitterWords {
            abbrev_heads: abbrev_heads(&map),
            abbrevs: map,
            starters: word_set(starters)?,
            speech_verbs: word_set(speech)?,
        })
    }
}

/// Rows of [`SplitterWords::abbrev_heads`].
const KEY_LENS: usize = 8;

fn abbrev_heads(map: &FastMap<Box<str>, AbbrevClass>) -> [[u64; 4]; KEY_LENS] {
    let mut heads = [[0u64; 4]; KEY_LENS];
    for key in map.keys() {
        let row = &mut heads[key.len().min(KEY_LENS - 1)];
        if key.len() >= KEY_LENS - 1 {
            *row = [u64::MAX; 4];
        } else if let Some(&b) = key.as_bytes().first() {
            row[b as usize / 64] |= 1 << (b % 64);
        }
    }
    heads
}

/// A list of single words, one a line.
fn word_set((file, text): (&str, &str)) -> Result<FastSet<Box<str>>, LexiconError> {
    let mut set = FastSet::default();
    for e in load::entries(file, text, &[])? {
        if !e.value.is_empty() || e.key.contains(char::is_whitespace) {
            return Err(e.error(format!(
                "`{}` must be a single word with nothing after it",
                e.key
            )));
        }
        set.insert(e.key.into());
    }
    Ok(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(abbrevs: &str, starters: &str, speech: &str) -> Result<SplitterWords, LexiconError> {
        SplitterWords::parse(
            ("abbreviations.txt", abbrevs),
            ("segment-starters.txt", starters),
            ("segment-speech-verbs.txt", speech),
        )
    }

    #[test]
    fn embedded_lists_parse_clean() {
        let lex = crate::lexicon::test_lexicons().splitter();
        assert_eq!(lex.abbrev("Mr"), Some(AbbrevClass::Title));
        assert_eq!(lex.abbrev("Sept"), Some(AbbrevClass::Numeric));
        assert_eq!(lex.abbrev("U.S"), Some(AbbrevClass::Ambiguous));
        assert_eq!(lex.abbrev("vs"), Some(AbbrevClass::Never));
        assert!(lex.is_starter("The") && !lex.is_starter("Senate"));
        assert!(lex.is_speech_verb("said") && !lex.is_speech_verb("Said"));
        // The head filter lets every key through and stops others.
        for (key, class) in &lex.abbrevs {
            assert_eq!(lex.abbrev(key), Some(*class), "{key}");
        }
        assert_eq!(lex.abbrev(""), None);
        assert_eq!(lex.abbrev("said"), None);
        assert_eq!(lex.abbrev("Mrs.Robinson"), None);
        assert!(lex.may_be_abbrev(b"Mr") && !lex.may_be_abbrev(b"") && !lex.may_be_abbrev(b"said"));
    }

    #[test]
    fn head_filter_keeps_long_keys() {
        let lex = parse("[title]\nLongabbreviation.\nAb.\n", "", "").unwrap();
        assert_eq!(lex.abbrev("Longabbreviation"), Some(AbbrevClass::Title));
        assert_eq!(lex.abbrev("Ab"), Some(AbbrevClass::Title));
        assert_eq!(lex.abbrev("Ac"), None);
    }

    #[test]
    fn malformed_lines_are_reported_with_file_and_line() {
        let error = |abbrevs: &str, starters: &str, speech: &str| {
            parse(abbrevs, starters, speech)
                .err()
                .map(|e| e.to_string())
        };
        let outside = error("# c\nMr.\n", "", "").unwrap();
        assert!(outside.starts_with("abbreviations.txt:2: `Mr.` is outside a section"));
        let section = error("[title]\nMr.\n[bogus]\n", "", "").unwrap();
        assert!(section.starts_with("abbreviations.txt:3: unknown section [bogus]"));
        let no_stop = error("[title]\nMr.\nDr\n", "", "").unwrap();
        assert!(no_stop.starts_with("abbreviations.txt:3: `Dr` must be one word ending"));
        let twice = error("[title]\nMr.\n\n[never]\nMr.\n", "", "").unwrap();
        assert_eq!(
            twice,
            "abbreviations.txt:5: `Mr.` is listed twice; keep one entry"
        );
        let starter = error("[title]\nMr.\n", "The\nTwo words\n", "").unwrap();
        assert_eq!(
            starter,
            "segment-starters.txt:2: `Two words` must be a single word with nothing after it"
        );
        let speech = error("", "The\n", "said\nsaid\tso\n").unwrap();
        assert_eq!(
            speech,
            "segment-speech-verbs.txt:2: `said` must be a single word with nothing after it"
        );
        assert!(error("[never]\ne.g.\n", "The\n", "said\n").is_none());
    }
}
