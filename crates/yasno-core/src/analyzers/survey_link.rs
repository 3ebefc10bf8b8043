//! A reply must end with an invitation to rate it and a link to the satisfaction survey
//! (002 п. 3.9, 004 п. 3.12).
//!
//! A survey link is either a URL of the feedback platform (the `url_patterns` of SV001: substrings,
//! case-insensitive), or any URL in a sentence that invites the reader to rate the answer (or
//! standing alone right after such a sentence) — the invitation phrases are the `[[rule.phrase]]` entries of SV001, matched by the engine and handed
//! here. No survey link in a whole letter → SV001, anchored at the signature (or the last sentence).
//! A platform URL with no invitation around it → SV002 on the URL (check `survey-link-bare`).
//!
//! Markdown link targets are masked from the prose the tokenizer sees, so the original text is
//! scanned for URLs too.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use super::registry::Check;
use super::{Analyzer, Context};
use crate::engine::{CheckKind, NoOptions};
use crate::finding::Finding;
use crate::readability::prose_sentences;
use crate::text::{Document, TokenKind};

pub struct SurveyLink;

/// SV001: a whole letter without a survey link.
pub struct MissingLink;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingLinkOptions {
    /// Substrings of the URLs of the feedback platform, case-insensitive.
    url_patterns: Vec<String>,
    min_sentences: usize,
    min_words: usize,
    advice: Option<String>,
}

/// The options with the URL patterns in lower case and the advice shared by every finding.
pub struct Settings {
    url_patterns: Vec<String>,
    min_sentences: usize,
    min_words: usize,
    advice: Option<Arc<str>>,
}

impl CheckKind for MissingLink {
    const NAME: &'static str = "survey-link";
    type Options = MissingLinkOptions;
    type Prepared = Settings;
    fn prepare(options: MissingLinkOptions) -> Settings {
        Settings {
            url_patterns: options
                .url_patterns
                .iter()
                .map(|p| p.to_lowercase())
                .collect(),
            min_sentences: options.min_sentences,
            min_words: options.min_words,
            advice: options.advice.map(Arc::from),
        }
    }
}

crate::check_kind!(
    /// SV002: a platform URL with no invitation around it.
    pub struct BareLink = "survey-link-bare";
    options = NoOptions;
    many_rules = false
);

/// URLs in the original text (Markdown link targets included).
fn raw_url() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)(?:https?://|www\.)[^\s<>()\[\]«»"'`]+"#)
            .expect("the URL pattern is valid")
    })
}

/// The sentence that contains `offset`, or the last one that starts before it.
fn sentence_at(doc: &Document, offset: usize) -> Option<usize> {
    doc.sentences
        .partition_point(|s| s.range.start <= offset)
        .checked_sub(1)
}

/// Where SV001 points: the first line of the signature, or else the last sentence. Never empty.
fn anchor(doc: &Document, signature_start: Option<usize>) -> Option<Range<usize>> {
    if let Some(p) = signature_start {
        let range = doc.paragraphs[p].range.clone();
        let text = doc.slice(range.clone());
        let line = text.lines().next().unwrap_or(text).trim_end();
        if !line.is_empty() {
            return Some(range.start..range.start + line.len());
        }
    }
    doc.sentences.last().map(|s| s.range.clone())
}

impl Analyzer for SurveyLink {
    fn checks(&self) -> &'static [Check] {
        const CHECKS: &[Check] = &[Check::of::<MissingLink>(), Check::of::<BareLink>()];
        CHECKS
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let missing = cx.rules.rule_of::<MissingLink>();
        let bare = cx.rules.rule_of::<BareLink>();
        if missing.is_none() && bare.is_none() {
            return;
        }
        let doc = cx.doc;
        // Worked out once per rule, not per letter; the URLs are those SV001 names.
        let settings = missing.map(|rule| rule.prepared::<MissingLink>());
        let patterns = settings.map_or(&[][..], |s| &s.url_patterns);
        let is_survey_url = |url: &str| {
            let url = url.to_lowercase();
            patterns.iter().any(|p| url.contains(p.as_str()))
        };
        let invitations: HashSet<usize> = cx
            .matches_of_check(MissingLink::NAME)
            .map(|m| m.sentence)
            .collect();
        // An invitation may stand just before the link («Оцените наш ответ:\nhttps://…») or just after.
        let invited = |s: usize| {
            invitations.contains(&s)
                || s > 0 && invitations.contains(&(s - 1))
                || invitations.contains(&(s + 1))
                    && doc.sentences.get(s + 1).map(|n| n.paragraph)
                        == Some(doc.sentences[s].paragraph)
        };

