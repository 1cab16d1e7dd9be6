//! Rapporter: the quarterly goal-fulfilment report of every loaded plan, ready to download,
//! and the archive of reports made for committee meetings.
//!
//! The live report is built and served by the plan pages ([`crate::plans`]); this page lists,
//! for each plan, the quarter the plan's own page would open on, and links to that report.
//! A manager (`leder`) makes the report for a meeting, which stores it as an immutable archived
//! report ([`indsats_app::reports`]), and approves it; everyone who sees reports lists the
//! archive per plan and downloads an archived report byte for byte as it was made.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use indsats_app::plans::{default_quarter, report_labels};
use indsats_app::reports::{self as use_case, ArchiveError, ArchiveRequest, PdfRenderer};
use indsats_domain::{Action, Area, Quarter, format};
use indsats_report::labels::Labels;
use indsats_store::{ArchivedFormat, ArchivedReport};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::cookies;
use crate::error::AppError;
use crate::export::{Cell, Table};
use crate::forms::Form;
use crate::pages::{Layout, render_with_status};
use crate::plans::url as plan_url;
use crate::state::AppState;

/// Where the archive's pages live: the router's patterns and every link and redirect use these.
pub mod url {
    /// The list of reports and the archive.
    pub const LIST: &str = "/rapporter";
    /// Where the form that makes a report for a meeting posts.
    pub const ARCHIVE: &str = "/rapporter/arkiv";
    const APPROVE: &str = "/rapporter/arkiv/{id}/godkend";
    const FILE: &str = "/rapporter/arkiv/{id}/{file}";

    /// The router's patterns, in the order above.
    pub(super) const PATTERNS: [&str; 2] = [APPROVE, FILE];

    /// Where an archived report's approval form posts.
    pub fn approve(id: i64) -> String {
        APPROVE.replace("{id}", &id.to_string())
    }

    /// An archived report's document: `rapport.html` or `rapport.pdf`.
    pub fn file(id: i64, file: &str) -> String {
        FILE.replace("{id}", &id.to_string()).replace("{file}", file)
    }
}

/// The list of reports, the archive and its downloads.
pub fn router() -> OpenApiRouter<AppState> {
    let [approve, file] = url::PATTERNS;
    OpenApiRouter::new()
        .route(url::LIST, get(list))
        .route(url::ARCHIVE, post(archive))
        .route(approve, post(approve_report))
        .route(file, get(download))
}

/// One plan's report in the list.
#[derive(Debug)]
struct ReportRow {
    plan_href: String,
    pdf_href: String,
    html_href: String,
    /// The report's tables as a workbook.
    xlsx_href: String,
    title: String,
    municipality: String,
    /// As people read it, e.g. `2022K4` (`2022 Q4` in English).
    quarter_label: String,
}

/// An archived report as the archive lists it.
#[derive(Debug)]
struct ArchivedRow {
    id: i64,
    approve_href: String,
    html_href: String,
    pdf_href: Option<String>,
    quarter_label: String,
    committee: String,
    meeting: String,
    plan_version: i64,
    dataset_version: String,
    made_by: String,
    made_at: i64,
    approval: Option<(String, i64)>,
    html_sha256: String,
    pdf_sha256: Option<String>,
}

/// A plan with its archived reports.
#[derive(Debug)]
struct PlanArchive {
    id: String,
    title: String,
    reports: Vec<ArchivedRow>,
}

/// What the form that makes a report for a meeting holds.
#[derive(Debug, Default, Deserialize)]
struct ArchiveForm {
    #[serde(default)]
    plan_id: String,
    #[serde(default)]
    kvartal: String,
    #[serde(default)]
    udvalg: String,
    #[serde(default)]
    moededato: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    layout: Layout,
    message: Option<String>,
    problem: Option<String>,
    reports: Vec<ReportRow>,
    archive: Vec<PlanArchive>,
    can_archive: bool,
    can_approve: bool,
    /// The plans the form offers: id and title.
    plans: Vec<(String, String)>,
    /// The quarters the form offers: value and label.
    quarters: Vec<(String, String)>,
    form: ArchiveForm,
}

