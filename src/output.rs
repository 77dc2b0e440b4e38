//! Stage 6, output: pages into files in the output directory, and nothing else.
//!
//! Three promises. Nothing outside the output directory is written or deleted:
//! page paths are checked, and existing symbolic links inside the output are never
//! followed. A failed build leaves the previous output untouched: every file is
//! written to a temporary name (staged, possibly while the rest of the site is
//! still rendering) and renamed into place only once the whole site rendered,
//! so a reader (or `dossier serve`) sees the old file or the new one, never half
//! of one; a build that fails removes what it staged. Stale files are removed only if the manifest of
//! the previous build says dossier wrote them.
//!
//! A build into an empty output folder (the first one, or one after the folder
//! was deleted) stages the whole site as a tree of its own, in a hidden folder
//! inside the output, and commits it by renaming that tree's top-level entries
//! into place: a dozen renames instead of one per file.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::render::{Bytes, Page};

/// The manifest of files written by the last build, inside the output directory.
pub const MANIFEST: &str = ".dossier-manifest";

/// The name, before the process id, of the folder a build into an empty output
/// stages its tree in (see [`Staging::tree`]).
const TREE_PREFIX: &str = ".dossier-staging-";

/// What can go wrong writing the site.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "output_dir {0} is the site itself, or contains its content/ or templates/\n  what to do: set output_dir in site.toml to a folder of its own, such as \"public\""
    )]
    Overlaps(PathBuf),
    #[error(
        "output_dir {0} is outside the site\n  what to do: use a folder inside the site, or pass --force if you really want to write there"
    )]
    Outside(PathBuf),
    #[error("{0}: not a safe output path (a page may not leave the output directory)")]
    UnsafePath(String),
    #[error("{path}: {message}\n  what to do: {hint}")]
    Io {
        path: PathBuf,
        message: String,
        hint: String,
    },
}

/// Counts for the build summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// The output directory, with what the last build wrote there.
#[derive(Debug)]
pub struct Output {
    dir: PathBuf,
    /// Every file the last build wrote, by path (the manifest).
    files: FxHashMap<String, Written>,
    /// The paths of `files` in the manifest's order, while no path was added
    /// or removed since they were sorted: an edit changes hashes, not paths,
    /// and the manifest is then written without sorting ten thousand paths.
    order: Option<Vec<String>>,
    /// Builds through this output so far: marks the files each one makes.
    build: u64,
}

/// One file of the manifest.
#[derive(Debug)]
struct Written {
    hash: u64,
    len: u64,
    /// The bytes, when this output wrote them (or found them on disk) in this
    /// process: a page whose bytes are the very same allocation is unchanged
    /// without being hashed again, since a long-lived output is the only
    /// writer of its folder.
    bytes: Option<Bytes>,
    /// The last build that made this path.
    seen: AtomicU64,
}

impl Output {
    /// Opens `output_dir` (relative to `root`) after checking it is a safe place:
    /// not the site itself, not holding the content (`content_dir`), the theme or
    /// `site.toml`, and inside the site unless `force`.
    pub fn open(
        root: &Path,
        output_dir: &Path,
        content_dir: &Path,
        force: bool,
    ) -> Result<Output, OutputError> {
        let root_abs = absolute(root);
        let dir = normalise(&root_abs.join(output_dir));
        let root_real = root_abs.canonicalize().unwrap_or_else(|_| root_abs.clone());
        let dir_real = real_prefix(&dir);
        let content = normalise(&root_real.join(content_dir));
        let protected = [
            content,
            root_real.join("templates"),
            root_real.join("static"),
            root_real.join("site.toml"),
        ];
        for protected in protected {
            if protected.starts_with(&dir_real) {
                return Err(OutputError::Overlaps(output_dir.to_path_buf()));
            }
        }
        if !dir_real.starts_with(&root_real) && !force {
            return Err(OutputError::Outside(output_dir.to_path_buf()));
        }
        let files = read_manifest(&dir.join(MANIFEST));
        Ok(Output {
            dir,
            files,
            order: None,
            build: 0,
        })
    }

    /// The output directory (absolute).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `pages` (changed files only), then removes the files of the previous
    /// build that are no longer produced.
    pub fn write(&mut self, pages: &[Page]) -> Result<WriteStats, OutputError> {
        let mut staging = self.begin()?;
        if let Err(e) = self.stage_knowing(&mut staging, pages, true) {
            self.discard(staging);
            return Err(e);
        }
        self.commit(staging)
    }

