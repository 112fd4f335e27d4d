//! Throughput of each stage in MB/s of article text: segmentation, extraction with the rules
//! and with the tagger, scoring, and the three together. Text: PolNeAR dev (../shared) when
//! present, else the embedded sample corpus.
//!
//! cargo bench --bench pipeline

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use onrecord::extract::{self, ModelKind};
use std::path::{Path, PathBuf};

fn corpus() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dev = root.join("../shared/polnear/dev/text");
    let dir = if dev.is_dir() {
        dev
    } else {
        root.join("data/sample")
    };
    let mut out = Vec::new();
    collect(&dir, &mut out);
    out
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt") {
            out.push(std::fs::read_to_string(&p).unwrap());
        }
    }
}

fn stages(c: &mut Criterion) {
    let docs = corpus();
    let bytes: u64 = docs.iter().map(|d| d.len() as u64).sum();
    let segs: Vec<_> = docs.iter().map(|d| onrecord::segment::segment(d)).collect();
    let weights = onrecord::score::Weights::embedded().unwrap();
    let mut g = c.benchmark_group("polnear-dev");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("segment", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| onrecord::segment::segment(d).tokens.len())
                .sum::<usize>()
        })
    });
    for (name, model) in [
        ("extract-rules", ModelKind::Rules),
        ("extract-tagger", ModelKind::Tagger),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                docs.iter()
                    .zip(&segs)
                    .map(|(d, s)| extract::extract(d, s, model).attributions.len())
                    .sum::<usize>()
            })
        });
    }
    let exts: Vec<_> = docs
        .iter()
        .zip(&segs)
        .map(|(d, s)| extract::extract(d, s, ModelKind::Rules))
        .collect();
    g.bench_function("score", |b| {
        b.iter(|| {
            docs.iter()
                .zip(&segs)
                .zip(&exts)
                .map(|((d, s), e)| onrecord::score::claims(d, s, e, &weights).len())
                .sum::<usize>()
        })
    });
    for (name, model) in [
        ("end-to-end-rules", ModelKind::Rules),
        ("end-to-end-tagger", ModelKind::Tagger),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                docs.iter()
                    .map(|d| {
                        let s = onrecord::segment::segment(d);
                        let e = extract::extract(d, &s, model);
                        onrecord::score::claims(d, &s, &e, &weights).len()
                    })
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
