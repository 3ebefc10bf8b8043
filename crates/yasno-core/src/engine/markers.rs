//! The marker patterns of a check (`[rule.markers]`, docs/rules.md), matched over the words of a
//! sentence one pattern and one place at a time: checks ask of few sentences, so plainly.

use std::ops::Range;

use super::lemma_cache::{AnalyzedWords, NO_ID, WordInfo};
use super::matcher::breaks_adjacency;
use super::pattern::{Pattern, PatternToken};
use crate::text::{Document, TokenKind};

/// A named list of marker patterns (`[rule.markers]`), compiled with its rule, and the ids by
/// which a word may start one of them.
#[derive(Debug, Default)]
pub struct MarkerList {
    patterns: Vec<Pattern>,
    /// Per pattern, the sorted ids its first word names (`Pattern::anchor`); None when that word
    /// may be any word with some tag.
    anchors: Vec<Option<Vec<u32>>>,
    /// The union of `anchors`, and whether some pattern has none.
    any_anchor: Vec<u32>,
    unanchored: bool,
}

impl MarkerList {
    pub const EMPTY: MarkerList = MarkerList {
        patterns: Vec::new(),
        anchors: Vec::new(),
        any_anchor: Vec::new(),
        unanchored: false,
    };

    pub fn new(patterns: Vec<Pattern>) -> Self {
        let anchors: Vec<Option<Vec<u32>>> = patterns
            .iter()
            .map(|pattern| {
                pattern.anchor().map(|mut ids| {
                    ids.sort_unstable();
                    ids.dedup();
                    ids
                })
            })
            .collect();
        let mut any_anchor: Vec<u32> = anchors.iter().flatten().flatten().copied().collect();
        any_anchor.sort_unstable();
        any_anchor.dedup();
        MarkerList {
            unanchored: anchors.iter().any(Option::is_none),
            patterns,
            anchors,
            any_anchor,
        }
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    pub fn into_patterns(self) -> Vec<Pattern> {
        self.patterns
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether one of the patterns matches at word `i`.
    pub fn matches_at(&self, words: &[MarkerWord], i: usize) -> bool {
        self.starting_at(words, i).next().is_some()
    }

    /// Every match of every pattern, as (first word, end word exclusive), by first word.
    pub fn matches<'m>(
        &'m self,
        words: &'m [MarkerWord<'m>],
    ) -> impl Iterator<Item = Range<usize>> + 'm {
        (0..words.len()).flat_map(move |i| self.starting_at(words, i).map(move |end| i..end))
    }

    /// The ends of the matches that start at word `i`, one per pattern that matches there.
    ///
    /// A word is first tested by the ids its readings have: most words start none of the
    /// patterns, and this rules them out without walking any pattern (the test
    /// `lists_find_what_their_patterns_find` compares with walking every pattern).
    fn starting_at<'m>(
        &'m self,
        words: &'m [MarkerWord<'m>],
        i: usize,
    ) -> impl Iterator<Item = usize> + 'm {
        let word = words.get(i).map(|w| w.info);
        let may_start =
            word.is_some_and(|info| self.unanchored || names_one_of(info, &self.any_anchor));
        let candidates = if may_start { self.patterns.len() } else { 0 };
        (0..candidates).filter_map(move |p| {
            let anchored = match (&self.anchors[p], word) {
                (Some(ids), Some(info)) => names_one_of(info, ids),
                _ => true,
            };
            if anchored {
                match_at(&self.patterns[p], words, i)
            } else {
                None
            }
        })
    }
}

/// Whether one of the word's reading lemmas, or its exact form, is among the sorted `ids`.
fn names_one_of(info: &WordInfo, ids: &[u32]) -> bool {
    info.readings
        .iter()
        .map(|&(id, _)| id)
        .chain(info.form_id)
        .any(|id| id != NO_ID && ids.binary_search(&id).is_ok())
}

/// A word as a marker sees it: its analysis, and whether punctuation stands before it.
#[derive(Clone, Copy, Debug)]
pub struct MarkerWord<'a> {
    pub info: &'a WordInfo,
    pub punct_before: bool,
}

/// The prose words of the tokens `range` (numbers included, quoted titles left out), with their
/// token indices, as markers see them.
pub fn marker_words<'a>(
    doc: &Document,
    words: &'a AnalyzedWords,
    range: Range<usize>,
) -> (Vec<usize>, Vec<MarkerWord<'a>>) {
    let mut tokens = Vec::new();
    let mut marker_words = Vec::new();
    let mut punct_before = false;
    for t in range {
        let token = &doc.tokens[t];
        if token.in_citation {
            continue;
        }
        match token.kind {
            TokenKind::Punct => punct_before |= breaks_adjacency(&doc.text()[token.range()]),
            TokenKind::Word | TokenKind::Number => {
                if let Some(info) = words.word(t) {
                    tokens.push(t);
                    marker_words.push(MarkerWord { info, punct_before });
                    punct_before = false;
                }
            }
            _ => {}
        }
    }
    (tokens, marker_words)
}

