//! Privacy: letters hold citizens' personal data. The binary opens no network socket in `check`
//! and `lsp` modes, creates no file (temporary or other) while checking, and prints no letter text
//! in error messages, logs or panic messages. What these tests show is summed up in docs/privacy.md.
//!
//! The system-call checks need `strace` (and `unshare -n` for the network namespace); without them
//! they print a note and skip (in CI, a missing strace fails: see tests/common/programs.rs).

#[path = "common/programs.rs"]
mod programs;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

/// Personal data that must never leave the process except in the findings themselves.
const SECRET: &str = "Самойлова Зинаида Аркадьевна, паспорт 4509 123456, ул. Тихая, д. 17";

fn letter() -> String {
    format!(
        "Уважаемая {SECRET}!\nВ связи с вышеизложенным сообщаем: Ваше обращение взято на особый контроль.\n"
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yasno-privacy-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn have(tool: &str, probe: &[&str]) -> bool {
    Command::new(tool)
        .args(probe)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn yasno() -> &'static str {
    env!("CARGO_BIN_EXE_yasno")
}

/// A short editor session: open the letter, wait for its diagnostics (via a hover request that the
/// server answers after the check), shut down. Returns the server's stderr and whether it answered.
fn lsp_session(mut command: Command, text: &str) -> (bool, String) {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<Value>();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            if let Ok(value) = serde_json::from_slice(&body)
                && tx.send(value).is_err()
            {
                return;
            }
        }
    });
    let mut stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut send = |message: Value| {
        let body = message.to_string();
        let _ = write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = stdin.flush();
    };
    let uri = "file:///nonexistent/letter.txt";
    send(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}}),
    );
    send(
        json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri}, "position": {"line": 1, "character": 3}}}),
    );
    let mut answered = false;
    let mut diagnostics = false;
    while let Ok(message) = rx.recv_timeout(Duration::from_secs(60)) {
        if message["method"] == "textDocument/publishDiagnostics" {
            diagnostics = true;
        }
        if message["id"] == 2 {
            answered = true;
            break;
        }
    }
    send(json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}));
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    drop(stdin);
    let _ = child.wait();
    (answered && diagnostics, errors.join().unwrap())
}

fn check_command(wrapper: &[&str], dir: &Path, args: &[&str]) -> Command {
    let mut command = if wrapper.is_empty() {
        Command::new(yasno())
    } else {
        let mut c = Command::new(wrapper[0]);
        c.args(&wrapper[1..]).arg(yasno());
        c
    };
    command
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir);
    command
}

/// System calls of `check` on a letter, a Markdown file, a .docx-named text and standard input,
/// and of an `lsp` session, recorded with strace into `trace-*` files.
/// Runs `command` with the letter on standard input and its output discarded.
fn run_with_the_letter(mut command: Command) -> std::process::ExitStatus {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(letter().as_bytes())
        .unwrap();
    child.wait().unwrap()
}

fn traced_runs(dir: &Path, calls: &str) -> Vec<(String, String)> {
    std::fs::write(dir.join("letter.txt"), letter()).unwrap();
    std::fs::write(dir.join("letter.md"), format!("# Ответ\n\n{}", letter())).unwrap();
    let mut logs = Vec::new();
    for (name, args) in [
        ("check-txt", vec!["check", "--no-config", "letter.txt"]),
        (
            "check-md",
            vec!["check", "--no-config", "--format", "json", "letter.md"],
        ),
        (
            "check-stdin",
            vec!["check", "--no-config", "--format", "sarif", "-"],
        ),
    ] {
        let trace = dir.join(format!("trace-{name}"));
        let trace_arg = trace.to_str().unwrap().to_string();
        let wrapper = ["strace", "-f", "-qq", "-e", calls, "-o", &trace_arg];
        assert_eq!(
            run_with_the_letter(check_command(&wrapper, dir, &args)).code(),
            Some(1),
            "{name}: the letter has findings"
        );
        logs.push((name.to_string(), std::fs::read_to_string(&trace).unwrap()));
    }
    let trace = dir.join("trace-lsp");
    let trace_arg = trace.to_str().unwrap().to_string();
    let wrapper = ["strace", "-f", "-qq", "-e", calls, "-o", &trace_arg];
    let (ok, _) = lsp_session(check_command(&wrapper, dir, &["lsp"]), &letter());
    assert!(ok, "the traced server checked the letter and answered");
    logs.push(("lsp".into(), std::fs::read_to_string(&trace).unwrap()));
    logs
}

