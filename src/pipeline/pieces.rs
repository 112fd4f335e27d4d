//! Long documents analysed in pieces. A document's working memory while it is analysed
//! (tokens, lowercased words, the taggers' state) is about 15 bytes a byte of text, while
//! what is kept (sentences, attributions, claims) is a few: a 50 MB document analysed whole
//! peaked at 770 MB. Cut at paragraph ends into pieces of [`PIECE_BYTES`] (or of a
//! half a million tokens, where text is dense in them), each piece is analysed alone and its
//! results appended, so the working memory is one piece's.
//!
//! News articles are far shorter than a piece and are analysed whole, as before. What a
//! document in pieces loses (docs/errors.md): nothing runs across a cut (a quotation, a
//! pronoun's antecedent, content waiting for the next paragraph's cue), each piece's first
//! paragraph is read as a document's first (a headline when it has no final punctuation),
//! and the analysis keeps no tokens (`Segmented::tokens` is empty and each sentence's
//! token range is `0..0`).

use super::{Analysis, Piece};
use crate::doc::Span;

/// Documents longer than this are analysed in pieces of about this size.
pub const PIECE_BYTES: usize = 4 << 20;

/// A piece of `size` bytes holds at most about `size / BYTES_PER_PIECE_TOKEN` tokens. The
/// working memory is about 200 bytes a token, and prose has a token every five or six
/// bytes; text dense in tokens (10 MB of quote marks, a token each) would otherwise take
/// 900 MB for one 4 MB piece. With 4 MB pieces: about half a million tokens, 100 to 200 MB;
/// prose pieces of 4 MB hold about 800,000 and are cut near 2.5 MB.
const BYTES_PER_PIECE_TOKEN: usize = 8;

/// The ends of the pieces of `text`, each about `size` bytes or `size / 8` tokens past the
/// last, whichever comes first: at a blank line in the next half of that, else a line end,
/// else a sentence end, else a space, else the first character boundary (text with none of
/// these is no prose). One end (the text's) when the whole text is within both limits.
pub fn piece_ends(text: &str, size: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let max_tokens = (size / BYTES_PER_PIECE_TOKEN).max(1);
    let mut ends = Vec::new();
    let mut start = 0;
    loop {
        let lo = limit(bytes, start, size, max_tokens);
        if lo == text.len() {
            break;
        }
        let hi = (lo + (lo - start) / 2).min(text.len());
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
        if start == text.len() {
            break;
        }
    }
    if start < text.len() || ends.is_empty() {
        ends.push(text.len());
    }
    ends
}

/// Where the text from `start` reaches `size` bytes or `max_tokens` tokens, or its end.
/// Tokens are estimated as the segmenter cuts them, near enough for a memory bound: an
/// ASCII punctuation mark is one, and so is each run of other non-space bytes. A text of
/// fewer bytes than `max_tokens` is not scanned, as it cannot hold more.
fn limit(bytes: &[u8], start: usize, size: usize, max_tokens: usize) -> usize {
    let end = start.saturating_add(size).min(bytes.len());
    if end - start <= max_tokens {
        return end;
    }
    let (mut tokens, mut in_word) = (0, false);
    for (i, &b) in bytes[start..end].iter().enumerate() {
        let starts = if b.is_ascii_whitespace() {
            in_word = false;
            false
        } else if b.is_ascii_punctuation() {
            in_word = false;
            true
        } else {
            !std::mem::replace(&mut in_word, true)
        };
        tokens += starts as usize;
        if tokens > max_tokens {
            return start + i;
        }
    }
    end
}

