//! Phrase rules (jargon, forbidden, and any category kept as phrase lists): every match of a rule
//! without a `check` becomes a finding, with its replacements put into the form that their place
//! in the sentence needs (see `agreement`), and marked safe only when that form is certain.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::{Analyzer, Context};
use crate::engine::Phrase;
use crate::finding::{Applicability, Finding};
use crate::text::TokenKind;

mod agreement;

use agreement::{Place, Shaped};

pub struct PhraseRules;

impl Analyzer for PhraseRules {
    /// The rules without a `check`.
    fn checks(&self) -> &'static [super::registry::Check] {
        &[]
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        // A phrase is found many times in a document, mostly as the same words: its message and
        // its agreeing replacements (dictionary look-ups) are made once per wording found.
        let mut messages: FxHashMap<(usize, usize, &str), String> = FxHashMap::default();
        let mut shaped: FxHashMap<(usize, usize, &str, bool), Shaped> = FxHashMap::default();
        findings.reserve(cx.matches.len());
        for m in cx.matches {
            let rule = &cx.rules.rules[m.rule];
            if rule.check.is_some() {
                continue;
            }
            let phrase = &rule.phrases[m.phrase];
            let found = cx.doc.slice(m.focus.clone());
            let message = messages
                .entry((m.rule, m.phrase, found))
                .or_insert_with(|| rule.message_for(Some(phrase), found))
                .clone();
            let (range, suggestions, applicability) = if phrase.suggest.is_empty() {
                (m.focus.clone(), Vec::new(), Applicability::Advice)
            } else {
                let place = Place::of(cx, m);
                let key = (
                    m.rule,
                    m.phrase,
                    cx.doc.slice(place.neighbourhood()),
                    place.starts_sentence,
                );
                let result = shaped
                    .entry(key)
                    .or_insert_with(|| agreement::shape(cx, &place, phrase));
                let start = place.region().start;
                (
                    start + result.range.start..start + result.range.end,
                    result.suggestions.clone(),
                    applicability(phrase, result),
                )
            };
            findings.push(Finding {
                code: rule.code.clone(),
                name: rule.name.clone(),
                category: rule.category,
                severity: rule.severity,
                message,
                range,
                advice: phrase
                    .advice
                    .clone()
                    .or_else(|| fallback_advice(phrase, &suggestions)),
                applicability,
                suggestions,
            });
        }
    }
}

/// Safe only for a rule that allows it, and only when the first replacement was put into its form
/// without doubt; a replacement that could not be made to agree is not offered at all.
fn applicability(phrase: &Phrase, shaped: &Shaped) -> Applicability {
    if shaped.suggestions.is_empty() {
        Applicability::Advice
    } else if phrase.safe_fix && shaped.certain {
        Applicability::Safe
    } else {
        Applicability::Suggestion
    }
}

/// When no replacement of a phrase agrees with the sentence, its words are still worth naming.
fn fallback_advice(phrase: &Phrase, suggestions: &[String]) -> Option<std::sync::Arc<str>> {
    if !suggestions.is_empty() || phrase.suggest.is_empty() {
        return None;
    }
    let words: Vec<String> = phrase.suggest.iter().map(|s| format!("«{s}»")).collect();
    Some(
        format!(
            "Перестройте фразу, например: {} в нужной форме.",
            words.join(" или ")
        )
        .into(),
    )
}

