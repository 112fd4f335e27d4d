//! Shards of a corpus scored apart (`score --partial`) and put back together (`merge`):
//! a shard folder holds the row tables of its documents, its mergeable summary.json and
//! shard.json, which says how it was scored (docs/spark.md, docs/data-dictionary.md).

use super::AtomicFile;
use crate::aggregate::{Summary, SUMMARY_FORMAT};
use crate::export::fields::{field_columns, CLASH_PREFIX};
use crate::export::tables::documents_header;
use crate::export::writer::{Cell, Table};
use crate::extract::ModelKind;
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Version of shard.json; a merge refuses shards of another one.
pub const SHARD_FORMAT: u32 = 1;

/// The row tables of a shard, concatenated by `merge` in the order the shards are given.
pub const ROW_TABLES: [&str; 4] = [
    "claims.csv",
    "attributions.csv",
    "documents.csv",
    "errors.csv",
];

/// shard.json: what must agree between shards for their merge to be one run's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// [`SHARD_FORMAT`].
    pub format: u32,
    /// The onrecord version that scored it: another version may score differently.
    pub onrecord: String,
    /// The summary.json format beside it.
    pub summary_format: u32,
    /// `--by`: the groups of its summary and the `group` column of its rows.
    pub by: String,
    /// `--model`: `tagger` or `rules`.
    pub model: String,
    /// Documents scored and records skipped (listed in errors.csv).
    pub documents: u64,
    pub skipped: u64,
}

impl ShardInfo {
    pub fn new(by: &str, model: ModelKind, documents: u64, skipped: u64) -> ShardInfo {
        ShardInfo {
            format: SHARD_FORMAT,
            onrecord: env!("CARGO_PKG_VERSION").to_string(),
            summary_format: SUMMARY_FORMAT,
            by: by.to_string(),
            model: match model {
                ModelKind::Tagger => "tagger",
                ModelKind::Rules => "rules",
            }
            .to_string(),
            documents,
            skipped,
        }
    }

    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join("shard.json");
        let f = AtomicFile::create(&path)?;
        let mut w = BufWriter::new(f.file()?);
        serde_json::to_writer_pretty(&mut w, self).context("writing shard.json")?;
        w.write_all(b"\n")?;
        w.flush()
            .with_context(|| format!("writing {}", path.display()))?;
        drop(w);
        f.commit()
    }

    /// The settings that must be equal in every shard of one merge.
    fn settings(&self) -> (&str, &str, &str) {
        (&self.onrecord, &self.by, &self.model)
    }
}

/// One input of `merge`: a summary.json file, or a folder holding one (a shard folder of
/// `score --partial` or the --out folder of a whole `score` run) and its row tables. Its
/// summary is merged as it is read, so that a merge of thousands of shards holds one.
pub struct Shard {
    /// As given on the command line, for messages.
    pub path: PathBuf,
    /// The folder's shard.json, if it has one.
    pub info: Option<ShardInfo>,
    /// The folder, when the input is one.
    pub dir: Option<PathBuf>,
}

impl Shard {
    pub fn read(path: &Path) -> Result<(Shard, Summary)> {
        let dir = path.is_dir().then(|| path.to_path_buf());
        let summary_path = match &dir {
            Some(d) => d.join("summary.json"),
            None => path.to_path_buf(),
        };
        let text = std::fs::read_to_string(&summary_path).with_context(|| {
            format!(
                "reading {} (merge takes summary.json files or the folders of `onrecord score`)",
                summary_path.display()
            )
        })?;
        let summary: Summary = serde_json::from_str(&text).with_context(|| {
            format!(
                "{}: not a summary.json written by `onrecord score`",
                summary_path.display()
            )
        })?;
        let info_path = dir.as_ref().map(|d| d.join("shard.json"));
        let info = match info_path {
            Some(p) if p.is_file() => {
                let text = std::fs::read_to_string(&p)
                    .with_context(|| format!("reading {}", p.display()))?;
                let format = serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .and_then(|v| v["format"].as_u64());
                if format != Some(u64::from(SHARD_FORMAT)) {
                    bail!(
                        "{}: shard format {format:?}, and this onrecord reads shard format \
                         {SHARD_FORMAT}; score that shard again with this version",
                        p.display()
                    );
                }
                Some(serde_json::from_str(&text).with_context(|| {
                    format!("{}: not a shard.json of `score --partial`", p.display())
                })?)
            }
            _ => None,
        };
        let shard = Shard {
            path: path.to_path_buf(),
            info,
            dir,
        };
        Ok((shard, summary))
    }
}

