//! Rare specialist terms (rule AB002): the phrases of the rule find them; only the first use of
//! each term is reported, and not when an explanation follows it at once («сервитут (право проезда
//! через участок)», «сервитут — это …», a next sentence «Это …»).

use std::collections::HashSet;

use super::abbreviation::is_dash;
use super::registry::Check;
use super::{Analyzer, Context};
use crate::engine::{CheckKind, NoOptions};
use crate::finding::Finding;
use crate::morphology;

pub struct SpecialistTerm;

crate::check_kind!(
    /// AB002: the terms are the rule's phrases; a user may add rules of them.
    pub struct Terms = "specialist-term";
    options = NoOptions;
    many_rules = true
);

impl Analyzer for SpecialistTerm {
    fn checks(&self) -> &'static [Check] {
        const CHECKS: &[Check] = &[Check::of::<Terms>()];
        CHECKS
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        specialist_terms(cx, findings);
    }
}

fn specialist_terms(cx: &Context, findings: &mut Vec<Finding>) {
    let doc = cx.doc;
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    for m in cx.matches_of_check(Terms::NAME) {
        if !seen.insert((m.rule, m.phrase)) {
            continue;
        }
        let rule = &cx.rules.rules[m.rule];
        let phrase = &rule.phrases[m.phrase];
        // The tokens are in text order: a binary search, not a scan from the start for every term.
        let next = Some(doc.tokens.partition_point(|t| t.start() < m.focus.end))
            .filter(|&t| t < doc.tokens.len());
        let explained_here = next.is_some_and(|t| {
            let text = doc.token_text(t);
            text == "("
                || is_dash(text)
                || text == ","
                    && doc.tokens.get(t + 1).is_some_and(|_| {
                        matches!(
                            morphology::normalize(doc.token_text(t + 1)).as_str(),
                            "то" | "т" | "или"
                        )
                    })
        });
        let explained_next = doc.sentences.get(m.sentence + 1).is_some_and(|s| {
            doc.sentence_words(s).next().is_some_and(|t| {
                matches!(
                    morphology::normalize(doc.token_text(t)).as_str(),
                    "это" | "то" | "так"
                )
            })
        });
        if explained_here || explained_next {
            continue;
        }
        let found = doc.slice(m.focus.clone());
        let mut finding = cx.finding(rule, m.focus.clone());
        finding.message = rule.message_for(Some(phrase), found);
        finding.suggestions = phrase.suggest.clone();
        finding.advice = phrase.advice.clone();
        findings.push(finding);
    }
}
