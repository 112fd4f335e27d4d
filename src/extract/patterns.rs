//! Attribution patterns decided with the whole document in view: source types (RUBRIC),
//! the entity a pronoun or short name refers to, anonymity details, confirmation, and
//! per-sentence uncertainty with its hedge cues.

use super::{Anonymity, Attribution, Extraction, SentenceFlags, SourceType};
use crate::doc::Span;
use crate::lexicon::{self, Lexicon, Lowered};
use crate::segment::{Segmented, Token, TokenKind};

/// Lowercased words of the document, one per token, for lexicon matching. They live in one
/// buffer (`LowerTokens`) so a document costs a few allocations, not one per token.
struct Words<'a> {
    text: &'a str,
    tokens: &'a [Token],
    lower: &'a [&'a str],
    /// [`lexicon::vocab`] id of each lowercased word, for [`Lexicon::match_ids`].
    ids: &'a [u32],
}

impl<'a> Words<'a> {
    fn new(text: &'a str, seg: &'a Segmented, lw: &'a Lowered<'a>) -> Self {
        Words {
            text,
            tokens: &seg.tokens,
            lower: &lw.words,
            ids: &lw.ids,
        }
    }
    fn is_cap(&self, i: usize) -> bool {
        self.tokens[i].kind == TokenKind::Word
            && self.tokens[i]
                .span
                .slice(self.text)
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
    }
    /// Token indices covered by a byte span.
    fn range(&self, span: Span) -> std::ops::Range<usize> {
        let a = self.tokens.partition_point(|t| t.span.end <= span.start);
        let b = self.tokens.partition_point(|t| t.span.start < span.end);
        a..b.max(a)
    }
}

/// `lw`: the document's words from [`super::rules::lowercase`].
pub fn annotate(
    text: &str,
    seg: &Segmented,
    lw: &Lowered,
    mut attributions: Vec<Attribution>,
) -> Extraction {
    let words = Words::new(text, seg, lw);
    let roles = role_mentions(&words);
    let mut entities: Vec<Entity> = Vec::new();
    for a in &mut attributions {
        type_source(&words, seg, &roles, &mut entities, a);
        // A confirming cue ("confirmed", "was confirmed by", "verified"), whichever extractor.
        a.confirmation |= a.cue.iter().any(|c| {
            let t = c.slice(text).to_lowercase();
            t.contains("confirm") || t.contains("verif") || t.contains("corroborat")
        });
    }
    mark_confirmations(&mut attributions);
    let sentences = seg
        .sentences
        .iter()
        .map(|s| hedge_sentence(&words, s.tokens.clone(), s.span))
        .collect();
    Extraction {
        attributions,
        sentences,
    }
}

/// How many of the latest entities a short name is looked up in: an article names a few
/// dozen; the bound keeps a huge document linear.
const MAX_ENTITIES_BACK: usize = 1000;

/// A source already typed in this document, for pronouns and short names that come later.
struct Entity {
    name: String,
    /// Lowercased name tokens, for short-name lookups ("meloni").
    parts: Vec<String>,
    ty: SourceType,
    person: bool,
}

/// Surnames (lowercase) that the document puts next to a role word anywhere.
fn role_mentions(w: &Words) -> crate::lexicon::FastSet<String> {
    let roles = lexicon::roles();
    let mut out = crate::lexicon::FastSet::default();
    let n = w.tokens.len();
    let mut i = 0;
    while i < n {
        if let Some((len, _)) = roles.match_ids(w.lower, w.ids, i) {
            // "ROLE First Last": the name right after the role.
            let mut j = i + len;
            while j < n && (w.lower[j] == "." || matches!(w.lower[j], "of" | "the")) {
                j += 1;
            }
            let mut last = None;
            while j < n && (w.is_cap(j) || w.lower[j] == ".") {
                if w.is_cap(j) {
                    last = Some(j);
                }
                j += 1;
            }
            if let Some(l) = last {
                out.insert(w.lower[l].to_string());
            }
            // "Name, the/a ... ROLE": the name right before an appositive role.
            let mut k = i;
            let mut steps = 0;
            while k > 0 && steps < 6 && w.lower[k - 1] != "," && w.lower[k - 1] != "." {
                k -= 1;
                steps += 1;
            }
            if k >= 2 && w.lower[k - 1] == "," && w.is_cap(k - 2) {
                out.insert(w.lower[k - 2].to_string());
            }
            i += len;
        } else {
            i += 1;
        }
    }
    out
}

