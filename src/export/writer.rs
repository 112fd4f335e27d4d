//! The CSV writer: RFC 4180 bytes written straight into one buffer, with the number
//! formatting that makes it fast. The table layouts are in [`super::tables`].

use crate::bytescan::{self, ByteSet};
use crate::doc::Span;
use std::io::{IoSlice, Write};

/// A CSV table; with `spreadsheet_safe`, text cells starting with = + - @ TAB or CR get a
/// leading `'` so that spreadsheet programs do not run them as formulas (OWASP's list for
/// CSV injection: a spreadsheet drops a leading TAB or CR and reads the formula after it).
///
/// The bytes are those of the csv crate's default writer (RFC 4180: a field is quoted when
/// it holds `,` `"` CR or LF, quotes doubled; a record of one empty field is written `""`;
/// LF ends a record), written straight into one buffer: numbers and flags are formatted
/// there without an allocation per cell, which made half the cost of a `score` run.
pub struct Table<W: Write> {
    out: W,
    buf: Vec<u8>,
    /// Joined spans are assembled here before they are written as one field.
    scratch: String,
    /// Number of fields of the first record; every record must have as many.
    fields: Option<usize>,
    spreadsheet_safe: bool,
    /// `buf` goes to `out` once it holds this many bytes (never for a [`Table::body`]).
    flush_at: usize,
    /// Row buffers taken by [`Table::append_owned`], written before `buf` (which holds only
    /// what came after them) with one vectored write, instead of being copied into `buf`.
    pending: Vec<Vec<u8>>,
    /// Bytes in `pending`.
    pending_len: usize,
}

