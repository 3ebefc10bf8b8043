//! Putting a replacement into the form its place in the sentence needs, with the dictionary:
//! a noun or adjective takes the case and number of the replaced words («денежных средств» →
//! «денег»), a verb the person, number and tense of the replaced verb («не нашли подтверждения» →
//! «не подтвердились»), the words a replacing preposition governs change case («в связи с
//! отсутствием» → «из-за отсутствия»), о/об, в/во, с/со, к/ко before it follow the new word, and a
//! comma that only the replaced words needed goes. A replacement is `certain` only when every one
//! of these had one answer whatever reading of the words is meant.

use std::ops::Range;

use super::word_tokens;
use crate::analyzers::Context;
use crate::engine::{Phrase, PhraseMatch};
use crate::morphology::{self, feature, part_of_speech};
use crate::text::TokenKind;

/// Where a phrase was found: its words and the words around them that a replacement may change.
pub struct Place {
    focus: Range<usize>,
    focus_tokens: Vec<usize>,
    /// The pattern's words after the replaced ones: what a replacing preposition governs.
    tail_tokens: Vec<usize>,
    /// A preposition of two forms (о/об, в/во, с/со, к/ко) right before the replaced words.
    preposition: Option<usize>,
    /// A comma right after the match.
    comma: Option<usize>,
    /// Genitive words right after a match that ends in a noun: the complement of a verbal noun
    /// («проверку документов»), which a replacing verb governs in another case.
    complement: Vec<usize>,
    /// The word that follows everything above, and the one before it: a replacement must not
    /// repeat them («в срок до» → «до до»).
    next_word: Option<usize>,
    previous_word: Option<usize>,
    /// The replaced words begin their sentence.
    pub starts_sentence: bool,
    region: Range<usize>,
    /// The region with the words before and after it, which the shape also depends on.
    neighbourhood: Range<usize>,
}

const TWO_FORM_PREPOSITIONS: [&str; 9] = ["о", "об", "обо", "в", "во", "с", "со", "к", "ко"];

impl Place {
    pub fn of(cx: &Context, m: &PhraseMatch) -> Place {
        let tokens = &cx.doc.tokens;
        let sentence = &cx.doc.sentences[m.sentence];
        let focus_tokens = word_tokens(cx, m.focus_token, &m.focus);
        let last_focus = focus_tokens.last().copied().unwrap_or(m.focus_token);
        let tail_tokens = word_tokens(cx, last_focus + 1, &(m.focus.end..m.range.end));
        let first_word = tokens[sentence.tokens.clone()]
            .iter()
            .position(|t| t.kind == TokenKind::Word)
            .map(|i| sentence.tokens.start + i);
        let starts_sentence = first_word == Some(m.focus_token);
        let text = cx.doc.text();
        // Only spaces between two tokens: nothing else is changed or dropped along with them.
        let adjacent = |left: usize, right: usize| {
            text[tokens[left].range().end..tokens[right].range().start]
                .chars()
                .all(char::is_whitespace)
        };
        let before = m
            .focus_token
            .checked_sub(1)
            .filter(|&i| i >= sentence.tokens.start && tokens[i].kind == TokenKind::Word);
        let preposition = before.filter(|&i| {
            adjacent(i, m.focus_token)
                && TWO_FORM_PREPOSITIONS
                    .contains(&morphology::normalize(cx.doc.token_text(i)).as_str())
        });
        let mut last = tail_tokens
            .last()
            .copied()
            .unwrap_or(last_focus)
            .max(last_focus);
        // Past the match's own words (a pattern may end inside a longer match).
        while last + 1 < sentence.tokens.end && tokens[last + 1].range().end <= m.range.end {
            last += 1;
        }
        let mut complement = Vec::new();
        let ends_in_noun = has_pos(cx, last_focus, &["NOUN"]) && last_focus == last;
        if ends_in_noun {
            let mut at = last + 1;
            while at < sentence.tokens.end
                && tokens[at].kind == TokenKind::Word
                && adjacent(at - 1, at)
                && has_case_reading(cx, at, "Gen")
            {
                complement.push(at);
                if has_pos(cx, at, &["NOUN"]) {
                    break;
                }
                at += 1;
            }
            if complement
                .last()
                .is_none_or(|&i| !has_pos(cx, i, &["NOUN"]))
            {
                complement.clear();
            }
        }
        let after = last + 1;
        let comma = (after < sentence.tokens.end
            && cx.doc.token_text(after) == ","
            && adjacent(last, after))
        .then_some(after);
        let end_token = complement.last().copied().or(comma).unwrap_or(last);
        let next_word = (end_token + 1..sentence.tokens.end)
            .find(|&i| tokens[i].kind != TokenKind::Punct || cx.doc.token_text(i) != ",")
            .filter(|&i| tokens[i].kind == TokenKind::Word);
        let start = match (preposition, before) {
            (Some(i), _) => tokens[i].range().start,
            (None, Some(i)) => tokens[i].range().end,
            (None, None) => m.focus.start,
        };
        let end = tokens[end_token].range().end.max(m.focus.end);
        let neighbourhood = before.map_or(start, |i| tokens[i].range().start)
            ..next_word.map_or(end, |i| tokens[i].range().end);
        Place {
            focus: m.focus.clone(),
            focus_tokens,
            tail_tokens,
            preposition,
            comma,
            complement,
            next_word,
            previous_word: before,
            starts_sentence,
            region: start..end,
            neighbourhood,
        }
    }

