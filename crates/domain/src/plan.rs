//! Employment policy and plan: strategic goals, plan goals, indicators with baseline and
//! target, and action plans. The file format is in `docs/plan-format.md`; [`parse`] reads it.

mod file;

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::case_figures::{CaseMeasure, CaseUnit};
use crate::indicator::{Category, Indicator};
use crate::{MunicipalityCode, Period, Quarter};

pub use file::{MAX_GOALS, MAX_INDICATORS, Problem, ProblemKind, parse};

/// The version of the plan file format this code reads.
pub const FORMAT: i64 = 1;

/// A policy with one plan, as read from one plan file.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDocument {
    /// The council's employment policy.
    pub policy: Policy,
    /// The plan's header.
    pub plan: PlanHeader,
    /// National and local goals, in file order.
    pub goals: Vec<Goal>,
}

/// The council's employment policy (beskæftigelsespolitik).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The policy's title.
    pub title: String,
    /// The vision.
    pub vision: String,
    /// The mission, where the policy has one.
    pub mission: Option<String>,
    /// The values (værdier).
    pub values: Vec<PolicyValue>,
    /// The strategic goals (strategiske mål).
    pub strategic_goals: Vec<StrategicGoal>,
}

/// One of the policy's values.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyValue {
    /// The value's heading.
    pub title: String,
    /// Its text.
    pub text: Option<String>,
}

/// A strategic goal of the policy.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategicGoal {
    /// Id, unique in the file.
    pub id: String,
    /// Title.
    pub title: String,
    /// Text.
    pub text: Option<String>,
}

/// The plan's header.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanHeader {
    /// The plan's id; loading the same id again makes a new version.
    pub id: String,
    /// The municipality.
    pub municipality: MunicipalityCode,
    /// Title.
    pub title: String,
    /// The quarters the plan covers.
    pub period: QuarterRange,
    /// When the council adopted it, if known.
    pub adopted: Option<NaiveDate>,
    /// Municipalities to compare with; empty: the report chooses.
    pub comparable: Vec<MunicipalityCode>,
    /// Where the text comes from.
    pub source: Option<String>,
}

/// Whose goal it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalKind {
    /// One of the minister's national goals.
    National,
    /// One of the council's own goals.
    Local,
}

impl GoalKind {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            GoalKind::National => "national",
            GoalKind::Local => "local",
        }
    }
}

/// A goal of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// Id, unique in the file.
    pub id: String,
    /// National or local.
    pub kind: GoalKind,
    /// Title.
    pub title: String,
    /// The plan's heading the goal sits under.
    pub focus_area: Option<String>,
    /// Ids of the strategic goals it serves.
    pub strategic_goals: Vec<String>,
    /// The goal's own sentences.
    pub ambition: Option<String>,
    /// The strategy.
    pub strategy: Option<String>,
    /// Prioritised activities, most important first.
    pub activities: Vec<String>,
    /// What the goal is judged on.
    pub indicators: Vec<GoalIndicator>,
    /// Action plans.
    pub action_plans: Vec<ActionPlan>,
}

/// An indicator of a goal, with its baseline and target.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalIndicator {
    /// Id, unique in the file.
    pub id: String,
    /// Title.
    pub title: String,
    /// The figure judged.
    pub measure: Measure,
    /// The population category.
    pub category: Category,
    /// The baseline, if the rule needs or the plan states one.
    pub baseline: Option<Baseline>,
    /// The target.
    pub target: TargetRule,
    /// The quarters the target applies to.
    pub target_period: QuarterRange,
    /// The indicator as the plan words it.
    pub text: Option<String>,
}

/// The figure an indicator is judged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// A figure of the register panel.
    Register(Indicator),
    /// Young people starting a leisure job (fritidsjob): a count, not collected yet.
    LeisureJobsStarted,
    /// Satisfaction among the companies the jobcentre works with: a percentage, not collected yet.
    CompanySatisfaction,
    /// An operational figure of the jobcentre's own cases (`sager.*`).
    Case(CaseMeasure),
}

/// The unit of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A percentage.
    Percent,
    /// Full-time persons.
    FullTimePersons,
    /// A count of persons.
    Count,
    /// Events per citizen-year (the operational figure of caseworker changes).
    PerCitizenYear,
    /// A number of cases on a day (a stock): printed whole like a count, but judged like a
    /// level (mean over quarters, baselines), never summed over a period.
    Cases,
}

