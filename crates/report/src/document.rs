//! The quarterly goal-fulfilment report as data: every goal of a plan judged for a quarter,
//! with the figures, the rule, the charts, the action plans and the managers' comments.
//! [`crate::html`] and [`crate::typst_source`] turn it into documents. Every text in it is
//! worded by the [`Labels`] passed to [`build`], so the same labels should render it.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;

use indsats_domain::indicator::Category;
use indsats_domain::plan::{ActionStatus, Goal, GoalIndicator, Measure, PlanDocument, QuarterRange, TargetRule, Unit};
use indsats_domain::{Period, Quarter};

use crate::chart::{Chart, Line, LineStyle};
pub use crate::error::ReportError;
use crate::evaluate::{Basis, Series, Status, Verdict, evaluate, goal_status, judged};
use crate::labels::Labels;

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
    pub comments: HashMap<String, Comment>,
    /// The day the report is made, printed on it.
    pub made_on: Option<chrono::NaiveDate>,
    /// The committee meeting the report is made for, printed on its first page.
    pub meeting: Option<Meeting>,
    /// The administration that sends the report ("Beskæftigelsesforvaltningen").
    pub sender: Option<String>,
    /// Which register data the figures come from, for the appendix and the demo marking.
    pub data: Option<DataInfo>,
}

/// The committee meeting a report is made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// The committee ("Beskæftigelsesudvalget").
    pub committee: String,
    /// The day of the meeting.
    pub date: NaiveDate,
}

/// The register data set the figures come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataInfo {
    /// The data set's version, as the data directory names it.
    pub version: String,
    /// The last week the data reach, as printed ("uge 52 2025").
    pub last_week: String,
    /// Whether the figures are invented (the demo): every page of the report then says so.
    pub synthetic: bool,
}

/// A manager's comment on a goal for the report quarter, with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The text.
    pub text: String,
    /// Who wrote it last (their display name); `None` when that user is gone.
    pub author: Option<String>,
    /// The day it was last written.
    pub written: NaiveDate,
}

impl fmt::Display for Comment {
    /// The text alone: what a form field holds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
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
    /// The plan period as printed.
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
    /// The sender as printed on the first page: the municipality and the administration.
    pub sender: String,
    /// The committee and meeting as printed ("Beskæftigelsesudvalget, mødet 14.02.2023").
    pub meeting: Option<String>,
    /// The register data the figures come from.
    pub data: Option<DataInfo>,
    /// The one-paragraph summary: the goals counted by status. When no indicator of the plan
    /// is measured, the one line that says so.
    pub summary: String,
    /// Whether any indicator of the plan is measured by indsats.
    pub measurable: bool,
    /// The definitions of the indicators used, for the appendix.
    pub definitions: Vec<Definition>,
}

impl Report {
    /// Whether every page must say that the figures are invented.
    pub fn synthetic(&self) -> bool {
        self.data.as_ref().is_some_and(|d| d.synthetic)
    }

    /// The goals with at least one indicator: one section each.
    pub fn measured_goals(&self) -> impl Iterator<Item = &GoalSection> {
        self.goals.iter().filter(|g| !g.indicators.is_empty())
    }

    /// The goals without an indicator: listed together in one short section.
    pub fn unmeasured_goals(&self) -> impl Iterator<Item = &GoalSection> {
        self.goals.iter().filter(|g| g.indicators.is_empty())
    }
}

/// What an indicator of the report measures, for the appendix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The titles of the plan's indicators that use it.
    pub indicators: Vec<String>,
    /// The measure, and the categories when not only `i_alt`, as the plan file writes them:
    /// `andel.offentlig_forsoergelse (i_alt, 20-29)`.
    pub measure: String,
    /// What the figure is, in words.
    pub text: String,
}

/// One goal of the report.
#[derive(Debug, Clone)]
pub struct GoalSection {
    /// The goal as in the plan.
    pub goal: Goal,
    /// Its status this quarter.
    pub status: Status,
    /// How many of its indicators a figure judged (the status rests on these).
    pub judged: usize,
    /// The strategic goals it serves, by title.
    pub strategic_goals: Vec<String>,
    /// Its indicators, judged.
    pub indicators: Vec<IndicatorSection>,
    /// Its actions with their current status.
    pub actions: Vec<ActionRow>,
    /// The manager's comment for the quarter.
    pub comment: Option<Comment>,
    /// The goal's status in each quarter of the plan up to the report quarter.
    pub history: Vec<(Quarter, Status)>,
}

