//! The quarterly goal-fulfilment report as data: every goal of a plan judged for a quarter,
//! with the figures, the rule, the charts, the action plans and the managers' comments.
//! [`crate::html`] and [`crate::typst`] turn it into documents.

use std::collections::HashMap;

use indsats_domain::format;
use indsats_domain::indicator::Category;
use indsats_domain::plan::{ActionStatus, Goal, GoalIndicator, Measure, PlanDocument, TargetRule, Unit};
use indsats_domain::{Period, Quarter};

use crate::chart::{Chart, Line, LineStyle};
use crate::evaluate::{Basis, Series, Status, Verdict, evaluate, goal_status};

/// Where the report's figures come from. Implementations hide cells of 1-4 persons for the
/// reader before they get here (the committee never sees them).
pub trait Figures {
    /// The series of `measure` in `category` for `municipality` (0: the whole country).
    fn series(&self, municipality: u16, measure: Measure, category: Category) -> Series;
    /// Up to `n` municipalities most like `municipality` in population structure.
    fn similar(&self, municipality: u16, n: usize) -> Vec<u16>;
    /// The municipality's name; 0 is the whole country.
    fn name(&self, municipality: u16) -> String;
}

/// What the application knows beyond the plan file.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// The stored plan version judged; `None` when judging a file that is not stored.
    pub version: Option<i64>,
    /// Action status changed in the application, by action id.
    pub action_status: HashMap<String, ActionStatus>,
    /// The managers' comments for the report quarter, by goal id.
    pub comments: HashMap<String, String>,
    /// The day the report is made, printed on it.
    pub made_on: Option<chrono::NaiveDate>,
}

/// Why no report can be made, in one Danish sentence each.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The quarter is not in the plan period.
    #[error("{quarter} ligger uden for planens periode {period}; vælg et kvartal i perioden.")]
    OutsidePlan {
        /// The quarter asked for.
        quarter: String,
        /// The plan period.
        period: String,
    },
    /// None of the plan's register indicators has a figure up to the quarter.
    #[error("Der er ingen registertal for {municipality} til og med {quarter}, så målene kan ikke vurderes.")]
    NoData {
        /// The municipality's name.
        municipality: String,
        /// The quarter asked for.
        quarter: String,
    },
}

/// The report as data.
#[derive(Debug, Clone)]
pub struct Report {
    /// The municipality's name.
    pub municipality: String,
    /// The plan's title.
    pub plan_title: String,
    /// The plan id.
    pub plan_id: String,
    /// The stored version judged; `None`: a plan file.
    pub version: Option<i64>,
    /// The plan period as text.
    pub period: String,
    /// The report quarter.
    pub quarter: Quarter,
    /// The comparable municipalities' names.
    pub comparable: Vec<String>,
    /// Whether the plan listed them (otherwise chosen by population structure).
    pub comparable_from_plan: bool,
    /// The goals in plan order.
    pub goals: Vec<GoalSection>,
    /// The day it was made, as printed.
    pub made_on: Option<String>,
}

/// One goal of the report.
#[derive(Debug, Clone)]
pub struct GoalSection {
    /// The goal as in the plan.
    pub goal: Goal,
    /// Its status this quarter.
    pub status: Status,
    /// The strategic goals it serves, by title.
    pub strategic_goals: Vec<String>,
    /// Its indicators, judged.
    pub indicators: Vec<IndicatorSection>,
    /// Its actions with their current status.
    pub actions: Vec<ActionRow>,
    /// The manager's comment for the quarter.
    pub comment: Option<String>,
    /// The goal's status in each quarter of the plan up to the report quarter.
    pub history: Vec<(Quarter, Status)>,
}

/// One indicator of a goal, judged.
#[derive(Debug, Clone)]
pub struct IndicatorSection {
    /// The indicator as in the plan.
    pub indicator: GoalIndicator,
    /// The verdict.
    pub verdict: Verdict,
    /// The value as printed ("12,5 %"), or a dash.
    pub value: String,
    /// The baseline as printed, with its period.
    pub baseline: String,
    /// The target as printed.
    pub target: String,
    /// The sentence that explains the verdict.
    pub explanation: String,
    /// The chart, for measures with figures.
    pub chart: Option<Chart>,
}

