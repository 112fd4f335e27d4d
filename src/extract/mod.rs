//! Extraction: attributions (Source, Cue, Content), source types, anonymity, confirmation,
//! and per-sentence uncertainty.

mod anonymity;
pub mod claims;
pub mod clauses;
pub mod confirmation;
mod hedges;
pub mod hedging;
pub mod learn;
pub mod model;
pub mod patterns;
pub mod rules;
pub mod sourcetype;
mod typing;
mod words;

use crate::doc::Span;
use crate::lexicon::Lexicons;
pub use claims::ClaimKind;
use serde::{Deserialize, Serialize};

/// The RUBRIC's eight source types, plus `None` for an attribution without a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceType {
    NamedOfficial,
    NamedPerson,
    Organization,
    Media,
    Document,
    Anonymous,
    Vague,
    Other,
    None,
}

impl SourceType {
    pub const ALL: [SourceType; 9] = [
        SourceType::NamedOfficial,
        SourceType::NamedPerson,
        SourceType::Organization,
        SourceType::Media,
        SourceType::Document,
        SourceType::Anonymous,
        SourceType::Vague,
        SourceType::Other,
        SourceType::None,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            SourceType::NamedOfficial => "named_official",
            SourceType::NamedPerson => "named_person",
            SourceType::Organization => "organization",
            SourceType::Media => "media",
            SourceType::Document => "document",
            SourceType::Anonymous => "anonymous",
            SourceType::Vague => "vague",
            SourceType::Other => "other",
            SourceType::None => "none",
        }
    }
}

/// What the AP, Reuters and NYT policies ask to be said about an anonymous source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anonymity {
    /// "on condition of anonymity because they were not authorised to speak publicly"
    pub reason: Option<Span>,
    /// "familiar with", "briefed on", "who attended"
    pub knowledge: Option<Span>,
    /// "two officials" -> 2; "sources" -> None (several, unknown number)
    pub count: Option<u32>,
    /// "senior", "diplomatic", "administration"
    pub descriptors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub cue: Vec<Span>,
    pub source: Vec<Span>,
    pub content: Vec<Span>,
    pub source_type: SourceType,
    /// The entity a pronoun or short-name source refers to ("she" -> "Giorgia Meloni").
    pub source_entity: Option<String>,
    pub anonymity: Option<Anonymity>,
    /// Confirmed by a named source ("confirmed by Italian Prime Minister Giorgia Meloni").
    pub confirmation: bool,
    /// Index of the sentence holding the cue.
    pub sentence: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SentenceFlags {
    pub span: Span,
    pub uncertain: bool,
    pub hedges: Vec<Span>,
    /// A factual claim, the author's opinion, or no claim ([`claims::ClaimModel`]): only a
    /// factual sentence is scored as a claim.
    pub kind: ClaimKind,
    /// The claim model's probability of `kind`.
    pub kind_probability: f32,
}

impl SentenceFlags {
    /// A factual claim: checkable, so it needs a source.
    pub fn factual(&self) -> bool {
        self.kind == ClaimKind::Factual
    }
}

/// Everything extracted from one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extraction {
    pub attributions: Vec<Attribution>,
    pub sentences: Vec<SentenceFlags>,
}

/// Which extractor finds the attributions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ModelKind {
    /// Lexicon and pattern rules: fastest, transparent.
    Rules,
    /// The learned sequence tagger (data/models/attribution-tagger.bin): more accurate; the
    /// default.
    #[default]
    Tagger,
}

impl std::str::FromStr for ModelKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "rules" => Ok(ModelKind::Rules),
            "tagger" => Ok(ModelKind::Tagger),
            other => Err(format!("unknown model {other:?}: use rules or tagger")),
        }
    }
}

/// The extractor a run uses: the learned models and the tables derived from the lexicons,
/// built once and shared by the workers. The tables number words as the [`Lexicons`] it was
/// loaded with do: pass that same `Lexicons` to [`extract`].
pub struct Extractor {
    /// The attribution tagger; `None`: the rules find the attributions.
    tagger: Option<Box<model::Model>>,
    pub(crate) source_types: sourcetype::TypeModel,
    pub(crate) uncertainty: hedging::UncertaintyModel,
    /// Confirms, refuses or neither, per confirm-family word (data/models/confirmation.tsv).
    pub(crate) confirmations: confirmation::ConfirmModel,
    /// rule-words.txt classes by vocabulary id ([`rules::word_classes`]).
    rule_classes: Vec<u8>,
    weasel_starters: words::WeaselStarters,
    /// Factual claim, opinion or other, per sentence (data/models/claim-kinds.tsv).
    pub(crate) claims: claims::ClaimModel,
}

