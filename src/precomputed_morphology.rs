//! The dictionary's answers for the words and tag constraints of the default rules, worked out
//! when yasno is built (build.rs), so that loading the rules need not wait for the dictionary.
//! Sorted by key for binary search; `morphology::rule_lemmas` and `morphology::tag_set` read them.

use crate::morphology::TagFacts;

/// Rule word → the lemmas a rule author means by it.
pub const RULE_LEMMAS: &[(&str, &[&str])] = include!(concat!(env!("OUT_DIR"), "/rule_lemmas.rs"));

/// `{…}` constraint, without braces → the set of UD tag numbers, a bit per tag.
pub const TAG_SETS: &[(&str, &[u64])] = include!(concat!(env!("OUT_DIR"), "/tag_sets.rs"));

/// UD tag number → the facts analyzers ask about (`morphology::tag_facts`).
pub const TAG_FACTS: &[TagFacts] = include!(concat!(env!("OUT_DIR"), "/tag_facts.rs"));
