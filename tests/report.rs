//! report.html, examples.csv and `explain --id/--html` end to end, and report.html drawn by a
//! real browser (chromium-headless-shell): the screenshot is not blank and every kind of
//! chart drew. Without a browser that test prints a note and passes, unless
//! ONRECORD_REQUIRE_BROWSER=1 (set by .ci/run, which installs one), where it fails.

use assert_cmd::Command;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn onrecord() -> Command {
    Command::cargo_bin("onrecord").expect("the onrecord binary")
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

fn run_ok(cmd: &mut Command) -> String {
    let o = cmd.output().expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("readable CSV");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.expect("record").iter().map(String::from))
                .collect()
        })
        .collect()
}

/// 64-bit FNV-1a of group, 0, doc, 0, start as 8 little-endian bytes: the definition of the
/// sample key, written here apart from the crate's.
fn fnv(group: &str, doc: &str, start: u64) -> u64 {
    let mut data = group.as_bytes().to_vec();
    data.push(0);
    data.extend_from_slice(doc.as_bytes());
    data.push(0);
    data.extend_from_slice(&start.to_le_bytes());
    data.iter().fold(0xcbf29ce484222325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// A JSONL of the sample articles, each several times under new ids, in three outlets and
/// over three months: enough for every chart of the report (comparisons, periods).
fn dated_jsonl(dir: &Path) -> PathBuf {
    let mut texts = Vec::new();
    for corpus in ["bbc", "polnear", "ukraine"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(sample().join(corpus))
            .expect("sample folder")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for f in files {
            texts.push(std::fs::read_to_string(f).expect("sample text"));
        }
    }
    let mut out = String::new();
    let outlets = ["Daily <Times>", "Evening Post", "Wire & Co"];
    for i in 0..36 {
        let rec = serde_json::json!({
            "id": format!("a{i:02}"),
            "text": texts[i % texts.len()],
            "outlet": outlets[i % 3],
            "date": format!("2024-{:02}-{:02}", 1 + (i / 3) % 3, 1 + i % 28),
        });
        out.push_str(&rec.to_string());
        out.push('\n');
    }
    let path = dir.join("dated.jsonl");
    std::fs::write(&path, out).expect("write jsonl");
    path
}

fn score_dated(dir: &Path, out: &str, threads: &str) -> PathBuf {
    let input = dated_jsonl(dir);
    let out = dir.join(out);
    run_ok(
        onrecord()
            .args(["score", "--quiet", "--by", "outlet", "--period", "month"])
            .args([
                "--min-group-docs",
                "2",
                "--examples",
                "3",
                "--threads",
                threads,
            ])
            .arg(&input)
            .arg("--out")
            .arg(&out),
    );
    out
}

#[test]
fn examples_are_the_smallest_keys_and_the_report_is_self_contained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = score_dated(dir.path(), "one", "1");
    let again = score_dated(dir.path(), "two", "2");
    for name in ["examples.csv", "report.html"] {
        assert_eq!(
            std::fs::read(out.join(name)).expect(name),
            std::fs::read(again.join(name)).expect(name),
            "{name} differs between 1 and 2 threads"
        );
    }
    assert_eq!(
        files(&out.join("articles")),
        files(&again.join("articles")),
        "the article pages differ between 1 and 2 threads"
    );
    // The unattributed examples of each outlet are the 3 unattributed claims of claims.csv
    // with the smallest keys.
    let claims = rows(&out.join("claims.csv"));
    let examples = rows(&out.join("examples.csv"));
    let mut by_group: BTreeMap<String, Vec<(u64, String, u64)>> = BTreeMap::new();
    for c in claims.iter().filter(|c| c["source_type"] == "unattributed") {
        let start: u64 = c["start"].parse().expect("start");
        by_group.entry(c["group"].clone()).or_default().push((
            fnv(&c["group"], &c["doc"], start),
            c["doc"].clone(),
            start,
        ));
    }
    assert_eq!(by_group.len(), 3);
    for (group, mut all) in by_group {
        all.sort();
        let want: Vec<(String, u64)> = all.iter().take(3).map(|x| (x.1.clone(), x.2)).collect();
        let got: Vec<(String, u64)> = examples
            .iter()
            .filter(|e| e["group"] == group && e["pattern"] == "unattributed")
            .map(|e| (e["doc"].clone(), e["start"].parse().expect("start")))
            .collect();
        assert_eq!(got, want, "{group}");
    }
    // Each example's text is the claim's text in claims.csv at the same offsets.
    let texts: BTreeSet<(String, String, String)> = claims
        .iter()
        .map(|c| (c["doc"].clone(), c["start"].clone(), c["text"].clone()))
        .collect();
    for e in &examples {
        assert!(
            texts.contains(&(e["doc"].clone(), e["start"].clone(), e["text"].clone())),
            "{e:?}"
        );
    }
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    for banned in ["<script", "<link", "src=", "url(", "@import", "https:"] {
        assert!(!html.contains(banned), "report.html holds {banned:?}");
    }
    // Group names are escaped, never markup.
    assert!(html.contains("Daily &lt;Times&gt;") && !html.contains("Daily <Times>"));
    assert!(html.contains("Wire &amp; Co"));
    for kind in ["dot-whisker", "histogram", "forest", "lines"] {
        assert!(
            html.contains(&format!("data-chart=\"{kind}\"")),
            "no {kind} chart"
        );
    }
    // Every chart is named for a screen reader, and the data dictionary is there.
    assert_eq!(
        html.matches("<svg").count(),
        html.matches("role=\"img\" aria-labelledby=").count()
    );
    assert!(html.contains("<h2 id=\"dictionary\">"));
    assert!(html.contains("examples.csv"));
    assert!(html.contains("href=\"articles/"), "a link per example");
    assert!(!html.contains("--id a"), "no command where there is a page");

    // --examples 0: examples.csv has its header only, and the report says there are none.
    let none = dir.path().join("none");
    run_ok(
        onrecord()
            .args(["score", "--quiet", "--examples", "0"])
            .arg(sample())
            .arg("--out")
            .arg(&none),
    );
    let csv = std::fs::read_to_string(none.join("examples.csv")).expect("examples.csv");
    assert_eq!(csv.lines().count(), 1, "{csv}");
    let html = std::fs::read_to_string(none.join("report.html")).expect("report.html");
    assert!(html.contains("No examples"));
}

/// The files of a folder (not recursive): name -> bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.expect("entry");
            let bytes = std::fs::read(e.path()).expect("readable");
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// HTML text content: tags dropped, the five entities the pages write turned back.
fn text_of(html: &str) -> String {
    let tags = regex::Regex::new("<[^>]*>").expect("regex");
    let text = tags
        .replace_all(html, "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_example_links_to_its_sentence_in_its_articles_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = score_dated(dir.path(), "out", "2");
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    // An example's row: group, score, the claim, then the link to its sentence.
    let row = regex::Regex::new(
        r##"<tr><th scope="row">[^<]*</th><td class="n">[^<]*</td><td>([^<]*)</td><td><a href="([^"#]*)#s(\d+)">"##,
    )
    .expect("regex");
    let mut linked = 0;
    for cap in row.captures_iter(&html) {
        let (claim, href, sentence) = (text_of(&cap[1]), &cap[2], &cap[3]);
        assert!(
            href.starts_with("articles/") && !href.contains(".."),
            "{href}"
        );
        let page = out.join(href);
        let page = std::fs::read_to_string(&page)
            .unwrap_or_else(|e| panic!("{href} does not resolve: {e}"));
        // The sentence's row in the page (its anchor), whose last cell is the sentence.
        let target =
            regex::Regex::new(&format!(r#"<tr id="s{sentence}"[^>]*>(.*)</tr>"#)).expect("regex");
        let cells = &target
            .captures(&page)
            .unwrap_or_else(|| panic!("{href} has no row s{sentence}"))[1];
        let last = cells.rsplit("<td>").next().expect("a cell");
        assert_eq!(text_of(last), claim, "{href}#s{sentence}");
        linked += 1;
    }
    // Every example of the report's patterns is linked (three groups, all shown).
    let shown: BTreeSet<&str> = onrecord::score::Pattern::FIXED
        .iter()
        .map(|p| p.as_str())
        .collect();
    let examples = rows(&out.join("examples.csv"));
    let want = examples
        .iter()
        .filter(|e| shown.contains(e["pattern"].as_str()))
        .count();
    assert!(want > 0);
    assert_eq!(linked, want);
    // Pages for the examples' articles only, one each.
    let articles: BTreeSet<(&str, &str)> = examples
        .iter()
        .map(|e| (e["corpus"].as_str(), e["doc"].as_str()))
        .collect();
    assert_eq!(files(&out.join("articles")).len(), articles.len());
    // A run into the same folder replaces the pages: none of the old run is left.
    run_ok(
        onrecord()
            .args(["score", "--quiet", "--by", "outlet", "--examples", "1"])
            .arg(dir.path().join("dated.jsonl"))
            .arg("--out")
            .arg(&out),
    );
    let fewer: BTreeSet<(String, String)> = rows(&out.join("examples.csv"))
        .into_iter()
        .map(|e| (e["corpus"].clone(), e["doc"].clone()))
        .collect();
    assert!(fewer.len() < articles.len());
    assert_eq!(files(&out.join("articles")).len(), fewer.len());

    // Standard input cannot be read twice: no pages, the explain command instead.
    let piped = dir.path().join("piped");
    run_ok(
        onrecord()
            .args(["score", "--quiet", "--by", "outlet", "--examples", "3", "-"])
            .arg("--out")
            .arg(&piped)
            .pipe_stdin(dir.path().join("dated.jsonl"))
            .expect("stdin"),
    );
    assert!(!piped.join("articles").exists());
    let html = std::fs::read_to_string(piped.join("report.html")).expect("report.html");
    assert!(html.contains("--id a") && !html.contains("href=\"articles/"));
}

#[test]
fn explain_finds_a_document_by_id_in_jsonl_and_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let jsonl = dir.path().join("in.jsonl");
    let a = "The minister said the <b>bridge</b> will open in May.";
    let b = "Officials said the port reopened on Monday.";
    let c = "A spokesman said the school would close.";
    let recs = [("x1", "north", a), ("x2", "north", b), ("x1", "south", c)];
    let mut s = String::new();
    for (id, corpus, text) in recs {
        s.push_str(&serde_json::json!({"id": id, "corpus": corpus, "text": text}).to_string());
        s.push('\n');
    }
    std::fs::write(&jsonl, s).expect("write");
    let csv = dir.path().join("in.csv");
    let mut w = csv::Writer::from_path(&csv).expect("csv");
    w.write_record(["id", "corpus", "text"]).expect("row");
    for (id, corpus, text) in recs {
        w.write_record([id, corpus, text]).expect("row");
    }
    w.flush().expect("flush");
    drop(w);
    // A folder: corpus = sub-folder, id = file name.
    let folder = dir.path().join("folder");
    for (id, corpus, text) in recs {
        std::fs::create_dir_all(folder.join(corpus)).expect("mkdir");
        std::fs::write(folder.join(corpus).join(format!("{id}.txt")), text).expect("write");
    }
    for input in [&jsonl, &csv, &folder] {
        let o = onrecord()
            .arg("explain")
            .arg(input)
            .args(["--id", "x2"])
            .output()
            .expect("runs");
        assert!(o.status.success());
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.starts_with("x2 (north)"), "{out}");
        assert!(out.contains("port reopened"));
        // x1 is in two corpora: refused, naming both.
        let o = onrecord()
            .arg("explain")
            .arg(input)
            .args(["--id", "x1"])
            .output()
            .expect("runs");
        assert!(!o.status.success());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("\"north\"") && err.contains("\"south\"") && err.contains("--corpus"),
            "{err}"
        );
        let o = onrecord()
            .arg("explain")
            .arg(input)
            .args(["--id", "x1", "--corpus", "south", "--model", "rules"])
            .output()
            .expect("runs");
        assert!(o.status.success());
        assert!(String::from_utf8_lossy(&o.stdout).contains("school would close"));
        let o = onrecord()
            .arg("explain")
            .arg(input)
            .args(["--id", "nope"])
            .output()
            .expect("runs");
        assert!(!o.status.success());
        assert!(String::from_utf8_lossy(&o.stderr).contains("no document with id \"nope\" among 3"));
    }
    let page = dir.path().join("x1.html");
    run_ok(
        onrecord()
            .arg("explain")
            .arg(&jsonl)
            .args(["--id", "x1", "--corpus", "north", "--html"])
            .arg(&page),
    );
    let html = std::fs::read_to_string(&page).expect("page");
    assert!(html.contains("&lt;b&gt;bridge&lt;/b&gt;") && !html.contains("<b>bridge"));
    assert!(html.contains("<h1>x1 (north)</h1>"));
    assert!(html.contains("class=\"legend\""));
    assert!(
        html.contains("<span class=\"src\" title=\"source\">The minister</span>"),
        "{html}"
    );
    assert!(
        html.contains("class=\"badge\""),
        "the claim's score is marked"
    );
    assert!(!html.contains("<script"));
}

/// chromium-headless-shell (Debian's package) or chromium, on PATH.
fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium-headless-shell", "chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// The colour of every pixel of a PNG, as RGB.
fn pixels(png_path: &Path) -> Vec<[u8; 3]> {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).expect("screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    assert!(channels >= 3, "expected a colour screenshot");
    buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

fn rgb(hex: &str) -> [u8; 3] {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).expect("hex colour");
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

#[test]
fn a_browser_draws_every_chart_of_the_report() {
    let Some(browser) = browser() else {
        let required = std::env::var("ONRECORD_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "ONRECORD_REQUIRE_BROWSER=1 but no chromium-headless-shell on PATH \
             (apt-get install -y chromium-headless-shell)"
        );
        eprintln!("note: no chromium-headless-shell on PATH; report.html not drawn in a browser");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = score_dated(dir.path(), "out", "2");
    let report = out.join("report.html");
    let shot = dir.path().join("report.png");
    let profile = dir.path().join("profile");
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
    ];
    let url = format!("file://{}", report.display());
    let o = std::process::Command::new(&browser)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .args(["--window-size=1200,9000", &url])
        .output()
        .expect("the browser runs");
    assert!(
        shot.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let px = pixels(&shot);
    let ink = px.iter().filter(|p| p.iter().any(|&c| c < 200)).count();
    assert!(
        ink * 100 > px.len(),
        "the screenshot is blank: {ink} of {} pixels not white",
        px.len()
    );
    // Each kind of chart has a marker colour of its own (src/report/svg.rs): every one
    // must show in the picture.
    for (kind, colour) in [
        ("dot and whisker", "#1f5fbf"),
        ("histogram", "#d9822b"),
        ("forest", "#1e8c45"),
        ("lines", "#8e44ad"),
    ] {
        let want = rgb(colour);
        let n = px.iter().filter(|&&p| p == want).count();
        assert!(
            n >= 20,
            "the {kind} chart did not draw ({n} pixels of {colour})"
        );
    }
    // The DOM the browser built: every chart holds its marks.
    let o = std::process::Command::new(&browser)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--dump-dom", &url])
        .output()
        .expect("the browser runs");
    let dom = String::from_utf8_lossy(&o.stdout);
    let charts: Vec<&str> = dom.split("<svg").skip(1).collect();
    assert!(charts.len() >= 4, "{} charts in the DOM", charts.len());
    for c in charts {
        let body = &c[..c.find("</svg>").expect("a closed svg")];
        assert!(
            body.contains("class=\"mark\""),
            "a chart without marks: {}",
            &body[..200.min(body.len())]
        );
    }
}
