//! Tests of [`super`]: the group summaries, their rows and their exact merge.

use super::*;
use crate::aggregate::testing::{assert_close, doc};
use crate::aggregate::CompareOptions;

#[test]
fn a_claim_counts_each_of_its_patterns_once() {
    let names: Vec<String> = (0..20).map(|i| format!("p{i}")).collect();
    let mut many: Vec<&str> = names.iter().map(String::as_str).collect();
    // Repeats, before and after the first sixteen distinct names.
    many.extend(["p0", "p19", "p3", "p17"]);
    let d = doc(
        "d",
        "g",
        &[(50.0, &many), (10.0, &["p0", "p0", "q"]), (0.0, &[])],
    );
    assert_eq!(d.n_claims, 3);
    assert_eq!(d.patterns.len(), 21);
    assert_eq!(d.patterns["p0"], 2);
    assert_eq!(d.patterns["p19"], 1);
    assert_eq!(d.patterns["p17"], 1);
    assert_eq!(d.patterns["q"], 1);
    let mut s = GroupSummary::new("g");
    s.add_doc(&d).unwrap();
    s.add_doc(&d).unwrap();
    assert_eq!(s.patterns["p0"], 4);
}

/// Claims of x1..x3 in group "x" (scores as in the reference snippet below) and an
/// empty document x4.
fn group_x() -> Vec<DocStats> {
    vec![
        doc(
            "x1",
            "x",
            &[(55.5, &["anonymous"]), (56.0, &[]), (20.1, &[])],
        ),
        doc("x2", "x", &[(99.9, &["anonymous"]), (0.0, &["anonymous"])]),
        doc("x3", "x", &[(100.0, &[]), (73.3, &[]), (55.5, &[])]),
        DocStats::new("x4", "x"),
    ]
}

fn row<'a>(rows: &'a [SummaryRow], metric: &str, key: &str) -> &'a SummaryRow {
    rows.iter()
        .find(|r| r.metric == metric && r.key == key)
        .unwrap_or_else(|| panic!("no row {metric}/{key}"))
}

#[test]
fn claim_level_figures_match_numpy() {
    // s = np.array([55.5, 56.0, 20.1, 99.9, 0.0, 100.0, 73.3, 55.5])
    // s.mean(), s.std(ddof=1), np.median(s), np.median(s[:7])
    // Intervals: clustered(s, docs, 100.0) and clustered(anonymous, docs, 1.0) of
    // scripts/stats_fixtures.py (statsmodels), docs = x1 x1 x1 x2 x2 x3 x3 x3.
    let g = GroupSummary::from_docs("x", &group_x()).unwrap();
    assert_eq!(g.n_documents(), 4);
    assert_eq!(g.n_claims(), 8);
    let m = g.claim_moments().unwrap();
    assert_close!(m.mean, 57.5375);
    assert_close!(m.sd().unwrap(), 34.98754625373353);
    assert_eq!(g.median_score(), Some(55.75));
    let rows = g.rows();
    let r = row(&rows, "score_mean", "");
    assert_close!(r.ci_low.unwrap(), 13.300601910863988);
    assert_close!(r.ci_high.unwrap(), 92.28894111156628);
    assert_eq!(r.interval, "cluster_logit_t95");
    let r = row(&rows, "pattern_rate", "anonymous");
    assert_eq!((r.count, r.n), (Some(3), 8));
    assert_eq!(r.estimate, Some(0.375));
    assert_close!(r.ci_low.unwrap(), 0.005218784474082297);
    assert_close!(r.ci_high.unwrap(), 0.9856366374272651);

    // Seven claims: x3 without its last claim (55.5); median is the 4th score, 56.0.
    let mut seven = group_x();
    seven[2] = doc("x3", "x", &[(100.0, &[]), (73.3, &[])]);
    let seven = GroupSummary::from_docs("x", &seven).unwrap();
    assert_eq!(seven.n_claims(), 7);
    assert_eq!(seven.median_score(), Some(56.0));
}

