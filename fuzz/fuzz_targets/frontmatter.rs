//! Front matter splitting and parsing, and the whole briefing parse, on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = dossier::content::parse_briefing("content/fuzz.md", text.to_string());
        let _ = dossier::content::parse_registry("content/actors/fuzz.md", text);
    }
});
