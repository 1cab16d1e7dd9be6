//! Rapporter: the quarterly goal-fulfilment report of every loaded plan, ready to download.
//!
//! The report itself is built and served by [`crate::plans::report`]; this page only lists,
//! for each plan, the quarter the plan's own page would open on, and links to that report.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use indsats_domain::Area;
use indsats_domain::plan::parse;

use crate::AppState;
use crate::context::RequestContext;
use crate::error::AppError;
use crate::pages::{Layout, render};
use crate::plans::{default_quarter, report_labels};

/// One plan's report in the list.
#[derive(Debug)]
struct ReportRow {
    plan_id: String,
    title: String,
    municipality: String,
    version: i64,
    /// As the download links take it, e.g. `2022Q4`.
    quarter: String,
    /// As people read it, e.g. `2022K4` (`2022 Q4` in English).
    quarter_label: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    layout: Layout,
    reports: Vec<ReportRow>,
}

/// The list of reports, one per loaded plan (its latest version).
pub async fn list(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    ctx.require(Area::Reports)?;
    let index = state.indicators.as_ref().as_ref();
    let labels = report_labels(ctx.locale);
    let mut reports = Vec::new();
    for listed in state.store.plans().await? {
        let Some(stored) = state.store.plan(&listed.plan_id, Some(listed.version)).await? else { continue };
        let plan = parse(&stored.text)
            .map_err(|_| AppError::internal(format!("stored plan {} does not parse", listed.plan_id)))?;
        let quarter = default_quarter(&plan, index);
        reports.push(ReportRow {
            municipality: crate::figures::municipality_name(listed.municipality),
            plan_id: listed.plan_id,
            title: listed.title,
            version: listed.version,
            quarter: quarter.to_string(),
            quarter_label: labels.quarter(quarter),
        });
    }
    render(&ReportsPage {
        layout: Layout::new(&state, &ctx, ctx.locale.t("reports-title"), Some(Area::Reports)),
        reports,
    })
}
