//! Russian morphology: lemmas and grammatical tags from the rumorph dictionary (OpenCorpora and
//! Wiktionary data, CC BY-SA 4.0 — see dictionaries/README.md). The dictionary is embedded in the
//! binary and opened once, lazily, on first use.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

pub use rumorph::Dictionary;

use crate::precomputed_morphology as precomputed;

/// The process-wide dictionary. Opening it reads no files: the data is part of the binary.
pub fn dictionary() -> &'static Dictionary {
    static DICTIONARY: OnceLock<Dictionary> = OnceLock::new();
    // The checksum and consistency checks of the data (half the start-up time of a one-letter
    // check) run once at build time instead (build.rs opens it with `bundled`, which checks).
    DICTIONARY.get_or_init(|| {
        Dictionary::bundled_unverified().expect("the bundled dictionary was verified at build time")
    })
}

/// The features of a UD tag that the analyzers ask about, read once per tag: `ud_tag(tag).feat(..)`
/// compares strings, and analyzers ask for every reading of every word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TagFacts {
    pub pos: &'static str,
    pub case: Option<&'static str>,
    pub verb_form: Option<&'static str>,
    pub variant: Option<&'static str>,
    pub person: Option<&'static str>,
    pub mood: Option<&'static str>,
    pub tense: Option<&'static str>,
    /// `Abbr=Yes`.
    pub abbr: bool,
}

/// The facts of UD tag `tag`; an unknown tag has the part of speech "X" and no features.
pub fn tag_facts(tag: u16) -> &'static TagFacts {
    static TABLE: OnceLock<Vec<TagFacts>> = OnceLock::new();
    static UNKNOWN: TagFacts = TagFacts {
        pos: "X",
        case: None,
        verb_form: None,
        variant: None,
        person: None,
        mood: None,
        tense: None,
        abbr: false,
    };
    // Worked out at build time; computed here only inside build.rs itself.
    let table = match precomputed::TAG_FACTS {
        [] => TABLE.get_or_init(all_tag_facts).as_slice(),
        table => table,
    };
    table.get(usize::from(tag)).unwrap_or(&UNKNOWN)
}

/// How many UD tags the dictionary has (tag numbers are below it).
pub fn ud_tag_count() -> usize {
    match precomputed::TAG_FACTS {
        [] => dictionary().ud_tags().len(),
        table => table.len(),
    }
}

/// The facts of every UD tag of the dictionary, by tag number.
pub fn all_tag_facts() -> Vec<TagFacts> {
    dictionary()
        .ud_tags()
        .map(|t| TagFacts {
            pos: t.pos(),
            case: t.feat("Case"),
            verb_form: t.feat("VerbForm"),
            variant: t.feat("Variant"),
            person: t.feat("Person"),
            mood: t.feat("Mood"),
            tense: t.feat("Tense"),
            abbr: t.feat("Abbr") == Some("Yes"),
        })
        .collect()
}

/// One reading of a word form: its lemma (normalised: lower case, ё → е) and its UD tag number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub lemma: String,
    pub tag: u16,
}

