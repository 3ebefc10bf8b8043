//! Reading letters: bytes → checked UTF-8 text → `Document`. Markdown is masked so that only its
//! prose is checked, with byte offsets kept. Word documents (.docx) are read by `docx`.

pub mod docx;
mod markdown;

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::Path;

use crate::text::Document;

/// Larger inputs are refused: a letter is a few kilobytes, an archive is many files.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Text,
    Markdown,
    Docx,
}

impl InputFormat {
    /// By extension; anything that is not Markdown is read as plain text.
    pub fn from_path(path: &Path) -> Result<Self, InputError> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "md" | "markdown" => Ok(InputFormat::Markdown),
            "docx" => Ok(InputFormat::Docx),
            "doc" => Err(InputError::OldWord),
            "odt" | "rtf" | "pdf" => Err(InputError::Unsupported(ext)),
            _ => Ok(InputFormat::Text),
        }
    }
}

#[derive(Debug)]
pub enum InputError {
    Io(std::io::Error),
    NotFound,
    IsDirectory,
    /// A FIFO, a socket or a device.
    NotRegularFile,
    TooLarge(u64),
    Binary,
    InvalidUtf8 {
        offset: usize,
    },
    Unsupported(String),
    /// An old Word .doc (an OLE compound file).
    OldWord,
    /// A password-protected Word document.
    Encrypted,
    /// A .docx that cannot be read, and why.
    BadDocx(String),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "cannot read: {e}"),
            InputError::NotFound => write!(f, "no such file"),
            InputError::IsDirectory => write!(f, "is a directory"),
            InputError::NotRegularFile => write!(
                f,
                "not a regular file (a FIFO, a socket or a device); give `-` to read standard input"
            ),
            InputError::TooLarge(size) => write!(
                f,
                "file is too large ({size} bytes; the limit is {MAX_INPUT_BYTES} bytes)"
            ),
            InputError::Binary => write!(f, "binary file (contains NUL bytes), not a text letter"),
            InputError::InvalidUtf8 { offset } => {
                write!(
                    f,
                    "not valid UTF-8 (first bad byte at offset {offset}); save the file as UTF-8"
                )
            }
            InputError::Unsupported(ext) => write!(
                f,
                ".{ext} files are not supported yet; save the letter as .docx, .txt or .md"
            ),
            InputError::OldWord => write!(f, "old Word .doc format: save as .docx"),
            InputError::Encrypted => write!(
                f,
                "the document is password-protected: remove the password and save again"
            ),
            InputError::BadDocx(reason) => write!(f, "cannot read as .docx: {reason}"),
        }
    }
}

impl std::error::Error for InputError {}

/// Reads and parses a file into a document: the one entry point for files on disk.
pub fn load_path(path: &Path) -> Result<Document, InputError> {
    let format = InputFormat::from_path(path);
    let bytes = read_file_bytes(path)?;
    load_bytes(bytes, format)
}

/// Parses input that arrived as bytes (standard input, an editor buffer); `name` chooses the format.
pub fn load_reader(reader: impl Read, name: &str) -> Result<Document, InputError> {
    let format = InputFormat::from_path(Path::new(name));
    load_bytes(read_limited_bytes(reader)?, format)
}

/// Parses a whole input. The bytes decide before the name: a zip is read as .docx whatever it is
/// called, an OLE file is an old .doc (or an encrypted .docx); an unsupported extension is refused.
pub fn load_bytes(
    bytes: Vec<u8>,
    format: Result<InputFormat, InputError>,
) -> Result<Document, InputError> {
    if docx::is_zip(&bytes) {
        return docx::read(&bytes);
    }
    if docx::is_ole(&bytes) {
        return Err(docx::ole_error(&bytes));
    }
    match format? {
        InputFormat::Docx => docx::read(&bytes),
        format => {
            let (text, encoding) = decode_with_encoding(bytes)?;
            let mut doc = document(text, format);
            doc.encoding = encoding;
            Ok(doc)
        }
    }
}

/// A letter read for `check --fix`: the document, and how to write its text back byte for byte
/// in the same form.
pub struct Loaded {
    pub document: Document,
    /// How to write the text back, or why it cannot be.
    pub storage: Result<TextStorage, NotWritable>,
}

