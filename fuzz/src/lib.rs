//! What the fuzz targets run, shared with the test suite: `tests/robustness.rs` includes this file
//! (`#[path]`) and replays every corpus and regression input through it on each `cargo test`.
//!
//! Each function must never panic, whatever the bytes; it asserts the invariants that the rest of
//! the program relies on: every finding's span lies inside the text on character boundaries, and
//! positions round-trip between bytes, line/column and UTF-16.

use std::cell::RefCell;
use std::io::{Cursor, Write};

use yasno_core::engine::LemmaCache;
use yasno_core::input::{self, InputFormat};
use yasno_core::text::{LineColumn, LineIndex, Utf16Position};
use yasno_core::{Document, Linter};

thread_local! {
    static LINTER: Linter = Linter::with_default_rules().expect("the embedded rules load");
    static CACHE: RefCell<LemmaCache> = RefCell::new(LemmaCache::new());
}

/// Bytes as a letter arrives on disk: decoded (UTF-8, UTF-16, Windows-1251, refused), parsed as
/// text or Markdown (the first byte chooses), checked.
pub fn text_pipeline(data: &[u8]) {
    let (format, bytes) = match data.split_first() {
        Some((first, rest)) if first & 1 == 1 => (InputFormat::Markdown, rest),
        Some((_, rest)) => (InputFormat::Text, rest),
        None => (InputFormat::Text, data),
    };
    if let Ok(doc) = input::load_bytes(bytes.to_vec(), Ok(format)) {
        check_document(&doc);
    }
}

/// A .docx: the raw bytes (zip structure faults), or — when the first byte is odd — the rest taken
/// as `word/document.xml` of an otherwise valid package (XML faults reach the extractor).
pub fn docx(data: &[u8]) {
    let bytes = match data.split_first() {
        Some((first, rest)) if first & 1 == 1 => package(rest),
        _ => data.to_vec(),
    };
    if let Ok(doc) = input::docx::read(&bytes) {
        check_document(&doc);
    }
}

/// What the language server does with a client's edits: a document is opened with the first
/// part of the input, then each later part is an edit whose range is given in LSP (UTF-16)
/// positions or line/column positions, possibly out of range or reversed; the text is re-checked
/// after each edit. Parts are separated by 0xFF (never in UTF-8).
pub fn lsp_edits(data: &[u8]) {
    let mut parts = data.split(|&b| b == 0xFF);
    let Some(first) = parts.next() else {
        return;
    };
    let mut text = String::from_utf8_lossy(first).into_owned();
    let mut edits = 0;
    for part in parts {
        if part.len() < 5 || edits > 32 {
            break;
        }
        edits += 1;
        let index = LineIndex::new(&text);
        let number = |i: usize| u32::from(part[i]) | (u32::from(part[i + 1] & 0x0F) << 8);
        let (a, b) = if part[0] & 1 == 0 {
            let a = Utf16Position {
                line: u32::from(part[1] & 0x1F),
                character: number(2),
            };
            let b = Utf16Position {
                line: u32::from(part[4] & 0x1F),
                character: u32::from(part[1] >> 3),
            };
            (
                index.offset_of_utf16(&text, a),
                index.offset_of_utf16(&text, b),
            )
        } else {
            let a = LineColumn {
                line: usize::from(part[1] & 0x1F),
                column: number(2) as usize,
            };
            let b = LineColumn {
                line: usize::from(part[4] & 0x1F),
                column: usize::from(part[1] >> 3),
            };
            (
                index.offset_of_line_column(&text, a),
                index.offset_of_line_column(&text, b),
            )
        };
        let span = a.min(b)..a.max(b);
        assert!(
            span.end <= text.len(),
            "an LSP position maps inside the text"
        );
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        text.replace_range(span, &String::from_utf8_lossy(&part[5..]));
        let format = if part[0] & 2 == 0 {
            InputFormat::Text
        } else {
            InputFormat::Markdown
        };
        check_document(&input::document(text.clone(), format));
    }
    if edits == 0 {
        check_document(&input::document(text, InputFormat::Text));
    }
}

/// Checks the document and asserts the invariants of its text model and findings.
pub fn check_document(doc: &Document) {
    let text = doc.text();
    let on_boundary = |offset: usize| offset <= text.len() && text.is_char_boundary(offset);
    for token in &doc.tokens {
        assert!(token.start() < token.end(), "tokens are not empty");
        assert!(on_boundary(token.start()) && on_boundary(token.end()));
    }
    for sentence in &doc.sentences {
        assert!(on_boundary(sentence.range.start) && on_boundary(sentence.range.end));
        assert!(sentence.tokens.end <= doc.tokens.len());
    }
    let findings =
        LINTER.with(|linter| CACHE.with(|cache| linter.check(doc, &mut cache.borrow_mut())));
    for finding in &findings {
        let range = &finding.range;
        assert!(
            range.start <= range.end,
            "{}: a reversed span",
            finding.code
        );
        assert!(
            on_boundary(range.start) && on_boundary(range.end),
            "{}: span {range:?} off a character boundary",
            finding.code
        );
        for offset in [range.start, range.end] {
            assert_round_trip(doc, offset);
        }
    }
    // A sample of other offsets, so that long texts stay quick.
    let step = (text.len() / 64).max(1);
    for offset in (0..=text.len()).step_by(step) {
        assert_round_trip(doc, offset);
    }
}

