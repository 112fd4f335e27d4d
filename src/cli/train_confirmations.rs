//! `onrecord train-confirmations`: the confirmation decision on data/labels/confirmations.tsv
//! (every confirm / verify / corroborate / acknowledge word of PolNeAR train and the
//! non-reserved BBC articles, labelled by reading the article). It measures the engine end to
//! end on those labels, cross-validates the learned decision over documents, and writes
//! data/models/confirmation.tsv. Deterministic: the same labels give the same bytes.

use crate::doc::Span;
use crate::extract::confirmation::{word_cases, WordCase, CLASSES};
use crate::extract::learn::{self, Example, Params, Vocabulary};
use crate::extract::{Extractor, ModelKind, SourceType};
use crate::lexicon::Lexicons;
use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Measure the engine's confirmations on the team's labels and train the confirmation
/// decision.
///
/// onrecord train-confirmations --labels data/labels/confirmations.tsv --shared ../shared \
///   --out data/models/confirmation.tsv
#[derive(clap::Args)]
pub struct Args {
    /// Confirmation labels (set, doc, path, word_start, word_end in code points,
    /// source_type, confirms, refusal).
    #[arg(long, default_value = "data/labels/confirmations.tsv")]
    pub labels: PathBuf,
    /// The folder the labels' `path` column is relative to.
    #[arg(long, default_value = "../shared")]
    pub shared: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "data/models/confirmation.tsv")]
    pub out: PathBuf,
    /// Only measure the engine as built (both extractors) end to end; train nothing.
    #[arg(long)]
    pub evaluate: bool,
    /// Seed for the folds.
    #[arg(long, default_value_t = 11)]
    pub seed: u64,
    /// Write each labelled word's out-of-fold class and the engine's types here (TSV), for
    /// error analysis.
    #[arg(long)]
    pub predictions: Option<PathBuf>,
}

/// One labelled confirm-family word.
struct Occurrence {
    set: String,
    doc: String,
    path: String,
    /// The word, in code points.
    word: (usize, usize),
    source_type: String,
    confirms: bool,
    refusal: bool,
    attribution: bool,
}

impl Occurrence {
    /// The class of [`CLASSES`] the labels give.
    fn class(&self) -> usize {
        if self.refusal {
            2
        } else {
            usize::from(self.confirms)
        }
    }
    fn by_named_official(&self) -> bool {
        self.confirms && self.source_type == SourceType::NamedOfficial.as_str()
    }
    fn by_named_source(&self) -> bool {
        self.confirms
            && [
                SourceType::NamedOfficial,
                SourceType::NamedPerson,
                SourceType::Organization,
            ]
            .iter()
            .any(|t| t.as_str() == self.source_type)
    }
}

fn read(path: &Path) -> Result<Vec<Occurrence>> {
    super::labels::read_rows(path)?
        .iter()
        .map(|row| {
            Ok(Occurrence {
                set: row.get("set"),
                doc: row.get("doc"),
                path: row.get("path"),
                word: (row.num("word_start")?, row.num("word_end")?),
                source_type: row.get("source_type"),
                confirms: row.get("confirms") == "1",
                refusal: row.get("refusal") == "1",
                attribution: row.get("is_attribution") == "1",
            })
        })
        .collect()
}

/// What the engine says about one labelled word: the attributions whose cue covers it.
#[derive(Default, Clone, Copy)]
struct Found {
    attribution: bool,
    confirmation: bool,
    by_named_official: bool,
}

/// Each occurrence's [`Found`] with `ex`, the documents in parallel.
fn end_to_end(
    occ: &[Occurrence],
    texts: &BTreeMap<String, String>,
    lex: &Lexicons,
    ex: &Extractor,
) -> Vec<Found> {
    let found: BTreeMap<&str, crate::extract::Extraction> = texts
        .par_iter()
        .map(|(p, text)| {
            let seg = crate::segment::segment(text, lex.splitter());
            (p.as_str(), crate::extract::extract(text, &seg, lex, ex))
        })
        .collect();
    occ.iter()
        .map(|o| {
            let text = &texts[&o.path];
            let word = word_span(text, o.word);
            let mut f = Found::default();
            for a in &found[o.path.as_str()].attributions {
                if a.cue.iter().any(|c| c.overlaps(&word)) {
                    f.attribution = true;
                    f.confirmation |= a.confirmation;
                    f.by_named_official |=
                        a.confirmation && a.source_type == SourceType::NamedOfficial;
                }
            }
            f
        })
        .collect()
}

