//! A fast reading of the common JSONL record: one flat object whose values are strings,
//! unsigned integers, booleans or null. It accepts only what is valid JSON and gives the
//! values serde_json gives; anything else (nested values, other numbers, unusual escapes,
//! any error) gives `None`, and the caller reads the line with serde_json, whose words
//! then describe what is wrong. Strings are borrowed from the line when they have no
//! escapes; a string is searched for its end with a vector search (`bytescan`).

use crate::bytescan::{self, ByteSet};
use std::borrow::Cow;

/// A value of a flat record.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Scalar<'a> {
    Str(Cow<'a, str>),
    UInt(u64),
    Bool(bool),
    Null,
}

/// The fields of `line`, in order (a repeated key appears twice), when the line is one
/// valid JSON object of scalars as above; `None` otherwise.
pub(super) fn scan_record(line: &str) -> Option<Vec<(Cow<'_, str>, Scalar<'_>)>> {
    let b = line.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut fields = Vec::with_capacity(4);
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            if b.get(i) != Some(&b'"') {
                return None;
            }
            let (key, j) = string(line, i + 1)?;
            i = skip_ws(b, j);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(b, i + 1);
            let (value, j) = scalar(line, i)?;
            fields.push((key, value));
            i = skip_ws(b, j);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    // Only whitespace may follow the object.
    (skip_ws(b, i) == b.len()).then_some(fields)
}

/// The first index at or after `i` that is not JSON whitespace.
#[inline]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// A scalar starting at `i`, and the index after it. What follows it is checked by the
/// caller (a `,` or `}` after optional whitespace), so `12.5`, `1e3` or `truex` fail there.
fn scalar(line: &str, i: usize) -> Option<(Scalar<'_>, usize)> {
    let b = line.as_bytes();
    let rest = b.get(i..)?;
    match *rest.first()? {
        b'"' => {
            let (s, j) = string(line, i + 1)?;
            Some((Scalar::Str(s), j))
        }
        b't' if rest.starts_with(b"true") => Some((Scalar::Bool(true), i + 4)),
        b'f' if rest.starts_with(b"false") => Some((Scalar::Bool(false), i + 5)),
        b'n' if rest.starts_with(b"null") => Some((Scalar::Null, i + 4)),
        b'0'..=b'9' => {
            let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            // No leading zero (not JSON), and few enough digits for any u64.
            if n > 18 || (n > 1 && rest.first() == Some(&b'0')) {
                return None;
            }
            let v = line.get(i..i + n)?.parse().ok()?;
            Some((Scalar::UInt(v), i + n))
        }
        _ => None,
    }
}

/// The string whose contents start at `start` (after the opening quote), and the index
/// after its closing quote.
fn string(line: &str, start: usize) -> Option<(Cow<'_, str>, usize)> {
    let b = line.as_bytes();
    let end = start + find_special(b.get(start..)?);
    match b.get(end)? {
        b'"' => return Some((Cow::Borrowed(line.get(start..end)?), end + 1)),
        b'\\' => {}
        _ => return None, // a control character: not allowed in a JSON string
    }
    let mut out = String::with_capacity(b.len() - start);
    out.push_str(line.get(start..end)?);
    let mut i = end;
    loop {
        // b[i] is a backslash.
        let e = *b.get(i + 1)?;
        i += 2;
        match e {
            b'"' => out.push('"'),
            b'\\' => out.push('\\'),
            b'/' => out.push('/'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let hi = hex4(b, i)?;
                i += 4;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    // A surrogate pair; anything else is left to serde_json.
                    if b.get(i..i + 2) != Some(b"\\u") {
                        return None;
                    }
                    let lo = hex4(b, i + 2)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    i += 6;
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                // None for a lone low surrogate.
                out.push(char::from_u32(c)?);
            }
            _ => return None,
        }
        let k = find_special(b.get(i..)?);
        out.push_str(line.get(i..i + k)?);
        i += k;
        match b.get(i)? {
            b'"' => return Some((Cow::Owned(out), i + 1)),
            b'\\' => {}
            _ => return None,
        }
    }
}

