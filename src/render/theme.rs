//! The theme: templates and static files, embedded defaults overridden file by file.
//!
//! The default theme is compiled into the binary (see `build.rs`), so `dossier`
//! works anywhere. A site's own `templates/X.html` or `static/X` replaces the
//! embedded file of the same name (the Zola and Hugo convention); a site may also
//! add templates and static files of its own.

use std::collections::BTreeMap;
use std::path::Path;

use super::RenderError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The embedded default theme: (path relative to the site root, bytes).
pub fn default_theme() -> &'static [(&'static str, &'static [u8])] {
    embedded::THEME
}

/// The embedded starter site that `dossier init` writes.
pub fn starter() -> &'static [(&'static str, &'static [u8])] {
    embedded::STARTER
}

/// Templates by name (relative to `templates/`) and static files by path
/// (relative to `static/`), after applying the site's overrides.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The embedded theme with the files under `root/templates` and `root/static` laid over it.
    pub fn load(root: &Path) -> Result<Theme, RenderError> {
        let mut theme = Theme::default();
        for (path, bytes) in default_theme() {
            theme.add(path, bytes.to_vec(), Path::new(path))?;
        }
        for dir in ["templates", "static"] {
            let base = root.join(dir);
            if !base.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
                let entry = entry.map_err(|e| RenderError::Theme {
                    path: base.display().to_string(),
                    message: e.to_string(),
                })?;
                if !entry.file_type().is_file()
                    || entry.file_name().to_string_lossy().starts_with('.')
                {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(entry.path()).map_err(|e| RenderError::Theme {
                    path: rel.clone(),
                    message: e.to_string(),
                })?;
                theme.add(&rel, bytes, entry.path())?;
            }
        }
        Ok(theme)
    }

    fn add(&mut self, rel: &str, bytes: Vec<u8>, path: &Path) -> Result<(), RenderError> {
        if let Some(name) = rel.strip_prefix("templates/") {
            let source = String::from_utf8(bytes).map_err(|_| RenderError::Theme {
                path: path.display().to_string(),
                message: "template is not valid UTF-8; save it as UTF-8".into(),
            })?;
            self.templates.insert(name.to_string(), source);
        } else if let Some(name) = rel.strip_prefix("static/") {
            self.statics.insert(name.to_string(), bytes);
        }
        Ok(())
    }

    /// Hash of a template and everything it extends or includes, plus every
    /// template that defines a component (components are global in Tera 2, so any
    /// page may use them): the part of the theme a page rendered with it depends on.
    pub fn template_closure_hash(&self, name: &str) -> u64 {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack = vec![name.to_string()];
        stack.extend(
            self.templates
                .iter()
                .filter(|(_, source)| {
                    source.contains("{% component") || source.contains("{%- component")
                })
                .map(|(name, _)| name.clone()),
        );
        while let Some(current) = stack.pop() {
            if !seen.insert(current.clone()) {
                continue;
            }
            if let Some(source) = self.templates.get(&current) {
                stack.extend(referenced_templates(source));
            }
        }
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for name in &seen {
            hasher.update(name.as_bytes());
            if let Some(source) = self.templates.get(name) {
                hasher.update(source.as_bytes());
            }
        }
        hasher.digest()
    }

    /// Hash of all static files, for cache-busting query strings.
    pub fn static_hash(&self, name: &str) -> u64 {
        self.statics
            .get(name)
            .map_or(0, |b| xxhash_rust::xxh3::xxh3_64(b))
    }
}

/// Template names named by `extends`, `include` or `import` tags in `source`.
fn referenced_templates(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in source.split("{%").skip(1) {
        let tag = tag.trim_start_matches(['-', ' ']);
        if !(tag.starts_with("extends") || tag.starts_with("include") || tag.starts_with("import"))
        {
            continue;
        }
        let tag = tag.split("%}").next().unwrap_or("");
        for quote in ['"', '\''] {
            let mut parts = tag.split(quote);
            parts.next();
            while let Some(name) = parts.next() {
                names.push(name.to_string());
                parts.next();
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_referenced_templates() {
        let source = "{% extends \"base.html\" %}{% include 'partials/a.html' %}{{ x }}";
        assert_eq!(
            referenced_templates(source),
            vec!["base.html", "partials/a.html"]
        );
    }

    #[test]
    fn default_theme_is_embedded() {
        let names: Vec<_> = default_theme().iter().map(|(p, _)| *p).collect();
        assert!(names.contains(&"templates/base.html"), "{names:?}");
        assert!(names.contains(&"static/style.css"), "{names:?}");
    }
}