/// The byte span of code points `(a, b)` of `text`.
fn word_span(text: &str, (a, b): (usize, usize)) -> Span {
    let bytes = crate::text::byte_offsets_of_chars(text);
    Span::new(bytes[a.min(bytes.len() - 1)], bytes[b.min(bytes.len() - 1)])
}

/// Precision, recall, F1 and the gold count of (gold, predicted) pairs.
fn prf(pairs: impl Iterator<Item = (bool, bool)>) -> String {
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    for (g, p) in pairs {
        tp += usize::from(g && p);
        np += usize::from(p);
        ng += usize::from(g);
    }
    let pr = if np > 0 { tp as f64 / np as f64 } else { 0.0 };
    let re = if ng > 0 { tp as f64 / ng as f64 } else { 0.0 };
    let f1 = if pr + re > 0.0 {
        2.0 * pr * re / (pr + re)
    } else {
        0.0
    };
    format!("P {pr:.3} R {re:.3} F1 {f1:.3} (gold {ng}, predicted {np})")
}

/// The end-to-end table of one extractor, per label set.
fn report_end_to_end(name: &str, occ: &[Occurrence], found: &[Found]) -> String {
    let mut s = format!("{name}, end to end:\n");
    for set in ["bbc", "polnear-train"] {
        let rows = || occ.iter().zip(found).filter(|(o, _)| o.set == set);
        s.push_str(&format!(
            "  {set:<13} confirms (any source)         {}\n",
            prf(rows().map(|(o, f)| (o.confirms, f.confirmation)))
        ));
        s.push_str(&format!(
            "  {set:<13} confirmed by a named source  {}\n",
            prf(rows().map(|(o, f)| (o.by_named_source(), f.confirmation)))
        ));
        s.push_str(&format!(
            "  {set:<13} confirmed by a named official {}\n",
            prf(rows().map(|(o, f)| (o.by_named_official(), f.by_named_official)))
        ));
        s.push_str(&format!(
            "  {set:<13} attribution on the word      {}\n",
            prf(rows().map(|(o, f)| (o.attribution, f.attribution)))
        ));
        s.push_str(&format!(
            "  {set:<13} refusals with an attribution, none confirmed: {} of {}\n",
            rows()
                .filter(|(o, f)| o.refusal && f.attribution && !f.confirmation)
                .count(),
            rows().filter(|(o, _)| o.refusal).count()
        ));
    }
    s
}

/// Each occurrence's word as the engine sees it (the [`WordCase`] whose word overlaps it;
/// `None` where the segmenter has no such word), with the default extractor.
fn cases(
    occ: &[Occurrence],
    texts: &BTreeMap<String, String>,
    lex: &Lexicons,
    ex: &Extractor,
) -> Vec<Option<WordCase>> {
    let mut by_path: BTreeMap<&str, Vec<WordCase>> = texts
        .par_iter()
        .map(|(p, text)| {
            let seg = crate::segment::segment(text, lex.splitter());
            (p.as_str(), word_cases(text, &seg, lex, ex))
        })
        .collect();
    occ.iter()
        .map(|o| {
            let word = word_span(&texts[&o.path], o.word);
            let in_doc = by_path.get_mut(o.path.as_str())?;
            let i = in_doc.iter().position(|c| c.span.overlaps(&word))?;
            Some(in_doc.swap_remove(i))
        })
        .collect()
}

