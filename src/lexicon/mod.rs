//! Lexicons: the word lists in data/lexicons/, embedded in the binary, parsed once per run
//! into a [`Lexicons`] that the stages are passed, and replaceable file by file for a run
//! ([`Lexicons::from_dir`], `--lexicons DIR`).
//!
//! Every file has one line format, read by one parser with one error ([`LexiconError`],
//! naming the file and line): `#` starts a comment line; each other non-empty line is
//! `key` or `key<TAB>value`. Three kinds of list read it:
//! - phrase lexicons ([`Lexicon`]): `phrase<TAB>tag`, lowercase phrases matched token by
//!   token, numbered by one shared [`Vocab`] so that a token is hashed once per document;
//! - the sentence splitter's words ([`SplitterWords`]): single case-sensitive words, the
//!   abbreviations under `[class]` sections;
//! - the learned tagger's cues ([`TaggerCues`]): `CLASS<TAB>term`.

mod load;
mod lower;
mod phrase;
mod splitter;
mod tagger;
mod vocab;

use std::borrow::Cow;
use std::path::Path;

pub use load::LexiconError;
pub use lower::{LowerTokens, Lowered};
pub use phrase::{Candidates, Lexicon};
pub use splitter::{AbbrevClass, SplitterWords};
pub use tagger::{TaggerCues, TAGGER_CLASSES};
pub use vocab::{id_index, next_start, Vocab, NO_WORD};

/// A hash map for keys fixed by the lists and the models (words, feature hashes): Fx
/// hashing, as SipHash's flooding resistance buys nothing there and costs on every token.
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
/// A hash set with the hashing of [`FastMap`].
pub type FastSet<K> = rustc_hash::FxHashSet<K>;

/// Every lexicon file, by the name a [`Lexicons::from_dir`] override must have, with its
/// embedded text. The first [`PHRASE_LISTS`] are the phrase lexicons, in start-bit order.
const FILES: [(&str, &str); 13] = [
    ("cues.txt", include_str!("../../data/lexicons/cues.txt")),
    (
        "cue-phrases.txt",
        include_str!("../../data/lexicons/cue-phrases.txt"),
    ),
    (
        "source-types.txt",
        include_str!("../../data/lexicons/source-types.txt"),
    ),
    ("roles.txt", include_str!("../../data/lexicons/roles.txt")),
    (
        "anonymity.txt",
        include_str!("../../data/lexicons/anonymity.txt"),
    ),
    ("hedges.txt", include_str!("../../data/lexicons/hedges.txt")),
    (
        "hedge-context.txt",
        include_str!("../../data/lexicons/hedge-context.txt"),
    ),
    (
        "rule-words.txt",
        include_str!("../../data/lexicons/rule-words.txt"),
    ),
    // Words the vocabulary must hold without being a lexicon of their own (no start bit):
    // the uncertainty model's candidate words, looked up by id ([`crate::extract::hedging`]).
    (
        "hedge-candidates.txt",
        include_str!("../../data/lexicons/hedge-candidates.txt"),
    ),
    (
        "abbreviations.txt",
        include_str!("../../data/lexicons/abbreviations.txt"),
    ),
    (
        "segment-starters.txt",
        include_str!("../../data/lexicons/segment-starters.txt"),
    ),
    (
        "segment-speech-verbs.txt",
        include_str!("../../data/lexicons/segment-speech-verbs.txt"),
    ),
    (
        "model-cues.txt",
        include_str!("../../data/lexicons/model-cues.txt"),
    ),
];
const PHRASE_LISTS: usize = 8;
const _: () = assert!(PHRASE_LISTS <= 8, "one start bit per phrase lexicon");
const HEDGE_CANDIDATES: usize = 8;
const ABBREVIATIONS: usize = 9;
const STARTERS: usize = 10;
const SPEECH_VERBS: usize = 11;
const MODEL_CUES: usize = 12;

/// A lexicon file's text and the name its errors give it.
struct Source {
    file: String,
    text: Cow<'static, str>,
}

