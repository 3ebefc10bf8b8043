//! Accuracy of yasno against what a careful editor flags (docs/accuracy.md): recall per category
//! and precision of warning/error findings on the real-letter corpus (`tests/corpus/real`, and its
//! held-out quarter) and on the annotated test letters (`tests/letters`). Fails when a figure drops
//! below its floor in `tests/corpus/floors.toml`.
//!
//! `cargo test --test accuracy -- --nocapture` prints the figures; misses and false alarms are
//! listed for every part except the held-out ones, which are looked at only to measure.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use yasno_core::config::{Config, Profile};
use yasno_core::engine::LemmaCache;
use yasno_core::{Category, Document, Linter, Severity};

#[path = "common/fragments.rs"]
mod fragments;
use fragments::occurrences;

/// The categories an annotation judges: all but `formatting`, which needs a .docx, and `tone`,
/// which gives hints; findings of those two count neither way.
fn judged() -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|c| !matches!(c, Category::Formatting | Category::Tone))
        .collect()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// One annotated fragment, or the whole text when `fragment` is absent.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mark {
    category: String,
    fragment: Option<String>,
}

/// The sidecar `NNN.toml` of a real text. Source fields are checked for presence only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Annotation {
    source: String,
    title: String,
    date: Option<String>,
    author: String,
    kind: String,
    profile: String,
    note: Option<String>,
    #[serde(default)]
    flag: Vec<Mark>,
    #[serde(default)]
    optional: Vec<Mark>,
    #[serde(default)]
    must_not: Vec<Mark>,
}

/// A mark placed in its text: `None` stands for the whole text.
struct Placed {
    category: Category,
    range: Option<Range<usize>>,
    label: String,
}

struct Text {
    name: String,
    /// `final`, `interim`, `internal` or `public`; `letter` for tests/letters.
    kind: String,
    body: String,
    internal: bool,
    /// Categories whose unannotated warnings count as false alarms.
    judged: Vec<Category>,
    flags: Vec<Placed>,
    optional: Vec<Placed>,
    must_not: Vec<Placed>,
}

/// Places marks in the text; a mark repeated n times stands for the first n occurrences.
fn place(name: &str, text: &str, marks: &[(String, Option<String>)]) -> Vec<Placed> {
    let mut placed: Vec<Placed> = Vec::new();
    for (category, fragment) in marks {
        let category: Category = category.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        let range = fragment.as_deref().map(|fragment| {
            let ranges = occurrences(text, fragment);
            assert!(
                !ranges.is_empty(),
                "{name}: fragment not in text: {fragment}"
            );
            let nth = placed
                .iter()
                .filter(|p| p.category == category && p.label == *fragment)
                .count();
            ranges.get(nth).unwrap_or(&ranges[0]).clone()
        });
        placed.push(Placed {
            category,
            range,
            label: fragment.clone().unwrap_or_default(),
        });
    }
    placed
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

fn marks(list: &[Mark]) -> Vec<(String, Option<String>)> {
    list.iter()
        .map(|m| (m.category.clone(), m.fragment.clone()))
        .collect()
}

/// The real texts of one folder with their sidecar annotations.
fn real_texts(dir: &Path) -> Vec<Text> {
    files(dir, "txt")
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let body = fs::read_to_string(&path).unwrap();
            let toml_path = path.with_extension("toml");
            let annotation: Annotation = toml::from_str(
                &fs::read_to_string(&toml_path)
                    .unwrap_or_else(|e| panic!("{}: {e}", toml_path.display())),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", toml_path.display()));
            assert!(
                annotation.source.starts_with("http") && !annotation.title.is_empty(),
                "{name}: source URL and title are required"
            );
            assert!(
                ["final", "interim", "internal", "public"].contains(&annotation.kind.as_str()),
                "{name}: unknown kind `{}`",
                annotation.kind
            );
            let internal = match annotation.profile.as_str() {
                "internal" => true,
                "external" => false,
                other => panic!("{name}: unknown profile `{other}`"),
            };
            Text {
                flags: place(&name, &body, &marks(&annotation.flag)),
                optional: place(&name, &body, &marks(&annotation.optional)),
                must_not: place(&name, &body, &marks(&annotation.must_not)),
                kind: annotation.kind,
                name,
                body,
                internal,
                judged: judged(),
            }
        })
        .collect()
}

