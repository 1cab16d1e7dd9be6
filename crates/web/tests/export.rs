//! HTTP tests of the table exports: the Overblik tables, a plan's (the report's) tables, a
//! goal's rows of them, the plan list, the report archive and the administration tables
//! download as XLSX and CSV, with the page's disclosure rule, so a cell of 1-4 persons that the
//! committee does not see on the page is not in its download either. Every test runs on SQLite
//! and on PostgreSQL (see `support`).

// Test helpers panic on purpose: a failed step is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

mod support;

use std::io::Read;

use axum::http::{StatusCode, header};
use indsats_domain::Role;
use support::{Client, TestApp, on_both_databases};

const GLADSAXE: &str = include_str!("../../../plans/gladsaxe-2022.toml");

/// The table of the share on public benefits, as the Overblik page's section id names it.
const BENEFITS_TABLE: &str = "andel-offentlig_forsoergelse";

/// A workbook's parts as text: every sheet's XML and the shared strings.
struct Workbook {
    sheets: Vec<String>,
    strings: String,
}

fn read_xlsx(bytes: Vec<u8>) -> Workbook {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("the download is a zip (an XLSX)");
    let mut part = |name: &str| {
        let mut text = String::new();
        zip.by_name(name).ok()?.read_to_string(&mut text).unwrap();
        Some(text)
    };
    let strings = part("xl/sharedStrings.xml").unwrap_or_default();
    let sheets = (1..).map_while(|n| part(&format!("xl/worksheets/sheet{n}.xml"))).collect();
    Workbook { sheets, strings }
}

async fn download(client: &mut Client<'_>, url: &str, content_type: &str) -> Vec<u8> {
    let (status, headers, bytes) = client.get_bytes(url).await;
    assert_eq!(status, StatusCode::OK, "{url}: {}", String::from_utf8_lossy(&bytes));
    assert_eq!(headers[header::CONTENT_TYPE], content_type, "{url}");
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\""), "{disposition}");
    bytes
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";

async fn overview_tables_hide_small_cells_from_the_committee_as_the_page_does(app: TestApp) {
    // The municipality (Testkommune, 175) has 3 residents, all on benefits: 100 %, from 3
    // persons. The whole country's figure rests on 23 persons.
    let mut caseworker = app.client();
    caseworker.login(Role::Sagsbehandler).await;
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;

    let page = committee.get("/overblik").await;
    let csv_link = format!("/overblik/eksport.csv?kategori=i_alt&#38;tabel={BENEFITS_TABLE}");
    assert!(page.body.contains(&csv_link), "the page links its tables' downloads: {}", page.body);
    assert!(page.body.contains("/overblik/eksport.xlsx?kategori=i_alt"), "{}", page.body);

    let url = format!("/overblik/eksport.csv?kategori=i_alt&tabel={BENEFITS_TABLE}");
    let seen = String::from_utf8(download(&mut caseworker, &url, CSV).await).unwrap();
    let hidden = String::from_utf8(download(&mut committee, &url, CSV).await).unwrap();
    assert!(seen.starts_with("\u{feff}Kvartal;Testkommune;Hele landet\n"), "{seen}");
    assert!(seen.contains("\n2022K4;100,0 %;"), "{seen}");
    assert!(hidden.contains("\n2022K4;–;"), "{hidden}");
    assert!(!hidden.contains("100,0 %"), "the committee never gets the small cell: {hidden}");
    // The country's figure is not small and is the same for both.
    let country = |csv: &str| csv.lines().nth(1).unwrap().rsplit(';').next().unwrap().to_owned();
    assert_eq!(country(&seen), country(&hidden));
    assert_ne!(country(&hidden), "–");
    assert_eq!(seen.lines().count(), 1 + 8, "the header and the eight quarters the page lists");

    let seen = read_xlsx(download(&mut caseworker, "/overblik/eksport.xlsx?kategori=i_alt", XLSX).await);
    let hidden = read_xlsx(download(&mut committee, "/overblik/eksport.xlsx?kategori=i_alt", XLSX).await);
    assert_eq!(seen.sheets.len(), 4, "one sheet per table on the page");
    assert_eq!(hidden.sheets.len(), 4);
    assert!(seen.sheets[0].contains("<v>100</v>"), "the caseworker's figure is a number: {}", seen.sheets[0]);
    assert!(!hidden.sheets[0].contains("<v>100</v>"), "{}", hidden.sheets[0]);
    assert!(hidden.strings.contains("–") && hidden.strings.contains("Testkommune"), "{}", hidden.strings);

    let unknown = committee.get("/overblik/eksport.csv?tabel=ingen").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let mut anonymous = app.client();
    let (status, _, _) = anonymous.get_bytes("/overblik/eksport.xlsx").await;
    assert_ne!(status, StatusCode::OK, "only a logged-in user downloads");
}

