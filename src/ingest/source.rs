//! One reader per input kind. Each yields raw `Item`s (before the meta join and duplicate
//! checks, which [`super::Corpus`] applies to all kinds alike) and never holds more than one
//! document's text at a time.

use super::meta::{csv_error_text, strip_bom};
use super::{IngestOptions, Item, Problem};
use crate::doc::{Document, Origin};
use flate2::read::MultiGzDecoder;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// Bytes inspected for NUL to call a file binary (the same rule as git and grep).
const BINARY_SNIFF: usize = 8 * 1024;
const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) type DynBufRead = Box<dyn BufRead + Send>;

/// Opens a file, decompressing it on the fly when its name ends in `.gz`.
pub(crate) fn open_maybe_gz(path: &Path) -> io::Result<DynBufRead> {
    let file = File::open(path)?;
    if path.extension().is_some_and(|e| e == "gz") {
        // MultiGz: concatenated members (e.g. `cat a.gz b.gz`) are one valid stream.
        Ok(Box::new(BufReader::with_capacity(
            64 * 1024,
            MultiGzDecoder::new(BufReader::new(file)),
        )))
    } else {
        Ok(Box::new(BufReader::with_capacity(64 * 1024, file)))
    }
}

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

/// Reads one whole `.txt` article. Only the first 8 KB is read before the binary check, so a
/// large binary file costs little; a file over `max_bytes` is not read at all.
pub(crate) fn read_txt(path: &Path, id: String, corpus: String, max_bytes: u64) -> Item {
    let cannot = |e: io::Error| {
        problem(
            path,
            None,
            format!("cannot read: {e}; check the file's permissions"),
        )
    };
    // Checked before opening: opening a FIFO would block until a writer comes.
    let md = std::fs::metadata(path).map_err(cannot)?;
    if !md.is_file() {
        return Err(problem(
            path,
            None,
            "not a regular file (a FIFO, socket or device), skipped",
        ));
    }
    if md.len() > max_bytes {
        return Err(problem(
            path,
            None,
            too_large("document", md.len(), max_bytes),
        ));
    }
    let mut file = File::open(path).map_err(cannot)?;
    // Room for the whole file (its size is at most max_bytes here) and the byte that shows
    // the end: read in two or three calls instead of a series of growing probes.
    let mut bytes = Vec::with_capacity(usize::try_from(md.len()).unwrap_or(0).saturating_add(1));
    (&mut file)
        .take(BINARY_SNIFF as u64)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if let Some(at) = memchr::memchr(0, &bytes) {
        return Err(problem(
            path,
            None,
            format!("binary file (NUL byte at offset {at}), skipped; give text files only"),
        ));
    }
    // One byte over the limit is enough to know the file grew past it while being read.
    (&mut file)
        .take(
            max_bytes
                .saturating_add(1)
                .saturating_sub(bytes.len() as u64),
        )
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > max_bytes {
        return Err(problem(
            path,
            None,
            too_large("document", bytes.len() as u64, max_bytes),
        ));
    }
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    let (text, lossy_utf8) = decode(bytes);
    Ok(Document {
        id,
        corpus,
        text,
        meta: BTreeMap::new(),
        origin: Origin {
            file: path.to_path_buf(),
            record: None,
        },
        lossy_utf8,
    })
}

/// Id from a file name: the name without its last extension.
pub(crate) fn file_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A directory walked recursively in sorted path order.
pub(crate) struct DirSource {
    root: PathBuf,
    root_corpus: String,
    walk: walkdir::IntoIter,
    max_bytes: u64,
}

impl DirSource {
    pub fn new(root: &Path, opts: &IngestOptions) -> DirSource {
        let root_corpus = opts.corpus.clone().unwrap_or_else(|| folder_name(root));
        let walk = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        DirSource {
            root: root.to_path_buf(),
            root_corpus,
            walk,
            max_bytes: opts.max_doc_bytes,
        }
    }

