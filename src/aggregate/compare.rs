//! Comparisons between groups of the claim-level figures of corpora_long.csv (mean claim
//! score, rate of each pattern), with documents as clusters: each group against the rest
//! (the default) or every pair, Holm within each metric's family. docs/statistics.md gives
//! the method.
//!
//! Everything is derived from the groups' exact integer sums; the rest of a group is the
//! total minus the group, so the work grows with the number of groups, not its square.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::cluster::{clustered_share, iid_share_var, Bounded, CrossSums, RatioSums};
use super::stats::{holm, t_two_sided_p, Interval};
use super::summary::{GroupSummary, Summary};
use super::AggregateError;
use crate::score::Pattern;

/// How every comparison row is tested: a t statistic whose variance is the cluster-robust
/// (documents) variance under the null, about the two sides' common ratio.
pub const INFERENCE: &str = "cluster_score_t";
/// Name of the pooled other groups in `vs_rest` rows.
pub const REST: &str = "rest";
/// Group of the documents without the grouping column: never tested, nor pooled in `rest`.
pub const MISSING_GROUP: &str = "(missing)";
/// Default minimum of documents with claims for a group to be tested.
pub const MIN_GROUP_DOCS: u64 = 10;
/// Most groups `Scope::Pairs` compares: 100 groups are 4,950 pairs per metric.
pub const MAX_PAIR_GROUPS: usize = 100;

/// Which comparisons are made (also the values of the command line's `--compare`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Scope {
    /// Each group against all other groups pooled (with two groups: the one pair).
    #[default]
    Rest,
    /// Every pair of groups (at most 100 groups).
    Pairs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompareOptions {
    pub scope: Scope,
    /// Groups (and rests) with fewer documents with claims get no test; at least 2.
    pub min_group_docs: u64,
}

impl Default for CompareOptions {
    fn default() -> CompareOptions {
        CompareOptions {
            scope: Scope::Rest,
            min_group_docs: MIN_GROUP_DOCS,
        }
    }
}

/// One difference `group_a - group_b` of a claim-level figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// `pair` or `vs_rest`.
    pub comparison: String,
    pub group_a: String,
    /// The other group, or `rest` (all other groups but [`MISSING_GROUP`], pooled).
    pub group_b: String,
    /// `score_mean` (mean claim score) or `pattern_rate` (share of claims with the pattern).
    pub metric: String,
    /// The pattern for `pattern_rate`; empty otherwise.
    pub key: String,
    /// Documents with at least one claim (the clusters).
    pub n_a: u64,
    pub n_b: u64,
    pub estimate_a: Option<f64>,
    pub estimate_b: Option<f64>,
    pub diff: Option<f64>,
    /// 95% interval of `diff`: MOVER from the two sides' clustered intervals.
    pub diff_ci_low: Option<f64>,
    pub diff_ci_high: Option<f64>,
    /// `diff` over its standard error under the null (see [`INFERENCE`]).
    pub statistic: Option<f64>,
    /// `min(n_a, n_b) - 1`.
    pub df: Option<f64>,
    /// Two-sided p-value; empty when the test is undefined (no variance under the null).
    pub p: Option<f64>,
    /// Holm-adjusted p within `holm_family`.
    pub p_holm: Option<f64>,
    /// `metric:key` (or `metric`): every test of one figure in the output.
    pub holm_family: String,
    /// Number of tests (rows with a p) in the family.
    pub holm_m: u64,
    pub inference: String,
}

/// The comparisons of a summary and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparisons {
    pub rows: Vec<ComparisonRow>,
    pub options: CompareOptions,
    /// Groups tested.
    pub tested: usize,
    /// Groups below the minimum size, in name order: figures but no tests (still pooled in
    /// the rest of the others).
    pub too_small: Vec<String>,
}

/// One figure compared.
#[derive(Debug, Clone, Copy)]
enum Metric<'a> {
    Score,
    Pattern(usize, &'a str),
}

