//! The client's settings (`initializationOptions`, `workspace/didChangeConfiguration`), translated
//! into the overrides of the project's `yasno.toml`, and which config file the editor's commands
//! write to.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use yasno_core::config::{CONFIG_FILE_NAMES, Config, Overrides, Profile};
use yasno_core::finding::Severity;

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

    /// What these settings change in the config, for a document in the workspace folder `root`
    /// (where a relative `configPath` is).
    pub fn overrides(&self, root: Option<&Path>) -> Overrides {
        Overrides {
            config: self.config_path.as_ref().map(|path| match root {
                Some(root) if path.is_relative() => root.join(path),
                _ => path.clone(),
            }),
            // Workspace settings can come with the project: such a config stays confined.
            config_named_by_user: false,
            no_config: self.no_config,
            profile: self.profile,
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            severity: self.severity.clone(),
            accepted_words: self.accepted_words.clone(),
            no_inline_ignores: self.inline_ignores == Some(false),
            fail_on: None,
        }
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
    if let Some(named) = settings.overrides(root).config_file(None) {
        return Some(named);
    }
    if let Some(found) = document.and_then(Config::discover_in_project) {
        return Some(found);
    }
    let base = root.or_else(|| document.and_then(Path::parent))?;
    Some(base.join(CONFIG_FILE_NAMES[0]))
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
            settings.overrides(None).config_file(Some(&letter)),
            Some(project_config.clone())
        );
        assert_eq!(
            dictionary_file(&settings, Some(&letter), None),
            Some(project_config)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn settings_become_the_overrides_of_the_command_line() {
        let settings = Settings::from_value(&serde_json::json!({
            "configPath": "conf/yasno.toml", "profile": "internal", "select": ["JA"],
            "ignore": ["JA001"], "severity": {"FB": "hint"}, "acceptedWords": ["МКД"],
            "inlineIgnores": false,
        }))
        .unwrap();
        let overrides = settings.overrides(Some(Path::new("/work")));
        assert_eq!(
            overrides,
            Overrides {
                config: Some(PathBuf::from("/work/conf/yasno.toml")),
                profile: Some(Profile::Internal),
                select: vec!["JA".into()],
                ignore: vec!["JA001".into()],
                severity: BTreeMap::from([("FB".to_string(), Severity::Hint)]),
                accepted_words: vec!["МКД".into()],
                no_inline_ignores: true,
                ..Overrides::default()
            }
        );
        // The editor can close the gate, not open it.
        let open = Settings::from_value(&serde_json::json!({"inlineIgnores": true})).unwrap();
        assert_eq!(open.overrides(None), Overrides::default());
    }
}
