//! Throughput of each stage in MB/s of article text: segmentation, extraction with the rules
//! and with the tagger, scoring, aggregation (per-document statistics, group summaries and
//! the comparisons between groups), CSV export, and segment+extract+score together. Two texts:
//! PolNeAR dev (group `polnear-dev`) and every fourth BBC article (group `bbc`, about 2.4 MB,
//! all five sections), from ../shared when present, else the embedded sample corpus.
//!
//! cargo bench --bench pipeline [-- polnear-dev | -- bbc]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use onrecord::aggregate::{CompareOptions, DocStats, Summary};
use onrecord::doc::Document;
use onrecord::export::tables;
use onrecord::export::writer::Table;
use onrecord::extract::{self, ModelKind};
use onrecord::ingest::{Corpus, IngestOptions};
use onrecord::pipeline::{self, Analysis, Firsts, Resources};
use onrecord::text::CharIndex;
use std::path::PathBuf;

/// Articles of `rel` under ../shared (every `step`-th file in path order), else of `sample`
/// under data/sample, read as `onrecord` reads a folder: the `.txt` files below it (so not
/// the BBC corpus' README.TXT) in sorted path order, Latin-1 ones decoded lossily.
fn corpus(rel: &str, sample: &str, step: usize) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared").join(rel);
    let (dir, step) = if shared.is_dir() {
        (shared, step)
    } else {
        (root.join("data/sample").join(sample), 1)
    };
    Corpus::open(&[dir], &IngestOptions::default())
        .unwrap()
        .map(|item| item.unwrap().text)
        .step_by(step)
        .collect()
}

fn stages(c: &mut Criterion) {
    group(c, "polnear-dev", &corpus("polnear/dev/text", "polnear", 1));
    group(c, "bbc", &corpus("corpora/bbc", "bbc", 4));
}

fn group(c: &mut Criterion, name: &str, docs: &[String]) {
    let bytes: u64 = docs.iter().map(|d| d.len() as u64).sum();
    let rules = Resources::embedded(ModelKind::Rules).unwrap();
    let tagger = Resources::embedded(ModelKind::Tagger).unwrap();
    // Each stage's input comes from the pipeline with the rules, timed stage by stage below.
    let analyses: Vec<Analysis> = docs.iter().map(|d| pipeline::analyze(d, &rules)).collect();
    let segs: Vec<_> = analyses.iter().map(|a| &a.segmented).collect();
    let exts: Vec<_> = analyses.iter().map(|a| &a.extraction).collect();
    let claims: Vec<_> = analyses.iter().map(|a| &a.claims).collect();
    let weights = &rules.weights;
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("segment", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| {
                    onrecord::segment::segment(d, rules.lexicons.splitter())
                        .tokens
                        .len()
                })
                .sum::<usize>()
        })
    });
    for (name, res) in [("extract-rules", &rules), ("extract-tagger", &tagger)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                docs.iter()
                    .zip(&segs)
                    .map(|(d, s)| {
                        extract::extract(d, s, &res.lexicons, &res.extractor)
                            .attributions
                            .len()
                    })
                    .sum::<usize>()
            })
        });
    }
    g.bench_function("score", |b| {
        b.iter(|| {
            docs.iter()
                .zip(&segs)
                .zip(&exts)
                .map(|((d, s), e)| onrecord::score::claims(d, s, e, weights).len())
                .sum::<usize>()
        })
    });
    let records: Vec<_> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| Document {
            id: format!("doc{i}"),
            corpus: "bench".into(),
            text: d.clone(),
            ..Document::default()
        })
        .collect();
    // Two groups of alternating documents, so that the comparisons have something to compare.
    g.bench_function("aggregate", |b| {
        b.iter(|| {
            let mut summary = Summary::new();
            for (i, (e, cl)) in exts.iter().zip(&claims).enumerate() {
                let mut stats = DocStats::new(format!("doc{i}"), ["a", "b"][i % 2]);
                for c in cl.iter() {
                    stats.push_claim(c.score, c.patterns.iter().copied());
                }
                for a in &e.attributions {
                    stats.push_attribution(a.source_type.as_str());
                }
                summary.add_doc(&stats).unwrap();
            }
            let compared = summary.compare(CompareOptions::default()).unwrap();
            summary.rows().len() + compared.rows.len()
        })
    });
    let cis: Vec<_> = docs.iter().map(|d| CharIndex::new(d)).collect();
    g.bench_function("export-csv", |b| {
        b.iter(|| {
            let mut t = Table::new(Vec::new(), &tables::claims_header(), false).unwrap();
            let mut a = Table::new(Vec::new(), &tables::attributions_header(), false).unwrap();
            for (((d, ci), e), cl) in records.iter().zip(&cis).zip(&exts).zip(&claims) {
                tables::write_claims(&mut t, d, "bench", ci, e, cl, Firsts::default()).unwrap();
                tables::write_attributions(&mut a, d, "bench", ci, e, Firsts::default()).unwrap();
            }
            t.into_inner().unwrap().len() + a.into_inner().unwrap().len()
        })
    });
    for (name, res) in [("end-to-end-rules", &rules), ("end-to-end-tagger", &tagger)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                docs.iter()
                    .map(|d| pipeline::analyze(d, res).claims.len())
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
