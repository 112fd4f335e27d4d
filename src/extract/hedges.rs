//! The hedge rules: which hedge-lexicon matches of a sentence are cues of uncertainty
//! ("would" as a prediction, "may" as speculation, "possible" outside idioms), and weasel
//! attribution built from context words ("some argue", "is widely believed"). Their verdict
//! and candidates feed the learned decision in [`super::hedging`].

use super::words::Words;
use super::{ClaimKind, SentenceFlags};
use crate::doc::Span;
use crate::lexicon;
use crate::segment::TokenKind;
use std::ops::Range;

/// A hedge candidate: a lexicon match (with its class and the rules' verdict) or a cue word
/// of the labels.
pub struct Candidate<'l> {
    pub tokens: Range<usize>,
    pub class: &'l str,
    pub kept: bool,
}

/// Per-sentence uncertainty: hedge cues from the lexicon, questions, with "would" only as a
/// prediction (not "said it would", a reported decision; not "would later", a narrative),
/// "may" only as speculation (not a generic "may include", "may be used"), and weasel
/// attribution built from context words ([`weasel_spans`]).
pub(super) fn hedge_sentence<'l>(
    w: &Words<'l>,
    toks: Range<usize>,
    span: Span,
    mut cands: Option<&mut Vec<Candidate<'l>>>,
) -> SentenceFlags {
    let lex = w.lex.hedges();
    let mut hedges = Vec::new();
    // Conditional cues ("if", "unless"), kept when a modal of the sentence is a cue.
    let mut ifs = Vec::new();
    let mut modal = false;
    let mut k = toks.start;
    while k < toks.end {
        // Only a token that starts a hedge ("?" included) does anything below.
        k = lexicon::next_start(&w.ids[..toks.end], k, lex.start_bit());
        if k >= toks.end {
            break;
        }
        if let Some((len, class)) = lex.match_ids(&w.lower[..toks.end], &w.ids[..toks.end], k) {
            let keep = !name_like(w, toks.start, k)
                && match class {
                    "hypothetical" => {
                        let reported = k >= toks.start + 2
                            && matches!(w.lower[k - 1], "it" | "he" | "she" | "they" | "we")
                            && w.lex.cues().contains(w.lower[k - 2]);
                        !reported && !narrative_would(w, toks.start, k + len, toks.end)
                    }
                    "modal" if len == 1 && w.lower[k] == "may" => {
                        !generic_may(w, toks.start, k, toks.end)
                    }
                    "modal" if len == 1 && w.lower[k] == "possible" => {
                        !possible_idiom(w, toks.start, k, toks.end)
                    }
                    // "could not": inability, not speculation ("could not be reached").
                    "modal" if len == 1 && w.lower[k] == "could" => {
                        !matches!(w.lower.get(k + 1).copied(), Some("not" | "never"))
                    }
                    "epistemic" if len == 1 && w.lower[k].starts_with("appear") => {
                        // "appeared in the film": being seen, not "appears to be".
                        !(k + 1 < toks.end && context_class(w, k + 1) == Some("place"))
                    }
                    "conditional" => {
                        // "if" about facts, not a generic condition ("works fine if you're
                        // eligible"): kept below if a modal of the sentence is a cue itself.
                        false
                    }
                    _ => true,
                };
            let s = Span::new(w.tokens[k].span.start, w.tokens[k + len - 1].span.end);
            if let Some(c) = cands.as_deref_mut() {
                c.push(Candidate {
                    tokens: k..k + len,
                    class,
                    kept: keep,
                });
            }
            if keep {
                if matches!(class, "modal" | "hypothetical")
                    && matches!(w.lower[k], "would" | "could" | "might" | "may")
                {
                    modal = true;
                }
                hedges.push(s);
            } else if class == "conditional" && !name_like(w, toks.start, k) {
                ifs.push(s);
            }
            k += len;
        } else {
            k += 1;
        }
    }
    if modal {
        hedges.extend(ifs);
    }
    for s in weasel_spans(w, toks.clone()) {
        if let Some(c) = cands.as_deref_mut() {
            let r = w.range(s);
            c.push(Candidate {
                tokens: r,
                class: "weasel",
                kept: true,
            });
        }
        if !hedges.iter().any(|h| h.start < s.end && s.start < h.end) {
            hedges.push(s);
        }
    }
    hedges.sort_by_key(|h| (h.start, h.end));
    SentenceFlags {
        span,
        uncertain: !hedges.is_empty(),
        hedges,
        // Decided last, by the claim model, in `extract`.
        kind: ClaimKind::Factual,
        kind_probability: 1.0,
    }
}

