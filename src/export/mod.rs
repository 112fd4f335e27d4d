//! Exports: each output format is a sink (JSONL extract records, CSV tables).
//!
//! CSV is written by [`writer`] (the bytes) from the layouts declared in [`tables`];
//! [`fields`] adds the documents' input fields to documents.csv.
pub mod fields;
pub mod jsonl;
pub mod tables;
pub mod writer;
