//! Stage 1, config: `site.toml` into a validated [`Config`].
//!
//! Unknown keys and wrong types are errors that name the key, the line and the
//! column: a typo in `site.toml` must never be silently ignored, because a silently
//! ignored `base_url` is a broken site discovered only after publishing.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Location;

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// The whole site configuration. Every field has a default, so an empty
/// `site.toml` is a valid site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The site's name, shown in the header, the `<title>` and feeds.
    pub title: String,
    /// One sentence about the site, for the home page, feeds and search engines.
    pub description: String,
    /// Where the site will live, e.g. `https://example.org/briefs/`. Every internal
    /// link carries its path, so the site works at a sub-path.
    pub base_url: String,
    /// The language of the briefings (BCP 47, e.g. `en`).
    pub language: String,
    /// Where the briefings are, relative to the site root.
    pub content_dir: PathBuf,
    /// Where `dossier build` writes the site, relative to the site root.
    pub output_dir: PathBuf,
    /// Briefings per page on the home page.
    pub paginate: usize,
    /// Build briefings marked `draft = true` too.
    pub drafts: bool,
    /// Which mentions in a briefing's text become links to actor and place pages.
    pub link_mentions: LinkMentions,
    /// How many entries each Atom feed carries.
    pub feed_limit: usize,
    /// Author shown in feeds when a briefing names no source.
    pub author: String,
    /// Markdown rendering options.
    pub markdown: MarkdownConfig,
    /// Full-text search.
    pub search: SearchConfig,
    /// Safety limits for content that comes from outside.
    pub limits: LimitsConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Briefings".into(),
            description: String::new(),
            base_url: "http://localhost/".into(),
            language: "en".into(),
            content_dir: PathBuf::from("content"),
            output_dir: PathBuf::from("public"),
            paginate: 20,
            drafts: false,
            link_mentions: LinkMentions::First,
            feed_limit: 20,
            author: String::new(),
            markdown: MarkdownConfig::default(),
            search: SearchConfig::default(),
            limits: LimitsConfig::default(),
        }
    }
}

/// Which mentions become links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkMentions {
    /// The first mention of each actor or place in every paragraph.
    First,
    /// Every mention.
    All,
    /// No mention (the sidebar still lists them).
    None,
}

/// `[markdown]`: how briefing bodies are turned into HTML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    /// What to do with raw HTML inside Markdown.
    pub raw_html: RawHtml,
    /// Turn straight quotes and `--` into typographic ones.
    pub smart_punctuation: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            raw_html: RawHtml::Sanitize,
            smart_punctuation: true,
        }
    }
}

/// Raw HTML policy. Briefings often come from outside; the default keeps
/// ordinary formatting and removes anything executable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Keep safe formatting, drop scripts, event handlers, `javascript:` URLs.
    Sanitize,
    /// Pass raw HTML through untouched (only for content you wrote yourself).
    Allow,
    /// Show raw HTML as text.
    Escape,
}

