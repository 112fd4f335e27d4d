//! Bad input through the binary (docs/errors.md): each case asserts the message, the exit
//! code and the closing accounting line (both: `Run::finished`). Unreadable entries are
//! simulated with a dangling symbolic link and a FIFO, since tests running as root cannot get
//! EACCES.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SAID: &str = "The minister said the plan would go ahead, according to officials.";

fn onrecord() -> Command {
    Command::cargo_bin("onrecord").expect("binary built")
}

/// What a run printed and returned.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], dir: &Path) -> Run {
    let out = onrecord()
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("run onrecord");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Run {
    fn code(&self, want: i32) -> &Self {
        assert_eq!(self.code, want, "exit code; stderr:\n{}", self.stderr);
        self
    }
    fn says(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
    /// A run that finished: its exit code, 0 or 3 when it skipped anything (docs/errors.md),
    /// and its accounting line of documents read, processed, skipped and decoded lossily.
    fn finished(&self, read: u64, processed: u64, skipped: u64, lossy: u64) -> &Self {
        self.code(if skipped == 0 { 0 } else { 3 });
        self.says(&format!(
            "onrecord: {read} documents read, {processed} processed, {skipped} skipped; \
             {lossy} decoded lossily"
        ))
    }
    fn records(&self) -> usize {
        self.stdout.lines().count()
    }
}

fn put(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&p, bytes).unwrap();
    p
}

/// Writes `files` (name, bytes) into a folder of their own and runs `extract FLAGS` on them,
/// in that order.
fn extract_files(flags: &[&str], files: &[(&str, &[u8])]) -> Run {
    let t = TempDir::new().unwrap();
    let mut args = vec!["extract"];
    args.extend(flags);
    for (name, bytes) in files {
        put(t.path(), name, bytes);
        args.push(name);
    }
    run(&args, t.path())
}

/// Writes `name` into a folder of its own and runs `extract` on it alone.
fn extract_file(name: &str, bytes: &[u8]) -> Run {
    extract_files(&[], &[(name, bytes)])
}

fn jsonl(id: &str, text: &str) -> String {
    format!("{}\n", serde_json::json!({"id": id, "text": text}))
}

/// Names left in `dir` (sorted), to check that no temporary file remains.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn empty_files_and_empty_text_are_documents() {
    let r = extract_files(
        &[],
        &[
            ("empty.txt", b""),
            ("empty.jsonl", b""),
            ("blank.jsonl", jsonl("e", "").as_bytes()),
        ],
    );
    r.finished(2, 2, 0, 0);
    assert_eq!(r.records(), 2);
    // An empty CSV has no header row: the file is skipped, naming the fields it lacks.
    extract_file("empty.csv", b"")
        .says("empty.csv: header row has no \"text\" field (fields present: none)")
        .finished(1, 0, 1, 0);
}

#[test]
fn bom_and_crlf_are_read() {
    let j = format!("\u{FEFF}{}", jsonl("b", &format!("{SAID}\r\nMore.")));
    let r = extract_files(
        &[],
        &[
            ("bom.txt", format!("\u{FEFF}{SAID}\r\n").as_bytes()),
            ("bom.jsonl", j.replace('\n', "\r\n").as_bytes()),
            (
                "bom.csv",
                format!("\u{FEFF}id,text\r\nc,\"{SAID}\"\r\n").as_bytes(),
            ),
        ],
    );
    r.finished(3, 3, 0, 0);
    let ids: Vec<String> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["doc"].to_string())
        .collect();
    assert_eq!(ids, ["\"bom\"", "\"b\"", "\"c\""]);
}

#[test]
fn binary_files_are_skipped_with_a_reason() {
    let t = TempDir::new().unwrap();
    put(t.path(), "ok.txt", SAID.as_bytes());
    put(t.path(), "bin.txt", b"GIF89a\x00\x01\x02binary");
    put(t.path(), "bin.jsonl", b"\x00\x00{}\n");
    put(t.path(), "bin.csv", b"id,text\n\x00,1\n");
    let r = run(
        &[
            "extract",
            "ok.txt",
            "bin.txt",
            "bin.jsonl",
            "bin.csv",
            "-o",
            "o.jsonl",
        ],
        t.path(),
    );
    r.says("skipped: bin.txt: binary file (NUL byte at offset 6), skipped")
        .says("skipped: bin.jsonl: binary file (NUL byte at offset 0)")
        .says("skipped: bin.csv: binary file (NUL byte at offset 8)")
        .finished(4, 1, 3, 0);
    // Every skipped input is listed in the errors file beside the output.
    let errors = fs::read_to_string(t.path().join("o.jsonl.errors.csv")).unwrap();
    assert_eq!(errors.lines().count(), 4, "{errors}");
    assert!(errors.contains("bin.txt,,\"binary file"), "{errors}");
    assert_eq!(
        fs::read_to_string(t.path().join("o.jsonl"))
            .unwrap()
            .lines()
            .count(),
        1
    );
}

