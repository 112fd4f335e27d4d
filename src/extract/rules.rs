//! The rule extractor: reporting-verb and phrase cues from the lexicons, with the source and
//! content found by the common shapes of news attribution:
//! "X said (that) Y", "“Y,” X said", "“Y,” said X", "according to X, Y", "Y, according to X",
//! "X told Z (that) Y", "Y was confirmed by X", and "X: Y" speaker labels.
//! Fast and transparent; the learned model is more accurate.

use super::{Attribution, SourceType};
use crate::doc::Span;
use crate::lexicon::{self, Lexicons, LowerTokens, Lowered};
use crate::segment::{Segmented, TokenKind};

/// Word classes of `data/lexicons/rule-words.txt`, as bits of [`word_classes`].
const CLASSES: [&str; 6] = [
    "clause",
    "pronoun",
    "determiner",
    "auxiliary",
    "adverb",
    "addressee",
];
/// Ends a noun phrase walked backwards from a cue (a clause boundary).
const CLAUSE: u8 = 1;
const PRONOUN: u8 = 1 << 1;
/// A word after one of these is a noun or an infinitive, not a reporting verb.
const DETERMINER: u8 = 1 << 2;
const AUXILIARY: u8 = 1 << 3;
const ADVERB: u8 = 1 << 4;
/// Verbs that take an addressee before the content ("told reporters that ...").
const ADDRESSEE: u8 = 1 << 5;

/// The classes of every word of `lex`'s vocabulary, by id: one read per token instead of a
/// comparison with each word of each list.
pub fn word_classes(lex: &Lexicons) -> Vec<u8> {
    lex.rule_words().class_bits(&CLASSES)
}

/// The rules, with the [`word_classes`] of the lexicons that number the words they are given.
#[derive(Clone, Copy)]
pub struct RuleExtractor<'c> {
    classes: &'c [u8],
}

struct Sent<'a> {
    text: &'a str,
    seg: &'a Segmented,
    /// Token range of the sentence.
    a: usize,
    b: usize,
    /// Lowercased tokens of the whole document, indexed like `seg.tokens`.
    lower: &'a [&'a str],
    /// Vocabulary ids of `lower` (empty for the punctuation-only pass).
    ids: &'a [u32],
    /// The lexicons that numbered `ids`.
    lex: &'a Lexicons,
    /// Where the quote holding the sentence's first token opened (see `content_before`).
    quote_start: usize,
    /// [`word_classes`].
    classes: &'a [u8],
}

impl Sent<'_> {
    fn tok(&self, i: usize) -> &crate::segment::Token {
        &self.seg.tokens[i]
    }
    fn w(&self, i: usize) -> &str {
        self.lower[i]
    }
    /// Token `i` is a word of `class` (one of the class bits) in rule-words.txt.
    fn has(&self, i: usize, class: u8) -> bool {
        match self.ids.get(i) {
            Some(&id) => self
                .classes
                .get(lexicon::id_index(id))
                .is_some_and(|b| b & class != 0),
            None => CLASSES
                .iter()
                .enumerate()
                .any(|(k, c)| class & (1 << k) != 0 && self.lex.rule_words().has_tag(self.w(i), c)),
        }
    }
    fn is_punct(&self, i: usize) -> bool {
        !matches!(self.tok(i).kind, TokenKind::Word | TokenKind::Number)
    }
    fn is_cap(&self, i: usize) -> bool {
        self.tok(i)
            .span
            .slice(self.text)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }
    fn span(&self, from: usize, to: usize) -> Option<Span> {
        (from < to).then(|| Span::new(self.tok(from).span.start, self.tok(to - 1).span.end))
    }
    /// Last token of the sentence's content, leaving out a final full stop outside quotes.
    fn content_end(&self) -> usize {
        let mut e = self.b;
        while e > self.a
            && matches!(self.w(e - 1), "." | "!" | ";")
            && self.tok(e - 1).kind == TokenKind::Punct
        {
            e -= 1;
        }
        e
    }
}

