//! The shared HTTP test client: the whole router on a real database, driven through
//! `tower::ServiceExt::oneshot` by a cookie-keeping [`Client`] that reads pages as a browser
//! would. A test file uses it with `mod support;`.
//!
//! Tests drive the app only through HTTP and set up data only through this module, so a
//! change in how the application is assembled (its state, its routers, where plans are stored
//! from) is adapted here once:
//!
//! - [`TestApp::sqlite`] / [`TestApp::postgres`] start the app on a fresh database with one
//!   user per role, named like the role (`leder`, `udvalg`, ...), password [`PASSWORD`];
//!   [`TestApp::spawn`] also serves a register panel such as [`small_register`];
//! - [`TestApp::load_plan`] and [`TestApp::api_token`] set up data as the command line and the
//!   administration page would; [`TestApp::store`] is for checking what the database holds;
//! - [`TestApp::client`] opens a browser in miniature: [`Client::login`] (by role),
//!   [`Client::get`], [`Client::post_form`] and [`Client::post_multipart`] (both add the CSRF
//!   token of the last page seen), [`Client::submit`] (a form read from a page, as the page
//!   offered it, hidden revision included), [`Client::follow`] (a redirect);
//! - a [`Page`] is what came back: status, headers, body, [`Page::has_text`] for text as the
//!   user reads it (the body holds it HTML-escaped), [`Page::form`] for a form's fields.
//!
//! A test that should hold on both databases is written once as `async fn name(app: TestApp)`
//! and listed in [`on_both_databases!`]:
//!
//! ```text
//! async fn the_committee_reads_a_loaded_plan(app: TestApp) {
//!     app.load_plan(include_str!("../../../plans/gladsaxe-2022.toml")).await;
//!     let mut committee = app.client();
//!     committee.login(Role::Udvalg).await;
//!     let page = committee.get("/plan/gladsaxe-2022").await;
//!     assert_eq!(page.status, StatusCode::OK);
//!     assert!(page.has_text("Beskæftigelsesplan 2022"));
//! }
//!
//! on_both_databases!(the_committee_reads_a_loaded_plan);
//! ```
//!
//! The PostgreSQL variants are `#[ignore]`d so a machine with only the Rust toolchain skips
//! them; run them with
//! `INDSATS_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test -p indsats-web -- --ignored`
//! (`bash .ci/run` does). Each gets a database of its own, dropped when the app is dropped,
//! also when the test fails.

// Each test binary uses its own part of the client.
#![allow(dead_code, reason = "every test file includes this module and uses a different part of it")]
// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::response::Response;
use indsats_app::accounts;
use indsats_domain::{MunicipalityCode, Role};
use indsats_register::series::SeriesIndex;
use indsats_store::{PostgresStore, SaveOutcome, Site, SqliteStore, Store};
use indsats_web::{AppState, WebConfig, body_text};
use tower::ServiceExt;

/// The password of every user the test app starts with.
pub const PASSWORD: &str = "korrekt-hest-batteri";

/// The environment variable naming the PostgreSQL server the PostgreSQL variants use.
pub const POSTGRES_URL_VAR: &str = "INDSATS_TEST_POSTGRES_URL";

/// Runs each listed `async fn name(app: TestApp)` twice: as `sqlite::name` on SQLite and as
/// `postgres::name` (ignored unless asked for) on PostgreSQL. With `register: expr;` first,
/// the app serves that panel (a [`SeriesIndex`], e.g. [`small_register`]).
#[allow(unused_macros, reason = "a test file without database variants does not use it")]
macro_rules! on_both_databases {
    (register: $register:expr; $($name:ident),* $(,)?) => {
        crate::support::on_both_databases!(@spawn Some($register); $($name),*);
    };
    ($($name:ident),* $(,)?) => {
        crate::support::on_both_databases!(@spawn None; $($name),*);
    };
    (@spawn $register:expr; $($name:ident),*) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    use crate::support::{Backend, TestApp};
                    super::$name(TestApp::spawn(Backend::Sqlite, $register).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[ignore = "needs PostgreSQL: set INDSATS_TEST_POSTGRES_URL (.ci/run does)"]
                async fn $name() {
                    use crate::support::{Backend, TestApp};
                    super::$name(TestApp::spawn(Backend::Postgres, $register).await).await;
                }
            )*
        }
    };
}
#[allow(unused_imports, reason = "a test file without database variants does not use it")]
pub(crate) use on_both_databases;

