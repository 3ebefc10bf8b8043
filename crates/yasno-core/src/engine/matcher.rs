//! Lemma matching: words of a document are mapped once to their readings (lemma ids of the rule
//! vocabulary and UD tags), then every phrase pattern is matched sentence by sentence.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use super::lemma_cache::{AnalyzedWords, NO_ID, PerForm, WordInfo};
use super::pattern::{Alternative, Pattern, PatternToken, TagFilter};
use super::rules::RuleSet;
use crate::finding::Category;
use crate::text::{Document, TokenKind};

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
    steps: Box<[Step]>,
    /// The tokens one of which must take the word after the first (`next_options`).
    next_options: Option<Box<[u32]>>,
    /// Index into `PhraseIndex::exceptions`: the phrase's exceptions.
    exceptions: usize,
}

/// A pattern token as the matcher runs it: a word token is named by its id in the `TokenTable`.
#[derive(Clone, Copy, Debug)]
enum Step {
    Word {
        token: u32,
        optional: bool,
        focus: bool,
        punct_ok: bool,
    },
    Gap {
        max: usize,
    },
}

/// The distinct word tokens of all patterns and exceptions, and the inverted index that gives,
/// for a word form, every token the form satisfies. A form's set is worked out once and kept in
/// the `LemmaCache`; matching then tests a token with a binary search in that small sorted set
/// instead of walking the token's alternatives against the form's readings.
#[derive(Default)]
struct TokenTable {
    /// Lemma or `=form` id → the tokens with an alternative naming it, with that alternative's tags.
    by_id: HashMap<u32, Vec<TokenAlternative>>,
    /// Alternatives that are a tag set alone (`{NOUN}`), by filter: a reading with a tag in the
    /// filter satisfies the tokens.
    tag_only: Vec<(Arc<TagFilter>, Vec<u32>)>,
    /// Token ids by content, so that the same token in many patterns is one id.
    ids: HashMap<Vec<AlternativeKey>, u32>,
}

/// A token, and the tags its alternative allows (all when None).
type TokenAlternative = (u32, Option<Arc<TagFilter>>);

/// An alternative by value: its ids and its tags' bits.
type AlternativeKey = (Vec<u32>, Option<Vec<u64>>);

impl TokenTable {
    fn intern(&mut self, alternatives: &[Alternative]) -> u32 {
        let key: Vec<AlternativeKey> = alternatives
            .iter()
            .map(|a| (a.ids.clone(), a.tags.as_ref().map(|t| t.bits().to_vec())))
            .collect();
        if let Some(&token) = self.ids.get(&key) {
            return token;
        }
        let token = self.ids.len() as u32;
        self.ids.insert(key, token);
        for alternative in alternatives {
            if alternative.ids.is_empty() {
                if let Some(tags) = &alternative.tags {
                    match self
                        .tag_only
                        .iter_mut()
                        .find(|(t, _)| t.bits() == tags.bits())
                    {
                        Some((_, tokens)) => tokens.push(token),
                        None => self.tag_only.push((tags.clone(), vec![token])),
                    }
                }
                continue;
            }
            for &id in &alternative.ids {
                self.by_id
                    .entry(id)
                    .or_default()
                    .push((token, alternative.tags.clone()));
            }
        }
        token
    }

    fn compile(&mut self, pattern: &Pattern) -> Box<[Step]> {
        pattern
            .tokens
            .iter()
            .map(|token| match token {
                PatternToken::Word {
                    alternatives,
                    optional,
                    focus,
                    punct_ok,
                } => Step::Word {
                    token: self.intern(alternatives),
                    optional: *optional,
                    focus: *focus,
                    punct_ok: *punct_ok,
                },
                PatternToken::Gap { max } => Step::Gap { max: *max },
            })
            .collect()
    }

