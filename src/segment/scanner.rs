//! The scanner: tokens and line breaks in one pass over the bytes. Runs of ASCII words,
//! spaces and plain punctuation come from bit masks of 64-byte blocks (SSE2, or AVX2 where
//! the CPU has it); straight quotes, non-ASCII chars and line breaks take the general path,
//! char by char. It decides no rule itself: quotes go to [`super::quotes`], paragraphs
//! to [`super::sentences`], wrapped lines to [`super::wrap`], word chars follow
//! [`super::chars`].

use super::chars::{
    ascii_class, byte_table, char_at, class_of, is_terminator, scan_word, ASCII_CLASS, C_BREAK,
    C_OTHER, C_SPACE, C_WORD,
};
use super::lex::Lexicon;
use super::quotes::{push_punct, QuoteState};
use super::sentences::finish_paragraph;
use super::wrap::SoftBreaks;
use super::{Segmented, Token, TokenKind};
use crate::doc::Span;

// Main-loop byte classes: `C_SPACE`, `C_WORD` and `C_BREAK` for ASCII bytes, then these for
// the rest.

/// ASCII punctuation other than `-` and the straight quotes: a one-byte `Punct` token whose
/// kind needs no context.
const B_PUNCT: u8 = 4;
/// `-`: a one-byte `Dash` token.
const B_DASH: u8 = 5;
/// Straight quotes (decided from their neighbours) and the bytes of non-ASCII chars.
const B_SLOW: u8 = 6;

/// The main-loop class of a byte.
const fn byte_class(b: u8) -> u8 {
    if b >= 0x80 {
        return B_SLOW;
    }
    match ascii_class(b) {
        C_OTHER => match b {
            b'-' => B_DASH,
            b'"' | b'\'' => B_SLOW,
            _ => B_PUNCT,
        },
        c => c,
    }
}

static BYTE_CLASS: [u8; 256] = byte_table!(256, byte_class);

/// Does the CPU have AVX2 and the bit instructions (BMI1, BMI2, POPCNT, LZCNT) that
/// [`segment_avx2`] is compiled for? (The answer is cached by `std`.)
#[cfg(target_arch = "x86_64")]
pub(super) fn avx2_available() -> bool {
    std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("bmi1")
        && std::is_x86_feature_detected!("bmi2")
        && std::is_x86_feature_detected!("popcnt")
        && std::is_x86_feature_detected!("lzcnt")
}

/// [`super::segment`] compiled for AVX2 and the bit instructions: the same code, with 32-byte
/// masks and one-instruction bit counts.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt")]
pub(super) fn segment_avx2(text: &str, lex: &Lexicon) -> Segmented {
    segment_with::<true>(text, lex)
}

