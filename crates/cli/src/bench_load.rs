//! `indsats bench load`: case work under load. The demo's 100 caseworkers log in through the
//! login form, each on its own keep-alive connection, and go through their day: the worklist,
//! then one of their own cases, again and again, against the real server (the router `indsats
//! serve` builds) on loopback. Prints requests, errors, throughput and latency percentiles per
//! page; figures only, never asserted (see docs/performance.md, "Case work under load").
//!
//! The HTTP client is a few lines over `httparse` rather than a client crate: the workspace
//! has none, and the benchmark needs nothing but GET and POST with cookies on one connection.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{Duration as Days, NaiveDate};
use indsats_domain::case::{EducationLevel, TargetGroup};
use indsats_domain::{BenefitGroup, Cpr, Password, Username};
use indsats_store::{NewCitizen, Profile, Store, StoreError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::config::Settings;

/// The password the benchmark gives the demo's caseworkers (only in the benchmark's database).
pub const PASSWORD: &str = "belastningsprøve";

/// What `indsats bench load` was asked to do.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// The data directory to use; `None` for a fresh one, removed afterwards.
    pub work_dir: Option<PathBuf>,
    /// Concurrent clients, one per caseworker (at most the demo's 100).
    pub clients: usize,
    /// Seconds each run lasts.
    pub seconds: u64,
    /// How many runs (medians are reported).
    pub runs: usize,
    /// Top the open cases up to this many with synthetic ones.
    pub cases: Option<usize>,
    /// A pause after each page, as a person reading it; zero for a stress test in which the
    /// clients keep the server saturated (latency is then mostly queueing).
    pub think: Duration,
}

