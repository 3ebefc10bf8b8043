//! Output written file by file. Each file's part is rendered where the file was checked, so its
//! document can be dropped at once; a JSON report with thousands of findings is rendered as it
//! is written instead, a block at a time, so that its output is never all in memory. A [`Writer`]
//! puts the parts between the format's header and footer and adds up the summary. The text is
//! the same as rendering every file at the end.

use std::collections::HashMap;
use std::io;

use serde::Serialize;

use super::{FileReport, Summary, concise, github, human, json, sarif};
use crate::engine::{Rule, RuleSet};

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
    /// Every rule of the run, for SARIF's rule descriptors.
    catalog: RuleCatalog<'a>,
}

/// The rules of every rule set in a run (one per config file), each code once: the first set
/// that has it, in the order the sets were given, describes it. The order is the input's, so the
/// output is the same from run to run.
pub(super) struct RuleCatalog<'a> {
    rules: Vec<&'a Rule>,
    by_code: HashMap<&'a str, usize>,
}

impl<'a> RuleCatalog<'a> {
    fn new(sets: impl IntoIterator<Item = &'a RuleSet>) -> Self {
        let mut catalog = RuleCatalog {
            rules: Vec::new(),
            by_code: HashMap::new(),
        };
        for set in sets {
            for rule in &set.rules {
                if !catalog.by_code.contains_key(&*rule.code) {
                    catalog.by_code.insert(&rule.code, catalog.rules.len());
                    catalog.rules.push(rule);
                }
            }
        }
        catalog
    }

    pub(super) fn rules(&self) -> &[&'a Rule] {
        &self.rules
    }

    /// Where the rule of this code stands in `rules()`.
    pub(super) fn position(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }
}

/// One file's output and figures.
pub struct Part {
    body: Body,
    summary: Summary,
}

enum Body {
    /// UTF-8 text; kept as bytes so that JSON written by serde_json is not validated again.
    Rendered(Vec<u8>),
    /// A report too large to hold rendered (a long file with thousands of findings): rendered
    /// when written, a block at a time, so its output is never all in memory.
    Deferred(Box<FileReport>),
}

/// From this many findings a JSON report is rendered when it is written (see `Body::Deferred`).
const DEFER_FINDINGS: usize = 1_000;

/// How much rendered output of a deferred report is handed on at a time.
const STREAM_BLOCK: usize = 64 * 1024;

impl<'a> Renderer<'a> {
    /// A renderer for a run whose files are checked with these rule sets (one per config file).
    pub fn new(format: Format, rule_sets: impl IntoIterator<Item = &'a RuleSet>) -> Self {
        Renderer {
            format,
            catalog: RuleCatalog::new(rule_sets),
        }
    }

    /// The part of a checked file: rendered now (on the thread that checked it, so that its
    /// document can be dropped at once), or, for a large JSON report, when it is written.
    /// `rules` are the ones the file was checked with: their clauses are the human output's notes.
    pub fn part(&self, report: FileReport, rules: &RuleSet) -> Part {
        let summary = Summary::of_file(&report);
        if matches!(self.format, Format::Json) && report.findings.len() >= DEFER_FINDINGS {
            return Part {
                body: Body::Deferred(Box::new(report)),
                summary,
            };
        }
        let bytes = self.rendered(&report, &summary, rules);
        Part {
            body: Body::Rendered(bytes),
            summary,
        }
    }

    fn rendered(&self, report: &FileReport, summary: &Summary, rules: &RuleSet) -> Vec<u8> {
        let mut text = String::new();
        let mut bytes = Vec::new();
        match self.format {
            Format::Human { color } => human::file(&mut text, report, rules, color),
            Format::Concise => concise::file(&mut text, report),
            Format::Github => github::file(&mut text, report),
            Format::Json => json::file(&mut bytes, report, summary, &mut |_| {}),
            Format::Sarif => sarif::file(&mut bytes, report, &self.catalog),
        }
        if bytes.is_empty() {
            bytes = text.into_bytes();
        }
        bytes
    }

