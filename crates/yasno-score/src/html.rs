//! `yasno score --format html`: one self-contained page (inline CSS and SVG, no scripts, no fonts
//! or images from anywhere; a Content-Security-Policy forbids any request) with the ranking, a
//! chart of the scores, the cost of each category, and each answer with its findings highlighted
//! and explained. The page is the same for the same input: no dates, no random ids.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use crate::table::points_word;
use crate::{AnswerScore, CostKind, ScoreReport, decimal, findings_word, plural, signed};
use yasno_core::engine::RuleSet;
use yasno_core::finding::{Category, Finding, Severity};
use yasno_core::output::FileReport;
pub use yasno_core::rule_docs::escape_html as escape;
use yasno_core::rule_docs::{Detail, RuleDoc};

const STYLE: &str = include_str!("report.css");

/// The brevity cost beside the categories' colours (`Category::color`).
const SHORT_COLOR: &str = "#9aa3ad";

fn grade_color(mark: u8) -> &'static str {
    match mark {
        5 => "#2e7d32",
        4 => "#689f38",
        3 => "#e0a100",
        _ => "#c62828",
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn folder(path: &str) -> &str {
    let name = file_name(path);
    path[..path.len() - name.len()].trim_end_matches(['/', '\\'])
}

pub fn render(
    report: &ScoreReport,
    reports: &[FileReport],
    reference: Option<&FileReport>,
    rules: &RuleSet,
) -> String {
    let by_path: BTreeMap<&str, &FileReport> =
        reports.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Letters hold personal data: the page must never reach out to the network.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"generator\" content=\"yasno score\">\n");
    out.push_str("<title>Оценка ответов — yasno</title>\n<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<div class=\"wrap\">\n");

    render_header(&mut out, report);
    render_chart(&mut out, report);
    render_ranking(&mut out, report);
    let scale = report
        .answers
        .iter()
        .flat_map(|a| a.breakdown.iter().map(|c| c.cost).chain([a.short_cost]))
        .fold(10.0_f64, f64::max);
    for (index, answer) in report.answers.iter().enumerate() {
        if let Some(file) = by_path.get(answer.path.as_str()) {
            render_answer(&mut out, index + 1, answer, file, rules, report, scale);
        }
    }
    if let (Some(scored), Some(file)) = (&report.reference, reference) {
        render_reference(&mut out, scored, file, rules, report, scale);
    }
    render_formula(&mut out, report);
    out.push_str("<footer>Отчёт составлен программой yasno (<code>yasno score</code>). Формула и веса — docs/scoring.md и раздел «Как считается балл» выше.</footer>\n");
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

fn render_header(out: &mut String, report: &ScoreReport) {
    let count = report.answers.len();
    let total: u64 = report.answers.iter().map(|a| a.score as u64).sum();
    // Integer arithmetic: the same average on every machine.
    let average = (total * 2 + count as u64) / (2 * count.max(1) as u64);
    let _ = writeln!(
        out,
        "<header class=\"page-head\">\n<h1>Оценка ответов</h1>\n<p class=\"lead\">{count} {} · средний балл <b>{average}</b>{}</p>",
        plural(count, "ответ", "ответа", "ответов"),
        match &report.reference {
            Some(r) => format!(
                " · эталон <a href=\"#reference\">{}</a> — {} {}",
                escape(file_name(&r.path)),
                r.score,
                points_word(r.score)
            ),
            None => String::new(),
        }
    );
    let grades = report.weights.grades;
    let _ = writeln!(
        out,
        "<p class=\"grades\"><span class=\"badge g5\">5 · от {}</span> <span class=\"badge g4\">4 · от {}</span> <span class=\"badge g3\">3 · от {}</span> <span class=\"badge g2\">2 · ниже {}</span> <a href=\"#formula\">Как считается балл</a></p>\n</header>",
        grades[0], grades[1], grades[2], grades[2]
    );
}

/// Horizontal bars, one an answer in ranking order, with the grade thresholds as dashed lines.
fn render_chart(out: &mut String, report: &ScoreReport) {
    const LABEL: u32 = 230;
    const BAR: u32 = 560;
    const ROW: u32 = 30;
    const TOP: u32 = 26;
    let rows = report.answers.len() as u32;
    let width = LABEL + BAR + 50;
    let height = TOP + rows * ROW + 8;
    let x = |score: u32| LABEL + score * BAR / 100;
    out.push_str(
        "<section class=\"card\" id=\"chart\">\n<h2>Баллы</h2>\n<div class=\"chart-wrap\">\n",
    );
    let _ = writeln!(
        out,
        "<svg class=\"score-chart\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-label=\"Баллы ответов от 0 до 100\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for tick in [0, 25, 50, 75, 100] {
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/><text class=\"tick\" x=\"{0}\" y=\"14\" text-anchor=\"middle\">{tick}</text>",
            x(tick),
            TOP - 6,
            height - 4
        );
    }
    for (mark, threshold) in [5, 4, 3].into_iter().zip(report.weights.grades) {
        let _ = writeln!(
            out,
            "<line class=\"threshold\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"{3}\"><title>оценка {mark}: от {threshold}</title></line>",
            x(threshold),
            TOP - 4,
            height - 4,
            grade_color(mark)
        );
    }
    for (index, answer) in report.answers.iter().enumerate() {
        let y = TOP + index as u32 * ROW;
        let name = file_name(&answer.path);
        let shown: String = if name.chars().count() > 30 {
            format!("{}…", name.chars().take(29).collect::<String>())
        } else {
            name.to_string()
        };
        let _ = writeln!(
            out,
            "<a href=\"#answer-{n}\"><g class=\"bar-row\"><title>{path}: {score} {pw}, оценка {grade}</title><text class=\"label\" x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{n}. {shown}</text><rect class=\"track\" x=\"{LABEL}\" y=\"{by}\" width=\"{BAR}\" height=\"18\" rx=\"4\"/><rect class=\"bar\" x=\"{LABEL}\" y=\"{by}\" width=\"{bw}\" height=\"18\" rx=\"4\" fill=\"{color}\"/><text class=\"value\" x=\"{vx}\" y=\"{ty}\">{score}</text></g></a>",
            n = index + 1,
            path = escape(&answer.path),
            score = answer.score,
            pw = points_word(answer.score),
            grade = answer.grade,
            lx = LABEL - 10,
            ty = y + 14,
            by = y + 1,
            bw = (answer.score * BAR / 100).max(2),
            color = grade_color(answer.grade),
            vx = x(answer.score) + 6,
            shown = escape(&shown),
        );
    }
    out.push_str("</svg>\n<div class=\"grade-counts\">\n");
    // How many answers got each grade: the spread of the group at a glance.
    for mark in [5u8, 4, 3, 2] {
        let count = report.answers.iter().filter(|a| a.grade == mark).count();
        let _ = writeln!(
            out,
            "<div class=\"gc\"><span class=\"badge g{mark}\">{mark}</span><span class=\"gc-label\">{}</span><b>{count}</b></div>",
            crate::Grade { mark }.label()
        );
    }
    out.push_str("</div>\n</div>\n</section>\n");
}