/// A cell: text (subject to the spreadsheet guard) or a value written as is.
pub enum Cell<'a> {
    Text(&'a str),
    Value(String),
    /// A value written as is, borrowed.
    Str(&'a str),
    Int(u64),
    Bool(bool),
    /// `format!("{:.1}", v)`.
    Dec1(f64),
    /// Empty cell.
    Empty,
    /// Text spans of `text` joined with " … " (missing spans left out), guarded like text.
    Joined(&'a str, &'a [Span]),
}

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_LEADS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Bytes after which flushing the buffer to the writer.
const FLUSH_AT: usize = 1 << 16;
/// [`Table::append_owned`] writes its buffers once they hold this many bytes, or are this
/// many (well under the 1024 slices a vectored write takes on Linux).
const PENDING_BYTES: usize = 1 << 18;
const PENDING_BUFFERS: usize = 256;

/// `format!("{:.1}", v)`, the same bytes, without the exact-decimal machinery where the
/// rounding cannot be in doubt (the tenths are not within 1e-6 of a tie): writing the 8
/// one-decimal columns of every claim was the costliest part of claims.csv.
pub fn one_decimal(v: f64) -> String {
    let mut out = Vec::new();
    push_one_decimal(&mut out, v);
    String::from_utf8(out).unwrap_or_default()
}

/// The bits of 1000.0: a non-negative f64 (sign bit clear, not NaN) is below 1000 exactly
/// when its bits are below these (-0.0, negatives and NaN have larger bits or the sign bit).
const BITS_1000: u64 = 0x408F_4000_0000_0000;

#[inline]
fn push_one_decimal(out: &mut Vec<u8>, v: f64) {
    // Whole numbers from 0 to 999 first: most components are 0 or a whole weight, and most
    // scores whole.
    if v.to_bits() < BITS_1000 {
        let i = v as u32;
        if f64::from(i) == v {
            push_below_1000(out, i as usize);
            out.extend_from_slice(b".0");
            return;
        }
    }
    push_one_decimal_any(out, v);
}

fn push_one_decimal_any(out: &mut Vec<u8>, v: f64) {
    // Whole numbers first: digits and ".0".
    let i = v as i64;
    if i as f64 == v && i.unsigned_abs() < 1_000_000_000_000_000 {
        if v.is_sign_negative() {
            out.push(b'-');
        }
        push_u64(out, i.unsigned_abs());
        out.extend_from_slice(b".0");
        return;
    }
    let t = v.abs() * 10.0;
    // Truncation is the floor for 0 <= t < 1e15 (and NaN goes to the fallback below).
    let whole = t as u64;
    let frac = t - whole as f64;
    if !(t.is_finite() && t < 1e15 && (frac - 0.5).abs() > 1e-6) {
        out.extend_from_slice(format!("{v:.1}").as_bytes());
        return;
    }
    // Not near a tie: rounding half away from zero is rounding to nearest.
    let d = whole + u64::from(frac > 0.5);
    if v.is_sign_negative() {
        out.push(b'-');
    }
    push_u64(out, d / 10);
    out.extend_from_slice(&[b'.', b'0' + (d % 10) as u8]);
}

/// The two decimal digits of each number below 100.
const DIGITS2: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// Decimal digits of `x` < 1000, with no copy call.
#[inline(always)]
fn push_below_1000(out: &mut Vec<u8>, x: usize) {
    if x < 10 {
        out.push(b'0' + x as u8);
    } else if x < 100 {
        out.extend_from_slice(&[DIGITS2[2 * x], DIGITS2[2 * x + 1]]);
    } else {
        let (h, r) = (x / 100 % 10, x % 100);
        out.extend_from_slice(&[b'0' + h as u8, DIGITS2[2 * r], DIGITS2[2 * r + 1]]);
    }
}

/// Decimal digits of `x` (as `x.to_string()`), two at a time, copied with a fixed-size
/// copy (no copy call per number).
#[inline]
fn push_u64(out: &mut Vec<u8>, x: u64) {
    if x < 1000 {
        push_below_1000(out, x as usize);
        return;
    }
    // Digits end at index 20 (u64 has at most 20); the 20 bytes from the first digit are
    // copied, then the bytes past the last digit dropped.
    let mut tmp = [0u8; 40];
    let mut pos = 20;
    let mut x = x;
    while x >= 100 {
        let r = (x % 100) as usize;
        x /= 100;
        pos -= 2;
        tmp[pos] = DIGITS2[2 * r];
        tmp[pos + 1] = DIGITS2[2 * r + 1];
    }
    if x >= 10 {
        pos -= 2;
        tmp[pos] = DIGITS2[2 * x as usize];
        tmp[pos + 1] = DIGITS2[2 * x as usize + 1];
    } else {
        pos -= 1;
        tmp[pos] = b'0' + x as u8;
    }
    let len = out.len() + (20 - pos);
    let mut chunk = [0u8; 20];
    chunk.copy_from_slice(&tmp[pos..pos + 20]);
    out.extend_from_slice(&chunk);
    out.truncate(len);
}

/// The bytes that make a field need quotes.
struct QuoteTrigger;

impl ByteSet for QuoteTrigger {
    const BYTES: &'static [u8] = b",\"\r\n";
}

/// The field needs quotes (the csv crate's `QuoteStyle::Necessary`).
#[inline]
fn needs_quotes(s: &[u8]) -> bool {
    bytescan::find::<QuoteTrigger>(s).is_some()
}

/// Append a field quoted, its inner quotes doubled, after a `'` when `guarded`.
fn push_quoted(buf: &mut Vec<u8>, guarded: bool, s: &[u8]) {
    buf.reserve(s.len() + 3);
    buf.push(b'"');
    if guarded {
        buf.push(b'\'');
    }
    let mut rest = s;
    while let Some(q) = memchr::memchr(b'"', rest) {
        buf.extend_from_slice(&rest[..=q]);
        buf.push(b'"');
        rest = &rest[q + 1..];
    }
    buf.extend_from_slice(rest);
    buf.push(b'"');
}

/// Append one field: unquoted, or quoted with inner quotes doubled.
#[inline]
fn push_field(buf: &mut Vec<u8>, s: &[u8]) {
    if needs_quotes(s) {
        push_quoted(buf, false, s);
    } else {
        buf.extend_from_slice(s);
    }
}

fn io_err(e: std::io::Error) -> csv::Error {
    csv::Error::from(e)
}

impl<W: Write> Table<W> {
    pub fn new(out: W, header: &[String], spreadsheet_safe: bool) -> csv::Result<Table<W>> {
        let mut t = Table {
            out,
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            scratch: String::new(),
            fields: None,
            spreadsheet_safe,
            flush_at: FLUSH_AT,
            pending: Vec::new(),
            pending_len: 0,
        };
        let cells: Vec<Cell> = header.iter().map(|h| Cell::Str(h)).collect();
        t.row(&cells)?;
        Ok(t)
    }

    /// A table without a header line, for rows formatted apart (on a worker thread) and
    /// appended to the real table with [`Table::append`]; `header` gives the field count.
    pub fn body(out: W, header: &[String], spreadsheet_safe: bool) -> Table<W> {
        Table::body_with_capacity(out, header, spreadsheet_safe, 0)
    }

    /// [`Table::body`] with room for `capacity` bytes of rows, so that the buffer does not
    /// grow (and copy itself) row after row. A body table keeps its rows in its buffer.
    pub fn body_with_capacity(
        out: W,
        header: &[String],
        spreadsheet_safe: bool,
        capacity: usize,
    ) -> Table<W> {
        Table {
            out,
            buf: Vec::with_capacity(capacity),
            scratch: String::new(),
            fields: Some(header.len()),
            spreadsheet_safe,
            flush_at: usize::MAX,
            pending: Vec::new(),
            pending_len: 0,
        }
    }

    /// Append whole rows written by a [`Table::body`] of the same header.
    pub fn append(&mut self, rows: &[u8]) -> csv::Result<()> {
        if self.buf.len() + rows.len() >= self.flush_at {
            self.write_out().map_err(io_err)?;
            if rows.len() >= self.flush_at {
                return self.out.write_all(rows).map_err(io_err);
            }
        }
        self.buf.extend_from_slice(rows);
        Ok(())
    }

    /// [`Table::append`], taking the buffer: it is written from where it is, with the
    /// buffers appended after it in one vectored write, instead of being copied (the rows of
    /// a `score` run are several times its input: copying them cost more than reading it).
    pub fn append_owned(&mut self, rows: Vec<u8>) -> csv::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if self.flush_at == usize::MAX {
            // A body table keeps its rows in its buffer (see [`Table::into_bytes`]).
            return self.append(&rows);
        }
        if !self.buf.is_empty() {
            // What `buf` holds (the header, rows written with `row`) comes first.
            let cap = self.buf.capacity();
            self.pending_len += self.buf.len();
            self.pending
                .push(std::mem::replace(&mut self.buf, Vec::with_capacity(cap)));
        }
        self.pending_len += rows.len();
        self.pending.push(rows);
        if self.pending_len >= PENDING_BYTES || self.pending.len() >= PENDING_BUFFERS {
            self.write_pending().map_err(io_err)?;
        }
        Ok(())
    }

    /// Writes the buffers of [`Table::append_owned`], in order, all of each.
    fn write_pending(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut slices: Vec<IoSlice> = self.pending.iter().map(|v| IoSlice::new(v)).collect();
        let mut left: &mut [IoSlice] = &mut slices;
        while !left.is_empty() {
            match self.out.write_vectored(left) {
                // The error `write_all` gives when the writer takes nothing.
                Ok(0) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::WriteZero,
                        "failed to write whole buffer",
                    ))
                }
                Ok(n) => IoSlice::advance_slices(&mut left, n),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        drop(slices);
        self.pending.clear();
        self.pending_len = 0;
        Ok(())
    }

    /// Writes everything held (the pending buffers, then `buf`) to the writer.
    fn write_out(&mut self) -> std::io::Result<()> {
        self.write_pending()?;
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    /// A text field, guarded for spreadsheets when asked.
    #[inline]
    fn text_field(&mut self, s: &str) {
        let guarded = self.spreadsheet_safe && s.starts_with(FORMULA_LEADS);
        let s = s.as_bytes();
        if needs_quotes(s) {
            push_quoted(&mut self.buf, guarded, s);
        } else {
            if guarded {
                self.buf.push(b'\'');
            }
            self.buf.extend_from_slice(s);
        }
    }

    /// Text spans joined with " … " (spans that are not in `text` left out), as one text
    /// field; a single span is written from the text itself.
    fn joined_field(&mut self, text: &str, spans: &[Span]) {
        match spans {
            [] => {}
            [s] => self.text_field(text.get(s.start..s.end).unwrap_or("")),
            _ => {
                let mut j = std::mem::take(&mut self.scratch);
                j.clear();
                let mut first = true;
                for s in spans.iter().filter_map(|s| text.get(s.start..s.end)) {
                    if !first {
                        j.push_str(" … ");
                    }
                    first = false;
                    j.push_str(s);
                }
                self.text_field(&j);
                self.scratch = j;
            }
        }
    }

    /// Write one cell (no separator).
    #[inline(always)]
    fn put(&mut self, c: &Cell) {
        match c {
            Cell::Text(s) => self.text_field(s),
            Cell::Value(s) => push_field(&mut self.buf, s.as_bytes()),
            Cell::Str(s) => push_field(&mut self.buf, s.as_bytes()),
            Cell::Int(x) => push_u64(&mut self.buf, *x),
            Cell::Bool(x) => self
                .buf
                .extend_from_slice(if *x { b"true" } else { b"false" }),
            Cell::Dec1(v) => {
                let at = self.buf.len();
                push_one_decimal(&mut self.buf, *v);
                // NaN and infinities are words; none holds a special byte.
                debug_assert!(!needs_quotes(&self.buf[at..]));
            }
            Cell::Empty => {}
            Cell::Joined(text, spans) => self.joined_field(text, spans),
        }
    }

    pub fn row(&mut self, cells: &[Cell]) -> csv::Result<()> {
        let start = self.buf.len();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.put(c);
        }
        self.end_row(start, cells.len())
    }

    /// A record written cell by cell with [`Record::cell`] (no slice of cells to build),
    /// ended with [`Record::end`]: the same bytes and checks as [`Table::row`].
    pub(super) fn record(&mut self) -> Record<'_, W> {
        let start = self.buf.len();
        Record {
            table: self,
            start,
            n: 0,
        }
    }

    /// The bytes of `cells` as the start of a record (separated, not ended), to be written
    /// again and again with [`Record::formatted`].
    pub(super) fn format_cells(&mut self, cells: &[Cell]) -> Vec<u8> {
        let start = self.buf.len();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.put(c);
        }
        let bytes = self.buf[start..].to_vec();
        self.buf.truncate(start);
        bytes
    }

    /// Ends the record begun at `start` with `n` fields.
    fn end_row(&mut self, start: usize, n: usize) -> csv::Result<()> {
        // A record with no bytes (one empty field) is written as `""`, as the csv crate does.
        if self.buf.len() == start {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        match self.fields {
            None => self.fields = Some(n),
            Some(f) if f != n => {
                self.buf.truncate(start);
                return Err(io_err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "a CSV record has {n} fields where the first had {f} (a defect: please report it)"
                    ),
                )));
            }
            Some(_) => {}
        }
        if self.buf.len() >= self.flush_at {
            self.write_out().map_err(io_err)?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        self.write_out()?;
        self.out.flush()
    }

    pub fn into_inner(mut self) -> anyhow::Result<W> {
        self.flush()
            .map_err(|e| anyhow::anyhow!("writing CSV: {e}"))?;
        Ok(self.out)
    }
}

