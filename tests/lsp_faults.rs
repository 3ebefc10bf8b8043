//! `yasno lsp` under fault: a client that sends malformed and out-of-order messages, a huge
//! document, 1 000 rapid edits, and cancels requests. The server stays up, answers every request
//! exactly once, and its memory does not keep growing.

#[path = "common/lsp_process.rs"]
mod lsp_process;

use std::collections::HashMap;
use std::io::Write;
use std::process::{Child, ChildStdin};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(120);
const URI: &str = "file:///nonexistent/letter.txt";
const LETTER: &str = "Уважаемый Иван Петрович!\nВ связи с вышеизложенным сообщаем: Ваше обращение взято на особый контроль.\n";

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Answers by request id (as JSON text), counted: each must come once.
    answers: HashMap<String, Vec<Value>>,
    notifications: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let dir = std::env::temp_dir().join(format!("yasno-lsp-faults-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (child, stdin, rx) = lsp_process::spawn(&dir);
        Client {
            child,
            stdin,
            messages: rx,
            answers: HashMap::new(),
            notifications: Vec::new(),
            next_id: 1000,
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn frame(&mut self, body: &str) {
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.frame(&json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string());
    }

    /// Sends a request; returns its id.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = json!(self.next_id);
        self.frame(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string(),
        );
        id
    }

    fn pump(&mut self, until: impl Fn(&Client) -> bool) {
        let deadline = Instant::now() + TIMEOUT;
        while !until(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self
                .messages
                .recv_timeout(left)
                .expect("the server answers in time and stays up");
            if message.get("method").is_some() && message.get("id").is_none() {
                self.notifications.push(message);
            } else if message.get("method").is_some() {
                // A request from the server (workspace/configuration): answer it empty.
                let id = message["id"].clone();
                self.frame(&json!({"jsonrpc": "2.0", "id": id, "result": [null]}).to_string());
            } else {
                self.answers
                    .entry(message["id"].to_string())
                    .or_default()
                    .push(message);
            }
        }
    }

    /// Waits for the answer to `id` and returns it.
    fn answer(&mut self, id: &Value) -> Value {
        let key = id.to_string();
        self.pump(|c| c.answers.contains_key(&key));
        self.answers[&key][0].clone()
    }

    fn initialize(&mut self) {
        let id = self.request("initialize", json!({"capabilities": {}}));
        assert!(self.answer(&id)["result"]["capabilities"].is_object());
        self.notify("initialized", json!({}));
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        );
    }

    fn hover(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    /// The server is alive and checks: a hover on the letter is answered.
    fn assert_alive(&mut self) {
        let id = self.hover(URI, 1, 40);
        let answer = self.answer(&id);
        assert!(
            answer.get("result").is_some() || answer.get("error").is_some(),
            "{answer}"
        );
    }

    fn memory_kb(&self) -> u64 {
        self.status_kb("VmRSS:")
    }

    /// The most memory the server has held so far.
    fn peak_memory_kb(&self) -> u64 {
        self.status_kb("VmHWM:")
    }

    fn status_kb(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    /// Waits for the diagnostics published for `version` of `uri`, and returns them.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let matches = |n: &Value| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == uri
                && n["params"]["version"] == version
        };
        self.pump(|c| c.notifications.iter().any(matches));
        let found = self
            .notifications
            .iter()
            .rev()
            .find(|n| matches(n))
            .unwrap();
        found["params"]["diagnostics"].as_array().unwrap().clone()
    }

    /// The `window/showMessage` texts received so far.
    fn shown(&self) -> Vec<String> {
        self.notifications
            .iter()
            .filter(|n| n["method"] == "window/showMessage")
            .map(|n| {
                n["params"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }

    fn shutdown(mut self) {
        let id = self.request("shutdown", Value::Null);
        self.answer(&id);
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "exit after shutdown: {status}");
                break;
            }
            assert!(Instant::now() < deadline, "the server ends after exit");
            std::thread::sleep(Duration::from_millis(20));
        }
        // Parse errors are answered with a null id: those are not counted.
        for (id, answers) in self.answers.iter().filter(|(id, _)| *id != "null") {
            assert_eq!(answers.len(), 1, "request {id} answered once: {answers:?}");
        }
    }
}

