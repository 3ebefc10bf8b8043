//! Word documents (.docx, as written by Word, LibreOffice, Р7-Офис and МойОфис): the text as it
//! will be sent, with where each paragraph came from and how each stretch looked.
//!
//! The extracted text is the paragraphs joined by "\n": body first, then footnotes, endnotes,
//! headers and footers, so that offsets into the body match the same letter saved as text. Runs
//! are concatenated (spell-check marks and bookmarks between them are dropped), tracked insertions
//! are kept and deletions left out, field codes, comments and hidden text are left out; a field's
//! visible result (a date, a HYPERLINK field's text) stays. Tabs stay tabs, line breaks become "\n".
//! Text boxes (`w:txbxContent` of a drawing, or of a legacy VML `v:textbox`) come last, each
//! paragraph a block of the `text-box` part; the legacy copy of a drawing's box in `mc:Fallback`
//! is not read, so a box's text is read once.
//!
//! The zip is inspected before docx-rs reads it: the number of entries and the real unpacked size
//! are capped, so a zip bomb is refused without being unpacked in full.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::ops::Range;
use std::sync::Arc;

use docx_rs::{
    DocumentChild, DrawingData, FieldCharType, HeaderChild, HyperlinkData, InsertChild,
    MoveToChild, Paragraph, ParagraphChild, Run, RunChild, RunProperty, StructuredDataTagChild,
    Table, TableCellContent, TableChild, TableRowChild, TextBoxContentChild,
};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use serde_json::{Map, Value};

use super::InputError;
use crate::text::Document;
use crate::text::rich::{BlockLocation, CellLocation, Part, RichText, StyledSpan, TextStyle};

/// Real unpacked size of all entries together: a letter with a few scans is a few megabytes.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// A letter has a few dozen parts; a zip with more entries than this is not a letter.
pub const MAX_ENTRIES: usize = 10_000;
/// Real unpacked size of all XML parts together. docx-rs holds a whole document as a tree about
/// 50 times the size of its XML (13 GB for 200 MB), so the XML gets a bound far below the text
/// limit: 8 MiB is some 2 000 pages of Word's XML, and a letter's is well under 1 MiB.
pub const MAX_XML_BYTES: u64 = 8 * 1024 * 1024;
/// What docx-rs's tree of all XML parts together may take, as `tree_bytes` estimates it: within
/// the XML bound, a million empty `<w:r/>` (6 bytes each) took 1 GB.
pub const MAX_TREE_BYTES: u64 = 256 * 1024 * 1024;

/// docx-rs's memory for one element, as measured: some 2.7 KB a paragraph (even an empty
/// `<w:p/>`), up to 1 KB a run, table, row or cell, and far less for any other element. A
/// 100-page report comes to some 50 MB.
fn tree_bytes(local_name: &[u8]) -> u64 {
    match local_name {
        b"p" => 3 * 1024,
        b"r" | b"tbl" | b"tr" | b"tc" | b"hyperlink" | b"sdt" => 1024,
        _ => 128,
    }
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A zip archive (the container of .docx, .odt, .xlsx …).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// An OLE compound file: an old Word .doc, or a password-protected .docx (which Word wraps in one).
pub fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&OLE_MAGIC)
}

/// Why an OLE file cannot be read: encrypted OOXML carries an `EncryptedPackage` stream.
pub fn ole_error(bytes: &[u8]) -> InputError {
    let marker: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
        InputError::Encrypted
    } else {
        InputError::OldWord
    }
}

