//! What the editor shows: diagnostics, hovers and code actions, made from one analysis.
//!
//! «Fix all safe replacements» applies a finding's suggestion only when the rule offers exactly
//! one and its category is jargon or spelling: there the replacement is a like-for-like word swap.
//! Elsewhere (refusals, aggression, long sentences) a replacement changes what the letter says and
//! the clerk must choose it, one at a time.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, Command, Diagnostic,
    DiagnosticSeverity, DocumentChanges, Hover, HoverContents, MarkupContent, MarkupKind,
    NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit,
    Uri, WorkspaceEdit,
};

use super::position::{self, Encoding};
use super::worker::Analysis;
use crate::finding::{Category, Finding, Severity};

pub const ADD_TO_DICTIONARY: &str = "yasno.addToDictionary";
pub const FIX_ALL_KIND: &str = "source.fixAll.yasno";
/// The inline directive «ignore this rule here» appends to the line.
pub fn ignore_directive(code: &str) -> String {
    format!(" <!-- yasno-ignore: {code} -->")
}

/// What the client can take, and where the answer goes.
pub struct Target<'a> {
    pub uri: &'a Uri,
    pub encoding: Encoding,
    pub document_changes: bool,
    pub markdown: bool,
    pub rules_url: Option<&'a str>,
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

fn lsp_range(analysis: &Analysis, span: Range<usize>, encoding: Encoding) -> lsp_types::Range {
    position::range(analysis.doc.text(), &analysis.doc.lines, span, encoding)
}

pub fn diagnostic(analysis: &Analysis, finding: &Finding, target: &Target) -> Diagnostic {
    let code_description = target.rules_url.and_then(|template| {
        let href: Uri = template.replace("{code}", &finding.code).parse().ok()?;
        Some(CodeDescription { href })
    });
    Diagnostic {
        range: lsp_range(analysis, finding.range.clone(), target.encoding),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.to_string())),
        code_description,
        source: Some("yasno".into()),
        message: finding.message.clone(),
        data: Some(serde_json::json!({ "name": &*finding.name, "category": finding.category })),
        ..Default::default()
    }
}

/// The explanation of the findings under `offset`: the rule's own text, as `yasno explain` gives it.
pub fn hover(analysis: &Analysis, offset: usize, target: &Target) -> Option<Hover> {
    let found: Vec<&Finding> = analysis
        .findings
        .iter()
        .filter(|f| {
            f.range.start <= offset
                && (offset < f.range.end || f.range.is_empty() && offset == f.range.start)
        })
        .collect();
    let first = found.first()?;
    let mut span = first.range.clone();
    let mut parts = Vec::new();
    for finding in &found {
        span.start = span.start.min(finding.range.start);
        span.end = span.end.max(finding.range.end);
        parts.push(explain(analysis, finding, target.markdown));
    }
    let separator = if target.markdown {
        "\n\n---\n\n"
    } else {
        "\n\n"
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: if target.markdown {
                MarkupKind::Markdown
            } else {
                MarkupKind::PlainText
            },
            value: parts.join(separator),
        }),
        range: Some(lsp_range(analysis, span, target.encoding)),
    })
}

fn explain(analysis: &Analysis, finding: &Finding, markdown: bool) -> String {
    let bold = |s: &str| {
        if markdown {
            format!("**{s}**")
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    match analysis.linter.rules().get(&finding.code) {
        Some(rule) => {
            out.push_str(&format!(
                "{} ({}) — {}\n\n",
                bold(&rule.code),
                rule.name,
                rule.title
            ));
            out.push_str(&format!("{}\n\n", finding.message));
            out.push_str(rule.explanation.trim());
            out.push_str(&format!(
                "\n\n{} {}\n\nКатегория: {}; уровень: {}",
                bold("Основание:"),
                rule.clause,
                rule.category,
                finding.severity
            ));
        }
        None => out.push_str(&format!("{} {}", bold(&finding.code), finding.message)),
    }
    if !finding.suggestions.is_empty() {
        let quoted: Vec<String> = finding
            .suggestions
            .iter()
            .map(|s| format!("«{s}»"))
            .collect();
        out.push_str(&format!("\n\n{} {}", bold("Замена:"), quoted.join(", ")));
    }
    if let Some(advice) = &finding.advice {
        out.push_str(&format!("\n\n{} {advice}", bold("Совет:")));
    }
    out
}

fn workspace_edit(analysis: &Analysis, edits: Vec<TextEdit>, target: &Target) -> WorkspaceEdit {
    if target.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: target.uri.clone(),
                    version: Some(analysis.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(target.uri.clone(), edits)])),
            ..Default::default()
        }
    }
}

