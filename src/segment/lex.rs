//! The segmenter's side of the lexicons: its word lists (abbreviations, sentence starters,
//! speech verbs: [`crate::lexicon::SplitterWords`]) and the token spans the lexicon passes
//! read, so that the lexicon module needs nothing from the segmenter.

use super::Token;
use crate::doc::Span;

pub(crate) use crate::lexicon::{AbbrevClass, SplitterWords as Lexicon};

impl AsRef<Span> for Token {
    fn as_ref(&self) -> &Span {
        &self.span
    }
}
