//! Lemma matching: words of a document are mapped once to their readings (lemma ids of the rule
//! vocabulary and UD tags), then every phrase pattern is matched sentence by sentence.

use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use super::pattern::{Pattern, PatternToken, Vocabulary};
use super::rules::RuleSet;
use crate::finding::Category;
use crate::morphology;
use crate::text::{Document, TokenKind};

/// A lemma id that no rule uses: the reading still carries its tag for `{NOUN}`-style tokens.
pub const NO_ID: u32 = u32::MAX;

/// What the engine knows of one word form.
#[derive(Debug, Default)]
pub struct WordInfo {
    /// (lemma id or NO_ID, UD tag) for every reading.
    pub readings: Vec<(u32, u16)>,
    /// Lemmas of every reading (normalised), for analyzers that look at word formation.
    pub lemmas: Vec<Box<str>>,
    /// Id of the `=form` token that names this exact form, if any rule has one.
    pub form_id: Option<u32>,
    /// The word mixes Cyrillic and Latin letters.
    pub mixed_script: bool,
}

impl WordInfo {
    pub fn has_tag(&self, predicate: impl Fn(u16) -> bool) -> bool {
        self.readings.iter().any(|&(_, tag)| predicate(tag))
    }
}

/// Word forms already analysed, shared between documents checked by one thread (or one editor
/// session), so each distinct form is looked up in the dictionary once.
#[derive(Default)]
pub struct LemmaCache {
    index: HashMap<Box<str>, u32>,
    infos: Vec<WordInfo>,
    /// Filled while matching, which reads the cache through `AnalyzedWords`; valid for the
    /// rule set (and so the `PhraseIndex`) of `vocabulary_key`, like the ids.
    starts: std::sync::Mutex<StartMemo>,
    /// Identifies the vocabulary the ids belong to; a different rule set clears the cache.
    vocabulary_key: usize,
}

/// Past this many forms the cache starts afresh, so a long editor session cannot grow without bound.
const CACHE_LIMIT: usize = 500_000;

impl LemmaCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn prepare(&mut self, vocabulary: &Vocabulary) {
        let key = vocabulary as *const Vocabulary as usize ^ vocabulary.len();
        if self.vocabulary_key != key || self.infos.len() > CACHE_LIMIT {
            self.index.clear();
            self.infos.clear();
            self.starts
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clear();
            self.vocabulary_key = key;
        }
    }

    fn lookup(&mut self, word: &str, vocabulary: &Vocabulary, buffer: &mut String) -> u32 {
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
        let mut info = WordInfo {
            form_id: vocabulary.form_id(&normalized),
            mixed_script,
            ..WordInfo::default()
        };
        for reading in morphology::analyze(&normalized) {
            let id = vocabulary.lemma_id(&reading.lemma).unwrap_or(NO_ID);
            if !info.readings.contains(&(id, reading.tag)) {
                info.readings.push((id, reading.tag));
            }
            if !info.lemmas.iter().any(|l| **l == *reading.lemma) {
                info.lemmas.push(reading.lemma.into_boxed_str());
            }
        }
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
    cache: &'c LemmaCache,
}

impl<'c> AnalyzedWords<'c> {
    pub fn analyze(doc: &Document, rules: &RuleSet, cache: &'c mut LemmaCache) -> Self {
        cache.prepare(&rules.vocabulary);
        let mut buffer = String::new();
        let per_token = doc
            .tokens
            .iter()
            .map(|token| {
                if matches!(token.kind, TokenKind::Word | TokenKind::Number) {
                    cache.lookup(
                        &doc.text()[token.range.clone()],
                        &rules.vocabulary,
                        &mut buffer,
                    )
                } else {
                    u32::MAX
                }
            })
            .collect();
        AnalyzedWords { per_token, cache }
    }

    /// The cache index of a word or number token's form: equal for tokens of the same form.
    fn form(&self, token: usize) -> Option<u32> {
        self.per_token
            .get(token)
            .copied()
            .filter(|&i| i != u32::MAX)
    }

    /// The readings of a word or number token; None for punctuation and URLs.
    pub fn word(&self, token: usize) -> Option<&WordInfo> {
        match self.per_token.get(token) {
            Some(&index) if index != u32::MAX => Some(self.cache.info(index)),
            _ => None,
        }
    }
}

