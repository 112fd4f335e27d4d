//! `onrecord train-patterns`: train the source-type model on the team's labels (data/labels/),
//! choose its settings by 5-fold cross-validation over documents, print the cross-validated
//! figures, and write data/models/source-types.tsv. Deterministic: the same labels give the
//! same bytes.

use crate::doc::Span;
use crate::extract::learn::{self, Example, Params, Vocabulary};
use crate::extract::sourcetype::{Features, TypeModel, CLASSES, NC};
use crate::extract::{Attribution, Extractor, ModelKind, SourceType};
use crate::lexicon::Lexicons;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Train the source-type classifier on labelled Source spans.
///
/// onrecord train-patterns --labels data/labels/source-types.tsv --shared ../shared \
///   --out data/models/source-types.tsv
#[derive(clap::Args)]
pub struct Args {
    /// Source-type labels (data/labels/source-types.tsv: path, source and cue offsets in code
    /// points, source_type).
    #[arg(long, default_value = "data/labels/source-types.tsv")]
    pub labels: PathBuf,
    /// The folder the labels' `path` column is relative to.
    #[arg(long, default_value = "../shared")]
    pub shared: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "data/models/source-types.tsv")]
    pub out: PathBuf,
    /// Sentence labels for the uncertainty model (data/labels/uncertain.tsv).
    #[arg(long, default_value = "data/labels/uncertain.tsv")]
    pub sentences: PathBuf,
    /// Where to write the uncertainty model.
    #[arg(long, default_value = "data/models/uncertainty.tsv")]
    pub uncertainty_out: PathBuf,
    /// Write each label's out-of-fold prediction here (TSV), for error analysis.
    #[arg(long)]
    pub predictions: Option<PathBuf>,
    /// Seed for folds and example order.
    #[arg(long, default_value_t = 11)]
    pub seed: u64,
}

/// One labelled Source span.
struct Label {
    set: String,
    doc: String,
    path: String,
    source: (usize, usize),
    cue: Option<(usize, usize)>,
    ty: usize,
}

fn class_index(s: &str) -> Option<usize> {
    CLASSES.iter().position(|c| c.as_str() == s)
}

fn read_labels(path: &PathBuf) -> Result<Vec<Label>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .comment(Some(b'#'))
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let h = r.headers()?.clone();
    let col = |name: &str| -> Result<usize> {
        h.iter()
            .position(|c| c == name)
            .with_context(|| format!("{}: no column {name:?}", path.display()))
    };
    let (c_set, c_doc, c_path) = (col("set")?, col("doc")?, col("path")?);
    let (c_ss, c_se, c_cs, c_ce, c_ty) = (
        col("source_start")?,
        col("source_end")?,
        col("cue_start")?,
        col("cue_end")?,
        col("source_type")?,
    );
    let mut out = Vec::new();
    for (n, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: record {}", path.display(), n + 1))?;
        let num = |c: usize| -> Result<usize> {
            rec.get(c).unwrap_or("").parse().with_context(|| {
                format!(
                    "{}: record {}: column {} is not a number",
                    path.display(),
                    n + 1,
                    c + 1
                )
            })
        };
        let ty = rec.get(c_ty).unwrap_or("");
        let Some(ty) = class_index(ty) else {
            if ty == "none" {
                continue;
            }
            bail!(
                "{}: record {}: unknown source_type {ty:?}",
                path.display(),
                n + 1
            );
        };
        let cue = match (num(c_cs), num(c_ce)) {
            (Ok(a), Ok(b)) => Some((a, b)),
            _ => None,
        };
        out.push(Label {
            set: rec.get(c_set).unwrap_or("").to_string(),
            doc: rec.get(c_doc).unwrap_or("").to_string(),
            path: rec.get(c_path).unwrap_or("").to_string(),
            source: (num(c_ss)?, num(c_se)?),
            cue,
            ty,
        });
    }
    Ok(out)
}

/// A labelled example: its features' names, whether the extractor found the source, and the
/// type the annotation gave it (the rules', or the model's when one was given).
struct Sample {
    label: usize,
    names: Vec<String>,
    detected: bool,
    typed: usize,
    set: String,
    doc: String,
}

impl Sample {
    /// The model decides this source's type: it is not a pronoun or short name resolved to an
    /// earlier entity, which takes that entity's type.
    fn decided(&self) -> bool {
        !self.names.iter().any(|n| n.starts_with("antecedent= "))
    }
}

