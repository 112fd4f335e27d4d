//! One article as `onrecord explain` shows it: each sentence's verdict (a claim with its
//! score and components, or why it is not one), shared by the terminal view and the HTML
//! page (`explain --html`), where sources, cues, contents and hedges are marked in the text.

use super::html::{escape, page, Legend};
use crate::pipeline::{Analysis, Resources};
use crate::score::{self, NotClaim, COMPONENTS};
use std::fmt::Write;

/// What explain says about one sentence.
pub struct Verdict<'a> {
    /// Index of the sentence in the document.
    pub index: usize,
    /// The sentence, trimmed.
    pub sentence: &'a str,
    /// Index of its claim in [`Analysis::claims`]; `None` when it is not a claim.
    pub claim: Option<usize>,
    /// "claim (factual, p 0.93), score 75.0" or "not a claim: opinion (claim model, p 0.81)".
    pub headline: String,
    /// For a claim: its source type, the source's words, inherited, uncertain.
    pub source: String,
    /// For a claim: its non-zero components, `base +60.0, confirmation +10.0`.
    pub components: String,
}

/// Every sentence's verdict, in document order.
pub fn verdicts<'a>(text: &'a str, analysis: &Analysis, res: &Resources) -> Vec<Verdict<'a>> {
    let (ext, claims) = (&analysis.extraction, &analysis.claims);
    let mut claim_of = vec![None; analysis.segmented.sentences.len()];
    for (k, c) in claims.iter().enumerate() {
        if let Some(x) = claim_of.get_mut(c.sentence) {
            *x = Some(k);
        }
    }
    let mut out = Vec::with_capacity(claim_of.len());
    for (i, s) in analysis.segmented.sentences.iter().enumerate() {
        let sentence = s.span.slice(text).trim();
        let Some(k) = claim_of[i] else {
            // Why it is not scored: its layout, or the kind the claim model read.
            let why = score::claim_status(text, &analysis.segmented, ext, i, &res.weights);
            let model = match (why, ext.sentences.get(i)) {
                (Some(NotClaim::Opinion | NotClaim::Other), Some(f)) => {
                    format!(" (claim model, p {:.2})", f.kind_probability)
                }
                _ => String::new(),
            };
            out.push(Verdict {
                index: i,
                sentence,
                claim: None,
                headline: format!("not a claim: {}{model}", why.map_or("-", NotClaim::as_str)),
                source: String::new(),
                components: String::new(),
            });
            continue;
        };
        let c = &claims[k];
        let words = c
            .attribution
            .and_then(|i| ext.attributions.get(i))
            .map(|a| {
                a.source
                    .iter()
                    .filter_map(|s| text.get(s.start..s.end))
                    .collect::<Vec<_>>()
                    .join(" … ")
            })
            .unwrap_or_default();
        let p = ext.sentences.get(i).map_or(1.0, |f| f.kind_probability);
        let parts: Vec<String> = COMPONENTS
            .iter()
            .zip(c.components.values())
            .filter(|(_, v)| *v != 0.0)
            .map(|(n, v)| format!("{n} {v:+.1}"))
            .collect();
        out.push(Verdict {
            index: i,
            sentence,
            claim: Some(k),
            headline: format!("claim (factual, p {p:.2}), score {:.1}", c.score),
            source: format!(
                "{}{}{}{}",
                c.source_type(ext),
                if words.is_empty() {
                    String::new()
                } else {
                    format!(" \"{words}\"")
                },
                if c.inherited { " (inherited)" } else { "" },
                if c.uncertain { "; uncertain" } else { "" }
            ),
            components: parts.join(", "),
        });
    }
    out
}

/// A kind of marked span.
struct Mark {
    class: &'static str,
    name: &'static str,
    /// The cue besides colour, for the legend.
    cue: &'static str,
    /// The brackets written around the span's text, if any.
    brackets: Option<(&'static str, &'static str)>,
}

/// The kinds of marked span, in the order their classes are written.
const MARKS: [Mark; 4] = [
    Mark {
        class: "src",
        name: "source",
        cue: "bold, solid underline",
        brackets: None,
    },
    Mark {
        class: "cue",
        name: "cue",
        cue: "dashed underline",
        brackets: None,
    },
    Mark {
        class: "con",
        name: "content",
        cue: "green tint, between « »",
        brackets: Some(("«", "»")),
    },
    Mark {
        class: "hdg",
        name: "hedge",
        cue: "wavy underline, in { }",
        brackets: Some(("{", "}")),
    },
];