/// [`super::segment`]; `AVX2` says that the caller runs with the features of [`segment_avx2`]
/// (the block masks use them).
#[inline(always)]
pub(super) fn segment_with<const AVX2: bool>(text: &str, lex: &Lexicon) -> Segmented {
    let bytes = text.as_bytes();
    let mut seg = Segmented {
        // News text averages about 5.5 bytes per token; room for 4 spares most documents a
        // regrowth (a copy of every token so far).
        tokens: Vec::with_capacity(text.len() / 4 + 16),
        sentences: Vec::with_capacity(text.len() / 80 + 1),
        paragraphs: Vec::with_capacity(text.len() / 400 + 1),
    };
    // Indices of the sentence terminators (`.`, `?`, `!`, `…`, ...) of the current
    // paragraph, so that finishing it visits those tokens only.
    let mut terms: Vec<usize> = Vec::with_capacity(64);
    let mut para_tok = 0;
    let mut q = QuoteState::default();
    let mut soft = SoftBreaks::of(text);
    let mut blk = Block::at::<AVX2>(bytes, 0);
    let mut i = 0;
    while i < bytes.len() {
        if i.wrapping_sub(blk.base) >= BLOCK {
            blk = Block::at::<AVX2>(bytes, i);
        }
        // Words, plain punctuation, dashes, apostrophes inside words and spaces from the
        // masks; one token of another kind (or a word that may go on past what the masks
        // tell) below.
        match blk.simple_tokens(bytes, i, &mut seg.tokens, &mut terms, q.double) {
            Stop::At(at) => i = at,
            Stop::End => {
                i = blk.base + BLOCK;
                continue;
            }
            Stop::Word { start, numeric } => {
                // A word runs to the end of the block: its end is in the next one, unless
                // that block is all word bytes or a non-ASCII char follows (the general
                // path below decides then).
                blk = Block::at::<AVX2>(bytes, blk.base + BLOCK);
                let run = (!blk.word).trailing_zeros();
                let end = blk.base + run as usize;
                if run < BLOCK as u32 && bytes.get(end).is_none_or(|&b| b < 0x80) {
                    let numeric = numeric && (!blk.digit).trailing_zeros() >= run;
                    push_word(&mut seg.tokens, start, end, numeric, q.double);
                    i = end;
                    continue;
                }
                i = start;
            }
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        match BYTE_CLASS[b as usize] {
            C_SPACE => i += 1,
            C_WORD => {
                let (end, numeric) = ascii_word(bytes, i).unwrap_or_else(|| scan_word(text, i));
                push_word(&mut seg.tokens, i, end, numeric, q.double);
                i = end;
            }
            B_PUNCT => {
                if matches!(b, b'.' | b'?' | b'!') {
                    terms.push(seg.tokens.len());
                }
                seg.tokens.push(Token {
                    span: Span::new(i, i + 1),
                    kind: TokenKind::Punct,
                    in_quote: q.double,
                });
                i += 1;
            }
            B_DASH => {
                seg.tokens.push(Token {
                    span: Span::new(i, i + 1),
                    kind: TokenKind::Dash,
                    in_quote: q.double,
                });
                i += 1;
            }
            C_BREAK => {
                if let Some(len) = soft.at(bytes, i) {
                    i += len; // a wrapped line goes on: a space
                    continue;
                }
                end_paragraph(text, lex, &mut seg, &mut para_tok, &mut terms, &mut q);
                // Blank lines end empty paragraphs: nothing to do.
                i += 1;
                while matches!(bytes.get(i), Some(b'\n' | b'\r')) {
                    i += 1;
                }
            }
            _ => i = slow_token(text, i, &mut seg, &mut para_tok, &mut terms, &mut q, lex),
        }
    }
    finish_paragraph(text, lex, &mut seg, para_tok, &terms);
    seg
}

/// The token (or space, or line break) at `i`, a straight quote or a non-ASCII char;
/// returns where the next one starts.
#[inline(never)]
fn slow_token(
    text: &str,
    i: usize,
    seg: &mut Segmented,
    para_tok: &mut usize,
    terms: &mut Vec<usize>,
    q: &mut QuoteState,
    lex: &Lexicon,
) -> usize {
    let bytes = text.as_bytes();
    // U+2010..=U+2027 (E2 80 90..=A7: dashes, curly quotes, bullets, the ellipsis), the
    // usual non-ASCII chars of news text, without decoding: all are C_OTHER.
    let (c, len, class) = match bytes.get(i..i.wrapping_add(3)) {
        // ’ between ASCII word bytes (didn’t): a `Punct` token, whatever the context
        // (`quotes::punct_kind`).
        Some(&[0xE2, 0x80, 0x99])
            if is_ascii_word_byte(bytes, i.wrapping_sub(1)) && is_ascii_word_byte(bytes, i + 3) =>
        {
            seg.tokens.push(Token {
                span: Span::new(i, i + 3),
                kind: TokenKind::Punct,
                in_quote: q.double,
            });
            return i + 3;
        }
        Some(&[0xE2, 0x80, b @ 0x90..=0xA7]) => {
            let c = char::from_u32(0x2000 | u32::from(b & 0x3F)).unwrap_or('\u{2010}');
            (c, 3, C_OTHER)
        }
        _ => {
            let Some((c, len)) = char_at(text, i) else {
                return bytes.len(); // unreachable for a &str: i is always a char boundary
            };
            (c, len, class_of(c))
        }
    };
    match class {
        C_SPACE => i + len,
        C_BREAK => {
            end_paragraph(text, lex, seg, para_tok, terms, q);
            i + len
        }
        C_WORD => {
            let (end, numeric) = scan_word(text, i);
            push_word(&mut seg.tokens, i, end, numeric, q.double);
            end
        }
        _ => {
            let at = seg.tokens.len();
            let (kind, next) = push_punct(text, i, c, len, &mut seg.tokens, q);
            if kind == TokenKind::Punct && is_terminator(c) {
                terms.push(at);
            }
            next
        }
    }
}

/// Is byte `i` of `bytes` an ASCII word byte? `false` out of range.
#[inline]
fn is_ascii_word_byte(bytes: &[u8], i: usize) -> bool {
    bytes
        .get(i)
        .and_then(|&b| ASCII_CLASS.get(b as usize))
        .is_some_and(|&c| c == C_WORD)
}

/// Bytes per [`Block`].
const BLOCK: usize = 64;

/// Bit masks of the [`BLOCK`] bytes from `base` (bit `k` for byte `base + k`; bytes past
/// the end of the text count as zero bytes, which are in no mask).
struct Block {
    base: usize,
    /// ASCII word bytes `[0-9A-Za-z_]`.
    word: u64,
    /// ASCII digits.
    digit: u64,
    /// First bytes of the tokens that [`Block::simple_tokens`] pushes: of ASCII words, and
    /// the one-byte tokens (`single`).
    starts: u64,
    /// Last bytes of those tokens (a word that reaches the end of the block ends there as
    /// far as the masks tell).
    ends: u64,
    /// One-byte tokens that need no context: plain punctuation (`B_PUNCT` from 0x21 up),
    /// `-`, and a straight apostrophe between two ASCII word bytes (`don't`, always a
    /// `Punct` token).
    single: u64,
    /// At the last byte of a token: a `-`, or the end of a word of digits only.
    dash_or_number: u64,
    /// The bytes of the tokens and spaces that [`Block::simple_tokens`] handles: word
    /// bytes, `single` bytes and the space 0x20.
    simple: u64,
}

/// Where [`Block::simple_tokens`] stopped.
enum Stop {
    /// At a byte that is not simple, at the end of the text, or at the start of a word
    /// that reaches a non-ASCII byte (a word char may go on there).
    At(usize),
    /// At the end of the block.
    End,
    /// At a word from `start` that reaches the end of the block, all digits so far when
    /// `numeric`.
    Word { start: usize, numeric: bool },
}

/// Token kinds by (one-byte token, dash or number) bits: see [`Block::simple_tokens`].
const SIMPLE_KINDS: [TokenKind; 4] = [
    TokenKind::Word,
    TokenKind::Number,
    TokenKind::Punct,
    TokenKind::Dash,
];

/// Mask of the bits below bit `n` (all of them from 64 on).
#[inline(always)]
fn below(n: u32) -> u64 {
    1u64.checked_shl(n).map_or(u64::MAX, |b| b - 1)
}

impl Block {
    /// The block at `base`; `AVX2` as in [`segment_with`].
    #[inline(always)]
    fn at<const AVX2: bool>(bytes: &[u8], base: usize) -> Block {
        #[cfg(target_arch = "x86_64")]
        if AVX2 {
            // SAFETY: `AVX2` is set only where the CPU has the features (`segment_avx2`).
            return unsafe { Block::at_avx2(bytes, base) };
        }
        Block::at_sse2(bytes, base)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt")]
    fn at_avx2(bytes: &[u8], base: usize) -> Block {
        let m = match Block::full(bytes, base) {
            Some(chunk) => block_masks_avx2(chunk),
            None => Block::tail_masks(bytes, base),
        };
        Block::from_masks(base, &m)
    }

    #[inline(never)]
    fn at_sse2(bytes: &[u8], base: usize) -> Block {
        let m = match Block::full(bytes, base) {
            Some(chunk) => block_masks(chunk),
            None => Block::tail_masks(bytes, base),
        };
        Block::from_masks(base, &m)
    }

    /// The 64 bytes at `base`, when the text has that many left (else the tail's masks).
    #[inline(always)]
    fn full(bytes: &[u8], base: usize) -> Option<&[u8; BLOCK]> {
        bytes
            .get(base..base.wrapping_add(BLOCK))
            .and_then(|c| c.try_into().ok())
    }

    /// The block from the raw masks of [`block_masks`].
    #[inline(always)]
    fn from_masks(base: usize, m: &RawMasks) -> Block {
        let word = m.word;
        // An apostrophe with ASCII word bytes on both sides inside the block (the
        // neighbours of its first and last bytes are not looked at: the main loop decides
        // those).
        let apos = m.apos & (word << 1) & (word >> 1);
        let single = m.punct | apos;
        let word_starts = word & !(word << 1);
        // A carry from the first byte of each word that starts with a digit runs through
        // its digits and lands on the first byte after them: the word is all digits when
        // that byte is no word byte (or the carry leaves the block: all digits so far).
        let (sum, carry) = m.digit.overflowing_add(word_starts & m.digit);
        let number_ends = ((sum & !m.digit & !word) >> 1) | u64::from(carry) << 63;
        Block {
            base,
            word,
            digit: m.digit,
            starts: word_starts | single,
            ends: (word & !(word >> 1)) | single,
            single,
            dash_or_number: m.dash | number_ends,
            simple: m.simple | apos,
        }
    }

    /// The masks of the last bytes, through a zero-padded copy.
    #[inline(never)]
    fn tail_masks(bytes: &[u8], base: usize) -> RawMasks {
        let mut pad = [0; BLOCK];
        let rest = bytes.get(base..).unwrap_or(&[]);
        let n = rest.len().min(BLOCK);
        pad[..n].copy_from_slice(&rest[..n]);
        block_masks(&pad)
    }

    /// Pushes the tokens from `i` (a token boundary in the block) up to the first byte that
    /// is not simple, and says where it stopped (see [`Stop`]). Every push is what the
    /// main loop would push.
    #[inline(always)]
    fn simple_tokens(
        &self,
        bytes: &[u8],
        i: usize,
        tokens: &mut Vec<Token>,
        terms: &mut Vec<usize>,
        in_quote: bool,
    ) -> Stop {
        let off = i.wrapping_sub(self.base);
        if off >= BLOCK {
            return Stop::At(i);
        }
        let base = self.base;
        let from = below(off as u32);
        let stop = (!(self.simple | from)).trailing_zeros();
        let range = below(stop) & !from;
        let mut starts = self.starts & range;
        let mut ends = self.ends & range;
        let mut result = if stop == BLOCK as u32 {
            Stop::End
        } else {
            Stop::At(base + stop as usize)
        };
        // The last token is a word that reaches the end of the block or a non-ASCII byte:
        // it may go on, so the caller decides it.
        if starts != 0
            && self.word >> (stop - 1) & 1 != 0
            && (stop == BLOCK as u32 || bytes.get(base + stop as usize).is_some_and(|&b| b >= 0x80))
        {
            let s = 63 - starts.leading_zeros();
            starts ^= 1 << s;
            ends ^= 1 << (stop - 1);
            result = if stop == BLOCK as u32 {
                Stop::Word {
                    start: base + s as usize,
                    numeric: self.dash_or_number >> 63 != 0,
                }
            } else {
                Stop::At(base + s as usize)
            };
        }
        let first = tokens.len();
        let pushed_ends = ends;
        // A `TrustedLen` iterator: room is made once, and the tokens are written without a
        // capacity test each. Every token is written as a word; the kinds of the others
        // are set below.
        tokens.extend((0..starts.count_ones()).map(|_| {
            let s = starts.trailing_zeros();
            starts &= starts.wrapping_sub(1);
            let e = ends.trailing_zeros();
            ends &= ends.wrapping_sub(1);
            Token {
                span: Span::new(base + s as usize, base + e as usize + 1),
                kind: TokenKind::Word,
                in_quote,
            }
        }));
        // One-byte tokens and numbers, by their last bytes; the index of a token is the
        // number of tokens that end before it.
        let mut special = (self.single | self.dash_or_number) & pushed_ends;
        while special != 0 {
            let e = special.trailing_zeros();
            special &= special - 1;
            let k = first + (pushed_ends & below(e)).count_ones() as usize;
            // A one-byte token is no digit and a word no dash: the two bits tell the kind.
            let kind = (self.single >> e & 1) << 1 | self.dash_or_number >> e & 1;
            if let Some(t) = tokens.get_mut(k) {
                t.kind = SIMPLE_KINDS[(kind & 3) as usize];
            }
            if kind == 2 && matches!(bytes.get(base + e as usize), Some(b'.' | b'?' | b'!')) {
                terms.push(k);
            }
        }
        result
    }
}

/// The masks that [`block_masks`] computes; [`Block::from_masks`] derives the rest.
#[derive(Debug, PartialEq, Eq)]
struct RawMasks {
    /// ASCII word bytes `[0-9A-Za-z_]`.
    word: u64,
    /// ASCII digits.
    digit: u64,
    /// Plain punctuation (`B_PUNCT` from 0x21 up) and `-`.
    punct: u64,
    /// `-`.
    dash: u64,
    /// The straight apostrophe `'`.
    apos: u64,
    /// Word bytes, `punct` bytes and the space 0x20.
    simple: u64,
}

impl RawMasks {
    /// The masks in the order the SIMD paths compute them.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn from_lanes([word, digit, punct, dash, apos, simple]: [u64; 6]) -> RawMasks {
        RawMasks {
            word,
            digit,
            punct,
            dash,
            apos,
            simple,
        }
    }
}

/// [`Block`]'s raw masks of 64 bytes. x86-64: SSE2.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn block_masks(chunk: &[u8; BLOCK]) -> RawMasks {
    use core::arch::x86_64::{
        _mm_add_epi8, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8,
        _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    let mut out = [0u64; 6];
    for (k, lane) in chunk.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of the x86-64 baseline; the unaligned load reads the 16
        // bytes of `lane` (`chunks_exact(16)`).
        let m = unsafe {
            let x = _mm_loadu_si128(lane.as_ptr().cast());
            let set = |b: u8| _mm_set1_epi8(b as i8);
            let eq = |b: u8| _mm_cmpeq_epi8(x, set(b));
            // Signed compares after a bias, as in `word_masks`.
            let digit = _mm_cmplt_epi8(_mm_add_epi8(x, set(0x50)), _mm_set1_epi8(-118));
            let alpha = _mm_cmplt_epi8(
                _mm_add_epi8(_mm_or_si128(x, set(0x20)), set(0x1f)),
                _mm_set1_epi8(-102),
            );
            let word = _mm_or_si128(_mm_or_si128(digit, alpha), eq(b'_'));
            // 0x21..=0x7F (bytes >= 0x80 are negative).
            let printable = _mm_cmpgt_epi8(x, set(0x20));
            let dquote = eq(b'"');
            let apos = eq(b'\'');
            let punct = _mm_andnot_si128(_mm_or_si128(_mm_or_si128(dquote, apos), word), printable);
            let simple = _mm_or_si128(_mm_or_si128(word, punct), eq(b' '));
            [word, digit, punct, eq(b'-'), apos, simple].map(|v| _mm_movemask_epi8(v) as u16 as u64)
        };
        for (o, v) in out.iter_mut().zip(m) {
            *o |= v << (16 * k);
        }
    }
    RawMasks::from_lanes(out)
}

