//! Rules as data: the TOML files of `rules/` (embedded as defaults) and any a user adds.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::markers::MarkerList;
use super::pattern::{self, Pattern, Vocabulary};
use crate::finding::{Category, Severity};
use crate::finding::{LetterKind, Profile};

/// The default rule files, embedded at build time (see build.rs): every `rules/*.toml`.
pub const DEFAULT_RULE_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/default_rules.rs"));

/// The same files converted to JSON at build time: the defaults are loaded from these, since
/// JSON parses several times faster than TOML and start-up counts on every check.
const DEFAULT_RULE_FILES_JSON: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/default_rules_json.rs"));

/// What makes a rule's match not worth reporting (`unless_next` in rules/*.toml).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unless {
    /// The same or the next sentence names a date, a weekday or a term («до 10 июня», «в
    /// четверг», «в течение 5 рабочих дней»): the process phrase has its result.
    Date,
}

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
    /// Kinds of text the rule applies to (`LetterKind`); empty = all.
    #[serde(default)]
    kinds: Vec<LetterKind>,
    /// The context in which a match is not reported (`analyzers::context`).
    #[serde(default)]
    unless_next: Option<Unless>,
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
    /// Named lists of patterns that a built-in check looks for around what it found.
    #[serde(default)]
    markers: BTreeMap<String, Vec<String>>,
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

/// One rule file read from TOML; a syntax error says on which line.
fn parse_file(origin: &str, text: &str) -> Result<RuleFile, RuleError> {
    toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
        let message = e.message().trim().to_string();
        RuleError {
            origin: origin.to_string(),
            message: match line {
                Some(line) => format!("line {line}: {message}"),
                None => message,
            },
        }
    })
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
    /// `[rule.markers]`: named lists of patterns a built-in check reads (the signs of a reason
    /// near a refusal), compiled like the phrase patterns.
    pub markers: BTreeMap<String, MarkerList>,
    /// Profiles the rule applies to; empty = all.
    pub profiles: Vec<Profile>,
    /// Kinds of text the rule applies to; empty = all.
    pub kinds: Vec<LetterKind>,
    /// A match is not reported where this holds in its own or the next sentence.
    pub unless_next: Option<Unless>,
    /// The first suggestion may be applied without a person reading it, when the engine has put
    /// it into an agreeing form without doubt (see `Applicability`).
    pub safe_fix: bool,
    /// False for opt-in rules: they run only when selected by code or name.
    pub enabled: bool,
    pub phrases: Vec<Phrase>,
    /// The file the rule came from, for messages.
    pub origin: Arc<str>,
    /// What its check derives from `options` (word lists looked up in the dictionary), kept
    /// with the rule so that it is worked out once, not for every document: see `prepared`.
    prepared: OnceLock<Box<dyn Any + Send + Sync>>,
    /// Loaded from the embedded defaults: only such a rule may be replaced (`override = true`).
    builtin: bool,
}

/// What a built-in check declares for the rules it reports under, those whose `check` is `NAME`:
/// the typed `[rule.options]` they take, the marker lists they give, and what it works out from
/// the options once per rule set.
/// The analyzers implement it, and `analyzers::registry` lists every check: a rule that names
/// another check, or gives an option its type does not have, does not load.
pub trait CheckKind: 'static {
    const NAME: &'static str;
    /// Whether more than one rule may name the check; otherwise the check reports under one
    /// rule, and a second rule naming it is a load error rather than a rule that never fires.
    const MANY_RULES: bool = false;
    /// The marker lists (`[rule.markers]`) its rules give: each must be there, and no other.
    const MARKERS: &'static [&'static str] = &[];
    /// The rule's `[rule.options]`, with `#[serde(deny_unknown_fields)]`. The values live in the
    /// rule data only: no field has a default in Rust (one that may be left out is an `Option`).
    type Options: DeserializeOwned;
    type Prepared: Send + Sync + 'static;
    fn prepare(options: Self::Options) -> Self::Prepared;
}

