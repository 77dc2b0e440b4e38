//! `.txt` wire copy: headline, dateline and title rules on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let head = dossier::content::wire::parse(text, 0);
        if let Some(range) = head.dateline {
            assert!(text.get(range).is_some());
        }
        assert!(head.story_start <= text.len());
        let _ = dossier::content::parse_briefing("content/fuzz.txt", text.to_string());
    }
});
