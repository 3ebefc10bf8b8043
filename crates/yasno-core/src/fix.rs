//! Applying suggestions. One policy for every front end: a finding's first suggestion is applied
//! without a person reading it only when its applicability is `Safe` (decided where the finding
//! is made: the result is grammatical whatever the context). [`safe_edits`] is the one list of
//! those edits; `yasno check --fix` and `--diff`, the language server's «fix all», the summary's
//! count of fixable findings and SARIF `fixes` are all made from it, so they cannot disagree.

use std::ops::Range;

use crate::finding::{Applicability, Finding};
use crate::text::Document;

/// Whether a finding's suggestion number `index` may be pasted without a person reading it: only
/// the first suggestion of a `Safe` finding, the one [`safe_edits`] makes.
pub fn is_safe_suggestion(finding: &Finding, index: usize) -> bool {
    index == 0 && finding.applicability == Applicability::Safe && !finding.suggestions.is_empty()
}

/// One replacement in a document's text: the bytes of `range` become `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit<'a> {
    /// The index of the finding it fixes, in the slice given to [`safe_edits`].
    pub finding: usize,
    pub range: Range<usize>,
    pub replacement: &'a str,
}

/// The safe fixes of a document: the first suggestion of every `Safe` finding, in text order
/// (by start, then end; findings in their order on a tie). Where two overlap, the first wins and
/// the other is left for the next run; a range that is not on the text's character boundaries
/// is left out.
pub fn safe_edits<'a>(text: &str, findings: &'a [Finding]) -> Vec<Edit<'a>> {
    let mut candidates: Vec<Edit<'a>> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| is_safe_suggestion(f, 0))
        .filter_map(|(finding, f)| {
            let replacement = f.suggestions.first()?;
            let range = f.range.clone();
            let in_text = range.start <= range.end
                && text.is_char_boundary(range.start)
                && text.is_char_boundary(range.end);
            in_text.then_some(Edit {
                finding,
                range,
                replacement,
            })
        })
        .collect();
    candidates.sort_by_key(|edit| (edit.range.start, edit.range.end));
    let mut edits = Vec::with_capacity(candidates.len());
    let mut position = 0;
    for edit in candidates {
        if edit.range.start < position {
            continue;
        }
        position = edit.range.end;
        edits.push(edit);
    }
    edits
}

/// The text with the edits made; `edits` are in text order and do not overlap, as
/// [`safe_edits`] gives them.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut position = 0;
    for edit in edits {
        out.push_str(&text[position..edit.range.start]);
        out.push_str(edit.replacement);
        position = edit.range.end;
    }
    out.push_str(&text[position..]);
    out
}

/// The text with every safe fix applied, and how many were applied.
pub fn apply_safe_fixes(text: &str, findings: &[Finding]) -> (String, usize) {
    let edits = safe_edits(text, findings);
    (apply(text, &edits), edits.len())
}

/// Whether `--fix` can write this document's fixes back into its file, and a tool can apply its
/// SARIF fixes: plain text or Markdown read as UTF-8, so that its offsets are the file's bytes
/// (past a byte order mark, which is kept).
pub fn writes_back(document: &Document) -> bool {
    document.rich.is_none() && document.encoding.is_none()
}

/// A unified diff of the change, in the form `git diff` prints.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(1)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Findings made by hand, for the tests of every front end that applies them.
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testing {
    use super::*;

    /// A jargon finding at `range` whose suggestions are `suggestions`, best first.
    pub fn finding(
        range: Range<usize>,
        suggestions: &[&str],
        applicability: Applicability,
    ) -> Finding {
        Finding {
            code: "JA000".into(),
            name: "test".into(),
            category: crate::Category::Jargon,
            severity: crate::Severity::Warning,
            message: "Канцелярит".into(),
            range,
            suggestions: suggestions.iter().map(|s| s.to_string()).collect(),
            advice: None,
            applicability,
        }
    }

    /// Four safe findings of «в срок до пятницы», given out of text order, that overlap: of
    /// them `--fix` makes the third and fourth, «к! до пятницы».
    pub fn overlapping() -> (&'static str, Vec<Finding>) {
        let findings = vec![
            finding(3..16, &["X"], Applicability::Safe),
            finding(0..16, &["до"], Applicability::Safe),
            finding(0..11, &["к"], Applicability::Safe),
            finding(11..11, &["!"], Applicability::Safe),
        ];
        ("в срок до пятницы", findings)
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{finding, overlapping};
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

    #[test]
    fn only_safe_findings_are_edits() {
        let text = "один два три";
        let findings = [
            finding(0..8, &["1"], Applicability::Suggestion),
            finding(9..15, &["2", "два"], Applicability::Safe),
            finding(16..22, &[], Applicability::Advice),
        ];
        let edits = safe_edits(text, &findings);
        assert_eq!(
            edits,
            [Edit {
                finding: 1,
                range: 9..15,
                replacement: "2"
            }]
        );
        assert_eq!(apply(text, &edits), "один 2 три");
    }

    #[test]
    fn of_overlapping_edits_the_first_in_text_order_wins() {
        // Given out of order: the one that starts first wins, then the shorter of two that
        // start together; an edit that starts where the last one ended is kept.
        let (text, findings) = overlapping();
        let edits = safe_edits(text, &findings);
        let kept: Vec<usize> = edits.iter().map(|e| e.finding).collect();
        assert_eq!(kept, [2, 3]);
        assert_eq!(apply(text, &edits), "к! до пятницы");
        assert_eq!(apply_safe_fixes(text, &findings), (apply(text, &edits), 2));
    }

    #[test]
    fn ranges_off_the_text_are_left_out() {
        let text = "да";
        let findings = [
            finding(1..2, &["x"], Applicability::Safe),
            finding(2..9, &["y"], Applicability::Safe),
        ];
        assert!(safe_edits(text, &findings).is_empty());
        assert_eq!(apply_safe_fixes(text, &findings), ("да".to_string(), 0));
    }
}
