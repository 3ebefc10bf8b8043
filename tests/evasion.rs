//! Hidden characters cannot hide a phrase from the rules: a zero-width character, a combining
//! mark, a Greek or Armenian look-alike letter or a hyphen at a line break inside a word leaves
//! every rule's finding in place, with a range over the word as written. The characters
//! themselves are `spelling` findings; Latin letters inside codes are not.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use yasno_core::Linter;
use yasno_core::engine::LemmaCache;
use yasno_core::finding::{Applicability, Finding};

fn yasno(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// (rule, found text) of each finding of the CLI's JSON report for `text` from standard input.
fn cli_findings(text: &str) -> Vec<(String, String, Vec<String>)> {
    let output = yasno(&["check", "--format", "json", "-"], text.as_bytes());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let suggestions = d["suggestions"]
                .as_array()
                .map(|s| s.iter().map(|s| s.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            let start = d["start"].as_u64().unwrap() as usize;
            let end = d["end"].as_u64().unwrap() as usize;
            (
                d["rule"].as_str().unwrap().to_string(),
                text[start..end].to_string(),
                suggestions,
            )
        })
        .collect()
}

fn check(text: &str) -> Vec<Finding> {
    let linter = Linter::with_default_rules().unwrap();
    let doc = yasno_core::Document::new(text);
    linter.check(&doc, &mut LemmaCache::new())
}

fn found<'t>(text: &'t str, findings: &[Finding], code: &str) -> Vec<&'t str> {
    findings
        .iter()
        .filter(|f| &*f.code == code)
        .map(|f| &text[f.range.clone()])
        .collect()
}

/// The ways a word is hidden, each applied to the word «слово» at byte `at` of it.
fn hide(word: &str, how: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let middle = chars.len() / 2;
    let (head, tail): (String, String) = (
        chars[..middle].iter().collect(),
        chars[middle..].iter().collect(),
    );
    let twin = |c: char| match c {
        'о' => Some('ο'),
        'а' => Some('α'),
        'е' => Some('ε'),
        'р' => Some('ρ'),
        'т' => Some('τ'),
        'к' => Some('κ'),
        _ => None,
    };
    match how {
        "zero-width space" => format!("{head}\u{200B}{tail}"),
        "zero-width joiner" => format!("{head}\u{200D}{tail}"),
        "left-to-right mark" => format!("{head}\u{200E}{tail}"),
        "bidi override" => format!("{head}\u{202E}{tail}"),
        "soft hyphen" => format!("{head}\u{AD}{tail}"),
        "stress mark" => format!("{head}\u{301}{tail}"),
        "strike-through mark" => format!("{head}\u{336}{tail}"),
        "line-break hyphen" => format!("{head}-\n{tail}"),
        "line-break hyphen, CRLF and spaces" => format!("{head}-  \r\n   {tail}"),
        "Greek look-alike" | "Armenian look-alike" => {
            let armenian = how.starts_with("Armenian");
            let mut done = false;
            chars
                .iter()
                .map(|&c| match (done, armenian, c) {
                    (false, true, 'о') => {
                        done = true;
                        'օ'
                    }
                    (false, false, _) if twin(c).is_some() => {
                        done = true;
                        twin(c).unwrap()
                    }
                    _ => c,
                })
                .collect()
        }
        _ => unreachable!("{how}"),
    }
}

const WAYS: &[&str] = &[
    "zero-width space",
    "zero-width joiner",
    "left-to-right mark",
    "bidi override",
    "soft hyphen",
    "stress mark",
    "strike-through mark",
    "line-break hyphen",
    "line-break hyphen, CRLF and spaces",
    "Greek look-alike",
    "Armenian look-alike",
];

