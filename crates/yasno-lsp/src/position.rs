//! LSP positions ↔ byte offsets, in the encoding negotiated with the client.

use lsp_types::{Position, PositionEncodingKind, Range};

use yasno_core::text::{LineIndex, Utf16Position, floor_char_boundary};

/// How the `character` of a position counts: the protocol's default is UTF-16 code units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// The client's offer, best first for us: UTF-8 (our offsets are bytes), then UTF-32, else UTF-16.
    pub fn negotiate(offered: &[String]) -> Self {
        if offered.iter().any(|e| e == "utf-8") {
            Encoding::Utf8
        } else if offered.iter().any(|e| e == "utf-32") {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        }
    }
}

/// The position of a byte offset (clamped to the text, moved back to a character boundary).
pub fn position(text: &str, index: &LineIndex, offset: usize, encoding: Encoding) -> Position {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    match encoding {
        Encoding::Utf16 => {
            let p = index.utf16_position(text, offset);
            Position::new(p.line, p.character)
        }
        Encoding::Utf8 => {
            let line = index.line_of(offset);
            let start = index.line_range(text, line).start;
            Position::new(line as u32, (offset - start) as u32)
        }
        // Characters are counted by the index, which does not rescan a long line for each position.
        Encoding::Utf32 => {
            let at = index.line_column(text, offset);
            Position::new((at.line - 1) as u32, (at.column - 1) as u32)
        }
    }
}

pub fn range(
    text: &str,
    index: &LineIndex,
    span: std::ops::Range<usize>,
    encoding: Encoding,
) -> Range {
    Range::new(
        position(text, index, span.start, encoding),
        position(text, index, span.end, encoding),
    )
}

/// The byte offset of a position. Positions past the end of a line or of the text are clamped to
/// it, as the protocol asks; a UTF-8 position inside a character moves back to its start.
pub fn offset(text: &str, index: &LineIndex, position: Position, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf16 => index.offset_of_utf16(
            text,
            Utf16Position {
                line: position.line,
                character: position.character,
            },
        ),
        Encoding::Utf8 => {
            let line = position.line as usize;
            if line >= index.line_count() {
                return text.len();
            }
            let span = index.line_range(text, line);
            floor_char_boundary(
                text,
                (span.start + position.character as usize).min(span.end),
            )
        }
        Encoding::Utf32 => index.offset_of_line_column(
            text,
            yasno_core::text::LineColumn {
                line: position.line as usize + 1,
                column: position.character as usize + 1,
            },
        ),
    }
}

/// The byte range of an LSP range, its ends put in order.
pub fn span(
    text: &str,
    index: &LineIndex,
    range: Range,
    encoding: Encoding,
) -> std::ops::Range<usize> {
    let a = offset(text, index, range.start, encoding);
    let b = offset(text, index, range.end, encoding);
    a.min(b)..a.max(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_round_trips() {
        let text = "Привет\r\nмир, 𝄞 да\nend";
        let index = LineIndex::new(text);
        let da = text.find("да").unwrap();
        let expected = [
            (Encoding::Utf8, Position::new(1, "мир, 𝄞 ".len() as u32)),
            (Encoding::Utf16, Position::new(1, 8)),
            (Encoding::Utf32, Position::new(1, 7)),
        ];
        for (encoding, want) in expected {
            assert_eq!(position(text, &index, da, encoding), want, "{encoding:?}");
            assert_eq!(offset(text, &index, want, encoding), da, "{encoding:?}");
        }
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "да\nнет";
        let index = LineIndex::new(text);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(
                offset(text, &index, Position::new(7, 3), encoding),
                text.len()
            );
            assert_eq!(
                offset(text, &index, Position::new(0, 99), encoding),
                "да".len()
            );
            assert_eq!(
                offset(text, &index, Position::new(u32::MAX, u32::MAX), encoding),
                text.len()
            );
        }
        // Inside a two-byte letter: back to its start.
        assert_eq!(offset(text, &index, Position::new(0, 1), Encoding::Utf8), 0);
        let reversed = Range::new(Position::new(1, 2), Position::new(0, 0));
        assert_eq!(
            span(text, &index, reversed, Encoding::Utf32),
            0..text.find('т').unwrap()
        );
    }

    #[test]
    fn negotiation_prefers_utf8() {
        let offer = |list: &[&str]| {
            Encoding::negotiate(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(offer(&["utf-16", "utf-8"]), Encoding::Utf8);
        assert_eq!(offer(&["utf-16"]), Encoding::Utf16);
        assert_eq!(offer(&[]), Encoding::Utf16);
        assert_eq!(offer(&["utf-32", "utf-16"]), Encoding::Utf32);
    }
}
