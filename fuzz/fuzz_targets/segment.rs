//! The segmenter on arbitrary text: no panic, and every span inside the text on char
//! boundaries, sentences and paragraphs in order.
#![no_main]
use libfuzzer_sys::fuzz_target;
use onrecord::doc::Span;
use onrecord::lexicon::Lexicons;

fn check(text: &str, s: Span) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{s:?} outside {}",
        text.len()
    );
    assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
}

/// Loaded once: the fuzzer runs the target millions of times.
static LEXICONS: std::sync::LazyLock<Lexicons> = std::sync::LazyLock::new(Lexicons::embedded);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let seg = onrecord::segment::segment(&text, LEXICONS.splitter());
    for t in &seg.tokens {
        check(&text, t.span);
    }
    let mut last = 0;
    for s in &seg.sentences {
        check(&text, s.span);
        assert!(s.span.start >= last, "sentences out of order");
        last = s.span.end;
        assert!(s.tokens.end <= seg.tokens.len());
        assert!(s.paragraph < seg.paragraphs.len());
    }
    for p in &seg.paragraphs {
        check(&text, p.span);
        assert!(p.sentences.end <= seg.sentences.len());
    }
});
