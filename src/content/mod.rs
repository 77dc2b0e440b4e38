//! Stage 2, load: `content/**` into [`Article`]s and the actor [`Registry`].
//!
//! Loading is the only stage that reads briefings from disk. It turns every file
//! into an `Article` that later stages can use without touching the file system:
//! the text exactly as read (extraction reports byte offsets into it), the parsed
//! front matter or wire-copy head, a slug and a date. Files are read in parallel and
//! every broken file is reported, not only the first.

pub mod frontmatter;
pub mod wire;

use std::ffi::{OsStr, OsString};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use chrono::{NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::error::Location;
use crate::extract::{RegistryEntry, slugify};
use frontmatter::{ActorFront, BriefingFront, DateValue, FenceError, TomlError};

/// The actor registry folder, relative to the content folder.
pub const ACTORS_DIR: &str = "actors";

/// How a briefing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `.md`: Markdown with optional `+++` TOML front matter.
    Markdown,
    /// `.txt`: plain wire copy, headline and dateline in the text.
    Wire,
}

/// One briefing, loaded and parsed, ready for extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Path relative to the site root, with `/` separators (`content/x.md`).
    pub path: String,
    pub format: Format,
    /// The whole file exactly as read; every span in the site points into it.
    pub text: String,
    /// Where the body starts (after front matter).
    pub body_start: usize,
    /// For wire copy: the headline line, which is the title and not repeated.
    pub headline: Option<Range<usize>>,
    pub slug: String,
    pub title: String,
    /// Publication date; `None` only when no rule found one (a warning says so).
    pub date: Option<NaiveDate>,
    /// Publication time when front matter gives a datetime.
    pub datetime: Option<NaiveDateTime>,
    pub summary: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    /// The dateline as written (front matter or the wire text).
    pub dateline: Option<String>,
    pub topics: Vec<String>,
    pub extra_actors: Vec<String>,
    pub exclude_actors: Vec<String>,
    pub draft: bool,
    /// Hash of `text`: the extraction cache key (with the extractor fingerprint).
    pub hash: u64,
}

/// One registry entry with the introduction written under its front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct RegistryFile {
    pub entry: RegistryEntry,
    /// Markdown introduction for the actor's page.
    pub description: String,
    pub path: String,
}

/// The site's actor registry (`content/actors/*.md`), sorted by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Registry {
    pub files: Vec<RegistryFile>,
}

impl Registry {
    /// The entries, in the form the extractor takes them.
    pub fn entries(&self) -> Vec<RegistryEntry> {
        self.files.iter().map(|f| f.entry.clone()).collect()
    }

    /// The introduction written for actor `id`, if any.
    pub fn description(&self, id: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.entry.id == id)
            .map(|f| f.description.as_str())
            .filter(|d| !d.trim().is_empty())
    }

    /// Hash of the whole registry: a change re-extracts every briefing.
    pub fn hash(&self) -> u64 {
        let mut all = String::new();
        for f in &self.files {
            all.push_str(&format!("{:?}\u{0}{}\u{0}", f.entry, f.description));
        }
        xxhash_rust::xxh3::xxh3_64(all.as_bytes())
    }
}

/// A problem that does not stop the build (a briefing without a date, a skipped
/// oversized file). `dossier check` turns warnings into errors.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub location: Location,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// What can go wrong loading content.
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    #[error(
        "{0}: no content folder\n  what to do: create {0}/ and put briefings (.md or .txt) in it, or set content_dir in site.toml"
    )]
    NoContentDir(PathBuf),
    #[error(
        "{path}: cannot read: {message}\n  what to do: check that the file exists and is readable"
    )]
    Unreadable { path: String, message: String },
    #[error(
        "{location}: not valid UTF-8 text\n  what to do: save the file as UTF-8 (most editors offer it in 'Save as')"
    )]
    NotUtf8 { location: Location },
    #[error(
        "{location}: front matter uses YAML (`---`)\n  what to do: dossier reads TOML front matter between `+++` lines, e.g.\n    +++\n    title = \"...\"\n    date = 2026-11-26\n    +++"
    )]
    YamlFrontMatter { location: Location },
    #[error(
        "{location}: front matter opened with `+++` is never closed\n  what to do: add a line with `+++` after the last front matter line"
    )]
    UnterminatedFrontMatter { location: Location },
    #[error("{location}: front matter: {message}\n  what to do: {hint}")]
    FrontMatter {
        location: Location,
        message: String,
        hint: String,
    },
    #[error(
        "{first} and {second} both have the slug {slug:?}\n  what to do: rename one file or give one of them `slug = \"...\"` in its front matter"
    )]
    SlugClash {
        slug: String,
        first: String,
        second: String,
    },
    #[error(
        "{path}: is a link to {target}, outside the site\n  what to do: copy the file into the site instead of linking it"
    )]
    OutsideRoot { path: String, target: String },
}

