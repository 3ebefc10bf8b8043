//! The text model: paragraphs, sentences and tokens with byte offsets, and position conversions.
//! Every later stage works on a `Document` and never re-splits the text.

pub mod evasion;
mod position;
pub mod rich;
mod sentences;
mod tokenize;

use std::ops::Range;
use std::sync::Arc;

pub use position::{LineColumn, LineIndex, Utf16Position, floor_char_boundary};
pub use rich::RichText;
pub use tokenize::{Token, TokenKind};

#[derive(Clone, Debug)]
pub struct Sentence {
    /// Byte range from the first token to the last (terminal punctuation included).
    pub range: Range<usize>,
    /// Indices into `Document::tokens`.
    pub tokens: Range<usize>,
    pub paragraph: usize,
}

#[derive(Clone, Debug)]
pub struct Paragraph {
    pub range: Range<usize>,
    /// Indices into `Document::sentences`.
    pub sentences: Range<usize>,
}

#[derive(Clone, Debug)]
pub struct Document {
    text: String,
    pub lines: LineIndex,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub paragraphs: Vec<Paragraph>,
    /// Where the text came from and how it looked, for documents read from a rich format (.docx).
    pub rich: Option<Arc<RichText>>,
    /// The encoding the text was decoded from, when it was not UTF-8 (`windows-1251`, `UTF-16LE`).
    pub encoding: Option<&'static str>,
    /// Byte ranges of markup masked out of the analysis (Markdown syntax, link targets, front
    /// matter), in order: a fix whose span reaches into one would destroy it.
    pub markup: Vec<Range<usize>>,
    /// What the text is (`letter_kind::detect`), worked out by the first check of the document.
    pub(crate) letter_kind: std::sync::OnceLock<crate::finding::LetterKind>,
    /// Words hidden by invisible characters, look-alikes or a line break, and their clean forms;
    /// None for the texts (almost all) that have none.
    evasions: Option<Box<evasion::Evasions>>,
}

impl Document {
    pub fn new(text: impl Into<String>) -> Self {
        Self::with_breaks(text, &[])
    }

    /// `analysis_text` may differ from `text` only by markup replaced with spaces of the same byte
    /// length (see `input::markdown`), so that offsets stay valid for the original.
    /// `forced_breaks` are offsets where a paragraph must end (ends of Markdown headings, list items).
    pub fn with_breaks(text: impl Into<String>, forced_breaks: &[usize]) -> Self {
        let text = text.into();
        Self::build(text, None, forced_breaks)
    }

    pub fn with_mask(text: String, analysis_text: &str, forced_breaks: &[usize]) -> Self {
        assert_eq!(text.len(), analysis_text.len(), "a mask keeps byte offsets");
        let markup = differing_ranges(text.as_bytes(), analysis_text.as_bytes());
        let mut doc = Self::build(text, Some(analysis_text), forced_breaks);
        doc.markup = markup;
        doc
    }

    /// Whether `range` holds a byte of markup: replacing it would break the markup.
    pub fn crosses_markup(&self, range: &Range<usize>) -> bool {
        let first_after_start = self.markup.partition_point(|m| m.end <= range.start);
        self.markup
            .get(first_after_start)
            .is_some_and(|m| m.start < range.end)
    }

    /// Text extracted from a rich document: each of its paragraphs ends a paragraph here too.
    pub fn with_rich(text: String, rich: RichText) -> Self {
        let mut doc = Self::build(text, None, &rich.breaks());
        doc.rich = Some(Arc::new(rich));
        doc
    }

