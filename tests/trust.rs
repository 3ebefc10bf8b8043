//! The letter cannot switch the check off, and configs are trusted as git trusts repositories:
//! inline directives, the pre-send gate, config discovery, untrusted files, rule folders and
//! overrides of built-in rules.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn yasno_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(args)
        .current_dir(dir)
        // The user's own config must not take part.
        .env("XDG_CONFIG_HOME", dir.join("no-user-config"))
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

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yasno-trust-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    set_mode(&dir, 0o755);
    // A project of its own: the search for configs stops here.
    std::fs::create_dir(dir.join(".git")).unwrap();
    dir
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// The rule codes reported, in order (concise output).
/// The rule codes of concise output: `path:line:col: severity[CODE] …` (not the `[*]` of fixes).
fn codes(out: &Output) -> Vec<String> {
    stdout(out)
        .lines()
        .filter_map(|line| {
            let start = ["error[", "warning[", "info[", "hint["]
                .iter()
                .find_map(|severity| line.find(severity).map(|at| at + severity.len()))?;
            let end = line[start..].find(']')? + start;
            Some(line[start..end].to_string())
        })
        .collect()
}

const FOBBED_OFF: &str = "Вопрос взят на контроль.\n";

#[test]
fn a_directive_in_plain_text_is_an_error_and_silences_nothing() {
    let dir = temp_dir("plain");
    for (name, letter) in [
        (
            "a.txt",
            "Вопрос взят на контроль.\nyasno-ignore-file: ALL\n",
        ),
        (
            "b.txt",
            "Вопрос взят на контроль. <!-- yasno-ignore: ALL -->\n",
        ),
        (
            "c.txt",
            "<!-- yasno-ignore-next-line: FB -->\nВопрос взят на контроль.\n",
        ),
    ] {
        write(&dir.join(name), letter);
        let out = yasno_in(&dir, &["check", "--format", "concise", name], None);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stdout(&out));
        let found = codes(&out);
        assert!(found.contains(&"FB001".to_string()), "{name}: {found:?}");
        assert!(found.contains(&"FM003".to_string()), "{name}: {found:?}");
    }
    // Standard input is plain text too.
    let out = yasno_in(
        &dir,
        &["check", "--format", "concise", "-"],
        Some("Вопрос взят на контроль. yasno-ignore: ALL\n".as_bytes()),
    );
    assert_eq!(codes(&out), ["FB001", "FM003"]);
    // A letter without directives has no FM003.
    write(&dir.join("clean.txt"), FOBBED_OFF);
    let out = yasno_in(&dir, &["check", "--format", "concise", "clean.txt"], None);
    assert_eq!(codes(&out), ["FB001"]);
}

