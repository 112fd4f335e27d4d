//! Evaluation against brat standoff gold (PolNeAR's format).

pub mod brat;
pub mod metrics;
pub mod report;

pub use brat::{GoldAttribution, GoldDoc};
pub use metrics::{
    read_predictions, read_predictions_with_warnings, score, score_files, PredAttribution,
    Predictions, ROLES,
};
pub use report::{Counts, DocCounts, MatchedPairs, Prf, Report};
