//! Property tests: positions round-trip between bytes, characters, UTF-16 and line/column for
//! arbitrary text, and every finding's span lies inside the text on a character boundary.

use std::cell::RefCell;

use proptest::prelude::*;
use yasno_core::engine::LemmaCache;
use yasno_core::input::{self, InputFormat};
use yasno_core::text::{LineColumn, LineIndex, Utf16Position};
use yasno_core::{Document, Linter};

thread_local! {
    static LINTER: Linter = Linter::with_default_rules().expect("the embedded rules load");
    static CACHE: RefCell<LemmaCache> = RefCell::new(LemmaCache::new());
}

/// Characters that stress positions: line ends of every kind, Cyrillic (2 bytes), CJK (3 bytes),
/// astral symbols (4 bytes, 2 UTF-16 units), combining marks, BOM, NUL and other controls.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            'а', 'Я', 'ё', 'a', 'Z', ' ', '.', ',', '«', '»', '-', '—', '\n', '\r', '\t',
            '\u{0301}', '\u{FEFF}', '\u{00A0}', '\u{2028}', '\0', '𝄞', '👍', '中', '№', '…',
        ]),
        1 => any::<char>(),
    ]
}

fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..200).prop_map(|chars| chars.into_iter().collect())
}

/// Letter-like text: fragments that produce findings, mixed with tricky characters, so that spans
/// of real findings meet line ends, quotes, markup and multi-byte characters.
fn letter_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("В связи с вышеизложенным сообщаем: ".to_string()),
        Just("Ваше обращение взято на особый контроль. ".to_string()),
        Just("Уважаемый Иван Петрович!\n".to_string()),
        Just(
            "согласно ст. 11 Федерального закона № 59-ФЗ «О порядке рассмотрения обращений» "
                .to_string()
        ),
        Just("ЖКХ, МКД и УК ".to_string()),
        Just("оцените ответ на https://pos.gosuslugi.ru/form/?id=5. ".to_string()),
        Just("Рaбота ".to_string()),
        Just("\r\n\r\n".to_string()),
        Just("# ".to_string()),
        Just("`код` ".to_string()),
        Just("[ссылка](https://x.ru) ".to_string()),
        Just("- пункт\n".to_string()),
        tricky_text(),
    ];
    prop::collection::vec(fragment, 0..12).prop_map(|parts| parts.concat())
}

/// The offset that stands for a byte offset: a character's start; "\r\n" is one line end, so the
/// offset between its two bytes stands for the "\r".
fn canonical(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let bytes = text.as_bytes();
    if offset > 0 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n') {
        offset -= 1;
    }
    offset
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn positions_round_trip(text in tricky_text()) {
        let index = LineIndex::new(&text);
        for offset in 0..=text.len() {
            let at = canonical(&text, offset);
            let lc = index.line_column(&text, offset);
            prop_assert_eq!(index.offset_of_line_column(&text, lc), at, "line/column of {}", offset);
            let utf16 = index.utf16_position(&text, offset);
            prop_assert_eq!(index.offset_of_utf16(&text, utf16), at, "UTF-16 of {}", offset);
            // The two agree: same line; the column in characters, the character in UTF-16 units.
            let (lc, utf16) = (index.line_column(&text, at), index.utf16_position(&text, at));
            prop_assert_eq!(lc.line, utf16.line as usize + 1);
            let line_start = index.line_range(&text, lc.line - 1).start;
            let before = &text[line_start..at.max(line_start)];
            if at >= line_start {
                prop_assert_eq!(lc.column, before.chars().count() + 1);
                prop_assert_eq!(utf16.character as usize, before.encode_utf16().count());
            }
        }
        // Line count: one more than the line ends ("\r\n" counts once).
        let ends = text.matches("\r\n").count()
            + text.matches('\n').count() - text.matches("\r\n").count()
            + text.matches('\r').count() - text.matches("\r\n").count();
        prop_assert_eq!(index.line_count(), ends + 1);
    }

    #[test]
    fn positions_out_of_range_are_clamped(text in tricky_text(), line in 0u32..400, character in any::<u32>()) {
        let index = LineIndex::new(&text);
        let offset = index.offset_of_utf16(&text, Utf16Position { line, character });
        prop_assert!(offset <= text.len() && text.is_char_boundary(offset));
        let offset = index.offset_of_line_column(&text, LineColumn { line: line as usize, column: character as usize });
        prop_assert!(offset <= text.len() && text.is_char_boundary(offset));
    }

    #[test]
    fn tokens_and_sentences_lie_inside_the_text(text in letter_text()) {
        let doc = Document::new(text.as_str());
        let mut previous_end = 0;
        for token in &doc.tokens {
            prop_assert!(token.start() >= previous_end && token.start() < token.end());
            prop_assert!(text.is_char_boundary(token.start()) && text.is_char_boundary(token.end()));
            previous_end = token.end();
        }
        for sentence in &doc.sentences {
            prop_assert!(sentence.range.end <= text.len());
            prop_assert!(sentence.tokens.start < sentence.tokens.end && sentence.tokens.end <= doc.tokens.len());
        }
    }

    #[test]
    fn every_finding_lies_inside_the_text_on_character_boundaries(text in letter_text(), markdown in any::<bool>()) {
        let format = if markdown { InputFormat::Markdown } else { InputFormat::Text };
        let doc = input::document(text.clone(), format);
        let findings = LINTER.with(|l| CACHE.with(|c| l.check(&doc, &mut c.borrow_mut())));
        for f in &findings {
            prop_assert!(f.range.start <= f.range.end && f.range.end <= text.len(), "{} at {:?}", f.code, f.range);
            prop_assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end), "{} at {:?}", f.code, f.range);
            // The reported position points back at the finding's start.
            let lc = doc.line_column(f.range.start);
            prop_assert_eq!(doc.lines.offset_of_line_column(&text, lc), canonical(&text, f.range.start));
        }
        // Findings come in text order.
        prop_assert!(findings.windows(2).all(|w| w[0].range.start <= w[1].range.start));
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_reader(bytes in prop::collection::vec(any::<u8>(), 0..400), markdown in any::<bool>()) {
        let format = if markdown { InputFormat::Markdown } else { InputFormat::Text };
        if let Ok(doc) = input::load_bytes(bytes, Ok(format)) {
            let findings = LINTER.with(|l| CACHE.with(|c| l.check(&doc, &mut c.borrow_mut())));
            for f in &findings {
                prop_assert!(doc.text().is_char_boundary(f.range.start) && doc.text().is_char_boundary(f.range.end));
            }
        }
    }
}
