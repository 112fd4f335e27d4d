//! Attribution scoring: a faithful port of ../shared/eval/score_attributions.py (Python 3.11).
//!
//! Every figure is computed the way the Python scorer computes it, including its character
//! classes (`str.isspace`, `unicodedata.category(c)[0] == "P"`, `re` `\w`), so the two can be
//! diffed. See the Python docstring for the metric definitions; [`super::report`] prints them.

use super::brat::{self, GoldAttribution, GoldDoc};
use super::report::{Counts, DocCounts, MatchedPairs, Prf, Report};
use anyhow::{anyhow, bail, Context, Result};
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

/// Predictions by document name.
pub type Predictions = BTreeMap<String, Vec<PredAttribution>>;

/// Role names in the scorer's order (tables, JSON and validation all follow it).
pub const ROLES: [&str; 3] = ["source", "cue", "content"];

/// One predicted attribution. Spans are half-open code-point offsets into the gold text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PredAttribution {
    pub cue: Vec<(usize, usize)>,
    pub source: Vec<(usize, usize)>,
    pub content: Vec<(usize, usize)>,
    pub source_type: Option<String>,
}

impl PredAttribution {
    /// The gold attribution as a prediction (what brat_to_pred.py writes): scores 1.0.
    pub fn from_gold(g: &GoldAttribution) -> PredAttribution {
        PredAttribution {
            cue: g.cue.clone(),
            source: g.source.clone(),
            content: g.content.clone(),
            source_type: None,
        }
    }
}

/// Spans of role `ROLES[r]`, for gold and predicted attributions alike.
trait Roles {
    fn role(&self, r: usize) -> &[(usize, usize)];
}

impl Roles for PredAttribution {
    fn role(&self, r: usize) -> &[(usize, usize)] {
        match r {
            0 => &self.source,
            1 => &self.cue,
            _ => &self.content,
        }
    }
}

impl Roles for GoldAttribution {
    fn role(&self, r: usize) -> &[(usize, usize)] {
        match r {
            0 => &self.source,
            1 => &self.cue,
            _ => &self.content,
        }
    }
}

// ---------------------------------------------------------------- Python character classes

/// Python 3.11 `str.isspace()` (and `re`'s `\s`): bidi classes WS/B/S or category Zs.
/// Differs from Rust's `char::is_whitespace` at U+001C..U+001F.
pub fn py_isspace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\u{1c}'..='\u{1f}'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

// Python's `\w` (str patterns) is exactly [\p{L}\p{N}_] (checked over all code points with
// Python 3.11 / Unicode 14); Rust regex's own `\w` differs (it adds marks, lacks No).
// `\s` is spelled out as the py_isspace set.
const TOKEN_PATTERN: &str = r"[\p{L}\p{N}_]+|[^\p{L}\p{N}_\t\n\x0B\x0C\r\x1C-\x1F \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]";

// The patterns are constants exercised by the unit tests, so compilation cannot fail at run time.
static TOKEN_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(TOKEN_PATTERN).expect("constant token pattern compiles"));
static PUNCT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{P}$").expect("constant punctuation pattern compiles"));

/// `unicodedata.category(c)[0] == "P"`.
pub fn py_is_punct(c: char) -> bool {
    let mut buf = [0u8; 4];
    PUNCT_RE.is_match(c.encode_utf8(&mut buf))
}

/// `str.strip()` with Python's whitespace.
fn py_strip(s: &str) -> &str {
    s.trim_matches(py_isspace)
}

// ---------------------------------------------------------------- predictions

/// Read a predictions JSONL file as score_attributions.py does. Returns the predictions of gold
/// documents and the names of prediction documents not in the gold (in file order). Warnings
/// (several lines for one document) are dropped; see [`read_predictions_with_warnings`].
pub fn read_predictions(path: &Path, gold: &[GoldDoc]) -> Result<(Predictions, Vec<String>)> {
    read_predictions_with_warnings(path, gold, &mut Vec::new())
}

