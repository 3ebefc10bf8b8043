//! The command line: `yasno check`, `yasno rules`, `yasno explain`. Exit status: 0 when no finding
//! reaches the failure threshold, 1 when one does, 2 for a usage or input error.
//!
//! A front end over the library, by concern: `args` (the flags, translated into
//! `config::Overrides`), `walk` (which files), `check` (the files checked on all cores, in
//! order: `ordered`), `fix` (`--fix` and `--diff` for one file), `print` (standard output),
//! `score` (`yasno score`).

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use yasno_core::linter::Linter;

mod args;
mod check;
mod fix;
pub(crate) mod ordered;
mod print;
mod score;
mod walk;

pub(crate) use args::ScoreArgs;
use args::{Cli, Command, ConfigArgs, RulesFormat};
pub(crate) use check::{RESULTS_AHEAD_PER_THREAD, panicked_message, with_thread_cache};
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
