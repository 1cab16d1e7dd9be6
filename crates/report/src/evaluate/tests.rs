use indsats_domain::indicator::{Category, Indicator, Subject};
use indsats_domain::plan::{Baseline, GoalIndicator, GoalKind, Measure, QuarterRange, TargetRule};

use super::*;

/// A quarter's figure in a test: shown, suppressed or missing.
type Cell = Option<Option<f64>>;

fn q(s: &str) -> Quarter {
    s.parse().unwrap()
}

fn p(s: &str) -> Period {
    s.parse().unwrap()
}

fn indicator(
    measure: Measure,
    baseline: Option<(&str, Option<f64>)>,
    target: TargetRule,
    period: &str,
) -> GoalIndicator {
    GoalIndicator {
        id: "i".into(),
        title: "I".into(),
        measure,
        category: Category::Total,
        baseline: baseline.map(|(period, value)| Baseline { period: p(period), value }),
        target,
        target_period: QuarterRange::of_period(p(period)).unwrap(),
        text: None,
    }
}

fn share() -> Measure {
    Measure::Register(Indicator::Andel(Subject::OffentligForsoergelse))
}

/// Quarterly figures from `2022Q1` on; `Some(None)` is a suppressed figure, `None` a missing one.
fn quarters(first: &str, values: &[Cell]) -> Vec<Observation> {
    std::iter::successors(Some(q(first)), |q| q.next())
        .zip(values)
        .filter_map(|(q, v)| v.map(|value| Observation { period: Period::Quarter(q), value }))
        .collect()
}

fn series(first: &str, values: &[Cell], years: &[(&str, Option<f64>)]) -> Series {
    Series {
        quarters: quarters(first, values),
        years: years.iter().map(|(y, v)| Observation { period: p(y), value: *v }).collect(),
    }
}

const F: fn(f64) -> Cell = |v| Some(Some(v));

#[test]
fn below_baseline_during_and_after_the_year() {
    let ind = indicator(share(), Some(("2021", Some(12.6))), TargetRule::BelowBaseline, "2022");
    let s = series("2022Q1", &[F(12.4), F(13.0), F(12.5), F(12.5)], &[("2022", Some(12.52))]);

    // One quarter in: 12,4 < 12,6.
    let v = evaluate(&ind, q("2022Q1"), &s);
    assert_eq!(v.status, Status::OnTrack);
    assert_eq!(v.basis, Basis::SoFar { used: vec![q("2022Q1")], missing: vec![] });

    // Two quarters: week-weighted mean of 12,4 and 13,0 (13 weeks each) = 12,7: not below.
    let v = evaluate(&ind, q("2022Q2"), &s);
    assert_eq!(v.status, Status::AtRisk, "{v:?}");
    assert_eq!(v.trend, Some(Trend::Worse));

    // After the year: the year's own figure 12,52 -> 12,5 < 12,6.
    let v = evaluate(&ind, q("2022Q4"), &s);
    assert_eq!(v.status, Status::Met);
    assert_eq!(v.value, Some(12.52));
    assert_eq!(v.basis, Basis::Final { period: "2022".into() });
    assert_eq!(v.trend, Some(Trend::Unchanged));
    // A report in a later quarter judges the same period the same way.
    assert_eq!(evaluate(&ind, q("2023Q2"), &s).status, Status::Met);
}

#[test]
fn exactly_on_the_target() {
    let on = series("2022Q1", &[F(8.0), F(8.0), F(8.0), F(8.0)], &[("2022", Some(8.0))]);
    let below = indicator(share(), None, TargetRule::Below(8.0), "2022");
    assert_eq!(evaluate(&below, q("2022Q4"), &on).status, Status::NotMet);
    assert_eq!(evaluate(&below, q("2022Q2"), &on).status, Status::AtRisk);
    let at_most = indicator(share(), None, TargetRule::AtMost(8.0), "2022");
    assert_eq!(evaluate(&at_most, q("2022Q4"), &on).status, Status::Met);
    let baseline = indicator(share(), Some(("2021", Some(8.0))), TargetRule::BelowBaseline, "2022");
    assert_eq!(evaluate(&baseline, q("2022Q4"), &on).status, Status::NotMet);
}

