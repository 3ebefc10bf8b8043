//! `yasno rules` and `yasno explain`: what the rules are and what each one means.

use std::process::ExitCode;

use clap::ValueEnum;

use super::print_out;
use yasno_core::linter::Linter;
use yasno_core::rule_docs::{Detail, RuleDoc};

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum RulesFormat {
    Human,
    Json,
}

pub(super) fn rules_table(linter: &Linter, format: RulesFormat) -> String {
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

pub(super) fn explain(linter: &Linter, code: &str) -> ExitCode {
    let rules = linter.rules();
    let rule = rules
        .get(&code.to_uppercase())
        .or_else(|| rules.rules.iter().find(|r| &*r.name == code));
    let Some(rule) = rule else {
        eprintln!("yasno: error: unknown rule `{code}` (see `yasno rules`)");
        return ExitCode::from(2);
    };
    print_out(RuleDoc::new(rule, Detail::Summary).to_plain());
    ExitCode::SUCCESS
}