/// `indsats bench load`.
pub async fn run(settings: &Settings, options: &LoadOptions) -> anyhow::Result<()> {
    if options.runs == 0 || options.seconds == 0 || options.clients == 0 {
        bail!("--runs, --seconds and --clients must be at least 1");
    }
    let (dir, temporary) = match &options.work_dir {
        Some(dir) => (dir.clone(), false),
        None => (std::env::temp_dir().join(format!("indsats-bench-load-{}", std::process::id())), true),
    };
    let result = measure(settings, options, &dir).await;
    if temporary {
        // A failed removal leaves a temporary directory behind; the figures still stand.
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

async fn measure(settings: &Settings, options: &LoadOptions, dir: &Path) -> anyhow::Result<()> {
    let settings = bench_settings(settings, dir);
    // With PostgreSQL the directory still holds the register and the CPR key.
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let store = settings.open_store().await?;
    let users = prepare(&settings, &*store, options.clients).await?;
    if let Some(cases) = options.cases {
        top_up_cases(&store, &settings, cases).await?;
    }
    let open = store.count_citizens().await?;
    let (addr, server) = start_server(&settings, store.clone()).await?;
    println!(
        "database: {}; {open} cases; {} clients logging in on http://{addr}/ (HTTP/1.1 keep-alive); \
         {} ms pause after each page",
        store.backend(),
        users.len(),
        options.think.as_millis()
    );
    let started = Instant::now();
    let mut clients = login_all(addr, &users).await?;
    println!("{} logins in {:.1} s", clients.len(), started.elapsed().as_secs_f64());

    let mut worklists = Vec::new();
    let mut cases = Vec::new();
    for run in 1..=options.runs {
        let seconds = Duration::from_secs(options.seconds);
        let (returned, mut figures) = drive(clients, seconds, options.think).await;
        clients = returned;
        println!("run {run} ({} s):", options.seconds);
        for line in figures.lines(seconds) {
            println!("  {line}");
        }
        worklists.push(figures.worklist);
        cases.push(figures.case);
    }
    if options.runs > 1 {
        println!("medians over {} runs:", options.runs);
        println!("  {}", PageFigures::median_line("worklist /borgere", &worklists, options.seconds));
        println!("  {}", PageFigures::median_line("case page /borgere/{id}", &cases, options.seconds));
    }
    server.abort();
    Ok(())
}

/// The settings with the benchmark's data directory and a loopback address (no `Secure`
/// cookies, as `indsats serve` on loopback).
fn bench_settings(settings: &Settings, dir: &Path) -> Settings {
    let mut settings = settings.clone();
    dir.clone_into(&mut settings.data_dir);
    settings.cpr_key_file = None;
    settings.addr = SocketAddr::from(([127, 0, 0, 1], 0));
    settings.secure_cookies = Some(false);
    settings
}

/// The demo's caseworkers: the demo's own and its 99 colleagues.
fn caseworker_names(clients: usize) -> anyhow::Result<Vec<Username>> {
    let count = clients.min(indsats_app::demo_cases::CASEWORKERS);
    let mut names = vec![Username::parse("sagsbehandler")?];
    names.extend((1..count).map(|i| Username::parse(&format!("sb{i:03}"))).collect::<Result<Vec<_>, _>>()?);
    Ok(names)
}

/// Seeds the demo into an empty database and gives `clients` of its caseworkers [`PASSWORD`]
/// through the store (each change audited). A database that is not the demo's is refused:
/// the benchmark changes passwords.
async fn prepare(settings: &Settings, store: &dyn Store, clients: usize) -> anyhow::Result<Vec<Username>> {
    if store.count_users().await? == 0 {
        crate::demo::seed(settings, store).await?;
    }
    if !store.site().await?.is_some_and(|site| site.is_demo) {
        bail!("this database is not the demo's; indsats bench load only runs against demo data (it sets passwords)");
    }
    let names = caseworker_names(clients)?;
    let mut stale = Vec::new();
    for name in &names {
        let user = store.user_by_username(name).await?.with_context(|| format!("the demo has no user {name}"))?;
        stale.push((name, user.password_hash));
    }
    // One hash for all: the same salt for every user is harmless in a benchmark and saves
    // 99 Argon2 runs. A rerun on the same database checks one user and keeps the hashes.
    let same = stale.windows(2).all(|w| w[0].1 == w[1].1);
    let first = stale.first().map(|(_, hash)| hash.clone()).unwrap_or_default();
    let password = Password::parse(PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    let known =
        same && tokio::task::spawn_blocking(move || indsats_app::accounts::verify_password(&first, PASSWORD)).await?;
    if !known {
        let hash = tokio::task::spawn_blocking(move || indsats_app::accounts::hash_password(&password)).await??;
        for (name, _) in &stale {
            store.set_password_hash(name, &hash, None).await?;
        }
        println!("{} caseworkers have the benchmark's password", stale.len());
    }
    Ok(names)
}

/// Cases per synthetic caseworker: about the demo's caseload per caseworker.
const SYNTHETIC_CASELOAD: usize = 25;

/// Adds synthetic open cases until the database holds `target`, for a municipality (or several)
/// of that size. They go to synthetic caseworkers (`bl00001`..., [`SYNTHETIC_CASELOAD`] each,
/// who cannot log in), so the clients' worklists keep the demo's size while the tables grow.
/// Straight through the store, each insert audited as a real one, eight at a time.
async fn top_up_cases(store: &Arc<dyn Store>, settings: &Settings, target: usize) -> anyhow::Result<()> {
    let existing = usize::try_from(store.count_citizens().await?).unwrap_or(0);
    if existing >= target {
        return Ok(());
    }
    let started = Instant::now();
    let vault = indsats_app::vault::Vault::for_installation(&**store, &settings.cpr_key_file()).await?;
    let first_worker = existing / SYNTHETIC_CASELOAD;
    let mut workers = Vec::new();
    for i in first_worker..=(target - 1) / SYNTHETIC_CASELOAD {
        let username = Username::parse(&format!("bl{i:05}"))?;
        let id = if let Some(user) = store.user_by_username(&username).await? {
            user.id
        } else {
            let user = indsats_store::NewUser {
                username,
                display_name: format!("Syntetisk sagsbehandler {i}"),
                role: indsats_domain::Role::Sagsbehandler,
                // Not a PHC string: nobody can log in as a synthetic caseworker.
                password_hash: "!".into(),
            };
            store.create_user(&user, None).await?
        };
        workers.push(id);
    }
    let today = indsats_app::cases::local_now().date();
    let (mut added, mut taken) = (0usize, 0usize);
    let mut serial = existing;
    while existing + added < target {
        let mut batch = tokio::task::JoinSet::new();
        let size = (target - existing - added).min(8);
        for k in serial..serial + size {
            let worker = (k / SYNTHETIC_CASELOAD).saturating_sub(first_worker).min(workers.len() - 1);
            let caseworker = workers[worker];
            let new = synthetic_case(k, &vault, caseworker, today)?;
            let store = store.clone();
            batch.spawn(async move { store.create_citizen(&new, caseworker).await });
        }
        serial += size;
        while let Some(done) = batch.join_next().await {
            match done? {
                Ok(_) => added += 1,
                // A synthetic CPR number already used (by the demo or an earlier top-up):
                // skipped, another is made.
                Err(StoreError::Conflict(_)) => taken += 1,
                Err(e) => return Err(e.into()),
            }
        }
    }
    println!(
        "added {added} synthetic cases for {} synthetic caseworkers in {:.1} s ({taken} CPR numbers already taken)",
        workers.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Synthetic case number `k`: a CPR number born in 1960-1987 (seventh digit 0-3, so 19xx),
/// unique per `k`, on kontanthjælp as job-ready, started a year ago.
fn synthetic_case(
    k: usize,
    vault: &indsats_app::vault::Vault,
    caseworker: indsats_domain::UserId,
    today: NaiveDate,
) -> anyhow::Result<NewCitizen> {
    let first = NaiveDate::from_ymd_opt(1960, 1, 1).context("date")?;
    let birth = first + Days::days(i64::try_from(k % 10_000)?);
    let cpr = Cpr::parse(&format!("{}{:04}", birth.format("%d%m%y"), (k / 10_000) % 4000))
        .map_err(|e| anyhow::anyhow!("synthetic CPR number: {e}"))?;
    let course_start = today - Days::weeks(52);
    Ok(NewCitizen {
        cpr_lookup: vault.lookup(&cpr),
        cpr_sealed: vault.seal(&cpr),
        birth_date: birth,
        profile: Profile {
            name: format!("Syntetisk Borger {k}"),
            address: "Testvej 1, 2610 Rødovre".into(),
            phone: String::new(),
            email: String::new(),
            language: "dansk".into(),
            interpreter: false,
            education: EducationLevel::ALL[k % EducationLevel::ALL.len()],
            wished_occupations: Vec::new(),
        },
        benefit: BenefitGroup::Kontanthjaelp,
        target_group: TargetGroup::KontanthjaelpJobparat,
        course_start,
        caseworker: Some(caseworker),
        opened_on: course_start,
        created_at: indsats_store::unix_now(),
    })
}

/// Serves the application in this process on a free loopback port.
async fn start_server(
    settings: &Settings,
    store: Arc<dyn Store>,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let state = crate::serve::app_state(settings, store).await?;
    let listener = tokio::net::TcpListener::bind(settings.addr).await?;
    let addr = listener.local_addr()?;
    let app = indsats_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::warn!(error = %err, "benchmark server stopped");
        }
    });
    Ok((addr, server))
}

// ---------------------------------------------------------------------------------------------
// The clients

/// A logged-in caseworker on their own connection.
struct Caseworker {
    connection: Connection,
    session: String,
    round: usize,
}

/// Logs every user in at once, as a morning's logins: GET the form for the CSRF cookie, POST
/// the form with it, keep the session cookie.
async fn login_all(addr: SocketAddr, users: &[Username]) -> anyhow::Result<Vec<Caseworker>> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, user) in users.iter().enumerate() {
        let user = user.clone();
        tasks.spawn(async move { (i, login(addr, &user).await.with_context(|| format!("login as {user}"))) });
    }
    let mut clients: Vec<(usize, Caseworker)> = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let (i, client) = done?;
        clients.push((i, client?));
    }
    clients.sort_by_key(|(i, _)| *i);
    Ok(clients.into_iter().map(|(_, c)| c).collect())
}

