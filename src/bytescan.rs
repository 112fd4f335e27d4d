//! The first byte of a set in a byte string: the one vector search behind the scanners that
//! stop at a few special bytes (a CSV field that needs quotes, the end of a plain run in a
//! JSON string). memchr looks for at most three exact bytes; these sets have four, or a
//! range.

/// A set of bytes: those of [`ByteSet::BYTES`] and every byte below [`ByteSet::BELOW`].
/// A set is a type so that each search is compiled for its own bytes.
pub(crate) trait ByteSet {
    const BYTES: &'static [u8];
    /// Bytes below this are in the set too (0: none).
    const BELOW: u8 = 0;

    #[inline(always)]
    fn contains(b: u8) -> bool {
        b < Self::BELOW || Self::BYTES.contains(&b)
    }
}

/// Index of the first byte of `s` in `S`.
#[inline]
pub(crate) fn find<S: ByteSet>(s: &[u8]) -> Option<usize> {
    if s.len() < 16 {
        // Short strings (ids, names, numbers): a plain loop beats the set-up of a vector
        // search.
        return s.iter().position(|&b| S::contains(b));
    }
    find_long::<S>(s)
}

/// [`find`] for 16 bytes or more: 32 bytes a step (two compares, one test), then 16, then
/// the last 16 bytes at once, overlapping what was seen. x86-64: SSE2 (part of every x86-64
/// CPU).
#[cfg(target_arch = "x86_64")]
fn find_long<S: ByteSet>(s: &[u8]) -> Option<usize> {
    use core::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128};
    // SAFETY: SSE2 is part of the x86-64 baseline; every load reads the 16 bytes of a
    // `[u8; 16]`.
    unsafe {
        let hits =
            |chunk: &[u8; 16]| -> __m128i { lanes::<S>(_mm_loadu_si128(chunk.as_ptr().cast())) };
        let (blocks, _) = s.as_chunks::<16>();
        let (pairs, odd) = blocks.as_chunks::<2>();
        for (k, [a, b]) in pairs.iter().enumerate() {
            let (a, b) = (hits(a), hits(b));
            if _mm_movemask_epi8(_mm_or_si128(a, b)) != 0 {
                let m = _mm_movemask_epi8(a) as u32 | (_mm_movemask_epi8(b) as u32) << 16;
                return Some(32 * k + m.trailing_zeros() as usize);
            }
        }
        let mut at = 32 * pairs.len();
        if let [block] = odd {
            let m = _mm_movemask_epi8(hits(block)) as u32;
            if m != 0 {
                return Some(at + m.trailing_zeros() as usize);
            }
            at += 16;
        }
        if at < s.len() {
            // The last 16 bytes (`s` has as many); those before `at` were seen already.
            let last = s.len() - 16;
            let m = (_mm_movemask_epi8(hits(s.last_chunk()?)) as u32) >> (at - last);
            if m != 0 {
                return Some(at + m.trailing_zeros() as usize);
            }
        }
        None
    }
}

/// Each byte of `x` in `S` set to 0xFF, the others to 0.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn lanes<S: ByteSet>(x: core::arch::x86_64::__m128i) -> core::arch::x86_64::__m128i {
    use core::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_max_epu8, _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128,
    };
    // SAFETY: SSE2 is part of the x86-64 baseline.
    unsafe {
        let mut hit = _mm_setzero_si128();
        for &b in S::BYTES {
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8(b as i8)));
        }
        if S::BELOW > 0 {
            // x < BELOW (unsigned) iff max(x, BELOW - 1) == BELOW - 1.
            let top = _mm_set1_epi8((S::BELOW - 1) as i8);
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_max_epu8(x, top), top));
        }
        hit
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn find_long<S: ByteSet>(s: &[u8]) -> Option<usize> {
    s.iter().position(|&b| S::contains(b))
}

#[cfg(test)]
mod tests {
    use super::{find, ByteSet};

    /// Four exact bytes (CSV's set).
    struct Four;
    impl ByteSet for Four {
        const BYTES: &'static [u8] = b",\"\r\n";
    }

    /// Two exact bytes and a range (JSON's set).
    struct WithRange;
    impl ByteSet for WithRange {
        const BYTES: &'static [u8] = b"\"\\";
        const BELOW: u8 = 0x20;
    }

    /// A range that reaches into the high bytes, and one high byte.
    struct High;
    impl ByteSet for High {
        const BYTES: &'static [u8] = &[0xff];
        const BELOW: u8 = 0x90;
    }

    fn scalar<S: ByteSet>(s: &[u8]) -> Option<usize> {
        s.iter().position(|&b| S::contains(b))
    }

    /// Every byte value at every offset of strings around the 16- and 32-byte steps, on a
    /// background of bytes outside the set, alone and before a second hit.
    fn agrees_with_scalar<S: ByteSet>(background: u8) {
        assert!(!S::contains(background));
        for len in 0..100 {
            let plain = vec![background; len];
            assert_eq!(find::<S>(&plain), None, "len {len}");
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut s = plain.clone();
                    s[at] = b;
                    assert_eq!(find::<S>(&s), scalar::<S>(&s), "len {len} at {at} byte {b}");
                    if let Some(last) = s.last_mut() {
                        *last = b',';
                    }
                    assert_eq!(find::<S>(&s), scalar::<S>(&s), "len {len} at {at} byte {b}");
                }
            }
        }
    }

    #[test]
    fn finds_what_a_plain_loop_finds_at_every_offset() {
        agrees_with_scalar::<Four>(b'a');
        agrees_with_scalar::<WithRange>(0xe2);
        agrees_with_scalar::<High>(0xa0);
    }

    #[test]
    fn sets_hold_their_bytes_and_range() {
        assert!(Four::contains(b',') && Four::contains(b'\n') && !Four::contains(b'\t'));
        assert!(WithRange::contains(0) && WithRange::contains(0x1f) && WithRange::contains(b'\\'));
        assert!(!WithRange::contains(0x20) && !WithRange::contains(0x7f));
        assert!(High::contains(0x8f) && High::contains(0xff) && !High::contains(0x90));
    }
}
