//! The one chain of stages: segment -> extract -> score, for every command, bench, test and
//! fuzz target. Resources (lexicons, extractor, models, weights) are loaded once by the
//! caller and passed in; nothing here reads a file or a process-wide default.

use crate::extract::{self, ClaimKind, Extraction, Extractor, ModelKind, SourceType};
use crate::lexicon::Lexicons;
use crate::score::{self, Claim, SourcingIndex, Weights};
use crate::segment::{self, Segmented};
use anyhow::Context;
use std::path::Path;

/// What the stages read besides the text, loaded once per run and shared by the workers.
pub struct Resources {
    /// The word lists (data/lexicons/, or --lexicons over them).
    pub lexicons: Lexicons,
    /// Loaded with `lexicons`, whose vocabulary numbers its tables.
    pub extractor: Extractor,
    /// Scoring weights and what counts as a claim (data/weights.toml or --weights).
    pub weights: Weights,
}

impl Resources {
    /// The embedded lexicons and weights, and the given extractor.
    pub fn embedded(extractor: ModelKind) -> anyhow::Result<Resources> {
        Resources::with_weights(extractor, Weights::embedded()?)
    }

    /// The embedded lexicons, the given extractor with its embedded model, and the given
    /// weights.
    pub fn with_weights(extractor: ModelKind, weights: Weights) -> anyhow::Result<Resources> {
        Resources::with(extractor, weights, Lexicons::embedded())
    }

    /// What the command line asks for: the embedded weights, or those of the TOML file
    /// `weights`; the embedded lexicons, with the lists that the folder `lexicons` holds read
    /// from there instead.
    pub fn load(
        extractor: ModelKind,
        weights: Option<&Path>,
        lexicons: Option<&Path>,
    ) -> anyhow::Result<Resources> {
        let weights = match weights {
            None => Weights::embedded()?,
            Some(p) => {
                let text = std::fs::read_to_string(p).with_context(|| {
                    format!(
                        "reading the weights file {} (give a TOML file)",
                        p.display()
                    )
                })?;
                Weights::parse(&text, &p.display().to_string())?
            }
        };
        let lexicons = match lexicons {
            None => Lexicons::embedded(),
            Some(dir) => Lexicons::from_dir(dir)?,
        };
        Resources::with(extractor, weights, lexicons)
    }

    fn with(
        extractor: ModelKind,
        weights: Weights,
        lexicons: Lexicons,
    ) -> anyhow::Result<Resources> {
        Ok(Resources {
            extractor: Extractor::load(extractor, &lexicons)?,
            lexicons,
            weights,
        })
    }
}

/// Everything the pipeline learns about one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub segmented: Segmented,
    pub extraction: Extraction,
    /// The claims, scored, in sentence order.
    pub claims: Vec<Claim>,
    pub counts: DocCounts,
    /// The document's sourcing index and its parts.
    pub index: SourcingIndex,
}

/// Per-document pattern counts: what researchers tally per article. Attributions are counted
/// once each; claims as `score` sees them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DocCounts {
    pub attributions: usize,
    /// Attributions by source type, indexed like [`SourceType::ALL`] (written as an object
    /// with all nine keys, zeros included).
    #[serde(serialize_with = "by_type_map")]
    pub by_source_type: [usize; SourceType::ALL.len()],
    pub anonymous: usize,
    pub anonymous_with_reason: usize,
    pub anonymous_without_reason: usize,
    pub anonymous_with_knowledge: usize,
    pub confirmed_by_named_official: usize,
    pub sentences: usize,
    pub uncertain_sentences: usize,
    /// Sentences the claim model reads as the author's opinion or analysis.
    pub opinion_sentences: usize,
    /// Sentences the claim model reads as no claim (questions, headlines, boilerplate).
    pub other_sentences: usize,
    pub claims: usize,
    pub uncertain_claims: usize,
    pub unattributed_claims: usize,
}

fn by_type_map<S: serde::Serializer>(
    v: &[usize; SourceType::ALL.len()],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    // Keys in name order, as a sorted map would write them.
    let mut keyed: Vec<(&str, usize)> = SourceType::ALL
        .iter()
        .map(|t| t.as_str())
        .zip(v.iter().copied())
        .collect();
    keyed.sort_unstable();
    let mut m = s.serialize_map(Some(keyed.len()))?;
    for (k, n) in keyed {
        m.serialize_entry(k, &n)?;
    }
    m.end()
}

mod pieces;
#[cfg(test)]
pub(crate) use pieces::tests::sample_articles;
pub use pieces::PIECE_BYTES;

/// Segment, extract and score one document (one longer than [`PIECE_BYTES`] in pieces,
/// so that its working memory stays bounded: see `pieces`).
pub fn analyze(text: &str, res: &Resources) -> Analysis {
    analyze_in_pieces(text, res, PIECE_BYTES)
}

/// [`analyze`] with pieces of `size` bytes (tests use small ones; a piece also holds at most
/// about `size / 8` tokens).
pub fn analyze_in_pieces(text: &str, res: &Resources, size: usize) -> Analysis {
    let mut whole: Option<Analysis> = None;
    let mut n_pieces = 0;
    let _ = for_each_piece(text, res, size, |p| {
        n_pieces += 1;
        match &mut whole {
            None => whole = Some(p.analysis),
            Some(w) => pieces::append(w, p),
        }
        Ok::<(), std::convert::Infallible>(())
    });
    let mut a = whole.unwrap_or_else(|| analyze_whole(text, res));
    if n_pieces > 1 {
        a.counts = DocCounts::of(&a.extraction, &a.claims);
    }
    a.index = SourcingIndex::of(text, &a.extraction, &a.claims, &res.weights);
    a
}

