//! HTTP tests of the worklist's groups (issue 12 item 6): a caseworker's open cases fall in
//! Overskredet, Denne uge and Næste uge by the earliest of the rules' deadline, the offer
//! ending and the coherent plan's review date; and the case page counts caseworker changes.
//! Every test runs on SQLite and on PostgreSQL (see `support`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use indsats_domain::case::{EducationLevel, OfferKind, TargetGroup};
use indsats_domain::citizen_plan::{Department, Effort, EffortStatus, PlanContent, PlanGoal};
use indsats_domain::{BenefitGroup, CitizenId, Role, UserId, Username};
use indsats_store::{NewCitizen, NewOffer, Profile};
use support::{Page, TestApp, on_both_databases};

fn today() -> NaiveDate {
    indsats_app::cases::local_now().date()
}

async fn user_id(app: &TestApp, name: &str) -> UserId {
    app.store().user_by_username(&Username::parse(name).unwrap()).await.unwrap().unwrap().id
}

/// A dagpenge case named `name` whose course started `days` ago.
async fn case(app: &TestApp, name: &str, caseworker: UserId, days: i64) -> CitizenId {
    let start = today() - Duration::days(days);
    let new = NewCitizen {
        cpr_lookup: format!("lookup-{name}"),
        cpr_sealed: "v1:x:y".into(),
        birth_date: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
        profile: Profile {
            name: name.into(),
            address: String::new(),
            phone: String::new(),
            email: String::new(),
            language: "dansk".into(),
            interpreter: false,
            education: EducationLevel::Vocational,
            wished_occupations: Vec::new(),
        },
        benefit: BenefitGroup::ADagpenge,
        target_group: TargetGroup::Dagpenge,
        course_start: start,
        caseworker: Some(caseworker),
        opened_on: start,
        created_at: 1,
    };
    app.store().create_citizen(&new, caseworker).await.unwrap()
}

/// The rows of one group's table on the worklist page.
fn group<'a>(page: &'a Page, id: &str) -> &'a str {
    let marker = format!("data-group=\"{id}\"");
    let Some(start) = page.body.find(&marker) else { return "" };
    let rest = &page.body[start..];
    &rest[..rest.find("</table>").unwrap()]
}

async fn cases_fall_in_overdue_this_week_and_next_week_by_their_earliest_date(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    // A dagpenge course well into its first half-year without a conversation is overdue.
    case(&app, "Anna Overskredet", me, 200).await;
    // A course started today owes the municipality nothing for weeks, so the offer ending
    // today and the plan review in a week decide.
    let offer = case(&app, "Bo Tilbud", me, 0).await;
    let new_offer = NewOffer {
        kind: OfferKind::WorkPlacement,
        start: today(),
        end: today(),
        hours: 37.0,
        place: "Bageriet".into(),
    };
    app.store().register_offer(offer, &new_offer, me).await.unwrap();
    let plan = case(&app, "Cia Plan", me, 0).await;
    let content = PlanContent {
        goals: vec![PlanGoal { text: "Job i detailhandlen".into(), sub_goals: Vec::new() }],
        efforts: vec![Effort {
            department: Department::Health,
            what: "Forløb hos fysioterapeut".into(),
            responsible: "Sundhedscenteret".into(),
            status: EffortStatus::Running,
            review: Some(today() + Duration::days(7)),
        }],
    };
    app.store().save_citizen_plan(plan, 0, &content, me).await.unwrap();

    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let page = client.get("/borgere").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.has_text("Overskredet (1)") && page.has_text("Denne uge (1)") && page.has_text("Næste uge (1)"));
    assert!(group(&page, "worklist-overdue").contains("Anna Overskredet"));
    let this_week = group(&page, "worklist-this-week");
    assert!(this_week.contains("Bo Tilbud") && this_week.contains(&today().format("%d.%m.%Y").to_string()));
    let next_week = group(&page, "worklist-next-week");
    let review = (today() + Duration::days(7)).format("%d.%m.%Y").to_string();
    assert!(next_week.contains("Cia Plan") && next_week.contains(&review), "{next_week}");
    // The overdue group comes first on the page.
    assert!(page.body.find("Anna Overskredet") < page.body.find("Bo Tilbud"));
    let audit = app.store().recent_audit(1).await.unwrap().remove(0);
    assert_eq!(audit.action, "citizen.worklist");
}

async fn an_empty_week_says_so_and_a_case_with_nothing_due_is_listed_apart(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    // Sygedagpenge-like quiet: a course started today has its first municipal deadline later.
    case(&app, "Dan Senere", me, 0).await;
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let page = client.get("/borgere").await;
    assert!(page.has_text("Overskredet (0)") && page.has_text("Ingen borgere."));
    assert!(page.has_text("Dan Senere"));
    assert!(group(&page, "worklist-overdue").is_empty(), "an empty group has no table");
}

async fn the_case_page_lists_caseworkers_and_counts_the_changes(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = case(&app, "Eva Skift", me, 30).await;
    assert_eq!(citizen.0, 1, "the SQL below names the first citizen");
    app.execute_sql(
        "INSERT INTO caseworker_history (citizen_id, user_id, from_date, set_by, set_at) \
         SELECT 1, id, '2099-01-01', id, 2 FROM users WHERE username = 'leder'",
    )
    .await;
    app.execute_sql(
        "INSERT INTO caseworker_history (citizen_id, user_id, from_date, set_by, set_at) \
         SELECT 1, id, '2099-02-01', id, 3 FROM users WHERE username = 'sagsbehandler'",
    )
    .await;
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let page = client.get(&format!("/borgere/{}", citizen.0)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.has_text("Sagsbehandlerskift: 2"), "sagsbehandler, leder, sagsbehandler: two changes");
    assert!(page.has_text("01.02.2099"));
}

on_both_databases!(
    cases_fall_in_overdue_this_week_and_next_week_by_their_earliest_date,
    an_empty_week_says_so_and_a_case_with_nothing_due_is_listed_apart,
    the_case_page_lists_caseworkers_and_counts_the_changes,
);
