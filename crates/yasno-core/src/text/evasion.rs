//! Characters that hide a word from the rules without changing how it looks: zero-width and
//! bidi control characters, soft hyphens, combining marks (stress marks), Greek and Armenian
//! letters that look like Cyrillic ones, and a word hyphenated across a line break
//! («кон-\nтроль»). The tokenizer marks text that may hold them (`may_hide`, a check of the rare
//! pieces only); for such text `normalize` makes each hidden word one token again and gives it a
//! clean form that the rules read (`Document::word_text`), while the token's range still covers
//! the original bytes, so a finding covers the whole word as written.

use std::ops::Range;

use crate::morphology;

use super::tokenize::{Token, TokenKind};

/// Format characters that show nothing: zero-width space, joiners and marks (U+200B–U+200F),
/// bidi embeddings and isolates, word joiner and invisible operators, the byte order mark inside
/// a text, the Mongolian vowel separator and the soft hyphen.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Bidi embeddings, overrides and isolates: they reorder what a reader sees.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Combining marks: a stress mark «́» over a vowel, and the other diacritics of these blocks.
pub fn is_combining_mark(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Greek (with its extended block) and Armenian letters.
pub fn is_greek_or_armenian(c: char) -> bool {
    matches!(c, '\u{370}'..='\u{3FF}' | '\u{1F00}'..='\u{1FFF}' | '\u{530}'..='\u{58F}')
}

/// The Cyrillic letter that a Greek or Armenian letter cannot be told from in print.
pub fn cyrillic_twin(c: char) -> Option<char> {
    Some(match c {
        // Greek
        'α' => 'а',
        'ε' => 'е',
        'κ' => 'к',
        'ο' => 'о',
        'ρ' => 'р',
        'τ' => 'т',
        'χ' => 'х',
        'ϲ' => 'с',
        'γ' => 'у',
        'π' => 'п',
        'Α' => 'А',
        'Β' => 'В',
        'Γ' => 'Г',
        'Ε' => 'Е',
        'Η' => 'Н',
        'Κ' => 'К',
        'Μ' => 'М',
        'Ο' => 'О',
        'Π' => 'П',
        'Ρ' => 'Р',
        'Τ' => 'Т',
        'Υ' => 'У',
        'Φ' => 'Ф',
        'Χ' => 'Х',
        'Ϲ' => 'С',
        // Armenian
        'օ' => 'о',
        'Օ' => 'О',
        'ս' => 'и',
        'ո' => 'п',
        'ց' => 'у',
        'հ' => 'һ',
        'Ս' => 'С',
        _ => return None,
    })
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{52F}')
}

/// Whether a piece of text that the tokenizer did not read as plain (see `tokenize`) may hold a
/// hidden word: a character above, or a hyphen (or soft hyphen) before a line break. `after` is
/// the text after the piece.
pub fn may_hide(piece: &str, after: &str) -> bool {
    let hyphenated = (piece.ends_with(['-', '\u{2010}', '\u{AD}'])) && {
        let rest = after.trim_start_matches([' ', '\t']);
        rest.starts_with('\n') || rest.starts_with("\r\n")
    };
    hyphenated
        || piece.bytes().any(|b| b >= 0xC2 && b & 0xFE != 0xD0)
            && piece
                .chars()
                .any(|c| is_invisible(c) || is_combining_mark(c) || is_greek_or_armenian(c))
}

/// What `normalize` found: the clean forms of hidden words, and invisible characters that stand
/// outside any word.
#[derive(Clone, Debug, Default)]
pub struct Evasions {
    /// (token index, clean form), by token index.
    clean: Vec<(u32, Box<str>)>,
    /// Invisible characters outside words (a zero-width space between words, a bidi control
    /// anywhere), each run of them one range. Zero-width joiners are left out: emoji use them.
    pub stray: Vec<Range<usize>>,
}

impl Evasions {
    /// Whether any hidden word or stray invisible character was found.
    pub fn found_any(&self) -> bool {
        !self.clean.is_empty() || !self.stray.is_empty()
    }

    pub fn clean_form(&self, token: usize) -> Option<&str> {
        let token = u32::try_from(token).ok()?;
        let at = self.clean.binary_search_by_key(&token, |(t, _)| *t).ok()?;
        Some(&self.clean[at].1)
    }
}

/// Makes each hidden word one token with a clean form, and drops the tokens that are only
/// invisible characters. `forced_breaks` are paragraph ends that a hyphenated word never crosses.
pub fn normalize(text: &str, tokens: &mut Vec<Token>, forced_breaks: &[usize]) -> Evasions {
    let mut breaks = forced_breaks.to_vec();
    breaks.sort_unstable();
    let crosses_break = |range: Range<usize>| {
        let first = breaks.partition_point(|&b| b < range.start);
        breaks.get(first).is_some_and(|&b| b <= range.end)
    };
    let invisible_only =
        |range: Range<usize>| !range.is_empty() && text[range].chars().all(is_invisible);
    let mut joined: Vec<Token> = Vec::with_capacity(tokens.len());
    // Hyphen offsets of the words joined over a line break, by the word's start.
    let mut hyphens: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        if token.kind == TokenKind::Punct && invisible_only(token.range()) {
            i += 1;
            continue;
        }
        let word_like = |t: &Token| matches!(t.kind, TokenKind::Word | TokenKind::Number);
        if let Some(last) = joined.last_mut()
            && word_like(last)
            && word_like(token)
            && invisible_only(last.end()..token.start())
        {
            let kind = if token.kind == TokenKind::Word || last.kind == TokenKind::Word {
                TokenKind::Word
            } else {
                TokenKind::Number
            };
            *last = Token::new(last.start()..token.end(), kind);
            i += 1;
            continue;
        }
        // «кон-» «\n» «троль», or «кон\u{AD}» «\n» «троль».
        if token.kind == TokenKind::Word
            && let Some((hyphen, next)) = hyphenated_continuation(text, tokens, i)
            && !crosses_break(token.end()..tokens[next].start())
        {
            hyphens.push((token.start(), hyphen));
            joined.push(Token::new(
                token.start()..tokens[next].end(),
                TokenKind::Word,
            ));
            i = next + 1;
            continue;
        }
        joined.push(token.clone());
        i += 1;
    }
    *tokens = joined;
    let mut evasions = Evasions::default();
    let mut hyphens = hyphens.into_iter().peekable();
    for (index, token) in tokens.iter_mut().enumerate() {
        if token.kind != TokenKind::Word {
            continue;
        }
        let written = &text[token.range()];
        let hyphen = hyphens
            .next_if(|&(start, _)| start == token.start())
            .map(|(_, h)| h);
        let clean = match hyphen {
            Some(hyphen) => join_hyphenated(
                &clean_form(&text[token.start()..hyphen]),
                &clean_form(
                    text[hyphen..token.end()].trim_start_matches(['-', '\u{2010}', '\u{AD}']),
                ),
            ),
            None if needs_cleaning(written) => clean_form(written),
            None => continue,
        };
        token.set_clean_form();
        evasions.clean.push((index as u32, clean.into_boxed_str()));
    }
    evasions.stray = stray_invisibles(text, tokens);
    evasions
}

