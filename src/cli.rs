//! The command line: `yasno check`, `yasno rules`, `yasno explain`. Exit status: 0 when no finding
//! reaches the failure threshold, 1 when one does, 2 for a usage or input error.
//!
//! A front end over the library, by concern: `args` (the flags, translated into
//! `config::Overrides`), `walk` (which files), `check` (the files checked on all cores, in
//! order: `ordered`), `fix` (`--fix` and `--diff` for one file), `print` (standard output),
//! `docs` (`yasno rules`, `yasno explain`), `score` (`yasno score`).

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use yasno_core::linter::Linter;

mod args;
mod check;
mod docs;
mod fix;
pub(crate) mod ordered;
mod print;
mod score;
mod walk;

pub(crate) use args::ScoreArgs;
use args::{Cli, Command, ConfigArgs};
pub(crate) use check::{RESULTS_AHEAD_PER_THREAD, panicked_message, with_thread_cache};
use docs::{explain, rules_table};
pub(crate) use print::print_out;
use print::{STDOUT_ERROR, stdout_failed};
pub(crate) use walk::collect_paths;

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Check(args) => check::check(args),
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
        .overrides()
        .resolve(near)
        .and_then(Linter::from_config)
        .map_err(|e| {
            eprintln!("yasno: error: {e}");
            ExitCode::from(2)
        })
}
