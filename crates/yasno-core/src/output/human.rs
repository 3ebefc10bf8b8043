//! The default output, in the manner of rustc and ruff: where, what, the line with the span
//! underlined (in characters and display columns, so Cyrillic lines up), and what to write instead.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthChar;

use super::{FileReport, Summary};
use crate::engine::RuleSet;
use crate::finding::{Finding, Severity};
use crate::readability::Readability;

const MAX_LINE_CHARS: usize = 100;
/// A span longer than this is shown cut, with «…»: a finding never prints a whole long line.
const MAX_SHOWN_CHARS: usize = 3 * MAX_LINE_CHARS;

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Blue,
        Severity::Hint => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

/// Writes with or without ANSI colour; the caller decides (terminal, --no-color, NO_COLOR).
struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{}{}", style.render(), text, style.render_reset())
        } else {
            text.to_string()
        }
    }
}

pub(super) fn file(out: &mut String, report: &FileReport, rules: &RuleSet, color: bool) {
    let painter = Painter { color };
    if let Some(encoding) = report.document.encoding {
        let note = Style::new().bold();
        let _ = writeln!(
            out,
            "{} {}: файл в кодировке {encoding}, прочитан с перекодировкой в UTF-8\n",
            painter.paint(note, "note:"),
            report.path
        );
    }
    let fixes = super::fixes(report);
    for (finding, fix) in report.findings.iter().zip(&fixes) {
        render_finding(out, report, finding, fix.is_some(), rules, &painter);
    }
}

fn render_finding(
    out: &mut String,
    report: &FileReport,
    finding: &Finding,
    fixable: bool,
    rules: &RuleSet,
    painter: &Painter,
) {
    let doc = &report.document;
    let text = doc.text();
    let start = doc.line_column(finding.range.start);
    let blue = Style::new().fg_color(Some(AnsiColor::Blue.into())).bold();
    let bold = Style::new().bold();
    let style = severity_style(finding.severity);
    let _ = writeln!(
        out,
        "{}{} {}{}",
        painter.paint(style, &format!("{}[{}]", finding.severity, finding.code)),
        painter.paint(bold, ":"),
        fixable_mark(fixable),
        painter.paint(bold, &finding.message)
    );
    // In a .docx, the paragraph is the unit a person finds, and it is what is quoted.
    let block = doc
        .rich
        .as_ref()
        .and_then(|rich| rich.block_at(finding.range.start));
    let place = block.map(docx_place).unwrap_or_default();
    let _ = writeln!(
        out,
        "  {} {}:{}:{}{place}",
        painter.paint(blue, "-->"),
        report.path,
        start.line,
        start.column
    );
    // The first line of the span (the paragraph in a .docx), underlined up to its end.
    let line_index = start.line - 1;
    let line_range = match block {
        Some(block) => block.range.clone(),
        None => doc.lines.line_range(text, line_index),
    };
    let line = &text[line_range.clone()];
    let span_start = finding.range.start.clamp(line_range.start, line_range.end) - line_range.start;
    let span_end = finding.range.end.clamp(line_range.start, line_range.end) - line_range.start;
    let (shown, under_start, under_len) = excerpt(line, span_start, span_end.max(span_start));
    let number = start.line.to_string();
    let gutter = " ".repeat(number.len());
    let _ = writeln!(out, "{gutter} {}", painter.paint(blue, "|"));
    let _ = writeln!(
        out,
        "{} {} {}",
        painter.paint(blue, &number),
        painter.paint(blue, "|"),
        shown
    );
    let mut marker = "^".repeat(under_len.max(1));
    if finding.range.end > line_range.end {
        marker.push_str("...");
    }
    let _ = writeln!(
        out,
        "{gutter} {} {}{}",
        painter.paint(blue, "|"),
        " ".repeat(under_start),
        painter.paint(style, &marker)
    );
    let help = Style::new().fg_color(Some(AnsiColor::Green.into())).bold();
    if !finding.suggestions.is_empty() {
        let options: Vec<String> = finding
            .suggestions
            .iter()
            .map(|s| format!("«{s}»"))
            .collect();
        let _ = writeln!(
            out,
            "{gutter} {} замените на {}",
            painter.paint(help, "= help:"),
            options.join(" или ")
        );
    }
    if let Some(advice) = &finding.advice {
        let _ = writeln!(
            out,
            "{gutter} {} {}",
            painter.paint(help, "= help:"),
            advice
        );
    }
    if let Some(rule) = rules.get(&finding.code) {
        let _ = writeln!(
            out,
            "{gutter} {} {}",
            painter.paint(bold, "= note:"),
            rule.clause
        );
    }
    out.push('\n');
}

/// « (абзац 3, таблица 1, строка 2, ячейка 1)»: where a paragraph of a .docx is.
fn docx_place(block: &crate::text::rich::BlockLocation) -> String {
    use crate::text::rich::Part;
    let mut parts = Vec::new();
    match block.part {
        Part::Body => {}
        Part::Footnote | Part::Endnote => parts.push(format!(
            "{} {}",
            block.part.russian(),
            block.note.unwrap_or_default()
        )),
        part => parts.push(part.russian().to_string()),
    }
    parts.push(format!("абзац {}", block.paragraph));
    if let Some(cell) = block.cell {
        parts.push(format!(
            "таблица {}, строка {}, ячейка {}",
            cell.table, cell.row, cell.cell
        ));
    }
    format!(" ({})", parts.join(", "))
}

