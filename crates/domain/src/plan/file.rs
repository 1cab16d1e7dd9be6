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
    /// What is wrong and what was expected, in English.
    pub message: String,
    /// The same in Danish, for the web.
    pub message_da: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

/// Reads and checks a plan file. On failure, every problem found, in file order.
pub fn parse(text: &str) -> Result<PlanDocument, Vec<Problem>> {
    let mut r = Reader { text, problems: Vec::new(), ids: Vec::new(), links: Vec::new() };
    let doc = match ImDocument::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            r.problem(span, format!("not valid TOML: {}", first_line(e.message())), "ikke gyldig TOML".into());
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
    fn problem(&mut self, span: Range<usize>, message: String, message_da: String) {
        let (line, column) = self.line_column(span.start);
        self.problems.push(Problem { line, column, message, message_da });
    }

    fn document(&mut self, top: &toml_edit::Table) -> Option<PlanDocument> {
        for (key, item) in top {
            if !TOP_LEVEL.contains(&key) {
                let span = top.key(key).and_then(toml_edit::Key::span).or_else(|| item.span()).unwrap_or(0..0);
                self.problem(
                    span,
                    format!("unknown key `{key}`: expected one of format, policy, plan, goals"),
                    format!("ukendt nøgle `{key}`: forventede format, policy, plan eller goals"),
                );
            }
        }
        self.format_version(top);
        let policy = self.section::<RawPolicy>(top, "policy");
        let header = self.section::<RawHeader>(top, "plan");
        let goals = self.goals(top);
        let policy = policy.map(|p| self.policy(p));
        let header = header.and_then(|h| self.header(h));
        let goals: Vec<Goal> = match &header {
            Some(h) => goals.into_iter().filter_map(|g| self.goal(g, h.period)).collect(),
            None => Vec::new(),
        };
        let (policy, plan) = (policy?, header?);
        self.cross_check(&policy);
        Some(PlanDocument { policy, plan, goals })
    }

    fn format_version(&mut self, top: &toml_edit::Table) {
        match top.get("format") {
            None => self.problem(
                0..0,
                format!("missing key `format`: expected `format = {FORMAT}` at the top"),
                format!("mangler `format = {FORMAT}` øverst i filen"),
            ),
            Some(item) if item.as_integer() != Some(FORMAT) => self.problem(
                item.span().unwrap_or(0..0),
                format!("unsupported format: expected {FORMAT}"),
                format!("ukendt formatversion: forventede {FORMAT}"),
            ),
            Some(_) => {}
        }
    }

    /// Deserializes one table of the document, reporting its problem if it cannot.
    fn section<T: for<'de> Deserialize<'de>>(&mut self, top: &toml_edit::Table, key: &str) -> Option<T> {
        let Some(item) = top.get(key) else {
            self.problem(0..0, format!("missing table [{key}]"), format!("mangler tabellen [{key}]"));
            return None;
        };
        self.item(item, &format!("[{key}]"))
    }

    fn item<T: for<'de> Deserialize<'de>>(&mut self, item: &Item, what: &str) -> Option<T> {
        let span = item.span().unwrap_or(0..0);
        let Some(value) = item.clone().into_value().ok() else {
            self.problem(span, format!("{what} must be a table"), format!("{what} skal være en tabel"));
            return None;
        };
        match T::deserialize(value.into_deserializer()) {
            Ok(t) => Some(t),
            Err(e) => {
                let at = e.span().filter(|s| s.start > 0 || s.end > 0).unwrap_or(span);
                let msg = first_line(e.message()).to_owned();
                self.problem(at, format!("{what}: {msg}"), format!("{what}: ugyldig værdi eller nøgle ({msg})"));
                None
            }
        }
    }

    fn goals(&mut self, top: &toml_edit::Table) -> Vec<RawGoal> {
        match top.get("goals") {
            None => Vec::new(),
            Some(Item::ArrayOfTables(goals)) => {
                let items: Vec<Item> = goals.iter().map(|t| Item::Table(t.clone())).collect();
                items.iter().enumerate().filter_map(|(i, item)| self.item(item, &format!("goal {}", i + 1))).collect()
            }
            Some(item) => {
                self.problem(
                    item.span().unwrap_or(0..0),
                    "goals must be written as [[goals]] tables".into(),
                    "mål skal skrives som [[goals]]-tabeller".into(),
                );
                Vec::new()
            }
        }
    }

    fn policy(&mut self, raw: RawPolicy) -> Policy {
        if raw.strategic_goals.is_empty() {
            self.problem(
                0..0,
                "the policy has no strategic goals: expected at least one [[policy.strategic_goals]]".into(),
                "politikken har ingen strategiske mål: forventede mindst én [[policy.strategic_goals]]".into(),
            );
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
                self.problem(
                    raw.to.span(),
                    format!("the plan ends ({t}) before it starts ({f})"),
                    format!("planen slutter ({t}) før den begynder ({f})"),
                );
                None
            }),
            _ => None,
        };
        let adopted = raw.adopted.as_ref().and_then(|d| self.date(d));
        if let (Some(period), Some(adopted), Some(span)) = (period, adopted, raw.adopted.as_ref().map(Spanned::span))
            && adopted > period.last_day()
        {
            self.problem(
                span,
                format!("adopted {adopted} is after the plan period {period}"),
                format!("vedtaget {adopted} ligger efter planperioden {period}"),
            );
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

    fn goal(&mut self, raw: RawGoal, plan: QuarterRange) -> Option<Goal> {
        let kind = match raw.kind.get_ref().as_str() {
            "national" => Some(GoalKind::National),
            "local" => Some(GoalKind::Local),
            other => {
                self.problem(
                    raw.kind.span(),
                    format!("unknown goal kind {other:?}: expected \"national\" or \"local\""),
                    format!("ukendt måltype {other:?}: forventede \"national\" eller \"local\""),
                );
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

    fn indicator(&mut self, raw: RawIndicator, plan: QuarterRange) -> Option<GoalIndicator> {
        let id = self.id(raw.id);
        let measure = raw.measure.get_ref().parse::<Measure>().ok();
        if measure.is_none() {
            self.problem(
                raw.measure.span(),
                format!(
                    "unknown indicator {:?}: expected a register figure such as andel.offentlig_forsoergelse, or fritidsjob.startet or virksomheder.tilfredshed (see docs/plan-format.md)",
                    raw.measure.get_ref()
                ),
                format!("ukendt indikator {:?} (se docs/plan-format.md)", raw.measure.get_ref()),
            );
        }
        let category = match &raw.category {
            None => Some(Category::Total),
            Some(c) => {
                let parsed = c.get_ref().parse::<Category>().ok();
                match (parsed, measure) {
                    (None, _) => {
                        self.problem(
                            c.span(),
                            format!(
                                "unknown category {:?}: expected i_alt, an age band such as 20-29, M, K or an origin",
                                c.get_ref()
                            ),
                            format!("ukendt kategori {:?}", c.get_ref()),
                        );
                        None
                    }
                    (Some(cat), Some(m)) if cat != Category::Total && !matches!(m, Measure::Register(_)) => {
                        self.problem(
                            c.span(),
                            format!("{} has no categories: expected i_alt", m.as_str()),
                            format!("{} kan ikke opdeles: forventede i_alt", m.as_str()),
                        );
                        None
                    }
                    (Some(cat), _) => Some(cat),
                }
            }
        };
        let target_period = match &raw.target_period {
            None => Some(plan),
            Some(p) => self.period(p).and_then(|period| {
                let range = QuarterRange::of_period(period)?;
                if plan.covers(range) {
                    Some(range)
                } else {
                    self.problem(
                        p.span(),
                        format!("target period {range} is outside the plan period {plan}"),
                        format!("målperioden {range} ligger uden for planperioden {plan}"),
                    );
                    None
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
                    format!("baseline period {period} must end before the target period {tp} starts"),
                    format!("basisperioden {period} skal slutte før målperioden {tp} begynder"),
                );
                return None;
            }
            Some(Baseline { period, value: b.get_ref().value })
        });
        if let Some(rule) = target
            && rule.needs_baseline()
            && raw.baseline.is_none()
        {
            self.problem(
                raw.target.span(),
                format!("target rule {} needs a baseline: add baseline = {{ period = ..., value = ... }}", rule.name()),
                format!("målreglen {} kræver en basislinje (baseline)", rule.name()),
            );
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
                self.problem(
                    t.rule.span(),
                    format!(
                        "unknown target rule {other:?}: expected below_baseline, above_baseline, at_most, below, at_least, above, change_by_percent or count_at_least"
                    ),
                    format!("ukendt målregel {other:?}"),
                );
                return None;
            }
        };
        let Some(rule) = rule else {
            self.problem(
                raw.span(),
                format!("target rule {name} needs a value (non-zero for change_by_percent)"),
                format!("målreglen {name} kræver en værdi (value)"),
            );
            return None;
        };
        if matches!(rule, TargetRule::BelowBaseline | TargetRule::AboveBaseline) && value.is_some() {
            self.problem(
                raw.span(),
                format!("target rule {name} takes no value: the baseline is the target"),
                format!("målreglen {name} tager ingen værdi: basislinjen er målet"),
            );
            return None;
        }
        let is_count = measure.map(Measure::unit) == Some(Unit::Count);
        if let Some(m) = measure
            && matches!(rule, TargetRule::CountAtLeast(_)) != is_count
        {
            self.problem(
                raw.span(),
                if is_count {
                    format!("{} is a count: expected the rule count_at_least", m.as_str())
                } else {
                    format!("count_at_least needs a count measure, and {} is not one", m.as_str())
                },
                format!("målreglen {name} passer ikke til indikatoren {}", m.as_str()),
            );
            return None;
        }
        Some(rule)
    }

    fn action(&mut self, raw: RawAction, plan: QuarterRange) -> Option<Action> {
        let id = self.id(raw.id);
        let due = raw.due.as_ref().and_then(|d| self.date(d));
        if let (Some(due), Some(span)) = (due, raw.due.as_ref().map(Spanned::span))
            && !(plan.first_day()..=plan.last_day()).contains(&due)
        {
            self.problem(
                span,
                format!("due date {due} is outside the plan period {plan}"),
                format!("fristen {due} ligger uden for planperioden {plan}"),
            );
        }
        let status = match &raw.status {
            None => Some(ActionStatus::NotStarted),
            Some(s) => s.get_ref().parse().ok().or_else(|| {
                self.problem(
                    s.span(),
                    format!("unknown status {:?}: expected not_started, in_progress, done or dropped", s.get_ref()),
                    format!("ukendt status {:?}", s.get_ref()),
                );
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
            self.problem(
                raw.span(),
                format!("invalid id {:?}: expected lower-case letters a-z, digits and '-'", raw.get_ref()),
                format!("ugyldigt id {:?}: brug små bogstaver a-z, tal og '-'", raw.get_ref()),
            );
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
                self.problem(
                    span.clone(),
                    format!("duplicate id {id:?}: first used on line {line}"),
                    format!("id'et {id:?} er brugt før (linje {line})"),
                );
            } else {
                seen.insert(id, span.clone());
            }
        }
        for (id, span) in refs {
            if !policy.strategic_goals.iter().any(|s| s.id == id) {
                self.problem(
                    span,
                    format!("goal linked to a missing strategic goal {id:?}: expected one of the ids in [[policy.strategic_goals]]"),
                    format!("målet henviser til et strategisk mål, der ikke findes: {id:?}"),
                );
            }
        }
    }

    fn line_column(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..self.text.floor_char_boundary(offset.min(self.text.len()))];
        (before.matches('\n').count() + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
    }

    fn municipality(&mut self, raw: &Spanned<i64>) -> Option<MunicipalityCode> {
        let code = u16::try_from(*raw.get_ref()).ok().and_then(|c| MunicipalityCode::new(c).ok());
        if code.is_none() {
            self.problem(
                raw.span(),
                format!("invalid municipality code {}: expected a kommunekode from 101 to 999", raw.get_ref()),
                format!("ugyldig kommunekode {}: forventede 101-999", raw.get_ref()),
            );
        }
        code
    }

    fn quarter(&mut self, raw: &Spanned<String>) -> Option<Quarter> {
        let q = raw.get_ref().parse::<Quarter>().ok();
        if q.is_none() {
            self.problem(
                raw.span(),
                format!("invalid quarter {:?}: expected e.g. \"2023Q1\"", raw.get_ref()),
                format!("ugyldigt kvartal {:?}: skriv fx \"2023Q1\"", raw.get_ref()),
            );
        }
        q
    }

    fn period(&mut self, raw: &Spanned<String>) -> Option<Period> {
        let p = raw.get_ref().parse::<Period>().ok().filter(|p| !matches!(p, Period::Week(_)));
        if p.is_none() {
            self.problem(
                raw.span(),
                format!("invalid period {:?}: expected a year (\"2022\") or a quarter (\"2022Q4\")", raw.get_ref()),
                format!("ugyldig periode {:?}: skriv et år (\"2022\") eller et kvartal (\"2022Q4\")", raw.get_ref()),
            );
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
            self.problem(
                raw.span(),
                format!("invalid date {d}: expected a date such as 2023-06-30"),
                format!("ugyldig dato {d}: skriv fx 2023-06-30"),
            );
        }
        date
    }
}