    /// Starts a write that pages are added to in batches ([`Output::stage`]) and
    /// that changes nothing visible until [`Output::commit`]. A build that renders
    /// in batches stages each batch and drops its bytes, so the whole site is
    /// never in memory at once.
    pub fn begin(&mut self) -> Result<Staging, OutputError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io_error(&self.dir, &e))?;
        if self.dir.is_symlink() {
            return Err(OutputError::UnsafePath(self.dir.display().to_string()));
        }
        self.build += 1;
        let tree = if is_empty_output(&self.dir) {
            // Nothing is on disk, whatever an earlier build in this process
            // wrote: every page is written again.
            self.files.clear();
            self.order = None;
            make_tree(&self.dir)
        } else {
            None
        };
        Ok(Staging {
            build: self.build,
            tree,
            ..Staging::default()
        })
    }

    /// Writes the changed pages of `pages` to temporary files beside their
    /// targets; unchanged pages (same hash and length as the manifest says, and
    /// still on disk) are only recorded.
    pub fn stage(&self, staging: &mut Staging, pages: &[Page]) -> Result<(), OutputError> {
        self.stage_knowing(staging, pages, false)
    }

    /// [`Output::stage`]; with `remember`, the pages' bytes are kept for the
    /// next write, whose pages with the very same bytes are then unchanged
    /// without a look at them.
    fn stage_knowing(
        &self,
        staging: &mut Staging,
        pages: &[Page],
        remember: bool,
    ) -> Result<(), OutputError> {
        let build = staging.build;
        let kept = |page: &Page| {
            self.files.get(&page.path).filter(|w| {
                w.len == page.bytes.len() as u64
                    && w.bytes
                        .as_ref()
                        .is_some_and(|b| Bytes::ptr_eq(b, &page.bytes))
            })
        };
        let kept: Vec<Option<&Written>> = pages.par_iter().map(kept).collect();
        for (page, kept) in pages.iter().zip(&kept) {
            // Bytes this output wrote at this path were checked then.
            if kept.is_none() && (!is_safe_relative(&page.path) || page.path == MANIFEST) {
                return Err(OutputError::UnsafePath(page.path.clone()));
            }
        }
        let stage_one = |(page, kept): (&Page, &Option<&Written>)| {
            if let Some(written) = kept {
                written.seen.store(build, Ordering::Relaxed);
                return Ok(None);
            }
            let len = page.bytes.len() as u64;
            let hash = page.bytes.xxh3();
            let target = self.dir.join(&page.path);
            let unchanged = self
                .files
                .get(&page.path)
                .is_some_and(|w| (w.hash, w.len) == (hash, len))
                && std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file() && m.len() == len);
            let tmp = if unchanged {
                None
            } else if let Some(tree) = &staging.tree {
                let staged = tree.join(&page.path);
                prepare_tree_parent(&staged, &page.path, staging)
                    .map_err(|e| io_error(&target, &e))?;
                write_new(&staged, &page.bytes).map_err(|e| io_error(&target, &e))?;
                Some(staged)
            } else {
                self.prepare_parent(&page.path, staging)?;
                Some(write_temporary(&target, &page.bytes)?)
            };
            Ok(Some(Staged {
                path: page.path.clone(),
                hash,
                len,
                tmp,
                bytes: remember.then(|| page.bytes.clone()),
            }))
        };
        let results: Vec<Result<Option<Staged>, OutputError>> =
            pages.par_iter().zip(&kept).map(stage_one).collect();
        let mut first_error = None;
        for result in results {
            match result {
                Ok(Some(staged)) => staging.pages.push(staged),
                Ok(None) => staging.kept += 1,
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Removes what `staging` wrote: its temporary files and the folders it
    /// created. The output is as it was before [`Output::begin`].
    pub fn discard(&self, staging: Staging) {
        if let Some(tree) = &staging.tree {
            let _ = std::fs::remove_dir_all(tree);
            return;
        }
        for staged in &staging.pages {
            if let Some(tmp) = &staged.tmp {
                let _ = std::fs::remove_file(tmp);
            }
        }
        let mut created = staging.created.into_inner().unwrap_or_default();
        // Deepest first, so a folder is empty when its turn comes.
        created.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for dir in created {
            let _ = std::fs::remove_dir(dir);
        }
    }

    /// Moves every staged file into place, then removes the files of the previous
    /// build that are no longer produced, and writes the manifest.
    pub fn commit(&mut self, mut staging: Staging) -> Result<WriteStats, OutputError> {
        let build = staging.build;
        let moved = match &staging.tree {
            Some(tree) => {
                // The parents checked so far were the tree's; a file whose
                // top-level entry could not be moved whole goes on its own.
                staging.checked = Mutex::default();
                move_tree(tree, &self.dir)
            }
            None => HashSet::new(),
        };
        let results: Vec<Result<bool, OutputError>> = staging
            .pages
            .par_iter()
            .map(|staged| match &staged.tmp {
                None => Ok(false),
                Some(tmp) => {
                    let top = staged.path.split('/').next().unwrap_or_default();
                    if moved.contains(top) {
                        return Ok(true);
                    }
                    if staging.tree.is_some() {
                        self.prepare_parent(&staged.path, &staging)?;
                    }
                    let target = self.dir.join(&staged.path);
                    std::fs::rename(tmp, &target).map_err(|e| {
                        let _ = std::fs::remove_file(tmp);
                        io_error(&target, &e)
                    })?;
                    Ok(true)
                }
            })
            .collect();
        if let Some(tree) = &staging.tree {
            let _ = std::fs::remove_dir_all(tree);
        }

        let mut stats = WriteStats {
            unchanged: staging.kept,
            ..WriteStats::default()
        };
        let mut changed = false;
        let mut first_error = None;
        for (staged, result) in staging.pages.into_iter().zip(results) {
            match result {
                Ok(written) => {
                    if written {
                        stats.written += 1;
                    } else {
                        stats.unchanged += 1;
                    }
                    let entry = Written {
                        hash: staged.hash,
                        len: staged.len,
                        bytes: staged.bytes,
                        seen: AtomicU64::new(build),
                    };
                    match self.files.get_mut(&staged.path) {
                        Some(old) => {
                            changed |= (old.hash, old.len) != (entry.hash, entry.len);
                            *old = entry;
                        }
                        None => {
                            changed = true;
                            self.order = None;
                            self.files.insert(staged.path, entry);
                        }
                    }
                }
                Err(e) => {
                    // The file on disk is still the previous build's: keep
                    // its entry, so the next build can clean up after this one.
                    if let Some(old) = self.files.get_mut(&staged.path) {
                        old.bytes = None;
                        old.seen.store(build, Ordering::Relaxed);
                    }
                    first_error.get_or_insert(e);
                }
            }
        }
        // Files of the previous build that this build no longer makes.
        let stale: Vec<String> = self
            .files
            .iter()
            .filter(|(_, w)| w.seen.load(Ordering::Relaxed) != build)
            .map(|(path, _)| path.clone())
            .collect();
        for path in &stale {
            changed = true;
            self.order = None;
            self.files.remove(path);
            if !is_safe_relative(path) {
                continue;
            }
            let target = self.dir.join(path);
            if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file())
                && std::fs::remove_file(&target).is_ok()
            {
                stats.removed += 1;
                self.remove_empty_parents(path);
            }
        }
        // An unchanged manifest is not written again (a rebuild that changed
        // nothing writes nothing), unless it went missing.
        let manifest_path = self.dir.join(MANIFEST);
        if changed || !manifest_path.is_file() {
            let order = self.order.get_or_insert_with(|| {
                let mut paths: Vec<String> = self.files.keys().cloned().collect();
                paths.sort_unstable();
                paths
            });
            write_manifest(&manifest_path, &self.files, order)?;
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(stats),
        }
    }

    /// Creates the folders of `rel`'s parent, refusing any that is a symbolic link.
    fn prepare_parent(&self, rel: &str, staging: &Staging) -> Result<(), OutputError> {
        let Some((parent, _)) = rel.rsplit_once('/') else {
            return Ok(());
        };
        if staging.is_ready(parent) {
            return Ok(());
        }
        let mut current = self.dir.clone();
        for part in parent.split('/') {
            current.push(part);
            match std::fs::symlink_metadata(&current) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(OutputError::UnsafePath(rel.to_string()));
                }
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    // A file where a folder must go (from an older build): replace it
                    // only if dossier wrote it.
                    let rel_dir = current
                        .strip_prefix(&self.dir)
                        .unwrap_or(&current)
                        .to_string_lossy()
                        .replace('\\', "/");
                    if self.files.contains_key(&rel_dir) {
                        std::fs::remove_file(&current).map_err(|e| io_error(&current, &e))?;
                        std::fs::create_dir(&current).map_err(|e| io_error(&current, &e))?;
                    } else {
                        return Err(io_error(
                            &current,
                            &std::io::Error::other("a file is in the way of a folder"),
                        ));
                    }
                }
                Err(_) => match std::fs::create_dir(&current) {
                    Ok(()) => {
                        if let Ok(mut created) = staging.created.lock() {
                            created.push(current.clone());
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(io_error(&current, &e)),
                },
            }
        }
        staging.mark_ready(parent);
        Ok(())
    }

    /// Removes the folders that removing `rel` left empty, up to the output root.
    fn remove_empty_parents(&self, rel: &str) {
        let mut parent = Path::new(rel).parent();
        while let Some(dir) = parent {
            if dir.as_os_str().is_empty() {
                break;
            }
            if std::fs::remove_dir(self.dir.join(dir)).is_err() {
                break;
            }
            parent = dir.parent();
        }
    }
}

