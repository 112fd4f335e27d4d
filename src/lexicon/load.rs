//! The one line format of every lexicon file, and its one error.
//!
//! `#` starts a comment line; blank lines are skipped; every other line is an entry, `key`
//! or `key<TAB>value`, both trimmed. A file with sections (abbreviations.txt) puts its
//! entries under `[section]` header lines. What key and value mean is each list's own
//! business ([`super::Lexicon`], [`super::SplitterWords`], [`super::TaggerCues`]).

use std::path::PathBuf;

/// Why a lexicon file cannot be used, naming the file (and the line) to fix.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("{file}:{line}: {message}")]
    Line {
        file: String,
        /// 1-based.
        line: usize,
        message: String,
    },
    #[error("{}: not a lexicon file name; the names are {known}", path.display())]
    UnknownFile { path: PathBuf, known: String },
    #[error("{}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One entry line of a lexicon file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The file as errors name it.
    pub file: &'a str,
    /// 1-based line number.
    pub line: usize,
    /// Index of the entry's section in the file's section names (0 in a file without).
    pub section: usize,
    pub key: &'a str,
    /// After the first tab ("" without one); it may hold further tabs ("count<TAB>2").
    pub value: &'a str,
}

impl Entry<'_> {
    /// An error at this entry's line.
    pub fn error(&self, message: impl Into<String>) -> LexiconError {
        LexiconError::Line {
            file: self.file.to_string(),
            line: self.line,
            message: message.into(),
        }
    }
}

/// The entries of lexicon file `file` (its name in errors) with text `text`. `sections`
/// names the sections the file must put every entry under; empty for a file without.
pub fn entries<'a>(
    file: &'a str,
    text: &'a str,
    sections: &[&str],
) -> Result<Vec<Entry<'a>>, LexiconError> {
    let mut out = Vec::new();
    let mut section = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let at = |message: String| LexiconError::Line {
            file: file.to_string(),
            line: i + 1,
            message,
        };
        let listed = || format!("[{}]", sections.join("], ["));
        if !sections.is_empty() {
            if let Some(name) = content.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(sections.iter().position(|s| *s == name).ok_or_else(|| {
                    at(format!("unknown section [{name}]; use one of {}", listed()))
                })?);
                continue;
            }
        }
        let section = match section {
            Some(s) => s,
            None if sections.is_empty() => 0,
            None => {
                return Err(at(format!(
                    "`{content}` is outside a section; put it under one of {}",
                    listed()
                )))
            }
        };
        // Split before trimming: a line that starts with a tab has an empty key.
        let (key, value) = match line.split_once('\t') {
            Some((k, v)) => (k.trim(), v.trim()),
            None => (content, ""),
        };
        out.push(Entry {
            file,
            line: i + 1,
            section,
            key,
            value,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(e: LexiconError) -> (String, usize, String) {
        match e {
            LexiconError::Line {
                file,
                line,
                message,
            } => (file, line, message),
            other => panic!("not a line error: {other}"),
        }
    }

    #[test]
    fn entries_skip_comments_and_split_at_the_first_tab() {
        let text = "# c\n\n  \naccording to\tprep\nsaid\n\tz\nthree\tcount\t3  \n";
        let got = entries("t.txt", text, &[]).unwrap();
        let kv: Vec<_> = got.iter().map(|e| (e.line, e.key, e.value)).collect();
        assert_eq!(
            kv,
            [
                (4, "according to", "prep"),
                (5, "said", ""),
                (6, "", "z"),
                (7, "three", "count\t3")
            ]
        );
        // Without sections a bracketed line is an entry like any other.
        assert_eq!(entries("t.txt", "[x]\n", &[]).unwrap()[0].key, "[x]");
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let sections = ["a", "b"];
        let got = entries("s.txt", "[b]\nx.\n[a]\ny.\n", &sections).unwrap();
        assert_eq!(got.iter().map(|e| e.section).collect::<Vec<_>>(), [1, 0]);
        let (file, line, message) = line_of(entries("s.txt", "# c\nx.\n", &sections).unwrap_err());
        assert_eq!((file.as_str(), line), ("s.txt", 2));
        assert!(message.contains("outside a section") && message.contains("[a], [b]"));
        let e = entries("s.txt", "[a]\nx.\n[bogus]\n", &sections).unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.txt:3: unknown section [bogus]; use one of [a], [b]"
        );
        let first = entries("s.txt", "[a]\nx.\n", &sections).unwrap()[0];
        assert_eq!(first.error("no").to_string(), "s.txt:2: no");
    }
}
