//! Rules as data: the TOML files of `rules/` (embedded as defaults) and any a user adds.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use serde::Deserialize;

use super::pattern::{self, Pattern, Vocabulary};
use crate::finding::Profile;
use crate::finding::{Category, Severity};

/// The default rule files, embedded at build time (see build.rs): every `rules/*.toml`.
pub const DEFAULT_RULE_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/default_rules.rs"));

/// The same files converted to JSON at build time: the defaults are loaded from these, since
/// JSON parses several times faster than TOML and start-up counts on every check.
const DEFAULT_RULE_FILES_JSON: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/default_rules_json.rs"));

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    category: Category,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    rule: Vec<RuleEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    code: String,
    name: String,
    title: String,
    message: String,
    explanation: String,
    clause: String,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    check: Option<String>,
    /// Profiles the rule applies to; empty = all.
    #[serde(default)]
    profiles: Vec<Profile>,
    /// The first suggestion may be applied without a person reading it, when the engine has put
    /// it into an agreeing form without doubt (see `Applicability`).
    #[serde(default)]
    safe_fix: bool,
    /// Opt-in rules (`enabled = false`) run only when a config selects them by code or name.
    #[serde(default = "enabled_by_default")]
    enabled: bool,
    #[serde(default)]
    good: Vec<String>,
    /// Examples for rules implemented in code; phrase rules keep theirs on each phrase.
    #[serde(default)]
    bad: Vec<ExampleEntry>,
    #[serde(default)]
    phrase: Vec<PhraseEntry>,
    /// Free-form settings of a built-in check (`check = "…"`), such as a limit.
    #[serde(default)]
    options: toml::Table,
    /// The rule replaces a loaded rule of the same code (a built-in one): said on purpose.
    #[serde(default, rename = "override")]
    replaces: bool,
}

fn enabled_by_default() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseEntry {
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    suggest: Vec<SuggestEntry>,
    /// `false`: the phrase's replacement is never applied without a person, whatever the rule says.
    #[serde(default)]
    safe_fix: Option<bool>,
    #[serde(default)]
    advice: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    bad: Vec<ExampleEntry>,
    #[serde(default)]
    exceptions: Vec<String>,
}

/// A replacement: plain text, or a table saying what else it changes around it.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a replacement: a string, or a table with `text` and optionally `governs`, `drops_comma`"
)]
enum SuggestEntry {
    Plain(String),
    Shaped(ShapedSuggestion),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ShapedSuggestion {
    text: String,
    #[serde(default)]
    governs: Option<String>,
    #[serde(default)]
    drops_comma: bool,
}

/// A `bad` example: the sentence alone, or with the text its first suggestion makes of it.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "an example: a string, or a table with `text` and `fixed`"
)]
enum ExampleEntry {
    Plain(String),
    Fixed(FixedExample),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixedExample {
    text: String,
    fixed: String,
}

/// The examples' sentences, and parallel to them the expected fixed texts.
fn split_examples(entries: Vec<ExampleEntry>) -> (Vec<String>, Vec<Option<String>>) {
    entries
        .into_iter()
        .map(|entry| match entry {
            ExampleEntry::Plain(text) => (text, None),
            ExampleEntry::Fixed(FixedExample { text, fixed }) => (text, Some(fixed)),
        })
        .unzip()
}

/// What a replacement changes besides the replaced words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplacementShape {
    /// The case (a UD value: Gen, Dat, Acc, Ins, Loc) that the replacing preposition governs: the
    /// words the pattern matched after the replaced ones are put into it and replaced too.
    pub governs: Option<&'static str>,
    /// The replacement takes no comma after it («поэтому»): at the start of a sentence, a comma
    /// right after the replaced words goes with them.
    pub drops_comma: bool,
}

/// The UD cases a preposition may govern.
const GOVERNED_CASES: [&str; 5] = ["Gen", "Dat", "Acc", "Ins", "Loc"];

