//! Every safe fix applied to the test letters, compared with the fixed text kept in
//! tests/letters/fixed/<folder>/<name>.txt (read and judged by a person when it was written): a
//! change to a rule or to the agreement of replacements that alters what `--fix` writes into a
//! letter fails here until the new text is reviewed. A letter without safe fixes has no such file.
//!
//! `YASNO_BLESS=1 cargo test --test letter_fixes` rewrites the files, for review in the diff.

use std::fs;
use std::path::{Path, PathBuf};

use yasno_core::engine::LemmaCache;
use yasno_core::{Document, Linter};

/// The held-out letters stay unseen (tests/letters/holdout/README.md).
const FOLDERS: [&str; 3] = ["bad", "good", "graded"];

fn letters(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/letters")
        .join(folder);
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn safe_fixes_of_the_letters_are_the_reviewed_texts() {
    let linter = Linter::with_default_rules().unwrap();
    let mut cache = LemmaCache::new();
    let bless = std::env::var_os("YASNO_BLESS").is_some();
    let fixed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/letters/fixed");
    let mut problems = Vec::new();
    let mut letters_fixed = 0;
    for folder in FOLDERS {
        for path in letters(folder) {
            let text = fs::read_to_string(&path).unwrap();
            let doc = Document::new(text.as_str());
            let findings = linter.check(&doc, &mut cache);
            let (fixed, applied) = yasno_core::fix::apply_safe_fixes(&text, &findings);
            let expected_path = fixed_dir.join(folder).join(path.file_name().unwrap());
            let name = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
            if bless {
                if applied > 0 {
                    fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
                    fs::write(&expected_path, &fixed).unwrap();
                } else if expected_path.exists() {
                    fs::remove_file(&expected_path).unwrap();
                }
            }
            match fs::read_to_string(&expected_path) {
                Ok(expected) if applied > 0 && expected == fixed => letters_fixed += 1,
                Ok(_) if applied == 0 => problems.push(format!(
                    "{name}: no safe fix applies now, but {} exists",
                    expected_path.display()
                )),
                Ok(expected) => {
                    let line = expected
                        .lines()
                        .zip(fixed.lines())
                        .position(|(a, b)| a != b)
                        .map_or(0, |i| i + 1);
                    problems.push(format!(
                        "{name}: the fixed text differs from the reviewed one at line {line}: {:?}",
                        fixed.lines().nth(line.saturating_sub(1)).unwrap_or("")
                    ));
                }
                Err(_) if applied > 0 => problems.push(format!(
                    "{name}: {applied} safe fixes apply, but there is no reviewed text {}",
                    expected_path.display()
                )),
                Err(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        letters_fixed >= 3,
        "the bad letters have safe fixes to check"
    );
}
