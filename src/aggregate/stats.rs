//! Small-sample statistics written out by hand: Wilson and Student-t intervals and Holm's
//! step-down adjustment. Only the distribution functions come from statrs.
//!
//! Every function returns `None` where the quantity is undefined (too few observations,
//! zero variance) instead of NaN or infinity, so that callers and CSV sinks never see
//! non-finite numbers.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use statrs::function::erf::erfc;

/// Two-sided confidence level of every interval in this module.
pub const CONFIDENCE: f64 = 0.95;

/// A closed interval `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Upper `(1 + CONFIDENCE) / 2` quantile of the standard normal (1.959963984540054).
pub fn z_crit() -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(0.5 + CONFIDENCE / 2.0),
        // Unreachable with these constants; the textbook value keeps this total.
        Err(_) => 1.959_963_984_540_054,
    }
}

fn students_t(df: f64) -> Option<StudentsT> {
    if !(df.is_finite() && df > 0.0) {
        return None;
    }
    StudentsT::new(0.0, 1.0, df).ok()
}

/// From this many degrees of freedom on, t's quantile ([`t_crit`]) and tail
/// ([`t_two_sided_p`]) come from large-df series instead of statrs: statrs' inverse cdf (an
/// iterative inverse of the incomplete beta function) did not return at u32::MAX degrees
/// of freedom, and its tail loses digits as the beta function's argument `df / (df + t^2)`
/// nears 1 (3e-12 off at 9999, 7e-6 relative at 4e9). From here on both series agree with
/// the exact values (40-digit mpmath) within 1e-13 relative.
const LARGE_DF: f64 = 1e4;

/// Upper `(1 + CONFIDENCE) / 2` quantile of Student's t with `df` degrees of freedom; every
/// t quantile goes through here.
///
/// Below [`LARGE_DF`] statrs' inverse; from there on the expansion of the t quantile in
/// powers of `1/df` about the normal quantile (Abramowitz & Stegun 1964, 26.7.5), to the
/// fourth power, whose next term is below 1e-17 there.
pub fn t_crit(df: f64) -> Option<f64> {
    if df.is_finite() && df >= LARGE_DF {
        return Some(t_quantile_expansion(z_crit(), df));
    }
    let dist = students_t(df)?;
    let q = dist.inverse_cdf(0.5 + CONFIDENCE / 2.0);
    q.is_finite().then_some(q)
}

/// Abramowitz & Stegun 26.7.5: the t quantile of the normal quantile `x` at `df`.
fn t_quantile_expansion(x: f64, df: f64) -> f64 {
    let x2 = x * x;
    let g1 = x * (x2 + 1.0) / 4.0;
    let g2 = x * ((5.0 * x2 + 16.0) * x2 + 3.0) / 96.0;
    let g3 = x * (((3.0 * x2 + 19.0) * x2 + 17.0) * x2 - 15.0) / 384.0;
    let g4 = x * ((((79.0 * x2 + 776.0) * x2 + 1482.0) * x2 - 1920.0) * x2 - 945.0) / 92160.0;
    x + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}

/// Two-sided p-value of a t statistic; from [`LARGE_DF`] on, Hill's series.
pub fn t_two_sided_p(t: f64, df: f64) -> Option<f64> {
    if !t.is_finite() {
        return None;
    }
    if df.is_finite() && df >= LARGE_DF {
        return Some(hill_two_sided_p(t.abs(), df).min(1.0));
    }
    let dist = students_t(df)?;
    let p = (2.0 * dist.sf(t.abs())).min(1.0);
    p.is_finite().then_some(p)
}

/// Hill (1970, Algorithm 395): the two-sided tail of t at large `df` as a normal tail of
/// `z`, with `z^2 = (df - 1/2) log(1 + t^2 / df)` (the leading term of the large-`a`
/// expansion of the incomplete beta function, `log1p` keeping every digit) and Hill's
/// correction in `1 / df^2`.
fn hill_two_sided_p(t: f64, df: f64) -> f64 {
    let a = df - 0.5;
    let b = 48.0 * a * a;
    let y = a * (t * t / df).ln_1p();
    let z = (((((-0.4 * y - 3.3) * y - 24.0) * y - 85.5) / (0.8 * y * y + 100.0 + b) + y + 3.0)
        / b
        + 1.0)
        * y.sqrt();
    erfc(z / std::f64::consts::SQRT_2)
}