/// Reads a .docx file's bytes into a document with rich-text information.
pub fn read(bytes: &[u8]) -> Result<Document, InputError> {
    if is_ole(bytes) {
        return Err(ole_error(bytes));
    }
    if !is_zip(bytes) {
        return Err(InputError::BadDocx("not a zip archive".into()));
    }
    let mut package = Package::open(bytes)?;
    let main = package.main_document_path()?;
    package.check_xml()?;
    let docx = parse_with_docx_rs(bytes)?;
    let document_rels = package.rels_of(&main);
    let mut x = Extractor::new(&docx, document_rels.clone());

    x.part(Part::Body);
    x.body(&docx.document.children);
    x.close_block();

    for (kind, part) in [("footnotes", Part::Footnote), ("endnotes", Part::Endnote)] {
        let Some(path) = document_rels.by_type(kind) else {
            continue;
        };
        let path = resolve(&main, &path);
        let Some(xml) = package.text(&path)? else {
            continue;
        };
        x.links = package.rels_of(&path);
        x.part(part);
        for (id, content) in notes(&xml, kind.trim_end_matches('s')) {
            x.note = Some(id);
            for child in content {
                x.header_child(&child);
            }
            x.close_block();
        }
        x.note = None;
    }

    let section = &docx.document.section_property;
    let headers = [&section.header, &section.first_header, &section.even_header];
    let footers = [&section.footer, &section.first_footer, &section.even_footer];
    let mut seen = Vec::new();
    x.part(Part::Header);
    for (rid, header) in headers.into_iter().flatten() {
        if seen.contains(rid) {
            continue;
        }
        seen.push(rid.clone());
        x.links = rels_by_id(&mut package, &main, &document_rels, rid);
        for child in &header.children {
            x.header_child(child);
        }
        x.close_block();
    }
    x.part(Part::Footer);
    for (rid, footer) in footers.into_iter().flatten() {
        if seen.contains(rid) {
            continue;
        }
        seen.push(rid.clone());
        x.links = rels_by_id(&mut package, &main, &document_rels, rid);
        for child in &footer.children {
            // Header and footer children are the same three kinds.
            let child = match child {
                docx_rs::FooterChild::Paragraph(p) => HeaderChild::Paragraph(p.clone()),
                docx_rs::FooterChild::Table(t) => HeaderChild::Table(t.clone()),
                docx_rs::FooterChild::StructuredDataTag(s) => {
                    HeaderChild::StructuredDataTag(s.clone())
                }
            };
            x.header_child(&child);
        }
        x.close_block();
    }
    // docx-rs reads a text box only in DrawingML; a legacy (VML) box is read from the XML.
    let legacy_boxes = package
        .text(&main)?
        .map(|xml| legacy_text_boxes(&xml))
        .unwrap_or_default();
    x.text_boxes(&legacy_boxes);
    let (text, rich) = x.finish();
    // The text limit holds for the text a document unpacks to, as for a file's.
    if text.len() as u64 > super::MAX_INPUT_BYTES {
        return Err(InputError::TooLarge(text.len() as u64));
    }
    Ok(Document::with_rich(text, rich))
}

/// docx-rs reads the whole package; it may panic on input it does not expect, which must not
/// take the process down: such a file is reported as damaged.
fn parse_with_docx_rs(bytes: &[u8]) -> Result<docx_rs::Docx, InputError> {
    let options = docx_rs::ReadDocxOptions::default().with_image_previews(false);
    match quietly(|| docx_rs::read_docx_with_options(bytes, options)) {
        Some(Ok(docx)) => Ok(docx),
        Some(Err(e)) => Err(InputError::BadDocx(format!("damaged document ({e})"))),
        None => Err(InputError::BadDocx(
            "damaged document (its XML could not be read)".into(),
        )),
    }
}

/// The estimated size of docx-rs's tree (see `tree_bytes`) when every element that opens closes
/// and the XML parser finds no error; None otherwise.
fn well_formed_tree_bytes(xml: &[u8]) -> Option<u64> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut tree = 0u64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(start)) => {
                depth += 1;
                tree += tree_bytes(start.local_name().as_ref());
            }
            Ok(Event::Empty(empty)) => tree += tree_bytes(empty.local_name().as_ref()),
            Ok(Event::End(_)) => depth = depth.checked_sub(1)?,
            Ok(Event::Eof) => return (depth == 0).then_some(tree),
            Ok(_) => {}
            Err(_) => return None,
        }
        buf.clear();
    }
}

