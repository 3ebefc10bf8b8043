//! The lemma pattern language of docs/rules.md: parsing and compiling to word ids and tag filters.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::morphology;

/// Word ids: one per lemma (or exact form, written `=form`) used by any rule. Words of a text are
/// mapped to these ids once, so matching compares integers.
#[derive(Debug)]
pub struct Vocabulary {
    ids: rustc_hash::FxHashMap<String, u32>,
    generation: u64,
}

/// Vocabularies made or changed so far in this process: each state of each vocabulary has its
/// own number, so a cache of ids can tell it from any other (an address may be reused).
static GENERATIONS: AtomicU64 = AtomicU64::new(0);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, Ordering::Relaxed) + 1
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            ids: Default::default(),
            generation: next_generation(),
        }
    }
}

impl Vocabulary {
    fn intern(&mut self, key: &str) -> u32 {
        // Rules repeat their words: allocate only for a new one.
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let next = self.ids.len() as u32;
        self.ids.insert(key.to_string(), next);
        self.generation = next_generation();
        next
    }

    /// Identifies this vocabulary as it is now: no other vocabulary, and no earlier or later state
    /// of this one, has the same number.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn lemma_id(&self, lemma: &str) -> Option<u32> {
        self.ids.get(lemma).copied()
    }

    pub fn form_id(&self, normalized_form: &str) -> Option<u32> {
        if self.ids.is_empty() {
            return None;
        }
        let mut key = String::with_capacity(normalized_form.len() + 1);
        key.push('=');
        key.push_str(normalized_form);
        self.ids.get(&key).copied()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The set of UD tags (by number) that satisfy a `{POS,Feature=Value}` constraint.
#[derive(Debug)]
pub struct TagFilter {
    bits: Vec<u64>,
}

impl TagFilter {
    fn parse(spec: &str) -> Result<Self, String> {
        Ok(TagFilter {
            bits: morphology::tag_set(spec)?,
        })
    }

    /// The tags as a bit set, for comparing filters by value.
    pub(crate) fn bits(&self) -> &[u64] {
        &self.bits
    }

    pub fn contains(&self, tag: u16) -> bool {
        let tag = usize::from(tag);
        self.bits
            .get(tag / 64)
            .is_some_and(|word| word & (1 << (tag % 64)) != 0)
    }
}

/// One alternative of a word token: lemmas and `=forms` (any of them), optionally restricted to
/// a set of tags; or a tag set alone (`{NOUN}`).
#[derive(Debug)]
pub struct Alternative {
    /// Sorted lemma and `=form` ids; empty for a tag-only alternative.
    pub ids: Vec<u32>,
    pub tags: Option<Arc<TagFilter>>,
}

#[derive(Debug)]
pub enum PatternToken {
    Word {
        alternatives: Vec<Alternative>,
        optional: bool,
        focus: bool,
        /// Punctuation may stand before this word (the pattern has a comma there: «тем, что»).
        punct_ok: bool,
    },
    Gap {
        max: usize,
    },
}

#[derive(Debug)]
pub struct Pattern {
    pub source: String,
    pub tokens: Vec<PatternToken>,
}

impl Pattern {
    /// The ids of the first token, by which matches are looked up; None when one of its
    /// alternatives is a bare tag set (it may start anywhere).
    pub fn anchor(&self) -> Option<Vec<u32>> {
        match &self.tokens[0] {
            PatternToken::Word { alternatives, .. }
                if alternatives.iter().all(|a| !a.ids.is_empty()) =>
            {
                Some(
                    alternatives
                        .iter()
                        .flat_map(|a| a.ids.iter().copied())
                        .collect(),
                )
            }
            _ => None,
        }
    }
}

/// Splits `a|b{ADJ}|{NOUN,Case=Gen}` at the bars outside braces.
fn split_alternatives(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, ch) in body.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    parts
}

