//! Markdown and wire copy to HTML with mention links inserted, on any text and
//! any link spans, with or without smart punctuation; nothing executable may come
//! out (see `oracle::markdown`).
#![no_main]

#[path = "../oracle.rs"]
mod oracle;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, Vec<(u16, u8)>, bool)| {
    let (text, spans, smart_punctuation) = input;
    oracle::markdown(text, &spans, smart_punctuation);
});
