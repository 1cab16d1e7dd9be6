//! Reading a plan file: TOML in, a checked [`PlanDocument`] or every problem found out.
//!
//! The document is parsed once with spans kept; then the policy, the plan header and each
//! goal are deserialized on their own, so a mistake in one does not hide one in another, and
//! the cross-checks (links, duplicate ids, periods) run over everything that could be read.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde_spanned::Spanned;
use toml_edit::{Datetime, ImDocument, Item};

use super::{
    Action, ActionPlan, ActionStatus, Baseline, FORMAT, Goal, GoalIndicator, GoalKind, Measure, PlanDocument,
    PlanHeader, Policy, PolicyValue, QuarterRange, StrategicGoal, TargetRule, Unit,
};
use crate::indicator::Category;
use crate::{MunicipalityCode, Period, Quarter};

/// One problem in a plan file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong; its `Display` is the English message, and the web words it from its code.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.kind)
    }
}

/// What can be wrong in a plan file, with the values its message names. `Display` is the
/// English message (for the CLI); [`ProblemKind::code`] and [`ProblemKind::args`] are for a
/// message catalogue, whose English must say the same (a test in `indsats-web` checks it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The text is not TOML; `detail` is the TOML reader's first line.
    NotToml { detail: String },
    /// A top-level key the format does not have.
    UnknownKey { key: String },
    /// No `format = ...` line.
    MissingFormat,
    /// A format version this reader does not know.
    UnsupportedFormat,
    /// A required table (`policy`, `plan`) is missing.
    MissingTable { table: String },
    /// A part of the file (`[plan]`, `goal 2`) is not a table.
    NotATable { what: String },
    /// A part of the file has a wrong value or key; `detail` is the reader's message.
    InvalidSection { what: String, detail: String },
    /// `goals` is not written as `[[goals]]`.
    GoalsNotTables,
    /// The policy lists no strategic goal.
    NoStrategicGoals,
    /// The plan's last quarter is before its first.
    PlanEndsBeforeStart { from: Quarter, to: Quarter },
    /// The adoption date is after the plan period.
    AdoptedAfterPeriod { adopted: NaiveDate, period: QuarterRange },
    /// A goal kind other than national or local.
    UnknownGoalKind { kind: String },
    /// A measure the indicator vocabulary does not have.
    UnknownIndicator { measure: String },
    /// A category the indicator vocabulary does not have.
    UnknownCategory { category: String },
    /// A category on a measure that is not split by category.
    NoCategories { measure: Measure },
    /// A target period outside the plan period.
    TargetPeriodOutsidePlan { target: QuarterRange, plan: QuarterRange },
    /// A baseline period that does not end before the target period starts.
    BaselineNotBeforeTarget { baseline: Period, target: QuarterRange },
    /// A target rule that needs a baseline, without one.
    RuleNeedsBaseline { rule: String },
    /// A target rule this reader does not know.
    UnknownRule { rule: String },
    /// A target rule that needs a value, without one.
    RuleNeedsValue { rule: String },
    /// A baseline rule with a value.
    RuleTakesNoValue { rule: String },
    /// A baseline or target value that is NaN or infinite (TOML allows `nan` and `inf`).
    ValueNotFinite,
    /// More goals or indicators than a plan may have ([`MAX_GOALS`], [`MAX_INDICATORS`]).
    PlanTooLarge,
    /// A count rule on a measure that is not a count, or the other way round.
    RuleDoesNotFitMeasure { rule: String, measure: Measure },
    /// An action due outside the plan period.
    DueOutsidePlan { due: NaiveDate, plan: QuarterRange },
    /// An action status this reader does not know.
    UnknownActionStatus { status: String },
    /// An id with other characters than a-z, digits and '-'.
    InvalidId { id: String },
    /// An id used twice; `first_line` is where it was first used.
    DuplicateId { id: String, first_line: usize },
    /// A link to a strategic goal the policy does not have.
    MissingStrategicGoal { id: String },
    /// A municipality code outside 101-999.
    InvalidMunicipality { code: i64 },
    /// A quarter that does not read as one.
    InvalidQuarter { text: String },
    /// A period that is neither a year nor a quarter.
    InvalidPeriod { text: String },
    /// A date that is not a plain date.
    InvalidDate { text: String },
}

