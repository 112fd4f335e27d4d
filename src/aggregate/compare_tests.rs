use super::*;
use crate::aggregate::testing::{self, assert_close};
use crate::aggregate::DocStats;

/// A document of `m` claims scored `score`, the first `k` of them with `pattern`.
fn doc(id: &str, group: &str, m: usize, k: usize, pattern: &str, score: f64) -> DocStats {
    let mut d = DocStats::new(id, group);
    for c in 0..m {
        d.push_claim(score, (c < k).then_some(pattern));
    }
    d.patterns.entry(pattern.into()).or_insert(0);
    d
}

/// `n` documents of group `group` with varied claim counts, rates and scores.
fn group(group: &str, n: usize, seed: usize) -> Vec<DocStats> {
    (0..n)
        .map(|i| {
            let m = 2 + (i * 7 + seed) % 9;
            let k = (i * 3 + seed) % (m + 1);
            let score = ((i * 13 + seed * 5) % 90) as f64 + 5.5;
            doc(&format!("{group}{i}"), group, m, k, "uncertain", score)
        })
        .collect()
}

fn summary(groups: &[Vec<DocStats>]) -> Summary {
    Summary::from_docs(groups.iter().flatten()).unwrap()
}

fn at_least(n: u64) -> CompareOptions {
    CompareOptions {
        scope: Scope::Rest,
        min_group_docs: n,
    }
}

fn find<'a>(rows: &'a [ComparisonRow], a: &str, metric: &str, key: &str) -> &'a ComparisonRow {
    rows.iter()
        .find(|r| r.group_a == a && r.metric == metric && r.key == key)
        .unwrap_or_else(|| panic!("no row {a}/{metric}/{key}"))
}

#[test]
fn documents_that_all_agree_still_give_a_sane_test() {
    // Issue 17: two documents at rate 0 against another group gave Welch's p = 4e-238.
    // A = [(0, 5), (0, 7)]; B = [(2, 4), (1, 6), (3, 3), (0, 5)]   # (y_i, m_i)
    // r0 = sum(y) / sum(m) over both; v(S) = g/(g-1) * sum((y - r0 m)^2) / sum(m)^2
    // z = (ra - rb) / sqrt(v(A) + v(B)); p = 2 * stats.t.sf(abs(z), 1)
    let s = Summary::from_docs(&[
        doc("z1", "zero", 5, 0, "uncertain", 50.0),
        doc("z2", "zero", 7, 0, "uncertain", 50.0),
        doc("o1", "other", 4, 2, "uncertain", 50.0),
        doc("o2", "other", 6, 1, "uncertain", 50.0),
        doc("o3", "other", 3, 3, "uncertain", 50.0),
        doc("o4", "other", 5, 0, "uncertain", 50.0),
    ])
    .unwrap();
    let c = s.compare(at_least(2)).unwrap();
    // Two groups: the one pair, in name order.
    assert!(c.rows.iter().all(|r| r.comparison == "pair"));
    let r = find(&c.rows, "other", "pattern_rate", "uncertain");
    assert_eq!((r.group_b.as_str(), r.n_a, r.n_b), ("zero", 4, 2));
    assert_close!(r.diff.unwrap(), 1.0 / 3.0);
    assert_close!(r.statistic.unwrap(), 1.2169943101141627);
    assert_eq!(r.df, Some(1.0));
    assert_close!(r.p.unwrap(), 0.43788696351228257);
    let (lo, hi) = (r.diff_ci_low.unwrap(), r.diff_ci_high.unwrap());
    assert!((-1.0..1.0 / 3.0).contains(&lo) && (1.0 / 3.0..=1.0).contains(&hi));
    // Every score is 50 on both sides: no variance under the null, no test.
    let r = find(&c.rows, "other", "score_mean", "");
    assert_eq!(
        (r.diff, r.p, r.p_holm, r.holm_m),
        (Some(0.0), None, None, 0)
    );
}