async fn login(addr: SocketAddr, user: &Username) -> anyhow::Result<Caseworker> {
    let mut connection = Connection::open(addr).await?;
    let form = connection.send("GET", "/login", "", &[], "").await?;
    let csrf = form.cookie("indsats_csrf").context("the login form set no CSRF cookie")?;
    let body = format!("username={}&password={}", user.as_str(), form_encode(PASSWORD));
    let cookie = format!("indsats_csrf={csrf}");
    let headers = [("content-type", "application/x-www-form-urlencoded"), ("x-csrf-token", csrf.as_str())];
    let reply = connection.send("POST", "/login", &cookie, &headers, &body).await?;
    let session =
        reply.cookie("indsats_session").with_context(|| format!("login refused with status {}", reply.status))?;
    Ok(Caseworker { connection, session: format!("indsats_session={session}"), round: 0 })
}

/// Percent-encodes everything but unreserved ASCII, for a form body.
fn form_encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// One run: every caseworker loops over worklist and case page until `length` has passed.
async fn drive(clients: Vec<Caseworker>, length: Duration, think: Duration) -> (Vec<Caseworker>, Figures) {
    let deadline = Instant::now() + length;
    let mut tasks = tokio::task::JoinSet::new();
    let n = u32::try_from(clients.len()).unwrap_or(u32::MAX).max(1);
    for (i, client) in (0..).zip(clients) {
        // Staggered starts, so paced clients do not arrive in step.
        let start = think * i / n;
        tasks.spawn(caseworker_day(client, start, think, deadline));
    }
    let mut figures = Figures::default();
    let mut clients = Vec::new();
    while let Some(done) = tasks.join_next().await {
        // A panicking client task is a bug in the benchmark; its figures are lost, the rest stand.
        if let Ok((client, mine)) = done {
            figures.worklist.merge(mine.worklist);
            figures.case.merge(mine.case);
            clients.push(client);
        }
    }
    (clients, figures)
}

