//! Phrase rules (jargon, forbidden, and any category kept as phrase lists): every match of a rule
//! without a `check` becomes a finding, with its replacements put into the form that their place
//! in the sentence needs (see `agreement`), and marked safe only when that form is certain.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::{Analyzer, Context};
use crate::engine::{Phrase, Rule};
use crate::finding::{Applicability, Finding};
use crate::text::TokenKind;

mod agreement;

use agreement::{Place, Shaped};

pub struct PhraseRules;

impl Analyzer for PhraseRules {
    fn name(&self) -> &'static str {
        "phrases"
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
                let key = (m.rule, m.phrase, cx.doc.slice(place.region()), place.starts_sentence);
                let result = shaped
                    .entry(key)
                    .or_insert_with(|| agreement::shape(cx, &place, phrase));
                let start = place.region().start;
                (
                    start + result.range.start..start + result.range.end,
                    result.suggestions.clone(),
                    applicability(rule, result),
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
fn applicability(rule: &Rule, shaped: &Shaped) -> Applicability {
    if shaped.suggestions.is_empty() {
        Applicability::Advice
    } else if rule.safe_fix && shaped.certain {
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
    Some(format!("Перестройте фразу, например: {} в нужной форме.", words.join(" или ")).into())
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
