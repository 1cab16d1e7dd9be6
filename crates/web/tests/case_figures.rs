//! HTTP tests of the operational figures: the demo plan's `sager.*` indicators are judged from
//! the cases the database holds, the figure on the plan page and in the report matches a count
//! by hand, cells of 1-4 citizens are hidden from the committee but shown to a caseworker, and
//! the read of the cases is audited. Every test runs on SQLite and on PostgreSQL.

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use chrono::NaiveDate;
use indsats_domain::case::{EducationLevel, OfferKind, TargetGroup};
use indsats_domain::{BenefitGroup, Role, UserId, Username};
use indsats_store::{NewCitizen, NewOffer, Profile};
use support::{TestApp, on_both_databases};

const DEMO_PLAN: &str = include_str!("../../../plans/demo-driftsmaal-2025-26.toml");

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn user_id(app: &TestApp, name: &str) -> UserId {
    app.store().user_by_username(&Username::parse(name).unwrap()).await.unwrap().unwrap().id
}

/// The offers seeded, one citizen each, all starting in 2025Q4: four company-oriented, two not.
const OFFERS: [(OfferKind, &str); 6] = [
    (OfferKind::WorkPlacement, "2025-10-06"),
    (OfferKind::WorkPlacement, "2025-11-03"),
    (OfferKind::WageSubsidy, "2025-11-17"),
    (OfferKind::WorkPlacement, "2025-12-01"),
    (OfferKind::AmuCourse, "2025-10-20"),
    (OfferKind::Mentor, "2025-12-15"),
];

/// Six cases opened in 2025, each with one offer from [`OFFERS`].
async fn seed_cases(app: &TestApp) {
    let caseworker = user_id(app, "sagsbehandler").await;
    for (n, (kind, start)) in OFFERS.iter().enumerate() {
        let new = NewCitizen {
            cpr_lookup: format!("lookup-{n}"),
            cpr_sealed: "v1:x:y".into(),
            birth_date: day("1985-05-05"),
            profile: Profile {
                name: format!("Borger {n}"),
                address: "Tårnvej 3".into(),
                phone: String::new(),
                email: String::new(),
                language: "dansk".into(),
                interpreter: false,
                education: EducationLevel::Vocational,
                wished_occupations: Vec::new(),
            },
            benefit: BenefitGroup::Kontanthjaelp,
            target_group: TargetGroup::KontanthjaelpJobparat,
            course_start: day("2025-09-01"),
            caseworker: Some(caseworker),
            opened_on: day("2025-09-01"),
            created_at: 1,
        };
        let citizen = app.store().create_citizen(&new, caseworker).await.unwrap();
        let start = day(start);
        let offer = NewOffer {
            kind: *kind,
            start,
            end: start + chrono::Duration::weeks(4),
            hours: 37.0,
            place: "Firma".into(),
        };
        app.store().register_offer(citizen, &offer, caseworker).await.unwrap();
    }
}

async fn the_demo_plans_company_oriented_share_is_counted_from_the_cases(app: TestApp) {
    seed_cases(&app).await;
    app.load_plan(DEMO_PLAN).await;
    // By hand: of the six offers started in 2025Q4, those at a company.
    let company = OFFERS.iter().filter(|(k, _)| k.is_company_oriented()).count();
    assert_eq!(company, 4, "placements and wage subsidy are company-oriented; AMU and mentor are not");
    let share = format!("{:.1} %", 100.0 * 4.0 / 6.0).replace('.', ",");
    assert_eq!(share, "66,7 %");

    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let report = committee.get("/plan/demo-driftsmaal-2025-26/rapport.html?kvartal=2025Q4").await;
    assert_eq!(report.status, axum::http::StatusCode::OK, "{}", report.body);
    assert!(report.has_text("Virksomhedsrettede tilbud i procent af startede tilbud"), "{}", report.body);
    assert!(report.has_text(&share), "the share counted from the cases: {}", report.body);
    assert!(report.has_text("sager.virksomhedsrettet_andel"), "the appendix names the measure");
    assert!(report.has_text("Jobcentrets egne sager"), "and defines it: {}", report.body);

    // Three placements of three citizens are a cell the committee may not see.
    let placements = OFFERS.iter().filter(|(k, _)| *k == OfferKind::WorkPlacement).count();
    assert_eq!(placements, 3);
    let goal = "/plan/demo-driftsmaal-2025-26/maal/virksomhedsrettede-tilbud?kvartal=2025Q4";
    let page = committee.get(goal).await;
    assert!(page.has_text(&share), "{}", page.body);
    assert!(page.has_text("færre end 5 personer"), "the placements are hidden: {}", page.body);
    // A caseworker may see small cells: the placements' rolling figure is theirs to read.
    let mut caseworker = app.client();
    caseworker.login(Role::Sagsbehandler).await;
    let page = caseworker.get(goal).await;
    assert!(!page.has_text("færre end 5 personer"), "{}", page.body);

    // The read of the cases is on record, as an aggregate: how many, not whom.
    let entries = app.store().recent_audit(50).await.unwrap();
    let reads: Vec<_> = entries.iter().filter(|e| e.action == "cases.figures").collect();
    assert_eq!(reads.len(), 3, "the report, the committee's goal page and the caseworker's");
    assert!(reads.iter().all(|e| e.detail == r#"{"cases":6}"#));
    let actors: Vec<String> = reads.iter().rev().filter_map(|e| e.actor.as_ref().map(ToString::to_string)).collect();
    assert_eq!(actors, ["udvalg", "udvalg", "sagsbehandler"]);
}

async fn another_municipalitys_plan_gets_no_figures_from_these_cases(app: TestApp) {
    seed_cases(&app).await;
    // The same plan for Gladsaxe: the cases here are the demo municipality's (175), not its.
    let other = DEMO_PLAN
        .replace("municipality = 175", "municipality = 159")
        .replace("id = \"demo-driftsmaal-2025-26\"", "id = \"anden-kommune\"");
    app.load_plan(&other).await;
    let mut leader = app.client();
    leader.login(Role::Leder).await;
    let page = leader.get("/plan/anden-kommune?kvartal=2025Q4").await;
    assert!(!page.has_text("66,7 %"), "{}", page.body);
    let entries = app.store().recent_audit(50).await.unwrap();
    assert!(entries.iter().all(|e| e.action != "cases.figures"), "no case was read");
}

on_both_databases!(
    the_demo_plans_company_oriented_share_is_counted_from_the_cases,
    another_municipalitys_plan_gets_no_figures_from_these_cases,
);