impl ProblemKind {
    /// The message's key in the catalogues (`plan-file.ftl`).
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::NotToml { .. } => "plan-problem-not-toml",
            ProblemKind::UnknownKey { .. } => "plan-problem-unknown-key",
            ProblemKind::MissingFormat => "plan-problem-missing-format",
            ProblemKind::UnsupportedFormat => "plan-problem-unsupported-format",
            ProblemKind::MissingTable { .. } => "plan-problem-missing-table",
            ProblemKind::NotATable { .. } => "plan-problem-not-a-table",
            ProblemKind::InvalidSection { .. } => "plan-problem-invalid-section",
            ProblemKind::GoalsNotTables => "plan-problem-goals-not-tables",
            ProblemKind::NoStrategicGoals => "plan-problem-no-strategic-goals",
            ProblemKind::PlanEndsBeforeStart { .. } => "plan-problem-ends-before-start",
            ProblemKind::AdoptedAfterPeriod { .. } => "plan-problem-adopted-after-period",
            ProblemKind::UnknownGoalKind { .. } => "plan-problem-unknown-goal-kind",
            ProblemKind::UnknownIndicator { .. } => "plan-problem-unknown-indicator",
            ProblemKind::UnknownCategory { .. } => "plan-problem-unknown-category",
            ProblemKind::NoCategories { measure: Measure::Case(_) } => "plan-problem-age-categories-only",
            ProblemKind::NoCategories { .. } => "plan-problem-no-categories",
            ProblemKind::TargetPeriodOutsidePlan { .. } => "plan-problem-target-period-outside-plan",
            ProblemKind::BaselineNotBeforeTarget { .. } => "plan-problem-baseline-not-before-target",
            ProblemKind::RuleNeedsBaseline { .. } => "plan-problem-rule-needs-baseline",
            ProblemKind::UnknownRule { .. } => "plan-problem-unknown-rule",
            ProblemKind::RuleNeedsValue { .. } => "plan-problem-rule-needs-value",
            ProblemKind::RuleTakesNoValue { .. } => "plan-problem-rule-takes-no-value",
            ProblemKind::ValueNotFinite => "plan-problem-value-not-finite",
            ProblemKind::PlanTooLarge => "plan-problem-too-large",
            ProblemKind::RuleDoesNotFitMeasure { measure, .. } if measure.unit() == Unit::Count => {
                "plan-problem-count-rule-expected"
            }
            ProblemKind::RuleDoesNotFitMeasure { .. } => "plan-problem-count-measure-expected",
            ProblemKind::DueOutsidePlan { .. } => "plan-problem-due-outside-plan",
            ProblemKind::UnknownActionStatus { .. } => "plan-problem-unknown-action-status",
            ProblemKind::InvalidId { .. } => "plan-problem-invalid-id",
            ProblemKind::DuplicateId { .. } => "plan-problem-duplicate-id",
            ProblemKind::MissingStrategicGoal { .. } => "plan-problem-missing-strategic-goal",
            ProblemKind::InvalidMunicipality { .. } => "plan-problem-invalid-municipality",
            ProblemKind::InvalidQuarter { .. } => "plan-problem-invalid-quarter",
            ProblemKind::InvalidPeriod { .. } => "plan-problem-invalid-period",
            ProblemKind::InvalidDate { .. } => "plan-problem-invalid-date",
        }
    }

    /// The message's arguments by name, as text; names and values the file wrote are quoted.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let quoted = |s: &str| format!("{s:?}");
        match self {
            ProblemKind::MissingFormat | ProblemKind::UnsupportedFormat => vec![("format", FORMAT.to_string())],
            ProblemKind::GoalsNotTables | ProblemKind::NoStrategicGoals | ProblemKind::ValueNotFinite => Vec::new(),
            ProblemKind::PlanTooLarge => {
                vec![("goals", MAX_GOALS.to_string()), ("indicators", MAX_INDICATORS.to_string())]
            }
            ProblemKind::NotToml { detail } => vec![("detail", detail.clone())],
            ProblemKind::UnknownKey { key } => vec![("key", key.clone())],
            ProblemKind::MissingTable { table } => vec![("table", table.clone())],
            ProblemKind::NotATable { what } => vec![("what", what.clone())],
            ProblemKind::InvalidSection { what, detail } => vec![("what", what.clone()), ("detail", detail.clone())],
            ProblemKind::PlanEndsBeforeStart { from, to } => vec![("from", from.to_string()), ("to", to.to_string())],
            ProblemKind::AdoptedAfterPeriod { adopted, period } => {
                vec![("adopted", adopted.to_string()), ("period", period.to_string())]
            }
            ProblemKind::UnknownGoalKind { kind } => vec![("kind", quoted(kind))],
            ProblemKind::UnknownIndicator { measure } => vec![("measure", quoted(measure))],
            ProblemKind::UnknownCategory { category } => vec![("category", quoted(category))],
            ProblemKind::NoCategories { measure } => vec![("measure", measure.as_str().to_owned())],
            ProblemKind::TargetPeriodOutsidePlan { target, plan } => {
                vec![("target", target.to_string()), ("plan", plan.to_string())]
            }
            ProblemKind::BaselineNotBeforeTarget { baseline, target } => {
                vec![("baseline", baseline.to_string()), ("target", target.to_string())]
            }
            ProblemKind::RuleNeedsBaseline { rule }
            | ProblemKind::RuleNeedsValue { rule }
            | ProblemKind::RuleTakesNoValue { rule } => vec![("rule", rule.clone())],
            ProblemKind::UnknownRule { rule } => vec![("rule", quoted(rule))],
            ProblemKind::RuleDoesNotFitMeasure { rule, measure } => {
                vec![("rule", rule.clone()), ("measure", measure.as_str().to_owned())]
            }
            ProblemKind::DueOutsidePlan { due, plan } => vec![("due", due.to_string()), ("plan", plan.to_string())],
            ProblemKind::UnknownActionStatus { status } => vec![("status", quoted(status))],
            ProblemKind::InvalidId { id } | ProblemKind::MissingStrategicGoal { id } => vec![("id", quoted(id))],
            ProblemKind::DuplicateId { id, first_line } => vec![("id", quoted(id)), ("line", first_line.to_string())],
            ProblemKind::InvalidMunicipality { code } => vec![("code", code.to_string())],
            ProblemKind::InvalidQuarter { text } | ProblemKind::InvalidPeriod { text } => {
                vec![("text", quoted(text))]
            }
            ProblemKind::InvalidDate { text } => vec![("text", text.clone())],
        }
    }
}

