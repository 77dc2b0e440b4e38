//! Watching the site's sources and rebuilding it: one thread owns the [`Site`] and
//! its memo, so builds never overlap and each one reuses what the last one did.
//!
//! What is watched: the site root itself without recursion (for `site.toml`, and
//! for the source folders appearing, disappearing or being renamed), and the
//! content folder (`content_dir`), `templates/` and `static/` recursively.
//! Watching the whole root recursively would also put watches on `target/`,
//! `.git/` or the output folder, which can hold far more folders than the site;
//! that happens only when the content folder is the root itself. When a source
//! folder is created, deleted or renamed, its watch is renewed before the rebuild
//! reads it, so nothing written into it after the rebuild is missed. The layout is
//! read again from `site.toml` before every rebuild, since it may change.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ffi::OsStr;
use std::panic::AssertUnwindSafe;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Instant;

use notify::event::{AccessKind, AccessMode};
use notify::{EventHandler, EventKind, RecommendedWatcher, RecursiveMode, Watcher, WatcherKind};
use notify_debouncer_mini::{DebounceEventResult, Debouncer};
use rustc_hash::FxHashMap;

use super::{BuildStatus, LiveEvent, ServeOptions, Shared, Snapshot};
use crate::config::{CONFIG_FILE, Config};
use crate::error::{Error, Errors};
use crate::render::Bytes;
use crate::site::{BuildOptions, Site};

/// Where a site's sources and output are, as absolute paths under the watched root.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Layout {
    config_file: PathBuf,
    content: PathBuf,
    templates: PathBuf,
    statics: PathBuf,
    output: PathBuf,
}

impl Layout {
    fn new(root: &Path, config: &Config) -> Layout {
        Layout {
            config_file: root.join(CONFIG_FILE),
            content: normalise(&root.join(&config.content_dir)),
            templates: root.join("templates"),
            statics: root.join("static"),
            output: normalise(&root.join(&config.output_dir)),
        }
    }

    /// The source folders, and whether each is the content folder.
    fn sources(&self) -> [(&Path, bool); 3] {
        [
            (&self.content, true),
            (&self.templates, false),
            (&self.statics, false),
        ]
    }
}

/// `a/./b/../c` -> `a/c`, without touching the file system (the folder may not exist).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// What the rebuild thread is told.
pub(super) enum Control {
    /// Files changed (as reported by the debouncer).
    Changes(DebounceEventResult),
    /// Rebuild now, whatever changed.
    Rebuild,
    /// Stop the thread.
    Stop,
}

/// The system's watcher with reads filtered out. The debouncer reports paths but
/// not what happened to them, and notify also reports files being opened and
/// closed after reading: without this filter every build, which reads the
/// templates, would look like a change and start the next build.
pub(super) struct WriteWatcher(RecommendedWatcher);

/// Whether an event can mean that a file's contents, name or existence changed.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

impl Watcher for WriteWatcher {
    fn new<F: EventHandler>(mut handler: F, config: notify::Config) -> notify::Result<Self> {
        RecommendedWatcher::new(
            move |event: notify::Result<notify::Event>| {
                if event.as_ref().map_or(true, |e| is_change(&e.kind)) {
                    handler.handle_event(event);
                }
            },
            config,
        )
        .map(WriteWatcher)
    }

