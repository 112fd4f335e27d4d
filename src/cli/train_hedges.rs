//! The uncertainty half of `onrecord train-patterns`: the sentence model on
//! data/labels/uncertain.tsv, with its candidate words taken from the labels' cues of the
//! training folds only, so that the cross-validated figure is honest.

use crate::extract::hedging::{sentence_features_of, CandidateWords};
use crate::extract::learn::{self, Example, Params, Vocabulary};
use crate::extract::Extractor;
use crate::lexicon::Lexicons;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// A cue word must come up this often in the training labels to become a candidate.
const MIN_CUE_COUNT: usize = 2;

struct Sentence {
    set: String,
    doc: String,
    path: String,
    start: usize,
    end: usize,
    uncertain: bool,
    cues: Vec<String>,
}

fn read(path: &Path) -> Result<Vec<Sentence>> {
    super::labels::read_rows(path)?
        .iter()
        .map(|row| {
            Ok(Sentence {
                set: row.get("set"),
                doc: row.get("doc"),
                path: row.get("path"),
                start: row.num("start")?,
                end: row.num("end")?,
                uncertain: row.get("uncertain") == "1",
                cues: row
                    .get("cues")
                    .split('|')
                    .map(|c| c.trim().to_lowercase())
                    .filter(|c| !c.is_empty())
                    .collect(),
            })
        })
        .collect()
}

/// The head word of each cue phrase (its longest word: "doubt" in "in doubt", "whether" in
/// "did not say whether", so that no function word makes every sentence a candidate) that
/// comes up at least [`MIN_CUE_COUNT`] times.
fn candidate_words<'a>(sents: impl Iterator<Item = &'a Sentence>) -> Vec<String> {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for s in sents.filter(|s| s.uncertain) {
        for c in &s.cues {
            let head = c
                .split_whitespace()
                .filter(|w| w.chars().all(char::is_alphabetic))
                .fold("", |best, w| if w.len() > best.len() { w } else { best });
            if !head.is_empty() {
                *count.entry(head.to_string()).or_default() += 1;
            }
        }
    }
    count
        .into_iter()
        .filter(|(w, n)| *n >= MIN_CUE_COUNT && w.chars().any(char::is_alphabetic))
        .map(|(w, _)| w)
        .collect()
}

/// Each labelled sentence's features: those of the segmented sentence overlapping it most
/// (none: no features, so it stays certain).
fn features(
    sents: &[Sentence],
    texts: &BTreeMap<String, String>,
    lex: &Lexicons,
    ex: &Extractor,
    words: &CandidateWords,
) -> Vec<Vec<String>> {
    let by_path: BTreeMap<&str, Vec<usize>> = sents.iter().enumerate().fold(
        BTreeMap::new(),
        |mut m: BTreeMap<&str, Vec<usize>>, (i, s)| {
            m.entry(s.path.as_str()).or_default().push(i);
            m
        },
    );
    let per_doc: Vec<Vec<(usize, Vec<String>)>> = by_path
        .par_iter()
        .map(|(p, idx)| {
            let text = &texts[*p];
            let bytes = crate::text::byte_offsets_of_chars(text);
            let seg = crate::segment::segment(text, lex.splitter());
            let lowered = crate::lexicon::LowerTokens::new(text, &seg.tokens);
            let lw = lowered.words(&seg.tokens, lex);
            let feats = sentence_features_of(text, &seg, &lw, ex, words);
            idx.iter()
                .map(|&i| {
                    let s = &sents[i];
                    let a = bytes[s.start.min(bytes.len() - 1)];
                    let b = bytes[s.end.min(bytes.len() - 1)];
                    let best = feats
                        .iter()
                        .map(|(sp, f)| (sp.end.min(b).saturating_sub(sp.start.max(a)), f))
                        .filter(|(ov, _)| *ov > 0)
                        .max_by_key(|(ov, _)| *ov)
                        .map(|(_, f)| f.clone())
                        .unwrap_or_default();
                    (i, best)
                })
                .collect()
        })
        .collect();
    let mut out = vec![Vec::new(); sents.len()];
    for (i, f) in per_doc.into_iter().flatten() {
        out[i] = f;
    }
    out
}