/// Runs docx-rs code that may panic on unexpected input, without the panic message on stderr.
/// Files are read on several threads at once, so the process-wide panic hook is not swapped per
/// call (two threads could leave the wrong one installed): one wrapper hook, installed once, stays
/// silent for panics on a thread that is inside `quietly`.
fn quietly<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> Option<T> {
    thread_local! {
        static SILENT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    static WRAPPER: std::sync::Once = std::sync::Once::new();
    WRAPPER.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !SILENT.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was_silent = SILENT.with(|s| s.replace(true));
    let result = std::panic::catch_unwind(f);
    SILENT.with(|s| s.set(was_silent));
    result.ok()
}

/// The zip, checked once for size, and read part by part with the same caps.
struct Package<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, InputError> {
        Self::open_with_limit(bytes, MAX_UNPACKED_BYTES)
    }

    fn open_with_limit(bytes: &'a [u8], limit: u64) -> Result<Self, InputError> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| InputError::BadDocx(format!("not a readable zip archive ({e})")))?;
        if archive.len() > MAX_ENTRIES {
            return Err(InputError::BadDocx(format!(
                "the zip has {} entries (more than {MAX_ENTRIES}); not a letter",
                archive.len()
            )));
        }
        // Declared sizes can lie: unpack everything once into nothing, counting real bytes.
        let mut total: u64 = 0;
        for i in 0..archive.len() {
            let mut entry = archive
                .by_index(i)
                .map_err(|e| InputError::BadDocx(format!("damaged zip entry ({e})")))?;
            if entry.encrypted() {
                return Err(InputError::Encrypted);
            }
            let left = limit - total;
            let read = std::io::copy(&mut (&mut entry).take(left + 1), &mut std::io::sink())
                .map_err(|e| InputError::BadDocx(format!("damaged zip entry ({e})")))?;
            total += read;
            if total > limit {
                return Err(InputError::BadDocx(format!(
                    "unpacks to more than {} MiB (a zip bomb?)",
                    limit / 1024 / 1024
                )));
            }
        }
        Ok(Package { archive })
    }

    fn has(&self, name: &str) -> bool {
        self.archive.index_for_name(name).is_some()
    }

    /// docx-rs loops forever on a part that ends inside an element (a truncated or damaged file),
    /// so every XML part is parsed once beforehand and such a file is refused as damaged; and it
    /// takes memory by the XML and by the element, both bounded here before it reads anything.
    fn check_xml(&mut self) -> Result<(), InputError> {
        self.check_xml_with_limits(MAX_XML_BYTES, MAX_TREE_BYTES)
    }

    fn check_xml_with_limits(&mut self, max_bytes: u64, max_tree: u64) -> Result<(), InputError> {
        let names: Vec<String> = self
            .archive
            .file_names()
            .filter(|n| n.ends_with(".xml") || n.ends_with(".rels"))
            .map(str::to_string)
            .collect();
        let too_large = || {
            InputError::BadDocx(format!(
                "its XML unpacks to more than {} MiB, more than a letter has",
                max_bytes / 1024 / 1024
            ))
        };
        let (mut total, mut tree) = (0u64, 0u64);
        for name in names {
            let mut bytes = Vec::new();
            if let Ok(mut entry) = self.archive.by_name(&name) {
                // Declared sizes can lie: the real bytes are counted.
                (&mut entry)
                    .take(max_bytes - total + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| InputError::BadDocx(format!("damaged zip entry {name} ({e})")))?;
            }
            total += bytes.len() as u64;
            if total > max_bytes {
                return Err(too_large());
            }
            let Some(part_tree) = well_formed_tree_bytes(&bytes) else {
                return Err(InputError::BadDocx(format!(
                    "damaged document ({name} is cut off or is not well-formed XML)"
                )));
            };
            tree += part_tree;
            if tree > max_tree {
                return Err(InputError::BadDocx(
                    "too many paragraphs, runs and cells for a letter (reading them would take over 256 MiB)"
                        .into(),
                ));
            }
        }
        Ok(())
    }

    /// An entry as UTF-8 text; None when there is no such entry.
    fn text(&mut self, name: &str) -> Result<Option<String>, InputError> {
        let Ok(mut entry) = self.archive.by_name(name) else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_UNPACKED_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| InputError::BadDocx(format!("damaged zip entry {name} ({e})")))?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| InputError::BadDocx(format!("{name} is not UTF-8 XML")))
    }

    /// Where the main document part is, or why this zip is not a Word document.
    fn main_document_path(&mut self) -> Result<String, InputError> {
        if let Some(mimetype) = self.text("mimetype")?
            && mimetype.contains("opendocument")
        {
            return Err(InputError::BadDocx(
                "an OpenDocument file (.odt), not .docx; save it as .docx".into(),
            ));
        }
        if !self.has("[Content_Types].xml") {
            return Err(InputError::BadDocx(
                "a zip archive, but not a Word document (no [Content_Types].xml)".into(),
            ));
        }
        let root = self.rels_of("");
        let main = root
            .by_type("officeDocument")
            .map(|t| t.trim_start_matches('/').to_string())
            .unwrap_or_else(|| "word/document.xml".to_string());
        if !main.starts_with("word/") || !self.has(&main) {
            return Err(InputError::BadDocx(
                "a zip archive, but not a Word document (no word/document.xml)".into(),
            ));
        }
        Ok(main)
    }

    /// The relationships of a part (`""` for the package itself).
    fn rels_of(&mut self, part: &str) -> Rels {
        let path = match part.rsplit_once('/') {
            Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
            None if part.is_empty() => "_rels/.rels".to_string(),
            None => format!("_rels/{part}.rels"),
        };
        match self.text(&path) {
            Ok(Some(xml)) => Rels::parse(&xml),
            _ => Rels::default(),
        }
    }
}

fn rels_by_id(package: &mut Package, main: &str, document_rels: &Rels, rid: &str) -> Rels {
    match document_rels.targets.get(rid) {
        Some((_, target)) => package.rels_of(&resolve(main, target)),
        None => Rels::default(),
    }
}

/// A relationship target relative to the part that names it.
fn resolve(base: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            _ => parts.push(piece),
        }
    }
    parts.join("/")
}

/// `Id` → (type's last word, target) of one .rels part.
#[derive(Clone, Debug, Default)]
struct Rels {
    targets: HashMap<String, (String, String)>,
}