#[test]
fn a_missing_last_quarter_postpones_the_final_verdict() {
    let ind = indicator(share(), Some(("2021", Some(12.6))), TargetRule::BelowBaseline, "2022");
    // 2022Q3 has no figure yet; no year figure either.
    let s = series("2022Q1", &[F(13.0), F(13.0), None, F(13.0)], &[]);
    let v = evaluate(&ind, q("2022Q4"), &s);
    assert_eq!(v.status, Status::AtRisk, "not ikke_opfyldt while a quarter is missing");
    assert_eq!(v.basis, Basis::SoFar { used: vec![q("2022Q1"), q("2022Q2"), q("2022Q4")], missing: vec![q("2022Q3")] });
    // Without any figure for the period: no data, never a verdict.
    let empty = series("2022Q1", &[], &[]);
    assert_eq!(evaluate(&ind, q("2022Q4"), &empty).basis, Basis::NoFigures);
    assert_eq!(evaluate(&ind, q("2022Q4"), &empty).status, Status::NoFigures);
}

#[test]
fn a_suppressed_figure_is_never_judged() {
    let ind = indicator(share(), Some(("2021", Some(12.6))), TargetRule::BelowBaseline, "2022");
    let s = series("2022Q1", &[F(1.0), Some(None), F(1.0), F(1.0)], &[("2022", Some(1.0))]);
    let v = evaluate(&ind, q("2022Q3"), &s);
    assert_eq!((v.status, v.value, &v.basis), (Status::NoFigures, None, &Basis::Suppressed));
    // A suppressed year figure too.
    let s = series("2022Q1", &[F(1.0), F(1.0), F(1.0), F(1.0)], &[("2022", None)]);
    assert_eq!(evaluate(&ind, q("2022Q4"), &s).basis, Basis::Suppressed);
}

#[test]
fn a_baseline_left_out_is_computed_from_data() {
    let ind = indicator(share(), Some(("2021", None)), TargetRule::AboveBaseline, "2022");
    let s = series("2022Q1", &[F(3.4)], &[("2021", Some(3.1))]);
    let v = evaluate(&ind, q("2022Q1"), &s);
    assert_eq!((v.status, v.baseline), (Status::OnTrack, Some(3.1)));
    let without = series("2022Q1", &[F(3.4)], &[]);
    let v = evaluate(&ind, q("2022Q1"), &without);
    assert_eq!((v.status, &v.basis), (Status::NoFigures, &Basis::NoBaseline));
    let hidden = series("2022Q1", &[F(3.4)], &[("2021", None)]);
    assert_eq!(evaluate(&ind, q("2022Q1"), &hidden).basis, Basis::Suppressed);
}

#[test]
fn measures_not_collected_are_not_measured_never_met() {
    let ind = indicator(Measure::CompanySatisfaction, None, TargetRule::AtLeast(77.0), "2022");
    let s = series("2022Q1", &[F(99.0), F(99.0), F(99.0), F(99.0)], &[("2022", Some(99.0))]);
    let v = evaluate(&ind, q("2022Q4"), &s);
    assert_eq!((v.status, &v.basis), (Status::NotMeasured, &Basis::NotCollected));
}

