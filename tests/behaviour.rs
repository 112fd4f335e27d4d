//! CheckList-style behavioural tests for attribution extraction.
//!
//! Cases are generated from templates crossed with fillers (people, organisations, outlets,
//! contents). Every expectation comes from `shared/labels/RUBRIC.md` (source types and
//! uncertain sentences, including its "Decisions at the edges") and from the definitions of
//! anonymity and confirmation, never from what the engine outputs. Each category holds
//! positive cases and near misses; a near miss is a case that looks like the category but
//! must get a different answer.
//!
//! The cases are data: each category is a table of rows (text template, phrase, expectation)
//! in `behaviour/` (`anonymity.rs`, `sources.rs`, `confirmation.rs`, `hedges.rs`; the fillers
//! they share in `fillers.rs`), which `behaviour/table.rs` expands; its documentation gives
//! the format.
//!
//! Each case is checked against:
//! - the attributions whose source span overlaps a given phrase (located by substring search;
//!   the case fails when no attribution's source overlaps it, and every overlapping
//!   attribution must meet the expectation), or
//! - the sentence that holds the phrase (uncertain or certain), or
//! - the absence of any cue overlapping the phrase.
//!
//! Both models run every case. The tests print a table of pass rates per category and list
//! every failing case, then hold each model to its floor below.
//!
//! The targets are those of the source-typing issue: 0.95 overall and 0.85 in every category.
//! Neither model meets them yet (see the table this test prints); the floors are where each
//! model stands, so that a change that makes any of it worse fails here.

use onrecord::doc::Span;
use onrecord::extract::{Attribution, ModelKind, SourceType};
use onrecord::pipeline::{analyze, Resources};
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[path = "behaviour/anonymity.rs"]
mod anonymity;
#[path = "behaviour/confirmation.rs"]
mod confirmation;
#[path = "behaviour/fillers.rs"]
mod fillers;
#[path = "behaviour/hedges.rs"]
mod hedges;
#[path = "behaviour/sources.rs"]
mod sources;
#[path = "behaviour/table.rs"]
mod table;

/// The targets: overall pass rate, and pass rate in every category (printed, not asserted).
const TARGET_OVERALL: f64 = 0.95;
const TARGET_CATEGORY: f64 = 0.85;
/// The floors asserted per model: (overall, every category).
const FLOOR_TAGGER: (f64, f64) = (0.85, 0.55);
/// The rule extractor finds no attribution in "X declined to confirm that ..." (refusals) and
/// so has no category floor yet.
const FLOOR_RULES: (f64, f64) = (0.62, 0.0);
/// The least number of cases the suite generates per category.
const MIN_CASES_PER_CATEGORY: usize = 20;

const CATEGORIES: [&str; 14] = [
    "anonymous_with_reason",
    "anonymous_with_knowledge",
    "anonymous_plain",
    "spokesperson_is_organization",
    "organization_as_speaker",
    "document",
    "media",
    "named_official",
    "named_person",
    "vague",
    "confirmation",
    "refusal_not_confirmation",
    "uncertain",
    "certain_decisions_and_plans",
];

