//! Ratio estimators with a variance that treats documents as clusters, and intervals that
//! stay within the bounds of what they estimate. docs/statistics.md gives the formulas.
//!
//! A group's rate of a pattern is `R = Σ y_i / Σ m_i` over its documents (`y_i` claims with
//! the pattern, `m_i` claims). Claims of one article share a writer and sources, so the
//! variance is the linearisation (sandwich) variance with documents as clusters,
//! `V = G / (G - 1) · Σ (y_i - R m_i)^2 / (Σ m_i)^2`, which is what statsmodels'
//! intercept-only OLS with `cov_type="cluster"` gives on the claims. It needs only the
//! sums `Σ y`, `Σ m`, `Σ y^2`, `Σ y m`, `Σ m^2` and `G`, kept as integers so that
//! summaries of shards still merge exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::stats::{mul_wide, sub_wide, t_crit, u128_text, wide_to_f64, Interval, Moments, Wide};

/// Interval of a claim- or attribution-level ratio: logit scale, cluster-robust variance.
pub const CLUSTER_LOGIT: &str = "cluster_logit_t95";
/// Interval of a ratio estimated at 0 or 1: Wilson with the documents as the sample size.
pub const CLUSTER_WILSON: &str = "cluster_wilson_t95";
/// Interval of a mean of per-document values: logit scale, documents independent.
pub const DOC_LOGIT: &str = "doc_logit_t95";
/// Interval of a mean of per-document values at 0 or 1.
pub const DOC_WILSON: &str = "doc_wilson_t95";
/// Interval of a ratio without a bound above (attributions per claim): log scale,
/// cluster-robust variance.
pub const CLUSTER_LOG: &str = "cluster_log_t95";
/// Interval of such a ratio estimated at 0: Poisson score interval with the documents as
/// the exposure.
pub const CLUSTER_POISSON: &str = "cluster_poisson_t95";
/// A figure resting on one document: no variance between documents can be estimated.
pub const NO_INTERVAL_ONE_DOCUMENT: &str = "none_one_document";

/// Exact sums over documents of `y_i^2` and `y_i m_i` for one numerator `y` (the sums of
/// `y` and `m` themselves are kept by the group summary already).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrossSums {
    #[serde(with = "u128_text")]
    pub yy: u128,
    #[serde(with = "u128_text")]
    pub ym: u128,
}

impl CrossSums {
    pub fn push(&mut self, y: u64, m: u64) {
        let (y, m) = (y as u128, m as u128);
        self.yy = self.yy.saturating_add(y * y);
        self.ym = self.ym.saturating_add(y * m);
    }

    pub fn add(&mut self, o: &CrossSums) {
        self.yy = self.yy.saturating_add(o.yy);
        self.ym = self.ym.saturating_add(o.ym);
    }
}

/// The per-document sums that the clustered variances need, for claims (denominator:
/// claims per document) and for attributions (denominator: attributions per document).
/// Claims' `Σ m` and the count of documents with claims live elsewhere in the summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterSums {
    /// `Σ m_i^2`, `m_i` the claims of document `i`.
    #[serde(with = "u128_text")]
    pub claims_sq: u128,
    /// Claim scores: `y_i` is document `i`'s sum of scores in tenths.
    pub score: CrossSums,
    /// Pattern -> sums with `y_i` the claims showing it; absent means all zero.
    pub patterns: BTreeMap<String, CrossSums>,
    /// Documents with at least one attribution.
    pub attr_docs: u64,
    /// `Σ a_i^2`, `a_i` the attributions of document `i`.
    #[serde(with = "u128_text")]
    pub attr_sq: u128,
    /// Source type -> sums with `y_i` its attributions and `m_i = a_i`.
    pub types: BTreeMap<String, CrossSums>,
    /// `Σ a_i m_i`, for attributions per claim (`y_i = a_i` over `m_i` claims).
    #[serde(with = "u128_text")]
    pub attr_claims: u128,
    /// Documents with attributions but no claims: clusters of attributions per claim too,
    /// as their attributions are in its numerator.
    pub attr_only_docs: u64,
}

