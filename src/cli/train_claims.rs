//! `onrecord train-claims`: the claim-kind model (src/extract/claims.rs) from the team's
//! labels (data/labels/claim-kinds.tsv), each sentence analysed in its article, and
//! optionally NewsSD-ENG train+val (OBJ factual, SUBJ opinion; each sentence analysed alone).
//! Settings are chosen by 5-fold cross-validation on the team's labels (by document) and on
//! NewsSD-ENG train+val (by blocks of sentences) together; NewsSD-ENG test is scored only on
//! request (`--newssd-test`), once, for the final model, and never used to choose.

use crate::extract::claims::{
    self, document_signals, ClaimKind, ClaimModel, Featurizer, FACTUAL_THRESHOLD,
};
use crate::extract::learn::{self, Example, Params, Vocabulary};
use crate::extract::sourcetype::Features;
use crate::extract::ModelKind;
use crate::pipeline::{analyze, Analysis, Resources};
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Train the claim-kind model and report its cross-validated and NewsSD-ENG test scores.
/// Deterministic: the same inputs and seed give the same bytes.
///
/// onrecord train-claims --seed 11
#[derive(clap::Args)]
pub struct Args {
    /// Sentence labels (id, set, doc, path, start, end in code points, sentence, kind).
    #[arg(long, default_value = "data/labels/claim-kinds.tsv")]
    pub labels: PathBuf,
    /// The folder the labels' `path` column is relative to.
    #[arg(long, default_value = "../shared")]
    pub shared: PathBuf,
    /// NewsSD-ENG (train.csv, val.csv for training; test.csv scored once).
    #[arg(long, default_value = "../shared/claims/newssd-eng")]
    pub newssd: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "data/models/claim-kinds.tsv")]
    pub out: PathBuf,
    /// Seed for the folds.
    #[arg(long, default_value_t = 11)]
    pub seed: u64,
    /// Score NewsSD-ENG test with the model written: once, for the final model, since no
    /// setting may be chosen on it.
    #[arg(long)]
    pub newssd_test: bool,
    /// Write the cross-validated prediction of every labelled sentence here (TSV).
    #[arg(long)]
    pub predictions: Option<PathBuf>,
}

/// Weights below this are dropped (in training and in the file alike, so that the
/// cross-validated figure is the shipped model's).
const PRUNE: f64 = 0.005;
/// The factual thresholds the cross-validation tries: below 1/2 a sentence stays a claim
/// when factual is likely without being the likeliest kind.
/// The floor on cross-validated factual-claim F1 (the target; the score counts only
/// factual sentences).
const MIN_FACTUAL_F1: f64 = 0.80;
const FACTUAL_THRESHOLDS: [f64; 11] = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

struct Label {
    id: String,
    set: String,
    doc: String,
    path: String,
    start: usize,
    end: usize,
    kind: ClaimKind,
}

fn read_labels(path: &Path) -> Result<Vec<Label>> {
    super::labels::read_rows(path)?
        .iter()
        .map(|row| {
            let kind = row
                .get("kind")
                .parse::<ClaimKind>()
                .map_err(|e| anyhow::anyhow!("{}: {e}", row.at()))?;
            Ok(Label {
                id: row.get("id"),
                set: row.get("set"),
                doc: row.get("doc"),
                path: row.get("path"),
                start: row.num("start")?,
                end: row.num("end")?,
                kind,
            })
        })
        .collect()
}

/// NewsSD-ENG sentences with `true` for OBJ.
fn read_newssd(path: &Path) -> Result<Vec<(String, bool)>> {
    let mut r =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let mut out = Vec::new();
    for (n, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: record {}", path.display(), n + 1))?;
        let obj = match rec.get(1) {
            Some("OBJ") => true,
            Some("SUBJ") => false,
            other => bail!("{}: record {}: label {other:?}", path.display(), n + 1),
        };
        out.push((rec.get(0).unwrap_or_default().trim().to_string(), obj));
    }
    Ok(out)
}

