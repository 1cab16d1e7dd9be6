//! Export: the tables of the pages and of the quarterly report as XLSX and CSV downloads.
//!
//! A page's table is a [`Table`] (title, headers, rows of [`Cell`]s) built from the same figures
//! the page shows, with the same disclosure rule: a cell of 1-4 persons is hidden from every
//! role but caseworkers and written as the page writes it, "–", never as its value. [`xlsx`]
//! writes tables as a workbook (one sheet each, numbers as numbers) and [`csv`] one table as
//! UTF-8 text with `;` between fields, as Danish spreadsheets read it.
//!
//! Routes: `/overblik/eksport.{xlsx,csv}` (the Overblik tables, `?kategori=` as the page, CSV
//! one table chosen by `?tabel=`), `/plan/{plan}/eksport.{xlsx,csv}` (the plan's goal
//! overview, status by quarter and actions: the report's tables, `?kvartal=&version=` as the
//! plan page).

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use indsats_app::plans::{self as plan_use_case, PlanRequest, report_labels};
use indsats_domain::{Action, Period, PeriodKind, Place, Quarter};
use indsats_register::series::SeriesKey;
use indsats_register::{Category, Indicator};
use indsats_report::document::Report;
use indsats_report::labels::Labels;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::overview::{QUARTERS_TABULATED, key_indicators, shown};
use crate::state::AppState;

/// Where the exports live: the router's patterns and the pages' download links use these.
pub mod url {
    use indsats_domain::Quarter;

    const OVERVIEW_XLSX: &str = "/overblik/eksport.xlsx";
    const OVERVIEW_CSV: &str = "/overblik/eksport.csv";
    const PLAN_XLSX: &str = "/plan/{plan}/eksport.xlsx";
    const PLAN_CSV: &str = "/plan/{plan}/eksport.csv";
    const PLANS_XLSX: &str = "/plan/eksport.xlsx";
    const PLANS_CSV: &str = "/plan/eksport.csv";
    const ARCHIVE_XLSX: &str = "/rapporter/eksport.xlsx";
    const ARCHIVE_CSV: &str = "/rapporter/eksport.csv";
    const ADMIN_XLSX: &str = "/administration/eksport.xlsx";
    const ADMIN_CSV: &str = "/administration/eksport.csv";

    /// The router's patterns, in the order above.
    pub(super) const PATTERNS: [&str; 10] = [
        OVERVIEW_XLSX,
        OVERVIEW_CSV,
        PLAN_XLSX,
        PLAN_CSV,
        PLANS_XLSX,
        PLANS_CSV,
        ARCHIVE_XLSX,
        ARCHIVE_CSV,
        ADMIN_XLSX,
        ADMIN_CSV,
    ];

    fn pick(format: super::Format, xlsx: &'static str, csv: &'static str) -> &'static str {
        match format {
            super::Format::Xlsx => xlsx,
            super::Format::Csv => csv,
        }
    }

    /// The Overblik tables for a population group; `table` picks one (CSV holds one).
    pub fn overview(format: super::Format, category: &str, table: Option<&str>) -> String {
        let mut url = format!("{}?kategori={category}", pick(format, OVERVIEW_XLSX, OVERVIEW_CSV));
        if let Some(table) = table {
            url.push_str("&tabel=");
            url.push_str(table);
        }
        url
    }

    /// A plan's tables (the report's) for a quarter and version.
    #[expect(clippy::trivially_copy_pass_by_ref, reason = "askama calls it with references")]
    pub fn plan(format: super::Format, plan_id: &str, quarter: &Quarter, version: &i64) -> String {
        let base = pick(format, PLAN_XLSX, PLAN_CSV);
        format!("{}?kvartal={quarter}&version={version}", base.replace("{plan}", plan_id))
    }

    /// One goal's rows of its plan's tables (the goal page's figures, status by quarter and
    /// actions).
    #[expect(clippy::trivially_copy_pass_by_ref, reason = "askama calls it with references")]
    pub fn goal(format: super::Format, plan_id: &str, goal_id: &str, quarter: &Quarter, version: &i64) -> String {
        format!("{}&maal={goal_id}", plan(format, plan_id, quarter, version))
    }

    /// The list of plans; `table` is ignored (there is one).
    pub fn plans(format: super::Format) -> &'static str {
        pick(format, PLANS_XLSX, PLANS_CSV)
    }

    /// The report archive, a table per plan; CSV holds the one `table` numbers.
    pub fn archive(format: super::Format, table: usize) -> String {
        match format {
            super::Format::Xlsx => ARCHIVE_XLSX.to_owned(),
            super::Format::Csv => format!("{ARCHIVE_CSV}?tabel={table}"),
        }
    }

    /// The administration page's tables (users, tokens, audit); CSV holds the one `table`
    /// numbers.
    pub fn admin(format: super::Format, table: usize) -> String {
        match format {
            super::Format::Xlsx => ADMIN_XLSX.to_owned(),
            super::Format::Csv => format!("{ADMIN_CSV}?tabel={table}"),
        }
    }
}

