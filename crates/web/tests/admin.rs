//! HTTP tests of the administration page's guards: length limits, passwords of only spaces,
//! confirmation before disabling a user or revoking a token, and a new token shown once after
//! a redirect. Every test runs on SQLite and on PostgreSQL (see `support`).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::StatusCode;
use indsats_domain::Role;
use support::{PASSWORD, TestApp, on_both_databases};

const ADMIN: &str = "/administration";
const ADD_USER: &str = "/administration/brugere";
const USER_STATUS: &str = "/administration/brugere/status";
const ADD_TOKEN: &str = "/administration/noegler";
const REVOKE_TOKEN: &str = "/administration/noegler/tilbagekald";

async fn a_long_display_name_and_a_password_of_spaces_are_refused_at_their_fields(app: TestApp) {
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let before = app.store().count_users().await.unwrap();
    let form = admin.get(ADMIN).await.form(ADD_USER);
    let long_name = "Å".repeat(101);
    let page = admin
        .submit(
            &form
                .clone()
                .set("username", "ny.bruger")
                .set("display_name", &long_name)
                .set("role", "leder")
                .set("password", &" ".repeat(16)),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
    assert!(page.body.contains("id=\"new-display-name-error\">Navnet må højst være 100 tegn langt."), "{}", page.body);
    assert!(
        page.body.contains("id=\"new-password-error\">Adgangskoden må ikke kun bestå af mellemrum."),
        "{}",
        page.body
    );
    assert!(page.body.contains("maxlength=\"100\""), "the field says its limit");
    assert_eq!(app.store().count_users().await.unwrap(), before, "nothing was stored");

    // 100 characters is the limit, not past it.
    let ok = admin
        .submit(
            &form
                .set("username", "ny.bruger")
                .set("display_name", &"Å".repeat(100))
                .set("role", "leder")
                .set("password", PASSWORD),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let page = admin.follow(ok).await;
    assert!(page.body.contains("<table class=\"wrap\">"), "long names wrap in their cell");
}

async fn a_new_token_is_shown_once_after_a_redirect_and_never_in_the_url(app: TestApp) {
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let form = admin.get(ADMIN).await.form(ADD_TOKEN);

    let long = admin.submit(&form.clone().set("username", "admin").set("name", &"x".repeat(101))).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(long.body.contains("id=\"token-name-error\">Formålet må højst være 100 tegn langt."), "{}", long.body);
    assert!(app.store().list_api_tokens().await.unwrap().is_empty());

    let made = admin.submit(&form.set("username", "admin").set("name", "Statistik-udtræk")).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "Post/Redirect/Get: {}", made.body);
    assert_eq!(made.location(), Some(ADMIN), "the secret is never in the URL");
    assert!(!made.body.contains("indsats_"), "nor in the redirect");
    let page = admin.follow(made).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ny API-nøgle til admin."), "{}", page.body);
    let secret = page.body.split("<code class=\"secret\">").nth(1).and_then(|s| s.split('<').next()).unwrap();
    assert!(secret.starts_with("indsats_"), "{secret}");
    assert_eq!(app.store().list_api_tokens().await.unwrap().len(), 1, "one token made");

    // A reload shows it no more, and the secret works for the API.
    let again = admin.get(ADMIN).await;
    assert!(!again.body.contains(secret), "shown once");
    let mut api = app.client();
    let answer = api
        .json(
            axum::http::Method::GET,
            "/api/v1/indicators?indicator=befolkning",
            "",
            &[("authorization", &format!("Bearer {secret}"))],
        )
        .await;
    assert_ne!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
}

async fn revoking_a_token_and_disabling_a_user_ask_first(app: TestApp) {
    let secret = app.api_token("leder").await;
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let page = admin.get(ADMIN).await;

    // The button opens a page that asks (a GET: a reload of the question sends nothing).
    let button = page.body.split(&format!("action=\"{REVOKE_TOKEN}\"")).next().unwrap();
    assert!(button.ends_with("<form method=\"get\" "), "{button}");
    let id = page.form(REVOKE_TOKEN).get("id").unwrap().to_owned();
    let asked = admin.get(&format!("{REVOKE_TOKEN}?id={id}")).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked.has_text("API-nøglen »test« til leder holder op med at virke med det samme"), "{}", asked.body);
    assert!(asked.body.contains("href=\"/administration\""), "a way back");
    assert!(!app.store().list_api_tokens().await.unwrap()[0].revoked, "nothing changed yet");
    // A post without the confirmation is sent to the question, not carried out.
    let unconfirmed = admin.post_form(REVOKE_TOKEN, &[("id", &id)]).await;
    assert_eq!(unconfirmed.location(), Some(format!("{REVOKE_TOKEN}?id={id}").as_str()));
    assert!(!app.store().list_api_tokens().await.unwrap()[0].revoked, "nothing changed yet");
    let done = admin.submit(&asked.form(REVOKE_TOKEN)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(app.store().list_api_tokens().await.unwrap()[0].revoked);
    assert!(admin.follow(done).await.has_text("API-nøglen er tilbagekaldt."));
    let mut api = app.client();
    let bearer = format!("Bearer {secret}");
    let refused = api
        .json(axum::http::Method::GET, "/api/v1/indicators?indicator=befolkning", "", &[("authorization", &bearer)])
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "the revoked token no longer works");

    let page = admin.get(ADMIN).await;
    let user = page.form(USER_STATUS).get("username").unwrap().to_owned();
    let asked = admin.get(&format!("{USER_STATUS}?username={user}")).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert!(asked.has_text(&format!("Brugeren {user} bliver logget ud alle steder")), "{}", asked.body);
    let users = app.store().list_users().await.unwrap();
    assert!(users.iter().all(|u| !u.disabled), "nothing changed yet");
    let done = admin.submit(&asked.form(USER_STATUS)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let users = app.store().list_users().await.unwrap();
    assert!(users.iter().any(|u| u.username.as_str() == user && u.disabled), "{user} is disabled");

    // A token that is not there gets a sentence, not a question.
    let unknown = admin.get(&format!("{REVOKE_TOKEN}?id=9999")).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.has_text("API-nøglen findes ikke eller er allerede tilbagekaldt."), "{}", unknown.body);
}

on_both_databases!(
    a_long_display_name_and_a_password_of_spaces_are_refused_at_their_fields,
    a_new_token_is_shown_once_after_a_redirect_and_never_in_the_url,
    revoking_a_token_and_disabling_a_user_ask_first,
);
