//! The documentation cannot drift from the code: every configuration key and every
//! command-line flag is documented, and nothing documented is missing.

use std::collections::BTreeSet;
use std::process::Command;

fn doc(name: &str) -> String {
    std::fs::read_to_string(format!("{}/docs/{name}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("docs/{name}: {e}"))
}

/// Every key of `Config`, as `key` or `table.key`, from its serialised default.
fn config_keys() -> BTreeSet<String> {
    let value =
        toml::Value::try_from(dossier::config::Config::default()).expect("serialise config");
    let mut keys = BTreeSet::new();
    if let toml::Value::Table(table) = value {
        for (key, value) in table {
            match value {
                toml::Value::Table(inner) => {
                    for inner_key in inner.keys() {
                        keys.insert(format!("{key}.{inner_key}"));
                    }
                }
                _ => {
                    keys.insert(key);
                }
            }
        }
    }
    keys
}

/// Keys documented in the tables of docs/configuration.md (`| \`key\` |` rows,
/// prefixed by the `## [table]` heading they sit under).
fn documented_keys() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut table = String::new();
    for line in doc("configuration.md").lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            table = heading.trim_matches(['`', '[', ']']).to_string();
            if table == "Top level" {
                table.clear();
            }
        } else if let Some(rest) = line.strip_prefix("| `")
            && let Some((key, _)) = rest.split_once('`')
        {
            keys.insert(if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            });
        }
    }
    keys
}

#[test]
fn every_config_key_is_documented_and_every_documented_key_exists() {
    assert_eq!(config_keys(), documented_keys());
}

#[test]
fn the_documented_example_config_is_valid() {
    let text = doc("configuration.md");
    let start = text.find("```toml\n").expect("example") + 8;
    let end = text[start..].find("```").expect("end of example") + start;
    dossier::config::Config::parse(
        &text[start..end],
        std::path::Path::new("docs/configuration.md"),
    )
    .expect("example parses");
}

#[test]
fn every_command_and_flag_is_documented() {
    let commands_doc = doc("commands.md");
    let help = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .output()
            .expect("run dossier");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    for command in ["init", "build", "serve", "check", "extract"] {
        assert!(
            commands_doc.contains(&format!("## `dossier {command}")),
            "dossier {command} has no section"
        );
        for word in help(&[command, "--help"]).split_whitespace() {
            let flag = word.trim_end_matches([',', '.']);
            if flag.starts_with("--") && flag.len() > 2 && flag != "--help" && flag != "--version" {
                let flag = flag.split(['=', '[', '<']).next().unwrap_or(flag);
                assert!(
                    commands_doc.contains(&format!("`{flag}")),
                    "{command} {flag} is not documented"
                );
            }
        }
    }
}

#[test]
fn the_documentation_site_builds_without_warnings_or_broken_links() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let rendered = dossier::site::Site::new(&root, dossier::site::BuildOptions::default())
        .render()
        .expect("docs build");
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    assert!(rendered.built.briefing.articles.len() >= 8);
    let dangling = dossier::check::dangling_links(&rendered.built);
    assert!(dangling.is_empty(), "{dangling:?}");
}
