//! The one kind of write made to a config file: a word or a selector added to one of its lists
//! (the project's dictionary, a rule's own list, `per-file-ignores`), the rest of the file kept
//! as it is. The language server's commands use it; any front end that edits a config should.

use std::path::Path;

use super::Config;
use crate::morphology;

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
    crate::safe_write::write_atomically(file, edited.as_bytes(), 0o644)
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
