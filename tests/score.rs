//! `onrecord score`, `explain` and `merge` end to end. Tests on shared data fail when
//! ../shared is absent (CI places it beside the clone).

use assert_cmd::Command;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

/// ../shared beside the crate; a test that needs it fails, loudly, where it is absent.
fn shared() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    assert!(p.is_dir(), "{} is absent: this test reads the shared data (PolNeAR, the BBC corpus); place ../shared beside the crate, as .ci/run expects", p.display());
    p
}

fn onrecord() -> Command {
    Command::cargo_bin("onrecord").expect("the onrecord binary")
}

/// A CSV file as header + rows of name -> value.
fn read_csv(path: &Path) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let mut r = csv::Reader::from_path(path).expect("readable CSV");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.expect("a valid record");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?} is not a number", row[col]))
}

/// Runs `cmd`, which must succeed, and returns its output.
fn succeeds(cmd: &mut Command) -> Output {
    let o = cmd.output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// Runs `cmd`, which must fail, and returns what it said on stderr.
fn fails(cmd: &mut Command) -> String {
    let o = cmd.output().expect("runs");
    assert!(!o.status.success());
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes `contents` to `name` in `dir` and returns its path.
fn put(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write");
    path
}

/// One JSONL line of a document in corpus `c`.
fn jsonl(id: &str, text: &str) -> String {
    format!(
        "{}\n",
        serde_json::json!({"id": id, "corpus": "c", "text": text})
    )
}

/// The `.txt` files in `dir`, in path order.
fn txt_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dev text")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

fn score_polnear(shared: &Path, inputs: &[PathBuf], out: &Path, extra: &[&str]) -> String {
    let o = succeeds(
        onrecord()
            .arg("score")
            .args(inputs)
            .arg("--meta")
            .arg(shared.join("polnear/metadata.tsv"))
            .args(["--meta-id", "filename", "--by", "publisher", "--out"])
            .arg(out)
            .args(extra),
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `onrecord merge` of the `summary.json` of each run folder in `parts`, in that order.
fn merge(parts: &[&Path], out: &Path, extra: &[&str]) {
    onrecord()
        .arg("merge")
        .args(parts.iter().map(|p| p.join("summary.json")))
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// Each of `files` is the same, byte for byte, in the whole run and the merged halves, and
/// longer than `min_bytes`; of summary.json its `groups` (its `runs` list the one run of
/// the whole, and the halves' two runs in the merge).
fn assert_merged_as_whole(whole: &Path, merged: &Path, files: &[&str], min_bytes: usize) {
    let figures = |path: PathBuf| {
        let bytes = std::fs::read(&path).expect("an output file");
        if !path.ends_with("summary.json") {
            return bytes;
        }
        let v: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        v["groups"].to_string().into_bytes()
    };
    for f in files {
        let a = figures(whole.join(f));
        let b = figures(merged.join(f));
        assert!(a.len() > min_bytes, "{f}: {} bytes", a.len());
        assert!(
            a == b,
            "{f} differs between the whole run and the merged halves"
        );
    }
}

#[test]
fn polnear_dev_by_publisher_writes_tidy_tables() {
    let shared = shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let text = shared.join("polnear/dev/text");
    let stdout = score_polnear(&shared, std::slice::from_ref(&text), &out, &[]);
    assert!(stdout.contains("mean score [95% CI]"), "{stdout}");
    assert!(stdout.contains("west-journal"), "{stdout}");
    for f in [
        "claims.csv",
        "attributions.csv",
        "documents.csv",
        "corpora.csv",
        "comparisons.csv",
        "errors.csv",
        "summary.json",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }

    // The wide table: one row per publisher.
    let (h, wide) = read_csv(&out.join("corpora.csv"));
    assert_eq!(h[0], "corpus");
    assert_eq!(wide.len(), 7);
    for r in &wide {
        assert!((0.0..=100.0).contains(&num(r, "score_mean")), "{r:?}");
        assert!(num(r, "score_mean_ci_low") <= num(r, "score_mean"));
        assert!(
            (0.0..=1.0).contains(&num(r, "pattern_rate_anonymous")),
            "{r:?}"
        );
        assert_eq!(num(r, "documents"), 12.0);
    }
    let (h, corpora) = read_csv(&out.join("corpora_long.csv"));
    assert_eq!(h[..5], ["group", "metric", "key", "level", "n"]);
    let groups: BTreeSet<&str> = corpora.iter().map(|r| r["group"].as_str()).collect();
    assert_eq!(
        groups.into_iter().collect::<Vec<_>>(),
        [
            "breitbart",
            "huff-post",
            "nyt",
            "politico",
            "usa-today",
            "wash-post",
            "west-journal"
        ]
    );
    for r in &corpora {
        if r["metric"] == "pattern_rate" && !r["estimate"].is_empty() {
            assert!((0.0..=1.0).contains(&num(r, "estimate")), "{r:?}");
        }
        if r["metric"] == "score_mean" {
            assert!((0.0..=100.0).contains(&num(r, "estimate")), "{r:?}");
        }
    }

    let (h, claims) = read_csv(&out.join("claims.csv"));
    assert_eq!(h[..4], ["doc", "group", "corpus", "claim"]);
    assert!(h.contains(&"component_base".to_string()));
    assert!(claims.len() > 1000, "{} claims", claims.len());
    for c in &claims {
        let s = num(c, "score");
        assert!((0.0..=100.0).contains(&s), "{c:?}");
        assert_eq!((s * 10.0).round() / 10.0, s, "one decimal: {c:?}");
        assert!(num(c, "start") < num(c, "end"));
        assert!(["true", "false"].contains(&c["inherited"].as_str()));
        assert!(["true", "false"].contains(&c["uncertain"].as_str()));
        // The score is the clamped sum of its components.
        let sum: f64 = h
            .iter()
            .filter(|k| k.starts_with("component_"))
            .map(|k| num(c, k))
            .sum();
        assert!((sum.clamp(0.0, 100.0) - s).abs() < 0.051, "{c:?}");
        assert_eq!(
            c["attribution"].is_empty(),
            c["source_type"] == "unattributed"
        );
    }

    let (_, attrs) = read_csv(&out.join("attributions.csv"));
    assert!(attrs.len() > 500);
    assert!(attrs
        .iter()
        .all(|a| a["confirmation"] == "true" || a["confirmation"] == "false"));

    let (_, docs) = read_csv(&out.join("documents.csv"));
    let ids: BTreeSet<String> = docs.iter().map(|d| d["doc"].clone()).collect();
    let inputs: BTreeSet<String> = txt_files(&text)
        .iter()
        .filter_map(|p| Some(p.file_stem()?.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(ids, inputs);
    assert_eq!(docs.len(), 84);
    for d in &docs {
        if !d["mean_score"].is_empty() {
            assert!((0.0..=100.0).contains(&num(d, "mean_score")));
        }
        assert!(num(d, "n_anonymous") <= num(d, "n_claims"));
    }
    let (h, errors) = read_csv(&out.join("errors.csv"));
    assert_eq!(h, ["file", "record", "message"]);
    assert!(errors.is_empty());
}

#[test]
fn merged_halves_equal_the_whole() {
    let shared = shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let text = shared.join("polnear/dev/text");
    let halves = [dir.path().join("a"), dir.path().join("b")];
    for (i, f) in txt_files(&text).iter().enumerate() {
        let half = &halves[i % 2];
        std::fs::create_dir_all(half).expect("mkdir");
        std::fs::copy(f, half.join(f.file_name().expect("name"))).expect("copy");
    }
    let whole = dir.path().join("whole");
    score_polnear(&shared, &halves, &whole, &["--quiet"]);
    let (oa, ob) = (dir.path().join("oa"), dir.path().join("ob"));
    score_polnear(&shared, &halves[..1], &oa, &["--quiet"]);
    score_polnear(&shared, &halves[1..], &ob, &["--quiet"]);
    let merged = dir.path().join("merged");
    merge(&[&oa, &ob], &merged, &[]);
    assert_merged_as_whole(
        &whole,
        &merged,
        &["corpora.csv", "corpora_long.csv", "comparisons.csv"],
        1000,
    );
}

fn claims_of(out: &Path) -> Vec<BTreeMap<String, String>> {
    read_csv(&out.join("claims.csv")).1
}

fn find<'a>(claims: &'a [BTreeMap<String, String>], start: &str) -> &'a BTreeMap<String, String> {
    claims
        .iter()
        .find(|c| c["text"].starts_with(start))
        .unwrap_or_else(|| panic!("no claim starting {start:?}"))
}

#[test]
fn ukraine_sample_scores_follow_the_sourcing() {
    let shared = shared();
    let dir = tempfile::tempdir().expect("tempdir");
    let sample = shared.join("samples/ukraine-security-guarantees.txt");
    let out = dir.path().join("out");
    // `onrecord score` of the sample into `into`, with `--weights` when given.
    let score = |weights: Option<&Path>, into: &Path| {
        let mut cmd = onrecord();
        cmd.arg("score").arg(&sample);
        if let Some(w) = weights {
            cmd.arg("--weights").arg(w);
        }
        cmd.arg("--out").arg(into);
        cmd
    };
    score(None, &out).assert().success();
    let claims = claims_of(&out);
    let anon = find(&claims, "According to a diplomatic source");
    let confirmed = find(
        &claims,
        "This proposal was confirmed by Italian Prime Minister",
    );
    assert_eq!(anon["source_type"], "anonymous");
    assert_eq!(confirmed["source_type"], "named_official");
    assert!(
        num(anon, "score") < num(confirmed, "score"),
        "{anon:?} {confirmed:?}"
    );
    assert!(num(confirmed, "component_confirmation") > 0.0);
    assert!(num(anon, "component_anonymity_reason") > 0.0);

    // Uncertain claims carry the uncertainty penalty and certain ones do not, and every
    // score is its components summed and clamped to 0..=100: an uncertain claim scores below
    // the same claim stated plainly.
    let (mut uncertain, mut certain) = (0, 0);
    for c in &claims {
        let pen = num(c, "component_uncertainty");
        if c["uncertain"] == "true" {
            assert!(pen < 0.0, "{c:?}");
            uncertain += 1;
        } else {
            assert_eq!(pen, 0.0, "{c:?}");
            certain += 1;
        }
        let sum: f64 = c
            .iter()
            .filter(|(k, _)| k.starts_with("component_"))
            .map(|(k, _)| num(c, k))
            .sum();
        assert!(
            (num(c, "score") - sum.clamp(0.0, 100.0)).abs() < 0.051,
            "{c:?}"
        );
    }
    assert!(uncertain >= 2 && certain >= 2, "{uncertain} {certain}");

    // Raising the anonymous base by 10 raises exactly the anonymous claims by 10.
    let weights =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/weights.toml"))
            .expect("weights");
    assert!(weights.contains("\nanonymous = 25\n"));
    let wfile = put(
        dir.path(),
        "w.toml",
        weights.replace("\nanonymous = 25\n", "\nanonymous = 35\n"),
    );
    let out2 = dir.path().join("out2");
    score(Some(&wfile), &out2).assert().success();
    let claims2 = claims_of(&out2);
    assert_eq!(claims.len(), claims2.len());
    let mut anonymous = 0;
    for (a, b) in claims.iter().zip(&claims2) {
        let want = if a["source_type"] == "anonymous" {
            anonymous += 1;
            (num(a, "score") + 10.0).min(100.0)
        } else {
            num(a, "score")
        };
        assert_eq!(num(b, "score"), want, "{a:?}");
    }
    // The sample has two anonymous sources; the claim model reads the second sentence
    // ("However, challenges remain, as noted by a second source ...") as the author's
    // opinion, so one anonymous claim is scored.
    assert!(anonymous >= 1);

    // A misspelt key is an error that names it.
    put(
        dir.path(),
        "w.toml",
        weights.replace("multiple_sources =", "multiple_source ="),
    );
    let err = fails(&mut score(Some(&wfile), &dir.path().join("out3")));
    assert!(err.contains("bonus.multiple_source"), "{err}");

    // explain marks sources, cues and contents and lists the claims.
    let o = succeeds(onrecord().arg("explain").arg(&sample));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("[S: a diplomatic source]"), "{s}");
    assert!(s.contains("[C: According to]"), "{s}");
    assert!(
        s.contains("score 75.0") || s.contains("components: base +60.0"),
        "{s}"
    );
    assert!(!s.contains('\x1b'), "no colour when not a terminal");
}

#[test]
fn non_claims_empty_documents_and_spreadsheet_safety() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    put(
        &input,
        "a.txt",
        "Council approves new budget\nBy Jane Doe\n=SUM(A1) is what the mayor said at the meeting on Tuesday.\nGetty/Instagram.\n",
    );
    put(&input, "empty.txt", "Getty/Instagram.\n");
    for (safe, prefix) in [(false, "="), (true, "'=")] {
        let out = dir.path().join(format!("out{safe}"));
        let mut cmd = onrecord();
        cmd.arg("score")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .arg("-q");
        if safe {
            cmd.arg("--spreadsheet-safe");
        }
        cmd.assert().success();
        let claims = claims_of(&out);
        assert_eq!(claims.len(), 1, "{claims:?}");
        assert!(claims[0]["text"].starts_with(prefix), "{claims:?}");
        let (_, docs) = read_csv(&out.join("documents.csv"));
        let empty = docs
            .iter()
            .find(|d| d["doc"] == "empty")
            .expect("empty doc row");
        assert_eq!(empty["n_claims"], "0");
        assert_eq!(empty["mean_score"], "");
    }
}

#[test]
fn missing_group_column_is_warned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = [
        serde_json::json!({"id": "1", "text": "The minister said the bridge will open in May.", "outlet": "x"}),
        serde_json::json!({"id": "2", "text": "The bridge opened in 1932 and carries trains."}),
    ];
    let input = put(
        dir.path(),
        "docs.jsonl",
        docs.map(|d| format!("{d}\n")).concat(),
    );
    let out = dir.path().join("out");
    let o = succeeds(
        onrecord()
            .arg("score")
            .arg(&input)
            .args(["--by", "outlet", "--out"])
            .arg(&out),
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("1 documents have no column \"outlet\""),
        "{err}"
    );
    let (_, docs) = read_csv(&out.join("documents.csv"));
    let groups: Vec<&str> = docs.iter().map(|d| d["group"].as_str()).collect();
    assert_eq!(groups, ["x", "(missing)"]);
}

#[test]
fn repeated_ids_count_as_separate_documents_and_merge_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = "The minister said the bridge will open in May. Officials, who asked not to be named, said it may be later.";
    let b = "According to a source, the council will vote on Tuesday.";
    let inputs = [
        put(dir.path(), "h0.jsonl", jsonl("d1", a) + &jsonl("d2", b)),
        put(dir.path(), "h1.jsonl", jsonl("d1", b) + &jsonl("d3", a)),
    ];
    let run = |inputs: &[PathBuf], out: &Path| {
        let o = succeeds(
            onrecord()
                .arg("score")
                .args(inputs)
                .args(["--model", "rules", "--out"])
                .arg(out),
        );
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let whole = dir.path().join("whole");
    let err = run(&inputs, &whole);
    // Ingest still reports the repeat, naming where the id was first seen.
    assert!(err.contains("1 duplicate ids"), "{err}");
    let first = format!("(first at {}:1)", inputs[0].display());
    assert!(err.contains(&first), "{err}");
    let (_, corpora) = read_csv(&whole.join("corpora.csv"));
    assert_eq!(num(&corpora[0], "documents"), 4.0);
    // Shards holding the same id merge into the whole, byte for byte.
    let (oa, ob) = (dir.path().join("oa"), dir.path().join("ob"));
    run(&inputs[..1], &oa);
    run(&inputs[1..], &ob);
    let merged = dir.path().join("merged");
    merge(&[&ob, &oa], &merged, &["--quiet"]);
    assert_merged_as_whole(
        &whole,
        &merged,
        &[
            "corpora.csv",
            "corpora_long.csv",
            "comparisons.csv",
            "summary.json",
        ],
        0,
    );
}

#[test]
fn merge_refuses_summaries_of_an_older_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Format 1 (no `format` field): per-document tallies keyed by id.
    let old = put(
        dir.path(),
        "old.json",
        r#"{"groups":{"g":{"group":"g","docs":{"d1":{"n_claims":1,"score_tenths":500,"patterns":{}}},"score_hist":{"500":1},"patterns":{},"n_attributions":0,"attributions_by_type":{}}}}"#,
    );
    let err = fails(
        onrecord()
            .arg("merge")
            .arg(&old)
            .arg("--out")
            .arg(dir.path().join("out")),
    );
    assert!(
        err.contains(&old.display().to_string())
            && err.contains("older than summary format 2")
            && err.contains("run `onrecord score` again"),
        "{err}"
    );
}

#[test]
fn a_second_run_into_the_same_folder_replaces_every_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let run = |text: &str| {
        let input = put(dir.path(), "in.jsonl", jsonl("d1", text));
        onrecord()
            .arg("score")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .arg("-q")
            .assert()
            .success();
    };
    run("The mayor said the budget would pass on Tuesday.");
    let first = claims_of(&out);
    assert_eq!(first.len(), 1, "{first:?}");
    run("Officials said the bridge would reopen. The governor confirmed the date on Friday.");
    let second = claims_of(&out);
    assert_eq!(second.len(), 2, "{second:?}");
    assert!(
        second.iter().all(|c| !c["text"].contains("mayor")),
        "{second:?}"
    );
    let (_, docs) = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["n_claims"], "2");
    // Nothing of the runs' temporary files is left beside the outputs.
    let names: BTreeSet<String> = std::fs::read_dir(&out)
        .expect("out dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    assert!(
        names.contains("summary.json") && names.contains("claims.csv"),
        "{names:?}"
    );
}