impl fmt::Display for ProblemKind {
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per problem kind, each a sentence; splitting would only scatter them"
    )]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::NotToml { detail } => write!(f, "not valid TOML: {detail}"),
            ProblemKind::UnknownKey { key } => {
                write!(f, "unknown key `{key}`: expected one of format, policy, plan, goals")
            }
            ProblemKind::MissingFormat => write!(f, "missing key `format`: expected `format = {FORMAT}` at the top"),
            ProblemKind::UnsupportedFormat => write!(f, "unsupported format: expected {FORMAT}"),
            ProblemKind::MissingTable { table } => write!(f, "missing table [{table}]"),
            ProblemKind::NotATable { what } => write!(f, "{what} must be a table"),
            ProblemKind::InvalidSection { what, detail } => write!(f, "{what}: {detail}"),
            ProblemKind::GoalsNotTables => write!(f, "goals must be written as [[goals]] tables"),
            ProblemKind::NoStrategicGoals => {
                write!(f, "the policy has no strategic goals: expected at least one [[policy.strategic_goals]]")
            }
            ProblemKind::PlanEndsBeforeStart { from, to } => {
                write!(f, "the plan ends ({to}) before it starts ({from})")
            }
            ProblemKind::AdoptedAfterPeriod { adopted, period } => {
                write!(f, "adopted {adopted} is after the plan period {period}")
            }
            ProblemKind::UnknownGoalKind { kind } => {
                write!(f, "unknown goal kind {kind:?}: expected \"national\" or \"local\"")
            }
            ProblemKind::UnknownIndicator { measure } => write!(
                f,
                "unknown indicator {measure:?}: expected a register figure such as andel.offentlig_forsoergelse, or fritidsjob.startet or virksomheder.tilfredshed (see docs/plan-format.md)"
            ),
            ProblemKind::UnknownCategory { category } => {
                write!(f, "unknown category {category:?}: expected i_alt, an age band such as 20-29, M, K or an origin")
            }
            ProblemKind::NoCategories { measure } if matches!(measure, Measure::Case(_)) => {
                write!(f, "{} takes only i_alt and the age bands", measure.as_str())
            }
            ProblemKind::NoCategories { measure } => {
                write!(f, "{} has no categories: expected i_alt", measure.as_str())
            }
            ProblemKind::TargetPeriodOutsidePlan { target, plan } => {
                write!(f, "target period {target} is outside the plan period {plan}")
            }
            ProblemKind::BaselineNotBeforeTarget { baseline, target } => {
                write!(f, "baseline period {baseline} must end before the target period {target} starts")
            }
            ProblemKind::RuleNeedsBaseline { rule } => {
                write!(f, "target rule {rule} needs a baseline: add baseline = {{ period = ..., value = ... }}")
            }
            ProblemKind::UnknownRule { rule } => write!(
                f,
                "unknown target rule {rule:?}: expected below_baseline, above_baseline, at_most, below, at_least, above, change_by_percent or count_at_least"
            ),
            ProblemKind::RuleNeedsValue { rule } => {
                write!(f, "target rule {rule} needs a value (non-zero for change_by_percent)")
            }
            ProblemKind::RuleTakesNoValue { rule } => {
                write!(f, "target rule {rule} takes no value: the baseline is the target")
            }
            ProblemKind::ValueNotFinite => write!(f, "a value must be a finite number, not nan or inf"),
            ProblemKind::PlanTooLarge => {
                write!(f, "the plan is too large: at most {MAX_GOALS} goals and {MAX_INDICATORS} indicators")
            }
            ProblemKind::RuleDoesNotFitMeasure { measure, .. } if measure.unit() == Unit::Count => {
                write!(f, "{} is a count: expected the rule count_at_least", measure.as_str())
            }
            ProblemKind::RuleDoesNotFitMeasure { measure, .. } => {
                write!(f, "count_at_least needs a count measure, and {} is not one", measure.as_str())
            }
            ProblemKind::DueOutsidePlan { due, plan } => write!(f, "due date {due} is outside the plan period {plan}"),
            ProblemKind::UnknownActionStatus { status } => {
                write!(f, "unknown status {status:?}: expected not_started, in_progress, done or dropped")
            }
            ProblemKind::InvalidId { id } => {
                write!(f, "invalid id {id:?}: expected lower-case letters a-z, digits and '-'")
            }
            ProblemKind::DuplicateId { id, first_line } => {
                write!(f, "duplicate id {id:?}: first used on line {first_line}")
            }
            ProblemKind::MissingStrategicGoal { id } => write!(
                f,
                "goal linked to a missing strategic goal {id:?}: expected one of the ids in [[policy.strategic_goals]]"
            ),
            ProblemKind::InvalidMunicipality { code } => {
                write!(f, "invalid municipality code {code}: expected a kommunekode from 101 to 999")
            }
            ProblemKind::InvalidQuarter { text } => write!(f, "invalid quarter {text:?}: expected e.g. \"2023Q1\""),
            ProblemKind::InvalidPeriod { text } => {
                write!(f, "invalid period {text:?}: expected a year (\"2022\") or a quarter (\"2022Q4\")")
            }
            ProblemKind::InvalidDate { text } => write!(f, "invalid date {text}: expected a date such as 2023-06-30"),
        }
    }
}

