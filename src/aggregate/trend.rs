//! A linear trend in time per group (trends.csv): the least-squares line of the claims'
//! values on the period, with documents as clusters. docs/statistics.md gives the method.
//!
//! The intercept-only regression on the claims with documents as clusters is the ratio
//! estimator of corpora_long.csv and its clustered variance ([`super::cluster`]); the trend
//! adds the period as a regressor. Time is constant within a document, so the regression
//! and its sandwich variance need only each period's sums `Σ m`, `Σ y`, `Σ y^2`, `Σ y m`,
//! `Σ m^2` and document count: those its [`GroupSummary`] keeps.

use std::collections::{BTreeMap, BTreeSet};

use super::cluster::RatioSums;
use super::period::{Period, Periods};
use super::stats::{holm, t_crit, t_two_sided_p};
use super::GroupSummary;

/// A trend needs at least this many periods (two points always lie on a line).
pub const MIN_TREND_PERIODS: usize = 3;
/// The `method` of trends.csv: least squares on the claims, standard errors clustered by
/// document, Student's t with documents - 1 degrees of freedom.
pub const TREND_METHOD: &str = "cluster_ols_t";

/// One row of trends.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendRow {
    pub group: String,
    /// `score_mean` or `pattern_rate`, as in corpora_long.csv.
    pub metric: &'static str,
    /// The pattern of a `pattern_rate`; empty for `score_mean`.
    pub key: String,
    /// The period unit: the slope is the change per one of these.
    pub step: &'static str,
    /// Periods used (with at least the minimum documents with claims of [`trends`]).
    pub periods: u64,
    pub documents: u64,
    pub claims: u64,
    /// Change per period step: points of score, or a share (0.01 = one percentage point).
    pub slope: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub t: Option<f64>,
    pub df: Option<f64>,
    pub p: Option<f64>,
    /// Holm-adjusted over the groups' tests of the same metric and key.
    pub p_holm: Option<f64>,
    /// [`TREND_METHOD`], or empty without a test.
    pub method: &'static str,
    /// Why there is no test; empty when there is one.
    pub note: String,
}

/// One period's sums for a ratio `y / m` (on the scale of the estimate), at time `t`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodSums {
    pub t: f64,
    /// Documents with `m_i > 0`.
    pub g: u64,
    pub m: f64,
    pub y: f64,
    pub yy: f64,
    pub ym: f64,
    pub mm: f64,
}

impl PeriodSums {
    /// The sums of a ratio, with `y` multiplied by `scale` (score tenths to points).
    fn of(t: f64, r: &RatioSums, scale: f64) -> PeriodSums {
        PeriodSums {
            t,
            g: r.g,
            m: r.m as f64,
            y: r.y as f64 * scale,
            yy: r.yy as f64 * scale * scale,
            ym: r.ym as f64 * scale,
            mm: r.mm as f64,
        }
    }
}

/// The fitted slope with its cluster-robust standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendFit {
    pub slope: f64,
    pub se: f64,
    /// Documents - 1.
    pub df: f64,
}

