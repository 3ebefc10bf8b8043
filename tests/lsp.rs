//! Protocol tests: the built `yasno lsp` driven over stdio as an editor would drive it.
//!
//! `cargo test --release --test lsp -- --nocapture latency` prints the didChange → publishDiagnostics
//! times recorded in docs/performance.md; `… -- --ignored --nocapture memory` the memory over
//! 10 000 edits.

#[path = "common/lsp_process.rs"]
mod lsp_process;

#[path = "common/programs.rs"]
mod programs;

use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);

const LETTER: &str = "Уважаемый Иван Петрович! 👍\n\nВ связи с этим инспектор осмотрел крышу. 👍 Данный срок мы указали в предписании.\nРемонт МКД запланирован на 2027 год.\n";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yasno-lsp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn file_uri(path: &Path) -> String {
    let mut out = String::from("file://");
    for byte in path.to_str().unwrap().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A minimal LSP client: frames messages, keeps notifications until asked for.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    backlog: VecDeque<Value>,
    next_id: i64,
    _dir: PathBuf,
}

impl Client {
    fn start(name: &str) -> Client {
        let dir = scratch(name);
        let (child, stdin, rx) = lsp_process::spawn(&dir);
        Client {
            child,
            stdin,
            messages: rx,
            backlog: VecDeque::new(),
            next_id: 0,
            _dir: dir,
        }
    }

    fn dir(&self) -> &Path {
        &self._dir
    }

    fn send_raw(&mut self, body: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_raw(&message.to_string());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request_async(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The whole response (with `result` or `error`).
    fn response(&mut self, id: &Value) -> Value {
        self.wait_for(|m| m.get("id") == Some(id) && m.get("method").is_none())
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        let response = self.response(&json!(id));
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        self.try_wait_for(TIMEOUT, wanted)
            .expect("the server answered in time")
    }

    fn try_wait_for(
        &mut self,
        timeout: Duration,
        wanted: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return Some(message),
                Ok(message) => self.backlog.push_back(message),
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// The diagnostics published for a version of a document.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let root = file_uri(self.dir());
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, name: &str, language: &str, text: &str) -> String {
        let uri = file_uri(&self.dir().join(name));
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        uri
    }

    fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// `shutdown`, `exit`, and the exit status.
    fn finish(mut self) -> i32 {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    fn wait_exit(&mut self) -> i32 {
        self.stdin.take();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._dir);
    }
}

fn with_code<'a>(diagnostics: &'a [Value], code: &str) -> Option<&'a Value> {
    diagnostics.iter().find(|d| d["code"] == code)
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// Applies LSP text edits (UTF-16 positions) to a text, as an editor would.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap() as usize;
        let character = p["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, ch) in text[start..].char_indices() {
            if units >= character || ch == '\n' {
                return start + i;
            }
            units += ch.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, new);
    }
    out
}

fn action_edits(action: &Value) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(changes) = edit["documentChanges"].as_array() {
        return changes[0]["edits"].as_array().unwrap().clone();
    }
    let changes = edit["changes"].as_object().unwrap();
    changes.values().next().unwrap().as_array().unwrap().clone()
}

fn titled<'a>(actions: &'a [Value], part: &str) -> &'a Value {
    actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains(part))
        .unwrap_or_else(|| panic!("no action with «{part}» in {actions:#?}"))
}