/// Everything the load stage produced.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Briefings, sorted by path (deterministic; later stages sort by date).
    pub articles: Vec<Arc<Article>>,
    pub registry: Registry,
    pub warnings: Vec<Warning>,
}

/// A file's identity on disk; when it is unchanged the parsed article is reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

/// The load stage, with its memo of already parsed files. A fresh `Loader` and a
/// reused one give the same result: the memo only skips re-reading files whose
/// modification time and size are unchanged.
#[derive(Debug, Default)]
pub struct Loader {
    /// By path, as its bytes: `Path`'s own hash walks its components, and ten
    /// thousand lookups per rebuild made that a measurable part of an edit.
    memo: FxHashMap<OsString, (Stamp, Arc<Article>, Vec<Warning>)>,
    /// The last walk, when it met nothing unusual: a rebuild told which paths
    /// changed updates it instead of walking `content/` again.
    walked: Option<Walked>,
}

/// The files one walk found, and what it was walked under.
#[derive(Debug, Clone)]
struct Walked {
    content: PathBuf,
    output: PathBuf,
    registry_prefix: String,
    max_file_size: u64,
    /// No links were met: every file is where its path says.
    plain: bool,
    /// Briefings and registry files, each in walk order (which is `Path` order).
    briefings: Vec<Found>,
    registry: Vec<Found>,
}