impl Metric<'_> {
    fn name(self) -> &'static str {
        match self {
            Metric::Score => "score_mean",
            Metric::Pattern(..) => "pattern_rate",
        }
    }
    fn key(self) -> String {
        match self {
            Metric::Score => String::new(),
            Metric::Pattern(_, p) => p.to_string(),
        }
    }
}

/// The integer sums of one side of a comparison (a group, or the rest of it).
#[derive(Debug, Clone, Default)]
struct Sums {
    /// Documents with claims.
    g: u64,
    /// Claims, and `Σ m_i^2`.
    m: u128,
    mm: u128,
    /// Claim scores in tenths: their sum, cross sums per document and `Σ score^2` over claims.
    score: u128,
    score_cross: CrossSums,
    score_sq: u128,
    /// Per pattern: claims with it, and its cross sums.
    patterns: Vec<(u128, CrossSums)>,
}

fn sub_cross(a: &CrossSums, b: &CrossSums) -> Option<CrossSums> {
    Some(CrossSums {
        yy: a.yy.checked_sub(b.yy)?,
        ym: a.ym.checked_sub(b.ym)?,
    })
}

impl Sums {
    fn of(g: &GroupSummary, patterns: &[&str]) -> Sums {
        let (mut score, mut score_sq) = (0u128, 0u128);
        for (&t, &c) in &g.score_hist {
            let (t, c) = (u128::from(t), u128::from(c));
            score = score.saturating_add(t * c);
            score_sq = score_sq.saturating_add(t * t * c);
        }
        Sums {
            g: g.docs.n(),
            m: u128::from(g.n_claims()),
            mm: g.clusters.claims_sq,
            score,
            score_cross: g.clusters.score,
            score_sq,
            patterns: patterns
                .iter()
                .map(|p| (u128::from(g.pattern_count(p)), g.clusters.pattern(p)))
                .collect(),
        }
    }

    fn add(&mut self, o: &Sums) {
        self.g = self.g.saturating_add(o.g);
        self.m = self.m.saturating_add(o.m);
        self.mm = self.mm.saturating_add(o.mm);
        self.score = self.score.saturating_add(o.score);
        self.score_cross.add(&o.score_cross);
        self.score_sq = self.score_sq.saturating_add(o.score_sq);
        self.patterns.resize(o.patterns.len(), Default::default());
        for ((k, c), (ok, oc)) in self.patterns.iter_mut().zip(&o.patterns) {
            *k = k.saturating_add(*ok);
            c.add(oc);
        }
    }

    /// `self - o`, exactly; `None` if `o` is not part of `self`.
    fn minus(&self, o: &Sums) -> Option<Sums> {
        let patterns = self
            .patterns
            .iter()
            .zip(&o.patterns)
            .map(|((k, c), (ok, oc))| Some((k.checked_sub(*ok)?, sub_cross(c, oc)?)))
            .collect::<Option<Vec<_>>>()?;
        Some(Sums {
            g: self.g.checked_sub(o.g)?,
            m: self.m.checked_sub(o.m)?,
            mm: self.mm.checked_sub(o.mm)?,
            score: self.score.checked_sub(o.score)?,
            score_cross: sub_cross(&self.score_cross, &o.score_cross)?,
            score_sq: self.score_sq.checked_sub(o.score_sq)?,
            patterns,
        })
    }

    fn ratio(&self, metric: Metric) -> RatioSums {
        let (y, c) = match metric {
            Metric::Score => (self.score, self.score_cross),
            Metric::Pattern(i, _) => self.patterns[i],
        };
        RatioSums {
            g: self.g,
            y,
            m: self.m,
            yy: c.yy,
            ym: c.ym,
            mm: self.mm,
        }
    }

