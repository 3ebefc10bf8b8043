//! Output formats. Each is a small module that turns checked files into text for a caller.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

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

#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub findings: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
    pub by_category: BTreeMap<Category, usize>,
    /// Readability of all the checked text read as one.
    pub readability: Option<Readability>,
}

impl Summary {
    pub fn of(reports: &[FileReport]) -> Self {
        let mut summary = Summary {
            files: reports.len(),
            ..Summary::default()
        };
        for finding in reports.iter().flat_map(|r| &r.findings) {
            summary.findings += 1;
            match finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
                Severity::Hint => summary.hints += 1,
            }
            *summary.by_category.entry(finding.category).or_default() += 1;
        }
        let parts: Vec<Readability> = reports.iter().map(|r| readability(&r.document)).collect();
        summary.readability = Some(Readability::combined(&parts));
        summary
    }
}