        let mut found = false;
        let mut url_tokens: Vec<Range<usize>> = Vec::new();
        for (s, sentence) in doc.sentences.iter().enumerate() {
            for t in sentence.tokens.clone() {
                let token = &doc.tokens[t];
                if token.kind != TokenKind::Url {
                    continue;
                }
                url_tokens.push(token.range());
                let url = doc.token_text(t);
                if invitations.contains(&s) {
                    found = true;
                } else if is_survey_url(url) {
                    found = true;
                    if !invited(s)
                        && let Some(rule) = bare
                    {
                        findings.push(cx.finding(rule, token.range()));
                    }
                } else if invited(s) && doc.word_count(sentence) <= 2 {
                    // «Оцените наш ответ.\nhttps://…»: a link standing alone after the invitation.
                    found = true;
                }
            }
        }
        if !found {
            // Markdown `[Оцените наш ответ](https://…)`: the target is not in the prose.
            found = raw_url().find_iter(doc.text()).any(|m| {
                let masked = !url_tokens
                    .iter()
                    .any(|r| r.start < m.end() && m.start() < r.end);
                masked
                    && (is_survey_url(m.as_str())
                        || sentence_at(doc, m.start()).is_some_and(|s| invitations.contains(&s)))
            });
        }
        if !found && let Some(rich) = &doc.rich {
            // A .docx hyperlink: «пройти опрос» in the text, the survey form in its target.
            found = rich.hyperlinks().iter().any(|(range, target)| {
                is_survey_url(target)
                    || sentence_at(doc, range.start).is_some_and(|s| invitations.contains(&s))
            });
        }
        let (Some(rule), Some(settings)) = (missing.filter(|_| !found), settings) else {
            return;
        };
        // Only a whole letter must have the link: a sentence being typed or quoted is not one.
        let (sentences, words) = prose_sentences(doc, cx.signature_start)
            .map(|s| doc.word_count(s))
            .filter(|&n| n > 0)
            .fold((0, 0), |(s, w), n| (s + 1, w + n));
        if sentences < settings.min_sentences || words < settings.min_words {
            return;
        }
        if let Some(range) = anchor(doc, cx.signature_start) {
            let mut finding = cx.finding(rule, range);
            finding.advice = settings.advice.clone();
            findings.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::Linter;
    use crate::engine::LemmaCache;
    use crate::input::{self, InputFormat};
    use crate::text::Document;

    const BODY: &str = "Здравствуйте, Анна Сергеевна!\n\nМы проверили отопление в Вашей квартире. \
        Управляющая компания заменила фильтр в подвале. Деньги за холодные дни вернём до 1 декабря.";
    const SIGNATURE: &str = "\n\nЕлена Викторовна Гусева\nстарший инспектор\nЖилищная инспекция";

    fn survey(text: &str) -> Vec<(String, String)> {
        survey_in(&Document::new(text))
    }

    fn survey_in(doc: &Document) -> Vec<(String, String)> {
        let linter = Linter::with_default_rules().unwrap();
        linter
            .check(doc, &mut LemmaCache::new())
            .into_iter()
            .filter(|f| f.code.starts_with("SV"))
            .map(|f| (f.code.to_string(), doc.slice(f.range).to_string()))
            .collect()
    }

    fn codes(text: &str) -> Vec<String> {
        survey(text).into_iter().map(|(c, _)| c).collect()
    }

    #[test]
    fn a_letter_with_an_invitation_and_a_link_is_silent() {
        for ending in [
            "\n\nОцените, пожалуйста, наш ответ: https://pos.gosuslugi.ru/lkp/polls/481275/ —\nэто займёт минуту.",
            "\n\nПожалуйста, ОЦЕНИТЕ наш ответ:\nhttps://pos.gosuslugi.ru/lkp/polls/481275/",
            "\n\nБудем благодарны, если Вы пройдёте короткий опрос о качестве ответа: https://example.ru/q/5.",
            "\n\nОставьте отзыв о нашей работе на сайте www.priozersk.ru/form.",
            "\n\nОценка нашей работы: https://forms.yandex.ru/u/12345/. Это займёт минуту.",
            "\n\nhttps://pos.gosuslugi.ru/lkp/polls/481275/\nПо этой ссылке Вы можете оценить наш ответ.",
            "\n\nПожалуйста, оцените наш ответ.\n\nhttps://example.ru/q/5",
        ] {
            let text = format!("{BODY}{ending}{SIGNATURE}");
            assert!(survey(&text).is_empty(), "{ending}: {:?}", survey(&text));
        }
    }

    #[test]
    fn a_letter_without_a_link_is_found_at_the_signature() {
        let text = format!("{BODY}{SIGNATURE}");
        assert_eq!(
            survey(&text),
            vec![("SV001".to_string(), "Елена Викторовна Гусева".to_string())]
        );
        let text =
            format!("{BODY}\n\nЗаместитель руководителя инспекции                  Е. В. Гусева");
        assert_eq!(survey(&text)[0].1.trim_end(), text.lines().last().unwrap());
    }

    #[test]
    fn without_a_signature_the_last_sentence_is_the_anchor() {
        let found = survey(BODY);
        assert_eq!(
            found,
            vec![(
                "SV001".to_string(),
                "Деньги за холодные дни вернём до 1 декабря.".to_string()
            )]
        );
    }

    #[test]
    fn an_invitation_without_a_url_is_still_missing_the_link() {
        for ending in [
            "\n\nОцените, пожалуйста, наш ответ.",
            "\n\nПожалуйста, пройдите опрос на портале Госуслуг.",
            "\n\nОцените наш ответ. Сайт инспекции: https://gji.priozersk.ru/ — там есть новости.\n\nСпасибо!",
        ] {
            let text = format!("{BODY}{ending}{SIGNATURE}");
            assert_eq!(codes(&text), vec!["SV001"], "{ending}");
        }
        // A URL with no invitation is not a survey link.
        let text = format!("{BODY}\n\nПодробности на сайте https://gji.priozersk.ru/.{SIGNATURE}");
        assert_eq!(codes(&text), vec!["SV001"]);
    }

    #[test]
    fn a_bare_survey_link_is_a_softer_finding() {
        let text = format!("{BODY}\n\nhttps://pos.gosuslugi.ru/lkp/polls/481275/{SIGNATURE}");
        assert_eq!(
            survey(&text),
            vec![(
                "SV002".to_string(),
                "https://pos.gosuslugi.ru/lkp/polls/481275/".to_string()
            )]
        );
        let text = format!("{BODY}\n\nСсылка: HTTPS://POS.GOSUSLUGI.RU/lkp/polls/1/ .{SIGNATURE}");
        assert_eq!(codes(&text), vec!["SV002"]);
    }

    #[test]
    fn short_texts_are_not_whole_letters() {
        assert!(survey("Мы пересчитали плату за отопление.").is_empty());
        assert!(survey("").is_empty());
        assert!(
            survey("Здравствуйте!\nМы всё пересчитали. Деньги вернём до 1 декабря.").is_empty()
        );
    }

    #[test]
    fn markdown_link_targets_are_read_from_the_original() {
        let source = format!(
            "{BODY}\n\n[Оцените, пожалуйста, наш ответ](https://pos.gosuslugi.ru/lkp/polls/1/).{SIGNATURE}"
        );
        let doc = input::document(source, InputFormat::Markdown);
        assert!(survey_in(&doc).is_empty(), "{:?}", survey_in(&doc));
        let source = format!("{BODY}\n\n[Наш сайт](https://gji.priozersk.ru/).{SIGNATURE}");
        let doc = input::document(source, InputFormat::Markdown);
        assert_eq!(survey_in(&doc).len(), 1);
    }
}
