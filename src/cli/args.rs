//! The command line's arguments, and their translation into the library's settings: every flag
//! that changes the config becomes one `config::Overrides`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use super::docs::RulesFormat;
use yasno_core::config::{FailOn, Overrides, Profile};

#[derive(Parser)]
#[command(name = "yasno", version, about = "Линтер ответов госорганов гражданам: канцелярит, отписки, агрессия, непонятные сокращения.", long_about = None)]
pub(super) struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
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
pub(super) struct CheckArgs {
    /// Files, folders (read recursively: .txt, .md, .docx) or quoted globs; `-` reads standard input
    #[arg(required = true)]
    pub(super) paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub(super) format: OutputFormat,
    /// Exit with status 1 when a finding of this severity or worse is found [default: error]
    #[arg(long, value_enum)]
    pub(super) fail_on: Option<FailOnArg>,
    /// Never colour the output (NO_COLOR is respected too)
    #[arg(long)]
    pub(super) no_color: bool,
    /// Name to report for standard input; its extension chooses the format (.md)
    #[arg(long)]
    pub(super) stdin_filename: Option<String>,
    /// Only these rules: codes, code prefixes or category names, comma-separated (replaces the config's)
    #[arg(long, value_delimiter = ',')]
    pub(super) select: Vec<String>,
    /// Skip these rules: codes, code prefixes or category names, comma-separated (added to the config's)
    #[arg(long, value_delimiter = ',')]
    pub(super) ignore: Vec<String>,
    /// Apply the safe replacements (text and Markdown files only, replaced atomically); with `-`, print the text and report on standard error
    #[arg(long, conflicts_with = "diff")]
    pub(super) fix: bool,
    /// Show the safe replacements as a unified diff; change nothing
    #[arg(long)]
    pub(super) diff: bool,
    #[command(flatten)]
    pub(super) config: ConfigArgs,
}

/// `yasno score`: the arguments only; the command lives in `cli/score.rs`.
#[derive(clap::Args)]
pub(crate) struct ScoreArgs {
    /// Answers to score: files or folders (recursively)
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = super::score::ScoreFormat::Table)]
    pub(crate) format: super::score::ScoreFormat,
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
    /// Letter profile: reply to a citizen (external), to a colleague (internal), or chosen by the
    /// detected kind of the text (auto, the default)
    #[arg(long, global = true, value_enum)]
    profile: Option<ProfileArg>,
    /// Make every `yasno-ignore` directive in the letters ineffective (the pre-send gate)
    #[arg(long, global = true)]
    no_inline_ignores: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum OutputFormat {
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
pub(super) enum FailOnArg {
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
pub(super) enum ProfileArg {
    Auto,
    External,
    Internal,
}

impl ConfigArgs {
    /// The overrides these flags make, for every command.
    pub(crate) fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            config_named_by_user: true,
            no_config: self.no_config,
            profile: self.profile.map(|profile| match profile {
                ProfileArg::Auto => Profile::Auto,
                ProfileArg::External => Profile::External,
                ProfileArg::Internal => Profile::Internal,
            }),
            no_inline_ignores: self.no_inline_ignores,
            ..Overrides::default()
        }
    }
}

impl CheckArgs {
    /// The overrides of `yasno check`: those of every command, the rules chosen and the threshold.
    pub(crate) fn overrides(&self) -> Overrides {
        Overrides {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            fail_on: self.fail_on.map(FailOn::from),
            ..self.config.overrides()
        }
    }
}