#[test]
fn a_session_from_initialize_to_exit() {
    let mut client = Client::start("session");
    let init = client.initialize(
        json!({"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}}),
        Value::Null,
    );
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(init["serverInfo"]["name"], "yasno");

    let uri = client.open("letter.txt", "plaintext", LETTER);
    let diagnostics = client.diagnostics(&uri, 1);
    let found = codes(&diagnostics);
    for code in ["JA014", "JA005", "AB001"] {
        assert!(found.contains(&code.to_string()), "{code} in {found:?}");
    }
    // After «👍» (two UTF-16 units) on line 2: «Данный» starts at character 44.
    let dannyj = with_code(&diagnostics, "JA005").unwrap();
    assert_eq!(
        dannyj["range"]["start"],
        json!({"line": 2, "character": 44})
    );
    assert_eq!(dannyj["range"]["end"], json!({"line": 2, "character": 50}));
    assert_eq!(dannyj["severity"], 2);
    assert_eq!(dannyj["source"], "yasno");

    // Hover explains the rule with its clause.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 46}}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(
        text.contains("JA005") && text.contains("Основание:"),
        "{text}"
    );
    assert!(text.contains("Порядок"), "the seed clause: {text}");
    // The rule's documentation as `yasno explain` and docs/rules/ give it: the rule's severity,
    // and its examples with their fixed texts.
    assert!(
        text.contains("**уровень:** предупреждение (`warning`)")
            && text.contains("**Так писать не нужно:**")
            && text.contains(" → ✓ "),
        "{text}"
    );
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert_eq!(nothing, Value::Null);

    // Incremental change: a word inserted before «Данный» moves the finding.
    client.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": 2, "character": 44}, "end": {"line": 2, "character": 44}}, "text": "Итак, "}]),
    );
    let diagnostics = client.diagnostics(&uri, 2);
    let dannyj = with_code(&diagnostics, "JA005").unwrap();
    assert_eq!(
        dannyj["range"]["start"],
        json!({"line": 2, "character": 50})
    );
    let mut text = LETTER.replace("👍 Данный", "👍 Итак, Данный");

    // Quick fix: the suggestion replaces the span.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": dannyj["range"],
            "context": {"diagnostics": [dannyj]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let fix = titled(actions, "«Этот»");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["diagnostics"][0]["code"], "JA005");
    assert!(titled(actions, "Не проверять JA005").is_object());
    text = apply_edits(&text, &action_edits(fix));
    assert!(text.contains("Итак, Этот срок"), "{text}");
    client.change(&uri, 3, json!([{"text": text}]));
    let diagnostics = client.diagnostics(&uri, 3);
    assert!(with_code(&diagnostics, "JA005").is_none());

    // Closing clears the diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["diagnostics"] == json!([])
    });
    assert_eq!(cleared["params"]["uri"], uri);
    assert_eq!(client.finish(), 0);
}

