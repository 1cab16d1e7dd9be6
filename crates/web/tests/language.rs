//! The UI language reaches the plan and goal pages, the report downloads and the plan-file
//! problems: in English no Danish status word is left; in Danish the words are as before.

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::response::Response;
use indsats_domain::{MunicipalityCode, Role};
use indsats_store::{Site, SqliteStore, Store};
use indsats_web::i18n::Locale;
use indsats_web::{AppState, WebConfig, accounts, body_text};
use tower::ServiceExt;

const PASSWORD: &str = "korrekt-hest-batteri";

// The test application and client, as in `http.rs`.

struct TestApp {
    router: axum::Router,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn spawn_app_with(indicators: Option<indsats_register::series::SeriesIndex>) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("indsats.db");
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&db_path).await.unwrap());
    for role in Role::ALL {
        accounts::create_user(&*store, None, role.as_str(), &format!("Demo {role}"), role, PASSWORD).await.unwrap();
    }
    let site = Site {
        municipality_code: MunicipalityCode::new(175).unwrap(),
        municipality_name: "Testkommune".into(),
        is_demo: true,
    };
    store.set_site(&site).await.unwrap();
    let state = AppState {
        store: store.clone(),
        config: Arc::new(WebConfig { secure_cookies: true, trust_forwarded_for: false }),
        site: Arc::new(Some(site)),
        indicators: Arc::new(indicators),
    };
    TestApp { router: indsats_web::router(state), store, _dir: dir }
}