fn head_tag<'l>(lex: &'l Lexicon, words: &[&str], ids: &[u32]) -> Option<&'l str> {
    // The head of an English noun phrase is its last noun before a modifier clause.
    let cut = words
        .iter()
        .position(|w| {
            matches!(
                *w,
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
        })
        .unwrap_or(words.len());
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

fn type_source(
    w: &Words,
    seg: &Segmented,
    roles: &crate::lexicon::FastSet<String>,
    entities: &mut Vec<Entity>,
    a: &mut Attribution,
) {
    let Some(&src) = a.source.first() else {
        a.source_type = SourceType::None;
        return;
    };
    let lex = lexicon::source_types();
    let range = w.range(src);
    if range.is_empty() {
        a.source_type = SourceType::Other;
        return;
    }
    // A possessive source ("Trump’s") is the name without its mark.
    let mut range = range;
    while range.len() > 1 && matches!(w.lower[range.end - 1], "s" | "’" | "'") {
        range.end -= 1;
    }
    let toks: Vec<&str> = w.lower[range.clone()].to_vec();
    let first = toks[0];
    // Pronouns take the type of the entity they refer to.
    if toks.len() == 1 {
        match lex.word_id(first, w.ids[range.start]) {
            Some("pron_person") => {
                let target = if first == "who" || first == "whom" {
                    relative_antecedent(w, range.start, entities)
                } else {
                    entities
                        .iter()
                        .rev()
                        .find(|e| {
                            matches!(e.ty, SourceType::NamedOfficial | SourceType::NamedPerson)
                        })
                        .map(|e| (e.name.clone(), e.ty))
                };
                match target {
                    Some((name, ty)) => {
                        a.source_type = ty;
                        a.source_entity = Some(name);
                    }
                    None => a.source_type = SourceType::NamedOfficial,
                }
                return;
            }
            Some("pron_thing") => {
                let target = if matches!(first, "which" | "that") {
                    relative_antecedent(w, range.start, entities)
                } else {
                    entities
                        .iter()
                        .rev()
                        .find(|e| !e.person)
                        .map(|e| (e.name.clone(), e.ty))
                };
                match target {
                    Some((name, ty)) => {
                        a.source_type = ty;
                        a.source_entity = Some(name);
                    }
                    // An unresolved "that"/"which" is a thing, not a speaker.
                    None if matches!(first, "that" | "which" | "this") => {
                        a.source_type = SourceType::Other
                    }
                    None => a.source_type = SourceType::Organization,
                }
                return;
            }
            Some("pron_self") => {
                // "I" and "we" are the speaker quoted or interviewed, in PolNeAR most often a
                // private person; "you" addresses the reader or a hypothetical listener.
                a.source_type = if matches!(first, "you" | "your") {
                    SourceType::Other
                } else {
                    SourceType::NamedPerson
                };
                return;
            }
            _ => {}
        }
    }
    let ty = classify_phrase(
        w,
        range.clone(),
        &toks,
        &w.ids[range.clone()],
        roles,
        entities,
        a,
    );
    a.source_type = ty;
    let _ = seg;
    if a.source_type == SourceType::Anonymous {
        a.anonymity = Some(anonymity_details(w, seg, range.clone(), a.sentence));
    }
}

/// Name of a capitalised run in the source, with role words and titles left out.
fn proper_name(w: &Words, range: std::ops::Range<usize>) -> Option<(String, Vec<String>)> {
    let roles = lexicon::roles();
    let lex = lexicon::source_types();
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
    let name = w.text[w.tokens[s].span.start..w.tokens[e - 1].span.end].to_string();
    let parts = w.lower[s..e]
        .iter()
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .map(|p| p.to_string())
        .collect();
    Some((name, parts))
}

fn relative_antecedent(w: &Words, at: usize, entities: &[Entity]) -> Option<(String, SourceType)> {
    // "Meloni, who noted": the noun phrase before the comma.
    let mut k = at;
    while k > 0 && w.lower[k - 1] == "," {
        k -= 1;
    }
    let mut s = k;
    while s > 0
        && k - s < 8
        && !matches!(
            w.lower[s - 1],
            "," | "."
                | "”"
                | "“"
                | "\""
                | "by"
                | "and"
                | "that"
                | "to"
                | "in"
                | "on"
                | "with"
                | "for"
        )
    {
        s -= 1;
    }
    if s >= k {
        return None;
    }
    let toks = &w.lower[s..k];
    let ids = &w.ids[s..k];
    if let Some((name, parts)) = proper_name(w, s..k) {
        let last = parts.last().cloned().unwrap_or_default();
        if let Some(e) = entities
            .iter()
            .rev()
            .take(MAX_ENTITIES_BACK)
            .find(|e| e.parts.contains(&last))
        {
            return Some((e.name.clone(), e.ty));
        }
        let lex = lexicon::source_types();
        return match head_tag(lex, toks, ids) {
            Some("media_head") => Some((name, SourceType::Media)),
            // As for any named speaker: an official unless marked as a private person.
            _ if private_person(w, s..k) => Some((name, SourceType::NamedPerson)),
            _ => Some((name, SourceType::NamedOfficial)),
        };
    }
    let lex = lexicon::source_types();
    let ty = match head_tag(lex, toks, ids) {
        Some("anon_head") => SourceType::Anonymous,
        Some("vague_head") => SourceType::Vague,
        Some("media_head") => SourceType::Media,
        Some("doc_head") => SourceType::Document,
        Some("org_head") => SourceType::Organization,
        _ => return None,
    };
    Some((
        w.text[w.tokens[s].span.start..w.tokens[k - 1].span.end].to_string(),
        ty,
    ))
}

fn classify_phrase(
    w: &Words,
    range: std::ops::Range<usize>,
    toks: &[&str],
    ids: &[u32],
    roles: &crate::lexicon::FastSet<String>,
    entities: &mut Vec<Entity>,
    a: &mut Attribution,
) -> SourceType {
    let lex = lexicon::source_types();
    let role_lex = lexicon::roles();
    // "Michael Mulgrew, president of the United Federation of Teachers,": the name before an
    // appositive decides the type; a role in the appositive makes the person an official.
    if let Some(c) = toks.iter().position(|t| *t == ",") {
        if c > 0 && proper_name(w, range.start..range.start + c).is_some() {
            let ty = classify_phrase(
                w,
                range.start..range.start + c,
                &toks[..c],
                &ids[..c],
                roles,
                entities,
                a,
            );
            let appositive_role =
                (c..toks.len()).any(|k| role_lex.match_ids(toks, ids, k).is_some());
            if ty == SourceType::NamedPerson && appositive_role {
                if let Some(e) = entities.last_mut() {
                    e.ty = SourceType::NamedOfficial;
                }
                return SourceType::NamedOfficial;
            }
            return ty;
        }
    }
    // Outlet and organisation names anywhere in the phrase.
    let mut named_tag = None;
    let mut named_covers_end = false;
    for k in 0..toks.len() {
        if let Some((len, tag)) = lex.match_ids(toks, ids, k) {
            if matches!(tag, "media_name" | "org_name") && w.is_cap(range.start + k) {
                named_tag = Some(tag);
                named_covers_end = k + len == toks.len();
                break;
            }
        }
    }
    let head = head_tag(lex, toks, ids);
    let has_role = (0..toks.len()).any(|k| role_lex.match_ids(toks, ids, k).is_some());
    let name = proper_name(w, range.clone());
    // A proper name as the last word (not an outlet, body or the head noun) is a person.
    let ends_with_name = name.as_ref().is_some_and(|(_, parts)| {
        parts.last().is_some_and(|p| {
            Some(p.as_str())
                == toks
                    .iter()
                    .rev()
                    .find(|t| t.chars().any(char::is_alphanumeric))
                    .copied()
        })
    });
    // "Interim DNC Chairwoman Donna Brazile": an organisation as a modifier of a person.
    if (named_tag.is_none() || !named_covers_end) && ends_with_name && head.is_none() {
        let (full, parts) = name.unwrap_or_default();
        let last = parts.last().cloned().unwrap_or_default();
        // A short name takes the fuller name and the type of an earlier mention.
        if let Some(e) = entities.iter().rev().take(MAX_ENTITIES_BACK).find(|e| {
            matches!(e.ty, SourceType::NamedOfficial | SourceType::NamedPerson)
                && e.parts.contains(&last)
        }) {
            if e.name != full {
                a.source_entity = Some(e.name.clone());
            }
            return e.ty;
        }
        // Most people quoted in news speak in a role; a private person is one the text marks
        // as such (an age, "a voter", a signature under a reader's quote) with no role anywhere.
        let ty = if has_role || roles.contains(&last) || !private_person(w, range.clone()) {
            SourceType::NamedOfficial
        } else {
            SourceType::NamedPerson
        };
        entities.push(Entity {
            name: full,
            parts,
            ty,
            person: true,
        });
        return ty;
    }
    // A role as the head ("the mayor", "the Vermont senator") is an official in view;
    // with an indefinite article ("a federal judge") an unnamed one.
    let role_head = toks
        .iter()
        .rposition(|t| t.chars().any(char::is_alphanumeric))
        .is_some_and(|k| {
            role_lex.match_ids(toks, ids, k).is_some()
                || (k > 0
                    && role_lex
                        .match_ids(toks, ids, k - 1)
                        .is_some_and(|(l, _)| l == 2))
        });
    if role_head && named_tag.is_none() && !matches!(head, Some("doc_head" | "media_head")) {
        let indefinite = toks.first().is_some_and(|t| {
            matches!(
                *t,
                "a" | "an" | "one" | "another" | "two" | "three" | "several" | "some"
            )
        });
        return if indefinite {
            SourceType::Anonymous
        } else {
            SourceType::NamedOfficial
        };
    }
    let ty = match (named_tag, head) {
        (_, Some("doc_head")) => SourceType::Document,
        (Some("media_name"), _) | (_, Some("media_head")) => SourceType::Media,
        (Some("org_name"), _) | (_, Some("org_head")) => SourceType::Organization,
        (_, Some("anon_head")) => SourceType::Anonymous,
        (_, Some("vague_head")) => SourceType::Vague,
        (_, Some("person_head")) => {
            if toks
                .first()
                .is_some_and(|t| matches!(*t, "a" | "an" | "one"))
            {
                SourceType::Anonymous
            } else {
                SourceType::NamedPerson
            }
        }
        _ => {
            let acronym = range.clone().any(|k| {
                let t = w.tokens[k].span.slice(w.text);
                t.len() >= 2 && t.chars().all(|c| c.is_ascii_uppercase())
            });
            if acronym || name.is_some() {
                SourceType::Organization
            } else {
                SourceType::Other
            }
        }
    };
    let label =
        w.text[w.tokens[range.start].span.start..w.tokens[range.end - 1].span.end].to_string();
    entities.push(Entity {
        parts: toks.iter().map(|t| t.to_string()).collect(),
        name: label,
        ty,
        person: ty == SourceType::Anonymous,
    });
    ty
}

fn anonymity_details(
    w: &Words,
    seg: &Segmented,
    range: std::ops::Range<usize>,
    sentence: usize,
) -> Anonymity {
    let lex = lexicon::anonymity();
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
fn mark_confirmations(atts: &mut [Attribution]) {
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

/// Per-sentence uncertainty: hedge cues from the lexicon, questions, with "would" only as a
/// prediction (not "said it would", a reported decision).
fn hedge_sentence(w: &Words, toks: std::ops::Range<usize>, span: Span) -> SentenceFlags {
    let lex = lexicon::hedges();
    let mut hedges = Vec::new();
    let mut k = toks.start;
    while k < toks.end {
        if let Some((len, class)) = lex.match_ids(&w.lower[..toks.end], &w.ids[..toks.end], k) {
            let keep = !name_like(w, toks.start, k)
                && match class {
                    "hypothetical" => {
                        !(k >= toks.start + 2
                            && matches!(w.lower[k - 1], "it" | "he" | "she" | "they" | "we")
                            && lexicon::cues().contains(w.lower[k - 2]))
                    }
                    // "Some say", "many critics", "some of the best": a quantifier over people or
                    // opinion, not a count ("some 30 people", "many times").
                    "weasel_quantifier" => {
                        let next = w.lower.get(k + 1).copied().unwrap_or("");
                        let vague = lexicon::source_types().word(next) == Some("vague_head");
                        let says = (k + 1..(k + 4).min(toks.end))
                            .any(|j| lexicon::cues().contains(w.lower[j]));
                        vague || says || (next == "of" && w.lower.get(k + 2) == Some(&"the"))
                    }
                    "conditional" => {
                        // "if" about facts, not a generic condition: needs a modal in the sentence.
                        w.lower[toks.clone()]
                            .iter()
                            .any(|t| matches!(*t, "would" | "could" | "might" | "may"))
                    }
                    _ => true,
                };
            if keep {
                hedges.push(Span::new(
                    w.tokens[k].span.start,
                    w.tokens[k + len - 1].span.end,
                ));
            }
            k += len;
        } else {
            if w.lower[k] == "?" {
                hedges.push(w.tokens[k].span);
            }
            k += 1;
        }
    }
    SentenceFlags {
        span,
        uncertain: !hedges.is_empty(),
        hedges,
    }
}

/// A capitalised word inside a sentence is a name, not a hedge: "in May 2016", "Devil May
/// Cry". Sentence-initial words, words after an opening quote, dash or colon, and words in
/// capitals throughout (headlines) stay hedge candidates.
fn name_like(w: &Words, sent_start: usize, k: usize) -> bool {
    let s = w.tokens[k].span.slice(w.text);
    let capital = s.chars().next().is_some_and(char::is_uppercase);
    let all_caps = s.chars().all(|c| !c.is_lowercase());
    if !capital || all_caps || k == sent_start {
        return false;
    }
    let prev = &w.tokens[k - 1];
    let after_opener = matches!(prev.kind, TokenKind::OpenQuote | TokenKind::Dash)
        || matches!(prev.span.slice(w.text), ":" | "(" | "[");
    !after_opener
}

/// The text marks a named speaker as a private person: an age (", 54,"), a private-person
/// noun next to the name ("a voter", "a retiree"), a handle, or a signature under a quote.
fn private_person(w: &Words, range: std::ops::Range<usize>) -> bool {
    let lex = lexicon::source_types();
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

#[cfg(test)]
mod hedge_tests {
    use crate::extract::{extract, ModelKind};

    /// (sentence, uncertain, hedge cues) for a one-sentence text.
    fn flags(text: &str) -> (bool, Vec<String>) {
        let seg = crate::segment::segment(text);
        let x = extract(text, &seg, ModelKind::Rules);
        let s = &x.sentences[0];
        let cues = s.hedges.iter().map(|h| h.slice(text).to_string()).collect();
        (s.uncertain, cues)
    }

    #[test]
    fn capitalised_names_are_not_hedges() {
        assert_eq!(flags("The vote was held in May 2016."), (false, vec![]));
        assert_eq!(flags("He voiced Nero in Devil May Cry 4."), (false, vec![]));
        assert_eq!(
            flags("He may resign next week."),
            (true, vec!["may".into()])
        );
        assert_eq!(
            flags("She said: “Maybe we will.”"),
            (true, vec!["Maybe".into()])
        );
    }
}
