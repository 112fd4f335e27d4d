//! Byte-level reading shared by the document sources and the `--meta` table: opening a file
//! (gzip or not), the BOM, and the csv crate's errors in plain words. Both sides use this
//! module and neither uses the other.

use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The UTF-8 byte order mark, an encoding mark rather than text.
pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) type DynBufRead = Box<dyn BufRead + Send>;

/// Bytes read from the input files so far (compressed bytes for `.gz`), shared by the
/// readers of one corpus: what the progress line measures against the inputs' size.
pub(crate) type ReadBytes = Arc<AtomicU64>;

/// A file that adds the bytes read from it to a [`ReadBytes`].
struct Counted<R> {
    inner: R,
    read: ReadBytes,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens a file, decompressing it on the fly when its name ends in `.gz`.
pub(crate) fn open_maybe_gz(path: &Path) -> io::Result<DynBufRead> {
    open_counted(path, &ReadBytes::default())
}

/// [`open_maybe_gz`], counting the file's bytes as they are read into `read`.
pub(crate) fn open_counted(path: &Path, read: &ReadBytes) -> io::Result<DynBufRead> {
    let file = Counted {
        inner: File::open(path)?,
        read: Arc::clone(read),
    };
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

pub(crate) fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{FEFF}').unwrap_or(s)
}

/// The csv crate's error text, with the unequal-lengths case said plainly.
pub(crate) fn csv_error_text(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Io(io) => format!("read error: {io}"),
        _ => e.to_string(),
    }
}
