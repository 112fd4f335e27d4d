//! The document view every pattern pass reads: tokens with their lowercased words and
//! vocabulary ids ([`Words`]), and the noun-phrase readings over it that both the rules'
//! typing and the learned typing's features use (head word, proper name, private person).

use crate::doc::Span;
use crate::lexicon::{FastMap, FastSet, Lexicon, Lexicons, Lowered};
use crate::segment::{unwrapped, Segmented, Token, TokenKind};
use std::ops::Range;
use std::sync::OnceLock;

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

/// Word lists that only the learned typing reads as features (data/lexicons/given-names.txt
/// and type-evidence.txt). They are embedded with the model trained on them, not overridable
/// with `--lexicons`: a changed list needs a retrained model.
pub(super) struct TypeEvidence {
    given: FastSet<&'static str>,
    class: FastMap<&'static str, &'static str>,
}

impl TypeEvidence {
    pub(super) fn get() -> &'static TypeEvidence {
        static EVIDENCE: OnceLock<TypeEvidence> = OnceLock::new();
        EVIDENCE.get_or_init(|| {
            let lines = |text: &'static str| {
                text.lines()
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
            };
            TypeEvidence {
                given: lines(include_str!("../../data/lexicons/given-names.txt")).collect(),
                class: lines(include_str!("../../data/lexicons/type-evidence.txt"))
                    .filter_map(|l| l.split_once('\t'))
                    .collect(),
            }
        })
    }
    /// A lowercase word is a given name ("grace", "tomas").
    pub(super) fn is_given_name(&self, w: &str) -> bool {
        self.given.contains(w)
    }
    /// The class of a lowercase word in type-evidence.txt ("kin", "org_suffix", ...).
    pub(super) fn class(&self, w: &str) -> Option<&'static str> {
        self.class.get(w).copied()
    }
}

/// Token `k` starts a sentence, a line or a quotation, where a capital says nothing of a name.
pub(super) fn sentence_initial(w: &Words, k: usize) -> bool {
    if k == 0 {
        return true;
    }
    let prev = &w.tokens[k - 1];
    matches!(prev.kind, TokenKind::OpenQuote | TokenKind::Dash)
        || matches!(w.lower[k - 1], "." | "!" | "?" | ":")
        || w.text[prev.span.end..w.tokens[k].span.start].contains('\n')
}

/// A word of the form "54-year-old" or the number of "54 - year - old" at `k`: an age.
fn age_at(w: &Words, k: usize) -> bool {
    let t = w.lower[k];
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(n) = t.strip_suffix("-year-old") {
        return digits(n);
    }
    digits(t) && w.lower.get(k + 1..k + 5) == Some(&["-", "year", "-", "old"][..])
}

/// How far after a source [`private_evidence`] reads its appositive or relative clause.
const CLAUSE_WINDOW: usize = 16;

