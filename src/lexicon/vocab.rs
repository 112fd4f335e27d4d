//! The vocabulary: every word of the phrase lexicons, numbered, so that a document's tokens
//! are hashed once and then matched against every lexicon by id.

use rustc_hash::FxHashMap;

/// Word id of a token that no phrase lexicon holds (no start bits, no table row).
pub const NO_WORD: u32 = NUMBER_MASK;

/// The top byte of a word id says which phrase lexicons have a phrase starting with the word
/// (bit `k`: the `k`-th phrase lexicon), so a lexicon pass turns most tokens away on the id
/// it already holds, without a table read; the low bits number the word.
pub(super) const START_SHIFT: u32 = 24;
const NUMBER_MASK: u32 = (1 << START_SHIFT) - 1;

/// The first of `ids` at or after `from` with one of the start bits `bits` (see
/// [`super::Lexicon::start_bit`]), or `ids.len()`: lexicon passes leap over the words that
/// start none of their phrases, eight ids to a step.
#[inline]
pub fn next_start(ids: &[u32], from: usize, bits: u8) -> usize {
    // A lexicon without an id index (see [`super::Lexicon::start_bit`]) may start anywhere.
    if bits == 0xff {
        return from.min(ids.len());
    }
    let mask = u32::from(bits) << START_SHIFT;
    let mut i = from;
    while let Some(chunk) = ids.get(i..i + 8) {
        if chunk.iter().fold(0, |m, &x| m | x) & mask != 0 {
            break;
        }
        i += 8;
    }
    while i < ids.len() && ids[i] & mask == 0 {
        i += 1;
    }
    i.min(ids.len())
}

/// The index of a word id in tables by word (its number without the start bits).
#[inline(always)]
pub fn id_index(id: u32) -> usize {
    (id & NUMBER_MASK) as usize
}

/// Every word of the phrase lexicons, numbered in the order they were interned: a
/// document's tokens are looked up once ([`Vocab::id`]) and then matched against every
/// lexicon by id, without hashing again.
///
/// Words of up to 16 bytes (nearly all tokens) sit in an open-addressing table keyed by
/// their bytes as two integers, so a lookup is a multiply and a compare or two.
#[derive(Debug, Default)]
pub struct Vocab {
    ids: FxHashMap<Box<str>, u32>,
    /// (packed word, length, id); length 0 marks an empty slot. Power-of-two size.
    short: Vec<Slot>,
    /// How far past slot `h` the words whose first slot is `h` were placed (linear probing).
    /// Nearly always 0: then a lookup compares one slot and picks the answer without a branch
    /// (whether a token is a lexicon word is a coin toss no branch predictor guesses).
    displaced: Vec<u8>,
    shift: u32,
    /// Ids of one-byte words (punctuation, "a", "i"): a third of all tokens.
    single: Vec<u32>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    key: (u64, u64),
    len: u32,
    id: u32,
}

/// Longest word kept in the table; longer ones go through the hash map.
const SHORT_MAX: usize = 16;

/// A word of 2 to 16 bytes as two integers, with overlapping loads instead of a copy: with
/// the length known, every byte is covered once or twice, so two words of one length get the
/// same key only when they are equal.
#[inline(always)]
fn pack(w: &[u8]) -> (u64, u64) {
    let n = w.len();
    let u32_at = |i: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&w[i..i + 4]);
        u32::from_le_bytes(b)
    };
    let u64_at = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&w[i..i + 8]);
        u64::from_le_bytes(b)
    };
    if n > 8 {
        (u64_at(0), u64_at(n - 8))
    } else if n >= 4 {
        (u64::from(u32_at(0)) | (u64::from(u32_at(n - 4)) << 32), 0)
    } else if n > 0 {
        (
            u64::from(w[0]) | (u64::from(w[n / 2]) << 8) | (u64::from(w[n - 1]) << 16),
            0,
        )
    } else {
        (0, 0)
    }
}