    /// Every byte a replacement may change.
    pub fn region(&self) -> Range<usize> {
        self.region.clone()
    }

    /// Every byte the shape of a replacement depends on: the key under which it is remembered.
    pub fn neighbourhood(&self) -> Range<usize> {
        self.neighbourhood.clone()
    }
}

/// The replacements of a phrase in their agreeing forms, all for one range (relative to the
/// region's start); empty when none can be made to agree.
#[derive(Clone, Debug)]
pub struct Shaped {
    pub range: Range<usize>,
    pub suggestions: Vec<String>,
    /// The first suggestion's form is certain.
    pub certain: bool,
}

/// The words a replacement puts in place of the found ones, before anything around them changes.
#[derive(Clone)]
struct Core {
    text: String,
    certain: bool,
    /// A verb replaces a verb and a verbal noun: the noun's genitive complement becomes its object.
    verb: bool,
}

pub fn shape(cx: &Context, place: &Place, phrase: &Phrase) -> Shaped {
    let doc = cx.doc;
    let tokens = &doc.tokens;
    let first_shape = phrase.shapes.first().cloned().unwrap_or_default();
    let first_core = form_core(cx, place, &phrase.suggest[0]);
    let with_tail = first_shape.governs.is_some() && !place.tail_tokens.is_empty();
    let with_complement =
        first_core.as_ref().is_some_and(|c| c.verb) && !place.complement.is_empty();
    // At the start of a sentence the comma closes the replaced opening phrase; in the middle,
    // only when the replaced words open with a comma of their own (a participle's pair).
    let with_comma = first_shape.drops_comma
        && place.comma.is_some()
        && (place.starts_sentence || doc.slice(place.focus.clone()).contains(','));
    let mut end = place.focus.end;
    if with_tail {
        end = end.max(
            tokens[*place.tail_tokens.last().expect("not empty")]
                .range()
                .end,
        );
    }
    if with_complement {
        end = end.max(
            tokens[*place.complement.last().expect("not empty")]
                .range()
                .end,
        );
    }
    if with_comma {
        end = tokens[place.comma.expect("checked")].range().end;
    }
    // A preposition before the replaced words is replaced too only when the new word needs its
    // other form.
    let first_text = first_core.as_ref().map(|c| c.text.as_str()).unwrap_or("");
    let with_preposition = place.preposition.filter(|&i| {
        let written = doc.token_text(i);
        preposition_before(written, first_text).is_some_and(|(form, _)| form != written)
    });
    // A conjunction that replaces one with a comma inside («в связи с тем, что») needs the comma
    // before it in the middle of a sentence: «…, так как».
    let comma_before = with_preposition.is_none()
        && !place.starts_sentence
        && doc.slice(place.focus.clone()).contains(',')
        && !phrase.suggest[0].contains(',')
        && is_conjunction(&phrase.suggest[0])
        && place.previous_word.is_some();
    let start = match (with_preposition, place.previous_word) {
        (Some(i), _) => tokens[i].range().start,
        (None, Some(previous)) if comma_before => tokens[previous].range().end,
        _ => place.focus.start,
    };
    let range = start..end;

    let mut suggestions = Vec::with_capacity(phrase.suggest.len());
    let mut certain = false;
    for (index, replacement) in phrase.suggest.iter().enumerate() {
        let shape = phrase.shapes.get(index).cloned().unwrap_or_default();
        let core = if index == 0 {
            first_core.clone()
        } else {
            form_core(cx, place, replacement)
        };
        let Some(core) = core else { continue };
        let mut sure = core.certain;
        // The pieces of the range, in order: (original bytes replaced, new text).
        let mut pieces: Vec<(Range<usize>, String)> = Vec::new();
        let mut core_text = core.text;
        if let Some(i) = with_preposition {
            let (form, rule_sure) =
                preposition_before(doc.token_text(i), &core_text).expect("a two-form preposition");
            sure &= rule_sure;
            pieces.push((tokens[i].range(), form));
        } else if doc
            .slice(place.focus.clone())
            .chars()
            .next()
            .is_some_and(morphology::is_upper)
            && (place.starts_sentence || !starts_all_capitals(doc.slice(place.focus.clone())))
        {
            core_text = capitalized(&core_text);
        }
        pieces.push((place.focus.clone(), core_text));
        if with_tail {
            match shape.governs {
                Some(case) => {
                    let agreeing = agreeing_slots(cx, &place.tail_tokens);
                    for &i in &place.tail_tokens {
                        let (form, unique) = reinflect_token(cx, i, case, agreeing.as_deref());
                        sure &= unique;
                        pieces.push((tokens[i].range(), form));
                    }
                }
                // This replacement does not govern the words: they stay as written.
                None => sure = false,
            }
        }
        if with_complement {
            if core.verb {
                // A verb's object is in the accusative unless the rule says which case it governs.
                let case = shape.governs.unwrap_or("Acc");
                let agreeing = agreeing_slots(cx, &place.complement);
                for &i in &place.complement {
                    let (form, _) = reinflect_token(cx, i, case, agreeing.as_deref());
                    pieces.push((tokens[i].range(), form));
                }
            }
            // Whether the complement is the verb's object only the meaning tells.
            sure = false;
        }
        if with_comma {
            let comma = tokens[place.comma.expect("checked")].range();
            pieces.push((comma, if shape.drops_comma { "" } else { "," }.to_string()));
        } else if let Some(comma) = place.comma.filter(|_| place.starts_sentence) {
            // A comma right after an opening phrase may belong to it alone.
            let between = &doc.text()
                [range.end.min(tokens[comma].range().start)..tokens[comma].range().start];
            sure &= !between.trim().is_empty() || range.end > tokens[comma].range().start;
        }
        // A replacement written with its comma (кроме того,) takes the place of a comma after it.
        if let Some(comma) = place.comma.filter(|_| !with_comma) {
            let comma = tokens[comma].range();
            let (_, last_new) = pieces.last().expect("the core is a piece");
            if last_new.ends_with(',')
                && range.end <= comma.start
                && doc.text()[range.end..comma.start].trim().is_empty()
            {
                let last = pieces.len() - 1;
                pieces[last].1.pop();
            }
        }
        if comma_before && !replacement.contains(',') {
            let gap = &doc.text()[range.start..place.focus.start];
            pieces.insert(0, (range.start..place.focus.start, format!(",{gap}")));
            sure = false;
        }
        // A replacement without commas in the middle of a sentence may stand where the commas of
        // the replaced phrase are needed or not: only a person can tell.
        sure &= !shape.drops_comma || place.starts_sentence;
        let text = rebuild(doc.text(), &range, &pieces);
        sure &= !repeats_a_neighbour(cx, place, &text);
        if index == 0 {
            certain = sure;
        }
        if !suggestions.contains(&text) {
            suggestions.push(text);
        }
    }
    if first_core.is_none() {
        certain = false;
    }
    let region_start = place.region.start;
    Shaped {
        range: range.start - region_start..range.end - region_start,
        suggestions,
        certain,
    }
}

