//! Sentences and paragraphs too long to read at once, and sentences stacked with participial and
//! verbal-adverb phrases («…, осуществляющей управление…, имевшая место…, рассмотрев…»).
//!
//! Four rules, each with its own `check` name so each has its own options: SL001 `sentence-length`
//! (over `max_words`), SL002 `sentence-length-extreme` (far over; replaces SL001 on that sentence),
//! SL003 `paragraph-length`, SL004 `participle-chain`. The signature block and lines that are
//! mostly numbers (requisites, tables) are not prose and are not measured.

use std::sync::OnceLock;

use serde::Deserialize;

use super::registry::Check;
use super::{Analyzer, Context};
use crate::engine::{CheckKind, PerForm, Rule, WordInfo};
use crate::finding::Finding;
use crate::morphology;
use crate::readability::prose_sentences;
use crate::text::{Sentence, TokenKind};

pub struct SentenceLength;

/// A limit of at least 1: a limit of 0 would report every sentence.
#[derive(Clone, Copy)]
pub struct Limit(usize);

impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        usize::deserialize(deserializer).map(|n| Limit(n.max(1)))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentenceOptions {
    max_words: Limit,
}

crate::check_kind!(
    /// SL001: a sentence over `max_words`.
    pub struct LongSentence = "sentence-length";
    options = SentenceOptions;
    many_rules = false
);

crate::check_kind!(
    /// SL002: a sentence far over the limit; replaces SL001 on that sentence.
    pub struct ExtremeSentence = "sentence-length-extreme";
    options = SentenceOptions;
    many_rules = false
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParagraphOptions {
    max_words: Limit,
    max_sentences: Limit,
}

crate::check_kind!(
    /// SL003: a paragraph over `max_words` or `max_sentences`.
    pub struct LongParagraph = "paragraph-length";
    options = ParagraphOptions;
    many_rules = false
);

/// SL004: a sentence stacked with participial and verbal-adverb phrases.
pub struct ParticipleChain;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipleOptions {
    min_phrases: Limit,
    /// Words that are no phrase heads in letters, although the dictionary reads them so.
    ignore: Vec<String>,
}

impl CheckKind for ParticipleChain {
    const NAME: &'static str = "participle-chain";
    type Options = ParticipleOptions;
    type Prepared = ParticipleOptions;
    /// The ignored words normalised once per rule, not per letter.
    fn prepare(options: ParticipleOptions) -> ParticipleOptions {
        ParticipleOptions {
            ignore: options
                .ignore
                .iter()
                .map(|w| morphology::normalize(w))
                .collect(),
            ..options
        }
    }
}

/// «1 слово», «3 слова», «25 слов».
pub(crate) fn plural(n: usize, one: &str, few: &str, many: &str) -> String {
    let word = match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    };
    format!("{n} {word}")
}

fn words(n: usize) -> String {
    plural(n, "слово", "слова", "слов")
}

fn sentences(n: usize) -> String {
    plural(n, "предложение", "предложения", "предложений")
}

/// A finding with the rule's message, its `{words}`, `{limit}`, `{sentences}` and `{count}` filled.
fn finding(
    cx: &Context,
    rule: &Rule,
    range: std::ops::Range<usize>,
    fill: &[(&str, String)],
) -> Finding {
    let mut f = cx.finding(rule, range);
    for (key, value) in fill {
        f.message = f.message.replace(key, value);
    }
    f
}

/// The words and numbers of a sentence (`Document::word_count`), or None when it is no prose:
/// requisites, tables and lists of figures, where most of the "words" are numbers.
fn prose_word_count(cx: &Context, sentence: &Sentence) -> Option<usize> {
    let (mut words, mut numbers) = (0, 0);
    for token in &cx.doc.tokens[sentence.tokens.clone()] {
        match token.kind {
            TokenKind::Word => words += 1,
            TokenKind::Number => numbers += 1,
            _ => {}
        }
    }
    (words > numbers).then_some(words + numbers)
}

