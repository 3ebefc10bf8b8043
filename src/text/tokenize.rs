//! Splits text into tokens: words (by Unicode segmentation, rejoined over hyphens), numbers,
//! punctuation, and the inline things that are not prose — URLs, e-mail addresses, phone numbers.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use crate::morphology::{self, is_letter};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Url,
    Email,
    Phone,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
    /// Inside a quotation of someone else's words — the title of a legal act, the citizen's letter
    /// (after a colon or «Вы пишете») — so not the writer's prose.
    pub in_citation: bool,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// Words and numbers are checked; URLs, e-mails, phones and quoted legal titles are not.
    pub fn is_prose_word(&self) -> bool {
        self.kind == TokenKind::Word && !self.in_citation
    }
}

fn inline_non_prose() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?xi)
            (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
          | (?P<url>(?:https?://|ftp://|www\.)[^\s<>«»"'`]+
              | \b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:ru|рф|su|com|org|net|gov|info|online|io)\b(?:/[^\s<>«»"'`]*)?)
          | (?P<phone>(?:\+7|\b8)[\s\u{A0}-]?\(?\d{3,5}\)?[\s\u{A0}-]?\d{1,3}[\s\u{A0}-]?\d{2}[\s\u{A0}-]?\d{2}\b)
            "#,
        )
        .expect("the inline pattern is valid")
    })
}

/// Trailing punctuation belongs to the sentence, not to the URL: «см. https://x.ru/a.» ends with a period.
fn trim_url_end(text: &str, range: Range<usize>) -> Range<usize> {
    let mut end = range.end;
    let slice = &text[range.start..end];
    let mut trimmed = slice;
    loop {
        let next =
            trimmed.trim_end_matches(['.', ',', ';', ':', '!', '?', '»', '"', '\'', '“', '”']);
        // A closing bracket stays only when the URL opened one.
        let next = if next.ends_with(')') && next.matches('(').count() < next.matches(')').count() {
            &next[..next.len() - 1]
        } else {
            next
        };
        if next.len() == trimmed.len() {
            break;
        }
        trimmed = next;
    }
    end = range.start + trimmed.len();
    range.start..end
}

/// Whether a whitespace-free piece of text may be part of a URL, e-mail or phone match. Every
/// whitespace-separated piece of such a match has one of: «@» (e-mail), «:» (`https://`), a period
/// followed by a letter or digit (`.ru`) or ending `www.` with something after it, or a digit
/// (a phone; the pattern's `\d` is any Unicode digit). A period that ends a word
/// («рассмотрено.», «ответ.»») is none of them.
fn is_key_piece(piece: &str) -> bool {
    let bytes = piece.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'@' | b':' | b'0'..=b'9' => return true,
            b'.' => {
                let Some(next) = piece[i + 1..].chars().next() else {
                    continue;
                };
                if next.is_alphanumeric() || i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www")
                {
                    return true;
                }
            }
            // Lead bytes of U+0400..U+047F: Cyrillic letters, none of them a digit.
            0xD0 | 0xD1 => {}
            0xC0..
                if piece[i..]
                    .chars()
                    .next()
                    .is_some_and(morphology::is_numeric) =>
            {
                return true;
            }
            _ => {}
        }
    }
    false
}

/// The whitespace-free pieces of the text, split as the regex's `\s` splits (Unicode White_Space);
/// ASCII and Cyrillic bytes are decided without decoding.
fn pieces(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let space_at = move |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b < 0x80 {
            return ((b as char).is_whitespace(), 1);
        }
        if b == 0xD0 || b == 0xD1 {
            return (false, 2);
        }
        let ch = text[i..].chars().next().expect("a char boundary");
        (ch.is_whitespace(), ch.len_utf8())
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (space, len) = space_at(i);
            if !space {
                break;
            }
            i += len;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (space, len) = space_at(i);
            if space {
                break;
            }
            i += len;
        }
        Some(start..i)
    })
}

