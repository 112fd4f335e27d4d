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
/// The ids of an `extract` JSONL output, in order.
fn extracted_ids(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["doc"].as_str().unwrap().to_string()
        })
        .collect()
}

/// No `*onrecord-tmp*` file or folder is left in `dir`.
fn no_temporary_files(dir: &Path) {
    for e in fs::read_dir(dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.contains("onrecord-tmp"), "left behind: {name}");
    }
}

#[test]
fn a_fifo_as_output_is_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let t = TempDir::new().unwrap();
    put(t.path(), "in.jsonl", good_and_bad(3).as_bytes());
    let fifo = t.path().join("out.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Held open for writing until the run is over, so that neither the reader nor the run
    // waits for the other to open the FIFO, and the reader sees its end even where the run
    // replaced the FIFO (the test then fails instead of hanging).
    let keeper = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .unwrap();
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let o = run(
        &["extract", "in.jsonl", "-o", "out.fifo", "--model", "rules"],
        t.path(),
    );
    drop(keeper);
    let read = reader.join().unwrap();
    assert_code(&o, 3);
    assert!(stderr(&o).contains("onrecord: skipped: in.jsonl:2: invalid JSON"));
    assert_eq!(extracted_ids(&read), ["g0", "g1", "g2"]);
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // With a FIFO as output, skipped records go to standard error only (no file beside it).
    assert!(!t.path().join("out.fifo.errors.csv").exists());
    no_temporary_files(t.path());
}

#[test]
fn a_device_as_output_or_errors_file_is_written_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let t = TempDir::new().unwrap();
    put(t.path(), "in.jsonl", good_and_bad(3).as_bytes());
    // A null device of our own (char 1:3) where root may make one, so that a regression
    // replaces that one and not the machine's /dev/null; elsewhere /dev/null itself, which
    // a user other than root cannot replace.
    let own = t.path().join("null");
    let null = match Command::new("mknod")
        .arg(&own)
        .args(["c", "1", "3"])
        .status()
    {
        Ok(s) if s.success() => own,
        _ => PathBuf::from("/dev/null"),
    };
    let null_arg = null.to_str().unwrap();
    let o = run(
        &[
            "extract", "in.jsonl", "-o", null_arg, "--errors", "errs.csv", "--model", "rules",
        ],
        t.path(),
    );
    assert_code(&o, 3);
    assert!(fs::symlink_metadata(&null)
        .unwrap()
        .file_type()
        .is_char_device());
    assert_eq!(csv_rows(&t.path().join("errs.csv")), 3);
    // The errors file on the device, the records on standard output.
    let o = run(
        &[
            "extract", "in.jsonl", "--errors", null_arg, "--model", "rules",
        ],
        t.path(),
    );
    assert_code(&o, 3);
    assert!(fs::symlink_metadata(&null)
        .unwrap()
        .file_type()
        .is_char_device());
    assert_eq!(
        extracted_ids(&String::from_utf8_lossy(&o.stdout)),
        ["g0", "g1", "g2"]
    );
    no_temporary_files(t.path());
}

