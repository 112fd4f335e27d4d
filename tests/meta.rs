//! Input fields and `--meta` through the binary (docs/data-dictionary.md, "The `--meta`
//! join" and documents.csv's input-field columns): the fields of a record reach
//! documents.csv and the extract JSONL, `--meta` joins on (corpus, id) or refuses an id
//! that is in two corpora, and every row table names the corpus of its document.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn onrecord() -> Command {
    Command::cargo_bin("onrecord").expect("binary built")
}

fn put(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

/// `onrecord ARGS` in `dir`: exit code and standard error.
fn run(dir: &Path, args: &[&str]) -> (i32, String, Vec<u8>) {
    let out = onrecord()
        .current_dir(dir)
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    (
        code,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.stdout,
    )
}

/// A CSV file read back with the csv crate: each row as column -> value.
fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
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

fn header(path: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.headers().unwrap().iter().map(String::from).collect()
}

const SAID: &str = "The minister said taxes would rise. Officials said the plan was final.";

#[test]
fn record_fields_reach_documents_csv_and_the_extract_meta() {
    let t = TempDir::new().unwrap();
    let line =
        |id: &str, extra: &str| format!("{{\"id\": \"{id}\", \"text\": \"{SAID}\"{extra}}}\n");
    put(
        t.path(),
        "feed.jsonl",
        &[
            line(
                "001",
                r#", "title": "Taxes, \"rising\"", "date": "2024-03-05", "url": "https://example.org/1", "section": "politics", "group": "g", "n": 3, "score": 1.5, "wire": true, "gone": null, "tags": ["a"], "nested": {"x": 1}"#,
            ),
            line("002", r#", "title": "=Other", "date": "2024-03-06""#),
        ]
        .concat(),
    );
    let (code, err, _) = run(t.path(), &["score", "-q", "feed.jsonl", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    let docs_csv = t.path().join("out/documents.csv");
    let h = header(&docs_csv);
    let fixed = h.iter().position(|c| c == "lossy_utf8").unwrap() + 1;
    // The run's fields, sorted, after the fixed columns; `group` is a fixed column.
    assert_eq!(
        h[fixed..],
        [
            "date",
            "gone",
            "meta_group",
            "n",
            "score",
            "section",
            "title",
            "url",
            "wire"
        ]
    );
    let rows = table(&docs_csv);
    let want_001 = [
        ("doc", "001"),
        ("group", "feed"),
        ("corpus", "feed"),
        ("title", "Taxes, \"rising\""),
        ("date", "2024-03-05"),
        ("url", "https://example.org/1"),
        ("section", "politics"),
        ("meta_group", "g"),
        ("n", "3"),
        ("score", "1.5"),
        ("wire", "true"),
        ("gone", ""),
    ];
    for (column, value) in want_001 {
        assert_eq!(rows[0][column], value, "{column}");
    }
    // The second record has only a title and a date: its other field cells are empty.
    assert_eq!(rows[1]["title"], "=Other");
    assert_eq!(rows[1]["date"], "2024-03-06");
    assert!(["url", "section", "meta_group", "n", "wire"]
        .iter()
        .all(|c| rows[1][*c].is_empty()));
    // The spill file is gone from the output folder.
    assert!(!t.path().join("out/.documents.spill").exists());

    // The same fields, under their own names, in the extract record's `meta`.
    let (code, err, stdout) = run(t.path(), &["extract", "-q", "feed.jsonl"]);
    assert_eq!(code, 0, "{err}");
    let recs: Vec<Value> = std::str::from_utf8(&stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let meta = recs[0]["meta"].as_object().unwrap();
    let keys: Vec<&str> = meta.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["date", "gone", "group", "n", "score", "section", "title", "url", "wire"]
    );
    assert_eq!(meta["title"], "Taxes, \"rising\"");
    assert_eq!(meta["n"], "3");
    assert_eq!(meta["wire"], "true");
    assert_eq!(meta["gone"], "");
    assert_eq!(recs[1]["meta"].as_object().unwrap().len(), 2);
    // The key order of the serialised object is sorted too.
    let line = std::str::from_utf8(&stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap();
    assert!(line.find("\"date\"").unwrap() < line.find("\"wire\"").unwrap());

    // CSV input: every other column, as text.
    put(
        t.path(),
        "feed.csv",
        &format!("id,text,title,date\n007,\"{SAID}\",A title,2024-05-01\n"),
    );
    let (code, err, _) = run(t.path(), &["score", "-q", "feed.csv", "--out", "csv-out"]);
    assert_eq!(code, 0, "{err}");
    let rows = table(&t.path().join("csv-out/documents.csv"));
    assert_eq!(rows[0]["doc"], "007");
    assert_eq!(rows[0]["title"], "A title");
    assert_eq!(rows[0]["date"], "2024-05-01");
}

#[test]
fn text_folders_without_meta_keep_the_fixed_columns() {
    let t = TempDir::new().unwrap();
    put(t.path(), "news/a/001.txt", SAID);
    let (code, err, _) = run(t.path(), &["score", "-q", "news", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    let h = header(&t.path().join("out/documents.csv"));
    assert_eq!(h.last().map(String::as_str), Some("lossy_utf8"));
}

/// The BBC's layout: one folder per corpus, the same ids in each, different articles.
fn bbc_like(t: &Path) {
    put(t, "bbc/business/001.txt", "Shares rose, the company said.");
    put(
        t,
        "bbc/sport/001.txt",
        "The coach said the team won. Officials said the match would be replayed.",
    );
    put(t, "bbc/sport/002.txt", "The club said the player had left.");
    put(t, "bbc/tech/003.txt", "The firm said sales were up.");
}

#[test]
fn meta_with_a_corpus_column_joins_on_corpus_and_id() {
    let t = TempDir::new().unwrap();
    bbc_like(t.path());
    put(
        t.path(),
        "meta.csv",
        "id,corpus,desk,title\n001,sport,Sport desk,Team wins\n001,business,Business desk,Shares rise\n002,sport,Sport desk,Player leaves\n",
    );
    let (code, err, _) = run(
        t.path(),
        &[
            "score", "-q", "bbc", "--meta", "meta.csv", "--by", "desk", "--out", "out",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // tech/003 has no row: said, by its corpus and id.
    assert!(
        err.contains("1 of 4 documents have no --meta row (first: tech/003)"),
        "{err}"
    );
    let rows = table(&t.path().join("out/documents.csv"));
    let by_key: BTreeMap<(String, String), &BTreeMap<String, String>> = rows
        .iter()
        .map(|r| ((r["corpus"].clone(), r["doc"].clone()), r))
        .collect();
    let get = |corpus: &str, doc: &str, column: &str| {
        by_key[&(corpus.to_string(), doc.to_string())][column].clone()
    };
    assert_eq!(get("business", "001", "title"), "Shares rise");
    assert_eq!(get("business", "001", "group"), "Business desk");
    assert_eq!(get("sport", "001", "title"), "Team wins");
    assert_eq!(get("sport", "001", "group"), "Sport desk");
    assert_eq!(get("sport", "002", "desk"), "Sport desk");
    assert_eq!(get("tech", "003", "desk"), "");
    assert_eq!(get("tech", "003", "group"), "(missing)");
    // The join columns are not carried again: they are doc and corpus.
    let h = header(&t.path().join("out/documents.csv"));
    assert!(!h.iter().any(|c| c == "id" || c == "meta_corpus"), "{h:?}");

    // The extract record carries the row of its own (corpus, id).
    let (code, err, stdout) = run(t.path(), &["extract", "-q", "bbc", "--meta", "meta.csv"]);
    assert_eq!(code, 0, "{err}");
    let titles: Vec<(String, String, String)> = std::str::from_utf8(&stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|r| {
            let s = |v: &Value| v.as_str().unwrap_or("").to_string();
            (s(&r["corpus"]), s(&r["doc"]), s(&r["meta"]["title"]))
        })
        .collect();
    let want = [
        ("business", "001", "Shares rise"),
        ("sport", "001", "Team wins"),
        ("sport", "002", "Player leaves"),
        ("tech", "003", ""),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(titles, want);
}

#[test]
fn meta_without_a_corpus_column_refuses_an_id_in_two_corpora() {
    let t = TempDir::new().unwrap();
    bbc_like(t.path());
    put(
        t.path(),
        "meta.csv",
        "id,desk\n001,Sport desk\n002,Sport desk\n",
    );
    let (code, err, _) = run(
        t.path(),
        &["score", "-q", "bbc", "--meta", "meta.csv", "--out", "out"],
    );
    assert_eq!(code, 1, "{err}");
    for needle in [
        "--meta meta.csv has no \"corpus\" column",
        "id \"001\" is in more than one corpus of this run (\"business\" and \"sport\"",
        "Add a \"corpus\" column to meta.csv",
        "so that rows join on (corpus, id)",
    ] {
        assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    }
    // Nothing is written: the output folder is complete or absent.
    assert!(!t.path().join("out").exists());
    let mut left: Vec<String> = fs::read_dir(t.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["bbc", "meta.csv"]);
    // extract -o: no output file either.
    let (code, err, _) = run(
        t.path(),
        &[
            "extract", "-q", "bbc", "--meta", "meta.csv", "-o", "x.jsonl",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(!t.path().join("x.jsonl").exists());

    // Ids that are in one corpus each still join on the id alone (--meta-id kept).
    put(
        t.path(),
        "ids.csv",
        "key,desk\n002,Sport desk\n003,Tech desk\n",
    );
    let (code, err, _) = run(
        t.path(),
        &[
            "score",
            "-q",
            "bbc/sport",
            "bbc/tech",
            "--meta",
            "ids.csv",
            "--meta-id",
            "key",
            "--out",
            "out",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let rows = table(&t.path().join("out/documents.csv"));
    let desks: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["doc"].as_str(), r["desk"].as_str()))
        .collect();
    assert_eq!(
        desks,
        [("001", ""), ("002", "Sport desk"), ("003", "Tech desk")]
    );
}

#[test]
fn claims_and_attributions_name_the_corpus_of_their_document() {
    let t = TempDir::new().unwrap();
    bbc_like(t.path());
    let (code, err, _) = run(t.path(), &["score", "-q", "bbc", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    let out = t.path().join("out");
    let docs = table(&out.join("documents.csv"));
    let text_of = |corpus: &str, doc: &str| {
        fs::read_to_string(t.path().join(format!("bbc/{corpus}/{doc}.txt"))).unwrap()
    };
    // Each claim's sentence is in the text of the document its (corpus, doc) names, and
    // the rows of each (corpus, doc) are as many as documents.csv counts.
    let claims = table(&out.join("claims.csv"));
    let attributions = table(&out.join("attributions.csv"));
    for (rows, count) in [(&claims, "n_claims"), (&attributions, "n_attributions")] {
        let mut per_doc: BTreeMap<(String, String), usize> = BTreeMap::new();
        for r in rows.iter() {
            *per_doc
                .entry((r["corpus"].clone(), r["doc"].clone()))
                .or_default() += 1;
        }
        for d in &docs {
            let key = (d["corpus"].clone(), d["doc"].clone());
            let n: usize = d[count].parse().unwrap();
            assert_eq!(
                per_doc.get(&key).copied().unwrap_or(0),
                n,
                "{key:?} {count}"
            );
        }
    }
    for c in &claims {
        let text = text_of(&c["corpus"], &c["doc"]);
        let chars: Vec<char> = text.chars().collect();
        let (s, e): (usize, usize) = (c["start"].parse().unwrap(), c["end"].parse().unwrap());
        assert_eq!(chars[s..e].iter().collect::<String>(), c["text"]);
    }
    for a in &attributions {
        let text = text_of(&a["corpus"], &a["doc"]);
        assert!(text.contains(&a["cue_text"]), "{a:?}");
    }
    // Both 001s have claims, told apart by their corpus only.
    let ones: Vec<&str> = claims
        .iter()
        .filter(|c| c["doc"] == "001")
        .map(|c| c["corpus"].as_str())
        .collect();
    assert!(
        ones.contains(&"business") && ones.contains(&"sport"),
        "{ones:?}"
    );
}
