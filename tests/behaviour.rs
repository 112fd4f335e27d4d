//! CheckList-style behavioural tests for attribution extraction.
//!
//! Cases are generated from templates crossed with fillers (people, organisations, outlets,
//! contents). Every expectation comes from `shared/labels/RUBRIC.md` (source types and
//! uncertain sentences, including its "Decisions at the edges") and from the definitions of
//! anonymity and confirmation, never from what the engine outputs. Each category holds
//! positive cases and near misses; a near miss is a case that looks like the category but
//! must get a different answer.
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

#[path = "behaviour/fillers.rs"]
mod fillers;
use fillers::*;

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
    fn pos(&mut self, category: &'static str, text: String, phrase: &str, expect: Expect) {
        self.add(category, text, phrase, expect, false);
    }
    fn near(&mut self, category: &'static str, text: String, phrase: &str, expect: Expect) {
        self.add(category, text, phrase, expect, true);
    }
}

fn anonymous_with_reason(s: &mut Suite) {
    let cat = "anonymous_with_reason";
    let heads = [
        "a senior official",
        "a Western diplomat",
        "an aide to the governor",
        "a police officer",
        "a senior administration official",
        "a government adviser",
    ];
    let reason = |r: bool| Expect::Anonymity {
        reason: Some(r),
        knowledge: None,
    };
    let templates: [fn(&str, &str) -> String; 5] = [
        |h, c| format!("{}, who spoke on condition of anonymity, said {c}.", cap(h)),
        |h, c| format!("{}, who asked not to be named, said {c}.", cap(h)),
        |h, c| {
            format!(
                "{} said {c}, speaking on condition of anonymity because the talks are private.",
                cap(h)
            )
        },
        |h, c| {
            format!(
                "{}, who spoke anonymously because the matter is sensitive, said {c}.",
                cap(h)
            )
        },
        |h, c| {
            format!(
                "{}, speaking on condition of anonymity to discuss internal deliberations, said {c}.",
                cap(h)
            )
        },
    ];
    for (ti, t) in templates.iter().enumerate() {
        for k in 0..4 {
            let h = heads[(ti + k) % heads.len()];
            let c = CONTENTS[(2 * ti + k) % CONTENTS.len()];
            s.pos(cat, t(h, c), h, reason(true));
        }
    }
    // Near misses: anonymous sources that give no reason.
    for (k, h) in heads.iter().enumerate() {
        let c = CONTENTS[(k + 3) % CONTENTS.len()];
        s.near(cat, format!("{} said {c}.", cap(h)), h, reason(false));
    }
    for (k, h) in heads.iter().take(3).enumerate() {
        let c = CONTENTS[(k + 5) % CONTENTS.len()];
        s.near(
            cat,
            format!("{}, {h} told reporters.", cap(c)),
            h,
            reason(false),
        );
    }
    // Near misses: the condition of anonymity is not a second attribution.
    for (k, h) in heads.iter().take(3).enumerate() {
        let c = CONTENTS[k % CONTENTS.len()];
        s.near(
            cat,
            format!("{}, who asked not to be named, said {c}.", cap(h)),
            "asked not to be named",
            Expect::NoCue,
        );
    }
    for (k, h) in heads.iter().skip(3).take(2).enumerate() {
        let c = CONTENTS[(k + 4) % CONTENTS.len()];
        s.near(
            cat,
            format!("{}, who requested anonymity, said {c}.", cap(h)),
            "requested anonymity",
            Expect::NoCue,
        );
    }
    for (k, h) in heads.iter().skip(1).take(2).enumerate() {
        let c = CONTENTS[(k + 6) % CONTENTS.len()];
        s.near(
            cat,
            format!("{}, who declined to be identified, said {c}.", cap(h)),
            "declined to be identified",
            Expect::NoCue,
        );
    }
    // Near misses: a named official with a circumstantial clause is not anonymous.
    for k in 0..3 {
        let (name, _) = PEOPLE[k];
        let title = TITLES[k + 1];
        let c = CONTENTS[(k + 2) % CONTENTS.len()];
        s.near(
            cat,
            format!("{title} {name}, speaking at a news conference, said {c}."),
            name,
            Expect::NotAnonymous,
        );
    }
}

