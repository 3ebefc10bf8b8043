//! Whether a candidate comes with its explanation: «… (далее — МКД)», «МКД (…)», «МКД — …», or
//! words nearby whose initial letters spell it.

use super::*;

/// One word of a stretch of text that may be an expansion.
pub(super) struct RunWord {
    pub(super) parts: Vec<Vec<char>>,
    pub(super) function: bool,
}

impl RunWord {
    pub(super) fn new(text: &str) -> Self {
        let normalized = morphology::normalize(text);
        RunWord {
            function: is_function_word(&normalized),
            parts: normalized
                .split(['-', '\u{2011}'])
                .filter(|p| !p.is_empty())
                .map(|p| p.chars().collect())
                .collect(),
        }
    }
}

/// Whether `words[0..k]`, for some k, spell `letters` by their initial letters: every content word
/// gives the first letter of each of its hyphenated parts (or, with `max_prefix` > 1, the first few
/// letters: «Гос-Жил-Инспекция»); prepositions and conjunctions may give theirs or nothing.
/// The expansion starts and ends with a content word.
pub(super) fn spells(letters: &[char], words: &[RunWord], max_prefix: usize) -> bool {
    pub(super) fn from_word(l: &[char], words: &[RunWord], w: usize, max: usize) -> bool {
        let Some(word) = words.get(w) else {
            return false;
        };
        (word.function && !l.is_empty() && from_word(l, words, w + 1, max))
            || parts(l, words, w, 0, max)
    }
    pub(super) fn parts(l: &[char], words: &[RunWord], w: usize, p: usize, max: usize) -> bool {
        let word = &words[w];
        let Some(part) = word.parts.get(p) else {
            if l.is_empty() {
                return !word.function;
            }
            return from_word(l, words, w + 1, max);
        };
        let part_text: String = part.iter().collect();
        if p > 0 && is_function_word(&part_text) && parts(l, words, w, p + 1, max) {
            return true;
        }
        let limit = max.min(part.len()).min(l.len());
        (1..=limit).any(|k| part[..k] == l[..k] && parts(&l[k..], words, w, p + 1, max))
    }
    !letters.is_empty()
        && words.first().is_some_and(|w| !w.function)
        && from_word(letters, words, 0, max_prefix)
}

impl Checker<'_, '_> {
    /// The words after token `from` up to `until` (exclusive), as candidates for an expansion.
    pub(super) fn words_between(&self, from: usize, until: usize) -> Vec<RunWord> {
        let mut words = Vec::new();
        for t in from..until.min(self.doc().tokens.len()) {
            let token = &self.doc().tokens[t];
            match token.kind {
                TokenKind::Word => words.push(RunWord::new(self.text(t))),
                TokenKind::Punct if matches!(self.text(t), "(" | ")") => {}
                _ => break,
            }
        }
        words
    }

    /// Whether the first use of a candidate comes with its explanation.
    pub(super) fn explained(&self, c: &Candidate) -> bool {
        let doc = self.doc();
        let tokens = &doc.tokens;
        let sentence = self.sentence_of(c.first);
        let same_sentence = |t: usize| t < tokens.len() && self.sentence_of(t) == sentence;
        // «(далее — МКД)», «, далее МКД», «(сокращённо — МКД)»
        for t in (c.first.saturating_sub(5)..c.first).rev() {
            if !same_sentence(t) {
                break;
            }
            // «Далее МКД отремонтируют» is «next», not an explanation: it needs «(» or «,» before.
            if tokens[t].kind == TokenKind::Word
                && matches!(
                    morphology::normalize(self.text(t)).as_str(),
                    "далее" | "сокращенно"
                )
                && t > 0
                && matches!(self.text(t - 1), "(" | ",")
            {
                return true;
            }
            if self.text(t) == ")" {
                break;
            }
        }
        let max_prefix = usize::MAX;
        let first_letter = c.letters.first().copied();
        let after = c.last + 1;
        let next_text = tokens.get(after).map(|_| self.text(after));
        // «МКД (многоквартирный дом)»
        if next_text == Some("(") {
            let close = (after + 1..tokens.len().min(after + 20)).find(|&t| self.text(t) == ")");
            if let Some(close) = close {
                let mut words = self.words_between(after + 1, close);
                while words.first().is_some_and(|w| w.function) {
                    words.remove(0);
                }
                let starts_alike = words
                    .first()
                    .and_then(|w| w.parts.first())
                    .and_then(|p| p.first())
                    .is_some_and(|&ch| Some(ch) == first_letter);
                if starts_alike || spells(&c.letters, &words, max_prefix) {
                    return true;
                }
            }
        }
        // «жилищно-коммунальные услуги (ЖКУ)»
        if c.first > 0
            && self.text(c.first - 1) == "("
            && next_text == Some(")")
            && c.first >= 2
            && tokens[c.first - 2].kind == TokenKind::Word
        {
            return true;
        }
        // «ЖКУ — жилищно-коммунальные услуги», «ЖКУ — это …»
        if next_text.is_some_and(is_dash) {
            let mut words = self.words_between(after + 1, after + 12);
            while words.first().is_some_and(|w| w.function) {
                words.remove(0);
            }
            if spells(&c.letters, &words, max_prefix) {
                return true;
            }
        }
        // Words nearby whose initials spell it: the same or the previous sentence.
        let Some(sentence) = sentence.filter(|_| c.kind != Kind::Dotted) else {
            return false;
        };
        let prefix = if c.kind == Kind::Mixed { usize::MAX } else { 1 };
        let first_sentence = sentence.saturating_sub(1);
        for s in first_sentence..=sentence {
            let mut run: Vec<RunWord> = Vec::new();
            let range = doc.sentences[s].tokens.clone();
            for t in range.clone().chain(std::iter::once(range.end)) {
                let word = (t < range.end).then(|| self.run_word(t)).flatten();
                let bracket = t < range.end && matches!(self.text(t), "(" | ")");
                match word {
                    Some(word) => run.push(word),
                    None if bracket => {}
                    None => {
                        for start in 0..run.len() {
                            if spells(&c.letters, &run[start..], prefix) {
                                return true;
                            }
                        }
                        run.clear();
                    }
                }
            }
        }
        false
    }

    /// A word that can be part of an expansion: not an acronym, not a name.
    pub(super) fn run_word(&self, t: usize) -> Option<RunWord> {
        let token = &self.doc().tokens[t];
        if token.kind != TokenKind::Word {
            return None;
        }
        let text = self.text(t);
        if all_caps(text) || looks_mixed_acronym(text) || text.chars().any(morphology::is_numeric) {
            return None;
        }
        let capitalised = text.chars().next().is_some_and(morphology::is_upper);
        if capitalised && is_personal_name(text) {
            return None;
        }
        Some(RunWord::new(text))
    }
}
