//! The incremental-build invariant: after any sequence of edits, a long-lived
//! [`Site`] (the one `dossier serve` keeps, with all its memos) writes exactly the
//! same files as a clean build of the same sources, byte for byte; and it gets
//! there by redoing only what changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use dossier::site::{BuildOptions, BuildReport, Site};

/// Briefing files the random edits choose from: folders, formats and dates vary,
/// and every stem is a different slug.
const NAMES: [&str; 7] = [
    "content/briefings/2026-02-01-alpha.md",
    "content/briefings/2026-02-02-bravo.md",
    "content/2026-02-03-charlie.md",
    "content/briefings/wire/2026-02-04-delta.txt",
    "content/briefings/wire/2026-02-05-echo.txt",
    "content/briefings/deep/er/2026-02-06-foxtrot.md",
    "content/briefings/2026-02-07-golf.txt",
];

/// Sentences for briefing bodies: several actors, places, statements, and one
/// with no names at all.
const BODIES: [&str; 6] = [
    "Turkey's foreign minister met Hamas officials in Ankara on Tuesday to discuss the ceasefire.",
    "Egypt said talks in Cairo on the second phase would resume next week, according to officials.",
    "Qatar urged Israel to allow more aid into Gaza, the Qatari foreign ministry said.",
    "The United Nations said the ceasefire in Gaza was largely holding, though violations were reported.",
    "The Gaza Desk noted that the Board of Peace had not yet met. No further details were given.",
    "A short note with no names in it at all.",
];

/// A briefing file's text: Markdown with front matter, or plain wire copy.
fn briefing_text(path: &str, body: usize) -> String {
    let date = path
        .rsplit('/')
        .next()
        .and_then(|name| name.get(..10))
        .unwrap_or("2026-02-01");
    let sentence = BODIES[body % BODIES.len()];
    if path.ends_with(".txt") {
        format!("Wire headline number {body}\n\nANKARA, Feb 4 (Agency) - {sentence}\n")
    } else {
        format!(
            "+++\ntitle = \"Briefing variant {body}\"\ndate = {date}\nsummary = \"Summary {body}.\"\n+++\n\n{sentence}\n\nA second paragraph, variant {body}.\n"
        )
    }
}

/// One random change to the site's sources.
#[derive(Debug, Clone)]
enum Op {
    Add {
        name: usize,
        body: usize,
    },
    Edit {
        pick: usize,
        body: usize,
    },
    Rename {
        pick: usize,
        name: usize,
    },
    Delete {
        pick: usize,
    },
    /// A registry entry written (variants 0-2) or deleted (3).
    Registry {
        variant: usize,
    },
    /// A template override written (0-1) or removed (2).
    Template {
        variant: usize,
    },
    /// A stylesheet override written (0-1) or removed (2).
    Style {
        variant: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..NAMES.len(), 0..BODIES.len()).prop_map(|(name, body)| Op::Add { name, body }),
        4 => (0..64usize, 0..BODIES.len()).prop_map(|(pick, body)| Op::Edit { pick, body }),
        2 => (0..64usize, 0..NAMES.len()).prop_map(|(pick, name)| Op::Rename { pick, name }),
        2 => (0..64usize).prop_map(|pick| Op::Delete { pick }),
        1 => (0..4usize).prop_map(|variant| Op::Registry { variant }),
        1 => (0..3usize).prop_map(|variant| Op::Template { variant }),
        1 => (0..3usize).prop_map(|variant| Op::Style { variant }),
    ]
}

/// A small site in a temp folder, and which of [`NAMES`] exist in it.
struct Sources {
    dir: tempfile::TempDir,
    present: BTreeSet<usize>,
    /// Paths created, changed or removed since [`Sources::take_touched`], as a
    /// file watcher reports them (a folder created for a file is reported too).
    touched: Vec<PathBuf>,
}

impl Sources {
    fn new(search: bool) -> Sources {
        let mut sources = Sources {
            dir: tempfile::tempdir().expect("temp dir"),
            present: BTreeSet::new(),
            touched: Vec::new(),
        };
        sources.write(
            "site.toml",
            &format!(
                "title = \"Incremental\"\nbase_url = \"https://example.org/sub/\"\npaginate = 2\n\n[search]\nenabled = {search}\n"
            ),
        );
        sources
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&mut self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        self.make_parent(&path);
        std::fs::write(&path, text).expect("write");
        self.touched.push(path);
    }

    fn remove(&mut self, rel: &str) {
        let path = self.root().join(rel);
        if path.exists() {
            std::fs::remove_file(&path).expect("remove");
            self.touched.push(path);
        }
    }