fn anonymous_with_knowledge(s: &mut Suite) {
    let cat = "anonymous_with_knowledge";
    let knows = |k: bool| Expect::Anonymity {
        reason: None,
        knowledge: Some(k),
    };
    let mut i = 0;
    let mut next = || {
        i += 1;
        CONTENTS[i % CONTENTS.len()]
    };
    for h in [
        "Two officials",
        "A person",
        "People",
        "Three sources",
        "A source",
        "Two executives",
    ] {
        let c = next();
        s.pos(
            cat,
            format!("{h} familiar with the matter said {c}."),
            h,
            knows(true),
        );
    }
    for h in ["a person", "two diplomats", "people", "an official"] {
        let c = next();
        s.pos(
            cat,
            format!("{}, according to {h} briefed on the talks.", cap(c)),
            h,
            knows(true),
        );
    }
    for h in [
        "A person",
        "Two officials",
        "A source",
        "A senior executive",
    ] {
        let c = next();
        s.pos(
            cat,
            format!("{h} with direct knowledge of the negotiations said {c}."),
            h,
            knows(true),
        );
    }
    for h in [
        "An official",
        "A diplomat",
        "A senior executive",
        "A police officer",
    ] {
        let c = next();
        s.pos(
            cat,
            format!("{h}, who was present at the meeting, said {c}."),
            h,
            knows(true),
        );
    }
    for h in ["An official", "A diplomat", "A lawyer"] {
        let c = next();
        s.pos(
            cat,
            format!("{h} who has read the draft agreement said {c}."),
            h,
            knows(true),
        );
    }
    for h in ["people", "two officials"] {
        let c = next();
        s.pos(
            cat,
            format!("{}, said {h} briefed on the investigation.", cap(c)),
            h,
            knows(true),
        );
    }
    // Near misses: anonymous sources with no basis of knowledge.
    for h in [
        "A senior official",
        "Two officials",
        "A diplomat",
        "An aide",
        "A police officer",
        "A government adviser",
    ] {
        let c = next();
        s.near(cat, format!("{h} said {c}."), h, knows(false));
    }
    for h in ["A senior official", "A Western diplomat", "An aide"] {
        let c = next();
        s.near(
            cat,
            format!("{h}, who spoke on condition of anonymity, said {c}."),
            h,
            knows(false),
        );
    }
}

fn anonymous_plain(s: &mut Suite) {
    let cat = "anonymous_plain";
    let heads = [
        "a senior official",
        "two officials familiar with the matter",
        "people briefed on the talks",
        "a diplomatic source",
        "an aide",
        "a campaign aide",
        "a second source",
        "a source close to the talks",
        "a bartender",
        "a senior administration official",
    ];
    let templates: [fn(&str, &str) -> String; 3] = [
        |h, c| format!("{} said {c}.", cap(h)),
        |h, c| format!("{}, {h} said.", cap(c)),
        |h, c| format!("According to {h}, {c}."),
    ];
    for (i, h) in heads.iter().enumerate() {
        for j in 0..2 {
            let t = templates[(i + j) % templates.len()];
            let c = CONTENTS[(i + 3 * j) % CONTENTS.len()];
            s.pos(cat, t(h, c), h, Expect::Type(SourceType::Anonymous));
        }
    }
    // RUBRIC: a pseudonymous persona whose real identity is unknown is anonymous.
    s.pos(
        cat,
        "A hacker calling himself Guccifer 2.0 said the files came from the party's servers."
            .to_string(),
        "Guccifer 2.0",
        Expect::Type(SourceType::Anonymous),
    );
    // Near misses: named, organisational or vague sources.
    for k in 0..3 {
        let (name, _) = PEOPLE[k + 3];
        let c = CONTENTS[k];
        s.near(
            cat,
            format!("{} {name} said {c}.", TITLES[k]),
            name,
            Expect::Type(SourceType::NamedOfficial),
        );
    }
    for k in 0..2 {
        let c = CONTENTS[k + 4];
        s.near(
            cat,
            format!("A {} spokeswoman said {c}.", ORG_ADJ[k]),
            "spokeswoman",
            Expect::Type(SourceType::Organization),
        );
    }
    s.near(
        cat,
        format!("Critics said {}.", CONTENTS[3]),
        "Critics",
        Expect::Type(SourceType::Vague),
    );
    s.near(
        cat,
        format!("{}, critics said.", cap(CONTENTS[6])),
        "critics",
        Expect::Type(SourceType::Vague),
    );
    s.near(
        cat,
        format!("{}, {}, said {}.", PEOPLE[6].0, PRIVATE[0], WITNESS[0]),
        PEOPLE[6].0,
        Expect::Type(SourceType::NamedPerson),
    );
}

