//! CSV records parsed with csv_core into a buffer that never grows past a limit: a record
//! beyond it is parsed through to its end (so the next record is found) without being kept.
//! The csv crate's reader grows its record without bound, so a 2 GiB field, or an endless
//! quoted field from a pipe, would take that much memory before any size check could run.

use csv_core::ReadRecordResult;
use std::io::{self, BufRead};

/// What one read gave.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Read {
    /// A record is in [`RecordReader::record`].
    Record,
    /// A record of `size` field bytes, over the limit: parsed through, not kept.
    TooLarge { size: u64 },
    /// End of input.
    End,
}

/// A record's fields as csv_core writes them: the fields' bytes back to back, and where each
/// field ends.
#[derive(Debug, Default)]
pub(crate) struct Record {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    used: usize,
    fields: usize,
    /// 1-based line and 0-based byte offset where the record starts.
    pub line: u64,
    pub byte: u64,
}

impl Record {
    pub fn len(&self) -> usize {
        self.fields
    }

    /// The bytes of field `i` (`None` past the last field).
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        if i >= self.fields {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.bytes[start..self.ends[i]])
    }

    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.fields).filter_map(|i| self.get(i))
    }
}

/// Output space of a record past the limit: overwritten again and again.
const DISCARD: usize = 64 * 1024;

pub(crate) struct RecordReader<R> {
    input: R,
    /// Boxed: its DFA tables are most of a source's size.
    core: Box<csv_core::Reader>,
    limit: u64,
    record: Record,
    /// Bytes consumed so far, for the byte offset of each record.
    consumed: u64,
    /// `"` bytes consumed: an odd count at the end means a quote was never closed (csv_core,
    /// like the csv crate, then reads the rest of the input into that field without a word).
    quotes: u64,
}

impl<R: BufRead> RecordReader<R> {
    /// `tab`: TSV, tab-delimited and without quoting. `limit`: the most field bytes kept.
    pub fn new(input: R, tab: bool, limit: u64) -> RecordReader<R> {
        let mut b = csv_core::ReaderBuilder::new();
        if tab {
            b.delimiter(b'\t').quoting(false);
        }
        RecordReader {
            input,
            core: Box::new(b.build()),
            limit,
            record: Record::default(),
            consumed: 0,
            quotes: 0,
        }
    }

    pub fn record(&self) -> &Record {
        &self.record
    }

    pub fn quotes(&self) -> u64 {
        self.quotes
    }

