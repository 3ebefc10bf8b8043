//! Applying suggestions: `yasno check --fix` and `--diff`, and the language server's «fix all».
//! Only findings whose applicability is `Safe` (decided where the finding is made) are applied.

use crate::finding::{Applicability, Finding};

/// The text with every safe fix applied, and how many were applied. Overlapping fixes: the first wins.
pub fn apply_safe_fixes(text: &str, findings: &[Finding]) -> (String, usize) {
    let mut fixes: Vec<(&std::ops::Range<usize>, &str)> = findings
        .iter()
        .filter(|f| f.applicability == Applicability::Safe)
        .filter_map(|f| f.suggestions.first().map(|s| (&f.range, s.as_str())))
        .collect();
    fixes.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::with_capacity(text.len());
    let mut position = 0;
    let mut applied = 0;
    for (range, replacement) in fixes {
        if range.start < position || range.end > text.len() {
            continue;
        }
        out.push_str(&text[position..range.start]);
        out.push_str(replacement);
        position = range.end;
        applied += 1;
    }
    out.push_str(&text[position..]);
    (out, applied)
}

/// A unified diff of the change, in the form `git diff` prints.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(1)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;

    #[test]
    fn safe_fixes_replace_and_agree_in_form() {
        let linter = Linter::with_default_rules().unwrap();
        let text = "В данном случае плата верна. В настоящее время долг погашен.\n";
        let (_, findings) = linter.check_text(text);
        let (fixed, applied) = apply_safe_fixes(text, &findings);
        assert_eq!(applied, 2, "{findings:?}");
        assert_eq!(fixed, "В этом случае плата верна. Сейчас долг погашен.\n");
        let diff = unified_diff("a.txt", text, &fixed);
        assert!(
            diff.contains("-В данном случае") && diff.contains("+В этом случае"),
            "{diff}"
        );
    }

    #[test]
    fn unsafe_suggestions_are_left_to_the_writer() {
        let linter = Linter::with_default_rules().unwrap();
        let text = "В целях экономии мы отключим свет.\n";
        let (_, findings) = linter.check_text(text);
        assert!(!findings.is_empty());
        assert_eq!(apply_safe_fixes(text, &findings).1, 0);
    }
}
