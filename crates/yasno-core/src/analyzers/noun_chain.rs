//! Chains of verbal nouns in the genitive: «обеспечение проведения проверки исполнения решения».
//! The reader has to unpack every noun back into an action; a verb says it at once.

use rustc_hash::FxHashSet;
use serde::Deserialize;

use super::registry::Check;
use super::{Analyzer, Context};
use crate::engine::{CheckKind, PerForm, Rule, WordInfo};
use crate::finding::Finding;
use crate::morphology;

pub struct NounChain;

/// The chain being read: its first and last noun tokens and its counts.
struct Chain {
    first: usize,
    last: usize,
    nouns: usize,
    verbal: usize,
    /// A linking preposition was read and waits for its noun.
    after_preposition: bool,
}

impl Chain {
    fn extend(&mut self, token: usize, verbal: bool) {
        self.last = token;
        self.nouns += 1;
        self.verbal += usize::from(verbal);
    }
}

/// A verbal noun: «-ние», «-тие» (осуществление, взятие). Lexicalised ones are listed in the rule.
fn is_verbal_noun(lemma: &str, lexicalised: &FxHashSet<String>) -> bool {
    // The ending first: it rules out nearly every lemma without counting characters.
    (lemma.ends_with("ние") || lemma.ends_with("тие"))
        && lemma.chars().count() > 5
        && !lexicalised.contains(lemma)
}

/// The check of JA900; a user may add rules of it with other limits.
pub struct Chains;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainOptions {
    min_verbal_nouns: usize,
    min_nouns: usize,
    linking_prepositions: Vec<String>,
    lexicalised: Vec<String>,
}

/// The options of a rule, ready for matching.
pub struct Lists {
    min_verbal: usize,
    min_nouns: usize,
    /// Nouns in «-ние», «-тие» that name things, not actions: a set, since about every tenth
    /// word is looked up in it.
    lexicalised: FxHashSet<String>,
    linking_prepositions: Vec<String>,
}

impl CheckKind for Chains {
    const NAME: &'static str = "noun-chain";
    const MANY_RULES: bool = true;
    type Options = ChainOptions;
    type Prepared = Lists;
    fn prepare(options: ChainOptions) -> Lists {
        Lists {
            min_verbal: options.min_verbal_nouns.max(1),
            min_nouns: options.min_nouns.max(1),
            lexicalised: options.lexicalised.into_iter().collect(),
            linking_prepositions: options.linking_prepositions,
        }
    }
}

/// What the readings of a word let it be in a chain, read in one pass over them.
#[derive(Default)]
struct Roles {
    noun: bool,
    genitive_noun: bool,
    modifier: bool,
    genitive_modifier: bool,
}

impl Roles {
    fn of(info: &WordInfo) -> Roles {
        let mut roles = Roles::default();
        for &(_, tag) in &info.readings {
            let t = morphology::tag_facts(tag);
            // Participles («выявленных») modify nouns as adjectives do.
            let pos = match (t.pos, t.verb_form) {
                ("VERB", Some("Part")) => "ADJ",
                (pos, _) => pos,
            };
            let genitive = t.case == Some("Gen");
            match pos {
                "NOUN" => {
                    roles.noun = true;
                    roles.genitive_noun |= genitive;
                }
                "ADJ" | "DET" => {
                    roles.modifier = true;
                    roles.genitive_modifier |= genitive;
                }
                _ => {}
            }
        }
        roles
    }
}

impl Analyzer for NounChain {
    fn checks(&self) -> &'static [Check] {
        const CHECKS: &[Check] = &[Check::of::<Chains>()];
        CHECKS
    }

    fn check(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for rule in cx.rules.for_check(Chains::NAME) {
            chains(cx, rule, findings);
        }
    }
}

/// The chains of one rule.
fn chains(cx: &Context, rule: &Rule, findings: &mut Vec<Finding>) {
    let Lists {
        min_verbal,
        min_nouns,
        lexicalised,
        linking_prepositions,
    } = rule.prepared::<Chains>();
    let (min_verbal, min_nouns) = (*min_verbal, *min_nouns);
    // Whether a form has a verbal noun among its lemmas: asked of every word.
    let mut verbal_forms = PerForm::new();
    for sentence in &cx.doc.sentences {
        let mut chain: Option<Chain> = None;
        let flush = |chain: &mut Option<Chain>, findings: &mut Vec<Finding>| {
            if let Some(c) = chain.take()
                && c.verbal >= 2
                && (c.verbal >= min_verbal || c.nouns >= min_nouns)
            {
                let range = cx.doc.tokens[c.first].start()..cx.doc.tokens[c.last].end();
                findings.push(cx.finding(rule, range));
            }
        };
        for t in sentence.tokens.clone() {
            let token = &cx.doc.tokens[t];
            let Some(info) = token.is_prose_word().then(|| cx.words.word(t)).flatten() else {
                flush(&mut chain, findings);
                continue;
            };
            let verbal = verbal_forms.for_token(cx.words, t, || {
                info.lemmas.iter().any(|l| is_verbal_noun(l, lexicalised))
            });
            // Outside a chain only a verbal noun matters: most words stop here.
            if chain.is_none() && !verbal {
                continue;
            }
            let Roles {
                noun: is_noun,
                genitive_noun,
                modifier,
                genitive_modifier,
            } = Roles::of(info);
            let preposition = || {
                info.lemmas
                    .iter()
                    .any(|l| linking_prepositions.iter().any(|p| **p == **l))
            };
            chain = match chain {
                // «устранение нарушений»: a genitive noun extends the chain.
                Some(mut c) if !c.after_preposition && genitive_noun => {
                    c.extend(t, verbal);
                    Some(c)
                }
                // «об устранении»: after a linking preposition, only a verbal noun continues it.
                Some(mut c) if c.after_preposition && is_noun && verbal => {
                    c.after_preposition = false;
                    c.extend(t, verbal);
                    Some(c)
                }
                Some(c)
                    if (c.after_preposition && modifier)
                        || (!c.after_preposition && genitive_modifier) =>
                {
                    Some(c)
                }
                Some(mut c) if !c.after_preposition && preposition() => {
                    c.after_preposition = true;
                    Some(c)
                }
                _ => {
                    flush(&mut chain, findings);
                    // A chain starts with a verbal noun in any case.
                    (is_noun && verbal).then_some(Chain {
                        first: t,
                        last: t,
                        nouns: 1,
                        verbal: 1,
                        after_preposition: false,
                    })
                }
            };
        }
        flush(&mut chain, findings);
    }
}
