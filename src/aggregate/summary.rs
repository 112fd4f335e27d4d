//! Mergeable per-group summaries of the documents' statistics.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::cluster::{
    clustered_rate, clustered_share, iid_share_var, Bounded, ClusterSums, CrossSums, RatioSums,
};
use super::document::{bump, DocLevel, DocStats};
use super::runs::{run_id, Runs};
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
    /// The interval's method (`cluster_logit_t95`, `cluster_wilson_t95`, `cluster_log_t95`,
    /// `cluster_poisson_t95`, `doc_logit_t95`, `doc_wilson_t95`), `none_one_document`, or
    /// empty when the row has no interval;
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

    /// Claims per score, in score order: (score, claims), the histogram the figures come from.
    pub fn score_counts(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        self.score_hist.iter().map(|(&k, &c)| (k as f64 / 10.0, c))
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
        rows.push(bounded(
            row("attributions_per_claim", "", "claim", n_claims),
            self.attributions_per_claim_clustered(),
        ));
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
/// (`clusters`); format 4 adds those of attributions per claim (`attr_claims`,
/// `attr_only_docs`) and the runs held (`runs`). Summaries of different formats cannot be merged exactly, so reading
/// another format is refused.
pub const SUMMARY_FORMAT: u32 = 4;

/// Mergeable summaries of every group, keyed by group name, and the `score` runs they hold
/// (so that one run is never merged twice). Serialized as `{"format": SUMMARY_FORMAT,
/// "runs": [run id], "groups": {name: GroupSummary}}`.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    groups: BTreeMap<String, GroupSummary>,
    runs: Runs,
}

/// Equal summaries hold equal figures: merged shards equal the summary of the whole,
/// though the shards are several runs and the whole one ([`Summary::runs`] tells them apart).
impl PartialEq for Summary {
    fn eq(&self, other: &Summary) -> bool {
        self.groups == other.groups
    }
}

impl Serialize for Summary {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Summary", 3)?;
        st.serialize_field("format", &SUMMARY_FORMAT)?;
        st.serialize_field("runs", &self.runs())?;
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
                let mut runs = None;
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
                        "runs" => {
                            let ids: Vec<String> = map.next_value()?;
                            let parsed: Option<BTreeSet<u128>> = ids
                                .iter()
                                .map(|r| u128::from_str_radix(r, 16).ok())
                                .collect();
                            runs = Some(parsed.ok_or_else(|| {
                                A::Error::custom(
                                    "`runs` must hold run ids of 32 hexadecimal digits (was the \
                                     file edited?)",
                                )
                            })?);
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
                let runs = runs.ok_or_else(|| A::Error::missing_field("runs"))?;
                if let Some((k, g)) = groups.iter().find(|(k, g)| **k != g.group) {
                    return Err(A::Error::custom(format!(
                        "groups entry {k:?} holds the summary of group {:?}; the names must \
                         match (was the file edited?)",
                        g.group
                    )));
                }
                Ok(Summary {
                    groups,
                    runs: Runs::from_merged(runs),
                })
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

    /// Adds a document to the summary of its `group`, and to this summary's own run.
    pub fn add_doc(&mut self, doc: &DocStats) -> Result<(), AggregateError> {
        // The group's name is allocated only for a new group (this runs per document).
        if let Some(g) = self.groups.get_mut(doc.group.as_str()) {
            g.add_doc(doc)?;
        } else {
            self.groups
                .entry(doc.group.clone())
                .or_insert_with(|| GroupSummary::new(doc.group.clone()))
                .add_doc(doc)?;
        }
        self.runs.add_doc(doc);
        Ok(())
    }

    /// The ids of the `score` runs this summary holds (its own documents are one run), in
    /// order.
    pub fn runs(&self) -> Vec<String> {
        self.runs.all().into_iter().map(run_id).collect()
    }

    /// Folds `other` into `self`; refused, with nothing changed, when both hold a run.
    pub fn merge(&mut self, other: Summary) -> Result<(), AggregateError> {
        if let Some(run) = self.runs.shared(&other.runs) {
            return Err(AggregateError::RepeatedRun { run: run_id(run) });
        }
        self.runs.merge(&other.runs);
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

/// The clustered intervals of a group's rates and means ([`super::cluster`]).
impl GroupSummary {
    fn claim_ratio(&self, y: u128, c: CrossSums) -> RatioSums {
        RatioSums {
            g: self.docs.n(),
            y,
            m: u128::from(self.n_claims()),
            yy: c.yy,
            ym: c.ym,
            mm: self.clusters.claims_sq,
        }
    }

    /// The sums of the mean claim score as a ratio (scores in tenths over claims).
    pub(super) fn score_ratio(&self) -> RatioSums {
        let y = self
            .score_hist
            .iter()
            .fold(0u128, |a, (&k, &c)| a.saturating_add(k as u128 * c as u128));
        self.claim_ratio(y, self.clusters.score)
    }

    /// The sums of the share of claims with `pattern` as a ratio.
    pub(super) fn pattern_ratio(&self, pattern: &str) -> RatioSums {
        let k = self.pattern_count(pattern);
        self.claim_ratio(u128::from(k), self.clusters.pattern(pattern))
    }

    /// Mean claim score (a ratio: the documents' score sums over their claims) with its
    /// clustered interval on the logit scale of score / 100.
    pub fn score_mean_clustered(&self) -> Bounded {
        let sums = self.score_ratio();
        let moments = self.claim_moments();
        let iid = moments.and_then(|m| Some(m.var? / m.n as f64 / 1e4));
        Bounded {
            // The mean as it was always computed, not a round trip through the share.
            estimate: moments.map(|m| m.mean),
            ..clustered_share(&sums, 1000.0, iid).scaled(100.0)
        }
    }

    /// Share of claims with `pattern`, with its clustered interval.
    pub fn pattern_rate_clustered(&self, pattern: &str) -> Bounded {
        let k = self.pattern_count(pattern);
        clustered_share(
            &self.pattern_ratio(pattern),
            1.0,
            iid_share_var(k, self.n_claims()),
        )
    }

    /// Attributions per claim, with its interval clustered by document on the log scale.
    /// The clusters are the documents with claims or attributions: a document with
    /// attributions but no claims adds to the numerator only, and its attributions are
    /// part of the variance.
    pub fn attributions_per_claim_clustered(&self) -> Bounded {
        clustered_rate(&RatioSums {
            g: self.docs.n().saturating_add(self.clusters.attr_only_docs),
            y: u128::from(self.n_attributions),
            m: u128::from(self.n_claims()),
            yy: self.clusters.attr_sq,
            ym: self.clusters.attr_claims,
            mm: self.clusters.claims_sq,
        })
    }

    /// Share of attributions of `source_type`, with its interval clustered by document.
    pub fn attribution_share_clustered(&self, source_type: &str) -> Bounded {
        let k = self.attribution_count(source_type);
        let c = self.clusters.source_type(source_type);
        let sums = RatioSums {
            g: self.clusters.attr_docs,
            y: u128::from(k),
            m: u128::from(self.n_attributions),
            yy: c.yy,
            ym: c.ym,
            mm: self.clusters.attr_sq,
        };
        clustered_share(&sums, 1.0, iid_share_var(k, self.n_attributions))
    }
}

#[cfg(test)]
#[path = "summary_tests.rs"]
mod tests;