impl ClusterSums {
    /// Adds one validated document.
    pub fn push(
        &mut self,
        n_claims: u64,
        score_tenths: u64,
        patterns: &BTreeMap<String, u64>,
        n_attributions: u64,
        types: &BTreeMap<String, u64>,
    ) {
        if n_claims > 0 {
            let m = n_claims as u128;
            self.claims_sq = self.claims_sq.saturating_add(m * m);
            self.score.push(score_tenths, n_claims);
            for (p, &y) in patterns {
                if y > 0 {
                    entry(&mut self.patterns, p).push(y, n_claims);
                }
            }
        }
        if n_attributions > 0 {
            let a = n_attributions as u128;
            if n_claims == 0 {
                self.attr_only_docs = self.attr_only_docs.saturating_add(1);
            }
            self.attr_claims = self.attr_claims.saturating_add(a * n_claims as u128);
            self.attr_docs = self.attr_docs.saturating_add(1);
            self.attr_sq = self.attr_sq.saturating_add(a * a);
            for (t, &y) in types {
                if y > 0 {
                    entry(&mut self.types, t).push(y, n_attributions);
                }
            }
        }
    }

    pub fn merge(&mut self, o: &ClusterSums) {
        self.claims_sq = self.claims_sq.saturating_add(o.claims_sq);
        self.score.add(&o.score);
        for (p, s) in &o.patterns {
            entry(&mut self.patterns, p).add(s);
        }
        self.attr_docs = self.attr_docs.saturating_add(o.attr_docs);
        self.attr_sq = self.attr_sq.saturating_add(o.attr_sq);
        for (t, s) in &o.types {
            entry(&mut self.types, t).add(s);
        }
        self.attr_claims = self.attr_claims.saturating_add(o.attr_claims);
        self.attr_only_docs = self.attr_only_docs.saturating_add(o.attr_only_docs);
    }

    pub fn pattern(&self, p: &str) -> CrossSums {
        self.patterns.get(p).copied().unwrap_or_default()
    }

    pub fn source_type(&self, t: &str) -> CrossSums {
        self.types.get(t).copied().unwrap_or_default()
    }
}

/// The sums of `key`, allocating the key only when it is new (this runs per document).
fn entry<'a>(map: &'a mut BTreeMap<String, CrossSums>, key: &str) -> &'a mut CrossSums {
    if !map.contains_key(key) {
        map.insert(key.to_string(), CrossSums::default());
    }
    map.get_mut(key).expect("inserted above")
}

/// The sums of one ratio `Σ y / Σ m` over `g` documents with `m_i > 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioSums {
    pub g: u64,
    pub y: u128,
    pub m: u128,
    pub yy: u128,
    pub ym: u128,
    pub mm: u128,
}

/// A ratio estimate with its cluster-robust variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatioFit {
    pub estimate: f64,
    /// `G/(G-1) Σ (y_i - R m_i)^2 / (Σ m)^2`; `None` with fewer than two documents or
    /// sums too large for 256 bits.
    pub var: Option<f64>,
}

fn add_wide(a: Wide, b: Wide) -> Option<Wide> {
    let (low, carry) = a.1.overflowing_add(b.1);
    let high = a.0.checked_add(b.0)?.checked_add(u128::from(carry))?;
    Some((high, low))
}

impl RatioSums {
    /// The estimate and its clustered variance. The sum of squared residuals is computed
    /// exactly, as `Σ (M y_i - Y m_i)^2 = M^2 Σy^2 - 2 M Y Σym + Y^2 Σm^2` in 256-bit
    /// integers, so it is never negative and does not depend on document order.
    pub fn fit(&self) -> Option<RatioFit> {
        if self.m == 0 {
            return None;
        }
        let (mf, yf) = (self.m as f64, self.y as f64);
        let estimate = yf / mf;
        let var = (self.g >= 2)
            .then(|| self.residual_sq())
            .flatten()
            .map(|num| {
                let g = self.g as f64;
                g / (g - 1.0) * wide_to_f64(num) / (mf * mf) / (mf * mf)
            });
        Some(RatioFit { estimate, var })
    }

