//! Character classes. Tokens must equal the scorer's `\w+|[^\w\s]` (Python `re`, str
//! patterns), so "word" and "space" follow Python's definitions, not Rust's.

use super::pyword;

pub(super) const C_OTHER: u8 = 0;
pub(super) const C_WORD: u8 = 1;
pub(super) const C_SPACE: u8 = 2;
/// A line break: ends a paragraph.
pub(super) const C_BREAK: u8 = 3;

/// The class of an ASCII byte.
pub(super) const fn ascii_class(c: u8) -> u8 {
    if c.is_ascii_alphanumeric() || c == b'_' {
        C_WORD
    } else if c == b'\n' || c == b'\r' {
        C_BREAK
    } else if c == b' ' || c == b'\t' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1f) {
        // Python's str.isspace() also counts the ASCII separators 0x1C..0x1F.
        C_SPACE
    } else {
        C_OTHER
    }
}

/// A lookup table of `$class` (a `const fn(u8) -> u8`) for the bytes `0..$n`.
macro_rules! byte_table {
    ($n:expr, $class:ident) => {{
        let mut t = [0u8; $n];
        let mut b = 0;
        while b < $n {
            t[b] = $class(b as u8);
            b += 1;
        }
        t
    }};
}
pub(super) use byte_table;

/// [`ascii_class`] of every ASCII byte, looked up on the hot paths.
pub(super) static ASCII_CLASS: [u8; 128] = byte_table!(128, ascii_class);

/// Python `\w` for a non-ASCII char: letters (L*) and numerics (N*). Rust's
/// `is_alphanumeric` also admits marks and symbols with the Other_Alphabetic property,
/// which Python does not.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !pyword::excluded(c)
}

#[inline]
pub(super) fn class_of(c: char) -> u8 {
    match ASCII_CLASS.get(c as usize) {
        Some(&class) => class,
        None => class_of_non_ascii(c),
    }
}

#[inline(never)]
fn class_of_non_ascii(c: char) -> u8 {
    if matches!(c, '\u{2010}'..='\u{2027}') {
        // Dashes, curly quotes, bullets and the ellipsis, the usual non-ASCII chars of news
        // text: none is a space or a word char, so the Unicode tables need not be asked.
        C_OTHER
    } else if c == '\u{2028}' || c == '\u{2029}' {
        C_BREAK
    } else if c.is_whitespace() {
        C_SPACE
    } else if is_word_char(c) {
        C_WORD
    } else {
        C_OTHER
    }
}

/// The char starting at byte `i` (which must be a char boundary) and its length.
#[inline]
pub(super) fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

#[inline]
pub(super) fn char_before(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i.checked_sub(1)?)?;
    if b < 0x80 {
        return Some(b as char);
    }
    text.get(..i)?.chars().next_back()
}

pub(super) fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '–' | '—' | '―' | '\u{2E3A}' | '\u{2E3B}'
    )
}

/// Characters after which a straight quote opens rather than closes.
pub(super) fn is_opening_context(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '<' | '“' | '‘' | '„' | '«' | '/') || is_dash(c)
}

pub(super) fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…' | '。' | '？' | '！' | '‼' | '⁇')
}

/// End of the word token starting at `i` (a word char) and whether it is all numeric:
/// Python's `\w+`, char by char.
#[inline(never)]
pub(super) fn scan_word(text: &str, i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut j = i;
    let mut numeric = true;
    while let Some(&b) = bytes.get(j) {
        if b < 0x80 {
            if ASCII_CLASS[b as usize] != C_WORD {
                break;
            }
            numeric &= b.is_ascii_digit();
            j += 1;
        } else {
            match char_at(text, j) {
                Some((c, len)) if class_of(c) == C_WORD => {
                    numeric &= c.is_numeric();
                    j += len;
                }
                _ => break,
            }
        }
    }
    (j, numeric)
}
