//! Offsets: byte offsets inside, Unicode code points outside.

/// Maps UTF-8 byte offsets of one text to code-point offsets (what Python, R and brat count).
pub struct CharIndex {
    /// `None` when the text is ASCII: byte and code-point offsets coincide.
    prefix: Option<Vec<u32>>,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex { prefix: None };
        }
        // prefix[b] = number of code points that start before byte b (for every byte b <= len).
        let bytes = text.as_bytes();
        let mut prefix = Vec::with_capacity(bytes.len() + 1);
        let mut n = 0u32;
        for &b in bytes {
            prefix.push(n);
            if (b & 0xC0) != 0x80 {
                n += 1;
            }
        }
        prefix.push(n);
        CharIndex {
            prefix: Some(prefix),
        }
    }

    /// Code-point offset of a byte offset that lies on a char boundary.
    pub fn char_of(&self, byte: usize) -> usize {
        match &self.prefix {
            None => byte,
            Some(p) => p[byte] as usize,
        }
    }

    pub fn span(&self, span: crate::doc::Span) -> [usize; 2] {
        [self.char_of(span.start), self.char_of(span.end)]
    }
}

/// Byte offset of each code-point offset (inverse of [`CharIndex`]), for reading gold files.
pub fn byte_offsets_of_chars(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Span;

    #[test]
    fn char_offsets_with_accents_quotes_and_emoji() {
        let text = "Café “yes” 🎉 said Zoë.";
        let ci = CharIndex::new(text);
        let start = text.find("said").unwrap();
        let [s, e] = ci.span(Span::new(start, start + 4));
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[s..e].iter().collect::<String>(), "said");
        let b = byte_offsets_of_chars(text);
        assert_eq!(b[s], start);
    }
}
