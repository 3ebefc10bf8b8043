//! `--format concise`: one line a finding, `path:line:column: severity[CODE] message`, as ruff's
//! concise output and compilers print, so editors and grep can read it.

use std::fmt::Write;

use super::{FileReport, Summary, human};

pub(super) fn file(out: &mut String, report: &FileReport) {
    let fixes = super::fixes(report);
    for (f, fix) in report.findings.iter().zip(&fixes) {
        let at = report.document.line_column(f.range.start);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}{}",
            report.path,
            at.line,
            at.column,
            f.severity,
            f.code,
            human::fixable_mark(fix.is_some()),
            f.message.replace('\n', " ")
        );
    }
}

pub(super) fn footer(out: &mut String, summary: &Summary) {
    let _ = writeln!(out, "{}", human::summary_line(summary));
    if let Some(line) = human::fixable_line(summary) {
        let _ = writeln!(out, "{line}");
    }
}
