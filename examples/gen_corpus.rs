//! Deterministic benchmark corpora, made from the project's own data: the `bad` and `good`
//! examples of every rule (rules/*.toml) inside letter templates. Nothing is downloaded; the same
//! seed gives the same bytes. See docs/performance.md.
//!
//! ```text
//! cargo run --release --example gen_corpus -- file    OUT.txt MEGABYTES [SEED]  one file of Russian letters
//! cargo run --release --example gen_corpus -- letters DIR COUNT [SEED]         one letter a file
//! cargo run --release --example gen_corpus -- english OUT.txt MEGABYTES [SEED]  English letters (for Harper)
//! cargo run --release --example gen_corpus -- phrases OUT.txt                   the phrase list as fixed strings (rg -F -f)
//! cargo run --release --example gen_corpus -- rules   DIR COPIES                the phrase rules COPIES more times
//! ```

use std::fmt::Write as _;
use std::path::Path;

use yasno_core::engine::{PatternToken, RuleSet};

/// SplitMix64: tiny, deterministic, good enough to shuffle sentences.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn text(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

const GREETINGS: &[&str] = &[
    "Уважаемая Анна Сергеевна!",
    "Уважаемый Иван Петрович!",
    "Здравствуйте, Ольга Николаевна!",
    "Уважаемый Сергей Викторович!",
    "Здравствуйте, Мария Ивановна!",
];

/// Plain sentences of a reply, written as the regulations ask.
const PLAIN: &[&str] = &[
    "Мы проверили отопление в Вашем доме 12 марта.",
    "Управляющая компания заменила насос в подвале.",
    "Деньги за холодные дни вернём до 1 декабря.",
    "Если у Вас остались вопросы, позвоните нам по телефону 8 (3412) 22-33-44.",
    "Инспектор приедет к Вам в четверг с 10 до 12 часов.",
    "Документы можно принести в любой МФЦ или отправить через Госуслуги.",
    "Мы пересчитали плату за март и апрель.",
    "Комиссия рассмотрит Ваше заявление 5 июня.",
    "Ответ на запрос в Росреестр мы получим до 20 мая и сразу сообщим Вам.",
    "Спасибо, что сообщили о проблеме.",
    "Сейчас дорогу ремонтирует подрядчик; работы закончатся в августе.",
    "Выплату назначили с 1 февраля, первые деньги придут до 15 марта.",
    "Приложите, пожалуйста, копию паспорта и справку о составе семьи.",
    "Фонари во дворе заменят до конца месяца.",
    "Мы передали Вашу жалобу в прокуратуру района, она ответит Вам сама.",
];

const SURVEY: &[&str] = &[
    "Оцените, пожалуйста, наш ответ: https://pos.gosuslugi.ru/feedback/?id=1234.",
    "Пожалуйста, оцените этот ответ на портале Госуслуг: https://pos.gosuslugi.ru/polls/55.",
];

const SIGNATURES: &[&str] = &[
    "С уважением,\nначальник отдела\nЕ. В. Гусева",
    "С уважением,\nзаместитель руководителя инспекции\nИ. П. Петров",
    "Елена Викторовна Гусева\nстарший инспектор\nЖилищная инспекция",
];

const EN_GREETINGS: &[&str] = &["Dear Ms Smith,", "Dear Mr Brown,", "Hello Dr Jones,"];

const EN_SENTENCES: &[&str] = &[
    "We have checked the heating in your building on 12 March.",
    "The management company replaced the pump in the basement.",
    "We will refund the cold days before the first of December.",
    "If you have any questions, please call us on 020 7946 0000.",
    "An inspector will visit you on Thursday between ten and twelve.",
    "You can bring the documents to any service centre or send them online.",
    "We have recalculated the charges for March and April.",
    "The committee will consider your application on 5 June.",
    "Thank you for telling us about the problem.",
    "Their is a mistake in the the invoice, and we have corrected it.",
    "We would of answered sooner, but a apple of discord delayed the the reply.",
    "Please attach a copy of you passport and a certificate of family composition.",
    "In accordance with the aforementioned regulations, your request cannot be satisfied at this point in time.",
    "The street lights in the yard will be replaced by the end of the month.",
    "We have passed your complaint to the district prosecutor, who will reply to you directly.",
];

struct Examples {
    bad: Vec<String>,
    good: Vec<String>,
}

fn examples(rules: &RuleSet) -> Examples {
    let mut bad = Vec::new();
    let mut good = Vec::new();
    for rule in &rules.rules {
        bad.extend(rule.bad.iter().cloned());
        good.extend(rule.good.iter().cloned());
        for phrase in &rule.phrases {
            bad.extend(phrase.bad.iter().cloned());
        }
    }
    // Examples are one or two sentences; whole-letter examples would repeat the templates.
    let short = |s: &String| s.len() < 600 && !s.contains("\n\n");
    bad.retain(short);
    good.retain(short);
    Examples { bad, good }
}

fn russian_letter(rng: &mut Rng, ex: &Examples, out: &mut String) {
    out.push_str(rng.text(GREETINGS));
    out.push_str("\n\n");
    let paragraphs = 3 + rng.below(4);
    for _ in 0..paragraphs {
        let sentences = 1 + rng.below(4);
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            let roll = rng.below(100);
            let sentence = if roll < 30 {
                rng.pick(&ex.bad).as_str()
            } else if roll < 60 {
                rng.pick(&ex.good).as_str()
            } else {
                rng.text(PLAIN)
            };
            out.push_str(sentence.trim());
        }
        out.push_str("\n\n");
    }
    if rng.below(2) == 0 {
        out.push_str(rng.text(SURVEY));
        out.push_str("\n\n");
    }
    out.push_str(rng.text(SIGNATURES));
    out.push_str("\n\n");
}