impl Walked {
    /// This walk with `changed` applied, or `None` when a change needs a real
    /// walk: a folder created, removed or renamed, a link, a file over the size
    /// limit, a change of settings, anything unexpected.
    fn update(mut self, root: &Path, config: &Config, changed: &[PathBuf]) -> Option<Walked> {
        if self.content != root.join(&config.content_dir)
            || self.output != root.join(&config.output_dir)
            || self.max_file_size != config.limits.max_file_size
        {
            return None;
        }
        for path in changed {
            if self.content.starts_with(path) {
                return None;
            }
            let Ok(rest) = path.strip_prefix(&self.content) else {
                // Templates, static files, site.toml: not the walk's business.
                continue;
            };
            if path.starts_with(&self.output)
                || rest.components().any(|c| match c {
                    Component::Normal(name) => is_ignored_name(name),
                    _ => true,
                })
            {
                continue;
            }
            let is_md = match path.extension().and_then(|e| e.to_str()) {
                Some("md") => Some(true),
                Some("txt") => Some(false),
                _ => None,
            };
            let rel = rel_path(root, path);
            let in_registry = rel.starts_with(&self.registry_prefix);
            let list = if in_registry {
                &mut self.registry
            } else {
                &mut self.briefings
            };
            let at = list.binary_search_by(|f| f.path.as_path().cmp(path));
            match std::fs::symlink_metadata(path) {
                Ok(meta) if meta.is_file() => {
                    let Some(is_md) = is_md else { continue };
                    if meta.len() > self.max_file_size {
                        return None;
                    }
                    if in_registry && !is_md {
                        continue;
                    }
                    let found = Found {
                        path: path.clone(),
                        rel,
                        stamp: Stamp {
                            modified: meta.modified().ok(),
                            len: meta.len(),
                        },
                    };
                    match at {
                        Ok(i) => list[i] = found,
                        Err(i) => list.insert(i, found),
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && is_md.is_some() => {
                    if let Ok(i) = at {
                        list.remove(i);
                    }
                }
                // A folder, a link, a vanished path that may have been a folder.
                _ => return None,
            }
        }
        Some(self)
    }
}

/// A briefing file found by the walk.
#[derive(Debug, Clone)]
struct Found {
    path: PathBuf,
    rel: String,
    stamp: Stamp,
}

impl Loader {
    pub fn new() -> Self {
        Loader::default()
    }

    /// Forgets the last walk: the next load walks `content/` whatever it is told.
    /// For a build that failed after being told of changes it did not load.
    pub fn forget_walk(&mut self) {
        self.walked = None;
    }

    /// Loads every briefing and the registry below `root`.
    pub fn load(&mut self, root: &Path, config: &Config) -> Result<Loaded, Vec<ContentError>> {
        self.load_changed(root, config, None)
    }

    /// [`Loader::load`], told that since the last load only the files at
    /// `changed` (created, modified or removed; paths as `root.join(...)`) may
    /// differ, as a file watcher reports them. The walk of `content/` is then
    /// replaced by a look at those paths, unless one of them is a folder or
    /// anything else a real walk should see. The result is what a walk gives.
    pub fn load_changed(
        &mut self,
        root: &Path,
        config: &Config,
        changed: Option<&[PathBuf]>,
    ) -> Result<Loaded, Vec<ContentError>> {
        let content = root.join(&config.content_dir);
        if !content.is_dir() {
            self.walked = None;
            return Err(vec![ContentError::NoContentDir(config.content_dir.clone())]);
        }
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let kept = self.walked.take();
        let walked = match changed.zip(kept) {
            Some((paths, kept)) => kept.update(root, config, paths),
            None => None,
        };
        let walked = walked.unwrap_or_else(|| {
            let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            walk(root, &canonical_root, config, &mut errors, &mut warnings)
        });
        let walk_clean = errors.is_empty() && warnings.is_empty();
        let (briefing_files, registry_files) = (&walked.briefings, &walked.registry);

        let memo = &self.memo;
        let results: Vec<_> = briefing_files
            .par_iter()
            .map(|found| {
                if let Some((stamp, article, warns)) = memo.get(found.path.as_os_str())
                    && *stamp == found.stamp
                {
                    return Ok((Arc::clone(article), warns.clone(), false));
                }
                let bytes = std::fs::read(&found.path).map_err(|e| ContentError::Unreadable {
                    path: found.rel.clone(),
                    message: e.to_string(),
                })?;
                let text = decode(&found.rel, bytes)?;
                parse_briefing(&found.rel, text).map(|(a, w)| (Arc::new(a), w, true))
            })
            .collect();

        // The memo is brought up to date in place: after a small edit, a few
        // entries change and none is copied.
        let mut articles = Vec::with_capacity(briefing_files.len());
        let mut remembered = 0;
        for (found, result) in briefing_files.iter().zip(results) {
            match result {
                Ok((article, warns, fresh)) => {
                    if fresh {
                        self.memo.insert(
                            found.path.clone().into_os_string(),
                            (found.stamp, Arc::clone(&article), warns.clone()),
                        );
                    }
                    remembered += 1;
                    warnings.extend(warns);
                    if article.draft && !config.drafts {
                        continue;
                    }
                    articles.push(article);
                }
                Err(e) => {
                    self.memo.remove(found.path.as_os_str());
                    errors.push(e);
                }
            }
        }
        if self.memo.len() != remembered {
            // Files gone since the last build.
            let present: rustc_hash::FxHashSet<&OsStr> =
                briefing_files.iter().map(|f| f.path.as_os_str()).collect();
            self.memo
                .retain(|path, _| present.contains(path.as_os_str()));
        }

        let mut by_slug: FxHashMap<&str, &str> = FxHashMap::default();
        by_slug.reserve(articles.len());
        for article in &articles {
            if let Some(first) = by_slug.insert(&article.slug, &article.path) {
                errors.push(ContentError::SlugClash {
                    slug: article.slug.clone(),
                    first: first.to_string(),
                    second: article.path.clone(),
                });
            }
        }

        let registry = read_registry(
            registry_files
                .iter()
                .map(|f| (f.path.as_path(), f.rel.as_str())),
            &mut errors,
        );
        // Only a walk that met nothing to report is kept for updating.
        if walk_clean && walked.plain {
            self.walked = Some(walked);
        }

        if errors.is_empty() {
            Ok(Loaded {
                articles,
                registry,
                warnings,
            })
        } else {
            Err(errors)
        }
    }
}

/// Walks `content/`, sorting files into briefings and registry entries. Hidden
/// files, editor backups and unknown extensions are skipped; links that lead out
/// of the site are refused; files over the size limit are skipped with a warning.
fn walk(
    root: &Path,
    canonical_root: &Path,
    config: &Config,
    errors: &mut Vec<ContentError>,
    warnings: &mut Vec<Warning>,
) -> Walked {
    let mut briefings = Vec::new();
    let mut registry = Vec::new();
    let content = root.join(&config.content_dir);
    // The output folder may sit inside the content folder (a site whose content
    // is its root, like the documentation): never read it back.
    let output = root.join(&config.output_dir);
    let registry_prefix = format!("{}/", rel_path(root, &content.join(ACTORS_DIR)));
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || (!is_ignored_name(e.file_name()) && e.path() != output)
        });
    // Files under a linked folder are checked like linked files; the walk
    // records the linked folders it enters, so no file costs extra system calls.
    let content_linked = has_symlink_parent(root, &content.join("_"));
    let mut any_linked = content_linked;
    let mut linked_dirs: Vec<PathBuf> = Vec::new();
    let mut candidates: Vec<(PathBuf, String, bool, bool)> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().map(|p| rel_path(root, p)).unwrap_or_default();
                errors.push(ContentError::Unreadable {
                    path,
                    message: e.to_string(),
                });
                continue;
            }
        };
        if entry.file_type().is_dir() && entry.path_is_symlink() {
            linked_dirs.push(entry.path().to_path_buf());
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let is_md = match path.extension().and_then(|e| e.to_str()) {
            Some("md") => true,
            Some("txt") => false,
            _ => continue,
        };
        let linked = content_linked
            || entry.path_is_symlink()
            || linked_dirs.iter().any(|d| path.starts_with(d));
        any_linked |= linked;
        let rel = rel_path(root, &path);
        candidates.push((path, rel, is_md, linked));
    }
    // One `stat` per file, on every core: on a large site the stats are most of
    // the walk.
    let checked: Vec<Result<Stamp, ContentError>> = candidates
        .par_iter()
        .map(|(path, rel, _, linked)| {
            if *linked {
                let target = path.canonicalize().unwrap_or_else(|_| path.clone());
                if !target.starts_with(canonical_root) {
                    return Err(ContentError::OutsideRoot {
                        path: rel.clone(),
                        target: target.display().to_string(),
                    });
                }
            }
            let metadata = std::fs::metadata(path).map_err(|e| ContentError::Unreadable {
                path: rel.clone(),
                message: e.to_string(),
            })?;
            Ok(Stamp {
                modified: metadata.modified().ok(),
                len: metadata.len(),
            })
        })
        .collect();
    for ((path, rel, is_md, _), stamp) in candidates.into_iter().zip(checked) {
        let stamp = match stamp {
            Ok(stamp) => stamp,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if stamp.len > config.limits.max_file_size {
            warnings.push(Warning {
                location: Location::file(&rel),
                message: format!(
                    "skipped: {} bytes is over the limit of {} bytes (raise [limits] max_file_size in site.toml to include it)",
                    stamp.len, config.limits.max_file_size
                ),
            });
            continue;
        }
        let found = Found { path, rel, stamp };
        if found.rel.starts_with(&registry_prefix) {
            if is_md {
                registry.push(found);
            }
        } else {
            briefings.push(found);
        }
    }
    Walked {
        content,
        output,
        registry_prefix,
        max_file_size: config.limits.max_file_size,
        plain: !any_linked && linked_dirs.is_empty(),
        briefings,
        registry,
    }
}