impl Rels {
    fn parse(xml: &str) -> Self {
        let mut targets = HashMap::new();
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            let element = match reader.read_event() {
                Ok(Event::Start(e) | Event::Empty(e)) => e,
                Ok(Event::Eof) | Err(_) => break,
                Ok(_) => continue,
            };
            if element.local_name().as_ref() != b"Relationship" {
                continue;
            }
            let (Some(id), Some(kind), Some(target)) = (
                attribute(&element, "Id"),
                attribute(&element, "Type"),
                attribute(&element, "Target"),
            ) else {
                continue;
            };
            let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
            targets.insert(id, (kind, target));
        }
        Rels { targets }
    }

    fn by_type(&self, kind: &str) -> Option<String> {
        let mut found: Vec<&(String, String)> =
            self.targets.values().filter(|(k, _)| k == kind).collect();
        found.sort();
        found.first().map(|(_, t)| t.clone())
    }

    fn target(&self, id: &str) -> Option<&str> {
        self.targets.get(id).map(|(_, t)| t.as_str())
    }
}

/// The value of the attribute `name` (a qualified name, such as `w:id`), its references resolved.
fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    let value = element.try_get_attribute(name).ok()??;
    value
        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(Cow::into_owned)
}

/// The paragraphs' text of each legacy text box (`w:txbxContent` in a VML `v:textbox`) of a part
/// that is not the `mc:Fallback` copy of a DrawingML box (docx-rs reads those in `mc:Choice`).
/// Text of `w:t`, tabs and line breaks; deleted text is in `w:delText` and so left out.
fn legacy_text_boxes(xml: &str) -> Vec<Vec<String>> {
    if !xml.contains("textbox") {
        return Vec::new();
    }
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut boxes: Vec<Vec<String>> = Vec::new();
    let (mut fallback, mut textbox, mut in_text) = (0usize, 0usize, false);
    let mut paragraph: Option<String> = None;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match event {
            Event::Start(e) => match e.name().as_ref() {
                b"mc:Fallback" => fallback += 1,
                b"v:textbox" if fallback == 0 => {
                    textbox += 1;
                    boxes.push(Vec::new());
                }
                b"w:p" if textbox > 0 => paragraph = Some(String::new()),
                b"w:t" if textbox > 0 => in_text = true,
                _ => {}
            },
            Event::Empty(e) if paragraph.is_some() => match e.name().as_ref() {
                b"w:tab" => paragraph.iter_mut().for_each(|p| p.push('\t')),
                b"w:br" | b"w:cr" => paragraph.iter_mut().for_each(|p| p.push('\n')),
                _ => {}
            },
            Event::Text(t) if in_text => {
                if let (Some(p), Ok(text)) = (paragraph.as_mut(), t.decode()) {
                    p.push_str(&text);
                }
            }
            Event::GeneralRef(r) if in_text => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => r
                        .decode()
                        .ok()
                        .and_then(|name| resolve_predefined_entity(&name))
                        .map(str::to_string),
                };
                paragraph
                    .iter_mut()
                    .for_each(|p| p.push_str(resolved.as_deref().unwrap_or_default()));
            }
            Event::End(e) => match e.name().as_ref() {
                b"mc:Fallback" => fallback = fallback.saturating_sub(1),
                b"v:textbox" if textbox > 0 => textbox -= 1,
                b"w:t" => in_text = false,
                b"w:p" => {
                    if let (Some(p), Some(current)) = (paragraph.take(), boxes.last_mut()) {
                        current.push(p);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    boxes.retain(|b| !b.is_empty());
    boxes
}

/// The footnotes (or endnotes) of a notes part, by number, separators left out. docx-rs does not
/// read these parts, but each note's content is the same as a header's, so it reads them as one.
fn notes(xml: &str, element: &str) -> Vec<(usize, Vec<HeaderChild>)> {
    let root = format!("w:{element}s");
    let mut reader = quick_xml::Reader::from_str(xml);
    // The root's namespace declarations, for each note read on its own.
    let declarations = loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == root.as_bytes() => {
                break String::from_utf8_lossy(e.attributes_raw()).into_owned();
            }
            Ok(Event::Eof) | Err(_) => return Vec::new(),
            Ok(_) => {}
        }
    };
    let mut out = Vec::new();
    loop {
        let note = match reader.read_event() {
            Ok(Event::Start(e)) => e,
            // The end of the root.
            Ok(Event::End(_) | Event::Eof) | Err(_) => break,
            // A note without content, or anything else beside the notes.
            Ok(_) => continue,
        };
        let Ok(span) = reader.read_to_end(note.name()) else {
            break;
        };
        let is_note = note.name().as_ref() == format!("w:{element}").as_bytes();
        if !is_note || attribute(&note, "w:type").is_some_and(|t| t != "normal") {
            continue;
        }
        let id = attribute(&note, "w:id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0);
        if id <= 0 {
            continue;
        }
        let inner = &xml[span.start as usize..span.end as usize];
        let wrapped = format!("<w:hdr{declarations}>{inner}</w:hdr>");
        let parsed =
            quietly(|| <docx_rs::Header as docx_rs::FromXML>::from_xml(wrapped.as_bytes()));
        if let Some(Ok(header)) = parsed {
            out.push((id as usize, header.children));
        }
    }
    out
}

/// Run properties as JSON: docx-rs keeps them private but serialises them.
fn properties(rp: &RunProperty) -> Map<String, Value> {
    match serde_json::to_value(rp) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// Later levels override earlier ones; fonts attribute by attribute, a named font and a theme
/// font of the same slot replacing each other.
fn merge(into: &mut Map<String, Value>, from: &Map<String, Value>) {
    for (key, value) in from {
        if key == "fonts"
            && let (Some(Value::Object(old)), Value::Object(new)) = (into.get_mut("fonts"), value)
        {
            for (slot, font) in new {
                let twin = match slot.strip_suffix("Theme") {
                    Some(plain) => plain.to_string(),
                    None => format!("{slot}Theme"),
                };
                old.remove(&twin);
                old.insert(slot.clone(), font.clone());
            }
            continue;
        }
        into.insert(key.clone(), value.clone());
    }
}

/// Styles with their `basedOn` chains, document defaults and theme fonts.
struct StyleSheet<'a> {
    styles: HashMap<&'a str, &'a docx_rs::Style>,
    defaults: Map<String, Value>,
    minor_font: Option<String>,
    major_font: Option<String>,
}

impl<'a> StyleSheet<'a> {
    fn new(docx: &'a docx_rs::Docx) -> Self {
        let styles = docx
            .styles
            .styles
            .iter()
            .map(|s| (s.style_id.as_str(), s))
            .collect();
        let defaults = serde_json::to_value(&docx.styles.doc_defaults)
            .ok()
            .and_then(|v| {
                v.get("runPropertyDefault")?
                    .get("runProperty")?
                    .as_object()
                    .cloned()
            })
            .unwrap_or_default();
        let theme = docx.themes.first();
        let font = |group: &docx_rs::FontGroup| {
            group
                .fonts
                .iter()
                .find(|f| f.script == "Cyrl")
                .map(|f| f.typeface.clone())
                .filter(|f| !f.is_empty())
                .or_else(|| Some(group.latin.clone()).filter(|f| !f.is_empty()))
        };
        StyleSheet {
            styles,
            defaults,
            minor_font: theme.and_then(|t| font(&t.font_schema.minor_font)),
            major_font: theme.and_then(|t| font(&t.font_schema.major_font)),
        }
    }

    /// A style's run properties with those of the styles it is based on.
    fn chain(&self, id: &str, into: &mut Map<String, Value>) {
        let mut chain = Vec::new();
        let mut next_id: Option<String>;
        let mut next = Some(id);
        while let Some(id) = next {
            let Some(style) = self.styles.get(id) else {
                break;
            };
            if chain.len() > 16 || chain.iter().any(|s: &&docx_rs::Style| s.style_id == id) {
                break;
            }
            chain.push(*style);
            // `BasedOn` keeps its value private but serialises as the style id.
            next_id = style
                .based_on
                .as_ref()
                .and_then(|b| serde_json::to_value(b).ok())
                .and_then(|v| v.as_str().map(str::to_string));
            next = next_id.as_deref();
        }
        for style in chain.iter().rev() {
            merge(into, &properties(&style.run_property));
        }
    }

    fn paragraph_base(&self, style: Option<&str>) -> Map<String, Value> {
        let mut base = self.defaults.clone();
        self.chain(style.unwrap_or("Normal"), &mut base);
        base
    }

    fn run(&self, base: &Map<String, Value>, rp: &RunProperty) -> Resolved {
        let mut props = base.clone();
        let direct = properties(rp);
        if let Some(Value::String(style)) = direct.get("style") {
            self.chain(style, &mut props);
        }
        merge(&mut props, &direct);
        let on = |key: &str| props.get(key).and_then(Value::as_bool).unwrap_or(false);
        let word = |key: &str| {
            props
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty() && *v != "none")
        };
        let fill = props
            .get("shading")
            .and_then(|s| s.get("fill"))
            .and_then(Value::as_str)
            .filter(|f| !matches!(f.to_ascii_lowercase().as_str(), "" | "auto" | "ffffff"));
        let background = word("highlight").or(fill).map(Arc::from);
        let fonts = props.get("fonts");
        let slot = |name: &str| fonts.and_then(|f| f.get(name)).and_then(Value::as_str);
        let font = slot("hiAnsiTheme")
            .or(slot("asciiTheme"))
            .and_then(|theme| {
                if theme.starts_with("major") {
                    self.major_font.clone()
                } else {
                    self.minor_font.clone()
                }
            })
            .or_else(|| slot("hiAnsi").or(slot("ascii")).map(str::to_string))
            .filter(|f| !f.is_empty())
            .map(Arc::from);
        Resolved {
            hidden: on("vanish") || on("specVanish"),
            style: TextStyle {
                italic: on("italic"),
                underline: word("underline").is_some(),
                all_caps: on("caps"),
                font,
                background,
                hyperlink: None,
                symbol: false,
            },
        }
    }
}