/// A numbered or bulleted list is already broken into parts, however long it is.
fn is_list(paragraph: &str) -> bool {
    let is_item = |line: &str| {
        let line = line.trim_start();
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        let rest = &line[digits..];
        if digits > 0 {
            digits <= 2 && (rest.starts_with(". ") || rest.starts_with(") "))
        } else {
            ["- ", "– ", "— ", "• ", "* ", "· "]
                .iter()
                .any(|marker| rest.starts_with(marker))
        }
    };
    paragraph.lines().filter(|line| is_item(line)).count() >= 2
}

/// A reading of a full participle or a verbal adverb.
fn is_phrase_head_tag(tag: u16) -> bool {
    let t = morphology::tag_facts(tag);
    match t.verb_form {
        Some("Conv") => true,
        Some("Part") => t.variant != Some("Short"),
        _ => false,
    }
}

/// `is_phrase_head_tag`, read from a table made once: it is asked for every reading of every word.
fn is_phrase_head(tag: u16) -> bool {
    static HEADS: OnceLock<Vec<bool>> = OnceLock::new();
    let heads = HEADS.get_or_init(|| {
        (0..morphology::ud_tag_count())
            .map(|tag| u16::try_from(tag).is_ok_and(is_phrase_head_tag))
            .collect()
    });
    match heads.get(usize::from(tag)) {
        Some(&head) => head,
        None => is_phrase_head_tag(tag),
    }
}

/// A full participle («проведённой», «имевшая») or a verbal adverb («рассмотрев»): every reading
/// is one, or the readings that are one carry most of the dictionary's probability. Short
/// participles («устранена») are predicates, not phrases, and do not count.
///
/// `word` is asked for only when a reading is one: most words are ruled out by their readings.
fn is_participle_or_converb<'w>(
    word: impl FnOnce() -> &'w str,
    info: &WordInfo,
    ignored: &[String],
) -> bool {
    if info.readings.is_empty() || !info.has_tag(is_phrase_head) {
        return false;
    }
    if ignored.contains(&morphology::normalize(word())) {
        return false;
    }
    if info.readings.iter().all(|&(_, tag)| is_phrase_head(tag)) {
        return true;
    }
    let analyses = info.analyses();
    let total: f64 = analyses.iter().map(|a| a.probability).sum();
    let heads: f64 = analyses
        .iter()
        .filter(|a| is_phrase_head(a.tag))
        .map(|a| a.probability)
        .sum();
    total > 0.0 && heads > total / 2.0
}

impl Analyzer for SentenceLength {
    fn checks(&self) -> &'static [Check] {
        const CHECKS: &[Check] = &[
            Check::of::<LongSentence>(),
            Check::of::<ExtremeSentence>(),
            Check::of::<LongParagraph>(),
            Check::of::<ParticipleChain>(),
        ];
        CHECKS
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let long = cx.rules.rule_of::<LongSentence>();
        let extreme = cx.rules.rule_of::<ExtremeSentence>();
        let paragraph_rule = cx.rules.rule_of::<LongParagraph>();
        let participle_rule = cx.rules.rule_of::<ParticipleChain>();
        let max_words = long.map_or(usize::MAX, |r| r.prepared::<LongSentence>().max_words.0);
        let extreme_words =
            extreme.map_or(usize::MAX, |r| r.prepared::<ExtremeSentence>().max_words.0);
        let participles = participle_rule.map(|r| r.prepared::<ParticipleChain>());
        let ignored = participles.map_or(&[][..], |p| &p.ignore);
        let min_phrases = participles.map_or(usize::MAX, |p| p.min_phrases.0);
        let mut head_forms = PerForm::new();

