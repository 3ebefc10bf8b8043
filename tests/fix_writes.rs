//! `yasno check --fix` never loses or corrupts a letter: the file is replaced atomically (a kill or
//! a full disk leaves the original), in its own encoding with its byte order mark and line ends, only
//! if it is still what was read; a Word document is never rewritten whatever its name; a file given
//! twice is fixed once; `--fix -` always prints the text; a Markdown fix never reaches into markup.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use yasno_core::engine::LemmaCache;
use yasno_core::finding::Applicability;
use yasno_core::input::{self, InputFormat};
use yasno_core::{Linter, fix};

fn yasno_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .current_dir(dir)
        .args(args)
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

fn fix_in(dir: &Path, files: &[&str]) -> Output {
    let mut args = vec!["check", "--no-config", "--fix", "--format", "concise"];
    args.extend(files);
    yasno_in(dir, &args, None)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yasno-fix-writes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names in `dir` other than `keep`: a temporary file left behind shows here.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !keep.contains(&name.as_str()))
        .collect();
    names.sort();
    names
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Two safe fixes today («В данном случае» → «В этом случае», «В настоящее время» → «Сейчас»),
/// CRLF line ends.
const LETTER: &str = "Уважаемая Анна Сергеевна!\r\nВ данном случае плата верна.\r\nВ настоящее время долг погашен.\r\n";

/// `text` with the fixes the core marks safe applied: what `--fix` must write, whichever fixes
/// the rules make safe. These tests are about how it is written, not which fixes are made.
fn fixed(text: &str, format: InputFormat) -> String {
    safe_fixes(text, format).0
}

/// The fixed text and the number of fixes.
fn safe_fixes(text: &str, format: InputFormat) -> (String, usize) {
    let linter = Linter::from_config(yasno_core::config::Config::default()).unwrap();
    let document = input::document(text.to_string(), format);
    let findings = linter.check(&document, &mut LemmaCache::new());
    let (fixed, applied) = fix::apply_safe_fixes(text, &findings);
    assert!(applied > 0, "no safe fix in {text:?}: the test needs one");
    (fixed, applied)
}

fn fixed_letter() -> String {
    fixed(LETTER, InputFormat::Text)
}

/// What `--fix` says after fixing LETTER `times` times.
fn fixed_message(times: usize) -> String {
    format!(
        "yasno: fixed {} finding(s)",
        times * safe_fixes(LETTER, InputFormat::Text).1
    )
}

fn with_bom(text: &str) -> Vec<u8> {
    [BOM, text.as_bytes()].concat()
}

/// A letter of about `bytes` bytes made of the project's bad letters, with a BOM and CRLF ends.
fn large_letter(bytes: usize) -> Vec<u8> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/letters/bad");
    let mut letters: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    letters.sort();
    let mut one = String::new();
    for letter in letters {
        one.push_str(
            &std::fs::read_to_string(letter)
                .unwrap()
                .replace('\n', "\r\n"),
        );
        one.push_str("\r\n");
    }
    let mut out = BOM.to_vec();
    while out.len() < bytes {
        out.extend_from_slice(one.as_bytes());
    }
    out
}

#[test]
fn a_bom_and_crlf_letter_is_fixed_byte_for_byte_outside_the_fixes() {
    let dir = temp_dir("bom-crlf");
    std::fs::write(dir.join("a.txt"), with_bom(LETTER)).unwrap();
    let out = fix_in(&dir, &["a.txt"]);
    let written = std::fs::read(dir.join("a.txt")).unwrap();
    assert_eq!(written, with_bom(&fixed_letter()));
    assert!(stderr(&out).contains(&fixed_message(1)), "{}", stderr(&out));
    assert_eq!(others(&dir, &["a.txt"]), Vec::<String>::new());
    // Outside the fixes, byte for byte: the mark, the greeting, every CRLF.
    let written = String::from_utf8(written).unwrap();
    assert!(written.starts_with("\u{FEFF}Уважаемая Анна Сергеевна!\r\n"));
    assert_eq!(written.matches("\r\n").count(), 3);
    assert_eq!(written.matches('\n').count(), 3);
    assert_ne!(written[3..], *LETTER);
}

