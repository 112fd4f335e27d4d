//! The document view every pattern pass reads: tokens with their lowercased words and
//! vocabulary ids ([`Words`]), and the noun-phrase readings over it that both the rules'
//! typing and the learned typing's features use (head word, proper name, private person).

use crate::doc::Span;
use crate::lexicon::{Lexicon, Lexicons, Lowered};
use crate::segment::{unwrapped, Segmented, Token, TokenKind};
use std::ops::Range;

use super::Extractor;

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

/// The words that can start a weasel pattern, by the ids of the lexicons built from.
pub(super) struct WeaselStarters {
    /// The classes of `hedge-context.txt` that start one, by word id
    /// ([`crate::lexicon::Lexicon::class_bits`]).
    pub(super) bits: Vec<u8>,
    /// The id of "according" (which starts "according to some").
    pub(super) according: u32,
}

impl WeaselStarters {
    pub(super) fn new(lex: &Lexicons) -> WeaselStarters {
        let bits = lex.hedge_context().class_bits(&[
            "quantifier",
            "group",
            "opinion_pp",
            "as_pp",
            "to_pp",
            "often",
        ]);
        WeaselStarters {
            bits,
            according: lex.vocab().id("according"),
        }
    }
}

/// Words that start a modifier after the head noun of an English noun phrase.
pub(super) fn is_cut(w: &str) -> bool {
    matches!(
        w,
        "," | "of"
            | "who"
            | "which"
            | "that"
            | "from"
            | "in"
            | "–"
            | "—"
            | "("
            | "at"
            | "for"
            | "with"
            | "to"
            | "on"
    )
}

pub(super) fn head_tag<'l>(lex: &'l Lexicon, words: &[&str], ids: &[u32]) -> Option<&'l str> {
    // The head of an English noun phrase is its last noun before a modifier clause.
    let cut = words.iter().position(|w| is_cut(w)).unwrap_or(words.len());
    let np = &words[..cut];
    let np_ids = &ids[..cut];
    for k in (0..np.len()).rev() {
        if let Some((len, tag)) = lex.match_ids(np, np_ids, k) {
            if k + len == np.len() || k + 1 == np.len() {
                return Some(tag);
            }
        }
        if np[k].chars().any(char::is_alphanumeric) {
            // Only the last word is the head.
            return lex.match_ids(np, np_ids, k).map(|(_, t)| t);
        }
    }
    None
}

/// Name of a capitalised run in the source, with role words and titles left out.
pub(super) fn proper_name(w: &Words, range: Range<usize>) -> Option<(String, Vec<String>)> {
    let (s, e) = proper_name_span(w, range)?;
    let name = unwrapped(&w.text[w.tokens[s].span.start..w.tokens[e - 1].span.end]).into_owned();
    let parts = w.lower[s..e]
        .iter()
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .map(|p| p.to_string())
        .collect();
    Some((name, parts))
}

/// The tokens of [`proper_name`], without building its strings.
pub(super) fn proper_name_span(w: &Words, range: Range<usize>) -> Option<(usize, usize)> {
    let roles = w.lex.roles();
    let lex = w.lex.source_types();
    let mut best: Option<(usize, usize)> = None;
    let mut i = range.start;
    while i < range.end {
        if w.is_cap(i)
            && roles.match_ids(w.lower, w.ids, i).is_none()
            && lex.word_id(w.lower[i], w.ids[i]).is_none()
        {
            let s = i;
            while i < range.end
                && (w.is_cap(i) || (w.lower[i] == "." && i > s) || w.lower[i] == "-")
                && (i == s || roles.match_ids(w.lower, w.ids, i).is_none())
            {
                i += 1;
            }
            // Keep the last capitalised run: in "White House spokesman Josh Earnest" the name.
            best = Some((s, i));
        } else {
            i += 1;
        }
    }
    let (s, e) = best?;
    let mut e = e;
    while e > s && w.lower[e - 1] == "." {
        e -= 1;
    }
    if e <= s {
        return None;
    }
    Some((s, e))
}

/// The text marks a named speaker as a private person: an age (", 54,"), a private-person
/// noun next to the name ("a voter", "a retiree"), a handle, or a signature under a quote.
pub(super) fn private_person(w: &Words, range: Range<usize>) -> bool {
    let lex = w.lex.source_types();
    let lo = range.start.saturating_sub(4);
    let hi = (range.end + 5).min(w.tokens.len());
    let near = &w.lower[lo..hi];
    let near_ids = &w.ids[lo..hi];
    let age = near.windows(3).any(|x| {
        x[0] == "," && x[1].bytes().all(|b| b.is_ascii_digit()) && x[1].len() <= 3 && x[2] == ","
    });
    let person_noun = near
        .iter()
        .zip(near_ids)
        .any(|(t, &id)| lex.word_id(t, id) == Some("person_head"));
    let handle = w.lower[range.clone()].contains(&"@");
    let signed = range.start > 0 && w.tokens[range.start - 1].kind == TokenKind::Dash;
    age || person_noun || handle || signed
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
