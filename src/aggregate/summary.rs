//! Per-document statistics and mergeable per-group summaries.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

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
    patterns: PatternCounts,
}

/// Pattern counts of one document tally: a vector sorted by name, with names shared across
/// documents (interned). A run keeps one tally per document, and a map with its own strings
/// took most of the memory on large corpora. Serialized as the same JSON object as a
/// `BTreeMap<String, u64>`.
#[derive(Debug, Clone, Default, PartialEq)]
struct PatternCounts(Vec<(Arc<str>, u64)>);

/// One shared copy of each pattern name (a few dozen in practice).
fn intern(name: &str) -> Arc<str> {
    static NAMES: OnceLock<Mutex<BTreeSet<Arc<str>>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(name) {
        return n.clone();
    }
    let n: Arc<str> = Arc::from(name);
    names.insert(n.clone());
    n
}

impl PatternCounts {
    fn from_map(m: &BTreeMap<String, u64>) -> PatternCounts {
        PatternCounts(m.iter().map(|(k, &v)| (intern(k), v)).collect())
    }

    fn get(&self, name: &str) -> Option<u64> {
        self.0
            .binary_search_by(|(k, _)| (**k).cmp(name))
            .ok()
            .map(|i| self.0[i].1)
    }

    /// As `add_counts`: every key of `other` ends up present, counts add saturating.
    fn add_all(&mut self, other: &PatternCounts) {
        if self.0.is_empty() {
            self.0 = other.0.clone();
            return;
        }
        for (k, v) in &other.0 {
            match self.0.binary_search_by(|(p, _)| (**p).cmp(k)) {
                Ok(i) => self.0[i].1 = self.0[i].1.saturating_add(*v),
                Err(i) => self.0.insert(i, (k.clone(), *v)),
            }
        }
    }
}

impl Serialize for PatternCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(&**k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for PatternCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BTreeMap::<String, u64>::deserialize(d).map(|m| PatternCounts::from_map(&m))
    }
}

impl DocTally {
    fn absorb(&mut self, other: &DocTally) {
        self.n_claims = self.n_claims.saturating_add(other.n_claims);
        self.score_tenths = self.score_tenths.saturating_add(other.score_tenths);
        self.patterns.add_all(&other.patterns);
    }

    /// Mean claim score; `None` for a document without claims.
    fn mean_score(&self) -> Option<f64> {
        (self.n_claims > 0).then(|| self.score_tenths as f64 / (10.0 * self.n_claims as f64))
    }

    /// Share of claims showing `pattern`; `None` for a document without claims.
    fn rate(&self, pattern: &str) -> Option<f64> {
        (self.n_claims > 0)
            .then(|| self.patterns.get(pattern).unwrap_or(0) as f64 / self.n_claims as f64)
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
            patterns: PatternCounts::from_map(&doc.patterns),
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

    pub fn n_attributions(&self) -> u64 {
        self.n_attributions
    }

    pub fn attribution_count(&self, source_type: &str) -> u64 {
        self.attributions_by_type
            .get(source_type)
            .copied()
            .unwrap_or(0)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    macro_rules! assert_close {
        ($a:expr, $b:expr) => {{
            let (a, b): (f64, f64) = ($a, $b);
            assert!(
                close(a, b),
                "{} = {a:.17}, expected {b:.17}",
                stringify!($a)
            );
        }};
    }

    /// A document whose claims carry the given scores and pattern lists.
    pub(crate) fn doc(id: &str, group: &str, claims: &[(f64, &[&str])]) -> DocStats {
        let mut d = DocStats::new(id, group);
        for (score, pats) in claims {
            d.push_claim(*score, pats.iter().copied());
        }
        d
    }

    /// Claims of x1..x3 in group "x" (scores as in the reference snippet below) and an
    /// empty document x4.
    fn group_x() -> Vec<DocStats> {
        vec![
            doc(
                "x1",
                "x",
                &[(55.5, &["anonymous"]), (56.0, &[]), (20.1, &[])],
            ),
            doc("x2", "x", &[(99.9, &["anonymous"]), (0.0, &["anonymous"])]),
            doc("x3", "x", &[(100.0, &[]), (73.3, &[]), (55.5, &[])]),
            DocStats::new("x4", "x"),
        ]
    }

    fn row<'a>(rows: &'a [SummaryRow], metric: &str, key: &str) -> &'a SummaryRow {
        rows.iter()
            .find(|r| r.metric == metric && r.key == key)
            .unwrap_or_else(|| panic!("no row {metric}/{key}"))
    }

