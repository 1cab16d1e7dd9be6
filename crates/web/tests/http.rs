//! HTTP tests: the whole router against a real SQLite database in a temporary
//! directory, driven through the shared test client in `support`.

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use axum::http::{Method, StatusCode, header};
use indsats_app::accounts;
use indsats_domain::Role;
use support::{Backend, PASSWORD, TestApp};

#[tokio::test]
async fn login_page_is_danish_and_hands_out_a_csrf_cookie() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    let page = client.get("/login").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"da\">"));
    assert!(page.body.contains("<label for=\"username\">Brugernavn</label>"));
    let csrf = client.cookie("indsats_csrf").expect("anonymous CSRF cookie");
    assert_eq!(client.csrf_token(), Some(csrf));
    let set_cookie = page.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("Secure") && set_cookie.contains("SameSite=Lax"));
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(page.headers.get(header::CONTENT_SECURITY_POLICY).is_some());
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_danish_answer() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    let wrong = client.login_with("leder", "forkert-adgangskode").await;
    let unknown = client.login_with("ingen-saadan", "forkert-adgangskode").await;
    for page in [&wrong, &unknown] {
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(page.body.contains("Brugernavnet eller adgangskoden er forkert."));
    }
    assert!(client.cookie("indsats_session").is_none());
}

#[tokio::test]
async fn login_opens_the_overview_and_logout_ends_the_session() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    let page = client.login_with("sagsbehandler", PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/"));
    let session = client.cookie("indsats_session").map(str::to_owned).expect("session cookie");
    assert_eq!(client.get("/").await.location(), Some("/overblik"));
    let overview = client.get("/overblik").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains("Velkommen, Demo sagsbehandler."));
    assert!(overview.body.contains("Der er ikke indlæst registerdata endnu"));
    // The caseworker's navigation has citizens but not administration.
    assert!(overview.body.contains("href=\"/borgere\""));
    assert!(!overview.body.contains("href=\"/administration\""));

    let out = client.post_form("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "Post/Redirect/Get: a reload cannot post the logout again");
    assert_eq!(out.location(), Some("/login"));
    let login = client.follow(out).await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(login.body.contains("Du er logget ud."), "{}", login.body);
    assert!(!client.get("/login").await.body.contains("Du er logget ud."), "the receipt is shown once");
    // The login page after logging out carries a token the browser holds, so logging in works.
    assert_eq!(client.login_with("sagsbehandler", PASSWORD).await.status, StatusCode::SEE_OTHER);
    client.post_form("/logout", &[]).await;
    // The old cookie no longer opens anything, even if a client kept it.
    client.set_cookie("indsats_session", &session);
    assert_eq!(client.get("/overblik").await.location(), Some("/login"));
}

#[tokio::test]
async fn every_role_reaches_exactly_its_areas_and_gets_a_danish_403_elsewhere() {
    let app = TestApp::sqlite().await;
    for role in Role::STAFF {
        let mut client = app.client();
        assert_eq!(client.login_with(role.as_str(), PASSWORD).await.status, StatusCode::SEE_OTHER);
        for area in indsats_domain::Area::ALL {
            let page = client.get(&format!("/{}", area.slug())).await;
            if area.allows(role) {
                assert_eq!(page.status, StatusCode::OK, "{role} on {area:?}");
            } else {
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} on {area:?}");
                assert!(page.body.contains("<h1>Ingen adgang</h1>"), "{}", page.body);
                assert!(page.body.contains("må du ikke"), "the refusal names the action: {}", page.body);
                assert!(page.location().is_none(), "a refusal is never a redirect");
            }
        }
    }
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_the_login_page() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    let page = client.get("/borgere").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/login"));
}

#[tokio::test]
async fn unknown_route_gets_a_danish_404_page() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    client.login(Role::Leder).await;
    for path in ["/findes-ikke", "/findes/ikke/heller"] {
        let page = client.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("Siden findes ikke"), "{path}");
    }
}

