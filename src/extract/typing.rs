//! Source typing by rules and lexicons (RUBRIC types), with pronouns and short names resolved
//! to the entities typed before them in the document; the rules' verdict and the helpers here
//! feed the learned decision in [`super::sourcetype`].

use super::sourcetype::{source_features, Features, MentionCache, RuleView, TypeModel};
use super::words::{head_tag, private_person, proper_name, proper_name_span, Words};
use super::{Attribution, SourceType};
use crate::lexicon::{self, FastSet};
use crate::segment::unwrapped;
use std::ops::Range;

/// One document's source typing: what the rules and the learned model carry from one
/// attribution to the next.
pub(super) struct SourceTyping<'m> {
    /// `None`: the rules' verdict stands.
    model: Option<&'m TypeModel>,
    /// Surnames the document puts next to a role word ([`role_mentions`]).
    roles: FastSet<String>,
    /// The sources typed so far, for pronouns and short names.
    entities: Vec<Entity>,
    mentions: MentionCache,
    feats: Features,
}

impl<'m> SourceTyping<'m> {
    /// `training`: the features keep their names, for the model file.
    pub(super) fn new(w: &Words, model: Option<&'m TypeModel>, training: bool) -> Self {
        SourceTyping {
            model,
            roles: role_mentions(w),
            entities: Vec::new(),
            mentions: MentionCache::default(),
            feats: if training {
                Features::with_names()
            } else {
                Features::default()
            },
        }
    }

    /// Type `a`'s source and name the entity a pronoun or short name refers to; with `sink`,
    /// push the source's features (empty for an attribution without a source). Returns the
    /// source's tokens.
    pub(super) fn type_attribution(
        &mut self,
        w: &Words,
        a: &mut Attribution,
        sink: Option<&mut Vec<Features>>,
    ) -> Option<Range<usize>> {
        let before = self.entities.len();
        type_source(w, &self.roles, &mut self.entities, a);
        let range = source_range(w, a);
        self.feats.clear();
        // A pronoun or short name resolved to an earlier entity takes that entity's type,
        // already learned (RUBRIC: it "takes the type of the entity it refers to"); the model
        // decides the others. In cross-validation the two agree as often (0.86).
        let resolved = a.source_entity.is_some();
        if let Some(range) = range.clone() {
            if (self.model.is_some() && !resolved) || sink.is_some() {
                let view = RuleView {
                    rule: a.source_type,
                    antecedent: a.source_entity.as_ref().map(|_| a.source_type),
                    entity: a.source_entity.as_deref(),
                };
                let cue = a.cue.first().map(|c| w.range(*c).start);
                source_features(
                    w,
                    range,
                    cue,
                    &view,
                    &self.roles,
                    &mut self.mentions,
                    &mut self.feats,
                );
            }
            if let Some(m) = self.model.filter(|_| !resolved) {
                let ty = m.predict(&self.feats);
                a.source_type = ty;
                // Later pronouns and short names take the learned type of this entity.
                if let Some(e) = self.entities[before..].last_mut() {
                    e.ty = ty;
                    e.person = matches!(
                        ty,
                        SourceType::NamedOfficial | SourceType::NamedPerson | SourceType::Anonymous
                    );
                }
            }
        }
        if let Some(s) = sink {
            s.push(std::mem::replace(&mut self.feats, Features::with_names()));
        }
        range
    }
}

