//! Hard-wrapped text: which line breaks are wraps inside a paragraph (read as spaces) and
//! which end one. Wire copy and plain-text archives break lines at a fixed width; taken as
//! paragraph breaks, their sentences would start mid-sentence.
//!
//! One decision per document, then one per line break, over line lengths only (the text
//! is not rewritten: the scanner reads a soft break as a space, so every offset stays an
//! offset into the input):
//! - The document is **wrapped** when some line breaks fall mid-sentence (a line ending in
//!   a word or `,` followed by a line starting lowercase) and those lines share a width
//!   `W` (their longest, between [`MIN_WIDTH`] and [`MAX_WIDTH`] chars, most of them near
//!   it). Line-per-paragraph text has no such breaks: its segmentation is left alone.
//! - It is **greedily** wrapped (`fold -s`, textwrap, an editor's hard wrap) when nearly all
//!   of those breaks fall where the next word would not have fitted on the line
//!   ([`GREEDY_SHARE`]), else **ragged** (wire copy). Widths are counted as wrappers count
//!   them: they break at ASCII blanks only, so a no-break space is part of a word, and the
//!   spaces `fold -s` leaves at a line's end count.
//! - In a wrapped document a break between two non-blank lines is **soft** when the line
//!   could be a wrapped one (not longer than `W` and a little), the next line is not
//!   indented past the document's margin (a paragraph indent), not a footer after a
//!   finished line, the line does not end a sentence with a no-break space (a web page's
//!   `&nbsp;` paragraph end), and either the next line's first word would not have fitted
//!   on the line (greedy), or the line ends mid-sentence and the next goes on: starts
//!   lowercase, or, in a ragged document only, starts with a capital or a digit (not a
//!   list item) after a line ending in a word or `,` that fills three quarters of the
//!   width. A blank line always ends a paragraph.
//!
//! What layout cannot tell: a paragraph whose last line is so full that the next
//! paragraph's first word would not have fitted looks like a wrap, and is read as one. On
//! PolNeAR train folded at 72 columns such a break after a finished sentence was a wrap
//! 1814 times and a paragraph end 59 times (scripts/folded_agreement.py, docs/report.md).

use super::layout::is_footer;
use std::borrow::Cow;

/// Narrowest width taken for wrapped prose (a newspaper column holds about 30 chars): shorter
/// lines are verse, lists or headlines.
const MIN_WIDTH: usize = 30;
/// Widest: longer lines are paragraphs of line-per-paragraph text.
const MAX_WIDTH: usize = 200;

/// The share of a document's mid-sentence breaks that must be greedy ones (the next word
/// would not have fitted) for it to be read as greedily wrapped: all of them, but for a few
/// line breaks of the source's own.
const GREEDY_SHARE: (usize, usize) = (9, 10);

/// Where wrappers break lines: `fold -s` and textwrap break at ASCII blanks only.
const WRAP_SPACE: [char; 2] = [' ', '\t'];

/// A line of the text: bytes `start..end`, without its break.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
}

/// The lines of `text`, split at `\n`, `\r\n` and `\r`.
fn lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        if at > bytes.len() {
            return None;
        }
        let start = at;
        let (end, brk) = match memchr::memchr2(b'\n', b'\r', &bytes[start..]) {
            Some(k) => {
                let e = start + k;
                let crlf = bytes[e] == b'\r' && bytes.get(e + 1) == Some(&b'\n');
                (e, if crlf { 2 } else { 1 })
            }
            None => (bytes.len(), 0),
        };
        at = if brk == 0 { bytes.len() + 1 } else { end + brk };
        Some(Line { start, end })
    })
}

/// What the decisions read of one line.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    blank: bool,
    /// Ends in a word char or `, ; - – — /`: the sentence goes on past the break.
    open: bool,
    /// Ends in a word char or `,`: the line may go on with a capitalised word.
    open_word: bool,
    /// Starts with a lowercase letter.
    lower: bool,
    /// Starts with a letter or digit.
    alnum: bool,
    /// Ends a sentence: `.`, `!` or `?`, then closing quotes or brackets.
    finished: bool,
}

