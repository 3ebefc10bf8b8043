//! The `yasno` binary as a caller sees it: output, JSON shape, exit statuses, errors.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn yasno(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

const BAD: &str = "Уважаемый Иван Петрович!\nВ связи с вышеизложенным сообщаем: Ваше обращение взято на особый контроль.\n";
const CLEAN: &str = "Здравствуйте, Анна Сергеевна!\nМы пересчитали плату за отопление. Деньги вернём до 1 декабря.\n";

#[test]
fn json_has_the_documented_shape_and_byte_offsets() {
    let out = yasno(
        &[
            "check",
            "--format",
            "json",
            "-",
            "--stdin-filename",
            "letter.txt",
        ],
        Some(BAD.as_bytes()),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "an error-level finding fails the check"
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let file = &json["files"][0];
    assert_eq!(file["path"], "letter.txt");
    let diagnostics = file["diagnostics"].as_array().unwrap();
    let control = diagnostics
        .iter()
        .find(|d| d["category"] == "forbidden")
        .expect("forbidden finding");
    let (start, end) = (
        control["start"].as_u64().unwrap() as usize,
        control["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&BAD[start..end], control["text"].as_str().unwrap());
    assert!(BAD[start..end].contains("контроль"));
    assert_eq!(control["severity"], "error");
    assert_eq!(control["line"], 2);
    let column = control["column"].as_u64().unwrap() as usize;
    let line_start = BAD.find('\n').unwrap() + 1;
    assert_eq!(
        column,
        BAD[line_start..start].chars().count() + 1,
        "columns count characters"
    );
    for key in ["rule", "message", "end_line", "end_column", "suggestions"] {
        assert!(control.get(key).is_some(), "missing {key}");
    }
    let jargon = diagnostics
        .iter()
        .find(|d| d["category"] == "jargon")
        .expect("jargon finding");
    assert!(!jargon["suggestions"].as_array().unwrap().is_empty());
    assert!(json["summary"]["findings"].as_u64().unwrap() >= 2);
}

#[test]
fn exit_status_follows_the_threshold() {
    let clean = yasno(&["check", "-"], Some(CLEAN.as_bytes()));
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));
    let jargon_only = "Данный вопрос решён.\n";
    assert_eq!(
        yasno(&["check", "-"], Some(jargon_only.as_bytes()))
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        yasno(
            &["check", "--fail-on", "warning", "-"],
            Some(jargon_only.as_bytes())
        )
        .status
        .code(),
        Some(1)
    );
    assert_eq!(
        yasno(&["check", "--fail-on", "never", "-"], Some(BAD.as_bytes()))
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        yasno(
            &["check", "--ignore", "forbidden", "-"],
            Some(BAD.as_bytes())
        )
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn human_output_underlines_the_span_and_has_no_colour_in_a_pipe() {
    let out = yasno(
        &["check", "-", "--stdin-filename", "письмо.txt"],
        Some(BAD.as_bytes()),
    );
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains('\u{1b}'),
        "no ANSI codes when not a terminal"
    );
    assert!(stdout.contains("--> письмо.txt:2:1"), "{stdout}");
    assert!(stdout.contains("error[FB"), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("error[FB"))
        .unwrap();
    let at = header
        + lines[header..]
            .iter()
            .position(|l| l.ends_with("Ваше обращение взято на особый контроль."))
            .unwrap();
    let source = lines[at];
    let marks = lines[at + 1];
    let caret = marks.find('^').unwrap();
    // Both lines share the gutter; compare by characters, as a terminal shows them.
    let prefix_chars = marks[..caret].chars().count();
    let underlined: String = source
        .chars()
        .skip(prefix_chars)
        .take(marks.matches('^').count())
        .collect();
    assert!(
        underlined.contains("взято"),
        "underline under «{underlined}»"
    );
    assert!(stdout.contains("Замечаний:"));
}

#[test]
fn bad_input_gives_one_line_and_status_2() {
    let out = yasno(&["check", "/nonexistent/letter.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no such file"));

    let out = yasno(&["check", "-"], Some(b"\xff\xfe\x00b\x00i\x00n"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).lines().count(), 1);

    let out = yasno(&["check", "-"], Some(b"\xd0\xbf\xd1"));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("UTF-8"));

    let out = yasno(&["check", "--format", "yaml", "-"], Some(b""));
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn empty_input_is_fine() {
    let out = yasno(&["check", "-"], Some(b""));
    assert_eq!(out.status.code(), Some(0));
    let out = yasno(&["check", "--format", "json", "-"], Some(b"   \n\n"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["findings"], 0);
}

#[test]
fn markdown_code_and_link_targets_are_not_checked() {
    let md = "# Ответ\n\nСм. [форму](https://example.ru/v-celyah) и `в целях`.\n\n```\nв целях экономии\n```\n\nВ целях экономии мы отключим свет.\n";
    let out = yasno(
        &["check", "--format", "json", "-", "--stdin-filename", "a.md"],
        Some(md.as_bytes()),
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = json["files"][0]["diagnostics"].as_array().unwrap();
    let jargon: Vec<_> = diagnostics
        .iter()
        .filter(|d| d["category"] == "jargon")
        .collect();
    assert_eq!(jargon.len(), 1, "{diagnostics:?}");
    assert_eq!(jargon[0]["line"], 9);
}

#[test]
fn rules_and_explain() {
    let out = yasno(&["rules"], None);
    assert_eq!(out.status.code(), Some(0));
    let listing = text(&out.stdout);
    assert!(listing.lines().count() >= 10);
    let code = listing.split_whitespace().next().unwrap().to_string();
    let out = yasno(&["explain", &code], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("п."),
        "explanation cites the clause"
    );
    assert_eq!(yasno(&["explain", "XX999"], None).status.code(), Some(2));
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("yasno-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A project's own phrase rule: «в разрез с» → «вопреки», under `code` and `name`, citing `clause`.
fn local_rule(code: &str, name: &str, clause: &str) -> String {
    format!(
        r#"category = "jargon"
[[rule]]
code = "{code}"
name = "{name}"
title = "t"
message = "Штамп «{{found}}»"
explanation = "e"
clause = "{clause}"
good = ["Это по правилам."]
[[rule.phrase]]
pattern = "в разрез с"
suggest = ["вопреки"]
bad = ["Это идёт в разрез с правилами."]
"#
    )
}

#[test]
fn the_nearest_config_applies_with_its_rule_folders() {
    let dir = temp_dir("config");
    std::fs::create_dir_all(dir.join("letters/2026")).unwrap();
    std::fs::create_dir_all(dir.join("my-rules")).unwrap();
    std::fs::write(
        dir.join("yasno.toml"),
        "rule-dirs = [\"my-rules\"]\nignore = [\"FB\"]\nfail-on = \"warning\"\n[severity]\nJA501 = \"info\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("my-rules/local.toml"),
        local_rule("JA501", "local", "п. 1"),
    )
    .unwrap();
    let letter = dir.join("letters/2026/a.txt");
    std::fs::write(
        &letter,
        "Это идёт в разрез с правилами. Вопрос взят на контроль.\n",
    )
    .unwrap();
    let out = yasno(
        &["check", "--format", "json", letter.to_str().unwrap()],
        None,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        vec!["JA501"],
        "the local rule runs and FB is ignored"
    );
    assert_eq!(json["files"][0]["diagnostics"][0]["severity"], "info");
    assert_eq!(
        out.status.code(),
        Some(0),
        "info is below the config's fail-on warning"
    );
    let out = yasno(&["check", "--no-config", letter.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(1),
        "defaults: the отписка is an error"
    );
}

/// Two projects with their own rules in one run: each file's notes come from its own rules, SARIF
/// describes the rules of both, and the output is the same from run to run.
#[test]
fn files_under_different_configs_are_described_by_their_own_rules() {
    let dir = temp_dir("two-configs");
    for (project, clause) in [("a", "пункт проекта А"), ("b", "пункт проекта Б")]
    {
        let root = dir.join(project);
        std::fs::create_dir_all(root.join("rules")).unwrap();
        std::fs::write(root.join("yasno.toml"), "rule-dirs = [\"rules\"]\n").unwrap();
        let code = if project == "a" { "JA501" } else { "JA502" };
        std::fs::write(
            root.join("rules/local.toml"),
            local_rule(code, &format!("local-{project}"), clause),
        )
        .unwrap();
        std::fs::write(root.join("letter.txt"), "Это идёт в разрез с правилами.\n").unwrap();
    }
    let (a, b) = (dir.join("a/letter.txt"), dir.join("b/letter.txt"));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());

    let human = text(&yasno(&["check", "--format", "human", a, b], None).stdout);
    let note_a = human.find("пункт проекта А").expect("a's clause");
    let note_b = human.find("пункт проекта Б").expect("b's clause");
    assert!(note_a < note_b, "{human}");
    assert_eq!(human.matches("пункт проекта").count(), 2, "{human}");

    let sarif = yasno(&["check", "--format", "sarif", a, b], None).stdout;
    let log: serde_json::Value = serde_json::from_slice(&sarif).unwrap();
    let run = &log["runs"][0];
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"]
            .as_u64()
            .expect("every result has its rule") as usize;
        assert_eq!(ids[index], result["ruleId"].as_str().unwrap());
    }
    assert!(ids.contains(&"JA501") && ids.contains(&"JA502"), "{ids:?}");
    for _ in 0..4 {
        assert_eq!(
            yasno(&["check", "--format", "sarif", a, b], None).stdout,
            sarif
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_errors_name_file_line_and_key() {
    let dir = temp_dir("bad-config");
    std::fs::write(
        dir.join("yasno.toml"),
        "profile = \"external\"\nselekt = [\"JA\"]\n",
    )
    .unwrap();
    let letter = dir.join("a.txt");
    std::fs::write(&letter, "Текст.\n").unwrap();
    let out = yasno(&["check", letter.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("yasno.toml:2:") && stderr.contains("selekt"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn fix_rewrites_safe_replacements_and_diff_only_shows_them() {
    let dir = temp_dir("fix");
    let letter = dir.join("a.txt");
    let original = "В данном случае плата верна. В целях экономии свет отключат.\n";
    std::fs::write(&letter, original).unwrap();
    let out = yasno(
        &["check", "--no-config", "--diff", letter.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "a diff to apply");
    let diff = text(&out.stdout);
    assert!(diff.contains("+В этом случае"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&letter).unwrap(),
        original,
        "--diff writes nothing"
    );
    let out = yasno(
        &[
            "check",
            "--no-config",
            "--fix",
            "--format",
            "concise",
            letter.to_str().unwrap(),
        ],
        None,
    );
    let fixed = std::fs::read_to_string(&letter).unwrap();
    assert_eq!(
        fixed,
        "В этом случае плата верна. В целях экономии свет отключат.\n"
    );
    let remaining = text(&out.stdout);
    assert!(
        remaining.contains("JA013") || remaining.contains("в целях") || remaining.contains("JA0"),
        "{remaining}"
    );
    assert!(
        !remaining.contains("JA005"),
        "the fixed finding is gone: {remaining}"
    );
}

#[test]
fn concise_github_and_sarif_formats() {
    let out = yasno(
        &[
            "check",
            "--format",
            "concise",
            "-",
            "--stdin-filename",
            "l.txt",
        ],
        Some(BAD.as_bytes()),
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("l.txt:2:1: warning[JA")),
        "{stdout}"
    );
    let out = yasno(
        &[
            "check",
            "--format",
            "github",
            "-",
            "--stdin-filename",
            "l.txt",
        ],
        Some(BAD.as_bytes()),
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=l.txt,line=2,col=")),
        "{stdout}"
    );
    let out = yasno(
        &[
            "check",
            "--format",
            "sarif",
            "-",
            "--stdin-filename",
            "письмо 1.txt",
        ],
        Some(BAD.as_bytes()),
    );
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let result = &run["results"][0];
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    let descriptor = &run["tool"]["driver"]["rules"][index];
    assert_eq!(descriptor["id"], result["ruleId"]);
    // The rule's help is its documentation: the text of `yasno explain`, and the Markdown of hover.
    let code = descriptor["id"].as_str().unwrap();
    let explained = yasno(&["explain", code], None).stdout;
    assert_eq!(
        descriptor["help"]["text"].as_str().unwrap().as_bytes(),
        explained
    );
    assert!(
        descriptor["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with(&format!("**{code} ("))
    );
    let region = &result["locations"][0]["physicalLocation"]["region"];
    let (offset, length) = (
        region["byteOffset"].as_u64().unwrap() as usize,
        region["byteLength"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &BAD[offset..offset + length],
        region["snippet"]["text"].as_str().unwrap()
    );
    assert!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("%D0%BF")
    );
}

#[test]
fn windows_1251_and_utf16_letters_are_read_and_the_encoding_is_named() {
    // «Данный вопрос решён.» in Windows-1251.
    let cp1251: &[u8] =
        b"\xc4\xe0\xed\xed\xfb\xe9 \xe2\xee\xef\xf0\xee\xf1 \xf0\xe5\xf8\xb8\xed.\n";
    let out = yasno(&["check", "--format", "json", "-"], Some(cp1251));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["encoding"], "windows-1251");
    assert_eq!(json["files"][0]["diagnostics"][0]["text"], "Данный");
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "Данный вопрос решён.\r\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let out = yasno(&["check", "--format", "json", "-"], Some(&utf16));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["encoding"], "UTF-16LE");
    assert_eq!(json["files"][0]["diagnostics"][0]["rule"], "JA005");
}

#[test]
fn fix_keeps_a_bom_and_writes_other_encodings_back_in_their_own() {
    let dir = temp_dir("fix-encodings");
    let with_bom = dir.join("bom.txt");
    std::fs::write(&with_bom, "\u{FEFF}В данном случае плата верна.\n").unwrap();
    yasno(
        &["check", "--no-config", "--fix", with_bom.to_str().unwrap()],
        None,
    );
    assert_eq!(
        std::fs::read_to_string(&with_bom).unwrap(),
        "\u{FEFF}В этом случае плата верна.\n"
    );
    // «Данный вопрос решён.» in Windows-1251: fixed in Windows-1251, never rewritten as UTF-8.
    let cp1251: &[u8] =
        b"\xc4\xe0\xed\xed\xfb\xe9 \xe2\xee\xef\xf0\xee\xf1 \xf0\xe5\xf8\xb8\xed.\n";
    let legacy = dir.join("cp1251.txt");
    std::fs::write(&legacy, cp1251).unwrap();
    let out = yasno(
        &["check", "--no-config", "--fix", legacy.to_str().unwrap()],
        None,
    );
    assert_eq!(
        std::fs::read(&legacy).unwrap(),
        b"\xdd\xf2\xee\xf2 \xe2\xee\xef\xf0\xee\xf1 \xf0\xe5\xf8\xb8\xed.\n",
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn quoted_globs_are_expanded() {
    let dir = temp_dir("glob");
    std::fs::create_dir_all(dir.join("a/b")).unwrap();
    std::fs::write(dir.join("a/one.txt"), "Данный вопрос решён.\n").unwrap();
    std::fs::write(dir.join("a/b/two.txt"), "Данный вопрос решён.\n").unwrap();
    std::fs::write(dir.join("a/b/skip.md"), "Данный вопрос решён.\n").unwrap();
    let pattern = format!("{}/**/*.txt", dir.display());
    let out = yasno(
        &["check", "--no-config", "--format", "json", &pattern],
        None,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 2);
}

/// `yasno check letters/ | head`: once standard output is closed the files left are not checked
/// (the last one here is binary, and its error never comes), and the run ends without a panic or
/// a message, with the status of what was checked.
#[test]
fn a_closed_standard_output_stops_the_run_quietly() {
    let dir = temp_dir("closed-stdout");
    for n in 0..400 {
        std::fs::write(dir.join(format!("letter{n:03}.txt")), BAD).unwrap();
    }
    std::fs::write(dir.join("zz-binary.txt"), b"\x00\x01\x02binary\x00").unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let check_into = |stdout: Stdio| {
        Command::new(env!("CARGO_BIN_EXE_yasno"))
            .args(["check", "--no-config", "--format", "json"])
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    let out = check_into(writer.into());
    assert_eq!(text(&out.stderr), "");
    assert_eq!(
        out.status.code(),
        Some(1),
        "errors were found in what was checked"
    );

    // A full disk is an error: the report is incomplete. One line says so, and the status is 2.
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = check_into(full.into());
        assert_eq!(
            text(&out.stderr),
            "yasno: error: cannot write the report to standard output: No space left on device (os error 28)\n"
        );
        assert_eq!(out.status.code(), Some(2));
        for command in [&["rules"][..], &["explain", "JA013"]] {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let out = Command::new(env!("CARGO_BIN_EXE_yasno"))
                .args(command)
                .stdout(full)
                .stderr(Stdio::piped())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{command:?}");
        }
    }

    // With a reader, the same folder is checked to the end.
    let out = yasno(
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            dir.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        text(&out.stderr).contains("zz-binary.txt"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Files are checked in parallel and written as each is done, yet the output keeps the input
/// order in every format, and JSON and SARIF stay one document, with no files as with many.
#[test]
fn many_files_are_written_in_input_order_as_one_document() {
    let dir = temp_dir("many-files");
    let names: Vec<String> = (0..60).map(|n| format!("letter{n:02}.txt")).collect();
    for (n, name) in names.iter().enumerate() {
        let text = if n % 3 == 0 { CLEAN } else { BAD };
        std::fs::write(dir.join(name), text).unwrap();
    }
    let folder = dir.to_str().unwrap();
    let paths: Vec<String> = names
        .iter()
        .map(|name| dir.join(name).display().to_string())
        .collect();

    let document = |format: &str, folder: &str| -> serde_json::Value {
        let out = yasno(&["check", "--no-config", "--format", format, folder], None);
        serde_json::from_slice(&out.stdout).expect("one JSON document")
    };
    let json = document("json", folder);
    let listed: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap())
        .collect();
    assert_eq!(listed, paths);
    assert_eq!(json["summary"]["files"], 60);

    let concise = text(
        &yasno(
            &["check", "--no-config", "--format", "concise", folder],
            None,
        )
        .stdout,
    );
    let mut seen: Vec<&str> = concise
        .lines()
        .filter_map(|line| line.split(':').next().filter(|path| path.ends_with(".txt")))
        .collect();
    seen.dedup();
    let with_findings: Vec<&str> = paths
        .iter()
        .enumerate()
        .filter(|(n, _)| n % 3 != 0)
        .map(|(_, path)| path.as_str())
        .collect();
    assert_eq!(seen, with_findings);

    let sarif = document("sarif", folder);
    let mut uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            let location = &result["locations"][0]["physicalLocation"];
            location["artifactLocation"]["uri"].as_str().unwrap()
        })
        .collect();
    uris.dedup();
    let file_names: Vec<&str> = uris
        .iter()
        .map(|uri| uri.rsplit('/').next().unwrap())
        .collect();
    let expected: Vec<&str> = with_findings
        .iter()
        .map(|path| path.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(file_names, expected);

    let empty = temp_dir("no-letters");
    let empty = empty.to_str().unwrap();
    let json = document("json", empty);
    assert_eq!(json["files"], serde_json::json!([]));
    assert_eq!(json["summary"]["files"], 0);
    let sarif = document("sarif", empty);
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

/// A config path that is not a small regular file (a device, a huge file) is refused at once with
/// one line, instead of being read until memory runs out.
#[test]
fn a_config_that_is_a_device_or_huge_is_refused() {
    let dir = temp_dir("config-limits");
    let huge = dir.join("huge.toml");
    std::fs::write(&huge, "#".repeat(5 * 1024 * 1024)).unwrap();
    for config in ["/dev/zero", huge.to_str().unwrap()] {
        let out = yasno(
            &[
                "check",
                "--config",
                config,
                "--stdin-filename",
                "a.txt",
                "-",
            ],
            Some(CLEAN.as_bytes()),
        );
        assert_eq!(out.status.code(), Some(2), "{config}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("not a regular file") || stderr.contains("larger than 4 MiB"),
            "{stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
