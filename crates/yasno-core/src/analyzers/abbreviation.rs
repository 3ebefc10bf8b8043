//! Abbreviations the reader may not know (МКД, ЖКУ, ОСС, «т. к.», «м/р») used without an explanation
//! at their first use. Explanations are recognised in the forms clerks write them: «многоквартирный
//! дом (далее — МКД)», «МКД (многоквартирный дом)», «ЖКУ — жилищно-коммунальные услуги», or words
//! nearby whose initial letters spell the abbreviation. Widely known ones (РФ, ИНН, МФЦ) pass.
//! The lists are data: dictionaries/abbreviations-*.{txt,toml} plus the rule's options.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::{Analyzer, Context};
use crate::engine::Rule;
use crate::finding::Finding;
use crate::morphology;
use crate::text::{Document, TokenKind};

pub struct Abbreviation;

const KNOWN_LIST: &str = include_str!("../../../../dictionaries/abbreviations-known.txt");
const DOMAIN_MAP: &str = include_str!("../../../../dictionaries/abbreviations-domain.toml");

/// Prepositions and conjunctions: an expansion may skip them («комитет по управлению …» → КУМИ).
const FUNCTION_WORDS: &str = "в во на по с со к ко о об обо от до из за для при под над и или а у \
                              без через перед между про это";

fn is_function_word(word: &str) -> bool {
    FUNCTION_WORDS.split_whitespace().any(|w| w == word)
}