/// The features of sentence `i` of an analysed text.
fn features_of(text: &str, a: &Analysis, i: usize, standalone: bool, f: &mut Features) {
    let sig = document_signals(&a.segmented, &a.extraction);
    let sig = sig.get(i).copied().unwrap_or(0);
    Featurizer::default().features(text, &a.segmented, &a.extraction, i, sig, standalone, f);
}

/// A NewsSD-ENG sentence analysed alone: the features of its longest segmenter sentence
/// (one in nearly every case).
fn standalone_features(text: &str, res: &Resources, f: &mut Features) {
    let a = analyze(text, res);
    let longest = (0..a.segmented.sentences.len()).max_by_key(|&i| {
        let s = a.segmented.sentences[i].span;
        (s.end - s.start, usize::MAX - i)
    });
    match longest {
        Some(i) => features_of(text, &a, i, true, f),
        None => f.clear(),
    }
}

struct Located {
    /// Feature names of each label, in label order.
    names: Vec<Vec<String>>,
    /// Labels whose span is exactly one segmenter sentence.
    exact: usize,
    /// Labels found in no sentence.
    missing: usize,
    /// Texts and analyses of the articles, for the speed measurement.
    docs: Vec<(String, Analysis)>,
}

/// Each label's sentence found in its article (the segmenter sentence overlapping the
/// labelled span most), with its features in context.
fn locate(labels: &[Label], shared: &Path, res: &Resources) -> Result<Located> {
    let mut by_path: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, l) in labels.iter().enumerate() {
        by_path.entry(l.path.as_str()).or_default().push(i);
    }
    // (label, feature names, exactly one sentence) per label of the article.
    type PerDoc = (Vec<(usize, Vec<String>, bool)>, String, Analysis);
    let per_doc: Vec<PerDoc> = by_path
        .par_iter()
        .map(|(p, idx)| -> Result<PerDoc> {
            let file = shared.join(p);
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let a = analyze(&text, res);
            let bytes = crate::text::byte_offsets_of_chars(&text);
            let sig = document_signals(&a.segmented, &a.extraction);
            let mut fz = Featurizer::default();
            let mut rows = Vec::new();
            for &k in idx {
                let l = &labels[k];
                let (Some(&a0), Some(&b0)) = (bytes.get(l.start), bytes.get(l.end)) else {
                    bail!(
                        "{}: offsets {}..{} past the end of {p}",
                        l.id,
                        l.start,
                        l.end
                    );
                };
                let best = a
                    .segmented
                    .sentences
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.span.end.min(b0).saturating_sub(s.span.start.max(a0)), i))
                    .filter(|(ov, _)| *ov > 0)
                    .max_by_key(|&(ov, i)| (ov, usize::MAX - i));
                let Some((_, i)) = best else {
                    rows.push((k, Vec::new(), false));
                    continue;
                };
                let sp = a.segmented.sentences[i].span;
                let exact = sp.start == a0 && sp.end == b0;
                let mut f = Features::with_names();
                fz.features(&text, &a.segmented, &a.extraction, i, sig[i], false, &mut f);
                rows.push((k, f.names.unwrap_or_default(), exact));
            }
            Ok((rows, text, a))
        })
        .collect::<Result<_>>()?;
    let mut names = vec![Vec::new(); labels.len()];
    let (mut exact, mut missing) = (0, 0);
    let mut docs = Vec::new();
    for (rows, text, a) in per_doc {
        for (k, f, ex) in rows {
            exact += usize::from(ex);
            missing += usize::from(f.is_empty());
            names[k] = f;
        }
        docs.push((text, a));
    }
    Ok(Located {
        names,
        exact,
        missing,
        docs,
    })
}

fn class_of(k: ClaimKind) -> usize {
    ClaimKind::ALL.iter().position(|&c| c == k).unwrap_or(0)
}

/// One setting of the search.
#[derive(Clone, Copy)]
struct Setting {
    params: Params,
    /// NewsSD-ENG train+val's share in training ([`NEWSSD_SHARES`]).
    newssd: f64,
}

/// Consecutive NewsSD-ENG sentences kept in one cross-validation fold.
const NEWSSD_BLOCK: usize = 40;

/// NewsSD-ENG's weight in training, as a share of its sentences: every second, all, each
/// twice.
const NEWSSD_SHARES: [f64; 3] = [0.5, 1.0, 2.0];

