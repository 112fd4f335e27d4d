//! Scoring: claims and their sourcing-strength scores, split into named components.
