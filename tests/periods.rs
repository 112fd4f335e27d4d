//! `score --period`: periods.csv, trends.csv and the undated documents, end to end.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

fn onrecord() -> Command {
    Command::cargo_bin("onrecord").expect("the onrecord binary")
}

fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    csv::Reader::from_path(path)
        .expect("readable CSV")
        .deserialize()
        .map(|r| r.expect("a row"))
        .collect()
}

fn num(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} in {row:?}"))
}

/// Ten documents in each of January, February and April 2024 (dates in several formats;
/// each month its own mix of texts), one with a date written day/month ambiguously and
/// one without a date.
fn corpus() -> String {
    let texts = [
        "The minister said the bridge will open in May. \"It is on time,\" she said.",
        "Officials said the project may cost more than planned, according to a report.",
        "A spokesman said the company could not comment. Analysts said prices might rise.",
        "The mayor said the road was closed. Residents said they were not told.",
        "According to police, the suspect was arrested on Monday, a source said.",
    ];
    let mut lines = String::new();
    for (k, (month, name)) in [("01", "Jan"), ("02", "February"), ("04", "Apr")]
        .into_iter()
        .enumerate()
    {
        for i in 0..10 {
            let date = match i {
                0 => format!("2024-{month}-05"),
                1 => format!("2024-{month}-07T10:00:00+01:00"),
                2 => format!("2024-{month}-09 08:30:00"),
                3 => format!("{name} 11, 2024"),
                4 => format!("2024-{month}-13T23:59:59.5Z"),
                5 => format!("15 {name} 2024"),
                6 => format!("2024/{month}/16"),
                _ => format!("2024-{month}-{}", 10 + i),
            };
            let text = texts[i % (k + 3)];
            let id = format!("{month}-{i}");
            let d = serde_json::json!({"id": id, "corpus": "c", "date": date, "text": text});
            lines.push_str(&format!("{d}\n"));
        }
    }
    let ambiguous = serde_json::json!({"id": "ambiguous", "corpus": "c", "date": "03/05/2024", "text": texts[0]});
    let none = serde_json::json!({"id": "none", "corpus": "c", "text": texts[1]});
    lines.push_str(&format!("{ambiguous}\n{none}\n"));
    lines
}

#[test]
fn periods_and_trends_by_month() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("docs.jsonl");
    std::fs::write(&input, corpus()).unwrap();
    let out = dir.path().join("out");
    let o = onrecord()
        .arg("score")
        .arg(&input)
        .args(["--model", "rules", "--period", "month", "-q", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("2 documents have no date in column \"date\"")
            && err.contains("first: ambiguous, \"03/05/2024\""),
        "{err}"
    );
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        report.contains("3 periods, 3 with at least 10 documents")
            && report.contains("2 documents undated"),
        "{report}"
    );

    let rows = read_csv(&out.join("periods.csv"));
    let documents: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["metric"] == "documents")
        .map(|r| (r["period"].as_str(), r["n"].as_str()))
        .collect();
    assert_eq!(
        documents,
        [
            ("2024-01", "10"),
            ("2024-02", "10"),
            ("2024-04", "10"),
            ("(undated)", "2")
        ]
    );
    // The periods' claims add up to the corpus's.
    let claims = |rows: &[BTreeMap<String, String>]| -> f64 {
        rows.iter()
            .filter(|r| r["metric"] == "claims")
            .map(|r| num(r, "n"))
            .sum()
    };
    let corpus_rows = read_csv(&out.join("corpora_long.csv"));
    assert!(claims(&rows) > 30.0);
    assert_eq!(claims(&rows), claims(&corpus_rows));
    // Every interval holds its estimate and stays within bounds.
    let mut intervals = 0;
    for r in rows.iter().filter(|r| !r["ci_low"].is_empty()) {
        let (low, est, high) = (num(r, "ci_low"), num(r, "estimate"), num(r, "ci_high"));
        let max = match r["metric"].as_str() {
            m if m.contains("score") => 100.0,
            "attributions_per_claim" => f64::INFINITY,
            _ => 1.0,
        };
        assert!(
            0.0 <= low && low <= est && est <= high && high <= max,
            "{r:?}"
        );
        intervals += 1;
    }
    assert!(intervals > 30, "{intervals}");

    let trends = read_csv(&out.join("trends.csv"));
    let score = trends
        .iter()
        .find(|r| r["group"] == "c" && r["metric"] == "score_mean")
        .expect("a score_mean trend");
    assert_eq!(
        (
            score["step"].as_str(),
            score["periods"].as_str(),
            score["documents"].as_str(),
            score["df"].as_str(),
            score["method"].as_str()
        ),
        ("month", "3", "30", "29", "cluster_ols_t")
    );
    let (low, slope, high, p) = (
        num(score, "ci_low"),
        num(score, "slope"),
        num(score, "ci_high"),
        num(score, "p"),
    );
    assert!(
        low < slope && slope < high && (0.0..=1.0).contains(&p),
        "{score:?}"
    );
    assert!(trends.iter().any(|r| r["metric"] == "pattern_rate"));
}

