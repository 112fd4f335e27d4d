//! Attribution scoring: a faithful port of ../shared/eval/score_attributions.py (Python 3.11).
//!
//! Every figure is computed the way the Python scorer computes it, including its character
//! classes (`str.isspace`, `unicodedata.category(c)[0] == "P"`, `re` `\w`), so the two can be
//! diffed. See the Python docstring for the metric definitions; [`super::report`] prints them.
//!
//! Below this module: [`super::brat`] (gold) and [`super::predictions`] read the inputs,
//! `align` matches and forms the sets, `python` holds Python's text rules; [`super::report`]
//! holds the figures.

use super::align::{char_set, inter_len, match_doc, set_f1, trimmed_segments, DocTokens};
use super::brat::{self, GoldAttribution, GoldDoc};
use super::predictions::{read_predictions_with_warnings, PredAttribution};
use super::python::PyClasses;
use super::report::{Counts, DocCounts, MatchedPairs, Prf, Report};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// Spans of role `ROLES[r]`, for gold and predicted attributions alike.
trait Roles {
    fn role(&self, r: usize) -> &[(usize, usize)];
}

impl Roles for PredAttribution {
    fn role(&self, r: usize) -> &[(usize, usize)] {
        [&self.source, &self.cue, &self.content][r]
    }
}

impl Roles for GoldAttribution {
    fn role(&self, r: usize) -> &[(usize, usize)] {
        [&self.source, &self.cue, &self.content][r]
    }
}

/// Score predictions against gold (documents in `gold` order; prediction documents not in the
/// gold are ignored). Counts of unknown documents, warnings and input paths are not known here:
/// set them on the report (see [`score_files`], which does what the Python script's main does).
pub fn score(gold: &[GoldDoc], preds: &BTreeMap<String, Vec<PredAttribution>>) -> Report {
    let (mut n_gold, mut n_pred, mut n_match) = (0usize, 0usize, 0usize);
    let (mut src_exact, mut src_overlap) = (0usize, 0usize);
    let (mut src_exact_gold_nonempty, mut n_gold_nonempty_src) = (0usize, 0usize);
    let mut content_f1_sum = 0.0f64;
    let mut tok = [[0usize; 3]; 3]; // per role: tp, pred, gold
    let mut span_exact = [[0usize; 3]; 3];
    let mut source_types: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_doc = BTreeMap::new();
    let mut docs_with_predictions = 0;
    let no_preds = Vec::new();
    let py = PyClasses::compile();
    for g in gold {
        let chars: Vec<char> = g.text.chars().collect();
        let gatts = &g.attributions;
        let patts = match preds.get(&g.doc) {
            Some(p) => {
                docs_with_predictions += 1;
                p
            }
            None => &no_preds,
        };
        n_gold += gatts.len();
        n_pred += patts.len();
        for a in patts {
            let key = a.source_type.as_deref().unwrap_or("null");
            *source_types.entry(key.to_string()).or_default() += 1;
        }
        let pairs = match_doc(gatts, patts, &chars);
        n_match += pairs.len();
        let toks = DocTokens::new(&g.text, chars.len(), &py);
        for &(gi, pi) in &pairs {
            let (ga, pa) = (&gatts[gi], &patts[pi]);
            let gs = char_set(&ga.source, &chars, Some(&py));
            let ps = char_set(&pa.source, &chars, Some(&py));
            let exact = gs == ps;
            src_exact += usize::from(exact);
            src_overlap += usize::from(inter_len(&gs, &ps) > 0 || (gs.is_empty() && ps.is_empty()));
            if !gs.is_empty() {
                n_gold_nonempty_src += 1;
                src_exact_gold_nonempty += usize::from(exact);
            }
            content_f1_sum += set_f1(&toks.tokens(&ga.content), &toks.tokens(&pa.content));
        }
        let mut marks = vec![0u8; toks.n];
        for r in 0..3 {
            marks.iter_mut().for_each(|m| *m = 0);
            for a in gatts {
                toks.mark(a.role(r), |t| marks[t as usize] |= 1);
            }
            for a in patts {
                toks.mark(a.role(r), |t| marks[t as usize] |= 2);
            }
            for &m in &marks {
                tok[r][0] += usize::from(m == 3);
                tok[r][1] += usize::from(m & 2 != 0);
                tok[r][2] += usize::from(m & 1 != 0);
            }
            let ge: BTreeSet<(usize, usize)> = gatts
                .iter()
                .flat_map(|a| trimmed_segments(a.role(r), &chars))
                .collect();
            let pe: BTreeSet<(usize, usize)> = patts
                .iter()
                .flat_map(|a| trimmed_segments(a.role(r), &chars))
                .collect();
            span_exact[r][0] += ge.intersection(&pe).count();
            span_exact[r][1] += pe.len();
            span_exact[r][2] += ge.len();
        }
        per_doc.insert(
            g.doc.clone(),
            DocCounts {
                gold: gatts.len(),
                pred: patts.len(),
                matched: pairs.len(),
            },
        );
    }
    let ratio = |a: f64, n: usize| if n > 0 { a / n as f64 } else { 0.0 };
    Report {
        counts: Counts {
            docs: gold.len(),
            docs_with_predictions,
            gold_attributions: n_gold,
            pred_attributions: n_pred,
            unknown_pred_docs: Vec::new(),
        },
        attribution: Prf::new(n_match, n_pred, n_gold),
        matched_pairs: MatchedPairs {
            n: n_match,
            source_exact: ratio(src_exact as f64, n_match),
            source_overlap: ratio(src_overlap as f64, n_match),
            source_exact_where_gold_has_source: ratio(
                src_exact_gold_nonempty as f64,
                n_gold_nonempty_src,
            ),
            n_where_gold_has_source: n_gold_nonempty_src,
            content_token_f1: ratio(content_f1_sum, n_match),
        },
        token: tok.map(|[tp, p, g]| Prf::new(tp, p, g)),
        exact_span: span_exact.map(|[tp, p, g]| Prf::new(tp, p, g)),
        pred_source_types: source_types,
        per_doc,
        gold_path: None,
        pred_path: None,
        warnings: Vec::new(),
    }
}