/// An archive use case's failure that the handler does not word itself: nothing there, the
/// database unreachable, or ours.
fn failed(err: ArchiveError) -> AppError {
    match err {
        ArchiveError::NotFound => AppError::NotFound,
        ArchiveError::Plan(plan) => plan.into(),
        other => AppError::internal(other),
    }
}

fn archived_row(r: ArchivedReport, labels: &Labels) -> ArchivedRow {
    let name = |u: Option<indsats_domain::Username>| u.map_or_else(|| "–".to_owned(), |u| u.to_string());
    ArchivedRow {
        id: r.id.0,
        approve_href: url::approve(r.id.0),
        html_href: url::file(r.id.0, "rapport.html"),
        pdf_href: r.pdf_sha256.as_ref().map(|_| url::file(r.id.0, "rapport.pdf")),
        quarter_label: labels.quarter(r.quarter),
        committee: r.committee,
        meeting: labels.date(r.meeting_date),
        plan_version: r.plan_version,
        dataset_version: r.dataset_version.unwrap_or_else(|| "–".to_owned()),
        made_by: name(r.made_by),
        made_at: r.made_at,
        approval: r.approval.map(|a| (name(a.by), a.at)),
        html_sha256: r.html_sha256,
        pdf_sha256: r.pdf_sha256,
    }
}

/// The archive as a download: per plan a table of its archived reports, with what the page
/// shows of each (the approval split into who and when, both fingerprints).
pub(crate) async fn archive_tables(state: &AppState, ctx: &RequestContext) -> Result<Vec<Table>, AppError> {
    ctx.require(Action::ViewReports)?;
    let labels = report_labels(ctx.locale);
    let t = |key: &str| ctx.locale.t(key);
    let when = |at: i64| format::datetime(at, &t("format-datetime"));
    let headers: Vec<String> = [
        "reports-col-quarter",
        "plans-col-version",
        "export-col-data-version",
        "export-col-committee",
        "export-col-meeting-date",
        "reports-col-made",
        "export-col-made-at",
        "reports-col-status",
        "export-col-approved-by",
        "export-col-approved-at",
        "export-col-sha256-html",
        "export-col-sha256-pdf",
    ]
    .into_iter()
    .map(t)
    .collect();
    let plans = use_case::by_plan(&*state.store).await.map_err(failed)?;
    Ok(plans
        .into_iter()
        .map(|entry| {
            let rows = entry
                .reports
                .into_iter()
                .map(|r| {
                    let r = archived_row(r, &labels);
                    let (status, by, at) = match r.approval {
                        Some((by, at)) => (t("reports-status-approved"), by, when(at)),
                        None => (t("reports-status-draft"), "–".to_owned(), "–".to_owned()),
                    };
                    vec![
                        Cell::Text(r.quarter_label),
                        Cell::integer(r.plan_version),
                        Cell::Text(r.dataset_version),
                        Cell::Text(r.committee),
                        Cell::Text(r.meeting),
                        Cell::Text(r.made_by),
                        Cell::Text(when(r.made_at)),
                        Cell::Text(status),
                        Cell::Text(by),
                        Cell::Text(at),
                        Cell::Text(r.html_sha256),
                        Cell::Text(r.pdf_sha256.unwrap_or_else(|| "–".to_owned())),
                    ]
                })
                .collect();
            Table {
                title: ctx.locale.t_args("reports-archive-caption", &[("plan", &entry.version.title)]),
                headers: headers.clone(),
                rows,
            }
        })
        .collect())
}

