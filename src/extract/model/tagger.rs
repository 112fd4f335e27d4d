//! BIO tags over Source / Cue / Content, linear scores over hashed features, constrained
//! first-order Viterbi (an I- tag only after B- or I- of the same role).

use super::features::N_FEATS;

pub const NT: usize = 7;
/// Weight row stride: 8 floats, so one feature's row is one aligned 32-byte block.
pub const STRIDE: usize = 8;
/// Role of a tag: 0 none, 1 source, 2 cue, 3 content.
pub fn role(tag: u8) -> u8 {
    tag.div_ceil(2)
}
pub fn is_begin(tag: u8) -> bool {
    tag != 0 && tag % 2 == 1
}
pub fn begin(role: u8) -> u8 {
    role * 2 - 1
}
pub fn inside(role: u8) -> u8 {
    role * 2
}

#[inline]
pub fn allowed(prev: Option<u8>, cur: u8) -> bool {
    if cur == 0 || cur % 2 == 1 {
        return true;
    }
    matches!(prev, Some(p) if p == cur || p + 1 == cur)
}

/// Dense weights: `emit[bucket * STRIDE + tag]`, `trans[prev * NT + cur]`, `start[tag]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    pub bits: u32,
    pub emit: Vec<f32>,
    pub trans: Vec<f32>,
    pub start: Vec<f32>,
}

impl Weights {
    pub fn zeros(bits: u32) -> Weights {
        Weights {
            bits,
            emit: vec![0.0; (1usize << bits) * STRIDE],
            trans: vec![0.0; NT * NT],
            start: vec![0.0; NT],
        }
    }
}

/// Run-time weights: `(byte t of emit[bucket] - 128) * scale` is the weight of tag `t`.
/// The eight tags of a bucket are one u64 of biased bytes (lane 7 is padding), so a token's
/// sum over its features is plain u64 arithmetic (see [`Decoder::push_q`]).
#[derive(Clone, Debug, PartialEq)]
pub struct QWeights {
    pub bits: u32,
    pub scale: f32,
    pub emit: Vec<u64>,
    pub trans: Vec<f32>,
    pub start: Vec<f32>,
}

/// A bucket whose weights are all zero, in the biased form of [`QWeights::emit`].
pub const ZERO_ROW: u64 = 0x8080_8080_8080_8080;
#[cfg(not(target_arch = "x86_64"))]
const LANES: u64 = 0x00ff_00ff_00ff_00ff;
// The biased 8-bit weights of a token's features sum in u16 lanes without overflow.
const _: () = assert!(N_FEATS * 255 <= u16::MAX as usize && N_FEATS.is_multiple_of(2));

/// Per tag, the sum of the biased bytes of the rows `emit[f & mask]` of a token's features.
/// x86-64: each row widened to eight u16 lanes (SSE2, part of every x86-64 CPU), three
/// instructions a row; elsewhere the same sums in u16 lanes of u64 words (SWAR).
#[inline(always)]
fn sum_rows(emit: &[u64], mask: usize, fs: &[u32; N_FEATS]) -> [u16; 8] {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{
            __m128i, _mm_add_epi16, _mm_loadl_epi64, _mm_set1_epi8, _mm_setzero_si128,
            _mm_storeu_si128, _mm_unpacklo_epi8,
        };
        // SAFETY: SSE2 is part of the x86-64 baseline; every load reads the eight bytes of
        // one element of `emit` (a reference from `get`), and the store writes 16 bytes
        // into a 16-byte array.
        unsafe {
            let zero = _mm_setzero_si128();
            let load = |f: u32| -> __m128i {
                match emit.get(f as usize & mask) {
                    Some(row) => _mm_loadl_epi64((row as *const u64).cast::<__m128i>()),
                    None => _mm_set1_epi8(0x80u8 as i8),
                }
            };
            let (mut a0, mut a1) = (zero, zero);
            for pair in fs.chunks_exact(2) {
                a0 = _mm_add_epi16(a0, _mm_unpacklo_epi8(load(pair[0]), zero));
                a1 = _mm_add_epi16(a1, _mm_unpacklo_epi8(load(pair[1]), zero));
            }
            let mut out = [0u16; 8];
            _mm_storeu_si128(out.as_mut_ptr().cast::<__m128i>(), _mm_add_epi16(a0, a1));
            out
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        // Even and odd bytes summed in u16 lanes, two independent chains each.
        let (mut e0, mut o0, mut e1, mut o1) = (0u64, 0u64, 0u64, 0u64);
        for pair in fs.chunks_exact(2) {
            let a = emit
                .get(pair[0] as usize & mask)
                .copied()
                .unwrap_or(ZERO_ROW);
            let b = emit
                .get(pair[1] as usize & mask)
                .copied()
                .unwrap_or(ZERO_ROW);
            e0 += a & LANES;
            o0 += (a >> 8) & LANES;
            e1 += b & LANES;
            o1 += (b >> 8) & LANES;
        }
        let (even, odd) = (e0 + e1, o0 + o1);
        let mut out = [0u16; 8];
        for (t, o) in out.iter_mut().enumerate() {
            let lanes = if t % 2 == 0 { even } else { odd };
            *o = ((lanes >> (16 * (t / 2))) & 0xffff) as u16;
        }
        out
    }
}