/// One piece of a document, as [`for_each_piece`] gives it.
pub struct Piece {
    /// The piece's analysis, its spans into the whole document's text; its indices
    /// (sentences, paragraphs, attributions, claims) and counts are the piece's own, and its
    /// `index` is left empty (sum [`crate::score::IndexSums`] over the pieces instead).
    pub analysis: Analysis,
    /// How many of each the pieces before it hold: add them to make its indices the
    /// document's.
    pub first: Firsts,
}

/// Counts of what the earlier pieces of a document hold (all zero for the first piece).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Firsts {
    pub sentence: usize,
    pub paragraph: usize,
    pub attribution: usize,
    pub claim: usize,
}

impl Firsts {
    fn after(self, a: &Analysis) -> Firsts {
        Firsts {
            sentence: self.sentence + a.segmented.sentences.len(),
            paragraph: self.paragraph + a.segmented.paragraphs.len(),
            attribution: self.attribution + a.extraction.attributions.len(),
            claim: self.claim + a.claims.len(),
        }
    }
}

/// Analyses `text` piece by piece (pieces of about `size` bytes, or fewer where the text is
/// dense in tokens, cut as `pieces` says; a text within those limits is one piece, analysed
/// whole, tokens kept) and hands each
/// piece to `each` in text order before the next is analysed, so that a caller which writes
/// what it needs and drops the rest holds one piece's analysis at a time.
pub fn for_each_piece<E>(
    text: &str,
    res: &Resources,
    size: usize,
    mut each: impl FnMut(Piece) -> Result<(), E>,
) -> Result<(), E> {
    let ends = pieces::piece_ends(text, size);
    if ends.len() == 1 {
        let analysis = analyze_whole(text, res);
        return each(Piece {
            analysis,
            first: Firsts::default(),
        });
    }
    let (mut start, mut first) = (0, Firsts::default());
    for end in ends {
        let mut analysis = analyze_whole(&text[start..end], res);
        pieces::into_document(&mut analysis, start);
        let next = first.after(&analysis);
        each(Piece { analysis, first })?;
        (start, first) = (end, next);
    }
    Ok(())
}

/// One piece (or a whole short document), without its sourcing index, which is the whole
/// document's.
fn analyze_whole(text: &str, res: &Resources) -> Analysis {
    let segmented = segment::segment(text, res.lexicons.splitter());
    let extraction = extract::extract(text, &segmented, &res.lexicons, &res.extractor);
    let claims = score::claims(text, &segmented, &extraction, &res.weights);
    let counts = DocCounts::of(&extraction, &claims);
    Analysis {
        segmented,
        extraction,
        claims,
        counts,
        index: SourcingIndex::default(),
    }
}

impl DocCounts {
    /// Adds the counts of another part of the same document.
    pub fn add(&mut self, o: &DocCounts) {
        self.attributions += o.attributions;
        for (n, m) in self.by_source_type.iter_mut().zip(o.by_source_type) {
            *n += m;
        }
        self.anonymous += o.anonymous;
        self.anonymous_with_reason += o.anonymous_with_reason;
        self.anonymous_without_reason += o.anonymous_without_reason;
        self.anonymous_with_knowledge += o.anonymous_with_knowledge;
        self.confirmed_by_named_official += o.confirmed_by_named_official;
        self.sentences += o.sentences;
        self.uncertain_sentences += o.uncertain_sentences;
        self.opinion_sentences += o.opinion_sentences;
        self.other_sentences += o.other_sentences;
        self.claims += o.claims;
        self.uncertain_claims += o.uncertain_claims;
        self.unattributed_claims += o.unattributed_claims;
    }

    pub fn of(ext: &Extraction, claims: &[Claim]) -> DocCounts {
        let kinds = |k| ext.sentences.iter().filter(|s| s.kind == k).count();
        let mut c = DocCounts {
            attributions: ext.attributions.len(),
            sentences: ext.sentences.len(),
            uncertain_sentences: ext.sentences.iter().filter(|s| s.uncertain).count(),
            opinion_sentences: kinds(ClaimKind::Opinion),
            other_sentences: kinds(ClaimKind::Other),
            claims: claims.len(),
            uncertain_claims: claims.iter().filter(|k| k.uncertain).count(),
            unattributed_claims: claims.iter().filter(|k| k.attribution.is_none()).count(),
            ..Default::default()
        };
        for a in &ext.attributions {
            if let Some(i) = SourceType::ALL.iter().position(|t| *t == a.source_type) {
                c.by_source_type[i] += 1;
            }
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
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_counts_what_it_found() {
        let res = Resources::embedded(ModelKind::Rules).unwrap();
        let text = "Two officials, who spoke on condition of anonymity, said the talks may fail. \
                    The minister said nothing.";
        let a = analyze(text, &res);
        assert_eq!(a.counts.attributions, a.extraction.attributions.len());
        assert!(a.counts.attributions >= 1);
        assert_eq!(a.counts.claims, a.claims.len());
        assert_eq!(
            a.counts.by_source_type.iter().sum::<usize>(),
            a.counts.attributions
        );
        assert_eq!(
            a.counts.anonymous,
            a.counts.anonymous_with_reason + a.counts.anonymous_without_reason
        );
        assert_eq!(a.counts.sentences, a.segmented.sentences.len());
    }
}