    /// Reads the next record. An I/O error leaves the reader at an unknown point: the caller
    /// should stop reading.
    pub fn read(&mut self) -> io::Result<Read> {
        let rec = &mut self.record;
        rec.used = 0;
        rec.fields = 0;
        rec.line = self.core.line();
        rec.byte = self.consumed;
        let mut size: u64 = 0;
        let mut over = false;
        let mut discard: Vec<u8> = Vec::new();
        let mut discard_ends: Vec<usize> = Vec::new();
        loop {
            let input = self.input.fill_buf()?;
            let (res, nin, nout, nend) = if over {
                // Past the limit: keep parsing, into space that is overwritten each time.
                self.core
                    .read_record(input, &mut discard, &mut discard_ends)
            } else {
                self.core.read_record(
                    input,
                    &mut rec.bytes[rec.used..],
                    &mut rec.ends[rec.fields..],
                )
            };
            self.quotes += memchr::memchr_iter(b'"', &input[..nin]).count() as u64;
            self.input.consume(nin);
            self.consumed += nin as u64;
            size += nout as u64;
            if !over {
                rec.used += nout;
                rec.fields += nend;
            }
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull if !over => {
                    if size > self.limit {
                        over = true;
                        // Give the memory back now: this record will not be kept.
                        rec.bytes = Vec::new();
                        rec.ends = Vec::new();
                        discard = vec![0; DISCARD];
                        discard_ends = vec![0; DISCARD / 8];
                    } else {
                        let want = (rec.bytes.len() * 2).max(4096);
                        let cap =
                            usize::try_from(self.limit.saturating_add(1)).unwrap_or(usize::MAX);
                        rec.bytes.resize(want.min(cap).max(rec.used + 1), 0);
                    }
                }
                ReadRecordResult::OutputEndsFull if !over => {
                    let want = (rec.ends.len() * 2).max(16);
                    rec.ends.resize(want, 0);
                }
                // Past the limit, a full discard space is simply reused.
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
                ReadRecordResult::Record if over => return Ok(Read::TooLarge { size }),
                ReadRecordResult::Record => return Ok(Read::Record),
                ReadRecordResult::End => return Ok(Read::End),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &[u8], tab: bool, limit: u64) -> Vec<Result<Vec<String>, u64>> {
        let mut r = RecordReader::new(io::BufReader::with_capacity(7, text), tab, limit);
        let mut out = Vec::new();
        loop {
            match r.read().unwrap() {
                Read::Record => out.push(Ok(r
                    .record()
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect())),
                Read::TooLarge { size } => out.push(Err(size)),
                Read::End => return out,
            }
        }
    }

    fn row(fields: &[&str]) -> Result<Vec<String>, u64> {
        Ok(fields.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn reads_what_the_csv_crate_reads() {
        let text = b"id,text\n1,\"a, \"\"quoted\"\"\nline\"\n\n2,plain\r\n3,\n";
        let mut theirs = Vec::new();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&text[..]);
        for r in rdr.byte_records() {
            let r = r.unwrap();
            theirs.push(Ok(r
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect::<Vec<_>>()));
        }
        assert_eq!(records(text, false, 1 << 20), theirs);
    }

    #[test]
    fn a_record_past_the_limit_is_skipped_and_the_next_one_read() {
        let big = "x".repeat(100_000);
        let text = format!("id,text\n1,\"{big}\"\n2,ok\n");
        let got = records(text.as_bytes(), false, 1000);
        assert_eq!(got[0], row(&["id", "text"]));
        assert_eq!(got[1], Err(100_001));
        assert_eq!(got[2], row(&["2", "ok"]));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn the_limit_is_on_field_bytes_inclusive() {
        let got = records(b"abcd,ef\nabcd,efg\n", false, 6);
        assert_eq!(got, vec![row(&["abcd", "ef"]), Err(7)]);
    }

    #[test]
    fn tsv_takes_quotes_as_text() {
        let got = records(b"a\t\"b\n", true, 100);
        assert_eq!(got, vec![row(&["a", "\"b"])]);
    }

    #[test]
    fn lines_and_bytes_name_where_each_record_starts() {
        let mut r = RecordReader::new(&b"a,b\n\"x\ny\",z\nc,d\n"[..], false, 100);
        let mut at = Vec::new();
        while r.read().unwrap() != Read::End {
            at.push((r.record().line, r.record().byte));
        }
        assert_eq!(at, vec![(1, 0), (2, 4), (4, 12)]);
    }

    #[test]
    fn an_endless_field_keeps_memory_bounded() {
        // 20 MB inside one quoted field that never closes: read through, never kept.
        struct Endless(u64);
        impl io::Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Ok(0);
                }
                let n = buf.len().min(self.0 as usize);
                buf[..n].fill(b'y');
                if self.0 == 20_000_000 {
                    buf[0] = b'"';
                }
                self.0 -= n as u64;
                Ok(n)
            }
        }
        let mut r = RecordReader::new(io::BufReader::new(Endless(20_000_000)), false, 1 << 16);
        assert_eq!(r.read().unwrap(), Read::TooLarge { size: 19_999_999 });
        assert!(r.record().bytes.capacity() <= (1 << 16) + 1);
        assert_eq!(r.quotes(), 1);
        assert_eq!(r.read().unwrap(), Read::End);
    }
}
