//! What is said about a source beyond its type: the anonymity details the AP, Reuters and NYT
//! policies ask for (reason, knowledge, count, descriptors), and whether a claim is confirmed
//! by a named source (a confirming cue, not refused or negated).

use super::words::Words;
use super::{Anonymity, Attribution, SourceType};
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

/// A claim confirmed by a named source: a confirming cue with a named source.
pub(super) fn mark_confirmations(atts: &mut [Attribution]) {
    for a in atts.iter_mut() {
        if a.confirmation
            && !matches!(
                a.source_type,
                SourceType::NamedOfficial | SourceType::NamedPerson | SourceType::Organization
            )
        {
            a.confirmation = false;
        }
    }
}

/// A confirming cue ("confirmed", "was confirmed by", "verified"), whichever extractor found
/// it, confirms unless it is refused.
pub(super) fn confirm_by_cue(w: &Words, a: &mut Attribution) {
    a.confirmation |= a.cue.iter().any(|c| confirming(c.slice(w.text)));
    if a.confirmation && refused(w, a) {
        a.confirmation = false;
    }
}

/// A confirming cue that is negated or refused: "declined to confirm", "would not confirm",
/// "could neither confirm nor deny", "has yet to confirm", "unable to verify". The team's labels
/// hold 32 confirmations and no refusal, too few to learn this scope from, so it is a rule.
fn refused(w: &Words, a: &Attribution) -> bool {
    let Some(c) = a.cue.first() else { return false };
    let r = w.range(*c);
    let from = r.start.saturating_sub(4);
    let end = a
        .cue
        .last()
        .map(|l| w.range(*l).end)
        .unwrap_or(r.end)
        .max(r.end);
    w.lower[from..end].iter().any(|t| {
        matches!(
            *t,
            "not"
                | "n’t"
                | "n't"
                | "never"
                | "neither"
                | "nor"
                | "no"
                | "declined"
                | "declines"
                | "decline"
                | "refused"
                | "refuses"
                | "refuse"
                | "unable"
                | "yet"
                | "cannot"
                | "failed"
                | "fails"
                | "without"
        )
    })
}

/// A cue that confirms ("confirmed", "was confirmed by", "verified", "corroborates").
fn confirming(cue: &str) -> bool {
    const STEMS: [&str; 3] = ["confirm", "verif", "corroborat"];
    if cue.is_ascii() {
        // Most cues: compared in place, without a lowercased copy.
        let b = cue.as_bytes();
        return STEMS.iter().any(|s| {
            b.windows(s.len())
                .any(|w| w.eq_ignore_ascii_case(s.as_bytes()))
        });
    }
    let t = cue.to_lowercase();
    STEMS.iter().any(|s| t.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::words::testing::{attribution, span_of, with_words};

    /// The anonymity details of the anonymous `source` of a one-sentence `text`.
    fn details(text: &str, source: &str) -> Anonymity {
        with_words(text, |w, seg| {
            anonymity_details(w, seg, w.range(span_of(text, source, 0)), 0)
        })
    }

    /// Whether the attribution (`source` of type `ty`, `cue`) of `text` is a confirmation.
    fn confirmed(text: &str, source: &str, cue: &str, ty: SourceType) -> bool {
        with_words(text, |w, _| {
            let mut a = [attribution(
                vec![span_of(text, source, 0)],
                span_of(text, cue, 0),
            )];
            a[0].source_type = ty;
            confirm_by_cue(w, &mut a[0]);
            mark_confirmations(&mut a);
            a[0].confirmation
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

    #[test]
    fn a_named_source_confirms() {
        let t = "The deal was confirmed by Italian Prime Minister Giorgia Meloni.";
        let meloni = "Italian Prime Minister Giorgia Meloni";
        assert!(confirmed(
            t,
            meloni,
            "confirmed by",
            SourceType::NamedOfficial
        ));
        let t = "The ministry verified the figures.";
        assert!(confirmed(
            t,
            "The ministry",
            "verified",
            SourceType::Organization
        ));
        // An anonymous source's confirmation is not a named source's.
        let t = "A senior official confirmed the deal.";
        let official = "A senior official";
        assert!(!confirmed(t, official, "confirmed", SourceType::Anonymous));
        // Only a confirming cue confirms.
        let t = "Giorgia Meloni said the deal was done.";
        assert!(!confirmed(
            t,
            "Giorgia Meloni",
            "said",
            SourceType::NamedOfficial
        ));
    }

    #[test]
    fn a_refused_or_negated_confirmation_is_none() {
        for (t, cue) in [
            ("Giorgia Meloni declined to confirm the deal.", "confirm"),
            ("Giorgia Meloni would not confirm the deal.", "confirm"),
            (
                "Giorgia Meloni could neither confirm nor deny the deal.",
                "confirm",
            ),
            ("Giorgia Meloni has yet to confirm the deal.", "confirm"),
            ("Giorgia Meloni was unable to verify the figures.", "verify"),
        ] {
            assert!(
                !confirmed(t, "Giorgia Meloni", cue, SourceType::NamedOfficial),
                "{t}"
            );
        }
    }

    #[test]
    fn confirming_cues_in_any_case() {
        for cue in [
            "confirmed",
            "was CONFIRMED by",
            "Verified",
            "corroborates",
            "ÉTAIT confirmé",
        ] {
            assert!(confirming(cue), "{cue}");
        }
        for cue in ["said", "told", "conf", "", "dénié"] {
            assert!(!confirming(cue), "{cue}");
        }
        // Each answer is the one a lowercased copy gives.
        for cue in ["Confirm", "VERIFY", "said", "Corroborated it", "İconfirm"] {
            let t = cue.to_lowercase();
            let slow = ["confirm", "verif", "corroborat"]
                .iter()
                .any(|s| t.contains(s));
            assert_eq!(confirming(cue), slow, "{cue}");
        }
    }
}
