//! Inline suppression, written where the finding is (a comment form that fits Markdown and plain text):
//!
//! - `<!-- yasno-ignore: JA005 -->` or `yasno-ignore: JA005` — findings on the same line;
//! - `<!-- yasno-ignore-next-line: FB, jargon -->` — findings on the next line;
//! - `<!-- yasno-ignore-file: AB001 -->` — findings anywhere in the file.
//!
//! Selectors are the same as in the configuration: codes, code prefixes, rule names, categories, ALL.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use crate::config::selector_matches;
use crate::finding::Finding;
use crate::text::Document;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Line(usize),
    File,
}

#[derive(Debug)]
struct Directive {
    scope: Scope,
    selectors: Vec<String>,
    /// The directive's own text: never reported.
    range: Range<usize>,
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
                    directives.push(Directive {
                        scope,
                        selectors,
                        range: line_range.start + whole.start()..line_range.start + whole.end(),
                    });
                }
            }
        }
        Suppressions { directives }
    }

    pub fn is_empty(&self) -> bool {
        self.directives.is_empty()
    }

    /// True when a directive silences this finding, or the finding lies on a directive itself.
    pub fn suppresses(&self, doc: &Document, finding: &Finding) -> bool {
        let line = doc.lines.line_of(finding.range.start);
        self.directives.iter().any(|d| {
            let on_directive =
                finding.range.start < d.range.end && d.range.start < finding.range.end;
            let in_scope = match d.scope {
                Scope::File => true,
                Scope::Line(l) => l == line,
            };
            on_directive
                || in_scope
                    && d.selectors.iter().any(|s| {
                        selector_matches(s, &finding.code, &finding.name, finding.category)
                    })
        })
    }
}