fn spokesperson_is_organization(s: &mut Suite) {
    let cat = "spokesperson_is_organization";
    let org = || Expect::Type(SourceType::Organization);
    for (k, a) in ORG_ADJ.iter().enumerate() {
        let c = CONTENTS[k % CONTENTS.len()];
        s.pos(
            cat,
            format!("A {a} spokeswoman said {c}."),
            "spokeswoman",
            org(),
        );
    }
    for (k, o) in ORG_FOR.iter().enumerate() {
        let c = CONTENTS[(k + 3) % CONTENTS.len()];
        s.pos(
            cat,
            format!("A spokesman for {o} said {c}."),
            "spokesman",
            org(),
        );
    }
    for k in 0..4 {
        let a = ORG_ADJ[(2 * k + 1) % ORG_ADJ.len()];
        let c = CONTENTS[(k + 5) % CONTENTS.len()];
        s.pos(
            cat,
            format!("{}, a {a} spokesperson said.", cap(c)),
            "spokesperson",
            org(),
        );
    }
    for k in 0..4 {
        let o = ORG_FOR[(2 * k) % ORG_FOR.len()];
        let q = QUOTES[k % QUOTES.len()];
        s.pos(
            cat,
            format!("\"{q},\" a representative for {o} said."),
            "representative",
            org(),
        );
    }
    // The organisation is identified in the sentence before.
    s.pos(
        cat,
        "Southcorp cut 500 jobs last year. A spokeswoman for the firm said the plant will close in March."
            .to_string(),
        "spokeswoman",
        org(),
    );
    s.pos(
        cat,
        "Labour published its manifesto on Monday. A party spokesman said the party will scrap the tax."
            .to_string(),
        "spokesman",
        org(),
    );
    // Near misses: a named spokesperson is a named official.
    for k in 0..4 {
        let (name, _) = PEOPLE[k];
        let a = ORG_ADJ[k + 2];
        let c = CONTENTS[(k + 1) % CONTENTS.len()];
        s.near(
            cat,
            format!("{a} spokeswoman {name} said {c}."),
            name,
            Expect::Type(SourceType::NamedOfficial),
        );
    }
    for k in 0..3 {
        let (name, _) = PEOPLE[k + 4];
        let o = ORG_FOR[k + 1];
        let c = CONTENTS[(k + 2) % CONTENTS.len()];
        s.near(
            cat,
            format!("{name}, a spokesman for {o}, said {c}."),
            name,
            Expect::Type(SourceType::NamedOfficial),
        );
    }
    // Near misses: unnamed people who do not speak for the organisation stay anonymous.
    for k in 0..3 {
        let o = ORG_FOR[k + 2];
        let c = CONTENTS[(k + 4) % CONTENTS.len()];
        s.near(
            cat,
            format!("A source close to {o} said {c}."),
            "A source",
            Expect::Type(SourceType::Anonymous),
        );
    }
    for k in 0..3 {
        let a = ORG_ADJ[k];
        let c = CONTENTS[(k + 6) % CONTENTS.len()];
        s.near(
            cat,
            format!("A {a} official, who asked not to be named, said {c}."),
            "official",
            Expect::Type(SourceType::Anonymous),
        );
    }
    s.near(
        cat,
        format!("An aide said {}.", CONTENTS[2]),
        "An aide",
        Expect::Type(SourceType::Anonymous),
    );
}

fn organization_as_speaker(s: &mut Suite) {
    let cat = "organization_as_speaker";
    let org = || Expect::Type(SourceType::Organization);
    for (sp, verb, c) in ORG_SPEAKERS {
        s.pos(cat, format!("{sp} {verb} {c}."), sp, org());
    }
    for (sp, _, c) in ORG_SPEAKERS.iter().step_by(3) {
        let speaker = sp.replacen("The ", "the ", 1);
        let verb = if *sp == "Busted" { "have said" } else { "said" };
        s.pos(
            cat,
            format!("{}, {speaker} {verb}.", cap(c)),
            &speaker,
            org(),
        );
    }
    s.pos(
        cat,
        format!("WikiLeaks said {}.", FINDINGS[6]),
        "WikiLeaks",
        org(),
    );
    for (k, q) in QUOTES.iter().take(3).enumerate() {
        let sp = ORG_SPEAKERS[3 * k + 1].0;
        s.pos(
            cat,
            format!("\"{q},\" {sp} said in a statement."),
            sp,
            org(),
        );
    }
    // Near misses: named officials of those organisations.
    s.near(
        cat,
        format!("Labour leader {} said {}.", PEOPLE[0].0, CONTENTS[3]),
        PEOPLE[0].0,
        Expect::Type(SourceType::NamedOfficial),
    );
    s.near(
        cat,
        format!(
            "{}, Southcorp's chief executive, said {}.",
            PEOPLE[1].0, CONTENTS[1]
        ),
        PEOPLE[1].0,
        Expect::Type(SourceType::NamedOfficial),
    );
    s.near(
        cat,
        format!("Arsenal manager {} said {}.", PEOPLE[5].0, CONTENTS[7]),
        PEOPLE[5].0,
        Expect::Type(SourceType::NamedOfficial),
    );
    s.near(
        cat,
        format!("Kremlin spokesman {} said {}.", PEOPLE[3].0, CONTENTS[2]),
        PEOPLE[3].0,
        Expect::Type(SourceType::NamedOfficial),
    );
    // Near misses: loose sets of people are vague.
    s.near(
        cat,
        "Many Labour voters say the party has lost its way.".to_string(),
        "Many Labour voters",
        Expect::Type(SourceType::Vague),
    );
    s.near(
        cat,
        format!("Some fans said {}.", CONTENTS[7]),
        "Some fans",
        Expect::Type(SourceType::Vague),
    );
    // Near miss: emails released by WikiLeaks as the source are a document.
    s.near(
        cat,
        format!("Emails released by WikiLeaks show {}.", FINDINGS[6]),
        "Emails",
        Expect::Type(SourceType::Document),
    );
}