/// A match of one phrase of one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhraseMatch {
    pub rule: usize,
    pub phrase: usize,
    /// Byte range of the whole match.
    pub range: Range<usize>,
    /// Byte range to report and replace: the `[ … ]` part, or the whole match.
    pub focus: Range<usize>,
    /// Token index of the first focused word (for inflecting a replacement like it).
    pub focus_token: usize,
    pub focus_words: usize,
    pub sentence: usize,
}

struct Candidate {
    rule: usize,
    phrase: usize,
    pattern: usize,
}

/// The compiled lookup: for each first-token id, the patterns that may start there.
pub struct PhraseIndex {
    candidates: Vec<Candidate>,
    /// Indices into `candidates`.
    by_anchor: HashMap<u32, Vec<u32>>,
    unanchored: Vec<u32>,
}

/// The candidates that may start at a word form, worked out once per distinct form of the
/// `LemmaCache` (letters repeat their words, and an archive repeats them across letters: the
/// look-up and the first-token test are then done once per form, not per word or per document).
#[derive(Default)]
struct StartMemo {
    /// Per cache index of a form: its candidates, as a range of `flat`; None until asked.
    by_form: Vec<Option<(u32, u32)>>,
    flat: Vec<u32>,
}

impl StartMemo {
    fn clear(&mut self) {
        self.by_form.clear();
        self.flat.clear();
    }
}

impl PhraseIndex {
    pub fn new(rules: &RuleSet) -> Self {
        let mut candidates = Vec::new();
        let mut by_anchor: HashMap<u32, Vec<u32>> = HashMap::default();
        let mut unanchored = Vec::new();
        for (r, rule) in rules.rules.iter().enumerate() {
            for (p, phrase) in rule.phrases.iter().enumerate() {
                for (k, pattern) in phrase.patterns.iter().enumerate() {
                    let index = candidates.len() as u32;
                    candidates.push(Candidate {
                        rule: r,
                        phrase: p,
                        pattern: k,
                    });
                    match pattern.anchor() {
                        Some(ids) => {
                            for id in ids {
                                by_anchor.entry(id).or_default().push(index);
                            }
                        }
                        None => unanchored.push(index),
                    }
                }
            }
        }
        PhraseIndex {
            candidates,
            by_anchor,
            unanchored,
        }
    }

    /// The candidates that may match starting at a word with `info`, in the order the matches are
    /// to be found: by its readings' ids, its form id, then the unanchored ones. A candidate whose
    /// first pattern word is required and does not take this word is left out.
    fn starting_at(&self, info: &WordInfo, rules: &RuleSet, out: &mut Vec<u32>) {
        let anchored = info
            .readings
            .iter()
            .map(|&(id, _)| id)
            .chain(info.form_id)
            .filter(|&id| id != NO_ID)
            .filter_map(|id| self.by_anchor.get(&id))
            .flatten();
        for &index in anchored.chain(self.unanchored.iter()) {
            let candidate = &self.candidates[index as usize];
            let pattern =
                &rules.rules[candidate.rule].phrases[candidate.phrase].patterns[candidate.pattern];
            let may_start = match pattern.tokens.first() {
                Some(
                    token @ PatternToken::Word {
                        optional: false, ..
                    },
                ) => token_matches(token, info),
                _ => true,
            };
            if may_start {
                out.push(index);
            }
        }
    }

    /// Every phrase match in the document, overlaps within one category resolved in favour of the
    /// longer match (then the earlier rule).
    pub fn find_all(
        &self,
        doc: &Document,
        words: &AnalyzedWords,
        rules: &RuleSet,
    ) -> Vec<PhraseMatch> {
        let mut found = Vec::new();
        let mut segment: Vec<(usize, &WordInfo, bool)> = Vec::new();
        let mut path = Vec::new();
        // One uncontended lock per document (a cache belongs to one thread at a time).
        let mut memo = words
            .cache
            .starts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (s, sentence) in doc.sentences.iter().enumerate() {
            segment.clear();
            let mut punct_before = false;
            for t in sentence.tokens.clone() {
                let token = &doc.tokens[t];
                match token.kind {
                    // Numbers take part so that patterns can say «до {NUM}».
                    TokenKind::Word | TokenKind::Number if !token.in_citation => {
                        if let Some(info) = words.word(t) {
                            segment.push((t, info, punct_before));
                            punct_before = false;
                        }
                    }
                    TokenKind::Punct => {
                        punct_before |= breaks_adjacency(&doc.text()[token.range.clone()]);
                    }
                    TokenKind::Url | TokenKind::Email | TokenKind::Phone => {
                        self.find_in_segment(
                            doc, words, rules, &segment, s, &mut memo, &mut path, &mut found,
                        );
                        segment.clear();
                    }
                    TokenKind::Word => {
                        self.find_in_segment(
                            doc, words, rules, &segment, s, &mut memo, &mut path, &mut found,
                        );
                        segment.clear();
                    }
                    _ => {}
                }
            }
            self.find_in_segment(
                doc, words, rules, &segment, s, &mut memo, &mut path, &mut found,
            );
        }
        resolve_overlaps(found, rules)
    }

