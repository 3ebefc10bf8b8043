//! yasno — a linter for replies of Russian government offices to citizens and colleagues.
//!
//! Data flows one way: input (`input`) → text model (`text`) → morphology (`morphology`) →
//! rule engine (`engine`) → analyzers (`analyzers`) → findings (`finding`) → output (`output`).
//! The CLI (`cli`) and every other front end call `Linter::check` and nothing below it.

pub mod analyzers;
pub mod category;
pub mod cli;
pub mod config;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod input;
pub mod linter;
pub mod lsp;
pub mod morphology;
pub mod output;
mod precomputed_morphology;
pub mod readability;
pub mod rule_docs;
pub mod safe_write;
pub mod score;
pub mod suppression;
pub mod text;

pub use finding::{Category, Finding, Severity};
pub use linter::Linter;
pub use text::Document;
