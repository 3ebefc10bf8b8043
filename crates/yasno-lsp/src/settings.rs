//! The client's settings (`initializationOptions`, `workspace/didChangeConfiguration`) on top of
//! the project's `yasno.toml`, and the one write the server makes to that file: the dictionary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use yasno_core::config::{CONFIG_FILE_NAMES, Config, ConfigError, Profile};
use yasno_core::finding::Severity;
use yasno_core::morphology;

/// What an editor may set. Every field is optional; unknown fields are ignored (an extension
/// sends its own settings, such as the binary's path, in the same object).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// A config file to use instead of the nearest `yasno.toml` (relative to the workspace root).
    #[serde(alias = "config")]
    pub config_path: Option<PathBuf>,
    /// Ignore every config file: built-in defaults and these settings only.
    pub no_config: bool,
    pub profile: Option<Profile>,
    /// Replaces the config's `select` when not empty.
    pub select: Vec<String>,
    /// Added to the config's `ignore`.
    pub ignore: Vec<String>,
    /// Merged over the config's `[severity]`.
    pub severity: BTreeMap<String, Severity>,
    /// `false`: every `yasno-ignore` directive is ineffective, as with `--no-inline-ignores`
    /// (the config's `inline-ignores` otherwise).
    pub inline_ignores: Option<bool>,
    /// Added to the config's `accepted-words`.
    #[serde(alias = "accepted-words")]
    pub accepted_words: Vec<String>,
    /// Pause after the last keystroke before a document is checked again.
    pub debounce_ms: Option<u64>,
    /// A link for each diagnostic's `codeDescription`: `{code}` is replaced by the rule code.
    pub rules_url: Option<String>,
}

pub const DEFAULT_DEBOUNCE_MS: u64 = 75;

impl Settings {
    /// Settings from an `initializationOptions` or `settings` value: either the object itself or
    /// the object under a `yasno` key. `null` gives the defaults.
    pub fn from_value(value: &Value) -> Result<Settings, String> {
        let value = match value.get("yasno") {
            Some(inner) => inner,
            None => value,
        };
        if value.is_null() {
            return Ok(Settings::default());
        }
        Settings::deserialize(value).map_err(|e| e.to_string())
    }

    pub fn debounce(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.debounce_ms.unwrap_or(DEFAULT_DEBOUNCE_MS).min(5_000))
    }

    /// The config file that applies to a document, if any (`root` resolves relative paths).
    pub fn config_file(&self, document: Option<&Path>, root: Option<&Path>) -> Option<PathBuf> {
        if self.no_config {
            return None;
        }
        if let Some(path) = &self.config_path {
            return Some(match root {
                Some(root) if path.is_relative() => root.join(path),
                _ => path.clone(),
            });
        }
        let start = document.or(root)?;
        Config::discover(start)
    }

    /// The config of a file with these settings on top.
    pub fn resolve(&self, file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut config = match file {
            Some(path) => Config::load(path)?,
            None => Config::default(),
        };
        if let Some(profile) = self.profile {
            config.profile = profile;
        }
        if !self.select.is_empty() {
            config.select = self.select.clone();
        }
        config.ignore.extend(self.ignore.iter().cloned());
        for (selector, severity) in &self.severity {
            config.severity.insert(selector.clone(), *severity);
        }
        config
            .accepted_words
            .extend(self.accepted_words.iter().cloned());
        // The editor may only make the check stricter: a gate set in the config stays on.
        if self.inline_ignores == Some(false) {
            config.inline_ignores = Some(false);
        }
        Ok(config)
    }
}

/// The project's config file for the dictionary (and the per-file ignores): the one
/// `Config::discover_in_project` finds for the document (never the user's global one), else a new
/// `yasno.toml` in the workspace root.
pub fn dictionary_file(
    settings: &Settings,
    document: Option<&Path>,
    root: Option<&Path>,
) -> Option<PathBuf> {
    if settings.config_path.is_some() && !settings.no_config {
        return settings.config_file(None, root);
    }
    if let Some(found) = document.and_then(Config::discover_in_project) {
        return Some(found);
    }
    let base = root.or_else(|| document.and_then(Path::parent))?;
    Some(base.join(CONFIG_FILE_NAMES[0]))
}

