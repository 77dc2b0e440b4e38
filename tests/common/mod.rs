//! Helpers shared by the integration tests: small fixture sites in temp folders.
#![allow(dead_code)]

pub mod browser;

use std::path::{Path, PathBuf};

use dossier::site::{BuildOptions, BuildReport, Site};

/// A site in a temp folder, written from `(path, contents)` pairs.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new(files: &[(&str, &str)]) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let fixture = Fixture { dir };
        for (path, text) in files {
            fixture.write(path, text);
        }
        fixture
    }

    /// A minimal site: site.toml with `base_url`, plus `files`.
    pub fn site(base_url: &str, files: &[(&str, &str)]) -> Fixture {
        let fixture = Fixture::new(files);
        fixture.write(
            "site.toml",
            &format!(
                "title = \"Test Briefings\"\nbase_url = \"{base_url}\"\n[search]\nenabled = false\n"
            ),
        );
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Writes like an editor's atomic save: a hidden temporary file renamed over
    /// the target, so a watcher never sees the file half-written.
    pub fn save(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let temp = path.with_file_name(format!(".{name}.saving"));
        std::fs::write(&temp, text).expect("write");
        std::fs::rename(&temp, &path).expect("rename");
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    pub fn build(&self) -> Result<BuildReport, dossier::error::Errors> {
        Site::new(self.root(), BuildOptions::default()).build()
    }

    pub fn build_with(&self, options: BuildOptions) -> Result<BuildReport, dossier::error::Errors> {
        Site::new(self.root(), options).build()
    }
}

/// A short Markdown briefing with front matter.
pub fn briefing(title: &str, date: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\n\n{body}\n")
}

/// Every file below `dir`, as (relative path, bytes), sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(entry.path()).expect("read")));
        }
    }
    out
}

/// A file of the embedded default theme, e.g. `templates/briefing.html`.
pub fn default_theme_file(name: &str) -> String {
    let (_, bytes) = dossier::render::theme::default_theme()
        .iter()
        .find(|(path, _)| *path == name)
        .unwrap_or_else(|| panic!("{name} is in the default theme"));
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

/// The seed wire story shipped beside the repository.
pub fn seed() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/000_c23da46a5580ef9d.txt"
    );
    std::fs::read_to_string(path).expect("the seed briefing in ../shared/seed/")
}