/// The text of `range` with each piece's bytes replaced by its new text.
fn rebuild(text: &str, range: &Range<usize>, pieces: &[(Range<usize>, String)]) -> String {
    let mut out = String::new();
    let mut at = range.start;
    for (replaced, new) in pieces {
        if replaced.start < at {
            continue;
        }
        out.push_str(&text[at..replaced.start]);
        out.push_str(new);
        at = replaced.end;
    }
    out.push_str(&text[at..range.end]);
    out
}

/// The replacement begins with the word before it or ends with the word after it.
fn repeats_a_neighbour(cx: &Context, place: &Place, text: &str) -> bool {
    let same = |token: Option<usize>, word: Option<&str>| {
        token.zip(word).is_some_and(|(i, w)| {
            morphology::normalize(cx.doc.token_text(i)) == morphology::normalize(w)
        })
    };
    let previous = place.previous_word.filter(|_| place.preposition.is_none());
    same(previous, text.split_whitespace().next())
        || same(place.next_word, text.split_whitespace().last())
}

/// The replacement's own words in the form of the words they replace; None when they cannot be
/// made to agree (a verb for a passive, a form the dictionary does not have).
fn form_core(cx: &Context, place: &Place, replacement: &str) -> Option<Core> {
    let words: Vec<&str> = replacement.split(' ').filter(|w| !w.is_empty()).collect();
    // «мочь» for «иметь возможность» is the verb, not the noun.
    let replaces_verb = place
        .focus_tokens
        .iter()
        .any(|&i| has_pos(cx, i, &["VERB", "AUX"]));
    let replaces_noun = place
        .focus_tokens
        .iter()
        .any(|&i| has_pos(cx, i, &["NOUN"]));
    // «тепло» for «тепловая энергия» is the noun, not the adverb.
    let prefer = if replaces_verb {
        Some("VERB")
    } else if replaces_noun {
        Some("NOUN")
    } else {
        None
    };
    let readings: Vec<Option<(u16, bool)>> = words
        .iter()
        .map(|w| morphology::replacement_reading(w, prefer))
        .collect();
    let pos_of = |i: usize| readings[i].map_or("X", |(tag, _)| part_of_speech(tag));
    let first_content = (0..words.len()).find(|&i| pos_of(i) != "PART")?;
    match pos_of(first_content) {
        "VERB" | "AUX" if readings[first_content].is_some_and(|(_, lemma)| lemma) => {
            let (tag, _) = readings[first_content]?;
            verb_core(cx, place, &words, (first_content, tag))
        }
        "NOUN" | "ADJ" | "DET" => noun_core(cx, place, &words, &readings),
        _ => {
            // Words that do not inflect (поэтому, сейчас, потому что, через суд) fit any place of
            // the words they replace; a form the author wrote out (Обратите внимание) is his.
            let invariant = (0..words.len()).all(|i| {
                matches!(pos_of(i), "ADV" | "SCONJ" | "CCONJ" | "PART" | "INTJ")
                    || (0..i).any(|j| pos_of(j) == "ADP")
                    || pos_of(i) == "ADP"
            });
            Some(Core {
                text: replacement.to_string(),
                certain: invariant,
                verb: false,
            })
        }
    }
}

