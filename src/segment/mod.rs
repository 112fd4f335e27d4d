//! Segmentation: paragraphs, sentences and word tokens, with byte offsets into the text.
//!
//! [`segment`] works in one pass over the bytes (ASCII fast path, no regex): each line
//! is a paragraph; tokens are exactly the scorer's `\w+|[^\w\s]` (Python semantics);
//! sentences end at `.`, `?`, `!` or `…` unless an abbreviation, initial, decimal or
//! lowercase continuation says otherwise (abbreviation lists in `data/lexicons/`).

mod lex;
mod pyword;
#[cfg(test)]
mod tests;

use crate::doc::Span;
use lex::{AbbrevClass, Lexicon};
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    /// An opening quotation mark (“ ‘ or a straight quote that opens).
    OpenQuote,
    /// A closing quotation mark (” ’ or a straight quote that closes).
    CloseQuote,
    /// Dashes: - – — and transcript separators.
    Dash,
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
    /// Inside quotation marks (the marks themselves are not), tracked across sentences
    /// and paragraphs as news writing does (a new paragraph may reopen a quote).
    pub in_quote: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Indices into [`Segmented::tokens`].
    pub tokens: Range<usize>,
    /// Index into [`Segmented::paragraphs`].
    pub paragraph: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Span,
    /// Indices into [`Segmented::sentences`].
    pub sentences: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub paragraphs: Vec<Paragraph>,
}

impl Segmented {
    /// Paragraph `p` ends inside a quotation that paragraph `p + 1` reopens with an
    /// opening double quote (the news convention for a quote running over paragraphs:
    /// no closing mark at the end of the first, a fresh opening mark on the next).
    pub fn quote_continues(&self, text: &str, p: usize) -> bool {
        let (Some(cur), Some(next)) = (self.paragraphs.get(p), self.paragraphs.get(p + 1)) else {
            return false;
        };
        let last = self
            .sentences
            .get(cur.sentences.end.wrapping_sub(1))
            .and_then(|s| self.tokens.get(s.tokens.end.wrapping_sub(1)));
        let first = self
            .sentences
            .get(next.sentences.start)
            .and_then(|s| self.tokens.get(s.tokens.start));
        match (last, first) {
            (Some(l), Some(f)) => {
                let rest = text.get(f.span.start..).unwrap_or("");
                l.in_quote
                    && f.kind == TokenKind::OpenQuote
                    && DOUBLE_QUOTES.iter().any(|q| rest.starts_with(q))
            }
            _ => false,
        }
    }

    /// The text of token `i`; empty when `i` is out of range.
    pub fn token_text<'a>(&self, text: &'a str, i: usize) -> &'a str {
        self.tokens
            .get(i)
            .and_then(|t| text.get(t.span.start..t.span.end))
            .unwrap_or("")
    }
}

/// Opening double quotation marks, the only ones that set `in_quote`.
const DOUBLE_QUOTES: [&str; 5] = ["\"", "“", "„", "«", "''"];

// ---------------------------------------------------------------------------------
// Character classes. Tokens must equal the scorer's `\w+|[^\w\s]` (Python `re`, str
// patterns), so "word" and "space" follow Python's definitions, not Rust's.

const C_OTHER: u8 = 0;
const C_WORD: u8 = 1;
const C_SPACE: u8 = 2;
/// A line break: ends a paragraph.
const C_BREAK: u8 = 3;

static ASCII_CLASS: [u8; 128] = {
    let mut t = [C_OTHER; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() || c == b'_' {
            C_WORD
        } else if c == b'\n' || c == b'\r' {
            C_BREAK
        } else if c == b' ' || c == b'\t' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1f) {
            // Python's str.isspace() also counts the ASCII separators 0x1C..0x1F.
            C_SPACE
        } else {
            C_OTHER
        };
        b += 1;
    }
    t
};

/// Python `\w` for a non-ASCII char: letters (L*) and numerics (N*). Rust's
/// `is_alphanumeric` also admits marks and symbols with the Other_Alphabetic property,
/// which Python does not.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !pyword::excluded(c)
}

#[inline]
fn class_of(c: char) -> u8 {
    match ASCII_CLASS.get(c as usize) {
        Some(&class) => class,
        None => class_of_non_ascii(c),
    }
}

