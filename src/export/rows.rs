//! The rows of one document for one table (or the elements of one array of its extract
//! record), formatted on a worker thread and written out by the writer. They are kept in
//! memory, unless a document analysed in pieces has rows from a second piece: then they go
//! to an unnamed temporary file, so that a long document's rows (claims.csv holds about
//! twice its text) are never all held at once. The file has no name, so an interrupted run
//! leaves nothing behind.

use super::writer::Table;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Bytes read back from a spill file at a time.
const CHUNK: usize = 1 << 20;

#[derive(Debug, Default)]
pub struct Rows {
    memory: Vec<u8>,
    spill: Option<File>,
}

impl Rows {
    /// Adds the rows of the next piece; `dir` is where they spill.
    pub fn push(&mut self, rows: Vec<u8>, dir: &Path) -> std::io::Result<()> {
        if let Some(f) = &mut self.spill {
            return f.write_all(&rows);
        }
        if self.memory.is_empty() {
            self.memory = rows;
            return Ok(());
        }
        if rows.is_empty() {
            return Ok(());
        }
        let mut f = tempfile::tempfile_in(dir)?;
        f.write_all(&std::mem::take(&mut self.memory))?;
        f.write_all(&rows)?;
        self.spill = Some(f);
        Ok(())
    }

    /// Whether the rows went to a file.
    pub fn spilled(&self) -> bool {
        self.spill.is_some()
    }

    /// Appends the rows to `table` (of the same header), in the order they were pushed.
    pub fn append_to<W: Write>(self, table: &mut Table<W>) -> csv::Result<()> {
        match self.spill {
            None => table.append_owned(self.memory),
            Some(f) => read_back(f, |chunk| table.append(chunk)),
        }
    }

    /// Writes the rows to `out`, in the order they were pushed.
    pub fn write_to<W: Write + ?Sized>(self, out: &mut W) -> std::io::Result<()> {
        match self.spill {
            None => out.write_all(&self.memory),
            Some(f) => read_back(f, |chunk| out.write_all(chunk)),
        }
    }
}

/// Hands what `f` holds, from its start, to `each`, a chunk at a time.
fn read_back<E: From<std::io::Error>>(
    mut f: File,
    mut each: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    f.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0; CHUNK];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        each(&buf[..n])?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_in_order_from_memory_or_from_the_spill() {
        let dir = tempfile::tempdir().unwrap();
        let header = vec!["a".to_string()];
        let pieces: Vec<Vec<u8>> = vec![b"1\n2\n".to_vec(), Vec::new(), b"3\n".to_vec()];
        for n in 1..=pieces.len() {
            let mut rows = Rows::default();
            for p in &pieces[..n] {
                rows.push(p.clone(), dir.path()).unwrap();
            }
            // A second piece with rows spills; an empty one does not.
            assert_eq!(rows.spilled(), n == 3);
            let mut t = Table::new(Vec::new(), &header, false).unwrap();
            rows.append_to(&mut t).unwrap();
            let want: Vec<u8> = pieces[..n].concat();
            assert_eq!(t.into_inner().unwrap(), [b"a\n".as_slice(), &want].concat());
        }
        // The spill file has no name: the folder stays empty.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
