//! The engine on rules written here, independent of the shipped rule data: morphology, gaps,
//! optional words, focus, exceptions, sentence boundaries, non-prose.

use yasno_core::engine::{LemmaCache, RuleSet};
use yasno_core::{Document, Linter};

const RULES: &str = r#"
category = "forbidden"
severity = "error"

[[rule]]
code = "FB901"
name = "control"
title = "t"
message = "Отписка «{found}»"
explanation = "e"
clause = "c"

[[rule.phrase]]
patterns = ["взять|поставить *2 на особый|личный? контроль"]

[[rule]]
code = "FB902"
name = "this"
title = "t"
message = "«{found}»"
explanation = "e"
clause = "c"
severity = "warning"

[[rule.phrase]]
pattern = "[данный{ADJ}] {NOUN}"
suggest = ["этот"]

[[rule.phrase]]
pattern = "в цель"
suggest = ["чтобы"]
exceptions = ["в цель безопасность"]

[[rule.phrase]]
pattern = "=нами {VERB,Voice=Pass}"
suggest = ["мы"]
"#;

fn linter() -> Linter {
    let mut rules = RuleSet::default();
    rules.add_file("test.toml", RULES).unwrap();
    Linter::new(rules).unwrap()
}

fn found(text: &str) -> Vec<(String, String)> {
    let linter = linter();
    let doc = Document::new(text);
    linter
        .check(&doc, &mut LemmaCache::new())
        .into_iter()
        .filter(|f| f.code.starts_with("FB9"))
        .map(|f| (f.code.to_string(), doc.slice(f.range).to_string()))
        .collect()
}

#[test]
fn one_rule_matches_every_inflection_and_word_order() {
    for (text, span) in [
        ("Вопрос взят на контроль.", "взят на контроль"),
        (
            "Вопросы взяты на особый контроль.",
            "взяты на особый контроль",
        ),
        (
            "Мы взяли Вашу жалобу на контроль.",
            "взяли Вашу жалобу на контроль",
        ),
        ("Возьмем на контроль.", "Возьмем на контроль"),
        (
            "Возьмём Ваше обращение на контроль.",
            "Возьмём Ваше обращение на контроль",
        ),
        (
            "Ваше обращение ВЗЯТО\nна личный контроль.",
            "ВЗЯТО\nна личный контроль",
        ),
        (
            "Обращение поставлено на контроль руководителем.",
            "поставлено на контроль",
        ),
    ] {
        assert_eq!(
            found(text),
            vec![("FB901".to_string(), span.to_string())],
            "{text}"
        );
    }
}

#[test]
fn near_misses_stay_silent() {
    for text in [
        "Контроль за ремонтом ведёт инженер.",
        "Мы взяли пробы воды. Контроль качества — в лаборатории.",
        "Ваши данные мы не передаём.",
        "Данные о потреблении приложены.",
        "Цель проверки — узнать, где течь.",
        "Нам передали проверку.",
        "Документы нам переданы.",
        "Замки поставлены в целях безопасности.",
    ] {
        assert_eq!(found(text), Vec::<(String, String)>::new(), "{text}");
    }
}

#[test]
fn focus_marks_the_replaced_part_and_replacements_agree() {
    let linter = linter();
    let (doc, findings) = linter.check_text("В данном случае мы ответим сразу.");
    assert_eq!(doc.slice(findings[0].range.clone()), "данном");
    assert_eq!(findings[0].suggestions, vec!["этом"]);
    let (doc, findings) = linter.check_text("Нами проведена проверка.");
    assert_eq!(doc.slice(findings[0].range.clone()), "Нами проведена");
    let (_, findings) = linter.check_text("В целях экономии воды.");
    assert_eq!(findings[0].suggestions, vec!["Чтобы"]);
}

#[test]
fn matches_do_not_cross_sentences_urls_or_quoted_legal_titles() {
    assert!(found("Вопрос взят. На контроль не ставили.").is_empty());
    assert!(found("Приказ «О мерах в целях развития» действует.").is_empty());
    assert_eq!(found("Мы ответили «в целях» ясности.").len(), 1);
}