#[inline(never)]
fn class_of_non_ascii(c: char) -> u8 {
    if matches!(c, '\u{2010}'..='\u{2027}') {
        // Dashes, curly quotes, bullets and the ellipsis, the usual non-ASCII chars of news
        // text: none is a space or a word char, so the Unicode tables need not be asked.
        C_OTHER
    } else if c == '\u{2028}' || c == '\u{2029}' {
        C_BREAK
    } else if c.is_whitespace() {
        C_SPACE
    } else if is_word_char(c) {
        C_WORD
    } else {
        C_OTHER
    }
}

/// The char starting at byte `i` (which must be a char boundary) and its length.
#[inline]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

#[inline]
fn char_before(text: &str, i: usize) -> Option<char> {
    let b = *text.as_bytes().get(i.checked_sub(1)?)?;
    if b < 0x80 {
        return Some(b as char);
    }
    text.get(..i)?.chars().next_back()
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '–' | '—' | '―' | '\u{2E3A}' | '\u{2E3B}'
    )
}

/// Characters after which a straight quote opens rather than closes.
fn is_opening_context(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '<' | '“' | '‘' | '„' | '«' | '/') || is_dash(c)
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '…' | '。' | '？' | '！' | '‼' | '⁇')
}

// ---------------------------------------------------------------------------------

/// Quotation state inside one paragraph.
#[derive(Default)]
struct QuoteState {
    double: bool,
    single: bool,
}

/// Main-loop byte classes: [`C_SPACE`], [`C_WORD`] and [`C_BREAK`] for ASCII bytes, then
/// these for the rest.
/// ASCII punctuation other than `-` and the straight quotes: a one-byte `Punct` token whose
/// kind needs no context.
const B_PUNCT: u8 = 4;
/// `-`: a one-byte `Dash` token.
const B_DASH: u8 = 5;
/// Straight quotes (decided from their neighbours) and the bytes of non-ASCII chars.
const B_SLOW: u8 = 6;

static BYTE_CLASS: [u8; 256] = {
    let mut t = [B_SLOW; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match ASCII_CLASS[b] {
            C_OTHER => match b as u8 {
                b'-' => B_DASH,
                b'"' | b'\'' => B_SLOW,
                _ => B_PUNCT,
            },
            c => c,
        };
        b += 1;
    }
    t
};

/// Splits `text` into paragraphs (one per non-blank line), sentences and tokens.
///
/// Every token, sentence and paragraph span lies on char boundaries, in text order,
/// without overlaps; every token belongs to exactly one sentence and every sentence to
/// one paragraph. Runs in time linear in the text length; never panics.
pub fn segment(text: &str) -> Segmented {
    #[cfg(target_arch = "x86_64")]
    if avx2_available() {
        // SAFETY: the CPU has the features that `segment_avx2` is compiled for.
        return unsafe { segment_avx2(text) };
    }
    segment_with::<false>(text)
}

/// Does the CPU have AVX2 and the bit instructions (BMI1, BMI2, POPCNT, LZCNT) that
/// [`segment_avx2`] is compiled for? (The answer is cached by `std`.)
#[cfg(target_arch = "x86_64")]
fn avx2_available() -> bool {
    std::is_x86_feature_detected!("avx2")
        && std::is_x86_feature_detected!("bmi1")
        && std::is_x86_feature_detected!("bmi2")
        && std::is_x86_feature_detected!("popcnt")
        && std::is_x86_feature_detected!("lzcnt")
}

/// [`segment`] compiled for AVX2 and the bit instructions: the same code, with 32-byte
/// masks and one-instruction bit counts.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt")]
fn segment_avx2(text: &str) -> Segmented {
    segment_with::<true>(text)
}