/// The word tokens of `doc` that begin inside `range`, from token `from` on.
fn word_tokens(cx: &Context, from: usize, range: &Range<usize>) -> Vec<usize> {
    cx.doc.tokens[from..]
        .iter()
        .enumerate()
        .take_while(|(_, t)| t.range().start < range.end)
        .filter(|(_, t)| t.range().start >= range.start && t.kind == TokenKind::Word)
        .map(|(i, _)| from + i)
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::Linter;
    use crate::engine::LemmaCache;
    use crate::finding::Applicability;

    /// The first suggestion of `code` applied to `text`, and its applicability.
    fn fixed(text: &str, code: &str) -> (String, Applicability) {
        let linter = Linter::with_default_rules().unwrap();
        let doc = crate::Document::new(text);
        let findings = linter.check(&doc, &mut LemmaCache::new());
        let finding = findings
            .iter()
            .find(|f| &*f.code == code)
            .unwrap_or_else(|| panic!("{code} not found in {text:?}"));
        let result = match finding.suggestions.first() {
            Some(s) => format!(
                "{}{s}{}",
                &text[..finding.range.start],
                &text[finding.range.end..]
            ),
            None => text.to_string(),
        };
        (result, finding.applicability)
    }

    #[test]
    fn a_replacing_preposition_puts_the_words_it_governs_into_its_case() {
        assert_eq!(
            fixed("В связи с наличием задолженности газ отключён.", "JA014").0,
            "Из-за задолженности газ отключён."
        );
        assert_eq!(
            fixed(
                "В связи с отсутствием финансирования ремонт перенесён.",
                "JA014"
            )
            .0,
            "Из-за отсутствия финансирования ремонт перенесён."
        );
        assert_eq!(
            fixed("Плата начислена в соответствии с тарифом.", "JA013").0,
            "Плата начислена по тарифу."
        );
    }

    #[test]
    fn a_replaced_noun_keeps_the_case_and_number_of_the_original() {
        let (text, applicability) = fixed("Выплата денежных средств задержана.", "JA019");
        assert_eq!(text, "Выплата денег задержана.");
        assert_eq!(applicability, Applicability::Suggestion);
        assert_eq!(
            fixed("Вы можете распорядиться денежными средствами.", "JA019").0,
            "Вы можете распорядиться деньгами."
        );
    }

    #[test]
    fn a_replacing_verb_takes_the_form_of_the_original_or_is_not_offered() {
        let (text, applicability) = fixed("Доводы не нашли своего подтверждения.", "JA006");
        assert_eq!(text, "Доводы не подтвердились.");
        assert_eq!(applicability, Applicability::Suggestion);
        assert_eq!(
            fixed("Специалисты осуществили проверку документов.", "JA007").0,
            "Специалисты проверили документы."
        );
        // A passive has no doer to put into an active verb: advice only.
        let (text, applicability) =
            fixed("Сейчас производится проверка Ваших документов.", "JA008");
        assert_eq!(text, "Сейчас производится проверка Ваших документов.");
        assert_eq!(applicability, Applicability::Advice);
    }

    #[test]
    fn each_alternative_has_its_own_replacement() {
        assert_eq!(
            fixed("В весенне-летний период дороги ремонтируют.", "JA017"),
            (
                "Весной и летом дороги ремонтируют.".to_string(),
                Applicability::Safe
            )
        );
    }

    #[test]
    fn a_replacement_never_repeats_the_word_after_it() {
        assert_eq!(
            fixed("Представьте документы в срок до 15 марта.", "JA016"),
            (
                "Представьте документы до 15 марта.".to_string(),
                Applicability::Safe
            )
        );
    }

    #[test]
    fn the_preposition_before_a_replaced_word_follows_the_new_word() {
        assert_eq!(
            fixed("О данном решении Вам сообщат.", "JA005"),
            (
                "Об этом решении Вам сообщат.".to_string(),
                Applicability::Safe
            )
        );
        assert_eq!(
            fixed("Мы писали об данном случае.", "JA005").0,
            "Мы писали об этом случае."
        );
    }

    #[test]
    fn the_comma_of_a_replaced_opening_phrase_goes_with_it() {
        assert_eq!(
            fixed("Исходя из изложенного, мы пересчитали плату.", "JA001"),
            (
                "Поэтому мы пересчитали плату.".to_string(),
                Applicability::Safe
            )
        );
        // In the middle of a sentence the comma may close something else: not safe.
        let (_, applicability) = fixed("Плата, исходя из изложенного, пересчитана.", "JA001");
        assert_ne!(applicability, Applicability::Safe);
    }

    /// Replacements at the edges of a text, of a sentence and of punctuation: each range lies on
    /// character boundaries inside the text, and nothing panics.
    #[test]
    fn replacements_at_the_edges_stay_inside_the_text() {
        let linter = Linter::with_default_rules().unwrap();
        let mut cache = LemmaCache::new();
        for text in [
            "данном",
            "О данном",
            "в связи с",
            "в связи с отсутствием",
            "Исходя из изложенного,",
            ", исходя из изложенного,",
            "в срок до",
            "МФЦ в данном случае.",
            "В СВЯЗИ С ОТСУТСТВИЕМ ФИНАНСИРОВАНИЯ РЕМОНТ ПЕРЕНЕСЁН.",
            "Плата увеличена в связи с тем,\nчто",
            "осуществили проверку документов",
            "со данным,данным;данным",
        ] {
            let doc = crate::Document::new(text);
            for f in linter.check(&doc, &mut cache) {
                assert!(f.range.end <= text.len(), "{text:?}: {:?}", f.range);
                assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
                if f.applicability == Applicability::Safe {
                    assert!(!f.suggestions.is_empty(), "{text:?}");
                }
            }
        }
    }

    /// Even under a rule that allows safe fixes, a noun of another gender is only a suggestion:
    /// the words that agree with the replaced noun lie outside the span.
    #[test]
    fn a_noun_of_another_gender_is_never_safe() {
        let mut rules = crate::engine::RuleSet::defaults().unwrap();
        rules
            .add_file(
                "user.toml",
                "category = \"jargon\"\n[[rule]]\ncode = \"JA019\"\noverride = true\nsafe_fix = true\n\
                 name = \"x\"\ntitle = \"x\"\nmessage = \"x\"\nexplanation = \"x\"\n\
                 clause = \"п. 1\"\n[[rule.phrase]]\npattern = \"транспортный средство\"\n\
                 suggest = [\"автомобиль\"]\nbad = [\"Транспортное средство.\"]\n",
            )
            .unwrap();
        let linter = Linter::new(rules).unwrap();
        let mut cache = LemmaCache::new();
        let check = |text: &str, cache: &mut LemmaCache| {
            let doc = crate::Document::new(text);
            let finding = linter
                .check(&doc, cache)
                .into_iter()
                .find(|f| &*f.code == "JA019")
                .unwrap();
            (finding.suggestions[0].clone(), finding.applicability)
        };
        assert_eq!(
            check("Транспортное средство припарковано на газоне.", &mut cache),
            ("Автомобиль".to_string(), Applicability::Suggestion)
        );
        assert_eq!(
            check("Транспортные средства припаркованы на газоне.", &mut cache),
            ("Автомобили".to_string(), Applicability::Safe)
        );
        assert_eq!(
            check("Владелец транспортного средства оштрафован.", &mut cache),
            ("автомобиля".to_string(), Applicability::Suggestion)
        );
    }

    #[test]
    fn capitals_follow_the_replaced_words() {
        assert_eq!(
            fixed("В данном случае плата не меняется.", "JA005").0,
            "В этом случае плата не меняется."
        );
        assert_eq!(
            fixed("Данный вопрос решён.", "JA005").0,
            "Этот вопрос решён."
        );
    }
}