    #[allow(clippy::too_many_arguments)]
    fn find_in_segment(
        &self,
        doc: &Document,
        words: &AnalyzedWords,
        rules: &RuleSet,
        segment: &[(usize, &WordInfo, bool)],
        sentence: usize,
        memo: &mut StartMemo,
        path: &mut Vec<usize>,
        found: &mut Vec<PhraseMatch>,
    ) {
        for start in 0..segment.len() {
            // A duplicate has the same range, so the same start word: only this start's matches
            // need comparing (comparing with all matches made the search quadratic).
            let first_of_start = found.len();
            let info = segment[start].1;
            let form = words
                .form(segment[start].0)
                .expect("segment words are analysed");
            let slot = form as usize;
            if memo.by_form.len() <= slot {
                memo.by_form.resize(slot + 1, None);
            }
            let range = match memo.by_form[slot] {
                Some((from, to)) => from..to,
                None => {
                    let from = memo.flat.len() as u32;
                    self.starting_at(info, rules, &mut memo.flat);
                    let to = memo.flat.len() as u32;
                    memo.by_form[slot] = Some((from, to));
                    from..to
                }
            };
            for k in range {
                let candidate = &self.candidates[memo.flat[k as usize] as usize];
                let rule = &rules.rules[candidate.rule];
                let phrase = &rule.phrases[candidate.phrase];
                let pattern = &phrase.patterns[candidate.pattern];
                let Some(end) = match_after_first(pattern, segment, start, path) else {
                    continue;
                };
                let (focus_first, focus_last) = focus_of(pattern, path).unwrap_or((start, end - 1));
                if phrase
                    .exceptions
                    .iter()
                    .any(|exception| exception_covers(exception, segment, focus_first, focus_last))
                {
                    continue;
                }
                let token_range = |i: usize| doc.tokens[segment[i].0].range.clone();
                let m = PhraseMatch {
                    rule: candidate.rule,
                    phrase: candidate.phrase,
                    range: token_range(start).start..token_range(end - 1).end,
                    focus: token_range(focus_first).start..token_range(focus_last).end,
                    focus_token: segment[focus_first].0,
                    focus_words: focus_last - focus_first + 1,
                    sentence,
                };
                if !found[first_of_start..].contains(&m) {
                    found.push(m);
                }
            }
        }
    }
}

fn token_matches(token: &PatternToken, info: &WordInfo) -> bool {
    let PatternToken::Word { alternatives, .. } = token else {
        return false;
    };
    alternatives.iter().any(|alternative| {
        if alternative.ids.is_empty() {
            let tags = alternative
                .tags
                .as_ref()
                .expect("tag-only alternatives have a filter");
            return info.has_tag(|tag| tags.contains(tag));
        }
        let ids = &alternative.ids;
        if info
            .form_id
            .is_some_and(|id| ids.binary_search(&id).is_ok())
        {
            return true;
        }
        info.readings.iter().any(|&(id, tag)| {
            id != NO_ID
                && ids.binary_search(&id).is_ok()
                && alternative.tags.as_ref().is_none_or(|t| t.contains(tag))
        })
    })
}

/// Matches `pattern` at word `start` of the segment; returns the end (exclusive) of the shortest
/// match and leaves in `path` the word each pattern token took (usize::MAX when skipped).
pub fn match_at(
    pattern: &Pattern,
    segment: &[(usize, &WordInfo, bool)],
    start: usize,
    path: &mut Vec<usize>,
) -> Option<usize> {
    path.clear();
    path.resize(pattern.tokens.len(), usize::MAX);
    match_from(pattern, 0, segment, start, path, true)
}

