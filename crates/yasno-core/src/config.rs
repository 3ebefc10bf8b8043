//! Configuration: `yasno.toml`, found upward from the checked file (then in the user's config
//! folder), or given with `--config`. Documented in docs/configuration.md.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::engine::{RuleError, RuleSet};
pub use crate::finding::Profile;
use crate::finding::{Category, Finding, Severity};

pub mod edit;
mod overrides;

pub use overrides::Overrides;

pub const CONFIG_FILE_NAMES: [&str; 2] = ["yasno.toml", ".yasno.toml"];

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
    /// Selectors ignored in some files only: a glob relative to the config's folder (a glob
    /// without `/` matches a file name in any folder) → selectors, as ruff's `per-file-ignores`.
    /// This is where the editor's «ignore here» goes, instead of the letter's text.
    #[serde(default)]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
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
    /// `false` for the pre-send gate: inline `yasno-ignore` directives silence nothing.
    #[serde(default)]
    pub inline_ignores: Option<bool>,
    /// Weights of `yasno score` (docs/scoring.md); every key optional.
    #[serde(default)]
    pub score: ScoreConfig,
    /// Says that the config's folder is the project root, for a project without a VCS folder.
    /// The nearest config is the one used, so the search stops at it in any case: the key
    /// records the project's layout and is accepted for that (docs/configuration.md).
    #[serde(default)]
    pub root: bool,
    /// Where the config came from (not a key of the file).
    #[serde(skip)]
    pub origin: Option<PathBuf>,
    /// The user named this file on the command line (`--config`): its `rule-dirs` may then be
    /// absolute or lead out of its folder.
    #[serde(skip)]
    pub named_by_user: bool,
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

    /// The `per-file-ignores` selectors that apply to `file` (a path as the caller gave it).
    pub fn ignores_for(&self, file: &Path) -> Vec<&str> {
        if self.per_file_ignores.is_empty() {
            return Vec::new();
        }
        let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        let base = self
            .origin
            .as_deref()
            .and_then(Path::parent)
            .and_then(|base| std::path::absolute(base).ok());
        let relative = base
            .as_deref()
            .and_then(|base| absolute.strip_prefix(base).ok())
            .unwrap_or(&absolute);
        let name = file.file_name().map(Path::new);
        let options = glob::MatchOptions {
            require_literal_separator: true,
            ..glob::MatchOptions::new()
        };
        self.per_file_ignores
            .iter()
            .filter(|(pattern, _)| {
                glob::Pattern::new(pattern).is_ok_and(|glob| {
                    glob.matches_path_with(relative, options)
                        || !pattern.contains('/')
                            && name.is_some_and(|name| glob.matches_path_with(name, options))
                })
            })
            .flat_map(|(_, selectors)| selectors.iter().map(String::as_str))
            .collect()
    }

    /// Whether inline `yasno-ignore` directives (in Markdown comments) silence findings.
    pub fn honours_inline_ignores(&self) -> bool {
        self.inline_ignores.unwrap_or(true)
    }

    /// The config file for `start` (a file, maybe a bare name such as `ex.txt`, or a folder,
    /// maybe `""`): the nearest trusted one in the project (see `discover_in_project`), else the
    /// user's own one. The one discovery of every front end: `check`, `rules`, `explain`, `score`
    /// and the language server.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        Self::discover_in_project(start).or_else(user_config_file)
    }

    /// The nearest config file at or above `start`, never above the project root (the first folder
    /// with `.git`, `.hg` or `.svn`) nor above the user's home.
    /// A config that another user could have written is skipped with a warning (see `trust`).
    pub fn discover_in_project(start: &Path) -> Option<PathBuf> {
        // A bare name has the empty parent: the search starts in the current folder.
        let start = if start.as_os_str().is_empty() {
            Path::new(".")
        } else {
            start
        };
        let absolute = std::path::absolute(start).ok()?;
        let folder = if absolute.is_dir() {
            absolute.as_path()
        } else {
            absolute.parent()?
        };
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .filter(|home| home.is_absolute() && home.as_os_str() != "/");
        for dir in folder.ancestors() {
            for name in CONFIG_FILE_NAMES {
                let candidate = dir.join(name);
                if candidate.is_file() {
                    match trust::check(&candidate) {
                        Ok(()) => return Some(candidate),
                        Err(why) => trust::warn_ignored(&candidate, &why),
                    }
                }
            }
            let is_project_root = [".git", ".hg", ".svn"]
                .iter()
                .any(|vcs| dir.join(vcs).exists());
            if is_project_root || home.as_deref() == Some(dir) {
                break;
            }
        }
        None
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
            for file in self.rule_files(base, dir)? {
                if let Err(why) = trust::check(&file) {
                    trust::warn_ignored(&file, &why);
                    continue;
                }
                let text = read_settings_file(&file)
                    .map_err(|e| self.error(None, format!("{}: {e}", file.display())))?;
                rules.add_file(&file.display().to_string(), &text)?;
            }
        }
        // The rule files first, so that an error in one names that file, not this config.
        crate::analyzers::registry::validate(&rules)?;
        self.apply(&mut rules)?;
        Ok(rules)
    }

    /// The `*.toml` files of one rule folder, in name order. A folder (or file) of a discovered
    /// config must lie inside the config's folder: `..`, an absolute path or a symbolic link that
    /// leads out would let a config bring in rules from anywhere. Only a config named with
    /// `--config` may point elsewhere.
    fn rule_files(&self, base: &Path, dir: &Path) -> Result<Vec<PathBuf>, ConfigError> {
        let joined = base.join(dir);
        let folder_error = |e: std::io::Error| {
            self.error(
                Some("rule-dirs"),
                format!("rule folder {}: {e}", joined.display()),
            )
        };
        let outside = |what: &Path| {
            self.error(
                Some("rule-dirs"),
                format!(
                    "rule folder {}: {} leads out of the config's folder; name such a config with --config to allow it",
                    dir.display(),
                    what.display()
                ),
            )
        };
        let confined = !self.named_by_user;
        let leaves_by_name = dir.is_absolute()
            || dir
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir));
        if confined && leaves_by_name {
            return Err(outside(dir));
        }
        let real_base = std::fs::canonicalize(base).map_err(folder_error)?;
        let real_dir = std::fs::canonicalize(&joined).map_err(folder_error)?;
        if confined && !real_dir.starts_with(&real_base) {
            return Err(outside(dir));
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&joined)
            .map_err(folder_error)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        files.sort();
        if confined {
            for file in &files {
                let real = std::fs::canonicalize(file).map_err(folder_error)?;
                if !real.starts_with(&real_base) {
                    return Err(outside(file));
                }
            }
        }
        Ok(files)
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
        for pattern in self.per_file_ignores.keys() {
            if let Err(e) = glob::Pattern::new(pattern) {
                return Err(self.error(
                    Some("per-file-ignores"),
                    format!("per-file-ignores: `{pattern}` is not a glob: {e}"),
                ));
            }
        }
        for selector in self
            .severity
            .keys()
            .chain(&self.select)
            .chain(&self.ignore)
            .chain(&self.extend_select)
            .chain(self.per_file_ignores.values().flatten())
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
            let Some(index) = rules
                .rules
                .iter()
                .position(|r| &*r.code == code || &*r.name == code)
            else {
                return Err(self.error(Some(code), format!("rule-options: unknown rule `{code}`")));
            };
            for (key, value) in options {
                // A marker list of the rule (`[rule.markers]`) takes more patterns.
                if rules.rules[index].markers.contains_key(key) {
                    let sources: Option<Vec<String>> = value.as_array().and_then(|items| {
                        items
                            .iter()
                            .map(|v| v.as_str().map(str::to_string))
                            .collect()
                    });
                    let sources = sources.ok_or_else(|| {
                        self.error(
                            Some(key),
                            format!("rule-options.{code}.{key}: a list of patterns, such as [\"потому что\"]"),
                        )
                    })?;
                    rules
                        .extend_markers(index, key, &sources)
                        .map_err(|message| {
                            self.error(Some(key), format!("rule-options.{code}: {message}"))
                        })?;
                    continue;
                }
                let rule = &mut rules.rules[index];
                match (rule.options.get_mut(key), value) {
                    (Some(toml::Value::Array(existing)), toml::Value::Array(added)) => {
                        existing.extend(added.iter().cloned());
                    }
                    _ => {
                        rule.options.insert(key.clone(), value.clone());
                    }
                }
            }
            crate::analyzers::registry::check_options(&rules.rules[index]).map_err(|message| {
                self.error(Some(code), format!("rule-options.{code}: {message}"))
            })?;
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
    if !file.is_file() {
        return None;
    }
    match trust::check(&file) {
        Ok(()) => Some(file),
        Err(why) => {
            trust::warn_ignored(&file, &why);
            None
        }
    }
}