/// An action and its status.
#[derive(Debug, Clone)]
pub struct ActionRow {
    /// The action plan's title.
    pub plan: String,
    /// The action's id.
    pub id: String,
    /// The action's title.
    pub title: String,
    /// Who is responsible.
    pub owner: Option<String>,
    /// Due date as printed.
    pub due: Option<String>,
    /// Current status.
    pub status: ActionStatus,
}

impl ActionRow {
    /// The status in Danish.
    pub fn status_label(&self) -> &'static str {
        action_status_label(self.status)
    }
}

/// The Danish word for an action status.
pub fn action_status_label(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::NotStarted => "Ikke startet",
        ActionStatus::InProgress => "I gang",
        ActionStatus::Done => "Gennemført",
        ActionStatus::Dropped => "Opgivet",
    }
}

/// A quarter as Danish tables write it: `2022K4`.
pub fn quarter_label(q: Quarter) -> String {
    format!("{}K{}", q.year(), q.q())
}

fn period_label(p: Period) -> String {
    match p {
        Period::Quarter(q) => quarter_label(q),
        other => other.to_string(),
    }
}

/// A value as the report prints it.
pub fn value_text(value: f64, unit: Unit) -> String {
    match unit {
        Unit::Percent => format!("{} %", format::decimal(value, 1)),
        Unit::FullTimePersons => format::decimal(value, 1),
        #[allow(clippy::cast_possible_truncation, reason = "counts are small whole numbers")]
        Unit::Count => format::integer(value.round() as i64),
    }
}

/// How many comparable municipalities the report shows when the plan names none.
pub const SIMILAR: usize = 4;

/// Judges every goal of `plan` for `quarter` and gathers what the report shows.
pub fn build(
    plan: &PlanDocument,
    quarter: Quarter,
    figures: &dyn Figures,
    notes: &Annotations,
) -> Result<Report, ReportError> {
    let header = &plan.plan;
    let code = header.municipality.get();
    if !header.period.contains(quarter) {
        return Err(ReportError::OutsidePlan { quarter: quarter_label(quarter), period: header.period.to_string() });
    }
    let comparable_from_plan = !header.comparable.is_empty();
    let comparable: Vec<u16> = if comparable_from_plan {
        header.comparable.iter().map(|c| c.get()).collect()
    } else {
        figures.similar(code, SIMILAR)
    };
    let mut any_register = false;
    let mut any_figure = false;
    let goals: Vec<GoalSection> = plan
        .goals
        .iter()
        .map(|goal| {
            let section = goal_section(plan, goal, quarter, figures, &comparable, notes);
            for i in &section.indicators {
                if i.indicator.measure.is_collected() {
                    any_register = true;
                    any_figure |= !matches!(i.verdict.basis, Basis::NoFigures);
                }
            }
            section
        })
        .collect();
    if any_register && !any_figure {
        return Err(ReportError::NoData { municipality: figures.name(code), quarter: quarter_label(quarter) });
    }
    Ok(Report {
        municipality: figures.name(code),
        plan_title: header.title.clone(),
        plan_id: header.id.clone(),
        version: notes.version,
        period: header.period.to_string(),
        quarter,
        comparable: comparable.iter().map(|c| figures.name(*c)).collect(),
        comparable_from_plan,
        goals,
        made_on: notes.made_on.map(format::date),
    })
}

fn goal_section(
    plan: &PlanDocument,
    goal: &Goal,
    quarter: Quarter,
    figures: &dyn Figures,
    comparable: &[u16],
    notes: &Annotations,
) -> GoalSection {
    let code = plan.plan.municipality.get();
    let series: Vec<Series> = goal.indicators.iter().map(|i| figures.series(code, i.measure, i.category)).collect();
    let verdicts: Vec<Verdict> = goal.indicators.iter().zip(&series).map(|(i, s)| evaluate(i, quarter, s)).collect();
    let history = plan
        .plan
        .period
        .quarters()
        .filter(|q| *q <= quarter)
        .map(|q| {
            let v: Vec<Verdict> = goal.indicators.iter().zip(&series).map(|(i, s)| evaluate(i, q, s)).collect();
            (q, goal_status(goal, &v))
        })
        .collect();
    let status = goal_status(goal, &verdicts);
    let indicators = goal
        .indicators
        .iter()
        .zip(verdicts)
        .zip(&series)
        .map(|((ind, verdict), s)| indicator_section(plan, ind, verdict, s, quarter, figures, comparable))
        .collect();
    let actions = goal
        .action_plans
        .iter()
        .flat_map(|p| {
            p.actions.iter().map(|a| ActionRow {
                plan: p.title.clone(),
                id: a.id.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                due: a.due.map(format::date),
                status: notes.action_status.get(&a.id).copied().unwrap_or(a.status),
            })
        })
        .collect();
    GoalSection {
        goal: goal.clone(),
        status,
        strategic_goals: goal
            .strategic_goals
            .iter()
            .filter_map(|id| plan.policy.strategic_goals.iter().find(|s| &s.id == id).map(|s| s.title.clone()))
            .collect(),
        indicators,
        actions,
        comment: notes.comments.get(&goal.id).filter(|c| !c.trim().is_empty()).cloned(),
        history,
    }
}

