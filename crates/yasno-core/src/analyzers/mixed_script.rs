//! Words that look Russian but are not typed in Russian letters, and characters that cannot be
//! seen: Latin look-alikes inside Cyrillic words («взaимoдeйcтвия» with Latin a, o, e, c), Greek and
//! Armenian look-alikes («κонтроль»), invisible characters inside a word («кон\u{200B}троль») and
//! between words (zero-width spaces, bidi controls). Search, screen readers and spell-checkers fail
//! on such words, and they are how a phrase is hidden from a check.
//!
//! A replacement is safe only when it is a like-for-like swap that leaves a word the dictionary
//! knows: codes with Latin letters («ABCабв-12», «А123ВС 18», a VIN) are not words to respell.

use super::registry::Check;
use super::{Analyzer, Context};
use crate::engine::{self, NoOptions, Rule};
use crate::finding::{Applicability, Finding};
use crate::morphology;
use crate::text::evasion;

pub struct MixedScript;

crate::check_kind!(
    /// SP001: Latin look-alikes inside a Cyrillic word (rules/spelling.toml).
    pub struct LatinLookalikes = "mixed-script";
    options = NoOptions;
    many_rules = false
);

crate::check_kind!(
    /// SP002: invisible characters inside a word.
    pub struct InvisibleInWord = "invisible-characters";
    options = NoOptions;
    many_rules = false
);

crate::check_kind!(
    /// SP003: Greek and Armenian look-alikes.
    pub struct ForeignLookalikes = "lookalike-letters";
    options = NoOptions;
    many_rules = false
);

crate::check_kind!(
    /// SP004: invisible characters between words.
    pub struct InvisibleBetweenWords = "stray-invisible-characters";
    options = NoOptions;
    many_rules = false
);

impl Analyzer for MixedScript {
    fn checks(&self) -> &'static [Check] {
        const CHECKS: &[Check] = &[
            Check::of::<LatinLookalikes>(),
            Check::of::<InvisibleInWord>(),
            Check::of::<ForeignLookalikes>(),
            Check::of::<InvisibleBetweenWords>(),
        ];
        CHECKS
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        if let Some(rule) = cx.rules.rule_of::<LatinLookalikes>() {
            latin_lookalikes(cx, rule, findings);
        }
        // Only a text with hidden words or stray invisible characters has more to report.
        let Some(evasions) = cx.doc.evasions() else {
            return;
        };
        let lookalikes = cx.rules.rule_of::<ForeignLookalikes>();
        let invisible = cx.rules.rule_of::<InvisibleInWord>();
        for (t, token) in cx.doc.tokens.iter().enumerate() {
            if !token.is_word() || !token.has_clean_form() {
                continue;
            }
            let written = cx.doc.slice(token.range());
            if let Some(rule) = invisible
                && let Some(visible) = without_invisible(written)
            {
                let mut finding = cx.finding(rule, token.range());
                finding.suggestions.push(visible);
                finding.applicability = Applicability::Safe;
                findings.push(finding);
            }
            if let Some(rule) = lookalikes
                && evasion::mixes_foreign_lookalikes(written)
                && !has_digit(written)
            {
                let replacement = evasion::with_cyrillic_twins(written);
                let clean = cx.doc.word_text(t);
                let readable = !evasion::mixes_foreign_lookalikes(clean);
                findings.push(respelling(
                    cx,
                    rule,
                    token.range(),
                    replacement,
                    readable,
                    clean,
                ));
            }
        }
        if let Some(rule) = cx.rules.rule_of::<InvisibleBetweenWords>() {
            for range in &evasions.stray {
                let mut finding = cx.finding(rule, range.clone());
                finding.suggestions.push(String::new());
                finding.applicability = Applicability::Safe;
                findings.push(finding);
            }
        }
    }
}

/// SP001: Latin letters inside a Cyrillic word. A token with digits or an all-capitals one that
/// is no Russian word is a code, and is left alone.
fn latin_lookalikes(cx: &Context, rule: &Rule, findings: &mut Vec<Finding>) {
    for (t, token) in cx.doc.tokens.iter().enumerate() {
        if !token.is_word() || !cx.words.word(t).is_some_and(|info| info.mixed_script) {
            continue;
        }
        let written = cx.doc.slice(token.range());
        if has_digit(written) {
            continue;
        }
        let clean = morphology::cyrillic_spelling(cx.doc.word_text(t));
        let known = clean.as_deref().is_some_and(is_known_word);
        let readable = clean.is_some();
        let capitals = written
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        if capitals && !known {
            continue;
        }
        // The letters swapped where they are written: invisible characters and line breaks stay.
        let replacement = morphology::cyrillic_spelling(written);
        let clean = clean.unwrap_or_default();
        findings.push(respelling(
            cx,
            rule,
            token.range(),
            replacement,
            readable,
            &clean,
        ));
    }
}

/// A finding that respells a word in Cyrillic: safe when the result is a word the dictionary knows,
/// a suggestion to read when it is not (a rare surname), advice when some letter has no twin.
fn respelling(
    cx: &Context,
    rule: &Rule,
    range: std::ops::Range<usize>,
    replacement: Option<String>,
    readable: bool,
    clean: &str,
) -> Finding {
    let mut finding = cx.finding(rule, range);
    if let Some(replacement) = replacement.filter(|_| readable) {
        finding.applicability = if is_known_word(clean) {
            Applicability::Safe
        } else {
            Applicability::Suggestion
        };
        finding.suggestions.push(replacement);
    }
    finding
}

fn has_digit(word: &str) -> bool {
    word.chars().any(|c| c.is_numeric())
}

/// A form the dictionary has (not one it guesses).
fn is_known_word(word: &str) -> bool {
    !word.is_empty() && engine::analyze_form(word).known()
}

/// The word without its invisible characters, if it has any; a soft hyphen before a line break
/// (a hyphenation point at the end of a line) is not one.
fn without_invisible(written: &str) -> Option<String> {
    let mut out = String::with_capacity(written.len());
    let mut removed = false;
    let mut chars = written.chars().peekable();
    while let Some(c) = chars.next() {
        let ends_line = c == '\u{AD}' && chars.peek().is_some_and(|next| next.is_whitespace());
        if evasion::is_invisible(c) && !ends_line {
            removed = true;
        } else {
            out.push(c);
        }
    }
    removed.then_some(out)
}
