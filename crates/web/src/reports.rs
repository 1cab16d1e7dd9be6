//! Rapporter: the quarterly goal-fulfilment report of every loaded plan, ready to download.
//!
//! The report itself is built and served by the plan pages ([`crate::plans`]); this page only
//! lists, for each plan, the quarter the plan's own page would open on, and links to that report.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use indsats_app::plans::{default_quarter, latest_all, report_labels};
use indsats_domain::{Action, Area};
use utoipa_axum::router::OpenApiRouter;

use crate::context::RequestContext;
use crate::error::AppError;
use crate::pages::{Layout, render};
use crate::plans::url;
use crate::state::AppState;

/// The list of reports.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().route(&crate::pages::area_url(Area::Reports), get(list))
}

/// One plan's report in the list.
#[derive(Debug)]
struct ReportRow {
    plan_href: String,
    pdf_href: String,
    html_href: String,
    title: String,
    municipality: String,
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
async fn list(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    ctx.require(Action::ViewReports)?;
    let index = state.indicators.as_ref().as_ref();
    let labels = report_labels(ctx.locale);
    let reports = latest_all(&*state.store)
        .await?
        .into_iter()
        .map(|(version, plan)| {
            let quarter = default_quarter(&plan, index);
            let id = version.plan_id.as_str();
            ReportRow {
                plan_href: url::plan(id, Some(quarter), None),
                pdf_href: url::report(id, "rapport.pdf", quarter, version.version),
                html_href: url::report(id, "rapport.html", quarter, version.version),
                municipality: indsats_app::figures::municipality_name(version.municipality.get()),
                title: version.title,
                quarter_label: labels.quarter(quarter),
            }
        })
        .collect();
    render(&ReportsPage {
        layout: Layout::new(&state, &ctx, ctx.locale.t("reports-title"), Some(Area::Reports)),
        reports,
    })
}
