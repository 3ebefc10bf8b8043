//! Refusals («отказано», «не может быть удовлетворено», «оснований не имеется», «нельзя» …) must
//! say why in plain words and what the reader can do next (004 п. 1.3.5, 3.11; 002 п. 3.7; 001 п. 14).
//!
//! The trigger phrases are lemma patterns on the rule with `check = "refusal"` (RF002); the engine
//! finds them. This analyzer drops triggers that are no refusal by the office (conditional, quoted,
//! reported, questions), groups adjacent refusal sentences into one refusal, and looks around it for
//! a reason and a way forward. Every word list it uses is a list of patterns in that rule's
//! `[rule.markers]`.

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use super::registry::Check;
use super::{Analyzer, Context};
use crate::engine::{CheckKind, MarkerList, MarkerWord, Rule, marker_words};
use crate::finding::Finding;
use crate::morphology;
use crate::text::TokenKind;

pub struct Refusal;

/// RF002: a refusal without a reason. Its phrases are the triggers, its `[rule.markers]` the word
/// lists of the whole analyzer.
pub struct NoReason;

/// The marker lists of RF002 (`[rule.markers]`) that the analyzer reads: each must be there.
const MARKERS: &[&str] = &[
    "reason_markers",
    "reason_in_sentence",
    "legal_connectors",
    "legal_words",
    "legal_core",
    "way_forward_markers",
    "not_way_forward_imperatives",
    "not_commitments",
    "vague_pointers",
    "reported_speech",
    "conditionals",
    "appeal_words",
    "survey_words",
    "refusal_noun",
    "negations",
];

/// RF002's options: the advice of its findings, and how far the analyzer looks for a way forward.
/// The word lists are not options but patterns (`[rule.markers]`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusalOptions {
    advice: Option<String>,
    way_forward_sentences: usize,
}

impl CheckKind for NoReason {
    const NAME: &'static str = "refusal";
    const MARKERS: &'static [&'static str] = MARKERS;
    type Options = RefusalOptions;
    type Prepared = RefusalOptions;
    fn prepare(options: RefusalOptions) -> RefusalOptions {
        options
    }
}

/// The options of the other two rules: the advice of their findings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdviceOptions {
    advice: Option<String>,
}

crate::check_kind!(
    /// RF001: a refusal whose only reason is a reference to a law.
    pub struct LegalOnly = "refusal-legal-only";
    options = AdviceOptions;
    many_rules = false
);

crate::check_kind!(
    /// RF003: a refusal with a reason and no way forward.
    pub struct NoWayForward = "refusal-no-way-forward";
    options = AdviceOptions;
    many_rules = false
);

/// The marker lists of the rule (`[rule.markers]`): lemma patterns compiled with the rule, so a
/// word of the text is tested against them with the readings the engine gave it.
struct Settings<'r> {
    way_forward_sentences: usize,
    reason_markers: &'r MarkerList,
    reason_in_sentence: &'r MarkerList,
    legal_connectors: &'r MarkerList,
    legal_words: &'r MarkerList,
    legal_core: &'r MarkerList,
    way_forward_markers: &'r MarkerList,
    not_way_forward_imperatives: &'r MarkerList,
    not_commitments: &'r MarkerList,
    vague_pointers: &'r MarkerList,
    reported_speech: &'r MarkerList,
    conditionals: &'r MarkerList,
    appeal_words: &'r MarkerList,
    survey_words: &'r MarkerList,
    /// «отказ», the noun: «решение об отказе» may be the object of an appeal.
    refusal_noun: &'r MarkerList,
    /// Words that negate what follows: «не», «ни», «нельзя».
    negations: &'r MarkerList,
}

impl<'r> Settings<'r> {
    fn new(rule: &'r Rule, options: &RefusalOptions) -> Settings<'r> {
        let list = |name: &str| {
            debug_assert!(MARKERS.contains(&name), "{name} is not declared");
            rule.markers(name)
        };
        Settings {
            way_forward_sentences: options.way_forward_sentences,
            reason_markers: list("reason_markers"),
            reason_in_sentence: list("reason_in_sentence"),
            legal_connectors: list("legal_connectors"),
            legal_words: list("legal_words"),
            legal_core: list("legal_core"),
            way_forward_markers: list("way_forward_markers"),
            not_way_forward_imperatives: list("not_way_forward_imperatives"),
            not_commitments: list("not_commitments"),
            vague_pointers: list("vague_pointers"),
            reported_speech: list("reported_speech"),
            conditionals: list("conditionals"),
            appeal_words: list("appeal_words"),
            survey_words: list("survey_words"),
            refusal_noun: list("refusal_noun"),
            negations: list("negations"),
        }
    }
}

/// What stands in the place of a reason near a refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    Plain,
    LegalOnly,
    Missing,
}

