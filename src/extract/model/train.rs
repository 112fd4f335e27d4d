//! Training on PolNeAR (brat gold) and dev predictions in the scorer's JSONL format.
//!
//! Deterministic: paragraphs are shuffled by a seeded xorshift, training is single-threaded,
//! and the model is serialized from dense arrays in bucket order.

use super::assemble::{spans, TSpan};
use super::features::{features, Scratch};
use super::tagger::{begin, inside, Decoder, Trainer, Weights};
use super::text::{self, Lexicon, Tok};
use super::Model;
use crate::eval::brat::{read_split, GoldDoc};
use crate::lexicon::{Lexicons, SplitterWords};
use crate::text::{byte_offsets_of_chars, CharIndex};
use anyhow::Result;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Hashed feature space: 2^BITS rows.
const BITS: u32 = 18;
/// Weights below this (after averaging) are dropped from the file.
const PRUNE: f32 = 0.01;

struct Para {
    toks: Vec<Tok>,
    gold: Vec<u8>,
}

fn gold_paras(doc: &GoldDoc, lex: &Lexicon, words: &SplitterWords) -> Vec<Para> {
    let b_of_c = byte_offsets_of_chars(&doc.text);
    let mut out = Vec::new();
    // Gold byte spans per role, in attribution order (first claim wins a token).
    let mut frags: Vec<(u8, usize, usize)> = Vec::new();
    for a in &doc.attributions {
        for (r, list) in [(1u8, &a.source), (2, &a.cue), (3, &a.content)] {
            for &(s, e) in list.iter() {
                if let (Some(&bs), Some(&be)) = (b_of_c.get(s), b_of_c.get(e)) {
                    frags.push((r, bs, be));
                }
            }
        }
    }
    // The same tokens and paragraphs as at run time.
    let seg = crate::segment::segment(&doc.text, words);
    let mut all = Vec::new();
    let mut paras = Vec::new();
    text::from_segmented(&doc.text, &seg, lex, &mut all, &mut paras);
    for (ps, pe) in paras {
        let toks = all[ps..pe].to_vec();
        let (base, end) = (toks[0].start as usize, toks[toks.len() - 1].end as usize);
        let mut gold = vec![0u8; toks.len()];
        let mut owner = vec![usize::MAX; toks.len()];
        for (fi, &(r, bs, be)) in frags.iter().enumerate() {
            if be <= base || bs >= end {
                continue;
            }
            let mut first = true;
            for (i, t) in toks.iter().enumerate() {
                if (t.start as usize) < be && (t.end as usize) > bs && gold[i] == 0 {
                    let prev_same = i > 0 && owner[i - 1] == fi;
                    gold[i] = if first && !prev_same {
                        begin(r)
                    } else {
                        inside(r)
                    };
                    owner[i] = fi;
                    first = false;
                }
            }
        }
        // An I- right after a token of another fragment or role starts a new span.
        for i in 0..gold.len() {
            let g = gold[i];
            if g != 0 && g % 2 == 0 && (i == 0 || (gold[i - 1] != g && gold[i - 1] != g - 1)) {
                gold[i] = g - 1;
            }
        }
        out.push(Para { toks, gold });
    }
    out
}

/// Exact-span counts (tp, pred, gold) per role over tag sequences: a quick proxy of the
/// scorer's exact-span metric for choosing the epoch.
fn span_counts(gold: &[u8], pred: &[u8], acc: &mut [[usize; 3]; 3]) {
    let (mut g, mut p) = (Vec::new(), Vec::new());
    spans(gold, 0, &mut g);
    spans(pred, 0, &mut p);
    let key = |x: &TSpan| (x.role, x.s, x.e);
    let gk: Vec<_> = g.iter().map(key).collect();
    for x in &p {
        acc[x.role as usize - 1][1] += 1;
        if gk.contains(&key(x)) {
            acc[x.role as usize - 1][0] += 1;
        }
    }
    for x in &g {
        acc[x.role as usize - 1][2] += 1;
    }
}