/// Four hex digits at `i`.
fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let digits = b.get(i..i + 4)?;
    digits
        .iter()
        .try_fold(0u32, |v, &d| Some(v * 16 + (d as char).to_digit(16)?))
}

/// The bytes that end a run of plain string bytes: a quote, a backslash or a control byte.
struct Special;

impl ByteSet for Special {
    const BYTES: &'static [u8] = b"\"\\";
    const BELOW: u8 = 0x20;
}

/// Index of the first [`Special`] byte of `s`, or its length.
#[inline]
fn find_special(s: &[u8]) -> usize {
    bytescan::find::<Special>(s).unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::{find_special, scan_record, Scalar, Special};
    use crate::bytescan::ByteSet;
    use std::borrow::Cow;

    /// What serde_json makes of the line, in the same terms (None when it fails or when the
    /// object holds values the scan does not take).
    fn by_serde(line: &str) -> Option<Vec<(String, Scalar<'static>)>> {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        let mut out = Vec::new();
        for (k, v) in v.as_object()? {
            let s = match v {
                serde_json::Value::String(s) => Scalar::Str(Cow::Owned(s.clone())),
                serde_json::Value::Bool(b) => Scalar::Bool(*b),
                serde_json::Value::Null => Scalar::Null,
                serde_json::Value::Number(n) => Scalar::UInt(n.as_u64()?),
                _ => return None,
            };
            out.push((k.clone(), s));
        }
        Some(out)
    }

    /// The scan's fields with the last of a repeated key kept, sorted, as serde_json's map.
    fn by_scan(line: &str) -> Option<Vec<(String, Scalar<'static>)>> {
        let mut m = std::collections::BTreeMap::new();
        for (k, v) in scan_record(line)? {
            let v = match v {
                Scalar::Str(s) => Scalar::Str(Cow::Owned(s.into_owned())),
                Scalar::UInt(n) => Scalar::UInt(n),
                Scalar::Bool(b) => Scalar::Bool(b),
                Scalar::Null => Scalar::Null,
            };
            m.insert(k.into_owned(), v);
        }
        Some(m.into_iter().collect())
    }

    #[test]
    fn agrees_with_serde_json_or_declines() {
        let long = "abc ’ def ".repeat(40);
        let lines = [
            r#"{"id": "a", "text": "plain"}"#.to_string(),
            r#"  {"id":1,"text":"x","corpus":"c"}  "#.to_string(),
            "\t{\"id\" :\r\n \"b\" , \"text\": \"t\"}\n".to_string(),
            r#"{}"#.to_string(),
            r#"{ }"#.to_string(),
            format!(r#"{{"id": "x", "text": "{long}\n\n\"{long}\" \\ \/ \b \f \r \t"}}"#),
            r#"{"id": "\u00e9\u2019\ud83d\ude00", "text": "\uD83D\uDE00 \u0041"}"#.to_string(),
            r#"{"id": "a", "id": "b", "text": "dup"}"#.to_string(),
            r#"{"n": 0, "m": 123456789012345678, "t": true, "f": false, "z": null, "text": ""}"#
                .to_string(),
            r#"{"a\"b": "k", "text": "y"}"#.to_string(),
            // Declined or invalid:
            r#"{"n": 1.5}"#.to_string(),
            r#"{"n": 1e3}"#.to_string(),
            r#"{"n": -1}"#.to_string(),
            r#"{"n": 01}"#.to_string(),
            r#"{"n": 1234567890123456789012}"#.to_string(),
            r#"{"n": [1]}"#.to_string(),
            r#"{"n": {"a": 1}}"#.to_string(),
            r#"{"n": truex}"#.to_string(),
            r#"{"n": tru}"#.to_string(),
            r#"{"n": "a" "b"}"#.to_string(),
            r#"{"n": "a",}"#.to_string(),
            r#"{"n": "a"} x"#.to_string(),
            r#"{"n": "a"}}"#.to_string(),
            r#"{"n": "a""#.to_string(),
            r#"{"n": "a"#.to_string(),
            r#"{"n": "a\"#.to_string(),
            r#"{"n": "\x"}"#.to_string(),
            r#"{"n": "\u12"}"#.to_string(),
            r#"{"n": "\u12g4"}"#.to_string(),
            r#"{"n": "\ud800"}"#.to_string(),
            r#"{"n": "\ud800\u0041"}"#.to_string(),
            r#"{"n": "\udc00"}"#.to_string(),
            "{\"n\": \"tab\there\"}".to_string(),
            "{\"n\": \"nul\u{0}\"}".to_string(),
            r#"{n: "a"}"#.to_string(),
            r#"["a"]"#.to_string(),
            r#""a""#.to_string(),
            r#"{"n" "a"}"#.to_string(),
            "".to_string(),
        ];
        for line in &lines {
            let scan = by_scan(line);
            if scan.is_some() {
                assert_eq!(scan, by_serde(line), "{line}");
            }
        }
        // The common records are read by the scan, not left to serde_json.
        for line in &lines[..10] {
            assert!(scan_record(line).is_some(), "{line}");
        }
        assert_eq!(
            scan_record(r#"{"t": "x\"y"}"#).map(|f| f[0].1.clone()),
            Some(Scalar::Str(Cow::Owned("x\"y".to_string())))
        );
        assert!(matches!(
            scan_record(r#"{"t": "xy"}"#).map(|f| f[0].1.clone()),
            Some(Scalar::Str(Cow::Borrowed("xy")))
        ));
    }

    #[test]
    fn random_lines_agree_with_serde_json_or_are_declined() {
        // Lines made of JSON's significant pieces, and mutations of a valid record: wherever
        // the scan answers, serde_json reads the same fields.
        let pieces = [
            "{", "}", "[", "]", "\"", "\\", ":", ",", " ", "\t", "\n", "0", "1", "9", "-", ".",
            "e", "true", "false", "null", "tru", "\\u", "d83d", "de00", "00e9", "\\n", "\\\"", "a",
            "é", "’", "\u{1}", "\u{7f}", "\"id\"", "\"text\"", "\"x\":",
        ];
        let valid = r#"{"id": "a1", "text": "He said \"no\".\n\u00e9", "n": 12, "b": true}"#;
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut accepted = 0;
        for round in 0..60_000 {
            let line = if round % 2 == 0 {
                let mut l = String::from("{");
                for _ in 0..next(12) {
                    l.push_str(pieces[next(pieces.len())]);
                }
                l
            } else {
                let mut l: Vec<char> = valid.chars().collect();
                for _ in 0..1 + next(2) {
                    let at = next(l.len() + 1);
                    match next(3) {
                        0 if at < l.len() => {
                            l.remove(at);
                        }
                        _ => {
                            let p: Vec<char> = pieces[next(pieces.len())].chars().collect();
                            l.splice(at..at, p);
                        }
                    }
                }
                l.into_iter().collect()
            };
            let scan = by_scan(&line);
            if scan.is_some() {
                accepted += 1;
                assert_eq!(scan, by_serde(&line), "{line}");
            }
        }
        assert!(accepted > 1000, "{accepted}");
    }

    #[test]
    fn finds_the_first_special_byte_at_every_offset() {
        for len in 0..70 {
            for at in 0..=len {
                for c in [b'"', b'\\', 0u8, 0x1f] {
                    let mut s = vec![b'a'; len];
                    s.iter_mut().step_by(3).for_each(|x| *x = 0xe2); // high bytes pass
                    if let Some(x) = s.get_mut(at) {
                        *x = c;
                    }
                    let want = s.iter().position(|&c| Special::contains(c)).unwrap_or(len);
                    assert_eq!(find_special(&s), want, "len {len} at {at} byte {c}");
                }
            }
        }
        assert!(!Special::contains(0x20) && !Special::contains(0x7f) && !Special::contains(0xff));
    }
}