impl<'c> RuleExtractor<'c> {
    /// `classes`: [`word_classes`] of the lexicons the documents' words will be numbered by.
    pub fn new(classes: &'c [u8]) -> Self {
        RuleExtractor { classes }
    }

    /// `lex`: the lexicons [`Self::new`]'s classes come from.
    pub fn extract(&self, text: &str, seg: &Segmented, lex: &Lexicons) -> Vec<Attribution> {
        let lowered = LowerTokens::new(text, &seg.tokens);
        self.extract_lowered(text, seg, &lowered.words(&seg.tokens, lex))
    }

    /// [`extract`](Self::extract) with the document's words already lowercased (see
    /// [`LowerTokens`]), shared with the pattern pass.
    pub fn extract_lowered(&self, text: &str, seg: &Segmented, lw: &Lowered) -> Vec<Attribution> {
        self.run(text, seg, lw, false, None)
    }

    /// Only the punctuation-cued shapes: speaker labels ("PENCE: ...") and quotes signed with
    /// a dash ("“...” ― Steve Quinlan"), which a word-feature tagger rarely learns.
    pub fn punctuation_cues(
        &self,
        text: &str,
        seg: &Segmented,
        lex: &Lexicons,
    ) -> Vec<Attribution> {
        let lowered = LowerTokens::new(text, &seg.tokens);
        self.run(text, seg, &lowered.words(&seg.tokens, lex), true, None)
    }

    /// [`extract`](Self::extract) and [`punctuation_cues`](Self::punctuation_cues) in one pass
    /// over the document (the tagger needs both).
    pub fn extract_with_punctuation_cues(
        &self,
        text: &str,
        seg: &Segmented,
        lw: &Lowered,
    ) -> (Vec<Attribution>, Vec<Attribution>) {
        let mut punct = Vec::new();
        let all = self.run(text, seg, lw, false, Some(&mut punct));
        (all, punct)
    }

    /// With `punct`, the punctuation-cued attributions of a full run are also copied there.
    fn run(
        &self,
        text: &str,
        seg: &Segmented,
        lw: &Lowered,
        punctuation_only: bool,
        mut punct: Option<&mut Vec<Attribution>>,
    ) -> Vec<Attribution> {
        let mut out = Vec::new();
        let (lower, ids) = (&lw.words, &lw.ids);
        // Start of the run of quoted tokens reaching each sentence start, carried forward
        // once over the document rather than walked back per attribution.
        let toks = &seg.tokens;
        let mut run_start = 0;
        let mut scanned = 0;
        for (si, s) in seg.sentences.iter().enumerate() {
            // Slicing at the sentence end keeps phrase matches inside the sentence.
            let end = s.tokens.end.min(lower.len());
            let a = s.tokens.start.min(end);
            // Tokens before `a` are scanned once in all (sentences come in order; should
            // they not, rescan from the start).
            if scanned > a {
                scanned = 0;
                run_start = 0;
            }
            // The run starts after the last unquoted token before `a`: found from the end,
            // usually at once.
            if let Some(p) = toks
                .get(scanned..a)
                .and_then(|t| t.iter().rposition(|t| !t.in_quote))
            {
                run_start = scanned + p + 1;
            }
            scanned = scanned.max(a);
            let mut quote_start = run_start;
            if quote_start > 0 && toks[quote_start - 1].kind == TokenKind::OpenQuote {
                quote_start -= 1;
            }
            let sent = Sent {
                text,
                seg,
                a,
                b: end,
                lower: &lower[..end],
                ids: &ids[..end.min(ids.len())],
                quote_start,
                lex: lw.lex,
                classes: self.classes,
            };
            if punctuation_only {
                out.extend(speaker_label(&sent, si).or_else(|| dash_signature(&sent, si)));
            } else {
                extract_sentence(&sent, si, &mut out, punct.as_deref_mut());
            }
        }
        out
    }
}