/// The UD tags of a token's readings.
fn tags(cx: &Context, token: usize) -> Vec<u16> {
    cx.words
        .word(token)
        .map(|info| info.readings.iter().map(|&(_, tag)| tag).collect())
        .unwrap_or_default()
}

fn has_pos(cx: &Context, token: usize, pos: &[&str]) -> bool {
    tags(cx, token)
        .into_iter()
        .any(|t| pos.contains(&part_of_speech(t)))
}

fn has_case_reading(cx: &Context, token: usize, case: &str) -> bool {
    tags(cx, token).into_iter().any(|t| {
        feature(t, "Case") == Some(case)
            && matches!(part_of_speech(t), "NOUN" | "ADJ" | "DET" | "PROPN")
    })
}

/// The grammatical features of a reading that a declining replacement takes from it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Slot {
    case: &'static str,
    number: Option<&'static str>,
    gender: Option<&'static str>,
    animacy: Option<&'static str>,
}

fn slot(tag: u16) -> Option<Slot> {
    Some(Slot {
        case: feature(tag, "Case")?,
        number: feature(tag, "Number"),
        gender: feature(tag, "Gender"),
        animacy: feature(tag, "Animacy"),
    })
}

/// A noun or adjective replacement, declined like the replaced noun phrase.
fn noun_core(
    cx: &Context,
    place: &Place,
    words: &[&str],
    readings: &[Option<(u16, bool)>],
) -> Option<Core> {
    let focus = &place.focus_tokens;
    let model_at = if focus.len() == 1 {
        0
    } else {
        (0..focus.len())
            .find(|&i| has_pos(cx, focus[i], &["NOUN"]))
            .or_else(|| (0..focus.len()).find(|&i| has_pos(cx, focus[i], &["ADJ", "DET"])))?
    };
    let model = focus[model_at];
    let model_is_noun = focus.len() > 1 || has_pos(cx, model, &["NOUN"]);
    let mut slots: Vec<Slot> = Vec::new();
    for tag in tags(cx, model) {
        let fits = if model_is_noun {
            part_of_speech(tag) == "NOUN"
        } else {
            matches!(part_of_speech(tag), "ADJ" | "DET" | "VERB" | "PRON" | "NUM")
        };
        if let Some(s) = slot(tag).filter(|_| fits)
            && !slots.contains(&s)
        {
            slots.push(s);
        }
    }
    // The adjectives before the noun agree with it: only the readings they share are meant.
    for &agreeing in &focus[..model_at] {
        let theirs: Vec<Slot> = tags(cx, agreeing).into_iter().filter_map(slot).collect();
        let shared: Vec<Slot> = slots
            .iter()
            .copied()
            .filter(|s| {
                theirs
                    .iter()
                    .any(|t| t.case == s.case && t.number == s.number)
            })
            .collect();
        if !shared.is_empty() {
            slots = shared;
        }
    }
    // No preposition governs the nominative; otherwise the likelier cases first.
    let after_preposition = place
        .previous_word
        .is_some_and(|i| has_pos(cx, i, &["ADP"]));
    if after_preposition && slots.iter().any(|s| s.case != "Nom") {
        slots.retain(|s| s.case != "Nom");
    }
    const CASE_ORDER: [&str; 6] = ["Nom", "Gen", "Acc", "Dat", "Ins", "Loc"];
    slots.sort_by_key(|s| CASE_ORDER.iter().position(|c| *c == s.case));
    let mut forms: Vec<String> = Vec::new();
    let mut every_slot_declines = true;
    for s in &slots {
        match decline(words, readings, s) {
            Some(text) => {
                if !forms.contains(&text) {
                    forms.push(text);
                }
            }
            None => every_slot_declines = false,
        }
    }
    let text = forms.first()?.clone();
    // A new noun of another number or gender would break the agreement of words outside the span
    // («транспортное средство припарковано» → «автомобиль припарковано»).
    let head =
        (0..words.len()).find(|&i| readings[i].is_some_and(|(t, _)| part_of_speech(t) == "NOUN"));
    let coordinated = readings
        .iter()
        .any(|r| r.is_some_and(|(t, _)| part_of_speech(t) == "CCONJ"));
    let same_agreement = match head.and_then(|i| readings[i].map(|r| (words[i], r))) {
        None => true,
        Some((word, (tag, is_lemma))) => slots.iter().all(|s| {
            let same_number = match s.number {
                // The noun was put into the model's number, if it has that number (деньги has no
                // singular); a noun the author wrote in a form keeps its own.
                Some(n) if is_lemma && !coordinated => {
                    morphology::inflect_replacement(word, tag, &[("Case", s.case), ("Number", n)])
                        .is_some()
                }
                number => feature(tag, "Number") == number,
            };
            same_number && (s.number == Some("Plur") || s.gender == feature(tag, "Gender"))
        }),
    };
    Some(Core {
        text,
        certain: forms.len() == 1 && every_slot_declines && same_agreement,
        verb: false,
    })
}

