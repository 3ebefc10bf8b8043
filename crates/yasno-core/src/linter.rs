//! The one entry point that the CLI, the language server and any later service call.

use std::path::Path;

use crate::analyzers::{self, Context, registry};
use crate::config::{Config, ConfigError, selector_matches};
use crate::engine::{AnalyzedWords, CheckKind, LemmaCache, PhraseIndex, RuleError, RuleSet};
use crate::finding::{Applicability, Finding};
use crate::suppression::{Suppressions, VisibleDirective};
use crate::text::Document;

pub struct Linter {
    config: Config,
    rules: RuleSet,
    index: PhraseIndex,
}

impl Linter {
    /// A linter with these rules and the default configuration. The rules must name known
    /// checks with options of their types (`registry::validate`).
    pub fn new(rules: RuleSet) -> Result<Self, RuleError> {
        registry::validate(&rules)?;
        let index = PhraseIndex::new(&rules);
        Ok(Linter {
            config: Config::default(),
            rules,
            index,
        })
    }

    /// The rules embedded in the binary.
    pub fn with_default_rules() -> Result<Self, RuleError> {
        Self::new(RuleSet::defaults()?)
    }

    /// The default rules with a configuration's rule folders, severities, options and filters.
    pub fn from_config(config: Config) -> Result<Self, ConfigError> {
        let rules = config.build_rules()?;
        let mut linter = Self::new(rules)?;
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
        self.check_at(doc, None, cache)
    }

    /// The findings of the document of `file`: the config's `per-file-ignores` for it apply too.
    pub fn check_at(
        &self,
        doc: &Document,
        file: Option<&Path>,
        cache: &mut LemmaCache,
    ) -> Vec<Finding> {
        let mut findings = self.check_all(doc, cache);
        if let Some(file) = file {
            let ignored = self.config.ignores_for(file);
            if !ignored.is_empty() {
                findings.retain(|f| {
                    !ignored
                        .iter()
                        .any(|s| selector_matches(s, &f.code, &f.name, f.category))
                });
            }
        }
        findings
    }

    fn check_all(&self, doc: &Document, cache: &mut LemmaCache) -> Vec<Finding> {
        let words = AnalyzedWords::analyze(doc, &self.rules, cache);
        let matches = self.index.find_all(doc, &words, &self.rules);
        let cx = Context {
            doc,
            words: &words,
            rules: &self.rules,
            matches: &matches,
        };
        let mut findings = Vec::new();
        for analyzer in analyzers::ANALYZERS {
            analyzer.check(&cx, &mut findings);
        }
        let profile = self.config.profile;
        let suppressions = Suppressions::parse(doc);
        if !suppressions.is_empty() {
            let honoured = self.config.honours_inline_ignores();
            findings.retain(|f| !suppressions.suppresses(doc, f, honoured));
            // A directive that the citizen would read is itself a finding (src/suppression.rs).
            for rule in self.rules.for_check(VisibleDirective::NAME) {
                findings.extend(suppressions.visible().map(|range| cx.finding(rule, range)));
            }
        }
        findings.retain(|f| {
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
        for finding in &mut findings {
            finding.applicability = offered(finding);
        }
        findings
    }

    /// Convenience for one-off checks: a fresh cache.
    pub fn check_text(&self, text: &str) -> (Document, Vec<Finding>) {
        let doc = Document::new(text);
        let findings = self.check(&doc, &mut LemmaCache::new());
        (doc, findings)
    }
}

/// The applicability a finding may claim given what it offers: nothing to paste is advice, and
/// a replacement that its analyzer did not vouch for is a suggestion a person reads.
fn offered(finding: &Finding) -> Applicability {
    match finding.applicability {
        _ if finding.suggestions.is_empty() => Applicability::Advice,
        Applicability::Advice => Applicability::Suggestion,
        claimed => claimed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::testing::finding;

    #[test]
    fn applicability_agrees_with_what_a_finding_offers() {
        for claimed in [
            Applicability::Safe,
            Applicability::Suggestion,
            Applicability::Advice,
        ] {
            assert_eq!(offered(&finding(0..1, &[], claimed)), Applicability::Advice);
        }
        let offers = |claimed| offered(&finding(0..1, &["а"], claimed));
        assert_eq!(offers(Applicability::Safe), Applicability::Safe);
        assert_eq!(offers(Applicability::Suggestion), Applicability::Suggestion);
        assert_eq!(offers(Applicability::Advice), Applicability::Suggestion);
    }

    /// An abbreviation's expansion was made with no applicability of its own: it is read first.
    #[test]
    fn an_expansion_is_a_suggestion() {
        let linter = Linter::with_default_rules().unwrap();
        let (_, findings) = linter.check_text("Ремонт МКД запланирован на 2027 год.\n");
        let expansion = findings
            .iter()
            .find(|f| f.category == crate::Category::Abbreviation && !f.suggestions.is_empty())
            .expect("МКД is expanded");
        assert_eq!(expansion.applicability, Applicability::Suggestion);
    }
}