/// The prose words of a sentence (numbers included, quoted legal titles left out), for marker
/// matching.
struct Words<'a> {
    tokens: Vec<usize>,
    words: Vec<MarkerWord<'a>>,
    negation: Vec<bool>,
}

impl<'a> Words<'a> {
    fn of_sentence(cx: &Context<'a>, settings: &Settings, sentence: usize) -> Words<'a> {
        let (tokens, words) =
            marker_words(cx.doc, cx.words, cx.doc.sentences[sentence].tokens.clone());
        let negation = (0..words.len())
            .map(|i| settings.negations.matches_at(&words, i))
            .collect();
        Words {
            tokens,
            words,
            negation,
        }
    }

    fn is(&self, i: usize, accepted: &MarkerList) -> bool {
        accepted.matches_at(&self.words, i)
    }

    fn is_negation(&self, i: usize) -> bool {
        self.negation[i]
    }

    /// Every match of a marker of the list as (first word, end word exclusive).
    fn find<'m>(&'m self, markers: &'m MarkerList) -> impl Iterator<Item = Range<usize>> + 'm {
        markers.matches(&self.words)
    }

    /// Matches with no negation inside or just before them («Вы не можете», «не можем помочь»).
    fn find_affirmative<'m>(
        &'m self,
        markers: &'m MarkerList,
    ) -> impl Iterator<Item = Range<usize>> + 'm {
        self.find(markers)
            .filter(|m| !(m.start.saturating_sub(2)..m.end).any(|i| self.is_negation(i)))
    }

    fn has(&self, markers: &MarkerList) -> bool {
        self.find(markers).next().is_some()
    }

    fn has_word(&self, accepted: &MarkerList) -> bool {
        (0..self.words.len()).any(|i| self.is(i, accepted))
    }

    /// Index of the first word at or after byte offset `at`.
    fn index_at(&self, cx: &Context, at: usize) -> usize {
        self.tokens
            .iter()
            .position(|&t| cx.doc.tokens[t].start() >= at)
            .unwrap_or(self.tokens.len())
    }
}

/// The words of each sentence, read on first use: a sentence is looked at for its own trigger,
/// as the neighbour of other refusals and for a way forward. Boxed: few sentences are read, and a
/// slot of a pointer keeps the table small for a long document.
struct SentenceWords<'c, 's> {
    cx: &'c Context<'c>,
    settings: &'s Settings<'s>,
    sentences: Vec<OnceCell<Box<Words<'c>>>>,
}

impl<'c, 's> SentenceWords<'c, 's> {
    fn new(cx: &'c Context<'c>, settings: &'s Settings<'s>) -> Self {
        SentenceWords {
            cx,
            settings,
            sentences: (0..cx.doc.sentences.len())
                .map(|_| OnceCell::new())
                .collect(),
        }
    }

    fn of(&self, sentence: usize) -> &Words<'c> {
        self.sentences[sentence]
            .get_or_init(|| Box::new(Words::of_sentence(self.cx, self.settings, sentence)))
    }
}

impl Analyzer for Refusal {
    fn checks(&self) -> &'static [Check] {
        const CHECKS: &[Check] = &[
            Check::of::<LegalOnly>(),
            Check::of::<NoReason>(),
            Check::of::<NoWayForward>(),
        ];
        CHECKS
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(no_reason_rule) = cx.rules.rule_of::<NoReason>() else {
            return;
        };
        let mut triggers: Vec<(usize, Range<usize>)> = cx
            .matches_of_check(NoReason::NAME)
            .map(|m| (m.sentence, m.focus.clone()))
            .collect();
        if triggers.is_empty() {
            return;
        }
        let options = no_reason_rule.prepared::<NoReason>();
        let settings = &Settings::new(no_reason_rule, options);
        let words_of = SentenceWords::new(cx, settings);
        triggers.sort_by_key(|(s, focus)| (*s, focus.start));
        triggers.retain(|(s, focus)| is_office_refusal(cx, &words_of, *s, focus));
        triggers.dedup_by_key(|(s, _)| *s);