#[cfg(unix)]
#[test]
fn the_mode_of_a_fixed_letter_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("mode");
    let letter = dir.join("a.txt");
    std::fs::write(&letter, LETTER).unwrap();
    std::fs::set_permissions(&letter, std::fs::Permissions::from_mode(0o640)).unwrap();
    fix_in(&dir, &["a.txt"]);
    assert_eq!(std::fs::read_to_string(&letter).unwrap(), fixed_letter());
    let mode = std::fs::metadata(&letter).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn windows_1251_and_utf16_letters_are_fixed_in_their_own_encoding() {
    let dir = temp_dir("encodings");
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(LETTER);
    std::fs::write(dir.join("cp1251.txt"), &cp1251).unwrap();
    let utf16 = |text: &str, little: bool| -> Vec<u8> {
        let mut out = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in text.encode_utf16() {
            out.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    };
    std::fs::write(dir.join("le.txt"), utf16(LETTER, true)).unwrap();
    std::fs::write(dir.join("be.txt"), utf16(LETTER, false)).unwrap();
    let out = fix_in(&dir, &["cp1251.txt", "le.txt", "be.txt"]);
    assert!(stderr(&out).contains(&fixed_message(3)), "{}", stderr(&out));
    let fixed_text = fixed_letter();
    let (fixed_cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&fixed_text);
    assert_eq!(
        std::fs::read(dir.join("cp1251.txt")).unwrap(),
        &*fixed_cp1251
    );
    assert_eq!(
        std::fs::read(dir.join("le.txt")).unwrap(),
        utf16(&fixed_letter(), true)
    );
    assert_eq!(
        std::fs::read(dir.join("be.txt")).unwrap(),
        utf16(&fixed_letter(), false)
    );
}

#[test]
fn a_text_that_would_not_be_written_back_the_same_is_not_fixed() {
    // Two UTF-16 byte order marks: decoding drops the second, so writing back would lose it.
    let mut twice = vec![0xFF, 0xFE, 0xFF, 0xFE];
    for unit in LETTER.encode_utf16() {
        twice.extend(unit.to_le_bytes());
    }
    let loaded = input::load_for_writing(twice, Ok(InputFormat::Text)).unwrap();
    assert_eq!(
        loaded.storage,
        Err(input::NotWritable::NotReversible("UTF-16LE"))
    );
    // A character Windows-1251 has no code for cannot be written back into it.
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(LETTER);
    let loaded = input::load_for_writing(cp1251.into_owned(), Ok(InputFormat::Text)).unwrap();
    let storage = loaded.storage.unwrap();
    assert_eq!(storage.name(), "windows-1251");
    assert!(storage.encode("Сейчас ✓").is_none());
    assert!(storage.encode("Сейчас — №5 «да»").is_some());
}

fn word_document(text: &str) -> Vec<u8> {
    let mut docx = docx_rs::Docx::new();
    for line in text.lines() {
        docx = docx.add_paragraph(
            docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text(line.trim_end())),
        );
    }
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).unwrap();
    buf.into_inner()
}