/// The engine's verdicts on one occurrence given the decision's class: (confirms,
/// confirmed by a named source, confirmed by a named official). Only when `add`, a word no
/// attribution holds counts, and one whose attribution has no source takes the subject's.
fn verdicts(case: Option<&WordCase>, class: usize, add: bool) -> (bool, bool, bool) {
    let Some(c) = case else {
        return (false, false, false);
    };
    let ty = match (c.added, add) {
        (Some(t), true) => Some(t),
        _ => c.held,
    };
    let confirms = class == 1 && ty.is_some();
    let named = confirms
        && matches!(
            ty,
            Some(SourceType::NamedOfficial | SourceType::NamedPerson | SourceType::Organization)
        );
    (
        confirms,
        named,
        named && ty == Some(SourceType::NamedOfficial),
    )
}

/// The cross-validated table: the decision alone, then the engine's flags with it.
fn report_cv(occ: &[Occurrence], cases: &[Option<WordCase>], pred: &[usize], add: bool) -> String {
    let mut s = String::new();
    for set in ["bbc", "polnear-train"] {
        let rows = || {
            occ.iter()
                .zip(cases)
                .zip(pred)
                .filter(|((o, _), _)| o.set == set)
        };
        let rule = |c: &Option<WordCase>| {
            c.as_ref()
                .is_some_and(|c| c.names.iter().any(|n| n == "rule= 1"))
        };
        s.push_str(&format!(
            "  {set:<13} the word confirms (decision alone)  {}\n",
            prf(rows().map(|((o, _), p)| (o.confirms, *p == 1)))
        ));
        s.push_str(&format!(
            "  {set:<13}   rules alone                       {}\n",
            prf(rows().map(|((o, c), _)| (o.confirms, rule(c))))
        ));
        s.push_str(&format!(
            "  {set:<13} a refusal (decision alone)          {}\n",
            prf(rows().map(|((o, _), p)| (o.refusal, *p == 2)))
        ));
        s.push_str(&format!(
            "  {set:<13} confirms, end to end                {}\n",
            prf(rows().map(|((o, c), p)| (o.confirms, verdicts(c.as_ref(), *p, add).0)))
        ));
        s.push_str(&format!(
            "  {set:<13} confirmed by a named source         {}\n",
            prf(rows().map(|((o, c), p)| (o.by_named_source(), verdicts(c.as_ref(), *p, add).1)))
        ));
        s.push_str(&format!(
            "  {set:<13} confirmed by a named official       {}\n",
            prf(rows().map(|((o, c), p)| (o.by_named_official(), verdicts(c.as_ref(), *p, add).2)))
        ));
    }
    s
}

/// F1 of "confirmed by a named official" over all labels with these predictions.
fn official_f1(occ: &[Occurrence], cases: &[Option<WordCase>], pred: &[usize], add: bool) -> f64 {
    let (mut tp, mut np, mut ng) = (0.0, 0.0, 0.0);
    for ((o, c), p) in occ.iter().zip(cases).zip(pred) {
        let (g, q) = (o.by_named_official(), verdicts(c.as_ref(), *p, add).2);
        tp += f64::from(u8::from(g && q));
        np += f64::from(u8::from(q));
        ng += f64::from(u8::from(g));
    }
    if tp == 0.0 {
        0.0
    } else {
        2.0 * tp / (np + ng)
    }
}