/// `[search]`: the static full-text search index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Build the search index and the `/search/` page.
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[limits]`: bounds on what one input file may cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    /// Briefings larger than this many bytes are reported and skipped.
    pub max_file_size: u64,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_file_size: 5 * 1024 * 1024,
        }
    }
}

/// What can go wrong reading `site.toml`.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "{0}: no {CONFIG_FILE} here\n  what to do: run dossier inside a site (the folder with {CONFIG_FILE}), pass --root DIR, or create one with `dossier init DIR`"
    )]
    Missing(PathBuf),
    #[error("{path}: cannot read: {message}\n  what to do: check the file's permissions")]
    Unreadable { path: PathBuf, message: String },
    #[error("{location}: {message}\n  what to do: {hint}")]
    Invalid {
        location: Location,
        message: String,
        hint: String,
    },
}

impl Config {
    /// Reads and validates `root/site.toml`.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| ConfigError::Invalid {
                location: Location::file(&path),
                message: format!(
                    "not valid UTF-8 (first bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
                hint: "save the file as UTF-8".into(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError::Missing(root.to_path_buf()));
            }
            Err(e) => {
                return Err(ConfigError::Unreadable {
                    path,
                    message: e.to_string(),
                });
            }
        };
        Config::parse(&text, &path)
    }

    /// Parses and validates the text of a `site.toml` read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let (location, key) = match e.span() {
                Some(span) => (
                    Location::at_offset(path, text, span.start),
                    key_at(text, span.start),
                ),
                None => (Location::file(path), None),
            };
            let message = e.message().trim();
            ConfigError::Invalid {
                location,
                message: match key {
                    Some(key) if !message.contains(&key) => format!("{key}: {message}"),
                    _ => message.to_string(),
                },
                hint: "fix the key or its value; `docs/configuration.md` lists every key".into(),
            }
        })?;
        config.validate(text, path)?;
        Ok(config)
    }

    /// Checks what types alone cannot, and normalises `base_url` to end in `/`.
    fn validate(&mut self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let invalid = |key: &str, message: String, hint: &str| ConfigError::Invalid {
            location: Location::of_key(path, text, key),
            message,
            hint: hint.to_string(),
        };
        self.base_url = normalise_base_url(&self.base_url).ok_or_else(|| {
            invalid(
                "base_url",
                format!("base_url {:?} is not an absolute http(s) URL", self.base_url),
                "write the full address the site will live at, e.g. base_url = \"https://example.org/briefs/\"",
            )
        })?;
        if self.paginate == 0 {
            return Err(invalid(
                "paginate",
                "paginate must be at least 1".into(),
                "set paginate = 20 or any positive number",
            ));
        }
        if self.feed_limit == 0 {
            return Err(invalid(
                "feed_limit",
                "feed_limit must be at least 1".into(),
                "set feed_limit = 20 or any positive number",
            ));
        }
        if self.language.trim().is_empty() {
            return Err(invalid(
                "language",
                "language is empty".into(),
                "set language = \"en\" (or your content's language code)",
            ));
        }
        if self.output_dir.as_os_str().is_empty() {
            return Err(invalid(
                "output_dir",
                "output_dir is empty".into(),
                "set output_dir = \"public\"",
            ));
        }
        Ok(())
    }

    /// Replaces `base_url` (used by `--base-url` and by `serve`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), ConfigError> {
        self.base_url = normalise_base_url(url).ok_or_else(|| ConfigError::Invalid {
            location: Location::file("--base-url"),
            message: format!("{url:?} is not an absolute http(s) URL"),
            hint: "pass the full address, e.g. --base-url https://example.org/briefs/".into(),
        })?;
        Ok(())
    }

    /// The path part of `base_url`, starting and ending with `/` (`/` or `/briefs/`).
    pub fn base_path(&self) -> &str {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }
}

/// `https://x.org/a` -> `https://x.org/a/`; `None` unless absolute http(s).
fn normalise_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || url.contains(char::is_whitespace) || url.contains(['?', '#']) {
        return None;
    }
    let mut url = url.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Some(url)
}

/// The key of the `key = value` line that contains byte `offset`, if any.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text.get(line_start..line_end)?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    (!key.is_empty() && !key.contains(char::is_whitespace)).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("site.toml"))
    }

    #[test]
    fn empty_config_has_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config.output_dir, PathBuf::from("public"));
        assert_eq!(config.paginate, 20);
        assert_eq!(config.link_mentions, LinkMentions::First);
        assert_eq!(config.markdown.raw_html, RawHtml::Sanitize);
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn unknown_key_names_key_line_and_column() {
        let err = parse("title = \"x\"\n  colour = \"red\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("site.toml:2:3"), "{text}");
        assert!(text.contains("colour"), "{text}");
    }

    #[test]
    fn unknown_key_in_table_is_an_error() {
        let err = parse("[markdown]\nraw_htm = \"allow\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("site.toml:2:1"), "{text}");
        assert!(text.contains("raw_htm"), "{text}");
    }

    #[test]
    fn wrong_type_names_the_line() {
        let err = parse("title = \"x\"\npaginate = \"ten\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("site.toml:2:"), "{text}");
        assert!(
            text.contains("paginate") || text.contains("integer"),
            "{text}"
        );
    }

    #[test]
    fn base_url_is_normalised_and_gives_base_path() {
        let config = parse("base_url = \"https://example.org/briefs\"").unwrap();
        assert_eq!(config.base_url, "https://example.org/briefs/");
        assert_eq!(config.base_path(), "/briefs/");
    }

    #[test]
    fn relative_base_url_is_rejected_with_location() {
        let err = parse("title = \"x\"\nbase_url = \"example.org\"\n").unwrap_err();
        assert!(err.to_string().contains("site.toml:2:1"), "{err}");
    }

    #[test]
    fn zero_pagination_is_rejected() {
        assert!(parse("paginate = 0").is_err());
    }
}
