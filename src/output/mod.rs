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
