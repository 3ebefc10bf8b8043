//! `--format github`: workflow commands that GitHub Actions shows as annotations on the changed lines.

use std::fmt::Write;

use super::FileReport;
use crate::finding::Severity;

/// Escaping of workflow command data and properties, as the runner expects.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn file(out: &mut String, report: &FileReport) {
    for f in &report.findings {
        let start = report.document.line_column(f.range.start);
        let end = report.document.line_column(f.range.end);
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        let mut message = f.message.clone();
        if let Some(first) = f.suggestions.first() {
            message.push_str(&format!(" → «{first}»"));
        }
        let _ = writeln!(
            out,
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&report.path),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("yasno {} ({})", f.code, f.category)),
            escape_data(&message)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_and_data_are_escaped() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("50%: ok\r\n"), "50%25: ok%0D%0A");
    }
}