/// Wilson score interval for `k` successes in `n` trials (as statsmodels'
/// `proportion_confint(k, n, method="wilson")`). `None` when `n == 0` or `k > n`.
pub fn wilson(k: u64, n: u64) -> Option<Interval> {
    if n == 0 || k > n {
        return None;
    }
    let z = z_crit();
    let nf = n as f64;
    let p = k as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let center = (p + z2 / (2.0 * nf)) / denom;
    let half = z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    // Clamp the rounding spill at k = 0 and k = n (the exact bounds are 0 and 1).
    Some(Interval {
        low: (center - half).max(0.0),
        high: (center + half).min(1.0),
    })
}

/// Count, mean and unbiased sample variance of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    /// Sample variance with `n - 1` denominator; `None` when `n < 2`.
    pub var: Option<f64>,
}

impl Moments {
    /// Two-pass mean and variance, summed in slice order (callers fix the order so that
    /// results are reproducible bit for bit). `None` for an empty slice.
    pub fn of(values: &[f64]) -> Option<Moments> {
        if values.is_empty() {
            return None;
        }
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = (values.len() >= 2)
            .then(|| values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0));
        Some(Moments {
            n: values.len() as u64,
            mean,
            var,
        })
    }

    pub fn sd(&self) -> Option<f64> {
        self.var.map(f64::sqrt)
    }

    /// Student-t confidence interval of the mean; `None` when `n < 2`. A sample with zero
    /// variance gets the degenerate interval `[mean, mean]`.
    pub fn t_interval(&self) -> Option<Interval> {
        let var = self.var?;
        let n = self.n as f64;
        let t = t_crit(n - 1.0)?;
        let half = t * (var / n).sqrt();
        Some(Interval {
            low: self.mean - half,
            high: self.mean + half,
        })
    }
}

/// Exact sums of per-document values held in fixed point: each value is an integer
/// `round(x * 2^frac_bits)` for some unit of `x`. Integer sums are associative and
/// commutative, so summaries of shards merge into exactly the sums of the whole corpus,
/// in any order, with nothing kept per document.
///
/// The only rounding is of each document's value to `frac_bits` binary places (half an
/// ulp of 2^-frac_bits); see the callers for what that is in points. Sums saturate instead
/// of wrapping, which with values below 2^44 cannot happen before 2^40 documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedSum {
    /// Sum of the fixed-point values; a decimal string in JSON (beyond 2^53).
    #[serde(with = "u128_text")]
    pub sum: u128,
    /// Sum of their squares; a decimal string in JSON.
    #[serde(with = "u128_text")]
    pub sum_sq: u128,
}

impl FixedSum {
    /// Adds one fixed-point value.
    pub fn push(&mut self, v: u128) {
        self.sum = self.sum.saturating_add(v);
        self.sum_sq = self.sum_sq.saturating_add(v.saturating_mul(v));
    }

    pub fn add(&mut self, other: &FixedSum) {
        self.sum = self.sum.saturating_add(other.sum);
        self.sum_sq = self.sum_sq.saturating_add(other.sum_sq);
    }

    /// Mean and sample variance of `n` values (values not pushed count as 0), each read as
    /// `fixed / 2^frac_bits / per_unit`. The variance numerator `n * sum_sq - sum^2` is
    /// computed exactly in 256 bits, so a constant sample has variance exactly 0 and the
    /// result does not depend on the order the values came in. `None` when `n == 0`.
    pub fn moments(&self, n: u64, frac_bits: u32, per_unit: f64) -> Option<Moments> {
        if n == 0 {
            return None;
        }
        let nf = n as f64;
        // Powers of two: dividing by them is exact.
        let scale = (1u128 << frac_bits) as f64;
        let mean = self.sum as f64 / scale / (nf * per_unit);
        let var = (n >= 2).then(|| {
            let nq = mul_wide(n as u128, self.sum_sq);
            let ss = mul_wide(self.sum, self.sum);
            // n*q >= s^2 by Cauchy–Schwarz; only saturated sums could break it.
            let num = sub_wide(nq, ss).map_or(0.0, wide_to_f64);
            num / (scale * scale) / (nf * (nf - 1.0) * per_unit * per_unit)
        });
        Some(Moments { n, mean, var })
    }
}

/// A 256-bit unsigned integer as (high, low) 128-bit halves.
pub(super) type Wide = (u128, u128);

/// The full 256-bit product of two 128-bit integers.
pub(super) fn mul_wide(a: u128, b: u128) -> Wide {
    const LO: u128 = u64::MAX as u128;
    let (a1, a0, b1, b0) = (a >> 64, a & LO, b >> 64, b & LO);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    // Middle column: at most 3 * (2^64 - 1), no overflow.
    let mid = (p00 >> 64) + (p01 & LO) + (p10 & LO);
    let low = (p00 & LO) | ((mid & LO) << 64);
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (high, low)
}

