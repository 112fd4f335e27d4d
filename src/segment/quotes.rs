//! Quotation marks: which punctuation opens or closes a quote, decided from its
//! neighbours, and the quotation state that sets [`Token::in_quote`].

use super::chars::{
    char_at, char_before, class_of, is_dash, is_opening_context, C_BREAK, C_SPACE, C_WORD,
};
use super::{Token, TokenKind};
use crate::doc::Span;

/// Quotation state inside one paragraph.
#[derive(Default)]
pub(super) struct QuoteState {
    pub double: bool,
    pub single: bool,
}

/// Pushes the token of the punctuation char `c` (`len` bytes) at `i`; returns its kind and
/// where the next token starts.
#[inline]
pub(super) fn push_punct(
    text: &str,
    i: usize,
    c: char,
    len: usize,
    tokens: &mut Vec<Token>,
    q: &mut QuoteState,
) -> (TokenKind, usize) {
    let prev = tokens.last().filter(|t| t.span.end == i).map(|t| t.kind);
    // Two straight apostrophes are a double quote (New York Times style: ''Yes,'' he
    // said); they stay two tokens, as the scorer counts them.
    let pair = c == '\'' && text.as_bytes().get(i + 1) == Some(&b'\'');
    let (kind, double_mark) = if pair {
        punct_kind(text, i, '"', 2, prev, q)
    } else {
        punct_kind(text, i, c, len, prev, q)
    };
    // Double quotation marks are not inside the quote they delimit.
    let in_quote = q.double && !double_mark;
    for k in 0..=usize::from(pair) {
        tokens.push(Token {
            span: Span::new(i + k, i + k + len),
            kind,
            in_quote,
        });
    }
    (kind, i + len + usize::from(pair))
}

/// Kind of the one-char punctuation token at `i`, deciding straight and single quotes
/// from their neighbours, and updating the quotation state. The flag says the token
/// is a double quotation mark.
fn punct_kind(
    text: &str,
    i: usize,
    c: char,
    len: usize,
    prev_tok: Option<TokenKind>,
    q: &mut QuoteState,
) -> (TokenKind, bool) {
    use TokenKind::*;
    match c {
        // Curly and angle double quotes: their kind needs no context.
        '“' | '„' | '‟' | '«' => {
            q.double = true;
            return (OpenQuote, true);
        }
        '”' | '»' => {
            q.double = false;
            q.single = false;
            return (CloseQuote, true);
        }
        '"' | '\'' | '‘' | '’' | '‚' | '‛' => {}
        _ => return (if is_dash(c) { Dash } else { Punct }, false),
    }
    let before = char_before(text, i);
    let after = char_at(text, i + len).map(|(c, _)| c);
    let before_class = before.map(class_of);
    let after_class = after.map(class_of);
    let prev_word = before_class == Some(C_WORD);
    let next_word = after_class == Some(C_WORD);
    let next_space = after_class.is_none_or(|n| matches!(n, C_SPACE | C_BREAK));
    let next_digit = after.is_some_and(|n| n.is_numeric());
    // Start of line, after a space, an opening bracket or quote, or a dash.
    let opening_ctx = before
        .is_none_or(|p| matches!(before_class, Some(C_SPACE | C_BREAK)) || is_opening_context(p))
        || matches!(prev_tok, Some(OpenQuote | Dash));
    let kind = match c {
        '"' => {
            if opening_ctx {
                if next_space && q.double {
                    CloseQuote
                } else {
                    OpenQuote
                }
            } else if !q.double && next_word && !prev_word {
                // `said:"Hello`
                OpenQuote
            } else {
                CloseQuote
            }
        }
        '‘' | '‛' | '‚' => {
            if (prev_word && next_word) || (opening_ctx && next_digit) {
                Punct // a misused apostrophe: don‘t, ‘90s
            } else {
                OpenQuote
            }
        }
        _ => {
            // ’ or '
            if prev_word && next_word {
                Punct // didn’t, O’Malley
            } else if opening_ctx {
                if next_space || next_digit || c == '’' {
                    Punct // ’90s, ’em, a stray mark
                } else {
                    OpenQuote
                }
            } else if prev_word {
                if q.single {
                    CloseQuote
                } else {
                    Punct // possessive: Clintons’
                }
            } else {
                CloseQuote // after punctuation: ‘no.’
            }
        }
    };
    let double = c == '"';
    match (kind, double) {
        (OpenQuote, true) => q.double = true,
        (CloseQuote, true) => {
            q.double = false;
            q.single = false;
        }
        (OpenQuote, false) => q.single = true,
        (CloseQuote, false) => q.single = false,
        _ => {}
    }
    (kind, double && matches!(kind, OpenQuote | CloseQuote))
}
