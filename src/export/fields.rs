//! documents.csv with each document's input fields (`Document::meta`: the other fields of
//! a JSONL or CSV record, and the `--meta` columns) as columns after the fixed ones.
//!
//! The columns are the union of the field names over the run, sorted, so they are known only
//! at the end. Until then each document's fixed cells (formatted on a worker thread, as
//! before) and its fields go to a spill file beside the output; [`DocumentRows::finish`]
//! writes the table from it in one pass. Memory holds only the field names.

use super::tables::documents_header;
use super::writer::{Cell, Table};
use anyhow::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// What a field takes when its name is a fixed column of documents.csv (`group`, `doc`, ...):
/// the name with this before it, as often as it takes to be a name no other column has.
pub const CLASH_PREFIX: &str = "meta_";

/// The rows of documents.csv as the run produces them, spilled until the fields are known.
pub struct DocumentRows {
    spill: PathBuf,
    out: BufWriter<File>,
    names: BTreeSet<String>,
}

impl DocumentRows {
    /// Spills to `spill` (a file of the run's temporary output folder).
    pub fn create(spill: &Path) -> anyhow::Result<DocumentRows> {
        let file = File::create(spill).with_context(|| format!("creating {}", spill.display()))?;
        Ok(DocumentRows {
            spill: spill.to_path_buf(),
            out: BufWriter::new(file),
            names: BTreeSet::new(),
        })
    }

    /// One document: its row of the fixed columns (a record of a [`Table::body`] with
    /// [`documents_header`]) and its fields.
    pub fn push(&mut self, row: &[u8], fields: &BTreeMap<String, String>) -> anyhow::Result<()> {
        let row = row.strip_suffix(b"\n").unwrap_or(row);
        let w = &mut self.out;
        let mut put = |bytes: &[u8]| -> std::io::Result<()> {
            w.write_all(&(bytes.len() as u64).to_le_bytes())?;
            w.write_all(bytes)
        };
        let written = (|| {
            put(row)?;
            put(&(fields.len() as u64).to_le_bytes())?;
            for (name, value) in fields {
                put(name.as_bytes())?;
                put(value.as_bytes())?;
            }
            std::io::Result::Ok(())
        })();
        written.with_context(|| format!("writing {}", self.spill.display()))?;
        for name in fields.keys() {
            if !self.names.contains(name) {
                self.names.insert(name.clone());
            }
        }
        Ok(())
    }

    /// Writes documents.csv to `out`: the fixed columns, then one column per field name of
    /// the run (sorted; see [`field_columns`]), a document without the field leaving it
    /// empty. Removes the spill file.
    pub fn finish<W: Write>(mut self, out: W, safe: bool) -> anyhow::Result<W> {
        let what = || format!("reading back {}", self.spill.display());
        self.out.flush().with_context(what)?;
        let fixed = documents_header();
        let names: Vec<&String> = self.names.iter().collect();
        let mut header = fixed.clone();
        header.extend(field_columns(&fixed, &self.names));
        let mut table = Table::new(out, &header, safe).context("writing documents.csv")?;
        let mut spill = BufReader::new(File::open(&self.spill).with_context(what)?);
        let mut row = Vec::new();
        let mut values: Vec<Option<String>> = vec![None; names.len()];
        while read_part(&mut spill, &mut row).with_context(what)? {
            let mut count = Vec::new();
            read_part(&mut spill, &mut count).with_context(what)?;
            let n = u64::from_le_bytes(count.try_into().unwrap_or_default());
            values.iter_mut().for_each(|v| *v = None);
            let (mut name, mut value) = (Vec::new(), Vec::new());
            for _ in 0..n {
                read_part(&mut spill, &mut name).with_context(what)?;
                read_part(&mut spill, &mut value).with_context(what)?;
                let name = String::from_utf8_lossy(&name);
                if let Ok(i) = names.binary_search_by(|k| k.as_str().cmp(&name)) {
                    values[i] = Some(String::from_utf8_lossy(&value).into_owned());
                }
            }
            let mut r = table.record();
            r.formatted(&row, fixed.len());
            for v in &values {
                r.cell(v.as_deref().map_or(Cell::Empty, Cell::Text));
            }
            r.end().context("writing documents.csv")?;
        }
        drop(spill);
        std::fs::remove_file(&self.spill)
            .with_context(|| format!("removing {}", self.spill.display()))?;
        table.into_inner()
    }
}

