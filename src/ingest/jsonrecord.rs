//! One JSONL line read as a record: the fast path ([`super::jsonscan`]) for the common flat
//! record, and serde_json for every other line, which gives the same fields and, for a line
//! that is no record, the words saying why. [`read_record`] is the only way in: callers see
//! one reader, and the tests check that the two agree wherever the fast path answers.

use super::jsonscan::{scan_record, Scalar};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A record's fields by key.
pub(super) type Record<'a> = BTreeMap<Cow<'a, str>, JsonField<'a>>;

/// The fields of `line`, or the message saying why it is no record.
pub(super) fn read_record(line: &str) -> Result<Record<'_>, String> {
    match scan_record(line) {
        Some(fields) => Ok(fields_to_record(fields)),
        None => read_with_serde(line),
    }
}

/// `line` with each `\uXXXX` escape of a lone surrogate (a high one not followed by a low
/// one, or a low one alone) replaced by `\uFFFD`, as a lossy UTF-16 decoder does; `None`
/// when it has none. Such escapes encode no character: serde_json refuses the line for them.
pub(super) fn replace_lone_surrogates(line: &str) -> Option<String> {
    let b = line.as_bytes();
    let escape_at = |i: usize| -> Option<u32> {
        if b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') {
            let hex = std::str::from_utf8(b.get(i + 2..i + 6)?).ok()?;
            u32::from_str_radix(hex, 16).ok()
        } else {
            None
        }
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    // `i` may pass the end: a line can end in a backslash (found by the jsonl fuzz target).
    while let Some(at) = b.get(i..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let at = i + at;
        let lone = match escape_at(at) {
            Some(0xD800..=0xDBFF) => {
                if matches!(escape_at(at + 6), Some(0xDC00..=0xDFFF)) {
                    i = at + 12;
                    continue;
                }
                true
            }
            Some(0xDC00..=0xDFFF) => true,
            _ => false,
        };
        if lone {
            let o = out.get_or_insert_with(|| String::with_capacity(line.len()));
            o.push_str(&line[copied..at]);
            o.push_str("\\uFFFD");
            copied = at + 6;
            i = at + 6;
        } else {
            // Any other escape (`\\` among them) is two bytes that cannot start another.
            i = at + 2;
        }
    }
    let mut o = out?;
    o.push_str(&line[copied..]);
    Some(o)
}

pub(super) fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// serde_json's message without its " at line L column C" suffix (we say where ourselves).
pub(super) fn json_error_text(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&suffix).unwrap_or(&full);
    let hint = if e.is_eof() {
        " (a record must be one JSON object on one line)"
    } else {
        ""
    };
    format!(
        "invalid JSON at column {}: {msg}{hint}; record skipped, fix the line",
        e.column()
    )
}

/// A field of a JSONL record: a string, borrowed from the line when it has no escapes, or
/// any other JSON value (built as [`serde_json::Value`] builds it).
#[derive(Debug, PartialEq)]
pub(super) enum JsonField<'a> {
    Str(Cow<'a, str>),
    Other(serde_json::Value),
}

impl JsonField<'_> {
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            JsonField::Str(_) => "a string",
            JsonField::Other(v) => json_type(v),
        }
    }
}

impl<'de> Deserialize<'de> for JsonField<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonFieldVisitor)
    }
}

/// Accepts any JSON value, as [`serde_json::Value`] does, so that a record is read with the
/// same checks (and errors) as by `serde_json::from_str::<Value>`, without a `Value` for its
/// strings.
struct JsonFieldVisitor;

impl<'de> Visitor<'de> for JsonFieldVisitor {
    type Value = JsonField<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(JsonField::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(JsonField::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(JsonField::Str(Cow::Owned(v)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Value::Number(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Value::Number(v.into())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Number::from_f64(v).map_or(
            serde_json::Value::Null,
            serde_json::Value::Number,
        )))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element::<serde_json::Value>()? {
            v.push(x);
        }
        Ok(JsonField::Other(serde_json::Value::Array(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = serde_json::Map::new();
        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
            m.insert(k, v);
        }
        Ok(JsonField::Other(serde_json::Value::Object(m)))
    }
}

/// A JSON object's fields by key (a later duplicate replaces the value, as in
/// [`serde_json::Map`], whose order of keys this is too).
struct JsonRecord<'a>(Record<'a>);

impl<'de> Deserialize<'de> for JsonRecord<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = JsonRecord<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut m = BTreeMap::new();
                // A key is read as a field: serde_json gives every key as a string, borrowed
                // from the line when it has no escapes.
                while let Some(key) = map.next_key::<JsonField>()? {
                    let JsonField::Str(k) = key else {
                        return Err(serde::de::Error::custom("a record key must be a string"));
                    };
                    let v: JsonField = map.next_value()?;
                    m.insert(k, v);
                }
                Ok(JsonRecord(m))
            }
        }
        d.deserialize_map(RecordVisitor)
    }
}

/// The fields of [`scan_record`] as serde_json reads them into a [`JsonRecord`]: a later
/// repeated key replaces the value.
fn fields_to_record<'a>(fields: Vec<(Cow<'a, str>, Scalar<'a>)>) -> Record<'a> {
    let mut m = BTreeMap::new();
    for (k, v) in fields {
        let v = match v {
            Scalar::Str(s) => JsonField::Str(s),
            Scalar::UInt(n) => JsonField::Other(serde_json::Value::Number(n.into())),
            Scalar::Bool(b) => JsonField::Other(serde_json::Value::Bool(b)),
            Scalar::Null => JsonField::Other(serde_json::Value::Null),
        };
        m.insert(k, v);
    }
    m
}