impl Extractor {
    /// The embedded models, the tagger's only for [`ModelKind::Tagger`], built against `lex`.
    /// A tagger trained with another cue list than `lex`'s model-cues.txt is refused.
    pub fn load(kind: ModelKind, lex: &Lexicons) -> anyhow::Result<Extractor> {
        let tagger = match kind {
            ModelKind::Rules => None,
            ModelKind::Tagger => Some(Box::new(model::Model::embedded(lex.tagger_cues())?)),
        };
        Ok(Extractor {
            tagger,
            source_types: sourcetype::TypeModel::embedded()?,
            uncertainty: hedging::UncertaintyModel::embedded(lex.vocab())?,
            confirmations: confirmation::ConfirmModel::embedded()?,
            rule_classes: rules::word_classes(lex),
            weasel_starters: words::WeaselStarters::new(lex),
            claims: claims::ClaimModel::embedded().map_err(anyhow::Error::msg)?,
        })
    }

    pub fn kind(&self) -> ModelKind {
        match self.tagger {
            None => ModelKind::Rules,
            Some(_) => ModelKind::Tagger,
        }
    }

    fn rules(&self) -> rules::RuleExtractor<'_> {
        rules::RuleExtractor::new(&self.rule_classes)
    }
}

/// The embedded rules extractor over [`crate::lexicon::test_lexicons`], built once for the
/// unit tests.
#[cfg(test)]
pub(crate) fn test_extractor() -> &'static Extractor {
    static E: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    E.get_or_init(|| Extractor::load(ModelKind::Rules, crate::lexicon::test_lexicons()).unwrap())
}

/// Run extraction on one segmented document: attributions, then the patterns that need the
/// whole document in view (source types, anonymity, confirmation, uncertainty). `lex`: the
/// lexicons `ex` was loaded with.
pub fn extract(
    text: &str,
    seg: &crate::segment::Segmented,
    lex: &Lexicons,
    ex: &Extractor,
) -> Extraction {
    // Lowercased and looked up once for the rules and the patterns.
    let lowered = crate::lexicon::LowerTokens::new(text, &seg.tokens);
    let lw = lowered.words(&seg.tokens, lex);
    let mut attributions = found_attributions(text, seg, &lw, ex);
    confirmation::attribute_confirm_words(
        &words::Words::new(text, seg, &lw, ex),
        seg,
        &ex.confirmations,
        &mut attributions,
    );
    let mut ext = patterns::annotate(text, seg, &lw, attributions, ex);
    // Last: the claim model reads the attributions and hedges found above.
    let kinds = ex.claims.classify_document(text, seg, &ext);
    for (s, (kind, p)) in ext.sentences.iter_mut().zip(kinds) {
        s.kind = kind;
        s.kind_probability = p as f32;
    }
    ext
}

/// The attributions the extractor finds, repaired, without those of table rows and footers
/// ("NOTE: ..."), which cite no source.
fn found_attributions(
    text: &str,
    seg: &crate::segment::Segmented,
    lw: &crate::lexicon::Lowered,
    ex: &Extractor,
) -> Vec<Attribution> {
    let mut attributions = clauses::repair(find_attributions(text, seg, lw, ex), seg, lw);
    attributions.retain(|a| !claims::is_layout(text, seg, a.sentence));
    attributions
}

/// The attributions (Source, Cue, Content spans) alone, before any pattern is decided.
pub fn find_attributions(
    text: &str,
    seg: &crate::segment::Segmented,
    lw: &crate::lexicon::Lowered,
    ex: &Extractor,
) -> Vec<Attribution> {
    match &ex.tagger {
        None => ex.rules().extract_lowered(text, seg, lw),
        Some(m) => with_sentences(
            trim_content_ends(
                with_punctuation_cues(m.extract(text, seg), text, seg, lw, ex.rules()),
                text,
            ),
            seg,
        ),
    }
}

/// The tagger works on paragraphs; give each attribution the sentence that holds its cue.
fn with_sentences(mut atts: Vec<Attribution>, seg: &crate::segment::Segmented) -> Vec<Attribution> {
    for a in &mut atts {
        if let Some(c) = a.cue.first() {
            let i = seg.sentences.partition_point(|s| s.span.end <= c.start);
            a.sentence = i.min(seg.sentences.len().saturating_sub(1));
        }
    }
    atts
}