async fn caseworker_day(
    mut client: Caseworker,
    start: Duration,
    think: Duration,
    deadline: Instant,
) -> (Caseworker, Figures) {
    let mut figures = Figures::default();
    let mut cases = Vec::new();
    tokio::time::sleep(start).await;
    // A round is always finished, so every client does at least one of each.
    loop {
        if let Some(body) = client.get("/borgere", &mut figures.worklist).await {
            cases = case_links(&body);
        }
        tokio::time::sleep(think).await;
        if !cases.is_empty() {
            let case = cases[client.round % cases.len()];
            client.round += 1;
            client.get(&format!("/borgere/{case}"), &mut figures.case).await;
            tokio::time::sleep(think).await;
        }
        if Instant::now() >= deadline {
            break;
        }
    }
    (client, figures)
}

impl Caseworker {
    /// GETs `path`, records the outcome, and returns a 2xx reply's body. A broken connection
    /// is an error and is opened again.
    async fn get(&mut self, path: &str, page: &mut PageFigures) -> Option<Vec<u8>> {
        let started = Instant::now();
        let reply = self.connection.send("GET", path, &self.session, &[], "").await;
        let elapsed = started.elapsed();
        page.requests += 1;
        if let Ok(reply) = reply {
            page.latencies.push(elapsed);
            if (200..300).contains(&reply.status) {
                return Some(reply.body);
            }
            page.errors += 1;
        } else {
            page.errors += 1;
            // The connection broke: open a new one for the next request.
            if let Ok(fresh) = Connection::open(self.connection.addr).await {
                self.connection = fresh;
            }
        }
        None
    }
}

