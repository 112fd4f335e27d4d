//! The corpus statistics against an established implementation (statsmodels, on a fixed
//! fixture) and against the truth (a simulation of clustered corpora); see
//! docs/statistics.md.

use std::collections::BTreeMap;
use std::path::Path;

use onrecord::aggregate::{DocStats, Summary, SummaryRow};

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/stats")
        .join(name)
}

fn records(name: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(data(name)).unwrap();
    r.deserialize().map(|x| x.unwrap()).collect()
}

fn num(s: &str) -> Option<f64> {
    (!s.is_empty()).then(|| s.parse().unwrap())
}

fn find<'a>(rows: &'a [SummaryRow], group: &str, metric: &str, key: &str) -> &'a SummaryRow {
    rows.iter()
        .find(|r| r.group == group && r.metric == metric && r.key == key)
        .unwrap_or_else(|| panic!("no row {group}/{metric}/{key}"))
}

/// tests/data/stats/reference.csv was written by scripts/stats_fixtures.py with statsmodels
/// from the claims in fixture.csv.
#[test]
fn clustered_figures_agree_with_statsmodels() {
    let mut docs: BTreeMap<String, DocStats> = BTreeMap::new();
    for c in records("fixture.csv") {
        let d = docs
            .entry(c["doc"].clone())
            .or_insert_with(|| DocStats::new(c["doc"].clone(), c["group"].clone()));
        let pats: Vec<&str> = ["uncertain", "anonymous"]
            .into_iter()
            .filter(|p| c[*p] == "1")
            .collect();
        d.push_claim(c["score"].parse().unwrap(), pats);
    }
    let rows = Summary::from_docs(docs.values()).unwrap().rows();
    let reference = records("reference.csv");
    assert_eq!(reference.len(), 24);
    let mut max_diff = 0.0_f64;
    for want in &reference {
        let got = find(&rows, &want["group"], &want["metric"], &want["key"]);
        let what = format!("{}/{}/{}", want["group"], want["metric"], want["key"]);
        assert_eq!(got.interval, want["interval"], "{what}");
        for (g, w) in [
            (got.estimate, num(&want["estimate"])),
            (got.ci_low, num(&want["ci_low"])),
            (got.ci_high, num(&want["ci_high"])),
        ] {
            match (g, w) {
                (Some(g), Some(w)) => {
                    assert!((g - w).abs() <= 1e-6, "{what}: {g} against {w}");
                    max_diff = max_diff.max((g - w).abs());
                }
                (None, None) => {}
                other => panic!("{what}: {other:?}"),
            }
        }
    }
    println!(
        "fixture: {} figures, max abs difference {max_diff:.2e}",
        reference.len()
    );
}

/// The library's splitmix64, so that the simulation needs no RNG crate and runs the same
/// everywhere.
struct Rng(onrecord::extract::learn::Rng);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Gamma(k, 1) for a whole shape k: a sum of k standard exponentials.
    fn gamma_int(&mut self, k: u32) -> f64 {
        (0..k).map(|_| -(1.0 - self.uniform()).ln()).sum()
    }
    /// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
    fn beta(&mut self, a: u32, b: u32) -> f64 {
        let x = self.gamma_int(a);
        x / (x + self.gamma_int(b))
    }
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

/// Issue 17's simulation: corpora of 2 to 80 articles, all from one distribution; each
/// article has its own rate of hedged claims drawn from Beta(2, 8) (mean 0.2, the true
/// rate of every corpus, as claim counts do not depend on the rate).
#[test]
fn clustered_intervals_cover_the_true_rate() {
    const TRUE_RATE: f64 = 0.2;
    const REPLICATES: u64 = 12;
    let sizes: Vec<u64> = (0..10).map(|i| 2 + (78 * i + 4) / 9).collect();
    assert_eq!((sizes[0], sizes[9]), (2, 80));
    let mut rng = Rng(onrecord::extract::learn::Rng(17_2026));
    let (mut covered, mut total, mut outside, mut widths) = (0, 0, 0, Vec::new());
    // Corpora differ only by chance: every significant comparison is a false discovery.
    let (mut false_discoveries, mut tests) = (0, 0);
    for rep in 0..REPLICATES {
        let mut docs = Vec::new();
        for (c, &size) in sizes.iter().enumerate() {
            for a in 0..size {
                let mut d = DocStats::new(format!("r{rep}c{c}a{a}"), format!("corpus{c:02}"));
                let rate = rng.beta(2, 8);
                for _ in 0..rng.between(3, 40) {
                    let hedged = rng.uniform() < rate;
                    d.push_claim(50.0, hedged.then_some("uncertain"));
                }
                d.patterns.entry("uncertain".into()).or_insert(0);
                docs.push(d);
            }
        }
        let summary = Summary::from_docs(&docs).unwrap();
        for c in summary.compare().iter().filter(|c| c.key == "uncertain") {
            tests += usize::from(c.p_holm.is_some());
            false_discoveries += usize::from(c.p_holm.is_some_and(|p| p < 0.05));
        }
        let rows = summary.rows();
        for r in rows
            .iter()
            .filter(|r| r.metric == "pattern_rate" && r.key == "uncertain")
        {
            assert_eq!(r.interval, "cluster_logit_t95", "{r:?}");
            let (lo, hi) = (r.ci_low.unwrap(), r.ci_high.unwrap());
            total += 1;
            outside += usize::from(!(0.0..=1.0).contains(&lo) || !(0.0..=1.0).contains(&hi));
            covered += usize::from(lo <= TRUE_RATE && TRUE_RATE <= hi);
            widths.push(hi - lo);
        }
    }
    let coverage = covered as f64 / total as f64;
    widths.sort_by(f64::total_cmp);
    println!(
        "simulation: {total} intervals (10 corpora of {sizes:?} articles x {REPLICATES} \
         replicates): coverage {coverage:.3} ({covered}/{total}), {outside} outside [0, 1], \
         median width {:.3}; {false_discoveries} false discoveries in {tests} Holm-adjusted \
         comparisons of the per-document rate",
        widths[widths.len() / 2]
    );
    assert_eq!(total, 120);
    assert_eq!(outside, 0);
    assert!(coverage >= 0.93, "coverage {coverage}");
    // Issue 17 asks for at most 2 over all replicates (comparisons.csv's document-level
    // Welch tests, Holm over the file).
    assert!(
        false_discoveries <= 2,
        "{false_discoveries} false discoveries"
    );
}