fn english_letter(rng: &mut Rng, out: &mut String) {
    out.push_str(rng.text(EN_GREETINGS));
    out.push_str("\n\n");
    for _ in 0..3 + rng.below(4) {
        for s in 0..1 + rng.below(4) {
            if s > 0 {
                out.push(' ');
            }
            out.push_str(rng.text(EN_SENTENCES));
        }
        out.push_str("\n\n");
    }
    out.push_str("Yours sincerely,\nJane Miller\nHousing Inspectorate\n\n");
}

/// A pattern as plain words: the first alternative of each word token, gaps and tags dropped.
fn fixed_string(source: &str) -> String {
    source
        .split_whitespace()
        .filter(|t| !t.starts_with('*') && *t != ",")
        .filter_map(|t| {
            let t = t.trim_matches(|c| matches!(c, '[' | ']' | ',' | '(' | ')'));
            let t = t.trim_end_matches('?');
            let first = t.split('|').next().unwrap_or("");
            let word = first
                .split('{')
                .next()
                .unwrap_or("")
                .trim_start_matches('=');
            (!word.is_empty()).then(|| word.to_string())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn seed(args: &[String], at: usize) -> u64 {
    args.get(at)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_260_601)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first().map(String::as_str).unwrap_or("");
    let arg = |i: usize| -> Result<&str, String> {
        args.get(i).map(String::as_str).ok_or_else(|| {
            format!("missing argument {i}; see the comment at the top of examples/gen_corpus.rs")
        })
    };
    match command {
        "file" | "english" => {
            let bytes = (arg(2)?.parse::<f64>()? * 1_048_576.0) as usize;
            let mut rng = Rng(seed(&args, 3));
            let rules = RuleSet::defaults()?;
            let ex = examples(&rules);
            let mut out = String::with_capacity(bytes + 4096);
            while out.len() < bytes {
                if command == "file" {
                    russian_letter(&mut rng, &ex, &mut out);
                } else {
                    english_letter(&mut rng, &mut out);
                }
            }
            // Cut at a letter boundary no later than the size asked for, when one exists.
            let mut limit = bytes.min(out.len());
            while !out.is_char_boundary(limit) {
                limit -= 1;
            }
            let cut = out[..limit].rfind("\n\n").map_or(out.len(), |i| i + 2);
            out.truncate(cut);
            std::fs::write(arg(1)?, out)?;
        }
        "letters" => {
            let dir = Path::new(arg(1)?);
            let count: usize = arg(2)?.parse()?;
            let mut rng = Rng(seed(&args, 3));
            let ex = examples(&RuleSet::defaults()?);
            std::fs::create_dir_all(dir)?;
            for i in 0..count {
                let mut letter = String::new();
                russian_letter(&mut rng, &ex, &mut letter);
                std::fs::write(dir.join(format!("{i:05}.txt")), letter.trim_end())?;
            }
        }
        "phrases" => {
            let rules = RuleSet::defaults()?;
            let mut out = String::new();
            let mut seen = std::collections::HashSet::new();
            for rule in &rules.rules {
                for phrase in &rule.phrases {
                    for pattern in &phrase.patterns {
                        let words = pattern
                            .tokens
                            .iter()
                            .filter(|t| matches!(t, PatternToken::Word { .. }))
                            .count();
                        let text = fixed_string(&pattern.source);
                        if words > 0 && !text.is_empty() && seen.insert(text.clone()) {
                            let _ = writeln!(out, "{text}");
                        }
                    }
                }
            }
            std::fs::write(arg(1)?, out)?;
        }
        "rules" => {
            // Copies of the phrase rule files under new codes («JA001» → «JAB001», «JAC001», …) in
            // DIR/rules, and DIR/yasno.toml that adds them: `yasno check --config DIR/yasno.toml`.
            let root = Path::new(arg(1)?);
            let dir = &root.join("rules");
            let copies: usize = arg(2)?.parse()?;
            std::fs::create_dir_all(dir)?;
            for (name, text) in yasno_core::engine::DEFAULT_RULE_FILES {
                let file = name.rsplit('/').next().unwrap_or(name);
                if !matches!(file, "jargon.toml" | "forbidden.toml" | "aggression.toml") {
                    continue;
                }
                for copy in 1..=copies {
                    let letter = (b'A' + copy as u8) as char;
                    let renamed: String = text
                        .lines()
                        .map(|line| {
                            let trimmed = line.trim_start();
                            // The category's prefix stays (the loader requires it): JA001 → JAB001.
                            if let Some(rest) = trimmed.strip_prefix("code = \"") {
                                let (prefix, number) = rest.split_at(2.min(rest.len()));
                                format!("code = \"{prefix}{letter}{number}")
                            } else if let Some(rest) = trimmed.strip_prefix("name = \"") {
                                format!("name = \"x{copy}-{rest}")
                            } else {
                                line.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("\n");
                    std::fs::write(dir.join(format!("x{copy}-{file}")), renamed)?;
                }
            }
            std::fs::write(root.join("yasno.toml"), "rule-dirs = [\"rules\"]\n")?;
        }
        _ => return Err("usage: see the comment at the top of examples/gen_corpus.rs".into()),
    }
    Ok(())
}
