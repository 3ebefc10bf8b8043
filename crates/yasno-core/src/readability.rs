//! Readability figures for a whole document, and what counts as its prose.
//!
//! The figures follow the Flesch formulas recalibrated for Russian. Russian words are longer than
//! English ones (more syllables) and Russian sentences are shorter (no articles or auxiliaries), so
//! the English coefficients give meaningless scores on Russian text.
//!
//! - Reading ease: FRE = 206.835 − 1.3 · ASL − 60.1 · ASW, where ASL is the average sentence length
//!   in words and ASW the average word length in syllables. Coefficients: И. В. Оборнева,
//!   «Автоматизированная оценка сложности учебных текстов на основе статистических параметров»,
//!   дисс. канд. пед. наук, Москва, 2006. The higher the score, the easier the text; bands as in Flesch
//!   (90–100 very easy … 0–30 very hard).
//! - Grade level: 0.5 · ASL + 8.4 · ASW − 15.59, the Flesch–Kincaid grade with the Russian
//!   coefficients of the same recalibration (as used, for instance, by the open-source `ruts` library
//!   for Russian text statistics). It reads as the number of school years a reader needs.
//!
//! Syllables are counted exactly: a Russian syllable has exactly one vowel (а е ё и о у ы э ю я).
//! A word without vowels (a number, «МКД») counts as one syllable, so a number never weighs zero.
//! Words are counted as `Document::word_count` counts them (words and numbers).
//!
//! Only prose counts: the signature block at the end of a letter (name, position, office, each on a
//! short line without a sentence ending) is left out, by the same rule the analyzers use.

use serde::Serialize;

use crate::morphology;
use crate::text::{Document, Sentence, TokenKind};

/// The readability figures of one document. Averages and scores are `None` for a text without
/// words, so that no NaN or meaningless score reaches the output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Readability {
    /// Words and numbers in prose sentences.
    pub words: usize,
    /// Prose sentences that have at least one word.
    pub sentences: usize,
    pub syllables: usize,
    /// Words per sentence (ASL), rounded to 0.1.
    pub average_sentence_length: Option<f64>,
    /// Syllables per word (ASW), rounded to 0.01.
    pub average_syllables_per_word: Option<f64>,
    /// The longest prose sentence, in words.
    pub longest_sentence: usize,
    /// Flesch reading ease, Оборнева's Russian coefficients, rounded to 0.1; higher is easier.
    pub flesch_reading_ease: Option<f64>,
    /// Flesch–Kincaid grade with Russian coefficients, rounded to 0.1: school years needed.
    pub grade: Option<f64>,
    /// The Flesch band of the reading-ease score, in Russian, for people.
    pub level: Option<&'static str>,
}

/// Readability of the prose of `doc` (signature excluded).
pub fn readability(doc: &Document) -> Readability {
    let mut words = 0;
    let mut sentences = 0;
    let mut syllables = 0;
    let mut longest = 0;
    let text = doc.text().as_bytes();
    for sentence in prose_sentences(doc, signature_start(doc)) {
        // Words and their syllables in one pass over the sentence.
        let mut count = 0;
        let mut sentence_syllables = 0;
        for token in &doc.tokens[sentence.tokens.clone()] {
            if matches!(token.kind, TokenKind::Word | TokenKind::Number) {
                count += 1;
                sentence_syllables += vowels(&text[token.range()]).max(1);
            }
        }
        if count == 0 {
            continue;
        }
        sentences += 1;
        words += count;
        longest = longest.max(count);
        syllables += sentence_syllables;
    }
    Readability::from_counts(words, sentences, syllables, longest)
}

impl Readability {
    /// The figures for these counts; all `None` when there are no words.
    pub fn from_counts(
        words: usize,
        sentences: usize,
        syllables: usize,
        longest_sentence: usize,
    ) -> Self {
        if words == 0 || sentences == 0 {
            return Readability {
                words,
                sentences,
                syllables,
                average_sentence_length: None,
                average_syllables_per_word: None,
                longest_sentence,
                flesch_reading_ease: None,
                grade: None,
                level: None,
            };
        }
        let asl = words as f64 / sentences as f64;
        let asw = syllables as f64 / words as f64;
        let ease = 206.835 - 1.3 * asl - 60.1 * asw;
        let grade = 0.5 * asl + 8.4 * asw - 15.59;
        Readability {
            words,
            sentences,
            syllables,
            average_sentence_length: Some(round(asl, 10.0)),
            average_syllables_per_word: Some(round(asw, 100.0)),
            longest_sentence,
            flesch_reading_ease: Some(round(ease, 10.0)),
            grade: Some(round(grade, 10.0)),
            level: Some(level(ease)),
        }
    }

