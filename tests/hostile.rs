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
