//! dossier: a static briefing-site generator.
//!
//! Briefings go in as files; the pipeline reads them, finds the actors, places,
//! statements and relations in their text, and writes a static site with a page
//! per briefing, actor and place. Each stage is a module, and the arrows run one
//! way down the pipeline:
//!
//! ```text
//! config ─► content (load) ─► extract ─► briefing (link) ─► render ─► output
//! ```
//!
//! [`site`] runs the stages end to end with their memos; [`serve`] sits on top of
//! it. `main.rs` only parses the command line and prints reports.

pub mod briefing;
pub mod check;
pub mod commands;
pub mod config;
pub mod content;
pub mod error;
pub mod extract;
pub mod init;
pub mod memo;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
