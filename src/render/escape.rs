//! Escaping for everything the renderer writes by hand (feeds, the sitemap, the
//! network SVG, briefing bodies, JSON-LD, graph.json). Templates are escaped by
//! Tera; these are the two rules for the rest, kept in one place.

/// Appends `text` to `out`, escaped for HTML and XML text and attribute values.
pub fn escape_markup_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
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
        // across calls and the three-byte line separators are seen whole.
        let mut start = 0;
        let mut i = 0;
        while i < buf.len() {
            let (escaped, len): (&[u8], usize) = match buf[i] {
                b'<' => (b"\\u003c", 1),
                b'>' => (b"\\u003e", 1),
                b'&' => (b"\\u0026", 1),
                0xE2 if buf.get(i + 1) == Some(&0x80) && buf.get(i + 2) == Some(&0xA8) => {
                    (b"\\u2028", 3)
                }
                0xE2 if buf.get(i + 1) == Some(&0x80) && buf.get(i + 2) == Some(&0xA9) => {
                    (b"\\u2029", 3)
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.0.extend_from_slice(&buf[start..i]);
            self.0.extend_from_slice(escaped);
            i += len;
            start = i;
        }
        self.0.extend_from_slice(&buf[start..]);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `value` as JSON with markup characters escaped (see [`JsonMarkupEscaper`]);
/// `fallback` if it cannot be serialised.
pub fn json_for_markup<T: serde::Serialize>(
    value: &T,
    capacity: usize,
    fallback: &[u8],
) -> Vec<u8> {
    let mut out = JsonMarkupEscaper(Vec::with_capacity(capacity));
    match serde_json::to_writer(&mut out, value) {
        Ok(()) => out.0,
        Err(_) => fallback.to_vec(),
    }
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
}
