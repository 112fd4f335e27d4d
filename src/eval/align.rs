//! Matching predictions to gold and the sets the figures are computed over: code points,
//! tokens and trimmed spans, each as the Python scorer forms them.

use super::brat::GoldAttribution;
use super::predictions::PredAttribution;
use super::python::{py_isspace, PyClasses};
use std::collections::HashMap;

/// Non-whitespace code points covered by `spans`, sorted; with `strip_edges` (the classes that
/// say what punctuation is), punctuation at both ends of that sorted list is removed
/// (Python's `char_set`).
pub(super) fn char_set(
    spans: &[(usize, usize)],
    chars: &[char],
    strip_edges: Option<&PyClasses>,
) -> Vec<usize> {
    let mut v: Vec<usize> = spans
        .iter()
        .flat_map(|&(s, e)| s..e.min(chars.len()))
        .filter(|&i| !py_isspace(chars[i]))
        .collect();
    v.sort_unstable();
    v.dedup();
    if let Some(py) = strip_edges {
        let lo = v.iter().take_while(|&&i| py.is_punct(chars[i])).count();
        let hi = v.len()
            - v[lo..]
                .iter()
                .rev()
                .take_while(|&&i| py.is_punct(chars[i]))
                .count();
        v.truncate(hi);
        v.drain(..lo);
    }
    v
}

/// Token index of every code point (`NO_TOKEN` for whitespace), tokens as `\w+|[^\w\s]`.
pub(super) struct DocTokens {
    tok_of_char: Vec<u32>,
    pub(super) n: usize,
}

const NO_TOKEN: u32 = u32::MAX;

impl DocTokens {
    pub(super) fn new(text: &str, n_chars: usize, py: &PyClasses) -> DocTokens {
        let mut tok_of_char = vec![NO_TOKEN; n_chars];
        let (mut byte, mut ch) = (0usize, 0usize);
        let mut n = 0usize;
        for (t, m) in py.tokens(text).enumerate() {
            ch += text[byte..m.start()].chars().count();
            let len = m.as_str().chars().count();
            for slot in tok_of_char.iter_mut().skip(ch).take(len) {
                *slot = t as u32;
            }
            ch += len;
            byte = m.end();
            n = t + 1;
        }
        DocTokens { tok_of_char, n }
    }

    /// Sorted distinct tokens touched by `spans`.
    pub(super) fn tokens(&self, spans: &[(usize, usize)]) -> Vec<u32> {
        let mut v = Vec::new();
        self.mark(spans, |t| v.push(t));
        v.sort_unstable();
        v.dedup();
        v
    }

    pub(super) fn mark(&self, spans: &[(usize, usize)], mut f: impl FnMut(u32)) {
        for &(s, e) in spans {
            let e = e.min(self.tok_of_char.len());
            for &t in self.tok_of_char.get(s..e).unwrap_or(&[]) {
                if t != NO_TOKEN {
                    f(t);
                }
            }
        }
    }
}

/// Each fragment with whitespace trimmed at both ends; empty ones dropped.
pub(super) fn trimmed_segments<'a>(
    spans: &'a [(usize, usize)],
    chars: &'a [char],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    spans.iter().filter_map(|&(s, e)| {
        let (mut s, mut e) = (s, e.min(chars.len()));
        while s < e && py_isspace(chars[s]) {
            s += 1;
        }
        while e > s && py_isspace(chars[e - 1]) {
            e -= 1;
        }
        (s < e).then_some((s, e))
    })
}

/// Size of the intersection of two sorted, deduplicated lists.
pub(super) fn inter_len<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

pub(super) fn set_f1(g: &[u32], p: &[u32]) -> f64 {
    if g.is_empty() && p.is_empty() {
        return 1.0;
    }
    let inter = inter_len(g, p);
    if inter == 0 {
        0.0
    } else {
        2.0 * inter as f64 / (g.len() + p.len()) as f64
    }
}

