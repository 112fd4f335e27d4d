//! The learned uncertainty decision: a logistic regression over the hedge candidates of a
//! sentence (the hedge lexicon's matches, with the rules' keep-or-drop verdict, and the cue
//! words the team's labels use: "expected", "think", "hope"), the words around each
//! candidate, and the rules' own verdict. Sentences without a candidate stay certain, so the
//! model costs nothing on most text. Trained by `onrecord train-patterns` on
//! data/labels/uncertain.tsv into data/models/uncertainty.tsv.

use super::hedges::Candidate;
use super::sourcetype::{feature_hash, model_lines, parse_embedded, Features};
use super::words::Words;
use crate::doc::Span;
use crate::lexicon::{FastMap, Vocab};
use std::ops::Range;

const DEFAULT_MODEL: &str = include_str!("../../data/models/uncertainty.tsv");

/// Weights for "certain" and "uncertain", and the candidate words.
pub struct UncertaintyModel {
    index: FastMap<u64, [f32; 2]>,
    pub candidates: CandidateWords,
}

/// Cue words from the labels, by vocabulary id: one table read per token. A word that no
/// lexicon of the run holds has no id and cannot be a candidate (`onrecord train-patterns`
/// lists those it had to leave out).
#[derive(Default)]
pub struct CandidateWords {
    by_id: Vec<bool>,
}

impl CandidateWords {
    /// The words given that `vocab` holds, and those it does not.
    pub fn new<'a>(
        words: impl IntoIterator<Item = &'a str>,
        vocab: &Vocab,
    ) -> (CandidateWords, Vec<String>) {
        let mut by_id = vec![false; vocab.len() + 1];
        let mut missing = Vec::new();
        for word in words {
            let id = vocab.id(word);
            if id == crate::lexicon::NO_WORD {
                missing.push(word.to_string());
            } else if let Some(b) = by_id.get_mut(crate::lexicon::id_index(id)) {
                *b = true;
            }
        }
        (CandidateWords { by_id }, missing)
    }
    fn has(&self, id: u32) -> bool {
        id != crate::lexicon::NO_WORD
            && self
                .by_id
                .get(crate::lexicon::id_index(id))
                .copied()
                .unwrap_or(false)
    }
}

impl UncertaintyModel {
    /// The model shipped in data/models/uncertainty.tsv, its candidate words numbered by
    /// `vocab`.
    pub fn embedded(vocab: &Vocab) -> anyhow::Result<UncertaintyModel> {
        parse_embedded("data/models/uncertainty.tsv", || {
            UncertaintyModel::parse(DEFAULT_MODEL, vocab)
        })
    }

