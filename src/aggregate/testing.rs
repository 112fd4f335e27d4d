//! What the aggregation tests share.

use super::DocStats;

/// `a` is within `tol` of `b`, relative to `|b|` (absolute below 1).
pub(crate) fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

/// Asserts that two floats are [`close`] (within 1e-9 unless a tolerance is given), naming
/// the expression that missed.
macro_rules! assert_close {
    ($a:expr, $b:expr) => {
        $crate::aggregate::testing::assert_close!($a, $b, 1e-9)
    };
    ($a:expr, $b:expr, $tol:expr) => {{
        let (a, b): (f64, f64) = ($a, $b);
        assert!(
            $crate::aggregate::testing::close(a, b, $tol),
            "{} = {a:.17}, expected {b:.17}",
            stringify!($a)
        );
    }};
}
pub(crate) use assert_close;

/// A document whose claims carry the given scores and pattern lists.
pub(crate) fn doc(id: &str, group: &str, claims: &[(f64, &[&str])]) -> DocStats {
    let mut d = DocStats::new(id, group);
    for (score, pats) in claims {
        d.push_claim(*score, pats.iter().copied());
    }
    d
}