/// Features of every label of one document, computed as `extract` would: on the extractor's
/// source span that overlaps the label most, or on the labelled span where none does; typed
/// by `model` (`None`: the rules).
fn document_samples(
    text: &str,
    labels: &[&Label],
    lex: &Lexicons,
    tagger: &Extractor,
    model: Option<&TypeModel>,
) -> Vec<Sample> {
    let bytes = crate::text::byte_offsets_of_chars(text);
    let to_bytes = |(a, b): (usize, usize)| {
        Span::new(bytes[a.min(bytes.len() - 1)], bytes[b.min(bytes.len() - 1)])
    };
    let seg = crate::segment::segment(text, lex.splitter());
    let lowered = crate::lexicon::LowerTokens::new(text, &seg.tokens);
    let lw = lowered.words(&seg.tokens, lex);
    let found = crate::extract::clauses::repair(
        crate::extract::find_attributions(text, &seg, &lw, tagger),
        &seg,
        &lw,
    );
    let n_found = found.len();
    let mut atts: Vec<(Attribution, usize)> =
        found.into_iter().enumerate().map(|(i, a)| (a, i)).collect();
    // Each label's attribution: the found one overlapping it most, else a new one.
    let mut of_label = Vec::new();
    for l in labels {
        let span = to_bytes(l.source);
        let ov = |a: &Attribution| -> usize {
            a.source
                .iter()
                .map(|s| s.end.min(span.end).saturating_sub(s.start.max(span.start)))
                .sum()
        };
        let best = atts[..n_found]
            .iter()
            .filter(|(a, _)| ov(a) > 0)
            .max_by_key(|(a, i)| (ov(a), std::cmp::Reverse(*i)))
            .map(|(_, i)| *i);
        match best {
            Some(i) => of_label.push((i, true)),
            None => {
                let cue = l.cue.map(to_bytes);
                let at = cue.unwrap_or(span).start;
                let sentence = seg
                    .sentences
                    .partition_point(|s| s.span.end <= at)
                    .min(seg.sentences.len().saturating_sub(1));
                let id = atts.len();
                atts.push((
                    Attribution {
                        cue: cue.into_iter().collect(),
                        source: vec![span],
                        content: Vec::new(),
                        source_type: SourceType::None,
                        source_entity: None,
                        anonymity: None,
                        confirmation: false,
                        sentence,
                    },
                    id,
                ));
                of_label.push((id, false));
            }
        }
    }
    atts.sort_by_key(|(a, i)| (a.cue.first().or(a.source.first()).map(|s| s.start), *i));
    let pos: BTreeMap<usize, usize> = atts.iter().enumerate().map(|(p, (_, i))| (*i, p)).collect();
    let mut feats: Vec<Features> = Vec::new();
    let typed = crate::extract::patterns::annotate_with(
        text,
        &seg,
        &lw,
        atts.into_iter().map(|(a, _)| a).collect(),
        tagger,
        model,
        Some(&mut feats),
    )
    .attributions;
    labels
        .iter()
        .zip(of_label)
        .map(|(l, (id, detected))| Sample {
            label: l.ty,
            names: feats[pos[&id]].names.clone().unwrap_or_default(),
            detected,
            typed: class_index(typed[pos[&id]].source_type.as_str()).unwrap_or(NC - 1),
            set: l.set.clone(),
            doc: l.doc.clone(),
        })
        .collect()
}

/// (gold, predicted) for the labels whose source the extractor found.
fn detected_pairs(samples: &[Sample], pred: &[usize]) -> Vec<(usize, usize)> {
    samples
        .iter()
        .zip(pred)
        .filter(|(s, _)| s.detected)
        .map(|(s, p)| (s.label, *p))
        .collect()
}

fn table(title: &str, pairs: &[(usize, usize)]) -> String {
    let (per, macro_f1, acc) = learn::prf(pairs, NC);
    let mut s = format!(
        "{title}: n {}, accuracy {acc:.3}, macro-F1 {macro_f1:.3}\n",
        pairs.len()
    );
    for (c, (p, r, f, n)) in per.iter().enumerate() {
        if *n > 0 {
            s.push_str(&format!(
                "  {:<15} P {p:.3} R {r:.3} F1 {f:.3} (gold {n})\n",
                CLASSES[c].as_str()
            ));
        }
    }
    s
}

/// The labelled documents and what annotating them needs.
struct Corpus<'a> {
    /// Each document's text and labels, in path order.
    docs: Vec<(String, Vec<&'a Label>)>,
    lexicons: &'a Lexicons,
    tagger: &'a Extractor,
}

impl Corpus<'_> {
    /// The samples of every document, in order, typed by `model` (`None`: the rules); with
    /// `only`, just the documents it keeps.
    fn samples(
        &self,
        model: Option<&TypeModel>,
        only: impl Fn(&str) -> bool + Sync,
    ) -> Vec<Sample> {
        self.docs
            .par_iter()
            .filter(|(_, ls)| ls.first().is_some_and(|l| only(&l.doc)))
            .map(|(text, ls)| document_samples(text, ls, self.lexicons, self.tagger, model))
            .collect::<Vec<_>>()
            .into_iter()
            .flatten()
            .collect()
    }
}

