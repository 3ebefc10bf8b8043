//! Configuration: `yasno.toml`, found upward from the checked file (then in the user's config
//! folder), or given with `--config`. Documented in docs/configuration.md.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::engine::{RuleError, RuleSet};
use crate::finding::{Category, Finding, Severity};

pub const CONFIG_FILE_NAMES: [&str; 2] = ["yasno.toml", ".yasno.toml"];

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}

/// The contents of a `yasno.toml`. Every field is optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub profile: Profile,
    /// Only these rules: codes, code prefixes, rule names or category names. Empty = all.
    #[serde(default)]
    pub select: Vec<String>,
    /// Never these rules (same selectors).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// More rules on top of `select`; the way to turn on opt-in rules (by code or name).
    #[serde(default)]
    pub extend_select: Vec<String>,
    #[serde(default)]
    pub fail_on: Option<FailOn>,
    /// Severity by code, prefix, name or category; the most specific selector wins.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Folders with more `*.toml` rule files, relative to the config file.
    #[serde(default)]
    pub rule_dirs: Vec<PathBuf>,
    /// Settings of rules, by code: arrays are added to the defaults, other values replace them.
    #[serde(default)]
    pub rule_options: BTreeMap<String, toml::Table>,
    /// Words the project accepts: never reported, whatever the rule.
    #[serde(default)]
    pub accepted_words: Vec<String>,
    /// Weights of `yasno score` (docs/scoring.md); every key optional.
    #[serde(default)]
    pub score: crate::score::ScoreConfig,
    /// Where the config came from (not a key of the file).
    #[serde(skip)]
    pub origin: Option<PathBuf>,
}

#[derive(Debug)]
pub struct ConfigError {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

/// Config and rule files are a few kilobytes; a larger one is a mistake (a path to a letter
/// archive, `/dev/zero`), so it is refused instead of read into memory. The language server takes
/// these paths from its client, and must not hang or run out of memory on them.
const MAX_SETTINGS_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a config or rule file: a regular file of at most `MAX_SETTINGS_FILE_BYTES`, in UTF-8.
fn read_settings_file(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut text = String::new();
    file.take(MAX_SETTINGS_FILE_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_SETTINGS_FILE_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!(
                "larger than {} MiB, which no config or rule file needs",
                MAX_SETTINGS_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    Ok(text)
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

impl From<RuleError> for ConfigError {
    fn from(e: RuleError) -> Self {
        ConfigError {
            path: e.origin,
            line: None,
            message: e.message,
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line where `key` first appears as a key, for messages about values that parse but are wrong.
fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.starts_with(key)
                || line.starts_with(&format!("\"{key}\""))
                || line.contains(&format!(".{key}]"))
        })
        .map(|index| index + 1)
}

impl Config {
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError {
            path: path.display().to_string(),
            line: e.span().map(|span| line_of(text, span.start)),
            message: e.message().trim().to_string(),
        })?;
        config.origin = Some(path.to_path_buf());
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_settings_file(path).map_err(|e| ConfigError {
            path: path.display().to_string(),
            line: None,
            message: format!("cannot read: {e}"),
        })?;
        Self::parse(&text, path)
    }

    /// The nearest config file at or above `start` (a file or a folder), else the user's one.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = if start.is_dir() {
            start.to_path_buf()
        } else {
            start.parent()?.to_path_buf()
        };
        let absolute = std::path::absolute(&start).unwrap_or(start);
        for dir in absolute.ancestors() {
            for name in CONFIG_FILE_NAMES {
                let candidate = dir.join(name);
                if candidate.is_file() {
                    return Some(candidate);
                }
            }
        }
        user_config_file()
    }