impl Measure {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Register(indicator) => indicator.as_str(),
            Measure::LeisureJobsStarted => "fritidsjob.startet",
            Measure::CompanySatisfaction => "virksomheder.tilfredshed",
            Measure::Case(m) => m.as_str(),
        }
    }

    /// The unit of its values.
    pub fn unit(self) -> Unit {
        match self {
            Measure::Register(indicator) if indicator.is_share() => Unit::Percent,
            Measure::Register(_) => Unit::FullTimePersons,
            Measure::LeisureJobsStarted => Unit::Count,
            Measure::CompanySatisfaction => Unit::Percent,
            Measure::Case(m) => match m.unit() {
                CaseUnit::Share => Unit::Percent,
                CaseUnit::Count => Unit::Count,
                CaseUnit::Stock => Unit::Cases,
                CaseUnit::PerCitizenYear => Unit::PerCitizenYear,
            },
        }
    }

    /// Whether indsats computes this figure yet.
    pub fn is_collected(self) -> bool {
        match self {
            Measure::Register(_) => true,
            Measure::Case(m) => m.is_computed(),
            Measure::LeisureJobsStarted | Measure::CompanySatisfaction => false,
        }
    }

    /// Whether an indicator of this measure may be restricted to `category`: the register's
    /// figures to every category, the operational ones to the age bands, others to none.
    pub fn accepts(self, category: Category) -> bool {
        match self {
            Measure::Register(_) => true,
            Measure::Case(m) => m.accepts(category),
            Measure::LeisureJobsStarted | Measure::CompanySatisfaction => category == Category::Total,
        }
    }
}

impl FromStr for Measure {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "fritidsjob.startet" => Ok(Measure::LeisureJobsStarted),
            "virksomheder.tilfredshed" => Ok(Measure::CompanySatisfaction),
            other if other.starts_with("sager.") => CaseMeasure::parse(other).map(Measure::Case).ok_or(()),
            other => other.parse().map(Measure::Register).map_err(|_| ()),
        }
    }
}

/// A baseline: the figure a target is measured from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    /// The period it was measured in.
    pub period: Period,
    /// The value as printed in the plan; `None`: computed from data.
    pub value: Option<f64>,
}

/// How a value is judged against its target. See `docs/plan-format.md`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TargetRule {
    /// Strictly below the baseline.
    BelowBaseline,
    /// Strictly above the baseline.
    AboveBaseline,
    /// At most the value.
    AtMost(f64),
    /// Strictly below the value.
    Below(f64),
    /// At least the value.
    AtLeast(f64),
    /// Strictly above the value.
    Above(f64),
    /// A change from the baseline by this many percent (negative: a fall).
    ChangeByPercent(f64),
    /// A count over the target period of at least the value.
    CountAtLeast(f64),
}

/// Which way is better for a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Lower values are better.
    Down,
    /// Higher values are better.
    Up,
}

impl TargetRule {
    /// The rule's name in files.
    pub fn name(self) -> &'static str {
        match self {
            TargetRule::BelowBaseline => "below_baseline",
            TargetRule::AboveBaseline => "above_baseline",
            TargetRule::AtMost(_) => "at_most",
            TargetRule::Below(_) => "below",
            TargetRule::AtLeast(_) => "at_least",
            TargetRule::Above(_) => "above",
            TargetRule::ChangeByPercent(_) => "change_by_percent",
            TargetRule::CountAtLeast(_) => "count_at_least",
        }
    }

    /// Whether the rule is measured from a baseline.
    pub fn needs_baseline(self) -> bool {
        matches!(self, TargetRule::BelowBaseline | TargetRule::AboveBaseline | TargetRule::ChangeByPercent(_))
    }

    /// Which way is better.
    pub fn direction(self) -> Direction {
        match self {
            TargetRule::BelowBaseline | TargetRule::AtMost(_) | TargetRule::Below(_) => Direction::Down,
            TargetRule::ChangeByPercent(p) if p < 0.0 => Direction::Down,
            _ => Direction::Up,
        }
    }

    /// The threshold a value is compared with, given the baseline; `None` when the rule
    /// needs a baseline that is missing.
    pub fn threshold(self, baseline: Option<f64>) -> Option<f64> {
        match self {
            TargetRule::BelowBaseline | TargetRule::AboveBaseline => baseline,
            TargetRule::ChangeByPercent(p) => baseline.map(|b| b * (1.0 + p / 100.0)),
            TargetRule::AtMost(t)
            | TargetRule::Below(t)
            | TargetRule::AtLeast(t)
            | TargetRule::Above(t)
            | TargetRule::CountAtLeast(t) => Some(t),
        }
    }

    /// Whether `value` meets the target given the `threshold` from [`TargetRule::threshold`].
    /// Both are compared as the report prints them (see [`Unit::round`]).
    pub fn is_met(self, value: f64, threshold: f64, unit: Unit) -> bool {
        let (v, t) = (unit.round(value), unit.round(threshold));
        match self {
            TargetRule::BelowBaseline | TargetRule::Below(_) => v < t,
            TargetRule::AboveBaseline | TargetRule::Above(_) => v > t,
            TargetRule::AtMost(_) => v <= t,
            TargetRule::AtLeast(_) | TargetRule::CountAtLeast(_) => v >= t,
            TargetRule::ChangeByPercent(p) => {
                if p < 0.0 {
                    v <= t
                } else {
                    v >= t
                }
            }
        }
    }
}

