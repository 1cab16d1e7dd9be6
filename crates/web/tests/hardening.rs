//! Regression tests for what was found when the application was tried as an attacker would
//! (issue 14): each test names the finding it guards, and `docs/security.md` names the test.

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::{StatusCode, header};
use indsats_domain::Role;
use support::{PASSWORD, TestApp, on_both_databases};

#[tokio::test]
async fn the_language_switch_answers_a_control_character_or_a_tab_in_back_with_the_front_page() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    client.get("/login").await;
    // A tab or newline is dropped by browsers from a URL, so "/\t/evil.example" would become
    // "//evil.example": another site. A control character cannot be put in a header at all.
    for back in ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/plan\u{1}", "/\u{7f}", "/ /evil"] {
        let page = client.post_form("/sprog", &[("lang", "en"), ("back", back)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{back:?}: {}", page.body);
        assert_eq!(page.location(), Some("/"), "{back:?}");
    }
    for back in ["//evil.example", "/\\evil.example", "https://evil.example", "evil"] {
        let page = client.post_form("/sprog", &[("lang", "en"), ("back", back)]).await;
        assert_eq!(page.location(), Some("/"), "{back:?}");
    }
    // A local path with its query still works.
    let page = client.post_form("/sprog", &[("lang", "da"), ("back", "/plan/x?kvartal=2021Q3")]).await;
    assert_eq!(page.location(), Some("/plan/x?kvartal=2021Q3"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_pages_and_downloads_are_not_stored() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    let login = client.get("/login").await;
    let csp = login.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    for directive in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
    assert_eq!(login.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert_eq!(login.headers.get(header::REFERRER_POLICY).unwrap(), "same-origin");
    assert_eq!(login.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    // The test app serves with Secure cookies, that is over HTTPS: HSTS for a year.
    let hsts = login.headers.get(header::STRICT_TRANSPORT_SECURITY).expect("HSTS").to_str().unwrap();
    assert!(hsts.starts_with("max-age=31536000"), "{hsts}");

    client.login(Role::Admin).await;
    let token = app.api_token("admin").await;
    // JSON, error JSON and a 404 page: none may be kept in a cache.
    let bearer = format!("Bearer {token}");
    let me = client.json(axum::http::Method::GET, "/api/v1/me", "", &[("authorization", &bearer)]).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.headers.get(header::CACHE_CONTROL).unwrap(), "no-store", "JSON");
    for path in ["/api/v1/openapi.json", "/api/v1/users", "/ingen-side", "/healthz"] {
        let page = client.get(path).await;
        assert_eq!(page.headers.get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap()), Some("no-store"), "{path}");
        assert!(page.headers.get(header::STRICT_TRANSPORT_SECURITY).is_some(), "{path}");
    }
    // Static assets keep their own, long cache.
    let css = client.get("/static/indsats.css").await;
    assert_ne!(css.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
}

#[tokio::test]
async fn a_login_gets_a_new_session_id_and_ends_the_one_the_browser_held() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    client.login(Role::Leder).await;
    let first = client.cookie("indsats_session").unwrap().to_owned();
    // Logging in again (as someone else, on a shared computer) replaces the session id...
    client.get("/overblik").await;
    let again = client.post_form("/login", &[("username", "udvalg"), ("password", PASSWORD)]).await;
    assert_eq!(again.location(), Some("/"), "{}", again.body);
    let second = client.cookie("indsats_session").unwrap().to_owned();
    assert_ne!(first, second);
    // ...and the old one no longer opens anything, even if someone kept a copy.
    let mut copy = app.client();
    copy.set_cookie("indsats_session", &first);
    assert_eq!(copy.get("/overblik").await.location(), Some("/login"));
    // A session id planted in the browser before login is never the one used after it.
    let mut planted = app.client();
    planted.set_cookie("indsats_session", "planted-by-an-attacker-0123456789abcdef0123456");
    planted.login(Role::Leder).await;
    assert_ne!(planted.cookie("indsats_session"), Some("planted-by-an-attacker-0123456789abcdef0123456"));
    assert_eq!(planted.get("/overblik").await.status, StatusCode::OK);
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server_and_disabling_ends_every_session_for_good() {
    let app = TestApp::sqlite().await;
    let mut office = app.client();
    office.login(Role::Leder).await;
    let mut home = app.client();
    home.login(Role::Leder).await;
    let token = app.api_token("leder").await;
    let kept = office.cookie("indsats_session").unwrap().to_owned();
    office.get("/overblik").await;
    assert_eq!(office.post_form("/logout", &[]).await.location(), Some("/login"));
    let mut copy = app.client();
    copy.set_cookie("indsats_session", &kept);
    assert_eq!(copy.get("/overblik").await.location(), Some("/login"), "logout ended it on the server");
    assert_eq!(home.get("/overblik").await.status, StatusCode::OK, "another device's session is its own");

    indsats_app::accounts::set_disabled(app.store(), None, "leder", true).await.unwrap();
    assert_eq!(home.get("/overblik").await.location(), Some("/login"));
    let bearer = format!("Bearer {token}");
    let api = home.json(axum::http::Method::GET, "/api/v1/me", "", &[("authorization", &bearer)]).await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED, "the token stops too");
    // Enabling the user again does not bring the old sessions back: they were deleted.
    indsats_app::accounts::set_disabled(app.store(), None, "leder", false).await.unwrap();
    assert_eq!(home.get("/overblik").await.location(), Some("/login"));
}

/// Twenty wrong passwords at once for one user, with a limit of five: before, all twenty were
/// checked (the limit was read before any failure was written), and in a burst of sixty the
/// right password got in.
async fn concurrent_wrong_passwords_are_counted_before_they_are_checked(app: TestApp) {
    let mut clients: Vec<_> = (0..20).map(|_| app.client()).collect();
    for client in &mut clients {
        client.get("/login").await;
    }
    let mut insider = app.client();
    insider.get("/login").await;
    let mut attempts: Vec<_> = clients
        .iter_mut()
        .map(|client| client.post_form("/login", &[("username", "leder"), ("password", "forkert-forkert")]))
        .collect();
    // The right password in the same burst.
    attempts.push(insider.post_form("/login", &[("username", "leder"), ("password", PASSWORD)]));
    let pages = join_all(attempts).await;
    let checked = pages.iter().filter(|p| p.status != StatusCode::TOO_MANY_REQUESTS).count();
    assert!(checked <= 5, "{checked} of 21 attempts were checked against a limit of 5");
    let statuses: Vec<StatusCode> = pages.iter().map(|p| p.status).collect();
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS, StatusCode::SEE_OTHER].contains(s)),
        "{statuses:?}"
    );
    // Whether the right password came early enough to get in or not, the limit now holds.
    let mut late = app.client();
    assert_eq!(late.login_with("leder", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
}

/// Thirty failed logins from one address (an office, or the whole site behind a proxy) used to
/// lock every user out from there. Now that address is slowed down, one attempt at a time,
/// and a user who knows their password still gets in.
async fn many_failures_from_one_address_slow_it_down_without_locking_others_out(app: TestApp) {
    let mut guesser = app.client();
    let limit = usize::try_from(indsats_app::accounts::MAX_FAILURES_PER_ADDRESS).unwrap();
    for i in 0..=limit {
        // Five names at most per user name, so only the address limit is reached.
        let name = format!("gaet{}", i / 5);
        assert_eq!(guesser.login_with(&name, "forkert-forkert").await.status, StatusCode::UNAUTHORIZED, "{i}");
    }
    let mut colleague = app.client();
    colleague.get("/login").await;
    let started = std::time::Instant::now();
    let page = colleague.post_form("/login", &[("username", "udvalg"), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "a colleague at the same address gets in: {}", page.body);
    assert!(started.elapsed() >= indsats_app::accounts::ADDRESS_DELAY, "but only after the delay");
}

/// An administrator could make an API token for a caseworker and so read unsuppressed figures
/// and citizens' cases. A token now carries only rights its maker has.
async fn an_administrator_cannot_make_a_token_with_rights_it_lacks(app: TestApp) {
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let page = admin.get("/administration").await;
    let form = page.form("/administration/noegler");
    assert!(page.body.contains("<option value=\"admin\">"), "its own account is offered");
    for other in ["sagsbehandler", "leder", "virksomhedskonsulent"] {
        let refused = admin.submit(&form.clone().set("username", other).set("name", "Udtræk")).await;
        assert!(refused.status.is_client_error(), "{other}: {}", refused.status);
        assert!(
            refused.has_text("Du kan kun lave en API-nøgle til en bruger, der ikke må mere end du selv."),
            "{other}"
        );
    }
    assert!(app.store().list_api_tokens().await.unwrap().is_empty(), "no token was made");
    let select = page.body.split("id=\"token-user\"").nth(1).unwrap().split("</select>").next().unwrap();
    assert!(!select.contains("sagsbehandler") && !select.contains("leder"), "{select}");
    // The committee may do nothing an administrator may not (it reads plans, figures with small
    // cells hidden, and reports), so a token for it is no escalation.
    assert!(select.contains("<option value=\"udvalg\">"), "{select}");
    // The operator at the server's command line (no actor) still can.
    assert!(indsats_app::accounts::create_api_token(app.store(), None, "sagsbehandler", "drift").await.is_ok());
}

on_both_databases!(
    an_administrator_cannot_make_a_token_with_rights_it_lacks,
    concurrent_wrong_passwords_are_counted_before_they_are_checked,
    many_failures_from_one_address_slow_it_down_without_locking_others_out,
);

/// Polls every future until all are done, on the test's own task: concurrency without
/// `'static` futures (they borrow the app).
async fn join_all<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending { Poll::Pending } else { Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}

/// A plan of 2,000 goals made the report's PDF take 33 s and leave the server at 3 GB, and
/// parallel uploads full of problems stalled every request: a plan now has at most
/// `MAX_GOALS` goals, refused at the upload with one sentence, and the checking runs off the
/// async workers (`web::heavy`).
#[tokio::test]
async fn an_oversized_plan_is_refused_at_the_upload_with_one_sentence() {
    use std::fmt::Write;
    let app = TestApp::sqlite().await;
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    admin.get("/plan").await;
    let mut text = include_str!("../../../plans/odense-rummelige-arbejdsmarked.toml").to_owned();
    for i in 0..indsats_domain::plan::MAX_GOALS {
        write!(text, "\n[[goals]]\nid = \"ekstra-{i}\"\nkind = \"local\"\ntitle = \"Mål {i}\"\n").unwrap();
    }
    let page = admin.post_multipart("/plan", &[support::Part::text("plan", &text)]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.has_text("planen er for stor: højst 100 mål og 300 indikatorer"), "{}", page.body);
    assert_eq!(page.body.matches("planen er for stor").count(), 1);
    assert!(app.store().plans().await.unwrap().is_empty(), "nothing stored");
}