/// Which database the app runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A file in a temporary directory.
    Sqlite,
    /// A fresh database on the server named by `INDSATS_TEST_POSTGRES_URL`.
    Postgres,
}

/// The application on its own database, with one user per role.
pub struct TestApp {
    router: axum::Router,
    store: Arc<dyn Store>,
    database: Database,
    vault: Arc<indsats_app::vault::Vault>,
}

/// Where the app's data lives, kept so a test can reach it behind the app's back and so the
/// database goes away with the app.
enum Database {
    Sqlite { path: PathBuf, _dir: tempfile::TempDir },
    Postgres(PgDatabase),
}

impl TestApp {
    /// The app on a fresh SQLite database, without register data.
    pub async fn sqlite() -> Self {
        Self::spawn(Backend::Sqlite, None).await
    }

    /// The app on a fresh PostgreSQL database, without register data.
    pub async fn postgres() -> Self {
        Self::spawn(Backend::Postgres, None).await
    }

    /// The app on a fresh database of `backend`, serving `register` as its indicator panel.
    pub async fn spawn(backend: Backend, register: Option<SeriesIndex>) -> Self {
        let (store, database): (Arc<dyn Store>, Database) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("indsats.db");
                (Arc::new(SqliteStore::open(&path).await.unwrap()), Database::Sqlite { path, _dir: dir })
            }
            Backend::Postgres => {
                let db = PgDatabase::create().await;
                (Arc::new(PostgresStore::connect(&db.url).await.unwrap()), Database::Postgres(db))
            }
        };
        for role in Role::STAFF {
            accounts::create_user(&*store, None, role.as_str(), &format!("Demo {role}"), role, PASSWORD).await.unwrap();
        }
        let site = Site {
            municipality_code: MunicipalityCode::new(175).unwrap(),
            municipality_name: "Testkommune".into(),
            is_demo: true,
        };
        store.set_site(&site).await.unwrap();
        let vault = Arc::new(indsats_app::vault::Vault::from_keys(rand::random(), &[]));
        let state = AppState {
            store: store.clone(),
            config: Arc::new(WebConfig { secure_cookies: true, trusted_proxies: Vec::new() }),
            site: Arc::new(Some(site)),
            indicators: Arc::new(register),
            vault: vault.clone(),
            oidc: Arc::new(indsats_app::oidc::Providers::default()),
        };
        TestApp { router: indsats_web::router(state), store, database, vault }
    }

    /// A citizen's case with `caseworker` (a user name) responsible, and the citizen's account
    /// `borger` (password [`PASSWORD`]) bound to it, as a citizen's first login would make it.
    pub async fn citizen_with_login(&self, caseworker: &str) -> indsats_domain::CitizenId {
        use indsats_domain::case::{EducationLevel, TargetGroup};
        let worker =
            self.store.user_by_username(&indsats_domain::Username::parse(caseworker).unwrap()).await.unwrap().unwrap();
        let today = indsats_app::cases::local_now().date();
        let form = indsats_app::cases::CitizenForm {
            cpr: "0101901234".into(),
            profile: indsats_store::Profile {
                name: "Ida Borger".into(),
                address: "Rødovrevej 1".into(),
                phone: String::new(),
                email: String::new(),
                language: "dansk".into(),
                interpreter: false,
                education: EducationLevel::Vocational,
                wished_occupations: Vec::new(),
            },
            benefit: indsats_domain::BenefitGroup::ADagpenge,
            target_group: TargetGroup::Dagpenge,
            course_start: today - chrono::Duration::days(30),
        };
        let actor = indsats_app::cases::Actor { user: worker.id, role: worker.role };
        let citizen = indsats_app::cases::create_citizen(&*self.store, &self.vault, actor, &form, today).await.unwrap();
        let hash = accounts::hash_password(&indsats_domain::Password::parse(PASSWORD).unwrap()).unwrap();
        let user = indsats_store::NewUser {
            username: indsats_domain::Username::parse("borger").unwrap(),
            display_name: "Borger".into(),
            role: Role::Borger,
            password_hash: hash,
        };
        self.store.create_citizen_account(citizen, &user, None).await.unwrap();
        citizen
    }

    /// A new browser with no cookies.
    pub fn client(&self) -> Client<'_> {
        Client { app: self, cookies: HashMap::new(), csrf: None }
    }

    /// The database behind the app, for checking what it holds.
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// Stores a plan file as the next version of its plan, as `indsats plan load` does, and
    /// returns the version number (the latest one when the text is unchanged).
    pub async fn load_plan(&self, text: &str) -> i64 {
        let plan = indsats_domain::plan::parse(text).unwrap_or_else(|problems| panic!("plan problems: {problems:?}"));
        match indsats_app::plans::load(&*self.store, &plan, text, None).await.unwrap() {
            SaveOutcome::Created(v) | SaveOutcome::Unchanged(v) => v.version,
        }
    }

    /// A new API token for `username`, as the administration page hands one out.
    pub async fn api_token(&self, username: &str) -> String {
        accounts::create_api_token(&*self.store, None, username, "test").await.unwrap()
    }

    /// Runs SQL on the app's database over a connection of its own, behind the app's back
    /// (to break something on purpose).
    pub async fn execute_sql(&self, sql: &'static str) {
        use sqlx::Connection;
        match &self.database {
            Database::Sqlite { path, .. } => {
                let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
                sqlx::query(sql).execute(&mut conn).await.unwrap();
            }
            Database::Postgres(db) => {
                let mut conn = sqlx::PgConnection::connect(&db.url).await.unwrap();
                sqlx::query(sql).execute(&mut conn).await.unwrap();
            }
        }
    }
}

