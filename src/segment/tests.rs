//! Segmenter tests: golden sentence splits from real articles, span invariants,
//! scorer-compatible tokens, quotation tracking and pathological input.

use super::chars::{class_of, is_word_char, C_BREAK, C_OTHER, C_SPACE, C_WORD};
use super::lex::Lexicon;
use super::{pyword, reference, scanner, Segmented, TokenKind, MAX_SENTENCE_TOKENS};
use std::path::{Path, PathBuf};

/// The embedded splitter lists.
fn words() -> &'static Lexicon {
    crate::lexicon::test_lexicons().splitter()
}

/// [`super::segment`] with the embedded lists.
fn segment(text: &str) -> Segmented {
    super::segment(text, words())
}

const GOLDEN: &str = include_str!("../../tests/data/segment_golden.txt");

struct Case {
    name: String,
    line: usize,
    input: String,
    expected: Vec<String>,
}

/// Parses the golden file (format in its header).
fn golden_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut cur: Option<(Case, bool)> = None;
    for (n, line) in GOLDEN.split('\n').enumerate() {
        if let Some(name) = line.strip_prefix("===") {
            if let Some((c, _)) = cur.take() {
                cases.push(c);
            }
            let case = Case {
                name: name.trim().to_string(),
                line: n + 1,
                input: String::new(),
                expected: Vec::new(),
            };
            cur = Some((case, false));
            continue;
        }
        let Some((case, in_expected)) = cur.as_mut() else {
            continue; // the header
        };
        if line == "---" && !*in_expected {
            *in_expected = true;
        } else if *in_expected {
            if !line.is_empty() {
                case.expected.push(line.to_string());
            }
        } else {
            case.input.push_str(line);
            case.input.push('\n');
        }
    }
    if let Some((c, _)) = cur {
        cases.push(c);
    }
    cases
}

fn sentences_of(text: &str) -> Vec<String> {
    let seg = segment(text);
    seg.sentences
        .iter()
        .map(|s| s.span.slice(text).to_string())
        .collect()
}

#[test]
fn golden_sentence_splits() {
    let cases = golden_cases();
    assert!(cases.len() >= 90, "only {} golden cases", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        assert!(
            !c.expected.is_empty(),
            "golden case `{}` (line {}) has no expected sentences",
            c.name,
            c.line
        );
        let got = sentences_of(&c.input);
        if got != c.expected {
            let mut msg = format!("case `{}` (segment_golden.txt line {}):\n", c.name, c.line);
            for l in &c.expected {
                if !got.contains(l) {
                    msg.push_str(&format!("  - {l}\n"));
                }
            }
            for l in &got {
                if !c.expected.contains(l) {
                    msg.push_str(&format!("  + {l}\n"));
                }
            }
            failures.push(msg);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden cases fail (- expected, + got):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Checks every structural promise of [`segment`] on `text`.
fn check_invariants(text: &str) -> Segmented {
    let seg = segment(text);
    let mut prev_end = 0;
    for (i, t) in seg.tokens.iter().enumerate() {
        assert!(t.span.start < t.span.end, "empty token {i}");
        assert!(
            t.span.start >= prev_end,
            "token {i} overlaps or is out of order"
        );
        assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        let gap = &text[prev_end..t.span.start];
        assert!(
            gap.chars()
                .all(|c| class_of(c) == C_SPACE || class_of(c) == C_BREAK),
            "non-space text {gap:?} skipped before token {i}"
        );
        prev_end = t.span.end;
    }
    assert!(text[prev_end..].chars().all(char::is_whitespace));
    let mut next_tok = 0;
    let mut next_sent = 0;
    for (pi, p) in seg.paragraphs.iter().enumerate() {
        assert_eq!(
            p.sentences.start, next_sent,
            "paragraph {pi} skips sentences"
        );
        assert!(
            p.sentences.start < p.sentences.end,
            "paragraph {pi} is empty"
        );
        for si in p.sentences.clone() {
            let s = &seg.sentences[si];
            assert_eq!(s.paragraph, pi);
            assert_eq!(s.tokens.start, next_tok, "sentence {si} skips tokens");
            assert!(s.tokens.start < s.tokens.end, "sentence {si} is empty");
            assert_eq!(s.span.start, seg.tokens[s.tokens.start].span.start);
            assert_eq!(s.span.end, seg.tokens[s.tokens.end - 1].span.end);
            assert!(p.span.contains(&s.span));
            next_tok = s.tokens.end;
        }
        next_sent = p.sentences.end;
        assert!(!text[p.span.start..p.span.end].contains('\n'));
    }
    assert_eq!(next_tok, seg.tokens.len());
    assert_eq!(next_sent, seg.sentences.len());
    seg
}

/// The scorer's tokenizer, `\w+|[^\w\s]`, written out with Python's classes.
fn scorer_tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        match class_of(c) {
            C_SPACE | C_BREAK => {}
            C_WORD => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = it.peek() {
                    if class_of(d) != C_WORD {
                        break;
                    }
                    end = j + d.len_utf8();
                    it.next();
                }
                out.push(&text[i..end]);
            }
            _ => out.push(&text[i..i + c.len_utf8()]),
        }
    }
    out
}