    fn build(text: String, analysis_text: Option<&str>, forced_breaks: &[usize]) -> Self {
        let source = analysis_text.unwrap_or(&text);
        let (mut tokens, may_hide) = tokenize::tokenize_noting_evasions(source);
        let evasions = may_hide
            .then(|| Box::new(evasion::normalize(source, &mut tokens, forced_breaks)))
            .filter(|found| found.found_any());
        mark_citations(source, &mut tokens, evasions.as_deref());
        let mut sentences = Vec::new();
        let mut paragraphs = Vec::new();
        let mut token_index = 0;
        for range in sentences::paragraphs(source, forced_breaks) {
            while token_index < tokens.len() && tokens[token_index].start() < range.start {
                token_index += 1;
            }
            let first = token_index;
            while token_index < tokens.len() && tokens[token_index].end() <= range.end {
                token_index += 1;
            }
            if first == token_index {
                continue;
            }
            let paragraph = paragraphs.len();
            let first_sentence = sentences.len();
            for token_range in sentences::sentences(source, &tokens, first..token_index) {
                sentences.push(Sentence {
                    range: tokens[token_range.start].start()..tokens[token_range.end - 1].end(),
                    tokens: token_range,
                    paragraph,
                });
            }
            paragraphs.push(Paragraph {
                range: tokens[first].start()..tokens[token_index - 1].end(),
                sentences: first_sentence..sentences.len(),
            });
        }
        Document {
            lines: LineIndex::new(&text),
            text,
            tokens,
            sentences,
            paragraphs,
            rich: None,
            encoding: None,
            markup: Vec::new(),
            letter_kind: std::sync::OnceLock::new(),
            evasions,
        }
    }

    /// The kind of text detected when the document was checked; None before a check.
    pub fn letter_kind(&self) -> Option<crate::finding::LetterKind> {
        self.letter_kind.get().copied()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn slice(&self, range: Range<usize>) -> &str {
        &self.text[range]
    }

    /// A token's text as written: `slice(token.range())`. Offsets within it are offsets into
    /// the text.
    pub fn token_text(&self, index: usize) -> &str {
        &self.text[self.tokens[index].range()]
    }

    /// A word as the rules read it: a word hidden by invisible characters, look-alike letters or
    /// a line break («кон\u{200B}троль», «кон-\nтроль») in its clean form («контроль»), any other
    /// token as written. Not for offsets: the clean form may be shorter than the token.
    pub fn word_text(&self, index: usize) -> &str {
        let token = &self.tokens[index];
        if token.has_clean_form()
            && let Some(clean) = self.evasions.as_ref().and_then(|e| e.clean_form(index))
        {
            return clean;
        }
        &self.text[token.range()]
    }

    /// The hidden words and stray invisible characters of the text, if it has any.
    pub fn evasions(&self) -> Option<&evasion::Evasions> {
        self.evasions.as_deref()
    }

    pub fn line_column(&self, offset: usize) -> LineColumn {
        self.lines.line_column(&self.text, offset)
    }

    pub fn utf16_position(&self, offset: usize) -> Utf16Position {
        self.lines.utf16_position(&self.text, offset)
    }

    /// Indices of the prose words of a sentence: URLs, numbers, punctuation and quoted legal titles left out.
    pub fn sentence_words(&self, sentence: &Sentence) -> impl Iterator<Item = usize> + '_ {
        sentence
            .tokens
            .clone()
            .filter(|&index| self.tokens[index].is_prose_word())
    }

    /// Number of words (and numbers) in a sentence, as a reader counts them.
    pub fn word_count(&self, sentence: &Sentence) -> usize {
        self.tokens[sentence.tokens.clone()]
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
            .count()
    }
}

fn is_opening_quote(s: &str) -> bool {
    matches!(s, "«" | "„" | "“" | "\"")
}

fn is_closing_quote(s: &str) -> bool {
    matches!(s, "»" | "“" | "”" | "\"")
}

/// The longest quoted legal title, in tokens (the longest act titles run to some sixty words).
const MAX_TITLE_TOKENS: usize = 400;

/// The runs of bytes where `a` and `b` differ.
fn differing_ranges(a: &[u8], b: &[u8]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (i, _) in a.iter().zip(b).enumerate().filter(|(_, (x, y))| x != y) {
        match ranges.last_mut() {
            Some(last) if last.end == i => last.end = i + 1,
            _ => ranges.push(i..i + 1),
        }
    }
    ranges
}

