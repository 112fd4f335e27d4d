//! Aggregation: mergeable per-corpus summaries, intervals and comparisons.
//!
//! The score stage turns each document into a [`DocStats`]; a [`Summary`] routes them to
//! one [`GroupSummary`] per group. Summaries built on separate shards of a corpus
//! [`merge`](Summary::merge) into exactly the summary of the whole corpus, in any order,
//! because they keep only integers: counts, a histogram of claim scores (in tenths) and
//! exact fixed-point sums and sums of squares of per-document values (mean score, pattern
//! rates). Every float is derived from those at the end. Nothing is kept per document, so
//! a summary's size does not grow with the corpus; each document added counts once, even
//! when another has the same id (ingest detects and reports repeated ids).
//!
//! Comparisons between groups ([`compare`]) test the claim-level rates and means with
//! documents as clusters, because claims in one article share a writer and sources and are
//! not independent.

pub mod cluster;
pub mod compare;
pub mod date;
pub mod document;
pub mod period;
mod runs;
pub mod stats;
pub mod summary;
#[cfg(test)]
mod testing;
pub mod trend;

pub use compare::{
    compare, CompareOptions, ComparisonRow, Comparisons, Scope, INFERENCE, MAX_PAIR_GROUPS,
    MIN_GROUP_DOCS, MISSING_GROUP,
};
pub use document::{DocLevel, DocStats};
pub use period::{Period, PeriodError, PeriodRow, PeriodUnit, Periods, UNDATED};
pub use summary::{GroupSummary, Summary, SummaryRow, SUMMARY_FORMAT};
pub use trend::{trends, TrendRow};

/// Inputs the aggregation layer refuses, each naming the document and what to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AggregateError {
    #[error(
        "document {doc:?} (group {group:?}): claim {claim} has score {score}; expected a finite \
         number in 0..=100 rounded to one decimal (round in the score stage before aggregating)"
    )]
    BadScore {
        doc: String,
        group: String,
        claim: usize,
        score: f64,
    },
    #[error(
        "document {doc:?} (group {group:?}): n_claims is {n_claims} but {n_scores} claim scores \
         were given; n_claims must equal scores.len()"
    )]
    ClaimCountMismatch {
        doc: String,
        group: String,
        n_claims: u64,
        n_scores: usize,
    },
    #[error(
        "document {doc:?} (group {group:?}): pattern {pattern:?} is counted on {count} claims but \
         the document has {n_claims}; count each claim at most once per pattern"
    )]
    PatternOverflow {
        doc: String,
        group: String,
        pattern: String,
        count: u64,
        n_claims: u64,
    },
    #[error(
        "cannot merge the summary of group {other:?} into group {this:?}; merge summaries of the \
         same group, or merge whole `Summary` values"
    )]
    GroupMismatch { this: String, other: String },
    #[error(
        "score run {run} is in both summaries: merged again, its documents would count twice; \
         merge the summary of each run once"
    )]
    RepeatedRun { run: String },
    #[error(
        "{groups} groups have at least {min} documents with claims, and comparing every pair is \
         limited to {limit} groups (the pairs grow with the square of the groups); compare each \
         group with the rest (`--compare rest`, the default), group by a coarser column, or \
         raise --min-group-docs"
    )]
    TooManyPairGroups {
        groups: usize,
        min: u64,
        limit: usize,
    },
}