#[test]
fn a_word_document_is_never_rewritten_whatever_its_name() {
    let dir = temp_dir("docx-named-txt");
    let docx = word_document(LETTER);
    for name in ["letter.txt", "letter", "letter.md"] {
        std::fs::write(dir.join(name), &docx).unwrap();
        let out = fix_in(&dir, &[name]);
        assert_eq!(
            std::fs::read(dir.join(name)).unwrap(),
            docx,
            "{name} was rewritten"
        );
        let err = stderr(&out);
        assert!(
            err.contains("not fixed") && err.contains("Word"),
            "{name}: {err}"
        );
        // It is still checked, as the Word document it is.
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("JA"),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // Nor through standard input: the bytes come out as they went in.
    let out = yasno_in(
        &dir,
        &[
            "check",
            "--no-config",
            "--fix",
            "-",
            "--stdin-filename",
            "a.txt",
        ],
        Some(&docx),
    );
    assert_eq!(out.stdout, docx);
}

#[test]
fn the_same_file_twice_is_read_and_fixed_once() {
    let dir = temp_dir("twice");
    std::fs::write(dir.join("a.txt"), with_bom(LETTER)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("a.txt", dir.join("link.txt")).unwrap();
    std::fs::hard_link(dir.join("a.txt"), dir.join("hard.txt")).unwrap();
    let mut names = vec!["a.txt", "a.txt", "./a.txt", "hard.txt"];
    if cfg!(unix) {
        names.push("link.txt");
    }
    let mut args = vec!["check", "--no-config", "--fix", "--format", "json"];
    args.extend(&names);
    let out = yasno_in(&dir, &args, None);
    assert_eq!(
        std::fs::read(dir.join("a.txt")).unwrap(),
        with_bom(&fixed_letter())
    );
    let err = stderr(&out);
    assert!(err.contains(&fixed_message(1)), "{err}");
    // Checked once: one file in the report.
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"].as_array().unwrap().len(), 1, "{report}");
}

#[test]
fn two_runs_at_once_leave_the_letter_fixed_and_whole() {
    let dir = temp_dir("concurrent");
    let letter = large_letter(500_000);
    let expected = {
        std::fs::write(dir.join("a.txt"), &letter).unwrap();
        fix_in(&dir, &["a.txt"]);
        std::fs::read(dir.join("a.txt")).unwrap()
    };
    assert_ne!(expected, letter);
    for _ in 0..4 {
        std::fs::write(dir.join("a.txt"), &letter).unwrap();
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_yasno"))
                .current_dir(&dir)
                .args([
                    "check",
                    "--no-config",
                    "--fix",
                    "--format",
                    "concise",
                    "a.txt",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (spawn(), spawn());
        let (first, second) = (
            first.wait_with_output().unwrap(),
            second.wait_with_output().unwrap(),
        );
        let now = std::fs::read(dir.join("a.txt")).unwrap();
        assert!(
            now == expected,
            "the letter is neither fixed nor whole ({} bytes): {} / {}",
            now.len(),
            stderr(&first),
            stderr(&second)
        );
        assert_eq!(others(&dir, &["a.txt"]), Vec::<String>::new());
    }
}

/// Timed by the bytes the run has read, which Linux shows in `/proc/PID/io`.
#[cfg(target_os = "linux")]
#[test]
fn a_file_changed_on_disk_during_the_check_is_not_overwritten() {
    let dir = temp_dir("changed");
    let letter = large_letter(3_000_000);
    std::fs::write(dir.join("a.txt"), &letter).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .current_dir(&dir)
        .args([
            "check",
            "--no-config",
            "--fix",
            "--format",
            "concise",
            "a.txt",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once the letter is read (the process has read its bytes), an editor saves a new version.
    let io = format!("/proc/{}/io", child.id());
    let deadline = Instant::now() + Duration::from_secs(60);
    let read_bytes = || -> Option<usize> {
        std::fs::read_to_string(&io)
            .ok()?
            .lines()
            .find_map(|line| line.strip_prefix("rchar: "))?
            .trim()
            .parse()
            .ok()
    };
    assert!(read_bytes().is_some(), "{io} cannot be read");
    while read_bytes().is_some_and(|n| n < letter.len()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    let saved = "Уважаемая Анна Сергеевна!\nНовый текст, сохранённый в редакторе.\n";
    std::fs::write(dir.join("a.txt"), saved).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("a.txt")).unwrap(), saved);
    let err = stderr(&out);
    assert!(err.contains("changed on disk"), "{err}");
    assert_eq!(others(&dir, &["a.txt"]), Vec::<String>::new());
}

/// A run killed at any moment leaves the letter as it was or exactly as fully fixed: never cut
/// short. Half of the kills land at random moments, half the moment a write is seen to begin
/// (the letter's size changes, or a file appears beside it).
#[cfg(unix)]
#[test]
fn a_kill_at_any_moment_leaves_the_letter_whole() {
    let dir = temp_dir("kill");
    // 3 MB by default, for the debug build; `YASNO_TEST_KILL_MB=50 cargo test --release` for more.
    let megabytes: usize = std::env::var("YASNO_TEST_KILL_MB")
        .ok()
        .and_then(|mb| mb.parse().ok())
        .unwrap_or(3);
    let letter = large_letter(megabytes * 1_000_000);
    std::fs::write(dir.join("a.txt"), &letter).unwrap();
    let started = Instant::now();
    fix_in(&dir, &["a.txt"]);
    let full_run = started.elapsed();
    let fixed = std::fs::read(dir.join("a.txt")).unwrap();
    assert_ne!(fixed, letter);
    let budget = Instant::now() + Duration::from_secs(60);
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut runs = 0;
    let mut outcomes = (0, 0);
    while runs < 12 && Instant::now() < budget {
        std::fs::write(dir.join("a.txt"), &letter).unwrap();
        for name in others(&dir, &["a.txt"]) {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
            .current_dir(&dir)
            .args([
                "check",
                "--no-config",
                "--fix",
                "--format",
                "concise",
                "a.txt",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        if runs % 2 == 0 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let fraction = (seed >> 33) as f64 / (1u64 << 31) as f64;
            let at = full_run.mul_f64(0.2 + fraction);
            while start.elapsed() < at && child.try_wait().unwrap().is_none() {
                std::thread::sleep(Duration::from_millis(2));
            }
        } else {
            while child.try_wait().unwrap().is_none()
                && std::fs::metadata(dir.join("a.txt")).unwrap().len() == letter.len() as u64
                && others(&dir, &["a.txt"]).is_empty()
                && start.elapsed() < full_run * 4
            {
                std::thread::sleep(Duration::from_micros(200));
            }
        }
        let _ = child.kill();
        child.wait().unwrap();
        let now = std::fs::read(dir.join("a.txt")).unwrap();
        if now == letter {
            outcomes.0 += 1;
        } else if now == fixed {
            outcomes.1 += 1;
        } else {
            panic!(
                "run {runs}: the letter is {} bytes, neither the original ({}) nor the fixed ({})",
                now.len(),
                letter.len(),
                fixed.len()
            );
        }
        runs += 1;
    }
    assert!(runs >= 4, "only {runs} runs in the time allowed");
    eprintln!(
        "{runs} killed runs: {} original, {} fixed",
        outcomes.0, outcomes.1
    );
}

/// A full disk (here: a file size limit, with the signal it sends ignored) fails the write: the
/// letter is left as it was, no temporary file is left beside it, and the status says so.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_the_letter_and_no_temporary_file() {
    let dir = temp_dir("full-disk");
    let letter = large_letter(300_000);
    std::fs::write(dir.join("a.txt"), &letter).unwrap();
    // 100 blocks of 512 bytes (or of 1 KiB): well under the letter's size.
    let out = Command::new("sh")
        .current_dir(&dir)
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 100 && exec "$0" check --no-config --fix --format concise a.txt"#)
        .arg(env!("CARGO_BIN_EXE_yasno"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot write the fixes"), "{err}");
    assert_eq!(std::fs::read(dir.join("a.txt")).unwrap(), letter);
    assert_eq!(others(&dir, &["a.txt"]), Vec::<String>::new());
}

fn fix_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut all = vec!["check", "--no-config", "--fix"];
    all.extend(args);
    all.push("-");
    yasno_in(&std::env::temp_dir(), &all, Some(input))
}

#[test]
fn fix_on_standard_input_always_prints_the_text() {
    // Nothing to fix: the text, as it came; the report on standard error.
    let clean = "Здравствуйте, Анна Сергеевна!\nДеньги вернём до 1 декабря.\n";
    let out = fix_stdin(&[], clean.as_bytes());
    assert_eq!(out.stdout, clean.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Fixed, with its BOM and CRLF.
    let out = fix_stdin(&["--format", "concise"], &with_bom(LETTER));
    assert_eq!(out.stdout, with_bom(&fixed_letter()));
    assert!(stderr(&out).contains(&fixed_message(1)), "{}", stderr(&out));
    // In Windows-1251, it comes back in Windows-1251.
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(LETTER);
    let fixed_text = fixed_letter();
    let (fixed_cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&fixed_text);
    let out = fix_stdin(&[], &cp1251);
    assert_eq!(out.stdout, &*fixed_cp1251);
    // Findings left go to standard error in the chosen format, and the status says they remain.
    let bad = "Ваше обращение взято на особый контроль. В данном случае плата верна.\n";
    let out = fix_stdin(&["--format", "json"], bad.as_bytes());
    assert_eq!(
        String::from_utf8(out.stdout.clone()).unwrap(),
        fixed(bad, InputFormat::Text)
    );
    let report: serde_json::Value = serde_json::from_slice(
        &out.stderr[..out.stderr.iter().rposition(|&b| b == b'}').unwrap() + 1],
    )
    .unwrap();
    let rules: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"JA005"), "{rules:?}");
    assert!(!rules.is_empty());
    assert_eq!(out.status.code(), Some(1), "an error-level finding remains");
    // A text that cannot be read still comes out whole.
    let binary = b"\x00\x01binary";
    let out = fix_stdin(&[], binary);
    assert_eq!(out.stdout, binary);
    assert_eq!(out.status.code(), Some(2));
}

const MARKDOWN: &str = "# Ответ\n\n[В настоящее](https://example.ru/a) время долг погашен.\n\n**В настоящее** время долг погашен.\n\nВ настоящее время долг погашен.\n";

#[test]
fn a_markdown_fix_is_applied_inside_one_text_run_only() {
    let dir = temp_dir("markdown");
    std::fs::write(dir.join("a.md"), MARKDOWN).unwrap();
    let out = fix_in(&dir, &["a.md"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("a.md")).unwrap(),
        MARKDOWN.replace(
            "\n\nВ настоящее время долг погашен.",
            &fixed("\n\nВ настоящее время долг погашен.", InputFormat::Text)
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_core_makes_a_fix_across_markup_a_suggestion() {
    let linter = Linter::from_config(yasno_core::config::Config::default()).unwrap();
    let document = input::document(MARKDOWN.to_string(), InputFormat::Markdown);
    let findings = linter.check(&document, &mut LemmaCache::new());
    let across: Vec<_> = findings
        .iter()
        .filter(|f| f.suggestions.first().is_some_and(|s| s == "Сейчас"))
        .collect();
    assert_eq!(across.len(), 3, "{findings:?}");
    let plain = MARKDOWN.rfind("В настоящее время").unwrap();
    for finding in across {
        let expected = if finding.range.start == plain {
            Applicability::Safe
        } else {
            Applicability::Suggestion
        };
        assert_eq!(finding.applicability, expected, "{finding:?}");
    }
    let (fixed, applied) = fix::apply_safe_fixes(document.text(), &findings);
    assert_eq!(applied, 1);
    assert!(fixed.contains("(https://example.ru/a)") && fixed.contains("**В настоящее**"));
}

#[test]
fn front_matter_is_neither_checked_nor_fixed() {
    let dir = temp_dir("front-matter");
    let source = "---\ntitle: В данном случае\nsummary: В настоящее время\n---\n\nВ данном случае плата верна.\n";
    std::fs::write(dir.join("a.md"), source).unwrap();
    let out = yasno_in(
        &dir,
        &["check", "--no-config", "--format", "json", "a.md"],
        None,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let body = source.find("\n\nВ данном").unwrap();
    for finding in json["files"][0]["diagnostics"].as_array().unwrap() {
        assert!(
            finding["start"].as_u64().unwrap() as usize > body,
            "{finding}"
        );
    }
    fix_in(&dir, &["a.md"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("a.md")).unwrap(),
        format!(
            "{}{}",
            &source[..body],
            fixed(&source[body..], InputFormat::Markdown)
        )
    );
}