/// Whether a config or rule file is the user's own, as git decides with `safe.directory`: a file
/// that another user (other than root) owns, or that anyone may write, or that lies in a folder
/// anyone may write (a shared `/tmp` too, sticky or not: anyone can create files there) could
/// turn the checks off or rewrite a fix, so it is ignored.
pub mod trust {
    use std::collections::HashSet;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    /// Why `path` is not trusted, if it is not.
    #[cfg(unix)]
    pub fn check(path: &Path) -> Result<(), String> {
        use std::os::unix::fs::MetadataExt;
        const WRITABLE_BY_ALL: u32 = 0o002;
        let metadata = std::fs::metadata(path).map_err(|e| format!("cannot inspect: {e}"))?;
        if let Some(me) = current_uid()
            && metadata.uid() != me
            && metadata.uid() != 0
        {
            return Err(format!(
                "it belongs to another user (uid {})",
                metadata.uid()
            ));
        }
        if metadata.mode() & WRITABLE_BY_ALL != 0 {
            return Err("every user may write it".into());
        }
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(folder) = absolute.parent()
            && let Ok(folder_metadata) = std::fs::metadata(folder)
            && folder_metadata.mode() & WRITABLE_BY_ALL != 0
        {
            return Err(format!(
                "its folder {} is writable by every user",
                folder.display()
            ));
        }
        Ok(())
    }