        // (paragraph index, words, sentences, range) of the paragraph being read.
        let mut paragraph: Option<(usize, usize, usize, std::ops::Range<usize>)> = None;
        let mut paragraphs = Vec::new();
        for sentence in prose_sentences(cx.doc, cx.signature_start) {
            let Some(count) = prose_word_count(cx, sentence) else {
                continue;
            };
            match &mut paragraph {
                Some((index, total, sentence_count, range)) if *index == sentence.paragraph => {
                    *total += count;
                    *sentence_count += 1;
                    range.end = sentence.range.end;
                }
                _ => {
                    paragraphs.extend(paragraph.take());
                    paragraph = Some((sentence.paragraph, count, 1, sentence.range.clone()));
                }
            }

            let over = [(extreme, extreme_words), (long, max_words)]
                .into_iter()
                .find_map(|(rule, limit)| rule.filter(|_| count > limit).map(|r| (r, limit)));
            if let Some((rule, limit)) = over {
                findings.push(finding(
                    cx,
                    rule,
                    sentence.range.clone(),
                    &[("{words}", words(count)), ("{limit}", words(limit))],
                ));
            }

            if let Some(rule) = participle_rule {
                let heads = sentence
                    .tokens
                    .clone()
                    .filter(|&t| cx.doc.tokens[t].is_prose_word())
                    .filter(|&t| {
                        cx.words.word(t).is_some_and(|info| {
                            head_forms.for_token(cx.words, t, || {
                                is_participle_or_converb(|| cx.doc.token_text(t), info, ignored)
                            })
                        })
                    })
                    .count();
                if heads >= min_phrases {
                    findings.push(finding(
                        cx,
                        rule,
                        sentence.range.clone(),
                        &[("{count}", heads.to_string())],
                    ));
                }
            }
        }
        paragraphs.extend(paragraph);

