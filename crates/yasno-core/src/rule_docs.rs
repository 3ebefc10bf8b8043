//! A rule's documentation, made once and rendered for every front end: `yasno explain` (plain
//! text), the editor's hover (Markdown or plain text), SARIF rule help (both), the score report
//! (HTML) and the reference pages of `docs/rules/` (Markdown). Each front end takes a [`RuleDoc`]
//! and one of its renderings, so that none of them tells a rule differently.
//!
//! The plain text is `yasno explain`'s, which people and scripts know; it keeps that form and
//! leaves out the message template and the examples' fixed texts (its «Замены» say what the
//! replacements are). Markdown and HTML show everything.

use crate::engine::{Rule, RuleSet};
use crate::finding::{Category, Severity};

/// How much of a rule's examples and phrases a rendering shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// What a person reads at once (`explain`, hover, SARIF, the report): a few examples, and the
    /// phrases that have a replacement.
    Summary,
    /// The reference page: every example and every phrase.
    Complete,
}

/// In a summary: at most this many bad and good examples, and phrases with replacements.
const SUMMARY_EXAMPLES: usize = 5;
const SUMMARY_REPLACEMENTS: usize = 12;

const BAD_HEADING: &str = "Так писать не нужно:";
const GOOD_HEADING: &str = "Так можно:";
const REPLACEMENTS_HEADING: &str = "Замены:";

/// A `bad` example, and the text the rule's first replacement makes of it, where it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub text: String,
    pub fixed: Option<String>,
}

/// One phrase of the rule: its first pattern, and what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacement {
    pub pattern: String,
    pub suggestions: Vec<String>,
    pub advice: Option<String>,
}

/// The documentation of one rule: what every rendering shows, in the order it shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleDoc {
    pub code: String,
    pub name: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    /// The regulation clause behind the rule.
    pub clause: String,
    /// The message template of its findings (`{found}` stands for the text found).
    pub message: String,
    pub explanation: String,
    pub bad: Vec<Example>,
    pub good: Vec<String>,
    pub replacements: Vec<Replacement>,
}

impl RuleDoc {
    pub fn new(rule: &Rule, detail: Detail) -> RuleDoc {
        let limit = |summary: usize| match detail {
            Detail::Summary => summary,
            Detail::Complete => usize::MAX,
        };
        let examples = rule.bad.iter().zip(&rule.bad_fixed).chain(
            rule.phrases
                .iter()
                .flat_map(|p| p.bad.iter().zip(&p.bad_fixed)),
        );
        let replacements = rule
            .phrases
            .iter()
            .filter(|p| detail == Detail::Complete || !p.suggest.is_empty())
            .take(limit(SUMMARY_REPLACEMENTS))
            .map(|p| Replacement {
                pattern: p.patterns[0].source.clone(),
                suggestions: p.suggest.clone(),
                advice: p.advice.as_deref().map(str::to_string),
            });
        RuleDoc {
            code: rule.code.to_string(),
            name: rule.name.to_string(),
            title: rule.title.clone(),
            category: rule.category,
            severity: rule.severity,
            clause: rule.clause.clone(),
            message: rule.message.clone(),
            explanation: rule.explanation.trim().to_string(),
            bad: examples
                .take(limit(SUMMARY_EXAMPLES))
                .map(|(text, fixed)| Example {
                    text: one_line(text),
                    fixed: fixed.as_deref().map(one_line),
                })
                .collect(),
            good: rule
                .good
                .iter()
                .take(limit(SUMMARY_EXAMPLES))
                .map(|text| one_line(text))
                .collect(),
            replacements: replacements.collect(),
        }
    }

    fn heading(&self) -> String {
        format!("{} ({}) — {}", self.code, self.name, self.title)
    }

    /// Plain text, as `yasno explain` prints it.
    pub fn to_plain(&self) -> String {
        let mut out = format!(
            "{}\nКатегория: {}; уровень: {}\nОснование: {}\n\n{}\n",
            self.heading(),
            self.category,
            self.severity,
            self.clause,
            self.explanation
        );
        for (heading, items) in self.lists(&PLAIN) {
            out.push('\n');
            out.push_str(heading);
            out.push('\n');
            for item in items {
                out.push_str("  ");
                out.push_str(&item);
                out.push('\n');
            }
        }
        out
    }

