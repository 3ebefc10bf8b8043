//! The command line: `yasno check`, `yasno rules`, `yasno explain`. Exit status: 0 when no finding
//! reaches the failure threshold, 1 when one does, 2 for a usage or input error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::engine::LemmaCache;
use crate::finding::{Finding, Severity};
use crate::input;
use crate::linter::Linter;
use crate::output::{self, FileReport};

#[derive(Parser)]
#[command(name = "yasno", version, about = "Линтер ответов госорганов гражданам: канцелярит, отписки, агрессия, непонятные сокращения.", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check letters (.txt, .md; `-` for standard input; folders recursively)
    Check(CheckArgs),
    /// List every rule: code, category, severity, title
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Explain a rule: why, what to write instead, and the clause of the regulation behind it
    Explain {
        /// Rule code, such as JA001, or rule name
        code: String,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or folders to check; `-` reads standard input
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Exit with status 1 when a finding of this severity or worse is found
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Never colour the output (NO_COLOR is respected too)
    #[arg(long)]
    no_color: bool,
    /// Name to report for standard input; its extension chooses the format (.md)
    #[arg(long)]
    stdin_filename: Option<String>,
    /// Only these rules: codes, code prefixes or category names, comma-separated
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules: codes, code prefixes or category names, comma-separated
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let linter = match Linter::with_default_rules() {
        Ok(linter) => linter,
        Err(e) => {
            eprintln!("yasno: error: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Check(args) => check(&linter, args),
        Command::Rules { format } => {
            print_out(&rules_table(&linter, format));
            ExitCode::SUCCESS
        }
        Command::Explain { code } => explain(&linter, &code),
    }
}

fn print_out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`yasno … | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// A selector matches a code («JA001»), a code prefix («JA»), a rule name or a category name.
fn selected(finding: &Finding, selectors: &[String]) -> bool {
    selectors.iter().any(|s| {
        finding.code.starts_with(s.as_str()) || *finding.name == **s || finding.category.name() == s
    })
}

fn collect_paths(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(_) => {
                out.push(path.to_path_buf());
                return;
            }
        };
        entries.sort();
        for entry in entries {
            let is_letter = entry.extension().is_some_and(|ext| {
                matches!(
                    ext.to_string_lossy().to_lowercase().as_str(),
                    "txt" | "md" | "markdown"
                )
            });
            if entry.is_dir() || is_letter {
                collect_paths(&entry, out);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
}

fn check(linter: &Linter, args: CheckArgs) -> ExitCode {
    let mut paths = Vec::new();
    for path in &args.paths {
        collect_paths(path, &mut paths);
    }
    let mut cache = LemmaCache::new();
    let mut reports = Vec::new();
    let mut input_failed = false;
    for path in paths {
        let from_stdin = path.as_os_str() == "-";
        let display = if from_stdin {
            args.stdin_filename
                .clone()
                .unwrap_or_else(|| "-".to_string())
        } else {
            path.display().to_string()
        };
        let loaded = if from_stdin {
            input::load_reader(std::io::stdin().lock(), &display)
        } else {
            input::load_path(&path)
        };
        let document = match loaded {
            Ok(document) => document,
            Err(e) => {
                eprintln!("yasno: error: {display}: {e}");
                input_failed = true;
                continue;
            }
        };
        let mut findings = linter.check(&document, &mut cache);
        if !args.select.is_empty() {
            findings.retain(|f| selected(f, &args.select));
        }
        findings.retain(|f| !selected(f, &args.ignore));
        reports.push(FileReport {
            path: display,
            document,
            findings,
        });
    }
    let rendered = match args.format {
        OutputFormat::Json => output::json::render(&reports),
        OutputFormat::Human => {
            let choice = anstream::AutoStream::choice(&std::io::stdout());
            let color = !args.no_color && !matches!(choice, anstream::ColorChoice::Never);
            output::human::render(&reports, linter.rules(), color)
        }
    };
    print_out(&rendered);
    if input_failed {
        return ExitCode::from(2);
    }
    let failed = args.fail_on.threshold().is_some_and(|threshold| {
        reports
            .iter()
            .flat_map(|r| &r.findings)
            .any(|f| f.severity >= threshold)
    });
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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
