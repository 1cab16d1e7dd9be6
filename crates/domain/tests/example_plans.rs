//! The example plans in `plans/` read clean and hold every goal, indicator, baseline and target
//! of the seed documents (counts from the documents, listed in `plans/README.md`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use indsats_domain::plan::{GoalKind, PlanDocument, TargetRule, parse};

fn read(name: &str) -> PlanDocument {
    let path = format!("{}/../../plans/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("plan file");
    parse(&text).unwrap_or_else(|p| panic!("{name}: {p:#?}"))
}

/// (strategic goals, national goals, local goals, indicators, baselines, activities)
fn counts(plan: &PlanDocument) -> (usize, usize, usize, usize, usize, usize) {
    let kind = |k| plan.goals.iter().filter(|g| g.kind == k).count();
    (
        plan.policy.strategic_goals.len(),
        kind(GoalKind::National),
        kind(GoalKind::Local),
        plan.indicators().count(),
        plan.indicators().filter(|(_, i)| i.baseline.is_some()).count(),
        plan.goals.iter().map(|g| g.activities.len()).sum(),
    )
}

#[test]
fn roedovre_policy_and_plan_2023_24() {
    let plan = read("roedovre-2023-24.toml");
    assert_eq!(counts(&plan), (4, 5, 2, 0, 0, 32));
    assert_eq!(plan.plan.municipality.get(), 175);
}

#[test]
fn gladsaxe_plan_2022_with_its_eight_indicators_as_printed() {
    let plan = read("gladsaxe-2022.toml");
    assert_eq!(counts(&plan), (2, 5, 2, 8, 5, 18));
    let printed: Vec<(f64, TargetRule)> =
        plan.indicators().filter_map(|(_, i)| Some((i.baseline?.value?, i.target))).collect();
    assert_eq!(
        printed,
        [
            (3.1, TargetRule::AboveBaseline),
            (6.7, TargetRule::AboveBaseline),
            (12.6, TargetRule::BelowBaseline),
            (18.2, TargetRule::BelowBaseline),
            (8.1, TargetRule::BelowBaseline),
        ]
    );
    let fixed: Vec<TargetRule> =
        plan.indicators().filter(|(_, i)| i.baseline.is_none()).map(|(_, i)| i.target).collect();
    assert_eq!(fixed, [TargetRule::CountAtLeast(100.0), TargetRule::AtLeast(77.0), TargetRule::Below(8.0)]);
}

#[test]
fn odense_three_focus_areas_and_their_goals() {
    let plan = read("odense-rummelige-arbejdsmarked.toml");
    assert_eq!(counts(&plan), (3, 0, 7, 0, 0, 0));
    for s in &plan.policy.strategic_goals {
        assert!(plan.goals.iter().any(|g| g.strategic_goals.contains(&s.id)), "{} has goals", s.id);
    }
}

#[test]
fn the_demo_plan_judges_the_demo_municipality_on_operational_figures() {
    let plan = read("demo-driftsmaal-2025-26.toml");
    assert_eq!(plan.plan.municipality.get(), 175, "the demo's municipality, whose cases the demo seeds");
    assert!(plan.indicators().all(|(_, i)| matches!(i.measure, indsats_domain::plan::Measure::Case(_))));
    let uncollected: Vec<&str> =
        plan.indicators().filter(|(_, i)| !i.measure.is_collected()).map(|(_, i)| i.measure.as_str()).collect();
    assert_eq!(uncollected, ["sager.fritaget_andel"], "the one hook, shown as not measured");
}