        // Adjacent refusal sentences of one paragraph are one refusal: «Вам отказано. Оснований нет.»
        let mut groups: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        for (sentence, focus) in triggers {
            match groups.last_mut() {
                Some((sentences, _))
                    if sentences.end == sentence
                        && cx.doc.sentences[sentence].paragraph
                            == cx.doc.sentences[sentence - 1].paragraph =>
                {
                    sentences.end = sentence + 1;
                }
                _ => groups.push((sentence..sentence + 1, focus)),
            }
        }

        let legal_rule = cx
            .rules
            .rule_of::<LegalOnly>()
            .map(|rule| (rule, &rule.prepared::<LegalOnly>().advice));
        let way_rule = cx
            .rules
            .rule_of::<NoWayForward>()
            .map(|rule| (rule, &rule.prepared::<NoWayForward>().advice));
        let no_reason = (no_reason_rule, &options.advice);
        for (sentences, focus) in groups {
            let reason = find_reason(cx, settings, &words_of, sentences.clone(), &focus);
            let (rule, advice) = match reason {
                Reason::LegalOnly => legal_rule.unwrap_or(no_reason),
                Reason::Missing => no_reason,
                Reason::Plain if has_way_forward(cx, settings, &words_of, sentences.clone()) => {
                    continue;
                }
                Reason::Plain => match way_rule {
                    Some(rule) => rule,
                    None => continue,
                },
            };
            let mut finding = cx.finding(rule, focus);
            finding.advice = advice.as_deref().map(Arc::from);
            findings.push(finding);
        }
    }
}

/// Whether a trigger is the office refusing something, rather than a condition («если Вам откажут»),
/// a quotation or question («Ничего нельзя сделать?»), the reader's report of someone else's refusal,
/// or a mention of a refusal decision as something to appeal.
fn is_office_refusal(
    cx: &Context,
    words_of: &SentenceWords,
    sentence: usize,
    focus: &Range<usize>,
) -> bool {
    let settings = words_of.settings;
    let doc = cx.doc;
    let range = doc.sentences[sentence].tokens.clone();
    let is_punct = |t: usize, set: &[&str]| {
        doc.tokens[t].kind == TokenKind::Punct && set.contains(&doc.token_text(t))
    };
    let before: Vec<usize> = range
        .clone()
        .filter(|&t| doc.tokens[t].end() <= focus.start)
        .collect();
    let opened = before
        .iter()
        .filter(|&&t| is_punct(t, &["«", "„", "“"]))
        .count();
    let closed = before.iter().filter(|&&t| is_punct(t, &["»", "”"])).count();
    let straight = before.iter().filter(|&&t| is_punct(t, &["\""])).count();
    if opened > closed || straight % 2 == 1 {
        return false;
    }
    // The end of the sentence, past closing quotes and brackets: a question is no refusal.
    let question = range
        .clone()
        .rev()
        .take(4)
        .any(|t| doc.tokens[t].kind == TokenKind::Punct && doc.token_text(t).contains('?'));
    if question {
        return false;
    }
    let words = words_of.of(sentence);
    let trigger_start = words.index_at(cx, focus.start);
    let found_before = |markers: &MarkerList| words.find(markers).any(|r| r.start < trigger_start);
    if found_before(settings.conditionals) || found_before(settings.reported_speech) {
        return false;
    }
    // «Решение об отказе можно обжаловать»: the decision is the object of an appeal.
    let noun_refusal =
        (trigger_start..words.index_at(cx, focus.end)).any(|i| words.is(i, settings.refusal_noun));
    !(noun_refusal && words.has_word(settings.appeal_words))
}

