//! The rule engine: rules loaded from data, compiled lemma patterns, and matching over a document.
//! Analyzers share the matches it finds instead of matching on their own.

mod matcher;
mod pattern;
mod rules;

pub use matcher::{AnalyzedWords, LemmaCache, NO_ID, PhraseIndex, PhraseMatch, WordInfo};
pub use pattern::{Alternative, Pattern, PatternToken, TagFilter, Vocabulary};
pub use rules::{
    CheckKind, DEFAULT_RULE_FILES, NoOptions, Phrase, ReplacementShape, Rule, RuleError, RuleSet,
    read_options,
};
