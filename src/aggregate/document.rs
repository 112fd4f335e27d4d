//! What the score stage reports per document ([`DocStats`]), and the document-level sums
//! that group summaries and comparisons pool ([`DocLevel`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::stats::{FixedSum, Moments};
use super::AggregateError;

/// Largest claim score; scores live on the grid 0.0, 0.1, ..., 100.0.
const MAX_SCORE_TENTHS: u64 = 1000;
/// How far (in tenths) a score may sit from the one-decimal grid and still count as on it:
/// absorbs binary rounding of values such as 0.1 * 3, nothing more.
const GRID_SLACK_TENTHS: f64 = 1e-6;

/// What the score stage reports about one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocStats {
    pub doc: String,
    pub group: String,
    /// Number of claims; must equal `scores.len()`.
    pub n_claims: u64,
    /// Claim scores (0..=100, one decimal), one per claim.
    pub scores: Vec<f64>,
    /// Pattern name -> number of claims showing it. A key with count 0 is kept, so that
    /// the pattern gets a row even in groups where it never occurs.
    pub patterns: BTreeMap<String, u64>,
    pub n_attributions: u64,
    /// Source type (`SourceType::as_str`) -> number of attributions.
    pub attributions_by_type: BTreeMap<String, u64>,
}

impl DocStats {
    pub fn new(doc: impl Into<String>, group: impl Into<String>) -> DocStats {
        DocStats {
            doc: doc.into(),
            group: group.into(),
            ..DocStats::default()
        }
    }

    /// Adds one claim with its score and the patterns it shows (each counted once), as
    /// [`crate::score::Pattern`]s or by name.
    pub fn push_claim<'a>(
        &mut self,
        score: f64,
        patterns: impl IntoIterator<Item = impl Into<&'a str>>,
    ) {
        self.n_claims += 1;
        self.scores.push(score);
        // A claim shows a handful of patterns: the distinct ones are kept on the stack, and a
        // key is allocated only the first time the document sees it (this runs per claim).
        let mut seen: [&str; 16] = [""; 16];
        let mut n = 0;
        let mut more: Vec<&str> = Vec::new();
        for p in patterns {
            let p: &str = p.into();
            if seen[..n].contains(&p) || more.contains(&p) {
                continue;
            }
            match seen.get_mut(n) {
                Some(slot) => {
                    *slot = p;
                    n += 1;
                }
                None => more.push(p),
            }
            bump(&mut self.patterns, p, 1);
        }
    }

    /// Adds one attribution of the given source type.
    pub fn push_attribution(&mut self, source_type: &str) {
        self.n_attributions += 1;
        bump(&mut self.attributions_by_type, source_type, 1);
    }

    /// Sum of claim scores.
    pub fn score_sum(&self) -> f64 {
        self.scores.iter().sum()
    }

    /// Checks the document and returns its claim scores in tenths.
    pub(super) fn validated_tenths(&self) -> Result<Vec<u64>, AggregateError> {
        if self.n_claims != self.scores.len() as u64 {
            return Err(AggregateError::ClaimCountMismatch {
                doc: self.doc.clone(),
                group: self.group.clone(),
                n_claims: self.n_claims,
                n_scores: self.scores.len(),
            });
        }
        if let Some((pattern, &count)) = self.patterns.iter().find(|(_, &c)| c > self.n_claims) {
            return Err(AggregateError::PatternOverflow {
                doc: self.doc.clone(),
                group: self.group.clone(),
                pattern: pattern.clone(),
                count,
                n_claims: self.n_claims,
            });
        }
        self.scores
            .iter()
            .enumerate()
            .map(|(claim, &score)| {
                score_tenths(score).ok_or_else(|| AggregateError::BadScore {
                    doc: self.doc.clone(),
                    group: self.group.clone(),
                    claim,
                    score,
                })
            })
            .collect()
    }
}

