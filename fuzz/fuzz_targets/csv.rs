//! The CSV and TSV readers on arbitrary bytes: no panic; ids are never empty.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for tab in [false, true] {
        for item in onrecord::ingest::fuzzing::csv(data, tab) {
            match item {
                Ok(doc) => assert!(!doc.id.is_empty()),
                Err(p) => assert!(!p.message.is_empty()),
            }
        }
    }
});
