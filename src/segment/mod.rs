//! Segmentation: paragraphs, sentences and word tokens, with byte offsets into the text.
//!
//! [`segment`] works in one pass over the bytes (ASCII fast path, no regex): each line
//! is a paragraph, except in hard-wrapped text, where a line break inside a paragraph reads
//! as a space (`wrap`: offsets stay offsets into the input); tokens are exactly the scorer's `\w+|[^\w\s]` (Python semantics);
//! sentences end at `.`, `?`, `!` or `…` unless an abbreviation, initial, decimal or
//! lowercase continuation says otherwise (abbreviation lists in `data/lexicons/`).
//!
//! The rules and the speed are apart: `chars` holds Python's character classes,
//! `quotes` the quotation marks, `sentences` the sentence and paragraph rules, and
//! `scanner` the one pass that applies them fast (SIMD block masks). `reference` (tests
//! only) applies the same rules char by char; the tests hold the scanner to its output.

mod chars;
pub mod layout;
mod lex;
mod pyword;
mod quotes;
#[cfg(test)]
mod reference;
mod scanner;
mod sentences;
#[cfg(test)]
mod tests;
mod wrap;

use crate::doc::Span;
use std::ops::Range;

pub use sentences::MAX_SENTENCE_TOKENS;
pub use wrap::unwrapped;

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

impl Segmented {
    /// Paragraph `p` ends inside a quotation that paragraph `p + 1` reopens with an
    /// opening double quote (the news convention for a quote running over paragraphs:
    /// no closing mark at the end of the first, a fresh opening mark on the next).
    pub fn quote_continues(&self, text: &str, p: usize) -> bool {
        let (Some(cur), Some(next)) = (self.paragraphs.get(p), self.paragraphs.get(p + 1)) else {
            return false;
        };
        let last = self
            .sentences
            .get(cur.sentences.end.wrapping_sub(1))
            .and_then(|s| self.tokens.get(s.tokens.end.wrapping_sub(1)));
        let first = self
            .sentences
            .get(next.sentences.start)
            .and_then(|s| self.tokens.get(s.tokens.start));
        match (last, first) {
            (Some(l), Some(f)) => {
                let rest = text.get(f.span.start..).unwrap_or("");
                l.in_quote
                    && f.kind == TokenKind::OpenQuote
                    && DOUBLE_QUOTES.iter().any(|q| rest.starts_with(q))
            }
            _ => false,
        }
    }

    /// The text of token `i`; empty when `i` is out of range.
    pub fn token_text<'a>(&self, text: &'a str, i: usize) -> &'a str {
        self.tokens
            .get(i)
            .and_then(|t| text.get(t.span.start..t.span.end))
            .unwrap_or("")
    }
}

/// Opening double quotation marks, the only ones that set `in_quote`.
const DOUBLE_QUOTES: [&str; 5] = ["\"", "“", "„", "«", "''"];

/// Splits `text` into paragraphs (one per non-blank line, or per wrapped paragraph of
/// hard-wrapped text), sentences and tokens.
///
/// Every token, sentence and paragraph span lies on char boundaries, in text order,
/// without overlaps; every token belongs to exactly one sentence and every sentence to
/// one paragraph. Runs in time linear in the text length; never panics. `words`: the
/// abbreviations, starters and speech verbs the sentence rules read
/// ([`crate::lexicon::Lexicons::splitter`]).
pub fn segment(text: &str, words: &crate::lexicon::SplitterWords) -> Segmented {
    #[cfg(target_arch = "x86_64")]
    if scanner::avx2_available() {
        // SAFETY: the CPU has the features that `segment_avx2` is compiled for.
        return unsafe { scanner::segment_avx2(text, words) };
    }
    scanner::segment_with::<false>(text, words)
}