/// Makes `a`, the analysis of the text from byte `offset` on, a piece of the document: its
/// spans shifted by `offset` and its tokens dropped (see the module's note). Its indices stay
/// its own.
pub fn into_document(a: &mut Analysis, offset: usize) {
    let shift = |s: &mut Span| *s = Span::new(s.start + offset, s.end + offset);
    let shift_all = |v: &mut Vec<Span>| v.iter_mut().for_each(shift);
    a.segmented.tokens = Vec::new();
    for s in &mut a.segmented.sentences {
        shift(&mut s.span);
        s.tokens = 0..0;
    }
    for p in &mut a.segmented.paragraphs {
        shift(&mut p.span);
    }
    for at in &mut a.extraction.attributions {
        shift_all(&mut at.cue);
        shift_all(&mut at.source);
        shift_all(&mut at.content);
        if let Some(an) = &mut at.anonymity {
            an.reason.as_mut().map(shift);
            an.knowledge.as_mut().map(shift);
        }
    }
    for f in &mut a.extraction.sentences {
        shift(&mut f.span);
        shift_all(&mut f.hedges);
    }
    for c in &mut a.claims {
        shift(&mut c.span);
    }
}

/// Appends `piece` to `whole`, which holds the pieces before it: its indices made the
/// document's. Counts and the sourcing index are left for the caller to compute again.
pub fn append(whole: &mut Analysis, piece: Piece) {
    let Piece {
        analysis:
            Analysis {
                segmented,
                extraction,
                claims,
                ..
            },
        first,
    } = piece;
    for mut s in segmented.sentences {
        s.paragraph += first.paragraph;
        whole.segmented.sentences.push(s);
    }
    for mut p in segmented.paragraphs {
        p.sentences = p.sentences.start + first.sentence..p.sentences.end + first.sentence;
        whole.segmented.paragraphs.push(p);
    }
    for mut a in extraction.attributions {
        a.sentence += first.sentence;
        whole.extraction.attributions.push(a);
    }
    whole.extraction.sentences.extend(extraction.sentences);
    for mut c in claims {
        c.sentence += first.sentence;
        c.attribution = c.attribution.map(|k| k + first.attribution);
        whole.claims.push(c);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn pieces_end_at_blank_lines_then_line_ends_then_sentences() {
        let ends = |text: String| piece_ends(&text, 8);
        // After a blank line, a line end, a sentence end or a space in the 4 bytes past 8.
        assert_eq!(ends("xxxxxxxxx\n\n".repeat(3)), vec![11, 22, 33]);
        assert_eq!(ends("xxxxxxxxx\n".repeat(3)), vec![10, 20, 30]);
        assert_eq!(ends("xxxxxxxx. ".repeat(3)), vec![10, 20, 30]);
        assert_eq!(ends("xxxxxxxxx ".repeat(3)), vec![10, 20, 30]);
        // A blank line wins over an earlier line end in the window.
        assert_eq!(ends("xxxxxxxx\nx\n\nxxxx".to_string()), vec![12, 16]);
        // No break at all: cut at the limit.
        assert_eq!(ends("x".repeat(20)), vec![8, 16, 20]);
        // Each piece is at least `size` bytes, but the last (words of 11 bytes: fewer than
        // the 8 tokens a piece of 64 bytes may hold).
        let ends = piece_ends(&"longerword ".repeat(1000), 64);
        let mut start = 0;
        for &e in &ends[..ends.len() - 1] {
            assert!(e - start >= 64 && e - start <= 64 + 32, "{start}..{e}");
            start = e;
        }
        assert_eq!(*ends.last().unwrap(), 11000);
    }

    #[test]
    fn text_dense_in_tokens_is_cut_by_tokens() {
        // Size 40: at most 5 tokens a piece. Quote marks are a token each, so even a text
        // shorter than a piece is cut every 5 bytes; prose of the same length is not.
        let quotes = "\"".repeat(12);
        assert_eq!(piece_ends(&quotes, 40), vec![5, 10, 12]);
        let prose = "The minister said it.";
        assert_eq!(piece_ends(prose, 40), vec![prose.len()]);
        // "a, a, ...": two tokens every three bytes; the 6th token starts at byte 7, and
        // the cut is after the next space.
        let list = "a, ".repeat(30);
        let ends = piece_ends(&list, 40);
        assert_eq!(&ends[..2], &[9, 18]);
        // Non-ASCII words are one token each, however many bytes.
        assert_eq!(piece_ends(&"é".repeat(20), 40), vec![40]);
    }

    /// Every span of `a` lies in `text`, and every index points where it should.
    fn check_indices(text: &str, a: &Analysis) {
        let (seg, ext) = (&a.segmented, &a.extraction);
        assert_eq!(ext.sentences.len(), seg.sentences.len());
        for (i, s) in seg.sentences.iter().enumerate() {
            assert_eq!(ext.sentences[i].span, s.span);
            assert!(seg.paragraphs[s.paragraph].sentences.contains(&i));
            assert!(seg.paragraphs[s.paragraph].span.contains(&s.span));
        }
        for at in &ext.attributions {
            let cue = at.cue[0];
            assert!(
                seg.sentences[at.sentence].span.overlaps(&cue),
                "{:?}",
                cue.slice(text)
            );
        }
        for c in &a.claims {
            assert_eq!(c.span, seg.sentences[c.sentence].span);
            if let Some(k) = c.attribution {
                assert!(k < ext.attributions.len());
            }
        }
        assert_eq!(a.counts, super::super::DocCounts::of(ext, &a.claims));
    }

    /// The articles of data/sample (its ukraine, polnear and bbc folders), in file order.
    pub(crate) fn sample_articles() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
        let mut articles = Vec::new();
        for corpus in ["ukraine", "polnear", "bbc"] {
            let mut files: Vec<_> = std::fs::read_dir(dir.join(corpus))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            articles.extend(files.iter().map(|f| std::fs::read_to_string(f).unwrap()));
        }
        articles
    }

    #[test]
    fn a_document_in_pieces_is_its_pieces_analysed_alone_and_put_end_to_end() {
        use crate::pipeline::{analyze_in_pieces, analyze_whole, Resources};
        let res = Resources::embedded(crate::extract::ModelKind::Tagger).unwrap();
        let articles = sample_articles();
        let text = articles.join("\n\n").repeat(3);
        let size = 4096;
        let a = analyze_in_pieces(&text, &res, size);
        assert!(a.segmented.tokens.is_empty());
        check_indices(&text, &a);
        // What each piece alone finds, in text order: the same sentences, attributions
        // (by their words) and claim scores.
        let (mut sentences, mut cues, mut scores) = (Vec::new(), Vec::new(), Vec::new());
        let mut start = 0;
        for end in piece_ends(&text, size) {
            let piece = &text[start..end];
            let p = analyze_whole(piece, &res);
            sentences.extend(p.segmented.sentences.iter().map(|s| s.span.slice(piece)));
            cues.extend(p.extraction.attributions.iter().map(|at| {
                (
                    at.cue[0].slice(piece),
                    at.source.first().map(|s| s.slice(piece)),
                    at.source_type,
                )
            }));
            scores.extend(p.claims.iter().map(|c| (c.span.slice(piece), c.score)));
            start = end;
        }
        assert!(
            sentences.len() > 100 && cues.len() > 30,
            "{} {}",
            sentences.len(),
            cues.len()
        );
        let got: Vec<&str> = a
            .segmented
            .sentences
            .iter()
            .map(|s| s.span.slice(&text))
            .collect();
        assert_eq!(got, sentences);
        let got: Vec<_> = a
            .extraction
            .attributions
            .iter()
            .map(|at| {
                (
                    at.cue[0].slice(&text),
                    at.source.first().map(|s| s.slice(&text)),
                    at.source_type,
                )
            })
            .collect();
        assert_eq!(got, cues);
        let got: Vec<_> = a
            .claims
            .iter()
            .map(|c| (c.span.slice(&text), c.score))
            .collect();
        assert_eq!(got, scores);
        // A short document is analysed whole.
        let short = &articles[0];
        assert_eq!(
            analyze_in_pieces(short, &res, size).segmented,
            analyze_whole(short, &res).segmented
        );
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
