//! HTTP tests of the portfolio rules' exemptions (issue 12 item 2): a caseworker exempts a
//! citizen with a reason (required, at the field), within the 25 % quota (a grant past it is
//! refused with the reason kept), and ends it; the manager's quota view warns when a pool is
//! over. Every test runs on SQLite and on PostgreSQL (see `support`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use chrono::NaiveDate;
use indsats_domain::case::{EducationLevel, TargetGroup};
use indsats_domain::{BenefitGroup, CitizenId, Role, UserId, Username};
use indsats_store::{NewCitizen, Profile};
use support::{TestApp, on_both_databases};

async fn user_id(app: &TestApp, name: &str) -> UserId {
    app.store().user_by_username(&Username::parse(name).unwrap()).await.unwrap().unwrap().id
}

async fn case(app: &TestApp, name: &str, group: TargetGroup, caseworker: UserId) -> CitizenId {
    let start = NaiveDate::from_ymd_opt(2026, 8, 3).unwrap();
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
        target_group: group,
        course_start: start,
        caseworker: Some(caseworker),
        opened_on: start,
        created_at: 1,
    };
    app.store().create_citizen(&new, caseworker).await.unwrap()
}

async fn a_reasoned_exemption_is_granted_within_the_quota_and_ended(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let mut ids = Vec::new();
    for name in ["Ane", "Bent", "Carl", "Dora"] {
        ids.push(case(&app, name, TargetGroup::Dagpenge, me).await);
    }
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let url = format!("/borgere/{}/fritagelse", ids[0].0);
    let page = client.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.has_text("0 af 4 fritaget (højst 1)"));

    let empty = client.submit(&page.form(&url).set("reason", "  ")).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.has_text("Skal udfyldes.") && empty.body.contains("aria-invalid=\"true\""));
    let cpr = client.submit(&page.form(&url).set("reason", "Se 010190-1234")).await;
    assert_eq!(cpr.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.store().exemption_counts().await.unwrap().iter().all(|c| c.exempted == 0), "nothing saved");

    let granted = client.submit(&page.form(&url).set("reason", "Indlagt til operation i december")).await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
    let page = client.follow(granted).await;
    assert!(page.has_text("Borgeren er fritaget.") && page.has_text("Indlagt til operation i december"));
    assert!(page.has_text("1 af 4 fritaget (højst 1)") && page.has_text("Gælder"));
    let audit = app.store().recent_audit(2).await.unwrap();
    assert_eq!(audit[1].action, "citizen.exemption.grant");
    assert!(!audit[1].detail.contains("operation"), "the reason stays out of the log");

    // The quota is full: a second grant is refused at the field, the reason kept.
    let other = format!("/borgere/{}/fritagelse", ids[1].0);
    let form = client.get(&other).await.form(&other).set("reason", "Passer syg ægtefælle");
    let refused = client.submit(&form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has_text("Kvoten er brugt") && refused.has_text("Passer syg ægtefælle"));

    // Ending the first frees the place.
    let page = client.get(&url).await;
    let end = page.form(&format!("{url}/afslut"));
    let ended = client.submit(&end).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert!(client.follow(ended).await.has_text("Fritagelsen er afsluttet."));
    let again = client.submit(&end).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "an ended exemption cannot end twice");
    assert_eq!(client.submit(&form).await.status, StatusCode::SEE_OTHER);
}

async fn a_group_outside_the_portfolio_rules_cannot_be_exempted(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let sick = case(&app, "Syg", TargetGroup::Sygedagpenge, me).await;
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let url = format!("/borgere/{}/fritagelse", sick.0);
    let page = client.get(&url).await;
    assert!(page.has_text("Målgruppen er ikke omfattet af 75 %-reglerne."));
    assert!(!page.has_form(&url), "no grant form for a group without minimums to exempt from");
    let posted = client.post_form(&url, &[("reason", "Forsøg")]).await;
    assert_eq!(posted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(posted.has_text("er ikke omfattet af 75 %-reglerne, så der er intet at fritage fra"));
}

async fn the_manager_sees_the_quota_per_group_and_a_warning_when_over(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let mut ids = Vec::new();
    for name in ["Ane", "Bent", "Carl", "Dora"] {
        ids.push(case(&app, name, TargetGroup::Dagpenge, me).await);
    }
    let mut caseworker = app.client();
    caseworker.login(Role::Sagsbehandler).await;
    let url = format!("/borgere/{}/fritagelse", ids[0].0);
    caseworker.get(&url).await;
    assert_eq!(caseworker.post_form(&url, &[("reason", "Indlagt")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(caseworker.get("/borgere/fritagelser").await.status, StatusCode::FORBIDDEN);

    let mut leder = app.client();
    leder.login(Role::Leder).await;
    let page = leder.get("/borgere/fritagelser").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.has_text("Inden for kvoten") && !page.has_text("Advarsel"));
    assert!(!page.has_text("Ane"), "counts only, no names");
    // A case closes: 1 of 3 is more than 25 %.
    app.execute_sql("UPDATE citizens SET closed_on = '2026-11-01' WHERE id = 4").await;
    let page = leder.get("/borgere/fritagelser").await;
    assert!(page.has_text("Advarsel: mere end 25 % er fritaget.") && page.has_text("Over kvoten"));
    assert_eq!(leder.post_form(&url, &[("reason", "Leder")]).await.status, StatusCode::FORBIDDEN);
}

on_both_databases!(
    a_reasoned_exemption_is_granted_within_the_quota_and_ended,
    a_group_outside_the_portfolio_rules_cannot_be_exempted,
    the_manager_sees_the_quota_per_group_and_a_warning_when_over,
);