/// A check that uses its rules' options as they are read, with nothing prepared from them:
/// `check_kind!(/// doc… pub struct Kind = "check-name"; options = KindOptions; many_rules = false);`
#[macro_export]
macro_rules! check_kind {
    ($(#[$meta:meta])* $vis:vis struct $kind:ident = $name:literal;
     options = $options:ty; many_rules = $many:expr) => {
        $(#[$meta])*
        $vis struct $kind;

        impl $crate::engine::CheckKind for $kind {
            const NAME: &'static str = $name;
            const MANY_RULES: bool = $many;
            type Options = $options;
            type Prepared = $options;
            fn prepare(options: $options) -> $options {
                options
            }
        }
    };
}

/// The options of a check that takes none: any option is an error.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// The options of a rule read as `O`; the error names the option at fault.
pub fn read_options<O: DeserializeOwned>(options: &toml::Table) -> Result<O, String> {
    let value = toml::Value::Table(options.clone());
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        // The first line: the TOML reader adds one naming the key, which `path` names already.
        let message = message.lines().next().unwrap_or_default().trim();
        if path == "." {
            format!("options: {message}")
        } else {
            format!("option `{path}`: {message}")
        }
    })
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
    /// Every rule of each check, in load order.
    by_check: HashMap<String, Vec<usize>>,
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
                    set.add_parsed(&origin, file, true)?;
                }
                // Not valid TOML (build.rs skipped it): the TOML parser says where.
                None => {
                    let file = parse_file(&origin, text)?;
                    set.add_parsed(&origin, file, true)?;
                }
            }
        }
        Ok(set)
    }

    /// Adds the rules of one of a user's TOML files. A code is taken once: a rule whose code is
    /// already taken replaces a built-in rule only when it says `override = true`, so a rule
    /// folder cannot quietly redefine a built-in rule, and never replaces another user rule.
    pub fn add_file(&mut self, origin: &str, text: &str) -> Result<(), RuleError> {
        let file = parse_file(origin, text)?;
        self.add_parsed(origin, file, false)
    }

    fn add_parsed(&mut self, origin: &str, file: RuleFile, builtin: bool) -> Result<(), RuleError> {
        let error = |message: String| RuleError {
            origin: origin.to_string(),
            message,
        };
        let origin: Arc<str> = Arc::from(origin);
        for entry in file.rule {
            let code = entry.code.clone();
            if let Some(existing) = self.get(&code) {
                let taken = format!(
                    "rule {code}: the code is already taken by a rule from {}",
                    existing.origin
                );
                if builtin || !existing.builtin {
                    return Err(error(format!("{taken}; give this rule a code of its own")));
                }
                if !entry.replaces {
                    return Err(error(format!(
                        "{taken}; write `override = true` in this rule to replace it"
                    )));
                }
            }
            let mut rule = self
                .compile_rule(entry, file.category, file.severity, origin.clone())
                .map_err(|message| error(format!("rule {code}: {message}")))?;
            rule.builtin = builtin;
            match self.by_code.get(&rule.code) {
                Some(&index) => self.rules[index] = rule,
                None => {
                    self.by_code.insert(rule.code.clone(), self.rules.len());
                    self.rules.push(rule);
                }
            }
        }
        self.by_check.clear();
        for (i, rule) in self.rules.iter().enumerate() {
            if let Some(check) = &rule.check {
                self.by_check.entry(check.clone()).or_default().push(i);
            }
        }
        Ok(())
    }

    /// Compiles patterns into the rule set's vocabulary; an error names the pattern, after `context`.
    fn compile_patterns(
        &mut self,
        sources: &[String],
        context: &str,
    ) -> Result<Vec<Pattern>, String> {
        sources
            .iter()
            .map(|s| {
                pattern::compile(s, &mut self.vocabulary, &mut self.tag_cache)
                    .map_err(|e| format!("{context}pattern `{s}`: {e}"))
            })
            .collect()
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
        let declares_safe = rule_safe_fix || entry.phrase.iter().any(|p| p.safe_fix == Some(true));
        if let Some(refusal) = category.refuses_rule(&entry.code, declares_safe) {
            return Err(refusal);
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
            let patterns = self.compile_patterns(&sources, "")?;
            let exceptions = self.compile_patterns(&phrase.exceptions, "")?;
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
        let mut markers = BTreeMap::new();
        for (name, sources) in entry.markers {
            let compiled = self.compile_patterns(&sources, &format!("marker list `{name}`, "))?;
            markers.insert(name, MarkerList::new(compiled));
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
            markers,
            profiles: entry.profiles,
            kinds: entry.kinds,
            unless_next: entry.unless_next,
            safe_fix: entry.safe_fix,
            enabled: entry.enabled,
            phrases,
            origin,
            prepared: OnceLock::new(),
            builtin: false,
        })
    }

    pub fn get(&self, code: &str) -> Option<&Rule> {
        self.by_code.get(code).map(|&i| &self.rules[i])
    }

    /// Adds patterns to the marker list `name` of rule `index` (a config's `rule-options`).
    pub fn extend_markers(
        &mut self,
        index: usize,
        name: &str,
        sources: &[String],
    ) -> Result<(), String> {
        let added = self.compile_patterns(sources, &format!("marker list `{name}`, "))?;
        let list = self.rules[index]
            .markers
            .entry(name.to_string())
            .or_default();
        let mut patterns = std::mem::take(list).into_patterns();
        patterns.extend(added);
        *list = MarkerList::new(patterns);
        Ok(())
    }

    /// Every rule that a built-in check reports under, in load order.
    pub fn for_check(&self, check: &str) -> impl Iterator<Item = &Rule> + '_ {
        self.by_check
            .get(check)
            .into_iter()
            .flatten()
            .map(|&i| &self.rules[i])
    }

    /// The one rule of a check that reports under one rule (`CheckKind::MANY_RULES` is false),
    /// if it is loaded.
    pub fn rule_of<K: CheckKind>(&self) -> Option<&Rule> {
        debug_assert!(!K::MANY_RULES, "{} has many rules", K::NAME);
        self.for_check(K::NAME).next()
    }

    pub fn phrase_count(&self) -> usize {
        self.rules.iter().map(|r| r.phrases.len()).sum()
    }
}