/// [`block_masks`] with AVX2: two 32-byte lanes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn block_masks_avx2(chunk: &[u8; BLOCK]) -> RawMasks {
    use core::arch::x86_64::{
        _mm256_add_epi8, _mm256_andnot_si256, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8,
        _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
    };
    macro_rules! set {
        ($b:expr) => {
            _mm256_set1_epi8($b as i8)
        };
    }
    let mut out = [0u64; 6];
    for (k, lane) in chunk.chunks_exact(32).enumerate() {
        // SAFETY: the unaligned load reads the 32 bytes of `lane` (`chunks_exact(32)`).
        let x = unsafe { _mm256_loadu_si256(lane.as_ptr().cast()) };
        macro_rules! eq {
            ($b:expr) => {
                _mm256_cmpeq_epi8(x, set!($b))
            };
        }
        // The compares of `block_masks`, `a < b` written `b > a`.
        let digit = _mm256_cmpgt_epi8(set!(-118i8), _mm256_add_epi8(x, set!(0x50)));
        let alpha = _mm256_cmpgt_epi8(
            set!(-102i8),
            _mm256_add_epi8(_mm256_or_si256(x, set!(0x20)), set!(0x1f)),
        );
        let word = _mm256_or_si256(_mm256_or_si256(digit, alpha), eq!(b'_'));
        let printable = _mm256_cmpgt_epi8(x, set!(0x20));
        let apos = eq!(b'\'');
        let punct = _mm256_andnot_si256(
            _mm256_or_si256(_mm256_or_si256(eq!(b'"'), apos), word),
            printable,
        );
        let simple = _mm256_or_si256(_mm256_or_si256(word, punct), eq!(b' '));
        let m = [word, digit, punct, eq!(b'-'), apos, simple];
        for (o, v) in out.iter_mut().zip(m) {
            *o |= (_mm256_movemask_epi8(v) as u32 as u64) << (32 * k);
        }
    }
    RawMasks::from_lanes(out)
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn block_masks(chunk: &[u8; BLOCK]) -> RawMasks {
    block_masks_scalar(chunk)
}

