//! The score of sample answers (`yasno score`): a transparent 0–100 score for sample answers, for trainers. The formula is in
//! docs/scoring.md; this module is its only implementation.
//!
//! In short: every finding in the text costs `severity weight × category weight` penalty points;
//! the points per 100 words (the density) are turned into a share of the score by
//! `100 · D / (D + half-density)`, so a long answer is not punished for its length and a short one
//! full of empty phrases loses nearly everything. Document-level faults (no survey link, a refusal
//! without a reason, no greeting) cost a fixed number of points each, whatever the length. An
//! answer shorter than `min-words` loses points in proportion to what is missing.
//!
//! Only `+ − × ÷` on `f64` are used, in a fixed order (IEEE 754 makes them exact-rounded and the
//! same on every machine; no `exp`, `ln` or `pow`, whose last bits depend on the maths library).
//! What reaches the output is rounded: the score to an integer, costs to 0.1.

pub mod html;
pub mod table;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use yasno_core::engine::RuleSet;
use yasno_core::finding::{Category, Finding, Severity};
use yasno_core::output::FileReport;
use yasno_core::readability::readability;

pub use yasno_core::config::ScoreConfig;

/// All the numbers of the formula, resolved from the defaults and the `[score]` table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Weights {
    pub severity: BTreeMap<Severity, f64>,
    pub category: BTreeMap<Category, f64>,
    pub document: BTreeMap<Severity, f64>,
    pub document_categories: Vec<Category>,
    pub half_density: f64,
    pub min_words: usize,
    pub short_answer: f64,
    pub grades: [u32; 3],
}

impl Default for Weights {
    fn default() -> Self {
        use Severity as S;
        Weights {
            severity: BTreeMap::from([
                (S::Error, 3.0),
                (S::Warning, 1.0),
                (S::Info, 0.5),
                (S::Hint, 0.25),
            ]),
            category: Category::ALL
                .into_iter()
                .map(|c| (c, c.score_weight()))
                .collect(),
            document: BTreeMap::from([
                (S::Error, 15.0),
                (S::Warning, 10.0),
                (S::Info, 4.0),
                (S::Hint, 2.0),
            ]),
            document_categories: Category::ALL
                .into_iter()
                .filter(|c| c.document_level())
                .collect(),
            half_density: 10.0,
            min_words: 30,
            short_answer: 60.0,
            grades: [90, 75, 55],
        }
    }
}

impl Weights {
    /// The defaults with a `[score]` table on top; an error names the key that is wrong.
    pub fn from_config(config: &ScoreConfig) -> Result<Weights, String> {
        let mut weights = Weights::default();
        let check = |key: String, value: f64| {
            if value.is_finite() && value >= 0.0 {
                Ok(value)
            } else {
                Err(format!(
                    "[score] {key}: a weight must be a number ≥ 0, not {value}"
                ))
            }
        };
        for (severity, &value) in &config.severity {
            weights
                .severity
                .insert(*severity, check(format!("severity.{severity}"), value)?);
        }
        for (category, &value) in &config.category {
            weights
                .category
                .insert(*category, check(format!("category.{category}"), value)?);
        }
        for (severity, &value) in &config.document {
            weights
                .document
                .insert(*severity, check(format!("document.{severity}"), value)?);
        }
        if let Some(categories) = &config.document_categories {
            weights.document_categories = categories.clone();
        }
        if let Some(value) = config.half_density {
            let value = check("half-density".into(), value)?;
            if value == 0.0 {
                return Err("[score] half-density must be greater than 0".into());
            }
            weights.half_density = value;
        }
        if let Some(value) = config.min_words {
            weights.min_words = value;
        }
        if let Some(value) = config.short_answer {
            weights.short_answer = check("short-answer".into(), value)?;
        }
        if let Some(grades) = config.grades {
            if !(grades[0] >= grades[1] && grades[1] >= grades[2] && grades[0] <= 100) {
                return Err(format!(
                    "[score] grades: three scores from 100 down, such as [90, 75, 55], not {grades:?}"
                ));
            }
            weights.grades = grades;
        }
        Ok(weights)
    }

