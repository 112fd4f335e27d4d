//! onrecord: a source-credibility scoring engine for news.
//!
//! Data flows one way through the pipeline, one module per stage:
//! [`ingest`] -> [`segment`] -> [`extract`] -> [`score`] -> [`aggregate`] -> [`export`].
//! [`eval`] measures [`extract`] against brat gold; [`cli`] wires the stages into commands.

pub mod aggregate;
mod bytescan;
pub mod cli;
pub mod doc;
pub mod eval;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod lexicon;
pub mod pipeline;
pub mod report;
pub mod runner;
pub mod score;
pub mod segment;
pub mod text;