/// Why a letter's fixed text cannot be written back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotWritable {
    /// A Word document (or an old .doc), whatever its name: its text is not its bytes.
    Word,
    /// A text whose bytes would not come back the same from its decoded text (in this encoding).
    NotReversible(&'static str),
}

impl fmt::Display for NotWritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotWritable::Word => write!(f, "it is a Word document, not plain text"),
            NotWritable::NotReversible(encoding) => write!(
                f,
                "its {encoding} bytes would not be written back as they are"
            ),
        }
    }
}

/// How a text letter's bytes are stored: its encoding and whether it begins with a byte order
/// mark. Fixed text is written back the same way, so that nothing outside a fix changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextStorage {
    encoding: &'static encoding_rs::Encoding,
    bom: bool,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl TextStorage {
    /// The storage of `bytes`, which `decode_with_encoding` read as text in `encoding`.
    fn of(bytes: &[u8], encoding: Option<&str>) -> Self {
        let encoding = encoding
            .and_then(|name| encoding_rs::Encoding::for_label(name.as_bytes()))
            .unwrap_or(encoding_rs::UTF_8);
        let bom = if encoding == encoding_rs::UTF_8 {
            bytes.starts_with(UTF8_BOM)
        } else {
            // UTF-16 is only recognised by its mark; Windows-1251 has none.
            encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE
        };
        TextStorage { encoding, bom }
    }

    /// The encoding's name, as `Document::encoding` gives it.
    pub fn name(&self) -> &'static str {
        self.encoding.name()
    }

    /// `text` as this storage holds it; `None` when a character of it has no code in the encoding
    /// (a «✓» or an emoji cannot be written in Windows-1251 without changing it).
    pub fn encode(&self, text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.encoding == encoding_rs::UTF_16LE || self.encoding == encoding_rs::UTF_16BE {
            // encoding_rs encodes into UTF-8 only for these two: UTF-16 is written by hand.
            let little = self.encoding == encoding_rs::UTF_16LE;
            out.extend_from_slice(if little { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
            for unit in text.encode_utf16() {
                out.extend(if little {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            return Some(out);
        }
        if self.bom {
            out.extend_from_slice(UTF8_BOM);
        }
        if self.encoding == encoding_rs::UTF_8 {
            out.extend_from_slice(text.as_bytes());
            return Some(out);
        }
        let (encoded, _, unmappable) = self.encoding.encode(text);
        if unmappable {
            return None;
        }
        out.extend_from_slice(&encoded);
        Some(out)
    }
}

/// Parses a letter as `load_bytes` does, and learns how to write its text back. Which format it is
/// the bytes decide: a zip or an OLE file is never taken for text, whatever its name.
pub fn load_for_writing(
    bytes: Vec<u8>,
    format: Result<InputFormat, InputError>,
) -> Result<Loaded, InputError> {
    let word =
        docx::is_zip(&bytes) || docx::is_ole(&bytes) || matches!(format, Ok(InputFormat::Docx));
    if word {
        return load_bytes(bytes, format).map(|document| Loaded {
            document,
            storage: Err(NotWritable::Word),
        });
    }
    let utf8 = !bytes.starts_with(&[0xFF, 0xFE])
        && !bytes.starts_with(&[0xFE, 0xFF])
        && encoding_rs::Encoding::utf8_valid_up_to(&bytes) == bytes.len();
    let bom = bytes.starts_with(UTF8_BOM);
    // Only another encoding's bytes need keeping, to check below that they come back the same.
    let original = (!utf8).then(|| bytes.clone());
    let document = load_bytes(bytes, format)?;
    let storage = match original {
        None => Ok(TextStorage {
            encoding: encoding_rs::UTF_8,
            bom,
        }),
        Some(original) => {
            let storage = TextStorage::of(&original, document.encoding);
            if storage.encode(document.text()).as_deref() == Some(&original[..]) {
                Ok(storage)
            } else {
                Err(NotWritable::NotReversible(storage.name()))
            }
        }
    };
    Ok(Loaded { document, storage })
}

/// Reads a file whole, refusing what is not a text letter.
pub fn read_file(path: &Path) -> Result<String, InputError> {
    decode(read_file_bytes(path)?)
}

/// Reads a file's bytes whole, up to the size limit.
pub fn read_file_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    read_file_with_metadata(path).map(|(bytes, _)| bytes)
}

/// Reads a file's bytes whole, up to the size limit, with the metadata of the file that was read
/// (not of whatever has the name by the time it is asked).
pub fn read_file_with_metadata(path: &Path) -> Result<(Vec<u8>, fs::Metadata), InputError> {
    let metadata = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound,
        _ => InputError::Io(e),
    })?;
    if metadata.is_dir() {
        return Err(InputError::IsDirectory);
    }
    // Reading a FIFO, a socket or a device would wait for a writer, or never end.
    if !metadata.is_file() {
        return Err(InputError::NotRegularFile);
    }
    if metadata.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge(metadata.len()));
    }
    let file = fs::File::open(path).map_err(InputError::Io)?;
    // Room for the whole file (and the read that finds its end) saves growing the buffer read
    // by read: a 4 KB letter took eight reads.
    let opened = file.metadata().map_err(InputError::Io)?;
    let expected = usize::try_from(opened.len()).unwrap_or(0);
    let bytes = read_limited_into(file, Vec::with_capacity(expected.saturating_add(1)))?;
    Ok((bytes, opened))
}