fn examples(feats: &[Vec<String>], sents: &[Sentence], vocab: &mut Vocabulary) -> Vec<Example> {
    feats
        .iter()
        .zip(sents)
        .map(|(f, s)| Example {
            feats: f.iter().map(|n| vocab.id(n)).collect(),
            label: usize::from(s.uncertain),
            group: s.doc.clone(),
        })
        .collect()
}

fn prf(pairs: impl Iterator<Item = (bool, bool)>) -> (f64, f64, f64, usize) {
    let (mut tp, mut np, mut ng, mut n) = (0.0, 0.0, 0.0, 0);
    for (g, p) in pairs {
        n += 1;
        tp += f64::from(u8::from(g && p));
        np += f64::from(u8::from(p));
        ng += f64::from(u8::from(g));
    }
    let pr = if np > 0.0 { tp / np } else { 0.0 };
    let re = if ng > 0.0 { tp / ng } else { 0.0 };
    let f1 = if pr + re > 0.0 {
        2.0 * pr * re / (pr + re)
    } else {
        0.0
    };
    (pr, re, f1, n)
}

/// The candidate lexicon (data/lexicons/hedge-candidates.txt): every cue word the labels use
/// at least [`MIN_CUE_COUNT`] times, so that the vocabulary holds them.
pub fn candidate_lexicon(labels: &Path) -> Result<String> {
    let sents = read(labels)?;
    let mut out = format!(
        "# Hedge candidate words (onrecord, data/lexicons/hedge-candidates.txt): the longest word of\n\
         # every cue the team's sentence labels ({}) give at least {MIN_CUE_COUNT} times, written by\n\
         # `onrecord train-patterns`. The uncertainty model decides; this list only makes the words known.\n",
        labels.display()
    );
    for w in candidate_words(sents.iter()) {
        out.push_str(&format!("{w}\tcandidate\n"));
    }
    Ok(out)
}

