//! Words typed with Latin look-alike letters inside Cyrillic ones («взaимoдeйcтвия» with Latin a, o, e, c):
//! search, screen readers and spell-checkers fail on them, and the dictionary would silently accept them.

use super::{Analyzer, Context};
use crate::finding::Finding;
use crate::morphology;

pub struct MixedScript;

impl Analyzer for MixedScript {
    fn name(&self) -> &'static str {
        "mixed-script"
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(rule) = cx.rules.for_check(self.name()) else {
            return;
        };
        for (t, token) in cx.doc.tokens.iter().enumerate() {
            if !token.is_word() || !cx.words.word(t).is_some_and(|info| info.mixed_script) {
                continue;
            }
            let word = cx.doc.token_text(t);
            let mut finding = cx.finding(rule, token.range());
            if let Some(fixed) = morphology::cyrillic_spelling(word) {
                finding.suggestions.push(fixed);
            }
            findings.push(finding);
        }
    }
}
