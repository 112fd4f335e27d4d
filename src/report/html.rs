//! The HTML both pages share: escaping, the page shell with its one inline stylesheet (no
//! script, nothing fetched), and legends.

use std::fmt::Write;

/// Text escaped for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Colours, with a second cue besides colour for every mark (underline, weight, brackets), so
/// that the marks read in greyscale and for readers who do not tell the colours apart.
const STYLE: &str = "
body{font:15px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:1100px;margin:0 auto;padding:1em}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}
caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code{background:#f3f3f3;padding:0 .2em;overflow-wrap:break-word}
figure{margin:1em 0}figcaption{font-size:.9em;color:#444}
svg{max-width:100%;height:auto}
.article{white-space:pre-wrap;border:1px solid #ddd;padding:1em;line-height:1.9}
.src{color:#0b3d91;font-weight:700;text-decoration:underline solid 2px}
.cue{color:#9a4a00;text-decoration:underline dashed 2px}
.con{background:#e3f4e3}
.hdg{color:#6b2a8a;text-decoration:underline wavy 1px}
.mk{font-weight:700;text-decoration:none}
.badge{display:inline-block;border:1px solid #333;border-radius:3px;padding:0 .25em;margin-left:.2em;font-size:.8em;line-height:1.3;color:#000;background:#ffe9a8;text-decoration:none}
tr.claim td{background:#fffbea}
tr:target td{background:#ffd76e;border:2px solid #333}
.legend{display:flex;flex-wrap:wrap;gap:.4em 1.5em;list-style:none;padding:0}
.sig{font-weight:700}
.note{color:#444;font-size:.9em}
";

/// A whole page: `<title>`, the stylesheet and `content` in `<main>`.
pub fn page(title: &str, content: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{content}</main>\n\
         </body>\n</html>\n",
        escape(title)
    )
}

/// A legend: (class, name, the cue besides colour), each shown in its own style.
pub struct Legend<'a>(pub Vec<(&'a str, &'a str, &'a str)>);

impl Legend<'_> {
    pub fn html(&self) -> String {
        let mut out = String::from("<ul class=\"legend\" aria-label=\"legend\">");
        for (class, name, cue) in &self.0 {
            let _ = write!(
                out,
                "<li><span class=\"{class}\">{}</span>: {}</li>",
                escape(name),
                escape(cue)
            );
        }
        out.push_str("</ul>");
        out
    }
}

/// A word for a POSIX shell: as it is when it holds only characters a shell leaves alone,
/// else in single quotes (a quote inside written `'\''`).
pub fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Inline Markdown: `code` spans and [links](target) (shown as their text), escaped.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (k, part) in s.split('`').enumerate() {
        if k % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(part));
            continue;
        }
        // [text](target) -> text: the targets are paths of the repository, not of the page.
        let mut rest = part;
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find("](").map(|c| open + c) else {
                break;
            };
            let Some(end) = rest[close..].find(')').map(|e| close + e) else {
                break;
            };
            out.push_str(&escape(&rest[..open]));
            out.push_str(&escape(&rest[open + 1..close]));
            rest = &rest[end + 1..];
        }
        out.push_str(&escape(rest));
    }
    out
}

/// The Markdown of the data dictionary as HTML: headings (moved down by `shift` levels),
/// pipe tables, lists, fenced code and paragraphs; all the file uses.
pub fn markdown(md: &str, shift: usize) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    let mut table: Vec<&str> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    let flush = |out: &mut String, para: &mut Vec<&str>, table: &mut Vec<&str>| {
        if !para.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", inline(&para.join(" ")));
            para.clear();
        }
        if !table.is_empty() {
            out.push_str("<table>\n");
            let cells = |row: &str| -> Vec<String> {
                let row = row.trim().trim_start_matches('|').trim_end_matches('|');
                row.split('|').map(|c| inline(c.trim())).collect()
            };
            for (i, row) in table.iter().enumerate() {
                if i == 1 && row.trim_start_matches('|').starts_with("--") {
                    continue;
                }
                let tag = if i == 0 { "th scope=\"col\"" } else { "td" };
                let end = if i == 0 { "th" } else { "td" };
                out.push_str("<tr>");
                for c in cells(row) {
                    let _ = write!(out, "<{tag}>{c}</{end}>");
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</table>\n");
            table.clear();
        }
    };
    for line in md.lines() {
        if let Some(block) = code.as_mut() {
            if line.starts_with("```") {
                let _ = writeln!(out, "<pre><code>{}</code></pre>", escape(&block.join("\n")));
                code = None;
            } else {
                block.push(line);
            }
            continue;
        }
        if line.starts_with("```") {
            flush(&mut out, &mut para, &mut table);
            code = Some(Vec::new());
        } else if line.starts_with('#') {
            flush(&mut out, &mut para, &mut table);
            let level = line.chars().take_while(|&c| c == '#').count();
            let h = (level + shift).min(6);
            let _ = writeln!(out, "<h{h}>{}</h{h}>", inline(line[level..].trim()));
        } else if line.starts_with('|') {
            if !para.is_empty() {
                flush(&mut out, &mut para, &mut Vec::new());
            }
            table.push(line);
        } else if line.trim().is_empty() {
            flush(&mut out, &mut para, &mut table);
        } else {
            if !table.is_empty() {
                flush(&mut out, &mut Vec::new(), &mut table);
            }
            para.push(line.trim());
        }
    }
    flush(&mut out, &mut para, &mut table);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">Tom's & Jerry</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&lt;/a&gt;"
        );
        assert_eq!(escape("héllo"), "héllo");
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("../shared/bbc"), "../shared/bbc");
        assert_eq!(shell_word("it's a file"), r"'it'\''s a file'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn markdown_headings_tables_and_code() {
        let md =
            "# Title `x`\n\nSome <text> and [a link](b.md).\n\n| a | b |\n|---|---|\n| `1` | 2 |\n";
        assert_eq!(
            markdown(md, 1),
            "<h2>Title <code>x</code></h2>\n<p>Some &lt;text&gt; and a link.</p>\n<table>\n\
             <tr><th scope=\"col\">a</th><th scope=\"col\">b</th></tr>\n\
             <tr><td><code>1</code></td><td>2</td></tr>\n</table>\n"
        );
    }
}
