//! SIGINT and SIGTERM: the run's temporary outputs are removed and the process exits with
//! 128 + the signal (130, 143), as a shell reports a process the signal killed. Outputs are
//! only ever renamed into place complete, so what is left is the old output or none.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary files and folders of the run that exist now (registered when created,
/// released once renamed into place or removed).
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set once a signal has arrived: the run is being ended.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn register_temporary(path: &Path) {
    let mut t = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    t.push(path.to_path_buf());
}

pub fn release_temporary(path: &Path) {
    let mut t = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = t.iter().rposition(|p| p == path) {
        t.swap_remove(i);
    }
}

/// A signal has arrived and the process is about to exit with its code.
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Starts the thread that waits for SIGINT and SIGTERM (the binary calls it once, first).
pub fn install() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
        Ok(s) => s,
        Err(e) => {
            super::diag!(
                "onrecord: warning: cannot handle SIGINT/SIGTERM ({e}); an interrupted run may leave .*.onrecord-tmp-* files, removed by the next run"
            );
            return;
        }
    };
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
                // Held to the end: nothing is registered (or committed and released) after.
                let t = TEMPORARIES.lock().unwrap_or_else(|e| e.into_inner());
                for p in t.iter() {
                    let _ = match std::fs::symlink_metadata(p) {
                        Ok(m) if m.is_dir() => std::fs::remove_dir_all(p),
                        _ => std::fs::remove_file(p),
                    };
                }
                std::process::exit(128 + sig);
            }
        });
    if let Err(e) = spawned {
        super::diag!("onrecord: warning: cannot handle SIGINT/SIGTERM ({e})");
    }
}