    fn watch(&mut self, path: &Path, recursive_mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, recursive_mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> WatcherKind {
        RecommendedWatcher::kind()
    }
}

/// The rebuild thread's state: the site with its memo, and the watcher.
pub(super) struct Builder {
    site: Site,
    options: BuildOptions,
    root: PathBuf,
    /// The root as the watcher reports paths under it.
    watch_root: PathBuf,
    shared: Arc<Shared>,
    debouncer: Debouncer<WriteWatcher>,
    /// What is being watched now, and how.
    watched: BTreeMap<PathBuf, RecursiveMode>,
    /// From the last `site.toml` that could be read.
    layout: Layout,
    builds: u64,
    generation: u64,
    last_ok: bool,
    warnings: HashSet<String>,
}

/// The changes drained from the queue for one rebuild.
#[derive(Default)]
struct Batch {
    paths: BTreeSet<PathBuf>,
    /// A rebuild was asked for, or the watcher reported an error (events may have
    /// been lost): rebuild even if no path looks relevant.
    forced: bool,
    stop: bool,
}

impl Batch {
    fn add(&mut self, control: Control) {
        match control {
            Control::Changes(Ok(events)) => {
                self.paths.extend(events.into_iter().map(|e| e.path));
            }
            Control::Changes(Err(e)) => {
                eprintln!("warning: file watcher: {e}; rebuilding to be safe");
                self.forced = true;
            }
            Control::Rebuild => self.forced = true,
            Control::Stop => self.stop = true,
        }
    }
}

impl Builder {
    /// Starts watching `site`'s folders; changes are sent to `control`.
    pub(super) fn new(
        mut site: Site,
        shared: Arc<Shared>,
        control: Sender<Control>,
        options: &ServeOptions,
    ) -> Result<Builder, Errors> {
        let root = site.root().to_path_buf();
        let watch_root = root.canonicalize().unwrap_or_else(|_| root.clone());
        let config = notify_debouncer_mini::Config::default()
            .with_timeout(options.debounce)
            .with_batch_mode(true);
        let mut debouncer = notify_debouncer_mini::new_debouncer_opt::<_, WriteWatcher>(
            config,
            move |result: DebounceEventResult| {
                // The receiver is gone only when serve is stopping.
                let _ = control.send(Control::Changes(result));
            },
        )
        .map_err(|e| watch_error(&root, &e))?;
        debouncer
            .watcher()
            .watch(&watch_root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(&root, &e))?;
        let mut watched = BTreeMap::new();
        watched.insert(watch_root.clone(), RecursiveMode::NonRecursive);
        let config = site.config().unwrap_or_default();
        let layout = Layout::new(&watch_root, &config);
        let site_options = site.options_mut().clone();
        let mut builder = Builder {
            site,
            options: site_options,
            root,
            watch_root,
            shared,
            debouncer,
            watched,
            layout,
            builds: 0,
            generation: 0,
            last_ok: false,
            warnings: HashSet::new(),
        };
        builder.renew_watches(&BTreeSet::new());
        Ok(builder)
    }

    /// The build before the server starts.
    pub(super) fn first_build(&mut self) {
        self.build(0, false);
    }

    /// The rebuild loop: waits for changes, drains everything queued so that a
    /// burst of saves is one rebuild, and rebuilds when a source changed.
    pub(super) fn run(mut self, control: Receiver<Control>) {
        while let Ok(first) = control.recv() {
            let mut batch = Batch::default();
            batch.add(first);
            while let Ok(more) = control.try_recv() {
                batch.add(more);
            }
            if batch.stop {
                return;
            }
            self.renew_watches(&batch.paths);
            let relevant: Vec<&PathBuf> = batch
                .paths
                .iter()
                .filter(|path| self.is_source(path))
                .collect();
            if relevant.is_empty() && !batch.forced {
                continue;
            }
            let css_only = !batch.forced
                && !relevant.is_empty()
                && relevant.iter().all(|path| self.is_stylesheet(path));
            let changed = relevant.len();
            // The watcher saw every change (a lost event comes as an error, and
            // forces a build that walks): the loader need only look at these.
            if !batch.forced {
                let noted: Option<Vec<PathBuf>> = relevant
                    .iter()
                    .map(|p| Some(self.root.join(p.strip_prefix(&self.watch_root).ok()?)))
                    .collect();
                if let Some(paths) = noted {
                    self.site.note_changes(paths);
                }
            }
            self.build(changed, css_only);
        }
    }

