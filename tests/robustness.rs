//! Bad input through the `yasno` binary: each case either gives findings or one clear error line
//! and exit status 2 — never a crash, a hang, or a silently lost finding. Also replays the fuzz
//! corpora and the crash inputs kept in `fuzz/` (see fuzz/README.md) through the fuzz targets' code.
//!
//! The sizes and times of the heavy cases are printed: `cargo test --release --test robustness --
//! --nocapture` gives the figures quoted in docs/privacy.md and fuzz/README.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz_targets;

const BAD: &str = "Уважаемый Иван Петрович!\nВ связи с вышеизложенным сообщаем: Ваше обращение взято на особый контроль.\n";
/// The text of BAD's finding: the forbidden phrase about control.
const FOUND: &str = "контроль";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yasno-robust-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `yasno` with a time limit: a hang fails the test instead of stalling the suite.
fn yasno_in(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>, limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        // The binary may stop reading (a refused size): a broken pipe is expected then.
        let _ = input.write_all(&stdin.unwrap_or_default());
    });
    let pid = child.id();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let out = child.wait_with_output().unwrap();
        let _ = done_tx.send(());
        out
    });
    if done_rx.recv_timeout(limit).is_err() {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        panic!("yasno {args:?} did not finish within {limit:?}");
    }
    let _ = feeder.join();
    waiter.join().unwrap()
}

fn yasno(dir: &Path, args: &[&str]) -> Output {
    yasno_in(dir, args, None, Duration::from_secs(120))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("one JSON document on stdout ({e}); stderr: {}", stderr(out)))
}

/// Checks `name` (written with `bytes`) as JSON; returns the output and the parsed file entry.
fn check_file(dir: &Path, name: &str, bytes: &[u8]) -> (Output, Value) {
    std::fs::write(dir.join(name), bytes).unwrap();
    let out = yasno(dir, &["check", "--no-config", "--format", "json", name]);
    let value = json(&out);
    let file = value["files"]
        .as_array()
        .and_then(|files| files.first())
        .cloned()
        .unwrap_or(Value::Null);
    (out, file)
}