    /// `#` comments; `candidate<TAB>word` lines; a `classes<TAB>certain<TAB>uncertain` line;
    /// then `feature<TAB>w_certain<TAB>w_uncertain`. Candidates `vocab` lacks are left out.
    pub fn parse(text: &str, vocab: &Vocab) -> Result<UncertaintyModel, String> {
        let mut index = FastMap::default();
        let mut words: Vec<&str> = Vec::new();
        for (n, line) in model_lines(text) {
            let cols: Vec<&str> = line.split('\t').collect();
            match cols.as_slice() {
                ["candidate", w] => words.push(w),
                ["classes", "certain", "uncertain"] => {}
                [name, a, b] => {
                    let p = |x: &str| {
                        x.parse::<f32>()
                            .map_err(|_| format!("line {n}: {x:?} is not a number"))
                    };
                    index.insert(feature_hash(name), [p(a)?, p(b)?]);
                }
                _ => return Err(format!("line {n}: want 2 or 3 columns")),
            }
        }
        let (candidates, _) = CandidateWords::new(words, vocab);
        Ok(UncertaintyModel { index, candidates })
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    pub fn uncertain(&self, f: &Features) -> bool {
        let mut s = [0f32; 2];
        for h in &f.hashes {
            if let Some(w) = self.index.get(h) {
                s[0] += w[0];
                s[1] += w[1];
            }
        }
        s[1] > s[0]
    }
}

/// The features of one sentence from its candidates; empty when there is none.
pub(super) fn sentence_features(
    w: &Words,
    toks: Range<usize>,
    rule_uncertain: bool,
    cands: &[Candidate],
    out: &mut Features,
) {
    out.clear();
    if cands.is_empty() {
        return;
    }
    out.add(&["bias"]);
    out.add(&["rule=", if rule_uncertain { "1" } else { "0" }]);
    out.add(&[
        "n_cands=",
        match cands.len() {
            1 => "1",
            2 => "2",
            _ => "3+",
        },
    ]);
    let mut joined = String::new();
    for c in cands {
        let text: &str = if c.tokens.len() == 1 {
            w.lower[c.tokens.start]
        } else {
            joined.clear();
            for (i, t) in w.lower[c.tokens.clone()].iter().enumerate() {
                if i > 0 {
                    // Not a space: a feature's parts are joined by spaces in the model file.
                    joined.push('_');
                }
                joined.push_str(t);
            }
            &joined
        };
        let kept = if c.kept { "1" } else { "0" };
        out.add(&["cand=", text]);
        out.add(&["cand|kept=", text, "|", kept]);
        out.add(&["class|kept=", c.class, "|", kept]);
        let prev = if c.tokens.start > toks.start {
            w.lower[c.tokens.start - 1]
        } else {
            "<s>"
        };
        let next = if c.tokens.end < toks.end {
            w.lower[c.tokens.end]
        } else {
            "</s>"
        };
        out.add(&["prev|cand=", prev, "|", text]);
        out.add(&["cand|next=", text, "|", next]);
        // Who holds the belief: "I think" is a hedge, "Kennedy believes" an attribution.
        if c.tokens.start > toks.start + 1 {
            out.add(&[
                "prev2|cand=",
                w.lower[c.tokens.start - 2],
                "|",
                prev,
                "|",
                text,
            ]);
        }
        let in_quote = w.tokens[c.tokens.start].in_quote;
        out.add(&["cand|quote=", text, "|", if in_quote { "1" } else { "0" }]);
    }
}

/// The span of a candidate, for the hedges list.
pub(super) fn span_of(w: &Words, c: &Candidate) -> Span {
    Span::new(
        w.tokens[c.tokens.start].span.start,
        w.tokens[c.tokens.end - 1].span.end,
    )
}

/// Each sentence's flags: the rules' hedges, then, where a model is given and the sentence has
/// a candidate, the model's verdict (a certain sentence keeps no hedges; an uncertain one its
/// candidates). `sink`, when training, receives every sentence's features.
pub(super) fn sentences(
    w: &Words,
    seg: &crate::segment::Segmented,
    model: Option<&UncertaintyModel>,
    words: Option<&CandidateWords>,
    mut sink: Option<&mut Vec<Features>>,
) -> Vec<super::SentenceFlags> {
    let mut cands = Vec::new();
    let mut feats = if sink.is_some() {
        Features::with_names()
    } else {
        Features::default()
    };
    let words = words.or(model.map(|m| &m.candidates));
    seg.sentences
        .iter()
        .map(|s| {
            cands.clear();
            let want = model.is_some() || sink.is_some();
            let mut flags = super::hedges::hedge_sentence(
                w,
                s.tokens.clone(),
                s.span,
                want.then_some(&mut cands),
            );
            if let (true, Some(cw)) = (want, words) {
                for k in s.tokens.clone() {
                    if cw.has(w.ids[k]) && !cands.iter().any(|c| c.tokens.contains(&k)) {
                        cands.push(Candidate {
                            tokens: k..k + 1,
                            class: "label_cue",
                            kept: false,
                        });
                    }
                }
            }
            if want {
                sentence_features(w, s.tokens.clone(), flags.uncertain, &cands, &mut feats);
            }
            if let Some(m) = model {
                let uncertain = !feats.hashes.is_empty() && m.uncertain(&feats);
                if uncertain && !flags.uncertain {
                    flags.hedges = cands.iter().map(|c| span_of(w, c)).collect();
                    flags.hedges.sort_by_key(|h| (h.start, h.end));
                    flags.hedges.dedup();
                } else if !uncertain {
                    flags.hedges.clear();
                }
                flags.uncertain = uncertain;
            }
            if let Some(sk) = sink.as_deref_mut() {
                sk.push(std::mem::replace(&mut feats, Features::with_names()));
            }
            flags
        })
        .collect()
}

/// Training: the features of every sentence of a document, with the candidate words given.
pub fn sentence_features_of(
    text: &str,
    seg: &crate::segment::Segmented,
    lw: &crate::lexicon::Lowered,
    ex: &super::Extractor,
    words: &CandidateWords,
) -> Vec<(Span, Vec<String>)> {
    let w = Words::new(text, seg, lw, ex);
    let mut sink = Vec::new();
    let flags = sentences(&w, seg, None, Some(words), Some(&mut sink));
    flags
        .into_iter()
        .zip(sink)
        .map(|(f, x)| (f.span, x.names.unwrap_or_default()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::test_extractor;
    use crate::extract::words::testing::with_words;
    use crate::lexicon::test_lexicons;

    /// Each sentence of `text` with its verdict and hedge cues, as the shipped model decides.
    fn decide(text: &str) -> Vec<(bool, Vec<&str>)> {
        with_words(text, |w, seg| {
            sentences(w, seg, Some(&test_extractor().uncertainty), None, None)
                .into_iter()
                .map(|f| {
                    (
                        f.uncertain,
                        f.hedges.iter().map(|h| h.slice(text)).collect(),
                    )
                })
                .collect()
        })
    }

    #[test]
    fn explicit_lack_of_knowledge_is_uncertain() {
        for t in [
            "The company did not explicitly indicate whether it would cut jobs.",
            "It is unclear whether the talks will resume.",
        ] {
            assert!(decide(t)[0].0, "{t}");
        }
    }

    #[test]
    fn plain_and_attributed_assertions_are_certain() {
        // A sentence without a candidate is certain without the model's help.
        assert_eq!(decide("The bridge opened in 1990."), [(false, vec![])]);
        for t in [
            "The mayor said the bridge will reopen on Monday.",
            "Officials announced it would close the plant.",
        ] {
            assert_eq!(decide(t), [(false, vec![])], "{t}");
        }
    }

    #[test]
    fn the_model_file_is_checked() {
        let vocab = test_lexicons().vocab();
        let m = UncertaintyModel::parse(
            "# test\ncandidate\tunclear\nclasses\tcertain\tuncertain\nbias\t1\t0\ncand= unclear\t0\t2\n",
            vocab,
        )
        .unwrap();
        let mut f = Features::default();
        f.add(&["bias"]);
        assert!(!m.uncertain(&f));
        f.add(&["cand=", "unclear"]);
        assert!(m.uncertain(&f));
        assert!(m.candidates.has(vocab.id("unclear")));
        assert!(UncertaintyModel::parse("bias\t1\n", vocab).is_err());
        assert_eq!(
            UncertaintyModel::parse("# a comment\n\nbias\tx\t0\n", vocab).err(),
            Some("line 3: \"x\" is not a number".to_string())
        );
        assert!(!test_extractor().uncertainty.is_empty());
    }

    #[test]
    fn candidate_words_outside_the_vocabulary_are_listed() {
        let vocab = test_lexicons().vocab();
        let (words, missing) = CandidateWords::new(["unclear", "zzqxnotaword"], vocab);
        assert!(words.has(vocab.id("unclear")));
        assert_eq!(missing, ["zzqxnotaword"]);
        assert!(!words.has(crate::lexicon::NO_WORD));
    }
}
