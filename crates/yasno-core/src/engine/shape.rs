//! How a word is written, as the tests for abbreviations and codes ask: capitals, digits,
//! hyphens. Worked out once per distinct written form (see `LemmaCache`).

use crate::morphology;

/// The shape of a written word form, as flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape(u8);

impl Shape {
    const CAPITALS: u8 = 1;
    const CODE: u8 = 1 << 1;
    const ASCII_DIGIT: u8 = 1 << 2;
    const DIGIT: u8 = 1 << 3;
    const INNER_CAPITAL: u8 = 1 << 4;

    pub fn of(word: &str) -> Shape {
        let (mut chars, mut letters) = (0usize, 0usize);
        let (mut capitals_only, mut code_only) = (true, true);
        let mut flags = 0;
        let mut after_small = false;
        for c in word.chars() {
            chars += 1;
            let hyphen = c == '-';
            let letter = morphology::is_letter(c);
            let upper = morphology::is_upper(c);
            letters += usize::from(letter);
            capitals_only &= letter && upper || hyphen || c == '\u{2011}';
            code_only &= upper || hyphen || c.is_ascii_digit();
            if c.is_ascii_digit() {
                flags |= Self::ASCII_DIGIT;
            }
            if c.is_numeric() {
                flags |= Self::DIGIT;
            }
            if upper && after_small {
                flags |= Self::INNER_CAPITAL;
            }
            after_small = morphology::is_lower(c);
        }
        if capitals_only && letters >= 2 {
            flags |= Self::CAPITALS;
        }
        if code_only && chars >= 2 {
            flags |= Self::CODE;
        }
        Shape(flags)
    }

    /// Two letters or more, all capitals, with nothing but hyphens besides: «ФЗ», «ЖКХ-ИНФОРМ».
    pub fn all_capitals(self) -> bool {
        self.0 & Self::CAPITALS != 0
    }

    /// Two characters or more, only capitals, hyphens and ASCII digits: «РФ», «59-ФЗ», «П2».
    pub fn code_like(self) -> bool {
        self.0 & Self::CODE != 0
    }

    /// An ASCII digit in the word: a number of an act, an article, a date.
    pub fn has_ascii_digit(self) -> bool {
        self.0 & Self::ASCII_DIGIT != 0
    }

    /// A digit of any script in the word.
    pub fn has_digit(self) -> bool {
        self.0 & Self::DIGIT != 0
    }

    /// A capital right after a small letter: «КнААПО», «ГосЖилИнспекция».
    pub fn inner_capital(self) -> bool {
        self.0 & Self::INNER_CAPITAL != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flags, read in one pass, say what the plain definitions say.
    #[test]
    fn flags_are_their_definitions() {
        for word in [
            "ФЗ",
            "59-ФЗ",
            "П2",
            "РФ",
            "ЖКХ-ИНФОРМ",
            "Ж",
            "фз",
            "ст",
            "КнААПО",
            "ГосЖилИнспекция",
            "Уважаемый",
            "12",
            "2025г",
            "XIV",
            "ПРО\u{2011}ЕКТ",
            "А-",
            "١٢",
            "",
        ] {
            let shape = Shape::of(word);
            let letters = word.chars().filter(|&c| c.is_alphabetic()).count();
            let all_capitals = letters >= 2
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() && c.is_uppercase() || c == '-' || c == '\u{2011}');
            let code = word.chars().count() >= 2
                && word
                    .chars()
                    .all(|c| c.is_uppercase() || c == '-' || c.is_ascii_digit());
            let chars: Vec<char> = word.chars().collect();
            let inner = chars
                .windows(2)
                .any(|w| w[0].is_lowercase() && w[1].is_uppercase());
            assert_eq!(shape.all_capitals(), all_capitals, "{word}");
            assert_eq!(shape.code_like(), code, "{word}");
            assert_eq!(
                shape.has_ascii_digit(),
                word.chars().any(|c| c.is_ascii_digit()),
                "{word}"
            );
            assert_eq!(
                shape.has_digit(),
                word.chars().any(char::is_numeric),
                "{word}"
            );
            assert_eq!(shape.inner_capital(), inner, "{word}");
        }
        assert!(Shape::of("59-ФЗ").code_like() && !Shape::of("59-ФЗ").all_capitals());
        assert!(Shape::of("ГосЖилИнспекция").inner_capital());
    }
}
