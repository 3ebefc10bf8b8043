//! What a text is: a final reply to a citizen, an interim reply, a letter to colleagues or a public
//! post. The signals and their weights are data (dictionaries/letter-kind.toml): sequences of
//! lemmas looked for at the start, at the end or anywhere in the first words of the text. Each
//! signal adds its weight to its kind (up to `repeat` times); the kind with the most wins, the
//! file's `default` when nothing speaks for any.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::engine::AnalyzedWords;
use crate::finding::LetterKind;
use crate::text::{Document, TokenKind};

const SIGNALS: &str = include_str!("../../../dictionaries/letter-kind.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalFile {
    /// The kind of a text in which no signal is found.
    default: LetterKind,
    /// The kind of a text shorter than `fragment_words` in which no signal is found: a sentence
    /// typed in an editor or an example is read as part of a reply.
    fragment: LetterKind,
    fragment_words: usize,
    /// How many words of the beginning a `start` signal is looked for in.
    start_words: usize,
    /// How many words of the end an `end` signal is looked for in.
    end_words: usize,
    /// How many words of the beginning an `any` signal is looked for in.
    any_words: usize,
    /// What a hashtag («#субботник») speaks for, and how much.
    hashtag: SignalWeight,
    signal: Vec<SignalEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalWeight {
    kind: LetterKind,
    weight: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalEntry {
    kind: LetterKind,
    /// Lemmas of consecutive words, `|` between alternatives, `*` for any word, `{num}` for a
    /// number; the first word is lemmas.
    words: String,
    #[serde(default = "one")]
    weight: i32,
    #[serde(default)]
    within: Within,
    /// How many occurrences count.
    #[serde(default = "one_usize")]
    repeat: usize,
}

fn one() -> i32 {
    1
}

fn one_usize() -> usize {
    1
}

#[derive(Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum Within {
    /// In the first `any_words` words.
    #[default]
    Any,
    /// In the first `start_words` words.
    Start,
    /// In the last `end_words` words.
    End,
    /// As the very first word.
    First,
}

enum Slot {
    Any,
    Number,
    Lemmas(Vec<Box<str>>),
}

struct Signal {
    kind: LetterKind,
    weight: i32,
    within: Within,
    repeat: usize,
    rest: Vec<Slot>,
}

struct Signals {
    file: SignalFile,
    signals: Vec<Signal>,
    /// First lemma → the signals that start with it.
    by_first: FxHashMap<Box<str>, Vec<usize>>,
}

fn parse_slot(slot: &str) -> Slot {
    match slot {
        "*" => Slot::Any,
        "{num}" => Slot::Number,
        lemmas => Slot::Lemmas(
            lemmas
                .split('|')
                .map(|l| crate::morphology::normalize(l).into_boxed_str())
                .collect(),
        ),
    }
}

fn signals() -> &'static Signals {
    static SIGNALS_PARSED: OnceLock<Signals> = OnceLock::new();
    SIGNALS_PARSED.get_or_init(|| {
        let file: SignalFile =
            toml::from_str(SIGNALS).expect("dictionaries/letter-kind.toml is valid");
        let mut signals = Vec::new();
        let mut by_first: FxHashMap<Box<str>, Vec<usize>> = FxHashMap::default();
        for entry in &file.signal {
            let mut slots = entry.words.split_whitespace().map(parse_slot);
            let Some(Slot::Lemmas(first)) = slots.next() else {
                panic!(
                    "letter-kind signal `{}` must start with lemmas",
                    entry.words
                );
            };
            for lemma in first {
                by_first.entry(lemma).or_default().push(signals.len());
            }
            signals.push(Signal {
                kind: entry.kind,
                weight: entry.weight,
                within: entry.within,
                repeat: entry.repeat,
                rest: slots.collect(),
            });
        }
        Signals {
            file,
            signals,
            by_first,
        }
    })
}

