//! The domain types that flow between pipeline stages.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// A half-open byte range `[start, end)` into a document's text.
///
/// Everything inside the pipeline works in UTF-8 byte offsets (cheap slicing);
/// exports convert to Unicode code points with [`crate::text::CharIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// Where a document came from, so that any problem can name its file and record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub file: PathBuf,
    /// 1-based line (JSONL) or record (CSV) number; `None` for one-file-per-document input.
    pub record: Option<u64>,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.record {
            Some(n) => write!(f, "{}:{}", self.file.display(), n),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// One article.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub id: String,
    pub corpus: String,
    pub text: String,
    /// Extra columns: from the input record or joined from `--meta`.
    pub meta: BTreeMap<String, String>,
    pub origin: Origin,
    /// The input bytes were not valid UTF-8 and were decoded lossily.
    pub lossy_utf8: bool,
}