/// A rule: a stable code with its documentation, and the phrases it looks for (if it is a phrase
/// rule) or the name of the built-in check that implements it.
#[derive(Debug)]
pub struct Rule {
    pub code: Arc<str>,
    pub name: Arc<str>,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    pub message: String,
    pub explanation: String,
    pub clause: String,
    /// Sentences that must not produce this rule (tests run them).
    pub good: Vec<String>,
    /// Sentences that must produce this rule, for rules implemented in code.
    pub bad: Vec<String>,
    /// Parallel to `bad`: the sentence with the rule's first suggestion applied, where it has one.
    pub bad_fixed: Vec<Option<String>>,
    /// Set for rules implemented in code (an analyzer looks its rule up by this name); a rule
    /// with phrases and a check gives its phrase matches to that analyzer instead of reporting them.
    pub check: Option<String>,
    pub options: toml::Table,
    /// Profiles the rule applies to; empty = all.
    pub profiles: Vec<Profile>,
    /// The first suggestion may be applied without a person reading it, when the engine has put
    /// it into an agreeing form without doubt (see `Applicability`).
    pub safe_fix: bool,
    /// False for opt-in rules: they run only when selected by code or name.
    pub enabled: bool,
    pub phrases: Vec<Phrase>,
    /// The file the rule came from, for messages.
    pub origin: Arc<str>,
    /// What an analyzer derives from `options` (word lists looked up in the dictionary), kept
    /// with the rule so that it is worked out once, not for every document: see `prepared`.
    prepared: OnceLock<Arc<dyn Any + Send + Sync>>,
    /// The settings of further types, when more than one analyzer reads the rule (rare): one
    /// each, kept under a lock, so that none is made again for every document.
    prepared_more: Mutex<Vec<Arc<dyn Any + Send + Sync>>>,
}

#[derive(Debug)]
pub struct Phrase {
    pub patterns: Vec<Pattern>,
    pub exceptions: Vec<Pattern>,
    pub suggest: Vec<String>,
    /// Parallel to `suggest`: what each replacement changes besides the replaced words.
    pub shapes: Vec<ReplacementShape>,
    /// The rule's `safe_fix`, or the phrase's own when it says (a replacement that changes the
    /// meaning in some uses is never safe).
    pub safe_fix: bool,
    /// Shared with every finding of the phrase.
    pub advice: Option<Arc<str>>,
    pub message: Option<String>,
    /// Sentences that must produce this rule (tests run them).
    pub bad: Vec<String>,
    /// Parallel to `bad`: the sentence with the phrase's first suggestion applied.
    pub bad_fixed: Vec<Option<String>>,
}

#[derive(Debug)]
pub struct RuleError {
    pub origin: String,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

impl std::error::Error for RuleError {}

/// Every rule, compiled, with the vocabulary its patterns use.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub vocabulary: Vocabulary,
    by_code: HashMap<Arc<str>, usize>,
    by_check: HashMap<String, usize>,
    tag_cache: HashMap<String, Arc<pattern::TagFilter>>,
}

impl RuleSet {
    /// The rules embedded in the binary.
    pub fn defaults() -> Result<Self, RuleError> {
        let mut set = RuleSet::default();
        for (name, text) in DEFAULT_RULE_FILES {
            let origin = format!("rules/{name}");
            match DEFAULT_RULE_FILES_JSON.iter().find(|(n, _)| n == name) {
                Some((_, json)) => {
                    let file: RuleFile = serde_json::from_str(json).map_err(|e| RuleError {
                        origin: origin.clone(),
                        message: e.to_string(),
                    })?;
                    set.add_parsed(&origin, file)?;
                }
                // Not valid TOML (build.rs skipped it): the TOML parser says where.
                None => set.add_file(&origin, text)?,
            }
        }
        Ok(set)
    }