/// [`segment`]; `AVX2` says that the caller runs with the features of [`segment_avx2`]
/// (the block masks use them).
#[inline(always)]
fn segment_with<const AVX2: bool>(text: &str) -> Segmented {
    let lex = lex::lexicon();
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
        // (`punct_kind`).
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
            let prev = seg
                .tokens
                .last()
                .filter(|t| t.span.end == i)
                .map(|t| t.kind);
            // Two straight apostrophes are a double quote (New York Times style: ''Yes,''
            // he said); they stay two tokens, as the scorer counts them.
            let pair = c == '\'' && bytes.get(i + 1) == Some(&b'\'');
            let (kind, double_mark) = if pair {
                punct_kind(text, i, '"', 2, prev, q)
            } else {
                punct_kind(text, i, c, len, prev, q)
            };
            if kind == TokenKind::Punct && is_terminator(c) {
                terms.push(seg.tokens.len());
            }
            // Double quotation marks are not inside the quote they delimit.
            let in_quote = q.double && !double_mark;
            for k in 0..=usize::from(pair) {
                seg.tokens.push(Token {
                    span: Span::new(i + k, i + k + len),
                    kind,
                    in_quote,
                });
            }
            i + len + usize::from(pair)
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

/// End of the word token starting at `i` (a word char) and whether it is all numeric:
/// the general case of [`ascii_word`], char by char.
#[inline(never)]
fn scan_word(text: &str, i: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut j = i;
    let mut numeric = true;
    while let Some(&b) = bytes.get(j) {
        if b < 0x80 {
            if ASCII_CLASS[b as usize] != C_WORD {
                break;
            }
            numeric &= b.is_ascii_digit();
            j += 1;
        } else {
            match char_at(text, j) {
                Some((c, len)) if class_of(c) == C_WORD => {
                    numeric &= c.is_numeric();
                    j += len;
                }
                _ => break,
            }
        }
    }
    (j, numeric)
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

/// Kind of the one-char punctuation token at `i`, deciding straight and single quotes
/// from their neighbours, and updating the quotation state. The flag says the token
/// is a double quotation mark.
fn punct_kind(
    text: &str,
    i: usize,
    c: char,
    len: usize,
    prev_tok: Option<TokenKind>,
    q: &mut QuoteState,
) -> (TokenKind, bool) {
    use TokenKind::*;
    match c {
        // Curly and angle double quotes: their kind needs no context.
        '“' | '„' | '‟' | '«' => {
            q.double = true;
            return (OpenQuote, true);
        }
        '”' | '»' => {
            q.double = false;
            q.single = false;
            return (CloseQuote, true);
        }
        '"' | '\'' | '‘' | '’' | '‚' | '‛' => {}
        _ => return (if is_dash(c) { Dash } else { Punct }, false),
    }
    let before = char_before(text, i);
    let after = char_at(text, i + len).map(|(c, _)| c);
    let before_class = before.map(class_of);
    let after_class = after.map(class_of);
    let prev_word = before_class == Some(C_WORD);
    let next_word = after_class == Some(C_WORD);
    let next_space = after_class.is_none_or(|n| matches!(n, C_SPACE | C_BREAK));
    let next_digit = after.is_some_and(|n| n.is_numeric());
    // Start of line, after a space, an opening bracket or quote, or a dash.
    let opening_ctx = before
        .is_none_or(|p| matches!(before_class, Some(C_SPACE | C_BREAK)) || is_opening_context(p))
        || matches!(prev_tok, Some(OpenQuote | Dash));
    let kind = match c {
        '"' => {
            if opening_ctx {
                if next_space && q.double {
                    CloseQuote
                } else {
                    OpenQuote
                }
            } else if !q.double && next_word && !prev_word {
                // `said:"Hello`
                OpenQuote
            } else {
                CloseQuote
            }
        }
        '‘' | '‛' | '‚' => {
            if (prev_word && next_word) || (opening_ctx && next_digit) {
                Punct // a misused apostrophe: don‘t, ‘90s
            } else {
                OpenQuote
            }
        }
        _ => {
            // ’ or '
            if prev_word && next_word {
                Punct // didn’t, O’Malley
            } else if opening_ctx {
                if next_space || next_digit || c == '’' {
                    Punct // ’90s, ’em, a stray mark
                } else {
                    OpenQuote
                }
            } else if prev_word {
                if q.single {
                    CloseQuote
                } else {
                    Punct // possessive: Clintons’
                }
            } else {
                CloseQuote // after punctuation: ‘no.’
            }
        }
    };
    let double = c == '"';
    match (kind, double) {
        (OpenQuote, true) => q.double = true,
        (CloseQuote, true) => {
            q.double = false;
            q.single = false;
        }
        (OpenQuote, false) => q.single = true,
        (CloseQuote, false) => q.single = false,
        _ => {}
    }
    (kind, double && matches!(kind, OpenQuote | CloseQuote))
}

// ---------------------------------------------------------------------------------
// Sentences.

/// What follows a candidate sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Upper,
    Lower,
    /// A number or a currency sign.
    Digit,
    OpenQuote,
    OpenBracket,
    Other,
}

#[inline]
fn first_char(text: &str, t: &Token) -> char {
    if let Some(&b) = text.as_bytes().get(t.span.start) {
        if b < 0x80 {
            return b as char;
        }
    }
    text.get(t.span.start..)
        .and_then(|s| s.chars().next())
        .unwrap_or(' ')
}

fn classify_next(text: &str, t: &Token) -> Next {
    let c = first_char(text, t);
    match t.kind {
        TokenKind::OpenQuote => Next::OpenQuote,
        TokenKind::Number => Next::Digit,
        TokenKind::Word => {
            if c.is_lowercase() {
                Next::Lower
            } else if c.is_numeric() {
                Next::Digit
            } else if c.is_alphabetic() {
                // Upper- and title-case, and scripts without case.
                Next::Upper
            } else {
                Next::Other
            }
        }
        _ => match c {
            '(' | '[' => Next::OpenBracket,
            '$' | '£' | '€' | '¥' => Next::Digit,
            _ => Next::Other,
        },
    }
}

/// Adds the sentences and the paragraph for tokens `p0..` (those pushed since the
/// paragraph began); nothing for a paragraph without tokens. `terms` lists, in order, the
/// tokens among them that are sentence terminators (`Punct` tokens `.`, `?`, `!`, `…`, ...).
fn finish_paragraph(text: &str, lex: &Lexicon, seg: &mut Segmented, p0: usize, terms: &[usize]) {
    let p1 = seg.tokens.len();
    if p0 >= p1 {
        return;
    }
    let para = seg.paragraphs.len();
    let s_first = seg.sentences.len();
    let toks = &seg.tokens;
    let mut s = p0;
    let mut k = p0;
    let mut t = 0;
    while let Some(&first) = terms.get(t) {
        t += 1;
        if first < k || first >= p1 {
            continue;
        }
        // A run of terminators: ?!, ... spelled as full stops.
        let mut last = first;
        while terms.get(t) == Some(&(last + 1)) {
            last += 1;
            t += 1;
        }
        // Closing quotes and brackets belong to the sentence they close.
        let mut e = last;
        while e + 1 < p1
            && (toks[e + 1].kind == TokenKind::CloseQuote
                || matches!(first_char(text, &toks[e + 1]), ')' | ']' | '}'))
        {
            e += 1;
        }
        if e + 1 < p1 && ends_sentence(text, lex, &toks[..p1], s, first, last, e) {
            push_bounded(toks, &mut seg.sentences, s, e + 1, para);
            s = e + 1;
        }
        k = e + 1;
    }
    let toks = &seg.tokens;
    push_bounded(toks, &mut seg.sentences, s, p1, para);
    seg.paragraphs.push(Paragraph {
        span: Span::new(toks[p0].span.start, toks[p1 - 1].span.end),
        sentences: s_first..seg.sentences.len(),
    });
}

/// Does the sentence end after token `e`? Tokens `first..=last` are terminators
/// (`.`, `?`, `!`, `…`), `last+1..=e` closing quotes or brackets, `s` starts the
/// current sentence, and token `e + 1` exists; `toks` ends with the paragraph.
fn ends_sentence(
    text: &str,
    lex: &Lexicon,
    toks: &[Token],
    s: usize,
    first: usize,
    last: usize,
    e: usize,
) -> bool {
    let nt = &toks[e + 1];
    if toks[e].span.end == nt.span.start {
        return false; // no space: 3.5, U.S.-led, Breitbart.com
    }
    let next = classify_next(text, nt);
    let general = matches!(
        next,
        Next::Upper | Next::Digit | Next::OpenQuote | Next::OpenBracket
    );
    let term_bytes = text
        .as_bytes()
        .get(toks[first].span.start..toks[last].span.end)
        .unwrap_or(&[]);
    let closed_by_quote = toks[last + 1..=e]
        .iter()
        .any(|t| t.kind == TokenKind::CloseQuote);
    if closed_by_quote && next == Next::Upper && speaker_follows(text, lex, &toks[e + 1..]) {
        return false; // “Why?” Trump asked.
    }
    match term_bytes {
        [b'.'] => {} // the usual case, below
        [b'?' | b'!'] => return general,
        _ => {
            let term: &str = text
                .get(toks[first].span.start..toks[last].span.end)
                .unwrap_or("");
            if term.contains(['?', '!', '？', '！', '‼', '⁇']) {
                return general;
            }
            if term.contains('…') || term.len() > 1 {
                // An ellipsis after a space marks an omission inside a sentence.
                let attached = first > s && toks[first - 1].span.end == toks[first].span.start;
                return attached && general;
            }
        }
    }
    // A single full stop.
    if closed_by_quote || first <= s {
        return general;
    }
    let p = first - 1;
    let pt = &toks[p];
    if p == s && pt.kind == TokenKind::Number {
        return false; // a list number: "2. U.N. PANEL RULES ..."
    }
    if pt.span.end != toks[first].span.start || pt.kind != TokenKind::Word {
        return general;
    }
    // Dotted chains of short alphabetic parts: U.S, p.m, W.Va, Ph.D.
    let short = |t: &Token| t.kind == TokenKind::Word && t.span.len() <= 3;
    let mut c = p;
    while c >= s + 2
        && p - c < 12
        && short(&toks[c])
        && short(&toks[c - 2])
        && toks[c - 2].span.end == toks[c - 1].span.start
        && toks[c - 1].span.end == toks[c].span.start
        && text.get(toks[c - 1].span.start..toks[c - 1].span.end) == Some(".")
    {
        c -= 2;
    }
    let key_range = toks[c].span.start..pt.span.end;
    let key_bytes = text.as_bytes().get(key_range.clone()).unwrap_or(&[]);
    // The list is asked only when a key of that length and first byte may be in it.
    let listed = if lex.may_be_abbrev(key_bytes) {
        lex.abbrev(text.get(key_range.clone()).unwrap_or(""))
    } else {
        None
    };
    let class = match listed {
        Some(class) => Some(class),
        // Dotted chains, and initials: one uppercase letter.
        None if c < p => Some(AbbrevClass::Ambiguous),
        None => {
            let initial = match key_bytes {
                [b] => b.is_ascii_uppercase(),
                [b, ..] if *b >= 0x80 => {
                    let mut cs = text.get(key_range).unwrap_or("").chars();
                    matches!((cs.next(), cs.next()), (Some(a), None) if a.is_uppercase())
                }
                _ => false,
            };
            initial.then_some(AbbrevClass::Ambiguous)
        }
    };
    let starter = || match next {
        Next::Upper => lex.is_starter(text.get(nt.span.start..nt.span.end).unwrap_or("")),
        Next::OpenQuote => true,
        _ => false,
    };
    match class {
        None => general,
        Some(AbbrevClass::Title | AbbrevClass::Never) => false,
        Some(AbbrevClass::Numeric) => next != Next::Digit && starter(),
        Some(AbbrevClass::Ambiguous) => starter(),
    }
}

/// Up to three capitalized words, then a speech verb: `Trump said`, `Sen. Ted Cruz asked`.
fn speaker_follows(text: &str, lex: &Lexicon, rest: &[Token]) -> bool {
    for (n, t) in rest.iter().take(6).enumerate() {
        let w = text.get(t.span.start..t.span.end).unwrap_or("");
        if t.kind != TokenKind::Word {
            // The full stop of a title inside the name: Sen. Cruz.
            if w == "." && n > 0 {
                continue;
            }
            return false;
        }
        if lex.is_speech_verb(w) {
            return n > 0;
        }
        if !first_char(text, t).is_uppercase() {
            return false;
        }
    }
    false
}

/// Longest sentence, in tokens. Real sentences are far shorter; a text with no sentence end
/// (a scraped page, a table) is cut into pieces so that per-sentence work stays linear.
pub const MAX_SENTENCE_TOKENS: usize = 400;

/// Push the sentence `s..e` (token indices), cut into pieces of at most
/// [`MAX_SENTENCE_TOKENS`].
fn push_bounded(toks: &[Token], sentences: &mut Vec<Sentence>, s: usize, e: usize, para: usize) {
    let mut a = s;
    while a < e {
        let b = (a + MAX_SENTENCE_TOKENS).min(e);
        sentences.push(Sentence {
            span: Span::new(toks[a].span.start, toks[b - 1].span.end),
            tokens: a..b,
            paragraph: para,
        });
        a = b;
    }
}
