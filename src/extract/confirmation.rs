//! The learned confirmation decision: whether a confirm / verify / corroborate / acknowledge
//! word is its source confirming something, refusing to ("declined to confirm", "could
//! neither confirm nor deny", "has yet to confirm"), or neither (an appointment "confirmed as",
//! a "confirmation hearing", a booking, plain acknowledging). A logistic regression
//! ([`super::learn`]) over the word, its family, the negation, modal and refusal words before
//! it, passive and agentless forms, what follows, and the rules' own verdict. It runs only on
//! those words, so it costs nothing on most text. Trained by `onrecord train-confirmations`
//! on data/labels/confirmations.tsv into data/models/confirmation.tsv.

use super::sourcetype::{feature_hash, model_lines, parse_embedded, Features, WeightTable};
use super::words::Words;
use super::{Attribution, SourceType};
use crate::doc::Span;
use crate::segment::{Segmented, TokenKind};
use std::ops::Range;

const DEFAULT_MODEL: &str = include_str!("../../data/models/confirmation.tsv");

/// The decision's classes, in the model file's column order.
pub const CLASSES: [&str; 3] = ["other", "confirms", "refuses"];
const CONFIRMS: usize = 1;
const REFUSES: usize = 2;

/// The word families, by stem; each word is matched lowercased.
const FAMILIES: [&str; 4] = ["confirm", "verif", "corroborat", "acknowledg"];

/// Tokens looked at before the word for negation and refusal (up to the last comma).
const WINDOW: usize = 6;

/// The family of a lowercased word, if it is a confirm-family word.
pub(super) fn family(lower: &str) -> Option<&'static str> {
    // Most words: rejected on their first byte.
    if !matches!(lower.as_bytes().first(), Some(b'c' | b'v' | b'a')) {
        return None;
    }
    FAMILIES.into_iter().find(|f| lower.starts_with(f))
}

/// A confirm-family word as a feature: its lemma family (the RUBRIC's "confirms / verifies /
/// corroborates" are one, acknowledging another) and its form ("confirm|ed", "confirm|noun"),
/// so that "verified" is read as "confirmed" is, and the labels' few verify words do not
/// decide alone.
fn lemma_form(word: &str) -> (&'static str, &'static str) {
    let lemma = match family(word) {
        Some("acknowledg") => "acknowledge",
        _ => "confirm",
    };
    let form = if word.ends_with("ed") {
        "ed"
    } else if word.ends_with("ing") {
        "ing"
    } else if ["ation", "ations", "ment", "ments"]
        .iter()
        .any(|x| word.ends_with(x))
    {
        "noun"
    } else if word.ends_with("able") {
        "able"
    } else if word.ends_with('s') {
        "s"
    } else {
        "base"
    };
    (lemma, form)
}

/// Words before a confirm word that negate, refuse or defer it, or ask for it.
fn refusal_word(w: &str) -> bool {
    matches!(
        w,
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
            | "refusing"
            | "refusal"
            | "declining"
            | "unwilling"
            | "reluctant"
            | "fail"
            | "failing"
            | "unable"
            | "yet"
            | "cannot"
            | "failed"
            | "fails"
            | "without"
    )
}

/// Function words of the verb group between a subject and its confirm word ("could not
/// immediately", "has yet to", "declined to"); also the words the features name.
fn verb_group(w: &str) -> bool {
    refusal_word(w)
        || matches!(
            w,
            "to" | "has"
                | "have"
                | "had"
                | "was"
                | "were"
                | "is"
                | "are"
                | "be"
                | "been"
                | "being"
                | "did"
                | "does"
                | "do"
                | "would"
                | "could"
                | "can"
                | "will"
                | "may"
                | "might"
                | "should"
                | "must"
                | "able"
                | "also"
                | "later"
                | "still"
                | "sought"
                | "seeking"
                | "asked"
                | "asking"
                | "ask"
                | "wanted"
                | "want"
                | "if"
                | "whether"
        )
        || (w.ends_with("ly") && w.len() > 3)
}

