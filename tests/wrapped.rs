//! Hard-wrapped text, tables and footers (docs/schema.md, "Segmentation").
//!
//! - A paragraph hard-wrapped at a fixed width (greedily, as `fold -s` and textwrap do: a
//!   line ends where the next word would not fit) has the sentences of the same paragraph on
//!   one line, at the same offsets of the original text.
//! - Line-per-paragraph text, verse, lists and headlines keep one paragraph per line.
//! - Table rows ("Shr 20 cts vs 15 cts") and footers ("NOTE: ...", "Reuter") are no claim
//!   (kind `other`) and cite no source.
//!
//! Expectations come from those definitions and from sentences written out by hand.

use onrecord::doc::Span;
use onrecord::extract::{ClaimKind, ModelKind};
use onrecord::pipeline::{analyze, Resources};
use onrecord::segment::{segment, Segmented};
use std::sync::OnceLock;

fn resources() -> &'static Resources {
    static R: OnceLock<Resources> = OnceLock::new();
    R.get_or_init(|| Resources::embedded(ModelKind::Tagger).expect("embedded resources"))
}

fn seg(text: &str) -> Segmented {
    segment(text, resources().lexicons.splitter())
}

/// `text` wrapped greedily at `width` chars: the space before a word that would pass the
/// width becomes a line break, so every offset stays where it was.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for (k, word) in line.split(' ').enumerate() {
            let len = word.chars().count();
            if k > 0 {
                if col + 1 + len > width && col > 0 {
                    out.push('\n');
                    col = 0;
                } else {
                    out.push(' ');
                    col += 1;
                }
            }
            out.push_str(word);
            col += len;
        }
    }
    out
}

fn spans(s: &Segmented) -> Vec<(Span, usize)> {
    s.sentences.iter().map(|x| (x.span, x.paragraph)).collect()
}

fn sentences<'a>(text: &'a str, s: &Segmented) -> Vec<&'a str> {
    s.sentences.iter().map(|x| x.span.slice(text)).collect()
}

/// Two paragraphs apart by a blank line; the sentences, written out by hand.
const ARTICLE: &str = "Showers continued throughout the week in the Bahia cocoa zone, \
alleviating the drought since early January and improving prospects for the coming \
temporao, although normal humidity levels have not been restored, Comissaria Smith said \
in its weekly review. The dry period means the temporao will be late this year, Mr. \
Antonio Souza of the U.S. trading house Lehman Brothers said on Tuesday.\n\n\
Arrivals for the week ended February 22 were 155,221 bags of 60 kilos, making a \
cumulative total for the season of 5.93 mln against 5.81 mln at the same stage last \
year. \u{201c}It seems that cocoa delivered earlier on consignment was included in the \
arrivals figures,\u{201d} Souza said. Analysts in São Paulo agreed.";

const ARTICLE_SENTENCES: [&str; 5] = [
    "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought \
     since early January and improving prospects for the coming temporao, although normal \
     humidity levels have not been restored, Comissaria Smith said in its weekly review.",
    "The dry period means the temporao will be late this year, Mr. Antonio Souza of the U.S. \
     trading house Lehman Brothers said on Tuesday.",
    "Arrivals for the week ended February 22 were 155,221 bags of 60 kilos, making a \
     cumulative total for the season of 5.93 mln against 5.81 mln at the same stage last year.",
    "\u{201c}It seems that cocoa delivered earlier on consignment was included in the arrivals \
     figures,\u{201d} Souza said.",
    "Analysts in São Paulo agreed.",
];

#[test]
fn hard_wrapped_paragraphs_have_the_sentences_of_unwrapped_ones() {
    let want = ARTICLE_SENTENCES.to_vec();
    let flat = seg(ARTICLE);
    assert_eq!(sentences(ARTICLE, &flat), want);
    assert_eq!(flat.paragraphs.len(), 2);
    for width in [35, 50, 72, 80] {
        let wrapped = wrap(ARTICLE, width);
        assert!(wrapped.lines().count() > 8, "width {width}: {wrapped}");
        let s = seg(&wrapped);
        // The same spans, so the same offsets into the wrapped (original) text ...
        assert_eq!(spans(&s), spans(&flat), "width {width}:\n{wrapped}");
        // ... and at those offsets the same sentences, line breaks read as spaces.
        let got: Vec<String> = sentences(&wrapped, &s)
            .iter()
            .map(|x| x.replace('\n', " "))
            .collect();
        assert_eq!(got, want, "width {width}");
        assert_eq!(s.paragraphs.len(), 2, "width {width}");
        for t in &s.tokens {
            assert!(!t.span.slice(&wrapped).contains('\n'));
        }
    }
}

