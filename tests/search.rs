//! The search index end to end: the files `dossier build` writes under search/,
//! read back with a small decoder of the documented format, and the search page's
//! script querying them in a real browser.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::browser::{Session, eval, wait_for};
use common::{Fixture, briefing, seed};
use dossier::site::{BuildOptions, Site};
use serde_json::Value;

const HOSTILE_TITLE: &str = "</script><img src=x onerror=alert(1)>";

/// A site with search on: the seed wire story (which mentions Turkey) and a few
/// Markdown briefings with words chosen for the tests.
fn search_site() -> Fixture {
    let site = Fixture::new(&[]);
    site.write(
        "site.toml",
        "title = \"Search Test\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n",
    );
    site.write("content/2026-11-26-turkey-hamas-talks.txt", &seed());
    site.write(
        "content/2026-11-20-erdogan-hosts.md",
        &briefing(
            "Erdoğan hosts the negotiators",
            "2026-11-20",
            "President Erdoğan met the negotiators in Ankara. Turkey said the negotiations \
             would go on, and served marmalade and more marmalade.",
        ),
    );
    site.write(
        "content/2026-11-10-marmalade-week.md",
        &briefing(
            "Marmalade week",
            "2026-11-10",
            "Nothing of note: the crossings stayed closed and the quiet went on.",
        ),
    );
    site.write(
        "content/2026-11-01-hostile.md",
        &briefing(
            HOSTILE_TITLE,
            "2026-11-01",
            "A hostile title &amp; <b>markup</b> in the text.",
        ),
    );
    site
}

/// The index of a built site, read back as the format in docs/output.md says.
struct Index {
    dir: std::path::PathBuf,
    meta: Value,
}

impl Index {
    fn open(site: &Fixture) -> Index {
        let dir = site.path("public/search");
        let meta = read_json(&dir.join("meta.json"));
        Index { dir, meta }
    }

    fn file(&self, rel: &str) -> Value {
        read_json(&self.dir.join(rel))
    }

    /// Every briefing's `[url, title, date, dateline, excerpt]`, by doc id.
    fn docs(&self) -> Vec<Vec<String>> {
        let n = self.meta["docs"].as_u64().expect("docs") as usize;
        let chunk = self.meta["chunk"].as_u64().expect("chunk") as usize;
        let mut docs = Vec::new();
        for c in 0..n.div_ceil(chunk) {
            for doc in self
                .file(&format!("docs/{c}.json"))
                .as_array()
                .expect("array")
            {
                docs.push(
                    doc.as_array()
                        .expect("entry")
                        .iter()
                        .map(|v| v.as_str().expect("string").to_string())
                        .collect(),
                );
            }
        }
        assert_eq!(docs.len(), n);
        docs
    }

    /// The doc id of the briefing with this URL (relative to the base).
    fn id_of(&self, url: &str) -> u64 {
        self.docs()
            .iter()
            .position(|d| d[0] == url)
            .unwrap_or_else(|| panic!("{url} is not in the index")) as u64
    }

    /// The term shard that holds `term`, as a map term -> postings.
    fn shard_of(&self, term: &str) -> BTreeMap<String, Vec<u64>> {
        let key: String = term
            .chars()
            .take(2)
            .collect::<String>()
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect();
        let shards: Vec<&str> = self.meta["shards"]
            .as_array()
            .expect("shards")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if !shards.contains(&key.as_str()) {
            return BTreeMap::new();
        }
        serde_json::from_value(self.file(&format!("terms/{key}.json"))).expect("shard")
    }