    /// Appends the sorted ids of the tokens that a word with `info` satisfies: an alternative
    /// names the form (`=form`, whatever the tags), or names a reading's lemma and allows its tag,
    /// or is a tag set that one of the readings' tags is in.
    fn satisfied_by(&self, info: &WordInfo, out: &mut Vec<u32>) {
        let from = out.len();
        for &(id, tag) in &info.readings {
            if id == NO_ID {
                continue;
            }
            for (token, tags) in self.by_id.get(&id).into_iter().flatten() {
                if tags.as_ref().is_none_or(|t| t.contains(tag)) {
                    out.push(*token);
                }
            }
        }
        if let Some(id) = info.form_id {
            out.extend(self.by_id.get(&id).into_iter().flatten().map(|(t, _)| *t));
        }
        for (tags, tokens) in &self.tag_only {
            if info.has_tag(|tag| tags.contains(tag)) {
                out.extend_from_slice(tokens);
            }
        }
        let mut set = out.split_off(from);
        set.sort_unstable();
        set.dedup();
        out.extend(set);
    }
}

/// The tokens of which one must take the word after a match's first word: the steps up to and
/// including the first required word after the first step. None when a gap comes first (the
/// next word may be skipped) or the pattern is one word.
fn next_options(steps: &[Step]) -> Option<Box<[u32]>> {
    let mut options = Vec::new();
    for step in steps.get(1..)? {
        match *step {
            Step::Gap { .. } => return None,
            Step::Word {
                token, optional, ..
            } => {
                options.push(token);
                if !optional {
                    return Some(options.into());
                }
            }
        }
    }
    None
}

/// The compiled lookup: for each first-token id, the patterns that may start there.
pub struct PhraseIndex {
    candidates: Vec<Candidate>,
    /// Indices into `candidates`.
    by_anchor: HashMap<u32, Vec<u32>>,
    unanchored: Vec<u32>,
    /// Per phrase (see `Candidate::exceptions`), its exception patterns.
    exceptions: Vec<Vec<Box<[Step]>>>,
    tokens: TokenTable,
}

/// What matching needs of a word form, worked out once per distinct form of the `LemmaCache`
/// (letters repeat their words, and an archive repeats them across letters): the tokens it
/// satisfies, and the candidates that may start at it.
#[derive(Default)]
pub(super) struct StartMemo {
    /// Per cache index of a form: its ranges of `satisfied` and `starts`.
    by_form: PerForm<FormMemo>,
    satisfied: Vec<u32>,
    starts: Vec<Start>,
}

/// A candidate that may start at a form. Most candidates fail at their second word: its
/// requirement is copied here, so that rejecting them reads no pattern.
#[derive(Clone, Copy)]
struct Start {
    candidate: u32,
    /// The token of the second step when that step is a required word; `ANY_NEXT` otherwise.
    next_token: u32,
    /// The second word may follow punctuation.
    next_after_punct: bool,
    /// A required word further on that must stand within a few words of the start (see
    /// `later_required_word`); `token` is `ANY_NEXT` when there is none to check.
    later: LaterWord,
}

#[derive(Clone, Copy)]
struct LaterWord {
    token: u32,
    /// The words it may be, counted from the start word.
    nearest: u8,
    furthest: u8,
}

/// The first required word after the second step (after the first, when the second is not a
/// required word and so is not checked on its own), and the words, counted from the start, it may
/// be: optional words and gaps before it widen the window. Most starts that the next word lets
/// through fail here, without a walk through the pattern.
fn later_required_word(steps: &[Step]) -> LaterWord {
    let none = LaterWord {
        token: ANY_NEXT,
        nearest: 0,
        furthest: 0,
    };
    let second_is_checked = matches!(
        steps.get(1),
        Some(Step::Word {
            optional: false,
            ..
        })
    );
    // The words the step being looked at may take, counted from the start.
    let (mut nearest, mut furthest) = (1usize, 1usize);
    for (index, step) in steps.iter().enumerate().skip(1) {
        match *step {
            Step::Word {
                token,
                optional: false,
                ..
            } if index > 1 || !second_is_checked => {
                return match (u8::try_from(nearest), u8::try_from(furthest)) {
                    (Ok(nearest), Ok(furthest)) => LaterWord {
                        token,
                        nearest,
                        furthest,
                    },
                    _ => none,
                };
            }
            Step::Word {
                optional: false, ..
            } => {
                nearest += 1;
                furthest += 1;
            }
            Step::Word { optional: true, .. } => furthest += 1,
            Step::Gap { max } => furthest = furthest.saturating_add(max),
        }
    }
    none
}