/// For each tag `c` (eight lanes, the last padding), the best `prev[p] + tr[p][c]` over `p` in
/// order, keeping the first strictly better one, and that `p`.
#[inline(always)]
fn best_predecessors(prev: &[f32; NT], tr: &[[f32; 8]; NT]) -> ([f32; 8], [i32; 8]) {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{
            __m128, __m128i, _mm_add_ps, _mm_and_ps, _mm_and_si128, _mm_andnot_ps,
            _mm_andnot_si128, _mm_castps_si128, _mm_cmpgt_ps, _mm_loadu_ps, _mm_or_ps,
            _mm_or_si128, _mm_set1_epi32, _mm_set1_ps, _mm_setzero_si128, _mm_storeu_ps,
            _mm_storeu_si128,
        };
        // SAFETY: SSE2 is part of the x86-64 baseline; the loads read 4 floats at offsets 0
        // and 4 of 8-float rows, and the stores write 4 lanes at offsets 0 and 4 of 8-lane
        // arrays.
        unsafe {
            let mut best = [_mm_set1_ps(f32::NEG_INFINITY); 2];
            let mut arg = [_mm_setzero_si128(); 2];
            for (p, row) in tr.iter().enumerate() {
                let pv = _mm_set1_ps(prev[p]);
                let pi = _mm_set1_epi32(p as i32);
                for h in 0..2 {
                    let v: __m128 = _mm_add_ps(pv, _mm_loadu_ps(row.as_ptr().add(4 * h)));
                    let m = _mm_cmpgt_ps(v, best[h]);
                    best[h] = _mm_or_ps(_mm_and_ps(m, v), _mm_andnot_ps(m, best[h]));
                    let mi: __m128i = _mm_castps_si128(m);
                    arg[h] = _mm_or_si128(_mm_and_si128(mi, pi), _mm_andnot_si128(mi, arg[h]));
                }
            }
            let mut b = [0f32; 8];
            let mut a = [0i32; 8];
            for h in 0..2 {
                _mm_storeu_ps(b.as_mut_ptr().add(4 * h), best[h]);
                _mm_storeu_si128(a.as_mut_ptr().add(4 * h).cast::<__m128i>(), arg[h]);
            }
            (b, a)
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut best = [f32::NEG_INFINITY; 8];
        let mut arg = [0i32; 8];
        for (p, row) in tr.iter().enumerate() {
            for c in 0..8 {
                let v = prev[p] + row[c];
                if v > best[c] {
                    best[c] = v;
                    arg[c] = p as i32;
                }
            }
        }
        (best, arg)
    }
}

/// Reusable buffers for decoding.
#[derive(Default)]
pub struct Decoder {
    emis: Vec<[f32; NT]>,
    score: Vec<[f32; NT]>,
    back: Vec<[u8; NT]>,
}

impl Decoder {
    /// Best tag sequence for a paragraph's feature ids (`feats.len() == n * N_FEATS`).
    pub fn decode(&mut self, w: &Weights, feats: &[u32], tags: &mut Vec<u8>) {
        self.emis.clear();
        for fs in feats.chunks_exact(N_FEATS) {
            let mut e = [0f32; STRIDE];
            for &b in fs {
                let row = &w.emit[b as usize * STRIDE..b as usize * STRIDE + STRIDE];
                for t in 0..STRIDE {
                    e[t] += row[t];
                }
            }
            let mut x = [0f32; NT];
            x.copy_from_slice(&e[..NT]);
            self.emis.push(x);
        }
        self.viterbi(&w.trans, &w.start, tags);
    }