/// The class of token `i` in `hedge-context.txt`, if it has one.
#[inline]
fn context_class<'l>(w: &Words<'l>, i: usize) -> Option<&'l str> {
    let (t, id) = (w.lower.get(i)?, w.ids.get(i)?);
    w.context.word_id(t, *id)
}

/// The first token at or after `i` (before `end`) that is not an adverb standing between an
/// auxiliary and its verb ("may also be", "is widely regarded"); at most three are skipped.
fn skip_adverbs(w: &Words, mut i: usize, end: usize) -> usize {
    let mut n = 0;
    while i < end && n < 3 && matches!(context_class(w, i), Some("skip" | "often" | "then")) {
        i += 1;
        n += 1;
    }
    i
}

/// "Would" followed by a narrative future-in-the-past word ("would later become", "would
/// soon define", "would go on to"): a plain account of what happened, not a prediction.
fn narrative_would(w: &Words, start: usize, after: usize, end: usize) -> bool {
    // "would again ... if": a hypothetical, whatever the adverb.
    if w.lower[start..end]
        .iter()
        .any(|t| matches!(*t, "if" | "unless"))
    {
        return false;
    }
    let mut i = after;
    while i < end && matches!(context_class(w, i), Some("skip")) && i < after + 2 {
        i += 1;
    }
    i < end && context_class(w, i) == Some("narrative")
}

/// A generic "may" (what can be or be done in general): "symptoms may include fever", "the
/// cable may be detachable or fixed ... may be used", "it may have a range of". Speculation
/// about a fact ("he may have been killed", "the deal may collapse") is not generic.
fn generic_may(w: &Words, start: usize, k: usize, end: usize) -> bool {
    let i = skip_adverbs(w, k + 1, end);
    match w.lower.get(i).copied() {
        _ if i >= end => false,
        // "may have been", "may have had": speculation about the past.
        Some("have") => i + 1 < end && context_class(w, i + 1) == Some("det"),
        Some("well") => false,
        Some("be") => {
            let j = skip_adverbs(w, i + 1, end);
            (j < end && context_class(w, j) == Some("may_generic")) || generic_subject(w, start, k)
        }
        _ => context_class(w, i) == Some("may_generic") || generic_subject(w, start, k),
    }
}

/// The subject right before "may" is generic: "one", "you", or a bare plural with no
/// determiner, possessive, quantifier, number or name before it in its phrase ("players may
/// bid", "exiting trucks may contain"; not "the players", "900 teachers", "many readers",
/// "Peoria's teachers").
fn generic_subject(w: &Words, start: usize, k: usize) -> bool {
    if k <= start {
        return false;
    }
    let h = k - 1;
    if context_class(w, h) == Some("generic_subject") {
        return true;
    }
    let head = w.lower[h];
    let plural = w.tokens[h].kind == TokenKind::Word
        && head.len() > 3
        && head.ends_with('s')
        && !["ss", "us", "is"].iter().any(|e| head.ends_with(e))
        && context_class(w, h).is_none()
        && w.lex.hedges().word_id(head, w.ids[h]).is_none()
        && !name_like(w, start, h);
    if !plural {
        return false;
    }
    let specific = |j: usize| {
        w.tokens[j].kind == TokenKind::Number
            || w.lower[j] == "s"
            || matches!(context_class(w, j), Some("det" | "quantifier"))
            || name_like(w, start, j)
    };
    let lo = h.saturating_sub(3).max(start);
    !(lo..h)
        .rev()
        .take_while(|&j| {
            w.tokens[j].kind == TokenKind::Word || w.tokens[j].kind == TokenKind::Number
        })
        .any(specific)
}

