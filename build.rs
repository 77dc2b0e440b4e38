//! Embeds the default theme (`templates/`, `static/`) and the starter site used by
//! `dossier init` into the binary, so `dossier` works outside this repository.
//! Generates `$OUT_DIR/embedded.rs` with one `(path, bytes)` entry per file.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let mut code = String::new();
    for (name, dirs) in [
        ("THEME", &["templates", "static"][..]),
        ("STARTER", &["starter"][..]),
    ] {
        let mut files = Vec::new();
        for dir in dirs {
            let root = Path::new(&manifest).join(dir);
            println!("cargo:rerun-if-changed={}", root.display());
            collect(&root, Path::new(dir), &mut files);
        }
        files.sort();
        let _ = writeln!(
            code,
            "/// Embedded files: (path relative to the site root, bytes)."
        );
        let _ = writeln!(code, "pub static {name}: &[(&str, &[u8])] = &[");
        for (rel, abs) in files {
            let _ = writeln!(code, "    ({rel:?}, include_bytes!({abs:?})),");
        }
        let _ = writeln!(code, "];");
    }
    let target = Path::new(&out_dir).join("embedded.rs");
    if let Err(e) = std::fs::write(&target, code) {
        panic!("cannot write {}: {e}", target.display());
    }
}

fn collect(dir: &Path, rel: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = rel.join(&name);
        if path.is_dir() {
            collect(&path, &rel, files);
        } else {
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}
