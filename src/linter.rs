//! The one entry point that the CLI, the language server and any later service call.

use crate::analyzers::{self, Analyzer, Context};
use crate::config::{Config, ConfigError};
use crate::engine::{AnalyzedWords, LemmaCache, PhraseIndex, RuleError, RuleSet};
use crate::finding::{Applicability, Finding};
use crate::suppression::Suppressions;
use crate::text::Document;

pub struct Linter {
    config: Config,
    rules: RuleSet,
    index: PhraseIndex,
    analyzers: Vec<Box<dyn Analyzer>>,
}

impl Linter {
    /// A linter with these rules and the default configuration.
    pub fn new(rules: RuleSet) -> Self {
        let index = PhraseIndex::new(&rules);
        Linter {
            config: Config::default(),
            rules,
            index,
            analyzers: analyzers::default_analyzers(),
        }
    }

    /// The rules embedded in the binary.
    pub fn with_default_rules() -> Result<Self, RuleError> {
        Ok(Self::new(RuleSet::defaults()?))
    }

    /// The default rules with a configuration's rule folders, severities, options and filters.
    pub fn from_config(config: Config) -> Result<Self, ConfigError> {
        let rules = config.build_rules()?;
        let mut linter = Self::new(rules);
        linter.config = config;
        Ok(linter)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// All findings in the document, in text order. `cache` keeps word analyses between calls.
    pub fn check(&self, doc: &Document, cache: &mut LemmaCache) -> Vec<Finding> {
        let words = AnalyzedWords::analyze(doc, &self.rules, cache);
        let matches = self.index.find_all(doc, &words, &self.rules);
        let cx = Context {
            doc,
            words: &words,
            rules: &self.rules,
            matches: &matches,
        };
        let mut findings = Vec::new();
        for analyzer in &self.analyzers {
            analyzer.check(&cx, &mut findings);
        }
        let profile = self.config.profile;
        let suppressions = Suppressions::parse(doc);
        findings.retain(|f| {
            if !suppressions.is_empty() && suppressions.suppresses(doc, f) {
                return false;
            }
            let rule = self.rules.get(&f.code);
            let in_profile = rule
                .is_none_or(|rule| rule.profiles.is_empty() || rule.profiles.contains(&profile));
            let enabled = rule.is_none_or(|rule| rule.enabled);
            in_profile && self.config.keeps(f, doc.slice(f.range.clone()), enabled)
        });
        // A replacement is applied to the original text, markup and all: across markup
        // (`**В настоящее** время`, `[В настоящее](…) время`) it would delete the markup, so
        // it is for a person to apply, everywhere (`--fix`, the editor's fix-all, SARIF).
        if !doc.markup.is_empty() {
            for finding in &mut findings {
                if finding.applicability == Applicability::Safe
                    && doc.crosses_markup(&finding.range)
                {
                    finding.applicability = Applicability::Suggestion;
                }
            }
        }
        findings.sort_by(|a, b| {
            (a.range.start, std::cmp::Reverse(a.severity), &a.code).cmp(&(
                b.range.start,
                std::cmp::Reverse(b.severity),
                &b.code,
            ))
        });
        findings
    }

    /// Convenience for one-off checks: a fresh cache.
    pub fn check_text(&self, text: &str) -> (Document, Vec<Finding>) {
        let doc = Document::new(text);
        let findings = self.check(&doc, &mut LemmaCache::new());
        (doc, findings)
    }
}