/// "Possible" in an idiom or of ability, not speculation: "as soon as possible", "as many
/// as possible", "it is possible to use", "if possible", "made it possible".
fn possible_idiom(w: &Words, start: usize, k: usize, end: usize) -> bool {
    let prev = |n: usize| if k >= start + n { w.lower[k - n] } else { "" };
    let next = if k + 1 < end { w.lower[k + 1] } else { "" };
    let as_as = (1..=4).any(|n| prev(n) == "as") && !matches!(prev(1), "is" | "was");
    as_as
        || next == "to"
        || prev(1) == "if"
        || (prev(1) == "it" && matches!(prev(2), "make" | "makes" | "made" | "making"))
}

/// Weasel attribution (RUBRIC: "some say"), from `hedge-context.txt`:
/// - a vague holder with an opinion or report verb within four words: "some argue", "many
///   critics consider", "others question", "some autistic adults find";
/// - an opinion participle in the passive with no agent or a vague one: "it is widely
///   believed", "is considered by many", "has been suggested", "was seen as";
/// - a frequency adverb with an opinion participle: "often regarded as", "widely accepted";
/// - "according to" a vague holder: "according to some".
///
/// A vague quantifier alone ("several commercials", "most African nations") is a plain
/// assertion and gives nothing.
fn weasel_spans(w: &Words, toks: Range<usize>) -> Vec<Span> {
    let mut out = Vec::new();
    let end = toks.end;
    let punct = |i: usize| w.tokens[i].kind != TokenKind::Word;
    let span = |a: usize, b: usize| Span::new(w.tokens[a].span.start, w.tokens[b].span.end);
    // A vague agent after "by": a quantifier or group ("by many", "by critics") or a bare
    // lowercase plural ("by scientists"); a named or specific agent makes it attributed.
    let holder = |i: usize| i < end && matches!(context_class(w, i), Some("quantifier" | "group"));
    let vague_agent = |i: usize| {
        i < end
            && (holder(i)
                || (!punct(i) && holder(i + 1))
                || (!w.is_cap(i) && w.lower[i].ends_with('s') && context_class(w, i).is_none()))
    };
    // "as" after a participle, possibly after a vague agent: "seen by many as"; not "as well".
    let as_follows = |j: usize| {
        (j + 1..(j + 5).min(end))
            .take_while(|&i| !punct(i))
            .any(|i| w.lower[i] == "as" && w.lower.get(i + 1) != Some(&"well"))
    };
    // "to" or "that" right after a participle: "is said to be", "it was reported that".
    let to_follows = |j: usize| j + 1 < end && matches!(w.lower[j + 1], "to" | "that");
    // A form of "be" before token `i`, over at most three adverbs: "is widely regarded", "has
    // long been thought".
    let be_before = |i: usize| {
        let mut b = i;
        while b > toks.start {
            b -= 1;
            match context_class(w, b) {
                Some("be") => return Some(b),
                // A reduced relative: "the team, then considered the best".
                Some("then") if b + 1 == i => return Some(b),
                Some("skip" | "often") if i - b < 4 => {}
                _ => return None,
            }
        }
        None
    };
    // Only context words and "according" (a cue phrase) can start a pattern.
    for i in w
        .context
        .candidates(&w.ids[..end], toks.start)
        .or(w.lex.cue_phrases())
    {
        // Most candidates ("the", "is") only ever follow a pattern's first word: turned away
        // by one table read before their class is looked up.
        let starters = w.weasel_starters;
        let id = w.ids[i];
        if id != starters.according
            && starters
                .bits
                .get(lexicon::id_index(id))
                .is_none_or(|&b| b == 0)
        {
            continue;
        }
        let class = context_class(w, i);
        // Only these classes and "according" start a pattern (checked first: cheaper; most
        // context words, "the" or "is", only ever follow one).
        let starts = matches!(
            class,
            Some("quantifier" | "group" | "opinion_pp" | "as_pp" | "to_pp" | "often")
        ) || w.lower[i] == "according";
        if !starts || name_like(w, toks.start, i) {
            continue;
        }
        match class {
            Some("quantifier" | "group") => {
                if class == Some("quantifier") && w.lower[i] == "most" {
                    // "the most", "his most noted", "most easily described": a superlative.
                    let det = i > toks.start
                        && (context_class(w, i - 1) == Some("det") || w.lower[i - 1] == "s");
                    let next_adv = i + 1 < end && w.lower[i + 1].ends_with("ly");
                    let next_verb = i + 1 < end
                        && matches!(
                            context_class(w, i + 1),
                            Some("opinion" | "opinion_pp" | "as_pp" | "often_pp")
                        );
                    if det || next_adv || next_verb {
                        continue;
                    }
                }
                // The verb, not a noun of the same form: "some of the greatest fear", "the view".
                let verb = |j: usize| {
                    matches!(
                        context_class(w, j),
                        Some("opinion" | "opinion_pp" | "as_pp" | "to_pp")
                    ) && context_class(w, j - 1) != Some("det")
                        && !w.lower[j - 1].ends_with("est")
                };
                if let Some(j) = (i + 1..(i + 5).min(end))
                    .take_while(|&j| !punct(j))
                    .find(|&j| verb(j))
                {
                    out.push(span(i, j));
                }
            }
            Some("opinion_pp" | "as_pp" | "to_pp") if i > toks.start => {
                if (class == Some("as_pp") && !as_follows(i))
                    || (class == Some("to_pp") && !to_follows(i))
                {
                    continue;
                }
                let by = i + 1 < end && w.lower[i + 1] == "by";
                if by && !vague_agent(i + 2) {
                    continue;
                }
                if let Some(b) = be_before(i) {
                    out.push(span(b, i));
                } else if by {
                    out.push(span(i, i + 2));
                }
            }
            Some("often") if i + 1 < end => {
                // Passive after "be" ("is widely believed"); without it, a participle phrase
                // ends at "as", "to", "by" or punctuation ("a film often regarded as"), where
                // an active verb takes an object ("experts generally praised the plan", "has
                // long said that").
                let be = be_before(i);
                let passive = be.is_some()
                    || (i + 2 >= end
                        || punct(i + 2)
                        || matches!(w.lower[i + 2], "as" | "to" | "by"));
                let next = context_class(w, i + 1);
                let ok = passive
                    && match next {
                        Some("opinion_pp" | "often_pp") => true,
                        Some("as_pp") => as_follows(i + 1),
                        Some("to_pp") => to_follows(i + 1),
                        _ => false,
                    };
                let by = i + 2 < end && w.lower[i + 2] == "by";
                // After "be", an opinion participle gives its own span from "be" on.
                let own = be.is_some() && next != Some("often_pp");
                let named_agent = by && !vague_agent(i + 3);
                if ok && !own && !named_agent {
                    out.push(span(be.unwrap_or(i), i + 1));
                }
            }
            _ if w.lower[i] == "according"
                && i + 2 < end
                && w.lower[i + 1] == "to"
                && matches!(context_class(w, i + 2), Some("quantifier" | "group")) =>
            {
                out.push(span(i, i + 2));
            }
            _ => {}
        }
    }
    out
}

