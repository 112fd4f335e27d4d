//! The team's label files (data/labels/*.tsv) as the trainers read them: tab separated, one
//! header line, quoting off (the sentences hold quotation marks of their own).

use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One record, its fields by column name, with where it came from for error messages.
pub struct LabelRow<'p> {
    path: &'p Path,
    /// 1-based record number (the header not counted).
    record: usize,
    fields: BTreeMap<String, String>,
}

impl LabelRow<'_> {
    /// The field, or empty when the column is absent.
    pub fn get(&self, k: &str) -> String {
        self.fields.get(k).cloned().unwrap_or_default()
    }

    /// The field as a whole number, or an error naming the file, record and column.
    pub fn num(&self, k: &str) -> Result<usize> {
        self.get(k)
            .parse()
            .with_context(|| format!("{}: {k} is not a number", self.at()))
    }

    /// "FILE: record N", for errors about this record.
    pub fn at(&self) -> String {
        format!("{}: record {}", self.path.display(), self.record)
    }
}

/// Every record of a label file.
pub fn read_rows(path: &Path) -> Result<Vec<LabelRow<'_>>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    r.deserialize::<BTreeMap<String, String>>()
        .enumerate()
        .map(|(n, rec)| {
            let fields = rec.with_context(|| format!("{}: record {}", path.display(), n + 1))?;
            Ok(LabelRow {
                path,
                record: n + 1,
                fields,
            })
        })
        .collect()
}

/// The texts of the files that labels in `labels` refer to, by their path relative to
/// `shared` (read once each, in parallel).
pub fn read_texts<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    labels: &Path,
    shared: &Path,
) -> Result<BTreeMap<String, String>> {
    let paths: BTreeSet<&str> = paths.into_iter().collect();
    paths
        .par_iter()
        .map(|p| {
            let file = shared.join(p);
            std::fs::read_to_string(&file)
                .with_context(|| {
                    format!(
                        "reading {} (labelled in {})",
                        file.display(),
                        labels.display()
                    )
                })
                .map(|t| (p.to_string(), t))
        })
        .collect()
}