fn token_texts(text: &str) -> Vec<&str> {
    segment(text)
        .tokens
        .iter()
        .map(|t| t.span.slice(text))
        .collect()
}

/// Edge cases: empty text, blank lines, non-ASCII letters, spaces and breaks, combining
/// marks, runs of quotes and of terminators.
const TRICKY: [&str; 7] = [
    "",
    "\n\n  \n",
    "Café “yes” 🎉 said Zoë.\r\nÀ bientôt, señor — naïve coöperation… ‘Quoted’ 😀😀!",
    "a\u{2028}b\u{2029}c\u{85}d\u{a0}e\u{1c}f",
    "x\u{301}y \u{feff}z \u{200b}",
    "\"\"\"''' ’’’ “”“ ‘",
    "...?!. . .",
];

#[test]
fn invariants_hold_on_golden_and_tricky_text() {
    for c in golden_cases() {
        check_invariants(&c.input);
    }
    for text in TRICKY {
        check_invariants(text);
        assert_eq!(token_texts(text), scorer_tokens(text), "on {text:?}");
    }
}

#[test]
fn tokens_match_scorer_regex() {
    let text = "Clinton’s aides didn't say “no”—they said 3.5% of U.S. voters (N.Y.) pay $1,400… _x_ 2016's";
    let got = token_texts(text);
    let want = [
        "Clinton", "’", "s", "aides", "didn", "'", "t", "say", "“", "no", "”", "—", "they", "said",
        "3", ".", "5", "%", "of", "U", ".", "S", ".", "voters", "(", "N", ".", "Y", ".", ")",
        "pay", "$", "1", ",", "400", "…", "_x_", "2016", "'", "s",
    ];
    assert_eq!(got, want);
    // Combining marks are not \w in Python: "é" spelled e + U+0301 is two tokens.
    assert_eq!(token_texts("Jose\u{301} x"), ["Jose", "\u{301}", "x"]);
}

/// The texts of PolNeAR's `split` (`dev`, `train`) from `../shared` beside the crate, in
/// path order. Panics when they are missing: a test of the real corpus must not pass
/// without it.
fn polnear_texts(split: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../shared/polnear/{split}/text"));
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; place the shared data (PolNeAR, BBC) in ../shared beside the crate",
            dir.display()
        )
    });
    let mut paths: Vec<_> = entries
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    paths.sort();
    assert!(!paths.is_empty(), "{} holds no texts", dir.display());
    paths
        .into_iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, text)
        })
        .collect()
}

#[test]
fn tokens_match_scorer_on_polnear_docs() {
    for (p, text) in polnear_texts("dev").iter().take(20) {
        check_invariants(text);
        assert_eq!(token_texts(text), scorer_tokens(text), "{}", p.display());
    }
}

