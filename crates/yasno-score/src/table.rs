//! The terminal table of `yasno score` and its CSV twin for spreadsheets.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use crate::{AnswerScore, CostKind, ScoreReport, decimal, findings_word, plural, signed};
use yasno_core::finding::Category;

fn grade_style(mark: u8) -> Style {
    let color = match mark {
        5 => AnsiColor::Green,
        4 => AnsiColor::Cyan,
        3 => AnsiColor::Yellow,
        _ => AnsiColor::Red,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        format!("{}{}{}", style.render(), text, style.render_reset())
    } else {
        text.to_string()
    }
}

/// «81 балл», «82 балла», «85 баллов».
pub fn points_word(score: u32) -> &'static str {
    plural(score as usize, "балл", "балла", "баллов")
}

/// The ranking table, then each answer's breakdown: what each category cost and why.
pub fn render(report: &ScoreReport, color: bool) -> String {
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut out = String::new();
    let count = report.answers.len();
    let _ = write!(
        out,
        "{}",
        paint(
            color,
            bold,
            &format!(
                "Оценка ответов: {count} {}",
                plural(count, "ответ", "ответа", "ответов")
            )
        )
    );
    if let Some(reference) = &report.reference {
        let _ = write!(
            out,
            "; эталон {} — {} {}",
            reference.path,
            reference.score,
            points_word(reference.score)
        );
    }
    out.push_str(".\n\n");

    let grade_width = report
        .answers
        .iter()
        .map(|a| a.grade_label.chars().count() + 2)
        .max()
        .unwrap_or(6)
        .max("Оценка".chars().count());
    let _ = writeln!(
        out,
        "{}",
        paint(
            color,
            bold,
            &format!(
                "{:>3}  {:>4}  {:<grade_width$}  {:>5}  {:>9}  Ответ",
                "№", "Балл", "Оценка", "Слов", "Замечаний"
            )
        )
    );
    for answer in &report.answers {
        let grade = format!("{} {}", answer.grade, answer.grade_label);
        let padded = format!("{grade:<grade_width$}");
        let _ = writeln!(
            out,
            "{:>3}  {}  {}  {:>5}  {:>9}  {}",
            answer.rank,
            paint(
                color,
                grade_style(answer.grade),
                &format!("{:>4}", answer.score)
            ),
            paint(color, grade_style(answer.grade), &padded),
            answer.words,
            answer.findings,
            answer.path
        );
    }

    for answer in &report.answers {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}. {} — {}",
            answer.rank,
            paint(color, bold, &answer.path),
            paint(
                color,
                grade_style(answer.grade),
                &format!(
                    "{} {} ({}, {})",
                    answer.score,
                    points_word(answer.score),
                    answer.grade,
                    answer.grade_label
                )
            )
        );
        if answer.breakdown.is_empty() && answer.short_cost == 0.0 {
            let _ = writeln!(out, "   замечаний нет, баллы не потеряны");
        } else {
            let _ = writeln!(out, "   {}", paint(color, dim, &answer_line(answer)));
        }
        for cost in &answer.breakdown {
            let how = match cost.kind {
                CostKind::Text => format!(
                    "{} {}, штрафных очков {}",
                    cost.findings,
                    findings_word(cost.findings),
                    decimal(cost.points)
                ),
                CostKind::Document => "недостаток всего ответа".to_string(),
            };
            let _ = writeln!(
                out,
                "   {:>6}  {} ({}): {how}",
                format!("−{}", decimal(cost.cost)),
                cost.category.label(),
                cost.category
            );
            for rule in &cost.rules {
                let quoted: Vec<String> = rule.examples.iter().map(|e| format!("«{e}»")).collect();
                let _ = writeln!(
                    out,
                    "           {} ×{} {}{}",
                    rule.code,
                    rule.count,
                    if quoted.is_empty() {
                        String::new()
                    } else {
                        format!("{} — ", quoted.join(", "))
                    },
                    paint(color, dim, &rule.title)
                );
            }
        }
        if answer.short_cost > 0.0 {
            let _ = writeln!(
                out,
                "   {:>6}  короткий ответ: {} {} в тексте (меньше {} — похоже на отписку)",
                format!("−{}", decimal(answer.short_cost)),
                answer.words,
                plural(answer.words, "слово", "слова", "слов"),
                report.weights.min_words
            );
        }
        if let Some(reference) = &answer.reference {
            if reference.avoided.is_empty() {
                let _ = writeln!(
                    out,
                    "   Эталон: всё, чего избегает эталон, избегает и ответ."
                );
            } else {
                let items: Vec<String> = reference
                    .avoided
                    .iter()
                    .map(|r| format!("{} ×{} ({})", r.code, r.count, r.title))
                    .collect();
                let _ = writeln!(
                    out,
                    "   Эталон ({} к эталону) избегает того, что есть в ответе: {}",
                    signed(reference.delta),
                    items.join("; ")
                );
            }
        }
    }
    out
}

/// «Слов: 98; замечаний: 7; штрафных очков на 100 слов: 7,1.»
fn answer_line(answer: &AnswerScore) -> String {
    format!(
        "слов: {}; замечаний: {}; штрафных очков на 100 слов: {}; потеряно: текст {}, весь ответ {}, краткость {}",
        answer.words,
        answer.findings,
        decimal(answer.density),
        decimal(answer.text_cost),
        decimal(answer.document_cost),
        decimal(answer.short_cost)
    )
}

/// RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// One row an answer in ranking order; a cost column per category (points lost, dot decimals).
pub fn render_csv(report: &ScoreReport) -> String {
    let mut header = vec![
        "rank",
        "path",
        "score",
        "grade",
        "grade_label",
        "words",
        "findings",
        "density",
        "text_cost",
        "document_cost",
        "short_cost",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    header.extend(Category::ALL.iter().map(|c| format!("cost_{}", c.name())));
    header.push("reference_delta".into());
    header.push("reference_avoided".into());
    let mut out = header.join(",");
    out.push('\n');
    for answer in &report.answers {
        let mut row = vec![
            answer.rank.to_string(),
            csv_field(&answer.path),
            answer.score.to_string(),
            answer.grade.to_string(),
            answer.grade_label.to_string(),
            answer.words.to_string(),
            answer.findings.to_string(),
            format!("{:.1}", answer.density),
            format!("{:.1}", answer.text_cost),
            format!("{:.1}", answer.document_cost),
            format!("{:.1}", answer.short_cost),
        ];
        for category in Category::ALL {
            let cost = answer
                .breakdown
                .iter()
                .find(|c| c.category == category)
                .map_or(0.0, |c| c.cost);
            row.push(format!("{cost:.1}"));
        }
        match &answer.reference {
            Some(reference) => {
                row.push(reference.delta.to_string());
                let codes: Vec<&str> = reference.avoided.iter().map(|r| r.code.as_str()).collect();
                row.push(codes.join(" "));
            }
            None => {
                row.push(String::new());
                row.push(String::new());
            }
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}
