//! The command line: one module per subcommand, its help text beside it.
//!
//! `main` returns an exit code from `run() -> Result`; a closed pipe (`onrecord extract | head`)
//! ends the run quietly.

pub mod eval;
pub mod explain;
pub mod extract;
pub mod input;
pub mod interrupt;
mod labels;
pub mod score;
mod score_rows;
pub mod train;
pub mod train_claims;
pub mod train_confirmations;
pub mod train_hedges;
pub mod train_patterns;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

/// One line on standard error, as `eprintln!` would write it, but a closed standard error
/// (`onrecord score ... 2>&1 | head -1`) is ignored instead of panicking: the run goes on and
/// writes its outputs. The line goes out in one write, so lines of threads do not interleave.
pub fn diag_line(args: std::fmt::Arguments) {
    let mut line = args.to_string();
    line.push('\n');
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// `eprintln!` through [`diag_line`]: every diagnostic of the crate goes through it.
macro_rules! diag {
    ($($arg:tt)*) => {
        $crate::cli::diag_line(format_args!($($arg)*))
    };
}
pub(crate) use diag;

/// Exit codes (documented in the README).
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_SKIPPED: u8 = 3;

#[derive(Parser)]
#[command(
    name = "onrecord",
    version,
    about = "Source-credibility scoring for news: who is cited, how, and how well each claim is sourced",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    Extract(extract::Args),
    Eval(eval::Args),
    Score(score::Args),
    Explain(explain::Args),
    Merge(score::MergeArgs),
    Train(train::Args),
    TrainPatterns(train_patterns::Args),
    TrainClaims(train_claims::Args),
    TrainConfirmations(train_confirmations::Args),
}

pub fn main() -> ExitCode {
    interrupt::install();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    let result = run(cli);
    if interrupt::interrupted() {
        // The signal thread removes the temporary outputs and exits with the signal's code;
        // an error the removal caused here (a folder gone mid-write) is not the run's.
        loop {
            std::thread::park();
        }
    }
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(EXIT_OK);
            }
            diag!("onrecord: error: {err:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Score(a) => score::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Merge(a) => score::merge(a),
        Command::Train(a) => train::run(a),
        Command::TrainPatterns(a) => train_patterns::run(a),
        Command::TrainClaims(a) => train_claims::run(a),
        Command::TrainConfirmations(a) => train_confirmations::run(a),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Temporary outputs are named `.NAME.onrecord-tmp-PID` beside NAME.
pub const TMP_MARK: &str = ".onrecord-tmp-";

/// Removes the temporary files of earlier runs for `dest` that were killed (SIGKILL or a
/// power cut leave them; nothing can run at that moment). A file is stale when its process
/// is gone: checked through /proc, so elsewhere such files are only ignored, never removed.
fn remove_stale_tmp(dest: &std::path::Path, name: &str) {
    let proc_fs = std::path::Path::new("/proc/self");
    if !proc_fs.exists() {
        return;
    }
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    let prefix = format!(".{name}{TMP_MARK}");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let alive = pid.parse::<u32>().is_ok_and(|p| {
            p == std::process::id() || std::path::Path::new("/proc").join(pid).exists()
        });
        if !alive {
            // A temporary output folder (`score --out`) goes whole.
            let _ = match e.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(e.path()),
                _ => std::fs::remove_file(e.path()),
            };
        }
    }
}

/// An output file written to a temporary name beside it and renamed when complete, so an
/// interrupted run leaves the old file or the complete new one (or neither, if it stops in
/// the instant between removing the one and renaming the other), never half of it.
///
/// As ripgrep and the shell's `>` do, a symbolic link is written through: the temporary file
/// goes beside the file it points to, which is replaced, and the link stays. A special file
/// (a FIFO, a device such as /dev/null or /dev/stdout, a socket) is never replaced: it is
/// written directly, with no temporary file.
pub struct AtomicFile {
    /// The temporary file; `None` for a special file written directly.
    tmp: Option<std::path::PathBuf>,
    /// The file that is written: `-o` with its symbolic links followed.
    dest: std::path::PathBuf,
}

/// `path` with its symbolic links followed to the file they name (which may not exist yet).
fn follow_links(path: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    use anyhow::Context;
    let mut p = path.to_path_buf();
    // The kernel's own limit for a chain of links (ELOOP).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)
                    .with_context(|| format!("reading the link {}", p.display()))?;
                // A relative link is relative to the folder that holds it.
                p = p.parent().map_or_else(|| to.clone(), |dir| dir.join(&to));
            }
            _ => return Ok(p),
        }
    }
    anyhow::bail!(
        "{}: too many levels of symbolic links; choose another output",
        path.display()
    )
}

/// The path names a special file (FIFO, device, socket): written to directly, never replaced.
pub fn is_special_file(path: &std::path::Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

impl AtomicFile {
    pub fn create(dest: &std::path::Path) -> anyhow::Result<AtomicFile> {
        use anyhow::Context;
        let dest = follow_links(dest)?;
        if dest.is_dir() {
            anyhow::bail!("{} is a folder; give a file name", dest.display());
        }
        if is_special_file(&dest) {
            return Ok(AtomicFile { tmp: None, dest });
        }
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        remove_stale_tmp(&dest, &name);
        let tmp = dest.with_file_name(format!(".{name}{TMP_MARK}{}", std::process::id()));
        interrupt::register_temporary(&tmp);
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(AtomicFile {
            tmp: Some(tmp),
            dest,
        })
    }
    pub fn file(&self) -> anyhow::Result<std::fs::File> {
        use anyhow::Context;
        let Some(tmp) = &self.tmp else {
            // A special file: opened for writing as it is (opening a FIFO waits for a reader).
            return std::fs::OpenOptions::new()
                .write(true)
                .open(&self.dest)
                .with_context(|| format!("opening {}", self.dest.display()));
        };
        // Not opened with O_TRUNC: on ext4 a file truncated to zero is flushed to disk when it
        // is closed (its guard for the rewrite-in-place pattern), which held the end of a
        // 100 MB run up by 0.15 s. The file was created empty just before; it is emptied here
        // only if it is not.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(tmp)
            .with_context(|| format!("opening {}", tmp.display()))?;
        if file.metadata().map_or(true, |m| m.len() > 0) {
            file.set_len(0)
                .with_context(|| format!("emptying {}", tmp.display()))?;
        }
        Ok(file)
    }
    /// Where to write: the temporary file, or the special file itself.
    pub fn path(&self) -> &std::path::Path {
        self.tmp.as_deref().unwrap_or(&self.dest)
    }
    pub fn commit(mut self) -> anyhow::Result<()> {
        use anyhow::Context;
        let Some(tmp) = self.tmp.take() else {
            return Ok(());
        };
        // The output of an earlier run goes first: ext4 writes a file renamed over another to
        // disk before the rename returns (0.15 s for a 100 MB run's CSV), where a rename to a
        // free name leaves the writing to the kernel's own time.
        let moved = match std::fs::remove_file(&self.dest) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("replacing {}", self.dest.display()))
            }
            _ => std::fs::rename(&tmp, &self.dest)
                .with_context(|| format!("renaming {} to {}", tmp.display(), self.dest.display())),
        };
        if moved.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        interrupt::release_temporary(&tmp);
        moved
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // A run that failed leaves no temporary file behind.
        if let Some(tmp) = &self.tmp {
            let _ = std::fs::remove_file(tmp);
            interrupt::release_temporary(tmp);
        }
    }
}
