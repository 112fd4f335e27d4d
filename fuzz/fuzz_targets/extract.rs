//! Both extractors (rules and tagger) on arbitrary text: no panic, every span inside the text
//! on char boundaries, and the exported JSON record parses with spans inside the text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use onrecord::doc::{Document, Span};
use onrecord::extract::ModelKind;
use onrecord::pipeline::{self, Resources};

/// Loaded once: the fuzzer runs the target millions of times.
static RESOURCES: std::sync::LazyLock<[Resources; 2]> = std::sync::LazyLock::new(|| {
    [ModelKind::Rules, ModelKind::Tagger]
        .map(|m| Resources::embedded(m).expect("embedded resources load"))
});

fn check(text: &str, s: &Span) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{s:?} outside {}",
        text.len()
    );
    assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let chars = text.chars().count() as u64;
    for res in RESOURCES.iter() {
        let analysis = pipeline::analyze(&text, res);
        let (seg, ext) = (&analysis.segmented, &analysis.extraction);
        for a in &ext.attributions {
            for s in a.cue.iter().chain(&a.source).chain(&a.content) {
                check(&text, s);
            }
            assert!(a.sentence < seg.sentences.len().max(1));
        }
        for f in &ext.sentences {
            check(&text, &f.span);
            f.hedges.iter().for_each(|h| check(&text, h));
        }
        let doc = Document {
            id: "f".into(),
            corpus: "c".into(),
            text: text.clone(),
            ..Document::default()
        };
        let mut out = Vec::new();
        onrecord::export::jsonl::write_record(&mut out, &doc, &analysis).expect("write to Vec");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("record is JSON");
        // Every [start, end] pair in the record counts code points inside the text.
        let mut stack = vec![&v];
        while let Some(x) = stack.pop() {
            match x {
                serde_json::Value::Array(a) => {
                    if let [serde_json::Value::Number(s), serde_json::Value::Number(e)] =
                        a.as_slice()
                    {
                        if let (Some(s), Some(e)) = (s.as_u64(), e.as_u64()) {
                            assert!(s <= e && e <= chars, "span [{s},{e}] outside {chars} chars");
                        }
                    }
                    stack.extend(a);
                }
                serde_json::Value::Object(o) => stack.extend(o.values()),
                _ => {}
            }
        }
    }
});
