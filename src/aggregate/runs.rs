//! Which `score` runs a summary holds, so that `merge` can refuse to count one run twice.
//!
//! A run is known by the fingerprint of its documents: the wrapping sum of a 128-bit
//! FNV-1a hash of each document's group, id, claim scores and attribution count. A sum
//! does not depend on the order the documents came in (or the thread count), so one input
//! scored twice has one fingerprint, and two runs over different documents have different
//! ones except with probability about 2^-128.

use std::collections::BTreeSet;

use super::DocStats;

const FNV_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const FNV_PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

fn fnv1a(mut h: u128, bytes: &[u8]) -> u128 {
    for &b in bytes {
        h = (h ^ u128::from(b)).wrapping_mul(FNV_PRIME);
    }
    h
}

/// The hash of one document; fields are length-prefixed, so no two documents' fields run
/// together into the same bytes.
fn document_hash(d: &DocStats) -> u128 {
    let mut h = FNV_OFFSET;
    for text in [&d.group, &d.doc] {
        h = fnv1a(h, &(text.len() as u64).to_le_bytes());
        h = fnv1a(h, text.as_bytes());
    }
    h = fnv1a(h, &d.n_claims.to_le_bytes());
    for s in &d.scores {
        h = fnv1a(h, &s.to_bits().to_le_bytes());
    }
    fnv1a(h, &d.n_attributions.to_le_bytes())
}

/// The runs of a summary: those merged into it, and the one its own documents make.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Runs {
    /// Fingerprints of the runs merged in (read from summary.json or merged summaries).
    merged: BTreeSet<u128>,
    /// The wrapping sum of the hashes of the documents added directly.
    own: u128,
    own_docs: u64,
}

impl Runs {
    pub(super) fn add_doc(&mut self, d: &DocStats) {
        self.own = self.own.wrapping_add(document_hash(d));
        self.own_docs += 1;
    }

    /// Every run held, the own documents' as one (a summary without documents holds none).
    pub(super) fn all(&self) -> BTreeSet<u128> {
        let mut all = self.merged.clone();
        if self.own_docs > 0 {
            all.insert(self.own);
        }
        all
    }

    pub(super) fn from_merged(merged: BTreeSet<u128>) -> Runs {
        Runs {
            merged,
            ..Runs::default()
        }
    }

    /// A run that both hold, if any.
    pub(super) fn shared(&self, other: &Runs) -> Option<u128> {
        let mine = self.all();
        other.all().into_iter().find(|r| mine.contains(r))
    }

    pub(super) fn merge(&mut self, other: &Runs) {
        self.merged.extend(other.all());
    }
}

/// A run's fingerprint as written in summary.json: 32 hexadecimal digits.
pub fn run_id(fingerprint: u128) -> String {
    format!("{fingerprint:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::testing::doc;

    #[test]
    fn a_run_is_its_documents_in_any_order() {
        let docs = [
            doc("d1", "g", &[(50.0, &[])]),
            doc("d2", "g", &[(20.0, &[]), (70.5, &[])]),
            doc("d1", "h", &[(50.0, &[])]),
        ];
        let mut a = Runs::default();
        let mut b = Runs::default();
        for d in &docs {
            a.add_doc(d);
        }
        for d in docs.iter().rev() {
            b.add_doc(d);
        }
        assert_eq!(a.all(), b.all());
        assert_eq!(a.shared(&b), a.all().first().copied());
        // Another score, another id or another group: another run.
        for other in [
            doc("d1", "g", &[(50.1, &[])]),
            doc("d9", "g", &[(50.0, &[])]),
            doc("d1", "k", &[(50.0, &[])]),
        ] {
            let mut c = Runs::default();
            c.add_doc(&other);
            assert_ne!(c.all(), {
                let mut d = Runs::default();
                d.add_doc(&docs[0]);
                d.all()
            });
        }
        assert!(Runs::default().all().is_empty());
        assert_eq!(run_id(255), "000000000000000000000000000000ff");
    }
}
