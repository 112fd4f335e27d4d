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

use crate::lexicon::TaggerCues;
use crate::segment::Segmented;
use anyhow::{bail, Context, Result};
use features::{for_each_token, Scratch, N_FEATS};
use tagger::{Decoder, QWeights, Weights, NT, STRIDE, ZERO_ROW};
use text::{Lexicon, Tok};

const MAGIC: &[u8; 8] = b"ORTAG001";
const DEFAULT_MODEL: &[u8] = include_bytes!("../../../data/models/attribution-tagger.bin");

/// The tagger's weights and the lexicon its features were trained with.
pub struct Model {
    lex: Lexicon,
    w: QWeights,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Model {{ bits: {} }}", self.w.bits)
    }
}

/// Tokens and tags of one document, paragraph by paragraph (tests and timings: the run-time
/// path, [`Model::extract`], holds one paragraph's at a time).
#[cfg(test)]
pub(crate) struct Tagged {
    pub toks: Vec<Tok>,
    pub tags: Vec<u8>,
    /// Token ranges of the paragraphs.
    pub paras: Vec<(usize, usize)>,
}

impl Model {
    /// The model shipped in `data/models/attribution-tagger.bin`, with `cues`: the cue list
    /// it was trained with (model-cues.txt).
    pub fn embedded(cues: &TaggerCues) -> Result<Model> {
        Model::from_bytes(DEFAULT_MODEL, cues).context("data/models/attribution-tagger.bin")
    }

    /// Parse a model file trained with the cue list `cues` (another is refused: the features
    /// would not be those the weights were learned for). Layout (little endian): magic
    /// `ORTAG001`, u32 bits, u64 lexicon hash, f32 scale, NT*NT f32 transitions, NT f32 start weights, u32 row count, then
    /// rows of (u32 bucket, NT x i16 weight / scale), buckets ascending.
    pub fn from_bytes(b: &[u8], cues: &TaggerCues) -> Result<Model> {
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
        let lex = Lexicon::new(cues);
        let lex_hash = r.u64()?;
        if lex_hash != lex.hash {
            bail!(
                "the model was trained with a different model-cues.txt: retrain it \
                 (onrecord train) or use the cue list it was trained with"
            );
        }
        let scale = r.f32()?;
        let mut emit16 = vec![0i16; (1usize << bits) * STRIDE];
        let mut w = QWeights {
            bits,
            scale,
            emit: Vec::new(),
            trans: vec![0.0; NT * NT],
            start: vec![0.0; NT],
        };
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
                emit16[bucket * STRIDE + t] = r.i16()?;
            }
        }
        if r.pos != b.len() {
            bail!(
                "model file has {} trailing bytes (truncated or corrupt)",
                b.len() - r.pos
            );
        }
        let (emit, scale8) = to_i8(&emit16);
        w.emit = emit;
        w.scale *= scale8;
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

    /// Tag a segmented document, paragraph by paragraph.
    #[cfg(test)]
    pub(crate) fn tag(&self, text: &str, seg: &Segmented) -> Tagged {
        let mut toks = Vec::with_capacity(seg.tokens.len());
        let mut paras = Vec::with_capacity(seg.paragraphs.len());
        text::from_segmented(text, seg, &self.lex, &mut toks, &mut paras);
        let mut tags = Vec::with_capacity(toks.len());
        self.with_scratch(|bufs| self.tag_paragraphs(&toks, &paras, bufs, &mut tags));
        Tagged { toks, tags, paras }
    }

    /// Runs `f` with the tagger's scratch space, reused across the documents of a thread
    /// (fewer allocations).
    fn with_scratch(&self, f: impl FnOnce(&mut (Scratch, Decoder, Vec<u8>))) {
        thread_local! {
            static BUFS: std::cell::RefCell<(Scratch, Decoder, Vec<u8>)> = Default::default();
        }
        BUFS.with(|b| match b.try_borrow_mut() {
            Ok(mut b) => f(&mut b),
            // Re-entered on this thread (cannot happen today): fresh buffers.
            Err(_) => f(&mut Default::default()),
        });
    }

    fn tag_paragraphs(
        &self,
        toks: &[Tok],
        paras: &[(usize, usize)],
        bufs: &mut (Scratch, Decoder, Vec<u8>),
        tags: &mut Vec<u8>,
    ) {
        let (sc, dec, ptags) = bufs;
        for &(s, e) in paras {
            dec.clear();
            // One token behind the features: its rows were prefetched a token ago.
            let mut prev: Option<[u32; N_FEATS]> = None;
            for_each_token(&toks[s..e], self.w.bits, sc, |ids| {
                Decoder::prefetch_q(&self.w, ids);
                if let Some(p) = &prev {
                    dec.push_q(&self.w, p);
                }
                prev = Some(*ids);
            });
            if let Some(p) = &prev {
                dec.push_q(&self.w, p);
            }
            dec.finish(&self.w, ptags);
            tags.extend_from_slice(ptags);
        }
    }

    /// Attributions of a segmented text (`seg` must be `crate::segment::segment(text)`),
    /// with byte-offset spans. `source_type` is a placeholder (`Other`, or `None` without
    /// a source); `sentence` is 0; `source_entity` is filled for pronoun and short-name
    /// sources when an antecedent is found.
    pub fn extract(&self, text: &str, seg: &Segmented) -> Vec<crate::extract::Attribution> {
        // Paragraph by paragraph: the model's tokens (64 bytes each) are held for one
        // paragraph at a time, not for the whole document (a 50 MB document has 10 million).
        let mut asm = assemble::Assembler::default();
        let (mut toks, mut windows, mut tags) = (Vec::new(), Vec::new(), Vec::new());
        self.with_scratch(|bufs| {
            for p in &seg.paragraphs {
                toks.clear();
                windows.clear();
                tags.clear();
                text::paragraph_toks(text, seg, p, &self.lex, &mut toks, &mut windows);
                self.tag_paragraphs(&toks, &windows, bufs, &mut tags);
                for &w in &windows {
                    asm.window(text, &toks, &tags, w);
                }
            }
        });
        asm.finish()
    }
}