/// [`read_predictions`], appending the scorer's warnings to `warnings`.
pub fn read_predictions_with_warnings(
    path: &Path,
    gold: &[GoldDoc],
    warnings: &mut Vec<String>,
) -> Result<(Predictions, Vec<String>)> {
    let bytes =
        std::fs::read(path).with_context(|| format!("reading predictions {}", path.display()))?;
    let content = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{}: not UTF-8 (byte {}); predictions must be UTF-8 JSONL",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let by_name: HashMap<&str, &GoldDoc> = gold.iter().map(|g| (g.doc.as_str(), g)).collect();
    let mut preds: BTreeMap<String, Vec<PredAttribution>> = BTreeMap::new();
    let mut unknown = Vec::new();
    // Python reads text files with universal newlines: \r\n, \r and \n all end a line.
    for (i, line) in universal_lines(&content).enumerate() {
        if py_strip(line).is_empty() {
            continue;
        }
        let whr = format!("{}:{}", path.display(), i + 1);
        let obj: Value = serde_json::from_str(line).map_err(|e| {
            anyhow!(
                "{whr}: invalid JSON: {e}; each line must hold one JSON object for one document"
            )
        })?;
        read_line(&obj, &whr, &by_name, &mut preds, &mut unknown, warnings)
            .map_err(|e| anyhow!("{whr}: {e}"))?;
    }
    Ok((preds, unknown))
}

/// Split like Python's text-mode line iteration (universal newlines), without the terminators.
pub(crate) fn universal_lines(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match rest.find(['\r', '\n']) {
            None => {
                let l = rest;
                rest = "";
                Some(l)
            }
            Some(i) => {
                let l = &rest[..i];
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
                Some(l)
            }
        }
    })
}

fn read_line(
    obj: &Value,
    whr: &str,
    gold: &HashMap<&str, &GoldDoc>,
    preds: &mut BTreeMap<String, Vec<PredAttribution>>,
    unknown: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let Some(map) = obj.as_object() else {
        bail!("each line must be an object with a string 'doc'");
    };
    let Some(doc) = map.get("doc").and_then(Value::as_str) else {
        bail!("each line must be an object with a string 'doc'");
    };
    let doc = doc.strip_suffix(".txt").unwrap_or(doc);
    let Some(g) = gold.get(doc) else {
        unknown.push(doc.to_string());
        return Ok(());
    };
    let byte_unit = match map.get("offset_unit") {
        None => false,
        Some(Value::String(u)) if u == "char" || u == "codepoint" => false,
        Some(Value::String(u)) if u == "byte" => true,
        Some(other) => bail!("unknown offset_unit {other}; use \"char\" (code points) or \"byte\""),
    };
    let text_len = g.text.chars().count();
    let conv = byte_unit.then(|| ByteToChar::new(&g.text));
    let empty = Vec::new();
    let atts = match map.get("attributions") {
        None => &empty,
        Some(Value::Array(a)) => a,
        Some(_) => bail!("'attributions' must be a list"),
    };
    let out = preds.entry(doc.to_string()).or_default();
    if !out.is_empty() {
        warnings.push(format!(
            "pred: several lines for {doc}; attributions concatenated"
        ));
    }
    for (i, a) in atts.iter().enumerate() {
        let Some(a) = a.as_object() else {
            bail!("attribution {i} is not an object");
        };
        let source_type = match a.get("source_type") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => bail!("attribution {i}: source_type must be a string or null"),
        };
        let mut roles: [Vec<(usize, usize)>; 3] = Default::default();
        for (r, role) in ROLES.iter().enumerate() {
            let whr = format!("{whr} doc {doc} attribution {i} {role}");
            roles[r] = check_spans(a.get(*role), &whr, text_len, conv.as_ref())?;
        }
        let [source, cue, content] = roles;
        out.push(PredAttribution {
            cue,
            source,
            content,
            source_type,
        });
    }
    Ok(())
}

/// Python's `byte_to_char_mapper`: a start inside a character maps to that character, an end
/// inside a character includes it.
struct ByteToChar {
    starts: Vec<i128>,
    total: i128,
}

impl ByteToChar {
    fn new(text: &str) -> ByteToChar {
        ByteToChar {
            starts: text.char_indices().map(|(b, _)| b as i128).collect(),
            total: text.len() as i128,
        }
    }

