//! Whole builds of small fixture sites: pages, links under a sub-path, template
//! overrides, drafts, slugs, wire copy, and every kind of bad input.

mod common;

use common::{Fixture, briefing, seed, tree};
use dossier::site::{BuildOptions, Site};

fn two_briefings() -> Vec<(&'static str, String)> {
    vec![
        (
            "content/2026-11-20-older.md",
            briefing("Older talks", "2026-11-20", "Turkey met Hamas in Ankara."),
        ),
        (
            "content/2026-11-26-newer.md",
            briefing("Newer talks", "2026-11-26", "Qatar and Egypt urged calm."),
        ),
    ]
}

fn fixture(base_url: &str, files: &[(&str, String)]) -> Fixture {
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    Fixture::site(base_url, &borrowed)
}

#[test]
fn builds_index_briefings_and_404() {
    let site = fixture("https://example.org/", &two_briefings());
    let report = site.build().unwrap();
    assert_eq!(report.briefings, 2);
    for page in [
        "index.html",
        "briefings/older/index.html",
        "briefings/newer/index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "graph.json",
        "style.css",
    ] {
        assert!(site.exists(&format!("public/{page}")), "missing {page}");
    }
    let index = site.read("public/index.html");
    let newer = index.find("Newer talks").expect("newer listed");
    let older = index.find("Older talks").expect("older listed");
    assert!(newer < older, "latest first");
    assert!(
        site.read("public/briefings/older/index.html")
            .contains("</a> met <a"),
        "mentions not linked in the body"
    );
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
}

#[test]
fn pagination_splits_the_index() {
    let mut files = Vec::new();
    for day in 1..=5 {
        files.push((
            format!("content/2026-11-0{day}-b{day}.md"),
            briefing(
                &format!("Briefing {day}"),
                &format!("2026-11-0{day}"),
                "Text.",
            ),
        ));
    }
    let site = Fixture::site("https://example.org/", &[]);
    site.write(
        "site.toml",
        "base_url = \"https://example.org/\"\npaginate = 2\n[search]\nenabled = false\n",
    );
    for (p, t) in &files {
        site.write(p, t);
    }
    site.build().unwrap();
    assert!(site.exists("public/page/2/index.html"));
    assert!(site.exists("public/page/3/index.html"));
    assert!(!site.exists("public/page/4/index.html"));
    let page2 = site.read("public/page/2/index.html");
    assert!(
        page2.contains("Briefing 3") && page2.contains("Briefing 2"),
        "{page2}"
    );
}

#[test]
fn a_long_archive_links_the_ends_and_the_neighbours_of_each_page() {
    let site = Fixture::site("https://example.org/", &[]);
    site.write(
        "site.toml",
        "base_url = \"https://example.org/\"\npaginate = 1\n[search]\nenabled = false\n",
    );
    for day in 1..=20 {
        site.write(
            &format!("content/2026-11-{day:02}-b{day}.md"),
            &briefing(
                &format!("Briefing {day}"),
                &format!("2026-11-{day:02}"),
                "Text.",
            ),
        );
    }
    site.build().unwrap();
    let page10 = site.read("public/page/10/index.html");
    let nav = &page10[page10
        .find("class=\"pagination-pages\"")
        .expect("page links")..];
    let nav = &nav[..nav.find("</ol>").expect("end of the page links")];
    let linked: Vec<usize> = (1..=20)
        .filter(|n| {
            let url = if *n == 1 {
                "/".to_string()
            } else {
                format!("/page/{n}/")
            };
            nav.contains(&format!("href=\"{url}\""))
        })
        .collect();
    assert_eq!(linked, [1, 8, 9, 10, 11, 12, 20], "{nav}");
    assert_eq!(nav.matches("pagination-gap").count(), 2, "{nav}");
}

#[test]
fn every_internal_link_works_under_a_sub_path() {
    let site = fixture("https://example.org/briefs/", &two_briefings());
    site.build().unwrap();
    let public = site.path("public");
    for (path, bytes) in tree(&public) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for href in dossier::check::links_in(&html) {
            if href.contains("://")
                || href.starts_with('#')
                || href.starts_with("mailto:")
                || href.starts_with("data:")
            {
                continue;
            }
            assert!(
                href.starts_with("/briefs/"),
                "{path}: link {href} ignores the sub-path"
            );
            let clean = href.split(['#', '?']).next().unwrap();
            let rel = clean.strip_prefix("/briefs/").unwrap();
            let target = if rel.is_empty() || rel.ends_with('/') {
                public.join(rel).join("index.html")
            } else {
                public.join(rel)
            };
            assert!(target.exists(), "{path}: link {href} points at nothing");
        }
    }
}

