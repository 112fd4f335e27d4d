//! Throughput must not collapse on pathological documents: one huge article, a document
//! with no sentence end, and thousands of unbalanced quotes. Each is compared with ordinary
//! articles of the same size processed the same way (segment, rules, score), so the test
//! measures the growth of the work (quadratic passes), not the speed of this machine.
//! Each document is checked twice: through segmentation, the rule extractor and scoring
//! alone, and through the whole pipeline (with source typing and hedges, extract::patterns).

use onrecord::extract::ModelKind;
use onrecord::ingest::{Corpus, IngestOptions};
use onrecord::pipeline::{self, Resources};
use std::path::Path;
use std::time::{Duration, Instant};

/// Ordinary articles: the embedded sample corpus, read as `onrecord` reads a folder (the
/// `.txt` files below it in sorted path order; a file that is not UTF-8 is left out).
fn sample_articles() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let opts = IngestOptions {
        strict_utf8: true,
        ..IngestOptions::default()
    };
    let out: Vec<String> = Corpus::open(&[dir], &opts)
        .expect("data/sample is readable")
        .filter_map(|item| item.ok().map(|d| d.text))
        .collect();
    assert!(!out.is_empty(), "data/sample holds no .txt articles");
    out
}

/// Articles repeated to about `bytes`, as separate documents.
fn ordinary(bytes: usize) -> Vec<String> {
    let arts = sample_articles();
    let mut out = Vec::new();
    let mut n = 0;
    while n < bytes {
        let a = &arts[out.len() % arts.len()];
        n += a.len();
        out.push(a.clone());
    }
    out
}

fn process(docs: &[String], res: &Resources) -> (Duration, usize) {
    let t = Instant::now();
    let claims = docs
        .iter()
        .map(|d| pipeline::analyze(d, res).claims.len())
        .sum();
    (t.elapsed(), claims)
}

/// Size of each pathological document. Large enough that a pass quadratic in the tokens,
/// sentences or attributions of a document costs far more than the linear work.
const SIZE: usize = 1 << 20;
/// How much slower than ordinary articles (per byte) a pathological document may be.
const MAX_SLOWDOWN: f64 = 8.0;

fn check(name: &str, doc: &str, extractor: ModelKind) {
    let res = Resources::embedded(extractor).expect("embedded resources load");
    let base_docs = ordinary(doc.len());
    let base_bytes: usize = base_docs.iter().map(String::len).sum();
    // Best of three, to keep a busy machine from failing the test.
    let best = |docs: &[String]| {
        (0..3)
            .map(|_| process(docs, &res).0)
            .min()
            .unwrap_or_default()
    };
    let base = best(&base_docs).as_secs_f64() / base_bytes as f64;
    let docs = [doc.to_string()];
    let (_, claims) = process(&docs, &res);
    let path = best(&docs).as_secs_f64() / docs[0].len() as f64;
    let ratio = path / base;
    let name = match extractor {
        ModelKind::Tagger => format!("{name} (whole pipeline, tagger)"),
        ModelKind::Rules => format!("{name} (whole pipeline, rules)"),
    };
    eprintln!(
        "{name}: {:.1} MB/s vs {:.1} MB/s on ordinary articles ({ratio:.2}x slower per byte, {claims} claims)",
        1e-6 / path,
        1e-6 / base
    );
    assert!(
        ratio < MAX_SLOWDOWN,
        "{name}: {ratio:.1}x slower per byte than ordinary articles (limit {MAX_SLOWDOWN}x): \
         some pass grows faster than linearly with the document"
    );
}

fn huge_article() -> String {
    let mut doc = String::new();
    for a in ordinary(SIZE) {
        doc.push_str(&a);
        doc.push_str("\n\n");
    }
    doc
}

/// Words only: no full stop, no newline, so the whole document is one sentence.
fn no_end() -> String {
    let mut doc = String::new();
    for a in ordinary(SIZE) {
        for w in a.split_whitespace() {
            let w: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
            if !w.is_empty() {
                doc.push_str(&w);
                doc.push(' ');
            }
        }
    }
    doc
}

/// Every paragraph opens a quote that never closes, and "said" cues abound.
fn unbalanced_quotes() -> String {
    let mut doc = String::new();
    let mut i = 0;
    while doc.len() < SIZE {
        doc.push_str(&format!(
            "“The plan {i} will work, officials said. And it goes on. He said it is done.\n\n"
        ));
        i += 1;
    }
    doc
}

/// [`check`] with the rules, then through the whole pipeline with the tagger.
fn check_both(name: &str, doc: &str) {
    check(name, doc, ModelKind::Rules);
    check(name, doc, ModelKind::Tagger);
}

#[test]
fn one_huge_article() {
    check_both("one huge article", &huge_article());
}

#[test]
fn no_sentence_end() {
    check("no sentence end", &no_end(), ModelKind::Rules);
}

/// The segmenter cuts sentences at MAX_SENTENCE_TOKENS, so per-sentence work stays linear.
#[test]
fn no_sentence_end_whole_pipeline() {
    check("no sentence end", &no_end(), ModelKind::Tagger);
}

#[test]
fn thousands_of_unbalanced_quotes() {
    check_both("unbalanced quotes", &unbalanced_quotes());
}

/// `onrecord score` writes the same CSV bytes at one and two threads (batches are processed
/// in parallel but written in input order). The sample corpus is repeated so that a run
/// spans several batches.
#[test]
fn score_tables_same_bytes_at_one_and_two_threads() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let input = dir.path().join("corpus.jsonl");
    let mut lines = String::new();
    let arts = sample_articles();
    for k in 0..(2 * onrecord::runner::BATCH_DOCS / arts.len() + 1) {
        for (i, a) in arts.iter().enumerate() {
            let rec = serde_json::json!({"id": format!("a{i}#{k}"), "corpus": format!("c{}", i % 3), "text": a});
            lines.push_str(&rec.to_string());
            lines.push('\n');
        }
    }
    std::fs::write(&input, lines).expect("writing the corpus");
    let run = |threads: &str| {
        let out = dir.path().join(format!("out{threads}"));
        assert_cmd::Command::cargo_bin("onrecord")
            .expect("binary built")
            .args([
                "score",
                "-q",
                "--model",
                "rules",
                "--threads",
                threads,
                "--out",
            ])
            .arg(&out)
            .arg(&input)
            .assert()
            .success();
        out
    };
    let (one, two) = (run("1"), run("2"));
    for name in [
        "claims.csv",
        "attributions.csv",
        "documents.csv",
        "corpora.csv",
        "corpora_long.csv",
        "comparisons.csv",
        "errors.csv",
        "summary.json",
    ] {
        let a = std::fs::read(one.join(name)).expect("output of --threads 1");
        let b = std::fs::read(two.join(name)).expect("output of --threads 2");
        assert!(!a.is_empty(), "{name} is empty");
        assert!(a == b, "{name} differs between --threads 1 and --threads 2");
    }
}