    /// Creates the folders above `path`, noting the first one created.
    fn make_parent(&mut self, path: &Path) {
        let parent = path.parent().expect("parent");
        if let Some(missing) = parent.ancestors().take_while(|dir| !dir.exists()).last() {
            self.touched.push(missing.to_path_buf());
        }
        std::fs::create_dir_all(parent).expect("mkdir");
    }

    fn take_touched(&mut self) -> Vec<PathBuf> {
        std::mem::take(&mut self.touched)
    }

    fn add(&mut self, name: usize, body: usize) {
        self.write(NAMES[name], &briefing_text(NAMES[name], body));
        self.present.insert(name);
    }

    /// The `pick`-th present briefing, if there is one.
    fn pick(&self, pick: usize) -> Option<usize> {
        if self.present.is_empty() {
            return None;
        }
        self.present.iter().nth(pick % self.present.len()).copied()
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Add { name, body } => self.add(name, body),
            Op::Edit { pick, body } => {
                if let Some(name) = self.pick(pick) {
                    self.write(NAMES[name], &briefing_text(NAMES[name], body));
                }
            }
            Op::Rename { pick, name } => {
                let Some(from) = self.pick(pick) else { return };
                if self.present.contains(&name) {
                    return;
                }
                let (source, target) = (self.root().join(NAMES[from]), self.root().join(NAMES[name]));
                self.make_parent(&target);
                std::fs::rename(&source, &target).expect("rename");
                self.touched.extend([source, target]);
                self.present.remove(&from);
                self.present.insert(name);
            }
            Op::Delete { pick } => {
                if let Some(name) = self.pick(pick) {
                    self.remove(NAMES[name]);
                    self.present.remove(&name);
                }
            }
            Op::Registry { variant } => match variant {
                0 => self.write(
                    "content/actors/gaza-desk.md",
                    "+++\nname = \"Gaza Desk\"\nkind = \"organisation\"\naliases = [\"Gaza Desk\"]\n+++\n\nAn analysis unit that writes notes.\n",
                ),
                1 => self.write(
                    "content/actors/gaza-desk.md",
                    "+++\nname = \"The Gaza Desk\"\nkind = \"organisation\"\naliases = [\"Gaza Desk\", \"the Desk\"]\n+++\n\nAn analysis unit, *renamed*.\n",
                ),
                2 => self.write(
                    "content/actors/board-of-peace.md",
                    "+++\nname = \"Board of Peace\"\nkind = \"organisation\"\naliases = [\"Board of Peace\"]\n+++\n\nA transitional body.\n",
                ),
                _ => self.remove("content/actors/gaza-desk.md"),
            },
            Op::Template { variant } => match variant {
                0 | 1 => {
                    let base = default_file("templates/base.html");
                    let marked = insert_before_last(&base, "</body>", &format!("<!-- v{variant} -->"));
                    self.write("templates/base.html", &marked);
                }
                _ => self.remove("templates/base.html"),
            },
            Op::Style { variant } => match variant {
                0 | 1 => {
                    let css = default_file("static/style.css");
                    self.write("static/style.css", &format!("{css}\n/* v{variant} */\n"));
                }
                _ => self.remove("static/style.css"),
            },
        }
    }
}

/// A file of the embedded default theme.
fn default_file(name: &str) -> String {
    let (_, bytes) = dossier::render::theme::default_theme()
        .iter()
        .find(|(path, _)| *path == name)
        .unwrap_or_else(|| panic!("{name} is in the default theme"));
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

fn insert_before_last(text: &str, needle: &str, insert: &str) -> String {
    match text.rfind(needle) {
        Some(at) => format!("{}{insert}{}", &text[..at], &text[at..]),
        None => format!("{text}{insert}"),
    }
}

/// Every folder and file below `dir`: (relative path, contents; `None` for a folder).
fn tree(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.expect("walk");
        let rel = entry
            .path()
            .strip_prefix(dir)
            .expect("prefix")
            .to_string_lossy()
            .replace('\\', "/");
        if entry.file_type().is_dir() {
            out.push((rel, None));
        } else {
            out.push((rel, Some(std::fs::read(entry.path()).expect("read"))));
        }
    }
    out
}