fn extract_sentence(
    s: &Sent,
    si: usize,
    out: &mut Vec<Attribution>,
    mut punct: Option<&mut Vec<Attribution>>,
) {
    let cues = s.lex.cues();
    let phrases = s.lex.cue_phrases();
    // Speaker label: "Trump: ..." at the start of a paragraph-initial sentence.
    if let Some(att) = speaker_label(s, si) {
        if let Some(p) = punct.as_deref_mut() {
            p.push(att.clone());
        }
        out.push(att);
        return;
    }
    if let Some(att) = dash_signature(s, si) {
        if let Some(p) = punct {
            p.push(att.clone());
        }
        out.push(att);
    }
    let mut i = s.a;
    // Only a token that starts a cue phrase or is a cue does anything below.
    let bits = phrases.start_bit() | cues.start_bit();
    while i < s.b {
        if s.ids.len() >= s.b {
            i = lexicon::next_start(&s.ids[..s.b], i, bits);
            if i >= s.b {
                break;
            }
        }
        if s.tok(i).in_quote || s.is_punct(i) {
            i += 1;
            continue;
        }
        if let Some((n, shape)) = phrases.match_ids(s.lower, s.ids, i) {
            if shape == "prep_source" {
                if let Some(att) = prep_source(s, si, i, n) {
                    out.push(att);
                    i += n;
                    continue;
                }
            }
        }
        if cues.contains_id(s.w(i), s.ids[i]) {
            if let Some(att) = verb_cue(s, si, i) {
                out.push(att);
            }
        }
        i += 1;
    }
}

fn speaker_label(s: &Sent, si: usize) -> Option<Attribution> {
    let para = &s.seg.paragraphs[s.seg.sentences[si].paragraph];
    if para.sentences.start != si {
        return None;
    }
    let first = if s.tok(s.a).kind == TokenKind::OpenQuote {
        s.a + 1
    } else {
        s.a
    };
    let colon = (first..(first + 5).min(s.b)).find(|&i| s.w(i) == ":")?;
    if colon == first || colon + 1 >= s.b || !(first..colon).all(|i| s.is_cap(i) || s.w(i) == ".") {
        return None;
    }
    Some(Attribution {
        cue: vec![s.tok(colon).span],
        source: s.span(first, colon).into_iter().collect(),
        content: s
            .span(colon + 1, para_content_end(s, si))
            .into_iter()
            .collect(),
        source_type: SourceType::Other,
        source_entity: None,
        anonymity: None,
        confirmation: false,
        sentence: si,
    })
}

/// Content of a speaker label runs to the end of the sentence (transcripts are one turn a line).
fn para_content_end(s: &Sent, _si: usize) -> usize {
    s.b
}

fn prep_source(s: &Sent, si: usize, i: usize, n: usize) -> Option<Attribution> {
    let src_start = i + n;
    let mut src_end = src_start;
    while src_end < s.b
        && !matches!(
            s.w(src_end),
            "," | "." | ";" | ":" | "”" | "\"" | "that" | "—"
        )
    {
        src_end += 1;
    }
    let source = s.span(src_start, src_end)?;
    let cue = s.span(i, i + n)?;
    // "According to X, who spoke to AFP on condition of anonymity, Y": skip the relative clause.
    let mut after = src_end;
    if after + 1 < s.b && s.w(after) == "," && matches!(s.w(after + 1), "who" | "which") {
        if let Some(c) = (after + 2..s.b).find(|&k| s.w(k) == ",") {
            after = c;
        }
    }
    let content = if after < s.b && s.w(after) == "," && after + 1 < s.content_end() {
        s.span(after + 1, s.content_end())
    } else if i > s.a && s.w(i - 1) == "," {
        s.span(s.a, i - 1)
    } else {
        None
    };
    Some(Attribution {
        cue: vec![cue],
        source: vec![source],
        content: content.into_iter().collect(),
        source_type: SourceType::Other,
        source_entity: None,
        anonymity: None,
        confirmation: false,
        sentence: si,
    })
}