#[test]
fn no_network_socket_is_opened_in_check_and_lsp_modes() {
    if !programs::available("strace", &["-V"], "apt-get install strace") {
        return;
    }
    let dir = scratch("network");
    let logs = traced_runs(&dir, "trace=network");
    if logs
        .iter()
        .all(|(_, log)| log.contains("Operation not permitted") && log.contains("PTRACE"))
    {
        println!("note: strace cannot trace here; the network check was skipped");
        return;
    }
    for (name, log) in logs {
        let calls: Vec<&str> = log
            .lines()
            .filter(|l| !l.contains("+++") && !l.contains("---"))
            .collect();
        assert!(
            calls.is_empty(),
            "{name}: network system calls:\n{}",
            calls.join("\n")
        );
    }
}

#[test]
fn check_and_lsp_work_without_any_network() {
    if !have("unshare", &["-n", "true"]) {
        println!("note: cannot create a network namespace (unshare -n); skipped");
        return;
    }
    let dir = scratch("netns");
    std::fs::write(dir.join("letter.txt"), letter()).unwrap();
    let args = ["check", "--no-config", "--format", "json", "letter.txt"];
    let plain = check_command(&[], &dir, &args).output().unwrap();
    let isolated = check_command(&["unshare", "-n"], &dir, &args)
        .output()
        .unwrap();
    assert_eq!(isolated.status.code(), Some(1));
    assert_eq!(
        plain.stdout, isolated.stdout,
        "the same findings without a network"
    );
    let (ok, _) = lsp_session(check_command(&["unshare", "-n"], &dir, &["lsp"]), &letter());
    assert!(ok, "the server works in a namespace without a network");
}

#[test]
fn no_file_is_created_while_checking() {
    let dir = scratch("files");
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(dir.join("letter.txt"), letter()).unwrap();
    for args in [
        &["check", "--no-config", "letter.txt"][..],
        &["check", "--no-config", "--diff", "letter.txt"],
        &["check", "--no-config", "--format", "json", "-"],
    ] {
        let mut command = check_command(&[], &dir, args);
        command.env("TMPDIR", &tmp);
        run_with_the_letter(command);
    }
    let mut server = check_command(&[], &dir, &["lsp"]);
    server.env("TMPDIR", &tmp);
    let (ok, _) = lsp_session(server, &letter());
    assert!(ok);
    let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
    assert!(left.is_empty(), "files in TMPDIR: {left:?}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["letter.txt", "tmp"],
        "nothing written next to the letter"
    );

    // Stronger, where strace works: no file opened for writing or created at all.
    if !programs::available("strace", &["-V"], "apt-get install strace") {
        return;
    }
    let traced = scratch("files-traced");
    for (name, log) in traced_runs(
        &traced,
        "trace=open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat",
    ) {
        let writes: Vec<&str> = log
            .lines()
            .filter(|l| {
                (l.contains("O_WRONLY") || l.contains("O_RDWR") || l.contains("O_CREAT") || l.contains("creat(")
                    || l.contains("mkdir") || l.contains("rename") || l.contains("link"))
                    // The server's own stdio and /dev/null are not files with letter text.
                    && !l.contains("/dev/")
                    && !l.contains("= -1 ")
            })
            .collect();
        assert!(
            writes.is_empty(),
            "{name} writes files:\n{}",
            writes.join("\n")
        );
    }
}

#[test]
fn errors_and_logs_never_quote_the_letter() {
    let dir = scratch("messages");
    // Inputs that are refused, each holding the personal data.
    let with_nul = [letter().as_bytes(), b"\0"].concat();
    let latin = [letter().as_bytes(), b"\x80\x81\x82\x83"].concat();
    let fake_zip = [b"PK\x03\x04".as_slice(), letter().as_bytes()].concat();
    for (name, bytes) in [
        ("nul.txt", with_nul),
        ("latin.txt", latin),
        ("damaged.docx", fake_zip),
    ] {
        std::fs::write(dir.join(name), bytes).unwrap();
        let out = check_command(&[], &dir, &["check", "--no-config", name])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            !err.contains("Самойлова") && !err.contains("4509"),
            "{name}: {err}"
        );
    }
    // The server's log, with timing on.
    let mut command = check_command(&[], &dir, &["lsp"]);
    command.env("YASNO_LSP_LOG", "timing");
    let (ok, log) = lsp_session(command, &letter());
    assert!(ok);
    assert!(
        !log.contains("Самойлова") && !log.contains("4509"),
        "server log: {log}"
    );
}

#[test]
fn a_panic_message_is_withheld() {
    // YASNO_TEST_PANIC makes the binary panic with the given text, as a bug in slicing the letter
    // would (Rust's message quotes the string).
    let out: Output = Command::new(yasno())
        .args(["check", "-"])
        .env("YASNO_TEST_PANIC", SECRET)
        .env_remove("YASNO_PANIC_DETAILS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{err}");
    assert!(err.contains("internal error"), "{err}");
    assert!(!err.contains("Самойлова"), "{err}");
    // A developer may ask for the message.
    let out = Command::new(yasno())
        .args(["check", "-"])
        .env("YASNO_TEST_PANIC", SECRET)
        .env("YASNO_PANIC_DETAILS", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("Самойлова"));
}