impl GoalSection {
    /// The status as printed, with how many indicators it rests on when not all were judged:
    /// "På vej, 2 af 4 indikatorer målt".
    pub fn status_text(&self, labels: &Labels) -> String {
        labels.goal_status(self.status, self.judged, self.indicators.len())
    }

    /// The comment's byline: "Skrevet af Lise Hansen 03.02.2023".
    pub fn comment_byline(&self, labels: &Labels) -> Option<String> {
        let c = self.comment.as_ref()?;
        let date = labels.date(c.written);
        Some(match &c.author {
            Some(author) => labels.t_args("report-comment-by", &[("author", author), ("date", &date)]),
            None => labels.t_args("report-comment-on", &[("date", &date)]),
        })
    }
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
    /// What the value is ("2022, hele året"); empty when there is none.
    pub value_basis: String,
    /// The value column's heading: "Værdi (2022, hele året)".
    pub value_heading: String,
    /// The baseline as printed, with its period.
    pub baseline: String,
    /// The target as printed.
    pub target: String,
    /// The sentence that explains the verdict.
    pub explanation: String,
    /// The change from the quarter before in words, or a dash.
    pub trend: String,
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

/// The plan version judged ("planversion 3"), or that it is a plan file.
pub(crate) fn version(report: &Report, labels: &Labels) -> String {
    report.version.map_or_else(
        || labels.t("report-plan-file"),
        |v| labels.t_args("report-plan-version", &[("version", &v.to_string())]),
    )
}

/// What the figures are compared with, in one sentence.
pub(crate) fn comparison(report: &Report, labels: &Labels) -> String {
    if report.comparable.is_empty() {
        return labels.t("report-comparison");
    }
    let how = if report.comparable_from_plan {
        labels.t("report-comparable-from-plan")
    } else {
        labels.t("report-comparable-chosen")
    };
    labels.t_args("report-comparison-with", &[("municipalities", &report.comparable.join(", ")), ("how", &how)])
}

/// How the report judges, in two sentences; `quote` is the catalogue key that quotes a status
/// word in the target format.
pub(crate) fn intro(report: &Report, labels: &Labels, quote: &str) -> String {
    let q = |s: Status| labels.t_args(quote, &[("text", &labels.status(s))]);
    labels.t_args(
        "report-intro",
        &[
            ("quarter", &labels.quarter(report.quarter)),
            ("not-measured", &q(Status::NotMeasured)),
            ("no-figures", &q(Status::NoFigures)),
        ],
    )
}

/// The data's version and how far it reaches, for the appendix.
pub(crate) fn data_line(report: &Report, labels: &Labels) -> Option<String> {
    report.data.as_ref().map(|d| {
        let key = if d.synthetic { "report-data-synthetic" } else { "report-data" };
        labels.t_args(key, &[("version", &d.version), ("week", &d.last_week)])
    })
}

/// How many comparable municipalities the report shows when the plan names none.
pub const SIMILAR: usize = 4;

/// Judges every goal of `plan` for `quarter` and gathers what the report shows, worded by
/// `labels`.
pub fn build(
    plan: &PlanDocument,
    quarter: Quarter,
    figures: &dyn Figures,
    notes: &Annotations,
    labels: &Labels,
) -> Result<Report, ReportError> {
    let header = &plan.plan;
    let code = header.municipality.get();
    if !header.period.contains(quarter) {
        return Err(ReportError::OutsidePlan { quarter, period: header.period });
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
            let section = goal_section(plan, goal, quarter, figures, &comparable, notes, labels);
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
        return Err(ReportError::NoData { municipality: figures.name(code), quarter });
    }
    let municipality = figures.name(code);
    let sender = match &notes.sender {
        Some(administration) => {
            labels.t_args("report-sender-with", &[("municipality", &municipality), ("administration", administration)])
        }
        None => labels.t_args("report-sender", &[("municipality", &municipality)]),
    };
    let meeting = notes
        .meeting
        .as_ref()
        .map(|m| labels.t_args("report-meeting", &[("committee", &m.committee), ("date", &labels.date(m.date))]));
    let summary = if any_register {
        summary(&goals, quarter, labels)
    } else {
        labels.t_args("report-nothing-measurable", &[("goals", &goals.len().to_string())])
    };
    Ok(Report {
        municipality,
        plan_title: header.title.clone(),
        plan_id: header.id.clone(),
        version: notes.version,
        period: labels.range(header.period),
        quarter,
        comparable: comparable.iter().map(|c| figures.name(*c)).collect(),
        comparable_from_plan,
        definitions: definitions(plan, labels),
        goals,
        made_on: notes.made_on.map(|d| labels.date(d)),
        sender,
        meeting,
        data: notes.data.clone(),
        summary,
        measurable: any_register,
    })
}

/// The goals counted by status in one paragraph: "Af planens 7 mål er 1 på vej og 1 i risiko;
/// 5 er ikke målt."
fn summary(goals: &[GoalSection], quarter: Quarter, labels: &Labels) -> String {
    let counted: Vec<String> = Status::ALL
        .into_iter()
        .filter_map(|status| {
            let n = goals.iter().filter(|g| g.status == status).count();
            (n > 0).then(|| labels.status_count(status, n))
        })
        .collect();
    let partly = goals.iter().filter(|g| g.status.is_judged() && g.judged < g.indicators.len()).count();
    let mut text = labels.t_args(
        "report-summary-counts",
        &[
            ("goals", &goals.len().to_string()),
            ("quarter", &labels.quarter(quarter)),
            ("counts", &labels.list(&counted)),
        ],
    );
    if partly > 0 {
        text.push(' ');
        text.push_str(&labels.t_args("report-summary-partly", &[("count", &partly.to_string())]));
    }
    text
}

/// Each measure the plan's indicators use, once, in plan order, with the population categories
/// it is used for.
fn definitions(plan: &PlanDocument, labels: &Labels) -> Vec<Definition> {
    let mut out: Vec<(Measure, Vec<Category>, Definition)> = Vec::new();
    for ind in plan.goals.iter().flat_map(|g| &g.indicators) {
        let at = out.iter().position(|(m, ..)| *m == ind.measure).unwrap_or_else(|| {
            let text = labels.definition(ind.measure);
            out.push((ind.measure, Vec::new(), Definition { indicators: Vec::new(), measure: String::new(), text }));
            out.len() - 1
        });
        let (_, categories, d) = &mut out[at];
        if !categories.contains(&ind.category) {
            categories.push(ind.category);
        }
        if !d.indicators.contains(&ind.title) {
            d.indicators.push(ind.title.clone());
        }
    }
    out.into_iter()
        .map(|(measure, categories, mut d)| {
            d.measure = if categories == [Category::Total] {
                measure.as_str().to_owned()
            } else {
                let list: Vec<String> = categories.iter().map(ToString::to_string).collect();
                format!("{} ({})", measure.as_str(), list.join(", "))
            };
            d
        })
        .collect()
}

fn goal_section(
    plan: &PlanDocument,
    goal: &Goal,
    quarter: Quarter,
    figures: &dyn Figures,
    comparable: &[u16],
    notes: &Annotations,
    labels: &Labels,
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
    let judged = judged(&verdicts);
    let indicators = goal
        .indicators
        .iter()
        .zip(verdicts)
        .zip(&series)
        .map(|((ind, verdict), s)| {
            let context = Context { plan, quarter, figures, comparable, labels };
            indicator_section(&context, ind, verdict, s)
        })
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
                due: a.due.map(|d| labels.date(d)),
                status: notes.action_status.get(&a.id).copied().unwrap_or(a.status),
            })
        })
        .collect();
    GoalSection {
        goal: goal.clone(),
        status,
        judged,
        strategic_goals: goal
            .strategic_goals
            .iter()
            .filter_map(|id| plan.policy.strategic_goals.iter().find(|s| &s.id == id).map(|s| s.title.clone()))
            .collect(),
        indicators,
        actions,
        comment: notes.comments.get(&goal.id).filter(|c| !c.text.trim().is_empty()).cloned(),
        history,
    }
}

