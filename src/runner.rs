//! The streaming driver shared by the commands: documents are read in bounded batches,
//! processed in parallel (rayon), and handed to the sink in input order, so memory does not
//! grow with the corpus and the output is the same bytes at any thread count. The sink of one
//! batch and the reading of the next run as two more tasks of the pool while the pool
//! processes the batch between; with one thread, reading, processing and writing take turns
//! on the calling thread.

use crate::doc::Document;
use crate::ingest::{Corpus, Problem};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// A batch closes at this many documents or this many bytes of text, whichever comes first.
/// Small enough that writing one batch overlaps processing the next for most of a run.
pub const BATCH_DOCS: usize = 256;
pub const BATCH_BYTES: usize = 4 << 20;

/// What the sink receives for each input item, in input order.
pub enum Outcome<R> {
    Done(Document, R),
    Skipped(Problem),
}

/// A progress line on standard error (documents, megabytes, MB/s, and when the size of the
/// inputs is known, the share read and the time left), updated once a batch. Hidden with
/// --quiet or when standard error is not a terminal, so logs and pipes stay clean.
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    bytes: AtomicU64,
    /// The inputs' size in bytes, when known (set by [`run_with_progress`]).
    total: OnceLock<u64>,
}

impl Progress {
    /// Shown only when `quiet` is false and standard error is a terminal.
    pub fn new(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(4));
        // The template is a constant: a parse failure would be a defect, so fall back quietly.
        if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} documents  {msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(250));
        Progress {
            bar,
            start: Instant::now(),
            bytes: AtomicU64::new(0),
            total: OnceLock::new(),
        }
    }

    /// Draws nothing (library use, tests, --quiet).
    pub fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
            start: Instant::now(),
            bytes: AtomicU64::new(0),
            total: OnceLock::new(),
        }
    }

    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    /// Print a message on standard error without tearing the progress line.
    pub fn println(&self, msg: impl AsRef<str>) {
        if self.bar.is_hidden() {
            crate::cli::diag!("{}", msg.as_ref());
        } else {
            self.bar.suspend(|| crate::cli::diag!("{}", msg.as_ref()));
        }
    }

    /// `docs` more documents with `bytes` of text written; `input_read` bytes of the input
    /// files read up to the last of them.
    fn advance(&self, docs: u64, bytes: u64, input_read: u64) {
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        self.bar.inc(docs);
        if !self.bar.is_hidden() {
            let secs = self.start.elapsed().as_secs_f64().max(1e-9);
            let mb = total as f64 / 1e6;
            let mut msg = format!("{mb:.1} MB  {:.1} MB/s", mb / secs);
            if let Some(&size) = self.total.get() {
                let (percent, left) = share_and_time_left(input_read, size, secs);
                msg = format!("{percent:.0}%  {msg}");
                if let Some(left) = left {
                    msg.push_str(&format!("  {} left", duration_words(left)));
                }
            }
            self.bar.set_message(msg);
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The percentage of `size` bytes that `read` is, within 0..100, and the seconds left at the
/// rate of `read` bytes in `secs` seconds (`None` before anything is read).
fn share_and_time_left(read: u64, size: u64, secs: f64) -> (f64, Option<f64>) {
    if size == 0 {
        return (100.0, Some(0.0));
    }
    let read = read.min(size);
    let percent = 100.0 * read as f64 / size as f64;
    let left = (read > 0).then(|| secs * (size - read) as f64 / read as f64);
    (percent, left)
}

/// Seconds as the progress line says them: `42s`, `3m 05s`, `2h 07m`.
fn duration_words(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, s % 3600 / 60),
    }
}

/// Run `process` over every document of `corpus` in parallel and feed `sink` in input order.
/// The sink may stop the run by returning an error (a closed pipe, a write failure).
pub fn run<R, P, S>(corpus: &mut Corpus, process: P, sink: S) -> anyhow::Result<()>
where
    R: Send,
    P: Fn(&Document) -> R + Sync,
    S: FnMut(Outcome<R>) -> anyhow::Result<()> + Send,
{
    run_with_progress(corpus, &Progress::hidden(), process, sink)
}

/// [`run`], advancing `progress` after each batch and clearing it at the end.
pub fn run_with_progress<R, P, S>(
    corpus: &mut Corpus,
    progress: &Progress,
    process: P,
    mut sink: S,
) -> anyhow::Result<()>
where
    R: Send,
    P: Fn(&Document) -> R + Sync,
    S: FnMut(Outcome<R>) -> anyhow::Result<()> + Send,
{
    if !progress.is_hidden() {
        if let Some(size) = corpus.input_size() {
            let _ = progress.total.set(size);
        }
    }
    let result = drive(corpus, progress, process, &mut sink);
    progress.finish();
    result?;
    // Reading stopped before the end of the inputs: what was written is only part of them.
    match corpus.refusal() {
        Some(why) => anyhow::bail!("{why}"),
        None => Ok(()),
    }
}