#[test]
fn the_rest_is_every_other_group_pooled() {
    let (x, y, z) = (group("x", 6, 1), group("y", 5, 2), group("z", 4, 3));
    let c = summary(&[x.clone(), y.clone(), z.clone()])
        .compare(at_least(2))
        .unwrap();
    assert_eq!(c.rows.len(), 3 * 2);
    // The same comparison with y and z relabelled as one group, summed directly.
    let pooled: Vec<DocStats> = y
        .iter()
        .chain(&z)
        .map(|d| DocStats {
            group: "y_and_z".into(),
            ..d.clone()
        })
        .collect();
    let direct = summary(&[x, pooled]).compare(at_least(2)).unwrap();
    for metric in ["score_mean", "pattern_rate"] {
        let key = if metric == "score_mean" {
            ""
        } else {
            "uncertain"
        };
        let (a, b) = (
            find(&c.rows, "x", metric, key),
            find(&direct.rows, "x", metric, key),
        );
        assert_eq!(
            (a.comparison.as_str(), b.comparison.as_str()),
            ("vs_rest", "pair")
        );
        assert_eq!((a.n_a, a.n_b), (6, 9));
        let fields = |r: &ComparisonRow| {
            [
                r.estimate_a,
                r.estimate_b,
                r.diff,
                r.diff_ci_low,
                r.diff_ci_high,
                r.statistic,
                r.df,
                r.p,
            ]
        };
        assert_eq!(fields(a), fields(b), "{metric}");
        assert!(a.p.is_some());
    }
}

#[test]
fn small_and_missing_groups_are_not_tested() {
    let c = summary(&[
        group("a", 10, 1),
        group("b", 12, 2),
        group("c", 10, 3),
        group("tiny", 3, 4),
        group(MISSING_GROUP, 20, 5),
    ])
    .compare(CompareOptions::default())
    .unwrap();
    assert_eq!(
        (c.tested, c.too_small.clone()),
        (3, vec!["tiny".to_string()])
    );
    let tested: BTreeSet<&str> = c.rows.iter().map(|r| r.group_a.as_str()).collect();
    assert_eq!(tested, BTreeSet::from(["a", "b", "c"]));
    assert!(c.rows.iter().all(|r| r.group_b == REST));
    // a's rest: b, c and tiny, not the documents without the column.
    assert!(c
        .rows
        .iter()
        .filter(|r| r.group_a == "a")
        .all(|r| r.n_b == 12 + 10 + 3));
    // Two groups large enough, and pairs asked for: only their pair.
    let c = summary(&[group("a", 10, 1), group("b", 12, 2), group("tiny", 3, 4)])
        .compare(CompareOptions {
            scope: Scope::Pairs,
            ..CompareOptions::default()
        })
        .unwrap();
    assert!(c
        .rows
        .iter()
        .all(|r| (r.group_a.as_str(), r.group_b.as_str()) == ("a", "b")));
}

#[test]
fn a_count_with_two_names_is_tested_once() {
    let pats: &[&str] = &["anonymous", "source_anonymous"];
    let mut docs: Vec<DocStats> = Vec::new();
    for (g, k) in [("p", 1usize), ("q", 2)] {
        for i in 0..3 {
            let claims: Vec<(f64, &[&str])> = (0..4)
                .map(|c| (40.0, if c < k + i % 2 { pats } else { &[] }))
                .collect();
            docs.push(testing::doc(&format!("{g}{i}"), g, &claims));
        }
    }
    let c = Summary::from_docs(&docs)
        .unwrap()
        .compare(at_least(2))
        .unwrap();
    let keys: Vec<&str> = c.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["", "anonymous"]);
}

#[test]
fn holm_adjusts_within_each_metric_only() {
    let groups = [
        group("a", 8, 1),
        group("b", 9, 2),
        group("c", 7, 3),
        group("d", 6, 4),
    ];
    let c = summary(&groups).compare(at_least(2)).unwrap();
    for family in ["score_mean", "pattern_rate:uncertain"] {
        let members: Vec<&ComparisonRow> =
            c.rows.iter().filter(|r| r.holm_family == family).collect();
        let p: Vec<f64> = members.iter().filter_map(|r| r.p).collect();
        assert_eq!(p.len(), 4, "{family}");
        for (r, want) in members.iter().zip(holm(&p)) {
            assert_eq!((r.p_holm, r.holm_m), (Some(want), 4));
        }
    }
    // Another pattern (registered, never seen) adds its own family and leaves the others.
    let mut more = groups.to_vec();
    more[0][0].patterns.insert("vague".into(), 0);
    let c2 = summary(&more).compare(at_least(2)).unwrap();
    let without = |rows: &[ComparisonRow]| -> Vec<ComparisonRow> {
        rows.iter().filter(|r| r.key != "vague").cloned().collect()
    };
    assert_eq!(without(&c2.rows), c.rows);
    assert!(c2
        .rows
        .iter()
        .any(|r| r.holm_family == "pattern_rate:vague"));
}