fn shape(line: &str) -> Shape {
    let body = line.trim();
    let (Some(first), Some(last)) = (body.chars().next(), body.chars().next_back()) else {
        return Shape {
            blank: true,
            ..Shape::default()
        };
    };
    Shape {
        blank: false,
        open: last.is_alphanumeric() || matches!(last, ',' | ';' | '-' | '–' | '—' | '/'),
        open_word: last.is_alphanumeric() || last == ',',
        lower: first.is_lowercase(),
        alnum: first.is_alphanumeric(),
        finished: body
            .trim_end_matches(['"', '\'', '”', '’', ')', ']'])
            .ends_with(['.', '!', '?']),
    }
}

fn chars(s: &str) -> usize {
    // Bytes that start a char: all but the continuation bytes 0x80..0xBF.
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// A line's width as a wrapper measures it: up to its last char that is not a space or a
/// tab. Wrappers break at those only, so a no-break space is part of a word.
fn line_width(line: &str) -> usize {
    chars(line.trim_end_matches(WRAP_SPACE))
}

/// Would the first word of `next` have overflowed `line` at width `w`: the break between
/// them is one a greedy wrapper makes. `fold -s` leaves a run's spaces but the last at the
/// line's end, so they count.
fn overflows(line: &str, next: &str, w: usize) -> bool {
    let body = next.trim_start_matches(WRAP_SPACE);
    let word = body.split(WRAP_SPACE).next().unwrap_or("");
    chars(line) + 1 + chars(word) > w
}

fn indent(line: &str) -> usize {
    chars(line) - chars(line.trim_start())
}

/// A list item: `- `, `* `, `• `, `1. `, `a) ` ...
fn is_list_item(body: &str) -> bool {
    let b = body.as_bytes();
    if body.starts_with(['-', '*', '•', '·', '–', '—', '#']) {
        return true;
    }
    let n = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    (1..=3).contains(&n)
        && matches!(b.get(n), Some(b'.' | b')'))
        && matches!(b.get(n + 1), Some(b' ' | b'\t'))
        && (n == 1 || b[..n].iter().all(u8::is_ascii_digit))
}

/// The byte offsets of the line breaks of `text` that are wraps inside a paragraph (the
/// first byte of the break; a `\r\n` counts as one), in order; empty for text that is not
/// hard-wrapped.
pub(super) fn soft_breaks(text: &str) -> Vec<usize> {
    // Cheap first pass over the lines' ends: is any break mid-sentence?
    let mut prev = Shape {
        blank: true,
        ..Shape::default()
    };
    let mut prev_line = None;
    let (mut joined, mut mid_sentence) = (0usize, Vec::new());
    for l in lines(text) {
        let s = shape(&text[l.start..l.end]);
        if let (false, false, Some(p)) = (s.blank, prev.blank, prev_line) {
            joined += 1;
            if prev.open && s.lower {
                mid_sentence.push((p, l));
            }
        }
        prev = s;
        prev_line = Some(l);
    }
    if mid_sentence.is_empty() || mid_sentence.len() * 5 < joined {
        return Vec::new();
    }
    // The width: the longest mid-sentence line; most of them near it.
    let mut widths: Vec<usize> = mid_sentence
        .iter()
        .map(|(l, _)| line_width(&text[l.start..l.end]))
        .collect();
    widths.sort_unstable();
    let w = widths[widths.len() - 1];
    if !(MIN_WIDTH..=MAX_WIDTH).contains(&w) || widths[widths.len() / 2] * 4 < w * 3 {
        return Vec::new();
    }
    // Greedy wrapping (`fold -s`, textwrap, an editor's hard wrap) breaks a line only where
    // the next word would not fit; a ragged wrap (wire copy) breaks earlier too. The
    // ragged rule below would take a short paragraph's end for a wrap, so it is kept for
    // documents whose mid-sentence breaks are not greedy ones.
    let greedy_breaks = mid_sentence
        .iter()
        .filter(|(l, next)| overflows(&text[l.start..l.end], &text[next.start..next.end], w))
        .count();
    let greedy_document = greedy_breaks * GREEDY_SHARE.1 >= mid_sentence.len() * GREEDY_SHARE.0;
    let all: Vec<Line> = lines(text).collect();
    let margin = all
        .iter()
        .map(|l| &text[l.start..l.end])
        .filter(|s| !s.trim().is_empty())
        .map(indent)
        .min()
        .unwrap_or(0);
    let mut soft = Vec::new();
    for pair in all.windows(2) {
        let (a, b) = (
            &text[pair[0].start..pair[0].end],
            &text[pair[1].start..pair[1].end],
        );
        let (sa, sb) = (shape(a), shape(b));
        if sa.blank || sb.blank || indent(b) > margin {
            continue;
        }
        let len = line_width(a);
        let body = b.trim_start();
        let greedy = overflows(a, b, w);
        // A footer after a finished line ("Reuter"); after an open one ("... told\nReuters.")
        // the sentence goes on.
        if len > w + w / 8 || !sa.open && is_footer(body) {
            continue;
        }
        // A finished sentence, then a no-break space: the `&nbsp;` that ends a paragraph of
        // text taken from a web page (a wrapper breaks at the space after one, rarely).
        if sa.finished && a.trim_end_matches(WRAP_SPACE).ends_with('\u{a0}') {
            continue;
        }
        let ragged = sa.open && sb.lower
            || !greedy_document
                && sa.open_word
                && sb.alnum
                && 4 * len >= 3 * w
                && !is_list_item(body);
        if greedy || ragged {
            soft.push(pair[0].end);
        }
    }
    soft
}

/// `s` with its line breaks read as spaces (`\r\n` as one), as the segmenter reads a
/// wrapped line: a name or a source is the same string however its text was wrapped.
pub fn unwrapped(s: &str) -> Cow<'_, str> {
    if !s.contains(['\n', '\r']) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("\r\n", " ").replace(['\n', '\r'], " "))
}

