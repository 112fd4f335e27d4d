//! Memory bounds through the binary (docs/errors.md): peak resident memory of the onrecord
//! process, read with getrusage(RUSAGE_CHILDREN) after it exits. Only one test lives in this
//! file, so no other test's children raise the peak it reads; its cases run smallest bound
//! first, as the peak read is the largest so far.

use std::fs;
use std::io::Write;
use std::process::Command;
use tempfile::TempDir;

/// The largest resident set of any child waited for so far, in bytes.
fn children_peak_rss() -> u64 {
    // SAFETY: getrusage fills the struct it is given and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage failed");
    // Linux reports ru_maxrss in KiB.
    usage.ru_maxrss as u64 * 1024
}

/// Runs onrecord with `args` in `dir` and checks that it succeeded.
fn onrecord_ok(dir: &std::path::Path, args: &[&str]) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("onrecord"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: stderr:\n{stderr}");
}

/// The peak resident memory so far is under `mb` MB.
fn assert_peak_under(mb: u64, what: &str) {
    let peak = children_peak_rss();
    assert!(
        peak < mb * MB,
        "{what}: peak resident memory {} MB",
        peak / MB
    );
}

const MB: u64 = 1 << 20;

#[test]
fn huge_records_and_documents_stay_within_memory_bounds() {
    a_huge_csv_field_is_skipped_in_bounded_memory();
    a_document_dense_in_tokens_is_scored_in_bounded_memory();
    a_50_mb_document_is_scored_and_extracted_in_bounded_memory();
}

fn a_document_dense_in_tokens_is_scored_in_bounded_memory() {
    // 20 MB of quote marks, a token each: 1.3 GB at peak for 10 MB before pieces were cut
    // by tokens as well as bytes (src/pipeline/pieces.rs); 210 MB for 50 MB now.
    let t = TempDir::new().unwrap();
    fs::write(t.path().join("quotes.txt"), "\"".repeat(20_000_000)).unwrap();
    onrecord_ok(
        t.path(),
        &["score", "quotes.txt", "--out", "out", "--quiet"],
    );
    let docs = fs::read_to_string(t.path().join("out/documents.csv")).unwrap();
    assert_eq!(docs.lines().count(), 2, "one document");
    assert_peak_under(400, "quote marks");
}

fn a_50_mb_document_is_scored_and_extracted_in_bounded_memory() {
    // The sample articles end to end, 50 MB (the default --max-doc-bytes) in one document,
    // scored with the default extractor: 1,386 MB at peak when analysed whole, 515 MB in
    // pieces put together (src/pipeline/pieces.rs), 195 MB written piece by piece
    // (src/cli/score_rows.rs), 163 MB with pieces bounded by tokens too; extracted: 487 MB,
    // then 199 MB (src/export/jsonl.rs).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let mut articles = Vec::new();
    for corpus in ["ukraine", "polnear", "bbc"] {
        let mut files: Vec<_> = fs::read_dir(dir.join(corpus))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        articles.extend(files.iter().map(|f| fs::read_to_string(f).unwrap()));
    }
    let block = articles.join("\n\n") + "\n\n";
    let mut text = block.repeat(50_000_000 / block.len() + 1);
    let mut cut = 50_000_000;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    let t = TempDir::new().unwrap();
    fs::write(t.path().join("long.txt"), &text).unwrap();
    onrecord_ok(t.path(), &["score", "long.txt", "--out", "out", "--quiet"]);
    let docs = fs::read_to_string(t.path().join("out/documents.csv")).unwrap();
    assert_eq!(docs.lines().count(), 2, "one document");
    let claims = fs::read_to_string(t.path().join("out/claims.csv")).unwrap();
    assert!(claims.lines().count() > 100_000);
    assert_peak_under(400, "score");

    onrecord_ok(
        t.path(),
        &["extract", "long.txt", "-o", "long.jsonl", "--quiet"],
    );
    let record = fs::read_to_string(t.path().join("long.jsonl")).unwrap();
    assert_eq!(record.lines().count(), 1, "one record");
    let v: serde_json::Value = serde_json::from_str(&record).unwrap();
    assert!(v["sentences"].as_array().unwrap().len() > 100_000);
    assert_eq!(
        v["counts"]["attributions"],
        v["attributions"].as_array().unwrap().len()
    );
    assert_peak_under(400, "extract");
}

fn a_huge_csv_field_is_skipped_in_bounded_memory() {
    // 300 MB in one quoted field, between two good records, in a .csv.gz of about 300 KB:
    // the record is parsed through and skipped, never held (the csv crate's reader grew it
    // whole, 6.3 GB for a 2 GiB field).
    let t = TempDir::new().unwrap();
    let path = t.path().join("big.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(
        fs::File::create(&path).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(b"id,text\ng1,\"The minister said the plan would go ahead.\"\nhuge,\"")
        .unwrap();
    let block = vec![b'x'; MB as usize];
    for _ in 0..300 {
        gz.write_all(&block).unwrap();
    }
    gz.write_all(b"\"\ng2,Officials said the talks had ended.\n")
        .unwrap();
    gz.finish().unwrap();

    let out = Command::new(assert_cmd::cargo::cargo_bin("onrecord"))
        .current_dir(t.path())
        .args([
            "extract",
            "--model",
            "rules",
            "--threads",
            "1",
            "big.csv.gz",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "stderr:\n{stderr}");
    assert!(
        stderr.contains(
            "big.csv.gz:2: record 2 (line 3) is 314572804 bytes, over the limit of 52428800 \
             (--max-doc-bytes)"
        ),
        "stderr:\n{stderr}"
    );
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["doc"].to_string())
        .collect();
    assert_eq!(ids, ["\"g1\"", "\"g2\""]);
    assert_peak_under(150, "a huge CSV field");
}
