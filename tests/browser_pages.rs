//! The example site in a real browser: from the index to a briefing, from a
//! mention to the actor's page with its network picture, and from there to a
//! search filtered by that actor.
//!
//! Needs Debian's Chromium at /usr/bin/chromium (`.ci/run` installs it). Saves a
//! screenshot of the actor page as target/actor-page.png for review.

mod common;

use common::browser::{Session, eval, wait_for};

/// Copies the example site (site.toml and content/) into a temp folder.
fn example_site() -> tempfile::TempDir {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).expect("site.toml");
    for entry in walkdir::WalkDir::new(repo.join("content")) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(repo).expect("inside");
        let target = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dir
}

#[test]
fn index_to_briefing_to_actor_to_search() {
    let site = example_site();
    let session = Session::start(site.path());
    let (server, tab) = (&session.server, &session.tab);

    // The index lists briefings; open the one about Fidan's talks with Hamas.
    tab.navigate_to(server.url()).expect("open index");
    tab.wait_until_navigated().expect("index loaded");
    wait_for(
        tab,
        "a briefing link on the index",
        "!!document.querySelector('a[href*=\"/briefings/fidan-hamas-ankara/\"]')",
    );
    tab.find_element("a[href*=\"/briefings/fidan-hamas-ankara/\"]")
        .expect("briefing link")
        .click()
        .expect("click briefing");
    wait_for(
        tab,
        "the briefing page",
        "location.pathname.endsWith('/briefings/fidan-hamas-ankara/')",
    );

    // A linked mention of Turkey in the text leads to Turkey's page.
    wait_for(
        tab,
        "a linked mention of Turkey",
        "!!document.querySelector('a.mention[href$=\"/actors/turkey/\"]')",
    );
    tab.find_element("a.mention[href$=\"/actors/turkey/\"]")
        .expect("mention")
        .click()
        .expect("click mention");
    wait_for(
        tab,
        "Turkey's page",
        "location.pathname.endsWith('/actors/turkey/')",
    );
    wait_for(
        tab,
        "the network picture",
        "!!document.querySelector('svg.network a[href$=\"/actors/hamas/\"]')",
    );
    let heading = eval(tab, "document.querySelector('h1').innerText").expect("heading");
    assert_eq!(heading, serde_json::json!("Turkey"));
    let png = tab
        .capture_screenshot(
            headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )
        .expect("screenshot");
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).expect("target dir");
    std::fs::write(target.join("actor-page.png"), png).expect("save screenshot");

    // "Search briefings mentioning Turkey": the search page, filtered by the actor.
    tab.find_element("a[href*=\"/search/?actor=\"]")
        .expect("search link")
        .click()
        .expect("click search");
    wait_for(
        tab,
        "the search page",
        "location.pathname.endsWith('/search/')",
    );
    wait_for(
        tab,
        "results filtered by Turkey that include the briefing",
        "!!document.querySelector('#search-results a[href*=\"/briefings/fidan-hamas-ankara/\"]')",
    );
    let results = eval(
        tab,
        "Array.from(document.querySelectorAll('#search-results a[href*=\"/briefings/\"]')).length",
    )
    .expect("count");
    let all = eval(tab, "document.querySelectorAll('.card, article').length").unwrap_or_default();
    assert!(results.as_u64().unwrap_or(0) >= 1, "no results ({all})");

    session.close();
}
