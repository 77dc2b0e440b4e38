//! The sample briefing in `../shared/seed/` must give exactly the actors,
//! places, statements and relations its issue lists.

use dossier::extract::{Extraction, Extractor, Input, Kind};

/// The seed lives beside the repository (`../shared/seed/`), read at run time so
/// that a checkout without it fails with a clear message rather than not compiling.
fn seed() -> &'static str {
    static SEED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SEED.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/seed/000_c23da46a5580ef9d.txt"
        );
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("the seed briefing {path}: {e}"))
    })
}

fn extract() -> Extraction {
    let ex = Extractor::new(&[]).expect("the built-in gazetteer loads");
    ex.extract(&Input {
        text: seed(),
        ..Input::default()
    })
}

#[test]
fn actors_are_exactly_the_expected_ones() {
    let out = extract();
    let mut actors: Vec<(&str, Kind)> =
        out.actors.iter().map(|a| (a.id.as_str(), a.kind)).collect();
    actors.sort();
    let mut expected = vec![
        ("turkey", Kind::State),
        ("hamas", Kind::ArmedGroup),
        ("israel", Kind::State),
        ("united-states", Kind::State),
        ("qatar", Kind::State),
        ("egypt", Kind::State),
        ("hakan-fidan", Kind::Person),
    ];
    expected.sort();
    assert_eq!(actors, expected);
    let fidan = out
        .actors
        .iter()
        .find(|a| a.id == "hakan-fidan")
        .expect("Fidan");
    assert_eq!(fidan.name, "Hakan Fidan");
    assert_eq!(fidan.role.as_deref(), Some("Foreign Minister"));
    assert_eq!(fidan.affiliation.as_deref(), Some("turkey"));
    assert_eq!(fidan.mentions[0].text, "Hakan Fidan");
}

#[test]
fn places_and_dateline() {
    let out = extract();
    let places: Vec<&str> = out.places.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(places, vec!["ankara", "gaza"]);
    let dateline = out.dateline.expect("a dateline");
    assert_eq!(dateline.text, "Ankara");
    assert_eq!(dateline.place.as_deref(), Some("ankara"));
    assert_eq!((dateline.start, dateline.end), (0, 6));
    let ankara = &out.places[0];
    assert_eq!(ankara.mentions[0].start, 0);
    assert!(ankara.mentions.len() >= 2, "the dateline and \"in Ankara\"");
}

#[test]
fn statements_of_hamas_and_turkey() {
    let out = extract();
    let hamas = out
        .statements
        .iter()
        .find(|s| s.actor == "hamas" && s.verb == "said")
        .expect("Hamas said");
    assert!(
        hamas
            .text
            .starts_with("they had fulfilled their commitments"),
        "{}",
        hamas.text
    );
    let turkey = out
        .statements
        .iter()
        .find(|s| s.actor == "turkey" && s.verb == "said")
        .expect("Turkey said");
    assert!(
        turkey.text.starts_with("it will continue engaging"),
        "{}",
        turkey.text
    );
    for s in &out.statements {
        assert!(seed()[s.start..s.end].contains(&s.text), "{s:?}");
    }
}

#[test]
fn relations() {
    let out = extract();
    let has = |source: &str, target: &str, kind: &str| {
        out.relations
            .iter()
            .any(|r| r.source == source && r.target == target && r.kind == kind)
    };
    assert!(has("turkey", "hamas", "talks"), "{:?}", out.relations);
    assert!(has("hakan-fidan", "hamas", "met"), "{:?}", out.relations);
    assert!(has("hamas", "israel", "accused"), "{:?}", out.relations);
}

#[test]
fn spans_are_exact_and_nothing_else_is_named() {
    let out = extract();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for a in &out.actors {
        for m in &a.mentions {
            assert_eq!(&seed()[m.start..m.end], m.text);
            spans.push((m.start, m.end));
        }
    }
    for p in &out.places {
        for m in &p.mentions {
            assert_eq!(&seed()[m.start..m.end], m.text);
            spans.push((m.start, m.end));
        }
    }
    spans.sort();
    for w in spans.windows(2) {
        assert!(w[0].1 <= w[1].0, "overlap {w:?}");
    }
    let junk = [
        "Foreign Minister",
        "Meanwhile",
        "Diplomatic",
        "According",
        "During",
        "Despite",
        "However",
        "They",
        "Turkish",
    ];
    for c in &out.candidates {
        assert!(
            !junk.contains(&c.text.as_str()),
            "junk candidate {}",
            c.text
        );
    }
    assert!(out.candidates.is_empty(), "{:?}", out.candidates);
}