/// Reads standard input (or any reader) up to the size limit.
pub fn read_limited(reader: impl Read) -> Result<String, InputError> {
    decode(read_limited_bytes(reader)?)
}

/// Reads bytes from any reader up to the size limit.
pub fn read_limited_bytes(reader: impl Read) -> Result<Vec<u8>, InputError> {
    read_limited_into(reader, Vec::new())
}

fn read_limited_into(reader: impl Read, mut bytes: Vec<u8>) -> Result<Vec<u8>, InputError> {
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(InputError::Io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The text of a letter: UTF-8 (a BOM is dropped), UTF-16 with a BOM, or — when the bytes are not
/// UTF-8 and read as Russian in it — Windows-1251, which Russian offices still produce. NUL bytes
/// in anything else mean a binary file.
pub fn decode(bytes: Vec<u8>) -> Result<String, InputError> {
    decode_with_encoding(bytes).map(|(text, _)| text)
}

/// Like `decode`, and names the encoding when it was not UTF-8.
pub fn decode_with_encoding(
    mut bytes: Vec<u8>,
) -> Result<(String, Option<&'static str>), InputError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let utf16 = if bytes.starts_with(&[0xFF, 0xFE]) {
        Some(encoding_rs::UTF_16LE)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    };
    if let Some(encoding) = utf16 {
        let (text, had_errors) = encoding.decode_with_bom_removal(&bytes[2..]);
        if had_errors || text.contains('\0') || !looks_like_letter_text(&text) {
            return Err(InputError::Binary);
        }
        return Ok((text.into_owned(), Some(encoding.name())));
    }
    if bytes.contains(&0) {
        return Err(InputError::Binary);
    }
    // encoding_rs checks Cyrillic UTF-8 many times faster than `String::from_utf8`, whose
    // fast path is for ASCII; a letter's text is mostly two-byte Cyrillic.
    let offset = encoding_rs::Encoding::utf8_valid_up_to(&bytes);
    if offset == bytes.len() {
        // SAFETY: `utf8_valid_up_to` has just found every byte of `bytes` to be valid UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return Ok((text, None));
    }
    if looks_like_windows_1251(&bytes) {
        let (text, _, _) = encoding_rs::WINDOWS_1251.decode(&bytes);
        Ok((text.into_owned(), Some("windows-1251")))
    } else {
        Err(InputError::InvalidUtf8 { offset })
    }
}

/// Text a person wrote: nearly all of it letters of the Latin or Cyrillic alphabets, digits,
/// punctuation and spaces (binary data behind a UTF-16 BOM decodes to CJK and symbols).
fn looks_like_letter_text(text: &str) -> bool {
    let total = text.chars().count();
    let plausible = text
        .chars()
        .filter(|&c| {
            c.is_ascii()
                || ('\u{0400}'..='\u{04FF}').contains(&c)
                || ('\u{2010}'..='\u{2116}').contains(&c)
                || matches!(c, '«' | '»' | '\u{A0}' | '\u{FEFF}')
        })
        .count();
    plausible * 10 >= total * 9
}

/// Russian text in Windows-1251: nearly every byte above 0x7F is a Cyrillic letter (0xC0–0xFF, Ё ё)
/// or its usual punctuation (« » № – — …).
fn looks_like_windows_1251(bytes: &[u8]) -> bool {
    let high: Vec<u8> = bytes.iter().copied().filter(|&b| b >= 0x80).collect();
    // A stray byte or two is damage, not an encoding.
    if high.len() < 4 {
        return false;
    }
    let russian = high
        .iter()
        .filter(|&&b| {
            b >= 0xC0
                || matches!(
                    b,
                    0xA8 | 0xB8 | 0xAB | 0xBB | 0xB9 | 0x96 | 0x97 | 0x85 | 0xA0
                )
        })
        .count();
    russian * 10 >= high.len() * 9
}

/// The document model of a text in the given format (a .docx arrives as bytes: see `load_bytes`).
pub fn document(text: String, format: InputFormat) -> Document {
    match format {
        InputFormat::Text | InputFormat::Docx => Document::new(text),
        InputFormat::Markdown => {
            let masked = markdown::mask(&text);
            Document::with_mask(text.clone(), &masked.text, &masked.breaks)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bytes_are_refused_with_a_reason() {
        assert!(matches!(
            decode(vec![b'a', 0, b'b']),
            Err(InputError::Binary)
        ));
        assert!(matches!(
            decode(vec![b'a', 0xFF]),
            Err(InputError::InvalidUtf8 { offset: 1 })
        ));
        assert_eq!(decode(b"\xEF\xBB\xBFok".to_vec()).unwrap(), "ok");
        assert_eq!(decode(Vec::new()).unwrap(), "");
    }

    #[test]
    fn windows_1251_and_utf16_are_decoded_and_named() {
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251
            .encode("Уважаемый Иван Петрович! Ваш вопрос решён «сегодня» — №5.");
        let (text, encoding) = decode_with_encoding(cp1251.into_owned()).unwrap();
        assert_eq!(
            text,
            "Уважаемый Иван Петрович! Ваш вопрос решён «сегодня» — №5."
        );
        assert_eq!(encoding, Some("windows-1251"));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "Привет, мир".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(
            decode_with_encoding(utf16).unwrap(),
            ("Привет, мир".to_string(), Some("UTF-16LE"))
        );
        // Latin-1 accents are not Russian: still an error.
        assert!(matches!(
            decode(b"caf\xe9 cr\xe8me \xe0 la".to_vec()),
            Ok(_) | Err(InputError::InvalidUtf8 { .. })
        ));
        assert!(matches!(
            decode(vec![0x80, 0x81, 0x82, 0x83]),
            Err(InputError::InvalidUtf8 { offset: 0 })
        ));
    }

    proptest::proptest! {
        /// The fast UTF-8 check takes and refuses what the standard library does, at the same byte.
        #[test]
        fn utf8_check_agrees_with_std(
            prefix in "[а-яА-ЯёЁa-z0-9 ,.«»—€𝔸]{0,40}",
            noise in proptest::collection::vec(proptest::num::u8::ANY, 0..6),
            suffix in "[а-яё ]{0,10}",
        ) {
            let mut bytes = prefix.into_bytes();
            bytes.extend(noise.iter().filter(|&&b| b != 0));
            bytes.extend(suffix.into_bytes());
            if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) || bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                return Ok(());
            }
            match (std::str::from_utf8(&bytes), decode_with_encoding(bytes.clone())) {
                (Ok(expected), Ok((text, encoding))) => {
                    proptest::prop_assert_eq!(text, expected);
                    proptest::prop_assert_eq!(encoding, None);
                }
                (Err(e), Err(InputError::InvalidUtf8 { offset })) => {
                    proptest::prop_assert_eq!(offset, e.valid_up_to());
                }
                (Err(_), Ok((_, encoding))) => proptest::prop_assert_eq!(encoding, Some("windows-1251")),
                (expected, got) => proptest::prop_assert!(false, "std {:?}, yasno {:?}", expected.is_ok(), got.is_ok()),
            }
        }
    }
}