/// The texts of a file entry's findings.
fn found_texts(file: &Value) -> Vec<String> {
    file["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|d| d["text"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// An input refused with exit status 2 and one line that says why, naming the file.
fn assert_refused(out: &Output, name: &str, reason: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(
        err.contains(name) && err.contains(reason),
        "expected «{reason}» about {name}, got: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn empty_and_blank_files_are_clean() {
    let dir = scratch("empty");
    for (name, bytes) in [
        ("empty.txt", &b""[..]),
        ("blank.txt", b" \n\t\r\n  \r \n"),
        ("empty.md", b""),
        ("bom-only.txt", b"\xEF\xBB\xBF"),
    ] {
        let (out, file) = check_file(&dir, name, bytes);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert_eq!(file["diagnostics"].as_array().map(Vec::len), Some(0));
    }
}

#[test]
fn files_over_the_limit_are_refused_with_the_limit_named() {
    let dir = scratch("huge");
    // A sparse 200 MB file: refused by its size, before any of it is read.
    let file = std::fs::File::create(dir.join("huge.txt")).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap();
    drop(file);
    let started = Instant::now();
    let out = yasno(&dir, &["check", "--no-config", "huge.txt"]);
    assert_refused(&out, "huge.txt", "too large");
    assert!(stderr(&out).contains(&yasno_core::input::MAX_INPUT_BYTES.to_string()));
    assert!(started.elapsed() < Duration::from_secs(30));
    // The same on standard input: read up to the limit, then refused.
    let mut letter = BAD.repeat(200 * 1024 * 1024 / BAD.len()).into_bytes();
    letter.truncate(200 * 1024 * 1024);
    let out = yasno_in(
        &dir,
        &["check", "--no-config", "-"],
        Some(letter),
        Duration::from_secs(120),
    );
    assert_refused(&out, "-", "too large");
}

#[test]
fn invalid_utf8_is_an_error_unless_it_is_windows_1251() {
    let dir = scratch("encodings");
    let (out, _) = check_file(&dir, "latin.txt", b"ok \x80\x81\x82\x83 ok\n");
    assert_refused(&out, "latin.txt", "not valid UTF-8");
    // Windows-1251, which Russian offices still produce: decoded, and said so.
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(BAD);
    let (out, file) = check_file(&dir, "cp1251.txt", &cp1251);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(file["encoding"], "windows-1251");
    assert!(found_texts(&file).iter().any(|t| t.contains(FOUND)));
    let human = yasno(&dir, &["check", "--no-config", "--no-color", "cp1251.txt"]);
    let human = String::from_utf8_lossy(&human.stdout).into_owned();
    assert!(human.contains("windows-1251"), "{human}");
}

#[test]
fn utf16_with_a_bom_and_utf8_with_a_bom_are_read() {
    let dir = scratch("bom");
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for unit in BAD.encode_utf16() {
        le.extend(unit.to_le_bytes());
        be.extend(unit.to_be_bytes());
    }
    for (name, bytes, encoding) in [
        ("le.txt", le, Some("UTF-16LE")),
        ("be.txt", be, Some("UTF-16BE")),
        ("bom8.txt", [b"\xEF\xBB\xBF", BAD.as_bytes()].concat(), None),
    ] {
        let (out, file) = check_file(&dir, name, &bytes);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert_eq!(file["encoding"].as_str(), encoding, "{name}");
        assert!(
            found_texts(&file).iter().any(|t| t.contains(FOUND)),
            "{name}"
        );
        // The finding is on line 2, column 1 counts from the line's start (no BOM in the text).
        let first = &file["diagnostics"][0];
        assert_eq!(first["line"], 2, "{name}");
    }
    // A UTF-16 file that is cut in half a character is damaged, not a letter.
    let (out, _) = check_file(&dir, "odd.txt", &[0xFF, 0xFE, 0x41, 0x00, 0x42]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn crlf_and_lone_cr_line_endings_count_lines() {
    let dir = scratch("endings");
    let lf = format!("Раз.\nДва.\n{BAD}");
    for (name, text) in [
        ("crlf.txt", lf.replace('\n', "\r\n")),
        ("cr.txt", lf.replace('\n', "\r")),
        (
            "mixed.txt",
            format!(
                "Раз.
Два.
{BAD}"
            ),
        ),
    ] {
        let (out, file) = check_file(&dir, name, text.as_bytes());
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let control = file["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["text"].as_str().unwrap().contains(FOUND))
            .unwrap_or_else(|| panic!("{name}: the finding is kept"))
            .clone();
        assert_eq!(control["line"], 4, "{name}");
        let (start, end) = (
            control["start"].as_u64().unwrap() as usize,
            control["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], control["text"].as_str().unwrap());
    }
}

#[test]
fn nul_bytes_and_binary_files_are_refused() {
    let dir = scratch("binary");
    let (out, _) = check_file(
        &dir,
        "nul.txt",
        b"\xD0\x94\xD0\xB0\x00\xD0\xBD\xD0\xB5\xD1\x82",
    );
    assert_refused(&out, "nul.txt", "binary");
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
    let (out, _) = check_file(&dir, "scan.txt", png);
    assert_refused(&out, "scan.txt", "binary");
    // Pseudo-random bytes (a fixed generator: the same file every run).
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let noise: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let (out, _) = check_file(&dir, "noise.txt", &noise);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let (out, _) = check_file(&dir, "noise.docx", &noise);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn long_lines_huge_sentences_and_deep_markdown_finish() {
    let dir = scratch("long");
    let words = [
        "обращение",
        "рассмотрено",
        "вопрос",
        "ремонт",
        "крыши",
        "дома",
        "инспектор",
        "осмотрел",
        "в",
        "связи",
        "с",
        "этим",
        "срок",
    ];
    let sentence: Vec<&str> = (0..100_000)
        .map(|i| words[(i * 7 + i / 13) % words.len()])
        .collect();
    let cases: Vec<(&str, String)> = vec![
        ("no-spaces.txt", "а".repeat(300_000)),
        ("sentence.txt", sentence.join(" ") + "."),
        ("bad-sentence.txt", BAD.replace('\n', " ").repeat(2_000)),
        ("quotes.txt", "«".repeat(100_000)),
        ("titles.txt", "закона « ".repeat(20_000)),
        ("nested.md", ">".repeat(20_000) + " текст\n"),
        (
            "brackets.md",
            "[".repeat(50_000) + "текст" + &"]".repeat(50_000),
        ),
        (
            "list.md",
            (0..500).map(|i| "  ".repeat(i) + "- пункт\n").collect(),
        ),
        ("emphasis.md", "*_".repeat(50_000) + "текст"),
    ];
    for (name, text) in cases {
        std::fs::write(dir.join(name), &text).unwrap();
        let started = Instant::now();
        let out = yasno(&dir, &["check", "--no-config", "--format", "json", name]);
        let took = started.elapsed();
        println!("{name}: {} bytes checked in {took:.2?}", text.len());
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: {}",
            stderr(&out)
        );
        let value = json(&out);
        if name == "bad-sentence.txt" {
            // 2 000 copies of the finding in one line: none is lost.
            let found = found_texts(&value["files"][0]);
            let phrase = "взято на особый контроль";
            assert_eq!(found.iter().filter(|t| *t == phrase).count(), 2_000);
        }
    }
}

#[test]
fn a_docx_cut_off_inside_an_element_is_refused_not_hung() {
    // Regression (found by the `docx` fuzz target): docx-rs looped forever on such a part.
    let dir = scratch("truncated-docx");
    let xml = br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>abc"#;
    let bytes = fuzz_targets::package(xml);
    std::fs::write(dir.join("cut.docx"), bytes).unwrap();
    let out = yasno_in(
        &dir,
        &["check", "--no-config", "cut.docx"],
        None,
        Duration::from_secs(60),
    );
    assert_refused(&out, "cut.docx", "not well-formed XML");
}

#[test]
fn unclosed_quotes_are_not_scanned_quadratically() {
    // Regression: a text of 100 000 «, each scanned to the end for its closing quote, took 99 s.
    let started = Instant::now();
    let doc = yasno_core::Document::new("«".repeat(100_000));
    assert_eq!(doc.tokens.len(), 100_000);
    let doc = yasno_core::Document::new("закона « ".repeat(20_000));
    assert!(!doc.tokens.is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn paths_that_do_not_exist_or_cannot_be_read() {
    let dir = scratch("paths");
    let out = yasno(&dir, &["check", "--no-config", "missing.txt"]);
    assert_refused(&out, "missing.txt", "no such file");
    // The other files are still checked and reported.
    std::fs::write(dir.join("bad.txt"), BAD).unwrap();
    let out = yasno(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "missing.txt",
            "bad.txt",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        found_texts(&json(&out)["files"][0])
            .iter()
            .any(|t| t.contains(FOUND))
    );
    // A file without read permission. Root reads everything: run as `nobody` when we are root.
    let locked = dir.join("locked.txt");
    std::fs::write(&locked, BAD).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let out = if is_root {
        let mut command = Command::new("setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_yasno"))
            .args(["check", "--no-config"])
            .arg(&locked);
        match command.output() {
            Ok(out) if !stderr(&out).contains("setpriv:") => Some(out),
            _ => None,
        }
    } else {
        Some(yasno(&dir, &["check", "--no-config", "locked.txt"]))
    };
    match out {
        Some(out) => assert_refused(&out, "locked.txt", "cannot read"),
        None => println!(
            "note: cannot drop root privileges (setpriv); the unreadable-file case was skipped"
        ),
    }
}

#[test]
fn folders_with_symlink_loops_and_fifos_finish() {
    let dir = scratch("loops");
    std::fs::create_dir_all(dir.join("a/b")).unwrap();
    std::fs::write(dir.join("a/b/letter.txt"), BAD).unwrap();
    // Two links back up: followed blindly, 2^40 paths.
    std::os::unix::fs::symlink("..", dir.join("a/b/up")).unwrap();
    std::os::unix::fs::symlink("../..", dir.join("a/b/top")).unwrap();
    // A FIFO named like a letter: opening it would wait for a writer forever.
    let fifo = Command::new("mkfifo").arg(dir.join("a/pipe.txt")).status();
    let out = yasno_in(
        &dir,
        &["check", "--no-config", "--format", "json", "."],
        None,
        Duration::from_secs(60),
    );
    let files = json(&out)["files"].as_array().unwrap().len();
    assert_eq!(files, 1, "the letter is checked once: {}", stderr(&out));
    if !fifo.is_ok_and(|s| s.success()) {
        println!("note: mkfifo failed; the FIFO case was not exercised");
    }
}

/// Regression: an explicit FIFO path made `check` and `score` wait for a writer forever.
#[test]
fn an_explicit_fifo_path_is_refused_and_standard_input_still_read() {
    let dir = scratch("fifo");
    let made = Command::new("mkfifo").arg(dir.join("x.txt")).status();
    if !made.is_ok_and(|s| s.success()) {
        println!("note: mkfifo failed; the FIFO case was not exercised");
        return;
    }
    let limit = Duration::from_secs(30);
    for command in ["check", "score"] {
        let out = yasno_in(&dir, &[command, "--no-config", "x.txt"], None, limit);
        assert_refused(&out, "x.txt", "not a regular file");
        let about_the_file = stderr(&out).lines().filter(|l| l.contains("x.txt")).count();
        assert_eq!(about_the_file, 1, "{command}: {}", stderr(&out));
    }
    let out = yasno_in(
        &dir,
        &["check", "--no-config", "--format", "json", "-"],
        Some(BAD.as_bytes().to_vec()),
        limit,
    );
    assert!(
        found_texts(&json(&out)["files"][0])
            .iter()
            .any(|t| t.contains(FOUND))
    );
}

/// Regression: every folder was resolved from the root (`canonicalize`), so a chain of nested
/// folders took time quadratic in its depth: 2 000 levels took 2 min 44 s, 1 000 about 40 s.
#[test]
fn deeply_nested_folders_are_walked_in_linear_time() {
    let dir = scratch("deep");
    let depth = 1_000;
    let deepest = (0..depth).fold(dir.clone(), |path, _| path.join("a"));
    std::fs::create_dir_all(&deepest).unwrap();
    std::fs::write(deepest.join("letter.txt"), BAD).unwrap();
    // A link back to the top from the bottom, and a second way to the bottom: walked once.
    std::os::unix::fs::symlink(&dir, deepest.join("top")).unwrap();
    std::os::unix::fs::symlink(&deepest, dir.join("b")).unwrap();
    // A broken link is no letter, and no error either.
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dead.txt")).unwrap();
    let started = Instant::now();
    let out = yasno_in(
        &dir,
        &["check", "--no-config", "--format", "json", "."],
        None,
        Duration::from_secs(120),
    );
    let took = started.elapsed();
    println!("{depth} nested folders walked in {took:.2?}");
    let files = json(&out)["files"].as_array().unwrap().clone();
    assert_eq!(files.len(), 1, "{}", stderr(&out));
    assert!(found_texts(&files[0]).iter().any(|t| t.contains(FOUND)));
    assert_eq!(stderr(&out), "");
    assert!(took < Duration::from_secs(10), "{took:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Regression: each finding's excerpt and column were worked out from the start of its line, so a
/// one-line letter with dense findings took time quadratic in its length (4 000 sentences in one
/// line: 37 s in the human format).
#[test]
fn every_format_renders_a_long_line_of_dense_findings_in_linear_time() {
    let dir = scratch("dense");
    let text = "В настоящее время Ваше обращение рассмотрено. ".repeat(4_000);
    std::fs::write(dir.join("line.txt"), &text).unwrap();
    for format in ["human", "concise", "github", "json", "sarif"] {
        let started = Instant::now();
        let out = yasno(
            &dir,
            &["check", "--no-config", "--format", format, "line.txt"],
        );
        let took = started.elapsed();
        println!(
            "{format}: {} bytes in one line rendered in {took:.2?}",
            text.len()
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{format}: {}",
            stderr(&out)
        );
        assert!(
            out.stdout.len() > 100_000,
            "{format}: every finding is printed"
        );
        assert!(took < Duration::from_secs(10), "{format}: {took:?}");
    }
}

#[test]
fn a_folder_of_50_000_files() {
    let dir = scratch("many");
    let count = 50_000;
    for i in 0..count {
        let sub = dir.join(format!("d{:02}", i % 50));
        if i < 50 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        // Mostly one short line; every thousandth file carries a finding that must be reported.
        let text = if i % 1000 == 0 { BAD } else { "Да.\n" };
        std::fs::write(sub.join(format!("f{i:05}.txt")), text).unwrap();
    }
    let started = Instant::now();
    let out = yasno_in(
        &dir,
        &["check", "--no-config", "--format", "json", "."],
        None,
        Duration::from_secs(600),
    );
    println!("{count} files checked in {:.2?}", started.elapsed());
    let value = json(&out);
    let files = value["files"].as_array().unwrap();
    assert_eq!(files.len(), count);
    let with_findings = files
        .iter()
        .filter(|f| found_texts(f).iter().any(|t| t.contains(FOUND)))
        .count();
    assert_eq!(with_findings, count / 1000);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every input kept in fuzz/corpus/<target>/ and fuzz/regressions/<target>/, through the code the
/// fuzz target runs: a crash found once stays fixed.
#[test]
fn fuzz_corpora_and_crash_inputs_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    type Target = (&'static str, fn(&[u8]));
    let targets: [Target; 3] = [
        ("text_pipeline", fuzz_targets::text_pipeline),
        ("docx", fuzz_targets::docx),
        ("lsp_edits", fuzz_targets::lsp_edits),
    ];
    let mut replayed = 0;
    for (target, run) in targets {
        for kind in ["corpus", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(kind).join(target)) else {
                continue;
            };
            let mut paths: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for path in paths {
                let bytes = std::fs::read(&path).unwrap();
                let outcome = std::panic::catch_unwind(|| run(&bytes));
                assert!(outcome.is_ok(), "{target} fails on {}", path.display());
                replayed += 1;
            }
        }
    }
    println!("{replayed} fuzz inputs replayed");
    assert!(replayed > 0, "the fuzz corpora are in fuzz/corpus");
}

/// The language-server sessions kept in fuzz/corpus/lsp_messages/ and
/// fuzz/regressions/lsp_messages/, each run in-process through the server's real message loop
/// (what the `lsp_messages` fuzz target does), each within a time limit: a session that hung once
/// stays fixed too.
#[test]
fn lsp_sessions_from_the_fuzz_corpus_replay_cleanly_and_end() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut sessions: Vec<PathBuf> = ["corpus", "regressions"]
        .iter()
        .filter_map(|kind| std::fs::read_dir(root.join(kind).join("lsp_messages")).ok())
        .flat_map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())))
        .collect();
    sessions.sort();
    assert!(
        !sessions.is_empty(),
        "the seeds are in fuzz/corpus/lsp_messages"
    );
    for path in &sessions {
        let bytes = std::fs::read(path).unwrap();
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| fuzz_targets::lsp_messages(&bytes));
            let _ = done_tx.send(outcome.is_ok());
        });
        match done_rx.recv_timeout(Duration::from_secs(60)) {
            Ok(true) => {}
            Ok(false) => panic!("lsp_messages fails on {}", path.display()),
            Err(_) => panic!("lsp_messages does not end on {}", path.display()),
        }
    }
    println!("{} LSP sessions replayed", sessions.len());
}

/// A panic while checking one of three files (forced through a hook that debug builds only have)
/// is that file's error: the other two are still reported, the status is 2 as for an unreadable
/// file, and the letter is not quoted, although the panic's message is its text.
#[test]
fn a_panic_on_one_file_is_its_error_and_the_others_are_reported() {
    if !cfg!(debug_assertions) {
        println!("note: YASNO_TEST_PANIC_ON exists in debug builds only; skipped");
        return;
    }
    let dir = scratch("panic-one-file");
    let secret = "Паспорт 4510 123456 выдан Иванову Ивану Ивановичу";
    std::fs::write(dir.join("a.txt"), BAD).unwrap();
    std::fs::write(dir.join("b.txt"), format!("{BAD}{secret}\n")).unwrap();
    std::fs::write(dir.join("c.txt"), BAD).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "a.txt",
            "b.txt",
            "c.txt",
        ])
        .current_dir(&dir)
        .env("YASNO_TEST_PANIC_ON", "b.txt")
        .env_remove("YASNO_PANIC_DETAILS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("yasno did not finish after a panic on one file");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(
        err.contains("b.txt: internal error while checking this file"),
        "{err}"
    );
    for quoted in [secret, "Паспорт", "Иванову", "Уважаемый", FOUND] {
        assert!(!err.contains(quoted), "stderr quotes the letter: {err}");
    }
    let value = json(&out);
    let paths: Vec<&str> = value["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.txt", "c.txt"]);
    for file in value["files"].as_array().unwrap() {
        assert!(found_texts(file).iter().any(|text| text.contains(FOUND)));
    }
    assert_eq!(value["summary"]["files"], 2);
}