    /// Adds the rules of one TOML file. A rule whose code already exists replaces the earlier one
    /// only when it says `override = true`: a rule folder cannot quietly redefine a built-in rule.
    pub fn add_file(&mut self, origin: &str, text: &str) -> Result<(), RuleError> {
        let error = |message: String| RuleError {
            origin: origin.to_string(),
            message,
        };
        let file: RuleFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
            let message = e.message().trim().to_string();
            match line {
                Some(line) => error(format!("line {line}: {message}")),
                None => error(message),
            }
        })?;
        self.add_parsed(origin, file)
    }

    fn add_parsed(&mut self, origin: &str, file: RuleFile) -> Result<(), RuleError> {
        let error = |message: String| RuleError {
            origin: origin.to_string(),
            message,
        };
        let origin: Arc<str> = Arc::from(origin);
        for entry in file.rule {
            let code = entry.code.clone();
            let replaces = entry.replaces;
            if !replaces && let Some(existing) = self.get(&code) {
                return Err(error(format!(
                    "rule {code}: the code is already taken by a rule from {}; write `override = true` in this rule to replace it",
                    existing.origin
                )));
            }
            let rule = self
                .compile_rule(entry, file.category, file.severity, origin.clone())
                .map_err(|message| error(format!("rule {code}: {message}")))?;
            match self.by_code.get(&rule.code) {
                Some(&index) => self.rules[index] = rule,
                None => {
                    self.by_code.insert(rule.code.clone(), self.rules.len());
                    self.rules.push(rule);
                }
            }
        }
        self.by_check = self
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.check.clone().map(|c| (c, i)))
            .collect();
        Ok(())
    }

    fn compile_rule(
        &mut self,
        entry: RuleEntry,
        category: Category,
        file_severity: Option<Severity>,
        origin: Arc<str>,
    ) -> Result<Rule, String> {
        let rule_safe_fix = entry.safe_fix;
        if entry.code.is_empty()
            || !entry
                .code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return Err("a code is upper-case Latin letters and digits, such as JA001".into());
        }
        if entry.phrase.is_empty() && entry.check.is_none() {
            return Err("a rule needs phrases or a `check`".into());
        }
        let mut phrases = Vec::with_capacity(entry.phrase.len());
        for (index, phrase) in entry.phrase.into_iter().enumerate() {
            let sources: Vec<String> = phrase.pattern.into_iter().chain(phrase.patterns).collect();
            if sources.is_empty() {
                return Err(format!("phrase {} has no pattern", index + 1));
            }
            let compile_all =
                |sources: &[String], set: &mut RuleSet| -> Result<Vec<Pattern>, String> {
                    sources
                        .iter()
                        .map(|s| {
                            pattern::compile(s, &mut set.vocabulary, &mut set.tag_cache)
                                .map_err(|e| format!("pattern `{s}`: {e}"))
                        })
                        .collect()
                };
            let patterns = compile_all(&sources, self)?;
            let exceptions = compile_all(&phrase.exceptions, self)?;
            let mut suggest = Vec::with_capacity(phrase.suggest.len());
            let mut shapes = Vec::with_capacity(phrase.suggest.len());
            for entry in phrase.suggest {
                let (text, shape) = match entry {
                    SuggestEntry::Plain(text) => (text, ReplacementShape::default()),
                    SuggestEntry::Shaped(ShapedSuggestion {
                        text,
                        governs,
                        drops_comma,
                    }) => {
                        let governs = match governs {
                            None => None,
                            Some(case) => Some(
                                GOVERNED_CASES
                                    .into_iter()
                                    .find(|known| *known == case)
                                    .ok_or_else(|| {
                                        format!(
                                            "suggestion `{text}`: `governs` is one of {}, not `{case}`",
                                            GOVERNED_CASES.join(", ")
                                        )
                                    })?,
                            ),
                        };
                        (
                            text,
                            ReplacementShape {
                                governs,
                                drops_comma,
                            },
                        )
                    }
                };
                suggest.push(text);
                shapes.push(shape);
            }
            let (bad, bad_fixed) = split_examples(phrase.bad);
            phrases.push(Phrase {
                patterns,
                exceptions,
                suggest,
                shapes,
                safe_fix: phrase.safe_fix.unwrap_or(rule_safe_fix),
                advice: phrase.advice.map(Arc::from),
                message: phrase.message,
                bad,
                bad_fixed,
            });
        }
        let (bad, bad_fixed) = split_examples(entry.bad);
        Ok(Rule {
            code: Arc::from(entry.code),
            name: Arc::from(entry.name),
            title: entry.title,
            category,
            severity: entry
                .severity
                .or(file_severity)
                .unwrap_or(Severity::Warning),
            message: entry.message,
            explanation: entry.explanation.trim().to_string(),
            clause: entry.clause,
            good: entry.good,
            bad,
            bad_fixed,
            check: entry.check,
            options: entry.options,
            profiles: entry.profiles,
            safe_fix: entry.safe_fix,
            enabled: entry.enabled,
            phrases,
            origin,
            prepared: OnceLock::new(),
            prepared_more: Mutex::default(),
        })
    }

    pub fn get(&self, code: &str) -> Option<&Rule> {
        self.by_code.get(code).map(|&i| &self.rules[i])
    }

    /// The rule that a built-in check reports under, if that rule is loaded.
    pub fn for_check(&self, check: &str) -> Option<&Rule> {
        self.by_check.get(check).map(|&i| &self.rules[i])
    }

    pub fn phrase_count(&self) -> usize {
        self.rules.iter().map(|r| r.phrases.len()).sum()
    }
}

impl Rule {
    /// A whole-number setting from `[rule.options]`; negative values count as 0.
    pub fn option_usize(&self, key: &str, default: usize) -> usize {
        self.options
            .get(key)
            .and_then(|v| v.as_integer())
            .map_or(default, |v| v.max(0) as usize)
    }

    /// A text setting from `[rule.options]`.
    pub fn option_str(&self, key: &str) -> Option<&str> {
        self.options.get(key).and_then(|v| v.as_str())
    }

