//! `--lexicons DIR`: lexicon files in a folder replace the embedded lists of the same names
//! for one run, without a rebuild; a malformed one stops the run, naming file and line.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const TEXT: &str = "The minister said the bridge would reopen on Monday. \
                    Officials told reporters that the plan works.\n";

fn onrecord() -> Command {
    Command::cargo_bin("onrecord").expect("binary built")
}

/// A scratch folder holding the article as `article.txt` and a `lexicons/` folder with
/// `files` (name, text).
fn setup(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("article.txt"), TEXT).unwrap();
    let lex = dir.path().join("lexicons");
    std::fs::create_dir(&lex).unwrap();
    for (name, text) in files {
        std::fs::write(lex.join(name), text).unwrap();
    }
    dir
}

/// The cue texts `extract` finds in the article, with `args` added.
fn cues(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = onrecord()
        .arg("extract")
        .args(args)
        .arg(dir.join("article.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rec: Value = serde_json::from_slice(&out.stdout).unwrap();
    rec["attributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["cue_text"].as_str().unwrap().to_string())
        .collect()
}

fn embedded(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/lexicons")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn a_cue_list_without_said_drops_the_said_attribution() {
    let without_said: String = embedded("cues.txt")
        .lines()
        .filter(|l| !l.starts_with("said\t") && !l.starts_with("says\t"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = setup(&[("cues.txt", &without_said)]);
    let lex = dir.path().join("lexicons");
    let rules = ["--model", "rules"];
    assert_eq!(cues(dir.path(), &rules), ["said", "told"]);
    let overridden = [&rules[..], &["--lexicons", lex.to_str().unwrap()]].concat();
    assert_eq!(cues(dir.path(), &overridden), ["told"]);
}

#[test]
fn an_empty_folder_changes_nothing() {
    let dir = setup(&[]);
    let lex = dir.path().join("lexicons");
    for model in ["rules", "tagger"] {
        let plain = cues(dir.path(), &["--model", model]);
        let over = cues(
            dir.path(),
            &["--model", model, "--lexicons", lex.to_str().unwrap()],
        );
        assert_eq!(plain, over, "{model}");
    }
}

#[test]
fn a_malformed_list_names_its_file_and_line() {
    let dir = setup(&[("cues.txt", "said\tspeech\n\tspeech\n")]);
    let lex = dir.path().join("lexicons");
    let out = onrecord()
        .args(["extract", "--model", "rules", "--lexicons"])
        .arg(&lex)
        .arg(dir.path().join("article.txt"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    let at = format!("{}:2: empty phrase", lex.join("cues.txt").display());
    assert!(err.contains(&at), "{err}");
}

#[test]
fn a_misspelt_file_name_is_refused() {
    let dir = setup(&[("cue.txt", "said\tspeech\n")]);
    let out = onrecord()
        .args(["score", "-q", "--model", "rules", "--lexicons"])
        .arg(dir.path().join("lexicons"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg(dir.path().join("article.txt"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cue.txt") && err.contains("cues.txt"), "{err}");
}

#[test]
fn the_tagger_refuses_a_cue_list_it_was_not_trained_with() {
    let cues = embedded("model-cues.txt") + "verb\topine\n";
    let dir = setup(&[("model-cues.txt", &cues)]);
    let out = onrecord()
        .args(["extract", "--model", "tagger", "--lexicons"])
        .arg(dir.path().join("lexicons"))
        .arg(dir.path().join("article.txt"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("model-cues.txt") && err.contains("retrain"),
        "{err}"
    );
}