/// The rules' verdict on the word at token `k`: a confirm, verify or corroborate word with no
/// negation or refusal among the four tokens before it.
fn rule_confirms(w: &Words, k: usize, sent: &Range<usize>) -> bool {
    family(w.lower[k]).is_some_and(|f| f != "acknowledg")
        && !w.lower[k.saturating_sub(4).max(sent.start)..k]
            .iter()
            .any(|t| refusal_word(t))
}

/// The features of the confirm-family word at token `k` of sentence `sent`.
pub(super) fn features(w: &Words, k: usize, sent: Range<usize>, out: &mut Features) {
    out.clear();
    let (fam, form) = lemma_form(w.lower[k]);
    out.add(&["bias"]);
    out.add(&["word=", fam, "|", form]);
    out.add(&["family=", fam]);
    out.add(&["form=", form]);
    out.add(&["rule=", if rule_confirms(w, k, &sent) { "1" } else { "0" }]);
    if w.tokens[k].in_quote {
        out.add(&["in_quote"]);
    }
    // Before: up to the last comma or semicolon, at most WINDOW words.
    let from = (sent.start..k)
        .rev()
        .take(WINDOW)
        .take_while(|&j| !matches!(w.lower[j], "," | ";" | ":" | "(" | "—" | "–"))
        .last()
        .unwrap_or(k);
    let mut refusal = false;
    for j in from..k {
        let t = w.lower[j];
        if refusal_word(t) || verb_group(t) && !t.ends_with("ly") {
            out.add(&["before=", t]);
            out.add(&["before|family=", t, "|", fam]);
        }
        refusal |= refusal_word(t);
    }
    if refusal {
        out.add(&["refusal_before"]);
    }
    let prev = if k > sent.start {
        w.lower[k - 1]
    } else {
        "<s>"
    };
    let prev2 = if k > sent.start + 1 {
        w.lower[k - 2]
    } else {
        "<s>"
    };
    out.add(&["prev=", prev]);
    out.add(&["prev2|prev=", prev2, "|", prev]);
    out.add(&["prev|form=", prev, "|", form]);
    // A capitalised subject right before ("Microsoft confirmed").
    if k > sent.start && w.is_cap(k - 1) {
        out.add(&["prev_cap"]);
    }
    let next = if k + 1 < sent.end {
        w.lower[k + 1]
    } else {
        "</s>"
    };
    let next2 = if k + 2 < sent.end {
        w.lower[k + 2]
    } else {
        "</s>"
    };
    out.add(&["next=", next]);
    out.add(&["form|next=", form, "|", next]);
    out.add(&["next|next2=", next, "|", next2]);
    // Passive: "was confirmed", with or without its agent ("by the ministry").
    if matches!(
        prev,
        "was" | "were" | "is" | "are" | "been" | "be" | "being"
    ) {
        out.add(&["passive"]);
        out.add(&[if next == "by" {
            "passive_by"
        } else {
            "passive_agentless"
        }]);
    }
    if k + 1 < sent.end && w.is_cap(k + 1) {
        out.add(&["next_cap"]);
    }
    // A role or title as what is confirmed ("confirmed as chief executive", "confirm a
    // judge"): the appointment sense.
    let roles = w.lex.roles();
    let after = k + 1..(k + 5).min(sent.end);
    if after
        .clone()
        .take_while(|&j| !matches!(w.lower[j], "," | "that" | ";"))
        .any(|j| roles.match_ids(w.lower, w.ids, j).is_some())
    {
        out.add(&["role_after"]);
        out.add(&["role_after|family=", fam]);
    }
}

/// Confirmation weights, one row of [`CLASSES`] per feature.
pub struct ConfirmModel {
    table: WeightTable<3>,
    /// Whether a confirm word no attribution holds gets one ([`attribute_confirm_words`]):
    /// chosen by cross-validation.
    add_unattributed: bool,
}

impl ConfirmModel {
    /// The model shipped in data/models/confirmation.tsv.
    pub fn embedded() -> anyhow::Result<ConfirmModel> {
        parse_embedded("data/models/confirmation.tsv", || {
            ConfirmModel::parse(DEFAULT_MODEL)
        })
    }

