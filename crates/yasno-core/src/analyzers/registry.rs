//! What the rule loader knows of the checks: the checks that the analyzers (`ANALYZERS`, one line
//! each in analyzers/mod.rs) and the linter declare. A rule binds to a check by its `check` name;
//! a name no check has, or options or marker lists its check does not take, are load errors (see
//! `validate`).

use super::ANALYZERS;
use crate::engine::{CheckKind, Rule, RuleError, RuleSet, read_options};
use crate::suppression::VisibleDirective;

/// Checks whose findings the linter makes itself, after the analyzers.
static LINTER_CHECKS: &[Check] = &[Check::of::<VisibleDirective>()];

/// A check as the rule loader sees it: the `check` name, how its rules' options are read and
/// which marker lists they give.
pub struct Check {
    pub name: &'static str,
    many_rules: bool,
    markers: &'static [&'static str],
    read_options: fn(&toml::Table) -> Result<(), String>,
}

impl Check {
    pub const fn of<K: CheckKind>() -> Check {
        Check {
            name: K::NAME,
            many_rules: K::MANY_RULES,
            markers: K::MARKERS,
            read_options: read_as::<K>,
        }
    }
}

fn read_as<K: CheckKind>(options: &toml::Table) -> Result<(), String> {
    read_options::<K::Options>(options).map(drop)
}

/// Every check: the analyzers' and the linter's own.
pub fn checks() -> impl Iterator<Item = &'static Check> {
    ANALYZERS
        .iter()
        .flat_map(|analyzer| analyzer.checks())
        .chain(LINTER_CHECKS)
}

/// Every rule names a known check, if any, with options of that check's type and its marker
/// lists, and a check that reports under one rule has one. The error names the rule's file and
/// code, and the option or list.
pub fn validate(rules: &RuleSet) -> Result<(), RuleError> {
    for rule in &rules.rules {
        check_options(rule).map_err(|message| RuleError {
            origin: rule.origin.to_string(),
            message: format!("rule {}: {message}", rule.code),
        })?;
        let Some(check) = rule.check.as_deref().and_then(find) else {
            continue;
        };
        if !check.many_rules
            && let Some(first) = rules.for_check(check.name).next()
            && first.code != rule.code
        {
            return Err(RuleError {
                origin: rule.origin.to_string(),
                message: format!(
                    "rule {}: check `{}` reports under one rule, and {} (from {}) already names it",
                    rule.code, check.name, first.code, first.origin
                ),
            });
        }
    }
    Ok(())
}

/// The rule's check is known, its options are of that check's type, and its marker lists are
/// those the check reads.
pub fn check_options(rule: &Rule) -> Result<(), String> {
    let Some(name) = rule.check.as_deref() else {
        if let Some(key) = rule.options.keys().next() {
            return Err(format!(
                "option `{key}`: options are the settings of a `check`, and this rule has none"
            ));
        }
        return match rule.markers.keys().next() {
            Some(name) => Err(format!(
                "marker list `{name}`: marker lists are read by a `check`, and this rule has none"
            )),
            None => Ok(()),
        };
    };
    let check = find(name).ok_or_else(|| {
        let known: Vec<&str> = checks().map(|c| c.name).collect();
        format!(
            "no check is called `{name}`; the checks are {}",
            known.join(", ")
        )
    })?;
    (check.read_options)(&rule.options)?;
    check_markers(check, rule)
}

/// The rule gives every marker list its check reads, and no other.
fn check_markers(check: &Check, rule: &Rule) -> Result<(), String> {
    let expected = || match check.markers {
        [] => format!("check `{}` reads none", check.name),
        names => format!("check `{}` reads {}", check.name, names.join(", ")),
    };
    if let Some(name) = rule
        .markers
        .keys()
        .find(|n| !check.markers.contains(&n.as_str()))
    {
        return Err(format!("unknown marker list `{name}`; {}", expected()));
    }
    match check
        .markers
        .iter()
        .find(|n| !rule.markers.contains_key(**n))
    {
        Some(name) => Err(format!("missing marker list `{name}` in [rule.markers]")),
        None => Ok(()),
    }
}