/// What an indicator's section is made in: the plan, the quarter, where figures come from,
/// and the words.
struct Context<'a> {
    plan: &'a PlanDocument,
    quarter: Quarter,
    figures: &'a dyn Figures,
    comparable: &'a [u16],
    labels: &'a Labels,
}

fn indicator_section(cx: &Context<'_>, ind: &GoalIndicator, verdict: Verdict, series: &Series) -> IndicatorSection {
    let labels = cx.labels;
    let unit = ind.measure.unit();
    let baseline = match (ind.baseline, verdict.baseline) {
        (Some(b), Some(v)) => format!("{} ({})", labels.value(v, unit), labels.period(b.period)),
        (Some(b), None) => format!("– ({})", labels.period(b.period)),
        (None, _) => "–".to_owned(),
    };
    let value_basis = value_basis(ind, &verdict, labels);
    let value = verdict.value.map_or_else(|| "–".to_owned(), |v| labels.value(v, unit));
    let chart = ind.measure.is_collected().then(|| chart(cx, ind, &verdict, series, &value_basis));
    IndicatorSection {
        value_heading: if value_basis.is_empty() {
            labels.t("report-col-value")
        } else {
            labels.t_args("report-col-value-basis", &[("basis", &value_basis)])
        },
        value,
        value_basis,
        baseline,
        target: target_text(ind.target, verdict.threshold, ind, labels),
        explanation: explanation(ind, &verdict, labels),
        trend: verdict.trend.map_or_else(|| "–".to_owned(), |t| labels.trend(t)),
        indicator: ind.clone(),
        verdict,
        chart,
    }
}