/// What the source's phrase and the clause after it say of a private person (RUBRIC: age and
/// hometown are not a role; voters, witnesses and relatives are private): "pp=age" (", 54,",
/// "a 71-year-old", "aged 54"), "pp=home" ("from Tampa", ", of Ohio"), "pp=kin" ("the
/// victim's sister"), "pp=noun" ("a retiree"), "pp=clause" ("who voted"). The clause ends at a
/// quotation mark or a sentence's full stop.
pub(super) fn private_evidence(w: &Words, range: Range<usize>) -> Vec<&'static str> {
    let ev = TypeEvidence::get();
    let n = w.tokens.len();
    let mut end = range.end;
    while end < n && end < range.end + CLAUSE_WINDOW {
        let quote = matches!(
            w.tokens[end].kind,
            TokenKind::OpenQuote | TokenKind::CloseQuote
        );
        // A full stop after a word of three letters or more (not "Mr." or "N.H.").
        let stop = w.lower[end] == "." && end > 0 && w.lower[end - 1].len() > 2;
        if quote || stop {
            break;
        }
        end += 1;
    }
    let mut out = Vec::new();
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    for k in range.start..end {
        let t = w.lower[k];
        let next = w.lower.get(k + 1).copied().unwrap_or("");
        let age = age_at(w, k)
            || (t == "aged" && digits(next))
            || (t == "," && digits(next) && w.lower.get(k + 2) == Some(&","));
        if age {
            out.push("pp=age");
        }
        let home = (t == "from" || (t == "of" && k > 0 && w.lower[k - 1] == ","))
            && k + 1 < n
            && w.is_cap(k + 1);
        if home {
            out.push("pp=home");
        }
        match ev.class(t) {
            Some("kin") => out.push("pp=kin"),
            Some("private_noun") => out.push("pp=noun"),
            Some("private_verb")
                if w.lower[k.saturating_sub(3)..k]
                    .iter()
                    .any(|p| matches!(*p, "who" | "whose")) =>
            {
                out.push("pp=clause")
            }
            _ => {}
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whom a spokesperson head at `head` speaks for: "name" ("a Microsoft spokeswoman"), "poss"
/// ("the company's spokesman"), "for" ("a spokesman for Acme Corp", "a spokeswoman for the
/// firm"), "none" ("a spokesman"); `None` when the head is not a spokesperson noun.
pub(super) fn speaks_for(w: &Words, range: Range<usize>, head: usize) -> Option<&'static str> {
    TypeEvidence::get()
        .class(w.lower[head])
        .filter(|c| *c == "spokes")?;
    let before = &w.lower[range.start..head];
    // A capitalised word that is not the article starting the sentence.
    let name_before = (range.start..head)
        .any(|k| w.is_cap(k) && !matches!(w.lower[k], "a" | "an" | "the" | "one" | "another"));
    let poss = before.ends_with(&["’", "s"]) || before.ends_with(&["'", "s"]);
    let n = w.tokens.len();
    let after = head + 1;
    let for_org = after + 1 < n
        && matches!(w.lower[after], "for" | "of" | "at")
        && (w.is_cap(after + 1) || w.lower[after + 1] == "the");
    Some(if poss {
        "poss"
    } else if name_before {
        "name"
    } else if for_org {
        "for"
    } else {
        "none"
    })
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

#[cfg(test)]
mod tests {
    use super::testing::with_words;
    use super::*;

    /// The private-person evidence after the first `n` tokens of `text` as the source.
    fn evidence(text: &str, n: usize) -> Vec<&'static str> {
        with_words(text, |w, _| private_evidence(w, 0..n))
    }

    #[test]
    fn age_hometown_and_private_nouns_are_private_evidence() {
        let t = "Maria Lopez, a 71-year-old retiree from Tampa, said the plan would fail.";
        assert_eq!(evidence(t, 2), ["pp=age", "pp=home", "pp=noun"]);
        let t = "Renee Gold, 83, of Sarasota, said the plan would fail.";
        assert_eq!(evidence(t, 2), ["pp=age", "pp=home"]);
        // "victim" is a private noun too.
        let t = "John Smith, the victim's sister, said the plan would fail.";
        assert_eq!(evidence(t, 2), ["pp=kin", "pp=noun"]);
        let t = "Tomas Novak, an accountant from Ohio who voted for the mayor, said it.";
        assert_eq!(evidence(t, 2), ["pp=clause", "pp=home"]);
    }

    #[test]
    fn an_official_or_a_quotation_gives_no_private_evidence() {
        let t = "Italian Prime Minister Giorgia Meloni said the talks were over.";
        assert!(evidence(t, 5).is_empty());
        // The quotation is the content, not a clause about the speaker.
        let t = "Jim Bennett said: “My mother, 83, voted for him.”";
        assert!(evidence(t, 2).is_empty());
        // "of" with no comma before it is a role's organisation, not a hometown.
        let t = "Chief executive of Acme Sam Reed said it.";
        assert!(evidence(t, 6).is_empty());
    }

    /// Whom the spokesperson of `text` speaks for: the source runs from the first token to
    /// the word `head`.
    fn speaker_of(text: &str, head: &str) -> Option<&'static str> {
        with_words(text, |w, _| {
            let h = w.lower.iter().position(|t| *t == head).unwrap();
            speaks_for(w, 0..h + 1, h)
        })
    }

    #[test]
    fn a_spokesperson_speaks_for_the_organisation_named_with_it() {
        let cases = [
            (
                "A Microsoft spokeswoman said it.",
                "spokeswoman",
                Some("name"),
            ),
            (
                "The company’s spokesman said it.",
                "spokesman",
                Some("poss"),
            ),
            (
                "A spokesman for the firm said it.",
                "spokesman",
                Some("for"),
            ),
            ("A spokesman said it.", "spokesman", Some("none")),
            ("A senior official said it.", "official", None),
        ];
        for (text, head, want) in cases {
            assert_eq!(speaker_of(text, head), want, "{text}");
        }
    }

    #[test]
    fn a_capital_that_starts_a_sentence_is_initial() {
        with_words("Traders said it. Then the traders left.", |w, _| {
            assert!(sentence_initial(w, 0));
            let then = w.lower.iter().position(|t| *t == "then").unwrap();
            assert!(sentence_initial(w, then));
            assert!(!sentence_initial(w, then + 2));
        });
    }

    #[test]
    fn the_evidence_lists_are_loaded() {
        let ev = TypeEvidence::get();
        assert!(ev.is_given_name("grace") && ev.is_given_name("tomas"));
        assert!(!ev.is_given_name("southcorp"));
        assert_eq!(ev.class("corp"), Some("org_suffix"));
        assert_eq!(ev.class("have"), Some("agree_plural"));
        assert_eq!(ev.class("sister"), Some("kin"));
    }
}
