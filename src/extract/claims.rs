//! Claim detection: is a sentence a **factual** claim (checkable, needing a source), the
//! author's **opinion**, or **other** (no claim: questions, headlines, boilerplate)? A
//! multinomial logistic regression over the sentence's lowercased words and word bigrams and
//! the engine's own signals (attributions, uncertainty, numbers, pronouns, modals, final
//! punctuation, position, quotes). Definitions: docs/claims-guideline.md. Trained by
//! `onrecord train-claims` on data/labels/claim-kinds.tsv (and NewsSD-ENG) into
//! data/models/claim-kinds.tsv.
//!
//! Table rows and footers are `other` whatever the model says ([`is_layout`]).
//!
//! `extract` calls [`ClaimModel::classify_document`] last, for every sentence;
//! [`sentence_features`] is the entry point for single sentences and training.

use super::sourcetype::{feature_hash, model_lines, part_hash, Features, WeightTable};
use super::{Extraction, SourceType};
use crate::segment::{layout, Segmented, TokenKind};

const DEFAULT_MODEL: &str = include_str!("../../data/models/claim-kinds.tsv");
const SUBJECTIVITY: &str = include_str!("../../data/lexicons/subjectivity.txt");
const INTENSIFIERS: &str = include_str!("../../data/lexicons/intensifiers.txt");

/// A word's entry in the subjectivity lexicons: [VADER valence, +1 intensifier / -1
/// dampener], looked up by the word's [`part_hash`], which the features compute anyway.
type Lexicon = WeightTable<2>;

/// The lexicons, parsed on first use: `word<TAB>number` lines after `#` comments.
fn lexicon() -> &'static Lexicon {
    static L: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    L.get_or_init(|| {
        let mut rows: std::collections::BTreeMap<u64, [f32; 2]> = Default::default();
        for (col, text) in [(0, SUBJECTIVITY), (1, INTENSIFIERS)] {
            for (_, line) in model_lines(text) {
                let (w, x) = line.split_once('\t').unwrap_or((line, ""));
                let x: f32 = x.parse().expect("a number after the word");
                rows.entry(part_hash(w.as_bytes())).or_default()[col] = x;
            }
        }
        WeightTable::from_rows(rows.into_iter().collect())
    })
}

/// |valence| from which a lexicon word counts as evaluative, and as strongly so.
const VALENCE: f32 = 1.0;
const STRONG_VALENCE: f32 = 2.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClaimKind {
    Factual,
    Opinion,
    Other,
}

impl ClaimKind {
    /// In the model file's column order.
    pub const ALL: [ClaimKind; 3] = [ClaimKind::Factual, ClaimKind::Opinion, ClaimKind::Other];
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Factual => "factual",
            ClaimKind::Opinion => "opinion",
            ClaimKind::Other => "other",
        }
    }
}

impl std::str::FromStr for ClaimKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        ClaimKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown claim kind {s:?}: use factual, opinion or other"))
    }
}

const NC: usize = ClaimKind::ALL.len();
/// The model file's line naming the decision threshold.
pub const FACTUAL_THRESHOLD: &str = "factual_threshold";

/// Weights per feature hash, one per kind, and the decision threshold.
pub struct ClaimModel {
    index: WeightTable<NC>,
    /// A sentence is factual when its probability of being factual reaches this; else the
    /// more probable of opinion and other. Chosen with the weights, by cross-validation.
    factual_threshold: f64,
}

/// The decision of [`ClaimModel`]: factual when `p[factual] >= threshold`, else the more
/// probable of the other kinds (ties to the earlier); with the probability of the kind.
pub fn decide(p: &[f64; NC], factual_threshold: f64) -> (ClaimKind, f64) {
    if p[0] >= factual_threshold {
        return (ClaimKind::Factual, p[0]);
    }
    let best = if p[2] > p[1] { 2 } else { 1 };
    (ClaimKind::ALL[best], p[best])
}

