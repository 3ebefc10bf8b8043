//! Inline suppression, written where the finding is, as a Markdown (HTML) comment:
//!
//! - `<!-- yasno-ignore: JA005 -->` — findings on the same line;
//! - `<!-- yasno-ignore-next-line: FB, jargon -->` — findings on the next line;
//! - `<!-- yasno-ignore-file: AB001 -->` — findings anywhere in the file.
//!
//! Selectors are the same as in the configuration: codes, code prefixes, rule names, categories, ALL.
//!
//! A directive counts only where the reader of the letter never sees it: in an HTML comment of a
//! Markdown letter. Anywhere else — a plain-text letter, the visible text of a .docx, a bare
//! `yasno-ignore:` line in Markdown, a comment inside Markdown code — it is text that the citizen
//! receives: it silences nothing and is itself a finding (the rule with `check = "inline-directive"`).
//! The pre-send gate (`--no-inline-ignores`, `inline-ignores = false`) makes every directive
//! ineffective.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::config::selector_matches;
use crate::finding::Finding;
use crate::input::InputFormat;
use crate::text::Document;

crate::check_kind!(
    /// The check of the rules under which a directive in the letter's visible text is reported.
    pub struct VisibleDirective = "inline-directive";
    options = crate::engine::NoOptions;
    many_rules = true
);

/// The directive that silences `code` on one line, to append at the line's end, in a format
/// where the reader does not see it: an HTML comment in Markdown. None in any other format, where
/// it would be part of the letter.
pub fn line_directive(format: InputFormat, code: &str) -> Option<String> {
    (format == InputFormat::Markdown).then(|| format!(" <!-- yasno-ignore: {code} -->"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Line(usize),
    File,
}

#[derive(Debug)]
struct Directive {
    scope: Scope,
    selectors: Vec<String>,
    /// The directive's own text.
    range: Range<usize>,
    /// In a Markdown HTML comment: not part of the letter as the reader sees it.
    hidden: bool,
}

fn directive_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:<!--\s*)?yasno-ignore(?P<scope>-file|-next-line)?:\s*(?P<selectors>[A-Za-z0-9_,\- ]+?)\s*(?:-->|$)")
            .expect("valid")
    })
}

pub struct Suppressions {
    directives: Vec<Directive>,
}

impl Suppressions {
    pub fn parse(doc: &Document) -> Self {
        let text = doc.text();
        let mut directives = Vec::new();
        // Cheap test first: most letters have none.
        if text.contains("yasno-ignore") {
            let mut comments: Option<Vec<Range<usize>>> = None;
            for line in 0..doc.lines.line_count() {
                let line_range = doc.lines.line_range(text, line);
                let line_text = &text[line_range.clone()];
                for found in directive_pattern().captures_iter(line_text) {
                    let whole = found.get(0).expect("match");
                    let scope = match found.name("scope").map(|m| m.as_str()) {
                        Some("-file") => Scope::File,
                        Some(_) => Scope::Line(line + 1),
                        None => Scope::Line(line),
                    };
                    let selectors = found["selectors"]
                        .split([',', ' '])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    let range = line_range.start + whole.start()..line_range.start + whole.end();
                    let hidden = !has_prose(doc, &range)
                        && comments
                            .get_or_insert_with(|| markdown_comments(text))
                            .iter()
                            .any(|comment| {
                                comment.start <= range.start && range.end <= comment.end
                            });
                    directives.push(Directive {
                        scope,
                        selectors,
                        range,
                        hidden,
                    });
                }
            }
        }
        Suppressions { directives }
    }

    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }

    /// The directives in the letter's visible text: each is reported, none silences anything.
    pub fn visible(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.directives
            .iter()
            .filter(|d| !d.hidden)
            .map(|d| d.range.clone())
    }

    /// True when a hidden directive silences this finding (and `honoured`: the gate mode turns every
    /// directive off), or the finding lies on a directive itself (its words are not prose; a
    /// visible directive is reported as such instead).
    pub fn suppresses(&self, doc: &Document, finding: &Finding, honoured: bool) -> bool {
        let line = doc.lines.line_of(finding.range.start);
        self.directives.iter().any(|d| {
            let on_directive =
                finding.range.start < d.range.end && d.range.start < finding.range.end;
            let in_scope = match d.scope {
                Scope::File => true,
                Scope::Line(l) => l == line,
            };
            on_directive
                || honoured
                    && d.hidden
                    && in_scope
                    && d.selectors.iter().any(|s| {
                        selector_matches(s, &finding.code, &finding.name, finding.category)
                    })
        })
    }
}