/// Refuses shards scored by different versions, with different --by or --model; returns
/// the --by they share, for the report (None when no shard has a shard.json).
pub fn check_settings(shards: &[Shard]) -> Result<Option<String>> {
    let mut first: Option<(&Shard, &ShardInfo)> = None;
    for s in shards {
        let Some(info) = &s.info else { continue };
        match first {
            None => first = Some((s, info)),
            Some((f, fi)) if fi.settings() != info.settings() => bail!(
                "{} and {} were scored differently (onrecord, --by, --model: {:?} and {:?}); \
                 their merge would not be one run's output: score every shard alike",
                f.path.display(),
                s.path.display(),
                fi.settings(),
                info.settings()
            ),
            Some(_) => {}
        }
    }
    Ok(first.map(|(_, i)| i.by.clone()))
}

/// Whether the merge writes row tables: when every input is a folder holding them. Some
/// inputs with row tables and some without are refused, since the merged tables would
/// miss documents.
pub fn merges_rows(shards: &[Shard]) -> Result<bool> {
    let has_rows = |s: &Shard| {
        s.dir
            .as_ref()
            .is_some_and(|d| d.join(ROW_TABLES[0]).is_file())
    };
    let with = shards.iter().filter(|s| has_rows(s)).count();
    if with > 0 && with < shards.len() {
        let without = shards.iter().find(|s| !has_rows(s)).expect("counted");
        bail!(
            "{} holds no row tables ({}) and other inputs do: the merged tables would miss \
             its documents; give every shard as its folder, or every shard as its \
             summary.json",
            without.path.display(),
            ROW_TABLES.join(", ")
        );
    }
    Ok(with == shards.len())
}

/// Writes each of [`ROW_TABLES`] into `out`: the header once, then the rows of every shard
/// in the order given, each shard's rows in its own order. Shards that are consecutive
/// pieces of an input, given in order, make the whole run's tables byte for byte.
pub fn concatenate_rows(shards: &[Shard], out: &Path) -> Result<()> {
    for name in ROW_TABLES {
        if name == "documents.csv" && fields_differ(shards)? {
            union_documents(shards, out)?;
            continue;
        }
        let dest = out.join(name);
        let f = AtomicFile::create(&dest)?;
        let mut w = BufWriter::new(f.file()?);
        let mut header: Option<(Vec<u8>, &Path)> = None;
        for s in shards {
            let dir = s
                .dir
                .as_deref()
                .expect("merges_rows: every input is a folder");
            let path = dir.join(name);
            let file = std::fs::File::open(&path).with_context(|| {
                format!(
                    "reading {} (a shard folder holds {ROW_TABLES:?})",
                    path.display()
                )
            })?;
            let mut r = BufReader::new(file);
            let mut head = Vec::new();
            r.read_until(b'\n', &mut head)
                .with_context(|| format!("reading {}", path.display()))?;
            match &header {
                None => {
                    w.write_all(&head)?;
                    header = Some((head, &s.path));
                }
                Some((h, first)) if *h != head => bail!(
                    "{} and {} have different columns in {name}: scored by different \
                     versions of onrecord? Score every shard with one version",
                    first.display(),
                    s.path.display()
                ),
                Some(_) => {}
            }
            copy_rows(&mut r, &mut w).with_context(|| format!("copying {}", path.display()))?;
        }
        w.flush()
            .with_context(|| format!("writing {}", dest.display()))?;
        drop(w);
        f.commit()?;
    }
    Ok(())
}

fn shard_table(s: &Shard, name: &str) -> Result<PathBuf> {
    let dir = s
        .dir
        .as_deref()
        .context("merges_rows: every input is a folder")?;
    Ok(dir.join(name))
}

fn documents_columns(s: &Shard) -> Result<Vec<String>> {
    let path = shard_table(s, "documents.csv")?;
    let mut r =
        csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
    let h = r
        .headers()
        .with_context(|| format!("reading {}", path.display()))?;
    Ok(h.iter().map(String::from).collect())
}

/// Whether the shards' documents.csv have different field columns: their inputs carried
/// different fields (a field seen in one shard's records only).
fn fields_differ(shards: &[Shard]) -> Result<bool> {
    let mut first: Option<Vec<String>> = None;
    for s in shards {
        let cols = documents_columns(s)?;
        match &first {
            None => first = Some(cols),
            Some(f) if *f != cols => return Ok(true),
            Some(_) => {}
        }
    }
    Ok(false)
}

