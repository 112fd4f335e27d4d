//! What is said about an anonymous source beyond its type: the anonymity details the AP,
//! Reuters and NYT policies ask for (reason, knowledge, count, descriptors).

use super::words::Words;
use super::Anonymity;
use crate::doc::Span;
use crate::segment::Segmented;
use std::ops::Range;

/// The details of an anonymous source in token `range`, its cue in sentence `sentence`.
pub(super) fn anonymity_details(
    w: &Words,
    seg: &Segmented,
    range: Range<usize>,
    sentence: usize,
) -> Anonymity {
    let lex = w.lex.anonymity();
    let mut an = Anonymity::default();
    for k in range.clone() {
        if let Some((len, tag)) = lex.match_ids(w.lower, w.ids, k) {
            match tag {
                "descriptor" => an.descriptors.push(w.lower[k..k + len].join(" ")),
                t if t.starts_with("count") && an.count.is_none() => {
                    an.count = t.split('\t').nth(1).and_then(|n| n.trim().parse().ok());
                }
                _ => {}
            }
        }
    }
    if an.count.is_none() {
        // A bare singular head counts one; a plural ("sources") an unknown number.
        let last = w.lower[range.end - 1];
        if !last.ends_with('s') {
            an.count = Some(1);
        }
    }
    // Reason and knowledge: in the source's sentence.
    let sent_toks = seg
        .sentences
        .get(sentence)
        .map(|s| s.tokens.clone())
        .unwrap_or(range.clone());
    let mut k = sent_toks.start;
    while k < sent_toks.end {
        if let Some((len, tag)) = lex.match_ids(w.lower, w.ids, k) {
            let span = Span::new(w.tokens[k].span.start, w.tokens[k + len - 1].span.end);
            match tag {
                "reason" if an.reason.is_none() => an.reason = Some(span),
                "knowledge" if an.knowledge.is_none() => an.knowledge = Some(span),
                _ => {}
            }
            k += len;
        } else {
            k += 1;
        }
    }
    an
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::words::testing::{span_of, with_words};

    /// The anonymity details of the anonymous `source` of a one-sentence `text`.
    fn details(text: &str, source: &str) -> Anonymity {
        with_words(text, |w, seg| {
            anonymity_details(w, seg, w.range(span_of(text, source, 0)), 0)
        })
    }

    #[test]
    fn the_reason_for_anonymity_is_found_in_the_sentence() {
        let t = "A senior official, who spoke on condition of anonymity because he was not \
                 authorised to speak publicly, said the talks had stalled.";
        let an = details(t, "A senior official");
        assert_eq!(
            an.reason.map(|r| r.slice(t)),
            Some("on condition of anonymity")
        );
        assert_eq!(an.knowledge, None);
        assert_eq!(an.count, Some(1));
        assert_eq!(an.descriptors, ["senior"]);
    }

    #[test]
    fn how_the_source_knows_and_how_many_they_are() {
        let t = "Two people familiar with the talks said the deal was close.";
        let an = details(t, "Two people familiar with the talks");
        assert_eq!(an.knowledge.map(|k| k.slice(t)), Some("familiar with"));
        assert_eq!(an.reason, None);
        assert_eq!(an.count, Some(2));
        // A plural without a number: several, an unknown number.
        let t = "Diplomatic sources said the deal was close.";
        let an = details(t, "Diplomatic sources");
        assert_eq!(an.count, None);
        assert_eq!(an.descriptors, ["diplomatic"]);
    }
}
