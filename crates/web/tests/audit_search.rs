//! HTTP tests of the manager's audit search (issue 12 item 9): by staff user, event, dates and
//! citizen; the citizen by CPR number in a POST form that never puts the number in a URL or
//! back on the page; paginated; the search itself audited. Runs on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use indsats_domain::Role;
use support::{TestApp, on_both_databases};

const CPR: &str = "010190-1234";

async fn a_manager_finds_who_read_a_citizens_case_by_cpr_without_it_in_a_url(app: TestApp) {
    let mut caseworker = app.client();
    caseworker.login(Role::Sagsbehandler).await;
    let page = caseworker.get("/borgere/ny").await;
    let form = page.form("/borgere/ny").set("cpr", CPR).set("name", "Ida Jensen").set("target_group", "dagpenge");
    let created = caseworker.submit(&form).await;
    let case_url = created.location().unwrap().to_owned();
    let citizen: i64 = case_url.rsplit('/').next().unwrap().parse().unwrap();
    caseworker.get(&case_url).await;
    assert_eq!(caseworker.get("/borgere/revisionsspor").await.status, StatusCode::FORBIDDEN);

    let mut leder = app.client();
    leder.login(Role::Leder).await;
    let page = leder.get("/borgere/revisionsspor").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(!page.has_text("Resultater"), "no search before one is asked for");
    let found = leder.post_form("/borgere/revisionsspor", &[("cpr", CPR), ("bruger", "sagsbehandler")]).await;
    assert_eq!(found.status, StatusCode::SEE_OTHER, "{}", found.body);
    let location = found.location().unwrap().to_owned();
    assert!(
        location.contains(&format!("borger={citizen}")) && !location.contains("1234") && !location.contains("010190")
    );
    let results = leder.follow(found).await;
    assert_eq!(results.status, StatusCode::OK);
    assert!(results.has_text("citizen.view") && results.has_text("citizen.create"));
    assert!(!results.body.contains("1234"), "no CPR number on the page");
    let last = app.store().recent_audit(1).await.unwrap().remove(0);
    assert_eq!(last.action, "audit.search");
    assert!(last.detail.contains(&format!("\"citizen\":{citizen}")) && last.detail.contains("\"user\":"));

    // By event kind only.
    let kind = leder.get("/borgere/revisionsspor?haendelse=citizen.create").await;
    assert!(kind.has_text("citizen.create") && !kind.has_text("citizen.view\u{3c}"));

    let bad = leder.post_form("/borgere/revisionsspor", &[("cpr", "12345")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!bad.body.contains("12345") && bad.has_text("CPR-nummeret skal være ti cifre"));
    let bad_date = leder.get("/borgere/revisionsspor?fra=30-11-2026").await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_date.has_text("Skriv datoen som ÅÅÅÅ-MM-DD."));
}

async fn results_come_fifty_a_page(app: TestApp) {
    let mut leder = app.client();
    leder.login(Role::Leder).await;
    // 60 refused logins make 60 rows of one kind.
    for _ in 0..60 {
        app.store().record(&indsats_domain::AuditEvent::LoginFailed, None).await.unwrap();
    }
    let first = leder.get("/borgere/revisionsspor?haendelse=login.failed").await;
    assert_eq!(first.body.matches("<code>login.failed</code>").count(), 50);
    assert!(first.has_text("Næste side"));
    let url = first
        .body
        .split("href=\"")
        .find(|s| s.contains("side=2"))
        .map(|s| s.split('"').next().unwrap().replace("&#38;", "&").replace("&amp;", "&"))
        .unwrap();
    let second = leder.get(&url).await;
    assert_eq!(second.body.matches("<code>login.failed</code>").count(), 10, "{url}");
    assert!(second.has_text("Forrige side") && !second.has_text("Næste side"));
}

on_both_databases!(a_manager_finds_who_read_a_citizens_case_by_cpr_without_it_in_a_url, results_come_fifty_a_page);