/// A line read with serde_json: its fields, or the message saying why it is no record.
/// A line that does not open an object is not a record: what it is (or why it is not
/// JSON) in the words of the full parse. Objects are read field by field, their
/// strings borrowed from the line.
fn read_with_serde(line: &str) -> Result<Record<'_>, String> {
    if !line
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .starts_with('{')
    {
        return match serde_json::from_str::<serde_json::Value>(line) {
            Ok(value) => Err(format!(
                "expected a JSON object per line, found {}",
                json_type(&value)
            )),
            Err(e) => Err(json_error_text(&e)),
        };
    }
    match serde_json::from_str::<JsonRecord>(line) {
        Ok(r) => Ok(r.0),
        Err(e) => Err(json_error_text(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both readers on one line: the fast path's fields when it answers, with serde_json's.
    fn both(line: &str) -> Option<(Record<'_>, Result<Record<'_>, String>)> {
        let fast = scan_record(line).map(fields_to_record)?;
        Some((fast, read_with_serde(line)))
    }

    #[test]
    fn fast_path_reads_what_serde_json_reads() {
        let valid = r#"{"id": "a1", "text": "He said \"no\".\n\u00e9 \ud83d\ude00", "n": 12, "b": true, "z": null, "id": "a2"}"#;
        let (fast, slow) = both(valid).expect("the common record takes the fast path");
        assert_eq!(Ok(&fast), slow.as_ref());
        assert_eq!(fast.get("id"), Some(&JsonField::Str(Cow::Borrowed("a2"))));
        // Every line one edit away from the record (a character dropped, or a piece of JSON
        // put in): wherever the fast path answers, serde_json reads the same fields.
        let pieces = [
            "\"", "\\", ",", ":", "}", "{", "1", "-", ".", "e", " ", "\u{1}", "[1]",
        ];
        let chars: Vec<char> = valid.chars().collect();
        let (mut answered, mut declined) = (0, 0);
        for at in 0..=chars.len() {
            let dropped: String = chars
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != at)
                .map(|(_, c)| c)
                .collect();
            let inserted = pieces.iter().map(|p| {
                let (head, tail) = chars.split_at(at);
                head.iter()
                    .chain(p.chars().collect::<Vec<_>>().iter())
                    .chain(tail)
                    .collect::<String>()
            });
            for line in std::iter::once(dropped).chain(inserted) {
                match both(&line) {
                    Some((fast, slow)) => {
                        answered += 1;
                        assert_eq!(Ok(fast), slow, "{line}");
                    }
                    None => declined += 1,
                }
            }
        }
        assert!(answered > 100 && declined > 100, "{answered} {declined}");
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let cases = [
            (r#"{"t":"a\udc00b"}"#, Some(r#"{"t":"a\uFFFDb"}"#)),
            (r#"{"t":"\ud800"}"#, Some(r#"{"t":"\uFFFD"}"#)),
            (
                r#"{"t":"\ud800\ud800\udc00"}"#,
                Some(r#"{"t":"\uFFFD\ud800\udc00"}"#),
            ),
            (r#"{"t":"\udbff\udfff x"}"#, None),
            (r#"{"t":"\\udc00"}"#, None),
            (r#"{"t":"\\\udc00"}"#, Some(r#"{"t":"\\\uFFFD"}"#)),
            (r#"{"t":"\u00e9 \n"}"#, None),
            (r#"{"t":"\udc0"}"#, None),
        ];
        for (line, want) in cases {
            assert_eq!(replace_lone_surrogates(line).as_deref(), want, "{line}");
        }
        // A line that ends in a backslash, with or without a lone surrogate before it.
        assert_eq!(replace_lone_surrogates(r#"{"id\M"id\"#), None);
        assert_eq!(
            replace_lone_surrogates(r#"{"t":"\ud800 \"#).as_deref(),
            Some(r#"{"t":"\uFFFD \"#)
        );
        // The repaired line reads, with U+FFFD where the surrogate was.
        let fixed = replace_lone_surrogates(r#"{"id":"a","text":"x\udc00y"}"#).unwrap();
        let rec = read_record(&fixed).unwrap();
        assert_eq!(rec["text"], JsonField::Str("x\u{FFFD}y".into()));
    }

    #[test]
    fn lines_the_fast_path_declines_are_read_by_serde_json() {
        let nested = r#"{"id": "a", "text": "t", "tags": [1, {"x": "y"}], "f": -1.5}"#;
        assert!(scan_record(nested).is_none());
        let record = read_record(nested).expect("a record");
        assert_eq!(
            record.get("text"),
            Some(&JsonField::Str(Cow::Borrowed("t")))
        );
        assert_eq!(record.get("f").map(JsonField::type_name), Some("a number"));
        assert_eq!(
            read_record("[1]"),
            Err("expected a JSON object per line, found an array".to_string())
        );
        let cut = read_record(r#"{"id": "a""#).expect_err("cut record");
        assert!(cut.contains("one JSON object on one line"), "{cut}");
    }
}
