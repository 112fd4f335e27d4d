//! Document-level comparisons between groups: each pair, and each group against the rest.

use std::collections::BTreeSet;

use serde::Serialize;

use super::document::DocLevel;
use super::stats::{hedges_g, holm, welch, Moments};
use super::summary::{GroupSummary, Summary};

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

/// Document-level moments of one side of a comparison, for every metric.
struct Side {
    /// Documents with at least one claim.
    n: u64,
    score: Option<Moments>,
    rates: Vec<Option<Moments>>,
}

impl Side {
    /// Pools the groups' document-level sums (exactly, in integers) before deriving moments.
    fn of(groups: &[&GroupSummary], patterns: &[&str]) -> Side {
        let mut pooled = DocLevel::default();
        for g in groups {
            pooled.merge(g.doc_level());
        }
        Side {
            n: pooled.n(),
            score: pooled.score_moments(),
            rates: patterns.iter().map(|p| pooled.rate_moments(p)).collect(),
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

impl Summary {
    /// Document-level comparisons between groups; see [`compare`].
    pub fn compare(&self) -> Vec<ComparisonRow> {
        let groups: Vec<&GroupSummary> = self.groups().collect();
        compare(&groups)
    }
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
        (side_a.n, side_a.score),
        (side_b.n, side_b.score),
    ));
    for (k, p) in patterns.iter().enumerate() {
        rows.push(test_row(
            base("doc_pattern_rate", p),
            (side_a.n, side_a.rates[k]),
            (side_b.n, side_b.rates[k]),
        ));
    }
}

fn test_row(
    (comparison, a, b, metric, key): (&str, &str, &str, String, String),
    (n_a, ma): (u64, Option<Moments>),
    (n_b, mb): (u64, Option<Moments>),
) -> ComparisonRow {
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
        n_a,
        n_b,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::{self, assert_close};
    use crate::aggregate::DocStats;

    fn doc(id: &str, group: &str, claims: &[(f64, &[&str])]) -> DocStats {
        let mut d = testing::doc(id, group, claims);
        // Registered with count 0 everywhere: the pattern exists but never occurs.
        d.patterns
            .entry("confirmed_named_official".into())
            .or_insert(0);
        d
    }

    fn two_groups() -> Summary {
        let a: &[&str] = &["anonymous"];
        let v: &[&str] = &["vague"];
        let none: &[&str] = &[];
        let docs = [
            doc("x1", "x", &[(55.5, a), (56.0, none), (20.1, none)]),
            doc("x2", "x", &[(99.9, a), (0.0, a)]),
            doc("x3", "x", &[(100.0, none), (73.3, none), (55.5, none)]),
            doc("y1", "y", &[(40.0, v), (42.5, none)]),
            doc("y2", "y", &[(30.0, a)]),
            doc("y3", "y", &[(35.5, a), (36.5, none), (50.0, none)]),
            doc("y4", "y", &[(20.0, none), (25.0, none)]),
        ];
        Summary::from_docs(&docs).unwrap()
    }

    fn find<'a>(rows: &'a [ComparisonRow], metric: &str, key: &str) -> &'a ComparisonRow {
        rows.iter()
            .find(|r| r.metric == metric && r.key == key)
            .unwrap_or_else(|| panic!("no row {metric}/{key}"))
    }

    #[test]
    fn document_level_welch_matches_scipy() {
        // X = {'x1': [55.5, 56.0, 20.1], 'x2': [99.9, 0.0], 'x3': [100.0, 73.3, 55.5]}
        // Y = {'y1': [40.0, 42.5], 'y2': [30.0], 'y3': [35.5, 36.5, 50.0], 'y4': [20.0, 25.0]}
        // xm, ym = ([np.mean(v) for v in D.values()] for D in (X, Y))
        // r = stats.ttest_ind(xm, ym, equal_var=False); r.confidence_interval(0.95)
        // anonymous: ttest_ind([1/3, 1, 0], [0, 1, 1/3, 0], equal_var=False)
        // vague:     ttest_ind([0, 0, 0], [0.5, 0, 0, 0], equal_var=False)
        // multipletests([p_score, p_anonymous, p_vague], method='holm')[1]
        let rows = two_groups().compare();
        // One pair, four metrics (score + 3 patterns); no vs_rest with two groups.
        assert_eq!(rows.len(), 4);
        assert!(rows
            .iter()
            .all(|r| r.comparison == "pair" && r.group_a == "x"));
        let r = find(&rows, "doc_score_mean", "");
        assert_eq!((r.n_a, r.n_b), (3, 4));
        assert_close!(r.t.unwrap(), 2.1145711447882225);
        assert_close!(r.df.unwrap(), 2.8297324711285445);
        assert_close!(r.p.unwrap(), 0.13025436717956196);
        assert_close!(r.ci_low.unwrap(), -12.874173517930139);
        assert_close!(r.ci_high.unwrap(), 59.05472907348568);
        assert_close!(r.p_holm.unwrap(), 0.3907631015386859);
        assert_eq!(r.inference, "document-level Welch t");
        let r = find(&rows, "doc_pattern_rate", "anonymous");
        assert_close!(r.t.unwrap(), 0.2948839123097942);
        assert_close!(r.df.unwrap(), 4.232000000000001);
        assert_close!(r.p.unwrap(), 0.7819875256908019);
        assert_close!(r.p_holm.unwrap(), 0.782004437911541);
        let r = find(&rows, "doc_pattern_rate", "vague");
        assert_close!(r.t.unwrap(), -1.0);
        assert_close!(r.df.unwrap(), 3.0);
        assert_close!(r.p.unwrap(), 0.3910022189557705);
        assert_close!(r.p_holm.unwrap(), 0.782004437911541);
        assert_close!(r.diff.unwrap(), -0.125);
        // Never occurs on either side: no test, left out of the Holm family.
        let r = find(&rows, "doc_pattern_rate", "confirmed_named_official");
        assert_eq!((r.t, r.p, r.p_holm, r.hedges_g), (None, None, None, None));
        assert_eq!(r.diff, Some(0.0));
        assert!(rows.iter().all(|r| r.holm_m == 3));
    }

    #[test]
    fn three_groups_add_vs_rest_rows_in_one_holm_family() {
        let mut s = two_groups();
        let z = Summary::from_docs(&[
            doc("z1", "z", &[(80.0, &[]), (90.0, &["vague"])]),
            doc("z2", "z", &[(70.0, &[])]),
        ])
        .unwrap();
        s.merge(z).unwrap();
        let rows = s.compare();
        // 3 pairs + 3 vs_rest, 4 metrics each.
        assert_eq!(rows.len(), 24);
        let vs_rest: Vec<_> = rows.iter().filter(|r| r.comparison == "vs_rest").collect();
        assert_eq!(vs_rest.len(), 12);
        assert!(vs_rest.iter().all(|r| r.group_b == REST));
        // x against rest pools y's four and z's two documents.
        let r = vs_rest
            .iter()
            .find(|r| r.group_a == "x" && r.metric == "doc_score_mean")
            .unwrap();
        assert_eq!((r.n_a, r.n_b), (3, 6));
        let m = rows.iter().filter(|r| r.p.is_some()).count() as u64;
        assert!(rows.iter().all(|r| r.holm_m == m));
        for r in &rows {
            match (r.p, r.p_holm) {
                (Some(p), Some(h)) => assert!(h >= p && h <= 1.0),
                (None, None) => {}
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn tiny_groups_give_empty_tests_not_nan() {
        let s = Summary::from_docs(&[
            doc("a", "solo", &[(50.0, &["vague"])]),
            doc("b", "pair", &[(40.0, &[])]),
            doc("c", "pair", &[(60.0, &["vague"])]),
            DocStats::new("empty", "none"),
        ])
        .unwrap();
        let rows = s.compare();
        assert!(!rows.is_empty());
        for r in &rows {
            assert_eq!(
                (r.t, r.df, r.p, r.p_holm, r.hedges_g),
                (None, None, None, None, None)
            );
            for v in [r.mean_a, r.mean_b, r.diff, r.ci_low, r.ci_high]
                .into_iter()
                .flatten()
            {
                assert!(v.is_finite());
            }
            assert_eq!(r.holm_m, 0);
        }
        let r = rows
            .iter()
            .find(|r| r.group_a == "none" && r.group_b == "pair" && r.metric == "doc_score_mean")
            .unwrap();
        assert_eq!((r.n_a, r.mean_a, r.diff), (0, None, None));
        assert_eq!(r.mean_b, Some(50.0));
        assert!(compare(&[]).is_empty());
    }
}