/// A score as an integer number of tenths, if it is finite, in range and on the grid.
fn score_tenths(score: f64) -> Option<u64> {
    let x = score * 10.0;
    let r = x.round();
    let on_grid = x.is_finite() && (x - r).abs() <= GRID_SLACK_TENTHS;
    (on_grid && (0.0..=MAX_SCORE_TENTHS as f64).contains(&r)).then_some(r as u64)
}

/// Fraction bits of a document's fixed-point mean claim score, held in tenths of a point
/// (at most 1000 * 2^34 < 2^44). Rounding to this grid moves a document's mean by at most
/// 2^-35 tenths (3e-12 points).
const SCORE_FRAC_BITS: u32 = 34;
/// Fraction bits of a document's fixed-point pattern rate (a share, at most 2^44). Rounding
/// moves a rate by at most 2^-45 (3e-14).
const RATE_FRAC_BITS: u32 = 44;

/// `round(num * 2^frac_bits / den)` (halves up) in integers; `den > 0`, `num <= 1000 * den`.
fn fixed(num: u64, den: u64, frac_bits: u32) -> u128 {
    let (num, den) = (num as u128, den as u128);
    ((num << frac_bits) + den / 2) / den
}

/// Document-level sums of one group, or of several pooled: the count of documents with at
/// least one claim and exact fixed-point sums (and sums of squares) of each such document's
/// mean claim score and pattern rates. That is all a mean, standard deviation, Student-t
/// interval over documents needs, and it merges exactly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocLevel {
    /// Documents with at least one claim: the `n` of every document-level figure.
    n: u64,
    /// Per-document mean claim score, in tenths with [`SCORE_FRAC_BITS`] fraction bits.
    score: FixedSum,
    /// Pattern -> per-document share of claims with it, with [`RATE_FRAC_BITS`] fraction
    /// bits. Only patterns some document has; a document without the pattern adds 0.
    rates: BTreeMap<String, FixedSum>,
}

impl DocLevel {
    /// Adds one validated document; a document without claims has no mean or rates and
    /// is not counted.
    pub(super) fn push(
        &mut self,
        n_claims: u64,
        score_tenths: u64,
        patterns: &BTreeMap<String, u64>,
    ) {
        if n_claims == 0 {
            return;
        }
        self.n = self.n.saturating_add(1);
        self.score
            .push(fixed(score_tenths, n_claims, SCORE_FRAC_BITS));
        for (p, &c) in patterns {
            if c > 0 {
                let x = fixed(c, n_claims, RATE_FRAC_BITS);
                // The key is allocated only when the pattern is new (this runs per document).
                match self.rates.get_mut(p.as_str()) {
                    Some(sums) => sums.push(x),
                    None => self.rates.entry(p.clone()).or_default().push(x),
                }
            }
        }
    }

    /// Pools `other`'s documents with these.
    pub fn merge(&mut self, other: &DocLevel) {
        self.n = self.n.saturating_add(other.n);
        self.score.add(&other.score);
        for (p, sums) in &other.rates {
            self.rates.entry(p.clone()).or_default().add(sums);
        }
    }

    /// Documents with at least one claim.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Moments of the per-document mean claim score (points); `None` without documents.
    pub fn score_moments(&self) -> Option<Moments> {
        self.score.moments(self.n, SCORE_FRAC_BITS, 10.0)
    }

    /// Moments of the per-document share of claims with `pattern`; `None` without documents.
    pub fn rate_moments(&self, pattern: &str) -> Option<Moments> {
        self.rates
            .get(pattern)
            .copied()
            .unwrap_or_default()
            .moments(self.n, RATE_FRAC_BITS, 1.0)
    }
}

/// Add `by` to the count of `key`, allocating the key only when it is new.
pub(super) fn bump(counts: &mut BTreeMap<String, u64>, key: &str, by: u64) {
    match counts.get_mut(key) {
        Some(c) => *c = c.saturating_add(by),
        None => {
            counts.insert(key.to_string(), by);
        }
    }
}
