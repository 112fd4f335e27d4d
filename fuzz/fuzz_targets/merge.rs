//! `merge` input: two summary.json texts (separated by a NUL byte) read, merged, and every
//! figure, comparison and the report computed from them: no panic and no hang, whatever the
//! counts (a summary is input like any other; counts near u64::MAX hung t quantiles once).
#![no_main]
use libfuzzer_sys::fuzz_target;
use onrecord::aggregate::{CompareOptions, Scope, Summary};
use onrecord::report::{self, examples::Examples};

fuzz_target!(|data: &[u8]| {
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (a, b) = (&data[..cut], data.get(cut + 1..).unwrap_or(&[]));
    let Ok(mut summary) = serde_json::from_slice::<Summary>(a) else {
        return;
    };
    if let Ok(other) = serde_json::from_slice::<Summary>(b) {
        // Refused merges (the same run twice, overflowing counts) are errors, not panics.
        let _ = summary.merge(other);
    }
    let rows = summary.rows();
    let _ = onrecord::export::tables::corpora_wide(&rows);
    for scope in [Scope::Rest, Scope::Pairs] {
        let options = CompareOptions {
            scope,
            min_group_docs: 2,
        };
        if let Ok(comparisons) = summary.compare(options) {
            let html = report::render(&report::Inputs {
                summary: &summary,
                comparisons: &comparisons,
                periods: None,
                examples: &Examples::new(0),
                by: "group",
                explain: "onrecord explain INPUT",
            });
            assert!(html.ends_with("</html>\n"));
        }
    }
});