/// A browser in miniature: keeps cookies and the last page's CSRF token.
struct Client<'a> {
    app: &'a TestApp,
    cookies: HashMap<String, String>,
    csrf: Option<String>,
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl<'a> Client<'a> {
    fn new(app: &'a TestApp) -> Self {
        Client { app, cookies: HashMap::new(), csrf: None }
    }

    async fn send(&mut self, request: Request<Body>) -> Page {
        let response: Response = self.app.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let cookie = cookie::Cookie::parse(value.to_str().unwrap().to_owned()).unwrap();
            if cookie.max_age() == Some(cookie::time::Duration::ZERO) {
                self.cookies.remove(cookie.name());
            } else {
                self.cookies.insert(cookie.name().to_owned(), cookie.value().to_owned());
            }
        }
        let body = body_text(response).await;
        if let Some(token) = body.split("name=\"csrf_token\" value=\"").nth(1).and_then(|r| r.split('"').next()) {
            self.csrf = Some(token.to_owned());
        }
        Page { status, headers, body }
    }

    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let builder = Request::builder().method(method).uri(path);
        if cookie.is_empty() { builder } else { builder.header(header::COOKIE, cookie) }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.request(Method::GET, path).body(Body::empty()).unwrap();
        self.send(request).await
    }

    /// Posts a form, adding the CSRF token of the last page seen.
    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.csrf.clone().unwrap_or_default();
        all.push(("csrf_token", &token));
        let body = serde_urlencoded::to_string(&all).unwrap();
        let request = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts the plan form as `multipart/form-data` with the plan's text pasted.
    async fn upload_plan(&mut self, text: &str) -> Page {
        const BOUNDARY: &str = "indsats-test-boundary";
        let token = self.csrf.clone().unwrap_or_default();
        let mut body = String::new();
        for (name, value) in [("csrf_token", token.as_str()), ("plan", text)] {
            let _ = write!(body, "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        }
        let _ = write!(body, "--{BOUNDARY}--\r\n");
        let request = self
            .request(Method::POST, "/plan")
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    async fn login(&mut self, username: &str, password: &str) -> Page {
        self.get("/login").await;
        self.post("/login", &[("username", username), ("password", password)]).await
    }

    /// Chooses the UI language as the language switch does: by its cookie.
    fn speak(&mut self, locale: Locale) {
        self.cookies.insert(Locale::COOKIE.to_owned(), locale.tag().to_owned());
    }
}

/// 23 persons: 3 in municipality 175, all on sickness benefit through 2021 (so 175's share on
/// public support is 100 % and rests on 3 persons, which only caseworkers see), 20 in 159.
fn small_register() -> indsats_register::series::SeriesIndex {
    use chrono::NaiveDate;
    use indsats_domain::{BenefitGroup, IsoWeek, Origin, Period, PeriodKind, Sex};
    use indsats_register::{BenefitSpell, Dataset, PeriodRange, Person, Residence, engine};
    let born = NaiveDate::from_ymd_opt(1980, 3, 1).unwrap();
    let start = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let mut persons = Vec::new();
    let mut residences = Vec::new();
    let mut benefits = Vec::new();
    for id in 0..23_i64 {
        persons.push(Person { id, birth_date: born, sex: Sex::K, origin: Origin::Dansk });
        let municipality = if id < 3 { 175 } else { 159 };
        residences.push(Residence { person_id: id, municipality, from: start, to: None });
        if id < 13 {
            let group = if id < 3 { BenefitGroup::Sygedagpenge } else { BenefitGroup::ADagpenge };
            let (from, to) = (IsoWeek::new(2021, 1).unwrap(), IsoWeek::new(2021, 52).unwrap());
            benefits.push(BenefitSpell { person_id: id, group, from, to });
        }
    }
    let dataset = Dataset::new(persons, residences, benefits, Vec::new()).unwrap();
    let q = |s: &str| s.parse::<Period>().unwrap();
    let range = PeriodRange::spanning(PeriodKind::Quarter, q("2021Q1"), q("2021Q4")).unwrap();
    let rows = engine::compute(&dataset, &[range], &engine::Options { threads: 1, chunk: 64 }).unwrap();
    indsats_register::series::SeriesIndex::new(&rows)
}

/// A plan for 175 in 2021 with English titles, so any Danish word on an English page comes
/// from the application: one goal not met (100 % against below 50 %), at risk in the quarters
/// before, one indicator without data, and an action in progress.
const PLAN: &str = r#"format = 1
[policy]
title = "Employment policy"
vision = "Everyone who can work, works"
[[policy.strategic_goals]]
id = "sg"
title = "Fewer on public support"
[plan]
id = "test-2021"
municipality = 175
title = "Employment plan 2021"
from = "2021Q1"
to = "2021Q4"
[[goals]]
id = "support"
kind = "local"
title = "Fewer on public support"
strategic_goals = ["sg"]
[[goals.indicators]]
id = "share"
title = "Share on public support"
measure = "andel.offentlig_forsoergelse"
target = { rule = "below", value = 50.0 }
[[goals.indicators]]
id = "companies"
title = "Company satisfaction"
measure = "virksomheder.tilfredshed"
target = { rule = "at_least", value = 77.0 }
[[goals.action_plans]]
id = "ap"
title = "Company visits"
[[goals.action_plans.actions]]
id = "visit"
title = "Visit employers"
status = "in_progress"
"#;

/// The report's Danish words: each `report-*` message without arguments whose Danish differs
/// from its English.
fn danish_words() -> Vec<String> {
    indsats_web::i18n::keys()
        .into_iter()
        .filter(|k| k.starts_with("report-"))
        .map(|k| (Locale::Da.t(k), Locale::En.t(k)))
        .filter(|(da, en)| da != en && !da.contains('{') && da.chars().count() > 1)
        .map(|(da, _)| da)
        .collect()
}

/// Whether `word` occurs in `text` with no letter or digit on either side.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A caseworker (who sees the small cells, so the goal is judged) speaking `locale`, with the
/// test plan loaded.
async fn caseworker(app: &TestApp, locale: Locale) -> Client<'_> {
    let plan = indsats_domain::plan::parse(PLAN).unwrap();
    indsats_web::plans::store_plan(&*app.store, &plan, PLAN, None).await.unwrap();
    let mut client = Client::new(app);
    client.speak(locale);
    client.login("sagsbehandler", PASSWORD).await;
    client
}

const WORDS_EN: [&str; 5] = ["Not met", "At risk", "No data", "unchanged from the quarter before", "In progress"];
const WORDS_DA: [&str; 5] = ["Ikke opfyldt", "I risiko", "Ingen data", "uændret fra kvartalet før", "I gang"];

#[tokio::test]
async fn the_english_plan_and_goal_pages_show_no_danish_status_word() {
    let app = spawn_app_with(Some(small_register())).await;
    let mut client = caseworker(&app, Locale::En).await;
    let plan = client.get("/plan/test-2021?kvartal=2021Q4").await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    assert!(plan.body.contains("<html lang=\"en\">"));
    assert!(plan.body.contains("× Not met"), "{}", plan.body);
    assert!(plan.body.contains("2021 Q4"), "the quarter as English writes it: {}", plan.body);
    let goal = client.get("/plan/test-2021/maal/support?kvartal=2021Q4").await;
    assert_eq!(goal.status, StatusCode::OK, "{}", goal.body);
    for word in WORDS_EN {
        assert!(goal.body.contains(word), "no {word:?} on the English goal page: {}", goal.body);
    }
    assert!(goal.body.contains("100.0 %") && goal.body.contains("below 50.0 % in 2021"), "{}", goal.body);
    for page in [&plan, &goal] {
        for word in danish_words() {
            assert!(!has_word(&page.body, &word), "Danish {word:?} on an English page: {}", page.body);
        }
        assert!(!page.body.contains("2021K"), "{}", page.body);
    }

    let html = client.get("/plan/test-2021/rapport.html?kvartal=2021Q4").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("<html lang=\"en\">") && html.body.contains("Goal fulfilment Q4 2021"));
    for word in danish_words() {
        assert!(!has_word(&html.body, &word), "Danish {word:?} in the English report: {}", html.body);
    }
    let pdf = client.get("/plan/test-2021/rapport.pdf?kvartal=2021Q4").await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers.get(header::CONTENT_TYPE).unwrap(), "application/pdf");
}