/// The target in words: "under 8,0 % i 2022".
fn target_text(rule: TargetRule, threshold: Option<f64>, ind: &GoalIndicator, labels: &Labels) -> String {
    let t = |v: f64| labels.value(v, ind.measure.unit());
    let when = labels.range(ind.target_period);
    let what = match rule {
        TargetRule::BelowBaseline => labels.t("report-target-below-baseline"),
        TargetRule::AboveBaseline => labels.t("report-target-above-baseline"),
        TargetRule::AtMost(v) => labels.t_args("report-target-at-most", &[("value", &t(v))]),
        TargetRule::Below(v) => labels.t_args("report-target-below", &[("value", &t(v))]),
        TargetRule::AtLeast(v) => labels.t_args("report-target-at-least", &[("value", &t(v))]),
        TargetRule::Above(v) => labels.t_args("report-target-above", &[("value", &t(v))]),
        TargetRule::ChangeByPercent(p) => match threshold {
            Some(th) => {
                labels.t_args("report-target-change-to", &[("percent", &labels.decimal(p, 1)), ("value", &t(th))])
            }
            None => labels.t_args("report-target-change", &[("percent", &labels.decimal(p, 1))]),
        },
        TargetRule::CountAtLeast(v) => labels.t_args("report-target-count", &[("value", &t(v))]),
    };
    labels.t_args("report-target-in", &[("target", &what), ("period", &when)])
}

/// What the value the verdict uses is: "2022, hele året", "2022K1-2022K3, til dato"; empty
/// when there is no value.
fn value_basis(ind: &GoalIndicator, v: &Verdict, labels: &Labels) -> String {
    if v.value.is_none() {
        return String::new();
    }
    let is_count = matches!(ind.target, TargetRule::CountAtLeast(_));
    match &v.basis {
        Basis::Final { .. } => {
            if let Some(Period::Year(year)) = ind.target_period.as_period() {
                let key = if is_count { "report-basis-year-sum" } else { "report-basis-year" };
                labels.t_args(key, &[("year", &year.to_string())])
            } else {
                let key = if is_count { "report-basis-period-sum" } else { "report-basis-period" };
                labels.t_args(key, &[("period", &labels.range(ind.target_period))])
            }
        }
        Basis::SoFar { used, .. } => {
            let key = if is_count { "report-basis-so-far-sum" } else { "report-basis-so-far" };
            labels.t_args(key, &[("quarters", &quarters_text(used, labels))])
        }
        Basis::Rolling { used } => labels.t_args("report-basis-rolling", &[("quarters", &quarters_text(used, labels))]),
        _ => String::new(),
    }
}