/// Names the walk never enters or reads: hidden files, editor swap and backup
/// files, and temporary files that editors write before an atomic rename.
fn is_ignored_name(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
}

/// Whether any folder between `root` and `path` is a symbolic link.
fn has_symlink_parent(root: &Path, path: &Path) -> bool {
    let mut current = path.parent();
    while let Some(dir) = current {
        if dir == root {
            return false;
        }
        if dir.is_symlink() {
            return true;
        }
        current = dir.parent();
    }
    false
}

/// `root/content/a/b.md` -> `content/a/b.md`, with `/` separators on every OS.
fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Bytes to text, or an error that says where the first bad byte is.
fn decode(rel: &str, bytes: Vec<u8>) -> Result<String, ContentError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let before = String::from_utf8_lossy(&bytes[..valid]);
        ContentError::NotUtf8 {
            location: Location::at_offset(rel, &before, valid),
        }
    })
}

/// Parses one briefing file's text. Pure: `rel` is only used for messages, slugs
/// and dates from the file name.
pub fn parse_briefing(rel: &str, text: String) -> Result<(Article, Vec<Warning>), ContentError> {
    let format = if rel.ends_with(".txt") {
        Format::Wire
    } else {
        Format::Markdown
    };
    let mut warnings = Vec::new();
    let (front, body_start) = match format {
        Format::Wire => (BriefingFront::default(), 0),
        Format::Markdown => read_front_matter(
            rel,
            &text,
            "fix the TOML; front matter fields are title, date, summary, source, source_url, dateline, topics, actors, exclude_actors, draft, slug",
        )?,
    };

    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let (name_date, name_rest) = date_prefix(stem);

    let mut headline = None;
    let mut dateline = front.dateline.clone();
    let mut wire_date = None;
    let title = match format {
        Format::Wire => {
            let head = wire::parse(&text, body_start);
            headline = head.headline.clone();
            if dateline.is_none() {
                dateline = head.dateline.map(|r| display_place(&text[r]));
            }
            wire_date = head.date;
            front.title.clone().unwrap_or(head.title)
        }
        Format::Markdown => match front.title.clone() {
            Some(title) => title,
            None => markdown_title(&text[body_start..]).unwrap_or_else(|| name_rest.to_string()),
        },
    };

    let (date, datetime) = match &front.date {
        Some(value) => {
            let parsed = parse_date(value).ok_or_else(|| ContentError::FrontMatter {
                location: Location::of_key(rel, &text, "date"),
                message: format!("date {} is not a date", describe_date(value)),
                hint: "write date = 2026-11-26 (or a full TOML datetime)".into(),
            })?;
            (Some(parsed.0), parsed.1)
        }
        None => (name_date.or(wire_date), None),
    };
    if date.is_none() {
        warnings.push(Warning {
            location: Location::file(rel),
            message: "no date: add `date = YYYY-MM-DD` to the front matter or start the file name with YYYY-MM-DD-".into(),
        });
    }

    let slug_source = front.slug.as_deref().unwrap_or(name_rest);
    let mut slug = slugify(slug_source);
    if slug.is_empty() {
        slug = slugify(&title);
    }
    if slug.is_empty() {
        slug = format!("briefing-{:x}", xxhash_rust::xxh3::xxh3_64(rel.as_bytes()));
    }

    let hash = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    let article = Article {
        path: rel.to_string(),
        format,
        body_start,
        headline,
        slug,
        title: title.trim().to_string(),
        date,
        datetime,
        summary: front.summary.filter(|s| !s.trim().is_empty()),
        source: front.source,
        source_url: front.source_url,
        dateline,
        topics: front.topics,
        extra_actors: front.actors,
        exclude_actors: front.exclude_actors,
        draft: front.draft,
        hash,
        text,
    };
    Ok((article, warnings))
}