#[test]
fn utf8_positions_when_the_client_offers_them() {
    let mut client = Client::start("utf8");
    let init = client.initialize(
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
        Value::Null,
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let uri = client.open("letter.txt", "plaintext", LETTER);
    let diagnostics = client.diagnostics(&uri, 1);
    let dannyj = with_code(&diagnostics, "JA005").unwrap();
    let line = LETTER.lines().nth(2).unwrap();
    let start = line.find("Данный").unwrap();
    assert_eq!(
        dannyj["range"]["start"],
        json!({"line": 2, "character": start})
    );
    assert_eq!(
        dannyj["range"]["end"],
        json!({"line": 2, "character": start + "Данный".len()})
    );
    // A change in UTF-8 positions.
    client.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": 2, "character": start}, "end": {"line": 2, "character": start + "Данный".len()}}, "text": "Этот"}]),
    );
    let diagnostics = client.diagnostics(&uri, 2);
    assert!(
        with_code(&diagnostics, "JA005").is_none(),
        "{diagnostics:#?}"
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn markdown_is_checked_without_its_markup() {
    let mut client = Client::start("markdown");
    client.initialize(json!({}), Value::Null);
    let text =
        "# Ответ\n\nДанный срок мы указали в `Данный` предписании.\n\n```\nДанный код\n```\n";
    let uri = client.open("letter.md", "markdown", text);
    let diagnostics = client.diagnostics(&uri, 1);
    let dannyj: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "JA005")
        .collect();
    assert_eq!(dannyj.len(), 1, "{diagnostics:#?}");
    assert_eq!(
        dannyj[0]["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    // Other languages are not checked.
    let uri = client.open("main.rs", "rust", "// Данный код\n");
    assert!(
        client
            .try_wait_for(Duration::from_millis(500), |m| m["params"]["uri"] == uri)
            .is_none()
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn fix_all_and_ignore_this_rule_here() {
    let mut client = Client::start("fixall");
    client.initialize(json!({}), Value::Null);
    let uri = client.open("letter.txt", "plaintext", LETTER);
    let diagnostics = client.diagnostics(&uri, 1);
    let zero = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": zero, "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let fix_all = &actions[0];
    assert_eq!(fix_all["kind"], "source.fixAll.yasno");
    let fixed = apply_edits(LETTER, &action_edits(fix_all));
    // Only safe replacements, those of `yasno check --fix`: «В связи с этим» → «Из-за этим» is
    // not one, and the abbreviation is left for the clerk.
    assert_eq!(fixed, LETTER.replace("Данный срок", "Этот срок"));

    // «Ignore this rule here» in a plain-text letter never writes into the letter: the rule is
    // ignored for this file in the project's yasno.toml.
    let ja014 = with_code(&diagnostics, "JA014").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": ja014["range"], "context": {"diagnostics": [ja014], "only": ["quickfix"]}}),
    );
    let actions = actions.as_array().unwrap();
    assert!(actions.iter().all(|a| a["kind"] == "quickfix"));
    assert!(
        actions.iter().all(|a| a["edit"].is_null()
            || !action_edits(a)
                .iter()
                .any(|e| e["newText"].as_str().unwrap().contains("yasno-ignore"))),
        "{actions:#?}"
    );
    let ignore = titled(actions, "Не проверять JA014 в этом файле");
    let command = ignore["command"].clone();
    assert_eq!(command["command"], "yasno.ignoreInFile");
    let result = client.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(result, Value::Null);
    let written = std::fs::read_to_string(client.dir().join("yasno.toml")).unwrap();
    assert!(
        written.contains("[per-file-ignores]\n\"letter.txt\" = [\"JA014\"]"),
        "{written}"
    );
    let republished = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && !codes(m["params"]["diagnostics"].as_array().unwrap()).contains(&"JA014".into())
    });
    let found = codes(republished["params"]["diagnostics"].as_array().unwrap());
    assert!(found.contains(&"JA005".to_string()), "{found:?}");
    // The command line reads the same entry.
    std::fs::write(client.dir().join("letter.txt"), LETTER).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yasno"))
        .args(["check", "--format", "concise", "letter.txt"])
        .current_dir(client.dir())
        .env("HOME", client.dir())
        .output()
        .unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(
        report.contains("[JA005]") && !report.contains("[JA014]"),
        "{report}"
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn ignore_here_in_markdown_is_a_comment() {
    let mut client = Client::start("ignore-md");
    client.initialize(json!({}), Value::Null);
    let uri = client.open("letter.md", "markdown", LETTER);
    let diagnostics = client.diagnostics(&uri, 1);
    let ja014 = with_code(&diagnostics, "JA014").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": ja014["range"], "context": {"diagnostics": [ja014], "only": ["quickfix"]}}),
    );
    let actions = actions.as_array().unwrap();
    titled(actions, "Не проверять JA014 в этом файле");
    let ignore = titled(actions, "Не проверять JA014 в этой строке");
    let text = apply_edits(LETTER, &action_edits(ignore));
    assert!(
        text.contains("в предписании. <!-- yasno-ignore: JA014 -->\n"),
        "{text}"
    );
    client.change(&uri, 2, json!([{"text": text}]));
    let found = codes(&client.diagnostics(&uri, 2));
    assert!(!found.contains(&"JA014".to_string()), "{found:?}");
    assert!(!found.contains(&"FM003".to_string()), "{found:?}");
    assert!(found.contains(&"JA005".to_string()), "{found:?}");
    // The same comment in a plain-text letter is a finding, and silences nothing.
    let plain = client.open("letter.txt", "plaintext", &text);
    let found = codes(&client.diagnostics(&plain, 1));
    assert!(found.contains(&"JA014".to_string()), "{found:?}");
    assert!(found.contains(&"FM003".to_string()), "{found:?}");
    assert_eq!(client.finish(), 0);
}

/// The server finds a document's config as `yasno check` does: upward from the document, not
/// above the project root, skipping a config that every user may write.
#[test]
fn configs_are_found_as_the_command_line_finds_them() {
    let mut client = Client::start("discovery");
    let dir = client.dir().to_path_buf();
    std::fs::create_dir_all(dir.join("project/.git")).unwrap();
    std::fs::create_dir_all(dir.join("project/letters")).unwrap();
    std::fs::write(dir.join("yasno.toml"), "ignore = [\"ALL\"]\n").unwrap();
    client.initialize(json!({}), Value::Null);
    let uri = client.open("project/letters/a.txt", "plaintext", LETTER);
    let found = codes(&client.diagnostics(&uri, 1));
    assert!(
        found.contains(&"JA005".to_string()),
        "above the project root: {found:?}"
    );
    std::fs::write(
        dir.join("project/yasno.toml"),
        "[severity]\nJA005 = \"info\"\n",
    )
    .unwrap();
    let uri = client.open("project/letters/b.txt", "plaintext", LETTER);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(with_code(&diagnostics, "JA005").unwrap()["severity"], 3);
    // A folder that every user may write: its config is ignored.
    let shared = dir.join("project/shared");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(shared.join("yasno.toml"), "ignore = [\"ALL\"]\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let uri = client.open("project/shared/c.txt", "plaintext", LETTER);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(with_code(&diagnostics, "JA005").unwrap()["severity"], 3);
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(client.finish(), 0);
}

#[test]
fn abbreviations_go_to_the_project_dictionary() {
    let mut client = Client::start("dictionary");
    let config = client.dir().join("yasno.toml");
    let original = "# Настройки нашего отдела\nprofile = \"external\" # гражданам\n\n[severity]\nJA005 = \"info\"\n";
    std::fs::write(&config, original).unwrap();
    client.initialize(
        json!({"workspace": {"workspaceEdit": {"documentChanges": true}}}),
        Value::Null,
    );
    std::fs::create_dir_all(client.dir().join("letters")).unwrap();
    let uri = client.open("letters/letter.txt", "plaintext", LETTER);
    let diagnostics = client.diagnostics(&uri, 1);
    // The project's config applies.
    assert_eq!(with_code(&diagnostics, "JA005").unwrap()["severity"], 3);
    let mkd = with_code(&diagnostics, "AB001").unwrap().clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": mkd["range"], "context": {"diagnostics": [mkd]}}),
    );
    let actions = actions.as_array().unwrap();
    // documentChanges carry the version the edit was made for.
    let replace = titled(actions, "«многоквартирный дом»");
    assert_eq!(
        replace["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );
    let add = titled(actions, "словарь проекта");
    let command = add["command"].clone();
    assert_eq!(command["command"], "yasno.addToDictionary");
    let result = client.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(result, Value::Null);
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.starts_with(original), "{written}");
    assert!(
        written.contains("[rule-options.AB001]\nknown = [\"МКД\"]"),
        "{written}"
    );
    // Open documents are checked again with the new dictionary.
    let republished = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri
            && !m["params"]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "AB001")
    });
    assert!(
        !republished["params"]["diagnostics"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Twice is harmless.
    client.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert_eq!(std::fs::read_to_string(&config).unwrap(), written);
    assert_eq!(client.finish(), 0);
}

#[test]
fn a_dictionary_file_is_created_in_the_workspace_root() {
    let mut client = Client::start("newdict");
    client.initialize(json!({}), Value::Null);
    let uri = client.open("letter.txt", "plaintext", LETTER);
    client.diagnostics(&uri, 1);
    client.request(
        "workspace/executeCommand",
        json!({"command": "yasno.addToDictionary", "arguments": [uri, "AB001", "МКД"]}),
    );
    let written = std::fs::read_to_string(client.dir().join("yasno.toml")).unwrap();
    assert!(written.contains("known = [\"МКД\"]"), "{written}");
    assert_eq!(client.finish(), 0);
}

#[test]
fn settings_from_the_client() {
    let mut client = Client::start("settings");
    client.initialize(
        json!({}),
        json!({"ignore": ["JA014"], "severity": {"AB001": "error"}}),
    );
    let uri = client.open("letter.txt", "plaintext", LETTER);
    let diagnostics = client.diagnostics(&uri, 1);
    assert!(with_code(&diagnostics, "JA014").is_none());
    assert_eq!(with_code(&diagnostics, "AB001").unwrap()["severity"], 1);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"yasno": {"select": ["JA014"]}}}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(codes(&diagnostics), ["JA014"]);
    // Bad settings are reported and the old ones kept.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"yasno": {"profile": "everyone"}}}),
    );
    let shown = client.wait_for(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 2);
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 1}}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("JA014")
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn bad_input_gets_the_right_error_and_the_server_goes_on() {
    let mut client = Client::start("robust");
    // Before initialize.
    let id = client.request_async("textDocument/hover", json!({}));
    assert_eq!(client.response(&json!(id))["error"]["code"], -32002);
    client.initialize(json!({}), Value::Null);
    // Malformed JSON: a parse error with a null id.
    client.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": ");
    let error = client.wait_for(|m| m["id"].is_null() && m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32700);
    // Valid JSON that is not a request: invalid request, echoing the id.
    client.send_raw(r#"{"jsonrpc": "2.0", "id": {"odd": 1}, "params": 3}"#);
    let error = client.wait_for(|m| m["id"] == json!({"odd": 1}));
    assert_eq!(error["error"]["code"], -32600);
    // An id that is neither an integer nor a string.
    client.send_raw(r#"{"jsonrpc": "2.0", "id": 1.5, "method": "textDocument/hover"}"#);
    let error = client.wait_for(|m| m["id"] == json!(1.5));
    assert_eq!(error["error"]["code"], -32600);
    // Unknown method.
    let id = client.request_async("textDocument/teleport", json!({}));
    assert_eq!(client.response(&json!(id))["error"]["code"], -32601);
    // Unknown notifications are ignored.
    client.notify("$/somethingNew", json!({"x": 1}));
    client.notify("textDocument/didChange", json!({"nonsense": true}));
    // Invalid params.
    let id = client.request_async(
        "textDocument/hover",
        json!({"textDocument": {"uri": 5}, "position": "here"}),
    );
    assert_eq!(client.response(&json!(id))["error"]["code"], -32602);
    // A document that is not open.
    let unknown = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.txt"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(unknown, Value::Null);
    client.change(
        "file:///nowhere.txt",
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]),
    );
    // Positions out of range are clamped: everything from the start to «far» is removed.
    let uri = client.open("letter.txt", "plaintext", LETTER);
    client.diagnostics(&uri, 1);
    let far = json!({"line": 4000, "character": 99999});
    client.change(
        &uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": far}, "text": ""}]),
    );
    let diagnostics = client.diagnostics(&uri, 2);
    assert!(
        diagnostics.is_empty(),
        "the text was cut to nothing: {diagnostics:?}"
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": far}),
    );
    assert_eq!(hover, Value::Null);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": far, "end": far}, "context": {"diagnostics": []}}),
    );
    assert_eq!(actions, json!([]));
    client.change(
        &uri,
        3,
        json!([{"range": {"start": far, "end": far}, "text": "Данный срок истёк."}]),
    );
    let diagnostics = client.diagnostics(&uri, 3);
    assert_eq!(
        with_code(&diagnostics, "JA005").unwrap()["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    // A second initialize is refused.
    let id = client.request_async("initialize", json!({"capabilities": {}}));
    assert_eq!(client.response(&json!(id))["error"]["code"], -32600);
    // The server still works.
    client.change(&uri, 4, json!([{"text": LETTER}]));
    assert!(!client.diagnostics(&uri, 4).is_empty());
    // After shutdown only exit is accepted.
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    let id = client.request_async("textDocument/hover", json!({}));
    assert_eq!(client.response(&json!(id))["error"]["code"], -32600);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 0);
}

