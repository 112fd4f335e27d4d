//! Python's text rules as score_attributions.py (Python 3.11) meets them: `str.isspace`,
//! `str.strip`, universal newlines, and the two classes it gets from `re` and `unicodedata`
//! (tokens `\w+|[^\w\s]`, punctuation `P*`), so that every figure can be diffed with the
//! Python scorer's.

use regex::Regex;

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

/// The scorer's regex-defined classes, compiled once where scoring starts ([`super::score`])
/// and handed down, rather than held in process-wide statics.
pub struct PyClasses {
    token: Regex,
    punct: Regex,
}

impl PyClasses {
    // The patterns are constants exercised by the unit tests, so compilation cannot fail at
    // run time.
    pub fn compile() -> PyClasses {
        PyClasses {
            token: Regex::new(TOKEN_PATTERN).expect("constant token pattern compiles"),
            punct: Regex::new(r"^\p{P}$").expect("constant punctuation pattern compiles"),
        }
    }

    /// `unicodedata.category(c)[0] == "P"`.
    pub fn is_punct(&self, c: char) -> bool {
        let mut buf = [0u8; 4];
        self.punct.is_match(c.encode_utf8(&mut buf))
    }

    /// The tokens of `text` as `re.finditer(r"\w+|[^\w\s]", text)` finds them.
    pub fn tokens<'r, 't>(&'r self, text: &'t str) -> regex::Matches<'r, 't> {
        self.token.find_iter(text)
    }
}

/// `str.strip()` with Python's whitespace.
pub(super) fn py_strip(s: &str) -> &str {
    s.trim_matches(py_isspace)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_character_classes() {
        assert!(py_isspace('\u{1c}') && py_isspace('\u{3000}') && !py_isspace('\u{200b}'));
        // unicodedata.category: P* for ! — “ _ ; S* for $ + ^ ` | ~
        let py = PyClasses::compile();
        assert!("!—“_¿".chars().all(|c| py.is_punct(c)));
        assert!(!"$+^`|~a1".chars().any(|c| py.is_punct(c)));
        let lines: Vec<&str> = universal_lines("a\r\nb\rc\n\nd").collect();
        assert_eq!(lines, ["a", "b", "c", "", "d"]);
        assert_eq!(py_strip("\u{1f} x y\u{a0}"), "x y");
    }
}
