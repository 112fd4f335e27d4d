//! Hashed feature ids for each token of a paragraph: every template emits exactly one id per
//! token, so the ids of a paragraph are a flat `n_tokens * N_FEATS` array.

use super::text::{Tok, C_CUE, C_PRON, C_TITLE, K_PUNCT, K_QUOTE, K_WORD};

pub const N_FEATS: usize = 60;

/// Per-template salts, `(k + 1) * golden ratio`, computed once at compile time.
const SALTS: [u64; N_FEATS] = {
    let mut s = [0u64; N_FEATS];
    let mut k = 0;
    while k < N_FEATS {
        s[k] = (k as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        k += 1;
    }
    s
};

/// One multiply (Fibonacci hashing): values are already hashes or small integers, and the
/// top bits of the product depend on all bits of the input.
#[inline]
fn mix(salt: u64, v: u64) -> u64 {
    (v ^ salt).wrapping_mul(0xff51_afd7_ed55_8ccd)
}

#[inline]
fn pair(a: u64, b: u64) -> u64 {
    a.rotate_left(17) ^ b.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

fn bucket_dist(d: usize) -> u64 {
    match d {
        0..=3 => d as u64,
        4..=6 => 4,
        7..=10 => 5,
        11..=20 => 6,
        _ => 7,
    }
}

const NONE_DIST: usize = usize::MAX;

/// Per-paragraph scratch space, reused across paragraphs (no allocation in the hot path).
#[derive(Default)]
pub struct Scratch {
    cue_left: Vec<usize>,
    cue_right: Vec<usize>,
    q_left: Vec<usize>,
    q_right: Vec<usize>,
    sent: Vec<u32>,
    colon_before: Vec<bool>,
    /// Tokens to the last token of the (segmenter's) sentence.
    to_end: Vec<usize>,
    sent_start: Vec<usize>,
    /// Words, classes and shapes padded with 3 sentinels on each side (no bounds branches).
    pw: Vec<u64>,
    pc: Vec<u64>,
    ps: Vec<u64>,
}

const BOS: u64 = 0x0b05;
const EOS: u64 = 0x0e05;

/// Append `toks.len() * N_FEATS` bucket ids (each `< 1 << bits`) to `out`.
pub fn features(toks: &[Tok], bits: u32, sc: &mut Scratch, out: &mut Vec<u32>) {
    out.reserve(toks.len() * N_FEATS);
    for_each_token(toks, bits, sc, |ids| out.extend_from_slice(ids));
}

/// Call `sink` with the bucket ids of each token in turn. At run time the sink sums the
/// weights at once: the table loads of one token overlap the hashing of the next.
#[inline(always)]
pub fn for_each_token(
    toks: &[Tok],
    bits: u32,
    sc: &mut Scratch,
    mut sink: impl FnMut(&[u32; N_FEATS]),
) {
    let n = toks.len();
    sc.cue_left.clear();
    sc.cue_right.clear();
    sc.q_left.clear();
    sc.q_right.clear();
    sc.sent.clear();
    sc.colon_before.clear();
    sc.to_end.clear();
    sc.sent_start.clear();
    let mut sstart = 0usize;
    let is_cue = |t: &Tok| t.kind == K_WORD && t.class & C_CUE != 0;
    let mut last = NONE_DIST;
    let mut lastq = NONE_DIST;
    let mut s = 0u32;
    let mut colon = false;
    let mut n_cues = 0u64;
    for (i, t) in toks.iter().enumerate() {
        if i > 0 && t.sent_start {
            s += 1;
            sstart = i;
        }
        sc.cue_left.push(if last == NONE_DIST {
            NONE_DIST
        } else {
            i - last
        });
        sc.q_left.push(if lastq == NONE_DIST {
            NONE_DIST
        } else {
            i - lastq
        });
        sc.sent.push(s);
        sc.sent_start.push(sstart);
        sc.colon_before.push(colon);
        if is_cue(t) {
            last = i;
            n_cues += 1;
        }
        if t.kind == K_QUOTE && t.quote == 2 {
            lastq = i;
        }
        if t.kind == K_PUNCT && matches!(t.word, 0x3a | 0x2014 | 0x2013 | 0x2015) {
            colon = true;
        }
    }
    sc.cue_right.resize(n, NONE_DIST);
    sc.q_right.resize(n, NONE_DIST);
    sc.to_end.resize(n, 0);
    let mut next = NONE_DIST;
    let mut nextq = NONE_DIST;
    let mut end = n.saturating_sub(1);
    for i in (0..n).rev() {
        if toks.get(i + 1).is_some_and(|t| t.sent_start) {
            end = i;
        }
        sc.to_end[i] = end.saturating_sub(i);
        sc.cue_right[i] = if next == NONE_DIST {
            NONE_DIST
        } else {
            next - i
        };
        sc.q_right[i] = if nextq == NONE_DIST {
            NONE_DIST
        } else {
            nextq - i
        };
        if is_cue(&toks[i]) {
            next = i;
        }
        if toks[i].kind == K_QUOTE && toks[i].quote == 2 {
            nextq = i;
        }
    }
    let starts_quote = n > 0 && toks[0].kind == K_QUOTE;
    let n_cues = n_cues.min(3);
    let shift = 64 - bits;
    for (v, pad) in [(&mut sc.pw, 0u8), (&mut sc.pc, 1), (&mut sc.ps, 2)] {
        v.clear();
        v.extend([BOS; 3]);
        v.extend(toks.iter().map(|t| match pad {
            0 => t.word,
            1 => t.class as u64,
            _ => t.shape as u64,
        }));
        v.extend([EOS; 3]);
    }
    let (pw, pc, ps) = (&sc.pw, &sc.pc, &sc.ps);
    for (i, t) in toks.iter().enumerate() {
        let ii = i + 3;
        let dl = sc.cue_left[i];
        let dr = sc.cue_right[i];
        let bl = if dl == NONE_DIST { 9 } else { bucket_dist(dl) };
        let br = if dr == NONE_DIST { 9 } else { bucket_dist(dr) };
        // Is a sentence boundary between this token and the nearest cue on each side?
        let sl = if dl == NONE_DIST {
            2
        } else {
            (sc.sent[i - dl] != sc.sent[i]) as u64
        };
        let sr = if dr == NONE_DIST {
            2
        } else {
            (sc.sent[i + dr] != sc.sent[i]) as u64
        };
        let ql = if sc.q_left[i] == NONE_DIST {
            9
        } else {
            bucket_dist(sc.q_left[i])
        };
        let qr = if sc.q_right[i] == NONE_DIST {
            9
        } else {
            bucket_dist(sc.q_right[i])
        };
        let q = t.quote as u64;
        let sent_initial = i == 0 || t.sent_start;
        let pos_start = bucket_dist(i);
        let pos_end = bucket_dist(n - 1 - i);
        let te = bucket_dist(sc.to_end[i]);
        let ts = bucket_dist(i - sc.sent_start[i]);
        let cue_word_l = if dl == NONE_DIST {
            BOS
        } else {
            toks[i - dl].stem
        };
        let cue_word_r = if dr == NONE_DIST {
            EOS
        } else {
            toks[i + dr].stem
        };
        let vals: [u64; N_FEATS] = [
            0,
            t.word,
            pw[ii - 1],
            pw[ii + 1],
            pw[ii - 2],
            pw[ii + 2],
            pair(pw[ii - 1], t.word),
            pair(t.word, pw[ii + 1]),
            t.stem,
            t.suf3,
            t.suf2,
            t.pre3,
            t.shape as u64,
            pair(pair(ps[ii - 1], t.shape as u64), ps[ii + 1]),
            pc[ii],
            pc[ii - 1],
            pc[ii + 1],
            pc[ii - 2],
            pc[ii + 2],
            q,
            pair(q, t.shape as u64),
            bl,
            br,
            pair(bl, br),
            pos_start,
            pos_end,
            pair(starts_quote as u64, q),
            pair(sc.colon_before[i] as u64, q),
            pair(pw[ii - 1], t.class as u64),
            pair(sent_initial as u64, t.cap as u64),
            ql,
            qr,
            pair(q, t.word),
            pair(n_cues, q),
            pair(pw[ii - 1], pw[ii + 1]),
            pair(t.class as u64, bl),
            pair(pair(sl, bl), q),
            pair(pair(sr, br), q),
            pair(cue_word_l, bl.min(3)),
            pair(cue_word_r, br.min(3)),
            pair(pair(q, ql), qr),
            pair(
                t.cap as u64,
                (t.class & (C_TITLE | C_PRON)) as u64 + 8 * br.min(3),
            ),
            pair(pair(q, bl), br),
            pair(pair(pc[ii - 1], t.class as u64), pc[ii + 1]),
            pair(t.stem, pw[ii + 1]),
            pair(t.stem, ps[ii - 1]),
            pair(pair(pw[ii - 1], t.word), pw[ii + 1]),
            pair(t.stem, pc[ii - 1] + 1000 * q),
            pair(t.shape as u64, pw[ii + 1]),
            pair(pos_start, t.word),
            pair(t.word, pair(bl.min(4), br.min(4))),
            pair(pw[ii - 3], pw[ii + 3]),
            pair(t.stem, pair(sl, sr)),
            pair(pair(ps[ii - 1], t.word), ps[ii + 1]),
            pair(q, te),
            pair(t.word, te.min(2)),
            pair(pair(te, bl.min(4)), q),
            pair(pair(ts, br.min(4)), q),
            pair(t.word, ts.min(2)),
            pair(pair(ts.min(3), te.min(3)), t.class as u64),
        ];
        let mut ids = [0u32; N_FEATS];
        for (k, id) in ids.iter_mut().enumerate() {
            *id = (mix(SALTS[k], vals[k]) >> shift) as u32;
        }
        sink(&ids);
    }
}
