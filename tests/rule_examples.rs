//! Every rule's own examples, from the rule data: each `bad` sentence must produce the rule, each
//! `good` sentence must not, and where the rule offers a replacement the sentence with it applied
//! must be the example's `fixed` text. Adding a phrase with its example adds its test.

use yasno_core::Linter;
use yasno_core::engine::LemmaCache;

#[test]
fn rule_examples() {
    // Opt-in rules are switched on here: their examples must hold too.
    let defaults = Linter::with_default_rules().expect("the default rules load");
    let config = yasno_core::config::Config {
        extend_select: defaults
            .rules()
            .rules
            .iter()
            .filter(|r| !r.enabled)
            .map(|r| r.code.to_string())
            .collect(),
        ..Default::default()
    };
    let linter = Linter::from_config(config).expect("the default rules load");
    let mut cache = LemmaCache::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &linter.rules().rules {
        let bad = rule
            .bad
            .iter()
            .zip(&rule.bad_fixed)
            .map(|(b, f)| (b, f, None))
            .chain(rule.phrases.iter().enumerate().flat_map(|(i, p)| {
                p.bad
                    .iter()
                    .zip(&p.bad_fixed)
                    .map(move |(b, f)| (b, f, Some(i)))
            }));
        let mut has_bad = false;
        for (example, expected_fixed, phrase) in bad {
            has_bad = true;
            checked += 1;
            let doc = yasno_core::Document::new(example.as_str());
            let findings = linter.check(&doc, &mut cache);
            if !findings.iter().any(|f| f.code == rule.code) {
                let others: Vec<String> = findings
                    .iter()
                    .map(|f| format!("{} «{}»", f.code, doc.slice(f.range.clone())))
                    .collect();
                let phrase = phrase
                    .map(|i| rule.phrases[i].patterns[0].source.clone())
                    .unwrap_or_default();
                failures.push(format!(
                    "{} `{phrase}` missed: {example:?} (found instead: {others:?})",
                    rule.code
                ));
            }
            let fixed = with_first_suggestions(example, &findings, &rule.code);
            match (fixed, expected_fixed) {
                (None, None) => {}
                (Some(fixed), Some(expected)) if fixed == *expected => {}
                (Some(fixed), _) => failures.push(format!(
                    "{} fixed text of {example:?}: expected {expected_fixed:?}, got {:?}",
                    rule.code,
                    Some(fixed)
                )),
                (None, Some(expected)) => failures.push(format!(
                    "{} fixed text of {example:?}: expected {expected:?}, but nothing is replaced",
                    rule.code
                )),
            }
        }
        if !has_bad {
            failures.push(format!("{} has no `bad` example", rule.code));
        }
        if rule.good.is_empty() {
            failures.push(format!("{} has no `good` example", rule.code));
        }
        for example in &rule.good {
            checked += 1;
            let doc = yasno_core::Document::new(example.as_str());
            let findings = linter.check(&doc, &mut cache);
            for f in findings.iter().filter(|f| f.code == rule.code) {
                failures.push(format!(
                    "{} false alarm «{}» in {example:?}",
                    rule.code,
                    doc.slice(f.range.clone())
                ));
            }
        }
        // Phrases of a built-in check are its triggers, tested through the rule's own examples.
        for phrase in rule.phrases.iter().filter(|_| rule.check.is_none()) {
            if phrase.bad.is_empty() {
                failures.push(format!(
                    "{} phrase `{}` has no `bad` example",
                    rule.code, phrase.patterns[0].source
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The example with the first suggestion of each of the rule's findings applied (the first of
/// overlapping ones), or None when none of them has a suggestion.
fn with_first_suggestions(
    example: &str,
    findings: &[yasno_core::Finding],
    code: &str,
) -> Option<String> {
    let mut fixes: Vec<(&std::ops::Range<usize>, &str)> = findings
        .iter()
        .filter(|f| &*f.code == code)
        .filter_map(|f| f.suggestions.first().map(|s| (&f.range, s.as_str())))
        .collect();
    if fixes.is_empty() {
        return None;
    }
    fixes.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = String::new();
    let mut at = 0;
    for (range, replacement) in fixes {
        if range.start < at {
            continue;
        }
        out.push_str(&example[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&example[at..]);
    Some(out)
}

/// Read from the files themselves: the loaded rules hold each code once, whatever the files say.
#[test]
fn codes_are_unique() {
    let mut seen = std::collections::HashMap::new();
    for (file, text) in yasno_core::engine::DEFAULT_RULE_FILES {
        let table: toml::Table = text.parse().expect("rule files are TOML");
        let rules = table.get("rule").and_then(|r| r.as_array());
        for rule in rules.into_iter().flatten() {
            let code = rule["code"].as_str().expect("a rule has a code");
            if let Some(first) = seen.insert(code.to_string(), file) {
                panic!("{code} is in both {first} and {file}");
            }
        }
    }
    assert_eq!(
        seen.len(),
        Linter::with_default_rules().unwrap().rules().rules.len()
    );
}

#[test]
fn codes_are_prefixed_by_category() {
    let linter = Linter::with_default_rules().unwrap();
    for rule in &linter.rules().rules {
        let prefix = rule.category.code_prefix();
        assert!(
            rule.code.starts_with(prefix),
            "{} should start with {prefix}",
            rule.code
        );
        assert!(rule.clause.contains("п."), "{} cites no clause", rule.code);
    }
}
