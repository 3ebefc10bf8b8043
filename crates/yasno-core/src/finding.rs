//! What every analyzer produces and every output format consumes.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The stable category names of REQUIREMENTS.md; they appear in JSON output and configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Jargon,
    Forbidden,
    Aggression,
    Abbreviation,
    SurveyLink,
    Refusal,
    SentenceLength,
    Etiquette,
    Formatting,
    Spelling,
    Tone,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::Jargon,
        Category::Forbidden,
        Category::Aggression,
        Category::Abbreviation,
        Category::SurveyLink,
        Category::Refusal,
        Category::SentenceLength,
        Category::Etiquette,
        Category::Formatting,
        Category::Spelling,
        Category::Tone,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Jargon => "jargon",
            Category::Forbidden => "forbidden",
            Category::Aggression => "aggression",
            Category::Abbreviation => "abbreviation",
            Category::SurveyLink => "survey-link",
            Category::Refusal => "refusal",
            Category::SentenceLength => "sentence-length",
            Category::Etiquette => "etiquette",
            Category::Formatting => "formatting",
            Category::Spelling => "spelling",
            Category::Tone => "tone",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unknown category `{s}`"))
    }
}

/// Ordered from the mildest: `hint < info < warning < error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "hint" => Ok(Severity::Hint),
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!(
                "unknown severity `{s}` (expected error, warning, info or hint)"
            )),
        }
    }
}

/// How far a finding's replacement may be trusted, as ruff's fix applicability. Decided once, in
/// the core, where the finding is made; every front end (`--fix`, `--diff`, the editor's fix-all
/// and quick fixes, SARIF `fixes`, JSON) follows it and decides nothing of its own.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// The first suggestion leaves grammatical Russian whatever the context: applied by `--fix`
    /// and the editor's «fix all», and offered as a SARIF fix.
    Safe,
    /// Suggestions a person reads before applying: one quick fix each, never applied in bulk.
    Suggestion,
    /// Nothing to paste: the text needs rewriting (see `advice`).
    #[default]
    Advice,
}

impl Applicability {
    pub fn name(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Suggestion => "suggestion",
            Applicability::Advice => "advice",
        }
    }
}

/// One problem found in a text: where it is (byte offsets), what rule says so, and what to write instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: Arc<str>,
    pub name: Arc<str>,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    /// Byte range in the document's text; end exclusive; always on character boundaries.
    pub range: Range<usize>,
    /// Replacements for `range`, best first. Empty when the text needs rewriting, not a swap.
    pub suggestions: Vec<String>,
    /// What to do when there is nothing to paste; one text shared by the findings of a rule.
    pub advice: Option<Arc<str>>,
    /// Whether `suggestions[0]` may be applied without a person reading it.
    pub applicability: Applicability,
}

/// Who the letter is for: the seeds give different requirements for each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// A reply to a citizen or an organisation (the default).
    #[default]
    External,
    /// A reply to a colleague in the same or another office.
    Internal,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::External => "external",
            Profile::Internal => "internal",
        }
    }
}
