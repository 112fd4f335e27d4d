//! Per-document statistics and mergeable per-group summaries.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::compare::{compare, ComparisonRow};
use super::stats::{wilson, Interval, Moments};
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

    /// Adds one claim with its score and the patterns it shows (each counted once).
    pub fn push_claim<'a>(&mut self, score: f64, patterns: impl IntoIterator<Item = &'a str>) {
        self.n_claims += 1;
        self.scores.push(score);
        let distinct: BTreeSet<&str> = patterns.into_iter().collect();
        for p in distinct {
            *self.patterns.entry(p.to_string()).or_insert(0) += 1;
        }
    }

    /// Adds one attribution of the given source type.
    pub fn push_attribution(&mut self, source_type: &str) {
        self.n_attributions += 1;
        *self
            .attributions_by_type
            .entry(source_type.to_string())
            .or_insert(0) += 1;
    }

    /// Sum of claim scores.
    pub fn score_sum(&self) -> f64 {
        self.scores.iter().sum()
    }

    /// Checks the document and returns its claim scores in tenths.
    fn validated_tenths(&self) -> Result<Vec<u64>, AggregateError> {
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

/// Exact tallies of one document (or of several documents sharing an id, pooled).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct DocTally {
    n_claims: u64,
    score_tenths: u64,
    patterns: BTreeMap<String, u64>,
}

impl DocTally {
    fn absorb(&mut self, other: &DocTally) {
        self.n_claims = self.n_claims.saturating_add(other.n_claims);
        self.score_tenths = self.score_tenths.saturating_add(other.score_tenths);
        add_counts(&mut self.patterns, &other.patterns);
    }

    /// Mean claim score; `None` for a document without claims.
    fn mean_score(&self) -> Option<f64> {
        (self.n_claims > 0).then(|| self.score_tenths as f64 / (10.0 * self.n_claims as f64))
    }

    /// Share of claims showing `pattern`; `None` for a document without claims.
    fn rate(&self, pattern: &str) -> Option<f64> {
        (self.n_claims > 0)
            .then(|| self.patterns.get(pattern).copied().unwrap_or(0) as f64 / self.n_claims as f64)
    }
}

fn add_counts(into: &mut BTreeMap<String, u64>, from: &BTreeMap<String, u64>) {
    for (k, &v) in from {
        let slot = into.entry(k.clone()).or_insert(0);
        *slot = slot.saturating_add(v);
    }
}

/// Mergeable summary of one group of documents.
///
/// Holds only integers and per-document integer tallies, so merging is associative and
/// commutative and the derived figures ([`rows`](GroupSummary::rows)) do not depend on
/// how the corpus was split. Documents are identified by id: two documents with the same
/// id in one group are pooled into one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub group: String,
    docs: BTreeMap<String, DocTally>,
    /// Claim score in tenths -> number of claims.
    score_hist: BTreeMap<u64, u64>,
    patterns: BTreeMap<String, u64>,
    n_attributions: u64,
    attributions_by_type: BTreeMap<String, u64>,
}

/// One figure of a group summary, in long format (one CSV line per figure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryRow {
    pub group: String,
    /// `documents`, `claims`, `score_mean`, `score_median`, `doc_score_mean`,
    /// `pattern_rate`, `doc_pattern_rate`, `attributions`, `attributions_per_claim`,
    /// `attribution_share`.
    pub metric: String,
    /// The pattern or source type for keyed metrics; empty otherwise.
    pub key: String,
    /// `claim`, `document` or `attribution`: the unit that `n` counts.
    pub level: String,
    pub n: u64,
    /// Units with the pattern or type, for proportions.
    pub count: Option<u64>,
    pub estimate: Option<f64>,
    pub sd: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// `wilson95`, `student_t95`, or empty when the row has no interval.
    pub interval: String,
}

impl GroupSummary {
    pub fn new(group: impl Into<String>) -> GroupSummary {
        GroupSummary {
            group: group.into(),
            ..GroupSummary::default()
        }
    }

