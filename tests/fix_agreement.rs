//! One applicability policy for every front end: on every letter in tests/letters,
//! `yasno check --fix`, the SARIF `fixes` of `--format sarif` applied as a tool applies them, and
//! the language server's «fix all safe replacements» give byte-identical letters, and `--diff`
//! shows that change.

#[path = "common/lsp_process.rs"]
mod lsp_process;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Output};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Every letter of the test sets (.txt and .md, in all their folders), in a stable order.
fn letters() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "txt" || ext == "md")
                && path.file_name().is_some_and(|name| name != "README.md")
            {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/letters"),
        &mut out,
    );
    out.sort();
    out
}

/// A fresh folder for copies of the letters, inside the build's own scratch space.
fn scratch() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("fix-agreement-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `yasno` run in `dir`, with no user config of the machine running the tests (as the server).
fn yasno(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(args)
        .current_dir(dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("HOME", dir)
        .output()
        .unwrap()
}

/// A letter's file name in the scratch folder: its set and name, so that sets do not collide.
fn copy_name(letter: &Path) -> String {
    let sets = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/letters");
    let relative = letter.strip_prefix(&sets).unwrap().to_str().unwrap();
    relative.replace('/', "-")
}

fn fixed_by_cli(dir: &Path, name: &str, original: &[u8]) -> Vec<u8> {
    let copy = dir.join(format!("cli-{name}"));
    std::fs::write(&copy, original).unwrap();
    let out = yasno(
        dir,
        &[
            "check",
            "--fix",
            "--format",
            "concise",
            copy.to_str().unwrap(),
        ],
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(&copy).unwrap()
}

/// What `yasno check --diff` prints for the letter written to `copy`.
fn diff(dir: &Path, copy: &Path, original: &[u8]) -> String {
    std::fs::write(copy, original).unwrap();
    let out = yasno(dir, &["check", "--diff", copy.to_str().unwrap()]);
    String::from_utf8(out.stdout).unwrap()
}

/// The letter with every fix of every result in the SARIF log made, as a tool applies them;
/// fixes that overlap cannot all be applied and fail the test.
fn fixed_by_sarif(dir: &Path, name: &str, original: &[u8]) -> Vec<u8> {
    let copy = dir.join(format!("sarif-{name}"));
    std::fs::write(&copy, original).unwrap();
    let out = yasno(dir, &["check", "--format", "sarif", copy.to_str().unwrap()]);
    let log: Value = serde_json::from_slice(&out.stdout).expect("one SARIF log");
    let mut replacements = Vec::new();
    for result in log["runs"][0]["results"].as_array().unwrap() {
        for fix in result["fixes"].as_array().into_iter().flatten() {
            for change in fix["artifactChanges"].as_array().unwrap() {
                for replacement in change["replacements"].as_array().unwrap() {
                    let region = &replacement["deletedRegion"];
                    let start = region["byteOffset"].as_u64().unwrap() as usize;
                    let length = region["byteLength"].as_u64().unwrap() as usize;
                    let text = replacement["insertedContent"]["text"].as_str().unwrap();
                    replacements.push((start, start + length, text.to_string()));
                }
            }
        }
    }
    replacements.sort();
    let mut fixed = Vec::new();
    let mut position = 0;
    for (start, end, text) in replacements {
        assert!(
            start >= position,
            "{name}: SARIF fixes overlap at byte {start}"
        );
        fixed.extend_from_slice(&original[position..start]);
        fixed.extend_from_slice(text.as_bytes());
        position = end;
    }
    fixed.extend_from_slice(&original[position..]);
    fixed
}

/// `yasno lsp` with UTF-8 positions, so that an edit's character is a byte offset in its line.
struct Server {
    _child: std::process::Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let (child, stdin, messages) = lsp_process::spawn(dir);
        let mut server = Server {
            _child: child,
            stdin: stdin.unwrap(),
            messages,
            next_id: 0,
        };
        let capabilities = json!({"general": {"positionEncodings": ["utf-8"]}});
        let init = server.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
        server.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next message that is `wanted`; the others (logs, other documents) are dropped.
    fn next(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .expect("the server answers");
            if wanted(&message) {
                return message;
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = json!(self.next_id);
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.next(|m| m["id"] == id && m.get("method").is_none());
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The letter after «fix all safe replacements», as the editor applies its edits.
    fn fixed(&mut self, dir: &Path, name: &str, original: &[u8]) -> Vec<u8> {
        let text = std::str::from_utf8(original).unwrap();
        let uri = format!("file://{}/lsp-{name}", dir.display());
        let language = if name.ends_with(".md") {
            "markdown"
        } else {
            "plaintext"
        };
        self.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}}),
        );
        self.next(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
        });
        let zero = json!({"line": 0, "character": 0});
        let actions = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": zero, "end": zero},
                   "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
        );
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        for action in actions.as_array().unwrap() {
            let edit = &action["edit"];
            let listed = match edit["documentChanges"].as_array() {
                Some(changes) => changes[0]["edits"].clone(),
                None => edit["changes"][uri.as_str()].clone(),
            };
            for edit in listed.as_array().unwrap() {
                edits.push((
                    offset(text, &edit["range"]["start"]),
                    offset(text, &edit["range"]["end"]),
                    edit["newText"].as_str().unwrap().to_string(),
                ));
            }
        }
        self.send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {
            "textDocument": {"uri": uri}}}),
        );
        // The protocol's edits never overlap and are applied as if at once: from the end.
        edits.sort();
        let mut fixed = text.to_string();
        let mut end = text.len();
        for (start, stop, new_text) in edits.into_iter().rev() {
            assert!(stop <= end, "{name}: the editor's edits overlap");
            fixed.replace_range(start..stop, &new_text);
            end = start;
        }
        fixed.into_bytes()
    }
}

