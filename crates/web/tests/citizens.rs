//! HTTP tests of "Borgere": a caseworker creates and finds cases by CPR number (never in a
//! URL), opens another caseworker's case only with a reason, records conversations and offers,
//! and bad input comes back at its field with nothing saved. Every read is audited. Every test
//! runs on SQLite and on PostgreSQL (see `support`).

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use indsats_domain::case::{EducationLevel, TargetGroup};
use indsats_domain::{BenefitGroup, CitizenId, Role, UserId, Username};
use indsats_store::{NewCitizen, NewUser, Profile};
use support::{Client, Page, TestApp, on_both_databases};

const CPR: &str = "010190-1234";

fn today() -> NaiveDate {
    indsats_app::cases::local_now().date()
}

async fn user_id(app: &TestApp, name: &str) -> UserId {
    app.store().user_by_username(&Username::parse(name).unwrap()).await.unwrap().unwrap().id
}

/// A case stored directly, for `caseworker`, whose course started `weeks` ago.
async fn stored_case(app: &TestApp, lookup: &str, caseworker: UserId, weeks: i64) -> CitizenId {
    let start = today() - Duration::weeks(weeks);
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
        benefit: BenefitGroup::ADagpenge,
        target_group: TargetGroup::Dagpenge,
        course_start: start,
        caseworker: Some(caseworker),
        opened_on: start,
        created_at: 1,
    };
    app.store().create_citizen(&new, caseworker).await.unwrap()
}

async fn new_case_form(client: &mut Client<'_>) -> Page {
    let page = client.get("/borgere/ny").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page
}

async fn last_audit(app: &TestApp) -> (String, String) {
    let e = app.store().recent_audit(1).await.unwrap().remove(0);
    (e.action, e.detail)
}