#[test]
fn wire_copy_with_indented_paragraphs_and_crlf() {
    // Reuters-21578 style: ragged lines, a paragraph opens with an indent, CRLF line ends.
    let text = "Showers continued throughout the week in\r\n\
        the Bahia cocoa zone, alleviating the drought since early\r\n\
        January and improving prospects for the coming temporao,\r\n\
        although normal humidity levels have not been restored,\r\n\
        Comissaria Smith said in its weekly review.\r\n    \
        The dry period means the temporao will be late this year.\r\n    \
        Arrivals for the week ended February 22 were 155,221 bags\r\n\
        of 60 kilos making a cumulative total for the season of 5.93\r\n\
        mln against 5.81 at the same stage last year.\r\n";
    let s = seg(text);
    let got: Vec<String> = sentences(text, &s)
        .iter()
        .map(|x| x.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        got,
        [
            "Showers continued throughout the week in the Bahia cocoa zone, alleviating the \
             drought since early January and improving prospects for the coming temporao, \
             although normal humidity levels have not been restored, Comissaria Smith said in \
             its weekly review.",
            "The dry period means the temporao will be late this year.",
            "Arrivals for the week ended February 22 were 155,221 bags of 60 kilos making a \
             cumulative total for the season of 5.93 mln against 5.81 at the same stage last \
             year.",
        ]
    );
    assert_eq!(s.paragraphs.len(), 3);
    // Offsets into the original text: the first sentence starts at 0 and ends at the full
    // stop before the first CRLF that opens an indented line.
    let first_end = text.find("review.").unwrap() + "review.".len();
    assert_eq!(s.sentences[0].span, Span::new(0, first_end));
}

/// Each line a paragraph: BBC and PolNeAR style, without blank lines.
#[test]
fn line_per_paragraph_text_is_unchanged() {
    let text = "Ad sales boost Time Warner profit\n\
        Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three \
        months to December, from $639m year-earlier.\n\
        The firm, which is now one of the biggest investors in Google, benefited from sales \
        of high-speed internet connections and higher advert sales.\n\
        Time Warner said on Friday that it now owns 8% of search-engine Google.\n\
        But its own internet business, AOL, had mixed fortunes.\n";
    let s = seg(text);
    assert_eq!(s.paragraphs.len(), 5);
    for (p, line) in s.paragraphs.iter().zip(text.lines()) {
        assert_eq!(p.span.slice(text), line);
    }
}

#[test]
fn verse_lists_and_headlines_are_not_joined() {
    for text in [
        "so much depends\nupon\n\na red wheel\nbarrow\n\nglazed with rain\nwater\n\nbeside the \
         white\nchickens",
        "Shall I compare thee to a summer's day?\nThou art more lovely and more temperate:\n\
         Rough winds do shake the darling buds of May,\nAnd summer's lease hath all too short \
         a date;",
        "The plan has three parts:\n- a tax cut for small firms and\n- more money for schools\n\
         1. first reading in March\n2. a vote in April",
        "Markets\nDow falls 200 points\nOil rises as Opec cuts output\nGold steady",
    ] {
        let s = seg(text);
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        assert_eq!(s.paragraphs.len(), lines, "{text}");
    }
    // A short headline over a wrapped paragraph stays its own paragraph.
    let text = format!("Cocoa rains in Bahia\n{}", wrap(ARTICLE, 72));
    let s = seg(&text);
    assert_eq!(s.paragraphs.len(), 3);
    assert_eq!(s.paragraphs[0].span.slice(&text), "Cocoa rains in Bahia");
}

/// An earnings report as wire services send it: rows, a note, the trailer.
const EARNINGS: &str = "Acme Corp said on Tuesday its fourth quarter profit rose on higher \
sales of its\nengines, and chief executive John Smith said demand would stay strong in the \
coming\nyear.\n    \
Shr profit five cts vs profit four cts\n    \
Net 1,234,000 vs 987,000\n    \
Revs 12.3 mln vs 10.1 mln\n    \
Revenue      12.3     10.1\n    \
NOTE: 1986 net includes a gain of 200,000 dlrs, the company said. Prior\n\
year restated.\n Reuter\n";

#[test]
fn table_rows_and_footers_are_no_claims_and_no_sources() {
    let a = analyze(EARNINGS, resources());
    let text = EARNINGS;
    let layout = [
        "Shr profit five cts vs profit four cts",
        "Net 1,234,000 vs 987,000",
        "Revs 12.3 mln vs 10.1 mln",
        "Revenue      12.3     10.1",
        "NOTE: 1986 net includes a gain of 200,000 dlrs, the company said.",
        "Prior\nyear restated.",
        "Reuter",
    ];
    let seg = &a.segmented;
    for want in layout {
        let i = seg
            .sentences
            .iter()
            .position(|s| s.span.slice(text) == want)
            .unwrap_or_else(|| panic!("no sentence {want:?} in {:?}", sentences(text, seg)));
        assert_eq!(a.extraction.sentences[i].kind, ClaimKind::Other, "{want:?}");
        let span = seg.sentences[i].span;
        for att in &a.extraction.attributions {
            for sp in att.source.iter().chain(&att.cue) {
                assert!(
                    sp.end <= span.start || sp.start >= span.end,
                    "{want:?} holds {:?}",
                    sp.slice(text)
                );
            }
        }
        assert!(
            a.claims.iter().all(|c| c.span != span),
            "{want:?} is a claim"
        );
    }
    // The wrapped prose above the table is one sentence, and it is not layout.
    let first = seg.sentences[0].span.slice(text);
    assert!(first.ends_with("coming\nyear."), "{first:?}");
    assert_ne!(a.extraction.sentences[0].kind, ClaimKind::Other);
}