    /// The side's estimate and clustered interval, as corpora_long.csv gives them for a
    /// group (`GroupSummary::score_mean_clustered`, `pattern_rate_clustered`).
    fn bounded(&self, metric: Metric) -> Bounded {
        let sums = self.ratio(metric);
        let n = u64::try_from(self.m).unwrap_or(u64::MAX);
        match metric {
            Metric::Score => {
                let (nf, s) = (self.m as f64, self.score);
                // Claim scores' variance (exact integers, in points^2, the operations of
                // `GroupSummary::claim_moments`) over n, on the 0..1 scale.
                let iid = (self.m >= 2)
                    .then(|| {
                        self.m
                            .checked_mul(self.score_sq)?
                            .checked_sub(s.checked_mul(s)?)
                    })
                    .flatten()
                    .map(|q| q as f64 / (nf * (nf - 1.0) * 100.0) / nf / 1e4);
                Bounded {
                    estimate: (self.m > 0).then(|| s as f64 / (10.0 * nf)),
                    ..clustered_share(&sums, 1000.0, iid).scaled(100.0)
                }
            }
            Metric::Pattern(..) => {
                let k = u64::try_from(sums.y).unwrap_or(u64::MAX);
                clustered_share(&sums, 1.0, iid_share_var(k, n))
            }
        }
    }
}

/// The test of `a - b`: t statistic, degrees of freedom and p. The variance of each side is
/// the clustered one with residuals about the common ratio of both sides (the null), so a
/// side whose documents all agree still has a variance when the other side differs.
fn test(a: &Sums, b: &Sums, metric: Metric, diff: f64) -> Option<(f64, f64, f64)> {
    let (ra, rb) = (a.ratio(metric), b.ratio(metric));
    let (y0, m0) = (ra.y.checked_add(rb.y)?, ra.m.checked_add(rb.m)?);
    // Scores are summed in tenths: their variance in points is a hundredth.
    let scale = match metric {
        Metric::Score => 0.01,
        Metric::Pattern(..) => 1.0,
    };
    let var = (ra.var_about(y0, m0)? + rb.var_about(y0, m0)?) * scale;
    if !(var > 0.0 && var.is_finite()) {
        return None;
    }
    let statistic = diff / var.sqrt();
    // Conservative: the smaller side's documents, less one (a group against the rest: its own).
    let df = (a.g.min(b.g) - 1) as f64;
    Some((statistic, df, t_two_sided_p(statistic, df)?))
}

/// Newcombe's MOVER interval of `a - b` from each side's interval (Zou and Donner 2008): it
/// stays within the bounds the two intervals keep.
fn mover(a: &Bounded, b: &Bounded) -> Option<Interval> {
    let (ea, eb, ca, cb) = (a.estimate?, b.estimate?, a.ci?, b.ci?);
    let d = ea - eb;
    Some(Interval {
        low: d - (ea - ca.low).hypot(cb.high - eb),
        high: d + (ca.high - ea).hypot(eb - cb.low),
    })
}

struct Side<'a> {
    name: &'a str,
    sums: &'a Sums,
}

fn push_rows(rows: &mut Vec<ComparisonRow>, kind: &str, a: Side, b: Side, metrics: &[Metric]) {
    for &metric in metrics {
        let (ba, bb) = (a.sums.bounded(metric), b.sums.bounded(metric));
        let diff = ba.estimate.zip(bb.estimate).map(|(x, y)| x - y);
        let t = diff.and_then(|d| test(a.sums, b.sums, metric, d));
        let ci = mover(&ba, &bb);
        let key = metric.key();
        rows.push(ComparisonRow {
            comparison: kind.to_string(),
            group_a: a.name.to_string(),
            group_b: b.name.to_string(),
            metric: metric.name().to_string(),
            holm_family: if key.is_empty() {
                metric.name().to_string()
            } else {
                format!("{}:{key}", metric.name())
            },
            key,
            n_a: a.sums.g,
            n_b: b.sums.g,
            estimate_a: ba.estimate,
            estimate_b: bb.estimate,
            diff,
            diff_ci_low: ci.map(|c| c.low),
            diff_ci_high: ci.map(|c| c.high),
            statistic: t.map(|t| t.0),
            df: t.map(|t| t.1),
            p: t.map(|t| t.2),
            p_holm: None,
            holm_m: 0,
            inference: INFERENCE.to_string(),
        });
    }
}

