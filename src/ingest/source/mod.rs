//! One reader per input kind. Each yields raw `Item`s (before the meta join and duplicate
//! checks, which [`super::Corpus`] applies to all kinds alike) and never holds more than one
//! document's text at a time. This module decides the kind of an input and holds what the
//! readers share: origins, problems and their messages.

mod csvrecord;
mod delimited;
mod jsonl;
mod txt;

pub(crate) use delimited::CsvSource;
pub(crate) use jsonl::JsonlSource;
pub(crate) use txt::{read_txt, DirSource};

use super::read::DynBufRead;
use super::{Item, Problem};
use crate::doc::{Document, Origin};
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

/// Bytes inspected for NUL to call a file binary (the same rule as git and grep).
const BINARY_SNIFF: usize = 8 * 1024;

/// What an input path is, decided from its name (and for directories, the filesystem).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Dir,
    Txt,
    Jsonl,
    Csv { tab: bool },
    Stdin,
}

pub(crate) fn kind_of(path: &Path) -> Option<Kind> {
    if path.as_os_str() == "-" {
        return Some(Kind::Stdin);
    }
    if path.is_dir() {
        return Some(Kind::Dir);
    }
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".txt") {
        // Compressed single .txt is not a supported kind: say so rather than guess.
        if path.extension().is_some_and(|e| e == "gz") {
            return None;
        }
        Some(Kind::Txt)
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        Some(Kind::Jsonl)
    } else if name.ends_with(".csv") {
        Some(Kind::Csv { tab: false })
    } else if name.ends_with(".tsv") {
        Some(Kind::Csv { tab: true })
    } else {
        None
    }
}

/// The size in bytes of an input as its reader counts it (files as stored, `.gz`
/// compressed; a folder's `.txt` files, as [`DirSource`] walks them); `None` when it has no
/// size known in advance: standard input, a FIFO or device.
pub(crate) fn input_size(path: &Path, kind: Kind) -> Option<u64> {
    let file_size = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    };
    match kind {
        Kind::Stdin => None,
        Kind::Dir => Some(
            walkdir::WalkDir::new(path)
                .follow_links(true)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| {
                    !e.file_type().is_dir() && e.path().extension().is_some_and(|x| x == "txt")
                })
                .filter_map(|e| file_size(e.path()))
                .sum(),
        ),
        Kind::Txt | Kind::Jsonl | Kind::Csv { .. } => file_size(path),
    }
}

/// File name without `.gz` and the format extension: the default corpus name of a record file.
fn record_file_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    match name.rfind('.') {
        Some(i) if i > 0 => name[..i].to_string(),
        _ => name.to_string(),
    }
}

/// The last path component, resolving `.`/`..` through the filesystem when needed.
pub(crate) fn folder_name(path: &Path) -> String {
    if let Some(n) = path.file_name() {
        return n.to_string_lossy().into_owned();
    }
    std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "corpus".to_string())
}

fn problem(file: &Path, record: Option<u64>, message: impl Into<String>) -> Problem {
    Problem {
        origin: Origin {
            file: file.to_path_buf(),
            record,
        },
        message: message.into(),
    }
}

/// The document of one record (a JSONL line, a CSV row): its fields, and the record's other
/// fields as `meta`.
fn record_document(
    id: String,
    corpus: String,
    text: String,
    meta: BTreeMap<String, String>,
    origin: Origin,
    lossy_utf8: bool,
) -> Item {
    Ok(Document {
        id,
        corpus,
        text,
        meta,
        origin,
        lossy_utf8,
    })
}

/// Decodes bytes as UTF-8, lossily when invalid; the flag says which.
fn decode(bytes: Vec<u8>) -> (String, bool) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, false),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
    }
}

/// The message for a document over `--max-doc-bytes`.
pub(crate) fn too_large(what: &str, bytes: u64, max: u64) -> String {
    format!(
        "{what} is {bytes} bytes, over the limit of {max} (--max-doc-bytes); skipped \
         (raise --max-doc-bytes to read it)"
    )
}

/// Id from a file name: the name without its last extension.
pub(crate) fn file_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The byte order of a UTF-16 byte-order mark at the start of `head`: `Some(true)` for
/// little-endian (FF FE), `Some(false)` for big-endian (FE FF).
fn utf16_bom(head: &[u8]) -> Option<bool> {
    match head {
        [0xFF, 0xFE, ..] => Some(true),
        [0xFE, 0xFF, ..] => Some(false),
        _ => None,
    }
}

/// Decodes UTF-16 (after its byte-order mark), lossily: U+FFFD for a lone surrogate or an
/// odd last byte; the flag says whether there was any.
fn decode_utf16(bytes: &[u8], little_endian: bool) -> (String, bool) {
    let units = bytes.chunks_exact(2).map(|p| {
        if little_endian {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut lossy = bytes.len() % 2 == 1;
    let mut text = String::with_capacity(bytes.len());
    for c in char::decode_utf16(units) {
        text.push(c.unwrap_or_else(|_| {
            lossy = true;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if bytes.len() % 2 == 1 {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    (text, lossy)
}

/// Reads the first buffer of a stream and rejects it when it holds NUL bytes, or is UTF-16
/// (records are read as UTF-8, line by line).
fn sniff_binary(reader: &mut DynBufRead, file: &Path) -> Result<(), Problem> {
    let buf = reader
        .fill_buf()
        .map_err(|e| problem(file, None, format!("cannot read: {e}")))?;
    if let Some(le) = utf16_bom(buf) {
        return Err(problem(
            file,
            None,
            format!(
                "UTF-16 file (byte-order mark {}), skipped; JSONL and CSV are read as UTF-8: \
                 convert it first (iconv -f UTF-16 -t UTF-8)",
                if le { "FF FE" } else { "FE FF" }
            ),
        ));
    }
    let head = &buf[..buf.len().min(BINARY_SNIFF)];
    if let Some(at) = memchr::memchr(0, head) {
        return Err(problem(
            file,
            None,
            format!("binary file (NUL byte at offset {at}), skipped; give text files only"),
        ));
    }
    Ok(())
}

fn missing_field(kind: &str, field: &str, flag: &str, present: &[&str]) -> String {
    let list = if present.is_empty() {
        "none".to_string()
    } else {
        present.join(", ")
    };
    format!("{kind} has no {field:?} field (fields present: {list}); choose another with {flag}")
}
