//! The document's sourcing index: how well its factual claims are sourced as a whole, from
//! named parts whose weights live in `[index]` of data/weights.toml. Like the claim score it
//! measures sourcing, not truth (docs/sourcing-index.md says what it can and cannot tell).

use super::{source_key, Claim, Weights};
use crate::extract::{ClaimKind, Extraction, SourceType};
use std::collections::BTreeSet;

/// The `[index]` weights: each part's share of the 0..100 index (penalties subtract).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexWeights {
    /// Share of claims whose source is identified.
    pub identified: f64,
    /// Mean strength (base points over the strongest base) of the sources claims rest on.
    pub source_mix: f64,
    /// Distinct identified sources, up to `distinct_sources_full`.
    pub distinct_sources: f64,
    /// This many distinct identified sources earn the whole `distinct_sources` part.
    pub distinct_sources_full: f64,
    /// Share of the article's assertions that are reported facts (claims) rather than the
    /// author's opinion.
    pub reporting: f64,
    /// Share of claims confirmed by a named official (a bonus).
    pub confirmation: f64,
    /// Share of claims resting on an anonymous source with no reason given (a penalty).
    pub anonymous_without_reason: f64,
    /// Share of claims hedged (a penalty).
    pub uncertain: f64,
}

/// The keys of `[index]`, in the order of [`IndexWeights`]' fields.
pub(super) const INDEX_KEYS: [&str; 8] = [
    "identified",
    "source_mix",
    "distinct_sources",
    "distinct_sources_full",
    "reporting",
    "confirmation",
    "anonymous_without_reason",
    "uncertain",
];

/// Source types a reader can identify and check: everything but anonymous, vague, untyped
/// and missing sources.
pub fn identified(t: SourceType) -> bool {
    matches!(
        t,
        SourceType::NamedOfficial
            | SourceType::NamedPerson
            | SourceType::Organization
            | SourceType::Media
            | SourceType::Document
    )
}

/// One document's index and its parts. Shares are of the document's claims (its factual
/// sentences); all are `None` for a document without claims.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourcingIndex {
    pub claims: usize,
    pub identified_share: Option<f64>,
    /// Mean over attributed claims of base points / the strongest base, 0..1.
    pub source_mix: Option<f64>,
    pub distinct_sources: usize,
    /// Claims over claims and opinion sentences.
    pub reporting_share: Option<f64>,
    pub confirmed_share: Option<f64>,
    pub anonymous_without_reason_share: Option<f64>,
    pub uncertain_share: Option<f64>,
    /// 0..100, one decimal.
    pub index: Option<f64>,
}

impl SourcingIndex {
    pub fn of(text: &str, ext: &Extraction, claims: &[Claim], w: &Weights) -> SourcingIndex {
        let mut sums = IndexSums::default();
        sums.add(text, ext, claims, w);
        sums.index(w)
    }
}

/// What the index is made of, summed over a document's parts: a document analysed in pieces
/// adds each piece (spans into the same `text`) and gets the index of the whole, the same
/// bits as [`SourcingIndex::of`] over the pieces put together.
#[derive(Debug, Clone, Default)]
pub struct IndexSums {
    /// Distinct sources of the whole document: a source quoted for an opinion or in a
    /// sentence that is no claim still widens the reporting.
    sources: BTreeSet<String>,
    claims: usize,
    identified: usize,
    /// Sum and count of the base points (over the strongest) of the attributed claims,
    /// added in claim order.
    base_sum: f64,
    bases: usize,
    opinions: usize,
    confirmed: usize,
    anonymous: usize,
    uncertain: usize,
}

impl IndexSums {
    /// Adds a document's part: its extraction and the claims scored over it (their
    /// attribution indices into `ext`).
    pub fn add(&mut self, text: &str, ext: &Extraction, claims: &[Claim], w: &Weights) {
        let strongest = w.base.iter().copied().fold(f64::MIN, f64::max).max(1e-9);
        self.sources.extend(
            ext.attributions
                .iter()
                .filter(|a| identified(a.source_type))
                .filter_map(|a| source_key(text, a)),
        );
        self.opinions += ext
            .sentences
            .iter()
            .filter(|s| s.kind == ClaimKind::Opinion)
            .count();
        self.claims += claims.len();
        let source_of = |c: &Claim| {
            c.attribution
                .and_then(|i| ext.attributions.get(i))
                .map(|a| a.source_type)
        };
        for c in claims {
            let has = |p| c.patterns.contains(&p);
            self.confirmed += has(super::Pattern::ConfirmedNamedOfficial) as usize;
            self.anonymous += has(super::Pattern::AnonymousWithoutReason) as usize;
            self.uncertain += has(super::Pattern::Uncertain) as usize;
            if let Some(t) = source_of(c) {
                self.identified += identified(t) as usize;
                self.base_sum += (w.base_of(t) / strongest).clamp(0.0, 1.0);
                self.bases += 1;
            }
        }
    }