/// Writes `bytes` to a temporary file beside `target` (renamed over it when the
/// write is committed) and returns the temporary file's path.
fn write_temporary(target: &Path, bytes: &Bytes) -> Result<PathBuf, OutputError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.dossier-tmp-{}", std::process::id()));
    write_new(&tmp, bytes).map_err(|e| io_error(target, &e))?;
    Ok(tmp)
}

/// Writes `bytes` to the file `path`; a file that could not be written whole is
/// removed again.
fn write_new(path: &Path, bytes: &Bytes) -> std::io::Result<()> {
    let result = std::fs::File::create(path).and_then(|mut file| bytes.write_to(&mut file));
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

/// Whether the output folder holds nothing (a leftover staging tree of a build
/// that was killed does not count: it is nobody's page).
fn is_empty_output(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut entries| {
        entries.all(|entry| {
            entry.is_ok_and(|e| e.file_name().to_string_lossy().starts_with(TREE_PREFIX))
        })
    })
}

/// Makes the folder a build into an empty output stages its tree in; `None`
/// (stage file by file) if it cannot.
fn make_tree(dir: &Path) -> Option<PathBuf> {
    let tree = dir.join(format!("{TREE_PREFIX}{}", std::process::id()));
    // One left by a killed process that had the same id.
    if std::fs::symlink_metadata(&tree).is_ok_and(|m| m.is_dir()) {
        let _ = std::fs::remove_dir_all(&tree);
    }
    std::fs::create_dir(&tree).ok().map(|()| tree)
}