/// Looks for a reason in the refusal sentences and the sentences just before and after them in
/// the same paragraph.
fn find_reason(
    cx: &Context,
    settings: &Settings,
    words_of: &SentenceWords,
    sentences: Range<usize>,
    focus: &Range<usize>,
) -> Reason {
    let doc = cx.doc;
    let mut window: Vec<usize> = Vec::new();
    let paragraph = doc.sentences[sentences.start].paragraph;
    // The sentences before it in the same paragraph: a paragraph that explains first and concludes
    // «… нельзя» at its end gives the reason before the refusal.
    let paragraph_start = doc.paragraphs[paragraph].sentences.start;
    window.extend(paragraph_start.max(sentences.start.saturating_sub(3))..sentences.start);
    window.extend(sentences.clone());
    if sentences.end < doc.sentences.len() && doc.sentences[sentences.end].paragraph == paragraph {
        window.push(sentences.end);
    }
    let mut legal = false;
    for &s in &window {
        let words = words_of.of(s);
        if words.has(settings.reason_markers) {
            return Reason::Plain;
        }
        if sentences.contains(&s) {
            // «Без паспорта не можем», «нельзя, пока …»: a condition next to the refusal is its
            // reason (conditions before it were ruled out as no refusal yet).
            let trigger = words.index_at(cx, focus.start)..words.index_at(cx, focus.end);
            if words
                .find(settings.reason_in_sentence)
                .any(|r| r.start < trigger.start || r.start >= trigger.end)
            {
                return Reason::Plain;
            }
            match explanation_after_colon(cx, settings, s, focus) {
                Some(Reason::Plain) => return Reason::Plain,
                Some(Reason::LegalOnly) => legal = true,
                _ => {}
            }
        }
        for m in words.find(settings.legal_connectors) {
            let next = words.tokens[m.end - 1] + 1;
            if legal_run(cx, settings, next, doc.sentences[s].tokens.end).0 {
                legal = true;
            }
        }
    }
    if legal {
        Reason::LegalOnly
    } else {
        Reason::Missing
    }
}

/// «Отказано: участок в охранной зоне» gives a plain reason; «Отказано: п. 4 ст. 11 …» a legal one.
/// Looks at what follows the first colon or dash after the trigger in its sentence.
fn explanation_after_colon(
    cx: &Context,
    settings: &Settings,
    sentence: usize,
    focus: &Range<usize>,
) -> Option<Reason> {
    let doc = cx.doc;
    let end = doc.sentences[sentence].tokens.end;
    let colon = doc.sentences[sentence].tokens.clone().find(|&t| {
        doc.tokens[t].start() >= focus.end
            && doc.tokens[t].kind == TokenKind::Punct
            && matches!(doc.token_text(t), ":" | "—" | "–" | "-")
    })?;
    let (core, stop) = legal_run(cx, settings, colon + 1, end);
    match stop {
        Some(_) => Some(Reason::Plain),
        None if core => Some(Reason::LegalOnly),
        None => None,
    }
}

/// Reads a legal reference from token `from`: article and paragraph numbers, names and numbers of
/// acts, quoted titles. Returns whether it names an act or an article (a core word), and the first
/// token that is plain prose, if the reference stops before `end`.
fn legal_run(cx: &Context, settings: &Settings, from: usize, end: usize) -> (bool, Option<usize>) {
    let doc = cx.doc;
    let mut core = false;
    for t in from..end {
        let token = &doc.tokens[t];
        if token.in_citation {
            continue;
        }
        match token.kind {
            TokenKind::Punct | TokenKind::Number => continue,
            TokenKind::Url | TokenKind::Email | TokenKind::Phone => return (core, Some(t)),
            TokenKind::Word => {}
        }
        let word = cx.words.word(t).map(|info| MarkerWord {
            info,
            punct_before: false,
        });
        let listed = |list: &MarkerList| word.is_some_and(|w| list.matches_at(&[w], 0));
        let shape = cx.words.shape(t).unwrap_or_default();
        let (numbered, abbreviation) = (shape.has_ascii_digit(), shape.code_like());
        if listed(settings.legal_core) {
            core = true;
        } else if !(numbered || abbreviation || listed(settings.legal_words)) {
            return (core, Some(t));
        }
    }
    (core, None)
}

