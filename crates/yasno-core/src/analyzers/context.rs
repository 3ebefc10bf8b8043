//! What the sentences around a match say: a rule with `unless_next = "date"` (rules/*.toml) is
//! silent where its own or the next sentence names a concrete date or term — «принято в работу.
//! Бригада выйдет в четверг», «будет сообщено до 10 июня», «в течение 5 рабочих дней». «Позднее»
//! alone names no date; «не позднее 10 июня» does, by its date.

use super::Context;
use crate::engine::Unless;
use crate::text::TokenKind;

const MONTHS: &[&str] = &[
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];
const WEEKDAYS: &[&str] = &[
    "понедельник",
    "вторник",
    "среда",
    "четверг",
    "пятница",
    "суббота",
    "воскресенье",
];
/// Words that make a weekday a point in time: «в четверг».
const BEFORE_WEEKDAY: &[&str] = &["в", "во", "до", "к", "с", "по"];
/// Words that make a month without a day a term: «до конца мая» («в сентябре» may be past).
const BEFORE_MONTH: &[&str] = &["до", "к", "конец", "середина", "начало"];
const UNITS: &[&str] = &["день", "неделя", "месяц", "час", "сутки"];
const TODAY: &[&str] = &["завтра", "послезавтра", "сегодня"];

/// Whether a match of a rule with `unless_next = unless` in sentence `sentence` is kept silent.
pub(crate) fn holds(unless: Unless, cx: &Context, sentence: usize) -> bool {
    match unless {
        Unless::Date => {
            (sentence..cx.doc.sentences.len().min(sentence + 2)).any(|s| names_a_date(cx, s))
        }
    }
}

fn is(cx: &Context, token: usize, lemmas: &[&str]) -> bool {
    cx.words
        .word(token)
        .is_some_and(|info| info.lemmas.iter().any(|l| lemmas.contains(&&**l)))
}

/// A date («10 июня», «10.06.2026», «до конца мая»), a weekday («в четверг»), a term in units
/// («в течение 5 рабочих дней», «в течение недели») or «завтра».
pub(crate) fn names_a_date(cx: &Context, sentence: usize) -> bool {
    let doc = cx.doc;
    let words: Vec<usize> = doc.sentences[sentence]
        .tokens
        .clone()
        .filter(|&t| matches!(doc.tokens[t].kind, TokenKind::Word | TokenKind::Number))
        .collect();
    words.iter().enumerate().any(|(at, &token)| {
        let back = |n: usize| at.checked_sub(n).map(|p| words[p]);
        let previous = back(1);
        let number_before = previous.is_some_and(|p| doc.tokens[p].kind == TokenKind::Number);
        let before = |list: &[&str]| previous.is_some_and(|p| is(cx, p, list));
        // «обращение от 20.10.2026», «письмо от 3 мая»: the date of a document, not a term.
        let of_document = |n: usize| back(n).is_some_and(|p| is(cx, p, &["от"]));
        if doc.tokens[token].kind == TokenKind::Number {
            let from = doc.tokens[token].start();
            return is_numeric_date(&doc.text()[from..]) && !of_document(1);
        }
        if is(cx, token, MONTHS) {
            return (number_before && !of_document(2)) || before(BEFORE_MONTH);
        }
        if is(cx, token, WEEKDAYS) {
            return before(BEFORE_WEEKDAY);
        }
        if is(cx, token, TODAY) {
            return true;
        }
        is(cx, token, &["течение"])
            && words[at + 1..]
                .iter()
                .take(4)
                .any(|&next| is(cx, next, UNITS))
    })
}

/// Whether `text` starts with «10.06.2026», «10.06»: one or two digits, a dot, two digits.
fn is_numeric_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let day = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let month = bytes.get(day + 1..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_digit()).count()
    });
    (1..=2).contains(&day) && bytes.get(day) == Some(&b'.') && month == 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{AnalyzedWords, LemmaCache, RuleSet};
    use crate::text::Document;

    fn dated(text: &str) -> Vec<bool> {
        let rules = RuleSet::defaults().unwrap();
        let doc = Document::new(text);
        let mut cache = LemmaCache::new();
        let words = AnalyzedWords::analyze(&doc, &rules, &mut cache);
        let cx = Context {
            doc: &doc,
            words: &words,
            rules: &rules,
            matches: &[],
            signature_start: None,
        };
        (0..doc.sentences.len())
            .map(|s| names_a_date(&cx, s))
            .collect()
    }

    #[test]
    fn dates_terms_and_weekdays_are_found() {
        for text in [
            "Ответим до 10 июня.",
            "Ответим 10.06.2026.",
            "Ответим не позднее 10 июня.",
            "Ответим 10 июня.",
            "Бригада выйдет в четверг.",
            "Ответ направим в течение 5 рабочих дней.",
            "Ответ направим в течение недели.",
            "Работы закончим до конца мая.",
            "Мастер придёт завтра.",
        ] {
            assert_eq!(dated(text), vec![true], "{text}");
        }
    }

    #[test]
    fn vague_times_are_not_dates() {
        for text in [
            "Ответ будет дан позднее.",
            "Ответим в ближайшее время.",
            "Городская среда станет лучше.",
            "Работы проведены в 5 домах.",
            "Ваше обращение от 20.10.2026 взято на контроль.",
            "Ваше письмо от 3 мая рассмотрено.",
            "Протечка в сентябре 2026 года была устранена.",
        ] {
            assert_eq!(dated(text), vec![false], "{text}");
        }
    }
}