fn quarters_text(qs: &[Quarter], labels: &Labels) -> String {
    match qs {
        [] => String::new(),
        [one] => labels.quarter(*one),
        [first, .., last] => format!("{}-{}", labels.quarter(*first), labels.quarter(*last)),
    }
}

/// One sentence a reader can check the verdict with.
fn explanation(ind: &GoalIndicator, v: &Verdict, labels: &Labels) -> String {
    let unit = ind.measure.unit();
    let side = |met: bool| {
        let word = labels.t(match ind.target {
            TargetRule::BelowBaseline | TargetRule::Below(_) => "report-side-below",
            TargetRule::AboveBaseline | TargetRule::Above(_) => "report-side-above",
            TargetRule::AtMost(_) => "report-side-at-most",
            TargetRule::ChangeByPercent(p) if p < 0.0 => "report-side-at-most",
            _ => "report-side-at-least",
        });
        if met { word } else { labels.t_args("report-side-not", &[("side", &word)]) }
    };
    let compare = |value: f64, threshold: f64, met: bool| {
        labels.t_args(
            "report-compare",
            &[
                ("value", &labels.value(value, unit)),
                ("side", &side(met)),
                ("threshold", &labels.value(threshold, unit)),
            ],
        )
    };
    let verdict = labels.status(v.status).to_lowercase();
    let is_count = matches!(ind.target, TargetRule::CountAtLeast(_));
    match (&v.basis, v.value, v.threshold) {
        (Basis::Final { .. }, Some(value), Some(t)) => {
            let comparison = compare(value, t, v.status == Status::Met);
            let key = if is_count { "report-explain-final-sum" } else { "report-explain-final" };
            let period = labels.range(ind.target_period);
            labels.t_args(key, &[("period", &period), ("comparison", &comparison), ("verdict", &verdict)])
        }
        (Basis::SoFar { used, missing }, Some(value), Some(t)) => {
            let comparison = compare(value, t, v.status == Status::OnTrack);
            let key = if is_count { "report-explain-so-far-sum" } else { "report-explain-so-far" };
            let quarters = quarters_text(used, labels);
            let sentence =
                labels.t_args(key, &[("quarters", &quarters), ("comparison", &comparison), ("verdict", &verdict)]);
            if missing.is_empty() {
                sentence
            } else {
                let missing = missing.iter().map(|q| labels.quarter(*q)).collect::<Vec<_>>().join(", ");
                format!("{sentence} {}", labels.t_args("report-explain-late", &[("quarters", &missing)]))
            }
        }
        (Basis::Rolling { used }, Some(value), Some(t)) => labels.t_args(
            "report-explain-rolling",
            &[
                ("quarters", &quarters_text(used, labels)),
                ("comparison", &compare(value, t, v.status == Status::OnTrack)),
                ("verdict", &verdict),
            ],
        ),
        (Basis::NotCollected, ..) => labels.t("report-explain-not-collected"),
        (Basis::NoBaseline, ..) => labels.t("report-explain-no-baseline"),
        (Basis::Suppressed, ..) => labels.t("report-explain-suppressed"),
        (Basis::NoIndicator, ..) => labels.t("report-explain-no-indicator"),
        _ => labels.t("report-explain-no-figures"),
    }
}