/// `ANKARA` -> `Ankara`; mixed-case places are kept as written.
fn display_place(place: &str) -> String {
    if place.chars().any(char::is_lowercase) {
        return place.to_string();
    }
    place
        .split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_string() + &chars.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first `# Heading` of a Markdown body, when front matter gives no title.
fn markdown_title(body: &str) -> Option<String> {
    body.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
}

/// `2026-11-26-talks` -> (2026-11-26, `talks`).
fn date_prefix(stem: &str) -> (Option<NaiveDate>, &str) {
    if let Some(prefix) = stem.get(..10)
        && let Ok(date) = NaiveDate::parse_from_str(prefix, "%Y-%m-%d")
    {
        let rest = stem[10..].trim_start_matches(['-', '_']);
        return (Some(date), if rest.is_empty() { stem } else { rest });
    }
    (None, stem)
}

fn parse_date(value: &DateValue) -> Option<(NaiveDate, Option<NaiveDateTime>)> {
    let text = match value {
        DateValue::Toml(dt) => dt.to_string(),
        DateValue::Text(s) => s.trim().to_string(),
    };
    if let Ok(date) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Some((date, None));
    }
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(&text.replace(' ', "T")) {
        let utc = dt.naive_utc();
        return Some((utc.date(), Some(utc)));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(&text, format) {
            return Some((dt.date(), Some(dt)));
        }
    }
    None
}