#[test]
fn exit_without_shutdown_and_a_vanishing_client() {
    let mut client = Client::start("noshutdown");
    client.initialize(json!({}), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 1);

    let mut client = Client::start("vanish");
    client.initialize(json!({}), Value::Null);
    let uri = client.open("letter.txt", "plaintext", LETTER);
    client.diagnostics(&uri, 1);
    // Standard input closes: the editor died.
    assert_eq!(client.wait_exit(), 1);
}

#[test]
fn typing_fast_checks_only_the_latest_version() {
    let mut client = Client::start("typing");
    // A generous pause, so that a loaded machine cannot split the burst of keystrokes.
    client.initialize(json!({}), json!({"debounceMs": 300}));
    let uri = client.open("letter.txt", "plaintext", LETTER);
    client.diagnostics(&uri, 1);
    let word = "Данный срок. ";
    for (i, ch) in word.chars().enumerate() {
        let at = i as u64;
        client.change(
            &uri,
            2 + at as i64,
            json!([{"range": {"start": {"line": 0, "character": at}, "end": {"line": 0, "character": at}}, "text": ch.to_string()}]),
        );
    }
    let last = 1 + word.chars().count() as i64;
    let diagnostics = client.diagnostics(&uri, last);
    let dannyj: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "JA005")
        .collect();
    assert_eq!(dannyj.len(), 2, "{diagnostics:#?}");
    assert_eq!(
        dannyj[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    // Intermediate versions were never published. The burst's first keystroke may be checked at
    // once (the debounce is leading-edge, and on a loaded machine the first check can outlast the
    // pause), the ones after it never.
    let stale = client
        .backlog
        .iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"].as_i64().unwrap_or(0) > 2
        })
        .count();
    assert_eq!(stale, 0);
    assert_eq!(client.finish(), 0);
}