/// Walk back from `end` (exclusive) over a noun phrase; returns its start.
fn np_before(s: &Sent, end: usize) -> usize {
    let mut j = end;
    while j > s.a {
        let k = j - 1;
        let w = s.w(k);
        if s.tok(k).in_quote || s.tok(k).kind == TokenKind::CloseQuote {
            break;
        }
        if s.is_punct(k) && !matches!(w, "." | "-" | "’" | "'" | "&") {
            break;
        }
        if s.has(k, PRONOUN) {
            // A pronoun is a whole source on its own ("he said", "who noted"); "this" and
            // "that" before a noun are its determiner ("This dialogue indicates").
            if j == end || matches!(w, "this" | "that") {
                j = k;
            }
            break;
        }
        if s.has(k, CLAUSE)
            && !(w == "and" && k > s.a && s.is_cap(k - 1) && s.is_cap(j.min(s.b - 1)))
        {
            break;
        }
        if end - k > 14 {
            break;
        }
        j = k;
    }
    // A noun phrase does not start with a possessive mark or a full stop.
    while j < end && matches!(s.w(j), "." | "-" | "’" | "'") {
        j += 1;
    }
    j
}

/// The subject of "X, <appositive>, said": `comma` is the comma before the cue; the
/// appositive opens after an earlier comma of the same sentence, at most 10 tokens back, and
/// X is a capitalised noun phrase before that comma. Returns X's token range.
fn appositive_subject(s: &Sent, comma: usize) -> Option<(usize, usize)> {
    let open = (s.a..comma).rev().take(10).find(|&k| s.w(k) == ",")?;
    if open + 1 >= comma
        || (open + 1..comma).any(|k| s.tok(k).in_quote || s.is_punct(k) && s.w(k) != "-")
    {
        return None;
    }
    let start = np_before(s, open);
    (start < open && s.is_cap(start) && !s.has(start, PRONOUN)).then_some((start, open))
}

/// Noun phrase after `start` up to a clause boundary; returns its end.
fn np_after(s: &Sent, start: usize) -> usize {
    let mut j = start;
    while j < s.b {
        let w = s.w(j);
        if (s.is_punct(j) && !matches!(w, "." | "-" | "’" | "'" | "&"))
            || matches!(
                w,
                "that"
                    | "who"
                    | "which"
                    | "in"
                    | "on"
                    | "at"
                    | "during"
                    | "when"
                    | "as"
                    | "because"
                    | "to"
            )
            || j - start > 12
        {
            break;
        }
        if w == "." && j + 1 == s.b {
            break;
        }
        j += 1;
    }
    j
}

