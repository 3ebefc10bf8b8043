//! Byte offsets ↔ line/column (in characters) ↔ UTF-16 positions, computed once per text.

/// A 1-based line and a 1-based column counted in Unicode scalar values (characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// A 0-based line and a 0-based column in UTF-16 code units, as the Language Server Protocol counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Utf16Position {
    pub line: u32,
    pub character: u32,
}

/// Start offsets of every line, so that a position lookup is a binary search plus one short scan.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Lines end at "\n", "\r\n" or a lone "\r".
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(line_breaks(text).map(|end| end + 1))
            .collect();
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line number that contains `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte range of a 0-based line without its terminator.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts[line];
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Offsets inside a character are moved back to the character's start.
    pub fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        LineColumn {
            line: line + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }

    pub fn utf16_position(&self, text: &str, offset: usize) -> Utf16Position {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Utf16Position {
            line: line as u32,
            character: character as u32,
        }
    }

    /// The byte offset of an LSP position; positions past the end of a line or of the text are
    /// clamped to it, as the protocol asks.
    pub fn offset_of_utf16(&self, text: &str, position: Utf16Position) -> usize {
        let line = position.line as usize;
        if line >= self.line_starts.len() {
            return self.len;
        }
        let range = self.line_range(text, line);
        let mut units = 0u32;
        for (index, ch) in text[range.clone()].char_indices() {
            if units >= position.character {
                return range.start + index;
            }
            units += ch.len_utf16() as u32;
        }
        range.end
    }

    /// The byte offset of a 1-based line and character column, clamped like `offset_of_utf16`.
    pub fn offset_of_line_column(&self, text: &str, position: LineColumn) -> usize {
        if position.line == 0 || position.line > self.line_starts.len() {
            return self.len;
        }
        let range = self.line_range(text, position.line - 1);
        text[range.clone()]
            .char_indices()
            .nth(position.column.saturating_sub(1))
            .map_or(range.end, |(index, _)| range.start + index)
    }
}

/// Offsets of the bytes that end lines: each "\n", and each "\r" not followed by "\n" (the line
/// ends at the "\n" of "\r\n"). Found with `memchr`, which reads many bytes at a time.
pub(crate) fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(move |&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_columns_count_characters_not_bytes() {
        let text = "Привет\nмир, 𝄞 да";
        let index = LineIndex::new(text);
        let offset = text.find("мир").unwrap();
        assert_eq!(
            index.line_column(text, offset),
            LineColumn { line: 2, column: 1 }
        );
        let da = text.find("да").unwrap();
        assert_eq!(
            index.line_column(text, da),
            LineColumn { line: 2, column: 8 }
        );
        // The musical symbol is two UTF-16 units.
        assert_eq!(
            index.utf16_position(text, da),
            Utf16Position {
                line: 1,
                character: 8
            }
        );
        assert_eq!(
            index.offset_of_utf16(
                text,
                Utf16Position {
                    line: 1,
                    character: 8
                }
            ),
            da
        );
        assert_eq!(
            index.offset_of_line_column(text, LineColumn { line: 2, column: 8 }),
            da
        );
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "а\r\nб\rв";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_column(text, text.find('в').unwrap()).line, 3);
        assert_eq!(&text[index.line_range(text, 0)], "а");
    }

    /// `line_breaks` finds what a byte-by-byte scan finds.
    #[test]
    fn line_breaks_are_found_as_a_byte_scan_finds_them() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let alphabet: Vec<char> = "a\r\n я\u{2028}".chars().collect();
        let text = proptest::collection::vec(proptest::sample::select(alphabet), 0..60)
            .prop_map(|chars| chars.into_iter().collect::<String>());
        let mut runner = TestRunner::new(Config {
            cases: 2000,
            ..Config::default()
        });
        runner
            .run(&text, |text| {
                let bytes = text.as_bytes();
                let expected: Vec<usize> = (0..bytes.len())
                    .filter(|&i| {
                        bytes[i] == b'\n' || bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n')
                    })
                    .collect();
                prop_assert_eq!(line_breaks(&text).collect::<Vec<_>>(), expected);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "да\nнет";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset_of_utf16(
                text,
                Utf16Position {
                    line: 9,
                    character: 0
                }
            ),
            text.len()
        );
        assert_eq!(
            index.offset_of_utf16(
                text,
                Utf16Position {
                    line: 0,
                    character: 99
                }
            ),
            "да".len()
        );
        assert_eq!(index.line_column(text, 1).column, 1);
    }
}