/// For the word token `i`, a hyphen (or soft hyphen) right after it or at its end, a line break
/// with spaces around it, and a word: the hyphen's offset and the word's index.
fn hyphenated_continuation(text: &str, tokens: &[Token], i: usize) -> Option<(usize, usize)> {
    let word = &tokens[i];
    let (hyphen, next) = match tokens.get(i + 1) {
        Some(mark)
            if mark.kind == TokenKind::Punct
                && mark.start() == word.end()
                && matches!(&text[mark.range()], "-" | "\u{2010}") =>
        {
            (mark.start(), i + 2)
        }
        _ if text[word.range()].ends_with('\u{AD}') => (word.end() - '\u{AD}'.len_utf8(), i + 1),
        _ => return None,
    };
    let continuation = tokens.get(next)?;
    let previous_end = if next == i + 2 {
        tokens[i + 1].end()
    } else {
        word.end()
    };
    let gap = &text[previous_end..continuation.start()];
    let gap = gap.trim_matches([' ', '\t']);
    let one_break = gap == "\n" || gap == "\r\n";
    let letters_meet = text[..hyphen]
        .chars()
        .next_back()
        .is_some_and(char::is_alphabetic)
        && text[continuation.range()]
            .chars()
            .next()
            .is_some_and(char::is_alphabetic);
    (one_break && letters_meet && continuation.kind == TokenKind::Word).then_some((hyphen, next))
}

