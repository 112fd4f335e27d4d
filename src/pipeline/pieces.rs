//! Long documents analysed in pieces. A document's working memory while it is analysed
//! (tokens, lowercased words, the taggers' state) is about 15 bytes a byte of text, while
//! what is kept (sentences, attributions, claims) is a few: a 50 MB document analysed whole
//! peaked at 770 MB. Cut at paragraph ends into pieces of [`PIECE_BYTES`], each piece is
//! analysed alone and its results appended, so the working memory is one piece's.
//!
//! News articles are far shorter than a piece and are analysed whole, as before. What a
//! document in pieces loses (docs/errors.md): nothing runs across a cut (a quotation, a
//! pronoun's antecedent, content waiting for the next paragraph's cue), each piece's first
//! paragraph is read as a document's first (a headline when it has no final punctuation),
//! and the analysis keeps no tokens (`Segmented::tokens` is empty and each sentence's
//! token range is `0..0`).

use super::Analysis;
use crate::doc::Span;

/// Documents longer than this are analysed in pieces of about this size.
pub const PIECE_BYTES: usize = 4 << 20;

/// The ends of the pieces of `text`, each about `size` bytes past the last: at a blank line
/// in the next `size / 2` bytes, else a line end, else a sentence end, else a space, else
/// the first character boundary (text with none of these is no prose).
pub fn piece_ends(text: &str, size: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut ends = Vec::new();
    let mut start = 0;
    while text.len() - start > size {
        let lo = start + size;
        let hi = (lo + size / 2).min(text.len());
        let window = &bytes[lo..hi];
        let cut = memchr::memmem::find(window, b"\n\n")
            .map(|i| lo + i + 2)
            .or_else(|| memchr::memchr(b'\n', window).map(|i| lo + i + 1))
            .or_else(|| memchr::memmem::find(window, b". ").map(|i| lo + i + 2))
            .or_else(|| memchr::memchr2(b' ', b'\t', window).map(|i| lo + i + 1))
            .unwrap_or_else(|| {
                (lo..text.len())
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(text.len())
            });
        ends.push(cut);
        start = cut;
    }
    ends.push(text.len());
    ends
}

/// The analysis of a piece without its tokens (see the module's note).
pub fn without_tokens(mut a: Analysis) -> Analysis {
    a.segmented.tokens = Vec::new();
    for s in &mut a.segmented.sentences {
        s.tokens = 0..0;
    }
    a
}

/// Appends `piece`, the analysis of the text from byte `offset` on, to `whole`: its spans
/// shifted by `offset`, its sentence, paragraph and attribution indices by what `whole`
/// already holds. Counts and the sourcing index are left for the caller to compute again.
pub fn append(whole: &mut Analysis, piece: Analysis, offset: usize) {
    let shift = |s: Span| Span::new(s.start + offset, s.end + offset);
    let shift_all = |v: &mut Vec<Span>| v.iter_mut().for_each(|s| *s = shift(*s));
    let n_sentences = whole.segmented.sentences.len();
    let n_paragraphs = whole.segmented.paragraphs.len();
    let n_attributions = whole.extraction.attributions.len();
    let Analysis {
        segmented,
        extraction,
        claims,
        ..
    } = piece;
    for mut s in segmented.sentences {
        s.span = shift(s.span);
        s.tokens = 0..0;
        s.paragraph += n_paragraphs;
        whole.segmented.sentences.push(s);
    }
    for mut p in segmented.paragraphs {
        p.span = shift(p.span);
        p.sentences = p.sentences.start + n_sentences..p.sentences.end + n_sentences;
        whole.segmented.paragraphs.push(p);
    }
    for mut a in extraction.attributions {
        shift_all(&mut a.cue);
        shift_all(&mut a.source);
        shift_all(&mut a.content);
        if let Some(an) = &mut a.anonymity {
            an.reason = an.reason.map(shift);
            an.knowledge = an.knowledge.map(shift);
        }
        a.sentence += n_sentences;
        whole.extraction.attributions.push(a);
    }
    for mut f in extraction.sentences {
        f.span = shift(f.span);
        shift_all(&mut f.hedges);
        whole.extraction.sentences.push(f);
    }
    for mut c in claims {
        c.sentence += n_sentences;
        c.span = shift(c.span);
        c.attribution = c.attribution.map(|k| k + n_attributions);
        whole.claims.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_end_at_blank_lines_then_line_ends_then_sentences() {
        let text = "aaaa\nbbbb\n\ncccc dd. eeee ffff";
        assert_eq!(piece_ends(text, 4), vec![11, 20, 25, 30]);
        // Each piece is at least `size` bytes, but the last.
        let ends = piece_ends(&"word ".repeat(1000), 64);
        let mut start = 0;
        for &e in &ends[..ends.len() - 1] {
            assert!(e - start >= 64 && e - start <= 64 + 32, "{start}..{e}");
            start = e;
        }
        assert_eq!(*ends.last().unwrap(), 5000);
    }

    #[test]
    fn a_piece_never_splits_a_character() {
        let text = "é".repeat(100);
        for e in piece_ends(&text, 7) {
            assert!(text.is_char_boundary(e), "{e}");
        }
        assert_eq!(piece_ends("short", 7), vec![5]);
    }
}