#[test]
fn a_symbolic_link_as_output_is_followed_and_kept() {
    let t = TempDir::new().unwrap();
    put(t.path(), "in.jsonl", good_and_bad(2).as_bytes());
    fs::create_dir(t.path().join("real")).unwrap();
    put(t.path(), "real/out.jsonl", b"old\n");
    std::os::unix::fs::symlink("real/out.jsonl", t.path().join("link.jsonl")).unwrap();
    let o = run(
        &[
            "extract",
            "in.jsonl",
            "-o",
            "link.jsonl",
            "--errors",
            "errs.csv",
            "--model",
            "rules",
        ],
        t.path(),
    );
    assert_code(&o, 3);
    let link = fs::symlink_metadata(t.path().join("link.jsonl")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let written = fs::read_to_string(t.path().join("real/out.jsonl")).unwrap();
    assert_eq!(extracted_ids(&written), ["g0", "g1"]);
    assert_eq!(csv_rows(&t.path().join("errs.csv")), 2);
    no_temporary_files(t.path());
    no_temporary_files(&t.path().join("real"));
}

#[test]
fn output_and_errors_file_naming_one_file_are_refused() {
    let t = TempDir::new().unwrap();
    put(t.path(), "in.jsonl", good_and_bad(2).as_bytes());
    let o = run(
        &[
            "extract", "in.jsonl", "-o", "x", "--errors", "x", "--model", "rules",
        ],
        t.path(),
    );
    assert_code(&o, 1);
    assert!(
        stderr(&o).contains("-o and --errors both name x; give the errors file another name"),
        "{}",
        stderr(&o)
    );
    assert!(!t.path().join("x").exists());
    no_temporary_files(t.path());
}

/// A corpus that takes the tagger a few seconds: time to interrupt the run mid-way.
fn big_corpus(dir: &Path) {
    let para = format!("{SAID} \"It will work,\" a spokesman said. ").repeat(40);
    let big: String = (0..10_000)
        .map(|i| jsonl(&format!("d{i}"), &para))
        .collect();
    put(dir, "big.jsonl", big.as_bytes());
}

/// Starts `args` in `dir`, waits until `started` exists and is not empty, and sends `signal`.
fn interrupt(dir: &Path, args: &[&str], started: &dyn Fn(u32) -> PathBuf, signal: &str) -> i32 {
    let mut child = onrecord()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mark = started(child.id());
    let start = std::time::Instant::now();
    while fs::metadata(&mark).map_or(0, |m| m.len()) == 0
        && start.elapsed() < std::time::Duration::from_secs(120)
    {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    child.wait().unwrap().code().expect("exited, not killed")
}

#[test]
fn sigterm_and_sigint_remove_temporary_outputs() {
    let t = TempDir::new().unwrap();
    big_corpus(t.path());
    // score: the temporary output folder (with its half-written files) goes.
    let code = interrupt(
        t.path(),
        &["score", "big.jsonl", "--out", "out"],
        &|pid| {
            t.path().join(format!(
                ".out.onrecord-tmp-{pid}/.claims.csv.onrecord-tmp-{pid}"
            ))
        },
        "TERM",
    );
    assert_eq!(code, 143);
    no_temporary_files(t.path());
    assert!(!t.path().join("out").exists());
    // extract -o: the output and the errors file; an old output is left as it was.
    put(t.path(), "out.jsonl", b"old\n");
    let code = interrupt(
        t.path(),
        &["extract", "big.jsonl", "-o", "out.jsonl"],
        &|pid| t.path().join(format!(".out.jsonl.onrecord-tmp-{pid}")),
        "INT",
    );
    assert_eq!(code, 130);
    no_temporary_files(t.path());
    assert_eq!(fs::read(t.path().join("out.jsonl")).unwrap(), b"old\n");
    // Nothing is lost for the run after: it reads every document.
    let o = run(
        &[
            "extract",
            "-q",
            "big.jsonl",
            "-o",
            "out.jsonl",
            "--model",
            "rules",
        ],
        t.path(),
    );
    assert_code(&o, 0);
    let ids = extracted_ids(&fs::read_to_string(t.path().join("out.jsonl")).unwrap());
    assert_eq!(ids.len(), 10_000);
}

/// `extract` of the files (name, bytes) in a folder of their own, in that order.
fn extract_files(files: &[(&str, &[u8])], flags: &[&str]) -> Output {
    let t = TempDir::new().unwrap();
    let mut args = vec!["extract", "--model", "rules"];
    args.extend(flags);
    for (name, bytes) in files {
        put(t.path(), name, bytes);
        args.push(name);
    }
    run(&args, t.path())
}

/// Each record of an `extract` output: its length in code points, whether it was decoded
/// lossily, and the source of its first attribution (empty when none).
fn extracted_docs(o: &Output) -> Vec<(u64, bool, String)> {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let source = v["attributions"][0]["source_text"].as_str().unwrap_or("");
            (
                v["text_chars"].as_u64().unwrap(),
                v["lossy_utf8"].as_bool().unwrap(),
                source.to_string(),
            )
        })
        .collect()
}

#[test]
fn jsonl_with_lines_ended_by_cr_alone_is_read_record_by_record() {
    let lines = [
        jsonl("a", SAID),
        jsonl("b", "Second."),
        jsonl("c", "Third."),
    ];
    let cr_only = lines.concat().replace('\n', "\r");
    let o = extract_files(&[("mac.jsonl", cr_only.as_bytes())], &[]);
    assert_code(&o, 0);
    assert!(stderr(&o).contains("3 documents read, 3 processed, 0 skipped"));
    assert_eq!(
        extracted_ids(&String::from_utf8_lossy(&o.stdout)),
        ["a", "b", "c"]
    );
    // CRLF and LF files read as before, CRs inside the JSON whitespace of an LF file kept.
    let crlf = lines.concat().replace('\n', "\r\n");
    let o = extract_files(&[("dos.jsonl", crlf.as_bytes())], &[]);
    assert_code(&o, 0);
    assert!(stderr(&o).contains("3 documents read, 3 processed, 0 skipped"));
    let spaced = format!("{{\"id\":\"d\",\r\"text\":\"x\"}}\n{}", jsonl("e", "y"));
    let o = extract_files(&[("ws.jsonl", spaced.as_bytes())], &[]);
    assert_code(&o, 0);
    assert_eq!(
        extracted_ids(&String::from_utf8_lossy(&o.stdout)),
        ["d", "e"]
    );
}

