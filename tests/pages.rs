//! The briefing site itself: actor and place pages, cross-links, feeds, sitemap,
//! graph export, JSON-LD, and link integrity — on the seed story and on hostile names.

mod common;

use common::{Fixture, briefing, seed, tree};
use dossier::site::{BuildOptions, Site};

/// A fixture site with the seed wire story, as a user would drop it in.
fn seed_site(base_url: &str) -> Fixture {
    let site = Fixture::site(base_url, &[]);
    site.write("content/2026-11-26-turkey-hamas-talks.txt", &seed());
    site
}

fn dir_names(site: &Fixture, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.path(dir))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn seed_gives_pages_for_exactly_its_actors_and_places() {
    let site = seed_site("https://example.org/");
    site.build().unwrap();
    assert_eq!(
        dir_names(&site, "public/actors"),
        [
            "egypt",
            "hakan-fidan",
            "hamas",
            "israel",
            "qatar",
            "turkey",
            "united-states"
        ]
    );
    assert_eq!(dir_names(&site, "public/places"), ["ankara", "gaza"]);
}

#[test]
fn person_page_shows_role_and_affiliation_and_links_to_the_state() {
    let site = seed_site("https://example.org/");
    site.build().unwrap();
    let fidan = site.read("public/actors/hakan-fidan/index.html");
    assert!(fidan.contains("Foreign Minister"), "role missing");
    assert!(
        fidan.contains("href=\"/actors/turkey/\""),
        "no link to Turkey"
    );
    let turkey = site.read("public/actors/turkey/index.html");
    assert!(
        turkey.contains("continue engaging with regional and international partners"),
        "Turkey's statement missing"
    );
    assert!(turkey.contains("held talks with"), "talks relation missing");
    assert!(
        turkey.contains("href=\"/actors/hamas/\""),
        "no link to Hamas"
    );
    assert!(turkey.contains("<svg"), "no network picture");
}

#[test]
fn briefing_page_links_mentions_and_anchors_statements() {
    let site = seed_site("https://example.org/");
    site.build().unwrap();
    let page = site.read("public/briefings/turkey-hamas-talks/index.html");
    assert!(
        page.contains("class=\"mention mention-state\" href=\"/actors/turkey/\""),
        "Turkey not linked"
    );
    assert!(
        page.contains("href=\"/actors/hakan-fidan/\""),
        "Fidan not linked"
    );
    assert!(page.contains("href=\"/places/gaza/\""), "Gaza not linked");
    // every statement anchor the actor pages link to exists in the briefing
    let turkey = site.read("public/actors/turkey/index.html");
    for href in dossier::check::links_in(&turkey) {
        if let Some(anchor) = href.strip_prefix("/briefings/turkey-hamas-talks/#") {
            assert!(
                page.contains(&format!("id=\"{anchor}\"")),
                "anchor {anchor} missing"
            );
        }
    }
}

#[test]
fn feeds_parse_and_name_the_briefings() {
    let site = seed_site("https://example.org/");
    site.build().unwrap();
    let feed =
        feed_rs::parser::parse(site.read("public/atom.xml").as_bytes()).expect("site feed parses");
    assert_eq!(feed.entries.len(), 1);
    assert!(
        feed.entries[0]
            .title
            .as_ref()
            .unwrap()
            .content
            .starts_with("Turkey has held talks")
    );
    let actor_feed = feed_rs::parser::parse(site.read("public/actors/hamas/atom.xml").as_bytes())
        .expect("actor feed parses");
    assert_eq!(actor_feed.entries.len(), 1);
    assert_eq!(
        actor_feed.entries[0].links[0].href,
        "https://example.org/briefings/turkey-hamas-talks/"
    );
    let page = site.read("public/actors/hamas/index.html");
    assert!(
        page.contains("rel=\"alternate\"") && page.contains("/actors/hamas/atom.xml"),
        "no feed link"
    );
}