/// The export routes.
pub fn router() -> OpenApiRouter<AppState> {
    let [
        overview_xlsx,
        overview_csv,
        plan_xlsx,
        plan_csv,
        list_xlsx,
        list_csv,
        archive_xlsx,
        archive_csv,
        admin_xlsx,
        admin_csv,
    ] = url::PATTERNS;
    OpenApiRouter::new()
        .route(overview_xlsx, get(overview_xlsx_get))
        .route(overview_csv, get(overview_csv_get))
        .route(plan_xlsx, get(plan_xlsx_get))
        .route(plan_csv, get(plan_csv_get))
        .route(
            list_xlsx,
            get(async |state: State<AppState>, ctx: RequestContext| plans(state, ctx, Format::Xlsx).await),
        )
        .route(list_csv, get(async |state: State<AppState>, ctx: RequestContext| plans(state, ctx, Format::Csv).await))
        .route(archive_xlsx, get(async |state, ctx, query| archive(state, ctx, query, Format::Xlsx).await))
        .route(archive_csv, get(async |state, ctx, query| archive(state, ctx, query, Format::Csv).await))
        .route(admin_xlsx, get(async |state, ctx, query| admin(state, ctx, query, Format::Xlsx).await))
        .route(admin_csv, get(async |state, ctx, query| admin(state, ctx, query, Format::Csv).await))
}

async fn overview_xlsx_get(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, AppError> {
    overview(&state, &ctx, &query, Format::Xlsx)
}

async fn overview_csv_get(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, AppError> {
    overview(&state, &ctx, &query, Format::Csv)
}

async fn plan_xlsx_get(
    state: State<AppState>,
    ctx: RequestContext,
    path: Path<String>,
    query: Query<PlanQuery>,
) -> Result<Response, AppError> {
    plan(state, ctx, path, query, Format::Xlsx).await
}

async fn plan_csv_get(
    state: State<AppState>,
    ctx: RequestContext,
    path: Path<String>,
    query: Query<PlanQuery>,
) -> Result<Response, AppError> {
    plan(state, ctx, path, query, Format::Csv).await
}

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, as the page shows it.
    Text(String),
    /// A figure: its value (a number in a workbook) and how the page writes it.
    Number {
        /// The value.
        value: f64,
        /// Decimals the page shows.
        decimals: usize,
        /// The page's text for it ("12,5 %").
        shown: String,
    },
}

impl Cell {
    /// A whole number, written as the page writes it (no separators: versions and counts).
    pub fn integer(value: i64) -> Self {
        #[expect(clippy::cast_precision_loss, reason = "versions and counts far below 2^53")]
        Cell::Number { value: value as f64, decimals: 0, shown: value.to_string() }
    }

    /// What the page shows.
    pub fn shown(&self) -> &str {
        match self {
            Cell::Text(text) | Cell::Number { shown: text, .. } => text,
        }
    }
}

/// A table as a page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Its caption, which also names the sheet.
    pub title: String,
    /// The column headings.
    pub headers: Vec<String>,
    /// The rows, each as long as `headers`.
    pub rows: Vec<Vec<Cell>>,
}