fn index(kind: LetterKind) -> usize {
    LetterKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

/// The weight each kind gets from the text, and whether it is a fragment (shorter than
/// `fragment_words`).
fn scores(doc: &Document, words: &AnalyzedWords) -> ([i32; 4], bool) {
    let set = signals();
    let file = &set.file;
    let is_word = |t: &usize| matches!(doc.tokens[*t].kind, TokenKind::Word | TokenKind::Number);
    let head: Vec<usize> = (0..doc.tokens.len())
        .filter(is_word)
        .take(file.any_words.max(file.start_words))
        .collect();
    let mut tail: Vec<usize> = (0..doc.tokens.len())
        .rev()
        .filter(is_word)
        .take(file.end_words)
        .collect();
    tail.reverse();
    let mut scores = [0i32; 4];
    let mut counts = vec![0usize; set.signals.len()];
    let mut scan = |list: &[usize], tail_part: bool| {
        for (at, &token) in list.iter().enumerate() {
            let Some(info) = words.word(token) else {
                continue;
            };
            for lemma in info.lemmas.iter() {
                let Some(candidates) = set.by_first.get(lemma) else {
                    continue;
                };
                for &s in candidates {
                    let signal = &set.signals[s];
                    let place_fits = match signal.within {
                        Within::End => tail_part,
                        Within::Start => !tail_part && at < file.start_words,
                        Within::First => !tail_part && at == 0,
                        Within::Any => !tail_part && at < file.any_words,
                    };
                    if !place_fits || counts[s] >= signal.repeat {
                        continue;
                    }
                    if follows(doc, words, &list[at + 1..], &signal.rest) {
                        counts[s] += 1;
                        scores[index(signal.kind)] += signal.weight;
                    }
                }
            }
        }
    };
    scan(&head, false);
    scan(&tail, true);
    if has_hashtag(doc) {
        scores[index(file.hashtag.kind)] += file.hashtag.weight;
    }
    (scores, head.len() < file.fragment_words)
}

/// The kind of the text: the one with the highest score, the file's default when none scores.
pub fn detect(doc: &Document, words: &AnalyzedWords) -> LetterKind {
    let (scores, fragment) = scores(doc, words);
    let best = scores.iter().copied().max().unwrap_or(0);
    if best <= 0 {
        let file = &signals().file;
        return if fragment {
            file.fragment
        } else {
            file.default
        };
    }
    LetterKind::ALL[scores.iter().position(|&s| s == best).unwrap_or(0)]
}

fn follows(doc: &Document, words: &AnalyzedWords, next: &[usize], rest: &[Slot]) -> bool {
    if next.len() < rest.len() {
        return false;
    }
    rest.iter().zip(next).all(|(slot, &token)| match slot {
        Slot::Any => true,
        Slot::Number => doc.tokens[token].kind == TokenKind::Number,
        Slot::Lemmas(lemmas) => words
            .word(token)
            .is_some_and(|info| info.lemmas.iter().any(|l| lemmas.contains(l))),
    })
}

/// «#субботник»: a hash sign right before a letter, in the first few kilobytes.
fn has_hashtag(doc: &Document) -> bool {
    let text = doc.text();
    let mut end = text.len().min(8192);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    head.match_indices('#').any(|(at, _)| {
        head[at + 1..]
            .chars()
            .next()
            .is_some_and(crate::morphology::is_letter)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{LemmaCache, RuleSet};

    fn kind_of(text: &str) -> LetterKind {
        let rules = RuleSet::defaults().unwrap();
        let doc = Document::new(text);
        let mut cache = LemmaCache::new();
        let words = AnalyzedWords::analyze(&doc, &rules, &mut cache);
        detect(&doc, &words)
    }

    #[test]
    fn the_signal_file_loads() {
        assert!(!signals().signals.is_empty());
    }

    #[test]
    fn a_reply_to_a_citizen_is_final() {
        assert_eq!(
            kind_of(
                "Уважаемая Анна Сергеевна!\n\nВаше обращение о ремонте крыши рассмотрено. \
                 Крышу отремонтируем до 1 июля.\n\nС уважением,\nначальник управления И. И. Иванов"
            ),
            LetterKind::Final
        );
    }

    #[test]
    fn an_acknowledgement_is_interim() {
        assert_eq!(
            kind_of(
                "Здравствуйте, Анна Сергеевна!\n\nВаше обращение зарегистрировано 3 мая. \
                 О результатах рассмотрения Вам будет сообщено дополнительно."
            ),
            LetterKind::Interim
        );
    }

    #[test]
    fn a_letter_to_colleagues_is_internal() {
        assert_eq!(
            kind_of(
                "Уважаемые коллеги!\n\nПрошу представить сведения о ремонте дорог в срок до \
                 10 июня. Направляем для использования в работе методические рекомендации."
            ),
            LetterKind::Internal
        );
    }

    #[test]
    fn a_fragment_without_signals_is_part_of_a_reply() {
        assert_eq!(
            kind_of("Ссылка: https://pos.gosuslugi.ru/lkp/polls/481275/."),
            LetterKind::Final
        );
    }

    #[test]
    fn a_post_is_public() {
        assert_eq!(
            kind_of(
                "Уважаемые жители! 5 марта состоится прямая линия с главой района. \
                 Жители смогут задать вопросы по телефону. #прямаялиния"
            ),
            LetterKind::Public
        );
        assert_eq!(
            kind_of("Сегодня глава района провёл приём граждан. Жители спрашивали о дорогах."),
            LetterKind::Public
        );
    }
}