#[test]
fn escaped_lone_surrogates_are_decoded_lossily() {
    let input = [
        r#"{"id":"low","text":"a\udc00b"}"#,
        r#"{"id":"high","text":"c\ud800"}"#,
        r#"{"id":"pair","text":"\ud83d\ude00"}"#,
        r#"{"id":"bad\udc00","text":"fine"}"#,
        r#"{"id":"broken","text":"\udc00"#,
    ]
    .join("\n");
    let o = extract_files(&[("s.jsonl", input.as_bytes())], &[]);
    assert_code(&o, 3);
    let err = stderr(&o);
    assert!(
        err.contains("5 documents read, 4 processed, 1 skipped; 3 decoded lossily"),
        "{err}"
    );
    assert!(!err.contains("leading surrogate"), "{err}");
    assert!(
        err.contains("onrecord: skipped: s.jsonl:5: invalid JSON"),
        "{err}"
    );
    // "a\u{FFFD}b", "c\u{FFFD}", the emoji of the pair, "fine".
    let lossy: Vec<(u64, bool)> = extracted_docs(&o).iter().map(|d| (d.0, d.1)).collect();
    assert_eq!(lossy, [(3, true), (2, true), (1, false), (4, true)]);
    assert_eq!(
        extracted_ids(&String::from_utf8_lossy(&o.stdout)),
        ["low", "high", "pair", "bad\u{FFFD}"]
    );
}

/// `text` in UTF-16 with its byte-order mark, little- or big-endian.
fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend(if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

#[test]
fn utf16_files_are_decoded_or_named_as_utf16() {
    let text = format!("{SAID} Café – 😀");
    let mut odd = utf16("ab", true);
    odd.push(b'c');
    let jsonl_le = utf16(&jsonl("j", SAID), true);
    let o = extract_files(
        &[
            ("le.txt", &utf16(&text, true)),
            ("be.txt", &utf16(&text, false)),
            ("odd.txt", &odd),
            ("j.jsonl", &jsonl_le),
        ],
        &[],
    );
    assert_code(&o, 3);
    let err = stderr(&o);
    assert!(
        err.contains(
            "onrecord: skipped: j.jsonl: UTF-16 file (byte-order mark FF FE), skipped; JSONL \
             and CSV are read as UTF-8: convert it first (iconv -f UTF-16 -t UTF-8)"
        ),
        "{err}"
    );
    assert!(!err.contains("binary"), "{err}");
    assert!(
        err.contains("4 documents read, 3 processed, 1 skipped; 1 decoded lossily"),
        "{err}"
    );
    let chars = text.chars().count() as u64;
    let minister = "The minister".to_string();
    assert_eq!(
        extracted_docs(&o),
        [
            (chars, false, minister.clone()),
            (chars, false, minister),
            (3, true, String::new())
        ]
    );
}

#[test]
fn threads_far_past_the_cores_are_capped_with_a_note() {
    let cores = std::thread::available_parallelism().unwrap().get();
    let input = [jsonl("a", SAID), jsonl("b", SAID)].concat();
    let o = extract_files(&[("in.jsonl", input.as_bytes())], &["--threads", "10000"]);
    assert_code(&o, 0);
    let note = format!(
        "onrecord: note: --threads 10000 is more than 4 per core ({cores} cores); using {}",
        4 * cores
    );
    assert!(stderr(&o).contains(&note), "{}", stderr(&o));
    assert_eq!(
        extracted_ids(&String::from_utf8_lossy(&o.stdout)),
        ["a", "b"]
    );
    // A count within the cap says nothing.
    let o = extract_files(&[("in.jsonl", input.as_bytes())], &["--threads", "2"]);
    assert_code(&o, 0);
    assert!(!stderr(&o).contains("--threads"), "{}", stderr(&o));
}