/// A model file's text for weights `w` (all features of at least `min_abs`).
fn model_text(header: &str, vocab: &Vocabulary, w: &[f64], min_abs: f64) -> String {
    let classes: Vec<&str> = CLASSES.iter().map(|c| c.as_str()).collect();
    learn::write_model(header, &classes, vocab, w, min_abs)
}

/// Out-of-fold types as the extractor gives them: each held-out document is annotated with
/// the model trained on the other folds, so that a pronoun or short name takes the learned
/// type of its entity, as it does at inference. In the order of `samples`.
fn cross_validate_inferred(
    corpus: &Corpus,
    samples: &[Sample],
    examples: &[Example],
    vocab: &Vocabulary,
    p: Params,
    seed: u64,
) -> Result<Vec<usize>> {
    let fold = learn::folds(examples, 5, seed);
    let mut pred = vec![0usize; samples.len()];
    for f in 0..5 {
        let train_set: Vec<&Example> = examples
            .iter()
            .zip(samples)
            .filter(|(e, s)| fold[&e.group] != f && s.decided())
            .map(|(e, _)| e)
            .collect();
        let w = learn::train(&train_set, vocab.names.len(), NC, p, seed);
        let model = TypeModel::parse(&model_text("", vocab, &w, p.prune.max(MIN_WEIGHT)))
            .map_err(anyhow::Error::msg)?;
        let held_out = corpus.samples(Some(&model), |doc| fold[doc] == f);
        let mut held = held_out.into_iter();
        for (s, p) in samples.iter().zip(pred.iter_mut()) {
            if fold[&s.doc] == f {
                *p = held
                    .next()
                    .context("fewer held-out samples than labels")?
                    .typed;
            }
        }
    }
    Ok(pred)
}

/// Weights below this are not written to the model file.
const MIN_WEIGHT: f64 = 0.001;

