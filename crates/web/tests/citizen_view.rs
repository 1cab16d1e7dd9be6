//! The citizen's own page ("Min side", role `borger`): only their own case, every staff page
//! refused, the plan, the coming conversation and duties in plain Danish, and the log of the
//! staff who read the case.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use indsats_domain::Role;
use support::{PASSWORD, TestApp, on_both_databases};

/// Every staff page a citizen might try (`/api/v1/me`, which shows the caller their own
/// account, is open to every logged-in user), with a case's pages for their own case and another's.
fn staff_pages(own: i64, other: i64) -> Vec<String> {
    let mut pages: Vec<String> = [
        "/overblik",
        "/overblik/eksport.csv",
        "/plan",
        "/rapporter",
        "/borgere",
        "/borgere/ny",
        "/borgere/regler",
        "/virksomheder",
        "/match",
        "/administration",
        "/api/v1/users",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    for id in [own, other] {
        pages.push(format!("/borgere/{id}"));
        pages.push(format!("/borgere/{id}/plan"));
        pages.push(format!("/borgere/{id}/plan/historik"));
    }
    pages
}

async fn a_citizen_sees_their_own_page_and_is_refused_every_staff_page(app: TestApp) {
    let own = app.citizen_with_login("sagsbehandler").await;
    let mut citizen = app.client();
    let login = citizen.login_with("borger", PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let home = citizen.get("/").await;
    assert_eq!(home.location(), Some("/min-side"), "a citizen's front page is their own page");
    let page = citizen.get("/min-side").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for heading in ["Din plan", "Dine kommende samtaler", "Det skal du", "Dine muligheder", "Hvem har set min sag"] {
        assert!(page.has_text(heading), "{heading}: {}", page.body);
    }
    assert!(page.has_text("Praktik i en virksomhed"), "the options in plain words");
    assert!(page.has_text("Ingen medarbejdere har set din sag endnu."), "{}", page.body);
    assert!(!page.body.contains("0101901234") && !page.body.contains("010190-"), "no CPR number on the page");
    assert!(page.body.contains(">Min side<"), "the navigation offers the citizen's page only");
    assert!(!page.body.contains(">Overblik<"));

    // Someone else's case.
    let worker = app
        .store()
        .user_by_username(&indsats_domain::Username::parse("sagsbehandler").unwrap())
        .await
        .unwrap()
        .unwrap();
    let today = indsats_app::cases::local_now().date();
    let new = indsats_store::NewCitizen {
        cpr_lookup: "another".into(),
        cpr_sealed: "v1:x:y".into(),
        birth_date: chrono::NaiveDate::from_ymd_opt(1980, 2, 2).unwrap(),
        profile: indsats_store::Profile {
            name: "Ole Anden".into(),
            address: String::new(),
            phone: String::new(),
            email: String::new(),
            language: "dansk".into(),
            interpreter: false,
            education: indsats_domain::case::EducationLevel::Vocational,
            wished_occupations: Vec::new(),
        },
        benefit: indsats_domain::BenefitGroup::ADagpenge,
        target_group: indsats_domain::case::TargetGroup::Dagpenge,
        course_start: today,
        caseworker: Some(worker.id),
        opened_on: today,
        created_at: 1,
    };
    let other = app.store().create_citizen(&new, worker.id).await.unwrap().0;
    for path in staff_pages(own.0, other) {
        let refused = citizen.get(&path).await;
        assert!(
            refused.status == StatusCode::FORBIDDEN || refused.status == StatusCode::UNAUTHORIZED,
            "{path}: {} {}",
            refused.status,
            refused.body
        );
        assert!(refused.location().is_none(), "{path}: a refusal is never a redirect");
    }
    // And nothing a citizen may post.
    let post = citizen.post_form(&format!("/borgere/{}/samtale", own.0), &[("kind", "job")]).await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);

    // Staff never reach the citizen's page.
    for role in Role::STAFF {
        let mut staff = app.client();
        staff.login(role).await;
        assert_eq!(staff.get("/min-side").await.status, StatusCode::FORBIDDEN, "{role}");
    }
}

async fn the_access_log_lists_a_caseworkers_earlier_read_and_the_citizens_read_is_audited(app: TestApp) {
    let own = app.citizen_with_login("sagsbehandler").await;
    let mut worker = app.client();
    worker.login(Role::Sagsbehandler).await;
    assert_eq!(worker.get(&format!("/borgere/{}", own.0)).await.status, StatusCode::OK);

    let mut citizen = app.client();
    citizen.login_with("borger", PASSWORD).await;
    let page = citizen.get("/min-side").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.has_text("Ingen medarbejdere har set din sag endnu."), "{}", page.body);
    assert!(page.body.contains("id=\"own-reads\""), "{}", page.body);
    assert!(page.has_text("Demo sagsbehandler (Sagsbehandler)"), "who: {}", page.body);
    assert!(page.has_text("Åbnede din sag"), "what: {}", page.body);

    // The citizen's own read is on record, by the citizen's account, and is not listed as a
    // staff read.
    let log = app.store().recent_audit(10).await.unwrap();
    assert!(
        log.iter().any(|e| e.action == "citizen.view"
            && e.actor.as_ref().map(indsats_domain::Username::as_str) == Some("borger")
            && e.detail == format!(r#"{{"citizen":{}}}"#, own.0)),
        "{log:?}"
    );
    let reads = app.store().case_reads(own).await.unwrap();
    assert_eq!(reads.len(), 1, "one staff read: {reads:?}");
    assert!(reads.iter().all(|r| r.role != Role::Borger));
}

async fn a_citizen_account_is_not_made_through_the_admin_form(app: TestApp) {
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let page = admin.get("/administration").await;
    assert!(!page.body.contains("value=\"borger\""), "the role is not offered");
    let posted = admin
        .post_form(
            "/administration/brugere",
            &[("username", "ny.borger"), ("display_name", "Ny"), ("role", "borger"), ("password", PASSWORD)],
        )
        .await;
    assert_ne!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    assert!(
        app.store().user_by_username(&indsats_domain::Username::parse("ny.borger").unwrap()).await.unwrap().is_none()
    );
}

on_both_databases!(
    a_citizen_sees_their_own_page_and_is_refused_every_staff_page,
    the_access_log_lists_a_caseworkers_earlier_read_and_the_citizens_read_is_audited,
    a_citizen_account_is_not_made_through_the_admin_form,
);