#[test]
fn sitemap_robots_graph_and_json_ld() {
    let site = seed_site("https://example.org/briefs/");
    site.build().unwrap();
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/briefs/actors/turkey/</loc>"),
        "{sitemap}"
    );
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://example.org/briefs/sitemap.xml")
    );

    let graph: serde_json::Value = serde_json::from_str(&site.read("public/graph.json")).unwrap();
    assert_eq!(graph["version"], 2);
    let actors: Vec<&str> = graph["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(actors.contains(&"turkey") && actors.contains(&"hamas"));
    let text = seed();
    let talks = graph["briefings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["slug"] == "turkey-hamas-talks")
        .expect("the seed briefing is in graph.json");
    let span = |row: &serde_json::Value| -> String {
        let (start, end) = (row[2].as_u64().unwrap(), row[3].as_u64().unwrap());
        text[start as usize..end as usize].to_string()
    };
    let mentions = talks["mentions"].as_array().unwrap();
    assert!(!mentions.is_empty());
    for row in mentions {
        let (kind, id) = (row[0].as_str().unwrap(), row[1].as_str().unwrap());
        assert!(kind == "actor" || kind == "place", "{row}");
        assert!(!span(row).trim().is_empty(), "{row}");
        if kind == "actor" {
            assert!(actors.contains(&id), "{id} is not an actor");
        }
    }
    assert!(
        mentions
            .iter()
            .any(|m| m[1] == "turkey" && span(m) == "Turkey"),
        "no mention of Turkey spans the word Turkey"
    );
    assert!(
        talks["relations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["source"] == "turkey" && r["target"] == "hamas")
    );
    assert!(
        talks["statements"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["actor"] == "turkey"))
    );

    let page = site.read("public/briefings/turkey-hamas-talks/index.html");
    let start = page.find("application/ld+json").expect("JSON-LD");
    let body_start = page[start..].find('>').unwrap() + start + 1;
    let body_end = page[body_start..].find("</script>").unwrap() + body_start;
    let ld: serde_json::Value =
        serde_json::from_str(&page[body_start..body_end]).expect("JSON-LD parses");
    assert_eq!(ld["@type"], "NewsArticle");
    let types: Vec<&str> = ld["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["@type"].as_str().unwrap())
        .collect();
    for expected in ["Country", "Organization", "Person", "Place"] {
        assert!(
            types.contains(&expected),
            "{expected} not in mentions: {types:?}"
        );
    }
    assert!(page.contains("property=\"og:title\""), "no Open Graph tags");
}

#[test]
fn no_dangling_links_in_a_sub_path_site() {
    let site = seed_site("https://example.org/briefs/");
    site.write(
        "content/2026-11-27-more.md",
        &briefing(
            "More",
            "2026-11-27",
            "Qatar and Egypt urged Israel and Hamas to keep the truce in Gaza.",
        ),
    );
    let mut s = Site::new(site.root(), BuildOptions::default());
    let rendered = s.render().unwrap();
    let dangling = dossier::check::dangling_links(&rendered.built);
    assert!(dangling.is_empty(), "{dangling:?}");
}

#[test]
fn hostile_actor_names_are_escaped_everywhere() {
    let site = Fixture::site("https://example.org/", &[]);
    site.write(
        "content/actors/evil.md",
        "+++\nname = \"<script>alert(1)</script> & \\\"Co\\\"\"\nkind = \"organisation\"\naliases = [\"Evil Corp\"]\n+++\nAn <img src=x onerror=alert(1)> intro.\n",
    );
    site.write(
        "content/2026-11-01-evil.md",
        &briefing(
            "</title><script>alert(2)</script>",
            "2026-11-01",
            "Evil Corp said it met Turkey.",
        ),
    );
    site.build().unwrap();
    for (path, bytes) in tree(&site.path("public")) {
        if path.ends_with(".js") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert"),
            "{path} carries an executable script"
        );
        assert!(
            !text.contains("onerror=alert"),
            "{path} carries an event handler"
        );
    }
    assert!(site.exists("public/actors/evil/index.html"));
}

#[test]
fn a_briefing_with_hundreds_of_actors_still_renders_with_a_capped_network() {
    let site = Fixture::site("https://example.org/", &[]);
    let mut body = String::new();
    let mut registry = Vec::new();
    for i in 0..300 {
        let name = format!("Group Number{i} Alliance");
        registry.push((
            format!("content/actors/group-number{i}-alliance.md"),
            format!(
                "+++\nname = \"{name}\"\nkind = \"organisation\"\naliases = [\"{name}\"]\n+++\n"
            ),
        ));
        body.push_str(&format!("{name} met Turkey. "));
    }
    for (p, t) in &registry {
        site.write(p, t);
    }
    site.write(
        "content/2026-11-01-crowd.md",
        &briefing("Crowd", "2026-11-01", &body),
    );
    site.build().unwrap();
    let turkey = site.read("public/actors/turkey/index.html");
    let svg_start = turkey.find("<svg class=\"network\"").expect("network");
    let svg = &turkey[svg_start..turkey[svg_start..].find("</svg>").unwrap() + svg_start];
    assert!(svg.matches("<circle").count() <= 13, "network not capped");
    assert!(
        site.read("public/briefings/crowd/index.html")
            .contains("</html>")
    );
}

#[test]
fn the_example_site_has_no_dangling_links_under_a_sub_path() {
    // The publishing recipes put the site under a path; every link must still work.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = BuildOptions {
        base_url: Some("https://example.org/briefings/".into()),
        ..BuildOptions::default()
    };
    let rendered = Site::new(root, options)
        .render()
        .expect("the example site builds");
    assert!(
        rendered.built.briefing.articles.len() >= 6,
        "example content missing"
    );
    assert!(
        rendered.built.briefing.actors.len() >= 10,
        "extraction found too few actors in the example"
    );
    let dangling = dossier::check::dangling_links(&rendered.built);
    assert!(dangling.is_empty(), "{dangling:?}");
    for page in rendered
        .built
        .pages
        .iter()
        .filter(|p| p.path.ends_with(".html"))
    {
        let html = String::from_utf8_lossy(&page.bytes);
        for href in dossier::check::links_in(&html) {
            if href.starts_with('/') {
                assert!(
                    href.starts_with("/briefings/"),
                    "{}: {href} ignores the sub-path",
                    page.path
                );
            }
        }
    }
}