    fn corpus_for(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        let mut comps = rel.components();
        match (comps.next(), comps.next()) {
            (Some(first), Some(_)) => first.as_os_str().to_string_lossy().into_owned(),
            _ => self.root_corpus.clone(),
        }
    }

    /// Next document or problem; files that are not `.txt` are counted in `skipped`.
    pub fn next_item(&mut self, skipped: &mut u64) -> Option<Item> {
        loop {
            let entry = match self.walk.next()? {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().unwrap_or(&self.root).to_path_buf();
                    let what = if e.loop_ancestor().is_some() {
                        "symbolic link loop, skipped".to_string()
                    } else {
                        let cause = match e.io_error() {
                            Some(io) => io.to_string(),
                            None => e.to_string(),
                        };
                        format!(
                            "cannot read: {cause}, skipped (a dangling link or missing permission?)"
                        )
                    };
                    return Some(Err(problem(&path, None, what)));
                }
            };
            let ft = entry.file_type();
            if ft.is_dir() {
                continue;
            }
            let path = entry.path();
            // Case-sensitive `.txt`: the BBC corpus ships README.TXT beside the articles.
            if path.extension().is_none_or(|e| e != "txt") {
                *skipped += 1;
                continue;
            }
            let corpus = self.corpus_for(path);
            // read_txt reports a .txt that is not a regular file (a FIFO) without opening it.
            return Some(read_txt(path, file_id(path), corpus, self.max_bytes));
        }
    }
}

/// Fields of one record (JSONL object or CSV row) turned into a document.
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
        }
    }

    pub fn open(path: &Path, opts: &IngestOptions) -> Result<JsonlSource, Problem> {
        let reader =
            open_maybe_gz(path).map_err(|e| problem(path, None, format!("cannot read: {e}")))?;
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
            }
            self.buf.clear();
            self.line += 1;
            match read_line_bounded(reader, &mut self.buf, opts.max_doc_bytes) {
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
            bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
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

/// Reads one line (with its `\n`) into `buf`, keeping at most `max + 2` bytes (room for a
/// CRLF) and discarding the rest, so a huge line costs time but not memory. Returns the
/// bytes consumed; more than `buf.len()` means the line was cut.
fn read_line_bounded(reader: &mut DynBufRead, buf: &mut Vec<u8>, max: u64) -> io::Result<u64> {
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
        let (chunk, done) = match memchr::memchr(b'\n', avail) {
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

/// Reads the first buffer of a stream and rejects it when it holds NUL bytes.
fn sniff_binary(reader: &mut DynBufRead, file: &Path) -> Result<(), Problem> {
    let buf = reader
        .fill_buf()
        .map_err(|e| problem(file, None, format!("cannot read: {e}")))?;
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

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// serde_json's message without its " at line L column C" suffix (we say where ourselves).
fn json_error_text(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&suffix).unwrap_or(&full);
    let hint = if e.is_eof() {
        " (a record must be one JSON object on one line)"
    } else {
        ""
    };
    format!(
        "invalid JSON at column {}: {msg}{hint}; record skipped, fix the line",
        e.column()
    )
}

fn missing_field(kind: &str, field: &str, flag: &str, present: &[&str]) -> String {
    let list = if present.is_empty() {
        "none".to_string()
    } else {
        present.join(", ")
    };
    format!("{kind} has no {field:?} field (fields present: {list}); choose another with {flag}")
}

/// A field of a JSONL record: a string, borrowed from the line when it has no escapes, or
/// any other JSON value (built as [`serde_json::Value`] builds it).
enum JsonField<'a> {
    Str(Cow<'a, str>),
    Other(serde_json::Value),
}

impl JsonField<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            JsonField::Str(_) => "a string",
            JsonField::Other(v) => json_type(v),
        }
    }
}

impl<'de> Deserialize<'de> for JsonField<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonFieldVisitor)
    }
}

