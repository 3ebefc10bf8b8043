//! What a front end puts over the config files: the command line's flags, the editor's settings.
//! Each front end translates its own input into one [`Overrides`]; which config file applies and
//! how the overrides change it are decided here, once, for all of them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::{Config, ConfigError, FailOn, Profile};
use crate::finding::Severity;

/// Settings over the config file. Every field is optional: the default changes nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// A config file to use instead of the one [`Config::discover`] finds.
    pub config: Option<PathBuf>,
    /// The user named `config` themselves (`--config`), so its `rule-dirs` may lead out of its
    /// folder. An editor's setting may come from a project's own files, so it stays confined.
    pub config_named_by_user: bool,
    /// No config file at all: the built-in defaults and these overrides only.
    pub no_config: bool,
    pub profile: Option<Profile>,
    /// Replaces the config's `select` when not empty.
    pub select: Vec<String>,
    /// Added to the config's `ignore`.
    pub ignore: Vec<String>,
    /// Merged over the config's `[severity]`.
    pub severity: BTreeMap<String, Severity>,
    /// Added to the config's `accepted-words`.
    pub accepted_words: Vec<String>,
    /// Makes every inline `yasno-ignore` directive ineffective (the pre-send gate). Overrides
    /// only make the check stricter: a gate that the config closes stays closed.
    pub no_inline_ignores: bool,
    /// Replaces the config's `fail-on`.
    pub fail_on: Option<FailOn>,
}

impl Overrides {
    /// The config file for a file or folder `near`: `config`, else the one discovery finds from
    /// `near` (none without `near`), unless `no_config`.
    pub fn config_file(&self, near: Option<&Path>) -> Option<PathBuf> {
        if self.no_config {
            None
        } else {
            self.config
                .clone()
                .or_else(|| near.and_then(Config::discover))
        }
    }

    /// The config read from `file` (the defaults without one), with the overrides on top.
    pub fn load(&self, file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut config = match file {
            Some(path) => Config::load(path)?,
            None => Config::default(),
        };
        config.named_by_user = self.config_named_by_user && self.config.is_some();
        self.apply(&mut config);
        Ok(config)
    }

    /// The config for a file or folder: its config file (see `config_file`), with the overrides.
    pub fn resolve(&self, near: &Path) -> Result<Config, ConfigError> {
        self.load(self.config_file(Some(near)).as_deref())
    }

    fn apply(&self, config: &mut Config) {
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
        if self.no_inline_ignores {
            config.inline_ignores = Some(false);
        }
        if self.fail_on.is_some() {
            config.fail_on = self.fail_on;
        }
    }

    /// One config for files that must be judged alike (`yasno score`): the one that each of them
    /// would be checked with, which must then be the same file for all. `fallback` is where the
    /// search starts when there are no files.
    pub fn resolve_shared(&self, files: &[PathBuf], fallback: &Path) -> Result<Config, String> {
        let mut by_folder: HashMap<&Path, Option<PathBuf>> = HashMap::new();
        let mut chosen: Vec<Option<PathBuf>> = Vec::new();
        for file in files {
            let folder = file.parent().unwrap_or(Path::new(""));
            let config = by_folder
                .entry(folder)
                .or_insert_with(|| self.config_file(Some(file)));
            if !chosen.contains(config) {
                chosen.push(config.clone());
            }
        }
        if chosen.len() > 1 {
            let names: Vec<String> = chosen
                .iter()
                .map(|c| {
                    c.as_ref()
                        .map_or("the defaults".into(), |p| p.display().to_string())
                })
                .collect();
            return Err(format!(
                "the answers fall under different configs ({}), so their scores would not compare: score them separately or name one with --config",
                names.join(", ")
            ));
        }
        let near = files.first().map_or(fallback, PathBuf::as_path);
        self.resolve(near).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("yasno-overrides-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("project/.git")).unwrap();
        std::fs::create_dir_all(dir.join("project/letters")).unwrap();
        dir
    }

    #[test]
    fn a_named_config_wins_over_discovery_and_no_config_over_both() {
        let dir = scratch("choice");
        let letter = dir.join("project/letters/a.txt");
        let discovered = dir.join("project/yasno.toml");
        std::fs::write(&discovered, "").unwrap();
        let named = dir.join("named.toml");
        assert_eq!(
            Overrides::default().config_file(Some(&letter)),
            Some(discovered.clone())
        );
        assert_eq!(Overrides::default().config_file(None), None);
        let with_named = Overrides {
            config: Some(named.clone()),
            ..Overrides::default()
        };
        assert_eq!(with_named.config_file(Some(&letter)), Some(named));
        let none = Overrides {
            no_config: true,
            ..with_named
        };
        assert_eq!(none.config_file(Some(&letter)), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn overrides_replace_select_and_add_to_the_lists() {
        let dir = scratch("apply");
        let file = dir.join("project/yasno.toml");
        std::fs::write(
            &file,
            "select = [\"JA\"]\nignore = [\"JA001\"]\naccepted-words = [\"МКД\"]\nfail-on = \"warning\"\n[severity]\nJA = \"info\"\n",
        )
        .unwrap();
        let overrides = Overrides {
            profile: Some(Profile::Internal),
            select: vec!["FB".into()],
            ignore: vec!["FB001".into()],
            severity: BTreeMap::from([("FB".to_string(), Severity::Hint)]),
            accepted_words: vec!["КУМИ".into()],
            fail_on: Some(FailOn::Never),
            ..Overrides::default()
        };
        let config = overrides.load(Some(&file)).unwrap();
        assert_eq!(config.profile, Profile::Internal);
        assert_eq!(config.select, ["FB"]);
        assert_eq!(config.ignore, ["JA001", "FB001"]);
        assert_eq!(config.accepted_words, ["МКД", "КУМИ"]);
        assert_eq!(config.severity.len(), 2);
        assert_eq!(config.fail_on, Some(FailOn::Never));
        assert!(!config.named_by_user);
        // Without a select of their own, the config's stays.
        let config = Overrides::default().load(Some(&file)).unwrap();
        assert_eq!(config.select, ["JA"]);
        assert_eq!(config.fail_on, Some(FailOn::Warning));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn overrides_can_close_the_gate_but_not_open_it() {
        let dir = scratch("gate");
        let file = dir.join("project/yasno.toml");
        std::fs::write(&file, "inline-ignores = false\n").unwrap();
        let open = Overrides::default();
        let closed = Overrides {
            no_inline_ignores: true,
            ..Overrides::default()
        };
        assert!(open.load(None).unwrap().honours_inline_ignores());
        assert!(!closed.load(None).unwrap().honours_inline_ignores());
        assert!(!open.load(Some(&file)).unwrap().honours_inline_ignores());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_a_config_named_by_the_user_may_reach_out_of_its_folder() {
        let dir = scratch("named");
        let file = dir.join("project/yasno.toml");
        std::fs::write(&file, "").unwrap();
        let named = |by_user| Overrides {
            config: Some(file.clone()),
            config_named_by_user: by_user,
            ..Overrides::default()
        };
        assert!(named(true).load(Some(&file)).unwrap().named_by_user);
        assert!(!named(false).load(Some(&file)).unwrap().named_by_user);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
