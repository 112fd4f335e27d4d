//! JSON Lines: one record per line, streamed; each line read by [`crate::ingest::jsonrecord`].

use super::{missing_field, problem, record_document, record_file_stem, sniff_binary, too_large};
use crate::doc::Origin;
use crate::ingest::jsonrecord::{read_record, replace_lone_surrogates, JsonField};
use crate::ingest::read::{open_counted, DynBufRead, ReadBytes, BOM};
use crate::ingest::{IngestOptions, Item, Problem};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// What turns the fields of one JSONL record into a document.
struct RecordFields<'a> {
    opts: &'a IngestOptions,
    default_corpus: &'a str,
}

/// JSON Lines: one object per line, streamed.
pub(crate) struct JsonlSource {
    file: PathBuf,
    reader: Option<DynBufRead>,
    line: u64,
    buf: Vec<u8>,
    default_corpus: String,
    first: bool,
    /// The byte that ends a line: LF (with an optional CR before it), or CR for a file whose
    /// lines end with CR alone (classic Mac OS): its first buffer holds a CR and no LF.
    line_end: u8,
}

impl JsonlSource {
    pub fn new(file: PathBuf, reader: DynBufRead, default_corpus: String) -> JsonlSource {
        JsonlSource {
            file,
            reader: Some(reader),
            line: 0,
            buf: Vec::new(),
            default_corpus,
            first: true,
            line_end: b'\n',
        }
    }

    pub fn open(
        path: &Path,
        opts: &IngestOptions,
        read: &ReadBytes,
    ) -> Result<JsonlSource, Problem> {
        let reader = open_counted(path, read)
            .map_err(|e| problem(path, None, format!("cannot read: {e}")))?;
        let corpus = opts
            .corpus
            .clone()
            .unwrap_or_else(|| record_file_stem(path));
        Ok(JsonlSource::new(path.to_path_buf(), reader, corpus))
    }

    pub fn next_item(&mut self, opts: &IngestOptions) -> Option<Item> {
        loop {
            let reader = self.reader.as_mut()?;
            if self.first {
                self.first = false;
                if let Err(p) = sniff_binary(reader, &self.file) {
                    self.reader = None;
                    return Some(Err(p));
                }
                if let Ok(head) = reader.fill_buf() {
                    if memchr::memchr(b'\n', head).is_none()
                        && memchr::memchr(b'\r', head).is_some()
                    {
                        self.line_end = b'\r';
                    }
                }
            }
            self.buf.clear();
            self.line += 1;
            match read_line_bounded(reader, &mut self.buf, opts.max_doc_bytes, self.line_end) {
                Ok(0) => {
                    self.reader = None;
                    return None;
                }
                Ok(n) if n > self.buf.len() as u64 => {
                    let p = problem(
                        &self.file,
                        Some(self.line),
                        too_large("record", n, opts.max_doc_bytes),
                    );
                    return Some(Err(p));
                }
                Ok(_) => {}
                Err(e) => {
                    // A read error (corrupt gzip, I/O) leaves the stream unusable: stop this file.
                    self.reader = None;
                    let p = problem(
                        &self.file,
                        Some(self.line),
                        format!("read error, rest of file skipped: {e}"),
                    );
                    return Some(Err(p));
                }
            }
            let mut bytes: &[u8] = &self.buf;
            if self.line == 1 {
                bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
            }
            // The terminator is not part of the record; without it a cut record reads as EOF.
            bytes = bytes.strip_suffix(&[self.line_end]).unwrap_or(bytes);
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue; // blank lines (often a trailing one) are not records
            }
            let (line_text, lossy) = match std::str::from_utf8(bytes) {
                Ok(s) => (std::borrow::Cow::Borrowed(s), false),
                Err(_) => (String::from_utf8_lossy(bytes), true),
            };
            let origin = Origin {
                file: self.file.clone(),
                record: Some(self.line),
            };
            let fields = RecordFields {
                opts,
                default_corpus: &self.default_corpus,
            };
            return Some(fields.parse_json(&line_text, origin, lossy));
        }
    }
}