/// The input field behind each field column of a shard's documents.csv: the column less
/// the prefixes [`field_columns`] put before a name that clashes with a fixed column.
fn shard_fields(s: &Shard, fixed: &[String]) -> Result<Vec<String>> {
    let cols = documents_columns(s)?;
    if cols.len() < fixed.len() || cols[..fixed.len()] != *fixed {
        bail!(
            "{}: documents.csv does not start with the columns of this onrecord's \
             documents.csv: scored by another version? Score every shard with one version",
            s.path.display()
        );
    }
    let fields: Vec<String> = cols[fixed.len()..]
        .iter()
        .map(|c| {
            let mut rest = c.as_str();
            while let Some(r) = rest.strip_prefix(CLASH_PREFIX) {
                if fixed.iter().any(|f| f == r) {
                    return r.to_string();
                }
                rest = r;
            }
            c.clone()
        })
        .collect();
    // Names the prefixes cannot tell apart (a field "meta_doc" beside a field "doc"): the
    // columns must come back from the fields, or the merge could mix two fields up.
    let set: BTreeSet<String> = fields.iter().cloned().collect();
    if field_columns(fixed, &set) != cols[fixed.len()..] {
        bail!(
            "{}: cannot tell which input field each column of documents.csv holds (fields \
             named with the {CLASH_PREFIX:?} prefix); rename those fields and score again",
            s.path.display()
        );
    }
    Ok(fields)
}

/// documents.csv of shards with different field columns: the union of the fields, named
/// and ordered as one run over all the shards' documents names them, a shard's rows empty
/// in the columns of fields it lacks.
fn union_documents(shards: &[Shard], out: &Path) -> Result<()> {
    let fixed = documents_header();
    let mut per_shard = Vec::with_capacity(shards.len());
    let mut all = BTreeSet::new();
    for s in shards {
        let fields = shard_fields(s, &fixed)?;
        all.extend(fields.iter().cloned());
        per_shard.push(fields);
    }
    let names: Vec<&String> = all.iter().collect();
    let mut header = fixed.clone();
    header.extend(field_columns(&fixed, &all));
    let dest = out.join("documents.csv");
    let f = AtomicFile::create(&dest)?;
    // The cells were guarded (or not) when the shards were written: written again as they are.
    let mut table =
        Table::new(BufWriter::new(f.file()?), &header, false).context("writing documents.csv")?;
    let mut cells: Vec<Option<String>> = Vec::with_capacity(header.len());
    for (s, fields) in shards.iter().zip(&per_shard) {
        let path = shard_table(s, "documents.csv")?;
        let at: Vec<usize> = fields
            .iter()
            .map(|n| names.binary_search(&n).unwrap_or_default() + fixed.len())
            .collect();
        let mut r =
            csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
        for rec in r.records() {
            let rec = rec.with_context(|| format!("reading {}", path.display()))?;
            cells.clear();
            cells.resize(header.len(), None);
            for (i, v) in rec.iter().enumerate() {
                let k = if i < fixed.len() {
                    i
                } else {
                    at[i - fixed.len()]
                };
                cells[k] = Some(v.to_string());
            }
            let row: Vec<Cell> = cells
                .iter()
                .map(|c| match c.as_deref() {
                    None | Some("") => Cell::Empty,
                    Some(v) => Cell::Str(v),
                })
                .collect();
            table.row(&row).context("writing documents.csv")?;
        }
    }
    let mut w = table.into_inner()?;
    w.flush()
        .with_context(|| format!("writing {}", dest.display()))?;
    drop(w);
    f.commit()
}

/// Copies the rest of `r`, which must end at the end of a row.
fn copy_rows(r: &mut impl BufRead, w: &mut impl Write) -> Result<()> {
    let mut last = b'\n';
    loop {
        let buf = r.fill_buf()?;
        let Some(&b) = buf.last() else { break };
        last = b;
        w.write_all(buf)?;
        let n = buf.len();
        r.consume(n);
    }
    if last != b'\n' {
        bail!("its last row is cut short (no line end): was the shard written whole?");
    }
    Ok(())
}

/// The runs of the shards read so far, to refuse a run given twice (the same documents),
/// naming the two inputs that hold it.
#[derive(Default)]
pub struct RunsSeen(BTreeMap<String, PathBuf>);

impl RunsSeen {
    pub fn add(&mut self, shard: &Shard, summary: &Summary) -> Result<()> {
        for run in summary.runs() {
            if let Some(first) = self.0.get(&run) {
                bail!(
                    "{} and {} both hold score run {run} (the same documents): merged, they \
                     would count twice; merge the summary of each run once",
                    first.display(),
                    shard.path.display()
                );
            }
            self.0.insert(run, shard.path.clone());
        }
        Ok(())
    }
}

/// Refuses an output folder that is one of the inputs: its tables are read while written.
pub fn check_output(shards: &[Shard], out: &Path) -> Result<()> {
    if let Some(s) = shards.iter().find(|s| {
        s.dir
            .as_deref()
            .is_some_and(|d| crate::cli::input::same_file(d, out))
    }) {
        bail!(
            "--out {} is the input {}: merge into another folder",
            out.display(),
            s.path.display()
        );
    }
    Ok(())
}