/// Time from `didChange` to the `publishDiagnostics` of that version, for a document of `size` bytes.
fn latency(size: usize) -> (Duration, Duration) {
    let mut client = Client::start(&format!("latency{size}"));
    client.initialize(json!({}), Value::Null);
    let letter =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/letter.txt"))
            .unwrap();
    let mut text = String::new();
    while text.len() < size {
        text.push_str(&letter);
        text.push('\n');
    }
    let lines = text.lines().count() as u64;
    let uri = client.open("big.txt", "plaintext", &text);
    client.diagnostics(&uri, 1);
    let mut samples = Vec::new();
    let mut responsive = Duration::ZERO;
    for round in 0..3u64 {
        let version = 2 + round as i64;
        let at = json!({"line": lines / 2, "character": 0});
        let started = Instant::now();
        client.change(
            &uri,
            version,
            json!([{"range": {"start": at, "end": at}, "text": "Данный "}]),
        );
        // The main loop answers while the check runs.
        let asked = Instant::now();
        client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///not-open.txt"}, "position": {"line": 0, "character": 0}}),
        );
        responsive = responsive.max(asked.elapsed());
        client.diagnostics(&uri, version);
        samples.push(started.elapsed());
    }
    samples.sort();
    assert_eq!(client.finish(), 0);
    (samples[samples.len() / 2], responsive)
}

