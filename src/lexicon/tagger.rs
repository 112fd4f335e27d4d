//! The learned attribution tagger's cue list (model-cues.txt): `CLASS<TAB>term` a line. The
//! tagger turns it into features ([`crate::extract::model`]); this module only checks and
//! holds it.

use super::load::{self, LexiconError};

/// The tagger's cue classes; class `k` is feature bit `1 << k` of the tagger.
pub const TAGGER_CLASSES: [&str; 8] = [
    "verb", "noun", "phrase", "pron", "title", "anon", "group", "learned",
];

#[derive(Debug, Clone)]
pub struct TaggerCues {
    /// The file's text: a trained model records its hash and refuses another.
    text: String,
    /// (index into [`TAGGER_CLASSES`], term of one or more words), in file order.
    entries: Vec<(usize, String)>,
}

impl TaggerCues {
    /// Parse model-cues.txt; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<TaggerCues, LexiconError> {
        let mut entries = Vec::new();
        for e in load::entries(file, text, &[])? {
            let Some(class) = TAGGER_CLASSES.iter().position(|c| *c == e.key) else {
                return Err(e.error(format!(
                    "unknown class `{}`; write `CLASS<TAB>term` with CLASS one of {}",
                    e.key,
                    TAGGER_CLASSES.join(", ")
                )));
            };
            if e.value.is_empty() {
                return Err(e.error("empty term; write `CLASS<TAB>term`"));
            }
            entries.push((class, e.value.to_string()));
        }
        Ok(TaggerCues {
            text: text.to_string(),
            entries,
        })
    }
    pub fn text(&self) -> &str {
        &self.text
    }
    /// (class index, term) of every line, in file order.
    pub fn entries(&self) -> &[(usize, String)] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_and_terms_are_checked() {
        let cues = TaggerCues::parse("m.txt", "# c\nverb\tsay\nphrase\taccording to\n").unwrap();
        assert_eq!(
            cues.entries(),
            [(0, "say".to_string()), (2, "according to".to_string())]
        );
        assert!(cues.text().starts_with("# c\n"));
        let e = TaggerCues::parse("m.txt", "verb\tsay\nverbs\tsaid\n").unwrap_err();
        assert!(
            e.to_string().starts_with("m.txt:2: unknown class `verbs`"),
            "{e}"
        );
        let e = TaggerCues::parse("m.txt", "\n\nnoun\n").unwrap_err();
        assert_eq!(e.to_string(), "m.txt:3: empty term; write `CLASS<TAB>term`");
    }
}
