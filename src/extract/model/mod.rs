//! A learned sequence tagger for attributions (Source / Cue / Content) in news.
//!
//! Trained on PolNeAR with an averaged structured perceptron over hashed features and
//! decoded with constrained BIO Viterbi, one paragraph (line) at a time; tagged spans are
//! then assembled into attributions by attachment rules measured on the train split
//! (see [`assemble`]). The model file is a compact binary (see [`Model::to_bytes`]).

mod assemble;
mod features;
mod tagger;
mod text;
mod train;

pub use train::{predict_jsonl, train};

use anyhow::{bail, Context, Result};
use features::{features, Scratch};
use std::sync::OnceLock;
use tagger::{Decoder, Weights, NT, STRIDE};
use text::{tokenize, Lexicon, Tok};

const MAGIC: &[u8; 8] = b"ORTAG001";
const DEFAULT_MODEL: &[u8] = include_bytes!("../../../data/models/attribution-tagger.bin");

/// The tagger's weights and the lexicon its features were trained with.
pub struct Model {
    lex: Lexicon,
    w: Weights,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Model {{ bits: {} }}", self.w.bits)
    }
}

/// Tokens and tags of one document, paragraph by paragraph.
pub(crate) struct Tagged {
    pub toks: Vec<Tok>,
    pub tags: Vec<u8>,
    /// Token ranges of the paragraphs.
    pub paras: Vec<(usize, usize)>,
}

impl Model {
    /// The model shipped in `data/models/attribution-tagger.bin`, parsed once.
    pub fn load_default() -> Result<&'static Model> {
        static M: OnceLock<std::result::Result<Model, String>> = OnceLock::new();
        M.get_or_init(|| {
            Model::from_bytes(DEFAULT_MODEL)
                .map_err(|e| format!("data/models/attribution-tagger.bin: {e:#}; retrain it (see src/extract/model/train.rs)"))
        })
        .as_ref()
        .map_err(|e| anyhow::anyhow!("{e}"))
    }

    fn lexicon() -> Result<Lexicon> {
        Lexicon::parse(text::LEXICON_TEXT, "data/lexicons/model-cues.txt")
    }

    /// Parse a model file. Layout (little endian): magic `ORTAG001`, u32 bits, u64 lexicon
    /// hash, f32 scale, NT*NT f32 transitions, NT f32 start weights, u32 row count, then
    /// rows of (u32 bucket, NT x i16 weight / scale), buckets ascending.
    pub fn from_bytes(b: &[u8]) -> Result<Model> {
        let mut r = Reader { b, pos: 0 };
        if r.take(8)? != MAGIC {
            bail!(
                "not an attribution-tagger model (bad magic; expected {:?})",
                std::str::from_utf8(MAGIC).unwrap_or("")
            );
        }
        let bits = r.u32()?;
        if !(10..=24).contains(&bits) {
            bail!("model header: feature bits {bits} out of range 10..=24");
        }
        let lex = Model::lexicon()?;
        let lex_hash = r.u64()?;
        if lex_hash != lex.hash {
            bail!("model was trained with a different data/lexicons/model-cues.txt; retrain the model");
        }
        let scale = r.f32()?;
        let mut w = Weights::zeros(bits);
        for x in w.trans.iter_mut() {
            *x = r.f32()?;
        }
        for x in w.start.iter_mut() {
            *x = r.f32()?;
        }
        let rows = r.u32()? as usize;
        let n_buckets = 1usize << bits;
        for i in 0..rows {
            let bucket = r.u32()? as usize;
            if bucket >= n_buckets {
                bail!("model row {i}: bucket {bucket} >= {n_buckets}");
            }
            for t in 0..NT {
                w.emit[bucket * STRIDE + t] = r.i16()? as f32 * scale;
            }
        }
        if r.pos != b.len() {
            bail!(
                "model file has {} trailing bytes (truncated or corrupt)",
                b.len() - r.pos
            );
        }
        Ok(Model { lex, w })
    }

    /// Serialize, dropping rows whose weights all quantize to zero (or below `prune`).
    pub(crate) fn to_bytes(w: &Weights, lex_hash: u64, prune: f32) -> Vec<u8> {
        let max = w.emit.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-9);
        let scale = max / 32767.0;
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&w.bits.to_le_bytes());
        out.extend_from_slice(&lex_hash.to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for x in w.trans.iter().chain(&w.start) {
            out.extend_from_slice(&x.to_le_bytes());
        }
        let mut rows = Vec::new();
        for (bucket, row) in w.emit.chunks_exact(STRIDE).enumerate() {
            let q: Vec<i16> = row[..NT]
                .iter()
                .map(|&x| {
                    if x.abs() < prune {
                        0
                    } else {
                        (x / scale).round().clamp(-32767.0, 32767.0) as i16
                    }
                })
                .collect();
            if q.iter().any(|&v| v != 0) {
                rows.push((bucket as u32, q));
            }
        }
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (bucket, q) in rows {
            out.extend_from_slice(&bucket.to_le_bytes());
            for v in q {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    pub(crate) fn from_parts(w: Weights) -> Result<Model> {
        Ok(Model {
            lex: Model::lexicon()?,
            w,
        })
    }

    /// Tokenize and tag a document, paragraph by paragraph.
    pub(crate) fn tag(&self, text: &str) -> Tagged {
        let mut toks = Vec::with_capacity(text.len() / 5);
        let mut paras = Vec::new();
        for (base, line) in text::paragraphs(text) {
            let s = toks.len();
            tokenize(line, base, &self.lex, &mut toks);
            if toks.len() > s {
                paras.push((s, toks.len()));
            }
        }
        let mut tags = Vec::with_capacity(toks.len());
        let mut sc = Scratch::default();
        let mut dec = Decoder::default();
        let mut feats = Vec::new();
        let mut ptags = Vec::new();
        for &(s, e) in &paras {
            feats.clear();
            features(&toks[s..e], self.w.bits, &mut sc, &mut feats);
            dec.decode(&self.w, &feats, &mut ptags);
            tags.extend_from_slice(&ptags);
        }
        Tagged { toks, tags, paras }
    }

    /// Attributions of a text, with byte-offset spans. `source_type` is a placeholder
    /// (`Other`, or `None` without a source); `sentence` is 0; `source_entity` is filled
    /// for pronoun and short-name sources when an antecedent is found.
    pub fn extract(&self, text: &str) -> Vec<crate::extract::Attribution> {
        let tagged = self.tag(text);
        assemble::assemble(text, &tagged)
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.b.len());
        let end = end.with_context(|| {
            format!(
                "model file truncated at byte {} (wanted {n} more)",
                self.pos
            )
        })?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn arr<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.arr()?))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.arr()?))
    }
    fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_le_bytes(self.arr()?))
    }
    fn i16(&mut self) -> Result<i16> {
        Ok(i16::from_le_bytes(self.arr()?))
    }
}