    /// The default rules, plus the config's rule folders, with its severities and options applied.
    pub fn build_rules(&self) -> Result<RuleSet, ConfigError> {
        let mut rules = RuleSet::defaults()?;
        let base = self
            .origin
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."));
        for dir in &self.rule_dirs {
            let dir = base.join(dir);
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map_err(|e| self.error(None, format!("rule folder {}: {e}", dir.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
                .collect();
            files.sort();
            for file in files {
                let text = read_settings_file(&file)
                    .map_err(|e| self.error(None, format!("{}: {e}", file.display())))?;
                rules.add_file(&file.display().to_string(), &text)?;
            }
        }
        self.apply(&mut rules)?;
        Ok(rules)
    }

    fn error(&self, key: Option<&str>, message: String) -> ConfigError {
        let path = self.origin.clone().unwrap_or_default();
        let line = key.and_then(|key| {
            read_settings_file(&path)
                .ok()
                .and_then(|text| line_of_key(&text, key))
        });
        ConfigError {
            path: path.display().to_string(),
            line,
            message,
        }
    }

    fn apply(&self, rules: &mut RuleSet) -> Result<(), ConfigError> {
        for selector in self
            .severity
            .keys()
            .chain(&self.select)
            .chain(&self.ignore)
            .chain(&self.extend_select)
        {
            if !rules
                .rules
                .iter()
                .any(|r| selector_matches(selector, &r.code, &r.name, r.category))
            {
                return Err(self.error(
                    Some(selector),
                    format!("`{selector}` names no rule, prefix or category (see `yasno rules`)"),
                ));
            }
        }
        for rule in &mut rules.rules {
            // The most specific selector wins: a code over a prefix over a category.
            let best = self
                .severity
                .iter()
                .filter(|(s, _)| selector_matches(s, &rule.code, &rule.name, rule.category))
                .max_by_key(|(s, _)| specificity(s, &rule.code, &rule.name));
            if let Some((_, &severity)) = best {
                rule.severity = severity;
            }
        }
        for (code, options) in &self.rule_options {
            let Some(rule) = rules
                .rules
                .iter_mut()
                .find(|r| &*r.code == code || &*r.name == code)
            else {
                return Err(self.error(Some(code), format!("rule-options: unknown rule `{code}`")));
            };
            for (key, value) in options {
                match (rule.options.get_mut(key), value) {
                    (Some(toml::Value::Array(existing)), toml::Value::Array(added)) => {
                        existing.extend(added.iter().cloned());
                    }
                    _ => {
                        rule.options.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether a finding survives `select`, `ignore`, opt-in rules and the accepted words.
    pub fn keeps(&self, finding: &Finding, found_text: &str, rule_enabled: bool) -> bool {
        let matches = |selectors: &[String]| {
            selectors
                .iter()
                .any(|s| selector_matches(s, &finding.code, &finding.name, finding.category))
        };
        let named = |selectors: &[String]| {
            selectors
                .iter()
                .any(|s| *s == *finding.code || *s == *finding.name)
        };
        if !rule_enabled {
            // An opt-in rule runs only when named exactly, never through a prefix or ALL.
            if !named(&self.select) && !named(&self.extend_select) {
                return false;
            }
        } else if !self.select.is_empty() && !matches(&self.select) && !matches(&self.extend_select)
        {
            return false;
        }
        if matches(&self.ignore) {
            return false;
        }
        if self.accepted_words.is_empty() {
            return true;
        }
        let found = crate::morphology::normalize(found_text.trim());
        !self
            .accepted_words
            .iter()
            .any(|w| crate::morphology::normalize(w) == found)
    }
}

/// A selector names a code («JA001»), a code prefix («JA»), a rule name or a category, or `ALL`.
pub fn selector_matches(selector: &str, code: &str, name: &str, category: Category) -> bool {
    selector == "ALL"
        || code.starts_with(selector)
        || name == selector
        || category.name() == selector
}

fn specificity(selector: &str, code: &str, name: &str) -> usize {
    if selector == code || selector == name {
        1000
    } else if code.starts_with(selector) {
        selector.len() + 10
    } else {
        1
    }
}

/// `$XDG_CONFIG_HOME/yasno/yasno.toml`, or `~/.config/yasno/yasno.toml`.
fn user_config_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))?;
    let file = base.join("yasno").join("yasno.toml");
    file.is_file().then_some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_line_and_key() {
        let error = Config::parse(
            "profile = \"external\"\nselekt = [\"JA\"]\n",
            Path::new("yasno.toml"),
        )
        .unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("yasno.toml:2:"), "{text}");
        assert!(text.contains("selekt"), "{text}");
        let error = Config::parse("fail-on = \"sometimes\"\n", Path::new("y.toml")).unwrap_err();
        assert!(error.to_string().starts_with("y.toml:1:"));
    }

    #[test]
    fn severities_prefer_the_most_specific_selector() {
        let config = Config::parse(
            "[severity]\njargon = \"hint\"\nJA = \"info\"\nFB001 = \"warning\"\n",
            Path::new("yasno.toml"),
        )
        .unwrap();
        let rules = config.build_rules().unwrap();
        for rule in &rules.rules {
            match (rule.category, &*rule.code) {
                (_, "FB001") => assert_eq!(rule.severity, Severity::Warning),
                (Category::Jargon, _) => assert_eq!(rule.severity, Severity::Info, "{}", rule.code),
                _ => {}
            }
        }
    }

    #[test]
    fn unknown_selectors_are_errors() {
        let config = Config::parse("ignore = [\"XYZ\"]\n", Path::new("yasno.toml")).unwrap();
        assert!(
            config
                .build_rules()
                .unwrap_err()
                .to_string()
                .contains("XYZ")
        );
    }
}