/// The case ids a worklist links to (`href="/borgere/123"`), in order.
pub fn case_links(body: &[u8]) -> Vec<i64> {
    const PREFIX: &[u8] = b"href=\"/borgere/";
    let mut ids = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.windows(PREFIX.len()).position(|w| w == PREFIX) {
        rest = &rest[at + PREFIX.len()..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0
            && rest.get(digits) == Some(&b'"')
            && let Some(id) = std::str::from_utf8(&rest[..digits]).ok().and_then(|s| s.parse().ok())
        {
            ids.push(id);
        }
    }
    ids
}

// ---------------------------------------------------------------------------------------------
// Figures

/// The outcome of one run, per page.
#[derive(Debug, Default)]
struct Figures {
    worklist: PageFigures,
    case: PageFigures,
}

impl Figures {
    fn lines(&mut self, length: Duration) -> [String; 2] {
        [self.worklist.line("worklist /borgere", length), self.case.line("case page /borgere/{id}", length)]
    }
}

/// Requests to one page: how many, how many failed (non-2xx or a broken connection), and the
/// latency of every answered one.
#[derive(Debug, Default, Clone)]
pub struct PageFigures {
    /// Requests sent.
    pub requests: usize,
    /// Non-2xx answers and broken connections.
    pub errors: usize,
    /// Time from sending to the whole answer read, of every answered request.
    pub latencies: Vec<Duration>,
}

impl PageFigures {
    fn merge(&mut self, other: PageFigures) {
        self.requests += other.requests;
        self.errors += other.errors;
        self.latencies.extend(other.latencies);
    }

    fn summary(&mut self, length: Duration) -> Summary {
        self.latencies.sort_unstable();
        let ms = |percent| percentile(&self.latencies, percent).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
        #[expect(clippy::cast_precision_loss, reason = "request counts are far below 2^53")]
        let rate = self.requests as f64 / length.as_secs_f64();
        Summary { requests: self.requests, errors: self.errors, rate, p50: ms(50), p95: ms(95), p99: ms(99) }
    }

    fn line(&mut self, name: &str, length: Duration) -> String {
        self.summary(length).line(name)
    }

    fn median_line(name: &str, runs: &[PageFigures], seconds: u64) -> String {
        let length = Duration::from_secs(seconds);
        let summaries: Vec<Summary> = runs.iter().map(|r| r.clone().summary(length)).collect();
        let pick = |f: fn(&Summary) -> f64| median(summaries.iter().map(f).collect());
        let count = |f: fn(&Summary) -> usize| {
            let mut counts: Vec<usize> = summaries.iter().map(f).collect();
            counts.sort_unstable();
            // The lower median: a count stays a count.
            counts.get(counts.len().saturating_sub(1) / 2).copied().unwrap_or(0)
        };
        let summary = Summary {
            requests: count(|s| s.requests),
            errors: count(|s| s.errors),
            rate: pick(|s| s.rate),
            p50: pick(|s| s.p50),
            p95: pick(|s| s.p95),
            p99: pick(|s| s.p99),
        };
        summary.line(name)
    }
}

struct Summary {
    requests: usize,
    errors: usize,
    rate: f64,
    p50: f64,
    p95: f64,
    p99: f64,
}

impl Summary {
    fn line(&self, name: &str) -> String {
        format!(
            "{name:<24} {:>7} requests, {:>4} errors, {:>7.1} req/s; latency p50 {:>6.1} ms, p95 {:>6.1} ms, p99 {:>6.1} ms",
            self.requests, self.errors, self.rate, self.p50, self.p95, self.p99
        )
    }
}

/// The nearest-rank percentile of sorted samples: the smallest sample with at least
/// `percent` per cent of the samples at or below it. `None` without samples. Integer
/// arithmetic, so p95 of 100 samples is exactly the 95th.
pub fn percentile<T: Copy>(sorted: &[T], percent: u32) -> Option<T> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = (n * percent.min(100) as usize).div_ceil(100).max(1);
    Some(sorted[rank - 1])
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => f64::midpoint(values[n / 2 - 1], values[n / 2]),
    }
}

