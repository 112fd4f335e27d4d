//! Attribution patterns decided with the whole document in view, run in order over one
//! document: source types ([`super::typing`], then [`super::sourcetype`]), anonymity details
//! ([`super::anonymity`]), confirmation ([`super::confirmation`]), and per-sentence uncertainty with its hedge cues
//! ([`super::hedges`], then [`super::hedging`]).

use super::hedging;
use super::sourcetype::{Features, TypeModel};
use super::typing::SourceTyping;
use super::words::Words;
use super::Extractor;
use super::{anonymity, confirmation, Attribution, Extraction, SourceType};
use crate::lexicon::Lowered;
use crate::segment::Segmented;

/// `lw`: the document's words from [`crate::lexicon::LowerTokens::words`], numbered by the
/// lexicons `ex` was loaded with.
pub fn annotate(
    text: &str,
    seg: &Segmented,
    lw: &Lowered,
    attributions: Vec<Attribution>,
    ex: &Extractor,
) -> Extraction {
    let model = &ex.source_types;
    annotate_with(
        text,
        seg,
        lw,
        attributions,
        ex,
        (!model.is_empty()).then_some(model),
        None,
    )
}

/// [`annotate`] with the source-type model given (`None`: the rules' verdict stands), and,
/// for training, the features of every attribution's source pushed to `sink` (empty for an
/// attribution without a source).
pub fn annotate_with(
    text: &str,
    seg: &Segmented,
    lw: &Lowered,
    mut attributions: Vec<Attribution>,
    ex: &Extractor,
    model: Option<&TypeModel>,
    mut sink: Option<&mut Vec<Features>>,
) -> Extraction {
    let words = Words::new(text, seg, lw, ex);
    let mut typing = SourceTyping::new(&words, model, sink.is_some());
    let confirm_model = (!ex.confirmations.is_empty()).then_some(&ex.confirmations);
    let mut confirm_feats = Features::default();
    for a in &mut attributions {
        let range = typing.type_attribution(&words, a, sink.as_deref_mut());
        a.anonymity = match range {
            Some(r) if a.source_type == SourceType::Anonymous => {
                Some(anonymity::anonymity_details(&words, seg, r, a.sentence))
            }
            _ => None,
        };
        confirmation::decide(&words, seg, a, confirm_model, &mut confirm_feats);
    }
    confirmation::mark_confirmations(&mut attributions);
    let hedge_model = &ex.uncertainty;
    let sentences = hedging::sentences(
        &words,
        seg,
        (!hedge_model.is_empty()).then_some(hedge_model),
        None,
        None,
    );
    Extraction {
        attributions,
        sentences,
    }
}