/// Fails with the first difference between two output trees.
fn assert_same_tree(incremental: &Path, clean: &Path, context: &str) {
    let a = tree(incremental);
    let b = tree(clean);
    let names_a: Vec<&str> = a.iter().map(|(p, _)| p.as_str()).collect();
    let names_b: Vec<&str> = b.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        names_a, names_b,
        "{context}: the incremental output has other files than a clean build"
    );
    // The manifest last: a differing page is the more useful report.
    let mut pairs: Vec<_> = a.iter().zip(&b).collect();
    pairs.sort_by_key(|((path, _), _)| path.ends_with(".dossier-manifest"));
    for ((path, x), (_, y)) in pairs {
        if x != y {
            let show = |v: &Option<Vec<u8>>| {
                v.as_ref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default()
            };
            panic!(
                "{context}: {path} differs\n--- incremental:\n{}\n--- clean:\n{}",
                show(x),
                show(y)
            );
        }
    }
}

/// A clean build of `root` into a new folder outside it.
fn clean_build(root: &Path) -> (tempfile::TempDir, BuildReport) {
    let out = tempfile::tempdir().expect("temp dir");
    let report = Site::new(
        root,
        BuildOptions {
            output_dir: Some(out.path().to_path_buf()),
            force: true,
            ..BuildOptions::default()
        },
    )
    .build()
    .unwrap_or_else(|e| panic!("clean build failed:\n{e}"));
    (out, report)
}

fn public(root: &Path) -> PathBuf {
    root.join("public")
}