fn compile_alternative(
    text: &str,
    raw: &str,
    vocabulary: &mut Vocabulary,
    tag_cache: &mut HashMap<String, Arc<TagFilter>>,
) -> Result<Alternative, String> {
    if text.is_empty() {
        return Err(format!("empty alternative in `{raw}`"));
    }
    let (word, tags) = match text.find('{') {
        Some(open) => {
            let spec = text[open..]
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .ok_or_else(|| format!("unclosed `{{` in `{raw}`"))?;
            let filter = match tag_cache.get(spec) {
                Some(filter) => filter.clone(),
                None => {
                    let filter = Arc::new(TagFilter::parse(spec)?);
                    tag_cache.insert(spec.to_string(), filter.clone());
                    filter
                }
            };
            (&text[..open], Some(filter))
        }
        None => (text, None),
    };
    let mut ids = Vec::new();
    if let Some(form) = word.strip_prefix('=') {
        if form.is_empty() {
            return Err(format!("empty form in `{raw}`"));
        }
        ids.push(vocabulary.intern(&format!("={}", morphology::normalize(form))));
    } else if !word.is_empty() {
        match morphology::precomputed_rule_lemmas(word) {
            Some(lemmas) => ids.extend(lemmas.iter().map(|lemma| vocabulary.intern(lemma))),
            None => {
                for lemma in morphology::rule_lemmas(word) {
                    ids.push(vocabulary.intern(&lemma));
                }
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Alternative { ids, tags })
}

/// Compiles one pattern; the error says what is wrong in words a rule author understands.
pub fn compile(
    source: &str,
    vocabulary: &mut Vocabulary,
    tag_cache: &mut HashMap<String, Arc<TagFilter>>,
) -> Result<Pattern, String> {
    let mut tokens = Vec::new();
    let mut in_focus = false;
    let mut focus_seen = false;
    let mut punct_ok = false;
    for raw in source.split_whitespace() {
        // A comma, alone or after a word, lets the next word follow punctuation.
        if raw == "," {
            punct_ok = true;
            continue;
        }
        let (raw, comma_after) = match raw.strip_suffix(',') {
            Some(rest) => (rest, true),
            None => (raw, false),
        };
        let mut text = raw;
        let mut closes_focus = false;
        if let Some(rest) = text.strip_prefix('[') {
            if in_focus || focus_seen {
                return Err("only one [ … ] part is allowed".into());
            }
            in_focus = true;
            focus_seen = true;
            text = rest;
        }
        if let Some(rest) = text.strip_suffix(']') {
            if !in_focus {
                return Err("`]` without `[`".into());
            }
            closes_focus = true;
            text = rest;
        }
        if text.is_empty() {
            return Err("empty token".into());
        }
        if let Some(max) = text.strip_prefix('*') {
            let max = if max.is_empty() {
                3
            } else {
                max.parse::<usize>()
                    .map_err(|_| format!("bad gap `{raw}`: write `*` or `*2`"))?
            };
            if in_focus {
                return Err("a gap cannot be inside [ … ]".into());
            }
            tokens.push(PatternToken::Gap { max });
        } else {
            let (body, optional) = match text.strip_suffix('?') {
                Some(body) => (body, true),
                None => (text, false),
            };
            let mut alternatives = Vec::new();
            for alternative in split_alternatives(body) {
                alternatives.push(compile_alternative(
                    alternative,
                    raw,
                    vocabulary,
                    tag_cache,
                )?);
            }
            tokens.push(PatternToken::Word {
                alternatives,
                optional,
                focus: in_focus,
                punct_ok,
            });
        }
        punct_ok = comma_after;
        if closes_focus {
            in_focus = false;
        }
    }
    if in_focus {
        return Err("`[` without `]`".into());
    }
    let required = |token: Option<&PatternToken>| {
        matches!(
            token,
            Some(PatternToken::Word {
                optional: false,
                ..
            })
        )
    };
    if !required(tokens.first()) || !required(tokens.last()) {
        return Err("a pattern must start and end with a required word (not `?`, not `*`)".into());
    }
    Ok(Pattern {
        source: source.to_string(),
        tokens,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compile_one(source: &str) -> Result<Pattern, String> {
        compile(source, &mut Vocabulary::default(), &mut HashMap::new())
    }

    #[test]
    fn parses_every_token_kind() {
        let pattern =
            compile_one("[данный{ADJ}] {NOUN,Case=Gen}|{ADJ} особый? *2 =нами|мы контроль")
                .unwrap();
        assert_eq!(pattern.tokens.len(), 6);
        let comma = compile_one("в связь с тот, что").unwrap();
        assert!(matches!(
            comma.tokens[4],
            PatternToken::Word { punct_ok: true, .. }
        ));
        assert!(matches!(
            comma.tokens[3],
            PatternToken::Word {
                punct_ok: false,
                ..
            }
        ));
        assert!(matches!(
            pattern.tokens[0],
            PatternToken::Word { focus: true, .. }
        ));
        assert!(
            matches!(pattern.tokens[1], PatternToken::Word { focus: false, ref alternatives, .. } if alternatives.len() == 2 && alternatives[0].ids.is_empty())
        );
        assert!(matches!(
            pattern.tokens[2],
            PatternToken::Word { optional: true, .. }
        ));
        assert!(matches!(pattern.tokens[3], PatternToken::Gap { max: 2 }));
    }

    #[test]
    fn rejects_what_cannot_match_well() {
        for bad in [
            "особый? контроль",
            "контроль *",
            "[взять",
            "взять]",
            "{NOUN,Case=Foo}",
            "{XYZ}",
            "a||b",
            "*x b",
        ] {
            assert!(compile_one(bad).is_err(), "{bad}");
        }
    }
}
