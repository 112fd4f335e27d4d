//! Scoring: claims and their sourcing-strength scores, split into named components.
//!
//! A claim is a sentence that asserts something (not a headline, byline, dateline or
//! caption). It carries its own attribution or one it inherits from a quote or an account
//! that runs on from the previous sentence. Its score is a sum of named components whose
//! weights live in `data/weights.toml`: a transparent model of sourcing, not a verdict on
//! truth.

use crate::doc::Span;
use crate::extract::{Attribution, ClaimKind, Extraction, SourceType};
use crate::segment::{unwrapped, Segmented, Token, TokenKind};
use std::collections::BTreeSet;

mod index;
mod pattern;
mod weights;
pub use index::{IndexSums, IndexWeights, SourcingIndex};
pub use pattern::Pattern;
pub use weights::{Weights, WeightsError, DEFAULT_WEIGHTS};

/// Component names, in the order of [`Components::values`] and of the CSV columns.
pub const COMPONENTS: [&str; 7] = [
    "base",
    "confirmation",
    "multiple_sources",
    "anonymity_reason",
    "anonymity_knowledge",
    "uncertainty",
    "vague_attribution",
];

/// Source-type label of a claim with no attribution.
pub const UNATTRIBUTED: &str = Pattern::Unattributed.as_str();

/// The named parts of a claim's score (penalties are negative).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Components {
    pub base: f64,
    pub confirmation: f64,
    pub multiple_sources: f64,
    pub anonymity_reason: f64,
    pub anonymity_knowledge: f64,
    pub uncertainty: f64,
    pub vague_attribution: f64,
}

impl Components {
    /// Values in the order of [`COMPONENTS`].
    pub fn values(&self) -> [f64; 7] {
        [
            self.base,
            self.confirmation,
            self.multiple_sources,
            self.anonymity_reason,
            self.anonymity_knowledge,
            self.uncertainty,
            self.vague_attribution,
        ]
    }
    /// The score: the sum, clamped to 0..100, rounded to one decimal.
    pub fn score(&self) -> f64 {
        let s: f64 = self.values().iter().sum();
        (s.clamp(0.0, 100.0) * 10.0).round() / 10.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Index of the sentence in [`Segmented::sentences`].
    pub sentence: usize,
    pub span: Span,
    /// The attribution the claim rests on (index into [`Extraction::attributions`]).
    pub attribution: Option<usize>,
    /// The attribution comes from a neighbouring sentence (a running quote or account).
    pub inherited: bool,
    pub uncertain: bool,
    pub components: Components,
    pub score: f64,
    /// The patterns the claim shows, for [`crate::aggregate::DocStats::push_claim`].
    pub patterns: Vec<Pattern>,
}

impl Claim {
    /// `named_official`, ..., or `unattributed`.
    pub fn source_type<'a>(&self, ext: &'a Extraction) -> &'a str {
        self.attribution
            .and_then(|i| ext.attributions.get(i))
            .map_or(UNATTRIBUTED, |a| a.source_type.as_str())
    }
}

/// Why a sentence is not a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotClaim {
    Headline,
    Byline,
    Fragment,
    /// The claim model reads it as the author's opinion or analysis.
    Opinion,
    /// The claim model reads it as no claim (a question, boilerplate, a table row).
    Other,
}

impl NotClaim {
    pub fn as_str(self) -> &'static str {
        match self {
            NotClaim::Headline => "headline",
            NotClaim::Byline => "byline",
            NotClaim::Fragment => "fragment",
            NotClaim::Opinion => "opinion",
            NotClaim::Other => "other",
        }
    }
}

/// Is sentence `i` a claim, a factual sentence that needs a source? `None` when it is, else
/// why not: the layout ([`not_claim`]) first, then the kind the claim model gave it.
pub fn claim_status(
    text: &str,
    seg: &Segmented,
    ext: &Extraction,
    i: usize,
    w: &Weights,
) -> Option<NotClaim> {
    not_claim(text, seg, i, w).or_else(|| match ext.sentences.get(i).map(|f| f.kind) {
        Some(ClaimKind::Opinion) => Some(NotClaim::Opinion),
        Some(ClaimKind::Other) => Some(NotClaim::Other),
        Some(ClaimKind::Factual) | None => None,
    })
}