/// Holm's adjustment within each family; a family's `holm_m` counts its rows with a p.
fn adjust_by_family(rows: &mut [ComparisonRow]) {
    let mut families: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        families.entry(r.holm_family.as_str()).or_default().push(i);
    }
    let families: Vec<Vec<usize>> = families.into_values().collect();
    for members in families {
        let tested: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| rows[i].p.is_some())
            .collect();
        let p: Vec<f64> = tested.iter().filter_map(|&i| rows[i].p).collect();
        for (&i, a) in tested.iter().zip(holm(&p)) {
            rows[i].p_holm = Some(a);
        }
        for &i in &members {
            rows[i].holm_m = p.len() as u64;
        }
    }
}

/// Compares the groups (pass them in name order for stable output) on the mean claim score
/// and the rate of every pattern seen (each count once: aliases such as `source_anonymous`
/// of `anonymous` are left out). Only groups with at least `min_group_docs` documents with
/// claims are tested, never [`MISSING_GROUP`]; with two groups to compare (besides
/// [`MISSING_GROUP`]) the one pair is tested whatever the scope. Rows whose test is
/// undefined keep their estimates and have no statistic or p.
pub fn compare(
    groups: &[&GroupSummary],
    options: CompareOptions,
) -> Result<Comparisons, AggregateError> {
    let min = options.min_group_docs.max(2);
    let real: Vec<&GroupSummary> = groups
        .iter()
        .copied()
        .filter(|g| g.group != MISSING_GROUP)
        .collect();
    let patterns: Vec<&str> = real
        .iter()
        .flat_map(|g| g.pattern_names())
        .filter(|p| Pattern::from_key(p).and_then(Pattern::alias_of).is_none())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut metrics = vec![Metric::Score];
    metrics.extend(
        patterns
            .iter()
            .enumerate()
            .map(|(i, &p)| Metric::Pattern(i, p)),
    );
    let sums: Vec<Sums> = real.iter().map(|g| Sums::of(g, &patterns)).collect();
    let testable: Vec<usize> = (0..real.len()).filter(|&i| sums[i].g >= min).collect();
    let too_small = (0..real.len())
        .filter(|&i| sums[i].g < min)
        .map(|i| real[i].group.clone())
        .collect();
    let side = |i: usize| Side {
        name: &real[i].group,
        sums: &sums[i],
    };

    let mut rows = Vec::new();
    if options.scope == Scope::Pairs || real.len() == 2 {
        if testable.len() > MAX_PAIR_GROUPS {
            return Err(AggregateError::TooManyPairGroups {
                groups: testable.len(),
                min,
                limit: MAX_PAIR_GROUPS,
            });
        }
        for (x, &i) in testable.iter().enumerate() {
            for &j in &testable[x + 1..] {
                push_rows(&mut rows, "pair", side(i), side(j), &metrics);
            }
        }
    } else {
        let mut total = Sums::default();
        for s in &sums {
            total.add(s);
        }
        for &i in &testable {
            let Some(rest) = total.minus(&sums[i]).filter(|r| r.g >= min) else {
                continue;
            };
            let rest = Side {
                name: REST,
                sums: &rest,
            };
            push_rows(&mut rows, "vs_rest", side(i), rest, &metrics);
        }
    }
    adjust_by_family(&mut rows);
    Ok(Comparisons {
        rows,
        options,
        tested: testable.len(),
        too_small,
    })
}

impl Summary {
    /// Comparisons between the groups; see [`compare`].
    pub fn compare(&self, options: CompareOptions) -> Result<Comparisons, AggregateError> {
        let groups: Vec<&GroupSummary> = self.groups().collect();
        compare(&groups, options)
    }
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
