//! The generated rule reference `docs/rules/` is current, and the category lists of the README and
//! docs/scoring.md say what the category table says. `YASNO_BLESS=1 cargo test --test rule_docs`
//! writes the reference anew.

use std::collections::BTreeMap;
use std::path::Path;

use yasno_core::Category;
use yasno_core::engine::RuleSet;
use yasno_core::rule_docs::reference_pages;

#[test]
fn the_rule_reference_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let pages = reference_pages(&RuleSet::defaults().unwrap());
    if std::env::var_os("YASNO_BLESS").is_some_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &pages {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &pages {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(written) if written == *text => {}
            Ok(_) => stale.push(format!("{name} is out of date")),
            Err(_) => stale.push(format!("{name} is missing")),
        }
    }
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !pages.iter().any(|(page, _)| *page == name) {
            stale.push(format!("{name} is no rule's page"));
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules/: {}; run `YASNO_BLESS=1 cargo test --test rule_docs`",
        stale.join(", ")
    );
}

#[test]
fn every_rule_has_a_page_and_a_line_in_the_index() {
    let rules = RuleSet::defaults().unwrap();
    let pages = reference_pages(&rules);
    let index = &pages[0];
    assert_eq!(index.0, "README.md");
    for rule in &rules.rules {
        let page = format!("{}.md", rule.code);
        assert!(pages.iter().any(|(name, _)| *name == page), "{page}");
        assert!(index.1.contains(&format!("[{}]({page})", rule.code)));
    }
    for category in Category::ALL {
        assert!(index.1.contains(&format!(
            "## {} (`{category}`, {})",
            category.label(),
            category.code_prefix()
        )));
    }
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The rows of the first Markdown table after `heading`, each as its cells.
fn table_after(text: &str, heading: &str) -> Vec<Vec<String>> {
    let start = text.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    text[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

/// The category names written as `name` in a cell.
fn names(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

#[test]
fn the_readme_lists_every_category_with_its_code_prefix() {
    let rows = table_after(&read("README.md"), "## What it checks");
    let listed: Vec<(String, String)> = rows
        .iter()
        .map(|row| (names(&row[0]).concat(), row[2].clone()))
        .collect();
    let table: Vec<(String, String)> = Category::ALL
        .iter()
        .map(|c| (c.name().to_string(), c.code_prefix().to_string()))
        .collect();
    assert_eq!(listed, table);
}

#[test]
fn the_scoring_guide_gives_every_category_its_weight() {
    let rows = table_after(&read("docs/scoring.md"), "| category | weight | why |");
    let mut listed = BTreeMap::new();
    for row in &rows {
        let weight: f64 = row[1].replace(',', ".").parse().unwrap();
        for name in names(&row[0]) {
            assert!(listed.insert(name.to_string(), weight).is_none(), "{name}");
        }
    }
    let table: BTreeMap<String, f64> = Category::ALL
        .iter()
        .map(|c| (c.name().to_string(), c.score_weight()))
        .collect();
    assert_eq!(listed, table);
}