/// A small register panel, quarters and years from `first_year` to `last_year`: 3 residents
/// of Rødovre (175) on sickness benefit the whole time, 20 residents of Gladsaxe (159) of
/// whom 10 are on unemployment benefit the whole time.
pub fn small_register(first_year: i32, last_year: i32) -> SeriesIndex {
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
            let (from, to) = (IsoWeek::new(first_year, 1).unwrap(), IsoWeek::new(last_year, 52).unwrap());
            benefits.push(BenefitSpell { person_id: id, group, from, to });
        }
    }
    let dataset = Dataset::new(persons, residences, benefits, Vec::new()).unwrap();
    let quarter = |year: i32, q: u8| format!("{year}Q{q}").parse::<Period>().unwrap();
    let range = PeriodRange::spanning(PeriodKind::Quarter, quarter(first_year, 1), quarter(last_year, 4)).unwrap();
    let rows = engine::compute(&dataset, &[range], &engine::Options { threads: 1, chunk: 64 }).unwrap();
    SeriesIndex::new(&rows)
}

/// A PostgreSQL database of one test's own, created like the store suite's and dropped when
/// the app is dropped.
struct PgDatabase {
    admin: String,
    name: String,
    url: String,
}

impl PgDatabase {
    async fn create() -> Self {
        let admin = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
            panic!(
                "{POSTGRES_URL_VAR} must name a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run the PostgreSQL tests"
            )
        });
        let name = format!("indsats_web_test_{:016x}", rand::random::<u64>());
        let pool = sqlx::PgPool::connect(&admin).await.expect("connect to the PostgreSQL test server");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.unwrap();
        pool.close().await;
        let url = with_database(&admin, &name);
        PgDatabase { admin, name, url }
    }
}

impl Drop for PgDatabase {
    // Drop cannot wait on the test's runtime, so a thread with a runtime of its own drops the
    // database; FORCE ends the app's connections, which are still open here. A failure is
    // only reported: panicking while a failed test unwinds would abort the whole run.
    fn drop(&mut self) {
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let pool = sqlx::PgPool::connect(&admin).await.map_err(|e| e.to_string())?;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await.map_err(|e| e.to_string())?;
                pool.close().await;
                Ok::<(), String>(())
            })
        })
        .join();
        if let Ok(Err(e)) | Err(e) = dropped.map_err(|_| "the thread panicked".to_owned()) {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

/// `admin` (a PostgreSQL URL) pointing at the database `name` instead.
fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin.split_once('?').map_or((admin, None), |(base, query)| (base, Some(query)));
    let host = base.find("://").map_or(0, |i| i + 3);
    let path = base[host..].find('/').map_or(base.len(), |i| host + i);
    match query {
        Some(query) => format!("{}/{name}?{query}", &base[..path]),
        None => format!("{}/{name}", &base[..path]),
    }
}

/// A browser in miniature: keeps cookies and the last page's CSRF token.
pub struct Client<'a> {
    app: &'a TestApp,
    cookies: HashMap<String, String>,
    csrf: Option<String>,
}

