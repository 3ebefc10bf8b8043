//! The rule engine: rules loaded from data, compiled lemma patterns, and matching over a document.
//! Analyzers share the matches it finds instead of matching on their own.

mod lemma_cache;
mod markers;
mod matcher;
mod pattern;
mod rules;
mod shape;

pub use crate::morphology::{Analysis, FormAnalysis};
pub use lemma_cache::{AnalyzedWords, LemmaCache, NO_ID, PerForm, WordInfo, analyze_form};
pub use markers::{MarkerList, MarkerWord, marker_words, match_at};
pub use matcher::{PhraseIndex, PhraseMatch};
pub use pattern::{Alternative, Pattern, PatternToken, TagFilter, Vocabulary};
pub use rules::{
    CheckKind, DEFAULT_RULE_FILES, NoOptions, Phrase, ReplacementShape, Rule, RuleError, RuleSet,
    Unless, read_options,
};
pub use shape::Shape;

/// The text of every test letter, one after another: words to test the engine's shortcuts on.
#[cfg(test)]
fn test_letters() -> String {
    let letters = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/letters");
    let mut text = String::new();
    for folder in ["good", "bad", "holdout"] {
        let Ok(entries) = std::fs::read_dir(format!("{letters}/{folder}")) else {
            continue;
        };
        for entry in entries {
            text += &std::fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
        }
    }
    text
}