/// Every rule's `bad` examples (all families), with the longest word of the finding hidden in
/// every way: the rule still reports it, and its range covers the hidden word as written.
#[test]
fn no_rule_is_blinded_by_a_hidden_word() {
    let defaults = Linter::with_default_rules().unwrap();
    let config = yasno_core::config::Config {
        extend_select: defaults
            .rules()
            .rules
            .iter()
            .filter(|r| !r.enabled)
            .map(|r| r.code.to_string())
            .collect(),
        ..Default::default()
    };
    let linter = Linter::from_config(config).unwrap();
    let mut cache = LemmaCache::new();
    let mut failures = Vec::new();
    let mut families = std::collections::BTreeSet::new();
    let mut tried = 0;
    for rule in &linter.rules().rules {
        if rule.category == yasno_core::finding::Category::Spelling {
            continue;
        }
        let examples = rule
            .bad
            .iter()
            .chain(rule.phrases.iter().flat_map(|p| p.bad.iter()));
        for example in examples {
            let doc = yasno_core::Document::new(example.as_str());
            let Some(finding) = linter
                .check(&doc, &mut cache)
                .into_iter()
                .find(|f| f.code == rule.code)
            else {
                continue;
            };
            // The longest Russian word of the finding, of four letters or more.
            let span = &example[finding.range.clone()];
            let Some(word) = span
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| {
                    w.chars().count() >= 4 && w.chars().all(|c| matches!(c, 'а'..='я' | 'ё'))
                })
                .max_by_key(|w| w.len())
            else {
                continue;
            };
            let at = finding.range.start + span.find(word).unwrap();
            for how in WAYS {
                let hidden = hide(word, how);
                if hidden == word {
                    continue;
                }
                let text = format!("{}{hidden}{}", &example[..at], &example[at + word.len()..]);
                let doc = yasno_core::Document::new(text.as_str());
                let findings = linter.check(&doc, &mut cache);
                tried += 1;
                let hidden_range = at..at + hidden.len();
                let covered = findings.iter().any(|f| {
                    f.code == rule.code
                        && f.range.start <= hidden_range.start
                        && hidden_range.end <= f.range.end
                });
                if covered {
                    families.insert(rule.category);
                } else {
                    failures.push(format!("{} ({how}): {text:?}", rule.code));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {tried}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(tried > 1000, "{tried}");
    // Every family with phrase or word rules is among them.
    assert!(families.len() >= 8, "{families:?}");
}

#[test]
fn the_examples_of_the_issue_through_the_cli() {
    let findings = cli_findings("Ваш вопрос взят на кон\u{200B}троль.");
    assert!(
        findings.contains(&("FB001".into(), "взят на кон\u{200B}троль".into(), vec![])),
        "{findings:?}"
    );
    assert!(findings.contains(&(
        "SP002".into(),
        "кон\u{200B}троль".into(),
        vec!["контроль".into()]
    )));
    for text in [
        "в связи с выше-\nизложенным мы отказали",
        "в связи с выше-\r\nизложенным мы отказали",
        "в связи с выше-  \n  изложенным мы отказали",
    ] {
        let findings = cli_findings(text);
        let ja001: Vec<_> = findings.iter().filter(|f| f.0 == "JA001").collect();
        assert_eq!(ja001.len(), 1, "{text:?}: {findings:?}");
        assert!(ja001[0].1.starts_with("в связи с выше-"), "{findings:?}");
        assert!(ja001[0].1.ends_with("изложенным"), "{findings:?}");
        // A line-break hyphen is typesetting, not a hidden character.
        assert!(
            !findings.iter().any(|f| f.1.starts_with("SP")),
            "{findings:?}"
        );
    }
    for text in ["Вопрос взят на κонтроль.", "Вопрос взят на кοнтр\u{585}ль."]
    {
        let findings = cli_findings(text);
        assert!(
            findings.iter().any(|f| f.0 == "FB001"),
            "{text}: {findings:?}"
        );
        assert!(
            findings
                .iter()
                .any(|f| f.0 == "SP003" && f.2 == ["контроль"]),
            "{text}: {findings:?}"
        );
    }
}

#[test]
fn fix_removes_the_hidden_characters_and_nothing_else() {
    let dir = std::env::temp_dir().join(format!("yasno-evasion-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("letter.txt");
    let letter =
        "Ответ под\u{200B}готовлен.\nСрок — 30 днεй, кон-\nтроль за \u{202E}исполнением.\n";
    std::fs::write(&path, letter).unwrap();
    let output = yasno(&["check", "--fix", path.to_str().unwrap()], b"");
    assert!(output.status.code().is_some(), "{output:?}");
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        fixed,
        "Ответ подготовлен.\nСрок — 30 дней, кон-\nтроль за исполнением.\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn real_hyphenated_words_survive_a_line_break() {
    // «из-за», «какой-нибудь», «северо-западный» keep their hyphen; «контроль» does not need it.
    let linter = Linter::with_default_rules().unwrap();
    let text = "Отказ из-\nза какой-\nнибудь северо-\nзападной кон-\nторы.";
    let doc = yasno_core::Document::new(text);
    let words: Vec<(&str, &str)> = (0..doc.tokens.len())
        .filter(|&i| doc.tokens[i].is_word())
        .map(|i| (doc.word_text(i), doc.slice(doc.tokens[i].range())))
        .collect();
    assert_eq!(
        words,
        [
            ("Отказ", "Отказ"),
            ("из-за", "из-\nза"),
            ("какой-нибудь", "какой-\nнибудь"),
            ("северо-западной", "северо-\nзападной"),
            ("конторы", "кон-\nторы"),
        ]
    );
    let findings = linter.check(&doc, &mut LemmaCache::new());
    assert!(
        findings
            .iter()
            .all(|f| f.category != yasno_core::finding::Category::Spelling),
        "{findings:?}"
    );
}

#[test]
fn invisible_characters_are_spelling_findings_with_a_safe_removal() {
    let text = "Ответ под\u{200B}готовлен. Срок от\u{AD}вета истёк \u{2066}вчера.";
    let findings = check(text);
    assert_eq!(
        found(text, &findings, "SP002"),
        ["под\u{200B}готовлен", "от\u{AD}вета"]
    );
    assert_eq!(found(text, &findings, "SP004"), ["\u{2066}"]);
    for f in findings.iter().filter(|f| f.code.starts_with("SP00")) {
        assert_eq!(f.applicability, Applicability::Safe, "{f:?}");
        assert!(
            !f.suggestions[0]
                .chars()
                .any(|c| c == '\u{200B}' || c == '\u{AD}')
        );
    }
    // Near misses: a stress mark is visible and legitimate in teaching texts; a zero-width joiner
    // inside an emoji sequence, a soft hyphen at the end of a line.
    let text = "Ударе\u{301}ние на второй слог. Семья 👨\u{200D}👩. Кон\u{AD}\nтроль.";
    let findings = check(text);
    assert!(
        findings
            .iter()
            .all(|f| f.category != yasno_core::finding::Category::Spelling),
        "{findings:?}"
    );
}

#[test]
fn look_alikes_are_safe_to_respell_only_in_a_known_word() {
    let text = "Вопрос взят на κонтроль. Гражданин Пеτрищенкович. Буква ξ в слове сξова.";
    let findings = check(text);
    let sp003: Vec<(&str, Applicability, Vec<String>)> = findings
        .iter()
        .filter(|f| &*f.code == "SP003")
        .map(|f| {
            (
                &text[f.range.clone()],
                f.applicability,
                f.suggestions.clone(),
            )
        })
        .collect();
    assert_eq!(
        sp003,
        [
            (
                "κонтроль",
                Applicability::Safe,
                vec!["контроль".to_string()]
            ),
            (
                "Пеτрищенкович",
                Applicability::Suggestion,
                vec!["Петрищенкович".to_string()]
            ),
            // ξ has no Cyrillic twin: nothing to swap.
            ("сξова", Applicability::Advice, vec![]),
        ]
    );
    // Greek on its own is Greek.
    let text = "Излучение α-частиц и угол φ.";
    assert!(found(text, &check(text), "SP003").is_empty());
}

#[test]
fn latin_letters_inside_codes_are_not_respelled() {
    let text = "VIN XTA21099043210, номер А123BC 18, артикул ABCабв-12, ГОСТ Р ИСО 9001, \
                кадастровый номер 18:26:010203:4AБ, код ОКВЭД 84.11, марка АВТОВАЗ-XRAY.";
    let findings = check(text);
    assert_eq!(found(text, &findings, "SP001"), Vec::<&str>::new());
    // Near misses: a word that reads as Russian is respelled, in capitals too, safely; an unknown
    // one is a suggestion.
    let text = "Порядок взaимoдeйcтвия. ООО «РOГA». Фамилия Зaхарищенкович.";
    let findings = check(text);
    let sp001: Vec<(&str, Applicability, Vec<String>)> = findings
        .iter()
        .filter(|f| &*f.code == "SP001")
        .map(|f| {
            (
                &text[f.range.clone()],
                f.applicability,
                f.suggestions.clone(),
            )
        })
        .collect();
    assert_eq!(
        sp001,
        [
            (
                "взaимoдeйcтвия",
                Applicability::Safe,
                vec!["взаимодействия".to_string()]
            ),
            ("РOГA", Applicability::Safe, vec!["РОГА".to_string()]),
            (
                "Зaхарищенкович",
                Applicability::Suggestion,
                vec!["Захарищенкович".to_string()]
            ),
        ]
    );
}

#[test]
fn hidden_abbreviations_are_still_explained() {
    for (text, abbreviation, full) in [
        (
            "Дом признан аварийным, М\u{200B}КД расселят.",
            "М\u{200B}КД",
            "многоквартирный дом",
        ),
        (
            "Дом признан аварийным, МΚД расселят.",
            "МΚД",
            "многоквартирный дом",
        ),
        (
            "Дом признан аварийным, ЖКУ-\nплатежи спишут.",
            "ЖКУ",
            "жилищно-коммунальные услуги",
        ),
    ] {
        let findings = check(text);
        let ab001: Vec<(&str, Vec<String>)> = findings
            .iter()
            .filter(|f| &*f.code == "AB001")
            .map(|f| (&text[f.range.clone()], f.suggestions.clone()))
            .collect();
        assert_eq!(ab001, [(abbreviation, vec![full.to_string()])], "{text:?}");
    }
}

/// Every word of five letters or more in the project's bad letters hidden, in turn, by a zero-width
/// space, a Greek look-alike and a line-break hyphen: the CLI reports the same rules as for the
/// letter as written (the hidden characters' own `spelling` findings aside).
#[test]
fn the_cli_reports_the_same_rules_for_letters_full_of_hidden_words() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/letters/bad");
    let mut letters: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    letters.sort();
    assert!(letters.len() >= 5);
    let codes = |text: &str| {
        let mut codes: Vec<String> = cli_findings(text)
            .into_iter()
            .map(|f| f.0)
            .filter(|code| !code.starts_with("SP"))
            .collect();
        codes.sort();
        codes
    };
    for path in letters {
        let letter = std::fs::read_to_string(&path).unwrap();
        let mut hidden = String::new();
        let mut count = 0;
        for piece in letter.split_inclusive(|c: char| !c.is_alphabetic()) {
            let word_end = piece
                .char_indices()
                .find(|(_, c)| !c.is_alphabetic())
                .map_or(piece.len(), |(i, _)| i);
            let (word, rest) = piece.split_at(word_end);
            if word.chars().count() >= 5 && word.chars().all(|c| matches!(c, 'а'..='я')) {
                count += 1;
                let how = ["zero-width space", "Greek look-alike", "line-break hyphen"][count % 3];
                hidden.push_str(&hide(word, how));
            } else {
                hidden.push_str(word);
            }
            hidden.push_str(rest);
        }
        assert!(count > 20, "{path:?}");
        assert_eq!(codes(&hidden), codes(&letter), "{path:?}");
    }
}
