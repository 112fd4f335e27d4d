//! The fillers the case tables draw from, shared by every category (a category's own lists
//! are in its table).

use std::collections::BTreeMap;

/// People: full name and the short name a later reference uses.
const PEOPLE: [(&str, &str); 8] = [
    ("Maria Lopez", "Lopez"),
    ("John Smith", "Smith"),
    ("Aisha Khan", "Khan"),
    ("Tomas Novak", "Novak"),
    ("Grace Okafor", "Okafor"),
    ("Henrik Larsen", "Larsen"),
    ("Mei Chen", "Chen"),
    ("Rafael Ortiz", "Ortiz"),
];

/// Titles that give a named person an official or political role.
const TITLES: [&str; 8] = [
    "Italian Prime Minister",
    "Sen.",
    "Mayor",
    "Finance Minister",
    "Police Chief",
    "Gov.",
    "Defense Secretary",
    "Rep.",
];

/// Appositive roles: official, professional or organisational (named_official).
const ROLES: [&str; 8] = [
    "the company's chief executive",
    "the city's police chief",
    "a professor of economics at Yale University",
    "the state's attorney general",
    "the party's chairwoman",
    "a spokesman for the Red Cross",
    "the mayor of Leeds",
    "an epidemiologist at Johns Hopkins University",
];

/// Appositives of private individuals: voters, witnesses, relatives, age and hometown
/// (named_person, RUBRIC: "age and hometown are not a role", "son or daughter is not a role").
const PRIVATE: [&str; 8] = [
    "a 71-year-old retiree from Tampa",
    "a mother of three from Leeds",
    "a 33-year-old shopper",
    "an accountant from Ohio who voted for the first time",
    "the victim's sister",
    "who witnessed the crash",
    "whose house was flooded last week",
    "a first-time voter",
];

/// Plain contents, asserted without any hedge.
const CONTENTS: [&str; 8] = [
    "the plant will close in March",
    "the company cut 500 jobs last year",
    "the talks collapsed on Friday",
    "the budget includes new money for schools",
    "the bridge reopened to traffic on Sunday",
    "the ministry has opened an investigation",
    "the tour starts in Glasgow in May",
    "the club signed a new goalkeeper",
];

/// Plain contents a private witness would give.
const WITNESS: [&str; 6] = [
    "the water rose within minutes",
    "the bus was full when the fire started",
    "she waited three hours for an ambulance",
    "the shop had been closed for a week",
    "the noise woke the whole street",
    "he voted for the first time this year",
];

/// Plain findings of documents.
const FINDINGS: [&str; 7] = [
    "support for the plan fell to 41 percent",
    "most voters oppose the new tax",
    "crime fell by 12 percent last year",
    "the river is badly polluted",
    "the company paid no tax in 2022",
    "the factory broke safety rules",
    "the minister met the donor twice",
];

/// Plain direct quotes.
const QUOTES: [&str; 6] = [
    "We will not close the plant",
    "The deal is done",
    "Our players are ready",
    "The figures are clear",
    "We have met every target",
    "The money is already in the bank",
];

/// Organisations that fit "a {ORG} spokeswoman".
const ORG_ADJ: [&str; 8] = [
    "Microsoft",
    "Toyota",
    "Labour",
    "Google",
    "Siemens",
    "Barclays",
    "Kremlin",
    "State Department",
];

/// Organisations that fit "a spokesman for {ORG}".
const ORG_FOR: [&str; 8] = [
    "Acme Corp",
    "the Red Cross",
    "Southcorp",
    "the Conservative Party",
    "Rio Tinto",
    "the State Department",
    "Arsenal",
    "the World Bank",
];

/// News outlets.
const OUTLETS: [&str; 10] = [
    "Le Monde",
    "The Washington Post",
    "Reuters",
    "AFP",
    "CNN",
    "the BBC",
    "Der Spiegel",
    "The Guardian",
    "Bloomberg",
    "the Financial Times",
];

/// Organisations speaking as such: companies, bands, clubs, parties, governments, agencies.
/// (speaker, reporting verb, content)
const ORG_SPEAKERS: [(&str, &str, &str); 18] = [
    (
        "Busted",
        "have confirmed that",
        "the tour starts in Glasgow in May",
    ),
    ("Coldplay", "said", "the new album will be released in June"),
    (
        "Radiohead",
        "announced that",
        "the band will play two shows in Paris",
    ),
    ("Arsenal", "said", "the club signed a new goalkeeper"),
    ("Birmingham", "said", "the match will go ahead on Saturday"),
    ("Real Madrid", "said", "the coach will stay until 2026"),
    ("Southcorp", "said", "the company cut 500 jobs last year"),
    ("Microsoft", "said", "it will open a data centre in Wales"),
    ("Siemens", "announced that", "the plant will close in March"),
    (
        "The Tories",
        "said",
        "the budget includes new money for schools",
    ),
    ("Labour", "said", "the party will scrap the tax"),
    (
        "The Democratic Party",
        "said",
        "it raised $40 million in May",
    ),
    ("The Kremlin", "said", "the talks collapsed on Friday"),
    ("Russia", "said", "its troops left the border area"),
    (
        "The White House",
        "said",
        "the president will visit Paris on Monday",
    ),
    ("The FBI", "said", "the investigation began in June"),
    (
        "The State Department",
        "said",
        "the embassy will reopen next week",
    ),
    (
        "The Red Cross",
        "said",
        "aid convoys reached the city on Sunday",
    ),
];

/// The fillers by the name a template gives them (`{name[k]}`). A person is `name` and `short`;
/// an organisation speaking as such is `speaker`, `speaker_verb` and `speaker_says`, and
/// `speaker_mid` is the speaker as written inside a sentence ("the Kremlin").
pub fn lists() -> BTreeMap<&'static str, Vec<String>> {
    fn owned<const N: usize>(items: [&str; N]) -> Vec<String> {
        items.map(str::to_string).to_vec()
    }
    BTreeMap::from([
        ("name", owned(PEOPLE.map(|p| p.0))),
        ("short", owned(PEOPLE.map(|p| p.1))),
        ("title", owned(TITLES)),
        ("role", owned(ROLES)),
        ("private", owned(PRIVATE)),
        ("content", owned(CONTENTS)),
        ("witness", owned(WITNESS)),
        ("finding", owned(FINDINGS)),
        ("quote", owned(QUOTES)),
        ("org_adj", owned(ORG_ADJ)),
        ("org_for", owned(ORG_FOR)),
        ("outlet", owned(OUTLETS)),
        ("speaker", owned(ORG_SPEAKERS.map(|s| s.0))),
        ("speaker_verb", owned(ORG_SPEAKERS.map(|s| s.1))),
        ("speaker_says", owned(ORG_SPEAKERS.map(|s| s.2))),
        (
            "speaker_mid",
            ORG_SPEAKERS
                .map(|s| s.0.replacen("The ", "the ", 1))
                .to_vec(),
        ),
    ])
}