/// «кон» + «троль» is «контроль»; «из» + «за» is «из-за», «северо» + «западный» is
/// «северо-западный»: the hyphen stays when the dictionary knows the word only with it.
fn join_hyphenated(first: &str, second: &str) -> String {
    let solid = format!("{first}{second}");
    let dictionary = morphology::dictionary();
    if dictionary.is_known(&solid) {
        return solid;
    }
    let hyphenated = format!("{first}-{second}");
    // Neither known: a capital at the hyphen is a name or an acronym («Иванов-Петров»,
    // «ЖКУ-платежи»), and two known words are a compound; a line-end hyphen splits a word into
    // stumps.
    let capital = first.chars().next_back().is_some_and(char::is_uppercase)
        || second.chars().next().is_some_and(char::is_uppercase);
    let two_words = dictionary.is_known(first) && dictionary.is_known(second);
    if dictionary.is_known(&hyphenated) || capital || two_words {
        hyphenated
    } else {
        solid
    }
}

fn needs_cleaning(word: &str) -> bool {
    // Most words are Russian or English letters only: their bytes say so without decoding.
    word.bytes().any(|b| b >= 0xC2 && b & 0xFE != 0xD0)
        && word
            .chars()
            .any(|c| is_invisible(c) || is_combining_mark(c) || is_greek_or_armenian(c))
}

/// The word as the rules read it: without invisible characters, line breaks and combining marks
/// (а combining breve or diaeresis makes «й» or «ё» of the letter before it), and with the Greek
/// and Armenian look-alikes of a Cyrillic part (between hyphens) in Cyrillic.
pub fn clean_form(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if is_invisible(c) || c.is_whitespace() {
            continue;
        }
        if is_combining_mark(c) {
            let composed = match (out.chars().next_back(), c) {
                (Some('и'), '\u{306}') => Some('й'),
                (Some('И'), '\u{306}') => Some('Й'),
                (Some('е'), '\u{308}') => Some('ё'),
                (Some('Е'), '\u{308}') => Some('Ё'),
                _ => None,
            };
            if let Some(letter) = composed {
                out.pop();
                out.push(letter);
            }
            continue;
        }
        out.push(c);
    }
    with_cyrillic_twins(&out).unwrap_or(out)
}