    pub fn writer(&self) -> Writer<'_> {
        let (header, footer) = match self.format {
            Format::Json => (json::HEADER.to_string(), String::new()),
            Format::Sarif => sarif::frame(self.catalog.rules()),
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

    /// The whole output for these files, checked with `rules`, at once.
    pub fn render(&self, reports: &[FileReport], rules: &RuleSet) -> String {
        let mut writer = self.writer();
        let mut out = writer.header().as_bytes().to_vec();
        for report in reports {
            let part = Part {
                body: Body::Rendered(self.rendered(report, &Summary::of_file(report), rules)),
                summary: Summary::of_file(report),
            };
            writer.write(part, &mut |text| out.extend_from_slice(text));
        }
        out.extend(writer.finish().into_bytes());
        String::from_utf8(out).expect("every part is UTF-8")
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

    /// Hands `out` the text (UTF-8) of the next file's part, in one piece or, for a deferred
    /// report, in blocks.
    pub fn write(&mut self, part: Part, out: &mut impl FnMut(&[u8])) {
        self.summary.add(&part.summary);
        let is_array = matches!(self.renderer.format, Format::Json | Format::Sarif);
        let separator: &[u8] = if is_array && self.items { b"," } else { b"" };
        match part.body {
            Body::Rendered(text) => {
                if text.is_empty() {
                    return;
                }
                out(separator);
                out(&text);
            }
            Body::Deferred(report) => {
                let mut block = Vec::with_capacity(2 * STREAM_BLOCK);
                block.extend_from_slice(separator);
                json::file(&mut block, &report, &part.summary, &mut |block| {
                    if block.len() >= STREAM_BLOCK {
                        out(block);
                        block.clear();
                    }
                });
                out(&block);
            }
        }
        self.items |= is_array;
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
/// document: each line after the first indented two spaces a level.
pub(super) fn pretty_at(value: &impl Serialize, depth: usize) -> String {
    let mut buffer = Vec::with_capacity(512);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut buffer, NestedPretty::at(depth));
    value
        .serialize(&mut serializer)
        .expect("output values serialise");
    String::from_utf8(buffer).expect("serde_json writes UTF-8")
}

/// An array item `depth` levels deep, on its own line.
pub(super) fn item_at(out: &mut Vec<u8>, value: &impl Serialize, depth: usize) {
    out.push(b'\n');
    let formatter = NestedPretty::at(depth);
    into_vec(formatter.indent(out));
    let mut serializer = serde_json::Serializer::with_formatter(out, formatter);
    value
        .serialize(&mut serializer)
        .expect("output values serialise");
}

/// Pretty JSON written field by field, laid out exactly as serde_json's pretty printer lays it
/// out. For the objects written once per finding: their derived serialisation cost about 400
/// instructions a field, most of it escaping the field names again every time.
pub(super) struct PrettyWriter<'a> {
    pub(super) out: &'a mut Vec<u8>,
    /// The same layout serde_json is given for the values written through it.
    layout: NestedPretty,
}

/// Writing to a `Vec` cannot fail.
fn into_vec(written: io::Result<()>) {
    written.expect("a Vec takes every write");
}

impl<'a> PrettyWriter<'a> {
    /// A writer for a value that starts at the current end of `out`, `depth` levels deep.
    pub(super) fn at(out: &'a mut Vec<u8>, depth: usize) -> Self {
        PrettyWriter {
            out,
            layout: NestedPretty::at(depth),
        }
    }

    pub(super) fn begin_object(&mut self) {
        into_vec(self.layout.open(self.out, b"{"));
    }

    pub(super) fn end_object(&mut self) {
        self.close(b"}");
    }

    pub(super) fn begin_array(&mut self) {
        into_vec(self.layout.open(self.out, b"["));
    }

    pub(super) fn end_array(&mut self) {
        self.close(b"]");
    }

    /// Starts an object member; its value follows. Keys are the program's own names, which
    /// need no escaping.
    pub(super) fn key(&mut self, key: &'static str) {
        debug_assert!(!key.bytes().any(needs_escape));
        self.item();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// Starts an array item; its value follows.
    pub(super) fn item(&mut self) {
        into_vec(self.layout.item(self.out, !self.layout.has_value));
        self.layout.has_value = true;
    }

    pub(super) fn string(&mut self, text: &str) {
        write_escaped(self.out, text);
    }

    pub(super) fn number(&mut self, n: usize) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = n;
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&digits[at..]);
    }

    /// Any other value, through serde_json, at this depth.
    pub(super) fn value(&mut self, value: &impl Serialize) {
        let formatter = NestedPretty::at(self.layout.depth);
        let mut serializer = serde_json::Serializer::with_formatter(&mut *self.out, formatter);
        value
            .serialize(&mut serializer)
            .expect("output values serialise");
    }

    fn close(&mut self, bracket: &[u8]) {
        into_vec(self.layout.close(self.out, bracket));
        // The enclosing object or array has this one as a member.
        self.layout.has_value = true;
    }
}

/// A JSON string as serde_json writes it: quotes, backslashes and control characters escaped,
/// everything else (all of Cyrillic) as it is.
fn write_escaped(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time past the common case, text with nothing to escape.
        if let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if !any_needs_escape(word) {
                at += 8;
                continue;
            }
        }
        let byte = bytes[at];
        let escape: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0C => b"\\f",
            0x00..=0x1F => &[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xF)],
            ],
            _ => {
                at += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..at]);
        out.extend_from_slice(escape);
        at += 1;
        start = at;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether one of the eight bytes of `word` needs escaping. The classic bit trick: a byte below
