//! Whole letters written for the test corpus (tests/letters/README.md): good letters get no
//! warning or error at all; in bad letters the planted jargon and empty phrases are all found, and
//! nothing else of those categories is.

use std::fs;
use std::ops::Range;
use std::path::Path;

use yasno_core::engine::LemmaCache;
use yasno_core::{Category, Document, Linter, Severity};

#[path = "common/fragments.rs"]
mod fragments;
use fragments::occurrences;

fn letters(folder: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/letters")
        .join(folder);
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

#[test]
fn good_letters_get_no_warning_or_error() {
    let linter = Linter::with_default_rules().unwrap();
    let mut cache = LemmaCache::new();
    let mut problems = Vec::new();
    let files = letters("good", "txt");
    assert!(files.len() >= 3);
    for path in files {
        let doc = Document::new(fs::read_to_string(&path).unwrap());
        for f in linter.check(&doc, &mut cache) {
            if f.severity >= Severity::Warning {
                problems.push(format!(
                    "{}: {} {} «{}»",
                    path.file_name().unwrap().to_string_lossy(),
                    f.code,
                    f.message,
                    doc.slice(f.range.clone())
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "false alarms on good letters:\n{}",
        problems.join("\n")
    );
}

#[test]
fn bad_letters_have_exactly_the_expected_jargon_and_empty_phrases() {
    let linter = Linter::with_default_rules().unwrap();
    let mut cache = LemmaCache::new();
    let (mut expected_total, mut missed, mut unexpected) = (0, Vec::new(), Vec::new());
    for path in letters("bad", "txt") {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(&path).unwrap();
        let expected_text = fs::read_to_string(path.with_extension("expected")).unwrap();
        let doc = Document::new(text.clone());
        let findings: Vec<_> = linter
            .check(&doc, &mut cache)
            .into_iter()
            .filter(|f| matches!(f.category, Category::Jargon | Category::Forbidden))
            .collect();
        let mut expected: Vec<(Category, Range<usize>, String)> = Vec::new();
        for line in expected_text.lines().filter(|l| !l.trim().is_empty()) {
            let (category, fragment) = line.split_once('\t').expect("category<TAB>fragment");
            let category: Category = category.parse().unwrap();
            let ranges = occurrences(&text, fragment);
            assert!(
                !ranges.is_empty(),
                "{name}: fragment not in letter: {fragment}"
            );
            // A fragment listed n times stands for its n occurrences.
            let nth = expected
                .iter()
                .filter(|(c, _, f)| *c == category && f == fragment)
                .count();
            let range = ranges
                .get(nth)
                .cloned()
                .unwrap_or_else(|| ranges[0].clone());
            expected.push((category, range, fragment.to_string()));
        }
        expected_total += expected.len();
        let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
        for (category, range, fragment) in &expected {
            if !findings
                .iter()
                .any(|f| f.category == *category && overlaps(&f.range, range))
            {
                missed.push(format!("{name}: {category} «{fragment}»"));
            }
        }
        for f in &findings {
            if !expected
                .iter()
                .any(|(c, r, _)| *c == f.category && overlaps(&f.range, r))
            {
                unexpected.push(format!(
                    "{name}: {} {} «{}»",
                    f.category,
                    f.code,
                    doc.slice(f.range.clone())
                ));
            }
        }
    }
    assert!(
        missed.is_empty() && unexpected.is_empty(),
        "{} of {expected_total} expected findings missed:\n{}\n{} unexpected:\n{}",
        missed.len(),
        missed.join("\n"),
        unexpected.len(),
        unexpected.join("\n")
    );
}