    /// Summarizes `docs`, all taken to belong to `group` (their own `group` is not read).
    pub fn from_docs<'a>(
        group: impl Into<String>,
        docs: impl IntoIterator<Item = &'a DocStats>,
    ) -> Result<GroupSummary, AggregateError> {
        let mut s = GroupSummary::new(group);
        for d in docs {
            s.add_doc(d)?;
        }
        Ok(s)
    }

    /// Adds a document to this group (its `group` field is not read). Validates first, so
    /// a rejected document leaves the summary unchanged.
    pub fn add_doc(&mut self, doc: &DocStats) -> Result<(), AggregateError> {
        let tenths = doc.validated_tenths()?;
        let mut tally = DocTally {
            n_claims: doc.n_claims,
            score_tenths: 0,
            patterns: doc.patterns.clone(),
        };
        for t in tenths {
            tally.score_tenths = tally.score_tenths.saturating_add(t);
            let slot = self.score_hist.entry(t).or_insert(0);
            *slot = slot.saturating_add(1);
        }
        add_counts(&mut self.patterns, &doc.patterns);
        self.n_attributions = self.n_attributions.saturating_add(doc.n_attributions);
        add_counts(&mut self.attributions_by_type, &doc.attributions_by_type);
        self.docs.entry(doc.doc.clone()).or_default().absorb(&tally);
        Ok(())
    }

    /// Folds `other` (a summary of the same group) into `self`.
    pub fn merge(&mut self, other: GroupSummary) -> Result<(), AggregateError> {
        if other.group != self.group {
            return Err(AggregateError::GroupMismatch {
                this: self.group.clone(),
                other: other.group,
            });
        }
        for (id, tally) in &other.docs {
            self.docs.entry(id.clone()).or_default().absorb(tally);
        }
        for (k, v) in other.score_hist {
            let slot = self.score_hist.entry(k).or_insert(0);
            *slot = slot.saturating_add(v);
        }
        add_counts(&mut self.patterns, &other.patterns);
        self.n_attributions = self.n_attributions.saturating_add(other.n_attributions);
        add_counts(&mut self.attributions_by_type, &other.attributions_by_type);
        Ok(())
    }

    pub fn n_documents(&self) -> u64 {
        self.docs.len() as u64
    }

    pub fn n_claims(&self) -> u64 {
        self.score_hist
            .values()
            .fold(0u64, |a, &c| a.saturating_add(c))
    }

    pub fn pattern_count(&self, pattern: &str) -> u64 {
        self.patterns.get(pattern).copied().unwrap_or(0)
    }

    /// Names of the patterns seen (including those registered with count 0).
    pub fn pattern_names(&self) -> impl Iterator<Item = &str> {
        self.patterns.keys().map(String::as_str)
    }

    pub fn attribution_types(&self) -> impl Iterator<Item = &str> {
        self.attributions_by_type.keys().map(String::as_str)
    }

    /// Mean and variance of claim scores, computed exactly in integers from the histogram
    /// and rounded once, so they are independent of document order.
    pub fn claim_moments(&self) -> Option<Moments> {
        let (mut n, mut s, mut q) = (0u128, 0u128, 0u128);
        for (&k, &c) in &self.score_hist {
            let (k, c) = (k as u128, c as u128);
            n += c;
            s += c * k;
            q += c * k * k;
        }
        if n == 0 {
            return None;
        }
        let nf = n as f64;
        let mean = s as f64 / (10.0 * nf);
        // n*q >= s^2 by Cauchy–Schwarz, so the subtraction cannot underflow.
        let var = (n >= 2).then(|| (n * q - s * s) as f64 / (nf * (nf - 1.0) * 100.0));
        Some(Moments {
            n: n as u64,
            mean,
            var,
        })
    }

    /// Exact median claim score (mean of the two middle scores for an even count).
    pub fn median_score(&self) -> Option<f64> {
        let n = self.n_claims();
        if n == 0 {
            return None;
        }
        // 0-based ranks of the middle one or two claims.
        let (lo, hi) = ((n - 1) / 2, n / 2);
        let (mut lo_v, mut seen) = (None, 0u64);
        for (&k, &c) in &self.score_hist {
            seen += c;
            if lo_v.is_none() && seen > lo {
                lo_v = Some(k);
            }
            if seen > hi {
                return lo_v.map(|l| (l + k) as f64 / 20.0);
            }
        }
        None
    }

    /// Mean claim score of each document with at least one claim, in document id order.
    pub fn doc_means(&self) -> Vec<f64> {
        self.docs
            .values()
            .filter_map(DocTally::mean_score)
            .collect()
    }

    /// Share of claims with `pattern` in each document with at least one claim, in
    /// document id order.
    pub fn doc_rates(&self, pattern: &str) -> Vec<f64> {
        self.docs.values().filter_map(|d| d.rate(pattern)).collect()
    }

    /// The summary's figures, with a row for each pattern and source type it has seen.
    pub fn rows(&self) -> Vec<SummaryRow> {
        let patterns: BTreeSet<&str> = self.pattern_names().collect();
        let types: BTreeSet<&str> = self.attribution_types().collect();
        self.rows_for(&patterns, &types)
    }

    /// The summary's figures with a row for each of `patterns` and `types` (count 0 where
    /// unseen), so that several groups can share one table layout.
    pub fn rows_for(&self, patterns: &BTreeSet<&str>, types: &BTreeSet<&str>) -> Vec<SummaryRow> {
        let n_claims = self.n_claims();
        let row = |metric: &str, key: &str, level: &str, n: u64| SummaryRow {
            group: self.group.clone(),
            metric: metric.to_string(),
            key: key.to_string(),
            level: level.to_string(),
            n,
            count: None,
            estimate: None,
            sd: None,
            ci_low: None,
            ci_high: None,
            interval: String::new(),
        };
        let mean_row = |metric: &str, key: &str, level: &str, m: Option<Moments>, n: u64| {
            let ci = m.and_then(|m| m.t_interval());
            SummaryRow {
                estimate: m.map(|m| m.mean),
                sd: m.and_then(|m| m.sd()),
                interval: "student_t95".to_string(),
                ..with_ci(row(metric, key, level, n), ci)
            }
        };
        let prop_row = |metric: &str, key: &str, level: &str, k: u64, n: u64| SummaryRow {
            count: Some(k),
            estimate: (n > 0).then(|| k as f64 / n as f64),
            interval: "wilson95".to_string(),
            ..with_ci(row(metric, key, level, n), wilson(k, n))
        };

        let mut rows = vec![
            row("documents", "", "document", self.n_documents()),
            row("claims", "", "claim", n_claims),
        ];
        rows.push(mean_row(
            "score_mean",
            "",
            "claim",
            self.claim_moments(),
            n_claims,
        ));
        rows.push(SummaryRow {
            estimate: self.median_score(),
            ..row("score_median", "", "claim", n_claims)
        });
        let doc_means = self.doc_means();
        rows.push(mean_row(
            "doc_score_mean",
            "",
            "document",
            Moments::of(&doc_means),
            doc_means.len() as u64,
        ));
        for &p in patterns {
            rows.push(prop_row(
                "pattern_rate",
                p,
                "claim",
                self.pattern_count(p),
                n_claims,
            ));
            let rates = self.doc_rates(p);
            rows.push(mean_row(
                "doc_pattern_rate",
                p,
                "document",
                Moments::of(&rates),
                rates.len() as u64,
            ));
        }
        rows.push(row("attributions", "", "attribution", self.n_attributions));
        rows.push(SummaryRow {
            estimate: (n_claims > 0).then(|| self.n_attributions as f64 / n_claims as f64),
            ..row("attributions_per_claim", "", "claim", n_claims)
        });
        for &t in types {
            let k = self.attributions_by_type.get(t).copied().unwrap_or(0);
            rows.push(prop_row(
                "attribution_share",
                t,
                "attribution",
                k,
                self.n_attributions,
            ));
        }
        rows
    }
}

