//! Extraction on any text: never panics, every span in bounds and on char boundaries.
#![no_main]

use std::sync::OnceLock;

use dossier::extract::{Extractor, Input};
use libfuzzer_sys::fuzz_target;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(&[]).expect("embedded gazetteer"))
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let e = extractor().extract(&Input { text, ..Input::default() });
        for actor in &e.actors {
            for m in &actor.mentions {
                assert_eq!(text.get(m.start..m.end), Some(m.text.as_str()));
            }
        }
        for place in &e.places {
            for m in &place.mentions {
                assert_eq!(text.get(m.start..m.end), Some(m.text.as_str()));
            }
        }
        for s in &e.statements {
            assert!(text.get(s.start..s.end).is_some());
        }
    }
});