/// `n` (n ≤ 0x80) leaves its top bit set in `(x - n) & !x`; an equal byte is one that is below 1
/// after an exclusive or.
fn any_needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & TOPS;
    below(word, 0x20)
        | below(word ^ (ONES * u64::from(b'"')), 1)
        | below(word ^ (ONES * u64::from(b'\\')), 1)
        != 0
}

/// serde_json's `PrettyFormatter` (two spaces a level) starting `depth` levels deep, so a part
/// is written indented as it stands in the whole document, with no second pass over its text.
struct NestedPretty {
    depth: usize,
    has_value: bool,
}

impl NestedPretty {
    fn at(depth: usize) -> Self {
        NestedPretty {
            depth,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + io::Write>(&self, writer: &mut W) -> io::Result<()> {
        const SPACES: &[u8; 32] = b"                                ";
        let mut width = 2 * self.depth;
        while width > 0 {
            let run = width.min(SPACES.len());
            writer.write_all(&SPACES[..run])?;
            width -= run;
        }
        Ok(())
    }

    fn open<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl serde_json::ser::Formatter for NestedPretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The end of an array `depth` levels deep: on its own line when it has items, `[]` otherwise.
pub(super) fn close_array(out: &mut String, depth: usize, items: bool) {
    if items {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report large enough to be deferred is written, block by block, exactly as it renders
    /// at once; so are the commas between it and the reports around it.
    #[test]
    fn deferred_reports_are_written_as_they_render() {
        use crate::engine::LemmaCache;
        use crate::linter::Linter;
        use crate::text::Document;

        let linter = Linter::with_default_rules().unwrap();
        let mut cache = LemmaCache::new();
        let letter = "Уважаемый заявитель! Ваше обращение взято на контроль. Доводим до Вашего сведения, что в соответствии с вышеизложенным Вам отказано.\n\n";
        let reports = |cache: &mut LemmaCache| {
            [1, 400, 2]
                .map(|copies| {
                    let document = Document::new(letter.repeat(copies));
                    let findings = linter.check(&document, cache);
                    FileReport {
                        path: format!("{copies}.txt"),
                        document,
                        findings,
                    }
                })
                .into_iter()
                .collect::<Vec<_>>()
        };
        let rules = linter.rules();
        let renderer = Renderer::new(Format::Json, [rules]);
        let expected = renderer.render(&reports(&mut cache), rules);

        let mut writer = renderer.writer();
        let mut written = writer.header().as_bytes().to_vec();
        let mut pieces = 0;
        for report in reports(&mut cache) {
            let part = renderer.part(report, rules);
            writer.write(part, &mut |text| {
                pieces += 1;
                written.extend_from_slice(text);
            });
        }
        written.extend_from_slice(writer.finish().as_bytes());
        assert!(
            reports(&mut cache)[1].findings.len() >= DEFER_FINDINGS,
            "the middle report is deferred"
        );
        assert!(pieces > 6, "the deferred report came in blocks");
        assert_eq!(String::from_utf8(written).unwrap(), expected);
    }

    /// Strings are escaped as serde_json escapes them, whatever bytes they hold.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let alphabet: Vec<char> = "аЯёa\"\\/\n\r\t\u{0}\u{1}\u{8}\u{c}\u{1f}\u{7f} «»\u{2028}😀"
            .chars()
            .collect();
        let text = proptest::collection::vec(proptest::sample::select(alphabet), 0..40)
            .prop_map(|chars| chars.into_iter().collect::<String>());
        let mut runner = TestRunner::new(Config {
            cases: 3000,
            ..Config::default()
        });
        runner
            .run(&text, |text| {
                let mut out = Vec::new();
                write_escaped(&mut out, &text);
                prop_assert_eq!(
                    String::from_utf8(out).unwrap(),
                    serde_json::to_string(&text).unwrap()
                );
                Ok(())
            })
            .unwrap();
        for byte in 0..=255u8 {
            let word = u64::from_le_bytes([b'a', b'b', byte, b'c', 0xD0, 0xB0, b'd', b'e']);
            assert_eq!(any_needs_escape(word), needs_escape(byte), "{byte:#x}");
        }
    }

    /// Nested pretty JSON is serde_json's pretty JSON with every line after the first indented.
    #[test]
    fn nested_pretty_is_pretty_json_indented() {
        let values = [
            serde_json::json!({"a": [], "b": {}, "c": [1, {"d": "x\ny", "e": [[]]}], "f": null}),
            serde_json::json!([]),
            serde_json::json!("строка «в кавычках»\t"),
            serde_json::json!([{"rule": "JA001", "suggestions": ["а", "б"], "n": 1.5}]),
        ];
        for value in &values {
            for depth in 0..4 {
                let plain = serde_json::to_string_pretty(value).unwrap();
                let expected = plain.replace('\n', &format!("\n{}", "  ".repeat(depth)));
                assert_eq!(pretty_at(value, depth), expected);
            }
        }
    }
}
