//! HTTP tests of "Rapporter": a manager (leder) makes the quarterly report for a committee
//! meeting, which is archived as it was made; a manager approves it once; everyone who sees
//! reports downloads it byte for byte, also after a new plan version. Every test runs on
//! SQLite and on PostgreSQL (see `support`).

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::{StatusCode, header};
use indsats_domain::Role;
use indsats_store::{ArchivedReport, Store};
use sha2::{Digest, Sha256};
use support::{Client, Page, TestApp, on_both_databases};

/// Gladsaxe's plan 2022, one of the example plans.
const GLADSAXE: &str = include_str!("../../../plans/gladsaxe-2022.toml");
const PLAN: &str = "gladsaxe-2022";
const TITLE: &str = "Beskæftigelsesplan 2022";

/// The archive form as a manager fills it in.
fn fields(plan: &str, quarter: &str, committee: &str, date: &str) -> Vec<(&'static str, String)> {
    vec![
        ("plan_id", plan.to_owned()),
        ("kvartal", quarter.to_owned()),
        ("udvalg", committee.to_owned()),
        ("moededato", date.to_owned()),
    ]
}

/// The archive form for Gladsaxe's report for 2022Q4.
fn meeting(date: &str) -> Vec<(&'static str, String)> {
    fields(PLAN, "2022Q4", "Beskæftigelsesudvalget", date)
}

/// Opens the reports page, as the user does before the form, and posts the archive form.
async fn make_report(client: &mut Client<'_>, fields: &[(&str, String)]) -> Page {
    client.get("/rapporter").await;
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.post_form("/rapporter/arkiv", &fields).await
}

async fn archived(store: &dyn Store) -> Vec<ArchivedReport> {
    store.archived_reports().await.unwrap()
}

async fn audit_count(store: &dyn Store, code: &str) -> usize {
    store.recent_audit(1000).await.unwrap().iter().filter(|e| e.action == code).count()
}

fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Gladsaxe's plan loaded and its 2022Q4 report archived by the manager; returns it.
async fn one_archived(app: &TestApp, leder: &mut Client<'_>) -> ArchivedReport {
    app.load_plan(GLADSAXE).await;
    leder.login(Role::Leder).await;
    let made = make_report(leder, &meeting("2023-02-14")).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(made.location(), Some("/rapporter"));
    let mut all = archived(app.store()).await;
    assert_eq!(all.len(), 1);
    all.remove(0)
}

