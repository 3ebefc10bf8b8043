//! The one entry point that the CLI, the language server and any later service call.

use std::path::Path;

use crate::analyzers::{self, Context, registry};
use crate::config::edit::DictionaryKey;
use crate::config::{Config, ConfigError, selector_matches};
use crate::engine::{AnalyzedWords, CheckKind, LemmaCache, PhraseIndex, RuleError, RuleSet};
use crate::finding::{Applicability, Category, Finding, Profile};
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
            signature_start: crate::readability::signature_start(doc),
        };
        let mut findings = Vec::new();
        for analyzer in analyzers::ANALYZERS {
            analyzer.check(&cx, &mut findings);
        }
        let kind = *doc
            .letter_kind
            .get_or_init(|| crate::letter_kind::detect(doc, &words));
        let profile = match self.config.profile {
            Profile::Auto => kind.profile(),
            chosen => chosen,
        };
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
            let in_profile = rule.is_none_or(|rule| {
                (rule.profiles.is_empty() || rule.profiles.contains(&profile))
                    && (rule.kinds.is_empty() || rule.kinds.contains(&kind))
            });
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

    /// The word of a finding that the user may add to the project's dictionary (where it goes:
    /// `dictionary_key`): abbreviations only (a word the reader may know after all), and a found
    /// text that is one short line. `text` is the checked document's.
    pub fn dictionary_word<'t>(&self, finding: &Finding, text: &'t str) -> Option<&'t str> {
        if finding.category != Category::Abbreviation {
            return None;
        }
        let found = text.get(finding.range.clone())?.trim();
        let word_like =
            !found.is_empty() && found.chars().count() <= 60 && !found.contains(['\n', '\r']);
        word_like.then_some(found)
    }

    /// Where a word accepted for rule `code` goes: the rule's own list when its check reads one
    /// (the abbreviation check's `known`), else the project's `accepted-words`, which every rule
    /// respects.
    pub fn dictionary_key(&self, code: &str) -> DictionaryKey {
        let own_list = self.rules.get(code).is_some_and(|rule| {
            rule.category == Category::Abbreviation
                && rule.options.get("known").is_some_and(|v| v.is_array())
        });
        if own_list {
            DictionaryKey::RuleOption {
                code: code.to_string(),
                key: "known".into(),
            }
        } else {
            DictionaryKey::AcceptedWords
        }
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

    #[test]
    fn only_abbreviations_offer_their_word_to_the_dictionary() {
        let linter = Linter::with_default_rules().unwrap();
        let (doc, findings) =
            linter.check_text("Ремонт МКД запланирован.\nВаш вопрос взят на контроль.\n");
        let offered: Vec<&str> = findings
            .iter()
            .filter_map(|f| linter.dictionary_word(f, doc.text()))
            .collect();
        assert_eq!(offered, ["МКД"]);
        let abbreviation = findings
            .iter()
            .find(|f| f.category == Category::Abbreviation)
            .expect("МКД is found");
        assert_eq!(
            linter.dictionary_key(&abbreviation.code),
            DictionaryKey::RuleOption {
                code: abbreviation.code.to_string(),
                key: "known".into()
            }
        );
        assert!(findings.len() > offered.len(), "{findings:?}");
        let other = findings
            .iter()
            .find(|f| f.category != Category::Abbreviation)
            .unwrap();
        assert_eq!(
            linter.dictionary_key(&other.code),
            DictionaryKey::AcceptedWords
        );
        assert_eq!(linter.dictionary_key("XX999"), DictionaryKey::AcceptedWords);
        let mut long = abbreviation.clone();
        long.range = 0..doc.text().len();
        assert_eq!(linter.dictionary_word(&long, doc.text()), None);
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