/// The end (exclusive) of the shortest match of `pattern` that starts at word `start`, by the
/// rules of the pattern language: punctuation between adjacent words stops it, unless the
/// pattern has a comma or a gap there.
pub fn match_at(pattern: &Pattern, words: &[MarkerWord], start: usize) -> Option<usize> {
    match_from(&pattern.tokens, words, start, true)
}

fn match_from(
    tokens: &[PatternToken],
    words: &[MarkerWord],
    i: usize,
    after_gap: bool,
) -> Option<usize> {
    let Some((token, rest)) = tokens.split_first() else {
        return Some(i);
    };
    match *token {
        PatternToken::Gap { max } => (0..=max)
            .take_while(|skip| i + skip <= words.len())
            .find_map(|skip| match_from(rest, words, i + skip, true)),
        PatternToken::Word {
            optional, punct_ok, ..
        } => {
            let word = words.get(i);
            let adjacent_ok = after_gap || punct_ok || word.is_some_and(|w| !w.punct_before);
            if adjacent_ok
                && word.is_some_and(|w| w.info.fits(token))
                && let Some(end) = match_from(rest, words, i + 1, false)
            {
                return Some(end);
            }
            if optional {
                // A skipped optional word hands its comma on, as in the engine's matcher.
                return match_from(rest, words, i, after_gap || punct_ok);
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{LemmaCache, RuleSet};

    /// The markers follow the engine's rules for punctuation, gaps and optional words.
    #[test]
    fn markers_match_as_phrase_patterns_do() {
        let mut rules = RuleSet::default();
        rules
            .add_file(
                "markers.toml",
                r#"category = "refusal"
[[rule]]
code = "RF901"
name = "x"
check = "x"
title = "x"
message = "x"
explanation = "x"
clause = "x"
[rule.markers]
m = ["потому что", "т, к", "вы *2 мочь", "по ваш? слово"]
"#,
            )
            .unwrap();
        let markers = rules.get("RF901").unwrap().markers("m");
        let found = |text: &str| -> Vec<(usize, Range<usize>)> {
            let doc = Document::new(text);
            let mut cache = LemmaCache::new();
            let words = AnalyzedWords::analyze(&doc, &rules, &mut cache);
            let (_, marker_words) = marker_words(&doc, &words, 0..doc.tokens.len());
            let mut found = Vec::new();
            for (m, marker) in markers.patterns().iter().enumerate() {
                for start in 0..marker_words.len() {
                    if let Some(end) = match_at(marker, &marker_words, start) {
                        found.push((m, start..end));
                    }
                }
            }
            found
        };
        assert_eq!(found("Нельзя, потому что поздно"), [(0, 1..3)]);
        assert_eq!(found("Нельзя потому, что поздно"), []);
        assert_eq!(found("Нельзя, т. к. поздно"), [(1, 1..3)]);
        assert_eq!(found("Вы, конечно, можете"), [(2, 0..3)]);
        assert_eq!(found("Вы можете"), [(2, 0..2)]);
        assert_eq!(found("По Вашим словам и по словам"), [(3, 0..3), (3, 4..6)]);
    }

    /// The ids that rule words out are only a shortcut: every list finds, over the test letters,
    /// what walking each of its patterns at each word finds.
    #[test]
    fn lists_find_what_their_patterns_find() {
        let rules = RuleSet::defaults().unwrap();
        let text = super::super::test_letters();
        let doc = Document::new(text);
        let mut cache = LemmaCache::new();
        let words = AnalyzedWords::analyze(&doc, &rules, &mut cache);
        let lists: Vec<&MarkerList> = rules
            .rules
            .iter()
            .flat_map(|rule| rule.markers.values())
            .collect();
        assert!(lists.len() >= 10, "the refusal rule has its lists");
        let mut found = 0;
        for sentence in &doc.sentences {
            let (_, marker_words) = marker_words(&doc, &words, sentence.tokens.clone());
            for list in &lists {
                let mut fast: Vec<Range<usize>> = list.matches(&marker_words).collect();
                let mut plain: Vec<Range<usize>> = list
                    .patterns()
                    .iter()
                    .flat_map(|pattern| {
                        (0..marker_words.len()).filter_map(|start| {
                            match_at(pattern, &marker_words, start).map(|end| start..end)
                        })
                    })
                    .collect();
                fast.sort_by_key(|r| (r.start, r.end));
                plain.sort_by_key(|r| (r.start, r.end));
                assert_eq!(fast, plain);
                for i in 0..marker_words.len() {
                    assert_eq!(
                        list.matches_at(&marker_words, i),
                        plain.iter().any(|r| r.start == i)
                    );
                }
                found += plain.len();
            }
        }
        assert!(found > 500, "{found} matches");
    }
}