#[test]
fn a_refused_or_failed_run_leaves_no_partial_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "The minister said the bridge will open in May.";
    // 101 outlets of two documents each, and every pair asked for: refused after scoring.
    let lines: String = (0..202)
        .map(|i| {
            let d = serde_json::json!({"id": i.to_string(), "text": text, "outlet": format!("o{:03}", i / 2)});
            format!("{d}\n")
        })
        .collect();
    let many = put(dir.path(), "many.jsonl", lines);
    let parent = dir.path().join("runs");
    let out = parent.join("out");
    let score = |input: &Path, extra: &[&str]| {
        let mut c = onrecord();
        c.arg("score")
            .arg(input)
            .args(["--by", "outlet", "--model", "rules", "-q", "--out"])
            .arg(&out)
            .args(extra);
        c
    };
    let pairs = ["--compare", "pairs", "--min-group-docs", "2"];
    let err = fails(&mut score(&many, &pairs));
    assert!(
        err.contains("101 groups") && err.contains("--compare rest"),
        "{err}"
    );
    let left = |p: &Path| -> Vec<String> {
        std::fs::read_dir(p)
            .map(|d| {
                d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(
        !out.exists() && left(&parent).is_empty(),
        "{:?}",
        left(&parent)
    );
    // A record that cannot be read, with --on-error fail.
    let bad = put(dir.path(), "bad.jsonl", jsonl("d1", text) + "{not json\n");
    fails(&mut score(&bad, &["--on-error", "fail"]));
    assert!(left(&parent).is_empty(), "{:?}", left(&parent));
    // Each group against the rest: the same input gives the whole folder.
    succeeds(&mut score(&many, &["--min-group-docs", "2"]));
    let (_, rows) = read_csv(&out.join("comparisons.csv"));
    assert!(rows.iter().all(|r| r["comparison"] == "vs_rest"));
    assert_eq!(
        rows.iter().filter(|r| r["metric"] == "score_mean").count(),
        101
    );
    // A failed run into an existing folder leaves its files as they were.
    let before = std::fs::read(out.join("claims.csv")).expect("claims.csv");
    fails(&mut score(&many, &pairs));
    assert_eq!(
        std::fs::read(out.join("claims.csv")).expect("claims.csv"),
        before
    );
    assert_eq!(left(&parent), ["out"]);
}
