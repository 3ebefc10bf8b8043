use super::{
    all_caps, has_slash_or_hyphen, is_cyrillic, is_plain_capitalised, looks_mixed_acronym,
    starts_small_russian,
};
use crate::Linter;
use crate::engine::{LemmaCache, RuleSet};
use crate::morphology;
use crate::text::Document;

/// A linter with this rule file only, so other files being edited cannot break these tests;
/// a user's file replaces built-in rules, so beside it are the defaults.
fn linter_with(extra: Option<&str>) -> Linter {
    let rules = match extra {
        None => {
            let mut rules = RuleSet::default();
            rules
                .add_file(
                    "rules/abbreviation.toml",
                    include_str!("../../../../../rules/abbreviation.toml"),
                )
                .expect("the rule file loads");
            rules
        }
        Some(extra) => {
            let mut rules = RuleSet::defaults().unwrap();
            rules
                .add_file("user.toml", extra)
                .expect("the user file loads");
            rules
        }
    };
    Linter::new(rules).unwrap()
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
                на сайте ФНС РФ. НДС и НДФЛ не удерживаются. Файл в PDF придёт по SMS. \
                Площадь 12,5 кв. м, т. е. одна комната, стоимость 300 руб. 50 коп. \
                Вы сдавали ЕГЭ, учились в вузе и т. д. Отправьте б/у технику по ж/д.";
    assert!(words(text).is_empty(), "{:?}", words(text));
}

#[test]
fn agency_abbreviations_need_an_explanation() {
    let text = "Двор убирает ГБУ «Жилищник». Выписку из ЕГРН можно заказать на ЕПГУ.";
    assert_eq!(words(text), ["ГБУ", "ЕГРН", "ЕПГУ"]);
    let explained = "Двор убирает государственное бюджетное учреждение (ГБУ) «Жилищник». \
                     ГБУ работает с 8 часов.";
    assert!(words(explained).is_empty(), "{:?}", words(explained));
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
min_caps_word = 4
message_expanded = "«{found}» → «{expansion}»"
dotted = {}
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
        let by_chars =
            first.is_some_and(morphology::is_upper) && chars.all(|c| matches!(c, 'а'..='я' | 'ё'));
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