impl Unit {
    /// The decimals the report prints: one for percentages and full-time persons, none for
    /// counts, two for rates per citizen-year (they are mostly below one).
    pub fn decimals(self) -> usize {
        match self {
            Unit::Percent | Unit::FullTimePersons => 1,
            Unit::Count | Unit::Cases => 0,
            Unit::PerCitizenYear => 2,
        }
    }

    /// `value` rounded as printed, so verdicts can be checked by hand from the report.
    pub fn round(self, value: f64) -> f64 {
        let scale = match self.decimals() {
            0 => 1.0,
            1 => 10.0,
            _ => 100.0,
        };
        (value * scale).round() / scale
    }
}

/// An action plan (handleplan) of a goal.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionPlan {
    /// Id, unique in the file.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its actions.
    pub actions: Vec<Action>,
}

/// An action (handling) of an action plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// Id, unique in the file.
    pub id: String,
    /// Title.
    pub title: String,
    /// Who is responsible.
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<NaiveDate>,
    /// Its status as written in the file; the application keeps later changes.
    pub status: ActionStatus,
}

/// How far an action has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionStatus {
    /// Not started.
    NotStarted,
    /// Under way.
    InProgress,
    /// Done.
    Done,
    /// Dropped.
    Dropped,
}

impl ActionStatus {
    /// Every status, in the order of progress.
    pub const ALL: [ActionStatus; 4] =
        [ActionStatus::NotStarted, ActionStatus::InProgress, ActionStatus::Done, ActionStatus::Dropped];

    /// The name used in files and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "not_started",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }
}

impl FromStr for ActionStatus {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActionStatus::ALL.into_iter().find(|a| a.as_str() == s).ok_or(())
    }
}

/// A run of whole quarters, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QuarterRange {
    first: Quarter,
    last: Quarter,
}

impl QuarterRange {
    /// The quarters from `first` to `last`; `None` if `last` is before `first`.
    pub fn new(first: Quarter, last: Quarter) -> Option<Self> {
        (first <= last).then_some(Self { first, last })
    }

    /// The quarters of a year or the one quarter; `None` for a week.
    pub fn of_period(period: Period) -> Option<Self> {
        match period {
            Period::Quarter(q) => Some(Self { first: q, last: q }),
            Period::Year(y) => Some(Self { first: Quarter::new(y, 1).ok()?, last: Quarter::new(y, 4).ok()? }),
            Period::Week(_) => None,
        }
    }

    /// The first quarter.
    pub fn first(self) -> Quarter {
        self.first
    }

    /// The last quarter.
    pub fn last(self) -> Quarter {
        self.last
    }

    /// Whether `q` is in the range.
    pub fn contains(self, q: Quarter) -> bool {
        self.first <= q && q <= self.last
    }

    /// Whether `other` lies wholly inside this range.
    pub fn covers(self, other: QuarterRange) -> bool {
        self.contains(other.first) && self.contains(other.last)
    }

    /// The quarters in order.
    pub fn quarters(self) -> impl Iterator<Item = Quarter> {
        std::iter::successors(Some(self.first), move |q| q.next().filter(|n| *n <= self.last))
    }

    /// The range as one period when it is exactly a year or a quarter.
    pub fn as_period(self) -> Option<Period> {
        if self.first == self.last {
            Some(Period::Quarter(self.first))
        } else if self.first.year() == self.last.year() && self.first.q() == 1 && self.last.q() == 4 {
            Some(Period::Year(self.first.year()))
        } else {
            None
        }
    }

    /// The first day of the first quarter.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.first.year(), 3 * self.first.q() - 2, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the last quarter.
    pub fn last_day(self) -> NaiveDate {
        let (y, m) =
            if self.last.q() == 4 { (self.last.year() + 1, 1) } else { (self.last.year(), 3 * self.last.q() + 1) };
        NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }
}

impl fmt::Display for QuarterRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_period() {
            Some(p) => p.fmt(f),
            None => write!(f, "{}-{}", self.first, self.last),
        }
    }
}

impl PlanDocument {
    /// Every indicator of every goal, with its goal.
    pub fn indicators(&self) -> impl Iterator<Item = (&Goal, &GoalIndicator)> {
        self.goals.iter().flat_map(|g| g.indicators.iter().map(move |i| (g, i)))
    }

