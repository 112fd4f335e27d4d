//! The --meta table reader on arbitrary bytes: no panic, an error names the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = onrecord::ingest::fuzzing::meta(data) {
        assert!(e.contains("fuzz.csv"), "{e}");
    }
});
