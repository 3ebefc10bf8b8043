//! `yasno lsp` as a child process, and a thread that reads its framed messages: shared by the
//! protocol tests (tests/lsp.rs) and the fault tests (tests/lsp_faults.rs).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};

use serde_json::Value;

/// Starts the server in `dir` (with no user config of the machine running the tests) and returns
/// it, its standard input, and the messages it sends, in order.
pub fn spawn(dir: &Path) -> (Child, Option<ChildStdin>, Receiver<Value>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yasno"))
        .arg("lsp")
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("HOME", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start yasno lsp");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.expect("the server frames with Content-Length")];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            let value: Value = serde_json::from_slice(&body).expect("the server sends JSON");
            if tx.send(value).is_err() {
                return;
            }
        }
    });
    // Drain stderr so that the server never blocks on it.
    let mut stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stderr.read_to_end(&mut sink);
    });
    let stdin = child.stdin.take();
    (child, stdin, rx)
}
