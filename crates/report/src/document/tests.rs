use indsats_domain::plan::parse;

use super::*;
use crate::evaluate::Observation;

const PLAN: &str = r#"format = 1
[policy]
title = "Strategi"
vision = "Vision"
[[policy.strategic_goals]]
id = "lige"
title = "Lige muligheder for at lykkes"
[plan]
id = "test-2022"
municipality = 159
title = "Beskæftigelsesplan 2022"
from = "2022Q1"
to = "2022Q4"
[[goals]]
id = "forsoergelse"
kind = "local"
title = "Færre på offentlig forsørgelse"
strategic_goals = ["lige"]
[[goals.indicators]]
id = "off"
title = "Andelen på offentlig forsørgelse"
measure = "andel.offentlig_forsoergelse"
baseline = { period = "2021", value = 12.6 }
target = { rule = "below_baseline" }
[[goals.indicators]]
id = "unge"
title = "Unge 20-29 år"
measure = "andel.offentlig_forsoergelse"
category = "20-29"
target = { rule = "below", value = 8.0 }
[[goals.action_plans]]
id = "hp"
title = "Handleplan"
[[goals.action_plans.actions]]
id = "a1"
title = "Besøg virksomheder"
due = 2022-06-30
[[goals]]
id = "tilfredshed"
kind = "national"
title = "Virksomhederne er tilfredse"
[[goals.indicators]]
id = "tilf"
title = "Tilfredshed"
measure = "virksomheder.tilfredshed"
target = { rule = "at_least", value = 77.0 }
"#;

/// Figures for 159 and the whole country; `hidden` suppresses the 20-29 series.
struct Fake {
    empty: bool,
    hidden: bool,
}

impl Figures for Fake {
    fn series(&self, municipality: u16, _measure: Measure, category: Category) -> Series {
        if self.empty {
            return Series::default();
        }
        let young = category != Category::Total;
        let value = |v: f64| if young && self.hidden { None } else { Some(v) };
        let base = if municipality == 0 {
            15.0
        } else if young {
            7.0
        } else {
            12.0
        };
        let quarters = std::iter::successors("2020Q1".parse::<Quarter>().ok(), |q| q.next())
            .take(12)
            .map(|q| Observation { period: Period::Quarter(q), value: value(base) })
            .collect();
        Series { quarters, years: vec![Observation { period: Period::Year(2022), value: value(base) }] }
    }

    fn similar(&self, _municipality: u16, n: usize) -> Vec<u16> {
        [157, 161, 163, 165, 167].into_iter().take(n).collect()
    }

    fn name(&self, municipality: u16) -> String {
        match municipality {
            0 => "Hele landet".into(),
            159 => "Gladsaxe".into(),
            other => format!("Kommune {other}"),
        }
    }
}

fn q(s: &str) -> Quarter {
    s.parse().unwrap()
}

#[test]
fn every_goal_gets_a_status_value_baseline_and_target() {
    let plan = parse(PLAN).unwrap();
    let mut notes = Annotations { version: Some(3), ..Annotations::default() };
    notes.comments.insert("forsoergelse".into(), "Vi er på rette vej.".into());
    notes.action_status.insert("a1".into(), ActionStatus::Done);
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: false }, &notes).unwrap();
    assert_eq!((r.municipality.as_str(), r.version, r.comparable.len()), ("Gladsaxe", Some(3), SIMILAR));
    assert!(!r.comparable_from_plan);
    let g = &r.goals[0];
    assert_eq!(g.status, Status::Met);
    assert_eq!(g.strategic_goals, ["Lige muligheder for at lykkes"]);
    assert_eq!(g.indicators[0].value, "12,0 %");
    assert_eq!(g.indicators[0].baseline, "12,6 % (2021)");
    assert_eq!(g.indicators[0].target, "under basislinjen i 2022");
    assert_eq!(g.indicators[0].explanation, "Tallet for 2022: 12,0 % er under 12,6 %: opfyldt.");
    assert_eq!(g.indicators[1].target, "under 8,0 % i 2022");
    assert_eq!(g.actions[0].status, ActionStatus::Done);
    assert_eq!(g.comment.as_deref(), Some("Vi er på rette vej."));
    assert_eq!(g.history.len(), 4);
    assert_eq!(g.history[0], (q("2022Q1"), Status::OnTrack));
    let chart = g.indicators[0].chart.as_ref().unwrap();
    assert_eq!(chart.x_labels.len(), 12);
    assert_eq!(chart.x_labels.last().map(String::as_str), Some("2022K4"));
    let labels: Vec<&str> = chart.lines.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["Gladsaxe", "Hele landet", "Sammenlignelige kommuner", "Basislinje", "Mål"]);
    // Not collected: no data, never met; and so is its goal.
    assert_eq!(r.goals[1].status, Status::NoData);
    assert!(r.goals[1].indicators[0].chart.is_none());
}

#[test]
fn suppressed_cells_are_not_shown_or_judged() {
    let plan = parse(PLAN).unwrap();
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: true }, &Annotations::default()).unwrap();
    let young = &r.goals[0].indicators[1];
    assert_eq!((young.verdict.status, young.value.as_str()), (Status::NoData, "–"));
    assert_eq!(young.explanation, "Tallet bygger på færre end 5 personer og vises ikke.");
    assert!(young.chart.as_ref().unwrap().lines[0].values.iter().all(Option::is_none));
    assert_eq!(r.goals[0].status, Status::NoData);
}

#[test]
fn a_quarter_outside_the_plan_or_without_data_is_refused_in_one_sentence() {
    let plan = parse(PLAN).unwrap();
    let err = build(&plan, q("2023Q1"), &Fake { empty: false, hidden: false }, &Annotations::default()).unwrap_err();
    assert_eq!(err.to_string(), "2023K1 ligger uden for planens periode 2022; vælg et kvartal i perioden.");
    let err = build(&plan, q("2022Q4"), &Fake { empty: true, hidden: false }, &Annotations::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Der er ingen registertal for Gladsaxe til og med 2022K4, så målene kan ikke vurderes."
    );
}

#[test]
fn the_html_is_self_contained_and_shows_symbol_and_word() {
    let plan = parse(PLAN).unwrap();
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: false }, &Annotations::default()).unwrap();
    let html = crate::html::render(&r).unwrap();
    assert!(html.contains("✔ Opfyldt") && html.contains("– Ingen data"), "status as symbol plus word");
    assert!(html.contains("12,6 % (2021)") && html.contains("under 8,0 % i 2022"));
    assert_eq!(html.matches("<svg").count(), 2, "one chart per register indicator");
    for external in ["<link", "<script", "src=\"http", "href=\"http"] {
        assert!(!html.contains(external), "nothing fetched: {external}");
    }
}

#[test]
fn the_typst_source_carries_every_chart_and_quotes_all_text() {
    let mut plan = parse(PLAN).unwrap();
    plan.goals[0].title = "Mål med #tegn og \"citat\" [klammer]".into();
    let r = build(&plan, q("2022Q4"), &Fake { empty: false, hidden: false }, &Annotations::default()).unwrap();
    let src = crate::typst_source::render(&r);
    assert_eq!(src.files.len(), 2);
    assert!(src.main.contains(r#""Mål med #tegn og \"citat\" [klammer]""#));
}