/// The form in which abbreviations are compared: upper case, ё → е, single spaces.
fn key(text: &str) -> String {
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
fn dotted_parts(text: &str) -> Vec<String> {
    text.split(|c: char| c == '.' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(morphology::normalize)
        .collect()
}

#[derive(Deserialize)]
struct DomainFile {
    #[serde(default)]
    expansions: HashMap<String, String>,
    #[serde(default)]
    dotted: HashMap<String, String>,
}

/// The built-in lists, parsed once.
struct Builtin {
    known: HashSet<String>,
    expansions: HashMap<String, String>,
    dotted: Vec<(Vec<String>, String)>,
}

fn builtin() -> &'static Builtin {
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
struct Lists {
    builtin: &'static Builtin,
    known: HashSet<String>,
    expansions: HashMap<String, String>,
    /// Longest first, so «вр. и. о.» wins over «и. о.».
    dotted: Vec<(Vec<String>, String)>,
}

impl Lists {
    fn new(rule: &Rule) -> Self {
        let builtin = builtin();
        let known = rule
            .options
            .get("known")
            .and_then(|v| v.as_array())
            .map(|items| items.iter().filter_map(|v| v.as_str()).map(key).collect())
            .unwrap_or_default();
        let table = |name: &str| -> Vec<(String, String)> {
            rule.options
                .get(name)
                .and_then(|v| v.as_table())
                .map(|t| {
                    t.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                        .collect()
                })
                .unwrap_or_default()
        };
        let expansions = table("expansions")
            .into_iter()
            .map(|(k, v)| (key(&k), v))
            .collect();
        let mut dotted: Vec<(Vec<String>, String)> = builtin
            .dotted
            .iter()
            .cloned()
            .chain(
                table("dotted")
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
        }
    }

    fn is_known(&self, key: &str) -> bool {
        self.known.contains(key) || self.builtin.known.contains(key)
    }

    fn expansion(&self, key: &str) -> Option<&str> {
        self.expansions
            .get(key)
            .or_else(|| self.builtin.expansions.get(key))
            .map(String::as_str)
            .filter(|e| !e.is_empty())
    }

    fn has_expansion(&self, key: &str) -> bool {
        self.expansion(key).is_some()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// All capitals: МКД, PDF, «ГУП-ЖКХ».
    Caps,
    /// Capitals inside lower-case letters: КнААПО, ГосЖилИнспекция.
    Mixed,
    Slash,
    Dotted,
}

#[derive(Clone, Debug)]
struct Candidate {
    range: Range<usize>,
    /// First and last token.
    first: usize,
    last: usize,
    key: String,
    /// Lower-case letters, for matching an expansion by initial letters.
    letters: Vec<char>,
    kind: Kind,
    /// For a group such as «СУ СК»: the keys of its members.
    members: Vec<String>,
    expansion: Option<String>,
}

fn is_roman(word: &str) -> bool {
    word.chars().all(|c| "IVXLCDM".contains(c)) || word.chars().all(|c| "IVXХІ".contains(c))
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

fn all_caps(word: &str) -> bool {
    // One pass that stops at the first small letter: most words fail on their first or second one.
    let mut letters = 0;
    for c in word.chars() {
        if morphology::is_letter(c) && morphology::is_upper(c) {
            letters += 1;
        } else if c != '-' && c != '\u{2011}' {
            return false;
        }
    }
    letters >= 2
}

/// A slash or a hyphen (plain or non-breaking) in the word. Most words have none: one pass over
/// the bytes rules them out without decoding characters (U+2011 starts with the byte 0xE2, which
/// no Cyrillic or Latin letter has).
fn has_slash_or_hyphen(word: &str) -> bool {
    word.bytes().any(|b| matches!(b, b'/' | b'-' | 0xE2)) && word.contains(['/', '-', '\u{2011}'])
}

/// «КнААПО», «ГосЖилИнспекция»: capitals inside the word, in the way of an acronym or a stump
/// compound, not a name such as «МакДональд».
///
/// The word is read once, without collecting its letters: most capitalised words («Уважаемый»)
/// have no second capital and are ruled out on the way.
fn looks_mixed_acronym(word: &str) -> bool {
    if !word.chars().next().is_some_and(morphology::is_upper) {
        return false;
    }
    let mut len = 0;
    let mut upper = 0;
    let mut run = false;
    let mut previous_upper = false;
    // The word splits into segments before each capital («Гос|Жил|Инспекция»); every segment but
    // the last is a stump, and short stumps mark a stump compound.
    let mut segment = 0;
    let mut short_stumps = 0;
    for c in word.chars() {
        if !(is_cyrillic(c) && morphology::is_letter(c)) {
            return false;
        }
        let is_upper = morphology::is_upper(c);
        if is_upper {
            upper += 1;
            run |= previous_upper;
            if len > 0 && segment <= 3 {
                short_stumps += 1;
            }
            segment = 0;
        }
        segment += 1;
        len += 1;
        previous_upper = is_upper;
    }
    if len < 3 || upper < 2 || upper == len {
        return false;
    }
    run || upper * 2 >= len || short_stumps >= 2
}

/// What the dictionary says of a word written in capitals: is it an ordinary word («ВНИМАНИЕ»,
/// «НЕ»), and is it one whose part of speech never makes an acronym (a particle, a preposition)?
fn ordinary_word(word: &str) -> (bool, bool) {
    // Letters repeat their capital words (names of offices, headings): ask the dictionary once per
    // word and thread. The memo is bounded so that an editor session cannot grow it for ever.
    thread_local! {
        static MEMO: std::cell::RefCell<rustc_hash::FxHashMap<String, (bool, bool)>> =
            std::cell::RefCell::new(rustc_hash::FxHashMap::default());
    }
    if let Some(&known) = MEMO.with(|m| m.borrow().get(word).copied()).as_ref() {
        return known;
    }
    let answer = ordinary_word_uncached(word);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 100_000 {
            m.clear();
        }
        m.insert(word.to_string(), answer);
    });
    answer
}

fn ordinary_word_uncached(word: &str) -> (bool, bool) {
    let lower = morphology::normalize(word);
    let dictionary = morphology::dictionary();
    if !dictionary.is_known(&lower) {
        return (false, false);
    }
    let mut ordinary = false;
    let mut function = false;
    for analysis in dictionary.analyze(&lower) {
        if analysis.source != rumorph::Source::Dictionary || analysis.prob < 0.01 {
            continue;
        }
        let abbreviation = analysis
            .tag
            .and_then(|t| dictionary.tag(t))
            .is_some_and(|t| t.contains("Abbr"));
        if abbreviation {
            continue;
        }
        ordinary = true;
        let pos = dictionary
            .ud_tag(analysis.ud)
            .map(|t| t.pos())
            .unwrap_or("X");
        if !matches!(pos, "NOUN" | "PROPN" | "ADJ" | "X") {
            function = true;
        }
    }
    (ordinary, function)
}

/// «Константин», «Петровна»: a greeting's names must not spell an acronym («Уважаемый Константин» → УК).
fn is_personal_name(word: &str) -> bool {
    let dictionary = morphology::dictionary();
    let analyses: Vec<_> = dictionary
        .analyze(&morphology::normalize(word))
        .into_iter()
        .filter(|a| a.prob >= 0.01)
        .collect();
    !analyses.is_empty()
        && analyses.iter().all(|a| {
            a.tag
                .and_then(|t| dictionary.tag(t))
                .is_some_and(|t| t.contains("Name") || t.contains("Surn") || t.contains("Patr"))
        })
}

fn letters(text: &str) -> Vec<char> {
    morphology::normalize(text)
        .chars()
        .filter(|&c| morphology::is_letter(c))
        .collect()
}

/// One word of a stretch of text that may be an expansion.
struct RunWord {
    parts: Vec<Vec<char>>,
    function: bool,
}

impl RunWord {
    fn new(text: &str) -> Self {
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
fn spells(letters: &[char], words: &[RunWord], max_prefix: usize) -> bool {
    fn from_word(l: &[char], words: &[RunWord], w: usize, max: usize) -> bool {
        let Some(word) = words.get(w) else {
            return false;
        };
        (word.function && !l.is_empty() && from_word(l, words, w + 1, max))
            || parts(l, words, w, 0, max)
    }
    fn parts(l: &[char], words: &[RunWord], w: usize, p: usize, max: usize) -> bool {
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

/// Capital words that are emphasis, not acronyms: ordinary dictionary words in a run of capital
/// words that has a long one («ОТВЕТ НА ОБРАЩЕНИЕ»), long ordinary words alone («ВНИМАНИЕ»), and
/// particles, prepositions, pronouns («НЕ», «ВЫ»). A run is the capital words of a paragraph that no
/// other word interrupts.
struct Emphasis {
    /// Per token: emphasis.
    marked: Vec<bool>,
    run: Vec<RunMember>,
}

struct RunMember {
    token: usize,
    /// An ordinary dictionary word, not spelled out in the lists as an abbreviation.
    plain_word: bool,
    /// An ordinary dictionary word at least `min_caps_word` letters long.
    long_word: bool,
}

impl Emphasis {
    fn capital_word(
        &mut self,
        verdict: CapitalVerdict,
        min_caps_word: usize,
        t: usize,
        word: &str,
    ) {
        let CapitalVerdict {
            ordinary,
            function,
            known_expansion,
        } = verdict;
        let long_word = ordinary && word.chars().count() >= min_caps_word;
        if (function || long_word) && !known_expansion {
            self.marked[t] = true;
        }
        self.run.push(RunMember {
            token: t,
            plain_word: ordinary && !known_expansion,
            long_word,
        });
    }

    /// Ends the run: in one that has a long ordinary word, all its ordinary words are emphasis.
    fn flush(&mut self) {
        if self.run.iter().any(|m| m.long_word) {
            for m in &self.run {
                if m.plain_word {
                    self.marked[m.token] = true;
                }
            }
        }
        self.run.clear();
    }
}

/// What the dictionary and the lists say of a word in capitals.
#[derive(Clone, Copy)]
struct CapitalVerdict {
    /// An ordinary dictionary word («ВНИМАНИЕ», «НЕ»).
    ordinary: bool,
    /// Of a part of speech that never makes an acronym (a particle, a preposition).
    function: bool,
    /// The lists spell it out as an abbreviation.
    known_expansion: bool,
}

/// Whether the text starts with a small Russian letter: а–п are D0 B0–BF in UTF-8, р–я D1 80–8F,
/// ё D1 91. Most words do, and are told from capitals without decoding a character.
fn starts_small_russian(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0xD0, 0xB0..=0xBF, ..] | [0xD1, 0x80..=0x8F | 0x91, ..]
    )
}

/// «Уважаемый», «В», «Москва»: a capital, then small Russian letters only. Such a word is no
/// acronym of any kind (no digit, slash or hyphen; a single capital), so the candidate pass need
/// not look at it. Read as bytes: every small Russian letter is two.
fn is_plain_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(morphology::is_upper)
        && chars
            .as_str()
            .as_bytes()
            .chunks(2)
            .all(starts_small_russian)
}

/// The token ranges of the document with their paragraphs, in order: the sentences, and any tokens
/// between them, which belong to no paragraph (`usize::MAX`).
fn paragraph_spans(doc: &Document) -> Vec<(Range<usize>, usize)> {
    let mut spans = Vec::with_capacity(doc.sentences.len() + 1);
    let mut next = 0;
    for s in &doc.sentences {
        if next < s.tokens.start {
            spans.push((next..s.tokens.start, usize::MAX));
        }
        spans.push((s.tokens.clone(), s.paragraph));
        next = s.tokens.end;
    }
    if next < doc.tokens.len() {
        spans.push((next..doc.tokens.len(), usize::MAX));
    }
    spans
}

/// A word with letters, all of them capitals: the shape of an acronym or of emphasis.
fn is_caps_word(word: &str) -> bool {
    // One pass that stops at the first small letter: «Уважаемый» at its second.
    let mut letters = false;
    for c in word.chars() {
        if morphology::is_letter(c) {
            if !morphology::is_upper(c) {
                return false;
            }
            letters = true;
        }
    }
    letters
}

fn is_dash(text: &str) -> bool {
    matches!(text, "—" | "–" | "-" | "‒" | "―")
}

struct Checker<'a, 'c> {
    cx: &'a Context<'c>,
    lists: Arc<Lists>,
    /// Per capital word as written: what the dictionary and the lists say of it (see
    /// `Checker::verdict`). Letters repeat their capital words.
    verdicts: RefCell<FxHashMap<&'c str, CapitalVerdict>>,
    min_caps_word: usize,
}

/// The byte ranges of the `count` parts between hyphens of a word as written (from `start`),
/// without the line break after a hyphen; None when it has another number of parts.
fn written_parts(written: &str, start: usize, count: usize) -> Option<Vec<Range<usize>>> {
    let mut ranges = Vec::new();
    let mut offset = start;
    for part in written.split(['-', '\u{2011}']) {
        let trimmed = part.trim_start();
        ranges.push(offset + part.len() - trimmed.len()..offset + part.len());
        offset += part.len() + 1;
    }
    (ranges.len() == count).then_some(ranges)
}

impl<'c> Checker<'_, 'c> {
    fn doc(&self) -> &Document {
        self.cx.doc
    }

    /// The word as the rules read it (a hidden word in its clean form): not for offsets.
    fn text(&self, t: usize) -> &str {
        self.cx.doc.word_text(t)
    }

    /// The sentence that token `t` belongs to.
    fn sentence_of(&self, t: usize) -> Option<usize> {
        let sentences = &self.doc().sentences;
        let s = sentences.partition_point(|s| s.tokens.end <= t);
        (s < sentences.len() && sentences[s].tokens.start <= t).then_some(s)
    }

    /// What the dictionary and the lists say of a capital word, asked once per word as written.
    fn verdict(&self, word: &'c str) -> CapitalVerdict {
        *self.verdicts.borrow_mut().entry(word).or_insert_with(|| {
            let (ordinary, function) = ordinary_word(word);
            CapitalVerdict {
                ordinary,
                function,
                known_expansion: self.lists.has_expansion(&key(word)),
            }
        })
    }

    /// The classification pass: every token is looked at once, a word's first character decoded
    /// once. It marks the capital words that are emphasis, not acronyms (see `Emphasis`), and
    /// returns the words the candidate pass must look at: those that may start a dotted form
    /// («т. к.»), or start with a capital and are not a plain capitalised word, or have a slash or
    /// a hyphen. Nearly all words are none of these.
    fn classify(&self) -> (Vec<bool>, Vec<usize>) {
        let doc: &'c Document = self.cx.doc;
        let text = doc.text();
        let bytes = text.as_bytes();
        let tokens = &doc.tokens;
        let mut emphasis = Emphasis {
            marked: vec![false; tokens.len()],
            run: Vec::new(),
        };
        // Slashes and hyphens are rare: one vectorised search over the whole text finds them all
        // (0xE2 starts U+2011, the non-breaking hyphen), and a word has one when a hit falls inside
        // it. This spares reading the bytes of every word.
        let mut marks = memchr::memchr3_iter(b'/', b'-', 0xE2, bytes);
        let mut next_mark = marks.next().unwrap_or(usize::MAX);
        let mut worth_a_look = Vec::new();
        // Quotes open and close within a paragraph: words in ordinary quotes are names («Уютный
        // дом», «ЖилСервис») or the reader's own words, not candidates.
        let mut quote_paragraph = usize::MAX;
        let mut quote_depth = 0usize;
        let mut straight_quote = false;
        // The paragraph of the last word: a run of capital words ends with its paragraph.
        let mut run_paragraph = usize::MAX;
        for (span, paragraph) in paragraph_spans(doc) {
            if paragraph != quote_paragraph {
                quote_paragraph = paragraph;
                quote_depth = 0;
                straight_quote = false;
            }
            for (t, token) in tokens[span.clone()].iter().enumerate() {
                let t = span.start + t;
                let start = token.start();
                if token.kind != TokenKind::Word {
                    // Every quote mark starts with one of these bytes; most punctuation is ASCII.
                    if token.kind == TokenKind::Punct
                        && matches!(bytes.get(start), Some(b'"' | 0xC2 | 0xE2))
                    {
                        match &text[token.range()] {
                            "«" | "„" => quote_depth += 1,
                            "»" | "“" => quote_depth = quote_depth.saturating_sub(1),
                            "\"" => straight_quote = !straight_quote,
                            _ => {}
                        }
                    }
                    continue;
                }
                if paragraph != run_paragraph {
                    emphasis.flush();
                    run_paragraph = paragraph;
                }
                // Cut out of the text only when needed: most words never are.
                let word = || &text[token.range()];
                // Most words start with a small Russian letter, told from the bytes without
                // decoding: such a word is not in capitals and has no capital shape.
                let first_upper = if starts_small_russian(&bytes[start..]) {
                    // Nearly every word ends a run that is empty already.
                    if !emphasis.run.is_empty() {
                        emphasis.flush();
                    }
                    false
                } else {
                    let word = word();
                    let first = word.chars().next();
                    let upper = first.is_some_and(morphology::is_upper);
                    // A small letter first rules out a word in capitals at once.
                    let small_first = !upper && first.is_some_and(morphology::is_letter);
                    if !small_first && is_caps_word(word) {
                        emphasis.capital_word(self.verdict(word), self.min_caps_word, t, word);
                    } else if !emphasis.run.is_empty() {
                        emphasis.flush();
                    }
                    upper
                };
                if token.in_citation || quote_depth > 0 || straight_quote {
                    continue;
                }
                // A dotted form's parts have one to three letters: «т. к.», «кв.», «руб.».
                let dotted_start = tokens.get(t + 1).is_some_and(|next| {
                    next.start() == token.end()
                        && next.range().len() == 1
                        && bytes[next.start()] == b'.'
                }) && word()
                    .split('.')
                    .next()
                    .is_some_and(|piece| piece.chars().nth(3).is_none());
                while next_mark < start {
                    next_mark = marks.next().unwrap_or(usize::MAX);
                }
                let marked = next_mark < token.end() && has_slash_or_hyphen(word());
                let capital_shape = first_upper && !is_plain_capitalised(word());
                if capital_shape || dotted_start || marked {
                    worth_a_look.push(t);
                }
            }
        }
        emphasis.flush();
        (emphasis.marked, worth_a_look)
    }

    fn candidates(&self) -> Vec<Candidate> {
        let doc = self.doc();
        let (emphasis, worth_a_look) = self.classify();
        let mut found: Vec<Candidate> = Vec::new();
        // A dotted form takes the words up to `skip_until` with it.
        let mut skip_until = 0;
        for t in worth_a_look {
            if t < skip_until {
                continue;
            }
            if let Some((candidate, next)) = self.dotted(t) {
                found.extend(candidate);
                skip_until = next;
                continue;
            }
            let text = self.text(t);
            // Looked at for a dotted form only: no capital at the start, no slash, no hyphen. Such a
            // word is neither a capital acronym nor a mixed one (both start with a capital).
            if !text.chars().next().is_some_and(morphology::is_upper) && !has_slash_or_hyphen(text)
            {
                continue;
            }
            let range = doc.tokens[t].range();
            if text
                .chars()
                .any(|c| c.is_ascii_digit() || morphology::is_numeric(c))
            {
                continue;
            }
            let single = |kind: Kind, range: Range<usize>, text: &str| Candidate {
                range,
                first: t,
                last: t,
                key: key(text),
                letters: letters(text),
                kind,
                members: Vec::new(),
                expansion: None,
            };
            if text.contains('/') {
                let slash_form = text.split('/').all(|p| {
                    (1..=2).contains(&p.chars().count()) && p.chars().all(char::is_alphabetic)
                });
                let table_header = t > 0 && self.text(t - 1) == "№";
                if slash_form && !(table_header && self.lists.is_known(&key(&format!("№ {text}"))))
                {
                    found.push(single(Kind::Slash, range, text));
                }
                continue;
            }
            let hyphenated = text.contains(['-', '\u{2011}']);
            if hyphenated {
                // «ГУП-ЖКХ» is one acronym; in «PDF-файл», «ЖКУ-платежи» the capital part is;
                // «МКД-шного», «Санкт-Петербург» are not looked at.
                let mut offset = range.start;
                let mut parts = Vec::new();
                // A clean form («ЖКУ-платежи» of «ЖКУ-⏎платежи») is not the written text: its
                // parts are found in the written one, or are reported as the whole word.
                let clean = doc.tokens[t].has_clean_form();
                let count = text.split(['-', '\u{2011}']).count();
                let written = clean
                    .then(|| written_parts(doc.slice(range.clone()), range.start, count))
                    .flatten();
                for (i, part) in text.split(['-', '\u{2011}']).enumerate() {
                    let part_range = match &written {
                        _ if !clean => offset..offset + part.len(),
                        Some(written) => written[i].clone(),
                        None => range.clone(),
                    };
                    parts.push((part, part_range));
                    offset += part.len() + 1;
                }
                let caps: Vec<bool> = parts.iter().map(|(p, _)| all_caps(p)).collect();
                // «ПРЕТЕНЗИЯ-ОТВЕТ»: ordinary words in capitals are emphasis, not an acronym.
                let shouted_words = parts
                    .iter()
                    .all(|(p, _)| p.chars().count() >= 4 && ordinary_word(&p.to_lowercase()).0);
                if caps.iter().all(|&c| c) && shouted_words {
                    continue;
                }
                if caps.iter().all(|&c| c) {
                    if !is_roman(&text.replace(['-', '\u{2011}'], "")) {
                        found.push(single(Kind::Caps, range, text));
                    }
                } else if parts.iter().zip(&caps).all(|((p, _), &c)| {
                    c || p.chars().all(morphology::is_lower) && ordinary_word(p).0
                }) {
                    for ((part, part_range), c) in parts.iter().zip(caps) {
                        if c && !is_roman(part) {
                            found.push(single(Kind::Caps, part_range.clone(), part));
                        }
                    }
                }
                continue;
            }
            // «СП 54.13330», «СанПиН 2.1.3684-21»: the designation of a standard, like «ГОСТ Р 7.0.97-2016».
            let designation = doc.tokens.get(t + 1).is_some_and(|next| {
                let number = doc.slice(next.range());
                next.kind == TokenKind::Number
                    && number.contains(['.', '-', '/'])
                    && !is_date(number)
                    && doc.text()[range.end..next.start()].trim().is_empty()
            });
            if designation {
                continue;
            }
            if all_caps(text) {
                if !is_roman(text) && !emphasis[t] {
                    found.push(single(Kind::Caps, range, text));
                }
            } else if looks_mixed_acronym(text) {
                found.push(single(Kind::Mixed, range, text));
            }
        }
        self.group(found)
    }

    /// A chain of short lower-case words each followed by a period («т. к.», «т.к.», «и. о.»)
    /// starting at `t`: the listed forms in it, and the token after the chain.
    fn dotted(&self, t: usize) -> Option<(Option<Candidate>, usize)> {
        let doc = self.doc();
        let tokens = &doc.tokens;
        // (normalised part, byte range of the part with its period)
        let mut parts: Vec<(String, Range<usize>, usize)> = Vec::new();
        let mut j = t;
        while let Some(token) = tokens.get(j).filter(|tok| tok.is_prose_word()) {
            let Some(dot) = tokens
                .get(j + 1)
                .filter(|d| d.start() == token.end() && doc.token_text(j + 1) == ".")
            else {
                break;
            };
            let text = doc.token_text(j);
            let mut offset = token.start();
            let mut ok = true;
            let mut pieces = Vec::new();
            for (i, piece) in text.split('.').enumerate() {
                let count = piece.chars().count();
                let first_capital = parts.is_empty() && i == 0;
                let case_ok = piece.chars().enumerate().all(|(k, c)| {
                    morphology::is_letter(c) && (morphology::is_lower(c) || first_capital && k == 0)
                });
                if !(1..=3).contains(&count) || !case_ok {
                    ok = false;
                    break;
                }
                pieces.push((
                    morphology::normalize(piece),
                    offset..offset + piece.len() + 1,
                    j,
                ));
                offset += piece.len() + 1;
            }
            if !ok {
                break;
            }
            let last = pieces.len() - 1;
            pieces[last].1.end = dot.end();
            parts.extend(pieces);
            // The next word continues the chain when only a space separates them.
            let gap_ok = tokens.get(j + 2).is_some_and(|next| {
                let gap = &doc.text()[dot.end()..next.start()];
                gap.chars().all(|c| c == ' ' || c == '\u{a0}') && gap.chars().count() <= 1
            });
            j += 2;
            if !gap_ok {
                break;
            }
        }
        if parts.is_empty() {
            return None;
        }
        let next = parts.last().map_or(t + 1, |p| p.2 + 2);
        let names: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
        for start in 0..names.len() {
            for (form, expansion) in &self.lists.dotted {
                let rest = &names[start..];
                if rest.len() >= form.len()
                    && rest.iter().zip(form).all(|(name, part)| name == part)
                {
                    let end = start + form.len() - 1;
                    let range = parts[start].1.start..parts[end].1.end;
                    return Some((
                        Some(Candidate {
                            range,
                            first: parts[start].2,
                            last: parts[end].2 + 1,
                            key: key(&(form.join(". ") + ".")),
                            letters: Vec::new(),
                            kind: Kind::Dotted,
                            members: Vec::new(),
                            expansion: Some(expansion.clone()).filter(|e| !e.is_empty()),
                        }),
                        next,
                    ));
                }
            }
        }
        Some((None, next))
    }

    /// Joins capital acronyms that stand next to each other («СУ СК») into one candidate.
    fn group(&self, found: Vec<Candidate>) -> Vec<Candidate> {
        let doc = self.doc();
        let mut out: Vec<Candidate> = Vec::new();
        for candidate in found {
            let joinable = |c: &Candidate| matches!(c.kind, Kind::Caps | Kind::Mixed);
            if let Some(previous) = out.last_mut()
                && joinable(previous)
                && joinable(&candidate)
                && previous.last + 1 == candidate.first
                && doc.text()[previous.range.end..candidate.range.start]
                    .chars()
                    .all(|c| c == ' ' || c == '\u{a0}')
            {
                if previous.members.is_empty() {
                    previous.members.push(previous.key.clone());
                }
                previous.members.push(candidate.key.clone());
                previous.range.end = candidate.range.end;
                previous.last = candidate.last;
                previous.key = format!("{} {}", previous.key, candidate.key);
                previous.letters.extend(candidate.letters);
                continue;
            }
            out.push(candidate);
        }
        out
    }

    /// The words after token `from` up to `until` (exclusive), as candidates for an expansion.
    fn words_between(&self, from: usize, until: usize) -> Vec<RunWord> {
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
    fn explained(&self, c: &Candidate) -> bool {
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
    fn run_word(&self, t: usize) -> Option<RunWord> {
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

impl Analyzer for Abbreviation {
    fn name(&self) -> &'static str {
        "abbreviation"
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        specialist_terms(cx, findings);
        let Some(rule) = cx.rules.for_check(self.name()) else {
            return;
        };
        let option_str = |name: &str| rule.options.get(name).and_then(|v| v.as_str());
        let checker = Checker {
            cx,
            // The lists depend on the rule only: built once, not for every document.
            lists: rule.prepared(Lists::new),
            verdicts: RefCell::default(),
            min_caps_word: rule
                .options
                .get("min_caps_word")
                .and_then(|v| v.as_integer())
                .map_or(4, |v| v.max(2) as usize),
        };
        let mut seen: HashSet<String> = HashSet::new();
        for group in checker.candidates() {
            let unit = if group.members.len() > 1 {
                let unknown: Vec<&String> = group
                    .members
                    .iter()
                    .filter(|m| !checker.lists.is_known(m) && !seen.contains(*m))
                    .collect();
                if unknown.is_empty() {
                    continue;
                }
                if unknown.len() == 1 && !checker.lists.has_expansion(&group.key) {
                    // «ООО УК»: only «УК» needs explaining.
                    let member = unknown[0].clone();
                    match checker.single_member(&group, &member) {
                        Some(unit) => unit,
                        None => continue,
                    }
                } else {
                    group
                }
            } else {
                group
            };
            let fresh = seen.insert(unit.key.clone());
            for member in &unit.members {
                seen.insert(member.clone());
            }
            if !fresh || checker.lists.is_known(&unit.key) || checker.explained(&unit) {
                continue;
            }
            let expansion = unit
                .expansion
                .clone()
                .or_else(|| checker.lists.expansion(&unit.key).map(str::to_string));
            let mut finding = cx.finding(rule, unit.range.clone());
            match (&expansion, option_str("message_expanded")) {
                (Some(expansion), Some(template)) => {
                    finding.message = template
                        .replace("{found}", cx.doc.slice(unit.range.clone()))
                        .replace("{expansion}", expansion);
                    finding.suggestions.push(expansion.clone());
                }
                (Some(expansion), None) => finding.suggestions.push(expansion.clone()),
                _ => {}
            }
            if unit.kind != Kind::Dotted {
                finding.advice = option_str("advice").map(Arc::from);
            }
            findings.push(finding);
        }
    }
}

/// Rare specialist terms (rule AB002, `check = "specialist-term"`): the phrases of the rule find
/// them; only the first use of each term is reported, and not when an explanation follows it at once
/// («сервитут (право проезда через участок)», «сервитут — это …», a next sentence «Это …»).
fn specialist_terms(cx: &Context, findings: &mut Vec<Finding>) {
    let doc = cx.doc;
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    for m in cx.matches_of_check("specialist-term") {
        if !seen.insert((m.rule, m.phrase)) {
            continue;
        }
        let rule = &cx.rules.rules[m.rule];
        let phrase = &rule.phrases[m.phrase];
        // The tokens are in text order: a binary search, not a scan from the start for every term.
        let next = Some(doc.tokens.partition_point(|t| t.start() < m.focus.end))
            .filter(|&t| t < doc.tokens.len());
        let explained_here = next.is_some_and(|t| {
            let text = doc.token_text(t);
            text == "("
                || is_dash(text)
                || text == ","
                    && doc.tokens.get(t + 1).is_some_and(|_| {
                        matches!(
                            morphology::normalize(doc.token_text(t + 1)).as_str(),
                            "то" | "т" | "или"
                        )
                    })
        });
        let explained_next = doc.sentences.get(m.sentence + 1).is_some_and(|s| {
            doc.sentence_words(s).next().is_some_and(|t| {
                matches!(
                    morphology::normalize(doc.token_text(t)).as_str(),
                    "это" | "то" | "так"
                )
            })
        });
        if explained_here || explained_next {
            continue;
        }
        let found = doc.slice(m.focus.clone());
        let mut finding = cx.finding(rule, m.focus.clone());
        finding.message = rule.message_for(Some(phrase), found);
        finding.suggestions = phrase.suggest.clone();
        finding.advice = phrase.advice.clone();
        findings.push(finding);
    }
}

impl Checker<'_, '_> {
    /// The one member of a group that needs explaining, as a candidate of its own.
    fn single_member(&self, group: &Candidate, member: &str) -> Option<Candidate> {
        (group.first..=group.last)
            .find(|&t| key(self.text(t)) == member)
            .map(|t| Candidate {
                range: self.doc().tokens[t].range(),
                first: t,
                last: t,
                key: member.to_string(),
                letters: letters(self.text(t)),
                kind: if all_caps(self.text(t)) {
                    Kind::Caps
                } else {
                    Kind::Mixed
                },
                members: Vec::new(),
                expansion: None,
            })
    }
}

/// «03.02.2027», «3.2.27»: a date, not part of a standard's designation.
fn is_date(number: &str) -> bool {
    let parts: Vec<&str> = number.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts[0].len() <= 2
        && parts[1].len() <= 2
        && matches!(parts[2].len(), 2 | 4)
}

#[cfg(test)]
mod tests {
    use super::{
        all_caps, has_slash_or_hyphen, is_cyrillic, is_plain_capitalised, looks_mixed_acronym,
        starts_small_russian,
    };
    use crate::Linter;
    use crate::engine::{LemmaCache, RuleSet};
    use crate::morphology;
    use crate::text::Document;

    /// A linter with this rule file only, so other files being edited cannot break these tests.
    fn linter_with(extra: Option<&str>) -> Linter {
        let mut rules = RuleSet::default();
        rules
            .add_file(
                "rules/abbreviation.toml",
                include_str!("../../../../rules/abbreviation.toml"),
            )
            .expect("the rule file loads");
        if let Some(extra) = extra {
            rules
                .add_file("user.toml", extra)
                .expect("the user file loads");
        }
        Linter::new(rules)
    }

    /// The abbreviations the rule finds in `text`, as written, with their suggestions.
    fn found(text: &str) -> Vec<(String, Vec<String>)> {
        let linter = linter_with(None);
        let doc = Document::new(text);
        let mut cache = LemmaCache::new();
        linter
            .check(&doc, &mut cache)
            .into_iter()
            .filter(|f| f.code.starts_with("AB"))
            .map(|f| (doc.slice(f.range.clone()).to_string(), f.suggestions))
            .collect()
    }

    fn words(text: &str) -> Vec<String> {
        found(text).into_iter().map(|(w, _)| w).collect()
    }

    #[test]
    fn unexplained_acronyms_are_found_once() {
        let text = "Управление данным МКД осуществляет компания. Плата за ЖКУ начислена верно. \
                    Решение по МКД принято.";
        assert_eq!(words(text), ["МКД", "ЖКУ"]);
        let all = found("Плата за ЖКУ начислена верно.");
        assert_eq!(all[0].1, ["жилищно-коммунальные услуги"]);
    }

    #[test]
    fn the_message_offers_the_expansion() {
        let linter = linter_with(None);
        let doc = Document::new("Решение принимает ОСС.");
        let findings = linter.check(&doc, &mut LemmaCache::new());
        let f = findings
            .iter()
            .find(|f| f.code.as_ref() == "AB001")
            .unwrap();
        assert_eq!(
            f.message,
            "Сокращение «ОСС» не расшифровано: напишите полностью — «общее собрание собственников»"
        );
    }

    #[test]
    fn an_explanation_after_the_first_use_is_too_late() {
        let text = "Дом признан аварийным. Собственники МКД не согласны.\n\n\
                    Многоквартирный дом (далее — МКД) будет расселён в 2027 году.";
        assert_eq!(words(text), ["МКД"]);
    }

    #[test]
    fn explanations_in_every_usual_form_pass() {
        for text in [
            "Собственники многоквартирного дома (далее — МКД) провели собрание. В МКД 40 квартир.",
            "Собственники многоквартирного дома (далее – МКД) провели собрание.",
            "Собственники многоквартирного дома (далее МКД) провели собрание.",
            "Собственники многоквартирного дома (далее - МКД) провели собрание.",
            "Собственники многоквартирного дома, далее — МКД, провели собрание.",
            "Собственники МКД (многоквартирного дома) провели собрание.",
            "ЖКУ — жилищно-коммунальные услуги — оплачиваются до 10 числа.",
            "ЖКУ — это жилищно-коммунальные услуги.",
            "Плата за жилищно-коммунальные услуги (ЖКУ) начислена верно.",
            "Вы платите за жилищно-коммунальные услуги. Плата за ЖКУ начислена верно.",
            "Обратитесь в Комитет по управлению муниципальным имуществом. КУМИ ответит за 30 дней.",
            "Сведения есть у управления социальной защиты населения, адрес УСЗН — на сайте.",
            "Это три КФХ (крестьянских фермерских хозяйства): «Луговое» и «Берёзка».",
            "Крестьянское (фермерское) хозяйство (КФХ) получит грант.",
            "Я работал на Комсомольском-на-Амуре авиационном производственном объединении. \
             КнААПО выпускает самолёты.",
            "Вопрос рассмотрит Государственная жилищная инспекция. Ответ ГЖИ придёт почтой.",
        ] {
            assert!(words(text).is_empty(), "{text}: {:?}", words(text));
        }
    }

    #[test]
    fn known_abbreviations_pass() {
        let text = "Укажите ИНН, СНИЛС и ОГРН ООО «Уютный дом». Справку выдаст МФЦ, данные есть \
                    в ЕГРН и на сайте ФНС РФ. НДС и НДФЛ не удерживаются. Файл в PDF придёт по SMS. \
                    Площадь 12,5 кв. м, т. е. одна комната, стоимость 300 руб. 50 коп. \
                    Вы сдавали ЕГЭ, учились в вузе и т. д. Отправьте б/у технику по ж/д.";
        assert!(words(text).is_empty(), "{:?}", words(text));
    }

    #[test]
    fn user_options_extend_the_lists() {
        let user = r#"
category = "abbreviation"
[[rule]]
code = "AB001"
override = true
name = "unexplained-abbreviation"
check = "abbreviation"
title = "t"
message = "Сокращение «{found}»"
explanation = "e"
clause = "п. 1"
[rule.options]
known = ["МКД"]
message_expanded = "«{found}» → «{expansion}»"
[rule.options.expansions]
"АБВГ" = "азбука"
"#;
        let linter = linter_with(Some(user));
        let doc = Document::new("В МКД живёт АБВГ.");
        let findings = linter.check(&doc, &mut LemmaCache::new());
        let ab: Vec<_> = findings
            .iter()
            .filter(|f| f.code.as_ref() == "AB001")
            .collect();
        assert_eq!(ab.len(), 1);
        assert_eq!(ab[0].message, "«АБВГ» → «азбука»");
    }

    #[test]
    fn things_that_are_not_abbreviations_are_silent() {
        for text in [
            "Перерасчёт сделаем в I квартале 2027 года, к XXI веку, по главе IV.",
            "Отказано на основании п. 4 ст. 11 Федерального закона № 59-ФЗ.",
            "Смотрите распоряжение № 970-р и ГОСТ Р 7.0.97-2016.",
            "Анкета на сайте https://pos.gosuslugi.ru/MKD/OSS/ и почта OSS@mkd-priozersk.ru.",
            "ОТВЕТ НА ВАШЕ ОБРАЩЕНИЕ",
            "ВНИМАНИЕ! Приём документов переносится.",
            "Просим НЕ приходить без записи.",
            "Вы можете обратиться к нам. Ваш вопрос решён.",
            "Показать комнату может И. П. Петров. Е. В. Гусева",
            "Автомобиль А123ВС во дворе, квартира 2А, обращение № Ж-1187, договор № 118-А.",
            "Согласно Федеральному закону «О ПОРЯДКЕ РАССМОТРЕНИЯ ОБРАЩЕНИЙ ГРАЖДАН РФ» мы ответили.",
            "Управляющая компания «ЖилКомСервис» и ООО «УЮТ ЖКУ» работают.",
            "Вы работали в ООО «КнААПО-Сервис».",
            "Табл. 1: № п/п, наименование.",
        ] {
            assert!(words(text).is_empty(), "{text}: {:?}", words(text));
        }
    }

    #[test]
    fn dotted_and_slash_forms() {
        assert_eq!(
            found("Мы не можем ответить, т. к. документы не поступили."),
            [("т. к.".to_string(), vec!["так как".to_string()])]
        );
        assert_eq!(words("Мы не ответили, т.к. документы не пришли."), ["т.к."]);
        assert_eq!(words("Это т. н. общедомовые нужды."), ["т. н."]);
        assert_eq!(words("Приказ подписал и. о. директора."), ["и. о."]);
        assert_eq!(words("И. о. директора подписал приказ."), ["И. о."]);
        assert_eq!(
            found("Задолженность по л/с 123 погашена."),
            [("л/с".to_string(), vec!["лицевой счёт".to_string()])]
        );
        assert_eq!(words("Дом стоит в м/р Северный."), ["м/р"]);
        assert_eq!(words("Приложены документы, в т. ч. договор."), ["т. ч."]);
    }

    #[test]
    fn multi_word_and_mixed_case_acronyms() {
        assert_eq!(
            words("Материалы направлены в СУ СК России по Приозерной области."),
            ["СУ СК"]
        );
        assert_eq!(words("Вы работали в КнААПО до 2010 года."), ["КнААПО"]);
        assert_eq!(words("Далее МКД отремонтируют."), ["МКД"]);
        assert_eq!(
            words("Письмо направлено в ГосЖилИнспекцию."),
            ["ГосЖилИнспекцию"]
        );
        assert_eq!(words("Обратитесь в ООО УК «Дом»."), ["УК"]);
        assert!(words("Обратитесь к Роберту МакДональду.").is_empty());
    }

    #[test]
    fn line_breaks_and_capitals_do_not_hide_it() {
        assert_eq!(words("Плата за\nЖКУ начислена\nверно."), ["ЖКУ"]);
        assert_eq!(
            words("Файл в формате PDF-файл отправлен, ЖКУ-платежи учтены."),
            ["ЖКУ"]
        );
        assert_eq!(words("ОСС ПРОВЕДЕНО.\n\nПротокол приложен."), ["ОСС"]);
    }

    #[test]
    fn a_greeting_does_not_spell_an_acronym() {
        assert_eq!(
            words("Уважаемый Константин Петрович!\n\nУК ответит Вам до 1 декабря."),
            ["УК"]
        );
    }

    fn letters_in(folder: &str) -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(folder);
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                (name, std::fs::read_to_string(p).unwrap())
            })
            .collect()
    }

    #[test]
    fn good_letters_are_silent_and_bad_ones_are_caught() {
        for (name, text) in letters_in("tests/letters/good") {
            assert!(words(&text).is_empty(), "{name}: {:?}", words(&text));
        }
        let mut all: Vec<String> = letters_in("tests/letters/bad")
            .into_iter()
            .flat_map(|(_, text)| words(&text))
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all, ["ЖКУ", "КУМИ", "КФХ", "МКД", "ОСС", "УСЗН"]);
    }

    #[test]
    fn specialist_terms_are_hinted_once_unless_explained() {
        let linter = linter_with(None);
        let doc = Document::new(
            "На участок установлен сервитут. Сервитут зарегистрирован. Договор пролонгирован.",
        );
        let findings = linter.check(&doc, &mut LemmaCache::new());
        let terms: Vec<(&str, &str)> = findings
            .iter()
            .map(|f| (f.code.as_ref(), doc.slice(f.range.clone())))
            .collect();
        assert_eq!(terms, [("AB002", "сервитут"), ("AB002", "пролонгирован")]);
        assert_eq!(findings[1].suggestions, ["продление"]);
        for text in [
            "Установлен сервитут (право проезда через участок).",
            "Установлен сервитут — право проезда через участок.",
            "Установлен сервитут. Это право соседа проезжать через участок.",
            "Договор продлён.",
        ] {
            assert!(words(text).is_empty(), "{text}: {:?}", words(text));
        }
    }

    /// The earlier form of `looks_mixed_acronym`, which collected the letters: the one-pass form
    /// must agree with it.
    fn looks_mixed_acronym_collected(word: &str) -> bool {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 3
            || !chars
                .iter()
                .all(|&c| is_cyrillic(c) && morphology::is_letter(c))
            || !morphology::is_upper(chars[0])
        {
            return false;
        }
        let upper = chars.iter().filter(|c| morphology::is_upper(**c)).count();
        if upper < 2 || upper == chars.len() {
            return false;
        }
        let run = chars
            .windows(2)
            .any(|w| morphology::is_upper(w[0]) && morphology::is_upper(w[1]));
        let mut segments: Vec<usize> = Vec::new();
        for &c in &chars {
            if morphology::is_upper(c) || segments.is_empty() {
                segments.push(0);
            }
            *segments.last_mut().expect("pushed") += 1;
        }
        let short_stumps = segments[..segments.len() - 1]
            .iter()
            .filter(|&&n| n <= 3)
            .count();
        run || upper * 2 >= chars.len() || short_stumps >= 2
    }

    /// The earlier form of `all_caps`: two passes over the word.
    fn all_caps_two_passes(word: &str) -> bool {
        word.chars().filter(|&c| morphology::is_letter(c)).count() >= 2
            && word.chars().all(|c| {
                morphology::is_letter(c) && morphology::is_upper(c) || c == '-' || c == '\u{2011}'
            })
    }

    /// Words of every shape the checks meet: built from pieces of capitals, small letters, Latin,
    /// digits, hyphens and slashes, in all combinations of up to four pieces.
    fn varied_words() -> Vec<String> {
        let pieces = [
            "",
            "Г",
            "г",
            "ос",
            "Жил",
            "ИНС",
            "а",
            "Я",
            "ё",
            "Ё",
            "Mc",
            "D",
            "x",
            "7",
            "-",
            "\u{2011}",
            "/",
            "ДОМ",
            "пекция",
            "Кн",
            "АА",
            "ПО",
            "É",
            "ß",
            "\u{2013}",
        ];
        let mut words = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    words.push(format!("{a}{b}{c}"));
                    for d in ["", "Ин", "о", "-", "Р"] {
                        words.push(format!("{a}{b}{c}{d}{a}"));
                    }
                }
            }
        }
        words.extend(
            [
                "КнААПО",
                "ГосЖилИнспекция",
                "МакДональд",
                "ОсС",
                "Уважаемый",
                "ГУП-ЖКХ",
                "б/у",
            ]
            .map(String::from),
        );
        words
    }

    #[test]
    fn one_pass_word_tests_agree_with_the_earlier_ones() {
        for word in varied_words() {
            assert_eq!(
                looks_mixed_acronym(&word),
                looks_mixed_acronym_collected(&word),
                "looks_mixed_acronym({word:?})"
            );
            assert_eq!(
                all_caps(&word),
                all_caps_two_passes(&word),
                "all_caps({word:?})"
            );
            assert_eq!(
                has_slash_or_hyphen(&word),
                word.contains(['/', '-', '\u{2011}']),
                "has_slash_or_hyphen({word:?})"
            );
        }
    }

    /// The byte tests of the classification pass against the characters, and the reason a plain
    /// capitalised word may be left out of the candidate pass: no candidate test accepts it.
    #[test]
    fn plain_capitalised_words_are_never_candidates() {
        let mut words = varied_words();
        words.extend(
            [
                "Уважаемый",
                "В",
                "Ёлка",
                "Жёлтый",
                "Ѐлка",
                "Яя",
                "ЯЯ",
                "Ⅻ",
                "Dом",
            ]
            .map(String::from),
        );
        for word in words {
            let mut chars = word.chars();
            let first = chars.next();
            let by_chars = first.is_some_and(morphology::is_upper)
                && chars.all(|c| matches!(c, 'а'..='я' | 'ё'));
            assert_eq!(is_plain_capitalised(&word), by_chars, "{word:?}");
            let small_first = matches!(first, Some('а'..='я' | 'ё'));
            assert_eq!(
                starts_small_russian(word.as_bytes()),
                small_first,
                "{word:?}"
            );
            if by_chars {
                assert!(
                    !all_caps(&word) && !looks_mixed_acronym(&word) && !has_slash_or_hyphen(&word),
                    "{word:?}"
                );
            }
        }
    }
}
