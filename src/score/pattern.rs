//! The sourcing patterns counted per claim: one declaration from which the count keys of
//! [`crate::aggregate::DocStats`], the `n_<pattern>` columns of documents.csv, the labels
//! of the `score` report and the data dictionary's descriptions all come.

use crate::extract::SourceType;

/// A sourcing pattern a claim can show. A claim shows `Source` of its attribution's type,
/// or `Unattributed`, and any of the others that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pattern {
    Anonymous,
    AnonymousWithReason,
    AnonymousWithoutReason,
    AnonymousWithKnowledge,
    ConfirmedNamedOfficial,
    MultipleSources,
    Uncertain,
    Vague,
    Unattributed,
    /// The source type of the attribution the claim rests on.
    Source(SourceType),
}

impl Pattern {
    /// The patterns other than the source types, in their order in [`Pattern::ALL`].
    pub const FIXED: [Pattern; 9] = [
        Pattern::Anonymous,
        Pattern::AnonymousWithReason,
        Pattern::AnonymousWithoutReason,
        Pattern::AnonymousWithKnowledge,
        Pattern::ConfirmedNamedOfficial,
        Pattern::MultipleSources,
        Pattern::Uncertain,
        Pattern::Vague,
        Pattern::Unattributed,
    ];

    /// Every pattern, in the order of the documents.csv columns: the fixed patterns, then
    /// one per source type in the order of [`SourceType::ALL`].
    pub const ALL: [Pattern; 18] = {
        let mut all = [Pattern::Anonymous; 18];
        let fixed = Pattern::FIXED;
        let mut i = 0;
        while i < fixed.len() {
            all[i] = fixed[i];
            i += 1;
        }
        let mut t = 0;
        while t < SourceType::ALL.len() {
            all[fixed.len() + t] = Pattern::Source(SourceType::ALL[t]);
            t += 1;
        }
        all
    };

    /// The count key (also the column name after `n_` and the `key` of corpora_long.csv).
    pub const fn as_str(self) -> &'static str {
        match self {
            Pattern::Anonymous => "anonymous",
            Pattern::AnonymousWithReason => "anonymous_with_reason",
            Pattern::AnonymousWithoutReason => "anonymous_without_reason",
            Pattern::AnonymousWithKnowledge => "anonymous_with_knowledge",
            Pattern::ConfirmedNamedOfficial => "confirmed_named_official",
            Pattern::MultipleSources => "multiple_sources",
            Pattern::Uncertain => "uncertain",
            Pattern::Vague => "vague",
            Pattern::Unattributed => "unattributed",
            Pattern::Source(t) => match t {
                SourceType::NamedOfficial => "source_named_official",
                SourceType::NamedPerson => "source_named_person",
                SourceType::Organization => "source_organization",
                SourceType::Media => "source_media",
                SourceType::Document => "source_document",
                SourceType::Anonymous => "source_anonymous",
                SourceType::Vague => "source_vague",
                SourceType::Other => "source_other",
                SourceType::None => "source_none",
            },
        }
    }

    /// The pattern with the same count by definition, where this one is its alias: a claim
    /// shows `anonymous` exactly when its source type is anonymous, and `vague` exactly
    /// when it is vague. Comparisons test each such count once, under the other name.
    pub const fn alias_of(self) -> Option<Pattern> {
        match self {
            Pattern::Source(SourceType::Anonymous) => Some(Pattern::Anonymous),
            Pattern::Source(SourceType::Vague) => Some(Pattern::Vague),
            _ => None,
        }
    }

    /// The pattern whose count key is `key`.
    pub fn from_key(key: &str) -> Option<Pattern> {
        Pattern::ALL.into_iter().find(|p| p.as_str() == key)
    }

    /// The pattern's name in the `score` report's table.
    pub fn label(self) -> &'static str {
        match self {
            Pattern::Anonymous => "anonymous",
            Pattern::AnonymousWithReason => "anonymous, reason given",
            Pattern::AnonymousWithoutReason => "anonymous, no reason",
            Pattern::AnonymousWithKnowledge => "anonymous, knowledge given",
            Pattern::ConfirmedNamedOfficial => "confirmed by named official",
            Pattern::MultipleSources => "multiple sources",
            Pattern::Uncertain => "uncertain",
            Pattern::Vague => "vague",
            Pattern::Unattributed => "unattributed",
            Pattern::Source(t) => t.as_str(),
        }
    }

    /// What a count of the pattern counts (the data dictionary's meaning of `n_<pattern>`).
    pub fn description(self) -> &'static str {
        match self {
            Pattern::Anonymous => "claims resting on an anonymous source",
            Pattern::AnonymousWithReason => {
                "claims resting on an anonymous source whose reason for anonymity is given"
            }
            Pattern::AnonymousWithoutReason => {
                "claims resting on an anonymous source whose reason for anonymity is not given"
            }
            Pattern::AnonymousWithKnowledge => {
                "claims resting on an anonymous source where how the source knows is given"
            }
            Pattern::ConfirmedNamedOfficial => "claims confirmed by a named official",
            Pattern::MultipleSources => "claims with two or more distinct sources",
            Pattern::Uncertain => "hedged claims",
            Pattern::Vague => "claims resting on a vague source",
            Pattern::Unattributed => "claims with no attribution",
            Pattern::Source(SourceType::NamedOfficial) => {
                "claims whose attribution's source type is named_official"
            }
            Pattern::Source(SourceType::NamedPerson) => {
                "claims whose attribution's source type is named_person"
            }
            Pattern::Source(SourceType::Organization) => {
                "claims whose attribution's source type is organization"
            }
            Pattern::Source(SourceType::Media) => "claims whose attribution's source type is media",
            Pattern::Source(SourceType::Document) => {
                "claims whose attribution's source type is document"
            }
            Pattern::Source(SourceType::Anonymous) => {
                "claims whose attribution's source type is anonymous"
            }
            Pattern::Source(SourceType::Vague) => "claims whose attribution's source type is vague",
            Pattern::Source(SourceType::Other) => "claims whose attribution's source type is other",
            Pattern::Source(SourceType::None) => "claims whose attribution's source type is none",
        }
    }
}

/// Count keys are names: a claim's patterns go to [`crate::aggregate::DocStats::push_claim`]
/// as they are.
impl<'a> From<Pattern> for &'a str {
    fn from(p: Pattern) -> &'a str {
        p.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_is_listed_once_with_its_own_key() {
        let keys: std::collections::BTreeSet<&str> =
            Pattern::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(keys.len(), Pattern::ALL.len());
        for t in SourceType::ALL {
            assert!(Pattern::ALL.contains(&Pattern::Source(t)));
            assert_eq!(
                Pattern::Source(t).as_str(),
                format!("source_{}", t.as_str())
            );
        }
    }
}
