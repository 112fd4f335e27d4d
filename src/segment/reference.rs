//! The segmenter without the speed: char by char, words by [`scan_word`], every token asked
//! whether it ends a sentence when the paragraph ends. Same rules as the scanner (the
//! character classes, [`push_punct`], [`finish_paragraph`]); the tests hold
//! [`super::segment`] to its output, so that the block masks, the byte shortcuts and the
//! list of terminators change nothing.

use super::chars::{char_at, class_of, is_terminator, scan_word, C_BREAK, C_SPACE, C_WORD};
use super::lex::Lexicon;
use super::quotes::{push_punct, QuoteState};
use super::sentences::{finish_paragraph, first_char};
use super::wrap::SoftBreaks;
use super::{Segmented, Token, TokenKind};
use crate::doc::Span;

pub fn segment(text: &str, lex: &Lexicon) -> Segmented {
    let mut seg = Segmented::default();
    let mut para_tok = 0;
    let mut q = QuoteState::default();
    let mut soft = SoftBreaks::of(text);
    let mut i = 0;
    while let Some((c, len)) = char_at(text, i) {
        match class_of(c) {
            C_SPACE => i += len,
            C_BREAK => {
                // A wrapped line goes on: the break reads as a space.
                if let Some(n) = soft.at(text.as_bytes(), i) {
                    i += n;
                    continue;
                }
                end_paragraph(text, lex, &mut seg, para_tok);
                para_tok = seg.tokens.len();
                q = QuoteState::default();
                i += len;
            }
            C_WORD => {
                let (end, numeric) = scan_word(text, i);
                seg.tokens.push(Token {
                    span: Span::new(i, end),
                    kind: if numeric {
                        TokenKind::Number
                    } else {
                        TokenKind::Word
                    },
                    in_quote: q.double,
                });
                i = end;
            }
            _ => i = push_punct(text, i, c, len, &mut seg.tokens, &mut q).1,
        }
    }
    end_paragraph(text, lex, &mut seg, para_tok);
    seg
}

/// Finishes the paragraph of tokens `p0..`, its terminators found by looking at each.
fn end_paragraph(text: &str, lex: &Lexicon, seg: &mut Segmented, p0: usize) {
    let terms: Vec<usize> = (p0..seg.tokens.len())
        .filter(|&k| {
            let t = &seg.tokens[k];
            t.kind == TokenKind::Punct && is_terminator(first_char(text, t))
        })
        .collect();
    finish_paragraph(text, lex, seg, p0, &terms);
}
