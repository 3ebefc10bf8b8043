//! `yasno check`: one linter per config file, the files checked on all cores, the report written
//! in input order as files finish, the exit status from the worst finding.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::{CheckArgs, OutputFormat};
use super::fix::{FileToFix, Fixed, fix_file};
use super::ordered;
use super::print::{Printer, STDOUT_ERROR, print_out, stdout_failed};
use super::walk::{collect_paths, distinct_files};
use yasno_core::config::FailOn;
use yasno_core::engine::LemmaCache;
use yasno_core::finding::Severity;
use yasno_core::input::{self, InputFormat};
use yasno_core::linter::Linter;
use yasno_core::output::FileReport;
use yasno_core::output::stream::{Format, Part, Renderer};
use yasno_core::safe_write::Snapshot;

/// What checking one file gave: its rendered output, or the messages that stand in its place.
#[derive(Default)]
struct FileOutcome {
    part: Option<Part>,
    /// The most severe finding, for the exit status.
    worst: Option<Severity>,
    /// Error and warning lines for standard error, printed in input order.
    messages: Vec<String>,
    failed: bool,
    diff: String,
    fixed: usize,
    /// With `--fix -`: the text for standard output, fixed or as it came.
    text: Option<Vec<u8>>,
}

impl FileOutcome {
    /// Ends the file's work with an error line: it counts as a file that could not be checked.
    fn fail(mut self, message: String) -> Self {
        self.messages.push(message);
        self.failed = true;
        self
    }

    /// A file whose check panicked: reported like a file that cannot be read. The panic's own
    /// message may quote the letter, so it is not repeated here (see main.rs).
    fn panicked(display: &str, files: usize) -> Self {
        FileOutcome::default().fail(panicked_message(display, files))
    }
}

/// The error line for a file whose check panicked, one of `files`. The panic's own message may
/// quote the letter, so it is not repeated.
pub(crate) fn panicked_message(display: &str, files: usize) -> String {
    let others = if files > 1 {
        "; the other files were checked"
    } else {
        ""
    };
    format!(
        "yasno: error: {display}: internal error while checking this file (please report it){others}"
    )
}

/// Files at which `yasno check` shows a progress bar (when standard error is a terminal).
const PROGRESS_MIN_FILES: usize = 50;

thread_local! {
    /// One cache of word analyses per worker thread: no locking, and each thread's cache warms up
    /// on the words of the files it checks.
    static CACHE: std::cell::RefCell<LemmaCache> = std::cell::RefCell::new(LemmaCache::new());
}

/// Runs `work` with this thread's cache of word analyses.
pub(crate) fn with_thread_cache<R>(work: impl FnOnce(&mut LemmaCache) -> R) -> R {
    // Taken out while in use: after a panic midway the thread gets a fresh cache, not a
    // half-updated one.
    let mut cache = CACHE.take();
    let result = work(&mut cache);
    CACHE.set(cache);
    result
}