/// Accepts any JSON value, as [`serde_json::Value`] does, so that a record is read with the
/// same checks (and errors) as by `serde_json::from_str::<Value>`, without a `Value` for its
/// strings.
struct JsonFieldVisitor;

impl<'de> Visitor<'de> for JsonFieldVisitor {
    type Value = JsonField<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(JsonField::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(JsonField::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(JsonField::Str(Cow::Owned(v)))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Value::Number(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Value::Number(v.into())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Number::from_f64(v).map_or(
            serde_json::Value::Null,
            serde_json::Value::Number,
        )))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(JsonField::Other(serde_json::Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element::<serde_json::Value>()? {
            v.push(x);
        }
        Ok(JsonField::Other(serde_json::Value::Array(v)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = serde_json::Map::new();
        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
            m.insert(k, v);
        }
        Ok(JsonField::Other(serde_json::Value::Object(m)))
    }
}

/// A record key, borrowed from the line when it has no escapes.
struct JsonKey<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for JsonKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = JsonKey<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(JsonKey(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(JsonKey(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(JsonKey(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A JSON object's fields by key (a later duplicate replaces the value, as in
/// [`serde_json::Map`], whose order of keys this is too).
struct JsonRecord<'a>(BTreeMap<Cow<'a, str>, JsonField<'a>>);

impl<'de> Deserialize<'de> for JsonRecord<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RecordVisitor;
        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = JsonRecord<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut m = BTreeMap::new();
                while let Some(JsonKey(k)) = map.next_key()? {
                    let v: JsonField = map.next_value()?;
                    m.insert(k, v);
                }
                Ok(JsonRecord(m))
            }
        }
        d.deserialize_map(RecordVisitor)
    }
}

/// The fields of [`super::jsonscan::scan_record`] as serde_json reads them into a
/// [`JsonRecord`]: a later repeated key replaces the value.
fn fields_to_record<'a>(
    fields: Vec<(Cow<'a, str>, super::jsonscan::Scalar<'a>)>,
) -> BTreeMap<Cow<'a, str>, JsonField<'a>> {
    use super::jsonscan::Scalar;
    let mut m = BTreeMap::new();
    for (k, v) in fields {
        let v = match v {
            Scalar::Str(s) => JsonField::Str(s),
            Scalar::UInt(n) => JsonField::Other(serde_json::Value::Number(n.into())),
            Scalar::Bool(b) => JsonField::Other(serde_json::Value::Bool(b)),
            Scalar::Null => JsonField::Other(serde_json::Value::Null),
        };
        m.insert(k, v);
    }
    m
}

impl RecordFields<'_> {
    /// A line read with serde_json: its fields, or the message saying why it is no record.
    /// A line that does not open an object is not a record: what it is (or why it is not
    /// JSON) in the words of the full parse. Objects are read field by field, their
    /// strings borrowed from the line.
    fn parse_json_serde(line: &str) -> Result<BTreeMap<Cow<'_, str>, JsonField<'_>>, String> {
        if !line
            .trim_start_matches([' ', '\t', '\n', '\r'])
            .starts_with('{')
        {
            return match serde_json::from_str::<serde_json::Value>(line) {
                Ok(value) => Err(format!(
                    "expected a JSON object per line, found {}",
                    json_type(&value)
                )),
                Err(e) => Err(json_error_text(&e)),
            };
        }
        match serde_json::from_str::<JsonRecord>(line) {
            Ok(r) => Ok(r.0),
            Err(e) => Err(json_error_text(&e)),
        }
    }

    fn parse_json(&self, line: &str, origin: Origin, lossy_utf8: bool) -> Item {
        let fail = |message: String| {
            Err(Problem {
                origin: origin.clone(),
                message,
            })
        };
        // The common record (a flat object of strings and simple scalars) is scanned
        // directly; any other line is read with serde_json, which gives the same values and
        // names what is wrong.
        let mut obj = match super::jsonscan::scan_record(line) {
            Some(fields) => fields_to_record(fields),
            None => match Self::parse_json_serde(line) {
                Ok(obj) => obj,
                Err(message) => return fail(message),
            },
        };
        let opts = self.opts;
        let present = || obj.keys().map(|k| k.as_ref()).collect::<Vec<&str>>();
        let Some(text_v) = obj.get(opts.text_field.as_str()) else {
            return fail(missing_field(
                "record",
                &opts.text_field,
                "--text-field",
                &present(),
            ));
        };
        let Some(id_v) = obj.get(opts.id_field.as_str()) else {
            return fail(missing_field(
                "record",
                &opts.id_field,
                "--id-field",
                &present(),
            ));
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
        Ok(Document {
            id,
            corpus,
            text,
            meta,
            origin,
            lossy_utf8,
        })
    }
}

/// Counts `"` bytes passing through, to detect an unterminated quote at end of file: the csv
/// crate silently reads such a field to EOF, and an odd total means one was never closed.
struct QuoteCounter<R> {
    inner: R,
    quotes: u64,
}

impl<R: Read> Read for QuoteCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.quotes += memchr::memchr_iter(b'"', &buf[..n]).count() as u64;
        Ok(n)
    }
}

/// CSV/TSV with a header row, streamed record by record.
pub(crate) struct CsvSource {
    file: PathBuf,
    rdr: Option<csv::Reader<QuoteCounter<DynBufRead>>>,
    quoting: bool,
    headers: Vec<String>,
    id_col: usize,
    text_col: usize,
    corpus_col: Option<usize>,
    default_corpus: String,
    record: u64,
    rec: csv::ByteRecord,
    /// One record of look-ahead: the last record is only known good once EOF shows the
    /// quotes balanced.
    pending: Option<Item>,
    max_bytes: u64,
}

impl CsvSource {
    pub fn open(path: &Path, tab: bool, opts: &IngestOptions) -> Result<CsvSource, Problem> {
        let reader =
            open_maybe_gz(path).map_err(|e| problem(path, None, format!("cannot read: {e}")))?;
        CsvSource::from_reader(path, reader, tab, opts)
    }

    /// Reads CSV (or TSV) from any reader; `path` names it in origins.
    pub fn from_reader(
        path: &Path,
        mut reader: DynBufRead,
        tab: bool,
        opts: &IngestOptions,
    ) -> Result<CsvSource, Problem> {
        sniff_binary(&mut reader, path)?;
        let mut builder = csv::ReaderBuilder::new();
        builder.has_headers(true).flexible(false);
        if tab {
            builder.delimiter(b'\t').quoting(false);
        }
        let mut rdr = builder.from_reader(QuoteCounter {
            inner: reader,
            quotes: 0,
        });
        let headers: Vec<String> = rdr
            .byte_headers()
            .map_err(|e| {
                problem(
                    path,
                    Some(0),
                    format!("cannot read the header row: {}", csv_error_text(&e)),
                )
            })?
            .iter()
            .map(|h| strip_bom(&String::from_utf8_lossy(h)).trim().to_string())
            .collect();
        let present: Vec<&str> = headers.iter().map(String::as_str).collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let Some(text_col) = col(&opts.text_field) else {
            let m = missing_field("header row", &opts.text_field, "--text-field", &present);
            return Err(problem(path, None, format!("{m}; file skipped")));
        };
        let Some(id_col) = col(&opts.id_field) else {
            let m = missing_field("header row", &opts.id_field, "--id-field", &present);
            return Err(problem(path, None, format!("{m}; file skipped")));
        };
        let corpus_col = col(&opts.corpus_field);
        let default_corpus = opts
            .corpus
            .clone()
            .unwrap_or_else(|| record_file_stem(path));
        Ok(CsvSource {
            file: path.to_path_buf(),
            rdr: Some(rdr),
            quoting: !tab,
            headers,
            id_col,
            text_col,
            corpus_col,
            default_corpus,
            record: 0,
            rec: csv::ByteRecord::new(),
            pending: None,
            max_bytes: opts.max_doc_bytes,
        })
    }

    pub fn next_item(&mut self, opts: &IngestOptions) -> Option<Item> {
        loop {
            match self.read_one(opts) {
                Some(item) => {
                    if let Some(prev) = self.pending.replace(item) {
                        return Some(prev);
                    }
                }
                None => {
                    let last = self.pending.take()?;
                    return Some(self.check_unterminated(last));
                }
            }
        }
    }

    fn check_unterminated(&mut self, last: Item) -> Item {
        let odd = self.quoting && self.quotes() % 2 == 1;
        self.rdr = None;
        if !odd {
            return last;
        }
        match last {
            Ok(doc) => Err(Problem {
                message:
                    "unterminated quoted field: a \" opened in this record is never closed, so \
                     the rest of the file was read into it; record skipped, fix the quoting"
                        .to_string(),
                origin: doc.origin,
            }),
            Err(mut p) => {
                p.message.push_str(
                    " (a \" opened in this record is never closed: the rest of the file was read into it)",
                );
                Err(p)
            }
        }
    }

    fn quotes(&self) -> u64 {
        self.rdr.as_ref().map_or(0, |r| r.get_ref().quotes)
    }

    fn read_one(&mut self, opts: &IngestOptions) -> Option<Item> {
        let rdr = self.rdr.as_mut()?;
        self.record += 1;
        let record = Some(self.record);
        match rdr.read_byte_record(&mut self.rec) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.rec.position().map_or(0, |p| p.line());
                let origin = Origin {
                    file: self.file.clone(),
                    record,
                };
                let size = self.rec.as_slice().len() as u64;
                if size > self.max_bytes {
                    return Some(Err(Problem {
                        origin,
                        message: too_large(
                            &format!("record {} (line {line})", self.record),
                            size,
                            self.max_bytes,
                        ),
                    }));
                }
                Some(self.row_to_doc(origin, line, opts))
            }
            Err(e) => {
                let at_line = match e.position() {
                    Some(p) => format!(" (line {}, byte {})", p.line(), p.byte()),
                    None => String::new(),
                };
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                if fatal {
                    // After an I/O error the reader cannot resync: drop the rest of the file.
                    self.rdr = None;
                }
                let rest = if fatal {
                    ", rest of file skipped"
                } else {
                    ", record skipped"
                };
                Some(Err(problem(
                    &self.file,
                    record,
                    format!(
                        "record {}{at_line} {}{rest}",
                        self.record,
                        csv_error_text(&e)
                    ),
                )))
            }
        }
    }

    fn row_to_doc(&self, origin: Origin, line: u64, opts: &IngestOptions) -> Item {
        let mut lossy_utf8 = false;
        let mut field = |i: usize| -> String {
            let (s, lossy) = decode(self.rec.get(i).unwrap_or(&[]).to_vec());
            lossy_utf8 |= lossy;
            s
        };
        let id = field(self.id_col);
        if id.is_empty() {
            return Err(Problem {
                origin,
                message: format!(
                    "record {} (line {line}): field {:?} is empty",
                    self.record, opts.id_field
                ),
            });
        }
        let text = field(self.text_col);
        let corpus = match self.corpus_col.map(&mut field) {
            Some(c) if !c.is_empty() => c,
            _ => self.default_corpus.clone(),
        };
        let mut meta = BTreeMap::new();
        for (i, name) in self.headers.iter().enumerate() {
            if i == self.id_col || i == self.text_col || Some(i) == self.corpus_col {
                continue;
            }
            meta.insert(name.clone(), field(i));
        }
        Ok(Document {
            id,
            corpus,
            text,
            meta,
            origin,
            lossy_utf8,
        })
    }
}