    /// What should be watched: the root (for `site.toml` and the folders
    /// appearing), each source folder recursively, and for a source folder that
    /// does not exist, its nearest existing parent (to see it appear).
    fn desired_watches(&self) -> BTreeMap<PathBuf, RecursiveMode> {
        let mut desired = BTreeMap::new();
        desired.insert(self.watch_root.clone(), RecursiveMode::NonRecursive);
        for (folder, _) in self.layout.sources() {
            if folder.is_dir() {
                desired.insert(folder.to_path_buf(), RecursiveMode::Recursive);
            } else if let Some(parent) = folder.ancestors().skip(1).find(|a| a.is_dir()) {
                desired
                    .entry(parent.to_path_buf())
                    .or_insert(RecursiveMode::NonRecursive);
            }
        }
        // A folder inside one watched recursively is already covered.
        let recursive: Vec<PathBuf> = desired
            .iter()
            .filter(|(_, mode)| **mode == RecursiveMode::Recursive)
            .map(|(path, _)| path.clone())
            .collect();
        desired.retain(|path, _| !recursive.iter().any(|r| path != r && path.starts_with(r)));
        desired
    }

    /// Brings the watches in line with [`Builder::desired_watches`]. A folder
    /// watched recursively that appears in `paths` itself was created, deleted or
    /// renamed: its watch is renewed, since the old one followed the old folder.
    fn renew_watches(&mut self, paths: &BTreeSet<PathBuf>) {
        if let Ok(config) = self.site.config() {
            self.layout = Layout::new(&self.watch_root, &config);
        }
        let desired = self.desired_watches();
        let stale: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|(path, mode)| {
                desired.get(*path) != Some(*mode)
                    || (**mode == RecursiveMode::Recursive && paths.contains(*path))
            })
            .map(|(path, _)| path.clone())
            .collect();
        for path in stale {
            self.watched.remove(&path);
            // Often already gone with its folder: nothing to undo then.
            let _ = self.debouncer.watcher().unwatch(&path);
        }
        for (path, mode) in desired {
            if self.watched.contains_key(&path) || !path.is_dir() {
                continue;
            }
            match self.debouncer.watcher().watch(&path, mode) {
                Ok(()) => {
                    self.watched.insert(path, mode);
                }
                Err(e) => eprintln!("warning: cannot watch {}: {e}", path.display()),
            }
        }
    }

    /// Whether a changed path can change the site: `site.toml`, or a file or
    /// folder in a source folder that is not hidden, an editor's temporary file,
    /// or inside the output folder, `.git/` or `target/`.
    fn is_source(&self, path: &Path) -> bool {
        let layout = &self.layout;
        if path.starts_with(&layout.output)
            || path.starts_with(self.watch_root.join("target"))
            || path.starts_with(self.watch_root.join(".git"))
        {
            return false;
        }
        if path == layout.config_file {
            return true;
        }
        layout.sources().iter().any(|(folder, in_content)| {
            path.strip_prefix(folder).is_ok_and(|rest| {
                !rest.components().any(|c| match c {
                    Component::Normal(name) => is_temporary(name, *in_content),
                    _ => false,
                })
            })
        })
    }

    /// A stylesheet of the theme: a change to it alone can be applied without a reload.
    fn is_stylesheet(&self, path: &Path) -> bool {
        path.starts_with(&self.layout.statics) && path.extension().is_some_and(|e| e == "css")
    }

