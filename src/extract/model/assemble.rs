//! From tagged spans to attributions. Rules (measured on the PolNeAR train split):
//! * every Cue span is one attribution;
//! * each Content span goes to the nearest cue of its paragraph (so content split around
//!   a cue, "“A,” she said, “B.”", joins one attribution);
//! * content before its cue that starts in lower case is dropped: it is a fragment of a
//!   longer content far more often than not (right 15% of the time in 2-fold
//!   cross-validation on train);
//! * each cue takes the nearest Source span of its paragraph (a source may serve several cues);
//! * content in a paragraph without a cue continues the last attribution of the previous
//!   paragraph when it opens with a double quote mark (multi-paragraph quotes; other
//!   continuations were right less than a quarter of the time in 2-fold cross-validation on
//!   train, and are dropped); when there is no such attribution, it waits for the next
//!   paragraph's first cue that has no content of its own ("X said." paragraphs).

use super::tagger::{is_begin, role};
use super::text::{Tok, C_PRON, K_PUNCT, K_QUOTE, K_WORD};
#[cfg(test)]
use super::Tagged;
use crate::doc::Span;
use crate::extract::{Attribution, SourceType};
use crate::segment::unwrapped;

/// A tagged span: role (1 source, 2 cue, 3 content) and token range `[s, e)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TSpan {
    pub role: u8,
    pub s: usize,
    pub e: usize,
}

/// Spans of a tag sequence (token indices offset by `base`).
pub(crate) fn spans(tags: &[u8], base: usize, out: &mut Vec<TSpan>) {
    let mut cur: Option<TSpan> = None;
    for (i, &t) in tags.iter().enumerate() {
        let r = role(t);
        let cont = matches!(cur, Some(c) if c.role == r && !is_begin(t));
        if !cont {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            if r != 0 {
                cur = Some(TSpan {
                    role: r,
                    s: base + i,
                    e: base + i + 1,
                });
            }
        } else if let Some(c) = cur.as_mut() {
            c.e = base + i + 1;
        }
    }
    if let Some(c) = cur {
        out.push(c);
    }
}

/// A source never runs over a sentence end: "... said Zoë Müller. Niño’s café said" is two
/// sources, the first without its final period. (Content may: a quotation spans sentences.)
/// Elsewhere trailing punctuation stays: PolNeAR's gold sources often keep it.
fn split_sources_at_sentences(toks: &[Tok], sp: &mut Vec<TSpan>) {
    let crosses = |x: &TSpan| x.role == 1 && (x.s + 1..x.e).any(|k| toks[k].sent_start);
    if !sp.iter().any(crosses) {
        return;
    }
    let mut out = Vec::with_capacity(sp.len() + 1);
    for x in sp.drain(..) {
        if !crosses(&x) {
            out.push(x);
            continue;
        }
        let mut s = x.s;
        for k in x.s + 1..x.e {
            if toks[k].sent_start {
                // Without the sentence's final punctuation ("Zoë Müller." -> "Zoë Müller").
                let mut e = k;
                while e > s + 1 && toks[e - 1].kind == K_PUNCT {
                    e -= 1;
                }
                out.push(TSpan { s, e, ..x });
                s = k;
            }
        }
        out.push(TSpan { s, ..x });
    }
    *sp = out;
}

/// Index of the span of `sorted` (in text order, not overlapping `x`) nearest to `x`; on a
/// tie, the earlier one. A binary search, so that a paragraph with thousands of cues stays
/// linear. 0 when `sorted` is empty.
fn nearest(sorted: &[TSpan], x: &TSpan) -> usize {
    let after = sorted.partition_point(|y| y.e <= x.s);
    let mut best = after.min(sorted.len().saturating_sub(1));
    if after > 0 && (after == sorted.len() || gap(&sorted[after - 1], x) <= gap(&sorted[after], x))
    {
        best = after - 1;
    }
    best
}

fn gap(a: &TSpan, b: &TSpan) -> usize {
    if a.e <= b.s {
        b.s - a.e
    } else {
        a.s.saturating_sub(b.e)
    }
}

fn byte_span(toks: &[Tok], s: &TSpan) -> Span {
    Span::new(toks[s.s].start as usize, toks[s.e - 1].end as usize)
}

#[cfg(test)]
pub(crate) fn assemble(text: &str, t: &Tagged) -> Vec<Attribution> {
    let mut a = Assembler::default();
    for &w in &t.paras {
        a.window(text, &t.toks, &t.tags, w);
    }
    a.finish()
}