/// The NewsSD-ENG examples a training set takes at `share`: every `1/share`-th below 1, each
/// `share` times from 1.
fn newssd_mix<'a>(ex: &[&'a Example], share: f64) -> Vec<&'a Example> {
    if share <= 0.0 {
        return Vec::new();
    }
    if share < 1.0 {
        let step = (1.0 / share).round() as usize;
        return ex.iter().step_by(step).copied().collect();
    }
    let times = share.round() as usize;
    ex.iter()
        .flat_map(|e| std::iter::repeat_n(*e, times))
        .collect()
}

/// NewsSD-ENG's objective/subjective macro-F1 of probabilities: objective when factual
/// reaches `threshold` (the model's decision), subjective otherwise.
fn newssd_macro_f1(nsd: &[Example], prob: &[[f64; 3]], threshold: f64) -> f64 {
    learn::prf(&newssd_pairs(nsd, prob, threshold), 2).1
}

/// (gold, predicted) of NewsSD-ENG sentences, 0 objective and 1 subjective.
fn newssd_pairs(nsd: &[Example], prob: &[[f64; 3]], threshold: f64) -> Vec<(usize, usize)> {
    nsd.iter()
        .zip(prob)
        .map(|(e, p)| (usize::from(e.label != 0), usize::from(p[0] < threshold)))
        .collect()
}

/// A setting's cross-validated scores at the factual threshold chosen for it.
struct Scored {
    threshold: f64,
    macro_f1: f64,
    factual_f1: f64,
    opinion_f1: f64,
    nsd_macro_f1: f64,
    /// NewsSD-ENG's best macro-F1 over the thresholds, and that threshold.
    nsd_best: (f64, f64),
    /// The team labels' out-of-fold kinds.
    pred: Vec<usize>,
    /// NewsSD-ENG's out-of-fold (gold, predicted), objective 0 and subjective 1.
    nsd_pairs: Vec<(usize, usize)>,
}

impl Scored {
    /// What the search maximises: the mean of the team's macro-F1 over the three kinds and
    /// NewsSD-ENG's over objective/subjective.
    fn objective(&self) -> f64 {
        (self.macro_f1 + self.nsd_macro_f1) / 2.0
    }
}

/// The factual threshold for out-of-fold probabilities: the best [`Scored::objective`] among
/// the thresholds that keep factual-claim F1 at least [`MIN_FACTUAL_F1`] (any threshold when
/// none does; ties to the lower threshold, which keeps more claims).
fn score_setting(
    team: &[Example],
    prob: &[[f64; 3]],
    nsd: &[Example],
    nsd_prob: &[[f64; 3]],
) -> Scored {
    let mut best: Option<Scored> = None;
    for t in FACTUAL_THRESHOLDS {
        let pred: Vec<usize> = prob
            .iter()
            .map(|p| class_of(claims::decide(p, t).0))
            .collect();
        let pairs: Vec<(usize, usize)> =
            team.iter().zip(&pred).map(|(e, p)| (e.label, *p)).collect();
        let (per, macro_f1, _) = learn::prf(&pairs, 3);
        let s = Scored {
            threshold: t,
            macro_f1,
            factual_f1: per[0].2,
            opinion_f1: per[1].2,
            nsd_macro_f1: newssd_macro_f1(nsd, nsd_prob, t),
            nsd_best: (0.0, 0.0),
            pred,
            nsd_pairs: newssd_pairs(nsd, nsd_prob, t),
        };
        let key = |s: &Scored| (s.factual_f1 >= MIN_FACTUAL_F1, s.objective());
        if best.as_ref().is_none_or(|b| key(&s) > key(b)) {
            best = Some(s);
        }
    }
    let mut best = best.expect("a threshold keeps factual F1");
    for t in (1..20).map(|i| f64::from(i) / 20.0) {
        let m = newssd_macro_f1(nsd, nsd_prob, t);
        if m > best.nsd_best.0 {
            best.nsd_best = (m, t);
        }
    }
    best
}

