//! The command line: `yasno check`, `yasno rules`, `yasno explain`. Exit status: 0 when no finding
//! reaches the failure threshold, 1 when one does, 2 for a usage or input error.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU8, Ordering};

use clap::{Parser, Subcommand, ValueEnum};

use std::collections::HashMap;

use yasno_core::config::{Config, ConfigError, FailOn, Profile};
use yasno_core::engine::LemmaCache;
use yasno_core::finding::Severity;
use yasno_core::fix;
use yasno_core::input::{self, InputFormat};
use yasno_core::linter::Linter;
use yasno_core::output::FileReport;
use yasno_core::output::stream::{Format, Part, Renderer};
use yasno_core::safe_write::{ReplaceError, Snapshot};

pub(crate) mod ordered;
mod score;

#[derive(Parser)]
#[command(name = "yasno", version, about = "Линтер ответов госорганов гражданам: канцелярит, отписки, агрессия, непонятные сокращения.", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check letters (.txt, .md, .docx; `-` for standard input; folders recursively)
    Check(CheckArgs),
    /// List every rule: code, category, severity, title
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Explain a rule: why, what to write instead, and the clause of the regulation behind it
    Explain {
        /// Rule code, such as JA001, or rule name
        code: String,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Run the language server (LSP over stdio) for editors: findings as you type
    Lsp,
    /// Score sample answers 0–100 with a breakdown by category: a table, JSON, CSV or an HTML report
    Score(ScoreArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files, folders (read recursively: .txt, .md, .docx) or quoted globs; `-` reads standard input
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Exit with status 1 when a finding of this severity or worse is found [default: error]
    #[arg(long, value_enum)]
    fail_on: Option<FailOnArg>,
    /// Never colour the output (NO_COLOR is respected too)
    #[arg(long)]
    no_color: bool,
    /// Name to report for standard input; its extension chooses the format (.md)
    #[arg(long)]
    stdin_filename: Option<String>,
    /// Only these rules: codes, code prefixes or category names, comma-separated (replaces the config's)
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules: codes, code prefixes or category names, comma-separated (added to the config's)
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Apply the safe replacements (text and Markdown files only, replaced atomically); with `-`, print the text and report on standard error
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// Show the safe replacements as a unified diff; change nothing
    #[arg(long)]
    diff: bool,
    #[command(flatten)]
    config: ConfigArgs,
}

/// `yasno score`: the arguments only; the command lives in `cli/score.rs`.
#[derive(clap::Args)]
pub(crate) struct ScoreArgs {
    /// Answers to score: files or folders (recursively)
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = score::ScoreFormat::Table)]
    pub(crate) format: score::ScoreFormat,
    /// Write the report to this new file (readable by its owner only); without it, to standard output
    #[arg(long, short)]
    pub(crate) output: Option<PathBuf>,
    /// Replace the file that --output names if it exists
    #[arg(long, requires = "output")]
    pub(crate) force: bool,
    /// A model answer: show for each answer what the reference avoided and the answer did not
    #[arg(long)]
    pub(crate) reference: Option<PathBuf>,
    /// Never colour the table (NO_COLOR is respected too)
    #[arg(long)]
    pub(crate) no_color: bool,
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

#[derive(clap::Args)]
pub(crate) struct ConfigArgs {
    /// Use this config file instead of the nearest `yasno.toml`
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Ignore every config file: built-in defaults only
    #[arg(long, global = true, conflicts_with = "config")]
    no_config: bool,
    /// Letter profile: reply to a citizen (external) or to a colleague (internal)
    #[arg(long, global = true, value_enum)]
    profile: Option<ProfileArg>,
    /// Make every `yasno-ignore` directive in the letters ineffective (the pre-send gate)
    #[arg(long, global = true)]
    no_inline_ignores: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// Each finding with the line underlined, like rustc and ruff
    Human,
    /// One line a finding: path:line:column: severity[CODE] message
    Concise,
    /// One JSON document (byte offsets, lines, columns in characters)
    Json,
    /// SARIF 2.1.0 for code-scanning dashboards
    Sarif,
    /// GitHub Actions workflow annotations
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(arg: FailOnArg) -> Self {
        match arg {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Hint => FailOn::Hint,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    External,
    Internal,
}

impl ConfigArgs {
    /// The config file for a file or folder: `--config`, else the one `Config::discover` finds.
    pub(crate) fn config_file(&self, near: &Path) -> Option<PathBuf> {
        if self.no_config {
            None
        } else {
            self.config.clone().or_else(|| Config::discover(near))
        }
    }

    /// The config for a file: `--config`, else the nearest `yasno.toml`, else the defaults; then
    /// the command line's own settings on top.
    pub(crate) fn resolve(&self, near: &Path) -> Result<Config, ConfigError> {
        let mut config = match self.config_file(near) {
            Some(path) => Config::load(&path)?,
            None => Config::default(),
        };
        config.named_by_user = self.config.is_some();
        if let Some(profile) = self.profile {
            config.profile = match profile {
                ProfileArg::External => Profile::External,
                ProfileArg::Internal => Profile::Internal,
            };
        }
        if self.no_inline_ignores {
            config.inline_ignores = Some(false);
        }
        Ok(config)
    }

    /// One config for files that must be judged alike (`yasno score`): the one that `check` would
    /// use for each of them, which must then be the same file for all. `fallback` is where the
    /// search starts when there are no files.
    pub(crate) fn resolve_shared(
        &self,
        files: &[PathBuf],
        fallback: &Path,
    ) -> Result<Config, String> {
        let mut by_folder: HashMap<&Path, Option<PathBuf>> = HashMap::new();
        let mut chosen: Vec<Option<PathBuf>> = Vec::new();
        for file in files {
            let folder = file.parent().unwrap_or(Path::new(""));
            let config = by_folder
                .entry(folder)
                .or_insert_with(|| self.config_file(file));
            if !chosen.contains(config) {
                chosen.push(config.clone());
            }
        }
        if chosen.len() > 1 {
            let names: Vec<String> = chosen
                .iter()
                .map(|c| {
                    c.as_ref()
                        .map_or("the defaults".into(), |p| p.display().to_string())
                })
                .collect();
            return Err(format!(
                "the answers fall under different configs ({}), so their scores would not compare: score them separately or name one with --config",
                names.join(", ")
            ));
        }
        let near = files.first().map_or(fallback, PathBuf::as_path);
        self.resolve(near).map_err(|e| e.to_string())
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules { format, config } => match linter_for(&config, Path::new(".")) {
            Ok(linter) => {
                print_out(rules_table(&linter, format));
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Command::Explain { code, config } => match linter_for(&config, Path::new(".")) {
            Ok(linter) => explain(&linter, &code),
            Err(code) => code,
        },
        Command::Lsp => yasno_lsp::run(),
        Command::Score(args) => score::run(&args),
    };
    // Output lost to a write error (a full disk) is no answer, whatever the command found.
    if stdout_failed() == STDOUT_ERROR {
        ExitCode::from(2)
    } else {
        status
    }
}

fn linter_for(config: &ConfigArgs, near: &Path) -> Result<Linter, ExitCode> {
    config
        .resolve(near)
        .and_then(Linter::from_config)
        .map_err(|e| {
            eprintln!("yasno: error: {e}");
            ExitCode::from(2)
        })
}

/// Why standard output took no more: nothing (0), a closed pipe (`yasno check … | head`: the
/// reader has what it wanted), or another write error (a full disk: the report is incomplete).
static STDOUT_FAILED: AtomicU8 = AtomicU8::new(0);
const STDOUT_CLOSED: u8 = 1;
const STDOUT_ERROR: u8 = 2;

fn stdout_failed() -> u8 {
    STDOUT_FAILED.load(Ordering::Relaxed)
}

/// Writes to standard output. After a failed write nothing more is written, and `yasno check`
/// stops checking (unless it is fixing files): the rest of the report would go nowhere.
pub(crate) fn print_out(text: impl AsRef<[u8]>) {
    if stdout_failed() != 0 {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_ref())
        .and_then(|()| stdout.flush())
    {
        let why = if e.kind() == std::io::ErrorKind::BrokenPipe {
            STDOUT_CLOSED
        } else {
            STDOUT_ERROR
        };
        let first = STDOUT_FAILED
            .compare_exchange(0, why, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok();
        if first && why == STDOUT_ERROR {
            eprintln!("yasno: error: cannot write the report to standard output: {e}");
        }
    }
}

pub(crate) fn collect_paths(path: &Path, out: &mut Vec<PathBuf>) {
    // A quoted glob (`"letters/**/*.txt"`, for shells and systems that do not expand it) is
    // expanded here; a path that exists is taken as it is, whatever characters it has.
    let text = path.to_string_lossy();
    if !path.exists()
        && text.contains(['*', '?', '['])
        && let Ok(matches) = glob::glob(&text)
    {
        let mut expanded: Vec<PathBuf> = matches.filter_map(Result::ok).collect();
        if !expanded.is_empty() {
            expanded.sort();
            for found in expanded {
                walk(&found, out);
            }
            return;
        }
    }
    walk(path, out);
}

/// A folder's letters, in name order, depth first; any other path as it is (its reading then
/// says what is wrong with it). Iterative, so that deep trees cost time linear in their size; a
/// symbolic link is followed to what it names, and a folder reached twice (through a link to a
/// parent, or two links to one folder) is walked once.
fn walk(path: &Path, out: &mut Vec<PathBuf>) {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return;
    }
    let mut walked_folders = std::collections::HashSet::new();
    let mut entries = walkdir::WalkDir::new(path)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            // A link back to a folder being walked: already walked.
            Err(e) if e.loop_ancestor().is_some() => continue,
            // A broken link (or a file removed meanwhile) is not a letter.
            Err(e)
                if e.io_error()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
            {
                continue;
            }
            // A folder that cannot be listed (or a path too long to open) is reported when it
            // is read.
            Err(e) => {
                out.extend(e.path().map(Path::to_path_buf));
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            let first_visit = folder_identity(&entry).is_none_or(|id| walked_folders.insert(id));
            if !first_visit {
                entries.skip_current_dir();
            }
            continue;
        }
        let is_letter = entry.path().extension().is_some_and(|ext| {
            matches!(
                ext.to_string_lossy().to_lowercase().as_str(),
                "txt" | "md" | "markdown" | "docx"
            )
        });
        // Only regular files: reading a FIFO named *.txt would wait forever.
        if is_letter && file_type.is_file() {
            out.push(entry.into_path());
        }
    }
}

/// What tells a folder from every other, reached by any path: its device and inode (kept as
/// numbers: holding a handle to each folder would run out of file descriptors in a large tree).
#[cfg(unix)]
fn folder_identity(entry: &walkdir::DirEntry) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    let metadata = entry.metadata().ok()?;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn folder_identity(entry: &walkdir::DirEntry) -> Option<PathBuf> {
    entry.path().canonicalize().ok()
}

/// The paths without a second name for a file already listed (the same path twice, a symbolic
/// link and its target, two hard links, `-` twice): a file is checked, and fixed, once. Paths
/// that cannot be read are kept as they are, for their own error.
fn distinct_files(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    let mut stdin_seen = false;
    paths
        .into_iter()
        .filter(|path| {
            if path.as_os_str() == "-" {
                // Read once: a second `-` would find it empty.
                !std::mem::replace(&mut stdin_seen, true)
            } else {
                file_identity(path).is_none_or(|id| seen.insert(id))
            }
        })
        .collect()
}

/// Device and inode: one file whatever it is called.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Without inodes, the fully resolved path (links followed).
#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

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

fn check(args: CheckArgs) -> ExitCode {
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
    let mut fail_on: Option<FailOn> = args.fail_on.map(FailOn::from);
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
        let config_path = args.config.config_file(near);
        let linter = match linters.entry(config_path.clone()) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                config_order.push(config_path.clone());
                let mut config = match args.config.resolve(near) {
                    Ok(config) => config,
                    Err(e) => {
                        eprintln!("yasno: error: {e}");
                        return ExitCode::from(2);
                    }
                };
                if !args.select.is_empty() {
                    config.select = args.select.clone();
                }
                config.ignore.extend(args.ignore.iter().cloned());
                match Linter::from_config(config) {
                    Ok(linter) => entry.insert(linter),
                    Err(e) => {
                        eprintln!("yasno: error: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
        };
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

/// Writes as files finish: standard output, or held back; the progress bar kept clear of both.
struct Printer {
    progress: Option<indicatif::ProgressBar>,
    /// The report goes to standard error (standard output carries the text: `--fix -`).
    to_stderr: bool,
    /// Output for a pipe or a file, written in blocks rather than with a system call or two per
    /// checked file; a terminal gets each file's output at once.
    pending: Option<Vec<u8>>,
}

/// How much output waits before it is written to a pipe or a file.
const OUTPUT_BLOCK: usize = 64 * 1024;

impl Printer {
    fn new(progress: Option<indicatif::ProgressBar>, to_stderr: bool) -> Self {
        let to_terminal = std::io::stdout().is_terminal();
        Printer {
            to_stderr,
            pending: (!to_terminal && progress.is_none() && !to_stderr)
                .then(|| Vec::with_capacity(OUTPUT_BLOCK)),
            progress,
        }
    }

    fn out(&mut self, text: impl AsRef<[u8]>) {
        let text = text.as_ref();
        if text.is_empty() {
            return;
        }
        if self.to_stderr {
            let write = || {
                let _ = std::io::stderr().lock().write_all(text);
            };
            match &self.progress {
                Some(bar) => bar.suspend(write),
                None => write(),
            }
            return;
        }
        match (&mut self.pending, &self.progress) {
            // A file's output larger than a block goes out as it is, not copied first.
            (Some(pending), _) if text.len() >= OUTPUT_BLOCK => {
                if !pending.is_empty() {
                    print_out(&pending);
                    pending.clear();
                }
                print_out(text);
            }
            (Some(pending), _) => {
                pending.extend_from_slice(text);
                if pending.len() >= OUTPUT_BLOCK {
                    print_out(&pending);
                    pending.clear();
                }
            }
            (None, Some(bar)) => bar.suspend(|| print_out(text)),
            (None, None) => print_out(text),
        }
    }

    fn err(&self, line: &str) {
        match &self.progress {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Writes what is pending, clears the progress bar.
    fn finish(self) {
        if let Some(pending) = self.pending {
            print_out(pending);
        }
        if let Some(bar) = self.progress {
            bar.finish_and_clear();
        }
    }
}

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
        match rewritable(from_stdin, path, loaded.storage) {
            Err(why) => outcome
                .messages
                .push(format!("yasno: warning: {display}: not fixed: {why}")),
            Ok(storage) => {
                let (fixed, applied) = fix::apply_safe_fixes(document.text(), &findings);
                if applied > 0 && args.diff {
                    outcome
                        .diff
                        .push_str(&fix::unified_diff(display, document.text(), &fixed));
                } else if applied > 0 {
                    let written = match write_fixed(path, &fixed, storage, snapshot.as_ref()) {
                        Ok(Written::Stdout(bytes)) => {
                            outcome.text = Some(bytes);
                            true
                        }
                        Ok(Written::File) => true,
                        Err(WriteRefused::Warning(why)) => {
                            outcome
                                .messages
                                .push(format!("yasno: warning: {display}: not fixed: {why}"));
                            false
                        }
                        Err(WriteRefused::Error(e)) => {
                            outcome.text = echo;
                            return outcome.fail(format!(
                                "yasno: error: {display}: cannot write the fixes: {e}"
                            ));
                        }
                    };
                    if written {
                        outcome.fixed += applied;
                        // Report what is left after the fixes: the text as written.
                        let encoding = document.encoding;
                        document = input::document(fixed, text_format);
                        document.encoding = encoding;
                        findings = linter.check_at(&document, named, cache);
                    }
                }
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

/// How the fixed text of a file may be written back, or why it may not: only text and Markdown,
/// by their content as much as by their name, in bytes that read back as they were.
fn rewritable(
    from_stdin: bool,
    path: &Path,
    storage: Result<input::TextStorage, input::NotWritable>,
) -> Result<input::TextStorage, String> {
    let text_name = from_stdin
        || path.extension().is_none_or(|ext| {
            matches!(
                ext.to_string_lossy().to_lowercase().as_str(),
                "txt" | "md" | "markdown" | "text"
            )
        });
    const ONLY: &str = "--fix and --diff change text and Markdown files only";
    match storage {
        Ok(storage) if text_name => Ok(storage),
        Err(why) if text_name => Err(format!("{why}; {ONLY}")),
        _ => Err(ONLY.to_string()),
    }
}

/// Where fixed text went.
enum Written {
    /// Replaced the file on disk.
    File,
    /// The bytes for standard output.
    Stdout(Vec<u8>),
}

enum WriteRefused {
    /// Nothing written, for a reason that is no error: the file is left as it is.
    Warning(String),
    Error(yasno_core::safe_write::ReplaceError),
}

/// Writes fixed text back in the file's own encoding, with its byte order mark: to the file
/// (atomically, and only if it has not changed since `read`) or, for standard input, as bytes.
fn write_fixed(
    path: &Path,
    fixed: &str,
    storage: input::TextStorage,
    read: Option<&Snapshot>,
) -> Result<Written, WriteRefused> {
    let Some(bytes) = storage.encode(fixed) else {
        return Err(WriteRefused::Warning(format!(
            "a replacement has a character that {} cannot hold",
            storage.name()
        )));
    };
    let Some(read) = read else {
        return Ok(Written::Stdout(bytes));
    };
    match yasno_core::safe_write::replace_if_unchanged(path, &bytes, read) {
        Ok(()) => Ok(Written::File),
        Err(ReplaceError::Changed) => Err(WriteRefused::Warning(
            "it changed on disk while it was being checked; the newer file is kept, run again"
                .to_string(),
        )),
        Err(e) => Err(WriteRefused::Error(e)),
    }
}

/// Hidden, for tests/robustness.rs, in debug builds only: checking a file of this name panics
/// with the letter's text as the panic message, which must never be printed.
#[cfg(debug_assertions)]
fn panic_if_asked(path: &Path, document: &yasno_core::text::Document) {
    if std::env::var_os("YASNO_TEST_PANIC_ON").is_some_and(|name| path.file_name() == Some(&name)) {
        panic!("{}", document.text());
    }
}

fn rules_table(linter: &Linter, format: RulesFormat) -> String {
    let rules = &linter.rules().rules;
    match format {
        RulesFormat::Json => {
            let items: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": &*r.code, "name": &*r.name, "category": r.category,
                        "severity": r.severity, "title": r.title, "phrases": r.phrases.len(),
                        "clause": r.clause,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&items).expect("serialises") + "\n"
        }
        RulesFormat::Human => {
            let mut out = String::new();
            for r in rules {
                out.push_str(&format!(
                    "{:<6} {:<16} {:<8} {:<32} {}\n",
                    r.code,
                    r.category.name(),
                    r.severity.name(),
                    r.name,
                    r.title
                ));
            }
            out
        }
    }
}

fn explain(linter: &Linter, code: &str) -> ExitCode {
    let rules = linter.rules();
    let rule = rules
        .get(&code.to_uppercase())
        .or_else(|| rules.rules.iter().find(|r| &*r.name == code));
    let Some(rule) = rule else {
        eprintln!("yasno: error: unknown rule `{code}` (see `yasno rules`)");
        return ExitCode::from(2);
    };
    let mut out = format!(
        "{} ({}) — {}\nКатегория: {}; уровень: {}\nОснование: {}\n\n{}\n",
        rule.code,
        rule.name,
        rule.title,
        rule.category,
        rule.severity,
        rule.clause,
        rule.explanation
    );
    let bad: Vec<&String> = rule
        .bad
        .iter()
        .chain(rule.phrases.iter().flat_map(|p| p.bad.iter()))
        .take(5)
        .collect();
    if !bad.is_empty() {
        out.push_str("\nТак писать не нужно:\n");
        for example in bad {
            out.push_str(&format!("  ✗ {}\n", example.replace('\n', " ")));
        }
    }
    if !rule.good.is_empty() {
        out.push_str("\nТак можно:\n");
        for example in rule.good.iter().take(5) {
            out.push_str(&format!("  ✓ {}\n", example.replace('\n', " ")));
        }
    }
    let with_replacements: Vec<String> = rule
        .phrases
        .iter()
        .filter(|p| !p.suggest.is_empty())
        .take(12)
        .map(|p| format!("  {} → {}", p.patterns[0].source, p.suggest.join(" / ")))
        .collect();
    if !with_replacements.is_empty() {
        out.push_str("\nЗамены:\n");
        out.push_str(&with_replacements.join("\n"));
        out.push('\n');
    }
    print_out(&out);
    ExitCode::SUCCESS
}