/// Where a word goes in the config: a rule's list (`rule-options.CODE.KEY`) or `accepted-words`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DictionaryKey {
    RuleOption {
        code: String,
        key: String,
    },
    AcceptedWords,
    /// `per-file-ignores."PATTERN"`: the selectors ignored in the files of a pattern.
    PerFileIgnore {
        pattern: String,
    },
}

/// The `per-file-ignores` key for `document` in the config file `config`: its path relative to
/// the config's folder (absolute when it is elsewhere), with glob characters escaped.
pub fn per_file_pattern(config: &Path, document: &Path) -> String {
    let base = config.parent().unwrap_or(Path::new(""));
    let relative = document.strip_prefix(base).unwrap_or(document);
    let text = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let text = if document.is_absolute() && relative == document {
        document.to_string_lossy().into_owned()
    } else {
        text
    };
    glob::Pattern::escape(&text)
}

/// Adds `word` to the config file's list, keeping the rest of the file as it is; creates the
/// file when it does not exist. Returns false when the word was already there.
pub fn add_word(file: &Path, key: &DictionaryKey, word: &str) -> Result<bool, String> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{}: {e}", file.display())),
    };
    let (edited, added) = add_word_to_text(&text, key, word)?;
    if !added {
        return Ok(false);
    }
    // Never leave a file that yasno itself would refuse.
    Config::parse(&edited, file).map_err(|e| e.to_string())?;
    // Atomically: an editor killed midway leaves the old config, not half of it.
    yasno_core::safe_write::write_atomically(file, edited.as_bytes(), 0o644)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(true)
}

