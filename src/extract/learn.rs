//! Multinomial logistic regression for the pattern decisions (source type, confirmation,
//! uncertainty): AdaGrad with L2, examples in a seeded order, so the same labels give the
//! same model bytes. Cross-validation folds are whole documents: claims in one article are not
//! independent, and a name seen in training must not leak into its own fold.

use std::collections::BTreeMap;

/// One labelled decision: feature indices, the class, and the document it comes from.
#[derive(Debug, Clone)]
pub struct Example {
    pub feats: Vec<u32>,
    pub label: usize,
    pub group: String,
}

#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub l2: f64,
    pub epochs: usize,
    /// Weight each class by its inverse frequency to this power (0: none, 0.5: square root,
    /// 1: fully balanced); rare types otherwise count little in the loss.
    pub balance: f64,
    /// Features whose weights are all below this (absolute) are dropped after training: a
    /// smaller model is looked up faster (it stays in cache).
    pub prune: f64,
}

/// Feature names to indices, in first-seen order; written sorted by name.
#[derive(Default)]
pub struct Vocabulary {
    pub index: BTreeMap<String, u32>,
    pub names: Vec<String>,
}

impl Vocabulary {
    pub fn id(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.index.insert(name.to_string(), i);
        self.names.push(name.to_string());
        i
    }
}

/// SplitMix64: a tiny deterministic generator (the example order here; the statistics
/// simulation test), the same sequence on every machine.
pub struct Rng(pub u64);
impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Weights, `nfeat * nc`, row-major by feature: the minimum of the class-weighted
/// cross-entropy summed over the examples plus `l2 / 2` times the squared weights, by
/// full-batch Adam (`epochs` steps of the whole set; deterministic, no example order).
pub fn train(ex: &[&Example], nfeat: usize, nc: usize, p: Params, _seed: u64) -> Vec<f64> {
    let mut w = vec![0f64; nfeat * nc];
    let mut m = vec![0f64; nfeat * nc];
    let mut v = vec![0f64; nfeat * nc];
    let mut grad = vec![0f64; nfeat * nc];
    let mut count = vec![0usize; nc];
    for e in ex {
        count[e.label] += 1;
    }
    let present = count.iter().filter(|&&c| c > 0).count().max(1);
    let class_w: Vec<f64> = count
        .iter()
        .map(|&c| {
            if c == 0 {
                1.0
            } else {
                (ex.len() as f64 / (present as f64 * c as f64)).powf(p.balance)
            }
        })
        .collect();
    let (lr, b1, b2): (f64, f64, f64) = (0.05, 0.9, 0.999);
    let mut s = vec![0f64; nc];
    for t in 1..=p.epochs {
        for (g, x) in grad.iter_mut().zip(&w) {
            *g = p.l2 * x;
        }
        for e in ex {
            probs(&w, nc, &e.feats, &mut s);
            let cw = class_w[e.label];
            for &f in &e.feats {
                let row = f as usize * nc;
                for c in 0..nc {
                    let y = if c == e.label { 1.0 } else { 0.0 };
                    grad[row + c] += cw * (s[c] - y);
                }
            }
        }
        let (c1, c2) = (1.0 - b1.powi(t as i32), 1.0 - b2.powi(t as i32));
        for i in 0..w.len() {
            m[i] = b1 * m[i] + (1.0 - b1) * grad[i];
            v[i] = b2 * v[i] + (1.0 - b2) * grad[i] * grad[i];
            w[i] -= lr * (m[i] / c1) / ((v[i] / c2).sqrt() + 1e-8);
        }
    }
    if p.prune > 0.0 {
        for row in w.chunks_mut(nc) {
            if row.iter().all(|x| x.abs() < p.prune) {
                row.iter_mut().for_each(|x| *x = 0.0);
            }
        }
    }
    w
}

/// Class probabilities of one example into `s`.
pub fn probs(w: &[f64], nc: usize, feats: &[u32], s: &mut [f64]) {
    s.iter_mut().for_each(|x| *x = 0.0);
    for &f in feats {
        let row = f as usize * nc;
        if row + nc <= w.len() {
            for c in 0..nc {
                s[c] += w[row + c];
            }
        }
    }
    let m = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let mut z = 0.0;
    for x in s.iter_mut() {
        *x = (*x - m).exp();
        z += *x;
    }
    s.iter_mut().for_each(|x| *x /= z);
}

/// The most probable class (ties to the lower index).
pub fn predict(w: &[f64], nc: usize, feats: &[u32]) -> usize {
    let mut s = vec![0f64; nc];
    probs(w, nc, feats, &mut s);
    let mut best = 0;
    for c in 1..nc {
        if s[c] > s[best] {
            best = c;
        }
    }
    best
}

