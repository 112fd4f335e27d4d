//! Exports: each output format is a sink (JSONL extract records, CSV tables).
//!
//! CSV is written by [`writer`] (the bytes) from the layouts declared in [`tables`];
//! [`fields`] adds the documents' input fields to documents.csv; [`rows`] holds a
//! document's rows until the writer takes them.
pub mod fields;
pub mod jsonl;
pub mod rows;
pub mod tables;
pub mod writer;