pub fn run(args: Args) -> Result<u8> {
    let occ = read(&args.labels)?;
    if occ.is_empty() {
        bail!("no labelled words in {}", args.labels.display());
    }
    let texts = super::labels::read_texts(
        occ.iter().map(|o| o.path.as_str()),
        &args.labels,
        &args.shared,
    )?;
    let lexicons = Lexicons::embedded();
    let tagger = Extractor::load(ModelKind::Tagger, &lexicons)?;
    if args.evaluate {
        for kind in [ModelKind::Tagger, ModelKind::Rules] {
            let ex = Extractor::load(kind, &lexicons)?;
            let found = end_to_end(&occ, &texts, &lexicons, &ex);
            let name = match kind {
                ModelKind::Tagger => "--model tagger",
                ModelKind::Rules => "--model rules",
            };
            super::diag!("{}", report_end_to_end(name, &occ, &found));
        }
        return Ok(super::EXIT_OK);
    }
    let cases = cases(&occ, &texts, &lexicons, &tagger);
    let mut vocab = Vocabulary::default();
    let mut examples = Vec::new();
    for (o, c) in occ.iter().zip(&cases) {
        let names = c.iter().flat_map(|c| c.names.iter());
        examples.push(Example {
            feats: names.map(|n| vocab.id(n)).collect(),
            label: o.class(),
            group: o.doc.clone(),
        });
    }
    let nfeat = vocab.names.len();
    // Settings and whether to add attributions, by the cross-validated F1 of "confirms";
    // ties to the earlier (simpler) choice.
    let mut best: Option<(f64, Params, Vec<usize>)> = None;
    for l2 in [0.1, 0.3, 1.0, 3.0] {
        for balance in [0.0, 0.5] {
            let params = Params {
                l2,
                epochs: 300,
                balance,
                prune: 0.0,
            };
            let pred = learn::cross_validate(&examples, nfeat, CLASSES.len(), params, 5, args.seed);
            let f1 = learn::prf(
                &occ.iter()
                    .zip(&pred)
                    .map(|(o, p)| (usize::from(o.confirms), usize::from(*p == 1)))
                    .collect::<Vec<_>>(),
                2,
            )
            .0[1]
                .2;
            super::diag!("  confirmation l2 {l2} balance {balance}: CV F1 of confirms {f1:.3}");
            if best.as_ref().is_none_or(|(b, _, _)| f1 > *b) {
                best = Some((f1, params, pred));
            }
        }
    }
    let Some((_, params, pred)) = best else {
        bail!("no settings")
    };
    if let Some(path) = &args.predictions {
        let mut out =
            String::from("doc\tword_start\tgold\tpredicted\tgold_type\theld_type\tadded_type\n");
        let ty = |t: Option<SourceType>| t.map_or("-", SourceType::as_str);
        for ((o, c), p) in occ.iter().zip(&cases).zip(&pred) {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                o.doc,
                o.word.0,
                CLASSES[o.class()],
                CLASSES[*p],
                o.source_type,
                ty(c.as_ref().and_then(|c| c.held)),
                ty(c.as_ref().and_then(|c| c.added)),
            ));
        }
        std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    }
    let (without, with) = (
        official_f1(&occ, &cases, &pred, false),
        official_f1(&occ, &cases, &pred, true),
    );
    super::diag!(
        "confirmation, 5-fold cross-validation over documents (l2 {}, balance {}); types from the \
         engine's type model; words no attribution holds: F1 of confirmed by a named official \
         {without:.3} left alone, {with:.3} with an attribution added",
        params.l2,
        params.balance
    );
    for add in [false, true] {
        super::diag!(
            "{}:\n{}",
            if add {
                "with attributions added"
            } else {
                "without attributions added"
            },
            report_cv(&occ, &cases, &pred, add)
        );
    }
    let all: Vec<&Example> = examples.iter().collect();
    let w = learn::train(&all, nfeat, CLASSES.len(), params, args.seed);
    let header = format!(
        "# Confirmation model (onrecord, data/models/confirmation.tsv): logistic regression over a\n\
         # confirm / verify / corroborate / acknowledge word (src/extract/confirmation.rs): other,\n\
         # confirms, refuses. Trained on {} labelled words ({}) by `onrecord train-confirmations\n\
         # --seed {}`; l2 {}, balance {} chosen by 5-fold cross-validation over documents.\n\
         # add_unattributed: whether a word no attribution holds gets one (1 when CV says it helps).\n\
         add_unattributed\t{}\n",
        occ.len(),
        args.labels.display(),
        args.seed,
        params.l2,
        params.balance,
        u8::from(with > without)
    );
    let model = learn::write_model(&header, &CLASSES, &vocab, &w, 0.001);
    let f = super::AtomicFile::create(&args.out)?;
    std::fs::write(f.path(), &model).with_context(|| format!("writing {}", args.out.display()))?;
    f.commit()?;
    super::diag!(
        "onrecord: wrote {} ({} bytes)",
        args.out.display(),
        model.len()
    );
    Ok(super::EXIT_OK)
}