fn cap(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------

enum Expect {
    /// Every attribution whose source overlaps the phrase has this source type.
    Type(SourceType),
    /// ... has anonymity details; `Some(b)` asks for a reason / knowledge basis to be
    /// present (`true`) or absent (`false`), `None` does not look.
    Anonymity {
        reason: Option<bool>,
        knowledge: Option<bool>,
    },
    /// ... has no anonymity details (a named, on-the-record source).
    NotAnonymous,
    /// ... has this confirmation flag.
    Confirmation(bool),
    /// The sentence holding the phrase is uncertain (`true`) or certain (`false`).
    Uncertain(bool),
    /// No attribution has a cue overlapping the phrase.
    NoCue,
}

impl Expect {
    fn describe(&self) -> String {
        let presence = |b: bool| if b { "with" } else { "without" };
        match self {
            Expect::Type(t) => format!("source type {}", t.as_str()),
            Expect::Anonymity { reason, knowledge } => {
                let mut parts = vec!["anonymity".to_string()];
                if let Some(r) = reason {
                    parts.push(format!("{} reason", presence(*r)));
                }
                if let Some(k) = knowledge {
                    parts.push(format!("{} knowledge basis", presence(*k)));
                }
                parts.join(", ")
            }
            Expect::NotAnonymous => "no anonymity".to_string(),
            Expect::Confirmation(c) => format!("confirmation {c}"),
            Expect::Uncertain(true) => "sentence uncertain".to_string(),
            Expect::Uncertain(false) => "sentence certain".to_string(),
            Expect::NoCue => "no cue in the phrase".to_string(),
        }
    }

    /// The expectation that [`Expect::describe`] writes as `description`.
    fn parse(description: &str) -> Option<Expect> {
        let maybe = [None, Some(true), Some(false)];
        let mut all: Vec<Expect> = SourceType::ALL.into_iter().map(Expect::Type).collect();
        for reason in maybe {
            for knowledge in maybe {
                all.push(Expect::Anonymity { reason, knowledge });
            }
        }
        all.extend([
            Expect::NotAnonymous,
            Expect::Confirmation(true),
            Expect::Confirmation(false),
            Expect::Uncertain(true),
            Expect::Uncertain(false),
            Expect::NoCue,
        ]);
        all.into_iter().find(|e| e.describe() == description)
    }
}

struct Case {
    category: &'static str,
    text: String,
    phrase: String,
    expect: Expect,
    near_miss: bool,
}

#[derive(Default)]
struct Suite {
    cases: Vec<Case>,
}

impl Suite {
    /// Adds a case. The phrase is looked up as given, or capitalised when the template put
    /// it at the start of a sentence.
    fn add(
        &mut self,
        category: &'static str,
        text: String,
        phrase: &str,
        expect: Expect,
        near: bool,
    ) {
        let phrase = if text.contains(phrase) {
            phrase.to_string()
        } else {
            cap(phrase)
        };
        self.cases.push(Case {
            category,
            text,
            phrase,
            expect,
            near_miss: near,
        });
    }
}

/// The cases of every category, in the order of the tables.
fn suite() -> Vec<Case> {
    let mut s = Suite::default();
    for t in [
        anonymity::TABLE,
        sources::TABLE,
        confirmation::TABLE,
        hedges::TABLE,
    ] {
        table::add_cases(t, &mut s);
    }
    s.cases
}

// ---------------------------------------------------------------------------------------
// Running and judging
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Model {
    Tagger,
    Rules,
}

impl Model {
    fn kind(self) -> ModelKind {
        match self {
            Model::Tagger => ModelKind::Tagger,
            Model::Rules => ModelKind::Rules,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Model::Tagger => "tagger",
            Model::Rules => "rules",
        }
    }
    /// The pipeline's resources for this extractor, loaded once for the whole suite.
    fn resources(self) -> &'static Resources {
        static LOADED: OnceLock<[Resources; 2]> = OnceLock::new();
        let [tagger, rules] = LOADED.get_or_init(|| {
            [Model::Tagger, Model::Rules]
                .map(|m| Resources::embedded(m.kind()).expect("embedded resources load"))
        });
        match self {
            Model::Tagger => tagger,
            Model::Rules => rules,
        }
    }
}

fn locate(text: &str, phrase: &str) -> Span {
    let start = text
        .find(phrase)
        .unwrap_or_else(|| panic!("suite bug: {phrase:?} is not in {text:?}"));
    Span::new(start, start + phrase.len())
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start < b.end && b.start < a.end
}

fn slices(text: &str, spans: &[Span]) -> String {
    let parts: Vec<&str> = spans.iter().map(|s| s.slice(text)).collect();
    format!("{parts:?}")
}