fn describe_date(value: &DateValue) -> String {
    match value {
        DateValue::Toml(dt) => dt.to_string(),
        DateValue::Text(s) => format!("{s:?}"),
    }
}

/// Splits off and parses a file's front matter into `T` (the default when the
/// file has none), with every failure turned into a located error.
fn read_front_matter<T: serde::de::DeserializeOwned + Default>(
    rel: &str,
    text: &str,
    hint: &str,
) -> Result<(T, usize), ContentError> {
    match frontmatter::split(text) {
        Ok(None) => Ok((T::default(), 0)),
        Ok(Some(fenced)) => {
            let front =
                frontmatter::parse(&fenced).map_err(|e: TomlError| ContentError::FrontMatter {
                    location: match &e.span {
                        Some(span) => Location::at_offset(rel, text, span.start),
                        None => Location::file(rel),
                    },
                    message: e.message,
                    hint: hint.to_string(),
                })?;
            Ok((front, fenced.body_start))
        }
        Err(FenceError::Yaml) => Err(ContentError::YamlFrontMatter {
            location: Location::at_offset(rel, text, 0),
        }),
        Err(FenceError::Unterminated) => Err(ContentError::UnterminatedFrontMatter {
            location: Location::at_offset(rel, text, 0),
        }),
    }
}

/// Reads and parses registry files given as (path, path relative to the root),
/// sorted by id; broken files go to `errors`.
fn read_registry<'a>(
    files: impl Iterator<Item = (&'a Path, &'a str)>,
    errors: &mut Vec<ContentError>,
) -> Registry {
    let mut registry = Registry::default();
    for (path, rel) in files {
        let read = std::fs::read(path)
            .map_err(|e| ContentError::Unreadable {
                path: rel.to_string(),
                message: e.to_string(),
            })
            .and_then(|bytes| decode(rel, bytes))
            .and_then(|text| parse_registry(rel, &text));
        match read {
            Ok(file) => registry.files.push(file),
            Err(e) => errors.push(e),
        }
    }
    registry.files.sort_by(|a, b| a.entry.id.cmp(&b.entry.id));
    registry
}

/// Only the actor registry of the site at `root` (`<content_dir>/actors/*.md`),
/// for commands that extract without building: no briefing is read.
pub fn load_registry(root: &Path, config: &Config) -> Result<Registry, Vec<ContentError>> {
    let dir = root.join(&config.content_dir).join(ACTORS_DIR);
    let mut files = Vec::new();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored_name(e.file_name()))
            .flatten()
        {
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
                files.push((entry.path().to_path_buf(), rel_path(root, entry.path())));
            }
        }
    }
    let mut errors = Vec::new();
    let registry = read_registry(
        files.iter().map(|(p, r)| (p.as_path(), r.as_str())),
        &mut errors,
    );
    if errors.is_empty() {
        Ok(registry)
    } else {
        Err(errors)
    }
}

