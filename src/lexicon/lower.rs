//! Lowercased tokens: each document's words lowercased and numbered once, for every lexicon
//! pass over it.

use super::Lexicons;
use crate::doc::Span;

/// Byte offsets of the chars of `text` that lowercasing changes (all non-ASCII: ASCII is
/// lowercased with the text as a whole), in order. ASCII runs are skipped 8 bytes at a time.
fn case_changing_chars(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            if u64::from_le_bytes(b) & 0x8080_8080_8080_8080 == 0 {
                i += 8;
                continue;
            }
        }
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        // `i` is a lead byte: continuation bytes are stepped over with their char.
        let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
            i += 1;
            continue;
        };
        let mut lower = c.to_lowercase();
        if !(lower.next() == Some(c) && lower.next().is_none()) {
            out.push(i);
        }
        i += c.len_utf8();
    }
    out
}

/// The lowercased words of a document's tokens, for lexicon matching. The text is
/// ASCII-lowercased once as a whole, so an ASCII token is a slice of it at its own offsets;
/// only tokens with other chars are lowercased one by one, into an arena.
pub struct LowerTokens {
    ascii: String,
    arena: String,
    /// (token index, start, end in `arena`) of the tokens with non-ASCII chars, in order.
    odd: Vec<(usize, usize, usize)>,
}

impl LowerTokens {
    /// Every token of `text` lowercased, without an allocation per token; pass
    /// `.words(tokens, lex)` to the lexicon passes (the rules and the patterns). Tokens are read
    /// by their spans only, so this module needs no segmenter.
    pub fn new<T: AsRef<Span>>(text: &str, tokens: &[T]) -> LowerTokens {
        let mut arena = String::new();
        let mut odd = Vec::new();
        // Only a char that lowercasing changes makes a token differ from the ASCII-lowercased
        // text; curly quotes and dashes do not, so most documents have none to look for.
        let changed = case_changing_chars(text);
        let mut next = changed.iter().copied().peekable();
        for (i, t) in tokens.iter().enumerate() {
            let t = t.as_ref();
            while next.next_if(|&c| c < t.start).is_some() {}
            let Some(&c) = next.peek() else { break };
            if c < t.end {
                let w = text.get(t.start..t.end).unwrap_or("");
                if !w.is_ascii() {
                    let a = arena.len();
                    arena.push_str(&w.to_lowercase());
                    odd.push((i, a, arena.len()));
                }
            }
        }
        LowerTokens {
            ascii: text.to_ascii_lowercase(),
            arena,
            odd,
        }
    }

    /// One lowercase word per token with its id in `lex`'s vocabulary ([`super::NO_WORD`]
    /// when no lexicon has it), and `lex` itself for the passes that read the words.
    pub fn words<'a, T: AsRef<Span>>(&'a self, tokens: &[T], lex: &'a Lexicons) -> Lowered<'a> {
        // Slices of the ASCII-lowercased text, then the few tokens lowercased apart put in.
        let mut words: Vec<&str> = tokens
            .iter()
            .map(|t| {
                let t = t.as_ref();
                self.ascii.get(t.start..t.end).unwrap_or("")
            })
            .collect();
        for &(i, a, b) in &self.odd {
            if let Some(w) = words.get_mut(i) {
                *w = self.arena.get(a..b).unwrap_or("");
            }
        }
        let vocab = lex.vocab();
        let ids = words.iter().map(|w| vocab.id(w)).collect();
        Lowered { words, ids, lex }
    }
}

/// A document's tokens lowercased and numbered once, for every lexicon pass over it (the
/// rules and the patterns): `words[i]` and `ids[i]` belong to token `i`; `lex` numbered them.
#[derive(Debug, Clone)]
pub struct Lowered<'a> {
    pub words: Vec<&'a str>,
    pub ids: Vec<u32>,
    pub lex: &'a Lexicons,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{test_lexicons, NO_WORD};

    #[test]
    fn ids_are_those_a_fresh_lookup_gives() {
        // Non-ASCII tokens are lowercased apart from the rest; each id is its word's.
        let text = "ΟΔΟΣ said, according to Officials, that the ΛΟΓΟΣ may be late.";
        let lex = test_lexicons();
        let seg = crate::segment::segment(text, lex.splitter());
        let lt = LowerTokens::new(text, &seg.tokens);
        let lw = lt.words(&seg.tokens, lex);
        let vocab = lex.vocab();
        assert_eq!(lw.words.len(), seg.tokens.len());
        assert!(lw.words.contains(&"officials") && lw.words[0].chars().all(char::is_lowercase));
        let fresh: Vec<u32> = lw.words.iter().map(|w| vocab.id(w)).collect();
        assert_eq!(lw.ids, fresh);
        assert!(lw.ids.contains(&vocab.id("said")) && vocab.id("said") != NO_WORD);
    }

    #[test]
    fn every_token_is_its_own_lowercase() {
        // The skip over unchanged chars must give each token exactly `str::to_lowercase`.
        let texts = [
            "ÉCOLE “Quoted” — said Σίσυφος ΟΔΟΣ, straße İstanbul ǅemal. Plain ASCII only here!",
            "“Already lowercase” – café naïve résumé… then an Ärger at the very end: Ω",
            "no non-ASCII at all, SAID The Minister",
            "",
            "x É",
        ];
        for text in texts {
            let lex = test_lexicons();
            let seg = crate::segment::segment(text, lex.splitter());
            let lt = LowerTokens::new(text, &seg.tokens);
            let lw = lt.words(&seg.tokens, lex);
            for (t, w) in seg.tokens.iter().zip(&lw.words) {
                assert_eq!(*w, t.span.slice(text).to_lowercase(), "in {text:?}");
            }
        }
    }
}
