//! Attribution patterns decided with the whole document in view, run in order over one
//! document: source types ([`super::typing`], then [`super::sourcetype`]), anonymity details
//! and confirmation ([`super::anonymity`]), and per-sentence uncertainty with its hedge cues
//! ([`super::hedges`], then [`super::hedging`]).

use super::hedges::WeaselStarters;
use super::hedging;
use super::sourcetype::{Features, TypeModel};
use super::typing::SourceTyping;
use super::Extractor;
use super::{anonymity, Attribution, Extraction, SourceType};
use crate::doc::Span;
use crate::lexicon::{Lexicon, Lexicons, Lowered};
use crate::segment::{Segmented, Token, TokenKind};

/// Lowercased words of the document, one per token, for lexicon matching. They live in one
/// buffer (`LowerTokens`) so a document costs a few allocations, not one per token.
pub(super) struct Words<'a> {
    pub(super) text: &'a str,
    pub(super) tokens: &'a [Token],
    pub(super) lower: &'a [&'a str],
    /// `lex`'s vocabulary id of each lowercased word, for [`Lexicon::match_ids`].
    pub(super) ids: &'a [u32],
    pub(super) lex: &'a Lexicons,
    /// `hedge-context.txt`, looked up for nearly every token (see [`super::hedges`]).
    pub(super) context: &'a Lexicon,
    pub(super) weasel_starters: &'a WeaselStarters,
}

impl<'a> Words<'a> {
    /// `ex`: loaded with the lexicons that numbered `lw`.
    pub(super) fn new(
        text: &'a str,
        seg: &'a Segmented,
        lw: &'a Lowered<'a>,
        ex: &'a Extractor,
    ) -> Self {
        Words {
            text,
            tokens: &seg.tokens,
            lower: &lw.words,
            ids: &lw.ids,
            lex: lw.lex,
            context: lw.lex.hedge_context(),
            weasel_starters: &ex.weasel_starters,
        }
    }
    pub(super) fn is_cap(&self, i: usize) -> bool {
        self.tokens[i].kind == TokenKind::Word
            && self.tokens[i]
                .span
                .slice(self.text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    }
    /// Token indices covered by a byte span.
    pub(super) fn range(&self, span: Span) -> std::ops::Range<usize> {
        let a = self.tokens.partition_point(|t| t.span.end <= span.start);
        let b = self.tokens.partition_point(|t| t.span.start < span.end);
        a..b.max(a)
    }
}

/// `lw`: the document's words from [`crate::lexicon::LowerTokens::words`], numbered by the
/// lexicons `ex` was loaded with.
pub fn annotate(
    text: &str,
    seg: &Segmented,
    lw: &Lowered,
    attributions: Vec<Attribution>,
    ex: &Extractor,
) -> Extraction {
    let model = &ex.source_types;
    annotate_with(
        text,
        seg,
        lw,
        attributions,
        ex,
        (!model.is_empty()).then_some(model),
        None,
    )
}

/// [`annotate`] with the source-type model given (`None`: the rules' verdict stands), and,
/// for training, the features of every attribution's source pushed to `sink` (empty for an
/// attribution without a source).
pub fn annotate_with(
    text: &str,
    seg: &Segmented,
    lw: &Lowered,
    mut attributions: Vec<Attribution>,
    ex: &Extractor,
    model: Option<&TypeModel>,
    mut sink: Option<&mut Vec<Features>>,
) -> Extraction {
    let words = Words::new(text, seg, lw, ex);
    let mut typing = SourceTyping::new(&words, model, sink.is_some());
    for a in &mut attributions {
        let range = typing.type_attribution(&words, a, sink.as_deref_mut());
        a.anonymity = match range {
            Some(r) if a.source_type == SourceType::Anonymous => {
                Some(anonymity::anonymity_details(&words, seg, r, a.sentence))
            }
            _ => None,
        };
        anonymity::confirm_by_cue(&words, a);
    }
    anonymity::mark_confirmations(&mut attributions);
    let hedge_model = &ex.uncertainty;
    let sentences = hedging::sentences(
        &words,
        seg,
        (!hedge_model.is_empty()).then_some(hedge_model),
        None,
        None,
    );
    Extraction {
        attributions,
        sentences,
    }
}

/// Documents and attributions for the tests of the pattern modules.
#[cfg(test)]
pub(super) mod testing {
    use super::Words;
    use crate::doc::Span;
    use crate::extract::{Attribution, SourceType};
    use crate::segment::Segmented;

    /// `f` with the segmentation and the document view of `text`.
    pub fn with_words<R>(text: &str, f: impl FnOnce(&Words, &Segmented) -> R) -> R {
        let lex = crate::lexicon::test_lexicons();
        let seg = crate::segment::segment(text, lex.splitter());
        let lowered = crate::lexicon::LowerTokens::new(text, &seg.tokens);
        let lw = lowered.words(&seg.tokens, lex);
        let ex = crate::extract::test_extractor();
        f(&Words::new(text, &seg, &lw, ex), &seg)
    }

    /// The span of the first `part` of `text` at or after byte `from`.
    pub fn span_of(text: &str, part: &str, from: usize) -> Span {
        let s = from + text[from..].find(part).expect(part);
        Span::new(s, s + part.len())
    }

    /// An attribution in the first sentence with these sources and cue, before any pattern.
    pub fn attribution(source: Vec<Span>, cue: Span) -> Attribution {
        Attribution {
            cue: vec![cue],
            source,
            content: Vec::new(),
            source_type: SourceType::None,
            source_entity: None,
            anonymity: None,
            confirmation: false,
            sentence: 0,
        }
    }
}