    #[test]
    fn claim_level_figures_match_numpy() {
        // s = np.array([55.5, 56.0, 20.1, 99.9, 0.0, 100.0, 73.3, 55.5])
        // s.mean(), s.std(ddof=1), np.median(s), np.median(s[:7])
        // stats.t.interval(0.95, len(s)-1, loc=s.mean(), scale=stats.sem(s))
        // proportion_confint(3, 8, method='wilson')
        let g = GroupSummary::from_docs("x", &group_x()).unwrap();
        assert_eq!(g.n_documents(), 4);
        assert_eq!(g.n_claims(), 8);
        let m = g.claim_moments().unwrap();
        assert_close!(m.mean, 57.5375);
        assert_close!(m.sd().unwrap(), 34.98754625373353);
        assert_eq!(g.median_score(), Some(55.75));
        let rows = g.rows();
        let r = row(&rows, "score_mean", "");
        assert_close!(r.ci_low.unwrap(), 28.28717933539155);
        assert_close!(r.ci_high.unwrap(), 86.78782066460846);
        assert_eq!(r.interval, "student_t95");
        let r = row(&rows, "pattern_rate", "anonymous");
        assert_eq!((r.count, r.n), (Some(3), 8));
        assert_eq!(r.estimate, Some(0.375));
        assert_close!(r.ci_low.unwrap(), 0.13684428582359737);
        assert_close!(r.ci_high.unwrap(), 0.6942576053973728);

        // Seven claims: x3 without its last claim (55.5); median is the 4th score, 56.0.
        let mut seven = group_x();
        seven[2] = doc("x3", "x", &[(100.0, &[]), (73.3, &[])]);
        let seven = GroupSummary::from_docs("x", &seven).unwrap();
        assert_eq!(seven.n_claims(), 7);
        assert_eq!(seven.median_score(), Some(56.0));
    }

    #[test]
    fn document_level_figures_match_scipy() {
        // X = {'x1': [55.5, 56.0, 20.1], 'x2': [99.9, 0.0], 'x3': [100.0, 73.3, 55.5]}
        // xm = np.array([np.mean(v) for v in X.values()])
        // stats.t.interval(0.95, len(xm)-1, loc=xm.mean(), scale=stats.sem(xm))
        // xa = np.array([1/3, 1.0, 0.0]); same interval for xa
        let g = GroupSummary::from_docs("x", &group_x()).unwrap();
        let means = g.doc_means();
        assert_eq!(means.len(), 3, "the claimless x4 has no mean");
        assert_close!(means[0], 43.86666666666667);
        assert_close!(means[1], 49.95);
        assert_close!(means[2], 76.26666666666667);
        let rows = g.rows();
        let r = row(&rows, "doc_score_mean", "");
        assert_eq!(r.n, 3);
        assert_close!(r.estimate.unwrap(), 56.694444444444436);
        assert_close!(r.ci_low.unwrap(), 13.915627699744682);
        assert_close!(r.ci_high.unwrap(), 99.47326118914418);
        let r = row(&rows, "doc_pattern_rate", "anonymous");
        assert_close!(r.estimate.unwrap(), 0.4444444444444444);
        assert_close!(r.ci_low.unwrap(), -0.8204165667544756);
        assert_close!(r.ci_high.unwrap(), 1.7093054556433644);
    }

    #[test]
    fn empty_and_single_claim_groups_have_no_nan() {
        let empty = GroupSummary::new("e");
        let one = GroupSummary::from_docs("o", &[doc("d", "o", &[(42.0, &["vague"])])]).unwrap();
        for g in [&empty, &one] {
            for r in g.rows() {
                for v in [r.estimate, r.sd, r.ci_low, r.ci_high]
                    .into_iter()
                    .flatten()
                {
                    assert!(v.is_finite(), "{r:?}");
                }
            }
        }
        assert_eq!(empty.median_score(), None);
        assert_eq!(empty.claim_moments(), None);
        let rows = one.rows();
        let r = row(&rows, "score_mean", "");
        assert_eq!((r.estimate, r.sd, r.ci_low), (Some(42.0), None, None));
        assert_eq!(row(&rows, "score_median", "").estimate, Some(42.0));
        let r = row(&rows, "pattern_rate", "vague");
        assert_eq!(r.estimate, Some(1.0));
        assert_eq!(r.ci_high, Some(1.0));
    }

    #[test]
    fn bad_documents_are_rejected_and_leave_the_summary_unchanged() {
        let mut g = GroupSummary::from_docs("x", &group_x()).unwrap();
        let before = g.clone();
        for score in [f64::NAN, -0.1, 100.1, 55.55, f64::INFINITY] {
            let err = g.add_doc(&doc("bad", "x", &[(50.0, &[]), (score, &[])]));
            match err {
                Err(AggregateError::BadScore {
                    claim: 1, ref doc, ..
                }) if doc == "bad" => {}
                other => panic!("score {score}: {other:?}"),
            }
        }
        let mut d = doc("bad", "x", &[(50.0, &[])]);
        d.n_claims = 2;
        assert!(matches!(
            g.add_doc(&d),
            Err(AggregateError::ClaimCountMismatch {
                n_claims: 2,
                n_scores: 1,
                ..
            })
        ));
        let mut d = doc("bad", "x", &[(50.0, &[])]);
        d.patterns.insert("vague".into(), 2);
        let msg = g.add_doc(&d).unwrap_err().to_string();
        assert!(msg.contains("\"bad\"") && msg.contains("vague"), "{msg}");
        assert_eq!(g, before);
        // Binary noise around a one-decimal score is accepted.
        g.add_doc(&doc("ok", "x", &[(0.1 * 3.0, &[])])).unwrap();
        assert!(matches!(
            g.clone().merge(GroupSummary::new("y")),
            Err(AggregateError::GroupMismatch { .. })
        ));
    }