const ANY_NEXT: u32 = u32::MAX;
/// The second step is optional: one of the candidate's `next_options` must take the next word.
const ONE_OF_NEXT: u32 = u32::MAX - 1;

#[derive(Clone, Copy)]
struct FormMemo {
    satisfied: (u32, u32),
    /// `token_bit` of every satisfied token: most tests of a token that the form does not
    /// satisfy end here, without the binary search.
    satisfied_bits: u64,
    starts: (u32, u32),
    /// `token_bit` of every token one of which the next word must satisfy for a start of this
    /// form to go on; all bits when some start takes any next word (or none: a one-word pattern).
    /// Most words start nothing that the next word continues: one test skips their start list.
    next_bits: u64,
}

fn token_bit(token: u32) -> u64 {
    1 << (token % 64)
}

impl StartMemo {
    pub(super) fn clear(&mut self) {
        self.by_form.clear();
        self.satisfied.clear();
        self.starts.clear();
    }
}

/// A word of a run of words that patterns may match across.
#[derive(Clone, Copy)]
struct SegmentWord {
    token: usize,
    /// Range of `StartMemo::satisfied`: the pattern tokens this word satisfies.
    satisfied: (u32, u32),
    satisfied_bits: u64,
    starts: (u32, u32),
    next_bits: u64,
    /// Punctuation stands between this word and the previous one.
    punct_before: bool,
}

/// The words of one segment and the memo their ranges point into.
struct Segment<'a> {
    words: &'a [SegmentWord],
    satisfied: &'a [u32],
}

impl Segment<'_> {
    fn satisfies(&self, word: usize, token: u32) -> bool {
        let word = &self.words[word];
        if word.satisfied_bits & token_bit(token) == 0 {
            return false;
        }
        let (from, to) = word.satisfied;
        self.satisfied[from as usize..to as usize]
            .binary_search(&token)
            .is_ok()
    }
}