fn drive<R, P, S>(
    corpus: &mut Corpus,
    progress: &Progress,
    process: P,
    sink: &mut S,
) -> anyhow::Result<()>
where
    R: Send,
    P: Fn(&Document) -> R + Sync,
    S: FnMut(Outcome<R>) -> anyhow::Result<()> + Send,
{
    // One thread asked for (`--threads 1`): everything runs on this one, one core. The
    // pipeline below would read and write on a second core beside the one worker.
    if rayon::current_num_threads() <= 1 {
        loop {
            let (batch, bytes, input_read) = read_batch(corpus);
            if batch.is_empty() {
                return Ok(());
            }
            let n = batch.len() as u64;
            for item in batch {
                sink(match item {
                    Ok(doc) => {
                        let r = process(&doc);
                        Outcome::Done(doc, r)
                    }
                    Err(p) => Outcome::Skipped(p),
                })?;
            }
            progress.advance(n, bytes as u64, input_read);
        }
    }
    // A pipeline of three stages, run by the pool's own workers: while the pool processes one
    // batch, one worker hands the results of the batch before to the sink (CSV and JSON
    // writing, statistics) and another reads the batch after. The sink sees the documents in
    // input order, as before. The loop itself runs on a worker (not the calling thread), so
    // each batch's tasks go onto that worker's own queue for the others to take, instead of
    // waking the pool from outside and sleeping until it is done.
    rayon::scope(|_| {
        let mut next = read_batch(corpus);
        let mut finished: Option<(Vec<Outcome<R>>, u64, u64, u64)> = None;
        loop {
            let (batch, bytes, input_read) = std::mem::take(&mut next);
            if batch.is_empty() && finished.is_none() {
                return Ok(());
            }
            let n = batch.len() as u64;
            let prev = finished.take();
            let (processed, (sunk, read)) = rayon::join(
                || (!batch.is_empty()).then(|| process_batch(batch, &process)),
                || {
                    rayon::join(
                        || {
                            prev.map_or(anyhow::Ok(()), |(results, n, bytes, input_read)| {
                                for r in results {
                                    sink(r)?;
                                }
                                progress.advance(n, bytes, input_read);
                                Ok(())
                            })
                        },
                        || read_batch(corpus),
                    )
                },
            );
            sunk?;
            next = read;
            finished = processed.map(|results| (results, n, bytes as u64, input_read));
        }
    })
}

/// A batch of items, its bytes of text, and the bytes of the input files read by its end.
type Batch = (Vec<Result<Document, Problem>>, usize, u64);

/// The next batch: up to [`BATCH_DOCS`] documents or [`BATCH_BYTES`] of text (empty at the
/// end of the corpus), with its size in bytes of text and how far the input files are read.
fn read_batch(corpus: &mut Corpus) -> Batch {
    let mut batch: Vec<Result<Document, Problem>> = Vec::with_capacity(BATCH_DOCS);
    let mut bytes = 0usize;
    while batch.len() < BATCH_DOCS && bytes < BATCH_BYTES {
        let Some(item) = corpus.next() else {
            break;
        };
        if let Ok(d) = &item {
            bytes += d.text.len();
        }
        batch.push(item);
    }
    (batch, bytes, corpus.input_read())
}

fn process_batch<R, P>(batch: Vec<Result<Document, Problem>>, process: &P) -> Vec<Outcome<R>>
where
    R: Send,
    P: Fn(&Document) -> R + Sync,
{
    batch
        .into_par_iter()
        .map(|item| match item {
            Ok(doc) => {
                let r = process(&doc);
                Outcome::Done(doc, r)
            }
            Err(p) => Outcome::Skipped(p),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{duration_words, share_and_time_left};

    #[test]
    fn share_and_time_left_follow_the_rate_so_far() {
        // A quarter read in 30 s: 25%, and three quarters left at that rate, 90 s.
        assert_eq!(share_and_time_left(250, 1000, 30.0), (25.0, Some(90.0)));
        // Nothing read yet: no rate, so no time left to say.
        assert_eq!(share_and_time_left(0, 1000, 5.0), (0.0, None));
        // All read, or more than the size (a file grown while read): 100%, nothing left.
        assert_eq!(share_and_time_left(1000, 1000, 12.0), (100.0, Some(0.0)));
        assert_eq!(share_and_time_left(1500, 1000, 12.0), (100.0, Some(0.0)));
        // Empty inputs are read as soon as started.
        assert_eq!(share_and_time_left(0, 0, 1.0), (100.0, Some(0.0)));
        // 1 byte of 3 in 2 s: 4 s for the other 2.
        let (p, left) = share_and_time_left(1, 3, 2.0);
        assert!((p - 100.0 / 3.0).abs() < 1e-12);
        assert_eq!(left, Some(4.0));
    }

    #[test]
    fn durations_in_words() {
        let cases = [
            (0.0, "0s"),
            (0.4, "0s"),
            (59.4, "59s"),
            (59.6, "1m 00s"),
            (65.0, "1m 05s"),
            (3599.0, "59m 59s"),
            (3600.0, "1h 00m"),
            (7620.0, "2h 07m"),
            (-3.0, "0s"),
        ];
        for (secs, words) in cases {
            assert_eq!(duration_words(secs), words, "{secs}");
        }
    }
}