    fn conv(&self, b: i128, is_end: bool) -> Result<i128> {
        if b < 0 || b > self.total {
            bail!("byte offset {b} out of range 0..{}", self.total);
        }
        if is_end {
            Ok(self.starts.partition_point(|&x| x < b) as i128)
        } else if b < self.total {
            Ok(self.starts.partition_point(|&x| x <= b) as i128 - 1)
        } else {
            Ok(self.starts.len() as i128)
        }
    }
}

fn check_spans(
    value: Option<&Value>,
    whr: &str,
    text_len: usize,
    conv: Option<&ByteToChar>,
) -> Result<Vec<(usize, usize)>> {
    let list = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(l)) => l,
        Some(_) => bail!("{whr}: expected a list of [start, end] pairs"),
    };
    let mut out = Vec::new();
    for sp in list {
        let pair = match sp.as_array().map(Vec::as_slice) {
            Some([a, b]) => int_of(a).zip(int_of(b)),
            _ => None,
        };
        let Some((s0, e0)) = pair else {
            bail!("{whr}: bad span {sp}; expected [start, end] integers");
        };
        if s0 > e0 {
            bail!("{whr}: span {sp} has start > end");
        }
        let (s, e) = match conv {
            Some(c) => (c.conv(s0, false)?, c.conv(e0, true)?),
            None => (s0, e0),
        };
        if s < 0 || e > text_len as i128 {
            bail!("{whr}: span {sp} out of range 0..{text_len}");
        }
        if s < e {
            // 0 <= s < e <= text_len, so both fit in usize.
            out.push((s as usize, e as usize));
        }
    }
    Ok(out)
}

/// A JSON integer (not a float, not a bool), as Python's `isinstance(x, int)` on json.loads output.
fn int_of(v: &Value) -> Option<i128> {
    let n = v.as_number()?;
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

// ---------------------------------------------------------------- metric helpers

/// Non-whitespace code points covered by `spans`, sorted; with `strip_edges`, punctuation at
/// both ends of that sorted list is removed (Python's `char_set`).
fn char_set(spans: &[(usize, usize)], chars: &[char], strip_edges: bool) -> Vec<usize> {
    let mut v: Vec<usize> = spans
        .iter()
        .flat_map(|&(s, e)| s..e.min(chars.len()))
        .filter(|&i| !py_isspace(chars[i]))
        .collect();
    v.sort_unstable();
    v.dedup();
    if strip_edges {
        let lo = v.iter().take_while(|&&i| py_is_punct(chars[i])).count();
        let hi = v.len()
            - v[lo..]
                .iter()
                .rev()
                .take_while(|&&i| py_is_punct(chars[i]))
                .count();
        v.truncate(hi);
        v.drain(..lo);
    }
    v
}

/// Token index of every code point (`NO_TOKEN` for whitespace), tokens as `\w+|[^\w\s]`.
struct DocTokens {
    tok_of_char: Vec<u32>,
    n: usize,
}

const NO_TOKEN: u32 = u32::MAX;

impl DocTokens {
    fn new(text: &str, n_chars: usize) -> DocTokens {
        let mut tok_of_char = vec![NO_TOKEN; n_chars];
        let (mut byte, mut ch) = (0usize, 0usize);
        let mut n = 0usize;
        for (t, m) in TOKEN_RE.find_iter(text).enumerate() {
            ch += text[byte..m.start()].chars().count();
            let len = m.as_str().chars().count();
            for slot in tok_of_char.iter_mut().skip(ch).take(len) {
                *slot = t as u32;
            }
            ch += len;
            byte = m.end();
            n = t + 1;
        }
        DocTokens { tok_of_char, n }
    }

    /// Sorted distinct tokens touched by `spans`.
    fn tokens(&self, spans: &[(usize, usize)]) -> Vec<u32> {
        let mut v = Vec::new();
        self.mark(spans, |t| v.push(t));
        v.sort_unstable();
        v.dedup();
        v
    }

    fn mark(&self, spans: &[(usize, usize)], mut f: impl FnMut(u32)) {
        for &(s, e) in spans {
            let e = e.min(self.tok_of_char.len());
            for &t in self.tok_of_char.get(s..e).unwrap_or(&[]) {
                if t != NO_TOKEN {
                    f(t);
                }
            }
        }
    }
}

/// Each fragment with whitespace trimmed at both ends; empty ones dropped.
fn trimmed_segments<'a>(
    spans: &'a [(usize, usize)],
    chars: &'a [char],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    spans.iter().filter_map(|&(s, e)| {
        let (mut s, mut e) = (s, e.min(chars.len()));
        while s < e && py_isspace(chars[s]) {
            s += 1;
        }
        while e > s && py_isspace(chars[e - 1]) {
            e -= 1;
        }
        (s < e).then_some((s, e))
    })
}

