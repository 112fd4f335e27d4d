//! Sentence and paragraph rules: where a sentence ends inside a paragraph (terminators,
//! abbreviations, initials, decimals, quotes closed before a speech verb), and the cap that
//! keeps a sentence short.

use super::lex::{AbbrevClass, Lexicon};
use super::{Paragraph, Segmented, Sentence, Token, TokenKind};
use crate::doc::Span;

/// What follows a candidate sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Upper,
    Lower,
    /// A number or a currency sign.
    Digit,
    OpenQuote,
    OpenBracket,
    Other,
}

#[inline]
pub(super) fn first_char(text: &str, t: &Token) -> char {
    if let Some(&b) = text.as_bytes().get(t.span.start) {
        if b < 0x80 {
            return b as char;
        }
    }
    text.get(t.span.start..)
        .and_then(|s| s.chars().next())
        .unwrap_or(' ')
}

fn classify_next(text: &str, t: &Token) -> Next {
    let c = first_char(text, t);
    match t.kind {
        TokenKind::OpenQuote => Next::OpenQuote,
        TokenKind::Number => Next::Digit,
        TokenKind::Word => {
            if c.is_lowercase() {
                Next::Lower
            } else if c.is_numeric() {
                Next::Digit
            } else if c.is_alphabetic() {
                // Upper- and title-case, and scripts without case.
                Next::Upper
            } else {
                Next::Other
            }
        }
        _ => match c {
            '(' | '[' => Next::OpenBracket,
            '$' | '£' | '€' | '¥' => Next::Digit,
            _ => Next::Other,
        },
    }
}

/// Adds the sentences and the paragraph for tokens `p0..` (those pushed since the
/// paragraph began); nothing for a paragraph without tokens. `terms` lists, in order, the
/// tokens among them that are sentence terminators (`Punct` tokens `.`, `?`, `!`, `…`, ...).
pub(super) fn finish_paragraph(
    text: &str,
    lex: &Lexicon,
    seg: &mut Segmented,
    p0: usize,
    terms: &[usize],
) {
    let p1 = seg.tokens.len();
    if p0 >= p1 {
        return;
    }
    let para = seg.paragraphs.len();
    let s_first = seg.sentences.len();
    let toks = &seg.tokens;
    let mut s = p0;
    let mut k = p0;
    let mut t = 0;
    while let Some(&first) = terms.get(t) {
        t += 1;
        if first < k || first >= p1 {
            continue;
        }
        // A run of terminators: ?!, ... spelled as full stops.
        let mut last = first;
        while terms.get(t) == Some(&(last + 1)) {
            last += 1;
            t += 1;
        }
        // Closing quotes and brackets belong to the sentence they close.
        let mut e = last;
        while e + 1 < p1
            && (toks[e + 1].kind == TokenKind::CloseQuote
                || matches!(first_char(text, &toks[e + 1]), ')' | ']' | '}'))
        {
            e += 1;
        }
        if e + 1 < p1 && ends_sentence(text, lex, &toks[..p1], s, first, last, e) {
            push_bounded(toks, &mut seg.sentences, s, e + 1, para);
            s = e + 1;
        }
        k = e + 1;
    }
    let toks = &seg.tokens;
    push_bounded(toks, &mut seg.sentences, s, p1, para);
    seg.paragraphs.push(Paragraph {
        span: Span::new(toks[p0].span.start, toks[p1 - 1].span.end),
        sentences: s_first..seg.sentences.len(),
    });
}

