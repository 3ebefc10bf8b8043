//! The word forms of documents, analysed once: every distinct form's readings (as lemma ids of
//! the rule vocabulary and UD tags) and what the dictionary says of it, shared between the
//! documents one thread checks.

use std::hash::BuildHasher;
use std::sync::Arc;

use rustc_hash::{FxBuildHasher, FxHashMap as HashMap};

use super::matcher::StartMemo;
use super::pattern::{PatternToken, Vocabulary};
use super::rules::RuleSet;
use super::shape::Shape;
use crate::morphology::{self, Analysis, FormAnalysis};
use crate::text::{Document, TokenKind};

/// A lemma id that no rule uses: the reading still carries its tag for `{NOUN}`-style tokens.
pub const NO_ID: u32 = u32::MAX;

/// What the engine knows of one word form: worked out once per distinct form, so that no
/// analyzer asks the dictionary itself.
#[derive(Debug, Default)]
pub struct WordInfo {
    /// (lemma id or NO_ID, UD tag) for every likely reading: what patterns match.
    pub readings: Vec<(u32, u16)>,
    /// Lemmas of every reading (normalised), for analyzers that look at word formation.
    pub lemmas: Vec<Box<str>>,
    /// Id of the `=form` token that names this exact form, if any rule has one.
    pub form_id: Option<u32>,
    /// The word mixes Cyrillic and Latin letters.
    pub mixed_script: bool,
    /// What the dictionary says of the form: every analysis with its probability, and whether
    /// the form is known or guessed.
    pub dictionary: Arc<FormAnalysis>,
}

impl WordInfo {
    pub fn has_tag(&self, predicate: impl Fn(u16) -> bool) -> bool {
        self.readings.iter().any(|&(_, tag)| predicate(tag))
    }

    /// Every analysis of the form, likely or not, with its probability.
    pub fn analyses(&self) -> &[Analysis] {
        &self.dictionary.analyses
    }

    /// The dictionary has the form (it does not guess it).
    pub fn known(&self) -> bool {
        self.dictionary.known()
    }

    /// Whether the word takes the word token `token` of a pattern: an alternative names the form
    /// (`=form`, whatever the tags), or names a reading's lemma and allows its tag, or is a tag
    /// set that one of the readings' tags is in.
    pub fn fits(&self, token: &PatternToken) -> bool {
        let PatternToken::Word { alternatives, .. } = token else {
            return false;
        };
        alternatives.iter().any(|alternative| {
            if alternative.ids.is_empty() {
                return alternative
                    .tags
                    .as_ref()
                    .is_some_and(|tags| self.has_tag(|tag| tags.contains(tag)));
            }
            self.form_id.is_some_and(|id| alternative.ids.contains(&id))
                || self.readings.iter().any(|&(id, tag)| {
                    id != NO_ID
                        && alternative.ids.contains(&id)
                        && alternative.tags.as_ref().is_none_or(|t| t.contains(tag))
                })
        })
    }
}

/// What the dictionary says of a form that is not itself a word of the document (a part of a
/// hyphenated word, a respelling): the same analysis, shared with every cache.
pub fn analyze_form(form: &str) -> Arc<FormAnalysis> {
    morphology::analyze_shared(&morphology::normalize(form))
}

/// Values worked out about word forms, kept by the form's cache index (`AnalyzedWords::form`):
/// a text repeats its words, so a test asked of every word is then made once per distinct form.
/// The one per-form memo of the engine and the analyzers.
pub struct PerForm<T> {
    values: Vec<Option<T>>,
}

impl<T> Default for PerForm<T> {
    fn default() -> Self {
        PerForm { values: Vec::new() }
    }
}