/// Parses one registry file; its id is the file's slug.
pub fn parse_registry(rel: &str, text: &str) -> Result<RegistryFile, ContentError> {
    let (front, body_start): (ActorFront, usize) = read_front_matter(
        rel,
        text,
        "actor fields are name, kind, aliases, affiliation, wikidata, ignore",
    )?;
    const KINDS: [&str; 6] = [
        "state",
        "organisation",
        "armed-group",
        "person",
        "place",
        "other",
    ];
    if let Some(kind) = &front.kind
        && !KINDS.contains(&kind.as_str())
    {
        return Err(ContentError::FrontMatter {
            location: Location::of_key(rel, text, "kind"),
            message: format!("unknown kind {kind:?}"),
            hint: format!("use one of: {}", KINDS.join(", ")),
        });
    }
    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
    Ok(RegistryFile {
        entry: RegistryEntry {
            id: slugify(stem),
            name: front.name,
            kind: front.kind,
            aliases: front.aliases,
            affiliation: front.affiliation,
            wikidata: front.wikidata,
            ignore: front.ignore,
        },
        description: text[body_start..].trim().to_string(),
        path: rel.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_with_front_matter() {
        let text = "+++\ntitle = \"Talks\"\ndate = 2026-11-26\ntopics = [\"aid\"]\n+++\nBody.\n";
        let (a, w) = parse_briefing("content/x.md", text.into()).unwrap();
        assert_eq!(a.title, "Talks");
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2026, 11, 26));
        assert_eq!(a.slug, "x");
        assert_eq!(&a.text[a.body_start..], "Body.\n");
        assert!(w.is_empty());
    }

    #[test]
    fn date_and_slug_from_file_name() {
        let (a, w) = parse_briefing("content/2026-11-02-aid-convoy.md", "Body".into()).unwrap();
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2026, 11, 2));
        assert_eq!(a.slug, "aid-convoy");
        assert_eq!(a.title, "aid-convoy");
        assert!(w.is_empty());
    }

    #[test]
    fn missing_date_is_a_warning_not_today() {
        let (a, w) = parse_briefing("content/undated.md", "Body".into()).unwrap();
        assert_eq!(a.date, None);
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("no date"));
    }

    #[test]
    fn front_matter_slug_cannot_escape() {
        let text = "+++\nslug = \"../../etc\"\n+++\n";
        let (a, _) = parse_briefing("content/x.md", text.into()).unwrap();
        assert_eq!(a.slug, "etc");
    }

    #[test]
    fn datetime_front_matter() {
        let text = "+++\ndate = 2026-11-26T09:30:00Z\n+++\n";
        let (a, _) = parse_briefing("content/x.md", text.into()).unwrap();
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2026, 11, 26));
        assert!(a.datetime.is_some());
    }

    #[test]
    fn malformed_front_matter_points_at_line_and_column() {
        let text = "+++\ntitle = \"A\"\ndate = = 3\n+++\n";
        let err = parse_briefing("content/x.md", text.into()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("content/x.md:3:"), "{msg}");
    }

    #[test]
    fn yaml_front_matter_says_use_toml() {
        let err = parse_briefing("content/x.md", "---\ntitle: a\n---\n".into()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("YAML") && msg.contains("+++"), "{msg}");
    }

    #[test]
    fn bad_date_string_is_an_error() {
        let text = "+++\ndate = \"yesterday\"\n+++\n";
        let err = parse_briefing("content/x.md", text.into()).unwrap_err();
        assert!(err.to_string().contains("content/x.md:2:1"), "{err}");
    }

    #[test]
    fn wire_copy_title_and_dateline() {
        let text = "ANKARA 2026-11-26\nTurkey said the talks went well. More text.";
        let (a, _) = parse_briefing("content/wire.txt", text.into()).unwrap();
        assert_eq!(a.format, Format::Wire);
        assert_eq!(a.dateline.as_deref(), Some("Ankara"));
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2026, 11, 26));
        assert_eq!(a.title, "Turkey said the talks went well");
    }

    #[test]
    fn registry_file() {
        let text = "+++\nname = \"Hamas\"\nkind = \"armed-group\"\naliases = [\"Islamic Resistance Movement\"]\n+++\nPalestinian movement.\n";
        let file = parse_registry("content/actors/hamas.md", text).unwrap();
        assert_eq!(file.entry.id, "hamas");
        assert_eq!(file.entry.kind.as_deref(), Some("armed-group"));
        assert_eq!(file.description, "Palestinian movement.");
    }

    #[test]
    fn registry_kind_is_checked() {
        let text = "+++\nkind = \"country\"\n+++\n";
        let err = parse_registry("content/actors/x.md", text).unwrap_err();
        assert!(err.to_string().contains("content/actors/x.md:2:1"), "{err}");
    }
}