    /// Markdown (CommonMark). The title is a heading of `title_level` (`#` × level), or a line
    /// in bold with level 0, as in a hover.
    pub fn to_markdown(&self, title_level: usize) -> String {
        let heading = markdown_text(&self.heading());
        let mut out = if title_level == 0 {
            format!("**{heading}**\n\n")
        } else {
            format!("{} {heading}\n\n", "#".repeat(title_level))
        };
        out.push_str(&format!(
            "**Категория:** {} (`{}`); **уровень:** {} (`{}`)  \n**Основание:** {}  \n**Сообщение:** {}\n\n{}\n",
            self.category.label(),
            self.category,
            self.severity.label(),
            self.severity,
            markdown_text(&self.clause),
            markdown_text(&self.message),
            markdown_paragraphs(&self.explanation),
        ));
        for (heading, items) in self.lists(&MARKDOWN) {
            out.push_str(&format!("\n**{heading}**\n\n"));
            for item in items {
                out.push_str(&format!("- {item}\n"));
            }
        }
        out
    }

    /// HTML for the score report: everything but the title, which the report shows itself.
    pub fn to_html_body(&self) -> String {
        let mut out = format!(
            "<p class=\"rule-facts\">Категория: {}; уровень: {}</p><p>{}</p><p class=\"clause\">Основание: {}</p>",
            escape_html(self.category.label()),
            escape_html(self.severity.label()),
            escape_html(&self.explanation),
            escape_html(&self.clause),
        );
        for (heading, items) in self.lists(&HTML) {
            out.push_str(&format!(
                "<p class=\"rule-list\">{}</p><ul>",
                escape_html(heading)
            ));
            for item in items {
                out.push_str(&format!("<li>{item}</li>"));
            }
            out.push_str("</ul>");
        }
        out
    }

    /// The lists of examples and replacements that are not empty, each under its heading, with
    /// its items written in `markup`.
    fn lists(&self, markup: &Markup) -> Vec<(&'static str, Vec<String>)> {
        let text = markup.text;
        let bad = self.bad.iter().map(|e| match (&e.fixed, markup.rich) {
            (Some(fixed), true) => format!("✗ {} → ✓ {}", text(&e.text), text(fixed)),
            _ => format!("✗ {}", text(&e.text)),
        });
        let good = self.good.iter().map(|e| format!("✓ {}", text(e)));
        let replacements = self.replacements.iter().map(|r| {
            let mut item = (markup.code)(&r.pattern);
            if !r.suggestions.is_empty() {
                let shown: Vec<String> = r
                    .suggestions
                    .iter()
                    .map(|s| {
                        if markup.rich {
                            format!("«{}»", text(s))
                        } else {
                            text(s)
                        }
                    })
                    .collect();
                item.push_str(&format!(" → {}", shown.join(" / ")));
            }
            match &r.advice {
                Some(advice) if markup.rich || r.suggestions.is_empty() => {
                    item.push_str(&format!(": {}", text(advice)))
                }
                _ => {}
            }
            item
        });
        [
            (BAD_HEADING, bad.collect::<Vec<_>>()),
            (GOOD_HEADING, good.collect()),
            (REPLACEMENTS_HEADING, replacements.collect()),
        ]
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .collect()
    }
}

/// How a rendering writes text and code, and whether it shows everything (Markdown, HTML) or
/// keeps to `explain`'s compact form (plain text).
struct Markup {
    text: fn(&str) -> String,
    code: fn(&str) -> String,
    rich: bool,
}

const PLAIN: Markup = Markup {
    text: str::to_string,
    code: str::to_string,
    rich: false,
};

const MARKDOWN: Markup = Markup {
    text: markdown_text,
    code: markdown_code,
    rich: true,
};

