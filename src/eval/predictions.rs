//! Reading a predictions JSONL file as score_attributions.py reads it: one object per line
//! naming a gold document, spans checked against its text (code points, or bytes with
//! `"offset_unit": "byte"`).

use super::brat::{GoldAttribution, GoldDoc};
use super::python::{py_strip, universal_lines};
use super::ROLES;
use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Predictions by document name.
pub type Predictions = BTreeMap<String, Vec<PredAttribution>>;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::brat::read_split;

    #[test]
    fn byte_offsets_map_to_code_points() {
        let conv = ByteToChar::new("aé b");
        // a start inside é maps to é, an end inside é includes it
        assert_eq!(
            (conv.conv(2, false).ok(), conv.conv(2, true).ok()),
            (Some(1), Some(2))
        );
        assert!(conv.conv(6, true).is_err());
    }

    #[test]
    fn malformed_predictions_are_rejected_with_file_and_line() {
        let mut w = Vec::new();
        let mini = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval/mini");
        let gold = read_split(&mini, &mut w).expect("mini gold");
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
}
