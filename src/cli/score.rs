//! The `yasno score` command: load the answers (and the reference), check them with one linter,
//! score, render. One configuration for the whole run, the one `check` would use for every answer
//! (answers under different configs are refused), so that every answer is judged by the same
//! rules and weights.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use crate::cli::{
    RESULTS_AHEAD_PER_THREAD, ScoreArgs, collect_paths, ordered, panicked_message,
    with_thread_cache,
};
use yasno_core::engine::LemmaCache;
use yasno_core::input;
use yasno_core::linter::Linter;
use yasno_core::output::FileReport;
use yasno_core::safe_write::write_atomically;
use yasno_score::{ScoreReport, Weights, html, rank, score_against, score_answer, table};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScoreFormat {
    /// A ranking table and each answer's breakdown, for the terminal
    Table,
    /// One JSON document: answers in ranking order, breakdowns, the weights used
    Json,
    /// One row an answer, a column a category, for spreadsheets
    Csv,
    /// One self-contained HTML page: ranking, chart, each answer with its findings highlighted
    Html,
}

pub(crate) fn run(args: &ScoreArgs) -> ExitCode {
    // Asked before the work, which may take minutes. An HTML report quotes every letter: it is
    // written only where `-o` says, never to a file nobody asked for.
    if let Err(message) = check_target(args) {
        return fail(&message);
    }
    let mut paths = Vec::new();
    for path in &args.paths {
        collect_paths(path, &mut paths);
    }
    let near = args
        .paths
        .first()
        .map(PathBuf::as_path)
        .unwrap_or(Path::new("."));
    let config = match args.config.overrides().resolve_shared(&paths, near) {
        Ok(config) => config,
        Err(message) => return fail(&message),
    };
    let weights = match Weights::from_config(&config.score) {
        Ok(weights) => weights,
        Err(message) => {
            let origin = config
                .origin
                .as_ref()
                .map(|p| format!("{}: ", p.display()))
                .unwrap_or_default();
            return fail(&format!("{origin}{message}"));
        }
    };
    let linter = match Linter::from_config(config) {
        Ok(linter) => linter,
        Err(e) => return fail(&e.to_string()),
    };
    let mut input_failed = false;

    let reference = match &args.reference {
        Some(path) => match with_thread_cache(|cache| load(path, &linter, cache)) {
            Ok(report) => Some(report),
            Err(message) => return fail(&message),
        },
        None => None,
    };
    let reference_file = args
        .reference
        .as_ref()
        .and_then(|p| std::fs::canonicalize(p).ok());
    // The reference is the yardstick, not one of the answers.
    let answers_paths: Vec<PathBuf> = paths
        .into_iter()
        .filter(|path| {
            reference_file.is_none() || std::fs::canonicalize(path).ok() != reference_file
        })
        .collect();

    let rules = linter.rules();
    let reference_score = reference
        .as_ref()
        .map(|report| score_answer(report, rules, &weights));
    let yardstick = reference.as_ref().zip(reference_score.as_ref());
    // Only the HTML page shows the answers' texts: for the other formats an answer's text and
    // findings are dropped as soon as it is scored, so a bulk run's memory does not grow with them.
    let keep_reports = args.format == ScoreFormat::Html;
    let mut answers = Vec::with_capacity(answers_paths.len());
    let mut reports = Vec::new();
    // Answers are checked and scored on all cores; errors are reported in input order.
    ordered::run_in_order(
        &answers_paths,
        RESULTS_AHEAD_PER_THREAD,
        |path| {
            let report = with_thread_cache(|cache| load(path, &linter, cache))?;
            let scored = score_against(&report, yardstick, rules, &weights);
            Ok::<_, String>((scored, keep_reports.then_some(report)))
        },
        |index, outcome| match outcome {
            Ok(Ok((scored, report))) => {
                answers.push(scored);
                reports.extend(report);
            }
            Ok(Err(message)) => {
                eprintln!("yasno: error: {message}");
                input_failed = true;
            }
            Err(_panic) => {
                let display = answers_paths[index].display().to_string();
                eprintln!("{}", panicked_message(&display, answers_paths.len()));
                input_failed = true;
            }
        },
    );
    if answers.is_empty() {
        return fail("no answers to score");
    }

    let scored = rank(answers, reference_score, &weights);
    let rendered = render(args, &scored, &reports, reference.as_ref(), &linter);
    match &args.output {
        Some(path) => {
            // Checked again: the file may have appeared while the answers were scored.
            if let Err(message) = check_target(args) {
                return fail(&message);
            }
            // Owner-only, as the letters it quotes; written whole or not at all.
            if let Err(e) = write_atomically(path, rendered.as_bytes(), 0o600) {
                return fail(&format!("{}: cannot write: {e}", path.display()));
            }
            eprintln!("yasno: report written to {}", path.display());
        }
        None => {
            // A closed pipe (`yasno score … | head`) ends quietly, a full disk with an error.
            crate::cli::print_out(rendered);
        }
    }
    if input_failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// Where the report may go: an existing file is replaced only with `--force`, and an HTML page is
/// not poured onto a terminal.
fn check_target(args: &ScoreArgs) -> Result<(), String> {
    match &args.output {
        Some(path) if !args.force && std::fs::symlink_metadata(path).is_ok() => Err(format!(
            "{}: the file exists; give --force to replace it",
            path.display()
        )),
        Some(_) => Ok(()),
        None if args.format == ScoreFormat::Html && std::io::stdout().is_terminal() => {
            Err("an HTML report is not shown on a terminal: give -o FILE to write it".into())
        }
        None => Ok(()),
    }
}

fn render(
    args: &ScoreArgs,
    scored: &ScoreReport,
    reports: &[FileReport],
    reference: Option<&FileReport>,
    linter: &Linter,
) -> String {
    match args.format {
        ScoreFormat::Table => {
            let choice = anstream::AutoStream::choice(&std::io::stdout());
            let color = args.output.is_none()
                && !args.no_color
                && !matches!(choice, anstream::ColorChoice::Never);
            table::render(scored, color)
        }
        ScoreFormat::Json => {
            let mut text = serde_json::to_string_pretty(scored).expect("the report serialises");
            text.push('\n');
            text
        }
        ScoreFormat::Csv => table::render_csv(scored),
        ScoreFormat::Html => html::render(scored, reports, reference, linter.rules()),
    }
}

fn load(path: &Path, linter: &Linter, cache: &mut LemmaCache) -> Result<FileReport, String> {
    let display = path.display().to_string();
    let loaded = if path.as_os_str() == "-" {
        input::load_reader(std::io::stdin().lock(), "-")
    } else {
        input::load_path(path)
    };
    let document = loaded.map_err(|e| format!("{display}: {e}"))?;
    let findings = linter.check_at(&document, Some(path), cache);
    Ok(FileReport {
        path: display,
        document,
        findings,
    })
}

fn fail(message: &str) -> ExitCode {
    eprintln!("yasno: error: {message}");
    ExitCode::from(2)
}