/// `a - b`, or `None` when `b > a`.
pub(super) fn sub_wide(a: Wide, b: Wide) -> Option<Wide> {
    if a < b {
        return None;
    }
    let (low, borrow) = a.1.overflowing_sub(b.1);
    Some((a.0 - b.0 - u128::from(borrow), low))
}

pub(super) fn wide_to_f64((high, low): Wide) -> f64 {
    const TWO_128: f64 = 340_282_366_920_938_463_463_374_607_431_768_211_456.0;
    high as f64 * TWO_128 + low as f64
}

/// u128 as a decimal string, so that JSON readers limited to 53-bit numbers keep it exact.
pub(super) mod u128_text {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|_| {
            D::Error::custom(format!(
                "expected a non-negative integer as a decimal string, found {s:?}"
            ))
        })
    }
}

/// Holm's step-down adjustment (statsmodels' `multipletests(p, method="holm")`), returned
/// in input order. Ties keep input order, so the result is deterministic.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let mut adjusted = vec![0.0; m];
    let mut running = 0.0_f64;
    for (rank, &i) in order.iter().enumerate() {
        let step = ((m - rank) as f64 * p[i]).min(1.0);
        running = running.max(step);
        adjusted[i] = running;
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::aggregate::testing::assert_close;

    #[test]
    fn critical_values_match_scipy() {
        // python: from scipy import stats
        //   stats.norm.ppf(0.975), stats.t.ppf(0.975, 4), stats.t.ppf(0.975, 13.7)
        assert_close!(z_crit(), 1.959963984540054);
        assert_close!(t_crit(4.0).unwrap(), 2.7764451051977934);
        assert_close!(t_crit(13.7).unwrap(), 2.149201262229809);
        // stats.t.ppf(0.975, 2000), stats.t.ppf(0.975, 123456.7)
        assert_close!(t_crit(2000.0).unwrap(), 1.9611508260994377);
        assert_close!(t_crit(123456.7).unwrap(), 1.9599832001362323);
        // 2*stats.t.sf(3.1, 2000), 2*stats.t.sf(4.2, 1.5), 2*stats.t.sf(12.0, 250.0)
        assert_close!(t_two_sided_p(3.1, 2000.0).unwrap(), 0.0019621723144443597);
        assert_close!(t_two_sided_p(-4.2, 1.5).unwrap(), 0.08385474757828242);
        let tiny = t_two_sided_p(12.0, 250.0).unwrap();
        assert_close!(tiny / 1.6735296226983602e-26, 1.0, 1e-6);
        // Either side of LARGE_DF, against the exact quantile to 40 digits (mpmath:
        //   f = lambda t: betainc(v/2, 1/2, 0, v/(v+t*t), regularized=True)/2 - 0.025
        //   findroot(f, 1.96)), where statrs' iteration did not return at u32::MAX.
        for (df, want) in [
            (9999.0, 1.9602012636213577),
            (10000.0, 1.9602012398906263),
            (5_999_999.0, 1.959964379918737),
            (4_294_967_294.0, 1.9599639850923918),
            (1e15, 1.9599639845400567),
        ] {
            // statrs, below LARGE_DF, is 3e-12 off at 9999; the series 2e-16.
            let got = t_crit(df).unwrap();
            assert!((got - want).abs() < 1e-11, "df {df}: {got} against {want}");
        }
        // p-values at such df (mpmath: betainc(v/2, 1/2, 0, v/(v+t*t), regularized=True)).
        for (t, df, want) in [
            (3.1, 9999.0, 0.0019405835576897519),
            (3.1, 10000.0, 0.0019405830195619949),
            (25.0, 10000.0, 7.443343762919751e-134),
            (3.1, 4_294_967_294.0, 0.0019352064389454168),
            (2.0, 5_999_999.0, 0.045500308888841566),
            (12.0, 1e9, 3.552982897741143e-33),
        ] {
            let got = t_two_sided_p(t, df).unwrap();
            assert!(
                (got / want - 1.0).abs() < 1e-9,
                "t {t}, df {df}: {got} against {want}"
            );
        }
        assert_eq!(t_crit(0.0), None);
        assert_eq!(t_crit(f64::NAN), None);
    }

    // Shared samples. References computed with scipy 1.17.1 / statsmodels 0.15.0:
    //   import numpy as np; from scipy import stats, special
    //   a = np.array([52.3, 61.0, 47.5, 70.2, 58.8, 66.1])
    //   b = np.array([40.1, 45.5, 38.0, 52.7, 49.9, 41.2, 47.3, 44.0, 60.5])
    const A: [f64; 6] = [52.3, 61.0, 47.5, 70.2, 58.8, 66.1];

    #[test]
    fn student_t_interval_of_mean_matches_scipy() {
        // a.mean(), a.std(ddof=1)
        // stats.t.interval(0.95, len(a)-1, loc=a.mean(), scale=stats.sem(a))
        let m = Moments::of(&A).unwrap();
        assert_eq!(m.n, 6);
        assert_close!(m.mean, 59.31666666666666);
        assert_close!(m.sd().unwrap(), 8.443083954732813);
        let ci = m.t_interval().unwrap();
        assert_close!(ci.low, 50.456193453936116);
        assert_close!(ci.high, 68.17713987939722);
    }

    #[test]
    fn wilson_matches_statsmodels() {
        // from statsmodels.stats.proportion import proportion_confint
        // proportion_confint(k, n, alpha=0.05, method='wilson')
        let cases = [
            (0, 10, 0.0, 0.27753279986288926),
            (3, 17, 0.061911266376209945, 0.4102945856883413),
            (17, 17, 0.8156818649911481, 1.0),
            (250, 1000, 0.2241530989836914, 0.27776028025908617),
        ];
        for (k, n, low, high) in cases {
            let ci = wilson(k, n).unwrap();
            assert_close!(ci.low, low);
            assert_close!(ci.high, high);
        }
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson(3, 2), None);
    }

    #[test]
    fn moments_of_degenerate_samples() {
        let one = Moments::of(&[50.0]).unwrap();
        let flat = Moments::of(&[50.0, 50.0]).unwrap();
        assert_eq!(Moments::of(&[]), None);
        assert_eq!(one.t_interval(), None);
        // A constant sample has the zero-width interval at its value.
        let ci = flat.t_interval().unwrap();
        assert_eq!((ci.low, ci.high), (50.0, 50.0));
    }

    #[test]
    fn holm_matches_statsmodels() {
        // from statsmodels.stats.multitest import multipletests
        // multipletests([0.01, 0.04, 0.03, 0.005, 0.5, 0.04], method='holm')[1]
        let adj = holm(&[0.01, 0.04, 0.03, 0.005, 0.5, 0.04]);
        let want = [0.05, 0.12, 0.12, 0.03, 0.5, 0.12];
        assert_eq!(adj.len(), want.len());
        for (a, w) in adj.iter().zip(want) {
            assert_close!(*a, w);
        }
        assert!(holm(&[]).is_empty());
        assert_eq!(holm(&[0.6, 0.7]), vec![1.0, 1.0]);
    }

    #[test]
    fn p_values_need_finite_statistics() {
        assert_eq!(t_two_sided_p(f64::INFINITY, 5.0), None);
        assert_eq!(t_two_sided_p(1.0, 0.0), None);
        assert_close!(t_two_sided_p(0.0, 5.0).unwrap(), 1.0);
    }

    #[test]
    fn wide_products_are_exact() {
        let max = u128::MAX;
        // (2^128 - 1)^2 = (2^128 - 2) * 2^128 + 1
        assert_eq!(mul_wide(max, max), (max - 1, 1));
        assert_eq!(mul_wide(1 << 64, 1 << 64), (1, 0));
        assert_eq!(
            mul_wide(123_456_789, 987_654_321),
            (0, 121_932_631_112_635_269)
        );
        assert_eq!(sub_wide((1, 0), (0, 1)), Some((0, max)));
        assert_eq!(sub_wide((0, 1), (1, 0)), None);
        assert_eq!(wide_to_f64((1, 0)), 2f64.powi(128));
    }

    #[test]
    fn fixed_sums_give_the_moments_of_their_values() {
        // Values 1.5, 2.5, 4.0 with 8 fraction bits.
        let mut s = FixedSum::default();
        for v in [384, 640, 1024] {
            s.push(v);
        }
        let m = s.moments(3, 8, 1.0).unwrap();
        let want = Moments::of(&[1.5, 2.5, 4.0]).unwrap();
        assert_close!(m.mean, want.mean);
        assert_close!(m.var.unwrap(), want.var.unwrap());
        // A value not pushed counts as 0; one value has no variance; none has no moments.
        let m = s.moments(4, 8, 1.0).unwrap();
        assert_close!(m.mean, 2.0);
        assert_eq!(s.moments(1, 8, 1.0).unwrap().var, None);
        assert_eq!(FixedSum::default().moments(0, 8, 1.0), None);
    }
}