/// tests/letters: `.expected` lines are `category<TAB>fragment`, an empty fragment for the whole
/// letter; a letter without one must have no finding at all. Letters to colleagues have
/// «kollege» in their names. `judged` is what the folder's README says was annotated.
fn letters(dir: &Path, judged: &[Category]) -> Vec<Text> {
    files(dir, "txt")
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let body = fs::read_to_string(&path).unwrap();
            let expected = fs::read_to_string(path.with_extension("expected")).unwrap_or_default();
            let lines: Vec<(String, Option<String>)> = expected
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|line| {
                    let (category, fragment) = line.split_once('\t').unwrap_or((line, ""));
                    let fragment = (!fragment.trim().is_empty()).then(|| fragment.to_string());
                    (category.to_string(), fragment)
                })
                .collect();
            Text {
                flags: place(&name, &body, &lines),
                optional: Vec::new(),
                must_not: Vec::new(),
                internal: name.contains("kollege"),
                kind: "letter".to_string(),
                name,
                body,
                judged: judged.to_vec(),
            }
        })
        .collect()
}

/// A finding's text on one line of the report.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// What the measure needs of a finding: only these fields of `yasno_core::Finding`, so that the test
/// does not depend on the rest of it.
struct Found {
    code: String,
    category: Category,
    severity: Severity,
    range: Range<usize>,
}

fn covers(mark: &Placed, finding: &Found) -> bool {
    mark.category == finding.category
        && mark
            .range
            .as_ref()
            .is_none_or(|r| overlaps(r, &finding.range))
}

#[derive(Default)]
struct Tally {
    texts: usize,
    /// category → (annotated, found at any severity, found at warning or error)
    recall: BTreeMap<Category, (usize, usize, usize)>,
    true_alarms: usize,
    false_alarms: usize,
    must_not: usize,
    must_not_broken: usize,
    /// Texts with no false alarm at warning or error.
    quiet_texts: usize,
    false_by_category: BTreeMap<Category, usize>,
    false_by_kind: BTreeMap<String, usize>,
    misses: Vec<String>,
    false_alarm_list: Vec<String>,
}

