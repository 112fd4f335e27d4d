//! The command line: one module per subcommand, its help text beside it.
//!
//! `main` returns an exit code from `run() -> Result`; a closed pipe (`onrecord extract | head`)
//! ends the run quietly.

pub mod eval;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    Eval(eval::Args),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { EXIT_OK });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::from(EXIT_OK);
            }
            eprintln!("onrecord: error: {err:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Eval(a) => eval::run(a),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