#[test]
fn findings_lie_inside_the_text_on_char_boundaries() {
    let text = "Вопрос взят на контроль. В данном случае — всё.";
    let (_, findings) = linter().check_text(text);
    assert!(!findings.is_empty());
    for f in findings {
        assert!(f.range.end <= text.len());
        assert!(text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end));
    }
}

#[test]
fn punctuation_stops_adjacent_words_unless_the_pattern_has_it() {
    let rules = r#"
category = "jargon"
[[rule]]
code = "JA901"
name = "because"
title = "t"
message = "m"
explanation = "e"
clause = "c"
[[rule.phrase]]
pattern = "в связь с тот, что"
[[rule.phrase]]
pattern = "{NOUN,Case=Ins} {VERB,Voice=Pass}"
"#;
    let mut set = RuleSet::default();
    set.add_file("t.toml", rules).unwrap();
    let linter = Linter::new(set).unwrap();
    let count = |text: &str| linter.check_text(text).1.len();
    assert_eq!(count("В связи с тем, что тариф вырос."), 1);
    assert_eq!(count("В связи с тем что тариф вырос."), 1);
    assert_eq!(count("В связи с тем, что\nтариф вырос."), 1);
    assert_eq!(count("Мы связаны с тем. Что дальше?"), 0);
    assert_eq!(count("Проверка министерством проведена."), 1);
    assert_eq!(
        count("Рассылки, инициированные министерством, производятся редко."),
        0
    );
}

#[test]
fn inline_directives_silence_findings_in_markdown_comments_only() {
    let linter = linter();
    let count = |text: &str| {
        let doc =
            yasno_core::input::document(text.to_string(), yasno_core::input::InputFormat::Markdown);
        linter.check(&doc, &mut LemmaCache::new()).len()
    };
    assert_eq!(count("Вопрос взят на контроль."), 1);
    assert_eq!(
        count("Вопрос взят на контроль. <!-- yasno-ignore: FB901 -->"),
        0
    );
    assert_eq!(
        count("Вопрос взят на контроль. <!-- yasno-ignore: FB902 -->"),
        1
    );
    assert_eq!(
        count("<!-- yasno-ignore-next-line: FB9 -->\nВопрос взят на контроль."),
        0
    );
    assert_eq!(
        count("<!-- yasno-ignore-next-line: FB9 -->\n\nВопрос взят на контроль."),
        1
    );
    assert_eq!(
        count("<!-- yasno-ignore-file: ALL -->\n\nВопрос взят на контроль."),
        0
    );
    // Visible text silences nothing: a bare line, or a comment shown as code.
    assert_eq!(count("Вопрос взят на контроль. yasno-ignore: forbidden"), 1);
    assert_eq!(
        count("Вопрос взят на контроль.\n\n```\n<!-- yasno-ignore-file: ALL -->\n```\n"),
        1
    );
    // In plain text every directive is text that the citizen receives.
    let plain = |text: &str| linter.check_text(text).1.len();
    assert_eq!(
        plain("Вопрос взят на контроль. <!-- yasno-ignore: FB901 -->"),
        1
    );
    assert_eq!(
        plain("<!-- yasno-ignore-file: ALL -->\n\nВопрос взят на контроль."),
        1
    );
}

#[test]
fn the_citizens_quoted_words_are_not_the_writers() {
    assert!(found("Вы пишете: «вопрос взят на контроль, а толку нет».").is_empty());
    assert!(
        found("В обращении Вы указали, что «обращение взяли на контроль и забыли».").is_empty()
    );
    assert_eq!(
        found("Вопрос взят на контроль: «ремонт» начнётся позже.").len(),
        1
    );
}