struct Resolved {
    hidden: bool,
    style: TextStyle,
}

/// A field being read: its instruction, and whether its visible result has begun.
struct Field {
    instruction: String,
    in_result: bool,
}

struct Extractor<'a> {
    sheet: StyleSheet<'a>,
    links: Rels,
    text: String,
    blocks: Vec<BlockLocation>,
    spans: Vec<StyledSpan>,
    part: Part,
    paragraph: usize,
    tables: usize,
    cell: Option<CellLocation>,
    note: Option<usize>,
    /// Start of the paragraph being read (kept open across a deleted paragraph mark).
    open: Option<usize>,
    fields: Vec<Field>,
    /// Text boxes met so far, with the links of the part they are in; read after everything else.
    text_boxes: Vec<(Rels, Vec<TextBoxContentChild>)>,
}

impl<'a> Extractor<'a> {
    fn new(docx: &'a docx_rs::Docx, links: Rels) -> Self {
        let mut links = links;
        // docx-rs also knows the document's hyperlinks; fill in any the .rels scan missed.
        for (id, target, _) in &docx.hyperlinks {
            links
                .targets
                .entry(id.clone())
                .or_insert_with(|| ("hyperlink".into(), target.clone()));
        }
        Extractor {
            sheet: StyleSheet::new(docx),
            links,
            text: String::new(),
            blocks: Vec::new(),
            spans: Vec::new(),
            part: Part::Body,
            paragraph: 0,
            tables: 0,
            cell: None,
            note: None,
            open: None,
            fields: Vec::new(),
            text_boxes: Vec::new(),
        }
    }

