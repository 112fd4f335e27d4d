//! Reading brat standoff gold: `SPLIT/text/<doc>.txt` and `SPLIT/attributions/<doc>_<annotator>.ann`.
//!
//! Reads gold exactly as ../shared/eval/score_attributions.py does: the first .ann per doc in
//! sorted filename order; E lines bind roles; Content2.. merge into Content; an event without a
//! Cue uses its trigger span; spans not referenced by an event are ignored.

use super::python::{py_isspace, universal_lines};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Spans in Unicode code points, end exclusive, as in the .ann file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoldAttribution {
    pub cue: Vec<(usize, usize)>,
    pub source: Vec<(usize, usize)>,
    pub content: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct GoldDoc {
    pub doc: String,
    pub text: String,
    pub ann_file: Option<String>,
    pub attributions: Vec<GoldAttribution>,
}

/// `<doc>_<annotator>.ann` -> `<doc>`
fn doc_of_ann(name: &str) -> &str {
    let stem = name.strip_suffix(".ann").unwrap_or(name);
    match stem.rfind('_') {
        Some(i) => &stem[..i],
        None => stem,
    }
}

/// Parse one .ann file's text. Warnings (dangling references, unknown roles) go to `warnings`.
pub fn parse_ann(content: &str, name: &str, warnings: &mut Vec<String>) -> Vec<GoldAttribution> {
    let mut spans: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    let mut events: Vec<(&str, Vec<String>)> = Vec::new();
    // Python iterates lines with newline="": a lone \r ends a line too.
    for line in universal_lines(content) {
        let mut parts = line.splitn(3, '\t');
        let (Some(id), Some(body)) = (parts.next(), parts.next()) else {
            continue;
        };
        if id.starts_with('T') && id[1..].bytes().all(|b| b.is_ascii_digit()) && id.len() > 1 {
            // "Label s e;s e" followed by a tab and the span text
            if parts.next().is_none() {
                continue;
            }
            // The Python T_RE: `(\S+) (\d+ \d+(?:;\d+ \d+)*)`; a label with whitespace, or a
            // number with a sign (which str::parse would accept), makes the line no T line.
            let Some((label, offs)) = body.split_once(' ') else {
                continue;
            };
            if label.is_empty() || label.contains(py_isspace) {
                continue;
            }
            let num = |s: Option<&str>| -> Option<usize> {
                s.filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|s| s.parse().ok())
            };
            let mut frags = Vec::new();
            let mut ok = true;
            for frag in offs.split(';') {
                let mut it = frag.split(' ');
                match (num(it.next()), num(it.next()), it.next()) {
                    (Some(s), Some(e), None) => frags.push((s, e)),
                    _ => ok = false,
                }
            }
            if ok {
                spans.insert(id, frags);
            }
        } else if id.starts_with('E') && id[1..].bytes().all(|b| b.is_ascii_digit()) && id.len() > 1
        {
            let rest = match parts.next() {
                Some(r) => format!("{body}\t{r}"),
                None => body.to_string(),
            };
            // str.split(): Python whitespace, which includes U+001C..U+001F
            let args = rest
                .split(py_isspace)
                .filter(|a| !a.is_empty())
                .map(str::to_string);
            events.push((id, args.collect()));
        }
    }
    let mut out = Vec::new();
    for (eid, args) in &events {
        let mut att = GoldAttribution::default();
        let mut trigger = Vec::new();
        for arg in args {
            let (role, tid) = match arg.split_once(':') {
                Some(x) => x,
                None => (arg.as_str(), ""),
            };
            let Some(frags) = spans.get(tid) else {
                warnings.push(format!("{name}: {eid} references missing {tid}"));
                continue;
            };
            let base = role.trim_end_matches(|c: char| c.is_ascii_digit());
            match base {
                "Source" => att.source.extend(frags),
                "Cue" => att.cue.extend(frags),
                "Content" => att.content.extend(frags),
                b if b.starts_with("Attribution") => trigger.extend(frags),
                _ => warnings.push(format!("{name}: {eid} unknown role {role}")),
            }
        }
        if att.cue.is_empty() && !trigger.is_empty() {
            att.cue = trigger;
        }
        if !(att.cue.is_empty() && att.source.is_empty() && att.content.is_empty()) {
            out.push(att);
        }
    }
    out
}