fn indicator_section(
    plan: &PlanDocument,
    ind: &GoalIndicator,
    verdict: Verdict,
    series: &Series,
    quarter: Quarter,
    figures: &dyn Figures,
    comparable: &[u16],
) -> IndicatorSection {
    let unit = ind.measure.unit();
    let baseline = match (ind.baseline, verdict.baseline) {
        (Some(b), Some(v)) => format!("{} ({})", value_text(v, unit), period_label(b.period)),
        (Some(b), None) => format!("– ({})", period_label(b.period)),
        (None, _) => "–".to_owned(),
    };
    let chart = ind.measure.is_collected().then(|| chart(plan, ind, &verdict, series, quarter, figures, comparable));
    IndicatorSection {
        value: verdict.value.map_or_else(|| "–".to_owned(), |v| value_text(v, unit)),
        baseline,
        target: target_text(ind.target, verdict.threshold, unit, ind),
        explanation: explanation(ind, &verdict),
        indicator: ind.clone(),
        verdict,
        chart,
    }
}

/// The target in words: "under 8,0 % i 2022".
fn target_text(rule: TargetRule, threshold: Option<f64>, unit: Unit, ind: &GoalIndicator) -> String {
    let t = |v: f64| value_text(v, unit);
    let when = ind.target_period.as_period().map_or_else(|| ind.target_period.to_string(), period_label);
    let what = match rule {
        TargetRule::BelowBaseline => "under basislinjen".to_owned(),
        TargetRule::AboveBaseline => "over basislinjen".to_owned(),
        TargetRule::AtMost(v) => format!("højst {}", t(v)),
        TargetRule::Below(v) => format!("under {}", t(v)),
        TargetRule::AtLeast(v) => format!("mindst {}", t(v)),
        TargetRule::Above(v) => format!("over {}", t(v)),
        TargetRule::ChangeByPercent(p) => match threshold {
            Some(th) => format!("{} % fra basislinjen ({})", format::decimal(p, 1), t(th)),
            None => format!("{} % fra basislinjen", format::decimal(p, 1)),
        },
        TargetRule::CountAtLeast(v) => format!("mindst {} i alt", t(v)),
    };
    format!("{what} i {when}")
}

fn quarters_text(qs: &[Quarter]) -> String {
    match qs {
        [] => String::new(),
        [one] => quarter_label(*one),
        [first, .., last] => format!("{}-{}", quarter_label(*first), quarter_label(*last)),
    }
}

