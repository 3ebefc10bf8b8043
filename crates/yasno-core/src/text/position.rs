//! Byte offsets ↔ line/column (in characters) ↔ UTF-16 positions, computed once per text.

use std::sync::OnceLock;

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
    /// Built on the first column asked for on a long line: a letter of short lines never needs it.
    checkpoints: OnceLock<Vec<Checkpoint>>,
    len: usize,
}

/// Counting a column from the start of its line is quadratic over the findings of a long line (a
/// one-line letter of 50 MB); counts kept every `CHECKPOINT_BYTES` bytes bound each count to one
/// block, so a column costs the same wherever it is and in whatever order columns are asked for.
const CHECKPOINT_BYTES: usize = 1024;

/// Characters and UTF-16 code units before `offset` (a character boundary).
#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    offset: usize,
    chars: usize,
    utf16: usize,
}

/// What a column counts.
#[derive(Clone, Copy)]
enum Unit {
    Chars,
    Utf16,
}

impl Unit {
    fn count(self, text: &str) -> usize {
        let chars = text.chars().count();
        match self {
            Unit::Chars => chars,
            // A character outside the Basic Multilingual Plane (4 bytes in UTF-8, lead byte
            // F0–F4) is two UTF-16 units; found many bytes at a time, as they are rare.
            Unit::Utf16 => {
                let bytes = text.as_bytes();
                chars
                    + memchr::memchr3_iter(0xF0, 0xF1, 0xF2, bytes).count()
                    + memchr::memchr2_iter(0xF3, 0xF4, bytes).count()
            }
        }
    }

    fn of(self, checkpoint: &Checkpoint) -> usize {
        match self {
            Unit::Chars => checkpoint.chars,
            Unit::Utf16 => checkpoint.utf16,
        }
    }

    fn width(self, ch: char) -> usize {
        match self {
            Unit::Chars => 1,
            Unit::Utf16 => ch.len_utf16(),
        }
    }
}

impl LineIndex {
    /// Lines end at "\n", "\r\n" or a lone "\r".
    pub fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(line_breaks(text).map(|end| end + 1))
            .collect();
        LineIndex {
            line_starts,
            checkpoints: OnceLock::new(),
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
        let (line, column) = self.line_and_column(text, offset, Unit::Chars);
        LineColumn {
            line: line + 1,
            column: column + 1,
        }
    }

    pub fn utf16_position(&self, text: &str, offset: usize) -> Utf16Position {
        let (line, character) = self.line_and_column(text, offset, Unit::Utf16);
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
        self.offset_in_line(text, range, position.character as usize, Unit::Utf16)
    }

    /// The byte offset of a 1-based line and character column, clamped like `offset_of_utf16`.
    pub fn offset_of_line_column(&self, text: &str, position: LineColumn) -> usize {
        if position.line == 0 || position.line > self.line_starts.len() {
            return self.len;
        }
        let range = self.line_range(text, position.line - 1);
        self.offset_in_line(text, range, position.column.saturating_sub(1), Unit::Chars)
    }

