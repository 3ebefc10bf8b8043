//! The marker patterns of a check (`[rule.markers]`, docs/rules.md), matched over the words of a
//! sentence one pattern and one place at a time: checks ask of few sentences, so plainly.

use std::ops::Range;

use super::lemma_cache::{AnalyzedWords, WordInfo};
use super::matcher::breaks_adjacency;
use super::pattern::{Pattern, PatternToken};
use crate::text::{Document, TokenKind};

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
code = "XX001"
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
        let markers = rules.get("XX001").unwrap().markers("m");
        let found = |text: &str| -> Vec<(usize, Range<usize>)> {
            let doc = Document::new(text);
            let mut cache = LemmaCache::new();
            let words = AnalyzedWords::analyze(&doc, &rules, &mut cache);
            let (_, marker_words) = marker_words(&doc, &words, 0..doc.tokens.len());
            let mut found = Vec::new();
            for (m, marker) in markers.iter().enumerate() {
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
}