async fn an_archived_report_downloads_byte_identical_after_a_new_plan_version(app: TestApp) {
    let mut leder = app.client();
    let report = one_archived(&app, &mut leder).await;
    let page = leder.get("/rapporter").await;
    assert!(page.has_text("Rapporten for 2022K4 til Beskæftigelsesudvalget er lavet og arkiveret."), "{}", page.body);
    assert!(page.has_text("Kladde"), "{}", page.body);
    assert!(page.body.contains(&report.html_sha256), "the page shows the hash");
    assert_eq!((report.plan_version, report.committee.as_str()), (1, "Beskæftigelsesudvalget"));
    assert_eq!(report.dataset_version.as_deref(), Some("2022Q4"));
    assert_eq!(report.made_by.as_ref().map(ToString::to_string).as_deref(), Some("leder"));
    assert_eq!(audit_count(app.store(), "report.archive").await, 1);

    let url = format!("/rapporter/arkiv/{}/rapport.html", report.id);
    let (status, headers, first) = leder.get_bytes(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(headers[header::ETAG].to_str().unwrap(), format!("\"{}\"", report.html_sha256));
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"maalopfyldelse-gladsaxe-2022-2022Q4"), "{disposition}");
    assert_eq!(sha256_hex(&first), report.html_sha256);
    let html = String::from_utf8(first.clone()).unwrap();
    assert!(html.contains(TITLE), "the archived document is the report");
    assert!(html.contains("Beskæftigelsesudvalget") && html.contains("14.02.2023"), "the meeting is on its first page");

    // A new plan version with another title; the live report follows it, the archive does not.
    let renamed =
        GLADSAXE.replacen(&format!("title = \"{TITLE}\""), "title = \"Beskæftigelsesplan 2022, revideret\"", 1);
    assert_ne!(renamed, GLADSAXE);
    assert_eq!(app.load_plan(&renamed).await, 2);
    let live = leder.get(&format!("/plan/{PLAN}/rapport.html?kvartal=2022Q4")).await;
    assert!(live.has_text("Beskæftigelsesplan 2022, revideret"), "{}", live.body);
    let (status, headers, again) = leder.get_bytes(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, first, "byte-identical after a new plan version");
    assert_eq!(headers[header::ETAG].to_str().unwrap(), format!("\"{}\"", report.html_sha256));

    // The committee reads the archive and downloads the same bytes.
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let list = committee.get("/rapporter").await;
    assert!(list.body.contains(&url.replace('&', "&#38;")), "{}", list.body);
    assert!(!list.has_form(&format!("/rapporter/arkiv/{}/godkend", report.id)), "only a manager approves");
    assert!(!list.has_form("/rapporter/arkiv"), "only a manager makes reports");
    let (status, _, theirs) = committee.get_bytes(&url).await;
    assert_eq!((status, theirs), (StatusCode::OK, first));

    // Without the `pdf` feature no PDF was made; with it, the PDF is kept the same way.
    assert_eq!(report.pdf_sha256.is_some(), cfg!(feature = "pdf"));
    let (status, headers, pdf) = leder.get_bytes(&format!("/rapporter/arkiv/{}/rapport.pdf", report.id)).await;
    match &report.pdf_sha256 {
        Some(hash) => {
            assert_eq!(status, StatusCode::OK);
            assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
            assert_eq!(&sha256_hex(&pdf), hash);
            assert!(pdf.starts_with(b"%PDF-"));
        }
        None => assert_eq!(status, StatusCode::NOT_FOUND),
    }
    let (status, _, _) = leder.get_bytes("/rapporter/arkiv/999/rapport.html").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_leader_approves_once_and_a_second_approval_changes_nothing(app: TestApp) {
    let mut leder = app.client();
    let report = one_archived(&app, &mut leder).await;
    let approve = format!("/rapporter/arkiv/{}/godkend", report.id);
    let page = leder.get("/rapporter").await;
    let approved = leder.submit(&page.form(&approve)).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let page = leder.follow(approved).await;
    assert!(page.has_text("Rapporten for 2022K4 til Beskæftigelsesudvalget er godkendt."), "{}", page.body);
    assert!(page.has_text("Godkendt"), "{}", page.body);
    assert!(!page.has_form(&approve), "an approved report offers no second approval");
    let first = app.store().archived_report(report.id).await.unwrap().unwrap();
    let approval = first.approval.clone().unwrap();
    assert_eq!(approval.by.map(|u| u.to_string()).as_deref(), Some("leder"));

    // A second approval (an old page, a second tab) is refused in Danish; nothing changes.
    let again = leder.post_form(&approve, &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.has_text("Rapporten er allerede godkendt."), "{}", again.body);
    assert_eq!(app.store().archived_report(report.id).await.unwrap(), Some(first));
    assert_eq!(audit_count(app.store(), "report.approve").await, 1);

    let unknown = leder.post_form("/rapporter/arkiv/999/godkend", &[]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn only_a_leader_makes_or_approves_a_report(app: TestApp) {
    let mut leder = app.client();
    let report = one_archived(&app, &mut leder).await;
    let approve = format!("/rapporter/arkiv/{}/godkend", report.id);
    for role in [Role::Udvalg, Role::Admin, Role::Sagsbehandler] {
        let mut other = app.client();
        other.login(role).await;
        other.get("/rapporter").await;
        let refused = other.post_form(&approve, &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}: {}", refused.body);
        assert!(refused.has_text("godkende en arkiveret rapport til udvalgsmødet"), "{role}: {}", refused.body);
        let refused = make_report(&mut other, &meeting("2023-03-01")).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}: {}", refused.body);
        assert!(refused.has_text("lave kvartalsrapporten til et udvalgsmøde"), "{role}: {}", refused.body);
    }
    let kept = app.store().archived_report(report.id).await.unwrap().unwrap();
    assert_eq!(kept.approval, None);
    assert_eq!(archived(app.store()).await.len(), 1);
    assert_eq!(audit_count(app.store(), "report.approve").await, 0);
}

async fn a_meeting_before_the_quarter_ends_and_other_bad_input_store_nothing(app: TestApp) {
    app.load_plan(GLADSAXE).await;
    let mut leder = app.client();
    leder.login(Role::Leder).await;

    let early = make_report(&mut leder, &meeting("2022-12-31")).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    assert!(
        early.has_text("Mødedatoen ligger før 2022K4 er slut. Vælg 01.01.2023 eller senere; intet er gemt."),
        "{}",
        early.body
    );
    let form = early.form("/rapporter/arkiv");
    assert_eq!(form.get("moededato"), Some("2022-12-31"), "the form keeps what was typed");
    assert_eq!(form.get("udvalg"), Some("Beskæftigelsesudvalget"));

    let blank = fields(PLAN, "2022Q4", "   ", "2023-02-14");
    let refused = make_report(&mut leder, &blank).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has_text("Skriv udvalgets navn."), "{}", refused.body);

    let refused = make_report(&mut leder, &meeting("14.02.2023")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has_text("Skriv mødedatoen som en dato"), "{}", refused.body);

    let outside = fields(PLAN, "2023Q1", "Beskæftigelsesudvalget", "2023-05-01");
    let refused = make_report(&mut leder, &outside).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);

    let unknown = fields("ingen-plan", "2022Q4", "Beskæftigelsesudvalget", "2023-02-14");
    let refused = make_report(&mut leder, &unknown).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.has_text("Vælg en indlæst plan."), "{}", refused.body);

    assert!(archived(app.store()).await.is_empty(), "nothing was archived");
    assert_eq!(audit_count(app.store(), "report.archive").await, 0);

    // The first day after the quarter is a valid meeting day.
    let made = make_report(&mut leder, &meeting("2023-01-01")).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
}

// The report judges Gladsaxe's goals, so it needs figures for 2021 (the baselines) and 2022.
on_both_databases!(
    register: crate::support::small_register(2021, 2022);
    an_archived_report_downloads_byte_identical_after_a_new_plan_version,
    a_leader_approves_once_and_a_second_approval_changes_nothing,
    only_a_leader_makes_or_approves_a_report,
    a_meeting_before_the_quarter_ends_and_other_bad_input_store_nothing,
);