    /// `#` comments; an `add_unattributed<TAB>0|1` line; a
    /// `classes<TAB>other<TAB>confirms<TAB>refuses` line; then
    /// `feature<TAB>w_other<TAB>w_confirms<TAB>w_refuses`.
    pub fn parse(text: &str) -> Result<ConfirmModel, String> {
        let mut rows = Vec::new();
        let mut saw_classes = false;
        let mut add_unattributed = false;
        for (n, line) in model_lines(text) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols[0] == "add_unattributed" {
                add_unattributed = match cols.get(1) {
                    Some(&"1") => true,
                    Some(&"0") => false,
                    _ => return Err(format!("line {n}: add_unattributed is 0 or 1")),
                };
                continue;
            }
            if cols[0] == "classes" {
                if cols[1..] != CLASSES {
                    return Err(format!("line {n}: classes must be {}", CLASSES.join(" ")));
                }
                saw_classes = true;
                continue;
            }
            let [name, a, b, c] = cols.as_slice() else {
                return Err(format!("line {n}: want 4 columns"));
            };
            let mut row = [0f32; 3];
            for (r, x) in row.iter_mut().zip([a, b, c]) {
                *r = x
                    .parse()
                    .map_err(|_| format!("line {n}: {x:?} is not a number"))?;
            }
            rows.push((feature_hash(name), row));
        }
        if !rows.is_empty() && !saw_classes {
            return Err("no classes line".to_string());
        }
        Ok(ConfirmModel {
            table: WeightTable::from_rows(rows),
            add_unattributed,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The most probable class (ties to the lower index).
    pub fn decide(&self, f: &Features) -> usize {
        let mut s = [0f32; 3];
        for h in &f.hashes {
            if let Some(w) = self.table.get(*h) {
                for (x, y) in s.iter_mut().zip(w) {
                    *x += y;
                }
            }
        }
        (1..3).fold(0, |best, c| if s[c] > s[best] { c } else { best })
    }
}

/// The sentence (token range) holding token `k`.
fn sentence_of(seg: &Segmented, k: usize) -> (usize, Range<usize>) {
    let i = seg
        .sentences
        .partition_point(|s| s.tokens.end <= k)
        .min(seg.sentences.len().saturating_sub(1));
    let r = seg.sentences.get(i).map_or(k..k + 1, |s| s.tokens.clone());
    (i, r)
}

/// The confirm-family word an attribution's cue holds, or that follows it through a verb
/// group ("declined" + "to confirm").
fn word_of(w: &Words, a: &Attribution) -> Option<usize> {
    let first = w.range(*a.cue.first()?);
    let last = w.range(*a.cue.last()?);
    let mut k = first.start;
    while k < w.lower.len() && (k < last.end || verb_group(w.lower[k])) {
        if family(w.lower[k]).is_some() {
            return Some(k);
        }
        k += 1;
    }
    None
}

/// Whether `a` confirms: the model's verdict on its confirm-family word (none: no
/// confirmation); with no model given, the rules' verdict.
pub(super) fn decide(
    w: &Words,
    seg: &Segmented,
    a: &mut Attribution,
    model: Option<&ConfirmModel>,
    feats: &mut Features,
) {
    let Some(k) = word_of(w, a) else {
        a.confirmation = false;
        return;
    };
    let (_, sent) = sentence_of(seg, k);
    a.confirmation = match model {
        Some(m) => {
            features(w, k, sent, feats);
            m.decide(feats) == CONFIRMS
        }
        None => rule_confirms(w, k, &sent),
    };
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

/// The attribution a confirm word at token `k` no attribution holds would be: the subject
/// noun phrase before its verb group as the source ("Microsoft could not immediately
/// confirm"), the verb group and the word as the cue, the rest of the sentence as content.
fn subject_attribution(w: &Words, seg: &Segmented, k: usize) -> Option<Attribution> {
    let (si, sent) = sentence_of(seg, k);
    let mut cue_start = k;
    while cue_start > sent.start && verb_group(w.lower[cue_start - 1]) {
        cue_start -= 1;
    }
    // "a confirmed report", "the confirmation": a noun or adjective, no subject's verb.
    if cue_start == k
        && k > sent.start
        && matches!(
            w.lower[k - 1],
            "a" | "an" | "the" | "this" | "its" | "his" | "her" | "their" | "our" | "of" | "for"
        )
    {
        return None;
    }
    // "The deal was confirmed": the subject of a passive is what is confirmed.
    if k > sent.start
        && matches!(
            w.lower[k - 1],
            "was" | "were" | "is" | "are" | "been" | "be"
        )
    {
        return None;
    }
    let mut end = cue_start;
    // "Mei Chen, the company's chief executive, declined to confirm": the subject before an
    // appositive or relative clause.
    if end > sent.start && w.lower[end - 1] == "," {
        end = (sent.start..end - 1)
            .rev()
            .take(12)
            .find(|&j| w.lower[j] == ",")?;
    }
    let mut start = end;
    while start > sent.start && end - start < 8 {
        let j = start - 1;
        let t = w.lower[j];
        let tok = &w.tokens[j];
        let part_of_name = matches!(t, "." | "-" | "’" | "'" | "&" | "’s" | "'s");
        if tok.in_quote
            || (tok.kind != TokenKind::Word && tok.kind != TokenKind::Number && !part_of_name)
            || matches!(
                t,
                "that" | "which" | "who" | "and" | "but" | "or" | "said" | "says" | "as" | "when"
            )
        {
            break;
        }
        start = j;
        if matches!(
            t,
            "the" | "a" | "an" | "he" | "she" | "they" | "it" | "we" | "i"
        ) {
            break;
        }
    }
    if start == end || !(w.is_cap(start) || w.tokens[start].kind == TokenKind::Word) {
        return None;
    }
    let span = |a: usize, b: usize| Span::new(w.tokens[a].span.start, w.tokens[b - 1].span.end);
    let mut content_end = sent.end;
    while content_end > k + 1 && matches!(w.lower[content_end - 1], "." | "!" | ";") {
        content_end -= 1;
    }
    Some(Attribution {
        cue: vec![span(cue_start, k + 1)],
        source: vec![span(start, end)],
        content: (k + 1 < content_end)
            .then(|| span(k + 1, content_end))
            .into_iter()
            .collect(),
        source_type: SourceType::None,
        source_entity: None,
        anonymity: None,
        confirmation: false,
        sentence: si,
    })
}

/// Whether `a` has a source beyond the verb group of its cue (the rules read "could neither
/// confirm" as the source "neither").
fn has_subject(w: &Words, a: &Attribution) -> bool {
    a.source
        .iter()
        .any(|s| w.range(*s).any(|j| !verb_group(w.lower[j])))
}

/// Each confirm-family word and the attribution holding it, if any, with whether that one
/// has a source.
fn confirm_words(w: &Words, atts: &[Attribution]) -> Vec<(usize, Option<(usize, bool)>)> {
    let held: Vec<(usize, usize)> = atts
        .iter()
        .enumerate()
        .filter_map(|(i, a)| word_of(w, a).map(|k| (k, i)))
        .collect();
    (0..w.lower.len())
        .filter(|&k| family(w.lower[k]).is_some())
        .map(|k| {
            let holder = held.iter().find(|(h, _)| *h == k).map(|(_, i)| *i);
            (k, holder.map(|i| (i, has_subject(w, &atts[i]))))
        })
        .collect()
}

/// Where the extractor found no attribution for a confirm word that the model says
/// confirms or refuses, or one without a source, the subject's ([`subject_attribution`]);
/// then the attributions in cue order.
pub(super) fn attribute_confirm_words(
    w: &Words,
    seg: &Segmented,
    model: &ConfirmModel,
    atts: &mut Vec<Attribution>,
) {
    if model.is_empty() || !model.add_unattributed {
        return;
    }
    let mut feats = Features::default();
    let mut added = false;
    for (k, holder) in confirm_words(w, atts) {
        if matches!(holder, Some((_, true))) {
            continue;
        }
        let (_, sent) = sentence_of(seg, k);
        features(w, k, sent, &mut feats);
        if !matches!(model.decide(&feats), CONFIRMS | REFUSES) {
            continue;
        }
        let Some(a) = subject_attribution(w, seg, k) else {
            continue;
        };
        match holder {
            Some((i, _)) => {
                atts[i].source = a.source;
                atts[i].source_entity = None;
            }
            None => {
                atts.push(a);
                added = true;
            }
        }
    }
    if added {
        atts.sort_by_key(|a| a.cue.first().map(|c| c.start));
    }
}

/// One confirm-family word of a document, for training: its span, its features, the type
/// the engine gives the attribution holding it (`held`), and that of the attribution
/// [`attribute_confirm_words`] would add for it or give the subject as source (`added`).
pub struct WordCase {
    pub span: Span,
    pub names: Vec<String>,
    pub held: Option<SourceType>,
    pub added: Option<SourceType>,
}

/// Every confirm-family word of a document, as [`super::extract`] sees it.
pub fn word_cases(
    text: &str,
    seg: &Segmented,
    lex: &crate::lexicon::Lexicons,
    ex: &super::Extractor,
) -> Vec<WordCase> {
    let lowered = crate::lexicon::LowerTokens::new(text, &seg.tokens);
    let lw = lowered.words(&seg.tokens, lex);
    let mut atts = super::found_attributions(text, seg, &lw, ex);
    let w = Words::new(text, seg, &lw, ex);
    let mut cases = Vec::new();
    let mut feats = Features::with_names();
    for (k, holder) in confirm_words(&w, &atts) {
        let (_, sent) = sentence_of(seg, k);
        features(&w, k, sent, &mut feats);
        let subject = match holder {
            Some((_, true)) => None,
            _ => subject_attribution(&w, seg, k),
        };
        let (held, added) = match (holder, subject) {
            (Some((i, _)), None) => (Some(i), None),
            (Some((i, _)), Some(a)) => {
                // Typed apart from the original: the decision may leave its source be.
                let mut repaired = atts[i].clone();
                repaired.source = a.source;
                atts.push(repaired);
                (Some(i), Some(atts.len() - 1))
            }
            (None, a) => (
                None,
                a.map(|a| {
                    atts.push(a);
                    atts.len() - 1
                }),
            ),
        };
        cases.push((k, feats.names.clone().unwrap_or_default(), held, added));
    }
    let typed = super::patterns::annotate(text, seg, &lw, atts, ex).attributions;
    cases
        .into_iter()
        .map(|(k, names, held, added)| WordCase {
            span: w.tokens[k].span,
            names,
            held: held.map(|i| typed[i].source_type),
            added: added.map(|i| typed[i].source_type),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::words::testing::with_words;

    #[test]
    fn the_families_are_found_by_stem() {
        for (word, fam) in [
            ("confirmed", Some("confirm")),
            ("confirmation", Some("confirm")),
            ("verify", Some("verif")),
            ("corroborates", Some("corroborat")),
            ("acknowledged", Some("acknowledg")),
            ("said", None),
            ("conform", None),
            ("", None),
        ] {
            assert_eq!(family(word), fam, "{word}");
        }
    }

    /// The model's class for the first confirm-family word of `text`.
    fn class_of(text: &str) -> &'static str {
        with_words(text, |w, seg| {
            let k = (0..w.lower.len())
                .find(|&k| family(w.lower[k]).is_some())
                .expect(text);
            let mut f = Features::default();
            features(w, k, sentence_of(seg, k).1, &mut f);
            CLASSES[crate::extract::test_extractor().confirmations.decide(&f)]
        })
    }

    /// The sentences of `cases` whose class is not `want`, with the class they got.
    fn misread(cases: &[&str], want: &str) -> Vec<String> {
        cases
            .iter()
            .map(|t| (t, class_of(t)))
            .filter(|(_, c)| *c != want)
            .map(|(t, c)| format!("{c}: {t}"))
            .collect()
    }

    #[test]
    fn a_confirmation_of_a_fact_confirms() {
        let cases = [
            "Rolls-Royce confirmed that it had won the contract.",
            "The deal was confirmed by Italian Prime Minister Giorgia Meloni.",
            "Giorgia Meloni later confirmed the figures.",
            "The minister acknowledged that the figures were wrong.",
            "The ministry verified the figures.",
        ];
        assert_eq!(misread(&cases, "confirms"), Vec::<String>::new());
    }

    #[test]
    fn refusals_are_no_confirmation() {
        let cases = [
            "Southcorp declined to confirm the layoffs.",
            "The Kremlin would neither confirm nor deny the report.",
            "Microsoft could not immediately confirm the figures.",
            "Arsenal refused to confirm the transfer.",
            "The ministry has yet to confirm the figures.",
            "Giorgia Meloni was unable to verify the figures.",
            "Giorgia Meloni did not confirm the deal.",
        ];
        assert_eq!(misread(&cases, "refuses"), Vec::<String>::new());
    }

    #[test]
    fn other_senses_are_no_confirmation() {
        let cases = ["Her confirmation hearing begins on Monday."];
        assert_eq!(misread(&cases, "other"), Vec::<String>::new());
    }

    /// Whether the attribution (`source` of type `ty`, `cue`) of `text` is a confirmation by a
    /// named source, as the shipped model decides.
    fn confirmed(text: &str, source: &str, cue: &str, ty: SourceType) -> bool {
        use crate::extract::words::testing::{attribution, span_of};
        with_words(text, |w, seg| {
            let mut a = [attribution(
                vec![span_of(text, source, 0)],
                span_of(text, cue, 0),
            )];
            a[0].source_type = ty;
            let model = &crate::extract::test_extractor().confirmations;
            decide(w, seg, &mut a[0], Some(model), &mut Features::default());
            mark_confirmations(&mut a);
            a[0].confirmation
        })
    }

    #[test]
    fn only_a_named_source_confirms() {
        let t = "The deal was confirmed by Italian Prime Minister Giorgia Meloni.";
        let meloni = "Italian Prime Minister Giorgia Meloni";
        assert!(confirmed(t, meloni, "confirmed", SourceType::NamedOfficial));
        let t = "A senior official confirmed that the talks had stalled.";
        let official = "A senior official";
        assert!(!confirmed(t, official, "confirmed", SourceType::Anonymous));
        // A reporting verb is no confirmation, and a refusal none either.
        let t = "Giorgia Meloni said the deal was done.";
        assert!(!confirmed(
            t,
            "Giorgia Meloni",
            "said",
            SourceType::NamedOfficial
        ));
        let t = "Giorgia Meloni declined to confirm the deal.";
        assert!(!confirmed(
            t,
            "Giorgia Meloni",
            "declined",
            SourceType::NamedOfficial
        ));
    }

    #[test]
    fn the_subject_of_an_unattributed_refusal_is_its_source() {
        let t = "Microsoft could not immediately confirm the figures.";
        with_words(t, |w, seg| {
            let k = (0..w.lower.len())
                .find(|&k| w.lower[k] == "confirm")
                .unwrap();
            let a = subject_attribution(w, seg, k).unwrap();
            assert_eq!(a.source[0].slice(t), "Microsoft");
            assert_eq!(a.cue[0].slice(t), "could not immediately confirm");
            assert_eq!(a.content[0].slice(t), "the figures");
        });
        let t = "A spokeswoman for Acme Corp declined to confirm the layoffs.";
        with_words(t, |w, seg| {
            let k = (0..w.lower.len())
                .find(|&k| w.lower[k] == "confirm")
                .unwrap();
            let a = subject_attribution(w, seg, k).unwrap();
            assert_eq!(a.source[0].slice(t), "A spokeswoman for Acme Corp");
        });
    }

    #[test]
    fn the_model_file_is_checked() {
        let m = ConfirmModel::parse(
            "# test\nclasses\tother\tconfirms\trefuses\nbias\t1\t0\t0\nrule= 1\t0\t2\t0\n",
        )
        .unwrap();
        let mut f = Features::default();
        f.add(&["bias"]);
        assert_eq!(m.decide(&f), 0);
        f.add(&["rule=", "1"]);
        assert_eq!(m.decide(&f), CONFIRMS);
        assert!(ConfirmModel::parse("classes\tother\tconfirms\nbias\t1\t0\t0\n").is_err());
        assert_eq!(
            ConfirmModel::parse("classes\tother\tconfirms\trefuses\nbias\t1\tx\t0\n").err(),
            Some("line 2: \"x\" is not a number".to_string())
        );
        assert!(ConfirmModel::parse("bias\t1\t0\t0\n").is_err());
    }
}
