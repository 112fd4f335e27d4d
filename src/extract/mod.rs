//! Extraction: attributions (Source, Cue, Content), source types, anonymity, confirmation,
//! and per-sentence uncertainty.

pub mod model;

use crate::doc::Span;
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceFlags {
    pub span: Span,
    pub uncertain: bool,
    pub hedges: Vec<Span>,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extraction {
    pub attributions: Vec<Attribution>,
    pub sentences: Vec<SentenceFlags>,
}