    /// Add the emission scores of one token from its feature ids (quantized weights).
    /// Not inlined: in the caller's large loop body the accumulators were spilled to the
    /// stack, a store-to-load chain on every feature.
    #[inline(never)]
    pub fn push_q(&mut self, w: &QWeights, fs: &[u32; N_FEATS]) {
        // `emit` has exactly 2^bits rows (see `Model::from_bytes`): masking the ids lets the
        // compiler drop the bounds checks, and ids are below 2^bits anyway.
        let mask = w.emit.len().next_power_of_two().wrapping_sub(1);
        let emit = &w.emit[..(mask + 1).min(w.emit.len())];
        let bias = (N_FEATS * 128) as i32;
        let sums = sum_rows(emit, mask, fs);
        let mut x = [0f32; NT];
        for (xt, &sum) in x.iter_mut().zip(&sums) {
            *xt = (sum as i32 - bias) as f32 * w.scale;
        }
        self.emis.push(x);
    }

    /// Ask the CPU to bring in the rows of a token's features ahead of [`Decoder::push_q`]:
    /// the table does not fit the L2 cache and the sum would otherwise wait on each load.
    #[inline(always)]
    pub fn prefetch_q(w: &QWeights, fs: &[u32; N_FEATS]) {
        #[cfg(target_arch = "x86_64")]
        for &b in fs {
            if let Some(row) = w.emit.get(b as usize) {
                // SAFETY: a prefetch never faults and does not change memory; the pointer
                // comes from a reference into `emit`.
                unsafe {
                    core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
                        (row as *const u64).cast::<i8>(),
                    )
                };
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (w, fs);
    }

    /// Start a paragraph for [`Decoder::push_q`].
    pub fn clear(&mut self) {
        self.emis.clear();
    }

    /// Best tag sequence for the tokens pushed since [`Decoder::clear`].
    pub fn finish(&mut self, w: &QWeights, tags: &mut Vec<u8>) {
        self.viterbi(&w.trans, &w.start, tags);
    }

    fn viterbi(&mut self, trans: &[f32], start: &[f32], tags: &mut Vec<u8>) {
        let n = self.emis.len();
        tags.clear();
        if n == 0 {
            return;
        }
        self.score.clear();
        self.back.clear();
        let mut s0 = [f32::NEG_INFINITY; NT];
        for (t, s) in s0.iter_mut().enumerate() {
            if allowed(None, t as u8) {
                *s = start[t] + self.emis[0][t];
            }
        }
        self.score.push(s0);
        self.back.push([0; NT]);
        // Disallowed transitions get -inf once, so the inner loop has no branches on them.
        // Eight lanes (the seventh tag padded) so that each step is a few vector operations:
        // for every previous tag in order, a lane keeps the first strictly better score, as a
        // scalar scan would; -inf candidates (disallowed) never win.
        let mut tr = [[f32::NEG_INFINITY; 8]; NT];
        for p in 0..NT {
            for c in 0..NT {
                if allowed(Some(p as u8), c as u8) {
                    tr[p][c] = trans[p * NT + c];
                }
            }
        }
        for i in 1..n {
            let prev = self.score[i - 1];
            let (best, arg) = best_predecessors(&prev, &tr);
            let mut cur = [f32::NEG_INFINITY; NT];
            let mut bk = [0u8; NT];
            for c in 0..NT {
                cur[c] = best[c] + self.emis[i][c];
                bk[c] = arg[c] as u8;
            }
            self.score.push(cur);
            self.back.push(bk);
        }
        let last = &self.score[n - 1];
        let mut bt = 0u8;
        for t in 1..NT {
            if last[t] > last[bt as usize] {
                bt = t as u8;
            }
        }
        tags.resize(n, 0);
        tags[n - 1] = bt;
        for i in (1..n).rev() {
            bt = self.back[i][bt as usize];
            tags[i - 1] = bt;
        }
    }
}

/// Averaged perceptron with lazy averaging: `avg = w - acc / c`.
pub struct Trainer {
    pub w: Weights,
    acc_emit: Vec<f64>,
    acc_trans: Vec<f64>,
    acc_start: Vec<f64>,
    pub c: f64,
}

impl Trainer {
    pub fn new(bits: u32) -> Trainer {
        let w = Weights::zeros(bits);
        Trainer {
            acc_emit: vec![0.0; w.emit.len()],
            acc_trans: vec![0.0; NT * NT],
            acc_start: vec![0.0; NT],
            w,
            c: 1.0,
        }
    }

