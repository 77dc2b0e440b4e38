//! The commands that print: `dossier check` and `dossier extract`. They run the
//! library's stages and format what they find for a person (or, with `--format
//! json`, for another program).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::check;
use crate::config::Config;
use crate::content::{self, parse_briefing};
use crate::error::{Error, Errors};
use crate::extract::{Candidate, Dateline, Extraction, Extractor, Input, Relation, Statement};
use crate::site::{BuildOptions, Site};

/// `dossier check`: prints every problem and returns whether the site is clean.
pub fn check(root: &Path, drafts: bool) -> Result<bool, Errors> {
    let mut site = Site::new(
        root,
        BuildOptions {
            drafts,
            ..BuildOptions::default()
        },
    );
    let rendered = site.render()?;
    let (built, warnings) = (rendered.built, rendered.warnings);
    let mut problems = 0;
    for warning in &warnings {
        println!("warning: {warning}");
        problems += 1;
    }
    for link in check::dangling_links(&built) {
        println!(
            "error: {}: link to {} points at no page",
            link.page, link.href
        );
        problems += 1;
    }
    for (alias, ids) in built.extractor.ambiguous_aliases() {
        println!(
            "note: the name {alias:?} can mean {} (add it to one actor's aliases in content/actors/ to decide)",
            ids.join(" or ")
        );
    }
    let candidates = check::candidates(&built);
    if !candidates.is_empty() {
        println!(
            "\nNames found that are not actors yet (add one as content/actors/<id>.md to give it a page):"
        );
        for (name, count) in candidates.iter().take(50) {
            println!("  {count:>4}  {name}");
        }
        if candidates.len() > 50 {
            println!("  … and {} more", candidates.len() - 50);
        }
    }
    println!(
        "\nchecked {} briefings, {} pages: {}",
        built.briefing.articles.len(),
        built.pages.len(),
        if problems == 0 {
            "no problems".to_string()
        } else {
            format!("{problems} problem(s)")
        }
    );
    Ok(problems == 0)
}

/// One line of `dossier extract --format json`.
#[derive(Serialize)]
struct ExtractLine<'a> {
    file: String,
    title: &'a str,
    date: Option<String>,
    dateline: &'a Option<Dateline>,
    actors: &'a [crate::extract::ActorHit],
    places: &'a [crate::extract::PlaceHit],
    statements: &'a [Statement],
    relations: &'a [Relation],
    candidates: &'a [Candidate],
}

/// `dossier extract FILE…`: extraction's findings for each file. The registry of the
/// site at `root` is used when there is one.
pub fn extract(root: &Path, files: &[PathBuf], json: bool) -> Result<(), Errors> {
    let registry = if root.join(crate::config::CONFIG_FILE).is_file() {
        let config = Config::load(root)?;
        content::load_registry(root, &config)
            .map_err(|errs| Errors(errs.into_iter().map(Error::from).collect()))?
    } else {
        content::Registry::default()
    };
    let extractor = Extractor::new(&registry.entries())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut errors = Vec::new();
    for file in files {
        let display = file.to_string_lossy().replace('\\', "/");
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                errors.push(Error::io(file, &e, "check the path"));
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let before = String::from_utf8_lossy(&e.into_bytes()[..valid]).into_owned();
                errors.push(
                    content::ContentError::NotUtf8 {
                        location: crate::error::Location::at_offset(&display, &before, valid),
                    }
                    .into(),
                );
                continue;
            }
        };
        let name = if display.ends_with(".txt") || display.ends_with(".md") {
            display.clone()
        } else {
            format!("{display}.txt")
        };
        let (article, _) = match parse_briefing(&name, text) {
            Ok(a) => a,
            Err(e) => {
                errors.push(e.into());
                continue;
            }
        };
        let extraction = extractor.extract(&Input {
            text: &article.text,
            body_start: article.body_start,
            extra_actors: &article.extra_actors,
            exclude_actors: &article.exclude_actors,
        });
        let written = if json {
            let line = ExtractLine {
                file: display.clone(),
                title: &article.title,
                date: article.date.map(|d| d.format("%Y-%m-%d").to_string()),
                dateline: &extraction.dateline,
                actors: &extraction.actors,
                places: &extraction.places,
                statements: &extraction.statements,
                relations: &extraction.relations,
                candidates: &extraction.candidates,
            };
            serde_json::to_string(&line).map_or(Ok(()), |s| writeln!(out, "{s}"))
        } else {
            write!(out, "{}", table(&display, &article.title, &extraction))
        };
        if written.is_err() {
            break; // stdout closed (e.g. piped into `head`): nothing more to say
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

/// The readable form of one file's extraction.
fn table(file: &str, title: &str, e: &Extraction) -> String {
    let mut s = format!("{file}\n  title: {title}\n");
    if let Some(d) = &e.dateline {
        s.push_str(&format!(
            "  dateline: {} ({})\n",
            d.text,
            d.place.as_deref().unwrap_or("-")
        ));
    }
    s.push_str("  actors:\n");
    for a in &e.actors {
        let forms: Vec<String> = a
            .mentions
            .iter()
            .map(|m| format!("{}@{}", m.text, m.start))
            .collect();
        let extra = match (&a.role, &a.affiliation) {
            (Some(r), Some(f)) => format!(" [{r}, {f}]"),
            (Some(r), None) => format!(" [{r}]"),
            (None, Some(f)) => format!(" [{f}]"),
            (None, None) => String::new(),
        };
        s.push_str(&format!(
            "    {:<24} {:<13}{extra} {}\n",
            a.id,
            crate::briefing::kind_slug(a.kind),
            forms.join(", ")
        ));
    }
    s.push_str("  places:\n");
    for p in &e.places {
        s.push_str(&format!(
            "    {:<24} {} mention(s)\n",
            p.id,
            p.mentions.len()
        ));
    }
    s.push_str("  statements:\n");
    for st in &e.statements {
        s.push_str(&format!("    {} {}: {}\n", st.actor, st.verb, st.text));
    }
    s.push_str("  relations:\n");
    for r in &e.relations {
        s.push_str(&format!("    {} -{}-> {}\n", r.source, r.kind, r.target));
    }
    if !e.candidates.is_empty() {
        let names: Vec<&str> = e.candidates.iter().map(|c| c.text.as_str()).collect();
        s.push_str(&format!("  candidates: {}\n", names.join(", ")));
    }
    s
}