/// The byte offset of a UTF-8 LSP position (the letters' lines end with `\n`).
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    line_start + character
}

#[test]
fn fix_diff_sarif_and_the_editors_fix_all_agree_on_every_letter() {
    let dir = scratch();
    let letters = letters();
    assert!(letters.len() >= 45, "{} letters", letters.len());
    let mut server = Server::start(&dir);
    let (mut changed, mut disagreements) = (0, Vec::new());
    for letter in &letters {
        let original = std::fs::read(letter).unwrap();
        assert!(!original.contains(&b'\r'), "{}", letter.display());
        let name = copy_name(letter);
        let by_cli = fixed_by_cli(&dir, &name, &original);
        let by_sarif = fixed_by_sarif(&dir, &name, &original);
        let by_editor = server.fixed(&dir, &name, &original);
        changed += usize::from(by_cli != original);
        // `--diff` shows exactly the change `--fix` makes, and nothing when there is none.
        let copy = dir.join(format!("diff-{name}"));
        let expected_diff = if by_cli == original {
            String::new()
        } else {
            yasno_core::fix::unified_diff(
                copy.to_str().unwrap(),
                std::str::from_utf8(&original).unwrap(),
                std::str::from_utf8(&by_cli).unwrap(),
            )
        };
        assert_eq!(diff(&dir, &copy, &original), expected_diff, "{name}");
        if by_cli != by_sarif || by_cli != by_editor {
            disagreements.push(format!(
                "{name}:\n--fix:\n{}\nSARIF:\n{}\nfix all:\n{}",
                String::from_utf8_lossy(&by_cli),
                String::from_utf8_lossy(&by_sarif),
                String::from_utf8_lossy(&by_editor)
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} letters fixed differently:\n{}",
        disagreements.len(),
        letters.len(),
        disagreements.join("\n\n")
    );
    // Not an agreement on doing nothing: some letters have safe fixes (17 of 45 when written;
    // fewer as replacements that cannot agree with their context stop being safe).
    assert!(changed > 0, "no letter was fixed");
    let _ = std::fs::remove_dir_all(&dir);
}