impl PhraseIndex {
    pub fn new(rules: &RuleSet) -> Self {
        let mut candidates = Vec::new();
        let mut by_anchor: HashMap<u32, Vec<u32>> = HashMap::default();
        let mut unanchored = Vec::new();
        let mut exceptions = Vec::new();
        let mut tokens = TokenTable::default();
        for (r, rule) in rules.rules.iter().enumerate() {
            for (p, phrase) in rule.phrases.iter().enumerate() {
                let phrase_exceptions = exceptions.len();
                exceptions.push(
                    phrase
                        .exceptions
                        .iter()
                        .map(|exception| tokens.compile(exception))
                        .collect(),
                );
                for pattern in &phrase.patterns {
                    let index = candidates.len() as u32;
                    let steps = tokens.compile(pattern);
                    candidates.push(Candidate {
                        rule: r,
                        phrase: p,
                        next_options: next_options(&steps),
                        steps,
                        exceptions: phrase_exceptions,
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
            exceptions,
            tokens,
        }
    }

    /// Works out what matching needs of the form with cache index `form` (see `StartMemo`).
    fn memo_for(&self, form: u32, info: &WordInfo, memo: &mut StartMemo) -> FormMemo {
        let StartMemo {
            by_form,
            satisfied,
            starts,
        } = memo;
        by_form.for_form(form, || {
            let from = satisfied.len();
            self.tokens.satisfied_by(info, satisfied);
            let starts_from = starts.len();
            self.starting_at(info, &satisfied[from..], starts);
            let next_bits =
                starts[starts_from..]
                    .iter()
                    .fold(0, |bits, start| match start.next_token {
                        ANY_NEXT => u64::MAX,
                        ONE_OF_NEXT => self.candidates[start.candidate as usize]
                            .next_options
                            .iter()
                            .flatten()
                            .fold(bits, |bits, &token| bits | token_bit(token)),
                        token => bits | token_bit(token),
                    });
            FormMemo {
                satisfied: (from as u32, satisfied.len() as u32),
                satisfied_bits: satisfied[from..]
                    .iter()
                    .fold(0, |bits, &token| bits | token_bit(token)),
                starts: (starts_from as u32, starts.len() as u32),
                next_bits,
            }
        })
    }

    /// The candidates that may match starting at a word with `info`, in the order the matches are
    /// to be found: by its readings' ids, its form id, then the unanchored ones. A candidate whose
    /// first pattern word does not take this word is left out (every pattern starts with a
    /// required word).
    fn starting_at(&self, info: &WordInfo, satisfied: &[u32], out: &mut Vec<Start>) {
        let anchored = info
            .readings
            .iter()
            .map(|&(id, _)| id)
            .chain(info.form_id)
            .filter(|&id| id != NO_ID)
            .filter_map(|id| self.by_anchor.get(&id))
            .flatten();
        for &index in anchored.chain(self.unanchored.iter()) {
            let steps = &self.candidates[index as usize].steps;
            let may_start = match steps.first() {
                Some(&Step::Word { token, .. }) => satisfied.binary_search(&token).is_ok(),
                _ => true,
            };
            if !may_start {
                continue;
            }
            let (next_token, next_after_punct) = match steps.get(1) {
                Some(&Step::Word {
                    token,
                    optional: false,
                    punct_ok,
                    ..
                }) => (token, punct_ok),
                _ if self.candidates[index as usize].next_options.is_some() => (ONE_OF_NEXT, true),
                _ => (ANY_NEXT, true),
            };
            out.push(Start {
                candidate: index,
                next_token,
                next_after_punct,
                later: later_required_word(steps),
            });
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
        let mut segment: Vec<SegmentWord> = Vec::new();
        let mut path = Vec::new();
        // One uncontended lock per document (a cache belongs to one thread at a time).
        let mut memo = words
            .cache
            .starts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut flush = |segment: &mut Vec<SegmentWord>, memo: &StartMemo, sentence: usize| {
            let run = Segment {
                words: segment,
                satisfied: &memo.satisfied,
            };
            self.find_in_segment(doc, &run, &memo.starts, sentence, &mut path, &mut found);
            segment.clear();
        };
        for (s, sentence) in doc.sentences.iter().enumerate() {
            let mut punct_before = false;
            for t in sentence.tokens.clone() {
                let token = &doc.tokens[t];
                match token.kind {
                    // Numbers take part so that patterns can say «до {NUM}».
                    TokenKind::Word | TokenKind::Number if !token.in_citation => {
                        if let Some(form) = words.form(t) {
                            let entry = self.memo_for(form, words.cache.info(form), &mut memo);
                            segment.push(SegmentWord {
                                token: t,
                                satisfied: entry.satisfied,
                                satisfied_bits: entry.satisfied_bits,
                                starts: entry.starts,
                                next_bits: entry.next_bits,
                                punct_before,
                            });
                            punct_before = false;
                        }
                    }
                    TokenKind::Punct => {
                        punct_before |= breaks_adjacency(&doc.text()[token.range()]);
                    }
                    TokenKind::Url | TokenKind::Email | TokenKind::Phone | TokenKind::Word => {
                        flush(&mut segment, &memo, s);
                    }
                    _ => {}
                }
            }
            flush(&mut segment, &memo, s);
        }
        resolve_overlaps(found, rules)
    }

    fn find_in_segment(
        &self,
        doc: &Document,
        segment: &Segment,
        starts: &[Start],
        sentence: usize,
        path: &mut Vec<usize>,
        found: &mut Vec<PhraseMatch>,
    ) {
        for start in 0..segment.words.len() {
            // A duplicate has the same range, so the same start word: only this start's matches
            // need comparing (comparing with all matches made the search quadratic).
            let first_of_start = found.len();
            let word = &segment.words[start];
            let next = start + 1;
            let next_may_continue = word.next_bits == u64::MAX
                || segment
                    .words
                    .get(next)
                    .is_some_and(|next_word| word.next_bits & next_word.satisfied_bits != 0);
            if !next_may_continue {
                continue;
            }
            let (from, to) = word.starts;
            for entry in &starts[from as usize..to as usize] {
                // The candidate is read only for a start that the next word continues.
                let candidate = || &self.candidates[entry.candidate as usize];
                let may_match = match entry.next_token {
                    ANY_NEXT => true,
                    ONE_OF_NEXT => {
                        next < segment.words.len()
                            && candidate()
                                .next_options
                                .iter()
                                .flatten()
                                .any(|&token| segment.satisfies(next, token))
                    }
                    token => {
                        next < segment.words.len()
                            && (entry.next_after_punct || !segment.words[next].punct_before)
                            && segment.satisfies(next, token)
                    }
                };
                let later = entry.later;
                let later_found = || {
                    let window = start + usize::from(later.nearest)
                        ..(start + usize::from(later.furthest) + 1).min(segment.words.len());
                    window
                        .into_iter()
                        .any(|word| segment.satisfies(word, later.token))
                };
                if !may_match || later.token != ANY_NEXT && !later_found() {
                    continue;
                }
                let candidate = candidate();
                let Some(end) = match_after_first(&candidate.steps, segment, start, path) else {
                    continue;
                };
                let (focus_first, focus_last) =
                    focus_of(&candidate.steps, path).unwrap_or((start, end - 1));
                if self.exceptions[candidate.exceptions]
                    .iter()
                    .any(|exception| exception_covers(exception, segment, focus_first, focus_last))
                {
                    continue;
                }
                let token_range = |i: usize| doc.tokens[segment.words[i].token].range();
                let m = PhraseMatch {
                    rule: candidate.rule,
                    phrase: candidate.phrase,
                    range: token_range(start).start..token_range(end - 1).end,
                    focus: token_range(focus_first).start..token_range(focus_last).end,
                    focus_token: segment.words[focus_first].token,
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

/// Matches `steps` at word `start` of the segment; returns the end (exclusive) of the shortest
/// match and leaves in `path` the word each step took (usize::MAX when skipped).
fn match_at(
    steps: &[Step],
    segment: &Segment,
    start: usize,
    path: &mut Vec<usize>,
) -> Option<usize> {
    path.clear();
    path.resize(steps.len(), usize::MAX);
    match_from(steps, 0, segment, start, path, true)
}

/// `match_at` for a candidate whose first step is known to take word `start` (the per-form
/// candidate lists test it once per distinct form): matching resumes at the second step.
fn match_after_first(
    steps: &[Step],
    segment: &Segment,
    start: usize,
    path: &mut Vec<usize>,
) -> Option<usize> {
    path.clear();
    path.resize(steps.len(), usize::MAX);
    path[0] = start;
    let end = match_from(steps, 1, segment, start + 1, path, false);
    if end.is_none() {
        path[0] = usize::MAX;
    }
    end
}

/// Punctuation between two words keeps adjacent pattern tokens from matching across it
/// («Министерством, производятся» is not «Министерством производятся»); quotes do not.
pub(super) fn breaks_adjacency(punct: &str) -> bool {
    let mut chars = punct.chars();
    let quote = matches!(
        chars.next(),
        Some('«' | '»' | '"' | '„' | '“' | '”' | '\'' | '’')
    );
    !(quote && chars.next().is_none())
}

fn match_from(
    steps: &[Step],
    t: usize,
    segment: &Segment,
    i: usize,
    path: &mut [usize],
    after_gap: bool,
) -> Option<usize> {
    let Some(&step) = steps.get(t) else {
        return Some(i);
    };
    let len = segment.words.len();
    match step {
        Step::Gap { max } => {
            for skip in 0..=max {
                if i + skip > len {
                    break;
                }
                if let Some(end) = match_from(steps, t + 1, segment, i + skip, path, true) {
                    return Some(end);
                }
            }
            None
        }
        Step::Word {
            token,
            optional,
            punct_ok,
            ..
        } => {
            let adjacent_ok = after_gap || punct_ok || i < len && !segment.words[i].punct_before;
            if i < len && adjacent_ok && segment.satisfies(i, token) {
                path[t] = i;
                if let Some(end) = match_from(steps, t + 1, segment, i + 1, path, false) {
                    return Some(end);
                }
                path[t] = usize::MAX;
            }
            if optional {
                // A skipped optional word hands its comma on: `вы, видимо?, не понять`.
                return match_from(steps, t + 1, segment, i, path, after_gap || punct_ok);
            }
            None
        }
    }
}

/// First and last word taken by the `[ … ]` steps, if the pattern has them and they matched.
fn focus_of(steps: &[Step], path: &[usize]) -> Option<(usize, usize)> {
    let focused = steps
        .iter()
        .zip(path)
        .filter(|&(step, &i)| matches!(step, Step::Word { focus: true, .. }) && i != usize::MAX)
        .map(|(_, &i)| i);
    let (mut first, mut last) = (usize::MAX, 0);
    for i in focused {
        first = first.min(i);
        last = last.max(i);
    }
    (first != usize::MAX).then_some((first, last))
}

/// An exception suppresses a match when it matches words that include the focused words.
fn exception_covers(exception: &[Step], segment: &Segment, first: usize, last: usize) -> bool {
    let mut path = Vec::new();
    let earliest = first.saturating_sub(exception.len() + 6);
    (earliest..=first)
        .any(|start| match_at(exception, segment, start, &mut path).is_some_and(|end| end > last))
}

/// Up to this many matches in a sentence, overlaps are found by comparing with each kept one.
const SCAN_LIMIT: usize = 32;

fn resolve_overlaps(found: Vec<PhraseMatch>, rules: &RuleSet) -> Vec<PhraseMatch> {
    let category = |m: &PhraseMatch| rules.rules[m.rule].category;
    let mut kept: Vec<PhraseMatch> = Vec::with_capacity(found.len());
    let mut group: Vec<PhraseMatch> = Vec::new();
    // Matches of different sentences never overlap, and `found` comes sentence by sentence: each
    // sentence's few matches are resolved on their own, and the sentences stay in text order.
    for sentence in found.chunk_by(|a, b| a.sentence == b.sentence) {
        group.clear();
        group.extend_from_slice(sentence);
        // Longest first, then earliest rule: the survivors are the best of each overlapping group.
        group.sort_by(|a, b| {
            (b.focus.len(), a.rule, a.phrase, a.focus.start).cmp(&(
                a.focus.len(),
                b.rule,
                b.phrase,
                b.focus.start,
            ))
        });
        let first_kept = kept.len();
        if group.len() <= SCAN_LIMIT {
            for m in group.drain(..) {
                let overlaps = kept[first_kept..].iter().any(|k| {
                    category(k) == category(&m)
                        && m.focus.start < k.focus.end
                        && k.focus.start < m.focus.end
                });
                if !overlaps {
                    kept.push(m);
                }
            }
        } else {
            // A sentence that runs for pages (a text without full stops). The kept focuses of one
            // category never overlap, so ordered by start they are ordered by end too: a new
            // focus overlaps one of them exactly when it overlaps the last one starting before
            // its end.
            let mut kept_by_category: BTreeMap<(Category, usize), usize> = BTreeMap::new();
            for m in group.drain(..) {
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
        }
        kept[first_kept..].sort_by_key(|m| (m.focus.start, m.focus.end, m.rule));
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::LemmaCache;

    /// For every word of the test letters and every word token of the default rules, the token
    /// table says what the pattern says.
    #[test]
    fn token_sets_agree_with_the_patterns() {
        let rules = RuleSet::defaults().unwrap();
        let index = PhraseIndex::new(&rules);
        let mut cache = LemmaCache::new();
        let mut text = super::super::test_letters();
        // Forms the letters may lack: pattern words themselves, `=forms`, numbers, mixed scripts.
        text += " 12 нами Вы ты ТЫ вами тобой контроль взят ответа рассмотрено cлучае";
        let doc = Document::new(text);
        let words = AnalyzedWords::analyze(&doc, &rules, &mut cache);
        drop(words);
        // One pattern token for each token id (the same id means the same alternatives).
        let mut representative: HashMap<u32, &PatternToken> = HashMap::default();
        let mut candidates = index.candidates.iter();
        let mut exceptions = index.exceptions.iter();
        for phrase in rules.rules.iter().flat_map(|rule| &rule.phrases) {
            let compiled = exceptions.next().unwrap().iter().map(|s| &s[..]);
            let compiled = compiled.chain(
                phrase
                    .patterns
                    .iter()
                    .map(|_| &candidates.next().unwrap().steps[..]),
            );
            for (pattern, steps) in phrase
                .exceptions
                .iter()
                .chain(&phrase.patterns)
                .zip(compiled)
            {
                assert_eq!(pattern.tokens.len(), steps.len());
                for (token, step) in pattern.tokens.iter().zip(steps) {
                    if let Step::Word { token: id, .. } = step {
                        representative.insert(*id, token);
                    }
                }
            }
        }
        assert_eq!(representative.len(), index.tokens.ids.len());
        let (mut checked, mut taken) = (0, 0);
        let mut satisfied = Vec::new();
        for form in 0..cache.infos.len() as u32 {
            let info = cache.info(form);
            satisfied.clear();
            index.tokens.satisfied_by(info, &mut satisfied);
            assert!(
                satisfied.windows(2).all(|w| w[0] < w[1]),
                "sorted, no repeats"
            );
            for (&id, &token) in &representative {
                let expected = info.fits(token);
                assert_eq!(
                    satisfied.binary_search(&id).is_ok(),
                    expected,
                    "form {form}"
                );
                checked += 1;
                taken += usize::from(expected);
            }
        }
        assert!(
            checked > 100_000 && taken > 1_000,
            "{checked} checks, {taken} taken"
        );
    }

    /// Overlaps resolved over the whole document at once, as before they were resolved sentence
    /// by sentence: the reference for `resolve_overlaps`.
    fn resolve_overlaps_at_once(mut found: Vec<PhraseMatch>, rules: &RuleSet) -> Vec<PhraseMatch> {
        let category = |m: &PhraseMatch| rules.rules[m.rule].category;
        found.sort_by_key(|m| {
            (
                std::cmp::Reverse(m.focus.len()),
                m.rule,
                m.phrase,
                m.focus.start,
            )
        });
        let mut kept: Vec<PhraseMatch> = Vec::new();
        for m in found {
            let overlaps = kept.iter().any(|k| {
                category(k) == category(&m)
                    && m.focus.start < k.focus.end
                    && k.focus.start < m.focus.end
            });
            if !overlaps {
                kept.push(m);
            }
        }
        kept.sort_by_key(|m| (m.focus.start, m.focus.end, m.rule));
        kept
    }

    proptest::proptest! {
        /// Short sentences (scanned) and long ones (past `SCAN_LIMIT`, an ordered map) alike.
        #[test]
        fn overlaps_resolved_per_sentence_as_over_the_whole_text(
            raw in proptest::collection::vec((0usize..4, 0usize..12, 0usize..3, 0usize..80, 1usize..12), 0..120),
        ) {
            let rules = RuleSet::defaults().unwrap();
            let mut found: Vec<PhraseMatch> = raw
                .into_iter()
                .map(|(sentence, rule, phrase, start, len)| {
                    let start = sentence * 100 + start;
                    PhraseMatch {
                        rule: rule * 7 % rules.rules.len(),
                        phrase,
                        range: start..start + len,
                        focus: start..start + len,
                        focus_token: start,
                        focus_words: 1,
                        sentence,
                    }
                })
                .collect();
            found.sort_by_key(|m| m.sentence);
            let expected = resolve_overlaps_at_once(found.clone(), &rules);
            proptest::prop_assert_eq!(resolve_overlaps(found, &rules), expected);
        }
    }

    #[test]
    fn later_required_word_windows() {
        let word = |token, optional| Step::Word {
            token,
            optional,
            focus: false,
            punct_ok: false,
        };
        let window = |steps: &[Step]| {
            let later = later_required_word(steps);
            (later.token != ANY_NEXT).then_some((later.token, later.nearest, later.furthest))
        };
        // «в соответствии с»: the second word is checked on its own, the third is next after it.
        assert_eq!(
            window(&[word(1, false), word(2, false), word(3, false)]),
            Some((3, 2, 2))
        );
        // «оставить *2 отзыв»: the object is one to three words on.
        assert_eq!(
            window(&[word(1, false), Step::Gap { max: 2 }, word(2, false)]),
            Some((2, 1, 3))
        );
        // An optional word before: one or two words on.
        assert_eq!(
            window(&[word(1, false), word(2, true), word(3, false)]),
            Some((3, 1, 2))
        );
        // Nothing required after the first, or only the checked second word: nothing to look for.
        assert_eq!(window(&[word(1, false)]), None);
        assert_eq!(window(&[word(1, false), word(2, true)]), None);
        assert_eq!(window(&[word(1, false), word(2, false)]), None);
        assert_eq!(
            window(&[
                word(1, false),
                Step::Gap { max: usize::MAX },
                word(2, false)
            ]),
            None
        );
    }
}