fn f1(c: [usize; 3]) -> f64 {
    if c[0] == 0 {
        return 0.0;
    }
    let p = c[0] as f64 / c[1] as f64;
    let r = c[0] as f64 / c[2] as f64;
    2.0 * p * r / (p + r)
}

/// The perceptron (paragraphs shuffled by `seed`): the averaged weights of the epoch with
/// the best mean tag-span F1 on dev, that F1 and the epoch.
#[allow(clippy::too_many_arguments)]
fn train_run(
    tr: &[Para],
    tr_f: &[Vec<u32>],
    dv: &[Para],
    dv_f: &[Vec<u32>],
    seed: u64,
    epochs: usize,
    report: &mut String,
    t0: Instant,
) -> (f64, usize, Weights) {
    let mut trainer = Trainer::new(BITS);
    let mut dec = Decoder::default();
    let mut pred = Vec::new();
    let mut order: Vec<usize> = (0..tr.len()).collect();
    let mut rng = seed ^ 0x9e37_79b9_7f4a_7c15;
    let mut best: Option<(f64, usize, Weights)> = None;
    for epoch in 1..=epochs.max(1) {
        // Fisher-Yates with xorshift64*: same order for the same seed.
        for i in (1..order.len()).rev() {
            rng ^= rng >> 12;
            rng ^= rng << 25;
            rng ^= rng >> 27;
            let j = (rng.wrapping_mul(0x2545_f491_4f6c_dd1d) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut wrong = 0;
        for &pi in &order {
            dec.decode(&trainer.w, &tr_f[pi], &mut pred);
            wrong += trainer.update(&tr_f[pi], &tr[pi].gold, &pred) as usize;
        }
        let avg = trainer.averaged();
        let mut acc = [[0usize; 3]; 3];
        for (p, f) in dv.iter().zip(dv_f) {
            dec.decode(&avg, f, &mut pred);
            span_counts(&p.gold, &pred, &mut acc);
        }
        let fs = [f1(acc[0]), f1(acc[1]), f1(acc[2])];
        let mean = (fs[0] + fs[1] + fs[2]) / 3.0;
        let _ = writeln!(
            report,
            "epoch {epoch}: {wrong} paragraphs wrong; dev tag-span F1 source {:.3} cue {:.3} content {:.3} (mean {mean:.3}); {:.1}s",
            fs[0],
            fs[1],
            fs[2],
            t0.elapsed().as_secs_f64()
        );
        if best.as_ref().is_none_or(|b| mean > b.0) {
            best = Some((mean, epoch, avg));
        }
    }
    best.unwrap_or_else(|| (0.0, 0, trainer.averaged()))
}

/// Train on `train_dir`, choose the epoch on `dev_dir`, with the cue list and the splitter
/// words of `lexicons`; returns the model file and a report.
pub fn train(
    train_dir: &Path,
    dev_dir: &Path,
    seed: u64,
    epochs: usize,
    lexicons: &Lexicons,
) -> Result<(Vec<u8>, String)> {
    let t0 = Instant::now();
    let lex = Lexicon::new(lexicons.tagger_cues());
    let words = lexicons.splitter();
    let mut warnings = Vec::new();
    let train_docs = read_split(train_dir, &mut warnings)?;
    let dev_docs = read_split(dev_dir, &mut warnings)?;
    let tr: Vec<Para> = train_docs
        .iter()
        .flat_map(|d| gold_paras(d, &lex, words))
        .collect();
    let dv: Vec<Para> = dev_docs
        .iter()
        .flat_map(|d| gold_paras(d, &lex, words))
        .collect();
    let mut report = String::new();
    let n_tok: usize = tr.iter().map(|p| p.toks.len()).sum();
    let _ = writeln!(
        report,
        "train: {} docs, {} paragraphs, {} tokens; dev: {} docs, {} paragraphs",
        train_docs.len(),
        tr.len(),
        n_tok,
        dev_docs.len(),
        dv.len()
    );
    // Feature ids do not change across epochs: compute them once.
    let mut sc = Scratch::default();
    let mut ids = |ps: &[Para]| -> Vec<Vec<u32>> {
        ps.iter()
            .map(|p| {
                let mut f = Vec::new();
                features(&p.toks, BITS, &mut sc, &mut f);
                f
            })
            .collect()
    };
    let (tr_f, dv_f) = (ids(&tr), ids(&dv));
    let (mean, epoch, w) = train_run(&tr, &tr_f, &dv, &dv_f, seed, epochs, &mut report, t0);
    let bytes = Model::to_bytes(&w, lex.hash, PRUNE);
    let _ = writeln!(
        report,
        "chose epoch {epoch} (dev mean tag-span F1 {mean:.3}); model {} bytes; {:.1}s",
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok((bytes, report))
}

/// Predictions for a brat split, one JSON line per document in the scorer's format
/// (code-point offsets); `words`: the splitter words to segment with.
pub fn predict_jsonl(model: &Model, words: &SplitterWords, split_dir: &Path) -> Result<String> {
    let mut warnings = Vec::new();
    let docs = read_split(split_dir, &mut warnings)?;
    let mut out = String::new();
    for d in &docs {
        let ci = CharIndex::new(&d.text);
        let atts: Vec<serde_json::Value> = model
            .extract(&d.text, &crate::segment::segment(&d.text, words))
            .iter()
            .map(|a| {
                let conv =
                    |v: &[crate::doc::Span]| v.iter().map(|s| ci.span(*s)).collect::<Vec<_>>();
                serde_json::json!({
                    "cue": conv(&a.cue),
                    "source": conv(&a.source),
                    "content": conv(&a.content),
                    "source_type": serde_json::Value::Null,
                })
            })
            .collect();
        out.push_str(&serde_json::json!({"doc": d.doc, "attributions": atts}).to_string());
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::test_lexicons;
    use std::path::PathBuf;

    /// A PolNeAR split in `../shared` beside the crate; a test that reads it fails here, saying
    /// so, where it is absent.
    pub(super) fn polnear(split: &str) -> PathBuf {
        let d = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/polnear")
            .join(split);
        assert!(
            d.join("text").is_dir(),
            "{} absent: this test needs PolNeAR v1.0.0 there",
            d.display()
        );
        d
    }

    /// Trains the shipped model and writes dev predictions. Run with
    /// `cargo test --release --lib extract::model::train::tests::train_polnear -- --ignored`;
    /// `ONRECORD_EPOCHS` sets the epochs (default 24), `ONRECORD_DEV_PRED` the JSONL path.
    #[test]
    #[ignore]
    fn train_polnear() {
        let epochs = std::env::var("ONRECORD_EPOCHS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(24);
        let (bytes, report) = train(
            &polnear("train"),
            &polnear("dev"),
            7,
            epochs,
            test_lexicons(),
        )
        .unwrap();
        println!("{report}");
        std::fs::write("data/models/attribution-tagger.bin", &bytes).unwrap();
        let m = Model::from_bytes(&bytes, test_lexicons().tagger_cues()).unwrap();
        let pred = predict_jsonl(&m, test_lexicons().splitter(), &polnear("dev")).unwrap();
        let out =
            std::env::var("ONRECORD_DEV_PRED").unwrap_or_else(|_| "/tmp/model-dev.jsonl".into());
        std::fs::write(out, pred).unwrap();
    }

    /// CPU time of this thread in seconds (Linux), so that throughput per core can be
    /// measured on a loaded machine.
    fn thread_cpu_s() -> Option<f64> {
        let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
    }

    /// Extraction throughput over the dev texts (run in release):
    /// `cargo test --release --lib extract::model::train::tests::throughput_dev -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn throughput_dev() {
        let m = Model::embedded(test_lexicons().tagger_cues()).unwrap();
        let mut w = Vec::new();
        let docs = read_split(&polnear("dev"), &mut w).unwrap();
        let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
        let t = Instant::now();
        let c0 = thread_cpu_s();
        let mut n = 0;
        for _ in 0..5 {
            for d in &docs {
                n += m
                    .extract(
                        &d.text,
                        &crate::segment::segment(&d.text, test_lexicons().splitter()),
                    )
                    .len();
            }
        }
        let s = t.elapsed().as_secs_f64();
        let mb = 5.0 * bytes as f64 / 1e6;
        let cpu = thread_cpu_s()
            .zip(c0)
            .map(|(a, b)| a - b)
            .unwrap_or(f64::NAN);
        println!(
            "{n} attributions; {:.1} MB/s wall, {:.1} MB/s per CPU second",
            mb / s,
            mb / cpu
        );
    }
}

#[cfg(test)]
mod phase_tests {
    use super::tests::polnear;
    use super::*;
    use crate::lexicon::test_lexicons;

    fn cpu_s() -> f64 {
        std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(f64::NAN, |x| x / 1e9)
    }

    /// CPU time of each tagging phase over the dev texts (run in release):
    /// `cargo test --release --lib phase_times -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn phase_times() {
        let m = Model::embedded(test_lexicons().tagger_cues()).unwrap();
        let mut w = Vec::new();
        let docs = read_split(&polnear("dev"), &mut w).unwrap();
        let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
        let reps = 10;
        let mb = reps as f64 * bytes as f64 / 1e6;
        let c = cpu_s();
        let mut segs = Vec::new();
        for _ in 0..reps {
            segs = docs
                .iter()
                .map(|d| crate::segment::segment(&d.text, test_lexicons().splitter()))
                .collect();
        }
        let t_seg = cpu_s() - c;
        let c = cpu_s();
        let mut tp = Vec::new();
        for _ in 0..reps {
            tp.clear();
            for (d, seg) in docs.iter().zip(&segs) {
                let mut toks = Vec::new();
                let mut paras = Vec::new();
                text::from_segmented(&d.text, seg, &m.lex, &mut toks, &mut paras);
                tp.push((toks, paras));
            }
        }
        let t_tok = cpu_s() - c;
        drop(tp);
        // Tokens again, then the fused features + weight sums + Viterbi (the run-time path).
        let c = cpu_s();
        let mut tagged = Vec::new();
        for _ in 0..reps {
            tagged = docs
                .iter()
                .zip(&segs)
                .map(|(d, seg)| m.tag(&d.text, seg))
                .collect();
        }
        let t_dec = (cpu_s() - c - t_tok).max(0.0);
        let c = cpu_s();
        let mut n = 0;
        for _ in 0..reps {
            for (d, t) in docs.iter().zip(&tagged) {
                n += crate::extract::model::assemble::assemble(&d.text, t).len();
            }
        }
        let t_asm = cpu_s() - c;
        let model = t_tok + t_dec + t_asm;
        println!(
            "{n} atts; CPU s: segment {t_seg:.3} toks {t_tok:.3} features+decode {t_dec:.3} assemble {t_asm:.3}; \
             MB per CPU s: model alone {:.1}, with segment {:.1}",
            mb / model,
            mb / (model + t_seg)
        );
    }
}

#[cfg(test)]
mod cv_tests {
    use super::*;
    use crate::lexicon::test_lexicons;

    /// Cross-validation predictions for boundary analysis: trains on `ONRECORD_CV_A`,
    /// predicts `ONRECORD_CV_B` into `ONRECORD_CV_OUT` (scorer JSONL).
    #[test]
    #[ignore]
    fn cv_predict() {
        let var = |k: &str| std::env::var(k).unwrap();
        let (a, b) = (var("ONRECORD_CV_A"), var("ONRECORD_CV_B"));
        let (bytes, _) = train(Path::new(&a), Path::new(&b), 7, 24, test_lexicons()).unwrap();
        let m = Model::from_bytes(&bytes, test_lexicons().tagger_cues()).unwrap();
        let pred = predict_jsonl(&m, test_lexicons().splitter(), Path::new(&b)).unwrap();
        std::fs::write(var("ONRECORD_CV_OUT"), pred).unwrap();
    }
}