pub fn run(args: Args) -> Result<u8> {
    let labels = read_labels(&args.labels)?;
    let mut by_path: BTreeMap<&str, Vec<&Label>> = BTreeMap::new();
    for l in &labels {
        by_path.entry(l.path.as_str()).or_default().push(l);
    }
    // The embedded lists: the models written here are shipped with them.
    let lexicons = Lexicons::embedded();
    let tagger = Extractor::load(ModelKind::Tagger, &lexicons)?;
    let docs = by_path
        .into_iter()
        .map(|(p, ls)| {
            let file = args.shared.join(p);
            let text = std::fs::read_to_string(&file).with_context(|| {
                format!(
                    "reading {} (labelled in {})",
                    file.display(),
                    args.labels.display()
                )
            })?;
            Ok((text, ls))
        })
        .collect::<Result<Vec<_>>>()?;
    let corpus = Corpus {
        docs,
        lexicons: &lexicons,
        tagger: &tagger,
    };
    let samples = corpus.samples(None, |_| true);
    let mut vocab = Vocabulary::default();
    let examples: Vec<Example> = samples
        .iter()
        .map(|s| Example {
            feats: s.names.iter().map(|n| vocab.id(n)).collect(),
            label: s.label,
            group: s.doc.clone(),
        })
        .collect();
    let nfeat = vocab.names.len();
    super::diag!(
        "onrecord: {} labels in {} documents, {} features",
        examples.len(),
        corpus.docs.len(),
        nfeat
    );
    // Settings chosen by 5-fold cross-validated macro-F1 over the detected sources, typed as
    // the extractor types them.
    let mut grid = Vec::new();
    for l2 in [0.3, 1.0, 3.0] {
        for balance in [0.0, 0.5, 1.0] {
            grid.push(Params {
                l2,
                epochs: 300,
                balance,
                prune: 0.0,
            });
        }
    }
    let mut best: Option<(f64, Params, Vec<usize>)> = None;
    for &p in &grid {
        let pred = cross_validate_inferred(&corpus, &samples, &examples, &vocab, p, args.seed)?;
        let pairs = detected_pairs(&samples, &pred);
        let (_, macro_f1, acc) = learn::prf(&pairs, NC);
        super::diag!(
            "  l2 {:.0e} balance {} epochs {}: CV detected accuracy {acc:.3} macro-F1 {macro_f1:.3}",
            p.l2, p.balance, p.epochs
        );
        if best.as_ref().is_none_or(|(m, _, _)| macro_f1 > *m) {
            best = Some((macro_f1, p, pred));
        }
    }
    let Some((best_f1, mut params, mut pred)) = best else {
        bail!("no labels in {}", args.labels.display());
    };
    // The largest pruning that costs at most 0.003 of cross-validated macro-F1.
    for prune in [0.05, 0.1, 0.2] {
        let p = Params { prune, ..params };
        let pr = cross_validate_inferred(&corpus, &samples, &examples, &vocab, p, args.seed)?;
        let pairs = detected_pairs(&samples, &pr);
        let (_, macro_f1, acc) = learn::prf(&pairs, NC);
        super::diag!("  prune {prune}: CV detected accuracy {acc:.3} macro-F1 {macro_f1:.3}");
        if macro_f1 >= best_f1 - 0.003 {
            params = p;
            pred = pr;
        } else {
            break;
        }
    }
    let mut report = format!(
        "5-fold cross-validation over documents (l2 {:.0e}, balance {}, prune {}):\n",
        params.l2, params.balance, params.prune
    );
    for set in ["", "polnear-train", "bbc"] {
        let sel = |s: &&Sample| set.is_empty() || s.set == set;
        let detected: Vec<(usize, usize)> = samples
            .iter()
            .zip(&pred)
            .filter(|(s, _)| sel(s) && s.detected)
            .map(|(s, p)| (s.label, *p))
            .collect();
        // End to end: a label with no found source is wrong whatever its type.
        let e2e: Vec<(usize, usize)> = samples
            .iter()
            .zip(&pred)
            .filter(|(s, _)| sel(s))
            .map(|(s, p)| (s.label, if s.detected { *p } else { NC }))
            .collect();
        let name = if set.is_empty() { "all" } else { set };
        if detected.is_empty() {
            continue;
        }
        report.push_str(&table(&format!("{name}, detected sources"), &detected));
        let ok = e2e.iter().filter(|(g, p)| g == p).count();
        report.push_str(&format!(
            "{name}, end to end: n {}, accuracy {:.3}\n",
            e2e.len(),
            ok as f64 / e2e.len() as f64
        ));
    }
    if let Some(path) = &args.predictions {
        let mut out = String::from("doc\tdetected\tgold\tpredicted\tfeatures\n");
        for (s, p) in samples.iter().zip(&pred) {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\n",
                s.doc,
                s.detected,
                CLASSES[s.label].as_str(),
                CLASSES[*p].as_str(),
                s.names.join(" ")
            ));
        }
        std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    }
    // The rules' own verdict on the same sources, for comparison.
    let rule_pairs: Vec<(usize, usize)> = samples
        .iter()
        .filter(|s| s.detected)
        .map(|s| (s.label, s.typed))
        .collect();
    report.push_str(&table("rules alone, detected sources", &rule_pairs));
    print!("{report}");
    let all: Vec<&Example> = examples
        .iter()
        .zip(&samples)
        .filter(|(_, s)| s.decided())
        .map(|(e, _)| e)
        .collect();
    let w = learn::train(&all, nfeat, NC, params, args.seed);
    let header = format!(
        "# Source-type model (onrecord, data/models/source-types.tsv): multinomial logistic\n\
         # regression over the features of src/extract/sourcetype.rs, one row of weights per\n\
         # feature name. Trained on the {} of {} labels ({}) whose type it decides (not a\n\
         # pronoun or short name resolved to an earlier entity) by\n\
         #   onrecord train-patterns --labels {} --seed {}\n\
         # settings chosen by 5-fold cross-validation: l2 {:.0e}, balance {}, {} epochs, prune {}.\n",
        all.len(),
        examples.len(),
        args.labels.display(),
        args.labels.display(),
        args.seed,
        params.l2,
        params.balance,
        params.epochs,
        params.prune
    );
    let text = model_text(&header, &vocab, &w, params.prune.max(MIN_WEIGHT));
    let f = super::AtomicFile::create(&args.out)?;
    std::fs::write(f.path(), text.as_bytes())
        .with_context(|| format!("writing {}", args.out.display()))?;
    f.commit()?;
    super::diag!("onrecord: wrote {}", args.out.display());
    let lex = super::train_hedges::candidate_lexicon(&args.sentences)?;
    let lex_path = PathBuf::from("data/lexicons/hedge-candidates.txt");
    if std::fs::read_to_string(&lex_path).ok().as_deref() != Some(lex.as_str()) {
        std::fs::write(&lex_path, &lex)
            .with_context(|| format!("writing {}", lex_path.display()))?;
        super::diag!(
            "onrecord: wrote {} (rebuild, then run again)",
            lex_path.display()
        );
    }
    let (model, report) = super::train_hedges::train(
        &args.sentences,
        &args.shared,
        args.seed,
        &lexicons,
        &tagger,
        args.predictions
            .as_ref()
            .map(|p| p.with_extension("sentences.tsv"))
            .as_deref(),
    )?;
    print!("{report}");
    let f = super::AtomicFile::create(&args.uncertainty_out)?;
    std::fs::write(f.path(), model.as_bytes())
        .with_context(|| format!("writing {}", args.uncertainty_out.display()))?;
    f.commit()?;
    super::diag!("onrecord: wrote {}", args.uncertainty_out.display());
    Ok(super::EXIT_OK)
}
