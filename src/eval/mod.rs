//! Evaluation against brat standoff gold (PolNeAR's format).

pub mod brat;