/// A file of the output, as text.
fn read_output(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(public(root).join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Builds `site` again; a failure fails the test with its report.
fn rebuild(site: &mut Site) -> BuildReport {
    site.build()
        .unwrap_or_else(|e| panic!("rebuild failed:\n{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        max_shrink_iters: 64,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn incremental_output_equals_a_clean_build(
        ops in proptest::collection::vec(op(), 1..=6),
        search in proptest::bool::weighted(0.25),
        told in proptest::bool::ANY,
    ) {
        let mut sources = Sources::new(search);
        sources.add(0, 0);
        sources.add(3, 1);
        sources.add(5, 4);
        let mut site = Site::new(sources.root(), BuildOptions::default());
        site.build().unwrap_or_else(|e| panic!("first build failed:\n{e}"));
        for (step, op) in ops.iter().enumerate() {
            sources.apply(op);
            // Half the runs tell the site what changed, as `dossier serve`
            // does; the others let it find out by walking `content/`.
            let touched = sources.take_touched();
            if told {
                site.note_changes(touched);
            }
            let report = site
                .build()
                .unwrap_or_else(|e| panic!("step {step} ({op:?}): incremental build failed:\n{e}"));
            let (clean, clean_report) = clean_build(sources.root());
            assert_same_tree(
                &public(sources.root()),
                clean.path(),
                &format!("after step {step} of {ops:?}"),
            );
            prop_assert_eq!(report.files, clean_report.files);
            prop_assert!(report.extracted <= clean_report.extracted);
        }
    }
}

/// A site of eight briefings, built once.
fn eight_briefings() -> (Sources, Site, BuildReport) {
    let mut sources = Sources::new(false);
    for (name, body) in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 0)] {
        sources.add(name, body);
    }
    sources.write(
        "content/briefings/2026-02-08-hotel.md",
        &briefing_text("content/briefings/2026-02-08-hotel.md", 2),
    );
    let mut site = Site::new(sources.root(), BuildOptions::default());
    let first = site
        .build()
        .unwrap_or_else(|e| panic!("first build failed:\n{e}"));
    (sources, site, first)
}

#[test]
fn editing_one_briefing_extracts_one_and_renders_few_pages() {
    let (mut sources, mut site, first) = eight_briefings();
    assert_eq!(first.briefings, 8);
    assert_eq!(first.extracted, 8);

    // Only the body changes: same title, same date.
    let path = NAMES[1];
    let text = briefing_text(path, 1).replace("A second paragraph", "An edited second paragraph");
    sources.write(path, &text);
    let report = rebuild(&mut site);
    assert_eq!(
        report.extracted, 1,
        "only the edited briefing is extracted again"
    );
    assert!(
        report.render.rendered * 3 <= first.render.rendered,
        "a one-briefing edit rendered {} pages of {}",
        report.render.rendered,
        first.render.rendered
    );
    assert!(report.render.rendered >= 1);
    assert!(report.write.written < first.write.written);
    let (clean, _) = clean_build(sources.root());
    assert_same_tree(&public(sources.root()), clean.path(), "after one edit");

    // Nothing changed: nothing extracted, rendered or written.
    let idle = rebuild(&mut site);
    assert_eq!(idle.extracted, 0);
    assert_eq!(idle.render.rendered, 0);
    assert_eq!(idle.write.written, 0);
    // Egypt's and Cairo's pages quote the first sentence, which the edit left
    // as it was: their keys stayed, and their contexts were not even built.
    // Only the pages that have no key are checked, as after any build.
    assert_eq!(
        report.render.rechecked, idle.render.rechecked,
        "an edit below the quoted sentence built the contexts of actor or place pages"
    );
}

#[test]
fn an_edit_to_a_quoted_sentence_reaches_the_pages_quoting_it() {
    let (mut sources, mut site, _) = eight_briefings();
    assert!(read_output(sources.root(), "actors/egypt/index.html").contains("resume next week"));

    // The sentence that Egypt's and Cairo's timelines quote, and Egypt's
    // statement, change; the actors and places named do not.
    let path = NAMES[1];
    let text = briefing_text(path, 1).replace("resume next week", "resume on Monday");
    sources.write(path, &text);
    let report = rebuild(&mut site);
    assert_eq!(report.extracted, 1);
    for page in ["actors/egypt/index.html", "places/cairo/index.html"] {
        let html = read_output(sources.root(), page);
        assert!(html.contains("resume on Monday"), "{page} is stale");
        assert!(!html.contains("resume next week"), "{page} is stale");
    }
    let (clean, _) = clean_build(sources.root());
    assert_same_tree(&public(sources.root()), clean.path(), "after the edit");
}

#[test]
fn a_new_mention_of_a_named_actor_leaves_the_other_briefings_alone() {
    // Six briefings that all name Egypt and Cairo, two to a home page.
    let mut sources = Sources::new(false);
    for name in 0..6 {
        sources.add(name, 1);
    }
    let mut site = Site::new(sources.root(), BuildOptions::default());
    let first = site
        .build()
        .unwrap_or_else(|e| panic!("first build failed:\n{e}"));
    let read = |rel: &str| read_output(sources.root(), rel);
    assert!(read("index.html").contains("Most mentioned actors"));
    let archive = read("page/2/index.html");
    assert!(!archive.contains("Most mentioned actors"));
    assert!(archive.contains("Atom feed of all briefings"));

    // One briefing names Egypt once more: Egypt's count changes site-wide,
    // the set of briefings naming it does not.
    let path = NAMES[1];
    let text = briefing_text(path, 1).replace(
        "A second paragraph",
        "Egypt gave no date. A second paragraph",
    );
    sources.write(path, &text);
    let report = rebuild(&mut site);
    assert_eq!(report.extracted, 1);
    // The briefing, Egypt's page, the first home page and the actor index
    // are rendered. The five other briefings, the archive pages and Cairo's
    // page (it quotes the first sentence, which did not change) are not even
    // looked at again: their contexts are not built. The pages that have no
    // key (the actor index, the place index, search) are checked after every
    // build.
    assert!(
        report.render.rendered <= 4,
        "a new mention rendered {} pages of {}",
        report.render.rendered,
        first.render.rendered
    );
    let idle = rebuild(&mut site);
    assert!(
        report.render.rechecked <= idle.render.rechecked,
        "a new mention built the contexts of {} pages, a build with nothing changed {}",
        report.render.rechecked,
        idle.render.rechecked
    );
    let (clean, _) = clean_build(sources.root());
    assert_same_tree(&public(sources.root()), clean.path(), "after a new mention");
}

#[test]
fn the_search_index_after_small_edits_equals_a_clean_one() {
    let mut sources = Sources::new(true);
    for (name, body) in [(0, 0), (1, 1), (2, 2), (3, 3)] {
        sources.add(name, body);
    }
    let mut site = Site::new(sources.root(), BuildOptions::default());
    site.build()
        .unwrap_or_else(|e| panic!("first build failed:\n{e}"));
    // New words, a word gone, a word weighed differently (in the title), then
    // back to the start: each rebuild patches the term shards.
    let path = NAMES[1];
    let edits = [
        briefing_text(path, 1).replace("second paragraph", "second zanzibar paragraph"),
        briefing_text(path, 1).replace("second paragraph", "paragraph"),
        briefing_text(path, 1).replace("Briefing variant", "Zanzibar variant"),
        briefing_text(path, 1),
    ];
    for (step, text) in edits.iter().enumerate() {
        sources.write(path, text);
        let report = site
            .build()
            .unwrap_or_else(|e| panic!("rebuild {step} failed:\n{e}"));
        assert_eq!(report.extracted, 1);
        let (clean, _) = clean_build(sources.root());
        assert_same_tree(
            &public(sources.root()),
            clean.path(),
            &format!("after search edit {step}"),
        );
    }
    let terms = |root: &Path| {
        std::fs::read_dir(public(root).join("search/terms"))
            .map(|dir| dir.count())
            .unwrap_or(0)
    };
    assert!(terms(sources.root()) > 0, "the index has term shards");
}

#[test]
fn a_template_change_renders_pages_but_extracts_nothing() {
    let (mut sources, mut site, first) = eight_briefings();
    let template = default_file("templates/briefing.html").replacen(
        "{% endblock",
        "<p class=\"incremental-marker\">override</p>{% endblock",
        1,
    );
    sources.write("templates/briefing.html", &template);
    let report = rebuild(&mut site);
    assert_eq!(report.extracted, 0, "a template change re-extracts nothing");
    assert!(
        report.render.rendered >= 8,
        "every briefing page is rendered again ({} pages)",
        report.render.rendered
    );
    assert!(report.render.rendered < first.render.rendered + 1);
    let page = std::fs::read_to_string(public(sources.root()).join("briefings/bravo/index.html"))
        .expect("briefing page");
    assert!(page.contains("incremental-marker"));
    let (clean, _) = clean_build(sources.root());
    assert_same_tree(
        &public(sources.root()),
        clean.path(),
        "after a template change",
    );
}

#[test]
fn a_registry_change_is_picked_up() {
    let (mut sources, mut site, _) = eight_briefings();
    sources.apply(&Op::Registry { variant: 0 });
    rebuild(&mut site);
    let (clean, _) = clean_build(sources.root());
    assert_same_tree(
        &public(sources.root()),
        clean.path(),
        "after a registry entry",
    );
    sources.apply(&Op::Registry { variant: 1 });
    rebuild(&mut site);
    let (clean, _) = clean_build(sources.root());
    assert_same_tree(
        &public(sources.root()),
        clean.path(),
        "after a registry edit",
    );
}

#[test]
fn renaming_markdown_to_wire_copy_renders_it_as_wire_copy() {
    // The same bytes under another extension are another document: a `.txt` file
    // has no front matter, so its `+++` block is text, and its first line is the
    // headline.
    let mut sources = Sources::new(false);
    sources.add(0, 0);
    sources.add(5, 4);
    let mut site = Site::new(sources.root(), BuildOptions::default());
    site.build()
        .unwrap_or_else(|e| panic!("first build failed:\n{e}"));
    sources.apply(&Op::Rename { pick: 1, name: 4 });
    rebuild(&mut site);
    let (clean, _) = clean_build(sources.root());
    assert_same_tree(
        &public(sources.root()),
        clean.path(),
        "after .md became .txt",
    );
}

#[test]
fn changes_noted_before_a_failed_build_are_not_lost() {
    let (mut sources, mut site, _) = eight_briefings();
    sources.take_touched();
    let config = std::fs::read_to_string(sources.root().join("site.toml")).expect("site.toml");
    // A briefing edited while site.toml is broken: the build fails before loading.
    sources.write("site.toml", "title = [");
    sources.apply(&Op::Edit { pick: 0, body: 5 });
    site.note_changes(sources.take_touched());
    assert!(site.build().is_err(), "a broken site.toml fails the build");
    // Only site.toml is reported now; the edit noted before must still count.
    sources.write("site.toml", &config);
    site.note_changes(sources.take_touched());
    let report = site
        .build()
        .unwrap_or_else(|e| panic!("build after the fix failed:\n{e}"));
    assert_eq!(
        report.extracted, 1,
        "the edited briefing is extracted again"
    );
    let (clean, _) = clean_build(sources.root());
    assert_same_tree(&public(sources.root()), clean.path(), "after the fix");
}

#[test]
fn a_folder_reported_as_changed_is_walked() {
    let (mut sources, mut site, first) = eight_briefings();
    sources.take_touched();
    // A folder of briefings moved in at once: the watcher reports the folder.
    let folder = sources.root().join("content/briefings/moved");
    std::fs::create_dir_all(&folder).expect("mkdir");
    for (n, name) in ["2026-03-01-india.md", "2026-03-02-juliet.md"]
        .iter()
        .enumerate()
    {
        let rel = format!("content/briefings/moved/{name}");
        std::fs::write(sources.root().join(&rel), briefing_text(&rel, n)).expect("write");
    }
    site.note_changes([folder]);
    let report = rebuild(&mut site);
    assert_eq!(report.briefings, first.briefings + 2);
    let (clean, _) = clean_build(sources.root());
    assert_same_tree(&public(sources.root()), clean.path(), "after the move");
}