    /// splitmix64: a tiny deterministic generator, so the test needs no RNG crate.
    pub(crate) struct Rng(u64);
    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        pub(crate) fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    pub(crate) fn random_corpus(rng: &mut Rng, n_docs: usize) -> Vec<DocStats> {
        const PATTERNS: [&str; 5] = ["anonymous", "vague", "uncertain", "unattributed", "media"];
        const GROUPS: [&str; 3] = ["bbc", "guardian", "reuters"];
        const TYPES: [&str; 3] = ["named_official", "anonymous", "media"];
        (0..n_docs)
            .map(|i| {
                let group = GROUPS[rng.below(3) as usize];
                // Some ids repeat, to exercise pooling of same-id documents.
                let mut d = DocStats::new(format!("doc{:04}", i % (n_docs - 7)), group);
                for _ in 0..rng.below(12) {
                    let score = rng.below(1001) as f64 / 10.0;
                    let pats: Vec<&str> = PATTERNS
                        .iter()
                        .copied()
                        .filter(|_| rng.below(4) == 0)
                        .collect();
                    d.push_claim(score, pats);
                }
                for _ in 0..rng.below(5) {
                    d.push_attribution(TYPES[rng.below(3) as usize]);
                }
                d
            })
            .collect()
    }

    pub(crate) fn csv_of<T: Serialize>(rows: &[T]) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in rows {
            w.serialize(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn merged_shards_equal_the_whole_bit_for_bit() {
        let mut rng = Rng(20240611);
        for round in 0..20 {
            let mut docs = random_corpus(&mut rng, 60 + round * 7);
            let whole = Summary::from_docs(&docs).unwrap();
            // Shuffle (Fisher–Yates), then cut into three shards at random points.
            for i in (1..docs.len()).rev() {
                docs.swap(i, rng.below(i as u64 + 1) as usize);
            }
            let c1 = rng.below(docs.len() as u64) as usize;
            let c2 = c1 + rng.below((docs.len() - c1) as u64 + 1) as usize;
            let shards: Vec<Summary> = [&docs[..c1], &docs[c1..c2], &docs[c2..]]
                .iter()
                .map(|s| Summary::from_docs(*s).unwrap())
                .collect();
            for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
                let mut merged = Summary::new();
                for i in order {
                    merged.merge(shards[i].clone()).unwrap();
                }
                assert_eq!(merged, whole, "round {round}, order {order:?}");
                assert_eq!(csv_of(&merged.rows()), csv_of(&whole.rows()));
                assert_eq!(csv_of(&merged.compare()), csv_of(&whole.compare()));
            }
            // Associativity: (a + b) + c == a + (b + c).
            let mut bc = shards[1].clone();
            bc.merge(shards[2].clone()).unwrap();
            let mut a_bc = shards[0].clone();
            a_bc.merge(bc).unwrap();
            assert_eq!(csv_of(&a_bc.rows()), csv_of(&whole.rows()));
        }
    }

    #[test]
    fn summaries_survive_a_json_round_trip() {
        // Shards may be summarized in separate processes and merged from JSON.
        let docs = random_corpus(&mut Rng(7), 40);
        let s = Summary::from_docs(&docs).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        let back: Summary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        let g = s.group("bbc").unwrap();
        let by_type: u64 = ["named_official", "anonymous", "media"]
            .iter()
            .map(|t| g.attribution_count(t))
            .sum();
        assert_eq!(by_type, g.n_attributions());
        assert!(g.n_attributions() > 0);
    }

    #[test]
    fn every_group_gets_every_pattern_row() {
        let docs = [
            doc("a", "g1", &[(10.0, &["vague"])]),
            doc("b", "g2", &[(20.0, &["anonymous"])]),
        ];
        let s = Summary::from_docs(&docs).unwrap();
        let rows = s.rows();
        for g in ["g1", "g2"] {
            for p in ["vague", "anonymous"] {
                assert!(rows
                    .iter()
                    .any(|r| r.group == g && r.metric == "pattern_rate" && r.key == p));
            }
        }
        let csv = csv_of(&rows);
        assert!(
            csv.starts_with("group,metric,key,level,n,count,estimate,sd,ci_low,ci_high,interval\n")
        );
    }
}