        let Some(rule) = paragraph_rule else {
            return;
        };
        let limits = rule.prepared::<LongParagraph>();
        let (max_paragraph_words, max_paragraph_sentences) =
            (limits.max_words.0, limits.max_sentences.0);
        for (index, count, sentence_count, range) in paragraphs {
            let too_long = count > max_paragraph_words || sentence_count > max_paragraph_sentences;
            if too_long && !is_list(cx.doc.slice(cx.doc.paragraphs[index].range.clone())) {
                findings.push(finding(
                    cx,
                    rule,
                    range,
                    &[
                        ("{words}", words(count)),
                        ("{sentences}", sentences(sentence_count)),
                        (
                            "{limit}",
                            format!(
                                "{} или {}",
                                words(max_paragraph_words),
                                sentences(max_paragraph_sentences)
                            ),
                        ),
                    ],
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;

    fn codes(text: &str) -> Vec<(String, String)> {
        let linter = Linter::with_default_rules().unwrap();
        let (doc, findings) = linter.check_text(text);
        findings
            .into_iter()
            .filter(|f| f.code.starts_with("SL"))
            .map(|f| (f.code.to_string(), doc.slice(f.range).to_string()))
            .collect()
    }

    fn only_codes(text: &str) -> Vec<String> {
        codes(text).into_iter().map(|(c, _)| c).collect()
    }

    /// A sentence of `n` words.
    fn sentence_of(n: usize) -> String {
        let mut words: Vec<&str> = ["Мы", "проверили", "дом", "и", "нашли", "течь"]
            .into_iter()
            .cycle()
            .take(n)
            .collect();
        words[0] = "Мы";
        format!("{}.", words.join(" "))
    }

    #[test]
    fn the_phrase_head_table_agrees_with_the_tag_facts() {
        for tag in 0..=u16::MAX {
            assert_eq!(is_phrase_head(tag), is_phrase_head_tag(tag), "{tag}");
        }
    }

    #[test]
    fn plural_forms() {
        assert_eq!(words(1), "1 слово");
        assert_eq!(words(3), "3 слова");
        assert_eq!(words(11), "11 слов");
        assert_eq!(words(21), "21 слово");
        assert_eq!(words(25), "25 слов");
        assert_eq!(words(42), "42 слова");
    }

    #[test]
    fn long_sentences_are_found_with_their_length() {
        assert!(only_codes(&sentence_of(25)).is_empty());
        let text = sentence_of(26);
        let found = codes(&text);
        assert_eq!(found, vec![("SL001".to_string(), text.clone())]);
        let linter = Linter::with_default_rules().unwrap();
        let (_, findings) = linter.check_text(&text);
        let f = findings
            .iter()
            .find(|f| f.code.as_ref() == "SL001")
            .unwrap();
        assert!(f.message.contains("26 слов"), "{}", f.message);
        assert!(f.message.contains("25 слов"), "{}", f.message);
        // Far above the limit: the stronger finding only.
        assert_eq!(only_codes(&sentence_of(41)), vec!["SL002"]);
        assert!(only_codes(&sentence_of(40)).contains(&"SL001".to_string()));
    }

    #[test]
    fn a_line_break_does_not_end_a_sentence_and_numbers_count() {
        let text = "Управляющая компания «Наш дом» должна до 25 ноября 2026 г. отремонтировать\n\
                    крышу над пятым этажом, заменить водосточные трубы во втором подъезде\n\
                    и убрать мусор с чердака, а затем сообщить нам о результатах работ письменно.";
        assert_eq!(only_codes(text), vec!["SL001"]);
    }

    #[test]
    fn short_sentences_lists_and_signatures_are_silent() {
        let text = "Здравствуйте, Анна Сергеевна!\n\nМы пересчитали плату. Деньги вернём до 1 декабря.\n\n\
                    Приложите:\n- паспорт;\n- справку о доходах.\n\n\
                    Елена Викторовна Гусева\nстарший инспектор\nГосударственная жилищная инспекция Приозёрной области";
        assert!(codes(text).is_empty(), "{:?}", codes(text));
        // Requisites: mostly numbers.
        let requisites = "ИНН 1234567890 КПП 123456789 р/с 40102810545370000001 БИК 049401001 \
                          ОКТМО 94701000 КБК 16311601081010000140 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16";
        assert!(codes(requisites).is_empty());
    }

    #[test]
    fn long_paragraphs_are_found() {
        let paragraph = ["Мы проверили дом."; 7].join(" ");
        assert_eq!(only_codes(&paragraph), vec!["SL003"]);
        let paragraph = vec![sentence_of(20); 7].join("\n");
        assert!(only_codes(&paragraph).contains(&"SL003".to_string()));
        let paragraphs = ["Мы проверили дом. Течь нашли."; 6].join("\n\n");
        assert!(only_codes(&paragraphs).is_empty());
        // A list is not a wall of text.
        let list = "1. Подайте жалобу. Суд передаст её дальше.\n2. Успейте до 19 декабря. \
                    На жалобу даётся месяц.\n3. Оплатите пошлину. Приложите чек.\n4. Отправьте копию соседу.";
        assert!(only_codes(list).is_empty(), "{:?}", codes(list));
    }

    #[test]
    fn participle_chains_are_found() {
        let text = "Рассмотрев обращение, поступившее в инспекцию, сообщаем о работах, проведённых компанией.";
        assert_eq!(only_codes(text), vec!["SL004"]);
        // Ё or е, capitals.
        let text = "РАССМОТРЕВ обращение, поступившее в инспекцию, сообщаем о работах, проведенных компанией.";
        assert_eq!(only_codes(text), vec!["SL004"]);
        // Short participles are predicates; «следующий», «включая», «учитывая» are not phrases.
        for text in [
            "Течь устранена, крыша отремонтирована, подъезд убран.",
            "Следующий осмотр назначен, учитывая погоду, включая выходные.",
            "Уважаемая Анна Сергеевна, прилагаем акт, подписанный инспектором.",
        ] {
            assert!(only_codes(text).is_empty(), "{text}: {:?}", codes(text));
        }
    }
}
