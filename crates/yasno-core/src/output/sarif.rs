//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards. Columns are counted in Unicode code
//! points (`columnKind`), and every region also carries exact byte offsets.
//!
//! A SARIF `fix` is what a tool may apply without asking, so a result has one only for a safe
//! replacement, exactly the edits of `yasno check --fix` (`fix::safe_edits`); the replacements a
//! person must read are in the result's `properties` (`suggestions`, `applicability`).

use serde_json::{Value, json};

use super::FileReport;
use super::stream::{RuleCatalog, close_array, item_at};
use crate::engine::Rule;
use crate::finding::Severity;
use crate::rule_docs::{Detail, RuleDoc};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// Stands for the results in the log, which is rendered once around them.
const RESULTS: &str = "\u{0}yasno results\u{0}";

/// The log before and after the array of results (`[` and `]` excluded).
pub(super) fn frame(rules: &[&Rule]) -> (String, String) {
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|rule| {
            let doc = RuleDoc::new(rule, Detail::Summary);
            json!({
                "id": &*rule.code,
                "name": &*rule.name,
                "shortDescription": { "text": rule.title },
                "fullDescription": { "text": rule.explanation },
                "help": { "text": doc.to_plain(), "markdown": doc.to_markdown(0) },
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "category": rule.category.name(), "clause": rule.clause },
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "yasno",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/yasno-linter/yasno",
                    "rules": descriptors,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": RESULTS,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("serialises");
    text.push('\n');
    // Keys are sorted, so `results` comes before the rules' own texts: the first match is it.
    let placeholder = serde_json::to_string(RESULTS).expect("serialises");
    let at = text
        .find(&placeholder)
        .expect("the placeholder is in the log");
    let after = text.split_off(at + placeholder.len());
    text.truncate(at);
    text.push('[');
    (text, after)
}

/// The results of one file, comma-separated array items.
pub(super) fn file(out: &mut Vec<u8>, report: &FileReport, rules: &RuleCatalog) {
    let doc = &report.document;
    let fixes = super::fixes(report);
    for (n, f) in report.findings.iter().enumerate() {
        let start = doc.line_column(f.range.start);
        let end = doc.line_column(f.range.end);
        let region = json!({
            "startLine": start.line,
            "startColumn": start.column,
            "endLine": end.line,
            "endColumn": end.column,
            "byteOffset": f.range.start,
            "byteLength": f.range.len(),
            "snippet": { "text": doc.slice(f.range.clone()) },
        });
        let location = json!({
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&report.path) },
                "region": region,
            }
        });
        let mut result = json!({
            "ruleId": &*f.code,
            "level": level(f.severity),
            "message": { "text": f.message },
            "locations": [location],
            "properties": { "category": f.category.name(), "severity": f.severity.name() },
        });
        if let Some(index) = rules.position(&f.code) {
            result["ruleIndex"] = json!(index);
        }
        if !f.suggestions.is_empty() {
            result["properties"]["suggestions"] = json!(f.suggestions);
        }
        result["properties"]["applicability"] = json!(f.applicability.name());
        if let Some(kind) = doc.letter_kind() {
            result["properties"]["letterKind"] = json!(kind.name());
        }
        if let Some(replacement) = fixes[n] {
            result["fixes"] = json!([{
                "description": { "text": format!("Заменить на «{replacement}»") },
                "artifactChanges": [{
                    "artifactLocation": { "uri": uri(&report.path) },
                    "replacements": [{
                        "deletedRegion": {
                            "byteOffset": f.range.start,
                            "byteLength": f.range.len(),
                        },
                        "insertedContent": { "text": replacement },
                    }],
                }],
            }]);
        }
        if n > 0 {
            out.push(b',');
        }
        item_at(out, &result, 4);
    }
}

/// The end of the results array and the rest of the log.
pub(super) fn footer(out: &mut String, after: &str, items: bool) {
    close_array(out, 3, items);
    out.push_str(after);
}

/// A relative URI reference for a path: forward slashes, spaces and non-ASCII percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri("письма/a b.txt"),
            "%D0%BF%D0%B8%D1%81%D1%8C%D0%BC%D0%B0/a%20b.txt"
        );
    }
}
