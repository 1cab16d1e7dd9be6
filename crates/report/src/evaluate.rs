//! Goal evaluation: each indicator of a plan judged for a quarter, with the figures and the
//! rule that decided it, so a reader can check the verdict by hand. Pure functions over
//! indicator series; the rules are documented in `docs/plan-format.md` ("Evaluation").

use indsats_domain::plan::{Direction, Goal, GoalIndicator, TargetRule, Unit};
use indsats_domain::{Period, Quarter};

/// One figure of a series. `value: None` means the figure exists but is hidden because too
/// few persons are behind it (the caller applies the disclosure rule for the reader).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// A quarter or a year.
    pub period: Period,
    /// The value, or `None` when suppressed.
    pub value: Option<f64>,
}

/// The series an indicator is judged on, for the plan's municipality.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// Quarterly figures, in order.
    pub quarters: Vec<Observation>,
    /// Yearly figures, in order.
    pub years: Vec<Observation>,
}

impl Series {
    fn find(&self, period: Period) -> Option<Observation> {
        let list = if matches!(period, Period::Year(_)) { &self.years } else { &self.quarters };
        list.iter().find(|o| o.period == period).copied()
    }
}

/// A goal's or an indicator's status for a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    // Order: worst first, so a goal takes the minimum of its judged indicators.
    /// Not met at the end of the target period.
    NotMet,
    /// The figure so far is on the wrong side of the target.
    AtRisk,
    /// Measured, but no figure to judge this quarter ("Ingen tal endnu"): none yet, hidden
    /// because too few persons are behind it, or no baseline in the data.
    NoFigures,
    /// Not measured at all ("Ikke målt"): no indicator, or one whose source indsats does not
    /// collect yet.
    NotMeasured,
    /// The figure so far is on the right side of the target.
    OnTrack,
    /// Met at the end of the target period.
    Met,
}

impl Status {
    /// The identifier used in files, CSS classes and the API (readers see
    /// [`crate::labels::Labels::status`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "opfyldt",
            Status::OnTrack => "paa_vej",
            Status::AtRisk => "i_risiko",
            Status::NotMet => "ikke_opfyldt",
            Status::NoFigures => "ingen_tal",
            Status::NotMeasured => "ikke_maalt",
        }
    }

    /// A symbol that tells the statuses apart without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Met => "✔",
            Status::OnTrack => "↗",
            Status::AtRisk => "⚠",
            Status::NotMet => "×",
            Status::NoFigures => "–",
            Status::NotMeasured => "○",
        }
    }

    /// Whether a figure decided it (met, on track, at risk, not met).
    pub fn is_judged(self) -> bool {
        matches!(self, Status::Met | Status::OnTrack | Status::AtRisk | Status::NotMet)
    }

    /// Every status, best first: the order a summary counts them in.
    pub const ALL: [Status; 6] =
        [Status::Met, Status::OnTrack, Status::AtRisk, Status::NotMet, Status::NoFigures, Status::NotMeasured];
}

/// Which way the figure moved from the quarter before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    /// Moved the right way.
    Better,
    /// Moved the wrong way.
    Worse,
    /// Printed the same.
    Unchanged,
}

/// Why a verdict came out as it did.
#[derive(Debug, Clone, PartialEq)]
pub enum Basis {
    /// The whole target period's figure, after it ended.
    Final {
        /// The period judged.
        period: String,
    },
    /// The target period so far (quarters with figures), while it runs or while figures are late.
    SoFar {
        /// The quarters used.
        used: Vec<Quarter>,
        /// Quarters of the period up to the report quarter without figures.
        missing: Vec<Quarter>,
    },
    /// The four quarters ending with the report quarter, before the target period starts.
    Rolling {
        /// The quarters used.
        used: Vec<Quarter>,
    },
    /// The measure is not collected by indsats yet.
    NotCollected,
    /// The rule needs a baseline and none could be found.
    NoBaseline,
    /// Figures exist but cover fewer than 5 persons, so they may not be shown.
    Suppressed,
    /// No figures for the period.
    NoFigures,
    /// The goal has no indicator to judge it by.
    NoIndicator,
}

/// The verdict on one indicator for one quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The status.
    pub status: Status,
    /// The figure judged (a count summed so far for counts).
    pub value: Option<f64>,
    /// The baseline value used, if any.
    pub baseline: Option<f64>,
    /// The threshold the value was compared with (pro rata for counts during the period).
    pub threshold: Option<f64>,
    /// The change from the quarter before.
    pub trend: Option<Trend>,
    /// What decided it.
    pub basis: Basis,
}