const HTML: Markup = Markup {
    text: escape_html,
    code: html_code,
    rich: true,
};

fn html_code(text: &str) -> String {
    format!("<code>{}</code>", escape_html(text))
}

/// The pages of the rule reference (`docs/rules/`): an index, and one page per rule, each as
/// (file name, Markdown).
pub fn reference_pages(rules: &RuleSet) -> Vec<(String, String)> {
    const NOTICE: &str = "<!-- Generated from rules/*.toml by the renderer of crates/yasno-core/src/rule_docs.rs; do not edit. Regenerate: YASNO_BLESS=1 cargo test --test rule_docs -->\n\n";
    let mut index = format!(
        "{NOTICE}# Rules\n\nEvery rule of yasno, by category: `yasno explain CODE` prints the same text in a \
         terminal. How to write a rule: [../rules.md](../rules.md).\n"
    );
    let mut pages = Vec::new();
    for category in Category::ALL {
        let of_category: Vec<&Rule> = rules
            .rules
            .iter()
            .filter(|r| r.category == category)
            .collect();
        index.push_str(&format!(
            "\n## {} (`{category}`, {})\n\n",
            category.label(),
            category.code_prefix()
        ));
        if of_category.is_empty() {
            index.push_str("No rules yet.\n");
            continue;
        }
        index.push_str("| code | name | severity | title |\n|---|---|---|---|\n");
        for rule in of_category {
            index.push_str(&format!(
                "| [{code}]({code}.md) | `{}` | {} | {} |\n",
                rule.name,
                rule.severity,
                markdown_text(&rule.title),
                code = rule.code,
            ));
            let page = RuleDoc::new(rule, Detail::Complete).to_markdown(1);
            pages.push((
                format!("{}.md", rule.code),
                format!("{NOTICE}{page}\n[All rules](README.md)\n"),
            ));
        }
    }
    pages.insert(0, ("README.md".to_string(), index));
    pages
}

/// An example on one line, as lists show it.
fn one_line(text: &str) -> String {
    text.replace('\n', " ")
}

