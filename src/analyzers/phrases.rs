//! Phrase rules (jargon, forbidden, and any category kept as phrase lists): every match of a rule
//! without a `check` becomes a finding, with its replacements put in the form of the replaced word.

use super::{Analyzer, Context};
use crate::engine::NO_ID;
use crate::finding::Finding;
use crate::morphology;

pub struct PhraseRules;

impl Analyzer for PhraseRules {
    fn name(&self) -> &'static str {
        "phrases"
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
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
            let suggestions = phrase
                .suggest
                .iter()
                .map(|s| adapt_replacement(s, found, model_tag))
                .collect();
            findings.push(Finding {
                code: rule.code.clone(),
                name: rule.name.clone(),
                category: rule.category,
                severity: rule.severity,
                message: rule.message_for(Some(phrase), found),
                range: m.focus.clone(),
                suggestions,
                advice: phrase.advice.clone(),
            });
        }
    }
}

/// Inflects a one-word replacement like the word it replaces («данном» → «этом») and copies the
/// capital letter of a sentence start.
fn adapt_replacement(replacement: &str, found: &str, model_tag: Option<u16>) -> String {
    let mut text = match model_tag {
        Some(tag) if !replacement.contains(char::is_whitespace) && !replacement.is_empty() => {
            morphology::inflect_like(replacement, tag).unwrap_or_else(|| replacement.to_string())
        }
        _ => replacement.to_string(),
    };
    let starts_upper = found.chars().next().is_some_and(morphology::is_upper);
    let second_upper = found.chars().nth(1).is_some_and(morphology::is_upper);
    if starts_upper && !second_upper {
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
        assert_eq!(adapt_replacement("этот", "данном", Some(tag)), "этом");
        assert_eq!(
            adapt_replacement("поэтому", "В связи с этим", None),
            "Поэтому"
        );
    }
}