/// Byte ranges of the runs of whitespace-separated pieces that pass `is_key_piece`. No match of
/// `inline_non_prose` lies outside them: a match is made of such pieces and the whitespace between
/// them. Searching only these runs keeps the regex (a slow Unicode-aware engine, because of `\b`)
/// off the plain words that are almost all of a letter.
fn inline_regions(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pieces = pieces(text)
        .map(move |range| {
            let key = is_key_piece(&text[range.clone()]);
            (range, key)
        })
        .peekable();
    std::iter::from_fn(move || {
        let (mut region, _) = pieces.find(|(_, key)| *key)?;
        while let Some((next, true)) = pieces.peek().cloned() {
            region.end = next.end;
            pieces.next();
        }
        Some(region)
    })
}

/// The matches of `inline_non_prose`, exactly as `captures_iter` over the whole text gives them,
/// found by searching the candidate regions only.
fn inline_matches(text: &str) -> impl Iterator<Item = regex::Captures<'_>> + '_ {
    let re = inline_non_prose();
    inline_regions(text).flat_map(move |region| {
        // The haystack ends where the region ends (whitespace or the end follows, so `\b` reads
        // the same), and starts at the text's start, so `\b` sees the character before the region.
        let haystack = &text[..region.end];
        let mut at = region.start;
        std::iter::from_fn(move || {
            let found = re.captures_at(haystack, at)?;
            at = found.get(0).expect("group 0 always matches").end();
            Some(found)
        })
    })
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut position = 0;
    for found in inline_matches(text) {
        let (kind, whole) = if let Some(m) = found.name("email") {
            (TokenKind::Email, m.range())
        } else if let Some(m) = found.name("url") {
            (TokenKind::Url, trim_url_end(text, m.range()))
        } else {
            let m = found.name("phone").expect("one group matched");
            (TokenKind::Phone, m.range())
        };
        if whole.start < position || whole.is_empty() {
            continue;
        }
        split_prose(text, position..whole.start, &mut tokens);
        tokens.push(Token {
            range: whole.clone(),
            kind,
            in_citation: false,
        });
        position = whole.end;
    }
    split_prose(text, position..text.len(), &mut tokens);
    tokens
}

fn is_hyphen(s: &str) -> bool {
    matches!(s, "-" | "\u{2011}")
}

fn split_prose(text: &str, range: Range<usize>, tokens: &mut Vec<Token>) {
    let first_new = tokens.len();
    let slice = &text[range.clone()];
    // Unit by unit: a run of whitespace and the whitespace-free piece after it. Unicode word
    // segmentation always breaks before whitespace, so each unit segments as it would within the
    // whole text. A plain piece (see `plain_piece`) is split directly: its boundaries are known.
    let mut unit_start = 0;
    for piece in pieces(slice) {
        let start = range.start + piece.start;
        if !split_plain_piece(&text[start..range.start + piece.end], start, tokens) {
            segment_words(
                text,
                range.start + unit_start..range.start + piece.end,
                tokens,
            );
        }
        unit_start = piece.end;
    }
    join_compounds(text, tokens, first_new);
}

/// Punctuation that may stand before or after a plain word with no effect on segmentation (none
/// of them joins letters or digits unless it stands between them, which a plain piece excludes).
fn is_plain_punct(c: char) -> bool {
    matches!(
        c,
        ',' | '.' | ';' | ':' | '!' | '?' | '(' | ')' | '«' | '»' | '"' | '“' | '”' | '„'
    )
}

fn is_plain_core(c: char) -> bool {
    matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' | 'a'..='z' | 'A'..='Z' | '0'..='9')
}

