//! HTTP tests of the table exports: the Overblik tables and a plan's (the report's) tables
//! download as XLSX and CSV with the page's disclosure rule, so a cell of 1-4 persons that the
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

on_both_databases!(
    register: crate::support::small_register(2021, 2022);
    overview_tables_hide_small_cells_from_the_committee_as_the_page_does,
    a_plans_tables_download_as_the_report_shows_them,
    a_plans_small_cells_never_reach_the_committees_download,
);