fn describe(text: &str, a: &Attribution) -> String {
    let anonymity = match &a.anonymity {
        None => "none".to_string(),
        Some(an) => format!(
            "{{reason {:?}, knowledge {:?}, count {:?}}}",
            an.reason.map(|s| s.slice(text)),
            an.knowledge.map(|s| s.slice(text)),
            an.count
        ),
    };
    format!(
        "[source {} cue {} type {} anonymity {} confirmation {}]",
        slices(text, &a.source),
        slices(text, &a.cue),
        a.source_type.as_str(),
        anonymity,
        a.confirmation
    )
}

fn describe_all(text: &str, attributions: &[Attribution]) -> String {
    if attributions.is_empty() {
        return "no attributions".to_string();
    }
    attributions
        .iter()
        .map(|a| describe(text, a))
        .collect::<Vec<_>>()
        .join(" ")
}

fn meets(a: &Attribution, expect: &Expect) -> bool {
    match expect {
        Expect::Type(t) => a.source_type.as_str() == t.as_str(),
        Expect::Anonymity { reason, knowledge } => match &a.anonymity {
            None => false,
            Some(an) => {
                reason.is_none_or(|r| an.reason.is_some() == r)
                    && knowledge.is_none_or(|k| an.knowledge.is_some() == k)
            }
        },
        Expect::NotAnonymous => a.anonymity.is_none(),
        Expect::Confirmation(c) => a.confirmation == *c,
        Expect::Uncertain(_) | Expect::NoCue => unreachable!("not a check on one attribution"),
    }
}

/// `Ok` when the engine meets the expectation; otherwise what the engine gave.
fn judge(case: &Case, model: Model) -> Result<(), String> {
    let text = case.text.as_str();
    let analysis = analyze(text, model.resources());
    let ext = &analysis.extraction;
    let target = locate(text, &case.phrase);
    match &case.expect {
        Expect::Uncertain(want) => {
            let sentence = ext
                .sentences
                .iter()
                .find(|s| s.span.start <= target.start && target.start < s.span.end);
            match sentence {
                None => Err("no sentence holds the phrase".to_string()),
                Some(s) if s.uncertain == *want => Ok(()),
                Some(s) => Err(format!(
                    "sentence {:?} uncertain {}",
                    s.span.slice(text),
                    s.uncertain
                )),
            }
        }
        Expect::NoCue => {
            let offending: Vec<String> = ext
                .attributions
                .iter()
                .filter(|a| a.cue.iter().any(|c| overlaps(c, &target)))
                .map(|a| describe(text, a))
                .collect();
            if offending.is_empty() {
                Ok(())
            } else {
                Err(offending.join(" "))
            }
        }
        expect => {
            let hits: Vec<&Attribution> = ext
                .attributions
                .iter()
                .filter(|a| a.source.iter().any(|s| overlaps(s, &target)))
                .collect();
            if hits.is_empty() {
                return Err(format!(
                    "no source overlaps the phrase; {}",
                    describe_all(text, &ext.attributions)
                ));
            }
            if hits.iter().all(|a| meets(a, expect)) {
                Ok(())
            } else {
                let got: Vec<String> = hits.iter().map(|a| describe(text, a)).collect();
                Err(got.join(" "))
            }
        }
    }
}

#[derive(Default, Clone, Copy)]
struct Tally {
    passed: usize,
    total: usize,
    near_passed: usize,
    near_total: usize,
}

impl Tally {
    fn rate(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.passed as f64 / self.total as f64
        }
    }
}

struct Report {
    model: Model,
    by_category: BTreeMap<&'static str, Tally>,
    overall: Tally,
    failures: Vec<String>,
}

fn evaluate(model: Model) -> Report {
    let mut by_category: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut overall = Tally::default();
    let mut failures = Vec::new();
    for case in suite() {
        let result = judge(&case, model);
        let tally = by_category.entry(case.category).or_default();
        for t in [&mut *tally, &mut overall] {
            t.total += 1;
            t.near_total += usize::from(case.near_miss);
            if result.is_ok() {
                t.passed += 1;
                t.near_passed += usize::from(case.near_miss);
            }
        }
        if let Err(got) = result {
            failures.push(format!(
                "FAIL {} | {} | {}{:?} | phrase {:?} | expected {} | got {}",
                case.category,
                model.name(),
                if case.near_miss { "(near miss) " } else { "" },
                case.text,
                case.phrase,
                case.expect.describe(),
                got
            ));
        }
    }
    Report {
        model,
        by_category,
        overall,
        failures,
    }
}

