//! Property tests over whole builds: any generated site renders to well-formed
//! HTML (no parse errors from an HTML5 parser), valid Atom and valid JSON.

mod common;

use common::{Fixture, tree};
use proptest::prelude::*;

/// Text with the characters that break markup when escaping is missed.
fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("Turkey".to_string()),
            Just("Hamas".to_string()),
            Just("Gaza".to_string()),
            Just("Foreign Minister Hakan Fidan".to_string()),
            Just("said".to_string()),
            Just("<b>".to_string()),
            Just("</div>".to_string()),
            Just("&amp;".to_string()),
            Just("\"'".to_string()),
            Just("*".to_string()),
            Just("`".to_string()),
            Just("[link](https://example.org)".to_string()),
            Just("\n\n".to_string()),
            Just("\n- ".to_string()),
            Just("\n# ".to_string()),
            Just("|".to_string()),
            Just(".".to_string()),
            "[a-zA-Zé ]{1,12}",
        ],
        1..40,
    )
    .prop_map(|words| words.join(" "))
}

fn toml_string(s: &str) -> String {
    format!("{s:?}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_site_renders_well_formed_pages(
        briefings in prop::collection::vec((hostile_text(), hostile_text(), 1u32..28, any::<bool>()), 1..5)
    ) {
        let site = Fixture::site("https://example.org/sub/", &[]);
        for (i, (title, body, day, wire)) in briefings.iter().enumerate() {
            if *wire {
                site.write(&format!("content/2026-11-{day:02}-w{i}.txt"), &format!("{}\n\n{}\n", title.replace('\n', " "), body));
            } else {
                site.write(
                    &format!("content/b{i}.md"),
                    &format!("+++\ntitle = {}\ndate = 2026-11-{day:02}\n+++\n{}\n", toml_string(title), body),
                );
            }
        }
        site.build().expect("build");
        for (path, bytes) in tree(&site.path("public")) {
            let text = String::from_utf8(bytes).expect("UTF-8 output");
            if path.ends_with(".html") {
                let doc = scraper::Html::parse_document(&text);
                prop_assert!(doc.errors.is_empty(), "{}: {:?}", path, doc.errors);
            } else if path.ends_with("atom.xml") {
                prop_assert!(feed_rs::parser::parse(text.as_bytes()).is_ok(), "{} is not a valid feed", path);
            } else if path.ends_with(".json") {
                prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok(), "{} is not JSON", path);
            }
        }
    }
}

#[test]
fn the_well_formedness_check_can_fail() {
    let doc =
        scraper::Html::parse_document("<!doctype html><html><body><p><div></span></body></html>");
    assert!(!doc.errors.is_empty());
}