/// The most goals a plan may have. The example plans have 7; a plan of thousands made the
/// report's PDF take half a minute and gigabytes of memory.
pub const MAX_GOALS: usize = 100;
/// The most indicators a plan may have, over all its goals (each is a chart in the report).
pub const MAX_INDICATORS: usize = 300;

/// Reads and checks a plan file. On failure, every problem found, in file order.
pub fn parse(text: &str) -> Result<PlanDocument, Vec<Problem>> {
    let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
    let mut r = Reader { text, line_starts, problems: Vec::new(), ids: Vec::new(), links: Vec::new() };
    let doc = match ImDocument::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            r.problem(span, ProblemKind::NotToml { detail: first_line(e.message()).to_owned() });
            return Err(r.problems);
        }
    };
    let plan = r.document(doc.as_table());
    r.problems.sort_by_key(|p| (p.line, p.column));
    match plan {
        Some(plan) if r.problems.is_empty() => Ok(plan),
        _ => Err(r.problems),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

struct Reader<'t> {
    text: &'t str,
    /// The byte offset where each line starts (the first is 0).
    line_starts: Vec<usize>,
    problems: Vec<Problem>,
    /// Every id with its place, for the duplicate check at the end.
    ids: Vec<(String, Range<usize>)>,
    /// Every link to a strategic goal with its place, checked at the end.
    links: Vec<(String, Range<usize>)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    title: String,
    vision: String,
    mission: Option<String>,
    #[serde(default)]
    values: Vec<RawValue>,
    strategic_goals: Vec<RawStrategicGoal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    title: String,
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrategicGoal {
    id: Spanned<String>,
    title: String,
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: Spanned<String>,
    municipality: Spanned<i64>,
    title: String,
    from: Spanned<String>,
    to: Spanned<String>,
    adopted: Option<Spanned<Datetime>>,
    #[serde(default)]
    comparable: Vec<Spanned<i64>>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoal {
    id: Spanned<String>,
    kind: Spanned<String>,
    title: String,
    focus_area: Option<String>,
    #[serde(default)]
    strategic_goals: Vec<Spanned<String>>,
    ambition: Option<String>,
    strategy: Option<String>,
    #[serde(default)]
    activities: Vec<String>,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
    #[serde(default)]
    action_plans: Vec<RawActionPlan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: Spanned<String>,
    title: String,
    measure: Spanned<String>,
    category: Option<Spanned<String>>,
    baseline: Option<Spanned<RawBaseline>>,
    target: Spanned<RawTarget>,
    target_period: Option<Spanned<String>>,
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    period: Spanned<String>,
    value: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    rule: Spanned<String>,
    value: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActionPlan {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    actions: Vec<RawAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    id: Spanned<String>,
    title: String,
    owner: Option<String>,
    due: Option<Spanned<Datetime>>,
    status: Option<Spanned<String>>,
}

const TOP_LEVEL: [&str; 4] = ["format", "policy", "plan", "goals"];

impl Reader<'_> {
    fn problem(&mut self, span: Range<usize>, kind: ProblemKind) {
        let (line, column) = self.line_column(span.start);
        self.problems.push(Problem { line, column, kind });
    }

    fn document(&mut self, top: &toml_edit::Table) -> Option<PlanDocument> {
        for (key, item) in top {
            if !TOP_LEVEL.contains(&key) {
                let span = top.key(key).and_then(toml_edit::Key::span).or_else(|| item.span()).unwrap_or(0..0);
                self.problem(span, ProblemKind::UnknownKey { key: key.to_owned() });
            }
        }
        self.format_version(top);
        let policy = self.section::<RawPolicy>(top, "policy");
        let header = self.section::<RawHeader>(top, "plan");
        let goals = self.goals(top);
        let policy = policy.map(|p| self.policy(p));
        let header = header.and_then(|h| self.header(h));
        // Goals are checked even when the header is not readable, so one round lists every
        // problem; only the checks against the plan period wait for a readable header.
        let period = header.as_ref().map(|h| h.period);
        let goals: Vec<Goal> = goals.into_iter().filter_map(|g| self.goal(g, period)).collect();
        let (policy, plan) = (policy?, header?);
        self.cross_check(&policy);
        Some(PlanDocument { policy, plan, goals })
    }

    fn format_version(&mut self, top: &toml_edit::Table) {
        match top.get("format") {
            None => self.problem(0..0, ProblemKind::MissingFormat),
            Some(item) if item.as_integer() != Some(FORMAT) => {
                self.problem(item.span().unwrap_or(0..0), ProblemKind::UnsupportedFormat);
            }
            Some(_) => {}
        }
    }

    /// Deserializes one table of the document, reporting its problem if it cannot.
    fn section<T: for<'de> Deserialize<'de>>(&mut self, top: &toml_edit::Table, key: &str) -> Option<T> {
        let Some(item) = top.get(key) else {
            self.problem(0..0, ProblemKind::MissingTable { table: key.to_owned() });
            return None;
        };
        self.item(item, &format!("[{key}]"))
    }

    fn item<T: for<'de> Deserialize<'de>>(&mut self, item: &Item, what: &str) -> Option<T> {
        let span = item.span().unwrap_or(0..0);
        let Some(value) = item.clone().into_value().ok() else {
            self.problem(span, ProblemKind::NotATable { what: what.to_owned() });
            return None;
        };
        match T::deserialize(value.into_deserializer()) {
            Ok(t) => Some(t),
            Err(e) => {
                let at = e.span().filter(|s| s.start > 0 || s.end > 0).unwrap_or(span);
                let detail = first_line(e.message()).to_owned();
                self.problem(at, ProblemKind::InvalidSection { what: what.to_owned(), detail });
                None
            }
        }
    }

    fn goals(&mut self, top: &toml_edit::Table) -> Vec<RawGoal> {
        match top.get("goals") {
            None => Vec::new(),
            Some(Item::ArrayOfTables(goals)) => {
                let indicators: usize = goals
                    .iter()
                    .filter_map(|g| g.get("indicators"))
                    .map(|i| i.as_array_of_tables().map_or(0, toml_edit::ArrayOfTables::len))
                    .sum();
                if goals.len() > MAX_GOALS || indicators > MAX_INDICATORS {
                    // Not checked goal by goal: the point of the limit is not to spend the work.
                    self.problem(
                        top.key("goals").and_then(toml_edit::Key::span).unwrap_or(0..0),
                        ProblemKind::PlanTooLarge,
                    );
                    return Vec::new();
                }
                let items: Vec<Item> = goals.iter().map(|t| Item::Table(t.clone())).collect();
                items.iter().enumerate().filter_map(|(i, item)| self.item(item, &format!("goal {}", i + 1))).collect()
            }
            Some(item) => {
                self.problem(item.span().unwrap_or(0..0), ProblemKind::GoalsNotTables);
                Vec::new()
            }
        }
    }

    fn policy(&mut self, raw: RawPolicy) -> Policy {
        if raw.strategic_goals.is_empty() {
            self.problem(0..0, ProblemKind::NoStrategicGoals);
        }
        let strategic_goals = raw
            .strategic_goals
            .into_iter()
            .map(|s| StrategicGoal { id: self.id(s.id), title: s.title, text: s.text })
            .collect();
        Policy {
            title: raw.title,
            vision: raw.vision,
            mission: raw.mission,
            values: raw.values.into_iter().map(|v| PolicyValue { title: v.title, text: v.text }).collect(),
            strategic_goals,
        }
    }

    fn header(&mut self, raw: RawHeader) -> Option<PlanHeader> {
        let id = self.id(raw.id);
        let municipality = self.municipality(&raw.municipality);
        let from = self.quarter(&raw.from);
        let to = self.quarter(&raw.to);
        let period = match (from, to) {
            (Some(f), Some(t)) => QuarterRange::new(f, t).or_else(|| {
                self.problem(raw.to.span(), ProblemKind::PlanEndsBeforeStart { from: f, to: t });
                None
            }),
            _ => None,
        };
        let adopted = raw.adopted.as_ref().and_then(|d| self.date(d));
        if let (Some(period), Some(adopted), Some(span)) = (period, adopted, raw.adopted.as_ref().map(Spanned::span))
            && adopted > period.last_day()
        {
            self.problem(span, ProblemKind::AdoptedAfterPeriod { adopted, period });
        }
        let comparable: Vec<MunicipalityCode> = raw.comparable.iter().filter_map(|c| self.municipality(c)).collect();
        Some(PlanHeader {
            id,
            municipality: municipality?,
            title: raw.title,
            period: period?,
            adopted,
            comparable,
            source: raw.source,
        })
    }

    fn goal(&mut self, raw: RawGoal, plan: Option<QuarterRange>) -> Option<Goal> {
        let kind = match raw.kind.get_ref().as_str() {
            "national" => Some(GoalKind::National),
            "local" => Some(GoalKind::Local),
            other => {
                self.problem(raw.kind.span(), ProblemKind::UnknownGoalKind { kind: other.to_owned() });
                None
            }
        };
        let id = self.id(raw.id);
        let indicators: Vec<_> = raw.indicators.into_iter().map(|i| self.indicator(i, plan)).collect();
        let action_plans = raw
            .action_plans
            .into_iter()
            .map(|p| ActionPlan {
                id: self.id(p.id),
                title: p.title,
                actions: p
                    .actions
                    .into_iter()
                    .map(|a| self.action(a, plan))
                    .collect::<Option<Vec<_>>>()
                    .unwrap_or_default(),
            })
            .collect();
        let strategic_goals = raw.strategic_goals.into_iter().map(|s| self.reference(s)).collect();
        let indicators = indicators.into_iter().collect::<Option<Vec<_>>>()?;
        Some(Goal {
            id,
            kind: kind?,
            title: raw.title,
            focus_area: raw.focus_area,
            strategic_goals,
            ambition: raw.ambition,
            strategy: raw.strategy,
            activities: raw.activities,
            indicators,
            action_plans,
        })
    }

    fn indicator(&mut self, raw: RawIndicator, plan: Option<QuarterRange>) -> Option<GoalIndicator> {
        let id = self.id(raw.id);
        let measure = raw.measure.get_ref().parse::<Measure>().ok();
        if measure.is_none() {
            self.problem(raw.measure.span(), ProblemKind::UnknownIndicator { measure: raw.measure.get_ref().clone() });
        }
        let category = match &raw.category {
            None => Some(Category::Total),
            Some(c) => {
                let parsed = c.get_ref().parse::<Category>().ok();
                match (parsed, measure) {
                    (None, _) => {
                        self.problem(c.span(), ProblemKind::UnknownCategory { category: c.get_ref().clone() });
                        None
                    }
                    (Some(cat), Some(m)) if !m.accepts(cat) => {
                        self.problem(c.span(), ProblemKind::NoCategories { measure: m });
                        None
                    }
                    (Some(cat), _) => Some(cat),
                }
            }
        };
        let target_period = match &raw.target_period {
            None => plan,
            Some(p) => self.period(p).and_then(|period| {
                let range = QuarterRange::of_period(period)?;
                match plan {
                    Some(plan) if !plan.covers(range) => {
                        self.problem(p.span(), ProblemKind::TargetPeriodOutsidePlan { target: range, plan });
                        None
                    }
                    _ => Some(range),
                }
            }),
        };
        let target = self.target(&raw.target, measure);
        let baseline = raw.baseline.as_ref().and_then(|b| {
            let period = self.period(&b.get_ref().period)?;
            let range = QuarterRange::of_period(period)?;
            if let Some(tp) = target_period
                && range.last() >= tp.first()
            {
                self.problem(
                    b.get_ref().period.span(),
                    ProblemKind::BaselineNotBeforeTarget { baseline: period, target: tp },
                );
                return None;
            }
            let value = b.get_ref().value;
            if value.is_some_and(|v| !v.is_finite()) {
                self.problem(b.span(), ProblemKind::ValueNotFinite);
                return None;
            }
            Some(Baseline { period, value })
        });
        if let Some(rule) = target
            && rule.needs_baseline()
            && raw.baseline.is_none()
        {
            self.problem(raw.target.span(), ProblemKind::RuleNeedsBaseline { rule: rule.name().to_owned() });
            return None;
        }
        if raw.baseline.is_some() && baseline.is_none() {
            return None;
        }
        Some(GoalIndicator {
            id,
            title: raw.title,
            measure: measure?,
            category: category?,
            baseline,
            target: target?,
            target_period: target_period?,
            text: raw.text,
        })
    }

    fn target(&mut self, raw: &Spanned<RawTarget>, measure: Option<Measure>) -> Option<TargetRule> {
        let t = raw.get_ref();
        let name = t.rule.get_ref().as_str();
        let value = t.value;
        // A NaN target is never met and never missed, and an infinite one is met by nothing or
        // everything: neither is a goal a committee adopted.
        if value.is_some_and(|v| !v.is_finite()) {
            self.problem(raw.span(), ProblemKind::ValueNotFinite);
            return None;
        }
        let rule = match name {
            "below_baseline" => Some(TargetRule::BelowBaseline),
            "above_baseline" => Some(TargetRule::AboveBaseline),
            "at_most" => value.map(TargetRule::AtMost),
            "below" => value.map(TargetRule::Below),
            "at_least" => value.map(TargetRule::AtLeast),
            "above" => value.map(TargetRule::Above),
            "change_by_percent" => value.filter(|v| *v != 0.0).map(TargetRule::ChangeByPercent),
            "count_at_least" => value.map(TargetRule::CountAtLeast),
            other => {
                self.problem(t.rule.span(), ProblemKind::UnknownRule { rule: other.to_owned() });
                return None;
            }
        };
        let Some(rule) = rule else {
            self.problem(raw.span(), ProblemKind::RuleNeedsValue { rule: name.to_owned() });
            return None;
        };
        if matches!(rule, TargetRule::BelowBaseline | TargetRule::AboveBaseline) && value.is_some() {
            self.problem(raw.span(), ProblemKind::RuleTakesNoValue { rule: name.to_owned() });
            return None;
        }
        let is_count = measure.map(Measure::unit) == Some(Unit::Count);
        if let Some(m) = measure
            && matches!(rule, TargetRule::CountAtLeast(_)) != is_count
        {
            self.problem(raw.span(), ProblemKind::RuleDoesNotFitMeasure { rule: name.to_owned(), measure: m });
            return None;
        }
        Some(rule)
    }

    fn action(&mut self, raw: RawAction, plan: Option<QuarterRange>) -> Option<Action> {
        let id = self.id(raw.id);
        let due = raw.due.as_ref().and_then(|d| self.date(d));
        if let (Some(due), Some(span), Some(plan)) = (due, raw.due.as_ref().map(Spanned::span), plan)
            && !(plan.first_day()..=plan.last_day()).contains(&due)
        {
            self.problem(span, ProblemKind::DueOutsidePlan { due, plan });
        }
        let status = match &raw.status {
            None => Some(ActionStatus::NotStarted),
            Some(s) => s.get_ref().parse().ok().or_else(|| {
                self.problem(s.span(), ProblemKind::UnknownActionStatus { status: s.get_ref().clone() });
                None
            }),
        };
        Some(Action { id, title: raw.title, owner: raw.owner, due, status: status? })
    }

    /// An id, remembered with its place for the duplicate check.
    fn id(&mut self, raw: Spanned<String>) -> String {
        let ok = !raw.get_ref().is_empty()
            && raw.get_ref().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            self.problem(raw.span(), ProblemKind::InvalidId { id: raw.get_ref().clone() });
        }
        let (span, id) = (raw.span(), raw.into_inner());
        self.ids.push((id.clone(), span));
        id
    }

    fn reference(&mut self, raw: Spanned<String>) -> String {
        let (span, id) = (raw.span(), raw.into_inner());
        self.links.push((id.clone(), span));
        id
    }

    fn cross_check(&mut self, policy: &Policy) {
        let ids = std::mem::take(&mut self.ids);
        let refs = std::mem::take(&mut self.links);
        let mut seen: HashMap<&str, Range<usize>> = HashMap::new();
        for (id, span) in &ids {
            if let Some(first) = seen.get(id.as_str()) {
                let (line, _) = self.line_column(first.start);
                self.problem(span.clone(), ProblemKind::DuplicateId { id: id.clone(), first_line: line });
            } else {
                seen.insert(id, span.clone());
            }
        }
        let strategic: std::collections::HashSet<&str> = policy.strategic_goals.iter().map(|s| s.id.as_str()).collect();
        for (id, span) in refs {
            if !strategic.contains(id.as_str()) {
                self.problem(span, ProblemKind::MissingStrategicGoal { id });
            }
        }
    }

    /// Line and column (1-based, the column in characters) of a byte offset. A binary search
    /// in the line starts, counted once: scanning the text from its start for every problem
    /// made checking grow with the square of the number of problems (16,000 took 17 s).
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = self.text.floor_char_boundary(offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }

    fn municipality(&mut self, raw: &Spanned<i64>) -> Option<MunicipalityCode> {
        let code = u16::try_from(*raw.get_ref()).ok().and_then(|c| MunicipalityCode::new(c).ok());
        if code.is_none() {
            self.problem(raw.span(), ProblemKind::InvalidMunicipality { code: *raw.get_ref() });
        }
        code
    }

    fn quarter(&mut self, raw: &Spanned<String>) -> Option<Quarter> {
        let q = raw.get_ref().parse::<Quarter>().ok();
        if q.is_none() {
            self.problem(raw.span(), ProblemKind::InvalidQuarter { text: raw.get_ref().clone() });
        }
        q
    }

    fn period(&mut self, raw: &Spanned<String>) -> Option<Period> {
        let p = raw.get_ref().parse::<Period>().ok().filter(|p| !matches!(p, Period::Week(_)));
        if p.is_none() {
            self.problem(raw.span(), ProblemKind::InvalidPeriod { text: raw.get_ref().clone() });
        }
        p
    }

    fn date(&mut self, raw: &Spanned<Datetime>) -> Option<NaiveDate> {
        let d = raw.get_ref();
        let date = match (d.date, d.time, d.offset) {
            (Some(date), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day))
            }
            _ => None,
        };
        if date.is_none() {
            self.problem(raw.span(), ProblemKind::InvalidDate { text: d.to_string() });
        }
        date
    }
}