/// Byte offset → line/column and UTF-16 position → the same byte offset. An offset inside a
/// character stands for that character's start; the one between "\r" and "\n" for the "\r".
pub fn assert_round_trip(doc: &Document, offset: usize) {
    let text = doc.text();
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if offset > 0
        && text.as_bytes()[offset - 1] == b'\r'
        && text.as_bytes().get(offset) == Some(&b'\n')
    {
        offset -= 1;
    }
    let line_column = doc.line_column(offset);
    assert_eq!(
        doc.lines.offset_of_line_column(text, line_column),
        offset,
        "line/column round trip at {offset}"
    );
    let utf16 = doc.utf16_position(offset);
    assert_eq!(
        doc.lines.offset_of_utf16(text, utf16),
        offset,
        "UTF-16 round trip at {offset}"
    );
}

/// A minimal valid .docx around the given `word/document.xml`, stored uncompressed.
pub fn package(document_xml: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts: [(&str, &[u8]); 4] = [
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#),
        ("word/_rels/document.xml.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#),
        ("word/document.xml", document_xml),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, options).expect("write to memory");
        zip.write_all(bytes).expect("write to memory");
    }
    zip.finish().expect("write to memory").into_inner()
}

/// The language server's message handling: the bytes are what a client writes to `yasno lsp`'s
/// standard input (`Content-Length` frames of JSON-RPC, or anything else), read and dispatched
/// by the real server in-process. Deterministic: each message is handled to the end, its checks
/// included, before the next one; the server touches no file. Asserts that the session ends, that
/// none of its threads panicked (the server catches panics, so they are counted here), and that
/// everything it wrote is framed JSON-RPC 2.0.
pub fn lsp_messages(data: &[u8]) {
    let output = SharedBuffer::default();
    let panics = session_panics();
    IN_SESSION.with(|flag| flag.set(true));
    yasno_lsp::serve(
        Cursor::new(data.to_vec()),
        output.clone(),
        yasno_lsp::Options {
            deterministic: true,
        },
    );
    IN_SESSION.with(|flag| flag.set(false));
    assert_eq!(
        session_panics(),
        panics,
        "the server panicked while handling a message"
    );
    let written = std::mem::take(&mut *output.0.lock().expect("not poisoned"));
    assert_framed_json_rpc(&written);
}

/// What the server writes, kept for the checks after the session.
#[derive(Clone, Default)]
struct SharedBuffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Write for SharedBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

thread_local! {
    /// Set on the thread that runs a session's main loop.
    static IN_SESSION: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}
static SESSION_PANICS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Panics so far on a session's threads: its main loop and the server's own threads (named
/// `yasno-lsp-*`). The first call installs a panic hook that counts them and then does what the
/// previous hook did (under libFuzzer: abort, which is how the fuzzer sees a caught panic).
fn session_panics() -> usize {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let server_thread = std::thread::current()
                .name()
                .is_some_and(|name| name.starts_with("yasno-lsp-"));
            if server_thread || IN_SESSION.with(std::cell::Cell::get) {
                SESSION_PANICS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            previous(info);
        }));
    });
    SESSION_PANICS.load(std::sync::atomic::Ordering::SeqCst)
}

/// Every byte written is part of a `Content-Length` frame whose body is a JSON-RPC 2.0 object.
pub fn assert_framed_json_rpc(mut written: &[u8]) {
    const HEADER: &[u8] = b"Content-Length: ";
    while !written.is_empty() {
        assert!(
            written.starts_with(HEADER),
            "a frame starts with its length"
        );
        let rest = &written[HEADER.len()..];
        let end = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("the header ends");
        let length: usize = std::str::from_utf8(&rest[..end])
            .ok()
            .and_then(|n| n.parse().ok())
            .expect("the length is a number");
        let body = rest
            .get(end + 4..end + 4 + length)
            .expect("the body is as long as its header says");
        let value: serde_json::Value = serde_json::from_slice(body).expect("the body is JSON");
        assert_eq!(value["jsonrpc"], "2.0", "a JSON-RPC 2.0 message");
        written = &rest[end + 4 + length..];
    }
}