fn document(s: &mut Suite) {
    let cat = "document";
    let doc = || Expect::Type(SourceType::Document);
    let mut i = 0;
    let mut next = || {
        i += 1;
        FINDINGS[i % FINDINGS.len()]
    };
    for o in [
        "the UN",
        "the World Bank",
        "Amnesty International",
        "the OECD",
    ] {
        let f = next();
        s.pos(
            cat,
            format!("A report by {o} found that {f}."),
            "report",
            doc(),
        );
    }
    let plain: [(&str, &str); 18] = [
        ("The poll showed {F}.", "poll"),
        ("The latest poll shows {F}.", "poll"),
        ("Court documents show {F}.", "Court documents"),
        ("Court records filed on Monday show {F}.", "Court records"),
        ("A Pew poll found {F}.", "Pew poll"),
        ("A survey by Gallup found {F}.", "survey"),
        ("According to the study, {F}.", "study"),
        ("Emails released by WikiLeaks show {F}.", "Emails"),
        ("The company's annual filing shows {F}.", "filing"),
        ("A letter from the ministry said {F}.", "letter"),
        ("The report said {F}.", "report"),
        ("A written statement from Southcorp said {F}.", "statement"),
        ("The transcript shows {F}.", "transcript"),
        ("Data from the census show {F}.", "Data"),
        ("A study published in The Lancet found {F}.", "study"),
        ("A Washington Post-ABC News poll found {F}.", "poll"),
        ("According to an internal audit, {F}.", "audit"),
        ("The inspection report concluded that {F}.", "report"),
    ];
    for (t, p) in plain {
        let f = next();
        s.pos(cat, t.replace("{F}", f), p, doc());
    }
    s.pos(
        cat,
        "Forty-one percent of respondents said they oppose the new tax.".to_string(),
        "respondents",
        doc(),
    );
    // Near misses: the body itself speaking is an organisation.
    for o in ["The UN", "WikiLeaks", "Amnesty International"] {
        let f = next();
        s.near(
            cat,
            format!("{o} said {f}."),
            o,
            Expect::Type(SourceType::Organization),
        );
    }
    // Near miss: a news story is media.
    let f = next();
    s.near(
        cat,
        format!("The newspaper reported {f}."),
        "The newspaper",
        Expect::Type(SourceType::Media),
    );
    // Near miss: the author of a study with an institution is a named official.
    let f = next();
    s.near(
        cat,
        format!(
            "{}, who led the study at Oxford University, said {f}.",
            PEOPLE[4].0
        ),
        PEOPLE[4].0,
        Expect::Type(SourceType::NamedOfficial),
    );
    // Near miss: an official who has seen the report is the source, not the report.
    let f = next();
    s.near(
        cat,
        format!("A senior official who has seen the report said {f}."),
        "A senior official",
        Expect::Type(SourceType::Anonymous),
    );
}

fn media(s: &mut Suite) {
    let cat = "media";
    let m = || Expect::Type(SourceType::Media);
    for (k, o) in OUTLETS.iter().enumerate() {
        let c = CONTENTS[k % CONTENTS.len()];
        s.pos(cat, format!("{} reported {c}.", cap(o)), o, m());
    }
    for (k, o) in OUTLETS.iter().enumerate().step_by(2) {
        let c = CONTENTS[(k + 3) % CONTENTS.len()];
        s.pos(cat, format!("{}, {o} reported.", cap(c)), o, m());
    }
    for (k, o) in OUTLETS.iter().enumerate().skip(1).step_by(3) {
        let c = CONTENTS[(k + 5) % CONTENTS.len()];
        s.pos(cat, format!("According to {o}, {c}."), o, m());
    }
    let follow_ups = [
        ("Le Monde", "The newspaper said"),
        ("The Guardian", "The daily reported"),
        ("CNN", "The network reported"),
        ("The BBC", "The broadcaster said"),
    ];
    for (k, (o, cue)) in follow_ups.iter().enumerate() {
        let c = CONTENTS[(k + 2) % CONTENTS.len()];
        let head = cue.rsplit_once(' ').map(|(h, _)| h).unwrap_or(cue);
        s.pos(
            cat,
            format!("{o} published the letter on Friday. {cue} {c}."),
            head,
            m(),
        );
    }
    s.pos(
        cat,
        format!("An editorial in Le Monde argued that {}.", CONTENTS[3]),
        "editorial",
        m(),
    );
    // Near misses: polls and videos are documents, even when an outlet made them.
    s.near(
        cat,
        format!("A Washington Post poll found {}.", FINDINGS[1]),
        "poll",
        Expect::Type(SourceType::Document),
    );
    s.near(
        cat,
        format!("A Reuters/Ipsos survey found {}.", FINDINGS[0]),
        "survey",
        Expect::Type(SourceType::Document),
    );
    s.near(
        cat,
        format!("A video posted by the ministry shows {}.", FINDINGS[5]),
        "video",
        Expect::Type(SourceType::Document),
    );
    // Near misses: a named editor is a named official.
    s.near(
        cat,
        format!(
            "The Guardian's editor, {}, said {}.",
            PEOPLE[6].0, CONTENTS[1]
        ),
        PEOPLE[6].0,
        Expect::Type(SourceType::NamedOfficial),
    );
    s.near(
        cat,
        format!("Der Spiegel editor {} said {}.", PEOPLE[7].0, CONTENTS[4]),
        PEOPLE[7].0,
        Expect::Type(SourceType::NamedOfficial),
    );
}

