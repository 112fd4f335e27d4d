//! The extract record: one JSON object per document (schema `onrecord.extract/1`, docs/schema.md).

use crate::doc::{Document, Span};
use crate::extract::{Extraction, SentenceFlags};
use crate::segment::Segmented;
use crate::text::CharIndex;
use serde::Serialize;
use std::io::Write;

pub const SCHEMA: &str = "onrecord.extract/1";

#[derive(Serialize)]
struct Record<'a> {
    schema: &'static str,
    doc: &'a str,
    corpus: &'a str,
    offset_unit: &'static str,
    text_chars: usize,
    lossy_utf8: bool,
    attributions: Vec<AttributionOut<'a>>,
    sentences: Vec<SentenceOut>,
    counts: Counts,
}

/// Per-document pattern counts: what researchers tally per article.
#[derive(Serialize, Default)]
struct Counts {
    attributions: usize,
    /// Attributions by source type (all nine keys, zeros included).
    by_source_type: std::collections::BTreeMap<&'static str, usize>,
    anonymous: usize,
    anonymous_with_reason: usize,
    anonymous_without_reason: usize,
    anonymous_with_knowledge: usize,
    confirmed_by_named_official: usize,
    sentences: usize,
    uncertain_sentences: usize,
    /// Claims as `onrecord score` sees them (data/weights.toml decides what is a claim).
    claims: usize,
    uncertain_claims: usize,
    unattributed_claims: usize,
}

fn counts(seg: &Segmented, ext: &Extraction, text: &str) -> Counts {
    use crate::extract::SourceType;
    let mut c = Counts {
        attributions: ext.attributions.len(),
        sentences: ext.sentences.len(),
        uncertain_sentences: ext.sentences.iter().filter(|s| s.uncertain).count(),
        ..Default::default()
    };
    for t in SourceType::ALL {
        c.by_source_type.insert(t.as_str(), 0);
    }
    for a in &ext.attributions {
        *c.by_source_type.entry(a.source_type.as_str()).or_default() += 1;
        if let Some(an) = &a.anonymity {
            c.anonymous += 1;
            if an.reason.is_some() {
                c.anonymous_with_reason += 1;
            } else {
                c.anonymous_without_reason += 1;
            }
            c.anonymous_with_knowledge += an.knowledge.is_some() as usize;
        }
        c.confirmed_by_named_official +=
            (a.confirmation && a.source_type == SourceType::NamedOfficial) as usize;
    }
    if let Ok(w) = weights() {
        let claims = crate::score::claims(text, seg, ext, w);
        c.claims = claims.len();
        c.uncertain_claims = claims.iter().filter(|k| k.uncertain).count();
        c.unattributed_claims = claims.iter().filter(|k| k.attribution.is_none()).count();
    }
    c
}

fn weights() -> Result<&'static crate::score::Weights, &'static crate::score::WeightsError> {
    static W: std::sync::OnceLock<Result<crate::score::Weights, crate::score::WeightsError>> =
        std::sync::OnceLock::new();
    W.get_or_init(crate::score::Weights::embedded).as_ref()
}

#[derive(Serialize)]
struct AttributionOut<'a> {
    id: usize,
    cue: Vec<[usize; 2]>,
    source: Vec<[usize; 2]>,
    content: Vec<[usize; 2]>,
    cue_text: String,
    source_text: String,
    source_type: &'static str,
    source_entity: Option<&'a str>,
    sentence: usize,
    anonymity: Option<AnonymityOut<'a>>,
    confirmation: bool,
}

#[derive(Serialize)]
struct AnonymityOut<'a> {
    reason: Option<[usize; 2]>,
    knowledge: Option<[usize; 2]>,
    count: Option<u32>,
    descriptors: &'a [String],
}

#[derive(Serialize)]
struct SentenceOut {
    span: [usize; 2],
    paragraph: usize,
    uncertain: bool,
    hedges: Vec<[usize; 2]>,
}

fn joined(text: &str, spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| s.slice(text))
        .collect::<Vec<_>>()
        .join(" … ")
}

/// Write one document's record as a JSON line.
pub fn write_record<W: Write>(
    out: &mut W,
    doc: &Document,
    seg: &Segmented,
    ext: &Extraction,
) -> std::io::Result<()> {
    let text = doc.text.as_str();
    let ci = CharIndex::new(text);
    let spans = |v: &[Span]| v.iter().map(|s| ci.span(*s)).collect::<Vec<_>>();
    let rec = Record {
        schema: SCHEMA,
        doc: &doc.id,
        corpus: &doc.corpus,
        offset_unit: "char",
        text_chars: ci.char_of(text.len()),
        lossy_utf8: doc.lossy_utf8,
        attributions: ext
            .attributions
            .iter()
            .enumerate()
            .map(|(id, a)| AttributionOut {
                id,
                cue: spans(&a.cue),
                source: spans(&a.source),
                content: spans(&a.content),
                cue_text: joined(text, &a.cue),
                source_text: joined(text, &a.source),
                source_type: a.source_type.as_str(),
                source_entity: a.source_entity.as_deref(),
                sentence: a.sentence,
                anonymity: a.anonymity.as_ref().map(|an| AnonymityOut {
                    reason: an.reason.map(|s| ci.span(s)),
                    knowledge: an.knowledge.map(|s| ci.span(s)),
                    count: an.count,
                    descriptors: &an.descriptors,
                }),
                confirmation: a.confirmation,
            })
            .collect(),
        sentences: ext
            .sentences
            .iter()
            .zip(&seg.sentences)
            .map(|(f, s): (&SentenceFlags, _)| SentenceOut {
                span: ci.span(f.span),
                paragraph: s.paragraph,
                uncertain: f.uncertain,
                hedges: spans(&f.hedges),
            })
            .collect(),
        counts: counts(seg, ext, text),
    };
    serde_json::to_writer(&mut *out, &rec)?;
    out.write_all(b"\n")
}