#[test]
fn document_level_figures_match_scipy() {
    // X = {'x1': [55.5, 56.0, 20.1], 'x2': [99.9, 0.0], 'x3': [100.0, 73.3, 55.5]}
    // xm = np.array([np.mean(v) for v in X.values()])
    // xa = np.array([1/3, 1.0, 0.0]); statistics.stdev(xm), statistics.stdev(xa)
    // Intervals: doc_mean(xm, 100.0), doc_mean(xa, 1.0) of scripts/stats_fixtures.py
    // (the t interval's standard error on the logit scale).
    let g = GroupSummary::from_docs("x", &group_x()).unwrap();
    let m = g.doc_score_moments().unwrap();
    assert_eq!(m.n, 3, "the claimless x4 has no mean");
    assert_eq!(g.n_documents(), 4);
    assert_close!(m.mean, 56.69444444444444);
    assert_close!(m.sd().unwrap(), 17.220791159181626);
    let m = g.doc_rate_moments("anonymous").unwrap();
    assert_close!(m.sd().unwrap(), 0.5091750772173156);
    // A pattern no document has: every rate is 0.
    let m = g.doc_rate_moments("vague").unwrap();
    assert_eq!((m.n, m.mean, m.var), (3, 0.0, Some(0.0)));
    let rows = g.rows();
    let r = row(&rows, "doc_score_mean", "");
    assert_eq!(r.n, 3);
    assert_close!(r.estimate.unwrap(), 56.694444444444436);
    assert_close!(r.ci_low.unwrap(), 18.648829852053345);
    assert_close!(r.ci_high.unwrap(), 88.20286149839247);
    assert_eq!(r.interval, "doc_logit_t95");
    let r = row(&rows, "doc_pattern_rate", "anonymous");
    assert_close!(r.estimate.unwrap(), 0.4444444444444444);
    assert_close!(r.ci_low.unwrap(), 0.004745363205983107);
    assert_close!(r.ci_high.unwrap(), 0.9926051089279047);
}

#[test]
fn empty_and_single_claim_groups_have_no_nan() {
    let empty = GroupSummary::new("e");
    let one = GroupSummary::from_docs("o", &[doc("d", "o", &[(42.0, &["vague"])])]).unwrap();
    for g in [&empty, &one] {
        for r in g.rows() {
            for v in [r.estimate, r.sd, r.ci_low, r.ci_high]
                .into_iter()
                .flatten()
            {
                assert!(v.is_finite(), "{r:?}");
            }
        }
    }
    assert_eq!(empty.median_score(), None);
    assert_eq!(empty.claim_moments(), None);
    let rows = one.rows();
    let r = row(&rows, "score_mean", "");
    assert_eq!((r.estimate, r.sd, r.ci_low), (Some(42.0), None, None));
    assert_eq!(row(&rows, "score_median", "").estimate, Some(42.0));
    // One document: estimates, but no interval, and the row says why.
    let r = row(&rows, "pattern_rate", "vague");
    assert_eq!(r.estimate, Some(1.0));
    assert_eq!((r.ci_low, r.ci_high), (None, None));
    assert_eq!(r.interval, "none_one_document");
}

#[test]
fn bad_documents_are_rejected_and_leave_the_summary_unchanged() {
    let mut g = GroupSummary::from_docs("x", &group_x()).unwrap();
    let before = g.clone();
    for score in [f64::NAN, -0.1, 100.1, 55.55, f64::INFINITY] {
        let err = g.add_doc(&doc("bad", "x", &[(50.0, &[]), (score, &[])]));
        match err {
            Err(AggregateError::BadScore {
                claim: 1, ref doc, ..
            }) if doc == "bad" => {}
            other => panic!("score {score}: {other:?}"),
        }
    }
    let mut d = doc("bad", "x", &[(50.0, &[])]);
    d.n_claims = 2;
    assert!(matches!(
        g.add_doc(&d),
        Err(AggregateError::ClaimCountMismatch {
            n_claims: 2,
            n_scores: 1,
            ..
        })
    ));
    let mut d = doc("bad", "x", &[(50.0, &[])]);
    d.patterns.insert("vague".into(), 2);
    let msg = g.add_doc(&d).unwrap_err().to_string();
    assert!(msg.contains("\"bad\"") && msg.contains("vague"), "{msg}");
    assert_eq!(g, before);
    // Binary noise around a one-decimal score is accepted.
    g.add_doc(&doc("ok", "x", &[(0.1 * 3.0, &[])])).unwrap();
    assert!(matches!(
        g.clone().merge(GroupSummary::new("y")),
        Err(AggregateError::GroupMismatch { .. })
    ));
}

