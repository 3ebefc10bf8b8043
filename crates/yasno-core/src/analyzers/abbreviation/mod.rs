//! Abbreviations the reader may not know (МКД, ЖКУ, ОСС, «т. к.», «м/р») used without an explanation
//! at their first use. Explanations are recognised in the forms clerks write them: «многоквартирный
//! дом (далее — МКД)», «МКД (многоквартирный дом)», «ЖКУ — жилищно-коммунальные услуги», or words
//! nearby whose initial letters spell the abbreviation. Widely known ones (РФ, ИНН, МФЦ) pass.
//! The lists are data: dictionaries/abbreviations-*.{txt,toml} plus the rule's options.

mod candidates;
mod expansion;
mod lists;
#[cfg(test)]
mod tests;
mod words;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::registry::Check;
use super::{Analyzer, Context};
use crate::engine::CheckKind;
use crate::finding::Finding;
use crate::morphology;
use crate::text::{Document, TokenKind};
use candidates::*;
use lists::*;
pub(super) use words::is_dash;
use words::*;

pub struct Abbreviation;

/// The check of AB001.
pub struct Unexplained;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbbreviationOptions {
    /// Known to everyone, in addition to dictionaries/abbreviations-known.txt.
    known: Vec<String>,
    min_caps_word: usize,
    message_expanded: Option<String>,
    advice: Option<String>,
    /// In addition to dictionaries/abbreviations-domain.toml.
    expansions: HashMap<String, String>,
    dotted: HashMap<String, String>,
}

impl CheckKind for Unexplained {
    const NAME: &'static str = "abbreviation";
    type Options = AbbreviationOptions;
    type Prepared = Lists;
    fn prepare(options: AbbreviationOptions) -> Lists {
        Lists::new(options)
    }
}

struct Checker<'a, 'c> {
    cx: &'a Context<'c>,
    lists: &'a Lists,
    /// Per capital word as written: what the dictionary and the lists say of it (see
    /// `Checker::verdict`). Letters repeat their capital words.
    verdicts: RefCell<FxHashMap<&'c str, CapitalVerdict>>,
}

impl Analyzer for Abbreviation {
    fn checks(&self) -> &'static [Check] {
        const CHECKS: &[Check] = &[Check::of::<Unexplained>()];
        CHECKS
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(rule) = cx.rules.rule_of::<Unexplained>() else {
            return;
        };
        let checker = Checker {
            cx,
            // The lists depend on the rule only: built once, not for every document.
            lists: rule.prepared::<Unexplained>(),
            verdicts: RefCell::default(),
        };
        let mut seen: HashSet<String> = HashSet::new();
        for group in checker.candidates() {
            let unit = if group.members.len() > 1 {
                let unknown: Vec<&String> = group
                    .members
                    .iter()
                    .filter(|m| !checker.lists.is_known(m) && !seen.contains(*m))
                    .collect();
                if unknown.is_empty() {
                    continue;
                }
                if unknown.len() == 1 && !checker.lists.has_expansion(&group.key) {
                    // «ООО УК»: only «УК» needs explaining.
                    let member = unknown[0].clone();
                    match checker.single_member(&group, &member) {
                        Some(unit) => unit,
                        None => continue,
                    }
                } else {
                    group
                }
            } else {
                group
            };
            let fresh = seen.insert(unit.key.clone());
            for member in &unit.members {
                seen.insert(member.clone());
            }
            if !fresh || checker.lists.is_known(&unit.key) || checker.explained(&unit) {
                continue;
            }
            let expansion = unit
                .expansion
                .clone()
                .or_else(|| checker.lists.expansion(&unit.key).map(str::to_string));
            let mut finding = cx.finding(rule, unit.range.clone());
            match (&expansion, &checker.lists.message_expanded) {
                (Some(expansion), Some(template)) => {
                    finding.message = template
                        .replace("{found}", cx.doc.slice(unit.range.clone()))
                        .replace("{expansion}", expansion);
                    finding.suggestions.push(expansion.clone());
                }
                (Some(expansion), None) => finding.suggestions.push(expansion.clone()),
                _ => {}
            }
            if unit.kind != Kind::Dotted {
                finding.advice = checker.lists.advice.clone();
            }
            findings.push(finding);
        }
    }
}