impl Client<'_> {
    /// Logs in as the app's user for `role` and checks that it worked (a redirect to `/`).
    pub async fn login(&mut self, role: Role) -> Page {
        let page = self.login_with(role.as_str(), PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "login as {role}: {}", page.body);
        assert_eq!(page.location(), Some("/"), "login as {role}");
        page
    }

    /// Opens the login page and submits the form with these credentials, whatever the answer.
    pub async fn login_with(&mut self, username: &str, password: &str) -> Page {
        self.get("/login").await;
        self.post_form("/login", &[("username", username), ("password", password)]).await
    }

    /// Gets a page.
    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.request(Method::GET, path).body(Body::empty()).unwrap();
        self.send(request).await
    }

    /// Posts a URL-encoded form, adding the CSRF token of the last page seen.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf.clone().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_form_without_csrf(path, &all).await
    }

    /// Posts a URL-encoded form exactly as given: no CSRF token unless `fields` has one.
    pub async fn post_form_without_csrf(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let request = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Submits a form read from a page with [`Page::form`], with the fields it carries (its
    /// hidden revision and CSRF token included), as a browser does.
    pub async fn submit(&mut self, form: &Form) -> Page {
        let fields: Vec<(&str, &str)> = form.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let action = form.action.clone();
        self.post_form_without_csrf(&action, &fields).await
    }

    /// Posts a `multipart/form-data` form (a file upload), with the CSRF token of the last
    /// page seen as its first part.
    pub async fn post_multipart(&mut self, path: &str, parts: &[Part]) -> Page {
        let token = Part::text("csrf_token", &self.csrf.clone().unwrap_or_default());
        let all: Vec<Part> = std::iter::once(token).chain(parts.iter().cloned()).collect();
        self.post_multipart_without_csrf(path, &all).await
    }

    /// Posts a `multipart/form-data` form exactly as given.
    pub async fn post_multipart_without_csrf(&mut self, path: &str, parts: &[Part]) -> Page {
        const BOUNDARY: &str = "----indsats-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            match &part.file_name {
                Some(file) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
                        part.name
                    )
                    .as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{}\"\r\n\r\n", part.name).as_bytes(),
                ),
            }
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Sends a JSON request (or none, with an empty `body`) with extra headers such as
    /// `authorization` or `x-csrf-token`.
    pub async fn json(&mut self, method: Method, path: &str, body: &str, extra: &[(&str, &str)]) -> Page {
        let mut builder = self.request(method, path).header(header::CONTENT_TYPE, "application/json");
        for (k, v) in extra {
            builder = builder.header(*k, *v);
        }
        self.send(builder.body(Body::from(body.to_owned())).unwrap()).await
    }

    /// Follows a redirect, as a browser does after a form; any other page is returned as is.
    pub async fn follow(&mut self, page: Page) -> Page {
        match page.location() {
            Some(location) if page.status.is_redirection() => {
                let location = location.to_owned();
                self.get(&location).await
            }
            _ => page,
        }
    }

    /// Gets a download as bytes, exactly as served (a [`Page`] holds its body as text).
    pub async fn get_bytes(&mut self, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let request = self.request(Method::GET, path).body(Body::empty()).unwrap();
        let response: Response = self.app.router.clone().oneshot(request).await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, headers, bytes.to_vec())
    }

    /// The value of a cookie the client holds.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    /// Puts a cookie in the jar, as a client that kept an old one would.
    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_owned(), value.to_owned());
    }

    /// The CSRF token of the last page that had one.
    pub fn csrf_token(&self) -> Option<&str> {
        self.csrf.as_deref()
    }

    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let cookie = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        let builder = Request::builder().method(method).uri(path);
        if cookie.is_empty() { builder } else { builder.header(header::COOKIE, cookie) }
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
}

/// One part of a multipart form: a text field or a chosen file.
#[derive(Debug, Clone)]
pub struct Part {
    name: String,
    file_name: Option<String>,
    bytes: Vec<u8>,
}

impl Part {
    /// A text field.
    pub fn text(name: &str, value: &str) -> Self {
        Part { name: name.to_owned(), file_name: None, bytes: value.as_bytes().to_vec() }
    }

    /// A file input with a chosen file.
    pub fn file(name: &str, file_name: &str, bytes: &[u8]) -> Self {
        Part { name: name.to_owned(), file_name: Some(file_name.to_owned()), bytes: bytes.to_vec() }
    }