#[test]
fn latency_from_did_change_to_diagnostics() {
    for size in [20_000, 200_000] {
        let (median, responsive) = latency(size);
        println!(
            "yasno lsp: {} KB document: didChange → publishDiagnostics median {} ms (edits after a pause: leading-edge debounce); another request answered within {} ms",
            size / 1000,
            median.as_millis(),
            responsive.as_millis()
        );
        assert!(
            responsive < Duration::from_secs(2),
            "the main loop waited for a check"
        );
        assert!(median < Duration::from_secs(20));
    }
}

/// The server's resident memory in KB (Linux), read from /proc.
fn resident_kb(client: &Client) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", client.child.id())).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 10 000 edits of a 20 KB letter, each checked: a word typed in, then taken out again, so the
/// text does not grow; the words cycle through a list, some of them findings. Memory must not grow
/// once the session is warm. For people, like the latency figures (it takes a minute in a
/// release build): `cargo test --release --test lsp -- --ignored --nocapture memory`.
#[test]
#[ignore = "a benchmark: 10 000 checked edits"]
fn memory_is_stable_over_ten_thousand_edits() {
    let mut client = Client::start("memory");
    client.initialize(json!({}), json!({"debounceMs": 0}));
    let letter =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/letter.txt"))
            .unwrap();
    let mut text = String::new();
    while text.len() < 20_000 {
        text.push_str(&letter);
        text.push('\n');
    }
    let line = text.lines().count() as u64 / 2;
    let uri = client.open("letter.txt", "plaintext", &text);
    client.diagnostics(&uri, 1);
    let words = [
        "Данный ",
        "вопрос ",
        "взят ",
        "на контроль ",
        "СЭД ",
        "Вы ",
        "заявление ",
        "уведомляем ",
        "в соответствии с ",
        "отопление ",
        "перерасчёт ",
        "квартира ",
    ];
    let mut resident = Vec::new();
    let mut version = 1;
    for edit in 0..10_000usize {
        let word = words[edit / 2 % words.len()];
        let start = json!({"line": line, "character": 0});
        let change = if edit % 2 == 0 {
            json!([{"range": {"start": start, "end": start}, "text": word}])
        } else {
            let end = json!({"line": line, "character": word.encode_utf16().count()});
            json!([{"range": {"start": start, "end": end}, "text": ""}])
        };
        version += 1;
        client.change(&uri, version, change);
        client.diagnostics(&uri, version);
        if (edit + 1) % 1000 == 0 {
            resident.push(resident_kb(&client).expect("/proc gives the server's memory"));
        }
    }
    println!("yasno lsp: resident memory (KB) after each 1 000 of 10 000 edits: {resident:?}");
    let warm = resident[0];
    let last = *resident.last().unwrap();
    assert_eq!(client.finish(), 0);
    // A few pages of slack for the allocator; a leak of even a few hundred bytes an edit is more.
    assert!(
        last <= warm + 2048,
        "memory grew from {warm} KB to {last} KB"
    );
}

