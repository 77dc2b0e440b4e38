//! The `dossier` binary as a user meets it: help, version, init, build summaries and
//! errors (exit code, one clear report, never a panic or a backtrace).

mod common;

use std::process::{Command, Output};

use common::{Fixture, briefing};

fn dossier(args: &[&str], dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run dossier")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_friendly_failure(out: &Output, expected: &[&str]) {
    let (stdout, stderr) = text(out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code\nstdout: {stdout}\nstderr: {stderr}"
    );
    for fragment in expected {
        assert!(stderr.contains(fragment), "{fragment:?} not in:\n{stderr}");
    }
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("stack backtrace"),
        "{stderr}"
    );
}

#[test]
fn help_and_version() {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier(&["--help"], dir.path());
    let (stdout, _) = text(&out);
    assert!(out.status.success());
    for command in ["init", "build", "serve", "check", "extract"] {
        assert!(stdout.contains(command), "{command} missing from --help");
    }
    let out = dossier(&["--version"], dir.path());
    assert!(text(&out).0.contains(env!("CARGO_PKG_VERSION")));
    for command in ["init", "build", "serve", "check", "extract"] {
        let out = dossier(&[command, "--help"], dir.path());
        assert!(out.status.success(), "{command} --help");
        assert!(text(&out).0.contains("Usage: dossier"), "{command} --help");
    }
}

#[test]
fn init_then_build_makes_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier(&["init", "my-briefings"], dir.path());
    assert!(out.status.success(), "{:?}", text(&out));
    let site = dir.path().join("my-briefings");
    assert!(site.join("site.toml").is_file());
    assert!(
        std::fs::read_dir(site.join("content/briefings"))
            .unwrap()
            .count()
            >= 1
    );
    assert!(
        !site.join("templates").exists(),
        "theme copied without --theme"
    );
    let out = dossier(&["build"], &site);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.starts_with("built 1 briefing"), "{stdout}");
    assert!(site.join("public/index.html").is_file());
}

#[test]
fn init_with_theme_copies_the_theme_and_refuses_a_full_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier(&["init", "themed", "--theme"], dir.path());
    assert!(out.status.success());
    assert!(dir.path().join("themed/templates/base.html").is_file());
    assert!(dir.path().join("themed/static/style.css").is_file());
    let out = dossier(&["init", "themed"], dir.path());
    assert_friendly_failure(&out, &["not empty"]);
}

#[test]
fn build_errors_are_reports_not_panics() {
    let site = Fixture::site(
        "https://example.org/",
        &[("content/bad.md", "+++\ntitle = = 1\n+++\n")],
    );
    let out = dossier(&["build"], site.root());
    assert_friendly_failure(&out, &["content/bad.md:2:", "what to do"]);

    let empty = tempfile::tempdir().unwrap();
    let out = dossier(&["build"], empty.path());
    assert_friendly_failure(&out, &["no site.toml", "dossier init"]);

    let site = Fixture::site(
        "https://example.org/",
        &[("content/a.md", &briefing("A", "2026-11-01", "Text."))],
    );
    let out = dossier(&["build", "--base-url", "not a url"], site.root());
    assert_friendly_failure(&out, &["--base-url", "absolute"]);
}

#[test]
fn extract_prints_one_json_object_per_file() {
    let site = Fixture::site(
        "https://example.org/",
        &[
            ("a.txt", "Ankara: Turkey held talks with Hamas.\n"),
            (
                "b.md",
                &briefing("B", "2026-11-02", "Qatar said it would help."),
            ),
        ],
    );
    let out = dossier(
        &["extract", "--format", "json", "a.txt", "b.md"],
        site.root(),
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    for (line, file) in lines.iter().zip(["a.txt", "b.md"]) {
        let value: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        assert_eq!(value["file"], file);
        for key in [
            "title",
            "date",
            "dateline",
            "actors",
            "places",
            "statements",
            "relations",
            "candidates",
        ] {
            assert!(value.get(key).is_some(), "{key} missing in {line}");
        }
    }
    let out = dossier(&["extract", "missing.txt"], site.root());
    assert_friendly_failure(&out, &["missing.txt"]);
}

#[test]
fn extract_names_a_file_that_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.txt"), b"Caf\xe9\n").unwrap();
    let out = dossier(&["extract", "latin1.txt"], dir.path());
    assert_friendly_failure(&out, &["latin1.txt:1:4", "UTF-8"]);
}

#[test]
fn check_reports_dangling_links_and_exits_non_zero() {
    let site = Fixture::site(
        "https://example.org/",
        &[("content/a.md", &briefing("A", "2026-11-01", "Text."))],
    );
    let out = dossier(&["check"], site.root());
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("no problems"), "{stdout}");

    site.write(
        "templates/404.html",
        "<html><body><a href=\"/nowhere/\">x</a></body></html>",
    );
    let out = dossier(&["check"], site.root());
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("404.html: link to /nowhere/ points at no page"),
        "{stdout}"
    );
    assert!(!site.exists("public"), "check wrote the site");
}

#[test]
fn extract_inside_a_site_uses_its_registry() {
    let site = Fixture::site(
        "https://example.org/",
        &[(
            "content/actors/harbour-council.md",
            "+++\nname = \"Harbour Council\"\nkind = \"organisation\"\naliases = [\"Harbour Council\"]\n+++\n",
        )],
    );
    site.write("note.txt", "Ankara: The Harbour Council met Turkey.\n");
    let out = dossier(&["extract", "--format", "json", "note.txt"], site.root());
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    let value: serde_json::Value = serde_json::from_str(stdout.trim()).expect("JSON");
    let ids: Vec<&str> = value["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"harbour-council"),
        "registry not used: {ids:?}"
    );
}
