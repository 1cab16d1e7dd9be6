//! The report as one self-contained HTML file: styles and charts inline, nothing fetched.

use std::collections::HashMap;

use askama::Template;

use crate::document::{Report, quarter_label};
use crate::evaluate::Status;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    r: &'a Report,
    quarter: String,
    quarter_long: String,
    statuses: Vec<(&'static str, &'static str, &'static str)>,
    charts: HashMap<&'a str, String>,
}

/// Renders the report as HTML.
pub fn render(report: &Report) -> Result<String, askama::Error> {
    let statuses = [Status::Met, Status::OnTrack, Status::AtRisk, Status::NotMet, Status::NoData]
        .map(|s| (s.as_str(), s.symbol(), s.label()))
        .to_vec();
    let charts = report
        .goals
        .iter()
        .flat_map(|g| &g.indicators)
        .filter_map(|i| {
            i.chart.as_ref().map(|c| (i.indicator.id.as_str(), c.svg(&format!("chart-{}", i.indicator.id))))
        })
        .collect();
    Page {
        r: report,
        quarter: quarter_label(report.quarter),
        quarter_long: format!("{}. kvartal {}", report.quarter.q(), report.quarter.year()),
        statuses,
        charts,
    }
    .render()
}