/// Creates the folders above `staged`, a path inside the staging tree, once per
/// folder of `rel` (the page's path).
fn prepare_tree_parent(staged: &Path, rel: &str, staging: &Staging) -> std::io::Result<()> {
    let (Some((parent, _)), Some(dir)) = (rel.rsplit_once('/'), staged.parent()) else {
        return Ok(());
    };
    if !staging.is_ready(parent) {
        std::fs::create_dir_all(dir)?;
        staging.mark_ready(parent);
    }
    Ok(())
}

/// Renames each top-level entry of the staging `tree` into the output `dir`
/// where nothing of that name is (something may have appeared since the build
/// began) and returns the names it moved; the files of the others are moved
/// one by one.
fn move_tree(tree: &Path, dir: &Path) -> HashSet<String> {
    let Ok(entries) = std::fs::read_dir(tree) else {
        return HashSet::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let target = dir.join(&name);
            let free = matches!(std::fs::symlink_metadata(&target), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
            (free && std::fs::rename(entry.path(), &target).is_ok()).then_some(name)
        })
        .collect()
}

/// A write in progress: the pages staged so far (see [`Output::begin`]).
#[derive(Debug, Default)]
pub struct Staging {
    /// The build this write belongs to (see [`Written::seen`]).
    build: u64,
    /// For a write into an empty output: the hidden folder inside it where
    /// pages are written under their own paths, as a tree that is moved into
    /// place at the commit.
    tree: Option<PathBuf>,
    /// Pages written or hashed, for the manifest.
    pages: Vec<Staged>,
    /// Pages whose bytes are the very ones on disk: nothing to do.
    kept: usize,
    /// Parent folders already checked or created.
    checked: Mutex<HashSet<String>>,
    /// Folders this write created, removed again by [`Output::discard`].
    created: Mutex<Vec<PathBuf>>,
}

impl Staging {
    /// Whether the folder `parent` (relative) was already checked or created
    /// by this write.
    fn is_ready(&self, parent: &str) -> bool {
        self.checked
            .lock()
            .map(|c| c.contains(parent))
            .unwrap_or(false)
    }

