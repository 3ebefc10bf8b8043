//! yasno's library: everything that reads, analyses and reports a letter; the front ends (the
//! `yasno` command line, the language server `yasno-lsp`, the score report `yasno-score`) are thin
//! layers over it (docs/architecture.md).
//!
//! Data flows one way: input (`input`) → text model (`text`) → morphology (`morphology`) →
//! rule engine (`engine`) → analyzers (`analyzers`) → findings (`finding`) → output (`output`).
//! Every front end calls `Linter::check` and nothing below it.

pub mod analyzers;
pub mod category;
pub mod config;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod input;
pub mod letter_kind;
pub mod linter;
pub mod morphology;
pub mod output;
mod precomputed_morphology;
pub mod readability;
pub mod rule_docs;
pub mod safe_write;
pub mod suppression;
pub mod text;

pub use finding::{Category, Finding, LetterKind, Severity};
pub use linter::Linter;
pub use text::Document;