    /// The figures of several texts read as one.
    pub fn combined<'a>(parts: impl IntoIterator<Item = &'a Readability>) -> Self {
        let (mut words, mut sentences, mut syllables, mut longest) = (0, 0, 0, 0);
        for part in parts {
            words += part.words;
            sentences += part.sentences;
            syllables += part.syllables;
            longest = longest.max(part.longest_sentence);
        }
        Readability::from_counts(words, sentences, syllables, longest)
    }
}

fn round(value: f64, scale: f64) -> f64 {
    (value * scale).round() / scale
}

/// Flesch's bands, as they are usually given for the Russian adaptation.
fn level(ease: f64) -> &'static str {
    match ease {
        e if e >= 90.0 => "очень легко читается (5 класс)",
        e if e >= 80.0 => "легко читается (6 класс)",
        e if e >= 70.0 => "довольно легко читается (7 класс)",
        e if e >= 60.0 => "читается без труда (8–9 классы)",
        e if e >= 50.0 => "довольно трудно читается (10–11 классы)",
        e if e >= 30.0 => "трудно читается (студенты вуза)",
        _ => "очень трудно читается (выпускники вуза)",
    }
}

/// Syllables of a word: its vowels.
pub fn syllable_count(word: &str) -> usize {
    vowels(word.as_bytes())
}

/// Russian vowels, both cases, by their place in the Cyrillic block U+0400–U+047F: bit `i` of
/// `VOWELS[i / 64]` is set when U+0400 + i is one of а е ё и о у ы э ю я А Е Ё И О У Ы Э Ю Я.
const VOWELS: [u64; 2] = {
    let mut mask = [0u64; 2];
    let vowels = "аеёиоуыэюяАЕЁИОУЫЭЮЯ".as_bytes();
    let mut i = 0;
    while i < vowels.len() {
        // Two bytes each: 110xxxxx 10yyyyyy.
        let code = (((vowels[i] & 0x1F) as u32) << 6 | (vowels[i + 1] & 0x3F) as u32) - 0x400;
        mask[(code / 64) as usize] |= 1 << (code % 64);
        i += 2;
    }
    mask
};

/// The Russian vowels in UTF-8 text, read as bytes: each is two bytes, led by D0 or D1 (U+0400–
/// U+047F), and no other character has such a lead byte or one of these as a continuation byte, so
/// nothing needs decoding. Decoding every character took most of the time of `readability`.
fn vowels(text: &[u8]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i + 1 < text.len() {
        let lead = text[i];
        if lead & 0xFE == 0xD0 {
            let index = text[i + 1] & 0x3F;
            count += (VOWELS[usize::from(lead & 1)] >> index) as usize & 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    count
}

/// Longest line, in words, that a signature may have: «Заместитель руководителя инспекции Е. В. Гусева».
const SIGNATURE_LINE_WORDS: usize = 8;

/// Index of the first paragraph of the signature block, if the letter ends with one: the trailing
/// paragraphs after the last one that ends like a sentence, each made of short lines with no
/// sentence ending («Елена Викторовна Гусева / старший инспектор / Жилищная инспекция»).
pub fn signature_start(doc: &Document) -> Option<usize> {
    let mut start = None;
    for (index, paragraph) in doc.paragraphs.iter().enumerate().rev() {
        let text = doc.slice(paragraph.range.clone());
        let ends_sentence = text
            .trim_end()
            .ends_with(['.', '!', '?', '…', ':', ';', ',', '»', ')']);
        // A signature line ends in a name («Е. В. Гусева»), never in punctuation; initials are
        // the only periods it has.
        if ends_sentence && !ends_with_initials(text) {
            break;
        }
        // Asked only of the few trailing paragraphs, and a line stops being read at its ninth word.
        let short_lines = text.lines().all(|line| {
            line.split_whitespace()
                .filter(|w| {
                    w.chars()
                        .any(|c| morphology::is_letter(c) || morphology::is_numeric(c))
                })
                .nth(SIGNATURE_LINE_WORDS)
                .is_none()
        });
        if !short_lines {
            break;
        }
        start = Some(index);
    }
    // A text that is nothing but short lines is a list or a note, not a letter with a signature.
    start.filter(|&s| s > 0)
}

/// «… Е. В.» — a signature with the initials after the surname.
fn ends_with_initials(text: &str) -> bool {
    let mut words = text.split_whitespace().rev();
    matches!(words.next(), Some(last) if is_initial(last))
}

fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if morphology::is_upper(c))
}