/// The replacement's words declined into `slot`: its nouns and adjectives up to the first word of
/// another kind (a preposition, a pronoun), which, with the rest, stay as written.
fn decline(words: &[&str], readings: &[Option<(u16, bool)>], slot: &Slot) -> Option<String> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut declining = true;
    let coordinated = readings
        .iter()
        .any(|r| r.is_some_and(|(t, _)| part_of_speech(t) == "CCONJ"));
    for (i, word) in words.iter().enumerate() {
        let Some((tag, is_lemma)) = readings[i] else {
            out.push(word.to_string());
            declining = false;
            continue;
        };
        let pos = part_of_speech(tag);
        if !declining || !matches!(pos, "NOUN" | "ADJ" | "DET" | "CCONJ") {
            declining = false;
            out.push(word.to_string());
            continue;
        }
        let form = match pos {
            "CCONJ" => word.to_string(),
            "NOUN" => {
                // A noun the author wrote in the plural (деревья) keeps it, and so do the nouns of
                // a pair (дождь и снег); деньги has no singular.
                let number = if is_lemma && !coordinated {
                    slot.number
                } else {
                    feature(tag, "Number")
                };
                let mut feats = vec![("Case", slot.case)];
                let with_number: Vec<(&str, &str)> = feats
                    .iter()
                    .copied()
                    .chain(number.map(|n| ("Number", n)))
                    .collect();
                morphology::inflect_replacement(word, tag, &with_number).or_else(|| {
                    feats.truncate(1);
                    morphology::inflect_replacement(word, tag, &feats)
                })?
            }
            _ => {
                // An adjective agrees with the replacement's own noun after it, else with the model.
                let noun = (i + 1..words.len())
                    .find_map(|j| readings[j].filter(|(t, _)| part_of_speech(*t) == "NOUN"));
                let (number, gender, animacy) = match noun {
                    Some((t, lemma)) => (
                        if lemma {
                            slot.number
                        } else {
                            feature(t, "Number")
                        },
                        feature(t, "Gender"),
                        feature(t, "Animacy"),
                    ),
                    None => (slot.number, slot.gender, slot.animacy),
                };
                let mut feats = vec![("Case", slot.case)];
                feats.extend(number.map(|n| ("Number", n)));
                if number != Some("Plur") {
                    feats.extend(gender.map(|g| ("Gender", g)));
                }
                if slot.case == "Acc" && (number == Some("Plur") || gender == Some("Masc")) {
                    feats.extend(animacy.map(|a| ("Animacy", a)));
                }
                morphology::inflect_replacement(word, tag, &feats).or_else(|| {
                    feats.retain(|(name, _)| *name != "Animacy");
                    morphology::inflect_replacement(word, tag, &feats)
                })?
            }
        };
        out.push(form);
    }
    Some(out.join(" "))
}

