//! Front matter splitting and parsing, and the whole briefing and registry parse,
//! on any bytes (see `oracle::frontmatter` for what is checked).
#![no_main]

#[path = "../oracle.rs"]
mod oracle;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| oracle::frontmatter(data));