    fn residual_sq(&self) -> Option<Wide> {
        self.residual_sq_about(self.y, self.m)
    }

    /// `Σ (m0 y_i - y0 m_i)^2`: the residuals about the ratio `y0 / m0`, times `m0`.
    fn residual_sq_about(&self, y0: u128, m0: u128) -> Option<Wide> {
        let mm2 = m0.checked_mul(m0)?;
        let my2 = m0.checked_mul(y0)?.checked_mul(2)?;
        let yy2 = y0.checked_mul(y0)?;
        let plus = add_wide(mul_wide(mm2, self.yy), mul_wide(yy2, self.mm))?;
        // Non-negative by construction (a sum of squares); `None` only on saturated sums.
        sub_wide(plus, mul_wide(my2, self.ym))
    }

    /// The clustered variance of the ratio with the residuals taken about `y0 / m0` (a
    /// common ratio under a null hypothesis) instead of the ratio itself:
    /// `G/(G-1) Σ (y_i - R0 m_i)^2 / (Σ m)^2`. `None` below two documents.
    pub fn var_about(&self, y0: u128, m0: u128) -> Option<f64> {
        if self.g < 2 || self.m == 0 || m0 == 0 {
            return None;
        }
        let num = wide_to_f64(self.residual_sq_about(y0, m0)?);
        let (g, m, m0) = (self.g as f64, self.m as f64, m0 as f64);
        Some(g / (g - 1.0) * num / (m0 * m0) / (m * m))
    }
}

/// An estimate on a bounded scale with its interval and the interval's method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounded {
    pub estimate: Option<f64>,
    pub ci: Option<Interval>,
    /// One of the interval constants of this module, or empty without an estimate.
    pub method: &'static str,
}

impl Bounded {
    pub const NONE: Bounded = Bounded {
        estimate: None,
        ci: None,
        method: "",
    };

    /// Multiplies the estimate and interval by `k` (scores: shares of 100 points).
    pub fn scaled(self, k: f64) -> Bounded {
        Bounded {
            estimate: self.estimate.map(|e| e * k),
            ci: self.ci.map(|c| Interval {
                low: c.low * k,
                high: c.high * k,
            }),
            ..self
        }
    }
}

/// Wilson's score interval for a share `p` of `n` units with critical value `c`.
pub fn wilson_with(p: f64, n: f64, c: f64) -> Interval {
    let c2 = c * c;
    let denom = 1.0 + c2 / n;
    let center = (p + c2 / (2.0 * n)) / denom;
    let half = c / denom * (p * (1.0 - p) / n + c2 / (4.0 * n * n)).sqrt();
    Interval {
        low: (center - half).max(0.0),
        high: (center + half).min(1.0),
    }
}

/// The interval of a share `p` in `[0, 1]` estimated from `g` documents with variance `var`.
///
/// Inside `(0, 1)`: the delta-method interval on the logit scale, `logit p ± t_{G-1}
/// sqrt(var) / (p (1 - p))`, mapped back, so it stays inside `(0, 1)`. At 0 or 1 the logit
/// is infinite and the variance 0: Wilson's interval with the `g` documents as the sample
/// size (the design effect of clusters whose units all agree) and `t_{G-1}` in place of z;
/// so too inside `(0, 1)` when the variance is exactly 0.
/// With one document there is no variance between documents: no interval.
pub fn share_interval(p: f64, var: Option<f64>, g: u64, inside: &'static str) -> Bounded {
    // Documents that all agree (variance 0) say nothing about the spread between
    // documents: they get the same rule as the bounds, never a zero-width interval.
    let at_bound = p <= 0.0 || p >= 1.0 || var == Some(0.0);
    let method = if at_bound {
        if inside == CLUSTER_LOGIT {
            CLUSTER_WILSON
        } else {
            DOC_WILSON
        }
    } else {
        inside
    };
    let none = Bounded {
        estimate: Some(p),
        ci: None,
        method: NO_INTERVAL_ONE_DOCUMENT,
    };
    if g < 2 {
        return none;
    }
    let Some(t) = t_crit(g as f64 - 1.0) else {
        return none;
    };
    let ci = if at_bound {
        Some(wilson_with(p.clamp(0.0, 1.0), g as f64, t))
    } else {
        var.map(|v| {
            let logit = (p / (1.0 - p)).ln();
            let half = t * v.sqrt() / (p * (1.0 - p));
            Interval {
                low: expit(logit - half),
                high: expit(logit + half),
            }
        })
    };
    Bounded {
        estimate: Some(p),
        ci,
        method,
    }
}