    fn part(&mut self, part: Part) {
        self.close_block();
        self.part = part;
        self.paragraph = 0;
        self.tables = 0;
    }

    /// The paragraphs of every text box met, in the order met (a box inside a box comes after),
    /// then those of the legacy boxes, each a list of paragraphs' text.
    fn text_boxes(&mut self, legacy: &[Vec<String>]) {
        self.part(Part::TextBox);
        let mut next = 0;
        while next < self.text_boxes.len() {
            let (links, children) = self.text_boxes[next].clone();
            next += 1;
            self.links = links;
            for child in &children {
                match child {
                    TextBoxContentChild::Paragraph(p) => self.paragraph(p),
                    TextBoxContentChild::Table(t) => self.table(t),
                }
            }
            self.close_block();
        }
        for paragraph in legacy.iter().flatten() {
            self.open_block();
            self.push(paragraph, &TextStyle::default());
            self.close_block();
        }
    }

    fn finish(mut self) -> (String, RichText) {
        self.close_block();
        let rich = RichText {
            blocks: self.blocks,
            styles: self.spans,
        };
        (self.text, rich)
    }

    fn open_block(&mut self) {
        if self.open.is_some() {
            return;
        }
        if !self.blocks.is_empty() {
            self.text.push('\n');
        }
        self.paragraph += 1;
        self.open = Some(self.text.len());
        self.fields.clear();
    }

    fn close_block(&mut self) {
        let Some(start) = self.open.take() else {
            return;
        };
        self.blocks.push(BlockLocation {
            range: start..self.text.len(),
            part: self.part,
            paragraph: self.paragraph,
            cell: self.cell,
            note: self.note,
        });
    }

    fn push(&mut self, s: &str, style: &TextStyle) {
        if s.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        let range: Range<usize> = start..self.text.len();
        if *style == TextStyle::default() {
            return;
        }
        if let Some(last) = self.spans.last_mut()
            && last.range.end == start
            && last.style == *style
        {
            last.range.end = range.end;
            return;
        }
        self.spans.push(StyledSpan {
            range,
            style: style.clone(),
        });
    }

    fn body(&mut self, children: &[DocumentChild]) {
        for child in children {
            match child {
                DocumentChild::Paragraph(p) => self.paragraph(p),
                DocumentChild::Table(t) => self.table(t),
                DocumentChild::StructuredDataTag(sdt) => self.sdt_blocks(&sdt.children),
                _ => {}
            }
        }
    }