impl Tally {
    fn add(&mut self, text: &Text, doc: &Document, findings: &[Found]) {
        self.texts += 1;
        for mark in &text.flags {
            let entry = self.recall.entry(mark.category).or_default();
            entry.0 += 1;
            let any = findings.iter().any(|f| covers(mark, f));
            let warned = findings
                .iter()
                .any(|f| f.severity >= Severity::Warning && covers(mark, f));
            entry.1 += usize::from(any);
            entry.2 += usize::from(warned);
            if !warned {
                self.misses.push(format!(
                    "{}: {} «{}»{}",
                    text.name,
                    mark.category,
                    mark.label,
                    if any { " (below warning)" } else { "" }
                ));
            }
        }
        let false_before = self.false_alarms;
        let alarms = findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning && text.judged.contains(&f.category));
        for f in alarms {
            if text.flags.iter().any(|m| covers(m, f)) {
                self.true_alarms += 1;
            } else if !text.optional.iter().any(|m| covers(m, f)) {
                self.false_alarms += 1;
                *self.false_by_category.entry(f.category).or_default() += 1;
                *self.false_by_kind.entry(text.kind.clone()).or_default() += 1;
                self.false_alarm_list.push(format!(
                    "{}: {} {} «{}»",
                    text.name,
                    f.category,
                    f.code,
                    one_line(doc.slice(f.range.clone()))
                ));
            }
        }
        self.quiet_texts += usize::from(self.false_alarms == false_before);
        for mark in &text.must_not {
            self.must_not += 1;
            if findings
                .iter()
                .any(|f| f.severity >= Severity::Warning && covers(mark, f))
            {
                self.must_not_broken += 1;
                self.false_alarm_list.push(format!(
                    "{}: must not appear: {} {}",
                    text.name,
                    mark.category,
                    if mark.label.is_empty() {
                        "(whole text)".to_string()
                    } else {
                        format!("«{}»", mark.label)
                    }
                ));
            }
        }
    }

    /// Figures by name, as in floors.toml; a figure without annotations to measure is absent.
    fn figures(&self, part: &str) -> BTreeMap<String, f64> {
        let mut figures = BTreeMap::new();
        let ratio = |a: usize, b: usize| a as f64 / b as f64;
        let (mut all, mut any, mut warned) = (0, 0, 0);
        for (category, (n, a, w)) in &self.recall {
            figures.insert(format!("{part}.recall.{category}.any"), ratio(*a, *n));
            figures.insert(format!("{part}.recall.{category}.warning"), ratio(*w, *n));
            (all, any, warned) = (all + n, any + a, warned + w);
        }
        if all > 0 {
            figures.insert(format!("{part}.recall.all.any"), ratio(any, all));
            figures.insert(format!("{part}.recall.all.warning"), ratio(warned, all));
        }
        let alarms = self.true_alarms + self.false_alarms;
        if alarms > 0 {
            figures.insert(format!("{part}.precision"), ratio(self.true_alarms, alarms));
        }
        if self.texts > 0 {
            figures.insert(
                format!("{part}.quiet-texts"),
                ratio(self.quiet_texts, self.texts),
            );
        }
        if self.must_not > 0 {
            figures.insert(
                format!("{part}.must-not"),
                1.0 - ratio(self.must_not_broken, self.must_not),
            );
        }
        figures
    }

    fn report(&self, part: &str, details: bool) -> String {
        let mut out = String::new();
        let annotated: usize = self.recall.values().map(|r| r.0).sum();
        writeln!(
            out,
            "\n== {part}: {} texts, {annotated} annotated problems",
            self.texts
        )
        .unwrap();
        writeln!(
            out,
            "   {:<16} {:>9} {:>7} {:>9}",
            "category", "annotated", "any", "warning+"
        )
        .unwrap();
        for (category, (n, a, w)) in &self.recall {
            writeln!(
                out,
                "   {:<16} {n:>9} {:>7.2} {:>9.2}",
                category.name(),
                *a as f64 / *n as f64,
                *w as f64 / *n as f64
            )
            .unwrap();
        }
        let figures = self.figures(part);
        if let (Some(any), Some(warned)) = (
            figures.get(&format!("{part}.recall.all.any")),
            figures.get(&format!("{part}.recall.all.warning")),
        ) {
            writeln!(
                out,
                "   {:<16} {annotated:>9} {any:>7.2} {warned:>9.2}",
                "all"
            )
            .unwrap();
        }
        let alarms = self.true_alarms + self.false_alarms;
        match figures.get(&format!("{part}.precision")) {
            Some(p) => writeln!(
                out,
                "   precision of warning/error findings: {p:.2} ({} right of {alarms}, {} false alarms)",
                self.true_alarms, self.false_alarms
            ),
            None => writeln!(out, "   no warning/error findings"),
        }
        .unwrap();
        if !self.false_by_category.is_empty() {
            let by: Vec<String> = self
                .false_by_category
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            writeln!(out, "   false alarms by category: {}", by.join(", ")).unwrap();
            let by: Vec<String> = self
                .false_by_kind
                .iter()
                .map(|(kind, n)| format!("{kind} {n}"))
                .collect();
            writeln!(out, "   false alarms by kind of text: {}", by.join(", ")).unwrap();
        }
        writeln!(
            out,
            "   texts without a false alarm: {} of {}",
            self.quiet_texts, self.texts
        )
        .unwrap();
        if self.must_not > 0 {
            writeln!(
                out,
                "   findings that must not appear: {} of {} appeared",
                self.must_not_broken, self.must_not
            )
            .unwrap();
        }
        if details {
            for miss in &self.misses {
                writeln!(out, "   missed: {miss}").unwrap();
            }
            for alarm in &self.false_alarm_list {
                writeln!(out, "   false alarm: {alarm}").unwrap();
            }
        }
        out
    }
}

