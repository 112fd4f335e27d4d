//! `score --partial` and `merge` of shard folders (issue 20): a corpus split into shards,
//! each scored apart and merged, gives the files of one run over the whole. Reads PolNeAR
//! from ../shared (CI places it beside the clone).

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    assert!(
        p.is_dir(),
        "{} is absent: this test reads PolNeAR; place ../shared beside the crate",
        p.display()
    );
    p
}

fn onrecord() -> Command {
    Command::cargo_bin("onrecord").expect("the onrecord binary")
}

/// The tables of a run that one run over the whole corpus and the merged shards share.
const STATISTICS: [&str; 3] = ["corpora.csv", "corpora_long.csv", "comparisons.csv"];
const ROW_TABLES: [&str; 4] = [
    "claims.csv",
    "attributions.csv",
    "documents.csv",
    "errors.csv",
];

/// PolNeAR articles (dev, then train, in file name order, `limit` in all) as JSONL lines
/// with their publisher, the column the runs group by.
fn polnear_lines(limit: usize) -> Vec<String> {
    let shared = shared();
    let meta = std::fs::read_to_string(shared.join("polnear/metadata.tsv")).expect("metadata");
    let mut lines = meta.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (file_col, pub_col) = (col("filename"), col("publisher"));
    let publisher: BTreeMap<&str, &str> = lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .map(|c| (c[file_col], c[pub_col]))
        .collect();
    let mut out = Vec::new();
    for part in ["dev", "train"] {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(shared.join("polnear").join(part).join("text"))
                .expect("PolNeAR text")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
        files.sort();
        for f in files {
            let id = f.file_stem().expect("stem").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&f).expect("article");
            let line = serde_json::json!({
                "id": id,
                "corpus": part,
                "publisher": publisher[id.as_str()],
                "text": text,
            });
            out.push(format!("{line}\n"));
            if out.len() == limit {
                return out;
            }
        }
    }
    out
}

/// Writes `lines` as a JSONL file and returns its path.
fn jsonl(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.concat()).expect("write");
    path
}

fn score(input: &Path, out: &Path, extra: &[&str]) {
    onrecord()
        .arg("score")
        .arg(input)
        .args(["--by", "publisher", "--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// `lines` cut into `k` consecutive shards, each scored with --partial; their folders.
fn score_shards(dir: &Path, lines: &[String], k: usize, extra: &[&str]) -> Vec<PathBuf> {
    (0..k)
        .map(|i| {
            let piece = &lines[i * lines.len() / k..(i + 1) * lines.len() / k];
            let input = jsonl(dir, &format!("shard{k}-{i}.jsonl"), piece);
            let out = dir.join(format!("shard{k}-{i}"));
            score(&input, &out, &[&["--partial"], extra].concat());
            out
        })
        .collect()
}

fn merge(shards: &[PathBuf], out: &Path) -> std::process::Output {
    onrecord()
        .arg("merge")
        .args(shards)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .output()
        .expect("runs")
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A CSV file's records, sorted: the table as a multiset of rows.
fn sorted_records(path: PathBuf) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(&path).expect("CSV");
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|rec| rec.expect("record").iter().map(str::to_string).collect())
        .collect();
    rows.sort();
    rows
}

/// The files of a folder (not recursive): name -> bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.expect("entry");
            (e.file_name().to_string_lossy().into_owned(), read(e.path()))
        })
        .collect()
}

/// A summary.json's figures (its `runs` differ: one run against the shards' runs).
fn groups(path: PathBuf) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_slice(&read(path)).expect("JSON");
    v["groups"].clone()
}

#[test]
fn shards_merged_in_order_are_the_whole_run_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = polnear_lines(300);
    assert_eq!(lines.len(), 300);
    let whole = dir.path().join("whole");
    score(&jsonl(dir.path(), "all.jsonl", &lines), &whole, &[]);
    // Enough claims and groups for comparisons and several pattern rows.
    assert!(read(whole.join("comparisons.csv")).len() > 2000);
    assert!(read(whole.join("claims.csv")).len() > 100_000);
    for k in [2, 3, 10] {
        let shards = score_shards(dir.path(), &lines, k, &[]);
        let merged = dir.path().join(format!("merged{k}"));
        let o = merge(&shards, &merged);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        // The example sample too: it is fixed per claim, so the shards' samples hold it.
        for f in STATISTICS
            .iter()
            .chain(&ROW_TABLES)
            .chain(&["examples.csv"])
        {
            assert!(
                read(whole.join(f)) == read(merged.join(f)),
                "{k} shards: {f} differs from the whole run's"
            );
        }
        // The examples' article pages: copied from the shards, the whole run's, and linked.
        let pages = files(&whole.join("articles"));
        assert!(!pages.is_empty());
        assert!(
            pages == files(&merged.join("articles")),
            "{k} shards: articles/ differs from the whole run's"
        );
        let report = String::from_utf8(read(merged.join("report.html"))).expect("UTF-8");
        assert!(report.contains("breitbart") && report.contains("<svg"));
        // Every link of the merged report resolves to a copied page.
        let links: Vec<&str> = report
            .split("href=\"articles/")
            .skip(1)
            .map(|rest| rest.split('#').next().expect("a name"))
            .collect();
        assert!(!links.is_empty());
        for name in links {
            assert!(pages.contains_key(name), "{k} shards: {name} is not a page");
        }
        assert_eq!(
            groups(whole.join("summary.json")),
            groups(merged.join("summary.json"))
        );
        // The merged summary holds the k shards' runs.
        let v: serde_json::Value =
            serde_json::from_slice(&read(merged.join("summary.json"))).expect("JSON");
        assert_eq!(v["runs"].as_array().expect("runs").len(), k);
    }
}