#[test]
fn a_heading_in_capitals_is_one_finding_and_a_letterhead_none() {
    let linter = Linter::with_default_rules().unwrap();
    let text = "МИНИСТЕРСТВО ИМУЩЕСТВЕННЫХ ОТНОШЕНИЙ\nСЛУЖЕБНАЯ ЗАПИСКА\n\nУважаемый Иван Петрович!\n\nПО ВОПРОСУ О ДОЛГАХ ПО АРЕНДЕ\nДолг погашен.\n";
    let (doc, findings) = linter.check_text(text);
    let capitals: Vec<&str> = findings
        .iter()
        .filter(|f| &*f.code == "FM001")
        .map(|f| doc.slice(f.range.clone()))
        .collect();
    assert_eq!(capitals, vec!["ВОПРОСУ О ДОЛГАХ ПО АРЕНДЕ"]);
}

#[test]
fn dates_after_an_acronym_and_shouted_compounds() {
    let linter = Linter::with_default_rules().unwrap();
    let codes = |text: &str| -> Vec<String> {
        let (doc, findings) = linter.check_text(text);
        findings
            .iter()
            .filter(|f| f.code.starts_with("AB"))
            .map(|f| doc.slice(f.range.clone()).to_string())
            .collect()
    };
    assert_eq!(codes("Справку выдаст ИФНС 03.02.2027."), vec!["ИФНС"]);
    assert!(codes("ПРЕТЕНЗИЯ-ОТВЕТ приложена.").is_empty());
    assert!(codes("Строим по СП 54.13330.").is_empty());
}

/// A cache kept across rule sets (a language server reloading its config) must not serve the ids
/// of the previous one, even when the new one lies at the same address with a vocabulary of the
/// same size.
#[test]
fn a_lemma_cache_is_not_reused_across_rule_sets() {
    let rules_for = |word: &str| {
        let mut set = RuleSet::default();
        set.add_file(
            "t.toml",
            &format!(
                "category = \"jargon\"\n[[rule]]\ncode = \"JA901\"\nname = \"n\"\ntitle = \"t\"\n\
                 message = \"m\"\nexplanation = \"e\"\nclause = \"c\"\n[[rule.phrase]]\npattern = \"{word}\"\n"
            ),
        )
        .unwrap();
        assert_eq!(set.vocabulary.len(), 1);
        set
    };
    let doc = Document::new("Кот и пёс.");
    let mut cache = LemmaCache::new();
    let found = |linter: &Linter, cache: &mut LemmaCache| -> Vec<String> {
        linter
            .check(&doc, cache)
            .iter()
            .map(|f| doc.slice(f.range.clone()).to_string())
            .collect()
    };
    // Built into the same place in turn, so the address of the vocabulary is the same too.
    let mut linter = Linter::new(rules_for("кот")).unwrap();
    assert_eq!(found(&linter, &mut cache), ["Кот"]);
    linter = Linter::new(rules_for("пёс")).unwrap();
    assert_eq!(found(&linter, &mut cache), ["пёс"]);
}

#[test]
fn a_rule_is_refused_when_its_code_or_safe_fix_does_not_fit_its_category() {
    let rule = |category: &str, code: &str, safe_fix: bool| {
        format!(
            "category = \"{category}\"\n[[rule]]\ncode = \"{code}\"\nname = \"x\"\ntitle = \"t\"\n\
             message = \"m\"\nexplanation = \"e\"\nclause = \"c\"\nsafe_fix = {safe_fix}\n\
             [[rule.phrase]]\npattern = \"в цель\"\nsuggest = [\"чтобы\"]\n"
        )
    };
    let load = |text: String| RuleSet::default().add_file("local.toml", &text);
    assert!(load(rule("jargon", "JA901", true)).is_ok());
    assert!(load(rule("forbidden", "FB901", false)).is_ok());
    let wrong_prefix = load(rule("forbidden", "JA901", false)).unwrap_err();
    assert_eq!(
        wrong_prefix.to_string(),
        "local.toml: rule JA901: the code of a forbidden rule starts with FB, such as FB001"
    );
    let not_safe = load(rule("aggression", "AG901", true)).unwrap_err();
    assert!(
        not_safe
            .to_string()
            .contains("`safe_fix = true` is not allowed"),
        "{not_safe}"
    );
    // A phrase that declares itself safe is refused as well.
    let phrase_safe =
        rule("refusal", "RF901", false).replace("suggest", "safe_fix = true\nsuggest");
    assert!(load(phrase_safe).is_err());
}
