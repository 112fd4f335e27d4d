//! `.txt` articles: one file, or every `.txt` below a directory.

use super::{
    decode, decode_utf16, file_id, folder_name, problem, too_large, utf16_bom, BINARY_SNIFF,
};
use crate::doc::{Document, Origin};
use crate::ingest::read::{ReadBytes, BOM};
use crate::ingest::{IngestOptions, Item};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

/// Reads one whole `.txt` article. Only the first 8 KB is read before the binary check, so a
/// large binary file costs little; a file over `max_bytes` is not read at all. The file's
/// size goes into `read` once it is known, read or skipped, as the progress line counts it.
pub(crate) fn read_txt(
    path: &Path,
    id: String,
    corpus: String,
    max_bytes: u64,
    read: &ReadBytes,
) -> Item {
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
    read.fetch_add(md.len(), Ordering::Relaxed);
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
    // UTF-16 text has NUL bytes in every other place for ASCII: its mark says it is text.
    let utf16 = utf16_bom(&bytes);
    if let Some(at) = memchr::memchr(0, &bytes).filter(|_| utf16.is_none()) {
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
    let (text, lossy_utf8) = match utf16 {
        Some(le) => decode_utf16(&bytes[2..], le),
        None => {
            if bytes.starts_with(BOM) {
                bytes.drain(..BOM.len());
            }
            decode(bytes)
        }
    };
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

/// A directory walked recursively in sorted path order.
pub(crate) struct DirSource {
    root: PathBuf,
    root_corpus: String,
    walk: walkdir::IntoIter,
    max_bytes: u64,
    read: ReadBytes,
}

impl DirSource {
    pub fn new(root: &Path, opts: &IngestOptions, read: &ReadBytes) -> DirSource {
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
            read: ReadBytes::clone(read),
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
            return Some(read_txt(
                path,
                file_id(path),
                corpus,
                self.max_bytes,
                &self.read,
            ));
        }
    }
}
