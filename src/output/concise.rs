//! `--format concise`: one line a finding, `path:line:column: severity[CODE] message`, as ruff's
//! concise output and compilers print, so editors and grep can read it.

use std::fmt::Write;

use super::{FileReport, Summary};

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for report in reports {
        for f in &report.findings {
            let at = report.document.line_column(f.range.start);
            let _ = writeln!(
                out,
                "{}:{}:{}: {}[{}] {}",
                report.path,
                at.line,
                at.column,
                f.severity,
                f.code,
                f.message.replace('\n', " ")
            );
        }
    }
    let summary = Summary::of(reports);
    let _ = writeln!(out, "{}", super::human::summary_line(&summary));
    out
}
