//! Paragraphs and sentences. A blank line ends a paragraph; a single line break inside a sentence
//! does not end it; abbreviations («т. е.», «ст. 11», «г.»), initials («И. П. Петров») and decimals
//! do not end a sentence either.

use crate::morphology;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Deserialize;

use super::tokenize::{Token, TokenKind};

#[derive(Deserialize)]
struct SegmentationData {
    never_end: Vec<String>,
    may_end: Vec<String>,
    legal_act_stems: Vec<String>,
    reported_speech_stems: Vec<String>,
}

pub(crate) struct SegmentationRules {
    never_end: HashSet<String>,
    may_end: HashSet<String>,
    /// The most characters of a word in `never_end` or `may_end`: a longer word is in neither.
    longest_abbreviation: usize,
    pub(crate) legal_act_stems: Vec<String>,
    pub(crate) reported_speech_stems: Vec<String>,
}

pub(crate) fn segmentation_rules() -> &'static SegmentationRules {
    static RULES: OnceLock<SegmentationRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let data: SegmentationData =
            toml::from_str(include_str!("../../../../dictionaries/segmentation.toml"))
                .expect("dictionaries/segmentation.toml is valid (checked by tests)");
        let longest_abbreviation = (data.never_end.iter())
            .chain(&data.may_end)
            .map(|word| word.chars().count())
            .max()
            .unwrap_or(0);
        SegmentationRules {
            longest_abbreviation,
            never_end: data.never_end.into_iter().collect(),
            may_end: data.may_end.into_iter().collect(),
            legal_act_stems: data.legal_act_stems,
            reported_speech_stems: data.reported_speech_stems,
        }
    })
}

/// Byte ranges of paragraphs: text between blank lines (and forced breaks), trimmed of whitespace.
pub fn paragraphs(text: &str, forced_breaks: &[usize]) -> Vec<Range<usize>> {
    // Cuts are ranges that belong to no paragraph: blank lines, and empty ranges at forced breaks.
    let mut cuts: Vec<Range<usize>> = forced_breaks
        .iter()
        .map(|&b| {
            let b = super::position::floor_char_boundary(text, b.min(text.len()));
            b..b
        })
        .collect();
    let mut line_start = 0;
    let line_ends = super::position::line_breaks(text).chain(std::iter::once(text.len()));
    for line_end in line_ends {
        if text[line_start..line_end].trim_start().is_empty() {
            cuts.push(line_start..line_end);
        }
        line_start = line_end + 1;
    }
    cuts.sort_by_key(|c| (c.start, c.end));
    let mut result = Vec::new();
    let mut start = 0;
    for cut in cuts
        .into_iter()
        .chain(std::iter::once(text.len()..text.len()))
    {
        if cut.start >= start {
            let slice = &text[start..cut.start];
            let trimmed = slice.trim();
            if !trimmed.is_empty() {
                let s = start + (slice.len() - slice.trim_start().len());
                result.push(s..s + trimmed.len());
            }
        }
        start = start.max(cut.end);
    }
    result
}

fn is_terminal(ch: char) -> bool {
    matches!(ch, '.' | '!' | '?' | '…')
}

fn is_closing(ch: char) -> bool {
    matches!(ch, '»' | '"' | '”' | '\'' | ')' | ']')
}

fn first_char(text: &str, token: &Token) -> char {
    match text.as_bytes().get(token.start()) {
        Some(&byte) if byte.is_ascii() && !token.range().is_empty() => char::from(byte),
        _ => text[token.range()].chars().next().unwrap_or(' '),
    }
}

/// True when a line break and a list marker or heading mark stand between the two offsets.
fn list_item_starts(text: &str, previous_end: usize, next: &Token) -> bool {
    // The marker first: it is rarer than a line break. Only these first bytes may start one: an
    // ASCII marker, or the lead byte of «–», «—», «•» (0xE2) and «·» (0xC2).
    let may_be_marker = matches!(
        text.as_bytes().get(next.start()),
        Some(b'-' | b'*' | b'#' | 0xC2 | 0xE2)
    );
    may_be_marker
        && matches!(
            first_char(text, next),
            '-' | '–' | '—' | '•' | '*' | '·' | '#'
        )
        && text.as_bytes()[previous_end..next.start()]
            .iter()
            .any(|&b| b == b'\n' || b == b'\r')
}

