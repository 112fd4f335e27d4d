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

/// Every count and sum of a summary's JSON times `n`: the summary of its corpus with each
/// document repeated `n` times (integers, and the decimal strings of the u128 sums; the
/// list of runs is left as it is).
fn repeated(v: &serde_json::Value, n: u64) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, x)| (k.clone(), repeated(x, n))).collect())
        }
        Value::Number(x) => Value::from(x.as_u64().unwrap() * n),
        Value::String(s) => match s.parse::<u128>() {
            Ok(x) => Value::String((x * u128::from(n)).to_string()),
            Err(_) => v.clone(),
        },
        other => other.clone(),
    }
}

/// Issue 19, item 3: `merge` of summaries with millions of documents per group (up to
/// u32::MAX) never returned from statrs' t quantile. It finishes, and every interval is
/// finite and holds its estimate, every test has a p-value.
#[test]
fn merge_of_huge_summaries_finishes_with_finite_intervals() {
    let mut docs = Vec::new();
    for (group, shift) in [("a", 0u32), ("b", 2)] {
        for i in 0..5u32 {
            let mut d = DocStats::new(format!("{group}{i}"), group);
            for k in 0..3 + (i + shift) % 3 {
                let hedged = (i + k + shift) % 3 == 0;
                d.push_claim(
                    f64::from(10 * (i + k + shift) % 100),
                    hedged.then_some("uncertain"),
                );
                d.push_attribution("named");
            }
            docs.push(d);
        }
    }
    let base = serde_json::to_value(Summary::from_docs(&docs).unwrap()).unwrap();
    let format = base["format"].clone();
    let dir = tempfile::tempdir().unwrap();
    // 5 documents a group times 1,200,000 = 6,000,000; and u32::MAX documents in the sum.
    let mut files = Vec::new();
    for n in [1_200_000u64, u64::from(u32::MAX) / 5 - 1_200_000] {
        let mut s = repeated(&base, n);
        s["format"] = format.clone();
        // Two made-up runs (the same documents repeated would be one run, refused).
        s["runs"] = serde_json::json!([format!("{n:032x}")]);
        let path = dir.path().join(format!("summary{n}.json"));
        std::fs::write(&path, s.to_string()).unwrap();
        files.push(path);
    }
    let out = dir.path().join("merged");
    assert_cmd::Command::cargo_bin("onrecord")
        .unwrap()
        .arg("merge")
        .args(&files)
        .args(["-q", "--min-group-docs", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let long = csv::Reader::from_path(out.join("corpora_long.csv"))
        .unwrap()
        .deserialize::<BTreeMap<String, String>>()
        .map(Result::unwrap)
        .collect::<Vec<_>>();
    let base_rows = Summary::from_docs(&docs).unwrap().rows();
    let mut intervals = 0;
    for r in long.iter().filter(|r| !r["interval"].is_empty()) {
        let (low, est, high) = (num(&r["ci_low"]), num(&r["estimate"]), num(&r["ci_high"]));
        let (low, est, high) = (low.unwrap(), est.unwrap(), high.unwrap());
        assert!(
            low.is_finite() && high.is_finite() && low <= est && est <= high,
            "{r:?}"
        );
        // The same documents repeated: the same ratios.
        let want = find(&base_rows, &r["group"], &r["metric"], &r["key"]);
        assert!(
            (want.estimate.unwrap() - est).abs() <= 1e-9 * est.max(1.0),
            "{r:?}"
        );
        intervals += 1;
    }
    assert!(intervals >= 10, "{intervals}");
    let comparisons = csv::Reader::from_path(out.join("comparisons.csv"))
        .unwrap()
        .deserialize::<BTreeMap<String, String>>()
        .map(Result::unwrap)
        .collect::<Vec<_>>();
    assert!(!comparisons.is_empty());
    for r in &comparisons {
        assert_eq!(r["n_a"], u32::MAX.to_string(), "{r:?}");
        let p = num(&r["p"]).unwrap();
        assert!((0.0..=1.0).contains(&p), "{r:?}");
    }
}

/// Issue 19, item 8: `onrecord merge A A` counted A's documents twice. It is refused, the
/// message names both files, and no output folder is made.
#[test]
fn merge_refuses_a_run_twice() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, s: &Summary| {
        let path = dir.path().join(name);
        std::fs::write(&path, serde_json::to_string(s).unwrap()).unwrap();
        path
    };
    let whole = fixture();
    let a = write("a.json", &whole);
    let copy = write("copy.json", &whole);
    let out = dir.path().join("merged");
    for files in [vec![&a, &a], vec![&a, &copy]] {
        let o = assert_cmd::Command::cargo_bin("onrecord")
            .unwrap()
            .arg("merge")
            .args(&files)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&*files[0].to_string_lossy())
                && err.contains(&*files[1].to_string_lossy())
                && err.contains(&whole.runs()[0])
                && err.contains("count twice"),
            "{err}"
        );
        assert!(!out.exists());
    }
}