async fn a_caseworker_creates_a_case_and_finds_it_by_cpr_which_stays_out_of_urls(app: TestApp) {
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let form = new_case_form(&mut client)
        .await
        .form("/borgere/ny")
        .set("cpr", CPR)
        .set("name", "Ida Jensen")
        .set("target_group", "dagpenge")
        .set("benefit", "a_dagpenge");
    let created = client.submit(&form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location().unwrap().to_owned();
    assert!(location.starts_with("/borgere/") && !location.contains("1234") && !location.contains("010190"));
    let page = client.follow(created).await;
    assert!(page.has_text("Sagen er oprettet.") && page.has_text("Ida Jensen"));
    assert!(page.has_text("010190-xxxx"));
    assert!(!page.body.contains("1234"), "the serial is not on the page until asked for");

    let found = client.post_form("/borgere/soeg", &[("cpr", "0101901234")]).await;
    assert_eq!((found.status, found.location()), (StatusCode::SEE_OTHER, Some(location.as_str())));
    assert_eq!(last_audit(&app).await.0, "citizen.search");

    let revealed = client.post_form(&format!("{location}/cpr"), &[]).await;
    assert_eq!(revealed.status, StatusCode::OK);
    assert!(revealed.has_text(CPR));
    let (code, detail) = last_audit(&app).await;
    assert_eq!(code, "citizen.cpr");
    assert!(!detail.contains("1234"), "{detail}");

    // The same number again is the same citizen, not a second case.
    let again = new_case_form(&mut client).await.form("/borgere/ny").set("cpr", "0101901234").set("name", "Ida");
    let again = client.submit(&again).await;
    assert_eq!((again.status, again.location()), (StatusCode::SEE_OTHER, Some(location.as_str())));
    assert_eq!(app.store().count_citizens().await.unwrap(), 1);

    let none = client.post_form("/borgere/soeg", &[("cpr", "020290-1234")]).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert!(none.has_text("Der er ingen sag for det CPR-nummer."));
    let bad = client.post_form("/borgere/soeg", &[("cpr", "12345")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!bad.body.contains("12345"), "the typed number is not echoed");
}

async fn a_refused_new_case_names_every_field_and_saves_nothing(app: TestApp) {
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let tomorrow = (today() + Duration::days(1)).to_string();
    let form = new_case_form(&mut client)
        .await
        .form("/borgere/ny")
        .set("cpr", "310290-1234")
        .set("name", " ")
        .set("occupations", "5223, 52x3")
        .set("address", "Rødovrevej 9")
        .set("course_start", &tomorrow);
    let page = client.submit(&form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    for id in ["f-cpr-error", "f-name-error", "f-occupations-error", "f-course_start-error"] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "no message at {id}");
    }
    assert!(page.has_text("Stillingsbetegnelser skrives som DISCO-08-koder"));
    assert!(page.has_text("Rødovrevej 9"), "what was typed is kept");
    assert!(!page.body.contains("310290"), "the CPR number is not echoed back");
    assert_eq!(app.store().count_citizens().await.unwrap(), 0);
}

async fn holding_a_conversation_books_the_next_in_one_post(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, "h1", me, 10).await;
    let url = format!("/borgere/{}", citizen.0);
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let page = client.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The form comes filled in: held now, the next one proposed. Writing the note and
    // pressing the button are the caseworker's two actions.
    let form = page.form(&format!("{url}/samtale")).set("note", "Søger lager og butik.");
    assert_eq!(form.get("status"), Some("held"));
    let proposed = form.get("next_at").unwrap().to_owned();
    assert!(!proposed.is_empty(), "the next conversation is proposed");
    let saved = client.submit(&form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = client.follow(saved).await;
    assert!(page.has_text("Samtalen er gemt.") && page.has_text("Søger lager og butik."));
    let case = app.store().case_file(citizen, me, None).await.unwrap().unwrap();
    let statuses: Vec<_> = case.conversations.iter().map(|v| v.status.code()).collect();
    assert_eq!(statuses, ["booked", "held"]);
    assert_eq!(case.conversations[0].at.format("%Y-%m-%dT%H:%M").to_string(), proposed);
}

async fn a_booking_in_the_past_and_a_stale_form_keep_what_was_typed(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, "h1", me, 10).await;
    let url = format!("/borgere/{}", citizen.0);
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let yesterday = format!("{}T09:00", today() - Duration::days(1));
    let form = client
        .get(&url)
        .await
        .form(&format!("{url}/samtale"))
        .set("status", "booked")
        .set("at", &yesterday)
        .set("note", "Mit notat");
    let page = client.submit(&form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("id=\"c-at-error\""));
    assert!(page.has_text("En booket samtale skal ligge i fremtiden.") && page.has_text("Mit notat"));
    assert!(app.store().case_file(citizen, me, None).await.unwrap().unwrap().conversations.is_empty());

    // Two open pages record the same booked conversation: the second is refused, its note kept.
    let tomorrow = format!("{}T09:00", today() + Duration::days(1));
    let booked = client.get(&url).await.form(&format!("{url}/samtale")).set("status", "booked").set("at", &tomorrow);
    let booked = booked.set("next_at", "");
    assert_eq!(client.submit(&booked).await.status, StatusCode::SEE_OTHER);
    let page = client.get(&url).await;
    let first = page.form(&format!("{url}/samtale")).set("status", "cancelled").set("next_at", "");
    let second = page.form(&format!("{url}/samtale")).set("note", "Det jeg skrev").set("next_at", "");
    assert_eq!(client.submit(&first).await.status, StatusCode::SEE_OTHER);
    let refused = client.submit(&second).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.has_text("Det jeg skrev") && refused.has_text("En anden har ændret samtalen"));
}