struct Linters {
    external: Linter,
    internal: Linter,
    cache: LemmaCache,
}

impl Linters {
    fn new() -> Self {
        let with = |profile| {
            Linter::from_config(Config {
                profile,
                ..Config::default()
            })
            .unwrap()
        };
        Linters {
            external: with(Profile::External),
            internal: with(Profile::Internal),
            cache: LemmaCache::new(),
        }
    }

    fn measure(&mut self, texts: &[Text]) -> Tally {
        let mut tally = Tally::default();
        for text in texts {
            let linter = if text.internal {
                &self.internal
            } else {
                &self.external
            };
            let doc = Document::new(text.body.clone());
            let findings: Vec<Found> = linter
                .check(&doc, &mut self.cache)
                .into_iter()
                .map(|f| Found {
                    code: f.code.to_string(),
                    category: f.category,
                    severity: f.severity,
                    range: f.range,
                })
                .collect();
            tally.add(text, &doc, &findings);
        }
        tally
    }
}

fn floors() -> BTreeMap<String, f64> {
    let path = root().join("corpus/floors.toml");
    let table: toml::Table = toml::from_str(&fs::read_to_string(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    table
        .into_iter()
        .map(|(key, value)| {
            let floor = value
                .as_float()
                .unwrap_or_else(|| panic!("{}: `{key}` is not a number", path.display()));
            (key, floor)
        })
        .collect()
}

#[test]
fn accuracy_stays_above_the_recorded_floors() {
    let jargon_and_empty_phrases = [Category::Jargon, Category::Forbidden];
    let all = judged();
    // The seven categories of the mission come first in `Category::ALL`.
    let mission = &Category::ALL[..7];
    let real = root().join("corpus/real");
    let mut open = real_texts(&real);
    let held_out = real_texts(&real.join("holdout"));
    assert!(
        open.len() + held_out.len() >= 80,
        "the real corpus has fewer than 80 texts"
    );
    let mut linters = Linters::new();
    // (part, texts, details are printed)
    let mut parts: Vec<(&str, Tally, bool)> = Vec::new();
    let held_out_tally = linters.measure(&held_out);
    let open_tally = linters.measure(&open);
    open.extend(held_out);
    parts.push(("real", linters.measure(&open), false));
    parts.push(("real-open", open_tally, true));
    parts.push(("real-holdout", held_out_tally, false));
    let letters_dir = root().join("letters");
    for (part, dir, judged, details) in [
        (
            "letters-bad",
            letters_dir.join("bad"),
            &jargon_and_empty_phrases[..],
            true,
        ),
        ("letters-good", letters_dir.join("good"), &all[..], true),
        (
            "letters-holdout-bad",
            letters_dir.join("holdout/bad"),
            mission,
            false,
        ),
        (
            "letters-holdout-good",
            letters_dir.join("holdout/good"),
            &all[..],
            false,
        ),
    ] {
        parts.push((part, linters.measure(&letters(&dir, judged)), details));
    }

    let mut measured = BTreeMap::new();
    for (part, tally, details) in &parts {
        print!("{}", tally.report(part, *details));
        measured.extend(tally.figures(part));
    }
    if std::env::var_os("YASNO_ACCURACY_FLOORS").is_some() {
        // Floors for today's figures, a little below them (see docs/accuracy.md).
        println!();
        for (figure, value) in &measured {
            let floor = ((value * 100.0).floor() / 100.0 - 0.02).max(0.0);
            if floor > 0.0 {
                println!("\"{figure}\" = {floor:.2}");
            }
        }
    }
    let mut below = Vec::new();
    for (figure, floor) in floors() {
        match measured.get(&figure) {
            None => below.push(format!("{figure}: no such figure was measured")),
            Some(value) if *value + 1e-9 < floor => {
                below.push(format!("{figure} = {value:.3}, below its floor {floor}"))
            }
            Some(_) => {}
        }
    }
    assert!(
        below.is_empty(),
        "accuracy dropped (tests/corpus/floors.toml):\n{}",
        below.join("\n")
    );
}

#[test]
fn a_fragment_is_found_across_line_breaks_and_repeats_stand_for_later_occurrences() {
    let text = "Данный\nвопрос решён. Данный вопрос закрыт.";
    assert_eq!(occurrences(text, "Данный вопрос"), vec![0..25, 38..63]);
    let marks = vec![
        ("jargon".to_string(), Some("Данный вопрос".to_string())),
        ("jargon".to_string(), Some("Данный вопрос".to_string())),
        ("survey-link".to_string(), None),
    ];
    let placed = place("t", text, &marks);
    assert_eq!(placed[0].range, Some(0..25));
    assert_eq!(placed[1].range, Some(38..63));
    assert_eq!(placed[2].range, None);
}

fn finding(category: Category, severity: Severity, range: Range<usize>) -> Found {
    Found {
        code: "T001".into(),
        category,
        severity,
        range,
    }
}

#[test]
fn optional_marks_count_neither_way_and_must_not_marks_are_reported() {
    let body = "Данный вопрос решён. В связи с этим сообщаем.".to_string();
    let mark = |c: &str, f: Option<&str>| vec![(c.to_string(), f.map(str::to_string))];
    let text = Text {
        name: "t".into(),
        kind: "final".into(),
        flags: place("t", &body, &mark("jargon", Some("В связи с этим"))),
        optional: place("t", &body, &mark("jargon", Some("Данный"))),
        must_not: place("t", &body, &mark("survey-link", None)),
        body: body.clone(),
        internal: false,
        judged: judged(),
    };
    let doc = Document::new(body);
    let findings = [
        // On the optional fragment: neither right nor false.
        finding(Category::Jargon, Severity::Warning, 0..12),
        // On the flagged fragment, but only a hint: found at any severity, not at warning+.
        finding(Category::Jargon, Severity::Hint, 39..45),
        // Unannotated: a false alarm, and one the annotation forbids.
        finding(Category::SurveyLink, Severity::Warning, 0..0),
        // Not judged on this text: counts neither way.
        finding(Category::Tone, Severity::Warning, 0..12),
    ];
    let mut tally = Tally::default();
    tally.add(&text, &doc, &findings);
    assert_eq!(tally.recall[&Category::Jargon], (1, 1, 0));
    assert_eq!((tally.true_alarms, tally.false_alarms), (0, 1));
    assert_eq!((tally.must_not, tally.must_not_broken), (1, 1));
    let figures = tally.figures("t");
    assert_eq!(figures["t.recall.jargon.any"], 1.0);
    assert_eq!(figures["t.recall.jargon.warning"], 0.0);
    assert_eq!(figures["t.precision"], 0.0);
    assert_eq!(figures["t.must-not"], 0.0);
}

#[test]
fn a_whole_text_mark_matches_a_finding_of_its_category_anywhere() {
    let body = "Здравствуйте! Ответ готов.".to_string();
    let text = Text {
        name: "t".into(),
        kind: "final".into(),
        flags: place("t", &body, &[("survey-link".into(), None)]),
        optional: Vec::new(),
        must_not: Vec::new(),
        body: body.clone(),
        internal: false,
        judged: judged(),
    };
    let doc = Document::new(body);
    let mut tally = Tally::default();
    tally.add(
        &text,
        &doc,
        &[finding(Category::SurveyLink, Severity::Error, 26..36)],
    );
    assert_eq!(tally.recall[&Category::SurveyLink], (1, 1, 1));
    assert_eq!((tally.true_alarms, tally.false_alarms), (1, 0));
}