/// A verb replacement in the person, number, tense and mood of the replaced verb. None for a
/// passive or a reflexive verb, whose subject is not the doer, and for another aspect where the
/// tense would change with it: the sentence must be rebuilt by a person.
fn verb_core(
    cx: &Context,
    place: &Place,
    words: &[&str],
    (verb_at, verb_tag): (usize, u16),
) -> Option<Core> {
    let verb_tags = |token: usize| -> Vec<u16> {
        tags(cx, token)
            .into_iter()
            .filter(|&t| matches!(part_of_speech(t), "VERB" | "AUX"))
            .collect()
    };
    let model = place.focus_tokens.iter().copied().find(|&i| {
        !verb_tags(i).is_empty()
            && cx
                .words
                .word(i)
                .is_some_and(|info| !info.lemmas.iter().any(|l| &**l == "быть"))
    })?;
    let model_tags = verb_tags(model);
    // Only the verb, its verbal noun, «не» and «свой» are replaced: any other word of the span
    // (можно, Вам, к газу) would be lost.
    let mut nouns = 0;
    let last = place.focus_tokens.last().copied();
    for &i in place.focus_tokens.iter().filter(|&&i| i != model) {
        let lemmas = cx.words.word(i).map(|info| &info.lemmas[..]).unwrap_or(&[]);
        if lemmas.iter().any(|l| &**l == "не")
            && !words.iter().any(|w| morphology::normalize(w) == "не")
        {
            return None;
        }
        if lemmas
            .iter()
            .any(|l| matches!(&**l, "не" | "свой" | "быть"))
        {
            continue;
        }
        // The preposition of a verbal noun's complement (контроль за), which the verb does not need.
        if Some(i) == last && has_pos(cx, i, &["ADP"]) {
            continue;
        }
        if has_pos(cx, i, &["NOUN"]) {
            nouns += 1;
            continue;
        }
        return None;
    }
    if nouns > 1 {
        return None;
    }
    let passive = |t: u16| feature(t, "Voice") == Some("Pass");
    if place
        .focus_tokens
        .iter()
        .any(|&i| verb_tags(i).into_iter().any(passive))
    {
        return None;
    }
    let reflexive = |lemma: &str| lemma.ends_with("ся") || lemma.ends_with("сь");
    let model_reflexive = cx
        .words
        .word(model)
        .is_some_and(|info| info.lemmas.iter().any(|l| reflexive(l)));
    if model_reflexive && !reflexive(&morphology::normalize(words[verb_at])) {
        return None;
    }
    let mut forms: Vec<String> = Vec::new();
    for tag in model_tags {
        let feats: Vec<(&str, &str)> = ["VerbForm", "Mood", "Tense", "Person", "Number", "Gender"]
            .into_iter()
            .filter_map(|name| feature(tag, name).map(|value| (name, value)))
            .collect();
        // A perfective verb has no present tense, an imperfective no simple future: the tense
        // asked for is then missing and the verb is not offered.
        if let Some(form) = morphology::inflect_replacement(words[verb_at], verb_tag, &feats)
            && !forms.contains(&form)
        {
            forms.push(form);
        }
    }
    let form = forms.first()?.clone();
    let text: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == verb_at {
                form.clone()
            } else {
                w.to_string()
            }
        })
        .collect();
    Some(Core {
        text: text.join(" "),
        certain: forms.len() == 1,
        verb: true,
    })
}

