//! HTTP tests of the coherent plan: a caseworker writes goals and efforts, every save is a
//! version kept in the history, a refused save keeps what was typed at its fields, two
//! caseworkers saving from the same page lose nothing, and another caseworker's citizen needs
//! a reason. Every read is audited. Every test runs on SQLite and on PostgreSQL.

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use indsats_domain::case::{EducationLevel, TargetGroup};
use indsats_domain::{BenefitGroup, CitizenId, Role, UserId, Username};
use indsats_store::{NewCitizen, NewUser, Profile};
use support::{TestApp, on_both_databases};

fn today() -> NaiveDate {
    indsats_app::cases::local_now().date()
}

async fn user_id(app: &TestApp, name: &str) -> UserId {
    app.store().user_by_username(&Username::parse(name).unwrap()).await.unwrap().unwrap().id
}

/// A case stored directly, for `caseworker`.
async fn stored_case(app: &TestApp, lookup: &str, caseworker: UserId) -> CitizenId {
    let start = today() - Duration::weeks(4);
    let new = NewCitizen {
        cpr_lookup: lookup.into(),
        cpr_sealed: "v1:x:y".into(),
        birth_date: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
        profile: Profile {
            name: "Ida Jensen".into(),
            address: "Tårnvej 3".into(),
            phone: String::new(),
            email: String::new(),
            language: "dansk".into(),
            interpreter: false,
            education: EducationLevel::Vocational,
            wished_occupations: Vec::new(),
        },
        benefit: BenefitGroup::Kontanthjaelp,
        target_group: TargetGroup::KontanthjaelpAktivitetsparat,
        course_start: start,
        caseworker: Some(caseworker),
        opened_on: start,
        created_at: 1,
    };
    app.store().create_citizen(&new, caseworker).await.unwrap()
}

async fn last_audit(app: &TestApp) -> (String, String) {
    let e = app.store().recent_audit(1).await.unwrap().remove(0);
    (e.action, e.detail)
}