/// Does the sentence end after token `e`? Tokens `first..=last` are terminators
/// (`.`, `?`, `!`, `…`), `last+1..=e` closing quotes or brackets, `s` starts the
/// current sentence, and token `e + 1` exists; `toks` ends with the paragraph.
fn ends_sentence(
    text: &str,
    lex: &Lexicon,
    toks: &[Token],
    s: usize,
    first: usize,
    last: usize,
    e: usize,
) -> bool {
    let nt = &toks[e + 1];
    if toks[e].span.end == nt.span.start {
        return false; // no space: 3.5, U.S.-led, Breitbart.com
    }
    let next = classify_next(text, nt);
    let general = matches!(
        next,
        Next::Upper | Next::Digit | Next::OpenQuote | Next::OpenBracket
    );
    let term_bytes = text
        .as_bytes()
        .get(toks[first].span.start..toks[last].span.end)
        .unwrap_or(&[]);
    let closed_by_quote = toks[last + 1..=e]
        .iter()
        .any(|t| t.kind == TokenKind::CloseQuote);
    if closed_by_quote && next == Next::Upper && speaker_follows(text, lex, &toks[e + 1..]) {
        return false; // “Why?” Trump asked.
    }
    match term_bytes {
        [b'.'] => {} // the usual case, below
        [b'?' | b'!'] => return general,
        _ => {
            let term: &str = text
                .get(toks[first].span.start..toks[last].span.end)
                .unwrap_or("");
            if term.contains(['?', '!', '？', '！', '‼', '⁇']) {
                return general;
            }
            if term.contains('…') || term.len() > 1 {
                // An ellipsis after a space marks an omission inside a sentence.
                let attached = first > s && toks[first - 1].span.end == toks[first].span.start;
                return attached && general;
            }
        }
    }
    // A single full stop.
    if closed_by_quote || first <= s {
        return general;
    }
    let p = first - 1;
    let pt = &toks[p];
    if p == s && pt.kind == TokenKind::Number {
        return false; // a list number: "2. U.N. PANEL RULES ..."
    }
    if pt.span.end != toks[first].span.start || pt.kind != TokenKind::Word {
        return general;
    }
    // Dotted chains of short alphabetic parts: U.S, p.m, W.Va, Ph.D.
    let short = |t: &Token| t.kind == TokenKind::Word && t.span.len() <= 3;
    let mut c = p;
    while c >= s + 2
        && p - c < 12
        && short(&toks[c])
        && short(&toks[c - 2])
        && toks[c - 2].span.end == toks[c - 1].span.start
        && toks[c - 1].span.end == toks[c].span.start
        && text.get(toks[c - 1].span.start..toks[c - 1].span.end) == Some(".")
    {
        c -= 2;
    }
    let key_range = toks[c].span.start..pt.span.end;
    let key_bytes = text.as_bytes().get(key_range.clone()).unwrap_or(&[]);
    // The list is asked only when a key of that length and first byte may be in it.
    let listed = if lex.may_be_abbrev(key_bytes) {
        lex.abbrev(text.get(key_range.clone()).unwrap_or(""))
    } else {
        None
    };
    let class = match listed {
        Some(class) => Some(class),
        // Dotted chains, and initials: one uppercase letter.
        None if c < p => Some(AbbrevClass::Ambiguous),
        None => {
            let initial = match key_bytes {
                [b] => b.is_ascii_uppercase(),
                [b, ..] if *b >= 0x80 => {
                    let mut cs = text.get(key_range).unwrap_or("").chars();
                    matches!((cs.next(), cs.next()), (Some(a), None) if a.is_uppercase())
                }
                _ => false,
            };
            initial.then_some(AbbrevClass::Ambiguous)
        }
    };
    let starter = || match next {
        Next::Upper => lex.is_starter(text.get(nt.span.start..nt.span.end).unwrap_or("")),
        Next::OpenQuote => true,
        _ => false,
    };
    match class {
        None => general,
        Some(AbbrevClass::Title | AbbrevClass::Never) => false,
        Some(AbbrevClass::Numeric) => next != Next::Digit && starter(),
        Some(AbbrevClass::Ambiguous) => starter(),
    }
}

/// Up to three capitalized words, then a speech verb: `Trump said`, `Sen. Ted Cruz asked`.
fn speaker_follows(text: &str, lex: &Lexicon, rest: &[Token]) -> bool {
    for (n, t) in rest.iter().take(6).enumerate() {
        let w = text.get(t.span.start..t.span.end).unwrap_or("");
        if t.kind != TokenKind::Word {
            // The full stop of a title inside the name: Sen. Cruz.
            if w == "." && n > 0 {
                continue;
            }
            return false;
        }
        if lex.is_speech_verb(w) {
            return n > 0;
        }
        if !first_char(text, t).is_uppercase() {
            return false;
        }
    }
    false
}

/// Longest sentence, in tokens. Real sentences are far shorter; a text with no sentence end
/// (a scraped page, a table) is cut into pieces so that per-sentence work stays linear.
pub const MAX_SENTENCE_TOKENS: usize = 400;

/// Push the sentence `s..e` (token indices), cut into pieces of at most
/// [`MAX_SENTENCE_TOKENS`].
fn push_bounded(toks: &[Token], sentences: &mut Vec<Sentence>, s: usize, e: usize, para: usize) {
    let mut a = s;
    while a < e {
        let b = (a + MAX_SENTENCE_TOKENS).min(e);
        sentences.push(Sentence {
            span: Span::new(toks[a].span.start, toks[b - 1].span.end),
            tokens: a..b,
            paragraph: para,
        });
        a = b;
    }
}