fn named_official(s: &mut Suite) {
    let cat = "named_official";
    let off = || Expect::Type(SourceType::NamedOfficial);
    s.pos(
        cat,
        "Italian Prime Minister Giorgia Meloni said the talks collapsed on Friday.".to_string(),
        "Giorgia Meloni",
        off(),
    );
    for (k, (name, _)) in PEOPLE.iter().enumerate() {
        let c = CONTENTS[k % CONTENTS.len()];
        s.pos(cat, format!("{} {name} said {c}.", TITLES[k]), name, off());
    }
    for (k, (name, _)) in PEOPLE.iter().enumerate() {
        let c = CONTENTS[(k + 2) % CONTENTS.len()];
        s.pos(cat, format!("{name}, {}, said {c}.", ROLES[k]), name, off());
    }
    for k in 0..4 {
        let (name, _) = PEOPLE[(k + 3) % PEOPLE.len()];
        let t = TITLES[(k + 5) % TITLES.len()];
        let q = QUOTES[k % QUOTES.len()];
        s.pos(cat, format!("\"{q},\" said {t} {name}."), name, off());
    }
    // A short name later in the document takes the type of the person it refers to.
    for k in 0..4 {
        let (name, short) = PEOPLE[(2 * k + 1) % PEOPLE.len()];
        let t = TITLES[(k + 2) % TITLES.len()];
        let c = CONTENTS[(k + 4) % CONTENTS.len()];
        let phrase = format!("{short} said");
        s.pos(
            cat,
            format!("{t} {name} visited the factory on Monday. {phrase} {c}."),
            &phrase,
            off(),
        );
    }
    // Near misses: private individuals, unnamed officials, organisations.
    for k in 0..3 {
        let (name, _) = PEOPLE[k];
        let w = WITNESS[k];
        s.near(
            cat,
            format!("{name}, {}, said {w}.", PRIVATE[k]),
            name,
            Expect::Type(SourceType::NamedPerson),
        );
    }
    s.near(
        cat,
        format!("A senior official said {}.", CONTENTS[5]),
        "A senior official",
        Expect::Type(SourceType::Anonymous),
    );
    s.near(
        cat,
        format!("Southcorp said {}.", CONTENTS[1]),
        "Southcorp",
        Expect::Type(SourceType::Organization),
    );
}

fn named_person(s: &mut Suite) {
    let cat = "named_person";
    let per = || Expect::Type(SourceType::NamedPerson);
    for (k, (name, _)) in PEOPLE.iter().enumerate() {
        let w = WITNESS[k % WITNESS.len()];
        s.pos(
            cat,
            format!("{name}, {}, said {w}.", PRIVATE[k]),
            name,
            per(),
        );
    }
    for k in 0..4 {
        let (name, _) = PEOPLE[(k + 2) % PEOPLE.len()];
        let w = WITNESS[(k + 1) % WITNESS.len()];
        s.pos(cat, format!("A voter named {name} said {w}."), name, per());
    }
    for (k, age) in [54, 19, 67, 40].iter().enumerate() {
        let (name, _) = PEOPLE[(k + 5) % PEOPLE.len()];
        let w = WITNESS[(k + 3) % WITNESS.len()];
        s.pos(cat, format!("{name}, {age}, said {w}."), name, per());
    }
    for k in 0..4 {
        let (name, _) = PEOPLE[(k + 1) % PEOPLE.len()];
        let p = PRIVATE[(k + 4) % PRIVATE.len()];
        let w = WITNESS[(k + 2) % WITNESS.len()];
        s.pos(
            cat,
            format!("\"{},\" said {name}, {p}.", cap(w)),
            name,
            per(),
        );
    }
    // No role or affiliation given anywhere in the document.
    for k in 0..3 {
        let (name, _) = PEOPLE[(k + 4) % PEOPLE.len()];
        let w = WITNESS[(k + 4) % WITNESS.len()];
        s.pos(cat, format!("{name} said {w}."), name, per());
    }
    // Near misses: named people with a public role.
    for k in 0..3 {
        let (name, _) = PEOPLE[k + 5];
        let w = WITNESS[k];
        s.near(
            cat,
            format!("{} {name} said {w}.", TITLES[k + 2]),
            name,
            Expect::Type(SourceType::NamedOfficial),
        );
    }
    s.near(
        cat,
        format!(
            "Dr. {}, a surgeon at St Mary's Hospital, said {}.",
            PEOPLE[0].0, WITNESS[2]
        ),
        PEOPLE[0].0,
        Expect::Type(SourceType::NamedOfficial),
    );
    // Near misses: unnamed private individuals stay anonymous.
    s.near(
        cat,
        format!("A retiree from Tampa said {}.", WITNESS[0]),
        "A retiree",
        Expect::Type(SourceType::Anonymous),
    );
    s.near(
        cat,
        format!("A bartender said {}.", WITNESS[4]),
        "A bartender",
        Expect::Type(SourceType::Anonymous),
    );
}