/// The segments of a stacked bar of the points lost, in the order of the breakdown.
fn loss_segments(answer: &AnswerScore) -> Vec<(String, &'static str, f64)> {
    let mut segments: Vec<(String, &'static str, f64)> = answer
        .breakdown
        .iter()
        .filter(|c| c.cost > 0.0)
        .map(|c| (c.category.label().to_string(), c.category.color(), c.cost))
        .collect();
    if answer.short_cost > 0.0 {
        segments.push(("краткость".into(), SHORT_COLOR, answer.short_cost));
    }
    segments
}

fn render_ranking(out: &mut String, report: &ScoreReport) {
    let with_reference = report.reference.is_some();
    out.push_str("<section class=\"card\" id=\"ranking-card\">\n<h2>Рейтинг</h2>\n<div class=\"table-scroll\">\n<table id=\"ranking\">\n<thead><tr><th class=\"num\">№</th><th>Ответ</th><th class=\"num\">Балл</th><th>Оценка</th><th class=\"num\">Слов</th><th class=\"num\">Замечаний</th><th class=\"loss-col\">Потеряно баллов, по категориям</th>");
    if with_reference {
        out.push_str("<th class=\"num\">К эталону</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let mut used: BTreeSet<Category> = BTreeSet::new();
    let mut short_used = false;
    for (index, answer) in report.answers.iter().enumerate() {
        let mut stack = String::new();
        for (label, color, cost) in loss_segments(answer) {
            let _ = write!(
                stack,
                "<span style=\"width:{}%;background:{color}\" title=\"{}: −{}\"></span>",
                decimal(cost).replace(',', "."),
                escape(&label),
                decimal(cost)
            );
        }
        used.extend(
            answer
                .breakdown
                .iter()
                .filter(|c| c.cost > 0.0)
                .map(|c| c.category),
        );
        short_used |= answer.short_cost > 0.0;
        let lost = 100 - answer.score;
        let _ = write!(
            out,
            "<tr data-score=\"{score}\"><td class=\"num rank\">{rank}</td><td class=\"name\"><a href=\"#answer-{n}\">{name}</a><span class=\"dir\">{dir}</span></td><td class=\"num score\"><b style=\"color:{color}\">{score}</b></td><td><span class=\"badge g{grade}\">{grade} · {label}</span></td><td class=\"num\">{words}</td><td class=\"num\">{findings}</td><td><div class=\"stack\" title=\"потеряно {lost} из 100\">{stack}</div></td>",
            score = answer.score,
            rank = answer.rank,
            n = index + 1,
            name = escape(file_name(&answer.path)),
            dir = escape(folder(&answer.path)),
            color = grade_color(answer.grade),
            grade = answer.grade,
            label = answer.grade_label,
            words = answer.words,
            findings = answer.findings,
        );
        if let Some(reference) = &answer.reference {
            let _ = write!(
                out,
                "<td class=\"num delta{}\">{}</td>",
                if reference.delta < 0 { " neg" } else { "" },
                signed(reference.delta)
            );
        } else if with_reference {
            out.push_str("<td></td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n<p class=\"legend\">");
    for category in used {
        let _ = write!(
            out,
            "<span><i style=\"background:{}\"></i>{}</span>",
            category.color(),
            category.label()
        );
    }
    if short_used {
        let _ = write!(
            out,
            "<span><i style=\"background:{SHORT_COLOR}\"></i>краткость</span>"
        );
    }
    out.push_str("<span class=\"note\">Полоса — 100 баллов; закрашено то, что ответ потерял.</span></p>\n</section>\n");
}

fn render_breakdown(out: &mut String, answer: &AnswerScore, min_words: usize, scale: f64) {
    out.push_str("<div class=\"breakdown\">\n<h3>Где потеряны баллы</h3>\n");
    if answer.breakdown.is_empty() && answer.short_cost == 0.0 {
        out.push_str("<p class=\"clean\">Замечаний нет: ответ не потерял ни одного балла.</p>\n");
    }
    let width = |cost: f64| decimal((cost / scale * 100.0).clamp(0.0, 100.0)).replace(',', ".");
    for cost in &answer.breakdown {
        let how = match cost.kind {
            CostKind::Text => format!(
                "{} {} · {} штрафных очков",
                cost.findings,
                findings_word(cost.findings),
                decimal(cost.points)
            ),
            CostKind::Document => format!(
                "недостаток всего ответа · {} {}",
                cost.findings,
                findings_word(cost.findings)
            ),
        };
        let why: Vec<String> = cost
            .rules
            .iter()
            .map(|r| {
                let examples: Vec<String> = r
                    .examples
                    .iter()
                    .map(|e| format!("«{}»", escape(e)))
                    .collect();
                format!(
                    "<li><code>{}</code> ×{} {}<span class=\"rule-title\">{}</span></li>",
                    escape(&r.code),
                    r.count,
                    if examples.is_empty() {
                        String::new()
                    } else {
                        format!("<span class=\"ex\">{}</span> — ", examples.join(", "))
                    },
                    escape(&r.title),
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<div class=\"cat-row\" data-category=\"{cat}\"><div class=\"cat-head\"><span class=\"cat-name\"><i style=\"background:{color}\"></i>{label}</span><span class=\"cat-bar\"><span style=\"width:{w}%;background:{color}\"></span></span><span class=\"cost\">−{c}</span></div><div class=\"cat-how\">{how}</div><ul class=\"why\">{why}</ul></div>",
            cat = cost.category,
            color = cost.category.color(),
            label = cost.category.label(),
            w = width(cost.cost),
            c = decimal(cost.cost),
            why = why.join(""),
        );
    }
    if answer.short_cost > 0.0 {
        let _ = writeln!(
            out,
            "<div class=\"cat-row\" data-category=\"short\"><div class=\"cat-head\"><span class=\"cat-name\"><i style=\"background:{SHORT_COLOR}\"></i>краткость</span><span class=\"cat-bar\"><span style=\"width:{w}%;background:{SHORT_COLOR}\"></span></span><span class=\"cost\">−{c}</span></div><div class=\"cat-how\">{words} {ww} в тексте, меньше {min_words}: такой короткий ответ похож на отписку</div></div>",
            w = width(answer.short_cost),
            c = decimal(answer.short_cost),
            words = answer.words,
            ww = plural(answer.words, "слово", "слова", "слов"),
        );
    }
    out.push_str("</div>\n");
}

fn render_answer(
    out: &mut String,
    number: usize,
    answer: &AnswerScore,
    file: &FileReport,
    rules: &RuleSet,
    report: &ScoreReport,
    scale: f64,
) {
    let id = format!("answer-{number}");
    let _ = writeln!(out, "<section class=\"answer card\" id=\"{id}\">");
    render_answer_head(
        out,
        &format!("{}. {}", answer.rank, file_name(&answer.path)),
        answer,
    );
    render_breakdown(out, answer, report.weights.min_words, scale);
    if let Some(reference) = &answer.reference {
        out.push_str("<div class=\"ref-gap\">\n<h3>Чего избегает эталон</h3>\n");
        if reference.avoided.is_empty() {
            out.push_str(
                "<p class=\"clean\">Всего, чего избегает эталон, избегает и этот ответ.</p>\n",
            );
        } else {
            let _ = writeln!(
                out,
                "<p>Эталон не допускает того, что есть в этом ответе ({} {} к эталону):</p>\n<ul>",
                signed(reference.delta),
                plural(
                    reference.delta.unsigned_abs() as usize,
                    "балл",
                    "балла",
                    "баллов"
                )
            );
            for gap in &reference.avoided {
                let examples: Vec<String> = gap
                    .examples
                    .iter()
                    .map(|e| format!("«{}»", escape(e)))
                    .collect();
                let _ = writeln!(
                    out,
                    "<li><span class=\"sev-dot sev-{sev}\" title=\"{sl}\"></span><code>{code}</code> ×{count} {ex}<span class=\"rule-title\">{title}</span></li>",
                    sev = gap.severity,
                    sl = gap.severity.label(),
                    code = escape(&gap.code),
                    title = escape(&gap.title),
                    count = gap.count,
                    ex = if examples.is_empty() {
                        String::new()
                    } else {
                        format!("<span class=\"ex\">{}</span> — ", examples.join(", "))
                    }
                );
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</div>\n");
    }
    render_text_and_findings(out, &id, file, rules);
    out.push_str("</section>\n");
}

fn render_answer_head(out: &mut String, title: &str, answer: &AnswerScore) {
    let _ = writeln!(
        out,
        "<div class=\"answer-head\"><div class=\"score-badge\" style=\"--g:{color}\"><span class=\"big\">{score}</span><span class=\"of\">из 100</span></div><div class=\"answer-title\"><h2>{title}</h2><p class=\"path\">{path}</p><p class=\"meta\"><span class=\"badge g{grade}\">{grade} · {label}</span> {words} {ww} · {findings} {fw} · {density} штрафных очков на 100 слов</p></div></div>",
        color = grade_color(answer.grade),
        score = answer.score,
        title = escape(title),
        path = escape(&answer.path),
        grade = answer.grade,
        label = answer.grade_label,
        words = answer.words,
        ww = plural(answer.words, "слово", "слова", "слов"),
        findings = answer.findings,
        fw = findings_word(answer.findings),
        density = decimal(answer.density),
    );
}

fn render_reference(
    out: &mut String,
    scored: &AnswerScore,
    file: &FileReport,
    rules: &RuleSet,
    report: &ScoreReport,
    scale: f64,
) {
    out.push_str("<section class=\"answer card reference\" id=\"reference\">\n");
    render_answer_head(out, &format!("Эталон: {}", file_name(&scored.path)), scored);
    render_breakdown(out, scored, report.weights.min_words, scale);
    render_text_and_findings(out, "reference", file, rules);
    out.push_str("</section>\n");
}

/// The letter with each finding highlighted and numbered, and the list of findings explained.
fn render_text_and_findings(out: &mut String, id: &str, file: &FileReport, rules: &RuleSet) {
    out.push_str("<div class=\"answer-body\">\n<div class=\"text-col\">\n<h3>Текст ответа</h3>\n<div class=\"letter\">");
    out.push_str(&highlight(file, id));
    out.push_str("</div>\n</div>\n<div class=\"findings-col\">\n");
    let _ = writeln!(out, "<h3>Замечания ({})</h3>", file.findings.len());
    if file.findings.is_empty() {
        out.push_str("<p class=\"clean\">Замечаний нет.</p>\n");
    } else {
        out.push_str("<ol class=\"findings\">\n");
        for (index, finding) in file.findings.iter().enumerate() {
            render_finding(out, id, index + 1, finding, file, rules);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</div>\n</div>\n");
}

fn render_finding(
    out: &mut String,
    id: &str,
    number: usize,
    finding: &Finding,
    file: &FileReport,
    rules: &RuleSet,
) {
    let fragment = file
        .document
        .slice(finding.range.clone())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let line = file.document.line_column(finding.range.start).line;
    let _ = write!(
        out,
        "<li class=\"finding sev-{sev}\" id=\"{id}-f{number}\"><div class=\"f-head\"><a class=\"fnum\" href=\"#{id}-m{number}\">{number}</a><span class=\"sev-label\">{sl}</span><code>{code}</code><span class=\"f-cat\">{cat}</span><span class=\"f-line\">строка {line}</span></div><p class=\"msg\">{msg}</p>",
        sev = finding.severity,
        sl = finding.severity.label(),
        code = escape(&finding.code),
        cat = finding.category.label(),
        msg = escape(&finding.message),
    );
    if !fragment.is_empty() && fragment.chars().count() <= 160 {
        let _ = write!(out, "<p class=\"frag\">«{}»</p>", escape(&fragment));
    }
    if !finding.suggestions.is_empty() {
        let options: Vec<String> = finding
            .suggestions
            .iter()
            .map(|s| format!("<span class=\"sugg\">{}</span>", escape(s)))
            .collect();
        let _ = write!(
            out,
            "<p class=\"help\">Замените на {}</p>",
            options.join(" или ")
        );
    }
    if let Some(advice) = &finding.advice {
        let _ = write!(out, "<p class=\"help\">{}</p>", escape(advice));
    }
    if let Some(rule) = rules.get(&finding.code) {
        let _ = write!(
            out,
            "<details><summary>Почему: {}</summary>{}</details>",
            escape(&rule.title),
            RuleDoc::new(rule, Detail::Summary).to_html_body()
        );
    }
    out.push_str("</li>\n");
}

/// Offsets of the line breaks that only wrap a paragraph (text pasted from e-mail): a single
/// `\n` after a long line that goes on in lower case or does not end a sentence. The page wraps
/// lines itself; short lines (greeting, signature, lists) keep their breaks.
fn soft_breaks(text: &str) -> BTreeSet<usize> {
    let mut soft = BTreeSet::new();
    let mut line_start = 0;
    for (offset, _) in text.match_indices('\n') {
        let line = text[line_start..offset].trim_end_matches('\r');
        let next = &text[offset + 1..];
        let next_char = next.chars().next();
        let next_is_text = next_char.is_some_and(|c| c.is_alphanumeric() || c == '«' || c == '(');
        let list_item = next.starts_with(['-', '–', '—', '•', '*'])
            || next.split_once(['.', ')']).is_some_and(|(head, _)| {
                !head.is_empty() && head.len() <= 3 && head.chars().all(|c| c.is_ascii_digit())
            });
        let ends_sentence = line.trim_end().ends_with(['.', '!', '?', ':', ';']);
        if line.trim().chars().count() >= 40
            && next_is_text
            && !list_item
            && (next_char.is_some_and(char::is_lowercase) || !ends_sentence)
        {
            soft.insert(offset);
        }
        line_start = offset + 1;
    }
    soft
}

/// The text, escaped, with `<mark>` over every span that has a finding (the worst severity colours
/// it where findings overlap) and the findings' numbers after the spans they end.
fn highlight(file: &FileReport, id: &str) -> String {
    let text = file.document.text();
    let len = text.len();
    let findings: Vec<(usize, &Finding, usize, usize)> = file
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| (i + 1, f, f.range.start.min(len), f.range.end.min(len)))
        .collect();
    let mut cuts: BTreeSet<usize> = BTreeSet::from([0, len]);
    for &(_, _, start, end) in &findings {
        cuts.insert(start);
        cuts.insert(end);
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let soft = soft_breaks(text);
    let piece_of = |a: usize, b: usize| -> String {
        let mut piece = String::with_capacity(b - a);
        for (offset, ch) in text[a..b].char_indices() {
            if ch == '\n' && soft.contains(&(a + offset)) {
                piece.push(' ');
            } else {
                piece.push(ch);
            }
        }
        escape(&piece)
    };
    let mut out = String::with_capacity(len * 2);
    let numbers = |list: Vec<(usize, Severity)>| -> String {
        list.into_iter()
            .map(|(n, severity)| {
                format!("<sup class=\"sev-{severity}\"><a href=\"#{id}-f{n}\">{n}</a></sup>")
            })
            .collect()
    };
    for window in cuts.windows(2) {
        let (a, b) = (window[0], window[1]);
        for &(n, _, start, _) in &findings {
            if start == a {
                let _ = write!(out, "<span class=\"anchor\" id=\"{id}-m{n}\"></span>");
            }
        }
        // Empty spans (a missing thing, pointed at a place) get their number where they point.
        out.push_str(&numbers(
            findings
                .iter()
                .filter(|&&(_, _, start, end)| start == a && end == a)
                .map(|&(n, f, _, _)| (n, f.severity))
                .collect(),
        ));
        let covering: Vec<&(usize, &Finding, usize, usize)> = findings
            .iter()
            .filter(|&&(_, _, start, end)| start <= a && a < end)
            .collect();
        let piece = piece_of(a, b);
        if covering.is_empty() {
            out.push_str(&piece);
        } else {
            let worst = covering
                .iter()
                .map(|c| c.1.severity)
                .max()
                .unwrap_or(Severity::Hint);
            let title: Vec<String> = covering
                .iter()
                .map(|c| format!("{}: {}", c.1.code, c.1.message))
                .collect();
            let _ = write!(
                out,
                "<mark class=\"sev-{worst}\" title=\"{}\">{piece}</mark>",
                escape(&title.join("\n"))
            );
        }
        out.push_str(&numbers(
            findings
                .iter()
                .filter(|&&(_, _, start, end)| end == b && start < end)
                .map(|&(n, f, _, _)| (n, f.severity))
                .collect(),
        ));
    }
    if len == 0 {
        out.push_str(&numbers(
            findings
                .iter()
                .map(|&(n, f, _, _)| (n, f.severity))
                .collect(),
        ));
    }
    out
}

/// A weight as written in the config, with a decimal comma: «0,25», «1», «2,5».
fn weight_text(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.replace('.', ",")
}

fn render_formula(out: &mut String, report: &ScoreReport) {
    let w = &report.weights;
    let number = weight_text;
    out.push_str("<section class=\"card formula\" id=\"formula\">\n<h2>Как считается балл</h2>\n");
    let _ = writeln!(
        out,
        "<p>Каждое замечание в тексте стоит <b>вес уровня × вес категории</b> штрафных очков. Очки делятся на длину ответа: <b>D</b> = очки × 100 / число слов (подпись не считается). Текст стоит <b>100 · D / (D + {hd})</b> баллов: при {hd} очках на 100 слов ответ теряет половину баллов, длинный ответ не наказан за длину, а короткая отписка теряет почти всё.</p>\n<p>Недостатки всего ответа ({doc}) стоят постоянную долю: баллы уровня × вес категории, по одному разу на правило. Ответ короче {mw} слов теряет до {sa} баллов пропорционально недостающим словам. Балл = 100 − всё потерянное, округлён до целого и не меньше 0.</p>",
        hd = number(w.half_density),
        doc = w
            .document_categories
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(", "),
        mw = w.min_words,
        sa = number(w.short_answer),
    );
    out.push_str("<div class=\"weights\">\n<table><thead><tr><th>Уровень</th><th class=\"num\">Очков в тексте</th><th class=\"num\">Баллов за недостаток ответа</th></tr></thead><tbody>\n");
    for severity in [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Hint,
    ] {
        let _ = writeln!(
            out,
            "<tr><td><span class=\"sev-dot sev-{severity}\"></span>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            severity.label(),
            number(w.severity.get(&severity).copied().unwrap_or(0.0)),
            number(w.document.get(&severity).copied().unwrap_or(0.0))
        );
    }
    out.push_str("</tbody></table>\n<table><thead><tr><th>Категория</th><th class=\"num\">Вес</th></tr></thead><tbody>\n");
    for category in Category::ALL {
        let _ = writeln!(
            out,
            "<tr><td><i class=\"swatch\" style=\"background:{}\"></i>{} <span class=\"dir\">{}</span></td><td class=\"num\">{}</td></tr>",
            category.color(),
            category.label(),
            category,
            number(w.category_weight(category))
        );
    }
    let _ = writeln!(
        out,
        "</tbody></table>\n</div>\n<p class=\"note\">Оценки: 5 — от {}, 4 — от {}, 3 — от {}, 2 — ниже. Веса меняются в таблице <code>[score]</code> файла yasno.toml.</p>\n</section>",
        w.grades[0], w.grades[1], w.grades[2]
    );
}
