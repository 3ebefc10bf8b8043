//! Output formats. Each is a small module that turns checked files into text for a caller.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod stream;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::finding::{Category, Finding, Severity};
use crate::readability::{Readability, readability};
use crate::text::Document;

/// One checked file and what was found in it.
pub struct FileReport {
    pub path: String,
    pub document: Document,
    pub findings: Vec<Finding>,
}

/// For each finding of a report, the replacement `yasno check --fix` makes for it, if any: the
/// fixes of SARIF and the «[*]» marks of the human output.
pub(crate) fn fixes(report: &FileReport) -> Vec<Option<&str>> {
    let mut fixes = vec![None; report.findings.len()];
    if crate::fix::writes_back(&report.document) {
        for edit in crate::fix::safe_edits(report.document.text(), &report.findings) {
            fixes[edit.finding] = Some(edit.replacement);
        }
    }
    fixes
}

#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
    pub by_category: BTreeMap<Category, usize>,
    /// How many findings `yasno check --fix` would fix (the human summary's «[*]» line).
    #[serde(skip)]
    pub fixable: usize,
    /// Readability of all the checked text read as one.
    pub readability: Option<Readability>,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = Summary {
            readability: Some(Readability::combined(&[])),
            ..Summary::default()
        };
        for report in reports {
            summary.add(&Summary::of_file(report));
        }
        summary
    }

    /// The figures of one file, to be added up with [`Summary::add`].
    pub fn of_file(report: &FileReport) -> Self {
        let mut summary = Summary {
            files: 1,
            readability: Some(readability(&report.document)),
            fixable: fixes(report).iter().flatten().count(),
            ..Summary::default()
        };
        for finding in &report.findings {
            summary.findings += 1;
            match finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
                Severity::Hint => summary.hints += 1,
            }
            *summary.by_category.entry(finding.category).or_default() += 1;
        }
        summary
    }

    /// Adds the figures of more files: the summaries of parts add up to that of the whole.
    pub fn add(&mut self, other: &Summary) {
        self.files += other.files;
        self.findings += other.findings;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
        self.hints += other.hints;
        self.fixable += other.fixable;
        for (&category, &count) in &other.by_category {
            *self.by_category.entry(category).or_default() += count;
        }
        let readability = Readability::combined(self.readability.iter().chain(&other.readability));
        self.readability = Some(readability);
    }
}

#[cfg(test)]
mod tests {
    use super::stream::{Format, Renderer};
    use super::*;
    use crate::finding::Applicability;
    use crate::fix::testing::{finding, overlapping};

    /// The overlapping safe findings of `fix::testing`, a suggestion and an advice.
    fn report(encoding: Option<&'static str>) -> FileReport {
        let (text, mut findings) = overlapping();
        findings.push(finding(
            12..31,
            &["в пятницу", "к пятнице"],
            Applicability::Suggestion,
        ));
        findings.push(finding(0..2, &[], Applicability::Advice));
        let mut document = Document::new(text);
        document.encoding = encoding;
        FileReport {
            path: "письмо.txt".into(),
            document,
            findings,
        }
    }

    fn render(format: Format, report: FileReport) -> String {
        let linter = crate::Linter::with_default_rules().unwrap();
        let rules = linter.rules();
        Renderer::new(format, [rules]).render(&[report], rules)
    }

    #[test]
    fn sarif_fixes_are_the_safe_edits_and_nothing_else() {
        let log: serde_json::Value =
            serde_json::from_str(&render(Format::Sarif, report(None))).unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        let fixed: Vec<usize> = (0..results.len())
            .filter(|&n| results[n].get("fixes").is_some())
            .collect();
        assert_eq!(fixed, [2, 3], "{results:#?}");
        let fix = &results[2]["fixes"].as_array().unwrap();
        assert_eq!(fix.len(), 1, "one fix: the first suggestion");
        let replacement = &fix[0]["artifactChanges"][0]["replacements"][0];
        assert_eq!(replacement["insertedContent"]["text"], "к");
        assert_eq!(replacement["deletedRegion"]["byteLength"], 11);
        // A replacement to be read is shown, not offered to be applied.
        let suggestion = &results[4];
        assert_eq!(suggestion["properties"]["applicability"], "suggestion");
        assert_eq!(
            suggestion["properties"]["suggestions"],
            serde_json::json!(["в пятницу", "к пятнице"])
        );
        assert_eq!(results[5]["properties"]["applicability"], "advice");
        assert!(results[5]["properties"].get("suggestions").is_none());

        // Offsets into text decoded from Windows-1251 are not the file's: no fix to apply.
        let log = render(Format::Sarif, report(Some("windows-1251")));
        assert!(!log.contains("\"fixes\""), "{log}");
    }

    #[test]
    fn json_diagnostics_carry_their_applicability() {
        let json: serde_json::Value =
            serde_json::from_str(&render(Format::Json, report(None))).unwrap();
        let applicability: Vec<&str> = json["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["applicability"].as_str().unwrap())
            .collect();
        assert_eq!(
            applicability,
            ["safe", "safe", "safe", "safe", "suggestion", "advice"]
        );
        assert!(
            json["summary"].get("fixable").is_none(),
            "the summary is as it was"
        );
    }

    #[test]
    fn human_and_concise_mark_what_fix_fixes_and_count_it() {
        for format in [Format::Human { color: false }, Format::Concise] {
            let out = render(format, report(None));
            assert_eq!(
                out.matches("] [*] ").count() + out.matches(": [*] ").count(),
                2,
                "{out}"
            );
            assert!(
                out.contains("[*] Замечаний, которые исправит `yasno check --fix`: 2.\n"),
                "{out}"
            );
            // Nothing is written back into a file that is not UTF-8: nothing to mark.
            let out = render(format, report(Some("windows-1251")));
            assert!(!out.contains("[*]"), "{out}");
        }
    }
}
