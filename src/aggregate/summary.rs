//! Mergeable per-group summaries of the documents' statistics.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::cluster::{Bounded, ClusterSums};
use super::document::{bump, DocLevel, DocStats};
use super::stats::{Interval, Moments};
use super::AggregateError;

fn add_counts(into: &mut BTreeMap<String, u64>, from: &BTreeMap<String, u64>) {
    for (k, &v) in from {
        bump(into, k, v);
    }
}

/// Mergeable summary of one group of documents.
///
/// Holds only integers: counts, a histogram of claim scores in tenths and exact
/// fixed-point document-level sums ([`DocLevel`]), so merging is associative and
/// commutative and the derived figures ([`rows`](GroupSummary::rows)) do not depend on
/// how the corpus was split. Nothing is kept per document: its size depends on the
/// number of patterns, source types and distinct scores, not on the corpus. Every
/// document added counts once, even if another has the same id (ingest reports those).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub group: String,
    /// Documents added, with or without claims.
    n_documents: u64,
    pub(super) docs: DocLevel,
    /// Sums over documents for the clustered variances (see [`super::cluster`]).
    pub(super) clusters: ClusterSums,
    /// Claim score in tenths -> number of claims.
    pub(super) score_hist: BTreeMap<u64, u64>,
    patterns: BTreeMap<String, u64>,
    pub(super) n_attributions: u64,
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
    /// The interval's method (`cluster_logit_t95`, `cluster_wilson_t95`, `doc_logit_t95`,
    /// `doc_wilson_t95`), `none_one_document`, or empty when the row has no interval;
    /// docs/statistics.md describes each.
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
        let mut score_tenths = 0u64;
        for t in tenths {
            score_tenths = score_tenths.saturating_add(t);
            let slot = self.score_hist.entry(t).or_insert(0);
            *slot = slot.saturating_add(1);
        }
        self.n_documents = self.n_documents.saturating_add(1);
        self.docs.push(doc.n_claims, score_tenths, &doc.patterns);
        self.clusters.push(
            doc.n_claims,
            score_tenths,
            &doc.patterns,
            doc.n_attributions,
            &doc.attributions_by_type,
        );
        add_counts(&mut self.patterns, &doc.patterns);
        self.n_attributions = self.n_attributions.saturating_add(doc.n_attributions);
        add_counts(&mut self.attributions_by_type, &doc.attributions_by_type);
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
        self.n_documents = self.n_documents.saturating_add(other.n_documents);
        self.docs.merge(&other.docs);
        self.clusters.merge(&other.clusters);
        for (k, v) in other.score_hist {
            let slot = self.score_hist.entry(k).or_insert(0);
            *slot = slot.saturating_add(v);
        }
        add_counts(&mut self.patterns, &other.patterns);
        self.n_attributions = self.n_attributions.saturating_add(other.n_attributions);
        add_counts(&mut self.attributions_by_type, &other.attributions_by_type);
        Ok(())
    }

    /// Documents added (each counts once, whatever its id).
    pub fn n_documents(&self) -> u64 {
        self.n_documents
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

    /// Document-level sums, for pooling groups (see [`super::compare`]).
    pub fn doc_level(&self) -> &DocLevel {
        &self.docs
    }

    /// Moments of the per-document mean claim score over documents with claims.
    pub fn doc_score_moments(&self) -> Option<Moments> {
        self.docs.score_moments()
    }

    /// Moments of the per-document share of claims with `pattern` over documents with
    /// claims (0 for a document without it).
    pub fn doc_rate_moments(&self, pattern: &str) -> Option<Moments> {
        self.docs.rate_moments(pattern)
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
        // Every rate and mean gets a bounded interval: clustered by document for claim- and
        // attribution-level figures, over documents for the document-level ones.
        let bounded = |r: SummaryRow, b: Bounded| SummaryRow {
            estimate: b.estimate,
            interval: b.method.to_string(),
            ..with_ci(r, b.ci)
        };
        let mean_row = |metric: &str, key: &str, level: &str, m: Option<Moments>, n: u64| {
            let r = row(metric, key, level, n);
            let b = match (metric, m) {
                ("score_mean", _) => self.score_mean_clustered(),
                ("doc_score_mean", Some(m)) => Bounded::doc_mean(&m, 100.0),
                (_, Some(m)) => Bounded::doc_mean(&m, 1.0),
                (_, None) => Bounded::NONE,
            };
            SummaryRow {
                sd: m.and_then(|m| m.sd()),
                ..bounded(r, b)
            }
        };
        let prop_row = |metric: &str, key: &str, level: &str, k: u64, n: u64| {
            let b = if metric == "pattern_rate" {
                self.pattern_rate_clustered(key)
            } else {
                self.attribution_share_clustered(key)
            };
            SummaryRow {
                count: Some(k),
                ..bounded(row(metric, key, level, n), b)
            }
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
        rows.push(mean_row(
            "doc_score_mean",
            "",
            "document",
            self.doc_score_moments(),
            self.docs.n(),
        ));
        for &p in patterns {
            rows.push(prop_row(
                "pattern_rate",
                p,
                "claim",
                self.pattern_count(p),
                n_claims,
            ));
            rows.push(mean_row(
                "doc_pattern_rate",
                p,
                "document",
                self.doc_rate_moments(p),
                self.docs.n(),
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

/// Version of the serialized [`Summary`] (summary.json), written first as `format`.
/// Format 2 holds document-level sums instead of per-document tallies keyed by id (format
/// 1, which had no `format` field); format 3 adds the sums of the clustered variances
/// (`clusters`). Summaries of different formats cannot be merged exactly, so reading
/// another format is refused.
pub const SUMMARY_FORMAT: u32 = 3;

/// Mergeable summaries of every group, keyed by group name. Serialized as
/// `{"format": SUMMARY_FORMAT, "groups": {name: GroupSummary}}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    groups: BTreeMap<String, GroupSummary>,
}

impl Serialize for Summary {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Summary", 2)?;
        st.serialize_field("format", &SUMMARY_FORMAT)?;
        st.serialize_field("groups", &self.groups)?;
        st.end()
    }
}

/// Why a serialized summary of another format is refused, and what to do.
fn format_error(found: Option<u32>) -> String {
    let what = match found {
        None => "it has no `format` before its `groups`, so it was written by an onrecord \
                 older than summary format 2 (which kept per-document tallies)"
            .to_string(),
        Some(f) => format!("it is summary format {f}"),
    };
    format!(
        "{what}, and this onrecord reads only summary format {SUMMARY_FORMAT}; run \
         `onrecord score` again on that input with this version to rewrite its summary"
    )
}

impl<'de> Deserialize<'de> for Summary {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Summary;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an onrecord summary: an object with `format` and `groups`")
            }
            // `format` is checked before `groups` is read, so that a summary of another
            // format gets that message rather than one about a missing field.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Summary, A::Error> {
                let mut format = None;
                let mut groups: Option<BTreeMap<String, GroupSummary>> = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "format" => {
                            let f: u32 = map.next_value()?;
                            if f != SUMMARY_FORMAT {
                                return Err(A::Error::custom(format_error(Some(f))));
                            }
                            format = Some(f);
                        }
                        "groups" => {
                            if format.is_none() {
                                return Err(A::Error::custom(format_error(None)));
                            }
                            groups = Some(map.next_value()?);
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                if format.is_none() {
                    return Err(A::Error::custom(format_error(None)));
                }
                let groups = groups.ok_or_else(|| A::Error::missing_field("groups"))?;
                if let Some((k, g)) = groups.iter().find(|(k, g)| **k != g.group) {
                    return Err(A::Error::custom(format!(
                        "groups entry {k:?} holds the summary of group {:?}; the names must \
                         match (was the file edited?)",
                        g.group
                    )));
                }
                Ok(Summary { groups })
            }
        }
        d.deserialize_map(V)
    }
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
        // The group's name is allocated only for a new group (this runs per document).
        if let Some(g) = self.groups.get_mut(doc.group.as_str()) {
            return g.add_doc(doc);
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::{assert_close, doc};

    #[test]
    fn a_claim_counts_each_of_its_patterns_once() {
        let names: Vec<String> = (0..20).map(|i| format!("p{i}")).collect();
        let mut many: Vec<&str> = names.iter().map(String::as_str).collect();
        // Repeats, before and after the first sixteen distinct names.
        many.extend(["p0", "p19", "p3", "p17"]);
        let d = doc(
            "d",
            "g",
            &[(50.0, &many), (10.0, &["p0", "p0", "q"]), (0.0, &[])],
        );
        assert_eq!(d.n_claims, 3);
        assert_eq!(d.patterns.len(), 21);
        assert_eq!(d.patterns["p0"], 2);
        assert_eq!(d.patterns["p19"], 1);
        assert_eq!(d.patterns["p17"], 1);
        assert_eq!(d.patterns["q"], 1);
        let mut s = GroupSummary::new("g");
        s.add_doc(&d).unwrap();
        s.add_doc(&d).unwrap();
        assert_eq!(s.patterns["p0"], 4);
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
        // Intervals: clustered(s, docs, 100.0) and clustered(anonymous, docs, 1.0) of
        // scripts/stats_fixtures.py (statsmodels), docs = x1 x1 x1 x2 x2 x3 x3 x3.
        let g = GroupSummary::from_docs("x", &group_x()).unwrap();
        assert_eq!(g.n_documents(), 4);
        assert_eq!(g.n_claims(), 8);
        let m = g.claim_moments().unwrap();
        assert_close!(m.mean, 57.5375);
        assert_close!(m.sd().unwrap(), 34.98754625373353);
        assert_eq!(g.median_score(), Some(55.75));
        let rows = g.rows();
        let r = row(&rows, "score_mean", "");
        assert_close!(r.ci_low.unwrap(), 13.300601910863988);
        assert_close!(r.ci_high.unwrap(), 92.28894111156628);
        assert_eq!(r.interval, "cluster_logit_t95");
        let r = row(&rows, "pattern_rate", "anonymous");
        assert_eq!((r.count, r.n), (Some(3), 8));
        assert_eq!(r.estimate, Some(0.375));
        assert_close!(r.ci_low.unwrap(), 0.005218784474082297);
        assert_close!(r.ci_high.unwrap(), 0.9856366374272651);

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
        // xa = np.array([1/3, 1.0, 0.0]); statistics.stdev(xm), statistics.stdev(xa)
        // Intervals: doc_mean(xm, 100.0), doc_mean(xa, 1.0) of scripts/stats_fixtures.py
        // (the t interval's standard error on the logit scale).
        let g = GroupSummary::from_docs("x", &group_x()).unwrap();
        let m = g.doc_score_moments().unwrap();
        assert_eq!(m.n, 3, "the claimless x4 has no mean");
        assert_eq!(g.n_documents(), 4);
        assert_close!(m.mean, 56.69444444444444);
        assert_close!(m.sd().unwrap(), 17.220791159181626);
        let m = g.doc_rate_moments("anonymous").unwrap();
        assert_close!(m.sd().unwrap(), 0.5091750772173156);
        // A pattern no document has: every rate is 0.
        let m = g.doc_rate_moments("vague").unwrap();
        assert_eq!((m.n, m.mean, m.var), (3, 0.0, Some(0.0)));
        let rows = g.rows();
        let r = row(&rows, "doc_score_mean", "");
        assert_eq!(r.n, 3);
        assert_close!(r.estimate.unwrap(), 56.694444444444436);
        assert_close!(r.ci_low.unwrap(), 18.648829852053345);
        assert_close!(r.ci_high.unwrap(), 88.20286149839247);
        assert_eq!(r.interval, "doc_logit_t95");
        let r = row(&rows, "doc_pattern_rate", "anonymous");
        assert_close!(r.estimate.unwrap(), 0.4444444444444444);
        assert_close!(r.ci_low.unwrap(), 0.004745363205983107);
        assert_close!(r.ci_high.unwrap(), 0.9926051089279047);
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
        // One document: estimates, but no interval, and the row says why.
        let r = row(&rows, "pattern_rate", "vague");
        assert_eq!(r.estimate, Some(1.0));
        assert_eq!((r.ci_low, r.ci_high), (None, None));
        assert_eq!(r.interval, "none_one_document");
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
                let mut d = DocStats::new(format!("doc{i:04}"), group);
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

    #[test]
    fn documents_sharing_an_id_count_separately() {
        // Ingest reports repeated ids; the summary counts every document it is given.
        let docs = [
            doc("same", "g", &[(10.0, &["vague"])]),
            doc("same", "g", &[(30.0, &[]), (50.0, &[])]),
        ];
        let g = GroupSummary::from_docs("g", &docs).unwrap();
        assert_eq!(g.n_documents(), 2);
        let m = g.doc_score_moments().unwrap();
        assert_eq!((m.n, m.mean), (2, 25.0));
        assert_eq!(m.var, Some(450.0));
        assert_eq!(g.doc_rate_moments("vague").unwrap().mean, 0.5);
    }

    #[test]
    fn fixed_point_document_figures_match_floating_point() {
        // The fixed-point sums agree with a direct two-pass computation over the
        // per-document values far below the 1e-9 the printed figures are checked to.
        let docs = random_corpus(&mut Rng(99), 500);
        let s = Summary::from_docs(&docs).unwrap();
        for g in s.groups() {
            let mine: Vec<&DocStats> = docs
                .iter()
                .filter(|d| d.group == g.group && d.n_claims > 0)
                .collect();
            let means: Vec<f64> = mine
                .iter()
                .map(|d| d.score_sum() / d.n_claims as f64)
                .collect();
            let want = Moments::of(&means).unwrap();
            let got = g.doc_score_moments().unwrap();
            assert_eq!(got.n, want.n);
            assert!((got.mean - want.mean).abs() < 1e-10, "{got:?} {want:?}");
            assert!((got.var.unwrap() - want.var.unwrap()).abs() < 1e-8 * want.var.unwrap());
            let rates: Vec<f64> = mine
                .iter()
                .map(|d| d.patterns.get("vague").copied().unwrap_or(0) as f64 / d.n_claims as f64)
                .collect();
            let want = Moments::of(&rates).unwrap();
            let got = g.doc_rate_moments("vague").unwrap();
            assert!((got.mean - want.mean).abs() < 1e-12, "{got:?} {want:?}");
            assert!((got.var.unwrap() - want.var.unwrap()).abs() < 1e-10);
        }
    }

    #[test]
    fn constant_documents_have_zero_variance_exactly() {
        // 1/3 is not exact in fixed point, but every copy rounds the same way.
        let d = doc("a", "g", &[(10.0, &["vague"]), (20.0, &[]), (20.0, &[])]);
        let g = GroupSummary::from_docs("g", &vec![d; 1000]).unwrap();
        assert_eq!(g.doc_score_moments().unwrap().var, Some(0.0));
        assert_eq!(g.doc_rate_moments("vague").unwrap().var, Some(0.0));
        let rows = g.rows();
        let r = row(&rows, "doc_pattern_rate", "vague");
        assert_close!(r.estimate.unwrap(), 1.0 / 3.0);
        // No spread between documents is no evidence of none: Wilson over the documents,
        // never a zero-width interval. The claims' rate keeps its clustered interval,
        // whose variance is floored at that of independent claims.
        assert_eq!(r.interval, "doc_wilson_t95");
        let (lo, hi) = (r.ci_low.unwrap(), r.ci_high.unwrap());
        assert!(
            lo > 0.30 && lo < 1.0 / 3.0 && hi > 1.0 / 3.0 && hi < 0.37,
            "{r:?}"
        );
        let r = row(&rows, "pattern_rate", "vague");
        assert_eq!(r.interval, "cluster_logit_t95");
        assert!(r.ci_low.unwrap() < 1.0 / 3.0 && r.ci_high.unwrap() > 1.0 / 3.0);
    }

    #[test]
    fn summaries_of_another_format_are_refused() {
        let s = Summary::from_docs(&random_corpus(&mut Rng(3), 20)).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert!(
            json.starts_with(&format!("{{\"format\":{SUMMARY_FORMAT},")),
            "{json}"
        );
        // Format 1 had no `format`, and per-document tallies under `docs`.
        let old = r#"{"groups":{"g":{"group":"g","docs":{"d1":{"n_claims":1,"score_tenths":500,"patterns":{}}},"score_hist":{"500":1},"patterns":{},"n_attributions":0,"attributions_by_type":{}}}}"#;
        let err = serde_json::from_str::<Summary>(old)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("older than summary format 2") && err.contains("onrecord score"),
            "{err}"
        );
        let other = json.replacen(&format!("\"format\":{SUMMARY_FORMAT}"), "\"format\":99", 1);
        let err = serde_json::from_str::<Summary>(&other)
            .unwrap_err()
            .to_string();
        assert!(err.contains("summary format 99"), "{err}");
        let renamed = json.replacen("\"bbc\":", "\"bbx\":", 1);
        let err = serde_json::from_str::<Summary>(&renamed)
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"bbx\""), "{err}");
    }
}