/// A word of the text put into `case`, keeping its number and gender; whether the answer was the
/// same for every reading of the word.
fn reinflect_token(
    cx: &Context,
    token: usize,
    case: &str,
    agreeing: Option<&[(&'static str, Option<&'static str>)]>,
) -> (String, bool) {
    let word = cx.doc.token_text(token);
    let own = tags(cx, token);
    let forms = morphology::reinflect(
        word,
        |t| {
            own.contains(&t)
                && matches!(
                    part_of_speech(t),
                    "NOUN" | "ADJ" | "DET" | "PROPN" | "NUM" | "PRON"
                )
                && feature(t, "Case").is_some_and(|c| {
                    agreeing.is_none_or(|shared| shared.contains(&(c, feature(t, "Number"))))
                })
        },
        &[("Case", case)],
    );
    match forms.first() {
        Some(form) if word.chars().next().is_some_and(morphology::is_upper) => {
            (capitalized(form), forms.len() == 1)
        }
        Some(form) => (form.clone(), forms.len() == 1),
        None => (word.to_string(), false),
    }
}

/// The (case, number) pairs that every word of a noun phrase can have: an adjective and its noun
/// agree, so only the readings they share are meant («Вашим обращением»: instrumental singular).
fn agreeing_slots(
    cx: &Context,
    phrase: &[usize],
) -> Option<Vec<(&'static str, Option<&'static str>)>> {
    let mut shared: Option<Vec<(&'static str, Option<&'static str>)>> = None;
    for &i in phrase {
        let theirs: Vec<(&'static str, Option<&'static str>)> = tags(cx, i)
            .into_iter()
            .filter_map(|t| feature(t, "Case").map(|c| (c, feature(t, "Number"))))
            .collect();
        shared = Some(match shared {
            None => theirs,
            Some(before) => before.into_iter().filter(|s| theirs.contains(s)).collect(),
        });
    }
    shared.filter(|s| !s.is_empty() && phrase.len() > 1)
}

