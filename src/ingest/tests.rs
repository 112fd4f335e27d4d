use super::*;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::fs;
use std::io::Write;
use tempfile::TempDir;

fn write(path: &Path, bytes: &[u8]) {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).unwrap();
    }
    fs::write(path, bytes).unwrap();
}

/// A temporary folder holding the folder `root` with `files` (path below `root`, bytes), and
/// the path of `root`.
fn tree(root: &str, files: &[(&str, &[u8])]) -> (TempDir, PathBuf) {
    let t = TempDir::new().unwrap();
    let root = t.path().join(root);
    for (name, bytes) in files {
        write(&root.join(name), bytes);
    }
    (t, root)
}

/// A temporary folder holding the file `name`, and the file's path.
fn one_file(name: &str, bytes: &[u8]) -> (TempDir, PathBuf) {
    let t = TempDir::new().unwrap();
    let path = t.path().join(name);
    write(&path, bytes);
    (t, path)
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn run(inputs: &[PathBuf], opts: &IngestOptions) -> (Vec<Document>, Vec<Problem>, IngestStats) {
    let mut c = Corpus::open(inputs, opts).unwrap();
    let (mut docs, mut probs) = (Vec::new(), Vec::new());
    for item in &mut c {
        match item {
            Ok(d) => docs.push(d),
            Err(p) => probs.push(p),
        }
    }
    (docs, probs, c.stats().clone())
}

fn ids(docs: &[Document]) -> Vec<String> {
    docs.iter()
        .map(|d| format!("{}/{}", d.corpus, d.id))
        .collect()
}

/// The documents' "corpus/id" of a run whose problems do not matter.
fn read_ids(inputs: &[PathBuf], opts: &IngestOptions) -> Vec<String> {
    ids(&run(inputs, opts).0)
}

fn with_corpus(name: &str) -> IngestOptions {
    IngestOptions {
        corpus: Some(name.into()),
        ..Default::default()
    }
}

#[test]
fn directory_sorted_with_corpus_from_first_folder() {
    // Created out of order: output must follow sorted paths, not creation order.
    let (_t, root) = tree(
        "news",
        &[
            ("sport/b.txt", b"B"),
            ("business/deep/z.txt", b"Z"),
            ("sport/a.txt", b"\xEF\xBB\xBFA\r\nline"),
            ("business/c.txt", b"C"),
            ("top.txt", b"T"),
            ("README.TXT", b"not an article"),
            ("sport/notes.md", b"x"),
        ],
    );
    let (docs, probs, stats) = run(std::slice::from_ref(&root), &IngestOptions::default());
    assert!(probs.is_empty(), "{probs:?}");
    assert_eq!(
        ids(&docs),
        ["business/c", "business/z", "sport/a", "sport/b", "news/top"]
    );
    let a = &docs[2];
    assert_eq!(a.text, "A\r\nline", "BOM stripped, CRLF kept");
    assert_eq!(a.origin.file, root.join("sport/a.txt"));
    assert_eq!(a.origin.record, None);
    assert_eq!(stats.files_skipped, 2);
    assert_eq!(stats.documents, 5);
    assert_eq!(stats.text_bytes, 1 + 1 + 7 + 1 + 1);
    assert!(stats.finished);

    // --corpus names only the root's own files.
    let named = read_ids(&[root], &with_corpus("misc"));
    assert_eq!(named[4], "misc/top");
    assert_eq!(named[..4], ids(&docs)[..4]);
}

#[test]
fn single_txt_file_and_multiple_inputs_in_order() {
    let t = TempDir::new().unwrap();
    let f = t.path().join("folder/one.txt");
    write(&f, b"hello");
    let j = t.path().join("x.jsonl");
    write(&j, b"{\"id\":\"j1\",\"text\":\"t\"}\n");
    let (docs, probs, _) = run(&[j, f.clone()], &IngestOptions::default());
    assert!(probs.is_empty());
    assert_eq!(ids(&docs), ["x/j1", "folder/one"]);
    assert_eq!(read_ids(&[f], &with_corpus("c")), ["c/one"]);
}

#[test]
fn jsonl_fields_meta_and_defaults() {
    let (t, j) = one_file(
        "feed.jsonl",
        b"{\"id\":7,\"text\":\"Seven.\",\"publisher\":\"nyt\",\"year\":2016,\"wire\":true,\"tags\":[1]}\n\
          \n\
          {\"id\":\"b\",\"text\":\"\\ufeffB\",\"corpus\":\"other\"}\r\n",
    );
    let (docs, probs, stats) = run(std::slice::from_ref(&j), &IngestOptions::default());
    assert!(probs.is_empty(), "{probs:?}");
    assert_eq!(ids(&docs), ["feed/7", "other/b"]);
    let m = &docs[0].meta;
    assert_eq!(m.get("publisher").map(String::as_str), Some("nyt"));
    assert_eq!(m.get("year").map(String::as_str), Some("2016"));
    assert_eq!(m.get("wire").map(String::as_str), Some("true"));
    assert!(!m.contains_key("tags") && !m.contains_key("id") && !m.contains_key("text"));
    assert_eq!(docs[1].text, "B");
    assert_eq!(docs[1].origin.record, Some(3), "blank line 2 still counts");
    assert_eq!(stats.documents, 2);

    // Custom field names.
    let k = t.path().join("k.jsonl");
    write(&k, b"{\"doc\":\"d\",\"body\":\"x\",\"src\":\"s\"}\n");
    let opts = IngestOptions {
        id_field: "doc".into(),
        text_field: "body".into(),
        corpus_field: "src".into(),
        ..Default::default()
    };
    assert_eq!(read_ids(&[k], &opts), ["s/d"]);
}

#[test]
fn jsonl_problems_name_file_and_line() {
    let (_t, j) = one_file(
        "bad.jsonl",
        b"{\"id\":\"ok\",\"text\":\"fine\"}\n\
          {\"id\":\"x\", \"text\": nope}\n\
          {\"id\":\"x\",\"body\":\"t\",\"title\":\"T\"}\n\
          {\"text\":\"t\"}\n\
          {\"id\":\"n\",\"text\":42}\n\
          [1,2]\n\
          {\"id\":\"e\",\"text\":\"\"}\n\
          {\"id\":\"cut\",\"text\":\"abc\n",
    );
    let (docs, probs, stats) = run(std::slice::from_ref(&j), &IngestOptions::default());
    assert_eq!(ids(&docs), ["bad/ok", "bad/e"], "empty text is kept");
    assert_eq!(stats.empty_texts, 1);
    assert_eq!(stats.problems, 6);
    let lines: Vec<Option<u64>> = probs.iter().map(|p| p.origin.record).collect();
    assert_eq!(
        lines,
        [Some(2), Some(3), Some(4), Some(5), Some(6), Some(8)]
    );
    assert!(probs.iter().all(|p| p.origin.file == j));
    let msg: Vec<&str> = probs.iter().map(|p| p.message.as_str()).collect();
    assert!(
        msg[0].starts_with("invalid JSON at column 21: expected ident"),
        "{}",
        msg[0]
    );
    assert_eq!(
        msg[1],
        "record has no \"text\" field (fields present: body, id, title); choose another with --text-field"
    );
    assert!(
        msg[2].contains("no \"id\" field") && msg[2].contains("--id-field"),
        "{}",
        msg[2]
    );
    assert_eq!(msg[3], "field \"text\" is a number, expected a string");
    assert_eq!(msg[4], "expected a JSON object per line, found an array");
    assert!(
        msg[5].contains("EOF while parsing") && msg[5].contains("one line"),
        "{}",
        msg[5]
    );
    assert!(probs[0]
        .to_string()
        .starts_with(&format!("{}:2: invalid JSON", j.display())));
}

#[test]
fn csv_rows_and_problems() {
    let (t, c) = one_file(
        "arts.csv",
        b"id,text,publisher\n\
          a,\"Quoted, with comma\r\nand newline\",nyt\n\
          b,ragged\n\
          c,\"He said \"\"no\"\"\",wp\n",
    );
    let (docs, probs, _) = run(std::slice::from_ref(&c), &IngestOptions::default());
    assert_eq!(ids(&docs), ["arts/a", "arts/c"]);
    assert_eq!(docs[0].text, "Quoted, with comma\r\nand newline");
    assert_eq!(docs[1].text, "He said \"no\"");
    assert_eq!(
        docs[1].meta.get("publisher").map(String::as_str),
        Some("wp")
    );
    assert_eq!(docs[1].origin.record, Some(3));
    assert_eq!(probs.len(), 1);
    assert_eq!(probs[0].origin.record, Some(2));
    assert_eq!(
        probs[0].message,
        "record 2 (line 4, byte 58) has 2 fields but the header has 3, record skipped"
    );

    // An unterminated quote swallows the rest of the file; that record is reported.
    let u = t.path().join("open.csv");
    write(&u, b"id,text\nx,fine\ny,\"never closed\nz,more\n");
    let (docs, probs, _) = run(std::slice::from_ref(&u), &IngestOptions::default());
    assert_eq!(ids(&docs), ["open/x"]);
    assert_eq!(probs.len(), 1);
    assert_eq!(
        probs[0].origin,
        Origin {
            file: u,
            record: Some(2)
        }
    );
    assert!(
        probs[0].message.starts_with("unterminated quoted field"),
        "{}",
        probs[0].message
    );

    // A header without the text column is one problem for the file, naming the columns.
    let h = t.path().join("head.csv");
    write(&h, b"key,body\n1,x\n");
    let (docs, probs, _) = run(&[h], &IngestOptions::default());
    assert!(docs.is_empty());
    assert_eq!(
        probs[0].message,
        "header row has no \"text\" field (fields present: key, body); choose another with --text-field; file skipped"
    );

    // TSV input: tabs, no quoting.
    let s = t.path().join("t.tsv");
    write(&s, b"id\ttext\nq\tsay \"hi\n");
    let (docs, probs, _) = run(&[s], &IngestOptions::default());
    assert!(probs.is_empty(), "{probs:?}");
    assert_eq!(docs[0].text, "say \"hi");
}

#[test]
fn gzip_round_trip_jsonl_and_csv() {
    let t = TempDir::new().unwrap();
    let plain = b"{\"id\":\"1\",\"text\":\"caf\xC3\xA9\"}\n{\"id\":\"2\",\"text\":\"two\"}\n";
    let j = t.path().join("a.jsonl.gz");
    // Two gzip members concatenated: MultiGzDecoder must read both.
    let mut bytes = gz(&plain[..26]);
    bytes.extend(gz(&plain[26..]));
    write(&j, &bytes);
    let c = t.path().join("b.csv.gz");
    write(&c, &gz(b"id,text\n3,three\n"));
    let (docs, probs, _) = run(&[j, c], &IngestOptions::default());
    assert!(probs.is_empty(), "{probs:?}");
    assert_eq!(ids(&docs), ["a/1", "a/2", "b/3"]);
    assert_eq!(docs[0].text, "café");

    // A corrupt gzip stream is a problem, not a panic.
    let bad = t.path().join("bad.jsonl.gz");
    let mut g = gz(plain);
    let n = g.len();
    g.truncate(n / 2);
    write(&bad, &g);
    let (_, probs, _) = run(std::slice::from_ref(&bad), &IngestOptions::default());
    assert_eq!(probs.len(), 1);
    assert_eq!(probs[0].origin.file, bad);
}

#[test]
fn meta_join_tsv_and_unmatched_counts() {
    let (t, root) = tree(
        "c",
        &[
            ("p/a1.txt", b"one"),
            ("p/a2.txt", b"two"),
            ("p/zz.txt", b"no meta"),
        ],
    );
    // Tabs in the header make it TSV even with a .csv name.
    let m = t.path().join("meta.csv");
    write(
        &m,
        b"filename\tpublisher\ttitle\na1\tnyt\tA \"one\nghost\tbbc\tG\na2\twp\tTwo\na1\tdup\tD\n",
    );
    let opts = IngestOptions {
        meta: Some(m.clone()),
        meta_id: "filename".into(),
        ..Default::default()
    };
    let mut c = Corpus::open(&[root], &opts).unwrap();
    assert_eq!(c.stats().meta_rows_unmatched, 3);
    let docs: Vec<Document> = c.by_ref().filter_map(Result::ok).collect();
    assert_eq!(
        docs[0].meta.get("publisher").map(String::as_str),
        Some("nyt")
    );
    assert_eq!(
        docs[0].meta.get("title").map(String::as_str),
        Some("A \"one")
    );
    // The join column is the document's id: not carried again.
    assert!(!docs[0].meta.contains_key("filename"));
    assert_eq!(
        docs[1].meta.get("publisher").map(String::as_str),
        Some("wp")
    );
    assert!(docs[2].meta.is_empty());
    let s = c.stats();
    assert_eq!(s.meta_rows, 4);
    assert_eq!(s.meta_duplicate_keys, 1);
    assert_eq!(s.meta_rows_unmatched, 1);
    assert_eq!(s.meta_unmatched_ids, ["ghost"]);
    assert_eq!(s.docs_without_meta, 1);
    assert_eq!(s.docs_without_meta_ids, ["zz"]);
    assert_eq!(c.meta_duplicate_keys(), [("a1".to_string(), 4)]);

    // A join column that does not exist is an error from open, listing the columns.
    let bad = IngestOptions {
        meta: Some(m),
        ..Default::default()
    };
    let err = Corpus::open(&[], &bad).err().unwrap().to_string();
    assert!(
        err.contains("no column \"id\"") && err.contains("filename, publisher, title"),
        "{err}"
    );
    assert!(err.contains("--meta-id"));

    // Comma CSV meta with quoting; a ragged row is an error naming the record.
    let m2 = t.path().join("m2.csv");
    write(&m2, b"id,pub\n\"a,1\",x\nb\n");
    let o2 = IngestOptions {
        meta: Some(m2),
        ..Default::default()
    };
    let err = Corpus::open(&[], &o2).err().unwrap().to_string();
    assert!(
        err.contains("record 2 (line 3, byte 15): has 1 fields but the header has 2"),
        "{err}"
    );
}

#[test]
fn binary_lossy_duplicates_and_unreadable() {
    let (_t, root) = tree(
        "r",
        &[
            ("a/bin.txt", b"PK\x03\x04\x00\x00data"),
            ("a/latin.txt", b"caf\xE9 au lait"),
            ("a/empty.txt", b""),
            ("b/latin.txt", b"other corpus, same id: not a duplicate"),
            ("b/x/latin.txt", b"same corpus and id: duplicate"),
        ],
    );
    std::os::unix::fs::symlink(root.join("missing"), root.join("a/dangling.txt")).unwrap();
    let (docs, probs, stats) = run(std::slice::from_ref(&root), &IngestOptions::default());
    assert_eq!(
        ids(&docs),
        ["a/empty", "a/latin", "b/latin", "b/latin"],
        "both duplicates kept"
    );
    assert_eq!(docs[1].text, "caf\u{FFFD} au lait");
    assert!(docs[1].lossy_utf8 && !docs[2].lossy_utf8);
    assert_eq!(stats.lossy_utf8, 1);
    assert_eq!(stats.empty_texts, 1);
    assert_eq!(stats.duplicate_ids, 1);
    assert_eq!(stats.duplicates.len(), 1);
    assert!(
        stats.duplicates[0].starts_with("b/latin at "),
        "{}",
        stats.duplicates[0]
    );
    assert_eq!(probs.len(), 2, "{probs:?}");
    assert_eq!(probs[0].origin.file, root.join("a/bin.txt"));
    assert!(probs[0]
        .message
        .starts_with("binary file (NUL byte at offset "));
    assert_eq!(probs[1].origin.file, root.join("a/dangling.txt"));
    assert!(
        probs[1].message.starts_with("cannot read: "),
        "{}",
        probs[1].message
    );

    // Permissions: root reads everything, so this only checks when run unprivileged.
    use std::os::unix::fs::PermissionsExt;
    let locked = root.join("b/locked");
    write(&locked.join("s.txt"), b"secret");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&locked).is_ok() {
        eprintln!("note: running as root, permission-denied case not exercised");
    } else {
        let (_, probs, _) = run(std::slice::from_ref(&root), &IngestOptions::default());
        assert!(probs
            .iter()
            .any(|p| p.origin.file == locked && p.message.contains("ermission denied")));
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn open_errors_name_the_input() {
    let t = TempDir::new().unwrap();
    let missing = t.path().join("nope.jsonl");
    let err = Corpus::open(std::slice::from_ref(&missing), &IngestOptions::default())
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        format!("input {} does not exist", missing.display())
    );
    let xml = t.path().join("a.xml");
    write(&xml, b"<a/>");
    let err = Corpus::open(&[xml], &IngestOptions::default())
        .err()
        .unwrap();
    assert!(err.to_string().contains("unsupported kind"), "{err}");
    let dash = PathBuf::from("-");
    assert!(Corpus::open(&[dash.clone(), dash], &IngestOptions::default()).is_err());
}

#[test]
fn jsonl_from_reader_like_stdin() {
    let data = b"{\"id\":\"s\",\"text\":\"from stdin\"}\nnot json\n".to_vec();
    let reader = Box::new(std::io::Cursor::new(data));
    let mut c = Corpus::from_jsonl_reader("-", reader, &IngestOptions::default()).unwrap();
    let first = c.next().unwrap().unwrap();
    assert_eq!(
        (first.id.as_str(), first.text.as_str()),
        ("s", "from stdin")
    );
    let p = c.next().unwrap().unwrap_err();
    assert_eq!(p.origin.record, Some(2));
    assert!(
        p.to_string()
            .starts_with("-:2: invalid JSON at column 2: expected ident"),
        "{p}"
    );
    assert!(c.next().is_none());
    assert_eq!((c.stats().documents, c.stats().problems), (1, 1));
}

/// `rel` in ../shared beside the crate; a test that needs it fails, loudly, where it is absent.
fn shared(rel: &str) -> PathBuf {
    let sh = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    assert!(sh.is_dir(), "{} is absent: this test reads the shared data (PolNeAR, the BBC corpus); place ../shared beside the crate, as .ci/run expects", sh.display());
    sh.join(rel)
}

#[test]
fn bbc_has_one_lossy_file_and_is_deterministic() {
    let root = shared("corpora/bbc");
    let (docs, probs, stats) = run(std::slice::from_ref(&root), &IngestOptions::default());
    assert!(probs.is_empty(), "{probs:?}");
    assert_eq!(stats.documents, 2225);
    assert_eq!(stats.files_skipped, 1, "README.TXT");
    let lossy: Vec<String> = docs
        .iter()
        .filter(|d| d.lossy_utf8)
        .map(|d| format!("{}/{}", d.corpus, d.id))
        .collect();
    assert_eq!(lossy, ["sport/199"]);
    assert_eq!(stats.lossy_utf8, 1);
    // Ids repeat across the five folders but never within one.
    assert_eq!(stats.duplicate_ids, 0);
    assert_eq!(ids(&docs), read_ids(&[root], &IngestOptions::default()));
    assert_eq!(ids(&docs)[0], "business/001");
}

#[test]
fn polnear_meta_join() {
    let polnear = shared("polnear");
    let opts = IngestOptions {
        meta: Some(polnear.join("metadata.tsv")),
        meta_id: "filename".into(),
        ..Default::default()
    };
    let (docs, probs, stats) = run(&[polnear.join("train/text")], &opts);
    assert!(probs.is_empty(), "{probs:?}");
    assert_eq!(stats.documents, 840);
    assert_eq!(stats.docs_without_meta, 0);
    assert_eq!(stats.meta_rows, 924);
    assert_eq!(stats.meta_rows_unmatched, 84, "the dev split's rows");
    assert!(docs
        .iter()
        .all(|d| d.corpus == "text" && d.meta.contains_key("publisher")));
    assert_eq!(
        docs[0].meta.get("publisher").map(String::as_str),
        Some(docs[0].id.split('_').next().unwrap_or(""))
    );
}

/// The reading of a JSONL record through `serde_json::Value`, as it was before records were
/// read field by field: the same documents and the same messages are expected.
type Fields = (
    String,
    String,
    String,
    std::collections::BTreeMap<String, String>,
);

fn record_through_value(
    line: &str,
    opts: &IngestOptions,
    default_corpus: &str,
) -> Result<Fields, String> {
    // The wording of JSON errors and types is the reader's; what is compared is which
    // error, which type and which fields.
    use jsonrecord::{json_error_text, json_type as kind};
    use serde_json::Value;
    let value: Value = serde_json::from_str(line).map_err(|e| json_error_text(&e))?;
    let Value::Object(mut obj) = value else {
        return Err(format!(
            "expected a JSON object per line, found {}",
            kind(&value)
        ));
    };
    let present: Vec<&str> = obj.keys().map(String::as_str).collect();
    let list = if present.is_empty() {
        "none".to_string()
    } else {
        present.join(", ")
    };
    let missing = |field: &str, flag: &str| {
        format!(
            "record has no {field:?} field (fields present: {list}); choose another with {flag}"
        )
    };
    let text_v = obj
        .get(&opts.text_field)
        .ok_or_else(|| missing(&opts.text_field, "--text-field"))?;
    let id_v = obj
        .get(&opts.id_field)
        .ok_or_else(|| missing(&opts.id_field, "--id-field"))?;
    if !text_v.is_string() {
        return Err(format!(
            "field {:?} is {}, expected a string",
            opts.text_field,
            kind(text_v)
        ));
    }
    let id = match id_v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => {
            return Err(format!(
                "field {:?} is {}, expected a string or number",
                opts.id_field,
                kind(other)
            ))
        }
    };
    if id.is_empty() {
        return Err(format!("field {:?} is empty", opts.id_field));
    }
    let text = match obj.remove(&opts.text_field) {
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    obj.remove(&opts.id_field);
    let corpus = match obj.remove(&opts.corpus_field) {
        Some(Value::String(s)) if !s.is_empty() => s,
        _ => default_corpus.to_string(),
    };
    let mut meta = std::collections::BTreeMap::new();
    for (k, v) in obj {
        let v = match v {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => String::new(),
            _ => continue,
        };
        meta.insert(k, v);
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_string();
    Ok((id, corpus, text, meta))
}

#[test]
fn jsonl_records_read_as_through_a_json_value() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let nested = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let lines = [
        r#"{"id": "a", "text": "plain"}"#.to_string(),
        r#"  {"id": 7, "text": "q \"x\"\n\u00e9", "corpus": "", "z": 1.5, "b": true, "n": null, "arr": [1, 2], "obj": {"x": 1}}"#.into(),
        r#"{"id": 7.0, "text": "x", "big": 12345678901234567890, "neg": -12, "f": 1e5, "g": -0}"#.into(),
        r#"{"id": -3, "text": "x"}"#.into(),
        r#"{"id": true, "text": "x"}"#.into(),
        r#"{"id": null, "text": "x"}"#.into(),
        r#"{"id": "", "text": "x"}"#.into(),
        r#"{"id": "b", "text": ["x"]}"#.into(),
        r#"{"id": "c"}"#.into(),
        r#"{"text": "no id", "b": 1, "a": 2}"#.into(),
        r#"{"id": "d", "text": "x", "id": "d2", "text": "second", "m": 1, "m": "two"}"#.into(),
        "[1, 2]".into(),
        "\"a string\"".into(),
        "42".into(),
        "null".into(),
        "nul".into(),
        r#"{"id": "e", "text": "x"} trailing"#.into(),
        r#"{"id": "e", "text": "x",}"#.into(),
        r#"{"id": "f", "text": "unterminated"#.into(),
        "{".into(),
        "{}".into(),
        format!(r#"{{"id": "g", "text": "x", "deep": {deep}}}"#),
        format!(r#"{{"id": "g", "text": "x", "deep": {nested}}}"#),
        format!(r#"[{deep}]"#),
        r#"{"id": "h", "text": "x", "huge": 1e400}"#.into(),
        "{\"id\": \"i\", \"text\": \"\\ufeffBOM\"}".into(),
        "{\"id\": \"i\", \"text\": \"\u{feff}raw BOM\"}".into(),
        r#"{"i\u0064": "j", "te\u0078t": "escaped keys", "k\"ey": "v"}"#.into(),
        r#"{"id": "k", "text": "lone \ud800"}"#.into(),
        "{\"id\": \"l\", \"text\": \"control \u{1} char\"}".into(),
        r#"{"id": "m", "text": "x", 5: 1}"#.into(),
        r#"{"id" "n", "text": "x"}"#.into(),
        r#"{"id": "o", "text": "x", "arr": [1, {"a": [}]}"#.into(),
        r#"{"id": "p", "text": "x", "n": 01}"#.into(),
        r#"{"id": "q", "text": "x", "s": "bad \x"}"#.into(),
        "\t{\"id\": \"r\", \"text\": \"tab\"}  ".into(),
    ];
    let input = lines.join("\n");
    let field_choices = [
        ("id", "text", "corpus"),
        ("text", "text", "id"),
        ("id", "id", "id"),
    ];
    for (id_field, text_field, corpus_field) in field_choices {
        let opts = IngestOptions {
            id_field: id_field.into(),
            text_field: text_field.into(),
            corpus_field: corpus_field.into(),
            ..IngestOptions::default()
        };
        let reader = Box::new(std::io::Cursor::new(input.clone().into_bytes()));
        let items: Vec<Item> = Corpus::from_jsonl_reader("in.jsonl", reader, &opts)
            .unwrap()
            .collect();
        assert_eq!(items.len(), lines.len());
        for (line, item) in lines.iter().zip(items) {
            // A lone surrogate escape reads as U+FFFD (docs/errors.md), which serde_json
            // refuses: the reference reads the line with that escape written out.
            let line = &line.replace(r"\ud800", r"\uFFFD");
            let want = record_through_value(line, &opts, "in.jsonl");
            let got = item
                .map(|d| (d.id, d.corpus, d.text, d.meta))
                .map_err(|p| p.message);
            assert_eq!(
                got, want,
                "{line} ({id_field}, {text_field}, {corpus_field})"
            );
        }
    }
}

#[test]
fn input_size_is_what_reading_counts() {
    let t = TempDir::new().unwrap();
    let dir = t.path().join("news");
    write(&dir.join("a/1.txt"), b"one article");
    write(&dir.join("b/2.txt"), b"\xEF\xBB\xBFtwo");
    write(&dir.join("README.TXT"), b"not read, not counted");
    let j = t.path().join("x.jsonl.gz");
    let lines = "{\"id\":\"j\",\"text\":\"t\"}\n".repeat(5000);
    write(&j, &gz(lines.as_bytes()));
    let c = t.path().join("y.csv");
    write(&c, b"id,text\nc1,\"quoted, text\"\n");
    let inputs = [dir, j.clone(), c];
    let mut corpus = Corpus::open(&inputs, &IngestOptions::default()).unwrap();
    // The files as stored: the .gz compressed.
    let stored: u64 = [11, 6, fs::metadata(&j).unwrap().len(), 26].iter().sum();
    assert_eq!(corpus.input_size(), Some(stored));
    assert_eq!(corpus.input_read(), 0);
    assert_eq!(corpus.by_ref().filter(Result::is_ok).count(), 5003);
    assert_eq!(corpus.input_read(), stored);
    // Standard input has no size known in advance.
    let stdin = Corpus::open(&[PathBuf::from("-")], &IngestOptions::default()).unwrap();
    assert_eq!(stdin.input_size(), None);
}

#[test]
fn meta_joins_on_corpus_and_id_or_refuses_an_id_of_two_corpora() {
    let (t, root) = tree(
        "bbc",
        &[
            ("business/001.txt", b"B1"),
            ("sport/001.txt", b"S1"),
            ("sport/002.txt", b"S2"),
        ],
    );
    let with = t.path().join("with.csv");
    write(
        &with,
        b"corpus,id,title\nsport,001,S\nbusiness,001,B\nsport,001,dup\n",
    );
    let opts = |meta: &Path| IngestOptions {
        meta: Some(meta.to_path_buf()),
        ..Default::default()
    };
    let mut c = Corpus::open(std::slice::from_ref(&root), &opts(&with)).unwrap();
    let titles: Vec<(String, Option<String>)> = c
        .by_ref()
        .map(|d| {
            let d = d.unwrap();
            // The join columns are not carried: they are the corpus and the id.
            assert!(!d.meta.contains_key("id") && !d.meta.contains_key("corpus"));
            (
                format!("{}/{}", d.corpus, d.id),
                d.meta.get("title").cloned(),
            )
        })
        .collect();
    assert_eq!(
        titles,
        [
            ("business/001".to_string(), Some("B".to_string())),
            ("sport/001".to_string(), Some("S".to_string())),
            ("sport/002".to_string(), None),
        ]
    );
    assert_eq!(c.refusal(), None);
    assert_eq!(c.meta_duplicate_keys(), [("sport/001".to_string(), 3)]);
    assert_eq!(c.stats().docs_without_meta_ids, ["sport/002"]);

    // Without a corpus column, the row of 001 would join both corpora: reading stops there.
    let without = t.path().join("without.csv");
    write(&without, b"id,title\n001,one\n");
    let mut c = Corpus::open(&[root], &opts(&without)).unwrap();
    let read: Vec<String> = c.by_ref().map(|d| d.unwrap().corpus).collect();
    assert_eq!(read, ["business"]);
    let why = c.refusal().expect("refused");
    assert!(
        why.contains(
            "id \"001\" is in more than one corpus of this run (\"business\" and \"sport\""
        ),
        "{why}"
    );
    assert!(c.next().is_none());
}