/// Size of the intersection of two sorted, deduplicated lists.
fn inter_len<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn set_f1(g: &[u32], p: &[u32]) -> f64 {
    if g.is_empty() && p.is_empty() {
        return 1.0;
    }
    let inter = inter_len(g, p);
    if inter == 0 {
        0.0
    } else {
        2.0 * inter as f64 / (g.len() + p.len()) as f64
    }
}

/// Greedy one-to-one matching by cue overlap (largest first; ties: lower gold, then lower
/// prediction index). Returns (gold index, prediction index) in the order matched.
fn match_doc(
    gold: &[GoldAttribution],
    pred: &[PredAttribution],
    chars: &[char],
) -> Vec<(usize, usize)> {
    // An inverted index (code point -> gold cues covering it) keeps this linear in cue lengths
    // rather than |gold| x |pred| set intersections.
    let mut index: HashMap<usize, Vec<usize>> = HashMap::new();
    for (gi, g) in gold.iter().enumerate() {
        for c in char_set(&g.cue, chars, false) {
            index.entry(c).or_default().push(gi);
        }
    }
    let mut cands: Vec<(usize, usize, usize)> = Vec::new(); // (overlap, gi, pi)
    let mut count = vec![0usize; gold.len()];
    let mut touched = Vec::new();
    for (pi, p) in pred.iter().enumerate() {
        for c in char_set(&p.cue, chars, false) {
            for &gi in index.get(&c).map(Vec::as_slice).unwrap_or(&[]) {
                if count[gi] == 0 {
                    touched.push(gi);
                }
                count[gi] += 1;
            }
        }
        for gi in touched.drain(..) {
            cands.push((count[gi], gi, pi));
            count[gi] = 0;
        }
    }
    cands.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_g = vec![false; gold.len()];
    let mut used_p = vec![false; pred.len()];
    let mut pairs = Vec::new();
    for (_, gi, pi) in cands {
        if used_g[gi] || used_p[pi] {
            continue;
        }
        used_g[gi] = true;
        used_p[pi] = true;
        pairs.push((gi, pi));
    }
    pairs
}

// ---------------------------------------------------------------- scoring