/// [`block_masks`] byte by byte, from the byte classes: the portable version, and the
/// reference of the tests.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn block_masks_scalar(chunk: &[u8; BLOCK]) -> RawMasks {
    let mut m = RawMasks {
        word: 0,
        digit: 0,
        punct: 0,
        dash: 0,
        apos: 0,
        simple: 0,
    };
    for (k, &b) in chunk.iter().enumerate() {
        let class = BYTE_CLASS[b as usize];
        let punct = (class == B_PUNCT || class == B_DASH) && b > 0x20;
        let bit = |on: bool| u64::from(on) << k;
        m.word |= bit(class == C_WORD);
        m.digit |= bit(b.is_ascii_digit());
        m.punct |= bit(punct);
        m.dash |= bit(b == b'-');
        m.apos |= bit(b == b'\'');
        m.simple |= bit(class == C_WORD || b == b' ' || punct);
    }
    m
}

#[inline]
fn push_word(tokens: &mut Vec<Token>, start: usize, end: usize, numeric: bool, in_quote: bool) {
    tokens.push(Token {
        span: Span::new(start, end),
        kind: if numeric {
            TokenKind::Number
        } else {
            TokenKind::Word
        },
        in_quote,
    });
}

/// A line break: finishes the current paragraph and starts the next.
#[inline(never)]
fn end_paragraph(
    text: &str,
    lex: &Lexicon,
    seg: &mut Segmented,
    para_tok: &mut usize,
    terms: &mut Vec<usize>,
    q: &mut QuoteState,
) {
    if seg.tokens.len() > *para_tok {
        finish_paragraph(text, lex, seg, *para_tok, terms);
    }
    terms.clear();
    *para_tok = seg.tokens.len();
    *q = QuoteState::default();
}