/// The explain page of one document: the text with its spans marked and each claim's score
/// after its sentence, then a table of every sentence's verdict. Self-contained HTML.
pub fn html(id: &str, corpus: &str, text: &str, analysis: &Analysis, res: &Resources) -> String {
    let ext = &analysis.extraction;
    let verdicts = verdicts(text, analysis, res);
    // (byte offset, kind, +1 opens / -1 closes); segments between offsets get the classes
    // open over them, so crossing spans never produce badly nested elements.
    let mut edges: Vec<(usize, usize, i32)> = Vec::new();
    let mut span = |kind: usize, s: &crate::doc::Span| {
        if s.start < s.end && s.end <= text.len() {
            edges.push((s.start, kind, 1));
            edges.push((s.end, kind, -1));
        }
    };
    for a in &ext.attributions {
        a.source.iter().for_each(|s| span(0, s));
        a.cue.iter().for_each(|s| span(1, s));
        a.content.iter().for_each(|s| span(2, s));
    }
    for f in &ext.sentences {
        f.hedges.iter().for_each(|h| span(3, h));
    }
    // A claim's score badge goes at the end of its sentence (after the closers there).
    let mut badges: Vec<(usize, String)> = Vec::new();
    for v in &verdicts {
        if let Some(k) = v.claim {
            let c = &analysis.claims[k];
            badges.push((
                c.span.end.min(text.len()),
                format!(
                    "<a class=\"badge\" href=\"#s{}\" aria-label=\"claim score {:.1}, sentence {}\">{:.1}</a>",
                    v.index, c.score, v.index, c.score
                ),
            ));
        }
    }
    edges.sort_by_key(|e| (e.0, e.2, e.1));
    let mut body = String::with_capacity(text.len() * 2);
    let mut open = [0i32; 4];
    let (mut at, mut e, mut b) = (0usize, 0usize, 0usize);
    while at < text.len() {
        while e < edges.len() && edges[e].0 <= at {
            let (_, kind, step) = edges[e];
            open[kind] += step;
            // Brackets go at the span's own ends, not around each piece of it.
            if let Some((opening, closing)) = MARKS[kind].brackets {
                let _ = write!(
                    body,
                    "<span class=\"{} mk\" aria-hidden=\"true\">{}</span>",
                    MARKS[kind].class,
                    if step > 0 { opening } else { closing }
                );
            }
            e += 1;
        }
        while b < badges.len() && badges[b].0 <= at {
            body.push_str(&badges[b].1);
            b += 1;
        }
        let next = edges
            .get(e)
            .map_or(text.len(), |x| x.0)
            .min(badges.get(b).map_or(text.len(), |x| x.0));
        let next = (next.max(at + 1)..=text.len())
            .find(|&n| text.is_char_boundary(n))
            .unwrap_or(text.len());
        let classes: Vec<&str> = (0..4)
            .filter(|&k| open[k] > 0)
            .map(|k| MARKS[k].class)
            .collect();
        let piece = escape(&text[at..next]);
        if classes.is_empty() {
            body.push_str(&piece);
        } else {
            let titles: Vec<&str> = (0..4)
                .filter(|&k| open[k] > 0)
                .map(|k| MARKS[k].name)
                .collect();
            let _ = write!(
                body,
                "<span class=\"{}\" title=\"{}\">{piece}</span>",
                classes.join(" "),
                titles.join(", ")
            );
        }
        at = next;
    }
    for &(_, kind, step) in &edges[e..] {
        if let Some((_, closing)) = MARKS[kind].brackets.filter(|_| step < 0) {
            let _ = write!(
                body,
                "<span class=\"{} mk\" aria-hidden=\"true\">{closing}</span>",
                MARKS[kind].class
            );
        }
    }
    for (_, badge) in &badges[b..] {
        body.push_str(badge);
    }
    let mut rows = String::new();
    for v in &verdicts {
        let _ = writeln!(
            rows,
            "<tr id=\"s{}\"{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            v.index,
            if v.claim.is_some() {
                " class=\"claim\""
            } else {
                ""
            },
            v.index,
            escape(&v.headline),
            escape(&v.source),
            escape(&v.components),
            escape(v.sentence)
        );
    }
    let legend = Legend(
        MARKS
            .iter()
            .map(|m| (m.class, m.name, m.cue))
            .chain([("badge", "claim score", "a boxed number after the sentence")])
            .collect(),
    );
    let title = format!("{id} ({corpus}): onrecord explain");
    let n_claims = analysis.claims.len();
    let content = format!(
        "<h1>{}</h1>\n<p>{} sentences, {n_claims} claims (factual sentences; score = sum of \
         components, clamped to 0..100), {} attributions. A transparent model of sourcing, \
         not a verdict on truth.</p>\n{}\n<h2>Article</h2>\n<div class=\"article\" \
         aria-label=\"the article with its spans marked\">{body}</div>\n<h2>Sentences</h2>\n\
         <table><caption>Every sentence: a claim with its score, source and components, or \
         why it is not a claim</caption>\n<thead><tr><th scope=\"col\">#</th><th \
         scope=\"col\">verdict</th><th scope=\"col\">source</th><th \
         scope=\"col\">components</th><th scope=\"col\">sentence</th></tr></thead>\n\
         <tbody>\n{rows}</tbody></table>\n",
        escape(&format!("{id} ({corpus})")),
        verdicts.len(),
        ext.attributions.len(),
        legend.html()
    );
    page(&title, &content)
}