async fn a_plans_tables_download_as_the_report_shows_them(app: TestApp) {
    app.load_plan(GLADSAXE).await;
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let page = committee.get("/plan/gladsaxe-2022?kvartal=2022Q4").await;
    assert!(page.body.contains("/plan/gladsaxe-2022/eksport.xlsx?kvartal=2022Q4&#38;version=1"), "{}", page.body);

    let csv = download(&mut committee, "/plan/gladsaxe-2022/eksport.csv?kvartal=2022Q4&version=1", CSV).await;
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("\u{feff}Mål;Indikator;Status;Værdi;Basislinje;Mål"), "{csv}");
    assert!(csv.contains("Vi vil forkorte ledighedsperioden og sikre arbejdsmarkedstilknytning;"), "{csv}");

    let book = read_xlsx(download(&mut committee, "/plan/gladsaxe-2022/eksport.xlsx?kvartal=2022Q4", XLSX).await);
    assert_eq!(book.sheets.len(), 3, "goal overview, status by quarter, actions");
    assert!(book.strings.contains("Vi vil forkorte ledighedsperioden"), "{}", book.strings);
    assert!(book.strings.contains("2022K4"), "{}", book.strings);

    let history = download(&mut committee, "/plan/gladsaxe-2022/eksport.csv?kvartal=2022Q4&tabel=1", CSV).await;
    let history = String::from_utf8(history).unwrap();
    assert!(history.starts_with("\u{feff}Mål;2022K1;2022K2;2022K3;2022K4\n"), "{history}");

    let outside = committee.get("/plan/gladsaxe-2022/eksport.csv?kvartal=2030Q1").await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    let none = committee.get("/plan/ingen/eksport.xlsx").await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

/// A plan for the test municipality (175), whose 3 residents are all on benefits: every figure
/// of it rests on fewer than 5 persons.
const SMALL_PLAN: &str = r#"format = 1
[policy]
title = "Testpolitik"
vision = "Alle i job"
[[policy.strategic_goals]]
id = "sm"
title = "Færre på offentlig forsørgelse"
[plan]
id = "lille-2022"
municipality = 175
title = "Lille plan 2022"
from = "2022Q1"
to = "2022Q4"
[[goals]]
id = "forsoergelse"
kind = "local"
title = "Færre på offentlig forsørgelse"
strategic_goals = ["sm"]
[[goals.indicators]]
id = "andel"
title = "Andel på offentlig forsørgelse"
measure = "andel.offentlig_forsoergelse"
target = { rule = "below", value = 50.0 }
"#;

async fn a_plans_small_cells_never_reach_the_committees_download(app: TestApp) {
    app.load_plan(SMALL_PLAN).await;
    let url = "/plan/lille-2022/eksport.csv?kvartal=2022Q4";
    let mut caseworker = app.client();
    caseworker.login(Role::Sagsbehandler).await;
    let seen = String::from_utf8(download(&mut caseworker, url, CSV).await).unwrap();
    assert!(
        seen.contains("Færre på offentlig forsørgelse;Andel på offentlig forsørgelse;Ikke opfyldt;100,0 %;"),
        "{seen}"
    );

    // The committee gets the same table with the page's dash where the small figure was.
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let hidden = String::from_utf8(download(&mut committee, url, CSV).await).unwrap();
    let row = hidden.lines().find(|l| l.starts_with("Færre på offentlig forsørgelse;")).unwrap();
    assert_eq!(row.split(';').nth(3), Some("–"), "{hidden}");
    assert!(!hidden.contains("100,0"), "{hidden}");

    let xlsx = "/plan/lille-2022/eksport.xlsx?kvartal=2022Q4";
    let seen = read_xlsx(download(&mut caseworker, xlsx, XLSX).await);
    let hidden = read_xlsx(download(&mut committee, xlsx, XLSX).await);
    assert!(seen.sheets[0].contains("<v>100</v>"), "{}", seen.sheets[0]);
    assert!(!hidden.sheets[0].contains("<v>100</v>"), "{}", hidden.sheets[0]);
    assert!(!hidden.strings.contains("100,0"), "{}", hidden.strings);
}