#[test]
fn token_kinds() {
    let text = "He said “It’s 42” — ‘maybe’ the Clintons’ 1990s' 'plan' \"ok\" (yes).";
    let seg = segment(text);
    let kinds: Vec<(&str, TokenKind)> = seg
        .tokens
        .iter()
        .map(|t| (t.span.slice(text), t.kind))
        .collect();
    use TokenKind::*;
    let want = [
        ("He", Word),
        ("said", Word),
        ("“", OpenQuote),
        ("It", Word),
        ("’", Punct),
        ("s", Word),
        ("42", Number),
        ("”", CloseQuote),
        ("—", Dash),
        ("‘", OpenQuote),
        ("maybe", Word),
        ("’", CloseQuote),
        ("the", Word),
        ("Clintons", Word),
        ("’", Punct),
        ("1990s", Word),
        ("'", Punct),
        ("'", OpenQuote),
        ("plan", Word),
        ("'", CloseQuote),
        ("\"", OpenQuote),
        ("ok", Word),
        ("\"", CloseQuote),
        ("(", Punct),
        ("yes", Word),
        (")", Punct),
        (".", Punct),
    ];
    assert_eq!(kinds, want);
}

/// Token texts flagged in_quote, joined by spaces, one string per run.
fn quoted_runs(text: &str) -> Vec<String> {
    let seg = segment(text);
    let mut runs: Vec<String> = Vec::new();
    let mut open = false;
    for t in &seg.tokens {
        if t.in_quote {
            if !open {
                runs.push(String::new());
            } else if let Some(r) = runs.last_mut() {
                r.push(' ');
            }
            if let Some(r) = runs.last_mut() {
                r.push_str(t.span.slice(text));
            }
        }
        open = t.in_quote;
    }
    runs
}

#[test]
fn quotes_span_sentences_and_reopened_paragraphs() {
    let text = "He said, “We will win. We will win big.\n\n“Believe me,” he added.\n";
    assert_eq!(
        quoted_runs(text),
        ["We will win . We will win big .", "Believe me ,"]
    );
    let seg = segment(text);
    assert!(seg.quote_continues(text, 0));
    assert!(!seg.quote_continues(text, 1));
    // Straight quotes, BBC style, reopened inside one paragraph.
    let bbc = "Ms Hewitt said: \"We have doubled it. \"We are going to extend it.\" She said.";
    assert_eq!(
        quoted_runs(bbc),
        ["We have doubled it .", "We are going to extend it ."]
    );
}

#[test]
fn unbalanced_quote_is_closed_at_paragraph_end() {
    let text = "She said “this never closes.\nNext paragraph is plain.\n";
    assert_eq!(quoted_runs(text), ["this never closes ."]);
    let seg = segment(text);
    assert!(!seg.quote_continues(text, 0));
    assert!(seg.tokens.iter().rev().take(4).all(|t| !t.in_quote));
}

