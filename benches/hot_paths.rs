//! Benchmarks of the hot paths, for people (CI only compiles them): `cargo bench --bench hot_paths`.
//! Input: the letters of tests/letters (good, bad, holdout) concatenated to 256 KB or a little more, so that the
//! figures are per byte of realistic text. Throughput is printed as bytes per second.
//! See docs/performance.md for how to read the figures and for the whole-process benchmarks.

use divan::Bencher;
use divan::counter::BytesCount;
use yasno_core::Document;
use yasno_core::analyzers::{self, Context};
use yasno_core::engine::{AnalyzedWords, LemmaCache, PhraseIndex, RuleSet};

fn main() {
    divan::main();
}

/// The test letters, concatenated as many times as it takes to pass 256 KB.
fn corpus() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/letters");
        let mut letters = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "txt") {
                    letters.push(path);
                }
            }
        }
        letters.sort();
        let one: String = letters
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect::<Vec<_>>()
            .join("\n\n");
        let mut text = String::new();
        while text.len() < 256 * 1024 {
            text.push_str(&one);
            text.push_str("\n\n");
        }
        text
    })
}

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::defaults().expect("default rules load"))
}

fn index() -> &'static PhraseIndex {
    static INDEX: std::sync::OnceLock<PhraseIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| PhraseIndex::new(rules()))
}

fn bytes() -> BytesCount {
    BytesCount::new(corpus().len())
}

/// Tokens, sentences, paragraphs (and the line index).
#[divan::bench]
fn segmentation(bencher: Bencher) {
    let text = corpus();
    bencher
        .counter(bytes())
        .bench(|| Document::new(divan::black_box(text)));
}

/// Word analysis with an empty cache: every distinct form goes to the dictionary once.
#[divan::bench]
fn lemmatisation_cold(bencher: Bencher) {
    let doc = Document::new(corpus());
    let rules = rules();
    bencher.counter(bytes()).bench(|| {
        let mut cache = LemmaCache::new();
        AnalyzedWords::analyze(&doc, rules, &mut cache)
            .word(0)
            .is_some()
    });
}

/// Word analysis with a warm cache, as for every document after the first in a batch or an editor.
#[divan::bench]
fn lemmatisation_warm(bencher: Bencher) {
    let doc = Document::new(corpus());
    let rules = rules();
    let mut cache = LemmaCache::new();
    AnalyzedWords::analyze(&doc, rules, &mut cache);
    bencher.counter(bytes()).bench_local(|| {
        AnalyzedWords::analyze(&doc, rules, &mut cache)
            .word(0)
            .is_some()
    });
}

/// All phrase patterns of all rules over the analysed document.
#[divan::bench]
fn matching(bencher: Bencher) {
    let doc = Document::new(corpus());
    let rules = rules();
    let mut cache = LemmaCache::new();
    let words = AnalyzedWords::analyze(&doc, rules, &mut cache);
    bencher
        .counter(bytes())
        .bench(|| index().find_all(&doc, &words, rules).len());
}

/// Each analyzer alone, on the analysed and matched document, named by one of its checks
/// ("phrases": the one with none).
#[divan::bench(args = [
    "phrases", "noun-chain", "mixed-script", "formatting", "refusal", "specialist-term",
    "abbreviation", "survey-link", "sentence-length", "greeting",
])]
fn analyzer(bencher: Bencher, name: &str) {
    let doc = Document::new(corpus());
    let rules = rules();
    let mut cache = LemmaCache::new();
    let words = AnalyzedWords::analyze(&doc, rules, &mut cache);
    let matches = index().find_all(&doc, &words, rules);
    let cx = Context {
        doc: &doc,
        words: &words,
        rules,
        matches: &matches,
        signature_start: yasno_core::readability::signature_start(&doc),
    };
    let checks_name = |a: &&&dyn analyzers::Analyzer| match a.checks() {
        [] => name == "phrases",
        checks => checks.iter().any(|c| c.name == name),
    };
    let Some(analyzer) = analyzers::ANALYZERS.iter().find(checks_name) else {
        return;
    };
    bencher.counter(bytes()).bench(|| {
        let mut findings = Vec::new();
        analyzer.check(&cx, &mut findings);
        findings.len()
    });
}

/// The whole linter on one document with a warm cache: what `yasno check` does per file.
#[divan::bench]
fn linter_check(bencher: Bencher) {
    let linter = yasno_core::Linter::with_default_rules().expect("default rules load");
    let doc = Document::new(corpus());
    let mut cache = LemmaCache::new();
    linter.check(&doc, &mut cache);
    bencher
        .counter(bytes())
        .bench_local(|| linter.check(&doc, &mut cache).len());
}

/// Start-up inside the process: the embedded rules parsed and compiled (the dictionary is opened
/// once per process and is already open here; the whole-process script measures it).
#[divan::bench(sample_count = 20)]
fn rules_load() -> usize {
    RuleSet::defaults().expect("default rules load").rules.len()
}