    fn header_child(&mut self, child: &HeaderChild) {
        match child {
            HeaderChild::Paragraph(p) => self.paragraph(p),
            HeaderChild::Table(t) => self.table(t),
            HeaderChild::StructuredDataTag(sdt) => self.sdt_blocks(&sdt.children),
        }
    }

    fn sdt_blocks(&mut self, children: &[StructuredDataTagChild]) {
        for child in children {
            match child {
                StructuredDataTagChild::Paragraph(p) => self.paragraph(p),
                StructuredDataTagChild::Table(t) => self.table(t),
                StructuredDataTagChild::StructuredDataTag(s) => self.sdt_blocks(&s.children),
                StructuredDataTagChild::Run(r) => {
                    self.open_block();
                    let base = self.sheet.paragraph_base(None);
                    self.run(r, &base, None);
                }
                _ => {}
            }
        }
    }

    fn table(&mut self, table: &Table) {
        self.close_block();
        self.tables += 1;
        let number = self.tables;
        let outer = self.cell;
        for (r, TableChild::TableRow(row)) in table.rows.iter().enumerate() {
            for (c, TableRowChild::TableCell(cell)) in row.cells.iter().enumerate() {
                self.cell = Some(CellLocation {
                    table: number,
                    row: r + 1,
                    cell: c + 1,
                });
                for content in &cell.children {
                    match content {
                        TableCellContent::Paragraph(p) => self.paragraph(p),
                        TableCellContent::Table(t) => self.table(t),
                        TableCellContent::StructuredDataTag(sdt) => self.sdt_blocks(&sdt.children),
                        TableCellContent::TableOfContents(_) => {}
                    }
                }
                self.close_block();
            }
        }
        self.cell = outer;
    }

    fn paragraph(&mut self, p: &Paragraph) {
        self.open_block();
        let style = p.property.style.as_ref().map(|s| s.val.as_str());
        let base = self.sheet.paragraph_base(style);
        for child in &p.children {
            self.paragraph_child(child, &base, None);
        }
        // A deleted paragraph mark joins this paragraph with the next one.
        if p.property.run_property.del.is_none() {
            self.close_block();
        }
    }

    fn paragraph_child(
        &mut self,
        child: &ParagraphChild,
        base: &Map<String, Value>,
        link: Option<&Arc<str>>,
    ) {
        match child {
            ParagraphChild::Run(r) => self.run(r, base, link),
            ParagraphChild::Insert(insert) => {
                for child in &insert.children {
                    if let InsertChild::Run(r) = child {
                        self.run(r, base, link);
                    }
                }
            }
            ParagraphChild::MoveTo(moved) => {
                for child in &moved.children {
                    if let MoveToChild::Run(r) = child {
                        self.run(r, base, link);
                    }
                }
            }
            ParagraphChild::Hyperlink(h) => {
                let target: Arc<str> = match &h.link {
                    HyperlinkData::External { rid, path } => {
                        Arc::from(self.links.target(rid).unwrap_or(path.as_str()))
                    }
                    HyperlinkData::Anchor { anchor } => Arc::from(format!("#{anchor}")),
                };
                for child in &h.children {
                    self.paragraph_child(child, base, Some(&target));
                }
            }
            ParagraphChild::StructuredDataTag(sdt) => {
                for child in &sdt.children {
                    if let StructuredDataTagChild::Run(r) = child {
                        self.run(r, base, link);
                    }
                }
            }
            // Deleted text, moved-away text, bookmarks, comment anchors: not in the sent letter.
            ParagraphChild::Delete(_) | ParagraphChild::MoveFrom(_) => {}
            _ => {}
        }
    }