impl Verdict {
    /// No verdict: [`Status::NotMeasured`] when nothing measures the indicator, otherwise
    /// [`Status::NoFigures`].
    fn no_data(basis: Basis, baseline: Option<f64>, threshold: Option<f64>) -> Self {
        let status = match basis {
            Basis::NotCollected | Basis::NoIndicator => Status::NotMeasured,
            _ => Status::NoFigures,
        };
        Self { status, value: None, baseline, threshold, trend: None, basis }
    }
}

/// Judges `indicator` as of `quarter` from its `series`.
///
/// The rules (also in `docs/plan-format.md`):
/// - a measure not collected yet gives `ikke_maalt`; a missing baseline, a suppressed figure or
///   no figure gives `ingen_tal`;
/// - once the target period has ended and every quarter of it has a figure, the period's figure
///   decides `opfyldt` or `ikke_opfyldt` (the year's own figure when the period is a year);
/// - while it runs, or while its last figures are missing, the quarters so far decide `på_vej` or
///   `i_risiko` (their week-weighted mean; for counts their sum against the target pro rata);
/// - before it starts, the four quarters up to the report quarter decide `på_vej` or `i_risiko`.
#[expect(clippy::too_many_lines, reason = "the rules above in the order the doc lists them, each a few lines")]
pub fn evaluate(indicator: &GoalIndicator, quarter: Quarter, series: &Series) -> Verdict {
    let unit = indicator.measure.unit();
    let rule = indicator.target;
    if !indicator.measure.is_collected() {
        return Verdict::no_data(Basis::NotCollected, indicator.baseline.and_then(|b| b.value), rule.threshold(None));
    }
    let baseline = match indicator.baseline {
        Some(b) => match b.value {
            Some(v) => Some(v),
            None => match series.find(b.period) {
                Some(Observation { value: Some(v), .. }) => Some(v),
                Some(Observation { value: None, .. }) if rule.needs_baseline() => {
                    return Verdict::no_data(Basis::Suppressed, None, None);
                }
                _ if rule.needs_baseline() => return Verdict::no_data(Basis::NoBaseline, None, None),
                _ => None,
            },
        },
        None => None,
    };
    let Some(threshold) = rule.threshold(baseline) else {
        return Verdict::no_data(Basis::NoBaseline, baseline, None);
    };
    let period = indicator.target_period;
    let trend = trend(series, quarter, rule.direction(), unit);
    let judge = |value: f64, threshold: f64| rule.is_met(value, threshold, unit);

    if quarter < period.first() {
        let used: Vec<Quarter> = std::iter::successors(Some(quarter), |q| q.prev()).take(4).collect();
        return match collect(series, &used) {
            Collected::Suppressed => Verdict::no_data(Basis::Suppressed, baseline, Some(threshold)),
            Collected::Values(values) if values.is_empty() => {
                Verdict::no_data(Basis::NoFigures, baseline, Some(threshold))
            }
            Collected::Values(values) => {
                let used: Vec<Quarter> = values.iter().map(|(q, _)| *q).rev().collect();
                let (value, threshold) = so_far(rule, &values, threshold, 4);
                let status = if judge(value, threshold) { Status::OnTrack } else { Status::AtRisk };
                Verdict {
                    status,
                    value: Some(value),
                    baseline,
                    threshold: Some(threshold),
                    trend,
                    basis: Basis::Rolling { used },
                }
            }
        };
    }

    let elapsed: Vec<Quarter> = period.quarters().filter(|q| *q <= quarter).collect();
    let values = match collect(series, &elapsed) {
        Collected::Suppressed => return Verdict::no_data(Basis::Suppressed, baseline, Some(threshold)),
        Collected::Values(values) => values,
    };
    if values.is_empty() {
        return Verdict::no_data(Basis::NoFigures, baseline, Some(threshold));
    }
    let total = period.quarters().count();
    if values.len() == total {
        // The whole period has figures: the final verdict. A year's own figure is exact where
        // the mean of its quarters is only close (the population changes during the year).
        let own = period.as_period().filter(|p| matches!(p, Period::Year(_))).and_then(|p| series.find(p));
        let value = match (own, rule) {
            (_, TargetRule::CountAtLeast(_)) => values.iter().map(|(_, v)| v).sum(),
            (Some(Observation { value: Some(v), .. }), _) => v,
            (Some(Observation { value: None, .. }), _) => {
                return Verdict::no_data(Basis::Suppressed, baseline, Some(threshold));
            }
            (None, _) => weighted_mean(&values),
        };
        let status = if judge(value, threshold) { Status::Met } else { Status::NotMet };
        return Verdict {
            status,
            value: Some(value),
            baseline,
            threshold: Some(threshold),
            trend,
            basis: Basis::Final { period: period.to_string() },
        };
    }
    let used: Vec<Quarter> = values.iter().map(|(q, _)| *q).collect();
    let missing: Vec<Quarter> = elapsed.iter().filter(|q| !used.contains(q)).copied().collect();
    let (value, threshold) = so_far(rule, &values, threshold, total);
    let status = if judge(value, threshold) { Status::OnTrack } else { Status::AtRisk };
    Verdict {
        status,
        value: Some(value),
        baseline,
        threshold: Some(threshold),
        trend,
        basis: Basis::SoFar { used, missing },
    }
}

