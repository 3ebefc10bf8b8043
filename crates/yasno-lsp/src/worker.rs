//! The lint worker: one thread that debounces, drops stale versions and runs the linter, so that
//! the main loop never waits for a check. It keeps one `LemmaCache` for the whole session.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, unbounded};

use super::settings::Settings;
use yasno_core::config::{ConfigError, Overrides};
use yasno_core::engine::LemmaCache;
use yasno_core::finding::Finding;
use yasno_core::input::{self, InputFormat};
use yasno_core::linter::Linter;
use yasno_core::text::Document;

pub struct LintJob {
    pub uri: String,
    pub version: i32,
    pub text: String,
    pub format: InputFormat,
    /// The file on disk, for finding its `yasno.toml`.
    pub path: Option<PathBuf>,
    pub root: Option<PathBuf>,
    pub settings: Arc<Settings>,
    /// Changes whenever the settings change, so that cached linters are rebuilt.
    pub settings_generation: u64,
    /// How long to wait for more changes before checking.
    pub delay: Duration,
}

pub enum Job {
    Lint(LintJob),
    /// The document was closed: drop its waiting job.
    Forget(String),
}

/// One checked version of a document.
pub struct Analysis {
    pub version: i32,
    pub doc: Document,
    pub findings: Vec<Finding>,
    /// The linter that checked it (its rules explain the findings).
    pub linter: Arc<Linter>,
    pub elapsed: Duration,
    /// Markdown can hide an inline directive in a comment; other formats cannot.
    pub format: InputFormat,
}

pub enum Event {
    /// `analysis` is None when the check failed (an internal error, already logged).
    Analyzed {
        uri: String,
        version: i32,
        analysis: Option<Box<Analysis>>,
    },
    /// A config file could not be used; the defaults were used instead.
    ConfigProblem(String),
}

/// Starts the worker; it ends when every sender of jobs is dropped.
pub fn spawn(events: Sender<Event>) -> (Sender<Job>, thread::JoinHandle<()>) {
    let (tx, rx) = unbounded();
    let handle = thread::Builder::new()
        .name("yasno-lsp-lint".into())
        .spawn(move || {
            Worker {
                events,
                cache: LemmaCache::new(),
                linters: HashMap::new(),
            }
            .run(rx)
        })
        .expect("spawn the lint thread");
    (tx, handle)
}

type LinterKey = (Option<PathBuf>, u64);
/// A config file's modification time and size: a changed file gives a new linter.
type Stamp = Option<(SystemTime, u64)>;

struct Worker {
    events: Sender<Event>,
    cache: LemmaCache,
    linters: HashMap<LinterKey, (Stamp, Arc<Linter>)>,
}

fn stamp(path: Option<&PathBuf>) -> Stamp {
    let meta = std::fs::metadata(path?).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Worker {
    fn run(mut self, rx: Receiver<Job>) {
        let mut pending: HashMap<String, (LintJob, Instant)> = HashMap::new();
        let accept = |job: Job, pending: &mut HashMap<String, (LintJob, Instant)>| match job {
            // A newer version replaces the waiting one: stale versions are never checked.
            Job::Lint(job) => {
                let due = Instant::now() + job.delay;
                pending.insert(job.uri.clone(), (job, due));
            }
            Job::Forget(uri) => {
                pending.remove(&uri);
            }
        };
        loop {
            while let Ok(job) = rx.try_recv() {
                accept(job, &mut pending);
            }
            let next = pending
                .iter()
                .min_by_key(|(_, (_, due))| *due)
                .map(|(uri, (_, due))| (uri.clone(), *due));
            match next {
                None => match rx.recv() {
                    Ok(job) => accept(job, &mut pending),
                    Err(_) => return,
                },
                Some((_, due)) if due > Instant::now() => {
                    match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                        Ok(job) => accept(job, &mut pending),
                        Err(RecvTimeoutError::Timeout) => {}
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                Some((uri, _)) => {
                    let (job, _) = pending.remove(&uri).expect("present");
                    let (uri, version) = (job.uri.clone(), job.version);
                    let analysis = self.check(job);
                    // A newer version arrived while checking: this result is stale, skip it.
                    while let Ok(job) = rx.try_recv() {
                        accept(job, &mut pending);
                    }
                    if pending.contains_key(&uri) {
                        continue;
                    }
                    let event = Event::Analyzed {
                        uri,
                        version,
                        analysis,
                    };
                    if self.events.send(event).is_err() {
                        return;
                    }
                }
            }
        }
    }

    fn check(&mut self, job: LintJob) -> Option<Box<Analysis>> {
        let started = Instant::now();
        let linter = self.linter(&job);
        let version = job.version;
        let format = job.format;
        let result = catch_unwind(AssertUnwindSafe(|| {
            let doc = input::document(job.text, job.format);
            let findings = linter.check_at(&doc, job.path.as_deref(), &mut self.cache);
            (doc, findings)
        }));
        match result {
            Ok((doc, findings)) => Some(Box::new(Analysis {
                version,
                doc,
                findings,
                linter,
                elapsed: started.elapsed(),
                format,
            })),
            Err(_) => {
                // The panic hook has logged where; the cache may be half-updated.
                self.cache = LemmaCache::new();
                None
            }
        }
    }

    /// The linter for a job's config file and settings, built once per file version.
    fn linter(&mut self, job: &LintJob) -> Arc<Linter> {
        let overrides = job.settings.overrides(job.root.as_deref());
        let file = overrides.config_file(job.path.as_deref().or(job.root.as_deref()));
        let key = (file.clone(), job.settings_generation);
        let now = stamp(file.as_ref());
        if let Some((stamp, linter)) = self.linters.get(&key)
            && *stamp == now
        {
            return linter.clone();
        }
        let built = match file.as_deref() {
            Some(file) => overrides
                .load(Some(file))
                .and_then(Linter::from_config)
                .map(Arc::new),
            None => without_config_file(&overrides),
        }
        .or_else(|e| {
            let _ = self.events.send(Event::ConfigProblem(e.to_string()));
            without_config_file(&overrides)
        })
        .or_else(|e| {
            let _ = self.events.send(Event::ConfigProblem(e.to_string()));
            Linter::with_default_rules()
                .map(Arc::new)
                .map_err(ConfigError::from)
        });
        let linter = built.unwrap_or_else(|_| {
            Arc::new(Linter::new(Default::default()).expect("no rules, nothing to refuse"))
        });
        // Keep the cache small: settings generations and edited files leave old entries behind.
        if self.linters.len() > 16 {
            self.linters.clear();
        }
        self.linters.insert(key, (now, linter.clone()));
        linter
    }
}

/// The linter for overrides without a config file, shared by every session in the process:
/// `yasno lsp` runs one session, but the fuzz target runs thousands, and compiling the rules
/// took 80% of its time.
fn without_config_file(overrides: &Overrides) -> Result<Arc<Linter>, ConfigError> {
    static SHARED: Mutex<Vec<(Overrides, Arc<Linter>)>> = Mutex::new(Vec::new());
    let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, linter)) = shared.iter().find(|(o, _)| o == overrides) {
        return Ok(linter.clone());
    }
    let linter = Arc::new(overrides.load(None).and_then(Linter::from_config)?);
    if shared.len() >= 4 {
        shared.remove(0);
    }
    shared.push((overrides.clone(), linter.clone()));
    Ok(linter)
}
