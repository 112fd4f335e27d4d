//! The corpus statistics against an established implementation (statsmodels, on a fixed
//! fixture) and against the truth (a simulation of clustered corpora); see
//! docs/statistics.md.

use std::collections::BTreeMap;
use std::path::Path;

use onrecord::aggregate::{CompareOptions, DocStats, Scope, Summary, SummaryRow};

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

/// The documents of fixture.csv (one row per claim) with their attributions.
fn fixture() -> Summary {
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
    // attributions.csv: each document's attributions; a6 has attributions but no claims.
    for a in records("attributions.csv") {
        let d = docs
            .entry(a["doc"].clone())
            .or_insert_with(|| DocStats::new(a["doc"].clone(), a["group"].clone()));
        for _ in 0..a["attributions"].parse::<u32>().unwrap() {
            d.push_attribution("named");
        }
    }
    Summary::from_docs(docs.values()).unwrap()
}

/// tests/data/stats/reference.csv was written by scripts/stats_fixtures.py with statsmodels
/// from the claims in fixture.csv and the attributions in attributions.csv.
#[test]
fn clustered_figures_agree_with_statsmodels() {
    let rows = fixture().rows();
    let reference = records("reference.csv");
    assert_eq!(reference.len(), 28);
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

/// tests/data/stats/comparisons_reference.csv was written by scripts/stats_fixtures.py: the
/// null-restricted cluster-robust test summed claim by claim in numpy, the groups' intervals
/// from statsmodels, MOVER, and statsmodels' Holm within each metric; groups of at least 2
/// documents (fixture.csv's groups have 1 to 5), each against the rest and every pair.
#[test]
fn comparisons_agree_with_the_reference() {
    let summary = fixture();
    let reference = records("comparisons_reference.csv");
    assert_eq!(reference.len(), 18);
    let mut max_diff = 0.0_f64;
    for (scope, name) in [(Scope::Rest, "rest"), (Scope::Pairs, "pairs")] {
        let got = summary
            .compare(CompareOptions {
                scope,
                min_group_docs: 2,
            })
            .unwrap();
        // D has one document: figures, no test.
        assert_eq!(got.too_small, ["D"]);
        let want: Vec<_> = reference.iter().filter(|w| w["scope"] == name).collect();
        assert_eq!(got.rows.len(), want.len(), "{name}");
        for w in want {
            let what = format!(
                "{name}: {}/{}/{}/{}",
                w["group_a"], w["group_b"], w["metric"], w["key"]
            );
            let r = got
                .rows
                .iter()
                .find(|r| {
                    (
                        r.group_a.as_str(),
                        r.group_b.as_str(),
                        r.metric.as_str(),
                        r.key.as_str(),
                    ) == (&*w["group_a"], &*w["group_b"], &*w["metric"], &*w["key"])
                })
                .unwrap_or_else(|| panic!("no row {what}"));
            assert_eq!(r.comparison, w["comparison"], "{what}");
            assert_eq!(
                (r.n_a.to_string(), r.n_b.to_string()),
                (w["n_a"].clone(), w["n_b"].clone())
            );
            for (field, g) in [
                ("estimate_a", r.estimate_a),
                ("estimate_b", r.estimate_b),
                ("diff", r.diff),
                ("diff_ci_low", r.diff_ci_low),
                ("diff_ci_high", r.diff_ci_high),
                ("statistic", r.statistic),
                ("df", r.df),
                ("p", r.p),
                ("p_holm", r.p_holm),
            ] {
                match (g, num(&w[field])) {
                    (Some(g), Some(w)) => {
                        assert!((g - w).abs() <= 1e-6, "{what} {field}: {g} against {w}");
                        max_diff = max_diff.max((g - w).abs());
                    }
                    (None, None) => {}
                    other => panic!("{what} {field}: {other:?}"),
                }
            }
        }
    }
    println!(
        "comparisons fixture: {} rows, max abs difference {max_diff:.2e}",
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
    // The default comparisons (each corpus against the rest, corpora of at least 10
    // documents: 9 of the 10) count for the bound; all pairs are counted too.
    let (mut false_discoveries, mut tests, mut untested) = (0, 0, 0);
    let (mut pair_false, mut pair_tests) = (0, 0);
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
        let rest = summary.compare(CompareOptions::default()).unwrap();
        untested += rest.too_small.len();
        for c in rest.rows.iter().filter(|c| c.key == "uncertain") {
            tests += usize::from(c.p_holm.is_some());
            false_discoveries += usize::from(c.p_holm.is_some_and(|p| p < 0.05));
        }
        let pairs = CompareOptions {
            scope: Scope::Pairs,
            ..CompareOptions::default()
        };
        for c in summary
            .compare(pairs)
            .unwrap()
            .rows
            .iter()
            .filter(|c| c.key == "uncertain")
        {
            pair_tests += usize::from(c.p_holm.is_some());
            pair_false += usize::from(c.p_holm.is_some_and(|p| p < 0.05));
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
         tests of the rate, each corpus against the rest ({untested} corpora below 10 \
         documents not tested); all pairs: {pair_false} in {pair_tests}",
        widths[widths.len() / 2]
    );
    assert_eq!((tests, untested), (12 * 9, 12));
    assert_eq!(total, 120);
    assert_eq!(outside, 0);
    assert!(coverage >= 0.93, "coverage {coverage}");
    // Issue 17 asks for at most 2 over all replicates.
    assert!(
        false_discoveries <= 2,
        "{false_discoveries} false discoveries"
    );
    assert!(
        pair_false <= 2,
        "{pair_false} false discoveries among pairs"
    );
}