    /// A file input left empty: browsers still send the part, with no file name and no bytes.
    pub fn no_file(name: &str) -> Self {
        Part { name: name.to_owned(), file_name: Some(String::new()), bytes: Vec::new() }
    }
}

/// A response as the client saw it.
pub struct Page {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body as text (HTML, JSON or plain).
    pub body: String,
}

impl Page {
    /// Where a redirect points.
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    /// Whether the page shows `text` as the user reads it: the body holds it HTML-escaped as
    /// the templates write it (`"` as `&#34;`, `&` as `&amp;`, ...).
    pub fn has_text(&self, text: &str) -> bool {
        self.body.contains(&escape_html(text))
    }

    /// The form posting to `action`, with the values its fields hold as the page was served:
    /// hidden and text inputs, the selected option of each select, each textarea's text.
    /// Panics, naming the forms there are, when the page has no such form.
    pub fn form(&self, action: &str) -> Form {
        self.find_form(action).unwrap_or_else(|| {
            let actions: Vec<String> =
                self.body.split("<form").skip(1).filter_map(|f| attribute(tag(f), "action")).collect();
            panic!("no form posting to {action} (forms: {actions:?}) on a {} page:\n{}", self.status, self.body)
        })
    }

    /// Whether the page has a form posting to `action` (the forms a role may use).
    pub fn has_form(&self, action: &str) -> bool {
        self.find_form(action).is_some()
    }

    fn find_form(&self, action: &str) -> Option<Form> {
        let inner =
            self.body.split("<form").skip(1).find(|f| attribute(tag(f), "action").as_deref() == Some(action))?;
        let inner = inner.split("</form>").next().unwrap_or(inner);
        let mut fields = Vec::new();
        for input in inner.split("<input").skip(1).map(tag) {
            let kind = attribute(input, "type").unwrap_or_else(|| "text".into());
            if let (Some(name), false) = (attribute(input, "name"), matches!(kind.as_str(), "file" | "submit")) {
                fields.push((name, attribute(input, "value").unwrap_or_default()));
            }
        }
        for select in inner.split("<select").skip(1) {
            let Some(name) = attribute(tag(select), "name") else { continue };
            let options = select.split("</select>").next().unwrap_or(select);
            let mut values = options.split("<option").skip(1).map(tag);
            let chosen = values.clone().find(|o| o.contains(" selected")).or_else(|| values.next());
            fields.push((name, chosen.and_then(|o| attribute(o, "value")).unwrap_or_default()));
        }
        for area in inner.split("<textarea").skip(1) {
            let Some(name) = attribute(tag(area), "name") else { continue };
            let text = area.split_once('>').map_or("", |(_, rest)| rest.split("</textarea>").next().unwrap_or(rest));
            fields.push((name, unescape_html(text)));
        }
        Some(Form { action: action.to_owned(), fields })
    }
}

/// A form as a page served it, to change a field of and [`Client::submit`].
#[derive(Debug, Clone)]
pub struct Form {
    action: String,
    fields: Vec<(String, String)>,
}

impl Form {
    /// The value of a field, as the page filled it in.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Fills in a field, as a user types or chooses (adding it if the form has none).
    #[must_use]
    pub fn set(mut self, name: &str, value: &str) -> Self {
        match self.fields.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => value.clone_into(v),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    /// The same fields posted to another address (an outdated or forged form).
    #[must_use]
    pub fn posted_to(mut self, action: &str) -> Self {
        action.clone_into(&mut self.action);
        self
    }
}

/// The text of the tag that starts `rest` (up to its closing `>`).
fn tag(rest: &str) -> &str {
    rest.split('>').next().unwrap_or(rest)
}

/// An attribute's value in a tag's text, unescaped.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let value = tag.split(&format!(" {name}=\"")).nth(1)?;
    Some(unescape_html(value.split('"').next().unwrap_or_default()))
}

/// Text escaped the way the templates (askama) escape it.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// The text an attribute or a textarea holds: askama's escapes and the usual named ones undone.
fn unescape_html(text: &str) -> String {
    [("&#60;", "<"), ("&lt;", "<"), ("&#62;", ">"), ("&gt;", ">"), ("&#34;", "\""), ("&quot;", "\""), ("&#39;", "'")]
        .into_iter()
        .chain([("&#38;", "&"), ("&amp;", "&")])
        .fold(text.to_owned(), |text, (entity, plain)| text.replace(entity, plain))
}