#[test]
fn shards_in_any_order_give_the_same_statistics_and_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = polnear_lines(120);
    let whole = dir.path().join("whole");
    score(&jsonl(dir.path(), "all.jsonl", &lines), &whole, &[]);
    let mut shards = score_shards(dir.path(), &lines, 3, &[]);
    shards.reverse();
    let merged = dir.path().join("merged");
    let o = merge(&shards, &merged);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in STATISTICS {
        assert!(read(whole.join(f)) == read(merged.join(f)), "{f} differs");
    }
    for f in ROW_TABLES {
        let (a, b) = (whole.join(f), merged.join(f));
        // Not in the whole run's order, but the same rows and the same header.
        assert_eq!(sorted_records(a.clone()), sorted_records(b.clone()), "{f}");
        let first_line = |p: PathBuf| read(p).split(|&b| b == b'\n').next().map(<[u8]>::to_vec);
        assert_eq!(first_line(a), first_line(b), "{f}");
    }
}

#[test]
fn a_shard_folder_holds_rows_summary_and_settings_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = polnear_lines(12);
    let shards = score_shards(dir.path(), &lines, 1, &["--model", "rules"]);
    let shard = &shards[0];
    for f in ROW_TABLES
        .iter()
        .chain(&["summary.json", "shard.json", "examples.csv"])
    {
        assert!(shard.join(f).is_file(), "{f} missing");
    }
    for f in STATISTICS.iter().chain(&["report.html"]) {
        assert!(!shard.join(f).exists(), "{f} in a shard");
    }
    // The pages of its examples' articles, for the merged report's links.
    assert!(!files(&shard.join("articles")).is_empty());
    let info: serde_json::Value =
        serde_json::from_slice(&read(shard.join("shard.json"))).expect("JSON");
    assert_eq!(info["format"], 1);
    assert_eq!(info["summary_format"], 4);
    assert_eq!(info["by"], "publisher");
    assert_eq!(info["model"], "rules");
    assert_eq!(info["documents"], 12);
    assert_eq!(info["skipped"], 0);
    assert_eq!(info["onrecord"], env!("CARGO_PKG_VERSION"));
    // --period is not carried by shards yet, so --partial refuses it.
    onrecord()
        .args(["score", "--partial", "--period", "month", "--out"])
        .arg(dir.path().join("p"))
        .arg(dir.path().join("shard1-0.jsonl"))
        .assert()
        .code(2);
}

#[test]
fn a_shard_given_twice_or_scored_differently_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = polnear_lines(40);
    let shards = score_shards(dir.path(), &lines, 2, &[]);
    let refused = |inputs: &[PathBuf], says: &str| {
        let out = dir.path().join("merged");
        let o = merge(inputs, &out);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(says), "{err}");
        assert!(!out.exists(), "a refused merge wrote {}", out.display());
    };
    let twice = [shards[0].clone(), shards[1].clone(), shards[0].clone()];
    refused(&twice, "both hold score run");
    // The same shard once as a folder, once as its summary.json: the same run.
    let as_file = [
        shards[0].clone(),
        shards[1].clone(),
        shards[0].join("summary.json"),
    ];
    refused(&as_file, "both hold score run");
    // A folder beside a bare summary.json: the row tables would miss documents.
    let mixed = [shards[0].clone(), shards[1].join("summary.json")];
    refused(&mixed, "give every shard as its folder");
    // The second half scored by the rules: not one run's output.
    let rules = score_shards(dir.path(), &lines[20..], 1, &["--model", "rules"]);
    refused(&[shards[0].clone(), rules[0].clone()], "scored differently");
    // Into one of its inputs.
    let o = onrecord()
        .arg("merge")
        .args(&shards)
        .arg("--out")
        .arg(&shards[1])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("merge into another folder"));
}

#[test]
fn shards_with_different_input_fields_merge_into_the_whole_runs_documents_table() {
    // Fields seen in one shard only (a title here, a date and a field named like the fixed
    // column `doc` there, a comma and a quote in the values): merged, documents.csv has the
    // union of the fields, as one run over all the records names and orders them.
    let dir = tempfile::tempdir().expect("tempdir");
    let base = polnear_lines(12);
    let with = |line: &str, extra: serde_json::Value| {
        let mut v: serde_json::Value = serde_json::from_str(line).expect("JSON");
        for (k, x) in extra.as_object().expect("object") {
            v[k] = x.clone();
        }
        format!("{v}\n")
    };
    let lines: Vec<String> = base
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i < 6 {
                with(
                    l,
                    serde_json::json!({"title": format!("Title {i}, \"quoted\"")}),
                )
            } else {
                with(
                    l,
                    serde_json::json!({"date": "2016-10-01", "doc": i, "n": 1.5}),
                )
            }
        })
        .collect();
    let whole = dir.path().join("whole");
    score(&jsonl(dir.path(), "all.jsonl", &lines), &whole, &[]);
    let shards = score_shards(dir.path(), &lines, 2, &[]);
    let shard_header = |d: &PathBuf| {
        let text = String::from_utf8(read(d.join("documents.csv"))).expect("UTF-8");
        text.lines().next().expect("header").to_string()
    };
    assert_ne!(shard_header(&shards[0]), shard_header(&shards[1]));
    let merged = dir.path().join("merged");
    let o = merge(&shards, &merged);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let header = shard_header(&merged);
    assert!(
        header.ends_with(",date,meta_doc,n,publisher,title"),
        "{header}"
    );
    for name in ROW_TABLES {
        assert_eq!(read(merged.join(name)), read(whole.join(name)), "{name}");
    }
}