fn vague(s: &mut Suite) {
    let cat = "vague";
    let v = || Expect::Type(SourceType::Vague);
    let heads = [
        "critics",
        "analysts",
        "experts",
        "traders",
        "observers",
        "supporters",
        "many people",
        "some economists",
        "residents",
    ];
    // Sentence-initial (capitalised) and sentence-medial (lower case) forms of each head:
    // capitalisation must not decide the type.
    for (k, h) in heads.iter().enumerate() {
        let c = CONTENTS[k % CONTENTS.len()];
        s.pos(cat, format!("{} said {c}.", cap(h)), &cap(h), v());
        let c = CONTENTS[(k + 4) % CONTENTS.len()];
        s.pos(cat, format!("{}, {h} said.", cap(c)), h, v());
    }
    s.pos(
        cat,
        format!("Experts warned that {}.", CONTENTS[0]),
        "Experts",
        v(),
    );
    s.pos(cat, format!("Critics say {}.", CONTENTS[3]), "Critics", v());
    s.pos(
        cat,
        format!("According to analysts, {}.", CONTENTS[1]),
        "analysts",
        v(),
    );
    s.pos(
        cat,
        format!("Traders said {}.", CONTENTS[2]),
        "Traders",
        v(),
    );
    s.pos(
        cat,
        "Prices rose on Monday, traders said.".to_string(),
        "traders",
        v(),
    );
    // Near misses: named analysts, specific unnamed individuals.
    for k in 0..2 {
        let (name, _) = PEOPLE[k + 2];
        s.near(
            cat,
            format!("Barclays analyst {name} said {}.", CONTENTS[k + 1]),
            name,
            Expect::Type(SourceType::NamedOfficial),
        );
    }
    s.near(
        cat,
        format!("A trader in London said {}.", CONTENTS[2]),
        "A trader",
        Expect::Type(SourceType::Anonymous),
    );
    s.near(
        cat,
        format!(
            "Two analysts familiar with the matter said {}.",
            CONTENTS[4]
        ),
        "Two analysts",
        Expect::Type(SourceType::Anonymous),
    );
}

fn confirmation(s: &mut Suite) {
    let cat = "confirmation";
    s.pos(
        cat,
        "The deal was confirmed by Italian Prime Minister Giorgia Meloni.".to_string(),
        "Giorgia Meloni",
        Expect::Confirmation(true),
    );
    for k in 0..4 {
        let (name, _) = PEOPLE[k];
        let t = TITLES[k + 1];
        s.pos(
            cat,
            format!("The closure was confirmed by {t} {name} on Tuesday."),
            name,
            Expect::Confirmation(true),
        );
    }
    for k in 0..5 {
        let (name, _) = PEOPLE[k + 3];
        let t = TITLES[(k + 3) % TITLES.len()];
        let c = CONTENTS[k];
        s.pos(
            cat,
            format!("{t} {name} confirmed that {c}."),
            name,
            Expect::Confirmation(true),
        );
    }
    for k in 0..5 {
        let (sp, _, c) = ORG_SPEAKERS[3 * k + 1];
        s.pos(
            cat,
            format!("{sp} confirmed that {c}."),
            sp,
            Expect::Confirmation(true),
        );
    }
    s.pos(
        cat,
        "Busted have confirmed they will reunite for a tour.".to_string(),
        "Busted",
        Expect::Confirmation(true),
    );
    s.pos(
        cat,
        format!("A Microsoft spokeswoman confirmed that {}.", CONTENTS[1]),
        "spokeswoman",
        Expect::Confirmation(true),
    );
    s.pos(
        cat,
        format!(
            "{}, the company's chief executive, confirmed that {}.",
            PEOPLE[2].0, CONTENTS[0]
        ),
        PEOPLE[2].0,
        Expect::Confirmation(true),
    );
    s.pos(
        cat,
        format!(
            "{}, who witnessed the crash, confirmed that {}.",
            PEOPLE[5].0, WITNESS[1]
        ),
        PEOPLE[5].0,
        Expect::Confirmation(true),
    );
    // Near misses: the source is not named, or nothing is confirmed.
    let unnamed = [
        ("A senior official", CONTENTS[2]),
        ("Two people familiar with the matter", CONTENTS[4]),
        ("Analysts", CONTENTS[6]),
        ("Le Monde", CONTENTS[3]),
        ("The report", FINDINGS[2]),
    ];
    for (h, c) in unnamed {
        s.near(
            cat,
            format!("{h} confirmed that {c}."),
            h,
            Expect::Confirmation(false),
        );
    }
    for k in 0..3 {
        let (name, _) = PEOPLE[k + 1];
        let t = TITLES[k];
        let c = CONTENTS[k + 5];
        s.near(
            cat,
            format!("{t} {name} said {c}."),
            name,
            Expect::Confirmation(false),
        );
    }
    for k in 0..3 {
        let (name, _) = PEOPLE[k + 4];
        let t = TITLES[k + 4];
        let c = CONTENTS[k + 1];
        s.near(
            cat,
            format!("{t} {name} denied that {c}."),
            name,
            Expect::Confirmation(false),
        );
    }
}