#[test]
fn nul_bytes_inside_a_json_string_are_a_bad_record() {
    // Past the 8 KB sniff, a raw NUL is a JSON syntax error for that line only.
    let mut bytes = jsonl("pad", &"x".repeat(9000)).into_bytes();
    bytes.extend_from_slice(b"{\"id\":\"n\",\"text\":\"a\x00b\"}\n");
    bytes.extend_from_slice(jsonl("ok", SAID).as_bytes());
    extract_file("nul.jsonl", &bytes)
        .says("nul.jsonl:2: invalid JSON at column")
        .says("control character")
        .finished(3, 2, 1, 0);
}

#[test]
fn a_jsonl_line_ending_in_a_backslash_is_a_bad_record_not_a_crash() {
    // Found by the jsonl fuzz target: the lone-surrogate repair read past the line's end.
    let mut bytes = jsonl("a", SAID).into_bytes();
    bytes.extend_from_slice(b"{\"id\\M\"id\\\n");
    bytes.extend_from_slice(jsonl("b", SAID).as_bytes());
    extract_file("slash.jsonl", &bytes)
        .says("slash.jsonl:2: invalid JSON")
        .finished(3, 2, 1, 0);
}

#[test]
fn invalid_utf8_is_lossy_by_default_and_skipped_when_strict() {
    let t = TempDir::new().unwrap();
    put(t.path(), "latin1.txt", b"Caf\xe9 owner said it was fine.");
    put(t.path(), "ok.txt", SAID.as_bytes());
    let r = run(&["extract", "latin1.txt", "ok.txt"], t.path());
    r.finished(2, 2, 0, 1);
    assert!(r.stdout.contains("Caf\u{FFFD}") || r.records() == 2);
    run(
        &["extract", "--strict-utf8", "latin1.txt", "ok.txt"],
        t.path(),
    )
    .says("latin1.txt: not valid UTF-8; skipped because of --strict-utf8")
    .finished(2, 1, 1, 0);
}

#[test]
fn large_documents_and_long_lines_are_bounded() {
    let mut j = jsonl("long", &SAID.repeat(100));
    j.push_str(&jsonl("short", SAID));
    let csv = format!("id,text\nbig,\"{}\"\nsmall,x\n", SAID.repeat(100));
    let big = SAID.repeat(100);
    let files: &[(&str, &[u8])] = &[
        ("big.txt", big.as_bytes()),
        ("small.txt", SAID.as_bytes()),
        ("long.jsonl", j.as_bytes()),
        ("big.csv", csv.as_bytes()),
    ];
    extract_files(&["--max-doc-bytes", "1000"], files)
        .says(&format!(
            "big.txt: document is {} bytes, over the limit of 1000 (--max-doc-bytes); skipped \
             (raise --max-doc-bytes to read it)",
            SAID.len() * 100
        ))
        .says("long.jsonl:1: record is 6624 bytes, over the limit of 1000")
        .says("big.csv:1: record 1 (line 2) is 6603 bytes, over the limit of 1000")
        .finished(6, 3, 3, 0);
    // Under the default limit a 2 MB single-line document is processed, in bounded time.
    // (Sentences are separated: one sentence of megabytes makes the rules extractor
    // quadratic, see docs/errors.md.)
    let huge = format!("{SAID} ").repeat(2 << 20 >> 6);
    extract_file("huge.jsonl", jsonl("h", &huge).as_bytes()).finished(1, 1, 0, 0);
}

