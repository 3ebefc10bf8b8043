//! Etiquette of a letter: a greeting at the start (ET001), and the opt-in rule of some offices that a
//! letter opened with «Уважаемый …!» is not closed with «С уважением» (ET002). Greetings and
//! closings are phrase patterns in rules/etiquette.toml.

use super::{Analyzer, Context};
use crate::finding::Finding;
use crate::text::TokenKind;

pub struct Etiquette;

impl Analyzer for Etiquette {
    fn name(&self) -> &'static str {
        "greeting"
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(rule) = cx.rules.for_check("greeting") else {
            return;
        };
        let option = |key: &str, default: usize| rule.option_usize(key, default);
        let search_words = option("search_words", 60);
        let min_words = option("min_words", 30);
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
            .matches_of_check("greeting")
            .filter(|m| m.range.start < search_end)
            .collect();
        // Fragments (a sentence typed in an editor, an example) are not letters.
        let is_letter =
            word_count >= min_words && cx.doc.sentences.len() >= option("min_sentences", 3);
        if greetings.is_empty() {
            if is_letter {
                findings.push(cx.finding(rule, cx.doc.sentences[0].range.clone()));
            }
            return;
        }
        // ET002 (opt-in): «Уважаемый …!» at the start, «С уважением» at the end.
        let Some(closing_rule) = cx.rules.for_check("respectful-closing") else {
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
        for m in cx.matches_of_check("respectful-closing") {
            if m.range.start >= tail_start {
                findings.push(cx.finding(closing_rule, m.range.clone()));
            }
        }
    }
}