#[test]
fn malformed_and_out_of_order_messages_are_answered_and_survived() {
    let mut c = Client::start();
    // Before initialize: requests get ServerNotInitialized, notifications are ignored.
    let early = c.hover(URI, 0, 0);
    assert_eq!(c.answer(&early)["error"]["code"], -32002);
    c.open(URI, LETTER);
    c.initialize();
    // A second initialize is an error, not a restart.
    let again = c.request("initialize", json!({"capabilities": {}}));
    assert!(c.answer(&again)["error"].is_object());
    // Garbage that is not JSON, JSON that is not JSON-RPC, bad headers, a lying length.
    c.frame("{not json at all");
    c.frame("[1, 2, 3]");
    c.frame(r#"{"jsonrpc":"2.0","id":{"a":1},"method":"textDocument/hover"}"#);
    c.frame(r#"{"jsonrpc":"2.0","id":7.5,"method":"shutdown"}"#);
    c.raw(b"Content-Type: text/plain\r\n\r\n");
    c.raw(b"Content-Length: banana\r\n\r\n{}");
    c.raw(b"\r\n\r\n");
    c.frame("\u{FEFF}{}");
    c.frame(&String::from_utf8_lossy(&[0xC3, 0x28, 0xA0, 0xA1]));
    // Wrong params for every method it knows; unknown methods.
    let mut ids = Vec::new();
    for method in [
        "textDocument/hover",
        "textDocument/codeAction",
        "workspace/executeCommand",
        "no/such/method",
    ] {
        ids.push(c.request(
            method,
            json!({"textDocument": 5, "position": "x", "range": []}),
        ));
        ids.push(c.request(method, Value::Null));
        ids.push(c.request(method, json!([1, 2])));
    }
    for method in [
        "textDocument/didOpen",
        "textDocument/didChange",
        "textDocument/didClose",
        "workspace/didChangeConfiguration",
        "$/cancelRequest",
    ] {
        c.notify(
            method,
            json!({"textDocument": {"uri": 5}, "contentChanges": "x"}),
        );
        c.notify(method, Value::Null);
    }
    // A change to a document that is not open, a close of one that is not open.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///other.txt", "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///other.txt"}}),
    );
    // Positions far outside the text, a reversed range, a range inside a surrogate pair.
    c.open(URI, LETTER);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 99, "character": 5}, "end": {"line": 0, "character": 4_000_000_000u64}}, "text": "👍"},
            {"range": {"start": {"line": 1, "character": 1}, "end": {"line": 0, "character": 0}}, "text": "В"},
            {"range": {"start": {"line": 2, "character": 1}, "end": {"line": 2, "character": 1}}, "text": "x"}
        ]}),
    );
    ids.push(c.hover(URI, u32::MAX, u32::MAX));
    ids.push(c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 5, "character": 9}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}),
    ));
    for id in &ids {
        let answer = c.answer(id);
        assert!(
            answer.get("result").is_some() || answer["error"]["code"].is_i64(),
            "{answer}"
        );
    }
    // A request to a closed document, then the server is still checking.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let closed = c.hover(URI, 0, 0);
    assert!(c.answer(&closed).get("result").is_some());
    c.open(URI, LETTER);
    c.assert_alive();
    c.shutdown();
}

/// Regression: one message without a `Content-Length`, or with a wrong one, left the server deaf
/// for the rest of the session. It now reads on from the next header.
#[test]
fn a_badly_framed_message_does_not_leave_the_server_deaf() {
    let mut c = Client::start();
    c.initialize();
    c.open(URI, LETTER);
    let body = json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}).to_string();
    let bad_frames = [
        format!("Content-Type: application/json\r\n\r\n{body}"),
        format!("Content-Length: {}\r\n\r\n{body}", body.len() / 2),
        format!("Content-Length: {}\r\n\r\n{body}", body.len() + 40),
    ];
    for bad in bad_frames {
        c.raw(bad.as_bytes());
        c.assert_alive();
    }
    c.shutdown();
}

/// Regression: a document of any size was analysed (60 MB took 6.2 GB). One over the text limit
/// of `yasno check` is refused with a message, and gets no diagnostics; one that is back under the
/// limit is checked again. A message too large to read is skipped, and the client is told.
#[test]
fn a_document_over_the_text_limit_is_refused_with_a_message() {
    let mut c = Client::start();
    c.initialize();
    let limit = yasno_core::input::MAX_INPUT_BYTES as usize;
    c.open(URI, &"a".repeat(limit + 1));
    c.pump(|c| c.shown().iter().any(|m| m.contains("не проверяется")));
    assert!(
        c.shown()[0].contains(&(limit + 1).to_string()),
        "{:?}",
        c.shown()
    );
    let published: Vec<&Value> = c
        .notifications
        .iter()
        .filter(|n| n["method"] == "textDocument/publishDiagnostics")
        .collect();
    assert!(
        published
            .iter()
            .all(|n| n["params"]["diagnostics"] == json!([])),
        "no diagnostics for a refused document"
    );
    let id = c.hover(URI, 0, 0);
    assert_eq!(c.answer(&id)["result"], Value::Null);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": LETTER}]}),
    );
    assert!(
        !c.diagnostics(URI, 2).is_empty(),
        "checked again once small"
    );

    let shown_before = c.shown().len();
    let oversized = limit + 2 * 1024 * 1024;
    c.raw(format!("Content-Length: {oversized}\r\n\r\n").as_bytes());
    c.raw(&vec![b' '; oversized]);
    c.pump(|c| c.shown().len() > shown_before);
    assert!(
        c.shown()[shown_before].contains("пропущено"),
        "{:?}",
        c.shown()
    );
    c.assert_alive();
    c.shutdown();
}

