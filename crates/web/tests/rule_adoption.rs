//! HTTP tests of rule adoption (issue 12 item 2): the expected 2027 rules are listed as not
//! adopted and ignored; an administrator adopts them (audited), and the obligations a case
//! page computes for deadlines in 2027 then come from them. Runs on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use chrono::NaiveDate;
use indsats_domain::case::{EducationLevel, TargetGroup};
use indsats_domain::{BenefitGroup, Role, Username};
use indsats_store::{NewCitizen, Profile};
use support::{TestApp, on_both_databases};

async fn adopting_the_2027_rules_changes_a_courses_obligations_in_2027(app: TestApp) {
    let me = app.store().user_by_username(&Username::parse("sagsbehandler").unwrap()).await.unwrap().unwrap().id;
    let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let new = NewCitizen {
        cpr_lookup: "h1".into(),
        cpr_sealed: "v1:x:y".into(),
        birth_date: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
        profile: Profile {
            name: "Ida".into(),
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
        caseworker: Some(me),
        opened_on: start,
        created_at: 1,
    };
    let citizen = app.store().create_citizen(&new, me).await.unwrap();
    let case_url = format!("/borgere/{}", citizen.0);
    let mut caseworker = app.client();
    caseworker.login(Role::Sagsbehandler).await;
    let before = caseworker.get(&case_url).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.has_text("lov1750-2026-07.toml") && !before.has_text("reform-2027.toml"));

    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let page = admin.get("/administration/regler").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.has_text("Ikke vedtaget") && page.has_text("reform-2027.toml"));
    let adopted = admin.post_form("/administration/regler/vedtag", &[("regime", "reform-2027")]).await;
    assert_eq!(adopted.status, StatusCode::SEE_OTHER);
    let page = admin.follow(adopted).await;
    assert!(page.has_text("Regelfilen er vedtaget") && page.has_text("Vedtaget af admin"));
    let audit = app.store().recent_audit(1).await.unwrap().remove(0);
    assert_eq!((audit.action.as_str(), audit.detail.as_str()), ("rules.adopt", r#"{"regime":"reform-2027"}"#));
    let unknown = admin.post_form("/administration/regler/vedtag", &[("regime", "lab-1999")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

    let after = caseworker.get(&case_url).await;
    assert!(after.has_text("reform-2027.toml"), "deadlines from 2027 are judged under the adopted rules");
    assert_eq!(caseworker.get("/administration/regler").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        caseworker.post_form("/administration/regler/vedtag", &[("regime", "reform-2027")]).await.status,
        StatusCode::FORBIDDEN
    );
}

on_both_databases!(adopting_the_2027_rules_changes_a_courses_obligations_in_2027);