/// A goal's status: the worst of its judged indicators' (those a figure decided). A goal
/// none of whose indicators was judged is "no figures yet" when one of them is measured, and
/// "not measured" when none is (or it has none). The report prints beside the status how many
/// indicators it rests on ([`judged`]), so a goal judged on some of its indicators says so.
pub fn goal_status(goal: &Goal, verdicts: &[Verdict]) -> Status {
    if goal.indicators.is_empty() {
        return Status::NotMeasured;
    }
    let statuses = || verdicts.iter().map(|v| v.status);
    statuses().filter(|s| s.is_judged()).min().unwrap_or_else(|| {
        if statuses().any(|s| s == Status::NoFigures) { Status::NoFigures } else { Status::NotMeasured }
    })
}

/// How many of the verdicts a figure decided.
pub fn judged(verdicts: &[Verdict]) -> usize {
    verdicts.iter().filter(|v| v.status.is_judged()).count()
}

enum Collected {
    /// Quarters with a figure, in the order asked.
    Values(Vec<(Quarter, f64)>),
    /// At least one quarter's figure is suppressed: nothing built on it may be shown.
    Suppressed,
}

fn collect(series: &Series, quarters: &[Quarter]) -> Collected {
    let mut values = Vec::new();
    for q in quarters {
        match series.find(Period::Quarter(*q)) {
            Some(Observation { value: Some(v), .. }) => values.push((*q, v)),
            Some(Observation { value: None, .. }) => return Collected::Suppressed,
            None => {}
        }
    }
    Collected::Values(values)
}

/// The value so far and the threshold to compare it with: a count's sum against the target
/// pro rata for the quarters that have figures; otherwise the week-weighted mean.
fn so_far(rule: TargetRule, values: &[(Quarter, f64)], threshold: f64, total_quarters: usize) -> (f64, f64) {
    if matches!(rule, TargetRule::CountAtLeast(_)) {
        let sum = values.iter().map(|(_, v)| v).sum();
        #[expect(clippy::cast_precision_loss, reason = "a handful of quarters")]
        let share = values.len() as f64 / total_quarters as f64;
        (sum, threshold * share)
    } else {
        (weighted_mean(values), threshold)
    }
}

fn weighted_mean(values: &[(Quarter, f64)]) -> f64 {
    let (sum, weeks) = values.iter().fold((0.0, 0.0), |(s, w), (q, v)| {
        let weeks = f64::from(Period::Quarter(*q).weeks());
        (s + v * weeks, w + weeks)
    });
    if weeks > 0.0 { sum / weeks } else { 0.0 }
}

fn trend(series: &Series, quarter: Quarter, direction: Direction, unit: Unit) -> Option<Trend> {
    let now = series.find(Period::Quarter(quarter))?.value?;
    let before = series.find(Period::Quarter(quarter.prev()?))?.value?;
    let (now, before) = (unit.round(now), unit.round(before));
    #[expect(clippy::float_cmp, reason = "both are rounded to what the report prints")]
    let same = now == before;
    Some(if same {
        Trend::Unchanged
    } else if (now < before) == (direction == Direction::Down) {
        Trend::Better
    } else {
        Trend::Worse
    })
}

#[cfg(test)]
mod tests;
