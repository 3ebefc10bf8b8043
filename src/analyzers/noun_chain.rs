//! Chains of verbal nouns in the genitive: «обеспечение проведения проверки исполнения решения».
//! The reader has to unpack every noun back into an action; a verb says it at once.

use super::{Analyzer, Context};
use crate::finding::Finding;
use crate::morphology;

pub struct NounChain;

/// A verbal noun: «-ние», «-тие» (осуществление, взятие). Lexicalised ones are listed in the rule.
fn is_verbal_noun(lemma: &str, lexicalised: &[&str]) -> bool {
    lemma.chars().count() > 5
        && (lemma.ends_with("ние") || lemma.ends_with("тие"))
        && !lexicalised.contains(&lemma)
}

impl Analyzer for NounChain {
    fn name(&self) -> &'static str {
        "noun-chain"
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(rule) = cx.rules.for_check(self.name()) else {
            return;
        };
        let option_usize = |key: &str, default: usize| {
            rule.options
                .get(key)
                .and_then(|v| v.as_integer())
                .map_or(default, |v| v.max(1) as usize)
        };
        let min_verbal = option_usize("min_verbal_nouns", 3);
        let min_nouns = option_usize("min_nouns", 4);
        let lexicalised: Vec<&str> = rule
            .options
            .get("lexicalised")
            .and_then(|v| v.as_array())
            .map(|items| items.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let dictionary = morphology::dictionary();
        let pos_case = |tag: u16| {
            dictionary
                .ud_tag(tag)
                .map(|t| (t.pos(), t.feat("Case")))
                .unwrap_or(("X", None))
        };
        for sentence in &cx.doc.sentences {
            // (first token, last token, nouns, verbal nouns) of the chain being read
            let mut chain: Option<(usize, usize, usize, usize)> = None;
            let flush = |chain: &mut Option<(usize, usize, usize, usize)>,
                         findings: &mut Vec<Finding>| {
                if let Some((first, last, nouns, verbal)) = chain.take()
                    && verbal >= min_verbal.min(nouns)
                    && (verbal >= min_verbal || nouns >= min_nouns && verbal >= 2)
                {
                    let range = cx.doc.tokens[first].range.start..cx.doc.tokens[last].range.end;
                    findings.push(cx.finding(rule, range));
                }
            };
            for t in sentence.tokens.clone() {
                let token = &cx.doc.tokens[t];
                let Some(info) = cx.words.word(t).filter(|_| token.is_prose_word()) else {
                    flush(&mut chain, findings);
                    continue;
                };
                let verbal = info.lemmas.iter().any(|l| is_verbal_noun(l, &lexicalised));
                let is_noun = info.has_tag(|tag| pos_case(tag).0 == "NOUN");
                let genitive_noun = info.has_tag(|tag| pos_case(tag) == ("NOUN", Some("Gen")));
                let genitive_modifier =
                    info.has_tag(|tag| matches!(pos_case(tag), ("ADJ" | "DET", Some("Gen"))));
                chain = match chain {
                    Some((first, _, nouns, verbals)) if genitive_noun => {
                        Some((first, t, nouns + 1, verbals + usize::from(verbal)))
                    }
                    Some((first, last, nouns, verbals)) if genitive_modifier => {
                        Some((first, last, nouns, verbals))
                    }
                    _ => {
                        flush(&mut chain, findings);
                        // A chain starts with a verbal noun in any case.
                        (is_noun && verbal).then_some((t, t, 1, 1))
                    }
                };
            }
            flush(&mut chain, findings);
        }
    }
}