/// The word with the Greek and Armenian look-alikes of its Cyrillic parts in Cyrillic, when it has
/// any; parts between hyphens are judged one by one («α-частица» stays).
pub fn with_cyrillic_twins(word: &str) -> Option<String> {
    if !word.chars().any(is_greek_or_armenian) {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    let mut changed = false;
    for (i, part) in word.split('-').enumerate() {
        if i > 0 {
            out.push('-');
        }
        if part.chars().any(is_cyrillic) {
            for c in part.chars() {
                match cyrillic_twin(c) {
                    Some(twin) => {
                        out.push(twin);
                        changed = true;
                    }
                    None => out.push(c),
                }
            }
        } else {
            out.push_str(part);
        }
    }
    changed.then_some(out)
}

/// Whether a part of the word between hyphens mixes Cyrillic with Greek or Armenian letters.
pub fn mixes_foreign_lookalikes(word: &str) -> bool {
    word.chars().any(is_greek_or_armenian)
        && word
            .split('-')
            .any(|part| part.chars().any(is_cyrillic) && part.chars().any(is_greek_or_armenian))
}

/// Runs of invisible characters that no word token holds; zero-width joiners and soft hyphens
/// alone are left out (emoji sequences, hyphenation points).
fn stray_invisibles(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    let mut stray: Vec<Range<usize>> = Vec::new();
    let mut words = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .peekable();
    // Every one of them but the soft hyphen (left out below) starts with one of these bytes.
    for at in memchr::memchr3_iter(0xE1, 0xE2, 0xEF, text.as_bytes()) {
        let Some(c) = text[at..].chars().next() else {
            continue;
        };
        if !is_invisible(c) || matches!(c, '\u{AD}' | '\u{200C}' | '\u{200D}') {
            continue;
        }
        while words.next_if(|w| w.end() <= at).is_some() {}
        if words.peek().is_some_and(|w| w.start() <= at) {
            continue;
        }
        let end = at + c.len_utf8();
        match stray.last_mut() {
            Some(last) if last.end == at => last.end = end,
            _ => stray.push(at..end),
        }
    }
    stray
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Document;

    fn words(doc: &Document) -> Vec<(String, &str)> {
        (0..doc.tokens.len())
            .filter(|&i| doc.tokens[i].is_word())
            .map(|i| {
                (
                    doc.word_text(i).to_string(),
                    doc.slice(doc.tokens[i].range()),
                )
            })
            .collect()
    }

    #[test]
    fn hidden_characters_leave_one_word_with_its_written_range() {
        for written in [
            "кон\u{200B}троль",
            "кон\u{200C}троль",
            "кон\u{200D}троль",
            "кон\u{200E}троль",
            "кон\u{200F}троль",
            "кон\u{202E}троль",
            "кон\u{2066}троль",
            "кон\u{AD}троль",
            "конт\u{301}роль",
            "кон\u{336}троль",
            "κонтроль",
            "контρоль",
            "контр\u{585}ль",
            "кон-\nтроль",
            "кон-\r\nтроль",
            "кон-  \n  троль",
            "кон\u{AD}\nтроль",
        ] {
            let text = format!("Взят на {written}.");
            let doc = Document::new(text.as_str());
            let found = words(&doc);
            assert_eq!(found[2], ("контроль".to_string(), written), "{written:?}");
            assert_eq!(found.len(), 3, "{written:?}");
        }
    }

    #[test]
    fn real_hyphenated_words_keep_their_hyphen() {
        for (written, clean) in [
            ("северо-\nзападный", "северо-западный"),
            ("из-\nза", "из-за"),
            ("какой-\nнибудь", "какой-нибудь"),
            ("выше-\nизложенным", "вышеизложенным"),
            ("Иванов-\nПетров", "Иванов-Петров"),
            ("ЖКУ-\nплатежи", "ЖКУ-платежи"),
        ] {
            let doc = Document::new(format!("Это {written} текст."));
            assert_eq!(words(&doc)[1], (clean.to_string(), written), "{written:?}");
        }
    }

    #[test]
    fn near_misses_are_not_joined() {
        // A blank line, a dash with a space before it, a paragraph break of a rich document.
        for text in [
            "кон-\n\nтроль",
            "кон -\nтроль",
            "кон-\n- троль",
            "2025-\nго",
        ] {
            let doc = Document::new(text);
            assert!(
                words(&doc).iter().all(|(clean, _)| clean != "контроль"),
                "{text:?}"
            );
        }
        let doc = Document::with_breaks("кон-\nтроль", &["кон-".len()]);
        assert_eq!(words(&doc).len(), 2);
        // No evasion at all: no clean forms.
        let doc = Document::new("Вопрос взят на контроль — ответ «да», кто-то сказал.");
        assert!(doc.tokens.iter().all(|t| !t.has_clean_form()));
    }

    #[test]
    fn stray_invisible_characters_are_noted() {
        let doc = Document::new("Вопрос\u{200B} взят \u{202E}на контроль 👨\u{200D}👩.");
        let stray: Vec<&str> = doc
            .evasions()
            .map(|e| e.stray.iter().map(|r| doc.slice(r.clone())).collect())
            .unwrap_or_default();
        assert_eq!(stray, ["\u{200B}", "\u{202E}"]);
        assert_eq!(
            words(&doc)
                .iter()
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>(),
            ["Вопрос", "взят", "на", "контроль"]
        );
    }

    #[test]
    fn only_cyrillic_parts_take_twins() {
        assert_eq!(with_cyrillic_twins("α-частица"), None);
        assert_eq!(with_cyrillic_twins("пρимеρ").as_deref(), Some("пример"));
        assert!(mixes_foreign_lookalikes("пρимеρ"));
        assert!(!mixes_foreign_lookalikes("α-частица"));
        assert!(!mixes_foreign_lookalikes("λόγος"));
    }
}
