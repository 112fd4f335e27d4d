//! Aggregation: mergeable per-corpus summaries, intervals and comparisons.