/// splitmix64: a tiny deterministic generator, so the test needs no RNG crate.
pub(crate) struct Rng(u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub(crate) fn random_corpus(rng: &mut Rng, n_docs: usize) -> Vec<DocStats> {
    const PATTERNS: [&str; 5] = ["anonymous", "vague", "uncertain", "unattributed", "media"];
    const GROUPS: [&str; 3] = ["bbc", "guardian", "reuters"];
    const TYPES: [&str; 3] = ["named_official", "anonymous", "media"];
    (0..n_docs)
        .map(|i| {
            let group = GROUPS[rng.below(3) as usize];
            let mut d = DocStats::new(format!("doc{i:04}"), group);
            for _ in 0..rng.below(12) {
                let score = rng.below(1001) as f64 / 10.0;
                let pats: Vec<&str> = PATTERNS
                    .iter()
                    .copied()
                    .filter(|_| rng.below(4) == 0)
                    .collect();
                d.push_claim(score, pats);
            }
            for _ in 0..rng.below(5) {
                d.push_attribution(TYPES[rng.below(3) as usize]);
            }
            d
        })
        .collect()
}

pub(crate) fn csv_of<T: Serialize>(rows: &[T]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[test]
fn merged_shards_equal_the_whole_bit_for_bit() {
    let mut rng = Rng(20240611);
    for round in 0..20 {
        let mut docs = random_corpus(&mut rng, 60 + round * 7);
        let whole = Summary::from_docs(&docs).unwrap();
        // Shuffle (Fisher–Yates), then cut into three shards at random points.
        for i in (1..docs.len()).rev() {
            docs.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let c1 = rng.below(docs.len() as u64) as usize;
        let c2 = c1 + rng.below((docs.len() - c1) as u64 + 1) as usize;
        let shards: Vec<Summary> = [&docs[..c1], &docs[c1..c2], &docs[c2..]]
            .iter()
            .map(|s| Summary::from_docs(*s).unwrap())
            .collect();
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let mut merged = Summary::new();
            for i in order {
                merged.merge(shards[i].clone()).unwrap();
            }
            assert_eq!(merged, whole, "round {round}, order {order:?}");
            assert_eq!(csv_of(&merged.rows()), csv_of(&whole.rows()));
            let compared = |s: &Summary| s.compare(CompareOptions::default()).unwrap().rows;
            assert_eq!(csv_of(&compared(&merged)), csv_of(&compared(&whole)));
        }
        // Associativity: (a + b) + c == a + (b + c).
        let mut bc = shards[1].clone();
        bc.merge(shards[2].clone()).unwrap();
        let mut a_bc = shards[0].clone();
        a_bc.merge(bc).unwrap();
        assert_eq!(csv_of(&a_bc.rows()), csv_of(&whole.rows()));
    }
}

#[test]
fn summaries_survive_a_json_round_trip() {
    // Shards may be summarized in separate processes and merged from JSON.
    let docs = random_corpus(&mut Rng(7), 40);
    let s = Summary::from_docs(&docs).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    let back: Summary = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    let g = s.group("bbc").unwrap();
    let by_type: u64 = ["named_official", "anonymous", "media"]
        .iter()
        .map(|t| g.attribution_count(t))
        .sum();
    assert_eq!(by_type, g.n_attributions());
    assert!(g.n_attributions() > 0);
}

#[test]
fn every_group_gets_every_pattern_row() {
    let docs = [
        doc("a", "g1", &[(10.0, &["vague"])]),
        doc("b", "g2", &[(20.0, &["anonymous"])]),
    ];
    let s = Summary::from_docs(&docs).unwrap();
    let rows = s.rows();
    for g in ["g1", "g2"] {
        for p in ["vague", "anonymous"] {
            assert!(rows
                .iter()
                .any(|r| r.group == g && r.metric == "pattern_rate" && r.key == p));
        }
    }
    let csv = csv_of(&rows);
    assert!(csv.starts_with("group,metric,key,level,n,count,estimate,sd,ci_low,ci_high,interval\n"));
}

#[test]
fn documents_sharing_an_id_count_separately() {
    // Ingest reports repeated ids; the summary counts every document it is given.
    let docs = [
        doc("same", "g", &[(10.0, &["vague"])]),
        doc("same", "g", &[(30.0, &[]), (50.0, &[])]),
    ];
    let g = GroupSummary::from_docs("g", &docs).unwrap();
    assert_eq!(g.n_documents(), 2);
    let m = g.doc_score_moments().unwrap();
    assert_eq!((m.n, m.mean), (2, 25.0));
    assert_eq!(m.var, Some(450.0));
    assert_eq!(g.doc_rate_moments("vague").unwrap().mean, 0.5);
}

#[test]
fn fixed_point_document_figures_match_floating_point() {
    // The fixed-point sums agree with a direct two-pass computation over the
    // per-document values far below the 1e-9 the printed figures are checked to.
    let docs = random_corpus(&mut Rng(99), 500);
    let s = Summary::from_docs(&docs).unwrap();
    for g in s.groups() {
        let mine: Vec<&DocStats> = docs
            .iter()
            .filter(|d| d.group == g.group && d.n_claims > 0)
            .collect();
        let means: Vec<f64> = mine
            .iter()
            .map(|d| d.score_sum() / d.n_claims as f64)
            .collect();
        let want = Moments::of(&means).unwrap();
        let got = g.doc_score_moments().unwrap();
        assert_eq!(got.n, want.n);
        assert!((got.mean - want.mean).abs() < 1e-10, "{got:?} {want:?}");
        assert!((got.var.unwrap() - want.var.unwrap()).abs() < 1e-8 * want.var.unwrap());
        let rates: Vec<f64> = mine
            .iter()
            .map(|d| d.patterns.get("vague").copied().unwrap_or(0) as f64 / d.n_claims as f64)
            .collect();
        let want = Moments::of(&rates).unwrap();
        let got = g.doc_rate_moments("vague").unwrap();
        assert!((got.mean - want.mean).abs() < 1e-12, "{got:?} {want:?}");
        assert!((got.var.unwrap() - want.var.unwrap()).abs() < 1e-10);
    }
}

#[test]
fn constant_documents_have_zero_variance_exactly() {
    // 1/3 is not exact in fixed point, but every copy rounds the same way.
    let d = doc("a", "g", &[(10.0, &["vague"]), (20.0, &[]), (20.0, &[])]);
    let g = GroupSummary::from_docs("g", &vec![d; 1000]).unwrap();
    assert_eq!(g.doc_score_moments().unwrap().var, Some(0.0));
    assert_eq!(g.doc_rate_moments("vague").unwrap().var, Some(0.0));
    let rows = g.rows();
    let r = row(&rows, "doc_pattern_rate", "vague");
    assert_close!(r.estimate.unwrap(), 1.0 / 3.0);
    // No spread between documents is no evidence of none: Wilson over the documents,
    // never a zero-width interval. The claims' rate keeps its clustered interval,
    // whose variance is floored at that of independent claims.
    assert_eq!(r.interval, "doc_wilson_t95");
    let (lo, hi) = (r.ci_low.unwrap(), r.ci_high.unwrap());
    assert!(
        lo > 0.30 && lo < 1.0 / 3.0 && hi > 1.0 / 3.0 && hi < 0.37,
        "{r:?}"
    );
    let r = row(&rows, "pattern_rate", "vague");
    assert_eq!(r.interval, "cluster_logit_t95");
    assert!(r.ci_low.unwrap() < 1.0 / 3.0 && r.ci_high.unwrap() > 1.0 / 3.0);
}

#[test]
fn summaries_of_another_format_are_refused() {
    let s = Summary::from_docs(&random_corpus(&mut Rng(3), 20)).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert!(
        json.starts_with(&format!("{{\"format\":{SUMMARY_FORMAT},")),
        "{json}"
    );
    // Format 1 had no `format`, and per-document tallies under `docs`.
    let old = r#"{"groups":{"g":{"group":"g","docs":{"d1":{"n_claims":1,"score_tenths":500,"patterns":{}}},"score_hist":{"500":1},"patterns":{},"n_attributions":0,"attributions_by_type":{}}}}"#;
    let err = serde_json::from_str::<Summary>(old)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("older than summary format 2") && err.contains("onrecord score"),
        "{err}"
    );
    // Format 3 lacks the sums of attributions per claim: score again, the message says.
    let three = json.replacen(&format!("\"format\":{SUMMARY_FORMAT}"), "\"format\":3", 1);
    let err = serde_json::from_str::<Summary>(&three)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("summary format 3") && err.contains("run `onrecord score` again"),
        "{err}"
    );
    let other = json.replacen(&format!("\"format\":{SUMMARY_FORMAT}"), "\"format\":99", 1);
    let err = serde_json::from_str::<Summary>(&other)
        .unwrap_err()
        .to_string();
    assert!(err.contains("summary format 99"), "{err}");
    let renamed = json.replacen("\"bbc\":", "\"bbx\":", 1);
    let err = serde_json::from_str::<Summary>(&renamed)
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"bbx\""), "{err}");
}