/// The form of a two-form preposition (о/об/обо, в/во, с/со, к/ко) before `next`, in the letter
/// case it was written in, and whether the choice is certain: о/об follows the first letter
/// alone; the long forms of в, с, к also depend on the word (во дворе), so a change is a guess.
fn preposition_before(written: &str, next: &str) -> Option<(String, bool)> {
    let lower = morphology::normalize(written);
    let next = morphology::normalize(next);
    let mut letters = next.chars();
    let first = letters.next()?;
    let second = letters.next();
    let consonant = |c: Option<char>| c.is_some_and(|c| "бвгджзйклмнпрстфхцчшщ".contains(c));
    let (form, certain) = match lower.as_str() {
        "о" | "об" => (
            if "аоуэиы".contains(first) {
                "об"
            } else {
                "о"
            },
            true,
        ),
        "обо" => ("обо", false),
        "в" | "во" => {
            let long = ("вф".contains(first) && consonant(second)) || next.starts_with("мн");
            (if long { "во" } else { "в" }, false)
        }
        "с" | "со" => {
            let long = ("сзшжщ".contains(first) && consonant(second))
                || next.starts_with("мн")
                || next.starts_with("вс");
            (if long { "со" } else { "с" }, false)
        }
        "к" | "ко" => {
            let long = ["мн", "вс", "вт"].iter().any(|p| next.starts_with(p));
            (if long { "ко" } else { "к" }, false)
        }
        _ => return None,
    };
    let certain = certain || form == lower;
    let form = if written.chars().next().is_some_and(morphology::is_upper) {
        capitalized(form)
    } else {
        form.to_string()
    };
    Some((form, certain))
}

/// The replacement is or ends a subordinating conjunction (так как, потому что, если).
fn is_conjunction(replacement: &str) -> bool {
    replacement.split_whitespace().any(|w| {
        morphology::replacement_reading(w, Some("SCONJ"))
            .is_some_and(|(t, _)| part_of_speech(t) == "SCONJ")
    })
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An abbreviation in capitals (МФЦ), not a capital letter beginning a sentence.
fn starts_all_capitals(found: &str) -> bool {
    found.chars().nth(1).is_some_and(morphology::is_upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_form_prepositions_follow_the_new_word() {
        assert_eq!(preposition_before("О", "этом"), Some(("Об".into(), true)));
        assert_eq!(
            preposition_before("об", "деньгах"),
            Some(("о".into(), true))
        );
        assert_eq!(preposition_before("в", "этом"), Some(("в".into(), true)));
        assert_eq!(preposition_before("с", "всеми"), Some(("со".into(), false)));
        assert_eq!(preposition_before("до", "этом"), None);
    }
}