async fn a_plan_is_written_saved_as_versions_and_listed_in_the_history(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, "h1", me).await;
    let url = format!("/borgere/{}/plan", citizen.0);
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let case = client.get(&format!("/borgere/{}", citizen.0)).await;
    assert!(case.body.contains(&format!("href=\"{url}\"")), "the case page links to the plan");

    let page = client.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.has_text("Der er ingen plan endnu.") && page.has_text("Planen deles med borgeren"));
    assert_eq!(last_audit(&app).await, ("citizen.plan.view".to_owned(), format!(r#"{{"citizen":{}}}"#, citizen.0)));
    let review = (today() + Duration::weeks(6)).to_string();
    let form = page
        .form(&url)
        .set("goal_0", "Jeg vil arbejde i et køkken")
        .set("subgoals_0", "Tage hygiejnebevis\n\nPraktik i en kantine\n")
        .set("goal_1", "Få styr på min økonomi")
        .set("effort_1_what", "Virksomhedspraktik")
        .set("effort_1_responsible", "Jobkonsulent Anna")
        .set("effort_1_status", "running")
        .set("effort_1_review", &review)
        .set("effort_2_what", "Gældsrådgivning")
        .set("effort_2_department", "social")
        .set("effort_2_responsible", "Socialrådgiver")
        .set("effort_2_status", "done");
    assert_eq!(form.get("revision"), Some("0"));
    let saved = client.submit(&form).await;
    assert_eq!((saved.status, saved.location()), (StatusCode::SEE_OTHER, Some(url.as_str())), "{}", saved.body);
    let page = client.follow(saved).await;
    assert!(page.has_text("Planen er gemt.") && page.has_text("Jeg vil arbejde i et køkken"));
    assert!(
        page.has_text("Praktik i en kantine") && page.has_text("Gældsrådgivning") && page.has_text("Socialområdet")
    );
    let form = page.form(&url);
    assert_eq!(form.get("revision"), Some("1"));
    assert_eq!(form.get("effort_0_what"), Some("Virksomhedspraktik"), "kept rows close up, blank ones are dropped");
    assert_eq!(form.get("subgoals_0"), Some("Tage hygiejnebevis\nPraktik i en kantine"));
    assert_eq!(form.get("effort_4_what"), Some(""), "three empty rows to add an effort");

    let saved = client.submit(&form.set("goal_1", "Få styr på økonomien")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        last_audit(&app).await,
        ("citizen.plan.save".to_owned(), format!(r#"{{"citizen":{},"revision":2}}"#, citizen.0))
    );
    let history = client.get(&format!("{url}/historik")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.has_text("Version 2") && history.has_text("Version 1"));
    assert!(
        history.has_text("Få styr på min økonomi") && history.has_text("Få styr på økonomien"),
        "both versions kept"
    );
    assert_eq!(last_audit(&app).await.1, format!(r#"{{"citizen":{},"versions":"all"}}"#, citizen.0));
}

async fn a_refused_save_keeps_the_typed_text_at_its_fields_and_saves_nothing(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, "h1", me).await;
    let url = format!("/borgere/{}/plan", citizen.0);
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let form = client
        .get(&url)
        .await
        .form(&url)
        .set("subgoals_0", "Et delmål uden mål")
        .set("effort_0_what", "Mentor")
        .set("effort_0_responsible", "Mentor 010190-1234")
        .set("effort_0_status", "planned")
        .set("effort_1_what", "Træning")
        .set("effort_1_responsible", "Fysioterapeut")
        .set("effort_1_review", "31.12.2026")
        .set("effort_1_department", "bogus");
    let page = client.submit(&form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    for id in [
        "p-goal_0-error",
        "p-effort_0_responsible-error",
        "p-effort_0_review-error",
        "p-effort_1_review-error",
        "p-effort_1_department-error",
    ] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "no message at {id}:\n{}", page.body);
    }
    assert!(
        page.has_text("Et delmål uden mål") && page.has_text("Træning") && page.has_text("31.12.2026"),
        "typed text kept"
    );
    assert!(app.store().citizen_plan_history(citizen, me, None).await.unwrap().is_empty(), "nothing saved");
}

async fn two_caseworkers_saving_the_same_plan_lose_nothing(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, "h1", me).await;
    let url = format!("/borgere/{}/plan", citizen.0);
    let mut first = app.client();
    first.login(Role::Sagsbehandler).await;
    let mut second = app.client();
    second.login(Role::Sagsbehandler).await;
    let mine = first.get(&url).await.form(&url).set("goal_0", "Det første jeg skrev");
    let theirs = second.get(&url).await.form(&url).set("goal_0", "Det andet jeg skrev");
    assert_eq!(first.submit(&mine).await.status, StatusCode::SEE_OTHER);
    let refused = second.submit(&theirs).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.has_text("Planen er ændret af sagsbehandler"), "{}", refused.body);
    assert!(refused.has_text("Det første jeg skrev"), "the saved plan is shown");
    let again = refused.form(&url);
    assert_eq!(again.get("goal_0"), Some("Det andet jeg skrev"), "their own text stays in the form");
    assert_eq!(again.get("revision"), Some("1"), "saving again is a deliberate save over the version now seen");
    let history = app.store().citizen_plan_history(citizen, me, None).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(second.submit(&again).await.status, StatusCode::SEE_OTHER);
    let history = app.store().citizen_plan_history(citizen, me, None).await.unwrap();
    let goals: Vec<&str> = history.iter().map(|v| v.content.goals[0].text.as_str()).collect();
    assert_eq!(goals, ["Det andet jeg skrev", "Det første jeg skrev"], "both versions kept");
}

async fn another_caseworkers_citizen_needs_a_reason_and_a_manager_only_reads(app: TestApp) {
    let other = app
        .store()
        .create_user(
            &NewUser {
                username: Username::parse("kollega").unwrap(),
                display_name: "Kollega".into(),
                role: Role::Sagsbehandler,
                password_hash: "!".into(),
            },
            None,
        )
        .await
        .unwrap();
    let citizen = stored_case(&app, "h1", other).await;
    let url = format!("/borgere/{}/plan", citizen.0);
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let refused = client.get(&url).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.has_text("Sagen tilhører en anden sagsbehandler") && !refused.has_text("Ida Jensen"));
    assert_eq!(last_audit(&app).await, ("citizen.refused".to_owned(), format!(r#"{{"citizen":{}}}"#, citizen.0)));
    let posted = client.post_form(&url, &[("revision", "0"), ("goal_0", "Mål")]).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN, "a save needs the reason too");
    assert_eq!(client.get(&format!("{url}/historik")).await.status, StatusCode::FORBIDDEN);

    let page = client.get(&format!("{url}?grund=substitute")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(last_audit(&app).await.1, format!(r#"{{"citizen":{},"reason":"substitute"}}"#, citizen.0));
    let form = page.form(&url);
    assert_eq!(form.get("grund"), Some("substitute"), "the form carries the reason");
    let saved = client.submit(&form.set("goal_0", "Et mål")).await;
    assert_eq!(
        (saved.status, saved.location()),
        (StatusCode::SEE_OTHER, Some(format!("{url}?grund=substitute").as_str()))
    );

    let mut leder = app.client();
    leder.login(Role::Leder).await;
    let page = leder.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has_text("Et mål") && !page.has_form(&url), "a manager reads the plan and does not edit it");
    let posted = leder.post_form(&url, &[("revision", "1"), ("goal_0", "Ledelsens mål")]).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    for role in [Role::Udvalg, Role::Admin, Role::Virksomhedskonsulent] {
        let mut c = app.client();
        c.login(role).await;
        let page = c.get(&url).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        assert!(!page.has_text("Et mål"));
    }
}

on_both_databases!(
    a_plan_is_written_saved_as_versions_and_listed_in_the_history,
    a_refused_save_keeps_the_typed_text_at_its_fields_and_saves_nothing,
    two_caseworkers_saving_the_same_plan_lose_nothing,
    another_caseworkers_citizen_needs_a_reason_and_a_manager_only_reads,
);
