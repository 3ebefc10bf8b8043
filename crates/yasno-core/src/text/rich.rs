//! A format-neutral description of rich text: where each paragraph of the extracted plain text came
//! from in the original document, and which stretches of it carried visible formatting. Readers of
//! rich formats (`input::docx`) fill it; the `formatting` analyzer and the output formats read it.
//! All ranges are byte ranges into the document's extracted text.

use std::ops::Range;
use std::sync::Arc;

/// The part of a document a paragraph belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    Body,
    Header,
    Footer,
    Footnote,
    Endnote,
    /// A text box (Word's «Надпись») drawn over the page.
    TextBox,
}

impl Part {
    pub fn name(self) -> &'static str {
        match self {
            Part::Body => "body",
            Part::Header => "header",
            Part::Footer => "footer",
            Part::Footnote => "footnote",
            Part::Endnote => "endnote",
            Part::TextBox => "text-box",
        }
    }

    /// How a person calls it (for the human output).
    pub fn russian(self) -> &'static str {
        match self {
            Part::Body => "текст",
            Part::Header => "верхний колонтитул",
            Part::Footer => "нижний колонтитул",
            Part::Footnote => "сноска",
            Part::Endnote => "концевая сноска",
            Part::TextBox => "надпись",
        }
    }
}

/// A table cell, counted from 1 as a person counts: the table's number within its part, then the
/// row and the cell within the row. Nested tables are numbered in the same sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellLocation {
    pub table: usize,
    pub row: usize,
    pub cell: usize,
}

/// Where one paragraph of the extracted text came from.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockLocation {
    /// The paragraph's bytes in the extracted text (without the joining "\n").
    pub range: Range<usize>,
    pub part: Part,
    /// 1-based number of the paragraph within its part, in document order, table paragraphs included.
    pub paragraph: usize,
    pub cell: Option<CellLocation>,
    /// The note's number for footnotes and endnotes.
    pub note: Option<usize>,
}

/// Visible formatting of a stretch of text. Only what the rules need.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextStyle {
    pub italic: bool,
    /// Underlined (any line style but "none").
    pub underline: bool,
    /// Shown in capitals by formatting (Word's «Все прописные»), whatever letters were typed.
    pub all_caps: bool,
    /// The font the text is shown in, when the document names it.
    pub font: Option<Arc<str>>,
    /// Highlighter colour or background fill (not white, not automatic).
    pub background: Option<Arc<str>>,
    /// Target of the hyperlink the text belongs to (URL, `mailto:`, or `#bookmark`).
    pub hyperlink: Option<Arc<str>>,
    /// Inserted as a Word symbol (`w:sym`) from a symbol font such as Wingdings.
    pub symbol: bool,
}

/// A stretch of text with one style. Stretches do not overlap and are in text order.
#[derive(Clone, Debug, PartialEq)]
pub struct StyledSpan {
    pub range: Range<usize>,
    pub style: TextStyle,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RichText {
    /// In text order.
    pub blocks: Vec<BlockLocation>,
    /// In text order; text without a span has the default style.
    pub styles: Vec<StyledSpan>,
}

impl RichText {
    /// The paragraph that holds `offset` (the one just before it when it falls on a joining "\n").
    pub fn block_at(&self, offset: usize) -> Option<&BlockLocation> {
        let i = self.blocks.partition_point(|b| b.range.start <= offset);
        let block = self.blocks.get(i.checked_sub(1)?)?;
        (offset <= block.range.end).then_some(block)
    }

    /// Ends of all paragraphs: where the text model must end a paragraph.
    pub fn breaks(&self) -> Vec<usize> {
        self.blocks.iter().map(|b| b.range.end).collect()
    }

    /// Hyperlink targets with the text they are shown as (merged over adjacent runs).
    pub fn hyperlinks(&self) -> Vec<(Range<usize>, Arc<str>)> {
        let mut out: Vec<(Range<usize>, Arc<str>)> = Vec::new();
        for span in &self.styles {
            let Some(target) = &span.style.hyperlink else {
                continue;
            };
            if let Some(last) = out.last_mut()
                && last.0.end == span.range.start
                && last.1 == *target
            {
                last.0.end = span.range.end;
                continue;
            }
            out.push((span.range.clone(), target.clone()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(range: Range<usize>, paragraph: usize) -> BlockLocation {
        BlockLocation {
            range,
            part: Part::Body,
            paragraph,
            cell: None,
            note: None,
        }
    }

    #[test]
    fn offsets_find_their_paragraph() {
        let rich = RichText {
            blocks: vec![block(0..5, 1), block(6..6, 2), block(7..12, 3)],
            styles: Vec::new(),
        };
        assert_eq!(rich.block_at(0).unwrap().paragraph, 1);
        assert_eq!(rich.block_at(5).unwrap().paragraph, 1);
        assert_eq!(rich.block_at(6).unwrap().paragraph, 2);
        assert_eq!(rich.block_at(11).unwrap().paragraph, 3);
        assert!(rich.block_at(13).is_none());
        assert_eq!(rich.breaks(), vec![5, 6, 12]);
    }
}