/// One sentence a reader can check the verdict with.
fn explanation(ind: &GoalIndicator, v: &Verdict) -> String {
    let unit = ind.measure.unit();
    let side = |met: bool| {
        let word = match ind.target {
            TargetRule::BelowBaseline | TargetRule::Below(_) => "under",
            TargetRule::AboveBaseline | TargetRule::Above(_) => "over",
            TargetRule::AtMost(_) => "højst",
            TargetRule::ChangeByPercent(p) if p < 0.0 => "højst",
            _ => "mindst",
        };
        if met { word.to_owned() } else { format!("ikke {word}") }
    };
    let compare = |value: f64, threshold: f64, met: bool| {
        format!("{} er {} {}", value_text(value, unit), side(met), value_text(threshold, unit))
    };
    let verdict_word = v.status.label().to_lowercase();
    match (&v.basis, v.value, v.threshold) {
        (Basis::Final { period }, Some(value), Some(t)) => {
            let met = v.status == Status::Met;
            let what = if matches!(ind.target, TargetRule::CountAtLeast(_)) { "Summen for" } else { "Tallet for" };
            format!("{what} {period}: {}: {verdict_word}.", compare(value, t, met))
        }
        (Basis::SoFar { used, missing }, Some(value), Some(t)) => {
            let met = v.status == Status::OnTrack;
            let what = if matches!(ind.target, TargetRule::CountAtLeast(_)) {
                format!("Summen for {} (målet forholdsmæssigt)", quarters_text(used))
            } else {
                format!("Gennemsnittet af {}", quarters_text(used))
            };
            let late = if missing.is_empty() {
                String::new()
            } else {
                format!(
                    " Tal for {} mangler endnu.",
                    missing.iter().map(|q| quarter_label(*q)).collect::<Vec<_>>().join(", ")
                )
            };
            format!("{what}: {}: {verdict_word}.{late}", compare(value, t, met))
        }
        (Basis::Rolling { used }, Some(value), Some(t)) => format!(
            "Målperioden er ikke begyndt; de seneste kvartaler {}: {}: {verdict_word}.",
            quarters_text(used),
            compare(value, t, v.status == Status::OnTrack)
        ),
        (Basis::NotCollected, ..) => "Tallet indsamles ikke i indsats endnu; målet vurderes ikke.".to_owned(),
        (Basis::NoBaseline, ..) => "Basislinjen findes ikke i data, så målet kan ikke vurderes.".to_owned(),
        (Basis::Suppressed, ..) => "Tallet bygger på færre end 5 personer og vises ikke.".to_owned(),
        (Basis::NoIndicator, ..) => "Målet har ingen indikator i planen.".to_owned(),
        _ => "Der er ingen tal for perioden endnu.".to_owned(),
    }
}

/// Twelve quarters up to the report quarter: the municipality, the whole country, the mean of
/// the comparable municipalities, and the baseline and target as lines.
fn chart(
    plan: &PlanDocument,
    ind: &GoalIndicator,
    verdict: &Verdict,
    series: &Series,
    quarter: Quarter,
    figures: &dyn Figures,
    comparable: &[u16],
) -> Chart {
    let mut quarters: Vec<Quarter> = std::iter::successors(Some(quarter), |q| q.prev()).take(12).collect();
    quarters.reverse();
    let pick = |s: &Series| -> Vec<Option<f64>> {
        quarters
            .iter()
            .map(|q| s.quarters.iter().find(|o| o.period == Period::Quarter(*q)).and_then(|o| o.value))
            .collect()
    };
    let country = figures.series(0, ind.measure, ind.category);
    let others: Vec<Vec<Option<f64>>> =
        comparable.iter().map(|c| pick(&figures.series(*c, ind.measure, ind.category))).collect();
    let mean: Vec<Option<f64>> = (0..quarters.len())
        .map(|i| {
            let vals: Vec<f64> = others.iter().filter_map(|o| o[i]).collect();
            #[allow(clippy::cast_precision_loss, reason = "a handful of municipalities")]
            let n = vals.len() as f64;
            (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / n)
        })
        .collect();
    let unit = ind.measure.unit();
    let mut lines = vec![
        Line { label: figures.name(plan.plan.municipality.get()), values: pick(series), style: LineStyle::Primary },
        Line { label: "Hele landet".into(), values: pick(&country), style: LineStyle::Comparison },
    ];
    if mean.iter().any(Option::is_some) {
        lines.push(Line { label: "Sammenlignelige kommuner".into(), values: mean, style: LineStyle::Comparable });
    }
    if let Some(b) = verdict.baseline {
        lines.push(Line {
            label: "Basislinje".into(),
            values: vec![Some(b); quarters.len()],
            style: LineStyle::Baseline,
        });
    }
    if let (Some(t), false) = (verdict.threshold, matches!(ind.target, TargetRule::CountAtLeast(_))) {
        lines.push(Line { label: "Mål".into(), values: vec![Some(t); quarters.len()], style: LineStyle::Target });
    }
    Chart {
        title: ind.title.clone(),
        x_labels: quarters.iter().map(|q| quarter_label(*q)).collect(),
        lines,
        percent: unit == Unit::Percent,
        decimals: unit.decimals(),
    }
}

#[cfg(test)]
mod tests;