/// End of the word token starting at `i` (an ASCII word byte) and whether it is all
/// digits, when the whole token is ASCII and shorter than 16 bytes and the text goes on
/// for 16 bytes from `i`; `None` otherwise (then [`scan_word`] decides).
#[inline(always)]
fn ascii_word(bytes: &[u8], i: usize) -> Option<(usize, bool)> {
    let chunk: &[u8; 16] = bytes.get(i..i.wrapping_add(16))?.try_into().ok()?;
    let (word, digit, high) = word_masks(chunk);
    // `word` has 16 bits, so `run` is at most 16.
    let run = (!word).trailing_zeros();
    // The byte after the run must be in the chunk and ASCII (a non-ASCII char may be a
    // word char that continues the token).
    if (high | 1 << 16) >> run & 1 != 0 {
        return None;
    }
    Some((i + run as usize, (!digit).trailing_zeros() >= run))
}

/// Bit `k` set in the first mask when `chunk[k]` is an ASCII word byte `[0-9A-Za-z_]`, in
/// the second when it is an ASCII digit, in the third when it is not ASCII. x86-64: SSE2
/// (part of every x86-64 CPU).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn word_masks(chunk: &[u8; 16]) -> (u32, u32, u32) {
    use core::arch::x86_64::{
        _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of the x86-64 baseline; the unaligned load reads the 16 bytes
    // of `chunk`.
    unsafe {
        let x = _mm_loadu_si128(chunk.as_ptr().cast());
        // Signed compares after a bias: `x + (0x80 - lo) < -128 + n` iff lo <= x < lo + n.
        // Bytes >= 0x80 fall in none of the ranges.
        let digit = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x50)), _mm_set1_epi8(-118));
        let folded = _mm_or_si128(x, _mm_set1_epi8(0x20));
        let alpha = _mm_cmplt_epi8(
            _mm_add_epi8(folded, _mm_set1_epi8(0x1f)),
            _mm_set1_epi8(-102),
        );
        let under = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'_' as i8));
        let word = _mm_or_si128(_mm_or_si128(digit, alpha), under);
        (
            _mm_movemask_epi8(word) as u32,
            _mm_movemask_epi8(digit) as u32,
            _mm_movemask_epi8(x) as u32,
        )
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn word_masks(chunk: &[u8; 16]) -> (u32, u32, u32) {
    word_masks_scalar(chunk)
}