/// Twelve quarters up to the report quarter: the municipality, the whole country, the mean of
/// the comparable municipalities; the baseline over its own period and the target over the
/// target period; and the value the verdict uses, marked over the quarters it covers.
fn chart(cx: &Context<'_>, ind: &GoalIndicator, verdict: &Verdict, series: &Series, basis: &str) -> Chart {
    let Context { plan, quarter, figures, comparable, labels } = *cx;
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
            #[expect(clippy::cast_precision_loss, reason = "a handful of municipalities")]
            let n = vals.len() as f64;
            (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / n)
        })
        .collect();
    let unit = ind.measure.unit();
    let mut lines = vec![Line {
        label: figures.name(plan.plan.municipality.get()),
        values: pick(series),
        style: LineStyle::Primary,
    }];
    // Operational figures exist for the jobcentre's own cases only: no country line to draw.
    let country = pick(&country);
    if country.iter().any(Option::is_some) || matches!(ind.measure, Measure::Register(_)) {
        lines.push(Line { label: labels.t("report-chart-country"), values: country, style: LineStyle::Comparison });
    }
    if mean.iter().any(Option::is_some) {
        lines.push(Line { label: labels.t("report-chart-comparable"), values: mean, style: LineStyle::Comparable });
    }
    lines.extend(reference_lines(ind, verdict, &quarters, labels));
    // The value judged, over the quarters it covers; a count's sum is not on the quarters' scale.
    let over = |value: f64, within: &dyn Fn(Quarter) -> bool| -> Vec<Option<f64>> {
        quarters.iter().map(|q| within(*q).then_some(value)).collect()
    };
    if let (Some(value), false) = (verdict.value, matches!(ind.target, TargetRule::CountAtLeast(_))) {
        let covered: Vec<Quarter> = match &verdict.basis {
            Basis::Final { .. } => ind.target_period.quarters().collect(),
            Basis::SoFar { used, .. } | Basis::Rolling { used } => used.clone(),
            _ => Vec::new(),
        };
        let values = over(value, &|q| covered.contains(&q));
        if values.iter().any(Option::is_some) {
            let label = format!("{basis}: {}", labels.value(value, unit));
            lines.push(Line { label, values, style: LineStyle::Verdict });
        }
    }
    Chart {
        title: ind.title.clone(),
        x_labels: quarters.iter().map(|q| labels.quarter(*q)).collect(),
        lines,
        percent: unit == Unit::Percent,
        decimals: unit.decimals(),
        numbers: labels.numbers(),
    }
}

/// The baseline over its own period and the target over the target period (before it, over
/// the quarters the verdict compared with it); one line when both fall on the same quarters at
/// the same printed value, where two would hide each other.
fn reference_lines(ind: &GoalIndicator, verdict: &Verdict, quarters: &[Quarter], labels: &Labels) -> Vec<Line> {
    let unit = ind.measure.unit();
    let mut lines = Vec::new();
    let over = |value: f64, within: &dyn Fn(Quarter) -> bool| -> Vec<Option<f64>> {
        quarters.iter().map(|q| within(*q).then_some(value)).collect()
    };
    let is_count = matches!(ind.target, TargetRule::CountAtLeast(_));
    let baseline_period = ind.baseline.and_then(|b| QuarterRange::of_period(b.period));
    let baseline = verdict.baseline.zip(baseline_period).map(|(b, range)| (b, over(b, &|q| range.contains(q))));
    let target = verdict.threshold.filter(|_| !is_count).map(|t| {
        let in_period = over(t, &|q| ind.target_period.contains(q));
        if in_period.iter().any(Option::is_some) {
            (t, in_period)
        } else {
            // Before the target period the verdict compares the latest quarters with it.
            let used = match &verdict.basis {
                Basis::Rolling { used } | Basis::SoFar { used, .. } => used.clone(),
                _ => Vec::new(),
            };
            (t, over(t, &|q| used.contains(&q)))
        }
    });
    match (baseline, target) {
        (Some((b, bv)), Some((t, tv)))
            if unit.round(b).to_bits() == unit.round(t).to_bits()
                && bv.iter().zip(&tv).any(|(x, y)| x.is_some() && y.is_some()) =>
        {
            // Drawn over the same quarters at the same height they would hide each other.
            let values = bv.iter().zip(&tv).map(|(x, y)| x.or(*y)).collect();
            lines.push(Line { label: labels.t("report-chart-baseline-target"), values, style: LineStyle::Target });
        }
        (baseline, target) => {
            for (values, label, style) in [
                (baseline.map(|(_, v)| v), "report-chart-baseline", LineStyle::Baseline),
                (target.map(|(_, v)| v), "report-chart-target", LineStyle::Target),
            ] {
                if let Some(values) = values.filter(|v| v.iter().any(Option::is_some)) {
                    lines.push(Line { label: labels.t(label), values, style });
                }
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests;
