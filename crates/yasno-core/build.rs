//! Embeds every `rules/*.toml` as a default rule file, so adding a rule file needs no code change,
//! and asks the dictionary, once at build time, what the words and tag constraints of those rules
//! mean, so that loading them at start-up does not wait for the dictionary to open.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

// The same code that compiles rules at run time, so the answers cannot differ.
#[allow(dead_code)]
#[path = "src/morphology.rs"]
mod morphology;

#[allow(dead_code)]
#[path = "src/engine/pattern.rs"]
mod pattern;

/// Empty while building this script: everything is asked of the dictionary.
#[allow(dead_code)]
mod precomputed_morphology {
    pub const RULE_LEMMAS: &[(&str, &[&str])] = &[];
    pub const TAG_SETS: &[(&str, &[u64])] = &[];
    pub const TAG_FACTS: &[super::morphology::TagFacts] = &[];
}

fn main() {
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    println!("cargo:rerun-if-changed=src/morphology.rs");
    println!("cargo:rerun-if-changed=src/engine/pattern.rs");
    let mut files: Vec<PathBuf> = fs::read_dir(&rules_dir)
        .expect("the rules/ folder exists")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    let mut code = String::from("&[\n");
    // The same files as JSON, which parses several times faster than TOML at start-up. A file
    // that is not valid TOML is left out here; loading it as TOML at run time reports the error.
    let mut json = String::from("&[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
        let text = fs::read_to_string(path).expect("rule files are UTF-8");
        if let Ok(table) = text.parse::<toml::Table>() {
            let data = serde_json::to_string(&table).expect("TOML values convert to JSON");
            writeln!(json, "    ({name:?}, {data:?}),").unwrap();
        }
    }
    code.push_str("]\n");
    json.push_str("]\n");
    fs::write(out_dir.join("default_rules.rs"), code).expect("OUT_DIR is writable");
    fs::write(out_dir.join("default_rules_json.rs"), json).expect("OUT_DIR is writable");

    precompute_rule_morphology(&files, &out_dir);
}

/// Compiles every pattern of the default rules (their phrases and the analyzers' markers), then
/// writes what was asked of the dictionary as two sorted tables.
/// A file that does not parse is skipped here: yasno reports it when it loads the rules.
fn precompute_rule_morphology(files: &[PathBuf], out_dir: &Path) {
    // yasno opens the bundled dictionary without re-verifying it at every start: verify it here,
    // once (the same crate and bytes as in the binary).
    rumorph::Dictionary::bundled().expect("the bundled dictionary passes its checksum and checks");
    // The Debug form of a `TagFacts` is the Rust expression that builds it.
    let facts: Vec<String> = morphology::all_tag_facts()
        .iter()
        .map(|f| format!("    {f:?},\n"))
        .collect();
    fs::write(
        out_dir.join("tag_facts.rs"),
        format!("&[\n{}]\n", facts.concat()),
    )
    .expect("OUT_DIR is writable");
    let mut vocabulary = pattern::Vocabulary::default();
    let mut tag_cache = HashMap::new();
    for path in files {
        let text = fs::read_to_string(path).expect("rule files are UTF-8");
        let Ok(file) = text.parse::<toml::Table>() else {
            continue;
        };
        let rules = file.get("rule").and_then(|r| r.as_array());
        for rule in rules.into_iter().flatten().filter_map(|r| r.as_table()) {
            let phrases = rule.get("phrase").and_then(|p| p.as_array());
            let phrase_patterns = phrases
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_table())
                .flat_map(|phrase| {
                    ["pattern", "patterns", "exceptions"]
                        .into_iter()
                        .flat_map(|key| strings(phrase.get(key)))
                });
            let markers = rule.get("markers").and_then(|m| m.as_table());
            let marker_patterns = markers
                .into_iter()
                .flat_map(|m| m.values())
                .flat_map(|v| strings(Some(v)));
            for source in phrase_patterns.chain(marker_patterns) {
                let _ = pattern::compile(source, &mut vocabulary, &mut tag_cache);
            }
        }
    }

    let memo = morphology::rule_memo().lock().expect("one thread");
    write_sorted_table(&out_dir.join("rule_lemmas.rs"), &memo.lemmas);
    write_sorted_table(&out_dir.join("tag_sets.rs"), &memo.tag_sets);
}

/// `&[(key, &[values…]), …]` sorted by key, for `include!` and binary search.
fn write_sorted_table<V: std::fmt::Debug + Ord>(path: &Path, map: &HashMap<String, Vec<V>>) {
    let mut rows: Vec<_> = map.iter().collect();
    rows.sort();
    let mut code = String::from("&[\n");
    for (key, values) in rows {
        writeln!(code, "    ({key:?}, &{values:?}),").unwrap();
    }
    code.push_str("]\n");
    fs::write(path, code).expect("OUT_DIR is writable");
}

/// A string, or the strings of an array.
fn strings(value: Option<&toml::Value>) -> impl Iterator<Item = &str> {
    let single = value.and_then(|v| v.as_str());
    let many = value.and_then(|v| v.as_array()).into_iter().flatten();
    single.into_iter().chain(many.filter_map(|v| v.as_str()))
}