    fn mark_ready(&self, parent: &str) {
        if let Ok(mut c) = self.checked.lock() {
            c.insert(parent.to_string());
        }
    }
}

/// One staged page: its temporary file, or `None` when it is unchanged, and
/// its bytes when the output remembers them.
#[derive(Debug)]
struct Staged {
    path: String,
    hash: u64,
    len: u64,
    tmp: Option<PathBuf>,
    bytes: Option<Bytes>,
}

fn io_error(path: &Path, e: &std::io::Error) -> OutputError {
    OutputError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
        hint: "check that the output folder is writable and the disk is not full".into(),
    }
}

/// Whether `path` is a plain relative path (`a/b.html`): no `..`, no root, no
/// backslashes, no empty or dot segments.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0', ':'])
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Removes `.` and `..` lexically.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The real path of the longest existing prefix of `path`, with the rest appended.
fn real_prefix(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut real = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        real.push(name);
    }
    real
}

fn read_manifest(path: &Path) -> FxHashMap<String, Written> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return FxHashMap::default();
    };
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, ' ');
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            let path = parts.next()?.to_string();
            let written = Written {
                hash,
                len,
                bytes: None,
                seen: AtomicU64::new(0),
            };
            Some((path, written))
        })
        .collect()
}

/// The manifest: one line per file, `<hash as 16 hex digits> <length> <path>`,
/// in the order of `sorted` (every path of `files`, sorted).
fn write_manifest(
    path: &Path,
    files: &FxHashMap<String, Written>,
    sorted: &[String],
) -> Result<(), OutputError> {
    debug_assert!(sorted.len() == files.len() && sorted.is_sorted());
    let mut text = Vec::with_capacity(files.len() * 64);
    let mut digits = itoa::Buffer::new();
    for (p, w) in sorted.iter().filter_map(|p| Some((p, files.get(p)?))) {
        for shift in (0..16).rev() {
            text.push(b"0123456789abcdef"[((w.hash >> (shift * 4)) & 15) as usize]);
        }
        text.push(b' ');
        text.extend_from_slice(digits.format(w.len).as_bytes());
        text.push(b' ');
        text.extend_from_slice(p.as_bytes());
        text.push(b'\n');
    }
    let tmp = write_temporary(path, &Bytes::from(text))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_error(path, &e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        assert!(is_safe_relative("index.html"));
        assert!(is_safe_relative("actors/turkey/index.html"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "a/./b",
            "a\\b",
            "C:x",
            "a/..",
        ] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }

    #[test]
    fn writes_changed_files_and_removes_only_its_own_stale_files() {
        let root = tempfile::tempdir().unwrap();
        let mut out = open_public(root.path());
        let stats = out
            .write(&[Page::new("a/index.html", "A"), Page::new("b.txt", "B")])
            .unwrap();
        assert_eq!(stats.written, 2);
        std::fs::write(root.path().join("public/mine.txt"), "user file").unwrap();

        let mut out = open_public(root.path());
        let stats = out.write(&[Page::new("b.txt", "B2")]).unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (1, 0, 1));
        assert!(
            !root.path().join("public/a").exists(),
            "empty folder left behind"
        );
        assert!(
            root.path().join("public/mine.txt").exists(),
            "deleted a file it did not write"
        );
        let stats = out.write(&[Page::new("b.txt", "B2")]).unwrap();
        assert_eq!((stats.written, stats.unchanged), (0, 1));
    }

    /// The staging tree of a build into an empty output, if there is one.
    fn trees(dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(TREE_PREFIX)
            })
            .collect()
    }

    fn open_public(root: &Path) -> Output {
        Output::open(root, Path::new("public"), Path::new("content"), false).unwrap()
    }

    /// A write into a new, empty `public/` with `pages` staged, not committed.
    fn staged_into_empty(pages: &[Page]) -> (tempfile::TempDir, PathBuf, Output, Staging) {
        let root = tempfile::tempdir().unwrap();
        let public = root.path().join("public");
        let mut out = open_public(root.path());
        let mut staging = out.begin().unwrap();
        out.stage(&mut staging, pages).unwrap();
        (root, public, out, staging)
    }

    fn read(dir: &Path, rel: &str) -> String {
        std::fs::read_to_string(dir.join(rel)).unwrap()
    }

    #[test]
    fn a_build_into_an_empty_output_stages_a_tree_and_moves_it_whole() {
        let (root, public, mut out, staging) = staged_into_empty(&[
            Page::new("index.html", "home"),
            Page::new("briefings/a/index.html", "A"),
            Page::new("briefings/b/index.html", "B"),
        ]);
        // Until the commit, the pages are only in the hidden tree.
        let tree = trees(&public);
        assert_eq!(tree.len(), 1);
        assert!(tree[0].join("briefings/b/index.html").is_file());
        assert!(!public.join("briefings").exists());
        assert!(!public.join("index.html").exists());

        let stats = out.commit(staging).unwrap();
        assert_eq!(stats.written, 3);
        assert!(trees(&public).is_empty(), "staging tree left behind");
        assert_eq!(read(&public, "briefings/a/index.html"), "A");
        assert_eq!(read(&public, "index.html"), "home");

        // The next build is into a folder that is not empty: file by file,
        // and its manifest knows what the tree build wrote.
        let mut out = open_public(root.path());
        let stats = out.write(&[Page::new("index.html", "home")]).unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (0, 1, 2));
        assert!(!public.join("briefings").exists());
    }

    #[test]
    fn a_discarded_tree_leaves_the_empty_output_empty() {
        let (_root, public, out, staging) =
            staged_into_empty(&[Page::new("briefings/a/index.html", "A")]);
        out.discard(staging);
        let left: Vec<_> = std::fs::read_dir(&public).unwrap().collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn a_folder_made_during_the_build_is_kept_and_filled_file_by_file() {
        let (_root, public, mut out, staging) = staged_into_empty(&[
            Page::new("briefings/a/index.html", "A"),
            Page::new("actors/x/index.html", "X"),
        ]);
        // Someone puts a file of their own where the site goes.
        std::fs::create_dir_all(public.join("briefings")).unwrap();
        std::fs::write(public.join("briefings/notes.txt"), "mine").unwrap();

        let stats = out.commit(staging).unwrap();
        assert_eq!(stats.written, 2);
        assert_eq!(read(&public, "briefings/a/index.html"), "A");
        assert_eq!(read(&public, "actors/x/index.html"), "X");
        assert_eq!(read(&public, "briefings/notes.txt"), "mine");
        assert!(trees(&public).is_empty(), "staging tree left behind");
    }

    #[test]
    fn a_leftover_tree_does_not_stop_a_tree_build() {
        let root = tempfile::tempdir().unwrap();
        let public = root.path().join("public");
        let leftover = public.join(format!("{TREE_PREFIX}0"));
        std::fs::create_dir_all(leftover.join("briefings")).unwrap();
        let mut out = open_public(root.path());
        let mut staging = out.begin().unwrap();
        assert!(staging.tree.is_some());
        out.stage(&mut staging, &[Page::new("briefings/a/index.html", "A")])
            .unwrap();
        out.commit(staging).unwrap();
        assert!(public.join("briefings/a/index.html").is_file());
        // Not this build's: it is left alone.
        assert!(leftover.join("briefings").is_dir());
    }

    #[test]
    fn refuses_dangerous_output_dirs() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("content")).unwrap();
        assert!(matches!(
            Output::open(root.path(), Path::new("."), Path::new("content"), false),
            Err(OutputError::Overlaps(_))
        ));
        assert!(matches!(
            Output::open(
                root.path(),
                Path::new("content"),
                Path::new("content"),
                false
            ),
            Err(OutputError::Overlaps(_))
        ));
        assert!(matches!(
            Output::open(
                root.path(),
                Path::new("../elsewhere"),
                Path::new("content"),
                false
            ),
            Err(OutputError::Outside(_))
        ));
        assert!(
            Output::open(
                root.path(),
                Path::new("../elsewhere"),
                Path::new("content"),
                true
            )
            .is_ok()
        );
    }

    #[test]
    fn refuses_unsafe_page_paths() {
        let root = tempfile::tempdir().unwrap();
        let mut out = open_public(root.path());
        assert!(matches!(
            out.write(&[Page::new("../x.html", "x")]),
            Err(OutputError::UnsafePath(_))
        ));
        assert!(!root.path().join("x.html").exists());
    }

    #[cfg(unix)]
    #[test]
    fn does_not_follow_symlinks_inside_the_output() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("public")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.path().join("public/actors")).unwrap();
        let mut out = open_public(root.path());
        assert!(out.write(&[Page::new("actors/x/index.html", "x")]).is_err());
        assert!(
            std::fs::read_dir(elsewhere.path())
                .unwrap()
                .next()
                .is_none()
        );
    }
}
