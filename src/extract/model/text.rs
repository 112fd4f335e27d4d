//! The model's view of the segmenter's tokens (which are the scorer's: each maximal run of
//! word characters, or one other non-space character): per-token precomputed ids, and
//! the cue lexicon.

use crate::lexicon::{FastMap, TaggerCues};
use crate::segment::{Paragraph, Segmented, TokenKind};

pub const C_VERB: u16 = 1;
pub const C_NOUN: u16 = 2;
pub const C_PHRASE: u16 = 4;
pub const C_PRON: u16 = 8;
pub const C_TITLE: u16 = 16;
pub const C_ANON: u16 = 32;
pub const C_GROUP: u16 = 64;
pub const C_LEARNED: u16 = 128;
/// Any class that marks a likely cue (verb, noun, phrase or measured cue word).
pub const C_CUE: u16 = C_VERB | C_NOUN | C_PHRASE | C_LEARNED;

/// 64-bit FNV-1a, the base of every id here (stable across runs and platforms).
#[inline]
pub fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The feature bit of each class of [`crate::lexicon::TAGGER_CLASSES`], in its order.
const CLASS_BITS: [u16; 8] = [
    C_VERB, C_NOUN, C_PHRASE, C_PRON, C_TITLE, C_ANON, C_GROUP, C_LEARNED,
];

/// The tagger's view of its cue list: lowercased word ids and classes. Ids are FNV hashes,
/// not [`crate::lexicon::Vocab`] ids: the features hash every word, listed or not, and a
/// trained model holds those hashes.
pub struct Lexicon {
    /// word or stem id -> class bits
    words: FastMap<u64, u16>,
    /// first word id -> phrases (word ids) starting with it
    phrases: FastMap<u64, Vec<Vec<u64>>>,
    /// FNV of the lexicon text, stored in the model to catch a model/lexicon mismatch.
    pub hash: u64,
}

impl Lexicon {
    /// The tagger's view of a parsed cue list.
    pub fn new(cues: &TaggerCues) -> Lexicon {
        let mut words: FastMap<u64, u16> = FastMap::default();
        let mut phrases: FastMap<u64, Vec<Vec<u64>>> = FastMap::default();
        for (class, term) in cues.entries() {
            let bit = CLASS_BITS[*class];
            let ws: Vec<u64> = term.split_whitespace().map(|w| word_ids(w).0).collect();
            if let [first, _, ..] = ws[..] {
                phrases.entry(first).or_default().push(ws);
            } else {
                let (w, s) = word_ids(term);
                *words.entry(w).or_default() |= bit;
                // Words only (not phrases) also match through their stripped form.
                if bit == C_VERB || bit == C_NOUN {
                    *words.entry(s ^ STEM_SALT).or_default() |= bit;
                }
            }
        }
        Lexicon {
            words,
            phrases,
            hash: fnv(cues.text().as_bytes()),
        }
    }

    fn class(&self, word: u64, stem: u64) -> u16 {
        let a = self.words.get(&word).copied().unwrap_or(0);
        let b = self.words.get(&(stem ^ STEM_SALT)).copied().unwrap_or(0);
        // The stem only adds cue classes: "states" must not become a pronoun.
        a | (b & (C_VERB | C_NOUN))
    }
}

const STEM_SALT: u64 = 0x5bd1_e995_1234_5678;

/// (lowercased word id, stripped-form id) of a word.
pub fn word_ids(w: &str) -> (u64, u64) {
    let mut buf = [0u8; 48];
    let mut n = 0;
    for c in w.chars() {
        if c.is_ascii() {
            if n < buf.len() {
                buf[n] = c.to_ascii_lowercase() as u8;
                n += 1;
            }
        } else {
            for lc in c.to_lowercase() {
                let mut tmp = [0u8; 4];
                for &b in lc.encode_utf8(&mut tmp).as_bytes() {
                    if n < buf.len() {
                        buf[n] = b;
                        n += 1;
                    }
                }
            }
        }
    }
    let low = &buf[..n];
    (fnv(low), fnv(strip(low)))
}

/// Lemma-ish suffix stripping: enough to join "says/said/saying" to "say" where regular.
fn strip(w: &[u8]) -> &[u8] {
    let n = w.len();
    if n > 5 && w.ends_with(b"ing") {
        return &w[..n - 3];
    }
    if n > 4 && w.ends_with(b"ied") {
        return &w[..n - 3];
    }
    if n > 4 && w.ends_with(b"ed") {
        return if w[n - 3] == b'e' {
            &w[..n - 1]
        } else {
            &w[..n - 2]
        };
    }
    if n > 4 && (w.ends_with(b"ses") || w.ends_with(b"shes") || w.ends_with(b"ches")) {
        return &w[..n - 2];
    }
    if n > 3 && w.ends_with(b"s") && !w.ends_with(b"ss") {
        return &w[..n - 1];
    }
    w
}

pub const K_WORD: u8 = 0;
pub const K_NUM: u8 = 1;
pub const K_QUOTE: u8 = 2;
pub const K_PUNCT: u8 = 3;

/// One token with everything the features need, computed once.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tok {
    pub start: u32,
    pub end: u32,
    pub word: u64,
    pub stem: u64,
    pub suf2: u64,
    pub suf3: u64,
    pub pre3: u64,
    pub shape: u32,
    pub class: u16,
    pub kind: u8,
    /// 0 outside quotes, 1 inside, 2 the quote mark itself.
    pub quote: u8,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// First token of a sentence (the segmenter's sentences: abbreviations and initials
    /// do not end one).
    pub sent_start: bool,
}

