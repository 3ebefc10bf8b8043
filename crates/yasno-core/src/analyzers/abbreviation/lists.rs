//! The lists of abbreviations: the built-in ones of dictionaries/, and what the rule's options add.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use super::*;

pub(super) const KNOWN_LIST: &str = include_str!("../../../../../dictionaries/abbreviations-known.txt");
pub(super) const DOMAIN_MAP: &str = include_str!("../../../../../dictionaries/abbreviations-domain.toml");

/// The form in which abbreviations are compared: upper case, ё → е, single spaces.
pub(super) fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for ch in word.chars() {
            match ch {
                // The common letters directly: `to_uppercase` searches a table for every non-ASCII letter.
                'а'..='я' => {
                    out.push(char::from_u32(ch as u32 - 0x20).expect("а..я − 0x20 is А..Я"))
                }
                'ё' | 'Ё' => out.push('Е'),
                _ if ch.is_ascii() => out.push(ch.to_ascii_uppercase()),
                _ => out.extend(ch.to_uppercase()),
            }
        }
    }
    out
}

/// The parts of a dotted form: «т. к.», «т.к.» → ["т", "к"].
pub(super) fn dotted_parts(text: &str) -> Vec<String> {
    text.split(|c: char| c == '.' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(morphology::normalize)
        .collect()
}

#[derive(Deserialize)]
pub(super) struct DomainFile {
    #[serde(default)]
    pub(super) expansions: HashMap<String, String>,
    #[serde(default)]
    pub(super) dotted: HashMap<String, String>,
}

/// The built-in lists, parsed once.
pub(super) struct Builtin {
    pub(super) known: HashSet<String>,
    pub(super) expansions: HashMap<String, String>,
    pub(super) dotted: Vec<(Vec<String>, String)>,
}

pub(super) fn builtin() -> &'static Builtin {
    static BUILTIN: OnceLock<Builtin> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        let known = KNOWN_LIST
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(key)
            .collect();
        let domain: DomainFile =
            toml::from_str(DOMAIN_MAP).expect("dictionaries/abbreviations-domain.toml is valid");
        Builtin {
            known,
            expansions: domain
                .expansions
                .into_iter()
                .map(|(k, v)| (key(&k), v))
                .collect(),
            dotted: domain
                .dotted
                .into_iter()
                .map(|(k, v)| (dotted_parts(&k), v))
                .collect(),
        }
    })
}

/// The built-in lists together with what the rule's options add.
pub struct Lists {
    pub(super) builtin: &'static Builtin,
    pub(super) known: HashSet<String>,
    pub(super) expansions: HashMap<String, String>,
    /// Longest first, so «вр. и. о.» wins over «и. о.».
    pub(super) dotted: Vec<(Vec<String>, String)>,
    /// Single capital words of at least this many letters that the dictionary knows as
    /// ordinary words are emphasis, not abbreviations.
    pub(super) min_caps_word: usize,
    pub(super) message_expanded: Option<String>,
    pub(super) advice: Option<Arc<str>>,
}

impl Lists {
    pub(super) fn new(options: AbbreviationOptions) -> Self {
        let builtin = builtin();
        let known = options.known.iter().map(|k| key(k)).collect();
        let expansions = options
            .expansions
            .into_iter()
            .map(|(k, v)| (key(&k), v))
            .collect();
        let mut dotted: Vec<(Vec<String>, String)> = builtin
            .dotted
            .iter()
            .cloned()
            .chain(
                options
                    .dotted
                    .into_iter()
                    .map(|(k, v)| (dotted_parts(&k), v)),
            )
            .filter(|(parts, _)| !parts.is_empty())
            .collect();
        dotted.sort_by_key(|(parts, _)| std::cmp::Reverse(parts.len()));
        Lists {
            builtin,
            known,
            expansions,
            dotted,
            min_caps_word: options.min_caps_word.max(2),
            message_expanded: options.message_expanded,
            advice: options.advice.map(Arc::from),
        }
    }

    pub(super) fn is_known(&self, key: &str) -> bool {
        self.known.contains(key) || self.builtin.known.contains(key)
    }

    pub(super) fn expansion(&self, key: &str) -> Option<&str> {
        self.expansions
            .get(key)
            .or_else(|| self.builtin.expansions.get(key))
            .map(String::as_str)
            .filter(|e| !e.is_empty())
    }

    pub(super) fn has_expansion(&self, key: &str) -> bool {
        self.expansion(key).is_some()
    }
}