    #[cfg(not(unix))]
    pub fn check(_path: &Path) -> Result<(), String> {
        Ok(())
    }

    /// The effective user id of this process: `/proc/self` belongs to it.
    #[cfg(unix)]
    fn current_uid() -> Option<u32> {
        use std::os::unix::fs::MetadataExt;
        static UID: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
        *UID.get_or_init(|| std::fs::metadata("/proc/self").ok().map(|m| m.uid()))
    }

    /// One warning line on standard error per ignored file and process.
    pub fn warn_ignored(path: &Path, why: &str) {
        static WARNED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
        let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
        if warned
            .get_or_insert_with(HashSet::new)
            .insert(path.to_path_buf())
        {
            eprintln!(
                "yasno: warning: ignoring {}: {why}; move it to a folder of your own (or fix its owner and mode)",
                path.display()
            );
        }
    }
}

/// The `[score]` table of `yasno.toml`. Every key is optional; missing ones keep the defaults of
/// `Weights::default()`. Maps override only the keys they name.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct ScoreConfig {
    /// Penalty points of one finding by severity (before the category weight).
    pub severity: BTreeMap<Severity, f64>,
    /// Multiplier by category.
    pub category: BTreeMap<Category, f64>,
    /// Fixed points off the score for one document-level fault, by severity (times the category weight).
    pub document: BTreeMap<Severity, f64>,
    /// Categories whose findings are faults of the whole answer, not of its wording.
    pub document_categories: Option<Vec<Category>>,
    /// Density (penalty points per 100 words) that costs half of the 100 points.
    pub half_density: Option<f64>,
    /// Answers shorter than this (prose words, signature excluded) lose points for brevity.
    pub min_words: Option<usize>,
    /// Points an answer of no words at all loses for brevity; linear down to `min-words`.
    pub short_answer: Option<f64>,
    /// Lowest scores of the grades 5, 4 and 3, descending.
    pub grades: Option<[u32; 3]>,
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
    fn rule_options_extend_marker_lists_with_patterns() {
        let config = Config::parse(
            "[rule-options.RF002]\nreason_markers = [\"ибо\"]\n",
            Path::new("yasno.toml"),
        )
        .unwrap();
        let rules = config.build_rules().unwrap();
        let rule = rules.for_check("refusal").next().unwrap();
        let defaults = RuleSet::defaults().unwrap();
        let before = defaults
            .for_check("refusal")
            .next()
            .unwrap()
            .markers("reason_markers");
        assert_eq!(rule.markers("reason_markers").len(), before.len() + 1);
        let text = "Вам отказано в перерасчёте, ибо счётчик не поверен.";
        let codes = |linter: crate::Linter| -> Vec<String> {
            let (_, findings) = linter.check_text(text);
            findings
                .iter()
                .map(|f| f.code.to_string())
                .filter(|c| c.starts_with("RF"))
                .collect()
        };
        assert_eq!(codes(crate::Linter::new(defaults).unwrap()), ["RF002"]);
        assert_eq!(codes(crate::Linter::new(rules).unwrap()), ["RF003"]);
        for (bad, expected) in [
            (
                "reason_markers = [\"*x ибо\"]",
                "rule-options.RF002: marker list `reason_markers`, pattern `*x ибо`: bad gap",
            ),
            (
                "reason_markers = \"ибо\"",
                "rule-options.RF002.reason_markers: a list of patterns",
            ),
        ] {
            let config = Config::parse(
                &format!("[rule-options.RF002]\n{bad}\n"),
                Path::new("y.toml"),
            )
            .unwrap();
            let error = config.build_rules().unwrap_err().to_string();
            assert!(error.contains(expected), "{error}");
        }
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

    /// A misspelt or wrong-typed per-rule option is refused, naming the config, the rule and
    /// the option; a good one is taken.
    #[test]
    fn rule_options_are_typed() {
        let error = |options: &str| {
            Config::parse(options, Path::new("yasno.toml"))
                .unwrap()
                .build_rules()
                .map(drop)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error("[rule-options.RF002]\nway_forward_sentense = 0\n"),
            "yasno.toml: rule-options.RF002: option `way_forward_sentense`: unknown field \
             `way_forward_sentense`, expected `advice` or `way_forward_sentences`"
        );
        assert_eq!(
            error("[rule-options.SL001]\nmax_words = \"10\"\n"),
            "yasno.toml: rule-options.SL001: option `max_words`: invalid type: string \"10\", expected usize"
        );
        assert_eq!(
            error("[rule-options.JA001]\nmax_words = 10\n"),
            "yasno.toml: rule-options.JA001: option `max_words`: options are the settings of a \
             `check`, and this rule has none"
        );
        let rules = Config::parse(
            "[rule-options.SL001]\nmax_words = 10\n",
            Path::new("y.toml"),
        )
        .unwrap()
        .build_rules()
        .unwrap();
        let rule = rules.get("SL001").unwrap();
        assert_eq!(rule.options["max_words"].as_integer(), Some(10));
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