/// `--min-group-docs` is the minimum of a trend's periods too: at 11, none of the months
/// (10 documents each) enters, and the report and trends.csv say so.
#[test]
fn min_group_docs_sets_the_minimum_of_a_trends_periods() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("docs.jsonl");
    std::fs::write(&input, corpus()).unwrap();
    let out = dir.path().join("out");
    let o = onrecord()
        .arg("score")
        .arg(&input)
        .args(["--model", "rules", "--period", "month", "-q"])
        .args(["--min-group-docs", "11", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    let report = String::from_utf8_lossy(&o.stdout);
    assert!(
        report.contains("3 periods, 0 with at least 11 documents")
            && report.contains("No trend tested")
            && report.contains("with at least 11 documents with claims (--min-group-docs"),
        "{report}"
    );
    let trends = read_csv(&out.join("trends.csv"));
    assert!(!trends.is_empty());
    for r in &trends {
        assert_eq!((r["periods"].as_str(), r["p"].as_str()), ("0", ""), "{r:?}");
        assert!(r["note"].contains("at least 11 documents"), "{r:?}");
    }
}

#[test]
fn without_period_nothing_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("docs.jsonl");
    std::fs::write(&input, corpus()).unwrap();
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        onrecord()
            .arg("score")
            .arg(&input)
            .args(["--model", "rules", "-q", "--out"])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        out
    };
    let (plain, dated) = (run("plain", &[]), run("dated", &["--period", "week"]));
    assert!(!plain.join("periods.csv").exists() && !plain.join("trends.csv").exists());
    for file in [
        "claims.csv",
        "documents.csv",
        "corpora_long.csv",
        "comparisons.csv",
    ] {
        assert_eq!(
            std::fs::read(plain.join(file)).unwrap(),
            std::fs::read(dated.join(file)).unwrap(),
            "{file}"
        );
    }
    let weeks: Vec<String> = read_csv(&dated.join("periods.csv"))
        .into_iter()
        .filter(|r| r["metric"] == "documents")
        .map(|r| r["period"].clone())
        .collect();
    // Python: date(2024, 1, 5).isocalendar() is week 1, date(2024, 4, 19) week 16.
    assert_eq!(weeks.first().map(String::as_str), Some("2024-W01"));
    assert!(weeks.contains(&"2024-W16".to_string()), "{weeks:?}");
    assert_eq!(weeks.last().map(String::as_str), Some("(undated)"));
}

#[test]
fn an_unknown_period_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("docs.jsonl");
    std::fs::write(&input, corpus()).unwrap();
    let o = onrecord()
        .arg("score")
        .arg(&input)
        .args(["--period", "fortnight", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("use day, week, month or year"), "{err}");
}
