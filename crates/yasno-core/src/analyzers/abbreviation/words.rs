//! What a single word's shape says: capitals, slashes, hyphens, dates, and what the dictionary
//! says of a word in capitals.

use std::ops::Range;

use super::*;
use crate::engine;

/// Prepositions and conjunctions: an expansion may skip them («комитет по управлению …» → КУМИ).
const FUNCTION_WORDS: &str = "в во на по с со к ко о об обо от до из за для при под над и или а у \
                              без через перед между про это";

pub(super) fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.split_whitespace().any(|w| w == word)
}

pub(super) fn is_roman(word: &str) -> bool {
    word.chars().all(|c| "IVXLCDM".contains(c)) || word.chars().all(|c| "IVXХІ".contains(c))
}

pub(super) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

pub(super) fn all_caps(word: &str) -> bool {
    // One pass that stops at the first small letter: most words fail on their first or second one.
    let mut letters = 0;
    for c in word.chars() {
        if morphology::is_letter(c) && morphology::is_upper(c) {
            letters += 1;
        } else if c != '-' && c != '\u{2011}' {
            return false;
        }
    }
    letters >= 2
}

/// A slash or a hyphen (plain or non-breaking) in the word. Most words have none: one pass over
/// the bytes rules them out without decoding characters (U+2011 starts with the byte 0xE2, which
/// no Cyrillic or Latin letter has).
pub(super) fn has_slash_or_hyphen(word: &str) -> bool {
    word.bytes().any(|b| matches!(b, b'/' | b'-' | 0xE2)) && word.contains(['/', '-', '\u{2011}'])
}

/// «КнААПО», «ГосЖилИнспекция»: capitals inside the word, in the way of an acronym or a stump
/// compound, not a name such as «МакДональд».
///
/// The word is read once, without collecting its letters: most capitalised words («Уважаемый»)
/// have no second capital and are ruled out on the way.
pub(super) fn looks_mixed_acronym(word: &str) -> bool {
    if !word.chars().next().is_some_and(morphology::is_upper) {
        return false;
    }
    let mut len = 0;
    let mut upper = 0;
    let mut run = false;
    let mut previous_upper = false;
    // The word splits into segments before each capital («Гос|Жил|Инспекция»); every segment but
    // the last is a stump, and short stumps mark a stump compound.
    let mut segment = 0;
    let mut short_stumps = 0;
    for c in word.chars() {
        if !(is_cyrillic(c) && morphology::is_letter(c)) {
            return false;
        }
        let is_upper = morphology::is_upper(c);
        if is_upper {
            upper += 1;
            run |= previous_upper;
            if len > 0 && segment <= 3 {
                short_stumps += 1;
            }
            segment = 0;
        }
        segment += 1;
        len += 1;
        previous_upper = is_upper;
    }
    if len < 3 || upper < 2 || upper == len {
        return false;
    }
    run || upper * 2 >= len || short_stumps >= 2
}

/// What the dictionary says of a word written in capitals: is it an ordinary word («ВНИМАНИЕ»,
/// «НЕ»), and is it one whose part of speech never makes an acronym (a particle, a preposition)?
pub(super) fn ordinary_word(word: &str) -> (bool, bool) {
    let form = engine::analyze_form(word);
    if !form.known() {
        return (false, false);
    }
    let mut ordinary = false;
    let mut function = false;
    for analysis in &form.analyses {
        if !analysis.in_dictionary || analysis.probability < 0.01 || analysis.abbreviation {
            continue;
        }
        ordinary = true;
        if !matches!(
            morphology::tag_facts(analysis.tag).pos,
            "NOUN" | "PROPN" | "ADJ" | "X"
        ) {
            function = true;
        }
    }
    (ordinary, function)
}

/// «Константин», «Петровна»: a greeting's names must not spell an acronym («Уважаемый Константин» → УК).
pub(super) fn is_personal_name(word: &str) -> bool {
    let form = engine::analyze_form(word);
    let mut likely = form
        .analyses
        .iter()
        .filter(|a| a.probability >= 0.01)
        .peekable();
    likely.peek().is_some() && likely.all(|a| a.personal_name)
}

pub(super) fn letters(text: &str) -> Vec<char> {
    morphology::normalize(text)
        .chars()
        .filter(|&c| morphology::is_letter(c))
        .collect()
}

/// Whether the text starts with a small Russian letter: а–п are D0 B0–BF in UTF-8, р–я D1 80–8F,
/// ё D1 91. Most words do, and are told from capitals without decoding a character.
pub(super) fn starts_small_russian(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0xD0, 0xB0..=0xBF, ..] | [0xD1, 0x80..=0x8F | 0x91, ..]
    )
}

/// «Уважаемый», «В», «Москва»: a capital, then small Russian letters only. Such a word is no
/// acronym of any kind (no digit, slash or hyphen; a single capital), so the candidate pass need
/// not look at it. Read as bytes: every small Russian letter is two.
pub(super) fn is_plain_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(morphology::is_upper)
        && chars
            .as_str()
            .as_bytes()
            .chunks(2)
            .all(starts_small_russian)
}

/// A word with letters, all of them capitals: the shape of an acronym or of emphasis.
pub(super) fn is_caps_word(word: &str) -> bool {
    // One pass that stops at the first small letter: «Уважаемый» at its second.
    let mut letters = false;
    for c in word.chars() {
        if morphology::is_letter(c) {
            if !morphology::is_upper(c) {
                return false;
            }
            letters = true;
        }
    }
    letters
}

pub(in crate::analyzers) fn is_dash(text: &str) -> bool {
    matches!(text, "—" | "–" | "-" | "‒" | "―")
}

/// The byte ranges of the `count` parts between hyphens of a word as written (from `start`),
/// without the line break after a hyphen; None when it has another number of parts.
pub(super) fn written_parts(
    written: &str,
    start: usize,
    count: usize,
) -> Option<Vec<Range<usize>>> {
    let mut ranges = Vec::new();
    let mut offset = start;
    for part in written.split(['-', '\u{2011}']) {
        let trimmed = part.trim_start();
        ranges.push(offset + part.len() - trimmed.len()..offset + part.len());
        offset += part.len() + 1;
    }
    (ranges.len() == count).then_some(ranges)
}

/// «03.02.2027», «3.2.27»: a date, not part of a standard's designation.
pub(super) fn is_date(number: &str) -> bool {
    let parts: Vec<&str> = number.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts[0].len() <= 2
        && parts[1].len() <= 2
        && matches!(parts[2].len(), 2 | 4)
}
