//! The lemma pattern language of docs/rules.md: parsing and compiling to word ids and tag filters.

use std::collections::HashMap;
use std::sync::Arc;

use crate::morphology;

/// Word ids: one per lemma (or exact form, written `=form`) used by any rule. Words of a text are
/// mapped to these ids once, so matching compares integers.
#[derive(Default, Debug)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
}

impl Vocabulary {
    fn intern(&mut self, key: String) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(key).or_insert(next)
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
        let dictionary = morphology::dictionary();
        let mut pos: Option<&str> = None;
        let mut feats: Vec<(&str, &str)> = Vec::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                Some((name, value)) => {
                    let known = dictionary.features().get(name);
                    if !known.is_some_and(|values| values.contains(value)) {
                        return Err(format!("unknown feature `{part}`"));
                    }
                    feats.push((name, value));
                }
                None if pos.is_none() => pos = Some(part),
                None => return Err(format!("two parts of speech in `{{{spec}}}`")),
            }
        }
        let tags = dictionary.ud_tags();
        let mut bits = vec![0u64; tags.len().div_ceil(64)];
        let mut any = false;
        for (number, tag) in tags.enumerate() {
            let pos_ok = pos.is_none_or(|p| tag.pos() == p);
            if pos_ok
                && feats
                    .iter()
                    .all(|(name, value)| tag.feat(name) == Some(value))
            {
                bits[number / 64] |= 1 << (number % 64);
                any = true;
            }
        }
        if !any {
            return Err(format!("no word has the tag `{{{spec}}}`"));
        }
        Ok(TagFilter { bits })
    }

    fn extend(&mut self, other: &TagFilter) {
        for (mine, theirs) in self.bits.iter_mut().zip(&other.bits) {
            *mine |= theirs;
        }
    }

    pub fn contains(&self, tag: u16) -> bool {
        let tag = usize::from(tag);
        self.bits
            .get(tag / 64)
            .is_some_and(|word| word & (1 << (tag % 64)) != 0)
    }
}

#[derive(Debug)]
pub enum PatternToken {
    Word {
        /// Lemma and `=form` ids; empty for a tag-only token such as `{NOUN}`.
        ids: Vec<u32>,
        tags: Option<Arc<TagFilter>>,
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
    /// The ids of the first token, by which matches are looked up; None for a tag-only start.
    pub fn anchor(&self) -> Option<&[u32]> {
        match &self.tokens[0] {
            PatternToken::Word { ids, .. } if !ids.is_empty() => Some(ids),
            _ => None,
        }
    }
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
            let (words, tags) = match body.find('{') {
                Some(open) => {
                    let spec = body[open..]
                        .strip_prefix('{')
                        .and_then(|s| s.strip_suffix('}'))
                        .ok_or_else(|| format!("unclosed `{{` in `{raw}`"))?;
                    let filter = match tag_cache.get(spec) {
                        Some(filter) => filter.clone(),
                        None => {
                            // `{NOUN}|{ADJ}`: a union of tag sets.
                            let mut alternatives = spec.split("}|{");
                            let mut union =
                                TagFilter::parse(alternatives.next().unwrap_or_default())?;
                            for alternative in alternatives {
                                union.extend(&TagFilter::parse(alternative)?);
                            }
                            let filter = Arc::new(union);
                            tag_cache.insert(spec.to_string(), filter.clone());
                            filter
                        }
                    };
                    (&body[..open], Some(filter))
                }
                None => (body, None),
            };
            let mut ids = Vec::new();
            if !words.is_empty() {
                for alternative in words.split('|') {
                    if alternative.is_empty() {
                        return Err(format!("empty alternative in `{raw}`"));
                    }
                    if let Some(form) = alternative.strip_prefix('=') {
                        ids.push(vocabulary.intern(format!("={}", morphology::normalize(form))));
                    } else {
                        for lemma in morphology::rule_lemmas(alternative) {
                            ids.push(vocabulary.intern(lemma));
                        }
                    }
                }
                ids.sort_unstable();
                ids.dedup();
            } else if tags.is_none() {
                return Err(format!("token `{raw}` has neither a word nor a tag"));
            }
            tokens.push(PatternToken::Word {
                ids,
                tags,
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
            compile_one("[данный{ADJ}] {NOUN,Case=Gen} особый? *2 =нами|мы контроль").unwrap();
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
            matches!(pattern.tokens[1], PatternToken::Word { focus: false, ref ids, .. } if ids.is_empty())
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