fn refusal_not_confirmation(s: &mut Suite) {
    let cat = "refusal_not_confirmation";
    let refusals = [
        "declined to confirm that",
        "would not confirm that",
        "could neither confirm nor deny that",
        "refused to confirm that",
        "did not confirm that",
    ];
    for (k, r) in refusals.iter().enumerate() {
        let (name, _) = PEOPLE[k];
        let t = TITLES[k];
        let c = CONTENTS[k];
        s.pos(
            cat,
            format!("{t} {name} {r} {c}."),
            name,
            Expect::Confirmation(false),
        );
        let (sp, _, c) = ORG_SPEAKERS[3 * k + 2];
        s.pos(
            cat,
            format!("{sp} {r} {c}."),
            sp,
            Expect::Confirmation(false),
        );
    }
    for (k, r) in refusals.iter().enumerate() {
        let a = ORG_ADJ[k];
        let c = CONTENTS[(k + 3) % CONTENTS.len()];
        s.pos(
            cat,
            format!("A {a} spokeswoman {r} {c}."),
            "spokeswoman",
            Expect::Confirmation(false),
        );
    }
    let objects = [
        ("declined to confirm the layoffs", "Southcorp"),
        ("would neither confirm nor deny the report", "The Kremlin"),
        ("could not immediately confirm the figures", "Microsoft"),
        ("refused to confirm or deny the report", "Arsenal"),
        ("did not deny that the plant will close", "Siemens"),
    ];
    for (r, sp) in objects {
        s.pos(cat, format!("{sp} {r}."), sp, Expect::Confirmation(false));
    }
    for k in 0..2 {
        let (name, _) = PEOPLE[k + 5];
        let c = CONTENTS[k + 6];
        s.pos(
            cat,
            format!("{name}, the company's chief executive, declined to confirm that {c}, saying only that talks are continuing."),
            name,
            Expect::Confirmation(false),
        );
    }
    // Near misses: real confirmations by named sources.
    for k in 0..3 {
        let (sp, _, c) = ORG_SPEAKERS[4 * k + 3];
        s.near(
            cat,
            format!("{sp} later confirmed that {c}."),
            sp,
            Expect::Confirmation(true),
        );
    }
    for k in 0..2 {
        let (name, _) = PEOPLE[k + 2];
        let t = TITLES[k + 5];
        let c = CONTENTS[k + 2];
        s.near(
            cat,
            format!(
                "{t} {name}, who had declined to comment on Monday, confirmed on Tuesday that {c}."
            ),
            name,
            Expect::Confirmation(true),
        );
    }
    s.near(
        cat,
        format!(
            "{}, a spokesman for Rio Tinto, did confirm that {}.",
            PEOPLE[7].0, CONTENTS[1]
        ),
        PEOPLE[7].0,
        Expect::Confirmation(true),
    );
}

fn uncertain(s: &mut Suite) {
    let cat = "uncertain";
    let yes = || Expect::Uncertain(true);
    let no = || Expect::Uncertain(false);
    // Modal verbs and adverbs inside reported content.
    let hedged = [
        "the plant may close in March",
        "the talks might collapse this week",
        "the strike could last for weeks",
        "the bridge will possibly reopen on Sunday",
        "prices will likely rise next year",
        "the club may sign a new goalkeeper",
        "the company might cut 500 jobs",
        "the budget could include new money for schools",
    ];
    for (k, h) in hedged.iter().enumerate() {
        let (name, _) = PEOPLE[k];
        let t = TITLES[k];
        s.pos(cat, format!("{t} {name} said {h}."), h, yes());
    }
    for (k, h) in hedged.iter().enumerate().step_by(2) {
        let (sp, _, _) = ORG_SPEAKERS[k + 1];
        let sp = sp.replacen("The ", "the ", 1);
        s.pos(cat, format!("{}, {sp} said.", cap(h)), &cap(h), yes());
    }
    let standalone = [
        "The senator reportedly met the donor in May.",
        "The suspect allegedly stole $5,000 from the charity.",
        "It is unclear whether the talks will resume.",
        "A tax rise does not necessarily mean higher prices.",
        "Will the deal survive the vote?",
        "Some say the policy has failed.",
        "The results appear to show a fall in crime.",
        "The data suggest that turnout fell.",
        "The minister seems unwilling to compromise.",
        "It is not known how many people were hurt.",
        "Apparently the club had no plan for the stadium.",
        "If elected, she would cut taxes for families.",
        "Her plan would cut taxes by $200 billion.",
        "The cause of the fire remains unknown.",
        "The alleged fraud cost investors $2 million.",
        "Officials are uncertain about the cost of the repairs.",
        "Why did the company close the plant?",
        "The purportedly secret memo was published on Friday.",
    ];
    for t in standalone {
        let phrase = &t[..t.len().min(12)];
        s.pos(cat, t.to_string(), phrase, yes());
    }
    for k in 0..3 {
        let (name, _) = PEOPLE[k + 2];
        s.pos(
            cat,
            format!("{name} did not say whether the company would cut jobs."),
            name,
            yes(),
        );
    }
    // A hedge in the second sentence only.
    s.pos(
        cat,
        "The company will pay its workers. The plant may close in March.".to_string(),
        "The plant may close",
        yes(),
    );
    // Near misses: certain sentences next to or like uncertain ones.
    s.near(
        cat,
        format!(
            "The plant may close. {} said the company will pay its workers.",
            PEOPLE[1].0
        ),
        "said the company will pay",
        no(),
    );
    for k in 0..3 {
        let (name, _) = PEOPLE[k + 4];
        let t = TITLES[k + 4];
        s.near(
            cat,
            format!("{t} {name} said the plant will close in March."),
            name,
            no(),
        );
    }
    let certain = [
        "The company claimed the product was safe.",
        "The minister insisted that the budget was balanced.",
        "Siemens announced it would close the plant in March.",
        "Residents must leave their homes by Friday.",
        "The mayor accused the company of lying.",
        "The bridge reopened to traffic on Sunday.",
        "The discount works fine if you're eligible.",
        "It is clear that the talks collapsed on Friday.",
    ];
    for t in certain {
        let phrase = &t[..t.len().min(12)];
        s.near(cat, t.to_string(), phrase, no());
    }
}

