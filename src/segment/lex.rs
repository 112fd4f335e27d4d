//! Word lists for the sentence splitter, embedded from `data/lexicons/` and parsed once.

use crate::lexicon::{FastMap as HashMap, FastSet as HashSet};
use std::sync::OnceLock;

const ABBREVIATIONS: &str = include_str!("../../data/lexicons/abbreviations.txt");
const STARTERS: &str = include_str!("../../data/lexicons/segment-starters.txt");
const SPEECH: &str = include_str!("../../data/lexicons/segment-speech-verbs.txt");

/// When a full stop after an abbreviation may end a sentence (see abbreviations.txt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbrevClass {
    Title,
    Numeric,
    Ambiguous,
    Never,
}

pub(crate) struct Lexicon {
    /// Keyed without the final full stop: "Mr", "U.S", "p.m".
    pub abbrevs: HashMap<&'static str, AbbrevClass>,
    /// Bit `b` of row `n` set when a key of `n` bytes (`n` < [`KEY_LENS`]) starts with byte
    /// `b`; longer keys set every bit of the last row. A cheap test before the hash lookup:
    /// most words before a full stop are no abbreviation.
    abbrev_heads: [[u64; 4]; KEY_LENS],
    pub starters: HashSet<&'static str>,
    pub speech_verbs: HashSet<&'static str>,
}

impl Lexicon {
    pub fn abbrev(&self, word: &str) -> Option<AbbrevClass> {
        if !self.may_be_abbrev(word.as_bytes()) {
            return None;
        }
        self.abbrevs.get(word).copied()
    }
    /// Could `word` be a key of [`Lexicon::abbrevs`]? `false` for most words, from its
    /// length and first byte alone.
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
}

/// The embedded lexicon. A malformed line is skipped (the unit test `lexicons_parse_clean`
/// fails on any), so a bad edit to the data degrades splitting instead of aborting a run.
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| parse(ABBREVIATIONS, STARTERS, SPEECH).0)
}

/// Rows of [`Lexicon::abbrev_heads`].
const KEY_LENS: usize = 8;

fn abbrev_heads(map: &HashMap<&'static str, AbbrevClass>) -> [[u64; 4]; KEY_LENS] {
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

fn content_lines(src: &'static str) -> impl Iterator<Item = (usize, &'static str)> {
    src.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

/// Parses the lists; returns the lexicon and one message per malformed line.
pub(crate) fn parse(
    abbrevs: &'static str,
    starters: &'static str,
    speech: &'static str,
) -> (Lexicon, Vec<String>) {
    let mut errors = Vec::new();
    let mut map = HashMap::default();
    let mut class = None;
    for (n, line) in content_lines(abbrevs) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            class = match name {
                "title" => Some(AbbrevClass::Title),
                "numeric" => Some(AbbrevClass::Numeric),
                "ambiguous" => Some(AbbrevClass::Ambiguous),
                "never" => Some(AbbrevClass::Never),
                _ => {
                    errors.push(format!(
                        "data/lexicons/abbreviations.txt line {n}: unknown section [{name}]; \
                         use [title], [numeric], [ambiguous] or [never]"
                    ));
                    None
                }
            };
            continue;
        }
        let Some(c) = class else {
            errors.push(format!(
                "data/lexicons/abbreviations.txt line {n}: `{line}` is outside a known \
                 section; put it under [title], [numeric], [ambiguous] or [never]"
            ));
            continue;
        };
        match line.strip_suffix('.') {
            Some(key) if !key.is_empty() && !key.contains(char::is_whitespace) => {
                if map.insert(key, c).is_some() {
                    errors.push(format!(
                        "data/lexicons/abbreviations.txt line {n}: `{line}` is listed twice; \
                         keep one entry"
                    ));
                }
            }
            _ => errors.push(format!(
                "data/lexicons/abbreviations.txt line {n}: `{line}` must be one word ending \
                 in a full stop, like `Mr.`"
            )),
        }
    }
    let starters = word_set(starters, "segment-starters.txt", &mut errors);
    let speech_verbs = word_set(speech, "segment-speech-verbs.txt", &mut errors);
    (
        Lexicon {
            abbrev_heads: abbrev_heads(&map),
            abbrevs: map,
            starters,
            speech_verbs,
        },
        errors,
    )
}

fn word_set(src: &'static str, file: &str, errors: &mut Vec<String>) -> HashSet<&'static str> {
    let mut set = HashSet::default();
    for (n, line) in content_lines(src) {
        if line.contains(char::is_whitespace) {
            errors.push(format!(
                "data/lexicons/{file} line {n}: `{line}` must be a single word"
            ));
        } else {
            set.insert(line);
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicons_parse_clean() {
        let (lex, errors) = parse(ABBREVIATIONS, STARTERS, SPEECH);
        assert!(errors.is_empty(), "{}", errors.join("\n"));
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
        let (lex, errors) = parse("[title]\nLongabbreviation.\nAb.\n", "", "");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(lex.abbrev("Longabbreviation"), Some(AbbrevClass::Title));
        assert_eq!(lex.abbrev("Ab"), Some(AbbrevClass::Title));
        assert_eq!(lex.abbrev("Ac"), None);
    }

    #[test]
    fn malformed_lines_are_reported_with_line_numbers() {
        let (_, errors) = parse(
            "# c\nMr.\n[bogus]\n[title]\nDr\nMr.\nMr.\n",
            "The\nTwo words\n",
            "said\nsaid so\n",
        );
        assert_eq!(errors.len(), 6, "{errors:?}");
        assert!(errors[0].contains("line 2"));
        assert!(errors[1].contains("line 3") && errors[1].contains("[bogus]"));
        assert!(errors[2].contains("line 5"));
        assert!(errors[3].contains("line 7") && errors[3].contains("twice"));
        assert!(errors[4].contains("segment-starters.txt line 2"));
        assert!(errors[5].contains("segment-speech-verbs.txt line 2"));
    }
}
