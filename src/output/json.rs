//! `--format json`: exactly one JSON document. Offsets are bytes into the file's UTF-8 text (end
//! exclusive); lines and columns are 1-based, columns in characters.

use serde::Serialize;

use super::stream::{close_array, item_at, pretty_at};
use super::{FileReport, Summary};
use crate::finding::{Category, Severity};
use crate::readability::Readability;

/// The document is `{"files": [...], "summary": {...}}`, written a file at a time.
pub(super) const HEADER: &str = "{\n  \"files\": [";

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    /// Present when the file was not UTF-8: offsets are into the text decoded to UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    readability: &'a Readability,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    name: &'a str,
    category: Category,
    severity: Severity,
    message: &'a str,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    text: &'a str,
    suggestions: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    advice: Option<&'a str>,
    /// Where the finding is in a .docx: part, paragraph (1-based), and the table cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<JsonLocation>,
}

#[derive(Serialize)]
struct JsonLocation {
    part: &'static str,
    paragraph: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<usize>,
}

fn location(report: &FileReport, offset: usize) -> Option<JsonLocation> {
    let block = report.document.rich.as_ref()?.block_at(offset)?;
    Some(JsonLocation {
        part: block.part.name(),
        paragraph: block.paragraph,
        table: block.cell.map(|c| c.table),
        row: block.cell.map(|c| c.row),
        cell: block.cell.map(|c| c.cell),
        note: block.note,
    })
}

/// One file's item of the `files` array; its summary holds its readability.
pub(super) fn file(out: &mut Vec<u8>, report: &FileReport, summary: &Summary) {
    let readability = summary
        .readability
        .as_ref()
        .expect("a file's summary has its readability");
    let file = JsonFile {
        path: &report.path,
        encoding: report.document.encoding,
        readability,
        diagnostics: report
            .findings
            .iter()
            .map(|f| {
                let start = report.document.line_column(f.range.start);
                let end = report.document.line_column(f.range.end);
                JsonDiagnostic {
                    rule: &f.code,
                    name: &f.name,
                    category: f.category,
                    severity: f.severity,
                    message: &f.message,
                    start: f.range.start,
                    end: f.range.end,
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    text: report.document.slice(f.range.clone()),
                    suggestions: &f.suggestions,
                    advice: f.advice.as_deref(),
                    location: location(report, f.range.start),
                }
            })
            .collect(),
    };
    item_at(out, &file, 2);
}

pub(super) fn footer(out: &mut String, items: bool, summary: &Summary) {
    close_array(out, 1, items);
    out.push_str(",\n  \"summary\": ");
    out.push_str(&pretty_at(summary, 1));
    out.push_str("\n}\n");
}