/// A download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An Excel workbook, one sheet per table.
    Xlsx,
    /// One table as CSV.
    Csv,
}

/// Sheet names: at most 31 characters, none of `[]:*?/\`, unique in the workbook.
fn sheet_name(title: &str, taken: &mut Vec<String>) -> String {
    let clean: String = title.chars().filter(|c| !"[]:*?/\\'".contains(*c)).collect();
    let mut base: String = clean.trim().chars().take(28).collect();
    if base.is_empty() {
        base.push_str("Tabel");
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        name = format!("{base} {n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// The tables as an XLSX workbook: per table a sheet with the title, the headers (bold, kept
/// in view) and the rows; figures as numbers with the page's decimals, hidden cells as "–".
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let mut workbook = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let mut taken = Vec::new();
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&table.title, &mut taken))?;
        sheet.write_string_with_format(0, 0, &table.title, &bold)?;
        let mut widths: Vec<usize> = table.headers.iter().map(|h| h.chars().count()).collect();
        for (c, heading) in (0u16..).zip(&table.headers) {
            sheet.write_string_with_format(1, c, heading, &bold)?;
        }
        for (r, row) in (2u32..).zip(&table.rows) {
            for (c, cell) in (0u16..).zip(row) {
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string(r, c, text)?;
                    }
                    Cell::Number { value, decimals, .. } => {
                        let pattern =
                            if *decimals == 0 { "0".to_owned() } else { format!("0.{}", "0".repeat(*decimals)) };
                        sheet.write_number_with_format(r, c, *value, &CellFormat::new().set_num_format(pattern))?;
                    }
                }
                if let Some(width) = widths.get_mut(usize::from(c)) {
                    *width = (*width).max(cell.shown().chars().count());
                }
            }
        }
        for (c, width) in (0u16..).zip(widths) {
            #[expect(clippy::cast_precision_loss, reason = "a column width in characters, at most 60")]
            sheet.set_column_width(c, (width.min(60) + 2) as f64)?;
        }
        sheet.set_freeze_panes(2, 0)?;
    }
    workbook.save_to_buffer()
}

