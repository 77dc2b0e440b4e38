//! Escaping for everything the renderer writes by hand (feeds, the sitemap, the
//! network SVG, briefing bodies, JSON-LD, graph.json). Templates are escaped by
//! Tera; these are the two rules for the rest, kept in one place.

/// Appends `text` to `out`, escaped for HTML and XML text and attribute values
/// (`&`, `<`, `>`, `"` and `'`). pulldown-cmark's escaper, the one Tera uses for
/// templates too, skips the runs between special bytes with SIMD.
pub fn escape_markup_into(text: &str, out: &mut String) {
    // Writing into a String cannot fail; the Result is the writer trait's.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, text);
}

/// `text` escaped for HTML and XML text and attribute values.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_markup_into(text, &mut out);
    out
}

/// A writer for JSON that writes `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes
/// while the JSON is produced. In JSON these can only occur inside strings, where
/// the escapes mean the same; the result can sit inside a `<script>` element (a
/// name like `</script>` cannot close it) and stays inert if a server or script
/// treats a `.json` file as HTML.
pub struct JsonMarkupEscaper(pub Vec<u8>);

impl std::io::Write for JsonMarkupEscaper {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // serde_json writes whole `&str` fragments, so a character is never split
        // across calls and the three-byte line separators are seen whole. Most
        // fragments are a few bytes (keys, punctuation, numbers) and are looked
        // at byte by byte; long strings are searched with memchr.
        if buf.len() < 64 {
            self.escape_short(buf);
        } else {
            escape_json_bytes(buf, &mut self.0);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl JsonMarkupEscaper {
    /// The escape for the character at `buf[i]` and its length in bytes, if
    /// it needs one.
    fn escape_at(buf: &[u8], i: usize) -> Option<(&'static [u8], usize)> {
        match buf[i] {
            b'<' => Some((b"\\u003c", 1)),
            b'>' => Some((b"\\u003e", 1)),
            b'&' => Some((b"\\u0026", 1)),
            0xE2 => match buf.get(i + 1..i + 3) {
                Some([0x80, 0xA8]) => Some((b"\\u2028", 3)),
                Some([0x80, 0xA9]) => Some((b"\\u2029", 3)),
                _ => None,
            },
            _ => None,
        }
    }

    fn escape_short(&mut self, buf: &[u8]) {
        let mut start = 0;
        let mut i = 0;
        while i < buf.len() {
            match Self::escape_at(buf, i) {
                Some((escaped, len)) => {
                    self.0.extend_from_slice(&buf[start..i]);
                    self.0.extend_from_slice(escaped);
                    i += len;
                    start = i;
                }
                None => i += 1,
            }
        }
        self.0.extend_from_slice(&buf[start..]);
    }
}

/// Appends `buf` (JSON text) to `out` with the markup characters escaped; the
/// bytes to look at are rare, and memchr jumps from one to the next.
fn escape_json_bytes(buf: &[u8], out: &mut Vec<u8>) {
    let find_mark = |from: usize| memchr::memchr3(b'<', b'>', b'&', &buf[from..]).map(|i| i + from);
    let find_e2 = |from: usize| memchr::memchr(0xE2, &buf[from..]).map(|i| i + from);
    let mut next_mark = find_mark(0);
    let mut next_e2 = find_e2(0);
    let mut start = 0;
    loop {
        let i = match (next_mark, next_e2) {
            (Some(m), Some(e)) => m.min(e),
            (Some(m), None) => m,
            (None, Some(e)) => e,
            (None, None) => break,
        };
        if let Some((escaped, len)) = JsonMarkupEscaper::escape_at(buf, i) {
            out.extend_from_slice(&buf[start..i]);
            out.extend_from_slice(escaped);
            start = i + len;
        }
        // Another character starting with 0xE2 (a dash, a quote) is kept.
        if buf[i] == 0xE2 {
            next_e2 = find_e2(i + 1);
        } else {
            next_mark = find_mark(i + 1);
        }
    }
    out.extend_from_slice(&buf[start..]);
}

/// `value` as JSON with markup characters escaped (see [`JsonMarkupEscaper`]);
/// `fallback` if it cannot be serialised.
pub fn json_for_markup<T: serde::Serialize>(
    value: &T,
    capacity: usize,
    fallback: &[u8],
) -> Vec<u8> {
    // serde_json writes a few bytes at a time; escaping the finished text in
    // one pass costs a copy but far less than looking at every small write.
    let mut raw = Vec::with_capacity(capacity);
    if serde_json::to_writer(&mut raw, value).is_err() {
        return fallback.to_vec();
    }
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 64);
    escape_json_bytes(&raw, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape_markup("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn json_stays_json_and_inert() {
        let value = serde_json::json!({ "name": "</script><b> & \u{2028}x" });
        let bytes = json_for_markup(&value, 0, b"{}");
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains(['<', '>', '&', '\u{2028}']), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    /// The escapes spelled out one character at a time: what the writer must
    /// produce, however it finds the characters.
    fn escaped_slowly(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                '<' => "\\u003c".to_string(),
                '>' => "\\u003e".to_string(),
                '&' => "\\u0026".to_string(),
                '\u{2028}' => "\\u2028".to_string(),
                '\u{2029}' => "\\u2029".to_string(),
                c => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn other_characters_sharing_a_first_byte_with_the_separators_pass_through() {
        let short = "a\u{2014}b\u{201C}<\u{2028}\u{2029}&\u{2026}>\u{2014}";
        // Short fragments and long ones take different paths.
        for text in [short.to_string(), short.repeat(20)] {
            let mut out = JsonMarkupEscaper(Vec::new());
            std::io::Write::write_all(&mut out, text.as_bytes()).unwrap();
            assert_eq!(String::from_utf8(out.0).unwrap(), escaped_slowly(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_json_writer_escapes_exactly_the_markup_characters(
            text in "[a<>&\u{2014}\u{2028}\u{2029}\u{201C} ]{0,120}"
        ) {
            let mut out = JsonMarkupEscaper(Vec::new());
            std::io::Write::write_all(&mut out, text.as_bytes()).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(out.0).unwrap(), escaped_slowly(&text));
        }

        #[test]
        fn whole_json_is_escaped_like_its_fragments(
            texts in proptest::collection::vec("[a<>&\u{2014}\u{2028}\u{2029}\\\" ]{0,90}", 0..4)
        ) {
            let plain = serde_json::to_string(&texts).unwrap();
            let inert = String::from_utf8(json_for_markup(&texts, 0, b"[]")).unwrap();
            proptest::prop_assert_eq!(&inert, &escaped_slowly(&plain));
            let back: Vec<String> = serde_json::from_str(&inert).unwrap();
            proptest::prop_assert_eq!(back, texts);
        }

        #[test]
        fn markup_escaping_matches_the_five_rules(text in "[a<>&\"' \u{e9}]{0,40}") {
            let expected: String = text
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            proptest::prop_assert_eq!(escape_markup(&text), expected);
        }
    }
}