    /// 0-based line and column (in `unit`s) of an offset, moved back to a character boundary.
    fn line_and_column(&self, text: &str, offset: usize, unit: Unit) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let column = if offset - start <= 2 * CHECKPOINT_BYTES {
            unit.count(&text[start..offset])
        } else {
            self.units_before(text, offset, unit) - self.units_before(text, start, unit)
        };
        (line, column)
    }

    /// Units from the start of the text to `offset` (a character boundary): at most one block counted.
    fn units_before(&self, text: &str, offset: usize, unit: Unit) -> usize {
        let checkpoint = self.checkpoints(text)[offset / CHECKPOINT_BYTES];
        unit.of(&checkpoint) + unit.count(&text[checkpoint.offset..offset])
    }

    /// The offset `column` units into a line (or its end), scanning from the nearest checkpoint.
    fn offset_in_line(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        column: usize,
        unit: Unit,
    ) -> usize {
        let (mut at, mut remaining) = (range.start, column);
        if range.len() > 2 * CHECKPOINT_BYTES {
            let checkpoints = self.checkpoints(text);
            let target = self
                .units_before(text, range.start, unit)
                .saturating_add(column);
            // The last checkpoint inside the line that is not past the target.
            let last =
                checkpoints.partition_point(|c| c.offset <= range.end && unit.of(c) <= target);
            if let Some(checkpoint) = last.checked_sub(1).map(|i| checkpoints[i])
                && checkpoint.offset > range.start
            {
                at = checkpoint.offset;
                remaining = target - unit.of(&checkpoint);
            }
        }
        for (index, ch) in text[at..range.end].char_indices() {
            if remaining == 0 {
                return at + index;
            }
            // A position inside a surrogate pair moves on past the character.
            remaining = remaining.saturating_sub(unit.width(ch));
        }
        range.end
    }

    fn checkpoints(&self, text: &str) -> &[Checkpoint] {
        self.checkpoints.get_or_init(|| {
            let mut checkpoints = Vec::with_capacity(self.len / CHECKPOINT_BYTES + 1);
            let mut last = Checkpoint {
                offset: 0,
                chars: 0,
                utf16: 0,
            };
            for block in 0..=self.len / CHECKPOINT_BYTES {
                let offset = floor_char_boundary(text, block * CHECKPOINT_BYTES);
                let between = &text[last.offset..offset];
                last = Checkpoint {
                    offset,
                    chars: last.chars + Unit::Chars.count(between),
                    utf16: last.utf16 + Unit::Utf16.count(between),
                };
                checkpoints.push(last);
            }
            checkpoints
        })
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

    /// On lines longer than a checkpoint block, columns and offsets are what counting from the
    /// start of the line gives, in both directions, in characters and in UTF-16 units.
    #[test]
    fn long_lines_give_the_columns_of_a_scan_from_the_line_start() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let alphabet: Vec<char> = "aя𝄞\n ".chars().collect();
        let weights = proptest::sample::select(alphabet);
        let text = proptest::collection::vec((weights, 1usize..2000), 1..60).prop_map(|runs| {
            runs.into_iter()
                .map(|(ch, n)| {
                    // Line breaks alone, so that lines stay long.
                    let n = if ch == '\n' { 1 } else { n };
                    ch.to_string().repeat(n)
                })
                .collect::<String>()
        });
        let mut runner = TestRunner::new(Config {
            cases: 40,
            ..Config::default()
        });
        runner
            .run(
                &(text, proptest::collection::vec(0.0f64..=1.0, 20)),
                |(text, picks)| {
                    let index = LineIndex::new(&text);
                    for pick in picks {
                        let offset =
                            floor_char_boundary(&text, (pick * text.len() as f64) as usize);
                        let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
                        let before = &text[start..offset];
                        let line = text[..start].matches('\n').count();
                        let column = before.chars().count();
                        let utf16: usize = before.chars().map(char::len_utf16).sum();
                        prop_assert_eq!(
                            index.line_column(&text, offset),
                            LineColumn {
                                line: line + 1,
                                column: column + 1
                            }
                        );
                        let position = Utf16Position {
                            line: line as u32,
                            character: utf16 as u32,
                        };
                        prop_assert_eq!(index.utf16_position(&text, offset), position);
                        prop_assert_eq!(index.offset_of_utf16(&text, position), offset);
                        let at = LineColumn {
                            line: line + 1,
                            column: column + 1,
                        };
                        prop_assert_eq!(index.offset_of_line_column(&text, at), offset);
                    }
                    Ok(())
                },
            )
            .unwrap();
    }

    /// Counting each column from the start of its line made the findings of a one-line letter of
    /// 50 MB take minutes to print; each lookup now counts one block at most.
    #[test]
    fn columns_on_a_long_line_take_time_independent_of_the_line() {
        let text = "слово 𝄞 ".repeat(200_000);
        let index = LineIndex::new(&text);
        let started = std::time::Instant::now();
        let mut total = 0usize;
        for offset in (0..text.len()).step_by(text.len() / 20_000) {
            total += index.line_column(&text, offset).column;
            total += index.utf16_position(&text, offset).character as usize;
        }
        let elapsed = started.elapsed();
        assert!(total > 0);
        assert!(
            elapsed < std::time::Duration::from_secs(3),
            "40 000 lookups on a line of {} bytes took {elapsed:?}",
            text.len()
        );
    }

    /// A position inside a surrogate pair and one past the end of a long line.
    #[test]
    fn long_line_positions_inside_a_pair_or_past_the_end_are_clamped() {
        let text = format!(
            "{}𝄞{}\nя",
            "a".repeat(3 * CHECKPOINT_BYTES),
            "b".repeat(5000)
        );
        let index = LineIndex::new(&text);
        let pair = text.find('𝄞').unwrap();
        let inside = Utf16Position {
            line: 0,
            character: 3 * CHECKPOINT_BYTES as u32 + 1,
        };
        assert_eq!(index.offset_of_utf16(&text, inside), pair + '𝄞'.len_utf8());
        let past = Utf16Position {
            line: 0,
            character: u32::MAX,
        };
        assert_eq!(index.offset_of_utf16(&text, past), text.find('\n').unwrap());
        let far = LineColumn {
            line: 1,
            column: usize::MAX,
        };
        assert_eq!(
            index.offset_of_line_column(&text, far),
            text.find('\n').unwrap()
        );
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