fn render(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "\n{:<30} {:<7} {:>9} {:>7} {:>12}\n",
        "category", "model", "passed", "rate", "near misses"
    ));
    let row = |name: &str, t: &Tally| {
        format!(
            "{:<30} {:<7} {:>9} {:>7.3} {:>12}\n",
            name,
            report.model.name(),
            format!("{}/{}", t.passed, t.total),
            t.rate(),
            format!("{}/{}", t.near_passed, t.near_total)
        )
    };
    for cat in CATEGORIES {
        let t = report.by_category.get(cat).copied().unwrap_or_default();
        out.push_str(&row(cat, &t));
    }
    out.push_str(&row("OVERALL", &report.overall));
    out.push_str(&format!(
        "{} failing case(s) for {}:\n",
        report.failures.len(),
        report.model.name()
    ));
    for f in &report.failures {
        out.push_str(f);
        out.push('\n');
    }
    out
}

fn assert_thresholds(model: Model, (min_overall, min_category): (f64, f64)) {
    let report = evaluate(model);
    let below = |min: f64| -> Vec<String> {
        CATEGORIES
            .iter()
            .filter_map(|cat| {
                let t = report.by_category.get(cat).copied().unwrap_or_default();
                (t.rate() < min).then(|| format!("{cat} {:.3}", t.rate()))
            })
            .collect()
    };
    // One eprint, so that the tables of tests running in parallel do not interleave.
    eprintln!(
        "{}{}: target {TARGET_OVERALL} overall {}; categories below the target {TARGET_CATEGORY}: {}",
        render(&report),
        model.name(),
        if report.overall.rate() >= TARGET_OVERALL { "met" } else { "not met" },
        below(TARGET_CATEGORY).join(", ")
    );
    assert!(
        report.overall.rate() >= min_overall,
        "{}: overall pass rate {:.3} is below its floor {min_overall}",
        model.name(),
        report.overall.rate()
    );
    let low = below(min_category);
    assert!(
        low.is_empty(),
        "{}: categories below the floor {min_category}: {}",
        model.name(),
        low.join(", ")
    );
}

#[test]
fn behaviour_tagger() {
    assert_thresholds(Model::Tagger, FLOOR_TAGGER);
}

#[test]
fn behaviour_rules() {
    assert_thresholds(Model::Rules, FLOOR_RULES);
}

/// The suite itself: every category is present with enough positive cases and near misses,
/// and every phrase can be found in its text.
#[test]
fn suite_is_well_formed() {
    let cases = suite();
    for cat in CATEGORIES {
        let of_cat: Vec<&Case> = cases.iter().filter(|c| c.category == cat).collect();
        assert!(
            of_cat.len() >= MIN_CASES_PER_CATEGORY,
            "{cat} has only {} cases",
            of_cat.len()
        );
        assert!(of_cat.iter().any(|c| c.near_miss), "{cat} has no near miss");
        assert!(
            of_cat.iter().any(|c| !c.near_miss),
            "{cat} has no positive case"
        );
    }
    for c in &cases {
        assert!(
            CATEGORIES.contains(&c.category),
            "unknown category {}",
            c.category
        );
        assert!(
            c.text.contains(&c.phrase),
            "{:?} is not in {:?}",
            c.phrase,
            c.text
        );
    }
}

// ---------------------------------------------------------------------------------------
// Offsets
// ---------------------------------------------------------------------------------------