impl Source {
    fn pair(&self) -> (&str, &str) {
        (&self.file, &self.text)
    }
}

/// Every word list the engine reads, parsed, with the phrase lexicons numbered by one
/// shared vocabulary.
#[derive(Debug)]
pub struct Lexicons {
    vocab: Vocab,
    cues: Lexicon,
    cue_phrases: Lexicon,
    source_types: Lexicon,
    roles: Lexicon,
    anonymity: Lexicon,
    hedges: Lexicon,
    hedge_context: Lexicon,
    rule_words: Lexicon,
    splitter: SplitterWords,
    tagger: TaggerCues,
}

impl Lexicons {
    /// The lists embedded in the binary (data/lexicons/ at build time).
    pub fn embedded() -> Lexicons {
        // The files are part of the binary: a parse error is a build defect, caught by tests.
        Lexicons::build(embedded_sources())
            .unwrap_or_else(|e| panic!("an embedded lexicon is malformed: {e}"))
    }

    /// The embedded lists, with those that `dir` holds a file for (by the embedded file's
    /// name, e.g. `cues.txt`) read from there instead. Any other file in `dir` is an error,
    /// so that a misspelt name does not leave the embedded list in force unnoticed.
    pub fn from_dir(dir: &Path) -> Result<Lexicons, LexiconError> {
        let read_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source| LexiconError::Read { path, source }
        };
        let mut sources = embedded_sources();
        let mut paths = std::fs::read_dir(dir)
            .and_then(|d| {
                d.map(|e| e.map(|e| e.path()))
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(read_error(dir))?;
        paths.sort();
        for path in paths {
            let name = path.file_name().and_then(|n| n.to_str());
            let Some(k) = FILES.iter().position(|(f, _)| Some(*f) == name) else {
                let known = FILES.map(|(f, _)| f).join(", ");
                return Err(LexiconError::UnknownFile { path, known });
            };
            let text = std::fs::read_to_string(&path).map_err(read_error(&path))?;
            sources[k] = Source {
                file: path.display().to_string(),
                text: text.into(),
            };
        }
        Lexicons::build(sources)
    }

    fn build(sources: [Source; FILES.len()]) -> Result<Lexicons, LexiconError> {
        let mut lists: [Lexicon; PHRASE_LISTS] = Default::default();
        for (l, s) in lists.iter_mut().zip(&sources) {
            *l = Lexicon::parse(&s.file, &s.text)?;
        }
        let mut vocab = Vocab::default();
        for l in &lists {
            l.intern_words(&mut vocab);
        }
        let candidates = &sources[HEDGE_CANDIDATES];
        Lexicon::parse(&candidates.file, &candidates.text)?.intern_words(&mut vocab);
        vocab.seal();
        let mut starts = vec![0u8; vocab.len()];
        for (k, l) in lists.iter_mut().enumerate() {
            let bit = 1u8 << k;
            l.build_index(&vocab, bit);
            l.mark_start_words(&mut starts, bit);
        }
        // Ids get their start bits; so do the ids stored in the phrases, to compare equal.
        vocab.mark_starts(&starts);
        for l in &mut lists {
            l.mark_phrase_ids(&starts);
        }
        let splitter = SplitterWords::parse(
            sources[ABBREVIATIONS].pair(),
            sources[STARTERS].pair(),
            sources[SPEECH_VERBS].pair(),
        )?;
        let (file, text) = sources[MODEL_CUES].pair();
        let tagger = TaggerCues::parse(file, text)?;
        let [cues, cue_phrases, source_types, roles, anonymity, hedges, hedge_context, rule_words] =
            lists;
        Ok(Lexicons {
            vocab,
            cues,
            cue_phrases,
            source_types,
            roles,
            anonymity,
            hedges,
            hedge_context,
            rule_words,
            splitter,
            tagger,
        })
    }

    /// The vocabulary of the phrase lexicons, for [`Lexicon::match_ids`].
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }
    /// Reporting verbs (cues.txt).
    pub fn cues(&self) -> &Lexicon {
        &self.cues
    }
    /// Multi-word and noun cues (cue-phrases.txt).
    pub fn cue_phrases(&self) -> &Lexicon {
        &self.cue_phrases
    }
    pub fn source_types(&self) -> &Lexicon {
        &self.source_types
    }
    pub fn roles(&self) -> &Lexicon {
        &self.roles
    }
    pub fn anonymity(&self) -> &Lexicon {
        &self.anonymity
    }
    pub fn hedges(&self) -> &Lexicon {
        &self.hedges
    }
    pub fn hedge_context(&self) -> &Lexicon {
        &self.hedge_context
    }
    pub fn rule_words(&self) -> &Lexicon {
        &self.rule_words
    }
    /// The sentence splitter's abbreviations, starters and speech verbs.
    pub fn splitter(&self) -> &SplitterWords {
        &self.splitter
    }
    /// The learned tagger's cue list (model-cues.txt).
    pub fn tagger_cues(&self) -> &TaggerCues {
        &self.tagger
    }
}