/// One table as CSV: UTF-8 with a byte-order mark (so spreadsheets read æøå), `;` between
/// fields, the headers first, every cell as the page shows it.
pub fn csv(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut out);
        writer.write_record(&table.headers)?;
        for row in &table.rows {
            writer.write_record(row.iter().map(Cell::shown))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

/// A download of `tables` as `name.xlsx`, or of the one chosen by `chosen` (else the first) as
/// `name.csv`.
pub(crate) fn download(format: Format, tables: &[Table], chosen: usize, name: &str) -> Result<Response, AppError> {
    let (bytes, content_type, extension) = match format {
        Format::Xlsx => (
            xlsx(tables).map_err(AppError::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        Format::Csv => {
            let table = tables.get(chosen).ok_or(AppError::NotFound)?;
            (csv(table).map_err(AppError::internal)?, "text/csv; charset=utf-8", "csv")
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{extension}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The indicators on the Overblik page, in page order (as `overview` shows them).
/// The id of an indicator's table, as the Overblik page's section ids.
pub fn table_id(indicator: Indicator) -> String {
    indicator.as_str().replace('.', "-")
}

/// The Overblik tables for a population group: per key indicator the newest quarters for the
/// municipality and the whole country, hidden cells as "–" unless `unsuppressed`.
pub fn overview_tables(
    index: &indsats_register::series::SeriesIndex,
    site: &indsats_store::Site,
    category: Category,
    unsuppressed: bool,
    locale: Locale,
) -> Vec<(String, Table)> {
    let labels = report_labels(locale);
    let numbers = labels.numbers();
    let municipality = site.municipality_code.get();
    let category_label = locale.t(&format!("category-{}", category.as_str().replace('_', "-").to_lowercase()));
    key_indicators()
        .into_iter()
        .map(|indicator| {
            let key = SeriesKey { municipality, indicator, category, kind: PeriodKind::Quarter };
            let local = index.get(&key);
            let country = index.get(&SeriesKey { municipality: Place::Country.code(), ..key });
            let cell = |v: Option<f64>| match v {
                Some(value) => Cell::Number { value, decimals: 1, shown: format!("{} %", numbers.decimal(value, 1)) },
                None => Cell::Text("–".to_owned()),
            };
            let rows = local
                .iter()
                .rev()
                .take(QUARTERS_TABULATED)
                .map(|p| {
                    let national = country.iter().find(|c| c.period == p.period).and_then(|c| shown(c, unsuppressed));
                    vec![Cell::Text(period_label(p.period)), cell(shown(p, unsuppressed)), cell(national)]
                })
                .collect();
            let title = locale.t(&format!("indicator-{}", indicator.as_str().replace(['.', '_'], "-")));
            let table = Table {
                title: format!("{title} ({category_label})"),
                headers: vec![
                    locale.t("overview-period"),
                    site.municipality_name.clone(),
                    locale.t("overview-whole-country"),
                ],
                rows,
            };
            (table_id(indicator), table)
        })
        .collect()
}

/// A quarter as Danish statistics write it: `2024K3` (as the Overblik page).
fn period_label(period: Period) -> String {
    match period {
        Period::Quarter(q) => format!("{}K{}", q.year(), q.q()),
        other => other.to_string(),
    }
}

/// The report's tables: the goal overview (goal, indicator, status, value, baseline, target),
/// each goal's status by quarter, and the actions with their status.
pub fn report_tables(report: &Report, labels: &Labels) -> Vec<Table> {
    let quarter = labels.quarter(report.quarter);
    let headers = |keys: [&str; 6]| keys.into_iter().map(|k| labels.t(k)).collect();
    vec![
        Table {
            title: format!("{} ({quarter})", labels.t("report-summary")),
            headers: headers([
                "report-col-goal",
                "report-col-indicator",
                "report-col-status",
                "report-col-value",
                "report-col-baseline",
                "report-col-target",
            ]),
            rows: goal_overview_rows(report, labels),
        },
        history_table(report, labels),
        Table {
            title: labels.t("report-action-plans"),
            headers: headers([
                "report-col-goal",
                "report-col-action-plan",
                "report-col-action",
                "report-col-owner",
                "report-col-due",
                "report-col-status",
            ]),
            rows: action_rows(report, labels),
        },
    ]
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

/// A row per indicator (a goal without one gets one row saying so), as the report's overview.
fn goal_overview_rows(report: &Report, labels: &Labels) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for g in &report.goals {
        if g.indicators.is_empty() {
            rows.push(vec![
                text(&g.goal.title),
                Cell::Text(labels.t("report-no-indicator")),
                Cell::Text(labels.status(g.status)),
                text("–"),
                text("–"),
                text("–"),
            ]);
        }
        for i in &g.indicators {
            // The value is hidden (None) when the reader may not see it: then the page's dash.
            let value = match i.verdict.value {
                Some(value) => {
                    Cell::Number { value, decimals: i.indicator.measure.unit().decimals(), shown: i.value.clone() }
                }
                None => text(&i.value),
            };
            rows.push(vec![
                text(&g.goal.title),
                text(&i.indicator.title),
                Cell::Text(labels.status(i.verdict.status)),
                value,
                text(&i.baseline),
                text(&i.target),
            ]);
        }
    }
    rows
}

/// Each goal's status in every quarter of the plan up to the report quarter.
fn history_table(report: &Report, labels: &Labels) -> Table {
    let mut quarters: Vec<Quarter> = Vec::new();
    for q in report.goals.iter().flat_map(|g| g.history.iter().map(|h| h.0)) {
        if !quarters.contains(&q) {
            quarters.push(q);
        }
    }
    let rows = report
        .goals
        .iter()
        .map(|g| {
            std::iter::once(text(&g.goal.title))
                .chain(quarters.iter().map(|q| {
                    g.history.iter().find(|h| h.0 == *q).map_or_else(|| text("–"), |h| Cell::Text(labels.status(h.1)))
                }))
                .collect()
        })
        .collect();
    Table {
        title: labels.t("report-history"),
        headers: std::iter::once(labels.t("report-col-goal"))
            .chain(quarters.iter().map(|q| labels.quarter(*q)))
            .collect(),
        rows,
    }
}

/// The goals' actions with their current status.
fn action_rows(report: &Report, labels: &Labels) -> Vec<Vec<Cell>> {
    report
        .goals
        .iter()
        .flat_map(|g| {
            g.actions.iter().map(|a| {
                vec![
                    text(&g.goal.title),
                    text(&a.plan),
                    text(&a.title),
                    text(a.owner.as_deref().unwrap_or("–")),
                    text(a.due.as_deref().unwrap_or("–")),
                    Cell::Text(labels.action_status(a.status)),
                ]
            })
        })
        .collect()
}

/// The query of the Overblik export: the page's population group, and which table for CSV.
#[derive(Debug, Deserialize)]
struct OverviewQuery {
    kategori: Option<String>,
    tabel: Option<String>,
}

/// `GET /overblik/eksport.{xlsx,csv}`.
fn overview(
    state: &AppState,
    ctx: &RequestContext,
    query: &OverviewQuery,
    format: Format,
) -> Result<Response, AppError> {
    let user = ctx.require(Action::ViewOverview)?;
    let category = match query.kategori.as_deref() {
        None | Some("") => Category::ALL[0],
        Some(raw) => raw.parse().map_err(|_| AppError::invalid("kategori", ctx.locale.t("overview-no-series")))?,
    };
    let (Some(index), Some(site)) = (state.indicators.as_ref().as_ref(), state.site.as_ref().as_ref()) else {
        return Err(AppError::NotFound);
    };
    let tables = overview_tables(index, site, category, user.role.sees_small_cells(), ctx.locale);
    let chosen = match query.tabel.as_deref() {
        None | Some("") => 0,
        Some(id) => tables.iter().position(|(t, _)| t == id).ok_or(AppError::NotFound)?,
    };
    let tables: Vec<Table> = tables.into_iter().map(|(_, t)| t).collect();
    let name = match query.tabel.as_deref() {
        Some(id) if format == Format::Csv && !id.is_empty() => format!("overblik-{}-{id}", category.as_str()),
        _ => format!("overblik-{}", category.as_str()),
    };
    download(format, &tables, chosen, &name)
}

/// The query of a plan's export: as the plan page's, and which table for CSV (0, 1, 2).
#[derive(Debug, Deserialize)]
struct PlanQuery {
    kvartal: Option<String>,
    version: Option<i64>,
    tabel: Option<usize>,
    /// One goal's rows only (the goal page's download).
    maal: Option<String>,
}

/// `GET /plan/{plan}/eksport.{xlsx,csv}`: the report's tables for the reader, small cells
/// hidden as on the plan page.
async fn plan(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(plan_id): Path<String>,
    Query(query): Query<PlanQuery>,
    format: Format,
) -> Result<Response, AppError> {
    let user = ctx.require(Action::ViewPlans)?;
    let quarter = query
        .kvartal
        .as_deref()
        .map(str::parse::<Quarter>)
        .transpose()
        .map_err(|_| AppError::invalid("kvartal", ctx.locale.t("plans-bad-quarter")))?;
    let request =
        PlanRequest { plan_id: &plan_id, version: query.version, quarter, meeting: None, viewer: Some(user.id) };
    let index = state.indicators.as_ref().as_ref();
    let labels = report_labels(ctx.locale);
    let judged = plan_use_case::judge(&*state.store, index, user.role.sees_small_cells(), request, labels).await?;
    let labels = judged.labels;
    let mut report = judged.report.map_err(|e| AppError::invalid("kvartal", labels.error(&e)))?;
    let name = match query.maal.as_deref() {
        Some(goal) => {
            report.goals.retain(|g| g.goal.id == goal);
            if report.goals.is_empty() {
                return Err(AppError::NotFound);
            }
            format!("maal-{plan_id}-{goal}-{}", judged.quarter)
        }
        None => format!("maal-{plan_id}-{}", judged.quarter),
    };
    let tables = report_tables(&report, &labels);
    download(format, &tables, query.tabel.unwrap_or(0), &name)
}

/// Which table of several a CSV download holds (the first when not given).
#[derive(Debug, Deserialize)]
struct TableQuery {
    tabel: Option<usize>,
}

/// `GET /plan/eksport.{xlsx,csv}`: the list of plans.
async fn plans(State(state): State<AppState>, ctx: RequestContext, format: Format) -> Result<Response, AppError> {
    let table = crate::plans::list_table(&state, &ctx).await?;
    download(format, &[table], 0, "planer")
}

/// `GET /rapporter/eksport.{xlsx,csv}`: the report archive.
async fn archive(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<TableQuery>,
    format: Format,
) -> Result<Response, AppError> {
    let tables = crate::reports::archive_tables(&state, &ctx).await?;
    download(format, &tables, query.tabel.unwrap_or(0), "rapportarkiv")
}

/// `GET /administration/eksport.{xlsx,csv}`: the administration page's tables.
async fn admin(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(query): Query<TableQuery>,
    format: Format,
) -> Result<Response, AppError> {
    let tables = crate::admin::tables(&state, &ctx).await?;
    download(format, &tables, query.tabel.unwrap_or(0), "administration")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let mut taken = Vec::new();
        let long = "Andel på offentlig forsørgelse: alle [16-66 år] / i alt";
        let first = sheet_name(long, &mut taken);
        assert!(first.chars().count() <= 31, "{first}");
        assert!(!first.contains([':', '[', ']', '/']), "{first}");
        let second = sheet_name(long, &mut taken);
        assert_ne!(first, second);
        assert!(second.chars().count() <= 31);
        assert_eq!(sheet_name("", &mut taken), "Tabel");
    }

    #[test]
    fn csv_writes_what_the_page_shows_with_semicolons_and_quotes_where_needed() {
        let table = Table {
            title: "T".into(),
            headers: vec!["Periode".into(), "Værdi".into()],
            rows: vec![
                vec![Cell::Text("2022K4".into()), Cell::Number { value: 12.5, decimals: 1, shown: "12,5 %".into() }],
                vec![Cell::Text("a;b \"c\"".into()), Cell::Text("–".into())],
            ],
        };
        let text = String::from_utf8(csv(&table).unwrap()).unwrap();
        assert_eq!(text, "\u{feff}Periode;Værdi\n2022K4;12,5 %\n\"a;b \"\"c\"\"\";–\n");
    }

    #[test]
    fn a_workbook_is_a_zip_with_one_sheet_per_table() {
        let table = |title: &str| Table {
            title: title.into(),
            headers: vec!["A".into()],
            rows: vec![vec![Cell::Number { value: 1.25, decimals: 2, shown: "1,25".into() }]],
        };
        let bytes = xlsx(&[table("En"), table("En")]).unwrap();
        assert_eq!(&bytes[..2], b"PK");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert!(zip.by_name("xl/worksheets/sheet2.xml").is_ok());
        let mut sheet = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet).unwrap();
        assert!(sheet.contains("<v>1.25</v>"), "{sheet}");
    }
}