/// [`assemble`] one window at a time, so that a document's tokens need not all be held at
/// once: the state carried from window to window is the attributions so far and the content
/// waiting for a cue.
#[derive(Default)]
pub(crate) struct Assembler {
    out: Vec<Attribution>,
    sp: Vec<TSpan>,
    /// Content waiting for a cue in the next paragraph.
    orphan: Vec<Span>,
    /// Index in `out` of the last attribution of the previous paragraph that had a cue.
    prev_last: Option<usize>,
}

impl Assembler {
    /// The window `[ps, pe)` of `toks` and their `tags` (windows in text order).
    pub(crate) fn window(
        &mut self,
        text: &str,
        toks: &[Tok],
        tags: &[u8],
        (ps, pe): (usize, usize),
    ) {
        let Assembler {
            out,
            sp,
            orphan,
            prev_last,
        } = self;
        sp.clear();
        spans(&tags[ps..pe], ps, sp);
        split_sources_at_sentences(toks, sp);
        let cues: Vec<TSpan> = sp.iter().copied().filter(|x| x.role == 2).collect();
        let contents = sp.iter().filter(|x| x.role == 3);
        if cues.is_empty() {
            match *prev_last {
                Some(k) if !out[k].content.is_empty() => {
                    let quoted = contents.filter(|c| {
                        let tok = &toks[c.s];
                        tok.kind == K_QUOTE && tok.quote == 2
                    });
                    out[k].content.extend(quoted.map(|c| byte_span(toks, c)));
                }
                _ => orphan.extend(contents.map(|c| byte_span(toks, c))),
            }
            return;
        }
        let first = out.len();
        let mut cont: Vec<Vec<Span>> = vec![Vec::new(); cues.len()];
        for c in contents {
            let k = nearest(&cues, c);
            let span = byte_span(toks, c);
            let lower = span
                .slice(text)
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            if lower && cues.get(k).is_some_and(|q| c.e <= q.s) {
                continue;
            }
            cont[k].push(span);
        }
        let sources: Vec<TSpan> = sp.iter().copied().filter(|x| x.role == 1).collect();
        for (k, cue) in cues.iter().enumerate() {
            let src = (!sources.is_empty()).then(|| sources[nearest(&sources, cue)]);
            let mut content = std::mem::take(&mut cont[k]);
            if content.is_empty() && !orphan.is_empty() {
                content = std::mem::take(orphan);
            }
            let source: Vec<Span> = src.map(|s| byte_span(toks, &s)).into_iter().collect();
            let source_entity = src.and_then(|s| entity(text, toks, &s, out));
            out.push(Attribution {
                cue: vec![byte_span(toks, cue)],
                source_type: if source.is_empty() {
                    SourceType::None
                } else {
                    SourceType::Other
                },
                source,
                content,
                source_entity,
                anonymity: None,
                confirmation: false,
                sentence: 0,
            });
        }
        orphan.clear();
        *prev_last = if out.len() > first {
            Some(out.len() - 1)
        } else {
            None
        };
    }

    pub(crate) fn finish(self) -> Vec<Attribution> {
        self.out
    }
}

/// How far back [`entity`] looks for an antecedent: attributions, and bytes of text.
const MAX_EARLIER_ATTRIBUTIONS: usize = 500;
const MAX_LOOKBACK_BYTES: usize = 64 << 10;

