//! Front matter: the optional `+++`-fenced TOML block at the top of a Markdown file.
//!
//! Only TOML is accepted. YAML (`---`) is common in other generators, so it gets its
//! own error that says what to write instead, rather than being shown as text.

use std::ops::Range;

use serde::Deserialize;

/// A front matter block found at the top of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Fenced<'a> {
    /// The TOML between the fences.
    pub toml: &'a str,
    /// Where that TOML starts in the file (for error locations).
    pub toml_start: usize,
    /// Where the body starts: the byte after the closing fence's line.
    pub body_start: usize,
}

/// Why a front matter block could not be split off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FenceError {
    /// `---` at the top: YAML front matter.
    Yaml,
    /// An opening `+++` with no closing one; the offset is the opening fence.
    Unterminated,
}

/// Splits `text` into front matter and body. `Ok(None)` when there is no front
/// matter (the whole file is the body). A UTF-8 byte order mark is skipped.
pub fn split(text: &str) -> Result<Option<Fenced<'_>>, FenceError> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let first_line = rest[..first_line_end].trim_end();
    if first_line == "---" {
        return Err(FenceError::Yaml);
    }
    if first_line != "+++" {
        return Ok(None);
    }
    let toml_start = start + first_line_end;
    let mut offset = toml_start;
    for line in text[toml_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Some(Fenced {
                toml: &text[toml_start..offset],
                toml_start,
                body_start: offset + line.len(),
            }));
        }
        offset += line.len();
    }
    Err(FenceError::Unterminated)
}

/// A date as front matter may give it: a TOML date, a TOML datetime, or a string.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    Toml(toml::value::Datetime),
    Text(String),
}

/// The fields a briefing's front matter may carry. Unknown keys are errors, so a
/// misspelt `dat = ...` is caught instead of silently ignored.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BriefingFront {
    pub title: Option<String>,
    pub date: Option<DateValue>,
    pub summary: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub dateline: Option<String>,
    pub topics: Vec<String>,
    pub actors: Vec<String>,
    pub exclude_actors: Vec<String>,
    pub draft: bool,
    pub slug: Option<String>,
}

/// The fields of a registry entry, `content/actors/<id>.md`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActorFront {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub aliases: Vec<String>,
    pub affiliation: Option<String>,
    pub wikidata: Option<String>,
    pub ignore: bool,
}

/// A TOML error inside front matter, with its byte range in the whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct TomlError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

/// Parses the TOML of a fenced block into `T`, mapping error spans to file offsets.
pub fn parse<'de, T: Deserialize<'de>>(fenced: &Fenced<'de>) -> Result<T, TomlError> {
    toml::from_str(fenced.toml).map_err(|e| TomlError {
        message: e.message().trim().to_string(),
        span: e
            .span()
            .map(|s| s.start + fenced.toml_start..s.end + fenced.toml_start),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_front_matter_is_all_body() {
        assert_eq!(split("Hello\nworld"), Ok(None));
        assert_eq!(split(""), Ok(None));
    }

    #[test]
    fn splits_toml_front_matter() {
        let text = "+++\ntitle = \"A\"\n+++\nBody\n";
        let fenced = split(text).unwrap().unwrap();
        assert_eq!(fenced.toml, "title = \"A\"\n");
        assert_eq!(&text[fenced.body_start..], "Body\n");
        let front: BriefingFront = parse(&fenced).unwrap();
        assert_eq!(front.title.as_deref(), Some("A"));
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nBody";
        let fenced = split(text).unwrap().unwrap();
        assert_eq!(&text[fenced.body_start..], "Body");
    }

    #[test]
    fn yaml_is_refused() {
        assert_eq!(split("---\ntitle: x\n---\n"), Err(FenceError::Yaml));
    }

    #[test]
    fn unterminated_is_refused() {
        assert_eq!(split("+++\ntitle = \"x\"\n"), Err(FenceError::Unterminated));
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        let text = "+++\ntitle = \"A\"\ndate = = 3\n+++\n";
        let fenced = split(text).unwrap().unwrap();
        let err = parse::<BriefingFront>(&fenced).unwrap_err();
        let span = err.span.unwrap();
        assert!(span.start >= 16 && span.start < 28, "{span:?}");
    }

    #[test]
    fn unknown_front_matter_key_is_an_error() {
        let text = "+++\ntitel = \"A\"\n+++\n";
        let fenced = split(text).unwrap().unwrap();
        let err = parse::<BriefingFront>(&fenced).unwrap_err();
        assert!(err.message.contains("titel"), "{}", err.message);
    }
}