/// A capitalised word inside a sentence is a name, not a hedge: "in May 2016", "Devil May
/// Cry". Sentence-initial words, words after an opening quote, dash or colon, and words in
/// capitals throughout (headlines) stay hedge candidates.
fn name_like(w: &Words, sent_start: usize, k: usize) -> bool {
    let s = w.tokens[k].span.slice(w.text);
    if k == sent_start
        || !s.chars().next().is_some_and(char::is_uppercase)
        || s.chars().all(|c| !c.is_lowercase())
    {
        return false;
    }
    let prev = &w.tokens[k - 1];
    let after_opener = matches!(prev.kind, TokenKind::OpenQuote | TokenKind::Dash)
        || matches!(prev.span.slice(w.text), ":" | "(" | "[");
    !after_opener
}

#[cfg(test)]
mod tests {
    use super::hedge_sentence;
    use crate::extract::words::testing::with_words;

    /// (sentence, uncertain, hedge cues) for a one-sentence text, as the hedge rules decide
    /// (the candidates and features of the learned decision; the final decision is tested in
    /// tests/behaviour.rs).
    fn flags(text: &str) -> (bool, Vec<String>) {
        with_words(text, |w, seg| {
            let s0 = &seg.sentences[0];
            let s = &hedge_sentence(w, s0.tokens.clone(), s0.span, None);
            let cues = s.hedges.iter().map(|h| h.slice(text).to_string()).collect();
            (s.uncertain, cues)
        })
    }