fn report_scores(out: &mut String, title: &str, pairs: &[(usize, usize)]) -> (f64, f64) {
    let (per, macro_f1, acc) = learn::prf(pairs, ClaimKind::ALL.len());
    out.push_str(&format!(
        "  {title}: n {}, macro-F1 {macro_f1:.3}, accuracy {acc:.3}\n",
        pairs.len()
    ));
    for (k, (p, r, f1, n)) in ClaimKind::ALL.iter().zip(&per) {
        out.push_str(&format!(
            "    {:<8} P {p:.3} R {r:.3} F1 {f1:.3} (n {n})\n",
            k.as_str()
        ));
    }
    (macro_f1, per[0].2)
}

pub fn run(args: Args) -> Result<u8> {
    let labels = read_labels(&args.labels)?;
    if labels.is_empty() {
        bail!("no labels in {}", args.labels.display());
    }
    let res = Resources::embedded(ModelKind::Tagger)?;
    let located = locate(&labels, &args.shared, &res)?;
    let nsd_train: Vec<(String, bool)> = read_newssd(&args.newssd.join("train.csv"))?;
    // Sentences from here on are NewsSD-ENG's validation split.
    let nsd_val_from = nsd_train.len();
    let nsd_train: Vec<(String, bool)> = nsd_train
        .into_iter()
        .chain(read_newssd(&args.newssd.join("val.csv"))?)
        .collect();
    let nsd_names: Vec<Vec<String>> = nsd_train
        .par_iter()
        .map(|(t, _)| {
            let mut f = Features::with_names();
            standalone_features(t, &res, &mut f);
            f.names.unwrap_or_default()
        })
        .collect();

    let mut vocab = Vocabulary::default();
    let team: Vec<Example> = labels
        .iter()
        .zip(&located.names)
        .map(|(l, f)| Example {
            feats: f.iter().map(|n| vocab.id(n)).collect(),
            label: class_of(l.kind),
            group: l.doc.clone(),
        })
        .collect();
    let nsd_kept: Vec<usize> = (0..nsd_train.len())
        .filter(|&i| !nsd_names[i].is_empty())
        .collect();
    let nsd_in_val: Vec<bool> = nsd_kept.iter().map(|&i| i >= nsd_val_from).collect();
    let nsd: Vec<Example> = nsd_train
        .iter()
        .zip(&nsd_names)
        .enumerate()
        .filter(|(_, (_, f))| !f.is_empty())
        .map(|(i, ((_, obj), f))| Example {
            feats: f.iter().map(|n| vocab.id(n)).collect(),
            label: class_of(if *obj {
                ClaimKind::Factual
            } else {
                ClaimKind::Opinion
            }),
            // The files hold each article's sentences together, without article ids: blocks
            // of consecutive sentences stand in for articles, so that a fold's topics are
            // mostly unseen in training, as NewsSD-ENG test's are.
            group: format!("newssd-{}", i / NEWSSD_BLOCK),
        })
        .collect();
    let nfeat = vocab.names.len();
    let nc = ClaimKind::ALL.len();

    // The search: every setting cross-validated on the team's labels (folds by document) and
    // on NewsSD-ENG train+val (folds by blocks of sentences) at once: fold f trains on the team's other
    // folds and the chosen share of NewsSD's other folds, and predicts both held-out folds.
    let fold = learn::folds(&team, 5, args.seed);
    let nsd_fold = learn::folds(&nsd, 5, args.seed);
    let mut settings = Vec::new();
    for newssd in NEWSSD_SHARES {
        for l2 in [3.0, 10.0, 30.0] {
            for balance in [0.5, 1.0] {
                settings.push(Setting {
                    params: Params {
                        l2,
                        epochs: 300,
                        balance,
                        prune: PRUNE,
                    },
                    newssd,
                });
            }
        }
    }
    let results: Vec<Scored> = settings
        .par_iter()
        .map(|s| {
            let mut prob = vec![[0f64; 3]; team.len()];
            let mut nsd_prob = vec![[0f64; 3]; nsd.len()];
            for f in 0..5 {
                let nsd_tr: Vec<&Example> =
                    nsd.iter().filter(|e| nsd_fold[&e.group] != f).collect();
                let tr: Vec<&Example> = team
                    .iter()
                    .filter(|e| fold[&e.group] != f)
                    .chain(newssd_mix(&nsd_tr, s.newssd))
                    .collect();
                let w = learn::train(&tr, nfeat, nc, s.params, args.seed);
                for (i, e) in team.iter().enumerate() {
                    if fold[&e.group] == f {
                        learn::probs(&w, nc, &e.feats, &mut prob[i]);
                    }
                }
                for (i, e) in nsd.iter().enumerate() {
                    if nsd_fold[&e.group] == f {
                        learn::probs(&w, nc, &e.feats, &mut nsd_prob[i]);
                    }
                }
            }
            score_setting(&team, &prob, &nsd, &nsd_prob)
        })
        .collect();
    let mut best = 0;
    for (i, (s, r)) in settings.iter().zip(&results).enumerate() {
        super::diag!(
            "  newssd {} l2 {} balance {}: threshold {}, CV macro-F1 {:.3}, factual F1 {:.3}, opinion F1 {:.3}; NewsSD CV macro-F1 {:.3} (at its best threshold {}: {:.3})",
            s.newssd, s.params.l2, s.params.balance, r.threshold, r.macro_f1, r.factual_f1, r.opinion_f1, r.nsd_macro_f1, r.nsd_best.1, r.nsd_best.0
        );
        if r.objective() > results[best].objective() {
            best = i;
        }
    }
    let chosen = settings[best];
    let threshold = results[best].threshold;
    let pred = &results[best].pred;
    let mut report = format!(
        "claim kinds, 5-fold cross-validation by document on {} team labels ({} exactly one \
         segmenter sentence, {} not found); chosen: NewsSD-ENG share {}, l2 {}, epochs {}, balance {}, factual threshold {threshold}\n",
        labels.len(),
        located.exact,
        located.missing,
        chosen.newssd,
        chosen.params.l2,
        chosen.params.epochs,
        chosen.params.balance
    );
    for set in ["", "polnear-train", "bbc"] {
        let pairs: Vec<(usize, usize)> = labels
            .iter()
            .zip(&team)
            .zip(pred)
            .filter(|((l, _), _)| set.is_empty() || l.set == set)
            .map(|((_, e), p)| (e.label, *p))
            .collect();
        let (m, f1) = report_scores(
            &mut report,
            if set.is_empty() { "all" } else { set },
            &pairs,
        );
        if set.is_empty() {
            report.push_str(&format!(
                "    factual-claim F1 {f1:.3} (target >= 0.80), macro-F1 {m:.3}\n"
            ));
        }
    }
    let (per, m, acc) = learn::prf(&results[best].nsd_pairs, 2);
    report.push_str(&format!(
        "NewsSD-ENG train+val, 5-fold cross-validation by blocks of {NEWSSD_BLOCK} sentences (n {}), \
         factual as OBJ, the rest as SUBJ: macro-F1 {m:.3}, accuracy {acc:.3}; OBJ F1 {:.3}, SUBJ F1 {:.3}\n",
        results[best].nsd_pairs.len(),
        per[0].2,
        per[1].2
    ));
    if let Some(path) = &args.predictions {
        let mut out = String::from("id\tset\tdoc\tgold\tpredicted\n");
        for (l, p) in labels.iter().zip(pred) {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                l.id,
                l.set,
                l.doc,
                l.kind.as_str(),
                ClaimKind::ALL[*p].as_str()
            ));
        }
        std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    }

    // NewsSD-ENG's own split, as a second look at the chosen setting: trained on the team's
    // labels and NewsSD-ENG train, scored on its validation sentences (other articles).
    let nsd_tr: Vec<&Example> = nsd
        .iter()
        .zip(&nsd_in_val)
        .filter(|(_, v)| !**v)
        .map(|(e, _)| e)
        .collect();
    let tr: Vec<&Example> = team
        .iter()
        .chain(newssd_mix(&nsd_tr, chosen.newssd))
        .collect();
    let w = learn::train(&tr, nfeat, nc, chosen.params, args.seed);
    let mut val_prob = Vec::new();
    let mut val = Vec::new();
    for (e, _) in nsd.iter().zip(&nsd_in_val).filter(|(_, v)| **v) {
        let mut p = [0f64; 3];
        learn::probs(&w, nc, &e.feats, &mut p);
        val_prob.push(p);
        val.push(e.clone());
    }
    let (per, m, acc) = learn::prf(&newssd_pairs(&val, &val_prob, threshold), 2);
    report.push_str(&format!(
        "NewsSD-ENG val (n {}), trained on the team's labels and NewsSD-ENG train: macro-F1 {m:.3}, \
         accuracy {acc:.3}; OBJ F1 {:.3}, SUBJ F1 {:.3}\n",
        val.len(),
        per[0].2,
        per[1].2
    ));

    // The model: all team labels and the chosen share of NewsSD-ENG.
    let nsd_all: Vec<&Example> = nsd.iter().collect();
    let nsd_used = newssd_mix(&nsd_all, chosen.newssd);
    let all: Vec<&Example> = team.iter().chain(nsd_used.iter().copied()).collect();
    let w = learn::train(&all, nfeat, nc, chosen.params, args.seed);
    let header = format!(
        "# Claim-kind model (onrecord, data/models/claim-kinds.tsv): multinomial logistic regression\n\
         # over a sentence's lowercased words and bigrams, its evaluative words (data/lexicons/subjectivity.txt,\n\
         # intensifiers.txt) and the engine's signals (src/extract/claims.rs);\n\
         # kinds as docs/claims-guideline.md defines them. Trained on {} labelled sentences ({}) and\n\
         # {} examples of the {} NewsSD-ENG train+val sentences (OBJ factual, SUBJ opinion) by\n\
         # `onrecord train-claims --seed {}`; l2 {}, epochs {}, balance {} and the factual threshold\n\
         # (factual when P(factual) reaches it, else the likelier of opinion and other) chosen by 5-fold CV\n\
         # (team labels by document, NewsSD-ENG by blocks of {NEWSSD_BLOCK} sentences; factual F1 at least {MIN_FACTUAL_F1}).\n\
         # Format: a `classes` line, then `feature<TAB>w_factual<TAB>w_opinion<TAB>w_other`; a feature\n\
         # name is its parts joined by spaces, looked up by its feature_hash; rows under {PRUNE} left out.\n\
         {FACTUAL_THRESHOLD}\t{threshold}\n",
        labels.len(),
        args.labels.display(),
        nsd_used.len(),
        nsd.len(),
        args.seed,
        chosen.params.l2,
        chosen.params.epochs,
        chosen.params.balance
    );
    let classes: Vec<&str> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
    let text = learn::write_model(&header, &classes, &vocab, &w, PRUNE);
    let model = ClaimModel::parse(&text).map_err(|e| anyhow::anyhow!("written model: {e}"))?;

    // NewsSD-ENG test, when asked: factual -> OBJ, opinion or other -> SUBJ.
    if args.newssd_test {
        newssd_test(&args.newssd, &res, &model, &mut report)?;
    }

    // Speed of the classifier alone (signals, features, decision) on the labelled articles,
    // one thread, the pipeline's own work excluded.
    let bytes: usize = located.docs.iter().map(|(t, _)| t.len()).sum();
    let t0 = std::time::Instant::now();
    let mut n = 0usize;
    for _ in 0..3 {
        for (t, a) in &located.docs {
            n += model
                .classify_document(t, &a.segmented, &a.extraction)
                .len();
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    report.push_str(&format!(
        "speed, claim features and decision only: {:.1} MB/s on one thread ({} sentences, {:.1} MB x3)\n",
        3.0 * bytes as f64 / 1e6 / secs.max(1e-9),
        n / 3,
        bytes as f64 / 1e6
    ));

    let file = super::AtomicFile::create(&args.out)?;
    std::fs::write(file.path(), &text)
        .with_context(|| format!("writing {}", args.out.display()))?;
    file.commit()?;
    eprint!("{report}");
    super::diag!(
        "onrecord: wrote {} ({} bytes, {} features)",
        args.out.display(),
        text.len(),
        model_rows(&text)
    );
    Ok(super::EXIT_OK)
}

/// NewsSD-ENG test scored by `model` (factual as OBJ, the rest as SUBJ), into the report.
fn newssd_test(dir: &Path, res: &Resources, model: &ClaimModel, report: &mut String) -> Result<()> {
    let test = read_newssd(&dir.join("test.csv"))?;
    let pairs: Vec<(usize, usize)> = test
        .par_iter()
        .map(|(t, obj)| {
            let mut f = Features::default();
            standalone_features(t, res, &mut f);
            let factual = model.classify(&f).0 == ClaimKind::Factual;
            (usize::from(!obj), usize::from(!factual))
        })
        .collect();
    let (per, macro_f1, acc) = learn::prf(&pairs, 2);
    report.push_str(&format!(
        "NewsSD-ENG test (n {}), factual as OBJ, the rest as SUBJ: macro-F1 {macro_f1:.3} \
         (target >= 0.72), accuracy {acc:.3}; OBJ F1 {:.3}, SUBJ F1 {:.3}\n",
        pairs.len(),
        per[0].2,
        per[1].2
    ));
    Ok(())
}

fn model_rows(text: &str) -> usize {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("classes"))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny labelled set in a temporary folder: two articles, NewsSD-ENG files.
    fn fixture(dir: &Path) -> Args {
        let texts = [
            "Budget vote\nThe council passed the budget 7-2 on Monday. This is a terrible idea.\n",
            "Rail strike\nThe union said drivers would strike. What happens next?\n",
        ];
        let mut labels =
            String::from("id\tset\tdoc\tpath\tstart\tend\tsentence\tkind\tlabeller\tnote\n");
        for (d, t) in texts.iter().enumerate() {
            std::fs::write(dir.join(format!("a{d}.txt")), t).unwrap();
            // Through the pipeline, whose segmenter the labels' offsets come from.
            let res = Resources::embedded(ModelKind::Tagger).unwrap();
            let seg = analyze(t, &res).segmented;
            for (k, s) in seg.sentences.iter().enumerate() {
                let kind = match (k, s.span.slice(t)) {
                    (0, _) => "other",
                    (_, x) if x.ends_with('?') => "other",
                    (_, x) if x.contains("terrible") => "opinion",
                    _ => "factual",
                };
                // Offsets in code points: these texts are ASCII.
                labels.push_str(&format!(
                    "S{d}{k}\tbbc\tdoc{d}\ta{d}.txt\t{}\t{}\t{}\t{kind}\tT\t\n",
                    s.span.start,
                    s.span.end,
                    s.span.slice(t)
                ));
            }
        }
        std::fs::write(dir.join("labels.tsv"), labels).unwrap();
        let nsd = "Sentence,Label,Solved conflict\n\"Prices rose 3% in May.\",OBJ,False\n\
                   \"This policy is a disgrace.\",SUBJ,False\n";
        for f in ["train.csv", "val.csv", "test.csv"] {
            std::fs::write(dir.join(f), nsd).unwrap();
        }
        Args {
            labels: dir.join("labels.tsv"),
            shared: dir.to_path_buf(),
            newssd: dir.to_path_buf(),
            out: dir.join("model.tsv"),
            seed: 3,
            predictions: Some(dir.join("pred.tsv")),
            newssd_test: true,
        }
    }

    #[test]
    fn the_model_is_written_the_same_on_a_rerun_and_parses() {
        let dir =
            std::env::temp_dir().join(format!("onrecord-train-claims-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        run(fixture(&dir)).unwrap();
        let first = std::fs::read(dir.join("model.tsv")).unwrap();
        run(fixture(&dir)).unwrap();
        assert_eq!(first, std::fs::read(dir.join("model.tsv")).unwrap());
        let text = String::from_utf8(first).unwrap();
        assert!(text.starts_with("# Claim-kind model"));
        assert!(!ClaimModel::parse(&text).unwrap().is_empty());
        // One prediction per label, after the header.
        let pred = std::fs::read_to_string(dir.join("pred.tsv")).unwrap();
        assert_eq!(pred.lines().count(), 1 + 6);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
