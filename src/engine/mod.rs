//! The rule engine: rules loaded from data, compiled lemma patterns, and matching over a document.
//! Analyzers share the matches it finds instead of matching on their own.

mod lemma_cache;
mod markers;
mod matcher;
mod pattern;
mod rules;

pub use crate::morphology::{Analysis, FormAnalysis};
pub use lemma_cache::{AnalyzedWords, LemmaCache, NO_ID, PerForm, WordInfo, analyze_form};
pub use markers::{MarkerWord, marker_words, match_at};
pub use matcher::{PhraseIndex, PhraseMatch};
pub use pattern::{Alternative, Pattern, PatternToken, TagFilter, Vocabulary};
pub use rules::{DEFAULT_RULE_FILES, Phrase, ReplacementShape, Rule, RuleError, RuleSet};