fn embedded_sources() -> [Source; FILES.len()] {
    FILES.map(|(name, text)| Source {
        file: format!("data/lexicons/{name}"),
        text: Cow::Borrowed(text),
    })
}

/// The embedded lexicons, built once for the unit tests (a run builds its own and passes it).
#[cfg(test)]
pub(crate) fn test_lexicons() -> &'static Lexicons {
    static E: std::sync::OnceLock<Lexicons> = std::sync::OnceLock::new();
    E.get_or_init(Lexicons::embedded)
}

#[cfg(test)]
mod tests {
    use super::vocab::START_SHIFT;
    use super::*;

    #[test]
    fn embedded_lexicons_load() {
        let e = test_lexicons();
        assert!(e.cues().word("said").is_some());
        assert_eq!(
            e.cue_phrases().match_at(&["according", "to"], 0),
            Some((2, "prep_source"))
        );
    }

    #[test]
    fn start_scan_finds_what_a_token_by_token_scan_finds() {
        let e = test_lexicons();
        let words = "he said , according to some officials , that it may be , or not ? \
                     the minister told reporters it was widely believed many critics argue"
            .split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>();
        let v = e.vocab();
        let ids: Vec<u32> = words.iter().map(|w| v.id(w)).collect();
        for lex in [
            e.cues(),
            e.cue_phrases(),
            e.roles(),
            e.hedges(),
            e.hedge_context(),
        ] {
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
            e.hedges().match_ids(&["?"], &[v.id("?")], 0),
            Some((1, "question"))
        );
    }

    #[test]
    fn id_matching_agrees_with_string_matching() {
        let e = test_lexicons();
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
        let v = e.vocab();
        let ids: Vec<u32> = words.iter().map(|w| v.id(w)).collect();
        assert_eq!(v.id("zzz"), NO_WORD);
        assert_eq!(v.id(""), NO_WORD);
        assert_eq!(v.id("sai"), NO_WORD);
        assert_eq!(v.id("saidx"), NO_WORD);
        assert_ne!(v.id("administration"), NO_WORD);
        assert_ne!(v.id("said"), v.id("says"));
        // Every word of every lexicon round-trips, whatever its length.
        for (w, id) in v.words() {
            assert_eq!(v.id(w), id, "{w}");
            let longer = format!("{w}x");
            assert_ne!(v.id(&longer), id, "{longer}");
        }
        for lex in [
            e.cues(),
            e.cue_phrases(),
            e.source_types(),
            e.roles(),
            e.anonymity(),
            e.hedges(),
            e.hedge_context(),
        ] {
            for i in 0..=words.len() {
                assert_eq!(lex.match_ids(&words, &ids, i), lex.match_at(&words, i));
                if let Some(w) = words.get(i) {
                    assert_eq!(lex.word_id(w, ids[i]), lex.word(w));
                }
            }
        }
        assert!(e.cue_phrases().match_ids(&words, &ids, 2).is_some());
    }