/// Splits the tokens of one paragraph into sentences; returns ranges of token indices.
pub fn sentences(text: &str, tokens: &[Token], token_range: Range<usize>) -> Vec<Range<usize>> {
    let rules = segmentation_rules();
    let mut result = Vec::new();
    let mut start = token_range.start;
    let mut i = token_range.start;
    let end = token_range.end;
    while i < end {
        let token = &tokens[i];
        // A line that starts a list item starts a sentence.
        if i > start && list_item_starts(text, tokens[i - 1].end(), token) {
            result.push(start..i);
            start = i;
        }
        if token.kind != TokenKind::Punct || !is_terminal(first_char(text, token)) {
            i += 1;
            continue;
        }
        // The run of terminal punctuation and closing quotes: «?!», «...», «.»».
        let mut run_end = i + 1;
        while run_end < end
            && tokens[run_end].kind == TokenKind::Punct
            && tokens[run_end].start() == tokens[run_end - 1].end()
            && {
                let c = first_char(text, &tokens[run_end]);
                is_terminal(c) || is_closing(c)
            }
        {
            run_end += 1;
        }
        let next = tokens.get(run_end).filter(|_| run_end < end);
        let ends = match next {
            None => true,
            Some(next) => ends_sentence(text, tokens, i, run_end, next, rules),
        };
        if ends {
            result.push(start..run_end);
            start = run_end;
        }
        i = run_end;
    }
    if start < end {
        result.push(start..end);
    }
    result
}

fn ends_sentence(
    text: &str,
    tokens: &[Token],
    terminal: usize,
    run_end: usize,
    next: &Token,
    rules: &SegmentationRules,
) -> bool {
    let next_char = first_char(text, next);
    if morphology::is_lower(next_char) || matches!(next_char, ',' | ';' | ':' | ')' | '.') {
        return false;
    }
    let opens_sentence = morphology::is_upper(next_char)
        || next_char.is_ascii_digit()
        || matches!(
            next_char,
            '«' | '"' | '„' | '“' | '—' | '–' | '-' | '(' | '•' | '*'
        )
        || next.kind != TokenKind::Word
            && next.kind != TokenKind::Punct
            && next.kind != TokenKind::Number;
    if !opens_sentence {
        return false;
    }
    let single_period = run_end == terminal + 1 && first_char(text, &tokens[terminal]) == '.';
    if !single_period || terminal == 0 {
        return true;
    }
    let previous = &tokens[terminal - 1];
    if previous.end() != tokens[terminal].start() {
        return true;
    }
    let word = &text[previous.range()];
    if previous.kind == TokenKind::Punct {
        // «№.» does not occur; other punctuation before a period is an ordinary end.
        return word != "№";
    }
    if previous.kind != TokenKind::Word {
        return true;
    }
    let mut letters = word.chars();
    // An initial: «И. П. Петров».
    if let (Some(letter), None) = (letters.next(), letters.next())
        && morphology::is_upper(letter)
    {
        return false;
    }
    // Dotted abbreviations written without spaces: «т.е.», «И.И.».
    if word.contains('.') {
        return false;
    }
    // Lower case has at least as many characters, so a longer word is no abbreviation.
    if word.chars().count() > rules.longest_abbreviation {
        return true;
    }
    let lower = word.to_lowercase();
    if rules.never_end.contains(&lower) {
        return false;
    }
    if rules.may_end.contains(&lower) {
        return morphology::is_upper(next_char) || matches!(next_char, '«' | '"' | '—' | '–');
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize::tokenize;

    fn split(text: &str) -> Vec<String> {
        let tokens = tokenize(text);
        sentences(text, &tokens, 0..tokens.len())
            .into_iter()
            .map(|r| text[tokens[r.start].start()..tokens[r.end - 1].end()].to_string())
            .collect()
    }

    #[test]
    fn abbreviations_initials_and_numbers_do_not_end_sentences() {
        let text = "Согласно ст. 11 Федерального закона № 59-ФЗ ответ дан, т. е. срок соблюдён. \
                    Инспектор И. П. Петров измерил 12,5 кв. м площади до 1 декабря 2026 г. Мы ответим.";
        assert_eq!(
            split(text),
            vec![
                "Согласно ст. 11 Федерального закона № 59-ФЗ ответ дан, т. е. срок соблюдён.",
                "Инспектор И. П. Петров измерил 12,5 кв. м площади до 1 декабря 2026 г.",
                "Мы ответим.",
            ]
        );
    }

    #[test]
    fn a_line_break_inside_a_sentence_does_not_end_it() {
        let text =
            "Ваше обращение\nрассмотрено. Сайт https://x.ru/a.b и почта a.b@c.ru\nуказаны! Да?";
        assert_eq!(
            split(text),
            vec![
                "Ваше обращение\nрассмотрено.",
                "Сайт https://x.ru/a.b и почта a.b@c.ru\nуказаны!",
                "Да?"
            ]
        );
    }

    #[test]
    fn list_items_start_sentences() {
        let text = "Приложите:\n- паспорт\n- справку";
        assert_eq!(split(text), vec!["Приложите:", "- паспорт", "- справку"]);
    }

    #[test]
    fn blank_lines_and_forced_breaks_split_paragraphs() {
        let text = "Первый абзац.\n\n  \nВторой\nабзац.\r\n\r\nТретий";
        let got: Vec<&str> = paragraphs(text, &[])
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, vec!["Первый абзац.", "Второй\nабзац.", "Третий"]);
        let text = "Заголовок\nТекст";
        let got: Vec<&str> = paragraphs(text, &["Заголовок".len()])
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, vec!["Заголовок", "Текст"]);
    }
}