/// Text that Markdown shows as it is, inside a line: the characters of inline markup are escaped.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A rule's explanation as Markdown paragraphs (its hard-wrapped lines join into one): inline
/// markup is escaped, and so is whatever would start a block at the beginning of a line (a
/// heading, a list, a rule).
fn markdown_paragraphs(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = markdown_text(line.trim());
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            let starts_block = line.starts_with(['#', '-', '+', '='])
                || (digits > 0 && line[digits..].starts_with(['.', ')']));
            if starts_block {
                let at = if digits > 0 { digits } else { 0 };
                format!("{}\\{}", &line[..at], &line[at..])
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Inline code that shows `text` as it is, whatever backticks it holds.
fn markdown_code(text: &str) -> String {
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// HTML text escaping (also safe inside attribute values in double quotes).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Parser};

    use super::*;

    /// A jargon rule with seven phrases (three without a replacement), markup in its texts.
    fn rule_set() -> RuleSet {
        let mut text = String::from(
            "category = \"jargon\"\n[[rule]]\ncode = \"JA901\"\nname = \"test-rule\"\n\
             title = \"Заголовок *со* звёздочками\"\nmessage = \"Штамп «{found}»\"\n\
             explanation = \"\"\"\nПервая строка <b>.\n# не заголовок\n1. не список\n- не пункт\n\"\"\"\n\
             clause = \"п. 1 [a](b)\"\ngood = [\"Хорошо.\", \"Тоже_хорошо.\"]\n",
        );
        for (n, word) in [
            "ввиду",
            "вследствие",
            "посредством",
            "путём",
            "ныне",
            "вышеуказанный",
            "настоящий",
        ]
        .iter()
        .enumerate()
        {
            text.push_str(&format!("[[rule.phrase]]\npattern = \"{word}\"\n"));
            if n < 4 {
                text.push_str(&format!(
                    "suggest = [\"замена{n}\"]\nbad = [{{ text = \"Слово {word}.\", fixed = \"Слово замена{n}.\" }}]\n"
                ));
            } else {
                text.push_str(&format!(
                    "advice = \"Совет {n}.\"\nbad = [\"Слово {word}.\"]\n"
                ));
            }
        }
        let mut set = RuleSet::default();
        set.add_file("test.toml", &text).unwrap();
        set
    }

    fn doc(detail: Detail) -> RuleDoc {
        RuleDoc::new(rule_set().get("JA901").unwrap(), detail)
    }

    /// The text a Markdown renderer shows for `markdown`, blocks on lines of their own.
    fn shown(markdown: &str) -> String {
        let mut out = String::new();
        for event in Parser::new(markdown) {
            match event {
                Event::Text(text) | Event::Code(text) => out.push_str(&text),
                Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push('\n'),
                Event::Html(html) | Event::InlineHtml(html) => {
                    out.push_str(&format!("HTML({html})"))
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn plain_text_is_explains_form() {
        let expected = "JA901 (test-rule) — Заголовок *со* звёздочками\n\
            Категория: jargon; уровень: warning\nОснование: п. 1 [a](b)\n\n\
            Первая строка <b>.\n# не заголовок\n1. не список\n- не пункт\n\n\
            Так писать не нужно:\n  ✗ Слово ввиду.\n  ✗ Слово вследствие.\n  ✗ Слово посредством.\n  \
            ✗ Слово путём.\n  ✗ Слово ныне.\n\n\
            Так можно:\n  ✓ Хорошо.\n  ✓ Тоже_хорошо.\n\n\
            Замены:\n  ввиду → замена0\n  вследствие → замена1\n  посредством → замена2\n  путём → замена3\n";
        assert_eq!(doc(Detail::Summary).to_plain(), expected);
    }

    #[test]
    fn a_summary_keeps_a_few_examples_and_the_phrases_with_replacements() {
        let summary = doc(Detail::Summary);
        assert_eq!(summary.bad.len(), SUMMARY_EXAMPLES);
        assert_eq!(summary.replacements.len(), 4);
        let complete = doc(Detail::Complete);
        assert_eq!(complete.bad.len(), 7);
        assert_eq!(complete.replacements.len(), 7);
        assert_eq!(complete.replacements[6].advice.as_deref(), Some("Совет 6."));
        assert_eq!(
            complete.bad[0].fixed.as_deref(),
            Some("Слово замена0."),
            "the fixed text goes with its example"
        );
    }

    #[test]
    fn markdown_shows_every_text_as_written() {
        let markdown = doc(Detail::Complete).to_markdown(1);
        let shown = shown(&markdown);
        for text in [
            "JA901 (test-rule) — Заголовок *со* звёздочками",
            "п. 1 [a](b)",
            "Первая строка <b>.",
            "# не заголовок",
            "1. не список",
            "- не пункт",
            "Тоже_хорошо.",
            "✗ Слово ввиду. → ✓ Слово замена0.",
            "ввиду → «замена0»",
            "ныне: Совет 4.",
            "Штамп «{found}»",
        ] {
            assert!(shown.contains(text), "{text:?} in\n{shown}");
        }
        assert!(!shown.contains("HTML("), "{shown}");
        assert!(markdown.starts_with("# JA901"), "{markdown}");
        assert!(doc(Detail::Summary).to_markdown(0).starts_with("**JA901"));
    }

    #[test]
    fn code_spans_hold_backticks() {
        for text in ["a`b", "`a", "a``b`"] {
            assert_eq!(shown(&markdown_code(text)).trim_end(), text);
        }
    }

    #[test]
    fn html_is_escaped_and_shows_the_fixed_texts() {
        let html = doc(Detail::Summary).to_html_body();
        assert!(html.contains("Первая строка &lt;b&gt;."), "{html}");
        assert!(
            html.contains("<li>✗ Слово ввиду. → ✓ Слово замена0.</li>"),
            "{html}"
        );
        assert!(html.contains("<code>ввиду</code> → «замена0»"), "{html}");
        assert!(!html.contains("<b>"));
    }
}