/// The soft breaks of a text, asked in text order by the scanner.
pub(super) struct SoftBreaks {
    at: Vec<usize>,
    next: usize,
}

impl SoftBreaks {
    pub(super) fn of(text: &str) -> SoftBreaks {
        SoftBreaks {
            at: soft_breaks(text),
            next: 0,
        }
    }

    /// The length of the soft break at byte `i` (a line break), or `None` when it ends a
    /// paragraph. Breaks must be asked in increasing order.
    #[inline]
    pub(super) fn at(&mut self, bytes: &[u8], i: usize) -> Option<usize> {
        while self.at.get(self.next).is_some_and(|&k| k < i) {
            self.next += 1;
        }
        if self.at.get(self.next) != Some(&i) {
            return None;
        }
        self.next += 1;
        Some(if bytes.get(i..i + 2) == Some(b"\r\n") {
            2
        } else {
            1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::soft_breaks;

    /// The lines of `text` that [`soft_breaks`] joins to the next, as their last words.
    fn joined(text: &str) -> Vec<&str> {
        soft_breaks(text)
            .into_iter()
            .map(|at| text[..at].rsplit(' ').next().unwrap_or(""))
            .collect()
    }

    /// A paragraph wrapped greedily at 60 columns, written out by hand from the definition
    /// (the next word does not fit), independently of `soft_breaks`. Its last line is short,
    /// as most are: a last line that fills the width reads as a wrap.
    const FOLDED_60: &str = "The Bahia cocoa zone had showers throughout the week, which\n\
        alleviated the drought since early January and improved the\n\
        prospects for the coming crop, although normal humidity\n\
        levels have not been restored, Comissaria Smith said in its\n\
        weekly review. The crop will be late.";

    #[test]
    fn greedy_wrapped_paragraph_is_one() {
        assert_eq!(soft_breaks(FOLDED_60).len(), 4);
        // Also with CRLF line ends: the break's first byte.
        let crlf = FOLDED_60.replace('\n', "\r\n");
        let at = soft_breaks(&crlf);
        assert_eq!(at.len(), 4);
        assert!(at.iter().all(|&i| &crlf[i..i + 2] == "\r\n"));
    }

    #[test]
    fn blank_lines_and_indents_end_paragraphs() {
        let text = format!("{FOLDED_60}\n\n{FOLDED_60}\n    {FOLDED_60}");
        // Four wraps in each paragraph; the blank line and the indented line are breaks.
        assert_eq!(soft_breaks(&text).len(), 12);
        assert!(!joined(&text).contains(&"late."));
    }

    #[test]
    fn ragged_wire_copy_is_joined() {
        // Reuters-style: lines of uneven length, paragraphs indented.
        let text = "Showers continued throughout the week in\n\
            the Bahia cocoa zone, alleviating the drought since early\n\
            January and improving prospects for the coming temporao,\n\
            although normal humidity levels have not been restored,\n\
            Comissaria Smith said in its weekly review.\n    \
            The dry period means the temporao will be late this year.\n    \
            Arrivals for the week ended February 22 were 155,221 bags\n\
            of 60 kilos making a cumulative total for the season of 5.93\n\
            mln against 5.81 at the same stage last year.\n Reuter\n";
        assert_eq!(
            joined(text),
            ["in", "early", "temporao,", "restored,", "bags", "5.93"]
        );
    }

    #[test]
    fn line_per_paragraph_text_is_left_alone() {
        let text = "Ad sales boost Time Warner profit\n\
            Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three months to December, from $639m year-earlier.\n\
            The firm, which is now one of the biggest investors in Google, benefited from sales of high-speed internet connections.\n\
            Time Warner said on Friday that it now owns 8% of search-engine Google.\n";
        assert!(soft_breaks(text).is_empty());
    }

    #[test]
    fn verse_lists_and_headlines_are_not_joined() {
        let verse = "so much depends\nupon\n\na red wheel\nbarrow\n\nglazed with rain\nwater\n";
        assert!(soft_breaks(verse).is_empty());
        let sonnet = "Shall I compare thee to a summer's day?\n\
            Thou art more lovely and more temperate:\n\
            Rough winds do shake the darling buds of May,\n\
            And summer's lease hath all too short a date;\n";
        assert!(soft_breaks(sonnet).is_empty());
        // A list after a wrapped paragraph: its items stay lines of their own.
        let list = format!("{FOLDED_60}\nThe items:\n- apples and\n- pears\n1. one\n2. two\n");
        assert_eq!(joined(&list), ["which", "the", "humidity", "its"]);
        // A short headline over a wrapped paragraph.
        let headline = format!("Cocoa rains in Bahia\n{FOLDED_60}");
        assert_eq!(soft_breaks(&headline).len(), 4);
    }

    /// FOLDED_60's first four lines: greedily wrapped at width 59 (its longest line).
    fn folded_60_head() -> String {
        FOLDED_60.lines().take(4).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn a_full_last_line_of_a_greedy_paragraph_ends_it() {
        // The paragraph's last line (49 chars, no full stop) fills three quarters of the
        // width, but "Rain" would have fitted on it (49 + 1 + 4 <= 59): greedy wrapping
        // would have put it there, so the break ends the paragraph.
        let text = format!(
            "{}\nweekly review of the crop in the Bahia cocoa zone\nRain fell on most days.",
            folded_60_head()
        );
        assert_eq!(joined(&text), ["which", "the", "humidity", "its"]);
    }

    #[test]
    fn widths_are_counted_as_wrappers_count_them() {
        let head = "The Bahia cocoa zone had showers throughout the week, which\n";
        // A no-break space joins "Co." and "Ltd" into one word of 7: it did not fit on the
        // line of 55 (55 + 1 + 7 > 59), although "Co." alone would have.
        let nbsp = format!(
            "{head}alleviated the drought, according to Comissaria Smith &\n\
             Co.\u{a0}Ltd in its weekly review. Arrivals were 155,221 bags."
        );
        assert_eq!(joined(&nbsp), ["which", "&"]);
        // The space `fold -s` leaves of a double space counts: 52 chars and the space,
        // then "Prices" (53 + 1 + 6 > 59).
        let spaces = format!(
            "{head}alleviated the drought since early January, it said. \nPrices will rise."
        );
        assert_eq!(soft_breaks(&spaces).len(), 2);
        // A finished sentence, then a no-break space: a paragraph's end, even where the
        // next word would not have fitted (53 + 1 + 6 > 59).
        let nbsp_end = format!(
            "{head}alleviated the drought since early January and improved the\n\
             weekly review. The crop will be late, the firm said.\u{a0}\nPrices rose."
        );
        assert_eq!(joined(&nbsp_end), ["which", "the"]);
    }

    #[test]
    fn footers_and_table_rows_stay_lines() {
        let text = format!(
            "{FOLDED_60}\nShr 20 cts vs 15 cts\nNet 1,234,000 vs 987,000\nNOTE: the figures are unaudited and were\nrestated by the company."
        );
        // The last wrap of the note is a wrap too.
        assert_eq!(joined(&text), ["which", "the", "humidity", "its", "were"]);
    }
}
