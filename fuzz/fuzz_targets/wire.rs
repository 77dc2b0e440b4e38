//! `.txt` wire copy: headline, dateline and title rules on any text (see
//! `oracle::wire` for what is checked).
#![no_main]

#[path = "../oracle.rs"]
mod oracle;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| oracle::wire(data));
