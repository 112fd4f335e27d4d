//! The JSONL reader on arbitrary bytes: no panic; every problem names a line.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for item in onrecord::ingest::fuzzing::jsonl(data) {
        match item {
            Ok(doc) => assert!(!doc.id.is_empty()),
            Err(p) => assert!(!p.message.is_empty()),
        }
    }
});
