//! CSV and TSV with a header row: one record per row, streamed.

use super::csvrecord::{Read, RecordReader};
use super::{
    decode, missing_field, problem, record_document, record_file_stem, sniff_binary, too_large,
};
use crate::doc::Origin;
use crate::ingest::read::{open_counted, strip_bom, DynBufRead, ReadBytes};
use crate::ingest::{IngestOptions, Item, Problem};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// CSV/TSV with a header row, streamed record by record.
pub(crate) struct CsvSource {
    file: PathBuf,
    rdr: Option<RecordReader<DynBufRead>>,
    quoting: bool,
    headers: Vec<String>,
    id_col: usize,
    text_col: usize,
    corpus_col: Option<usize>,
    default_corpus: String,
    record: u64,
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
        let mut rdr = RecordReader::new(reader, tab, opts.max_doc_bytes);
        let header_problem =
            |m: String| problem(path, Some(0), format!("cannot read the header row: {m}"));
        let headers: Vec<String> = match rdr.read() {
            Ok(Read::Record) => rdr
                .record()
                .iter()
                .map(|h| strip_bom(&String::from_utf8_lossy(h)).trim().to_string())
                .collect(),
            Ok(Read::End) => Vec::new(),
            Ok(Read::TooLarge { size }) => {
                return Err(header_problem(too_large("it", size, opts.max_doc_bytes)))
            }
            Err(e) => return Err(header_problem(format!("read error: {e}"))),
        };
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
        self.rdr.as_ref().map_or(0, RecordReader::quotes)
    }

    fn read_one(&mut self, opts: &IngestOptions) -> Option<Item> {
        let rdr = self.rdr.as_mut()?;
        self.record += 1;
        let origin = Origin {
            file: self.file.clone(),
            record: Some(self.record),
        };
        let read = rdr.read();
        let (line, byte) = (rdr.record().line, rdr.record().byte);
        let at = format!("record {} (line {line}, byte {byte})", self.record);
        let message = match read {
            Ok(Read::End) => return None,
            Ok(Read::Record) if rdr.record().len() == self.headers.len() => {
                return Some(self.row_to_doc(origin, line, opts));
            }
            Ok(Read::Record) => format!(
                "{at} has {} fields but the header has {}, record skipped",
                rdr.record().len(),
                self.headers.len()
            ),
            Ok(Read::TooLarge { size }) => too_large(
                &format!("record {} (line {line})", self.record),
                size,
                self.max_bytes,
            ),
            Err(e) => {
                // After an I/O error the reader cannot resync: drop the rest of the file.
                self.rdr = None;
                format!("{at} read error: {e}, rest of file skipped")
            }
        };
        Some(Err(Problem { origin, message }))
    }

    fn row_to_doc(&self, origin: Origin, line: u64, opts: &IngestOptions) -> Item {
        let mut lossy_utf8 = false;
        let mut field = |i: usize| -> String {
            let rec = self.rdr.as_ref().map(RecordReader::record);
            let bytes = rec.and_then(|r| r.get(i)).unwrap_or(&[]);
            let (s, lossy) = decode(bytes.to_vec());
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