/// Score predictions against gold (documents in `gold` order; prediction documents not in the
/// gold are ignored). Counts of unknown documents, warnings and input paths are not known here:
/// set them on the report (see [`score_files`], which does what the Python script's main does).
pub fn score(gold: &[GoldDoc], preds: &BTreeMap<String, Vec<PredAttribution>>) -> Report {
    let (mut n_gold, mut n_pred, mut n_match) = (0usize, 0usize, 0usize);
    let (mut src_exact, mut src_overlap) = (0usize, 0usize);
    let (mut src_exact_gold_nonempty, mut n_gold_nonempty_src) = (0usize, 0usize);
    let mut content_f1_sum = 0.0f64;
    let mut tok = [[0usize; 3]; 3]; // per role: tp, pred, gold
    let mut span_exact = [[0usize; 3]; 3];
    let mut source_types: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_doc = BTreeMap::new();
    let mut docs_with_predictions = 0;
    let no_preds = Vec::new();
    for g in gold {
        let chars: Vec<char> = g.text.chars().collect();
        let gatts = &g.attributions;
        let patts = match preds.get(&g.doc) {
            Some(p) => {
                docs_with_predictions += 1;
                p
            }
            None => &no_preds,
        };
        n_gold += gatts.len();
        n_pred += patts.len();
        for a in patts {
            let key = a.source_type.as_deref().unwrap_or("null");
            *source_types.entry(key.to_string()).or_default() += 1;
        }
        let pairs = match_doc(gatts, patts, &chars);
        n_match += pairs.len();
        let toks = DocTokens::new(&g.text, chars.len());
        for &(gi, pi) in &pairs {
            let (ga, pa) = (&gatts[gi], &patts[pi]);
            let gs = char_set(&ga.source, &chars, true);
            let ps = char_set(&pa.source, &chars, true);
            let exact = gs == ps;
            src_exact += usize::from(exact);
            src_overlap += usize::from(inter_len(&gs, &ps) > 0 || (gs.is_empty() && ps.is_empty()));
            if !gs.is_empty() {
                n_gold_nonempty_src += 1;
                src_exact_gold_nonempty += usize::from(exact);
            }
            content_f1_sum += set_f1(&toks.tokens(&ga.content), &toks.tokens(&pa.content));
        }
        let mut marks = vec![0u8; toks.n];
        for r in 0..3 {
            marks.iter_mut().for_each(|m| *m = 0);
            for a in gatts {
                toks.mark(a.role(r), |t| marks[t as usize] |= 1);
            }
            for a in patts {
                toks.mark(a.role(r), |t| marks[t as usize] |= 2);
            }
            for &m in &marks {
                tok[r][0] += usize::from(m == 3);
                tok[r][1] += usize::from(m & 2 != 0);
                tok[r][2] += usize::from(m & 1 != 0);
            }
            let ge: BTreeSet<(usize, usize)> = gatts
                .iter()
                .flat_map(|a| trimmed_segments(a.role(r), &chars))
                .collect();
            let pe: BTreeSet<(usize, usize)> = patts
                .iter()
                .flat_map(|a| trimmed_segments(a.role(r), &chars))
                .collect();
            span_exact[r][0] += ge.intersection(&pe).count();
            span_exact[r][1] += pe.len();
            span_exact[r][2] += ge.len();
        }
        per_doc.insert(
            g.doc.clone(),
            DocCounts {
                gold: gatts.len(),
                pred: patts.len(),
                matched: pairs.len(),
            },
        );
    }
    let ratio = |a: f64, n: usize| if n > 0 { a / n as f64 } else { 0.0 };
    Report {
        counts: Counts {
            docs: gold.len(),
            docs_with_predictions,
            gold_attributions: n_gold,
            pred_attributions: n_pred,
            unknown_pred_docs: Vec::new(),
        },
        attribution: Prf::new(n_match, n_pred, n_gold),
        matched_pairs: MatchedPairs {
            n: n_match,
            source_exact: ratio(src_exact as f64, n_match),
            source_overlap: ratio(src_overlap as f64, n_match),
            source_exact_where_gold_has_source: ratio(
                src_exact_gold_nonempty as f64,
                n_gold_nonempty_src,
            ),
            n_where_gold_has_source: n_gold_nonempty_src,
            content_token_f1: ratio(content_f1_sum, n_match),
        },
        token: tok.map(|[tp, p, g]| Prf::new(tp, p, g)),
        exact_span: span_exact.map(|[tp, p, g]| Prf::new(tp, p, g)),
        pred_source_types: source_types,
        per_doc,
        gold_path: None,
        pred_path: None,
        warnings: Vec::new(),
    }
}

/// What `score_attributions.py --gold DIR --pred FILE` does: read both, score, and fill in the
/// unknown documents, warnings (gold reader's, then the predictions reader's) and absolute paths.
pub fn score_files(gold_dir: &Path, pred_path: &Path) -> Result<Report> {
    let mut warnings = Vec::new();
    let gold = brat::read_split(gold_dir, &mut warnings)?;
    let (preds, unknown) = read_predictions_with_warnings(pred_path, &gold, &mut warnings)?;
    let mut report = score(&gold, &preds);
    report.set_unknown_pred_docs(unknown);
    report.warnings = warnings;
    report.gold_path = Some(abspath(gold_dir));
    report.pred_path = Some(abspath(pred_path));
    Ok(report)
}