    fn severity_weight(&self, severity: Severity) -> f64 {
        self.severity.get(&severity).copied().unwrap_or(0.0)
    }

    /// The multiplier of a category: the `[score]` table's, or the category table's default.
    pub fn category_weight(&self, category: Category) -> f64 {
        self.category
            .get(&category)
            .copied()
            .unwrap_or(category.score_weight())
    }

    pub fn is_document_level(&self, category: Category) -> bool {
        self.document_categories.contains(&category)
    }

    pub fn grade(&self, score: u32) -> Grade {
        let mark = if score >= self.grades[0] {
            5
        } else if score >= self.grades[1] {
            4
        } else if score >= self.grades[2] {
            3
        } else {
            2
        };
        Grade { mark }
    }
}

/// A school mark, 5 to 2, as Russian trainers grade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Grade {
    pub mark: u8,
}

impl Grade {
    pub fn label(self) -> &'static str {
        match self.mark {
            5 => "отлично",
            4 => "хорошо",
            3 => "удовлетворительно",
            _ => "неудовлетворительно",
        }
    }
}

/// How a category is counted: by density in the text, or as a fixed share per fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CostKind {
    Text,
    Document,
}

/// One rule's part in a category's cost: the «why».
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleCost {
    pub code: String,
    pub title: String,
    pub severity: Severity,
    pub count: usize,
    /// Up to three distinct fragments, as found.
    pub examples: Vec<String>,
}

/// What one category cost an answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryCost {
    pub category: Category,
    pub kind: CostKind,
    pub findings: usize,
    /// Penalty points (text categories: before normalisation by length), rounded to 0.1.
    pub points: f64,
    /// Points off the score, rounded to 0.1.
    pub cost: f64,
    pub rules: Vec<RuleCost>,
}

/// One answer's score and where its points went.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnswerScore {
    pub path: String,
    /// 1 for the best; equal scores share a rank.
    pub rank: usize,
    pub score: u32,
    pub grade: u8,
    pub grade_label: &'static str,
    /// Prose words (the signature block is left out).
    pub words: usize,
    pub findings: usize,
    /// Penalty points of text findings per 100 words, rounded to 0.1.
    pub density: f64,
    /// Points lost to the wording (density), rounded to 0.1.
    pub text_cost: f64,
    /// Points lost to document-level faults, rounded to 0.1.
    pub document_cost: f64,
    /// Points lost for being shorter than `min-words`, rounded to 0.1.
    pub short_cost: f64,
    /// By cost, the largest first; categories with no finding are left out.
    pub breakdown: Vec<CategoryCost>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceComparison>,
}

/// What the reference answer avoided that this answer did not.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReferenceComparison {
    /// This answer's score minus the reference's.
    pub delta: i64,
    /// Rules this answer breaks and the reference does not, in rule-code order.
    pub avoided: Vec<AvoidedRule>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AvoidedRule {
    pub code: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    /// Times this answer breaks the rule.
    pub count: usize,
    pub examples: Vec<String>,
}

/// A scored set: the answers in ranking order and the reference, if one was given.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreReport {
    pub answers: Vec<AnswerScore>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<AnswerScore>,
    pub weights: Weights,
}

/// Rounded to 0.1; `+ 0.0` turns a negative zero into zero, so that «-0,0» never shows.
fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0 + 0.0
}

/// A sum from +0.0 in the order given (`Iterator::sum` starts from −0.0).
fn total<'a>(values: impl IntoIterator<Item = &'a f64>) -> f64 {
    values.into_iter().fold(0.0, |sum, v| sum + v)
}

/// A fragment as a reader quotes it: one line, at most 60 characters.
fn fragment(report: &FileReport, finding: &Finding) -> String {
    let text = report.document.slice(finding.range.clone());
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 60 {
        let cut: String = one_line.chars().take(57).collect();
        format!("{}…", cut.trim_end())
    } else {
        one_line
    }
}