/// Reads one length-prefixed part into `buf`; false at the end of the file.
fn read_part(r: &mut impl Read, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    buf.clear();
    r.take(u64::from_le_bytes(len)).read_to_end(buf)?;
    Ok(true)
}

/// The column names of the fields `names` (sorted) after the `fixed` columns: each field's
/// own name, or, when that is a fixed column, the name after [`CLASH_PREFIX`] as many times
/// as it takes to be neither a fixed column nor another field's name (`group` becomes
/// `meta_group`, or `meta_meta_group` when there is a field `meta_group` too). No fixed
/// column starts with the prefix, so no two fields get one name.
pub fn field_columns(fixed: &[String], names: &BTreeSet<String>) -> Vec<String> {
    let fixed: BTreeSet<&str> = fixed.iter().map(String::as_str).collect();
    names
        .iter()
        .map(|name| {
            let mut column = name.clone();
            while fixed.contains(column.as_str()) || (column != *name && names.contains(&column)) {
                column.insert_str(0, CLASH_PREFIX);
            }
            column
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fields_named_as_fixed_columns_take_the_prefix() {
        let fixed: Vec<String> = ["doc", "group", "corpus"].map(String::from).to_vec();
        let cols = field_columns(&fixed, &set(&["date", "group", "meta_group", "title"]));
        // Sorted by field name: date, group, meta_group, title.
        assert_eq!(cols, ["date", "meta_meta_group", "meta_group", "title"]);
        let cols = field_columns(&fixed, &set(&["corpus", "doc"]));
        assert_eq!(cols, ["meta_corpus", "meta_doc"]);
        assert!(!documents_header()
            .iter()
            .any(|c| c.starts_with(CLASH_PREFIX)));
    }

    #[test]
    fn rows_get_their_own_fields_under_the_union_of_names() {
        let dir = tempfile::tempdir().unwrap();
        let mut rows = DocumentRows::create(&dir.path().join("spill")).unwrap();
        let n = documents_header().len();
        // Stand-ins for the fixed cells: n cells, the first quoted with a newline.
        let fixed = |id: &str| format!("\"{id}\n\"{}\n", ",0".repeat(n - 1));
        let fields = |kv: &[(&str, &str)]| -> BTreeMap<String, String> {
            kv.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        rows.push(
            fixed("a").as_bytes(),
            &fields(&[("title", "T, \"one\""), ("group", "g")]),
        )
        .unwrap();
        rows.push(fixed("b").as_bytes(), &fields(&[])).unwrap();
        rows.push(
            fixed("c").as_bytes(),
            &fields(&[("date", "2024-01-02"), ("title", "")]),
        )
        .unwrap();
        let bytes = rows.finish(Vec::new(), true).unwrap();
        assert!(!dir.path().join("spill").exists());
        let mut r = csv::Reader::from_reader(&bytes[..]);
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header[..n], documents_header()[..]);
        assert_eq!(header[n..], ["date", "meta_group", "title"]);
        let got: Vec<Vec<String>> = r
            .records()
            .map(|rec| {
                let rec = rec.unwrap();
                let mut v = vec![rec[0].to_string()];
                v.extend(rec.iter().skip(n).map(String::from));
                v
            })
            .collect();
        let want = [
            ["a\n", "", "g", "T, \"one\""],
            ["b\n", "", "", ""],
            ["c\n", "2024-01-02", "", ""],
        ];
        assert_eq!(got, want);
    }
}