    /// Every action of every goal, with its goal.
    pub fn actions(&self) -> impl Iterator<Item = (&Goal, &Action)> {
        self.goals.iter().flat_map(|g| g.action_plans.iter().flat_map(move |p| p.actions.iter().map(move |a| (g, a))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quarter {
        s.parse().unwrap()
    }

    #[test]
    fn exactly_on_the_target() {
        let u = Unit::Percent;
        assert!(!TargetRule::BelowBaseline.is_met(12.6, 12.6, u));
        assert!(TargetRule::BelowBaseline.is_met(12.5, 12.6, u));
        assert!(!TargetRule::AboveBaseline.is_met(3.1, 3.1, u));
        assert!(TargetRule::AtMost(8.0).is_met(8.0, 8.0, u));
        assert!(!TargetRule::Below(8.0).is_met(8.0, 8.0, u));
        assert!(TargetRule::AtLeast(77.0).is_met(77.0, 77.0, u));
        assert!(!TargetRule::Above(77.0).is_met(77.0, 77.0, u));
        assert!(TargetRule::CountAtLeast(100.0).is_met(100.0, 100.0, Unit::Count));
        assert!(!TargetRule::CountAtLeast(100.0).is_met(99.0, 100.0, Unit::Count));
    }

    #[test]
    fn values_are_compared_as_printed() {
        // 12.64 prints as 12,6: it has not fallen below a baseline of 12,6.
        assert!(!TargetRule::BelowBaseline.is_met(12.64, 12.6, Unit::Percent));
        assert!(TargetRule::BelowBaseline.is_met(12.549, 12.6, Unit::Percent));
        assert!(!TargetRule::Below(8.0).is_met(7.96, 8.0, Unit::Percent));
    }

    #[test]
    fn change_by_percent_is_measured_from_the_baseline() {
        let fall = TargetRule::ChangeByPercent(-10.0);
        assert_eq!(fall.direction(), Direction::Down);
        let t = fall.threshold(Some(20.0)).unwrap();
        assert!((t - 18.0).abs() < 1e-9);
        assert!(fall.is_met(18.0, t, Unit::Percent));
        assert!(!fall.is_met(18.1, t, Unit::Percent));
        let rise = TargetRule::ChangeByPercent(5.0);
        assert_eq!(rise.direction(), Direction::Up);
        assert!(rise.is_met(21.0, rise.threshold(Some(20.0)).unwrap(), Unit::Percent));
        assert_eq!(fall.threshold(None), None);
        assert_eq!(TargetRule::BelowBaseline.threshold(None), None);
    }

    #[test]
    fn quarter_ranges() {
        let year = QuarterRange::of_period("2022".parse().unwrap()).unwrap();
        assert_eq!(year.quarters().count(), 4);
        assert_eq!(year.to_string(), "2022");
        assert_eq!(year.first_day(), NaiveDate::from_ymd_opt(2022, 1, 1).unwrap());
        assert_eq!(year.last_day(), NaiveDate::from_ymd_opt(2022, 12, 31).unwrap());
        let two = QuarterRange::new(q("2023Q1"), q("2024Q4")).unwrap();
        assert_eq!(two.quarters().count(), 8);
        assert_eq!(two.to_string(), "2023Q1-2024Q4");
        assert!(!two.covers(year) && two.covers(QuarterRange::of_period("2024".parse().unwrap()).unwrap()));
        let one = QuarterRange::new(q("2022Q3"), q("2022Q3")).unwrap();
        assert_eq!(one.last_day(), NaiveDate::from_ymd_opt(2022, 9, 30).unwrap());
        assert!(QuarterRange::new(q("2022Q3"), q("2022Q2")).is_none());
    }

    #[test]
    fn measures_round_trip() {
        for s in ["andel.langvarige", "fuldtid.kontanthjaelp", "fritidsjob.startet", "virksomheder.tilfredshed"] {
            assert_eq!(s.parse::<Measure>().unwrap().as_str(), s);
        }
        assert!("andel.nothing".parse::<Measure>().is_err());
        assert_eq!("andel.opkvalificering".parse::<Measure>().unwrap().unit(), Unit::Percent);
        assert_eq!("befolkning".parse::<Measure>().unwrap().unit(), Unit::FullTimePersons);
        assert_eq!("sager.tilbud_startet".parse::<Measure>().unwrap().unit(), Unit::Count);
        assert_eq!("sager.sagsbehandlerskift".parse::<Measure>().unwrap().unit(), Unit::PerCitizenYear);
        assert!("sager.samtaler_til_tiden".parse::<Measure>().unwrap().is_collected());
        assert!(!"sager.klager_medhold".parse::<Measure>().unwrap().is_collected());
        assert!("sager.nothing".parse::<Measure>().is_err());
        assert!(Unit::PerCitizenYear.round(0.125).to_bits() == 0.13_f64.to_bits());
    }
}
