//! `yasno lsp`: the Language Server Protocol over stdio, so that every editor with an LSP client
//! shows the findings as the clerk types.
//!
//! Threads: a reader and a writer (`transport`), this main loop, and one lint worker (`worker`).
//! The main loop only keeps documents and answers requests; checking happens on the worker,
//! debounced, and results for versions that are no longer current are dropped. Requests that
//! need findings (hover, code actions) wait for the check of the current version.
//!
//! Letters hold personal data: nothing here logs document text, and the panic hook prints only
//! where a panic happened, never its message (which could quote the text).

mod actions;
mod position;
mod settings;
mod transport;
mod worker;

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    ExecuteCommandOptions, ExecuteCommandParams, HoverParams, HoverProviderCapability,
    InitializeResult, MessageType, PublishDiagnosticsParams, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use position::Encoding;
use settings::Settings;
use transport::Incoming;
use worker::{Analysis, Event, Job, LintJob};
use yasno_core::config::edit::{self, DictionaryKey};
use yasno_core::input::InputFormat;
use yasno_core::text::LineIndex;

/// Runs the server on stdin/stdout until `exit` or the end of input.
pub fn run() -> ExitCode {
    install_panic_hook();
    match serve(std::io::stdin(), std::io::stdout(), Options::default()) {
        0 => ExitCode::SUCCESS,
        code => ExitCode::from(code),
    }
}

/// How [`serve`] runs; the default is `yasno lsp`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// The same input always gives the same output (for fuzzing): each message is handled to the
    /// end, its checks included, before the next one; edits are not debounced; the file system
    /// is left alone (no config file is read, the dictionary command is refused).
    pub deterministic: bool,
}

/// Runs the server over any byte streams until `exit` or the end of input; returns the exit
/// status: 0 after `shutdown` and `exit`, 1 otherwise. Installs no panic hook.
pub fn serve(
    input: impl std::io::Read + Send + 'static,
    output: impl std::io::Write + Send + 'static,
    options: Options,
) -> u8 {
    let (incoming, out, writer) = transport::spawn(input, output);
    let (events_tx, events) = crossbeam_channel::unbounded();
    let (jobs, worker) = worker::spawn(events_tx);
    let code = Server::new(out, jobs, events, options).serve(&incoming);
    // Every sender of the writer and the worker is gone now: they finish and end.
    let _ = writer.join();
    if options.deterministic {
        // No thread outlives the session (`yasno lsp` exits instead of waiting for a check).
        let _ = worker.join();
    }
    code
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown place".into());
        eprintln!(
            "yasno lsp: internal error at {place}; the request was dropped, the server goes on"
        );
    }));
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShuttingDown,
}

struct Doc {
    uri: Uri,
    text: String,
    version: i32,
    /// None for languages yasno does not check (the document is kept, never linted).
    format: Option<InputFormat>,
    path: Option<PathBuf>,
    analysis: Option<Box<Analysis>>,
    /// The version the last finished check was for (also set when the check failed).
    checked_version: Option<i32>,
    /// When the last change arrived: a change after a pause is checked at once, a burst is debounced.
    last_change: Option<std::time::Instant>,
    /// Over the text limit: not checked, and the client was told so once.
    too_large: bool,
}

impl Doc {
    fn is_fresh(&self) -> bool {
        self.format.is_none() || self.checked_version == Some(self.version)
    }

    fn fresh_analysis(&self) -> Option<&Analysis> {
        self.analysis
            .as_deref()
            .filter(|a| a.version == self.version)
    }
}

struct Server {
    out: Sender<Vec<u8>>,
    worker: Sender<Job>,
    events: Receiver<Event>,
    phase: Phase,
    encoding: Encoding,
    document_changes: bool,
    markdown_hover: bool,
    /// The client answers `workspace/configuration` requests.
    pull_configuration: bool,
    roots: Vec<PathBuf>,
    settings: Arc<Settings>,
    settings_generation: u64,
    docs: HashMap<String, Doc>,
    /// Requests waiting for the check of their document's current version.
    deferred: Vec<Request>,
    /// Config problems already shown, so that typing does not repeat them.
    shown_problems: HashSet<String>,
    next_request: i32,
    configuration_requests: HashSet<RequestId>,
    /// YASNO_LSP_LOG=timing: how long each check took, on stderr.
    log_timing: bool,
    deterministic: bool,
}

