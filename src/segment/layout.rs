//! Lines that are layout, not prose: table rows and footers. Neither makes a claim nor
//! cites a source; the claim model gives them kind `other` ([`crate::extract::claims`]) and
//! the wrap detector never joins a footer to the paragraph above ([`super::wrap`]).
//!
//! - A **table row** has no sentence-final punctuation and is short (at most
//!   [`ROW_MAX_WORDS`] words), and either compares with `vs` ("Shr profit five cts vs
//!   profit four cts"), or is mostly figures (a third of its words or more hold a digit:
//!   "Net 1,234,000 987,000", "Shr 20 cts"), or is set in columns (two or more gaps of
//!   three spaces or a tab).
//! - A **footer** is an editor's note (`NOTE:`, `Note -`), a wire trailer (a line that is
//!   just `Reuter` or `Reuters`), or a copyright line (`©`, `(c)`, `Copyright 2016 ...`,
//!   `Copyright ©`, `All rights reserved`).

/// Longest table row, in whitespace-separated words: real rows are short.
pub const ROW_MAX_WORDS: usize = 20;

/// Is `s` (a line or a sentence) a table row?
pub fn is_table_row(s: &str) -> bool {
    let body = s.trim();
    let end = body.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    if body.is_empty() || end.ends_with(['.', '!', '?', '…', ':']) {
        return false;
    }
    let words: Vec<&str> = body.split_whitespace().collect();
    let n = words.len();
    if n > ROW_MAX_WORDS {
        return false;
    }
    // `vs` between two things.
    let versus = n >= 3
        && words[1..n - 1]
            .iter()
            .any(|w| w.eq_ignore_ascii_case("vs") || w.eq_ignore_ascii_case("vs."));
    let figures = words
        .iter()
        .filter(|w| w.bytes().any(|b| b.is_ascii_digit()))
        .count();
    versus || (n >= 2 && figures * 3 >= n) || column_gaps(body) >= 2
}

/// Gaps of three or more spaces, or with a tab, between words on one line.
fn column_gaps(body: &str) -> usize {
    body.split(['\n', '\r'])
        .map(|line| {
            let mut gaps = 0;
            let mut run = (0usize, false);
            for c in line.trim().chars() {
                match c {
                    ' ' => run.0 += 1,
                    '\t' => run.1 = true,
                    _ => {
                        gaps += usize::from(run.0 >= 3 || run.1);
                        run = (0, false);
                    }
                }
            }
            gaps
        })
        .sum()
}

/// Is `s` (a line or a sentence) a footer?
pub fn is_footer(s: &str) -> bool {
    let body = s.trim();
    // Runs on every sentence: prefixes compared in place, no lowercased copy.
    let opens = |w: &str| {
        body.as_bytes()
            .get(..w.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(w.as_bytes()))
    };
    let after = |n: usize| body.get(n..).unwrap_or("").trim_start();
    if opens("note") {
        let rest = after(4);
        return rest.starts_with(':') || rest.starts_with("- ");
    }
    let word = body.trim_end_matches(|c: char| !c.is_alphanumeric());
    if word.eq_ignore_ascii_case("reuter") || word.eq_ignore_ascii_case("reuters") {
        return true;
    }
    let sign = |rest: &str| {
        rest.starts_with('©') || rest.get(..3).is_some_and(|r| r.eq_ignore_ascii_case("(c)"))
    };
    let year = after(9).starts_with(|c: char| c.is_ascii_digit());
    sign(body) || opens("copyright") && (sign(after(9)) || year) || opens("all rights reserved")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earnings_rows_are_table_rows() {
        for row in [
            "Shr profit five cts vs profit four cts",
            "Shr 20 cts vs 15 cts",
            "Net 1,234,000 vs 987,000",
            "Revs 12.3 mln vs. 10.1 mln",
            "Shr 20 cts",
            "Avg shrs 5,678,000",
            "Revenue      12.3     10.1",
            "Sales\t4.5\t3.9",
        ] {
            assert!(is_table_row(row), "{row:?}");
        }
    }

    #[test]
    fn prose_and_headlines_are_not_table_rows() {
        for prose in [
            "Profits rose 5% to 1.2bn in 2004.",
            "The vote, 52 to 48, was close.",
            "Trump leads by 5 points in Ohio",
            "Ad sales boost Time Warner profit",
            "Shr 20 cts vs 15 cts, the company said on Tuesday.",
            "vs",
            "",
        ] {
            assert!(!is_table_row(prose), "{prose:?}");
        }
        // A long line without a full stop is not a row, whatever its figures.
        let long = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21";
        assert!(!is_table_row(long));
    }

    #[test]
    fn footers() {
        for f in [
            "NOTE: 1986 net includes a gain of 1.2 mln dlrs.",
            "Note - results restated.",
            " Reuter",
            "REUTERS",
            "Reuter\n",
            "© 2016 The Associated Press.",
            "(c) Copyright Thomson Reuters 2016.",
            "Copyright 2016 The Associated Press. All rights reserved.",
            "Copyright © Breitbart",
            "All rights reserved.",
        ] {
            assert!(is_footer(f), "{f:?}");
        }
        for prose in [
            "Notes from the campaign trail.",
            "Note that the figures are unaudited.",
            "Reuters reported the deal on Monday.",
            "Copyright law protects the work.",
            "Noteworthy: the vote.",
        ] {
            assert!(!is_footer(prose), "{prose:?}");
        }
    }
}
