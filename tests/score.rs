//! `yasno score`: the formula (pinned numbers), the graded letters' order and scores, the output
//! formats, the reference comparison, the `[score]` weights, and the HTML report in a real browser.

#[path = "common/programs.rs"]
mod programs;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use yasno_core::engine::RuleSet;
use yasno_core::finding::Applicability;
use yasno_core::output::FileReport;
use yasno_core::{Category, Document, Finding, Severity};
use yasno_score::{Weights, score_all, score_answer};

const GRADED: &str = "tests/letters/graded";

fn yasno(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = yasno(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn scores(report: &serde_json::Value) -> Vec<(String, u64)> {
    report["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let path = a["path"].as_str().unwrap();
            let name = path.rsplit('/').next().unwrap().to_string();
            (name, a["score"].as_u64().unwrap())
        })
        .collect()
}

// ---- The formula, on hand-made findings: independent of what the analyzers find. ----

fn finding(
    text: &str,
    needle: &str,
    code: &str,
    category: Category,
    severity: Severity,
) -> Finding {
    let start = text.find(needle).unwrap();
    Finding {
        code: Arc::from(code),
        name: Arc::from("test"),
        category,
        severity,
        message: format!("«{needle}»"),
        range: start..start + needle.len(),
        suggestions: Vec::new(),
        advice: None,
        applicability: Applicability::Advice,
    }
}

/// 100 prose words: 20 sentences of 5 words.
fn hundred_words() -> String {
    "Мы проверили плату за отопление. ".repeat(20)
}

#[test]
fn the_formula_gives_the_documented_numbers() {
    let rules = RuleSet::defaults().unwrap();
    let weights = Weights::default();
    let text = hundred_words();
    let jargon = |n: usize| -> Vec<Finding> {
        (0..n)
            .map(|_| {
                finding(
                    &text,
                    "проверили",
                    "JA006",
                    Category::Jargon,
                    Severity::Warning,
                )
            })
            .collect()
    };
    let survey = finding(
        &text,
        "отопление",
        "SV001",
        Category::SurveyLink,
        Severity::Warning,
    );
    let rude = finding(
        &text,
        "плату",
        "AG001",
        Category::Aggression,
        Severity::Warning,
    );
    let report = |findings: Vec<Finding>| FileReport {
        path: "a.txt".into(),
        document: Document::new(text.clone()),
        findings,
    };

    // 2 warnings × 1 × jargon 1 = 2 points in 100 words: D = 2, 100·2/12 = 16.7 → 83.
    let a = score_answer(&report(jargon(2)), &rules, &weights);
    assert_eq!(
        (a.words, a.density, a.text_cost, a.score),
        (100, 2.0, 16.7, 83)
    );
    assert_eq!(a.grade, 4);

    // + no survey link: a fixed 10 points → 73.
    let mut findings = jargon(2);
    findings.push(survey.clone());
    let b = score_answer(&report(findings), &rules, &weights);
    assert_eq!((b.document_cost, b.score), (10.0, 73));

    // + aggression (weight 2.5): 4.5 points, 100·4.5/14.5 = 31.0 → 100 − 31.0 − 10 = 59.
    let mut findings = jargon(2);
    findings.push(survey.clone());
    findings.push(rude);
    let c = score_answer(&report(findings), &rules, &weights);
    assert_eq!((c.text_cost, c.score, c.grade), (31.0, 59, 3));
    let aggression = c
        .breakdown
        .iter()
        .find(|x| x.category == Category::Aggression)
        .unwrap();
    // Its share of the text cost: 31.03 · 2.5 / 4.5 = 17.2.
    assert_eq!((aggression.points, aggression.cost), (2.5, 17.2));

    // The same two findings in a text four times longer cost a quarter of the density.
    let long = hundred_words().repeat(4);
    let long_report = FileReport {
        path: "long.txt".into(),
        document: Document::new(long.clone()),
        findings: (0..2)
            .map(|_| {
                finding(
                    &long,
                    "проверили",
                    "JA006",
                    Category::Jargon,
                    Severity::Warning,
                )
            })
            .collect(),
    };
    let d = score_answer(&long_report, &rules, &weights);
    // D = 0.5: 100·0.5/10.5 = 4.8 → 95.
    assert_eq!((d.words, d.density, d.score), (400, 0.5, 95));

    // A document-level fault reported twice counts once.
    let twice = score_answer(&report(vec![survey.clone(), survey]), &rules, &weights);
    assert_eq!((twice.document_cost, twice.score), (10.0, 90));
}

#[test]
fn a_short_empty_answer_scores_nothing() {
    let rules = RuleSet::defaults().unwrap();
    let text = "Ваш вопрос взят на контроль инспекции и будет рассмотрен.";
    let report = FileReport {
        path: "short.txt".into(),
        document: Document::new(text),
        findings: vec![finding(
            text,
            "взят на контроль",
            "FB001",
            Category::Forbidden,
            Severity::Error,
        )],
    };
    let scored = score_answer(&report, &rules, &Weights::default());
    // 9 words; 3 × 2 = 6 points → D = 66.7, cost 87.0; brevity 60 · 21/30 = 42 → below zero → 0.
    assert_eq!(
        (scored.words, scored.short_cost, scored.score),
        (9, 42.0, 0)
    );
    // Without a finding, brevity alone still keeps a 9-word answer from a good grade.
    let bare = FileReport {
        findings: Vec::new(),
        ..report
    };
    let bare = score_answer(&bare, &rules, &Weights::default());
    assert_eq!((bare.score, bare.grade), (58, 3));
}

#[test]
fn ranking_is_by_score_then_path_and_ties_share_a_rank() {
    let rules = RuleSet::defaults().unwrap();
    let text = hundred_words();
    let make = |path: &str, n: usize| FileReport {
        path: path.into(),
        document: Document::new(text.clone()),
        findings: (0..n)
            .map(|_| finding(&text, "плату", "JA019", Category::Jargon, Severity::Warning))
            .collect(),
    };
    let reports = vec![
        make("c.txt", 1),
        make("b.txt", 0),
        make("a.txt", 1),
        make("d.txt", 5),
    ];
    let scored = score_all(&reports, None, &rules, &Weights::default());
    let order: Vec<(&str, usize, u32)> = scored
        .answers
        .iter()
        .map(|a| (a.path.as_str(), a.rank, a.score))
        .collect();
    assert_eq!(
        order,
        vec![
            ("b.txt", 1, 100),
            ("a.txt", 2, 91),
            ("c.txt", 2, 91),
            ("d.txt", 4, 67)
        ]
    );
}

// ---- The graded letters, through the whole pipeline. ----

#[test]
fn graded_letters_are_ordered_and_pinned() {
    let report = json(&["score", GRADED, "--no-config", "--format", "json"]);
    let scores = scores(&report);
    let score_of = |name: &str| scores.iter().find(|(n, _)| n == name).unwrap().1;
    // A clean letter > a letter with some jargon > a letter full of jargon > empty phrases and
    // aggression > a one-line отписка.
    let order = [
        "01_clean.txt",
        "02_some_jargon.txt",
        "03_heavy_jargon.txt",
        "04_empty_and_rude.txt",
        "05_one_line.txt",
    ];
    for pair in order.windows(2) {
        assert!(
            score_of(pair[0]) > score_of(pair[1]),
            "{} should score above {}: {scores:?}",
            pair[0],
            pair[1]
        );
    }
    let names: Vec<&str> = scores.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, order, "the ranking is by score");
    // Pinned. These change only when the formula, the weights or the findings on these letters
    // change; update them together with docs/scoring.md.
    assert_eq!(score_of("01_clean.txt"), 100);
    assert_eq!(score_of("02_some_jargon.txt"), 82);
    assert_eq!(score_of("05_one_line.txt"), 0);
    let first = &report["answers"][0];
    assert_eq!(first["grade"], 5);
    assert_eq!(first["grade_label"], "отлично");
    assert_eq!(first["rank"], 1);
    // The weights used are part of the report.
    assert_eq!(report["weights"]["half_density"], 10.0);
    assert_eq!(report["weights"]["category"]["aggression"], 2.5);
}