/// Splits a piece made of plain punctuation, then letters (Russian or English) and ASCII digits,
/// then plain punctuation — «(в», «ответе»,», «2025» — as Unicode segmentation does: one token
/// for the letters and digits, one per punctuation mark. Returns false for any other piece.
fn split_plain_piece(piece: &str, start: usize, tokens: &mut Vec<Token>) -> bool {
    let core_start = piece
        .char_indices()
        .find(|&(_, c)| !is_plain_punct(c))
        .map_or(piece.len(), |(i, _)| i);
    let core_end = piece[core_start..]
        .char_indices()
        .find(|&(_, c)| !is_plain_core(c))
        .map_or(piece.len(), |(i, _)| core_start + i);
    if !piece[core_end..].chars().all(is_plain_punct) {
        return false;
    }
    let punct = |from: usize, to: usize, tokens: &mut Vec<Token>| {
        for (offset, ch) in piece[from..to].char_indices() {
            let at = start + from + offset;
            tokens.push(Token {
                range: at..at + ch.len_utf8(),
                kind: TokenKind::Punct,
                in_citation: false,
            });
        }
    };
    punct(0, core_start, tokens);
    if core_start < core_end {
        let core = &piece[core_start..core_end];
        let kind = if core.bytes().all(|b| b.is_ascii_digit()) {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        tokens.push(Token {
            range: start + core_start..start + core_end,
            kind,
            in_citation: false,
        });
    }
    punct(core_end, piece.len(), tokens);
    true
}

/// Unicode word segmentation of `range`: words and numbers as tokens, punctuation a token per
/// character, whitespace and control characters dropped.
fn segment_words(text: &str, range: Range<usize>, tokens: &mut Vec<Token>) {
    let slice = &text[range.clone()];
    for (index, piece) in slice.split_word_bound_indices() {
        let start = range.start + index;
        let end = start + piece.len();
        let first = piece.chars().next().expect("segments are never empty");
        if first.is_whitespace() {
            continue;
        }
        if piece.chars().any(|c| {
            is_letter(c) || c.is_ascii_digit() || !c.is_ascii() && morphology::is_numeric(c)
        }) {
            let kind = if piece.chars().any(is_letter) {
                TokenKind::Word
            } else {
                TokenKind::Number
            };
            tokens.push(Token {
                range: start..end,
                kind,
                in_citation: false,
            });
        } else {
            // Punctuation: one token per character, so «?!» and «...» can be read one by one.
            for (offset, ch) in piece.char_indices() {
                if ch.is_whitespace() || ch.is_control() && ch != '\u{0}' {
                    continue;
                }
                tokens.push(Token {
                    range: start + offset..start + offset + ch.len_utf8(),
                    kind: TokenKind::Punct,
                    in_citation: false,
                });
            }
        }
    }
}

/// Rejoins what Unicode segmentation splits but Russian writes as one word: «по-Вашему», «59-ФЗ»,
/// «кто-то», and short slash forms such as «м/р».
fn join_compounds(text: &str, tokens: &mut Vec<Token>, from: usize) {
    let mut write = from;
    let mut read = from;
    while read < tokens.len() {
        let mut current = tokens[read].clone();
        read += 1;
        if matches!(current.kind, TokenKind::Word | TokenKind::Number) {
            while read + 1 < tokens.len() {
                let joint = &tokens[read];
                let next = &tokens[read + 1];
                let joint_text = &text[joint.range.clone()];
                let adjacent =
                    joint.range.start == current.range.end && next.range.start == joint.range.end;
                let joinable = matches!(next.kind, TokenKind::Word | TokenKind::Number);
                let slash_pair = joint_text == "/"
                    && text[current.range.clone()].chars().count() <= 2
                    && text[next.range.clone()].chars().count() <= 2
                    && current.kind == TokenKind::Word
                    && next.kind == TokenKind::Word;
                if adjacent && joinable && (is_hyphen(joint_text) || slash_pair) {
                    current.range.end = next.range.end;
                    if next.kind == TokenKind::Word {
                        current.kind = TokenKind::Word;
                    }
                    read += 2;
                } else {
                    break;
                }
            }
        }
        tokens[write] = current;
        write += 1;
    }
    tokens.truncate(write);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(&str, TokenKind)> {
        tokenize(text)
            .into_iter()
            .map(|t| (&text[t.range], t.kind))
            .collect()
    }

    #[test]
    fn hyphenated_words_and_legal_references_stay_whole() {
        let got = pieces("по-Вашему, № 59-ФЗ и кто-то");
        assert_eq!(got[0], ("по-Вашему", TokenKind::Word));
        assert!(got.contains(&("59-ФЗ", TokenKind::Word)));
        assert!(got.contains(&("кто-то", TokenKind::Word)));
    }

    #[test]
    fn urls_emails_and_phones_are_single_tokens() {
        let text = "Пишите на info@minim.udmr.ru, звоните +7 (3412) 22-33-44 или см. https://pos.gosuslugi.ru/form/?id=5.";
        let got = pieces(text);
        assert!(got.contains(&("info@minim.udmr.ru", TokenKind::Email)));
        assert!(got.contains(&("+7 (3412) 22-33-44", TokenKind::Phone)));
        assert!(got.contains(&("https://pos.gosuslugi.ru/form/?id=5", TokenKind::Url)));
        assert_eq!(got.last().unwrap().0, ".");
    }

    /// The plain-piece shortcut gives exactly the tokens of Unicode segmentation of the whole text.
    #[test]
    fn plain_pieces_split_as_unicode_segmentation_does() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let alphabet: Vec<char> =
            "аяЁёжЖzZ09 .,;:!?()«»\"“”„-'‑/_\n\t\u{a0}\u{301}\u{200d}\u{ad}№…—٣😀"
                .chars()
                .collect();
        let reference = |text: &str| {
            let mut tokens = Vec::new();
            segment_words(text, 0..text.len(), &mut tokens);
            join_compounds(text, &mut tokens, 0);
            tokens
        };
        let mut runner = TestRunner::new(Config {
            cases: 4000,
            ..Config::default()
        });
        let text = proptest::collection::vec(proptest::sample::select(alphabet), 0..40)
            .prop_map(|chars| chars.into_iter().collect::<String>());
        runner
            .run(&text, |text| {
                let mut tokens = Vec::new();
                split_prose(&text, 0..text.len(), &mut tokens);
                prop_assert_eq!(tokens, reference(&text), "{:?}", text);
                Ok(())
            })
            .unwrap();
        let letter = "Уважаемая Анна Сергеевна! «Ответ» (в 2025 году) дан: см. т.к. кто-то 59-ФЗ.";
        let mut tokens = Vec::new();
        split_prose(letter, 0..letter.len(), &mut tokens);
        assert_eq!(tokens, reference(letter));
    }

    /// The region search gives exactly what a search of the whole text gives.
    #[test]
    fn region_search_equals_whole_text_search() {
        let mut texts: Vec<String> = vec![
            "Пишите на info@minim.udmr.ru, звоните +7 (3412) 22-33-44 или см. https://pos.gosuslugi.ru/form/?id=5.".into(),
            "сайтmail.ru и mail.ruвход, тел. 8 912 345 67 89; 8-800-100-20-30 www.x.ru/a?b=1 ftp://h".into(),
            "a.b@c.ru.x;  +7\u{a0}912\u{a0}345\u{a0}67\u{a0}89 (см.gosuslugi.ru)".into(),
            "e-mail:ivanov@mail.ru,тел.:+7(495)123-45-67. Сайт:  admin.udmurt.ru/polls/12".into(),
        ];
        let letters = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/letters");
        for folder in ["good", "bad"] {
            for entry in std::fs::read_dir(format!("{letters}/{folder}")).unwrap() {
                texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default());
            }
        }
        for text in &texts {
            let whole: Vec<_> = inline_non_prose()
                .captures_iter(text)
                .map(|c| c.get(0).unwrap().range())
                .collect();
            let regions: Vec<_> = inline_matches(text)
                .map(|c| c.get(0).unwrap().range())
                .collect();
            assert_eq!(whole, regions, "{text}");
        }
    }

    #[test]
    fn decimals_and_dates_are_numbers() {
        let got = pieces("12,5 кв. м до 01.12.2026");
        assert_eq!(got[0], ("12,5", TokenKind::Number));
        assert!(got.contains(&("01.12.2026", TokenKind::Number)));
    }
}
