//! HTTP tests of decisions and complaints: a caseworker makes a decision on the case page,
//! records the complaint and Ankestyrelsen's outcome, and gets the letter (audited as a read of
//! the citizen's data); bad input comes back at its field with nothing saved; the managers see
//! the outcomes by legal basis and quarter; roles that must not see persons are refused. Every
//! test runs on SQLite and on PostgreSQL (see `support`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use indsats_domain::case::{EducationLevel, TargetGroup};
use indsats_domain::{BenefitGroup, CitizenId, Role, UserId, Username};
use indsats_store::{NewCitizen, Profile};
use support::{TestApp, on_both_databases};

fn today() -> NaiveDate {
    indsats_app::cases::local_now().date()
}

async fn user_id(app: &TestApp, name: &str) -> UserId {
    app.store().user_by_username(&Username::parse(name).unwrap()).await.unwrap().unwrap().id
}

async fn stored_case(app: &TestApp, caseworker: UserId) -> CitizenId {
    let start = today() - Duration::weeks(10);
    let new = NewCitizen {
        cpr_lookup: "h1".into(),
        cpr_sealed: "v1:x:y".into(),
        birth_date: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
        profile: Profile {
            name: "Ida Jensen".into(),
            address: "Tårnvej 3, 2610 Rødovre".into(),
            phone: String::new(),
            email: String::new(),
            language: "dansk".into(),
            interpreter: false,
            education: EducationLevel::Vocational,
            wished_occupations: Vec::new(),
        },
        benefit: BenefitGroup::Kontanthjaelp,
        target_group: TargetGroup::KontanthjaelpJobparat,
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

async fn decision_count(app: &TestApp, citizen: CitizenId, me: UserId) -> usize {
    app.store().case_file(citizen, me, None).await.unwrap().unwrap().decisions.len()
}

async fn a_caseworker_makes_a_decision_and_follows_the_complaint_to_its_outcome(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, me).await;
    let url = format!("/borgere/{}", citizen.0);
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let page = client.get(&url).await;
    assert!(page.has_text("Afgørelser") && page.has_text("Der er ingen afgørelser på sagen."));
    let form = page
        .form(&format!("{url}/afgoerelser"))
        .set("legal_basis", "las_13")
        .set("subject", "Nedsættelse af kontanthjælp")
        .set("explanation", "Du kom ikke til samtalen, og du har ikke givet en rimelig grund.")
        .set("decided_on", &today().to_string())
        .set("sent_on", "");
    let saved = client.submit(&form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = client.follow(saved).await;
    assert!(page.has_text("Afgørelsen er gemt.") && page.has_text("Nedsættelse af kontanthjælp"));
    assert!(page.has_text("Lov om aktiv socialpolitik § 13") && page.has_text("Ikke sendt"));
    let decision = app.store().case_file(citizen, me, None).await.unwrap().unwrap().decisions[0].id;
    let step = |what: &str| format!("{url}/afgoerelser/{}/{what}", decision.0);

    // Not sent yet: the complaint is refused at its field, and only "sent" is offered.
    assert!(page.has_form(&step("sendt")) && !page.has_form(&step("klage")));
    let early = client.post_form(&step("klage"), &[("lodged_on", &today().to_string())]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    assert!(early.has_text("Der kan først klages over afgørelsen, når den er sendt."));

    let sent = client.submit(&page.form(&step("sendt"))).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = client.follow(sent).await;
    assert!(page.has_text("Afsendelsen er registreret.") && page.has_text("klagefrist"));
    let lodged = client.submit(&page.form(&step("klage"))).await;
    assert_eq!(lodged.status, StatusCode::SEE_OTHER, "{}", lodged.body);
    let page = client.follow(lodged).await;
    assert!(page.has_text("afventer Ankestyrelsen"));
    let decided = client.submit(&page.form(&step("udfald")).set("outcome", "changed")).await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let page = client.follow(decided).await;
    assert!(page.has_text("Ændret af Ankestyrelsen"));
    assert!(!page.has_form(&step("udfald")), "an outcome is registered once");
    let again = client.post_form(&step("udfald"), &[("outcome", "upheld"), ("outcome_on", &today().to_string())]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.has_text("Det er allerede registreret."));

    let codes: Vec<String> = app.store().recent_audit(20).await.unwrap().into_iter().map(|e| e.action).collect();
    for code in ["case.decision", "case.decision_sent", "case.appeal", "case.appeal_outcome"] {
        assert!(codes.iter().any(|c| c == code), "{code} missing from {codes:?}");
    }
}

async fn a_refused_decision_names_its_fields_and_saves_nothing(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, me).await;
    let url = format!("/borgere/{}", citizen.0);
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let page = client.get(&url).await;
    let tomorrow = (today() + Duration::days(1)).to_string();
    let yesterday = (today() - Duration::days(1)).to_string();
    let form = page
        .form(&format!("{url}/afgoerelser"))
        .set("legal_basis", "las_13")
        .set("subject", " ")
        .set("explanation", "Jf. 010190-1234 har du ikke ret.")
        .set("decided_on", &today().to_string())
        .set("sent_on", &yesterday);
    let refused = client.submit(&form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    for id in ["d-subject-error", "d-explanation-error", "d-sent_on-error"] {
        assert!(refused.body.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(refused.has_text("Afgørelsen kan ikke være sendt, før den er truffet."));
    assert!(refused.has_text("Teksten må ikke indeholde et CPR-nummer."));
    assert_eq!(refused.form(&format!("{url}/afgoerelser")).get("legal_basis"), Some("las_13"), "kept as chosen");
    let bad = client
        .post_form(
            &format!("{url}/afgoerelser"),
            &[
                ("legal_basis", "paragraf_99"),
                ("subject", "Afslag"),
                ("explanation", "Fordi."),
                ("decided_on", &tomorrow),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"d-legal_basis-error\""));
    assert_eq!(decision_count(&app, citizen, me).await, 0, "nothing saved");
}

async fn the_letter_is_an_audited_read_and_says_so_without_pdf(app: TestApp) {
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, me).await;
    let mut client = app.client();
    client.login(Role::Sagsbehandler).await;
    let url = format!("/borgere/{}", citizen.0);
    let page = client.get(&url).await;
    let form = page
        .form(&format!("{url}/afgoerelser"))
        .set("legal_basis", "sdl_7")
        .set("subject", "Afslag på sygedagpenge")
        .set("explanation", "Du er ikke uarbejdsdygtig.")
        .set("sent_on", &today().to_string());
    assert_eq!(client.submit(&form).await.status, StatusCode::SEE_OTHER);
    let decision = app.store().case_file(citizen, me, None).await.unwrap().unwrap().decisions[0].id;
    let letter = format!("/borgere/afgoerelser/{}/brev.pdf", decision.0);
    assert!(client.get(&url).await.body.contains(&format!("href=\"{letter}\"")), "the case page links the letter");
    let (status, headers, bytes) = client.get_bytes(&letter).await;
    #[cfg(feature = "pdf")]
    {
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers.get("content-type").unwrap(), "application/pdf");
        assert!(bytes.starts_with(b"%PDF"));
        let (code, detail) = last_audit(&app).await;
        assert_eq!(
            (code.as_str(), detail),
            ("case.letter", format!(r#"{{"citizen":{},"decision":{}}}"#, citizen.0, decision.0))
        );
    }
    #[cfg(not(feature = "pdf"))]
    {
        assert_eq!(status, StatusCode::NOT_IMPLEMENTED);
        let _ = (headers, bytes);
        let page = client.get(&letter).await;
        assert!(page.has_text("bygget uden PDF"), "{}", page.body);
        assert_ne!(last_audit(&app).await.0, "case.letter", "nothing was read");
    }
    assert_eq!(client.get("/borgere/afgoerelser/9999/brev.pdf").await.status, {
        if cfg!(feature = "pdf") { StatusCode::NOT_FOUND } else { StatusCode::NOT_IMPLEMENTED }
    });
}

async fn managers_see_outcomes_by_legal_basis_and_others_are_refused(app: TestApp) {
    use indsats_domain::decision::{AppealOutcome, DecisionEntry, LegalBasis};
    let me = user_id(&app, "sagsbehandler").await;
    let citizen = stored_case(&app, me).await;
    let store = app.store();
    let day = today() - Duration::days(20);
    for outcome in [AppealOutcome::Upheld, AppealOutcome::Changed, AppealOutcome::Dismissed] {
        let entry = DecisionEntry {
            legal_basis: LegalBasis::Las13,
            subject: "Rådighed".into(),
            explanation: "Fordi.".into(),
            decided_on: day,
            sent_on: Some(day),
        };
        let d = store.record_decision(citizen, &entry, me).await.unwrap();
        store.lodge_appeal(citizen, d, day, me).await.unwrap();
        store.record_appeal_outcome(citizen, d, outcome, day + Duration::days(1), me).await.unwrap();
    }
    let mut leder = app.client();
    leder.login(Role::Leder).await;
    let list = leder.get("/borgere").await;
    assert!(list.body.contains("href=\"/borgere/afgoerelser\""), "the managers find the page from Borgere");
    let page = leder.get("/borgere/afgoerelser").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.has_text("Kontanthjælp: rådighed (Lov om aktiv socialpolitik § 13)"));
    // Upheld 1, changed 1, dismissed 1: two examined, one changed, 50 %.
    assert!(page.has_text("50,0 %"), "{}", page.body);
    assert!(!page.has_text("Ida Jensen"), "counts only");
    let (status, headers, bytes) = leder.get_bytes("/borgere/afgoerelser/udfald.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get("content-type").unwrap().to_str().unwrap().starts_with("text/csv"));
    assert!(String::from_utf8_lossy(&bytes).contains("Lov om aktiv socialpolitik § 13"));

    let mut caseworker = app.client();
    caseworker.login(Role::Sagsbehandler).await;
    assert_eq!(caseworker.get("/borgere/afgoerelser").await.status, StatusCode::FORBIDDEN);
    let decision = store.case_file(citizen, me, None).await.unwrap().unwrap().decisions[0].id;
    for role in [Role::Udvalg, Role::Admin, Role::Virksomhedskonsulent] {
        let mut client = app.client();
        client.login(role).await;
        for path in ["/borgere/afgoerelser".to_owned(), format!("/borgere/afgoerelser/{}/brev.pdf", decision.0)] {
            let page = client.get(&path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} {path}");
            assert!(!page.has_text("Ida Jensen"));
        }
    }
    // A manager reads the case but does not make decisions.
    let url = format!("/borgere/{}", citizen.0);
    let page = leder.get(&url).await;
    assert!(page.has_text("Rådighed") && !page.has_form(&format!("{url}/afgoerelser")));
    let posted = leder.post_form(&format!("{url}/afgoerelser"), &[("legal_basis", "las_13")]).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert_eq!(decision_count(&app, citizen, me).await, 3);
}

on_both_databases!(
    a_caseworker_makes_a_decision_and_follows_the_complaint_to_its_outcome,
    a_refused_decision_names_its_fields_and_saves_nothing,
    the_letter_is_an_audited_read_and_says_so_without_pdf,
    managers_see_outcomes_by_legal_basis_and_others_are_refused,
);