#[test]
fn counts_are_summed_and_judged_pro_rata() {
    let ind = indicator(Measure::LeisureJobsStarted, None, TargetRule::CountAtLeast(100.0), "2022");
    // Not collected today, so judge the rule directly through a register count stand-in:
    let ind = GoalIndicator { measure: Measure::Register(Indicator::Befolkning), ..ind };
    let s = series("2022Q1", &[F(30.0), F(20.0), F(25.0), F(25.0)], &[]);
    let v = evaluate(&ind, q("2022Q2"), &s);
    // 50 after two quarters against 100 x 2/4 = 50: on track, exactly on the pro-rata target.
    assert_eq!((v.status, v.value, v.threshold), (Status::OnTrack, Some(50.0), Some(50.0)));
    let v = evaluate(&ind, q("2022Q4"), &s);
    assert_eq!((v.status, v.value), (Status::Met, Some(100.0)));
    let short = series("2022Q1", &[F(30.0), F(20.0), F(25.0), F(24.0)], &[]);
    assert_eq!(evaluate(&ind, q("2022Q4"), &short).status, Status::NotMet);
}

#[test]
fn before_the_target_period_the_last_four_quarters_decide() {
    let ind = indicator(share(), None, TargetRule::Below(8.0), "2023");
    let s = series("2022Q1", &[F(7.0), F(7.5), F(9.0), F(8.2)], &[]);
    let v = evaluate(&ind, q("2022Q4"), &s);
    let used = vec![q("2022Q1"), q("2022Q2"), q("2022Q3"), q("2022Q4")];
    assert_eq!(v.basis, Basis::Rolling { used });
    // (7,0x13 + 7,5x13 + 9,0x13 + 8,2x13) / 52 = 7,925 -> 7,9 < 8,0.
    assert_eq!(v.status, Status::OnTrack, "{v:?}");
}

#[test]
fn change_by_percent() {
    let ind = indicator(share(), Some(("2021", Some(20.0))), TargetRule::ChangeByPercent(-10.0), "2022");
    let met = series("2022Q1", &[F(18.0), F(18.0), F(18.0), F(18.0)], &[("2022", Some(18.0))]);
    let v = evaluate(&ind, q("2022Q4"), &met);
    assert_eq!((v.status, v.threshold), (Status::Met, Some(18.0)));
    let not = series("2022Q1", &[F(18.0), F(18.0), F(18.0), F(18.0)], &[("2022", Some(18.1))]);
    assert_eq!(evaluate(&ind, q("2022Q4"), &not).status, Status::NotMet);
}

#[test]
fn a_goal_is_as_good_as_its_worst_judged_indicator_and_says_how_many_were_judged() {
    let goal = indsats_domain::plan::Goal {
        id: "g".into(),
        kind: GoalKind::Local,
        title: "G".into(),
        focus_area: None,
        strategic_goals: vec![],
        ambition: None,
        strategy: None,
        activities: vec![],
        indicators: vec![indicator(share(), None, TargetRule::Below(8.0), "2022")],
        action_plans: vec![],
    };
    let v =
        |status| Verdict { status, value: None, baseline: None, threshold: None, trend: None, basis: Basis::NoFigures };
    // Judged on the indicators with a figure; the count says it rests on one of two.
    let partly = [v(Status::OnTrack), v(Status::NotMeasured)];
    assert_eq!((goal_status(&goal, &partly), judged(&partly)), (Status::OnTrack, 1));
    assert_eq!(goal_status(&goal, &[v(Status::Met), v(Status::NoFigures)]), Status::Met);
    assert_eq!(goal_status(&goal, &[v(Status::Met), v(Status::OnTrack)]), Status::OnTrack);
    assert_eq!(goal_status(&goal, &[v(Status::NoFigures), v(Status::AtRisk)]), Status::AtRisk);
    assert_eq!(goal_status(&goal, &[v(Status::Met), v(Status::NotMet)]), Status::NotMet);
    // Nothing judged: "no figures yet" if something is measured, else "not measured".
    let waiting = [v(Status::NoFigures), v(Status::NotMeasured)];
    assert_eq!((goal_status(&goal, &waiting), judged(&waiting)), (Status::NoFigures, 0));
    assert_eq!(goal_status(&goal, &[v(Status::NotMeasured)]), Status::NotMeasured);
    let bare = indsats_domain::plan::Goal { indicators: vec![], ..goal };
    assert_eq!(goal_status(&bare, &[]), Status::NotMeasured);
}