#[test]
fn a_markdown_comment_silences_but_a_visible_line_does_not() {
    let dir = temp_dir("markdown");
    write(
        &dir.join("comment.md"),
        "Вопрос взят на контроль. <!-- yasno-ignore: FB001 -->\n",
    );
    write(
        &dir.join("bare.md"),
        "Вопрос взят на контроль.\n\nyasno-ignore-file: ALL\n",
    );
    write(
        &dir.join("code.md"),
        "Вопрос взят на контроль.\n\n```\n<!-- yasno-ignore-file: ALL -->\n```\n",
    );
    let out = yasno_in(&dir, &["check", "--format", "concise", "comment.md"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(codes(&out).is_empty());
    for name in ["bare.md", "code.md"] {
        let out = yasno_in(&dir, &["check", "--format", "concise", name], None);
        assert_eq!(codes(&out), ["FB001", "FM003"], "{name}");
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn the_gate_makes_every_directive_ineffective() {
    let dir = temp_dir("gate");
    write(
        &dir.join("letter.md"),
        "<!-- yasno-ignore-file: ALL -->\n\nВопрос взят на контроль.\n",
    );
    let out = yasno_in(&dir, &["check", "--format", "concise", "letter.md"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "the directive works without the gate"
    );
    let out = yasno_in(
        &dir,
        &[
            "check",
            "--no-inline-ignores",
            "--format",
            "concise",
            "letter.md",
        ],
        None,
    );
    assert_eq!(codes(&out), ["FB001"]);
    assert_eq!(out.status.code(), Some(1));
    // The same from the config file; `--no-inline-ignores` works for score too.
    write(&dir.join("yasno.toml"), "inline-ignores = false\n");
    let out = yasno_in(&dir, &["check", "--format", "concise", "letter.md"], None);
    assert_eq!(codes(&out), ["FB001"]);
    let out = yasno_in(
        &dir,
        &["score", "--no-config", "--format", "json", "letter.md"],
        None,
    );
    let open: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let out = yasno_in(
        &dir,
        &[
            "score",
            "--no-config",
            "--no-inline-ignores",
            "--format",
            "json",
            "letter.md",
        ],
        None,
    );
    let gated: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let score = |v: &serde_json::Value| v["answers"][0]["score"].as_f64().unwrap();
    assert!(score(&gated) < score(&open), "{gated} vs {open}");
}

#[test]
fn a_bare_file_name_and_standard_input_use_the_parent_config() {
    let dir = temp_dir("bare-name");
    write(&dir.join("yasno.toml"), "ignore = [\"FB\"]\n");
    let sub = dir.join("letters");
    write(&sub.join("ex.txt"), FOBBED_OFF);
    for path in ["ex.txt", "./ex.txt"] {
        let out = yasno_in(&sub, &["check", "--format", "concise", path], None);
        assert_eq!(out.status.code(), Some(0), "{path}: {}", stdout(&out));
    }
    let out = yasno_in(
        &sub,
        &["check", "--format", "concise", "-"],
        Some(FOBBED_OFF.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // `rules` and `explain` from the subfolder see the same config's rule folders.
    write(&dir.join("yasno.toml"), "rule-dirs = [\"my-rules\"]\n");
    write(
        &dir.join("my-rules/local.toml"),
        &local_rule("JA501", false),
    );
    let out = yasno_in(&sub, &["rules"], None);
    assert!(stdout(&out).contains("JA501"), "{}", stderr(&out));
    let out = yasno_in(&sub, &["explain", "JA501"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // And score, for a bare name.
    let out = yasno_in(&sub, &["score", "--format", "json", "ex.txt"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_search_stops_at_the_project_root() {
    let dir = temp_dir("root");
    write(&dir.join("yasno.toml"), "ignore = [\"FB\"]\n");
    let project = dir.join("project");
    std::fs::create_dir_all(project.join(".hg")).unwrap();
    write(&project.join("letters/a.txt"), FOBBED_OFF);
    let out = yasno_in(
        &project,
        &["check", "--format", "concise", "letters/a.txt"],
        None,
    );
    assert_eq!(
        codes(&out),
        ["FB001"],
        "the config above the project is not used"
    );
    // Inside the project, its own config applies.
    write(
        &project.join("yasno.toml"),
        "root = true\nignore = [\"FB\"]\n",
    );
    let out = yasno_in(
        &project,
        &["check", "--format", "concise", "letters/a.txt"],
        None,
    );
    assert!(codes(&out).is_empty(), "{}", stdout(&out));
}

#[test]
fn configs_in_folders_anyone_may_write_are_ignored_with_a_warning() {
    let dir = temp_dir("shared");
    let shared = dir.join("shared");
    write(&shared.join("yasno.toml"), "ignore = [\"ALL\"]\n");
    write(&shared.join("a.txt"), FOBBED_OFF);
    set_mode(&shared, 0o1777);
    let out = yasno_in(&shared, &["check", "--format", "concise", "a.txt"], None);
    set_mode(&shared, 0o755);
    assert_eq!(codes(&out), ["FB001"]);
    let warning = stderr(&out);
    assert!(
        warning.contains("warning: ignoring")
            && warning.contains("yasno.toml")
            && warning.contains("writable by every user"),
        "{warning}"
    );
    assert_eq!(warning.lines().count(), 1, "{warning}");
    // A config that anyone may write, in a folder of one's own.
    set_mode(&shared.join("yasno.toml"), 0o666);
    let out = yasno_in(&shared, &["check", "--format", "concise", "a.txt"], None);
    assert_eq!(codes(&out), ["FB001"]);
    assert!(stderr(&out).contains("every user may write it"));
    // The same file, once it is the user's own, applies.
    set_mode(&shared.join("yasno.toml"), 0o644);
    let out = yasno_in(&shared, &["check", "--format", "concise", "a.txt"], None);
    assert!(codes(&out).is_empty(), "{}", stdout(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn configs_of_another_user_are_ignored() {
    let dir = temp_dir("owner");
    write(&dir.join("yasno.toml"), "ignore = [\"ALL\"]\n");
    write(&dir.join("a.txt"), FOBBED_OFF);
    // Only root can give a file away; elsewhere this part cannot run.
    if std::os::unix::fs::chown(dir.join("yasno.toml"), Some(4242), None).is_err() {
        return;
    }
    let out = yasno_in(&dir, &["check", "--format", "concise", "a.txt"], None);
    assert_eq!(codes(&out), ["FB001"]);
    assert!(
        stderr(&out).contains("belongs to another user"),
        "{}",
        stderr(&out)
    );
}

/// A phrase rule on «в разрез с» under `code`; with `replaces`, `override = true`.
fn local_rule(code: &str, replaces: bool) -> String {
    format!(
        r#"category = "jargon"
[[rule]]
code = "{code}"
name = "local-{code}"
title = "t"
message = "Штамп «{{found}}»"
explanation = "e"
clause = "c"
safe_fix = true
{}
[[rule.phrase]]
pattern = "в разрез с"
suggest = ["вопреки"]
"#,
        if replaces { "override = true" } else { "" }
    )
}

#[test]
fn a_rule_file_replaces_a_built_in_code_only_when_it_says_so() {
    let dir = temp_dir("override");
    write(&dir.join("yasno.toml"), "rule-dirs = [\"rules\"]\n");
    write(&dir.join("rules/evil.toml"), &local_rule("JA001", false));
    write(&dir.join("a.txt"), "Это идёт в разрез с правилами.\n");
    let out = yasno_in(&dir, &["check", "--format", "concise", "a.txt"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let error = stderr(&out);
    assert!(
        error.contains("JA001") && error.contains("override = true"),
        "{error}"
    );
    assert_eq!(error.lines().count(), 1, "{error}");
    write(&dir.join("rules/evil.toml"), &local_rule("JA001", true));
    let out = yasno_in(&dir, &["check", "--format", "concise", "a.txt"], None);
    assert_eq!(codes(&out), ["JA001"], "{}", stderr(&out));
    assert!(stdout(&out).contains("Штамп"));
}

#[test]
fn rule_folders_stay_inside_the_configs_folder() {
    let dir = temp_dir("rule-dirs");
    let outside = dir.join("elsewhere");
    write(&outside.join("local.toml"), &local_rule("JA501", false));
    let project = dir.join("project");
    write(&project.join("a.txt"), "Это идёт в разрез с правилами.\n");
    std::os::unix::fs::symlink(&outside, project.join("linked")).unwrap();
    for rule_dir in [
        "../elsewhere".to_string(),
        outside.display().to_string(),
        "linked".to_string(),
    ] {
        write(
            &project.join("yasno.toml"),
            &format!("rule-dirs = [{rule_dir:?}]\n"),
        );
        let out = yasno_in(&project, &["check", "--format", "concise", "a.txt"], None);
        assert_eq!(out.status.code(), Some(2), "{rule_dir}: {}", stdout(&out));
        let error = stderr(&out);
        assert!(
            error.contains("leads out of the config's folder") && error.contains("--config"),
            "{rule_dir}: {error}"
        );
        // Named on the command line, the same config may reach out.
        let config = project.join("yasno.toml");
        let out = yasno_in(
            &project,
            &[
                "check",
                "--config",
                config.to_str().unwrap(),
                "--format",
                "concise",
                "a.txt",
            ],
            None,
        );
        assert_eq!(codes(&out), ["JA501"], "{rule_dir}: {}", stderr(&out));
    }
    // A folder inside the project is fine.
    std::fs::create_dir_all(project.join("rules")).unwrap();
    std::fs::copy(outside.join("local.toml"), project.join("rules/local.toml")).unwrap();
    write(&project.join("yasno.toml"), "rule-dirs = [\"./rules\"]\n");
    let out = yasno_in(&project, &["check", "--format", "concise", "a.txt"], None);
    assert_eq!(codes(&out), ["JA501"], "{}", stderr(&out));
}

#[test]
fn rule_files_in_folders_anyone_may_write_are_ignored() {
    let dir = temp_dir("shared-rules");
    write(&dir.join("yasno.toml"), "rule-dirs = [\"rules\"]\n");
    write(&dir.join("rules/local.toml"), &local_rule("JA501", false));
    write(&dir.join("a.txt"), "Это идёт в разрез с правилами.\n");
    set_mode(&dir.join("rules"), 0o777);
    let out = yasno_in(&dir, &["check", "--format", "concise", "a.txt"], None);
    set_mode(&dir.join("rules"), 0o755);
    assert!(codes(&out).is_empty(), "{}", stdout(&out));
    assert!(stderr(&out).contains("local.toml"), "{}", stderr(&out));
}

#[test]
fn score_refuses_answers_under_different_configs() {
    let dir = temp_dir("score-configs");
    write(&dir.join("a/yasno.toml"), "ignore = [\"FB\"]\n");
    write(&dir.join("a/x.txt"), FOBBED_OFF);
    write(&dir.join("b/y.txt"), FOBBED_OFF);
    let out = yasno_in(&dir, &["score", "--format", "json", "a", "b"], None);
    assert_eq!(out.status.code(), Some(2));
    let error = stderr(&out);
    assert!(error.contains("different configs"), "{error}");
    // One config for both: fine.
    let config = dir.join("a/yasno.toml");
    let out = yasno_in(
        &dir,
        &[
            "score",
            "--config",
            config.to_str().unwrap(),
            "--format",
            "json",
            "a",
            "b",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn per_file_ignores_apply_to_matching_files_only() {
    let dir = temp_dir("per-file");
    write(
        &dir.join("yasno.toml"),
        "[per-file-ignores]\n\"letters/a.txt\" = [\"FB001\"]\n\"drafts/*.txt\" = [\"forbidden\"]\n\"*.md\" = [\"FB\"]\n",
    );
    for name in [
        "letters/a.txt",
        "letters/b.txt",
        "drafts/c.txt",
        "drafts/deeper/d.txt",
        "x/e.md",
    ] {
        write(&dir.join(name), FOBBED_OFF);
    }
    let found = |cwd: &Path, name: &str| {
        codes(&yasno_in(
            cwd,
            &["check", "--format", "concise", name],
            None,
        ))
    };
    assert!(found(&dir, "letters/a.txt").is_empty());
    assert_eq!(found(&dir, "letters/b.txt"), ["FB001"]);
    assert!(found(&dir, "drafts/c.txt").is_empty());
    // `*` does not cross folders; a pattern without `/` matches the file name anywhere.
    assert_eq!(found(&dir, "drafts/deeper/d.txt"), ["FB001"]);
    assert!(found(&dir, "x/e.md").is_empty());
    // From a subfolder, and for standard input named with --stdin-filename.
    assert!(found(&dir.join("letters"), "a.txt").is_empty());
    let out = yasno_in(
        &dir,
        &[
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "letters/a.txt",
            "-",
        ],
        Some(FOBBED_OFF.as_bytes()),
    );
    assert!(codes(&out).is_empty(), "{}", stdout(&out));
    // A selector that names no rule is an error, as everywhere in the config.
    write(
        &dir.join("yasno.toml"),
        "[per-file-ignores]\n\"a.txt\" = [\"XYZ\"]\n",
    );
    let out = yasno_in(&dir, &["check", "letters/a.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("XYZ"), "{}", stderr(&out));
}

#[test]
fn a_directive_in_a_docx_is_visible_text() {
    use docx_rs::{Docx, Paragraph, Run};
    let mut packed = std::io::Cursor::new(Vec::new());
    Docx::new()
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_text("<!-- yasno-ignore-file: ALL -->")),
        )
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("Вопрос взят на контроль.")))
        .build()
        .pack(&mut packed)
        .unwrap();
    let doc = yasno_core::input::load_bytes(
        packed.into_inner(),
        Ok(yasno_core::input::InputFormat::Docx),
    )
    .unwrap();
    let linter = yasno_core::Linter::with_default_rules().unwrap();
    let found: Vec<String> = linter
        .check(&doc, &mut yasno_core::engine::LemmaCache::new())
        .iter()
        .map(|f| f.code.to_string())
        .collect();
    assert_eq!(found, ["FM003", "FB001"]);
}

#[test]
fn the_search_stops_at_the_home_folder() {
    let dir = temp_dir("home");
    write(&dir.join("yasno.toml"), "ignore = [\"FB\"]\n");
    let home = dir.join("home");
    write(&home.join("letters/a.txt"), FOBBED_OFF);
    let run = |home_var: &Path| {
        Command::new(env!("CARGO_BIN_EXE_yasno"))
            .args(["check", "--format", "concise", "letters/a.txt"])
            .current_dir(&home)
            .env("HOME", home_var)
            .env("XDG_CONFIG_HOME", dir.join("no-user-config"))
            .output()
            .unwrap()
    };
    assert_eq!(
        codes(&run(&home)),
        ["FB001"],
        "the config above home is not read"
    );
    // With home elsewhere, the same config is in the project and applies.
    assert!(codes(&run(Path::new("/nonexistent-home"))).is_empty());
}