#[test]
fn deeply_nested_and_wrong_json_values() {
    let mut j = format!("{}\n", "[".repeat(100_000));
    j.push_str(&format!(
        "{{\"id\":\"n\",\"text\":\"t\",\"x\":{}1{}}}\n",
        "[".repeat(200),
        "]".repeat(200)
    ));
    j.push_str("[1,2]\n{\"id\":\"t\",\"text\":{\"a\":1}}\n");
    j.push_str(&jsonl("ok", SAID));
    extract_file("deep.jsonl", j.as_bytes())
        .says("deep.jsonl:1: invalid JSON at column 128: recursion limit exceeded")
        .says("deep.jsonl:2: invalid JSON")
        .says("deep.jsonl:3: expected a JSON object per line, found an array")
        .says("deep.jsonl:4: field \"text\" is an object, expected a string")
        .finished(5, 1, 4, 0);
}

#[test]
fn ragged_csv_rows_and_unterminated_quotes() {
    let csv = "id,text,extra\na,The minister said so.,1\nb,short\nc,\"quoted, fine\",3\n\
               d,\"never closed,4\ne,x,5\n";
    extract_file("bad.csv", csv.as_bytes())
        .says("bad.csv:2: record 2 (line 3, byte 40) has 2 fields but the header has 3, record skipped")
        .says("bad.csv:4: record 4 (line 5, byte 67) has 2 fields but the header has 3, record skipped (a \" opened in this record is never closed")
        .finished(4, 2, 2, 0);
    // An unterminated quote in the last record that happens to have the right field count.
    extract_file("cut.csv", b"id,text\na,fine\nb,\"cut off\nmore\n")
        .says("cut.csv:2: unterminated quoted field")
        .finished(2, 1, 1, 0);
}

#[test]
fn missing_fields_list_the_fields_that_exist() {
    let files: &[(&str, &[u8])] = &[
        ("f.jsonl", b"{\"doc_id\":\"a\",\"body\":\"x\"}\n"),
        ("f.csv", b"doc_id,body\na,x\n"),
    ];
    extract_files(&[], files)
        .says("f.jsonl:1: record has no \"text\" field (fields present: body, doc_id); choose another with --text-field")
        .says("f.csv: header row has no \"text\" field (fields present: doc_id, body); choose another with --text-field; file skipped")
        .finished(2, 0, 2, 0);
    // Naming the fields reads both.
    extract_files(&["--id-field", "doc_id", "--text-field", "body"], files).finished(2, 2, 0, 0);
}

#[test]
fn duplicate_ids_are_reported_and_kept() {
    let j = format!("{}{}", jsonl("a", SAID), jsonl("a", "Other."));
    let r = extract_file("d.jsonl", j.as_bytes());
    r.finished(2, 2, 0, 0)
        .says("; 1 duplicate ids")
        .says("d/a at d.jsonl:2 (first at d.jsonl:1)");
    assert_eq!(r.records(), 2);
}

#[cfg(unix)]
#[test]
fn unreadable_entries_in_a_folder_are_skipped() {
    let t = TempDir::new().unwrap();
    let dir = t.path().join("corpus");
    put(&dir, "good.txt", SAID.as_bytes());
    std::os::unix::fs::symlink(dir.join("missing-target.txt"), dir.join("dangling.txt")).unwrap();
    let fifo = dir.join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let r = run(&["extract", "corpus"], t.path());
    r.says("skipped: corpus/dangling.txt: cannot read: ")
        .says("(a dangling link or missing permission?)");
    if made {
        // A FIFO would block a reader forever: it is reported without being opened.
        r.says("skipped: corpus/pipe.txt: not a regular file (a FIFO, socket or device), skipped")
            .finished(3, 1, 2, 0);
        // Given directly too.
        run(&["extract", "corpus/pipe.txt"], t.path())
            .says("not a regular file")
            .finished(1, 0, 1, 0);
    } else {
        r.finished(2, 1, 1, 0);
    }
}

#[test]
fn missing_inputs_and_usage_errors() {
    let t = TempDir::new().unwrap();
    run(&["extract", "nope.jsonl"], t.path())
        .code(1)
        .says("input nope.jsonl does not exist");
    put(t.path(), "a.jsonl", jsonl("a", SAID).as_bytes());
    run(&["extract", "--on-error", "later", "a.jsonl"], t.path()).code(2);
    run(&["extract", "--max-doc-bytes", "-5", "a.jsonl"], t.path()).code(2);
}