fn find(name: &str) -> Option<&'static Check> {
    checks().find(|check| check.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error of loading one user rule file beside the defaults, if any.
    fn load_error(rule: &str) -> Option<String> {
        let mut rules = RuleSet::defaults().unwrap();
        let text = format!(
            "category = \"sentence-length\"\n[[rule]]\ncode = \"SL901\"\nname = \"x\"\n\
             title = \"x\"\nmessage = \"x\"\nexplanation = \"x\"\nclause = \"п. 1\"\n{rule}\n"
        );
        match rules.add_file("user.toml", &text) {
            Err(e) => Some(e.to_string()),
            Ok(()) => validate(&rules).err().map(|e| e.to_string()),
        }
    }

    #[test]
    fn a_rule_must_name_a_known_check() {
        let error = load_error("check = \"refusl\"").unwrap();
        assert!(
            error
                .starts_with("user.toml: rule SL901: no check is called `refusl`; the checks are "),
            "{error}"
        );
        assert!(error.contains("refusal, refusal-no-way-forward"), "{error}");
    }

    #[test]
    fn options_are_typed() {
        assert_eq!(
            load_error("check = \"noun-chain\"\n[rule.options]\nmin_nouns = \"3\"\nmin_verbal_nouns = 3\nlinking_prepositions = []\nlexicalised = []").as_deref(),
            Some("user.toml: rule SL901: option `min_nouns`: invalid type: string \"3\", expected usize")
        );
        assert_eq!(
            load_error("check = \"noun-chain\"\n[rule.options]\nmin_nouns = 3\nmin_verbal_nouns = 3\nlinking_prepositions = []\nlexicalised = []\nmin_noun = 1").as_deref(),
            Some("user.toml: rule SL901: option `min_noun`: unknown field `min_noun`, expected one of `min_verbal_nouns`, `min_nouns`, `linking_prepositions`, `lexicalised`")
        );
        // The values live in the rule data: none is taken for granted.
        assert_eq!(
            load_error("check = \"noun-chain\"\n[rule.options]\nmin_nouns = 3").as_deref(),
            Some("user.toml: rule SL901: options: missing field `min_verbal_nouns`")
        );
        assert_eq!(
            load_error(
                "check = \"noun-chain\"\n[rule.options]\nmin_nouns = 3\nmin_verbal_nouns = 3\nlinking_prepositions = []\nlexicalised = []"
            ),
            None
        );
        // A check without options takes none, and a phrase rule takes none.
        assert_eq!(
            load_error("check = \"specialist-term\"\n[[rule.phrase]]\npattern = \"x\"\n[rule.options]\nlimit = 1").as_deref(),
            Some("user.toml: rule SL901: option `limit`: unknown field `limit`, there are no fields")
        );
        assert_eq!(
            load_error("[[rule.phrase]]\npattern = \"x\"\n[rule.options]\nlimit = 1").as_deref(),
            Some(
                "user.toml: rule SL901: option `limit`: options are the settings of a `check`, and this rule has none"
            )
        );
    }

    #[test]
    fn marker_lists_are_those_of_the_check() {
        assert_eq!(
            load_error("[[rule.phrase]]\npattern = \"x\"\n[rule.markers]\nreasons = [\"ибо\"]")
                .as_deref(),
            Some(
                "user.toml: rule SL901: marker list `reasons`: marker lists are read by a `check`, and this rule has none"
            )
        );
        let chain = "check = \"noun-chain\"\n[rule.options]\nmin_nouns = 3\nmin_verbal_nouns = 3\n\
                     linking_prepositions = []\nlexicalised = []";
        assert_eq!(
            load_error(&format!("{chain}\n[rule.markers]\nreasons = [\"ибо\"]")).as_deref(),
            Some(
                "user.toml: rule SL901: unknown marker list `reasons`; check `noun-chain` reads none"
            )
        );
        // The refusal check's lists: a misspelt one, and one left out.
        let refusal =
            "check = \"refusal\"\n[rule.options]\nway_forward_sentences = 6\n[rule.markers]";
        let error = load_error(&format!("{refusal}\nreason_marker = [\"ибо\"]")).unwrap();
        assert!(
            error.starts_with(
                "user.toml: rule SL901: unknown marker list `reason_marker`; check `refusal` reads reason_markers, reason_in_sentence, "
            ),
            "{error}"
        );
        assert_eq!(
            load_error(&format!("{refusal}\nreason_markers = [\"ибо\"]")).as_deref(),
            Some(
                "user.toml: rule SL901: missing marker list `reason_in_sentence` in [rule.markers]"
            )
        );
    }

    #[test]
    fn a_check_of_one_rule_takes_one() {
        assert_eq!(
            load_error("check = \"sentence-length\"\n[rule.options]\nmax_words = 10").as_deref(),
            Some(
                "user.toml: rule SL901: check `sentence-length` reports under one rule, and SL001 (from rules/sentence-length.toml) already names it"
            )
        );
    }

    #[test]
    fn every_default_rule_loads() {
        validate(&RuleSet::defaults().unwrap()).unwrap();
    }

    #[test]
    fn check_names_are_unique() {
        let mut names: Vec<&str> = checks().map(|c| c.name).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a check name is declared twice");
    }

    #[test]
    fn every_check_has_a_default_rule() {
        let rules = RuleSet::defaults().unwrap();
        for check in checks() {
            assert!(
                rules.for_check(check.name).next().is_some(),
                "no rule in rules/ names check `{}`",
                check.name
            );
        }
    }
}