/// The end-to-end test with a real editor: headless Neovim attaches `yasno lsp`, receives the
/// diagnostics and applies a quick fix. Skipped (with a note) when `nvim` is not installed, and
/// failed in CI, which installs it.
#[test]
fn neovim_end_to_end() {
    if !programs::available("nvim", &["--version"], "apt-get install neovim") {
        return;
    }
    let dir = scratch("nvim");
    let letter = dir.join("letter.txt");
    std::fs::write(&letter, LETTER).unwrap();
    let result = dir.join("result.txt");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/nvim/e2e.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!("luafile {script}"))
        .arg(&letter)
        .current_dir(&dir)
        .env("YASNO_BIN", env!("CARGO_BIN_EXE_yasno"))
        .env("YASNO_E2E_RESULT", &result)
        .env("XDG_CONFIG_HOME", &dir)
        .env("XDG_STATE_HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .env("XDG_CACHE_HOME", &dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let report = std::fs::read_to_string(&result).unwrap_or_else(|_| "no result file".into());
    let fixed = std::fs::read_to_string(&letter).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    println!("{report}");
    assert!(status.success(), "nvim failed: {report}");
    assert!(report.starts_with("ok"), "{report}");
    assert!(
        fixed.contains("Этот срок"),
        "the quick fix was applied and saved: {fixed}"
    );
}
