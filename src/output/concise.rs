//! `--format concise`: one line a finding, `path:line:column: severity[CODE] message`, as ruff's
//! concise output and compilers print, so editors and grep can read it.

use std::fmt::Write;

use super::{FileReport, Summary};

pub(super) fn file(out: &mut String, report: &FileReport) {
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

pub(super) fn footer(out: &mut String, summary: &Summary) {
    let _ = writeln!(out, "{}", super::human::summary_line(summary));
}
