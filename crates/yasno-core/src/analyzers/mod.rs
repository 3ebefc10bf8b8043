//! Analyzers: each looks at the analysed document and reports findings under its rules.
//!
//! To add one: write `src/analyzers/NAME.rs` with a type that implements `Analyzer`, describe its
//! rule (code, message, explanation, clause) in a `rules/*.toml` file with `check = "NAME"`, and
//! list it in `default_analyzers`. Pure phrase rules need no code at all: see docs/rules.md.

mod abbreviation;
mod etiquette;
mod formatting;
mod mixed_script;
mod noun_chain;
mod phrases;
mod refusal;
mod sentence_length;
mod survey_link;

use std::ops::Range;

use crate::engine::{AnalyzedWords, PhraseMatch, Rule, RuleSet};
use crate::finding::{Applicability, Finding};
use crate::text::Document;

/// What an analyzer works out about a word form, kept by the form's cache index: a letter
/// repeats its words, so a test asked of every word is then made once per distinct form.
pub(crate) struct PerForm<T> {
    values: Vec<Option<T>>,
}

impl<T: Copy> PerForm<T> {
    pub(crate) fn new() -> Self {
        PerForm { values: Vec::new() }
    }

    /// The value for the form of word token `token`, worked out by `compute` the first time.
    pub(crate) fn get(&mut self, cx: &Context, token: usize, compute: impl FnOnce() -> T) -> T {
        let Some(form) = cx.words.form(token) else {
            return compute();
        };
        let form = form as usize;
        if self.values.len() <= form {
            self.values.resize(form + 1, None);
        }
        *self.values[form].get_or_insert_with(compute)
    }
}

/// Everything an analyzer may look at; built once per document by the linter.
pub struct Context<'a> {
    pub doc: &'a Document,
    pub words: &'a AnalyzedWords<'a>,
    pub rules: &'a RuleSet,
    /// All phrase matches of all rules, found once by the engine.
    pub matches: &'a [PhraseMatch],
}

impl Context<'_> {
    /// A finding under `rule` at `range`, with the rule's message.
    pub fn finding(&self, rule: &Rule, range: Range<usize>) -> Finding {
        let found = self.doc.slice(range.clone());
        Finding {
            code: rule.code.clone(),
            name: rule.name.clone(),
            category: rule.category,
            severity: rule.severity,
            message: rule.message_for(None, found),
            range,
            suggestions: Vec::new(),
            advice: None,
            applicability: Applicability::Advice,
        }
    }

    /// The phrase matches of the rules that a built-in check owns.
    pub fn matches_of_check<'m>(
        &'m self,
        check: &'m str,
    ) -> impl Iterator<Item = &'m PhraseMatch> + 'm {
        self.matches
            .iter()
            .filter(move |m| self.rules.rules[m.rule].check.as_deref() == Some(check))
    }
}

pub trait Analyzer: Send + Sync {
    /// The `check` name its rules carry in `rules/*.toml` (or "phrases" for plain phrase rules).
    fn name(&self) -> &'static str;
    fn check(&self, cx: &Context, findings: &mut Vec<Finding>);
}

pub fn default_analyzers() -> Vec<Box<dyn Analyzer>> {
    vec![
        Box::new(phrases::PhraseRules),
        Box::new(noun_chain::NounChain),
        Box::new(mixed_script::MixedScript),
        Box::new(formatting::Formatting),
        Box::new(refusal::Refusal),
        Box::new(abbreviation::Abbreviation),
        Box::new(survey_link::SurveyLink),
        Box::new(sentence_length::SentenceLength),
        Box::new(etiquette::Etiquette),
    ]
}