/// [`word_masks`] byte by byte: the portable version, and the reference of the tests.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn word_masks_scalar(chunk: &[u8; 16]) -> (u32, u32, u32) {
    let (mut word, mut digit, mut high) = (0, 0, 0);
    for (k, &b) in chunk.iter().enumerate() {
        if b < 0x80 && ASCII_CLASS[b as usize] == C_WORD {
            word |= 1 << k;
        }
        if b.is_ascii_digit() {
            digit |= 1 << k;
        }
        if b >= 0x80 {
            high |= 1 << k;
        }
    }
    (word, digit, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_masks_match_scalar() {
        let mut chunk = [0u8; 16];
        for b in 0..=255u8 {
            for (k, c) in chunk.iter_mut().enumerate() {
                *c = b.wrapping_add((k * 37) as u8);
            }
            assert_eq!(word_masks(&chunk), word_masks_scalar(&chunk), "{chunk:?}");
        }
    }

    #[test]
    fn block_masks_match_scalar() {
        let mut chunk = [0u8; BLOCK];
        for b in 0..=255u8 {
            for step in [1u8, 37, 101] {
                for (k, c) in chunk.iter_mut().enumerate() {
                    *c = b.wrapping_add((k as u8).wrapping_mul(step));
                }
                assert_eq!(block_masks(&chunk), block_masks_scalar(&chunk), "{chunk:?}");
                #[cfg(target_arch = "x86_64")]
                if avx2_available() {
                    // SAFETY: the CPU has AVX2.
                    let avx2 = unsafe { block_masks_avx2(&chunk) };
                    assert_eq!(avx2, block_masks_scalar(&chunk), "{chunk:?}");
                }
            }
        }
    }
}