/// The reports page, with a receipt (`message`) or a refusal (`problem`, with the form as sent).
async fn list_page(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    (message, problem): (Option<String>, Option<String>),
    form: Option<ArchiveForm>,
) -> Result<Response, AppError> {
    let user = ctx.require(Action::ViewReports)?;
    let index = state.indicators.as_ref().as_ref();
    let labels = report_labels(ctx.locale);
    let plans = use_case::by_plan(&*state.store).await.map_err(failed)?;
    let mut quarters = BTreeSet::new();
    let mut reports = Vec::new();
    let mut archive = Vec::new();
    let mut choices = Vec::new();
    let mut first_quarter = None;
    for entry in plans {
        let (version, plan) = (entry.version, entry.plan);
        quarters.extend(plan.plan.period.quarters());
        let quarter = default_quarter(&plan, index);
        first_quarter.get_or_insert(quarter);
        let id = version.plan_id.as_str().to_owned();
        reports.push(ReportRow {
            plan_href: plan_url::plan(&id, Some(quarter), None),
            pdf_href: plan_url::report(&id, "rapport.pdf", quarter, version.version),
            html_href: plan_url::report(&id, "rapport.html", quarter, version.version),
            xlsx_href: crate::export::url::plan(crate::export::Format::Xlsx, &id, &quarter, &version.version),
            municipality: indsats_app::figures::municipality_name(version.municipality.get()),
            title: version.title.clone(),
            quarter_label: labels.quarter(quarter),
        });
        choices.push((id.clone(), version.title.clone()));
        archive.push(PlanArchive {
            id,
            title: version.title,
            reports: entry.reports.into_iter().map(|r| archived_row(r, &labels)).collect(),
        });
    }
    // The form opens on the first plan and the quarter its page opens on.
    let form = form.unwrap_or_else(|| ArchiveForm {
        plan_id: choices.first().map(|(id, _)| id.clone()).unwrap_or_default(),
        kvartal: first_quarter.map(|q| q.to_string()).unwrap_or_default(),
        udvalg: ctx.locale.t("reports-archive-default-committee"),
        moededato: String::new(),
    });
    let page = ReportsPage {
        layout: Layout::new(state, ctx, ctx.locale.t("reports-title"), Some(Area::Reports)),
        message,
        problem,
        reports,
        archive,
        can_archive: Action::ArchiveReport.allows(user.role),
        can_approve: Action::ApproveReport.allows(user.role),
        plans: choices,
        quarters: quarters.into_iter().rev().map(|q| (q.to_string(), labels.quarter(q))).collect(),
        form,
    };
    render_with_status(status, &page)
}

/// The list of reports, one per loaded plan (its latest version), and the archive.
async fn list(State(state): State<AppState>, ctx: RequestContext, headers: HeaderMap) -> Result<Response, AppError> {
    let flash = cookies::Flash::take(&headers);
    let response = list_page(&state, &ctx, StatusCode::OK, (flash.message(), None), None).await?;
    Ok(flash.shown(response, state.config.secure_cookies))
}

/// The PDF renderer of this build: the Typst compiler with the `pdf` feature, none without
/// (the archived report then has HTML only).
#[cfg(feature = "pdf")]
const PDF_RENDERER: Option<PdfRenderer> = Some(render_pdf);
/// The PDF renderer of this build: none, built without the `pdf` feature.
#[cfg(not(feature = "pdf"))]
const PDF_RENDERER: Option<PdfRenderer> = None;

#[cfg(feature = "pdf")]
fn render_pdf(
    report: &indsats_report::document::Report,
    labels: &Labels,
    made_on: Option<NaiveDate>,
) -> Result<Vec<u8>, String> {
    indsats_report::typst_source::pdf(report, labels, made_on).map_err(|e| e.to_string())
}