#[test]
fn pathological_input_is_linear_and_well_formed() {
    // 20 MB without a sentence end: one paragraph, cut into sentences of at most
    // MAX_SENTENCE_TOKENS tokens that cover it exactly.
    let text = "word ".repeat(4_000_000);
    let seg = segment(&text);
    assert_eq!(seg.paragraphs.len(), 1);
    assert_eq!(seg.tokens.len(), 4_000_000);
    assert_eq!(
        seg.sentences.len(),
        4_000_000_usize.div_ceil(MAX_SENTENCE_TOKENS)
    );
    assert!(seg
        .sentences
        .iter()
        .all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
    assert!(seg
        .sentences
        .windows(2)
        .all(|w| w[0].tokens.end == w[1].tokens.start));
    // 20 MB of dotted initials: every full stop is a candidate end.
    let text = "X.Y.Z. ".repeat(3_000_000);
    let seg = segment(&text);
    assert_eq!(seg.tokens.len(), 18_000_000);
    assert_eq!(
        seg.sentences.len(),
        18_000_000_usize.div_ceil(MAX_SENTENCE_TOKENS)
    );
    // Thousands of unbalanced quotes over many paragraphs: state resets per paragraph.
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(if i % 2 == 0 {
            "“open “again “x.\n"
        } else {
            "plain text ” here.\n"
        });
    }
    let seg = check_invariants(&text);
    assert_eq!(seg.paragraphs.len(), 5000);
    for p in seg.paragraphs.iter().skip(1).step_by(2) {
        let s = &seg.sentences[p.sentences.start];
        assert!(seg.tokens[s.tokens.clone()].iter().all(|t| !t.in_quote));
    }
    // Quotes and full stops only.
    let text = "\".\"'.'".repeat(1_000_000);
    check_invariants(&text);
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
fn throughput_on_polnear_train() {
    let texts: Vec<String> = polnear_texts("train").into_iter().map(|(_, t)| t).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    // Best pass of several: the machine is shared, so the fastest pass is the fairest.
    let mut sink = 0;
    let mut best = f64::MAX;
    let mut total = 0.0;
    let rounds = 10;
    for _ in 0..rounds {
        let start = std::time::Instant::now();
        for t in &texts {
            let seg = segment(t);
            sink += seg.tokens.len() + seg.sentences.len();
        }
        let secs = start.elapsed().as_secs_f64();
        best = best.min(secs);
        total += secs;
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "segment: {} docs, {mb:.1} MB; best pass {:.0} MB/s, mean of {rounds} passes {:.0} MB/s ({sink} items)",
        texts.len(),
        mb / best,
        mb * rounds as f64 / total
    );
}

/// Development aid: prints the sentences of the file named by SEG_DUMP, with quoted
/// tokens marked when SEG_QUOTES is set.
#[test]
#[ignore = "development aid"]
fn dump_sentences() {
    let Ok(path) = std::env::var("SEG_DUMP") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let seg = segment(&text);
    let marks = std::env::var("SEG_QUOTES").is_ok();
    for p in &seg.paragraphs {
        for s in &seg.sentences[p.sentences.clone()] {
            if !marks {
                println!("{}", s.span.slice(&text));
                continue;
            }
            // Quoted runs between ⟦ ⟧.
            let mut line = String::new();
            let mut open = false;
            for t in &seg.tokens[s.tokens.clone()] {
                if t.in_quote != open {
                    line.push_str(if t.in_quote { " ⟦" } else { "⟧" });
                    open = t.in_quote;
                }
                line.push(' ');
                line.push_str(t.span.slice(&text));
            }
            if open {
                line.push('⟧');
            }
            println!("{line}");
        }
        println!();
    }
}

#[test]
fn word_chars_follow_python() {
    // Other_Alphabetic marks and circled letters: alphanumeric to Rust, not \w to Python.
    for c in ['\u{345}', '\u{5B0}', '\u{363}', '\u{93E}', 'Ⓐ'] {
        assert!(c.is_alphanumeric() && !is_word_char(c), "{c:?}");
    }
    for c in ['é', 'ß', 'Ж', 'م', '中', '½', '٣', 'ǅ'] {
        assert!(is_word_char(c), "{c:?}");
    }
    assert!(pyword::NOT_PY_WORD.windows(2).all(|w| w[0].1 < w[1].0));
    assert_eq!(class_of('\u{1f}'), C_SPACE);
    assert_eq!(class_of('\u{85}'), C_SPACE);
    assert_eq!(class_of('\u{200b}'), C_OTHER);
}

fn assert_same_as_reference(text: &str) {
    let want = reference::segment(text, words());
    // Both builds of the main loop: the baseline one, and the AVX2 one where the CPU has
    // it (`segment` picks it then).
    for got in [segment(text), scanner::segment_with::<false>(text, words())] {
        assert_eq!(got.tokens, want.tokens, "tokens of {text:?}");
        assert_eq!(got.sentences, want.sentences, "sentences of {text:?}");
        assert_eq!(got.paragraphs, want.paragraphs, "paragraphs of {text:?}");
    }
}

#[test]
fn same_output_as_reference_on_golden_and_tricky_text() {
    for c in golden_cases() {
        assert_same_as_reference(&c.input);
    }
    for text in TRICKY.into_iter().chain([
        "Mr. Smith went to Washington. He said “No.” Then? Yes! 3.5 U.S. Sen. Ted Cruz asked.",
        "ab1234567890123456789_xyzXYZ0123456789012345678901234 x",
        "12345678901234567890123456789012345678 1234567890123456é 1234567890123456٣ 12345678901234½",
        "a\u{0}b\u{7f}c\u{1b}d-e--f",
    ]) {
        assert_same_as_reference(text);
    }
    // Every char of U+2000..=U+202F (the byte fast path of `slow_token` covers
    // U+2010..=U+2027) between words, spaces, quotes and full stops; blank lines.
    let all: String = ('\u{2000}'..='\u{202f}')
        .map(|c| format!("a{c}b {c} {c}{c}x. \"{c}y{c}\" '{c}z{c}'\n\n\r\n"))
        .collect();
    assert_same_as_reference(&all);
}

#[test]
fn same_output_as_reference_on_polnear_docs() {
    for (_, text) in polnear_texts("dev") {
        assert_same_as_reference(&text);
    }
}

#[test]
fn ascii_and_non_ascii_paths_agree() {
    // The same ASCII text with a non-ASCII char far away, and words that run on across the
    // 16-byte chunks of the word scan and into non-ASCII letters and digits.
    let base = "The U.S. said \"no\" -- didn't it? 2016's 3.5% _x_ ''Yes,'' he said.\n";
    let tail: &str = "Zoë “quoted” ½ ٣…\n";
    let plain = segment(base);
    let mixed_text = format!("{base}{tail}");
    let mixed = segment(&mixed_text);
    assert_eq!(plain.tokens[..], mixed.tokens[..plain.tokens.len()]);
    assert_eq!(plain.paragraphs[0], mixed.paragraphs[0]);
    for n in 0..40 {
        let word = "a1".repeat(n);
        for suffix in ["", "é", "٣", "\u{301}", "’s", ".", " "] {
            let t = format!("{word}{suffix}");
            assert_same_as_reference(&t);
            let digits = format!("{}{suffix}", "7".repeat(n));
            assert_same_as_reference(&digits);
        }
    }
}

#[test]
fn words_across_blocks_and_text_end() {
    // Words of every length ending at every offset around the 64-byte blocks and the end of
    // the text, followed by ASCII, non-ASCII word chars and non-ASCII punctuation.
    for pad in 0..70 {
        for n in [1, 2, 15, 16, 17, 63, 64, 65, 130] {
            for suffix in [
                "", " x", "é", "٣ y", "…", "\u{301}", ".", "\nZ", "'s", "-", "'", "' ", "''s",
                "’s", "'é", "-1", "?!", ". A", "a", "_1",
            ] {
                let t = format!(
                    "{}{}{suffix}",
                    " ".repeat(pad),
                    "w9".repeat(n).get(..n).unwrap_or("")
                );
                assert_same_as_reference(&t);
                let t = format!("{}{}{suffix}", ".".repeat(pad), "1".repeat(n));
                assert_same_as_reference(&t);
            }
        }
    }
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    /// Text from chars that exercise every path: ASCII word bytes, spaces, breaks, quotes,
    /// terminators, brackets, dashes and non-ASCII letters, digits, marks and quotes.
    fn text() -> impl Strategy<Value = String> {
        let alphabet: Vec<char> = "aZ9_ \t\n\r.?!…'\"“”‘’()-—,:é٣½\u{301}\u{a0}\u{2028}Mr.U.S"
            .chars()
            .collect();
        proptest::collection::vec(proptest::sample::select(alphabet), 0..200)
            .prop_map(|cs| cs.into_iter().collect())
    }

    /// Longer text from pieces: words of many lengths, spaces and punctuation.
    fn pieces() -> impl Strategy<Value = String> {
        let pieces = [
            "The",
            "U.S.",
            "said",
            " ",
            " ",
            " ",
            "  ",
            ", ",
            ". ",
            "? ",
            "! ",
            "\n",
            "\r\n",
            "\"",
            "'",
            "''",
            "“",
            "”",
            "’",
            "(",
            ")",
            "-",
            " — ",
            "…",
            "Mr.",
            "3.5",
            "1,400",
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "café",
            "naïve",
            "٣٤",
            "x\u{301}",
            "\t",
            "_a_",
            "$",
            "%",
            "Zoë",
            "2016",
            "a",
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{0}",
        ];
        proptest::collection::vec(proptest::sample::select(pieces.to_vec()), 0..400)
            .prop_map(|ps| ps.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn same_output_as_reference(t in text()) {
            assert_same_as_reference(&t);
        }

        #[test]
        fn same_output_as_reference_on_longer_text(t in pieces()) {
            assert_same_as_reference(&t);
        }
    }
}
