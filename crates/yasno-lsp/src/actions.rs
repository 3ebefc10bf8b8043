//! What the editor shows: diagnostics, hovers and code actions, made from one analysis.
//!
//! A replacement is *safe* when the result is grammatical whatever the context; the core decides
//! it (`Finding::applicability`) and nothing here does. «Fix all safe replacements» makes exactly
//! the edits of `yasno check --fix` (`fix::safe_edits`). Every suggestion is also a quick fix of
//! its own; only a safe finding's first one is the preferred fix, and the others say that the
//! replacement needs reading.

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
use yasno_core::finding::{Finding, Severity};
use yasno_core::fix;
use yasno_core::rule_docs::{self, Detail, RuleDoc};
use yasno_core::suppression;

pub const ADD_TO_DICTIONARY: &str = "yasno.addToDictionary";
/// «Do not check this rule in this file»: a `per-file-ignores` entry in the project's
/// `yasno.toml`, never a word in the letter. Arguments: [uri, code].
pub const IGNORE_IN_FILE: &str = "yasno.ignoreInFile";
pub const FIX_ALL_KIND: &str = "source.fixAll.yasno";

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

/// The explanation of the findings under `offset`: each finding, and its rule's documentation.
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

/// What is wrong here (the finding's message, its replacements or advice), then the rule's own
/// documentation, the same as `yasno explain` and the reference pages give.
fn explain(analysis: &Analysis, finding: &Finding, markdown: bool) -> String {
    let bold = |s: &str| {
        if markdown {
            format!("**{s}**")
        } else {
            s.to_string()
        }
    };
    // The message and the replacements quote the letter, which may hold Markdown's characters.
    let text = |s: &str| {
        if markdown {
            rule_docs::markdown_text(s)
        } else {
            s.to_string()
        }
    };
    let mut out = text(&finding.message);
    if !finding.suggestions.is_empty() {
        let quoted: Vec<String> = finding
            .suggestions
            .iter()
            .map(|s| format!("«{}»", text(s)))
            .collect();
        out.push_str(&format!("\n\n{} {}", bold("Замена:"), quoted.join(", ")));
    }
    if let Some(advice) = &finding.advice {
        out.push_str(&format!("\n\n{} {}", bold("Совет:"), text(advice)));
    }
    out.push_str("\n\n");
    match analysis.linter.rules().get(&finding.code) {
        Some(rule) => {
            let doc = RuleDoc::new(rule, Detail::Summary);
            out.push_str(
                if markdown {
                    doc.to_markdown(0)
                } else {
                    doc.to_plain()
                }
                .trim_end(),
            );
        }
        None => out.push_str(&bold(&finding.code)),
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

/// The edits of «fix all safe replacements»: those of `yasno check --fix`, in text order.
pub fn safe_edits(analysis: &Analysis, encoding: Encoding) -> Vec<TextEdit> {
    fix::safe_edits(analysis.doc.text(), &analysis.findings)
        .into_iter()
        .map(|edit| TextEdit {
            range: lsp_range(analysis, edit.range, encoding),
            new_text: edit.replacement.to_string(),
        })
        .collect()
}

/// The title of the quick fix that pastes `suggestion`: one that is not safe asks to be read.
fn replacement_title(suggestion: &str, safe: bool) -> String {
    if safe {
        format!("Заменить на «{suggestion}»")
    } else {
        format!("Заменить на «{suggestion}» (проверьте согласование)")
    }
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
        let mut ignored_in_file: HashSet<&str> = HashSet::new();
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
                // Only what «fix all» would paste is preferred (applied by a keystroke).
                let safe = fix::is_safe_suggestion(finding, i);
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: replacement_title(suggestion, safe),
                    kind: Some(quickfix.clone()),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(workspace_edit(analysis, vec![edit], target)),
                    is_preferred: Some(safe),
                    ..Default::default()
                }));
            }
            if let Some(found) = analysis.linter.dictionary_word(finding, text)
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
            // Only a file on disk has a place in the project's config.
            let on_disk = target.uri.as_str().starts_with("file:");
            if on_disk && ignored_in_file.insert(&finding.code) {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!(
                        "Не проверять {} в этом файле (yasno.toml проекта)",
                        finding.code
                    ),
                    kind: Some(quickfix.clone()),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    command: Some(Command {
                        title: format!("Не проверять {} в этом файле", finding.code),
                        command: IGNORE_IN_FILE.into(),
                        arguments: Some(vec![
                            serde_json::json!(target.uri.as_str()),
                            serde_json::json!(&*finding.code),
                        ]),
                    }),
                    ..Default::default()
                }));
            }
            let line = analysis.doc.lines.line_of(finding.range.start);
            if let Some(directive) = suppression::line_directive(analysis.format, &finding.code)
                && ignored.insert((&finding.code, line))
            {
                let end = analysis.doc.lines.line_range(text, line).end;
                let at = position::position(text, &analysis.doc.lines, end, target.encoding);
                let edit = TextEdit {
                    range: lsp_types::Range::new(at, at),
                    new_text: directive,
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use yasno_core::finding::Applicability;
    use yasno_core::fix::testing::{finding, overlapping};
    use yasno_core::input::InputFormat;
    use yasno_core::{Document, Linter};

    /// The overlapping safe findings of `fix::testing` and one suggestion, as the server has them.
    fn analysis() -> Analysis {
        let (text, mut findings) = overlapping();
        findings.push(finding(
            12..31,
            &["к пятнице", "в пятницу"],
            Applicability::Suggestion,
        ));
        Analysis {
            version: 1,
            doc: Document::new(text),
            findings,
            linter: Arc::new(Linter::with_default_rules().unwrap()),
            elapsed: Default::default(),
            format: InputFormat::Text,
        }
    }

    fn actions(analysis: &Analysis, span: Range<usize>) -> Vec<CodeAction> {
        let uri: Uri = "file:///letter.txt".parse().unwrap();
        let target = Target {
            uri: &uri,
            encoding: Encoding::Utf8,
            document_changes: false,
            markdown: false,
            rules_url: None,
        };
        code_actions(analysis, span, None, &target)
            .into_iter()
            .map(|action| match action {
                CodeActionOrCommand::CodeAction(action) => action,
                CodeActionOrCommand::Command(command) => panic!("{command:?}"),
            })
            .collect()
    }

    fn edits(action: &CodeAction) -> &[TextEdit] {
        let edit = action.edit.as_ref().unwrap();
        edit.changes.iter().flat_map(|c| c.values()).next().unwrap()
    }

    #[test]
    fn fix_all_makes_the_edits_of_fix_and_no_suggestion() {
        let analysis = analysis();
        let all = actions(&analysis, 0..0);
        let fix_all = all
            .iter()
            .find(|a| a.kind.as_ref().is_some_and(|k| k.as_str() == FIX_ALL_KIND))
            .unwrap();
        let made: Vec<&str> = edits(fix_all).iter().map(|e| &*e.new_text).collect();
        // The safe edits of `--fix`, overlapping ones resolved the same; the suggestion
        // «к пятнице» is not among them.
        assert_eq!(made, ["к", "!"]);
        let (fixed, applied) = fix::apply_safe_fixes(analysis.doc.text(), &analysis.findings);
        assert_eq!((fixed.as_str(), applied), ("к! до пятницы", made.len()));
        assert_eq!(
            edits(fix_all)[0].range,
            lsp_types::Range::new(
                lsp_types::Position::new(0, 0),
                lsp_types::Position::new(0, 11)
            )
        );
    }

    #[test]
    fn only_a_safe_first_suggestion_is_the_preferred_quick_fix() {
        let mut analysis = analysis();
        analysis
            .findings
            .push(finding(17..31, &["субботы", "среды"], Applicability::Safe));
        let quick: Vec<(String, Option<bool>)> = actions(&analysis, 14..17)
            .into_iter()
            .filter(|a| a.title.starts_with("Заменить"))
            .map(|a| (a.title, a.is_preferred))
            .collect();
        assert_eq!(
            quick,
            [
                // Safe findings: their first suggestion is what «fix all» pastes.
                ("Заменить на «X»".to_string(), Some(true)),
                ("Заменить на «до»".to_string(), Some(true)),
                (
                    "Заменить на «к пятнице» (проверьте согласование)".to_string(),
                    Some(false)
                ),
                (
                    "Заменить на «в пятницу» (проверьте согласование)".to_string(),
                    Some(false)
                ),
                // Only the first suggestion of a safe finding is safe.
                ("Заменить на «субботы»".to_string(), Some(true)),
                (
                    "Заменить на «среды» (проверьте согласование)".to_string(),
                    Some(false)
                ),
            ]
        );
    }

    /// The hover at the start of `text`; `message`, when given, stands for the findings' own.
    fn hover_text(text: &str, markdown: bool, message: Option<&str>) -> String {
        let linter = Arc::new(Linter::with_default_rules().unwrap());
        let (doc, mut findings) = linter.check_text(text);
        for finding in findings.iter_mut() {
            if let Some(message) = message {
                finding.message = message.to_string();
            }
        }
        let analysis = Analysis {
            version: 1,
            doc,
            findings,
            linter,
            elapsed: Default::default(),
            format: InputFormat::Text,
        };
        let uri: Uri = "file:///letter.txt".parse().unwrap();
        let target = Target {
            uri: &uri,
            encoding: Encoding::Utf8,
            document_changes: false,
            markdown,
            rules_url: None,
        };
        match hover(&analysis, 1, &target).unwrap().contents {
            HoverContents::Markup(content) => content.value,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hover_gives_the_finding_then_its_rules_documentation() {
        let linter = Linter::with_default_rules().unwrap();
        let rule = linter.rules().get("JA005").unwrap();
        let plain = hover_text("Данный вопрос решён.", false, None);
        let documentation = RuleDoc::new(rule, Detail::Summary).to_plain();
        assert!(plain.starts_with("«Данный»"), "{plain}");
        assert!(plain.contains("Замена: «Этот»"), "{plain}");
        assert!(plain.ends_with(documentation.trim_end()), "{plain}");
        let markdown = hover_text("Данный вопрос решён.", true, None);
        assert!(
            markdown.ends_with(
                RuleDoc::new(rule, Detail::Summary)
                    .to_markdown(0)
                    .trim_end()
            ),
            "{markdown}"
        );
        // A message quotes the letter: its text is not Markdown.
        let quoted = hover_text("Данный вопрос решён.", true, Some("«*Данный*»"));
        assert!(quoted.starts_with("«\\*Данный\\*»"), "{quoted}");
    }
}