/// Marks the words of a quoted legal title or of quoted reported speech: «… Федерального закона № 59-ФЗ «О порядке рассмотрения
/// обращений граждан …»». A quotation is a title when a legal-act word or «№» stands up to four
/// words before it. Nested quotes «…«…»…» are followed.
fn mark_citations(text: &str, tokens: &mut [Token], evasions: Option<&evasion::Evasions>) {
    // A hidden word («За\u{200B}кона») is read in its clean form.
    let word_at = |tokens: &[Token], t: usize| {
        let clean = evasions
            .filter(|_| tokens[t].has_clean_form())
            .and_then(|e| e.clean_form(t));
        clean.unwrap_or(&text[tokens[t].range()]).to_lowercase()
    };
    let stems = &sentences::segmentation_rules().legal_act_stems;
    let speech_stems = &sentences::segmentation_rules().reported_speech_stems;
    let mut i = 0;
    while i < tokens.len() {
        let opening = &text[tokens[i].range()];
        if tokens[i].kind != TokenKind::Punct || !is_opening_quote(opening) {
            i += 1;
            continue;
        }
        let window_start = i.saturating_sub(6);
        let after_legal_word = (window_start..i).any(|t| {
            let word = word_at(tokens, t);
            stems.iter().any(|stem| word.starts_with(stem.as_str()))
        });
        // Reported speech: «Вы пишете: «…»», «в обращении указано «…»».
        let after_colon = i > 0 && &text[tokens[i - 1].range()] == ":";
        let after_reporting_word = (i.saturating_sub(4)..i).any(|t| {
            tokens[t].kind == TokenKind::Word && {
                let word = word_at(tokens, t);
                speech_stems
                    .iter()
                    .any(|stem| word.starts_with(stem.as_str()))
            }
        });
        let after_legal_word = after_legal_word || after_colon || after_reporting_word;
        // Only a title's quotation is marked; the search for its end is bounded, so that a text of
        // unclosed quotes is not scanned to its end once per quote (quadratic).
        if !after_legal_word {
            i += 1;
            continue;
        }
        // Find the matching closing quote, allowing nesting of «».
        let mut depth = 0usize;
        let mut close = None;
        for (j, token) in tokens.iter().enumerate().skip(i).take(MAX_TITLE_TOKENS) {
            let s = &text[token.range()];
            if token.kind != TokenKind::Punct {
                continue;
            }
            if s == "«" || s == "„" {
                depth += 1;
            } else if s == "»" || (s == "“" && opening == "„") {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            } else if (s == "\"" && opening == "\"" && j > i) || (s == "”" && opening == "“") {
                close = Some(j);
                break;
            }
            // A quotation does not run across a paragraph.
            if j > i && text[tokens[j - 1].end()..token.start()].contains("\n\n") {
                break;
            }
        }
        let Some(close) = close else {
            i += 1;
            continue;
        };
        for token in &mut tokens[i + 1..close] {
            token.in_citation = true;
        }
        debug_assert!(is_closing_quote(&text[tokens[close].range()]));
        i = close + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_legal_titles_are_not_prose() {
        let doc = Document::new(
            "Согласно Федеральному закону № 59-ФЗ «О порядке рассмотрения обращений граждан» мы ответили «в целях» ясности.",
        );
        let words: Vec<&str> = doc
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| t.is_prose_word())
            .map(|(i, _)| doc.token_text(i))
            .collect();
        assert!(!words.contains(&"порядке"));
        assert!(
            words.contains(&"целях"),
            "an ordinary quotation stays prose"
        );
    }

    #[test]
    fn a_hidden_legal_word_still_marks_its_title() {
        let doc = Document::new(
            "Согласно При\u{200B}казу «О порядке рассмотрения обращений» мы ответили.",
        );
        let prose: Vec<&str> = (0..doc.tokens.len())
            .filter(|&i| doc.tokens[i].is_prose_word())
            .map(|i| doc.token_text(i))
            .collect();
        assert!(!prose.contains(&"порядке"), "{prose:?}");
    }

    #[test]
    fn sentences_know_their_paragraph() {
        let doc = Document::new("Раз. Два.\n\nТри.");
        assert_eq!(doc.sentences.len(), 3);
        assert_eq!(doc.sentences[2].paragraph, 1);
        assert_eq!(doc.paragraphs[0].sentences, 0..2);
        assert_eq!(doc.slice(doc.sentences[1].range.clone()), "Два.");
    }

    #[test]
    fn empty_and_blank_texts_have_no_sentences() {
        assert!(Document::new("").sentences.is_empty());
        assert!(Document::new(" \n\t\n").sentences.is_empty());
    }
}
