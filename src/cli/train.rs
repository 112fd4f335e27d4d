//! `onrecord train`: reproduce the shipped attribution tagger from brat gold.

use anyhow::{Context, Result};
use std::path::PathBuf;

/// Train the attribution tagger (averaged structured perceptron over Source/Cue/Content BIO
/// tags) on a brat gold split, choosing the epoch on a dev split. Deterministic: the same
/// inputs, seed and epochs give the same bytes.
///
/// onrecord train --train ../shared/polnear/train --dev ../shared/polnear/dev \
///   --out data/models/attribution-tagger.bin
#[derive(clap::Args)]
pub struct Args {
    /// Training split (text/ and attributions/).
    #[arg(long)]
    pub train: PathBuf,
    /// Development split for choosing the epoch.
    #[arg(long)]
    pub dev: PathBuf,
    /// Where to write the model file.
    #[arg(long)]
    pub out: PathBuf,
    /// Seed for the order of training examples.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Training epochs.
    #[arg(long, default_value_t = 24)]
    pub epochs: usize,
}

pub fn run(args: Args) -> Result<u8> {
    let lexicons = crate::lexicon::Lexicons::embedded();
    let (bytes, report) =
        crate::extract::model::train(&args.train, &args.dev, args.seed, args.epochs, &lexicons)?;
    let f = super::AtomicFile::create(&args.out)?;
    std::fs::write(f.path(), &bytes).with_context(|| format!("writing {}", args.out.display()))?;
    f.commit()?;
    super::diag!("{report}");
    super::diag!(
        "onrecord: wrote {} ({} bytes)",
        args.out.display(),
        bytes.len()
    );
    Ok(super::EXIT_OK)
}