fn rule_title(rules: &RuleSet, finding: &Finding) -> String {
    rules
        .get(&finding.code)
        .map(|r| r.title.clone())
        .unwrap_or_else(|| finding.name.to_string())
}

/// The findings of one report grouped by rule code, in code order.
fn by_rule(report: &FileReport) -> BTreeMap<&str, Vec<&Finding>> {
    let mut map: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &report.findings {
        map.entry(&finding.code).or_default().push(finding);
    }
    map
}

fn examples(report: &FileReport, findings: &[&Finding]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for finding in findings {
        let text = fragment(report, finding);
        if !text.is_empty() && seen.insert(text.clone()) {
            out.push(text);
            if out.len() == 3 {
                break;
            }
        }
    }
    out
}

/// Examples of a rule's findings. A missing thing is pinned to a place («no survey link» to the
/// signature): for document-level categories that place is no example, unless the message quotes it.
fn rule_examples(report: &FileReport, findings: &[&Finding], weights: &Weights) -> Vec<String> {
    if findings
        .first()
        .is_some_and(|f| weights.is_document_level(f.category))
    {
        let quoted: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| {
                f.message
                    .contains(report.document.slice(f.range.clone()).trim())
            })
            .collect();
        examples(report, &quoted)
    } else {
        examples(report, findings)
    }
}

/// Scores one answer (rank 0 until `rank` ranks it).
pub fn score_answer(report: &FileReport, rules: &RuleSet, weights: &Weights) -> AnswerScore {
    let words = readability(&report.document).words;
    let grouped = by_rule(report);

    // Text points per category, summed in a fixed order (category, then rule code, then text order).
    let mut text_points: BTreeMap<Category, f64> = BTreeMap::new();
    let mut document_points: BTreeMap<Category, f64> = BTreeMap::new();
    let mut counts: BTreeMap<Category, usize> = BTreeMap::new();
    let mut rule_costs: BTreeMap<Category, Vec<RuleCost>> = BTreeMap::new();
    for (code, findings) in &grouped {
        let first = findings[0];
        let category = first.category;
        *counts.entry(category).or_default() += findings.len();
        rule_costs.entry(category).or_default().push(RuleCost {
            code: code.to_string(),
            title: rule_title(rules, first),
            severity: first.severity,
            count: findings.len(),
            examples: rule_examples(report, findings, weights),
        });
        let category_weight = weights.category_weight(category);
        if weights.is_document_level(category) {
            // A fault of the whole answer counts once per rule, however often it is reported.
            let worst = findings
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(first.severity);
            let fixed = weights.document.get(&worst).copied().unwrap_or(0.0);
            *document_points.entry(category).or_default() += fixed * category_weight;
        } else {
            let mut sum = 0.0;
            for finding in findings {
                sum += weights.severity_weight(finding.severity) * category_weight;
            }
            *text_points.entry(category).or_default() += sum;
        }
    }

    let total_points = total(text_points.values());
    let density = total_points * 100.0 / words.max(1) as f64;
    let text_cost = if density > 0.0 {
        100.0 * density / (density + weights.half_density)
    } else {
        0.0
    };
    let document_cost = total(document_points.values());
    let short_cost = if words < weights.min_words && weights.min_words > 0 {
        weights.short_answer * (weights.min_words - words) as f64 / weights.min_words as f64
    } else {
        0.0
    };
    let raw = 100.0 - text_cost - document_cost - short_cost;
    let score = raw.round().clamp(0.0, 100.0) as u32;
    let grade = weights.grade(score);

    let mut breakdown = Vec::new();
    for (category, rules) in rule_costs {
        let (kind, points, cost) = match document_points.get(&category) {
            Some(&points) => (CostKind::Document, points, points),
            None => {
                let points = text_points.get(&category).copied().unwrap_or(0.0);
                let cost = if total_points > 0.0 {
                    text_cost * points / total_points
                } else {
                    0.0
                };
                (CostKind::Text, points, cost)
            }
        };
        breakdown.push(CategoryCost {
            category,
            kind,
            findings: counts.get(&category).copied().unwrap_or(0),
            points: round1(points),
            cost: round1(cost),
            rules,
        });
    }
    // Largest cost first; ties in category order, so that the order never depends on the run.
    breakdown.sort_by(|a, b| {
        b.cost
            .partial_cmp(&a.cost)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.category.cmp(&b.category))
    });

    AnswerScore {
        path: report.path.clone(),
        rank: 0,
        score,
        grade: grade.mark,
        grade_label: grade.label(),
        words,
        findings: report.findings.len(),
        density: round1(density),
        text_cost: round1(text_cost),
        document_cost: round1(document_cost),
        short_cost: round1(short_cost),
        breakdown,
        reference: None,
    }
}