/// Answers that end handling a request: an error to send back.
struct Failure {
    code: i32,
    message: String,
}

impl Failure {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Failure {
            code: code as i32,
            message: message.into(),
        }
    }
}

fn params<P: DeserializeOwned>(value: Value) -> Result<P, Failure> {
    serde_json::from_value(value)
        .map_err(|e| Failure::new(ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

/// The local path of a `file:` URI.
pub fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // Skip the authority ("" or "localhost").
    let path = &rest[rest.find('/')?..];
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(byte) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            decoded.push(byte);
            i += 3;
            continue;
        }
        if bytes[i] == b'?' || bytes[i] == b'#' {
            break;
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    let path = String::from_utf8(decoded).ok()?;
    // "/C:/Users/…" on Windows.
    if cfg!(windows) && path.as_bytes().get(2) == Some(&b':') {
        return Some(PathBuf::from(&path[1..]));
    }
    Some(PathBuf::from(path))
}

/// Which documents are checked, and how: Markdown is masked, plain text is read as is.
fn format_of(language_id: &str, path: Option<&Path>) -> Option<InputFormat> {
    let ext = path
        .and_then(Path::extension)
        .map(|e| e.to_string_lossy().to_lowercase());
    match (language_id, ext.as_deref()) {
        ("markdown" | "md", _) | (_, Some("md" | "markdown")) => Some(InputFormat::Markdown),
        ("plaintext" | "text" | "txt" | "yasno", _) | (_, Some("txt")) => Some(InputFormat::Text),
        _ => None,
    }
}

impl Server {
    fn new(
        out: Sender<Vec<u8>>,
        worker: Sender<Job>,
        events: Receiver<Event>,
        options: Options,
    ) -> Self {
        Server {
            out,
            worker,
            events,
            phase: Phase::Uninitialized,
            encoding: Encoding::Utf16,
            document_changes: false,
            markdown_hover: false,
            pull_configuration: false,
            roots: Vec::new(),
            settings: Arc::new(Settings {
                no_config: options.deterministic,
                ..Settings::default()
            }),
            settings_generation: 0,
            docs: HashMap::new(),
            deferred: Vec::new(),
            shown_problems: HashSet::new(),
            next_request: 0,
            configuration_requests: HashSet::new(),
            log_timing: std::env::var("YASNO_LSP_LOG").is_ok_and(|v| v.contains("timing")),
            deterministic: options.deterministic,
        }
    }

    /// The main loop; returns the exit status: 0 after `shutdown` and `exit`, 1 otherwise.
    fn serve(mut self, incoming: &Receiver<Incoming>) -> u8 {
        loop {
            select! {
                recv(incoming) -> message => match message {
                    Ok(Incoming::Message(Message::Notification(n))) if n.method == "exit" => {
                        return if self.phase == Phase::ShuttingDown { 0 } else { 1 };
                    }
                    Ok(message) => {
                        self.guarded(message);
                        if self.deterministic && !self.settle() {
                            return 1;
                        }
                    }
                    // The client went away without `exit`.
                    Err(_) => return 1,
                },
                recv(self.events) -> event => match event {
                    Ok(event) => self.guarded_event(event),
                    Err(_) => return 1,
                },
            }
        }
    }

    /// Waits until every open document's current version is checked (deferred requests are
    /// answered on the way). False when the worker is gone.
    fn settle(&mut self) -> bool {
        while self.docs.values().any(|doc| !doc.is_fresh()) {
            match self.events.recv() {
                Ok(event) => self.guarded_event(event),
                Err(_) => return false,
            }
        }
        true
    }

    fn guarded_event(&mut self, event: Event) {
        let outcome = catch_unwind(AssertUnwindSafe(|| self.on_event(event)));
        if outcome.is_err() {
            eprintln!("yasno lsp: a check result was dropped");
        }
    }

    fn send(&self, message: impl Into<Message>) {
        let _ = self.out.send(transport::frame(&message.into()));
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let _ = self
            .out
            .send(transport::notification_frame(method, &params));
    }

    fn show(&self, typ: MessageType, message: String) {
        self.notify("window/showMessage", ShowMessageParams { typ, message });
    }

    /// One message; a panic while handling it answers a request with an internal error and
    /// leaves the server running.
    fn guarded(&mut self, incoming: Incoming) {
        let id = match &incoming {
            Incoming::Message(Message::Request(r)) => Some(r.id.clone()),
            _ => None,
        };
        let outcome = catch_unwind(AssertUnwindSafe(|| self.dispatch(incoming)));
        if outcome.is_err()
            && let Some(id) = id
        {
            self.send(Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                "internal error in yasno (details are in the server's log)".into(),
            ));
        }
    }

    fn dispatch(&mut self, incoming: Incoming) {
        match incoming {
            Incoming::Malformed { id, parse_error } => match (id, parse_error) {
                (_, true) => {
                    let _ = self.out.send(transport::null_id_error(
                        ErrorCode::ParseError as i32,
                        "parse error: the message is not JSON",
                    ));
                }
                (Some(id), false) => {
                    let _ = self.out.send(transport::raw_error(
                        &id,
                        ErrorCode::InvalidRequest as i32,
                        "invalid request: not a JSON-RPC 2.0 request",
                    ));
                }
                (None, false) => {
                    eprintln!("yasno lsp: ignored a message without a valid frame or id");
                }
            },
            Incoming::Oversized { bytes } => self.show(
                MessageType::WARNING,
                format!(
                    "yasno: сообщение редактора пропущено: в нём {bytes} байт, больше предела в {} МиБ (документ такого размера не проверяется)",
                    yasno_core::input::MAX_INPUT_BYTES / 1024 / 1024
                ),
            ),
            Incoming::Message(Message::Request(request)) => self.on_request(request),
            Incoming::Message(Message::Notification(n)) => self.on_notification(n),
            Incoming::Message(Message::Response(response)) => self.on_response(response),
        }
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let result = match (self.phase, request.method.as_str()) {
            (Phase::Uninitialized, "initialize") => self.initialize(request.params),
            (Phase::Uninitialized, _) => Err(Failure::new(
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet",
            )),
            (_, "initialize") => Err(Failure::new(
                ErrorCode::InvalidRequest,
                "initialize was already received",
            )),
            (Phase::ShuttingDown, _) => Err(Failure::new(
                ErrorCode::InvalidRequest,
                "shutdown was requested: only exit is accepted",
            )),
            (_, "shutdown") => {
                self.phase = Phase::ShuttingDown;
                Ok(Some(Value::Null))
            }
            (_, "textDocument/hover" | "textDocument/codeAction") => {
                self.on_document_request(request)
            }
            (_, "workspace/executeCommand") => self.execute_command(request.params),
            (_, method) => Err(Failure::new(
                ErrorCode::MethodNotFound,
                format!("unknown method {method}"),
            )),
        };
        match result {
            Ok(Some(value)) => self.send(Response::new_ok(id, value)),
            // Deferred: answered when the check arrives.
            Ok(None) => {}
            Err(failure) => self.send(Response::new_err(id, failure.code, failure.message)),
        }
    }

    fn initialize(&mut self, params: Value) -> Result<Option<Value>, Failure> {
        if !params.is_object() {
            return Err(Failure::new(
                ErrorCode::InvalidParams,
                "initialize needs an object",
            ));
        }
        let strings = |pointer: &str| -> Vec<String> {
            params
                .pointer(pointer)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let flag = |pointer: &str| {
            params
                .pointer(pointer)
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        let offered = strings("/capabilities/general/positionEncodings");
        // clangd's older extension, which Neovim 0.7 and some other clients send instead.
        let legacy = strings("/capabilities/offsetEncoding");
        let legacy_used = offered.is_empty() && !legacy.is_empty();
        self.encoding = Encoding::negotiate(if legacy_used { &legacy } else { &offered });
        self.document_changes = flag("/capabilities/workspace/workspaceEdit/documentChanges");
        self.markdown_hover = strings("/capabilities/textDocument/hover/contentFormat")
            .iter()
            .any(|f| f == "markdown");
        self.pull_configuration = flag("/capabilities/workspace/configuration");
        let folders = params
            .get("workspaceFolders")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.get("uri")?.as_str())
                    .filter_map(uri_path)
                    .collect()
            })
            .unwrap_or_default();
        self.roots = folders;
        if self.roots.is_empty()
            && let Some(root) = params
                .get("rootUri")
                .and_then(Value::as_str)
                .and_then(uri_path)
                .or_else(|| {
                    params
                        .get("rootPath")
                        .and_then(Value::as_str)
                        .map(PathBuf::from)
                })
        {
            self.roots.push(root);
        }
        if let Some(options) = params.get("initializationOptions") {
            self.apply_settings(options);
        }
        self.phase = Phase::Running;
        let capabilities = ServerCapabilities {
            position_encoding: Some(self.encoding.kind()),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    ..Default::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![
                    CodeActionKind::QUICKFIX,
                    CodeActionKind::from(actions::FIX_ALL_KIND.to_string()),
                ]),
                ..Default::default()
            })),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: vec![
                    actions::ADD_TO_DICTIONARY.into(),
                    actions::IGNORE_IN_FILE.into(),
                ],
                ..Default::default()
            }),
            ..Default::default()
        };
        let result = InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "yasno".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        let mut value = serde_json::to_value(result).expect("serialises");
        if legacy_used {
            value["offsetEncoding"] = Value::String(self.encoding.name().into());
        }
        Ok(Some(value))
    }

    /// New settings from the client; bad settings are reported and the old ones kept.
    fn apply_settings(&mut self, value: &Value) {
        match Settings::from_value(value) {
            Ok(mut settings) => {
                settings.no_config |= self.deterministic;
                if *self.settings != settings {
                    self.settings = Arc::new(settings);
                    self.settings_generation += 1;
                    self.relint_all();
                }
            }
            Err(e) => self.show(
                MessageType::WARNING,
                format!("yasno: настройки не приняты: {e}"),
            ),
        }
    }

    fn root_for(&self, path: Option<&Path>) -> Option<PathBuf> {
        path.and_then(|p| self.roots.iter().find(|r| p.starts_with(r)))
            .or(self.roots.first())
            .cloned()
    }

    fn on_notification(&mut self, n: Notification) {
        if self.phase == Phase::Uninitialized {
            return;
        }
        let method = n.method.clone();
        let outcome = match method.as_str() {
            "textDocument/didOpen" => params(n.params).map(|p| self.did_open(p)),
            "textDocument/didChange" => params(n.params).map(|p| self.did_change(p)),
            "textDocument/didClose" => params(n.params).map(|p| self.did_close(p)),
            "textDocument/didSave" => {
                // A saved config file changes the findings of every open letter.
                let is_config = n
                    .params
                    .pointer("/textDocument/uri")
                    .and_then(Value::as_str)
                    .is_some_and(|u| u.ends_with(".toml"));
                if is_config {
                    self.relint_all();
                }
                Ok(())
            }
            "workspace/didChangeConfiguration" => {
                let settings = n.params.get("settings").cloned().unwrap_or(Value::Null);
                let empty =
                    settings.is_null() || settings.as_object().is_some_and(|o| o.is_empty());
                if empty && self.pull_configuration {
                    self.request_configuration();
                } else {
                    self.apply_settings(&settings);
                }
                Ok(())
            }
            "workspace/didChangeWatchedFiles" => {
                self.relint_all();
                Ok(())
            }
            "initialized" => {
                if self.pull_configuration {
                    self.request_configuration();
                }
                Ok(())
            }
            "$/cancelRequest" => {
                if let Some(id) = n
                    .params
                    .get("id")
                    .cloned()
                    .and_then(|id| serde_json::from_value::<RequestId>(id).ok())
                {
                    self.cancel(id);
                }
                Ok(())
            }
            _ => Ok(()),
        };
        if outcome.is_err() {
            // Notifications get no answer. The details are not logged: a parser's message can
            // quote a value of the params, which may be letter text.
            eprintln!("yasno lsp: ignored {method}: its params are not valid");
        }
    }

    fn on_response(&mut self, response: Response) {
        if !self.configuration_requests.remove(&response.id) {
            return;
        }
        if let Ok(Value::Array(items)) = response.response_result
            && let Some(first) = items.first()
            && !first.is_null()
        {
            let first = first.clone();
            self.apply_settings(&first);
        }
    }

    fn request_configuration(&mut self) {
        self.next_request += 1;
        let id = RequestId::from(format!("yasno-config-{}", self.next_request));
        self.configuration_requests.insert(id.clone());
        self.send(Request::new(
            id,
            "workspace/configuration".into(),
            serde_json::json!({ "items": [{ "section": "yasno" }] }),
        ));
    }

    fn cancel(&mut self, id: RequestId) {
        if let Some(index) = self.deferred.iter().position(|r| r.id == id) {
            self.deferred.remove(index);
            self.send(Response::new_err(
                id,
                ErrorCode::RequestCanceled as i32,
                "canceled".into(),
            ));
        }
    }

    fn did_open(&mut self, p: DidOpenTextDocumentParams) {
        let item = p.text_document;
        let key = item.uri.as_str().to_string();
        let path = uri_path(&key);
        let format = format_of(&item.language_id, path.as_deref());
        self.docs.insert(
            key.clone(),
            Doc {
                uri: item.uri,
                text: item.text,
                version: item.version,
                format,
                path,
                analysis: None,
                checked_version: None,
                last_change: None,
                too_large: false,
            },
        );
        self.schedule(&key, Duration::ZERO);
    }

    fn did_change(&mut self, p: DidChangeTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(&key) else {
            eprintln!("yasno lsp: a change for a document that is not open was ignored");
            return;
        };
        for change in p.content_changes {
            match change.range {
                Some(range) => {
                    let index = LineIndex::new(&doc.text);
                    let span = position::span(&doc.text, &index, range, encoding);
                    doc.text.replace_range(span, &change.text);
                }
                None => doc.text = change.text,
            }
        }
        doc.version = p.text_document.version;
        // The last check is not for this text, even when a client repeats the version number.
        doc.checked_version = None;
        // Leading-edge debounce: the first keystroke after a pause is checked at once (the clerk
        // sees the finding immediately); keystrokes that follow within the debounce wait for it.
        let debounce = if self.deterministic {
            Duration::ZERO
        } else {
            self.settings.debounce()
        };
        let now = std::time::Instant::now();
        let in_burst = doc
            .last_change
            .is_some_and(|last| now.duration_since(last) < debounce);
        doc.last_change = Some(now);
        let delay = if in_burst { debounce } else { Duration::ZERO };
        self.schedule(&key, delay);
    }

    fn did_close(&mut self, p: DidCloseTextDocumentParams) {
        let key = p.text_document.uri.as_str().to_string();
        if let Some(doc) = self.docs.remove(&key) {
            let _ = self.worker.send(Job::Forget(key.clone()));
            self.notify(
                "textDocument/publishDiagnostics",
                PublishDiagnosticsParams::new(doc.uri, Vec::new(), None),
            );
        }
        self.answer_deferred(&key);
    }

    fn schedule(&mut self, key: &str, delay: Duration) {
        let Some(doc) = self.docs.get_mut(key).filter(|doc| doc.format.is_some()) else {
            return;
        };
        // The limit of `yasno check`: a larger text is not analysed (its analysis would take many
        // times its size), its old findings are withdrawn, and requests about it get no answer
        // from a stale check.
        let too_large = doc.text.len() as u64 > yasno_core::input::MAX_INPUT_BYTES;
        let told = std::mem::replace(&mut doc.too_large, too_large);
        if too_large {
            doc.analysis = None;
            doc.checked_version = Some(doc.version);
            let (uri, size) = (doc.uri.clone(), doc.text.len());
            let _ = self.worker.send(Job::Forget(key.to_string()));
            self.notify(
                "textDocument/publishDiagnostics",
                PublishDiagnosticsParams::new(uri, Vec::new(), None),
            );
            if !told {
                self.show(
                    MessageType::WARNING,
                    format!(
                        "yasno: документ не проверяется: в нём {size} байт, больше предела в {} МиБ",
                        yasno_core::input::MAX_INPUT_BYTES / 1024 / 1024
                    ),
                );
            }
            self.answer_deferred(key);
            return;
        }
        let Some((doc, Some(format))) = self.docs.get(key).map(|doc| (doc, doc.format)) else {
            return;
        };
        let job = LintJob {
            uri: key.to_string(),
            version: doc.version,
            text: doc.text.clone(),
            format,
            path: doc.path.clone(),
            root: self.root_for(doc.path.as_deref()),
            settings: self.settings.clone(),
            settings_generation: self.settings_generation,
            delay,
        };
        let _ = self.worker.send(Job::Lint(job));
    }

    fn relint_all(&mut self) {
        let keys: Vec<String> = self.docs.keys().cloned().collect();
        for key in keys {
            // A re-check of the same version: mark it not yet checked so that requests wait.
            if let Some(doc) = self.docs.get_mut(&key) {
                doc.checked_version = None;
            }
            self.schedule(&key, Duration::ZERO);
        }
    }

    fn on_event(&mut self, event: Event) {
        match event {
            Event::ConfigProblem(message) => {
                if self.shown_problems.insert(message.clone()) {
                    self.show(
                        MessageType::ERROR,
                        format!("yasno: {message} (проверка идёт с настройками по умолчанию)"),
                    );
                }
            }
            Event::Analyzed {
                uri,
                version,
                analysis,
            } => {
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                if doc.version != version {
                    // Stale: a newer version is on its way.
                    return;
                }
                doc.checked_version = Some(version);
                if let Some(analysis) = analysis {
                    if self.log_timing {
                        // Sizes and times only: never the text.
                        eprintln!(
                            "yasno lsp: checked version {version} ({} bytes, {} findings) in {} ms",
                            analysis.doc.text().len(),
                            analysis.findings.len(),
                            analysis.elapsed.as_millis()
                        );
                    }
                    let target = actions::Target {
                        uri: &doc.uri,
                        encoding: self.encoding,
                        document_changes: self.document_changes,
                        markdown: self.markdown_hover,
                        rules_url: self.settings.rules_url.as_deref(),
                    };
                    // Each diagnostic is made as it is written: a large document's are not all
                    // held at once.
                    let frame = transport::notification_frame(
                        "textDocument/publishDiagnostics",
                        &Publish {
                            uri: &doc.uri,
                            diagnostics: Diagnostics {
                                analysis: &analysis,
                                target: &target,
                            },
                            version,
                        },
                    );
                    doc.analysis = Some(analysis);
                    let _ = self.out.send(frame);
                }
                self.answer_deferred(&uri);
            }
        }
    }

    fn answer_deferred(&mut self, key: &str) {
        let (ready, waiting): (Vec<Request>, Vec<Request>) = std::mem::take(&mut self.deferred)
            .into_iter()
            .partition(|r| request_uri(r).as_deref() == Some(key));
        self.deferred = waiting;
        for request in ready {
            self.guarded(Incoming::Message(Message::Request(request)));
        }
    }

    /// Hover and code actions: answered from the check of the current version, waiting for it
    /// when it is still running.
    fn on_document_request(&mut self, request: Request) -> Result<Option<Value>, Failure> {
        let Some(key) = request_uri(&request) else {
            return Err(Failure::new(
                ErrorCode::InvalidParams,
                "invalid params: no textDocument.uri",
            ));
        };
        let Some(doc) = self.docs.get(&key) else {
            // Not open (or already closed): nothing to say about it.
            return Ok(Some(Value::Null));
        };
        if !doc.is_fresh() {
            self.deferred.push(request);
            return Ok(None);
        }
        let Some(analysis) = doc.fresh_analysis() else {
            return Ok(Some(Value::Null));
        };
        let target = actions::Target {
            uri: &doc.uri,
            encoding: self.encoding,
            document_changes: self.document_changes,
            markdown: self.markdown_hover,
            rules_url: self.settings.rules_url.as_deref(),
        };
        let text = analysis.doc.text();
        let lines = &analysis.doc.lines;
        let value = if request.method == "textDocument/hover" {
            let p: HoverParams = params(request.params)?;
            let offset = position::offset(
                text,
                lines,
                p.text_document_position_params.position,
                self.encoding,
            );
            serde_json::to_value(actions::hover(analysis, offset, &target))
        } else {
            let p: CodeActionParams = params(request.params)?;
            let span = position::span(text, lines, p.range, self.encoding);
            let only = p.context.only.as_deref();
            serde_json::to_value(actions::code_actions(analysis, span, only, &target))
        };
        Ok(Some(value.expect("serialises")))
    }

    fn execute_command(&mut self, params_value: Value) -> Result<Option<Value>, Failure> {
        let p: ExecuteCommandParams = params(params_value)?;
        match p.command.as_str() {
            actions::ADD_TO_DICTIONARY => self.add_to_dictionary(&p),
            actions::IGNORE_IN_FILE => self.ignore_in_file(&p),
            _ => Err(Failure::new(
                ErrorCode::InvalidParams,
                format!("unknown command {}", p.command),
            )),
        }
    }

    /// The project's `yasno.toml` that the editor's commands write to, for the document `uri`.
    fn project_config(&self, uri: &str) -> Result<(Option<PathBuf>, PathBuf), Failure> {
        if self.deterministic {
            return Err(Failure::new(
                ErrorCode::RequestFailed,
                "this session does not write files",
            ));
        }
        let path = uri_path(uri);
        let root = self.root_for(path.as_deref());
        match settings::dictionary_file(&self.settings, path.as_deref(), root.as_deref()) {
            Some(file) => Ok((path, file)),
            None => Err(Failure::new(
                ErrorCode::RequestFailed,
                "no project folder to put yasno.toml in",
            )),
        }
    }

    /// «Do not check CODE in this file»: the file's entry in the project config's
    /// `per-file-ignores` (the letter itself is not touched).
    fn ignore_in_file(&mut self, p: &ExecuteCommandParams) -> Result<Option<Value>, Failure> {
        let arg = |i: usize| p.arguments.get(i).and_then(Value::as_str);
        let (Some(uri), Some(code)) = (arg(0), arg(1)) else {
            return Err(Failure::new(
                ErrorCode::InvalidParams,
                "yasno.ignoreInFile takes [uri, code]",
            ));
        };
        let known = self
            .docs
            .values()
            .filter_map(|d| d.analysis.as_deref())
            .any(|a| a.linter.rules().get(code).is_some());
        if !known {
            return Err(Failure::new(
                ErrorCode::InvalidParams,
                format!("unknown rule {code}"),
            ));
        }
        let (path, file) = self.project_config(uri)?;
        let Some(path) = path else {
            return Err(Failure::new(
                ErrorCode::RequestFailed,
                "the document is not a file on disk",
            ));
        };
        let pattern = edit::per_file_pattern(&file, &path);
        let key = DictionaryKey::PerFileIgnore {
            pattern: pattern.clone(),
        };
        match edit::add_word(&file, &key, code) {
            Ok(_) => {
                self.show(
                    MessageType::INFO,
                    format!(
                        "yasno: {code} не проверяется в «{pattern}» ({}, per-file-ignores)",
                        file.display()
                    ),
                );
                self.relint_all();
                Ok(Some(Value::Null))
            }
            Err(e) => Err(Failure::new(
                ErrorCode::RequestFailed,
                format!("cannot update the config file: {e}"),
            )),
        }
    }

    fn add_to_dictionary(&mut self, p: &ExecuteCommandParams) -> Result<Option<Value>, Failure> {
        let arg = |i: usize| {
            p.arguments
                .get(i)
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let (Some(uri), Some(code), Some(word)) = (arg(0), arg(1), arg(2)) else {
            return Err(Failure::new(
                ErrorCode::InvalidParams,
                "yasno.addToDictionary takes [uri, code, word]",
            ));
        };
        let word = word.trim().to_string();
        if word.is_empty() || word.contains(['\n', '\r']) {
            return Err(Failure::new(ErrorCode::InvalidParams, "the word is empty"));
        }
        let (_, file) = self.project_config(&uri)?;
        let key = self
            .docs
            .values()
            .filter_map(|d| d.analysis.as_deref())
            .find(|a| a.linter.rules().get(&code).is_some())
            .map_or(DictionaryKey::AcceptedWords, |a| {
                a.linter.dictionary_key(&code)
            });
        match edit::add_word(&file, &key, &word) {
            Ok(added) => {
                let place = match &key {
                    DictionaryKey::RuleOption { code, key } => format!("rule-options.{code}.{key}"),
                    DictionaryKey::AcceptedWords => "accepted-words".into(),
                    DictionaryKey::PerFileIgnore { pattern } => {
                        format!("per-file-ignores.{pattern}")
                    }
                };
                let message = if added {
                    format!("yasno: «{word}» добавлено в {} ({place})", file.display())
                } else {
                    format!("yasno: «{word}» уже есть в {}", file.display())
                };
                self.show(MessageType::INFO, message);
                self.relint_all();
                Ok(Some(Value::Null))
            }
            Err(e) => Err(Failure::new(
                ErrorCode::RequestFailed,
                format!("cannot update the config file: {e}"),
            )),
        }
    }
}