/// Reads one line (with its `line_end`) into `buf`, keeping at most `max + 2` bytes (room
/// for a CRLF) and discarding the rest, so a huge line costs time but not memory. Returns the
/// bytes consumed; more than `buf.len()` means the line was cut.
fn read_line_bounded(
    reader: &mut DynBufRead,
    buf: &mut Vec<u8>,
    max: u64,
    line_end: u8,
) -> io::Result<u64> {
    let keep = usize::try_from(max.saturating_add(2)).unwrap_or(usize::MAX);
    let mut total: u64 = 0;
    loop {
        let avail = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(total);
        }
        let (chunk, done) = match memchr::memchr(line_end, avail) {
            Some(i) => (&avail[..=i], true),
            None => (avail, false),
        };
        let room = keep.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let n = chunk.len();
        total += n as u64;
        reader.consume(n);
        if done {
            return Ok(total);
        }
    }
}

impl RecordFields<'_> {
    fn parse_json(&self, line: &str, origin: Origin, lossy_utf8: bool) -> Item {
        let fail = |message: String| {
            Err(Problem {
                origin: origin.clone(),
                message,
            })
        };
        // A line refused for escaped lone surrogates is read again with U+FFFD in their
        // place, and counted as decoded lossily, as invalid UTF-8 is.
        let repaired: String;
        let mut lossy_utf8 = lossy_utf8;
        let mut obj = match read_record(line) {
            Ok(obj) => obj,
            Err(message) => match replace_lone_surrogates(line) {
                Some(r) => {
                    repaired = r;
                    lossy_utf8 = true;
                    match read_record(&repaired) {
                        Ok(obj) => obj,
                        Err(message) => return fail(message),
                    }
                }
                None => return fail(message),
            },
        };
        let opts = self.opts;
        let missing = |field: &str, flag: &str| {
            let present: Vec<&str> = obj.keys().map(|k| k.as_ref()).collect();
            fail(missing_field("record", field, flag, &present))
        };
        let Some(text_v) = obj.get(opts.text_field.as_str()) else {
            return missing(&opts.text_field, "--text-field");
        };
        let Some(id_v) = obj.get(opts.id_field.as_str()) else {
            return missing(&opts.id_field, "--id-field");
        };
        if !matches!(text_v, JsonField::Str(_)) {
            return fail(format!(
                "field {:?} is {}, expected a string",
                opts.text_field,
                text_v.type_name()
            ));
        }
        let id = match id_v {
            JsonField::Str(s) => s.to_string(),
            JsonField::Other(serde_json::Value::Number(n)) => n.to_string(),
            other => {
                return fail(format!(
                    "field {:?} is {}, expected a string or number",
                    opts.id_field,
                    other.type_name()
                ))
            }
        };
        if id.is_empty() {
            return fail(format!("field {:?} is empty", opts.id_field));
        }
        let text = match obj.remove(opts.text_field.as_str()) {
            Some(JsonField::Str(s)) => s,
            _ => Cow::Borrowed(""), // checked above
        };
        obj.remove(opts.id_field.as_str());
        let corpus = match obj.remove(opts.corpus_field.as_str()) {
            Some(JsonField::Str(s)) if !s.is_empty() => s.into_owned(),
            _ => self.default_corpus.to_string(),
        };
        let mut meta = BTreeMap::new();
        for (k, v) in obj {
            let v = match v {
                JsonField::Str(s) => s.into_owned(),
                JsonField::Other(serde_json::Value::Number(n)) => n.to_string(),
                JsonField::Other(serde_json::Value::Bool(b)) => b.to_string(),
                // A missing value, as an empty cell says in a table.
                JsonField::Other(serde_json::Value::Null) => String::new(),
                _ => continue, // nested values have no flat column to go to
            };
            meta.insert(k.into_owned(), v);
        }
        // Same rule as for files: a leading BOM is an encoding mark, not text.
        let text = match text {
            Cow::Borrowed(s) => s.strip_prefix('\u{FEFF}').unwrap_or(s).to_owned(),
            Cow::Owned(s) => match s.strip_prefix('\u{FEFF}') {
                Some(rest) => rest.to_string(),
                None => s,
            },
        };
        record_document(id, corpus, text, meta, origin, lossy_utf8)
    }
}