impl Rule {
    /// The marker list `name` of `[rule.markers]`; empty when the rule has none of that name.
    pub fn markers(&self, name: &str) -> &MarkerList {
        static NONE: MarkerList = MarkerList::EMPTY;
        self.markers.get(name).unwrap_or(&NONE)
    }

    /// What check `K` works out from this rule's options, made on first use and then kept with
    /// the rule: once per rule set, not for every document. The options were checked when the
    /// rules were loaded (`analyzers::registry::validate`).
    pub fn prepared<K: CheckKind>(&self) -> &K::Prepared {
        debug_assert_eq!(self.check.as_deref(), Some(K::NAME));
        self.prepared
            .get_or_init(|| {
                let options = read_options::<K::Options>(&self.options)
                    .unwrap_or_else(|e| panic!("{}: rule {}: {e}", self.origin, self.code));
                Box::new(K::prepare(options))
            })
            .downcast_ref()
            .expect("a rule has one check, so one type of prepared options")
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
                "category = \"jargon\"\n[[rule]]\ncode = \"JA901\"\nname = \"x\"\ntitle = \"x\"\n\
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
        let phrase = &set.get("JA901").unwrap().phrases[0];
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

    /// A rule file of one rule `code` with `extra` lines.
    fn rule_file(code: &str, extra: &str) -> String {
        format!(
            "category = \"jargon\"\n[[rule]]\ncode = \"{code}\"\nname = \"x\"\ntitle = \"x\"\n\
             message = \"x\"\nexplanation = \"x\"\nclause = \"п. 1\"\n{extra}\n"
        )
    }

    #[test]
    fn malformed_markers_are_load_errors() {
        let file = |markers: &str| {
            format!(
                "category = \"refusal\"\n[[rule]]\ncode = \"RF901\"\nname = \"x\"\ncheck = \"x\"\n\
                 title = \"x\"\nmessage = \"x\"\nexplanation = \"x\"\nclause = \"x\"\n\
                 [rule.markers]\n{markers}\n"
            )
        };
        let mut set = RuleSet::default();
        set.add_file(
            "ok.toml",
            &file(r#"reasons = ["потому, что", "вы *2 мочь"]"#),
        )
        .unwrap();
        let reasons = set.get("RF901").unwrap().markers("reasons");
        assert_eq!(reasons.len(), 2);
        assert!(set.get("RF901").unwrap().markers("other").is_empty());
        for (markers, expected) in [
            (
                r#"reasons = ["*x потому"]"#,
                "rule RF901: marker list `reasons`, pattern `*x потому`: bad gap `*x`",
            ),
            (
                r#"reasons = ["потому *"]"#,
                "marker list `reasons`, pattern `потому *`: a pattern must start and end",
            ),
            (
                r#"reasons = ["{XYZ}"]"#,
                "marker list `reasons`, pattern `{XYZ}`",
            ),
            (r#"reasons = "потому""#, "line "),
        ] {
            let error = RuleSet::default()
                .add_file("bad.toml", &file(markers))
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn prepared_settings_are_made_once_per_rule() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static MADE: AtomicUsize = AtomicUsize::new(0);
        struct Counted;
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Limit {
            limit: usize,
        }
        impl CheckKind for Counted {
            const NAME: &'static str = "counted";
            type Options = Limit;
            type Prepared = usize;
            fn prepare(options: Limit) -> usize {
                MADE.fetch_add(1, Ordering::Relaxed);
                options.limit * 2
            }
        }
        let mut set = RuleSet::default();
        set.add_file(
            "t.toml",
            &rule_file("JA901", "check = \"counted\"\n[rule.options]\nlimit = 3"),
        )
        .unwrap();
        let rule = set.for_check("counted").next().unwrap();
        let first: *const usize = rule.prepared::<Counted>();
        assert_eq!(*rule.prepared::<Counted>(), 6);
        assert_eq!(first, rule.prepared::<Counted>() as *const usize);
        assert_eq!(MADE.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn every_rule_of_a_check_is_found() {
        let mut set = RuleSet::default();
        for code in ["JA901", "JA902"] {
            set.add_file(&format!("{code}.toml"), &rule_file(code, "check = \"c\""))
                .unwrap();
        }
        let codes: Vec<&str> = set.for_check("c").map(|r| &*r.code).collect();
        assert_eq!(codes, ["JA901", "JA902"]);
        assert_eq!(set.for_check("other").count(), 0);
    }

    #[test]
    fn a_code_is_taken_once() {
        let phrase = "[[rule.phrase]]\npattern = \"в связь с\"\nbad = [\"В связи с этим.\"]";
        let add = |set: &mut RuleSet, origin: &str, extra: &str| {
            set.add_file(origin, &rule_file("JA901", &format!("{extra}\n{phrase}")))
                .map_err(|e| e.to_string())
        };
        // Two user files, with or without `override`: the second is refused.
        for extra in ["", "override = true"] {
            let mut set = RuleSet::default();
            add(&mut set, "a.toml", "").unwrap();
            let error = add(&mut set, "b.toml", extra).unwrap_err();
            assert_eq!(
                error,
                "b.toml: rule JA901: the code is already taken by a rule from a.toml; give this rule a code of its own"
            );
        }
        // Twice in one file.
        let twice = format!(
            "{}\n{}",
            rule_file("JA901", phrase),
            rule_file("JA901", phrase).replace("category = \"jargon\"\n", "")
        );
        let error = RuleSet::default()
            .add_file("c.toml", &twice)
            .unwrap_err()
            .to_string();
        assert!(
            error
                .starts_with("c.toml: rule JA901: the code is already taken by a rule from c.toml"),
            "{error}"
        );
        // Among the defaults, `override` or not.
        for extra in ["", "override = true"] {
            let mut set = RuleSet::default();
            let text = rule_file("JA901", &format!("{extra}\n{phrase}"));
            let file = parse_file("rules/a.toml", &rule_file("JA901", phrase)).unwrap();
            set.add_parsed("rules/a.toml", file, true).unwrap();
            let file = parse_file("rules/b.toml", &text).unwrap();
            let error = set
                .add_parsed("rules/b.toml", file, true)
                .unwrap_err()
                .to_string();
            assert!(
                error.ends_with("give this rule a code of its own"),
                "{error}"
            );
        }
        // A built-in code: only with `override = true`.
        let mut set = RuleSet::defaults().unwrap();
        let code = set
            .rules
            .iter()
            .find(|rule| rule.category == Category::Jargon)
            .expect("a built-in jargon rule")
            .code
            .to_string();
        let user = rule_file(&code, phrase);
        let error = set.add_file("user.toml", &user).unwrap_err().to_string();
        assert!(
            error.ends_with("write `override = true` in this rule to replace it"),
            "{error}"
        );
        let count = set.rules.len();
        set.add_file(
            "user.toml",
            &rule_file(&code, &format!("override = true\n{phrase}")),
        )
        .unwrap();
        assert_eq!(set.rules.len(), count);
        assert_eq!(&*set.get(&code).unwrap().origin, "user.toml");
    }
}