    #[test]
    fn every_embedded_list_parses() {
        let l = Lexicons::embedded();
        assert!(l.cues().word("said").is_some() && !l.rule_words().is_empty());
        assert_eq!(l.splitter().abbrev("Mr"), Some(AbbrevClass::Title));
        assert_eq!(l.tagger_cues().text(), FILES[MODEL_CUES].1);
        assert!(l.vocab().len() > 1000);
    }

    /// A scratch directory holding `files` (name, text).
    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn a_directory_overrides_its_lists_and_keeps_the_rest() {
        let dir = dir_with(&[
            ("cues.txt", "# mine\nopined\tspeech\n"),
            ("segment-starters.txt", "Yet\n"),
        ]);
        let l = Lexicons::from_dir(dir.path()).unwrap();
        assert_eq!(l.cues().word("opined"), Some("speech"));
        assert_eq!(l.cues().word("said"), None);
        assert!(l.splitter().is_starter("Yet") && !l.splitter().is_starter("The"));
        // The overriding list is numbered like an embedded one.
        let v = l.vocab();
        let ids = [v.id("opined")];
        assert_eq!(
            l.cues().match_ids(&["opined"], &ids, 0),
            Some((1, "speech"))
        );
        // The others stay embedded.
        let e = test_lexicons();
        assert_eq!(
            l.cue_phrases().match_at(&["according", "to"], 0),
            Some((2, "prep_source"))
        );
        assert_eq!(l.roles().len(), e.roles().len());
        assert_eq!(l.splitter().abbrev("Mr"), Some(AbbrevClass::Title));
        assert_eq!(l.tagger_cues().text(), e.tagger_cues().text());
    }

    #[test]
    fn an_empty_directory_gives_the_embedded_lists_and_ids() {
        let dir = dir_with(&[]);
        let l = Lexicons::from_dir(dir.path()).unwrap();
        let (v, e) = (l.vocab(), test_lexicons().vocab());
        assert_eq!(v.len(), e.len());
        for (w, id) in e.words() {
            assert_eq!(v.id(w), id, "{w}");
        }
    }

    #[test]
    fn override_errors_name_the_file_and_line() {
        let dir = dir_with(&[("hedges.txt", "may\tmodal\n\tmight\n")]);
        let e = Lexicons::from_dir(dir.path()).unwrap_err().to_string();
        let path = dir.path().join("hedges.txt");
        assert!(
            e.starts_with(&format!("{}:2: empty phrase", path.display())),
            "{e}"
        );
        let dir = dir_with(&[("abbreviations.txt", "[title]\nMr.\n[titles]\n")]);
        let e = Lexicons::from_dir(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("abbreviations.txt:3: unknown section [titles]"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_file_name_is_rejected() {
        let dir = dir_with(&[("cues.txt", "said\tspeech\n"), ("cue.txt", "said\n")]);
        let e = Lexicons::from_dir(dir.path()).unwrap_err();
        assert!(matches!(&e, LexiconError::UnknownFile { path, .. } if path.ends_with("cue.txt")));
        assert!(
            e.to_string().contains("cue-phrases.txt, source-types.txt"),
            "{e}"
        );
        let missing = dir.path().join("missing");
        let e = Lexicons::from_dir(&missing).unwrap_err();
        assert!(matches!(e, LexiconError::Read { .. }), "{e}");
    }

    #[test]
    fn vocab_ids_are_stable() {
        // Ids follow the order the lists are interned in, so two builds number alike.
        let (a, b) = (Lexicons::embedded(), Lexicons::embedded());
        for (w, id) in a.vocab().words() {
            assert_eq!(b.vocab().id(w), id, "{w}");
        }
        // Numbers are dense: every word of the tables has a row.
        let mut numbers: Vec<usize> = a.vocab().words().map(|(_, id)| id_index(id)).collect();
        numbers.sort_unstable();
        assert!(numbers.iter().copied().eq(0..a.vocab().len()));
    }
}