/// The source's tokens, a possessive mark left out ("Trump’s" is the name).
fn source_range(w: &Words, a: &Attribution) -> Option<Range<usize>> {
    let src = a.source.first()?;
    let mut range = w.range(*src);
    if range.is_empty() {
        return None;
    }
    while range.len() > 1 && matches!(w.lower[range.end - 1], "s" | "’" | "'") {
        range.end -= 1;
    }
    Some(range)
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
fn role_mentions(w: &Words) -> FastSet<String> {
    let roles = w.lex.roles();
    let mut out = FastSet::default();
    let n = w.tokens.len();
    let mut i = 0;
    while i < n {
        if w.ids.len() == n {
            i = lexicon::next_start(w.ids, i, roles.start_bit());
            if i >= n {
                break;
            }
        }
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

fn type_source(
    w: &Words,
    roles: &FastSet<String>,
    entities: &mut Vec<Entity>,
    a: &mut Attribution,
) {
    if a.source.is_empty() {
        a.source_type = SourceType::None;
        return;
    }
    let lex = w.lex.source_types();
    let Some(range) = source_range(w, a) else {
        a.source_type = SourceType::Other;
        return;
    };
    let toks: &[&str] = &w.lower[range.clone()];
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
        toks,
        &w.ids[range.clone()],
        roles,
        entities,
        a,
    );
    a.source_type = ty;
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
        let lex = w.lex.source_types();
        return match head_tag(lex, toks, ids) {
            Some("media_head") => Some((name, SourceType::Media)),
            // As for any named speaker: an official unless marked as a private person.
            _ if private_person(w, s..k) => Some((name, SourceType::NamedPerson)),
            _ => Some((name, SourceType::NamedOfficial)),
        };
    }
    let lex = w.lex.source_types();
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
    range: Range<usize>,
    toks: &[&str],
    ids: &[u32],
    roles: &FastSet<String>,
    entities: &mut Vec<Entity>,
    a: &mut Attribution,
) -> SourceType {
    let lex = w.lex.source_types();
    let role_lex = w.lex.roles();
    // "Michael Mulgrew, president of the United Federation of Teachers,": the name before an
    // appositive decides the type; a role in the appositive makes the person an official.
    if let Some(c) = toks.iter().position(|t| *t == ",") {
        if c > 0 && proper_name_span(w, range.start..range.start + c).is_some() {
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
        unwrapped(&w.text[w.tokens[range.start].span.start..w.tokens[range.end - 1].span.end])
            .into_owned();
    entities.push(Entity {
        parts: toks.iter().map(|t| t.to_string()).collect(),
        name: label,
        ty,
        person: ty == SourceType::Anonymous,
    });
    ty
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::words::testing::{attribution, span_of, with_words};

    /// The rules' type and resolved entity of each (source, cue) of `text`, typed in order
    /// (each source and cue is the first occurrence at or after the previous cue).
    fn rule_types(text: &str, pairs: &[(&str, &str)]) -> Vec<(SourceType, Option<String>)> {
        with_words(text, |w, _| {
            let mut typing = SourceTyping::new(w, None, false);
            let mut from = 0;
            let mut out = Vec::new();
            for (source, cue) in pairs {
                let c = span_of(text, cue, from);
                let mut a = attribution(vec![span_of(text, source, from)], c);
                from = c.end;
                typing.type_attribution(w, &mut a, None);
                out.push((a.source_type, a.source_entity));
            }
            out
        })
    }

    /// Each (text, source) is typed `ty` by the rules, with the cue "said".
    fn assert_types(cases: &[(&str, &str, SourceType)]) {
        for (text, source, ty) in cases {
            assert_eq!(rule_types(text, &[(source, "said")])[0].0, *ty, "{text}");
        }
    }

    #[test]
    fn named_speakers_with_a_role_are_officials() {
        assert_types(&[
            (
                "Italian Prime Minister Giorgia Meloni said the talks were over.",
                "Italian Prime Minister Giorgia Meloni",
                SourceType::NamedOfficial,
            ),
            (
                "White House spokesman Josh Earnest said the talks were over.",
                "White House spokesman Josh Earnest",
                SourceType::NamedOfficial,
            ),
            // A role as the head, with the definite article: an official in view.
            (
                "The mayor said the bridge would reopen.",
                "The mayor",
                SourceType::NamedOfficial,
            ),
        ]);
    }

    #[test]
    fn a_private_person_is_marked_as_such() {
        assert_types(&[(
            "Maria Lopez, 54, said she would vote for the first time.",
            "Maria Lopez",
            SourceType::NamedPerson,
        )]);
    }

    #[test]
    fn unnamed_and_generic_sources() {
        assert_types(&[
            (
                "A senior official said the talks had stalled.",
                "A senior official",
                SourceType::Anonymous,
            ),
            (
                "Critics said the plan would fail.",
                "Critics",
                SourceType::Vague,
            ),
            (
                "The report said the plant would close.",
                "The report",
                SourceType::Document,
            ),
            // "You" addresses the reader or a hypothetical listener.
            ("You said it would rain.", "You", SourceType::Other),
        ]);
    }

    #[test]
    fn pronouns_and_short_names_take_their_entity() {
        let t = "Italian Prime Minister Giorgia Meloni said the talks were over. \
                 She added that Meloni had warned of this.";
        let got = rule_types(
            t,
            &[
                ("Italian Prime Minister Giorgia Meloni", "said"),
                ("She", "added"),
                ("Meloni", "warned"),
            ],
        );
        let meloni = Some("Giorgia Meloni".to_string());
        assert_eq!(
            got,
            [
                (SourceType::NamedOfficial, None),
                (SourceType::NamedOfficial, meloni.clone()),
                (SourceType::NamedOfficial, meloni),
            ]
        );
    }

    #[test]
    fn an_attribution_without_a_source_has_none() {
        let t = "It was said that the bridge would reopen.";
        with_words(t, |w, _| {
            let mut typing = SourceTyping::new(w, None, true);
            let mut a = attribution(Vec::new(), span_of(t, "said", 0));
            a.source_type = SourceType::Other;
            let mut sink = Vec::new();
            assert_eq!(typing.type_attribution(w, &mut a, Some(&mut sink)), None);
            assert_eq!(a.source_type, SourceType::None);
            // Training still gets one (empty) feature list per attribution.
            assert_eq!(sink.len(), 1);
            assert!(sink[0].hashes.is_empty());
        });
    }

    /// The names of the learned typing's features for `source` (cue "said" or `cue`).
    fn feature_names(text: &str, source: &str, cue: &str) -> Vec<String> {
        with_words(text, |w, _| {
            let mut typing = SourceTyping::new(w, None, true);
            let mut a = attribution(vec![span_of(text, source, 0)], span_of(text, cue, 0));
            let mut sink = Vec::new();
            typing.type_attribution(w, &mut a, Some(&mut sink));
            sink.pop().unwrap().names.unwrap()
        })
    }

    #[test]
    fn name_shape_agreement_and_speakers_are_features() {
        let has = |names: &[String], f: &str| names.iter().any(|n| n == f);
        let f = feature_names(
            "Grace Okafor said the plan would fail.",
            "Grace Okafor",
            "said",
        );
        assert!(has(&f, "given_name"));
        let f = feature_names("Southcorp Holdings said it.", "Southcorp Holdings", "said");
        assert!(!has(&f, "given_name"));
        let f = feature_names("Busted have confirmed the tour.", "Busted", "confirmed");
        assert!(has(&f, "agree= agree_plural") && has(&f, "lone_name|agree= agree_plural"));
        assert!(has(&f, "cap_initial_only") && has(&f, "lone_name|initial"));
        let f = feature_names("The plan, Acme Corp said, is dead.", "Acme Corp", "said");
        assert!(has(&f, "org_suffix") && !has(&f, "cap_initial_only"));
        let f = feature_names("A Labour spokesman said it.", "A Labour spokesman", "said");
        assert!(has(&f, "speaks_for= name") && has(&f, "speaks_for|det= name | indef"));
    }

    #[test]
    fn proper_names_leave_roles_out() {
        let t = "White House spokesman Josh Earnest said it.";
        let (name, parts) = with_words(t, |w, _| proper_name(w, 0..5)).unwrap();
        assert_eq!(name, "Josh Earnest");
        assert_eq!(parts, ["josh", "earnest"]);
    }
}