fn certain_decisions_and_plans(s: &mut Suite) {
    let cat = "certain_decisions_and_plans";
    let yes = || Expect::Uncertain(true);
    let no = || Expect::Uncertain(false);
    let decisions = [
        "announced it would close the plant in March",
        "said it will open a data centre in Wales",
        "has agreed to sell its stake in the club",
        "decided it would reopen the embassy next week",
        "announced it would cut 500 jobs",
    ];
    for (k, d) in decisions.iter().enumerate() {
        let (sp, _, _) = ORG_SPEAKERS[3 * k + 2];
        s.pos(cat, format!("{sp} {d}."), sp, no());
    }
    let plans = [
        "will visit Paris on Monday",
        "will meet the union leaders next week",
        "will sign the bill on Friday",
        "is due to fly to Tokyo on Sunday",
    ];
    for (k, p) in plans.iter().enumerate() {
        let (name, _) = PEOPLE[k + 1];
        let t = TITLES[k + 1];
        s.pos(cat, format!("{t} {name} {p}."), name, no());
    }
    let obligations = [
        "The company must pay a fine of $2 million.",
        "Residents must leave their homes by Friday.",
        "All drivers must carry a licence.",
    ];
    for t in obligations {
        let phrase = &t[..t.len().min(12)];
        s.pos(cat, t.to_string(), phrase, no());
    }
    // Plain attributed assertions.
    for k in 0..5 {
        let (name, _) = PEOPLE[(k + 3) % PEOPLE.len()];
        let t = TITLES[(k + 3) % TITLES.len()];
        let c = CONTENTS[k];
        s.pos(cat, format!("{t} {name} said {c}."), name, no());
    }
    // Reporting verbs that keep distance are not cues by themselves.
    for (k, verb) in ["claimed", "insisted", "claimed", "insisted"]
        .iter()
        .enumerate()
    {
        let (name, _) = PEOPLE[k + 4];
        let c = CONTENTS[k + 2];
        s.pos(cat, format!("{name} {verb} that {c}."), name, no());
    }
    s.pos(
        cat,
        "Labour accused the government of lying about the budget.".to_string(),
        "Labour",
        no(),
    );
    s.pos(
        cat,
        "The discount works fine if you're eligible.".to_string(),
        "The discount",
        no(),
    );
    s.pos(
        cat,
        "Schools will reopen on Tuesday, the ministry said.".to_string(),
        "Schools",
        no(),
    );
    // Near misses: the same plans with doubt.
    s.near(
        cat,
        "Siemens said it may close the plant in March.".to_string(),
        "Siemens",
        yes(),
    );
    s.near(
        cat,
        format!("{} {} might visit Paris on Monday.", TITLES[1], PEOPLE[1].0),
        PEOPLE[1].0,
        yes(),
    );
    s.near(
        cat,
        "The company could pay a fine of $2 million.".to_string(),
        "The company",
        yes(),
    );
    s.near(
        cat,
        format!("If elected, {} would cut taxes for families.", PEOPLE[2].0),
        "If elected",
        yes(),
    );
    s.near(
        cat,
        format!("{} reportedly insisted that {}.", PEOPLE[3].0, CONTENTS[3]),
        PEOPLE[3].0,
        yes(),
    );
    s.near(
        cat,
        format!("It is unclear whether {} will visit Paris.", PEOPLE[4].0),
        "It is unclear",
        yes(),
    );
    s.near(
        cat,
        "Southcorp will probably close the plant in March.".to_string(),
        "Southcorp",
        yes(),
    );
}

fn suite() -> Vec<Case> {
    let mut s = Suite::default();
    anonymous_with_reason(&mut s);
    anonymous_with_knowledge(&mut s);
    anonymous_plain(&mut s);
    spokesperson_is_organization(&mut s);
    organization_as_speaker(&mut s);
    document(&mut s);
    media(&mut s);
    named_official(&mut s);
    named_person(&mut s);
    vague(&mut s);
    confirmation(&mut s);
    refusal_not_confirmation(&mut s);
    uncertain(&mut s);
    certain_decisions_and_plans(&mut s);
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

#[test]
fn source_offsets_lie_inside_their_sentence_tagger() {
    let found: usize = OFFSET_TEXTS
        .iter()
        .map(|t| check_offsets(t, Model::Tagger))
        .sum();
    assert!(found > 0, "tagger: no attribution in the offset texts");
}

#[test]
fn source_offsets_lie_inside_their_sentence_rules() {
    let found: usize = OFFSET_TEXTS
        .iter()
        .map(|t| check_offsets(t, Model::Rules))
        .sum();
    assert!(found > 0, "rules: no attribution in the offset texts");
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
