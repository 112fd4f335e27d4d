//! Small-sample statistics written out by hand: Wilson and Student-t intervals, Welch's
//! t-test, Hedges' g and Holm's step-down adjustment. Only the distribution functions come
//! from statrs.
//!
//! Every function returns `None` where the quantity is undefined (too few observations,
//! zero variance) instead of NaN or infinity, so that callers and CSV sinks never see
//! non-finite numbers.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use statrs::function::gamma::ln_gamma;

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

/// Upper `(1 + CONFIDENCE) / 2` quantile of Student's t with `df` degrees of freedom.
pub fn t_crit(df: f64) -> Option<f64> {
    let dist = students_t(df)?;
    let q = dist.inverse_cdf(0.5 + CONFIDENCE / 2.0);
    q.is_finite().then_some(q)
}

/// Two-sided p-value of a t statistic.
pub fn t_two_sided_p(t: f64, df: f64) -> Option<f64> {
    if !t.is_finite() {
        return None;
    }
    let dist = students_t(df)?;
    let p = (2.0 * dist.sf(t.abs())).min(1.0);
    p.is_finite().then_some(p)
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

/// Result of Welch's unequal-variance t-test of `mean(a) - mean(b)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    pub diff: f64,
    pub se: f64,
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Welch confidence interval of the difference.
    pub ci: Interval,
}

/// Welch's t-test (scipy's `ttest_ind(a, b, equal_var=False)`). `None` when either sample
/// has fewer than two values or both have zero variance (the test is then undefined).
pub fn welch(a: &Moments, b: &Moments) -> Option<Welch> {
    let (va, vb) = (a.var?, b.var?);
    let (na, nb) = (a.n as f64, b.n as f64);
    let (qa, qb) = (va / na, vb / nb);
    let se2 = qa + qb;
    if !(se2 > 0.0 && se2.is_finite()) {
        return None;
    }
    let se = se2.sqrt();
    let diff = a.mean - b.mean;
    let t = diff / se;
    let df = se2 * se2 / (qa * qa / (na - 1.0) + qb * qb / (nb - 1.0));
    let p = t_two_sided_p(t, df)?;
    let half = t_crit(df)? * se;
    Some(Welch {
        diff,
        se,
        t,
        df,
        p,
        ci: Interval {
            low: diff - half,
            high: diff + half,
        },
    })
}

/// Hedges' g: Cohen's d with the pooled standard deviation, times the exact small-sample
/// correction `J(m) = Γ(m/2) / (sqrt(m/2) Γ((m-1)/2))`, `m = n_a + n_b - 2`.
/// `None` when either sample has fewer than two values or the pooled variance is zero.
pub fn hedges_g(a: &Moments, b: &Moments) -> Option<f64> {
    let (va, vb) = (a.var?, b.var?);
    let (na, nb) = (a.n as f64, b.n as f64);
    let m = na + nb - 2.0;
    let pooled = ((na - 1.0) * va + (nb - 1.0) * vb) / m;
    if !(pooled > 0.0 && pooled.is_finite()) {
        return None;
    }
    let d = (a.mean - b.mean) / pooled.sqrt();
    // Log-gamma keeps J finite for large samples (Γ overflows past ~171).
    let j = (ln_gamma(m / 2.0) - ln_gamma((m - 1.0) / 2.0)).exp() / (m / 2.0).sqrt();
    let g = d * j;
    g.is_finite().then_some(g)
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

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr) => {
            assert_close!($a, $b, 1e-9)
        };
        ($a:expr, $b:expr, $tol:expr) => {{
            let (a, b): (f64, f64) = ($a, $b);
            assert!(
                close(a, b, $tol),
                "{} = {a:.17}, expected {b:.17}",
                stringify!($a)
            );
        }};
    }

    #[test]
    fn critical_values_match_scipy() {
        // python: from scipy import stats
        //   stats.norm.ppf(0.975), stats.t.ppf(0.975, 4), stats.t.ppf(0.975, 13.7)
        assert_close!(z_crit(), 1.959963984540054);
        assert_close!(t_crit(4.0).unwrap(), 2.7764451051977934);
        assert_close!(t_crit(13.7).unwrap(), 2.149201262229809);
        assert_eq!(t_crit(0.0), None);
        assert_eq!(t_crit(f64::NAN), None);
    }
}