#[test]
fn meta_that_matches_nothing_warns_with_counts() {
    let t = TempDir::new().unwrap();
    put(
        t.path(),
        "a.jsonl",
        format!("{}{}", jsonl("a", SAID), jsonl("b", SAID)).as_bytes(),
    );
    put(t.path(), "meta.csv", b"id,publisher\nx1,P\nx2,Q\nx3,R\n");
    run(&["extract", "--meta", "meta.csv", "a.jsonl"], t.path())
        .finished(2, 2, 0, 0)
        .says("warning: the --meta file matches no document (3 rows, 2 documents); check --meta-id")
        .says("first meta ids: x1, x2, x3; first document ids: a, b");
    put(t.path(), "half.csv", b"id,publisher\na,P\nx2,Q\n");
    run(&["extract", "--meta", "half.csv", "a.jsonl"], t.path())
        .code(0)
        .says("warning: 1 of 2 documents have no --meta row (first: b)")
        .says("note: 1 --meta rows match no document (first: x2)");
    put(t.path(), "nokey.csv", b"doc,publisher\na,P\n");
    run(&["extract", "--meta", "nokey.csv", "a.jsonl"], t.path())
        .code(1)
        .says("meta file nokey.csv has no column \"id\" to join on (columns: doc, publisher); choose one with --meta-id");
}

#[test]
fn on_error_fail_stops_at_the_first_problem_and_writes_nothing() {
    let t = TempDir::new().unwrap();
    let j = format!("{}not json\n{}", jsonl("a", SAID), jsonl("c", SAID));
    put(t.path(), "in.jsonl", j.as_bytes());
    run(
        &[
            "extract",
            "--on-error",
            "fail",
            "in.jsonl",
            "-o",
            "out.jsonl",
        ],
        t.path(),
    )
    .code(1)
    .says("error: in.jsonl:2: invalid JSON at column 2")
    .says("stopped at the first problem (--on-error fail); no output was written");
    assert_eq!(listing(t.path()), ["in.jsonl"]);
    let out = t.path().join("scored");
    run(
        &["score", "--on-error", "fail", "in.jsonl", "--out", "scored"],
        t.path(),
    )
    .code(1)
    .says("stopped at the first problem");
    assert!(
        !out.exists() || listing(&out).is_empty(),
        "{:?}",
        listing(&out)
    );
    // The default goes on.
    run(&["extract", "in.jsonl", "-o", "out.jsonl"], t.path()).finished(3, 2, 1, 0);
}

#[test]
fn score_lists_every_skipped_input_in_errors_csv() {
    let t = TempDir::new().unwrap();
    let j = format!("{}not json\n[]\n{}", jsonl("a", SAID), jsonl("c", SAID));
    put(t.path(), "in.jsonl", j.as_bytes());
    put(t.path(), "bin.txt", b"\x00\x01");
    run(&["score", "in.jsonl", "bin.txt", "--out", "o"], t.path()).finished(5, 2, 3, 0);
    let errors = fs::read_to_string(t.path().join("o/errors.csv")).unwrap();
    let rows: Vec<&str> = errors.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{errors}");
    assert!(rows[0].starts_with("in.jsonl,2,\"invalid JSON"), "{errors}");
    assert!(
        rows[1].starts_with("in.jsonl,3,\"expected a JSON object"),
        "{errors}"
    );
    assert!(rows[2].starts_with("bin.txt,,\"binary file"), "{errors}");
}

#[test]
fn outputs_never_overwrite_inputs() {
    let t = TempDir::new().unwrap();
    let input = put(t.path(), "in.jsonl", jsonl("a", SAID).as_bytes());
    run(&["extract", "in.jsonl", "-o", "in.jsonl"], t.path())
        .code(1)
        .says("refusing to write in.jsonl over the input in.jsonl");
    run(&["extract", "in.jsonl", "--errors", "in.jsonl"], t.path())
        .code(1)
        .says("refusing to write");
    // score --out DIR when DIR holds an input under one of the names score writes.
    let docs = put(
        t.path(),
        "o/documents.csv",
        format!("id,text\nd,\"{SAID}\"\n").as_bytes(),
    );
    let before = fs::read(&docs).unwrap();
    run(&["score", "o/documents.csv", "--out", "o"], t.path())
        .code(1)
        .says("refusing to write o/documents.csv over the input o/documents.csv");
    assert_eq!(fs::read(&docs).unwrap(), before);
    run(
        &[
            "score",
            "in.jsonl",
            "--out",
            "o2",
            "--summary-out",
            "in.jsonl",
        ],
        t.path(),
    )
    .code(1)
    .says("refusing to write in.jsonl over the input in.jsonl");
    assert!(!t.path().join("o2").exists());
    assert_eq!(listing(&t.path().join("o")), ["documents.csv"]);
    assert_eq!(fs::read(&input).unwrap(), jsonl("a", SAID).as_bytes());
}

