//! One document's rows of claims.csv, attributions.csv and documents.csv, made on a worker
//! thread for `score`.

use crate::aggregate::{DocStats, MISSING_GROUP};
use crate::export::rows::Rows;
use crate::export::tables;
use crate::export::writer::Table;
use crate::pipeline::{self, DocCounts, Piece, Resources};
use crate::report;
use crate::score::IndexSums;
use crate::text::CharIndex;
use std::path::Path;

/// One document, scored and formatted on a worker thread: the writer thread only appends
/// the rows and adds the statistics, so it does not hold back the workers.
pub(super) struct Scored {
    pub stats: DocStats,
    /// The document has no `--by` column and went to [`MISSING_GROUP`].
    pub missing: bool,
    pub claims: Rows,
    pub attributions: Rows,
    pub document: Vec<u8>,
    pub examples: Vec<report::examples::Example>,
}

/// Bytes of a claims or attributions row besides its text, document id, corpus and group (numbers,
/// flags, separators), a little over what they take, for the buffers' first size.
const ROW_BYTES: usize = 96;

/// The rows of one document in the three per-document tables. A document analysed in pieces
/// is written piece by piece: each piece's rows go out (to a spill file in `dir`) and its
/// analysis is dropped before the next piece is analysed; the counts and the sourcing index
/// are summed over the pieces.
#[allow(clippy::too_many_arguments)]
pub(super) fn score_doc(
    doc: &crate::doc::Document,
    res: &Resources,
    by: &str,
    headers: &[Vec<String>; 3],
    safe: bool,
    examples: usize,
    dir: &Path,
    piece_bytes: usize,
) -> csv::Result<Scored> {
    let ci = CharIndex::new(&doc.text);
    let (group, missing) = if by == "corpus" {
        (doc.corpus.clone(), false)
    } else {
        match doc.meta.get(by) {
            Some(g) => (g.clone(), false),
            None => (MISSING_GROUP.to_string(), true),
        }
    };
    let mut stats = DocStats::new(doc.id.clone(), group);
    let (mut counts, mut sums) = (DocCounts::default(), IndexSums::default());
    let (mut claims_rows, mut attribution_rows) = (Rows::default(), Rows::default());
    let mut candidates = Vec::new();
    let [ch, ah, dh] = headers;
    let per_row = doc.id.len() + doc.corpus.len() + stats.group.len() + ROW_BYTES;
    pipeline::for_each_piece(&doc.text, res, piece_bytes, |piece| {
        let Piece { analysis, first } = piece;
        let (ext, claims) = (&analysis.extraction, &analysis.claims);
        for c in claims {
            stats.push_claim(c.score, c.patterns.iter().copied());
        }
        for a in &ext.attributions {
            stats.push_attribution(a.source_type.as_str());
        }
        counts.add(&analysis.counts);
        sums.add(&doc.text, ext, claims, &res.weights);
        // Room for the rows up front (claims.csv holds about twice the text, attributions.csv
        // about 0.7 times), so that the buffers do not grow and copy themselves row by row.
        let n_text = analysis
            .segmented
            .sentences
            .last()
            .map_or(0, |s| s.span.end)
            - analysis
                .segmented
                .sentences
                .first()
                .map_or(0, |s| s.span.start);
        let (n_claims, n_attr) = (claims.len(), ext.attributions.len());
        let cap = n_text + n_text / 4 + n_claims * per_row;
        let mut t = Table::body_with_capacity(Vec::new(), ch, safe, cap);
        tables::write_claims(&mut t, doc, &stats.group, &ci, ext, claims, first)?;
        claims_rows.push(t.into_bytes(), dir)?;
        candidates.extend(report::examples::candidates(
            examples,
            doc,
            &stats.group,
            &ci,
            claims,
            first.sentence,
        ));
        // A long piece's rows are as large as its analysis: the claims and sentences go
        // before the attribution rows are made, so that both are never held whole at once.
        let pipeline::Analysis { extraction, .. } = analysis;
        let cap = (n_text * 3 / 4).min(n_attr * 4096) + n_attr * per_row;
        let mut t = Table::body_with_capacity(Vec::new(), ah, safe, cap);
        tables::write_attributions(&mut t, doc, &stats.group, &ci, &extraction, first)?;
        attribution_rows.push(t.into_bytes(), dir)?;
        csv::Result::Ok(())
    })?;
    let index = sums.index(&res.weights);
    let mut t = Table::body_with_capacity(Vec::new(), dh, safe, 256 + doc.id.len());
    tables::write_document(&mut t, doc, &stats, &counts, &index)?;
    Ok(Scored {
        examples: candidates,
        stats,
        missing,
        claims: claims_rows,
        attributions: attribution_rows,
        document: t.into_bytes(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Document;
    use crate::extract::ModelKind;
    use crate::pipeline::Firsts;

    fn bytes(rows: Rows, header: &[String]) -> Vec<u8> {
        let mut t = Table::body(Vec::new(), header, false);
        rows.append_to(&mut t).unwrap();
        t.into_bytes()
    }

    /// Scored piece by piece, a document gives the bytes that its analysis in pieces, put
    /// together first and written whole, gives.
    #[test]
    fn a_document_scored_piece_by_piece_gives_the_rows_of_its_whole_analysis() {
        let res = Resources::embedded(ModelKind::Tagger).unwrap();
        let articles = pipeline::sample_articles();
        let doc = Document {
            id: "long".into(),
            corpus: "c".into(),
            text: articles.join("\n\n").repeat(2),
            ..Default::default()
        };
        let headers = [
            tables::claims_header(),
            tables::attributions_header(),
            tables::documents_header(),
        ];
        let spill = tempfile::tempdir().unwrap();
        let size = 4096;
        let got = score_doc(&doc, &res, "corpus", &headers, false, 3, spill.path(), size).unwrap();
        assert!(got.claims.spilled() && got.attributions.spilled());

        let a = pipeline::analyze_in_pieces(&doc.text, &res, size);
        let ci = CharIndex::new(&doc.text);
        let mut stats = DocStats::new(doc.id.clone(), doc.corpus.clone());
        for c in &a.claims {
            stats.push_claim(c.score, c.patterns.iter().copied());
        }
        for at in &a.extraction.attributions {
            stats.push_attribution(at.source_type.as_str());
        }
        let (ext, first) = (&a.extraction, Firsts::default());
        let mut t = Table::body(Vec::new(), &headers[0], false);
        tables::write_claims(&mut t, &doc, "c", &ci, ext, &a.claims, first).unwrap();
        assert_eq!(bytes(got.claims, &headers[0]), t.into_bytes());
        let mut t = Table::body(Vec::new(), &headers[1], false);
        tables::write_attributions(&mut t, &doc, "c", &ci, ext, first).unwrap();
        assert_eq!(bytes(got.attributions, &headers[1]), t.into_bytes());
        let mut t = Table::body(Vec::new(), &headers[2], false);
        tables::write_document(&mut t, &doc, &stats, &a.counts, &a.index).unwrap();
        assert_eq!(got.document, t.into_bytes());
        // The examples: the 3 smallest keys per pattern among the whole's candidates.
        let mut want = report::examples::Examples::new(3);
        want.add(report::examples::candidates(
            3, &doc, "c", &ci, &a.claims, 0,
        ));
        let mut have = report::examples::Examples::new(3);
        have.add(got.examples);
        assert!(want.iter().count() > 3);
        assert!(want.iter().eq(have.iter()));
        // Nothing is left in the spill folder.
        assert_eq!(std::fs::read_dir(spill.path()).unwrap().count(), 0);
    }
}