/// The rules an answer breaks that the reference does not.
pub fn compare_with_reference(
    answer: &FileReport,
    reference: &FileReport,
    rules: &RuleSet,
    weights: &Weights,
) -> Vec<AvoidedRule> {
    let in_reference: BTreeSet<&str> = reference.findings.iter().map(|f| &*f.code).collect();
    by_rule(answer)
        .into_iter()
        .filter(|(code, _)| !in_reference.contains(code))
        .map(|(code, findings)| AvoidedRule {
            code: code.to_string(),
            title: rule_title(rules, findings[0]),
            category: findings[0].category,
            severity: findings[0].severity,
            count: findings.len(),
            examples: rule_examples(answer, &findings, weights),
        })
        .collect()
}

/// Scores every answer and ranks them: by score, the best first, then by path.
pub fn score_all(
    reports: &[FileReport],
    reference: Option<&FileReport>,
    rules: &RuleSet,
    weights: &Weights,
) -> ScoreReport {
    let reference_score = reference.map(|r| score_answer(r, rules, weights));
    let yardstick = reference.zip(reference_score.as_ref());
    let answers = reports
        .iter()
        .map(|report| score_against(report, yardstick, rules, weights))
        .collect();
    rank(answers, reference_score, weights)
}

/// `score_answer`, with what the reference (its report and score) avoided that this answer did
/// not, when there is a reference.
pub fn score_against(
    report: &FileReport,
    reference: Option<(&FileReport, &AnswerScore)>,
    rules: &RuleSet,
    weights: &Weights,
) -> AnswerScore {
    let mut scored = score_answer(report, rules, weights);
    if let Some((reference, reference_score)) = reference {
        scored.reference = Some(ReferenceComparison {
            delta: scored.score as i64 - reference_score.score as i64,
            avoided: compare_with_reference(report, reference, rules, weights),
        });
    }
    scored
}

/// Ranks scored answers: by score, the best first, then by path; equal scores share a rank.
pub fn rank(
    mut answers: Vec<AnswerScore>,
    reference: Option<AnswerScore>,
    weights: &Weights,
) -> ScoreReport {
    answers.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.path.cmp(&b.path)));
    for index in 0..answers.len() {
        answers[index].rank = if index > 0 && answers[index - 1].score == answers[index].score {
            answers[index - 1].rank
        } else {
            index + 1
        };
    }
    ScoreReport {
        answers,
        reference,
        weights: weights.clone(),
    }
}

/// «12,3»: Russian decimal comma, one decimal, for people.
pub fn decimal(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

/// «+5», «−12», «0»: a signed difference with a real minus sign.
pub fn signed(value: i64) -> String {
    match value {
        v if v > 0 => format!("+{v}"),
        v if v < 0 => format!("−{}", v.unsigned_abs()),
        _ => "0".to_string(),
    }
}

/// «3 замечания», «5 замечаний», «1 замечание».
pub fn findings_word(count: usize) -> &'static str {
    plural(count, "замечание", "замечания", "замечаний")
}