/// Least squares of the claims' values `y_ij` on `[1, t_i]` with the sandwich variance
/// clustered by document and the small-sample factor `G/(G-1) · (N-1)/(N-2)` (Cameron &
/// Miller 2015; statsmodels' `cov_type="cluster"`). With `t` centred at its claim-weighted
/// mean the design is orthogonal, so the slope's variance is `Σ_i (t_i - t̄)^2 r_i^2 /
/// Sxx^2`, `r_i = y_i - ĉ(t_i) m_i` the residual sum of document `i`, whose square sums per
/// period to `Σy^2 - 2 ĉ Σym + ĉ^2 Σm^2`. `None` without two distinct times or documents.
pub fn fit_trend(periods: &[PeriodSums]) -> Option<TrendFit> {
    let n: f64 = periods.iter().map(|p| p.m).sum();
    let g: u64 = periods.iter().map(|p| p.g).sum();
    if n < 3.0 || g < 2 {
        return None;
    }
    let t_bar = periods.iter().map(|p| p.t * p.m).sum::<f64>() / n;
    let y_bar = periods.iter().map(|p| p.y).sum::<f64>() / n;
    let sxx: f64 = periods.iter().map(|p| p.m * (p.t - t_bar).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = periods.iter().map(|p| (p.t - t_bar) * p.y).sum::<f64>() / sxx;
    // The meat, and the size of its terms: a sum of squares that cancels down to the
    // rounding of its terms is 0 (a pattern on every claim must give no variance, not one
    // made of rounding).
    let (mut meat, mut size) = (0.0, 0.0);
    for p in periods {
        let c = y_bar + slope * (p.t - t_bar);
        let w = (p.t - t_bar).powi(2);
        meat += w * (p.yy - 2.0 * c * p.ym + c * c * p.mm);
        size += w * (p.yy + c * c * p.mm);
    }
    let meat = if meat <= 1e-12 * size { 0.0 } else { meat };
    let gf = g as f64;
    let var = meat / (sxx * sxx) * gf / (gf - 1.0) * (n - 1.0) / (n - 2.0);
    Some(TrendFit {
        slope,
        se: var.sqrt(),
        df: gf - 1.0,
    })
}

/// The trend of every group's mean claim score and of each pattern's rate, in order of
/// group, then `score_mean`, then patterns by name; Holm within each metric and key.
///
/// A period enters a group's trend only with at least `min_docs` documents with claims
/// (at least 2; `--min-group-docs`, the minimum of every test, by default
/// [`MIN_GROUP_DOCS`](super::MIN_GROUP_DOCS)): a rate from fewer is mostly noise, and the
/// line would be drawn through a handful of articles.
pub fn trends(periods: &Periods, min_docs: u64) -> Vec<TrendRow> {
    let min_docs = min_docs.max(2);
    let patterns: BTreeSet<&str> = periods
        .cells()
        .flat_map(|(_, _, s)| s.pattern_names())
        .collect();
    // Each group's dated periods with enough documents, in time order.
    let mut groups: BTreeMap<&str, Vec<(i64, &GroupSummary)>> = BTreeMap::new();
    for (group, period, s) in periods.cells() {
        let used = groups.entry(group).or_default();
        if let Period::Dated(i) = period {
            if s.docs.n() >= min_docs {
                used.push((i, s));
            }
        }
    }
    let step = periods.unit().as_str();
    let mut rows = Vec::new();
    for (group, used) in &groups {
        let metrics = std::iter::once(("score_mean", ""))
            .chain(patterns.iter().map(|&p| ("pattern_rate", p)));
        for (metric, key) in metrics {
            let first = used.first().map_or(0, |u| u.0);
            let sums: Vec<PeriodSums> = used
                .iter()
                .map(|&(i, s)| {
                    let t = (i - first) as f64;
                    if metric == "score_mean" {
                        PeriodSums::of(t, &s.score_ratio(), 0.1)
                    } else {
                        PeriodSums::of(t, &s.pattern_ratio(key), 1.0)
                    }
                })
                .collect();
            rows.push(trend_row(group, metric, key, step, min_docs, &sums));
        }
    }
    adjust_holm(&mut rows);
    rows
}

fn trend_row(
    group: &str,
    metric: &'static str,
    key: &str,
    step: &'static str,
    min_docs: u64,
    sums: &[PeriodSums],
) -> TrendRow {
    let mut row = TrendRow {
        group: group.to_string(),
        metric,
        key: key.to_string(),
        step,
        periods: sums.len() as u64,
        documents: sums.iter().map(|p| p.g).sum(),
        claims: sums.iter().map(|p| p.m as u64).sum(),
        slope: None,
        ci_low: None,
        ci_high: None,
        t: None,
        df: None,
        p: None,
        p_holm: None,
        method: "",
        note: String::new(),
    };
    if sums.len() < MIN_TREND_PERIODS {
        row.note = format!(
            "fewer than {MIN_TREND_PERIODS} periods with at least {min_docs} documents with \
             claims (--min-group-docs)"
        );
        return row;
    }
    let Some(fit) = fit_trend(sums) else {
        row.note = "no variation in time".to_string();
        return row;
    };
    row.slope = Some(fit.slope);
    if fit.se <= 0.0 || !fit.se.is_finite() {
        row.note = "no variance: every document lies on the line".to_string();
        return row;
    }
    let (Some(crit), Some(p)) = (t_crit(fit.df), t_two_sided_p(fit.slope / fit.se, fit.df)) else {
        row.note = "no t distribution for these degrees of freedom".to_string();
        return row;
    };
    row.ci_low = Some(fit.slope - crit * fit.se);
    row.ci_high = Some(fit.slope + crit * fit.se);
    row.t = Some(fit.slope / fit.se);
    row.df = Some(fit.df);
    row.p = Some(p);
    row.method = TREND_METHOD;
    row
}

/// Holm's adjustment within each family of one metric and key across the groups.
fn adjust_holm(rows: &mut [TrendRow]) {
    let mut families: BTreeMap<(&'static str, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        if r.p.is_some() {
            families
                .entry((r.metric, r.key.clone()))
                .or_default()
                .push(i);
        }
    }
    for members in families.values() {
        let p: Vec<f64> = members.iter().filter_map(|&i| rows[i].p).collect();
        for (&i, adjusted) in members.iter().zip(holm(&p)) {
            rows[i].p_holm = Some(adjusted);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::period::PeriodUnit;
    use crate::aggregate::testing::assert_close;
    use crate::aggregate::DocStats;

    /// Group `a`: months 0, 1, 3 and 4 of 2024 (March missing) with 10, 11, 12 and 10
    /// documents, July with 3 (too few to be used), two undated documents; group `b`: two
    /// months. Document `j` of period `p` has `1 + (3j + 2p) % 5` claims; claim `k` scores
    /// `((173j + 291k + 117p) % 1001) / 10` and is uncertain when `(j + 2k + 3p) % 5 < 1 +
    /// p / 2`.
    fn fixture() -> Periods {
        let mut periods = Periods::new(PeriodUnit::Month);
        let a = [
            ("2024-01-15", 10),
            ("2024-02-03", 11),
            ("2024-04-20", 12),
            ("2024-05-31", 10),
            ("2024-07-01", 3),
        ];
        let b = [("2024-01-02", 10), ("2024-02-02", 10)];
        for (group, dates) in [("a", &a[..]), ("b", &b[..])] {
            for (p, &(date, n)) in dates.iter().enumerate() {
                for j in 0..n {
                    let mut doc = DocStats::new(format!("{group}{p}-{j}"), group);
                    for k in 0..1 + (3 * j + 2 * p) % 5 {
                        let score = ((173 * j + 291 * k + 117 * p) % 1001) as f64 / 10.0;
                        let uncertain = (j + 2 * k + 3 * p) % 5 < 1 + p / 2;
                        let patterns = if uncertain { &["uncertain"][..] } else { &[] };
                        doc.push_claim(score, patterns.iter().copied());
                    }
                    doc.patterns.entry("uncertain".into()).or_insert(0);
                    periods.add_doc(&doc.doc.clone(), Some(date), &doc).unwrap();
                }
            }
        }
        let undated = DocStats::new("u", "a");
        periods.add_doc("u1", None, &undated).unwrap();
        periods.add_doc("u2", Some("03/05/2024"), &undated).unwrap();
        periods
    }

    #[test]
    fn trends_agree_with_statsmodels() {
        // statsmodels 0.15.0 on the claims of group a's four used months:
        //   import numpy as np, statsmodels.api as sm
        //   rows = []
        //   for p, (t, n) in enumerate([(0, 10), (1, 11), (3, 12), (4, 10)]):
        //       for j in range(n):
        //           for k in range(1 + (3 * j + 2 * p) % 5):
        //               rows.append((t, f"{p}-{j}", ((173 * j + 291 * k + 117 * p) % 1001) / 10,
        //                            float((j + 2 * k + 3 * p) % 5 < 1 + p // 2)))
        //   t, doc = np.array([r[0] for r in rows], float), np.array([r[1] for r in rows])
        //   for col in (2, 3):
        //       f = sm.OLS(np.array([r[col] for r in rows]), sm.add_constant(t)).fit(
        //           cov_type="cluster", cov_kwds={"groups": doc}, use_t=True)
        //       print(f.params[1], f.tvalues[1], f.pvalues[1], f.conf_int()[1])
        let rows = trends(&fixture(), 10);
        let find = |g: &str, m: &str| rows.iter().find(|r| r.group == g && r.metric == m).unwrap();
        let score = find("a", "score_mean");
        assert_eq!((score.periods, score.documents, score.claims), (4, 43, 131));
        assert_close!(score.slope.unwrap(), 0.8447760094311743, 1e-9);
        assert_close!(score.t.unwrap(), 0.8452172201462571, 1e-9);
        assert_close!(score.p.unwrap(), 0.4027789916135871, 1e-9);
        assert_close!(score.ci_low.unwrap(), -1.1722522372460877, 1e-9);
        assert_close!(score.ci_high.unwrap(), 2.861804256108436, 1e-9);
        assert_eq!(score.df, Some(42.0));
        let unc = find("a", "pattern_rate");
        assert_eq!(unc.key, "uncertain");
        assert_close!(unc.slope.unwrap(), 0.05943609391885252, 1e-9);
        assert_close!(unc.t.unwrap(), 3.940482833763904, 1e-9);
        assert_close!(unc.p.unwrap(), 0.00030156872915966537, 1e-9);
        assert_close!(unc.ci_low.unwrap(), 0.0289964501785287, 1e-9);
        assert_close!(unc.ci_high.unwrap(), 0.08987573765917634, 1e-9);
        // One test per family: Holm leaves its p as it is.
        assert_eq!(unc.p_holm, unc.p);
        assert_eq!(unc.method, TREND_METHOD);
        // Group b has two months: no test, and the row says why.
        let b = find("b", "score_mean");
        assert_eq!((b.periods, b.p, b.method), (2, None, ""));
        assert!(b.note.contains("fewer than 3 periods"), "{}", b.note);
    }

    #[test]
    fn a_line_through_every_document_has_no_test() {
        let docs = |t: f64, g: u64| PeriodSums {
            t,
            g,
            m: 2.0 * g as f64,
            y: t * 2.0 * g as f64,
            yy: 4.0 * t * t * g as f64,
            ym: 4.0 * t * g as f64,
            mm: 4.0 * g as f64,
        };
        let fit = fit_trend(&[docs(0.0, 3), docs(1.0, 4), docs(2.0, 5)]).unwrap();
        assert_close!(fit.slope, 1.0, 1e-12);
        assert_close!(fit.se, 0.0, 1e-9);
        let row = trend_row(
            "g",
            "score_mean",
            "",
            "month",
            2,
            &[docs(0.0, 3), docs(1.0, 4), docs(2.0, 5)],
        );
        assert_eq!(row.p, None);
        assert!(!row.note.is_empty());
    }

    #[test]
    fn the_minimum_documents_of_a_period_is_the_callers() {
        let periods = fixture();
        let used = |min: u64, g: &str| {
            let rows = trends(&periods, min);
            let r = rows.iter().find(|r| r.group == g).unwrap().clone();
            (r.periods, r.documents, r.note)
        };
        // July's 3 documents enter with a minimum of 3, not with 4.
        assert_eq!(used(3, "a").0, 5);
        assert_eq!(used(3, "a").1, 46);
        assert_eq!(used(4, "a").0, 4);
        // At 11 only February (11) and April (12) are left: no test, and the note says why.
        let (n, _, note) = used(11, "a");
        assert_eq!(n, 2);
        assert!(note.contains("at least 11 documents"), "{note}");
        // Below 2 no variance between documents exists: 2 is the floor.
        assert_eq!(trends(&periods, 0), trends(&periods, 2));
    }
}
