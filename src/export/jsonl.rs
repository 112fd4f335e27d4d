//! The extract record: one JSON object per document (schema `onrecord.extract/1`, docs/schema.md).

use super::rows::Rows;
use crate::doc::{Document, Span};
use crate::extract::SentenceFlags;
use crate::pipeline::{self, Analysis, DocCounts, Firsts, Resources};
use crate::text::CharIndex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

pub const SCHEMA: &str = "onrecord.extract/1";

/// The record's fields before its attributions, in the order they are written.
#[derive(Serialize)]
struct Head<'a> {
    schema: &'static str,
    doc: &'a str,
    corpus: &'a str,
    offset_unit: &'static str,
    text_chars: usize,
    lossy_utf8: bool,
    /// The input's other fields and the `--meta` columns, keys sorted.
    meta: &'a BTreeMap<String, String>,
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

/// One document's record, made part by part: a document analysed in pieces adds each piece
/// (its attributions and sentences are written as JSON as it comes, and may spill to a
/// file: see [`Rows`]) and the record is written whole at the end, the same bytes as one
/// analysis of the whole document would give. The fields are, in order: the [`Head`], then
/// `attributions`, `sentences` and `counts`.
#[derive(Debug, Default)]
pub struct RecordParts {
    attributions: Rows,
    sentences: Rows,
    /// Whether an element was written, so the next one takes a comma.
    any_attribution: bool,
    any_sentence: bool,
    /// The counts of the pieces added, summed.
    counts: DocCounts,
}

impl RecordParts {
    /// Adds a piece of the document `text` (`ci` its index): `a` with spans into `text`
    /// and its own indices, which `first` makes the document's. Spills go to `dir`.
    pub fn add(
        &mut self,
        text: &str,
        ci: &CharIndex,
        a: &Analysis,
        first: Firsts,
        dir: &Path,
    ) -> std::io::Result<()> {
        self.counts.add(&a.counts);
        let spans = |v: &[Span]| v.iter().map(|s| ci.span(*s)).collect::<Vec<_>>();
        let mut buf = Vec::new();
        for (id, at) in a.extraction.attributions.iter().enumerate() {
            if std::mem::replace(&mut self.any_attribution, true) {
                buf.push(b',');
            }
            let out = AttributionOut {
                id: first.attribution + id,
                cue: spans(&at.cue),
                source: spans(&at.source),
                content: spans(&at.content),
                cue_text: joined(text, &at.cue),
                source_text: joined(text, &at.source),
                source_type: at.source_type.as_str(),
                source_entity: at.source_entity.as_deref(),
                sentence: first.sentence + at.sentence,
                anonymity: at.anonymity.as_ref().map(|an| AnonymityOut {
                    reason: an.reason.map(|s| ci.span(s)),
                    knowledge: an.knowledge.map(|s| ci.span(s)),
                    count: an.count,
                    descriptors: &an.descriptors,
                }),
                confirmation: at.confirmation,
            };
            serde_json::to_writer(&mut buf, &out)?;
        }
        self.attributions.push(buf, dir)?;
        let mut buf = Vec::new();
        let flags = a.extraction.sentences.iter().zip(&a.segmented.sentences);
        for (f, s) in flags {
            if std::mem::replace(&mut self.any_sentence, true) {
                buf.push(b',');
            }
            let f: &SentenceFlags = f;
            let out = SentenceOut {
                span: ci.span(f.span),
                paragraph: first.paragraph + s.paragraph,
                uncertain: f.uncertain,
                hedges: spans(&f.hedges),
                factual: f.factual(),
                kind: f.kind.as_str(),
                kind_probability: (f64::from(f.kind_probability) * 1000.0).round() / 1000.0,
            };
            serde_json::to_writer(&mut buf, &out)?;
        }
        self.sentences.push(buf, dir)
    }

    /// Writes the record of `doc` (of `text_chars` code points) as a JSON line.
    pub fn write<W: Write + ?Sized>(
        self,
        out: &mut W,
        doc: &Document,
        text_chars: usize,
    ) -> std::io::Result<()> {
        let head = Head {
            schema: SCHEMA,
            doc: &doc.id,
            corpus: &doc.corpus,
            offset_unit: "char",
            text_chars,
            lossy_utf8: doc.lossy_utf8,
            meta: &doc.meta,
        };
        let mut bytes = serde_json::to_vec(&head)?;
        // The object stays open for the fields that follow.
        bytes.pop();
        bytes.extend_from_slice(b",\"attributions\":[");
        out.write_all(&bytes)?;
        self.attributions.write_to(out)?;
        out.write_all(b"],\"sentences\":[")?;
        self.sentences.write_to(out)?;
        out.write_all(b"],\"counts\":")?;
        serde_json::to_writer(&mut *out, &self.counts)?;
        out.write_all(b"}\n")
    }
}

/// Write one document's record, from its whole analysis, as a JSON line.
pub fn write_record<W: Write>(out: &mut W, doc: &Document, a: &Analysis) -> std::io::Result<()> {
    let ci = CharIndex::new(&doc.text);
    let mut parts = RecordParts::default();
    // One part: nothing spills, so no folder is needed.
    parts.add(&doc.text, &ci, a, Firsts::default(), Path::new("."))?;
    parts.write(out, doc, ci.char_of(doc.text.len()))
}

/// A document's record, analysed piece by piece (pieces of `piece_bytes`, see
/// [`pipeline::for_each_piece`]) so that one piece's analysis is held at a time; its
/// elements spill to `dir` past the first piece. Returns the parts and the text's length in
/// code points, for [`RecordParts::write`].
pub fn record_in_pieces(
    doc: &Document,
    res: &Resources,
    piece_bytes: usize,
    dir: &Path,
) -> std::io::Result<(RecordParts, usize)> {
    let ci = CharIndex::new(&doc.text);
    let mut parts = RecordParts::default();
    pipeline::for_each_piece(&doc.text, res, piece_bytes, |p| {
        parts.add(&doc.text, &ci, &p.analysis, p.first, dir)
    })?;
    Ok((parts, ci.char_of(doc.text.len())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ModelKind;

    /// Made piece by piece, a record has the bytes of the record of the analysis in pieces
    /// put together first; and it parses as JSON.
    #[test]
    fn a_record_made_piece_by_piece_is_the_record_of_the_whole_analysis() {
        let res = Resources::embedded(ModelKind::Tagger).unwrap();
        let text = pipeline::sample_articles();
        let doc = Document {
            id: "long".into(),
            corpus: "c".into(),
            text: format!("Naïve “quotes” first.\n\n{}", text.join("\n\n")),
            ..Default::default()
        };
        let spill = tempfile::tempdir().unwrap();
        let size = 2048;
        let (parts, chars) = record_in_pieces(&doc, &res, size, spill.path()).unwrap();
        assert!(parts.attributions.spilled() && parts.sentences.spilled());
        let mut got = Vec::new();
        parts.write(&mut got, &doc, chars).unwrap();
        let mut want = Vec::new();
        let whole = pipeline::analyze_in_pieces(&doc.text, &res, size);
        write_record(&mut want, &doc, &whole).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        );
        let v: serde_json::Value = serde_json::from_slice(&want).unwrap();
        assert_eq!(
            v["attributions"].as_array().unwrap().len(),
            whole.extraction.attributions.len()
        );
        assert_eq!(v["text_chars"], doc.text.chars().count());
        assert_eq!(std::fs::read_dir(spill.path()).unwrap().count(), 0);
    }
}
