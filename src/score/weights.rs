//! The scoring weights and what counts as a claim: data/weights.toml, or `--weights FILE`.

use super::IndexWeights;
use crate::extract::SourceType;

/// The embedded default weights.
pub const DEFAULT_WEIGHTS: &str = include_str!("../../data/weights.toml");

#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Base points by source type, indexed like [`SourceType::ALL`].
    pub base: [f64; 9],
    pub base_unattributed: f64,
    pub confirmation: f64,
    pub multiple_sources: f64,
    pub anonymity_reason: f64,
    pub anonymity_knowledge: f64,
    pub uncertain: f64,
    pub vague_attribution: f64,
    pub min_words: usize,
    /// Lowercased sentence openings that continue the previous sentence's account.
    pub continuations: Vec<String>,
    /// The document's sourcing index.
    pub index: IndexWeights,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    #[error("{file}: not valid TOML: {message}")]
    Toml { file: String, message: String },
    #[error("{file}: missing key `{key}`; every key of data/weights.toml must be given")]
    Missing { file: String, key: String },
    #[error(
        "{file}: unknown key `{key}`; the keys are those of data/weights.toml (check the spelling)"
    )]
    Unknown { file: String, key: String },
    #[error("{file}: key `{key}` must be {expected}")]
    Type {
        file: String,
        key: String,
        expected: &'static str,
    },
}

const BASE_KEYS: [&str; 10] = [
    "named_official",
    "named_person",
    "organization",
    "media",
    "document",
    "anonymous",
    "vague",
    "other",
    "none",
    "unattributed",
];
const BONUS_KEYS: [&str; 4] = [
    "confirmation",
    "multiple_sources",
    "anonymity_reason",
    "anonymity_knowledge",
];
const PENALTY_KEYS: [&str; 2] = ["uncertain", "vague_attribution"];
const CLAIM_KEYS: [&str; 2] = ["min_words", "continuations"];

impl Weights {
    /// The weights embedded from `data/weights.toml`.
    pub fn embedded() -> Result<Weights, WeightsError> {
        Weights::parse(DEFAULT_WEIGHTS, "data/weights.toml (embedded)")
    }

    /// Parse a weights file; `file` names it in error messages.
    pub fn parse(text: &str, file: &str) -> Result<Weights, WeightsError> {
        let f = || file.to_string();
        let root: toml::Table = toml::from_str(text).map_err(|e| WeightsError::Toml {
            file: f(),
            message: e.to_string(),
        })?;
        let sections: [(&str, &[&str]); 5] = [
            ("base", &BASE_KEYS),
            ("bonus", &BONUS_KEYS),
            ("penalty", &PENALTY_KEYS),
            ("claims", &CLAIM_KEYS),
            ("index", &super::index::INDEX_KEYS),
        ];
        for key in root.keys() {
            if !sections.iter().any(|(s, _)| s == key) {
                return Err(WeightsError::Unknown {
                    file: f(),
                    key: key.clone(),
                });
            }
        }
        let mut tables = Vec::new();
        for (name, keys) in sections {
            let t = match root.get(name) {
                None => {
                    return Err(WeightsError::Missing {
                        file: f(),
                        key: name.to_string(),
                    })
                }
                Some(toml::Value::Table(t)) => t,
                Some(_) => {
                    return Err(WeightsError::Type {
                        file: f(),
                        key: name.to_string(),
                        expected: "a table ([section])",
                    })
                }
            };
            for k in t.keys() {
                if !keys.contains(&k.as_str()) {
                    return Err(WeightsError::Unknown {
                        file: f(),
                        key: format!("{name}.{k}"),
                    });
                }
            }
            for k in keys {
                if !t.contains_key(*k) {
                    return Err(WeightsError::Missing {
                        file: f(),
                        key: format!("{name}.{k}"),
                    });
                }
            }
            tables.push((name, t));
        }
        let num = |sec: usize, key: &str| -> Result<f64, WeightsError> {
            let (name, t) = &tables[sec];
            let v = match t.get(key) {
                Some(toml::Value::Integer(i)) => *i as f64,
                Some(toml::Value::Float(x)) => *x,
                _ => f64::NAN,
            };
            if v.is_finite() && (-100.0..=100.0).contains(&v) {
                Ok(v)
            } else {
                Err(WeightsError::Type {
                    file: f(),
                    key: format!("{name}.{key}"),
                    expected: "a number of points between -100 and 100",
                })
            }
        };
        let mut base = [0.0; 9];
        for (i, t) in SourceType::ALL.iter().enumerate() {
            base[i] = num(0, t.as_str())?;
        }
        let claims = tables[3].1;
        let min_words = match claims.get("min_words") {
            Some(toml::Value::Integer(i)) if (0..=100).contains(i) => *i as usize,
            _ => {
                return Err(WeightsError::Type {
                    file: f(),
                    key: "claims.min_words".into(),
                    expected: "a whole number between 0 and 100",
                })
            }
        };
        let continuations = match claims.get("continuations") {
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(|s| s.trim().to_lowercase()))
                .collect::<Option<Vec<String>>>(),
            _ => None,
        }
        .ok_or_else(|| WeightsError::Type {
            file: f(),
            key: "claims.continuations".into(),
            expected: "a list of strings",
        })?;
        Ok(Weights {
            base,
            base_unattributed: num(0, "unattributed")?,
            confirmation: num(1, "confirmation")?,
            multiple_sources: num(1, "multiple_sources")?,
            anonymity_reason: num(1, "anonymity_reason")?,
            anonymity_knowledge: num(1, "anonymity_knowledge")?,
            uncertain: num(2, "uncertain")?,
            vague_attribution: num(2, "vague_attribution")?,
            min_words,
            continuations,
            index: IndexWeights {
                identified: num(4, "identified")?,
                source_mix: num(4, "source_mix")?,
                distinct_sources: num(4, "distinct_sources")?,
                distinct_sources_full: num(4, "distinct_sources_full")?,
                reporting: num(4, "reporting")?,
                confirmation: num(4, "confirmation")?,
                anonymous_without_reason: num(4, "anonymous_without_reason")?,
                uncertain: num(4, "uncertain")?,
            },
        })
    }

    pub fn base_of(&self, t: SourceType) -> f64 {
        let i = SourceType::ALL.iter().position(|x| *x == t).unwrap_or(0);
        self.base[i]
    }
}