    /// A list of texts from `[rule.options]`; empty when absent.
    pub fn option_strings(&self, key: &str) -> Vec<&str> {
        self.options
            .get(key)
            .and_then(|v| v.as_array())
            .map(|items| items.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default()
    }

    /// The analyzer settings `make` derives from this rule, made on first use and then shared:
    /// once per rule and type.
    pub fn prepared<T: Any + Send + Sync>(&self, make: impl FnOnce(&Rule) -> T) -> Arc<T> {
        // The first type asked for is read without a lock: it is the one analyzer of the rule.
        let mut make = Some(make);
        let first = self.prepared.get_or_init(|| {
            let make = make.take().expect("made once");
            Arc::new(make(self))
        });
        if let Ok(value) = first.clone().downcast::<T>() {
            return value;
        }
        // The first slot holds another type, so `make` was not used.
        let make = make.expect("not used for the first slot");
        let mut more = self
            .prepared_more
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(value) = more
            .iter()
            .find_map(|stored| stored.clone().downcast::<T>().ok())
        {
            return value;
        }
        let value = Arc::new(make(self));
        more.push(value.clone() as Arc<dyn Any + Send + Sync>);
        value
    }

    /// The message of a finding: the phrase's own message or the rule's, with `{found}` filled in.
    pub fn message_for(&self, phrase: Option<&Phrase>, found: &str) -> String {
        let template = phrase
            .and_then(|p| p.message.as_deref())
            .unwrap_or(&self.message);
        fill_found(template, found)
    }
}

/// `template` with each `{found}` replaced by the found words, on one line and single-spaced (a
/// match may span a line break).
fn fill_found(template: &str, found: &str) -> String {
    // Called for every finding: a search for the brace (a byte search) is several times cheaper
    // than `str::replace`'s search for the whole placeholder.
    let mut message = String::with_capacity(template.len() + found.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        message.push_str(&rest[..at]);
        match rest[at..].strip_prefix("{found}") {
            Some(after) => {
                for (i, word) in found.split_whitespace().enumerate() {
                    if i > 0 {
                        message.push(' ');
                    }
                    message.push_str(word);
                }
                rest = after;
            }
            None => {
                message.push('{');
                rest = &rest[at + 1..];
            }
        }
    }
    message.push_str(rest);
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_found_words_on_one_line() {
        for (template, found, expected) in [
            (
                "«{found}» — канцелярит",
                "в  целях\nобеспечения",
                "«в целях обеспечения» — канцелярит",
            ),
            ("{found}, {found}", "да", "да, да"),
            ("{x} {found", "да", "{x} {found"),
            ("без слова", "да", "без слова"),
            ("{{found}}", " да ", "{да}"),
        ] {
            assert_eq!(fill_found(template, found), expected);
        }
    }

    #[test]
    fn replacement_tables_are_checked() {
        let rule = |suggest: &str| {
            format!(
                "category = \"jargon\"\n[[rule]]\ncode = \"XX001\"\nname = \"x\"\ntitle = \"x\"\n\
                 message = \"x\"\nexplanation = \"x\"\nclause = \"п. 1\"\n[[rule.phrase]]\n\
                 pattern = \"в связь с\"\nsuggest = [{suggest}]\n\
                 bad = [{{ text = \"В связи с ремонтом.\", fixed = \"Из-за ремонта.\" }}]\n"
            )
        };
        let mut set = RuleSet::default();
        set.add_file(
            "ok.toml",
            &rule(r#"{ text = "из-за", governs = "Gen" }, "ввиду""#),
        )
        .unwrap();
        let phrase = &set.get("XX001").unwrap().phrases[0];
        assert_eq!(phrase.suggest, ["из-за", "ввиду"]);
        assert_eq!(phrase.shapes[0].governs, Some("Gen"));
        assert_eq!(phrase.bad_fixed, [Some("Из-за ремонта.".to_string())]);
        let error = RuleSet::default()
            .add_file(
                "case.toml",
                &rule(r#"{ text = "из-за", governs = "Genitive" }"#),
            )
            .unwrap_err()
            .to_string();
        assert!(error.contains("`governs` is one of Gen"), "{error}");
        let error = RuleSet::default()
            .add_file("key.toml", &rule(r#"{ text = "из-за", govern = "Gen" }"#))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("a replacement: a string, or a table"),
            "{error}"
        );
    }

    #[test]
    fn prepared_settings_are_made_once_per_rule() {
        let rules = RuleSet::defaults().unwrap();
        let rule = rules
            .for_check("refusal")
            .expect("the refusal rule is loaded");
        let made = std::cell::Cell::new(0);
        let make = |rule: &Rule| {
            made.set(made.get() + 1);
            rule.code.to_string()
        };
        let first = rule.prepared(make);
        let second = rule.prepared(make);
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(made.get(), 1);
        // Another type is not served the cached value, and is made once too.
        let other = rule.prepared(|_| {
            made.set(made.get() + 1);
            7u32
        });
        assert_eq!(*other, 7);
        assert!(Arc::ptr_eq(&other, &rule.prepared(|_| 8u32)));
        assert!(Arc::ptr_eq(&rule.prepared(make), &first));
        assert_eq!(made.get(), 2);
    }
}