/// Greedy one-to-one matching by cue overlap (largest first; ties: lower gold, then lower
/// prediction index). Returns (gold index, prediction index) in the order matched.
pub(super) fn match_doc(
    gold: &[GoldAttribution],
    pred: &[PredAttribution],
    chars: &[char],
) -> Vec<(usize, usize)> {
    // An inverted index (code point -> gold cues covering it) keeps this linear in cue lengths
    // rather than |gold| x |pred| set intersections.
    let mut index: HashMap<usize, Vec<usize>> = HashMap::new();
    for (gi, g) in gold.iter().enumerate() {
        for c in char_set(&g.cue, chars, None) {
            index.entry(c).or_default().push(gi);
        }
    }
    let mut cands: Vec<(usize, usize, usize)> = Vec::new(); // (overlap, gi, pi)
    let mut count = vec![0usize; gold.len()];
    let mut touched = Vec::new();
    for (pi, p) in pred.iter().enumerate() {
        for c in char_set(&p.cue, chars, None) {
            for &gi in index.get(&c).map(Vec::as_slice).unwrap_or(&[]) {
                if count[gi] == 0 {
                    touched.push(gi);
                }
                count[gi] += 1;
            }
        }
        for gi in touched.drain(..) {
            cands.push((count[gi], gi, pi));
            count[gi] = 0;
        }
    }
    cands.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_g = vec![false; gold.len()];
    let mut used_p = vec![false; pred.len()];
    let mut pairs = Vec::new();
    for (_, gi, pi) in cands {
        if used_g[gi] || used_p[pi] {
            continue;
        }
        used_g[gi] = true;
        used_p[pi] = true;
        pairs.push((gi, pi));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens_of(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let t = DocTokens::new(text, chars.len(), &PyClasses::compile());
        let mut out: Vec<String> = Vec::new();
        let mut last = NO_TOKEN;
        for (i, &tk) in t.tok_of_char.iter().enumerate() {
            if tk == NO_TOKEN {
                continue;
            }
            if tk != last {
                out.push(String::new());
                last = tk;
            }
            if let Some(s) = out.last_mut() {
                s.push(chars[i]);
            }
        }
        assert_eq!(out.len(), t.n);
        out
    }

    #[test]
    fn tokens_follow_python_re() {
        // re.findall(r"\w+|[^\w\s]", s) in Python 3.11: combining marks are not \w, ½ ² are;
        // U+001F is whitespace to Python (not to Rust), U+200B is not whitespace.
        let s = "Zoe\u{301}'s ½ x² café—“ok” a\u{1f}b c\u{200b}d $5_000";
        let want = [
            "Zoe", "\u{301}", "'", "s", "½", "x²", "café", "—", "“", "ok", "”", "a", "b", "c",
            "\u{200b}", "d", "$", "5_000",
        ];
        assert_eq!(tokens_of(s), want);
    }

    #[test]
    fn source_edges_and_matching_ties() {
        let text = "“Bob,” said X, and Bob said.";
        let chars: Vec<char> = text.chars().collect();
        // punctuation stripped at both edges of the non-whitespace set, not inside
        let s = char_set(&[(0, 6)], &chars, Some(&PyClasses::compile()));
        assert_eq!(s, vec![1, 2, 3]);
        let g = GoldAttribution {
            cue: vec![(7, 11)],
            ..Default::default()
        };
        let p = |s, e| PredAttribution {
            cue: vec![(s, e)],
            ..Default::default()
        };
        // two predictions overlap the gold cue equally: the lower index wins; a whitespace-only
        // cue never matches
        let pairs = match_doc(
            std::slice::from_ref(&g),
            &[p(6, 7), p(8, 12), p(7, 10)],
            &chars,
        );
        assert_eq!(pairs, vec![(0, 1)]);
        let pairs = match_doc(&[g], &[p(6, 7), p(7, 10), p(8, 12)], &chars);
        assert_eq!(pairs, vec![(0, 1)]);
    }
}