/// The line as displayed (tabs expanded, long lines cut around the span), and the display column
/// and width of the underline. Only a window around the span is read, so that each finding costs
/// the same on a line of 50 MB as on a short one.
fn excerpt(line: &str, span_start: usize, span_end: usize) -> (String, usize, usize) {
    let span_start = ceil_char_boundary(line, span_start);
    let span_end = ceil_char_boundary(line, span_end).max(span_start);
    let (from, to) = if line.chars().nth(MAX_LINE_CHARS).is_some() {
        let from = chars_back(line, span_start, 30);
        let to = chars_on(line, span_end, 40)
            .max(chars_on(line, from, MAX_LINE_CHARS))
            .min(chars_on(line, from, MAX_SHOWN_CHARS));
        (from, to)
    } else {
        (0, line.len())
    };
    let mut shown = String::new();
    let mut column = 0;
    let (mut under_start, mut under_len) = (None, 0);
    if from > 0 {
        shown.push('…');
        column += 1;
    }
    for (i, ch) in line[from..to].char_indices() {
        let i = from + i;
        if i >= span_start && under_start.is_none() {
            under_start = Some(column);
        }
        let (piece, width) = if ch == '\t' {
            ("    ".to_string(), 4)
        } else if ch.is_control() {
            (" ".to_string(), 1)
        } else {
            (ch.to_string(), ch.width().unwrap_or(0))
        };
        if i >= span_start && i < span_end {
            under_len += width;
        }
        shown.push_str(&piece);
        column += width;
    }
    if to < line.len() {
        shown.push('…');
    }
    (shown, under_start.unwrap_or(column), under_len)
}

/// The first character boundary at or after `offset`.
fn ceil_char_boundary(line: &str, mut offset: usize) -> usize {
    offset = offset.min(line.len());
    while !line.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// The offset `count` characters before `at` (or the start of the line).
fn chars_back(line: &str, at: usize, count: usize) -> usize {
    line[..at]
        .char_indices()
        .rev()
        .take(count)
        .last()
        .map_or(at, |(i, _)| i)
}

/// The offset `count` characters after `at` (or the end of the line).
fn chars_on(line: &str, at: usize, count: usize) -> usize {
    line[at..]
        .char_indices()
        .nth(count)
        .map_or(line.len(), |(i, _)| at + i)
}

pub(super) fn footer(out: &mut String, summary: &Summary, color: bool) {
    let painter = Painter { color };
    let bold = Style::new().bold();
    let _ = writeln!(out, "{}", painter.paint(bold, &summary_line(summary)));
    if let Some(line) = fixable_line(summary) {
        let _ = writeln!(out, "{line}");
    }
    if let Some(line) = summary.readability.as_ref().and_then(readability_line) {
        let _ = writeln!(out, "{line}");
    }
}

/// «Замечаний: 5 (ошибки: 1, предупреждения: 4) в файлах: 1; по категориям: jargon 4, forbidden 1.»
pub fn summary_line(summary: &Summary) -> String {
    if summary.findings == 0 {
        return format!("Замечаний нет (файлов: {}).", summary.files);
    }
    let mut parts = Vec::new();
    for (label, count) in [
        ("ошибки", summary.errors),
        ("предупреждения", summary.warnings),
        ("сведения", summary.infos),
        ("подсказки", summary.hints),
    ] {
        if count > 0 {
            parts.push(format!("{label}: {count}"));
        }
    }
    let categories: Vec<String> = summary
        .by_category
        .iter()
        .map(|(category, count)| format!("{category} {count}"))
        .collect();
    format!(
        "Замечаний: {} ({}) в файлах: {}; по категориям: {}.",
        summary.findings,
        parts.join(", "),
        summary.files,
        categories.join(", ")
    )
}

/// «[*] » before the message of a finding that `--fix` fixes, as ruff marks it.
pub(super) fn fixable_mark(fixable: bool) -> &'static str {
    if fixable { "[*] " } else { "" }
}

/// «[*] Замечаний, которые исправит `yasno check --fix`: 3.», when there are any (ruff's
/// «[*] 3 fixable with the `--fix` option.»).
pub(super) fn fixable_line(summary: &Summary) -> Option<String> {
    (summary.fixable > 0).then(|| {
        format!(
            "[*] Замечаний, которые исправит `yasno check --fix`: {}.",
            summary.fixable
        )
    })
}

/// «Читаемость: 64,2 по Флешу — читается без труда (8–9 классы); …»
fn readability_line(r: &Readability) -> Option<String> {
    let ease = r.flesch_reading_ease?;
    Some(format!(
        "Читаемость: {} по Флешу — {}; лет обучения: {}; слов в предложении: в среднем {}, самое большее {}.",
        decimal(ease),
        r.level.unwrap_or_default(),
        decimal(r.grade.unwrap_or_default()),
        decimal(r.average_sentence_length.unwrap_or_default()),
        r.longest_sentence
    ))
}

/// Russian decimal comma.
fn decimal(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underline_counts_display_columns_not_bytes() {
        let line = "Ваше обращение взято на контроль.";
        let start = line.find("взято").unwrap();
        let end = line.find('.').unwrap();
        let (shown, at, len) = excerpt(line, start, end);
        assert_eq!(shown, line);
        assert_eq!(at, "Ваше обращение ".chars().count());
        assert_eq!(len, "взято на контроль".chars().count());
    }

    /// A span as long as a whole long line is shown cut: a finding never prints the whole line.
    #[test]
    fn long_spans_are_cut_too() {
        let line = "слово ".repeat(10_000);
        let (shown, at, len) = excerpt(&line, 0, line.len());
        assert_eq!(at, 0);
        assert_eq!(shown.chars().count(), MAX_SHOWN_CHARS + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(len, MAX_SHOWN_CHARS);
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{} в целях {}", "слово ".repeat(40), "слово ".repeat(40));
        let start = line.find("в целях").unwrap();
        let (shown, at, len) = excerpt(&line, start, start + "в целях".len());
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(
            shown.chars().skip(at).take(len).collect::<String>(),
            "в целях"
        );
    }
}