    /// `(doc id, in the title, tf capped at 7)` for every briefing with `term`.
    fn postings(&self, term: &str) -> Vec<(u64, bool, u64)> {
        let mut doc = 0;
        self.shard_of(term)
            .get(term)
            .map(|list| {
                list.iter()
                    .map(|p| {
                        doc += p / 16;
                        (doc, p % 16 >= 8, p % 8)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The doc ids filed under `value` in `facet`.
    fn facet(&self, facet: &str, value: &str) -> Vec<u64> {
        let file: BTreeMap<String, Vec<u64>> =
            serde_json::from_value(self.file(&format!("filter/{facet}.json"))).expect("facet");
        let mut doc = 0;
        file.get(value)
            .map(|gaps| {
                gaps.iter()
                    .map(|g| {
                        doc += g;
                        doc
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

#[test]
fn meta_describes_the_files_written() {
    let site = search_site();
    site.build().unwrap();
    let index = Index::open(&site);
    let meta = &index.meta;
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["docs"], 4);
    assert_eq!(
        meta["facets"],
        serde_json::json!(["actor", "kind", "place"])
    );
    let hash = meta["hash"].as_str().expect("hash");
    assert!(
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{hash}"
    );
    // The shard list is exactly the files in terms/, sorted.
    let listed: Vec<String> = serde_json::from_value(meta["shards"].clone()).expect("shards");
    let mut files: Vec<String> = std::fs::read_dir(site.path("public/search/terms"))
        .expect("terms/")
        .filter_map(|e| e.ok())
        .map(|e| {
            e.file_name()
                .to_string_lossy()
                .trim_end_matches(".json")
                .to_string()
        })
        .collect();
    files.sort();
    assert_eq!(listed, files);
    // The search page itself is still there, next to the index.
    assert!(site.exists("public/search/index.html"));
    // Newest first: doc ids follow the dates.
    let dates: Vec<String> = index.docs().iter().map(|d| d[2].clone()).collect();
    assert_eq!(
        dates,
        [
            "26 November 2026",
            "20 November 2026",
            "10 November 2026",
            "1 November 2026"
        ]
    );
}

#[test]
fn a_word_maps_to_exactly_its_briefings() {
    let site = search_site();
    site.build().unwrap();
    let index = Index::open(&site);
    let erdogan = index.id_of("briefings/erdogan-hosts/");
    let week = index.id_of("briefings/marmalade-week/");
    // Twice in one body; once in the other's title (and not in its body).
    assert_eq!(
        index.postings("marmalade"),
        [(erdogan, false, 2), (week, true, 0)]
    );
    // Accents fold away, in the title and in the body.
    assert_eq!(index.postings("erdogan"), [(erdogan, true, 1)]);
    assert!(index.postings("erdoğan").is_empty());
    // Stop words and one-letter words are not indexed.
    assert!(index.postings("the").is_empty());
    assert!(index.shard_of("a").is_empty());
}

#[test]
fn a_prefix_shard_holds_every_term_with_that_prefix() {
    let site = search_site();
    site.build().unwrap();
    let index = Index::open(&site);
    let shard = index.shard_of("negotiators");
    assert!(shard.keys().all(|t| t.starts_with("ne")), "{shard:?}");
    let negot: Vec<&str> = shard
        .keys()
        .filter(|t| t.starts_with("negot"))
        .map(String::as_str)
        .collect();
    assert!(
        negot.contains(&"negotiators") && negot.contains(&"negotiations"),
        "{negot:?}"
    );
    // Terms are in byte order, so the script may scan them in order.
    let keys: Vec<&String> = shard.keys().collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn the_actor_facet_lists_exactly_the_briefings_mentioning_the_actor() {
    let site = search_site();
    site.build().unwrap();
    let index = Index::open(&site);
    let docs = index.docs();
    let turkey: BTreeSet<&str> = index
        .facet("actor", "Turkey")
        .iter()
        .map(|&id| docs[id as usize][0].as_str())
        .collect();
    assert_eq!(
        turkey,
        BTreeSet::from(["briefings/erdogan-hosts/", "briefings/turkey-hamas-talks/"])
    );
    // Kinds and places are filed the same way.
    assert!(
        index
            .facet("kind", "State")
            .contains(&index.id_of("briefings/turkey-hamas-talks/"))
    );
    assert!(
        index
            .facet("place", "Ankara")
            .contains(&index.id_of("briefings/erdogan-hosts/"))
    );
    assert!(index.facet("actor", "Nobody").is_empty());
}

#[test]
fn hostile_titles_are_escaped_in_the_json() {
    let site = search_site();
    site.build().unwrap();
    for entry in walkdir::WalkDir::new(site.path("public/search")) {
        let entry = entry.expect("walk");
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(path).expect("read");
            assert!(
                !text.contains(['<', '>', '&']),
                "{path:?} carries raw markup characters"
            );
        }
    }
    let index = Index::open(&site);
    let docs = index.docs();
    let hostile = docs
        .iter()
        .find(|d| d[0] == "briefings/hostile/")
        .expect("hostile briefing");
    assert_eq!(hostile[1], HOSTILE_TITLE, "the title survives the escaping");
}

/// The search/ pages of one render, by path.
fn search_files(site: &mut Site) -> BTreeMap<String, Vec<u8>> {
    site.render()
        .unwrap_or_else(|e| panic!("{e}"))
        .built
        .pages
        .into_iter()
        .filter(|p| p.path.starts_with("search/") && p.path.ends_with(".json"))
        .map(|p| (p.path, p.bytes.to_vec()))
        .collect()
}

#[test]
fn an_incremental_rebuild_gives_the_bytes_of_a_fresh_one() {
    let fixture = search_site();
    let mut site = Site::new(fixture.root(), BuildOptions::default());
    let before = search_files(&mut site);

    // One briefing changed, one added, one removed.
    fixture.write(
        "content/2026-11-10-marmalade-week.md",
        &briefing(
            "Marmalade week",
            "2026-11-10",
            "The crossings reopened; negotiators brought apricot jam.",
        ),
    );
    fixture.write(
        "content/2026-11-27-late.md",
        &briefing("A late note", "2026-11-27", "Qatar and Egypt met in Doha."),
    );
    std::fs::remove_file(fixture.path("content/2026-11-01-hostile.md")).expect("remove");
    let incremental = search_files(&mut site);
    let fresh = search_files(&mut Site::new(fixture.root(), BuildOptions::default()));
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &fresh {
        assert!(
            incremental[path] == *bytes,
            "{path} differs from a fresh build"
        );
    }
    assert_ne!(before["search/meta.json"], fresh["search/meta.json"]);

    // An unchanged rebuild changes nothing.
    assert_eq!(search_files(&mut site), fresh);
}

#[test]
fn successive_edits_keep_the_index_as_a_fresh_build_makes_it() {
    // Each rebuild patches the term lists the one before patched: a word
    // comes, moves to another briefing, goes, and comes back.
    let fixture = search_site();
    let mut site = Site::new(fixture.root(), BuildOptions::default());
    search_files(&mut site);
    let marmalade = "content/2026-11-10-marmalade-week.md";
    let erdogan = "content/2026-11-20-erdogan-hosts.md";
    let steps: [(&str, &str); 4] = [
        (
            marmalade,
            "The quince harvest came early; the crossings stayed closed.",
        ),
        (
            erdogan,
            "Turkey spoke of quince and quince again in Ankara.",
        ),
        (marmalade, "Nothing of note: the crossings stayed closed."),
        (erdogan, "President Erdoğan met the negotiators in Ankara."),
    ];
    for (step, (path, body)) in steps.into_iter().enumerate() {
        let title = if path == marmalade {
            "Marmalade week"
        } else {
            "Erdoğan hosts the negotiators"
        };
        let date = &path["content/".len().."content/".len() + 10];
        fixture.write(path, &briefing(title, date, body));
        let incremental = search_files(&mut site);
        let fresh = search_files(&mut Site::new(fixture.root(), BuildOptions::default()));
        assert_eq!(
            incremental.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>(),
            "step {step}: the files differ"
        );
        for (file, bytes) in &fresh {
            assert!(
                incremental[file] == *bytes,
                "step {step}: {file} differs from a fresh build"
            );
        }
        // The word is in the index while a briefing has it.
        let indexed = incremental.iter().any(|(file, bytes)| {
            file.starts_with("search/terms/") && contains(bytes, b"\"quince\"")
        });
        assert_eq!(indexed, step < 3, "step {step}: is \"quince\" indexed?");
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_search_page_finds_words_prefixes_and_filters_in_a_browser() {
    let site = search_site();
    let session = Session::start(site.root());
    let (server, tab) = (&session.server, &session.tab);
    // Arrays come back from the page as JSON text.
    let json = |expression: &str| -> Value {
        let text = eval(tab, &format!("JSON.stringify({expression})")).expect("value");
        serde_json::from_str(text.as_str().expect("JSON text")).expect("JSON")
    };
    let results = "Array.from(document.querySelectorAll('#search-results .result-title a')).map(a => new URL(a.href).pathname)";
    let open = |query: &str| {
        tab.navigate_to(&format!("{}search/?{query}", server.url()))
            .expect("open search");
        tab.wait_until_navigated().expect("search page");
        wait_for(
            tab,
            &format!("an answer to ?{query}"),
            "/found/.test(document.getElementById('search-status').textContent)",
        );
        json(results)
    };

    // Without accents, and the last word as a prefix; the title hit ranks first.
    assert_eq!(
        open("q=erdogan+negot"),
        serde_json::json!(["/briefings/erdogan-hosts/"])
    );
    let marked = json(
        "Array.from(document.querySelectorAll('.result-excerpt mark')).map(m => m.textContent)",
    );
    assert!(
        marked
            .as_array()
            .is_some_and(|m| m.contains(&"Erdoğan".into()) && m.contains(&"negotiators".into())),
        "{marked}"
    );
    assert_eq!(
        open("q=marmalade"),
        serde_json::json!(["/briefings/marmalade-week/", "/briefings/erdogan-hosts/"])
    );
    // Every word must match.
    assert_eq!(
        open("q=marmalade+crossings"),
        serde_json::json!(["/briefings/marmalade-week/"])
    );
    assert_eq!(open("q=marmalade+zanzibar"), serde_json::json!([]));
    // A filter alone: every briefing mentioning the actor, newest first.
    assert_eq!(
        open("actor=Turkey"),
        serde_json::json!([
            "/briefings/turkey-hamas-talks/",
            "/briefings/erdogan-hosts/"
        ])
    );
    assert_eq!(
        open("q=marmalade&actor=Turkey"),
        serde_json::json!(["/briefings/erdogan-hosts/"])
    );
    // The hostile title is text, not markup.
    open("q=hostile");
    let title = eval(
        tab,
        "document.querySelector('#search-results .result-title a').textContent",
    )
    .expect("title");
    assert_eq!(title, serde_json::json!(HOSTILE_TITLE));
    let injected = eval(
        tab,
        "document.querySelectorAll('#search-results img').length",
    )
    .expect("images");
    assert_eq!(injected, serde_json::json!(0));

    session.close();
}