#[test]
fn the_breakdown_says_what_each_category_cost_and_why() {
    let report = json(&["score", GRADED, "--no-config", "--format", "json"]);
    let answers = report["answers"].as_array().unwrap();
    let rude = answers
        .iter()
        .find(|a| {
            a["path"]
                .as_str()
                .unwrap()
                .ends_with("04_empty_and_rude.txt")
        })
        .unwrap();
    let breakdown = rude["breakdown"].as_array().unwrap();
    let category = |name: &str| breakdown.iter().find(|c| c["category"] == name).unwrap();
    assert_eq!(category("survey-link")["kind"], "document");
    assert_eq!(category("survey-link")["cost"], 10.0);
    assert_eq!(category("aggression")["kind"], "text");
    assert!(
        category("aggression")["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["code"] == "AG001" && r["examples"][0] == "Вы неправильно поняли")
    );
    // The costs add up to what the answer lost (up to rounding to 0.1).
    let sum: f64 = breakdown.iter().map(|c| c["cost"].as_f64().unwrap()).sum();
    let lost = rude["text_cost"].as_f64().unwrap() + rude["document_cost"].as_f64().unwrap();
    assert!((sum - lost).abs() <= 0.3, "{sum} vs {lost}");
    // Largest cost first.
    let costs: Vec<f64> = breakdown
        .iter()
        .map(|c| c["cost"].as_f64().unwrap())
        .collect();
    assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{costs:?}");
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for format in ["json", "csv", "html", "table"] {
        let args = [
            "score",
            GRADED,
            "--no-config",
            "--no-color",
            "--reference",
            "tests/letters/good/01_zhilinspektsiya_otoplenie.txt",
            "--format",
            format,
        ];
        let first = yasno(&args);
        let second = yasno(&args);
        assert!(first.status.success(), "{format}");
        assert_eq!(
            first.stdout, second.stdout,
            "{format} output differs between runs"
        );
    }
}

#[test]
fn csv_has_one_row_an_answer_and_a_column_a_category() {
    let out = yasno(&["score", GRADED, "--no-config", "--format", "csv"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 6, "{text}");
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(&header[..4], ["rank", "path", "score", "grade"]);
    assert!(header.contains(&"cost_jargon") && header.contains(&"cost_aggression"));
    for line in &lines[1..] {
        assert_eq!(line.split(',').count(), header.len(), "{line}");
    }
    assert!(lines[1].starts_with("1,tests/letters/graded/01_clean.txt,100,5,отлично,"));
}

#[test]
fn the_table_ranks_and_explains() {
    let out = yasno(&["score", GRADED, "--no-config", "--no-color"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Оценка ответов: 5 ответов."), "{text}");
    let clean = text.find("01_clean.txt").unwrap();
    let rude = text.find("04_empty_and_rude.txt").unwrap();
    assert!(clean < rude);
    assert!(text.contains("языковая агрессия (aggression)"), "{text}");
    assert!(text.contains("короткий ответ: 5 слов"), "{text}");
    assert!(!text.contains('\x1b'));
}

#[test]
fn the_reference_shows_what_it_avoided() {
    let report = json(&[
        "score",
        GRADED,
        "--no-config",
        "--format",
        "json",
        "--reference",
        "tests/letters/graded/01_clean.txt",
    ]);
    let answers = report["answers"].as_array().unwrap();
    // The reference is the yardstick, not an answer.
    assert_eq!(answers.len(), 4);
    assert_eq!(report["reference"]["score"], 100);
    let jargon = answers
        .iter()
        .find(|a| a["path"].as_str().unwrap().ends_with("02_some_jargon.txt"))
        .unwrap();
    let avoided: Vec<&str> = jargon["reference"]["avoided"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(avoided, ["JA016", "JA019"]);
    assert_eq!(jargon["reference"]["delta"], -18);
    assert_eq!(
        jargon["reference"]["avoided"][0]["examples"][0],
        "В настоящее время"
    );
}

#[test]
fn weights_come_from_the_config() {
    let dir = temp_dir("config");
    std::fs::write(
        dir.join("yasno.toml"),
        "[score]\nhalf-density = 20\ngrades = [95, 80, 60]\n[score.category]\njargon = 0\n",
    )
    .unwrap();
    let letter = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(GRADED)
        .join("02_some_jargon.txt");
    std::fs::copy(&letter, dir.join("answer.txt")).unwrap();
    let out = yasno(&["score", dir.to_str().unwrap(), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Jargon weighs nothing now: the letter has nothing else.
    assert_eq!(report["answers"][0]["score"], 100);
    assert_eq!(report["weights"]["grades"][0], 95);

    std::fs::write(dir.join("yasno.toml"), "[score.category]\njargon = -1\n").unwrap();
    let out = yasno(&["score", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(error.contains("category.jargon"), "{error}");

    std::fs::write(dir.join("yasno.toml"), "[score]\nhalf-densty = 3\n").unwrap();
    let out = yasno(&["score", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("half-densty"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_files_are_errors_but_the_rest_is_scored() {
    let out = yasno(&[
        "score",
        "no/such/answer.txt",
        "tests/letters/graded/01_clean.txt",
        "--no-config",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    let out = yasno(&["score", "no/such/answer.txt", "--no-config"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A folder is scored on all cores: each answer gets the score it gets alone, and the errors
/// come in input order.
#[test]
fn a_folder_scored_in_parallel_matches_each_answer_scored_alone() {
    let dir = temp_dir("parallel");
    let mut sources: Vec<PathBuf> = std::fs::read_dir("tests/letters/bad")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    sources.sort();
    let mut names = Vec::new();
    for n in 0..40 {
        let name = format!("answer{n:02}.txt");
        if n % 13 == 5 {
            std::fs::write(dir.join(&name), b"\x00binary\x00").unwrap();
        } else {
            std::fs::copy(&sources[n % sources.len()], dir.join(&name)).unwrap();
        }
        names.push(name);
    }
    let out = yasno(&[
        "score",
        dir.to_str().unwrap(),
        "--no-config",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let failed: Vec<&str> = stderr
        .lines()
        .map(|line| line.split(": ").nth(2).unwrap_or(line))
        .collect();
    let expected: Vec<String> = [5, 18, 31]
        .iter()
        .map(|n| dir.join(&names[*n]).display().to_string())
        .collect();
    assert_eq!(failed, expected, "{stderr}");
    let together: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let answers = together["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 37);
    for n in [0, 7, 12, 26, 39] {
        let path = dir.join(&names[n]).display().to_string();
        let alone = yasno(&["score", &path, "--no-config", "--format", "json"]);
        let alone: serde_json::Value = serde_json::from_slice(&alone.stdout).unwrap();
        let mut alone = alone["answers"][0].clone();
        let mut in_folder = answers
            .iter()
            .find(|a| a["path"] == path.as_str())
            .unwrap()
            .clone();
        alone["rank"] = 0.into();
        in_folder["rank"] = 0.into();
        assert_eq!(in_folder, alone, "{path}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- The HTML report. ----

fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir =
        std::env::temp_dir().join(format!("yasno-score-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn html_report(dir: &Path) -> (PathBuf, String) {
    let file = dir.join("report.html");
    let out = yasno(&[
        "score",
        GRADED,
        "--no-config",
        "--format",
        "html",
        "--reference",
        "tests/letters/good/01_zhilinspektsiya_otoplenie.txt",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&file).unwrap();
    (file, html)
}

#[test]
fn the_html_report_is_self_contained() {
    let dir = temp_dir("html");
    let (_, html) = html_report(&dir);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for forbidden in [
        "<script",
        "<link",
        "@import",
        "url(",
        "src=\"http",
        "href=\"http",
        "@font-face",
    ] {
        assert!(
            !html.contains(forbidden),
            "the report must not load anything: {forbidden}"
        );
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("<svg class=\"score-chart\""));
    // The letters' own text is escaped, not markup.
    assert!(html.contains("«Теплый дом»"));
    // A finding's «Почему» is its rule's documentation, examples and fixed texts included.
    assert!(
        html.contains("<p class=\"rule-list\">Так писать не нужно:</p><ul><li>✗ "),
        "no rule examples"
    );
    assert!(html.contains(" → ✓ "), "no fixed text");
    let _ = std::fs::remove_dir_all(&dir);
}

fn chromium() -> Option<&'static str> {
    programs::available("chromium", &["--version"], "apt-get install chromium")
        .then_some("chromium")
}

/// Runs headless Chromium with a fresh profile; None when it fails or takes over two minutes.
fn run_chromium(browser: &str, profile: &Path, args: &[String]) -> Option<Output> {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(120);
    // Read stdout on a thread so that a large DOM cannot fill the pipe and stall the browser.
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut bytes);
        bytes
    });
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let stdout = reader.join().unwrap_or_default();
                return Some(Output {
                    status,
                    stdout,
                    stderr: Vec::new(),
                });
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

#[test]
fn the_html_report_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = temp_dir("browser");
    let (file, _) = html_report(&dir);
    let url = format!("file://{}", file.display());

    let dom = run_chromium(
        browser,
        &dir.join("profile-dom"),
        &["--dump-dom".into(), url.clone()],
    )
    .expect("chromium dumps the DOM");
    assert!(dom.status.success());
    let dom = String::from_utf8_lossy(&dom.stdout).to_string();
    let count = |needle: &str| dom.matches(needle).count();
    assert!(dom.contains("<h1>Оценка ответов</h1>"), "{dom}");
    assert_eq!(count("<svg class=\"score-chart\""), 1);
    assert_eq!(count("<rect class=\"bar\""), 5, "a bar an answer");
    assert!(dom.contains("<table id=\"ranking\">"));
    assert_eq!(count("<tr data-score="), 5, "a ranking row an answer");
    assert!(dom.contains("<tr data-score=\"100\">"));
    assert_eq!(count("<section class=\"answer card\" id=\"answer-"), 5);
    assert_eq!(count("id=\"reference\""), 1);
    assert!(
        count("<mark class=\"sev-warning\"") >= 5,
        "findings are highlighted"
    );
    assert!(count("<mark class=\"sev-error\"") >= 2);
    assert!(count("class=\"cat-row\" data-category=\"aggression\"") >= 1);
    assert!(count("<li class=\"finding sev-") >= 20);
    assert!(dom.contains("Чего избегает эталон"));
    assert!(dom.contains("id=\"formula\""));

    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let shot = artifacts.join("score-report.png");
    let _ = std::fs::remove_file(&shot);
    let out = run_chromium(
        browser,
        &dir.join("profile-shot"),
        &[
            "--window-size=1366,2400".into(),
            format!("--screenshot={}", shot.display()),
            url,
        ],
    )
    .expect("chromium takes a screenshot");
    assert!(out.status.success());
    let png = std::fs::read(&shot).expect("the screenshot is written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
    println!("screenshot: {}", shot.display());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `yasno score` with its standard output on a terminal, in `dir` (through `script`, which gives
/// the command a pseudo-terminal); None where `script` is not installed.
fn score_on_a_terminal(dir: &Path, args: &str) -> Option<(i32, String)> {
    let command = format!("{} score --no-config {args}", env!("CARGO_BIN_EXE_yasno"));
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    let code = out.status.code()?;
    Some((code, String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// Regression: on a terminal, `score --format html` without `-o` wrote every letter to
/// `./yasno-score.html` (mode 0644, replacing a file of that name). It now refuses, with a hint.
#[test]
fn an_html_report_is_never_written_where_no_one_asked() {
    let dir = temp_dir("no-o");
    let graded = Path::new(env!("CARGO_MANIFEST_DIR")).join(GRADED);
    let Some((code, shown)) =
        score_on_a_terminal(&dir, &format!("--format html {}", graded.display()))
    else {
        println!("note: `script` is not installed; the terminal case was not exercised");
        return;
    };
    assert_eq!(code, 2, "{shown}");
    assert!(shown.contains("give -o FILE"), "{shown}");
    assert!(!shown.contains("<!DOCTYPE"), "{shown}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no file is written"
    );
    // Not on a terminal, the page goes to standard output, and still no file is written.
    let out = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(["score", "--no-config", "--format", "html"])
        .arg(&graded)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"<!DOCTYPE html>"));
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "no file is written"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Regression: the report was created 0644 (readable by every user of the machine) and an
/// existing file of that name was replaced silently.
#[test]
fn a_report_is_created_private_and_replaces_a_file_only_with_force() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("private");
    let (file, html) = html_report(&dir);
    assert!(html.starts_with("<!DOCTYPE html>"));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a new report is its owner's only: {mode:o}");

    let mine = dir.join("mine.csv");
    std::fs::write(&mine, "не отчёт\n").unwrap();
    let score_to = |extra: &[&str]| {
        let mut args = vec!["score", GRADED, "--no-config", "--format", "csv", "-o"];
        args.push(mine.to_str().unwrap());
        args.extend_from_slice(extra);
        yasno(&args)
    };
    let refused = score_to(&[]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("mine.csv") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "не отчёт\n");

    let forced = score_to(&["--force"]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(
        std::fs::read_to_string(&mine)
            .unwrap()
            .starts_with("rank,path,score")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
