//! `--format json`: exactly one JSON document. Offsets are bytes into the file's UTF-8 text (end
//! exclusive); lines and columns are 1-based, columns in characters.

use serde::Serialize;

use super::stream::{PrettyWriter, close_array, pretty_at};
use super::{FileReport, Summary};
use crate::finding::{Applicability, Category, Finding, Severity};

/// The document is `{"files": [...], "summary": {...}}`, written a file at a time.
pub(super) const HEADER: &str = "{\n  \"files\": [";

/// The item `file` writes, as a derived serialisation (the reference its test compares with).
#[cfg(test)]
#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    /// Present when the file was not UTF-8: offsets are into the text decoded to UTF-8.
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    readability: &'a crate::readability::Readability,
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
    /// Whether `--fix` applies `suggestions[0]` (`safe`), a person chooses one (`suggestion`),
    /// or the text needs rewriting (`advice`).
    applicability: Applicability,
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

/// One file's item of the `files` array; its summary holds its readability. Written by hand
/// (`PrettyWriter`); a test checks that it is what serialising `JsonFile` gives.
/// `flush` is called after each diagnostic with what is written so far; it may take it away.
pub(super) fn file(
    out: &mut Vec<u8>,
    report: &FileReport,
    summary: &Summary,
    flush: &mut dyn FnMut(&mut Vec<u8>),
) {
    let readability = summary
        .readability
        .as_ref()
        .expect("a file's summary has its readability");
    out.push(b'\n');
    out.extend_from_slice(b"    ");
    let mut w = PrettyWriter::at(out, 2);
    w.begin_object();
    w.key("path");
    w.string(&report.path);
    if let Some(encoding) = report.document.encoding {
        w.key("encoding");
        w.string(encoding);
    }
    w.key("diagnostics");
    w.begin_array();
    for finding in &report.findings {
        w.item();
        diagnostic(report, finding).write(&mut w);
        flush(w.out);
    }
    w.end_array();
    w.key("readability");
    w.value(readability);
    w.end_object();
}

fn diagnostic<'a>(report: &'a FileReport, f: &'a Finding) -> JsonDiagnostic<'a> {
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
        applicability: f.applicability,
        advice: f.advice.as_deref(),
        location: location(report, f.range.start),
    }
}

impl JsonDiagnostic<'_> {
    /// The fields in declaration order, as the derived `Serialize` writes them.
    fn write(&self, w: &mut PrettyWriter) {
        w.begin_object();
        w.key("rule");
        w.string(self.rule);
        w.key("name");
        w.string(self.name);
        w.key("category");
        w.string(self.category.name());
        w.key("severity");
        w.string(self.severity.name());
        w.key("message");
        w.string(self.message);
        for (key, n) in [
            ("start", self.start),
            ("end", self.end),
            ("line", self.line),
            ("column", self.column),
            ("end_line", self.end_line),
            ("end_column", self.end_column),
        ] {
            w.key(key);
            w.number(n);
        }
        w.key("text");
        w.string(self.text);
        w.key("suggestions");
        w.begin_array();
        for suggestion in self.suggestions {
            w.item();
            w.string(suggestion);
        }
        w.end_array();
        w.key("applicability");
        w.string(self.applicability.name());
        if let Some(advice) = self.advice {
            w.key("advice");
            w.string(advice);
        }
        if let Some(location) = &self.location {
            w.key("location");
            w.value(location);
        }
        w.end_object();
    }
}

pub(super) fn footer(out: &mut String, items: bool, summary: &Summary) {
    close_array(out, 1, items);
    out.push_str(",\n  \"summary\": ");
    out.push_str(&pretty_at(summary, 1));
    out.push_str("\n}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::LemmaCache;
    use crate::linter::Linter;
    use crate::text::Document;

    /// The hand-written item is byte for byte what serde_json writes for `JsonFile`.
    #[test]
    fn file_items_are_what_serde_json_writes() {
        let linter = Linter::with_default_rules().unwrap();
        let mut cache = LemmaCache::new();
        let letters = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/letters/bad");
        let mut checked = 0;
        for entry in std::fs::read_dir(letters).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut document = Document::new(text + "\n\"Кавычки\" и \\ и \t табуляция.");
            document.encoding = Some("windows-1251");
            let findings = linter.check(&document, &mut cache);
            checked += findings.len();
            let report = FileReport {
                path: "письма/\"ответ\".txt".into(),
                document,
                findings,
            };
            let summary = Summary::of_file(&report);
            let mut written = Vec::new();
            file(&mut written, &report, &summary, &mut |_| {});
            let reference = JsonFile {
                path: &report.path,
                encoding: report.document.encoding,
                readability: summary.readability.as_ref().unwrap(),
                diagnostics: report
                    .findings
                    .iter()
                    .map(|f| diagnostic(&report, f))
                    .collect(),
            };
            let expected = format!("\n    {}", pretty_at(&reference, 2));
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
        assert!(checked > 50, "{checked} findings");
    }
}