/// Regression: the server held some 50 times the size of a document it checked (every diagnostic
/// built at once, then copied into a JSON value tree). Its peak, above what it held with a short
/// letter open, stays under 20 times the text.
#[test]
fn the_servers_memory_for_a_document_is_bounded_by_its_size() {
    let mut c = Client::start();
    c.initialize();
    c.open(URI, LETTER);
    c.diagnostics(URI, 1);
    let idle = c.peak_memory_kb();
    let other = "file:///nonexistent/large.txt";
    let large = LETTER.repeat(3 * 1024 * 1024 / LETTER.len());
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": other, "languageId": "plaintext", "version": 1, "text": large}}),
    );
    let found = c.diagnostics(other, 1).len();
    let peak = c.peak_memory_kb();
    let text_kb = large.len() as u64 / 1024;
    println!(
        "{text_kb} KB with {found} diagnostics: peak {peak} KB, {idle} KB before ({:.1}× the text)",
        (peak - idle) as f64 / text_kb as f64
    );
    assert!(found > 10_000);
    assert!(
        peak - idle < 20 * text_kb,
        "peak {peak} KB, {idle} KB before, for {text_kb} KB of text"
    );
    c.shutdown();
}

#[test]
fn requests_after_shutdown_are_refused_and_exit_ends_the_server() {
    let mut c = Client::start();
    c.initialize();
    let id = c.request("shutdown", Value::Null);
    assert!(c.answer(&id).get("result").is_some());
    let late = c.hover(URI, 0, 0);
    assert!(c.answer(&late)["error"].is_object());
    c.notify("exit", Value::Null);
    drop(c.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    while c.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "exit ends the server");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_huge_document_is_checked_and_the_server_stays_responsive() {
    let mut c = Client::start();
    c.initialize();
    // About 1 MB of letter text: some 6 000 copies of a letter, 500 times a long letter.
    let huge = LETTER.repeat(1024 * 1024 / LETTER.len());
    let started = Instant::now();
    c.open(URI, &huge);
    let id = c.hover(URI, 1, 40);
    c.answer(&id);
    println!(
        "{} bytes opened and checked in {:.2?}",
        huge.len(),
        started.elapsed()
    );
    // Replacing it whole with a short letter brings the check back to normal.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": LETTER}]}),
    );
    c.assert_alive();
    c.shutdown();
}

#[test]
fn rapid_edits_and_cancellations_leave_every_request_answered_and_memory_flat() {
    let mut c = Client::start();
    c.initialize();
    c.open(URI, LETTER);
    c.assert_alive();
    let mut version = 1;
    let mut ids = Vec::new();
    let mut batch = |c: &mut Client, ids: &mut Vec<Value>| {
        for i in 0..1_000 {
            version += 1;
            // Type a character at the end of line 1, then delete it again: the text stays a letter.
            let change = if i % 2 == 0 {
                json!({"range": {"start": {"line": 1, "character": 5}, "end": {"line": 1, "character": 5}}, "text": "ё"})
            } else {
                json!({"range": {"start": {"line": 1, "character": 5}, "end": {"line": 1, "character": 6}}, "text": ""})
            };
            c.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]}),
            );
            if i % 50 == 0 {
                let id = c.hover(URI, 1, 40);
                // Cancel every other one at once; each still gets exactly one answer.
                if i % 100 == 0 {
                    c.notify("$/cancelRequest", json!({"id": id}));
                }
                ids.push(id);
            }
        }
        // Cancelling an answered or unknown request is harmless.
        c.notify("$/cancelRequest", json!({"id": 999_999}));
        c.notify("$/cancelRequest", json!({"id": "no-such"}));
    };
    let started = Instant::now();
    batch(&mut c, &mut ids);
    for id in ids.clone() {
        let answer = c.answer(&id);
        assert!(
            answer.get("result").is_some() || answer["error"]["code"] == -32800,
            "answered or cancelled: {answer}"
        );
    }
    println!(
        "1 000 edits with 20 requests answered in {:.2?}",
        started.elapsed()
    );
    let after_first = c.memory_kb();
    for _ in 0..3 {
        batch(&mut c, &mut ids);
    }
    for id in ids.clone() {
        c.answer(&id);
    }
    c.assert_alive();
    let after_more = c.memory_kb();
    println!("memory: {after_first} kB after 1 000 edits, {after_more} kB after 4 000");
    if after_first > 0 {
        assert!(
            after_more < after_first + 20 * 1024,
            "memory grows with edits: {after_first} kB → {after_more} kB"
        );
    }
    // The last published diagnostics are for the last version.
    c.pump(|c| {
        c.notifications.iter().rev().any(|n| {
            n["method"] == "textDocument/publishDiagnostics" && n["params"]["version"] == version
        })
    });
    c.shutdown();
}