/// `match_at` for a candidate whose first token is already known to take word `start` (the
/// per-form candidate lists test it once per distinct form): matching resumes at the second token.
fn match_after_first(
    pattern: &Pattern,
    segment: &[(usize, &WordInfo, bool)],
    start: usize,
    path: &mut Vec<usize>,
) -> Option<usize> {
    if !matches!(
        pattern.tokens.first(),
        Some(PatternToken::Word {
            optional: false,
            ..
        })
    ) {
        return match_at(pattern, segment, start, path);
    }
    path.clear();
    path.resize(pattern.tokens.len(), usize::MAX);
    path[0] = start;
    let end = match_from(pattern, 1, segment, start + 1, path, false);
    if end.is_none() {
        path[0] = usize::MAX;
    }
    end
}

/// Punctuation between two words keeps adjacent pattern tokens from matching across it
/// («Министерством, производятся» is not «Министерством производятся»); quotes do not.
fn breaks_adjacency(punct: &str) -> bool {
    !matches!(punct, "«" | "»" | "\"" | "„" | "“" | "”" | "'" | "’")
}

fn match_from(
    pattern: &Pattern,
    t: usize,
    segment: &[(usize, &WordInfo, bool)],
    i: usize,
    path: &mut [usize],
    after_gap: bool,
) -> Option<usize> {
    let Some(token) = pattern.tokens.get(t) else {
        return Some(i);
    };
    match token {
        PatternToken::Gap { max } => {
            for skip in 0..=*max {
                if i + skip > segment.len() {
                    break;
                }
                if let Some(end) = match_from(pattern, t + 1, segment, i + skip, path, true) {
                    return Some(end);
                }
            }
            None
        }
        PatternToken::Word {
            optional, punct_ok, ..
        } => {
            let adjacent_ok = after_gap || *punct_ok || i < segment.len() && !segment[i].2;
            if i < segment.len() && adjacent_ok && token_matches(token, segment[i].1) {
                path[t] = i;
                if let Some(end) = match_from(pattern, t + 1, segment, i + 1, path, false) {
                    return Some(end);
                }
                path[t] = usize::MAX;
            }
            if *optional {
                // A skipped optional word hands its comma on: `вы, видимо?, не понять`.
                return match_from(pattern, t + 1, segment, i, path, after_gap || *punct_ok);
            }
            None
        }
    }
}

/// First and last word taken by the `[ … ]` tokens, if the pattern has them and they matched.
fn focus_of(pattern: &Pattern, path: &[usize]) -> Option<(usize, usize)> {
    let focused = pattern
        .tokens
        .iter()
        .zip(path)
        .filter(|&(token, &i)| {
            matches!(token, PatternToken::Word { focus: true, .. }) && i != usize::MAX
        })
        .map(|(_, &i)| i);
    let (mut first, mut last) = (usize::MAX, 0);
    for i in focused {
        first = first.min(i);
        last = last.max(i);
    }
    (first != usize::MAX).then_some((first, last))
}

/// An exception suppresses a match when it matches words that include the focused words.
fn exception_covers(
    exception: &Pattern,
    segment: &[(usize, &WordInfo, bool)],
    first: usize,
    last: usize,
) -> bool {
    let mut path = Vec::new();
    let earliest = first.saturating_sub(exception.tokens.len() + 6);
    (earliest..=first)
        .any(|start| match_at(exception, segment, start, &mut path).is_some_and(|end| end > last))
}

fn resolve_overlaps(mut found: Vec<PhraseMatch>, rules: &RuleSet) -> Vec<PhraseMatch> {
    let category = |m: &PhraseMatch| rules.rules[m.rule].category;
    // Longest first, then earliest rule: the survivors are the best of each overlapping group.
    found.sort_by(|a, b| {
        (b.focus.len(), a.rule, a.phrase, a.focus.start).cmp(&(
            a.focus.len(),
            b.rule,
            b.phrase,
            b.focus.start,
        ))
    });
    let mut kept: Vec<PhraseMatch> = Vec::with_capacity(found.len());
    // The kept focuses of one category never overlap, so ordered by start they are ordered by end
    // too: a new focus overlaps one of them exactly when it overlaps the last one starting before
    // its end. (Comparing with every kept match made this quadratic.)
    let mut kept_by_category: BTreeMap<(Category, usize), usize> = BTreeMap::new();
    for m in found {
        let c = category(&m);
        let overlaps = kept_by_category
            .range((c, 0)..(c, m.focus.end))
            .next_back()
            .is_some_and(|(_, &end)| m.focus.start < end);
        if !overlaps {
            kept_by_category.insert((c, m.focus.start), m.focus.end);
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| (m.focus.start, m.focus.end, m.rule));
    kept
}