impl<T: Copy> PerForm<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// The value for form `form`, worked out by `compute` the first time.
    pub fn for_form(&mut self, form: u32, compute: impl FnOnce() -> T) -> T {
        let form = form as usize;
        if self.values.len() <= form {
            self.values.resize_with(form + 1, || None);
        }
        *self.values[form].get_or_insert_with(compute)
    }

    /// The value for the form of word token `token`, worked out by `compute` the first time; a
    /// token that is no word is asked every time.
    pub fn for_token(
        &mut self,
        words: &AnalyzedWords,
        token: usize,
        compute: impl FnOnce() -> T,
    ) -> T {
        match words.form(token) {
            Some(form) => self.for_form(form, compute),
            None => compute(),
        }
    }

    pub fn clear(&mut self) {
        self.values.clear();
    }
}

/// Word forms already analysed, shared between documents checked by one thread (or one editor
/// session), so each distinct form is looked up in the dictionary once.
#[derive(Default)]
pub struct LemmaCache {
    /// Normalised form → index into `infos`.
    index: HashMap<Box<str>, u32>,
    /// The form as written → index into `infos`: most words repeat as written, and finding them
    /// here skips normalising them. Every word of a document is looked up here, so the table
    /// compares its keys itself (see `same_bytes`) instead of calling `memcmp`.
    /// The entry holds the form's shape too, which depends on the form as written.
    written: hashbrown::HashTable<(Box<str>, u32, Shape)>,
    pub(super) infos: Vec<WordInfo>,
    /// Filled while matching, which reads the cache through `AnalyzedWords`; valid for the
    /// rule set (and so the `PhraseIndex`) of `vocabulary`, like the ids.
    pub(super) starts: std::sync::Mutex<StartMemo>,
    /// The generation of the vocabulary the ids belong to (`Vocabulary::generation`); another
    /// rule set, or the same one changed, clears the cache. Never 0, so a new cache is empty.
    vocabulary: u64,
}

/// Byte strings compared eight bytes at a time, inline: words are short, and a call to `memcmp`
/// per word looked up was a tenth of the lemmatisation's time.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn load(bytes: &[u8], at: usize) -> u64 {
        u64::from_ne_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
    }
    fn load_half(bytes: &[u8], at: usize) -> u32 {
        u32::from_ne_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
    }
    let len = a.len();
    if len != b.len() {
        return false;
    }
    match len {
        // The first and the last four or eight bytes, overlapping when shorter than twice that.
        0..4 => a == b,
        4..8 => {
            load_half(a, 0) == load_half(b, 0) && load_half(a, len - 4) == load_half(b, len - 4)
        }
        _ => {
            let mut at = 0;
            while at + 8 < len {
                if load(a, at) != load(b, at) {
                    return false;
                }
                at += 8;
            }
            load(a, len - 8) == load(b, len - 8)
        }
    }
}

/// Past this many forms the cache starts afresh, so a long editor session cannot grow without bound.
const CACHE_LIMIT: usize = 500_000;

