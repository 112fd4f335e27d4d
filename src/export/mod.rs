//! Exports: each output format is a sink (JSONL extract records, CSV tables).
pub mod csv;
pub mod jsonl;
