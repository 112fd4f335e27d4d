//! CSV and TSV with a header row: one record per row, streamed.

use super::{
    decode, missing_field, problem, record_document, record_file_stem, sniff_binary, too_large,
};
use crate::doc::Origin;
use crate::ingest::read::{csv_error_text, open_counted, strip_bom, DynBufRead, ReadBytes};
use crate::ingest::{IngestOptions, Item, Problem};
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

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
    pub fn open(
        path: &Path,
        tab: bool,
        opts: &IngestOptions,
        read: &ReadBytes,
    ) -> Result<CsvSource, Problem> {
        let reader = open_counted(path, read)
            .map_err(|e| problem(path, None, format!("cannot read: {e}")))?;
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
        record_document(id, corpus, text, meta, origin, lossy_utf8)
    }
}