// ---------------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client: one request at a time on a kept-alive connection.

struct Connection {
    addr: SocketAddr,
    stream: TcpStream,
    buffer: Vec<u8>,
}

/// An answer: status, the `name=value` of each `Set-Cookie`, and the body.
struct Reply {
    status: u16,
    cookies: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.iter().find(|(n, v)| n == name && !v.is_empty()).map(|(_, v)| v.clone())
    }
}

impl Connection {
    async fn open(addr: SocketAddr) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self { addr, stream, buffer: Vec::with_capacity(64 * 1024) })
    }

    async fn send(
        &mut self,
        method: &str,
        path: &str,
        cookie: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> anyhow::Result<Reply> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {}\r\n", self.addr);
        if !cookie.is_empty() {
            let _ = write!(head, "cookie: {cookie}\r\n");
        }
        for (name, value) in headers {
            let _ = write!(head, "{name}: {value}\r\n");
        }
        if method != "GET" {
            let _ = write!(head, "content-length: {}\r\n", body.len());
        }
        head.push_str("\r\n");
        head.push_str(body);
        self.stream.write_all(head.as_bytes()).await?;
        self.read_reply().await
    }

    async fn fill(&mut self) -> anyhow::Result<()> {
        if self.stream.read_buf(&mut self.buffer).await? == 0 {
            bail!("the server closed the connection");
        }
        Ok(())
    }

    async fn read_reply(&mut self) -> anyhow::Result<Reply> {
        let (status, cookies, length, chunked, head) = loop {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut response = httparse::Response::new(&mut headers);
            if let httparse::Status::Complete(head) = response.parse(&self.buffer)? {
                let status = response.code.context("no status")?;
                let (mut cookies, mut length, mut chunked) = (Vec::new(), None, false);
                for header in response.headers.iter() {
                    let value = std::str::from_utf8(header.value).unwrap_or_default();
                    if header.name.eq_ignore_ascii_case("set-cookie") {
                        let pair = value.split(';').next().unwrap_or_default();
                        if let Some((name, value)) = pair.split_once('=') {
                            cookies.push((name.trim().to_owned(), value.trim().to_owned()));
                        }
                    } else if header.name.eq_ignore_ascii_case("content-length") {
                        length = Some(value.trim().parse::<usize>()?);
                    } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
                        chunked = value.to_ascii_lowercase().contains("chunked");
                    }
                }
                break (status, cookies, length, chunked, head);
            }
            self.fill().await?;
        };
        self.buffer.drain(..head);
        let body = if chunked { self.read_chunked().await? } else { self.read_exactly(length.unwrap_or(0)).await? };
        Ok(Reply { status, cookies, body })
    }

    async fn read_exactly(&mut self, n: usize) -> anyhow::Result<Vec<u8>> {
        while self.buffer.len() < n {
            self.fill().await?;
        }
        Ok(self.buffer.drain(..n).collect())
    }

    async fn read_line(&mut self) -> anyhow::Result<String> {
        loop {
            if let Some(end) = self.buffer.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buffer[..end]).into_owned();
                self.buffer.drain(..end + 2);
                return Ok(line);
            }
            self.fill().await?;
        }
    }

    async fn read_chunked(&mut self) -> anyhow::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line().await?;
            let size = usize::from_str_radix(line.split(';').next().unwrap_or_default().trim(), 16)?;
            if size == 0 {
                // Trailers (none expected) end with an empty line.
                while !self.read_line().await?.is_empty() {}
                return Ok(body);
            }
            body.extend(self.read_exactly(size).await?);
            self.read_exactly(2).await?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The definition, counted out: the smallest sample with at least `percent` per cent of
    /// the samples at or below it.
    fn reference(sorted: &[u32], percent: u32) -> Option<u32> {
        let n = sorted.len();
        sorted.iter().copied().find(|&v| sorted.iter().filter(|&&x| x <= v).count() * 100 >= percent as usize * n)
    }

    proptest! {
        #[test]
        fn percentile_is_the_nearest_rank(mut samples in prop::collection::vec(0u32..50, 0..200), percent in 1u32..=100) {
            samples.sort_unstable();
            prop_assert_eq!(percentile(&samples, percent), reference(&samples, percent));
        }
    }

    #[test]
    fn percentiles_of_one_to_a_hundred_are_themselves() {
        let samples: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&samples, 50), Some(50));
        assert_eq!(percentile(&samples, 95), Some(95));
        assert_eq!(percentile(&samples, 99), Some(99));
        assert_eq!(percentile(&samples, 100), Some(100));
        assert_eq!(percentile::<u32>(&[], 50), None);
    }

    #[test]
    fn case_links_are_read_from_the_worklist() {
        let page = br#"<a href="/borgere/ny">x</a><td><a href="/borgere/12">A</a></td><a href="/borgere/7">B</a>
            <a href="/borgere/regler">r</a><a href="/borgere/3?grund=x">c</a>"#;
        assert_eq!(case_links(page), [12, 7]);
    }

    /// One caseworker with one case on the real router: logs in, and the worklist and the case
    /// page answer 2xx, each read audited. Short: one round is always finished.
    #[tokio::test]
    async fn a_caseworker_logs_in_and_reads_worklist_and_case() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: dir.path().to_owned(),
            database_url: None,
            log_format: crate::config::LogFormat::Text,
            secure_cookies: Some(false),
            trusted_proxies: Vec::new(),
            demo_on_empty: Some(false),
            cpr_key_file: None,
            staff_oidc_issuer: None,
            staff_oidc_client_id: None,
            staff_oidc_client_secret: None,
            staff_oidc_redirect_url: None,
            staff_oidc_claim: None,
            citizen_oidc_issuer: None,
            citizen_oidc_client_id: None,
            citizen_oidc_client_secret: None,
            citizen_oidc_redirect_url: None,
            citizen_oidc_claim: None,
        };
        let store = settings.open_store().await.unwrap();
        let hash = indsats_app::accounts::hash_password(&Password::parse(PASSWORD).unwrap()).unwrap();
        let user = indsats_store::NewUser {
            username: Username::parse("sagsbehandler").unwrap(),
            display_name: "Anne Holm".into(),
            role: indsats_domain::Role::Sagsbehandler,
            password_hash: hash,
        };
        let id = store.create_user(&user, None).await.unwrap();
        let vault = indsats_app::vault::Vault::for_installation(&*store, &settings.cpr_key_file()).await.unwrap();
        let today = indsats_app::cases::local_now().date();
        let citizen = store.create_citizen(&synthetic_case(0, &vault, id, today).unwrap(), id).await.unwrap();

        let (addr, server) = start_server(&settings, store.clone()).await.unwrap();
        let clients = login_all(addr, &[user.username]).await.unwrap();
        let (clients, figures) = drive(clients, Duration::from_millis(1), Duration::ZERO).await;
        server.abort();

        assert_eq!(clients.len(), 1);
        let (worklist, case) = (&figures.worklist, &figures.case);
        assert!(worklist.requests >= 1 && case.requests >= 1, "{figures:?}");
        assert_eq!((worklist.errors, case.errors), (0, 0), "{figures:?}");
        assert_eq!(worklist.latencies.len(), worklist.requests);
        let codes: Vec<String> = store.recent_audit(100).await.unwrap().into_iter().map(|e| e.action).collect();
        assert!(codes.iter().any(|c| c == "citizen.worklist"), "{codes:?}");
        assert!(codes.iter().any(|c| c == "citizen.view"), "{codes:?}");
        assert!(codes.iter().any(|c| c == "login"), "{codes:?}");
        assert!(citizen.0 > 0);
    }

    #[test]
    fn form_values_are_percent_encoded() {
        assert_eq!(form_encode("a b&ø"), "a%20b%26%C3%B8");
    }
}