/// `char::is_alphabetic`, without its table search for the letters of Russian and English text.
pub fn is_letter(c: char) -> bool {
    match c {
        'а'..='я' | 'А'..='Я' | 'ё' | 'Ё' | 'a'..='z' | 'A'..='Z' => true,
        _ if c.is_ascii() => false,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_uppercase`, without its table search for Russian and English letters.
pub fn is_upper(c: char) -> bool {
    match c {
        'А'..='Я' | 'Ё' | 'A'..='Z' => true,
        'а'..='я' | 'ё' | 'a'..='z' => false,
        _ if c.is_ascii() => false,
        _ => c.is_uppercase(),
    }
}

/// `char::is_lowercase`, without its table search for Russian and English letters.
pub fn is_lower(c: char) -> bool {
    match c {
        'а'..='я' | 'ё' | 'a'..='z' => true,
        'А'..='Я' | 'Ё' | 'A'..='Z' => false,
        _ if c.is_ascii() => false,
        _ => c.is_lowercase(),
    }
}

/// `char::is_numeric`, without its table search for ASCII and Cyrillic (which has no digits).
pub fn is_numeric(c: char) -> bool {
    match c {
        '0'..='9' => true,
        _ if c.is_ascii() => false,
        '\u{0400}'..='\u{04FF}' => false,
        _ => c.is_numeric(),
    }
}

/// Lower case with ё → е: the form in which words and lemmas are compared.
pub fn normalize(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    normalize_into(word, &mut out);
    out
}

/// `normalize` into a buffer the caller reuses (it is cleared first).
pub fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    for ch in word.chars() {
        match ch {
            // The common letters directly: `to_lowercase` searches a table for every non-ASCII letter.
            'а'..='я' => out.push(ch),
            'А'..='Я' => out.push(char::from_u32(ch as u32 + 0x20).expect("А..Я + 0x20 is а..я")),
            'ё' | 'Ё' => out.push('е'),
            _ if ch.is_ascii() => out.push(ch.to_ascii_lowercase()),
            _ => out.extend(ch.to_lowercase()),
        }
    }
}

fn is_cyrillic(ch: char) -> bool {
    matches!(ch, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// Latin letters that look exactly like Cyrillic ones, and their Cyrillic twins.
fn cyrillic_twin(ch: char) -> Option<char> {
    Some(match ch {
        'a' => 'а',
        'A' => 'А',
        'e' => 'е',
        'E' => 'Е',
        'o' => 'о',
        'O' => 'О',
        'p' => 'р',
        'P' => 'Р',
        'c' => 'с',
        'C' => 'С',
        'x' => 'х',
        'X' => 'Х',
        'y' => 'у',
        'K' => 'К',
        'k' => 'к',
        'M' => 'М',
        'H' => 'Н',
        'T' => 'Т',
        'B' => 'В',
        'u' => 'и',
        'n' => 'п',
        'm' => 'т',
        'i' => 'і',
        'r' => 'г',
        _ => return None,
    })
}

/// A word written in both Cyrillic and Latin letters, such as «взaимoдeйcтвия» with Latin a, o, e, c.
/// Parts of a compound («PDF-файл», «e-mail-адрес») are judged one by one.
pub fn mixes_scripts(word: &str) -> bool {
    // Most words have no Latin letter at all.
    if !word.bytes().any(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    word.split(|ch: char| !ch.is_alphanumeric()).any(|part| {
        let mut cyrillic = false;
        let mut latin = false;
        for ch in part.chars() {
            if is_cyrillic(ch) {
                cyrillic = true;
            } else if ch.is_ascii_alphabetic() {
                latin = true;
            }
        }
        cyrillic && latin
    })
}

/// The Cyrillic spelling of a mixed word, when every Latin letter in it has a Cyrillic twin.
pub fn cyrillic_spelling(word: &str) -> Option<String> {
    word.chars()
        .map(|ch| {
            if ch.is_ascii_alphabetic() {
                cyrillic_twin(ch)
            } else {
                Some(ch)
            }
        })
        .collect()
}

const MIN_READING_PROBABILITY: f64 = 0.01;

/// What the dictionary says of one word form (normalised), read once.
#[derive(Debug, Default)]
pub struct FormAnalysis {
    /// The likely readings, de-duplicated (see `analyze`): what rules match.
    pub readings: Vec<Reading>,
    /// Every analysis the dictionary gives, likely or not, with its probability.
    pub analyses: Vec<Analysis>,
    form: Box<str>,
    known: OnceLock<bool>,
}

/// One analysis of a form: its UD tag, how likely it is, and where it comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Analysis {
    pub tag: u16,
    pub probability: f64,
    /// The dictionary has this form with this reading (not a rule's or a guess).
    pub in_dictionary: bool,
    /// The OpenCorpora tag marks an abbreviation (`Abbr`).
    pub abbreviation: bool,
    /// The OpenCorpora tag marks a first name, a surname or a patronymic.
    pub personal_name: bool,
}

impl FormAnalysis {
    /// The dictionary has the form itself (it does not guess it). Asked of few forms: worked out
    /// on first use.
    pub fn known(&self) -> bool {
        *self
            .known
            .get_or_init(|| !self.form.is_empty() && dictionary().is_known(&self.form))
    }
}

/// The flags of an OpenCorpora tag (by number) that the analyzers ask about, read once per tag:
/// finding them compares strings.
fn open_corpora_flags(tag: Option<u16>) -> (bool, bool) {
    static TABLE: OnceLock<Vec<(bool, bool)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        dictionary()
            .tags()
            .map(|t| {
                let name = t.contains("Name") || t.contains("Surn") || t.contains("Patr");
                (t.contains("Abbr"), name)
            })
            .collect()
    });
    tag.and_then(|t| table.get(usize::from(t)).copied())
        .unwrap_or((false, false))
}

/// Every analysis of a word form and its likely readings. Unknown words get the dictionary's
/// guesses, so a rule still matches a word the dictionary has never seen if it inflects like a
/// known one.
pub fn analyze_form(word: &str) -> FormAnalysis {
    let dictionary = dictionary();
    let raw = dictionary.analyze(word);
    let best = raw.iter().map(|a| a.prob).fold(0.0, f64::max);
    let mut readings: Vec<Reading> = Vec::new();
    let mut analyses = Vec::with_capacity(raw.len());
    for analysis in raw {
        let (abbreviation, personal_name) = open_corpora_flags(analysis.tag);
        analyses.push(Analysis {
            tag: analysis.ud,
            probability: analysis.prob,
            in_dictionary: analysis.source == rumorph::Source::Dictionary,
            abbreviation,
            personal_name,
        });
        // Readings the dictionary itself finds next to impossible («о» as an abbreviated noun)
        // would only produce false alarms.
        if analysis.prob < MIN_READING_PROBABILITY && analysis.prob < best {
            continue;
        }
        let reading = Reading {
            lemma: normalize(&analysis.lemma),
            tag: analysis.ud,
        };
        if !readings.contains(&reading) {
            readings.push(reading);
        }
    }
    FormAnalysis {
        readings,
        analyses,
        form: word.into(),
        known: OnceLock::new(),
    }
}

/// The likely readings of a word form, de-duplicated (see `analyze_form`).
pub fn analyze(word: &str) -> Vec<Reading> {
    analyze_form(word).readings
}

/// Past this many forms the shared analyses stop growing (a long editor session or a large
/// archive); further forms are analysed without being kept.
const SHARED_READINGS_LIMIT: usize = 200_000;

/// `analyze_form`, with the answers shared by every thread: each worker thread of a folder run
/// keeps its own `LemmaCache`, and without this each asked the dictionary about every new form
/// again. Kept in memory only, like the caches.
pub fn analyze_shared(word: &str) -> Arc<FormAnalysis> {
    type Memo = Mutex<rustc_hash::FxHashMap<Box<str>, Arc<FormAnalysis>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(Memo::default);
    if let Some(known) = memo
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(word)
    {
        return known.clone();
    }
    // Analysed outside the lock: two threads may both analyse a form, and either answer is kept.
    let analysis = Arc::new(analyze_form(word));
    let mut memo = memo.lock().unwrap_or_else(PoisonError::into_inner);
    if memo.len() < SHARED_READINGS_LIMIT {
        memo.insert(word.into(), analysis.clone());
    }
    analysis
}

/// The lemmas a rule author means by `word`: the word itself when it is a dictionary lemma,
/// otherwise the lemmas of all its readings (an author who wrote an inflected form).
///
/// The words of the default rules were looked up when yasno was built (build.rs), so loading the
/// default rules does not wait for the dictionary to open.
pub fn rule_lemmas(word: &str) -> Vec<String> {
    if let Some(lemmas) = precomputed_rule_lemmas(word) {
        return lemmas.iter().map(|l| l.to_string()).collect();
    }
    // Rule files repeat their words many times, and analyzers read their word lists per document.
    let memo = rule_memo();
    if let Some(lemmas) = memo.lock().expect("not poisoned").lemmas.get(word) {
        return lemmas.clone();
    }
    let lemmas = rule_lemmas_uncached(word);
    memo.lock()
        .expect("not poisoned")
        .lemmas
        .insert(word.to_string(), lemmas.clone());
    lemmas
}

/// `rule_lemmas` of a word of the default rules, without allocating; None for other words.
pub fn precomputed_rule_lemmas(word: &str) -> Option<&'static [&'static str]> {
    let at = precomputed::RULE_LEMMAS
        .binary_search_by(|(w, _)| (*w).cmp(word))
        .ok()?;
    Some(precomputed::RULE_LEMMAS[at].1)
}

fn rule_lemmas_uncached(word: &str) -> Vec<String> {
    let normalized = normalize(word);
    let readings = analyze(&normalized);
    if readings.is_empty() || readings.iter().any(|r| r.lemma == normalized) {
        return vec![normalized];
    }
    let mut lemmas: Vec<String> = Vec::new();
    for reading in readings {
        if !lemmas.contains(&reading.lemma) {
            lemmas.push(reading.lemma);
        }
    }
    lemmas
}

/// The UD tags (a bit per tag number) that satisfy a rule's `{POS,Feature=Value}` constraint,
/// written without braces. The constraints of the default rules were worked out at build time.
pub fn tag_set(spec: &str) -> Result<Vec<u64>, String> {
    if let Ok(at) = precomputed::TAG_SETS.binary_search_by(|(s, _)| (*s).cmp(spec)) {
        return Ok(precomputed::TAG_SETS[at].1.to_vec());
    }
    let memo = rule_memo();
    if let Some(bits) = memo.lock().expect("not poisoned").tag_sets.get(spec) {
        return Ok(bits.clone());
    }
    let bits = tag_set_uncached(spec)?;
    memo.lock()
        .expect("not poisoned")
        .tag_sets
        .insert(spec.to_string(), bits.clone());
    Ok(bits)
}

fn tag_set_uncached(spec: &str) -> Result<Vec<u64>, String> {
    let dictionary = dictionary();
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
    Ok(bits)
}

/// What compiling rules asked of the dictionary, beyond the precomputed answers.
#[derive(Default)]
pub struct RuleMemo {
    pub lemmas: HashMap<String, Vec<String>>,
    pub tag_sets: HashMap<String, Vec<u64>>,
}

/// The answers given to `rule_lemmas` and `tag_set` so far. build.rs compiles the default rules
/// and writes this out, as the precomputed tables of the binary.
pub fn rule_memo() -> &'static Mutex<RuleMemo> {
    static MEMO: OnceLock<Mutex<RuleMemo>> = OnceLock::new();
    MEMO.get_or_init(Mutex::default)
}

/// Puts `lemma` into the grammatical form of `model` (a UD tag): «этот» like «данном» → «этом».
/// Returns None when the dictionary has no such form.
pub fn inflect_like(lemma: &str, model_tag: u16) -> Option<String> {
    let dictionary = dictionary();
    let model = dictionary.ud_tag(model_tag)?;
    let wanted: Vec<(&str, &str)> = [
        "Case", "Number", "Gender", "Person", "Tense", "Mood", "VerbForm", "Voice", "Variant",
    ]
    .into_iter()
    .filter_map(|name| model.feat(name).map(|value| (name, value)))
    .collect();
    let base = dictionary
        .analyze(lemma)
        .into_iter()
        .find(|a| normalize(&a.lemma) == normalize(lemma))?;
    let base_tag = dictionary.ud_tag(base.ud)?;
    // Only features the replacement has (a verb has no case, an adjective in the plural no gender).
    let applicable: Vec<(&str, &str)> = wanted
        .into_iter()
        .filter(|(name, _)| {
            base_tag.pos() == model.pos() || matches!(*name, "Case" | "Number" | "Gender")
        })
        .collect();
    dictionary
        .inflect(&base, &applicable)
        .map(|form| form.word)
        .filter(|w| !w.is_empty())
}

/// The value of feature `name` (UD: Case, Number, Gender, Aspect …) in UD tag `tag`.
pub fn feature(tag: u16, name: &str) -> Option<&'static str> {
    dictionary().ud_tag(tag)?.feat(name)
}

/// The part of speech of UD tag `tag` ("X" when unknown).
pub fn part_of_speech(tag: u16) -> &'static str {
    tag_facts(tag).pos
}

/// The forms of `word` (as written in a text) with `feats` changed, one for each of its readings
/// that `keep` accepts, de-duplicated in order of likelihood. More than one form means the reading
/// decides, which only the context can tell; none means the dictionary has no such form.
pub fn reinflect(word: &str, keep: impl Fn(u16) -> bool, feats: &[(&str, &str)]) -> Vec<String> {
    let dictionary = dictionary();
    let mut forms: Vec<String> = Vec::new();
    for analysis in dictionary.analyze(word) {
        if analysis.prob < MIN_READING_PROBABILITY || !keep(analysis.ud) {
            continue;
        }
        if let Some(form) = inflect_exactly(dictionary, &analysis, feats)
            && !forms.contains(&form)
        {
            forms.push(form);
        }
    }
    forms
}

/// The form of `analysis`'s word with every one of `feats`: `Dictionary::inflect` gives the
/// closest form, which may lack some.
fn inflect_exactly(
    dictionary: &Dictionary,
    analysis: &rumorph::Analysis,
    feats: &[(&str, &str)],
) -> Option<String> {
    let form = dictionary.inflect(analysis, feats)?;
    let tag = dictionary.ud_tag(form.ud)?;
    let complete = feats
        .iter()
        .all(|&(name, value)| tag.feat(name) == Some(value));
    (complete && !form.word.is_empty()).then_some(form.word)
}

/// How a rule author's replacement word reads (UD tag), and whether it is written as its lemma:
/// the reading of which it is the lemma, else its likeliest nominative or infinitive reading, else
/// its likeliest reading.
/// With `prefer`, a lemma reading of that part of speech comes first («мочь» the verb).
pub fn replacement_reading(word: &str, prefer: Option<&str>) -> Option<(u16, bool)> {
    replacement_analysis(word, prefer).map(|(a, is_lemma)| (a.ud, is_lemma))
}

fn replacement_analysis(word: &str, prefer: Option<&str>) -> Option<(rumorph::Analysis, bool)> {
    let mut analyses = dictionary().analyze(word);
    let normalized = normalize(word);
    let is_lemma = |a: &rumorph::Analysis| normalize(&a.lemma) == normalized;
    let preferred = analyses.iter().position(|a| {
        is_lemma(a)
            && a.prob >= MIN_READING_PROBABILITY
            && prefer.is_some_and(|pos| part_of_speech(a.ud) == pos)
    });
    if let Some(at) = preferred.or_else(|| analyses.iter().position(is_lemma)) {
        return Some((analyses.swap_remove(at), true));
    }
    let at = analyses
        .iter()
        .position(|a| {
            matches!(feature(a.ud, "Case"), Some("Nom"))
                || matches!(feature(a.ud, "VerbForm"), Some("Inf"))
        })
        .unwrap_or(0);
    (at < analyses.len()).then(|| (analyses.swap_remove(at), false))
}

/// A rule author's replacement word, in its reading `tag` (see `replacement_reading`), put into
/// `feats`: «деньги» with Case=Gen → «денег». None when there is no such form.
pub fn inflect_replacement(word: &str, tag: u16, feats: &[(&str, &str)]) -> Option<String> {
    let dictionary = dictionary();
    let analysis = dictionary.analyze(word).into_iter().find(|a| a.ud == tag)?;
    inflect_exactly(dictionary, &analysis, feats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lemmas(word: &str) -> Vec<String> {
        analyze(word).into_iter().map(|r| r.lemma).collect()
    }

    #[test]
    fn inflected_forms_share_a_lemma() {
        for form in ["взят", "взяты", "взяли", "возьмём", "возьмем", "взятый"]
        {
            assert!(lemmas(form).contains(&"взять".to_string()), "{form}");
        }
        assert!(lemmas("контроле").contains(&"контроль".to_string()));
        assert!(
            lemmas("ещё").contains(&"еще".to_string()),
            "ё is normalised to е"
        );
    }

    #[test]
    fn fast_character_classes_agree_with_the_standard_library() {
        for c in (0..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(is_upper(c), c.is_uppercase(), "{c:?}");
            assert_eq!(is_lower(c), c.is_lowercase(), "{c:?}");
            assert_eq!(is_numeric(c), c.is_numeric(), "{c:?}");
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn mixed_scripts_are_detected_and_repaired() {
        assert!(mixes_scripts("взaимoдeйcтвия"));
        assert!(!mixes_scripts("взаимодействия"));
        assert!(!mixes_scripts("PDF"));
        assert!(!mixes_scripts("PDF-файл"));
        assert_eq!(
            cyrillic_spelling("взaимoдeйcтвия").unwrap(),
            "взаимодействия"
        );
    }

    #[test]
    fn rule_lemmas_keep_lemmas_and_resolve_forms() {
        assert_eq!(rule_lemmas("Данный"), vec!["данный"]);
        assert_eq!(rule_lemmas("контроле"), vec!["контроль"]);
    }

    /// build.rs answered these with the dictionary of the build; the binary must agree with them.
    #[test]
    fn precomputed_answers_are_what_the_dictionary_says() {
        assert!(
            precomputed::RULE_LEMMAS.len() > 500,
            "the rule words were looked up"
        );
        assert!(
            precomputed::TAG_SETS.len() > 10,
            "the tag constraints were worked out"
        );
        for (word, lemmas) in precomputed::RULE_LEMMAS {
            assert_eq!(rule_lemmas_uncached(word), *lemmas, "{word}");
        }
        for (spec, bits) in precomputed::TAG_SETS {
            assert_eq!(tag_set_uncached(spec).as_deref(), Ok(*bits), "{spec}");
        }
        assert_eq!(precomputed::TAG_FACTS, all_tag_facts().as_slice());
        assert!(precomputed::RULE_LEMMAS.is_sorted_by_key(|(word, _)| *word));
        assert!(precomputed::TAG_SETS.is_sorted_by_key(|(spec, _)| *spec));
    }

    /// The binary opens the dictionary without its checks; the same data passes them.
    #[test]
    fn the_bundled_dictionary_passes_its_checks() {
        let verified = Dictionary::bundled().expect("checksum and consistency checks pass");
        assert_eq!(verified.word_count(), dictionary().word_count());
    }

    #[test]
    fn replacements_agree_with_the_replaced_word() {
        let reading = analyze("данном")
            .into_iter()
            .find(|r| r.lemma == "данный")
            .unwrap();
        assert_eq!(inflect_like("этот", reading.tag).as_deref(), Some("этом"));
    }
}