/// Is sentence `i` laid out as a claim could be (not a headline, byline or fragment)? `None`
/// when it is, else the reason it is not.
pub fn not_claim(text: &str, seg: &Segmented, i: usize, w: &Weights) -> Option<NotClaim> {
    let s = seg.sentences.get(i)?;
    // A headline: the first paragraph, when it has no final punctuation and more follows.
    if s.paragraph == 0 && seg.paragraphs.len() > 1 {
        let p = &seg.paragraphs[0];
        let t = p.span.slice(text).trim_end();
        let t = t.trim_end_matches(['"', '”', '’', '\'', ')', '»']);
        if !t.ends_with(['.', '!', '?', '…']) {
            return Some(NotClaim::Headline);
        }
    }
    let toks = &seg.tokens[s.tokens.clone()];
    let is_word = |t: &&Token| matches!(t.kind, TokenKind::Word | TokenKind::Number);
    let words = || toks.iter().filter(is_word).map(|t| t.span.slice(text));
    // One pass over the words, no list of them and no slicing: this runs for every
    // sentence. It stops once the answer is known: a lowercase word seen and more words
    // than both a fragment's and a byline's limit.
    let enough = w.min_words.max(BYLINE_MAX_WORDS + 1);
    let mut n_words = 0;
    let mut first: Option<&Token> = None;
    let mut has_lower = false;
    for t in toks.iter().filter(is_word) {
        if n_words == 0 {
            first = Some(t);
        }
        n_words += 1;
        has_lower = has_lower || token_starts_lowercase(text, t);
        if has_lower && n_words >= enough {
            break;
        }
    }
    let first = first.map_or("", |t| t.span.slice(text));
    if first == "By" && s.paragraph < 4 && n_words <= BYLINE_MAX_WORDS && !text_has_verbish(words())
    {
        return Some(NotClaim::Byline);
    }
    // Captions, credits, datelines: too short, or no lowercase word at all.
    if n_words < w.min_words || !has_lower {
        return Some(NotClaim::Fragment);
    }
    None
}

/// A byline ("By Jane Doe and John Roe") has at most this many words.
const BYLINE_MAX_WORDS: usize = 8;

/// [`starts_lowercase`] of the token's text, read from its first byte when that is ASCII.
#[inline]
fn token_starts_lowercase(text: &str, t: &Token) -> bool {
    match text.as_bytes().get(t.span.start) {
        Some(&b) if b < 0x80 => t.span.start < t.span.end && b.is_ascii_lowercase(),
        _ => starts_lowercase(t.span.slice(text)),
    }
}

/// The word's first char is lowercase (an ASCII test first).
#[inline]
fn starts_lowercase(w: &str) -> bool {
    match w.as_bytes().first() {
        Some(&b) if b < 0x80 => b.is_ascii_lowercase(),
        _ => w.chars().next().is_some_and(char::is_lowercase),
    }
}

/// A byline has only names (capitalised words) and the odd "and"/"in".
fn text_has_verbish<'a>(words: impl Iterator<Item = &'a str>) -> bool {
    words
        .skip(1)
        .any(|w| starts_lowercase(w) && !matches!(w, "and" | "in" | "of"))
}

