//! The scorer's results, printed as score_attributions.py prints them (table and --json).

use super::ROLES;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Precision, recall and F1 with their counts (ratios are 0.0 when a denominator is 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub tp: usize,
    pub pred: usize,
    pub gold: usize,
}

impl Prf {
    /// Same arithmetic, in the same order, as the Python `prf`, so figures agree to the bit.
    pub fn new(tp: usize, pred: usize, gold: usize) -> Prf {
        let p = if pred > 0 {
            tp as f64 / pred as f64
        } else {
            0.0
        };
        let r = if gold > 0 {
            tp as f64 / gold as f64
        } else {
            0.0
        };
        let f1 = if p + r != 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            precision: p,
            recall: r,
            f1,
            tp,
            pred,
            gold,
        }
    }

    fn to_json(self) -> Value {
        json!({"precision": self.precision, "recall": self.recall, "f1": self.f1,
               "tp": self.tp, "pred": self.pred, "gold": self.gold})
    }
}

/// Figures over matched (gold, prediction) pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchedPairs {
    pub n: usize,
    pub source_exact: f64,
    pub source_overlap: f64,
    pub source_exact_where_gold_has_source: f64,
    pub n_where_gold_has_source: usize,
    pub content_token_f1: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    pub docs: usize,
    pub docs_with_predictions: usize,
    pub gold_attributions: usize,
    pub pred_attributions: usize,
    /// Sorted, distinct.
    pub unknown_pred_docs: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocCounts {
    pub gold: usize,
    pub pred: usize,
    pub matched: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub counts: Counts,
    pub attribution: Prf,
    pub matched_pairs: MatchedPairs,
    /// Token-level figures per role, in [`ROLES`] order (source, cue, content).
    pub token: [Prf; 3],
    /// Exact-span figures per role, in [`ROLES`] order.
    pub exact_span: [Prf; 3],
    /// Predicted `source_type` histogram; a null type counts as "null".
    pub pred_source_types: BTreeMap<String, usize>,
    pub per_doc: BTreeMap<String, DocCounts>,
    /// For the JSON "config" (absolute paths as Python's os.path.abspath gives them).
    pub gold_path: Option<String>,
    pub pred_path: Option<String>,
    pub warnings: Vec<String>,
}

fn role_index(role: &str) -> Option<usize> {
    ROLES.iter().position(|r| *r == role)
}

/// Python's `str.capitalize` for the role names (all ASCII).
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase(),
        None => String::new(),
    }
}

fn row(name: &str, t: &Prf) -> String {
    format!(
        "{name:<34}{:>8.3}{:>8.3}{:>8.3}{:>8}{:>8}{:>8}",
        t.precision, t.recall, t.f1, t.tp, t.pred, t.gold
    )
}

impl Report {
    pub fn attribution_f1(&self) -> f64 {
        self.attribution.f1
    }

    /// F1 of exact spans for "source", "cue" or "content" (0.0 for any other name).
    pub fn exact_span_f1(&self, role: &str) -> f64 {
        self.exact_span(role).map_or(0.0, |p| p.f1)
    }

    pub fn exact_span(&self, role: &str) -> Option<&Prf> {
        role_index(role).map(|i| &self.exact_span[i])
    }

    pub fn token(&self, role: &str) -> Option<&Prf> {
        role_index(role).map(|i| &self.token[i])
    }

    /// Record prediction documents that are not in the gold (stored sorted and distinct).
    pub fn set_unknown_pred_docs(&mut self, mut docs: Vec<String>) {
        docs.sort();
        docs.dedup();
        self.counts.unknown_pred_docs = docs;
    }

