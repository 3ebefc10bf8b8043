//! What every analyzer produces and every output format consumes.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use crate::category::Category;

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

    /// The Russian name, for people: «предупреждение».
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "ошибка",
            Severity::Warning => "предупреждение",
            Severity::Info => "сведение",
            Severity::Hint => "подсказка",
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
    /// Chosen by the detected kind of the text (the default): internal for a letter to
    /// colleagues, external otherwise (see `LetterKind::profile`).
    #[default]
    Auto,
    /// A reply to a citizen or an organisation.
    External,
    /// A reply to a colleague in the same or another office.
    Internal,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Auto => "auto",
            Profile::External => "external",
            Profile::Internal => "internal",
        }
    }
}

/// What a text is, as detected from its wording (`letter_kind`, dictionaries/letter-kind.toml):
/// rules say in `kinds` which of them they apply to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LetterKind {
    /// A final reply to a citizen.
    Final,
    /// An interim reply: an acknowledgement, a term extended, an answer promised later.
    Interim,
    /// A letter, order or memo to colleagues.
    Internal,
    /// A public post, announcement or comment.
    Public,
}

impl LetterKind {
    pub const ALL: [LetterKind; 4] = [
        LetterKind::Final,
        LetterKind::Interim,
        LetterKind::Internal,
        LetterKind::Public,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LetterKind::Final => "final",
            LetterKind::Interim => "interim",
            LetterKind::Internal => "internal",
            LetterKind::Public => "public",
        }
    }

    /// The profile `profile = "auto"` runs a text of this kind with.
    pub fn profile(self) -> Profile {
        match self {
            LetterKind::Internal => Profile::Internal,
            _ => Profile::External,
        }
    }

    /// In Russian, for the human summary.
    pub fn title(self) -> &'static str {
        match self {
            LetterKind::Final => "окончательный ответ заявителю",
            LetterKind::Interim => "промежуточный ответ заявителю",
            LetterKind::Internal => "письмо коллегам",
            LetterKind::Public => "публикация, объявление",
        }
    }
}