fn expit(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// A clustered ratio in `[0, 1]` (`y_i <= unit * m_i`, read as `Σy / (unit Σm)`), with its
/// variance floored at `iid_var` (that of independent units: a design effect below 1 is
/// taken for chance, as Korn and Graubard 1998 truncate it).
pub fn clustered_share(sums: &RatioSums, unit: f64, iid_var: Option<f64>) -> Bounded {
    let Some(fit) = sums.fit() else {
        return Bounded::NONE;
    };
    // At the bounds the integers say so exactly, whatever the rounding of the division.
    let p = if sums.y == 0 {
        0.0
    } else if sums.y as f64 == unit * sums.m as f64 {
        1.0
    } else {
        fit.estimate / unit
    };
    let var = fit.var.map(|v| {
        let v = v / (unit * unit);
        iid_var.map_or(v, |w| v.max(w))
    });
    share_interval(p, var, sums.g, CLUSTER_LOGIT)
}

/// A clustered ratio `Σy / Σm` without a bound above (attributions per claim), with its
/// variance floored at the Poisson one, `R / Σm` (the attributions independent events over
/// the claims; a design effect below 1 is not believed, as for shares).
///
/// Inside `(0, ∞)`: the delta-method interval on the log scale, `log R ± t_{G-1}
/// sqrt(V) / R`, mapped back, so it stays above 0. At 0 the log is infinite and the
/// variance 0: the Poisson score interval of 0 events with the `g` documents as the
/// exposure (the design effect of clusters whose claims all agree, as for Wilson's at 0)
/// and `t_{G-1}` for z, `[0, t^2 / G]`. One document: no interval.
pub fn clustered_rate(sums: &RatioSums) -> Bounded {
    let Some(fit) = sums.fit() else {
        return Bounded::NONE;
    };
    let r = if sums.y == 0 { 0.0 } else { fit.estimate };
    let one = Bounded {
        estimate: Some(r),
        ci: None,
        method: NO_INTERVAL_ONE_DOCUMENT,
    };
    if sums.g < 2 {
        return one;
    }
    let Some(t) = t_crit(sums.g as f64 - 1.0) else {
        return one;
    };
    if sums.y == 0 {
        return Bounded {
            estimate: Some(0.0),
            ci: Some(Interval {
                low: 0.0,
                high: t * t / sums.g as f64,
            }),
            method: CLUSTER_POISSON,
        };
    }
    let ci = fit.var.map(|v| {
        let half = t * v.max(r / sums.m as f64).sqrt() / r;
        Interval {
            low: r * (-half).exp(),
            high: r * half.exp(),
        }
    });
    Bounded {
        estimate: Some(r),
        ci,
        method: CLUSTER_LOG,
    }
}

impl Bounded {
    /// A mean of per-document values in `0..=max` (documents independent) with a bounded
    /// interval: the t interval's standard error `sd / sqrt(n)`, on the logit scale of
    /// `mean / max`.
    pub fn doc_mean(m: &Moments, max: f64) -> Bounded {
        let p = (m.mean / max).clamp(0.0, 1.0);
        let var = m.var.map(|v| v / (m.n as f64 * max * max));
        share_interval(p, var, m.n, DOC_LOGIT).scaled(max)
    }
}

/// Variance of a share's estimate were its `n` units independent: the intercept-only OLS
/// variance `s^2 / n`, `s^2` the units' sample variance. `None` below two units.
pub(super) fn iid_share_var(k: u64, n: u64) -> Option<f64> {
    (n >= 2).then(|| {
        let (k, n) = (k as f64, n as f64);
        (k - k * k / n) / (n - 1.0) / n
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::assert_close;

    fn sums(docs: &[(u64, u64)]) -> RatioSums {
        let mut s = RatioSums {
            g: 0,
            y: 0,
            m: 0,
            yy: 0,
            ym: 0,
            mm: 0,
        };
        for &(y, m) in docs {
            let (y, m) = (y as u128, m as u128);
            s.g += 1;
            s.y += y;
            s.m += m;
            s.yy += y * y;
            s.ym += y * m;
            s.mm += m * m;
        }
        s
    }

    #[test]
    fn clustered_variance_is_the_sandwich_formula() {
        let docs = [(1, 4), (0, 3), (5, 6), (2, 2)];
        let fit = sums(&docs).fit().unwrap();
        let r = 8.0 / 15.0;
        let ss: f64 = docs
            .iter()
            .map(|&(y, m)| (y as f64 - r * m as f64).powi(2))
            .sum();
        assert_close!(fit.estimate, r);
        assert_close!(fit.var.unwrap(), 4.0 / 3.0 * ss / 225.0, 1e-12);
        // Documents with equal rates: no residual at all, exactly.
        assert_eq!(
            sums(&[(1, 3), (2, 6), (3, 9)]).fit().unwrap().var,
            Some(0.0)
        );
        assert_eq!(sums(&[(1, 3)]).fit().unwrap().var, None);
    }

    #[test]
    fn intervals_stay_within_bounds() {
        // One hedged claim in 200 over two documents: the Wald interval would go below 0.
        let s = sums(&[(1, 100), (0, 100)]);
        let b = clustered_share(&s, 1.0, Some(0.005 * 0.995 / 199.0));
        let ci = b.ci.unwrap();
        assert!(ci.low > 0.0 && ci.high < 1.0 && ci.low < 0.005 && ci.high > 0.005);
        assert_eq!(b.method, CLUSTER_LOGIT);
        // None hedged: Wilson with two documents, t with one degree of freedom.
        let b = clustered_share(&sums(&[(0, 50), (0, 70)]), 1.0, Some(0.0));
        assert_eq!(b.method, CLUSTER_WILSON);
        let t = t_crit(1.0).unwrap();
        assert_eq!(b.ci.unwrap().low, 0.0);
        assert_close!(b.ci.unwrap().high, t * t / (2.0 + t * t));
        // All hedged.
        let b = clustered_share(&sums(&[(5, 5), (7, 7), (1, 1)]), 1.0, Some(0.0));
        assert_eq!((b.estimate, b.ci.unwrap().high), (Some(1.0), 1.0));
        // One document: no interval, and said so.
        let b = clustered_share(&sums(&[(3, 10)]), 1.0, None);
        assert_eq!((b.ci, b.method), (None, NO_INTERVAL_ONE_DOCUMENT));
    }

    #[test]
    fn a_design_effect_below_one_is_floored() {
        // Equal rates in every document: the clustered variance is 0, the floor is not.
        let s = sums(&[(1, 2), (2, 4), (3, 6)]);
        let iid = 0.25 * 12.0 / 11.0 / 12.0;
        let b = clustered_share(&s, 1.0, Some(iid));
        let ci = b.ci.unwrap();
        assert!(ci.low < 0.5 && ci.high > 0.5, "{ci:?}");
    }

    #[test]
    fn huge_sums_give_no_variance_rather_than_a_wrong_one() {
        let s = RatioSums {
            g: 3,
            y: u128::MAX / 2,
            m: u128::MAX,
            yy: u128::MAX,
            ym: u128::MAX,
            mm: u128::MAX,
        };
        assert_eq!(s.fit().unwrap().var, None);
    }
}