/// See [`Table::record`].
pub(super) struct Record<'t, W: Write> {
    table: &'t mut Table<W>,
    start: usize,
    n: usize,
}

impl<W: Write> Record<'_, W> {
    #[inline(always)]
    pub(super) fn cell(&mut self, c: Cell) -> &mut Self {
        if self.n > 0 {
            self.table.buf.push(b',');
        }
        self.n += 1;
        self.table.put(&c);
        self
    }

    /// `n` cells formatted by [`Table::format_cells`].
    #[inline(always)]
    pub(super) fn formatted(&mut self, bytes: &[u8], n: usize) -> &mut Self {
        if self.n > 0 {
            self.table.buf.push(b',');
        }
        self.n += n;
        self.table.buf.extend_from_slice(bytes);
        self
    }

    pub(super) fn end(&mut self) -> csv::Result<()> {
        self.table.end_row(self.start, self.n)
    }
}

impl Table<Vec<u8>> {
    /// The bytes written so far (see [`Table::body`]).
    pub fn into_bytes(mut self) -> Vec<u8> {
        if self.out.is_empty() {
            return self.buf;
        }
        self.out.append(&mut self.buf);
        self.out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows_formatted_apart_and_appended_are_the_same_bytes() {
        use super::{Cell, Table};
        let header: Vec<String> = ["doc", "text", "n"].iter().map(|s| s.to_string()).collect();
        let long = "long ".repeat(20_000);
        let rows: Vec<[&str; 3]> = vec![
            ["a", "plain", "1"],
            ["b", "with, comma and \"quotes\"", "2"],
            ["c", "=formula", ""],
            ["d", &long, "3"],
        ];
        for safe in [false, true] {
            let mut direct = Table::new(Vec::new(), &header, safe).unwrap();
            let mut joined = Table::new(Vec::new(), &header, safe).unwrap();
            for r in &rows {
                let row = [Cell::Text(r[0]), Cell::Text(r[1]), Cell::Str(r[2])];
                direct.row(&row).unwrap();
                let mut part = Table::body(Vec::new(), &header, safe);
                part.row(&row).unwrap();
                joined.append(&part.into_bytes()).unwrap();
            }
            assert_eq!(direct.into_inner().unwrap(), joined.into_inner().unwrap());
        }
        // A body table still checks the field count of its header.
        let mut part = Table::body(Vec::new(), &header, false);
        assert!(part.row(&[Cell::Text("x")]).is_err());
    }

    /// Takes at most 7000 bytes a call, and of one buffer only (the default vectored write),
    /// so that the vectored writes of [`Table::append_owned`] end part-way.
    struct Trickle(Vec<u8>);

    impl std::io::Write for Trickle {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let n = b.len().min(7000);
            self.0.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn rows_appended_owned_mixed_with_rows_are_the_same_bytes() {
        use super::{Cell, Table};
        let header: Vec<String> = ["doc", "text"].iter().map(|s| s.to_string()).collect();
        let mut direct = Table::new(Vec::new(), &header, false).unwrap();
        let mut joined = Table::new(Trickle(Vec::new()), &header, false).unwrap();
        // Enough rows for several vectored writes, of every size, some written with `row`
        // between the owned ones, some empty.
        for i in 0..3000usize {
            let text = "w, \"x\" ".repeat((i * 37) % 700);
            let id = i.to_string();
            let row = [Cell::Text(&id), Cell::Text(&text)];
            direct.row(&row).unwrap();
            match i % 5 {
                0 => joined.row(&row).unwrap(),
                1 => {
                    let mut part = Table::body(Vec::new(), &header, false);
                    part.row(&row).unwrap();
                    joined.append(&part.into_bytes()).unwrap();
                }
                _ => {
                    let mut part = Table::body(Vec::new(), &header, false);
                    part.row(&row).unwrap();
                    joined.append_owned(part.into_bytes()).unwrap();
                    joined.append_owned(Vec::new()).unwrap();
                }
            }
        }
        let direct = direct.into_inner().unwrap();
        let joined = joined.into_inner().unwrap().0;
        assert!(direct.len() > 4 << 20);
        assert!(direct == joined);
    }

    #[test]
    fn spreadsheet_safe_guards_every_formula_lead() {
        use super::{Cell, Table};
        let header = vec!["cell".to_string()];
        let cells = [
            "=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1", "a=1", " =1", "\n=1",
        ];
        let mut t = Table::new(Vec::new(), &header, true).unwrap();
        for c in cells {
            t.row(&[Cell::Text(c)]).unwrap();
        }
        let bytes = t.into_inner().unwrap();
        // Read back with the csv crate: the guard is inside the field, before its text.
        let mut r = csv::Reader::from_reader(&bytes[..]);
        let read: Vec<String> = r.records().map(|x| x.unwrap()[0].to_string()).collect();
        let want = [
            "'=1+1",
            "'+1",
            "'-1",
            "'@SUM(A1)",
            "'\t=1+1",
            "'\r=1+1",
            "a=1",
            " =1",
            "\n=1",
        ];
        assert_eq!(read, want);
    }

    #[test]
    fn integers_match_to_string() {
        let mut vals: Vec<u64> = vec![0, 9, 10, 99, 100, u64::MAX, u64::MAX / 10, 10u64.pow(19)];
        vals.extend((0..20).map(|k| 10u64.pow(k) - 1));
        vals.extend((0..20).map(|k| 10u64.pow(k)));
        for v in vals {
            let mut out = Vec::new();
            super::push_u64(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), v.to_string());
        }
    }

    #[test]
    fn one_decimal_matches_format() {
        let mut vals = vec![
            0.0,
            -0.0,
            0.05,
            0.15,
            0.25,
            0.35,
            -0.05,
            -0.01,
            0.04999,
            99.95,
            100.0,
            -12.35,
            1e14,
            1e15,
            999_999_999_999_999.0,
            1_000_000_000_000_001.0,
            -1e18,
            1e19,
            9.95,
            -0.55,
            25.0,
            -10.0,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            -f64::NAN,
            999.0,
            999.5,
            999.94,
            999.95,
            999.96,
            1000.0,
            1000.04,
            -999.0,
            -1000.0,
            0.5,
            0.95,
            1e-300,
            -1e-300,
            f64::from_bits(super::BITS_1000 - 1),
            f64::from_bits(super::BITS_1000 + 1),
        ];
        // Thousandths and hundredths (ties and near-ties), and sums of tenths.
        vals.extend((-20_000..20_000).map(|i| i as f64 / 1000.0));
        vals.extend((-2_000..2_000).map(|i| i as f64 * 0.01));
        vals.extend((0..1000).map(|i| (0..i % 7).map(|_| 0.1).sum::<f64>() * i as f64));
        for v in vals {
            assert_eq!(super::one_decimal(v), format!("{v:.1}"), "value {v:e}");
        }
    }

    #[test]
    fn needs_quotes_finds_every_special_byte_at_every_position() {
        use crate::bytescan::ByteSet;
        let scalar = |s: &[u8]| s.iter().any(|&c| super::QuoteTrigger::contains(c));
        for len in 0..100 {
            let plain: Vec<u8> = (0..len).map(|i| b"abc \t\x7f\xc3\xa9'="[i % 10]).collect();
            assert!(!super::needs_quotes(&plain), "{len}");
            for at in 0..len {
                for c in [b',', b'"', b'\r', b'\n', b'\t', b'.', 0x8a] {
                    let mut s = plain.clone();
                    s[at] = c;
                    assert_eq!(super::needs_quotes(&s), scalar(&s), "{len} {at} {c}");
                }
            }
        }
    }
}