/// Python's `os.path.abspath`: joined to the working directory and normalised lexically.
pub fn abspath(p: &Path) -> String {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn data(p: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/eval")
            .join(p)
    }

    /// `../shared/polnear/dev` beside the crate, or None (with a note) when it is absent.
    fn dev_split() -> Option<PathBuf> {
        let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/polnear/dev");
        if d.join("text").is_dir() {
            Some(d)
        } else {
            eprintln!(
                "note: {} absent; PolNeAR agreement check skipped",
                d.display()
            );
            None
        }
    }

    fn load_json(p: &Path) -> Value {
        let s = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    /// Every key and figure of the Python --json output equals ours (floats to 1e-12), except the
    /// absolute input paths in "config".
    fn assert_same(rust: &Value, py: &Value, at: &str) {
        match (rust, py) {
            (Value::Object(a), Value::Object(b)) => {
                let ka: Vec<&String> = a.keys().collect();
                let mut kb: Vec<&String> = b.keys().collect();
                kb.sort();
                assert_eq!(ka, kb, "keys differ at {at}");
                for (k, v) in a {
                    if at == "/config" && (k == "gold" || k == "pred") {
                        continue;
                    }
                    assert_same(v, &b[k], &format!("{at}/{k}"));
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                assert_eq!(a.len(), b.len(), "lengths differ at {at}");
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    assert_same(x, y, &format!("{at}/{i}"));
                }
            }
            (Value::Number(a), Value::Number(b)) => {
                if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
                    assert_eq!(x, y, "at {at}");
                } else {
                    let (x, y) = (
                        a.as_f64().unwrap_or(f64::NAN),
                        b.as_f64().unwrap_or(f64::NAN),
                    );
                    assert!((x - y).abs() < 1e-12, "at {at}: rust {x} python {y}");
                }
            }
            _ => assert_eq!(rust, py, "at {at}"),
        }
    }

    fn tokens_of(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let t = DocTokens::new(text, chars.len());
        let mut out: Vec<String> = Vec::new();
        let mut last = NO_TOKEN;
        for (i, &tk) in t.tok_of_char.iter().enumerate() {
            if tk == NO_TOKEN {
                continue;
            }
            if tk != last {
                out.push(String::new());
                last = tk;
            }
            if let Some(s) = out.last_mut() {
                s.push(chars[i]);
            }
        }
        assert_eq!(out.len(), t.n);
        out
    }

    #[test]
    fn python_character_classes() {
        // re.findall(r"\w+|[^\w\s]", s) in Python 3.11: combining marks are not \w, ½ ² are;
        // U+001F is whitespace to Python (not to Rust), U+200B is not whitespace.
        let s = "Zoe\u{301}'s ½ x² café—“ok” a\u{1f}b c\u{200b}d $5_000";
        let want = [
            "Zoe", "\u{301}", "'", "s", "½", "x²", "café", "—", "“", "ok", "”", "a", "b", "c",
            "\u{200b}", "d", "$", "5_000",
        ];
        assert_eq!(tokens_of(s), want);
        assert!(py_isspace('\u{1c}') && py_isspace('\u{3000}') && !py_isspace('\u{200b}'));
        // unicodedata.category: P* for ! — “ _ ; S* for $ + ^ ` | ~
        assert!("!—“_¿".chars().all(py_is_punct));
        assert!(!"$+^`|~a1".chars().any(py_is_punct));
        let lines: Vec<&str> = universal_lines("a\r\nb\rc\n\nd").collect();
        assert_eq!(lines, ["a", "b", "c", "", "d"]);
    }

    #[test]
    fn source_edges_and_matching_ties() {
        let text = "“Bob,” said X, and Bob said.";
        let chars: Vec<char> = text.chars().collect();
        // punctuation stripped at both edges of the non-whitespace set, not inside
        let s = char_set(&[(0, 6)], &chars, true);
        assert_eq!(s, vec![1, 2, 3]);
        let g = GoldAttribution {
            cue: vec![(7, 11)],
            ..Default::default()
        };
        let p = |s, e| PredAttribution {
            cue: vec![(s, e)],
            ..Default::default()
        };
        // two predictions overlap the gold cue equally: the lower index wins; a whitespace-only
        // cue never matches
        let pairs = match_doc(
            std::slice::from_ref(&g),
            &[p(6, 7), p(8, 12), p(7, 10)],
            &chars,
        );
        assert_eq!(pairs, vec![(0, 1)]);
        let pairs = match_doc(&[g], &[p(6, 7), p(7, 10), p(8, 12)], &chars);
        assert_eq!(pairs, vec![(0, 1)]);
        let conv = ByteToChar::new("aé b");
        // a start inside é maps to é, an end inside é includes it
        assert_eq!(
            (conv.conv(2, false).ok(), conv.conv(2, true).ok()),
            (Some(1), Some(2))
        );
        assert!(conv.conv(6, true).is_err());
    }

    /// The hand-made corpus of ../shared/eval/test_scorer.sh with its hand-computed figures,
    /// and the Python scorer's output on it (tests/data/eval/mini, produced offline).
    #[test]
    fn mini_corpus_matches_hand_computed_and_python() {
        let r = score_files(&data("mini"), &data("mini/pred.jsonl")).expect("mini corpus scores");
        assert_eq!(
            (
                r.counts.docs,
                r.counts.gold_attributions,
                r.counts.pred_attributions
            ),
            (2, 3, 3)
        );
        assert_eq!(r.counts.unknown_pred_docs, ["zzz"]);
        assert_eq!(r.counts.docs_with_predictions, 1);
        assert_eq!(r.attribution.tp, 2);
        assert!((r.attribution_f1() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(
            (r.matched_pairs.source_exact, r.matched_pairs.source_overlap),
            (0.5, 1.0)
        );
        assert!((r.matched_pairs.content_token_f1 - (2.0 * 3.0 / 9.0 + 1.0) / 2.0).abs() < 1e-9);
        let t = |role| r.token(role).map(|p| (p.tp, p.pred, p.gold));
        assert_eq!(t("cue"), Some((2, 4, 3)));
        assert_eq!(t("source"), Some((2, 2, 3)));
        assert_eq!(t("content"), Some((7, 7, 13)));
        assert_eq!(r.pred_source_types.get("named"), Some(&1));
        assert_eq!(r.pred_source_types.get("null"), Some(&2));
        assert_same(
            &r.to_json_per_doc(),
            &load_json(&data("mini/python.json")),
            "",
        );
        let table = std::fs::read_to_string(data("mini/python_table.txt")).unwrap_or_default();
        assert_eq!(r.table(), table.trim_end_matches('\n'));
    }

    #[test]
    fn malformed_predictions_are_rejected_with_file_and_line() {
        let mut w = Vec::new();
        let gold = brat::read_split(&data("mini"), &mut w).expect("mini gold");
        let dir = tempfile::tempdir().expect("tempdir");
        let cases = [
            (
                r#"{"doc": "a", "attributions": [{"cue": [[5, 2]]}]}"#,
                "start > end",
            ),
            (
                r#"{"doc": "a", "attributions": [{"cue": [[0, 100000]]}]}"#,
                "out of range",
            ),
            (
                r#"{"doc": "a", "attributions": [{"cue": [[0, 1.0]]}]}"#,
                "bad span",
            ),
            (
                r#"{"doc": "a", "attributions": [{"cue": [[0, true]]}]}"#,
                "bad span",
            ),
            (
                r#"{"doc": "a", "offset_unit": "byte", "attributions": [{"cue": [[0, 999]]}]}"#,
                "byte offset",
            ),
            (r#"{"doc": "a", "offset_unit": "token"}"#, "offset_unit"),
            (r#"{"doc": "a", "attributions": null}"#, "must be a list"),
            (
                r#"{"doc": "a", "attributions": [{"source_type": 3}]}"#,
                "source_type",
            ),
            (r#"{"doc": 3}"#, "string 'doc'"),
            ("{\"doc\": \"a\"", "invalid JSON"),
        ];
        for (i, (line, want)) in cases.iter().enumerate() {
            let p = dir.path().join(format!("p{i}.jsonl"));
            std::fs::write(&p, format!("\n{{\"doc\": \"b\"}}\n{line}\n")).expect("write");
            let err = read_predictions(&p, &gold).expect_err(line).to_string();
            assert!(
                err.contains(want) && err.contains(&format!("p{i}.jsonl:3")),
                "{line}: {err}"
            );
        }
        // an unknown document is reported, never validated
        let p = dir.path().join("u.jsonl");
        std::fs::write(&p, "{\"doc\": \"zzz.txt\", \"attributions\": 5}\n").expect("write");
        let (preds, unknown) = read_predictions(&p, &gold).expect("unknown doc is fine");
        assert!(preds.is_empty());
        assert_eq!(unknown, ["zzz"]);
    }

    /// Agreement with the Python scorer on PolNeAR dev: gold as predictions (char and byte
    /// offsets), no predictions, and degraded predictions for eight documents (fixtures made
    /// offline with make_degraded.py and score_attributions.py --json --per-doc).
    #[test]
    fn agrees_with_python_scorer_on_polnear_dev() {
        let Some(dev) = dev_split() else { return };
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = Vec::new();
        let gold = brat::read_split(&dev, &mut w).expect("dev gold");
        // gold -> predictions as brat_to_pred.py writes them
        let (mut char_lines, mut byte_lines) = (String::new(), String::new());
        for g in &gold {
            let cum = crate::text::byte_offsets_of_chars(&g.text);
            let atts = |f: &dyn Fn(usize) -> usize| -> Vec<Value> {
                g.attributions
                    .iter()
                    .map(|a| {
                        let sp = |v: &[(usize, usize)]| {
                            v.iter().map(|&(s, e)| [f(s), f(e)]).collect::<Vec<_>>()
                        };
                        serde_json::json!({"source": sp(&a.source), "cue": sp(&a.cue),
                                           "content": sp(&a.content), "source_type": null})
                    })
                    .collect()
            };
            char_lines += &format!(
                "{}\n",
                serde_json::json!({"doc": g.doc, "attributions": atts(&|i| i)})
            );
            byte_lines += &format!(
                "{}\n",
                serde_json::json!({"doc": g.doc, "offset_unit": "byte", "attributions": atts(&|i| cum[i])})
            );
        }
        let cases = [
            ("gold.jsonl", char_lines, "dev_gold_as_pred.python.json"),
            (
                "gold_bytes.jsonl",
                byte_lines,
                "dev_gold_as_pred.python.json",
            ),
            ("empty.jsonl", String::new(), "dev_empty.python.json"),
        ];
        for (name, content, py) in cases {
            let p = dir.path().join(name);
            std::fs::write(&p, content).expect("write");
            let r = score_files(&dev, &p).expect("scores");
            assert_same(&r.to_json_per_doc(), &load_json(&data(py)), "");
        }
        let r = score_files(&dev, &data("dev_subset_degraded.jsonl")).expect("scores");
        assert_same(
            &r.to_json_per_doc(),
            &load_json(&data("dev_subset_degraded.python.json")),
            "",
        );
        let table = std::fs::read_to_string(data("dev_subset_degraded.python_table.txt"))
            .unwrap_or_default();
        assert_eq!(r.table(), table.trim_end_matches('\n'));
    }

    /// By hand: EVAL_GOLD=dir EVAL_PRED=file EVAL_OUT=prefix cargo test --release --lib
    /// dump_report -- --ignored; writes PREFIX.json (--json --per-doc) and PREFIX.txt (table).
    #[test]
    #[ignore]
    fn dump_report() {
        let var = |k| std::env::var(k).unwrap_or_else(|_| panic!("set {k}"));
        let t = std::time::Instant::now();
        let r = score_files(Path::new(&var("EVAL_GOLD")), Path::new(&var("EVAL_PRED")))
            .expect("scores");
        eprintln!("read + scored in {:?}", t.elapsed());
        let out = var("EVAL_OUT");
        std::fs::write(format!("{out}.json"), r.to_json_per_doc().to_string()).expect("write json");
        std::fs::write(format!("{out}.txt"), r.table() + "\n").expect("write table");
    }
}