/// Looks for a way forward in the refusal sentences, the sentence before them (same paragraph) and
/// the next few sentences: what the reader can do, what the office will do, or whom to contact.
fn has_way_forward(
    cx: &Context,
    settings: &Settings,
    words_of: &SentenceWords,
    sentences: Range<usize>,
) -> bool {
    let doc = cx.doc;
    let first = if sentences.start > 0
        && doc.sentences[sentences.start - 1].paragraph == doc.sentences[sentences.start].paragraph
    {
        sentences.start - 1
    } else {
        sentences.start
    };
    let last = (sentences.end + settings.way_forward_sentences).min(doc.sentences.len());
    for s in first..last {
        let words = words_of.of(s);
        // The survey invitation at the end of a reply is no way forward for the request.
        if words.has_word(settings.survey_words) {
            continue;
        }
        let contact = doc.sentences[s].tokens.clone().any(|t| {
            matches!(
                doc.tokens[t].kind,
                TokenKind::Url | TokenKind::Email | TokenKind::Phone
            )
        });
        if contact {
            return true;
        }
        // «Рекомендуем обратиться в компетентные органы» points nowhere.
        if words.has(settings.vague_pointers) {
            continue;
        }
        if words
            .find_affirmative(settings.way_forward_markers)
            .next()
            .is_some()
        {
            return true;
        }
        for i in 0..words.tokens.len() {
            if i > 0 && words.is_negation(i - 1) {
                continue;
            }
            let Some(info) = cx.words.word(words.tokens[i]) else {
                continue;
            };
            let feats = |tag: u16| {
                let t = morphology::tag_facts(tag);
                Some((t.pos, t.person, t.mood, t.tense))
            };
            // «Подайте», «обратитесь», «приложите»: an instruction to the reader.
            let imperative = info
                .has_tag(|tag| matches!(feats(tag), Some(("VERB", Some("2"), Some("Imp"), _))))
                && !words.is(i, settings.not_way_forward_imperatives);
            // «Мы пришлём», «перенесём», «я проверю»: a commitment of the office. A form that
            // may also be present tense («доводим») is a report, not a promise.
            let commitment = info.has_tag(|tag| {
                matches!(
                    feats(tag),
                    Some(("VERB", Some("1"), Some("Ind"), Some("Fut")))
                )
            }) && !info
                .has_tag(|tag| matches!(feats(tag), Some((_, _, _, Some("Pres")))))
                && !words.is(i, settings.not_commitments);
            if imperative || commitment {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::Linter;

    fn codes(text: &str) -> Vec<(String, String)> {
        let linter = Linter::with_default_rules().expect("default rules load");
        let (doc, findings) = linter.check_text(text);
        findings
            .into_iter()
            .filter(|f| f.code.starts_with("RF"))
            .map(|f| (f.code.to_string(), doc.slice(f.range.clone()).to_string()))
            .collect()
    }

    fn assert_finds(code: &str, text: &str) {
        let found = codes(text);
        assert!(
            found.len() == 1 && found[0].0 == code,
            "expected one {code} in {text:?}, got {found:?}"
        );
    }

    fn assert_silent(text: &str) {
        let found = codes(text);
        assert!(
            found.is_empty(),
            "expected no refusal finding in {text:?}, got {found:?}"
        );
    }

    #[test]
    fn legal_reference_only() {
        assert_finds(
            "RF001",
            "Отказано на основании п. 4 ст. 11 Федерального закона № 59-ФЗ.",
        );
        assert_finds(
            "RF001",
            "В удовлетворении Вашего заявления ОТКАЗАНО в соответствии с подпунктом 4 пункта 2\nстатьи 39.16 ЗК РФ.",
        );
        assert_finds(
            "RF001",
            "Согласно ч. 1 ст. 157 ЖК РФ оснований для перерасчёта не имеется.",
        );
        assert_finds(
            "RF001",
            "Ваша просьба не может быть удовлетворена в силу ст. 210 Гражданского кодекса РФ. Вы можете обратиться в суд.",
        );
        assert_finds(
            "RF001",
            "Принято решение об отказе в выдаче разрешения. Основание: п. 2 ст. 51 Градостроительного кодекса РФ.",
        );
        assert_finds(
            "RF001",
            "В выдаче копии отказано по основаниям, предусмотренным\nп. 2 ч. 1 ст. 11 Федерального закона от 02.05.2006 № 59-ФЗ «О порядке рассмотрения обращений граждан Российской Федерации».",
        );
    }

    #[test]
    fn no_reason() {
        assert_finds("RF002", "Вам отказано в перерасчёте платы.");
        assert_finds(
            "RF002",
            "Оснований для проведения проверки не имеется.\n\nНачальник отдела",
        );
        assert_finds("RF002", "Основания для выдачи разрешения отсутствуют.");
        assert_finds("RF002", "Провести проверку не\nпредставляется возможным.");
        assert_finds("RF002", "Компенсация Вам не положена.");
        assert_finds("RF002", "Заявка ОТКЛОНЕНА комиссией.");
        assert_finds(
            "RF002",
            "Жалоба оставлена без удовлетворения. Приложите к новой жалобе справку.",
        );
        assert_finds("RF002", "Мы не сможем принять документы на этой неделе.");
        assert_finds(
            "RF002",
            "Собственник квартиры не вправе требовать от инспекции проведения ремонта.",
        );
        assert_finds("RF002", "Выплата невозможна.");
        assert_finds(
            "RF002",
            "Вопрос замены опор освещения к полномочиям администрации не относится.",
        );
        assert_finds(
            "RF002",
            "Предоставление рассрочки данным договором не предусмотрено.",
        );
        // Two sentences of one refusal give one finding.
        assert_finds("RF002", "Вам отказано. Оснований для перерасчёта нет.");
    }

    #[test]
    fn reason_without_way_forward() {
        assert_finds(
            "RF003",
            "Мы не можем сделать перерасчёт, потому что счётчик не поверен с 2023 года.",
        );
        assert_finds("RF003", "Выдать разрешение нельзя: дом признан аварийным.");
        assert_finds(
            "RF003",
            "Протечку устранили, в связи с чем оснований для принятия мер не имеется. По иным вопросам рекомендуем обращаться в компетентные органы.",
        );
        assert_finds(
            "RF003",
            "В выплате отказано, так как доход семьи выше порога.",
        );
        assert_finds(
            "RF003",
            "Перерасчёт невозможен из-за того, что показания переданы поздно.",
        );
        assert_finds(
            "RF003",
            "Мы не имеем возможности выдать справку, поскольку архив за 1990 год сгорел.",
        );
        assert_finds(
            "RF003",
            "К сожалению, в перерасчёте Вам отказано, т. к. счётчик не поверен.",
        );
        assert_finds("RF003", "Без паспорта мы не можем выдать справку.");
        assert_finds(
            "RF003",
            "Ваша заявка отклонена в соответствии с п. 3.4 Порядка, потому что бизнес-план не подписан. Рекомендуем обратиться в уполномоченный орган.",
        );
    }

    #[test]
    fn proper_refusals_are_silent() {
        assert_silent(
            "Мы не можем сделать перерасчёт, потому что счётчик не поверен. Но Вы можете поверить его и прислать нам акт.",
        );
        assert_silent(
            "Мы не можем ответить раньше 5 мая, потому что ждём ответа из МФЦ, и сразу напишем Вам.",
        );
        assert_silent(
            "Отказано, так как участок в охранной зоне газопровода. Вы можете выбрать другой участок: список есть на сайте mio-priozersk.ru.",
        );
        assert_silent("Зимой бетон класть нельзя: он треснет. Площадку перенесём в апреле.");
        assert_silent(
            "Перерасчёт сделать нельзя, пока счётчик не поверен. Поверьте его и пришлите акт.",
        );
        assert_silent(
            "Отказано на основании ст. 39.16 ЗК РФ, потому что участок уже в аренде. Позвоните нам: 8 (8532) 22-31-09.",
        );
    }

    #[test]
    fn near_misses_are_silent() {
        assert_silent("Вы можете отказаться от услуги в любой день.");
        assert_silent("В случае отказа управляющей компании обращайтесь к нам.");
        assert_silent("Если управляющая компания откажет Вам в перерасчёте, позвоните нам.");
        assert_silent(
            "Вы спрашиваете: «Ничего нельзя сделать?» Можно: подайте заявление на субсидию.",
        );
        assert_silent("Нельзя не отметить, что управляющая компания быстро устранила протечку.");
        assert_silent("Собственники подписали отказ от преимущественного права покупки.");
        assert_silent(
            "Вы пишете, что управляющая компания отказала Вам в перерасчёте. Мы проверим это до 1 декабря.",
        );
        assert_silent("Решение об отказе можно обжаловать в суде в течение месяца.");
        assert_silent("Мы не можем не поблагодарить Вас за внимательность.");
        assert_silent("Оснований для беспокойства нет: вода в доме безопасна.");
        assert_silent("Почему мне отказали?");
        assert_silent("Мы не отказываем Вам, а просим прислать справку о доходах.");
        assert_silent("Управляющая компания не может отказать Вам в перерасчёте.");
        assert_silent("Инспекция не вправе отказать Вам в проверке.");
        assert_silent("Если документы не поступят до 1 декабря, в выплате будет отказано.");
        assert_silent("Плата за отопление начислена верно.");
    }
}