/// Whether «fix all» may apply this finding's suggestion (see the module comment).
pub fn is_safe(finding: &Finding) -> bool {
    finding.suggestions.len() == 1
        && matches!(finding.category, Category::Jargon | Category::Spelling)
}

/// The edits of «fix all safe replacements», in text order, overlapping ones left out.
pub fn safe_edits(analysis: &Analysis, encoding: Encoding) -> Vec<TextEdit> {
    let mut edits = Vec::new();
    let mut end = 0;
    for finding in analysis.findings.iter().filter(|f| is_safe(f)) {
        if finding.range.start < end && !edits.is_empty() {
            continue;
        }
        end = finding.range.end;
        edits.push(TextEdit {
            range: lsp_range(analysis, finding.range.clone(), encoding),
            new_text: finding.suggestions[0].clone(),
        });
    }
    edits
}

fn wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| {
            kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))
        })
    })
}

/// Quick fixes for the findings that touch `span`, and «fix all» for the whole document.
pub fn code_actions(
    analysis: &Analysis,
    span: Range<usize>,
    only: Option<&[CodeActionKind]>,
    target: &Target,
) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    let text = analysis.doc.text();
    let quickfix = CodeActionKind::QUICKFIX;
    if wanted(&quickfix, only) {
        let mut ignored: HashSet<(&str, usize)> = HashSet::new();
        let mut dictionary: HashSet<(&str, &str)> = HashSet::new();
        let touching = analysis
            .findings
            .iter()
            .filter(|f| f.range.start <= span.end && span.start <= f.range.end);
        for finding in touching {
            let diagnostic = diagnostic(analysis, finding, target);
            let range = diagnostic.range;
            for (i, suggestion) in finding.suggestions.iter().take(5).enumerate() {
                let edit = TextEdit {
                    range,
                    new_text: suggestion.clone(),
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Заменить на «{suggestion}»"),
                    kind: Some(quickfix.clone()),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(analysis, vec![edit], target)),
                    is_preferred: Some(i == 0 && finding.suggestions.len() == 1),
                    ..Default::default()
                }));
            }
            let found = text[finding.range.clone()].trim();
            let word_like =
                !found.is_empty() && found.chars().count() <= 60 && !found.contains(['\n', '\r']);
            if finding.category == Category::Abbreviation
                && word_like
                && dictionary.insert((&finding.code, found))
            {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Добавить «{found}» в словарь проекта (yasno.toml)"),
                    kind: Some(quickfix.clone()),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    command: Some(Command {
                        title: format!("Добавить «{found}» в словарь проекта"),
                        command: ADD_TO_DICTIONARY.into(),
                        arguments: Some(vec![
                            serde_json::json!(target.uri.as_str()),
                            serde_json::json!(&*finding.code),
                            serde_json::json!(found),
                        ]),
                    }),
                    ..Default::default()
                }));
            }
            let line = analysis.doc.lines.line_of(finding.range.start);
            if ignored.insert((&finding.code, line)) {
                let end = analysis.doc.lines.line_range(text, line).end;
                let at = position::position(text, &analysis.doc.lines, end, target.encoding);
                let edit = TextEdit {
                    range: lsp_types::Range::new(at, at),
                    new_text: ignore_directive(&finding.code),
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Не проверять {} в этой строке", finding.code),
                    kind: Some(quickfix.clone()),
                    diagnostics: Some(vec![diagnostic]),
                    edit: Some(workspace_edit(analysis, vec![edit], target)),
                    ..Default::default()
                }));
            }
        }
    }
    let fix_all = CodeActionKind::from(FIX_ALL_KIND.to_string());
    if wanted(&fix_all, only) {
        let edits = safe_edits(analysis, target.encoding);
        if !edits.is_empty() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!(
                    "Исправить все безопасные замены в документе ({})",
                    edits.len()
                ),
                kind: Some(fix_all),
                edit: Some(workspace_edit(analysis, edits, target)),
                ..Default::default()
            }));
        }
    }
    actions
}