/// Attributions belonging to a sentence: the cue lies in it, or a content span lies inside it.
fn own_attributions(ext: &Extraction, span: Span) -> Vec<usize> {
    ext.attributions
        .iter()
        .enumerate()
        .filter(|(_, a)| {
            a.cue.iter().any(|c| span.overlaps(c))
                || a.content.iter().any(|c| !c.is_empty() && span.contains(c))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The attribution a claim rests on among several: the outermost (its cue is not inside
/// another one's content), then the first by cue position.
fn primary(ext: &Extraction, own: &[usize]) -> Option<usize> {
    let cue_start = |i: usize| {
        ext.attributions[i]
            .cue
            .first()
            .map_or(usize::MAX, |c| c.start)
    };
    own.iter()
        .copied()
        .filter(|&i| !is_nested(ext, own, i))
        .min_by_key(|&i| cue_start(i))
        .or_else(|| own.iter().copied().min_by_key(|&i| cue_start(i)))
}

/// Attribution `i`'s cue lies inside the content of another attribution of `among`.
fn is_nested(ext: &Extraction, among: &[usize], i: usize) -> bool {
    let Some(a) = ext.attributions.get(i) else {
        return false;
    };
    among.iter().any(|&j| {
        j != i
            && ext.attributions.get(j).is_some_and(|b| {
                a.cue
                    .iter()
                    .any(|c| b.content.iter().any(|k| !k.is_empty() && k.contains(c)))
            })
    })
}

pub(super) fn source_key(text: &str, a: &Attribution) -> Option<String> {
    if a.source_type == SourceType::None {
        return None;
    }
    if let Some(e) = &a.source_entity {
        return Some(e.to_lowercase());
    }
    // A source wrapped over two lines is the same source.
    let s: Vec<_> = a.source.iter().map(|s| unwrapped(s.slice(text))).collect();
    (!s.is_empty()).then(|| s.join(" ").to_lowercase())
}

/// Per-sentence answers of [`own_attributions`] and of the covering-quote search, found by
/// binary search over the sentences instead of a scan of every attribution for every
/// sentence, which is quadratic on a long document.
struct SentenceIndex {
    own: Vec<Vec<usize>>,
    /// First attribution (by index) with a content span overlapping the sentence without
    /// lying inside it.
    covering: Vec<Option<usize>>,
}

impl SentenceIndex {
    /// `None` when the sentences are not in order and disjoint (then the scans are used).
    fn new(seg: &Segmented, ext: &Extraction) -> Option<SentenceIndex> {
        let sents = &seg.sentences;
        if !sents.windows(2).all(|p| p[0].span.end <= p[1].span.start)
            || sents.iter().any(|s| s.span.start > s.span.end)
        {
            return None;
        }
        let n = sents.len();
        // Sentences overlapping `c`: ends and starts are both increasing.
        let overlapping = |c: &Span| {
            let lo = sents.partition_point(|s| s.span.end <= c.start);
            let hi = sents.partition_point(|s| s.span.start < c.end);
            lo..hi.max(lo)
        };
        let mut own: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut covering: Vec<Option<usize>> = vec![None; n];
        // Next sentence at or after k still without a covering attribution (path-halving
        // skip list), so each sentence is assigned once however long the spans are.
        let mut next: Vec<usize> = (0..=n).collect();
        fn find(next: &mut [usize], mut k: usize) -> usize {
            while next[k] != k {
                next[k] = next[next[k]];
                k = next[k];
            }
            k
        }
        for (ai, a) in ext.attributions.iter().enumerate() {
            let mut add = |si: usize| {
                if own[si].last() != Some(&ai) {
                    own[si].push(ai);
                }
            };
            for c in &a.cue {
                for si in overlapping(c) {
                    if sents[si].span.overlaps(c) {
                        add(si);
                    }
                }
            }
            for c in a.content.iter().filter(|c| !c.is_empty()) {
                let k = sents.partition_point(|s| s.span.start <= c.start);
                if k > 0 && sents[k - 1].span.contains(c) {
                    add(k - 1);
                }
            }
            for c in &a.content {
                let r = overlapping(c);
                if r.len() == 1 {
                    let si = r.start;
                    if covering[si].is_none()
                        && sents[si].span.overlaps(c)
                        && !sents[si].span.contains(c)
                    {
                        covering[si] = Some(ai);
                        next[si] = si + 1;
                    }
                } else if r.len() > 1 {
                    // Spanning two sentences or more: inside none of them.
                    let mut k = find(&mut next, r.start);
                    while k < r.end {
                        covering[k] = Some(ai);
                        next[k] = k + 1;
                        k = find(&mut next, k + 1);
                    }
                }
            }
        }
        Some(SentenceIndex { own, covering })
    }
}

/// Find the claims of a document and score them.
pub fn claims(text: &str, seg: &Segmented, ext: &Extraction, w: &Weights) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::with_capacity(seg.sentences.len());
    // (sentence, attribution) of the last sentence, for running accounts.
    let mut prev: Option<(usize, Option<usize>)> = None;
    let index = SentenceIndex::new(seg, ext);
    for (i, s) in seg.sentences.iter().enumerate() {
        if claim_status(text, seg, ext, i, w).is_some() {
            // An opinion between two quoted sentences ends the running account too.
            prev = None;
            continue;
        }
        let scanned;
        let own: &[usize] = match &index {
            Some(x) => &x.own[i],
            None => {
                scanned = own_attributions(ext, s.span);
                &scanned
            }
        };
        let mut attribution = primary(ext, own);
        let mut inherited = false;
        let prev_attr = prev
            .filter(|(ps, _)| seg.sentences.get(*ps).map(|p| p.paragraph) == Some(s.paragraph))
            .and_then(|(_, a)| a);
        let sourceless = attribution
            .and_then(|a| ext.attributions.get(a))
            .is_some_and(|a| a.source_type == SourceType::None && a.source_entity.is_none());
        if attribution.is_none() || sourceless {
            // A quote running over several sentences: a content span covers this one.
            let covering = match &index {
                Some(x) => x.covering[i],
                None => ext.attributions.iter().position(|a| {
                    a.content
                        .iter()
                        .any(|c| c.overlaps(&s.span) && !s.span.contains(c))
                }),
            };
            if let Some(c) = covering {
                attribution = Some(c);
                inherited = true;
            } else if let Some(p) = prev_attr {
                let toks = &seg.tokens[s.tokens.clone()];
                let quoted = !toks.is_empty()
                    && toks
                        .iter()
                        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
                        .all(|t| t.in_quote);
                // "It\nalso ..." in wrapped text opens as "It also ...".
                let opening = unwrapped(s.span.slice(text).trim_start());
                let continues = opens_with_any(&opening, &w.continuations);
                if quoted || continues || sourceless {
                    attribution = Some(p);
                    inherited = true;
                }
            }
        }
        let uncertain = ext.sentences.get(i).is_some_and(|f| f.uncertain);
        let considered: &[usize] = if inherited {
            attribution.as_slice()
        } else {
            own
        };
        let claim = score_claim(
            text,
            ext,
            w,
            i,
            s.span,
            attribution,
            inherited,
            uncertain,
            considered,
        );
        prev = Some((i, claim.attribution));
        out.push(claim);
    }
    out
}

/// The sentence, lowercased, starts with one of `prefixes` (lowercase). Only its opening is
/// lowercased (the lowercase of a char does not depend on what follows, but for a sigma).
fn opens_with_any(sentence: &str, prefixes: &[String]) -> bool {
    // Most sentences open with a char no prefix opens with (a capital "The", a quotation
    // mark): the first byte of its lowercase decides (both lowercase sigmas start 0xCF).
    let first = sentence
        .chars()
        .next()
        .and_then(|c| c.to_lowercase().next());
    let mut b = [0u8; 4];
    let b0 = first.and_then(|c| c.encode_utf8(&mut b).as_bytes().first().copied());
    if !prefixes
        .iter()
        .any(|c| c.is_empty() || (b0.is_some() && c.as_bytes().first() == b0.as_ref()))
    {
        return false;
    }
    let longest = prefixes.iter().map(String::len).max().unwrap_or(0);
    let head = &sentence.as_bytes()[..longest.min(sentence.len())];
    if head.is_ascii() {
        // The prefixes are lowercase: compared byte by byte, ASCII case ignored, no copy.
        return prefixes.iter().any(|c| {
            head.get(..c.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(c.as_bytes()))
        });
    }
    // Lowercase only the first `longest` chars: each becomes at least one byte, so their
    // lowercase holds every byte compared. Only a capital sigma lowercases differently by
    // what follows (a final sigma): then the whole sentence.
    let cut = sentence
        .char_indices()
        .nth(longest)
        .map_or(sentence.len(), |(i, _)| i);
    let head = &sentence[..cut];
    let opening = if head.contains('Σ') {
        sentence.to_lowercase()
    } else {
        head.to_lowercase()
    };
    prefixes.iter().any(|c| opening.starts_with(c.as_str()))
}

#[allow(clippy::too_many_arguments)]
fn score_claim(
    text: &str,
    ext: &Extraction,
    w: &Weights,
    sentence: usize,
    span: Span,
    attribution: Option<usize>,
    inherited: bool,
    uncertain: bool,
    considered: &[usize],
) -> Claim {
    let a = attribution.and_then(|i| ext.attributions.get(i));
    let mut c = Components {
        base: a.map_or(w.base_unattributed, |a| w.base_of(a.source_type)),
        ..Components::default()
    };
    // Rarely more than four: one allocation per claim.
    let mut patterns: Vec<Pattern> = Vec::with_capacity(4);
    let attrs = || considered.iter().filter_map(|&i| ext.attributions.get(i));
    let confirmed = attrs().any(|x| {
        x.confirmation
            && matches!(
                x.source_type,
                SourceType::NamedOfficial | SourceType::NamedPerson | SourceType::Organization
            )
    });
    if confirmed {
        c.confirmation = w.confirmation;
    }
    if attrs().any(|x| x.confirmation && x.source_type == SourceType::NamedOfficial) {
        patterns.push(Pattern::ConfirmedNamedOfficial);
    }
    // Independent sources: outermost attributions only (a source quoted inside another
    // source's content is not a second witness), with a typed source.
    // At most one key per attribution: with fewer than two there is nothing to compare.
    let n_keys = if considered.len() < 2 {
        0
    } else {
        let keys: BTreeSet<String> = considered
            .iter()
            .filter(|&&i| !is_nested(ext, considered, i))
            .filter_map(|&i| ext.attributions.get(i))
            .filter(|x| !matches!(x.source_type, SourceType::Other | SourceType::None))
            .filter_map(|x| source_key(text, x))
            .collect();
        keys.len()
    };
    let counted = attrs()
        .filter_map(|x| x.anonymity.as_ref().and_then(|an| an.count))
        .max()
        .unwrap_or(0);
    if n_keys >= 2 || counted >= 2 {
        c.multiple_sources = w.multiple_sources;
        patterns.push(Pattern::MultipleSources);
    }
    match a {
        Some(a) => {
            patterns.push(Pattern::Source(a.source_type));
            if a.source_type == SourceType::Anonymous {
                patterns.push(Pattern::Anonymous);
                let (reason, knowledge) = a.anonymity.as_ref().map_or((false, false), |an| {
                    (an.reason.is_some(), an.knowledge.is_some())
                });
                if reason {
                    c.anonymity_reason = w.anonymity_reason;
                    patterns.push(Pattern::AnonymousWithReason);
                } else {
                    patterns.push(Pattern::AnonymousWithoutReason);
                }
                if knowledge {
                    c.anonymity_knowledge = w.anonymity_knowledge;
                    patterns.push(Pattern::AnonymousWithKnowledge);
                }
            }
            if a.source_type == SourceType::Vague {
                c.vague_attribution = -w.vague_attribution;
                patterns.push(Pattern::Vague);
            }
        }
        None => patterns.push(Pattern::Unattributed),
    }
    if uncertain {
        c.uncertainty = -w.uncertain;
        patterns.push(Pattern::Uncertain);
    }
    Claim {
        sentence,
        span,
        attribution,
        inherited,
        uncertain,
        score: c.score(),
        components: c,
        patterns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_weights_parse() {
        let w = Weights::embedded().expect("embedded weights");
        assert!(w.base_of(SourceType::NamedOfficial) > w.base_of(SourceType::Anonymous));
        assert!(w.base_of(SourceType::Anonymous) > w.base_unattributed);
    }

    #[test]
    fn unknown_and_missing_keys_are_named() {
        let bad = DEFAULT_WEIGHTS.replace("confirmation = 15", "confirmaton = 15");
        let e = Weights::parse(&bad, "w.toml").unwrap_err().to_string();
        assert!(e.contains("bonus.confirmaton"), "{e}");
        let bad = DEFAULT_WEIGHTS.replace("uncertain = 10", "");
        let e = Weights::parse(&bad, "w.toml").unwrap_err().to_string();
        assert!(e.contains("missing key `penalty.uncertain`"), "{e}");
    }

    fn run(text: &str) -> (Extraction, Vec<Claim>) {
        // The rules, so that inheritance is tested on attributions known to stop at the cue's
        // sentence (the tagger may give a following quote to the attribution directly).
        let res = crate::pipeline::Resources::embedded(crate::extract::ModelKind::Rules)
            .expect("embedded resources load");
        let a = crate::pipeline::analyze(text, &res);
        (a.extraction, a.claims)
    }

    #[test]
    fn headline_byline_and_caption_are_not_claims() {
        let text = "Senate passes the budget bill\nBy Jane Doe\nThe Senate passed the bill on Tuesday, officials said.\nGetty/Instagram.\n";
        let (_, c) = run(text);
        assert_eq!(c.len(), 1, "{c:?}");
        assert!(c[0].span.slice(text).starts_with("The Senate"));
    }

    #[test]
    fn unattributed_claim_gets_the_lowest_base() {
        let text = "The bridge opened in 1932 and carries trains.";
        let (_, c) = run(text);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].attribution, None);
        assert!(c[0].patterns.contains(&Pattern::Unattributed));
        let w = Weights::embedded().expect("weights");
        assert_eq!(c[0].score, w.base_unattributed);
    }

    #[test]
    fn quotes_and_continuations_inherit_the_attribution() {
        let text = "Senator Jane Smith said the deal was bad for Ohio voters. \u{201c}It is a betrayal of the people who sent us here.\u{201d} The vote is set for June.\n";
        let (_, c) = run(text);
        assert_eq!(c.len(), 3, "{c:?}");
        assert_eq!((c[0].attribution.is_some(), c[0].inherited), (true, false));
        assert_eq!(c[1].attribution, c[0].attribution);
        assert!(c[1].inherited);
        assert_eq!(c[1].score, c[0].score);
        assert_eq!(c[2].attribution, None);

        // A quote running over two sentences: the first inherits from the content span.
        let text = "\u{201c}We will not accept this deal. It is a betrayal of voters,\u{201d} said Senator Jane Smith.\n";
        let (_, c) = run(text);
        assert_eq!(c.len(), 2, "{c:?}");
        assert!(c[0].inherited && !c[1].inherited, "{c:?}");
        assert_eq!(c[0].attribution, c[1].attribution);
    }

    #[test]
    fn a_continuation_wrapped_over_two_lines_still_continues() {
        // Hard-wrapped: "It\nalso" opens the second sentence as "It also" does.
        for text in [
            "The agency said on Tuesday that prices would rise sharply in\nthe coming months, driven by the cost of fuel and food. It\nalso raised its main rate to 5 percent in June.\n",
            "The agency said on Tuesday that prices would rise sharply in the coming months, driven by the cost of fuel and food. It also raised its main rate to 5 percent in June.\n",
        ] {
            let (_, c) = run(text);
            assert_eq!(c.len(), 2, "{c:?}");
            assert!(c[1].inherited, "{text:?}: {c:?}");
            assert_eq!(c[1].attribution, c[0].attribution);
        }
    }

    #[test]
    fn components_sum_and_clamp() {
        let c = Components {
            base: 5.0,
            uncertainty: -10.0,
            ..Components::default()
        };
        assert_eq!(c.score(), 0.0);
        let c = Components {
            base: 60.0,
            confirmation: 15.04,
            ..Components::default()
        };
        assert_eq!(c.score(), 75.0);
    }

    #[test]
    fn openings_are_compared_as_the_whole_sentence_lowercased() {
        let prefixes: Vec<String> = ["he added", "σας", "i̇st", "kelvin", "but"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let sentences = [
            "He added that it was late.",
            "HE ADDED more.",
            "He adds",
            "ΣΑΣ είπε ο υπουργός.",
            "ΣΑΣ",
            "ΟΔΟΣ ΣΑΣ",
            "İSTANBUL is large.",
            "\u{212a}ELVIN scale",
            "\u{212a}\u{212a}\u{212a}\u{212a}\u{212a}\u{212a}\u{212a}\u{212a}\u{212a}",
            "Émile said so.",
            "But “this” is ÀÉ.",
            "",
            "B",
            "ÀB",
        ];
        for s in sentences {
            let lower = s.to_lowercase();
            let want = prefixes.iter().any(|p| lower.starts_with(p.as_str()));
            assert_eq!(opens_with_any(s, &prefixes), want, "{s:?}");
        }
    }

    /// The scan of words before it stopped early and read first bytes (the same answers).
    fn not_claim_reference(text: &str, seg: &Segmented, i: usize, w: &Weights) -> Option<NotClaim> {
        let s = seg.sentences.get(i)?;
        if s.paragraph == 0 && seg.paragraphs.len() > 1 {
            let t = seg.paragraphs[0].span.slice(text).trim_end();
            let t = t.trim_end_matches(['"', '”', '’', '\'', ')', '»']);
            if !t.ends_with(['.', '!', '?', '…']) {
                return Some(NotClaim::Headline);
            }
        }
        let words: Vec<&str> = seg.tokens[s.tokens.clone()]
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            .map(|t| t.span.slice(text))
            .collect();
        let lower = |w: &str| w.chars().next().is_some_and(char::is_lowercase);
        let first = words.first().copied().unwrap_or("");
        if first == "By"
            && s.paragraph < 4
            && words.len() <= 8
            && !words
                .iter()
                .skip(1)
                .any(|w| lower(w) && !matches!(*w, "and" | "in" | "of"))
        {
            return Some(NotClaim::Byline);
        }
        if words.len() < w.min_words || !words.iter().any(|w| lower(w)) {
            return Some(NotClaim::Fragment);
        }
        None
    }

    #[test]
    fn not_claim_agrees_with_a_full_scan() {
        let text = "Storm hits the coast\nBy Jane Doe and John Roe\nBy the river, élan and ÉLAN \
            met 12 people in the town of Oslo on Monday.\nBY ME\nGetty Images\nPhoto: AP.\n\
            A B C D E F G H I J K L M N O P q.\nÉcole Étoile Été said 3 things.\n\
            By One Two Three Four Five Six Seven Eight\nBy One Two Three Four Five Six Seven\n\
            ñandú runs. Officials said the bridge, which opened in 1932, will close.\n";
        let seg = crate::segment::segment(text, crate::lexicon::test_lexicons().splitter());
        let mut w = Weights::embedded().expect("weights");
        for min_words in [0, 1, 3, 4, 9, 12, 40] {
            w.min_words = min_words;
            for i in 0..=seg.sentences.len() {
                assert_eq!(
                    not_claim(text, &seg, i, &w),
                    not_claim_reference(text, &seg, i, &w),
                    "sentence {i}, min_words {min_words}"
                );
            }
        }
    }
}