async fn a_work_placement_is_registered_and_a_bad_one_is_refused_at_its_fields(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, "h1", me, 10).await;
    let url = format!("/borgere/{}", citizen.0);
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let start = today().to_string();
    let before = (today() - Duration::days(3)).to_string();
    let bad = client.get(&url).await.form(&format!("{url}/tilbud")).set("end", &before).set("hours", "40");
    let page = client.submit(&bad).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("id=\"o-end-error\"") && page.body.contains("id=\"o-hours-error\""));
    assert!(app.store().case_file(citizen, me, None).await.unwrap().unwrap().offers.is_empty());

    let end = (today() + Duration::weeks(4)).to_string();
    let form = client
        .get(&url)
        .await
        .form(&format!("{url}/tilbud"))
        .set("end", &end)
        .set("place", "Bager Hansen ApS")
        .set("start", &start);
    assert_eq!(form.get("kind"), Some("virksomhedspraktik"));
    let saved = client.submit(&form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = client.follow(saved).await;
    assert!(page.has_text("Tilbuddet er registreret.") && page.has_text("Bager Hansen ApS"));
    assert_eq!(last_audit(&app).await.0, "citizen.view");
}

async fn another_caseworkers_case_needs_a_reason_and_the_refusal_is_audited(app: TestApp) {
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
    let citizen = stored_case(&app, "h1", other, 10).await;
    let url = format!("/borgere/{}", citizen.0);
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let refused = client.get(&url).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.has_text("Sagen tilhører en anden sagsbehandler") && !refused.has_text("Ida Jensen"));
    assert_eq!(last_audit(&app).await, ("citizen.refused".to_owned(), format!(r#"{{"citizen":{}}}"#, citizen.0)));
    let posted = client.post_form(&format!("{url}/tilbud"), &[("kind", "mentor")]).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN, "a write needs the reason too");

    let page = client.get(&format!("{url}?grund=substitute")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has_text("Ida Jensen"));
    let (code, detail) = last_audit(&app).await;
    assert_eq!(
        (code.as_str(), detail),
        ("citizen.view", format!(r#"{{"citizen":{},"reason":"substitute"}}"#, citizen.0))
    );
    assert_eq!(page.form(&format!("{url}/samtale")).get("grund"), Some("substitute"), "the forms carry the reason");

    // A manager reads every case without a reason, and does not work on it.
    let mut leder = app.client();
    leder.login(Role::Leder).await;
    let page = leder.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.has_form(&format!("{url}/samtale")) && !page.has_form(&format!("{url}/cpr")));
    assert_eq!(leder.post_form(&format!("{url}/cpr"), &[]).await.status, StatusCode::FORBIDDEN);
}

async fn roles_that_must_not_see_persons_are_refused(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, "h1", me, 10).await;
    for role in [Role::Udvalg, Role::Admin, Role::Virksomhedskonsulent] {
        let mut client = app.client();
        client.login(role).await;
        for path in ["/borgere".to_owned(), format!("/borgere/{}", citizen.0), "/borgere/ny".to_owned()] {
            let page = client.get(&path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} {path}");
            assert!(!page.has_text("Ida Jensen"));
        }
    }
}

async fn the_worklist_lists_my_cases_most_urgent_first(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let other = user_id(&app, "leder").await;
    let recent = stored_case(&app, "h1", me, 1).await;
    stored_case(&app, "h2", other, 1).await;
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let page = client.get("/borgere").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has_text("Mine borgere"));
    assert_eq!(page.body.matches("Ida Jensen").count(), 1, "only my own case");
    assert!(page.body.contains(&format!("href=\"/borgere/{}\"", recent.0)));
    let (code, detail) = last_audit(&app).await;
    assert_eq!((code.as_str(), detail), ("citizen.worklist", format!(r#"{{"citizens":"{}"}}"#, recent.0)));
}

on_both_databases!(
    a_caseworker_creates_a_case_and_finds_it_by_cpr_which_stays_out_of_urls,
    a_refused_new_case_names_every_field_and_saves_nothing,
    holding_a_conversation_books_the_next_in_one_post,
    a_booking_in_the_past_and_a_stale_form_keep_what_was_typed,
    a_work_placement_is_registered_and_a_bad_one_is_refused_at_its_fields,
    another_caseworkers_case_needs_a_reason_and_the_refusal_is_audited,
    roles_that_must_not_see_persons_are_refused,
    the_worklist_lists_my_cases_most_urgent_first,
);