fn request_uri(request: &Request) -> Option<String> {
    request
        .params
        .pointer("/textDocument/uri")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// `PublishDiagnosticsParams`, with the diagnostics made one at a time as they are serialised.
#[derive(serde::Serialize)]
struct Publish<'a> {
    uri: &'a Uri,
    diagnostics: Diagnostics<'a>,
    version: i32,
}

struct Diagnostics<'a> {
    analysis: &'a Analysis,
    target: &'a actions::Target<'a>,
}

impl serde::Serialize for Diagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.analysis
                .findings
                .iter()
                .map(|finding| actions::diagnostic(self.analysis, finding, self.target)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths() {
        assert_eq!(
            uri_path("file:///home/u/%D0%BF%D0%B8%D1%81%D1%8C%D0%BC%D0%BE.md"),
            Some(PathBuf::from("/home/u/письмо.md"))
        );
        assert_eq!(
            uri_path("file://localhost/tmp/a%20b.txt"),
            Some(PathBuf::from("/tmp/a b.txt"))
        );
        assert_eq!(uri_path("untitled:Untitled-1"), None);
        assert_eq!(uri_path("file:///bad%zz"), Some(PathBuf::from("/bad%zz")));
    }

    #[test]
    fn formats_follow_the_language_or_the_extension() {
        assert_eq!(format_of("markdown", None), Some(InputFormat::Markdown));
        assert_eq!(format_of("plaintext", None), Some(InputFormat::Text));
        assert_eq!(
            format_of("text", Some(Path::new("/a/b.md"))),
            Some(InputFormat::Markdown)
        );
        assert_eq!(format_of("rust", Some(Path::new("/a/b.rs"))), None);
    }
}
