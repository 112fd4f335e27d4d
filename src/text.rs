//! Offsets: byte offsets inside, Unicode code points outside.

/// Maps UTF-8 byte offsets of one text to code-point offsets (what Python, R and brat count).
///
/// For non-ASCII text it keeps, per block of 64 bytes, the code points before the block and a
/// bitmap of its continuation bytes: 12 bytes a block instead of 4 a byte, built 16 bytes at
/// a time (SSE2 on x86-64, 8 at a time elsewhere).
pub struct CharIndex {
    /// `None` when the text is ASCII: byte and code-point offsets coincide.
    blocks: Option<Vec<Block>>,
    len: usize,
}

#[derive(Clone, Copy)]
struct Block {
    /// Code points that start before the block.
    before: u32,
    /// Bit k set: byte k of the block is a UTF-8 continuation byte.
    cont: u64,
}

/// One bit per byte of `w` (8 bytes, little endian): set for continuation bytes (10xxxxxx).
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline]
fn continuation_bits(w: u64) -> u64 {
    // Bit 7 set and bit 6 clear, at bit 7 of each byte; then the eight flags gathered into
    // the low byte.
    let m = (w & !(w << 1) & 0x8080_8080_8080_8080) >> 7;
    (m.wrapping_mul(0x0102_0408_1020_4080) >> 56) & 0xff
}

/// One bit per byte of a 64-byte block: set for continuation bytes (10xxxxxx).
#[inline]
fn continuation_mask(block: &[u8; 64]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{
            __m128i, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        // Continuation bytes are 0x80..=0xBF, as signed bytes -128..=-65: those below -64.
        // SAFETY: SSE2 is part of the x86-64 baseline; each load reads 16 bytes of the
        // 64-byte block.
        unsafe {
            let limit = _mm_set1_epi8(-64);
            let mut mask = 0u64;
            for (k, part) in block.chunks_exact(16).enumerate() {
                let v = _mm_loadu_si128(part.as_ptr().cast::<__m128i>());
                let bits = _mm_movemask_epi8(_mm_cmplt_epi8(v, limit)) as u32 & 0xffff;
                mask |= u64::from(bits) << (16 * k);
            }
            mask
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut mask = 0u64;
        for (k, w) in block.chunks_exact(8).enumerate() {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            mask |= continuation_bits(u64::from_le_bytes(b)) << (8 * k);
        }
        mask
    }
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex {
                blocks: None,
                len: text.len(),
            };
        }
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / 64 + 1);
        let mut before = 0u32;
        let mut chunks = bytes.chunks_exact(64);
        for chunk in &mut chunks {
            let cont = chunk.try_into().map_or(0, continuation_mask);
            blocks.push(Block { before, cont });
            before += 64 - cont.count_ones();
        }
        // The last, partial block, padded with zeros (not continuation bytes).
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut padded = [0u8; 64];
            padded[..rest.len()].copy_from_slice(rest);
            let cont = continuation_mask(&padded);
            blocks.push(Block { before, cont });
            before += rest.len() as u32 - cont.count_ones();
        }
        // The block of the end offset when the length is a multiple of 64.
        if bytes.len().is_multiple_of(64) {
            blocks.push(Block { before, cont: 0 });
        }
        CharIndex {
            blocks: Some(blocks),
            len: text.len(),
        }
    }

    /// Code-point offset of a byte offset that lies on a char boundary (offsets past the end
    /// count as the end).
    pub fn char_of(&self, byte: usize) -> usize {
        let byte = byte.min(self.len);
        match &self.blocks {
            None => byte,
            Some(blocks) => {
                let Some(b) = blocks.get(byte / 64) else {
                    return byte;
                };
                let off = byte % 64;
                let cont = (b.cont & ((1u64 << off) - 1)).count_ones() as usize;
                b.before as usize + off - cont
            }
        }
    }

    pub fn span(&self, span: crate::doc::Span) -> [usize; 2] {
        [self.char_of(span.start), self.char_of(span.end)]
    }
}

/// Byte offset of each code-point offset (inverse of [`CharIndex`]), for reading gold files.
pub fn byte_offsets_of_chars(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Span;

    #[test]
    fn continuation_masks_agree_with_the_byte_test() {
        let mut x = 7u64;
        for _ in 0..2000 {
            let mut block = [0u8; 64];
            for b in block.iter_mut() {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *b = (x >> 56) as u8;
            }
            let want = block
                .iter()
                .enumerate()
                .filter(|(_, &b)| b & 0xc0 == 0x80)
                .fold(0u64, |m, (k, _)| m | 1 << k);
            assert_eq!(continuation_mask(&block), want);
            let swar = block.chunks_exact(8).enumerate().fold(0u64, |m, (k, w)| {
                let mut b = [0u8; 8];
                b.copy_from_slice(w);
                m | continuation_bits(u64::from_le_bytes(b)) << (8 * k)
            });
            assert_eq!(swar, want);
        }
    }

    #[test]
    fn char_offsets_with_accents_quotes_and_emoji() {
        let text = "Café “yes” 🎉 said Zoë.";
        let ci = CharIndex::new(text);
        let start = text.find("said").unwrap();
        let [s, e] = ci.span(Span::new(start, start + 4));
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[s..e].iter().collect::<String>(), "said");
        let b = byte_offsets_of_chars(text);
        assert_eq!(b[s], start);
    }

    #[test]
    fn char_offsets_agree_with_counting_at_every_boundary() {
        // Lengths around the 64-byte blocks, with 2-, 3- and 4-byte chars at block edges.
        for n in [0, 1, 63, 64, 65, 127, 128, 129, 300] {
            for filler in ["é", "“", "🎉", "a"] {
                let text: String = (0..n)
                    .map(|i| if i % 7 == 3 { filler } else { "x" })
                    .collect();
                let ci = CharIndex::new(&text);
                for (b, _) in text.char_indices().chain([(text.len(), ' ')]) {
                    assert_eq!(ci.char_of(b), text[..b].chars().count(), "{n} {filler} {b}");
                }
            }
        }
    }
}