/// SIGKILL in the middle of writing leaves the destination absent (or the old complete file)
/// and at most the documented `.NAME.onrecord-tmp-PID`, which the next run removes.
#[test]
fn a_killed_run_leaves_no_partial_output() {
    let t = TempDir::new().unwrap();
    let mut big = String::new();
    let para = format!("{SAID} \"It will work,\" a spokesman said. ").repeat(40);
    for i in 0..10_000 {
        big.push_str(&jsonl(&format!("d{i}"), &para));
    }
    put(t.path(), "big.jsonl", big.as_bytes());
    let old = b"old complete file\n";
    put(t.path(), "out.jsonl", old);
    let bin = assert_cmd::cargo::cargo_bin("onrecord");
    let mut child = std::process::Command::new(bin)
        .current_dir(t.path())
        .args(["extract", "-q", "big.jsonl", "-o", "out.jsonl"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the run has written part of its output, then kill it at once.
    let tmp = t
        .path()
        .join(format!(".out.jsonl.onrecord-tmp-{}", child.id()));
    let start = std::time::Instant::now();
    while fs::metadata(&tmp).map_or(0, |m| m.len()) == 0
        && start.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run finished before it was killed");
    assert_eq!(fs::read(t.path().join("out.jsonl")).unwrap(), old);
    for name in listing(t.path()) {
        assert!(
            ["big.jsonl", "out.jsonl"].contains(&name.as_str())
                || name.starts_with(".out.jsonl.onrecord-tmp-")
                || name.starts_with(".out.jsonl.errors.csv.onrecord-tmp-"),
            "unexpected file {name}"
        );
    }
    // The next run removes the dead run's temporary files.
    put(t.path(), "small.jsonl", jsonl("s", SAID).as_bytes());
    run(
        &["extract", "-q", "small.jsonl", "-o", "out.jsonl"],
        t.path(),
    )
    .code(0);
    assert_eq!(
        listing(t.path()),
        [
            "big.jsonl",
            "out.jsonl",
            "out.jsonl.errors.csv",
            "small.jsonl"
        ]
    );
    assert_eq!(
        fs::read_to_string(t.path().join("out.jsonl"))
            .unwrap()
            .lines()
            .count(),
        1
    );
}

/// Property tests: spans of the exported record and the merge of partial statistics.
mod properties {
    use onrecord::aggregate::{DocStats, Summary};
    use onrecord::doc::{Document, Span};
    use onrecord::extract::ModelKind;
    use onrecord::pipeline::{self, Resources};
    use proptest::prelude::*;

    /// Text that exercises the extractors: cue words, quotes of every kind, names,
    /// punctuation, multi-byte letters and line breaks, in any order.
    fn news_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("said".to_string()),
            Just("according to".to_string()),
            Just("told reporters".to_string()),
            Just("officials".to_string()),
            Just("\"".to_string()),
            Just("“".to_string()),
            Just("”".to_string()),
            Just("'".to_string()),
            Just("—".to_string()),
            Just(", ".to_string()),
            Just(". ".to_string()),
            Just(":".to_string()),
            Just("\r\n".to_string()),
            Just("\n\n".to_string()),
            Just("Mr. Zelensky".to_string()),
            Just("Ökonom Müller".to_string()),
            Just("官员".to_string()),
            Just("🙂".to_string()),
            "[a-zA-Z]{1,8}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|v| v.join(" "))
    }

    fn in_text(text: &str, s: &Span) -> bool {
        s.start <= s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    }

    /// Every `[start, end]` pair of numbers anywhere in a JSON value.
    fn pairs(v: &serde_json::Value, out: &mut Vec<(u64, u64)>) {
        match v {
            serde_json::Value::Array(a) => {
                if let [x, y] = a.as_slice() {
                    if let (Some(x), Some(y)) = (x.as_u64(), y.as_u64()) {
                        out.push((x, y));
                    }
                }
                a.iter().for_each(|x| pairs(x, out));
            }
            serde_json::Value::Object(o) => o.values().for_each(|x| pairs(x, out)),
            _ => {}
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn exported_spans_lie_inside_the_text(text in news_text(), tagger in any::<bool>()) {
            let model = if tagger { ModelKind::Tagger } else { ModelKind::Rules };
            let res = Resources::embedded(model).unwrap();
            let analysis = pipeline::analyze(&text, &res);
            let ext = &analysis.extraction;
            for a in &ext.attributions {
                for s in a.cue.iter().chain(&a.source).chain(&a.content) {
                    prop_assert!(in_text(&text, s), "{s:?} in {text:?}");
                }
            }
            for f in &ext.sentences {
                prop_assert!(in_text(&text, &f.span));
                for h in &f.hedges {
                    prop_assert!(in_text(&text, h));
                }
            }
            let doc = Document { id: "p".into(), corpus: "c".into(), text: text.clone(), ..Document::default() };
            let mut out = Vec::new();
            onrecord::export::jsonl::write_record(&mut out, &doc, &analysis).unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
            let chars = text.chars().count() as u64;
            prop_assert_eq!(v["text_chars"].as_u64(), Some(chars));
            let mut ps = Vec::new();
            pairs(&v, &mut ps);
            for (s, e) in ps {
                prop_assert!(s <= e && e <= chars, "[{}, {}] outside {} chars", s, e, chars);
            }
            // The quoted texts are the code-point slices of their spans.
            for a in v["attributions"].as_array().into_iter().flatten() {
                if let (Some([s, e]), Some(cue)) = (
                    a["cue"].as_array().and_then(|c| c.first()).and_then(|p| p.as_array()).map(|p| [p[0].as_u64().unwrap_or(0) as usize, p[1].as_u64().unwrap_or(0) as usize]),
                    a["cue_text"].as_str(),
                ) {
                    let slice: String = text.chars().skip(s).take(e - s).collect();
                    prop_assert!(cue.starts_with(&slice), "cue {cue:?} vs {slice:?}");
                }
            }
        }

        #[test]
        fn merged_partial_summaries_equal_the_whole(
            docs in prop::collection::vec(
                (0..3usize, prop::collection::vec(((0u32..=1000u32).prop_map(|t| f64::from(t) / 10.0), prop::collection::vec(0..4usize, 0..3)), 0..6), prop::collection::vec(0..3usize, 0..5), 0..4usize),
                0..30,
            ),
            order_seed in any::<u64>(),
        ) {
            const GROUPS: [&str; 3] = ["a", "b", "c"];
            const PATTERNS: [&str; 4] = ["single_source", "anonymous_only", "unattributed", "hedged"];
            const TYPES: [&str; 3] = ["named_official", "anonymous", "document"];
            let stats: Vec<DocStats> = docs.iter().enumerate().map(|(i, (g, claims, atts, _))| {
                let mut d = DocStats::new(format!("d{i}"), GROUPS[*g]);
                for (score, pats) in claims {
                    d.push_claim(*score, pats.iter().map(|p| PATTERNS[*p]));
                }
                for t in atts {
                    d.push_attribution(TYPES[*t]);
                }
                d
            }).collect();
            let whole = Summary::from_docs(&stats).unwrap();
            // Shards as the docs' last field says, merged in an order from the seed.
            let mut shards = vec![Summary::new(); 4];
            for (d, (_, _, _, shard)) in stats.iter().zip(&docs) {
                shards[*shard].add_doc(d).unwrap();
            }
            let mut order: Vec<usize> = (0..4).collect();
            order.rotate_left((order_seed % 4) as usize);
            if order_seed & 4 != 0 {
                order.reverse();
            }
            let mut merged = Summary::new();
            for i in order {
                merged.merge(shards[i].clone()).unwrap();
            }
            prop_assert_eq!(&merged, &whole);
            prop_assert_eq!(format!("{:?}", merged.rows()), format!("{:?}", whole.rows()));
        }
    }
}