#[test]
fn base_url_flag_overrides_the_config() {
    let site = fixture("https://example.org/", &two_briefings());
    site.build_with(BuildOptions {
        base_url: Some("https://other.example/sub".into()),
        ..BuildOptions::default()
    })
    .unwrap();
    let index = site.read("public/index.html");
    assert!(index.contains("/sub/briefings/newer/"), "{index}");
    assert!(
        site.read("public/sitemap.xml")
            .contains("https://other.example/sub/briefings/newer/")
    );
}

#[test]
fn a_site_template_overrides_the_embedded_one() {
    let site = fixture("https://example.org/", &two_briefings());
    site.write(
        "templates/404.html",
        "<!doctype html><html><body>Custom not found for {{ site.title }}</body></html>",
    );
    site.build().unwrap();
    assert_eq!(
        site.read("public/404.html"),
        "<!doctype html><html><body>Custom not found for Test Briefings</body></html>"
    );
    // the other templates still come from the embedded theme
    assert!(site.read("public/index.html").contains("Newer talks"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let mut files = two_briefings();
    files.push((
        "content/wip.md",
        "+++\ntitle = \"Work in progress\"\ndate = 2026-11-27\ndraft = true\n+++\nNot yet.\n"
            .into(),
    ));
    let site = fixture("https://example.org/", &files);
    site.build().unwrap();
    assert!(!site.exists("public/briefings/wip/index.html"));
    site.build_with(BuildOptions {
        drafts: true,
        ..BuildOptions::default()
    })
    .unwrap();
    assert!(site.exists("public/briefings/wip/index.html"));
    // and back: the draft's page is removed as stale
    site.build().unwrap();
    assert!(!site.exists("public/briefings/wip/index.html"));
}

#[test]
fn slug_clash_names_both_files() {
    let mut files = two_briefings();
    files.push((
        "content/other/2026-11-21-older.md",
        briefing("Another older", "2026-11-21", "Text."),
    ));
    let site = fixture("https://example.org/", &files);
    let err = site.build().unwrap_err().to_string();
    assert!(
        err.contains("content/2026-11-20-older.md")
            && err.contains("content/other/2026-11-21-older.md"),
        "{err}"
    );
    assert!(err.contains("slug"), "{err}");
}

#[test]
fn seed_wire_story_title_and_dateline() {
    let site = Fixture::site("https://example.org/", &[]);
    site.write("content/2026-11-26-seed.txt", &seed());
    site.build().unwrap();
    let page = site.read("public/briefings/seed/index.html");
    assert!(
        page.contains("Turkey has held talks with Hamas on moving forward with the second phase of the Gaza ceasefire deal</h1>"),
        "title not found as the headline"
    );
    assert!(page.contains("Ankara"), "dateline missing");
    let (article, _) =
        dossier::content::parse_briefing("content/2026-11-26-seed.txt", seed()).unwrap();
    assert_eq!(
        article.title,
        "Turkey has held talks with Hamas on moving forward with the second phase of the Gaza ceasefire deal"
    );
    assert_eq!(article.dateline.as_deref(), Some("Ankara"));
    assert_eq!(article.date, chrono::NaiveDate::from_ymd_opt(2026, 11, 26));
}

#[test]
fn wire_headline_is_the_title_and_not_repeated() {
    let site = Fixture::site("https://example.org/", &[]);
    site.write("content/2026-11-19-qatar.txt", "QATAR, EGYPT PRESS FOR SECOND PHASE\n\nDOHA, Nov 19 (Agency) - Mediators met on Wednesday.\n");
    site.build().unwrap();
    let page = site.read("public/briefings/qatar/index.html");
    assert!(
        page.contains("QATAR, EGYPT PRESS FOR SECOND PHASE</h1>"),
        "headline is not the title"
    );
    assert!(
        !page.contains("<p>QATAR, EGYPT"),
        "headline repeated in the body"
    );
    assert_eq!(page.matches("Mediators met on Wednesday.").count(), 1);
}

#[test]
fn an_empty_site_builds_a_valid_empty_index() {
    let site = Fixture::site("https://example.org/", &[]);
    std::fs::create_dir_all(site.path("content")).unwrap();
    let report = site.build().unwrap();
    assert_eq!(report.briefings, 0);
    let index = site.read("public/index.html");
    assert!(index.contains("</html>"));
}

#[test]
fn a_clean_and_an_incremental_build_write_the_same_bytes() {
    let site = fixture("https://example.org/", &two_briefings());
    let mut incremental = Site::new(site.root(), BuildOptions::default());
    incremental.build().unwrap();
    site.write(
        "content/2026-11-26-newer.md",
        &briefing("Newer talks, updated", "2026-11-26", "Qatar urged calm."),
    );
    let report = incremental.build().unwrap();
    assert!(report.write.written >= 1);
    let clean = Site::new(
        site.root(),
        BuildOptions {
            output_dir: Some("clean".into()),
            ..BuildOptions::default()
        },
    )
    .build();
    clean.unwrap();
    assert_eq!(tree(&site.path("public")), tree(&site.path("clean")));
}

#[test]
fn a_second_build_writes_nothing() {
    let site = fixture("https://example.org/", &two_briefings());
    site.build().unwrap();
    let report = site.build().unwrap();
    assert_eq!(report.write.written, 0, "{report}");
}

// ---- bad input: a clear error, and nothing lost in the output dir ----

/// Builds a good site, breaks it with `file`, and checks that the build fails with
/// a message containing every `expected` fragment while the output stays as it was.
fn fails_cleanly(file: (&str, &[u8]), expected: &[&str]) {
    let site = fixture("https://example.org/", &two_briefings());
    site.build().unwrap();
    let before = tree(&site.path("public"));
    let path = site.path(file.0);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, file.1).unwrap();
    let err = site.build().expect_err("the build should fail").to_string();
    for fragment in expected {
        assert!(err.contains(fragment), "{fragment:?} not in:\n{err}");
    }
    assert_eq!(
        before,
        tree(&site.path("public")),
        "the output changed after a failed build"
    );
    // The same through the one-shot build of `dossier build`.
    let err = Site::new(site.root(), BuildOptions::default())
        .build_once()
        .expect_err("the one-shot build should fail")
        .to_string();
    for fragment in expected {
        assert!(err.contains(fragment), "{fragment:?} not in:\n{err}");
    }
    assert_eq!(
        before,
        tree(&site.path("public")),
        "the output changed after a failed one-shot build"
    );
}

/// Every folder below `dir`, relative and sorted.
fn folders(dir: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_one_shot_build_writes_what_a_memoised_build_writes() {
    let mut files = two_briefings();
    files.push(("content/2026-11-27-seed.txt", seed()));
    let site = fixture("https://example.org/", &files);
    site.build().unwrap();
    let memoised = tree(&site.path("public"));
    let once = site.path("once");
    let build_once = || {
        Site::new(
            site.root(),
            BuildOptions {
                output_dir: Some(once.clone()),
                ..BuildOptions::default()
            },
        )
        .build_once()
        .unwrap()
    };
    let report = build_once();
    assert_eq!(
        report.files,
        memoised.len() - 1,
        "the manifest is not a page"
    );
    assert_eq!(report.write.written, report.files);
    assert_eq!(memoised, tree(&once));
    // Built again over its own output, nothing is written.
    let again = build_once();
    assert_eq!(
        (again.write.written, again.write.unchanged),
        (0, report.files)
    );
}

/// More briefings than one render batch holds, so whole batches are staged
/// before a page that fails last of all.
fn more_than_a_batch(site: &Fixture) {
    for n in 0..dossier::render::BATCH + 20 {
        site.write(
            &format!("content/2026-10-01-note-{n}.md"),
            &briefing(&format!("Note {n}"), "2026-10-01", "Turkey met Hamas."),
        );
    }
}

#[test]
fn a_failed_one_shot_build_removes_what_it_staged() {
    let site = fixture("https://example.org/", &two_briefings());
    more_than_a_batch(&site);
    site.build().unwrap();
    let (files_before, folders_before) =
        (tree(&site.path("public")), folders(&site.path("public")));
    // A new briefing (a new folder to stage into) and a template that fails
    // last of all, after every other page was staged.
    site.write(
        "content/2026-11-28-third.md",
        &briefing("Third talks", "2026-11-28", "Egypt met Qatar."),
    );
    site.write(
        "templates/404.html",
        "<html><body>{{ nothing.here }}</body></html>\n",
    );
    let err = Site::new(site.root(), BuildOptions::default())
        .build_once()
        .expect_err("the build should fail")
        .to_string();
    assert!(err.contains("templates/404.html:1:"), "{err}");
    assert_eq!(files_before, tree(&site.path("public")), "files changed");
    assert_eq!(
        folders_before,
        folders(&site.path("public")),
        "folders changed"
    );
}

#[test]
fn a_failed_first_build_leaves_the_empty_output_folder_empty() {
    // The first build stages the whole site as one tree inside the output
    // folder; failing after whole batches were staged, it removes the tree.
    let site = fixture("https://example.org/", &two_briefings());
    more_than_a_batch(&site);
    site.write(
        "templates/404.html",
        "<html><body>{{ nothing.here }}</body></html>\n",
    );
    std::fs::create_dir_all(site.path("public")).unwrap();
    let err = Site::new(site.root(), BuildOptions::default())
        .build_once()
        .expect_err("the build should fail")
        .to_string();
    assert!(err.contains("templates/404.html:1:"), "{err}");
    assert_eq!(folders(&site.path("public")), [""], "something was left");
}

#[test]
fn malformed_front_matter_names_line_and_column() {
    fails_cleanly(
        (
            "content/bad.md",
            b"+++\ntitle = \"x\"\ndate = 2026-13-45\n+++\nBody\n",
        ),
        &["content/bad.md:3:"],
    );
}

#[test]
fn yaml_front_matter_says_to_use_toml() {
    fails_cleanly(
        ("content/yaml.md", b"---\ntitle: x\n---\nBody\n"),
        &["content/yaml.md:1:1", "YAML", "+++"],
    );
}

#[test]
fn unterminated_front_matter_is_reported() {
    fails_cleanly(
        (
            "content/open.md",
            b"+++\ntitle = \"x\"\nBody without a closing fence\n",
        ),
        &["content/open.md:1:1", "never closed"],
    );
}

#[test]
fn invalid_utf8_names_the_file() {
    fails_cleanly(
        ("content/latin1.md", b"Caf\xe9 au lait\n"),
        &["content/latin1.md:1:4", "UTF-8"],
    );
}

#[test]
fn tera_syntax_error_names_template_and_line() {
    fails_cleanly(
        (
            "templates/404.html",
            b"<html>\n<body>\n{% if %}\n</body></html>\n",
        ),
        &["templates/404.html:3:"],
    );
}

#[test]
fn unknown_template_variable_names_template_and_line() {
    fails_cleanly(
        (
            "templates/404.html",
            b"<html>\n<body>{{ nothing.here }}</body></html>\n",
        ),
        &["templates/404.html:2:"],
    );
}

#[test]
fn unknown_config_key_is_an_error() {
    fails_cleanly(
        (
            "site.toml",
            b"base_url = \"https://example.org/\"\ntitel = \"x\"\n",
        ),
        &["site.toml:2:1", "titel"],
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_reported() {
    let site = fixture("https://example.org/", &two_briefings());
    site.build().unwrap();
    let before = tree(&site.path("public"));
    std::os::unix::fs::symlink(
        site.path("content/missing-target.md"),
        site.path("content/dangling.md"),
    )
    .unwrap();
    let err = site.build().unwrap_err().to_string();
    assert!(err.contains("content/dangling.md"), "{err}");
    assert_eq!(before, tree(&site.path("public")));
}

#[test]
fn a_missing_content_folder_is_reported() {
    let site = Fixture::site("https://example.org/", &[]);
    let err = site.build().unwrap_err().to_string();
    assert!(
        err.contains("no content folder") && err.contains("create content/"),
        "{err}"
    );
}

#[test]
fn a_missing_site_toml_is_reported() {
    let site = Fixture::new(&[("content/a.md", "Body")]);
    let err = site.build().unwrap_err().to_string();
    assert!(
        err.contains("no site.toml") && err.contains("dossier init"),
        "{err}"
    );
}

#[test]
fn output_dir_that_contains_the_content_is_refused() {
    let site = fixture("https://example.org/", &two_briefings());
    let err = site
        .build_with(BuildOptions {
            output_dir: Some(".".into()),
            ..BuildOptions::default()
        })
        .unwrap_err()
        .to_string();
    assert!(err.contains("output_dir"), "{err}");
    let err = site
        .build_with(BuildOptions {
            output_dir: Some("../outside".into()),
            ..BuildOptions::default()
        })
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("outside the site") && err.contains("--force"),
        "{err}"
    );
}

#[test]
fn files_in_the_output_that_dossier_did_not_write_are_kept() {
    let site = fixture("https://example.org/", &two_briefings());
    site.build().unwrap();
    site.write("public/CNAME", "example.org");
    std::fs::remove_file(site.path("content/2026-11-20-older.md")).unwrap();
    site.build().unwrap();
    assert!(
        !site.exists("public/briefings/older/index.html"),
        "stale page kept"
    );
    assert_eq!(site.read("public/CNAME"), "example.org");
}
