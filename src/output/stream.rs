//! Output written file by file. Each file's part is rendered where the file was checked, so its
//! document can be dropped at once; a [`Writer`] puts the parts between the format's header and
//! footer and adds up the summary. The text is the same as rendering every file at the end.

use serde::Serialize;

use super::{FileReport, Summary, concise, github, human, json, sarif};
use crate::engine::RuleSet;

#[derive(Clone, Copy)]
pub enum Format {
    Human { color: bool },
    Concise,
    Json,
    Sarif,
    Github,
}

/// Renders checked files in one format; shared by the threads that check them.
pub struct Renderer<'a> {
    format: Format,
    /// The rules whose clauses (human) and descriptors (SARIF) the output names.
    rules: &'a RuleSet,
}

/// One file's output and figures: small, whatever the size of the file's document.
pub struct Part {
    text: String,
    summary: Summary,
}

impl<'a> Renderer<'a> {
    pub fn new(format: Format, rules: &'a RuleSet) -> Self {
        Renderer { format, rules }
    }

    pub fn part(&self, report: &FileReport) -> Part {
        let summary = Summary::of_file(report);
        let mut text = String::new();
        match self.format {
            Format::Human { color } => human::file(&mut text, report, self.rules, color),
            Format::Concise => concise::file(&mut text, report),
            Format::Github => github::file(&mut text, report),
            Format::Json => json::file(&mut text, report, &summary),
            Format::Sarif => sarif::file(&mut text, report, self.rules),
        }
        Part { text, summary }
    }

    pub fn writer(&self) -> Writer<'_> {
        let (header, footer) = match self.format {
            Format::Json => (json::HEADER.to_string(), String::new()),
            Format::Sarif => sarif::frame(self.rules),
            _ => Default::default(),
        };
        Writer {
            renderer: self,
            header,
            footer,
            summary: Summary::of(&[]),
            items: false,
        }
    }

    /// The whole output for these files at once.
    pub fn render(&self, reports: &[FileReport]) -> String {
        let mut writer = self.writer();
        let mut out = writer.header().to_string();
        for report in reports {
            out.push_str(&writer.push(self.part(report)));
        }
        out.push_str(&writer.finish());
        out
    }
}

/// Puts parts in sequence: separators between the items of a JSON array, the summary at the end.
pub struct Writer<'a> {
    renderer: &'a Renderer<'a>,
    header: String,
    /// For SARIF, what follows the array of results.
    footer: String,
    summary: Summary,
    /// Whether an array item has been written (the next one needs a comma).
    items: bool,
}

impl Writer<'_> {
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The text to write for the next file's part.
    pub fn push(&mut self, part: Part) -> String {
        self.summary.add(&part.summary);
        let is_array = matches!(self.renderer.format, Format::Json | Format::Sarif);
        if !is_array || part.text.is_empty() {
            return part.text;
        }
        let comma = if self.items { "," } else { "" };
        self.items = true;
        format!("{comma}{}", part.text)
    }

    /// The text after the last part: the end of the array, the summary.
    pub fn finish(self) -> String {
        let mut out = String::new();
        match self.renderer.format {
            Format::Human { color } => human::footer(&mut out, &self.summary, color),
            Format::Concise => concise::footer(&mut out, &self.summary),
            Format::Github => {}
            Format::Json => json::footer(&mut out, self.items, &self.summary),
            Format::Sarif => sarif::footer(&mut out, &self.footer, self.items),
        }
        out
    }
}

/// `value` as pretty JSON nested `depth` levels deep, as serde_json writes it inside a larger
/// document: each line after the first indented two spaces a level. JSON strings hold no raw line
/// breaks, so every line break is between tokens.
pub(super) fn pretty_at(value: &impl Serialize, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).expect("output values serialise");
    text.replace('\n', &format!("\n{}", "  ".repeat(depth)))
}

/// An array item `depth` levels deep, on its own line.
pub(super) fn item_at(out: &mut String, value: &impl Serialize, depth: usize) {
    out.push('\n');
    out.push_str(&"  ".repeat(depth));
    out.push_str(&pretty_at(value, depth));
}

/// The end of an array `depth` levels deep: on its own line when it has items, `[]` otherwise.
pub(super) fn close_array(out: &mut String, depth: usize, items: bool) {
    if items {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
    out.push(']');
}