    /// Each sentence has exactly these hedge cues (none: certain).
    fn assert_cues(cases: &[(&str, &[&str])]) {
        for (text, want) in cases {
            let want = (
                !want.is_empty(),
                want.iter().map(|s| s.to_string()).collect(),
            );
            assert_eq!(flags(text), want, "{text}");
        }
    }

    /// Each sentence is certain, with no hedge cue.
    fn assert_certain(texts: &[&str]) {
        for text in texts {
            assert_eq!(flags(text), (false, vec![]), "{text}");
        }
    }

    #[test]
    fn capitalised_names_are_not_hedges() {
        assert_certain(&[
            "The vote was held in May 2016.",
            "He voiced Nero in Devil May Cry 4.",
        ]);
        assert_cues(&[
            ("He may resign next week.", &["may"]),
            ("She said: “Maybe we will.”", &["Maybe"]),
        ]);
    }

    #[test]
    fn generic_may_is_certain() {
        // What can be or be done in general, not speculation about a fact (RUBRIC: a generic
        // conditional is certain).
        assert_certain(&[
            "Symptoms may include fever and headache.",
            "The cable may be used outdoors.",
            "Players may bid two to four points.",
            "One may describe them more precisely.",
            "The device may have a range of ten metres.",
            // "if" with only a generic "may" is a generic conditional.
            "Guests may stay longer if they ask.",
        ]);
    }

    #[test]
    fn epistemic_may_is_uncertain() {
        assert_cues(&[
            ("He may have been killed in the battle.", &["may"]),
            ("The deal may collapse next week.", &["may"]),
            ("The painting may well be a forgery.", &["may"]),
            (
                "The best approach may be to wait for his successor.",
                &["may"],
            ),
            ("Readers in Ohio may be surprised.", &["may"]),
        ]);
    }

    #[test]
    fn weasel_attribution_is_uncertain() {
        assert_cues(&[
            ("Some argue that the plan failed.", &["Some argue"]),
            (
                "Many critics consider the film a failure.",
                &["Many critics consider"],
            ),
            (
                "Others question the value of the study.",
                &["Others question"],
            ),
            (
                "The film is considered by many to be a classic.",
                &["is considered"],
            ),
            (
                "The remarks were viewed by some as disparaging.",
                &["were viewed"],
            ),
            (
                "The effectiveness of the scheme has been questioned.",
                &["been questioned"],
            ),
            (
                "The tower is widely seen as a symbol of the city.",
                &["is widely seen"],
            ),
            (
                "Her novel, often described as a satire, sold well.",
                &["often described"],
            ),
            (
                "According to some historians, the fort is older.",
                &["According to some"],
            ),
            ("The bridge is said to be haunted.", &["said to be"]),
        ]);
    }

    #[test]
    fn plain_quantifiers_and_named_opinions_are_certain() {
        assert_certain(&[
            "After appearing in several commercials, she made her first film.",
            "Most African nations joined the union in 1963.",
            "Some of the players were injured.",
            "Many people died in the flood.",
            // A named agent attributes the view: an attributed assertion.
            "The bridge was described by Smith as a masterpiece.",
            // A superlative "most", not a quantifier over people.
            "He is most noted for his operas.",
            // An active verb with an object, not an agentless passive.
            "The experts generally praised the plan.",
            "Nothing is said about the cost.",
        ]);
    }

    #[test]
    fn modals_of_fact_narrative_and_ability_are_certain() {
        assert_cues(&[
            ("He would later become mayor of the city.", &[]),
            ("If elected, he would later cut taxes.", &["If", "would"]),
            ("Officials could not be reached for comment.", &[]),
            ("The deal could collapse.", &["could"]),
            ("She appeared in the film in 1990.", &[]),
            ("He appears to be ill.", &["appears"]),
            ("We left as soon as possible.", &[]),
            ("It is possible to use two cogs.", &[]),
            ("It is possible that he lied.", &["possible"]),
        ]);
    }
}
