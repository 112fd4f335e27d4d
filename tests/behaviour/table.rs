//! The case tables: their format, and the one loop that turns their rows into cases.
//!
//! A table is text, one entry a line; blank lines and lines starting with `#` are skipped.
//! - `category: NAME` starts a category: the lists and rows below it are its own.
//! - `list: NAME` starts a list of fillers of the category; its items are the indented lines
//!   below it.
//! - `positive: EXPECTATION` or `near miss: EXPECTATION` gives the kind and the expectation of
//!   the rows below it, the expectation written as the failure report prints it
//!   ([`Expect::describe`]: "source type media", "anonymity, with reason", "no cue in the
//!   phrase" ...).
//! - `TEXT | PHRASE` is one case; `N | TEXT | PHRASE` is N cases, for k = 0 to N - 1;
//!   `& | TEXT | PHRASE` has as many cases as the row above and takes turns with it (case k of
//!   the row above, then case k of this one).
//!
//! TEXT and PHRASE are templates: `{list[i]}` is item i of a list (the category's own, or one
//! of the shared fillers), where i is `N`, `k`, `k+N`, `Mk` or `Mk+N`, taken modulo the list's
//! length; `{List[i]}`, the name capitalised, capitalises the item (it starts a sentence). A
//! PHRASE `{opening}` is the first 12 bytes of the text. [`Suite::add`] then looks the phrase up
//! as given or capitalised.

use crate::{cap, fillers, Expect, Suite};
use std::collections::BTreeMap;

/// Lists of fillers by name.
type Lists = BTreeMap<&'static str, Vec<String>>;

/// Rows that are expanded together: one row, and the rows that take turns with it.
struct Group {
    near_miss: bool,
    expect: &'static str,
    count: usize,
    templates: Vec<(&'static str, &'static str)>,
}

#[derive(Default)]
struct Category {
    name: &'static str,
    lists: Lists,
    groups: Vec<Group>,
}

/// Adds the cases of `table` to the suite, in the order the table gives them.
pub fn add_cases(table: &'static str, suite: &mut Suite) {
    let fillers = fillers::lists();
    for category in parse(table, &fillers) {
        let lists = [&category.lists, &fillers];
        for group in &category.groups {
            for k in 0..group.count {
                for (text, phrase) in &group.templates {
                    let text = render(text, k, &lists);
                    let phrase = match *phrase {
                        "{opening}" => text[..text.len().min(12)].to_string(),
                        phrase => render(phrase, k, &lists),
                    };
                    let expect = Expect::parse(group.expect).unwrap_or_else(|| {
                        panic!("table: no expectation reads {:?}", group.expect)
                    });
                    suite.add(category.name, text, &phrase, expect, group.near_miss);
                }
            }
        }
    }
}

fn parse(table: &'static str, fillers: &Lists) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::new();
    let mut header: Option<(bool, &str)> = None;
    let mut list: Option<&str> = None;
    let mut after_row = false;
    for (n, line) in table.lines().enumerate() {
        let fail = |why: &str| -> ! { panic!("table line {}: {why}: {line:?}", n + 1) };
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            let (Some(name), Some(category)) = (list, categories.last_mut()) else {
                fail("an indented line outside a list")
            };
            let items = category.lists.entry(name).or_default();
            items.push(line.trim().to_string());
            continue;
        }
        list = None;
        let row = after_row;
        after_row = false;
        if let Some(name) = line.strip_prefix("category: ") {
            categories.push(Category {
                name,
                ..Category::default()
            });
            header = None;
            continue;
        }
        let Some(category) = categories.last_mut() else {
            fail("before the first category")
        };
        if let Some(name) = line.strip_prefix("list: ") {
            if category.lists.contains_key(name) || fillers.contains_key(name) {
                fail("a list of that name exists");
            }
            list = Some(name);
        } else if let Some(expect) = line.strip_prefix("positive: ") {
            header = Some((false, expect));
        } else if let Some(expect) = line.strip_prefix("near miss: ") {
            header = Some((true, expect));
        } else {
            let Some((near_miss, expect)) = header else {
                fail("a row before `positive:` or `near miss:`")
            };
            let fields: Vec<&str> = line.split('|').map(str::trim).collect();
            let (count, text, phrase) = match fields[..] {
                [text, phrase] => ("1", text, phrase),
                [count, text, phrase] => (count, text, phrase),
                _ => fail("a row is TEXT | PHRASE or COUNT | TEXT | PHRASE"),
            };
            after_row = true;
            if count == "&" {
                match category.groups.last_mut() {
                    Some(group) if row => group.templates.push((text, phrase)),
                    _ => fail("`&` with no row above"),
                }
                continue;
            }
            let count = count
                .parse()
                .unwrap_or_else(|_| fail("a count that is no number"));
            category.groups.push(Group {
                near_miss,
                expect,
                count,
                templates: vec![(text, phrase)],
            });
        }
    }
    categories
}

/// The template with every `{list[i]}` replaced by its item for this k, the list looked up in
/// `lists` in turn.
fn render(template: &str, k: usize, lists: &[&Lists]) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open
            + rest[open..]
                .find('}')
                .unwrap_or_else(|| panic!("template {template:?}: an unclosed `{{`"));
        let slot = &rest[open + 1..close];
        let (name, index) = slot
            .strip_suffix(']')
            .and_then(|s| s.split_once('['))
            .unwrap_or_else(|| panic!("template {template:?}: {{{slot}}} is not {{list[i]}}"));
        let lower = name[..1].to_lowercase() + &name[1..];
        let items = lists
            .iter()
            .find_map(|l| l.get(lower.as_str()))
            .unwrap_or_else(|| panic!("template {template:?}: no list {lower:?}"));
        let item = &items[index_at(index, k) % items.len()];
        if lower == name {
            out.push_str(item);
        } else {
            out.push_str(&cap(item));
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The value of an index `N`, `k`, `k+N`, `Mk` or `Mk+N` for this k.
fn index_at(index: &str, k: usize) -> usize {
    let number = |s: &str| -> usize {
        s.parse()
            .unwrap_or_else(|_| panic!("index {index:?}: {s:?} is not a number"))
    };
    let (term, offset) = match index.split_once('+') {
        Some((term, offset)) => (term, number(offset)),
        None if index.ends_with('k') => (index, 0),
        None => return number(index),
    };
    let factor = match term.strip_suffix('k') {
        Some("") => 1,
        Some(factor) => number(factor),
        None => panic!("index {index:?}: {term:?} is not k or Mk"),
    };
    factor * k + offset
}