/// Every span of every attribution lies on character boundaries inside the text, and each
/// source span lies inside one sentence of the segmentation: the sentence of the
/// attribution's first cue (or, without a cue, of the source's start).
fn check_offsets(text: &str, model: Model) -> usize {
    let analysis = analyze(text, model.resources());
    let (seg, ext) = (&analysis.segmented, &analysis.extraction);
    for a in &ext.attributions {
        for span in a.source.iter().chain(&a.cue).chain(&a.content) {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "{}: span {span:?} out of bounds in {text:?}",
                model.name()
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{}: span {span:?} splits a character in {text:?}",
                model.name()
            );
        }
        for src in &a.source {
            let anchor = a.cue.first().map_or(src.start, |c| c.start);
            let sentence = seg
                .sentences
                .iter()
                .find(|s| s.span.start <= anchor && anchor < s.span.end)
                .unwrap_or_else(|| panic!("{}: no sentence holds offset {anchor}", model.name()));
            let sentence_text = sentence.span.slice(text);
            let source_text = src.slice(text);
            assert!(
                sentence.span.contains(src) && sentence_text.contains(source_text),
                "{}: source {source_text:?} {src:?} is not inside its sentence {sentence_text:?}",
                model.name()
            );
        }
    }
    ext.attributions.len()
}

const OFFSET_TEXTS: [&str; 5] = [
    "Southcorp cut 500 jobs last year. A spokeswoman for the firm said the plant will close in March.",
    "\u{201c}We will not close the plant,\u{201d} said Ren\u{e9}e M\u{fc}ller, a spokeswoman for Nestl\u{e9}. Le Monde reported that the talks collapsed on Friday.",
    "The minister resigned on Tuesday. Two officials familiar with the matter said the talks collapsed. Critics said the budget was a failure.",
    "Jos\u{e9} Mart\u{ed}nez, a 71-year-old retiree from M\u{e1}laga, said the water rose within minutes. \u{201c}It was terrifying,\u{201d} he said.",
    "Italian Prime Minister Giorgia Meloni said the deal is done. A report by the UN found that the river is badly polluted.",
];

/// Checks the offsets in every offset text; the model finds at least one attribution there.
fn check_offset_texts(model: Model) {
    let found: usize = OFFSET_TEXTS.iter().map(|t| check_offsets(t, model)).sum();
    assert!(
        found > 0,
        "{}: no attribution in the offset texts",
        model.name()
    );
}

#[test]
fn source_offsets_lie_inside_their_sentence_tagger() {
    check_offset_texts(Model::Tagger);
}

#[test]
fn source_offsets_lie_inside_their_sentence_rules() {
    check_offset_texts(Model::Rules);
}

/// The source of a second-sentence attribution is found in the second sentence, and its
/// slice is the text of that sentence, with non-ASCII characters before it.
#[test]
fn second_sentence_source_slice_is_in_that_sentence() {
    let text = "Ren\u{e9}e M\u{fc}ller visited the caf\u{e9} on Monday. Le Monde reported that the caf\u{e9} will close in March.";
    let second = text.find("Le Monde").expect("phrase");
    for model in [Model::Tagger, Model::Rules] {
        let analysis = analyze(text, model.resources());
        let (seg, ext) = (&analysis.segmented, &analysis.extraction);
        let sentence = seg
            .sentences
            .iter()
            .find(|s| s.span.start <= second && second < s.span.end)
            .expect("a sentence holds Le Monde");
        let hit = ext
            .attributions
            .iter()
            .flat_map(|a| a.source.iter())
            .find(|s| overlaps(s, &Span::new(second, second + "Le Monde".len())));
        let src = hit.unwrap_or_else(|| {
            panic!(
                "{}: no source overlaps \"Le Monde\"; {}",
                model.name(),
                describe_all(text, &ext.attributions)
            )
        });
        assert!(sentence.span.contains(src), "{}: {src:?}", model.name());
        assert!(
            sentence.span.slice(text).contains(src.slice(text)),
            "{}: {:?} not in {:?}",
            model.name(),
            src.slice(text),
            sentence.span.slice(text)
        );
    }
}

/// Every attribution the suite's cases produce has in-bounds, boundary-aligned spans and
/// sources inside their sentence.
#[test]
fn suite_offsets_are_sound() {
    for case in suite() {
        for model in [Model::Tagger, Model::Rules] {
            check_offsets(&case.text, model);
        }
    }
}