/// Read a split directory (`text/` and `attributions/`). Documents come sorted by id.
pub fn read_split(dir: &Path, warnings: &mut Vec<String>) -> Result<Vec<GoldDoc>> {
    let text_dir = dir.join("text");
    if !text_dir.is_dir() {
        bail!(
            "{} is not a directory: --gold takes a folder holding text/ and attributions/ (brat standoff)",
            text_dir.display()
        );
    }
    let mut docs: Vec<String> = std::fs::read_dir(&text_dir)
        .with_context(|| format!("reading {}", text_dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".txt"))
                .map(str::to_string)
        })
        .collect();
    docs.sort();
    let ann_dir = dir.join("attributions");
    let mut chosen: BTreeMap<String, String> = BTreeMap::new();
    if ann_dir.is_dir() {
        let mut names: Vec<String> = std::fs::read_dir(&ann_dir)
            .with_context(|| format!("reading {}", ann_dir.display()))?
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.ends_with(".ann"))
            .collect();
        names.sort();
        for n in names {
            chosen.entry(doc_of_ann(&n).to_string()).or_insert(n);
        }
    }
    let mut out = Vec::with_capacity(docs.len());
    for doc in &docs {
        let path = text_dir.join(format!("{doc}.txt"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let n_chars = text.chars().count();
        let attributions = match chosen.get(doc) {
            Some(ann) => {
                let p = ann_dir.join(ann);
                let content = std::fs::read_to_string(&p)
                    .with_context(|| format!("reading {}", p.display()))?;
                parse_ann(&content, ann, warnings)
            }
            None => {
                warnings.push(format!(
                    "gold: no .ann for {doc}; it has no gold attributions"
                ));
                Vec::new()
            }
        };
        for a in &attributions {
            for &(s, e) in a.cue.iter().chain(&a.source).chain(&a.content) {
                if s > e || e > n_chars {
                    bail!(
                        "gold span {s}-{e} out of range in {doc} ({} code points)",
                        n_chars
                    );
                }
            }
        }
        out.push(GoldDoc {
            doc: doc.clone(),
            text,
            ann_file: chosen.get(doc).cloned(),
            attributions,
        });
    }
    for (doc, ann) in &chosen {
        if docs.binary_search(doc).is_err() {
            warnings.push(format!("gold: {ann} has no text file; ignored"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attributions of `ann` read as file `x_a.ann`, and the warnings.
    fn parse(ann: &str) -> (Vec<GoldAttribution>, Vec<String>) {
        let mut w = Vec::new();
        let g = parse_ann(ann, "x_a.ann", &mut w);
        (g, w)
    }

    #[test]
    fn reads_events_and_merges_content_parts() {
        let ann = "T1\tSource 0 3\tBob\nT2\tCue 4 8\tsaid\nT3\tContent 9 12\tyes\nT5\tContent 14 16\tno\nT4\tAttribution 4 8\tsaid\nE1\tAttribution:T4 Cue:T2 Source:T1 Content:T3 Content2:T5\nT9\tAttribution-no-source 20 22\tx\nE2\tAttribution-no-source:T9\n";
        let (g, w) = parse(ann);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].source, vec![(0, 3)]);
        assert_eq!(g[0].content, vec![(9, 12), (14, 16)]);
        assert_eq!(g[1].cue, vec![(20, 22)]);
        assert!(w.is_empty());
        assert_eq!(doc_of_ann("nyt_2016_x_ab12.ann"), "nyt_2016_x");
    }

    /// Lines that score_attributions.py's regexes skip or split differently (checked against
    /// its parse_ann): empty or whitespace-holding labels, signed offsets, a lone \r ending a
    /// line, U+001C separating E-line arguments.
    #[test]
    fn follows_python_line_and_field_rules() {
        let ann = "T1\t 0 3\tBob\nT2\tCue +4 8\tsaid\nT3\tCue 4 8\tsaid\rE9\tCue:T3\nT4\tSource 0 3\tBob\nE1\tCue:T3\u{1c}Source:T4 Content:T2\nT5\tCue\u{b}4 8\tx\nE2\tCue:T5 Source:T1\n";
        let (g, w) = parse(ann);
        assert_eq!(g.len(), 2);
        assert_eq!(
            (g[0].cue.clone(), g[0].source.clone()),
            (vec![(4, 8)], vec![])
        );
        assert_eq!(
            (g[1].cue.clone(), g[1].source.clone()),
            (vec![(4, 8)], vec![(0, 3)])
        );
        assert_eq!(
            w,
            [
                "x_a.ann: E1 references missing T2",
                "x_a.ann: E2 references missing T5",
                "x_a.ann: E2 references missing T1"
            ]
        );
    }
}