impl LemmaCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn prepare(&mut self, vocabulary: &Vocabulary) {
        let generation = vocabulary.generation();
        if self.vocabulary != generation
            || self.infos.len() > CACHE_LIMIT
            || self.written.len() > 2 * CACHE_LIMIT
        {
            self.index.clear();
            self.written.clear();
            self.infos.clear();
            self.starts
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clear();
            self.vocabulary = generation;
        }
    }

    fn lookup(&mut self, word: &str, vocabulary: &Vocabulary, buffer: &mut String) -> (u32, Shape) {
        let hash = FxBuildHasher.hash_one(word);
        let same =
            |(key, _, _): &(Box<str>, u32, Shape)| same_bytes(key.as_bytes(), word.as_bytes());
        if let Some(&(_, index, shape)) = self.written.find(hash, same) {
            return (index, shape);
        }
        let index = self.lookup_normalized(word, vocabulary, buffer);
        let shape = Shape::of(word);
        self.written
            .insert_unique(hash, (word.into(), index, shape), |(key, _, _)| {
                FxBuildHasher.hash_one(&**key)
            });
        (index, shape)
    }

    fn lookup_normalized(
        &mut self,
        word: &str,
        vocabulary: &Vocabulary,
        buffer: &mut String,
    ) -> u32 {
        morphology::normalize_into(word, buffer);
        if let Some(&index) = self.index.get(buffer.as_str()) {
            return index;
        }
        let mut normalized = buffer.clone();
        let key: Box<str> = normalized.clone().into_boxed_str();
        let mixed_script = morphology::mixes_scripts(&normalized);
        if mixed_script && let Some(cyrillic) = morphology::cyrillic_spelling(&normalized) {
            normalized = cyrillic;
        }
        let dictionary = morphology::analyze_shared(&normalized);
        let mut info = WordInfo {
            form_id: vocabulary.form_id(&normalized),
            mixed_script,
            ..WordInfo::default()
        };
        for reading in &dictionary.readings {
            let id = vocabulary.lemma_id(&reading.lemma).unwrap_or(NO_ID);
            if !info.readings.contains(&(id, reading.tag)) {
                info.readings.push((id, reading.tag));
            }
            if !info.lemmas.iter().any(|l| **l == *reading.lemma) {
                info.lemmas.push(reading.lemma.as_str().into());
            }
        }
        info.dictionary = dictionary;
        let index = self.infos.len() as u32;
        self.infos.push(info);
        self.index.insert(key, index);
        index
    }

    pub fn info(&self, index: u32) -> &WordInfo {
        &self.infos[index as usize]
    }
}

/// The morphological view of a document: which `WordInfo` each word token has.
pub struct AnalyzedWords<'c> {
    /// Per token: index into the cache, or u32::MAX for tokens that are not words.
    per_token: Vec<u32>,
    /// Per token: the shape of a word or number token as written (its clean form).
    shapes: Vec<Shape>,
    pub(super) cache: &'c LemmaCache,
}

impl<'c> AnalyzedWords<'c> {
    pub fn analyze(doc: &Document, rules: &RuleSet, cache: &'c mut LemmaCache) -> Self {
        cache.prepare(&rules.vocabulary);
        let mut buffer = String::new();
        let mut per_token = Vec::with_capacity(doc.tokens.len());
        let mut shapes = Vec::with_capacity(doc.tokens.len());
        for (index, token) in doc.tokens.iter().enumerate() {
            let (form, shape) = if matches!(token.kind, TokenKind::Word | TokenKind::Number) {
                // The clean form of a word hidden by invisible characters or look-alikes.
                cache.lookup(doc.word_text(index), &rules.vocabulary, &mut buffer)
            } else {
                (u32::MAX, Shape::default())
            };
            per_token.push(form);
            shapes.push(shape);
        }
        AnalyzedWords {
            per_token,
            shapes,
            cache,
        }
    }

    /// The cache index of a word or number token's form: equal for tokens of the same form, so
    /// an analyzer can keep what it works out about a form in a table indexed by it.
    pub fn form(&self, token: usize) -> Option<u32> {
        self.per_token
            .get(token)
            .copied()
            .filter(|&i| i != u32::MAX)
    }

    /// How a word or number token is written (capitals, digits, hyphens); None for punctuation
    /// and URLs.
    pub fn shape(&self, token: usize) -> Option<Shape> {
        self.form(token).map(|_| self.shapes[token])
    }

    /// The readings of a word or number token; None for punctuation and URLs.
    pub fn word(&self, token: usize) -> Option<&WordInfo> {
        match self.per_token.get(token) {
            Some(&index) if index != u32::MAX => Some(self.cache.info(index)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `same_bytes` is byte equality, at every length around its four- and eight-byte steps.
        #[test]
        fn same_bytes_is_equality(
            a in proptest::collection::vec(0u8..4, 0..40),
            b in proptest::collection::vec(0u8..4, 0..40),
        ) {
            proptest::prop_assert_eq!(same_bytes(&a, &b), a == b);
            proptest::prop_assert!(same_bytes(&a, &a.clone()));
        }
    }
}