    fn run(&mut self, run: &Run, base: &Map<String, Value>, link: Option<&Arc<str>>) {
        let resolved = self.sheet.run(base, &run.run_property);
        if resolved.hidden {
            return;
        }
        let mut style = resolved.style;
        for child in &run.children {
            match child {
                RunChild::FieldChar(f) => match f.field_char_type {
                    FieldCharType::Begin => self.fields.push(Field {
                        instruction: String::new(),
                        in_result: false,
                    }),
                    FieldCharType::Separate => {
                        if let Some(field) = self.fields.last_mut() {
                            field.in_result = true;
                        }
                    }
                    FieldCharType::End => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                RunChild::InstrTextString(s) => {
                    if let Some(field) = self.fields.last_mut() {
                        field.instruction.push_str(s);
                    }
                }
                RunChild::Text(t) => {
                    // Inside a field's instruction: a code, not text.
                    if self.fields.iter().any(|f| !f.in_result) {
                        continue;
                    }
                    style.hyperlink = link.cloned().or_else(|| self.field_link());
                    self.push(&t.text, &style);
                }
                RunChild::Tab(_) | RunChild::PTab(_) => self.push("\t", &style),
                RunChild::Break(_) | RunChild::CarriageReturn(_) => self.push("\n", &style),
                RunChild::Sym(sym) => {
                    let Some(ch) = u32::from_str_radix(&sym.char, 16)
                        .ok()
                        .and_then(char::from_u32)
                    else {
                        continue;
                    };
                    let mut symbol = style.clone();
                    symbol.symbol = true;
                    symbol.font = Some(Arc::from(sym.font.as_str()));
                    let mut buffer = [0u8; 4];
                    self.push(ch.encode_utf8(&mut buffer), &symbol);
                }
                RunChild::DeleteText(_) => {}
                RunChild::Drawing(drawing) => {
                    if let Some(DrawingData::TextBox(text_box)) = &drawing.data {
                        self.text_boxes
                            .push((self.links.clone(), text_box.children.clone()));
                    }
                }
                _ => {}
            }
        }
    }

    /// The target of an enclosing HYPERLINK field, if the text is its visible result.
    fn field_link(&self) -> Option<Arc<str>> {
        self.fields.iter().rev().find_map(|f| {
            let instruction = f.instruction.trim();
            let rest = instruction.strip_prefix("HYPERLINK")?.trim();
            let target = rest.split('"').nth(1).unwrap_or(rest);
            Some(Arc::from(target))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_like_paths() {
        assert_eq!(
            resolve("word/document.xml", "footnotes.xml"),
            "word/footnotes.xml"
        );
        assert_eq!(resolve("word/document.xml", "/word/x.xml"), "word/x.xml");
        assert_eq!(
            resolve("word/document.xml", "../media/a.png"),
            "media/a.png"
        );
    }

    #[test]
    fn rels_resolve_every_reference() {
        let rels = Rels::parse(
            r#"<Relationships><Relationship Id="rId1" Type="http://x/relationships/hyperlink" Target="https://ex.ru/?a=1&amp;b=2" TargetMode="External"/><Relationship Id='rId2' Type='http://x/relationships/footnotes' Target='&#x66;oot&#110;otes.xml'/></Relationships>"#,
        );
        assert_eq!(rels.target("rId1"), Some("https://ex.ru/?a=1&b=2"));
        assert_eq!(rels.by_type("footnotes").unwrap(), "footnotes.xml");
        assert_eq!(rels.by_type("hyperlink").unwrap(), "https://ex.ru/?a=1&b=2");
    }

    #[test]
    fn zip_bombs_are_refused_by_their_real_size() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(&vec![b' '; 3 * 1024 * 1024]).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 64 * 1024);
        let Err(InputError::BadDocx(reason)) = Package::open_with_limit(&bytes, 1024 * 1024) else {
            panic!("a 3 MiB entry passed a 1 MiB cap");
        };
        assert!(reason.contains("zip bomb"), "{reason}");
        assert!(Package::open_with_limit(&bytes, 4 * 1024 * 1024).is_ok());
    }

    fn package_of(document_xml: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(document_xml).unwrap();
        zip.finish().unwrap().into_inner()
    }

    /// Regression: 713 KB of .docx unpacking to 200 MB of XML took 13 GB in docx-rs.
    #[test]
    fn xml_is_bounded_by_its_real_size_and_its_elements() {
        let body = |inner: &str| {
            format!(r#"<w:document xmlns:w="urn:w"><w:body>{inner}</w:body></w:document>"#)
        };
        let spaces = package_of(body(&" ".repeat(300_000)).as_bytes());
        let mut package = Package::open(&spaces).unwrap();
        let Err(InputError::BadDocx(reason)) = package.check_xml_with_limits(256 * 1024, u64::MAX)
        else {
            panic!("300 KB of XML passed a 256 KiB cap");
        };
        assert!(reason.contains("XML unpacks to more than"), "{reason}");
        assert!(package.check_xml_with_limits(1024 * 1024, u64::MAX).is_ok());

        // Few bytes, many elements: 50 000 empty paragraphs are some 150 MB of tree.
        let paragraphs = package_of(body(&"<w:p/>".repeat(50_000)).as_bytes());
        let mut package = Package::open(&paragraphs).unwrap();
        let Err(InputError::BadDocx(reason)) =
            package.check_xml_with_limits(MAX_XML_BYTES, 100 * 1024 * 1024)
        else {
            panic!("50 000 paragraphs passed a 100 MiB tree");
        };
        assert!(reason.contains("too many paragraphs"), "{reason}");
        assert!(package.check_xml().is_ok());
    }

    #[test]
    fn ole_files_are_told_apart() {
        let mut doc = OLE_MAGIC.to_vec();
        doc.extend_from_slice(&[0; 64]);
        assert!(matches!(ole_error(&doc), InputError::OldWord));
        let marker: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        doc.extend_from_slice(&marker);
        assert!(matches!(ole_error(&doc), InputError::Encrypted));
    }
}