fn verb_cue(s: &Sent, si: usize, i: usize) -> Option<Attribution> {
    let w = s.w(i);
    // "to say" and "said" as an adjective ("the said program") are not attributions.
    if i > s.a && s.has(i - 1, DETERMINER) {
        return None;
    }
    let class = s.lex.cues().word_id(w, s.ids[i]).unwrap_or("speech");
    // A phrasal particle belongs to the cue ("pointed out").
    let cue_end = if i + 1 < s.b && s.w(i + 1) == "out" && w.starts_with("point") {
        i + 2
    } else {
        i + 1
    };
    // Cue: the verb, with a perfect auxiliary directly before it ("has said").
    let mut cue_start = i;
    if cue_start > s.a && s.has(cue_start - 1, AUXILIARY) {
        cue_start -= 1;
    }
    // Passive with "by": "was confirmed by X", "as noted by X".
    if i + 1 < s.b && s.w(i + 1) == "by" {
        let src_end = np_after(s, i + 2);
        let source = s.span(i + 2, src_end)?;
        let mut subj_end = cue_start;
        while subj_end > s.a
            && matches!(
                s.w(subj_end - 1),
                "was"
                    | "were"
                    | "is"
                    | "are"
                    | "been"
                    | "being"
                    | "has"
                    | "have"
                    | "had"
                    | "as"
                    | ","
            )
        {
            subj_end -= 1;
        }
        // The confirmed or noted claim is the clause before the passive ("This proposal was
        // confirmed by ..."), from the sentence start or the last comma.
        let subj_start = (s.a..subj_end)
            .rev()
            .find(|&k| s.w(k) == ",")
            .map_or(s.a, |k| k + 1);
        let content = s.span(subj_start, subj_end);
        return Some(Attribution {
            cue: vec![s.span(i, i + 1)?],
            source: vec![source],
            content: content.into_iter().collect(),
            source_type: SourceType::Other,
            source_entity: None,
            anonymity: None,
            confirmation: matches!(w, "confirmed" | "verified"),
            sentence: si,
        });
    }
    // Skip adverbs between the source and the cue ("he also said").
    let mut before = cue_start;
    while before > s.a
        && (s.has(before - 1, ADVERB) || (s.w(before - 1).ends_with("ly") && !s.is_cap(before - 1)))
    {
        before -= 1;
    }
    let src_start = np_before(s, before);
    let mut source = s.span(src_start, before);
    let mut after = cue_end;
    let mut content_parts = Vec::new();
    if source.is_none() {
        if class != "speech" {
            return None;
        }
        // Inverted: "“...,” said X." needs content before the cue.
        let prev = if cue_start > s.a {
            s.w(cue_start - 1)
        } else {
            ""
        };
        if !matches!(prev, "," | "”" | "\"") {
            return None;
        }
        if let Some((a, b)) = (prev == ",")
            .then(|| appositive_subject(s, cue_start - 1))
            .flatten()
        {
            // "Maria Lopez, a retiree from Tampa, said ...": the subject before the
            // appositive speaks; what follows the cue is the content.
            source = s.span(a, b);
        } else {
            let src_end = np_after(s, i + 1);
            source = s.span(i + 1, src_end);
            source?;
            after = src_end;
            content_parts.extend(content_before(s, cue_start));
        }
    } else if src_start > s.a
        && matches!(s.w(src_start - 1), "," | "”" | "\"")
        && (after >= s.content_end() || s.w(after) == ",")
    {
        // "“...,” X said." / "..., X said, “...”"
        content_parts.extend(content_before(s, src_start));
    }
    // Content after the cue.
    let end = s.content_end();
    if after < end {
        if s.has(i, ADDRESSEE) {
            // Skip the addressee: up to "that" if near, else a short noun phrase.
            if let Some(t) = (after..end.min(after + 9)).find(|&k| s.w(k) == "that") {
                after = t;
            } else if !matches!(s.w(after), "," | ":") {
                after = np_after(s, after);
            }
        }
        while after < end && matches!(s.w(after), "," | ":") {
            after += 1;
        }
        if content_parts.is_empty() {
            content_parts.extend(s.span(after, end));
        } else if after < end && matches!(s.tok(after).kind, TokenKind::OpenQuote) {
            // "“A,” he said, “B.”": content split around the cue.
            content_parts.extend(s.span(after, end));
        }
    }
    if content_parts.is_empty() && class != "speech" {
        return None;
    }
    Some(Attribution {
        cue: vec![s.span(cue_start, cue_end)?],
        source: source.into_iter().collect(),
        content: content_parts,
        source_type: SourceType::Other,
        source_entity: None,
        anonymity: None,
        confirmation: matches!(w, "confirmed" | "confirms" | "verified"),
        sentence: si,
    })
}

/// Content that precedes the source or cue: from the sentence start (or the start of a quote
/// that opened in an earlier sentence) up to the separating comma.
fn content_before(s: &Sent, end: usize) -> Option<Span> {
    let mut e = end;
    // Drop a bare separating comma; keep a comma inside a closing quote (",”").
    if e > s.a && s.w(e - 1) == "," {
        e -= 1;
    }
    let mut start = s.a;
    // A quote running over several sentences: start where it opened.
    if s.tok(s.a).in_quote {
        start = s.quote_start;
    }
    if start >= e {
        return None;
    }
    Some(Span::new(
        s.seg.tokens[start].span.start,
        s.seg.tokens[e - 1].span.end,
    ))
}