#[test]
fn differences_stay_within_their_bounds() {
    // One group never hedges, one always does; scores at the ends of the scale.
    let mut docs = Vec::new();
    for i in 0..10 {
        docs.push(doc(
            &format!("n{i}"),
            "never",
            3 + i % 4,
            0,
            "uncertain",
            0.0,
        ));
        docs.push(doc(
            &format!("a{i}"),
            "always",
            2 + i % 3,
            2 + i % 3,
            "uncertain",
            100.0,
        ));
        docs.push(doc(
            &format!("s{i}"),
            "some",
            5,
            i % 3,
            "uncertain",
            60.0 + i as f64,
        ));
    }
    let c = Summary::from_docs(&docs)
        .unwrap()
        .compare(CompareOptions::default())
        .unwrap();
    assert_eq!(c.rows.len(), 3 * 2);
    for r in &c.rows {
        let bound = if r.metric == "score_mean" { 100.0 } else { 1.0 };
        let (lo, hi, d) = (
            r.diff_ci_low.unwrap(),
            r.diff_ci_high.unwrap(),
            r.diff.unwrap(),
        );
        assert!(-bound <= lo && lo <= d && d <= hi && hi <= bound, "{r:?}");
        let p = r.p.unwrap();
        assert!(p > 0.0 && p <= 1.0, "{r:?}");
    }
}

#[test]
fn pairs_beyond_the_limit_are_refused() {
    let groups: Vec<Vec<DocStats>> = (0..=MAX_PAIR_GROUPS)
        .map(|i| group(&format!("g{i:03}"), 2, i))
        .collect();
    let s = summary(&groups);
    let pairs = CompareOptions {
        scope: Scope::Pairs,
        min_group_docs: 2,
    };
    let err = s.compare(pairs).unwrap_err();
    assert_eq!(
        err,
        AggregateError::TooManyPairGroups {
            groups: MAX_PAIR_GROUPS + 1,
            min: 2,
            limit: MAX_PAIR_GROUPS
        }
    );
    assert!(err.to_string().contains("--compare rest"));
    // Each against the rest: one row per group and metric.
    let c = s.compare(at_least(2)).unwrap();
    assert_eq!(c.rows.len(), (MAX_PAIR_GROUPS + 1) * 2);
    assert!(compare(&[], CompareOptions::default())
        .unwrap()
        .rows
        .is_empty());
}

#[test]
fn each_side_has_its_figures_of_corpora_long() {
    let s = summary(&[group("x", 12, 1), group("y", 11, 2)]);
    let c = s.compare(CompareOptions::default()).unwrap();
    assert_eq!(c.rows.len(), 2);
    let (x, y) = (s.group("x").unwrap(), s.group("y").unwrap());
    for r in &c.rows {
        let (a, b) = if r.metric == "score_mean" {
            (x.score_mean_clustered(), y.score_mean_clustered())
        } else {
            (
                x.pattern_rate_clustered(&r.key),
                y.pattern_rate_clustered(&r.key),
            )
        };
        assert_eq!((r.estimate_a, r.estimate_b), (a.estimate, b.estimate));
        let (ea, eb, ca, cb) = (
            a.estimate.unwrap(),
            b.estimate.unwrap(),
            a.ci.unwrap(),
            b.ci.unwrap(),
        );
        // Zou and Donner (2008), eq. 4, from the two intervals.
        let d = ea - eb;
        let low = d - ((ea - ca.low).powi(2) + (cb.high - eb).powi(2)).sqrt();
        let high = d + ((ca.high - ea).powi(2) + (eb - cb.low).powi(2)).sqrt();
        assert_close!(r.diff_ci_low.unwrap(), low, 1e-12);
        assert_close!(r.diff_ci_high.unwrap(), high, 1e-12);
    }
}
