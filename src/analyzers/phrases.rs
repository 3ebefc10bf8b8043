//! Phrase rules (jargon, forbidden, and any category kept as phrase lists): every match of a rule
//! without a `check` becomes a finding, with its replacements put in the form of the replaced word.

use rustc_hash::FxHashMap;

use super::{Analyzer, Context};
use crate::engine::NO_ID;
use crate::finding::{Applicability, Finding};
use crate::morphology;

pub struct PhraseRules;

impl Analyzer for PhraseRules {
    fn name(&self) -> &'static str {
        "phrases"
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        // A phrase is found many times in a document, mostly as the same words: its message and
        // its inflected replacements (a dictionary look-up each) are made once per form found.
        let mut messages: FxHashMap<(usize, usize, &str), String> = FxHashMap::default();
        let mut adapted: FxHashMap<(&str, Option<u16>, bool), String> = FxHashMap::default();
        findings.reserve(cx.matches.len());
        for m in cx.matches {
            let rule = &cx.rules.rules[m.rule];
            if rule.check.is_some() {
                continue;
            }
            let phrase = &rule.phrases[m.phrase];
            let found = cx.doc.slice(m.focus.clone());
            let model_tag = if m.focus_words == 1 {
                cx.words.word(m.focus_token).and_then(|info| {
                    info.readings
                        .iter()
                        .find(|&&(id, _)| id != NO_ID)
                        .or(info.readings.first())
                        .map(|&(_, tag)| tag)
                })
            } else {
                None
            };
            let capital = starts_with_capital(found);
            let suggestions: Vec<String> = phrase
                .suggest
                .iter()
                .map(|s| {
                    adapted
                        .entry((s.as_str(), model_tag, capital))
                        .or_insert_with(|| adapt_replacement(s, model_tag, capital))
                        .clone()
                })
                .collect();
            let message = messages
                .entry((m.rule, m.phrase, found))
                .or_insert_with(|| rule.message_for(Some(phrase), found))
                .clone();
            findings.push(Finding {
                code: rule.code.clone(),
                name: rule.name.clone(),
                category: rule.category,
                severity: rule.severity,
                message,
                range: m.focus.clone(),
                advice: phrase.advice.clone(),
                applicability: if suggestions.is_empty() {
                    Applicability::Advice
                } else if rule.safe_fix {
                    Applicability::Safe
                } else {
                    Applicability::Suggestion
                },
                suggestions,
            });
        }
    }
}

/// A capital letter begins the found words, not an all-capitals word: «В связи с этим», not «МФЦ».
fn starts_with_capital(found: &str) -> bool {
    let mut chars = found.chars();
    let starts_upper = chars.next().is_some_and(morphology::is_upper);
    let second_upper = chars.next().is_some_and(morphology::is_upper);
    starts_upper && !second_upper
}

/// Inflects a one-word replacement like the word it replaces («данном» → «этом») and copies the
/// capital letter of a sentence start.
fn adapt_replacement(replacement: &str, model_tag: Option<u16>, capital: bool) -> String {
    let mut text = match model_tag {
        Some(tag) if !replacement.contains(char::is_whitespace) && !replacement.is_empty() => {
            morphology::inflect_like(replacement, tag).unwrap_or_else(|| replacement.to_string())
        }
        _ => replacement.to_string(),
    };
    if capital {
        let mut chars = text.chars();
        if let Some(first) = chars.next() {
            text = first.to_uppercase().chain(chars).collect();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_follow_case_and_capitals() {
        let tag = morphology::analyze("данном")
            .into_iter()
            .find(|r| r.lemma == "данный")
            .unwrap()
            .tag;
        assert_eq!(
            adapt_replacement("этот", Some(tag), starts_with_capital("данном")),
            "этом"
        );
        assert_eq!(
            adapt_replacement("поэтому", None, starts_with_capital("В связи с этим")),
            "Поэтому"
        );
        assert!(!starts_with_capital("МФЦ"));
        assert!(!starts_with_capital(""));
        assert!(starts_with_capital("Я"));
    }
}