/// A quotation signed with a dash: "“...” ― Steve Quinlan".
fn dash_signature(s: &Sent, si: usize) -> Option<Attribution> {
    let d = s.a
        + 1
        + s.seg
            .tokens
            .get(s.a..s.b)?
            .windows(2)
            .position(|p| p[1].kind == TokenKind::Dash && p[0].kind == TokenKind::CloseQuote)?;
    let mut end = s.b;
    while end > d + 1 && s.w(end - 1) == "." {
        end -= 1;
    }
    if end <= d + 1 || end - d > 7 || !s.is_cap(d + 1) {
        return None;
    }
    Some(Attribution {
        cue: vec![s.tok(d).span],
        source: s.span(d + 1, end).into_iter().collect(),
        content: content_before(s, d).into_iter().collect(),
        source_type: SourceType::Other,
        source_entity: None,
        anonymity: None,
        confirmation: false,
        sentence: si,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_bits_agree_with_the_word_list() {
        let lexicons = crate::lexicon::test_lexicons();
        let (lex, vocab) = (lexicons.rule_words(), lexicons.vocab());
        let class_bits = word_classes(lexicons);
        for w in [
            "that", "which", "he", "the", "’s", "has", "also", "told", "said", "minister", "zzz",
        ] {
            let id = vocab.id(w);
            for (k, c) in CLASSES.iter().enumerate() {
                let bit = class_bits
                    .get(lexicon::id_index(id))
                    .is_some_and(|b| b & (1 << k) != 0);
                assert_eq!(bit, lex.has_tag(w, c), "{w} {c}");
            }
        }
        // Several classes for one word, none for a word outside the list.
        let that = class_bits[lexicon::id_index(vocab.id("that"))];
        assert_eq!(that, CLAUSE | PRONOUN);
        assert_eq!(
            class_bits[lexicon::id_index(vocab.id("also"))],
            CLAUSE | ADVERB
        );
        assert!(!lex.has_tag("said", "clause"));
    }

    /// (source, content) of each attribution the rules find in `text`.
    fn found(text: &str) -> Vec<(String, String)> {
        let lex = crate::lexicon::test_lexicons();
        let seg = crate::segment::segment(text, lex.splitter());
        let ext = crate::extract::extract(text, &seg, lex, crate::extract::test_extractor());
        let join = |v: &[Span]| {
            v.iter()
                .map(|s| s.slice(text))
                .collect::<Vec<_>>()
                .join(" ")
        };
        ext.attributions
            .iter()
            .map(|a| (join(&a.source), join(&a.content)))
            .collect()
    }

    #[test]
    fn an_appositive_between_subject_and_cue_keeps_the_subject_as_source() {
        for (text, source) in [
            (
                "Maria Lopez, a 71-year-old retiree from Tampa, said the talks failed.",
                "Maria Lopez",
            ),
            ("John Smith, 45, said the talks failed.", "John Smith"),
            (
                "Acme Corp, the largest employer in town, said the plant would close.",
                "Acme Corp",
            ),
        ] {
            let f = found(text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].0, source, "{text}: {f:?}");
            assert!(f[0].1.starts_with("the "), "{text}: {f:?}");
        }
        // Near misses: the inverted order still takes the speaker after the cue.
        for text in [
            "The talks failed, said Maria Lopez.",
            "\u{201c}The talks failed,\u{201d} said Maria Lopez.",
        ] {
            let f = found(text);
            assert_eq!(f.len(), 1, "{text}: {f:?}");
            assert_eq!(f[0].0, "Maria Lopez", "{text}: {f:?}");
        }
    }
}
