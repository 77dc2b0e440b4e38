//! Extraction on any text: never panics, every span in bounds and on char
//! boundaries, the same result twice (see `oracle::extract`).
#![no_main]

#[path = "../oracle.rs"]
mod oracle;

use std::sync::OnceLock;

use dossier::extract::Extractor;
use libfuzzer_sys::fuzz_target;

/// Built once: the automaton over the embedded gazetteer is the slow part.
fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(&[]).expect("the embedded gazetteer loads"))
}

fuzz_target!(|data: &[u8]| oracle::extract(extractor(), data));