impl ClaimModel {
    /// The model shipped in data/models/claim-kinds.tsv. Parsed on every call: the caller
    /// loads it once per run and passes it on, as with the other resources.
    pub fn embedded() -> Result<ClaimModel, String> {
        ClaimModel::parse(DEFAULT_MODEL).map_err(|e| format!("data/models/claim-kinds.tsv: {e}"))
    }

    /// `#` comments; a `classes<TAB>factual<TAB>opinion<TAB>other` line; a
    /// `factual_threshold<TAB>p` line; then `feature<TAB>w_factual<TAB>w_opinion<TAB>w_other`.
    pub fn parse(text: &str) -> Result<ClaimModel, String> {
        let mut rows = Vec::new();
        let mut saw_classes = false;
        let mut factual_threshold = None;
        for (n, line) in model_lines(text) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols[0] == FACTUAL_THRESHOLD {
                let t = cols
                    .get(1)
                    .and_then(|x| x.parse::<f64>().ok())
                    .filter(|t| (0.0..=1.0).contains(t) && cols.len() == 2)
                    .ok_or_else(|| {
                        format!("line {n}: want `{FACTUAL_THRESHOLD}<TAB>p`, p in 0..1")
                    })?;
                factual_threshold = Some(t);
                continue;
            }
            if cols.len() != NC + 1 {
                return Err(format!(
                    "line {n}: {} columns, want {} (name and {NC} weights)",
                    cols.len(),
                    NC + 1
                ));
            }
            if cols[0] == "classes" {
                for (k, c) in ClaimKind::ALL.iter().zip(&cols[1..]) {
                    if k.as_str() != *c {
                        return Err(format!("line {n}: class {c:?}, want {:?}", k.as_str()));
                    }
                }
                saw_classes = true;
                continue;
            }
            let mut row = [0f32; NC];
            for (r, x) in row.iter_mut().zip(&cols[1..]) {
                *r = x
                    .parse()
                    .map_err(|_| format!("line {n}: {x:?} is not a number"))?;
            }
            rows.push((feature_hash(cols[0]), row));
        }
        if !saw_classes {
            return Err("no `classes` line".to_string());
        }
        let factual_threshold =
            factual_threshold.ok_or_else(|| format!("no `{FACTUAL_THRESHOLD}` line"))?;
        Ok(ClaimModel {
            index: WeightTable::from_rows(rows),
            factual_threshold,
        })
    }

    pub fn factual_threshold(&self) -> f64 {
        self.factual_threshold
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The probability of each kind, in the order of [`ClaimKind::ALL`].
    pub fn probabilities(&self, f: &Features) -> [f64; NC] {
        let mut s = [0f64; NC];
        for h in &f.hashes {
            if let Some(w) = self.index.get(*h) {
                for (x, y) in s.iter_mut().zip(w) {
                    *x += f64::from(*y);
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
        s
    }

    /// The kind ([`decide`]) and its probability.
    pub fn classify(&self, f: &Features) -> (ClaimKind, f64) {
        decide(&self.probabilities(f), self.factual_threshold)
    }

    /// Every sentence of an analysed document, in order: the per-document signals are found
    /// once and the buffers reused, so the cost is linear in the document.
    pub fn classify_document(
        &self,
        text: &str,
        seg: &Segmented,
        ext: &Extraction,
    ) -> Vec<(ClaimKind, f64)> {
        let signals = document_signals(seg, ext);
        let mut fz = Featurizer::default();
        let mut f = Features::default();
        (0..seg.sentences.len())
            .map(|i| {
                if is_layout(text, seg, i) {
                    return (ClaimKind::Other, 1.0);
                }
                fz.features(text, seg, ext, i, signals[i], false, &mut f);
                self.classify(&f)
            })
            .collect()
    }
}

/// Sentence `i` is layout, not prose: a table row or a footer, or in a paragraph that a
/// footer opens ("NOTE: ..." and the sentences after it); definitions in
/// [`crate::segment::layout`]. It makes no claim and cites no source.
pub fn is_layout(text: &str, seg: &Segmented, i: usize) -> bool {
    let Some(s) = seg.sentences.get(i) else {
        return false;
    };
    let body = s.span.slice(text);
    let opener = seg
        .paragraphs
        .get(s.paragraph)
        .and_then(|p| seg.sentences.get(p.sentences.start))
        .map_or("", |o| o.span.slice(text));
    layout::is_table_row(body) || layout::is_footer(body) || layout::is_footer(opener)
}

/// What the extraction says about a sentence, as bits: the flags below, and from bit
/// [`TYPE_SHIFT`] the source types (by [`SourceType::ALL`] index) of the attributions whose
/// cue is in it, so that no sentence looks through the document's attributions.
pub type Signals = u32;
const TYPE_SHIFT: u32 = 8;
/// A cue of an attribution lies in the sentence.
const CUE: Signals = 1;
/// A source lies in the sentence.
const SOURCE: Signals = 2;
/// The sentence overlaps the content of an attribution whose cue is in it.
const CONTENT_SAME: Signals = 4;
/// ... or of one whose cue is in another sentence (a running quote, "..., he added." before).
const CONTENT_OTHER: Signals = 8;

/// The sentences a byte span overlaps.
fn sentences_of(seg: &Segmented, sp: crate::doc::Span) -> std::ops::Range<usize> {
    let a = seg.sentences.partition_point(|s| s.span.end <= sp.start);
    let b = seg
        .sentences
        .partition_point(|s| s.span.start < sp.end.max(sp.start + 1));
    a..b.max(a)
}

fn mark(ext: &Extraction, seg: &Segmented, mut set: impl FnMut(usize, Signals)) {
    for a in &ext.attributions {
        if let Some(t) = SourceType::ALL.iter().position(|&t| t == a.source_type) {
            set(a.sentence, 1 << (TYPE_SHIFT + t as u32));
        }
        for sp in &a.cue {
            sentences_of(seg, *sp).for_each(|i| set(i, CUE));
        }
        for sp in &a.source {
            sentences_of(seg, *sp).for_each(|i| set(i, SOURCE));
        }
        for sp in &a.content {
            for i in sentences_of(seg, *sp) {
                set(
                    i,
                    if i == a.sentence {
                        CONTENT_SAME
                    } else {
                        CONTENT_OTHER
                    },
                );
            }
        }
    }
}

/// The signals of every sentence, in O(spans * log sentences).
pub fn document_signals(seg: &Segmented, ext: &Extraction) -> Vec<Signals> {
    let mut v = vec![0; seg.sentences.len()];
    mark(ext, seg, |i, b| {
        if let Some(x) = v.get_mut(i) {
            *x |= b;
        }
    });
    v
}

/// The features of sentence `i` of an analysed document (`seg` and `ext` from the
/// pipeline). Looks at every attribution: for a whole document use
/// [`ClaimModel::classify_document`] or [`document_signals`] with a [`Featurizer`].
pub fn sentence_features(text: &str, seg: &Segmented, ext: &Extraction, i: usize) -> Features {
    let mut sig = 0;
    mark(ext, seg, |j, b| {
        if j == i {
            sig |= b;
        }
    });
    let mut f = Features::default();
    Featurizer::default().features(text, seg, ext, i, sig, false, &mut f);
    f
}

/// First-person pronoun (1), second-person (2), modal verb (3), modal of obligation (4:
/// the author telling what ought to be); one `match` per word, since it runs on every word
/// of the corpus.
fn word_class(w: &str) -> u8 {
    match w {
        "i" | "me" | "my" | "mine" | "myself" | "we" | "us" | "our" | "ours" | "ourselves" => 1,
        "you" | "your" | "yours" | "yourself" | "yourselves" => 2,
        "should" | "must" | "ought" => 4,
        "will" | "would" | "could" | "might" | "may" | "can" | "shall" | "need" => 3,
        _ => 0,
    }
}

fn bucket(n: usize, edges: &[(usize, &'static str)], last: &'static str) -> &'static str {
    edges.iter().find(|(e, _)| n <= *e).map_or(last, |(_, s)| s)
}

/// Reusable buffers for the features of many sentences: the lowercased words of a sentence
/// go into one string, so a sentence costs no allocation once the buffers have grown.
#[derive(Default)]
pub struct Featurizer {
    lower: String,
    /// (start, end) of each token's word in `lower`.
    words: Vec<(usize, usize)>,
}

impl Featurizer {
    /// The features of sentence `i` into `out`. `sig`: its [`document_signals`].
    /// `standalone`: the sentence was analysed alone (NewsSD-ENG), so its position in an
    /// article means nothing and is left out.
    #[allow(clippy::too_many_arguments)]
    pub fn features(
        &mut self,
        text: &str,
        seg: &Segmented,
        ext: &Extraction,
        i: usize,
        sig: Signals,
        standalone: bool,
        out: &mut Features,
    ) {
        out.clear();
        let Some(s) = seg.sentences.get(i) else {
            return;
        };
        let toks = &seg.tokens[s.tokens.clone()];
        self.lower.clear();
        self.words.clear();
        let (mut n_words, mut n_caps, mut n_quoted) = (0usize, 0usize, 0usize);
        let (mut has_num, mut has_quote) = (false, false);
        for t in toks {
            let w = t.span.slice(text);
            let a = self.lower.len();
            match t.kind {
                TokenKind::OpenQuote | TokenKind::CloseQuote => {
                    has_quote = true;
                    self.lower.push('"');
                }
                TokenKind::Dash => self.lower.push('-'),
                // Numbers by shape: "52" and "1990" say the same about the kind.
                _ if w.bytes().any(|b| b.is_ascii_digit()) => {
                    has_num = true;
                    self.lower.push('0');
                }
                _ => {
                    if w.is_ascii() {
                        // Copied whole and lowercased in place: no char-by-char encoding.
                        self.lower.push_str(w);
                        self.lower[a..].make_ascii_lowercase();
                    } else {
                        self.lower.extend(w.chars().flat_map(char::to_lowercase));
                    }
                    if t.kind == TokenKind::Word {
                        n_words += 1;
                        n_caps += usize::from(w.chars().next().is_some_and(char::is_uppercase));
                    }
                }
            }
            n_quoted += usize::from(t.in_quote);
            self.words.push((a, self.lower.len()));
        }
        let word = |k: usize| &self.lower[self.words[k].0..self.words[k].1];
        out.add(&["bias"]);
        let (mut modal, mut deontic, mut p1, mut p2) = (false, false, false, false);
        let lex = lexicon();
        // Evaluative words in the author's voice (outside quotation marks) and in quotes.
        let (mut pos, mut neg, mut strong, mut quoted_eval) = (0usize, 0usize, false, false);
        let (mut intensifier, mut dampener) = (false, false);
        // Each word hashed once, for its unigram and both bigrams.
        let [w_h, b_h, bar_h, start_h, end_h] =
            ["w=", "b=", "|", "<s>", "</s>"].map(|p| part_hash(p.as_bytes()));
        let (mut prev, mut prev_h) = ("<s>", start_h);
        for (k, t) in toks.iter().enumerate() {
            let w = word(k);
            let h = part_hash(w.as_bytes());
            out.add_hashed(&[w_h, h], &["w=", w]);
            out.add_hashed(&[b_h, prev_h, bar_h, h], &["b=", prev, "|", w]);
            match word_class(w) {
                1 => p1 = true,
                2 => p2 = true,
                3 => modal = true,
                4 => (modal, deontic) = (true, true),
                _ => {}
            }
            if let Some(&[v, boost]) = lex.get(h) {
                if t.in_quote {
                    quoted_eval |= v.abs() >= VALENCE;
                } else {
                    pos += usize::from(v >= VALENCE);
                    neg += usize::from(v <= -VALENCE);
                    strong |= v.abs() >= STRONG_VALENCE;
                    intensifier |= boost > 0.0;
                    dampener |= boost < 0.0;
                }
            }
            (prev, prev_h) = (w, h);
        }
        out.add_hashed(&[b_h, prev_h, bar_h, end_h], &["b=", prev, "|", "</s>"]);
        // The engine's signals.
        for (bit, name) in [
            (CUE, "cue"),
            (SOURCE, "source"),
            (CONTENT_SAME, "content_same"),
            (CONTENT_OTHER, "content_other"),
        ] {
            if sig & bit != 0 {
                // One part per word: a model file name is split at its spaces.
                out.add(&["sig=", name]);
            }
        }
        if sig & (CUE | SOURCE | CONTENT_SAME | CONTENT_OTHER) == 0 {
            out.add(&["sig=", "none"]);
        }
        if ext.sentences.get(i).is_some_and(|f| f.uncertain) {
            out.add(&["uncertain"]);
        }
        for (t, ty) in SourceType::ALL.iter().enumerate() {
            if sig & (1 << (TYPE_SHIFT + t as u32)) != 0 {
                out.add(&["source_type=", ty.as_str()]);
            }
        }
        if has_num {
            out.add(&["number"]);
        }
        if p1 {
            out.add(&["person=", "1"]);
        }
        if p2 {
            out.add(&["person=", "2"]);
        }
        if modal {
            out.add(&["modal"]);
        }
        if deontic {
            out.add(&["modal=", "deontic"]);
        }
        for (on, name) in [
            (pos > 0, "pos"),
            (neg > 0, "neg"),
            (strong, "strong"),
            (quoted_eval, "quoted"),
            (intensifier, "intensifier"),
            (dampener, "dampener"),
        ] {
            if on {
                out.add(&["eval=", name]);
            }
        }
        out.add(&[
            "eval_n=",
            bucket(pos + neg, &[(0, "0"), (1, "1"), (2, "2")], "3+"),
        ]);
        if pos + neg > 0 && sig & (CUE | SOURCE | CONTENT_SAME | CONTENT_OTHER) == 0 {
            // Judgement with no attribution in or around the sentence: the author's own.
            out.add(&["eval=", "author"]);
        }
        // The last token that is not a closing quote: `."` ends like `.`.
        let last = toks
            .iter()
            .rposition(|t| t.kind != TokenKind::CloseQuote)
            .map_or("", |k| word(k));
        out.add(&[
            "end=",
            match last {
                "." | "?" | "!" | ":" | ";" | "…" => last,
                _ => "none",
            },
        ]);
        out.add(&[
            "len=",
            bucket(
                n_words,
                &[(3, "1-3"), (7, "4-7"), (15, "8-15"), (30, "16-30")],
                "31+",
            ),
        ]);
        if n_words >= 3 && n_caps * 10 >= n_words * 6 {
            // Title Case: a headline or a byline.
            out.add(&["title_case"]);
        }
        if toks.first().is_some_and(|t| t.kind == TokenKind::OpenQuote) {
            out.add(&["starts_quote"]);
        }
        if has_quote {
            out.add(&["has_quote"]);
        }
        out.add(&[
            "quoted=",
            match n_quoted * 4 / toks.len().max(1) {
                0 if n_quoted == 0 => "none",
                0 | 1 => "some",
                _ => "most",
            },
        ]);
        if !standalone {
            let p = &seg.paragraphs[s.paragraph];
            // A first paragraph with nothing after it is the body, not a headline.
            if s.paragraph == 0 && seg.paragraphs.len() > 1 {
                out.add(&["para=", "first"]);
            }
            if p.sentences.len() == 1 {
                out.add(&["para=", "alone"]);
            } else if p.sentences.start == i {
                out.add(&["para=", "opens"]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{analyze, Resources};

    fn kinds(text: &str) -> Vec<ClaimKind> {
        let res = Resources::embedded(crate::extract::ModelKind::Tagger).unwrap();
        let model = ClaimModel::embedded().unwrap();
        let a = analyze(text, &res);
        let all = model.classify_document(text, &a.segmented, &a.extraction);
        // The single-sentence path gives the same decisions.
        for (i, k) in all.iter().enumerate() {
            let f = sentence_features(text, &a.segmented, &a.extraction, i);
            assert_eq!(model.classify(&f), *k);
        }
        all.into_iter().map(|(k, _)| k).collect()
    }

    #[test]
    fn the_model_file_is_checked_and_errors_name_the_line() {
        let m = ClaimModel::parse(
            "# test\nfactual_threshold\t0.5\nclasses\tfactual\topinion\tother\nbias\t1\t0\t0\nw= terrible\t0\t3\t0\n",
        )
        .unwrap();
        assert_eq!(m.factual_threshold(), 0.5);
        let mut f = Features::default();
        f.add(&["bias"]);
        let (k, p) = m.classify(&f);
        assert_eq!(k, ClaimKind::Factual);
        // softmax(1, 0, 0)
        assert!((p - 1f64.exp() / (1f64.exp() + 2.0)).abs() < 1e-9);
        f.add(&["w=", "terrible"]);
        assert_eq!(m.classify(&f).0, ClaimKind::Opinion);
        assert_eq!(
            ClaimModel::parse("classes\tfactual\topinion\tother\n\nbias\t1\tx\t0\n").err(),
            Some("line 3: \"x\" is not a number".to_string())
        );
        assert_eq!(
            ClaimModel::parse("classes\tfactual\topinion\tother\nbias\t1\t0\t0\n").err(),
            Some("no `factual_threshold` line".to_string())
        );
        assert!(
            ClaimModel::parse("factual_threshold\t1.5\nclasses\tfactual\topinion\tother\n")
                .is_err_and(|e| e.starts_with("line 1: want `factual_threshold"))
        );
        assert_eq!(
            ClaimModel::parse("# c\nclasses\tfactual\topinion\tother\nbias\t1\t0\n").err(),
            Some("line 3: 3 columns, want 4 (name and 3 weights)".to_string())
        );
        assert_eq!(
            ClaimModel::parse("classes\tfactual\tother\topinion\n").err(),
            Some("line 1: class \"other\", want \"opinion\"".to_string())
        );
        assert!(ClaimModel::parse("bias\t1\t0\t0\n").is_err());
        assert!(!ClaimModel::embedded().unwrap().is_empty());
    }

    #[test]
    fn factual_wins_from_its_threshold_and_the_likelier_other_kind_below_it() {
        // Factual is not the likeliest kind but reaches the threshold.
        assert_eq!(decide(&[0.4, 0.45, 0.15], 0.4), (ClaimKind::Factual, 0.4));
        // Below it: the likelier of opinion and other, even when factual is the likeliest.
        assert_eq!(decide(&[0.45, 0.2, 0.35], 0.5), (ClaimKind::Other, 0.35));
        assert_eq!(decide(&[0.45, 0.3, 0.25], 0.5), (ClaimKind::Opinion, 0.3));
    }

    #[test]
    fn signals_come_from_the_extraction() {
        let res = Resources::embedded(crate::extract::ModelKind::Tagger).unwrap();
        let text = "The minister said the plan was a disaster. Prices rose.";
        let a = analyze(text, &res);
        let sig = document_signals(&a.segmented, &a.extraction);
        assert_eq!(sig.len(), 2);
        assert_ne!(sig[0] & CUE, 0, "{:?}", a.extraction.attributions);
        assert_eq!(sig[1], 0);
        let mut fz = Featurizer::default();
        let mut named = Features::with_names();
        fz.features(
            text,
            &a.segmented,
            &a.extraction,
            0,
            sig[0],
            false,
            &mut named,
        );
        let names = named.names.unwrap();
        for want in [
            "sig= cue",
            "w= minister",
            "b= <s> | the",
            "end= .",
            "para= opens",
        ] {
            assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
        }
        // A lone paragraph is the body; the first of several may be a headline.
        assert!(!names.iter().any(|n| n == "para= first"), "{names:?}");
        let text = "Minister resigns\nThe minister said the plan was a disaster.";
        let a = analyze(text, &res);
        let mut named = Features::with_names();
        fz.features(text, &a.segmented, &a.extraction, 0, 0, false, &mut named);
        assert!(named.names.unwrap().iter().any(|n| n == "para= first"));
        // The hashes are those of the names the model file holds, for every kind of feature.
        let text = "\"We should go,\" she said.\nYou must read 3 books! Why?\nThe Big Red Dog";
        let a = analyze(text, &res);
        let sig = document_signals(&a.segmented, &a.extraction);
        for (i, &s) in sig.iter().enumerate() {
            let mut named = Features::with_names();
            fz.features(text, &a.segmented, &a.extraction, i, s, false, &mut named);
            let names = named.names.unwrap();
            assert_eq!(
                named.hashes,
                names.iter().map(|n| feature_hash(n)).collect::<Vec<_>>(),
                "{names:?}"
            );
        }
    }

    #[test]
    fn evaluative_words_are_counted_in_the_authors_voice_apart_from_quotes() {
        // VADER valences (data/lexicons/subjectivity.txt): wonderful 2.7, terrible -2.1,
        // disaster -3.1; "very" intensifies, "slightly" dampens (intensifiers.txt).
        let lex = lexicon();
        let v = |w: &str| lex.get(part_hash(w.as_bytes())).copied();
        assert_eq!(v("wonderful"), Some([2.7, 0.0]));
        assert_eq!(v("slightly"), Some([0.0, -1.0]));
        assert_eq!(v("council"), None);
        let res = Resources::embedded(crate::extract::ModelKind::Tagger).unwrap();
        let names = |text: &str| {
            let a = analyze(text, &res);
            let sig = document_signals(&a.segmented, &a.extraction);
            let mut f = Features::with_names();
            Featurizer::default().features(
                text,
                &a.segmented,
                &a.extraction,
                0,
                sig[0],
                true,
                &mut f,
            );
            f.names.unwrap()
        };
        let author = names("This very wonderful plan is a terrible disaster.");
        for want in [
            "eval= pos",
            "eval= neg",
            "eval= strong",
            "eval= intensifier",
            "eval_n= 3+",
            "eval= author",
        ] {
            assert!(author.iter().any(|n| n == want), "{want} in {author:?}");
        }
        assert!(!author.iter().any(|n| n == "eval= quoted"), "{author:?}");
        let quoted = names("\"It is a disaster,\" she said.");
        assert!(quoted.iter().any(|n| n == "eval= quoted"), "{quoted:?}");
        assert!(quoted.iter().any(|n| n == "eval_n= 0"), "{quoted:?}");
        assert!(!quoted.iter().any(|n| n == "eval= author"), "{quoted:?}");
        let told = names("The council should act now.");
        assert!(told.iter().any(|n| n == "modal= deontic"), "{told:?}");
    }

    /// The kind of `sentence` in the middle of an article's second paragraph, after a
    /// headline: where the labelled sentences stand. (Alone, a sentence is a paragraph of
    /// its own at the top of a document: a headline's place.)
    fn kind_in_article(sentence: &str) -> ClaimKind {
        let text = format!(
            "Council budget vote\nThe council met on Monday to discuss the budget. \
             {sentence} The meeting lasted three hours.\n"
        );
        let k = kinds(&text);
        assert_eq!(k.len(), 4, "{text}");
        k[2]
    }

    #[test]
    fn clear_cases_of_the_guideline() {
        for (t, want) in [
            (
                "The Senate passed the bill 52-48 on Tuesday.",
                ClaimKind::Factual,
            ),
            ("Unemployment rose to 5.1% in March.", ClaimKind::Factual),
            (
                "The minister said the plan was a disaster.",
                ClaimKind::Factual,
            ),
            ("This is a terrible idea.", ClaimKind::Opinion),
            ("The government should act now.", ClaimKind::Opinion),
            ("What happens next?", ClaimKind::Other),
        ] {
            assert_eq!(kind_in_article(t), want, "{t}");
        }
        // The headline itself.
        assert_eq!(
            kinds("Council budget vote\nThe council met on Monday.\n")[0],
            ClaimKind::Other
        );
    }
}