/// The fold of a document: documents sorted by name, dealt round-robin after a seeded
/// shuffle.
pub fn folds(ex: &[Example], k: usize, seed: u64) -> BTreeMap<String, usize> {
    let mut groups: Vec<&str> = ex.iter().map(|e| e.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    let mut rng = Rng(seed);
    for i in (1..groups.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        groups.swap(i, j);
    }
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.to_string(), i % k))
        .collect()
}

/// Out-of-fold predictions for every example.
pub fn cross_validate(
    ex: &[Example],
    nfeat: usize,
    nc: usize,
    p: Params,
    k: usize,
    seed: u64,
) -> Vec<usize> {
    let fold = folds(ex, k, seed);
    let mut pred = vec![0usize; ex.len()];
    for f in 0..k {
        let train_set: Vec<&Example> = ex.iter().filter(|e| fold[&e.group] != f).collect();
        let w = train(&train_set, nfeat, nc, p, seed);
        for (i, e) in ex.iter().enumerate() {
            if fold[&e.group] == f {
                pred[i] = predict(&w, nc, &e.feats);
            }
        }
    }
    pred
}

/// Precision, recall, F1 and gold count of one class.
pub type ClassScore = (f64, f64, f64, usize);

/// Per-class precision, recall and F1 over (gold, predicted) pairs, and the macro-F1 over the
/// classes that occur in gold.
pub fn prf(pairs: &[(usize, usize)], nc: usize) -> (Vec<ClassScore>, f64, f64) {
    let mut per = Vec::new();
    let mut macro_sum = 0.0;
    let mut present = 0;
    for c in 0..nc {
        let tp = pairs.iter().filter(|(g, p)| *g == c && *p == c).count() as f64;
        let np = pairs.iter().filter(|(_, p)| *p == c).count() as f64;
        let ng = pairs.iter().filter(|(g, _)| *g == c).count();
        let pr = if np > 0.0 { tp / np } else { 0.0 };
        let re = if ng > 0 { tp / ng as f64 } else { 0.0 };
        let f1 = if pr + re > 0.0 {
            2.0 * pr * re / (pr + re)
        } else {
            0.0
        };
        if ng > 0 {
            macro_sum += f1;
            present += 1;
        }
        per.push((pr, re, f1, ng));
    }
    let acc = pairs.iter().filter(|(g, p)| g == p).count() as f64 / pairs.len().max(1) as f64;
    (per, macro_sum / present.max(1) as f64, acc)
}

/// The model file: a `classes` line, then one line per feature with any weight of at least
/// `min_abs`, sorted by name, weights to four decimals.
pub fn write_model(
    header: &str,
    classes: &[&str],
    vocab: &Vocabulary,
    w: &[f64],
    min_abs: f64,
) -> String {
    let nc = classes.len();
    let mut out = String::from(header);
    out.push_str("classes");
    for c in classes {
        out.push('\t');
        out.push_str(c);
    }
    out.push('\n');
    for (name, &i) in &vocab.index {
        let row = &w[i as usize * nc..(i as usize + 1) * nc];
        if row.iter().all(|x| x.abs() < min_abs) {
            continue;
        }
        out.push_str(name);
        for x in row {
            // `-0.0000` and `0.0000` are the same weight; write one of them.
            let v = if x.abs() < 0.00005 { 0.0 } else { *x };
            out.push_str(&format!("\t{v:.4}"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> (Vec<Example>, usize) {
        // Feature 0 is a bias; feature 1 marks class 1, feature 2 class 2; 30 documents.
        let mut ex = Vec::new();
        for d in 0..30 {
            for c in 0..3usize {
                let mut feats = vec![0];
                if c > 0 {
                    feats.push(c as u32);
                }
                ex.push(Example {
                    feats,
                    label: c,
                    group: format!("doc{d}"),
                });
            }
        }
        (ex, 3)
    }

    #[test]
    fn learns_a_separable_problem_and_cross_validates_by_document() {
        let (ex, nfeat) = toy();
        let p = Params {
            l2: 1.0,
            epochs: 200,
            balance: 0.0,
            prune: 0.0,
        };
        let pred = cross_validate(&ex, nfeat, 3, p, 5, 1);
        assert!(ex.iter().zip(&pred).all(|(e, p)| e.label == *p));
        // Whole documents go to one fold.
        let f = folds(&ex, 5, 1);
        assert_eq!(f.len(), 30);
        assert!((0..5).all(|k| f.values().filter(|&&v| v == k).count() == 6));
    }

    #[test]
    fn training_is_deterministic_and_pruning_drops_weak_rows() {
        let (ex, nfeat) = toy();
        let all: Vec<&Example> = ex.iter().collect();
        let p = Params {
            l2: 1.0,
            epochs: 50,
            balance: 1.0,
            prune: 0.0,
        };
        assert_eq!(train(&all, nfeat, 3, p, 1), train(&all, nfeat, 3, p, 2));
        let pruned = train(&all, nfeat, 3, Params { prune: 1e9, ..p }, 1);
        assert!(pruned.iter().all(|w| *w == 0.0));
    }
}
