//! Etiquette of a letter: a greeting at the start (ET001), and the opt-in rule of some offices that a
//! letter opened with «Уважаемый …!» is not closed with «С уважением» (ET002). Greetings and
//! closings are phrase patterns in rules/etiquette.toml.

use serde::Deserialize;

use super::registry::Check;
use super::{Analyzer, Context};
use crate::engine::{CheckKind, NoOptions};
use crate::finding::Finding;
use crate::text::TokenKind;

pub struct Etiquette;

crate::check_kind!(
    /// ET001: a letter opens with a greeting.
    pub struct Greeting = "greeting";
    options = GreetingOptions;
    many_rules = false
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GreetingOptions {
    search_words: usize,
    min_words: usize,
    min_sentences: usize,
}

crate::check_kind!(
    /// ET002: no «С уважением» after «Уважаемый …!».
    pub struct RespectfulClosing = "respectful-closing";
    options = NoOptions;
    many_rules = false
);

impl Analyzer for Etiquette {
    fn checks(&self) -> &'static [Check] {
        const CHECKS: &[Check] = &[Check::of::<Greeting>(), Check::of::<RespectfulClosing>()];
        CHECKS
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(rule) = cx.rules.rule_of::<Greeting>() else {
            return;
        };
        let &GreetingOptions {
            search_words,
            min_words,
            min_sentences,
        } = rule.prepared::<Greeting>();
        // The words are read only as far as both settings need, not listed for the whole text.
        let mut search_end = cx.doc.text().len();
        let mut word_count = 0;
        for token in &cx.doc.tokens {
            if !matches!(token.kind, TokenKind::Word | TokenKind::Number) {
                continue;
            }
            if word_count == search_words {
                search_end = token.start();
            }
            word_count += 1;
            if word_count > search_words && word_count >= min_words {
                break;
            }
        }
        let greetings: Vec<_> = cx
            .matches_of_check(Greeting::NAME)
            .filter(|m| m.range.start < search_end)
            .collect();
        // Fragments (a sentence typed in an editor, an example) are not letters.
        let is_letter = word_count >= min_words && cx.doc.sentences.len() >= min_sentences;
        if greetings.is_empty() {
            if is_letter {
                findings.push(cx.finding(rule, cx.doc.sentences[0].range.clone()));
            }
            return;
        }
        // ET002 (opt-in): «Уважаемый …!» at the start, «С уважением» at the end.
        let Some(closing_rule) = cx.rules.rule_of::<RespectfulClosing>() else {
            return;
        };
        let opened_with_dear = greetings.iter().any(|m| {
            crate::morphology::normalize(cx.doc.slice(m.range.clone())).starts_with("уважаем")
        });
        if !opened_with_dear {
            return;
        }
        // The closing formula stands in the last paragraphs, before the signature.
        let paragraphs = &cx.doc.paragraphs;
        let tail_start = paragraphs[paragraphs
            .len()
            .saturating_sub(3)
            .max(1)
            .min(paragraphs.len() - 1)]
        .range
        .start;
        for m in cx.matches_of_check(RespectfulClosing::NAME) {
            if m.range.start >= tail_start {
                findings.push(cx.finding(closing_rule, m.range.clone()));
            }
        }
    }
}