    /// The Python scorer's default output, line for line (no trailing newline, as `fmt_table`).
    pub fn table(&self) -> String {
        let c = &self.counts;
        let a = &self.attribution;
        let m = &self.matched_pairs;
        let mut lines = vec![
            format!(
                "docs (gold): {}   docs with predictions: {}   gold attributions: {}   predicted attributions: {}",
                c.docs, c.docs_with_predictions, c.gold_attributions, c.pred_attributions
            ),
            String::new(),
            format!(
                "{:<34}{:>8}{:>8}{:>8}{:>8}{:>8}{:>8}",
                "metric", "P", "R", "F1", "tp", "pred", "gold"
            ),
            row("attribution (cue overlap)", a),
        ];
        for (role, t) in ROLES.iter().zip(&self.token) {
            lines.push(row(&format!("token {}", capitalize(role)), t));
        }
        for (role, t) in ROLES.iter().zip(&self.exact_span) {
            lines.push(row(&format!("exact span {}", capitalize(role)), t));
        }
        lines.extend([
            String::new(),
            format!("matched pairs: {}", m.n),
            format!("  source exact-match rate          {:.3}", m.source_exact),
            format!(
                "  source exact (gold has source)   {:.3}  (n={})",
                m.source_exact_where_gold_has_source, m.n_where_gold_has_source
            ),
            format!("  source overlap rate              {:.3}", m.source_overlap),
            format!(
                "  content token-overlap F1 (mean)  {:.3}",
                m.content_token_f1
            ),
        ]);
        if !self.pred_source_types.is_empty() {
            let kv: Vec<String> = self
                .pred_source_types
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            lines.push(format!("predicted source_type counts: {}", kv.join(", ")));
        }
        let u = &c.unknown_pred_docs;
        if !u.is_empty() {
            let shown: Vec<&str> = u.iter().take(10).map(String::as_str).collect();
            lines.push(format!(
                "prediction docs not in gold (ignored): {}: {}{}",
                u.len(),
                shown.join(", "),
                if u.len() > 10 { " ..." } else { "" }
            ));
        }
        lines.join("\n")
    }

    /// The Python scorer's `--json` object (same keys and values; serde_json orders keys
    /// alphabetically).
    pub fn to_json(&self) -> Value {
        let c = &self.counts;
        let m = &self.matched_pairs;
        let per_role = |prfs: &[Prf; 3]| {
            let mut o = Map::new();
            for (role, p) in ROLES.iter().zip(prfs) {
                o.insert(role.to_string(), p.to_json());
            }
            Value::Object(o)
        };
        json!({
            "counts": {
                "docs": c.docs,
                "docs_with_predictions": c.docs_with_predictions,
                "gold_attributions": c.gold_attributions,
                "pred_attributions": c.pred_attributions,
                "unknown_pred_docs": c.unknown_pred_docs,
            },
            "attribution": self.attribution.to_json(),
            "matched_pairs": {
                "n": m.n,
                "source_exact": m.source_exact,
                "source_overlap": m.source_overlap,
                "source_exact_where_gold_has_source": m.source_exact_where_gold_has_source,
                "n_where_gold_has_source": m.n_where_gold_has_source,
                "content_token_f1": m.content_token_f1,
            },
            "token": per_role(&self.token),
            "exact_span": per_role(&self.exact_span),
            "pred_source_types": self.pred_source_types,
            "config": {
                "gold": self.gold_path,
                "pred": self.pred_path,
                "ann_choice": "first .ann per document in sorted filename order",
                "match": "cue overlap >= 1 non-whitespace char, greedy one-to-one by largest overlap",
                "tokens": r"\w+|[^\w\s]",
            },
            "warnings": self.warnings,
        })
    }

    /// `--json --per-doc`: [`Report::to_json`] plus per-document counts.
    pub fn to_json_per_doc(&self) -> Value {
        let mut v = self.to_json();
        let per_doc: Map<String, Value> = self
            .per_doc
            .iter()
            .map(|(d, c)| {
                (
                    d.clone(),
                    json!({"gold": c.gold, "pred": c.pred, "matched": c.matched}),
                )
            })
            .collect();
        if let Value::Object(o) = &mut v {
            o.insert("per_doc".to_string(), Value::Object(per_doc));
        }
        v
    }
}