    /// Runs the pipeline (nothing is written) and serves the result, or reports
    /// the error and keeps the last good site.
    fn build(&mut self, changed: usize, css_only: bool) {
        let started = Instant::now();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| self.site.render()));
        self.builds += 1;
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(panic) => {
                // The memo may be half-updated: start again from a clean one.
                self.site = Site::new(self.root.clone(), self.options.clone());
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".into());
                Err(Error::Usage(format!(
                    "internal error while building: {message}\n  what to do: this is a bug in dossier; please report it with the file you just changed"
                ))
                .into())
            }
        };
        match outcome {
            Ok(mut rendered) => {
                for warning in &rendered.warnings {
                    let text = warning.to_string();
                    if !self.warnings.contains(&text) {
                        eprintln!("warning: {text}");
                    }
                }
                self.warnings = rendered.warnings.iter().map(|w| w.to_string()).collect();
                self.layout = Layout::new(&self.watch_root, &rendered.built.config);
                // The pages move into the served site: no path is copied.
                let pages: FxHashMap<String, Bytes> = std::mem::take(&mut rendered.built.pages)
                    .into_iter()
                    .map(|page| (page.path, page.bytes))
                    .collect();
                let files = pages.len();
                // Saving a file without changing it, or changing only what no page
                // shows, leaves the site as it is: nothing to swap or reload.
                let unchanged =
                    self.generation > 0 && same_site(&self.shared.snapshot().pages, &pages);
                let snapshot = if unchanged {
                    None
                } else {
                    self.generation += 1;
                    Some(Snapshot {
                        pages,
                        generation: self.generation,
                    })
                };
                let generation = self.generation;
                let event = if unchanged && self.last_ok {
                    None
                } else if css_only && self.last_ok {
                    Some(LiveEvent::Css { generation })
                } else {
                    Some(LiveEvent::Reload { generation })
                };
                self.last_ok = true;
                let elapsed = started.elapsed();
                self.shared.publish(
                    snapshot,
                    BuildStatus {
                        number: self.builds,
                        generation,
                        error: None,
                        rendered: rendered.stats.rendered,
                        files,
                        changed_files: changed,
                        elapsed,
                        finished_at: Instant::now(),
                    },
                    event,
                );
                let pages = plural(rendered.stats.rendered, "page", "pages");
                let ms = elapsed.as_millis();
                if self.builds == 1 {
                    println!("built {pages} in {ms} ms ({files} files)");
                } else {
                    let sources = plural(changed, "changed file", "changed files");
                    let note = if unchanged {
                        "; the site is unchanged"
                    } else {
                        ""
                    };
                    println!("rebuilt {pages} in {ms} ms ({sources}{note})");
                }
            }
            Err(errors) => {
                let report = errors.to_string();
                self.last_ok = false;
                let elapsed = started.elapsed();
                let files = self.shared.snapshot().pages.len();
                eprintln!("{report}");
                if self.generation > 0 {
                    eprintln!("build failed; still serving the last good build");
                } else {
                    eprintln!("build failed; the browser shows the error until it is fixed");
                }
                self.shared.publish(
                    None,
                    BuildStatus {
                        number: self.builds,
                        generation: self.generation,
                        error: Some(report.clone()),
                        rendered: 0,
                        files,
                        changed_files: changed,
                        elapsed,
                        finished_at: Instant::now(),
                    },
                    Some(LiveEvent::Error {
                        report: report.into(),
                    }),
                );
            }
        }
    }
}

/// Hidden files and the files editors write next to the one being saved: vim's
/// `.x.swp` and `4913` probe, emacs's `.#x` and `#x#`, backups `x~`. In `content/`
/// also `.tmp` files, which the loader skips too.
fn is_temporary(name: &OsStr, in_content: bool) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
        || (in_content && name.ends_with(".tmp"))
}

/// Whether two versions of the site have the same files with the same bytes.
/// Pages reused from the memo share their bytes, so most comparisons are a
/// pointer check.
fn same_site(old: &FxHashMap<String, Bytes>, new: &FxHashMap<String, Bytes>) -> bool {
    old.len() == new.len()
        && new
            .iter()
            .all(|(path, bytes)| old.get(path).is_some_and(|o| o == bytes))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn watch_error(root: &Path, e: &notify::Error) -> Errors {
    Error::Usage(format!(
        "{}: cannot watch for changes: {e}\n  what to do: on Linux, raise fs.inotify.max_user_watches (sysctl) or close other programs that watch many files",
        root.display()
    ))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temporary_files_are_ignored() {
        for name in [".x.md.swp", "4913", "x.md~", ".#x.md", "#x.md#", ".hidden"] {
            assert!(is_temporary(OsStr::new(name), false), "{name}");
        }
        assert!(is_temporary(OsStr::new("x.md.tmp"), true));
        assert!(!is_temporary(OsStr::new("x.md.tmp"), false));
        assert!(!is_temporary(OsStr::new("x.md"), true));
    }
}