/// Longest stretch of tokens tagged at once (see [`from_segmented`]).
pub const MAX_WINDOW_TOKENS: usize = 2000;

/// The model's tokens for a segmented text (the segmenter's tokens, which are the
/// scorer's), appended to `toks`, and the token range of each non-empty paragraph.
pub fn from_segmented(
    text: &str,
    seg: &Segmented,
    lex: &Lexicon,
    toks: &mut Vec<Tok>,
    paras: &mut Vec<(usize, usize)>,
) {
    for p in &seg.paragraphs {
        paragraph_toks(text, seg, p, lex, toks, paras);
    }
}

/// [`from_segmented`] for one paragraph: its tokens appended to `toks`, and its windows
/// (token ranges tagged at once) to `windows`.
pub fn paragraph_toks(
    text: &str,
    seg: &Segmented,
    p: &Paragraph,
    lex: &Lexicon,
    toks: &mut Vec<Tok>,
    windows: &mut Vec<(usize, usize)>,
) {
    let (Some(first), Some(last)) = (
        seg.sentences.get(p.sentences.start),
        seg.sentences.get(p.sentences.end.wrapping_sub(1)),
    ) else {
        return;
    };
    let (ts, te) = (first.tokens.start, last.tokens.end.min(seg.tokens.len()));
    if ts >= te {
        return;
    }
    let s = toks.len();
    let mut starts = seg.sentences[p.sentences.clone()]
        .iter()
        .map(|x| x.tokens.start)
        .peekable();
    for (k, t) in seg.tokens[ts..te].iter().enumerate() {
        let (a, b) = (t.span.start, t.span.end);
        let Some(w) = text.get(a..b) else {
            continue;
        };
        let mut tok = match t.kind {
            TokenKind::Word | TokenKind::Number => word_tok(w, a, lex),
            TokenKind::OpenQuote | TokenKind::CloseQuote => {
                let c = w.chars().next().unwrap_or(' ');
                let mut k = punct_tok(c, a, b - a, K_QUOTE);
                // A double mark delimits the quote; a single one is inside or out.
                let double = matches!(c, '"' | '“' | '”' | '„' | '‟' | '«' | '»')
                    || (c == '\''
                        && (text.as_bytes().get(b) == Some(&b'\'')
                            || a.checked_sub(1).and_then(|x| text.as_bytes().get(x))
                                == Some(&b'\'')));
                k.quote = if double { 2 } else { t.in_quote as u8 };
                k
            }
            TokenKind::Dash | TokenKind::Punct => {
                punct_tok(w.chars().next().unwrap_or(' '), a, b - a, K_PUNCT)
            }
        };
        if tok.kind != K_QUOTE {
            tok.quote = t.in_quote as u8;
        }
        while starts.peek().is_some_and(|&x| x < ts + k) {
            starts.next();
        }
        tok.sent_start = starts.peek() == Some(&(ts + k));
        toks.push(tok);
    }
    if toks.len() > s {
        mark_phrases(&mut toks[s..], lex);
        // A huge paragraph (a scraped page) is tagged in windows of whole sentences, so
        // the tagger's working memory stays bounded; news paragraphs are far shorter.
        let mut w = s;
        for (k, t) in toks.iter().enumerate().skip(s + 1) {
            if k - w >= MAX_WINDOW_TOKENS && t.sent_start {
                windows.push((w, k));
                w = k;
            }
        }
        windows.push((w, toks.len()));
    }
}

fn word_tok(w: &str, start: usize, lex: &Lexicon) -> Tok {
    let (word, stem) = word_ids(w);
    let b = w.as_bytes();
    let n = b.len();
    let lowb = |x: &[u8]| -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &c in x {
            h ^= c.to_ascii_lowercase() as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let (suf2, suf3, pre3) = (
        lowb(&b[n.saturating_sub(2)..]),
        lowb(&b[n.saturating_sub(3)..]),
        lowb(&b[..n.min(3)]),
    );
    // Shape: per char class X/x/d/o, repeats collapsed, at most 4 classes.
    let mut shape: u32 = 0;
    let mut last = 0u32;
    let mut len = 0;
    for c in w.chars() {
        let k = if c.is_uppercase() {
            1
        } else if c.is_lowercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        };
        if k != last && len < 4 {
            shape = shape * 5 + k;
            len += 1;
            last = k;
        }
    }
    let first = w.chars().next().unwrap_or('a');
    let kind = if first.is_numeric() { K_NUM } else { K_WORD };
    Tok {
        start: start as u32,
        end: (start + w.len()) as u32,
        word,
        stem,
        suf2,
        suf3,
        pre3,
        shape: shape + 1000 * (n.min(4) as u32),
        class: lex.class(word, stem),
        kind,
        quote: 0,
        cap: first.is_uppercase(),
        sent_start: false,
    }
}

fn punct_tok(c: char, start: usize, len: usize, kind: u8) -> Tok {
    let id = c as u64;
    Tok {
        start: start as u32,
        end: (start + len) as u32,
        word: id,
        stem: id,
        suf2: id,
        suf3: id,
        pre3: id,
        shape: 100_000 + c as u32,
        class: 0,
        kind,
        quote: 0,
        cap: false,
        sent_start: false,
    }
}

fn mark_phrases(toks: &mut [Tok], lex: &Lexicon) {
    for i in 0..toks.len() {
        let Some(ps) = lex.phrases.get(&toks[i].word) else {
            continue;
        };
        for p in ps {
            if i + p.len() <= toks.len() && p.iter().zip(&toks[i..]).all(|(w, t)| *w == t.word) {
                for t in &mut toks[i..i + p.len()] {
                    t.class |= C_PHRASE;
                }
            }
        }
    }
}
