//! The categories of findings, in one table: everything that yasno knows about a category (its
//! stable name, the prefix of its rules' codes, its Russian label, its weight in the score, its
//! colour in the report, whether its replacements may ever be applied without a person) is one
//! row below, and every other part of yasno reads it from here. Adding a category is one row
//! (and its rules in `rules/`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What one row of the table says about its category.
struct Row {
    name: &'static str,
    code_prefix: &'static str,
    label: &'static str,
    score_weight: f64,
    color: &'static str,
    safe_fixes: bool,
    document_level: bool,
}

/// Defines `Category` and its rows from the table, so that a category cannot lack any column.
macro_rules! category_table {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $name:literal, $prefix:literal, $label:literal, $weight:literal,
            $color:literal, $safe_fixes:literal, $document_level:literal;
    )+) => {
        /// The stable category names of REQUIREMENTS.md; they appear in JSON output and configuration.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Category {
            $( $(#[$doc])* #[serde(rename = $name)] $variant, )+
        }

        const ROWS: &[Row] = &[$(Row {
            name: $name,
            code_prefix: $prefix,
            label: $label,
            score_weight: $weight,
            color: $color,
            safe_fixes: $safe_fixes,
            document_level: $document_level,
        }),+];

        impl Category {
            /// Every category, in the order of the table (the order of reports and CSV columns).
            pub const ALL: [Category; ROWS.len()] = [$(Category::$variant),+];
        }
    };
}

// Weights: empty phrases and aggression are what the seeds forbid outright (001 п. 14, 004 п. 4.4);
// long sentences and formatting make a letter harder, not wrong. Safe fixes: only a plainer word
// for the same meaning (jargon) or the same word in its own letters (spelling) can be pasted
// without reading; the replacements of the other categories change what the letter says.
// Document level: a fault of the whole answer (no survey link, a refusal without a reason, no
// greeting), counted once in the score, not by density.
category_table! {
    // variant     = name,              prefix, label (Russian),          weight, colour, safe fixes, document level;
    Jargon         = "jargon",          "JA", "канцелярит",              1.0, "#7e57c2", true,  false;
    Forbidden      = "forbidden",       "FB", "отписки и пустые фразы",  2.0, "#d84315", false, false;
    Aggression     = "aggression",      "AG", "языковая агрессия",       2.5, "#ad1457", false, false;
    Abbreviation   = "abbreviation",    "AB", "сокращения",              1.0, "#0277bd", false, false;
    SurveyLink     = "survey-link",     "SV", "ссылка на опрос",         1.0, "#00897b", false, true;
    Refusal        = "refusal",         "RF", "отказ",                   1.5, "#f9a825", false, true;
    SentenceLength = "sentence-length", "SL", "длина предложений",       0.5, "#8d6e63", false, false;
    Etiquette      = "etiquette",       "ET", "этикет",                  1.0, "#5c6bc0", false, true;
    Formatting     = "formatting",      "FM", "оформление",              0.5, "#78909c", false, false;
    Spelling       = "spelling",        "SP", "орфография",              1.0, "#9e9d24", true,  false;
    Tone           = "tone",            "TN", "тон",                     0.5, "#26a69a", false, false;
}

impl Category {
    fn row(self) -> &'static Row {
        &ROWS[self as usize]
    }

    /// The stable name: `jargon`, `survey-link`, …
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// Every code of the category's rules starts with it: `JA` for JA001.
    pub fn code_prefix(self) -> &'static str {
        self.row().code_prefix
    }

    /// The Russian name, for people: «канцелярит».
    pub fn label(self) -> &'static str {
        self.row().label
    }

    /// The default multiplier of the category's findings in `yasno score` (docs/scoring.md).
    pub fn score_weight(self) -> f64 {
        self.row().score_weight
    }

    /// The colour of the category in the HTML report: bars, legend and stacked ranking bars.
    pub fn color(self) -> &'static str {
        self.row().color
    }

    /// Whether a rule of the category may declare its replacements safe (`safe_fix`), to be
    /// applied without a person reading them.
    pub fn safe_fixes(self) -> bool {
        self.row().safe_fixes
    }

    /// Whether the category's findings are, by default, faults of the whole answer in the score.
    pub fn document_level(self) -> bool {
        self.row().document_level
    }

    /// Why a rule of this category may not have this code or declare safe fixes; None if it may.
    pub fn refuses_rule(self, code: &str, safe_fix: bool) -> Option<String> {
        if !code.starts_with(self.code_prefix()) {
            Some(format!(
                "the code of a {self} rule starts with {}, such as {}001",
                self.code_prefix(),
                self.code_prefix()
            ))
        } else if safe_fix && !self.safe_fixes() {
            Some(format!(
                "replacements of a {self} rule change what the letter says and always need a \
                 person's reading: `safe_fix = true` is not allowed in this category"
            ))
        } else {
            None
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

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_row_is_a_category_in_table_order() {
        assert_eq!(Category::ALL.len(), ROWS.len());
        for (index, category) in Category::ALL.into_iter().enumerate() {
            assert_eq!(category as usize, index);
            assert_eq!(category.name(), ROWS[index].name);
        }
    }

    #[test]
    fn names_labels_prefixes_and_colours_are_distinct_and_well_formed() {
        let mut seen = HashSet::new();
        for category in Category::ALL {
            for value in [
                category.name(),
                category.label(),
                category.code_prefix(),
                category.color(),
            ] {
                assert!(seen.insert(value), "{category}: `{value}` is used twice");
            }
            let prefix = category.code_prefix();
            assert!(
                prefix.len() == 2 && prefix.bytes().all(|b| b.is_ascii_uppercase()),
                "{category}: {prefix}"
            );
            let color = category.color();
            assert!(
                color.len() == 7
                    && color.starts_with('#')
                    && color[1..].bytes().all(|b| b.is_ascii_hexdigit()),
                "{category}: {color}"
            );
            assert!(category.score_weight() >= 0.0, "{category}");
        }
    }

    #[test]
    fn names_parse_display_and_serialise_alike() {
        for category in Category::ALL {
            assert_eq!(category.name().parse::<Category>(), Ok(category));
            assert_eq!(category.to_string(), category.name());
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.name()));
            assert_eq!(serde_json::from_str::<Category>(&json).unwrap(), category);
        }
        assert!("Jargon".parse::<Category>().is_err());
        assert!(serde_json::from_str::<Category>("\"survey_link\"").is_err());
    }

    #[test]
    fn a_rule_must_carry_its_categorys_prefix_and_may_be_safe_only_where_allowed() {
        assert_eq!(Category::Jargon.refuses_rule("JA901", true), None);
        assert_eq!(Category::Forbidden.refuses_rule("FB901", false), None);
        let wrong_prefix = Category::Forbidden.refuses_rule("JA901", false).unwrap();
        assert!(wrong_prefix.contains("starts with FB"), "{wrong_prefix}");
        let unsafe_category = Category::Forbidden.refuses_rule("FB901", true).unwrap();
        assert!(unsafe_category.contains("safe_fix"), "{unsafe_category}");
    }
}