#[tokio::test]
async fn the_danish_plan_and_goal_pages_keep_their_words() {
    let app = spawn_app_with(Some(small_register())).await;
    let mut client = caseworker(&app, Locale::Da).await;
    let plan = client.get("/plan/test-2021?kvartal=2021Q4").await;
    assert!(plan.body.contains("<html lang=\"da\">") && plan.body.contains("× Ikke opfyldt"), "{}", plan.body);
    assert!(plan.body.contains("Mål og status i 2021K4"), "{}", plan.body);
    let goal = client.get("/plan/test-2021/maal/support?kvartal=2021Q4").await;
    for word in WORDS_DA {
        assert!(goal.body.contains(word), "no {word:?} on the Danish goal page: {}", goal.body);
    }
    assert!(goal.body.contains("100,0 %") && goal.body.contains("under 50,0 % i 2021"), "{}", goal.body);
    for word in WORDS_EN {
        assert!(!goal.body.contains(word), "English {word:?} on the Danish goal page");
    }
    let html = client.get("/plan/test-2021/rapport.html?kvartal=2021Q4").await;
    assert!(html.body.contains("<html lang=\"da\">") && html.body.contains("Målopfyldelse 4. kvartal 2021"));
}

#[tokio::test]
async fn plan_file_problems_are_listed_in_the_ui_language() {
    let app = spawn_app_with(None).await;
    let bad = PLAN.replace("\"andel.offentlig_forsoergelse\"", "\"andel.kontant\"");
    let line = bad.lines().position(|l| l.contains("andel.kontant")).unwrap() + 1;
    for (locale, expected) in [
        (Locale::Da, format!("Linje {line}, kolonne 11: ukendt indikator \"andel.kontant\" (se docs/plan-format.md)")),
        (
            Locale::En,
            format!(
                "Line {line}, column 11: unknown indicator \"andel.kontant\": expected a register figure such as andel.offentlig_forsoergelse"
            ),
        ),
    ] {
        let mut admin = Client::new(&app);
        admin.speak(locale);
        admin.login("admin", PASSWORD).await;
        admin.get("/plan").await;
        let page = admin.upload_plan(&bad).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        let shown = page.body.replace("&quot;", "\"").replace("&#34;", "\"");
        assert!(shown.contains(&expected), "{locale:?}: no {expected:?} in {}", page.body);
    }
}