/// Makes the report for a meeting and stores it in the archive (a manager). Refused input
/// re-renders the page with the message and the form as sent; nothing is stored.
async fn archive(
    State(state): State<AppState>,
    ctx: RequestContext,
    Form(form): Form<ArchiveForm>,
) -> Result<Response, AppError> {
    let by = ctx.require(Action::ArchiveReport)?.id;
    let refuse = |problem: String, form: ArchiveForm| {
        let state = state.clone();
        let ctx = ctx.clone();
        async move { list_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, (None, Some(problem)), Some(form)).await }
    };
    let Ok(quarter) = form.kvartal.parse::<Quarter>() else {
        return refuse(ctx.locale.t("plans-bad-quarter"), form).await;
    };
    let Ok(meeting_date) = NaiveDate::parse_from_str(form.moededato.trim(), "%Y-%m-%d") else {
        return refuse(ctx.locale.t("reports-archive-bad-date"), form).await;
    };
    let request = ArchiveRequest { plan_id: &form.plan_id, quarter, committee: &form.udvalg, meeting_date };
    let index = state.indicators.as_ref().as_ref();
    let labels = report_labels(ctx.locale);
    let problem = match use_case::archive(&*state.store, index, by, request, PDF_RENDERER).await {
        Ok(made) => {
            let message = ctx.locale.t_args(
                "reports-archived",
                &[("quarter", &labels.quarter(made.quarter)), ("committee", &made.committee)],
            );
            let mut response = Redirect::to(url::LIST).into_response();
            cookies::append(&mut response, &cookies::flash(&message, state.config.secure_cookies));
            return Ok(response);
        }
        Err(ArchiveError::NotFound) => ctx.locale.t("reports-archive-no-plan"),
        Err(ArchiveError::CommitteeEmpty) => ctx.locale.t("reports-archive-committee-empty"),
        Err(ArchiveError::CommitteeTooLong { max }) => {
            ctx.locale.t_args("reports-archive-committee-too-long", &[("max", &max.to_string())])
        }
        Err(ArchiveError::MeetingBeforeQuarterEnds { quarter, earliest, .. }) => ctx.locale.t_args(
            "reports-archive-meeting-too-early",
            &[("quarter", &labels.quarter(quarter)), ("earliest", &labels.date(earliest))],
        ),
        Err(ArchiveError::Report(e)) => labels.error(&e),
        Err(e) => return Err(failed(e)),
    };
    refuse(problem, form).await
}

/// Approves an archived report for its meeting (a manager). A second approval is refused with
/// 409 and the first stands.
async fn approve_report(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let by = ctx.require(Action::ApproveReport)?.id;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let labels = report_labels(ctx.locale);
    match use_case::approve(&*state.store, by, id).await {
        Ok(approved) => {
            let message = ctx.locale.t_args(
                "reports-approved",
                &[("quarter", &labels.quarter(approved.quarter)), ("committee", &approved.committee)],
            );
            let mut response = Redirect::to(url::LIST).into_response();
            cookies::append(&mut response, &cookies::flash(&message, state.config.secure_cookies));
            Ok(response)
        }
        Err(ArchiveError::AlreadyApproved) => {
            let problem = ctx.locale.t("reports-already-approved");
            list_page(&state, &ctx, StatusCode::CONFLICT, (None, Some(problem)), None).await
        }
        Err(e) => Err(failed(e)),
    }
}

/// An archived report's document exactly as stored, whatever has changed since.
async fn download(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    ctx.require(Action::ViewReports)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (format, content_type, extension) = match file.as_str() {
        "rapport.html" => (ArchivedFormat::Html, "text/html; charset=utf-8", "html"),
        "rapport.pdf" => (ArchivedFormat::Pdf, "application/pdf", "pdf"),
        _ => return Err(AppError::NotFound),
    };
    let (report, stored) = match use_case::file(&*state.store, id, format).await {
        Ok(found) => found,
        Err(e) => return Err(failed(e)),
    };
    let name = format!("maalopfyldelse-{}-{}-arkiv-{id}.{extension}", report.plan_id, report.quarter);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::ETAG, format!("\"{}\"", stored.sha256)),
        ],
        stored.bytes,
    )
        .into_response())
}
