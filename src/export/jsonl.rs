//! The extract record: one JSON object per document (schema `onrecord.extract/1`, docs/schema.md).

use crate::doc::{Document, Span};
use crate::extract::SentenceFlags;
use crate::pipeline::{Analysis, DocCounts};
use crate::text::CharIndex;
use serde::Serialize;
use std::collections::BTreeMap;
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
    /// The input's other fields and the `--meta` columns, keys sorted.
    meta: &'a BTreeMap<String, String>,
    attributions: Vec<AttributionOut<'a>>,
    sentences: Vec<SentenceOut>,
    counts: &'a DocCounts,
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
    /// A factual claim (scored when laid out as one), else opinion or other.
    factual: bool,
    kind: &'static str,
    /// The claim model's probability of `kind`, to three decimals.
    kind_probability: f64,
}

fn joined(text: &str, spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| s.slice(text))
        .collect::<Vec<_>>()
        .join(" … ")
}

/// Write one document's record as a JSON line.
pub fn write_record<W: Write>(out: &mut W, doc: &Document, a: &Analysis) -> std::io::Result<()> {
    let (seg, ext) = (&a.segmented, &a.extraction);
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
        meta: &doc.meta,
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
                factual: f.factual(),
                kind: f.kind.as_str(),
                kind_probability: (f64::from(f.kind_probability) * 1000.0).round() / 1000.0,
            })
            .collect(),
        counts: &a.counts,
    };
    serde_json::to_writer(&mut *out, &rec)?;
    out.write_all(b"\n")
}