#[test]
fn attributions_per_claim_counts_documents_without_claims_as_clusters() {
    // Two documents with claims (2 attributions over 4 claims, 0 over 4) and one with 3
    // attributions and no claims: R = 5 / 8 over G = 3 clusters.
    let mut docs = Vec::new();
    for (id, claims, attributions) in [("d1", 4, 2), ("d2", 4, 0), ("d3", 0, 3)] {
        let mut d = DocStats::new(id, "g");
        for _ in 0..claims {
            d.push_claim(50.0, Vec::<&str>::new());
        }
        for _ in 0..attributions {
            d.push_attribution("named");
        }
        docs.push(d);
    }
    let g = GroupSummary::from_docs("g", &docs).unwrap();
    let b = g.attributions_per_claim_clustered();
    let r: f64 = 5.0 / 8.0;
    // G/(G-1) Σ (a_i - R m_i)^2 / M^2, by hand; above the Poisson floor R / M.
    let var = 1.5 * ((2.0 - 4.0 * r).powi(2) + (4.0 * r).powi(2) + 9.0) / 64.0;
    assert!(var > r / 8.0);
    let t = crate::aggregate::stats::t_crit(2.0).unwrap();
    let half = t * var.sqrt() / r;
    assert_eq!((b.estimate, b.method), (Some(r), "cluster_log_t95"));
    let ci = b.ci.unwrap();
    assert_close!(ci.low, r * (-half).exp());
    assert_close!(ci.high, r * half.exp());
    // No attributions in two documents: [0, t^2 / G] with t on 1 df.
    let g = GroupSummary::from_docs("g", [&docs[1], &docs[1]]).unwrap();
    let b = g.attributions_per_claim_clustered();
    let t = crate::aggregate::stats::t_crit(1.0).unwrap();
    assert_eq!((b.estimate, b.method), (Some(0.0), "cluster_poisson_t95"));
    assert_eq!(b.ci.map(|c| (c.low, c.high)), Some((0.0, t * t / 2.0)));
    // Attributions without any claim: no ratio at all.
    let g = GroupSummary::from_docs("g", &docs[2..]).unwrap();
    let rows = g.rows();
    let r = row(&rows, "attributions_per_claim", "");
    assert_eq!(
        (r.estimate, r.ci_low, r.interval.as_str()),
        (None, None, "")
    );
}

