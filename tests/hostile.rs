//! Hostile conditions through the binary (docs/errors.md): a closed standard error, special
//! files and symbolic links as outputs, signals, spreadsheet formulas, odd encodings. Each
//! case asserts the message, the exit code and that no good document is lost.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

const SAID: &str = "The minister said the plan would go ahead, according to officials.";

fn onrecord() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("onrecord"))
}

fn jsonl(id: &str, text: &str) -> String {
    format!("{}\n", serde_json::json!({"id": id, "text": text}))
}

fn put(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, bytes).unwrap();
    p
}

fn run(args: &[&str], dir: &Path) -> Output {
    onrecord()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run onrecord")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn assert_code(o: &Output, want: i32) {
    assert_eq!(o.status.code(), Some(want), "stderr:\n{}", stderr(o));
}

/// `n` good records (ids g0, g1, ...) with a broken line after each.
fn good_and_bad(n: usize) -> String {
    (0..n)
        .map(|i| format!("{}{{not json\n", jsonl(&format!("g{i}"), SAID)))
        .collect()
}

/// Data rows of a CSV file (header left out).
fn csv_rows(path: &Path) -> usize {
    fs::read_to_string(path).unwrap().lines().count() - 1
}

#[test]
fn a_closed_standard_error_does_not_stop_the_run() {
    let t = TempDir::new().unwrap();
    put(t.path(), "in.jsonl", good_and_bad(1000).as_bytes());
    let mut child = onrecord()
        .current_dir(t.path())
        .args(["score", "in.jsonl", "--out", "out", "--model", "rules"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reading end goes at once: every line on standard error meets a closed pipe.
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    // 3: finished, with skipped records (not 101, a panic).
    assert_eq!(status.code(), Some(3));
    assert_eq!(csv_rows(&t.path().join("out/documents.csv")), 1000);
    assert_eq!(csv_rows(&t.path().join("out/errors.csv")), 1000);
}

/// Rows of a CSV file as maps from column name to value, read with the csv crate.
fn csv_records(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect()
}

#[test]
fn spreadsheet_safe_guards_cells_led_by_tab_and_cr() {
    let t = TempDir::new().unwrap();
    let record = |id: &str, corpus: &str| {
        format!(
            "{}\n",
            serde_json::json!({"id": id, "corpus": corpus, "text": SAID})
        )
    };
    let input = [
        record("\t=1+1", "\r=2+2"),
        record("\r=1+1", "@news"),
        record("-3", "plain"),
        record("ok", "\t+x"),
    ]
    .concat();
    put(t.path(), "in.jsonl", input.as_bytes());
    let o = run(
        &[
            "score",
            "-q",
            "in.jsonl",
            "--out",
            "out",
            "--model",
            "rules",
            "--spreadsheet-safe",
        ],
        t.path(),
    );
    assert_code(&o, 0);
    let docs = csv_records(&t.path().join("out/documents.csv"));
    let cells: Vec<(&str, &str, &str)> = docs
        .iter()
        .map(|r| (r["doc"].as_str(), r["corpus"].as_str(), r["group"].as_str()))
        .collect();
    assert_eq!(
        cells,
        [
            ("'\t=1+1", "'\r=2+2", "'\r=2+2"),
            ("'\r=1+1", "'@news", "'@news"),
            ("'-3", "plain", "plain"),
            ("ok", "'\t+x", "'\t+x"),
        ]
    );
    // The group tables guard their group column (named by --by) too.
    let groups: Vec<String> = csv_records(&t.path().join("out/corpora.csv"))
        .iter()
        .map(|r| r["corpus"].clone())
        .collect();
    for g in ["'\r=2+2", "'@news", "plain", "'\t+x"] {
        assert!(groups.iter().any(|x| x == g), "{g:?} not in {groups:?}");
    }
}