impl Vocab {
    /// Id of a lowercase word, [`NO_WORD`] when no phrase lexicon has it.
    #[inline(always)]
    pub fn id(&self, lower: &str) -> u32 {
        let w = lower.as_bytes();
        if let [b] = w {
            if let Some(&id) = self.single.get(usize::from(*b)) {
                return id;
            }
        }
        if w.len() > SHORT_MAX || w.is_empty() || self.short.is_empty() {
            return self.id_slow(lower);
        }
        let key = pack(w);
        let h = self.slot(key);
        let s = self.short[h];
        let hit = (s.key.0 == key.0) & (s.key.1 == key.1) & (s.len as usize == w.len());
        if self.displaced[h] == 0 {
            return if hit { s.id } else { NO_WORD };
        }
        self.probe(lower, key, h)
    }
    /// [`Vocab::id`] where words of slot `h` were placed further on.
    #[inline(never)]
    fn probe(&self, lower: &str, key: (u64, u64), h: usize) -> u32 {
        if self.displaced[h] == u8::MAX {
            return self.id_slow(lower);
        }
        let (mask, len) = (self.short.len() - 1, lower.len());
        (0..=usize::from(self.displaced[h]))
            .map(|d| self.short[(h + d) & mask])
            .find(|s| s.key == key && s.len as usize == len)
            .map_or(NO_WORD, |s| s.id)
    }
    #[inline(never)]
    fn id_slow(&self, lower: &str) -> u32 {
        self.ids.get(lower).copied().unwrap_or(NO_WORD)
    }
    /// The first slot of a key.
    #[inline(always)]
    fn slot(&self, key: (u64, u64)) -> usize {
        let h = (key.0 ^ key.1.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> self.shift) as usize
    }
    /// The id of `w`, numbering it if it is new.
    pub(super) fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.ids.get(w) {
            return id;
        }
        let n = self.ids.len() as u32;
        self.ids.insert(w.into(), n);
        n
    }
    /// Build the short-word table once every word is interned.
    pub(super) fn seal(&mut self) {
        // At most a quarter full: probes stay short.
        let size = (self.ids.len() * 4).next_power_of_two().max(64);
        self.shift = 64 - size.trailing_zeros();
        let mut short = vec![Slot::default(); size];
        let mut displaced = vec![0u8; size];
        let mask = size - 1;
        let mut words: Vec<(&Box<str>, &u32)> = self.ids.iter().collect();
        words.sort();
        let mut single = vec![NO_WORD; 256];
        for &(w, &id) in &words {
            let b = w.as_bytes();
            if let [c] = b {
                single[usize::from(*c)] = id;
            }
            if b.is_empty() || b.len() > SHORT_MAX {
                continue;
            }
            let key = pack(b);
            let h = self.slot(key);
            let mut i = h;
            while short[i].len != 0 {
                i = (i + 1) & mask;
            }
            // At most a quarter full, runs are short; words of a slot with one placed 255 or
            // more slots on are looked up in the hash map instead.
            let d = u8::try_from((i + size - h) & mask).unwrap_or(u8::MAX);
            displaced[h] = displaced[h].max(d);
            short[i] = Slot {
                key,
                len: b.len() as u32,
                id,
            };
        }
        self.short = short;
        self.displaced = displaced;
        self.single = single;
    }
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    /// Give every id its start bits (`starts[number]`), once the lexicons are indexed.
    pub(super) fn mark_starts(&mut self, starts: &[u8]) {
        self.ids.values_mut().for_each(|id| mark(id, starts));
        self.short.iter_mut().for_each(|s| mark(&mut s.id, starts));
        self.single.iter_mut().for_each(|id| mark(id, starts));
    }
    /// Every word with its id.
    #[cfg(test)]
    pub(super) fn words(&self) -> impl Iterator<Item = (&str, u32)> {
        self.ids.iter().map(|(w, &id)| (&**w, id))
    }
}

/// Set the start bits of a word id from `starts` (by its number); [`NO_WORD`] keeps none.
pub(super) fn mark(id: &mut u32, starts: &[u8]) {
    if let Some(&b) = starts.get(id_index(*id)) {
        *id = (*id & NUMBER_MASK) | (u32::from(b) << START_SHIFT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_number_words_in_interning_order_and_stay_put() {
        let mut v = Vocab::default();
        assert_eq!(v.id("said"), NO_WORD);
        assert_eq!(
            ["said", "a", "according", "said", "to"].map(|w| v.intern(w)),
            [0, 1, 2, 0, 3]
        );
        v.seal();
        assert_eq!(
            ["said", "a", "according", "to"].map(|w| v.id(w)),
            [0, 1, 2, 3]
        );
        assert_eq!(
            (v.id("b"), v.id(""), v.id("saidx")),
            (NO_WORD, NO_WORD, NO_WORD)
        );
        // Start bits go on top of the number; the index stays the word's.
        v.mark_starts(&[0b10, 0, 0b1, 0]);
        assert_eq!(v.id("said"), 0b10 << START_SHIFT);
        assert_eq!(id_index(v.id("according")), 2);
        assert_eq!(v.id("a"), 1);
        assert_eq!(v.id("zzz"), NO_WORD);
    }
}
