//! Clause repairs shared by both extractors, from the RUBRIC's anonymous-source phrasing:
//! in "A senior official, who spoke on condition of anonymity, said ..." the speaker is the
//! noun phrase before the relative clause, and "who asked not to be named" states a reason
//! for anonymity, not a second attribution.

use super::Attribution;
use crate::doc::Span;
use crate::lexicon::Lowered;
use crate::segment::{Segmented, TokenKind};

/// Words that end the noun phrase before a relative clause, scanning back.
fn np_boundary(w: &str) -> bool {
    matches!(
        w,
        "," | ";" | ":" | "." | "(" | ")" | "“" | "”" | "\"" | "and" | "but" | "that" | "as"
    )
}

/// Repair the attributions of one document (see the module comment).
pub fn repair(mut atts: Vec<Attribution>, seg: &Segmented, lw: &Lowered) -> Vec<Attribution> {
    let toks = &seg.tokens;
    let n = toks.len();
    let at_token = |byte: usize| toks.partition_point(|t| t.span.end <= byte);
    let anon = lw.lex.anonymity();
    // Cues inside, or directly before, a reason for anonymity ("who asked not to be named",
    // "spoke on condition of anonymity") are not attributions.
    let reason_at = |k: usize| -> Option<usize> {
        anon.match_ids(&lw.words, &lw.ids, k)
            .filter(|(_, tag)| *tag == "reason")
            .map(|(len, _)| len)
    };
    atts.retain(|a| {
        let Some(c) = a.cue.first() else { return true };
        let k = at_token(c.start);
        let e = at_token(c.end.saturating_sub(1)) + 1;
        // A reason phrase that holds the cue ("asked not to be named"), or follows a cue of
        // speaking with no content of its own ("spoke on condition of anonymity"); "said on
        // condition of anonymity that ..." keeps its attribution.
        let speaking = matches!(
            lw.words.get(k),
            Some(&("spoke" | "speaking" | "talked" | "talking"))
        );
        let from = k.saturating_sub(4);
        !(from..(e + 1).min(n)).any(|j| {
            reason_at(j).is_some_and(|len| (j <= k && j + len > k) || (j == e && speaking))
        })
    });
    for a in &mut atts {
        let Some(c) = a.cue.first().copied() else {
            continue;
        };
        let k = at_token(c.start);
        // "NP, who ... , CUE": the token before the cue is a comma closing a relative clause.
        if k < 2 || k > n || lw.words[k - 1] != "," {
            continue;
        }
        let mut j = k - 1;
        let mut rel = None;
        while j > 0 && k - j < 25 {
            j -= 1;
            match lw.words[j] {
                "who" | "which" if j > 0 && lw.words[j - 1] == "," => {
                    rel = Some(j - 1);
                    break;
                }
                "," | "." | ";" | ":" => break,
                _ => {}
            }
        }
        let Some(comma) = rel else { continue };
        // The noun phrase before the comma, back to a clause boundary.
        let mut s = comma;
        while s > 0 && comma - s < 12 && !np_boundary(lw.words[s - 1]) {
            if toks[s - 1].kind == TokenKind::OpenQuote || toks[s - 1].kind == TokenKind::CloseQuote
            {
                break;
            }
            s -= 1;
        }
        if s >= comma {
            continue;
        }
        let source_after_cue = a.source.first().is_some_and(|x| x.start >= c.end);
        let np = Span::new(toks[s].span.start, toks[comma - 1].span.end);
        // A source that already takes in the noun phrase ("Chris Cox, who runs the NRA's
        // lobbying arm,", PolNeAR's own span) stays.
        if a.source.iter().any(|x| x.overlaps(&np)) {
            continue;
        }
        a.source = vec![np];
        a.source_entity = None;
        // A source taken from after the cue was the content ("..., said the plant will close").
        if source_after_cue || a.content.is_empty() {
            let sent_end = seg
                .sentences
                .iter()
                .find(|x| x.span.contains(&c))
                .map(|x| x.tokens.end)
                .unwrap_or(n);
            let mut e = sent_end;
            while e > k + 1 && matches!(lw.words[e - 1], "." | "," | ";" | ":" | "!") {
                e -= 1;
            }
            let cue_end_tok = at_token(c.end.saturating_sub(1)) + 1;
            if cue_end_tok < e {
                a.content = vec![Span::new(
                    toks[cue_end_tok].span.start,
                    toks[e - 1].span.end,
                )];
            }
        }
    }
    atts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::words::testing::{attribution, span_of};

    /// The (source, cue) texts of the attributions left after the repair; each attribution is
    /// given as (source, cue) texts of `text` (an empty source: none).
    fn repaired(text: &str, atts: &[(&str, &str)]) -> Vec<(Vec<String>, String)> {
        let lex = crate::lexicon::test_lexicons();
        let seg = crate::segment::segment(text, lex.splitter());
        let lowered = crate::lexicon::LowerTokens::new(text, &seg.tokens);
        let lw = lowered.words(&seg.tokens, lex);
        let atts = atts
            .iter()
            .map(|(source, cue)| {
                let source = match *source {
                    "" => Vec::new(),
                    s => vec![span_of(text, s, 0)],
                };
                attribution(source, span_of(text, cue, 0))
            })
            .collect();
        repair(atts, &seg, &lw)
            .iter()
            .map(|a| {
                let source = a.source.iter().map(|s| s.slice(text).to_string());
                (source.collect(), a.cue[0].slice(text).to_string())
            })
            .collect()
    }

    #[test]
    fn the_speaker_is_the_noun_phrase_before_the_relative_clause() {
        let t = "A senior official, who spoke on condition of anonymity, said the talks stalled.";
        assert_eq!(
            repaired(t, &[("", "said")]),
            [(vec!["A senior official".to_string()], "said".to_string())]
        );
    }

    #[test]
    fn a_reason_for_anonymity_is_not_an_attribution() {
        let t = "A senior official, who asked not to be named, said the talks stalled.";
        let got = repaired(t, &[("who", "asked"), ("A senior official", "said")]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, "said");
        let t = "The aide spoke on condition of anonymity.";
        assert_eq!(repaired(t, &[("The aide", "spoke")]), []);
        // Speaking with content of its own stays an attribution.
        let t = "The aide said on condition of anonymity that the talks stalled.";
        assert_eq!(repaired(t, &[("The aide", "said")]).len(), 1);
    }
}
