//! Finding the candidates: the classification pass over every token, capital words that are
//! emphasis, dotted and slash forms, and groups such as «СУ СК».

use std::ops::Range;

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// All capitals: МКД, PDF, «ГУП-ЖКХ».
    Caps,
    /// Capitals inside lower-case letters: КнААПО, ГосЖилИнспекция.
    Mixed,
    Slash,
    Dotted,
}

#[derive(Clone, Debug)]
pub(super) struct Candidate {
    pub(super) range: Range<usize>,
    /// First and last token.
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) key: String,
    /// Lower-case letters, for matching an expansion by initial letters.
    pub(super) letters: Vec<char>,
    pub(super) kind: Kind,
    /// For a group such as «СУ СК»: the keys of its members.
    pub(super) members: Vec<String>,
    pub(super) expansion: Option<String>,
}

/// Capital words that are emphasis, not acronyms: ordinary dictionary words in a run of capital
/// words that has a long one («ОТВЕТ НА ОБРАЩЕНИЕ»), long ordinary words alone («ВНИМАНИЕ»), and
/// particles, prepositions, pronouns («НЕ», «ВЫ»). A run is the capital words of a paragraph that no
/// other word interrupts.
pub(super) struct Emphasis {
    /// Per token: emphasis.
    pub(super) marked: Vec<bool>,
    pub(super) run: Vec<RunMember>,
}

pub(super) struct RunMember {
    pub(super) token: usize,
    /// An ordinary dictionary word, not spelled out in the lists as an abbreviation.
    pub(super) plain_word: bool,
    /// An ordinary dictionary word at least `min_caps_word` letters long.
    pub(super) long_word: bool,
}

impl Emphasis {
    pub(super) fn capital_word(
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
    pub(super) fn flush(&mut self) {
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
pub(super) struct CapitalVerdict {
    /// An ordinary dictionary word («ВНИМАНИЕ», «НЕ»).
    pub(super) ordinary: bool,
    /// Of a part of speech that never makes an acronym (a particle, a preposition).
    pub(super) function: bool,
    /// The lists spell it out as an abbreviation.
    pub(super) known_expansion: bool,
}

/// The token ranges of the document with their paragraphs, in order: the sentences, and any tokens
/// between them, which belong to no paragraph (`usize::MAX`).
pub(super) fn paragraph_spans(doc: &Document) -> Vec<(Range<usize>, usize)> {
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

impl<'c> Checker<'_, 'c> {
    pub(super) fn doc(&self) -> &Document {
        self.cx.doc
    }

    /// The word as the rules read it (a hidden word in its clean form): not for offsets.
    pub(super) fn text(&self, t: usize) -> &str {
        self.cx.doc.word_text(t)
    }

    /// The sentence that token `t` belongs to.
    pub(super) fn sentence_of(&self, t: usize) -> Option<usize> {
        let sentences = &self.doc().sentences;
        let s = sentences.partition_point(|s| s.tokens.end <= t);
        (s < sentences.len() && sentences[s].tokens.start <= t).then_some(s)
    }

    /// What the dictionary and the lists say of a capital word, asked once per word as written.
    pub(super) fn verdict(&self, word: &'c str) -> CapitalVerdict {
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
    pub(super) fn classify(&self) -> (Vec<bool>, Vec<usize>) {
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
                        emphasis.capital_word(
                            self.verdict(word),
                            self.lists.min_caps_word,
                            t,
                            word,
                        );
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

    pub(super) fn candidates(&self) -> Vec<Candidate> {
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
    pub(super) fn dotted(&self, t: usize) -> Option<(Option<Candidate>, usize)> {
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
    pub(super) fn group(&self, found: Vec<Candidate>) -> Vec<Candidate> {
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
}

impl Checker<'_, '_> {
    /// The one member of a group that needs explaining, as a candidate of its own.
    pub(super) fn single_member(&self, group: &Candidate, member: &str) -> Option<Candidate> {
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