/// The sentences a reader reads as prose: all but the signature block, which starts at paragraph
/// `signature_start` (see `signature_start`, worked out once by whoever asks several times).
pub fn prose_sentences(
    doc: &Document,
    signature_start: Option<usize>,
) -> impl Iterator<Item = &Sentence> + '_ {
    let end = signature_start.unwrap_or(doc.paragraphs.len());
    doc.sentences.iter().filter(move |s| s.paragraph < end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_text_has_known_figures() {
        // 2 sentences, 8 words; syllables: мы(1) ответим(3) сразу(2) = 6; деньги(2) вернём(2)
        // до(1) 1(1) декабря(3) = 9 → 15.
        let doc = Document::new("Мы ответим сразу. Деньги вернём до 1 декабря.");
        let r = readability(&doc);
        assert_eq!((r.words, r.sentences, r.syllables), (8, 2, 15));
        assert_eq!(r.longest_sentence, 5);
        assert_eq!(r.average_sentence_length, Some(4.0));
        assert_eq!(r.average_syllables_per_word, Some(1.88));
        // 206.835 − 1.3·4 − 60.1·1.875 = 88.947…; 0.5·4 + 8.4·1.875 − 15.59 = 2.16
        assert_eq!(r.flesch_reading_ease, Some(88.9));
        assert_eq!(r.grade, Some(2.2));
        assert_eq!(r.level, Some("легко читается (6 класс)"));
    }

    #[test]
    fn empty_text_gives_no_nan() {
        for text in ["", "  \n\n ", "— … !"] {
            let r = readability(&Document::new(text));
            assert_eq!((r.words, r.sentences, r.syllables), (0, 0, 0), "{text:?}");
            assert_eq!(r.flesch_reading_ease, None);
            assert_eq!(r.grade, None);
            let json = serde_json::to_string(&r).unwrap();
            assert!(!json.contains("NaN"), "{json}");
        }
    }

    #[test]
    fn syllables_are_vowels() {
        assert_eq!(syllable_count("Ёлка"), 2);
        assert_eq!(syllable_count("обращение"), 5);
        assert_eq!(syllable_count("МКД"), 0);
    }

    /// The earlier form of `syllable_count`, decoding every character: the byte form must agree.
    fn syllable_count_by_chars(word: &str) -> usize {
        word.chars()
            .filter(|c| "аеёиоуыэюяАЕЁИОУЫЭЮЯ".contains(*c))
            .count()
    }

    #[test]
    fn syllables_counted_from_bytes_agree_with_characters() {
        for word in [
            "",
            "а",
            "Я",
            "ёЁ",
            "МКД",
            "Ѐѐ",
            "ѠѡѢѣ",
            "ӐӑӒ",
            "Ԁ",
            "é",
            "ä",
            "€",
            "жизнь",
            "ПОДЪЕЗД",
            "рџѓђ",
            "a-б/в",
            "№1",
            "\u{0411}\u{0451}",
        ] {
            assert_eq!(
                syllable_count(word),
                syllable_count_by_chars(word),
                "{word:?}"
            );
        }
        // Every character of the Cyrillic block and its neighbours, alone and between others.
        for code in 0x80..0x800u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let word = format!("x{c}о{c}");
            assert_eq!(
                syllable_count(&word),
                syllable_count_by_chars(&word),
                "{word:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn syllables_agree_on_any_text(text in "[а-яА-ЯёЁЀ-ӿa-z0-9 .,\\-—€é]{0,40}", any in ".{0,20}") {
            proptest::prop_assert_eq!(syllable_count(&text), syllable_count_by_chars(&text));
            proptest::prop_assert_eq!(syllable_count(&any), syllable_count_by_chars(&any));
        }
    }

    #[test]
    fn long_words_and_sentences_read_harder() {
        let easy = readability(&Document::new("Мы всё сделали. Кран починят завтра."));
        let hard = readability(&Document::new(
            "Государственной жилищной инспекцией осуществлено рассмотрение обращения \
             относительно ненадлежащего температурного режима многоквартирного дома.",
        ));
        assert!(easy.flesch_reading_ease > hard.flesch_reading_ease);
        assert!(easy.grade < hard.grade);
    }

    #[test]
    fn the_signature_is_not_prose() {
        let doc = Document::new(
            "Здравствуйте!\n\nМы пересчитали плату.\n\nЕлена Викторовна Гусева\nстарший инспектор\nЖилищная инспекция",
        );
        assert_eq!(signature_start(&doc), Some(2));
        assert_eq!(prose_sentences(&doc, signature_start(&doc)).count(), 2);
        let doc = Document::new(
            "Мы пересчитали плату.\n\nЗаместитель руководителя инспекции                Е. В. Гусева",
        );
        assert_eq!(signature_start(&doc), Some(1));
        // No signature: the letter ends with a sentence.
        let doc = Document::new("Здравствуйте!\n\nМы пересчитали плату.");
        assert_eq!(signature_start(&doc), None);
        // A heading in the middle is not a signature.
        let doc = Document::new("Что мы сделали\n\nМы пересчитали плату.");
        assert_eq!(signature_start(&doc), None);
    }
}