pub fn add_word_to_text(
    text: &str,
    key: &DictionaryKey,
    word: &str,
) -> Result<(String, bool), String> {
    use toml_edit::{Array, DocumentMut, Item, Table, value};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.message().to_string())?;
    let array: &mut Array = match key {
        DictionaryKey::AcceptedWords => {
            let item = doc.entry("accepted-words").or_insert(value(Array::new()));
            item.as_array_mut()
                .ok_or("`accepted-words` is not an array")?
        }
        DictionaryKey::PerFileIgnore { pattern } => doc
            .entry("per-file-ignores")
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_like_mut()
            .ok_or("`per-file-ignores` is not a table")?
            .entry(pattern)
            .or_insert(value(Array::new()))
            .as_array_mut()
            .ok_or_else(|| format!("`per-file-ignores.{pattern}` is not an array"))?,
        DictionaryKey::RuleOption { code, key } => {
            let options = doc.entry("rule-options").or_insert_with(|| {
                let mut table = Table::new();
                table.set_implicit(true);
                Item::Table(table)
            });
            let options = options
                .as_table_like_mut()
                .ok_or("`rule-options` is not a table")?;
            let rule = options
                .entry(code)
                .or_insert(Item::Table(Table::new()))
                .as_table_like_mut()
                .ok_or_else(|| format!("`rule-options.{code}` is not a table"))?;
            rule.entry(key)
                .or_insert(value(Array::new()))
                .as_array_mut()
                .ok_or_else(|| format!("`rule-options.{code}.{key}` is not an array"))?
        }
    };
    let normalized = morphology::normalize(word);
    if array
        .iter()
        .filter_map(|v| v.as_str())
        .any(|w| morphology::normalize(w) == normalized)
    {
        return Ok((text.to_string(), false));
    }
    array.push(word);
    Ok((doc.to_string(), true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_accept_a_nested_object_and_ignore_unknown_keys() {
        let value = serde_json::json!({"yasno": {"profile": "internal", "select": ["JA"], "path": "/bin/yasno", "debounceMs": 10}});
        let settings = Settings::from_value(&value).unwrap();
        assert_eq!(settings.profile, Some(Profile::Internal));
        assert_eq!(settings.select, ["JA"]);
        assert_eq!(settings.debounce_ms, Some(10));
        assert_eq!(
            Settings::from_value(&Value::Null).unwrap(),
            Settings::default()
        );
        assert!(Settings::from_value(&serde_json::json!({"profile": "nobody"})).is_err());
    }

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("yasno-settings-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("project/.git")).unwrap();
        std::fs::create_dir_all(dir.join("project/letters")).unwrap();
        dir
    }

    #[test]
    fn the_server_finds_configs_as_the_command_line_does() {
        let dir = scratch("discovery");
        let letter = dir.join("project/letters/a.txt");
        std::fs::write(dir.join("yasno.toml"), "").unwrap();
        let settings = Settings::default();
        // Above the project root: neither checked nor written to.
        assert_eq!(
            Config::discover_in_project(&letter),
            None,
            "the config above .git is not the project's"
        );
        assert_eq!(
            dictionary_file(&settings, Some(&letter), Some(&dir.join("project"))),
            Some(dir.join("project/yasno.toml"))
        );
        let project_config = dir.join("project/yasno.toml");
        std::fs::write(&project_config, "").unwrap();
        assert_eq!(
            settings.config_file(Some(&letter), None),
            Some(project_config.clone())
        );
        assert_eq!(
            dictionary_file(&settings, Some(&letter), None),
            Some(project_config)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_editor_can_close_the_gate_but_not_open_it() {
        let gate = Config::parse("inline-ignores = false\n", Path::new("yasno.toml")).unwrap();
        assert!(!gate.honours_inline_ignores());
        assert!(Config::default().honours_inline_ignores());
        let open = Settings::from_value(&serde_json::json!({"inlineIgnores": true})).unwrap();
        let closed = Settings::from_value(&serde_json::json!({"inlineIgnores": false})).unwrap();
        assert!(open.resolve(None).unwrap().honours_inline_ignores());
        assert!(!closed.resolve(None).unwrap().honours_inline_ignores());
        let dir = scratch("gate");
        let file = dir.join("project/yasno.toml");
        std::fs::write(&file, "inline-ignores = false\n").unwrap();
        assert!(!open.resolve(Some(&file)).unwrap().honours_inline_ignores());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn per_file_patterns_are_relative_and_escaped() {
        let config = Path::new("/p/yasno.toml");
        assert_eq!(
            per_file_pattern(config, Path::new("/p/letters/a.txt")),
            "letters/a.txt"
        );
        assert_eq!(
            per_file_pattern(config, Path::new("/p/letters/[1] a*.txt")),
            "letters/[[]1[]] a[*].txt"
        );
        assert_eq!(
            per_file_pattern(config, Path::new("/elsewhere/a.txt")),
            "/elsewhere/a.txt"
        );
        let (edited, _) = add_word_to_text(
            "profile = \"external\"\n",
            &DictionaryKey::PerFileIgnore {
                pattern: "letters/a.txt".into(),
            },
            "JA014",
        )
        .unwrap();
        let config = Config::parse(&edited, Path::new("/p/yasno.toml")).unwrap();
        assert_eq!(config.ignores_for(Path::new("/p/letters/a.txt")), ["JA014"]);
        assert!(config.ignores_for(Path::new("/p/letters/b.txt")).is_empty());
    }

    #[test]
    fn words_are_added_without_disturbing_the_file() {
        let key = DictionaryKey::RuleOption {
            code: "AB001".into(),
            key: "known".into(),
        };
        let original =
            "# Our project\nprofile = \"external\" # citizens\n\n[severity]\njargon = \"info\"\n";
        let (edited, added) = add_word_to_text(original, &key, "МКД").unwrap();
        assert!(added);
        assert!(edited.starts_with(original), "{edited}");
        assert!(
            edited.contains("[rule-options.AB001]\nknown = [\"МКД\"]"),
            "{edited}"
        );
        let config = Config::parse(&edited, Path::new("yasno.toml")).unwrap();
        assert_eq!(
            config.rule_options["AB001"]["known"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let (again, added) = add_word_to_text(&edited, &key, "МКД").unwrap();
        assert!(!added);
        assert_eq!(again, edited);
        let (more, _) = add_word_to_text(&edited, &key, "ЖКУ").unwrap();
        assert!(more.contains("known = [\"МКД\", \"ЖКУ\"]"), "{more}");
        let (words, _) = add_word_to_text(original, &DictionaryKey::AcceptedWords, "КУМИ").unwrap();
        let config = Config::parse(&words, Path::new("yasno.toml")).unwrap();
        assert_eq!(config.accepted_words, ["КУМИ"]);
        assert!(add_word_to_text("rule-options = 3\n", &key, "X").is_err());
    }
}