/// Antecedent of a pronoun or one-word name source:
/// * a pronoun ("he", "she", "they"...) -> the most recent earlier source of two or more
///   capitalized words;
/// * a single capitalized word ("Meloni") -> the longest earlier source span containing it,
///   or else the longest run of capitalized words around an earlier mention in the text.
fn entity(text: &str, toks: &[Tok], s: &TSpan, earlier: &[Attribution]) -> Option<String> {
    if s.e - s.s != 1 {
        return None;
    }
    let tok = &toks[s.s];
    let word = &text[tok.start as usize..tok.end as usize];
    if tok.kind != K_WORD {
        return None;
    }
    let full_name = |x: &str| {
        let ws: Vec<&str> = x.split_whitespace().collect();
        ws.len() >= 2
            && ws
                .iter()
                .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
    };
    // Look back a bounded stretch, so that a huge document stays linear: an antecedent in
    // news is within a few thousand words.
    let earlier = &earlier[earlier.len().saturating_sub(MAX_EARLIER_ATTRIBUTIONS)..];
    if tok.class & C_PRON != 0 {
        return earlier
            .iter()
            .rev()
            .filter_map(|a| a.source.first())
            .map(|sp| sp.slice(text))
            .find(|x| full_name(x))
            .map(|x| unwrapped(x).into_owned());
    }
    if !tok.cap {
        return None;
    }
    let mut best: Option<&str> = None;
    for a in earlier {
        for sp in &a.source {
            let x = sp.slice(text);
            if x != word
                && x.split(|c: char| !c.is_alphanumeric()).any(|w| w == word)
                && full_name(x)
                && best.is_none_or(|b| x.len() > b.len())
            {
                best = Some(x);
            }
        }
    }
    if let Some(b) = best {
        return Some(unwrapped(b).into_owned());
    }
    // Earlier mention in the text: widen over adjacent capitalized words.
    let mut from_byte = (tok.start as usize).saturating_sub(MAX_LOOKBACK_BYTES);
    while !text.is_char_boundary(from_byte) {
        from_byte += 1;
    }
    let before = &text[from_byte..tok.start as usize];
    let mut best: Option<&str> = None;
    let mut from = 0;
    while let Some(off) = before[from..].find(word) {
        let at = from + off;
        from = at + word.len();
        let e = at + word.len();
        // Whole-word matches only.
        if before[e..].starts_with(|c: char| c.is_alphanumeric())
            || before[..at].ends_with(|c: char| c.is_alphanumeric())
        {
            continue;
        }
        // Words are apart by a space or a line break (a wrapped line goes on).
        if !before[..at].ends_with([' ', '\n', '\r']) {
            continue;
        }
        let is_cap_word = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase());
        let mut s = at;
        for w in before[..at].split([' ', '\n', '\r']).rev().skip(1) {
            if w.is_empty() || !is_cap_word(w) || w.ends_with(['.', ',', ':', ';']) {
                break;
            }
            s -= w.len() + 1;
        }
        if s < at {
            let cand = &before[s..e];
            if best.is_none_or(|b| cand.len() > b.len()) {
                best = Some(cand);
            }
        }
    }
    best.map(|b| unwrapped(b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::model::tagger::{begin, inside};
    use crate::extract::model::text;

    /// Tokens of `text` with the tags given per token by the role letters of `roles`
    /// (one letter per token: `.` none, `s` source, `c` cue, `k` content; a capital starts
    /// a span).
    fn tagged(text: &str, roles: &str) -> Tagged {
        let lexicons = crate::lexicon::test_lexicons();
        let lex = text::Lexicon::new(lexicons.tagger_cues());
        let seg = crate::segment::segment(text, lexicons.splitter());
        let (mut toks, mut paras) = (Vec::new(), Vec::new());
        text::from_segmented(text, &seg, &lex, &mut toks, &mut paras);
        let tags: Vec<u8> = roles
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| {
                let r = match c.to_ascii_lowercase() {
                    's' => 1,
                    'c' => 2,
                    'k' => 3,
                    _ => 0,
                };
                match (r, c.is_uppercase()) {
                    (0, _) => 0,
                    (r, true) => begin(r),
                    (r, false) => inside(r),
                }
            })
            .collect();
        assert_eq!(tags.len(), toks.len(), "one role letter per token");
        Tagged { toks, tags, paras }
    }

    fn contents<'a>(text: &'a str, a: &Attribution) -> Vec<&'a str> {
        a.content.iter().map(|s| s.slice(text)).collect()
    }

    #[test]
    fn lower_case_content_before_its_cue_is_dropped() {
        let text = "the deal is dead, Smith said.\nThe deal is dead, Jones said.";
        // the deal is dead , Smith said . | The deal is dead , Jones said .
        let t = tagged(text, "Kkkk.SC. Kkkk.SC.");
        let atts = assemble(text, &t);
        assert_eq!(atts.len(), 2);
        assert!(contents(text, &atts[0]).is_empty());
        assert_eq!(contents(text, &atts[1]), ["The deal is dead"]);
    }

    #[test]
    fn only_quoted_content_continues_into_a_paragraph_without_cue() {
        let text = "Smith said the deal is dead.\n“It will not come back.”\nIt will not come back.";
        // Smith said the deal is dead . | “ It will not come back . ” | It will not come back .
        let t = tagged(text, "SCKkkk. Kkkkkkkk Kkkkk.");
        let atts = assemble(text, &t);
        assert_eq!(atts.len(), 1);
        assert_eq!(
            contents(text, &atts[0]),
            ["the deal is dead", "“It will not come back.”"]
        );
    }
}