pub fn plural(
    count: usize,
    one: &'static str,
    few: &'static str,
    many: &'static str,
) -> &'static str {
    let (tens, units) = (count % 100, count % 10);
    if (11..=14).contains(&tens) {
        many
    } else if units == 1 {
        one
    } else if (2..=4).contains(&units) {
        few
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yasno_core::Linter;

    fn report(text: &str) -> FileReport {
        let linter = Linter::with_default_rules().unwrap();
        let (document, findings) = linter.check_text(text);
        FileReport {
            path: "a.txt".into(),
            document,
            findings,
        }
    }

    #[test]
    fn a_finding_costs_less_in_a_longer_answer() {
        let rules = RuleSet::defaults().unwrap();
        let weights = Weights::default();
        let sentence = "Мы пересчитали плату за отопление в Вашей квартире за ноябрь.";
        let short = format!("{sentence} В целях проверки к Вам придёт инспектор.");
        let long = format!(
            "{} В целях проверки к Вам придёт инспектор.",
            [sentence; 12].join(" ")
        );
        let short = score_answer(&report(&short), &rules, &weights);
        let long = score_answer(&report(&long), &rules, &weights);
        assert!(long.text_cost < short.text_cost, "{long:?} {short:?}");
        assert!(long.text_cost > 0.0);
    }

    #[test]
    fn an_empty_short_answer_scores_low() {
        let rules = RuleSet::defaults().unwrap();
        let scored = score_answer(
            &report("Ваш вопрос взят на контроль."),
            &rules,
            &Weights::default(),
        );
        assert!(scored.score < 20, "{scored:?}");
        assert_eq!(scored.grade, 2);
        let empty = score_answer(&report(""), &rules, &Weights::default());
        assert!(empty.score <= 40, "{empty:?}");
    }

    #[test]
    fn the_breakdown_adds_up_to_the_lost_points() {
        let rules = RuleSet::defaults().unwrap();
        let scored = score_answer(
            &report(
                "Данный вопрос в настоящее время взят на контроль. Вы неправильно поняли наш ответ.",
            ),
            &rules,
            &Weights::default(),
        );
        let sum: f64 = scored.breakdown.iter().map(|c| c.cost).sum();
        let lost = scored.text_cost + scored.document_cost;
        assert!((sum - lost).abs() < 0.25, "{sum} vs {lost}");
        assert!(
            scored
                .breakdown
                .iter()
                .any(|c| c.category == Category::Aggression)
        );
    }

    #[test]
    fn weights_come_from_the_score_table() {
        let config: ScoreConfig =
            toml::from_str("half-density = 20\n[category]\njargon = 0\n[severity]\nwarning = 2\n")
                .unwrap();
        let weights = Weights::from_config(&config).unwrap();
        assert_eq!(weights.half_density, 20.0);
        assert_eq!(weights.category[&Category::Jargon], 0.0);
        assert_eq!(weights.category[&Category::Forbidden], 2.0);
        assert_eq!(weights.severity[&Severity::Warning], 2.0);
        let bad: ScoreConfig = toml::from_str("[category]\njargon = -1\n").unwrap();
        assert!(
            Weights::from_config(&bad)
                .unwrap_err()
                .contains("category.jargon")
        );
        assert!(toml::from_str::<ScoreConfig>("[category]\njargn = 1\n").is_err());
    }

    #[test]
    fn default_weights_are_the_category_tables() {
        let mut weights = Weights::default();
        for category in Category::ALL {
            assert_eq!(weights.category[&category], category.score_weight());
        }
        assert_eq!(
            weights.document_categories,
            [Category::SurveyLink, Category::Refusal, Category::Etiquette]
        );
        // A weight missing from the map is the category's own, not a guess.
        weights.category.clear();
        assert_eq!(weights.category_weight(Category::Aggression), 2.5);
        assert_eq!(weights.category_weight(Category::Formatting), 0.5);
    }

    #[test]
    fn russian_plurals() {
        assert_eq!(findings_word(1), "замечание");
        assert_eq!(findings_word(3), "замечания");
        assert_eq!(findings_word(11), "замечаний");
        assert_eq!(findings_word(21), "замечание");
        assert_eq!(findings_word(25), "замечаний");
    }
}
