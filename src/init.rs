//! `dossier init`: a new site from the starter embedded in the binary.

use std::path::Path;

use crate::error::Error;
use crate::render::theme;

/// Writes the starter site (and, with `with_theme`, the default theme to
/// customise) into `dir`, which must be empty or not exist yet.
pub fn init(dir: &Path, with_theme: bool) -> Result<Vec<String>, Error> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, &e, "check the folder's permissions"))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{}: the folder is not empty\n  what to do: choose a new folder name, e.g. `dossier init my-briefings`",
                dir.display()
            )));
        }
    }
    let mut written = Vec::new();
    let theme_files: &[(&str, &[u8])] = if with_theme {
        theme::default_theme()
    } else {
        &[]
    };
    for (rel, bytes) in theme::starter()
        .iter()
        .map(|(p, b)| (p.strip_prefix("starter/").unwrap_or(p), *b))
        .chain(theme_files.iter().copied())
    {
        let target = dir.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(parent, &e, "check that you can write there"))?;
        }
        std::fs::write(&target, bytes)
            .map_err(|e| Error::io(&target, &e, "check that you can write there"))?;
        written.push(rel.to_string());
    }
    Ok(written)
}