/// PolNeAR content ends before a final `.`, `,`, `;` or `:` outside quotes; the tagger and
/// the punctuation cues often take it (in 2-fold cross-validation on train, 7% of such
/// contents were exact, 15% once trimmed).
fn trim_content_ends(mut atts: Vec<Attribution>, text: &str) -> Vec<Attribution> {
    for a in &mut atts {
        for sp in &mut a.content {
            let s = sp.slice(text).trim_end();
            if let Some(body) = s.strip_suffix(['.', ',', ';', ':']) {
                let body = body.trim_end();
                if !body.is_empty() {
                    *sp = crate::doc::Span::new(sp.start, sp.start + body.len());
                }
            }
        }
    }
    atts
}

/// Complete the tagger with the rules: sources and contents it left empty, and the
/// punctuation-cued attributions where it found no overlapping cue.
fn with_punctuation_cues(
    mut atts: Vec<Attribution>,
    text: &str,
    seg: &crate::segment::Segmented,
    lw: &crate::lexicon::Lowered,
    rules: rules::RuleExtractor,
) -> Vec<Attribution> {
    // Where the tagger found a cue but no source or content, the rules' attribution with an
    // overlapping cue often has them ("as noted by a second source").
    let (rule_atts, extra) = rules.extract_with_punctuation_cues(text, seg, lw);
    let rule_cues = SpanIndex::new(
        rule_atts
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.cue.iter().map(move |c| (*c, i))),
    );
    for a in atts.iter_mut() {
        // The first rule attribution (in their order) with a cue overlapping one of `a`'s.
        let Some(r) = a
            .cue
            .iter()
            .filter_map(|y| rule_cues.first_overlapping(y))
            .min()
            .map(|i| &rule_atts[i])
        else {
            continue;
        };
        // A passive agent ("cited by Russia", "confirmed by Meloni") is the source; the
        // tagger tends to take the subject before the cue instead.
        let by_agent = match (r.cue.last(), r.source.first()) {
            (Some(c), Some(s)) => {
                c.end <= s.start && text[c.end..s.start].trim().eq_ignore_ascii_case("by")
            }
            _ => false,
        };
        if a.source.is_empty() || (by_agent && a.source != r.source) {
            a.source = r.source.clone();
            a.source_entity = None;
        }
        if a.content.is_empty() {
            a.content = r.content.clone();
        }
    }
    if extra.is_empty() {
        return atts;
    }
    // A punctuation cue is added where no tagger attribution has a cue or source overlapping
    // its cue, or a cue overlapping its source.
    let cues = SpanIndex::new(atts.iter().flat_map(|a| a.cue.iter().map(|c| (*c, 0))));
    let sources = SpanIndex::new(atts.iter().flat_map(|a| a.source.iter().map(|c| (*c, 0))));
    for e in extra {
        let taken =
            e.cue.iter().any(|c| {
                cues.first_overlapping(c).is_some() || sources.first_overlapping(c).is_some()
            }) || e.source.iter().any(|s| cues.first_overlapping(s).is_some());
        if !taken {
            atts.push(e);
        }
    }
    atts.sort_by_key(|a| a.cue.first().map(|c| c.start));
    atts
}

/// Spans sorted by start, for overlap queries in O(log n + k): a huge document with
/// thousands of attributions stays linear.
struct SpanIndex {
    /// (span, payload), by span start.
    spans: Vec<(crate::doc::Span, usize)>,
    /// The longest span: overlapping spans start at most this far before a query.
    max_len: usize,
}

impl SpanIndex {
    fn new(spans: impl Iterator<Item = (crate::doc::Span, usize)>) -> SpanIndex {
        let mut spans: Vec<_> = spans.collect();
        spans.sort_by_key(|(s, i)| (s.start, *i));
        let max_len = spans
            .iter()
            .map(|(s, _)| s.end - s.start)
            .max()
            .unwrap_or(0);
        SpanIndex { spans, max_len }
    }

    /// The smallest payload among the spans overlapping `q`.
    fn first_overlapping(&self, q: &crate::doc::Span) -> Option<usize> {
        let lo = q.start.saturating_sub(self.max_len);
        let from = self.spans.partition_point(|(s, _)| s.start < lo);
        self.spans[from..]
            .iter()
            .take_while(|(s, _)| s.start < q.end.max(q.start + 1))
            .filter(|(s, _)| s.overlaps(q))
            .map(|(_, i)| *i)
            .min()
    }
}