async fn a_goal_page_downloads_its_own_rows_only(app: TestApp) {
    app.load_plan(GLADSAXE).await;
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let page = committee.get("/plan/gladsaxe-2022/maal/opkvalificering?kvartal=2022Q4").await;
    let link = "/plan/gladsaxe-2022/eksport.csv?kvartal=2022Q4&#38;version=1&#38;maal=opkvalificering";
    assert!(page.body.contains(link), "{}", page.body);

    let url = "/plan/gladsaxe-2022/eksport.csv?kvartal=2022Q4&version=1&maal=opkvalificering";
    let csv = String::from_utf8(download(&mut committee, url, CSV).await).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!rows.is_empty(), "{csv}");
    assert!(rows.iter().all(|r| r.starts_with("Flere ledige skal opkvalificeres;")), "{csv}");
    let whole = String::from_utf8(
        download(&mut committee, "/plan/gladsaxe-2022/eksport.csv?kvartal=2022Q4&version=1", CSV).await,
    )
    .unwrap();
    assert!(whole.lines().count() > csv.lines().count(), "the plan's table holds the other goals too");

    let unknown = committee.get("/plan/gladsaxe-2022/eksport.csv?kvartal=2022Q4&maal=ingen").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn the_plan_list_downloads_as_the_page_shows_it(app: TestApp) {
    app.load_plan(GLADSAXE).await;
    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let page = committee.get("/plan").await;
    assert!(page.body.contains("/plan/eksport.xlsx"), "{}", page.body);
    let csv = String::from_utf8(download(&mut committee, "/plan/eksport.csv", CSV).await).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("\u{feff}Plan;Kommune;Version;Indlæst"), "{csv}");
    let row = lines.next().unwrap();
    assert!(row.starts_with("Beskæftigelsesplan 2022;Gladsaxe;1;"), "{csv}");
    assert_eq!(lines.next(), None, "one plan, one row");
    let book = read_xlsx(download(&mut committee, "/plan/eksport.xlsx", XLSX).await);
    assert_eq!(book.sheets.len(), 1);
    assert!(book.sheets[0].contains("<v>1</v>"), "the version is a number: {}", book.sheets[0]);
}

async fn the_report_archive_downloads_with_its_fingerprints(app: TestApp) {
    app.load_plan(GLADSAXE).await;
    let mut leder = app.client();
    leder.login(Role::Leder).await;
    leder.get("/rapporter").await;
    let made = leder
        .post_form(
            "/rapporter/arkiv",
            &[
                ("plan_id", "gladsaxe-2022"),
                ("kvartal", "2022Q4"),
                ("udvalg", "Beskæftigelsesudvalget"),
                ("moededato", "2023-02-14"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let archived = app.store().archived_reports().await.unwrap();
    let page = leder.get("/rapporter").await;
    assert!(page.body.contains("/rapporter/eksport.xlsx"), "{}", page.body);
    assert!(page.body.contains("/rapporter/eksport.csv?tabel=0"), "{}", page.body);

    let csv = String::from_utf8(download(&mut leder, "/rapporter/eksport.csv?tabel=0", CSV).await).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("\u{feff}Kvartal;Version;Registerdata;Udvalg;Mødedato;"), "{csv}");
    let row: Vec<&str> = lines.next().unwrap().split(';').collect();
    assert_eq!(&row[..4], ["2022K4", "1", "2022Q4", "Beskæftigelsesudvalget"], "{csv}");
    assert_eq!(row[7], "Kladde", "{csv}");
    assert_eq!(row[10], archived[0].html_sha256, "{csv}");

    let mut committee = app.client();
    committee.login(Role::Udvalg).await;
    let book = read_xlsx(download(&mut committee, "/rapporter/eksport.xlsx", XLSX).await);
    assert_eq!(book.sheets.len(), 1, "a sheet per plan");
    assert!(book.strings.contains(&archived[0].html_sha256), "{}", book.strings);
    let beyond = committee.get("/rapporter/eksport.csv?tabel=1").await;
    assert_eq!(beyond.status, StatusCode::NOT_FOUND);
}

async fn the_administration_tables_download_for_administrators_only(app: TestApp) {
    let mut admin = app.client();
    admin.login(Role::Admin).await;
    let page = admin.get("/administration").await;
    assert!(page.body.contains("/administration/eksport.xlsx"), "{}", page.body);
    let book = read_xlsx(download(&mut admin, "/administration/eksport.xlsx", XLSX).await);
    assert_eq!(book.sheets.len(), 3, "users, API tokens, audit");
    let users = String::from_utf8(download(&mut admin, "/administration/eksport.csv?tabel=0", CSV).await).unwrap();
    assert!(users.starts_with("\u{feff}Brugernavn;Navn;Rolle;Oprettet;Status\n"), "{users}");
    assert!(users.lines().any(|l| l.starts_with("admin;") && l.ends_with(";Aktiv")), "{users}");
    let audit = String::from_utf8(download(&mut admin, "/administration/eksport.csv?tabel=2", CSV).await).unwrap();
    assert!(audit.contains(";login"), "the admin's own login is in the log: {audit}");

    let mut caseworker = app.client();
    caseworker.login(Role::Sagsbehandler).await;
    let refused = caseworker.get("/administration/eksport.xlsx").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

on_both_databases!(
    register: crate::support::small_register(2021, 2022);
    overview_tables_hide_small_cells_from_the_committee_as_the_page_does,
    a_plans_tables_download_as_the_report_shows_them,
    a_plans_small_cells_never_reach_the_committees_download,
    a_goal_page_downloads_its_own_rows_only,
    the_plan_list_downloads_as_the_page_shows_it,
    the_report_archive_downloads_with_its_fingerprints,
    the_administration_tables_download_for_administrators_only,
);