pub(super) fn check(args: CheckArgs) -> ExitCode {
    // Start-up work that needs no arguments runs on other cores meanwhile: opening the embedded
    // dictionary (its checks take milliseconds) and compiling the tokenizer's patterns, while
    // this thread reads the config and parses the rules (the rules wait for the dictionary).
    std::thread::spawn(|| {
        yasno_core::morphology::dictionary();
    });
    std::thread::spawn(|| yasno_core::text::Document::new("1 a@b.ru").tokens.len());
    let mut paths = Vec::new();
    for path in &args.paths {
        collect_paths(path, &mut paths);
    }
    let paths = distinct_files(paths);
    // One linter per config file: files in different projects follow their own `yasno.toml`.
    // Linters are built first, in input order, so that a config error stops the run as before.
    // Never dropped: the process ends after the report, and freeing the compiled rules piece by
    // piece took a tenth of the time of checking one letter.
    let mut linters: std::mem::ManuallyDrop<HashMap<Option<PathBuf>, Linter>> =
        std::mem::ManuallyDrop::default();
    let mut jobs: Vec<(PathBuf, String, Option<PathBuf>)> = Vec::with_capacity(paths.len());
    let overrides = args.overrides();
    let mut fail_on: Option<FailOn> = None;
    // The configs in the order their first files came: SARIF describes a rule as the first of
    // them defines it, the same in every run.
    let mut config_order: Vec<Option<PathBuf>> = Vec::new();
    for path in paths {
        let from_stdin = path.as_os_str() == "-";
        let display = if from_stdin {
            args.stdin_filename
                .clone()
                .unwrap_or_else(|| "-".to_string())
        } else {
            path.display().to_string()
        };
        let near = if from_stdin {
            Path::new(&display)
        } else {
            path.as_path()
        };
        let config_path = overrides.config_file(Some(near));
        let linter = match linters.entry(config_path.clone()) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                config_order.push(config_path.clone());
                match overrides
                    .load(config_path.as_deref())
                    .and_then(Linter::from_config)
                {
                    Ok(linter) => entry.insert(linter),
                    Err(e) => {
                        eprintln!("yasno: error: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
        };
        // The first config's threshold that is set (`--fail-on` sets it in every config).
        if fail_on.is_none() {
            fail_on = linter.config().fail_on;
        }
        jobs.push((path, display, config_path));
    }

    let progress =
        (jobs.len() >= PROGRESS_MIN_FILES && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(jobs.len() as u64),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} файлов, {per_sec}, осталось {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
    let format = match args.format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Concise => Format::Concise,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
        OutputFormat::Human => {
            let choice = anstream::AutoStream::choice(&std::io::stdout());
            let color = !args.no_color && !matches!(choice, anstream::ColorChoice::Never);
            Format::Human { color }
        }
    };
    // `--diff` prints the replacements only: no report is rendered.
    let renderer = (!args.diff).then(|| {
        Renderer::new(
            format,
            config_order.iter().map(|config| linters[config].rules()),
        )
    });
    let check_one = |(path, display, config_path): &(PathBuf, String, Option<PathBuf>)| {
        // Nobody reads the report any more: the files left are not checked, unless they are
        // being fixed (that is the work asked for; the report is secondary).
        if stdout_failed() != 0 && !args.fix {
            return FileOutcome::default();
        }
        let linter = &linters[config_path];
        with_thread_cache(|cache| {
            check_file(&args, linter, path, display, renderer.as_ref(), cache)
        })
    };

    // `--fix -` is a filter, as formatters are: standard output is the text, fixed or not, and
    // the report goes to standard error.
    let filtering = args.fix && jobs.iter().any(|(path, ..)| path.as_os_str() == "-");
    let mut printer = Printer::new(progress, filtering);
    let mut writer = renderer.as_ref().map(Renderer::writer);
    if let Some(writer) = &writer {
        printer.out(writer.header());
    }
    let mut input_failed = false;
    let mut changed = false;
    let mut fixed_count = 0;
    let mut worst = None;
    let mut filtered_text = Vec::new();
    // Files are checked on all cores; each file's output is written as soon as the files before
    // it are, so that only the files in progress are in memory.
    ordered::run_in_order(
        &jobs,
        RESULTS_AHEAD_PER_THREAD,
        check_one,
        |index, outcome| {
            let outcome =
                outcome.unwrap_or_else(|_| FileOutcome::panicked(&jobs[index].1, jobs.len()));
            for message in &outcome.messages {
                printer.err(message);
            }
            input_failed |= outcome.failed;
            fixed_count += outcome.fixed;
            filtered_text.extend(outcome.text.unwrap_or_default());
            worst = worst.max(outcome.worst);
            changed |= !outcome.diff.is_empty();
            printer.out(&outcome.diff);
            if let (Some(writer), Some(part)) = (&mut writer, outcome.part) {
                writer.write(part, &mut |text| printer.out(text));
            }
            if let Some(bar) = &printer.progress {
                bar.inc(1);
            }
        },
    );
    if let Some(writer) = writer {
        printer.out(writer.finish());
    }
    printer.finish();

    if args.diff {
        // `--diff` prints the changed text only.
        return if input_failed {
            ExitCode::from(2)
        } else if changed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    if filtering {
        print_out(&filtered_text);
    }
    if fixed_count > 0 {
        eprintln!("yasno: fixed {fixed_count} finding(s)");
    }
    // A report cut short by a write error is no answer; one whose reader left (`| head`) ends
    // with the status of what was checked, as a complete one would.
    if input_failed || stdout_failed() == STDOUT_ERROR {
        return ExitCode::from(2);
    }
    let threshold = fail_on.unwrap_or(FailOn::Error).threshold();
    if threshold.is_some_and(|threshold| worst.is_some_and(|worst| worst >= threshold)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Finished files per thread that may wait for an earlier, slower one before they are written.
pub(crate) const RESULTS_AHEAD_PER_THREAD: usize = 16;

/// Loads, checks and (with `--fix`/`--diff`) fixes one file. The file is read once: the fixes
/// are made to those bytes, and written back only if the file is still what was read.
fn check_file(
    args: &CheckArgs,
    linter: &Linter,
    path: &Path,
    display: &str,
    renderer: Option<&Renderer>,
    cache: &mut LemmaCache,
) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    let from_stdin = path.as_os_str() == "-";
    let format = input::InputFormat::from_path(if from_stdin { Path::new(display) } else { path });
    let read = if from_stdin {
        input::read_limited_bytes(std::io::stdin().lock()).map(|bytes| (bytes, None))
    } else {
        input::read_file_with_metadata(path)
            .map(|(bytes, metadata)| (bytes, Some(Snapshot::of(&metadata))))
    };
    let (bytes, snapshot) = match read {
        Ok(read) => read,
        Err(e) => return outcome.fail(format!("yasno: error: {display}: {e}")),
    };
    // `--fix -` is a filter: the text goes out whatever happens to it, unchanged if not fixed.
    let echo = (from_stdin && args.fix).then(|| bytes.clone());
    // A text that was fixed was read as text or Markdown: its document is rebuilt the same way.
    let text_format = *format.as_ref().unwrap_or(&InputFormat::Text);
    let loading = if args.fix || args.diff {
        input::load_for_writing(bytes, format)
    } else {
        input::load_bytes(bytes, format).map(|document| input::Loaded {
            document,
            storage: Err(input::NotWritable::Word),
        })
    };
    let loaded = match loading {
        Ok(loaded) => loaded,
        Err(e) => {
            outcome.text = echo;
            return outcome.fail(format!("yasno: error: {display}: {e}"));
        }
    };
    let mut document = loaded.document;
    #[cfg(debug_assertions)]
    panic_if_asked(path, &document);
    // Where the config's `per-file-ignores` look: standard input is its `--stdin-filename`.
    let named = if from_stdin {
        args.stdin_filename.as_deref().map(Path::new)
    } else {
        Some(path)
    };
    let mut findings = linter.check_at(&document, named, cache);
    if args.fix || args.diff {
        let file = FileToFix {
            path,
            display,
            from_stdin,
            storage: loaded.storage,
            snapshot: snapshot.as_ref(),
            diff: args.diff,
        };
        match fix_file(file, document.text(), &findings) {
            Fixed::Nothing => {}
            Fixed::Refused(warning) => outcome.messages.push(warning),
            Fixed::Diff(diff) => outcome.diff = diff,
            Fixed::Failed(error) => {
                outcome.text = echo;
                return outcome.fail(error);
            }
            Fixed::Written {
                text,
                applied,
                stdout,
            } => {
                if stdout.is_some() {
                    outcome.text = stdout;
                }
                outcome.fixed += applied;
                // Report what is left after the fixes: the text as written.
                let encoding = document.encoding;
                document = input::document(text, text_format);
                document.encoding = encoding;
                findings = linter.check_at(&document, named, cache);
            }
        }
    }
    if outcome.text.is_none() {
        outcome.text = echo;
    }
    outcome.worst = findings.iter().map(|f| f.severity).max();
    let report = FileReport {
        path: display.to_string(),
        document,
        findings,
    };
    outcome.part = renderer.map(|renderer| renderer.part(report, linter.rules()));
    outcome
}

/// Hidden, for tests/robustness.rs, in debug builds only: checking a file of this name panics
/// with the letter's text as the panic message, which must never be printed.
#[cfg(debug_assertions)]
fn panic_if_asked(path: &Path, document: &yasno_core::text::Document) {
    if std::env::var_os("YASNO_TEST_PANIC_ON").is_some_and(|name| path.file_name() == Some(&name)) {
        panic!("{}", document.text());
    }
}
