//! Document-level comparisons between groups: each pair, and each group against the rest.

use std::collections::BTreeSet;

use serde::Serialize;

use super::stats::{hedges_g, holm, welch, Moments};
use super::summary::GroupSummary;

/// How every comparison row is tested.
pub const INFERENCE: &str = "document-level Welch t";
/// The Holm family: every test with a p-value in one [`compare`] output.
pub const HOLM_FAMILY: &str = "all_tests_in_output";
/// Name of the pooled other groups in `vs_rest` rows.
pub const REST: &str = "rest";

/// One difference `group_a - group_b` of a per-document value, tested with Welch's t.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// `pair` or `vs_rest`.
    pub comparison: String,
    pub group_a: String,
    /// The other group, or `rest` (all other groups pooled).
    pub group_b: String,
    /// `doc_score_mean` (per-document mean claim score) or `doc_pattern_rate`
    /// (per-document share of claims with the pattern).
    pub metric: String,
    /// The pattern for `doc_pattern_rate`; empty otherwise.
    pub key: String,
    /// Documents with at least one claim.
    pub n_a: u64,
    pub n_b: u64,
    pub mean_a: Option<f64>,
    pub mean_b: Option<f64>,
    pub diff: Option<f64>,
    /// 95% Welch interval of `diff`.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub t: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p: Option<f64>,
    /// Holm-adjusted p over [`HOLM_FAMILY`].
    pub p_holm: Option<f64>,
    pub hedges_g: Option<f64>,
    pub inference: String,
    pub holm_family: String,
    /// Number of tests in the Holm family.
    pub holm_m: u64,
}

/// Per-document values of one side of a comparison, for every metric.
struct Side {
    means: Vec<f64>,
    rates: Vec<Vec<f64>>,
}

impl Side {
    fn of(groups: &[&GroupSummary], patterns: &[&str]) -> Side {
        Side {
            means: groups.iter().flat_map(|g| g.doc_means()).collect(),
            rates: patterns
                .iter()
                .map(|p| groups.iter().flat_map(|g| g.doc_rates(p)).collect())
                .collect(),
        }
    }
}

/// Compares every pair of groups (in name order) and, with three groups or more, each
/// group against all others pooled, on per-document mean score and per-document rate of
/// every pattern seen in any group. Rows whose test is undefined (fewer than two documents
/// on a side, zero variance on both) have no t, df, p or g and are left out of the Holm
/// family. Groups are taken in the order given; pass them sorted for stable output.
pub fn compare(groups: &[&GroupSummary]) -> Vec<ComparisonRow> {
    let patterns: Vec<&str> = groups
        .iter()
        .flat_map(|g| g.pattern_names())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let sides: Vec<Side> = groups
        .iter()
        .map(|g| Side::of(std::slice::from_ref(g), &patterns))
        .collect();

    let mut rows = Vec::new();
    for i in 0..groups.len() {
        for j in i + 1..groups.len() {
            push_rows(
                &mut rows,
                "pair",
                &groups[i].group,
                &groups[j].group,
                &sides[i],
                &sides[j],
                &patterns,
            );
        }
    }
    // With two groups, "a vs rest" repeats the pair test; it would only inflate Holm's m.
    if groups.len() >= 3 {
        for (i, g) in groups.iter().enumerate() {
            let others: Vec<&GroupSummary> = groups
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, &o)| o)
                .collect();
            let rest = Side::of(&others, &patterns);
            push_rows(
                &mut rows, "vs_rest", &g.group, REST, &sides[i], &rest, &patterns,
            );
        }
    }

    let tested: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].p.is_some()).collect();
    let p: Vec<f64> = tested.iter().filter_map(|&i| rows[i].p).collect();
    let adjusted = holm(&p);
    for (&i, &a) in tested.iter().zip(&adjusted) {
        rows[i].p_holm = Some(a);
    }
    for r in &mut rows {
        r.holm_m = p.len() as u64;
    }
    rows
}

fn push_rows(
    rows: &mut Vec<ComparisonRow>,
    comparison: &str,
    a: &str,
    b: &str,
    side_a: &Side,
    side_b: &Side,
    patterns: &[&str],
) {
    let base = |metric: &str, key: &str| (comparison, a, b, metric.to_string(), key.to_string());
    rows.push(test_row(
        base("doc_score_mean", ""),
        &side_a.means,
        &side_b.means,
    ));
    for (k, p) in patterns.iter().enumerate() {
        rows.push(test_row(
            base("doc_pattern_rate", p),
            &side_a.rates[k],
            &side_b.rates[k],
        ));
    }
}

fn test_row(
    (comparison, a, b, metric, key): (&str, &str, &str, String, String),
    va: &[f64],
    vb: &[f64],
) -> ComparisonRow {
    let (ma, mb) = (Moments::of(va), Moments::of(vb));
    let w = ma.zip(mb).and_then(|(x, y)| welch(&x, &y));
    let g = ma.zip(mb).and_then(|(x, y)| hedges_g(&x, &y));
    let mean_a = ma.map(|m| m.mean);
    let mean_b = mb.map(|m| m.mean);
    ComparisonRow {
        comparison: comparison.to_string(),
        group_a: a.to_string(),
        group_b: b.to_string(),
        metric,
        key,
        n_a: va.len() as u64,
        n_b: vb.len() as u64,
        mean_a,
        mean_b,
        diff: mean_a.zip(mean_b).map(|(x, y)| x - y),
        ci_low: w.map(|w| w.ci.low),
        ci_high: w.map(|w| w.ci.high),
        t: w.map(|w| w.t),
        df: w.map(|w| w.df),
        p: w.map(|w| w.p),
        p_holm: None,
        hedges_g: g,
        inference: INFERENCE.to_string(),
        holm_family: HOLM_FAMILY.to_string(),
        holm_m: 0,
    }
}
