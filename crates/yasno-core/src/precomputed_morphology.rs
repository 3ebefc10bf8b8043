//! The dictionary's answers for the words and tag constraints of the default rules, worked out
//! when yasno is built (build.rs), so that loading the rules need not wait for the dictionary.
//! Sorted by key for binary search; `morphology::rule_lemmas` and `morphology::tag_set` read them.

use crate::morphology::TagFacts;

// Statics, not consts: a const table is copied into every place that uses it, and the tag table
// alone is 700 KB of data that the loader relocates at every start.

/// Rule word → the lemmas a rule author means by it.
pub static RULE_LEMMAS: &[(&str, &[&str])] = include!(concat!(env!("OUT_DIR"), "/rule_lemmas.rs"));

/// `{…}` constraint, without braces → the set of UD tag numbers, a bit per tag.
pub static TAG_SETS: &[(&str, &[u64])] = include!(concat!(env!("OUT_DIR"), "/tag_sets.rs"));

/// UD tag number → the facts analyzers ask about (`morphology::tag_facts`).
pub static TAG_FACTS: &[TagFacts] = include!(concat!(env!("OUT_DIR"), "/tag_facts.rs"));