#[test]
fn a_run_is_merged_once() {
    let docs = random_corpus(&mut Rng(11), 30);
    let (a, b) = (
        Summary::from_docs(&docs[..15]).unwrap(),
        Summary::from_docs(&docs[15..]).unwrap(),
    );
    assert_eq!((a.runs().len(), Summary::new().runs().len()), (1, 0));
    let mut ab = a.clone();
    ab.merge(b.clone()).unwrap();
    assert_eq!(ab.runs().len(), 2);
    // The same summary twice, or one of its runs again, from JSON too: refused, unchanged.
    let from_json: Summary = serde_json::from_str(&serde_json::to_string(&b).unwrap()).unwrap();
    for again in [a.clone(), from_json] {
        let before = ab.clone();
        let err = ab.merge(again).unwrap_err().to_string();
        assert!(err.contains("would count twice"), "{err}");
        assert_eq!((&ab, ab.runs()), (&before, before.runs()));
    }
    // The same input scored again (another order) is the same run.
    let mut reversed = docs[..15].to_vec();
    reversed.reverse();
    assert_eq!(Summary::from_docs(&reversed).unwrap().runs(), a.runs());
    // A summary without `runs` cannot be checked: refused.
    let json = serde_json::to_string(&a).unwrap();
    let start = json.find(",\"runs\":").unwrap();
    let end = json.find(",\"groups\":").unwrap();
    let err = serde_json::from_str::<Summary>(&format!("{}{}", &json[..start], &json[end..]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("runs"), "{err}");
}
