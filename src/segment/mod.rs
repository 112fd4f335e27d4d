//! Segmentation: paragraphs, sentences and word tokens, with byte offsets into the text.
//!
//! INTERFACE (implemented by the segmenter): `segment(text) -> Segmented`.

use crate::doc::Span;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    /// An opening quotation mark (“ ‘ or a straight quote that opens).
    OpenQuote,
    /// A closing quotation mark (” ’ or a straight quote that closes).
    CloseQuote,
    /// Dashes: - – — and transcript separators.
    Dash,
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// Inside quotation marks (the marks themselves are not), tracked across sentences
    /// and paragraphs as news writing does (a new paragraph may reopen a quote).
    pub in_quote: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Indices into [`Segmented::tokens`].
    pub tokens: Range<usize>,
    /// Index into [`Segmented::paragraphs`].
    pub paragraph: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Span,
    /// Indices into [`Segmented::sentences`].
    pub sentences: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub paragraphs: Vec<Paragraph>,
}

/// Placeholder until the segmenter lands: one paragraph per line, one sentence per paragraph.
pub fn segment(text: &str) -> Segmented {
    let mut seg = Segmented::default();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let start = pos + (body.len() - body.trim_start().len());
        let end = pos + body.len();
        pos += line.len();
        if start >= end {
            continue;
        }
        let t0 = seg.tokens.len();
        for (i, w) in text[start..end].split_whitespace().map(|w| w).enumerate() {
            let _ = i;
            let off = w.as_ptr() as usize - text.as_ptr() as usize;
            seg.tokens.push(Token {
                span: Span::new(off, off + w.len()),
                kind: TokenKind::Word,
                in_quote: false,
            });
        }
        let p = seg.paragraphs.len();
        seg.sentences.push(Sentence {
            span: Span::new(start, end),
            tokens: t0..seg.tokens.len(),
            paragraph: p,
        });
        seg.paragraphs.push(Paragraph {
            span: Span::new(start, end),
            sentences: seg.sentences.len() - 1..seg.sentences.len(),
        });
    }
    seg
}