#[tokio::test]
async fn state_changing_requests_without_the_csrf_token_are_refused_and_write_nothing() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    client.login(Role::Admin).await;
    client.get("/administration").await;
    let before = app.store().count_users().await.unwrap();
    let fields = [("username", "ny.bruger"), ("display_name", "Ny"), ("role", "leder"), ("password", PASSWORD)];
    let missing = client.post_form_without_csrf("/administration/brugere", &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("Formularen er udløbet"));
    let mut wrong: Vec<(&str, &str)> = fields.to_vec();
    wrong.push(("csrf_token", "x".repeat(43).leak()));
    assert_eq!(client.post_form_without_csrf("/administration/brugere", &wrong).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store().count_users().await.unwrap(), before);
    // The login form itself is protected too (login CSRF).
    let mut stranger = app.client();
    let page = stranger.post_form_without_csrf("/login", &[("username", "admin"), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn logins_are_rate_limited_per_user_name() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    for _ in 0..accounts::MAX_FAILURES_PER_USER {
        assert_eq!(client.login_with("leder", "forkert-forkert").await.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while the limit holds.
    let page = client.login_with("leder", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("For mange mislykkede forsøg"));
    // Another user is not affected.
    assert_eq!(client.login_with("udvalg", PASSWORD).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn admin_form_names_the_bad_field_and_keeps_nothing_half_written() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    client.login(Role::Admin).await;
    client.get("/administration").await;
    let before = app.store().count_users().await.unwrap();
    let page = client
        .post_form(
            "/administration/brugere",
            &[("username", "ny.bruger"), ("display_name", "Ny Bruger"), ("role", "leder"), ("password", "kort")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"new-password-error\">Adgangskoden skal være mindst 12 tegn lang."));
    assert!(page.body.contains("value=\"ny.bruger\""), "the form keeps what was typed");
    assert!(!page.body.contains("kort"), "the password is never echoed");
    assert_eq!(app.store().count_users().await.unwrap(), before);

    let created = client
        .post_form(
            "/administration/brugere",
            &[("username", "Ny.Bruger"), ("display_name", "Ny Bruger"), ("role", "leder"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "Post/Redirect/Get: a reload cannot submit twice");
    let page = client.follow(created).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Brugeren ny.bruger er oprettet."));
    assert!(!client.get("/administration").await.body.contains("er oprettet"), "the receipt is shown once");
    let again = client
        .post_form(
            "/administration/brugere",
            &[("username", "ny.bruger"), ("display_name", "X"), ("role", "leder"), ("password", PASSWORD)],
        )
        .await;
    assert!(again.body.contains("Brugernavnet er allerede i brug."));
    let everything_wrong = client
        .post_form(
            "/administration/brugere",
            &[("username", "x y"), ("display_name", " "), ("role", "chef"), ("password", "kort")],
        )
        .await;
    assert_eq!(everything_wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in ["new-username-error", "new-display-name-error", "new-role-error", "new-password-error"] {
        assert!(everything_wrong.body.contains(&format!("id=\"{id}\"")), "every bad field is marked: {id}");
    }
    let bad_role = client
        .post_form(
            "/administration/brugere",
            &[("username", "x.y"), ("display_name", "X"), ("role", "chef"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_role.body.contains("Vælg en af rollerne på listen."));
    assert_eq!(app.store().count_users().await.unwrap(), before + 1);
}

#[tokio::test]
async fn disabling_a_user_logs_them_out_everywhere() {
    let app = TestApp::sqlite().await;
    let mut victim = app.client();
    victim.login(Role::Leder).await;
    assert_eq!(victim.get("/overblik").await.status, StatusCode::OK);
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    admin.get("/administration").await;
    let asked = admin.post_form("/administration/brugere/status", &[("username", "leder"), ("disabled", "true")]).await;
    assert_eq!(asked.location(), Some("/administration/brugere/status?username=leder"), "the admin is asked first");
    let asked = admin.follow(asked).await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert_eq!(victim.get("/overblik").await.status, StatusCode::OK, "nothing changed before the confirmation");
    let page = admin.submit(&asked.form("/administration/brugere/status")).await;
    let page = admin.follow(page).await;
    assert!(page.body.contains("Brugeren leder er deaktiveret"), "{}", page.body);
    assert_eq!(victim.get("/overblik").await.location(), Some("/login"));
    assert_eq!(victim.login_with("leder", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    let malformed =
        admin.post_form("/administration/brugere/status", &[("username", "leder"), ("disabled", "måske")]).await;
    assert_eq!(malformed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(malformed.body.contains("disabled"), "the page names the field");
}

#[tokio::test]
async fn the_favicon_is_a_small_svg_the_layout_links() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    let login = client.get("/login").await;
    assert!(login.body.contains("<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"));
    for path in ["/static/favicon.svg", "/favicon.ico"] {
        let icon = client.get(path).await;
        assert_eq!(icon.status, StatusCode::OK, "{path}");
        assert_eq!(icon.headers.get(header::CONTENT_TYPE).unwrap(), "image/svg+xml", "{path}");
        assert!(icon.body.starts_with("<svg") && icon.body.len() < 1024, "{path}: {}", icon.body);
    }
}

#[tokio::test]
async fn english_is_the_second_language() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    client.get("/login").await;
    let page = client.post_form("/sprog", &[("lang", "en"), ("back", "//evil.example/")]).await;
    assert_eq!(page.location(), Some("/"), "only local paths are followed");
    let login = client.get("/login").await;
    assert!(login.body.contains("<html lang=\"en\">") && login.body.contains(">User name</label>"));
}

#[tokio::test]
async fn api_authenticates_by_token_and_reports_bad_json_by_field() {
    let app = TestApp::sqlite().await;
    let mut anonymous = app.client();
    let page = anonymous.json(Method::GET, "/api/v1/me", "", &[]).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    let error: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(error["error"]["code"], "unauthorized");
    assert!(error["error"]["request_id"].as_str().is_some_and(|id| id.len() == 36));

    let token = app.api_token("admin").await;
    let bearer = format!("Bearer {token}");
    let auth = [("authorization", bearer.as_str())];
    let mut robot = app.client();
    let me: serde_json::Value =
        serde_json::from_str(&robot.json(Method::GET, "/api/v1/me", "", &auth).await.body).unwrap();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");

    let cases = [
        ("{not json", StatusCode::BAD_REQUEST, None),
        (r#"{"username":"a.b","display_name":"A","role":"leder"}"#, StatusCode::UNPROCESSABLE_ENTITY, Some("password")),
        (
            r#"{"username":"a.b","display_name":"A","role":"chef","password":"korrekt-hest-batteri"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("role"),
        ),
        (
            r#"{"username":"a.b","display_name":"A","role":"leder","password":"kort"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("password"),
        ),
        (
            r#"{"username":"leder","display_name":"A","role":"leder","password":"korrekt-hest-batteri"}"#,
            StatusCode::CONFLICT,
            Some("username"),
        ),
    ];
    let before = app.store().count_users().await.unwrap();
    for (body, status, field) in cases {
        let page = robot.json(Method::POST, "/api/v1/users", body, &auth).await;
        assert_eq!(page.status, status, "{body}: {}", page.body);
        let error: serde_json::Value = serde_json::from_str(&page.body).unwrap();
        assert_eq!(error["error"]["field"].as_str(), field, "{body}");
    }
    assert_eq!(app.store().count_users().await.unwrap(), before);
    let created = robot
        .json(
            Method::POST,
            "/api/v1/users",
            r#"{"username":"a.b","display_name":"A B","role":"udvalg","password":"korrekt-hest-batteri"}"#,
            &auth,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);

    let revoked = robot.json(Method::GET, "/api/v1/me", "", &[("authorization", "Bearer indsats_wrong")]).await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn api_with_a_session_needs_the_csrf_header_to_write_and_respects_roles() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    client.login(Role::Udvalg).await;
    client.get("/overblik").await;
    assert_eq!(client.json(Method::GET, "/api/v1/users", "", &[]).await.status, StatusCode::FORBIDDEN);
    let body = r#"{"username":"x.y","display_name":"X","role":"admin","password":"korrekt-hest-batteri"}"#;
    assert_eq!(client.json(Method::POST, "/api/v1/users", body, &[]).await.status, StatusCode::FORBIDDEN);
    let csrf = client.csrf_token().unwrap().to_owned();
    let page = client.json(Method::POST, "/api/v1/users", body, &[("x-csrf-token", &csrf)]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "the CSRF header passes, the role does not");
    let error: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(error["error"]["code"], "forbidden");
}

#[tokio::test]
async fn our_failures_show_a_request_id_and_no_internals() {
    let app = TestApp::sqlite().await;
    // Break the database behind the application's back.
    app.execute_sql("DROP TABLE audit_log").await;
    let mut client = app.client();
    let page = client.login_with("leder", PASSWORD).await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(page.body.contains("Der opstod en fejl"));
    let id = page.headers.get("x-request-id").unwrap().to_str().unwrap();
    assert!(page.body.contains(&format!("Fejl-id: {id}")));
    assert!(!page.body.contains("audit_log"), "no database detail reaches the user");
}

#[tokio::test]
async fn probes_answer() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    let live = client.get("/healthz").await;
    assert_eq!((live.status, live.body.as_str()), (StatusCode::OK, "ok"));
    let ready = client.get("/readyz").await;
    assert_eq!((ready.status, ready.body.as_str()), (StatusCode::OK, "ready"));
}

/// The committed OpenAPI document must match the code, so every API change shows in review.
/// Regenerate with `cargo run -- openapi > crates/web/openapi.json`.
#[tokio::test]
async fn openapi_document_matches_the_committed_snapshot() {
    let app = TestApp::sqlite().await;
    let served = app.client().get("/api/v1/openapi.json").await;
    assert_eq!(served.status, StatusCode::OK);
    let committed = include_str!("../openapi.json");
    assert_eq!(
        served.body.trim(),
        committed.trim(),
        "the API changed: regenerate crates/web/openapi.json with `cargo run -- openapi > crates/web/openapi.json` and review the diff"
    );
    let doc: serde_json::Value = serde_json::from_str(&served.body).unwrap();
    for path in ["/api/v1/me", "/api/v1/users"] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
}

#[tokio::test]
async fn overview_hides_small_cells_from_everyone_but_caseworkers() {
    let app = TestApp::spawn(Backend::Sqlite, Some(support::small_register(2021, 2021))).await;
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let page = committee.get("/overblik").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg class=\"chart\""), "the page draws charts");
    assert!(page.body.contains("færre end 5 personer"), "the page explains the dash");
    // 3 of 3 residents of 175 on public support: 100 %, but only 3 persons, so hidden.
    assert!(!page.body.contains("100,0 %"), "{}", page.body);

    let mut caseworker = app.client();
    caseworker.login(Role::Sagsbehandler).await;
    let page = caseworker.get("/overblik").await;
    assert!(page.body.contains("100,0 %"), "caseworkers see the small cell");

    let api = committee.json(Method::GET, "/api/v1/indicators?indicator=andel.offentlig_forsoergelse", "", &[]).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let series: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(series["municipality"], "175");
    let points = series["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    assert!(points.iter().all(|p| p["suppressed"] == true && p["value"].is_null() && p["persons"].is_null()));

    // The whole country: 13 of 23 on public support, enough persons to show.
    let api = committee
        .json(Method::GET, "/api/v1/indicators?indicator=andel.offentlig_forsoergelse&municipality=000", "", &[])
        .await;
    let series: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let value = series["points"][0]["value"].as_f64().unwrap();
    assert!((value - 100.0 * 13.0 / 23.0).abs() < 1e-9, "{value}");
    assert_eq!(series["points"][0]["persons"], 13);

    let bad = committee.json(Method::GET, "/api/v1/indicators?indicator=andel.ingenting", "", &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = serde_json::from_str(&bad.body).unwrap();
    assert_eq!(error["error"]["field"], "indicator");
    let bad = committee.get("/overblik?kategori=ingen").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn overview_without_register_data_says_so() {
    let app = TestApp::sqlite().await;
    let mut client = app.client();
    client.login(Role::Leder).await;
    let page = client.get("/overblik").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Der er ikke indlæst registerdata endnu"));
    assert_eq!(
        client.json(Method::GET, "/api/v1/indicators?indicator=befolkning", "", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn reports_page_offers_each_plans_latest_quarter_with_figures_as_pdf_and_html() {
    let app = TestApp::spawn(Backend::Sqlite, Some(support::small_register(2021, 2021))).await;
    let mut client = app.client();
    client.login(Role::Udvalg).await;
    let page = client.get("/rapporter").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ingen rapporter"), "{}", page.body);
    assert!(!page.body.contains("ikke bygget endnu"), "the reports page is built");

    // Rødovre's plan moved to 2021-2022: the test register has figures for 175 up to 2021Q4.
    let text = include_str!("../../../plans/roedovre-2023-24.toml")
        .replace("from = \"2023Q1\"\nto = \"2024Q4\"", "from = \"2021Q1\"\nto = \"2022Q4\"");
    assert_eq!(app.load_plan(&text).await, 1);

    let page = client.get("/rapporter").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Beskæftigelsesplan 2023/2024"), "{}", page.body);
    assert!(page.body.contains("<td>2021K4</td>"), "the newest quarter with figures: {}", page.body);
    let pdf_link = "/plan/roedovre-2023-24/rapport.pdf?kvartal=2021Q4&#38;version=1";
    assert!(page.body.contains(pdf_link), "{}", page.body);

    let html = client.get("/plan/roedovre-2023-24/rapport.html?kvartal=2021Q4&version=1").await;
    assert_eq!(html.status, StatusCode::OK);
    let disposition = html.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap();
    assert!(disposition.contains("maalopfyldelse-roedovre-2023-24-2021Q4.html"), "{disposition}");
    assert!(html.body.contains("2021K4"), "the report is for the linked quarter");
}