/// Requantize to 8 bits: half the table, so more of it stays in cache. Measured on dev,
/// the figures match the 16-bit weights (clamping large weights to a finer scale hurts).
/// Each row is packed as in [`QWeights::emit`].
fn to_i8(q: &[i16]) -> (Vec<u64>, f32) {
    let max = q.iter().map(|v| v.unsigned_abs()).max().unwrap_or(1).max(1);
    let s = max as f32 / 127.0;
    let out = q
        .chunks_exact(STRIDE)
        .map(|row| {
            let mut r = ZERO_ROW.to_le_bytes();
            for (x, &v) in r.iter_mut().zip(row) {
                *x = ((v as f32 / s).round().clamp(-127.0, 127.0) as i32 + 128) as u8;
            }
            u64::from_le_bytes(r)
        })
        .collect();
    (out, s)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::test_lexicons;
    use std::path::Path;

    fn roles<'a>(
        text: &'a str,
        a: &crate::extract::Attribution,
    ) -> (Vec<&'a str>, Vec<&'a str>, Vec<&'a str>) {
        let f = |v: &[crate::doc::Span]| v.iter().map(|s| s.slice(text)).collect::<Vec<_>>();
        (f(&a.cue), f(&a.source), f(&a.content))
    }

    #[test]
    fn paragraph_by_paragraph_equals_the_whole_document_at_once() {
        // Multi-paragraph quotes, content waiting for the next paragraph's cue, pronouns
        // resolved to earlier sources, and a paragraph long enough to be tagged in windows.
        let long = "Officials said the plan was sound. ".repeat(300);
        let text = format!(
            "“The talks will go on,\n\n“and we will not give up,” Prime Minister Giorgia Meloni \
             said.\n\nShe said the talks had ended.\n\n“Nothing was agreed.”\n\nA diplomat \
             said.\n\n{long}\n\nThe ministry confirmed it, according to two officials."
        );
        let lex = test_lexicons();
        let m = Model::embedded(lex.tagger_cues()).unwrap();
        let seg = crate::segment::segment(&text, lex.splitter());
        let streamed = m.extract(&text, &seg);
        let whole = assemble::assemble(&text, &m.tag(&text, &seg));
        assert!(streamed.len() > 300, "{}", streamed.len());
        assert_eq!(streamed, whole);
    }

    #[test]
    fn default_model_extracts_a_plain_attribution() {
        // PolNeAR content includes the quotation marks and the comma inside them.
        let m = Model::embedded(test_lexicons().tagger_cues()).unwrap();
        let text = "The mayor will visit on Monday.\n\n“We will not raise taxes,” Mayor Anne Smith said on Tuesday.\n\nShe said the budget was balanced.";
        let atts = m.extract(
            text,
            &crate::segment::segment(text, test_lexicons().splitter()),
        );
        let said: Vec<_> = atts.iter().map(|a| roles(text, a)).collect();
        assert!(
            said.iter().any(|(c, s, k)| c == &["said"]
                && s == &["Mayor Anne Smith"]
                && k == &["“We will not raise taxes,”"]),
            "{said:?}"
        );
        let she = atts
            .iter()
            .find(|a| roles(text, a).1 == ["She"])
            .expect("pronoun source");
        assert_eq!(roles(text, she).2, ["the budget was balanced"]);
        assert_eq!(she.source_entity.as_deref(), Some("Mayor Anne Smith"));
    }

    #[test]
    fn content_ends_lose_final_punctuation_outside_quotes() {
        let text = "Poll: Voters Abandon Party.\n“We won.” he said";
        let att = |s: usize, e: usize| crate::extract::Attribution {
            cue: vec![],
            source: vec![],
            content: vec![crate::doc::Span::new(s, e)],
            source_type: crate::extract::SourceType::None,
            source_entity: None,
            anonymity: None,
            confirmation: false,
            sentence: 0,
        };
        let quote = text.find('“').unwrap();
        let end_quote = text.find('”').unwrap() + '”'.len_utf8();
        let out = crate::extract::trim_content_ends(vec![att(6, 27), att(quote, end_quote)], text);
        assert_eq!(out[0].content[0].slice(text), "Voters Abandon Party");
        assert_eq!(out[1].content[0].slice(text), "“We won.”");
    }

    #[test]
    fn bad_model_bytes_are_errors_not_panics() {
        let cues = test_lexicons().tagger_cues();
        assert!(Model::from_bytes(b"", cues).is_err());
        assert!(Model::from_bytes(b"ORTAG001\x12\x00", cues).is_err());
        let good = DEFAULT_MODEL;
        assert!(Model::from_bytes(&good[..good.len() - 3], cues).is_err());
        assert!(Model::from_bytes(&[good, &[0u8][..]].concat(), cues).is_err());
    }

    #[test]
    fn a_model_refuses_another_cue_list() {
        let other = TaggerCues::parse("m.txt", "verb\tsay\n").unwrap();
        let e = Model::from_bytes(DEFAULT_MODEL, &other).unwrap_err();
        assert!(e.to_string().contains("retrain"), "{e}");
    }

    fn write_split(dir: &Path, docs: &[(&str, &str, &str)]) {
        std::fs::create_dir_all(dir.join("text")).unwrap();
        std::fs::create_dir_all(dir.join("attributions")).unwrap();
        for (id, text, ann) in docs {
            std::fs::write(dir.join("text").join(format!("{id}.txt")), text).unwrap();
            std::fs::write(dir.join("attributions").join(format!("{id}_a.ann")), ann).unwrap();
        }
    }

    #[test]
    fn training_is_deterministic_and_learns_a_tiny_corpus() {
        let tmp = tempfile::tempdir().unwrap();
        let names = ["Alice Brown", "Bob Green", "Carol White", "Dan Black"];
        let mut docs = Vec::new();
        for (i, n) in names.iter().enumerate() {
            // "<Name> said the plan works."
            let text = format!("{n} said the plan works.\nNothing else happened today.");
            let l = n.chars().count();
            let ann = format!(
                "T1\tSource 0 {l}\t{n}\nT2\tCue {} {}\tsaid\nT3\tContent {} {}\tthe plan works\nT4\tAttribution {} {}\tsaid\nE1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n",
                l + 1,
                l + 5,
                l + 6,
                l + 20,
                l + 1,
                l + 5
            );
            docs.push((format!("d{i}"), text, ann));
        }
        let docs: Vec<(&str, &str, &str)> = docs
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        write_split(&tmp.path().join("train"), &docs[..3]);
        write_split(&tmp.path().join("dev"), &docs[3..]);
        let (a, report) = train(
            &tmp.path().join("train"),
            &tmp.path().join("dev"),
            3,
            4,
            test_lexicons(),
        )
        .unwrap();
        let (b, _) = train(
            &tmp.path().join("train"),
            &tmp.path().join("dev"),
            3,
            4,
            test_lexicons(),
        )
        .unwrap();
        assert_eq!(a, b, "same seed, same bytes");
        assert!(report.contains("chose epoch"), "{report}");
        let m = Model::from_bytes(&a, test_lexicons().tagger_cues()).unwrap();
        let text = "Dan Black said the plan works.";
        let atts = m.extract(
            text,
            &crate::segment::segment(text, test_lexicons().splitter()),
        );
        assert_eq!(atts.len(), 1, "{atts:?}");
        assert_eq!(
            roles(text, &atts[0]),
            (vec!["said"], vec!["Dan Black"], vec!["the plan works"])
        );
    }
}
