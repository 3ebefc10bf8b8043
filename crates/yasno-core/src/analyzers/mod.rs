//! Analyzers: each looks at the analysed document and reports findings under its rules.
//!
//! To add one: write `analyzers/NAME.rs` with a type that implements `Analyzer` and a
//! `CheckKind` for each kind of rule it reports, describe its rules (code, message, explanation,
//! clause, options) in a `rules/*.toml` file with `check = "…"`, and add one line to the list
//! below. Pure phrase rules need no code at all: see docs/rules.md ("A check with code").

mod context;
pub mod registry;

/// `module::Analyzer` per line: declares the module and puts the analyzer in `ANALYZERS`.
macro_rules! analyzers {
    ($($module:ident :: $analyzer:ident),* $(,)?) => {
        $(mod $module;)*

        /// Every analyzer, in the order they run (which matters only for findings at one place).
        pub static ANALYZERS: &[&dyn Analyzer] = &[$(&$module::$analyzer),*];
    };
}

// The registry: one line per check.
analyzers! {
    phrases::PhraseRules,
    noun_chain::NounChain,
    mixed_script::MixedScript,
    formatting::Formatting,
    refusal::Refusal,
    specialist_term::SpecialistTerm,
    abbreviation::Abbreviation,
    survey_link::SurveyLink,
    sentence_length::SentenceLength,
    etiquette::Etiquette,
}

use std::ops::Range;

use crate::engine::{AnalyzedWords, PhraseMatch, Rule, RuleSet};
use crate::finding::{Applicability, Finding};
use crate::text::Document;

/// Everything an analyzer may look at; built once per document by the linter.
pub struct Context<'a> {
    pub doc: &'a Document,
    pub words: &'a AnalyzedWords<'a>,
    pub rules: &'a RuleSet,
    /// All phrase matches of all rules, found once by the engine.
    pub matches: &'a [PhraseMatch],
    /// The first paragraph of the signature block (`readability::signature_start`), found once.
    pub signature_start: Option<usize>,
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

    /// The phrase matches of the rules of a built-in check.
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
    /// The checks it reports under: every rule whose `check` is one of their names is its own
    /// (`registry::Check::of::<K>()` for each `CheckKind`). Plain phrase rules name none.
    fn checks(&self) -> &'static [registry::Check];
    fn check(&self, cx: &Context, findings: &mut Vec<Finding>);
}