fn with_ci(row: SummaryRow, ci: Option<Interval>) -> SummaryRow {
    SummaryRow {
        ci_low: ci.map(|i| i.low),
        ci_high: ci.map(|i| i.high),
        ..row
    }
}

/// Mergeable summaries of every group, keyed by group name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    groups: BTreeMap<String, GroupSummary>,
}

impl Summary {
    pub fn new() -> Summary {
        Summary::default()
    }

    pub fn from_docs<'a>(
        docs: impl IntoIterator<Item = &'a DocStats>,
    ) -> Result<Summary, AggregateError> {
        let mut s = Summary::new();
        for d in docs {
            s.add_doc(d)?;
        }
        Ok(s)
    }

    /// Adds a document to the summary of its `group`.
    pub fn add_doc(&mut self, doc: &DocStats) -> Result<(), AggregateError> {
        self.groups
            .entry(doc.group.clone())
            .or_insert_with(|| GroupSummary::new(doc.group.clone()))
            .add_doc(doc)
    }

    pub fn merge(&mut self, other: Summary) -> Result<(), AggregateError> {
        for (name, g) in other.groups {
            match self.groups.get_mut(&name) {
                Some(mine) => mine.merge(g)?,
                None => {
                    self.groups.insert(name, g);
                }
            }
        }
        Ok(())
    }

    pub fn group(&self, name: &str) -> Option<&GroupSummary> {
        self.groups.get(name)
    }

    /// Group summaries in group name order.
    pub fn groups(&self) -> impl Iterator<Item = &GroupSummary> {
        self.groups.values()
    }

    /// Rows of every group, in group name order, each with the same patterns and source
    /// types (the union over all groups).
    pub fn rows(&self) -> Vec<SummaryRow> {
        let patterns: BTreeSet<&str> = self.groups().flat_map(|g| g.pattern_names()).collect();
        let types: BTreeSet<&str> = self.groups().flat_map(|g| g.attribution_types()).collect();
        self.groups()
            .flat_map(|g| g.rows_for(&patterns, &types))
            .collect()
    }

    /// Document-level comparisons between groups; see [`compare`].
    pub fn compare(&self) -> Vec<ComparisonRow> {
        let groups: Vec<&GroupSummary> = self.groups().collect();
        compare(&groups)
    }
}