/// Cross-validate, report, and return the model file's text; `ex`: loaded with `lex`.
pub fn train(
    labels: &Path,
    shared: &Path,
    seed: u64,
    lex: &Lexicons,
    ex: &Extractor,
    predictions: Option<&Path>,
) -> Result<(String, String)> {
    let sents = read(labels)?;
    if sents.is_empty() {
        bail!("no sentences in {}", labels.display());
    }
    let texts = super::labels::read_texts(sents.iter().map(|s| s.path.as_str()), labels, shared)?;
    // Folds over documents, as for the source types; features per fold, since the
    // candidate words come from the training folds.
    let probe: Vec<Example> = sents
        .iter()
        .map(|s| Example {
            feats: Vec::new(),
            label: 0,
            group: s.doc.clone(),
        })
        .collect();
    let fold = learn::folds(&probe, 5, seed);
    let per_fold: Vec<(Vec<Example>, usize)> = (0..5)
        .map(|f| {
            let train_words = candidate_words(sents.iter().filter(|s| fold[&s.doc] != f));
            let (cw, _) = CandidateWords::new(train_words.iter().map(String::as_str), lex.vocab());
            let feats = features(&sents, &texts, lex, ex, &cw);
            let mut vocab = Vocabulary::default();
            let ex = examples(&feats, &sents, &mut vocab);
            (ex, vocab.names.len())
        })
        .collect();
    let mut best: Option<(f64, Params, Vec<bool>)> = None;
    for l2 in [0.3, 1.0, 3.0] {
        for balance in [0.0, 0.5, 1.0] {
            let params = Params {
                l2,
                epochs: 300,
                balance,
                prune: 0.0,
            };
            let mut pred = vec![false; sents.len()];
            for (f, (ex, nfeat)) in per_fold.iter().enumerate() {
                let tr: Vec<&Example> = ex
                    .iter()
                    .filter(|e| fold[&e.group] != f && !e.feats.is_empty())
                    .collect();
                let w = learn::train(&tr, *nfeat, 2, params, seed);
                for (i, e) in ex.iter().enumerate() {
                    if fold[&e.group] == f {
                        pred[i] = !e.feats.is_empty() && learn::predict(&w, 2, &e.feats) == 1;
                    }
                }
            }
            let (_, _, f1, _) = prf(sents.iter().zip(&pred).map(|(s, p)| (s.uncertain, *p)));
            super::diag!("  uncertainty l2 {l2} balance {balance}: CV F1 {f1:.3}");
            if best.as_ref().is_none_or(|(b, _, _)| f1 > *b) {
                best = Some((f1, params, pred));
            }
        }
    }
    let Some((_, params, pred)) = best else {
        bail!("no settings")
    };
    if let Some(path) = predictions {
        let mut out = String::from("start\tdoc\tgold\tpredicted\tcues\n");
        for (s, p) in sents.iter().zip(&pred) {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                s.start,
                s.doc,
                u8::from(s.uncertain),
                u8::from(*p),
                s.cues.join("|")
            ));
        }
        std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    }
    // The rules alone on the same sentences: the `rule=1` feature.
    let words = candidate_words(sents.iter());
    let (cw, missing) = CandidateWords::new(words.iter().map(String::as_str), lex.vocab());
    let feats = features(&sents, &texts, lex, ex, &cw);
    let mut report = format!(
        "uncertain sentences, 5-fold cross-validation over documents (l2 {}, balance {}):\n",
        params.l2, params.balance
    );
    for set in ["", "polnear-train", "bbc"] {
        let sel = |s: &Sentence| set.is_empty() || s.set == set;
        let (p, r, f1, n) = prf(sents
            .iter()
            .zip(&pred)
            .filter(|(s, _)| sel(s))
            .map(|(s, p)| (s.uncertain, *p)));
        let (rp, rr, rf, _) = prf(sents
            .iter()
            .zip(&feats)
            .filter(|(s, _)| sel(s))
            .map(|(s, f)| (s.uncertain, f.iter().any(|x| x == "rule= 1"))));
        report.push_str(&format!(
            "  {:<14} n {n}: model P {p:.3} R {r:.3} F1 {f1:.3}; rules alone P {rp:.3} R {rr:.3} F1 {rf:.3}\n",
            if set.is_empty() { "all" } else { set }
        ));
    }
    if !missing.is_empty() {
        report.push_str(&format!(
            "  cue words left out (not in the embedded lexicons: rebuild with the new\n  \
             data/lexicons/hedge-candidates.txt and run again): {}\n",
            missing.join(", ")
        ));
    }
    let mut vocab = Vocabulary::default();
    let ex = examples(&feats, &sents, &mut vocab);
    let all: Vec<&Example> = ex.iter().filter(|e| !e.feats.is_empty()).collect();
    let w = learn::train(&all, vocab.names.len(), 2, params, seed);
    let mut header = format!(
        "# Uncertainty model (onrecord, data/models/uncertainty.tsv): logistic regression over the\n\
         # hedge candidates of a sentence (src/extract/hedging.rs). Trained on {} labelled sentences\n\
         # ({}) by `onrecord train-patterns --seed {seed}`; l2 {}, balance {} chosen by 5-fold CV.\n\
         # `candidate` lines: the longest words of the labels' cues seen at least {MIN_CUE_COUNT} times.\n",
        sents.len(),
        labels.display(),
        params.l2,
        params.balance
    );
    for word in words.iter().filter(|w| !missing.contains(w)) {
        header.push_str(&format!("candidate\t{word}\n"));
    }
    let model = learn::write_model(&header, &["certain", "uncertain"], &vocab, &w, 0.001);
    Ok((model, report))
}
