//! Evaluation against brat standoff gold (PolNeAR's format).
//!
//! Dependencies run one way: [`metrics`] (scoring) uses `align` (matching, token and code
//! point sets), [`predictions`], [`brat`] and [`report`]; `align` uses [`predictions`] and
//! [`brat`]; [`predictions`] uses [`brat`]; [`brat`] and [`predictions`] use `python` (Python's
//! text rules); [`report`] uses only [`ROLES`].

mod align;
pub mod brat;
pub mod metrics;
pub mod predictions;
mod python;
pub mod report;

pub use brat::{GoldAttribution, GoldDoc};
pub use metrics::{score, score_files};
pub use predictions::{
    read_predictions, read_predictions_with_warnings, PredAttribution, Predictions,
};
pub use report::{Counts, DocCounts, MatchedPairs, Prf, Report};

/// Role names in the scorer's order (tables, JSON and validation all follow it).
pub const ROLES: [&str; 3] = ["source", "cue", "content"];
