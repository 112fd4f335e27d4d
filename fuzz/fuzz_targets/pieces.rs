//! A document analysed piece by piece (pieces of 16 to 2,063 bytes, from the input's first
//! two bytes): the extract record made piece by piece has the bytes of the record of the
//! pieces put together, parses as JSON, and every span lies inside the text on char
//! boundaries, whichever extractor.
#![no_main]
use libfuzzer_sys::fuzz_target;
use onrecord::doc::Document;
use onrecord::extract::ModelKind;
use onrecord::export::jsonl;
use onrecord::pipeline::{self, Resources};

/// Loaded once: the fuzzer runs the target millions of times.
static RESOURCES: std::sync::LazyLock<[Resources; 2]> = std::sync::LazyLock::new(|| {
    [ModelKind::Rules, ModelKind::Tagger]
        .map(|m| Resources::embedded(m).expect("embedded resources load"))
});

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else { return };
    let size = 16 + (usize::from(*a) << 3 | usize::from(*b) & 7);
    let doc = Document {
        id: "f".into(),
        corpus: "c".into(),
        text: String::from_utf8_lossy(rest).into_owned(),
        ..Document::default()
    };
    let text = doc.text.as_str();
    for res in RESOURCES.iter() {
        let whole = pipeline::analyze_in_pieces(text, res, size);
        for s in whole.extraction.sentences.iter().map(|f| f.span) {
            assert!(s.start <= s.end && s.end <= text.len());
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        }
        for at in &whole.extraction.attributions {
            for s in at.cue.iter().chain(&at.source).chain(&at.content) {
                assert!(s.start <= s.end && s.end <= text.len());
                assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            }
        }
        let mut want = Vec::new();
        jsonl::write_record(&mut want, &doc, &whole).expect("write to Vec");
        let (parts, chars) = jsonl::record_in_pieces(&doc, res, size, &std::env::temp_dir())
            .expect("spill to the temporary folder");
        let mut got = Vec::new();
        parts.write(&mut got, &doc, chars).expect("write to Vec");
        assert!(got == want, "piece by piece differs from the pieces put together");
        serde_json::from_slice::<serde_json::Value>(&got).expect("record is JSON");
    }
});
