//! The streaming driver shared by the commands: documents are read in bounded batches,
//! processed in parallel (rayon), and handed to the sink in input order, so memory does not
//! grow with the corpus and the output is the same bytes at any thread count.

use crate::doc::Document;
use crate::ingest::{Corpus, Problem};
use rayon::prelude::*;

/// A batch closes at this many documents or this many bytes of text, whichever comes first.
pub const BATCH_DOCS: usize = 512;
pub const BATCH_BYTES: usize = 16 << 20;

/// What the sink receives for each input item, in input order.
pub enum Outcome<R> {
    Done(Document, R),
    Skipped(Problem),
}

/// Run `process` over every document of `corpus` in parallel and feed `sink` in input order.
/// The sink may stop the run by returning an error (a closed pipe, a write failure).
pub fn run<R, P, S>(corpus: &mut Corpus, process: P, mut sink: S) -> anyhow::Result<()>
where
    R: Send,
    P: Fn(&Document) -> R + Sync,
    S: FnMut(Outcome<R>) -> anyhow::Result<()>,
{
    let mut batch: Vec<Result<Document, Problem>> = Vec::with_capacity(BATCH_DOCS);
    let mut bytes = 0usize;
    loop {
        let next = corpus.next();
        let end = next.is_none();
        if let Some(item) = next {
            if let Ok(d) = &item {
                bytes += d.text.len();
            }
            batch.push(item);
        }
        if batch.len() >= BATCH_DOCS || bytes >= BATCH_BYTES || (end && !batch.is_empty()) {
            let results: Vec<Outcome<R>> = std::mem::take(&mut batch)
                .into_par_iter()
                .map(|item| match item {
                    Ok(doc) => {
                        let r = process(&doc);
                        Outcome::Done(doc, r)
                    }
                    Err(p) => Outcome::Skipped(p),
                })
                .collect();
            bytes = 0;
            for r in results {
                sink(r)?;
            }
        }
        if end {
            return Ok(());
        }
    }
}