    /// The index of what was added.
    pub fn index(&self, w: &Weights) -> SourcingIndex {
        let iw = &w.index;
        let distinct_sources = self.sources.len();
        let n = self.claims;
        if n == 0 {
            return SourcingIndex {
                distinct_sources,
                ..SourcingIndex::default()
            };
        }
        let share = |k: usize| k as f64 / n as f64;
        let identified_share = share(self.identified);
        let source_mix = (self.bases > 0).then(|| self.base_sum / self.bases as f64);
        let reporting = n as f64 / (n + self.opinions) as f64;
        let confirmed = share(self.confirmed);
        let anonymous = share(self.anonymous);
        let uncertain = share(self.uncertain);
        let breadth = if iw.distinct_sources_full > 0.0 {
            (distinct_sources as f64 / iw.distinct_sources_full).min(1.0)
        } else {
            1.0
        };
        let sum = iw.identified * identified_share
            + iw.source_mix * source_mix.unwrap_or(0.0)
            + iw.distinct_sources * breadth
            + iw.reporting * reporting
            + iw.confirmation * confirmed
            - iw.anonymous_without_reason * anonymous
            - iw.uncertain * uncertain;
        SourcingIndex {
            claims: n,
            identified_share: Some(identified_share),
            source_mix,
            distinct_sources,
            reporting_share: Some(reporting),
            confirmed_share: Some(confirmed),
            anonymous_without_reason_share: Some(anonymous),
            uncertain_share: Some(uncertain),
            index: Some((100.0 * sum.clamp(0.0, 1.0) * 10.0).round() / 10.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ModelKind;
    use crate::pipeline::{analyze, Resources};

    fn index_of(text: &str) -> SourcingIndex {
        let res = Resources::embedded(ModelKind::Rules).expect("embedded resources load");
        analyze(text, &res).index
    }

    #[test]
    fn parts_follow_their_definitions() {
        let w = Weights::embedded().unwrap();
        let iw = &w.index;
        // No claims: no shares and no index; the sources are still counted.
        let none = index_of("");
        assert_eq!(
            (none.claims, none.index, none.identified_share),
            (0, None, None)
        );

        let text = "The ministry of finance said on Tuesday that the deficit rose to 4% of output last year. \
                    Economy Minister Maria Lopez told reporters the figure was confirmed by the central bank. \
                    The deficit rose for a third year in a row, according to the Office for Budget Responsibility.\n";
        let ix = index_of(text);
        assert!(ix.claims >= 1, "{ix:?}");
        let shares = [
            ix.identified_share,
            ix.source_mix,
            ix.reporting_share,
            ix.confirmed_share,
            ix.anonymous_without_reason_share,
            ix.uncertain_share,
        ];
        for s in shares {
            let s = s.expect("a share");
            assert!((0.0..=1.0).contains(&s), "{ix:?}");
        }
        // The index is the weighted sum of its parts, clamped and rounded.
        let breadth = (ix.distinct_sources as f64 / iw.distinct_sources_full).min(1.0);
        let want = iw.identified * ix.identified_share.unwrap()
            + iw.source_mix * ix.source_mix.unwrap()
            + iw.distinct_sources * breadth
            + iw.reporting * ix.reporting_share.unwrap()
            + iw.confirmation * ix.confirmed_share.unwrap()
            - iw.anonymous_without_reason * ix.anonymous_without_reason_share.unwrap()
            - iw.uncertain * ix.uncertain_share.unwrap();
        let want = (100.0 * want.clamp(0.0, 1.0) * 10.0).round() / 10.0;
        assert_eq!(ix.index, Some(want));
    }

    #[test]
    fn named_sources_raise_the_index_and_a_reason_for_anonymity_helps() {
        let named = index_of(
            "Finance Minister Maria Lopez said the deficit rose to 4% last year. \
             The central bank said the deficit rose for a third year in a row.\n",
        );
        let unsourced = index_of(
            "The deficit rose to 4% last year. The deficit rose for a third year in a row.\n",
        );
        let anonymous = |reason: &str| {
            index_of(&format!(
                "An official{reason} said the deficit rose to 4% last year. \
                 The deficit rose for a third year in a row, the official said.\n"
            ))
        };
        let (with, without) = (
            anonymous(", who spoke on condition of anonymity because he was not authorised to speak publicly,"),
            anonymous(""),
        );
        for ix in [&named, &unsourced, &with, &without] {
            assert!(ix.index.is_some(), "{ix:?}");
        }
        assert!(named.index > unsourced.index, "{named:?} {unsourced:?}");
        assert!(named.index > with.index, "{named:?} {with:?}");
        assert!(with.index > without.index, "{with:?} {without:?}");
        assert_eq!(unsourced.identified_share, Some(0.0));
        assert_eq!(unsourced.distinct_sources, 0);
        assert!(named.distinct_sources >= 2, "{named:?}");
    }
}