/// Whether a token of prose (what the checks read) overlaps `range`. A Markdown letter's markup
/// is masked out of its prose; a plain-text or .docx letter is prose throughout.
fn has_prose(doc: &Document, range: &Range<usize>) -> bool {
    let first = doc.tokens.partition_point(|t| t.end() <= range.start);
    doc.tokens
        .get(first)
        .is_some_and(|token| token.start() < range.end)
}

/// The HTML comments of a Markdown text (in HTML blocks and inline HTML), which a rendered letter
/// does not show; other raw HTML (`<div>…</div>`) shows its text. Asked only of a letter whose
/// directive is masked out of its prose, which only the Markdown reader does.
fn markdown_comments(text: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut comments = Vec::new();
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        if !matches!(event, Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_)) {
            continue;
        }
        let raw = &text[range.clone()];
        let mut at = 0;
        while let Some(open) = raw[at..].find("<!--") {
            let start = at + open;
            let end = raw[start + 4..]
                .find("-->")
                .map_or(raw.len(), |close| start + 4 + close + 3);
            comments.push(range.start + start..range.start + end);
            at = end;
        }
    }
    comments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::document;

    /// Whether each directive of a Markdown letter is hidden from its reader.
    fn hidden(markdown: &str) -> Vec<bool> {
        let doc = document(markdown.to_string(), InputFormat::Markdown);
        Suppressions::parse(&doc)
            .directives
            .iter()
            .map(|d| d.hidden)
            .collect()
    }

    #[test]
    fn only_markdown_comments_hide_a_directive() {
        assert_eq!(hidden("Текст. <!-- yasno-ignore: JA005 -->\n"), [true]);
        assert_eq!(
            hidden("<!-- yasno-ignore-file: ALL -->\n\nТекст.\n"),
            [true]
        );
        assert_eq!(
            hidden("Текст.\n\n<!--\nyasno-ignore-file: ALL\n-->\n"),
            [true]
        );
        // Raw HTML that shows its text, a bare line, code: all visible.
        assert_eq!(hidden("<div>\nyasno-ignore-file: ALL\n</div>\n"), [false]);
        assert_eq!(hidden("Текст.\n\nyasno-ignore-file: ALL\n"), [false]);
        assert_eq!(hidden("`<!-- yasno-ignore: ALL -->`\n"), [false]);
        assert_eq!(hidden("```\n<!-- yasno-ignore: ALL -->\n```\n"), [false]);
        // In plain text nothing is hidden.
        let doc = document("<!-- yasno-ignore: ALL -->\n".into(), InputFormat::Text);
        assert_eq!(Suppressions::parse(&doc).visible().count(), 1);
    }

    #[test]
    fn the_line_directive_silences_its_line_in_markdown_only() {
        let linter = crate::Linter::with_default_rules().unwrap();
        let line = "Ваш вопрос взят на контроль.";
        let doc = document(format!("{line}\n"), InputFormat::Markdown);
        let findings = linter.check(&doc, &mut crate::engine::LemmaCache::new());
        let code = &findings.first().expect("a finding").code;
        let directive = line_directive(InputFormat::Markdown, code).unwrap();
        let silenced = document(format!("{line}{directive}\n"), InputFormat::Markdown);
        let left = linter.check(&silenced, &mut crate::engine::LemmaCache::new());
        assert!(left.iter().all(|f| f.code != *code), "{left:?}");
        assert_eq!(line_directive(InputFormat::Text, code), None);
        assert_eq!(line_directive(InputFormat::Docx, code), None);
    }
}