/// What `score_attributions.py --gold DIR --pred FILE` does: read both, score, and fill in the
/// unknown documents, warnings (gold reader's, then the predictions reader's) and absolute paths.
pub fn score_files(gold_dir: &Path, pred_path: &Path) -> Result<Report> {
    let mut warnings = Vec::new();
    let gold = brat::read_split(gold_dir, &mut warnings)?;
    let (preds, unknown) = read_predictions_with_warnings(pred_path, &gold, &mut warnings)?;
    let mut report = score(&gold, &preds);
    report.set_unknown_pred_docs(unknown);
    report.warnings = warnings;
    report.gold_path = Some(abspath(gold_dir));
    report.pred_path = Some(abspath(pred_path));
    Ok(report)
}

/// Python's `os.path.abspath`: joined to the working directory and normalised lexically.
pub fn abspath(p: &Path) -> String {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::path::PathBuf;

    fn data(p: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/eval")
            .join(p)
    }

    /// `../shared/polnear/dev` beside the crate; the check fails, loudly, where it is absent.
    fn dev_split() -> PathBuf {
        let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/polnear/dev");
        assert!(d.join("text").is_dir(), "{} is absent: this test reads the shared data (PolNeAR, the BBC corpus); place ../shared beside the crate, as .ci/run expects", d.display());
        d
    }

    fn load_json(p: &Path) -> Value {
        let s = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// Every key and figure of the Python --json output equals ours (floats to 1e-12), except the
    /// input paths in "config" (stored relative to the crate; ours are as given).
    fn assert_same(rust: &Value, py: &Value, at: &str) {
        match (rust, py) {
            (Value::Object(a), Value::Object(b)) => {
                let ka: Vec<&String> = a.keys().collect();
                let mut kb: Vec<&String> = b.keys().collect();
                kb.sort();
                assert_eq!(ka, kb, "keys differ at {at}");
                for (k, v) in a {
                    if at == "/config" && (k == "gold" || k == "pred") {
                        continue;
                    }
                    assert_same(v, &b[k], &format!("{at}/{k}"));
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                assert_eq!(a.len(), b.len(), "lengths differ at {at}");
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    assert_same(x, y, &format!("{at}/{i}"));
                }
            }
            (Value::Number(a), Value::Number(b)) => {
                if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
                    assert_eq!(x, y, "at {at}");
                } else {
                    let (x, y) = (
                        a.as_f64().unwrap_or(f64::NAN),
                        b.as_f64().unwrap_or(f64::NAN),
                    );
                    assert!((x - y).abs() < 1e-12, "at {at}: rust {x} python {y}");
                }
            }
            _ => assert_eq!(rust, py, "at {at}"),
        }
    }

    /// The hand-made corpus of ../shared/eval/test_scorer.sh with its hand-computed figures,
    /// and the Python scorer's output on it (tests/data/eval/mini, produced offline).
    #[test]
    fn mini_corpus_matches_hand_computed_and_python() {
        let r = score_files(&data("mini"), &data("mini/pred.jsonl")).expect("mini corpus scores");
        assert_eq!(
            (
                r.counts.docs,
                r.counts.gold_attributions,
                r.counts.pred_attributions
            ),
            (2, 3, 3)
        );
        assert_eq!(r.counts.unknown_pred_docs, ["zzz"]);
        assert_eq!(r.counts.docs_with_predictions, 1);
        assert_eq!(r.attribution.tp, 2);
        assert!((r.attribution_f1() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(
            (r.matched_pairs.source_exact, r.matched_pairs.source_overlap),
            (0.5, 1.0)
        );
        assert!((r.matched_pairs.content_token_f1 - (2.0 * 3.0 / 9.0 + 1.0) / 2.0).abs() < 1e-9);
        let t = |role| r.token(role).map(|p| (p.tp, p.pred, p.gold));
        assert_eq!(t("cue"), Some((2, 4, 3)));
        assert_eq!(t("source"), Some((2, 2, 3)));
        assert_eq!(t("content"), Some((7, 7, 13)));
        assert_eq!(r.pred_source_types.get("named"), Some(&1));
        assert_eq!(r.pred_source_types.get("null"), Some(&2));
        assert_same(
            &r.to_json_per_doc(),
            &load_json(&data("mini/python.json")),
            "",
        );
        let table = std::fs::read_to_string(data("mini/python_table.txt")).unwrap_or_default();
        assert_eq!(r.table(), table.trim_end_matches('\n'));
    }

    /// Agreement with the Python scorer on PolNeAR dev: gold as predictions (char and byte
    /// offsets), no predictions, and degraded predictions for eight documents (fixtures made
    /// offline with make_degraded.py and score_attributions.py --json --per-doc).
    #[test]
    fn agrees_with_python_scorer_on_polnear_dev() {
        let dev = dev_split();
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = Vec::new();
        let gold = brat::read_split(&dev, &mut w).expect("dev gold");
        // gold -> predictions as brat_to_pred.py writes them
        let (mut char_lines, mut byte_lines) = (String::new(), String::new());
        for g in &gold {
            let cum = crate::text::byte_offsets_of_chars(&g.text);
            let atts = |f: &dyn Fn(usize) -> usize| -> Vec<Value> {
                g.attributions
                    .iter()
                    .map(|a| {
                        let sp = |v: &[(usize, usize)]| {
                            v.iter().map(|&(s, e)| [f(s), f(e)]).collect::<Vec<_>>()
                        };
                        serde_json::json!({"source": sp(&a.source), "cue": sp(&a.cue),
                                           "content": sp(&a.content), "source_type": null})
                    })
                    .collect()
            };
            char_lines += &format!(
                "{}\n",
                serde_json::json!({"doc": g.doc, "attributions": atts(&|i| i)})
            );
            byte_lines += &format!(
                "{}\n",
                serde_json::json!({"doc": g.doc, "offset_unit": "byte", "attributions": atts(&|i| cum[i])})
            );
        }
        let cases = [
            ("gold.jsonl", char_lines, "dev_gold_as_pred.python.json"),
            (
                "gold_bytes.jsonl",
                byte_lines,
                "dev_gold_as_pred.python.json",
            ),
            ("empty.jsonl", String::new(), "dev_empty.python.json"),
        ];
        for (name, content, py) in cases {
            let p = dir.path().join(name);
            std::fs::write(&p, content).expect("write");
            let r = score_files(&dev, &p).expect("scores");
            assert_same(&r.to_json_per_doc(), &load_json(&data(py)), "");
        }
        let r = score_files(&dev, &data("dev_subset_degraded.jsonl")).expect("scores");
        assert_same(
            &r.to_json_per_doc(),
            &load_json(&data("dev_subset_degraded.python.json")),
            "",
        );
        let table = std::fs::read_to_string(data("dev_subset_degraded.python_table.txt"))
            .unwrap_or_default();
        assert_eq!(r.table(), table.trim_end_matches('\n'));
    }

    /// By hand: EVAL_GOLD=dir EVAL_PRED=file EVAL_OUT=prefix cargo test --release --lib
    /// dump_report -- --ignored; writes PREFIX.json (--json --per-doc) and PREFIX.txt (table).
    #[test]
    #[ignore]
    fn dump_report() {
        let var = |k| std::env::var(k).unwrap_or_else(|_| panic!("set {k}"));
        let t = std::time::Instant::now();
        let r = score_files(Path::new(&var("EVAL_GOLD")), Path::new(&var("EVAL_PRED")))
            .expect("scores");
        eprintln!("read + scored in {:?}", t.elapsed());
        let out = var("EVAL_OUT");
        std::fs::write(format!("{out}.json"), r.to_json_per_doc().to_string()).expect("write json");
        std::fs::write(format!("{out}.txt"), r.table() + "\n").expect("write table");
    }
}