    /// One perceptron step on a paragraph; returns whether the prediction was wrong.
    pub fn update(&mut self, feats: &[u32], gold: &[u8], pred: &[u8]) -> bool {
        let c = self.c;
        let mut wrong = false;
        for i in 0..gold.len() {
            let (g, p) = (gold[i] as usize, pred[i] as usize);
            if g != p {
                wrong = true;
                for &b in &feats[i * N_FEATS..(i + 1) * N_FEATS] {
                    let k = b as usize * STRIDE;
                    self.w.emit[k + g] += 1.0;
                    self.acc_emit[k + g] += c;
                    self.w.emit[k + p] -= 1.0;
                    self.acc_emit[k + p] -= c;
                }
            }
            let gp = if i == 0 {
                None
            } else {
                Some(gold[i - 1] as usize)
            };
            let pp = if i == 0 {
                None
            } else {
                Some(pred[i - 1] as usize)
            };
            if g != p || gp != pp {
                match (gp, pp) {
                    (None, None) => {
                        self.w.start[g] += 1.0;
                        self.acc_start[g] += c;
                        self.w.start[p] -= 1.0;
                        self.acc_start[p] -= c;
                    }
                    (Some(a), Some(b)) => {
                        self.w.trans[a * NT + g] += 1.0;
                        self.acc_trans[a * NT + g] += c;
                        self.w.trans[b * NT + p] -= 1.0;
                        self.acc_trans[b * NT + p] -= c;
                    }
                    _ => {}
                }
            }
        }
        self.c += 1.0;
        wrong
    }

    pub fn averaged(&self) -> Weights {
        let c = self.c;
        let avg = |w: &[f32], a: &[f64]| -> Vec<f32> {
            w.iter()
                .zip(a)
                .map(|(&w, &a)| (w as f64 - a / c) as f32)
                .collect()
        };
        Weights {
            bits: self.w.bits,
            emit: avg(&self.w.emit, &self.acc_emit),
            trans: avg(&self.w.trans, &self.acc_trans),
            start: avg(&self.w.start, &self.acc_start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), enough for varied test data.
    fn rng(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn row_sums_match_byte_by_byte_sums() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        let emit: Vec<u64> = (0..256).map(|_| rng(&mut seed)).collect();
        for _ in 0..200 {
            let mut fs = [0u32; N_FEATS];
            for f in fs.iter_mut() {
                *f = (rng(&mut seed) % 256) as u32;
            }
            let mut want = [0u16; 8];
            for &f in &fs {
                for (t, w) in want.iter_mut().enumerate() {
                    *w += u16::from(emit[f as usize].to_le_bytes()[t]);
                }
            }
            assert_eq!(sum_rows(&emit, 255, &fs), want);
        }
    }

    #[test]
    fn best_predecessors_match_a_scalar_scan() {
        let mut seed = 0x2545_f491_4f6c_dd1d;
        // Few distinct values, so that ties and -inf occur often.
        let val = |seed: &mut u64| match rng(seed) % 6 {
            0 => f32::NEG_INFINITY,
            k => k as f32 * 0.5 - 1.0,
        };
        for _ in 0..500 {
            let mut prev = [0f32; NT];
            let mut tr = [[f32::NEG_INFINITY; 8]; NT];
            for (p, row) in prev.iter_mut().zip(tr.iter_mut()) {
                *p = val(&mut seed);
                for x in row.iter_mut().take(NT) {
                    *x = val(&mut seed);
                }
            }
            let (best, arg) = best_predecessors(&prev, &tr);
            for c in 0..NT {
                // The first strictly better candidate wins, from -inf and tag 0.
                let (mut b, mut a) = (f32::NEG_INFINITY, 0);
                for p in 0..NT {
                    if prev[p] + tr[p][c] > b {
                        b = prev[p] + tr[p][c];
                        a = p as i32;
                    }
                }
                assert_eq!((best[c].to_bits(), arg[c]), (b.to_bits(), a), "tag {c}");
            }
        }
    }
}
